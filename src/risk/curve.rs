//! The risk curve: the probability of meeting the goal against headcount (`ccsim risk`).
//! Each point depends only on its headcount and the seeds, so `risk --shard` splits the
//! headcounts and `ccsim merge` concatenates the points.

use serde::{Deserialize, Serialize};

use super::{meets_goal, risk_with};
use crate::model::Scenario;
use crate::replicate::{self, Options};
use crate::stats::{CONFIDENCE, Estimate, IntervalEstimate, RatioTally};

/// One headcount of the risk curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// Peak agents on duty (all groups).
    pub agents: u32,
    /// Share of replications (each a run of the scenario's days) that meet the goal.
    pub p_meet_goal: IntervalEstimate,
    /// Service level over the replications, as every summary gives it: the ratio of the
    /// totals (contacts answered within the target over all of them), not the mean of each
    /// replication's own.
    pub service_level: Estimate,
    /// 10th percentile of the replications' service level.
    pub sl_p10: IntervalEstimate,
}

/// Probability of meeting the goal against headcount (`ccsim risk`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskCurve {
    /// Scenario name.
    pub scenario: String,
    /// The plan whose profile is scaled.
    pub plan: String,
    /// Replications per headcount (the same seeds for every headcount).
    pub replications: u32,
    /// Base seed.
    pub seed: u64,
    /// Service-level goal.
    pub goal: f64,
    /// Answer-time target in seconds.
    pub target_s: f64,
    /// What the service level counts: `answered` when the scenario's goal leaves abandoned
    /// contacts out; absent for the default, all offered contacts.
    #[serde(default = "offered", skip_serializing_if = "is_offered")]
    pub definition: crate::model::SlDefinition,
    /// Days one replication runs: each point's shares count runs of this many days (a day,
    /// a week), not single days.
    #[serde(default = "one_day")]
    pub days: usize,
    /// One point per headcount, increasing.
    pub points: Vec<CurvePoint>,
    /// Each channel's goal, with several channels: a replication then meets the goal when every
    /// channel meets its own ([`meets_goal`]). Absent with one channel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channel_goals: Vec<crate::model::ChannelGoal>,
    /// The shrinkage taken out of each scaled plan before simulating (`--apply-shrinkage`);
    /// absent without it. Headcounts still count every agent on duty.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub shrinkage_applied: f64,
    /// Agents on duty at the busiest interval of the plan as scheduled ([`plan_peak`]): the
    /// headcount at which the plan is scaled by one.
    #[serde(default)]
    pub plan_peak_agents: f64,
    /// Whether the plan has shifts and the scenario absence: a scaled plan is per-interval
    /// headcounts, whose absence is drawn per record of a pool rather than per agent of a
    /// shift, so at the plan's own headcount the curve need not equal `simulate` of the plan.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub absence_per_pool: bool,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn offered() -> crate::model::SlDefinition {
    crate::model::SlDefinition::Offered
}

fn is_offered(d: &crate::model::SlDefinition) -> bool {
    *d == crate::model::SlDefinition::Offered
}

/// The days of a curve written before `days` was: one.
fn one_day() -> usize {
    1
}

/// The agents on duty at the busiest interval of `scenario`'s plan, all groups together: the
/// headcount a risk curve's points are counted in, at which the plan is scaled by one.
pub fn plan_peak(scenario: &Scenario) -> f64 {
    let on_duty = scenario.plan.on_duty(&scenario.grid, scenario.agent_groups.len());
    (0..scenario.grid.len()).map(|i| on_duty.iter().map(|g| g[i]).sum::<f64>()).fold(0.0, f64::max)
}

/// The scenario worked by `agents` at its plan's busiest interval: each group's on-duty
/// profile scaled by `agents / peak` and rounded, as staffing vectors. `None` when the plan
/// has nobody on duty.
pub fn scaled_plan(scenario: &Scenario, agents: u32) -> Option<Scenario> {
    let on_duty = scenario.plan.on_duty(&scenario.grid, scenario.agent_groups.len());
    let peak = plan_peak(scenario);
    if peak <= 0.0 {
        return None;
    }
    let scale = f64::from(agents) / peak;
    let rows: Vec<Vec<u32>> =
        on_duty.iter().map(|row| row.iter().map(|&a| (a * scale).round() as u32).collect()).collect();
    let name = format!("{} scaled to {agents}", scenario.plan.name);
    Some(crate::staffing::with_staffing(scenario, &rows, &name))
}

/// The risk curve of `scenario`'s plan scaled to each headcount of `agents`, each simulated
/// on the same seeds with `shrinkage` taken off the phones (0: every agent takes calls).
/// `progress` is called once per replication.
///
/// # Errors
/// [`crate::error::BadInput`] when the plan has nobody on duty; when the thread pool cannot
/// be built.
pub fn curve(
    scenario: &Scenario,
    agents: &[u32],
    options: &Options,
    shrinkage: f64,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<RiskCurve> {
    let points = agents
        .iter()
        .map(|&n| curve_point(scenario, n, options, shrinkage, progress))
        .collect::<anyhow::Result<_>>()?;
    Ok(curve_of(scenario, options, shrinkage, points))
}

/// One point of the risk curve: `scenario`'s plan scaled to `agents`, simulated with
/// `options`. A point depends only on its headcount and the seeds, so a curve shards by
/// headcount and its points merge by concatenation.
///
/// # Errors
/// As [`curve`].
pub fn curve_point(
    scenario: &Scenario,
    agents: u32,
    options: &Options,
    shrinkage: f64,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<CurvePoint> {
    let mut staffed = scaled_plan(scenario, agents).ok_or_else(|| {
        crate::error::BadInput(format!(
            "{}: plan \"{}\" has nobody on duty, so there is no profile to scale; give a plan \
             with agents (--plan FILE)",
            scenario.source.display(),
            scenario.plan.name
        ))
    })?;
    if shrinkage > 0.0 {
        // As `simulate --apply-shrinkage` does: the headcount is paid, the net is on the phones.
        let net = crate::shrinkage::net_of_shrinkage(&staffed.plan, &staffed.grid, shrinkage);
        staffed = staffed.with_plan(net);
    }
    let start = (Vec::new(), Vec::new(), RatioTally::default());
    let (levels, met, service_level) =
        replicate::run_fold(&staffed, options, progress, start, |(levels, met, service_level), rep| {
            levels.push(rep.overall.stats.service_level);
            met.push(meets_goal(&staffed, &rep));
            let (rate, base) = rep.overall.rates().service_level;
            service_level.add(rate, base);
        })?;
    let risk = risk_with(&levels, &met);
    Ok(CurvePoint {
        agents,
        p_meet_goal: risk.p_meet_goal,
        service_level: service_level.estimate(CONFIDENCE),
        sl_p10: risk.sl_p10,
    })
}

/// The curve of `points` (in increasing headcount) of `scenario`'s plan run with `options`.
pub fn curve_of(
    scenario: &Scenario,
    options: &Options,
    shrinkage: f64,
    points: Vec<CurvePoint>,
) -> RiskCurve {
    RiskCurve {
        scenario: scenario.name.clone(),
        plan: scenario.plan.name.clone(),
        replications: options.replications,
        seed: options.seed,
        goal: scenario.goal().goal,
        target_s: scenario.goal().target,
        definition: scenario.goal().definition,
        days: scenario.grid.days(),
        points,
        channel_goals: scenario.several_channel_goals(),
        shrinkage_applied: shrinkage,
        plan_peak_agents: plan_peak(scenario),
        absence_per_pool: !scenario.plan.shifts.is_empty()
            && scenario.uncertainty.as_ref().is_some_and(|u| u.absence > 0.0),
    }
}
