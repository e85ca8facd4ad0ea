//! Events and the future-event list.
//!
//! An [`Event`] is a small `Copy` enum (no boxing), and the list is a binary heap ordered by
//! (time, sequence number): events at the same instant run in the order they were scheduled
//! (FIFO, as in nexosim), never in a random order. The heap's storage is reused for the whole
//! run, so scheduling allocates only while the number of pending events reaches a new peak.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::time::SimTime;

/// Index of a call record in the engine's slab.
pub type CallIdx = u32;
/// Index of an agent record.
pub type AgentIdx = u32;

/// Something that happens at an instant.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The next fresh call of this call type arrives.
    Arrival(u16),
    /// A redial or repeat (held in the slab, not yet offered) calls in.
    Recontact(CallIdx),
    /// A waiting caller's patience runs out. `generation` guards against a reused slot.
    PatienceEnd { call: CallIdx, generation: u32 },
    /// A waiting caller has waited long enough for an overflow group (`after`), step `step`
    /// of its call type's overflow thresholds.
    Overflow { call: CallIdx, generation: u32, step: u8 },
    /// An agent finishes a call.
    ServiceEnd(AgentIdx),
    /// An agent of a shift logs in.
    LogIn(AgentIdx),
    /// An agent of a shift is due to log out (after the current call, if any).
    LogOut(AgentIdx),
    /// An agent of a shift is due a break of the given length in whole seconds (after the
    /// current call, if any).
    BreakStart { agent: AgentIdx, length_s: u32 },
    /// An agent's break ends.
    BreakEnd(AgentIdx),
    /// A staffing-vector group's headcount becomes `agents`.
    Staffing { group: u16, agents: u32 },
}

#[derive(Copy, Clone, Debug)]
struct Entry {
    /// Bits of a non-negative time: for such floats, integer order is numeric order.
    time_bits: u64,
    seq: u64,
    event: Event,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Reversed, so that the max-heap pops the earliest (time, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time_bits, other.seq).cmp(&(self.time_bits, self.seq))
    }
}

/// The future-event list.
#[derive(Debug, Default)]
pub struct EventQueue {
    heap: BinaryHeap<Entry>,
    seq: u64,
}

impl EventQueue {
    /// An empty list with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> EventQueue {
        EventQueue { heap: BinaryHeap::with_capacity(capacity), seq: 0 }
    }

    /// Schedules `event` at `time` (finite and not negative: the run starts at 0).
    #[inline]
    pub fn push(&mut self, time: SimTime, event: Event) {
        debug_assert!(time.is_finite() && time >= 0.0, "event {event:?} at {time}");
        self.seq += 1;
        // +0.0 turns a -0.0 into 0.0, whose bits sort first.
        self.heap.push(Entry { time_bits: (time + 0.0).to_bits(), seq: self.seq, event });
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.heap.pop().map(|e| (f64::from_bits(e.time_bits), e.event))
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_fifo_at_equal_times() {
        let mut q = EventQueue::with_capacity(4);
        q.push(5.0, Event::Arrival(0));
        q.push(1.0, Event::Arrival(1));
        q.push(5.0, Event::Arrival(2));
        q.push(3.0, Event::Arrival(3));
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, [Event::Arrival(1), Event::Arrival(3), Event::Arrival(0), Event::Arrival(2)]);
    }
}
