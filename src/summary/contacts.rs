//! The figures of contacts: per call type, per channel, per interval and call type, and per
//! interval with every call type together.

use serde::{Deserialize, Serialize};

use crate::metrics::CallStats;
use crate::model::{Channel, ServiceLevelGoal};
use crate::risk::Risk;
use crate::stats::Estimate;

/// One call type over the whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallTypeSummary {
    /// Call type name.
    pub name: String,
    /// Its channel.
    #[serde(default)]
    pub channel: Channel,
    /// Its statistics.
    #[serde(flatten)]
    pub stats: CallStats<Estimate>,
    /// Its risk of missing the goal (scenarios with `[uncertainty]` or `[[events]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<Risk>,
}

/// One call type in one interval (contacts belong to the interval they arrived in).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalSummary {
    /// Day, from 1.
    pub day: usize,
    /// Clock time `HH:MM` at which the interval starts.
    pub start: String,
    /// Call type name.
    pub call_type: String,
    /// Its statistics.
    #[serde(flatten)]
    pub stats: CallStats<Estimate>,
    /// Its risk of missing the goal (scenarios with `[uncertainty]` or `[[events]]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<Risk>,
}

/// All call types of one interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalTotal {
    /// Day, from 1.
    pub day: usize,
    /// Clock time `HH:MM` at which the interval starts.
    pub start: String,
    /// Their statistics.
    #[serde(flatten)]
    pub stats: CallStats<Estimate>,
}

/// One channel's contacts, all its call types together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelSummary {
    /// `voice`, `chat` or `email`.
    pub name: Channel,
    /// The goal this channel is judged against (`target_s`, `goal`, `definition`): its own
    /// (`[service_level.chat]`, `[service_level.email]`), else the scenario's.
    #[serde(flatten)]
    pub goal: ServiceLevelGoal,
    /// Its statistics.
    #[serde(flatten)]
    pub stats: CallStats<Estimate>,
}

impl ChannelSummary {
    /// Whether the channel meets its own goal; `None` without contacts to judge.
    pub fn meets_goal(&self) -> Option<bool> {
        let sl = self.stats.service_level.mean;
        sl.is_finite().then_some(sl >= self.goal.goal)
    }

    /// Whether `channels` says no more than `overall` does (one channel, or none recorded):
    /// outputs that add a per-channel list leave it out then.
    pub fn at_most_one(channels: &[ChannelSummary]) -> bool {
        channels.len() <= 1
    }
}
