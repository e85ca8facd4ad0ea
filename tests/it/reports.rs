//! The HTML reports of simulate, staff, schedule and compare: HTML5 without a parse error
//! (html5ever, the parser browsers' engines are modelled on), nothing fetched from elsewhere, a
//! header that says what was run and when (SOURCE_DATE_EPOCH makes the file reproducible), and
//! the goals and intervals below goal a meeting asks about first.

use std::path::Path;

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, RcDom};

use crate::util::{BANK_COMPARISON, ccsim, empty_dir, refusal_of, stdout_text};

/// 2026-12-03 18:52 UTC.
const EPOCH: &str = "1796323920";

fn report(dir: &Path, name: &str, args: &[&str]) -> String {
    let path = dir.join(name);
    ccsim().env("SOURCE_DATE_EPOCH", EPOCH).args(args).arg("--report").arg(&path).assert().success();
    std::fs::read_to_string(path).unwrap()
}

/// HTML5 parse errors of a document (empty: it parses cleanly).
fn parse_errors(html: &str) -> Vec<String> {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    dom.errors.borrow().iter().map(|e| e.to_string()).collect()
}

fn assert_self_contained(html: &str, who: &str) {
    let n_svg = html.matches("<svg").count();
    let rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for forbidden in ["http://", "https://", "<script", "<link", "@import", "url(", "src="] {
        assert!(!rest.contains(forbidden), "{who} contains {forbidden}");
    }
    assert!(n_svg >= 1, "{who} has no chart");
}

#[test]
fn the_parse_check_can_fail() {
    assert!(!parse_errors("<!DOCTYPE html><html><body><p>a</b></p></body></html>").is_empty());
    assert!(!parse_errors("<html><body></body></html>").is_empty(), "a missing doctype is an error");
    assert!(
        parse_errors("<!DOCTYPE html><html><head><title>t</title></head><body><p>a</p></body></html>")
            .is_empty()
    );
}

#[test]
fn every_report_is_html5_self_contained_and_headed_with_the_run() {
    let dir = empty_dir("reports", "all");
    let cases = [
        ("simulate-week.html", vec!["simulate", "scenarios/retail-bank-week.toml", "-q", "-r", "2"]),
        ("simulate-day.html", vec!["simulate", "scenarios/retail-bank.toml", "-q", "-r", "2"]),
        ("staff.html", vec!["staff", "scenarios/retail-bank-week.toml", "-q", "--method", "erlang-a"]),
        (
            "schedule.html",
            vec!["schedule", "scenarios/retail-bank.toml", "-q", "-r", "2", "--method", "erlang-c"],
        ),
        ("compare.html", [&BANK_COMPARISON[..], &["-q", "-r", "2"]].concat()),
    ];
    for (name, args) in cases {
        let html = report(&dir, name, &args);
        let errors = parse_errors(&html);
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert_self_contained(&html, name);
        for field in
            ["Scenario file", "ccsim version", "Seed", "Replications", "Run date", "2026-12-03 18:52 UTC"]
        {
            assert!(html.contains(field), "{name}: no {field}");
        }
        assert!(html.contains(args[1]), "{name}: scenario file not named");
        assert!(html.contains("@media print") && html.contains("position: sticky"), "{name}");
        assert!(html.contains("<figcaption>") && !html.contains("<figcaption>wait_distribution"), "{name}");
    }
}

#[test]
fn the_simulation_report_flags_every_goal_and_counts_intervals_below_goal() {
    let dir = empty_dir("reports", "goals");
    let html = report(&dir, "week.html", &["simulate", "scenarios/retail-bank-week.toml", "-q", "-r", "2"]);
    let summary: ccsim::summary::Summary = serde_json::from_str(
        &String::from_utf8(
            ccsim()
                .args(["simulate", "scenarios/retail-bank-week.toml", "-q", "-r", "2", "--format", "json"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap(),
    )
    .unwrap();
    // One channel, three call types: each call type in each interval is judged against the
    // goal, as the terminal table and the staffing search judge them.
    let goal = summary.service_level.goal;
    let cells = summary.intervals.iter().filter(|i| i.stats.service_level.mean.is_finite());
    let with_calls = cells.clone().count();
    let below = cells.filter(|i| i.stats.service_level.mean < goal).count();
    let pooled = summary.interval_totals.iter().filter(|t| t.stats.service_level.mean < goal).count();
    assert!(below > pooled, "a call type below the goal in an interval that meets it pooled");
    assert!(html.contains(&format!("{below} of {with_calls}")), "count of intervals below goal missing");
    assert!(html.contains(&format!("Intervals below the service-level goal ({below})")));
    assert!(html.contains("<th>Call type</th>"), "the intervals below goal name their call type");
    let table = String::from_utf8(
        ccsim()
            .args(["simulate", "scenarios/retail-bank-week.toml", "-q", "-r", "2"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        table.contains(&format!(
            "Intervals below the goal (per call type): {below} of {with_calls} with calls."
        )),
        "the terminal table counts otherwise than the report"
    );
    // retail-bank-week sets asa_goal, max_abandon and max_occupancy: each gets a verdict.
    for goal in ["Average speed of answer", "Abandonment", "Occupancy"] {
        assert!(html.contains(&format!("<tr><td>{goal}</td>")), "goal {goal} not shown");
    }
    assert_eq!(html.matches("class=\"met\"").count() + html.matches("class=\"missed\"").count(), 5);
    // Grouped by day, with weekday names, and a per-day summary.
    assert!(html.contains("<tr class=\"day\"><th colspan=\"10\">Mon (day 1)</th></tr>"));
    assert!(html.contains("id=\"by-day\"") && html.contains("<td>Sat (day 6)</td>"));
    // Definitions only of what is shown.
    assert!(!html.contains("Wait p99"), "a definition of a metric the report never shows");
}

/// With several channels each is judged against its own goal, and the report counts the
/// intervals below goal as the terminal table does: per call type, each against its
/// channel's goal.
#[test]
fn with_several_channels_the_report_judges_each_against_its_own_goal() {
    let dir = empty_dir("reports", "channels-goals");
    let args = ["simulate", "scenarios/omnichannel.toml", "-q", "-r", "2"];
    let html = report(&dir, "omni.html", &args);
    for row in [
        "Service level, voice</td><td>at least 80% of offered contacts answered within 20s",
        "Service level, chat</td><td>at least 80% of offered contacts answered within 1m",
        "Service level, email</td><td>at least 90% of offered contacts answered within 12h",
    ] {
        assert!(html.contains(row), "no row {row:?}");
    }
    let table = String::from_utf8(ccsim().args(args).output().unwrap().stdout).unwrap();
    // The sentence, with the lines it wraps onto (indented by two spaces) joined back.
    let mut lines = table
        .lines()
        .skip_while(|l| !l.starts_with("Intervals below the goal (per call type, each channel's own): "));
    let first = lines.next().unwrap().to_string();
    let line = lines.take_while(|l| l.starts_with("  ")).fold(first, |acc, l| acc + " " + l.trim());
    let line = line.as_str();
    let count = line.split(" with contacts").next().unwrap().rsplit(": ").next().unwrap();
    assert!(count.contains(" of ") && !count.starts_with("none"), "{line}");
    assert!(
        html.contains(&format!(
            "each channel&#39;s own)</td><td>0 (every interval at or above its channel&#39;s goal)</td>\
             <td class=\"num\">{count}</td>"
        )),
        "the report does not count {count} as the table does"
    );
    // The intervals below goal are listed with their call type.
    assert!(html.contains("<th>Call type</th>"));
    // Cells with contacts but no service level (Friday's evening emails, still waiting at the
    // end and not yet due) are not counted as judged, and both outputs say how many there are.
    let json: serde_json::Value =
        serde_json::from_slice(&ccsim().args(args).args(["--format", "json"]).output().unwrap().stdout)
            .unwrap();
    let unjudged = json["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["offered"]["mean"].as_f64().unwrap() > 0.0 && i["service_level"]["mean"].is_null())
        .count();
    assert!(unjudged > 0, "omnichannel has emails not yet due at the end");
    let note = format!(
        " with contacts (and {unjudged} more with contacts, none of them counted by a service level)"
    );
    assert!(line.contains(&note), "{line}");
    let sentence = format!("{unjudged} more had contacts, none of them counted by a service level.");
    assert!(html.contains(&sentence), "the report's headline does not name the {unjudged} cells");
}

#[test]
fn a_report_made_twice_at_the_same_source_date_epoch_is_byte_identical() {
    let dir = empty_dir("reports", "twice");
    let args = ["simulate", "scenarios/single-queue.toml", "-q", "-r", "2"];
    assert_eq!(report(&dir, "a.html", &args), report(&dir, "b.html", &args));
}

/// The `simulate --format json` summary of `args` (a `simulate` command line).
fn summary_of(args: &[&str]) -> ccsim::summary::Summary {
    let out = ccsim().args(args).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{args:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_simulation_report_shows_channels_and_callbacks_only_when_the_scenario_has_them() {
    use ccsim::report::percent_estimate;
    let dir = empty_dir("reports", "extras");
    for (name, scenario) in [
        ("omnichannel", "scenarios/omnichannel.toml"),
        ("telco", "scenarios/telco-lines.toml"),
        ("bank", "scenarios/retail-bank.toml"),
    ] {
        let args = ["simulate", scenario, "-q", "-r", "2"];
        let html = report(&dir, &format!("{name}.html"), &args);
        let errors = parse_errors(&html);
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let s = summary_of(&args);
        let has_channels = s.channels.iter().any(|c| c.name != ccsim::model::Channel::Voice);
        assert_eq!(html.contains("id=\"channels\""), has_channels, "{name}: channels section");
        assert_eq!(html.contains("id=\"email-backlog\""), !s.backlog.is_empty(), "{name}: backlog section");
        assert_eq!(html.contains("id=\"callbacks\""), s.callbacks.is_some(), "{name}: callbacks section");
        if has_channels {
            // Each channel's service level, as the JSON has it, against its own goal; units in
            // the headers; the definitions listed.
            for c in &s.channels {
                let sl = percent_estimate(&c.stats.service_level);
                assert!(
                    html.contains(&format!("<td class=\"num\">{sl}</td>")),
                    "{name}: {:?} SL {sl}",
                    c.name
                );
            }
            assert!(html.contains("Service level (%)") && html.contains("ASA (s)"), "{name}");
        }
        for b in &s.backlog {
            for d in &b.days {
                let open = ccsim::report::count_estimate(&d.stats.backlog_end);
                assert!(
                    html.contains(&format!("<td class=\"num\">{open}</td>")),
                    "{name}: day {} {open}",
                    d.day
                );
            }
            for def in ccsim::metrics::BACKLOG_DEFINITIONS {
                let text = def.definition.replace('\'', "&#39;");
                assert!(html.contains(&format!("<dd>{text}")), "{name}: {}", def.key);
            }
            assert!(html.contains("Oldest open (h)"), "{name}");
        }
        if let Some(cb) = &s.callbacks {
            let completed = ccsim::report::nonnegative_estimate(&cb.overall.callbacks_completed, 1);
            assert!(html.contains(&format!("<td class=\"num\">{completed}</td>")), "{name}: {completed}");
            for def in ccsim::metrics::CALLBACK_DEFINITIONS {
                assert!(html.contains(&format!("{} ({})</th>", def.label, def.unit)), "{name}: {}", def.key);
                assert!(
                    html.contains(&format!("<dt>{} ({})</dt>", def.label, def.unit)),
                    "{name}: {}",
                    def.key
                );
            }
        }
    }
}

/// A `SOURCE_DATE_EPOCH` that is not whole seconds a four-digit year can show is refused before
/// the run, rather than ignored (the report would carry today's date) or printed as year
/// 584554051223; nothing is written.
#[test]
fn a_malformed_source_date_epoch_is_refused_before_the_run() {
    let dir = empty_dir("reports", "source-date-epoch");
    let path = dir.join("r.html");
    for bad in ["abc", "1e9", "-1", "253402300800", "18446744073709551615"] {
        let stderr = refusal_of(
            ccsim()
                .env("SOURCE_DATE_EPOCH", bad)
                .args(["simulate", "scenarios/single-queue.toml", "-q", "-r", "2", "--report"])
                .arg(&path),
        );
        assert!(stderr.contains(&format!("SOURCE_DATE_EPOCH: \"{bad}\"")), "{stderr}");
        assert!(!path.exists());
    }
    let html = report(&dir, "last.html", &["simulate", "scenarios/single-queue.toml", "-q", "-r", "2"]);
    assert!(html.contains("2026-12-03 18:52 UTC"));
    ccsim()
        .env("SOURCE_DATE_EPOCH", "253402300799")
        .args(["simulate", "scenarios/single-queue.toml", "-q", "-r", "2", "--report"])
        .arg(dir.join("end.html"))
        .assert()
        .success();
    assert!(std::fs::read_to_string(dir.join("end.html")).unwrap().contains("9999-12-31 23:59 UTC"));
}

/// The numbers of the `num` cells of the first row of the table after `anchor` whose first
/// cell is `name`, each read up to its half-width (`12.3 ±0.4` is 12.3; `83.2%` is 83.2).
fn row_numbers(html: &str, anchor: &str, name: &str) -> Vec<f64> {
    row_cells(html, anchor, name)
        .iter()
        .map(|c| c.split([' ', '%']).next().unwrap().parse().unwrap())
        .collect()
}

/// The texts of the `num` cells of that row, as shown (`12.3 ±0.4`).
fn row_cells<'h>(html: &'h str, anchor: &str, name: &str) -> Vec<&'h str> {
    let from = html.find(anchor).unwrap_or_else(|| panic!("no {anchor}"));
    let start = format!("<td>{name}</td><td class=\"num\">");
    let row = &html[from..][html[from..].find(&start).unwrap_or_else(|| panic!("no row {name}"))..];
    let row = &row[..row.find("</tr>").unwrap()];
    row.split("<td class=\"num\">").skip(1).map(|c| c.split('<').next().unwrap()).collect()
}

/// Every offered contact ends one way, and the report shows every way the scenario can end
/// it, so its rows add up: with lines and callbacks, blocked and failed callbacks beside
/// answered, abandoned and unanswered; with email, the emails still waiting at the end. The
/// volume chart stacks the same outcomes.
#[test]
fn the_simulation_reports_outcomes_add_up_to_the_offered_contacts() {
    let dir = empty_dir("reports", "outcomes");
    let telco = report(&dir, "telco.html", &["simulate", "scenarios/telco-lines.toml", "-q", "-r", "4"]);
    for column in ["Unanswered (calls)", "Blocked (calls)", "Callbacks failed (calls)"] {
        assert!(telco.contains(&format!(">{column}</th>")), "no column {column}");
    }
    for name in ["all calls", "support"] {
        // Offered, answered, abandoned, unanswered, blocked, callbacks failed, then the rates.
        let n = row_numbers(&telco, "id=\"results\"", name);
        let ended: f64 = n[1..6].iter().sum();
        assert!(n[4] > 0.0 && n[5] > 0.0, "{name}: the scenario no longer blocks or fails callbacks: {n:?}");
        assert!((n[0] - ended).abs() <= 0.3, "{name}: offered {} but the outcomes add to {ended}", n[0]);
    }
    let interval = &telco[telco.find("id=\"by-interval\"").unwrap()..];
    assert!(
        interval.contains(">Blocked (calls)</th>") && interval.contains(">Callbacks failed (calls)</th>")
    );
    assert!(telco.contains("<dt>Blocked (calls)</dt>"), "the definition of blocked is listed");

    let omni = report(&dir, "omni.html", &["simulate", "scenarios/omnichannel.toml", "-q", "-r", "2"]);
    let email = row_numbers(&omni, "id=\"results\"", "email");
    assert!(email[3] > 0.0, "emails still waiting at the end are shown: {email:?}");
    assert!((email[0] - email[1..4].iter().sum::<f64>()).abs() <= 0.2, "{email:?}");
    assert!(!omni.contains(">Blocked (calls)</th>"), "a scenario without lines has no blocked column");

    let legend = |scenario: &str| {
        let s = summary_of(&["simulate", scenario, "-q", "-r", "2"]);
        let charts = ccsim::report::chart::simulation_chart_set(&s);
        let volume = charts.iter().find(|c| c.name == "volume").unwrap();
        crate::util::svg_texts(&volume.to_svg().unwrap())
    };
    let texts = legend("scenarios/telco-lines.toml");
    for outcome in
        ["answered", "abandoned", "unanswered at close", "blocked (busy signal)", "callback failed"]
    {
        assert!(texts.iter().any(|t| t == outcome), "volume chart: no {outcome} in {texts:?}");
    }
    let texts = legend("scenarios/retail-bank.toml");
    assert!(!texts.iter().any(|t| t.starts_with("blocked") || t == "callback failed"), "{texts:?}");
}

/// The counts of a row are shown to the same tenth, so the row adds up as shown: a blocked count
/// of 12.3 shown whole beside offered, answered and abandoned to the tenth left the row 0.4 short.
/// Six cells each rounded to a tenth are off by at most 0.05 apiece.
#[test]
fn every_count_of_a_report_row_is_shown_to_the_same_tenth() {
    let dir = empty_dir("reports", "outcome-tenths");
    let telco = report(&dir, "telco.html", &["simulate", "scenarios/telco-lines.toml", "-q"]);
    let omni = report(&dir, "omni.html", &["simulate", "scenarios/omnichannel.toml", "-q", "-r", "2"]);
    for (html, anchor, name, counts) in [
        (&telco, "id=\"results\"", "support", 6),
        (&telco, "id=\"results\"", "all calls", 6),
        (&omni, "id=\"results\"", "email", 4),
    ] {
        let cells = row_cells(html, anchor, name);
        let n = row_numbers(html, anchor, name);
        assert!(
            n[1..counts].iter().any(|&c| c >= 10.0 && c < n[0] / 10.0),
            "{name}: no small count of 10 or more: {cells:?}"
        );
        for cell in &cells[..counts] {
            let figure = cell.split(' ').next().unwrap();
            assert!(
                figure.split_once('.').is_some_and(|(_, tenth)| tenth.len() == 1),
                "{name} after {anchor}: {cell:?} is not shown to the tenth as offered is: {cells:?}"
            );
        }
        let ended: f64 = n[1..counts].iter().sum();
        assert!(
            (n[0] - ended).abs() <= 0.05 * counts as f64 + 1e-9,
            "{name}: offered {} but the outcomes add to {ended}",
            n[0]
        );
    }
}

/// A day's service level leaves out, as every other figure does, the intervals whose
/// contacts have no outcome yet (Friday evening's emails, still inside their 12-hour target
/// when the run ends), instead of counting them as misses.
#[test]
fn the_service_level_by_day_leaves_out_contacts_not_yet_judged() {
    let dir = empty_dir("reports", "by-day");
    let args = ["simulate", "scenarios/omnichannel.toml", "-q", "-r", "2"];
    let html = report(&dir, "omni.html", &args);
    let s = summary_of(&args);
    let friday: Vec<_> = s.interval_totals.iter().filter(|t| t.day == 5).collect();
    let weighted = |rows: &[&&ccsim::summary::IntervalTotal]| {
        let within: f64 = rows.iter().map(|t| t.stats.service_level.mean * t.stats.offered.mean).sum();
        within / rows.iter().map(|t| t.stats.offered.mean).sum::<f64>()
    };
    let judged: Vec<_> = friday.iter().filter(|t| t.stats.service_level.mean.is_finite()).collect();
    assert!(judged.len() < friday.iter().filter(|t| t.stats.offered.mean > 0.0).count(), "nothing unjudged");
    let expected = ccsim::report::percent(weighted(&judged));
    // Counting the unjudged intervals' contacts as misses gives a lower figure.
    let all: Vec<_> = friday.iter().collect();
    let counted_as_misses: f64 =
        judged.iter().map(|t| t.stats.service_level.mean * t.stats.offered.mean).sum::<f64>()
            / all.iter().map(|t| t.stats.offered.mean).sum::<f64>();
    assert_ne!(expected, ccsim::report::percent(counted_as_misses), "the test cannot tell the two apart");
    let from = html.find("<td>Fri (day 5)</td>").expect("a Friday row");
    let row = &html[from..from + html[from..].find("</tr>").unwrap()];
    assert!(row.contains(&format!("<td class=\"num\">{expected}</td>")), "Friday: {row}");
}

/// A scenario with bad days gets the terminal table's "Risk of missing the goal" and "Events"
/// sections in its report, with the same figures; one without them gets neither.
#[test]
fn the_simulation_report_shows_the_risk_and_events_the_table_shows() {
    use ccsim::report::{nonnegative_estimate, number_estimate, percent_interval};
    let dir = empty_dir("reports", "risk");
    let args = ["simulate", "scenarios/launch-week.toml", "-q", "-r", "4"];
    let html = report(&dir, "launch.html", &args);
    let s = summary_of(&args);
    assert!(!s.events.is_empty() && s.risk.is_some(), "launch-week models bad days");
    let risk = &html[html.find("id=\"risk\"").expect("a risk section")..];
    let overall = s.risk.unwrap();
    let all = format!(
        "<td>all calls</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        percent_interval(&overall.p_meet_goal),
        percent_interval(&overall.sl_p10)
    );
    assert!(risk.contains(&all), "no {all}");
    for ct in &s.call_types {
        let p = percent_interval(&ct.risk.unwrap().p_meet_goal);
        assert!(risk.contains(&format!("<td>{}</td><td class=\"num\">{p}</td>", ct.name)), "{}", ct.name);
    }
    assert!(risk.contains("<h3>Riskiest intervals"), "the riskiest intervals are listed");
    let events = &html[html.find("id=\"events\"").expect("an events section")..];
    for e in &s.events {
        let peak = nonnegative_estimate(&e.peak_queue, 1);
        let extra = number_estimate(&e.extra_abandoned, 1);
        assert!(events.contains(&format!("<td>{}</td>", e.name)), "event {}", e.name);
        assert!(
            events.contains(&format!("<td class=\"num\">{peak}</td><td class=\"num\">{extra}</td>")),
            "{}",
            e.name
        );
    }
    assert!(events.contains("Time to recover: from the event"));
    assert!(events.contains("Extra abandoned, extra redials: calls over the whole run"), "the events' units");

    let bank = report(&dir, "bank.html", &["simulate", "scenarios/retail-bank.toml", "-q", "-r", "2"]);
    assert!(!bank.contains("id=\"risk\"") && !bank.contains("id=\"events\""));
}

/// The schedule report judges every goal the scenario sets, as the simulate report does (the
/// retail bank sets an ASA, abandonment and occupancy goal beside its service level), and its
/// shift table has the terminal's columns: breaks and days tell apart blocks of the same hours.
#[test]
fn the_schedule_report_judges_every_goal_and_shows_each_blocks_breaks() {
    let dir = empty_dir("reports", "schedule-goals");
    let args = ["schedule", "scenarios/retail-bank.toml", "-q", "-r", "2", "--method", "erlang-c"];
    let html = report(&dir, "schedule.html", &args);
    let json = ccsim().args(args).args(["--format", "json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let goals = &html[html.find("id=\"goals\"").unwrap()..html.find("id=\"shifts\"").unwrap()];
    for row in ["Service level", "Average speed of answer", "Abandonment", "Occupancy"] {
        assert!(goals.contains(&format!("<tr><td>{row}")), "{row} missing from {goals}");
    }
    let shifts = &html[html.find("id=\"shifts\"").unwrap()..html.find("id=\"charts\"").unwrap()];
    assert!(shifts.contains("<th>Breaks</th>") && shifts.contains("<th>Days</th>"), "{shifts}");
    for shift in json["shifts"].as_array().unwrap() {
        for b in shift["breaks"].as_array().unwrap() {
            let text = format!("{}+{}", b["start"].as_str().unwrap(), b["length"].as_str().unwrap());
            assert!(shifts.contains(&text), "{text} missing from the shift table");
        }
    }
    assert_eq!(shifts.matches("<tr").count() - 1, json["shifts"].as_array().unwrap().len(), "a row a block");
}

/// The staff report shows the channel columns the terminal table shows (the chat estimate and
/// the email workload), with the note that defines them; a voice-only report has neither.
#[test]
fn the_staff_report_has_the_terminals_chat_and_email_columns() {
    let dir = empty_dir("reports", "staff-channels");
    let html =
        report(&dir, "omni.html", &["staff", "scenarios/omnichannel.toml", "-q", "--method", "erlang-a"]);
    let table = &html[html.find("id=\"by-interval\"").unwrap()..];
    assert!(table.contains("<th>Chat* (agents)</th>") && table.contains("<th>Email workload (agents)</th>"));
    assert!(table.contains("Chat*: an estimate") && table.contains("Email wl: workload"));
    let voice =
        report(&dir, "bank.html", &["staff", "scenarios/retail-bank.toml", "-q", "--method", "erlang-a"]);
    assert!(!voice.contains("Chat*") && !voice.contains("Email workload"));
    // The headline counts the intervals short of agents among those that need agents: the
    // week's nights need none and are never short.
    let out = ccsim()
        .args(["staff", "scenarios/omnichannel.toml", "-q", "--method", "erlang-a", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Required: the groups' requirement on duty, which "To schedule" is taken from.
    let mut need: std::collections::BTreeMap<(u64, String), u64> = Default::default();
    for group in json["analytic_groups"].as_array().unwrap() {
        for row in group["intervals"].as_array().unwrap() {
            let key = (row["day"].as_u64().unwrap(), row["start"].as_str().unwrap().to_string());
            *need.entry(key).or_default() += row["agents"].as_u64().unwrap();
        }
    }
    let plan: Vec<f64> =
        json["plan"]["agents"].as_array().unwrap().iter().map(|a| a.as_f64().unwrap()).collect();
    let needing = need.values().filter(|&&n| n > 0).count();
    let under = need.values().zip(&plan).filter(|&(&n, &p)| n > 0 && p < n as f64).count();
    assert!(needing < need.len(), "the week has intervals that need nobody");
    assert!(
        html.contains(&format!(
            "has fewer agents on duty than required in {under} of the {needing} intervals"
        )),
        "{under} of {needing} of {}",
        need.len()
    );
    // Each row's difference is the plan less that requirement: a chat interval is not judged
    // against its chats counted as calls (Erlang C/A), which need several times the agents.
    let rows = &table[table.find("<tbody>").unwrap()..];
    let differences: Vec<f64> = rows
        .split("</tr>")
        .filter(|r| r.contains("<td"))
        .map(|r| {
            let last = r.rsplit("<td").next().unwrap();
            last[last.find('>').unwrap() + 1..last.find("</td>").unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(differences.len(), plan.len());
    for ((difference, plan), need) in differences.iter().zip(&plan).zip(need.values()) {
        assert!((difference - (plan - *need as f64)).abs() < 0.051, "{difference} {plan} {need}");
    }
}

/// The staff report's "On duty now" column is the plan as scheduled, and its definition says so:
/// not the simulated agents on duty, which also count agents finishing a call past their shift
/// (more than the plan has at the end of a shift). The column equals the JSON's `plan.agents`.
#[test]
fn the_staff_reports_on_duty_now_is_defined_as_the_plan_it_shows() {
    let dir = empty_dir("reports", "staff-on-duty");
    let args = ["staff", "scenarios/retail-bank.toml", "-q", "--method", "erlang-a"];
    let html = report(&dir, "bank.html", &args);
    let defs = &html[html.find("id=\"definitions\"").expect("a definitions list")..];
    let on_duty = &defs[defs.find("On duty now").expect("On duty now is defined")..];
    let on_duty = &on_duty[..on_duty.find("</dd>").unwrap()];
    assert!(on_duty.contains("as scheduled") && on_duty.contains("are not counted"), "{on_duty}");
    assert!(!defs.contains("stays until the call ends"), "the simulated definition is not the column's");
    let out = ccsim().args(args).args(["--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let plan: Vec<f64> =
        json["plan"]["agents"].as_array().unwrap().iter().map(|a| a.as_f64().unwrap()).collect();
    let table = &html[html.find("id=\"by-interval\"").unwrap()..];
    let halves: Vec<&f64> = plan.iter().filter(|a| a.fract() != 0.0).take(3).collect();
    assert!(!halves.is_empty(), "breaks leave part-agents on duty in some interval");
    for agents in halves {
        assert!(table.contains(&format!(">{agents:.1}<")), "{agents:.1} missing from the table");
    }
}

/// Every goal a report states says what it counts: each channel's own goal where there are
/// several, and "of answered contacts" where the goal leaves abandoned contacts out (the same
/// 80% in 20 s needs far fewer agents then, and the terminal, the HTML and `risk` say why).
#[test]
fn goals_are_stated_with_each_channel_and_what_the_service_level_counts() {
    let dir = empty_dir("reports", "goal-rows");
    let omni =
        report(&dir, "omni.html", &["staff", "scenarios/omnichannel.toml", "-q", "--method", "erlang-a"]);
    assert!(omni.contains("Service-level goals, each channel its own"), "no channel goals");
    for channel in
        ["voice 80% answered within 20s", "chat 80% answered within 1m", "email 90% answered within 12h"]
    {
        assert!(omni.contains(channel), "{channel} missing");
    }
    let text = std::fs::read_to_string("scenarios/erlang-check.toml").unwrap();
    assert!(text.contains("[service_level]\n"), "the check scenario has a [service_level] table");
    let answered = dir.join("answered.toml");
    std::fs::write(
        &answered,
        text.replace("[service_level]\n", "[service_level]\ndefinition = \"answered\"\n"),
    )
    .unwrap();
    let said = "80% of answered contacts answered within 20s (abandoned ones not counted)";
    for args in [
        vec!["staff", "--method", "erlang-a"],
        vec!["simulate", "-r", "2"],
        vec!["risk", "--agents-range", "20..22", "-r", "2"],
    ] {
        let out = ccsim().args(&args).arg(&answered).arg("-q").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains(said), "{args:?}");
    }
    let html =
        report(&dir, "answered.html", &["staff", answered.to_str().unwrap(), "-q", "--method", "erlang-a"]);
    assert!(html.contains("80% answered within 20s, of answered contacts (abandoned ones not counted)"));
    let offered =
        report(&dir, "offered.html", &["staff", "scenarios/erlang-check.toml", "-q", "--method", "erlang-a"]);
    assert!(offered.contains("80% answered within 20s") && !offered.contains("of answered contacts"));
}

/// The report's "By day" rows: a day's service level weighs its intervals by the goal's own
/// denominator (answered contacts, with `definition = "answered"`), so the days bracket the
/// run's figure; the lowest interval is a call type's, as the goal judges them, not all call
/// types pooled.
#[test]
fn the_by_day_rows_weigh_by_the_goals_denominator_and_name_the_lowest_call_type() {
    let dir = empty_dir("reports", "by-day");
    let text = std::fs::read_to_string("scenarios/retail-bank-week.toml").unwrap();
    let answered = dir.join("answered.toml");
    let changed = text.replace("definition = \"offered\"", "definition = \"answered\"");
    assert_ne!(changed, text);
    std::fs::write(&answered, changed).unwrap();
    let forecast = "retail-bank-week-forecast.csv";
    std::fs::copy(Path::new("scenarios").join(forecast), dir.join(forecast)).unwrap();
    let html = report(
        &dir,
        "week.html",
        &[
            "simulate",
            answered.to_str().unwrap(),
            "-q",
            "-r",
            "3",
            "--out",
            dir.join("out").to_str().unwrap(),
        ],
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/summary.json")).unwrap()).unwrap();
    let mean = |v: &serde_json::Value, key: &str| v[key]["mean"].as_f64().unwrap_or(f64::NAN);
    let table = &html[html.find("id=\"by-day\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<Vec<String>> = table
        .split("<tr")
        .skip(2)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|c| c[c.find('>').unwrap() + 1..c.find("</td>").unwrap()].to_string())
                .collect()
        })
        .collect();
    let days = summary["grid"]["days"].as_u64().unwrap() as usize;
    assert_eq!(rows.len(), days);
    let mut levels = Vec::new();
    for (d, row) in rows.iter().enumerate() {
        let day = d as u64 + 1;
        let totals: Vec<&serde_json::Value> = (summary["interval_totals"].as_array().unwrap().iter())
            .filter(|t| t["day"] == day && mean(t, "service_level").is_finite())
            .collect();
        let weight: f64 = totals.iter().map(|t| mean(t, "answered")).sum();
        let within: f64 = totals.iter().map(|t| mean(t, "service_level") * mean(t, "answered")).sum();
        let level = within / weight;
        let shown = &row[row.len() - 3];
        assert_eq!(*shown, format!("{:.1}%", level * 100.0), "day {day}");
        levels.push(level);
        let lowest = (summary["intervals"].as_array().unwrap().iter())
            .filter(|i| i["day"] == day && mean(i, "service_level").is_finite())
            .min_by(|a, b| mean(a, "service_level").total_cmp(&mean(b, "service_level")))
            .unwrap();
        let expected = format!(
            "{} {} {:.1}%",
            lowest["start"].as_str().unwrap(),
            lowest["call_type"].as_str().unwrap(),
            mean(lowest, "service_level") * 100.0
        );
        assert_eq!(row[row.len() - 1], expected, "day {day}");
    }
    let overall = mean(&summary["overall"], "service_level");
    let (low, high) = levels.iter().fold((f64::MAX, f64::MIN), |(l, h), &v| (l.min(v), h.max(v)));
    assert!(low <= overall && overall <= high, "days {levels:?} do not bracket the run's {overall}");
}

/// Where chats and emails are counted with the calls, the report's counts are of contacts, in
/// every table header and definition; a voice-only report counts calls.
#[test]
fn counts_are_of_contacts_where_chats_and_emails_are_counted_too() {
    let dir = empty_dir("reports", "count-noun");
    let omni = report(&dir, "omni.html", &["simulate", "scenarios/omnichannel.toml", "-q", "-r", "2"]);
    assert!(!omni.contains("(calls)"), "a count of chats and emails headed as calls");
    for header in ["<th title=", "Offered (contacts)", "Answered (contacts)", "<dt>Offered (contacts)</dt>"] {
        assert!(omni.contains(header), "{header}");
    }
    let voice = report(&dir, "bank.html", &["simulate", "scenarios/retail-bank-week.toml", "-q", "-r", "2"]);
    assert!(voice.contains("Offered (calls)") && !voice.contains("(contacts)"));
}

/// A mean count of contacts unanswered at close reads the same in the terminal table and the
/// HTML report, with its tenth: at a tenth of a contact a run, `0 ±1` hid it where the report
/// said `0.1 ±0.2`.
#[test]
fn a_rare_outcome_reads_the_same_in_the_table_and_the_report() {
    let dir = empty_dir("reports", "rare-outcome");
    let args = ["simulate", "scenarios/retail-bank.toml", "-q", "-r", "10"];
    let s = summary_of(&args);
    let (name, rare) = s
        .call_types
        .iter()
        .map(|c| (c.name.clone(), c.stats.unanswered_at_close))
        .find(|(_, e)| e.mean > 0.0 && e.mean < 0.5)
        .expect("a call type with a few contacts unanswered at close over 10 replications");
    let shown = ccsim::report::count_estimate(&rare);
    assert!(shown.starts_with("0."), "{shown}");
    let table = String::from_utf8(ccsim().args(args).output().unwrap().stdout).unwrap();
    let row = table.lines().find(|l| l.starts_with(&name)).unwrap();
    assert!(row.trim_end().ends_with(&shown), "{row} against {shown}");
    let html = report(&dir, "report.html", &args);
    assert!(
        html.contains(&format!("<td>{name}</td>")) && html.contains(&format!(">{shown}</td>")),
        "{shown}"
    );
}

/// With several channels the row of every contact together shows no ASA or wait p90 in the
/// terminal, the HTML report or `compare`: seconds of voice pooled with hours of email mean
/// nothing. The JSON keeps the pooled figures, and a one-channel scenario keeps its row.
#[test]
fn the_row_of_all_contacts_pools_no_waits_across_channels() {
    let dir = empty_dir("reports", "pooled-waits");
    let omni = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/omnichannel.toml");
    let html = dir.join("report.html");
    let table = stdout_text(
        &ccsim().args(["simulate", omni, "-r", "3", "-q", "--report"]).arg(&html).assert().success(),
    );
    let row = table.lines().find(|l| l.starts_with("all contacts")).unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    // all contacts | offered ± | answered ± | abandoned ± | SL ± | - | - | unanswered ±
    assert_eq!(cells.iter().filter(|c| **c == "-").count(), 2, "{row}");
    assert!(table.contains("its ASA and wait p90 are not pooled across channels"), "{table}");
    assert!(!table.lines().any(|l| l.starts_with("all calls")), "{table}");
    let (dom, _) = crate::util::parse_html(&std::fs::read_to_string(&html).unwrap());
    let all = crate::util::elements(&dom, "tr")
        .into_iter()
        .find(|tr| crate::util::text_of(tr).trim_start().starts_with("all contacts"))
        .expect("an all-contacts row");
    let dashes =
        crate::util::elements(&all, "td").iter().filter(|td| crate::util::text_of(td).trim() == "-").count();
    assert_eq!(dashes, 2, "{}", crate::util::text_of(&all));
    // The email's unanswered at close reads the same in the Results and the Channels tables.
    let unanswered_of_email = |table: &Handle| -> Option<String> {
        let heads: Vec<String> =
            crate::util::elements(table, "th").iter().map(crate::util::text_of).collect();
        let at = heads.iter().position(|h| h.starts_with("Unanswered"))?;
        let row = crate::util::elements(table, "tr").into_iter().find(|tr| {
            crate::util::elements(tr, "td").first().is_some_and(|td| crate::util::text_of(td) == "email")
        })?;
        Some(crate::util::text_of(&crate::util::elements(&row, "td")[at]))
    };
    // The Results table (a row per call type) and the Channels table (a row per channel).
    let read: Vec<String> =
        crate::util::elements(&dom, "table").iter().filter_map(unanswered_of_email).collect();
    assert_eq!(read.len(), 2, "{read:?}");
    assert_eq!(read[0], read[1], "{read:?}");
    let json = ccsim().args(["simulate", omni, "-r", "3", "-q", "--format", "json"]).output().unwrap().stdout;
    let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(json["overall"]["asa_s"]["mean"].as_f64().unwrap() > 60.0, "the JSON keeps the pooled ASA");
    // compare: the plans' table and each difference's row of all contacts.
    // A plan with one agent more on the first shift: the shifts are the scenario's last tables.
    let text = std::fs::read_to_string(omni).unwrap();
    let shifts = &text[text.find("[[shifts]]").unwrap()..];
    let more = dir.join("more.toml");
    std::fs::write(&more, shifts.replacen("agents = 9", "agents = 10", 1)).unwrap();
    let out = ccsim()
        .args(["compare", omni, "--plan", "scenario", "--plan"])
        .arg(&more)
        .args(["-r", "3", "-q"])
        .output()
        .unwrap();
    let compare = String::from_utf8(out.stdout).unwrap();
    assert!(compare.contains("its ASA and wait p90 are not pooled across channels"), "{compare}");
    let difference = compare
        .lines()
        .find(|l| l.starts_with("all contacts") && l.contains('['))
        .unwrap_or_else(|| panic!("{compare}"));
    assert_eq!(difference.split_whitespace().filter(|c| *c == "-").count(), 2, "{difference}");
    // One channel: the row of all calls as before, with its waits.
    let bank = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/retail-bank.toml");
    let out = ccsim().args(["simulate", bank, "-r", "2", "-q"]).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    let row = table.lines().find(|l| l.starts_with("all calls")).unwrap_or_else(|| panic!("{table}"));
    assert!(!row.split_whitespace().any(|c| c == "-"), "{row}");
}

/// The "Goals" table says what the intervals-below-goal row aims at (none below the goal, never
/// a bare "none" that reads as no target), and its note names only the whole-run goals the
/// scenario sets, saying a run may miss them in its busiest intervals.
#[test]
fn the_goals_table_states_the_interval_target_and_notes_only_the_goals_set() {
    let dir = empty_dir("reports", "goals-wording");
    let html = report(&dir, "bank.html", &["simulate", "scenarios/retail-bank.toml", "-q", "-r", "2"]);
    assert!(
        html.contains("(per call type)</td><td>0 (every interval at or above 80%)</td>"),
        "the interval row states its target"
    );
    assert!(!html.contains("</td><td>none</td>"), "a bare none reads as no target");
    assert!(html.contains(
        "ASA, abandonment and occupancy are judged here over the whole run; <code>ccsim staff</code> holds \
         every interval to them, so a run that meets them here may still miss them in its busiest intervals"
    ));
    assert!(!html.contains("pass them"), "pass reads as meet");
    // Only an occupancy cap: the note names it alone.
    let text = std::fs::read_to_string("scenarios/retail-bank.toml").unwrap();
    let text = text.replace("max_abandon = 0.05", "").replace("asa_goal = \"30s\"", "");
    let occupancy_only = dir.join("occupancy-only.toml");
    std::fs::write(&occupancy_only, text).unwrap();
    let html = report(&dir, "occ.html", &["simulate", occupancy_only.to_str().unwrap(), "-q", "-r", "2"]);
    assert!(html.contains(
        "Occupancy is judged here over the whole run; <code>ccsim staff</code> holds every interval to it, \
         so a run that meets it here may still miss it in its busiest intervals"
    ));
    assert!(!html.contains("ASA, abandonment"), "the note names a goal the scenario does not set");
    // No whole-run goal: no note.
    let lines = report(&dir, "lines.html", &["simulate", "scenarios/telco-lines.toml", "-q", "-r", "2"]);
    assert!(!lines.contains("judged here over the whole run"));
    // The comparison lists the same target.
    let cmp = report(&dir, "cmp.html", BANK_COMPARE);
    assert!(cmp.contains(
        "Intervals below the service-level goal (per call type): 0 (every interval at or above 80%)"
    ));
    assert!(!cmp.contains("(per call type): none"));
}

/// Two of retail-bank's plans compared, two replications: a compare report to read.
const BANK_COMPARE: &[&str] = &[
    "compare",
    "scenarios/retail-bank.toml",
    "--plan",
    "scenario",
    "--plan",
    "scenarios/plans/retail-bank-late.toml",
    "-q",
    "-r",
    "2",
];

/// Wait percentiles read as in the terminal table (whole seconds), and a cost says what it
/// is in the schedule and compare reports.
#[test]
fn report_cells_carry_the_terminals_formats_and_units() {
    let dir = empty_dir("reports", "units");
    let args = ["simulate", "scenarios/retail-bank.toml", "-q", "-r", "2"];
    let html = report(&dir, "bank.html", &args);
    let table = String::from_utf8(ccsim().args(args).output().unwrap().stdout).unwrap();
    let all = table.lines().find(|l| l.starts_with("all calls")).unwrap();
    // The terminal's last two columns are the wait p90 and the unanswered.
    let cells: Vec<&str> = all.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    let p90 = cells[cells.len() - 2];
    assert!(!p90.contains('.'), "{all}");
    let row = html.split("<tr><td>all calls</td>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.ends_with(&format!("<td class=\"num\">{p90}</td>")), "{row} against {p90}");
    let cost = "paid hours x cost per hour, in the scenario&#39;s currency";
    let schedule = report(
        &dir,
        "schedule.html",
        &["schedule", "scenarios/retail-bank.toml", "-q", "-r", "2", "--method", "erlang-c"],
    );
    let header = schedule.split("<th>Cost</th><td>").nth(1).unwrap().split("</td>").next().unwrap();
    assert!(header.ends_with(&format!("({cost})")), "{header}");
    let cmp = report(&dir, "cmp.html", BANK_COMPARE);
    assert!(cmp.contains(&format!("Cost ({cost})</th>")), "the compare report's cost has no unit");
    assert!(!cmp.contains("<th>Cost</th>"));
}
