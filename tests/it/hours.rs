//! A call type's opening hours (`open`): callers who call back while it is closed reach it at
//! its next opening, exactly; bad hours are errors naming file, line and field; and the
//! staffing search staffs nobody for a call type that is closed.

use std::collections::BTreeMap;
use std::path::Path;

use ccsim::scenario::load_str;
use ccsim::sim::{self, Origin, Outcome, TraceRecord};

use crate::util::{ccsim, empty_dir};

const HOUR: f64 = 3600.0;
const DAY: f64 = 24.0 * HOUR;
/// The redial delay, fixed so that where each redial lands can be computed exactly.
const DELAY: f64 = 3.0 * HOUR;

/// Two days of hourly intervals. "sales" is open 08:00-12:00; "service" has the same calls
/// and no hours. Two agents answer each from 08:00 to 12:00, too few: many callers abandon,
/// and every one calls again three hours later.
fn scenario(sales_open: &str) -> String {
    let day: Vec<String> =
        (0..24).map(|h| if (8..12).contains(&h) { "40" } else { "0" }.to_string()).collect();
    let staff: Vec<String> =
        (0..24).map(|h| if (8..12).contains(&h) { "2" } else { "0" }.to_string()).collect();
    let (day, staff) = (day.join(", "), staff.join(", "));
    let call_type = |name: &str, open: &str| {
        format!(
            "[[call_types]]\nname = \"{name}\"\n{open}\nvolumes = [{day}]\n\
             handle_time = {{ distribution = \"exponential\", mean = \"4m\" }}\n\
             patience = {{ distribution = \"exponential\", mean = \"2m\" }}\n\
             redial = {{ probability = 1.0, delay = {{ distribution = \"deterministic\", mean = \"3h\" }} }}\n"
        )
    };
    format!(
        "name = \"opening hours\"\nstart = \"00:00\"\ninterval = \"1h\"\ndays = 2\n\n\
         [service_level]\ntarget = \"20s\"\ngoal = 0.8\n\n{}\n{}\n\
         [[agent_groups]]\nname = \"sales-desk\"\nskills = [\"sales\"]\nstaffing = [{staff}]\n\n\
         [[agent_groups]]\nname = \"service-desk\"\nskills = [\"service\"]\nstaffing = [{staff}]\n",
        call_type("sales", sales_open),
        call_type("service", "")
    )
}

/// Where a redial due at `due` calls in when its call type is open `hours[d]` (hours of the
/// day, `None` closed) on each day `d` of the run: then, if open; else at the next opening;
/// `None` when no opening is left. Without `hours` it is always open until the run ends.
fn lands(due: f64, days: usize, hours: Option<Week>) -> Option<f64> {
    let day = (due / DAY).floor() as usize;
    if day >= days {
        return None;
    }
    let Some(hours) = hours else { return Some(due) };
    let clock = due - day as f64 * DAY;
    if let Some((from, to)) = hours[day]
        && clock >= from * HOUR
        && clock < to * HOUR
    {
        return Some(due);
    }
    let opens = |d: usize| Some(d as f64 * DAY + hours[d]?.0 * HOUR);
    (day..days).filter_map(opens).find(|&at| at >= due)
}

/// Each day's opening hours (hours of the day; `None`: closed that day).
type Week<'a> = &'a [Option<(f64, f64)>];

/// A redial the trace shows: its call type, when it was due and when it called.
struct Landed {
    call_type: u16,
    due: f64,
    at: f64,
}

/// Checks each caller's contacts in `records`, in order: every abandoned one is followed by its
/// redial where [`lands`] puts it (with `hours[call type]`), or by none when `lands` says no
/// opening is left. Returns the redials that called, and those never offered per call type.
fn redials(records: &[TraceRecord], days: usize, hours: &[Option<Week>]) -> (Vec<Landed>, Vec<u64>) {
    let mut callers: BTreeMap<(u16, u64), Vec<&TraceRecord>> = BTreeMap::new();
    for r in records {
        callers.entry((r.call_type, r.caller)).or_default().push(r);
    }
    let (mut landed, mut lost) = (Vec::new(), vec![0u64; hours.len()]);
    for ((ct, _), contacts) in &mut callers {
        contacts.sort_by(|a, b| a.arrival_s.total_cmp(&b.arrival_s));
        for (k, c) in contacts.iter().enumerate() {
            let next = contacts.get(k + 1);
            if c.outcome != Outcome::Abandoned {
                assert!(next.is_none(), "only an abandoned caller calls again: {c:?}");
                continue;
            }
            let due = c.arrival_s + c.wait_s + DELAY;
            match (lands(due, days, hours[usize::from(*ct)]), next) {
                (Some(at), Some(n)) => {
                    assert_eq!(n.origin, Origin::Redial);
                    assert!((n.arrival_s - at).abs() < 1e-6, "due {due}, expected {at}, got {n:?}");
                    landed.push(Landed { call_type: *ct, due, at });
                }
                (None, None) => lost[usize::from(*ct)] += 1,
                (expected, got) => panic!("due {due}: expected {expected:?}, got {got:?}"),
            }
        }
    }
    (landed, lost)
}

#[test]
fn redials_in_closed_hours_call_at_the_next_opening_or_after_the_last_day_not_at_all() {
    let scenario = load_str(&scenario("open = \"08:00-12:00\""), Path::new("hours.toml")).unwrap().scenario;
    for replication in 0..3 {
        let mut records: Vec<TraceRecord> = Vec::new();
        let mut observer = |r: &TraceRecord| records.push(*r);
        let counts = sim::run(&scenario, 5, replication, &mut observer);
        let sales_hours = [Some((8.0, 12.0)); 2];
        let (landed, lost) = redials(&records, 2, &[Some(&sales_hours), None]);
        let mut deferred = [0usize; 2];
        for l in &landed {
            deferred[usize::from(l.call_type)] += usize::from(l.at > l.due + 1e-6);
        }
        let at_night = (landed.iter()).filter(|l| !(8.0 * HOUR..12.0 * HOUR).contains(&(l.at % DAY))).count();
        // The open call type took redials only in its hours, some of them moved to the next
        // morning; the other one took them whenever they came, at night too.
        assert!(deferred[0] > 10, "redials moved to the next opening: {deferred:?}");
        assert_eq!(deferred[1], 0);
        assert!(at_night > 10, "the call type without hours takes redials at night: {at_night}");
        let sales_at_night = records
            .iter()
            .filter(|r| r.call_type == 0 && !(8.0 * HOUR..12.0 * HOUR).contains(&(r.arrival_s % DAY)));
        assert_eq!(sales_at_night.count(), 0, "sales is offered nothing while closed");
        // Sales redials with no opening left (due on day 2 after 12:00, before the run ends)
        // are counted, not offered. (The run ends at the horizon once nobody is logged in, so
        // the other call type's redials due later are never handled: not compared here.)
        let redial = Origin::Redial as usize;
        assert_eq!(counts.recontacts_after_close[0][redial], lost[0]);
        assert!(lost[0] > 0, "{lost:?}");
        for cell in &counts.cells {
            assert!(sim::balances(cell));
        }
    }
}

/// Three days of hourly intervals from a Friday: sales is open Friday 08:00-12:00 and Sunday
/// 10:00-12:00, closed on Saturday, with two agents in those hours and too many callers, each
/// of whom calls again three hours after abandoning.
fn weekend_scenario(open: &str) -> String {
    weekend_staffed(open, "0")
}

/// [`weekend_scenario`] with `saturday` agents on duty on Saturday 10:00-12:00.
fn weekend_staffed(open: &str, saturday: &str) -> String {
    let day = |from: usize, to: usize, n: &str| -> String {
        (0..24).map(|h| if (from..to).contains(&h) { n } else { "0" }).collect::<Vec<_>>().join(", ")
    };
    let volumes = [day(8, 12, "40"), day(0, 0, "0"), day(10, 12, "40")].join(", ");
    let staff = [day(8, 12, "2"), day(10, 12, saturday), day(10, 12, "2")].join(", ");
    format!(
        "name = \"weekend hours\"\nstart = \"00:00\"\ninterval = \"1h\"\ndays = 3\n\
         first_weekday = \"friday\"\n\n[service_level]\ntarget = \"20s\"\ngoal = 0.8\n\n\
         [[call_types]]\nname = \"sales\"\n{open}\nvolumes = [{volumes}]\n\
         handle_time = {{ distribution = \"exponential\", mean = \"4m\" }}\n\
         patience = {{ distribution = \"exponential\", mean = \"2m\" }}\n\
         redial = {{ probability = 1.0, delay = {{ distribution = \"deterministic\", mean = \"3h\" }} }}\n\n\
         [[agent_groups]]\nname = \"desk\"\nskills = [\"sales\"]\nstaffing = [{staff}]\n"
    )
}

#[test]
fn hours_by_weekday_send_redials_to_the_next_open_day_and_write_back_as_stated() {
    let open = "open = { fri = \"08:00-12:00\", sat = \"closed\", sunday = \"10:00-12:00\" }";
    let scenario = load_str(&weekend_scenario(open), Path::new("weekend.toml")).unwrap().scenario;
    let hours = [Some((8.0, 12.0)), None, Some((10.0, 12.0))];
    let (mut to_sunday, mut lost) = (0usize, 0u64);
    for replication in 0..3 {
        let mut records: Vec<TraceRecord> = Vec::new();
        let mut observer = |r: &TraceRecord| records.push(*r);
        let counts = sim::run(&scenario, 9, replication, &mut observer);
        let (landed, lost_here) = redials(&records, 3, &[Some(&hours)]);
        // Due on Friday afternoon or Saturday, a redial calls on Sunday at 10:00.
        to_sunday += landed.iter().filter(|l| l.due < 2.0 * DAY && l.at >= 2.0 * DAY).count();
        let expected_lost = lost_here[0];
        let on_saturday = records.iter().filter(|r| (DAY..2.0 * DAY).contains(&r.arrival_s)).count();
        assert_eq!(on_saturday, 0, "nothing is offered on the closed Saturday");
        assert_eq!(counts.recontacts_after_close[0][Origin::Redial as usize], expected_lost);
        lost += expected_lost;
        for cell in &counts.cells {
            assert!(sim::balances(cell));
        }
    }
    assert!(to_sunday > 20, "Friday's redials skip Saturday: {to_sunday}");
    assert!(lost > 0, "Sunday's late redials find no opening left");
    // Written back, the hours read as stated (runs of days under one key, closed days left
    // out) and load to the same model.
    let written = ccsim::scenario::to_toml(&scenario);
    assert!(written.contains("open = { fri = \"08:00-12:00\", sun = \"10:00-12:00\" }"), "{written}");
    let again = load_str(&written, Path::new("again.toml")).unwrap().scenario;
    assert_eq!(again.call_types[0].open, scenario.call_types[0].open);
}

/// A week's hours survive a round trip through the trace: `simulate --trace` dates day 1 on
/// the scenario's first weekday, and `ccsim fit` of that trace finds the same weekdays and
/// the same hours by weekday.
#[test]
fn fit_of_a_trace_finds_the_scenarios_weekdays_and_hours_by_weekday() {
    let dir = empty_dir("hours", "fit-trace");
    let open = "open = { fri = \"08:00-12:00\", sun = \"10:00-12:00\" }";
    let file = dir.join("weekend.toml");
    std::fs::write(&file, weekend_scenario(open)).unwrap();
    let trace = dir.join("trace.csv");
    ccsim().args(["simulate", "-q", "-r", "1", "--trace"]).arg(&trace).arg(&file).assert().success();
    let fitted = dir.join("fitted.toml");
    ccsim()
        .arg("fit")
        .arg(&trace)
        .args([
            "--by",
            "date",
            "--column",
            "arrival=timestamp",
            "--column",
            "handle_s=handle_time_s",
            "--out",
        ])
        .arg(&fitted)
        .assert()
        .success();
    let written = std::fs::read_to_string(&fitted).unwrap();
    assert!(written.contains("first_weekday = \"friday\""), "{written}");
    assert!(written.contains("days = 3   # 2024-01-05, 2024-01-06, 2024-01-07"), "{written}");
    assert!(written.contains(open), "{written}");
}

/// Agents on duty while every call type their group takes is closed are paid to wait: validate
/// says where, and says nothing when the call type is open then or has no hours.
#[test]
fn validate_warns_of_agents_on_duty_while_their_call_types_are_closed() {
    let dir = empty_dir("hours", "idle");
    let warnings = |name: &str, text: String| -> String {
        let file = dir.join(format!("{name}.toml"));
        std::fs::write(&file, text).unwrap();
        let out = ccsim().arg("validate").arg(&file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let closed_saturday = "open = { fri = \"08:00-12:00\", sun = \"10:00-12:00\" }";
    let stderr = warnings("idle", weekend_staffed(closed_saturday, "3"));
    assert!(
        stderr.contains(
            "agent_groups.desk: group \"desk\" has agents on duty in 2 interval(s) when every call type it \
             takes is closed: Sat 10:00–12:00"
        ),
        "{stderr}"
    );
    let open_saturday = "open = { fri = \"08:00-12:00\", sat-sun = \"10:00-12:00\" }";
    assert!(!warnings("open", weekend_staffed(open_saturday, "3")).contains("closed"));
    assert!(!warnings("no-hours", weekend_staffed("", "3")).contains("closed"));
}

#[test]
fn the_staffing_search_staffs_nobody_for_a_closed_call_type() {
    let dir = empty_dir("hours", "staff");
    let requirement = |open: &str| -> Vec<(String, u64)> {
        let file = dir.join(format!("{}.toml", if open.is_empty() { "always" } else { "open" }));
        std::fs::write(&file, scenario(open)).unwrap();
        let out = ccsim().args(["staff", "-q", "-r", "10", "--format", "json"]).arg(&file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let group = &report["simulation"]["groups"][0];
        assert_eq!(group["name"], "sales-desk");
        (group["intervals"].as_array().unwrap().iter())
            .map(|i| (format!("{} {}", i["day"], i["start"]), i["agents"].as_u64().unwrap()))
            .collect()
    };
    let closed = |at: &String| {
        let clock = at.split(' ').nth(1).unwrap().trim_matches('"');
        !("08:00".."12:00").contains(&clock)
    };
    let with_hours = requirement("open = \"08:00-12:00\"");
    let outside: Vec<_> = with_hours.iter().filter(|(at, n)| closed(at) && *n > 0).collect();
    assert!(outside.is_empty(), "agents required while sales is closed: {outside:?}");
    assert!(with_hours.iter().any(|(at, n)| !closed(at) && *n > 0));
    // Without the hours, redials after 12:00 find nobody, and the search staffs for them.
    let without = requirement("");
    assert!(without.iter().any(|(at, n)| closed(at) && *n > 0), "{without:?}");
}

/// One bad `open` each: what it is replaced with, the field and what the error says.
const BAD: [(&str, &str, &str); 9] = [
    ("open = \"8 to 12\"", "call_types.sales.open", "expected \"HH:MM-HH:MM\""),
    ("open = \"08:20-12:00\"", "call_types.sales.open", "08:20 is not the start of an interval"),
    ("open = \"08:00-08:00\"", "call_types.sales.open", "opens and closes at 08:00"),
    ("open = \"09:00-12:00\"", "call_types.sales.open", "the volumes forecast 40 contacts at day 1 08:00"),
    ("open = 8", "call_types.sales.open", "a string in quotes"),
    ("open = { mon = \"08:00-12:00\" }", "call_types.sales.open", "need the scenario's `first_weekday`"),
    (
        "open = { mon-fri = \"08:00-12:00\", tue = \"closed\" }",
        "call_types.sales.open.tue",
        "names Tuesday again",
    ),
    (
        "open = { weekdays = \"08:00-12:00\" }",
        "call_types.sales.open.weekdays",
        "\"weekdays\" is not a weekday",
    ),
    ("open = \"closed\"", "call_types.sales.open", "closed every day"),
];

#[test]
fn bad_opening_hours_exit_2_naming_file_line_and_field() {
    let dir = empty_dir("hours", "bad");
    for (i, (open, field, says)) in BAD.iter().enumerate() {
        let text = scenario(open);
        let file = dir.join(format!("case{i}.toml"));
        std::fs::write(&file, &text).unwrap();
        let out = ccsim().arg("validate").arg(&file).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{open}: {stderr}");
        let line = text[..text.find(open).unwrap()].matches('\n').count() + 1;
        let at = format!("{}:{line}:", file.display());
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&at) && l.contains(&format!(": {field}: ")) && l.contains(says)),
            "{open}: no error at {at} naming {field} and saying {says:?}:\n{stderr}"
        );
    }
    // Email has no hours: emails arrive at any hour and wait.
    let text = scenario("open = \"08:00-12:00\"").replacen(
        "name = \"service\"\n",
        "name = \"service\"\nchannel = \"email\"\n",
        1,
    );
    let text = text.replace("patience = { distribution = \"exponential\", mean = \"2m\" }\nredial = { probability = 1.0, delay = { distribution = \"deterministic\", mean = \"3h\" } }\n\n[[agent_groups]]", "\n[[agent_groups]]");
    let text = text.replacen(
        "name = \"service\"\nchannel = \"email\"\n",
        "name = \"service\"\nchannel = \"email\"\nopen = \"08:00-12:00\"\n",
        1,
    );
    let file = dir.join("email.toml");
    std::fs::write(&file, &text).unwrap();
    let out = ccsim().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}\n{text}");
    assert!(stderr.contains("call_types.service.open: an email call type has no opening hours"), "{stderr}");
}
