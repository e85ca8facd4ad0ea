//! The result of a simulation run as people see it: estimates over replications per call type,
//! per interval and per agent group, plus the wait distribution.
//!
//! This is the `simulate --format json` contract (docs/json.md): the keys of
//! [`Summary`] and of [`CallStats`] must not be renamed. `ccsim chart` re-reads it from
//! `summary.json`, so every chart can be drawn from a `Summary` alone.

mod backlog;
mod callbacks;
mod check;
mod contacts;
mod goals;
mod groups;
mod lines;
mod records;
mod waits;

pub use backlog::{BacklogDaySummary, BacklogSummary};
pub use callbacks::{CallTypeCallbacks, CallbacksSummary, IntervalCallbackTotal, IntervalCallbacks};
pub use contacts::{CallTypeSummary, ChannelSummary, IntervalSummary, IntervalTotal};
pub use goals::{BelowGoal, ChannelGoals};
pub use groups::{GroupInterval, GroupSummary};
pub use lines::{CallTypeLines, IntervalLineTotal, IntervalLines, LinesSummary};
pub use records::{CallTypeRecord, IntervalRecord, IntervalTotalRecord};
pub use waits::{WaitBucket, WaitDistribution};

use serde::{Deserialize, Serialize};

use crate::metrics::CallStats;
use crate::model::ServiceLevelGoal;
use crate::risk::{EventImpact, Risk};
use crate::stats::Estimate;
use crate::time::IntervalGrid;

/// A simulated scenario, summarised over replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Base seed.
    pub seed: u64,
    /// Number of replications.
    pub replications: u32,
    /// Name of the shift plan simulated ("scenario" for the scenario's own).
    pub plan: String,
    /// The service-level objective the figures are judged against.
    pub service_level: ServiceLevelGoal,
    /// The interval grid, so charts can label time.
    pub grid: GridInfo,
    /// Paid agent-hours of the plan over the whole scenario.
    pub paid_hours: f64,
    /// The shrinkage taken out of the plan before simulating (`--apply-shrinkage`, and always
    /// in `ccsim schedule`): up to this share of each group's paid hours, never leaving an
    /// interval below `1 - shrinkage` of its agents rounded down ([`crate::shrinkage`]); 0 when
    /// every agent took calls.
    /// `paid_hours` counts every agent either way.
    #[serde(default)]
    pub shrinkage_applied: f64,
    /// Busy time / on-duty time of all agent groups together.
    pub occupancy: Estimate,
    /// All contacts of all call types.
    pub overall: CallStats<Estimate>,
    /// The risk of missing the goal over all contacts ([`crate::risk`]); only for a scenario
    /// with `[uncertainty]` or `[[events]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<Risk>,
    /// Per call type, over the whole scenario.
    pub call_types: Vec<CallTypeSummary>,
    /// Per channel the scenario has (voice, chat, email, in that order), each judged against
    /// its own goal; a scenario of one channel has one entry, equal to `overall`.
    #[serde(default)]
    pub channels: Vec<ChannelSummary>,
    /// Per interval and call type, in grid order then call-type order.
    pub intervals: Vec<IntervalSummary>,
    /// Per interval, all call types together, in grid order.
    #[serde(default)]
    pub interval_totals: Vec<IntervalTotal>,
    /// Per agent group.
    pub agent_groups: Vec<GroupSummary>,
    /// Waits of answered contacts, summed over replications: all contacts first
    /// (`call_type: null`), then each call type.
    pub wait_distribution: Vec<WaitDistribution>,
    /// Busy signals and line use, only when the scenario has telephone lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<LinesSummary>,
    /// Callback figures, only when a call type offers callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<CallbacksSummary>,
    /// What each `[[events]]` entry did, against the same seeds without it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventImpact>,
    /// Per email call type, its backlog day by day; only when the scenario has email.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backlog: Vec<BacklogSummary>,
}

/// The interval grid in the units of the JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridInfo {
    /// Clock time `HH:MM` of the first interval of each day.
    pub start: String,
    /// Length of one interval in seconds.
    pub interval_s: f64,
    /// Intervals per day.
    pub per_day: usize,
    /// Days.
    pub days: usize,
    /// Weekday of day 1 (0 = Monday), when the scenario names it: for the tables' labels, not
    /// written to the JSON, whose intervals name their day by number.
    #[serde(skip)]
    pub first_weekday: Option<usize>,
}

impl GridInfo {
    /// The grid in the units of the JSON: the one place it is built.
    pub fn of(grid: &IntervalGrid) -> GridInfo {
        GridInfo {
            start: grid.start().to_string(),
            interval_s: grid.length(),
            per_day: grid.per_day(),
            days: grid.days(),
            first_weekday: grid.first_weekday(),
        }
    }

    /// How tables name the interval that starts at `start` (`HH:MM`) on day `day` (from 1)
    /// ([`crate::time::interval_label`]).
    pub fn interval_label(&self, day: usize, start: &str) -> String {
        crate::time::interval_label(day, start, self.days, self.first_weekday)
    }
}

impl Summary {
    /// The goals its contacts are judged against.
    pub fn goals(&self) -> ChannelGoals<'_> {
        ChannelGoals { scenario: self.service_level, channels: &self.channels, call_types: &self.call_types }
    }

    /// Whether the contacts come by several channels ([`ChannelGoals::several`]).
    pub fn several_channels(&self) -> bool {
        self.goals().several()
    }

    /// The goal `call_type` is judged against ([`ChannelGoals::of`]).
    pub fn goal_of(&self, call_type: &str) -> ServiceLevelGoal {
        self.goals().of(call_type)
    }

    /// Index of the first interval of `day` at `start` for call type `call_type` (tests, charts).
    pub fn interval(&self, day: usize, start: &str, call_type: &str) -> Option<&IntervalSummary> {
        self.intervals.iter().find(|i| i.day == day && i.start == start && i.call_type == call_type)
    }

    /// Leaves out every per-interval row (`intervals`, `interval_totals`, each agent group's
    /// `intervals`): `simulate --intervals none`. The keys stay, as empty arrays, so the JSON
    /// contract holds; the summary's size no longer grows with the horizon.
    pub fn drop_intervals(&mut self) {
        self.intervals = Vec::new();
        self.interval_totals = Vec::new();
        for group in &mut self.agent_groups {
            group.intervals = Vec::new();
        }
        if let Some(lines) = &mut self.lines {
            lines.intervals = Vec::new();
            lines.interval_totals = Vec::new();
        }
        if let Some(callbacks) = &mut self.callbacks {
            callbacks.intervals = Vec::new();
            callbacks.interval_totals = Vec::new();
        }
    }
}
