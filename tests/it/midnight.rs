//! Days that run past midnight: a grid from 23:00 keeps its intervals after midnight as its
//! own (agents on duty, occupancy), a shift starting after midnight is worked on the grid's
//! day that began the evening before, and an overnight shift listed on every day covers the
//! first morning as one worked every day does.

use serde_json::Value;

use crate::util::{ccsim, empty_dir};

/// A scenario of two days of four half-hours from `start`, worked by `agents` (a staffing
/// vector or shifts).
fn scenario(start: &str, days: usize, per_day: usize, agents: &str) -> String {
    let volumes = vec!["20"; per_day].join(", ");
    format!(
        "name = \"late\"\nstart = \"{start}\"\ninterval = \"30m\"\nintervals_per_day = {per_day}\ndays = {days}\n\
         [service_level]\ntarget = \"20s\"\ngoal = 0.8\n[simulation]\nreplications = 4\nseed = 3\n\
         [[call_types]]\nname = \"a\"\nvolumes = [{volumes}]\n\
         handle_time = {{ distribution = \"exponential\", mean = \"3m\" }}\n\
         patience = {{ distribution = \"exponential\", mean = \"2m\" }}\n\
         [[agent_groups]]\nname = \"g\"\nskills = [\"a\"]\n{agents}"
    )
}

fn simulate(name: &str, text: &str) -> Value {
    let dir = empty_dir("midnight", name);
    let file = dir.join("s.toml");
    std::fs::write(&file, text).unwrap();
    let out = ccsim().arg("simulate").arg(&file).args(["--format", "json", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Mean agents on duty per interval of the first group.
fn on_duty(summary: &Value) -> Vec<f64> {
    summary["agent_groups"][0]["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["agents_on_duty"]["mean"].as_f64().unwrap())
        .collect()
}

#[test]
fn intervals_after_midnight_count_the_agents_working_them() {
    let summary = simulate("vector", &scenario("23:00", 1, 4, "staffing = [4, 5, 5, 4]"));
    // The same day from 08:00 never crosses midnight and draws the same calls: the reference.
    // (An agent leaving at 00:30 finishes the call in hand first, so the last interval is a
    // little over 4 in both.) The instants differ by a constant, so only rounding may differ.
    let reference = on_duty(&simulate("vector-08", &scenario("08:00", 1, 4, "staffing = [4, 5, 5, 4]")));
    let agents = on_duty(&summary);
    assert_eq!(agents[..3], [4.0, 5.0, 5.0]);
    for (late, early) in agents.iter().zip(&reference) {
        assert!((late - early).abs() < 1e-9, "{agents:?} against {reference:?}");
    }
    for i in summary["agent_groups"][0]["intervals"].as_array().unwrap() {
        let occupancy = i["occupancy"]["mean"].as_f64().unwrap_or(f64::NAN);
        assert!(occupancy > 0.0 && occupancy <= 1.0, "{i}");
    }
}

#[test]
fn a_shift_after_midnight_is_worked_on_the_day_that_began_the_evening_before() {
    let shift = "[[shifts]]\ngroup = \"g\"\nstart = \"00:00\"\nend = \"01:00\"\nagents = 5\n";
    let summary = simulate("shift", &scenario("23:00", 2, 4, shift));
    // Each day: nobody from 23:00 to midnight, five agents from midnight to 01:00.
    assert_eq!(on_duty(&summary), [0.0, 0.0, 5.0, 5.0, 0.0, 0.0, 5.0, 5.0]);
}

#[test]
fn an_overnight_shift_listed_on_every_day_covers_the_first_morning_as_one_without_days() {
    let night = |days: &str| {
        format!(
            "[[shifts]]\ngroup = \"g\"\nstart = \"22:00\"\nend = \"06:00\"\nagents = 2\n{days}\
             [[shifts]]\ngroup = \"g\"\nstart = \"06:00\"\nend = \"22:00\"\nagents = 3\n"
        )
    };
    let every = simulate("every", &scenario("00:00", 2, 48, &night("")));
    let listed = simulate("listed", &scenario("00:00", 2, 48, &night("days = [1, 2]\n")));
    assert_eq!(on_duty(&every), on_duty(&listed));
    assert_eq!(on_duty(&every)[0], 2.0, "the night shift covers day 1's first half hour");
}

/// As in a week that repeats, the last night's shift is the one that works the first morning:
/// a night shift listed on the last day only covers day 1's early hours, as one worked every
/// day does, and its hours past the end of the scenario are not paid for nothing.
#[test]
fn an_overnight_shift_of_the_last_day_works_the_first_morning() {
    let night = "[[shifts]]\ngroup = \"g\"\nstart = \"22:00\"\nend = \"06:00\"\nagents = 2\ndays = [2]\n\
                 [[shifts]]\ngroup = \"g\"\nstart = \"06:00\"\nend = \"22:00\"\nagents = 3\n";
    let agents = on_duty(&simulate("last-night", &scenario("00:00", 2, 48, night)));
    assert_eq!(agents[0], 2.0, "the last night's shift covers day 1's first half hour: {agents:?}");
    // Day 1's own night, which the shift does not work, has nobody (past the half hour in which
    // the day shift finishes its last calls).
    assert_eq!(agents[45], 0.0, "nobody on day 1 at 22:30: {agents:?}");
    assert_eq!(agents[48 + 45], 2.0, "the shift on day 2 at 22:30: {agents:?}");
}

/// Mean of a per-interval figure of call type "a" in `rows` (`intervals`, or the lines'
/// `intervals`), in interval order.
fn per_interval(rows: &Value, key: &str) -> Vec<f64> {
    rows.as_array()
        .unwrap()
        .iter()
        .filter(|i| i["call_type"] == "a")
        .map(|i| i[key]["mean"].as_f64().unwrap())
        .collect()
}

/// An event or a lines outage from 00:30 on day 1 of a grid from 23:00 happens in the night
/// that began on day 1's evening, as a shift from 00:30 is worked then: not refused as outside
/// the open hours, and not moved onto day 2's night when `days = [2]`.
#[test]
fn events_and_outages_after_midnight_happen_on_the_day_that_began_the_evening_before() {
    let event = "staffing = [4, 4, 4, 4]\n[[events]]\nname = \"spike\"\nstart = \"00:30\"\nlength = \"30m\"\n\
                 volume_factor = 10\ndays = [1]\n";
    let offered = per_interval(&simulate("event", &scenario("23:00", 2, 4, event))["intervals"], "offered");
    assert!(offered[3] > 100.0, "day 1's 00:30 gets the tenfold calls: {offered:?}");
    assert!(offered[7] < 50.0, "day 2's night does not: {offered:?}");
    let outage = "staffing = [40, 40, 40, 40]\n[lines]\ntotal = 100\n[[lines_outages]]\nstart = \"00:30\"\n\
                  end = \"01:00\"\nlines = 0\ndays = [1]\n";
    let summary = simulate("outage", &scenario("23:00", 2, 4, outage));
    let blocked = per_interval(&summary["lines"]["intervals"], "blocked");
    assert!(blocked[3] > 10.0, "day 1's 00:30 has no line: {blocked:?}");
    assert_eq!(blocked[7], 0.0, "day 2's night keeps its lines: {blocked:?}");
}

/// An event's peak queue is looked for until the end of its day, and a day that runs past
/// midnight ends at its last interval, not at midnight: a surge from 23:30 to 00:30 finds the
/// same longest queue as the same surge from 08:30 on a day from 08:00 (the same callers, an
/// instant later by a constant).
#[test]
fn an_events_peak_queue_is_looked_for_past_midnight_until_its_day_ends() {
    let peak = |start: &str, at: &str| {
        let surge = format!(
            "staffing = [4, 4, 4, 4]\n[[events]]\nname = \"surge\"\nstart = \"{at}\"\nlength = \"1h\"\n\
             volume_factor = 6\n"
        );
        let summary = simulate(&format!("peak-{}", &start[..2]), &scenario(start, 2, 4, &surge));
        summary["events"][0]["peak_queue"]["mean"].as_f64().unwrap()
    };
    let (late, early) = (peak("23:00", "23:30"), peak("08:00", "08:30"));
    assert!(early > 10.0, "the surge builds a queue: {early}");
    assert!((late - early).abs() < 1e-9, "from 23:30: {late}; from 08:30: {early}");
}

/// The optimiser places a shift starting after midnight where the simulator works it, on the
/// grid's day that began the evening before: a night whose second half is busy on day 2 gets
/// its agents there. (It placed such a shift a day early, on the calendar's morning, so the
/// plan it wrote left day 1's early hours with no one and day 2's with 2 agents for 12 needed.)
#[test]
fn the_optimiser_places_a_shift_after_midnight_on_the_night_the_simulator_works_it() {
    let dir = empty_dir("midnight", "schedule");
    let file = dir.join("night.toml");
    let quiet = ["5"; 16].join(", ");
    let busy = [["5"; 4].as_slice(), ["80"; 12].as_slice()].concat().join(", ");
    let templates = "[[shift_templates]]\ngroup = \"g\"\nearliest_start = \"00:00\"\nlatest_start = \"00:00\"\n\
                     step = \"1h\"\nlengths = [\"6h\"]\ncost_per_hour = 20.0\n\
                     [[shift_templates]]\ngroup = \"g\"\nearliest_start = \"22:00\"\nlatest_start = \"22:00\"\n\
                     step = \"1h\"\nlengths = [\"4h\"]\ncost_per_hour = 20.0\n";
    let text = format!(
        "name = \"night\"\nstart = \"22:00\"\ninterval = \"30m\"\nintervals_per_day = 16\ndays = 2\n\
         [service_level]\ntarget = \"20s\"\ngoal = 0.8\n[simulation]\nreplications = 2\nseed = 3\n\
         [[call_types]]\nname = \"a\"\nvolumes = [{quiet}, {busy}]\n\
         handle_time = {{ distribution = \"exponential\", mean = \"3m\" }}\n\
         [[agent_groups]]\nname = \"g\"\nskills = [\"a\"]\n{templates}"
    );
    std::fs::write(&file, text).unwrap();
    let out = ccsim()
        .arg("schedule")
        .arg(&file)
        .args(["--method", "erlang-c", "--format", "json", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let intervals = plan["intervals"].as_array().unwrap();
    assert_eq!(intervals.len(), 32);
    let short: Vec<&Value> =
        intervals.iter().filter(|i| i["on_duty"].as_f64() < i["required"].as_f64()).collect();
    assert!(short.is_empty(), "intervals the plan leaves short: {short:?}");
    assert_eq!(plan["uncovered"], serde_json::json!([]), "{}", plan["uncovered"]);
}

/// On nights from 22:00, a template's log-in times may run from 22:00 to 02:00: 02:00 comes
/// after 22:00 in the grid's day, so one template covers the whole night (it was refused as a
/// latest start before the earliest, which needed a second template split at midnight). On a
/// day from 08:00 the same window is still refused as a likely typo.
#[test]
fn a_templates_log_in_times_may_run_on_past_midnight_on_a_grid_of_nights() {
    let dir = empty_dir("midnight", "template-window");
    let text = |start: &str| {
        let volumes = [["5"; 16].as_slice(), ["5"; 8].as_slice(), ["60"; 8].as_slice()].concat().join(", ");
        format!(
            "name = \"night\"\nstart = \"{start}\"\ninterval = \"30m\"\nintervals_per_day = 16\ndays = 2\n\
             [service_level]\ntarget = \"20s\"\ngoal = 0.8\n[simulation]\nreplications = 2\nseed = 3\n\
             [[call_types]]\nname = \"a\"\nvolumes = [{volumes}]\n\
             handle_time = {{ distribution = \"exponential\", mean = \"3m\" }}\n\
             [[agent_groups]]\nname = \"g\"\nskills = [\"a\"]\n\
             [[shift_templates]]\ngroup = \"g\"\nearliest_start = \"22:00\"\nlatest_start = \"02:00\"\n\
             step = \"30m\"\nlengths = [\"4h\"]\ncost_per_hour = 20.0\n"
        )
    };
    let schedule = |name: &str, start: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text(start)).unwrap();
        ccsim()
            .arg("schedule")
            .arg(&file)
            .args(["--method", "erlang-c", "--format", "json", "-q"])
            .output()
            .unwrap()
    };
    let out = schedule("night.toml", "22:00");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let short: Vec<&Value> = (plan["intervals"].as_array().unwrap().iter())
        .filter(|i| i["on_duty"].as_f64() < i["required"].as_f64())
        .collect();
    assert!(short.is_empty(), "intervals the plan leaves short: {short:?}");
    let after_midnight = |s: &&Value| s["start"].as_str().is_some_and(|t| t < "06:00");
    assert!(plan["shifts"].as_array().unwrap().iter().any(|s| after_midnight(&s)), "{}", plan["shifts"]);
    let day = schedule("day.toml", "08:00");
    assert_eq!(day.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&day.stderr);
    assert!(stderr.contains("02:00 is before earliest_start 22:00"), "{stderr}");
}

/// A trace's `day` is the grid's day, as in every table: a call at 00:30 on nights from 23:00 is
/// day 1's (its `timestamp` has the next date), and a two-night run has no day 3.
#[test]
fn a_traces_day_after_midnight_is_the_day_that_began_the_evening_before() {
    let dir = empty_dir("midnight", "trace");
    let (file, trace) = (dir.join("s.toml"), dir.join("trace.csv"));
    std::fs::write(&file, scenario("23:00", 2, 4, "staffing = [4, 4, 4, 4]")).unwrap();
    let out = ccsim().arg("simulate").arg(&file).arg("-q").arg("--trace").arg(&trace).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut after_midnight = 0;
    for row in text.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let (arrival_s, day, clock, timestamp) = (cells[0], cells[1], cells[2], cells[10]);
        // Day 1 runs from 23:00 (82,800 s) to 01:00, day 2 from 23:00 on the next date.
        let expected = if arrival_s.parse::<f64>().unwrap() < 82_800.0 + 86_400.0 { "1" } else { "2" };
        assert_eq!(day, expected, "{row}");
        if clock < "01:00" && day == "1" {
            assert!(timestamp.starts_with("2024-01-02 00:"), "{row}");
            after_midnight += 1;
        }
    }
    assert!(after_midnight > 10, "day 1 has calls after midnight: {after_midnight}");
}

/// The plan the optimiser writes lists its shifts in the order of the grid's day: on nights
/// from 22:00, the shifts from 22:00 come before those from midnight (they were listed by clock
/// time, the night's second half first).
#[test]
fn the_optimisers_plan_lists_a_nights_shifts_from_the_evening_on() {
    let dir = empty_dir("midnight", "plan-order");
    let (file, plan) = (dir.join("night.toml"), dir.join("plan.toml"));
    let volumes = ["20"; 16].join(", ");
    let text = format!(
        "name = \"night\"\nstart = \"22:00\"\ninterval = \"30m\"\nintervals_per_day = 16\ndays = 2\n\
         [service_level]\ntarget = \"20s\"\ngoal = 0.8\n[simulation]\nreplications = 2\nseed = 3\n\
         [[call_types]]\nname = \"a\"\nvolumes = [{volumes}]\n\
         handle_time = {{ distribution = \"exponential\", mean = \"3m\" }}\n\
         [[agent_groups]]\nname = \"g\"\nskills = [\"a\"]\n\
         [[shift_templates]]\ngroup = \"g\"\nearliest_start = \"00:00\"\nlatest_start = \"00:00\"\n\
         step = \"1h\"\nlengths = [\"6h\"]\ncost_per_hour = 20.0\n\
         [[shift_templates]]\ngroup = \"g\"\nearliest_start = \"22:00\"\nlatest_start = \"22:00\"\n\
         step = \"1h\"\nlengths = [\"2h\"]\ncost_per_hour = 20.0\n"
    );
    std::fs::write(&file, text).unwrap();
    let out = ccsim()
        .arg("schedule")
        .arg(&file)
        .args(["--method", "erlang-c", "-q", "--out"])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(&plan).unwrap();
    let starts: Vec<&str> = written.lines().filter(|l| l.starts_with("start = ")).collect();
    assert_eq!(starts, ["start = \"22:00\"", "start = \"00:00\""], "{written}");
}
