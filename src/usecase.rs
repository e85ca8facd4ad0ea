//! The use cases, one library function each: [`simulate::simulate`], [`staff::staff`],
//! [`schedule::schedule`], [`compare::compare`] and [`erlang::erlang`]. Each takes a validated
//! scenario (or an Erlang request) and a request of options, runs every step of the command in
//! order and returns its result type; `cli` only turns flags into the request and the result into
//! bytes. A reader finds each of these commands' steps in one function here; `sweep` and `risk`
//! run theirs in [`crate::sweep`] and [`crate::risk`] (here: a sweep's plans, and both commands'
//! shards).
//!
//! Long use cases say what they are doing through [`Progress`], so the library, which knows how
//! many searches or replications it runs, is the one that says so; the command line draws bars.

pub mod compare;
pub mod erlang;
pub mod merge;
pub mod schedule;
pub mod shard;
pub mod simulate;
pub mod staff;
pub mod sweep;

/// The share of each plan's agents taken off the phones: the scenario's `[staffing] shrinkage`
/// when the request applies it (`--apply-shrinkage`), else none (every agent takes calls).
pub fn off_the_phones(scenario: &crate::model::Scenario, apply_shrinkage: bool) -> f64 {
    if apply_shrinkage { scenario.staffing.shrinkage } else { 0.0 }
}

/// What a use case is doing: a phase of its work, counted in its own unit, so a progress
/// display never says "replications" while it counts searches.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Replications of one plan (`simulate`).
    Simulating,
    /// Replications of every plan together (`compare`).
    SimulatingPlans,
    /// The staffing searches (`staff`, and `schedule` without a requirement file): one step per
    /// search, each many simulations.
    SearchingStaffing,
    /// The shift optimiser, which reports no steps.
    OptimisingShifts,
    /// Replications of the plan just built (`schedule`).
    SimulatingPlan,
    /// The exact chat model's required-agents searches (`staff --chat-model exact`): one step
    /// per distinct chat cell, each a few solves of a chain of up to
    /// [`crate::erlang::chat_exact::MAX_STATES`] states (seconds each near that limit).
    SolvingChatExact,
    /// `erlang --model chat-exact` searching for the required agents: a walk of solves whose
    /// length is not known beforehand (seconds each near the state limit), so no steps.
    SearchingChatExact,
    /// `erlang --model chat-exact` solving the table's rows: one step per agent count.
    SolvingChatExactRows,
}

impl Phase {
    /// What is being done, as a progress bar's prefix.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Simulating => "simulating",
            Phase::SimulatingPlans => "simulating the plans",
            Phase::SearchingStaffing => "searching interval staffing",
            Phase::OptimisingShifts => "optimising shifts",
            Phase::SimulatingPlan => "simulating the plan",
            Phase::SolvingChatExact | Phase::SolvingChatExactRows => "solving the exact chat model",
            Phase::SearchingChatExact => "searching the exact chat model's required agents",
        }
    }

    /// The unit of one step, plural; `None` when the phase has no countable steps.
    pub fn unit(self) -> Option<&'static str> {
        match self {
            Phase::Simulating | Phase::SimulatingPlans | Phase::SimulatingPlan => Some("replications"),
            Phase::SearchingStaffing => Some("searches"),
            Phase::SolvingChatExact => Some("chat cells"),
            Phase::SolvingChatExactRows => Some("agent counts"),
            Phase::OptimisingShifts | Phase::SearchingChatExact => None,
        }
    }

    /// The indicatif template of a bar for this phase.
    pub fn template(self) -> String {
        match self.unit() {
            Some(unit) => format!("{}: {{bar:40}} {{pos}}/{{len}} {unit}, {{eta}} left", self.label()),
            None => format!("{}: {{spinner}} {{elapsed}}", self.label()),
        }
    }
}

/// Where a use case reports its progress. `tick` may be called from any thread.
pub trait Progress: Sync {
    /// A phase of `steps` steps begins (`steps` is 0 for a phase without countable steps).
    fn start(&self, phase: Phase, steps: u64);
    /// One step of the current phase is done.
    fn tick(&self);
    /// The current phase is over.
    fn finish(&self);
}

/// Progress that goes nowhere (tests, benchmarks, library callers).
#[derive(Copy, Clone, Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: Phase, _: u64) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// Runs `work` as one `phase` of `steps` steps, handing it the tick to call after each step;
/// the phase is finished whatever `work` returns.
pub fn phase<T>(
    progress: &dyn Progress,
    phase: Phase,
    steps: u64,
    work: impl FnOnce(&(dyn Fn() + Sync)) -> T,
) -> T {
    progress.start(phase, steps);
    let out = work(&|| progress.tick());
    progress.finish();
    out
}
