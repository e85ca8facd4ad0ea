//! `ccsim fit`: a simulated trace fitted back recovers the scenario that made it, within the
//! sampling error of each estimate; a messy log's defects are each counted at their lines;
//! the scenario written validates.

use std::path::{Path, PathBuf};

use ccsim::fit::callers::Windows;
use ccsim::fit::log::LogFormat;
use ccsim::fit::volumes::By;
use ccsim::fit::{self, Fit, Request};
use statrs::distribution::{ChiSquared, ContinuousCDF, LogNormal, Normal};

use crate::util::{
    attr, ccsim, elements, empty_dir, parse_html, refusal_of, stderr_lossy, stdout_json, stdout_lossy,
    stdout_text, text_of, warnings_of,
};

const MESSY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fit/messy-log.csv");

/// Two call types around the clock for three days, under-staffed so that many callers
/// abandon: lognormal handle times, lognormal (not exponential) patience, redials.
fn known_scenario(dir: &Path) -> PathBuf {
    let staffing = vec!["9"; 48].join(", ");
    let text = format!(
        r#"
start = "00:00"
interval = "30m"
days = 3

[service_level]
target = "20s"
goal = 0.8

[[call_types]]
name = "accounts"
volumes = [{a}]
handle_time = {{ distribution = "lognormal", mean = "4m", cv = 0.8 }}
patience = {{ distribution = "lognormal", mean = "2m", cv = 0.5 }}
redial = {{ probability = 0.4, delay = {{ distribution = "exponential", mean = "5m" }} }}

[[call_types]]
name = "cards"
volumes = [{b}]
handle_time = {{ distribution = "lognormal", mean = "5m", cv = 0.6 }}
patience = {{ distribution = "lognormal", mean = "2m", cv = 0.5 }}
redial = {{ probability = 0.6, delay = {{ distribution = "exponential", mean = "3m" }} }}

[[agent_groups]]
name = "agents"
skills = ["accounts", "cards"]
staffing = [{staffing}]
"#,
        a = (0..48).map(|i| (30 + i % 12 * 2).to_string()).collect::<Vec<_>>().join(", "),
        b = vec!["20"; 48].join(", "),
    );
    let path = dir.join("known.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The known scenario's trace (one replication), fitted back.
fn round_trip(name: &str) -> (ccsim::model::Scenario, Fit, PathBuf) {
    let dir = empty_dir("fit", name);
    let path = known_scenario(&dir);
    let scenario = ccsim::scenario::load(&path).unwrap().scenario;
    let trace_path = dir.join("trace.csv");
    let file = std::fs::File::create(&trace_path).unwrap();
    let mut trace = ccsim::report::trace::TraceCsv::new(&scenario, std::io::BufWriter::new(file));
    ccsim::sim::run(&scenario, 7, 0, &mut trace);
    drop(trace.finish().unwrap());
    let format = LogFormat {
        columns: vec![
            ("arrival".into(), vec!["timestamp".into()]),
            ("handle_s".into(), vec!["handle_time_s".into()]),
        ],
        ..LogFormat::default()
    };
    let request = Request {
        log: trace_path.clone(),
        format,
        interval_s: 1800.0,
        by: By::Date,
        windows: Windows { redial_s: 3600.0, repeat_s: 7.0 * 86_400.0 },
        short_abandon_s: None,
    };
    let fit = fit::fit(&request).unwrap();
    (scenario, fit, trace_path)
}

/// Two-sided normal quantile for a family of `tests` checks at overall level 0.001.
fn z(tests: usize) -> f64 {
    Normal::new(0.0, 1.0).unwrap().inverse_cdf(1.0 - 0.001 / (2.0 * tests as f64))
}

#[test]
fn a_fitted_trace_recovers_the_scenario_within_sampling_error() {
    let (scenario, fit, _) = round_trip("round-trip");
    assert_eq!(fit.volumes.days.len(), 3);
    assert_eq!((fit.volumes.first_slot, fit.volumes.per_day), (0, 48));
    for (t, truth) in scenario.call_types.iter().enumerate() {
        let c = fit.call_types.iter().position(|c| c.name == truth.name).unwrap();
        let fitted = &fit.call_types[c];

        // Volumes: first attempts per interval are Poisson counts with the scenario's means.
        let observed = &fit.volumes.volumes[c];
        let chi2: f64 = observed.iter().zip(&truth.volumes).map(|(o, e)| (o - e).powi(2) / e).sum();
        let critical = ChiSquared::new(observed.len() as f64).unwrap().inverse_cdf(0.999);
        assert!(chi2 < critical, "{}: volumes chi² {chi2:.1} ≥ {critical:.1}", truth.name);
        let (total, expected): (f64, f64) = (observed.iter().sum(), truth.volumes.iter().sum());
        assert!(
            (total - expected).abs() <= z(1) * expected.sqrt(),
            "{}: {total} first attempts, {expected} expected",
            truth.name
        );

        // Handle time: the sample mean and cv within their standard errors of the truth.
        let h = fitted.handle_time.as_ref().unwrap();
        let (mean, cv) = (truth.handle_time.mean(), if t == 0 { 0.8 } else { 0.6 });
        assert!(h.se_mean_s < 0.05 * mean && h.se_cv < 0.05, "too few calls to detect an error: {h:?}");
        assert!(
            (h.mean_s - mean).abs() <= z(2) * h.se_mean_s,
            "{}: mean {} ± {}",
            truth.name,
            h.mean_s,
            h.se_mean_s
        );
        assert!((h.cv - cv).abs() <= z(2) * h.se_cv, "{}: cv {} ± {}", truth.name, h.cv, h.se_cv);
        assert_eq!(h.chosen_name(), "lognormal");

        // Patience: the Kaplan-Meier curve inside its band around the true CDF, wherever
        // enough callers are still waiting; the exponential is rejected.
        let p = fitted.patience.as_ref().unwrap();
        let true_patience = LogNormal::new(120f64.ln() - 0.5 * 1.25f64.ln(), 1.25f64.ln().sqrt()).unwrap();
        // From the first wait with an abandon before it (the band has a width) on.
        let points: Vec<f64> = (2..=12)
            .map(|i| 15.0 * f64::from(i))
            .filter(|&t| p.cdf(t).1 > 0.0 && p.km.iter().find(|s| s.t >= t).is_some_and(|s| s.at_risk >= 100))
            .collect();
        assert!(points.len() >= 6, "{}: waits too short to see patience: {points:?}", truth.name);
        let zk = z(points.len());
        for &at in &points {
            let (f, se) = p.cdf(at);
            assert!(se < 0.03, "{}: band too wide at {at}s to detect an error: {se}", truth.name);
            let exact = true_patience.cdf(at);
            assert!(
                (f - exact).abs() <= zk * se,
                "{}: KM F({at}) = {f:.4} ± {se:.4}, true {exact:.4}",
                truth.name
            );
        }
        assert!(
            !p.exponential_fits(),
            "{}: exponentiality not rejected (p = {})",
            truth.name,
            p.p_exponential
        );

        // Redials: the share of abandons followed by a call within the window.
        let (prob, se) = fitted.redial.probability().unwrap();
        let truth_p = truth.redial.as_ref().unwrap().probability;
        assert!(se < 0.05, "too few abandons: {se}");
        assert!((prob - truth_p).abs() <= z(1) * se, "{}: redial {prob} ± {se}, true {truth_p}", truth.name);
    }
}

#[test]
fn the_written_scenario_validates_and_json_keeps_its_contract() {
    let (_, _, trace) = round_trip("validates");
    let dir = trace.parent().unwrap();
    let out = dir.join("fitted.toml");
    let report = ccsim()
        .arg("fit")
        .arg(&trace)
        .args(["--column", "arrival=timestamp", "--column", "handle_s=handle_time_s", "--format", "json"])
        .arg("--out")
        .arg(&out)
        .arg("--forecast-csv")
        .arg(dir.join("forecast.csv"))
        .arg("--report")
        .arg(dir.join("fit.html"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&report).unwrap();
    for key in ["rows", "days", "rejected", "call_types"] {
        assert!(json.get(key).is_some(), "no {key} in {json}");
    }
    let first = &json["call_types"][0];
    for path in [
        "/name",
        "/offered",
        "/handle_time/mean_s",
        "/handle_time/cv",
        "/handle_time/chosen",
        "/patience/exponential_mean_s",
        "/patience/km_median_s",
        "/redial/probability",
    ] {
        assert!(first.pointer(path).is_some(), "no {path} in {first}");
    }
    assert!(dir.join("fitted-observed.csv").is_file());
    let html = std::fs::read_to_string(dir.join("fit.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 4, "a handle-time and a patience chart per call type");
    let forecast = std::fs::read_to_string(dir.join("forecast.csv")).unwrap();
    assert!(forecast.starts_with("interval,day,accounts,cards\n00:00,1,"), "{forecast}");
    ccsim().arg("validate").arg(&out).assert().success();
    // The empirical patience it wrote is read from the observed-durations file.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("patience = { distribution = \"empirical\", file = \"fitted-observed.csv\""),
        "{text}"
    );
    ccsim().args(["simulate", "-q", "-r", "2"]).arg(&out).assert().success();
}

#[test]
fn every_defect_of_a_messy_log_is_counted_at_its_lines() {
    let out = ccsim()
        .args(["fit", MESSY, "--timezone", "Europe/Paris", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let lines = |kind: &str| json["first_lines"][kind].clone();
    // Each line below is the fixture's: the row that carries that defect.
    assert_eq!(json["rows"], 19);
    assert_eq!(json["rejected"]["missing_value"], 2, "{json}"); // handle time, arrival
    assert_eq!(lines("missing_value"), serde_json::json!([3, 17]));
    assert_eq!(json["rejected"]["unknown_outcome"], 2); // "ANS" and "busy signal" unmapped
    assert_eq!(lines("unknown_outcome"), serde_json::json!([4, 18]));
    assert_eq!(lines("negative_value"), serde_json::json!([5]));
    assert_eq!(lines("duplicate_row"), serde_json::json!([7]));
    assert_eq!(lines("nonexistent_local_time"), serde_json::json!([10]));
    assert_eq!(lines("bad_value"), serde_json::json!([14]));
    assert_eq!(lines("malformed_row"), serde_json::json!([15]));
    assert_eq!(json["noted"]["spans_midnight"], 1);
    assert_eq!(lines("spans_midnight"), serde_json::json!([9]));
    assert_eq!(lines("ambiguous_local_time"), serde_json::json!([12, 13]));
    assert_eq!(lines("zero_handle_time"), serde_json::json!([19]));
    // Mapping the export's words brings the rows back.
    let out = ccsim()
        .args(["fit", MESSY, "--timezone", "Europe/Paris", "--format", "json"])
        .args(["--outcome", "answered=ANS", "--outcome", "blocked=busy signal"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(json["rejected"].get("unknown_outcome").is_none(), "{json}");
}

/// Windows line endings and blank lines do not move a defect off its line: the lines counted
/// are the file's, as an editor numbers them.
#[test]
fn defects_are_found_at_their_lines_whatever_the_line_endings() {
    let dir = empty_dir("fit", "line-endings");
    let text = std::fs::read_to_string(MESSY).unwrap();
    let lines_of = |json: &serde_json::Value| json["first_lines"].clone();
    let fit_json = |path: &Path| -> serde_json::Value {
        let out = ccsim()
            .arg("fit")
            .arg(path)
            .args(["--timezone", "Europe/Paris", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap()
    };
    let want = lines_of(&fit_json(Path::new(MESSY)));
    let crlf = dir.join("crlf.csv");
    std::fs::write(&crlf, text.replace('\n', "\r\n")).unwrap();
    assert_eq!(lines_of(&fit_json(&crlf)), want);
    // Two blank lines after line 6 (Windows endings, then Unix ones): every later line moves
    // down by two.
    let shifted = |v: &serde_json::Value| -> serde_json::Value {
        let mut v = v.clone();
        for lines in v.as_object_mut().unwrap().values_mut() {
            for line in lines.as_array_mut().unwrap() {
                let n = line.as_u64().unwrap();
                *line = (if n > 6 { n + 2 } else { n }).into();
            }
        }
        v
    };
    for ending in ["\r\n", "\n"] {
        let mut rows: Vec<&str> = text.lines().collect();
        rows.splice(6..6, ["", ""]);
        let blank = dir.join("blank.csv");
        std::fs::write(&blank, rows.join(ending) + ending).unwrap();
        assert_eq!(lines_of(&fit_json(&blank)), shifted(&want), "{ending:?}");
    }
    // --strict names the same line and column.
    ccsim()
        .arg("fit")
        .arg(&crlf)
        .arg("--strict")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("crlf.csv:3:5: missing_value"));
}

/// Without `--strict` the table gives, under each rejecting kind, why its first row was
/// rejected; a kept (noted) kind has no reason line.
#[test]
fn the_table_says_why_the_first_row_of_each_rejected_kind_was_left_out() {
    let out =
        ccsim().args(["fit", MESSY, "--timezone", "Europe/Paris"]).assert().success().get_output().clone();
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    for (kind, reason) in [
        ("missing_value", "line 3: column \"handle_s\" is empty"),
        ("bad_value", "line 14: \"ten\" is not a duration; expected seconds (12.5) or HH:MM:SS"),
    ] {
        let at = lines.iter().position(|l| l.trim_start().starts_with(kind)).unwrap();
        assert_eq!(lines[at + 1].trim(), reason, "{table}");
    }
    let noted = lines.iter().position(|l| l.trim_start().starts_with("spans_midnight")).unwrap();
    assert!(!lines[noted + 1].trim_start().starts_with("line "), "{table}");
}

#[test]
fn strict_stops_at_the_first_defect_with_its_line_and_column() {
    ccsim()
        .args(["fit", MESSY, "--strict"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("messy-log.csv:3:5: missing_value: column \"handle_s\" is empty"));
}

#[test]
fn a_missing_column_or_unknown_flag_value_is_bad_input() {
    let dir = empty_dir("fit", "bad-input");
    let log = dir.join("log.csv");
    std::fs::write(&log, "StartTime,call_type,outcome,wait_s,handle_s\n2024-01-01 08:00:00,a,answered,1,2\n")
        .unwrap();
    ccsim()
        .arg("fit")
        .arg(&log)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no column \"arrival\" for arrival (columns: StartTime"));
    ccsim().arg("fit").arg(&log).args(["--column", "arival=StartTime"]).assert().code(2);
    ccsim().arg("fit").arg(&log).args(["--column", "arrival=StartTime", "--interval", "7m"]).assert().code(2);
    // 90 s divides a day, but its intervals would start between minutes, which no clock time
    // of the written scenario could name.
    ccsim()
        .arg("fit")
        .arg(&log)
        .args(["--column", "arrival=StartTime", "--interval", "90s"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--interval 90s: must be whole minutes"));
    // A column mapped twice, a header summed twice, an outcome word given twice or empty: each
    // would be settled by the order of the flags (or doubles a duration), so each is refused.
    let shipped = "scenarios/data/retail-bank-calls.csv";
    for (flags, says) in [
        (&["--column", "arrival=wait_s", "--column", "arrival=arrival"][..], "\"arrival\" is mapped twice"),
        (&["--column", "handle_s=handle_s+handle_s"][..], "\"handle_s\" is summed twice"),
        (
            &["--outcome", "abandoned=answered", "--outcome", "answered=answered"][..],
            "already given to another outcome",
        ),
        (&["--outcome", "answered="][..], "an empty word"),
        (&["--outcome", "answered=ANS,,X"][..], "an empty word"),
    ] {
        ccsim().args(["fit", shipped]).args(flags).assert().code(2).stderr(predicates::str::contains(says));
    }
    // The same word given the same outcome twice is no conflict.
    ccsim()
        .args(["fit", shipped, "--outcome", "answered=answered,ANSWERED", "--format", "json"])
        .assert()
        .success();
    // Longer than a day: its count of intervals a day rounds to none; past 366 days, no
    // duration may be.
    for (long, says) in [
        ("2d", "from 1 minute to 24 hours"),
        ("1e19", "longer than the cap of 366 days"),
        ("18446744073709551616", "longer than the cap of 366 days"),
    ] {
        ccsim()
            .arg("fit")
            .arg(&log)
            .args(["--column", "arrival=StartTime", "--interval", long])
            .assert()
            .code(2)
            .stderr(predicates::prelude::PredicateBooleanExt::and(
                predicates::str::contains("--interval"),
                predicates::str::contains(says),
            ));
    }
    ccsim()
        .arg("fit")
        .arg(&log)
        .args(["--column", "arrival=StartTime", "--timezone", "Mars/Olympus"])
        .assert()
        .code(2);
    ccsim().arg("fit").arg(&log).args(["--column", "arrival=StartTime"]).assert().success();
}

/// A file that is not a CSV in UTF-8 text is refused for what it is, never listed as
/// "columns" of unreadable bytes.
#[test]
fn a_log_that_is_not_utf8_csv_text_is_refused_for_what_it_is() {
    let dir = empty_dir("fit", "not-text");
    let header = "arrival,call_type,outcome,wait_s,handle_s\n2024-01-01 08:00:00,a,answered,1,2\n";
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain(header.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let binary: Vec<u8> = (0..=255u8).cycle().take(2000).collect();
    for (name, bytes, message) in [
        ("empty.csv", Vec::new(), "empty.csv: the file is empty; a call log is a CSV file whose header row"),
        ("utf16.csv", utf16, "utf16.csv:1: the file is UTF-16 text; save or export it as CSV in UTF-8"),
        ("binary.csv", binary, "binary.csv:1: the header row is not text"),
        ("latin1.csv", b"arriv\xe9e,call_type\n".to_vec(), "latin1.csv:1: the header row is not text"),
    ] {
        let log = dir.join(name);
        std::fs::write(&log, bytes).unwrap();
        ccsim().arg("fit").arg(&log).assert().code(2).stderr(predicates::str::contains(message));
    }
}

/// Two call types named in Latin-1 are not merged into one unreadable name: their rows are
/// rejected, counted, and `--strict` says why.
#[test]
fn cells_that_are_not_utf8_reject_their_rows() {
    let dir = empty_dir("fit", "latin1-cells");
    let mut log = b"arrival,call_type,outcome,wait_s,handle_s\n".to_vec();
    for (i, name) in [&b"g\xe9n\xe9rale"[..], b"sp\xe9ciale", b"cards"].iter().cycle().take(30).enumerate() {
        log.extend_from_slice(format!("2024-01-01 08:{:02}:00,", i).as_bytes());
        log.extend_from_slice(name);
        log.extend_from_slice(b",answered,5,120\n");
    }
    let file = dir.join("latin1.csv");
    std::fs::write(&file, log).unwrap();
    let out =
        ccsim().arg("fit").arg(&file).args(["--format", "json"]).assert().success().get_output().clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> =
        json["call_types"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["cards"], "{json}");
    assert!(json.to_string().contains("bad_value"), "{json}");
    ccsim().arg("fit").arg(&file).arg("--strict").assert().code(2).stderr(predicates::str::contains(
        "latin1.csv:2:2: bad_value: column \"call_type\" is not UTF-8 text; save the log as CSV in UTF-8",
    ));
}

/// An export from a spreadsheet set to a European locale (fields separated by `;`, decimal
/// commas) or a tab-separated one fits to exactly what the same log with commas fits to.
#[test]
fn semicolon_and_tab_separated_logs_fit_like_the_comma_separated_one() {
    let dir = empty_dir("fit", "separators");
    let log = std::fs::read_to_string("scenarios/data/retail-bank-calls.csv").unwrap();
    let head: String = log.lines().take(2000).map(|l| format!("{l}\n")).collect();
    let decimal_comma = |sep: &str| -> String {
        let mut out = String::new();
        for line in head.lines() {
            // Every decimal point of the durations becomes a comma, every separator `sep`.
            let cells: Vec<String> = line.split(',').map(|c| c.replace('.', ",")).collect();
            out.push_str(&cells.join(sep));
            out.push('\n');
        }
        out
    };
    let fit_json = |name: &str, text: &str| -> serde_json::Value {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let out =
            ccsim().arg("fit").arg(&file).args(["--format", "json"]).assert().success().get_output().clone();
        let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json.as_object_mut().unwrap().remove("file");
        json
    };
    let comma = fit_json("comma.csv", &head);
    assert!(head.contains(".") && decimal_comma(";").contains(";0,"), "the test needs decimals to rewrite");
    assert_eq!(fit_json("semicolon.csv", &decimal_comma(";")), comma);
    assert_eq!(fit_json("tab.csv", &decimal_comma("\t")), comma);
    let table =
        ccsim().arg("fit").arg(dir.join("semicolon.csv")).assert().success().get_output().stdout.clone();
    assert!(String::from_utf8(table).unwrap().contains("fields separated by semicolons"));
}

/// Phone systems export the arrival their own way: a date and a time of day in two columns,
/// the month first, no leading zeros, a 12-hour clock; or seconds or milliseconds since 1970. Read with
/// `--column arrival=Date+Time` and `--arrival-format`, such an export fits to exactly what
/// the same log written `YYYY-MM-DD HH:MM:SS` fits to (the epoch export an hour behind the
/// local clock, placed with `--timezone +01:00`).
#[test]
fn an_export_with_its_own_date_and_time_layout_fits_as_the_same_log() {
    let dir = empty_dir("fit", "arrival-format");
    let log = std::fs::read_to_string("scenarios/data/retail-bank-calls.csv").unwrap();
    let (mut us, mut epoch) = (String::from("Date,Time"), String::from("when"));
    let mut millis = String::from("when");
    let mut afternoon = false;
    for (i, line) in log.lines().enumerate() {
        let (arrival, rest) = line.split_once(',').unwrap();
        if i == 0 {
            us += &format!(",{rest}\n");
            epoch += &format!(",{rest}\n");
            millis += &format!(",{rest}\n");
            continue;
        }
        let num = |range: std::ops::Range<usize>| arrival[range].parse::<i64>().unwrap();
        let (y, mo, d, h, mi, s) = (num(0..4), num(5..7), num(8..10), num(11..13), num(14..16), num(17..19));
        afternoon |= h > 12;
        let (h12, half) = (if h % 12 == 0 { 12 } else { h % 12 }, if h < 12 { "AM" } else { "PM" });
        us += &format!("{mo}/{d}/{y},{h12}:{mi:02}:{s:02} {half},{rest}\n");
        // Days from 1970-01-01 (the log's dates are in 2024, a leap year: March begins on its day 60).
        let days = (y - 1970) * 365
            + (1972..y).step_by(4).count() as i64
            + [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335][mo as usize - 1]
            + d
            - 1;
        let unix = days * 86_400 + h * 3600 + mi * 60 + s - 3600;
        epoch += &format!("{unix},{rest}\n");
        // 400 ms into the log's second: the same interval, and the same gaps between calls.
        millis += &format!("{unix}400,{rest}\n");
    }
    assert!(
        log.lines().nth(1).unwrap().starts_with("2024-01-01 08:") && afternoon,
        "the test needs AM and PM"
    );
    let fit_json = |name: &str, text: Option<&str>, flags: &[&str]| -> serde_json::Value {
        let file = match text {
            Some(text) => {
                let file = dir.join(name);
                std::fs::write(&file, text).unwrap();
                file
            }
            None => PathBuf::from(name),
        };
        stdout_json(&ccsim().arg("fit").arg(&file).args(flags).args(["--format", "json"]).assert().success())
    };
    let plain = fit_json("scenarios/data/retail-bank-calls.csv", None, &[]);
    let split = ["--column", "arrival=Date+Time", "--arrival-format", "%m/%d/%Y %I:%M:%S %p"];
    assert_eq!(fit_json("us.csv", Some(&us), &split), plain);
    let seconds = ["--column", "arrival=when", "--arrival-format", "%s", "--timezone", "+01:00"];
    assert_eq!(fit_json("epoch.csv", Some(&epoch), &seconds), plain);
    let milliseconds = ["--column", "arrival=when", "--arrival-format", "%s%3f", "--timezone", "+01:00"];
    assert_eq!(fit_json("epoch-ms.csv", Some(&millis), &milliseconds), plain);
}

/// Some phone systems export durations in milliseconds. With `--duration-unit ms` such a log
/// fits to exactly what the same log in seconds fits to, and a clock reading (`00:01:40`) is
/// still hours, minutes and seconds; without it, handle times averaging hours are read as they
/// stand, and a warning names the flag.
#[test]
fn durations_in_milliseconds_fit_as_the_same_log_in_seconds() {
    let dir = empty_dir("fit", "milliseconds");
    let log = std::fs::read_to_string("scenarios/data/retail-bank-calls.csv").unwrap();
    // Every duration has three decimals: dropping the point writes it in whole milliseconds.
    let ms = |cell: &str| -> String {
        if cell.is_empty() {
            return String::new();
        }
        let (whole, frac) = cell.split_once('.').expect("three decimals");
        assert_eq!(frac.len(), 3, "{cell}");
        (whole.parse::<u64>().unwrap() * 1000 + frac.parse::<u64>().unwrap()).to_string()
    };
    let mut text = String::new();
    for (i, line) in log.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if i > 0 {
            cells[3] = ms(&cells[3]);
            cells[4] = ms(&cells[4]);
        }
        text += &(cells.join(",") + "\n");
    }
    let file = dir.join("ms.csv");
    std::fs::write(&file, &text).unwrap();
    let json = |file: &Path, flags: &[&str]| {
        stdout_json(&ccsim().arg("fit").arg(file).args(flags).args(["--format", "json"]).assert().success())
    };
    let plain = json(Path::new("scenarios/data/retail-bank-calls.csv"), &[]);
    assert_eq!(json(&file, &["--duration-unit", "ms"]), plain);
    let stderr = warnings_of(ccsim().arg("fit").arg(&file));
    assert!(
        stderr.contains("call type \"accounts\": its handle time averages")
            && stderr.contains(
                "hours; if the log writes durations in milliseconds, read it with --duration-unit ms"
            ),
        "{stderr}"
    );
    assert!(
        !warnings_of(ccsim().arg("fit").arg(&file).args(["--duration-unit", "ms"])).contains("milliseconds")
    );
    let clock = dir.join("clock.csv");
    std::fs::write(
        &clock,
        "arrival,call_type,outcome,wait_s,handle_s\n\
         2024-01-01 09:00:00,a,answered,00:00:02,00:01:40\n\
         2024-01-01 09:10:00,a,answered,2000,100000\n",
    )
    .unwrap();
    let fitted = json(&clock, &["--duration-unit", "ms"]);
    assert_eq!(fitted["call_types"][0]["handle_time"]["mean_s"], 100.0, "{fitted}");
    assert_eq!(fitted["call_types"][0]["asa_s"], 2.0, "{fitted}");
}

/// A pattern that would misread every row (no date, an hour of a 12-hour clock without AM or
/// PM, no minutes, a zone name per row, a directive that is none) is refused before the log
/// is read, as is an arrival joined from more than a date and a time.
#[test]
fn an_arrival_format_that_would_misread_the_log_is_refused() {
    for (pattern, says) in [
        ("%H:%M", "does not read a whole date and time of day"),
        (
            "%m/%d/%Y %I:%M",
            "does not read the time of day to the minute (hour and minute; %I also needs %p): it reads 15:47 back as 03:47",
        ),
        ("%m/%d/%Y %H", "it reads 15:47 back as 15:00"),
        ("%Q %Y-%m-%d %H:%M", "reads a time zone name (%Q)"),
        ("%Y-%m-%d %J", "is not a pattern that can be read"),
    ] {
        let stderr = refusal_of(ccsim().args(["fit", MESSY, "--arrival-format", pattern]));
        assert!(stderr.contains(&format!("--arrival-format: \"{pattern}\"")), "{pattern}: {stderr}");
        assert!(stderr.contains(says), "{pattern}: {stderr}");
    }
    let dir = empty_dir("fit", "arrival-three-columns");
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "d,t,z,call_type,outcome,wait_s,handle_s\n2024-01-01,08:00,+01:00,a,answered,1,100\n",
    )
    .unwrap();
    let stderr = refusal_of(ccsim().arg("fit").arg(&log).args(["--column", "arrival=d+t+z"]));
    assert!(
        stderr.contains(
            "--column arrival=d+t+z: only handle_s may sum several columns, and arrival may join two"
        ),
        "{stderr}"
    );
}

/// An arrival written as phone systems often write it says how to read it: the patterns that
/// fit (both orders of day and month when the text cannot tell them apart), or that a date alone
/// needs its time's column; a row that the pattern given does not match is rejected at its line
/// and column, naming the pattern.
#[test]
fn an_arrival_the_log_writes_otherwise_says_how_to_read_it() {
    let dir = empty_dir("fit", "arrival-hints");
    let refusal = |name: &str, arrival: &str, flags: &[&str]| -> String {
        let log = dir.join(name);
        std::fs::write(
            &log,
            format!("arrival,call_type,outcome,wait_s,handle_s\n{arrival},a,answered,1,100\n"),
        )
        .unwrap();
        refusal_of(ccsim().arg("fit").arg(&log).args(flags))
    };
    let stderr = refusal("us.csv", "03/02/2026 08:00:04 AM", &[]);
    assert!(
        stderr.contains(
            "read it with --arrival-format \"%m/%d/%Y %I:%M:%S %p\" if the month comes first, \
             \"%d/%m/%Y %I:%M:%S %p\" if the day does"
        ),
        "{stderr}"
    );
    let stderr = refusal("eu.csv", "25.02.2026 17:30", &[]);
    assert!(stderr.contains("read it with --arrival-format \"%d.%m.%Y %H:%M\""), "{stderr}");
    assert!(!stderr.contains("month comes first"), "25 is no month: {stderr}");
    let stderr = refusal("date.csv", "2026-02-25", &[]);
    assert!(stderr.contains("it is a date alone: if the time of day is in a column of its own, read both with --column arrival=DATE+TIME"), "{stderr}");
    // The shipped export names its columns its own way, its arrival in two of them.
    let stderr = refusal_of(ccsim().args(["fit", "scenarios/data/retail-bank-acd-export.csv"]));
    assert!(
        stderr.contains("for a date and a time of day in two columns, --column arrival=Date+Time"),
        "{stderr}"
    );
    let stderr = refusal("epoch.csv", "1772000000", &[]);
    assert!(stderr.contains("read it with --arrival-format %s (seconds since 1970 UTC)"), "{stderr}");
    // Read so (the pattern also takes a fraction), it is an instant on the UTC clock, which no
    // center keeps.
    let stderr =
        warnings_of(ccsim().arg("fit").arg(dir.join("epoch.csv")).args(["--arrival-format", "%s%.f"]));
    assert!(
        stderr.contains("written in UTC (a `Z`, or a Unix time) and no --timezone was given"),
        "{stderr}"
    );
    let stderr =
        refusal("strict.csv", "2026-02-25 17:30", &["--arrival-format", "%d.%m.%Y %H:%M", "--strict"]);
    assert!(stderr.contains("strict.csv:2:1: bad_value: \"2026-02-25 17:30\" does not match --arrival-format \"%d.%m.%Y %H:%M\""), "{stderr}");
}

#[test]
fn the_round_trip_check_flags_a_staffing_file_that_was_not_on_the_phones() {
    let (_, _, trace) = round_trip("round-trip-check");
    let dir = trace.parent().unwrap();
    let check = |agents: u32| -> serde_json::Value {
        let staffing = dir.join(format!("staffing-{agents}.csv"));
        let rows: String = (0..48).map(|i| format!("{:02}:{:02},{agents}\n", i / 2, i % 2 * 30)).collect();
        std::fs::write(&staffing, format!("interval,agents\n{rows}")).unwrap();
        let out = ccsim()
            .arg("fit")
            .arg(&trace)
            .args(["--column", "arrival=timestamp", "--column", "handle_s=handle_time_s", "--format", "json"])
            .arg("--staffing")
            .arg(&staffing)
            .arg("--out")
            .arg(dir.join(format!("fitted-{agents}.toml")))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()["round_trip"].clone()
    };
    let misfits = |rows: &serde_json::Value| {
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["misfit"] == true)
            .map(|r| r.to_string())
            .collect::<Vec<_>>()
    };
    // The log was made by 9 agents: said so, the fitted scenario reproduces it.
    let right = check(9);
    assert_eq!(right.as_array().unwrap().len(), 6, "{right}");
    println!("{right:#}");
    // Said to be 12, the simulated center answers far faster than the log shows.
    let wrong = check(12);
    assert!(misfits(&wrong).len() >= 4, "{wrong:#}");
    assert!(misfits(&right).is_empty(), "{right:#}");
}

/// One `<text>` of an inline SVG chart: where it is drawn, how it is anchored, what it says.
struct ChartText {
    x: f64,
    y: f64,
    anchor: String,
    text: String,
}

/// A chart of the report: its texts, its lines (stroke colour, vertices in pixels) and the
/// fill colours of its areas.
struct ChartParts {
    texts: Vec<ChartText>,
    lines: Vec<(String, Vec<(f64, f64)>)>,
    fills: Vec<String>,
}

fn chart_parts(figure: &markup5ever_rcdom::Handle) -> ChartParts {
    let number = |node, name| attr(node, name).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    let texts = elements(figure, "text")
        .iter()
        .map(|t| ChartText {
            x: number(t, "x"),
            y: number(t, "y"),
            anchor: attr(t, "text-anchor").unwrap_or_default(),
            text: text_of(t),
        })
        .collect();
    let lines = elements(figure, "polyline")
        .iter()
        .map(|l| {
            let points = attr(l, "points").unwrap_or_default();
            let vertices = points
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            (attr(l, "stroke").unwrap_or_default(), vertices)
        })
        .collect();
    let fills = elements(figure, "polygon").iter().filter_map(|p| attr(p, "fill")).collect();
    ChartParts { texts, lines, fills }
}

/// A tick label's value: `1,250` and `40%` (as a share, 0.4) read as numbers.
fn tick_value(text: &str) -> Option<f64> {
    let plain = text.replace(',', "");
    match plain.strip_suffix('%') {
        Some(percent) => percent.parse::<f64>().ok().map(|v| v / 100.0),
        None => plain.parse().ok(),
    }
}

/// An axis's numbered ticks: (pixel, value) each.
type Ticks = Vec<(f64, f64)>;

/// The numbered ticks of a chart's x axis (centred labels on one row, left to right) and y
/// axis (right-aligned labels in one column, bottom to top), as (pixel, value).
fn ticks(parts: &ChartParts) -> (Ticks, Ticks) {
    let axis = |anchor: &str, along_x: bool| {
        let mut groups: Vec<(f64, Vec<(f64, f64)>)> = Vec::new();
        for t in parts.texts.iter().filter(|t| t.anchor == anchor) {
            let Some(value) = tick_value(&t.text) else { continue };
            let (line, at) = if along_x { (t.y, t.x) } else { (t.x, t.y) };
            match groups.iter_mut().find(|g| g.0 == line) {
                Some(g) => g.1.push((at, value)),
                None => groups.push((line, vec![(at, value)])),
            }
        }
        let mut longest = groups.into_iter().map(|g| g.1).max_by_key(Vec::len).unwrap_or_default();
        longest.sort_by(|a, b| a.0.total_cmp(&b.0));
        longest
    };
    (axis("middle", true), axis("end", false))
}

/// From a pixel on the x axis to its value, through the outermost numbered ticks; and the
/// value one pixel spans.
fn x_value(x_ticks: &[(f64, f64)], px: f64) -> (f64, f64) {
    let ((p0, v0), (p1, v1)) = (x_ticks[0], x_ticks[x_ticks.len() - 1]);
    let per_px = (v1 - v0) / (p1 - p0);
    (v0 + (px - p0) * per_px, per_px)
}

/// Checks a chart's axes: both titled as given (each with its unit in brackets), each with at
/// least three numbered ticks that grow along it.
fn assert_axes(parts: &ChartParts, x_title: &str, y_title: &str, who: &str) {
    for title in [x_title, y_title] {
        assert!(title.ends_with("(s)") || title.ends_with("(%)"), "{who}: {title} names no unit");
        assert!(parts.texts.iter().any(|t| t.text == title), "{who}: no axis title {title}");
    }
    let (x, y) = ticks(parts);
    assert!(x.len() >= 3, "{who}: x ticks {x:?}");
    assert!(y.len() >= 3, "{who}: y ticks {y:?}");
    assert!(x.windows(2).all(|w| w[1].1 > w[0].1), "{who}: x ticks do not grow to the right: {x:?}");
    // Pixels grow downwards: sorted by pixel, a y axis's values fall.
    assert!(y.windows(2).all(|w| w[1].1 < w[0].1), "{who}: y ticks do not grow upwards: {y:?}");
}

/// The Okabe-Ito colours, black and white: the only strokes and fills the fit charts use.
const OKABE_ITO: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#D55E00", "#000000", "#FFFFFF", "none",
];

/// The fit report read as a person reads it in a meeting: each chart's axes are titled with
/// their units and numbered; the handle-time legend names every fitted family and the note
/// under it counts the calls beyond the histogram's cut as the log has them; the Kaplan-Meier
/// curve is a step function from 0 up to the longest observed wait, with its band; every
/// colour is the tool's palette; and the round-trip table shows the figures stdout and JSON
/// give, its MISFIT rows marked.
#[test]
fn the_fit_report_draws_axes_legends_steps_and_the_round_trip() {
    let (_, _, trace) = round_trip("report-charts");
    let dir = trace.parent().unwrap();
    let staffing = dir.join("staffing-12.csv");
    let rows: String = (0..48).map(|i| format!("{:02}:{:02},12\n", i / 2, i % 2 * 30)).collect();
    std::fs::write(&staffing, format!("interval,agents\n{rows}")).unwrap();
    let run = |format: &str, report: &str, with_staffing: bool| {
        let mut cmd = ccsim();
        cmd.arg("fit")
            .arg(&trace)
            .args(["--column", "arrival=timestamp", "--column", "handle_s=handle_time_s", "--format", format])
            .arg("--out")
            .arg(dir.join("fitted.toml"))
            .arg("--report")
            .arg(dir.join(report));
        if with_staffing {
            cmd.arg("--staffing").arg(&staffing);
        }
        let stdout = cmd.assert().success().get_output().stdout.clone();
        (String::from_utf8(stdout).unwrap(), std::fs::read_to_string(dir.join(report)).unwrap())
    };
    let (json, html) = run("json", "fit.html", true);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (table, html_again) = run("table", "fit-again.html", true);
    assert_eq!(html, html_again, "the same log and staffing give the same report");

    let (document, errors) = parse_html(&html);
    assert!(errors.is_empty(), "{errors:?}");
    let rest = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for forbidden in ["http://", "https://", "<script", "<link", "@import", "url(", "src="] {
        assert!(!rest.contains(forbidden), "the report holds {forbidden}");
    }
    let figure = |id: &str| {
        elements(&document, "figure")
            .into_iter()
            .find(|f| attr(f, "id").as_deref() == Some(id))
            .unwrap_or_else(|| panic!("no figure {id}"))
    };
    let trace_rows: Vec<Vec<String>> = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    // arrival_s,day,arrival_time,call_type,origin,wait_s,outcome,group,handle_time_s,...
    let (call_type, wait, outcome, handle) = (3, 5, 6, 8);
    let mut km_ends_past_last_abandon = 0;
    for c in json["call_types"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let of_type = || trace_rows.iter().filter(move |r| r[call_type] == name);

        // Handle time: axes, a legend entry per fitted family, and the calls beyond the cut.
        let parts = chart_parts(&figure(&format!("chart-handle_time_{name}")));
        let bin = parts.texts.iter().find_map(|t| {
            t.text.strip_prefix("share of answered calls per ").and_then(|r| r.strip_suffix(" s bin (%)"))
        });
        let bin = bin.unwrap_or_else(|| panic!("{name}: no y axis title naming the bin width"));
        assert_axes(
            &parts,
            "handle time (s)",
            &format!("share of answered calls per {bin} s bin (%)"),
            &format!("{name} handle time"),
        );
        let fits = c["handle_time"]["fits"].as_object().unwrap();
        assert_eq!(fits.len(), 3, "{name}: {fits:?}");
        for family in fits.keys() {
            let entries: Vec<&str> = parts
                .texts
                .iter()
                .map(|t| t.text.as_str())
                .filter(|t| {
                    t.starts_with(&format!("{family}:")) || t.starts_with(&format!("{family} (written):"))
                })
                .collect();
            assert_eq!(entries.len(), 1, "{name}: legend entries of {family}: {entries:?}");
            let written = c["handle_time"]["chosen"] == family.as_str();
            assert_eq!(entries[0].contains("(written)"), written, "{name}: {}", entries[0]);
        }
        let note = parts
            .texts
            .iter()
            .find_map(|t| t.text.strip_prefix("beyond the right edge: "))
            .unwrap_or_else(|| panic!("{name}: no note of the calls beyond the cut"));
        // "17 of 1650 calls (1.0%) took 950 s or longer"
        let words: Vec<&str> = note.split(' ').collect();
        let (beyond, n, cut): (usize, u64, f64) =
            (words[0].parse().unwrap(), words[2].parse().unwrap(), words[6].parse().unwrap());
        assert_eq!(Some(n), c["handle_time"]["n"].as_u64(), "{name}: {note}");
        let longer = of_type()
            .filter(|r| r[outcome] == "answered" && r[handle].parse::<f64>().unwrap() >= cut)
            .count();
        assert!(longer > 0, "{name}: no call beyond the cut, so its count is not tested");
        assert_eq!(
            beyond, longer,
            "{name}: the note says {note}; the log has {longer} calls of {cut} s or more"
        );
        let (x_ticks, _) = ticks(&parts);
        assert!(x_ticks.last().unwrap().1 <= cut, "{name}: the axis runs past the cut {cut}: {x_ticks:?}");

        // Patience: axes, the Kaplan-Meier curve as steps from 0 to the longest wait, its band.
        let parts = chart_parts(&figure(&format!("chart-patience_{name}")));
        assert_axes(
            &parts,
            "wait in queue (s)",
            "callers who would hang up by then (%)",
            &format!("{name} patience"),
        );
        for entry in ["Kaplan-Meier", "exponential", "95% confidence band"] {
            assert!(parts.texts.iter().any(|t| t.text.starts_with(entry)), "{name}: no legend entry {entry}");
        }
        let km = parts
            .lines
            .iter()
            .filter(|(stroke, _)| stroke == "#0072B2")
            .map(|(_, points)| points)
            .max_by_key(|points| points.len())
            .unwrap();
        assert!(km.len() > 20, "{name}: {km:?}");
        for w in km.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            assert!(x0 == x1 || y0 == y1, "{name}: a diagonal segment {:?}: not a step function", w);
            assert!(x1 >= x0 && y1 <= y0, "{name}: the curve goes back or down at {:?}", w);
        }
        let (x_ticks, _) = ticks(&parts);
        let (first, px) = x_value(&x_ticks, km[0].0);
        assert!(first.abs() <= 1.5 * px, "{name}: the curve starts at {first} s");
        let (last, px) = x_value(&x_ticks, km[km.len() - 1].0);
        let longest_wait = c["patience"]["max_wait_s"].as_f64().unwrap();
        let expected = of_type().map(|r| r[wait].parse::<f64>().unwrap()).fold(0.0, f64::max);
        assert!(
            (longest_wait - expected).abs() < 1e-3,
            "{name}: {longest_wait} against the log's {expected}"
        );
        assert!(
            (last - longest_wait).abs() <= 1.5 * px,
            "{name}: the curve ends at {last:.1} s, the longest wait is {longest_wait} s"
        );
        let last_abandon = of_type()
            .filter(|r| r[outcome] == "abandoned")
            .map(|r| r[wait].parse::<f64>().unwrap())
            .fold(0.0, f64::max);
        km_ends_past_last_abandon += usize::from(longest_wait - last_abandon > 3.0 * px);
        assert!(parts.fills.iter().any(|f| f == "#0072B2"), "{name}: no band under the curve");
        for parts in [&parts, &chart_parts(&figure(&format!("chart-handle_time_{name}")))] {
            for colour in parts.lines.iter().map(|l| &l.0).chain(&parts.fills) {
                assert!(OKABE_ITO.contains(&colour.as_str()), "{name}: {colour} is not in the palette");
            }
        }
    }
    assert!(km_ends_past_last_abandon > 0, "no call type whose longest wait outlasts its last abandon");

    // The round trip: the JSON's rows, as stdout prints them, MISFIT rows marked.
    let table_html = elements(&document, "table")
        .into_iter()
        .find(|t| elements(t, "th").iter().any(|th| text_of(th) == "Simulated (95% CI)"))
        .expect("a round-trip table");
    let html_rows: Vec<_> =
        elements(&table_html, "tr").into_iter().filter(|tr| !elements(tr, "td").is_empty()).collect();
    let json_rows = json["round_trip"].as_array().unwrap();
    assert_eq!(html_rows.len(), json_rows.len());
    let mut misfits = 0;
    for (tr, r) in html_rows.iter().zip(json_rows) {
        let cells: Vec<String> = elements(tr, "td").iter().map(text_of).collect();
        let number = |key: &str| r[key].as_f64().unwrap();
        let log = format!("{:.3}±{:.3}", number("observed"), 1.96 * number("observed_se"));
        let simulated = format!("{:.3}±{:.3}", number("simulated"), number("simulated_half_width"));
        assert_eq!(
            (cells[0].as_str(), &cells[2], &cells[3]),
            (r["call_type"].as_str().unwrap(), &log, &simulated)
        );
        let misfit = r["misfit"] == true;
        misfits += usize::from(misfit);
        assert_eq!(cells[4].starts_with("MISFIT"), misfit, "{cells:?}");
        assert_eq!(attr(tr, "class").as_deref() == Some("miss"), misfit, "{cells:?}");
        let printed = table
            .lines()
            .find(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.len() >= 4 && words[0] == cells[0] && words[1] == r["figure"].as_str().unwrap()
            })
            .unwrap_or_else(|| panic!("stdout has no row {cells:?}:\n{table}"));
        assert!(printed.contains(&format!("{log}  ")) && printed.contains(&simulated), "{printed}");
        assert_eq!(printed.contains("MISFIT"), misfit, "{printed}");
    }
    assert!(misfits > 0, "12 agents said where 9 worked: the check flags nothing, so the marks are untested");

    // Without a staffing file there is nothing to simulate: no table, and the report says so.
    let (_, plain) = run("json", "plain.html", false);
    assert!(!plain.contains("Simulated (95% CI)") && plain.contains("Not run: give the agents logged in"));
}

/// The written scenario names its first weekday only when its days follow one another: by date
/// always, by weekday when no weekday is missing between the first and the last; and the
/// scenario's tables then label the days with it. A handle time that never varies is written
/// as fixed.
#[test]
fn the_written_scenario_names_its_first_weekday_only_when_its_days_are_consecutive() {
    let dir = empty_dir("fit", "weekdays");
    // 2024-01-03 is a Wednesday.
    let log = |dates: &[&str]| {
        let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s\n");
        for date in dates {
            for minute in 0..20 {
                text += &format!("{date} 08:{minute:02}:00,sales,answered,5,120\n");
            }
        }
        text
    };
    let first_weekday = |name: &str, dates: &[&str], by: &str| {
        let csv = dir.join(format!("{name}.csv"));
        std::fs::write(&csv, log(dates)).unwrap();
        let toml = dir.join(format!("{name}.toml"));
        ccsim().arg("fit").arg(&csv).args(["--by", by, "--out"]).arg(&toml).assert().success();
        let written = std::fs::read_to_string(&toml).unwrap();
        // Every call took 120 s: no fitted family has a cv of 0, so the time is written fixed
        // (the scenario would not validate otherwise).
        assert!(
            written.contains("handle_time = { distribution = \"deterministic\", mean = \"120s\" }"),
            "{written}"
        );
        let validate = ccsim().arg("validate").arg(&toml).assert().success().get_output().stdout.clone();
        let line = written.lines().find(|l| l.starts_with("first_weekday")).map(str::to_string);
        (line, String::from_utf8(validate).unwrap())
    };
    let (line, summary) = first_weekday("wed-thu", &["2024-01-03", "2024-01-04"], "weekday");
    assert!(line.unwrap().starts_with("first_weekday = \"wednesday\""));
    assert!(
        summary.contains("on 2 days, day 1 a Wednesday") && summary.contains("at Wed 08:00"),
        "{summary}"
    );
    // Wednesday and Friday: the days are not a week's run, so they keep their numbers.
    let (line, summary) = first_weekday("wed-fri", &["2024-01-03", "2024-01-05"], "weekday");
    assert_eq!(line, None);
    assert!(summary.contains("at day 1 08:00"), "{summary}");
    // By date every date is a day, Thursday with no call included.
    let (line, _) = first_weekday("dates", &["2024-01-03", "2024-01-05"], "date");
    assert!(line.unwrap().starts_with("first_weekday = \"wednesday\""));
}

/// The written scenario's `open` is the hours the log shows first attempts in: by weekday
/// when its days are a week's run and their hours differ, else the same every day, and none
/// when the calls fill the scenario's whole day; the scenario validates with it.
#[test]
fn the_written_scenario_opens_when_the_log_shows_calls() {
    let dir = empty_dir("fit", "open");
    // 2024-01-01 is a Monday. Sales: 08:00-12:00 on weekdays, 09:00-10:00 on Saturday.
    // Service: 10:00-11:00 every day.
    let log = |dates: &[(&str, bool)]| {
        let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s\n");
        for &(date, saturday) in dates {
            let sales = if saturday { 9 * 60..10 * 60 } else { 8 * 60..12 * 60 };
            for minute in sales.step_by(10) {
                text += &format!("{date} {:02}:{:02}:00,sales,answered,5,120\n", minute / 60, minute % 60);
            }
            for minute in (10 * 60..11 * 60).step_by(15) {
                text += &format!("{date} {:02}:{:02}:00,service,answered,5,100\n", minute / 60, minute % 60);
            }
        }
        text
    };
    let open = |name: &str, dates: &[(&str, bool)]| -> Vec<String> {
        let csv = dir.join(format!("{name}.csv"));
        std::fs::write(&csv, log(dates)).unwrap();
        let toml = dir.join(format!("{name}.toml"));
        ccsim().arg("fit").arg(&csv).args(["--out"]).arg(&toml).assert().success();
        ccsim().arg("validate").arg(&toml).assert().success();
        let written = std::fs::read_to_string(&toml).unwrap();
        written.lines().filter(|l| l.starts_with("open")).map(str::to_string).collect()
    };
    let week: Vec<(&str, bool)> = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]
        .into_iter()
        .map(|d| (d, false))
        .chain([("2024-01-06", true)])
        .collect();
    assert_eq!(
        open("week", &week),
        ["open = { mon-fri = \"08:00-12:00\", sat = \"09:00-10:00\" }", "open = \"10:00-11:00\""]
    );
    // Weekdays only: sales fills the day, so only service has hours.
    assert_eq!(open("weekdays", &week[..5]), ["open = \"10:00-11:00\""]);
    // Monday and Saturday are not a week's run (no first_weekday): the hours of every day.
    // Monday and Saturday are not a week's run (no first_weekday): the hours of every day
    // together, which for sales are the scenario's whole day.
    assert_eq!(open("apart", &[week[0], week[5]]), ["open = \"10:00-11:00\""]);
}

/// A log that gives nothing to fit is refused before any work, with exit 2: one whose rows are
/// all defective, and, `--by date`, one whose dates lie centuries apart. The second once laid
/// out every date between its two rows (2.9 million days of minute intervals, tens of
/// gigabytes); it runs here under a 1 GB address-space limit, so a regression aborts instead
/// of exhausting the machine. `--by weekday` fits the same two rows.
#[test]
fn a_log_with_nothing_to_fit_or_dates_centuries_apart_is_refused_before_any_work() {
    let dir = empty_dir("fit", "nothing-to-fit");
    let header = "arrival,call_type,outcome,wait_s,handle_s\n";
    let defective = dir.join("defective.csv");
    std::fs::write(&defective, format!("{header}2024-01-01 08:00:00,a,answered,-3,100\n")).unwrap();
    let out = ccsim().arg("fit").arg(&defective).assert().code(2).get_output().stderr.clone();
    let message = String::from_utf8(out).unwrap();
    assert!(message.contains("defective.csv: no usable row (1 rows read, 1 rejected)"), "{message}");

    let far = dir.join("far.csv");
    let rows = "2024-01-01 00:00:30,a,answered,0,100\n9999-01-01 23:59:30,a,answered,0,100\n";
    std::fs::write(&far, format!("{header}{rows}")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    let limited = |by: &str, out: &Path| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 1000000 && exec \"$0\" fit \"$1\" --by \"$2\" --interval 1m --out \"$3\"")
            .arg(&bin)
            .arg(&far)
            .arg(by)
            .arg(out)
            .output()
            .unwrap()
    };
    let by_date = limited("date", &dir.join("by-date.toml"));
    let message = String::from_utf8_lossy(&by_date.stderr);
    assert_eq!(by_date.status.code(), Some(2), "{message}");
    assert!(message.contains("--by date: the log spans 2912810 dates, more than the 366 days"), "{message}");
    assert!(!dir.join("by-date.toml").exists(), "nothing is written");
    let by_weekday = limited("weekday", &dir.join("by-weekday.toml"));
    assert!(by_weekday.status.success(), "{}", String::from_utf8_lossy(&by_weekday.stderr));
    ccsim().arg("validate").arg(dir.join("by-weekday.toml")).assert().success();
}

/// A column mapped by mistake (caller ids read as call types) gives a name per row: the reading
/// stops at the row past the cap of call types a scenario may have, naming the column, instead
/// of building a table of every name against every interval (gigabytes for a small log).
#[test]
fn a_log_with_more_call_types_or_groups_than_a_scenario_may_have_is_refused_at_the_row() {
    let dir = empty_dir("fit", "too-many-names");
    let cap = ccsim::limits::MAX_CALL_TYPES;
    let rows = |column: &str| -> String {
        let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s,group\n");
        for i in 0..cap + 5 {
            let (ct, group) = if column == "call_type" {
                (format!("t{i}"), "g".to_string())
            } else {
                ("t".to_string(), format!("g{i}"))
            };
            text +=
                &format!("2024-01-01 08:{:02}:{:02},{ct},answered,3,100,{group}\n", (i / 60) % 60, i % 60);
        }
        text
    };
    for (column, what) in [("call_type", "call types"), ("group", "agent groups")] {
        let log = dir.join(format!("{column}.csv"));
        std::fs::write(&log, rows(column)).unwrap();
        let out = ccsim().arg("fit").arg(&log).assert().code(2).get_output().stderr.clone();
        let message = String::from_utf8(out).unwrap();
        // Row `cap + 1` (line `cap + 2`, after the header) brings the names past the cap.
        let at = format!(
            "{column}.csv:{}: more than {cap} distinct {what} by this row (column \"{column}\")",
            cap + 2
        );
        assert!(message.contains(&at), "{message}");
    }
    // At the cap, it fits.
    let log = dir.join("at-cap.csv");
    let text: String = rows("call_type").lines().take(cap + 1).map(|l| format!("{l}\n")).collect();
    std::fs::write(&log, text).unwrap();
    ccsim().arg("fit").arg(&log).args(["--out"]).arg(dir.join("at-cap.toml")).assert().success();
}

/// Durations out of any call's range never make a scenario that fails to load. A duration over
/// the 30 days a scenario allows is a rejected row (`bad_value`): `1e308` s once summed to an
/// infinite mean. Waits long enough to put the patience estimate past 30 days write it at 30
/// days, saying so. Handle times that would need more agents than the cap in an interval are
/// refused with the interval named, as is a staffing file over the cap.
#[test]
fn absurd_durations_in_a_log_are_rejected_capped_or_refused_never_written_invalid() {
    let dir = empty_dir("fit", "absurd-durations");
    let header = "arrival,call_type,outcome,wait_s,handle_s\n";
    let log = dir.join("log.csv");
    let rows = [
        "2024-01-01 08:00:00,a,answered,0,100",
        "2024-01-01 08:01:00,a,answered,0,1e308",
        "2024-01-01 08:02:00,a,abandoned,2600000,",
        "2024-01-01 08:03:00,a,answered,2000000,120",
        "2024-01-01 08:04:00,a,answered,2000000,140",
        "2024-01-01 08:05:00,a,abandoned,10,",
        "2024-01-01 08:06:00,a,abandoned,20,",
    ];
    std::fs::write(&log, format!("{header}{}\n", rows.join("\n"))).unwrap();
    let out = dir.join("fitted.toml");
    let json =
        ccsim().arg("fit").arg(&log).arg("--out").arg(&out).args(["--format", "json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(json["rejected"]["bad_value"], 2, "{json}");
    assert_eq!(json["first_lines"]["bad_value"], serde_json::json!([3, 4]));
    let text = std::fs::read_to_string(&out).unwrap();
    // Two abandons kept, 4,000,030 s of waits: the estimate is 2,000,015 s, under the cap.
    assert!(text.contains("patience = { distribution = \"exponential\", mean = \"2000015s\" }"), "{text}");
    ccsim().arg("validate").arg(&out).assert().success();

    // One abandon among the same waits: 4,000,010 s, past the cap.
    let one_abandon: Vec<&str> = rows.iter().copied().filter(|r| !r.contains(",20,")).collect();
    std::fs::write(&log, format!("{header}{}\n", one_abandon.join("\n"))).unwrap();
    ccsim().arg("fit").arg(&log).arg("--out").arg(&out).assert().success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("exponential MLE mean 4000010.0 s"), "{text}");
    assert!(text.contains("written as 30 days"), "{text}");
    assert!(text.contains("patience = { distribution = \"exponential\", mean = \"2592000s\" }"), "{text}");
    ccsim().arg("validate").arg(&out).assert().success();

    // 60 calls of 30 days in one half-hour (the default interval): 86,400 Erlangs, over 100,000
    // agents at the placeholder's 85% occupancy.
    let heavy: Vec<String> = (0..60)
        .map(|i| format!("2024-01-01 09:{:02}:{:02},a,answered,0,2592000", i / 2, 30 * (i % 2)))
        .collect();
    std::fs::write(&log, format!("{header}{}\n", heavy.join("\n"))).unwrap();
    let refused = ccsim().arg("fit").arg(&log).arg("--out").arg(dir.join("heavy.toml")).assert().code(2);
    let message = stderr_lossy(&refused);
    assert!(message.contains("agents on day 1 at 09:00, more than the cap of 100000"), "{message}");
    assert!(!dir.join("heavy.toml").exists(), "nothing is written");

    let staffing = dir.join("staffing.csv");
    std::fs::write(&staffing, "interval,agents\n09:00,100001\n").unwrap();
    let refused = ccsim().arg("fit").arg(&log).arg("--staffing").arg(&staffing).assert().code(2);
    let message = stderr_lossy(&refused);
    assert!(
        message.contains("staffing.csv:2:2: column \"agents\": \"100001\" is not a whole number"),
        "{message}"
    );
}

/// A file that never ends a line is refused, never read until memory runs out: `/dev/zero` as
/// the call log (its header row never ends) and as the `--staffing` file (past the 64 MiB cap
/// on input files), and a log with a 2 MB row after its header. A row just under the 1 MiB
/// cap is only a defective row. Run under a 1 GB address-space limit: both files once aborted
/// on a 4 GB allocation.
#[test]
fn a_file_that_never_ends_a_line_is_refused_not_read_until_memory_runs_out() {
    let dir = empty_dir("fit", "endless");
    let header = "arrival,call_type,outcome,wait_s,handle_s\n";
    let row = "2024-01-01 08:00:00,a,answered,0,100\n";
    let long = dir.join("long.csv");
    std::fs::write(&long, format!("{header}{}\n{row}", "a".repeat(2_000_000))).unwrap();
    let fine = dir.join("fine.csv");
    std::fs::write(&fine, format!("{header}{}\n{row}", "a".repeat(1_000_000))).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("ccsim");
    let fit = |args: &[&Path]| {
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c").arg("ulimit -v 1000000 && exec \"$0\" fit \"$@\"").arg(&bin);
        cmd.args(args).output().unwrap()
    };
    let staffing = Path::new("--staffing");
    let zero = Path::new("/dev/zero");
    for (args, says) in [
        (vec![zero], "/dev/zero:1: the row that starts here is longer than 1 MiB (MAX_ROW_BYTES)"),
        (vec![&long], "long.csv:2: the row that starts here is longer than 1 MiB (MAX_ROW_BYTES)"),
        (
            vec![&fine, staffing, zero],
            "/dev/zero: cannot read the staffing CSV: the file is larger than the cap of 64 MiB",
        ),
    ] {
        let out = fit(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let out = fit(&[&fine, Path::new("--format"), Path::new("json")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (json["rows"].as_u64(), json["rejected"]["malformed_row"].as_u64()),
        (Some(2), Some(1)),
        "{json}"
    );
}

/// Follow-ups the written scenario does not simulate stay in the volumes. In a log of one
/// day, no answered call has a whole 7-day repeat window inside the log, so no repeat is
/// estimated: a caller's second call is then a first attempt, or the scenario would offer
/// fewer calls than the log had. With a repeat window inside the log (1 h), the repeats are
/// simulated and left out of the volumes.
#[test]
fn follow_ups_the_scenario_does_not_simulate_count_as_first_attempts() {
    let dir = empty_dir("fit", "unmodelled-follow-ups");
    let mut log = String::from("arrival,call_type,outcome,wait_s,handle_s,caller_id\n");
    // 20 callers answered at 08:00..08:19; the even ones call again 10 minutes after their call
    // ends, answered too. The last call of the log ends at 12:00, so a 1 h window fits.
    for i in 0..20 {
        log += &format!("2024-01-01 08:{i:02}:00,sales,answered,0,60,c{i}\n");
        if i % 2 == 0 {
            log += &format!("2024-01-01 08:{:02}:00,sales,answered,0,60,c{i}\n", i + 11);
        }
    }
    log += "2024-01-01 12:00:00,sales,answered,0,60,last\n";
    let file = dir.join("log.csv");
    std::fs::write(&file, log).unwrap();
    let fit = |window: &str| -> (u64, u64, String) {
        let out = dir.join(format!("fit-{window}.toml"));
        let json = ccsim()
            .arg("fit")
            .arg(&file)
            .args(["--repeat-window", window, "--format", "json", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let sales = &json["call_types"][0];
        let text = std::fs::read_to_string(&out).unwrap();
        (sales["offered"].as_u64().unwrap(), sales["fresh"].as_u64().unwrap(), text)
    };
    // 7 days: none eligible, nothing simulated, every call a first attempt.
    let (offered, fresh, text) = fit("7d");
    assert_eq!((offered, fresh), (31, 31), "{text}");
    assert!(
        text.contains(
            "# the 10 calls that came within the repeat window after an answered call count as first attempts"
        ),
        "{text}"
    );
    assert!(!text.contains("\nrepeat = "), "{text}");
    // 1 hour: 30 answered calls end before 11:00 and are eligible (the second calls too), 10
    // were followed: a probability of 1/3 is simulated, and the 10 are left out of the volumes.
    let (offered, fresh, text) = fit("1h");
    assert_eq!((offered, fresh), (31, 21), "{text}");
    assert!(text.contains("repeat = { probability = 0.3333,"), "{text}");
    assert!(!text.contains("count as first attempts"), "{text}");
}

/// A staffing file's `interval` column must list the fitted grid's clock times in order, as a
/// forecast's must: a file that starts an hour after the log would put every headcount in the
/// wrong interval. A group column named twice is refused, not read once and dropped once.
#[test]
fn a_staffing_file_must_follow_the_fitted_intervals_and_name_each_group_once() {
    let dir = empty_dir("fit", "staffing-clocks");
    let log = dir.join("log.csv");
    let rows: String = (0..120)
        .map(|m| format!("2024-01-01 {:02}:{:02}:00,a,answered,5,120\n", 8 + m / 60, m % 60))
        .collect();
    std::fs::write(&log, format!("arrival,call_type,outcome,wait_s,handle_s\n{rows}")).unwrap();
    let fit = |staffing_csv: &str, out: &str| {
        let staffing = dir.join(format!("{out}.csv"));
        std::fs::write(&staffing, staffing_csv).unwrap();
        ccsim().arg("fit").arg(&log).arg("--staffing").arg(&staffing).arg("--out").arg(dir.join(out)).assert()
    };
    // Four half-hours from 08:00: rows in that order are taken.
    fit("interval,agents\n08:00,3\n08:30,4\n09:00,5\n09:30,6\n", "aligned.toml").success();
    let text = std::fs::read_to_string(dir.join("aligned.toml")).unwrap();
    assert!(text.contains("staffing = [\n    3, 4, 5, 6,\n]"), "{text}");

    // The same four rows an hour late: refused at the first row, naming what the grid needs.
    let late = fit("interval,agents\n09:00,3\n09:30,4\n10:00,5\n10:30,6\n", "late.toml").code(2);
    let message = stderr_lossy(&late);
    assert!(
        message.contains(
            "late.toml.csv:2:1: column \"interval\": \"09:00\" does not match the fitted interval 08:00"
        ),
        "{message}"
    );
    assert!(message.contains("a day of 4 intervals of 30m from 08:00"), "{message}");
    assert!(!dir.join("late.toml").exists(), "nothing is written");

    let twice =
        fit("interval,agents,agents\n08:00,3,9\n08:30,4,9\n09:00,5,9\n09:30,6,9\n", "twice.toml").code(2);
    let message = stderr_lossy(&twice);
    assert!(
        message
            .contains("twice.toml.csv:1:3: column \"agents\" is named twice in the header (columns 2 and 3)"),
        "{message}"
    );
}

/// A quote that opens a field and never closes would make every later row the text of one
/// cell (the CSV reader ends such a field at the end of the file without a word): the log is
/// refused at the line and column where the quote opened, `--strict` or not, and nothing is
/// written. A quote closed by one meant for a row far below runs the record past the 1 MiB cap
/// and is refused at its opening too, never read as one cell of forty thousand rows. A quoted
/// field that closes may hold line breaks.
#[test]
fn a_quoted_field_left_open_is_refused_where_the_quote_opened() {
    let dir = empty_dir("fit", "open-quote");
    let header = "arrival,call_type,outcome,wait_s,handle_s,note\n";
    let rows = |from: usize, n: usize| -> String {
        (from..from + n)
            .map(|i| {
                format!(
                    "2024-01-01 {:02}:{:02}:{:02},A,answered,3,{},\n",
                    8 + i / 3600,
                    i / 60 % 60,
                    i % 60,
                    100 + i % 50
                )
            })
            .collect()
    };
    let open = dir.join("open.csv");
    std::fs::write(
        &open,
        format!(
            "{header}{}2024-01-01 07:00:00,A,answered,3,120,\"he said \"\"call back\n{}",
            rows(0, 1),
            rows(1, 20)
        ),
    )
    .unwrap();
    let out = dir.join("open.toml");
    for strict in [false, true] {
        let mut cmd = ccsim();
        cmd.arg("fit").arg(&open).arg("--out").arg(&out);
        if strict {
            cmd.arg("--strict");
        }
        let refused = cmd.assert().code(2);
        let message = stderr_lossy(&refused);
        assert!(
            message.contains("open.csv:3:6: column \"note\": the quoted field that opens here has no closing quote before the end of the file"),
            "{message}"
        );
        assert!(!out.exists(), "nothing is written");
    }

    // Forty thousand rows (about 1.5 MB) between the open quote and a quoted note that closes it.
    let far = dir.join("far.csv");
    let text = format!(
        "{header}{}2024-01-01 07:00:00,A,answered,3,120,\"oops\n{}2024-01-02 09:00:00,A,answered,3,120,\"late quote\"\n",
        rows(0, 1),
        rows(1, 40_000)
    );
    assert!(text.len() > 1 << 20, "the test needs a record past the cap");
    std::fs::write(&far, text).unwrap();
    let refused = ccsim().arg("fit").arg(&far).assert().code(2);
    let message = stderr_lossy(&refused);
    assert!(
        message.contains("far.csv:3:6: column \"note\": the quoted field that opens here runs on across line breaks past 1 MiB"),
        "{message}"
    );

    // Closed, a quoted note may hold a line break and quotes: every row is read.
    let closed = dir.join("closed.csv");
    std::fs::write(
        &closed,
        format!(
            "{header}{}2024-01-01 07:00:00,A,answered,3,120,\"he said \"\"call back\"\"\nlater\"\n{}",
            rows(0, 1),
            rows(1, 20)
        ),
    )
    .unwrap();
    let json = ccsim().arg("fit").arg(&closed).args(["--strict", "--format", "json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!((json["rows"].as_u64(), json["kept"].as_u64()), (Some(22), Some(22)), "{json}");
}

/// A column that fit reads, named twice in the header, would be read from its first place and
/// the other ignored without a word: refused as every CSV reader of ccsim refuses it. A repeated
/// column that nothing reads is as harmless as any other column fit ignores.
#[test]
fn a_column_fit_reads_named_twice_in_the_header_is_refused() {
    let dir = empty_dir("fit", "repeated-column");
    let fit = |name: &str, header: &str| {
        let log = dir.join(name);
        let rows = "2024-01-01 09:00:00,A,answered,3,120,9\n2024-01-01 09:01:00,A,answered,3,130,9\n";
        std::fs::write(&log, format!("{header}\n{rows}")).unwrap();
        ccsim().arg("fit").arg(&log).arg("--out").arg(dir.join(format!("{name}.toml"))).assert()
    };
    let refused = fit("twice.csv", "arrival,call_type,outcome,wait_s,handle_s,wait_s").code(2);
    let message = stderr_lossy(&refused);
    assert!(
        message.contains("twice.csv:1:6: column \"wait_s\" is named twice in the header (columns 4 and 6)"),
        "{message}"
    );
    assert!(!dir.join("twice.csv.toml").exists(), "nothing is written");
    fit("notes.csv", "arrival,call_type,outcome,wait_s,handle_s,note").success();
    let notes = dir.join("notes-twice.csv");
    std::fs::write(
        &notes,
        "arrival,call_type,outcome,wait_s,handle_s,note,note\n2024-01-01 09:00:00,A,answered,3,120,x,y\n",
    )
    .unwrap();
    ccsim().arg("fit").arg(&notes).assert().success();
}

/// A staffing file stands for what was on the phones: one that leaves out a group of the log
/// would leave that group at the placeholder while the round trip calls it observed, so it is
/// refused, naming the group and the columns a staffing file has. Its counts may be written in
/// scientific notation, as every CSV number may, but must be whole.
#[test]
fn a_staffing_file_gives_every_group_of_the_log_in_any_notation_of_whole_numbers() {
    let dir = empty_dir("fit", "staffing-groups");
    let log = dir.join("log.csv");
    let rows: String = (0..60)
        .map(|m| {
            let (call_type, group) =
                if m % 3 == 1 { ("loans", "specialists") } else { ("cards", "generalists") };
            format!("2024-01-01 08:{m:02}:00,{call_type},answered,5,{},{group}\n", 100 + m)
        })
        .collect();
    std::fs::write(&log, format!("arrival,call_type,outcome,wait_s,handle_s,group\n{rows}")).unwrap();
    let fit = |name: &str, staffing_csv: &str| {
        let staffing = dir.join(format!("{name}.csv"));
        std::fs::write(&staffing, staffing_csv).unwrap();
        let out = dir.join(format!("{name}.toml"));
        let assert =
            ccsim().arg("fit").arg(&log).arg("--staffing").arg(&staffing).arg("--out").arg(&out).assert();
        (assert, out)
    };
    let (refused, out) = fit("missing", "interval,generalists\n08:00,3\n08:30,4\n");
    let message = String::from_utf8_lossy(&refused.code(2).get_output().stderr).to_string();
    assert!(
        message.contains("missing.csv:1: no column for agent group \"specialists\"")
            && message.contains("columns interval and day (both optional), then generalists, specialists"),
        "{message}"
    );
    assert!(!out.exists(), "nothing is written");

    let (fitted, out) = fit("scientific", "interval,generalists,specialists\n08:00,3,1e1\n08:30,4.0,2E0\n");
    fitted.success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("staffing = [\n    10, 2,\n]"), "{text}");
    let (refused, _) = fit("fraction", "interval,generalists,specialists\n08:00,3,1.5e0\n08:30,4,2\n");
    let message = String::from_utf8_lossy(&refused.code(2).get_output().stderr).to_string();
    assert!(
        message
            .contains("fraction.csv:2:3: column \"specialists\": \"1.5e0\" is not a whole number of agents"),
        "{message}"
    );
}

/// The fit of a small log, written with `--out` (and `--staffing` when given): the table, the
/// JSON report and the scenario text, after checking that the scenario validates.
fn fit_small(
    dir: &Path,
    name: &str,
    rows: &str,
    staffing: Option<&str>,
) -> (String, serde_json::Value, String) {
    let log = dir.join(format!("{name}.csv"));
    std::fs::write(&log, format!("arrival,call_type,outcome,wait_s,handle_s\n{rows}")).unwrap();
    let out = dir.join(format!("{name}.toml"));
    let run = |format: &str| {
        let mut cmd = ccsim();
        cmd.arg("fit").arg(&log).args(["--format", format, "--out"]).arg(&out);
        if let Some(staffing) = staffing {
            let file = dir.join(format!("{name}-staffing.csv"));
            std::fs::write(&file, staffing).unwrap();
            cmd.arg("--staffing").arg(file);
        }
        cmd.assert().success().get_output().stdout.clone()
    };
    let table = String::from_utf8(run("table")).unwrap();
    let json = serde_json::from_slice(&run("json")).unwrap();
    ccsim().arg("validate").arg(&out).assert().success();
    (table, json, std::fs::read_to_string(&out).unwrap())
}

/// Patience is written only where it is positive at the millisecond a scenario is written to:
/// callers who all hang up at a wait of 0 s (or of 0.4 ms) once gave an exponential mean of 0,
/// or empirical quantiles of zeros, which `validate` refuses; with `--staffing` the round trip
/// then failed with those files left on disk. None is written, and the scenario, the table and
/// the JSON say why.
#[test]
fn patience_is_written_only_where_it_is_positive_at_the_millisecond() {
    let dir = empty_dir("fit", "instant-abandons");
    let answered = "2024-01-01 09:00:00,A,answered,0,120\n2024-01-01 09:01:00,A,answered,0,130\n";
    for (name, waits, says) in [
        ("zero", ["0", "0"], "the 2 abandons all came at a wait of 0 s"),
        (
            "sub-ms",
            ["0.0004", "0"],
            "the 2 abandons all came within 0.0004 s of arriving, 0 s at the millisecond",
        ),
    ] {
        let rows = format!(
            "{answered}2024-01-01 09:02:00,A,abandoned,{},\n2024-01-01 09:03:00,A,abandoned,{},\n",
            waits[0], waits[1]
        );
        let (table, json, text) = fit_small(&dir, name, &rows, Some("interval,agents\n09:00,1\n"));
        assert!(!text.contains("patience ="), "{name}: {text}");
        assert!(text.contains(&format!("# patience: 2 abandons among 4 waits; {says}")), "{name}: {text}");
        assert!(text.contains("so none is written, and the scenario's callers never abandon"), "{text}");
        assert!(table.contains(&format!("  A: {says}")), "{name}: {table}");
        assert!(table.contains("round trip: the fitted scenario under the observed staffing"), "{table}");
        let patience = &json["call_types"][0]["patience"];
        assert_eq!(patience["written"], "none", "{name}: {patience}");
        assert!(patience["reason"].as_str().unwrap().contains(says), "{name}: {patience}");
        let observed = std::fs::read_to_string(dir.join(format!("{name}-observed.csv"))).unwrap();
        assert!(!observed.contains("patience.A"), "no column of zeros to point an empirical patience at");
    }
    // One abandon after 40 s beside them: a patience is written (the Kaplan-Meier quantiles
    // here, with the exponential's mean of 20 s offered instead).
    let rows = format!("{answered}2024-01-01 09:02:00,A,abandoned,0,\n2024-01-01 09:03:00,A,abandoned,40,\n");
    let (_, json, text) = fit_small(&dir, "forty", &rows, None);
    assert!(text.contains("\npatience = { distribution = \"empirical\""), "{text}");
    assert!(
        text.contains("exponential instead: patience = { distribution = \"exponential\", mean = \"20s\" }"),
        "{text}"
    );
    assert_eq!(json["call_types"][0]["patience"]["written"], "empirical");
}

/// A call type's only answered call is data: its time is the mean of an exponential, flagged
/// as one call, never a 300 s placeholder under a comment saying there was none. A handle time
/// that is 0 s at the millisecond is left out like a 0 s one, so no mean of 0 is written.
#[test]
fn a_call_type_with_one_answered_call_gets_its_time_as_the_mean() {
    let dir = empty_dir("fit", "one-answered");
    let rows = "2024-01-01 09:00:00,A,answered,3,120\n2024-01-01 09:05:00,A,answered,3,180\n\
                2024-01-01 09:10:00,VIP,answered,3,1800\n2024-01-01 09:11:00,B,answered,3,0.0004\n";
    let (table, json, text) = fit_small(&dir, "one", rows, None);
    let vip = text.split("name = \"VIP\"").nth(1).unwrap().split("[[").next().unwrap();
    assert!(vip.contains("handle_time = { distribution = \"exponential\", mean = \"1800s\" }"), "{vip}");
    assert!(
        vip.contains("# handle time: only 1 answered call, of 1800.0 s: too few to measure a spread"),
        "{vip}"
    );
    assert!(!vip.contains("TODO"), "{vip}");
    assert!(table.contains("  VIP: only 1 answered call, of 1800.0 s"), "{table}");
    let vip = &json["call_types"][1];
    assert_eq!(vip["name"], "VIP");
    assert_eq!(
        (vip["handle_time"]["n"].as_u64(), vip["handle_time"]["chosen"].as_str()),
        (Some(1), Some("exponential"))
    );
    assert!(vip["handle_time"]["cv"].is_null(), "{vip}");
    // B's one call took 0.4 ms: 0 s as written, so B has no handle time to fit.
    let b = text.split("name = \"B\"").nth(1).unwrap().split("[[").next().unwrap();
    assert!(b.contains("# TODO: no answered call with a positive handle time in the log"), "{b}");
    assert_eq!(json["noted"]["zero_handle_time"], 1, "{json}");
    // The HTML report draws no fitted family for a single call and says why.
    let html = dir.join("one.html");
    ccsim().arg("fit").arg(dir.join("one.csv")).arg("--report").arg(&html).assert().success();
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("<p class=\"note\">Handle time: only 1 answered call, of 1800.0 s"), "{html}");
}

/// The handle-time family the report says it chose is the one the scenario holds, with one
/// reason: calls that all took the same time are reported and written `deterministic`, never
/// reported as gamma beside a comment that gamma has the highest likelihood.
#[test]
fn the_reported_handle_time_choice_is_the_one_written() {
    let dir = empty_dir("fit", "chosen-written");
    let rows = "2024-01-01 09:00:00,A,answered,3,120\n2024-01-01 09:05:00,A,answered,3,120\n\
                2024-01-01 09:06:00,A,answered,3,120\n";
    let (table, json, text) = fit_small(&dir, "same", rows, None);
    let handle = &json["call_types"][0]["handle_time"];
    assert_eq!(handle["chosen"], "deterministic", "{handle}");
    let reason = handle["reason"].as_str().unwrap();
    assert!(reason.starts_with("every answered call took the same time"), "{reason}");
    assert!(text.contains(&format!("; {reason}.")), "{text}");
    assert!(text.contains("handle_time = { distribution = \"deterministic\", mean = \"120s\" }"), "{text}");
    assert!(!text.contains("highest likelihood"), "{text}");
    assert!(
        table.lines().any(|l| l.trim_start().starts_with("A ") && l.contains("deterministic")),
        "{table}"
    );

    // In a real log, every call type's written family is its reported one.
    let out = dir.join("bank.toml");
    let json = ccsim()
        .args(["fit", "scenarios/data/retail-bank-calls.csv", "--format", "json", "--out"])
        .arg(&out)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let written: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("handle_time = { distribution = \""))
        .map(|l| &l[..l.find('"').unwrap()])
        .collect();
    let reported: Vec<&str> = json["call_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["handle_time"]["chosen"].as_str().unwrap())
        .collect();
    assert_eq!(written, reported);
}

/// A transfer to a call type with no contacts in the log cannot be written (the scenario has no
/// such call type): it is left out with a word in the scenario, on stderr and in the JSON
/// report, never dropped silently while the report lists it.
#[test]
fn transfers_to_a_call_type_not_in_the_log_are_left_out_with_a_word() {
    let dir = empty_dir("fit", "transfer-out-of-log");
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "arrival,call_type,outcome,wait_s,handle_s,transferred_to\n2024-01-01 09:00:00,A,answered,3,120,Z\n\
         2024-01-01 09:01:00,A,answered,3,130,\n2024-01-01 09:02:00,A,answered,3,130,B\n\
         2024-01-01 09:03:00,B,answered,3,100,\n",
    )
    .unwrap();
    let out = dir.join("fitted.toml");
    let run = ccsim().arg("fit").arg(&log).args(["--format", "json", "--out"]).arg(&out).assert().success();
    let stderr = stderr_lossy(&run);
    let warning =
        "call type \"A\" transfers 33.3% of its answered calls to \"Z\", which has no contacts in the log";
    assert!(stderr.contains(&format!("warning: {}: {warning}", log.display())), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    assert!(json["warnings"][0].as_str().unwrap().contains(warning), "{json}");
    assert_eq!(json["warnings"].as_array().unwrap().len(), 1, "B is in the log: {json}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("# left out: 0.3333 of answered calls transferred to \"Z\", a call type with no contacts in the log"),
        "{text}"
    );
    assert!(text.contains("transfers = [{ to = \"B\", probability = 0.3333 }]"), "{text}");
    ccsim().arg("validate").arg(&out).assert().success();
}

/// A date inside the log with no calls at all is most likely a holiday or a closed day: by
/// weekday it is left out of its weekday's average, and the table, the scenario and the JSON
/// name it (its Monday once averaged 15 calls silently, the comment only saying "2 dates"). By
/// date it is a day of zeros, said as such, never "(0 dates)". One date is "1 date".
#[test]
fn dates_without_calls_are_named_where_they_are_left_out_or_written_as_zeros() {
    let dir = empty_dir("fit", "dates-without-calls");
    // 2024-01-01 is a Monday; Monday 2024-01-08 has no call.
    let mut rows = String::new();
    for (date, n) in
        [("2024-01-01", 10), ("2024-01-02", 5), ("2024-01-09", 5), ("2024-01-15", 20), ("2024-01-16", 5)]
    {
        for i in 0..n {
            rows += &format!("{date} 09:{i:02}:00,A,answered,1,{}\n", 100 + i);
        }
    }
    let log = dir.join("log.csv");
    std::fs::write(&log, format!("arrival,call_type,outcome,wait_s,handle_s\n{rows}")).unwrap();
    let fit = |by: &str, format: &str| {
        let out = dir.join(format!("{by}.toml"));
        let run =
            ccsim().arg("fit").arg(&log).args(["--by", by, "--format", format, "--out"]).arg(&out).assert();
        let stdout = String::from_utf8(run.success().get_output().stdout.clone()).unwrap();
        ccsim().arg("validate").arg(&out).assert().success();
        (stdout, std::fs::read_to_string(&out).unwrap())
    };
    let (table, text) = fit("weekday", "table");
    let note = "1 date inside the log had no calls at all, most likely a holiday or a closed day, and is left \
                out of its weekday's average: 2024-01-08 (Mon)";
    assert!(table.contains(note), "{table}");
    assert!(text.contains(&format!("# {note}.")), "{text}");
    assert!(text.contains("    15,   # Monday (2 dates; 2024-01-08 had no calls and is left out)"), "{text}");
    assert!(text.contains("    5,   # Tuesday (3 dates)"), "{text}");
    let (json, _) = fit("weekday", "json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["dates_left_out"], serde_json::json!(["2024-01-08"]));

    let (_, text) = fit("date", "table");
    assert!(text.contains("    0,   # 2024-01-08 (no calls: a day of zeros)"), "{text}");
    assert!(text.contains("    10,   # 2024-01-01\n"), "{text}");
    assert!(!text.contains("0 dates") && !text.contains("left out of its weekday"), "{text}");

    let one = dir.join("one.csv");
    std::fs::write(&one, "arrival,call_type,outcome,wait_s,handle_s\n2024-01-01 09:00:00,A,answered,1,100\n")
        .unwrap();
    let table = ccsim().arg("fit").arg(&one).arg("--out").arg(dir.join("one.toml")).assert().success();
    let table = stdout_lossy(&table);
    assert!(table.contains("one.csv: 1 row, 1 kept, 1 date (2024-01-01 to 2024-01-01)"), "{table}");
    let text = std::fs::read_to_string(dir.join("one.toml")).unwrap();
    assert!(text.contains(": 1 row, 1 date (2024-01-01 to 2024-01-01).\n# 0 rows were left out"), "{text}");
    assert!(text.contains("# Monday (1 date)"), "{text}");
}

/// Logs joined one after another repeat their header row mid-file: that row is counted as a
/// repeated header, not as a contact with an unknown outcome "outcome".
#[test]
fn a_header_row_repeated_mid_file_is_counted_as_such() {
    let dir = empty_dir("fit", "repeated-header");
    let header = "arrival,call_type,outcome,wait_s,handle_s\n";
    let part = |day: u32| -> String {
        (0..5).map(|i| format!("2024-01-0{day} 09:{i:02}:00,A,answered,1,{}\n", 100 + i)).collect()
    };
    let log = dir.join("joined.csv");
    std::fs::write(&log, format!("{header}{}{header}{}{header}{}", part(1), part(2), part(3))).unwrap();
    let json = ccsim().arg("fit").arg(&log).args(["--format", "json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(json["rejected"], serde_json::json!({"repeated_header": 2}), "{json}");
    assert_eq!(json["first_lines"]["repeated_header"], serde_json::json!([7, 13]));
    assert_eq!(json["kept"], 15);
    ccsim().arg("fit").arg(&log).arg("--strict").assert().code(2).stderr(predicates::str::contains(
        "joined.csv:7:1: repeated_header: the header row again (logs joined one after another?)",
    ));
}

/// A call type or group name no scenario may have (past 200 characters, holding a line break,
/// a tab or another control character, or a call type named like the pooled rows) stops the reading at its row and column, exit
/// 2, before any output is written: a name of 65,536 characters once made the report panic
/// after `--out` was written, and a quoted name holding a line break wrote a forecast whose
/// header ran over two lines, then failed as a defect of `fit`.
#[test]
fn a_name_no_scenario_may_have_is_refused_at_its_row_and_nothing_is_written() {
    let dir = empty_dir("fit", "names");
    let long = "n".repeat(ccsim::limits::MAX_NAME_CHARS + 1);
    let cases = [
        (format!("\"{long}\",g"), "2:2: column \"call_type\": call type name is 201 characters long"),
        (
            "\"acc\nounts\",g".to_string(),
            "2:2: column \"call_type\": call type name contains a line break (U+000A)",
        ),
        ("accounts,\"g\tx\"".to_string(), "2:3: column \"group\": agent group name contains a tab (U+0009)"),
        (
            "accounts,\"g\u{1}\"".to_string(),
            "column \"group\": agent group name contains a control character (U+0001)",
        ),
        // The label of the rows pooling every call type.
        ("All,g".to_string(), "2:2: column \"call_type\": call type name \"All\" is reserved"),
    ];
    for (i, (cells, says)) in cases.iter().enumerate() {
        let log = dir.join(format!("log{i}.csv"));
        let rows: String =
            (0..20).map(|m| format!("2024-01-01 08:{m:02}:00,{cells},answered,5,120\n")).collect();
        let text = format!("arrival,call_type,group,outcome,wait_s,handle_s\n{rows}");
        std::fs::write(&log, text).unwrap();
        let (out, forecast, report) = (
            dir.join(format!("fit{i}.toml")),
            dir.join(format!("fc{i}.csv")),
            dir.join(format!("r{i}.html")),
        );
        let stderr = refusal_of(
            ccsim()
                .arg("fit")
                .arg(&log)
                .arg("--out")
                .arg(&out)
                .arg("--forecast-csv")
                .arg(&forecast)
                .arg("--report")
                .arg(&report),
        );
        assert!(stderr.contains(&format!("log{i}.csv:")) && stderr.contains(says), "{stderr}");
        assert!(
            ["(MAX_NAME_CHARS)", "a name is one line of printable text", "choose another name"]
                .iter()
                .any(|allowed| stderr.contains(allowed)),
            "{stderr}"
        );
        for file in [&out, &forecast, &report] {
            assert!(!file.exists(), "{} was written", file.display());
        }
    }
}

/// A staffing file's `day` column, like a forecast's, must list the fitted days in order: two
/// days swapped, or a day that is no whole number, put every headcount on the wrong day and
/// were once read without a word. Each is refused at its line and column, naming the day
/// expected there, and nothing is written.
#[test]
fn a_staffing_file_day_column_must_list_the_fitted_days_in_order() {
    let dir = empty_dir("fit", "staffing-days");
    let log = dir.join("log.csv");
    let rows: String = (1..=2)
        .flat_map(|d| (0..60).map(move |m| format!("2024-01-0{d} 08:{m:02}:00,a,answered,5,120\n")))
        .collect();
    std::fs::write(&log, format!("arrival,call_type,outcome,wait_s,handle_s\n{rows}")).unwrap();
    let fit = |name: &str, days: [&str; 2]| {
        let staffing = dir.join(format!("{name}.csv"));
        let rows: String = days.iter().map(|d| format!("08:00,{d},3\n08:30,{d},4\n")).collect();
        std::fs::write(&staffing, format!("interval,day,agents\n{rows}")).unwrap();
        let out = dir.join(format!("{name}.toml"));
        let run = ccsim()
            .arg("fit")
            .arg(&log)
            .args(["--by", "date", "--staffing"])
            .arg(&staffing)
            .arg("--out")
            .arg(&out)
            .assert();
        (run, out)
    };
    fit("ordered", ["1", "2"]).0.success();
    for (name, days, says) in [
        (
            "swapped",
            ["2", "1"],
            "swapped.csv:2:2: column \"day\": day 2, expected 1: rows are taken by position, 2 a day",
        ),
        ("garbled", ["1", "xyz"], "garbled.csv:4:2: column \"day\": \"xyz\" is not a day number, expected 2"),
    ] {
        let (run, out) = fit(name, days);
        let message = String::from_utf8_lossy(&run.code(2).get_output().stderr).to_string();
        assert!(message.contains(says), "{message}");
        assert!(!out.exists(), "nothing is written");
    }
}

/// A western offset begins with `-`, as the help's own example `-05:00` does: `--timezone
/// -05:00` is the zone, read as `--timezone=-05:00` is, not an unknown flag `-0`. A bad one is
/// refused by the zone's own rule.
#[test]
fn a_timezone_offset_west_of_utc_is_taken_after_a_space() {
    let spaced = ccsim().args(["fit", MESSY, "--timezone", "-05:00", "--format", "json"]).assert().success();
    let joined = ccsim().args(["fit", MESSY, "--timezone=-05:00", "--format", "json"]).assert().success();
    assert_eq!(spaced.get_output().stdout, joined.get_output().stdout);
    let stderr = refusal_of(ccsim().args(["fit", MESSY, "--timezone", "-5"]));
    assert!(stderr.contains("--timezone: ") && !stderr.contains("unexpected argument"), "{stderr}");
}

/// The forecast CSV begins with interval and (over several days) day columns: a call type of
/// either name would be a column twice, which no reader takes. `fit --forecast-csv` refuses it
/// before writing anything; over one day, where there is no day column, a call type "day" is
/// written.
#[test]
fn a_call_type_named_like_a_forecast_column_is_refused_before_anything_is_written() {
    let dir = empty_dir("fit", "reserved-names");
    let log = std::fs::read_to_string("scenarios/data/retail-bank-calls.csv").unwrap();
    let renamed = log.replace(",accounts,", ",day,");
    std::fs::write(dir.join("calls.csv"), &renamed).unwrap();
    let out = ccsim()
        .current_dir(&dir)
        .args(["fit", "calls.csv", "--out", "fit.toml", "--forecast-csv", "fc.csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--forecast-csv: the call type \"day\" would be a second \"day\" column"),
        "{stderr}"
    );
    assert!(!dir.join("fit.toml").exists() && !dir.join("fc.csv").exists(), "nothing written");
    // One day of the same log: the forecast has no day column, and the call type keeps its name.
    let first_day: String = renamed
        .lines()
        .filter(|l| !l.starts_with("2024-01-02") && !l.starts_with("2024-01-03"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("one.csv"), first_day).unwrap();
    let out =
        ccsim().current_dir(&dir).args(["fit", "one.csv", "--forecast-csv", "one-fc.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let header = std::fs::read_to_string(dir.join("one-fc.csv")).unwrap().lines().next().unwrap().to_string();
    assert!(
        header.starts_with("interval,") && header.split(',').filter(|c| *c == "day").count() == 1,
        "{header}"
    );
}

/// A log whose every row is refused says why, kind by kind, at the first such line, as the
/// defect table would: without it, "no usable row" leaves the user nowhere to look.
#[test]
fn a_log_with_no_usable_row_says_why_its_rows_were_refused() {
    let dir = empty_dir("fit", "no-usable-row");
    let log = dir.join("excel.csv");
    let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s\r\n");
    for minute in 0..30 {
        text.push_str(&format!("04/03/2024 08:{minute:02},sales,answered,3,180\r\n"));
    }
    text.push_str("2024-03-04 09:00:00,sales,answered,-1,180\r\n");
    std::fs::write(&log, text).unwrap();
    let out = ccsim().arg("fit").arg(&log).assert().code(2).get_output().stderr.clone();
    let stderr = String::from_utf8(out).unwrap();
    assert!(stderr.contains("no usable row (31 rows read, 31 rejected)"), "{stderr}");
    assert!(
        stderr.contains(
            "30 rows bad_value: first at line 2: \"04/03/2024 08:00\" is not a timestamp; expected \
             YYYY-MM-DD HH:MM:SS or ISO 8601"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("1 row negative_value: first at line 32: -1 is negative"), "{stderr}");
}

/// The placeholder staffing answers every contact offered: a queue reached only by transfers
/// gets the agents its transfers need, not none (its first attempts are none).
#[test]
fn the_placeholder_staffing_counts_transfers_redials_and_repeats() {
    let dir = empty_dir("fit", "placeholder-transfers");
    let log = dir.join("log.csv");
    // Five weekdays, 08:00 to 10:00: each half hour 20 sales calls of 180 s, every second one
    // transferred to support, where it is answered at once and handled for 360 s.
    let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s,group,caller_id,transferred_to\n");
    for day in 4..9 {
        for slot in 0..4 {
            for k in 0..20 {
                let (h, m) = (8 + slot / 2, (slot % 2) * 30 + k);
                let caller = format!("c{day}-{slot}-{k}");
                let to = if k % 2 == 0 { "support" } else { "" };
                text.push_str(&format!(
                    "2024-03-0{day} {h:02}:{m:02}:00,sales,answered,0,180,front,{caller},{to}\n"
                ));
                if k % 2 == 0 {
                    text.push_str(&format!(
                        "2024-03-0{day} {h:02}:{:02}:00,support,answered,0,360,back,{caller},\n",
                        m + 3
                    ));
                }
            }
        }
    }
    std::fs::write(&log, text).unwrap();
    let out = dir.join("fitted.toml");
    ccsim().arg("fit").arg(&log).arg("--out").arg(&out).assert().success();
    let scenario = ccsim::scenario::load(&out).unwrap_or_else(|e| panic!("{e}")).scenario;
    let group = |name: &str| scenario.agent_groups.iter().position(|g| g.name == name).unwrap();
    let staffing = |g: usize| -> Vec<u32> {
        scenario.plan.staffing.iter().find(|s| s.group.0 as usize == g).unwrap().agents.clone()
    };
    // Support: 10 contacts of 360 s a half hour = 2 Erlangs, at 85%: 3 agents; sales 20 of 180 s
    // = 2 Erlangs likewise.
    for name in ["back", "front"] {
        let agents = staffing(group(name));
        assert!(agents.iter().all(|&a| a == 3), "{name}: {agents:?}");
    }
}

/// A center with a limit of lines, simulated and fitted back: the busy signals show the
/// limit (every blocked caller found that many in the system), the scenario written has it,
/// and the round trip counts the blocked calls on both sides.
#[test]
fn busy_signals_in_a_log_give_the_lines_of_the_center() {
    let dir = empty_dir("fit", "lines");
    let trace = lines_center_trace(&dir, "days = 2", "[lines]\ntotal = 5", 40, 3);
    let fitted = dir.join("fitted.toml");
    let out = ccsim()
        .arg("fit")
        .arg(&trace)
        .args(["--column", "arrival=timestamp", "--column", "handle_s=handle_time_s", "--format", "json"])
        .arg("--out")
        .arg(&fitted)
        .assert()
        .success()
        .get_output()
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines = &json["lines"];
    assert_eq!(lines["in_system_at_block"]["median"], 5, "{lines}");
    assert_eq!(lines["written_total"], 5, "{lines}");
    assert_eq!(lines["blocked"], json["call_types"][0]["blocked"], "{lines}");
    assert!(lines["blocked"].as_u64().unwrap() > 0, "{lines}");
    let written = ccsim::scenario::load(&fitted).unwrap_or_else(|e| panic!("{e}")).scenario;
    assert_eq!(written.telephony.shared_lines, Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("got a busy signal"));
    // A busy signal with no one in the system (the messy log's) shows no limit: none is
    // written.
    let json = fit_json_of(Path::new(MESSY));
    assert_eq!(json["lines"]["in_system_at_block"]["median"], 0, "{json}");
    assert!(json["lines"]["written_total"].is_null(), "{json}");
    let fitted = dir.join("messy.toml");
    ccsim()
        .arg("fit")
        .arg(MESSY)
        .args(["--timezone", "Europe/Paris", "--out"])
        .arg(&fitted)
        .assert()
        .success();
    let written = ccsim::scenario::load(&fitted).unwrap_or_else(|e| panic!("{e}")).scenario;
    assert!(!written.telephony.has_lines());
}

/// Busy signals that all came during an outage show the outage's few lines, while the rest of
/// the log holds many more callers at once: the lines written are no fewer than the log shows in
/// use together, or the fitted scenario would block most of the day's callers.
#[test]
fn the_lines_written_hold_every_caller_the_log_shows_in_the_system_at_once() {
    let dir = empty_dir("fit", "lines-outage");
    let lines = "[lines]\ntotal = 30\n\n[[lines_outages]]\nstart = \"12:00\"\nend = \"12:30\"\nlines = 4";
    let trace = lines_center_trace(&dir, "", lines, 200, 20);
    // The most callers in service at once, read off the trace: a floor for the lines.
    let text = std::fs::read_to_string(&trace).unwrap();
    let (rows, column) = trace_rows(&text);
    let (arrival, wait, handle, outcome) =
        (column("arrival_s"), column("wait_s"), column("handle_time_s"), column("outcome"));
    let mut events: Vec<(f64, i32)> = Vec::new();
    for r in rows.iter().filter(|r| r[outcome] == "answered") {
        let start = r[arrival].parse::<f64>().unwrap() + r[wait].parse::<f64>().unwrap();
        events.push((start, 1));
        events.push((start + r[handle].parse::<f64>().unwrap(), -1));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let in_service = events.iter().scan(0, |n, e| {
        *n += e.1;
        Some(*n)
    });
    let in_service_peak = in_service.max().unwrap() as u64;

    let json = stdout_json(&ccsim().arg("fit").arg(&trace).args(["--format", "json"]).assert().success());
    let lines = &json["lines"];
    let at_block = lines["in_system_at_block"]["median"].as_u64().unwrap();
    assert!(at_block <= 4, "the busy signals came in the outage, with 4 lines: {lines}");
    assert!(in_service_peak > 2 * at_block, "{in_service_peak} in service at most: the check cannot fail");
    let written = lines["written_total"].as_u64().unwrap();
    assert!(
        written >= in_service_peak,
        "{written} lines written, {in_service_peak} callers in service at once"
    );
    assert!(written <= 30, "more lines written than the center has: {lines}");
    assert_eq!(lines["peak_in_system"].as_u64(), Some(written), "{lines}");
    let fitted = dir.join("fitted.toml");
    ccsim().arg("fit").arg(&trace).arg("--out").arg(&fitted).assert().success();
    let scenario = ccsim::scenario::load(&fitted).unwrap_or_else(|e| panic!("{e}")).scenario;
    assert_eq!(scenario.telephony.shared_lines, Some(written as u32));
}

/// `trace.csv` in `dir`: one replication of a center with telephone lines, 16 half hours from
/// 08:00 of `volume` `sales` calls (exponential handle time and patience, both 2 minutes) and
/// `agents` agents; `head` is added to the top-level keys (`days = 2`), `lines` holds the
/// `[lines]` table and any `[[lines_outages]]`.
fn lines_center_trace(dir: &Path, head: &str, lines: &str, volume: u32, agents: u32) -> PathBuf {
    let scenario = dir.join("lines.toml");
    let volumes = vec![volume.to_string(); 16].join(", ");
    let staffing = vec![agents.to_string(); 16].join(", ");
    std::fs::write(
        &scenario,
        format!(
            r#"
start = "08:00"
interval = "30m"
{head}

[service_level]
target = "20s"
goal = 0.8

{lines}

[[call_types]]
name = "sales"
volumes = [{volumes}]
handle_time = {{ distribution = "exponential", mean = "2m" }}
patience = {{ distribution = "exponential", mean = "2m" }}

[[agent_groups]]
name = "team"
skills = ["sales"]
staffing = [{staffing}]
"#
        ),
    )
    .unwrap();
    let trace = dir.join("trace.csv");
    ccsim().arg("simulate").arg(&scenario).args(["-r", "1", "-q", "--trace"]).arg(&trace).assert().success();
    trace
}

fn fit_json_of(log: &Path) -> serde_json::Value {
    let out = ccsim()
        .arg("fit")
        .arg(log)
        .args(["--timezone", "Europe/Paris", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// True exponential patience of the synthetic log below, in seconds.
const TRUE_PATIENCE_S: f64 = 130.0;
/// Short abandons injected into it, at a wait of 0.2 s (misdials, hang-ups at the greeting).
const INJECTED_SHORT: u64 = 60;

/// A log of one call type over two dates: callers with exponential patience (mean
/// [`TRUE_PATIENCE_S`]) who would be answered after an exponential wait of mean 60 s, independent
/// of their patience (so the answered waits are independent censoring), plus
/// [`INJECTED_SHORT`] abandons at 0.2 s. Returns the log and how many of the callers' own
/// abandons came under 5 s, as the log writes them.
fn log_with_short_abandons(dir: &Path) -> (PathBuf, u64) {
    use rand::SeedableRng;
    use rand_distr::{Distribution, Exp};
    let mut rng = ccsim::stream::Rng::seed_from_u64(11);
    let patience = Exp::new(1.0 / TRUE_PATIENCE_S).unwrap();
    let service = Exp::new(1.0 / 60.0).unwrap();
    let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s\n");
    let (mut own_short, mut injected) = (0, 0);
    for date in ["2024-01-01", "2024-01-02"] {
        // 1,500 contacts from 08:00, 28 s apart: each row is different from every other.
        for i in 0..1500u32 {
            let secs = 8 * 3600 + 28 * i;
            let at = format!("{date} {:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
            if i % 25 == 12 && injected < INJECTED_SHORT {
                injected += 1;
                text += &format!("{at},support,abandoned,0.2,\n");
                continue;
            }
            let (p, w): (f64, f64) = (patience.sample(&mut rng), service.sample(&mut rng));
            if p < w {
                let wait = format!("{p:.3}");
                own_short += u64::from(wait.parse::<f64>().unwrap() < 5.0);
                text += &format!("{at},support,abandoned,{wait},\n");
            } else {
                text += &format!("{at},support,answered,{w:.3},{:.3}\n", 120.0 + 3.0 * f64::from(i % 40));
            }
        }
    }
    assert_eq!(injected, INJECTED_SHORT);
    let log = dir.join("short-abandons.csv");
    std::fs::write(&log, text).unwrap();
    (log, own_short)
}

/// `ccsim fit LOG --by date --format FORMAT` with `extra` flags: stdout.
fn fit_stdout(log: &Path, format: &str, extra: &[&str]) -> Vec<u8> {
    ccsim()
        .arg("fit")
        .arg(log)
        .args(["--by", "date", "--format", format])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

/// Abandons at 0.2 s disturb an exponential patience until `--short-abandon 5s` leaves them
/// out: then they are counted, out of the volumes, and the exponential's mean is back within
/// its standard error of the truth. Patience is fitted from 5 s on, so the callers' own
/// abandons under 5 s (short abandons too, by the ACD's rule) do not bias it.
#[test]
fn short_abandons_are_counted_and_left_out_of_volumes_and_patience() {
    let dir = empty_dir("fit", "short-abandons");
    let (log, own_short) = log_with_short_abandons(&dir);
    let short = INJECTED_SHORT + own_short;
    let without: serde_json::Value = serde_json::from_slice(&fit_stdout(&log, "json", &[])).unwrap();
    let with: serde_json::Value =
        serde_json::from_slice(&fit_stdout(&log, "json", &["--short-abandon", "5s"])).unwrap();
    let (before, after) = (&without["call_types"][0], &with["call_types"][0]);

    // Without the flag the hang-ups at 0.2 s make the patience look anything but exponential.
    let p = &before["patience"];
    assert!(p["p_exponential"].as_f64().unwrap() < 0.01, "not disturbed: {p}");
    assert_eq!(p["written"], "empirical", "{p}");
    assert!(before.get("short_abandons").is_none() && without.get("short_abandons").is_none());

    // Counted exactly: the injected ones and the callers' own abandons under 5 s.
    assert!(own_short > 0, "the synthetic callers' own abandons under 5 s are short abandons too");
    assert_eq!(with["short_abandons"]["total"], short, "{}", with["short_abandons"]);
    assert_eq!(with["short_abandons"]["threshold_s"], 5.0);
    assert_eq!(with["short_abandons"]["by_call_type"]["support"], short);
    assert_eq!(after["short_abandons"], short);
    assert_eq!(with["kept"], without["kept"], "a short abandon is no defective row");
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    assert_eq!(n(&before["offered"]) - n(&after["offered"]), short);
    assert_eq!(n(&before["abandoned"]) - n(&after["abandoned"]), short);

    // Out of the volumes: by date the volumes are counts, and their total drops by the short abandons.
    let total = |c: &serde_json::Value| -> f64 {
        c["volumes"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).sum()
    };
    assert_eq!(with["scenario_days"], 2);
    assert_eq!(total(before) - total(after), short as f64, "{} then {}", total(before), total(after));

    // The exponential is not rejected, and its mean is within its standard error of the truth
    // (the MLE's variance is mean² / abandons).
    let p = &after["patience"];
    let (mean, abandons) = (p["exponential_mean_s"].as_f64().unwrap(), p["abandons"].as_f64().unwrap());
    let se = mean / abandons.sqrt();
    assert!(se < 0.05 * TRUE_PATIENCE_S, "too few abandons to detect an error: {p}");
    assert!(p["p_exponential"].as_f64().unwrap() >= 0.01, "exponential rejected: {p}");
    assert_eq!(p["written"], "exponential", "{p}");
    assert_eq!(p["fitted_from_s"], 5.0, "{p}");
    assert!(
        (mean - TRUE_PATIENCE_S).abs() <= z(1) * se,
        "exponential mean {mean:.1} ± {se:.1} s, true {TRUE_PATIENCE_S} s"
    );

    // The table and the scenario say what was left out, and how many.
    let table = String::from_utf8(fit_stdout(&log, "table", &["--short-abandon", "5s"])).unwrap();
    let said = format!("short abandons: {short} abandons with a wait under 5s are left out of calls offered");
    assert!(table.contains(&said), "{table}");
    let out = dir.join("fitted.toml");
    fit_stdout(&log, "json", &["--short-abandon", "5s", "--out", out.to_str().unwrap()]);
    let scenario = std::fs::read_to_string(&out).unwrap();
    assert!(scenario.contains(&format!("# {said}")), "{scenario}");
    assert!(
        scenario.contains(&format!("# {short} abandons with a wait under 5s left out as short abandons")),
        "{scenario}"
    );
    assert!(scenario.contains("patience = { distribution = \"exponential\""), "{scenario}");
    ccsim().arg("validate").arg(&out).assert().success();
}

/// A threshold of 0 leaves every abandon in: the same reports, byte for byte, as without the
/// flag. A value that is not a duration, or is negative, is refused naming the flag.
#[test]
fn short_abandon_off_changes_nothing_and_a_bad_value_is_refused() {
    let dir = empty_dir("fit", "short-abandons-off");
    let (log, _) = log_with_short_abandons(&dir);
    for format in ["json", "table"] {
        assert_eq!(
            fit_stdout(&log, format, &["--short-abandon", "0s"]),
            fit_stdout(&log, format, &[]),
            "{format}"
        );
    }
    for (value, says) in [
        ("abc", "is not a duration"),
        ("-5s", "is negative"),
        ("5x", "has unknown unit"),
        ("5m", "is longer than a minute"),
    ] {
        let failed = ccsim().arg("fit").arg(&log).args(["--short-abandon", value]).assert().code(2);
        let stderr = stderr_lossy(&failed);
        assert!(stderr.contains(&format!("--short-abandon: \"{value}\" {says}")), "{value}: {stderr}");
    }
    // A log of nothing but short abandons leaves nothing to fit.
    let only = dir.join("only-short.csv");
    std::fs::write(
        &only,
        "arrival,call_type,outcome,wait_s,handle_s
2024-01-01 09:00:00,A,abandoned,1,
",
    )
    .unwrap();
    let stderr = refusal_of(ccsim().arg("fit").arg(&only).args(["--short-abandon", "5s"]));
    assert!(stderr.contains("every usable row (1) is an abandon under --short-abandon 5s"), "{stderr}");
}

/// A short abandon is neither a redial nor a call redialled: the caller's next call links to
/// the last call they really made. Here a caller abandons after 60 s, hangs up at once 2
/// minutes later, and is answered 9 minutes after the first abandon; another abandons and never
/// calls again. With `--short-abandon 5s` that is 2 abandons eligible for a redial and 1
/// followed (the answered call, a redial of the first abandon); without it the hang-up is a
/// redial and redialled in its turn (3 eligible, 2 followed).
#[test]
fn a_short_abandon_is_no_redial_and_is_not_redialled() {
    let dir = empty_dir("fit", "short-abandon-redials");
    let log = dir.join("redials.csv");
    std::fs::write(
        &log,
        "arrival,call_type,outcome,wait_s,handle_s,caller_id\n\
         2024-01-01 09:00:00,A,abandoned,60,,x\n\
         2024-01-01 09:03:00,A,abandoned,0.5,,x\n\
         2024-01-01 09:10:00,A,answered,10,100,x\n\
         2024-01-01 09:30:00,A,abandoned,30,,z\n\
         2024-01-01 12:00:00,A,answered,5,100,y\n",
    )
    .unwrap();
    for (flag, short, eligible, followed, fresh) in [(None, None, 3, 2, 3), (Some("5s"), Some(1), 2, 1, 3)] {
        let mut args = vec!["--redial-window", "1h"];
        args.extend(flag.iter().flat_map(|f| ["--short-abandon", *f]));
        let json: serde_json::Value = serde_json::from_slice(&fit_stdout(&log, "json", &args)).unwrap();
        let c = &json["call_types"][0];
        assert_eq!(c["short_abandons"].as_u64(), short, "{flag:?}: {c}");
        assert_eq!(
            (c["redial"]["eligible"].as_u64(), c["redial"]["followed"].as_u64()),
            (Some(eligible), Some(followed)),
            "{flag:?}: {c}"
        );
        assert_eq!(c["fresh"], fresh, "{flag:?}: {c}");
    }
}

/// A UTC offset written on some rows and not on others is noted where it changes, as a change
/// of offset is: `Z` beside a bare clock time may be UTC beside local time.
#[test]
fn an_offset_written_on_some_rows_only_is_noted_where_it_changes() {
    let dir = empty_dir("fit", "offset-presence");
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "arrival,call_type,outcome,wait_s,handle_s\n\
         2024-03-04T08:00:00+01:00,sales,answered,1,100\n\
         2024-03-04T08:01:00+01:00,sales,answered,1,100\n\
         2024-03-04 08:02:00,sales,answered,1,100\n\
         2024-03-04 08:03:00,sales,answered,1,100\n\
         2024-03-04T08:04:00Z,sales,answered,1,100\n",
    )
    .unwrap();
    let out = ccsim().arg("fit").arg(&log).args(["--format", "json"]).assert().success().get_output().clone();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["noted"]["offset_change"], 2, "{json}");
    assert_eq!(json["first_lines"]["offset_change"], serde_json::json!([4, 6]), "{json}");
}

/// Durations are written with their unit, so a short one (a 6-second handle time) loads as
/// written without the warning a plain number under 10 s gets as a likely slip for minutes.
#[test]
fn short_fitted_durations_are_written_with_their_unit_and_load_without_a_warning() {
    let dir = empty_dir("fit", "short-durations");
    let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s\n");
    for minute in 0..30 {
        let handle = 4 + minute % 5;
        text += &format!("2024-01-03 08:{minute:02}:00,sales,answered,0,{handle}\n");
    }
    let (csv, toml) = (dir.join("short.csv"), dir.join("short.toml"));
    std::fs::write(&csv, text).unwrap();
    ccsim().arg("fit").arg(&csv).arg("--out").arg(&toml).assert().success();
    let written = std::fs::read_to_string(&toml).unwrap();
    let line = written.lines().find(|l| l.starts_with("handle_time = ")).unwrap();
    assert!(line.contains("mean = \"") && line.contains("s\""), "{line}");
    let validate = ccsim().arg("validate").arg(&toml).assert().success();
    let stderr = stderr_lossy(&validate);
    assert!(!stderr.contains("is read as"), "{stderr}");
    // The same scenario with the mean written as a plain number does warn: the check can fail.
    let mean = &line[line.find("mean = ").unwrap()..];
    let mean = &mean[..mean[8..].find('"').unwrap() + 9];
    let plain = written.replacen(mean, "mean = 6", 1);
    let plain_toml = dir.join("plain.toml");
    std::fs::write(&plain_toml, plain).unwrap();
    let validate = ccsim().arg("validate").arg(&plain_toml).assert().success();
    assert!(String::from_utf8_lossy(&validate.get_output().stderr).contains("is read as"));
}

/// Poisson arrivals on weekdays from 08:00 to 18:00 (30-minute intervals of `rates[s]` calls on
/// average), every call answered at once: `(date, seconds since midnight)` in time order, from
/// Monday 2024-03-04 for `dates` calendar days.
fn poisson_weekdays(seed: u64, dates: i32, rates: &[f64]) -> Vec<(i32, f64)> {
    use rand::{RngExt, SeedableRng};
    let mut rng = ccsim::stream::Rng::seed_from_u64(seed);
    let mut arrivals = Vec::new();
    for date in (0..dates).filter(|d| d % 7 < 5) {
        for (s, rate) in rates.iter().enumerate() {
            let (start, mut t) = (8.0 * 3600.0 + s as f64 * 1800.0, 0.0);
            loop {
                t += -(1.0 - rng.random::<f64>()).ln() * 1800.0 / rate;
                if t >= 1800.0 {
                    break;
                }
                // Whole milliseconds, as an export writes them.
                arrivals.push((date, ((start + t) * 1000.0).floor() / 1000.0));
            }
        }
    }
    arrivals
}

fn write_arrivals(path: &Path, arrivals: &[(i32, f64)]) {
    let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s\n");
    for &(date, secs) in arrivals {
        let (h, m, s) = ((secs / 3600.0) as u32, (secs / 60.0) as u32 % 60, secs % 60.0);
        text += &format!("2024-03-{:02} {h:02}:{m:02}:{s:06.3},sales,answered,0,200\n", 4 + date);
    }
    std::fs::write(path, text).unwrap();
}

fn volumes_of(log: &Path) -> Fit {
    let request = Request {
        log: log.to_path_buf(),
        format: LogFormat::default(),
        interval_s: 1800.0,
        by: By::Weekday,
        windows: Windows { redial_s: 3600.0, repeat_s: 86_400.0 },
        short_abandon_s: None,
    };
    fit::fit(&request).unwrap()
}

/// A log exported from a timestamp starts and ends part way through a date (Monday 12:00 to
/// Friday 12:00 of the next week). The first Monday's morning and the last Friday's afternoon
/// are not in it: they once counted as days without calls, halving those volumes. They are
/// left out of the averages, so every interval is, exactly, the mean of the full log's counts
/// over the dates the cut log covers; a log of whole days reports nothing and its volumes are
/// the plain means.
#[test]
fn a_log_cut_part_way_through_its_first_and_last_dates_averages_only_what_it_covers() {
    let dir = empty_dir("fit", "partly-covered");
    let rates: Vec<f64> = (0..20).map(|s| 20.0 + 3.0 * f64::from(s)).collect();
    let arrivals = poisson_weekdays(11, 12, &rates);
    let noon = 12.0 * 3600.0;
    // Monday 2024-03-04 12:00 to Friday 2024-03-15 12:00.
    let cut: Vec<(i32, f64)> =
        arrivals.iter().copied().filter(|&(d, s)| (d > 0 || s >= noon) && (d < 11 || s < noon)).collect();
    let (full_log, cut_log) = (dir.join("full.csv"), dir.join("cut.csv"));
    write_arrivals(&full_log, &arrivals);
    write_arrivals(&cut_log, &cut);
    // Counts per (date, interval from 08:00) of the full log.
    let mut counts = vec![[0u32; 20]; 12];
    for &(d, s) in &arrivals {
        counts[d as usize][((s - 8.0 * 3600.0) / 1800.0) as usize] += 1;
    }
    let full = volumes_of(&full_log);
    assert!(full.volumes.partly_covered.is_empty(), "{:?}", full.volumes.partly_covered);
    let fitted = volumes_of(&cut_log);
    let v = &fitted.volumes;
    assert_eq!((v.first_slot, v.per_day, v.days.len()), (16, 20, 5));
    // The cut is at 12:00, but the first arrival comes after it: its interval is cut too.
    let first_kept = cut.iter().filter(|a| a.0 == 0).map(|a| a.1).fold(f64::INFINITY, f64::min);
    assert!(first_kept > noon);
    let covered = |date: usize, s: usize| (date != 0 || s >= 9) && (date != 11 || s < 7);
    let mut left_out = 0;
    for (day, weekday) in v.days.iter().zip(0..) {
        assert_eq!(day.key, weekday);
        let w = weekday as usize;
        for (s, &got) in v.volumes[0][w * 20..(w + 1) * 20].iter().enumerate() {
            let dates: Vec<usize> = [w, w + 7].into_iter().filter(|&d| covered(d, s)).collect();
            left_out += 2 - dates.len();
            let expected = dates.iter().map(|&d| f64::from(counts[d][s])).sum::<f64>() / dates.len() as f64;
            assert_eq!(
                got,
                expected,
                "{} {s}: the mean over dates {dates:?}",
                ["Mon", "Tue", "Wed", "Thu", "Fri"][weekday as usize]
            );
        }
    }
    // 08:00-12:30 of the first Monday (9 intervals) and 11:30-18:00 of the last Friday (13).
    assert_eq!(left_out, 9 + 13);
    let notes: Vec<String> =
        v.partly_covered.iter().map(|p| ccsim::fit::volumes::slot_span(p.slots, 1800.0)).collect();
    assert_eq!(notes, ["08:00-12:30", "11:30-18:00"]);
    // Against the truth: the first Monday's morning, now from one date, within 3.29 standard
    // errors (Poisson, variance = mean) of the rates that made it.
    let (morning, truth): (f64, f64) =
        (0..9).map(|s| (v.volumes[0][s], rates[s])).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert!(
        (morning - truth).abs() < 3.29 * truth.sqrt(),
        "Monday 08:00-12:30: {morning} calls against {truth}"
    );
    // Read as days without calls, the morning would be about half the truth: the check can fail.
    assert!(truth / 2.0 + 3.29 * (truth / 2.0).sqrt() < truth - 3.29 * truth.sqrt());

    // The reports name both dates and the intervals left out.
    let out = dir.join("cut.toml");
    let run =
        ccsim().arg("fit").arg(&cut_log).args(["--format", "json", "--out"]).arg(&out).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    let dates = &json["dates_partly_covered"];
    assert_eq!(
        (dates[0]["date"].as_str(), dates[0]["edge"].as_str(), dates[0]["left_out"].as_str()),
        (Some("2024-03-04"), Some("start"), Some("08:00-12:30")),
        "{dates}"
    );
    assert_eq!(
        (dates[1]["date"].as_str(), dates[1]["edge"].as_str(), dates[1]["left_out"].as_str()),
        (Some("2024-03-15"), Some("end"), Some("11:30-18:00")),
        "{dates}"
    );
    assert!(dates[0]["expected_first_attempts"].as_f64().unwrap() > 6.9, "{dates}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("# Monday (2 dates; 2024-03-04 08:00-12:30 left out)"), "{text}");
    assert!(text.contains("# The log starts on 2024-03-04 (Mon) at 12:0"), "{text}");
    ccsim().arg("validate").arg(&out).assert().success();
    let table = ccsim().arg("fit").arg(&cut_log).assert().success();
    let table = stdout_lossy(&table);
    assert!(table.contains("The log ends on 2024-03-15 (Fri) at 11:5"), "{table}");
    let whole = ccsim().arg("fit").arg(&full_log).args(["--format", "json"]).assert().success();
    let whole: serde_json::Value = serde_json::from_slice(&whole.get_output().stdout).unwrap();
    assert!(whole.get("dates_partly_covered").is_none(), "a log of whole days reports as before");

    // A weekday met only on a cut date has intervals no date covers: written as no calls, with
    // a warning.
    let short: Vec<(i32, f64)> =
        arrivals.iter().copied().filter(|&(d, s)| d < 4 && (d > 0 || s >= noon)).collect();
    let short_log = dir.join("short.csv");
    write_arrivals(&short_log, &short);
    let stderr = warnings_of(ccsim().arg("fit").arg(&short_log));
    assert!(stderr.contains("Monday 08:00-12:30: no date of the log covers these intervals"), "{stderr}");
}

/// Exports leave hold or after-call work empty on calls that had none. Summed into the handle
/// time, an empty part is 0 s when another part has a value: the call is kept, in volumes and
/// handle time, and counted as noted. Every part empty is still a missing handle time.
#[test]
fn an_empty_part_of_a_summed_handle_time_is_zero_and_counted() {
    let dir = empty_dir("fit", "summed-parts");
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "arrival,call_type,outcome,wait_s,Talk,Hold,Wrap\n\
         2024-03-04 09:00:00,sales,answered,5,100,20,30\n\
         2024-03-04 09:01:00,sales,abandoned,7,,,\n\
         2024-03-04 09:02:00,sales,answered,3,100,,30\n\
         2024-03-04 09:03:00,sales,answered,3,200,10,\n\
         2024-03-04 09:04:00,sales,answered,3, ,,\n",
    )
    .unwrap();
    let run = |format: &str| {
        ccsim()
            .arg("fit")
            .arg(&log)
            .args(["--column", "handle_s=Talk+Hold+Wrap", "--format", format])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let json: serde_json::Value = serde_json::from_slice(&run("json")).unwrap();
    assert_eq!(json["noted"]["empty_part_as_zero"], 2, "{json}");
    assert_eq!(json["first_lines"]["empty_part_as_zero"], serde_json::json!([4, 5]), "{json}");
    assert_eq!(json["rejected"]["missing_value"], 1, "{json}");
    assert_eq!(json["first_lines"]["missing_value"], serde_json::json!([6]), "{json}");
    let sales = &json["call_types"][0];
    assert_eq!((sales["offered"].as_u64(), sales["answered"].as_u64()), (Some(4), Some(3)), "{sales}");
    // (150 + 130 + 210) / 3.
    let mean = sales["handle_time"]["mean_s"].as_f64().unwrap();
    assert!((mean - 490.0 / 3.0).abs() < 1e-9, "{mean}");
    let table = String::from_utf8(run("table")).unwrap();
    assert!(table.contains("empty_part_as_zero               2  noted     lines 4, 5"), "{table}");
    assert!(table.contains("line 6: columns \"Talk\", \"Hold\", \"Wrap\" are all empty"), "{table}");
}

/// Timestamps in UTC (`Z`) without `--timezone` are counted on the UTC clock, which is not the
/// center's: the fit says so (stderr, JSON warnings, the table and the scenario) and names the
/// flag. With `--timezone` the clock is the center's and nothing is said; an offset written by
/// the phone system is its own clock, and nothing is said either.
#[test]
fn utc_timestamps_without_a_timezone_are_fitted_on_the_utc_clock_with_a_warning() {
    let dir = empty_dir("fit", "utc-clock");
    let write = |name: &str, suffix: &str| {
        let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s\n");
        for minute in 0..30 {
            text += &format!("2024-03-04T13:{minute:02}:00{suffix},sales,answered,1,100\n");
        }
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let (utc, offset) = (write("utc.csv", "Z"), write("offset.csv", "-05:00"));
    let out = dir.join("utc.toml");
    let run = ccsim().arg("fit").arg(&utc).args(["--format", "json", "--out"]).arg(&out).assert().success();
    let stderr = stderr_lossy(&run);
    let says = "the arrival times are written in UTC (a `Z`, or a Unix time) and no --timezone was given";
    assert!(stderr.contains(&format!("warning: {}: {says}", utc.display())), "{stderr}");
    assert!(stderr.contains("--timezone America/New_York"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    assert!(json["warnings"][0].as_str().unwrap().contains(says), "{json}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("# Clock: the arrival times are written in UTC"), "{text}");
    assert!(text.contains("start = \"13:00\""), "counted on the UTC clock: {text}");
    let table = ccsim().arg("fit").arg(&utc).assert().success();
    assert!(String::from_utf8_lossy(&table.get_output().stdout).contains("\nClock: the arrival times"));
    // New York is 5 hours behind UTC on 2024-03-04; an offset is counted at the clock written.
    for (log, zone, start) in
        [(&utc, Some("America/New_York"), "08:00"), (&utc, Some("UTC"), "13:00"), (&offset, None, "13:00")]
    {
        let out = dir.join("zoned.toml");
        let mut cmd = ccsim();
        cmd.arg("fit").arg(log).args(["--format", "json", "--out"]).arg(&out);
        if let Some(zone) = zone {
            cmd.args(["--timezone", zone]);
        }
        let run = cmd.assert().success();
        let json: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
        assert_eq!(json["warnings"], serde_json::json!([]), "{zone:?}: {json}");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(!text.contains("Clock:"), "{text}");
        assert!(text.contains(&format!("start = \"{start}\"")), "{zone:?}: {text}");
    }
}

/// Callers with Weibull patience (shape 2, mean 120 s, so a 90th percentile of
/// 135.4 · √ln 10 = 205.5 s), answered after an exponential time of mean 60 s or at 200 s at
/// the latest: about 11% are still patient at the longest wait. The exponential is rejected,
/// and the written (empirical) patience continues the Kaplan-Meier curve with the fitted
/// Weibull. Its mean and 90th percentile, over 8 independent logs, match the truth within a
/// Student-t interval at level 0.001 of their spread. Continued with the rejected exponential's
/// mean instead (as once), they came out at about 142 s and 236 s, outside it.
#[test]
fn the_written_patience_beyond_the_observed_waits_follows_the_weibull_when_the_exponential_is_rejected() {
    use rand::{RngExt, SeedableRng};
    use statrs::distribution::StudentsT;
    let dir = empty_dir("fit", "weibull-tail");
    let scale = 120.0 / statrs::function::gamma::gamma(1.5);
    let (truth_mean, truth_p90) = (120.0, scale * 10f64.ln().sqrt());
    const LOGS: usize = 8;
    let (mut means, mut p90s) = (Vec::new(), Vec::new());
    for seed in 0..LOGS as u64 {
        let mut rng = ccsim::stream::Rng::seed_from_u64(100 + seed);
        let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s\n");
        for i in 0..5000 {
            let u: f64 = 1.0 - rng.random::<f64>();
            let patience = scale * (-u.ln()).sqrt();
            let answer = (-(1.0 - rng.random::<f64>()).ln() * 60.0).min(200.0);
            let (h, m, s) = (8 + i / 360, i / 6 % 60, i % 6 * 10);
            let at = format!("2024-03-04 {h:02}:{m:02}:{s:02}");
            if patience < answer {
                text += &format!("{at},sales,abandoned,{patience:.3},\n");
            } else {
                text += &format!("{at},sales,answered,{answer:.3},200\n");
            }
        }
        let log = dir.join(format!("log{seed}.csv"));
        std::fs::write(&log, text).unwrap();
        let fitted = volumes_of(&log);
        let patience = fitted.call_types[0].patience.as_ref().unwrap();
        assert_eq!(patience.written(), ccsim::fit::patience::Written::Empirical, "seed {seed}");
        let q = patience.quantiles(1000);
        means.push(q.iter().sum::<f64>() / q.len() as f64);
        // Quantiles are at (i + 0.5) / 1000: the 0.9 quantile lies between the 900th and 901st.
        p90s.push((q[899] + q[900]) / 2.0);
    }
    let t = StudentsT::new(0.0, 1.0, (LOGS - 1) as f64).unwrap().inverse_cdf(1.0 - 0.001 / 2.0);
    for (name, values, truth, power) in [("mean", &means, truth_mean, 22.0), ("p90", &p90s, truth_p90, 30.0)]
    {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half_width = t * sd / n.sqrt();
        assert!(
            half_width < power / 2.0,
            "{name}: ±{half_width:.1} s could not tell the exponential tail's error"
        );
        assert!(
            (mean - truth).abs() <= half_width,
            "{name}: {mean:.1} ±{half_width:.1} s against {truth:.1} s: {values:?}"
        );
    }
}

/// What a log cannot give is said where the reader looks: a call type with no answered call gets
/// a placeholder handle time, named in a warning, below the table and in JSON (its
/// `handle_time` stays null); a log without abandons gets a sentence, not a patience table's
/// bare header; without a caller_id column, the redials' dash says so rather than blaming the
/// window. Headers match whatever their case.
#[test]
fn placeholders_missing_abandons_and_missing_caller_ids_are_said_and_headers_match_in_any_case() {
    let dir = empty_dir("fit", "said-plainly");
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "Arrival, CALL_TYPE ,Outcome,Wait_S,HANDLE_s\n\
         2024-03-04 09:00:00,sales,answered,5,100\n\
         2024-03-04 09:01:00,sales,answered,7,120\n\
         2024-03-04 09:02:00,claims,answered,3,0\n",
    )
    .unwrap();
    let run = ccsim().arg("fit").arg(&log).assert().success();
    let (table, stderr) = (stdout_lossy(&run), stderr_lossy(&run));
    let placeholder = "no answered call with a positive handle time in the log; 5 minutes (exponential) is \
                       written as a placeholder";
    assert!(stderr.contains(&format!("call type \"claims\": {placeholder}")), "{stderr}");
    assert!(table.contains(&format!("  claims: {placeholder}")), "{table}");
    assert!(
        table.contains("patience (answered calls are censored waits)\n  no caller abandoned in the log"),
        "{table}"
    );
    assert!(!table.contains("abandons   exp. mean"), "{table}");
    assert!(table.contains("- = the log has no caller_id column"), "{table}");
    let json = ccsim().arg("fit").arg(&log).args(["--format", "json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let claims = json["call_types"].as_array().unwrap().iter().find(|c| c["name"] == "claims").unwrap();
    assert!(claims["handle_time"].is_null(), "{claims}");
    assert_eq!(claims["handle_time_placeholder"]["mean_s"], 300.0, "{claims}");
    assert!(json["warnings"][0].as_str().unwrap().contains(placeholder), "{json}");
    // Two headers alike but for case leave the name unmatched, as before: which would be meant?
    std::fs::write(&log, "arrival,Arrival,call_type,outcome,wait_s,handle_s\n").unwrap();
    ccsim().arg("fit").arg(&log).args(["--column", "arrival=ARRIVAL"]).assert().code(2);
}

/// Waits are kept in single precision; the JSON report gives one observed wait as the log wrote
/// it (189.797), not as the binary's expansion (189.7969970703125).
#[test]
fn observed_waits_are_reported_as_the_log_wrote_them() {
    let dir = empty_dir("fit", "as-written");
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "arrival,call_type,outcome,wait_s,handle_s\n\
         2024-03-04 09:00:00,sales,abandoned,81.673,\n\
         2024-03-04 09:01:00,sales,answered,189.797,100\n\
         2024-03-04 09:02:00,sales,abandoned,12.5,\n",
    )
    .unwrap();
    let run = ccsim().arg("fit").arg(&log).args(["--format", "json"]).assert().success();
    let text = stdout_lossy(&run);
    assert!(text.contains("\"max_wait_s\": 189.797,"), "{text}");
    assert!(text.contains("\"km_median_s\": 81.673,"), "{text}");
}

/// Redial and repeat shares are shown with Wilson intervals, which stay within 0 and 1 and are
/// not empty at 0 of n (the standard error's would be `0.000±0.000`, or reach below 0 at 2 of 8);
/// the JSON adds their ends. A window of 0 s, in which no call can follow, is refused.
#[test]
fn follow_up_shares_have_wilson_intervals_and_a_zero_window_is_refused() {
    let dir = empty_dir("fit", "wilson");
    // Eight abandoned callers, two of whom call again within the hour.
    let mut text = String::from("arrival,call_type,outcome,wait_s,handle_s,caller_id\n");
    for k in 0..8 {
        text += &format!("2024-01-03 08:{:02}:00,sales,abandoned,30,,c{k}\n", k * 5);
    }
    for k in 0..2 {
        text += &format!("2024-01-03 09:{:02}:00,sales,answered,5,120,c{k}\n", k);
    }
    for k in 0..6 {
        text += &format!("2024-01-04 12:{:02}:00,sales,answered,5,120,d{k}\n", k);
    }
    let csv = dir.join("log.csv");
    std::fs::write(&csv, text).unwrap();
    let json =
        ccsim().arg("fit").arg(&csv).args(["--repeat-window", "1h", "--format", "json"]).assert().success();
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let redial = &json["call_types"][0]["redial"];
    assert_eq!((redial["followed"].as_u64(), redial["eligible"].as_u64()), (Some(2), Some(8)), "{redial}");
    let expected = ccsim::risk::binomial_estimate(2, 8);
    assert_eq!(
        (redial["low"].as_f64().unwrap(), redial["high"].as_f64().unwrap()),
        (expected.low, expected.high)
    );
    // The standard error's interval would start below 0; Wilson's does not.
    assert!(0.25 - 1.96 * (0.25f64 * 0.75 / 8.0).sqrt() < 0.0 && expected.low > 0.0);
    let table = ccsim().arg("fit").arg(&csv).args(["--repeat-window", "1h"]).assert().success();
    let table = stdout_lossy(&table);
    let shown = format!("0.250 [{:.3}, {:.3}] of 8", expected.low, expected.high);
    assert!(table.contains(&shown), "{table}");
    for flag in ["--redial-window", "--repeat-window"] {
        let stderr = refusal_of(ccsim().arg("fit").arg(&csv).args([flag, "0"]));
        assert!(stderr.contains(flag) && stderr.contains("is no window"), "{stderr}");
    }
}

/// `ccsim fit` reads ccsim's own trace with no mapping: a shipped scenario with email, whose
/// trace ends with emails still open at the close (`unanswered_at_close`), fits back with every
/// row kept, its volumes adding up to the trace's rows but for the initial backlog (offered, and
/// counted apart: no arrival at Monday 00:00), its handle times within their standard errors of
/// the scenario's, and the scenario written validates.
#[test]
fn a_trace_of_a_shipped_scenario_fits_back_with_no_mapping() {
    let (dir, trace) = traced("own-trace", "scenarios/omnichannel.toml");
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (day, call_type, outcome) = (column("day"), column("call_type"), column("outcome"));
    let (arrival_time, backlog) = (column("arrival_time"), column("initial_backlog"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let count = |f: &dyn Fn(&Vec<&str>) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
    // omnichannel.toml: `initial_backlog = 400` emails, and no other contact is marked.
    let backlog_rows = count(&|r| r[backlog] == "true");
    assert_eq!(backlog_rows, 400);
    assert_eq!(count(&|r| r[backlog] == "true" && (r[call_type] != "email" || r[day] != "1")), 0);

    let fitted = dir.join("fitted.toml");
    let json = stdout_json(
        &ccsim().arg("fit").arg(&trace).args(["--format", "json", "--out"]).arg(&fitted).assert().success(),
    );
    assert_eq!(json["rejected"], serde_json::json!({}), "{json}");
    assert_eq!(
        (json["rows"].as_u64(), json["kept"].as_u64()),
        (Some(rows.len() as u64), Some(rows.len() as u64))
    );
    assert_eq!(json["warnings"], serde_json::json!([]), "{json}");
    let types = json["call_types"].as_array().unwrap();
    let of = |name: &str| types.iter().find(|c| c["name"] == name).unwrap();
    for c in types {
        let name = c["name"].as_str().unwrap();
        assert_eq!(c["offered"].as_u64(), Some(count(&|r| r[call_type] == name)), "{name}");
        let open = count(&|r| r[call_type] == name && r[outcome] == "unanswered_at_close");
        assert_eq!(c["unanswered_at_close"].as_u64(), Some(open), "{name}");
    }
    let email = of("email");
    assert!(
        email["unanswered_at_close"].as_u64() > Some(0),
        "no email open at the close: the check cannot fail"
    );

    // The scenario simulates no email follow-up within the 5 days, so every email but the
    // initial backlog is a first attempt, and each day's volume is the day's rows without it.
    assert_eq!(email["initial_backlog"].as_u64(), Some(backlog_rows), "{email}");
    assert_eq!(of("accounts")["initial_backlog"].as_u64(), Some(0));
    assert_eq!(email["fresh"].as_u64(), Some(email["offered"].as_u64().unwrap() - backlog_rows), "{email}");
    let per_day = json["intervals_per_day"].as_u64().unwrap() as usize;
    let volumes: Vec<f64> =
        email["volumes"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(volumes.len(), 5 * per_day);
    for d in 0..5 {
        let fitted_day: f64 = volumes[d * per_day..(d + 1) * per_day].iter().sum();
        let day_rows =
            count(&|r| r[call_type] == "email" && r[day] == (d + 1).to_string() && r[backlog] == "false");
        assert!(
            (fitted_day - day_rows as f64).abs() < 1e-9,
            "day {}: {fitted_day} against {day_rows} rows",
            d + 1
        );
    }
    // Emails arrive around the clock, so the fitted day starts at 00:00: Monday's first interval
    // holds the emails that arrived in it, not the backlog waiting at its start.
    assert_eq!((per_day, json["interval_s"].as_f64()), (48, Some(1800.0)));
    let monday_first = count(&|r| {
        r[call_type] == "email" && r[day] == "1" && r[arrival_time] < "00:30:00" && r[backlog] == "false"
    });
    assert_eq!(volumes[0], monday_first as f64);
    assert!(monday_first < 50, "{monday_first} emails in Monday's first half hour");
    let table = stdout_text(&ccsim().arg("fit").arg(&trace).assert().success()).replace("\n  ", " ");
    assert!(table.contains("Initial backlog (the trace's initial_backlog column): email 400;"), "{table}");
    let written = std::fs::read_to_string(&fitted).unwrap().replace("\n# ", " ");
    assert!(
        written.contains("Initial backlog (the trace's initial_backlog column): email 400;"),
        "{written}"
    );

    // The scenario's handle times: lognormal with means 5 and 8 minutes.
    for (name, truth_s) in [("accounts", 300.0), ("email", 480.0)] {
        let h = &of(name)["handle_time"];
        let (mean, se) = (h["mean_s"].as_f64().unwrap(), h["se_mean_s"].as_f64().unwrap());
        assert!(se < 0.05 * truth_s, "{name}: too few calls to detect an error: ± {se}");
        assert!((mean - truth_s).abs() <= z(2) * se, "{name}: mean {mean} ± {se}, the scenario's {truth_s}");
    }
    ccsim().arg("validate").arg(&fitted).assert().success();
}

/// Contacts still waiting at the close count in offered and as censored waits of patience;
/// failed callbacks in offered only. An outcome word fit does not know is rejected with the
/// outcomes it knows and what each means, never with a mapping to guess.
#[test]
fn every_outcome_counts_as_it_means_and_an_unknown_word_is_explained() {
    let dir = empty_dir("fit", "outcomes");
    let rows = "2024-01-01 09:00:00,A,answered,10,120\n\
                2024-01-01 09:01:00,A,answered,20,130\n\
                2024-01-01 09:02:00,A,abandoned,30,\n\
                2024-01-01 09:03:00,A,unanswered_at_close,40,\n\
                2024-01-01 09:04:00,A,callback_failed,,\n\
                2024-01-01 09:05:00,A,TRANSFERRED,5,60\n";
    let (table, json, _) = fit_small(&dir, "outcomes", rows, None);
    let a = &json["call_types"][0];
    let counts =
        ["offered", "answered", "abandoned", "unanswered_at_close", "callback_failed"].map(|k| a[k].as_u64());
    assert_eq!(counts, [5, 2, 1, 1, 1].map(Some), "{a}");
    // Answered, abandoned and still waiting: the waits patience is fitted from.
    assert_eq!(a["patience"]["n"].as_u64(), Some(4), "{a}");
    assert_eq!(json["rejected"]["unknown_outcome"].as_u64(), Some(1), "{json}");

    let log = dir.join("outcomes.csv");
    let strict = refusal_of(ccsim().arg("fit").arg(&log).arg("--strict"));
    for text in [table.replace("\n  ", " "), strict] {
        for meaning in [
            "answered (an agent answered)",
            "abandoned (the caller hung up while waiting)",
            "blocked (a busy signal, never queued)",
            "unanswered_at_close (still waiting when the center closed)",
            "callback_failed (a caller waiting for a call back that never reached them)",
        ] {
            assert!(text.contains(meaning), "{meaning} not in\n{text}");
        }
        assert!(
            text.contains("\"TRANSFERRED\" is not one fit knows") && !text.contains("answered=WORD"),
            "{text}"
        );
    }
}

/// A callback customer waited for the call back off the line: a trace marks it (`callback`), and
/// fit leaves its wait out of patience (and of ASA), so a shipped scenario with callbacks fits back
/// the patience it has, not the wait to a call back; the callbacks are counted and said.
#[test]
fn a_trace_with_callbacks_fits_back_the_callers_patience() {
    let (_, trace) = traced("own-trace-callbacks", "scenarios/telco-lines.toml");
    let text = std::fs::read_to_string(&trace).unwrap();
    let (rows, column) = trace_rows(&text);
    let (outcome, callback, wait) = (column("outcome"), column("callback"), column("wait_s"));
    let count = |f: &dyn Fn(&Vec<&str>) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
    let callbacks = count(&|r| r[callback] == "true");
    assert!(callbacks > 100, "{callbacks} callbacks: the check cannot fail");
    // Every marked contact waited off the line: reached, never reached or still waiting.
    assert_eq!(count(&|r| r[callback] == "true" && matches!(r[outcome], "abandoned" | "blocked")), 0);

    let json = stdout_json(&ccsim().arg("fit").arg(&trace).args(["--format", "json"]).assert().success());
    let support = &json["call_types"][0];
    assert_eq!(support["name"], "support");
    assert_eq!(support["callbacks"].as_u64(), Some(callbacks), "{support}");
    assert_eq!(support["offered"].as_u64(), Some(rows.len() as u64));
    assert_eq!(support["answered"].as_u64(), Some(count(&|r| r[outcome] == "answered")));
    // Patience's sample is every wait spent holding: abandoned, and answered or still waiting at
    // the close without a callback.
    let held = count(&|r| {
        r[outcome] == "abandoned"
            || (matches!(r[outcome], "answered" | "unanswered_at_close") && r[callback] == "false")
    });
    let patience = &support["patience"];
    assert_eq!(patience["n"].as_u64(), Some(held), "{patience}");
    // telco-lines.toml: exponential patience of mean 3 minutes. The exponential MLE's standard
    // error is its mean over the root of the abandons.
    let (mean, abandons) =
        (patience["exponential_mean_s"].as_f64().unwrap(), patience["abandons"].as_f64().unwrap());
    let se = mean / abandons.sqrt();
    assert!((mean - 180.0).abs() <= z(1) * se, "patience mean {mean} ± {se}, the scenario's 180 s");
    // ASA is over the answered callers who held, as the simulation's is.
    let (mut sum, mut n) = (0.0, 0.0);
    for r in rows.iter().filter(|r| r[outcome] == "answered" && r[callback] == "false") {
        sum += r[wait].parse::<f64>().unwrap();
        n += 1.0;
    }
    assert!((support["asa_s"].as_f64().unwrap() - sum / n).abs() < 1e-6, "{support}");
    let table = stdout_text(&ccsim().arg("fit").arg(&trace).assert().success()).replace("\n  ", " ");
    assert!(
        table.contains(&format!("Callbacks (the trace's callback column): support {callbacks};")),
        "{table}"
    );
}

/// The round trip's log figures are the fit table's and the simulation's: a callback customer's
/// wait is the time to its call back, not time held, so it is left out of the log's service
/// level and ASA (as `callbacks_count_as = "excluded"`, the default, leaves it out of the
/// simulated ones), and counted in offered for abandonment, which it never does.
#[test]
fn the_round_trip_leaves_callback_customers_out_of_the_logs_service_level_and_asa() {
    let (dir, trace) = traced("round-trip-callbacks", "scenarios/telco-lines.toml");
    // The staffing that made the trace, from the scenario's own file.
    let file: toml::Value =
        toml::from_str(&std::fs::read_to_string("scenarios/telco-lines.toml").unwrap()).unwrap();
    let group = &file["agent_groups"][0];
    let staffing_rows: String = group["staffing"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{:02}:{:02},{}\n", 8 + i / 2, i % 2 * 30, n.as_integer().unwrap()))
        .collect();
    let staffing = dir.join("staffing.csv");
    std::fs::write(&staffing, format!("interval,{}\n{staffing_rows}", group["name"].as_str().unwrap()))
        .unwrap();
    let json = stdout_json(
        &ccsim()
            .arg("fit")
            .arg(&trace)
            .args(["--format", "json", "--staffing"])
            .arg(&staffing)
            .arg("--out")
            .arg(dir.join("fitted.toml"))
            .assert()
            .success(),
    );

    let text = std::fs::read_to_string(&trace).unwrap();
    let (rows, column) = trace_rows(&text);
    let (outcome, callback, wait) = (column("outcome"), column("callback"), column("wait_s"));
    let held: Vec<&Vec<&str>> = rows.iter().filter(|r| r[callback] == "false").collect();
    assert!(held.len() + 100 < rows.len(), "too few callbacks: the check cannot fail");
    let answered_waits: Vec<f64> =
        held.iter().filter(|r| r[outcome] == "answered").map(|r| r[wait].parse().unwrap()).collect();
    // The written scenario's target; it has lines, so blocked calls count in offered.
    let fitted = ccsim::scenario::load(&dir.join("fitted.toml")).unwrap_or_else(|e| panic!("{e}")).scenario;
    assert!(fitted.telephony.has_lines());
    let target_s = fitted.service_level.target;
    let within = answered_waits.iter().filter(|&&w| w <= target_s).count();
    let service_level = within as f64 / held.len() as f64;
    let asa = answered_waits.iter().sum::<f64>() / answered_waits.len() as f64;
    let abandon_rate = rows.iter().filter(|r| r[outcome] == "abandoned").count() as f64 / rows.len() as f64;

    let round_trip = json["round_trip"].as_array().unwrap();
    let log = |figure: &str| {
        let row = round_trip.iter().find(|r| r["figure"] == figure).unwrap();
        row["observed"].as_f64().unwrap()
    };
    // Waits are read as single-precision seconds.
    const WAIT_READ: f64 = 1e-4;
    assert!((log("service_level") - service_level).abs() < 1e-12, "{round_trip:?}, {service_level}");
    assert!((log("asa_s") - asa).abs() < WAIT_READ, "{round_trip:?}, {asa}");
    assert!((log("abandon_rate") - abandon_rate).abs() < 1e-12, "{round_trip:?}, {abandon_rate}");
    // One log, one ASA: the round trip's is the fit table's.
    assert!((log("asa_s") - json["call_types"][0]["asa_s"].as_f64().unwrap()).abs() < 1e-9, "{json}");
}

/// A trace written before the `callback` and `initial_backlog` columns is still a trace: read
/// with no mapping, every row kept, and no count of either reported.
#[test]
fn a_trace_without_the_callback_and_backlog_columns_is_still_read_as_a_trace() {
    let (dir, trace) = traced("older-trace", "scenarios/omnichannel.toml");
    let older: String = std::fs::read_to_string(&trace)
        .unwrap()
        .lines()
        .map(|l| format!("{}\n", l.rsplitn(3, ',').nth(2).unwrap()))
        .collect();
    assert!(older.starts_with(
        "arrival_s,day,arrival_time,call_type,origin,wait_s,outcome,group,handle_time_s,caller_id,timestamp\n"
    ));
    let older_trace = dir.join("older.csv");
    std::fs::write(&older_trace, &older).unwrap();
    let json =
        stdout_json(&ccsim().arg("fit").arg(&older_trace).args(["--format", "json"]).assert().success());
    let rows = older.lines().count() as u64 - 1;
    assert_eq!((json["rows"].as_u64(), json["kept"].as_u64()), (Some(rows), Some(rows)), "{json}");
    for c in json["call_types"].as_array().unwrap() {
        assert!(c.get("callbacks").is_none() && c.get("initial_backlog").is_none(), "{c}");
    }
    // Unmarked, the backlog reads as emails arriving at Monday 00:00, as a phone log would show it.
    let email = json["call_types"].as_array().unwrap().iter().find(|c| c["name"] == "email").unwrap();
    assert_eq!(email["fresh"], email["offered"], "{email}");
}

/// A trace's rows split into cells, and the position of a column by its name.
fn trace_rows(text: &str) -> (Vec<Vec<&str>>, impl Fn(&str) -> usize + '_) {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header row").split(',').collect();
    let rows = lines.map(|l| l.split(',').collect()).collect();
    let column =
        move |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no {name}"));
    (rows, column)
}

/// A fresh directory `fit/NAME` holding `trace.csv`, the trace of one replication of `scenario`.
fn traced(name: &str, scenario: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = empty_dir("fit", name);
    let trace = dir.join("trace.csv");
    ccsim().args(["simulate", scenario, "-r", "1", "-q", "--trace"]).arg(&trace).assert().success();
    (dir, trace)
}
