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
    let independent: Vec<f64> = a
        .iter()
        .zip(&b)
        .map(|(x, y)| y.overall.stats.service_level - x.overall.stats.service_level)
        .collect();
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
            b.overall.stats.service_level >= a.overall.stats.service_level,
            "replication {r}: {} < {}",
            b.overall.stats.service_level,
            a.overall.stats.service_level
        );
    }
}

/// With several channels `compare` judges each call type in each interval against its own
/// channel's goal, in its JSON, its table and its report, as `simulate` judges the same plan on
/// the same seed; its JSON then has each plan's channels. With one channel it has none.
#[test]
fn with_several_channels_compare_judges_each_call_type_against_its_own_channels_goal() {
    use crate::util::{ccsim, empty_dir};
    let dir = empty_dir("compare", "channels");
    let run = |args: &[&str]| {
        let out = ccsim().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let scenario = "scenarios/omnichannel.toml";
    // A plan staffed for the week without Monday's backlog of 400 emails: Monday's emails wait
    // behind the backlog, and some of its intervals land between the email goal (90%) and the
    // scenario's (80%), where judging by the wrong goal shows.
    let text = std::fs::read_to_string(scenario).unwrap();
    assert!(text.contains("\ninitial_backlog = 400\n"), "omnichannel.toml starts with a backlog");
    let without_backlog = dir.join("omnichannel-without-backlog.toml");
    std::fs::write(&without_backlog, text.replace("\ninitial_backlog = 400\n", "\n")).unwrap();
    let staff_dir = dir.join("staff");
    let staff_args = ["staff", without_backlog.to_str().unwrap(), "--method", "erlang-c", "-q", "--out"];
    run(&[&staff_args[..], &[staff_dir.to_str().unwrap()]].concat());
    let plan = staff_dir.join("requirement.toml");
    let report = dir.join("compare.html");
    let args = ["compare", scenario, "--plan", plan.to_str().unwrap(), "-q", "-r", "4"];
    let json: serde_json::Value =
        serde_json::from_str(&run(&[&args[..], &["--format", "json"]].concat())).unwrap();
    let scenario_goal = json["service_level"]["goal"].as_f64().unwrap();
    let mut judged_apart = 0;
    for p in json["plans"].as_array().unwrap() {
        let goal_of_channel = |name: &str| {
            let c = p["channels"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap();
            c["goal"].as_f64().unwrap()
        };
        let channels: Vec<&str> =
            p["channels"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(channels, ["voice", "chat", "email"]);
        assert_eq!(goal_of_channel("email"), 0.9, "the email goal of omnichannel.toml");
        let mut own = Vec::new();
        for i in p["intervals"].as_array().unwrap() {
            let Some(sl) = i["service_level"]["mean"].as_f64() else { continue };
            let call_type = i["call_type"].as_str().unwrap();
            let ct = p["call_types"].as_array().unwrap().iter().find(|c| c["name"] == call_type).unwrap();
            let goal = goal_of_channel(ct["channel"].as_str().unwrap());
            if sl < goal {
                own.push(format!("day {} {} {call_type}", i["day"], i["start"].as_str().unwrap()));
            }
            judged_apart += usize::from((sl < goal) != (sl < scenario_goal));
        }
        let listed: Vec<&str> =
            p["intervals_below_goal"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        assert_eq!(listed, own, "{}", p["name"]);
    }
    assert!(judged_apart > 0, "no interval where the channel's own goal and the scenario's disagree");
    // The scenario's own plan, as `simulate` counts it on the same seed and replications.
    let scenario_below = json["plans"][0]["intervals_below_goal"].as_array().unwrap().len();
    let simulated = run(&["simulate", scenario, "-q", "-r", "4"]);
    assert!(
        simulated.contains(&format!("each channel's own): {scenario_below} of ")),
        "simulate counts otherwise: {simulated}"
    );
    let table = run(&args);
    assert!(table.contains("Goals: voice 80% in 20s, chat 80% in 1m, email 90% in 12h"), "{table}");
    assert!(table.contains("Channels, each against its own goal:"), "{table}");
    run(&[&args[..], &["--report", report.to_str().unwrap()]].concat());
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(html.contains(&format!("{scenario_below} of ")), "the report counts otherwise");
    assert!(html.contains("<h2 id=\"channels\">") || html.contains("id=\"channels\""), "no channels section");
    // compare.png: a panel per call type, each plan's line against its channel's own goal.
    let comparison: ccsim::compare::Comparison = serde_json::from_value(json.clone()).unwrap();
    let charts = ccsim::report::chart::comparison::comparison_chart_set(&comparison);
    let (svg, layout) = charts.iter().find(|c| c.name == "compare").unwrap().svg_and_layout().unwrap();
    assert_eq!(layout.plots.len(), 3, "one panel per call type");
    for title in ["accounts (% in 20s)", "web-chat (% in 1m)", "email (% in 12h)", "goal 80%", "goal 90%"] {
        assert!(svg.contains(title), "compare.png lacks {title:?}");
    }
    // Its goals are written as simulate's charts write them.
    assert!(!svg.contains("goal 80.0%"), "compare.png writes a goal otherwise than the other charts");
    // One channel: no channel list in the JSON (it would repeat `overall`).
    let args = [&crate::util::BANK_LATE_COMPARISON[..], &["-q", "-r", "2", "--format", "json"]].concat();
    let one: serde_json::Value = serde_json::from_str(&run(&args)).unwrap();
    assert!(one["plans"][0].get("channels").is_none() && one["differences"][0].get("channels").is_none());
    let one: ccsim::compare::Comparison = serde_json::from_value(one).unwrap();
    let charts = ccsim::report::chart::comparison::comparison_chart_set(&one);
    let (_, layout) = charts.iter().find(|c| c.name == "compare").unwrap().svg_and_layout().unwrap();
    assert_eq!(layout.plots.len(), 3, "one channel of three call types: a panel per call type");
}

/// The rings of compare.png are the intervals the tables count below the goal: each call type
/// in its own panel, each plan's line against the goal, so a ring is an (interval, call type)
/// below it, as `intervals_below_goal` counts them. Pooled, the call types gave 8 rings against
/// a count of 22 (a call type below the goal hid behind the others).
#[test]
fn the_compare_charts_rings_are_the_intervals_counted_below_the_goal() {
    let out = crate::util::ccsim()
        .args([
            "compare",
            "scenarios/retail-bank.toml",
            "--plan",
            "scenario",
            "--plan",
            "scenarios/plans/retail-bank-late.toml",
            "--plan",
            "scenarios/plans/retail-bank-lean.toml",
            "-q",
            "-r",
            "4",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let comparison: ccsim::compare::Comparison = serde_json::from_slice(&out.stdout).unwrap();
    let counted: usize = comparison.plans.iter().map(|p| p.intervals_below_goal.len()).sum();
    assert!(counted > 0, "the case has intervals below the goal");
    let charts = ccsim::report::chart::comparison::comparison_chart_set(&comparison);
    let svg = charts.iter().find(|c| c.name == "compare").unwrap().to_svg().unwrap();
    let [r, g, b] = ccsim::report::chart::MISS;
    let ring = format!("stroke=\"#{r:02X}{g:02X}{b:02X}\"");
    // The rings on the lines have radius 8; the legend's has 7.
    let rings = svg.split("<circle").skip(1).filter(|c| c.contains("r=\"8\"") && c.contains(&ring)).count();
    assert_eq!(rings, counted, "rings drawn against intervals counted below the goal");
    // The pooled figure of the plans still rings fewer: the check can fail.
    let pooled: usize = (comparison.plans.iter())
        .map(|p| {
            p.interval_totals
                .iter()
                .filter(|t| t.stats.service_level.mean < comparison.service_level.goal)
                .count()
        })
        .sum();
    assert!(pooled < counted, "pooled {pooled}, counted {counted}");
}

/// `--apply-shrinkage` on a scenario without shrinkage takes nothing off: said on stderr, the
/// run going on as without the flag; with shrinkage, nothing is said.
#[test]
fn apply_shrinkage_without_shrinkage_is_said() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bank = std::fs::read_to_string(root.join("scenarios/retail-bank.toml")).unwrap();
    let without = crate::util::empty_dir("compare", "no-shrinkage").join("bank.toml");
    std::fs::write(&without, bank.replace("shrinkage = 0.30", "shrinkage = 0")).unwrap();
    let lean = root.join("scenarios/plans/retail-bank-lean.toml");
    let warned = |command: &str, file: &std::path::Path| {
        let mut cmd = crate::util::ccsim();
        cmd.arg(command).arg(file).args(["-q", "-r", "2", "--apply-shrinkage"]);
        if command == "compare" {
            cmd.args(["--plan", "scenario", "--plan"]).arg(&lean);
        }
        let out = cmd.current_dir(root).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).contains("warning: --apply-shrinkage")
    };
    for command in ["simulate", "compare"] {
        assert!(warned(command, &without), "{command}");
        assert!(!warned(command, &root.join("scenarios/retail-bank.toml")), "{command}");
    }
}

/// `compare --report` judges each plan on the goals `simulate --report` judges, through the
/// same code: the plan `scenario` misses exactly the goals the simulate report marks missed on
/// the same seeds (retail-bank: intervals below the goal and abandonment, while its overall
/// service level meets the goal, once all compare's verdict looked at).
#[test]
fn compare_reports_a_plan_missing_the_goals_the_simulate_report_marks_missed() {
    use crate::util::{ccsim, empty_dir};
    let run = |args: &[&str]| ccsim().args(args).assert().success();
    let dir = empty_dir("compare", "goal-verdicts");
    let (sim, cmp) = (dir.join("simulate.html"), dir.join("compare.html"));
    let common = ["scenarios/retail-bank.toml", "-q", "-r", "10", "--seed", "3"];
    run(&[&["simulate"][..], &common, &["--report", sim.to_str().unwrap()]].concat());
    let lean = "scenarios/plans/retail-bank-lean.toml";
    run(&[
        &["compare"][..],
        &common,
        &["--plan", "scenario", "--plan", lean, "--report", cmp.to_str().unwrap()],
    ]
    .concat());
    let sim = std::fs::read_to_string(&sim).unwrap();
    let verdicts: Vec<(String, bool)> = sim
        .lines()
        .filter(|l| {
            l.starts_with("<tr><td>") && (l.contains("class=\"met\"") || l.contains("class=\"missed\""))
        })
        .map(|l| (l["<tr><td>".len()..l.find("</td>").unwrap()].to_string(), l.contains("class=\"missed\"")))
        .collect();
    let missed: Vec<&str> = verdicts.iter().filter(|(_, m)| *m).map(|(n, _)| n.as_str()).collect();
    assert!(
        verdicts.iter().any(|(n, m)| n == "Service level" && !m) && !missed.is_empty(),
        "the overall service level no longer meets the goal while another goal misses: the test cannot fail: {verdicts:?}"
    );
    let cmp = std::fs::read_to_string(&cmp).unwrap();
    let row = cmp.lines().find(|l| l.contains("<td>scenario</td>")).expect("the plan's row");
    let cell = &row[row.rfind("<td>").unwrap() + 4..row.rfind("</td>").unwrap()];
    assert_eq!(cell, format!("missed: {}", missed.join("; ")), "{row}");
    assert!(row.starts_with("<tr class=\"miss\">"), "a plan missing a goal is shaded: {row}");
}

/// The report gives the paired differences the terminal table gives, each plan minus the
/// first with its interval, and with several channels judges each channel as the table does:
/// abandonment and a met/missed verdict per plan and channel.
#[test]
fn the_compare_report_has_the_paired_differences_and_each_channels_verdict() {
    use crate::util::{BANK_COMPARISON, ccsim, empty_dir};
    let dir = empty_dir("compare", "report-differences");
    let run = |args: &[&str]| {
        let out = ccsim().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let report = dir.join("bank.html");
    let args = [&BANK_COMPARISON[..], &["-q", "-r", "4"]].concat();
    let table = run(&args);
    run(&[&args[..], &["--report", report.to_str().unwrap()]].concat());
    let html = std::fs::read_to_string(&report).unwrap();
    let differences = &html[html.find("id=\"differences\"").expect("a differences section")..];
    let headings: Vec<&str> = table.lines().filter(|l| l.contains(" minus ")).collect();
    assert_eq!(headings.len(), 1, "the second plan against the first: {table}");
    for heading in headings {
        assert!(differences.contains(&format!("<h3>{heading}</h3>")), "no heading {heading:?}");
    }
    // Every row of the terminal's difference tables, cell by cell (`-17.5 [-18.2, -16.7]`).
    let rows: Vec<&str> = table.lines().filter(|l| l.contains(" [") && l.ends_with(']')).collect();
    assert!(rows.len() >= 4, "three call types and all calls: {table}");
    for row in rows {
        let name = row.split("  ").next().unwrap().trim();
        let cells: Vec<String> = row[name.len()..]
            .split(']')
            .filter(|c| c.contains('['))
            .map(|c| format!("<td class=\"num\">{}]</td>", c.trim()))
            .collect();
        let expected = format!("<td>{name}</td>{}", cells.concat());
        assert!(differences.contains(&expected), "no row {expected:?}");
    }

    // Several channels: the channels table has abandonment and each plan's verdict per channel.
    let staff_dir = dir.join("staff");
    let scenario = "scenarios/omnichannel.toml";
    run(&["staff", scenario, "--method", "erlang-c", "-q", "--out", staff_dir.to_str().unwrap()]);
    let plan = staff_dir.join("requirement.toml");
    let report = dir.join("omni.html");
    let args = ["compare", scenario, "--plan", "scenario", "--plan", plan.to_str().unwrap(), "-q", "-r", "2"];
    let table = run(&args);
    run(&[&args[..], &["--report", report.to_str().unwrap()]].concat());
    let html = std::fs::read_to_string(&report).unwrap();
    let channels = &html[html.find("id=\"channels\"").unwrap()..];
    assert!(channels.contains(">Abandoned (%)</th>") && channels.contains(">Verdict</th>"));
    let verdicts: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("Channels, each against its own goal"))
        .skip(3)
        .take(6)
        .map(|l| l.split_whitespace().last().unwrap())
        .collect();
    assert_eq!(verdicts.len(), 6, "{table}");
    let shown = channels.matches("<td>met</td>").count() + channels.matches("<td>missed</td>").count();
    assert_eq!(shown, 6, "two plans of three channels");
    assert_eq!(
        channels.matches("<td>missed</td>").count(),
        verdicts.iter().filter(|v| **v == "missed").count()
    );
}

/// With one replication a difference has no confidence interval: the table shows `[-]` where
/// the interval goes, never the mean as both bounds (a zero-width interval), as the JSON gives
/// `half_width: null`. The risk curve's `sl_p10` is a value without an interval as well.
#[test]
fn one_replication_shows_no_interval_rather_than_one_of_zero_width() {
    let out = crate::util::ccsim()
        .args(["compare", "scenarios/retail-bank.toml", "-q", "-r", "1", "--plan", "scenario"])
        .args(["--plan", "scenarios/plans/retail-bank-late.toml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.contains("minus scenario"))
        .filter(|l| ["accounts", "cards", "loans", "all calls"].iter().any(|n| l.starts_with(n)))
        .collect();
    assert_eq!(rows.len(), 4, "{table}");
    for row in rows {
        assert!(row.matches("[-]").count() == 4 && !row.contains(", "), "a zero-width interval: {row}");
    }
    assert!(table.contains("(paired: same callers), one replication, no interval:"), "{table}");
    assert!(!table.contains("95% interval"), "{table}");
    let out = crate::util::ccsim()
        .args(["risk", "scenarios/retail-bank.toml", "-q", "-r", "1", "--agents-range", "44..44"])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["points"][0]["sl_p10"]["half_width"], serde_json::Value::Null, "{json}");
    let out = crate::util::ccsim()
        .args(["risk", "scenarios/retail-bank.toml", "-q", "-r", "1", "--agents-range", "44..44"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("| 1 replication per headcount,"), "{table}");
}

/// The table names each plan's intervals below the goal the worst first, each with its service
/// level: the first is the plan's lowest interval below its goal in the JSON, and the levels
/// shown never fall.
#[test]
fn compare_lists_the_intervals_below_the_goal_worst_first() {
    let args = [
        "compare",
        "scenarios/retail-bank.toml",
        "--plan",
        "scenarios/plans/retail-bank-late.toml",
        "-r",
        "5",
        "--seed",
        "9",
        "-q",
    ];
    let text = crate::util::ccsim().args(args).assert().success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).replace("\n  ", " ");
    let json = crate::util::ccsim().args(args).args(["--format", "json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let list = &text[text.find("Intervals below the goal (per call type), the worst first:").expect(&text)..];
    for plan in json["plans"].as_array().unwrap() {
        let name = plan["name"].as_str().unwrap();
        // Wrapped lines joined: the plan's worst intervals stand in brackets after its name.
        let from = &list[list.find(&format!(" {name}: ")).expect(list)..];
        let line = &from[..from.find(')').unwrap()];
        let shown: Vec<f64> = line
            .split_whitespace()
            .filter_map(|w| w.trim_end_matches([',', ')']).strip_suffix('%')?.parse().ok())
            .collect();
        assert!(shown.len() == 4 && shown.windows(2).all(|w| w[0] <= w[1]), "{line}");
        let lowest = plan["intervals"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["service_level"]["mean"].as_f64())
            .fold(f64::INFINITY, f64::min);
        assert!((shown[0] - lowest * 100.0).abs() < 0.051, "{line}: lowest {lowest}");
    }
}
