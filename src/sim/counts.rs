//! What one replication counts: per (interval, call type) cells and per (group, interval)
//! agent time, turned into [`CallStats`] by the one set of definitions in `metrics`.
//!
//! Contacts belong to the interval in which they arrived. Memory is fixed by the scenario's
//! size (intervals x call types, each cell with a wait histogram of its non-empty buckets,
//! at most [`WaitHistogram::N_BUCKETS`]), never by the number of calls.

use crate::metrics::CallStats;
use crate::model::SlDefinition;
use crate::stats::WaitHistogram;

/// Where a contact came from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Origin {
    /// A first attempt from the forecast.
    Fresh = 0,
    /// A caller who abandoned, or got a busy signal (lines), calling again.
    Redial = 1,
    /// An answered caller whose problem was not solved, calling again.
    Repeat = 2,
    /// Transferred in after service of another call type.
    Transfer = 3,
}

impl Origin {
    /// Lower-case name, as in the trace and the JSON keys.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Fresh => "fresh",
            Origin::Redial => "redial",
            Origin::Repeat => "repeat",
            Origin::Transfer => "transfer",
        }
    }
}

/// Tallies of the contacts of one call type that arrived in one interval.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    /// Offered, by [`Origin`].
    pub offered: [u64; 4],
    /// Answered (service started).
    pub answered: u64,
    /// Answered with a wait of at most the target.
    pub answered_within_target: u64,
    /// Abandoned while waiting.
    pub abandoned: u64,
    /// Still waiting at close.
    pub unanswered_at_close: u64,
    /// Of those, emails whose target had not passed when the run ended: they would be
    /// answered after it, within target or not, so the service level leaves them out.
    pub not_yet_due: u64,
    /// Blocked: every line was held (a busy signal).
    pub blocked: u64,
    /// Not answered at the instant of arrival.
    pub queued: u64,
    /// Sum of waits of answered contacts, s.
    pub wait_answered_s: f64,
    /// Sum of time in queue of all contacts (answered, abandoned, unanswered), s.
    pub wait_all_s: f64,
    /// Waits of answered contacts.
    pub waits: WaitHistogram,
    /// Callback figures; all zero when the call type offers no callback.
    pub callbacks: CallbackCell,
}

/// What one cell counts of callbacks ([`crate::callback`]). A callback customer's contact is
/// counted once in offered and ends answered (when a call back reaches it), `callback_failed`,
/// or unanswered at close.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallbackCell {
    /// Callers offered a callback.
    pub offered: u64,
    /// Callers who accepted: the callback customers.
    pub accepted: u64,
    /// Callback customers reached by a call back (also counted in answered).
    pub completed: u64,
    /// Callback customers never reached: the outcome `callback_failed`.
    pub failed: u64,
    /// Callback customers left out of the service level (all of them under
    /// `callbacks_count_as = "excluded"`, none otherwise).
    pub left_out_of_sl: u64,
    /// Of those, the ones answered (reached by a call back).
    pub left_out_of_sl_answered: u64,
    /// Sum of the waits of completed callbacks (arrival to the call back that reached them), s.
    pub wait_s: f64,
    /// Waits of completed callbacks.
    pub waits: WaitHistogram,
}

impl CallbackCell {
    fn add_counters(&mut self, other: &CallbackCell) {
        self.offered += other.offered;
        self.accepted += other.accepted;
        self.completed += other.completed;
        self.failed += other.failed;
        self.left_out_of_sl += other.left_out_of_sl;
        self.left_out_of_sl_answered += other.left_out_of_sl_answered;
        self.wait_s += other.wait_s;
    }
}

impl Cell {
    /// All offered contacts.
    pub fn offered_total(&self) -> u64 {
        self.offered.iter().sum()
    }

    /// The tallies of all `cells` together: [`Cell::merge`] of each in turn, with the wait
    /// histograms summed at once (see [`WaitHistogram::sum`]).
    pub fn sum<'a>(cells: impl Iterator<Item = &'a Cell> + Clone) -> Cell {
        let mut total = Cell::default();
        for cell in cells.clone() {
            total.add_counters(cell);
        }
        total.waits = WaitHistogram::sum(cells.clone().map(|c| &c.waits));
        if total.callbacks.accepted > 0 {
            total.callbacks.waits = WaitHistogram::sum(cells.map(|c| &c.callbacks.waits));
        }
        total
    }

    /// Adds `other`'s tallies.
    pub fn merge(&mut self, other: &Cell) {
        self.add_counters(other);
        self.waits.merge(&other.waits);
        if other.callbacks.accepted > 0 {
            self.callbacks.waits.merge(&other.callbacks.waits);
        }
    }

    /// Adds `other`'s tallies except its waits.
    fn add_counters(&mut self, other: &Cell) {
        for (a, b) in self.offered.iter_mut().zip(other.offered) {
            *a += b;
        }
        self.answered += other.answered;
        self.answered_within_target += other.answered_within_target;
        self.abandoned += other.abandoned;
        self.unanswered_at_close += other.unanswered_at_close;
        self.not_yet_due += other.not_yet_due;
        self.blocked += other.blocked;
        self.queued += other.queued;
        self.wait_answered_s += other.wait_answered_s;
        self.wait_all_s += other.wait_all_s;
        self.callbacks.add_counters(&other.callbacks);
    }

    /// The reported statistics of these contacts ([`crate::metrics::call_stats`]).
    pub fn stats(&self, definition: SlDefinition) -> CallStats<f64> {
        crate::metrics::call_stats(self, definition)
    }

    /// The statistics with the base of each rate, as a replication records them.
    pub fn record(&self, definition: SlDefinition) -> crate::metrics::CallRecord {
        crate::metrics::call_record(self, definition)
    }
}

/// Agent time of one group in one interval, s.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AgentTime {
    /// Time logged in and not on break (busy or idle).
    pub on_duty_s: f64,
    /// Time busy with calls.
    pub busy_s: f64,
}

/// Chat time of one group over the run, s: divided, the mean concurrency (chats held per
/// agent holding chats).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ChatTime {
    /// Time-integral of the chats the group's agents hold.
    pub chats_s: f64,
    /// Time-integral of the group's agents holding at least one chat.
    pub agents_s: f64,
}

/// Everything one replication counted.
#[derive(Clone, Debug, PartialEq)]
pub struct Counts {
    n_call_types: usize,
    /// Cells indexed by `interval * n_call_types + call_type`.
    pub cells: Vec<Cell>,
    /// Agent time indexed by `group * n_intervals + interval`.
    pub agent_time: Vec<AgentTime>,
    /// Redials and repeats that would have called after the last interval (not offered), per
    /// call type (`[origin]` as in `Cell::offered`).
    pub recontacts_after_close: Vec<[u64; 4]>,
    /// Line-time per interval, when the scenario has telephone lines (else empty).
    pub line_time: Vec<crate::sim::lines::LineTime>,
    /// Per email type and day (`email type * days + day`, email types in call-type order): the
    /// backlog ([`crate::sim::email`]); empty without email call types.
    pub backlog: Vec<crate::sim::email::BacklogDay>,
    /// Per agent group, when the scenario has chats (else empty): chat time over the run.
    pub chat_time: Vec<ChatTime>,
    /// The call type whose callers called back past the replication's budget of redials and
    /// repeats ([`crate::sim::recall_budget`]): the counts are then not a result.
    pub recalls_run_away: Option<crate::model::CallTypeId>,
    /// The instant the contacts held at once reached the cap, and the cap
    /// ([`crate::limits::MAX_CONTACTS_HELD`] unless a test lowered it), if they did: the
    /// replication stopped there, and the counts are not a result.
    pub held_cap_reached: Option<(crate::time::SimTime, usize)>,
}

impl Counts {
    /// Zeroed counts for a grid of `n_intervals`.
    pub fn new(n_intervals: usize, n_call_types: usize, n_groups: usize) -> Counts {
        Counts {
            n_call_types,
            cells: vec![Cell::default(); n_intervals * n_call_types],
            agent_time: vec![AgentTime::default(); n_groups * n_intervals],
            recontacts_after_close: vec![[0; 4]; n_call_types],
            line_time: Vec::new(),
            backlog: Vec::new(),
            chat_time: Vec::new(),
            recalls_run_away: None,
            held_cap_reached: None,
        }
    }

    /// Number of intervals.
    pub fn n_intervals(&self) -> usize {
        self.cells.len() / self.n_call_types.max(1)
    }

    /// The cell of a call type in an interval.
    #[inline]
    pub fn cell_mut(&mut self, interval: usize, call_type: usize) -> &mut Cell {
        &mut self.cells[interval * self.n_call_types + call_type]
    }

    /// The cell of a call type in an interval.
    pub fn cell(&self, interval: usize, call_type: usize) -> &Cell {
        &self.cells[interval * self.n_call_types + call_type]
    }

    /// All intervals of one call type, merged.
    pub fn call_type_total(&self, call_type: usize) -> Cell {
        Cell::sum(self.cells.iter().skip(call_type).step_by(self.n_call_types.max(1)))
    }

    /// All call types of one interval, merged.
    pub fn interval_total(&self, interval: usize) -> Cell {
        let mut total = Cell::default();
        let n = self.n_call_types.max(1);
        for cell in &self.cells[interval * n..(interval + 1) * n] {
            total.merge(cell);
        }
        total
    }

    /// All cells merged.
    pub fn overall(&self) -> Cell {
        Cell::sum(self.cells.iter())
    }
}
