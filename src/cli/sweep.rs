//! `ccsim sweep`: a what-if grid of cases (volume, handle time, headcount, plans), each
//! simulated on the same seeds, as a tidy CSV, a JSON and a heat map; or one shard of it
//! (`--shard K/N`), merged by `ccsim merge`.

use std::path::{Path, PathBuf};

use crate::cli::args::{ReplicationArgs, help_of, open_charts};
use crate::cli::shard::{self, ShardArgs};
use crate::cli::{
    Phase, conclude, load_scenario, output_dir, print, print_plan_warnings, print_with, progress_bar,
};
use crate::error::BadInput;
use crate::model::Scenario;
use crate::partial::Command;
use crate::report;
use crate::report::chart::family;
use crate::report::chart::{ChartFormat, sweep::sweep_chart, write_charts_into};
use crate::report::output::{Held, Input, OutputSet, Outputs, refuse_overlaps};
use crate::sweep::{self, Grid, Sweep, Vary};
use crate::usecase;

/// Output on stdout of `ccsim sweep`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SweepFormat {
    /// One line per case: the factors, the plan, the paid hours and the overall service level,
    /// ASA, abandon rate and occupancy (and the blocked share, with telephone lines).
    Table,
    /// Every case's overall and per-call-type figures (the contents of sweep.json).
    Json,
    /// The tidy CSV (the contents of sweep.csv).
    Csv,
}

/// Arguments of `ccsim sweep`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim sweep scenarios/retail-bank.toml --vary volume=0.8..1.2:0.1 --vary agents=-2..+2 -r 20\n  \
    ccsim sweep scenarios/single-queue.toml --vary handle_time=0.9,1.0,1.1 --out sweep/ --charts sweep/\n  \
    ccsim sweep scenarios/retail-bank.toml --vary volume=0.9,1.1 --plan scenario \
    --plan scenarios/plans/retail-bank-late.toml\n  \
    ccsim sweep scenarios/retail-bank.toml --vary agents=-4..4 --shard 2/8 --out parts/\n\n\
    Factors: volume (multiplies forecast volumes), handle_time (multiplies handle times), agents \
    (added to every shift block and staffing interval). Every case runs on the same seeds.")]
#[command(mut_args(help_of(&[
    ("replications", "Replications of every case (default: the scenario's `[simulation] replications`)"),
    ("seed", "Base seed, shared by every case (default: the scenario's `[simulation] seed`)"),
])))]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Plan file (TOML or CSV) replacing the scenario's own shifts; repeat for several plans,
    /// each simulated in every case (`scenario` = the scenario's own plan).
    #[arg(long = "plan", value_name = "FILE")]
    pub plans: Vec<PathBuf>,
    /// Replications, seed, threads and progress, shared by every case.
    #[command(flatten)]
    pub replication: ReplicationArgs,
    /// A factor and its values: NAME=LOW..HIGH:STEP, NAME=LOW..HIGH (step 1) or NAME=V1,V2,...;
    /// NAME is volume, handle_time or agents. Repeat for a grid.
    #[arg(long = "vary", value_name = "NAME=VALUES", required = true)]
    pub varies: Vec<Vary>,
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    pub format: SweepFormat,
    /// Also write sweep.csv and sweep.json into this directory (with --shard: where the shard
    /// writes its partial result).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write sweep.png (service level over the two first varied parameters) into this
    /// directory.
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    /// Chart file format (with `--charts`: it is what the charts are written as).
    #[arg(long, value_enum, default_value_t = ChartFormat::Png, requires = "charts")]
    pub chart_format: ChartFormat,
    /// Take the scenario's `[staffing] shrinkage` out of every case's plan before simulating,
    /// for plans that count every paid agent (as `ccsim schedule` writes them); paid hours
    /// still count every agent.
    #[arg(long)]
    pub apply_shrinkage: bool,
    #[command(flatten)]
    pub shard: ShardArgs,
}

/// Runs `ccsim sweep`.
///
/// # Errors
/// Bad scenario, plans or factors (exit 2); an output that fails (exit 1).
pub fn run(args: Args) -> anyhow::Result<()> {
    let base = load_scenario(&args.file, None)?;
    print_plan_warnings(&args.file, &args.plans)?;
    for warning in args.varies.iter().filter_map(Vary::percent_warning) {
        eprintln!("warning: {warning}");
    }
    let options = args.replication.options(&base)?;
    crate::cli::args::warn_if_no_shrinkage(args.apply_shrinkage, &base, &args.file);
    let shrinkage = usecase::off_the_phones(&base, args.apply_shrinkage);
    let grid = Grid::new(&args.varies, usecase::sweep::plans(&base, &args.plans)?, shrinkage)?;
    if let Some(shard) = args.shard.resolve()? {
        shard::refuse_charts(args.charts.as_deref(), "charts of the whole sweep")?;
        shard::refuse_merge_flag(args.format != SweepFormat::Table, "--format")?;
        let mut request =
            shard::request(Command::Sweep, &args.file, args.plans.clone(), &options, args.apply_shrinkage)?;
        request.cases = Some(grid.cases_request());
        let (scenarios, quiet) = (grid.plan_scenarios(), args.replication.quiet);
        return shard::run_cases(
            request,
            &base.name,
            &scenarios,
            args.out.as_deref(),
            shard,
            Phase::Simulating,
            quiet,
            |n, tick| grid.run_case(n as usize, &options, tick),
        );
    }
    refuse_sweep_overlaps(&args.file, &args.plans, &base, args.out.as_deref(), args.charts.as_deref())?;
    let outputs = SweepOutputs::open(args.out.as_deref(), args.charts.as_deref(), args.chart_format)?;
    let bar = progress_bar(
        Phase::Simulating,
        u64::from(options.replications) * grid.len() as u64,
        args.replication.quiet,
    );
    let result = sweep::sweep(&grid, &options, &|| bar.tick())?;
    bar.finish();
    outputs.write(&result, args.format)
}

/// The files of `sweep --out DIR`.
pub const OUT_FILES: [&str; 2] = ["sweep.csv", "sweep.json"];

/// Refuses a sweep whose `--out` files or chart would replace the scenario `file`, a plan, or a
/// file the scenario reads (`sweep` and `merge` of sweep parts).
///
/// # Errors
/// Bad input naming `--out` and the file read (exit 2).
pub fn refuse_sweep_overlaps(
    file: &Path,
    plans: &[PathBuf],
    scenario: &Scenario,
    out: Option<&Path>,
    charts: Option<&Path>,
) -> Result<(), BadInput> {
    let flags: Vec<(&str, Option<&Path>)> = std::iter::once(("FILE", Some(file)))
        .chain(plans.iter().map(|p| ("--plan", Some(p.as_path()))))
        .collect();
    refuse_overlaps(
        &Input::with_scenario(&flags, scenario),
        &[],
        &[("--out", out, Held::Files(&OUT_FILES)), ("--charts", charts, Held::Charts(&family::SWEEP))],
    )
}

/// The output sets of a sweep (`--out`, `--charts`), opened before the run; `sweep` and
/// `merge` write a sweep through this one path, so a merged sweep's files are those of a
/// one-process run.
pub struct SweepOutputs {
    out: Option<OutputSet>,
    charts: Option<OutputSet>,
    chart_format: ChartFormat,
}

impl SweepOutputs {
    /// Opens the sets of the flags given.
    ///
    /// # Errors
    /// An unwritable directory (exit 2), before any work.
    pub fn open(
        out: Option<&Path>,
        charts: Option<&Path>,
        chart_format: ChartFormat,
    ) -> anyhow::Result<SweepOutputs> {
        Ok(SweepOutputs {
            out: output_dir("--out", out, &OUT_FILES)?,
            charts: open_charts(charts, &family::SWEEP)?,
            chart_format,
        })
    }

    /// Writes the chart and the `--out` files, and prints `result` on stdout in `format`.
    ///
    /// # Errors
    /// As [`conclude`].
    pub fn write(self, result: &Sweep, format: SweepFormat) -> anyhow::Result<()> {
        let json = serde_json::to_string_pretty(result)? + "\n";
        let mut outputs = Outputs::new();
        outputs.write(self.charts, |set| write_charts_into(&[sweep_chart(result)], set, self.chart_format));
        outputs.write(self.out, |set| {
            set.put_with("sweep.csv", |w| sweep::write_csv(result, w))?;
            set.put("sweep.json", json.as_bytes())
        });
        let printed = match format {
            SweepFormat::Json => print(&json),
            SweepFormat::Csv => print_with(|w| sweep::write_csv(result, w)),
            SweepFormat::Table => print(&report::sweep::table(result)),
        };
        conclude(&outputs, printed)
    }
}
