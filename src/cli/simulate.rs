//! `ccsim simulate`: run a scenario's replications and report service level, waits,
//! abandonment and occupancy, with confidence intervals.

use std::path::PathBuf;

use crate::cli::{
    Phase, RunOptions, conclude, load_scenario, output_dir, output_file, print, print_with, progress_bar,
    put_file,
};
use crate::error::BadInput;
use crate::replicate;
use crate::report::chart::{self, ChartFormat, simulation_chart_set};
use crate::report::output::Outputs;
use crate::report::{html, simulation, trace::TraceCsv};
use crate::sim;

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
const OUT_FILES: [&str; 3] = ["summary.json", "intervals.csv", "wait_distribution.csv"];

/// Arguments of `ccsim simulate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim simulate scenarios/retail-bank.toml\n  \
    ccsim simulate scenarios/retail-bank.toml --plan scenarios/plans/retail-bank-late.toml --replications 100\n  \
    ccsim simulate scenarios/single-queue.toml --format json > summary.json\n  \
    ccsim simulate scenarios/retail-bank.toml --out results/ --trace results/trace.csv\n  \
    ccsim simulate scenarios/retail-bank.toml --charts charts/ --report report.html")]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    #[command(flatten)]
    pub run: RunOptions,
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Table)]
    pub format: SimulateFormat,
    /// Per-interval rows in the JSON (stdout and summary.json) and intervals.csv: `none`
    /// keeps a long run's output small (totals, call types, groups and waits stay).
    #[arg(long, value_enum, default_value_t = IntervalDetail::All)]
    pub intervals: IntervalDetail,
    /// Also write summary.json, intervals.csv and wait_distribution.csv into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write a call-by-call log of replication 0 to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub trace: Option<PathBuf>,
    /// Write charts (wait distribution, service level, volume, occupancy) into this directory.
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    /// Chart file format.
    #[arg(long, value_enum, default_value_t = ChartFormat::Png)]
    pub chart_format: ChartFormat,
    /// Write a self-contained HTML report (tables, definitions, inline charts) to this file.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Take the scenario's `[staffing] shrinkage` out of the plan's agents before simulating,
    /// as `ccsim schedule` does (paid hours still count every agent).
    #[arg(long)]
    pub apply_shrinkage: bool,
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
    if args.format == SimulateFormat::Csv && args.intervals == IntervalDetail::None {
        return Err(BadInput(
            "--format csv: prints per-interval rows, which --intervals none leaves out; use \
             --intervals all, or --format json"
                .into(),
        )
        .into());
    }
    // Every output is opened before the run: an unwritable path fails now, not after it.
    let out = output_dir("--out", args.out.as_deref())?.map(|set| set.owning(&OUT_FILES));
    let charts = output_dir("--charts", args.charts.as_deref())?;
    let report = output_file("--report", args.report.as_deref())?;
    let trace = output_file("--trace", args.trace.as_deref())?;

    let bar = progress_bar(Phase::Simulating, u64::from(options.replications), args.run.quiet);
    let shrinkage = if args.apply_shrinkage { scenario.staffing.shrinkage } else { 0.0 };
    let replicate::NetRun { simulated: scenario, mut summary, .. } =
        replicate::run_net_of_shrinkage(&scenario, shrinkage, &options, &|| bar.tick())?;
    summary.events = crate::risk::event_impacts(&scenario, &options)?;
    bar.finish();

    let mut outputs = Outputs::new();
    outputs.write(charts, |set| {
        chart::write_charts_into(&simulation_chart_set(&summary), set, args.chart_format)
    });
    outputs.write(report, |set| put_file(set, html::simulation_report(&summary)?.as_bytes()));
    outputs.write(trace, |set| {
        let name = set.file_name().to_string();
        set.put_with(&name, |w| {
            let mut trace = TraceCsv::new(&scenario, w);
            sim::run(&scenario, options.seed, 0, &mut trace);
            trace.finish().map(drop)
        })
    });
    // The table always shows the worst intervals; the detail flag trims what is written.
    let table = (args.format == SimulateFormat::Table).then(|| simulation::table(&summary));
    if args.intervals == IntervalDetail::None {
        summary.drop_intervals();
    }
    outputs.write(out, |set| {
        set.put_with("summary.json", |w| simulation::write_json(&summary, w))?;
        if args.intervals == IntervalDetail::All {
            set.put_with("intervals.csv", |w| simulation::write_intervals_csv(&summary, w))?;
        }
        set.put_with("wait_distribution.csv", |w| simulation::write_wait_distribution_csv(&summary, w))
    });
    let printed = match args.format {
        SimulateFormat::Table => print(table.as_deref().unwrap_or_default()),
        SimulateFormat::Json => print_with(|w| simulation::write_json(&summary, w)),
        SimulateFormat::Csv => print_with(|w| simulation::write_intervals_csv(&summary, w)),
    };
    conclude(&outputs, printed)
}
