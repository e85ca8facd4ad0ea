//! `ccsim merge`: the parts written by the shards of a run (`simulate --shard`, `compare
//! --shard`, `sweep --shard`, `risk --shard`) found, read, checked as a set and put back
//! together ([`crate::usecase::merge`]) into the outputs of the whole run, byte for byte those
//! of a one-process run.

use std::path::PathBuf;

use crate::cli::args::{ReportArgs, help_of};
use crate::cli::compare::plan_inputs;
use crate::cli::simulate::{IntervalDetail, SimulateFormat, SummaryArgs, SummaryOutputs};
use crate::cli::sweep::{SweepFormat, SweepOutputs, refuse_sweep_overlaps};
use crate::cli::{OutputFormat, conclude, load_scenario, print};
use crate::error::BadInput;
use crate::partial::{self, Command, Part};
use crate::report::chart::comparison::comparison_chart_set;
use crate::report::chart::{ChartFamily, family};
use crate::report::comparison;
use crate::report::output::{Held, Input, Outputs, refuse_overlaps};
use crate::usecase;

/// Arguments of `ccsim merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim simulate scenarios/retail-bank.toml -r 1000 --shard 1/2 --out parts\n  \
    ccsim simulate scenarios/retail-bank.toml -r 1000 --shard 2/2 --out parts\n  \
    ccsim merge parts --out results\n\n\
    Every shard must be present exactly once; parts of another run are refused.")]
#[command(mut_args(help_of(&[
    ("format", "Output on stdout (`csv`: merged simulate and sweep runs only)"),
    ("intervals", "Per-interval rows in the JSON, intervals.csv and groups.csv (merged simulate runs)"),
    ("out", "Write summary.json, intervals.csv, groups.csv, wait_distribution.csv and channels.csv (and, with email call types, backlog.csv) for merged simulate runs, or sweep.csv and sweep.json (merged sweeps) into this directory, as `--out` of the command does"),
    ("charts", "Write the charts of the whole run into this directory"),
    ("report", "Write the HTML report of the whole run to this file (merged simulate and compare runs)"),
])))]
pub struct Args {
    /// Part files, or directories searched (with their subdirectories) for `partial.ccsim`.
    #[arg(required = true, value_name = "DIR")]
    pub parts: Vec<PathBuf>,
    /// The scenario file, when it is no longer at the path the shards recorded (e.g. the merge
    /// runs on another machine); it must be the same scenario.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Stdout format, interval detail and `--out DIR`, as the merged command's.
    #[command(flatten)]
    pub summary: SummaryArgs,
    /// The charts and HTML report of the whole run.
    #[command(flatten)]
    pub output: ReportArgs,
    /// No progress output: merge shows none, so this changes nothing; accepted so that a batch
    /// script may pass the flags of the shards (`-q`) to the merge too.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The scenario (unless `--scenario` gives it) and plan files the parts recorded must be where
/// they were: a merge on another machine, or after the files moved, is told which part names the
/// missing file and how to point at it, not only the path that failed.
///
/// # Errors
/// A recorded file that is not there (exit 2).
fn recorded_files_exist(part: &Part, scenario_given: bool) -> Result<(), BadInput> {
    let request = &part.header.request;
    if !scenario_given && !request.scenario_file.exists() {
        return Err(BadInput(format!(
            "{}: the scenario file the part was simulated from, {}, is not there (moved, or the merge \
             runs on another machine); give it with --scenario FILE (the same scenario)",
            part.path.display(),
            request.scenario_file.display()
        )));
    }
    // `scenario` stands for the scenario's own plan, not a file.
    match request.plan_files.iter().find(|p| p.as_os_str() != "scenario" && !p.exists()) {
        Some(plan) => Err(BadInput(format!(
            "{}: the plan file the part was simulated with, {}, is not there; plan files are read at \
             the paths the shards recorded: put it back there",
            part.path.display(),
            plan.display()
        ))),
        None => Ok(()),
    }
}

/// Runs `ccsim merge`.
///
/// # Errors
/// Missing, doubled, foreign or damaged parts, a changed scenario (exit 2, before writing
/// anything); an output that fails (exit 1).
pub fn run(args: Args) -> anyhow::Result<()> {
    args.summary.check()?;
    let found = partial::find(&args.parts)?;
    let parts = found.files.iter().map(|f| partial::read_header(f)).collect::<Result<Vec<Part>, _>>()?;
    let parts = partial::check_set(parts, &found)?;
    let request = parts[0].header.request.clone();
    let scenario_file = args.scenario.clone().unwrap_or_else(|| request.scenario_file.clone());
    recorded_files_exist(&parts[0], args.scenario.is_some())?;
    // The parts are read too: no output may replace one (a part named like a chart).
    let (family, out_files): (&'static ChartFamily, &[&str]) = match request.command {
        Command::Simulate => (&family::SIMULATION, &crate::cli::simulate::OUT_FILES),
        Command::Compare => (&family::COMPARISON, &[]),
        Command::Sweep => (&family::SWEEP, &crate::cli::sweep::OUT_FILES),
        Command::Risk => (&family::RISK, &[]),
    };
    let part_inputs: Vec<Input> = found
        .files
        .iter()
        .map(|f| Input { label: format!("the part {}", f.display()), path: f.clone() })
        .collect();
    refuse_overlaps(
        &part_inputs,
        &[("--report", args.output.report.as_deref())],
        &[args.output.chart.held(family), ("--out", args.summary.out.as_deref(), Held::Files(out_files))],
    )?;
    match request.command {
        Command::Simulate => {
            let plan = request.plan_files.first().map(PathBuf::as_path);
            let scenario = load_scenario(&scenario_file, plan)?;
            refuse_overlaps(
                &Input::with_scenario(&[("the scenario", Some(&scenario_file)), ("--plan", plan)], &scenario),
                &[("--report", args.output.report.as_deref())],
                &[
                    ("--out", args.summary.out.as_deref(), Held::Files(&crate::cli::simulate::OUT_FILES)),
                    args.output.chart.held(&family::SIMULATION),
                ],
            )?;
            let opened = SummaryOutputs::open(args.summary.out.as_deref(), &args.output)?;
            let summary = usecase::merge::simulate(&parts, &scenario, &request)?;
            opened.write(&scenario, &scenario_file, summary, &args.summary.view(), |_| {})
        }
        Command::Compare => {
            let format =
                table_or_json(&args, "a comparison", "compare", "the comparison", "--charts and --report")?;
            let scenario = load_scenario(&scenario_file, None)?;
            crate::cli::compare::refuse_compare_overlaps(
                ("the scenario", &scenario_file),
                &request.plan_files,
                &scenario,
                &args.output,
            )?;
            // As the one-process run warns about each plan's coverage.
            crate::cli::print_plan_warnings(&scenario_file, &request.plan_files)?;
            let mut plans = plan_inputs(&scenario, &request.plan_files)?;
            // Reports name each plan file as the user gave it to the shards.
            for (plan, given) in plans.iter_mut().zip(&request.plan_files_given) {
                if plan.file.is_some() {
                    plan.file = Some(given.clone());
                }
            }
            let charts_and_report = args.output.open(&family::COMPARISON)?;
            let result = usecase::merge::compare(&parts, &scenario, &plans, &request)?;
            let mut outputs = Outputs::new();
            charts_and_report.write(
                &mut outputs,
                (&scenario, &scenario_file),
                || comparison_chart_set(&result),
                |run| {
                    let goals = crate::report::html::Goals::of(&scenario);
                    crate::report::html::planning::compare_report(&result, run, &goals)
                },
            );
            let printed = match format {
                OutputFormat::Table => print(&comparison::table(&result)),
                OutputFormat::Json => print(&comparison::json(&result)),
            };
            conclude(&outputs, printed)
        }
        Command::Sweep => {
            refuse_intervals(&args, "a sweep")?;
            if args.output.report.is_some() {
                return Err(BadInput(
                    "--report: a sweep has no HTML report (merge of `sweep` parts writes --out and --charts)"
                        .into(),
                )
                .into());
            }
            let format = match args.summary.format {
                SimulateFormat::Table => SweepFormat::Table,
                SimulateFormat::Json => SweepFormat::Json,
                SimulateFormat::Csv => SweepFormat::Csv,
            };
            let base = load_scenario(&scenario_file, None)?;
            crate::cli::print_plan_warnings(&scenario_file, &request.plan_files)?;
            let plans = usecase::sweep::plans(&base, &request.plan_files)?;
            refuse_sweep_overlaps(
                &scenario_file,
                &request.plan_files,
                &base,
                args.summary.out.as_deref(),
                args.output.chart.charts.as_deref(),
            )?;
            let outputs = SweepOutputs::open(
                args.summary.out.as_deref(),
                args.output.chart.charts.as_deref(),
                args.output.chart.chart_format,
            )?;
            outputs.write(&usecase::merge::sweep(&parts, plans, &request)?, format)
        }
        Command::Risk => {
            if args.output.report.is_some() {
                return Err(BadInput(
                    "--report: a risk curve has no HTML report (merge of `risk` parts prints the curve \
                     and writes --charts, as `ccsim risk` does)"
                        .into(),
                )
                .into());
            }
            let format = table_or_json(&args, "a risk curve", "risk", "the curve", "--charts")?;
            let scenario = load_scenario(&scenario_file, request.plan_files.first().map(PathBuf::as_path))?;
            let charts = args.output.chart.open(&family::RISK)?;
            let curve = usecase::merge::risk(&parts, &scenario, &request)?;
            crate::cli::risk::write_curve(&curve, charts, format)
        }
    }
}

/// Refuses `--intervals` for merged parts other than `simulate`'s (`what`): their outputs have
/// no per-interval rows to leave out, so the flag would change nothing.
///
/// # Errors
/// `--intervals` other than `all` (exit 2).
fn refuse_intervals(args: &Args, what: &str) -> Result<(), BadInput> {
    if args.summary.intervals != IntervalDetail::All {
        return Err(BadInput(format!(
            "--intervals: {what} has no per-interval rows to leave out (it is for merged `simulate` parts)"
        )));
    }
    Ok(())
}

/// The stdout format of a merged run that prints `what` (`printed`) as a table or JSON and
/// writes no `--out` files (only `writes`), as `command` without `--shard` does: `command`'s
/// parts.
///
/// # Errors
/// `--out` or `--format csv` given (exit 2).
fn table_or_json(
    args: &Args,
    what: &str,
    command: &str,
    printed: &str,
    writes: &str,
) -> Result<OutputFormat, BadInput> {
    refuse_intervals(args, what)?;
    if args.summary.out.is_some() {
        return Err(BadInput(format!(
            "--out: {what} has no such output (merge of `{command}` parts prints {printed} and writes \
             {writes}, as `ccsim {command}` does)"
        )));
    }
    match args.summary.format {
        SimulateFormat::Table => Ok(OutputFormat::Table),
        SimulateFormat::Json => Ok(OutputFormat::Json),
        SimulateFormat::Csv => Err(BadInput(format!("--format csv: {what} prints a table or json"))),
    }
}
