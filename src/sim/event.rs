//! Events and the future-event list.
//!
//! An [`Event`] is a small `Copy` enum (no boxing), and the list is ordered by (time,
//! sequence number): events at the same instant run in the order they were scheduled (FIFO,
//! as in nexosim), never in a random order. Its storage is reused for the whole run, so
//! scheduling allocates only while the number of pending events reaches a new peak.

use crate::model::{AgentGroupId, CallTypeId};
use crate::sim::lines::PoolId;
use crate::time::SimTime;

/// Index of a call record in the engine's slab.
pub type CallIdx = u32;
/// Index of an agent record.
pub type AgentIdx = u32;

/// Something that happens at an instant.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The next fresh call of this call type arrives.
    Arrival(CallTypeId),
    /// The next fresh call of this call type that an event's volume adds arrives.
    AddedArrival(CallTypeId),
    /// A redial or repeat (held in the slab, not yet offered) calls in.
    Recontact(CallIdx),
    /// A waiting caller's patience runs out. `generation` guards against a reused slot.
    PatienceEnd { call: CallIdx, generation: u32 },
    /// A waiting caller has waited long enough for the next overflow group of its call type
    /// (a skill's `after`).
    Overflow { call: CallIdx, generation: u32 },
    /// An agent finishes a call.
    ServiceEnd(AgentIdx),
    /// An agent finishes the earliest-ending of its chats, if `generation` is still its
    /// current stamp (every chat started or ended reschedules it: `sim::chat`).
    ChatEnd { agent: AgentIdx, generation: u32 },
    /// An agent of a shift logs in.
    LogIn(AgentIdx),
    /// An agent of a shift is due to log out (after the current call, if any).
    LogOut(AgentIdx),
    /// An agent of a shift is due a break of the given length in whole seconds (after the
    /// current call, if any).
    BreakStart { agent: AgentIdx, length_s: u32 },
    /// An agent of a shift is pulled off the phones by an event for the given length in whole
    /// seconds (after the current call, if any); it is not back before the pull ends, even
    /// when it is on a break at the pull's start.
    Pull { agent: AgentIdx, length_s: u32 },
    /// An agent's break ends.
    BreakEnd(AgentIdx),
    /// A staffing-vector group's headcount becomes `agents`.
    Staffing { group: AgentGroupId, agents: u32 },
    /// An outage of a pool of lines starts or ends.
    LinesChange(PoolId),
    /// An agent's call back has rung long enough: reached or missed.
    CallbackDialEnd(AgentIdx),
    /// A missed callback customer is due another call back.
    CallbackRetry { call: CallIdx, generation: u32 },
}

/// The future-event list, ordered by one `u128` key per event: the time's bits (for
/// non-negative floats integer order is numeric order) above a sequence number (FIFO among
/// equal times). Every key is unique, so the order is total and the same on every run.
///
/// The events live in four sources, and [`EventQueue::pop`] takes the earliest of their
/// heads; splitting them changes no order, only what each insertion costs:
/// - the *timeline* (log-ins, breaks, log-outs, headcount changes), known before the run:
///   sorted once, then read off the end of a vector instead of weighing down the heap;
/// - the next arrival of each call type (at most one each, and one more its events add): a
///   small heap of its own, since a new arrival is due soon and would otherwise climb the
///   whole heap of service ends;
/// - service ends, the most common event, in a 4-ary heap of bare keys: a service end's agent
///   is held in the key's lowest [`AGENT_BITS`] bits, below the sequence number (which alone
///   decides among equal times), so an entry is 16 bytes instead of 32 and the heap moves half
///   the memory (2 to 5% less CPU time on the bound case of docs/engine-bound.md, where a
///   hundred agents are busy at once; no change measurable on smaller cases);
/// - everything else: a 4-ary heap of keyed events.
#[derive(Debug)]
pub struct EventQueue {
    /// Timeline events, latest first, so the earliest is popped off the end.
    timeline: Vec<Entry>,
    /// The key of the timeline's earliest event ([`NONE`] when it is empty): read at every
    /// pop, so kept at hand rather than looked up at the end of the vector.
    timeline_next: u128,
    arrivals: Heap<Entry>,
    /// Service ends: each is its key alone, the agent in the key's lowest bits.
    ends: Heap<u128>,
    others: Heap<Entry>,
    /// The last sequence number given.
    seq: u64,
    /// The first sequence number that does not fit above the agent's bits: reaching it numbers
    /// the pending events afresh ([`EventQueue::renumber`]). [`SEQ_CAP`] but in tests.
    seq_cap: u64,
}

#[derive(Copy, Clone, Debug)]
struct Entry {
    key: u128,
    event: Event,
}

/// The order key of an event scheduled at `time` (finite, not negative) as the `seq`-th: the
/// time's bits above the sequence number. The engine's list orders events as these keys do
/// (its own hold the sequence number [`AGENT_BITS`] bits higher, with a service end's agent
/// below it), and any list set beside it in a bench orders them by it.
#[inline(always)]
pub fn order_key(time: SimTime, seq: u64) -> u128 {
    // +0.0 turns a -0.0 into 0.0, whose bits sort first.
    (u128::from((time + 0.0).to_bits()) << 64) | u128::from(seq)
}

/// Bits of the engine's keys that hold a service end's agent, below the sequence number.
pub const AGENT_BITS: u32 = 27;

/// The first sequence number that no longer fits above the agent's bits (2^37, about 137
/// billion events).
const SEQ_CAP: u64 = 1 << (64 - AGENT_BITS);

// Every agent record of a valid scenario fits in the agent's bits: one per agent-day of the
// shifts, and a staffing vector group's peak headcount.
const _: () = assert!(
    crate::limits::MAX_AGENT_DAYS + crate::limits::MAX_AGENTS as u64 * crate::limits::MAX_AGENT_GROUPS as u64
        <= 1 << AGENT_BITS
);

/// The instant of an order key.
#[inline(always)]
pub fn time_of_key(key: u128) -> SimTime {
    f64::from_bits((key >> 64) as u64)
}

/// The agent of a service end's key.
#[inline(always)]
fn agent_of(key: u128) -> AgentIdx {
    (key as u32) & ((1 << AGENT_BITS) - 1)
}

/// Key of an empty source: after every real key (a real key's time bits are those of a
/// finite float, never all ones).
const NONE: u128 = u128::MAX;

impl EventQueue {
    /// An empty list with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> EventQueue {
        EventQueue {
            timeline: Vec::new(),
            timeline_next: NONE,
            arrivals: Heap::default(),
            ends: Heap { entries: Vec::with_capacity(capacity) },
            others: Heap::default(),
            seq: 0,
            seq_cap: SEQ_CAP,
        }
    }

    #[inline]
    fn key(&mut self, time: SimTime, event: &Event) -> u128 {
        debug_assert!(time.is_finite() && time >= 0.0, "event {event:?} at {time}");
        self.seq += 1;
        if self.seq >= self.seq_cap {
            self.renumber();
        }
        (u128::from((time + 0.0).to_bits()) << 64) | (u128::from(self.seq) << AGENT_BITS)
    }

    /// Gives every pending event a new sequence number, 1, 2, ... in the order they will be
    /// popped, so that the numbers never outgrow their bits; the next event scheduled gets the
    /// number after them. No order changes, so neither does any run. No realistic run gets
    /// here: it takes 2^37 events in one replication.
    #[cold]
    #[inline(never)]
    fn renumber(&mut self) {
        #[derive(Clone, Copy)]
        enum Source {
            Timeline,
            Arrivals,
            Ends,
            Others,
        }
        let mut pending: Vec<(u128, Source, Event)> = Vec::with_capacity(self.len());
        pending.extend(self.timeline.drain(..).map(|e| (e.key, Source::Timeline, e.event)));
        pending.extend(self.arrivals.entries.drain(..).map(|e| (e.key, Source::Arrivals, e.event)));
        pending.extend(self.others.entries.drain(..).map(|e| (e.key, Source::Others, e.event)));
        pending.extend(
            self.ends.entries.drain(..).map(|key| (key, Source::Ends, Event::ServiceEnd(agent_of(key)))),
        );
        pending.sort_unstable_by_key(|&(key, _, _)| key);
        // A list sorted from the earliest is a heap as it stands; the timeline is kept latest
        // first.
        for (seq, &(old, source, event)) in (1u64..).zip(&pending) {
            let key = (old >> 64 << 64) | (u128::from(seq) << AGENT_BITS);
            match source {
                Source::Timeline => self.timeline.push(Entry { key, event }),
                Source::Arrivals => self.arrivals.entries.push(Entry { key, event }),
                Source::Ends => self.ends.entries.push(key | u128::from(agent_of(old))),
                Source::Others => self.others.entries.push(Entry { key, event }),
            }
        }
        self.timeline.reverse();
        self.timeline_next = self.timeline.last().map_or(NONE, |e| e.key);
        self.seq = pending.len() as u64 + 1;
    }

    /// Schedules `event` at `time` (finite and not negative: the run starts at 0). At most one
    /// [`Event::Arrival`] and one [`Event::AddedArrival`] per call type may be pending.
    #[inline(always)]
    pub fn push(&mut self, time: SimTime, event: Event) {
        let key = self.key(time, &event);
        match event {
            Event::ServiceEnd(agent) => {
                debug_assert!(agent < 1 << AGENT_BITS, "agent {agent} beyond the key's bits");
                self.ends.push(key | u128::from(agent))
            }
            Event::Arrival(_) | Event::AddedArrival(_) => self.arrivals.push(Entry { key, event }),
            _ => self.others.push(Entry { key, event }),
        }
    }

    /// Schedules the timeline, events known before the run, in the order given at equal
    /// times (as if each were [`push`](Self::push)ed in turn).
    pub fn push_timeline(&mut self, timeline: &[(SimTime, Event)]) {
        for &(time, event) in timeline {
            let key = self.key(time, &event);
            self.timeline.push(Entry { key, event });
        }
        self.timeline.sort_unstable_by_key(|e| std::cmp::Reverse(e.key));
        self.timeline_next = self.timeline.last().map_or(NONE, |e| e.key);
    }

    /// Removes and returns the earliest event.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        let end = self.ends.first_key();
        let other = self.others.first_key();
        let arrival = self.arrivals.first_key();
        let timeline = self.timeline_next;
        if end < other && end < arrival && end < timeline {
            let key = self.ends.pop()?;
            return Some((time_of_key(key), Event::ServiceEnd(agent_of(key))));
        }
        let entry = if other < arrival && other < timeline {
            self.others.pop()
        } else if arrival < timeline {
            self.arrivals.pop()
        } else {
            let entry = self.timeline.pop();
            self.timeline_next = self.timeline.last().map_or(NONE, |e| e.key);
            entry
        }?;
        Some((time_of_key(entry.key), entry.event))
    }

    /// Drops every pending event, keeping the storage: the replication is stopping.
    pub fn clear(&mut self) {
        self.timeline.clear();
        self.timeline_next = NONE;
        self.arrivals.entries.clear();
        self.ends.entries.clear();
        self.others.entries.clear();
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.timeline.len()
            + self.arrivals.entries.len()
            + self.ends.entries.len()
            + self.others.entries.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What a heap holds: anything with an order key.
trait Keyed: Copy {
    fn key(&self) -> u128;
}

impl Keyed for Entry {
    #[inline(always)]
    fn key(&self) -> u128 {
        self.key
    }
}

/// A service end is its key alone: the agent sits in the key's lowest bits.
impl Keyed for u128 {
    #[inline(always)]
    fn key(&self) -> u128 {
        *self
    }
}

/// A 4-ary min-heap of entries. Storage is reused for the whole run, so it allocates only
/// while the number of pending events reaches a new peak.
///
/// Why four children: removing the root walks a chain of dependent loads (each level's
/// position depends on the previous comparison), which bounds its speed. Four children halve
/// the depth of a binary heap, and their four keys are loaded and compared side by side
/// without branches. It executes a few more instructions per removal than a binary heap but
/// waits on half as many dependent loads, which is what bounds the speed here; choosing the
/// child with branches would give that gain back to mispredictions.
#[derive(Debug)]
struct Heap<T> {
    entries: Vec<T>,
}

impl<T> Default for Heap<T> {
    fn default() -> Self {
        Heap { entries: Vec::new() }
    }
}

impl<T: Keyed> Heap<T> {
    #[inline]
    fn first_key(&self) -> u128 {
        self.entries.first().map_or(NONE, |e| e.key())
    }

    /// Sift-up with the entry's place found before it is stored: in the common cases (an
    /// empty heap, or a parent that comes earlier, as for most service ends) it is stored
    /// once, at the end, instead of there first and again where it stops.
    #[inline(always)]
    fn push(&mut self, entry: T) {
        let mut hole = self.entries.len();
        if hole == 0 || self.entries[(hole - 1) / 4].key() < entry.key() {
            self.entries.push(entry);
            return;
        }
        // The parent comes later: it moves down into the new last slot.
        let parent = (hole - 1) / 4;
        self.entries.push(self.entries[parent]);
        hole = parent;
        let e = &mut self.entries[..];
        while hole > 0 {
            let parent = (hole - 1) / 4;
            // `e[..hole]` holds the parent: one bounds check a level, not two.
            let (above, here) = e.split_at_mut(hole);
            if above[parent].key() < entry.key() {
                break;
            }
            here[0] = above[parent];
            hole = parent;
        }
        e[hole] = entry;
    }

    /// Bottom-up ("Floyd") removal of the root: the hole left at the root goes down to a leaf
    /// by the smallest child, and the last entry then rises from there, rarely more than a
    /// level since it came from the bottom. The usual sift-down also compares the last entry
    /// with the smallest child at every level, a test that almost always says "go on".
    #[inline(always)]
    fn pop(&mut self) -> Option<T> {
        let last = self.entries.pop()?;
        let e = &mut self.entries[..];
        let n = e.len();
        if n == 0 {
            return Some(last);
        }
        let top = e[0];
        let mut hole = 0;
        let mut first = 1;
        while first + 3 < n {
            // The four children as one array: one bounds check a level instead of five.
            let (above, below) = e.split_at_mut(first);
            let kids: &[T; 4] = below.first_chunk().expect("first + 3 < n");
            let (k0, k1, k2, k3) = (kids[0].key(), kids[1].key(), kids[2].key(), kids[3].key());
            let (a, ka) = if k1 < k0 { (1, k1) } else { (0, k0) };
            let (b, kb) = if k3 < k2 { (3, k3) } else { (2, k2) };
            let child = if kb < ka { b } else { a };
            above[hole] = kids[child];
            hole = first + child;
            first = 4 * hole + 1;
        }
        if first < n {
            let mut child = first;
            for c in first + 1..n {
                if e[c].key() < e[child].key() {
                    child = c;
                }
            }
            e[hole] = e[child];
            hole = child;
        }
        while hole > 0 {
            let parent = (hole - 1) / 4;
            if e[parent].key() < last.key() {
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
    fn all_sources_together_pop_by_time_then_scheduling_order() {
        use rand::{RngExt, SeedableRng};
        let mut rng = crate::stream::Rng::seed_from_u64(11);
        let timeline: Vec<(SimTime, Event)> =
            (0..300u32).map(|i| (f64::from(rng.random_range(0..50u32)), Event::LogIn(i))).collect();
        let mut q = EventQueue::with_capacity(0);
        q.push_timeline(&timeline);
        // The reference: every event with its scheduling rank, popped by (time, rank).
        let mut reference: Vec<(SimTime, usize, Event)> =
            timeline.iter().enumerate().map(|(rank, &(t, e))| (t, rank, e)).collect();
        let mut popped = Vec::new();
        for i in 0..3000u32 {
            let t = f64::from(rng.random_range(0..60u32));
            let event =
                if i % 4 == 0 { Event::Arrival(CallTypeId((i % 7) as u16)) } else { Event::ServiceEnd(i) };
            q.push(t, event);
            reference.push((t, reference.len(), event));
            if i % 2 == 0 {
                popped.push(q.pop().unwrap());
            }
        }
        popped.extend(std::iter::from_fn(|| q.pop()));
        assert!(q.is_empty());
        // Replay the same pushes and pops on the reference.
        let mut pending: Vec<(SimTime, usize, Event)> = reference[..timeline.len()].to_vec();
        let mut expected = Vec::new();
        let take_min = |pending: &mut Vec<(SimTime, usize, Event)>| {
            let idx = (0..pending.len())
                .min_by(|&a, &b| pending[a].0.total_cmp(&pending[b].0).then(pending[a].1.cmp(&pending[b].1)))
                .unwrap();
            let (t, _, e) = pending.remove(idx);
            (t, e)
        };
        for (i, &scheduled) in reference[timeline.len()..].iter().enumerate() {
            pending.push(scheduled);
            if i % 2 == 0 {
                expected.push(take_min(&mut pending));
            }
        }
        while !pending.is_empty() {
            expected.push(take_min(&mut pending));
        }
        assert_eq!(popped, expected);
    }

    #[test]
    fn numbering_the_pending_events_afresh_changes_no_order() {
        use rand::{RngExt, SeedableRng};
        let mut rng = crate::stream::Rng::seed_from_u64(5);
        let timeline: Vec<(SimTime, Event)> =
            (0..40u32).map(|i| (f64::from(rng.random_range(0..30u32)), Event::LogIn(i))).collect();
        let mut plain = EventQueue::with_capacity(0);
        let mut renumbered = EventQueue::with_capacity(0);
        // Every source is renumbered many times over, with events of equal times pending.
        renumbered.seq_cap = 200;
        plain.push_timeline(&timeline);
        renumbered.push_timeline(&timeline);
        let (mut from_plain, mut from_renumbered) = (Vec::new(), Vec::new());
        let mut now = 0.0;
        for i in 0..5000u32 {
            let t = now + f64::from(rng.random_range(0..40u32));
            let event = match i % 5 {
                0 => Event::Arrival(CallTypeId((i % 3) as u16)),
                1 => Event::PatienceEnd { call: i, generation: i % 7 },
                _ => Event::ServiceEnd((1 << AGENT_BITS) - 1 - i),
            };
            plain.push(t, event);
            renumbered.push(t, event);
            // At most 60 pending, so that numbering afresh leaves room under the cap.
            if plain.len() > 60 {
                let popped = plain.pop().unwrap();
                now = popped.0;
                from_plain.push(popped);
                from_renumbered.push(renumbered.pop().unwrap());
            }
        }
        from_plain.extend(std::iter::from_fn(|| plain.pop()));
        from_renumbered.extend(std::iter::from_fn(|| renumbered.pop()));
        assert_eq!(from_plain.len(), 5040);
        assert_eq!(from_renumbered, from_plain);
        assert!(renumbered.seq < 200 && plain.seq > 5000, "{} {}", renumbered.seq, plain.seq);
    }

    #[test]
    fn pops_in_time_order_and_fifo_at_equal_times() {
        let mut q = EventQueue::with_capacity(4);
        q.push(5.0, Event::Arrival(CallTypeId(0)));
        q.push(1.0, Event::Arrival(CallTypeId(1)));
        q.push(5.0, Event::Arrival(CallTypeId(2)));
        q.push(3.0, Event::Arrival(CallTypeId(3)));
        let order: Vec<Event> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(
            order,
            [
                Event::Arrival(CallTypeId(1)),
                Event::Arrival(CallTypeId(3)),
                Event::Arrival(CallTypeId(0)),
                Event::Arrival(CallTypeId(2))
            ]
        );
    }
}
