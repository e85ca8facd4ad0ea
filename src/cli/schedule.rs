//! `ccsim schedule`: the cheapest shift plan, from the scenario's shift templates, that covers
//! the staffing requirement; then that plan simulated.

use std::path::PathBuf;

use crate::cli::args::{ReportArgs, help_of};
use crate::cli::{Bars, OutputFormat, RunOptions, conclude, load_scenario, output_file, print, put_file};
use crate::error::BadInput;
use crate::report::chart::family;
use crate::report::output::{Input, Outputs, refuse_overlaps};
use crate::report::schedule as view;
use crate::scenario;
use crate::staffing::Method;
use crate::usecase::schedule::{Request, RequirementSource, has_templates, schedule};

/// Arguments of `ccsim schedule`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim schedule scenarios/retail-bank.toml --out plan.toml\n  \
    ccsim staff scenarios/retail-bank.toml --out staffing/ && \
    ccsim schedule scenarios/retail-bank.toml --requirement staffing/requirement.toml\n  \
    ccsim schedule scenarios/retail-bank.toml --method erlang-a --format json --charts charts/\n\n\
    The requirement (agents on duty per interval and group) is raised by the scenario's \
    [staffing] shrinkage before shifts are chosen.")]
#[command(mut_args(help_of(&[
    ("charts", "Write coverage.png into this directory"),
    (
        "plan",
        "Not used by schedule, which builds the plan from the scenario's [[shift_templates]]: to \
         schedule against another plan's staffing, give that plan as --requirement FILE"
    ),
])))]
pub struct Args {
    /// Scenario file (TOML) with `[[shift_templates]]`.
    pub file: PathBuf,
    /// Requirement file written by `ccsim staff --out DIR` (DIR/requirement.toml), or any plan
    /// file; default: computed now by `--method`.
    #[arg(long, value_name = "FILE")]
    pub requirement: Option<PathBuf>,
    /// How to compute the requirement when no `--requirement` file is given.
    #[arg(long, value_enum, default_value_t = Method::Simulation)]
    pub method: Method,
    /// Write the plan (a `[[shifts]]` file usable with `--plan`) to this file.
    #[arg(long, value_name = "FILE.toml")]
    pub out: Option<PathBuf>,
    /// Optimality gap at which the solver stops (0.005 = 0.5%).
    #[arg(long, default_value_t = 0.005, allow_negative_numbers = true)]
    pub mip_gap: f64,
    /// Wall-clock limit of the solver, s: it returns its best plan then. The search usually
    /// ends sooner, on its own work budgets, which give the same plan on any machine. Limits
    /// above 2592000 (30 days) are taken as 30 days. A number of seconds, or a duration (2m).
    #[arg(long, default_value_t = 60.0, value_parser = seconds_or_duration, allow_negative_numbers = true)]
    pub time_limit: f64,
    /// Also write the integer program as a CPLEX LP file, to solve or inspect with another
    /// solver (HiGHS, CBC, SCIP, Gurobi, CPLEX read it).
    #[arg(long, value_name = "FILE.lp")]
    pub write_lp: Option<PathBuf>,
    /// Replications, seed and threads of the simulations.
    #[command(flatten)]
    pub run: RunOptions,
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Charts (coverage.png) and the HTML report.
    #[command(flatten)]
    pub output: ReportArgs,
}

/// Runs `ccsim schedule`.
///
/// # Errors
/// Bad scenario, requirement or flags (exit 2); a solver failure (exit 1).
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.run.plan.is_some() {
        return Err(BadInput(
            "--plan: schedule builds a plan; give a requirement with --requirement FILE instead".into(),
        )
        .into());
    }
    if !(args.mip_gap >= 0.0 && args.mip_gap < 1.0) {
        return Err(BadInput(format!("--mip-gap: must be in [0, 1), got {}", args.mip_gap)).into());
    }
    if !(args.time_limit > 0.0 && args.time_limit.is_finite()) {
        return Err(BadInput(format!(
            "--time-limit: must be a positive, finite number of seconds (a limit above {} s, {} days, \
             is taken as {} days), got {}",
            crate::schedule::MAX_TIME_LIMIT,
            crate::schedule::MAX_TIME_LIMIT / crate::time::DAY,
            crate::schedule::MAX_TIME_LIMIT / crate::time::DAY,
            args.time_limit
        ))
        .into());
    }
    let scenario = load_scenario(&args.file, None)?;
    has_templates(&scenario)?;
    let options = args.run.options(&scenario)?;
    refuse_overlaps(
        &Input::with_scenario(
            &[
                ("FILE", Some(&args.file)),
                ("--plan", args.run.plan.as_deref()),
                ("--requirement", args.requirement.as_deref()),
            ],
            &scenario,
        ),
        &[
            ("--out", args.out.as_deref()),
            ("--write-lp", args.write_lp.as_deref()),
            ("--report", args.output.report.as_deref()),
        ],
        &[args.output.chart.held(&family::SCHEDULE)],
    )?;
    // Outputs are opened before any work: an unwritable path fails now, not after the run.
    let out = output_file("--out", args.out.as_deref())?;
    let write_lp = output_file("--write-lp", args.write_lp.as_deref())?;
    let charts_and_report = args.output.open(&family::SCHEDULE)?;
    let requirement = match &args.requirement {
        Some(file) => RequirementSource::Plan {
            plan: scenario::load_plan_given_as(file, &scenario, "--requirement")?,
            file: file.clone(),
        },
        None => RequirementSource::Method(args.method),
    };
    let request = Request {
        requirement,
        mip_gap: args.mip_gap,
        time_limit: args.time_limit,
        plan_name: args
            .out
            .as_ref()
            .and_then(|p| p.file_stem())
            .map_or("schedule".into(), |s| s.to_string_lossy().into_owned()),
        options,
    };
    let mut lp = Vec::new();
    let scheduled = schedule(
        &scenario,
        &request,
        &Bars::new(args.run.replication.quiet),
        write_lp.is_some().then_some(&mut lp),
    );
    let mut outputs = Outputs::new();
    if !lp.is_empty() {
        outputs.write(write_lp, |set| put_file(set, &lp));
    }
    let scheduled = scheduled?;
    let r = &scheduled.report;
    outputs.write(out, |set| put_file(set, scheduled.plan_toml(&scenario).as_bytes()));
    charts_and_report.write(
        &mut outputs,
        (&scenario, &args.file),
        || vec![view::coverage_chart(r)],
        |run| {
            crate::report::html::planning::schedule_report(r, run, &crate::report::html::Goals::of(&scenario))
        },
    );
    let printed = match args.format {
        OutputFormat::Table => print(&view::table(r)),
        OutputFormat::Json => print(&view::json(r)),
    };
    conclude(&outputs, printed)
}

/// `--time-limit`: a number of seconds as given (`inf` and `-5` too, which the command refuses
/// saying what it takes), or a duration as every other duration flag takes it (`2m`, `1h`).
fn seconds_or_duration(text: &str) -> Result<f64, String> {
    // A duration's own complaint (too long, a unit out of order) is kept: it says what to change.
    text.trim().parse::<f64>().or_else(|_| crate::time::parse_duration(text))
}
