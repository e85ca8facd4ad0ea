//! The future-event list alone, on the hold model (J. O. Jones, 1986): a list of `n` pending
//! events, and at each step the earliest is removed and one more is scheduled an exponential
//! time after it, as a busy agent's service end is followed by the next. `n` is 100 (the bound
//! case's agents) and 2,000 (the scale case's), and the lists are the engine's own
//! ([`EventQueue`]: a 4-ary heap, with its choice among three sources) and the radix heap and
//! calendar queue of `support/event_lists.rs`.
//!
//! Before timing, the three must pop the same events in the same order. What each list cost
//! inside the engine, swapped in for the heap, is in docs/engine-bound.md.
//!
//! Run: `cargo bench --bench event_list`.

use std::hint::black_box;

use ccsim::sim::event::{Event, EventQueue, order_key, time_of_key};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_distr::{Distribution, Exp1};

#[path = "support/event_lists.rs"]
mod event_lists;
use event_lists::{Calendar, Entry, Radix};

/// Holds timed per list and size (enough to pass every pending event many times over).
const HOLDS: usize = 200_000;

/// The steps of the hold model: `n` first times, then the gap before each new event, with
/// mean `n` so that the list spans about the same time at every size.
fn steps(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ccsim::stream::Rng::seed_from_u64(7);
    let mut draw = |mean: f64| -> f64 {
        let unit: f64 = Exp1.sample(&mut rng);
        mean * unit
    };
    let first = (0..n).map(|_| draw(n as f64)).collect();
    let gaps = (0..HOLDS).map(|_| draw(n as f64)).collect();
    (first, gaps)
}

/// The operations a list offers the hold model.
trait List {
    fn empty() -> Self;
    fn schedule(&mut self, time: f64, event: Event);
    fn next(&mut self) -> (f64, Event);
}

impl List for EventQueue {
    fn empty() -> EventQueue {
        EventQueue::with_capacity(1024)
    }
    fn schedule(&mut self, time: f64, event: Event) {
        self.push(time, event);
    }
    fn next(&mut self) -> (f64, Event) {
        self.pop().expect("a hold never empties the list")
    }
}

/// A bucketed list with the engine's keys: the sequence number kept beside it.
struct Keyed<L> {
    list: L,
    seq: u64,
}

macro_rules! keyed_list {
    ($list:ty) => {
        impl List for Keyed<$list> {
            fn empty() -> Self {
                Keyed { list: <$list>::default(), seq: 0 }
            }
            fn schedule(&mut self, time: f64, event: Event) {
                self.seq += 1;
                self.list.push(Entry { key: order_key(time, self.seq), event });
            }
            fn next(&mut self) -> (f64, Event) {
                let entry = self.list.pop().expect("a hold never empties the list");
                (time_of_key(entry.key), entry.event)
            }
        }
    };
}
keyed_list!(Radix);
keyed_list!(Calendar);

/// Runs the hold model and returns a checksum of what was popped, in order.
fn hold<L: List>(first: &[f64], gaps: &[f64]) -> u64 {
    let mut list = L::empty();
    for (agent, &t) in first.iter().enumerate() {
        list.schedule(t, Event::ServiceEnd(agent as u32));
    }
    let mut checksum = 0u64;
    for &gap in gaps {
        let (t, event) = list.next();
        let Event::ServiceEnd(agent) = event else { unreachable!("only service ends are scheduled") };
        checksum = checksum.rotate_left(5) ^ t.to_bits() ^ u64::from(agent);
        list.schedule(t + gap, event);
    }
    checksum
}

fn event_list(c: &mut Criterion) {
    let mut group = c.benchmark_group("event_list");
    group.sample_size(20);
    group.throughput(Throughput::Elements(HOLDS as u64));
    for n in [100, 2000] {
        let (first, gaps) = steps(n);
        let heap = hold::<EventQueue>(&first, &gaps);
        assert_eq!(heap, hold::<Keyed<Radix>>(&first, &gaps), "radix heap order, n = {n}");
        assert_eq!(heap, hold::<Keyed<Calendar>>(&first, &gaps), "calendar queue order, n = {n}");
        group.bench_function(format!("heap4/{n}"), |b| {
            b.iter(|| black_box(hold::<EventQueue>(&first, &gaps)))
        });
        group.bench_function(format!("radix/{n}"), |b| {
            b.iter(|| black_box(hold::<Keyed<Radix>>(&first, &gaps)))
        });
        group.bench_function(format!("calendar/{n}"), |b| {
            b.iter(|| black_box(hold::<Keyed<Calendar>>(&first, &gaps)))
        });
    }
    group.finish();
}

criterion_group!(benches, event_list);
criterion_main!(benches);
