//! What `ccsim staff` reports: the `staff --format json` contract, one type per part of it
//! (analytic rows, the simulation requirement and what it achieves, agent-hours, the
//! waterfall, the plan on duty). Types only; [`super::plan_with_risk`] fills them.

use serde::{Deserialize, Serialize};

use super::{Method, Shortfall};
use crate::model::Scenario;
use crate::stats::Estimate;

/// One call type in one interval (the `intervals` rows of the `staff --format json` contract).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalRequirement {
    /// Day, from 1.
    pub day: usize,
    /// Interval start, `HH:MM`.
    pub start: String,
    /// Call type.
    pub call_type: String,
    /// Offered load of fresh calls (volume x mean handle time / interval length), Erlangs; an
    /// email type's initial backlog counts in the first interval, where the engine offers it.
    pub load_erlangs: f64,
    /// Erlang C required agents; `null` when no count meets the goals.
    pub erlang_c: Option<u32>,
    /// Erlang A required agents; `null` for a call type without patience.
    pub erlang_a: Option<u32>,
    /// With `--risk P`: Erlang C on the volume's P-quantile under the scenario's forecast
    /// error, divided by `1 - absence` (the usual rule of thumb, for comparison).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erlang_c_risk: Option<u32>,
    /// Chat types: the chat estimate (Erlang C on the primary group's full-concurrency
    /// throughput, an approximation), against the chat goal; `erlang_c` and `erlang_a` then
    /// count every chat as a call. Absent for other channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erlang_c_chat: Option<u32>,
    /// With `--chat-model exact`, chat types: the exact chat model's required agents (the
    /// Markov chain the estimate approximates, at the primary group's concurrency and
    /// factors, abandoning at the call type's mean patience where it has one), against the
    /// chat goal. `null` where the goal needs a chain past the model's state limit (the
    /// report's `chat_exact_past_limit` names the cell; the estimate stands there). Absent
    /// without the flag and for other channels.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub chat_exact: Option<Option<u32>>,
    /// Email types: the workload, agents busy with email on average (hours of email work
    /// of the day / hours the primary group works that day, in each interval it works);
    /// `erlang_c` and `erlang_a` are then `null`. Absent for other channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_workload_agents: Option<f64>,
}

/// A key that is `null` when present: `Some(None)`, where a missing key is `None`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    Option::<u32>::deserialize(d).map(Some)
}

/// A chat type in an interval whose chat goal needs more agents than the exact chat model
/// solves: `chat_exact` is `null` there, and the chat estimate stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChatExactPastLimit {
    /// Day, from 1.
    pub day: usize,
    /// Interval start, `HH:MM`.
    pub start: String,
    /// Call type.
    pub call_type: String,
    /// The most agents whose chain is within the limit; they miss the goal.
    pub most_agents: u32,
    /// Chats one agent of the primary group holds at most.
    pub concurrency: u32,
    /// The state limit, `C(agents + concurrency, concurrency)` states at most.
    pub max_states: u64,
    /// The chat estimate, which stands there.
    pub erlang_c_chat: Option<u32>,
}

/// Agents of one group in one interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupInterval {
    /// Day, from 1.
    pub day: usize,
    /// Interval start, `HH:MM`.
    pub start: String,
    /// Agents needed on duty (taking calls).
    pub agents: u32,
    /// Agents to schedule after shrinkage: ceil(agents / (1 - shrinkage)).
    pub scheduled: u32,
}

/// The requirement of one agent group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRequirement {
    /// Group name.
    pub name: String,
    /// One row per interval.
    pub intervals: Vec<GroupInterval>,
}

/// The simulated service level of one call type in one interval, staffed as required.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Achieved {
    /// Day, from 1.
    pub day: usize,
    /// Interval start, `HH:MM`.
    pub start: String,
    /// Call type.
    pub call_type: String,
    /// Mean over replications with its 95% half-width (`null` mean: no calls).
    pub service_level: Estimate,
    /// With `--risk`: share of replications meeting the goal, with its binomial 95% interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_meet_goal: Option<crate::stats::IntervalEstimate>,
}

/// The simulation requirement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationRequirement {
    /// Replications per search iteration (common random numbers throughout).
    pub replications: u32,
    /// Base seed.
    pub seed: u64,
    /// Simulations run by the search.
    pub iterations: usize,
    /// Whether every interval with calls meets the goal at the end.
    pub converged: bool,
    /// What still misses the goal at the end, for the table (not in the JSON, whose
    /// `achieved` list has every cell).
    #[serde(skip)]
    pub shortfall: Shortfall,
    /// With `--risk P`: the share of replications that must meet the goal in every interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<f64>,
    /// Per agent group.
    pub groups: Vec<GroupRequirement>,
    /// Service level achieved with this staffing, per interval and call type.
    pub achieved: Vec<Achieved>,
    /// The email goal the search judges email types by, per day of arrival (absent without
    /// email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_goal: Option<crate::model::ServiceLevelGoal>,
    /// Email types, per day of arrival: the service level judged against `email_goal` (absent
    /// without email).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_days: Vec<AchievedEmailDay>,
    /// Email types: the emails still open when the run ends (absent without email).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_open_at_end: Vec<EmailOpenAtEnd>,
    /// Where a group has as many agents as its telephone lines let take calls and a call type
    /// it answers first still misses a goal: the lines bind, and no headcount meets the goal
    /// there (absent when nowhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines_bind: Vec<LinesBind>,
}

/// A group and interval whose lines bind: every agent its lines let take calls is on duty, and
/// a call type it answers first still misses a goal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinesBind {
    /// Day, from 1.
    pub day: usize,
    /// Interval start, `HH:MM`.
    pub start: String,
    /// Agent group.
    pub group: String,
    /// The most lines its call types can hold at once in the interval (outages taken out):
    /// the most of its agents that can take calls, and its requirement there.
    pub lines: u32,
}

/// The simulated service level of an email type's contacts that arrived on one day, staffed
/// as required: answered within the email target / offered that day (or / answered, by the
/// email goal's definition).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AchievedEmailDay {
    /// Day of arrival, from 1.
    pub day: usize,
    /// Call type.
    pub call_type: String,
    /// Over the replications (the ratio of their totals), with its 95% half-width.
    pub service_level: Estimate,
}

/// An email type's emails still open when the run ends, answered after it or never: a goal of
/// 90% within the target lets a tenth of a day's emails wait past it for good, and a
/// requirement that meets every goal can leave them there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailOpenAtEnd {
    /// Call type.
    pub call_type: String,
    /// Emails open at the end of the last day, mean over replications with its 95% half-width.
    pub open: Estimate,
}

/// Agent-hours per method over the whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentHours {
    /// Sum over call types and intervals of the Erlang C requirement.
    pub erlang_c: f64,
    /// The same with Erlang A where a call type has patience (Erlang C elsewhere).
    pub erlang_a: f64,
    /// Sum over groups and intervals of the simulation requirement (`null` when not run).
    pub simulation: Option<f64>,
    /// The final requirement after shrinkage.
    pub scheduled: f64,
}

/// One step of the waterfall from the Erlang C agent-hours to the scheduled ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaterfallStep {
    /// Stable key: `erlang_c`, `abandonment`, `chat_concurrency`, `email_workload`,
    /// `carry_over_skills_distributions`, `redials_repeats`, `transfers`,
    /// `simulation_effects`, `simulation`, `forecast_error_absence`, `simulation_at_risk`,
    /// `shrinkage`, `scheduled` (the channel steps only when the scenario has that channel, the
    /// risk steps only with `--risk`).
    pub step: String,
    /// What the step means, for people.
    pub label: String,
    /// A total's agent-hours, or a change's added (negative: removed) agent-hours.
    pub agent_hours: f64,
    /// `total` or `change`.
    pub kind: String,
}

/// Agents on duty of the scenario's own plan (or `--plan`), for comparison with the
/// requirement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanOnDuty {
    /// Plan name.
    pub name: String,
    /// Agents on duty and not on break, all groups, per interval.
    pub agents: Vec<f64>,
}

/// Everything `ccsim staff` reports (the `staff --format json` contract).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffingReport {
    /// Scenario name.
    pub scenario: String,
    /// Method asked for.
    pub method: Method,
    /// The objective.
    pub service_level: crate::model::ServiceLevelGoal,
    /// Share of paid time not available for calls.
    pub shrinkage: f64,
    /// The interval grid (for charts).
    pub grid: crate::summary::GridInfo,
    /// Analytic requirements per interval and call type.
    pub intervals: Vec<IntervalRequirement>,
    /// Analytic requirement per group (pooled load of the call types it answers first):
    /// Erlang A where every pooled call type has patience, else Erlang C.
    pub analytic_groups: Vec<GroupRequirement>,
    /// The simulation requirement (`null` with `--method erlang-c|erlang-a`).
    pub simulation: Option<SimulationRequirement>,
    /// Agent-hours per method.
    pub agent_hours: AgentHours,
    /// From Erlang C to scheduled agent-hours, step by step.
    pub waterfall: Vec<WaterfallStep>,
    /// The plan the scenario is worked by now.
    pub plan: PlanOnDuty,
    /// Each channel's goal, for a scenario of several channels (absent with one: it is
    /// `service_level`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channel_goals: Vec<crate::model::ChannelGoal>,
    /// The goals voice call types are held to beyond the service level, per interval (by
    /// the Erlang methods and the simulation search alike); absent when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_goals: Option<VoiceGoals>,
    /// With `--chat-model exact`: the chat cells whose goal needs more agents than the exact
    /// chat model solves (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chat_exact_past_limit: Vec<ChatExactPastLimit>,
}

/// `[service_level]`'s `asa_goal`, `max_abandon` and `max_occupancy`: each `null` when not
/// given.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoiceGoals {
    /// Highest average speed of answer of a voice call type in an interval, seconds.
    pub asa_goal_s: Option<f64>,
    /// Highest share of a voice call type's callers in an interval who abandon.
    pub max_abandon: Option<f64>,
    /// Highest occupancy (busy time / time on duty) of a voice group in an interval; Erlang
    /// C and A judge it per call type as load / agents.
    pub max_occupancy: Option<f64>,
}

impl VoiceGoals {
    /// The scenario's, `None` when it gives none.
    pub fn of(scenario: &Scenario) -> Option<VoiceGoals> {
        let g = &scenario.staffing;
        (g.asa_goal.is_some() || g.max_abandon.is_some() || g.max_occupancy.is_some()).then_some(VoiceGoals {
            asa_goal_s: g.asa_goal,
            max_abandon: g.max_abandon,
            max_occupancy: g.max_occupancy,
        })
    }
}

/// A staffing result: the report and the requirement to write as a plan.
#[derive(Clone, Debug)]
pub struct Staffing {
    /// The report.
    pub report: StaffingReport,
    /// Agents needed on duty per group per interval: the simulation requirement, or the
    /// analytic one per group with an analytic method.
    pub requirement: Vec<Vec<u32>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `chat_exact` reads back as written: absent (not computed), `null` (past the exact
    /// model's state limit) and a count are three different things.
    #[test]
    fn chat_exact_keeps_absent_null_and_a_count_apart() {
        let row = |chat_exact| IntervalRequirement {
            day: 1,
            start: "09:00".into(),
            call_type: "web-chat".into(),
            load_erlangs: 9.0,
            erlang_c: Some(12),
            erlang_a: None,
            erlang_c_risk: None,
            erlang_c_chat: Some(5),
            chat_exact,
            email_workload_agents: None,
        };
        for (value, text) in [(None, None), (Some(None), Some("null")), (Some(Some(4)), Some("4"))] {
            let json = serde_json::to_string(&row(value)).unwrap();
            assert_eq!(json.contains("chat_exact"), text.is_some(), "{json}");
            if let Some(text) = text {
                assert!(json.contains(&format!("\"chat_exact\":{text}")), "{json}");
            }
            let back: IntervalRequirement = serde_json::from_str(&json).unwrap();
            assert_eq!(back.chat_exact, value, "{json}");
        }
    }
}
