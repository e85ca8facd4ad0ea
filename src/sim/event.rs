//! Events and the future-event list.
//!
//! An [`Event`] is a small `Copy` enum (no boxing), and the list is ordered by (time,
//! sequence number): events at the same instant run in the order they were scheduled (FIFO,
//! as in nexosim), never in a random order. Its storage is reused for the whole run, so
//! scheduling allocates only while the number of pending events reaches a new peak.

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

/// The future-event list, ordered by one `u128` key per event: the time's bits (for
/// non-negative floats integer order is numeric order) above a sequence number (FIFO among
/// equal times). Every key is unique, so the order is total and the same on every run.
///
/// The events live in three sources, and [`EventQueue::pop`] takes the earliest of their
/// heads; splitting them changes no order, only what each insertion costs:
/// - the *timeline* (log-ins, breaks, log-outs, headcount changes), known before the run:
///   sorted once, then read off the end of a vector instead of weighing down the heap;
/// - the next arrival of each call type (at most one each): a small heap of its own, since a
///   new arrival is due soon and would otherwise climb the whole heap of service ends;
/// - everything else (mostly service ends): a binary heap.
#[derive(Debug, Default)]
pub struct EventQueue {
    /// Timeline events, latest first, so the earliest is popped off the end.
    timeline: Vec<Entry>,
    arrivals: Heap,
    others: Heap,
    seq: u64,
}

#[derive(Copy, Clone, Debug)]
struct Entry {
    key: u128,
    event: Event,
}

/// Key of an empty source: after every real key (a real key's time bits are those of a
/// finite float, never all ones).
const NONE: u128 = u128::MAX;

impl EventQueue {
    /// An empty list with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> EventQueue {
        EventQueue { others: Heap { entries: Vec::with_capacity(capacity) }, ..EventQueue::default() }
    }

    #[inline]
    fn key(&mut self, time: SimTime, event: &Event) -> u128 {
        debug_assert!(time.is_finite() && time >= 0.0, "event {event:?} at {time}");
        self.seq += 1;
        // +0.0 turns a -0.0 into 0.0, whose bits sort first.
        (u128::from((time + 0.0).to_bits()) << 64) | u128::from(self.seq)
    }

    /// Schedules `event` at `time` (finite and not negative: the run starts at 0). At most one
    /// [`Event::Arrival`] per call type may be pending.
    #[inline(always)]
    pub fn push(&mut self, time: SimTime, event: Event) {
        let entry = Entry { key: self.key(time, &event), event };
        if let Event::Arrival(_) = event {
            self.arrivals.push(entry);
        } else {
            self.others.push(entry);
        }
    }

    /// Schedules the timeline, events known before the run, in the order given at equal
    /// times (as if each were [`push`](Self::push)ed in turn).
    pub fn push_timeline(&mut self, timeline: &[(SimTime, Event)]) {
        for &(time, event) in timeline {
            let key = self.key(time, &event);
            self.timeline.push(Entry { key, event });
        }
        self.timeline.sort_unstable_by(|a, b| b.key.cmp(&a.key));
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        let other = self.others.first_key();
        let arrival = self.arrivals.first_key();
        let timeline = self.timeline.last().map_or(NONE, |e| e.key);
        let entry = if other < arrival && other < timeline {
            self.others.pop()
        } else if arrival < timeline {
            self.arrivals.pop()
        } else {
            self.timeline.pop()
        }?;
        Some((f64::from_bits((entry.key >> 64) as u64), entry.event))
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.timeline.len() + self.arrivals.entries.len() + self.others.entries.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A binary min-heap of entries. Storage is reused for the whole run, so it allocates only
/// while the number of pending events reaches a new peak.
#[derive(Debug, Default)]
struct Heap {
    entries: Vec<Entry>,
}

impl Heap {
    #[inline]
    fn first_key(&self) -> u128 {
        self.entries.first().map_or(NONE, |e| e.key)
    }

    #[inline(always)]
    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
        let e = &mut self.entries[..];
        let mut hole = e.len() - 1;
        while hole > 0 {
            let parent = (hole - 1) / 2;
            if e[parent].key < entry.key {
                break;
            }
            e[hole] = e[parent];
            hole = parent;
        }
        e[hole] = entry;
    }

    /// Bottom-up ("Floyd") removal of the root: the hole left at the root goes down to a leaf
    /// by the smaller child, one comparison a level, and the last entry then rises from there,
    /// rarely more than a level or two since it came from the bottom. The usual sift-down
    /// makes two comparisons a level, one of which almost always says "go on".
    #[inline]
    fn pop(&mut self) -> Option<Entry> {
        let last = self.entries.pop()?;
        let e = &mut self.entries[..];
        let n = e.len();
        if n == 0 {
            return Some(last);
        }
        let top = e[0];
        let mut hole = 0;
        let mut child = 1;
        while child + 1 < n {
            child += usize::from(e[child + 1].key < e[child].key);
            e[hole] = e[child];
            hole = child;
            child = 2 * hole + 1;
        }
        if child < n {
            e[hole] = e[child];
            hole = child;
        }
        while hole > 0 {
            let parent = (hole - 1) / 2;
            if e[parent].key < last.key {
                break;
            }
            e[hole] = e[parent];
            hole = parent;
        }
        e[hole] = last;
        Some(top)
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
