//! The email backlog, day by day, for a scenario with email call types.

use serde::{Deserialize, Serialize};

use crate::metrics::BacklogStats;
use crate::stats::Estimate;

/// One email call type's backlog, day by day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacklogSummary {
    /// Call type name.
    pub call_type: String,
    /// The email target its emails are judged against, s.
    pub target_s: f64,
    /// Emails waiting when the run starts (the call type's `initial_backlog`).
    pub initial_backlog: u32,
    /// Per day, in order.
    pub days: Vec<BacklogDaySummary>,
}

/// One email call type's backlog on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacklogDaySummary {
    /// Day, from 1.
    pub day: usize,
    /// Its figures.
    #[serde(flatten)]
    pub stats: BacklogStats<Estimate>,
}
