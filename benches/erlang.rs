//! Time to solve required agents (service level 80% within 20 s, AHT 180 s) at 10, 1,000,
//! 50,000, 100,000 and 10,000,000 Erlangs, with Erlang C and with Erlang A (mean patience
//! 120 s); and one Erlang A evaluation at 50,000 Erlangs. Goal: under 1 ms at 50,000
//! Erlangs, and a cost that grows far slower than the load (the searches are logarithmic in
//! the agents; one evaluation costs about √A).
//!
//! Run: `cargo bench --bench erlang -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use ccsim::erlang::{Goals, Model, ServiceGoal, required_agents};
use criterion::{Criterion, criterion_group, criterion_main};

fn solve(c: &mut Criterion) {
    let goals = Goals { service_level: Some(ServiceGoal { target: 20.0, goal: 0.8 }), ..Goals::default() };
    let mut group = c.benchmark_group("required_agents");
    group.sample_size(10);
    for load in [10.0, 1_000.0, 50_000.0, 100_000.0, 10_000_000.0] {
        let erlang_c = Model::erlang_c(load, 180.0);
        group.bench_function(format!("erlang_c/{load}"), |b| {
            b.iter(|| required_agents(black_box(&erlang_c), black_box(&goals)))
        });
        let erlang_a = Model::erlang_a(load / 180.0, 180.0, 120.0);
        group.bench_function(format!("erlang_a/{load}"), |b| {
            b.iter(|| required_agents(black_box(&erlang_a), black_box(&goals)))
        });
    }
    group.finish();
    let model = Model::erlang_a(50_000.0 / 180.0, 180.0, 120.0);
    c.bench_function("evaluate/erlang_a/50000", |b| {
        b.iter(|| black_box(&model).evaluate(black_box(50_000), 20.0))
    });
}

criterion_group!(benches, solve);
criterion_main!(benches);
