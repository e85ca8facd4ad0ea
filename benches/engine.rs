//! Engine throughput: calls per second of one replication of an M/M/c center (100 agents,
//! 90 Erlangs, AHT 180 s, about 1,000,000 calls), without and with abandonment, with 110
//! telephone lines and redials, with a callback offer on top; chats per second of the same
//! load as live chats (34 agents holding up to 3 chats each, 102 slots, no slowdown: M/M/102);
//! and the time
//! of 100 replications of the shipped retail-bank scenario on all cores.
//!
//! The `bound` group sets the engine beside the least work that gives the same answer: a
//! hand-written M/M/c recursion over the same draws (see [`mmc_bound`]), the engine alone on
//! the same case, and the whole `simulate` use case from the scenario file to the printed
//! table. Their ratios are what docs/engine-bound.md asks of the engine (at most 1.6x the
//! bound) and of the whole run (at most 2x); `scripts/speed-ratios.sh` prints them.
//!
//! The `scale` group runs one replication of a generated 2,000-agent, 40-call-type center over
//! 7 days of 15-minute intervals.
//!
//! Run: `cargo bench --bench engine`. Criterion reports time per iteration and, through
//! `Throughput::Elements`, calls per second.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use ccsim::dist::Dist;
use ccsim::model::{Scenario, StationaryQueue};
use ccsim::replicate::{self, Options};
use ccsim::sim;
use ccsim::usecase::{self, simulate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/bound.rs"]
mod bound_case;
use bound_case::{BOUND_SEED, bound_case, engine_counts, mmc_bound, mmc_bound_variant, mmc_events};

fn mmc(patience: Option<f64>) -> Scenario {
    // 1,800 calls an hour for 23 days: about 1,000,000 calls.
    Scenario::stationary(&StationaryQueue {
        calls_per_hour: 1800.0,
        handle_time: Dist::exponential(180.0),
        patience: patience.map(Dist::exponential),
        agents: 100,
        target: 20.0,
        hours: 24 * 23,
    })
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for (name, patience) in [("mmc_1m_calls", None), ("mmc_abandonment_1m_calls", Some(120.0))] {
        let scenario = mmc(patience);
        let offered = sim::run_untraced(&scenario, 1, 0).overall().offered_total();
        group.throughput(Throughput::Elements(offered));
        group.bench_function(name, |b| b.iter(|| black_box(sim::run_untraced(&scenario, 1, 0))));
    }
    // The same center with 110 lines (1.1 x the agents) and redials of blocked callers: the
    // cost of holding, releasing and blocking on lines, beside the plain runs above.
    let mut lines = mmc(Some(120.0));
    lines.telephony.shared_lines = Some(110);
    lines.call_types[0].redial =
        Some(ccsim::model::Recall { probability: 0.5, delay: Dist::exponential(300.0) });
    let offered = sim::run_untraced(&lines, 1, 0).overall().offered_total();
    group.throughput(Throughput::Elements(offered));
    group.bench_function("mmc_lines_redials_1m_calls", |b| {
        b.iter(|| black_box(sim::run_untraced(&lines, 1, 0)))
    });
    // The same with a callback offer over a 10 s expected wait (a queue of about 6): the cost
    // of the offer, the dialing and the retries.
    let mut callbacks = lines.clone();
    callbacks.callbacks.offers = vec![Some(ccsim::callback::CallbackOffer {
        offer_when_wait_over: 10.0,
        accept: 0.6,
        answer: 0.9,
        retries: 2,
        retry_after: 600.0,
        dial_time: 20.0,
    })];
    let offered = sim::run_untraced(&callbacks, 1, 0).overall().offered_total();
    group.throughput(Throughput::Elements(offered));
    group.bench_function("mmc_lines_callbacks_1m_calls", |b| {
        b.iter(|| black_box(sim::run_untraced(&callbacks, 1, 0)))
    });
    // The same arrivals and work as live chats: every start and end of a chat reschedules the
    // agent's next chat end, the cost beside `mmc_1m_calls`.
    let mut chat = mmc(None);
    chat.call_types[0].channel = ccsim::model::Channel::Chat;
    chat.agent_groups[0].chat = Some(ccsim::model::ChatConcurrency::new(3, None).expect("3 chats"));
    chat.plan.staffing[0].agents.iter_mut().for_each(|a| *a = 34);
    let offered = sim::run_untraced(&chat, 1, 0).overall().offered_total();
    group.throughput(Throughput::Elements(offered));
    group.bench_function("chat_mmck_1m_contacts", |b| b.iter(|| black_box(sim::run_untraced(&chat, 1, 0))));
    group.finish();

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/retail-bank.toml");
    if let Ok(loaded) = ccsim::scenario::load(&path) {
        let scenario = loaded.scenario;
        let mut group = c.benchmark_group("replications");
        group.sample_size(10);
        let options = Options { replications: 100, seed: 42, threads: None };
        group.bench_function("retail_bank_100_replications", |b| {
            b.iter(|| black_box(replicate::run(&scenario, &options, &|| {}).expect("thread pool")))
        });
        group.finish();
    }
}

/// The whole `ccsim simulate FILE -r 1 --threads 1` run in one process, less starting it: read
/// and validate the file, simulate, summarise, and render the table it prints.
fn whole_run(path: &Path) -> String {
    let scenario = ccsim::scenario::load(path).expect("the bound's scenario loads").scenario;
    let options = Options { replications: 1, seed: BOUND_SEED, threads: Some(1) };
    let request = simulate::Request { options, apply_shrinkage: false };
    let run = simulate::simulate(&scenario, &request, &usecase::Silent).expect("simulates");
    ccsim::report::simulation::table(&run.summary)
}

/// The bound beside the engine and the whole run, on the same case in one process.
fn bound(c: &mut Criterion) {
    let scenario = bound_case();
    let (bound, engine) = (mmc_bound(BOUND_SEED), engine_counts(&scenario));
    // The recursion must be the engine's computation, not merely a similar one: the same calls
    // and the same waits. The sums of waits are added in another order (by interval in the
    // engine), hence the relative tolerance on them alone.
    assert_eq!(
        (bound.offered, bound.answered, bound.answered_within_target),
        (engine.offered, engine.answered, engine.answered_within_target),
        "the recursion and the engine disagree"
    );
    assert!((bound.wait_answered_s - engine.wait_answered_s).abs() <= 1e-9 * engine.wait_answered_s);
    // The least event-driven simulation must be the same computation too.
    let events = mmc_events(BOUND_SEED);
    assert_eq!(
        (events.offered, events.answered, events.answered_within_target),
        (bound.offered, bound.answered, bound.answered_within_target),
        "the event-driven reference and the recursion disagree"
    );
    assert!((events.wait_answered_s - bound.wait_answered_s).abs() <= 1e-9 * bound.wait_answered_s);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("mmc-bound.toml");
    std::fs::write(&path, ccsim::scenario::to_toml(&scenario)).expect("writes the scenario");

    // CPU time, not wall-clock time: on a shared machine the ratios must not depend on how
    // long the benchmark waited for a core.
    let mut group = c.benchmark_group("bound");
    group.sample_size(20);
    group.throughput(Throughput::Elements(bound.offered));
    group
        .bench_function("recursion", |b| b.iter_custom(|n| cpu_time(n, || mmc_bound(black_box(BOUND_SEED)))));
    for variant in ["inversion", "one_stream"] {
        group.bench_function(format!("recursion_{variant}"), |b| {
            b.iter_custom(|n| cpu_time(n, || mmc_bound_variant(black_box(BOUND_SEED), variant)))
        });
    }
    group.bench_function("events", |b| b.iter_custom(|n| cpu_time(n, || mmc_events(black_box(BOUND_SEED)))));
    group.bench_function("engine", |b| {
        b.iter_custom(|n| cpu_time(n, || sim::run_untraced(&scenario, BOUND_SEED, 0)))
    });
    group.bench_function("whole", |b| b.iter_custom(|n| cpu_time(n, || whole_run(&path))));
    // The command itself, started as a process: its CPU time from start to exit.
    let ccsim = env!("CARGO_BIN_EXE_ccsim");
    group.bench_function("process", |b| {
        b.iter_custom(|n| {
            let before = children_cpu();
            for _ in 0..n {
                let status = std::process::Command::new(ccsim)
                    .args(["simulate", "-r", "1", "--threads", "1", "-q"])
                    .arg(&path)
                    .stdout(std::process::Stdio::null())
                    .status()
                    .expect("runs ccsim");
                assert!(status.success());
            }
            children_cpu().saturating_sub(before)
        })
    });
    group.finish();
}

/// The CPU time (user and system, all threads of the process) of `n` runs of `f`.
fn cpu_time<T>(n: u64, mut f: impl FnMut() -> T) -> Duration {
    let before = process_cpu();
    for _ in 0..n {
        black_box(f());
    }
    process_cpu().saturating_sub(before)
}

/// CPU time of this process so far (user and system, all threads).
fn process_cpu() -> Duration {
    cpu_of(rusage(libc::RUSAGE_SELF))
}

/// CPU time of the child processes waited for so far.
fn children_cpu() -> Duration {
    cpu_of(rusage(libc::RUSAGE_CHILDREN))
}

fn cpu_of(usage: libc::rusage) -> Duration {
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn rusage(who: libc::c_int) -> libc::rusage {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given for RUSAGE_SELF and RUSAGE_CHILDREN.
    unsafe {
        libc::getrusage(who, usage.as_mut_ptr());
        usage.assume_init()
    }
}

/// The scale case: 40 call types and 20 agent groups of up to 100 agents (2,000 at the peak),
/// open 07:00-22:00 in 15-minute intervals for 7 days, about 1.3 million calls a replication.
/// Group `g` answers call types `2g` and `2g + 1` first and takes `2g + 2` after 20 s of waiting
/// (overflow); each group's headcount follows its load at about 88% occupancy; handle times
/// are log-normal (mean 5 min, cv 0.8), patience exponential (mean 3 min).
fn scale_case_toml() -> String {
    const GROUPS: usize = 20;
    const PER_DAY: usize = 60;
    const HANDLE_S: f64 = 300.0;
    const PEAK_AGENTS: f64 = 100.0;
    const OCCUPANCY: f64 = 0.88;
    // A two-peak day, from 0.25 of the peak at opening and closing to 1 at 10:30 and 15:00.
    let profile: Vec<f64> = (0..PER_DAY)
        .map(|i| {
            let h = 7.0 + (i as f64 + 0.5) / 4.0;
            let peak = |at: f64, width: f64| (-((h - at) / width).powi(2)).exp();
            0.25 + 0.75 * peak(10.5, 2.0).max(0.9 * peak(15.0, 2.5))
        })
        .collect();
    // Calls a quarter-hour of one call type at the peak: half a group's load.
    let peak_calls = PEAK_AGENTS * OCCUPANCY / 2.0 * 900.0 / HANDLE_S;
    let list = |values: Vec<String>| values.join(", ");
    let mut toml = String::from(
        "name = \"scale: 2,000 agents, 40 call types, 7 days of 15 minutes\"\nstart = \"07:00\"\n\
         interval = \"15m\"\ndays = 7\n\n[service_level]\ntarget = \"20s\"\ngoal = 0.80\n\n\
         [simulation]\nreplications = 1\nseed = 11\n",
    );
    for ct in 0..2 * GROUPS {
        // Call types differ a little in size, so the overflow has work to do.
        let size = 0.8 + 0.4 * (ct % 5) as f64 / 4.0;
        let volumes = profile.iter().map(|p| format!("{:.1}", peak_calls * size * p)).collect();
        toml.push_str(&format!(
            "\n[[call_types]]\nname = \"type{ct:02}\"\nvolumes = [{}]\n\
             handle_time = {{ distribution = \"lognormal\", mean = \"5m\", cv = 0.8 }}\n\
             patience = {{ distribution = \"exponential\", mean = \"3m\" }}\n",
            list(volumes)
        ));
    }
    for g in 0..GROUPS {
        let (a, b, c) = (2 * g, 2 * g + 1, (2 * g + 2) % (2 * GROUPS));
        let agents =
            profile.iter().map(|p| format!("{}", (PEAK_AGENTS * p).ceil().min(PEAK_AGENTS))).collect();
        toml.push_str(&format!(
            "\n[[agent_groups]]\nname = \"group{g:02}\"\n\
             skills = [\"type{a:02}\", \"type{b:02}\", {{ call_type = \"type{c:02}\", after = \"20s\" }}]\n\
             staffing = [{}]\n",
            list(agents)
        ));
    }
    toml
}

/// One replication of the scale case on one core, and the peak memory of the process.
fn scale(c: &mut Criterion) {
    let text = scale_case_toml();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("scale-2000-agents.toml");
    std::fs::write(&path, &text).expect("writes the scenario");
    let scenario = ccsim::scenario::load(&path).expect("the scale scenario loads").scenario;
    let offered = sim::run_untraced(&scenario, 11, 0).overall().offered_total();
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.throughput(Throughput::Elements(offered));
    group.bench_function("one_replication", |b| {
        b.iter_custom(|n| cpu_time(n, || sim::run_untraced(&scenario, 11, 0)))
    });
    group.bench_function("whole_one_replication", |b| {
        b.iter_custom(|n| {
            cpu_time(n, || {
                let options = Options { replications: 1, seed: 11, threads: Some(1) };
                let request = simulate::Request { options, apply_shrinkage: false };
                simulate::simulate(&scenario, &request, &usecase::Silent).expect("simulates")
            })
        })
    });
    group.finish();
    eprintln!(
        "scale: {offered} calls a replication; peak resident memory of this process {} MB",
        peak_rss_kb() / 1024
    );
}

/// The peak resident set size of this process, in KB (Linux reports `ru_maxrss` in KB).
fn peak_rss_kb() -> i64 {
    rusage(libc::RUSAGE_SELF).ru_maxrss
}

criterion_group!(benches, bound, scale, engine);
criterion_main!(benches);
