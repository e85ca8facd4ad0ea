//! How many redials and repeats one replication may make. Callers who call back at once and
//! without end (a redial probability of 1, a patience and a delay of a nanosecond, nobody to
//! answer) would keep a run busy forever, each attempt scheduling the next; the budget stops
//! them and names the call type, so the run ends with an error about the input instead of
//! never ending.

use crate::limits::{MAX_CONTACTS_PER_REPLICATION, MAX_RECALLS_PER_FRESH_CONTACT, MIN_RECALL_BUDGET};
use crate::model::CallTypeId;

/// The redials and repeats a replication has left.
#[derive(Clone, Debug)]
pub struct RecallBudget {
    left: u64,
    /// The call type whose recall found the budget spent, if one did.
    spent_by: Option<CallTypeId>,
}

impl RecallBudget {
    /// The budget of a replication offering `fresh` contacts on average (the sum of its
    /// arrival rates over the grid, and the initial backlog): [`MAX_RECALLS_PER_FRESH_CONTACT`]
    /// for each, at least [`MIN_RECALL_BUDGET`], at most [`MAX_CONTACTS_PER_REPLICATION`].
    pub fn new(fresh: f64) -> RecallBudget {
        let budget =
            (fresh * MAX_RECALLS_PER_FRESH_CONTACT).clamp(MIN_RECALL_BUDGET, MAX_CONTACTS_PER_REPLICATION);
        RecallBudget { left: budget as u64, spent_by: None }
    }

    /// Takes one recall of `call_type` from the budget: false once it is spent (the recall is
    /// then not made, and the replication is reported as run away).
    #[inline]
    pub fn take(&mut self, call_type: CallTypeId) -> bool {
        if self.left == 0 {
            self.spent_by.get_or_insert(call_type);
            return false;
        }
        self.left -= 1;
        true
    }

    /// Refuses every recall from now on: the replication is stopping for another reason
    /// ([`crate::limits::MAX_CONTACTS_HELD`]), which is the one reported.
    pub fn stop(&mut self) {
        self.left = 0;
    }

    /// The call type whose recall found the budget spent, if one did.
    pub fn spent_by(&self) -> Option<CallTypeId> {
        self.spent_by
    }
}
