//! Engine throughput: calls per second of one replication of an M/M/c center (100 agents,
//! 90 Erlangs, AHT 180 s, about 1,000,000 calls), without and with abandonment, with 110
//! telephone lines and redials; chats per second of the same load as live chats (34 agents
//! holding up to 3 chats each, 102 slots, no slowdown: M/M/102); and the time
//! of 100 replications of the shipped retail-bank scenario on all cores.
//!
//! Run: `cargo bench --bench engine`. Criterion reports time per iteration and, through
//! `Throughput::Elements`, calls per second.

use std::hint::black_box;
use std::path::Path;

use ccsim::dist::Dist;
use ccsim::model::{Scenario, StationaryQueue};
use ccsim::replicate::{self, Options};
use ccsim::sim::{self, NoTrace};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

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
        let offered = sim::run(&scenario, 1, 0, &mut NoTrace).overall().offered_total();
        group.throughput(Throughput::Elements(offered));
        group.bench_function(name, |b| b.iter(|| black_box(sim::run(&scenario, 1, 0, &mut NoTrace))));
    }
    // The same center with 110 lines (1.1 x the agents) and redials of blocked callers: the
    // cost of holding, releasing and blocking on lines, beside the plain runs above.
    let mut lines = mmc(Some(120.0));
    lines.telephony.shared_lines = Some(110);
    lines.call_types[0].redial =
        Some(ccsim::model::Recall { probability: 0.5, delay: Dist::exponential(300.0) });
    let offered = sim::run(&lines, 1, 0, &mut NoTrace).overall().offered_total();
    group.throughput(Throughput::Elements(offered));
    group.bench_function("mmc_lines_redials_1m_calls", |b| {
        b.iter(|| black_box(sim::run(&lines, 1, 0, &mut NoTrace)))
    });
    // The same arrivals and work as live chats: every start and end of a chat reschedules the
    // agent's next chat end, the cost beside `mmc_1m_calls`.
    let mut chat = mmc(None);
    chat.call_types[0].channel = ccsim::model::Channel::Chat;
    chat.agent_groups[0].chat = Some(ccsim::model::ChatConcurrency::new(3, None).expect("3 chats"));
    chat.plan.staffing[0].agents.iter_mut().for_each(|a| *a = 34);
    let offered = sim::run(&chat, 1, 0, &mut NoTrace).overall().offered_total();
    group.throughput(Throughput::Elements(offered));
    group.bench_function("chat_mmck_1m_contacts", |b| {
        b.iter(|| black_box(sim::run(&chat, 1, 0, &mut NoTrace)))
    });
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

criterion_group!(benches, engine);
criterion_main!(benches);
