//! The command line: clap definitions and dispatch. Each subcommand lives in `cli/<name>.rs`
//! with its `Args` and a `run` that loads input, calls the library, and hands results to
//! `report`. No computation happens here.

pub mod chart;
pub mod compare;
pub mod erlang;
pub mod init;
pub mod schedule;
pub mod schema;
pub mod simulate;
pub mod staff;
pub mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::BadInput;
use crate::model::Scenario;

/// ccsim: call-center queue simulator and staffing planner.
#[derive(Debug, Parser)]
#[command(
    name = "ccsim",
    version,
    about = "Call-center queue simulator and staffing planner: Erlang B/C/A/X, simulation, shift plans",
    long_about = "Call-center queue simulator and staffing planner.\n\n\
        Analytic staffing (Erlang B, C, A and X), discrete-event simulation of scenario files \
        (abandonment, redials, transfers, skills, shifts and breaks), staffing requirements, \
        shift-plan optimisation and fair plan comparison.",
    after_help = "Examples:\n  \
        ccsim erlang --calls 100 --interval 30m --aht 180s --target 20s --sl-goal 0.8\n  \
        ccsim simulate scenarios/retail-bank.toml\n  \
        ccsim validate scenarios/*.toml\n\n\
        Exit codes: 0 success, 2 bad input or usage, 1 other failure."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Erlang B / C / A / X metrics and required agents or lines for one interval.
    Erlang(erlang::Args),
    /// Check scenario files and summarise them.
    Validate(validate::Args),
    /// Write a commented starter scenario.
    Init(init::Args),
    /// Print the JSON Schema of the scenario format.
    Schema(schema::Args),
    /// Simulate a scenario: service level, waits, abandonment, occupancy.
    Simulate(simulate::Args),
    /// Re-draw the charts of a saved simulation (`simulate --out DIR`).
    Chart(chart::Args),
    /// Required agents per interval: Erlang C, Erlang A and simulation.
    Staff(staff::Args),
    /// Build the cheapest shift plan that covers the requirement.
    Schedule(schedule::Args),
    /// Compare shift plans on the same callers (common random numbers).
    Compare(compare::Args),
}

/// Runs one command.
///
/// # Errors
/// Whatever the command returns; [`crate::error::exit_code`] maps it to an exit code.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Erlang(args) => erlang::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Init(args) => init::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Chart(args) => chart::run(args),
        Command::Staff(args) => staff::run(args),
        Command::Schedule(args) => schedule::run(args),
        Command::Compare(args) => compare::run(args),
    }
}

/// Output on stdout for commands that print a report.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned table with units, for people.
    Table,
    /// JSON, for scripts (a documented contract).
    Json,
}

/// Options shared by every command that simulates a scenario.
#[derive(Debug, Clone, clap::Args)]
pub struct RunOptions {
    /// Shift plan file (TOML or CSV) replacing the scenario's own shifts and staffing.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Replications (default: the scenario's `[simulation] replications`).
    #[arg(long, short = 'r')]
    pub replications: Option<u32>,
    /// Base seed (default: the scenario's `[simulation] seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core); results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl RunOptions {
    /// Replication options: flags over the scenario's defaults.
    ///
    /// # Errors
    /// Zero replications or threads (exit 2).
    pub fn options(&self, scenario: &Scenario) -> anyhow::Result<crate::replicate::Options> {
        let replications = self.replications.unwrap_or(scenario.simulation.replications);
        if replications == 0 {
            return Err(BadInput("--replications: must be at least 1, got 0".into()).into());
        }
        if self.threads == Some(0) {
            return Err(BadInput("--threads: must be at least 1, got 0".into()).into());
        }
        Ok(crate::replicate::Options {
            replications,
            seed: self.seed.unwrap_or(scenario.simulation.seed),
            threads: self.threads,
        })
    }
}

/// Loads and validates a scenario (and a plan replacing its own), printing warnings.
///
/// # Errors
/// Every problem found in the files (exit 2).
pub fn load_scenario(path: &Path, plan: Option<&Path>) -> anyhow::Result<Scenario> {
    let loaded = crate::scenario::load_with_plan(path, plan)?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(loaded.scenario)
}

/// Prints to stdout; a closed pipe (`| head`) ends quietly instead of failing.
///
/// # Errors
/// Any other write error.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A progress bar on stderr that appears only once a run has taken a second, and never
/// when stderr is not a terminal or with `--quiet`.
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
    shown: AtomicBool,
    enabled: bool,
}

impl Progress {
    /// One step done (callable from any thread).
    pub fn tick(&self) {
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > Duration::from_secs(1)
        {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.inc(1);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A progress bar of `total` steps (replications).
pub fn progress_bar(total: u64, quiet: bool) -> Progress {
    use std::io::IsTerminal;
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::hidden());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {eta} left")
    {
        bar.set_style(style);
    }
    Progress {
        bar,
        started: Instant::now(),
        shown: AtomicBool::new(false),
        enabled: !quiet && std::io::stderr().is_terminal(),
    }
}
