//! The staffing planner: where the Erlang formulas hold exactly (a single queue, exponential
//! times, intervals long against the handle time) the simulation search must land on them;
//! where they do not (redials), it must differ in the expected direction; and its
//! requirement, written as a plan, must meet the goal when simulated again.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use ccsim::dist::Dist;
use ccsim::model::{Recall, Scenario, StationaryQueue};
use ccsim::replicate::Options;
use ccsim::staffing::{self, Method};

/// One queue over 12 one-hour intervals with a volume curve from 100 to 420 calls an hour,
/// exponential handle time (3 min), optional exponential patience.
fn day_queue(patience: Option<f64>) -> Scenario {
    let mut s = Scenario::stationary(&StationaryQueue {
        calls_per_hour: 200.0,
        handle_time: Dist::exponential(180.0),
        patience: patience.map(Dist::exponential),
        agents: 1,
        target: 20.0,
        hours: 12,
    });
    s.call_types[0].volumes =
        vec![100.0, 180.0, 260.0, 340.0, 420.0, 380.0, 300.0, 240.0, 300.0, 360.0, 220.0, 120.0];
    s
}

fn options() -> Options {
    Options { replications: 40, seed: 5, threads: None }
}

fn simulation_agents(r: &staffing::StaffingReport) -> Vec<u32> {
    let sim = r.simulation.as_ref().expect("simulation was asked for");
    (0..r.plan.agents.len()).map(|i| sim.groups.iter().map(|g| g.intervals[i].agents).sum()).collect()
}

#[test]
fn without_abandonment_the_simulation_finds_the_erlang_c_requirement() {
    let s = day_queue(None);
    let r = staffing::plan(&s, Method::Simulation, &options(), &|| {}).unwrap().report;
    let sim = simulation_agents(&r);
    let erlang_c: Vec<u32> = r.intervals.iter().map(|i| i.erlang_c.unwrap()).collect();
    // The goal can sit inside the confidence interval of a neighbouring count, where 40
    // replications cannot tell the two apart: allow one agent there, but most intervals must
    // match exactly.
    let exact = sim.iter().zip(&erlang_c).filter(|(a, b)| a == b).count();
    eprintln!("simulation {sim:?}\nErlang C   {erlang_c:?}: {exact} exact");
    for (i, (a, b)) in sim.iter().zip(&erlang_c).enumerate() {
        assert!(a.abs_diff(*b) <= 1, "interval {i}: simulation {a}, Erlang C {b}");
    }
    assert!(
        exact * 4 >= sim.len() * 3,
        "only {exact} of {} intervals match Erlang C exactly: {sim:?} vs {erlang_c:?}",
        sim.len()
    );
}

#[test]
fn with_abandonment_erlang_a_needs_fewer_and_the_simulation_agrees_with_it() {
    let s = day_queue(Some(90.0));
    let r = staffing::plan(&s, Method::Simulation, &options(), &|| {}).unwrap().report;
    let sim = simulation_agents(&r);
    for (i, row) in r.intervals.iter().enumerate() {
        let (c, a) = (row.erlang_c.unwrap(), row.erlang_a.unwrap());
        assert!(a <= c, "interval {i}: Erlang A {a} > Erlang C {c}");
        // Erlang A is exact for this queue in steady state; the only differences are the
        // ±1 agent the confidence interval cannot resolve (as above) and the first minutes of
        // each interval, when the queue still reflects the previous interval's staffing.
        assert!(sim[i].abs_diff(a) <= 1, "interval {i}: simulation {}, Erlang A {a}", sim[i]);
    }
    eprintln!(
        "simulation {sim:?}\nErlang A   {:?}",
        r.intervals.iter().map(|i| i.erlang_a.unwrap()).collect::<Vec<_>>()
    );
}

#[test]
fn redials_raise_the_simulation_requirement() {
    let without = day_queue(Some(60.0));
    let mut with = without.clone();
    with.call_types[0].redial = Some(Recall { probability: 0.7, delay: Dist::exponential(300.0) });
    let hours = |s: &Scenario| {
        let staffing = staffing::plan(s, Method::Simulation, &options(), &|| {}).unwrap();
        staffing::agent_hours(s, &staffing.requirement)
    };
    let (a, b) = (hours(&without), hours(&with));
    assert!(b > a, "with redials {b} agent-hours, without {a}");
}

#[test]
fn the_written_requirement_meets_the_goal_when_simulated_again() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("staff-out");
    let _ = std::fs::remove_dir_all(&dir);
    let scenario = "scenarios/single-queue.toml";
    let out = Command::cargo_bin("ccsim")
        .unwrap()
        .args(["staff", scenario, "--method", "simulation", "-q", "--format", "json", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["scenario", "service_level", "intervals", "simulation", "agent_hours", "waterfall"] {
        assert!(report.get(key).is_some(), "staff JSON lacks {key}");
    }
    let goal = report["service_level"]["goal"].as_f64().unwrap();
    // Same seed as the search: the file must reproduce exactly the staffing it found.
    let sim = Command::cargo_bin("ccsim")
        .unwrap()
        .args(["simulate", scenario, "-q", "--format", "json", "--plan"])
        .arg(dir.join("requirement.toml"))
        .output()
        .unwrap();
    assert!(sim.status.success(), "{}", String::from_utf8_lossy(&sim.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&sim.stdout).unwrap();
    let mut checked = 0;
    for interval in summary["intervals"].as_array().unwrap() {
        if interval["offered"]["mean"].as_f64().unwrap_or(0.0) == 0.0 {
            continue;
        }
        let sl = &interval["service_level"];
        let (mean, hw) = (sl["mean"].as_f64().unwrap(), sl["half_width"].as_f64().unwrap_or(0.0));
        assert!(
            mean + hw >= goal,
            "{} {}: service level {mean} ± {hw} below goal {goal}",
            interval["day"],
            interval["start"]
        );
        checked += 1;
    }
    assert!(checked > 0);
}
