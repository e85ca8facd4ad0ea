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
//! Beside it, each in its own module: the risk curve (`curve`: the probability of meeting the
//! goal against headcount) and the impact of `[[events]]` (`events`: time to recover, peak
//! queue, extra abandons and redials).

use serde::{Deserialize, Serialize};

use crate::model::Scenario;
use crate::replicate::Replication;
use crate::stats::IntervalEstimate;

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

mod curve;
mod events;

pub use curve::{CurvePoint, RiskCurve, curve, curve_of, curve_point, plan_peak, scaled_plan};
pub use events::{EventImpact, RECOVERED_WITHIN, event_impacts};

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
}
