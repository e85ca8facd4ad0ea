//! Time to solve required agents (service level 80% within 20 s, AHT 180 s) at 10, 1,000,
//! 50,000, 100,000 and 1,000,000 Erlangs (the largest load solved), with Erlang C and with
//! Erlang A (mean patience 120 s); one Erlang A evaluation at 50,000 Erlangs; Erlang B
//! required lines (1% blocking); and Erlang X at 1,000 Erlangs with 1,200 lines (1.2 × the
//! agents), alone, with 30% redials and with a 10% volume CV. Goals: under 1 ms at 50,000
//! Erlangs (Erlang C and A), under 5 ms for Erlang X at 1,000 Erlangs. The searches make a
//! number of evaluations logarithmic in the load; an Erlang A evaluation of an overloaded
//! queue sums over the queue length, which grows with the load.
//!
//! Run: `cargo bench --bench erlang -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use ccsim::erlang::{ErlangX, Goals, Model, ServiceGoal, required_agents};
use criterion::{Criterion, criterion_group, criterion_main};

fn solve(c: &mut Criterion) {
    let goals = Goals { service_level: Some(ServiceGoal { target: 20.0, goal: 0.8 }), ..Goals::default() };
    let mut group = c.benchmark_group("required_agents");
    group.sample_size(10);
    for load in [10.0, 1_000.0, 50_000.0, 100_000.0, 1_000_000.0] {
        let erlang_c = Model::erlang_c(load, 180.0);
        group.bench_function(format!("erlang_c/{load}"), |b| {
            b.iter(|| required_agents(black_box(&erlang_c), black_box(&goals)))
        });
        let erlang_a = Model::erlang_a(load / 180.0, 180.0, 120.0);
        group.bench_function(format!("erlang_a/{load}"), |b| {
            b.iter(|| required_agents(black_box(&erlang_a), black_box(&goals)))
        });
    }
    for load in [10.0, 1_000.0, 50_000.0] {
        let erlang_b = Model::erlang_b(load, None);
        let block = Goals { max_block: Some(0.01), ..Goals::default() };
        group.bench_function(format!("erlang_b/{load}"), |b| {
            b.iter(|| required_agents(black_box(&erlang_b), black_box(&block)))
        });
    }
    let x = ErlangX {
        rate_per_s: 1_000.0 / 180.0,
        aht: 180.0,
        patience: Some(120.0),
        lines: 1_200,
        redial: 0.0,
        volume_cv: None,
    };
    for (name, x) in [
        ("erlang_x/1000", x),
        ("erlang_x/1000/redial_0.3", ErlangX { redial: 0.3, ..x }),
        ("erlang_x/1000/volume_cv_0.1", ErlangX { volume_cv: Some(0.1), ..x }),
    ] {
        let model = Model::ErlangX(x);
        group.bench_function(name, |b| b.iter(|| required_agents(black_box(&model), black_box(&goals))));
    }
    group.finish();
    let model = Model::erlang_a(50_000.0 / 180.0, 180.0, 120.0);
    c.bench_function("evaluate/erlang_a/50000", |b| {
        b.iter(|| black_box(&model).evaluate(black_box(50_000), 20.0))
    });
}

criterion_group!(benches, solve);
criterion_main!(benches);
