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

mod analytic;
pub mod channels;
mod lines;
mod search;
mod stalled;
mod voice_goals;

use serde::{Deserialize, Serialize};

pub use analytic::{AnalyticRequirement, check_loads, per_call_type, pooled, required, required_for};
pub use lines::LineBound;
pub use search::{MAX_ITERATIONS, SearchResult, Shortfall, search, search_with, with_staffing};

use crate::error::BadInput;
use crate::model::{AgentGroupId, Scenario};
use crate::replicate::Options;
use crate::stats::Estimate;

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
    /// Email types: the workload, agents busy with email on average (hours of email work
    /// of the day / hours the primary group works that day, in each interval it works);
    /// `erlang_c` and `erlang_a` are then `null`. Absent for other channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_workload_agents: Option<f64>,
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

/// Each email type's emails open at the end of the run's last day, over `reps`.
fn email_open_at_end(scenario: &Scenario, reps: &[crate::replicate::Replication]) -> Vec<EmailOpenAtEnd> {
    let n_days = scenario.grid.days();
    (crate::replicate::backlog::email_types(scenario).into_iter().enumerate())
        .map(|(k, ct)| {
            let mut open = crate::stats::Tally::default();
            for days in reps.iter().filter_map(|r| r.backlog.as_ref()).map(|b| &b.days) {
                if let Some(last) = days.get((k + 1) * n_days - 1) {
                    open.add(last.backlog_end);
                }
            }
            EmailOpenAtEnd {
                call_type: scenario.call_types[ct].name.clone(),
                open: open.estimate(crate::stats::CONFIDENCE),
            }
        })
        .collect()
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

fn group_rows(scenario: &Scenario, rows: &[Vec<u32>]) -> Vec<GroupRequirement> {
    let grid = &scenario.grid;
    let shrinkage = scenario.staffing.shrinkage;
    scenario
        .agent_groups
        .iter()
        .zip(rows)
        .map(|(group, row)| GroupRequirement {
            name: group.name.clone(),
            intervals: row
                .iter()
                .enumerate()
                .map(|(idx, &agents)| GroupInterval {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    agents,
                    scheduled: crate::erlang::scheduled_agents(agents, shrinkage).unwrap_or(agents),
                })
                .collect(),
        })
        .collect()
}

/// Scheduled agent-hours of a requirement: each count after shrinkage.
fn scheduled_hours(scenario: &Scenario, rows: &[Vec<u32>]) -> f64 {
    let shrinkage = scenario.staffing.shrinkage;
    let scheduled: Vec<Vec<u32>> = rows
        .iter()
        .map(|r| r.iter().map(|&a| crate::erlang::scheduled_agents(a, shrinkage).unwrap_or(a)).collect())
        .collect();
    agent_hours(scenario, &scheduled)
}

fn step(step: &str, label: &str, agent_hours: f64, total: bool) -> WaterfallStep {
    WaterfallStep {
        step: step.into(),
        label: label.into(),
        agent_hours,
        kind: if total { "total" } else { "change" }.into(),
    }
}

/// How many simulation searches [`plan`] runs (it calls `progress` after each): none for the
/// analytic methods, one for `simulation`, and for `all` one more without transfers and one
/// more without redials and repeats, each only when the scenario has them.
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

/// What the risk step of the waterfall pays for: the chance a day's random calls fall worse
/// than the average day, always, and the bad days the scenario models on top. A scenario
/// without `[uncertainty]` or `[[events]]` still needs it, and its label says so rather than
/// naming a forecast error it does not have.
fn day_to_day_causes(scenario: &Scenario) -> String {
    let mut causes = vec!["day-to-day variation"];
    if let Some(u) = scenario.uncertainty.as_ref() {
        let volume = match &u.volume_cv {
            crate::uncertainty::VolumeCv::Shared(cv) => *cv > 0.0,
            crate::uncertainty::VolumeCv::PerCallType(cvs) => cvs.iter().any(|&cv| cv > 0.0),
        };
        if volume {
            causes.push("forecast error");
        }
        if u.absence > 0.0 {
            causes.push("absence");
        }
        if u.handle_time_cv_shift > 0.0 {
            causes.push("handle-time drift");
        }
    }
    if !scenario.events.is_empty() {
        causes.push("events");
    }
    match causes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => causes.join(""),
    }
}

/// [`plan`], and with `risk = Some(p)` (methods `simulation` and `all`) the staffing that meets
/// the goal in at least a share `p` of replications in every interval with calls, over the
/// scenario's `[uncertainty]` and `[[events]]`: the mean-based requirement raised until it
/// does (one more search, after which `progress` is called). The waterfall gets its
/// `forecast_error_absence` step, and each interval an `erlang_c_risk` rule of thumb.
///
/// # Errors
/// As [`plan`].
pub fn plan_with_risk(
    scenario: &Scenario,
    method: Method,
    options: &Options,
    risk: Option<f64>,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Staffing> {
    check_loads(scenario)?;
    let grid = &scenario.grid;
    let hours = grid.length() / 3600.0;
    let analytic = per_call_type(scenario);
    let erlang_c_hours: f64 = analytic.iter().map(|r| f64::from(r.erlang_c.unwrap_or(0)) * hours).sum();
    let erlang_a_hours: f64 =
        analytic.iter().map(|r| f64::from(r.erlang_a.or(r.erlang_c).unwrap_or(0)) * hours).sum();
    let abandonment = method != Method::ErlangC;
    let analytic_rows = pooled(scenario, abandonment);

    let mut waterfall =
        vec![step("erlang_c", "Erlang C per call type (fresh calls, nobody abandons)", erlang_c_hours, true)];
    if abandonment {
        waterfall.push(step(
            "abandonment",
            "abandonment (Erlang A where callers have patience)",
            erlang_a_hours - erlang_c_hours,
            false,
        ));
    }
    // Where the analytic steps leave off: Erlang A, unless the method ignores abandonment;
    // then each channel's own analytic figure in place of counting its contacts as calls.
    let analytic_hours = if abandonment { erlang_a_hours } else { erlang_c_hours }
        + channel_steps(scenario, &analytic, abandonment, &mut waterfall);
    let mut simulation = None;
    let requirement = if matches!(method, Method::Simulation | Method::All) {
        crate::limits::check_result_records(options.replications, grid.len(), scenario.call_types.len())
            .map_err(|m| BadInput(format!("--replications (or [simulation] replications): {m}")))?;
        // The search starts from the closest analytic figure (Erlang A where callers have
        // patience): a start below the need costs one simulation per raise, one above it two
        // per reduction.
        let initial = pooled(scenario, true);
        let full = search(scenario, initial.clone(), options)?;
        progress();
        let full_hours = agent_hours(scenario, &full.agents);
        let has_recalls = scenario.call_types.iter().any(|c| c.redial.is_some() || c.repeat.is_some());
        let has_transfers = scenario.call_types.iter().any(|c| !c.transfers.is_empty());
        // Where the lines bind, the formulas (which know no lines) staff past them, and the
        // search's difference from them is the lines' doing more than anything else.
        let lines_bind = !full.lines_bind.is_empty();
        if method == Method::All {
            let hours_without = |features: Features| -> anyhow::Result<f64> {
                let s = without(scenario, features);
                let r = search(&s, initial.clone(), options)?;
                progress();
                Ok(agent_hours(&s, &r.agents))
            };
            let with_recalls = if has_transfers {
                hours_without(Features { recalls: true, transfers: false })?
            } else {
                full_hours
            };
            let base = if has_recalls {
                hours_without(Features { recalls: false, transfers: false })?
            } else {
                with_recalls
            };
            waterfall.push(step(
                "carry_over_skills_distributions",
                if lines_bind {
                    "telephone lines that bind, queues across intervals, shared skills, shapes"
                } else {
                    "queues across intervals, shared skills, handle-time and patience shapes"
                },
                base - analytic_hours,
                false,
            ));
            waterfall.push(step("redials_repeats", "redials and repeat calls", with_recalls - base, false));
            waterfall.push(step(
                "transfers",
                "transfers between call types",
                full_hours - with_recalls,
                false,
            ));
        } else {
            waterfall.push(step(
                "simulation_effects",
                if lines_bind {
                    "everything the formulas leave out, telephone lines that bind included"
                } else {
                    "everything the formulas leave out (carry-over, skills, shapes, redials, repeats, transfers)"
                },
                full_hours - analytic_hours,
                false,
            ));
        }
        waterfall.push(step("simulation", "simulation requirement", full_hours, true));
        let full = match risk {
            None => full,
            Some(p) => {
                let raised = search_with(scenario, full.agents.clone(), options, Some(p))?;
                progress();
                let met_on = format!(
                    "goal met on {} of {}",
                    crate::report::percent(p),
                    crate::report::replication_noun(grid.days(), true)
                );
                let raised_hours = agent_hours(scenario, &raised.agents);
                waterfall.push(step(
                    "forecast_error_absence",
                    &day_to_day_causes(scenario),
                    raised_hours - full_hours,
                    false,
                ));
                // The figure the table's columns and `agent_hours.simulation` give.
                let label = format!("simulation requirement, {met_on}");
                waterfall.push(step("simulation_at_risk", &label, raised_hours, true));
                raised
            }
        };
        let n_types = scenario.call_types.len();
        let mut achieved = Vec::with_capacity(grid.len() * n_types);
        for idx in 0..grid.len() {
            for (ct, call_type) in scenario.call_types.iter().enumerate() {
                let k = idx * n_types + ct;
                let samples: Vec<f64> =
                    full.replications.iter().map(|r| r.intervals[k].stats.service_level).collect();
                achieved.push(Achieved {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    call_type: call_type.name.clone(),
                    service_level: crate::replicate::cell_rates(&full.replications, k).service_level,
                    p_meet_goal: risk.map(|_| {
                        crate::risk::risk_of(&samples, scenario.goal_for(call_type.channel).goal).p_meet_goal
                    }),
                });
            }
        }
        let reps = &full.replications;
        let email_days: Vec<AchievedEmailDay> = (scenario.call_types.iter().enumerate())
            .filter(|(_, c)| c.channel == crate::model::Channel::Email)
            .flat_map(|(ct, c)| {
                (0..grid.days()).filter_map(move |day| {
                    let service_level = channels::day_rate(scenario, reps, ct, day);
                    service_level.mean.is_finite().then(|| AchievedEmailDay {
                        day: day + 1,
                        call_type: c.name.clone(),
                        service_level,
                    })
                })
            })
            .collect();
        simulation = Some(SimulationRequirement {
            replications: options.replications,
            seed: options.seed,
            iterations: full.iterations,
            converged: full.converged,
            shortfall: full.shortfall,
            risk,
            groups: group_rows(scenario, &full.agents),
            achieved,
            email_goal: (!email_days.is_empty()).then(|| scenario.goal_for(crate::model::Channel::Email)),
            email_days,
            email_open_at_end: email_open_at_end(scenario, reps),
            lines_bind: (full.lines_bind.iter())
                .map(|&(g, idx, lines)| LinesBind {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    group: scenario.agent_groups[g].name.clone(),
                    lines,
                })
                .collect(),
        });
        full.agents
    } else {
        analytic_rows.clone()
    };
    let base_hours = agent_hours(scenario, &requirement);
    let scheduled = scheduled_hours(scenario, &requirement);
    if simulation.is_none() {
        // The analytic requirement per group pools call types; show that effect too.
        waterfall.push(step(
            "pooling",
            "call types answered by the same group share agents",
            base_hours - analytic_hours,
            false,
        ));
    }
    // Each group schedules whole agents: the step holds the rounding up as well as the shrinkage.
    waterfall.push(step(
        "shrinkage",
        "shrinkage (paid time not on calls), rounded up to whole agents per group",
        scheduled - base_hours,
        false,
    ));
    waterfall.push(step("scheduled", "agent-hours to schedule", scheduled, true));

    let rule_of_thumb = risk.map(|p| rule_of_thumb(scenario, p));
    let on_duty = scenario.plan.on_duty(grid, scenario.agent_groups.len());
    let plan_agents = (0..grid.len()).map(|idx| on_duty.iter().map(|g| g[idx]).sum()).collect();
    let report = StaffingReport {
        scenario: scenario.name.clone(),
        method,
        service_level: scenario.goal(),
        shrinkage: scenario.staffing.shrinkage,
        grid: crate::summary::GridInfo::of(grid),
        intervals: analytic
            .iter()
            .enumerate()
            .map(|(k, r)| IntervalRequirement {
                day: grid.day_of(r.interval),
                start: grid.clock_of(r.interval).to_string(),
                call_type: scenario.call_types[r.call_type.idx()].name.clone(),
                load_erlangs: r.load,
                erlang_c: r.erlang_c,
                erlang_a: r.erlang_a,
                erlang_c_risk: rule_of_thumb.as_ref().and_then(|v| v[k]),
                erlang_c_chat: r.erlang_c_chat,
                email_workload_agents: r.email_workload,
            })
            .collect(),
        analytic_groups: group_rows(scenario, &analytic_rows),
        simulation,
        agent_hours: AgentHours {
            erlang_c: erlang_c_hours,
            erlang_a: erlang_a_hours,
            simulation: matches!(method, Method::Simulation | Method::All).then_some(base_hours),
            scheduled,
        },
        waterfall,
        plan: PlanOnDuty { name: scenario.plan.name.clone(), agents: plan_agents },
        channel_goals: scenario.several_channel_goals(),
        voice_goals: VoiceGoals::of(scenario),
    };
    Ok(Staffing { report, requirement })
}

/// The waterfall steps of the channels the scenario has, pushed onto `waterfall`; returns the
/// agent-hours they add. `chat_concurrency`: the chat estimate in place of the chats counted
/// as calls (Erlang A where they have patience and `abandonment`, else Erlang C);
/// `email_workload`: the email workload, which the call-type steps count as nothing.
fn channel_steps(
    scenario: &Scenario,
    analytic: &[AnalyticRequirement],
    abandonment: bool,
    waterfall: &mut Vec<WaterfallStep>,
) -> f64 {
    use crate::model::Channel;
    let hours = scenario.grid.length() / 3600.0;
    let of = |channel: Channel| {
        analytic.iter().filter(move |r| scenario.call_types[r.call_type.idx()].channel == channel)
    };
    let mut added = 0.0;
    if of(Channel::Chat).next().is_some() {
        let as_calls: f64 = of(Channel::Chat)
            .map(|r| f64::from(if abandonment { r.erlang_a.or(r.erlang_c) } else { r.erlang_c }.unwrap_or(0)))
            .sum();
        let estimate: f64 = of(Channel::Chat).map(|r| f64::from(r.erlang_c_chat.unwrap_or(0))).sum();
        let change = (estimate - as_calls) * hours;
        waterfall.push(step(
            "chat_concurrency",
            "chat: several chats per agent (chat estimate, an approximation)",
            change,
            false,
        ));
        added += change;
    }
    if of(Channel::Email).next().is_some() {
        let workload: f64 = of(Channel::Email).map(|r| r.email_workload.unwrap_or(0.0)).sum::<f64>() * hours;
        waterfall.push(step("email_workload", "email: workload (hours of email work)", workload, false));
        added += workload;
    }
    added
}

/// Erlang C per interval and call type (in the order of [`per_call_type`]) on the volume's
/// `p`-quantile under the scenario's forecast error (gamma, mean 1, its call type's
/// `volume_cv`), divided by `1 - absence`: the usual rule of thumb for staffing against
/// forecast error, shown beside the simulation.
fn rule_of_thumb(scenario: &Scenario, p: f64) -> Vec<Option<u32>> {
    let u = scenario.uncertainty.as_ref();
    let mut quantile = scenario.clone();
    for (ct, c) in quantile.call_types.iter_mut().enumerate() {
        let q = crate::uncertainty::factor_quantile(u.map_or(0.0, |u| u.volume_cv_of(ct)), p);
        c.volumes.iter_mut().for_each(|v| *v *= q);
    }
    let present = 1.0 - u.map_or(0.0, |u| u.absence);
    per_call_type(&quantile)
        .iter()
        .map(|r| r.erlang_c.map(|a| (f64::from(a) / present - 1e-9).ceil() as u32))
        .collect()
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
