//! Bad days and the risk of missing the goal: forecast error against the gamma mixture it
//! models, events against the volumes and staffing they change, `staff --risk` against its
//! promise, and the scenarios that model nothing against their outputs of before.

use ccsim::dist::Dist;
use ccsim::events::DayEvent;
use ccsim::model::{AgentGroupId, Scenario, Shift, StationaryQueue};
use ccsim::replicate::{self, Options};
use ccsim::risk::risk_of;
use ccsim::staffing::{self, Method};
use ccsim::time::ClockTime;
use ccsim::uncertainty::{Correlation, Uncertainty, VolumeCv};

use crate::util::{ccsim, empty_dir, stderr_lossy, stdout_lossy};

fn queue(calls_per_hour: f64, agents: u32, aht: f64, hours: u32) -> Scenario {
    Scenario::stationary(&StationaryQueue {
        calls_per_hour,
        handle_time: Dist::exponential(aht),
        patience: None,
        agents,
        target: 20.0,
        hours,
    })
}

fn forecast_error(volume_cv: f64) -> Option<Uncertainty> {
    Some(Uncertainty {
        volume_cv: VolumeCv::Shared(volume_cv),
        correlation: Correlation::Replication,
        absence: 0.0,
        handle_time_cv_shift: 0.0,
    })
}

/// Erlang C service level: 1 - C(n, A)·exp(-(n - A)·T / AHT).
fn erlang_c_sl(load: f64, agents: u32, target: f64, aht: f64) -> f64 {
    1.0 - ccsim::erlang::erlang_c(load, agents) * (-(f64::from(agents) - load) * target / aht).exp()
}

#[test]
fn share_of_weeks_meeting_the_goal_is_the_gamma_probability_of_a_load_erlang_c_can_carry() {
    // M/M/20 without abandonment, a week per replication, one gamma busyness factor F per
    // replication. Over a week the service level is that of Erlang C at F·λ up to a small
    // noise, so the week meets the goal exactly when F·λ <= λ*, the largest rate for which
    // Erlang C meets it: P = GammaCDF(λ*/λ).
    use statrs::distribution::{ContinuousCDF, Gamma};
    const AGENTS: u32 = 20;
    const AHT: f64 = 300.0;
    const CV: f64 = 0.1;
    const REPLICATIONS: u32 = 300;
    let goal = 0.8;
    let (mut low, mut high) = (1.0, f64::from(AGENTS) - 1e-9);
    for _ in 0..100 {
        let mid = (low + high) / 2.0;
        if erlang_c_sl(mid, AGENTS, 20.0, AHT) >= goal { low = mid } else { high = mid }
    }
    let max_rate = low / AHT * 3600.0;
    // A forecast the plan carries on 80% of weeks, where a wrong cv or a missing factor shows.
    let shape = 1.0 / (CV * CV);
    let gamma = Gamma::new(shape, shape).unwrap();
    let rate = max_rate / gamma.inverse_cdf(0.8);
    let mut scenario = queue(rate, AGENTS, AHT, 24 * 7);
    scenario.uncertainty = forecast_error(CV);
    let expected = gamma.cdf(max_rate / rate);
    let options = Options { replications: REPLICATIONS, seed: 11, threads: None };
    let levels = replicate::run_fold(&scenario, &options, &|| {}, Vec::new(), |acc, rep| {
        acc.push(rep.overall.stats.service_level)
    })
    .unwrap();
    let p = risk_of(&levels, goal).p_meet_goal;
    // Without the factor every week would meet the goal (P = 1); with cv 0.2 instead of 0.1,
    // P = 0.66: both far outside an interval this narrow.
    assert!(p.half_width < 0.06, "too few replications to detect an error: {p:?}");
    assert!((p.mean - expected).abs() <= p.half_width, "simulated {p:?}, gamma probability {expected:.4}");
}

#[test]
fn scenarios_that_model_nothing_give_the_same_bytes_as_without_the_section() {
    let dir = empty_dir("risk", "zero-uncertainty");
    let base = std::fs::read_to_string("scenarios/single-queue.toml").unwrap();
    let plain = dir.join("plain.toml");
    let zero = dir.join("zero.toml");
    std::fs::write(&plain, &base).unwrap();
    std::fs::write(
        &zero,
        format!("{base}\n[uncertainty]\nvolume_cv = 0.0\nabsence = 0.0\nhandle_time_cv_shift = 0.0\n"),
    )
    .unwrap();
    let json = |path: &std::path::Path| {
        let out =
            ccsim().arg("simulate").arg(path).args(["-q", "-r", "8", "--format", "json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let plain_out = json(&plain);
    assert_eq!(plain_out, json(&zero));
    // And the section does act once a figure is not 0.
    std::fs::write(&zero, format!("{base}\n[uncertainty]\nvolume_cv = 0.1\n")).unwrap();
    let with_error = json(&zero);
    assert_ne!(plain_out, with_error);
    assert!(String::from_utf8_lossy(&with_error).contains("\"p_meet_goal\""));
}

/// Every out-of-range figure of `[uncertainty]` and `[[events]]` is an error on its own line,
/// naming the field, what is allowed and the value given.
#[test]
fn out_of_range_bad_day_figures_are_located_errors_saying_what_is_allowed() {
    let dir = empty_dir("risk", "bad-figures");
    let base = std::fs::read_to_string("scenarios/single-queue.toml").unwrap();
    let text = format!(
        "{base}\n[uncertainty]\nvolume_cv = 1.5\nabsence = 1.0\nhandle_time_cv_shift = 1e-200\n\n\
         [[events]]\nname = \"storm\"\nstart = \"10:00\"\nlength = \"1h\"\nvolume_factor = 0\n\
         handle_time_factor = 21\n"
    );
    let file = dir.join("bad.toml");
    std::fs::write(&file, &text).unwrap();
    let out = ccsim().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = |key: &str| 1 + text.lines().position(|l| l.starts_with(&format!("{key} ="))).unwrap();
    for (key, field, message) in [
        (
            "volume_cv",
            "uncertainty.volume_cv",
            "must be a coefficient of variation: 0, or from 0.0001 to 1, e.g. 0.1, got 1.5",
        ),
        ("absence", "uncertainty.absence", "must be a probability in [0, 1), e.g. 0.05, got 1"),
        (
            "handle_time_cv_shift",
            "uncertainty.handle_time_cv_shift",
            // Tiny but positive: the gamma of shape 1/cv² panicked on it.
            "must be a coefficient of variation: 0, or from 0.0001 to 1, e.g. 0.1, got 1e-200",
        ),
        ("volume_factor", "events.storm.volume_factor", "must be a positive factor of at most 20"),
        ("handle_time_factor", "events.storm.handle_time_factor", "must be a positive factor of at most 20"),
    ] {
        let at = format!("{}:{}:", file.display(), line(key));
        assert!(
            stderr.lines().any(|l| l.contains(&at) && l.contains(&format!("{field}: {message}"))),
            "no error at {at} for {field}: {message}\n{stderr}"
        );
    }
}

/// An event's `handle_time_factor` out of range is explained in handle times: "three times
/// the calls" is what a `volume_factor` of 3 does, not a handle-time factor.
#[test]
fn an_out_of_range_handle_time_factor_is_explained_in_handle_times_not_calls() {
    let dir = empty_dir("risk", "handle-time-factor");
    let base = std::fs::read_to_string("scenarios/single-queue.toml").unwrap();
    let text = format!(
        "{base}\n[[events]]\nname = \"slow\"\nstart = \"10:00\"\nlength = \"1h\"\nhandle_time_factor = 0\n"
    );
    let file = dir.join("slow.toml");
    std::fs::write(&file, &text).unwrap();
    let out = ccsim().arg("validate").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let error = stderr.lines().find(|l| l.contains("events.slow.handle_time_factor:")).expect(&stderr);
    assert!(error.contains("must be a positive factor of at most 20"), "{error}");
    assert!(error.contains("three times as long"), "{error}");
    assert!(!error.contains("calls)"), "{error}");
}

fn outage(volume_factor: f64, unavailable: u32) -> DayEvent {
    DayEvent {
        name: "outage".into(),
        start: ClockTime::parse("02:00").unwrap(),
        length: 7200.0,
        days: None,
        ramp: 0.0,
        volume_factor: vec![volume_factor],
        handle_time_factor: 1.0,
        agents_unavailable: vec![unavailable],
    }
}

#[test]
fn an_event_multiplies_the_offered_volume_of_its_window_and_no_other() {
    let mut scenario = queue(100.0, 40, 180.0, 6);
    scenario.events = vec![outage(3.0, 0)];
    let options = Options { replications: 200, seed: 5, threads: None };
    let reps = replicate::run(&scenario, &options, &|| {}).unwrap();
    let summary = replicate::summarize(&scenario, options.seed, &reps);
    for (idx, interval) in summary.intervals.iter().enumerate() {
        let expected = if (2..4).contains(&idx) { 300.0 } else { 100.0 };
        let offered = interval.stats.offered_fresh;
        assert!(offered.half_width < 0.05 * expected, "too few replications: {offered:?}");
        assert!(offered.covers(expected), "interval {idx}: offered {offered:?}, expected {expected}");
    }
}

#[test]
fn agents_pulled_off_the_phones_leave_the_on_duty_count_in_their_window() {
    let options = Options { replications: 20, seed: 5, threads: None };
    // A staffing-vector group: the headcount itself drops.
    let mut scenario = queue(100.0, 30, 180.0, 6);
    scenario.events = vec![outage(1.0, 3)];
    let reps = replicate::run(&scenario, &options, &|| {}).unwrap();
    let summary = replicate::summarize(&scenario, options.seed, &reps);
    let on_duty: Vec<f64> = summary.agent_groups[0].intervals.iter().map(|i| i.agents_on_duty.mean).collect();
    // Time averages: equal up to the rounding of summing interval pieces.
    let expected = [30.0, 30.0, 27.0, 27.0, 30.0, 30.0];
    assert!(on_duty.iter().zip(expected).all(|(a, e)| (a - e).abs() < 1e-9), "{on_duty:?}");
    // A shift group: three agents go on a break for the window, a busy one after its call
    // (on average 180 s, so at most 3 x 180 / 3600 agent-intervals late).
    scenario.plan.staffing.clear();
    scenario.plan.shifts = vec![Shift {
        group: AgentGroupId(0),
        start: ClockTime::MIDNIGHT,
        length: 6.0 * 3600.0,
        agents: 30,
        breaks: Vec::new(),
        days: None,
    }];
    let reps = replicate::run(&scenario, &options, &|| {}).unwrap();
    let summary = replicate::summarize(&scenario, options.seed, &reps);
    let at = |idx: usize| summary.agent_groups[0].intervals[idx].agents_on_duty;
    assert!((at(1).mean - 30.0).abs() < 1e-9, "{:?}", at(1));
    let window = at(2);
    assert!(window.mean <= 27.0 + 3.0 * 180.0 / 3600.0 + window.half_width, "{window:?}");
    assert!(window.mean >= 27.0 - 1e-9, "{window:?}");
    assert!(window.mean < 29.0, "the pull must show: {window:?}");
    // A pulled agent that was busy takes its full pull after the call, so it may come back
    // up to one handle time late: on average at most 3 x 180 / 3600 agents short.
    assert!(at(4).mean >= 30.0 - 3.0 * 180.0 / 3600.0 - at(4).half_width, "{:?}", at(4));
}

#[test]
fn staffing_for_nine_days_in_ten_never_needs_fewer_agents_and_meets_the_goal_nine_days_in_ten() {
    let mut scenario = queue(120.0, 1, 180.0, 4);
    scenario.uncertainty = forecast_error(0.15);
    let options = Options { replications: 40, seed: 3, threads: None };
    let mean = staffing::plan_with_risk(&scenario, Method::Simulation, &options, None, &|| {}).unwrap();
    let risky = staffing::plan_with_risk(&scenario, Method::Simulation, &options, Some(0.9), &|| {}).unwrap();
    let (m, r) = (&mean.requirement[0], &risky.requirement[0]);
    assert!(m.iter().zip(r).all(|(m, r)| r >= m), "mean {m:?}, risk {r:?}");
    assert!(m.iter().zip(r).any(|(m, r)| r > m), "forecast error of 15% must cost agents: {m:?}");
    let step = risky.report.waterfall.iter().find(|s| s.step == "forecast_error_absence").unwrap();
    assert!(step.agent_hours > 0.0);
    // The step names what it pays for: this scenario models a forecast error and nothing else.
    assert_eq!(step.label, "day-to-day variation and forecast error");
    // The total it leads to is the figure the columns and `agent_hours.simulation` give, and
    // every total is the one before it plus the changes between them.
    let waterfall = &risky.report.waterfall;
    let at_risk = waterfall.iter().find(|s| s.step == "simulation_at_risk").unwrap();
    assert_eq!(at_risk.kind, "total");
    assert_eq!(Some(at_risk.agent_hours), risky.report.agent_hours.simulation);
    let mut running = waterfall[0].agent_hours;
    for s in &waterfall[1..] {
        if s.kind == "total" {
            assert!((s.agent_hours - running).abs() < 1e-6, "{} = {} after {running}", s.step, s.agent_hours);
        } else {
            running += s.agent_hours;
        }
    }
    assert!(mean.report.waterfall.iter().all(|s| s.step != "simulation_at_risk"));
    // The plan it writes, simulated on the scenario's seeds.
    let plan = staffing::requirement_plan(&scenario, &risky.requirement, "requirement");
    let planned = scenario.with_plan(plan);
    let reps = replicate::run(&planned, &options, &|| {}).unwrap();
    let goal = scenario.service_level.goal;
    for idx in 0..scenario.grid.len() {
        let levels: Vec<f64> = reps.iter().map(|rep| rep.intervals[idx].stats.service_level).collect();
        let p = risk_of(&levels, goal).p_meet_goal;
        assert!(p.mean >= 0.9 - p.half_width, "interval {idx}: {p:?}");
    }
}

#[test]
fn compare_prints_each_plans_risk_and_the_paired_difference_of_meeting_the_goal() {
    // Two plans on launch week (forecast error, absence, an outage), each above the scenario's
    // own plan so that both meet the goal on some weeks and miss it on others.
    let dir = empty_dir("risk", "compare-risk");
    let scenario_file = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/launch-week.toml");
    let text = std::fs::read_to_string(scenario_file).unwrap();
    let shifts = &text[text.find("[[shifts]]").expect("launch week has shifts")..];
    let plus_one = shifts
        .replace("\nagents = 8\n", "\nagents = 9\n")
        .replace("\nagents = 11\n", "\nagents = 12\n")
        .replace("\nagents = 4\n", "\nagents = 5\n");
    let plus_two =
        plus_one.replace("\nagents = 9\n", "\nagents = 10\n").replace("\nagents = 3\n", "\nagents = 4\n");
    let (first, second) = (dir.join("plus-one.toml"), dir.join("plus-two.toml"));
    std::fs::write(&first, plus_one).unwrap();
    std::fs::write(&second, plus_two).unwrap();
    let run = |format: &str| {
        let out = ccsim()
            .args(["compare", scenario_file, "--plan"])
            .arg(&first)
            .arg("--plan")
            .arg(&second)
            .args(["-q", "-r", "40", "--format", format])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let estimate = |v: &serde_json::Value| {
        (v["mean"].as_f64().expect("a mean"), v["half_width"].as_f64().expect("a half-width"))
    };
    let (p_first, hw_first) = estimate(&json["plans"][0]["risk"]["p_meet_goal"]);
    let (p_second, hw_second) = estimate(&json["plans"][1]["risk"]["p_meet_goal"]);
    for p in [p_first, p_second] {
        assert!(p > 0.0 && p < 1.0, "each plan should meet the goal on some weeks only: {json}");
    }
    let (paired, hw_paired) = estimate(&json["differences"][0]["p_meet_goal"]);
    // The same replications are counted in both: the mean of the differences is the
    // difference of the shares.
    assert!((paired - (p_second - p_first)).abs() < 1e-12, "paired {paired}, plans {p_first} and {p_second}");
    assert!(paired > 0.0, "more agents should meet the goal more often: {paired}");
    // Same callers for both plans: the paired interval is no wider than that of two
    // independent estimates.
    let unpaired = hw_first.hypot(hw_second);
    assert!(hw_paired <= unpaired, "paired ±{hw_paired}, unpaired ±{unpaired}");
    let table = run("table");
    assert!(table.contains("Probability of meeting the goal: "), "{table}");
    assert!(
        table.contains("  plus-one: P(meet goal) ") && table.contains("  plus-two: P(meet goal) "),
        "{table}"
    );
}

/// With several channels a day meets the goal when every channel meets its own (pooled
/// contacts have no one goal), and each call type's risk is judged against its channel's goal;
/// `compare`'s paired difference judges days the same way. Counted from the replications.
#[test]
fn with_several_channels_a_day_meets_the_goal_when_every_channel_meets_its_own() {
    let text = std::fs::read_to_string("scenarios/omnichannel.toml").unwrap()
        + "\n[uncertainty]\nvolume_cv = 0.15\nabsence = 0.05\n";
    let scenario = ccsim::scenario::load_str(&text, std::path::Path::new("omni-risk.toml")).unwrap().scenario;
    let options = Options { replications: 40, seed: 3, threads: None };
    let reps = replicate::run(&scenario, &options, &|| {}).unwrap();
    let summary = replicate::summarize(&scenario, options.seed, &reps);
    let goal = |name: &str| summary.channels.iter().find(|c| c.name.name() == name).unwrap().goal.goal;
    let every_channel = reps
        .iter()
        .filter(|r| {
            let met = |k: usize, name: &str| r.channels[k].stats.service_level >= goal(name);
            met(0, "voice") && met(1, "chat") && met(2, "email")
        })
        .count();
    let pooled = reps.iter().filter(|r| r.overall.stats.service_level >= scenario.service_level.goal).count();
    let p = summary.risk.unwrap().p_meet_goal.mean;
    assert_eq!(p, every_channel as f64 / reps.len() as f64);
    assert_ne!(every_channel, pooled, "the test cannot tell the two judgements apart");
    // Each email interval against the email goal (90%), not the phones' (80%).
    let n_types = scenario.call_types.len();
    let email = summary.call_types.iter().position(|c| c.name == "email").unwrap();
    let mut told_apart = 0;
    for (k, interval) in summary.intervals.iter().enumerate().filter(|(k, _)| k % n_types == email) {
        let levels: Vec<f64> =
            reps.iter().map(|r| r.intervals[k].stats.service_level).filter(|v| v.is_finite()).collect();
        let Some(risk) = interval.risk.filter(|_| !levels.is_empty()) else { continue };
        let share = |g: f64| levels.iter().filter(|&&v| v >= g).count() as f64 / levels.len() as f64;
        assert_eq!(risk.p_meet_goal.mean, share(goal("email")), "{} {}", interval.day, interval.start);
        told_apart += usize::from(share(goal("email")) != share(scenario.service_level.goal));
    }
    assert!(told_apart > 0, "no email interval where the two goals differ");
    // A point of the risk curve judges its runs the same way.
    let agents = 32;
    let point = ccsim::risk::curve_point(&scenario, agents, &options, 0.0, &|| {}).unwrap();
    let staffed = ccsim::risk::scaled_plan(&scenario, agents).unwrap();
    let reps = replicate::run(&staffed, &options, &|| {}).unwrap();
    let every_channel = reps
        .iter()
        .filter(|r| {
            r.channels.iter().zip(&summary.channels).all(|(c, s)| c.stats.service_level >= s.goal.goal)
        })
        .count();
    assert_eq!(point.p_meet_goal.mean, every_channel as f64 / reps.len() as f64);
}

/// A range of headcounts past the caps is refused before any list of them is made: the whole
/// range of a whole number once asked for 16 GB and aborted. Run under a 1 GB address-space
/// limit, so an allocation of that size fails the test instead of the machine.
#[test]
fn a_risk_range_past_the_caps_is_refused_before_it_is_laid_out() {
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    for (range, step, says) in [
        ("1..4294967295", "1", "4294967295 agents is more than the cap of 100000 (MAX_AGENTS)"),
        ("1..100000", "1", "100000 headcounts, more than the cap of 1000"),
        ("1..100000", "99", "1012 headcounts (TO among them), more than the cap of 1000"),
    ] {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 1000000 && exec \"$0\" risk scenarios/single-queue.toml -q -r 1 --agents-range \"$1\" --step \"$2\" --format json")
            .arg(&bin)
            .arg(range)
            .arg(step)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{range} --step {step}: {stderr}");
        assert!(stderr.contains(says), "{range} --step {step}: {stderr}");
    }
}

/// FROM..TO includes both ends whatever the step: the headcounts are FROM, every STEPth after
/// it, and TO where the steps pass it.
#[test]
fn a_risk_range_includes_its_end_whatever_the_step() {
    for (step, agents) in [("3", vec![20, 23, 24]), ("2", vec![20, 22, 24]), ("1000", vec![20, 24])] {
        let out = ccsim()
            .args(["risk", "scenarios/single-queue.toml", "-q", "-r", "1", "--format", "json"])
            .args(["--agents-range", "20..24", "--step", step])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<u64> =
            json["points"].as_array().unwrap().iter().map(|p| p["agents"].as_u64().unwrap()).collect();
        assert_eq!(got, agents, "--step {step}");
    }
}

/// A replication of a seven-day scenario is a week: the curve's table, chart and JSON call
/// its shares "weeks", and only a one-day scenario's "days".
#[test]
fn the_risk_curve_names_a_replication_by_the_days_it_runs() {
    for (file, days, runs) in
        [("scenarios/launch-week.toml", 7, "weeks"), ("scenarios/single-queue.toml", 1, "days")]
    {
        let dir = empty_dir("risk", &format!("curve-words-{days}"));
        let out = ccsim()
            .args(["risk", file, "-q", "-r", "2", "--agents-range", "50..60", "--step", "10"])
            .args(["--chart-format", "svg", "--charts"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let table = String::from_utf8(out.stdout).unwrap();
        assert!(table.contains(&format!("share of replications ({runs})")), "{file}:\n{table}");
        let svg = std::fs::read_to_string(dir.join("risk.svg")).unwrap();
        assert!(svg.contains(&format!("Share of {runs} meeting the goal")), "{file}: y axis");
        assert!(svg.contains(&format!("90% of {runs}")), "{file}: goal line");
        if days > 1 {
            for text in [&table, &svg] {
                assert!(
                    !text.contains(" of days") && !text.contains("(days)"),
                    "{file} calls a week a day:\n{text}"
                );
            }
        }
        let json = ccsim()
            .args(["risk", file, "-q", "-r", "2", "--agents-range", "50..50", "--format", "json"])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(json["days"], days, "{file}");
    }
}

/// The riskiest intervals are listed by probability of meeting the goal, and among equal
/// probabilities (several intervals that never meet it) by mean service level, lowest first:
/// the launch day's outage, at 0%, comes before an interval just short of the goal.
#[test]
fn the_riskiest_intervals_put_the_lowest_service_level_first_among_equal_probabilities() {
    let out = ccsim().args(["simulate", "scenarios/launch-week.toml", "-q", "-r", "20"]).assert().success();
    let table = stdout_lossy(&out);
    let from = table.find("Riskiest intervals").expect("a riskiest list");
    let rows: Vec<(f64, f64)> = table[from..]
        .lines()
        .skip(3)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            let percents: Vec<f64> = l
                .split_whitespace()
                .filter_map(|w| w.strip_suffix('%'))
                .map(|w| w.parse().unwrap())
                .collect();
            (percents[0], *percents.last().unwrap())
        })
        .collect();
    assert!(rows.len() >= 2, "{table}");
    for pair in rows.windows(2) {
        let ((p0, sl0), (p1, sl1)) = (pair[0], pair[1]);
        assert!(p0 < p1 || (p0 == p1 && sl0 <= sl1), "{pair:?} out of order in\n{table}");
    }
    assert_eq!(rows[0].1, 0.0, "the outage's 0% comes first: {rows:?}");
}

/// An event pulls off the phones the agents on shift at its start; agents who log in later in
/// its window are not pulled. One that starts before the shifts (an all-day event from 00:00)
/// would pull nobody without a word: `validate` says how few it pulls and on which days. One
/// that starts when enough agents are on shift says nothing.
#[test]
fn an_event_that_pulls_fewer_agents_than_it_asks_for_is_warned_about() {
    let dir = crate::util::empty_dir("risk", "pull-warning");
    let base = std::fs::read_to_string("scenarios/single-queue.toml").unwrap();
    // (An event from 00:00 for 6 hours would lie wholly outside the open hours, 08:00 on, and
    // is refused as changing nothing.)
    let validate = |name: &str, start: &str, length: &str| {
        let file = dir.join(format!("{name}.toml"));
        let event = format!(
            "\n[[events]]\nname = \"training\"\nstart = \"{start}\"\nlength = \"{length}\"\nagents_unavailable = {{ agents = 2 }}\n"
        );
        std::fs::write(&file, format!("{base}{event}")).unwrap();
        let out = ccsim().arg("validate").arg(&file).assert().success();
        stderr_lossy(&out)
    };
    let early = validate("early", "00:00", "24h");
    assert!(
        early.contains("events.training.agents_unavailable: asks for 2 agent(s) of \"agents\" off the phones, but as few as 0 are on shift at 00:00 on day(s) 1"),
        "{early}"
    );
    let on_shift = validate("on-shift", "10:00", "6h");
    assert!(!on_shift.contains("asks for"), "{on_shift}");
}

/// A probability's interval is shown by its two ends, within 0% and 100%: at 10 replications
/// none of 10 (or all of them) meeting the goal leaves the probability anywhere from 0% to
/// Wilson's 27.8% (or 72.2% to 100%), which `±27.8` would have put below 0% (or above 100%).
/// The ends in the table are the JSON's, and the JSON's ends are Wilson's for k of 10.
#[test]
fn the_risk_curve_shows_each_probability_between_the_ends_of_its_interval() {
    let args =
        ["risk", "scenarios/single-queue.toml", "-q", "-r", "10", "--agents-range", "16..26", "--step", "2"];
    let table = ccsim().args(args).output().unwrap();
    assert!(table.status.success(), "{}", String::from_utf8_lossy(&table.stderr));
    let table = String::from_utf8(table.stdout).unwrap();
    let json = ccsim().args(args).args(["--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let z2 = 1.959_963_984_540_054_f64.powi(2);
    let mut ends_seen = (false, false);
    for point in json["points"].as_array().unwrap() {
        let p = &point["p_meet_goal"];
        let (mean, low, high) =
            (p["mean"].as_f64().unwrap(), p["low"].as_f64().unwrap(), p["high"].as_f64().unwrap());
        let k = (mean * 10.0).round();
        let centre = (k / 10.0 + z2 / 20.0) / (1.0 + z2 / 10.0);
        let half = z2.sqrt() / (1.0 + z2 / 10.0) * ((k / 10.0) * (1.0 - k / 10.0) / 10.0 + z2 / 400.0).sqrt();
        assert!((low - (centre - half).max(0.0)).abs() < 1e-9, "{point}");
        assert!((high - (centre + half).min(1.0)).abs() < 1e-9, "{point}");
        assert!(0.0 <= low && low <= mean && mean <= high && high <= 1.0, "{point}");
        ends_seen.0 |= k == 0.0;
        ends_seen.1 |= k == 10.0;
        let shown = format!("[{:.1}, {:.1}]", low * 100.0, high * 100.0);
        let row = table.lines().find(|l| l.starts_with(&point["agents"].to_string())).unwrap();
        assert!(row.contains(&shown), "{row} lacks {shown}");
        assert!(!row.contains('±') || row.matches('±').count() == 1, "only the mean SL has ±: {row}");
    }
    assert_eq!(ends_seen, (true, true), "the range reaches both ends: {table}");
    // Each "fewest agents meeting the goal on X of days" gives the share measured at its count,
    // with the interval, and says when that interval starts below the target.
    // A headcount below the curve's first, or between two of its points, was not simulated, and
    // may meet the goal as well: the line says so.
    let mut unsettled = false;
    let unwrapped = table.replace("\n  ", " ");
    let points = json["points"].as_array().unwrap();
    for line in unwrapped.lines().filter(|l| l.starts_with("Fewest peak agents")) {
        let target: f64 = line.split(" on ").nth(1).unwrap().split('%').next().unwrap().parse().unwrap();
        let agents: u64 = line.split(": ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        let point = json["points"].as_array().unwrap().iter().find(|p| p["agents"] == agents).unwrap();
        let p = &point["p_meet_goal"];
        let shown = format!(
            "(measured {:.1}% [{:.1}, {:.1}])",
            p["mean"].as_f64().unwrap() * 100.0,
            p["low"].as_f64().unwrap() * 100.0,
            p["high"].as_f64().unwrap() * 100.0
        );
        assert!(line.contains(&shown), "{line} lacks {shown}");
        unsettled |= p["low"].as_f64().unwrap() * 100.0 < target;
        let i = points.iter().position(|p| p["agents"] == agents).unwrap();
        let gap = match i {
            0 => "; fewer were not simulated".to_string(),
            _ => match agents - points[i - 1]["agents"].as_u64().unwrap() {
                1 => String::new(),
                2 => format!("; {} was not simulated", agents - 1),
                _ => format!(
                    "; {} to {} were not simulated",
                    points[i - 1]["agents"].as_u64().unwrap() + 1,
                    agents - 1
                ),
            },
        };
        assert!(line.ends_with(&format!("{shown}{gap}")), "{line}: expected {shown}{gap}");
    }
    assert!(unsettled, "ten replications leave some target unsettled: {table}");
    assert!(
        table.contains("Where the measured share's interval starts below its target, 10 replications"),
        "{table}"
    );
    // Ten replications do not bound the 10th percentile from below, and the table says why
    // its interval starts at 0%; thirty-five do, and the note goes.
    assert!(table.contains("With fewer than 35 replications nothing bounds SL p10 from below"), "{table}");
    let enough = ccsim()
        .args(["risk", "scenarios/single-queue.toml", "-q", "-r", "35", "--agents-range", "22..22"])
        .output()
        .unwrap();
    let enough = String::from_utf8(enough.stdout).unwrap();
    assert!(enough.contains("Peak agents") && !enough.contains("nothing bounds"), "{enough}");
}

/// Without bad days `staff --risk` still raises the requirement: a day's random calls fall
/// worse than the average day's. The step says so, not "forecast error", and the search's
/// last word gives the uncertainty of a share counted on its replications: 9 of 10 meeting
/// the goal leaves the true share from 59.6% to 98.2% (Wilson).
#[test]
fn staffing_at_risk_without_bad_days_names_day_to_day_variation_and_the_share_it_counted() {
    let out = ccsim()
        .args(["staff", "scenarios/single-queue.toml", "--risk", "0.9", "-r", "10", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let step = text.lines().find(|l| l.trim_start().starts_with("day-to-day")).expect("the risk step");
    assert!(step.trim_start().starts_with("day-to-day variation  "), "{step}");
    assert!(!text.contains("forecast error"), "{text}");
    let unwrapped = text.replace("\n  ", " ");
    assert!(unwrapped.contains("9 of 10 leaves the true share anywhere from 59.6% to 98.2%"), "{text}");
}

/// A risk curve's Mean SL is the service level every summary gives, the ratio of the totals
/// over the replications, not the mean of each replication's own: at a headcount it equals the
/// summary's service level of the plan scaled to that headcount, on the same seeds.
#[test]
fn the_risk_curves_mean_sl_is_the_summarys_service_level() {
    let scenario =
        ccsim::scenario::load(std::path::Path::new("scenarios/single-queue.toml")).unwrap().scenario;
    let options = Options { replications: 20, seed: 7, threads: None };
    let point = ccsim::risk::curve_point(&scenario, 22, &options, 0.0, &|| {}).unwrap();
    let staffed = ccsim::risk::scaled_plan(&scenario, 22).unwrap();
    let reps = replicate::run(&staffed, &options, &|| {}).unwrap();
    let summary = replicate::summarize(&staffed, options.seed, &reps);
    assert_eq!(point.service_level, summary.overall.service_level);
    // The mean of the replications' own levels differs, so the check can tell them apart.
    let own: f64 = reps.iter().map(|r| r.overall.stats.service_level).sum::<f64>() / reps.len() as f64;
    assert!((own - point.service_level.mean).abs() > 1e-6, "{own} {:?}", point.service_level);
}

/// The curve's JSON gives the plan's own peak headcount, which the table states and the chart
/// marks; with absence and a plan of shifts, it flags (and the table explains) that a scaled
/// plan draws its absence per pool record, so the curve at that headcount need not be the plan's
/// own chance. Without absence there is no flag and no note.
#[test]
fn the_risk_curve_gives_the_plans_peak_and_says_when_absence_is_drawn_per_pool() {
    let dir = empty_dir("risk", "plan-peak");
    let base = std::fs::read_to_string("scenarios/retail-bank.toml").unwrap();
    let absent = dir.join("absent.toml");
    std::fs::write(&absent, format!("{base}\n[uncertainty]\nabsence = 0.1\n")).unwrap();
    let run = |file: &std::path::Path, format: &str| {
        let out = ccsim()
            .arg("risk")
            .arg(file)
            .args(["-q", "-r", "4", "--agents-range", "40..44", "--step", "4", "--format", format])
            .assert()
            .success();
        stdout_lossy(&out)
    };
    let plain = std::path::Path::new("scenarios/retail-bank.toml");
    for (file, flagged) in [(absent.as_path(), true), (plain, false)] {
        let json: serde_json::Value = serde_json::from_str(&run(file, "json")).unwrap();
        let peak = json["plan_peak_agents"].as_f64().unwrap();
        let scenario = ccsim::scenario::load(file).unwrap().scenario;
        assert_eq!(peak, ccsim::risk::plan_peak(&scenario));
        assert!(peak > 0.0);
        assert_eq!(json.get("absence_per_pool").is_some(), flagged, "{json}");
        let table = run(file, "table").replace("\n  ", " ");
        assert!(
            table.contains(&format!("Current plan (scenario): {peak:.0} on duty at its busiest")),
            "{table}"
        );
        assert_eq!(table.contains("drawn for the whole day from a pool"), flagged, "{table}");
    }
}

/// Two events on one day each report the longest queue of their own time: the small one in the
/// morning does not take the afternoon storm's peak as its own (its look ends where the storm
/// starts), and the storm's is the day's.
#[test]
fn two_events_on_one_day_each_report_their_own_peak_queue() {
    let dir = crate::util::empty_dir("risk", "two-events");
    let base = std::fs::read_to_string("scenarios/single-queue.toml").unwrap();
    let events = "\n[[events]]\nname = \"mailing\"\nstart = \"12:00\"\nlength = \"30m\"\nvolume_factor = 1.2\n\
                  \n[[events]]\nname = \"storm\"\nstart = \"14:00\"\nlength = \"1h\"\nvolume_factor = 4\n";
    let file = dir.join("two.toml");
    std::fs::write(&file, format!("{base}{events}")).unwrap();
    let out = ccsim()
        .arg("simulate")
        .arg(&file)
        .args(["-q", "-r", "20", "--seed", "7", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let peak = |name: &str| {
        let e = json["events"].as_array().unwrap().iter().find(|e| e["name"] == name).unwrap();
        (e["peak_queue"]["mean"].as_f64().unwrap(), e["peak_queue"]["half_width"].as_f64().unwrap())
    };
    let (mailing, storm) = (peak("mailing"), peak("storm"));
    assert!(
        mailing.0 + mailing.1 < storm.0 - storm.1,
        "the mailing's peak queue {mailing:?} is not clearly below the storm's {storm:?}"
    );
}

/// One replication is counted in the singular where the table says what it cannot establish.
#[test]
fn one_replication_is_counted_in_the_singular() {
    let run = ccsim()
        .args(["risk", "scenarios/single-queue.toml", "-r", "1", "--agents-range", "20..40", "--step", "4"])
        .assert()
        .success();
    let text = stdout_lossy(&run).replace("\n  ", " ");
    assert!(text.contains("1 replication does not establish it"), "{text}");
    assert!(!text.contains("1 replications"), "{text}");
}

/// An event's peak queue counts the callers and chat customers waiting, not the email backlog:
/// 200 emails waiting since the morning are no queue of callers, and counted they would be the
/// peak of any event. From one replication's trace: the most calls waiting at once from the
/// surge's start to the end of its day, exactly.
#[test]
fn an_events_peak_queue_counts_waiting_callers_not_the_email_backlog() {
    let dir = empty_dir("risk", "peak-not-backlog");
    let file = dir.join("surge.toml");
    std::fs::write(
        &file,
        "name = \"surge\"\nstart = \"08:00\"\ninterval = \"1h\"\n\
         [service_level]\ntarget = \"20s\"\ngoal = 0.8\n\
         [service_level.email]\ntarget = \"8h\"\ngoal = 0.9\n\
         [[events]]\nname = \"surge\"\nstart = \"10:00\"\nlength = \"1h\"\nvolume_factor = { phone = 3.0 }\n\
         [[call_types]]\nname = \"phone\"\nvolumes = [40, 40, 40, 40, 40, 40, 40, 40]\n\
         handle_time = { distribution = \"exponential\", mean = \"4m\" }\n\
         patience = { distribution = \"exponential\", mean = \"5m\" }\n\
         [[call_types]]\nname = \"mail\"\nchannel = \"email\"\ninitial_backlog = 200\n\
         volumes = [10, 10, 10, 10, 10, 10, 10, 10]\n\
         handle_time = { distribution = \"exponential\", mean = \"10m\" }\n\
         [[agent_groups]]\nname = \"team\"\nskills = [\"phone\", \"mail\"]\nstaffing = [5, 5, 5, 5, 5, 5, 5, 5]\n",
    )
    .unwrap();
    let trace = dir.join("trace.csv");
    let run = ccsim()
        .arg("simulate")
        .arg(&file)
        .args(["-q", "-r", "1", "--seed", "11", "--format", "json", "--trace"])
        .arg(&trace)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    let peak = json["events"][0]["peak_queue"]["mean"].as_f64().unwrap();
    // Waits of the trace's contacts of `call_type` overlapping 10:00..24:00, as (instant, +1/-1).
    let text = std::fs::read_to_string(&trace).unwrap();
    let waiting_of = |call_type: &str| {
        let (from, to) = (10.0 * 3600.0, 24.0 * 3600.0);
        let mut changes: Vec<(f64, i32)> = Vec::new();
        for row in text.lines().skip(1) {
            let cells: Vec<&str> = row.split(',').collect();
            let (arrival, wait): (f64, f64) = (cells[0].parse().unwrap(), cells[5].parse().unwrap());
            if cells[3] == call_type && wait > 0.0 && arrival < to && arrival + wait > from {
                changes.push((arrival.max(from), 1));
                changes.push((arrival + wait, -1));
            }
        }
        // Departures before arrivals at one instant: nobody is in the queue twice.
        changes.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut now, mut most) = (0, 0);
        for (_, d) in changes {
            now += d;
            most = most.max(now);
        }
        f64::from(most)
    };
    let (calls, emails) = (waiting_of("phone"), waiting_of("mail"));
    assert!(emails > calls, "the test cannot tell the two apart: {emails} emails, {calls} calls");
    assert_eq!(peak, calls, "peak queue {peak}: calls waiting at most {calls}, emails {emails}");
}

/// With several channels the risk table's pooled row is the one of every other table, "all
/// contacts" (it holds chats and emails), in the terminal table and the HTML report alike.
#[test]
fn with_several_channels_the_risk_tables_pooled_row_is_all_contacts() {
    let dir = empty_dir("risk", "all-contacts");
    let file = dir.join("omni-risk.toml");
    let text =
        std::fs::read_to_string("scenarios/omnichannel.toml").unwrap() + "\n[uncertainty]\nvolume_cv = 0.1\n";
    std::fs::write(&file, text).unwrap();
    let report = dir.join("report.html");
    let run = ccsim()
        .arg("simulate")
        .arg(&file)
        .args(["-q", "-r", "4", "--report"])
        .arg(&report)
        .assert()
        .success();
    let table = stdout_lossy(&run);
    let risk = &table[table.find("Risk of missing the goal").expect("a risk section")..];
    let risk = &risk[..risk.find("Riskiest intervals").unwrap()];
    assert!(risk.contains("\nall contacts "), "{risk}");
    assert!(!risk.contains("all calls"), "{risk}");
    let html = std::fs::read_to_string(&report).unwrap();
    let section = &html[html.find("Risk of missing the goal").unwrap()..];
    let section = &section[..section.find("Riskiest intervals").unwrap()];
    assert!(section.contains("all contacts"), "{section}");
    assert!(!section.contains("all calls"), "{section}");
}

/// An event has recovered from the first interval from which each one, until the end of the
/// run, is at or above the goal as every report shows it (the service level of the interval's
/// contacts over all replications) or no more than 2 points below the same interval without
/// the event at 95% confidence. A surge at 13:00 leaves 14:00 at 77% in the reports, against 95%
/// without it: not recovered there, though the mean of the replications' own levels reads
/// above the goal (the busier replications do worse), which once declared it so.
#[test]
fn an_event_recovers_where_the_reported_service_level_is_back_at_the_goal() {
    let text = std::fs::read_to_string("scenarios/single-queue.toml").unwrap()
        + "\n[uncertainty]\nvolume_cv = 0.2\n\
           [[events]]\nname = \"surge\"\nstart = \"13:00\"\nlength = \"1h\"\nvolume_factor = 2.5\n";
    let scenario = ccsim::scenario::load_str(&text, std::path::Path::new("surge.toml")).unwrap().scenario;
    let options = Options { replications: 30, seed: 1, threads: None };
    let recover = ccsim::risk::event_impacts(&scenario, &options).unwrap()[0]
        .time_to_recover_s
        .expect("the surge is over the same day");
    let with = replicate::run(&scenario, &options, &|| {}).unwrap();
    let reported = replicate::summarize(&scenario, options.seed, &with).interval_totals;
    let mut calm = scenario.clone();
    calm.events.clear();
    let without = replicate::run(&calm, &options, &|| {}).unwrap();
    let goal = scenario.service_level.goal;
    let back_to_normal = |i: usize| {
        let mut effect = ccsim::stats::Tally::default();
        for (a, b) in with.iter().zip(&without) {
            let d = a.interval_totals[i].stats.service_level - b.interval_totals[i].stats.service_level;
            if d.is_finite() {
                effect.add(d);
            }
        }
        let effect = effect.estimate(ccsim::stats::CONFIDENCE);
        reported[i].stats.service_level.mean >= goal || effect.mean + effect.half_width >= -0.02
    };
    let grid = &scenario.grid;
    let open = (0..grid.len()).find(|&i| reported[i].start == "13:00").unwrap();
    let from = open + (recover / grid.length()).round() as usize;
    assert!((from..grid.len()).all(back_to_normal), "recovered at {} too early", reported[from].start);
    assert!(from == open || !back_to_normal(from - 1), "recovered at {} too late", reported[from].start);
    // The interval before the recovery is below the goal as reported, and above it as the mean
    // of the replications' own levels: the two readings differ there.
    let own = with.iter().map(|r| r.interval_totals[from - 1].stats.service_level).sum::<f64>() / 30.0;
    assert!(
        reported[from - 1].stats.service_level.mean < goal && own >= goal,
        "{own} {:?}",
        reported[from - 1]
    );
}

/// launch-week.toml's handle-time drift is drawn anew each day, like its volumes, as its
/// comments say (`correlation = "day"` draws both): within a replication one factor holds a
/// whole day, outside the outage, and the days do not share one.
#[test]
fn launch_weeks_handle_time_drift_is_drawn_each_day() {
    let scenario =
        ccsim::scenario::load(std::path::Path::new("scenarios/launch-week.toml")).unwrap().scenario;
    let day = ccsim::bad_day::BadDay::draw(&scenario, 7, 0);
    let per_day = scenario.grid.per_day();
    let at = |d: usize, idx: usize| day.handle_time_factor((d - 1) * per_day + idx);
    // 03:00 and 22:00 of each day, hours no event touches.
    let factors: Vec<f64> = (1..=scenario.grid.days()).map(|d| at(d, 6)).collect();
    for (d, f) in (1..).zip(&factors) {
        assert_eq!(at(d, 44), *f, "day {d}");
        assert!((f - 1.0).abs() < 0.5, "day {d}: {f}");
    }
    assert!(factors.windows(2).all(|w| w[0] != w[1]), "{factors:?}");
}

/// With several channels an event's recovery judges each channel against its own goal: a surge
/// of calls that leaves the phones far below the voice goal is not back to normal because the
/// chats and emails of the same interval lift the pooled level above it. Where the voice
/// interval's 95% interval with the event lies wholly below the goal and more than 2 points
/// below the same interval's without it (both from `simulate` on the same seed: unpaired, so
/// wider than the paired test the recovery uses), recovery cannot come before that interval
/// ends.
#[test]
fn an_event_recovers_only_when_every_channel_is_back_at_its_own_goal() {
    let dir = crate::util::empty_dir("risk", "omnichannel-event");
    let text = std::fs::read_to_string("scenarios/omnichannel.toml").unwrap();
    let event = "\n[[events]]\nname = \"voice surge\"\nstart = \"16:00\"\nlength = \"2h\"\ndays = [2]\n\
                 volume_factor = { accounts = 1.3 }\n";
    let file = dir.join("surge.toml");
    std::fs::write(&file, format!("{text}{event}")).unwrap();
    let run = |path: &str| {
        let args = ["simulate", path, "-q", "--format", "json", "-r", "100", "--seed", "14"];
        crate::util::stdout_json(&ccsim().args(args).assert().success())
    };
    let with = run(file.to_str().unwrap());
    let without = run("scenarios/omnichannel.toml");
    let voice_goal = with["service_level"]["goal"].as_f64().unwrap();
    let recover = with["events"][0]["time_to_recover_s"].as_f64().expect("recovered within a day");
    let clock = |s: &str| {
        let (h, m) = s.split_once(':').unwrap();
        h.parse::<f64>().unwrap() * 3600.0 + m.parse::<f64>().unwrap() * 60.0
    };
    let (open, length) = (clock("16:00"), with["grid"]["interval_s"].as_f64().unwrap());
    let mut clearly_missed = Vec::new();
    for (x, y) in with["intervals"].as_array().unwrap().iter().zip(without["intervals"].as_array().unwrap()) {
        if x["day"] != 2 || x["call_type"] != "accounts" || clock(x["start"].as_str().unwrap()) < open {
            continue;
        }
        // An interval without calls (the phones closed) has no service level to judge.
        let level = |r: &serde_json::Value| {
            Some((r["service_level"]["mean"].as_f64()?, r["service_level"]["half_width"].as_f64()?))
        };
        let (Some((m, h)), Some((bm, bh))) = (level(x), level(y)) else { continue };
        if m + h < voice_goal && m + h < bm - bh - ccsim::risk::RECOVERED_WITHIN {
            clearly_missed.push(clock(x["start"].as_str().unwrap()) + length - open);
        }
    }
    // The pooled level of that interval meets the voice goal: only the voice channel misses.
    let pooled =
        with["interval_totals"].as_array().unwrap().iter().find(|x| x["day"] == 2 && x["start"] == "16:30");
    assert!(pooled.unwrap()["service_level"]["mean"].as_f64().unwrap() >= voice_goal);
    let last = clearly_missed.iter().copied().fold(f64::NAN, f64::max);
    assert!(last.is_finite(), "no voice interval clearly misses: the surge proves nothing");
    assert!(
        recover >= last,
        "recovered after {recover} s, yet the phones clearly miss their goal until {last} s"
    );
}

/// erlang-check.toml (a day of 400 calls an hour at 22 agents) with a volume event of `factor`
/// from 10:00 to 12:00, written to `dir`.
fn erlang_check_with_event(dir: &std::path::Path, factor: f64) -> std::path::PathBuf {
    let text = std::fs::read_to_string("scenarios/erlang-check.toml").unwrap()
        + &format!(
            "\n[[events]]\nname = \"surge\"\nstart = \"10:00\"\nlength = \"2h\"\nvolume_factor = {factor}\n"
        );
    let file = dir.join(format!("event-{factor}.toml"));
    std::fs::write(&file, text).unwrap();
    file
}

/// The fresh arrivals of a trace file: (arrival instant, call type, caller), by instant.
fn fresh_arrivals(trace: &std::path::Path) -> Vec<(f64, String, String)> {
    let text = std::fs::read_to_string(trace).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (at, call_type, origin, caller) =
        (col("arrival_s"), col("call_type"), col("origin"), col("caller_id"));
    let mut out: Vec<(f64, String, String)> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[origin] == "fresh")
        .map(|f| (f[at].parse().unwrap(), f[call_type].to_string(), f[caller].to_string()))
        .collect();
    out.sort_by(|a, b| a.partial_cmp(b).unwrap());
    out
}

/// A volume event adds callers in its window (or drops some) and leaves every other caller as
/// without it: outside the window the trace's fresh callers arrive at the same instants with
/// the same ids; inside it, an event that raises the volume keeps every caller of the run
/// without it and adds others, one that lowers it keeps only some of them.
#[test]
fn a_volume_event_leaves_every_caller_outside_its_window_as_without_it() {
    let dir = empty_dir("risk", "event-arrivals");
    let trace = |scenario: &std::path::Path, name: &str| {
        let path = dir.join(name);
        ccsim()
            .arg("simulate")
            .arg(scenario)
            .args(["-q", "-r", "1", "--trace"])
            .arg(&path)
            .assert()
            .success();
        fresh_arrivals(&path)
    };
    let without = trace(std::path::Path::new("scenarios/erlang-check.toml"), "without.csv");
    let (open, close) = (10.0 * 3600.0, 12.0 * 3600.0);
    let inside = |a: &&(f64, String, String)| a.0 >= open && a.0 < close;
    let split = |arrivals: &[(f64, String, String)]| -> (Vec<_>, Vec<_>) {
        let (inner, outer): (Vec<_>, Vec<_>) = arrivals.iter().cloned().partition(|a| inside(&a));
        (inner, outer)
    };
    let (base_inside, base_outside) = split(&without);
    assert!(base_outside.len() > 1000 && base_inside.len() > 500, "{} callers", without.len());
    for factor in [1.6, 0.5] {
        let with = trace(&erlang_check_with_event(&dir, factor), &format!("with-{factor}.csv"));
        let (event_inside, event_outside) = split(&with);
        assert!(event_outside == base_outside, "x{factor}: the callers outside the window moved");
        let kept = base_inside.iter().filter(|a| event_inside.contains(a)).count();
        if factor > 1.0 {
            assert_eq!(
                kept,
                base_inside.len(),
                "x{factor}: a caller of the run without the event is missing"
            );
            assert!(event_inside.len() > base_inside.len(), "x{factor}: no caller added");
        } else {
            assert_eq!(kept, event_inside.len(), "x{factor}: a caller the run without the event has not");
            assert!(event_inside.len() < base_inside.len(), "x{factor}: no caller dropped");
        }
    }
}

/// Over many replications, the fresh callers of an event's window average the factor times
/// those without it (within the 95% interval of the mean), with a ramp that leaves fractional
/// factors on its intervals, and the paired difference outside the window is nil in every
/// replication.
#[test]
fn a_volume_events_window_offers_the_factor_times_the_forecast_and_nothing_changes_outside() {
    let (replications, seed) = (400, 11);
    // 100 calls an hour over six one-hour intervals; the event from 02:00 to 04:00 ramps over
    // 30 minutes, so each of its intervals averages three quarters of the event.
    let fresh = |scenario: &Scenario, r: u32| {
        let mut arrivals = Vec::new();
        ccsim::sim::run(scenario, seed, r, &mut |rec: &ccsim::sim::TraceRecord| {
            if rec.origin == ccsim::sim::Origin::Fresh {
                arrivals.push((rec.arrival_s.to_bits(), rec.caller));
            }
        });
        arrivals.sort_unstable();
        arrivals
    };
    let calm = queue(100.0, 40, 180.0, 6);
    let (open, close) = (2.0 * 3600.0, 4.0 * 3600.0);
    let in_window = |a: &(u64, u64)| (open..close).contains(&f64::from_bits(a.0));
    for factor in [1.6, 0.5] {
        let mut scenario = calm.clone();
        scenario.events = vec![DayEvent { ramp: 1800.0, ..outage(factor, 0) }];
        let mut counts = ccsim::stats::Tally::default();
        for r in 0..replications {
            let (with, without) = (fresh(&scenario, r), fresh(&calm, r));
            let outside = |v: &[(u64, u64)]| v.iter().filter(|a| !in_window(a)).copied().collect::<Vec<_>>();
            assert!(outside(&with) == outside(&without), "x{factor}, replication {r}: callers outside moved");
            counts.add(with.iter().filter(|a| in_window(a)).count() as f64);
        }
        let expected = 2.0 * 100.0 * (1.0 + (factor - 1.0) * 0.75);
        let offered = counts.estimate(ccsim::stats::CONFIDENCE);
        assert!(offered.half_width < 0.05 * expected, "too few replications: {offered:?}");
        assert!(
            offered.covers(expected),
            "x{factor}: {offered:?} callers in the window, expected {expected}"
        );
    }
}

/// The paired comparison holds after the event: a two-hour surge at 1.6 times the volume on a
/// queue whose callers give up within minutes is over within a few hours, not (as when the
/// surge moved every later caller and the pairs no longer met the same callers) late in the
/// day.
#[test]
fn a_surge_on_a_queue_that_forgets_quickly_recovers_within_hours() {
    let dir = empty_dir("risk", "event-recovery");
    let file = erlang_check_with_event(&dir, 1.6);
    let out =
        ccsim().arg("simulate").arg(&file).args(["-q", "-r", "20", "--format", "json"]).assert().success();
    let json = crate::util::stdout_json(&out);
    let recover = json["events"][0]["time_to_recover_s"].as_f64().expect("recovered the same day");
    // The window is two hours; two more are ample for a queue of five-minute patience.
    assert!(recover <= 4.0 * 3600.0, "recovered {recover} s after the surge began");
}

/// An event pulls the agents it asks for even where they are on a break at its start: two
/// agents back from a break at the instant the event starts are pulled all the same, and a
/// break taken late after a call that runs into the event lasts until it ends. The pulled
/// agents stay off for the rest of the window, so an interval inside it has the agents on
/// shift less those pulled (4 - 2).
#[test]
fn an_event_pulls_agents_whose_break_ends_as_it_starts() {
    let dir = empty_dir("risk", "pull-after-break");
    let on_duty_inside = |start: &str, handle_time: &str, at: &str| -> f64 {
        let file = dir.join(format!("pull-{}.toml", start.replace(':', "")));
        std::fs::write(
            &file,
            format!(
                "name = \"pull after a break\"\nstart = \"08:00\"\ninterval = \"15m\"\n\
                 [service_level]\ntarget = \"20s\"\ngoal = 0.8\n[simulation]\nreplications = 10\nseed = 3\n\
                 [[events]]\nname = \"bridge\"\nstart = \"{start}\"\nend = \"10:00\"\n\
                 agents_unavailable = {{ desk = 2 }}\n\
                 [[call_types]]\nname = \"calls\"\nvolumes = [40, 40, 40, 40, 40, 40, 40, 40]\n\
                 handle_time = {handle_time}\n\
                 [[agent_groups]]\nname = \"desk\"\nskills = [\"calls\"]\n\
                 [[shifts]]\ngroup = \"desk\"\nstart = \"08:00\"\nend = \"10:00\"\nagents = 4\n\
                 breaks = [{{ start = \"09:00\", length = \"15m\" }}]\n"
            ),
        )
        .unwrap();
        let out = ccsim().arg("simulate").arg(&file).args(["-q", "--format", "json"]).assert().success();
        let summary: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let inside = summary["agent_groups"][0]["intervals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["start"] == at)
            .unwrap()["agents_on_duty"]
            .clone();
        inside["mean"].as_f64().unwrap()
    };
    // Short calls, every break from 09:00 to 09:15: the event starts as it ends.
    let short = "{ distribution = \"deterministic\", mean = \"10s\" }";
    assert_eq!(on_duty_inside("09:15", short, "09:30"), 2.0, "break ending at the event's start");
    // Every agent is busy at 09:00 and takes its break after the call: some are still on it
    // at 09:16. (A pulled agent busy at 09:16 leaves after its call, which may run past 09:30
    // but not, on these seeds, past 09:45.)
    let long = "{ distribution = \"exponential\", mean = \"5m\" }";
    assert_eq!(on_duty_inside("09:16", long, "09:45"), 2.0, "break taken late, still on it at the start");
}

/// The table of a curve simulated net of shrinkage says so, as the JSON does with
/// `shrinkage_applied`: the same heading over lower shares would read as every agent taking
/// calls.
#[test]
fn the_risk_table_says_when_shrinkage_is_taken_out() {
    let table = |extra: &[&str]| {
        let args = ["risk", "scenarios/retail-bank.toml", "--agents-range", "30..31", "-r", "2", "-q"];
        stdout_lossy(&ccsim().args(args).args(extra).assert().success())
    };
    let net = table(&["--apply-shrinkage"]);
    assert!(
        net.contains("Shrinkage: 30.0% of each headcount off the phones (--apply-shrinkage)")
            && net.contains("keeps 70.0% of its agents taking calls"),
        "{net}"
    );
    assert!(!table(&[]).contains("Shrinkage:"));
}

/// The chart of a curve net of shrinkage says so under its title, as the table does: a
/// picture pasted on its own would otherwise read as every agent taking calls.
#[test]
fn the_risk_chart_says_when_shrinkage_is_taken_out() {
    let subtitle = |name: &str, extra: &[&str]| {
        let dir = empty_dir("risk", name);
        let args = ["risk", "scenarios/retail-bank.toml", "--agents-range", "30..31", "-r", "2", "-q"];
        ccsim()
            .args(args)
            .args(extra)
            .args(["--chart-format", "svg", "--charts"])
            .arg(&dir)
            .assert()
            .success();
        let svg = std::fs::read_to_string(dir.join("risk.svg")).unwrap();
        let texts = crate::util::svg_texts(&svg);
        texts.into_iter().find(|t| t.starts_with("plan: ")).unwrap_or_else(|| panic!("no subtitle: {svg}"))
    };
    let net = subtitle("chart-net", &["--apply-shrinkage"]);
    assert!(net.contains("30.0% of each headcount off the phones (shrinkage)"), "{net}");
    assert!(!subtitle("chart-gross", &[]).contains("shrinkage"));
}
