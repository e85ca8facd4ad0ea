//! The risk of missing the goal: how often a plan's day meets the service-level goal, not
//! only whether the mean does.
//!
//! Each replication is one simulated day (or week, for a multi-day scenario): its service
//! level is recorded overall, per call type and per interval, and the risk figures are read
//! off the replications:
//!
//! ```text
//! p_meet_goal = #{replications whose service level >= goal} / #{replications with calls}
//! sl_p10      = 10th percentile of the replications' service level
//! ```
//!
//! `p_meet_goal`'s interval is the binomial 95% one (Wilson score interval, which stays within
//! 0 and 1 and does not shrink to nothing at either end); `sl_p10`'s is the distribution-free
//! interval of a quantile from the order statistics at ranks `n·0.1 ± 1.96·sqrt(n·0.1·0.9)`.
//! Neither is symmetric about its estimate, so both keep their two ends
//! ([`IntervalEstimate`]).
//! A replication whose cell has no calls does not count.
//!
//! Also here: the risk curve (probability of meeting the goal against headcount; each point
//! depends only on its headcount and the seeds, so `risk --shard` splits the headcounts and
//! `ccsim merge` concatenates the points) and the impact of `[[events]]` (time to recover, peak
//! queue, extra abandons and redials).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Channel, Scenario};
use crate::replicate::{self, Options, Replication};
use crate::sim::{self, Observer, TraceRecord};
use crate::stats::{CONFIDENCE, Estimate, IntervalEstimate, RatioTally, Tally};
use crate::time::{DAY, SimTime};

/// z of the two-sided 95% normal interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The quantile of the day's service level reported as `sl_p10`.
pub const SL_QUANTILE: f64 = 0.10;

/// Risk figures of one set of contacts (overall, a call type, an interval).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// Share of replications whose service level meets the goal, with its binomial 95%
    /// interval.
    pub p_meet_goal: IntervalEstimate,
    /// 10th percentile of the replications' service level (nine days in ten do better), with
    /// its order-statistic 95% interval.
    pub sl_p10: IntervalEstimate,
}

/// Share of `k` successes in `n` trials with its Wilson 95% interval.
pub fn binomial_estimate(k: usize, n: usize) -> IntervalEstimate {
    if n == 0 {
        return IntervalEstimate::default();
    }
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 and at 1 one end is the share itself, exactly (the formula leaves a rounding error).
    let low = if p == 0.0 { 0.0 } else { (centre - half).max(0.0) };
    let high = if p == 1.0 { 1.0 } else { (centre + half).min(1.0) };
    IntervalEstimate::new(p, low, high)
}

/// The `q`-quantile of `sorted` (ascending, non-empty) with its distribution-free 95%
/// interval from order statistics; none (NaN) from one value, as for a mean: both ranks
/// would fall on that value and claim a certainty one replication cannot give.
///
/// Where a rank of the interval falls outside the replications (the lower one of a 10th
/// percentile from fewer than 35 of them, [`sl_p10_bounded_from`]), the data do not bound the
/// quantile on that side, and the interval runs to the end of `range`, the values the quantity
/// can take.
pub fn quantile_estimate(sorted: &[f64], q: f64, range: (f64, f64)) -> IntervalEstimate {
    let n = sorted.len();
    if n == 0 {
        return IntervalEstimate::default();
    }
    if n == 1 {
        return IntervalEstimate::new(sorted[0], f64::NAN, f64::NAN);
    }
    let nf = n as f64;
    let at = |rank: f64, beyond: f64| {
        let rank = rank.ceil();
        if rank < 1.0 || rank > nf { beyond } else { sorted[rank as usize - 1] }
    };
    let value = sorted[((nf * q).ceil() as usize).clamp(1, n) - 1];
    let spread = Z95 * (nf * q * (1.0 - q)).sqrt();
    IntervalEstimate::new(value, at(nf * q - spread, range.0), at(nf * q + spread + 1.0, range.1))
}

/// The fewest replications whose lowest value bounds the 10th percentile from below
/// ([`quantile_estimate`]'s lower rank reaches 1): 35. With fewer, `sl_p10`'s interval starts
/// at 0%, and the reports say why.
pub fn sl_p10_bounded_from() -> usize {
    let lower_rank = |n: f64| n * SL_QUANTILE - Z95 * (n * SL_QUANTILE * (1.0 - SL_QUANTILE)).sqrt();
    (2..).find(|&n| lower_rank(n as f64).ceil() >= 1.0).unwrap_or(usize::MAX)
}

/// The risk figures of per-replication service levels (non-finite values: no calls, skipped).
pub fn risk_of(service_levels: &[f64], goal: f64) -> Risk {
    let met: Vec<Option<bool>> = service_levels.iter().map(|&v| v.is_finite().then_some(v >= goal)).collect();
    risk_with(service_levels, &met)
}

/// The risk figures of per-replication service levels and whether each replication met its
/// goal (`None`: no calls, skipped).
fn risk_with(service_levels: &[f64], met: &[Option<bool>]) -> Risk {
    let mut finite: Vec<f64> = service_levels.iter().copied().filter(|v| v.is_finite()).collect();
    finite.sort_by(f64::total_cmp);
    let judged = met.iter().flatten().count();
    Risk {
        p_meet_goal: binomial_estimate(met.iter().filter(|m| **m == Some(true)).count(), judged),
        sl_p10: quantile_estimate(&finite, SL_QUANTILE, (0.0, 1.0)),
    }
}

/// Whether one replication's day meets the goal: every channel with contacts meets its own
/// (with one channel, all contacts against its goal; with several, pooled contacts have no
/// one goal). `None` when the day had no contacts to judge.
pub fn meets_goal(scenario: &Scenario, rep: &Replication) -> Option<bool> {
    day_meets(&channel_goals(scenario), rep)
}

/// Per channel present (in the order of [`Replication::channels`]), its goal.
fn channel_goals(scenario: &Scenario) -> Vec<f64> {
    scenario.channels().into_iter().map(|c| scenario.goal_for(c).goal).collect()
}

/// [`meets_goal`] with each channel's goal.
fn day_meets(channel_goals: &[f64], rep: &Replication) -> Option<bool> {
    if !rep.overall.stats.service_level.is_finite() {
        return None;
    }
    Some(
        channel_goals
            .iter()
            .zip(&rep.channels)
            .filter(|(_, stats)| stats.stats.service_level.is_finite())
            .all(|(&goal, stats)| stats.stats.service_level >= goal),
    )
}

/// Every replication's service level per interval and call type, per call type and overall,
/// fed in replication order.
#[derive(Clone, Debug)]
pub struct RiskTally {
    /// Per call type, its channel's goal.
    goals: Vec<f64>,
    /// Per channel present, its goal.
    channel_goals: Vec<f64>,
    /// Per record (intervals × call types, then call types, then overall), one value per
    /// replication.
    service_levels: Vec<Vec<f64>>,
    /// Per replication, whether its day met the goal ([`meets_goal`]).
    days_met: Vec<Option<bool>>,
}

/// The risk figures of a run, in the order of the summary.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskFigures {
    /// All contacts.
    pub overall: Risk,
    /// Per call type.
    pub call_types: Vec<Risk>,
    /// Per interval and call type (`interval * n_types + call_type`).
    pub intervals: Vec<Risk>,
}

impl RiskTally {
    /// An empty tally for `scenario`.
    pub fn new(scenario: &Scenario) -> RiskTally {
        let n_types = scenario.call_types.len();
        let n_records = scenario.grid.len() * n_types + n_types + 1;
        RiskTally {
            goals: scenario.call_types.iter().map(|c| scenario.goal_for(c.channel).goal).collect(),
            channel_goals: channel_goals(scenario),
            service_levels: vec![Vec::new(); n_records],
            days_met: Vec::new(),
        }
    }

    /// Adds the next replication.
    pub fn add(&mut self, rep: &Replication) {
        let records = rep.intervals.iter().chain(&rep.call_types).chain([&rep.overall]);
        for (values, record) in self.service_levels.iter_mut().zip(records) {
            values.push(record.stats.service_level);
        }
        self.days_met.push(day_meets(&self.channel_goals, rep));
    }

    /// The figures of the replications added: each interval and call type against its
    /// channel's goal, the day by [`meets_goal`].
    pub fn finish(&self) -> RiskFigures {
        let n_types = self.goals.len();
        let (cells, rest) = self.service_levels.split_at(self.service_levels.len() - n_types - 1);
        let judged = |records: &[Vec<f64>]| -> Vec<Risk> {
            records.iter().enumerate().map(|(k, v)| risk_of(v, self.goals[k % n_types])).collect()
        };
        RiskFigures {
            overall: risk_with(&rest[n_types], &self.days_met),
            call_types: judged(&rest[..n_types]),
            intervals: judged(cells),
        }
    }
}

/// Whether a scenario models bad days (`[uncertainty]` or `[[events]]`): only then do runs
/// report risk figures, so other scenarios' outputs stay as they were.
pub fn models_bad_days(scenario: &Scenario) -> bool {
    scenario.uncertainty.as_ref().is_some_and(|u| !u.is_none()) || !scenario.events.is_empty()
}

// ----- the risk curve -----------------------------------------------------------------------

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

// ----- events -------------------------------------------------------------------------------

/// What one `[[events]]` entry did, against the same seeds without it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventImpact {
    /// Event name.
    pub name: String,
    /// Days it happened on.
    pub days: Vec<usize>,
    /// Clock time it starts.
    pub start: String,
    /// Its length in seconds.
    pub length_s: f64,
    /// From the event's start to the start of the first interval from which the service level
    /// (the ratio of its totals over the replications) is back to normal and stays there until
    /// 24 hours after the event's end (or the end of the run); the longest over its days. Back
    /// to normal: at or above the goal, or not more than 2 points ([`RECOVERED_WITHIN`]) below
    /// the same interval without the event (the paired difference's 95% interval reaches -2
    /// points). With several channels each channel with contacts in the interval is judged so
    /// against its own goal, its contacts alone, and the interval is back to normal when every
    /// one of them is (as a day meets the goal when every channel meets its own). `null`: not
    /// recovered within that time.
    pub time_to_recover_s: Option<f64>,
    /// Most callers waiting at once (calls and chats; emails waiting in the backlog are not
    /// counted) from the event's start to the end of that day, or to the start of another event
    /// later that day if that comes first (never before the event's own end); the largest over
    /// its days, per replication.
    pub peak_queue: Estimate,
    /// Abandoned contacts over the whole run minus the same replication without the event.
    pub extra_abandoned: Estimate,
    /// Redials offered over the whole run minus the same replication without the event.
    pub extra_redials: Estimate,
}

/// How close (in service-level points) to the same interval without the event counts as
/// recovered, for an interval that misses the goal even without it.
pub const RECOVERED_WITHIN: f64 = 0.02;

/// One replication's service level per channel present and interval (`channel * n_intervals +
/// interval`, channels in [`Scenario::channels`]' order), as (rate, base): each channel's
/// contacts judged alone, since each is held to its own goal. With one channel, the interval's
/// totals themselves.
fn channel_interval_sl(scenario: &Scenario, rep: &Replication) -> Vec<(f64, f64)> {
    let channels = scenario.channels();
    if channels.len() < 2 {
        return rep.interval_totals.iter().map(|r| r.rates().service_level).collect();
    }
    let n_types = scenario.call_types.len();
    let n_intervals = rep.interval_totals.len();
    let channel_of: Vec<usize> = scenario
        .call_types
        .iter()
        .map(|c| channels.iter().position(|&ch| ch == c.channel).unwrap_or(0))
        .collect();
    let mut sums = vec![(0.0, 0.0); channels.len() * n_intervals];
    for (k, record) in rep.intervals.iter().enumerate() {
        let (rate, base) = record.rates().service_level;
        if base > 0.0 && rate.is_finite() {
            let sum = &mut sums[channel_of[k % n_types] * n_intervals + k / n_types];
            sum.0 += rate * base;
            sum.1 += base;
        }
    }
    sums.into_iter().map(|(within, base)| (if base > 0.0 { within / base } else { f64::NAN }, base)).collect()
}

/// Service level per channel and interval over the replications (each [`channel_interval_sl`]):
/// the ratio of its totals, the figure every table and chart shows for the interval. The mean of
/// each replication's own level would read higher where the busier replications do worse, and
/// call an interval back at the goal that the reports show below it.
fn interval_sl(reps: &[Vec<(f64, f64)>]) -> Vec<f64> {
    let mut tallies = vec![RatioTally::default(); reps.first().map_or(0, Vec::len)];
    for rep in reps {
        for (tally, &(rate, base)) in tallies.iter_mut().zip(rep) {
            tally.add(rate, base);
        }
    }
    tallies.iter().map(|t| t.estimate(CONFIDENCE).mean).collect()
}

/// Records when each queued call or chat waited, to find the longest queue later. Emails are
/// left out: a backlog that waits overnight by design is no queue of waiting customers, and it
/// would outnumber the callers of any event (the backlog table reports it).
struct QueueLog {
    waits: Vec<(SimTime, SimTime)>,
    /// Per call type: whether its customers wait in real time (voice, chat).
    real_time: Vec<bool>,
}

impl QueueLog {
    fn of(scenario: &Scenario) -> QueueLog {
        let real_time = scenario.call_types.iter().map(|c| c.channel != Channel::Email).collect();
        QueueLog { waits: Vec::new(), real_time }
    }
}

impl Observer for QueueLog {
    fn contact_ended(&mut self, r: &TraceRecord) {
        if r.wait_s > 0.0 && self.real_time[usize::from(r.call_type)] {
            self.waits.push((r.arrival_s, r.arrival_s + r.wait_s));
        }
    }
}

/// Most contacts waiting at once within `[from, to)`.
fn peak_waiting(waits: &[(SimTime, SimTime)], from: SimTime, to: SimTime) -> u32 {
    let mut changes: Vec<(SimTime, i32)> = Vec::new();
    for &(a, b) in waits {
        if b > from && a < to {
            changes.push((a.max(from), 1));
            changes.push((b, -1));
        }
    }
    // Departures before arrivals at the same instant: a queue never holds both.
    changes.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, d) in changes {
        now += d;
        peak = peak.max(now);
    }
    peak.max(0) as u32
}

/// The end of the time an event's peak queue is looked for, the event lasting `open..close`:
/// the end of its day, or earlier where another event starts later that day (at `others`),
/// since from then on the queue is that event's too; never before the event's own end.
fn peak_until(open: SimTime, close: SimTime, others: &[SimTime]) -> SimTime {
    let day_end = (open / DAY).floor() * DAY + DAY;
    let next = others.iter().copied().filter(|&o| o > open && o < day_end).fold(day_end, SimTime::min);
    next.max(close).min(day_end)
}

/// The impact of each of `scenario`'s events: every replication simulated with all events
/// and with all but that one, on the same seeds.
///
/// # Errors
/// When a replication's contacts do not balance (an internal error).
pub fn event_impacts(scenario: &Scenario, options: &Options) -> anyhow::Result<Vec<EventImpact>> {
    if scenario.events.is_empty() {
        return Ok(Vec::new());
    }
    let grid = &scenario.grid;
    // Per channel present, its goal: an interval's recovery is judged channel by channel.
    let goals: Vec<f64> = scenario.channels().iter().map(|&c| scenario.goal_for(c).goal).collect();
    let reps: Vec<u32> = (0..options.replications).collect();
    let with: Vec<(Replication, Vec<(SimTime, SimTime)>)> = reps
        .par_iter()
        .map(|&r| {
            let mut log = QueueLog::of(scenario);
            let counts = sim::run(scenario, options.seed, r, &mut log);
            sim::check_counts(scenario, r, &counts)?;
            Ok((Replication::from_counts(scenario, &counts), log.waits))
        })
        .collect::<anyhow::Result<_>>()?;
    let with_sl: Vec<Vec<(f64, f64)>> =
        with.iter().map(|(rep, _)| channel_interval_sl(scenario, rep)).collect();
    let mean_sl = interval_sl(&with_sl);
    let n = grid.len();
    // Per event, when the other events start: a later event on the same day has its own peak.
    let opens: Vec<Vec<SimTime>> =
        scenario.events.iter().map(|ev| ev.windows(grid).iter().map(|w| w.1).collect()).collect();
    let others_open: Vec<Vec<SimTime>> = (0..opens.len())
        .map(|e| {
            opens.iter().enumerate().filter(|(k, _)| *k != e).flat_map(|(_, o)| o.iter().copied()).collect()
        })
        .collect();
    let mut out = Vec::new();
    for (e, event) in scenario.events.iter().enumerate() {
        let mut without = scenario.clone();
        without.events.remove(e);
        let base: Vec<Replication> = reps
            .par_iter()
            .map(|&r| {
                let counts = sim::run_untraced(&without, options.seed, r);
                sim::check_counts(&without, r, &counts)?;
                Ok(Replication::from_counts(&without, &counts))
            })
            .collect::<anyhow::Result<_>>()?;
        // Per channel and interval: this event's effect on the service level, paired by
        // replication.
        let mut effect = vec![Tally::default(); mean_sl.len()];
        let base_sl: Vec<Vec<(f64, f64)>> = base.iter().map(|b| channel_interval_sl(&without, b)).collect();
        for (rep, b) in with_sl.iter().zip(&base_sl) {
            for (k, tally) in effect.iter_mut().enumerate() {
                let d = rep[k].0 - b[k].0;
                if d.is_finite() {
                    tally.add(d);
                }
            }
        }
        let effect: Vec<Estimate> = effect.iter().map(|t| t.estimate(CONFIDENCE)).collect();
        let windows = event.windows(grid);
        let mut recover: Option<f64> = Some(0.0);
        for &(_, open, close) in &windows {
            let first = crate::events::overlapping(grid, open, close).start;
            let last = crate::events::overlapping(grid, open, close + DAY).end;
            if first >= last {
                continue;
            }
            // Back to normal: every channel with contacts at or above its goal, or no more than
            // RECOVERED_WITHIN below the same interval without the event at 95% confidence (an
            // interval that misses the goal anyway does not hold recovery back; an undefined
            // difference counts as none, a channel without contacts as recovered).
            let ok = |i: usize| {
                goals.iter().enumerate().all(|(c, &goal)| {
                    let (e, sl) = (effect[c * n + i], mean_sl[c * n + i]);
                    let below_goal = sl < goal;
                    let clearly_worse = e.mean + e.half_width.max(0.0) < -RECOVERED_WITHIN;
                    !below_goal || !clearly_worse
                })
            };
            let mut from = last;
            while from > first && ok(from - 1) {
                from -= 1;
            }
            recover = match (recover, from < last) {
                (Some(r), true) => Some(r.max((grid.start_of(from) - open).max(0.0))),
                _ => None,
            };
        }
        let mut peak = Tally::default();
        let (mut abandoned, mut redials) = (Tally::default(), Tally::default());
        let peak_windows: Vec<(SimTime, SimTime)> = windows
            .iter()
            .map(|&(_, open, close)| (open, peak_until(open, close, &others_open[e])))
            .collect();
        for ((rep, waits), b) in with.iter().zip(&base) {
            let p = peak_windows.iter().map(|&(from, to)| peak_waiting(waits, from, to)).max().unwrap_or(0);
            peak.add(f64::from(p));
            abandoned.add(rep.overall.stats.abandoned - b.overall.stats.abandoned);
            redials.add(rep.overall.stats.offered_redial - b.overall.stats.offered_redial);
        }
        out.push(EventImpact {
            name: event.name.clone(),
            days: windows.iter().map(|w| w.0).collect(),
            start: event.start.to_string(),
            length_s: event.length,
            time_to_recover_s: recover,
            peak_queue: peak.estimate(CONFIDENCE),
            extra_abandoned: abandoned.estimate(CONFIDENCE),
            extra_redials: redials.estimate(CONFIDENCE),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_half_width_is_wilson_and_stays_positive_at_the_ends() {
        let all = binomial_estimate(30, 30);
        assert_eq!(all.mean, 1.0);
        // Wilson lower bound for 30/30: n / (n + z²) = 30 / 33.84.
        assert!((all.half_width - (1.0 - 30.0 / (30.0 + Z95 * Z95))).abs() < 1e-12, "{all:?}");
        assert_eq!((all.low, all.high), (all.mean - all.half_width, 1.0));
        let half = binomial_estimate(50, 100);
        assert!((half.half_width - 0.0951).abs() < 2e-3, "{half:?}");
        // Wilson for 8 of 10: centre (0.8 + z²/20) / (1 + z²/10), not symmetric about 0.8.
        let eight = binomial_estimate(8, 10);
        assert!((eight.low - 0.4902).abs() < 1e-4 && (eight.high - 0.9433).abs() < 1e-4, "{eight:?}");
        assert_eq!(eight.half_width, 0.8 - eight.low);
    }

    #[test]
    fn the_tenth_percentile_is_an_order_statistic() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let q = quantile_estimate(&values, 0.1, (0.0, 1000.0));
        assert_eq!(q.mean, 10.0);
        // Ranks 10 ± 1.96·3 = 4.1 .. 15.9 (+1): values 5 and 17.
        assert_eq!((q.low, q.high), (5.0, 17.0));
        assert_eq!(q.half_width, 7.0);
        // One replication gives a value, not an interval around it.
        let one = quantile_estimate(&[0.76], 0.1, (0.0, 1.0));
        assert_eq!(one.mean, 0.76);
        assert!(one.half_width.is_nan(), "{one:?}");
        // From 10 values the lower rank, 1 - 1.96·0.95, is below the smallest: nothing bounds
        // the 10th percentile from below but the range. The upper rank is ceil(3.86) = 4.
        let ten: Vec<f64> = (1..=10).map(|v| f64::from(v) / 20.0).collect();
        let q = quantile_estimate(&ten, 0.1, (0.0, 1.0));
        assert_eq!((q.mean, q.low, q.high), (0.05, 0.0, 0.2));
        // And from 20 values the upper rank, 2 + 2.63 + 1, is within them; the lower is not.
        let twenty: Vec<f64> = (1..=20).map(|v| f64::from(v) / 40.0).collect();
        let q = quantile_estimate(&twenty, 0.1, (0.0, 1.0));
        assert_eq!((q.mean, q.low, q.high), (0.05, 0.0, 0.15));
        // 3.5 - 1.96·sqrt(3.15) = 0.02 rounds up to rank 1 at 35; 34 leaves -0.02, rank 0.
        assert_eq!(sl_p10_bounded_from(), 35);
        let at = |n: usize| {
            let values: Vec<f64> = (1..=n).map(|v| v as f64 / 100.0).collect();
            quantile_estimate(&values, SL_QUANTILE, (0.0, 1.0)).low
        };
        assert_eq!((at(34), at(35)), (0.0, 0.01));
    }

    #[test]
    fn peak_waiting_counts_overlaps_within_the_window() {
        let waits = [(0.0, 10.0), (5.0, 15.0), (12.0, 20.0), (30.0, 31.0)];
        assert_eq!(peak_waiting(&waits, 0.0, 100.0), 2);
        assert_eq!(peak_waiting(&waits, 25.0, 100.0), 1);
        assert_eq!(peak_waiting(&waits, 40.0, 100.0), 0);
    }
}
