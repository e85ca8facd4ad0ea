//! Plan comparison with common random numbers: a plan against itself differs by exactly
//! zero, pairing narrows the confidence interval of a difference, and more agents never
//! serve the same callers worse.

use ccsim::compare::{PlanInput, compare};
use ccsim::dist::Dist;
use ccsim::model::{Scenario, ShiftPlan, StationaryQueue};
use ccsim::replicate::{self, Options};
use ccsim::stats::Estimate;

fn center(agents: u32) -> Scenario {
    with_patience(agents, Some(120.0))
}

fn with_patience(agents: u32, patience: Option<f64>) -> Scenario {
    Scenario::stationary(&StationaryQueue {
        calls_per_hour: 100.0,
        handle_time: Dist::exponential(240.0),
        patience: patience.map(Dist::exponential),
        agents,
        target: 20.0,
        hours: 8,
    })
}

fn plan(agents: u32, name: &str) -> PlanInput {
    PlanInput { name: name.into(), file: None, plan: ShiftPlan { name: name.into(), ..center(agents).plan } }
}

#[test]
fn a_plan_compared_with_itself_differs_by_exactly_zero() {
    let options = Options { replications: 8, seed: 4, threads: Some(2) };
    let result = compare(&center(8), &[plan(8, "a"), plan(8, "a again")], &options, 0.0, &|| {}).unwrap();
    let diff = &result.differences[0];
    for e in diff.overall.values().chain(diff.intervals.iter().flat_map(|i| i.stats.values())) {
        assert!(e.mean == 0.0 || e.mean.is_nan(), "{e:?}");
        assert!(e.half_width == 0.0 || e.half_width.is_nan(), "{e:?}");
    }
    assert_eq!(diff.paid_hours, 0.0);
    // Defined figures, not NaN passing for zero.
    for e in [diff.overall.offered, diff.overall.service_level, diff.overall.asa_s] {
        assert_eq!((e.mean, e.half_width), (0.0, 0.0), "{e:?}");
    }
}

#[test]
fn pairing_narrows_the_interval_of_a_difference() {
    let reps = 20;
    let options = Options { replications: reps, seed: 10, threads: None };
    let result = compare(&center(8), &[plan(8, "eight"), plan(9, "nine")], &options, 0.0, &|| {}).unwrap();
    let paired = result.differences[0].overall.service_level;
    // The same difference from independent seeds: the second plan on other callers.
    let a = replicate::run(&center(8), &options, &|| {}).unwrap();
    let b = replicate::run(&center(9), &Options { seed: 999, ..options }, &|| {}).unwrap();
    let independent: Vec<f64> =
        a.iter().zip(&b).map(|(x, y)| y.overall.service_level - x.overall.service_level).collect();
    let independent = Estimate::from_samples(&independent);
    assert!(paired.mean > 0.0, "{paired:?}");
    assert!(
        paired.half_width < independent.half_width,
        "paired {paired:?} is not narrower than independent {independent:?}"
    );
}

#[test]
fn more_agents_in_every_interval_never_lower_service_level_on_the_same_seeds() {
    // Monotone scenario: one skill, FIFO, no abandonment. Then a server more can only make
    // each caller's wait shorter (with abandonment it need not: a caller who no longer hangs
    // up may delay a later one).
    let options = Options { replications: 10, seed: 77, threads: None };
    let fewer = replicate::run(&with_patience(7, None), &options, &|| {}).unwrap();
    let more = replicate::run(&with_patience(8, None), &options, &|| {}).unwrap();
    for (r, (a, b)) in fewer.iter().zip(&more).enumerate() {
        assert!(
            b.overall.service_level >= a.overall.service_level,
            "replication {r}: {} < {}",
            b.overall.service_level,
            a.overall.service_level
        );
    }
}
