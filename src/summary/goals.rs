//! Which goal each contact is judged against, and the intervals below it.

use super::{CallTypeSummary, ChannelSummary, IntervalSummary};
use crate::model::ServiceLevelGoal;

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
