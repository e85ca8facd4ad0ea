//! The command line: clap definitions and dispatch. Each subcommand lives in `cli/<name>.rs`
//! with its `Args` and a `run` that loads input, turns the flags into the request of its use
//! case ([`crate::usecase`]), and writes the result through `report`. No computation happens
//! here.

pub mod args;
pub mod chart;
pub mod compare;
pub mod completions;
pub mod erlang;
pub mod fit;
pub mod init;
pub mod man;
pub mod merge;
pub mod risk;
pub mod schedule;
pub mod schema;
pub mod shard;
pub mod simulate;
pub mod staff;
pub mod sweep;
pub mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::model::Scenario;
use crate::report::output::{OutputSet, Outputs};
pub use args::ReplicationArgs;

/// ccsim: call-center queue simulator and staffing planner.
#[derive(Debug, Parser)]
#[command(
    name = "ccsim",
    version,
    about = "Call-center queue simulator and staffing planner: Erlang B/C/A/X, simulation, shift plans",
    long_about = "Call-center queue simulator and staffing planner.\n\n\
        Analytic staffing (Erlang B, C, A and X), discrete-event simulation of scenario files \
        (abandonment, redials, transfers, skills, shifts and breaks, chat and email, telephone \
        lines and callbacks, bad days), staffing requirements, shift-plan optimisation, fair plan \
        comparison, what-if sweeps and runs sharded over a cluster; scenarios fitted from a \
        phone system's call log.",
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
    /// Fit a scenario to a phone system's call log (volumes, handle time, patience, redials).
    Fit(fit::Args),
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
    /// What-if grid: volume, handle time and headcount cases on the same callers.
    Sweep(sweep::Args),
    /// Merge the partial results of a sharded run (`--shard K/N`) into the whole run's outputs.
    Merge(merge::Args),
    /// Risk curve: probability of meeting the goal against headcount.
    Risk(risk::Args),
    /// Print the shell completion script for bash, zsh, fish, PowerShell or elvish.
    Completions(completions::Args),
    /// Print the manual page, or write one page per command with `--out DIR`.
    Man(man::Args),
}

/// Runs one command.
///
/// # Errors
/// Whatever the command returns; [`crate::error::exit_code`] maps it to an exit code.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Erlang(args) => erlang::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Fit(args) => fit::run(args),
        Command::Init(args) => init::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Chart(args) => chart::run(args),
        Command::Staff(args) => staff::run(args),
        Command::Schedule(args) => schedule::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Risk(args) => risk::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
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
    /// Replications, seed, threads and progress.
    #[command(flatten)]
    pub replication: ReplicationArgs,
}

impl RunOptions {
    /// Replication options: flags over the scenario's defaults (see [`ReplicationArgs`]).
    ///
    /// # Errors
    /// Zero replications or threads, or more replications than the caps allow (exit 2).
    pub fn options(&self, scenario: &Scenario) -> anyhow::Result<crate::replicate::Options> {
        self.replication.options(scenario)
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

/// Prints the warnings about the coverage of each plan of `plans` (the files of several
/// `--plan`s, `scenario` standing for the scenario's own) that `simulate --plan` prints,
/// beyond the scenario's own (printed when it was loaded): a plan compared or swept is
/// warned about as the same plan simulated.
///
/// # Errors
/// A plan file that does not load (exit 2).
pub fn print_plan_warnings(file: &Path, plans: &[PathBuf]) -> anyhow::Result<()> {
    let own = crate::scenario::load_with_plan(file, None)?.warnings;
    for plan in plans.iter().filter(|p| p.as_os_str() != "scenario") {
        for warning in crate::scenario::load_with_plan(file, Some(plan))?.warnings {
            if !own.contains(&warning) {
                eprintln!("warning: {warning}");
            }
        }
    }
    Ok(())
}

/// Prints to stdout; a closed pipe (`| head`) ends quietly instead of failing.
///
/// # Errors
/// Any other write error.
pub fn print(text: &str) -> anyhow::Result<()> {
    print_with(|w| w.write_all(text.as_bytes()))
}

/// Streams to stdout through a buffer (large JSON is never held whole in memory); a closed
/// pipe ends quietly instead of failing.
///
/// # Errors
/// Any other write error.
pub fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Ends a command that wrote files: says on stderr what was written (`wrote: PATH`), then
/// returns what printing stdout returned, or, when some output could not be written after the
/// run, an error naming each (exit 1). The report was printed and the other outputs written.
///
/// # Errors
/// The printing error, or the outputs not written.
pub fn conclude(outputs: &Outputs, printed: anyhow::Result<()>) -> anyhow::Result<()> {
    for path in outputs.written() {
        eprintln!("wrote: {}", path.display());
    }
    printed?;
    outputs.result()
}

/// Opens the output set of a directory flag, if given, owning the file names `files` (see
/// [`crate::report::output`]).
///
/// # Errors
/// Bad input (exit 2) naming the flag when the directory cannot be created or written, or one
/// of `files` is taken there by a directory.
pub fn output_dir(flag: &str, dir: Option<&Path>, files: &[&str]) -> anyhow::Result<Option<OutputSet>> {
    Ok(dir.map(|d| OutputSet::dir(flag, d)).transpose()?.map(|set| set.owning(files)).transpose()?)
}

/// Opens the output set of a file flag, if given (see [`crate::report::output`]).
///
/// # Errors
/// Bad input (exit 2) naming the flag when the file's directory is missing or not writable.
pub fn output_file(flag: &str, path: Option<&Path>) -> anyhow::Result<Option<OutputSet>> {
    path.map(|p| OutputSet::file(flag, p)).transpose()
}

/// Writes `bytes` as the one file of a set made by [`output_file`].
///
/// # Errors
/// When it cannot be written.
pub fn put_file(set: &mut OutputSet, bytes: &[u8]) -> anyhow::Result<()> {
    let name = set.file_name().to_string();
    set.put(&name, bytes)
}

pub use crate::usecase::Phase;

/// A progress bar on stderr that appears only once a phase has taken a second, and never
/// when stderr is not a terminal or with `--quiet`.
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
    shown: AtomicBool,
    enabled: bool,
    /// Set when the bar is removed, under the lock a spinner's delayed drawing takes too, so
    /// that a spinner is never drawn after its phase is over.
    finished: std::sync::Arc<std::sync::Mutex<bool>>,
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
        let mut finished = self.finished.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *finished = true;
        self.bar.finish_and_clear();
    }
}

/// A progress bar of `total` steps of `phase`. A phase without steps
/// ([`Phase::OptimisingShifts`], [`Phase::SearchingChatExact`]) gets a spinner that turns on
/// its own and, as a bar, appears only once the phase has taken a second (a quick phase
/// leaves no flicker on the terminal).
pub fn progress_bar(phase: Phase, total: u64, quiet: bool) -> Progress {
    use std::io::IsTerminal;
    let enabled = !quiet && std::io::stderr().is_terminal();
    let bar = match phase.unit() {
        Some(_) => {
            indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::hidden())
        }
        None => indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden()),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(&phase.template()) {
        bar.set_style(style);
    }
    let finished = std::sync::Arc::new(std::sync::Mutex::new(false));
    if phase.unit().is_none() && enabled {
        // No step will ever tick it: it turns by itself, and is drawn after a second unless
        // the phase is over by then.
        bar.enable_steady_tick(Duration::from_millis(200));
        let (spinner, over) = (bar.clone(), std::sync::Arc::clone(&finished));
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(1));
            let over = over.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !*over {
                spinner.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        });
    }
    Progress { bar, started: Instant::now(), shown: AtomicBool::new(false), enabled, finished }
}

/// Progress bars on stderr for a use case's phases, one bar at a time (see [`progress_bar`]).
pub struct Bars {
    quiet: bool,
    current: std::sync::Mutex<Option<Progress>>,
}

impl Bars {
    /// Bars, or none at all with `--quiet`.
    pub fn new(quiet: bool) -> Bars {
        Bars { quiet, current: std::sync::Mutex::new(None) }
    }

    fn current(&self) -> std::sync::MutexGuard<'_, Option<Progress>> {
        // A poisoned lock only means a thread panicked while ticking; the bar is still whole.
        self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl crate::usecase::Progress for Bars {
    fn start(&self, phase: Phase, steps: u64) {
        // A phase of countable steps with none to count shows nothing.
        let quiet = self.quiet || (phase.unit().is_some() && steps == 0);
        *self.current() = Some(progress_bar(phase, steps, quiet));
    }

    fn tick(&self) {
        if let Some(bar) = self.current().as_ref() {
            bar.tick();
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.current().take() {
            bar.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_phase_counts_in_its_own_unit() {
        assert_eq!(
            Phase::SearchingStaffing.template(),
            "searching interval staffing: {bar:40} {pos}/{len} searches, {eta} left"
        );
        assert_eq!(
            Phase::SimulatingPlan.template(),
            "simulating the plan: {bar:40} {pos}/{len} replications, {eta} left"
        );
        assert_eq!(Phase::OptimisingShifts.template(), "optimising shifts: {spinner} {elapsed}");
        assert_eq!(
            Phase::SearchingChatExact.template(),
            "searching the exact chat model's required agents: {spinner} {elapsed}"
        );
        assert_eq!(
            Phase::SolvingChatExactRows.template(),
            "solving the exact chat model: {bar:40} {pos}/{len} agent counts, {eta} left"
        );
        assert_eq!(
            Phase::SolvingChatExact.template(),
            "solving the exact chat model: {bar:40} {pos}/{len} chat cells, {eta} left"
        );
        for phase in [
            Phase::Simulating,
            Phase::SimulatingPlans,
            Phase::SearchingStaffing,
            Phase::OptimisingShifts,
            Phase::SimulatingPlan,
            Phase::SolvingChatExact,
            Phase::SearchingChatExact,
            Phase::SolvingChatExactRows,
        ] {
            assert!(indicatif::ProgressStyle::with_template(&phase.template()).is_ok(), "{phase:?}");
        }
    }
}
