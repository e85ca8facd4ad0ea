//! Events and the future-event list.
//!
//! An [`Event`] is a small `Copy` enum (no boxing), and the list is a heap ordered by
//! (time, sequence number): events at the same instant run in the order they were scheduled
//! (FIFO, as in nexosim), never in a random order. The heap's storage is reused for the whole
//! run, so scheduling allocates only while the number of pending events reaches a new peak.

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

/// The future-event list: a 4-ary min-heap on one `u128` key per event, the time's bits
/// (for non-negative floats integer order is numeric order) above a sequence number (FIFO
/// among equal times). Keys and events sit in parallel vectors so sifting moves 16-byte keys;
/// four children per node halve the depth of a binary heap.
#[derive(Debug, Default)]
pub struct EventQueue {
    keys: Vec<u128>,
    events: Vec<Event>,
    seq: u64,
}

const ARITY: usize = 2;

impl EventQueue {
    /// An empty list with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> EventQueue {
        EventQueue { keys: Vec::with_capacity(capacity), events: Vec::with_capacity(capacity), seq: 0 }
    }

    /// Schedules `event` at `time` (finite and not negative: the run starts at 0).
    #[inline]
    pub fn push(&mut self, time: SimTime, event: Event) {
        debug_assert!(time.is_finite() && time >= 0.0, "event {event:?} at {time}");
        self.seq += 1;
        // +0.0 turns a -0.0 into 0.0, whose bits sort first.
        let key = (u128::from((time + 0.0).to_bits()) << 64) | u128::from(self.seq);
        let mut hole = self.keys.len();
        self.keys.push(key);
        self.events.push(event);
        while hole > 0 {
            let parent = (hole - 1) / ARITY;
            if self.keys[parent] <= key {
                break;
            }
            self.keys[hole] = self.keys[parent];
            self.events[hole] = self.events[parent];
            hole = parent;
        }
        self.keys[hole] = key;
        self.events[hole] = event;
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        let n = self.keys.len();
        if n == 0 {
            return None;
        }
        let top_key = self.keys[0];
        let top_event = self.events[0];
        let last_key = self.keys[n - 1];
        let last_event = self.events[n - 1];
        self.keys.pop();
        self.events.pop();
        let n = n - 1;
        if n > 0 {
            let mut hole = 0;
            loop {
                let first = hole * ARITY + 1;
                if first >= n {
                    break;
                }
                let mut child = first;
                let mut child_key = self.keys[first];
                for c in first + 1..(first + ARITY).min(n) {
                    if self.keys[c] < child_key {
                        child = c;
                        child_key = self.keys[c];
                    }
                }
                if last_key <= child_key {
                    break;
                }
                self.keys[hole] = child_key;
                self.events[hole] = self.events[child];
                hole = child;
            }
            self.keys[hole] = last_key;
            self.events[hole] = last_event;
        }
        Some((f64::from_bits((top_key >> 64) as u64), top_event))
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_many_events_in_order() {
        use rand::{RngExt, SeedableRng};
        let mut rng = crate::stream::Rng::seed_from_u64(3);
        let mut q = EventQueue::with_capacity(0);
        let mut expected = Vec::new();
        for i in 0..2000u32 {
            let t = f64::from(rng.random_range(0..200u32));
            q.push(t, Event::ServiceEnd(i));
            expected.push((t, i));
            if i % 3 == 0 {
                let (t, e) = q.pop().unwrap();
                let pos =
                    expected.iter().position(|&(et, ei)| et == t && Event::ServiceEnd(ei) == e).unwrap();
                let min = expected.iter().map(|x| x.0).fold(f64::INFINITY, f64::min);
                assert_eq!(t, min);
                // FIFO: no earlier-scheduled event with the same time remains.
                assert!(expected[..pos].iter().all(|x| x.0 != t));
                expected.remove(pos);
            }
        }
        let mut last = (f64::NEG_INFINITY, 0);
        while let Some((t, Event::ServiceEnd(i))) = q.pop() {
            assert!(t > last.0 || (t == last.0 && i > last.1));
            last = (t, i);
        }
        assert!(q.is_empty());
    }

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
