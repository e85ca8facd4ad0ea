//! `ccsim merge`: the parts written by the shards of a run (`simulate --shard`, `compare
//! --shard`, `sweep --shard`, `risk --shard`) put back together into the outputs of the whole
//! run, byte for byte those of a one-process run. Also the flags and the routines by which a
//! shard writes its part (sharded by replication, or by case for sweeps and risk curves).

use std::path::{Path, PathBuf};

use crate::cli::args::{ReportArgs, help_of};
use crate::cli::compare::plan_inputs;
use crate::cli::simulate::{SimulateFormat, SummaryArgs, SummaryOutputs};
use crate::cli::sweep::{SweepFormat, SweepOutputs};
use crate::cli::{OutputFormat, conclude, load_scenario, output_dir, print, progress_bar};
use crate::compare::Comparing;
use crate::error::BadInput;
use crate::model::Scenario;
use crate::partial::{self, Command, Part, PartHeader, Request};
use crate::replicate::{self, Options, Replication, Summarizer};
use crate::report::chart::comparison::comparison_chart_set;
use crate::report::comparison;
use crate::report::output::Outputs;
use crate::shard::{Shard, ShardSpec};

/// The flags that make a run one shard of several.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ShardArgs {
    /// Run only shard K of N (K from 1) of the replications and write its partial result into
    /// `--out DIR` (as `DIR/shard-K-of-N/partial.ccsim`), for `ccsim merge`; `auto` reads K and N
    /// from a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN,
    /// SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with N from
    /// --shard-count or CCSIM_SHARD_COUNT).
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<ShardSpec>,
    /// Number of shards, for `--shard auto` in a Kubernetes Indexed Job (its `completions`).
    #[arg(long, value_name = "N", requires = "shard")]
    pub shard_count: Option<u32>,
}

impl ShardArgs {
    /// The shard this process runs, `None` when not sharded.
    ///
    /// # Errors
    /// Bad `--shard`, `--shard-count` or batch-system variables (exit 2).
    pub fn resolve(&self) -> anyhow::Result<Option<Shard>> {
        let env = |name: &str| std::env::var(name).ok();
        Ok(self.shard.map(|spec| spec.resolve(self.shard_count, &env)).transpose()?)
    }
}

/// What a part records of the run: `files` as absolute paths, so `merge` finds them from any
/// directory (`scenario` stays as is: a compared scenario's own plan).
///
/// # Errors
/// A file that cannot be resolved (exit 2).
pub fn request(
    command: Command,
    scenario_file: &Path,
    plan_files: Vec<PathBuf>,
    options: &Options,
    apply_shrinkage: bool,
) -> anyhow::Result<Request> {
    let absolute = |p: &Path| -> anyhow::Result<PathBuf> {
        if p.as_os_str() == "scenario" {
            return Ok(p.to_path_buf());
        }
        p.canonicalize()
            .map_err(|e| BadInput(format!("{}: cannot resolve the path: {e}", p.display())).into())
    };
    Ok(Request {
        command,
        scenario_file: absolute(scenario_file)?,
        plan_files: plan_files.iter().map(|p| absolute(p)).collect::<anyhow::Result<_>>()?,
        plan_files_given: plan_files,
        seed: options.seed,
        replications: options.replications,
        apply_shrinkage,
        cases: None,
    })
}

/// Simulates `shard`'s replications of `simulated` (every model on the same seeds) and writes
/// the part into `out/shard-K-of-N/`. A directory per shard, so that shards running at once on
/// several machines never share a staging directory.
///
/// # Errors
/// An unwritable `--out` (exit 2, before simulating), a failed run or write (exit 1).
#[allow(clippy::too_many_arguments)]
pub fn run_shard(
    out: &Path,
    scenario_name: &str,
    request: Request,
    shrinkage: f64,
    simulated: &[Scenario],
    options: &Options,
    shard: Shard,
    quiet: bool,
) -> anyhow::Result<()> {
    let dir = out.join(format!("shard-{}-of-{}", shard.index(), shard.count()));
    let set = output_dir("--out", Some(&dir))?;
    let block = shard.block(options.replications);
    let bar = progress_bar(crate::cli::Phase::Simulating, block.len() as u64 * simulated.len() as u64, quiet);
    let body = replicate::run_fold_range(
        simulated,
        options,
        block.clone(),
        &|| bar.tick(),
        Ok(partial::Body::default()),
        |body: &mut anyhow::Result<partial::Body>, records| {
            if let Ok(b) = body
                && let Err(e) = b.push(&records)
            {
                *body = Err(e);
            }
        },
    )??;
    bar.finish();
    let header = PartHeader {
        format: partial::FORMAT_VERSION,
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario_name.to_string(),
        model_hash: partial::fingerprint_run(&request, shrinkage, simulated),
        request,
        shard,
        first_replication: block.start,
        end_replication: block.end,
        first_case: None,
        end_case: None,
        records_per_replication: simulated.len(),
        body_bytes: 0,
        body_hash: String::new(),
    };
    let mut outputs = Outputs::new();
    outputs.write(set, |set| set.put_with(partial::FILE_NAME, |w| partial::write(w, header, &body)));
    conclude(&outputs, Ok(()))
}

/// Runs the cases of `shard`'s block of a run sharded by case (`request.cases`), one call of
/// `case` per case number in order, and writes their figures as the part into
/// `out/shard-K-of-N/`. `simulated` are the models the cases are built from (fingerprinted).
///
/// # Errors
/// An unwritable `--out` (exit 2, before simulating), a failed case or write (exit 1).
pub fn run_case_shard<T: serde::Serialize>(
    out: &Path,
    scenario_name: &str,
    request: Request,
    simulated: &[Scenario],
    shard: Shard,
    mut case: impl FnMut(u32) -> anyhow::Result<T>,
) -> anyhow::Result<()> {
    let count = request.cases.as_ref().map_or(0, |c| c.count);
    let dir = out.join(format!("shard-{}-of-{}", shard.index(), shard.count()));
    let set = output_dir("--out", Some(&dir))?;
    let block = shard.block(count);
    let mut body = partial::Body::default();
    for n in block.clone() {
        body.push(&case(n)?)?;
    }
    let header = PartHeader {
        format: partial::FORMAT_VERSION,
        ccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario_name.to_string(),
        model_hash: partial::fingerprint_run(&request, 0.0, simulated),
        first_replication: 0,
        end_replication: request.replications,
        request,
        shard,
        first_case: Some(block.start),
        end_case: Some(block.end),
        records_per_replication: simulated.len(),
        body_bytes: 0,
        body_hash: String::new(),
    };
    let mut outputs = Outputs::new();
    outputs.write(set, |set| set.put_with(partial::FILE_NAME, |w| partial::write(w, header, &body)));
    conclude(&outputs, Ok(()))
}

/// Arguments of `ccsim merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim simulate scenarios/retail-bank.toml -r 1000 --shard 1/2 --out parts\n  \
    ccsim simulate scenarios/retail-bank.toml -r 1000 --shard 2/2 --out parts\n  \
    ccsim merge parts --out results\n\n\
    Every shard must be present exactly once; parts of another run are refused.")]
#[command(mut_args(help_of(&[
    ("format", "Output on stdout (`csv`: merged simulate and sweep runs only)"),
    ("intervals", "Per-interval rows in the JSON and intervals.csv (merged simulate runs)"),
    ("out", "Write summary.json, intervals.csv, wait_distribution.csv and channels.csv (merged simulate runs), or sweep.csv and sweep.json (merged sweeps) into this directory, as `--out` of the command does"),
    ("charts", "Write the charts of the whole run into this directory"),
    ("report", "Write the HTML report of the whole run to this file (merged simulate runs)"),
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
}

/// Runs `ccsim merge`.
///
/// # Errors
/// Missing, doubled, foreign or damaged parts, a changed scenario (exit 2, before writing
/// anything); an output that fails (exit 1).
pub fn run(args: Args) -> anyhow::Result<()> {
    args.summary.check()?;
    let files = partial::find(&args.parts)?;
    let parts = files.iter().map(|f| partial::read_header(f)).collect::<Result<Vec<Part>, _>>()?;
    let parts = partial::check_set(parts)?;
    let request = parts[0].header.request.clone();
    let scenario_file = args.scenario.clone().unwrap_or_else(|| request.scenario_file.clone());
    let options = Options { replications: request.replications, seed: request.seed, threads: None };
    match request.command {
        Command::Simulate => {
            let scenario = load_scenario(&scenario_file, request.plan_files.first().map(PathBuf::as_path))?;
            let shrinkage = if request.apply_shrinkage { scenario.staffing.shrinkage } else { 0.0 };
            let simulated = replicate::on_the_phones(&scenario, shrinkage);
            partial::check_models(&parts[0], shrinkage, std::slice::from_ref(&simulated))?;
            let opened = SummaryOutputs::open(args.summary.out.as_deref(), &args.output)?;
            let mut summarizer = Summarizer::new(&simulated);
            fold_parts(&parts, std::slice::from_ref(&simulated), |records| summarizer.add(&records[0]))?;
            let mut summary = replicate::net_summary(&summarizer, &scenario, shrinkage, options.seed);
            // An event's impact is measured against the same seeds without the event: not part
            // of the shards' records, so the merge measures it as a one-process run does.
            summary.events = crate::risk::event_impacts(&simulated, &options)?;
            opened.write(&scenario, &scenario_file, summary, &args.summary.view(), |_| {})
        }
        Command::Compare => {
            for (flag, given) in
                [("--out", args.summary.out.is_some()), ("--report", args.output.report.is_some())]
            {
                if given {
                    return Err(BadInput(format!(
                        "{flag}: a comparison has no such output (merge of `compare` parts prints the \
                         comparison and writes --charts)"
                    ))
                    .into());
                }
            }
            let format = match args.summary.format {
                SimulateFormat::Table => OutputFormat::Table,
                SimulateFormat::Json => OutputFormat::Json,
                SimulateFormat::Csv => {
                    return Err(BadInput("--format csv: a comparison prints a table or json".into()).into());
                }
            };
            let scenario = load_scenario(&scenario_file, None)?;
            let mut plans = plan_inputs(&scenario, &request.plan_files)?;
            // Reports name each plan file as the user gave it to the shards.
            for (plan, given) in plans.iter_mut().zip(&request.plan_files_given) {
                if plan.file.is_some() {
                    plan.file = Some(given.clone());
                }
            }
            let shrinkage = if request.apply_shrinkage { scenario.staffing.shrinkage } else { 0.0 };
            let mut comparing = Comparing::new(&scenario, &plans, shrinkage);
            partial::check_models(&parts[0], shrinkage, &comparing.simulated)?;
            let charts = args.output.chart.open()?;
            let simulated = comparing.simulated.clone();
            fold_parts(&parts, &simulated, |records| comparing.add(&records))?;
            let result = comparing.finish(&options);
            let mut outputs = Outputs::new();
            charts.charts_only(&mut outputs, || comparison_chart_set(&result));
            let printed = match format {
                OutputFormat::Table => print(&comparison::table(&result)),
                OutputFormat::Json => print(&comparison::json(&result)),
            };
            conclude(&outputs, printed)
        }
        Command::Sweep => {
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
            let grid = sweep_grid(&base, &request)?;
            partial::check_models(&parts[0], 0.0, &grid.plan_scenarios())?;
            let outputs = SweepOutputs::open(
                args.summary.out.as_deref(),
                args.output.chart.charts.as_deref(),
                args.output.chart.chart_format,
            )?;
            let mut cases = Vec::with_capacity(grid.len());
            for part in &parts {
                partial::read_cases(part, |n, case: crate::sweep::CaseResult| {
                    check_case(part, n, grid.expected(n as usize), (case.case, case.plan.as_str()))?;
                    cases.push(case);
                    Ok(())
                })?;
            }
            outputs.write(&grid.assemble(&options, cases), format)
        }
        Command::Risk => {
            for (flag, given) in
                [("--out", args.summary.out.is_some()), ("--report", args.output.report.is_some())]
            {
                if given {
                    return Err(BadInput(format!(
                        "{flag}: a risk curve has no such output (merge of `risk` parts prints the curve \
                         and writes --charts)"
                    ))
                    .into());
                }
            }
            let format = match args.summary.format {
                SimulateFormat::Table => OutputFormat::Table,
                SimulateFormat::Json => OutputFormat::Json,
                SimulateFormat::Csv => {
                    return Err(BadInput("--format csv: a risk curve prints a table or json".into()).into());
                }
            };
            let scenario = load_scenario(&scenario_file, request.plan_files.first().map(PathBuf::as_path))?;
            partial::check_models(&parts[0], 0.0, std::slice::from_ref(&scenario))?;
            let headcounts = crate::cli::risk::headcounts_of(request.cases.as_ref())?;
            let charts = args.output.chart.open()?;
            let mut points = Vec::with_capacity(headcounts.len());
            for part in &parts {
                partial::read_cases(part, |n, point: crate::risk::CurvePoint| {
                    let expected = headcounts.get(n as usize).copied();
                    if expected != Some(point.agents) {
                        return Err(BadInput(format!(
                            "{}: case {n} is headcount {}, the run's case {n} is {expected:?}",
                            part.path.display(),
                            point.agents
                        )));
                    }
                    points.push(point);
                    Ok(())
                })?;
            }
            let curve = crate::risk::curve_of(&scenario, &options, points);
            crate::cli::risk::write_curve(&curve, charts, format)
        }
    }
}

/// The sweep a part's request describes, rebuilt from the scenario `base` and its plan files.
///
/// # Errors
/// A plan file that no longer loads, or cases that do not parse (exit 2).
fn sweep_grid(base: &Scenario, request: &Request) -> anyhow::Result<crate::sweep::Grid> {
    let varies = request
        .cases
        .as_ref()
        .map(|c| c.axes.iter().map(|a| a.parse::<crate::sweep::Vary>()).collect::<Result<Vec<_>, _>>())
        .transpose()
        .map_err(|e| BadInput(format!("damaged part header: cases: {e}")))?
        .unwrap_or_default();
    let plans = crate::cli::sweep::plans_of(base, &request.plan_files)?;
    Ok(crate::sweep::Grid::new(&varies, plans)?)
}

/// Checks that case `n` of a part is the case the run's grid has at `n`.
fn check_case(
    part: &Part,
    n: u32,
    expected: Option<(crate::sweep::Case, &str)>,
    found: (crate::sweep::Case, &str),
) -> Result<(), BadInput> {
    if expected == Some(found) {
        return Ok(());
    }
    Err(BadInput(format!(
        "{}: case {n} is {:?} of plan {:?}, not the run's case {n}",
        part.path.display(),
        found.0,
        found.1
    )))
}

/// Feeds the records of every part, in shard order (replication order), to `add`; checks each
/// against the shape of a record of `simulated`.
fn fold_parts(
    parts: &[Part],
    simulated: &[Scenario],
    mut add: impl FnMut(Vec<Replication>),
) -> anyhow::Result<()> {
    let expected: Vec<Replication> = simulated.iter().map(empty_record).collect();
    for part in parts {
        partial::read_body(part, &expected, &mut add)?;
    }
    Ok(())
}

/// A record with the shape every replication of `scenario` has (the lengths `merge` checks).
fn empty_record(scenario: &Scenario) -> Replication {
    let counts =
        crate::sim::Counts::new(scenario.grid.len(), scenario.call_types.len(), scenario.agent_groups.len());
    Replication::from_counts(scenario, &counts)
}
