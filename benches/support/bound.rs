//! The bound of docs/engine-bound.md: its case (an M/M/c center of 100 agents at 90 Erlangs for
//! 24 days of hourly intervals) and the hand-written FCFS recursion that makes the engine's
//! draws. One file, included by the engine bench (which times it beside the engine) and by
//! `examples/engine_run` (`engine_run bound`, to count its instructions under cachegrind).

use ccsim::dist::Dist;
use ccsim::model::{Scenario, StationaryQueue};
use ccsim::stream::{self, Draw, Purpose};
use rand::Rng as _;
use rand_distr::{Distribution, Exp1};

/// The case of the bound: 1,800 calls an hour (90 Erlangs at 180 s) for 24 days, 100 agents,
/// no abandonment: about 1,036,000 calls.
pub const BOUND_DAYS: u32 = 24;
pub const BOUND_AGENTS: usize = 100;
pub const BOUND_CALLS_PER_HOUR: f64 = 1800.0;
pub const BOUND_HANDLE_S: f64 = 180.0;
pub const BOUND_TARGET_S: f64 = 20.0;
pub const BOUND_SEED: u64 = 1;

pub fn bound_case() -> Scenario {
    Scenario::stationary(&StationaryQueue {
        calls_per_hour: BOUND_CALLS_PER_HOUR,
        handle_time: Dist::exponential(BOUND_HANDLE_S),
        patience: None,
        agents: BOUND_AGENTS as u32,
        target: BOUND_TARGET_S,
        hours: 24 * BOUND_DAYS,
    })
}

/// What the engine counts on the bound's case, in the recursion's terms.
pub fn engine_counts(scenario: &Scenario) -> BoundCounts {
    let counts = ccsim::sim::run_untraced(scenario, BOUND_SEED, 0);
    let all = counts.overall();
    BoundCounts {
        offered: all.offered_total(),
        answered: all.answered,
        answered_within_target: all.answered_within_target,
        wait_answered_s: all.wait_answered_s,
    }
}

/// What the recursion counts: the figures the engine must reproduce exactly.
#[derive(Debug, PartialEq)]
pub struct BoundCounts {
    pub offered: u64,
    pub answered: u64,
    pub answered_within_target: u64,
    pub wait_answered_s: f64,
}

/// The M/M/c queue by the Kiefer-Wolfowitz recursion, FCFS, with the engine's draws.
///
/// The workload vector is kept as the instants at which each of the `c` servers next becomes
/// free, in a binary min-heap: a caller arriving at `t` starts at `max(t, earliest free)`, so its
/// wait is the smallest workload (Kiefer and Wolfowitz 1955; Lindley's recursion when c = 1),
/// and that server is next free after the handle time. Under FCFS the waits do not depend on
/// which free server takes a call, so they are the engine's waits exactly, given the same draws:
///
/// - interarrival work from the arrivals stream of call type 0, `Exp1`, turned into an instant
///   by inverting the hourly piecewise-constant rate as the engine does (the same floating-point
///   operations, so the same instants);
/// - each caller's seed from the callers stream, and its handle time from that seed's arrival
///   generator (rand_distr's ziggurat `Exp`, through `Dist::sample`).
///
/// A call not started by the horizon is left unanswered, as the staffing vector ends there.
/// This is the least work that yields the engine's answer: no events, no routing, no tallies
/// by interval.
pub fn mmc_bound(seed: u64) -> BoundCounts {
    let handle_time = Dist::exponential(BOUND_HANDLE_S);
    mmc_recursion(seed, |callers| {
        let caller = callers.next_u64();
        handle_time.sample(&mut stream::contact_rng(caller, Draw::Arrival))
    })
}

/// The recursion with other draws for the handle times, to measure what a change of the
/// engine's draws would save (it would change every output, so it is only measured):
/// - `inversion`: the exponential by inversion, `-mean * ln(1 - u)`, from each caller's own
///   generator, instead of the ziggurat;
/// - `one_stream`: the ziggurat from one stream for all handle times, with no generator seeded
///   per caller (which gives up common random numbers between plans).
pub fn mmc_bound_variant(seed: u64, variant: &str) -> BoundCounts {
    let handle_time = Dist::exponential(BOUND_HANDLE_S);
    match variant {
        "inversion" => mmc_recursion(seed, |callers| {
            let caller = callers.next_u64();
            let u: f64 = rand::RngExt::random(&mut stream::contact_rng(caller, Draw::Arrival));
            -BOUND_HANDLE_S * (1.0 - u).ln()
        }),
        _ => mmc_recursion(seed, |callers| handle_time.sample(callers)),
    }
}

/// The recursion, with `handle(callers)` drawing each caller's handle time.
#[inline(always)]
fn mmc_recursion(seed: u64, mut handle: impl FnMut(&mut stream::Rng) -> f64) -> BoundCounts {
    let mut arrivals = stream::stream(seed, 0, Purpose::Arrivals, 0);
    let mut callers = stream::stream(seed, 0, Purpose::Callers, 0);
    let rate = BOUND_CALLS_PER_HOUR / 3600.0;
    let n_intervals = 24 * BOUND_DAYS as usize;
    let horizon = n_intervals as f64 * 3600.0;
    let mut free = vec![0.0f64; BOUND_AGENTS];
    let mut counts = BoundCounts { offered: 0, answered: 0, answered_within_target: 0, wait_answered_s: 0.0 };
    let (mut t, mut idx) = (0.0f64, 0usize);
    'calls: loop {
        // The next arrival instant, by the engine's inversion of the cumulative rate.
        let mut work: f64 = Exp1.sample(&mut arrivals);
        loop {
            if idx == n_intervals {
                break 'calls;
            }
            let (start, end) = (idx as f64 * 3600.0, idx as f64 * 3600.0 + 3600.0);
            let t_from = t.max(start);
            let capacity = rate * (end - t_from);
            if work < capacity {
                t = t_from + work / rate;
                break;
            }
            work -= capacity;
            t = end;
            idx += 1;
        }
        let handle = handle(&mut callers);
        counts.offered += 1;
        let start = free[0].max(t);
        if start > horizon {
            continue;
        }
        let wait = start - t;
        counts.answered += 1;
        counts.answered_within_target += u64::from(wait <= BOUND_TARGET_S);
        counts.wait_answered_s += wait;
        replace_min(&mut free, start + handle);
    }
    counts
}

/// Replaces the root of the binary min-heap `heap` by `value` and sifts it down.
#[inline]
fn replace_min(heap: &mut [f64], value: f64) {
    let n = heap.len();
    let mut hole = 0;
    loop {
        let left = 2 * hole + 1;
        if left >= n {
            break;
        }
        let right = left + 1;
        let child = if right < n && heap[right] < heap[left] { right } else { left };
        if heap[child] >= value {
            break;
        }
        heap[hole] = heap[child];
        hole = child;
    }
    heap[hole] = value;
}

/// The same queue as the least *event-driven* simulation can run it, to tell what any
/// discrete-event engine pays beyond the recursion: two kinds of event (the next arrival, held
/// apart, and service ends, in a binary min-heap of instants), a FIFO queue of waiting callers
/// and a count of idle agents; no event enum, no sequence numbers for ties, no agent records,
/// no routing, no tallies by interval. With the same draws it gives the recursion's counts
/// (the bench checks): an agent freed at `s` takes the caller at the head of the queue, which
/// is the caller the recursion starts at `max(t, s)`.
///
/// Agents stop taking callers at the horizon, as in the recursion.
pub fn mmc_events(seed: u64) -> BoundCounts {
    let handle_time = Dist::exponential(BOUND_HANDLE_S);
    let mut arrivals = stream::stream(seed, 0, Purpose::Arrivals, 0);
    let mut callers = stream::stream(seed, 0, Purpose::Callers, 0);
    let rate = BOUND_CALLS_PER_HOUR / 3600.0;
    let n_intervals = 24 * BOUND_DAYS as usize;
    let horizon = n_intervals as f64 * 3600.0;
    let mut counts = BoundCounts { offered: 0, answered: 0, answered_within_target: 0, wait_answered_s: 0.0 };
    let mut ends: Vec<f64> = Vec::with_capacity(BOUND_AGENTS);
    let mut queue: std::collections::VecDeque<(f64, f64)> = std::collections::VecDeque::new();
    let mut idle = BOUND_AGENTS;
    let (mut t, mut idx) = (0.0f64, 0usize);
    let mut next_arrival = |t: &mut f64, idx: &mut usize| -> Option<f64> {
        let mut work: f64 = Exp1.sample(&mut arrivals);
        loop {
            if *idx == n_intervals {
                return None;
            }
            let (start, end) = (*idx as f64 * 3600.0, *idx as f64 * 3600.0 + 3600.0);
            let t_from = t.max(start);
            let capacity = rate * (end - t_from);
            if work < capacity {
                *t = t_from + work / rate;
                return Some(*t);
            }
            work -= capacity;
            *t = end;
            *idx += 1;
        }
    };
    let mut arrival = next_arrival(&mut t, &mut idx);
    loop {
        let end = ends.first().copied();
        match (arrival, end) {
            (Some(now), end) if end.is_none_or(|end| now < end) => {
                counts.offered += 1;
                let caller = callers.next_u64();
                let handle = handle_time.sample(&mut stream::contact_rng(caller, Draw::Arrival));
                if idle > 0 {
                    idle -= 1;
                    counts.answered += 1;
                    counts.answered_within_target += 1;
                    push_min(&mut ends, now + handle);
                } else {
                    queue.push_back((now, handle));
                }
                arrival = next_arrival(&mut t, &mut idx);
            }
            (_, Some(now)) => match queue.front() {
                Some(&(arrived, handle)) if now <= horizon => {
                    queue.pop_front();
                    let wait = now - arrived;
                    counts.answered += 1;
                    counts.answered_within_target += u64::from(wait <= BOUND_TARGET_S);
                    counts.wait_answered_s += wait;
                    replace_min(&mut ends, now + handle);
                }
                _ => {
                    pop_min(&mut ends);
                    idle += 1;
                }
            },
            (_, None) => break,
        }
    }
    counts
}

/// Adds `value` to the binary min-heap `heap`.
#[inline]
fn push_min(heap: &mut Vec<f64>, value: f64) {
    let mut hole = heap.len();
    heap.push(value);
    while hole > 0 {
        let parent = (hole - 1) / 2;
        if heap[parent] <= value {
            break;
        }
        heap[hole] = heap[parent];
        hole = parent;
    }
    heap[hole] = value;
}

/// Removes the root of the binary min-heap `heap`.
#[inline]
fn pop_min(heap: &mut Vec<f64>) {
    let last = heap.pop().expect("a pending service end");
    if !heap.is_empty() {
        replace_min(heap, last);
    }
}
