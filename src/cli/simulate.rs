//! `ccsim simulate`: run a scenario's replications and report service level, waits,
//! abandonment and occupancy, with confidence intervals.

use std::path::{Path, PathBuf};

use crate::cli::args::{ChartsAndReport, ReportArgs, help_of};
use crate::cli::shard;
use crate::cli::shard::ShardArgs;
use crate::cli::{Bars, RunOptions, conclude, load_scenario, output_dir, output_file, print, print_with};
use crate::error::BadInput;
use crate::model::Scenario;
use crate::report::chart::family;
use crate::report::chart::simulation::{ChartContext, simulation_chart_set_with};
use crate::report::output::{Held, Input, OutputSet, Outputs, refuse_overlaps};
use crate::report::{channels, html, simulation};
use crate::summary::Summary;
use crate::usecase::{self, simulate};

/// Output on stdout of `ccsim simulate`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SimulateFormat {
    /// Aligned table with units, for people.
    Table,
    /// JSON, for scripts (a documented contract).
    Json,
    /// One row per interval and call type: the rows of `intervals.csv`.
    Csv,
}

/// How much per-interval detail the JSON and CSV outputs carry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum IntervalDetail {
    /// Every interval: per call type, all call types together, per agent group.
    All,
    /// No per-interval rows: `intervals`, `interval_totals` and each agent group's
    /// `intervals` are empty arrays, and `--out` writes no `intervals.csv`.
    None,
}

/// The files of `simulate --out DIR`.
pub(crate) const OUT_FILES: [&str; 6] =
    ["summary.json", "intervals.csv", "groups.csv", "wait_distribution.csv", "channels.csv", "backlog.csv"];

/// Arguments of `ccsim simulate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim simulate scenarios/retail-bank.toml\n  \
    ccsim simulate scenarios/retail-bank.toml --plan scenarios/plans/retail-bank-late.toml --replications 100\n  \
    ccsim simulate scenarios/single-queue.toml --format json > summary.json\n  \
    ccsim simulate scenarios/retail-bank.toml --out results/ --trace results/trace.csv\n  \
    ccsim simulate scenarios/retail-bank.toml --charts charts/ --report report.html")]
#[command(mut_args(help_of(&[
    ("charts", "Write charts (wait distribution, service level, volume, occupancy) into this directory"),
    ("report", "Write a self-contained HTML report (tables, definitions, inline charts) to this file"),
])))]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    #[command(flatten)]
    pub run: RunOptions,
    /// Stdout format, interval detail, `--out DIR`.
    #[command(flatten)]
    pub summary: SummaryArgs,
    /// Write a call-by-call log of replication 0 to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub trace: Option<PathBuf>,
    /// Charts (wait distribution, service level, volume, occupancy) and the HTML report.
    #[command(flatten)]
    pub output: ReportArgs,
    /// Take the scenario's `[staffing] shrinkage` out of the plan's agents before simulating,
    /// as `ccsim schedule` does (paid hours still count every agent).
    #[arg(long)]
    pub apply_shrinkage: bool,
    #[command(flatten)]
    pub shard: ShardArgs,
}

/// Runs `ccsim simulate`.
///
/// # Errors
/// Bad scenario or plan, or an output path that cannot be written (exit 2, before simulating);
/// an output that fails after the run (exit 1, once the report is printed and the other
/// outputs written).
pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.file, args.run.plan.as_deref())?;
    let options = args.run.options(&scenario)?;
    args.summary.check()?;
    crate::cli::args::warn_if_no_shrinkage(args.apply_shrinkage, &scenario, &args.file);
    if let Some(shard_of_run) = args.shard.resolve()? {
        // The trace is of one replication's callers, which a shard does not split: an ordinary
        // run writes it, and `merge` has no such flag.
        if args.trace.is_some() {
            return Err(BadInput(
                "--trace: not written by a shard, nor by `ccsim merge`; run `ccsim simulate` without \
                 --shard (a few replications are enough) for the trace"
                    .into(),
            )
            .into());
        }
        if let Some(flag) = args.output.given() {
            return Err(BadInput(format!(
                "{flag}: not written by a shard; give it to `ccsim merge`, which writes every output of \
                 the whole run"
            ))
            .into());
        }
        shard::refuse_merge_flag(args.summary.format != SimulateFormat::Table, "--format")?;
        shard::refuse_merge_flag(args.summary.intervals != IntervalDetail::All, "--intervals")?;
        let job = usecase::shard::simulate(&scenario, args.run.plan.as_deref(), args.apply_shrinkage);
        let quiet = args.run.replication.quiet;
        return shard::run(
            job,
            &scenario,
            &args.file,
            args.summary.out.as_deref(),
            &options,
            shard_of_run,
            quiet,
        );
    }
    refuse_overlaps(
        &Input::with_scenario(&[("FILE", Some(&args.file)), ("--plan", args.run.plan.as_deref())], &scenario),
        &[("--trace", args.trace.as_deref()), ("--report", args.output.report.as_deref())],
        &[
            ("--out", args.summary.out.as_deref(), Held::Files(&OUT_FILES)),
            args.output.chart.held(&family::SIMULATION),
        ],
    )?;
    // Every output is opened before the run: an unwritable path fails now, not after it.
    let opened = SummaryOutputs::open(args.summary.out.as_deref(), &args.output)?;
    let trace = output_file("--trace", args.trace.as_deref())?;

    let request = simulate::Request { options, apply_shrinkage: args.apply_shrinkage };
    let simulate::Simulation { simulated, summary } =
        simulate::simulate(&scenario, &request, &Bars::new(args.run.replication.quiet))?;

    opened.write(&scenario, &args.file, summary, &args.summary.view(), |outputs| {
        outputs.write(trace, |set| {
            let name = set.file_name().to_string();
            set.put_with(&name, |w| simulate::trace(&simulated, options.seed, w))
        });
    })
}

/// How a simulation summary is shown and saved (`--format`, `--intervals`, `--out DIR`): the
/// flags of `simulate`, which `merge` shares for a merged run.
#[derive(Debug, Clone, clap::Args)]
pub struct SummaryArgs {
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
    pub format: SimulateFormat,
    /// Per-interval rows in the JSON (stdout and summary.json), intervals.csv and groups.csv: `none`
    /// keeps a long run's output small (totals, call types, groups and waits stay).
    #[arg(long, value_enum, default_value_t = IntervalDetail::All)]
    pub intervals: IntervalDetail,
    /// Also write summary.json, intervals.csv, groups.csv (agents on duty and occupancy per group
    /// and interval), wait_distribution.csv and channels.csv (and, with email call types,
    /// backlog.csv) into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl SummaryArgs {
    /// Refuses flags that contradict each other.
    ///
    /// # Errors
    /// `--format csv` with `--intervals none` (exit 2).
    pub fn check(&self) -> anyhow::Result<()> {
        if self.format == SimulateFormat::Csv && self.intervals == IntervalDetail::None {
            return Err(BadInput(
                "--format csv: prints per-interval rows, which --intervals none leaves out; use \
                 --intervals all, or --format json"
                    .into(),
            )
            .into());
        }
        Ok(())
    }

    /// How the summary is shown.
    pub fn view(&self) -> SummaryView {
        SummaryView { format: self.format, intervals: self.intervals }
    }
}

/// How a finished summary is shown: stdout format, interval detail.
#[derive(Copy, Clone, Debug)]
pub struct SummaryView {
    /// Output on stdout.
    pub format: SimulateFormat,
    /// Per-interval rows written.
    pub intervals: IntervalDetail,
}

/// The output sets of a simulation summary (`--out`, `--charts`, `--report`), opened before
/// the run; `simulate` and `merge` write a summary through this one path, so a merged run's
/// files are those of a one-process run.
pub struct SummaryOutputs {
    out: Option<OutputSet>,
    charts_and_report: ChartsAndReport,
}

impl SummaryOutputs {
    /// Opens the sets of the flags given.
    ///
    /// # Errors
    /// An unwritable path (exit 2), before any work.
    pub fn open(out: Option<&Path>, charts_and_report: &ReportArgs) -> anyhow::Result<SummaryOutputs> {
        Ok(SummaryOutputs {
            out: output_dir("--out", out, &OUT_FILES)?,
            charts_and_report: charts_and_report.open(&family::SIMULATION)?,
        })
    }

    /// Writes charts and report (labelled from `scenario`, read from `file`), then whatever `more` writes (the trace), then the `--out` files,
    /// and prints the summary on stdout.
    ///
    /// # Errors
    /// As [`conclude`].
    pub fn write(
        self,
        scenario: &Scenario,
        file: &Path,
        mut summary: Summary,
        view: &SummaryView,
        more: impl FnOnce(&mut Outputs),
    ) -> anyhow::Result<()> {
        let mut outputs = Outputs::new();
        self.charts_and_report.write(
            &mut outputs,
            (scenario, file),
            || simulation_chart_set_with(&summary, &ChartContext::of(scenario)),
            |run| html::simulation::report(&summary, run, &html::Goals::of(scenario)),
        );
        more(&mut outputs);
        // The table always shows the worst intervals; the detail flag trims what is written.
        let table = (view.format == SimulateFormat::Table).then(|| simulation::table(&summary));
        if view.intervals == IntervalDetail::None {
            summary.drop_intervals();
        }
        outputs.write(self.out, |set| {
            set.put_with("summary.json", |w| simulation::write_json(&summary, w))?;
            if view.intervals == IntervalDetail::All {
                set.put_with("intervals.csv", |w| simulation::write_intervals_csv(&summary, w))?;
                set.put_with("groups.csv", |w| simulation::write_groups_csv(&summary, w))?;
            }
            set.put_with("wait_distribution.csv", |w| simulation::write_wait_distribution_csv(&summary, w))?;
            set.put_with("channels.csv", |w| channels::write_channels_csv(&summary, w))?;
            if !summary.backlog.is_empty() {
                set.put_with("backlog.csv", |w| channels::write_backlog_csv(&summary, w))?;
            }
            Ok(())
        });
        let printed = match view.format {
            SimulateFormat::Table => print(table.as_deref().unwrap_or_default()),
            SimulateFormat::Json => print_with(|w| simulation::write_json(&summary, w)),
            SimulateFormat::Csv => print_with(|w| simulation::write_intervals_csv(&summary, w)),
        };
        conclude(&outputs, printed)
    }
}
