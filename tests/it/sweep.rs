//! What-if sweeps: the neutral case is the scenario itself (its figures equal `simulate`'s on
//! the same seed), and on the same callers more agents never serve worse; every plan is
//! simulated in every case on the same seeds; the heat map is written; shards by case merge
//! into the same bytes as one process, and a missing, doubled or foreign shard is refused. The
//! risk curve shards by headcount the same way.

use std::path::Path;

use serde_json::Value;

use crate::util::{ccsim, empty_dir, stdout_lossy};

/// `ccsim ARGS` succeeding, with the `--shard auto` variables of the machine removed; stdout.
fn ok(args: &[&str]) -> Vec<u8> {
    let mut cmd = ccsim();
    for var in ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "JOB_COMPLETION_INDEX", "CCSIM_SHARD_COUNT"]
    {
        cmd.env_remove(var);
    }
    let out = cmd.args(args).output().unwrap();
    assert!(out.status.success(), "ccsim {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// `ccsim merge ARGS` failing with exit 2; its stderr.
fn refused(args: &[&str]) -> String {
    let out = ccsim().arg("merge").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "merge {args:?} should be refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const LATE: &str = "scenarios/plans/retail-bank-late.toml";

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
fn the_table_shows_each_case_as_the_json_has_it_and_only_the_factors_varied() {
    let args = ["sweep", "scenarios/single-queue.toml", "-q", "-r", "4", "--vary", "agents=-100,0"];
    let table = String::from_utf8(ok(&args)).unwrap();
    let sweep = json(&[&args[..], &["--format", "json"]].concat());
    let header = table.lines().nth(1).unwrap();
    assert!(
        header.contains("Agents + per block") && !header.contains("Volume") && !header.contains("Handle"),
        "{table}"
    );
    for (i, case) in sweep["cases"].as_array().unwrap().iter().enumerate() {
        let row = table.lines().nth(3 + i).unwrap();
        let cells: Vec<&str> = row.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
        assert_eq!(cells[0], (i + 1).to_string(), "{row}");
        let agents = case["agents"].as_i64().unwrap();
        let signed = if agents > 0 { format!("+{agents}") } else { agents.to_string() };
        assert_eq!(cells[1], signed, "{row}");
        let sl = case["overall"]["service_level"]["mean"].as_f64().unwrap();
        assert!(cells[3].starts_with(&format!("{:.1}%", sl * 100.0)), "{row}");
        // No agent: nobody answered, so there is no ASA; the table says `-`, never NaN.
        let asa = case["overall"]["asa_s"]["mean"].as_f64();
        match asa {
            Some(asa) => assert!(cells[4].starts_with(&format!("{asa:.1}")), "{row}"),
            None => assert_eq!(cells[4], "-", "{row}"),
        }
    }
    assert!(!table.contains("NaN"), "{table}");
    assert!(
        table.contains("Agents + per block: added to every shift block") && !table.contains("Volume x:"),
        "{table}"
    );
}

#[test]
fn a_factor_column_shows_every_value_with_the_same_decimals() {
    let args = ["sweep", "scenarios/single-queue.toml", "-q", "-r", "2", "--vary", "volume=0.9,1,1.25"];
    let table = String::from_utf8(ok(&args)).unwrap();
    let shown: Vec<&str> =
        table.lines().skip(3).take(3).map(|row| row.split_whitespace().nth(1).unwrap()).collect();
    assert_eq!(shown, ["0.90", "1.00", "1.25"], "{table}");
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
        header.starts_with(
            "case,volume,handle_time,agents,plan,call_type,paid_hours,offered,offered_half_width"
        )
    );
    assert!(csv.lines().filter(|l| l.contains(",all,")).count() == 2, "one `all` row per case");
    // The case's occupancy, last, on its `all` row only: the JSON's, rounded to 6 decimals.
    assert!(header.ends_with(",occupancy,occupancy_half_width"), "{header}");
    let sweep: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sweep.json")).unwrap()).unwrap();
    let mut all_rows = 0;
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (occupancy, half_width) = (cells[cells.len() - 2], cells[cells.len() - 1]);
        if cells[5] == "all" {
            let case = &sweep["cases"][cells[0].parse::<usize>().unwrap() - 1]["occupancy"];
            let shown: f64 = occupancy.parse().unwrap();
            assert!((shown - case["mean"].as_f64().unwrap()).abs() < 5e-7, "{line}");
            assert!((half_width.parse::<f64>().unwrap() - case["half_width"].as_f64().unwrap()).abs() < 5e-7);
            all_rows += 1;
        } else {
            assert_eq!((occupancy, half_width), ("", ""), "{line}");
        }
    }
    assert_eq!(all_rows, 2);
    for bad in ["speed=1", "volume=-1", "agents=0.5"] {
        let out =
            ccsim().args(["sweep", "scenarios/retail-bank.toml", "-q", "--vary", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--vary"), "{bad}");
    }
}

/// A range whose step passes over its end is refused (exit 2) naming the `--vary` value and
/// the steps that land on the end, rather than run without the case written as its end; a
/// decimal step that lands on it up to rounding runs every case, the end included.
#[test]
fn a_vary_range_whose_steps_pass_over_its_end_is_refused_naming_the_steps_that_land_on_it() {
    for (bad, stops, steps) in [
        ("volume=1..3:0.7", "stop at 2.4", "e.g. 1 or 0.666666666667"),
        ("volume=0.8..1.2:0.15", "stop at 1.1", "e.g. 0.2 or 0.133333333333"),
    ] {
        let out =
            ccsim().args(["sweep", "scenarios/single-queue.toml", "-q", "--vary", bad]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--vary") && stderr.contains(bad), "{stderr}");
        assert!(stderr.contains(stops) && stderr.contains(steps), "{stderr}");
        assert!(out.stdout.is_empty(), "{bad}: the sweep ran");
    }
    let sweep = json(&[
        "sweep",
        "scenarios/single-queue.toml",
        "-q",
        "-r",
        "1",
        "--vary",
        "volume=0.8..1.2:0.1",
        "--format",
        "json",
    ]);
    let volumes: Vec<f64> =
        sweep["cases"].as_array().unwrap().iter().map(|c| c["volume"].as_f64().unwrap()).collect();
    assert_eq!(volumes, [0.8, 0.9, 1.0, 1.1, 1.2]);
}

/// A factor's value that takes the scenario past a cap a scenario file is held to is refused
/// before any case runs (exit 2, nothing written), naming the value and the cap; the largest
/// value of a list is the one checked. These once ran out of memory (a billion agents added,
/// a volume factor of 1e308) or simulated a case past the cap of contacts (last, as it is the
/// slow one to fail). Run under a 1 GB address-space limit, so a regression fails instead of
/// exhausting the machine.
#[test]
fn a_factor_beyond_a_scenario_cap_is_refused_before_any_case_runs() {
    let dir = empty_dir("sweep", "caps");
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    for (vary, says) in [
        ("volume=1e308", "--vary volume=1e308: the volumes would offer inf contacts"),
        (
            "handle_time=0.5,100000",
            "--vary handle_time=100000: group \"generalists\" would have a handle-time factor of 100000, more than the cap of 100",
        ),
        (
            "agents=-4,100000",
            "--vary agents=100000: 100007 agents in a shift block or an interval, more than the cap of 100000",
        ),
        // Past what any case could add, and past what a whole number holds: never wrapped around.
        ("agents=-4,1000000000", "agents: 1e9 is beyond the ±100000 agents a case may add or take away"),
        ("agents=9223372036854775807", "agents: 9.223372036854776e18 is beyond the ±100000 agents"),
        (
            "volume=1,20000",
            "--vary volume=20000: the volumes would offer 54220000 contacts a replication, more than the cap of 50000000",
        ),
    ] {
        let out_dir = dir.join("out");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 1000000 && exec \"$0\" sweep scenarios/retail-bank.toml -q -r 1 --vary \"$1\" --out \"$2\"")
            .arg(&bin)
            .arg(vary)
            .arg(&out_dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{vary}: {stderr}");
        assert!(stderr.contains(says), "{vary}: {stderr}");
        assert!(!out_dir.exists(), "{vary}: nothing is written");
    }
}

/// A small sweep of two factors and two plans: 8 cases.
const SWEEP: [&str; 13] = [
    "sweep",
    "scenarios/retail-bank.toml",
    "-q",
    "-r",
    "2",
    "--vary",
    "volume=0.9,1.1",
    "--vary",
    "agents=0,1",
    "--plan",
    "scenario",
    "--plan",
    LATE,
];

#[test]
fn every_plan_is_simulated_in_every_case_on_the_seeds_of_simulate() {
    let mut args = SWEEP.to_vec();
    args.extend(["--format", "json"]);
    let sweep: Value = serde_json::from_slice(&ok(&args)).unwrap();
    let cases = sweep["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 8, "2 volumes x 2 headcounts x 2 plans");
    assert_eq!(sweep["plans"], serde_json::json!(["scenario", "retail-bank-late"]));
    let plans: Vec<&str> = cases.iter().map(|c| c["plan"].as_str().unwrap()).collect();
    assert_eq!(plans[..4], ["scenario", "retail-bank-late", "scenario", "retail-bank-late"], "plan fastest");
    assert_ne!(cases[0]["overall"], cases[1]["overall"], "the plans differ");
    // The neutral case of each plan is that plan simulated on the same seed.
    let mut args = SWEEP.to_vec();
    args[6] = "volume=1";
    args.extend(["--seed", "5", "--format", "csv"]);
    let csv = String::from_utf8(ok(&args)).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for (plan, plan_file) in [("scenario", None), ("retail-bank-late", Some(LATE))] {
        let mut sim = vec![
            "simulate",
            "scenarios/retail-bank.toml",
            "-q",
            "-r",
            "2",
            "--seed",
            "5",
            "--format",
            "json",
        ];
        sim.extend(plan_file.iter().flat_map(|p| ["--plan", p]));
        let simulated: Value = serde_json::from_slice(&ok(&sim)).unwrap();
        let row: Vec<&str> = csv
            .lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|r| {
                r[column("plan")] == plan && r[column("agents")] == "0" && r[column("call_type")] == "all"
            })
            .unwrap_or_else(|| panic!("no neutral row of {plan}"));
        // The CSV rounds per quantity (calls 4 decimals, shares 6, seconds 3); the JSON does not.
        for (key, decimals) in
            [("offered", 4), ("service_level", 6), ("asa_s", 3), ("abandon_rate", 6), ("wait_p90_s", 3)]
        {
            let expected = simulated["overall"][key]["mean"].as_f64().unwrap();
            let rounded: f64 = format!("{expected:.decimals$}").parse().unwrap();
            assert_eq!(row[column(key)].parse::<f64>().unwrap(), rounded, "{plan} {key}: JSON {expected}");
        }
    }
}

#[test]
fn sweep_writes_its_heat_map_over_the_first_two_factors_in_png_and_svg() {
    let dir = empty_dir("sweep", "charts");
    let (png, svg) = (dir.join("png"), dir.join("svg"));
    let mut args = SWEEP.to_vec();
    args.extend(["--charts", png.to_str().unwrap()]);
    ok(&args);
    crate::charts::assert_pngs_ok(&png, &["sweep.png".to_string()]);
    let mut args = SWEEP.to_vec();
    args.extend(["--chart-format", "svg", "--charts", svg.to_str().unwrap()]);
    ok(&args);
    let svg = String::from_utf8(read(&dir.join("svg/sweep.svg"))).unwrap();
    for text in [
        "service level by volume and agents",
        "volume (× forecast volumes)",
        "agents (added to every shift block and interval)",
        "service level (%) = answered within 20 s / offered (abandoned included)",
        "goal 80%",
        "blank: no calls offered",
        "at plan scenario",
        ">\n+1\n<",
        ">\n1.1\n<",
    ] {
        assert!(svg.contains(text), "sweep.svg lacks {text:?}");
    }
    assert!(svg.trim_end().ends_with("</svg>"), "a whole SVG document");
    // A rate over replications is the ratio of their totals, not a mean of their rates.
    let words = crate::util::svg_texts(&svg).join(" ");
    assert!(words.contains("over 2 replications") && !words.contains("mean of"), "{words}");
}

/// The heat map of a sweep net of shrinkage says so in its legend: its cells are the service
/// levels of the agents left on the phones, lower than the plans' own.
#[test]
fn the_sweep_chart_says_when_shrinkage_is_taken_out() {
    let note = |name: &str, extra: &[&str]| {
        let dir = empty_dir("sweep", name);
        let mut args = SWEEP.to_vec();
        args.extend(extra);
        args.extend(["--chart-format", "svg", "--charts", dir.to_str().unwrap()]);
        ok(&args);
        let svg = String::from_utf8(read(&dir.join("sweep.svg"))).unwrap();
        crate::util::svg_texts(&svg).join(" ")
    };
    let net = note("chart-net", &["--apply-shrinkage"]);
    assert!(net.contains("up to 30.0% of paid hours off the phones (shrinkage)"), "{net}");
    assert!(!note("chart-gross", &[]).contains("shrinkage"));
}

/// The sweep table of a run net of shrinkage says so under it, as the simulate and compare
/// tables do; without the flag it says nothing of shrinkage.
#[test]
fn the_sweep_table_says_when_shrinkage_is_taken_out() {
    let table = |extra: &[&str]| {
        let mut args = SWEEP.to_vec();
        args.extend(extra);
        String::from_utf8(ok(&args)).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let net = table(&["--apply-shrinkage"]);
    assert!(net.contains("Shrinkage: up to 30.0% of each group's paid hours off the phones"), "{net}");
    assert!(!table(&[]).contains("Shrinkage"));
}

/// Runs every shard of `n` of `command` into `dir`.
fn shards(command: &[&str], n: u32, dir: &Path) {
    for k in 1..=n {
        let shard = format!("{k}/{n}");
        let mut args = command.to_vec();
        args.extend(["--shard", &shard, "--out", dir.to_str().unwrap()]);
        assert!(ok(&args).is_empty(), "a shard prints nothing on stdout");
    }
}

#[test]
fn sweep_shards_merge_into_the_bytes_of_a_one_process_sweep() {
    let dir = empty_dir("sweep", "shards");
    let one = dir.join("one");
    let mut args = SWEEP.to_vec();
    args.extend(["--format", "json", "--chart-format", "svg", "--out", one.to_str().unwrap(), "--charts"]);
    args.push(one.to_str().unwrap());
    let stdout = ok(&args);
    for n in [1, 2, 3] {
        let parts = dir.join(format!("parts-{n}"));
        shards(&SWEEP, n, &parts);
        let merged = dir.join(format!("merged-{n}"));
        let m = merged.to_str().unwrap();
        let printed = ok(&[
            "merge",
            parts.to_str().unwrap(),
            "--format",
            "json",
            "--out",
            m,
            "--charts",
            m,
            "--chart-format",
            "svg",
        ]);
        assert!(printed == stdout, "{n} shards: merged stdout differs");
        for file in ["sweep.json", "sweep.csv", "sweep.svg"] {
            assert!(read(&one.join(file)) == read(&merged.join(file)), "{n} shards: {file} differs");
        }
    }
    // Refused: a missing shard, a doubled one, one of another sweep; nothing is written.
    let out = dir.join("refused");
    let o = out.to_str().unwrap();
    let part = |k: u32| dir.join(format!("parts-3/shard-{k}-of-3"));
    let missing = refused(&[part(1).to_str().unwrap(), part(3).to_str().unwrap(), "--out", o]);
    assert!(missing.contains("missing shard 2/3"), "{missing}");
    let copy = dir.join("copy/shard-1-of-3");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(part(1).join("partial.ccsim"), copy.join("partial.ccsim")).unwrap();
    let doubled = refused(&[dir.join("parts-3").to_str().unwrap(), copy.to_str().unwrap(), "--out", o]);
    assert!(doubled.contains("shard 1/3 is given twice"), "{doubled}");
    let foreign = dir.join("foreign");
    let mut args = SWEEP.to_vec();
    args.extend(["--seed", "3"]);
    shards(&args, 3, &foreign);
    let f = foreign.join("shard-2-of-3");
    let mixed =
        refused(&[part(1).to_str().unwrap(), f.to_str().unwrap(), part(3).to_str().unwrap(), "--out", o]);
    assert!(
        mixed.contains("not a part of the same run")
            && mixed.contains("foreign/shard-2-of-3/partial.ccsim")
            && (mixed.contains("seed 3 vs 42") || mixed.contains("seed 42 vs 3")),
        "{mixed}"
    );
    let other_cases = dir.join("other-cases");
    let mut args = SWEEP.to_vec();
    args[8] = "agents=0,2";
    shards(&args, 3, &other_cases);
    let mixed = refused(&[
        part(1).to_str().unwrap(),
        other_cases.join("shard-2-of-3").to_str().unwrap(),
        part(3).to_str().unwrap(),
    ]);
    assert!(mixed.contains("the cases differ"), "{mixed}");
    assert!(!out.exists(), "nothing is written when a merge is refused");
}

const RISK: [&str; 9] =
    ["risk", "scenarios/retail-bank.toml", "-q", "-r", "3", "--agents-range", "10..16", "--step", "2"];

#[test]
fn risk_shards_by_headcount_merge_into_the_json_of_a_one_process_curve() {
    let dir = empty_dir("sweep", "risk-shards");
    let mut args = RISK.to_vec();
    args.extend(["--format", "json"]);
    let one = ok(&args);
    assert_eq!(serde_json::from_slice::<Value>(&one).unwrap()["points"].as_array().unwrap().len(), 4);
    for n in [1, 2, 3] {
        let parts = dir.join(format!("parts-{n}"));
        shards(&RISK, n, &parts);
        let merged = ok(&["merge", parts.to_str().unwrap(), "--format", "json"]);
        assert!(merged == one, "{n} shards: the merged curve differs");
    }
    let part = |k: u32| dir.join(format!("parts-3/shard-{k}-of-3"));
    let missing = refused(&[part(2).to_str().unwrap(), part(3).to_str().unwrap()]);
    assert!(missing.contains("missing shard 1/3"), "{missing}");
    let copy = dir.join("copy/shard-2-of-3");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(part(2).join("partial.ccsim"), copy.join("partial.ccsim")).unwrap();
    let doubled = refused(&[dir.join("parts-3").to_str().unwrap(), copy.to_str().unwrap()]);
    assert!(doubled.contains("shard 2/3 is given twice"), "{doubled}");
    let other = dir.join("other-range");
    let mut args = RISK.to_vec();
    args[6] = "10..18";
    shards(&args, 3, &other);
    let mixed = refused(&[
        part(1).to_str().unwrap(),
        other.join("shard-2-of-3").to_str().unwrap(),
        part(3).to_str().unwrap(),
    ]);
    assert!(
        mixed.contains("not a part of the same run")
            && mixed.contains("other-range/shard-2-of-3/partial.ccsim")
            && mixed.contains("the cases differ"),
        "{mixed}"
    );
}

/// `sweep.csv` rounds each column as the other CSVs do (`intervals.csv`: calls to 4 decimals,
/// shares to 6, seconds to 3, no trailing zeros) and each number is the JSON's, so no
/// `2424.899999999999` is written; the table writes paid hours with one decimal (319.5, as
/// `simulate` and `compare` do), not rounded to whole hours.
#[test]
fn sweep_csv_rounds_per_quantity_and_the_table_keeps_the_half_hour() {
    let dir = empty_dir("sweep", "rounding");
    let args = ["sweep", "scenarios/retail-bank.toml", "-q", "-r", "4", "--vary", "volume=0.9,1.0"];
    let table = String::from_utf8(ok(&[&args[..], &["--vary", "agents=-1"]].concat())).unwrap();
    let sweep = json(&[&args[..], &["--vary", "agents=-1", "--format", "json"]].concat());
    ok(&[&args[..], &["--vary", "agents=-1", "--out", dir.to_str().unwrap()]].concat());
    let paid = sweep["cases"][0]["paid_hours"].as_f64().unwrap();
    assert!(paid.fract() != 0.0, "paid hours {paid} are whole: the test could not fail");
    let row = table.lines().nth(3).unwrap();
    assert!(row.split_whitespace().any(|c| c == format!("{paid:.1}")), "paid hours {paid}: {row}");

    let mut reader = csv::Reader::from_path(dir.join("sweep.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let decimals = |column: &str| -> Option<usize> {
        let key = column.strip_suffix("_half_width").unwrap_or(column);
        match key {
            "case" | "volume" | "handle_time" | "agents" | "plan" | "call_type" => None,
            "paid_hours" => Some(4),
            k if k.ends_with("_s") => Some(3),
            "service_level" | "service_level_answered" | "p_wait" | "abandon_rate" | "occupancy" => Some(6),
            _ => Some(4),
        }
    };
    let mut checked = 0;
    for (r, record) in reader.records().map(Result::unwrap).enumerate() {
        let rows_per_case = 1 + sweep["cases"][0]["call_types"].as_array().unwrap().len();
        let (case, call_type) = (r / rows_per_case, &record[5]);
        let stats = if call_type == "all" {
            &sweep["cases"][case]["overall"]
        } else {
            sweep["cases"][case]["call_types"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == call_type)
                .unwrap()
        };
        for (column, text) in header.iter().zip(record.iter()) {
            let Some(d) = decimals(column) else { continue };
            if text.is_empty() {
                continue;
            }
            let written = text.split_once('.').map_or(0, |(_, f)| f.len());
            assert!(written <= d && !(written > 0 && text.ends_with('0')), "{column} = {text}");
            let key = column.strip_suffix("_half_width").unwrap_or(column);
            let part = if column.ends_with("_half_width") { "half_width" } else { "mean" };
            let expected = match key {
                "paid_hours" => sweep["cases"][case]["paid_hours"].as_f64().unwrap(),
                "occupancy" => sweep["cases"][case]["occupancy"][part].as_f64().unwrap(),
                _ => stats[key][part].as_f64().unwrap(),
            };
            let value: f64 = text.parse().unwrap();
            assert!(
                (value - expected).abs() <= 0.5 * 10f64.powi(-(d as i32)) + 1e-12,
                "{column}: {text} vs {expected}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} numbers checked");
}

/// A sweep of several channels, whose goals differ, names each channel's goal in its JSON
/// (`channel_goals`) and shades each case by the worst call type's service level minus its own
/// channel's goal: a case's cell is below zero exactly when some call type misses its goal. A
/// sweep of one channel has no `channel_goals` key.
#[test]
fn a_sweep_of_several_channels_judges_each_case_by_its_worst_call_type() {
    let dir = crate::util::empty_dir("sweep", "channels");
    let args = [
        "sweep",
        "scenarios/omnichannel.toml",
        "-q",
        "-r",
        "2",
        "--vary",
        "volume=0.9,1.1",
        "--vary",
        "agents=-1,0,1",
    ];
    let json = crate::util::ccsim().args(args).args(["--format", "json"]).assert().success();
    let sweep: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let goals = sweep["channel_goals"].as_array().expect("channel_goals");
    let goal_of = |channel: &serde_json::Value| {
        goals.iter().find(|g| &g["channel"] == channel).unwrap()["goal"].as_f64().unwrap()
    };
    let margins: Vec<f64> = sweep["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            case["call_types"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|ct| {
                    Some(100.0 * (ct["service_level"]["mean"].as_f64()? - goal_of(&ct["channel"])))
                })
                .fold(f64::NAN, f64::min)
        })
        .collect();
    let below = margins.iter().filter(|m| m.round() < 0.0).count();
    let above = margins.iter().filter(|m| m.round() > 0.0).count();
    assert!(below > 0 && above > 0, "{margins:?}");
    // The table leaves out the pooled ASA, seconds of voice with hours of email, and says why;
    // the JSON keeps the pooled figure.
    assert!(sweep["cases"][0]["overall"]["asa_s"]["mean"].as_f64().unwrap() > 0.0);
    let table = crate::util::ccsim().args(args).assert().success();
    let table = stdout_lossy(&table);
    let rows: Vec<&str> = table.lines().skip(3).take(6).collect();
    let column = table.lines().nth(1).unwrap().find("ASA (s)").unwrap();
    for row in &rows {
        assert_eq!(row[column..].split_whitespace().next(), Some("-"), "{table}");
    }
    assert!(table.replace("\n  ", " ").contains("ASA: - with several channels"), "{table}");
    // Its heat map counts contacts, as every chart of chats and emails does.
    let svg_dir = dir.join("svg");
    crate::util::ccsim()
        .args(args)
        .args(["--chart-format", "svg", "--charts", svg_dir.to_str().unwrap()])
        .assert()
        .success();
    let words =
        crate::util::svg_texts(&std::fs::read_to_string(svg_dir.join("sweep.svg")).unwrap()).join(" ");
    assert!(words.contains("blank: no contacts offered") && !words.contains("calls"), "{words}");

    crate::util::ccsim().args(args).args(["--chart-format", "svg", "--charts"]).arg(&dir).assert().success();
    let svg = std::fs::read_to_string(dir.join("sweep.svg")).unwrap();
    let texts = crate::util::svg_texts(&svg);
    assert!(texts.iter().any(|t| t.contains("service level minus its goal, worst call type")), "{texts:?}");
    // The cells' labels follow the note under the chart (in as many lines as it wraps into),
    // one a case.
    let note = texts.iter().position(|t| t.starts_with("cells: worst call type")).expect("the note");
    let cells: Vec<f64> = texts[note + 1..]
        .iter()
        .skip_while(|t| t.parse::<f64>().is_err())
        .take(margins.len())
        .map(|t| t.parse().unwrap())
        .collect();
    assert_eq!(cells.len(), margins.len(), "{texts:?}");
    assert_eq!(cells.iter().filter(|v| **v < 0.0).count(), below, "{texts:?}");
    assert_eq!(cells.iter().filter(|v| **v > 0.0).count(), above, "{texts:?}");

    let one = crate::util::ccsim()
        .args([
            "sweep",
            "scenarios/single-queue.toml",
            "-q",
            "-r",
            "2",
            "--vary",
            "volume=1",
            "--format",
            "json",
        ])
        .assert()
        .success();
    let one: serde_json::Value = serde_json::from_slice(&one.get_output().stdout).unwrap();
    assert!(one.get("channel_goals").is_none());
}

/// The events' volume factors count toward the cap of contacts with a case's volume factor:
/// a factor that keeps the plain volumes under the cap but the launch week's outage and launch
/// over it is refused before any case runs.
#[test]
fn a_volume_factor_is_held_to_the_contacts_cap_with_the_events_factors() {
    let scenario = ccsim::scenario::load(Path::new("scenarios/launch-week.toml")).unwrap().scenario;
    let volumes: Vec<&[f64]> = scenario.call_types.iter().map(|c| c.volumes.as_slice()).collect();
    let plain = ccsim::events::offered_contacts(&volumes, &[], &scenario.grid);
    let with_events = ccsim::events::offered_contacts(&volumes, &scenario.events, &scenario.grid);
    assert!(with_events > plain * 1.01, "the events add contacts: {plain} {with_events}");
    // Between the two: the plain volumes stay under the cap, the events take them over.
    let cap = ccsim::limits::MAX_CONTACTS_PER_REPLICATION;
    let factor = (cap / plain + cap / with_events) / 2.0;
    let vary = format!("volume=1,{factor}");
    let out = ccsim()
        .args(["sweep", "scenarios/launch-week.toml", "-q", "-r", "1", "--vary", &vary])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the volumes would offer") && stderr.contains("MAX_CONTACTS_PER_REPLICATION"),
        "{stderr}"
    );
}

/// With `--apply-shrinkage` every case's plan loses the scenario's shrinkage before it is
/// simulated, as `simulate --apply-shrinkage` does: the neutral case equals that run on the same
/// seed (paid hours still count every agent), it differs from the sweep without the flag, and the
/// JSON says what was taken out.
#[test]
fn a_sweep_with_apply_shrinkage_takes_it_off_every_case_as_simulate_does() {
    let file = "scenarios/retail-bank.toml";
    let args = ["sweep", file, "-q", "-r", "3", "--seed", "4", "--format", "json", "--vary", "agents=0,2"];
    let net = json(&[&args[..], &["--apply-shrinkage"]].concat());
    let gross = json(&args);
    let simulated =
        json(&["simulate", file, "-q", "-r", "3", "--seed", "4", "--format", "json", "--apply-shrinkage"]);
    let neutral = net["cases"].as_array().unwrap().iter().find(|c| c["agents"] == 0).unwrap();
    for key in ["overall", "call_types", "occupancy", "paid_hours"] {
        assert_eq!(neutral[key], simulated[key], "{key}");
    }
    assert!(net["shrinkage_applied"].as_f64().unwrap() > 0.0 && gross.get("shrinkage_applied").is_none());
    assert_eq!(neutral["paid_hours"], gross["cases"][0]["paid_hours"]);
    let sl = |s: &Value| s["cases"][0]["overall"]["service_level"]["mean"].as_f64().unwrap();
    assert!(sl(&net) < sl(&gross), "{} {}", sl(&net), sl(&gross));
    // Sharded, the parts carry the flag, and merge gives the same bytes.
    let dir = empty_dir("sweep", "shrinkage-shards");
    let command =
        ["sweep", file, "-q", "-r", "3", "--seed", "4", "--vary", "agents=0,2", "--apply-shrinkage"];
    shards(&command, 2, &dir);
    let merged = ok(&["merge", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(serde_json::from_slice::<Value>(&merged).unwrap(), net);
}

/// A factor too small to simulate is refused in the words of what it scales: volumes are
/// forecast, handle times are the scenario's.
#[test]
fn a_factor_below_a_thousandth_names_what_it_scales() {
    for (factor, scales) in [("volume", "forecast volumes"), ("handle_time", "scenario's handle times")] {
        let run = ccsim()
            .args(["sweep", "scenarios/single-queue.toml", "--vary", &format!("{factor}=0.0001")])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&run.get_output().stderr).to_string();
        assert!(err.contains(&format!("(a thousandth of the {scales}), got 0.0001")), "{err}");
    }
}

/// `--vary volume=90..110:10` meant as percentages runs 90 to 110 times the forecast: the grid
/// runs as written, with a warning that says how a value was read and how to write it as a
/// factor. Factors below 10 and `agents` draw none.
#[test]
fn a_volume_or_handle_time_factor_written_as_a_percentage_is_warned_about() {
    let warnings = |vary: &str| {
        let out = ccsim()
            .args(["sweep", "scenarios/single-queue.toml", "-q", "-r", "1", "--vary", vary])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{vary}: {stderr}");
        stderr
    };
    assert_eq!(
        warnings("volume=90..110:10"),
        "warning: --vary volume: 110 is a factor, 110 times the forecast volumes, not a percentage; \
         write 1.1 for 110%\n"
    );
    assert!(warnings("handle_time=80,20").contains("--vary handle_time: 80 is a factor"));
    for quiet in ["volume=0.9..1.1:0.1", "handle_time=9.5", "agents=-2..20:11"] {
        assert_eq!(warnings(quiet), "", "{quiet}");
    }
}
