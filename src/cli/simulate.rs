//! `ccsim simulate`: run a scenario's replications and report service level, waits,
//! abandonment and occupancy, with confidence intervals.

use std::path::PathBuf;

use crate::cli::{OutputFormat, RunOptions, load_scenario, print, progress_bar};
use crate::replicate;
use crate::report::chart::{self, ChartFormat};
use crate::report::{self, html, simulation, trace::TraceCsv};
use crate::sim;

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
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
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
/// Bad scenario or plan (exit 2), or an output that cannot be written.
pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.file, args.run.plan.as_deref())?;
    let options = args.run.options(&scenario)?;
    let bar = progress_bar(u64::from(options.replications), args.run.quiet);
    let shrinkage = if args.apply_shrinkage { scenario.staffing.shrinkage } else { 0.0 };
    let replicate::NetRun { simulated: scenario, summary, .. } =
        replicate::run_net_of_shrinkage(&scenario, shrinkage, &options, &|| bar.tick())?;
    bar.finish();

    // Compute everything first, write last: a failure leaves no half-written output.
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Some(dir) = &args.out {
        report::ensure_dir(dir)?;
        files.push((dir.join("summary.json"), simulation::json(&summary).into_bytes()));
        files.push((dir.join("intervals.csv"), simulation::intervals_csv(&summary)?));
        files.push((dir.join("wait_distribution.csv"), simulation::wait_distribution_csv(&summary)?));
    }
    if let Some(path) = &args.report {
        files.push((path.clone(), html::simulation_report(&summary)?.into_bytes()));
    }
    if let Some(path) = &args.trace {
        let mut trace = TraceCsv::new(&scenario);
        sim::run(&scenario, options.seed, 0, &mut trace);
        files.push((path.clone(), trace.finish()?));
    }
    for (path, bytes) in &files {
        report::write_atomic(path, bytes)?;
    }
    if let Some(dir) = &args.charts {
        report::ensure_dir(dir)?;
        chart::simulation_charts(&summary, dir, args.chart_format)?;
    }
    match args.format {
        OutputFormat::Table => print(&simulation::table(&summary)),
        OutputFormat::Json => print(&simulation::json(&summary)),
    }
}
