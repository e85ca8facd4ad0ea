//! Runs the engine on a stationary M/M/c(+M) queue, for profiling, memory and scaling checks.
//!
//! ```text
//! cargo run --release --example engine_run -- one HOURS [CALLS_PER_HOUR] [AGENTS] [PATIENCE_S]
//! cargo run --release --example engine_run -- reps THREADS REPLICATIONS HOURS
//! cargo run --release --example engine_run -- fingerprints
//! cargo run --release --example engine_run -- allocations
//! cargo run --release --example engine_run -- bound-recursion
//! cargo run --release --example engine_run -- bound-events
//! cargo run --release --example engine_run -- bound-toml PATH
//! ```
//!
//! `one` simulates one replication and prints the calls offered and a fingerprint of every
//! count (so a change that should keep results can be checked to keep them); `reps` runs
//! replications on the given number of threads and prints the wall-clock time; `fingerprints`
//! prints the fingerprints of a few replications of richer scenarios (transfers, redials,
//! repeats, overflow, shifts with breaks); `allocations` counts heap allocations during runs
//! of the same day (same intervals) with ten times more calls and agents, so that an
//! allocation per call would show as a tenfold count; `bound-recursion` runs only the
//! hand-written recursion of the bound case (docs/engine-bound.md), so that cachegrind can
//! count its instructions beside `one 576`, the engine on the same case; `bound-events` runs the
//! least event-driven simulation of that case (`mmc_events`); `bound-toml PATH` writes the
//! case as a scenario file, for timing `ccsim simulate` on it. The load is
//! 90% of the agents' capacity at an average handle time of 180 s unless given.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use ccsim::dist::Dist;
use ccsim::model::{
    AgentGroup, AgentGroupId, CallType, CallTypeId, GroupStaffing, Recall, Scenario, Shift, ShiftBreak,
    ShiftPlan, Skill, StationaryQueue, Transfer,
};
use ccsim::replicate::{self, Options};
use ccsim::sim::{self, Counts};
use ccsim::time::{ClockTime, IntervalGrid};

// The bench's bound; the example uses the plain recursion only.
#[allow(dead_code)]
#[path = "../benches/support/bound.rs"]
mod bound;

/// The system allocator, counting allocations.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn scenario(hours: u32, calls_per_hour: f64, agents: u32, patience: Option<f64>) -> Scenario {
    Scenario::stationary(&StationaryQueue {
        calls_per_hour,
        handle_time: Dist::exponential(180.0),
        patience: patience.map(Dist::exponential),
        agents,
        target: 20.0,
        hours,
    })
}

/// Two call types with transfers, redials, repeats, priorities and an overflow group.
fn two_tier() -> Scenario {
    let mut s = scenario(8, 200.0, 12, Some(60.0));
    s.call_types[0].transfers = vec![Transfer { to: CallTypeId(1), probability: 0.2 }];
    s.call_types[0].redial = Some(Recall { probability: 0.5, delay: Dist::exponential(300.0) });
    s.call_types.push(CallType {
        name: "expert".into(),
        channel: ccsim::model::Channel::Voice,
        initial_backlog: 0,
        volumes: vec![20.0; 8],
        handle_time: Dist::exponential(300.0),
        patience: Some(Dist::exponential(120.0)),
        redial: None,
        repeat: Some(Recall { probability: 0.1, delay: Dist::exponential(600.0) }),
        transfers: vec![],
        priority: 1,
        open: None,
    });
    s.agent_groups.push(AgentGroup {
        name: "tier2".into(),
        skills: vec![
            Skill { call_type: CallTypeId(1), after: 0.0 },
            Skill { call_type: CallTypeId(0), after: 30.0 },
        ],
        handle_time_factor: 1.2,
        chat: None,
    });
    s.plan.staffing.push(GroupStaffing { group: AgentGroupId(1), agents: vec![4; 8] });
    s
}

/// Two days of 30-minute intervals worked by overlapping shifts with breaks.
fn shifts() -> Scenario {
    let mut s = scenario(24, 100.0, 1, Some(300.0));
    s.grid = IntervalGrid::new(ClockTime::MIDNIGHT, 1800.0, 48, 2).expect("valid grid");
    s.call_types[0].volumes =
        (0..96).map(|i| if (14..40).contains(&(i % 48)) { 60.0 } else { 5.0 }).collect();
    let shift = |start: &str, agents: u32| Shift {
        group: AgentGroupId(0),
        start: ClockTime::parse(start).expect("clock time"),
        length: 8.0 * 3600.0,
        agents,
        breaks: vec![ShiftBreak { offset: 4.0 * 3600.0, length: 1800.0 }],
        days: None,
    };
    s.plan = ShiftPlan {
        name: "shifts".into(),
        shifts: vec![shift("07:00", 5), shift("11:00", 6), shift("22:00", 1)],
        staffing: vec![],
    };
    s
}

/// A hash of every count, floats by their bits.
fn fingerprint(counts: &Counts) -> u64 {
    let mut h = DefaultHasher::new();
    for cell in &counts.cells {
        cell.offered.hash(&mut h);
        (cell.answered, cell.answered_within_target, cell.abandoned, cell.unanswered_at_close, cell.queued)
            .hash(&mut h);
        (cell.wait_answered_s.to_bits(), cell.wait_all_s.to_bits()).hash(&mut h);
        (cell.waits.count(), cell.waits.zero_count(), cell.waits.max().to_bits()).hash(&mut h);
        for (low, high, n) in cell.waits.nonempty_buckets() {
            (low.to_bits(), high.to_bits(), n).hash(&mut h);
        }
    }
    for t in &counts.agent_time {
        (t.on_duty_s.to_bits(), t.busy_s.to_bits()).hash(&mut h);
    }
    h.finish()
}

fn arg<T: std::str::FromStr>(args: &[String], idx: usize, default: T) -> T {
    args.get(idx).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("fingerprints") => {
            for (name, s) in [("two_tier", two_tier()), ("shifts", shifts())] {
                for r in 0..3 {
                    let counts = sim::run_untraced(&s, 7, r);
                    println!("{name} {r}: {:016x}", fingerprint(&counts));
                }
            }
        }
        Some("allocations") => {
            for (name, s) in [("two_tier", two_tier()), ("shifts", shifts())] {
                let before = ALLOCATIONS.load(Ordering::Relaxed);
                let counts = sim::run_untraced(&s, 7, 0);
                let n = ALLOCATIONS.load(Ordering::Relaxed) - before;
                println!("{name}: {} calls, {n} allocations", counts.overall().offered_total());
            }
            for scale in [1, 10] {
                for patience in [None, Some(120.0)] {
                    let s = scenario(24, 1800.0 * scale as f64, 100 * scale, patience);
                    let before = ALLOCATIONS.load(Ordering::Relaxed);
                    let counts = sim::run_untraced(&s, 1, 0);
                    let n = ALLOCATIONS.load(Ordering::Relaxed) - before;
                    let calls = counts.overall().offered_total();
                    println!("mmc 24 h x{scale}, patience {patience:?}: {calls} calls, {n} allocations");
                }
            }
        }
        Some("bound-recursion") => println!("{:?}", bound::mmc_bound(bound::BOUND_SEED)),
        Some("bound-events") => println!("{:?}", bound::mmc_events(bound::BOUND_SEED)),
        Some("bound-toml") => {
            let path = args.get(2).expect("bound-toml PATH");
            std::fs::write(path, ccsim::scenario::to_toml(&bound::bound_case()))
                .expect("writes the scenario");
        }
        Some("reps") => {
            let threads: usize = arg(&args, 2, 1);
            let replications: u32 = arg(&args, 3, 8);
            let hours: u32 = arg(&args, 4, 24 * 23);
            let s = scenario(hours, 1800.0, 100, None);
            let options = Options { replications, seed: 1, threads: Some(threads) };
            let start = Instant::now();
            let reps = replicate::run(&s, &options, &|| {}).expect("thread pool");
            let secs = start.elapsed().as_secs_f64();
            let offered: f64 = reps.iter().map(|r| r.overall.stats.offered).sum();
            println!(
                "threads {threads} replications {replications} hours {hours}: {secs:.3} s, {:.2} M calls/s",
                offered / secs / 1e6
            );
        }
        _ => {
            let hours: u32 = arg(&args, 2, 24 * 23);
            let calls_per_hour: f64 = arg(&args, 3, 1800.0);
            let agents: u32 = arg(&args, 4, 100);
            let patience: Option<f64> = args.get(5).and_then(|a| a.parse().ok());
            let s = scenario(hours, calls_per_hour, agents, patience);
            let start = Instant::now();
            let counts = sim::run_untraced(&s, 1, 0);
            let secs = start.elapsed().as_secs_f64();
            let offered = counts.overall().offered_total();
            println!(
                "offered {offered} in {secs:.3} s ({:.2} M calls/s), fingerprint {:016x}",
                offered as f64 / secs / 1e6,
                fingerprint(&counts)
            );
        }
    }
}
