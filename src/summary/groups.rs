//! The figures of agent groups: over the run and per interval.

use serde::{Deserialize, Serialize};

use crate::stats::Estimate;

/// One agent group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Group name.
    pub name: String,
    /// Busy time / available time over the whole scenario (an agent holding chats is busy).
    pub occupancy: Estimate,
    /// Groups that take chats: chats held per agent holding chats, time-averaged over the run
    /// (1 to `max_concurrency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_concurrency: Option<Estimate>,
    /// Per interval.
    pub intervals: Vec<GroupInterval>,
}

/// One agent group in one interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupInterval {
    /// Day, from 1.
    pub day: usize,
    /// Clock time `HH:MM` at which the interval starts.
    pub start: String,
    /// Time-average of agents logged in and not on break.
    pub agents_on_duty: Estimate,
    /// Busy time / available time in this interval.
    pub occupancy: Estimate,
}
