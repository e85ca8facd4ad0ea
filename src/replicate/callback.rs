//! Callback figures of replications: one replication's figures from its counts, and their
//! estimates over replications. Present only when a call type offers callbacks, so scenarios
//! without them report exactly what they did before.

use crate::metrics::{CallbackStats, callback_stats};
use crate::model::Scenario;
use crate::sim::Counts;
use crate::stats::Estimate;
use crate::summary::{CallTypeCallbacks, CallbacksSummary, IntervalCallbackTotal, IntervalCallbacks};

use super::tallies::{CellLayout, RecordTallies};

/// One replication's callback figures.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CallbackReplication {
    /// Per interval and call type, then per interval, then per call type, then overall.
    records: Vec<CallbackStats<f64>>,
}

impl CallbackReplication {
    /// The figures of one replication, or `None` when no call type offers callbacks.
    pub fn from_counts(scenario: &Scenario, counts: &Counts) -> Option<CallbackReplication> {
        if !scenario.callbacks.any() {
            return None;
        }
        let records = CellLayout::of(scenario).records(counts, callback_stats);
        Some(CallbackReplication { records })
    }

    /// All contacts of the replication.
    pub fn overall(&self) -> CallbackStats<f64> {
        self.records.last().copied().unwrap_or_default()
    }
}

/// Running estimates of [`CallbackReplication`]s, fed in replication order.
#[derive(Clone, Debug, Default)]
pub struct CallbackSummarizer {
    records: RecordTallies,
}

impl CallbackSummarizer {
    /// Adds the next replication.
    pub fn add(&mut self, rep: &CallbackReplication) {
        self.records.add(&rep.records);
    }

    fn record(&self, index: usize) -> CallbackStats<Estimate> {
        self.records.estimates::<CallbackStats<f64>>(index)
    }

    /// The summary, or `None` when no call type offers callbacks.
    pub fn finish(&self, scenario: &Scenario) -> Option<CallbacksSummary> {
        if !scenario.callbacks.any() {
            return None;
        }
        let grid = &scenario.grid;
        let layout = CellLayout::of(scenario);
        let n_intervals = grid.len();
        let mut intervals = Vec::with_capacity(n_intervals * scenario.call_types.len());
        for idx in 0..n_intervals {
            for (ct, call_type) in scenario.call_types.iter().enumerate() {
                intervals.push(IntervalCallbacks {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    call_type: call_type.name.clone(),
                    stats: self.record(layout.cell(idx, ct)),
                });
            }
        }
        Some(CallbacksSummary {
            count_as: scenario.callbacks.count_as,
            overall: self.record(layout.overall()),
            call_types: scenario
                .call_types
                .iter()
                .enumerate()
                .map(|(ct, c)| CallTypeCallbacks {
                    name: c.name.clone(),
                    stats: self.record(layout.call_type_total(ct)),
                })
                .collect(),
            intervals,
            interval_totals: (0..n_intervals)
                .map(|idx| IntervalCallbackTotal {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    stats: self.record(layout.interval_total(idx)),
                })
                .collect(),
        })
    }
}
