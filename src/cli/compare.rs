//! `ccsim compare`: several shift plans on the same scenario and the same callers, side by
//! side, with paired differences.

use std::path::{Path, PathBuf};

use crate::cli::args::{ReplicationArgs, ReportArgs, help_of};
use crate::cli::shard;
use crate::cli::shard::ShardOutArgs;
use crate::cli::{Bars, OutputFormat, conclude, load_scenario, print, print_plan_warnings};
use crate::error::BadInput;
use crate::report::chart::comparison::comparison_chart_set;
use crate::report::chart::family;
use crate::report::comparison;
use crate::report::output::{Input, Outputs, refuse_overlaps};
use crate::usecase::{self, compare};

/// Arguments of `ccsim compare`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim compare scenarios/retail-bank.toml --plan scenarios/plans/retail-bank-late.toml \
    --plan scenarios/plans/retail-bank-lean.toml\n  \
    ccsim compare scenarios/retail-bank.toml --plan scenario --plan scenarios/plans/retail-bank-late.toml -r 50 --format json\n\n\
    `--plan scenario` stands for the scenario's own shifts. Differences are against the first plan.")]
#[command(mut_args(help_of(&[
    ("replications", "Replications per plan (default: the scenario's)"),
    ("seed", "Base seed (default: the scenario's)"),
    ("threads", "Worker threads (default: one per core)"),
    ("charts", "Write compare.png and compare_cost.png into this directory"),
])))]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Plan files (TOML or CSV) to compare, two or more; `scenario` = the scenario's own plan.
    /// With a single plan, the scenario's own plan is compared against it.
    #[arg(long = "plan", value_name = "FILE", required = true)]
    pub plans: Vec<PathBuf>,
    /// Replications per plan, seed shared by every plan, threads and progress.
    #[command(flatten)]
    pub replication: ReplicationArgs,
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Charts (compare.png, compare_cost.png) and the HTML report.
    #[command(flatten)]
    pub output: ReportArgs,
    /// Take the scenario's `[staffing] shrinkage` out of every plan's agents before simulating,
    /// as `ccsim schedule` does (paid hours and cost still count every agent).
    #[arg(long)]
    pub apply_shrinkage: bool,
    #[command(flatten)]
    pub shard: ShardOutArgs,
}

/// The plans to compare, read from the `--plan` files in order (`ccsim merge` reads a sharded
/// comparison's plans with it too).
pub use crate::usecase::compare::plan_inputs;

/// Refuses a comparison whose report or chart would replace the scenario `file` (named as the
/// command names it, `FILE` or `the scenario`), a plan file, or a file the scenario reads
/// (`compare`, and `merge` of compare parts).
///
/// # Errors
/// Bad input naming the flag and the file read (exit 2).
pub fn refuse_compare_overlaps(
    (label, file): (&str, &Path),
    plans: &[PathBuf],
    scenario: &crate::model::Scenario,
    output: &crate::cli::args::ReportArgs,
) -> Result<(), BadInput> {
    let plan_files = plans.iter().filter(|p| p.as_os_str() != "scenario");
    let flags: Vec<(&str, Option<&Path>)> = std::iter::once((label, Some(file)))
        .chain(plan_files.map(|p| ("--plan", Some(p.as_path()))))
        .collect();
    refuse_overlaps(
        &Input::with_scenario(&flags, scenario),
        &[("--report", output.report.as_deref())],
        &[output.chart.held(&family::COMPARISON)],
    )
}

/// Runs `ccsim compare`.
///
/// # Errors
/// Bad scenario or plan files (exit 2).
pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.file, None)?;
    refuse_compare_overlaps(("FILE", &args.file), &args.plans, &scenario, &args.output)?;
    let mut files = args.plans.clone();
    if files.len() == 1 && files[0].as_os_str() == "scenario" {
        return Err(BadInput(
            "--plan: a single --plan is compared with the scenario's own plan, `scenario`, so \
             `--plan scenario` alone compares it with itself: give another plan"
                .into(),
        )
        .into());
    }
    if files.len() == 1 {
        files.insert(0, PathBuf::from("scenario"));
    }
    let plans = plan_inputs(&scenario, &files)?;
    print_plan_warnings(&args.file, &files)?;
    let options = args.replication.options(&scenario)?;
    crate::cli::args::warn_if_no_shrinkage(args.apply_shrinkage, &scenario, &args.file);
    if let Some(shard_of_run) = args.shard.resolve()? {
        if let Some(flag) = args.output.given() {
            return Err(BadInput(format!(
                "{flag}: not written by a shard; give it to `ccsim merge`, which writes the charts and \
                 report of the whole comparison"
            ))
            .into());
        }
        shard::refuse_merge_flag(args.format != OutputFormat::Table, "--format")?;
        let job = usecase::shard::compare(&scenario, &files, &plans, args.apply_shrinkage);
        let (out, quiet) = (args.shard.out.as_deref(), args.replication.quiet);
        return shard::run(job, &scenario, &args.file, out, &options, shard_of_run, quiet);
    }
    // Opened before the run: an unwritable path fails now, not after it.
    let charts_and_report = args.output.open(&family::COMPARISON)?;
    let request = compare::Request { options, apply_shrinkage: args.apply_shrinkage };
    let result = compare::compare(&scenario, &plans, &request, &Bars::new(args.replication.quiet))?;
    let mut outputs = Outputs::new();
    charts_and_report.write(
        &mut outputs,
        (&scenario, &args.file),
        || comparison_chart_set(&result),
        |run| {
            let goals = crate::report::html::Goals::of(&scenario);
            crate::report::html::planning::compare_report(&result, run, &goals)
        },
    );
    let printed = match args.format {
        OutputFormat::Table => print(&comparison::table(&result)),
        OutputFormat::Json => print(&comparison::json(&result)),
    };
    conclude(&outputs, printed)
}
