//! Callback figures of replications: one replication's figures from its counts, and their
//! estimates over replications. Present only when a call type offers callbacks, so scenarios
//! without them report exactly what they did before.

use crate::metrics::{CallbackStats, callback_stats};
use crate::model::Scenario;
use crate::sim::Counts;
use crate::stats::{RatioDifferenceTally, RatioTally};
use crate::summary::CallbacksSummary;

use super::RateTally;
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

    /// The records with the bases of their mean waits (the callbacks completed).
    fn rated(&self) -> (&[CallbackStats<f64>], impl Iterator<Item = f64> + '_) {
        (&self.records, self.records.iter().map(|r| r.callbacks_completed))
    }
}

/// Running estimates of [`CallbackReplication`]s, fed in replication order: the mean wait of
/// a callback as the ratio of its totals (`R`), like every rate of a summary.
#[derive(Clone, Debug)]
pub struct CallbackSummarizer<R: RateTally = RatioTally> {
    records: RecordTallies<R>,
}

impl<R: RateTally> Default for CallbackSummarizer<R> {
    fn default() -> Self {
        CallbackSummarizer { records: RecordTallies::default() }
    }
}

impl CallbackSummarizer<RatioTally> {
    /// Adds the next replication.
    pub fn add(&mut self, rep: &CallbackReplication) {
        let (records, bases) = rep.rated();
        self.records.add(records, bases);
    }
}

impl CallbackSummarizer<RatioDifferenceTally> {
    /// Adds the next replication of a plan and of the base plan (the same callers).
    pub fn add_paired(&mut self, rep: &CallbackReplication, base: &CallbackReplication) {
        self.records.add_paired(rep.rated(), base.rated());
    }
}

impl<R: RateTally> CallbackSummarizer<R> {
    /// The summary, or `None` when no call type offers callbacks.
    pub fn finish(&self, scenario: &Scenario) -> Option<CallbacksSummary> {
        if !scenario.callbacks.any() {
            return None;
        }
        let records = self.records.laid_out::<CallbackStats<f64>>(scenario);
        Some(CallbacksSummary {
            count_as: scenario.callbacks.count_as,
            overall: records.overall,
            call_types: records.call_types,
            intervals: records.intervals,
            interval_totals: records.interval_totals,
        })
    }
}
