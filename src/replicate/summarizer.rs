//! Running estimates over replications ([`Summarizer`]): each replication is folded in as it
//! comes, in replication order, so a summary of any number of replications holds one
//! replication's figures, and gives the same numbers as estimating from all of them at once.

use super::{Replication, backlog, callback, lines};
use crate::metrics::{CallStats, Metrics};
use crate::model::Scenario;
use crate::stats::{CONFIDENCE, Estimate, RatioDifferenceTally, RatioTally, Tally, WaitHistogram};
use crate::summary::{
    CallTypeSummary, ChannelSummary, GridInfo, GroupInterval, GroupSummary, IntervalSummary, IntervalTotal,
    Summary, WaitBucket, WaitDistribution,
};

/// How a [`Summarizer`] estimates a rate over replications: as one plan's ratio of totals
/// ([`RatioTally`]), or as the paired difference of two plans' ([`RatioDifferenceTally`]).
pub trait RateTally: Clone + Default {
    /// The estimate at `confidence`.
    fn estimate(&self, confidence: f64) -> Estimate;
}

impl RateTally for RatioTally {
    fn estimate(&self, confidence: f64) -> Estimate {
        RatioTally::estimate(self, confidence)
    }
}

impl RateTally for RatioDifferenceTally {
    fn estimate(&self, confidence: f64) -> Estimate {
        RatioDifferenceTally::estimate(self, confidence)
    }
}

/// Running estimates over replications, fed in replication order, in the memory of one
/// replication: each count and percentile of the summary is a [`Tally`] of the per-replication
/// values (their mean with its Student-t interval), each rate (service level, abandonment,
/// ASA, occupancy, ...) a `R` of the replications' rates and bases (the ratio of the totals).
/// The same numbers as estimating from all the values at once.
pub struct Summarizer<R: RateTally = RatioTally> {
    n_types: usize,
    n_intervals: usize,
    replications: u32,
    /// The figures of the `CallStats` records that are not rates, flattened: intervals x call
    /// types, then interval totals, then call types, then overall, then channels;
    /// [`PLAIN_KEYS`] tallies each.
    records: Vec<Tally>,
    /// The rates, in [`Replication::rates`]' order: [`Metrics`]' keys for each record above,
    /// then occupancy per group and interval, per group, and of all groups.
    rates: Vec<R>,
    /// Per group and interval: agents on duty.
    group_intervals: Vec<Tally>,
    /// Per group: mean concurrency, for the groups that take chats.
    group_concurrency: Vec<Option<Tally>>,
    /// All contacts, then each call type.
    waits: Vec<WaitHistogram>,
    /// All contacts, then each call type: offered contacts the service level leaves out.
    not_judged: Vec<u64>,
    lines: lines::LineSummarizer<R>,
    backlog: backlog::BacklogSummarizer,
    callbacks: callback::CallbackSummarizer<R>,
    /// Every replication's service levels, for a scenario that models bad days.
    risk: Option<crate::risk::RiskTally>,
}

/// How many figures of a [`CallStats`] record are not rates.
const PLAIN_KEYS: usize = CallStats::<f64>::KEYS.len() - Metrics::<f64>::KEYS.len();

/// Whether `key` of a [`CallStats`] record is a rate (one of [`Metrics`]).
fn is_rate(key: &str) -> bool {
    Metrics::<f64>::KEYS.contains(&key)
}

impl<R: RateTally> Summarizer<R> {
    /// An empty summary of replications of `scenario`.
    pub fn new(scenario: &Scenario) -> Summarizer<R> {
        let n_types = scenario.call_types.len();
        let n_intervals = scenario.grid.len();
        let n_groups = scenario.agent_groups.len();
        let n_records = n_intervals * n_types + n_intervals + n_types + 1 + scenario.channels().len();
        Summarizer {
            n_types,
            n_intervals,
            replications: 0,
            records: vec![Tally::default(); n_records * PLAIN_KEYS],
            rates: vec![
                R::default();
                n_records * Metrics::<f64>::KEYS.len() + n_groups * n_intervals + n_groups + 1
            ],
            group_intervals: vec![Tally::default(); n_groups * n_intervals],
            group_concurrency: scenario
                .agent_groups
                .iter()
                .map(|g| g.chat.as_ref().map(|_| Tally::default()))
                .collect(),
            waits: vec![WaitHistogram::default(); n_types + 1],
            not_judged: vec![0; n_types + 1],
            lines: lines::LineSummarizer::default(),
            backlog: backlog::BacklogSummarizer::default(),
            callbacks: callback::CallbackSummarizer::default(),
            risk: crate::risk::models_bad_days(scenario).then(|| crate::risk::RiskTally::new(scenario)),
        }
    }

    /// Adds what is not a rate of the next replication (or of a difference of two).
    fn add_figures(&mut self, rep: &Replication) {
        for (record, tallies) in rep.records().zip(self.records.chunks_mut(PLAIN_KEYS)) {
            let plain = CallStats::<f64>::KEYS.iter().zip(record.stats.values()).filter(|(k, _)| !is_rate(k));
            for (tally, (_, &value)) in tallies.iter_mut().zip(plain) {
                add_finite(tally, value);
            }
        }
        for (on_duty, &(a, _)) in self.group_intervals.iter_mut().zip(&rep.group_intervals) {
            add_finite(on_duty, a);
        }
        for (tally, &c) in self.group_concurrency.iter_mut().zip(&rep.group_concurrency) {
            if let Some(tally) = tally {
                add_finite(tally, c);
            }
        }
        for (merged, waits) in self.waits.iter_mut().zip(&rep.waits) {
            merged.merge(waits);
        }
        for (sum, &n) in self.not_judged.iter_mut().zip(&rep.not_judged) {
            *sum += n;
        }
        if let Some(backlog) = &rep.backlog {
            self.backlog.add(backlog);
        }
        if let Some(risk) = &mut self.risk {
            risk.add(rep);
        }
        self.replications += 1;
    }

    /// The estimates of record `index` (see [`Summarizer::records`]).
    fn record(&self, index: usize) -> CallStats<Estimate> {
        let mut plain = self.records[index * PLAIN_KEYS..(index + 1) * PLAIN_KEYS].iter();
        let mut rates = self.rates[index * Metrics::<f64>::KEYS.len()..].iter();
        CallStats::from_fn(|key| {
            let next = if is_rate(key) { rates.next().map(|r| r.estimate(CONFIDENCE)) } else { None };
            next.unwrap_or_else(|| plain.next().map_or(Tally::default(), |t| *t).estimate(CONFIDENCE))
        })
    }

    /// The summary of the replications added, run with `seed`.
    pub fn finish(&self, scenario: &Scenario, seed: u64) -> Summary {
        let grid = &scenario.grid;
        let (n_types, n_intervals) = (self.n_types, self.n_intervals);
        let totals = n_intervals * n_types;
        let n_records = self.records.len() / PLAIN_KEYS;
        let occupancy_at = n_records * Metrics::<f64>::KEYS.len();
        let n_groups = scenario.agent_groups.len();
        let occupancy = |k: usize| self.rates[occupancy_at + k].estimate(CONFIDENCE);
        let risk = self.risk.as_ref().map(crate::risk::RiskTally::finish);
        let mut intervals = Vec::with_capacity(n_intervals * n_types);
        for idx in 0..n_intervals {
            for (ct, call_type) in scenario.call_types.iter().enumerate() {
                intervals.push(IntervalSummary {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    call_type: call_type.name.clone(),
                    stats: self.record(idx * n_types + ct),
                    risk: risk.as_ref().map(|r| r.intervals[idx * n_types + ct]),
                });
            }
        }
        let agent_groups = scenario
            .agent_groups
            .iter()
            .enumerate()
            .map(|(g, group)| GroupSummary {
                name: group.name.clone(),
                occupancy: occupancy(n_groups * n_intervals + g),
                mean_concurrency: self.group_concurrency[g].map(|t| t.estimate(CONFIDENCE)),
                intervals: (0..n_intervals)
                    .map(|idx| GroupInterval {
                        day: grid.day_of(idx),
                        start: grid.clock_of(idx).to_string(),
                        agents_on_duty: self.group_intervals[g * n_intervals + idx].estimate(CONFIDENCE),
                        occupancy: occupancy(g * n_intervals + idx),
                    })
                    .collect(),
            })
            .collect();
        let wait_distribution = self
            .waits
            .iter()
            .enumerate()
            .map(|(k, merged)| WaitDistribution {
                call_type: (k > 0).then(|| scenario.call_types[k - 1].name.clone()),
                buckets: merged
                    .nonempty_buckets()
                    .into_iter()
                    .map(|(low_s, high_s, count)| WaitBucket { low_s, high_s, count })
                    .collect(),
                offered_not_judged: self.not_judged[k],
            })
            .collect();
        Summary {
            scenario: scenario.name.clone(),
            seed,
            replications: self.replications,
            plan: scenario.plan.name.clone(),
            service_level: scenario.goal(),
            grid: GridInfo::of(grid),
            paid_hours: scenario.plan.paid_hours(grid),
            shrinkage_applied: 0.0,
            occupancy: occupancy(n_groups * n_intervals + n_groups),
            overall: self.record(totals + n_intervals + n_types),
            risk: risk.as_ref().map(|r| r.overall),
            call_types: scenario
                .call_types
                .iter()
                .enumerate()
                .map(|(ct, c)| CallTypeSummary {
                    name: c.name.clone(),
                    channel: c.channel,
                    stats: self.record(totals + n_intervals + ct),
                    risk: risk.as_ref().map(|r| r.call_types[ct]),
                })
                .collect(),
            channels: scenario
                .channels()
                .into_iter()
                .enumerate()
                .map(|(k, name)| ChannelSummary {
                    name,
                    goal: scenario.goal_for(name),
                    stats: self.record(totals + n_intervals + n_types + 1 + k),
                })
                .collect(),
            intervals,
            interval_totals: (0..n_intervals)
                .map(|idx| IntervalTotal {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    stats: self.record(totals + idx),
                })
                .collect(),
            agent_groups,
            wait_distribution,
            lines: self.lines.finish(scenario),
            callbacks: self.callbacks.finish(scenario),
            events: Vec::new(),
            backlog: self.backlog.finish(scenario),
        }
    }
}

impl Summarizer<RatioTally> {
    /// Adds the next replication (in replication order).
    pub fn add(&mut self, rep: &Replication) {
        for (tally, (rate, base)) in self.rates.iter_mut().zip(rep.rates()) {
            tally.add(rate, base);
        }
        if let Some(lines) = &rep.lines {
            self.lines.add(lines);
        }
        if let Some(callbacks) = &rep.callbacks {
            self.callbacks.add(callbacks);
        }
        self.add_figures(rep);
    }
}

impl Summarizer<RatioDifferenceTally> {
    /// Adds the next replication of a plan and of the base plan (the same callers): each count
    /// and percentile as their difference, each rate as both ratios' parts.
    pub fn add_paired(&mut self, rep: &Replication, base: &Replication) {
        for (tally, (plan, base)) in self.rates.iter_mut().zip(rep.rates().zip(base.rates())) {
            tally.add(plan, base);
        }
        if let Some((lines, base)) = rep.lines.as_ref().zip(base.lines.as_ref()) {
            self.lines.add_paired(lines, base);
        }
        if let Some((callbacks, base)) = rep.callbacks.as_ref().zip(base.callbacks.as_ref()) {
            self.callbacks.add_paired(callbacks, base);
        }
        self.add_figures(&rep.minus(base));
    }
}

/// Estimates skip what a replication does not define (NaN: ASA with no answered call).
pub(super) fn add_finite(tally: &mut Tally, value: f64) {
    if value.is_finite() {
        tally.add(value);
    }
}

/// Summarises replications of `scenario` (run with `seed`) for people.
pub fn summarize(scenario: &Scenario, seed: u64, reps: &[Replication]) -> Summary {
    let mut summarizer = Summarizer::new(scenario);
    for rep in reps {
        summarizer.add(rep);
    }
    summarizer.finish(scenario, seed)
}
