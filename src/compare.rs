//! Comparing shift plans fairly: every plan is simulated on the same seeds, so each
//! replication meets the same callers (arrival times, handle times, patience, follow-ups)
//! whatever the plan. The difference between two plans is then estimated from per-replication
//! *paired* differences, whose confidence interval is much narrower than that of two
//! independent runs: what differs comes from the plans, not from noise.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::metrics::CallStats;
use crate::model::{Scenario, ShiftPlan};
use crate::replicate::{self, Options, Summarizer};
use crate::stats::Estimate;
use crate::summary::{CallTypeSummary, GridInfo, IntervalSummary, IntervalTotal, ServiceLevelInfo, Summary};

/// A plan to compare.
#[derive(Clone, Debug)]
pub struct PlanInput {
    /// Name shown in reports.
    pub name: String,
    /// The file it came from (`None`: the scenario's own plan).
    pub file: Option<PathBuf>,
    /// The plan.
    pub plan: ShiftPlan,
}

/// Plans compared on one scenario (the `compare --format json` contract).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Scenario name.
    pub scenario: String,
    /// Replications per plan.
    pub replications: u32,
    /// Base seed, shared by every plan.
    pub seed: u64,
    /// Share of each plan's agents simulated as shrinkage (off the phones); 0 when every agent
    /// took calls.
    #[serde(default)]
    pub shrinkage_applied: f64,
    /// The objective.
    pub service_level: ServiceLevelInfo,
    /// The interval grid, so charts can label time.
    pub grid: GridInfo,
    /// Each plan's results.
    pub plans: Vec<PlanResult>,
    /// Each plan after the first against the first.
    pub differences: Vec<Difference>,
}

/// One plan's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanResult {
    /// Plan name.
    pub name: String,
    /// Plan file, `null` for the scenario's own plan.
    pub file: Option<String>,
    /// Paid agent-hours over the scenario.
    pub paid_hours: f64,
    /// Paid hours times each group's `cost_per_hour` (from its shift templates); `null` when
    /// a group has no cost.
    pub cost: Option<f64>,
    /// Busy time / on-duty time of all groups.
    pub occupancy: Estimate,
    /// All contacts.
    pub overall: CallStats<Estimate>,
    /// The risk of missing the goal, all contacts (scenarios with `[uncertainty]` or
    /// `[[events]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<crate::risk::Risk>,
    /// Per call type.
    pub call_types: Vec<CallTypeSummary>,
    /// Per interval and call type.
    pub intervals: Vec<IntervalSummary>,
    /// Per interval, all call types together.
    pub interval_totals: Vec<IntervalTotal>,
    /// Intervals (with calls) whose mean service level is below the goal, as `HH:MM`, with
    /// `day N` in multi-day scenarios and the call type when there are several.
    pub intervals_below_goal: Vec<String>,
}

/// `plan` minus `against`, replication by replication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// The plan.
    pub plan: String,
    /// The plan it is compared with (the first).
    pub against: String,
    /// Paid agent-hours, plan minus against.
    pub paid_hours: f64,
    /// Cost, plan minus against (`null` when either has no cost).
    pub cost: Option<f64>,
    /// Occupancy difference.
    pub occupancy: Estimate,
    /// Paired differences of every statistic, all contacts.
    pub overall: CallStats<Estimate>,
    /// Probability of meeting the goal, plan minus against: the mean of the per-replication
    /// differences of "the day meets the goal" (1 or 0), with its Student-t 95% half-width
    /// (scenarios with `[uncertainty]` or `[[events]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_meet_goal: Option<Estimate>,
    /// Per call type.
    pub call_types: Vec<CallTypeSummary>,
    /// Per interval and call type.
    pub intervals: Vec<IntervalSummary>,
}

/// Cost of one block of shifts over the scenario's days: its paid hours times the
/// `cost_per_hour` of the group's template of that length (else the group's first template).
/// `None` when the group has no template.
pub fn shift_cost(scenario: &Scenario, shift: &crate::model::Shift) -> Option<f64> {
    let of_group = || scenario.shift_templates.iter().filter(|t| t.group == shift.group);
    let template = of_group().find(|t| t.lengths.contains(&shift.length)).or_else(|| of_group().next())?;
    Some(template.cost_per_hour * shift.paid_hours_on(&scenario.grid))
}

/// Cost of a plan: each block of shifts as [`shift_cost`], staffing vectors at their group's
/// first template's `cost_per_hour`. `None` when a group in the plan has no template.
pub fn plan_cost(scenario: &Scenario, plan: &ShiftPlan) -> Option<f64> {
    let rate = |group: crate::model::AgentGroupId| {
        scenario.shift_templates.iter().find(|t| t.group == group).map(|t| t.cost_per_hour)
    };
    let grid = &scenario.grid;
    let mut cost = 0.0;
    for shift in &plan.shifts {
        cost += shift_cost(scenario, shift)?;
    }
    for staffing in &plan.staffing {
        let hours: f64 = staffing.agents.iter().map(|&a| f64::from(a)).sum::<f64>() * grid.length() / 3600.0;
        cost += rate(staffing.group)? * hours;
    }
    Some(cost)
}

/// Simulates every plan with the same replications and seed and compares each with the first.
/// `shrinkage` of each plan's agents are taken off the phones (0: all take calls); paid hours and
/// cost count every agent. `progress` is called once per finished replication of any plan.
///
/// # Errors
/// When the thread pool cannot be built.
pub fn compare(
    scenario: &Scenario,
    plans: &[PlanInput],
    options: &Options,
    shrinkage: f64,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Comparison> {
    let with_plans: Vec<Scenario> = plans
        .iter()
        .map(|input| scenario.with_plan(ShiftPlan { name: input.name.clone(), ..input.plan.clone() }))
        .collect();
    let simulated: Vec<Scenario> =
        with_plans.iter().map(|s| replicate::on_the_phones(s, shrinkage)).collect();
    // Each plan's figures, and each later plan's paired differences from the first, folded
    // replication by replication: the same callers meet every plan in replication r.
    let init = (
        simulated.iter().map(Summarizer::new).collect::<Vec<_>>(),
        simulated.iter().skip(1).map(Summarizer::new).collect::<Vec<_>>(),
        vec![crate::stats::Tally::default(); simulated.len().saturating_sub(1)],
    );
    let goal = scenario.service_level.goal;
    // Whether each replication's day meets the goal: paired by replication, the difference of
    // two plans' probabilities of meeting it (scenarios that model bad days).
    let meets = |rep: &replicate::Replication| f64::from(u8::from(rep.overall.service_level >= goal));
    let (summarizers, paired, paired_meet) =
        replicate::run_fold_paired(&simulated, options, progress, init, |(each, paired, meet), records| {
            for (summarizer, rep) in each.iter_mut().zip(&records) {
                summarizer.add(rep);
            }
            if let Some((base, others)) = records.split_first() {
                for ((summarizer, tally), rep) in paired.iter_mut().zip(meet.iter_mut()).zip(others) {
                    summarizer.add(&rep.minus(base));
                    if base.overall.service_level.is_finite() && rep.overall.service_level.is_finite() {
                        tally.add(meets(rep) - meets(base));
                    }
                }
            }
        })?;
    let risky = crate::risk::models_bad_days(scenario);
    let summaries: Vec<Summary> = summarizers
        .iter()
        .zip(&with_plans)
        .map(|(s, with_plan)| replicate::net_summary(s, with_plan, shrinkage, options.seed))
        .collect();
    let results: Vec<PlanResult> = plans
        .iter()
        .zip(summaries)
        .map(|(input, summary)| {
            let intervals_below_goal = summary
                .intervals
                .iter()
                .filter(|i| i.stats.offered.mean > 0.0 && i.stats.service_level.mean < goal)
                .map(|i| {
                    let when = if scenario.grid.days() > 1 {
                        format!("day {} {}", i.day, i.start)
                    } else {
                        i.start.clone()
                    };
                    if scenario.call_types.len() > 1 { format!("{when} {}", i.call_type) } else { when }
                })
                .collect();
            PlanResult {
                name: input.name.clone(),
                file: input.file.as_ref().map(|f| f.display().to_string()),
                paid_hours: summary.paid_hours,
                cost: plan_cost(scenario, &input.plan),
                occupancy: summary.occupancy,
                overall: summary.overall,
                risk: summary.risk,
                call_types: summary.call_types,
                intervals: summary.intervals,
                interval_totals: summary.interval_totals,
                intervals_below_goal,
            }
        })
        .collect();
    let differences = paired
        .iter()
        .zip(&paired_meet)
        .zip(results.iter().skip(1))
        .map(|((diffs, meet), result)| {
            let mut d = difference(&results[0], result, &diffs.finish(scenario, options.seed));
            d.p_meet_goal = risky.then(|| meet.estimate(crate::stats::CONFIDENCE));
            d
        })
        .collect();
    let grid = &scenario.grid;
    Ok(Comparison {
        grid: GridInfo {
            start: grid.start().to_string(),
            interval_s: grid.length(),
            per_day: grid.per_day(),
            days: grid.days(),
        },
        scenario: scenario.name.clone(),
        replications: options.replications,
        seed: options.seed,
        shrinkage_applied: shrinkage,
        service_level: ServiceLevelInfo {
            target_s: scenario.service_level.target,
            goal,
            definition: scenario.service_level.definition,
        },
        plans: results,
        differences,
    })
}

/// `result` minus `base_result`, from the summary of per-replication differences.
fn difference(base_result: &PlanResult, result: &PlanResult, diffs: &Summary) -> Difference {
    Difference {
        plan: result.name.clone(),
        against: base_result.name.clone(),
        paid_hours: result.paid_hours - base_result.paid_hours,
        cost: result.cost.zip(base_result.cost).map(|(a, b)| a - b),
        occupancy: diffs.occupancy,
        overall: diffs.overall,
        p_meet_goal: None,
        // Risk figures of differences mean nothing; the paired difference is `p_meet_goal`.
        call_types: diffs.call_types.iter().cloned().map(|c| CallTypeSummary { risk: None, ..c }).collect(),
        intervals: diffs.intervals.iter().cloned().map(|i| IntervalSummary { risk: None, ..i }).collect(),
    }
}
