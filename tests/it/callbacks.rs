//! Callbacks (virtual hold): the balance with callbacks that fail or are still owed at close,
//! `accept = 0` as the run without callbacks, what callbacks change on the same seeds, and
//! scenario-file errors.

use ccsim::callback::{CallbackOffer, Callbacks, CallbacksCountAs};
use ccsim::dist::Dist;
use ccsim::model::{Scenario, StationaryQueue};
use ccsim::replicate::{self, Options, Replication};
use ccsim::sim::{self, NoTrace};
use ccsim::stats::Estimate;
use ccsim::telephony::Telephony;

use crate::util::{ccsim, empty_dir, warnings_of};

/// A center of `agents` agents and `lines` lines, 3-minute exponential calls, callers who hang
/// up after 2 minutes on average, for `hours` hours.
fn center(calls_per_hour: f64, agents: u32, lines: u32, hours: u32) -> Scenario {
    let mut s = Scenario::stationary(&StationaryQueue {
        calls_per_hour,
        handle_time: Dist::exponential(180.0),
        patience: Some(Dist::exponential(120.0)),
        agents,
        target: 20.0,
        hours,
    });
    s.telephony = Telephony { shared_lines: Some(lines), ..Telephony::default() };
    s
}

fn offer(accept: f64, answer: f64, retries: u32, retry_after: f64) -> CallbackOffer {
    CallbackOffer { offer_when_wait_over: 20.0, accept, answer, retries, retry_after, dial_time: 20.0 }
}

fn with_callbacks(s: &Scenario, offer: CallbackOffer) -> Scenario {
    let mut s = s.clone();
    s.callbacks = Callbacks { offers: vec![Some(offer)], count_as: CallbacksCountAs::Excluded };
    s
}

fn replications(scenario: &Scenario, replications: u32) -> Vec<Replication> {
    let options = Options { replications, seed: 11, threads: None };
    replicate::run(scenario, &options, &|| {}).unwrap()
}

#[test]
fn every_replication_balances_with_failed_callbacks_and_callbacks_owed_at_close() {
    // Half the call backs miss; a missed customer is tried again 3 hours later, after the
    // 4-hour day has ended for many of them: some fail, some are still owed at close.
    let s = with_callbacks(&center(440.0, 20, 30, 4), offer(0.9, 0.5, 1, 3.0 * 3600.0));
    let (mut failed, mut completed, mut unanswered) = (0, 0, 0);
    for r in 0..20 {
        let counts = sim::run(&s, 3, r, &mut NoTrace);
        sim::check_balance(&s, r, &counts).unwrap();
        let all = counts.overall();
        failed += all.callbacks.failed;
        completed += all.callbacks.completed;
        unanswered += all.unanswered_at_close;
        assert!(all.callbacks.completed + all.callbacks.failed <= all.callbacks.accepted, "{all:?}");
    }
    assert!(failed > 0 && completed > 0 && unanswered > 0, "{failed} failed, {completed} completed");
    assert!(replications(&s, 8).iter().all(|r| r.balanced));
}

#[test]
fn accepting_no_callback_is_the_run_without_callbacks() {
    // In the engine: every cell the same, but for the callbacks offered (and declined).
    let plain = center(380.0, 20, 30, 8);
    let declined = with_callbacks(&plain, offer(0.0, 0.9, 2, 600.0));
    for r in 0..4 {
        let (a, mut b) = (sim::run(&plain, 5, r, &mut NoTrace), sim::run(&declined, 5, r, &mut NoTrace));
        assert!(b.overall().callbacks.offered > 0, "callbacks were offered");
        for cell in &mut b.cells {
            cell.callbacks.offered = 0;
        }
        assert_eq!(a, b);
    }
    // Through the command line, on the shipped scenario: the same bytes but for the callbacks
    // object of the JSON.
    let dir = empty_dir("callbacks", "accept-zero");
    let shipped = std::fs::read_to_string("scenarios/telco-lines.toml").unwrap();
    let line = shipped.lines().find(|l| l.starts_with("callback = ")).expect("telco-lines offers callbacks");
    let without = dir.join("without.toml");
    std::fs::write(&without, shipped.replace(line, "")).unwrap();
    let zero = dir.join("zero.toml");
    std::fs::write(&zero, shipped.replace("accept = 0.6", "accept = 0")).unwrap();
    let out = |file: &std::path::Path, format: &str| {
        let args = ["simulate", file.to_str().unwrap(), "-q", "-r", "4", "--format", format];
        ccsim().args(args).assert().success().get_output().stdout.clone()
    };
    // The CSV of the run with callbacks has their columns besides (all offered, none
    // accepted); without them, the same bytes.
    let zero_csv = String::from_utf8(out(&zero, "csv")).unwrap();
    let header: Vec<&str> = zero_csv.lines().next().unwrap().split(',').collect();
    let kept: Vec<usize> = (0..header.len()).filter(|&i| !header[i].starts_with("callback")).collect();
    assert!(kept.len() < header.len(), "no callback columns in {header:?}");
    let stripped: String = zero_csv
        .lines()
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            kept.iter().map(|&i| cells[i]).collect::<Vec<_>>().join(",") + "\n"
        })
        .collect();
    assert_eq!(String::from_utf8(out(&without, "csv")).unwrap(), stripped);
    let mut json: serde_json::Value = serde_json::from_slice(&out(&zero, "json")).unwrap();
    let callbacks = json.as_object_mut().unwrap().remove("callbacks").expect("a callbacks object");
    assert!(callbacks["overall"]["callbacks_offered"]["mean"].as_f64().unwrap() > 0.0);
    assert_eq!(callbacks["overall"]["callbacks_accepted"]["mean"], 0.0);
    let plain: serde_json::Value = serde_json::from_slice(&out(&without, "json")).unwrap();
    assert_eq!(serde_json::to_string(&plain).unwrap(), serde_json::to_string(&json).unwrap());
}

#[test]
fn callbacks_lower_line_occupancy_and_abandonment_and_raise_the_service_level_of_callers_who_hold() {
    // 17 Erlangs on 20 agents and 26 lines, callbacks offered over a 20 s expected wait: the
    // same callers (seeds) with and without, compared replication by replication.
    let plain = center(340.0, 20, 26, 8);
    let offered = with_callbacks(&plain, offer(0.8, 0.9, 1, 300.0));
    let (a, b) = (replications(&plain, 40), replications(&offered, 40));
    let accepted: f64 = b.iter().map(|r| r.callbacks.as_ref().unwrap().overall().callbacks_accepted).sum();
    assert!(accepted > 1000.0, "{accepted} callbacks accepted");
    let paired = |f: &dyn Fn(&Replication) -> f64| {
        let diffs: Vec<f64> = a.iter().zip(&b).map(|(x, y)| f(y) - f(x)).collect();
        Estimate::with_confidence(&diffs, 0.99)
    };
    let occupancy = paired(&|r| r.lines.as_ref().unwrap().line_occupancy());
    let abandon = paired(&|r| r.overall.stats.abandon_rate);
    let service_level = paired(&|r| r.overall.stats.service_level);
    eprintln!(
        "with - without (99%): line occupancy {occupancy:?}, abandon rate {abandon:?}, SL {service_level:?}"
    );
    assert!(occupancy.high() < 0.0, "line occupancy did not fall: {occupancy:?}");
    assert!(abandon.high() < 0.0, "abandonment did not fall: {abandon:?}");
    assert!(
        service_level.low() > 0.0,
        "the service level of callers who hold did not rise: {service_level:?}"
    );
}

#[test]
fn answered_in_time_counts_each_reached_callback_customer_as_answered_within_the_target() {
    let plain = center(340.0, 20, 26, 8);
    let excluded = with_callbacks(&plain, offer(0.8, 0.9, 1, 300.0));
    let mut in_time = excluded.clone();
    in_time.callbacks.count_as = CallbacksCountAs::AnsweredInTime;
    let (e, t) = (replications(&excluded, 4), replications(&in_time, 4));
    for (e, t) in e.iter().zip(&t) {
        // The same run; only the service level's rule differs.
        assert_eq!(e.overall.stats.answered, t.overall.stats.answered);
        assert_eq!(e.overall.stats.asa_s, t.overall.stats.asa_s);
        let cb = t.callbacks.as_ref().unwrap().overall();
        let offered = t.overall.stats.offered;
        // Reached callback customers count in time: held callers in time + completed callbacks.
        let held_in_time = e.overall.stats.service_level * (offered - cb.callbacks_accepted);
        let expected = (held_in_time + cb.callbacks_completed) / offered;
        assert!(
            (t.overall.stats.service_level - expected).abs() < 1e-9,
            "{} vs {expected}",
            t.overall.stats.service_level
        );
    }
}

/// A scenario with a callback sub-table whose `key` line is `bad`.
fn bad_file(dir: &std::path::Path, key: &str, bad: &str) -> std::path::PathBuf {
    let good = [
        ("offer_when_wait_over", "offer_when_wait_over = \"1m\""),
        ("accept", "accept = 0.6"),
        ("answer", "answer = 0.9"),
        ("retries", "retries = 2"),
        ("retry_after", "retry_after = \"10m\""),
        ("dial_time", "dial_time = \"20s\""),
    ];
    let callback: Vec<&str> = good.iter().map(|&(k, line)| if k == key { bad } else { line }).collect();
    let text = format!(
        "start = \"08:00\"\ninterval = \"1h\"\n[service_level]\ntarget = \"20s\"\ngoal = 0.8\n\
         [[call_types]]\nname = \"calls\"\nvolumes = [10]\n\
         handle_time = {{ distribution = \"exponential\", mean = \"2m\" }}\n\
         [call_types.callback]\n{}\n\
         [[agent_groups]]\nname = \"agents\"\nskills = [\"calls\"]\nstaffing = [2]\n",
        callback.join("\n")
    );
    let file = dir.join(format!("{key}.toml"));
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn rejects_each_bad_callback_key_with_its_line_and_exit_code_2() {
    let dir = empty_dir("callbacks", "bad");
    // (key, bad line, what the message says); the callback table's keys start on line 11.
    let cases = [
        ("offer_when_wait_over", "offer_when_wait_over = -60", "is negative"),
        ("accept", "accept = 1.5", "must be a probability in [0, 1], got 1.5"),
        ("accept", "accept = -0.1", "must be a probability in [0, 1], got -0.1"),
        ("answer", "answer = 2", "must be a probability in [0, 1], got 2"),
        ("retries", "retries = 21", "more than the cap of 20 retries (MAX_CALLBACK_RETRIES)"),
        ("retries", "retries = -1", "a whole number of 0 or more"),
        ("retry_after", "retry_after = -600", "is negative"),
        ("dial_time", "dial_time = \"-20s\"", "is negative"),
        ("dial_time", "dial_time = \"721h\"", "more than the cap"),
    ];
    let lines = ["offer_when_wait_over", "accept", "answer", "retries", "retry_after", "dial_time"];
    for (key, bad, message) in cases {
        let file = bad_file(&dir, key, bad);
        let out_dir = dir.join(format!("{key}-out"));
        let output = ccsim()
            .args(["simulate", file.to_str().unwrap(), "-q", "--out", out_dir.to_str().unwrap()])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line = 11 + lines.iter().position(|k| *k == key).unwrap();
        let place = format!("{key}.toml:{line}:");
        let field = format!("call_types.calls.callback.{key}");
        assert!(
            stderr.contains(&place) && stderr.contains(&field) && stderr.contains(message),
            "{bad}: {stderr}"
        );
        assert!(!out_dir.exists(), "{bad}: no output is written");
    }
    // A rule for counting callback customers that does not exist, with the closest one.
    let file = bad_file(&dir, "none", "");
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("goal = 0.8", "goal = 0.8\ncallbacks_count_as = \"answered\"");
    std::fs::write(&file, text).unwrap();
    let output =
        ccsim().args(["simulate", file.to_str().unwrap(), "-q"]).assert().code(2).get_output().clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("none.toml:6:")
            && stderr.contains("service_level.callbacks_count_as")
            && stderr.contains("answered_in_time"),
        "{stderr}"
    );
}

/// The table's service-level definition says how callback customers count, by the rule the
/// scenario chose, and says nothing of callbacks where no call type offers them.
#[test]
fn the_table_says_how_callback_customers_count_in_the_service_level() {
    let dir = empty_dir("callbacks", "definition");
    let shipped = std::fs::read_to_string("scenarios/telco-lines.toml").unwrap();
    let table = |text: &str, name: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let out = ccsim().args(["simulate", "-q", "-r", "2"]).arg(&file).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().replace("\n  ", " ")
    };
    let excluded = table(&shipped, "excluded.toml");
    assert!(excluded.contains("callback customers left out of both"), "{excluded}");
    let in_time =
        shipped.replace("callbacks_count_as = \"excluded\"", "callbacks_count_as = \"answered_in_time\"");
    assert_ne!(in_time, shipped, "the shipped file sets callbacks_count_as");
    let in_time = table(&in_time, "in-time.toml");
    assert!(in_time.contains("a callback customer reached counts as answered within target"), "{in_time}");
    let without: String =
        shipped.lines().filter(|l| !l.starts_with("callback = ")).map(|l| format!("{l}\n")).collect();
    let without = table(&without, "without.toml");
    assert!(!without.contains("callback customer"), "{without}");
}

/// A callback customer still waiting when no agent remains counts in `unanswered_at_close`
/// and in no callback key, so per interval the accepted callbacks are the completed, the
/// failed and some of the unanswered at close, as the docs say: on `telco-lines.toml` the
/// 17:30 interval's accepted callbacks outnumber the completed and failed together.
#[test]
fn accepted_callbacks_not_completed_or_failed_are_unanswered_at_close() {
    let run = crate::util::ccsim()
        .args(["simulate", "scenarios/telco-lines.toml", "-q", "--format", "json"])
        .assert()
        .success();
    let json = crate::util::stdout_json(&run);
    let mean = |v: &serde_json::Value, key: &str| v[key]["mean"].as_f64().unwrap();
    let callbacks = json["callbacks"]["interval_totals"].as_array().unwrap();
    let totals = json["interval_totals"].as_array().unwrap();
    let mut left_at_close = 0.0;
    for (cb, all) in callbacks.iter().zip(totals) {
        assert_eq!((&cb["day"], &cb["start"]), (&all["day"], &all["start"]));
        let waiting =
            mean(cb, "callbacks_accepted") - mean(cb, "callbacks_completed") - mean(cb, "callbacks_failed");
        let at_close = mean(all, "unanswered_at_close");
        // Means over the same replications: sums of whole contacts over one count.
        assert!(waiting > -1e-9 && waiting <= at_close + 1e-9, "{}: {waiting} {at_close}", cb["start"]);
        left_at_close += waiting;
    }
    assert!(left_at_close > 0.0, "no callback customer was left at close: the check proves nothing");
    for doc in ["docs/callbacks.md", "docs/lines-and-callbacks.md"] {
        let text = std::fs::read_to_string(doc).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
        let rule = "`callbacks_accepted` = `callbacks_completed` + `callbacks_failed` + the callback customers \
                    unanswered at close";
        assert!(text.contains(rule), "{doc} does not say how accepted callbacks end");
    }
}

/// One contact of a trace, as the tests of call backs read it.
struct Contact {
    arrival: f64,
    /// When its wait ended: answered, or its last call back failed.
    end: f64,
    call_type: String,
    origin: String,
    outcome: String,
}

/// The trace of one replication (seed `seed`) of a center with one agent, skilled in `skills`
/// and on shift from 08:00 to `shift_end`, taking the calls of `call_types` (TOML
/// `[[call_types]]` tables) in hourly intervals from 08:00.
fn one_agent_trace(test: &str, seed: u64, call_types: &str, skills: &str, shift_end: &str) -> Vec<Contact> {
    let dir = empty_dir("callbacks", test);
    let scenario = dir.join("one-agent.toml");
    let text = format!(
        r#"name = "one agent, callbacks that miss"
start = "08:00"
interval = "1h"

[service_level]
target = "20s"
goal = 0.8

[simulation]
replications = 1
seed = {seed}
{call_types}
[[agent_groups]]
name = "a"
skills = {skills}

[[shifts]]
group = "a"
start = "08:00"
end = "{shift_end}"
agents = 1
"#
    );
    std::fs::write(&scenario, text).unwrap();
    let trace = dir.join("trace.csv");
    ccsim().arg("simulate").arg(&scenario).arg("--trace").arg(&trace).arg("-q").assert().success();
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (arrival, call_type, origin, wait, outcome) =
        (col("arrival_s"), col("call_type"), col("origin"), col("wait_s"), col("outcome"));
    lines
        .map(|line| {
            let row: Vec<&str> = line.split(',').collect();
            let secs = |i: usize| row[i].parse::<f64>().unwrap();
            Contact {
                arrival: secs(arrival),
                end: secs(arrival) + secs(wait),
                call_type: row[call_type].to_string(),
                origin: row[origin].to_string(),
                outcome: row[outcome].to_string(),
            }
        })
        .collect()
}

/// A missed callback customer due another attempt while every agent is busy rejoins the front
/// of its queue (it already waited its turn once), and a customer whose attempts all missed
/// ends `callback_failed` and does not redial. One agent is on a 1-hour call while ten callers
/// accept a callback; every call back misses (`answer = 0`), with one retry 1 s later. From the
/// instant `T` the agent is free it dials the first customer (miss at T+30 s), then the second;
/// the first, due again at T+31 s, is ahead of the eight never dialed, so it is dialed at
/// T+60 s and fails at T+90 s. At the back of the queue it would fail only after every
/// other customer's first attempt, at T+330 s.
#[test]
fn a_missed_callback_customer_rejoins_the_front_and_one_that_fails_does_not_redial() {
    let contacts = one_agent_trace(
        "rejoin-front",
        7,
        r#"
[[call_types]]
name = "v"
volumes = [8, 0, 0, 0]
handle_time = { distribution = "deterministic", mean = "1h" }
patience = { distribution = "deterministic", mean = "10h" }
redial = { probability = 1.0, delay = { distribution = "deterministic", mean = "1m" } }
callback = { offer_when_wait_over = "0s", accept = 1.0, answer = 0.0, retries = 1, retry_after = "1s", dial_time = "30s" }
"#,
        r#"["v"]"#,
        "12:00",
    );
    let answered: Vec<&Contact> = contacts.iter().filter(|c| c.outcome == "answered").collect();
    assert_eq!(answered.len(), 1, "one caller is answered, at once");
    let free = answered[0].end + 3600.0;
    let mut failed: Vec<&Contact> = contacts.iter().filter(|c| c.outcome == "callback_failed").collect();
    assert!(failed.len() >= 5, "too few callback customers to tell front from back: {}", failed.len());
    failed.sort_by(|a, b| a.end.total_cmp(&b.end));
    assert!(
        (failed[0].end - free - 90.0).abs() < 0.01,
        "first failure {} s after the agent is free",
        failed[0].end - free
    );
    assert!((failed[1].end - free - 120.0).abs() < 0.01, "second failure {} s after", failed[1].end - free);
    let first_caller = failed.iter().map(|f| f.arrival).fold(f64::INFINITY, f64::min);
    assert_eq!(failed[0].arrival, first_caller, "the first customer in the queue is the first to fail");
    assert!(contacts.iter().all(|c| c.origin == "fresh"), "a failed callback customer redialed");
}

/// Customers who rejoin the front while an agent is busy are dialed in the order their retries
/// fell due, not the last first. One agent works a queue of callback customers whose call backs
/// all miss (one retry, 1 s later) and, between dials, takes callers of a second call type of
/// higher priority. A customer missed just before the agent takes such a caller rejoins while the
/// one missed before it still waits, so two rejoiners wait together at every such break. The
/// customers are first dialed in the order they arrived (each keeps its place), so first come,
/// first served among rejoiners makes them fail in that order too; the last rejoiner first would
/// swap the two around each break (on this seed, four times).
#[test]
fn customers_who_rejoin_the_front_together_are_dialed_first_come_first_served() {
    let contacts = one_agent_trace(
        "rejoin-order",
        2,
        r#"
[[call_types]]
name = "v"
volumes = [60, 0, 0, 0, 0, 0, 0, 0]
handle_time = { distribution = "deterministic", mean = "1h" }
patience = { distribution = "deterministic", mean = "20h" }
callback = { offer_when_wait_over = "0s", accept = 1.0, answer = 0.0, retries = 1, retry_after = "1s", dial_time = "30s" }

[[call_types]]
name = "b"
priority = 1
volumes = [0, 10, 10, 10, 0, 0, 0, 0]
handle_time = { distribution = "deterministic", mean = "2m" }
patience = { distribution = "deterministic", mean = "20h" }
"#,
        r#"["v", "b"]"#,
        "16:00",
    );
    let breaks = contacts.iter().filter(|c| c.call_type == "b" && c.outcome == "answered").count();
    assert!(breaks >= 20, "too few higher-priority calls between the dials: {breaks}");
    let mut failed: Vec<&Contact> = contacts.iter().filter(|c| c.outcome == "callback_failed").collect();
    assert!(failed.len() >= 40, "too few callback customers: {}", failed.len());
    failed.sort_by(|a, b| a.end.total_cmp(&b.end));
    let swapped: Vec<(f64, f64)> = failed
        .windows(2)
        .filter(|w| w[1].arrival < w[0].arrival)
        .map(|w| (w[0].arrival, w[1].arrival))
        .collect();
    assert!(swapped.is_empty(), "a rejoiner failed before one that arrived earlier (arrivals): {swapped:?}");
}

/// With no agent on duty the expected wait is infinite: every caller who arrives then is
/// offered a callback, even under the longest threshold allowed (30 days), under which no
/// caller arriving with agents on duty ever is.
#[test]
fn a_caller_arriving_with_no_agent_on_duty_is_always_offered_a_callback() {
    let text = r#"
name = "Nobody on duty at first"
start = "08:00"
interval = "30m"
[service_level]
target = "20s"
goal = 0.8
[[call_types]]
name = "a"
volumes = [30, 30, 30]
handle_time = { distribution = "exponential", mean = "3m" }
patience = { distribution = "exponential", mean = "2m" }
callback = { offer_when_wait_over = "30d", accept = 0.5, answer = 1.0, retries = 0, retry_after = "1m", dial_time = "10s" }
[[agent_groups]]
name = "desk"
skills = ["a"]
staffing = [0, 3, 3]
"#;
    let scenario = ccsim::scenario::load_str(text, std::path::Path::new("nobody.toml"))
        .unwrap_or_else(|e| panic!("{e:?}"))
        .scenario;
    for r in 0..5 {
        let counts = sim::run(&scenario, 5, r, &mut NoTrace);
        sim::check_balance(&scenario, r, &counts).unwrap();
        let first = counts.cell(0, 0);
        assert!(first.offered_total() > 10, "{first:?}");
        assert_eq!(first.callbacks.offered, first.offered_total(), "{first:?}");
        assert!(
            first.callbacks.accepted > 0 && first.callbacks.accepted < first.callbacks.offered,
            "{first:?}"
        );
        for idx in 1..3 {
            let cell = counts.cell(idx, 0);
            assert!(cell.queued > 0, "some callers of {idx} wait: {cell:?}");
            assert_eq!(cell.callbacks.offered, 0, "{cell:?}");
        }
    }
}

/// A `retry_after` written as a plain number is seconds: `retry_after = 10`, meant as ten
/// minutes, calls a missed customer again 10 s later. Validation says how it was read and what
/// to write; with a unit, a minute or more, or no retries (it is never used), it says nothing.
#[test]
fn a_plain_number_retry_after_too_short_to_be_meant_is_warned_about() {
    let dir = empty_dir("callbacks", "plain-retry-after");
    let shipped = std::fs::read_to_string("scenarios/telco-lines.toml").unwrap();
    let check = |retry: &str| {
        let file = dir.join("s.toml");
        std::fs::write(&file, shipped.replace("retries = 2, retry_after = \"10m\"", retry)).unwrap();
        warnings_of(ccsim().arg("validate").arg(&file))
    };
    let warned = check("retries = 2, retry_after = 10");
    assert!(
        warned.contains("callback.retry_after: 10 is read as 10 s") && warned.contains("write \"10m\""),
        "{warned}"
    );
    for quiet in [
        "retries = 2, retry_after = \"10s\"",
        "retries = 2, retry_after = 600",
        "retries = 0, retry_after = 10",
    ] {
        assert!(!check(quiet).contains("retry_after"), "{quiet}: {}", check(quiet));
    }
}
