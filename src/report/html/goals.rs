//! The goals of a scenario judged on a run: the one place that says whether a run meets them,
//! for the simulation's report and each plan of a comparison's.

use std::fmt::Write as _;

use super::esc;
use super::page::verdict;
use crate::metrics::CallStats;
use crate::model::ServiceLevelGoal;
use crate::report::{percent, percent_estimate};
use crate::stats::Estimate;
use crate::time::format_duration;

/// The scenario's goals besides the service level (`[service_level]` and `[staffing]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Goals {
    /// `asa_goal`, seconds.
    pub asa_s: Option<f64>,
    /// `max_abandon`, share.
    pub max_abandon: Option<f64>,
    /// `max_occupancy`, share.
    pub max_occupancy: Option<f64>,
    /// Per agent group and interval, whether the plan has any of its agents on duty: the
    /// occupancy charts leave the other intervals out ([`ChartContext::scheduled`]).
    ///
    /// [`ChartContext::scheduled`]: crate::report::chart::simulation::ChartContext::scheduled
    pub scheduled: Option<Vec<Vec<bool>>>,
}

impl Goals {
    /// The goals of a scenario.
    pub fn of(scenario: &crate::model::Scenario) -> Goals {
        let g = &scenario.staffing;
        Goals {
            asa_s: g.asa_goal,
            max_abandon: g.max_abandon,
            max_occupancy: g.max_occupancy,
            scheduled: Some(crate::report::chart::simulation::scheduled(scenario)),
        }
    }
}

/// One row of the "Goals" table: what is judged, its target, the result, and whether it is
/// met (`None`: nothing to judge, e.g. no calls).
#[derive(Clone, Debug, PartialEq)]
pub struct GoalVerdict {
    /// What is judged, e.g. "Abandonment".
    pub name: String,
    /// The target, e.g. "at most 5.0%".
    pub target: String,
    /// The result, e.g. "5.1% ±0.5".
    pub result: String,
    /// Met, missed, or nothing to judge.
    pub met: Option<bool>,
}

/// What the goals judge of one run (a simulation, or one plan of a comparison).
pub struct Judged<'a> {
    /// The service-level goals, the scenario's and each channel's.
    pub goals: crate::summary::ChannelGoals<'a>,
    /// The figures over all calls.
    pub overall: &'a CallStats<Estimate>,
    /// The per-interval figures, for the intervals below the goal.
    pub intervals: &'a [crate::summary::IntervalSummary],
    /// Agents' occupancy.
    pub occupancy: Estimate,
}

/// The "Goals" table of a report: a row per goal of [`goal_verdicts`], with its verdict.
pub fn goals_table(run: &Judged<'_>, goals: &Goals) -> String {
    let mut t = String::from(
        "<table class=\"summary\">\n<thead><tr><th>Goal</th><th>Target</th><th>Result</th><th>Verdict</th></tr></thead>\n<tbody>\n",
    );
    for g in goal_verdicts(run, goals) {
        let _ = writeln!(
            t,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td>{}</tr>",
            esc(&g.name),
            esc(&g.target),
            esc(&g.result),
            verdict(g.met)
        );
    }
    t += "</tbody>\n</table>\n";
    t += &whole_run_note(goals);
    t
}

/// The note under the "Goals" table on the goals judged over the whole run, naming only those
/// the scenario sets; empty when it sets none of them.
fn whole_run_note(goals: &Goals) -> String {
    let set: Vec<&str> = [
        (goals.asa_s.is_some(), "ASA"),
        (goals.max_abandon.is_some(), "abandonment"),
        (goals.max_occupancy.is_some(), "occupancy"),
    ]
    .into_iter()
    .filter_map(|(set, name)| set.then_some(name))
    .collect();
    let (names, them, is) = match set.as_slice() {
        [] => return String::new(),
        [one] => (one.to_string(), "it", "is"),
        [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "them", "are"),
    };
    let names = names[..1].to_uppercase() + &names[1..];
    format!(
        "<p class=\"note\">{names} {is} judged here over the whole run; <code>ccsim staff</code> holds \
         every interval to {them}, so a run that meets {them} here may still miss {them} in its busiest \
         intervals, going past the limit there (the figures by interval show where).</p>\n"
    )
}

/// Every goal of the scenario judged on `run`, in the order the reports list them: the
/// service level (each channel its own, with several), no interval below the service-level
/// goal, and the ASA, abandonment and occupancy goals the scenario sets. The one place that
/// says whether a run meets its goals: `simulate --report` lists these rows, `compare
/// --report` gives each plan their verdict.
pub fn goal_verdicts(run: &Judged<'_>, goals: &Goals) -> Vec<GoalVerdict> {
    let mut rows = Vec::new();
    let mut row = |name: String, target: String, result: String, met: Option<bool>| {
        rows.push(GoalVerdict { name, target, result, met });
    };
    let finite = |e: &Estimate| e.mean.is_finite().then_some(e.mean);
    let noun = crate::report::count_noun(run.goals.channels);
    let mut sl_row = |name: String, goal: &ServiceLevelGoal, noun: &str, sl: &Estimate| {
        row(
            name,
            format!(
                "at least {} of {} {noun} answered within {}",
                crate::report::goal_percent(goal.goal),
                goal.definition.name(),
                format_duration(goal.target)
            ),
            percent_estimate(sl),
            finite(sl).map(|v| v >= goal.goal),
        );
    };
    let (o, sl) = (run.overall, run.goals.scenario);
    if run.goals.several() {
        // Each channel against its own goal: pooled, their figures would mix targets.
        for c in run.goals.channels {
            sl_row(format!("Service level, {}", c.name.name()), &c.goal, "contacts", &c.stats.service_level);
        }
    } else {
        sl_row("Service level".to_string(), &sl, noun, &o.service_level);
    }
    let below = run.goals.below(run.intervals);
    row(
        format!(
            "Intervals below the service-level goal{}",
            crate::report::below_goal_scope(&run.goals, run.intervals)
        ),
        if run.goals.several() {
            "0 (every interval at or above its channel's goal)".to_string()
        } else {
            format!("0 (every interval at or above {})", crate::report::goal_percent(sl.goal))
        },
        format!("{} of {}", below.cells.len(), below.judged),
        (below.judged > 0).then_some(below.cells.is_empty()),
    );
    if let Some(asa) = goals.asa_s {
        row(
            "Average speed of answer".to_string(),
            format!("at most {} over the run", format_duration(asa)),
            format!("{} s", crate::report::seconds_estimate(&o.asa_s)),
            finite(&o.asa_s).map(|v| v <= asa),
        );
    }
    for (name, cap, share) in [
        ("Abandonment", goals.max_abandon, &o.abandon_rate),
        ("Occupancy", goals.max_occupancy, &run.occupancy),
    ] {
        if let Some(cap) = cap {
            row(
                name.to_string(),
                format!("at most {} over the run", percent(cap)),
                percent_estimate(share),
                finite(share).map(|v| v <= cap),
            );
        }
    }
    rows
}
