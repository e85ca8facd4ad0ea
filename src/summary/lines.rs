//! Busy signals and line use, for a scenario with telephone lines.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{CallTypeRecord, IntervalRecord};
use crate::metrics::LineStats;
use crate::stats::Estimate;

/// Busy signals and line use of a scenario with telephone lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinesSummary {
    /// Lines held / lines working, time-averaged over the scenario (all pools together).
    pub line_occupancy: Estimate,
    /// All contacts.
    pub overall: LineStats<Estimate>,
    /// Per call type, in scenario order.
    pub call_types: Vec<CallTypeLines>,
    /// Per interval and call type, in grid order then call-type order.
    pub intervals: Vec<IntervalLines>,
    /// Per interval, all call types together, in grid order.
    pub interval_totals: Vec<IntervalLineTotal>,
}

impl LinesSummary {
    /// Per (day, start, call type), that cell's busy signals: a table that lists chosen cells
    /// (the intervals below the goal) reads them beside the cell's call figures, whose
    /// `offered` counts the blocked calls too.
    pub fn by_interval(&self) -> HashMap<(usize, &str, &str), &LineStats<Estimate>> {
        self.intervals.iter().map(|i| ((i.day, i.start.as_str(), i.call_type.as_str()), &i.stats)).collect()
    }
}

/// One call type's busy signals.
pub type CallTypeLines = CallTypeRecord<LineStats<Estimate>>;

/// One call type's busy signals in one interval.
pub type IntervalLines = IntervalRecord<LineStats<Estimate>>;

/// Busy signals and line use of one interval, all call types together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalLineTotal {
    /// Day, from 1.
    pub day: usize,
    /// Clock time `HH:MM` at which the interval starts.
    pub start: String,
    /// Lines held / lines working in this interval.
    pub line_occupancy: Estimate,
    /// Its figures.
    #[serde(flatten)]
    pub stats: LineStats<Estimate>,
}
