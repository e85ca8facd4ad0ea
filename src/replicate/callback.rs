//! Callback figures of replications: one replication's figures from its counts, and their
//! estimates over replications. Present only when a call type offers callbacks, so scenarios
//! without them report exactly what they did before.

use crate::metrics::{CallbackStats, callback_stats};
use crate::model::Scenario;
use crate::sim::Counts;
use crate::summary::CallbacksSummary;

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

    /// `self` minus `base`, figure by figure: a replication's paired difference between plans.
    pub fn minus(&self, base: &CallbackReplication) -> CallbackReplication {
        CallbackReplication { records: CallbackStats::differences(&self.records, &base.records) }
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
