//! Telephone lines and busy signals: the engine against the exact M/M/c/L+M chain (no
//! redials), against ccsim's Erlang X (with redials, whose steady-state assumption is an
//! approximation), the balance with blocked calls, outages, and scenario-file errors.

use ccsim::dist::Dist;
use ccsim::erlang::ErlangX;
use ccsim::model::{Recall, Scenario, StationaryQueue};
use ccsim::replicate::{self, Options, Replication};
use ccsim::stats::Estimate;
use ccsim::telephony::Telephony;

use crate::util::{ccsim, empty_dir};

const AHT: f64 = 180.0;
const PATIENCE: f64 = 120.0;
const TARGET: f64 = 20.0;
const CONFIDENCE: f64 = 0.99;
/// The error the exact comparison must be able to detect, relative to the analytic value.
const DETECTABLE: f64 = 0.02;

fn center(calls_per_hour: f64, agents: u32, lines: u32, redial: Option<f64>, days: u32) -> Scenario {
    let mut s = Scenario::stationary(&StationaryQueue {
        calls_per_hour,
        handle_time: Dist::exponential(AHT),
        patience: Some(Dist::exponential(PATIENCE)),
        agents,
        target: TARGET,
        hours: 24 * days,
    });
    s.telephony = Telephony { shared_lines: Some(lines), ..Telephony::default() };
    s.call_types[0].redial =
        redial.map(|probability| Recall { probability, delay: Dist::exponential(300.0) });
    s
}

fn replications(scenario: &Scenario, seed: u64, replications: u32) -> Vec<Replication> {
    let options = Options { replications, seed, threads: None };
    replicate::run(scenario, &options, &|| {}).unwrap()
}

fn estimate(reps: &[Replication], f: impl Fn(&Replication) -> f64) -> Estimate {
    let samples: Vec<f64> = reps.iter().map(f).collect();
    Estimate::with_confidence(&samples, CONFIDENCE)
}

fn p_block(r: &Replication) -> f64 {
    r.lines.as_ref().expect("a scenario with lines reports them").overall().block_rate
}

/// Asserts that the 99% interval covers `exact` and is narrower than a 2% error.
fn agrees(name: &str, e: Estimate, exact: f64) {
    eprintln!("{name}: simulated {:.5} ± {:.5} (99%), exact {exact:.5}", e.mean, e.half_width);
    assert!(
        e.half_width < DETECTABLE * exact,
        "{name}: 99% half-width {:.5} is too wide to detect a 2% error of {exact:.5}",
        e.half_width
    );
    assert!(e.covers(exact), "{name}: simulated {:.5} ± {:.5} (99%), exact {exact:.5}", e.mean, e.half_width);
}

#[test]
fn finite_lines_with_patience_match_the_exact_chain() {
    // 10 Erlangs on 10 agents and 13 lines: about 8% of attempts hear a busy signal.
    let (calls_per_hour, agents, lines) = (200.0, 10, 13);
    let x = ErlangX {
        rate_per_s: calls_per_hour / 3600.0,
        aht: AHT,
        patience: Some(PATIENCE),
        lines,
        redial: 0.0,
        volume_cv: None,
    };
    let exact = x.performance(agents, TARGET);
    let reps = replications(&center(calls_per_hour, agents, lines, None, 12), 21, 40);
    for r in &reps {
        assert!(r.balanced, "offered = answered + abandoned + unanswered at close + blocked");
    }
    agrees("p_block", estimate(&reps, p_block), exact.p_block);
    agrees("abandon_rate", estimate(&reps, |r| r.overall.abandon_rate), exact.metrics.abandon_rate);
    agrees("service_level", estimate(&reps, |r| r.overall.service_level), exact.metrics.service_level);
}
