//! `ccsim chart`: re-draws the charts of a saved simulation from its `summary.json`, without
//! simulating again, so charts can be re-rendered (or rendered as SVG) later.

use std::path::{Path, PathBuf};

use crate::cli::args::open_charts;
use crate::cli::conclude;
use crate::error::BadInput;
use crate::report::chart::simulation::ChartContext;
use crate::report::chart::simulation::simulation_chart_set_with;
use crate::report::chart::{ChartFormat, family, write_charts_into};
use crate::report::output::{Held, Input, Outputs, refuse_overlaps};
use crate::summary::Summary;

/// Arguments of `ccsim chart`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  ccsim simulate scenarios/retail-bank.toml --out run1\n  \
    ccsim chart run1 --charts run1/charts --chart-format svg --scenario scenarios/retail-bank.toml")]
pub struct Args {
    /// A directory written by `simulate --out` (its `summary.json` is read), or a summary JSON
    /// file (`simulate --format json`).
    #[arg(value_name = "DIR_OR_SUMMARY_JSON")]
    pub input: PathBuf,
    /// Directory to write the charts into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub charts: PathBuf,
    /// File format of the charts.
    #[arg(long, value_enum, default_value_t = ChartFormat::Png)]
    pub chart_format: ChartFormat,
    /// The scenario file the summary was simulated from: the charts then name days by weekday
    /// (`first_weekday`), draw the occupancy cap (`max_occupancy`) and leave out the hours
    /// after closing from the occupancy charts, as `simulate --charts` drew them; the summary's
    /// JSON carries none of these.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

/// Runs `ccsim chart`.
///
/// # Errors
/// [`BadInput`] (exit 2) when the summary is missing or not a simulation summary, or the
/// `--scenario` is not its scenario; an I/O error when a chart cannot be written.
pub fn run(args: Args) -> anyhow::Result<()> {
    let summary_file = if args.input.is_dir() { args.input.join("summary.json") } else { args.input.clone() };
    refuse_overlaps(
        &Input::flags(&[("SUMMARY", Some(&summary_file)), ("--scenario", args.scenario.as_deref())]),
        &[],
        &[("--charts", Some(&args.charts), Held::Charts(&family::SIMULATION))],
    )?;
    let mut summary = load_summary(&args.input)?;
    summary.check_shape().map_err(|e| {
        BadInput(format!(
            "{}: not a simulation summary that `ccsim simulate` writes: {e}",
            args.input.display()
        ))
    })?;
    // Every run of `--intervals all` keeps a row per interval and call type, even of an
    // interval without calls: none at all means the rows were left out when it was saved, and
    // the charts would say "no data" of a day that had calls.
    if summary.intervals.is_empty() && summary.grid.per_day * summary.grid.days > 0 {
        return Err(BadInput(format!(
            "{}: saved with `--intervals none`, so it holds no per-interval rows, which the charts \
             draw; simulate again with `--out DIR` (and the default `--intervals all`), or with \
             `--charts DIR`",
            args.input.display()
        ))
        .into());
    }
    let ctx = match &args.scenario {
        Some(file) => {
            let scenario = crate::scenario::load(file)?.scenario;
            ChartContext::restore(&scenario, &mut summary).map_err(|difference| {
                BadInput(format!(
                    "--scenario {}: not the scenario of {}: {difference}",
                    file.display(),
                    args.input.display()
                ))
            })?
        }
        None => {
            // The charts say so in their titles and legends, but a chart pasted into a slide
            // loses the command that drew it: say it where the command is run, too.
            eprintln!(
                "note: without --scenario, the charts judge occupancy against 85% (not the \
                 scenario's max_occupancy), number the days instead of naming weekdays, and \
                 show the hours after closing; give --scenario FILE to draw them as the run did"
            );
            ChartContext::default()
        }
    };
    let mut outputs = Outputs::new();
    let charts = open_charts(Some(&args.charts), &family::SIMULATION)?;
    outputs.write(charts, |set| {
        write_charts_into(&simulation_chart_set_with(&summary, &ctx), set, args.chart_format)
    });
    conclude(&outputs, Ok(()))
}

/// Reads a `Summary` from a JSON file, or from `summary.json` in a directory.
///
/// # Errors
/// [`BadInput`] naming the file when it is missing, unreadable or not a summary.
pub fn load_summary(input: &Path) -> anyhow::Result<Summary> {
    let file = if input.is_dir() { input.join("summary.json") } else { input.to_path_buf() };
    let opened = std::fs::File::open(&file).map_err(|e| {
        BadInput(format!(
            "{}: cannot read the simulation summary ({e}); expected a directory written by \
             `simulate --out` or a summary.json file",
            file.display()
        ))
    })?;
    // Parsed as it is read, not read whole first: a summary of a long grid may pass the cap on
    // input files, and a file that never ends (`/dev/zero`) fails at its first byte that is not
    // JSON instead of filling memory.
    serde_json::from_reader(std::io::BufReader::new(opened)).map_err(|e| {
        BadInput(format!(
            "{}: not a simulation summary at line {}, column {}: {e}; expected the JSON of \
             `simulate --format json`",
            file.display(),
            e.line(),
            e.column()
        ))
        .into()
    })
}
