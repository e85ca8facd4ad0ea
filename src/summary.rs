//! The result of a simulation run as people see it: estimates over replications per call type,
//! per interval and per agent group, plus the wait distribution.
//!
//! This is the `simulate --format json` contract (docs/json.md): the keys of
//! [`Summary`] and of [`CallStats`] must not be renamed. `ccsim chart` re-reads it from
//! `summary.json`, so every chart can be drawn from a `Summary` alone.

use serde::{Deserialize, Serialize};

use crate::metrics::{BacklogStats, CallStats, CallbackStats, LineStats};
use crate::model::{Channel, ServiceLevelGoal};
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

/// One call type's record of figures `S` (lines, callbacks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallTypeRecord<S> {
    /// Call type name.
    pub name: String,
    /// Its figures.
    #[serde(flatten)]
    pub stats: S,
}

/// One call type's record of figures `S` in one interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalRecord<S> {
    /// Day, from 1.
    pub day: usize,
    /// Clock time `HH:MM` at which the interval starts.
    pub start: String,
    /// Call type name.
    pub call_type: String,
    /// Its figures.
    #[serde(flatten)]
    pub stats: S,
}

/// The record of figures `S` of one interval, all call types together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalTotalRecord<S> {
    /// Day, from 1.
    pub day: usize,
    /// Clock time `HH:MM` at which the interval starts.
    pub start: String,
    /// Its figures.
    #[serde(flatten)]
    pub stats: S,
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

/// Histogram of waits of answered contacts, summed over all replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitDistribution {
    /// Call type, or `null` for all contacts.
    pub call_type: Option<String>,
    /// Non-empty buckets in increasing order; the first is `[0, 0]` for immediate answers.
    pub buckets: Vec<WaitBucket>,
    /// Offered contacts the service level leaves out, over all replications: emails still
    /// inside their target when the run ends (no outcome yet) and callback customers its rule
    /// leaves out. The chart's "answered within x" divides by the offered contacts less these,
    /// as the service level does. Absent when there are none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offered_not_judged: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One histogram bucket: waits in `[low_s, high_s)` (the zero bucket: exactly 0).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WaitBucket {
    /// Lower bound in seconds.
    pub low_s: f64,
    /// Upper bound in seconds.
    pub high_s: f64,
    /// Answered contacts, over all replications.
    pub count: u64,
}

/// The goals a simulation's contacts are judged against: each call type by its channel's own,
/// else by the scenario's. Every report of simulated figures (`simulate`, `compare`,
/// `schedule`) judges through it, so "below the goal" means one thing in all of them.
#[derive(Clone, Copy, Debug)]
pub struct ChannelGoals<'a> {
    /// The scenario's goal: voice's, and that of any channel without one of its own.
    pub scenario: ServiceLevelGoal,
    /// Per channel present, its goal.
    pub channels: &'a [ChannelSummary],
    /// The call types, for their channels.
    pub call_types: &'a [CallTypeSummary],
}

/// The intervals below the goal ([`ChannelGoals::below`]).
#[derive(Clone, Debug)]
pub struct BelowGoal<'a> {
    /// The (interval, call type) cells below their goal, in grid order then call-type order.
    pub cells: Vec<&'a IntervalSummary>,
    /// The cells judged: those with a service level (contacts the goal applies to).
    pub judged: usize,
    /// The cells with contacts but none the goal counts (emails still waiting at the end and
    /// not yet due, callback customers left out), so neither judged nor without contacts.
    pub unjudged: usize,
}

impl ChannelGoals<'_> {
    /// Whether the contacts come by several channels, each judged against its own goal: then
    /// no one goal applies to all contacts pooled.
    pub fn several(&self) -> bool {
        self.channels.len() > 1
    }

    /// The goal `call_type` is judged against: its channel's, else the scenario's.
    pub fn of(&self, call_type: &str) -> ServiceLevelGoal {
        let channel = self.call_types.iter().find(|c| c.name == call_type).map(|c| c.channel);
        self.channels.iter().find(|c| Some(c.name) == channel).map_or(self.scenario, |c| c.goal)
    }

    /// The intervals below the goal, as every report counts them: each call type in each
    /// interval whose mean service level over the replications is below its own channel's
    /// goal, of the cells that have a service level. Call types are judged apart, as the
    /// staffing search judges them, so a small queue is not hidden by a large one.
    pub fn below<'i>(&self, intervals: &'i [IntervalSummary]) -> BelowGoal<'i> {
        let judged = intervals.iter().filter(|i| i.stats.has_service_level()).count();
        let with_contacts = intervals.iter().filter(|i| i.stats.offered.mean > 0.0).count();
        BelowGoal {
            cells: intervals.iter().filter(|i| self.is_below(i)).collect(),
            judged,
            unjudged: with_contacts.saturating_sub(judged),
        }
    }

    /// Whether one (interval, call type) cell is below its goal, as [`below`](Self::below)
    /// judges it (a cell without a service level is not).
    pub fn is_below(&self, cell: &IntervalSummary) -> bool {
        cell.stats.service_level.mean < self.of(&cell.call_type).goal
    }
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

/// The figures of a row read back from JSON: counts not negative, shares in [0, 1], times not
/// negative (an undefined figure, `null`, passes).
fn check_figures(key: &str, stats: &CallStats<Estimate>) -> Result<(), String> {
    for (name, e) in CallStats::<Estimate>::KEYS.iter().zip(stats.values()) {
        let Some(def) = crate::metrics::DEFINITIONS.iter().find(|d| d.key == *name) else { continue };
        check_estimate(&format!("{key}.{name}"), e, def.unit, def.label)?;
    }
    Ok(())
}

/// Checks one saved estimate: its mean is a possible value of its unit (a share in [0, 1],
/// anything else 0 or more) or null (undefined), and its half-width 0 or more, or null. A
/// figure out of range would be drawn as is, stretching an axis to 1e308 or below 0.
fn check_estimate(key: &str, e: &Estimate, unit: &str, label: &str) -> Result<(), String> {
    let allowed = match unit {
        "share" => "a share from 0 to 1, or null",
        _ => "0 or more, or null",
    };
    let possible = |v: f64| match unit {
        "share" => v.is_nan() || (0.0..=1.0 + 1e-9).contains(&v),
        _ => v.is_nan() || (v >= 0.0 && v.is_finite()),
    };
    if !possible(e.mean) {
        let mean = crate::error::quoted_number(e.mean);
        return Err(format!("{key}: {mean} is not a possible {label} ({unit}); expected {allowed}"));
    }
    if !(e.half_width.is_nan() || (e.half_width >= 0.0 && e.half_width.is_finite())) {
        return Err(format!(
            "{key}: half-width {} is not possible; expected 0 or more, or null",
            crate::error::quoted_number(e.half_width)
        ));
    }
    Ok(())
}

impl Summary {
    /// Checks a summary read back from JSON (`ccsim chart`) for a shape a run could have
    /// written: a grid of whole days of positive intervals within the caps, and per-interval
    /// rows that name an interval of that grid and a call type or agent group of the summary.
    /// Charts drawn from anything else would mislabel or silently drop figures.
    ///
    /// # Errors
    /// What is wrong, naming the JSON key.
    pub fn check_shape(&self) -> Result<(), String> {
        use crate::limits::{MAX_DAYS, MAX_INTERVALS};
        use crate::time::{ClockTime, DAY};
        let g = &self.grid;
        let start = ClockTime::parse(&g.start).map_err(|e| format!("grid.start: {e}"))?;
        if start.secs() >= DAY {
            return Err(format!(
                "grid.start: \"{}\" is not the start of an interval (00:00 to 23:59)",
                g.start
            ));
        }
        if !(g.interval_s.is_finite() && g.interval_s >= 1.0) {
            return Err(format!("grid.interval_s: {} is not an interval length (1 s or more)", g.interval_s));
        }
        if g.per_day == 0 || g.per_day as f64 * g.interval_s > DAY + 1e-6 {
            return Err(format!(
                "grid.per_day: {} intervals of {} s do not make a day (1 to {:.0} intervals)",
                g.per_day,
                g.interval_s,
                (DAY / g.interval_s).floor()
            ));
        }
        if g.days == 0 || g.days > MAX_DAYS || g.per_day * g.days > MAX_INTERVALS {
            return Err(format!(
                "grid.days: {} days of {} intervals; a run has 1 to {MAX_DAYS} days and at most {MAX_INTERVALS} intervals",
                g.days, g.per_day
            ));
        }
        let starts: Vec<String> = (0..g.per_day)
            .map(|k| ClockTime::from_secs(start.secs() + k as f64 * g.interval_s).to_string())
            .collect();
        let interval = |key: &str, i: usize, day: usize, at: &str| -> Result<(), String> {
            if (1..=g.days).contains(&day) && starts.iter().any(|s| s == at) {
                Ok(())
            } else {
                Err(format!("{key}[{i}]: day {day} at {at} is not an interval of the grid"))
            }
        };
        // A run writes one row per interval (and call type): a row missing or written twice
        // would leave a hole or a double in a chart.
        let n = g.per_day * g.days;
        let rows = |key: &str, len: usize, each: usize| -> Result<(), String> {
            if len == 0 || len == n * each {
                Ok(())
            } else {
                Err(format!(
                    "{key}: {len} rows; a run writes one per interval{} ({})",
                    if each > 1 { " and call type" } else { "" },
                    n * each
                ))
            }
        };
        rows("intervals", self.intervals.len(), self.call_types.len())?;
        rows("interval_totals", self.interval_totals.len(), 1)?;
        let mut seen = std::collections::HashSet::new();
        for (i, row) in self.intervals.iter().enumerate() {
            interval("intervals", i, row.day, &row.start)?;
            if !self.call_types.iter().any(|c| c.name == row.call_type) {
                return Err(format!("intervals[{i}]: \"{}\" is not one of the call_types", row.call_type));
            }
            if !seen.insert((row.day, row.start.as_str(), row.call_type.as_str())) {
                return Err(format!(
                    "intervals[{i}]: day {} at {} of \"{}\" is written twice",
                    row.day, row.start, row.call_type
                ));
            }
            check_figures(&format!("intervals[{i}]"), &row.stats)?;
        }
        check_figures("overall", &self.overall)?;
        for (i, c) in self.call_types.iter().enumerate() {
            check_figures(&format!("call_types[{i}]"), &c.stats)?;
        }
        for (i, c) in self.channels.iter().enumerate() {
            check_figures(&format!("channels[{i}]"), &c.stats)?;
        }
        for (i, row) in self.interval_totals.iter().enumerate() {
            interval("interval_totals", i, row.day, &row.start)?;
            check_figures(&format!("interval_totals[{i}]"), &row.stats)?;
        }
        check_estimate("occupancy", &self.occupancy, "share", "occupancy")?;
        if !(self.paid_hours >= 0.0 && self.paid_hours.is_finite()) {
            return Err(format!("paid_hours: {} is not possible; expected 0 or more", self.paid_hours));
        }
        for group in &self.agent_groups {
            let key = format!("agent_groups \"{}\" intervals", group.name);
            rows(&key, group.intervals.len(), 1)?;
            let mut seen = std::collections::HashSet::new();
            check_estimate(
                &format!("agent_groups \"{}\".occupancy", group.name),
                &group.occupancy,
                "share",
                "occupancy",
            )?;
            for (i, row) in group.intervals.iter().enumerate() {
                interval(&key, i, row.day, &row.start)?;
                check_estimate(&format!("{key}[{i}].occupancy"), &row.occupancy, "share", "occupancy")?;
                check_estimate(
                    &format!("{key}[{i}].agents_on_duty"),
                    &row.agents_on_duty,
                    "agents",
                    "agents on duty",
                )?;
                if !seen.insert((row.day, row.start.as_str())) {
                    return Err(format!("{key}[{i}]: day {} at {} is written twice", row.day, row.start));
                }
            }
        }
        let sl = &self.service_level;
        if !(sl.goal > 0.0 && sl.goal <= 1.0 && sl.target >= 0.0 && sl.target.is_finite()) {
            return Err(format!(
                "service_level: goal {} within {} s; a goal is a share in (0, 1], a target 0 s or more",
                sl.goal, sl.target
            ));
        }
        for (i, d) in self.wait_distribution.iter().enumerate() {
            let key = format!("wait_distribution[{i}]");
            if let Some(ct) = &d.call_type
                && !self.call_types.iter().any(|c| &c.name == ct)
            {
                return Err(format!("{key}: \"{ct}\" is not one of the call_types"));
            }
            let stats = match &d.call_type {
                None => Some(&self.overall),
                Some(ct) => self.call_types.iter().find(|c| &c.name == ct).map(|c| &c.stats),
            };
            let offered = stats.map_or(0.0, |s| s.offered.mean) * f64::from(self.replications);
            if d.offered_not_judged as f64 > offered + 0.5 {
                return Err(format!(
                    "{key}.offered_not_judged: {} of {offered:.0} contacts offered over the replications; \
                     it counts some of the offered ones",
                    d.offered_not_judged
                ));
            }
            let mut last_high = 0.0;
            for (j, b) in d.buckets.iter().enumerate() {
                // Bounds written as decimals may differ from their neighbour's in the last digit.
                let ordered =
                    b.low_s >= last_high * (1.0 - 1e-9) && b.high_s >= b.low_s && b.high_s.is_finite();
                if !ordered {
                    return Err(format!(
                        "{key}.buckets[{j}]: [{}, {}) s; buckets are waits of 0 s or more, in increasing order, \
                         without overlap",
                        b.low_s, b.high_s
                    ));
                }
                last_high = b.high_s;
            }
        }
        Ok(())
    }

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
