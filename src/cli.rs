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

use clap::{Parser, Subcommand};

/// ccsim: call-center queue simulator and staffing planner.
#[derive(Debug, Parser)]
#[command(
    name = "ccsim",
    version,
    about = "Call-center queue simulator and staffing planner: Erlang B/C/A, simulation, shift plans",
    long_about = "Call-center queue simulator and staffing planner.\n\n\
        Analytic staffing (Erlang C and Erlang A), discrete-event simulation of scenario files \
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
    /// Erlang C / Erlang A metrics and required agents for one interval.
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
