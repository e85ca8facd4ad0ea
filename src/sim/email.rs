//! The email backlog: which email a free agent takes, and what the backlog holds day by day.
//!
//! Emails (call types of channel `email`) wait in their call type's queue like any contact,
//! oldest first, for as long as it takes: they are never abandoned, and the queue carries
//! over intervals, closed nights and days until the run closes (what is left then is
//! unanswered at close). What this module adds is the blending rule and the bookkeeping:
//!
//! - **Real-time work first.** The real-time routing ([`crate::sim::routing`]) does not see
//!   email skills. An agent who becomes free takes a waiting voice or chat contact of its
//!   skills if one may go to it now; only when none may does it take an email, chosen among
//!   its email skills by the same rule (highest call-type priority, then the agent's earlier
//!   skill, then the oldest email). An email that arrives while an agent is idle goes to it at
//!   once (an idle agent has no real-time contact it could take). An email once started is
//!   finished: a phone call arriving meanwhile waits for another agent or for the end of the
//!   email (no preemption).
//! - **The backlog day by day.** For each email type and day: the emails open at the day's
//!   opening (day 1: `initial_backlog`), the emails started during the day, those of them
//!   started within the email target, the emails open at the day's closing and the age of the
//!   oldest of them. The backlog only changes when an email is queued or started, so it is
//!   recorded lazily: before each such change, every day boundary passed since the last change
//!   is recorded with the backlog as it stood (it has not changed since), and the run's close
//!   records the rest. No event is scheduled for it and nothing is allocated per email.
//!
//! A day's window for counting emails started runs from its opening to the next day's opening
//! (the last day: to the end of the run), so that emails started on a closed night count for
//! the day before. With a 24-hour grid the day's closing is the next day's opening, and
//! `backlog_start + arrived = answered + backlog_end` holds for every day.

use crate::model::{Channel, Scenario};
use crate::sim::event::CallIdx;
use crate::sim::routing::{self, GroupSkill};
use crate::time::{Seconds, SimTime};

/// One email type's backlog on one day, as one replication counted it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BacklogDay {
    /// Emails waiting at the start of the day's first interval (day 1: the initial backlog).
    pub backlog_start: u64,
    /// Emails an agent started between the day's opening and the next day's opening.
    pub answered: u64,
    /// Of those, the ones that had waited at most the email target.
    pub answered_within_target: u64,
    /// Emails waiting at the end of the day's last interval.
    pub backlog_end: u64,
    /// At the same instant, how long the oldest email still waiting had waited, s (0 when none
    /// was waiting).
    pub oldest_age_end_s: Seconds,
}

/// Marks a call type that is not an email in [`Backlog::slot`].
const NOT_EMAIL: u16 = u16::MAX;

/// An instant at which the backlog is recorded.
#[derive(Copy, Clone, Debug)]
struct Mark {
    at: SimTime,
    /// Day index, from 0.
    day: usize,
    /// The day's opening (else its closing).
    opening: bool,
}

/// The email backlog of one replication.
#[derive(Clone, Debug)]
pub struct Backlog {
    /// Per call type: its place among the email types, or [`NOT_EMAIL`].
    slot: Vec<u16>,
    /// Per email type (slot): the call type.
    call_types: Vec<usize>,
    /// Per email type: the target of the email channel's goal.
    targets: Vec<Seconds>,
    /// Per agent group: its email skills, in preference order.
    skills: Vec<Vec<GroupSkill>>,
    /// Per email type: emails waiting now.
    open: Vec<u64>,
    n_days: usize,
    /// Per email type and day (`slot * n_days + day`).
    days: Vec<BacklogDay>,
    /// Day boundaries after the first opening, in time order.
    marks: Vec<Mark>,
    /// The next mark to record.
    next_mark: usize,
    /// The day whose window holds the present instant (emails started count for it).
    day: usize,
}

impl Backlog {
    /// The backlog at the start of a run of `scenario`: each email type holds its
    /// `initial_backlog` (offered at the first instant of the grid by the engine).
    pub fn new(scenario: &Scenario) -> Backlog {
        let call_types: Vec<usize> = (0..scenario.call_types.len())
            .filter(|&ct| scenario.call_types[ct].channel == Channel::Email)
            .collect();
        let mut slot = vec![NOT_EMAIL; scenario.call_types.len()];
        for (k, &ct) in call_types.iter().enumerate() {
            slot[ct] = k as u16;
        }
        let grid = &scenario.grid;
        let n_days = if call_types.is_empty() { 0 } else { grid.days() };
        let per_day = grid.per_day();
        let mut marks = Vec::with_capacity(2 * n_days);
        for day in 0..n_days {
            marks.push(Mark { at: grid.end_of((day + 1) * per_day - 1), day, opening: false });
            if day + 1 < n_days {
                marks.push(Mark { at: grid.start_of((day + 1) * per_day), day: day + 1, opening: true });
            }
        }
        let mut days = vec![BacklogDay::default(); call_types.len() * n_days];
        for (k, &ct) in call_types.iter().enumerate() {
            days[k * n_days].backlog_start = u64::from(scenario.call_types[ct].initial_backlog);
        }
        let email_goal = scenario.goal_for(Channel::Email);
        let skills = scenario
            .agent_groups
            .iter()
            .map(|group| {
                group
                    .skills
                    .iter()
                    .filter(|s| slot[s.call_type.idx()] != NOT_EMAIL)
                    .map(|s| GroupSkill {
                        call_type: s.call_type.0,
                        after: s.after,
                        priority: scenario.call_types[s.call_type.idx()].priority,
                    })
                    .collect()
            })
            .collect();
        Backlog {
            slot,
            targets: vec![email_goal.target; call_types.len()],
            open: vec![0; call_types.len()],
            call_types,
            skills,
            n_days,
            days,
            marks,
            next_mark: 0,
            day: 0,
        }
    }

    /// Whether call type `ct` is an email.
    #[inline]
    pub fn is_email(&self, ct: usize) -> bool {
        // Without email types the engine asks this of every contact: answer from the length.
        !self.call_types.is_empty() && self.slot[ct] != NOT_EMAIL
    }

    /// Whether the scenario has email call types at all.
    #[inline]
    pub fn any(&self) -> bool {
        !self.call_types.is_empty()
    }

    /// The email a free agent of group `g` should take at `now`, when no real-time contact may
    /// go to it: the front of its call type's queue (the caller takes it off). `oldest_waiting(ct)`
    /// is the oldest contact of `ct` still waiting, with its arrival instant.
    #[inline]
    pub fn email_for_agent(
        &mut self,
        g: usize,
        now: SimTime,
        mut oldest_waiting: impl FnMut(usize) -> Option<(CallIdx, SimTime)>,
    ) -> Option<CallIdx> {
        if self.skills[g].is_empty() {
            return None;
        }
        // The backlog is recorded before the email leaves its queue.
        self.record_until(now, &mut oldest_waiting);
        routing::call_among(&self.skills[g], now, oldest_waiting)
    }

    /// An email of call type `ct` joins the backlog at `now` (its queue does not hold it yet).
    pub fn queued(
        &mut self,
        ct: usize,
        now: SimTime,
        mut oldest_waiting: impl FnMut(usize) -> Option<(CallIdx, SimTime)>,
    ) {
        self.record_until(now, &mut oldest_waiting);
        self.open[usize::from(self.slot[ct])] += 1;
    }

    /// An agent starts an email of call type `ct` at `now` after a wait of `wait`;
    /// `from_backlog`: it had been queued (else it was answered on arrival).
    pub fn started(
        &mut self,
        ct: usize,
        wait: Seconds,
        from_backlog: bool,
        now: SimTime,
        mut oldest_waiting: impl FnMut(usize) -> Option<(CallIdx, SimTime)>,
    ) {
        self.record_until(now, &mut oldest_waiting);
        let k = usize::from(self.slot[ct]);
        if from_backlog {
            self.open[k] -= 1;
        }
        let day = &mut self.days[k * self.n_days + self.day];
        day.answered += 1;
        if wait <= self.targets[k] {
            day.answered_within_target += 1;
        }
    }

    /// Records every day boundary up to `now` and hands over the days (`slot * n_days + day`,
    /// email types in call-type order): the run closes at `now`, past the last interval.
    pub fn finish(
        &mut self,
        now: SimTime,
        mut oldest_waiting: impl FnMut(usize) -> Option<(CallIdx, SimTime)>,
    ) -> Vec<BacklogDay> {
        self.record_until(now, &mut oldest_waiting);
        std::mem::take(&mut self.days)
    }

    /// Records the backlog at every day boundary up to and including `now`, before whatever
    /// happens at `now`.
    #[inline]
    fn record_until(
        &mut self,
        now: SimTime,
        oldest_waiting: &mut impl FnMut(usize) -> Option<(CallIdx, SimTime)>,
    ) {
        while let Some(&mark) = self.marks.get(self.next_mark) {
            if mark.at > now {
                return;
            }
            for (k, &ct) in self.call_types.iter().enumerate() {
                let day = &mut self.days[k * self.n_days + mark.day];
                if mark.opening {
                    day.backlog_start = self.open[k];
                } else {
                    day.backlog_end = self.open[k];
                    day.oldest_age_end_s = oldest_waiting(ct).map_or(0.0, |(_, arrival)| mark.at - arrival);
                }
            }
            if mark.opening {
                self.day = mark.day;
            }
            self.next_mark += 1;
        }
    }
}
