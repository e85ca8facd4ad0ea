//! The fit as files: a scenario whose comments say where each number came from, the observed
//! durations (quantiles) for `empirical` distributions, and a forecast CSV.
//!
//! What a call log cannot tell (service-level targets, the staffing plan unless a staffing
//! CSV is given) is written as a clearly marked placeholder with a `TODO` comment, so the
//! scenario validates and runs at once and says what to replace.

mod durations;
mod staffing;

use std::fmt::Write as _;
use std::path::Path;

pub use durations::{PLACEHOLDER_HANDLE_TIME_REASON, handle_column, observed_csv, patience_column};
use durations::{write_handle_time, write_patience};
use staffing::write_groups;
pub use staffing::{PLACEHOLDER_OCCUPANCY, Staffing, read_staffing};

use super::clock::{date_text, weekday};
use super::volumes::{By, Volumes, slot_span};
use super::{CallTypeFit, Fit};
use crate::error::BadInput;
use crate::error::plural;
use crate::time::{WEEKDAY_NAMES, weekday_run_name, weekday_runs};

/// Names of the files written beside the scenario.
pub struct Names<'a> {
    /// The observed-durations CSV, as the scenario names it (relative to the scenario).
    pub observed_csv: &'a str,
    /// The log, as shown in comments.
    pub log: &'a str,
}

/// Call types written to the scenario: those with contacts in the log.
pub fn written_types(fit: &Fit) -> Vec<usize> {
    (0..fit.call_types.len()).filter(|&t| fit.call_types[t].offered > 0).collect()
}

/// Volumes in ccsim's forecast CSV format (`interval`, `day` when several, one column per type).
pub fn forecast_csv(fit: &Fit) -> String {
    let v = &fit.volumes;
    let types = written_types(fit);
    let several = v.days.len() > 1;
    let mut out = String::from("interval");
    if several {
        out += ",day";
    }
    for &t in &types {
        out += &format!(",{}", csv_cell(&fit.call_types[t].name));
    }
    out.push('\n');
    for d in 0..v.days.len() {
        for s in 0..v.per_day {
            out += &clock((v.first_slot + s) as f64 * v.interval_s);
            if several {
                out += &format!(",{}", d + 1);
            }
            for &t in &types {
                out += &format!(",{}", number(v.volumes[t][d * v.per_day + s]));
            }
            out.push('\n');
        }
    }
    out
}

/// The scenario.
///
/// # Errors
/// A staffing CSV whose groups or rows do not fit the log; a placeholder staffing over
/// [`MAX_AGENTS`] in an interval.
///
/// [`MAX_AGENTS`]: crate::limits::MAX_AGENTS
pub fn scenario(fit: &Fit, names: &Names, staffing: Option<&Staffing>) -> Result<String, BadInput> {
    let v = &fit.volumes;
    let types = written_types(fit);
    let mut s = String::new();
    let period = format!("{} to {}", date_text(v.first_date), date_text(v.last_date));
    let _ = writeln!(
        s,
        "# Fitted by `ccsim fit` from {}: {}, {} ({period}).",
        names.log,
        plural(fit.log.rows, "row"),
        plural(v.n_dates as u64, "date")
    );
    if let Some(note) = v.left_out_note() {
        let _ = writeln!(s, "# {note}.");
    }
    if let Some(note) = fit.clock_note() {
        for line in crate::report::wrap(&format!("Clock: {note}."), 98).lines() {
            let _ = writeln!(s, "# {}", line.trim_start());
        }
    }
    for note in v.partly_covered_notes() {
        for line in crate::report::wrap(&format!("{}.", super::report::capitalised(&note)), 98).lines() {
            let _ = writeln!(s, "# {}", line.trim_start());
        }
    }
    if let Some(note) = super::report::short_abandon_note(fit) {
        let _ = writeln!(s, "# {note}.");
    }
    for note in super::report::trace_mark_notes(fit) {
        for line in crate::report::wrap(&format!("{}.", super::report::capitalised(&note)), 98).lines() {
            let _ = writeln!(s, "# {}", line.trim_start());
        }
    }
    let _ = writeln!(
        s,
        "# {} left out as defective (see the fit report). Each number below says where it came from;",
        match fit.log.defects.rejected() {
            1 => "1 row was".to_string(),
            n => format!("{n} rows were"),
        }
    );
    let _ = writeln!(s, "# lines marked TODO are not in a call log: replace them.");
    let stem = Path::new(names.log).file_stem().map_or("log".into(), |s| s.to_string_lossy().to_string());
    let _ = writeln!(s, "name = {}", quote(&format!("{stem} (fitted)")));
    let _ = writeln!(s, "start = {}", quote(&clock(v.first_slot as f64 * v.interval_s)));
    let _ = writeln!(s, "interval = \"{}\"", crate::time::format_duration(v.interval_s));
    let _ = writeln!(s, "intervals_per_day = {}", v.per_day);
    let day_names: Vec<String> = v.days.iter().map(|d| day_label(v.by, d.key)).collect();
    let _ = writeln!(s, "days = {}   # {}", v.days.len(), day_names.join(", "));
    if let Some(first) = first_weekday(v) {
        let _ = writeln!(
            s,
            "first_weekday = \"{}\"   # the days follow one another from a {}: tables and charts name them",
            WEEKDAY_NAMES[first].to_lowercase(),
            WEEKDAY_NAMES[first]
        );
    }
    let _ = writeln!(s, "\n[service_level]");
    let _ = writeln!(s, "# TODO: a call log holds no targets; 80% answered within 20 s is a placeholder.");
    let _ = writeln!(s, "target = \"20s\"\ngoal = 0.8");
    let _ = writeln!(s, "\n[simulation]\nreplications = 30\nseed = 1");
    if let Some((lines, total)) = fit.lines.as_ref().and_then(|l| Some((l, l.written()?))) {
        // Without lines the simulation would queue every caller the log shows blocked.
        let _ = writeln!(s, "\n[lines]");
        let _ = writeln!(s, "# {}.", lines.sentence());
        let _ = writeln!(
            s,
            "# TODO: the median at the busy signals is written, or the log's peak of callers in the system \
             where it is higher; check it against your phone system (lines of a call type's own are \
             `lines = N` in its [[call_types]])."
        );
        let _ = writeln!(s, "total = {total}");
    }
    for &t in &types {
        let c = &fit.call_types[t];
        let _ = writeln!(s, "\n[[call_types]]");
        let _ = writeln!(s, "name = {}", quote(&c.name));
        let _ = writeln!(
            s,
            "# {} contacts offered, {} of them first attempts (the rest are redials, repeats and transfers, simulated on top).",
            c.offered, c.fresh
        );
        if let Some(short) = &fit.short_abandons {
            let _ = writeln!(
                s,
                "# {} with a wait under {} left out as short abandons (not offered calls, not in these volumes).",
                plural(c.short_abandoned, "abandon"),
                short.threshold_text()
            );
        }
        let averaged = match v.by {
            By::Weekday => "first attempts per interval, averaged over the dates of each weekday",
            By::Date => "first attempts per interval on each date",
        };
        let _ = writeln!(s, "# volumes: {averaged}.");
        let _ = writeln!(s, "volumes = [");
        for (d, day) in v.days.iter().enumerate() {
            let row: Vec<String> =
                v.volumes[t][d * v.per_day..(d + 1) * v.per_day].iter().map(|x| number(*x)).collect();
            let dates = match v.by {
                By::Date if day.n_dates == 0 => " (no calls: a day of zeros)".to_string(),
                By::Date => (v.partly_covered.iter())
                    .filter(|p| p.date == day.key)
                    .map(|p| {
                        format!(" ({} not in the log: no calls written)", slot_span(p.slots, v.interval_s))
                    })
                    .collect(),
                By::Weekday => {
                    let left_out: Vec<String> = (v.left_out.iter())
                        .filter(|&&date| weekday(date) as i32 == day.key)
                        .map(|&date| date_text(date))
                        .collect();
                    let without = match left_out.len() {
                        0 => String::new(),
                        1 => format!("; {} had no calls and is left out", left_out[0]),
                        _ => format!("; {} had no calls and are left out", left_out.join(", ")),
                    };
                    let cut: Vec<String> = (v.partly_covered.iter())
                        .filter(|p| weekday(p.date) as i32 == day.key)
                        .map(|p| {
                            format!("; {} {} left out", date_text(p.date), slot_span(p.slots, v.interval_s))
                        })
                        .collect();
                    format!(" ({}{without}{})", plural(u64::from(day.n_dates), "date"), cut.concat())
                }
            };
            let _ = writeln!(s, "    {},   # {}{dates}", row.join(", "), day_names[d]);
        }
        let _ = writeln!(s, "]");
        if let Some(open) = open_hours(v, t) {
            let _ = writeln!(
                s,
                "# open: from the first to the last interval with first attempts on each day of the log; a redial or\n\
                 # repeat that comes while it is closed calls at the next opening (widen it if the center takes calls then)."
            );
            let _ = writeln!(s, "open = {open}");
        }
        write_handle_time(&mut s, c, names);
        write_patience(&mut s, c, names);
        write_recalls(&mut s, c);
        let transfers: Vec<String> = c
            .transfers
            .iter()
            .filter(|(to, _)| fit.call_types[usize::from(*to)].offered > 0)
            .map(|(to, p)| {
                format!(
                    "{{ to = {}, probability = {} }}",
                    quote(&fit.call_types[usize::from(*to)].name),
                    round4(*p)
                )
            })
            .collect();
        if !transfers.is_empty() {
            let _ = writeln!(s, "# transfers: share of answered calls transferred, from the log.");
        }
        for (to, p) in fit.dropped_transfers(c) {
            let _ = writeln!(
                s,
                "# left out: {} of answered calls transferred to {}, a call type with no contacts in the log \
                 (so none in this scenario); that work is not simulated.",
                round4(p),
                quote(to)
            );
        }
        if !transfers.is_empty() {
            let _ = writeln!(s, "transfers = [{}]", transfers.join(", "));
        }
    }
    write_groups(&mut s, fit, names, &types, staffing)?;
    Ok(s)
}

fn write_recalls(s: &mut String, c: &CallTypeFit) {
    for (key, recalls, after, counted_back) in [
        ("redial", &c.redial, "abandoning", c.counted_back.0),
        ("repeat", &c.repeat, "an answered call", c.counted_back.1),
    ] {
        match (recalls.modelled(), recalls.probability()) {
            (Some((p, se, delay)), _) => {
                let _ = writeln!(
                    s,
                    "# {key}: {} of {} callers called again after {after} within the window ({:.3} ± {:.3}); mean delay {:.0} s.",
                    recalls.followed,
                    recalls.eligible,
                    p,
                    1.96 * se,
                    delay
                );
                let _ = writeln!(
                    s,
                    "{key} = {{ probability = {}, delay = {{ distribution = \"exponential\", mean = {} }} }}",
                    round4(p),
                    seconds(delay.max(1.0))
                );
            }
            (None, Some((p, _))) => {
                let _ = writeln!(
                    s,
                    "# {key}: {} of {} eligible callers called again ({p:.3}); none written.",
                    recalls.followed, recalls.eligible
                );
            }
            (None, None) => {
                let _ = writeln!(
                    s,
                    "# {key}: not estimated (no caller ids, or no call whose window lies inside the log)."
                );
            }
        }
        if counted_back > 0 {
            let _ = writeln!(
                s,
                "# the {counted_back} calls that came within the {key} window after {after} count as first \
                 attempts, since no {key} is simulated."
            );
        }
    }
}

/// The weekday of day 1, when the scenario's days follow one another in the calendar: always by
/// date (every date from the first to the last is a day); by weekday when no weekday between the
/// first and the last present is missing (a log of Monday, Wednesday and Friday makes days
/// that are not a week's run, and naming day 2 "Tue" would be wrong).
fn first_weekday(v: &Volumes) -> Option<usize> {
    let first = v.days.first()?;
    match v.by {
        By::Date => Some(weekday(first.key)),
        By::Weekday => v.days.windows(2).all(|w| w[1].key == w[0].key + 1).then_some(first.key as usize),
    }
}

/// `open` for call type `t`, as TOML: the hours from the first to the last interval with first
/// attempts, by weekday when the days name weekdays and their hours differ (a weekday without
/// any is closed), else the same every day (the earliest to the latest). `None` when that is
/// the scenario's whole day every day: hours would change nothing.
fn open_hours(v: &Volumes, t: usize) -> Option<String> {
    let per_day = v.per_day;
    let spans: Vec<Option<(usize, usize)>> = (v.volumes[t].chunks(per_day))
        .map(|day| Some((day.iter().position(|&x| x > 0.0)?, day.iter().rposition(|&x| x > 0.0)?)))
        .collect();
    let union = |a: Option<(usize, usize)>, b: Option<(usize, usize)>| match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, b) => a.or(b),
    };
    let text = |(first, last): (usize, usize)| {
        let at = |slot: usize| clock((v.first_slot + slot) as f64 * v.interval_s);
        format!("\"{}-{}\"", at(first), at(last + 1))
    };
    let every_day = spans.iter().copied().fold(None, union)?;
    if let Some(first) = first_weekday(v) {
        let mut week: [Option<(usize, usize)>; 7] = [None; 7];
        for (d, span) in spans.iter().enumerate() {
            week[(first + d) % 7] = union(week[(first + d) % 7], *span);
        }
        if (0..spans.len().min(7)).any(|d| week[(first + d) % 7] != Some(every_day)) {
            let keys: Vec<String> = (weekday_runs(&week).into_iter())
                .filter_map(|(first, last, span)| {
                    Some(format!("{} = {}", weekday_run_name(first, last).to_lowercase(), text(span?)))
                })
                .collect();
            return Some(format!("{{ {} }}", keys.join(", ")));
        }
    }
    (every_day != (0, per_day - 1)).then(|| text(every_day))
}

fn day_label(by: By, key: i32) -> String {
    match by {
        By::Weekday => WEEKDAY_NAMES[key as usize].to_string(),
        By::Date => date_text(key),
    }
}

fn clock(secs: f64) -> String {
    let m = (secs / 60.0).round() as i64;
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn number(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    format!("{r}")
}

/// A duration in seconds, written with its unit (`"12.5s"`): a plain number would be read as
/// seconds too, but a short one would then be warned about as a likely slip for minutes.
fn seconds(x: f64) -> String {
    format!("\"{}s\"", round3(x))
}

fn round3(x: f64) -> String {
    format!("{}", (x * 1000.0).round() / 1000.0)
}

fn round4(x: f64) -> String {
    format!("{}", (x * 10_000.0).round() / 10_000.0)
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
