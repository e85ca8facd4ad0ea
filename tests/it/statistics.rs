//! The engine against queueing theory: a stationary M/M/c queue must reproduce Erlang C, and
//! M/M/c+M (exponential patience) Erlang A, within the simulation's own 99% confidence
//! interval, and that interval must be narrow enough to expose a 2% error. The analytic side
//! is `ccsim::erlang`, itself checked against independent 60-digit references
//! (tests/data/refs).
//!
//! Each replication simulates days from an empty system; the warm-up (a few minutes to
//! reach steady state at these loads) biases the means by well under 0.1%, far inside the
//! tolerance.

use ccsim::dist::Dist;
use ccsim::erlang::Model;
use ccsim::model::{Scenario, StationaryQueue};
use ccsim::replicate::{self, Options, Replication};
use ccsim::stats::{Estimate, WaitHistogram};

const CALLS_PER_HOUR: f64 = 200.0;
const AHT: f64 = 180.0;
const TARGET: f64 = 20.0;
const REPLICATIONS: u32 = 100;
const CONFIDENCE: f64 = 0.99;
/// The error the test must be able to detect, relative to the analytic value.
const DETECTABLE: f64 = 0.02;

fn queue(calls_per_hour: f64, agents: u32, patience: Option<f64>, days: u32) -> Scenario {
    Scenario::stationary(&StationaryQueue {
        calls_per_hour,
        handle_time: Dist::exponential(AHT),
        patience: patience.map(Dist::exponential),
        agents,
        target: TARGET,
        hours: 24 * days,
    })
}

fn replications(scenario: &Scenario, seed: u64) -> Vec<Replication> {
    let options = Options { replications: REPLICATIONS, seed, threads: None };
    replicate::run(scenario, &options, &|| {}).unwrap()
}

/// Asserts that the 99% interval of `samples` covers `exact` and is narrower than a 2% error.
fn agrees(name: &str, samples: &[f64], exact: f64) {
    let e = Estimate::with_confidence(samples, CONFIDENCE);
    eprintln!("{name}: simulated {:.5} ± {:.5} (99%), analytic {exact:.5}", e.mean, e.half_width);
    assert!(
        e.half_width < DETECTABLE * exact,
        "{name}: 99% half-width {:.5} is too wide to detect a 2% error of {exact:.5}",
        e.half_width
    );
    assert!(
        e.covers(exact),
        "{name}: simulated {:.5} ± {:.5} (99%) does not cover the analytic {exact:.5}",
        e.mean,
        e.half_width
    );
}

fn overall(reps: &[Replication], f: impl Fn(&Replication) -> f64) -> Vec<f64> {
    reps.iter().map(f).collect()
}

#[test]
fn mmc_matches_erlang_c() {
    // The published example (10 Erlangs, 14 agents). ASA is the noisiest estimate: it needs
    // about 30 days of calls per replication for a 2%-sharp interval.
    let (calls_per_hour, agents) = (CALLS_PER_HOUR, 14);
    let load = calls_per_hour * AHT / 3600.0;
    let exact = Model::erlang_c(load, AHT).evaluate(agents, TARGET);
    let reps = replications(&queue(calls_per_hour, agents, None, 30), 11);
    agrees("p_wait", &overall(&reps, |r| r.overall.stats.p_wait), exact.metrics.p_wait);
    agrees("service_level", &overall(&reps, |r| r.overall.stats.service_level), exact.metrics.service_level);
    agrees("asa_s", &overall(&reps, |r| r.overall.stats.asa_s), exact.metrics.asa_s);
    agrees("occupancy", &overall(&reps, |r| r.occupancy), exact.occupancy);
}

#[test]
fn mmc_with_patience_matches_erlang_a() {
    let (agents, patience) = (10, 120.0);
    let exact = Model::erlang_a(CALLS_PER_HOUR / 3600.0, AHT, patience).evaluate(agents, TARGET);
    let reps = replications(&queue(CALLS_PER_HOUR, agents, Some(patience), 12), 12);
    agrees("abandon_rate", &overall(&reps, |r| r.overall.stats.abandon_rate), exact.metrics.abandon_rate);
    agrees("service_level", &overall(&reps, |r| r.overall.stats.service_level), exact.metrics.service_level);
    agrees("p_wait", &overall(&reps, |r| r.overall.stats.p_wait), exact.metrics.p_wait);
    agrees("asa_s", &overall(&reps, |r| r.overall.stats.asa_s), exact.metrics.asa_s);
}

/// P(wait >= t) of answered calls from a replication's histogram, at `t` an edge of a
/// histogram bucket (an octave start 0.01 s x 2^k), so no bucket straddles it.
fn tail(h: &WaitHistogram, t: f64) -> f64 {
    let above: u64 = h.nonempty_buckets().iter().filter(|b| b.0 >= t).map(|b| b.2).sum();
    above as f64 / h.count() as f64
}

#[test]
fn mmc_wait_tail_matches_erlang_c() {
    let agents = 12;
    let load = CALLS_PER_HOUR * AHT / 3600.0;
    let p_wait = Model::erlang_c(load, AHT).evaluate(agents, TARGET).metrics.p_wait;
    // Erlang C: P(W > t) = P(wait) exp(-(c mu - lambda) t).
    let decay = f64::from(agents) / AHT - CALLS_PER_HOUR / 3600.0;
    let reps = replications(&queue(CALLS_PER_HOUR, agents, None, 12), 13);
    for k in [9, 11, 12] {
        let t = WaitHistogram::MIN_WAIT * 2f64.powi(k);
        let exact = p_wait * (-decay * t).exp();
        let samples: Vec<f64> = reps.iter().map(|r| tail(&r.waits[0], t)).collect();
        let e = Estimate::with_confidence(&samples, CONFIDENCE);
        assert!(
            e.covers(exact),
            "P(W >= {t}s): simulated {:.5} ± {:.5}, Erlang C {exact:.5}",
            e.mean,
            e.half_width
        );
        // Not a tolerance but a sharpness check: an interval this wide would still expose a
        // 5% error in the tail (the deepest t has the fewest calls beyond it).
        assert!(e.half_width < 0.05 * exact, "P(W >= {t}s): half-width {:.5} too wide", e.half_width);
    }
}

/// Per interval, a small queue (40 calls an hour on 3 agents, Erlang A): each interval's
/// service level, abandonment and ASA over the replications is a ratio of totals, whose 95%
/// interval must cover the exact Erlang A value in about 95% of the intervals. The mean of
/// each replication's own rate does not estimate that value: a busier hour of the same
/// staffing has the worse service level, so weighting each replication alike reads better
/// than the share of calls served, by more than the interval's width at this volume.
#[test]
fn small_intervals_cover_erlang_a_at_the_stated_rate() {
    let (calls_per_hour, agents, patience) = (40.0, 3, 300.0);
    let exact = Model::erlang_a(calls_per_hour / 3600.0, AHT, patience).evaluate(agents, TARGET).metrics;
    let scenario = queue(calls_per_hour, agents, Some(patience), 1);
    let options = Options { replications: 1000, seed: 21, threads: None };
    let reps = replicate::run(&scenario, &options, &|| {}).unwrap();
    let summary = replicate::summarize(&scenario, options.seed, &reps);
    // The first hour starts empty; the others are in steady state to well under their width.
    let hours = &summary.intervals[1..];
    let covered =
        |exact: f64, e: &dyn Fn(usize) -> Estimate| (0..hours.len()).filter(|&i| e(i).covers(exact)).count();
    let sl = covered(exact.service_level, &|i| hours[i].stats.service_level);
    let abandon = covered(exact.abandon_rate, &|i| hours[i].stats.abandon_rate);
    let asa = covered(exact.asa_s, &|i| hours[i].stats.asa_s);
    eprintln!("of {} hours covered: service level {sl}, abandoned {abandon}, ASA {asa}", hours.len());
    // Binomial(23, 0.95): fewer than 19 has a probability under 0.2%.
    for (name, n) in [("service_level", sl), ("abandon_rate", abandon), ("asa_s", asa)] {
        assert!(n >= 19, "{name}: the 95% interval covers Erlang A in only {n} of {} hours", hours.len());
    }
    // The test can tell the two estimators apart: the replications' own service levels,
    // averaged, miss the exact value in most hours.
    let own_mean_covers = (1..summary.intervals.len())
        .filter(|&idx| {
            let own: Vec<f64> = reps.iter().map(|r| r.intervals[idx].stats.service_level).collect();
            Estimate::from_samples(&own).covers(exact.service_level)
        })
        .count();
    eprintln!("the mean of own rates covers in {own_mean_covers} hours");
    assert!(own_mean_covers < 12, "the mean of own rates covers in {own_mean_covers} hours");
}
