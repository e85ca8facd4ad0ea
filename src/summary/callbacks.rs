//! Callback figures, for a scenario whose call types offer callbacks.

use serde::{Deserialize, Serialize};

use super::{CallTypeRecord, IntervalRecord, IntervalTotalRecord};
use crate::metrics::CallbackStats;
use crate::stats::Estimate;

/// Callback figures of a scenario whose call types offer callbacks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallbacksSummary {
    /// How callback customers count in the service level (`[service_level]
    /// callbacks_count_as`).
    pub count_as: crate::callback::CallbacksCountAs,
    /// All contacts.
    pub overall: CallbackStats<Estimate>,
    /// Per call type, in scenario order.
    pub call_types: Vec<CallTypeCallbacks>,
    /// Per interval and call type, in grid order then call-type order.
    pub intervals: Vec<IntervalCallbacks>,
    /// Per interval, all call types together, in grid order.
    pub interval_totals: Vec<IntervalCallbackTotal>,
}

/// One call type's callbacks.
pub type CallTypeCallbacks = CallTypeRecord<CallbackStats<Estimate>>;

/// One call type's callbacks in one interval (contacts belong to the interval they arrived in).
pub type IntervalCallbacks = IntervalRecord<CallbackStats<Estimate>>;

/// Callbacks of one interval, all call types together.
pub type IntervalCallbackTotal = IntervalTotalRecord<CallbackStats<Estimate>>;
