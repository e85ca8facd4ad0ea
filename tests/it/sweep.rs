//! What-if sweeps: the neutral case is the scenario itself (its figures equal `simulate`'s on
//! the same seed), and on the same callers more agents never serve worse.

use serde_json::Value;

use crate::util::{ccsim, empty_dir};

fn json(args: &[&str]) -> Value {
    let out = ccsim().args(args).output().unwrap();
    assert!(out.status.success(), "ccsim {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_case_with_every_factor_neutral_equals_simulate_on_the_same_seed() {
    let file = "scenarios/retail-bank.toml";
    let sweep = json(&[
        "sweep",
        file,
        "-q",
        "-r",
        "4",
        "--seed",
        "9",
        "--format",
        "json",
        "--vary",
        "volume=0.9,1.0",
        "--vary",
        "handle_time=1.0,1.1",
        "--vary",
        "agents=-1..1",
    ]);
    let simulated = json(&["simulate", file, "-q", "-r", "4", "--seed", "9", "--format", "json"]);
    let cases = sweep["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 12);
    let neutral: Vec<&Value> =
        cases.iter().filter(|c| c["volume"] == 1.0 && c["handle_time"] == 1.0 && c["agents"] == 0).collect();
    assert_eq!(neutral.len(), 1);
    for key in ["overall", "call_types", "occupancy", "paid_hours"] {
        assert_eq!(neutral[0][key], simulated[key], "{key}");
    }
    let other =
        cases.iter().find(|c| c["volume"] == 0.9 && c["agents"] == 0 && c["handle_time"] == 1.0).unwrap();
    assert_ne!(other["overall"], simulated["overall"], "a factor changes the figures");
}

#[test]
fn service_level_never_falls_as_agents_are_added_to_the_same_callers() {
    let sweep = json(&[
        "sweep",
        "scenarios/single-queue.toml",
        "-q",
        "-r",
        "10",
        "--format",
        "json",
        "--vary",
        "agents=-2..3",
    ]);
    let levels: Vec<f64> = sweep["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["overall"]["service_level"]["mean"].as_f64().unwrap())
        .collect();
    assert_eq!(levels.len(), 6);
    assert!(levels.windows(2).all(|w| w[0] <= w[1]), "service level by headcount: {levels:?}");
    assert!(levels[5] > levels[0], "the factor has an effect: {levels:?}");
}

#[test]
fn sweep_writes_a_tidy_csv_and_the_json_and_refuses_bad_factors() {
    let dir = empty_dir("sweep", "out");
    let out = ccsim()
        .args(["sweep", "scenarios/retail-bank.toml", "-q", "-r", "2", "--vary", "volume=1,1.2", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = std::fs::read_to_string(dir.join("sweep.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("case,volume,handle_time,agents,call_type,paid_hours,offered,offered_half_width")
    );
    assert!(csv.lines().filter(|l| l.contains(",all,")).count() == 2, "one `all` row per case");
    assert!(dir.join("sweep.json").is_file());
    for bad in ["speed=1", "volume=-1", "agents=0.5"] {
        let out =
            ccsim().args(["sweep", "scenarios/retail-bank.toml", "-q", "--vary", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--vary"), "{bad}");
    }
}
