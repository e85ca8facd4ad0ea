//! Staffing planner speed: the analytic requirements (Erlang C and Erlang A) of one week of
//! 15-minute intervals (7 x 96) for 10 call types, and the simulation search on the shipped
//! retail-bank scenario. Goals: under 50 ms and under 15 s.
//!
//! Run: `cargo bench --bench staffing`.

use std::hint::black_box;
use std::path::Path;

use ccsim::dist::Dist;
use ccsim::model::{Scenario, StationaryQueue};
use ccsim::replicate::Options;
use ccsim::staffing::{self, Method};
use ccsim::time::{ClockTime, IntervalGrid};
use criterion::{Criterion, criterion_group, criterion_main};

/// A week of 15-minute intervals with 10 call types of 5 to 500 calls per interval on a
/// two-peak day curve; every other call type has patience (Erlang A).
fn week_with_ten_call_types() -> Scenario {
    let mut s = Scenario::stationary(&StationaryQueue {
        calls_per_hour: 100.0,
        handle_time: Dist::exponential(240.0),
        patience: Some(Dist::exponential(120.0)),
        agents: 10,
        target: 20.0,
        hours: 24,
    });
    s.grid = IntervalGrid::new(ClockTime::MIDNIGHT, 900.0, 96, 7).expect("a week of 15-minute intervals");
    let n = s.grid.len();
    let template = s.call_types[0].clone();
    s.call_types = (0..10)
        .map(|k| {
            let mut ct = template.clone();
            ct.name = format!("type{k}");
            let scale = 5.0 + 50.0 * f64::from(k);
            ct.volumes = (0..n)
                .map(|i| {
                    let hour = (i % 96) as f64 / 4.0;
                    let curve =
                        (-(hour - 10.5).powi(2) / 8.0).exp() + 0.7 * (-(hour - 15.0).powi(2) / 6.0).exp();
                    (scale * curve).round()
                })
                .collect();
            if k % 2 == 1 {
                ct.patience = None;
            }
            ct
        })
        .collect();
    s
}

fn staffing(c: &mut Criterion) {
    let week = week_with_ten_call_types();
    let mut group = c.benchmark_group("staffing");
    group.sample_size(10);
    group.bench_function("analytic_week_15min_10_call_types", |b| {
        b.iter(|| black_box(staffing::per_call_type(&week)))
    });
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/retail-bank.toml");
    let bank = ccsim::scenario::load(&path).expect("retail-bank.toml is valid").scenario;
    let options = Options::from_scenario(&bank);
    group.bench_function("simulation_search_retail_bank_all", |b| {
        b.iter(|| black_box(staffing::plan(&bank, Method::All, &options, &|| {}).expect("thread pool")))
    });
    group.finish();
}

criterion_group!(benches, staffing);
criterion_main!(benches);
