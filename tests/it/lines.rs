//! Telephone lines and busy signals: the engine against the exact M/M/c/L+M chain (no
//! redials), against ccsim's Erlang X (with redials, whose steady-state assumption is an
//! approximation), the balance with blocked calls, outages, and scenario-file errors.

use ccsim::dist::Dist;
use ccsim::erlang::ErlangX;
use ccsim::model::{Recall, Scenario, StationaryQueue};
use ccsim::replicate::{self, Options, Replication};
use ccsim::stats::Estimate;
use ccsim::telephony::Telephony;

use crate::util::{ccsim, elements, empty_dir, parse_html, stdout_json, stdout_text, text_of};

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
    agrees("abandon_rate", estimate(&reps, |r| r.overall.stats.abandon_rate), exact.metrics.abandon_rate);
    agrees("service_level", estimate(&reps, |r| r.overall.stats.service_level), exact.metrics.service_level);
}

#[test]
fn redials_of_blocked_and_abandoned_callers_stay_close_to_erlang_x() {
    // Erlang X adds redials to the attempt rate of one steady state; the engine lets each
    // caller redial after an exponential delay (mean 5 min), so redials bunch after busy
    // spells and the simulated blocking runs higher. Measured (10 agents, 13 lines, half of
    // the blocked and abandoned callers redialling, loads 8, 10, 12 Erlangs, seed 22, 20
    // replications x 6 days): differences up to +0.0096 in p_block, 0.0026 in abandon rate and
    // 0.0106 in service level. The tolerance is 1.5 times the largest, plus the simulation's
    // own 99% half-width.
    const TOLERANCE: [f64; 3] = [0.015, 0.004, 0.016];
    let (agents, lines, redial) = (10, 13, 0.5);
    for calls_per_hour in [160.0, 200.0, 240.0] {
        let x = ErlangX {
            rate_per_s: calls_per_hour / 3600.0,
            aht: AHT,
            patience: Some(PATIENCE),
            lines,
            redial,
            volume_cv: None,
        };
        let exact = x.performance(agents, TARGET);
        let reps = replications(&center(calls_per_hour, agents, lines, Some(redial), 6), 22, 20);
        let figures = [
            ("p_block", estimate(&reps, p_block), exact.p_block),
            ("abandon_rate", estimate(&reps, |r| r.overall.stats.abandon_rate), exact.metrics.abandon_rate),
            (
                "service_level",
                estimate(&reps, |r| r.overall.stats.service_level),
                exact.metrics.service_level,
            ),
        ];
        for ((name, e, x), tolerance) in figures.into_iter().zip(TOLERANCE) {
            let diff = e.mean - x;
            eprintln!(
                "load {:.0}: {name} simulated {:.4} ± {:.4}, Erlang X {x:.4}, difference {diff:+.4}",
                calls_per_hour * AHT / 3600.0,
                e.mean,
                e.half_width
            );
            assert!(diff.abs() <= tolerance + e.half_width, "{name} at {calls_per_hour}/h: {diff:+.4}");
        }
    }
}

#[test]
fn every_call_is_blocked_while_the_lines_are_down_and_none_with_lines_to_spare() {
    // Lines down from 10:00 to 11:00: every call arriving then hears a busy signal.
    let mut s = center(200.0, 10, 13, None, 1);
    s.telephony.outages.push(ccsim::telephony::LinesOutage {
        start: ccsim::time::ClockTime::parse("10:00").unwrap(),
        length: 3600.0,
        days: None,
        lines: 0,
        call_type: None,
    });
    let counts = ccsim::sim::run(&s, 5, 0, &mut ccsim::sim::NoTrace);
    let down = counts.cell(10, 0);
    assert!(down.offered_total() > 100 && down.blocked == down.offered_total(), "{down:?}");
    assert!(counts.cell(9, 0).blocked < counts.cell(9, 0).offered_total() / 2);
    ccsim::sim::check_balance(&s, 0, &counts).unwrap();
    // More lines than callers can ever hold: the same callers, the same figures.
    let plain = center(200.0, 10, 13, None, 1);
    let mut ample = plain.clone();
    ample.telephony.shared_lines = Some(100_000);
    let mut without = plain.clone();
    without.telephony = Telephony::default();
    let (a, w) = (
        ccsim::sim::run(&ample, 5, 0, &mut ccsim::sim::NoTrace),
        ccsim::sim::run(&without, 5, 0, &mut ccsim::sim::NoTrace),
    );
    assert_eq!(a.cells, w.cells);
}

#[test]
fn blocked_callers_redial_by_their_own_rule() {
    let mut s = center(300.0, 10, 11, None, 1);
    let base = ccsim::sim::run(&s, 9, 0, &mut ccsim::sim::NoTrace).overall();
    assert_eq!(base.offered[1], 0, "no redial rule: no redials");
    s.telephony.call_types = vec![ccsim::telephony::CallTypeLines {
        lines: None,
        redial_after_blocked: Some(Recall { probability: 1.0, delay: Dist::exponential(60.0) }),
    }];
    let with = ccsim::sim::run(&s, 9, 0, &mut ccsim::sim::NoTrace).overall();
    assert!(with.offered[1] > 0 && with.offered[1] <= with.blocked, "{with:?}");
}

#[test]
fn rejects_zero_lines_and_outages_of_unknown_lines() {
    let dir = empty_dir("lines", "bad");
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        r#"start = "08:00"
interval = "1h"
[service_level]
target = "20s"
goal = 0.8
[lines]
total = 0
[[lines_outages]]
start = "09:00"
end = "10:00"
lines = 0
call_type = "sales"
[[call_types]]
name = "calls"
volumes = [10]
handle_time = { distribution = "exponential", mean = "2m" }
[[agent_groups]]
name = "agents"
skills = ["calls"]
staffing = [2]
"#,
    )
    .unwrap();
    let out = ccsim().args(["simulate", file.to_str().unwrap(), "-q"]).assert().code(2).get_output().clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml:7") && stderr.contains("lines.total") && stderr.contains("at least 1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("lines_outages[0].call_type") && stderr.contains("unknown call type \"sales\""),
        "{stderr}"
    );
}

/// `compare` and `sweep` on a scenario with lines and callbacks give the busy signals and the
/// callbacks beside the other figures, so each plan's and each case's contacts balance:
/// offered = answered + abandoned + unanswered at close + blocked + callbacks failed (means
/// over the same replications, so to rounding). Before, the blocked and the failed callbacks
/// were in neither output and the totals fell short of offered.
#[test]
fn compare_and_sweep_balance_the_blocked_and_the_failed_callbacks() {
    let dir = empty_dir("lines", "compare-sweep");
    let plan = dir.join("plan.toml");
    std::fs::write(
        &plan,
        "[[staffing]]\ngroup = \"support\"\nagents = [16, 21, 29, 36, 37, 37, 36, 29, 24, 23, 24, 25, 26, 24, 23, 19, 16, 14, 12, 10]\n",
    )
    .unwrap();
    let json = |args: &[&str]| -> serde_json::Value {
        let out = ccsim().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let balance = |who: &str, offered: &serde_json::Value, outcomes: [&serde_json::Value; 5]| {
        let mean = |v: &serde_json::Value| v["mean"].as_f64().unwrap();
        let sum: f64 = outcomes.iter().map(|v| mean(v)).sum();
        assert!((mean(offered) - sum).abs() < 1e-6, "{who}: offered {} against {sum}", mean(offered));
        assert!(mean(outcomes[3]) > 0.0, "{who}: this center blocks some callers");
    };
    let scenario = "scenarios/telco-lines.toml";
    let c =
        json(&["compare", scenario, "--plan", plan.to_str().unwrap(), "-q", "-r", "2", "--format", "json"]);
    // The report shows the blocked share the table and the JSON give.
    let report = dir.join("compare.html");
    let out = ccsim()
        .args(["compare", scenario, "--plan", plan.to_str().unwrap(), "-q", "-r", "2", "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = std::fs::read_to_string(&report).unwrap();
    let block_rate = c["plans"][0]["lines"]["overall"]["block_rate"].clone();
    let shown = ccsim::report::percent_estimate(&serde_json::from_value(block_rate).unwrap());
    assert!(html.contains("Blocked (%)") && html.contains(&format!(">{shown}</td>")), "{shown}");
    // The paired difference of the blocked share: on the same replications, the mean of the
    // differences is the difference of the means.
    let share = |plan: &serde_json::Value| plan["lines"]["overall"]["block_rate"]["mean"].as_f64().unwrap();
    let paired = c["differences"][0]["lines"]["overall"]["block_rate"]["mean"].as_f64().unwrap();
    assert!((paired - (share(&c["plans"][1]) - share(&c["plans"][0]))).abs() < 1e-12, "{paired}");
    assert!(html.contains("Blocked, all calls (pt): "), "the report gives the paired difference");
    // Likewise the failed callbacks, in the JSON and under the difference table of the report.
    let failed =
        |plan: &serde_json::Value| plan["callbacks"]["overall"]["callbacks_failed"]["mean"].as_f64().unwrap();
    let paired = c["differences"][0]["callbacks"]["overall"]["callbacks_failed"]["mean"].as_f64().unwrap();
    assert!((paired - (failed(&c["plans"][1]) - failed(&c["plans"][0]))).abs() < 1e-9, "{paired}");
    assert!(html.contains("Callbacks failed, all calls (calls): "), "the report gives the paired difference");
    for p in c["plans"].as_array().unwrap() {
        let (o, l, cb) = (&p["overall"], &p["lines"]["overall"], &p["callbacks"]["overall"]);
        let outcomes = [
            &o["answered"],
            &o["abandoned"],
            &o["unanswered_at_close"],
            &l["blocked"],
            &cb["callbacks_failed"],
        ];
        balance(&format!("compare {}", p["name"]), &o["offered"], outcomes);
    }
    let csv = ccsim()
        .args(["sweep", scenario, "--vary", "volume=1,1.2", "-q", "-r", "2", "--format", "csv"])
        .output()
        .unwrap();
    assert!(csv.status.success(), "{}", String::from_utf8_lossy(&csv.stderr));
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let col =
        |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let mut rows = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let v = |name: &str| row[col(name)].parse::<f64>().unwrap();
        let sum: f64 = ["answered", "abandoned", "unanswered_at_close", "blocked", "callbacks_failed"]
            .iter()
            .map(|k| v(k))
            .sum();
        // The CSV rounds counts to a tenth of a contact.
        assert!(
            (v("offered") - sum).abs() <= 0.3,
            "sweep row {row:?}: offered {} against {sum}",
            v("offered")
        );
        rows += 1;
    }
    assert_eq!(rows, 4, "two cases, each all contacts and the one call type");
}

/// `intervals.csv` of a scenario with lines and callbacks carries their outcomes too, so that
/// every row balances (busy signals and failed callbacks are offered contacts); a scenario with
/// neither keeps its columns.
#[test]
fn every_row_of_intervals_csv_balances_with_blocked_and_failed_callbacks() {
    let csv_of = |scenario: &str| {
        let out = ccsim().args(["simulate", scenario, "-q", "-r", "10", "--format", "csv"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = csv_of("scenarios/telco-lines.toml");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |key: &str| header.iter().position(|h| *h == format!("{key} [calls]")).unwrap();
    let [offered, answered, abandoned, unanswered, blocked, failed] =
        ["offered", "answered", "abandoned", "unanswered_at_close", "blocked", "callbacks_failed"]
            .map(column);
    let (mut rows, mut with_blocked) = (0, 0);
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let value = |i: usize| cells[i].parse::<f64>().unwrap_or(0.0);
        let rest = value(answered) + value(abandoned) + value(unanswered) + value(blocked) + value(failed);
        // Each mean is written with 3 decimals.
        assert!((value(offered) - rest).abs() < 3e-3, "{line}: offered {} against {rest}", value(offered));
        rows += 1;
        with_blocked += usize::from(value(blocked) > 0.0);
    }
    assert!(rows > 0 && with_blocked > 0, "the case has no busy signal: the check cannot fail");
    let plain = csv_of("scenarios/retail-bank.toml");
    let plain_header = plain.lines().next().unwrap();
    assert!(!plain_header.contains("blocked") && !plain_header.contains("callbacks_"), "{plain_header}");
}

/// The simulate report of a scenario with lines gives the terminal's "Lines:" figures, the
/// blocked share and the line occupancy, each with its definition.
#[test]
fn the_simulate_report_gives_the_block_rate_and_the_line_occupancy() {
    let dir = empty_dir("lines", "report");
    let report = dir.join("lines.html");
    let args = ["simulate", "scenarios/telco-lines.toml", "-q", "-r", "2"];
    let out = ccsim().args(args).arg("--report").arg(&report).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8(out.stdout).unwrap();
    let json = ccsim().args(args).args(["--format", "json"]).output().unwrap().stdout;
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let estimate = |v: &serde_json::Value| serde_json::from_value(v.clone()).unwrap();
    let rate = ccsim::report::percent_estimate(&estimate(&json["lines"]["overall"]["block_rate"]));
    let occupancy = ccsim::report::percent_estimate(&estimate(&json["lines"]["line_occupancy"]));
    let line = table.lines().find(|l| l.starts_with("Lines: ")).unwrap();
    assert!(line.contains(&format!("({rate} of offered)")) && line.contains(&occupancy), "{line}");
    let html = std::fs::read_to_string(&report).unwrap();
    let section = &html[html.find("<h2 id=\"lines\">").expect("no Lines section")..];
    let section = &section[..section.find("</table>").unwrap()];
    assert!(section.contains(&format!(">{rate} of offered</td>")), "{section}");
    assert!(section.contains(&format!(">{occupancy}</td>")), "{section}");
    assert!(section.contains("Line occupancy (%)</th>"), "{section}");
    for key in ["block_rate", "line_occupancy"] {
        let d = ccsim::metrics::definition(key);
        assert!(html.contains(&format!("<dd>{}</dd>", d.definition)), "{key} not defined");
    }
}

/// The intervals below the goal of a scenario with lines give each one's blocked share, as its
/// JSON has it: a busy signal is an offered call never answered, so without it a row's missing
/// service level would have no cause in sight (at 17:00 an outage blocks a third of the calls
/// while none abandon). The terminal table, its definitions and the HTML report's table show it;
/// a scenario without lines keeps its columns.
#[test]
fn the_intervals_below_the_goal_give_their_blocked_share() {
    let dir = empty_dir("lines", "below-goal");
    let report = dir.join("lines.html");
    let args = ["simulate", "scenarios/telco-lines.toml", "-q", "-r", "3"];
    let table = stdout_text(&ccsim().args(args).arg("--report").arg(&report).assert().success());
    let json = stdout_json(&ccsim().args(args).args(["--format", "json"]).assert().success());
    let expected = |start: &str| {
        let cell = json["lines"]["intervals"].as_array().unwrap().iter().find(|i| i["start"] == start);
        let rate: Estimate = serde_json::from_value(cell.expect(start)["block_rate"].clone()).unwrap();
        (rate.mean, ccsim::report::percent_estimate(&rate))
    };

    let chars = |s: &str| s.chars().collect::<Vec<char>>();
    let from = table.find("Intervals below the goal").unwrap();
    let mut list = table[from..].lines().skip(1);
    let header = chars(list.next().unwrap());
    let end_of = |name: &str| {
        let at = header.windows(name.len()).position(|w| w.iter().copied().eq(name.chars()));
        at.unwrap_or_else(|| panic!("no {name} column: {}", String::from_iter(&header))) + name.len()
    };
    // Numbers are right-aligned: a cell ends where its header does.
    let (abandoned, blocked) = (end_of("Abandoned"), end_of("Blocked"));
    let (mut rows, mut largest) = (0, 0.0_f64);
    for row in list.skip(1).take_while(|l| !l.is_empty()) {
        let cells = chars(row);
        let start = row.split_whitespace().next().unwrap();
        let (rate, shown) = expected(start);
        assert_eq!(String::from_iter(&cells[abandoned..blocked]).trim(), shown, "{row}");
        (rows, largest) = (rows + 1, largest.max(rate));
    }
    assert!(rows > 0 && largest > 0.1, "no interval below the goal has busy signals: the check cannot fail");
    let definitions = table.replace("\n  ", " ");
    assert!(definitions.contains("\nBlocked = blocked contacts / offered contacts (blocked: "), "{table}");

    let html = std::fs::read_to_string(&report).unwrap();
    let section = &html[html.find("id=\"below-goal\"").expect("no table of intervals below the goal")..];
    let (dom, _) = parse_html(&section[..section.find("</table>").unwrap()]);
    let heads: Vec<String> = elements(&dom, "th").iter().map(text_of).collect();
    assert_eq!(heads.last().map(String::as_str), Some("Blocked (%)"), "{heads:?}");
    let body = elements(&dom, "tbody");
    for tr in elements(&body[0], "tr") {
        let cells: Vec<String> = elements(&tr, "td").iter().map(text_of).collect();
        assert_eq!(cells.last().unwrap(), &expected(&cells[0]).1, "{cells:?}");
    }

    let plain =
        stdout_text(&ccsim().args(["simulate", "scenarios/retail-bank.toml", "-q", "-r", "3"]).assert());
    let from = plain.find("Intervals below the goal").unwrap();
    let header = plain[from..].lines().nth(1).unwrap();
    assert!(header.starts_with("Interval  Call type ") && !header.contains("Blocked"), "{header}");
    assert!(!plain.contains("\nBlocked = "), "{plain}");
    // One call type: its name would fill a column with one word, in every scenario alike.
    let one =
        stdout_text(&ccsim().args(["simulate", "scenarios/single-queue.toml", "-q", "-r", "3"]).assert());
    let from = one.find("Intervals below the goal").unwrap();
    let header = one[from..].lines().nth(1).unwrap();
    assert!(header.starts_with("Interval ") && !header.contains("Call type"), "{header}");
}

/// Callers of "a" share 3 lines and are all transferred to "b" after service, and the lines
/// are mostly held (3 agents, about 4 Erlangs).
const TRANSFERS: &str = r#"
name = "Transfers and lines"
start = "08:00"
interval = "30m"
[service_level]
target = "20s"
goal = 0.8
[lines]
total = 3
[[call_types]]
name = "a"
volumes = [60, 60, 60, 60]
handle_time = { distribution = "exponential", mean = "2m" }
transfers = [{ to = "b", probability = 1.0 }]
[[call_types]]
name = "b"
volumes = [0, 0, 0, 0]
handle_time = { distribution = "exponential", mean = "1m" }
[[agent_groups]]
name = "desk"
skills = ["a", "b"]
staffing = [3, 3, 3, 3]
"#;

#[test]
fn a_transfer_finds_its_callers_line_in_the_same_pool_and_may_be_blocked_in_its_own() {
    use ccsim::sim::counts::Origin;
    let load = |text: &str| {
        ccsim::scenario::load_str(text, std::path::Path::new("transfers.toml"))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .scenario
    };
    // "b" shares the lines: the caller's line, freed as its first service ends, is its own.
    let shared = load(TRANSFERS);
    let counts = ccsim::sim::run(&shared, 4, 0, &mut ccsim::sim::NoTrace);
    let (a, b) = (counts.call_type_total(0), counts.call_type_total(1));
    assert!(a.blocked > 20, "the lines are mostly held: {a:?}");
    assert!(b.offered[Origin::Transfer as usize] > 50, "{b:?}");
    assert_eq!(b.blocked, 0, "a transfer into the same pool is never blocked: {b:?}");
    ccsim::sim::check_balance(&shared, 0, &counts).unwrap();
    // "b" has one line of its own, held 20 minutes a call: most transfers find it held.
    let own = load(&TRANSFERS.replace(
        "name = \"b\"\nvolumes = [0, 0, 0, 0]\nhandle_time = { distribution = \"exponential\", mean = \"1m\" }",
        "name = \"b\"\nlines = 1\nvolumes = [0, 0, 0, 0]\nhandle_time = { distribution = \"exponential\", mean = \"20m\" }",
    ));
    assert_eq!(own.telephony.call_type(1).lines, Some(1));
    let counts = ccsim::sim::run(&own, 4, 0, &mut ccsim::sim::NoTrace);
    let b = counts.call_type_total(1);
    assert!(b.blocked > b.offered_total() / 2, "{b:?}");
    ccsim::sim::check_balance(&own, 0, &counts).unwrap();
}
