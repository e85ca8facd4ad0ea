//! How many agents each interval needs: analytically (Erlang C, Erlang A) per call type, and
//! by simulation per agent group.
//!
//! The simulation requirement is an iterative staffing search in the spirit of Feldman,
//! Mandelbaum, Massey and Whitt (2008), "Staffing of time-varying queues to achieve
//! time-stable performance", Management Science 54(2): simulate a per-interval staffing vector
//! per group, raise staffing where an interval misses its goal, lower it where it is over and
//! stays over with one agent fewer, and repeat until stable. Every iteration uses the same
//! seeds (common random numbers), so a change in staffing, not noise, moves the result. It
//! accounts for what the formulas cannot: redials and repeats feeding load back, transfers,
//! non-exponential handle times and patience, queues carried across interval boundaries, and
//! agents shared by several call types (an agent is counted once, in its group).
//!
//! With `--chat-model exact`, [`chat_exact`] adds the exact chat model's requirement of each
//! chat type beside the chat estimate, a figure to compare that leaves the requirement as it is.

mod analytic;
pub mod channels;
pub mod chat_exact;
mod lines;
mod plan;
mod report;
mod search;
mod stalled;
mod voice_goals;

pub use analytic::{
    AnalyticRequirement, check_goals, check_loads, per_call_type, pooled, required, required_for,
};
pub use chat_exact::{ChatModel, ExactChat};
pub use lines::LineBound;
pub use plan::plan_with_risk;
pub use report::{
    Achieved, AchievedEmailDay, AgentHours, ChatExactPastLimit, EmailOpenAtEnd, GroupInterval,
    GroupRequirement, IntervalRequirement, LinesBind, PlanOnDuty, SimulationRequirement, Staffing,
    StaffingReport, VoiceGoals, WaterfallStep,
};
pub use search::{MAX_ITERATIONS, SearchResult, Shortfall, search, search_with, with_staffing};

use crate::model::{AgentGroupId, Scenario};
use crate::replicate::Options;

/// Which requirements `ccsim staff` computes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Erlang C per call type (always computed: it is instant).
    ErlangC,
    /// Erlang A per call type (always computed when a call type has patience).
    ErlangA,
    /// The simulation search per agent group.
    Simulation,
    /// All three, with the waterfall that explains their difference.
    All,
}

/// Contributions a waterfall step can switch off, to measure what each adds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Features {
    /// Redials and repeats.
    pub recalls: bool,
    /// Transfers.
    pub transfers: bool,
}

/// The scenario without the follow-up contacts that `features` switches off.
pub fn without(scenario: &Scenario, features: Features) -> Scenario {
    let mut s = scenario.clone();
    for ct in &mut s.call_types {
        if !features.recalls {
            ct.redial = None;
            ct.repeat = None;
        }
        if !features.transfers {
            ct.transfers.clear();
        }
    }
    s
}

/// Agent-hours of per-interval agent counts (`rows` of `grid.len()` values each).
pub fn agent_hours(scenario: &Scenario, rows: &[Vec<u32>]) -> f64 {
    let hours = scenario.grid.length() / 3600.0;
    rows.iter().flatten().map(|&a| f64::from(a) * hours).sum()
}

/// The group that answers a call type first: the one listing it earliest among its
/// immediate (non-overflow) skills, the first such group on a tie.
pub fn primary_groups(scenario: &Scenario) -> Vec<Option<AgentGroupId>> {
    scenario
        .call_types
        .iter()
        .enumerate()
        .map(|(ct, _)| {
            scenario
                .agent_groups
                .iter()
                .enumerate()
                .filter_map(|(g, group)| {
                    group
                        .skills
                        .iter()
                        .position(|s| s.call_type.idx() == ct && s.after == 0.0)
                        .map(|rank| (rank, g))
                })
                .min()
                .map(|(_, g)| AgentGroupId(g as u16))
        })
        .collect()
}

/// How many simulation searches [`plan`] runs (it calls `progress` after each): none for the
/// analytic methods, one for `simulation`, and for `all` one more without transfers and one
/// more without redials and repeats, each only when the scenario has them.
///
/// [`plan`]: fn@plan
pub fn searches(scenario: &Scenario, method: Method) -> u64 {
    let has_recalls = scenario.call_types.iter().any(|c| c.redial.is_some() || c.repeat.is_some());
    let has_transfers = scenario.call_types.iter().any(|c| !c.transfers.is_empty());
    match method {
        Method::ErlangC | Method::ErlangA => 0,
        Method::Simulation => 1,
        Method::All => 1 + u64::from(has_transfers) + u64::from(has_recalls),
    }
}

/// Computes the requirement by `method`. The simulation search (methods `simulation` and
/// `all`) runs `options.replications` replications per iteration; with `all` it also runs
/// the search without transfers and without redials/repeats, so the waterfall can say what
/// each adds. `progress` is called after each search.
///
/// # Errors
/// [`crate::error::BadInput`] when an interval's load is above [`crate::erlang::MAX_LOAD`];
/// when the thread pool cannot be built.
pub fn plan(
    scenario: &Scenario,
    method: Method,
    options: &Options,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Staffing> {
    plan_with_risk(scenario, method, options, None, progress)
}

/// The requirement as a plan of per-interval staffing vectors (what `--out` writes as
/// `requirement.toml`), named `name`.
pub fn requirement_plan(
    scenario: &Scenario,
    requirement: &[Vec<u32>],
    name: &str,
) -> crate::model::ShiftPlan {
    with_staffing(scenario, requirement, name).plan
}
