//! `ccsim risk`: the risk curve, the probability that a replication (a day, a week) meets the
//! service-level goal against headcount, with the plan's on-duty profile scaled to each
//! headcount; or one shard of its headcounts (`--shard K/N`), merged by `ccsim merge`.

use std::path::PathBuf;

use crate::cli::args::{ChartArgs, ChartsAndReport, help_of};
use crate::cli::shard::{self, ShardOutArgs};
use crate::cli::{OutputFormat, Phase, RunOptions, conclude, load_scenario, print, progress_bar};
use crate::error::BadInput;
use crate::partial::Command;
use crate::report::chart::family;
use crate::report::output::{Input, Outputs, refuse_overlaps};
use crate::risk::RiskCurve;
use crate::usecase;

/// Most headcounts one curve simulates.
pub const MAX_POINTS: u32 = 1000;

/// Arguments of `ccsim risk`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim risk scenarios/retail-bank.toml --agents-range 40..56 --step 2\n  \
    ccsim risk scenarios/launch-week.toml --agents-range 40..70 --step 2 --charts charts/\n\n\
    Each headcount is the number of agents on duty at the plan's busiest interval: the plan's \
    on-duty profile (each group, each interval) is scaled to it and rounded. Every headcount is \
    simulated on the same seeds, so the curve is smooth. `--shard K/N --out DIR` runs the Kth \
    block of the headcounts, for `ccsim merge`.")]
#[command(mut_args(help_of(&[("charts", "Write risk.png (the curve) into this directory")])))]
pub struct Args {
    /// Scenario file (TOML).
    pub file: PathBuf,
    #[command(flatten)]
    pub run: RunOptions,
    /// Headcounts to simulate, `FROM..TO` (both included), e.g. `10..40`.
    #[arg(long, value_name = "FROM..TO", value_parser = parse_range, allow_hyphen_values = true)]
    pub agents_range: (u32, u32),
    /// Simulate every `STEP`th headcount of the range (and TO).
    #[arg(long, default_value_t = 1, value_parser = crate::cli::args::whole::<u32, 1, { u32::MAX as u64 }>, allow_negative_numbers = true)]
    pub step: u32,
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Chart (risk.png).
    #[command(flatten)]
    pub output: ChartArgs,
    /// Take the scenario's `[staffing] shrinkage` out of each scaled plan before simulating, as
    /// `ccsim schedule` does (headcounts still count every agent on duty).
    #[arg(long)]
    pub apply_shrinkage: bool,
    #[command(flatten)]
    pub shard: ShardOutArgs,
}

/// Writes risk.png into `charts` and prints `curve` in `format`: `risk` and `merge` share it.
/// The chart marks the plan as it is, at its own peak headcount.
///
/// # Errors
/// As [`conclude`].
pub fn write_curve(curve: &RiskCurve, charts: ChartsAndReport, format: OutputFormat) -> anyhow::Result<()> {
    let mut outputs = Outputs::new();
    let peak = curve.plan_peak_agents;
    charts.charts_only(&mut outputs, || vec![crate::report::chart::risk::risk_chart(curve, Some(peak))]);
    let printed = match format {
        OutputFormat::Table => print(&crate::report::risk::curve_table(curve)),
        OutputFormat::Json => print(&(serde_json::to_string_pretty(curve)? + "\n")),
    };
    conclude(&outputs, printed)
}

/// `FROM..TO` into (from, to).
fn parse_range(text: &str) -> Result<(u32, u32), String> {
    let (from, to) =
        text.split_once("..").ok_or_else(|| format!("expected FROM..TO like 10..40, got \"{text}\""))?;
    let number = |s: &str| {
        s.trim()
            .parse::<u32>()
            .map_err(|_| format!("\"{s}\" is not a whole number of agents (in \"{text}\"); expected FROM..TO with 1 <= FROM <= TO"))
    };
    let (from, to) = (number(from)?, number(to.trim_start_matches('='))?);
    if from == 0 || from > to {
        return Err(format!("expected 1 <= FROM <= TO, got {from}..{to}"));
    }
    Ok((from, to))
}

/// Runs `ccsim risk`.
///
/// # Errors
/// Bad scenario, plan or range (exit 2); an output that cannot be written.
pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = load_scenario(&args.file, args.run.plan.as_deref())?;
    let options = args.run.options(&scenario)?;
    crate::cli::args::warn_if_no_shrinkage(args.apply_shrinkage, &scenario, &args.file);
    let shrinkage = usecase::off_the_phones(&scenario, args.apply_shrinkage);
    let (from, to) = args.agents_range;
    if to > crate::limits::MAX_AGENTS {
        return Err(BadInput(format!(
            "--agents-range: {to} agents is more than the cap of {} (MAX_AGENTS)",
            crate::limits::MAX_AGENTS
        ))
        .into());
    }
    // Counted before any list is made: 1..4294967295 would be a list of 16 GB. TO is always a
    // point, as the range says, even where the steps pass it.
    let span = u64::from(to - from);
    let passes_to = span % u64::from(args.step) != 0;
    let points = span / u64::from(args.step) + 1 + u64::from(passes_to);
    if points > u64::from(MAX_POINTS) {
        return Err(BadInput(format!(
            "--agents-range {from}..{to} with --step {}: {points} headcounts{}, more than the cap of \
             {MAX_POINTS}; use a larger --step",
            args.step,
            if passes_to { " (TO among them)" } else { "" },
        ))
        .into());
    }
    let mut headcounts: Vec<u32> = (from..=to).step_by(args.step as usize).collect();
    if headcounts.last() != Some(&to) {
        headcounts.push(to);
    }
    if let Some(shard) = args.shard.resolve()? {
        shard::refuse_charts(args.output.charts.as_deref(), "chart of the whole curve")?;
        shard::refuse_merge_flag(args.format != OutputFormat::Table, "--format")?;
        let plan_files = args.run.plan.iter().cloned().collect();
        let mut request =
            shard::request(Command::Risk, &args.file, plan_files, &options, args.apply_shrinkage)?;
        request.cases = Some(usecase::shard::risk_cases(&headcounts));
        let scenarios = std::slice::from_ref(&scenario);
        let quiet = args.run.replication.quiet;
        return shard::run_cases(
            request,
            &scenario.name,
            scenarios,
            args.shard.out.as_deref(),
            shard,
            Phase::SimulatingPlans,
            quiet,
            |n, tick| crate::risk::curve_point(&scenario, headcounts[n as usize], &options, shrinkage, tick),
        );
    }
    refuse_overlaps(
        &Input::with_scenario(&[("FILE", Some(&args.file)), ("--plan", args.run.plan.as_deref())], &scenario),
        &[],
        &[args.output.held(&family::RISK)],
    )?;
    let charts = args.output.open(&family::RISK)?;
    let bar = progress_bar(
        Phase::SimulatingPlans,
        u64::from(options.replications) * headcounts.len() as u64,
        args.run.replication.quiet,
    );
    let curve = crate::risk::curve(&scenario, &headcounts, &options, shrinkage, &|| bar.tick())?;
    bar.finish();
    write_curve(&curve, charts, args.format)
}
