//! `[uncertainty]` and `[[events]]`: validation into [`Uncertainty`] and [`DayEvent`], and
//! back into file types for the writer. Every value is range-checked and every name resolved
//! here, each problem located, so the engine never checks again.

use super::days::Days;
use super::distribution::{positive_seconds, seconds};
use super::field::{FieldPath, Sink, TomlDoc, suggest, unknown_name};
use super::plan::{clock, start_clock};
use super::source::{DayFile, Duration, EventFile, PerCallType, UncertaintyFile};
use crate::events::{DayEvent, offered_contacts};
use crate::limits::MAX_CONTACTS_PER_REPLICATION;
use crate::model::CallType;
use crate::model::on_duty::overlapping;
use crate::time::{DAY, IntervalGrid, format_duration};
use crate::uncertainty::{Correlation, MAX_CV, MIN_CV, Uncertainty, VolumeCv};

/// Largest event factor on volumes or handle times.
pub const MAX_EVENT_FACTOR: f64 = 20.0;

/// What a number must be: the test, and the words the error says it in.
struct Allowed {
    what: &'static str,
    ok: fn(f64) -> bool,
    /// A share of 1, which people also write as a percentage.
    share: bool,
}

/// A coefficient of variation (`volume_cv`, `handle_time_cv_shift`).
const CV: Allowed = Allowed {
    what: "a coefficient of variation: 0, or from 0.0001 to 1, e.g. 0.1",
    ok: |v| v == 0.0 || (MIN_CV..=MAX_CV).contains(&v),
    share: false,
};
/// `absence`.
const ABSENCE: Allowed =
    Allowed { what: "a probability in [0, 1), e.g. 0.05", ok: |v| (0.0..1.0).contains(&v), share: true };
/// An event's `volume_factor`.
const EVENT_FACTOR: Allowed = Allowed {
    what: "a positive factor of at most 20 (3 = three times the calls)",
    ok: |v| v > 0.0 && v <= MAX_EVENT_FACTOR,
    share: false,
};
/// An event's `handle_time_factor`: the same range, said of handle times, not calls.
const EVENT_HANDLE_TIME_FACTOR: Allowed = Allowed {
    what: "a positive factor of at most 20 (3 = every call handled three times as long)",
    ..EVENT_FACTOR
};

/// The validated `[uncertainty]`: `Some(None)` when absent, `None` when an error was recorded.
pub fn uncertainty(
    doc: &mut TomlDoc,
    raw: Option<&UncertaintyFile>,
    call_names: &[String],
) -> Option<Option<Uncertainty>> {
    let Some(raw) = raw else { return Some(None) };
    let path = FieldPath::root().key("uncertainty");
    let mut ok = true;
    let volume_cv = match &raw.volume_cv {
        None => Some(VolumeCv::Shared(0.0)),
        Some(PerCallType::All(v)) => check(doc, *v, &path.key("volume_cv"), &CV).map(VolumeCv::Shared),
        Some(PerCallType::Each(map)) => {
            by_call_type(doc, map, &path.key("volume_cv"), call_names, 0.0, &CV).map(VolumeCv::PerCallType)
        }
    };
    ok &= volume_cv.is_some();
    let correlation = match raw.correlation.as_deref() {
        None => Some(Correlation::default()),
        Some("replication") => Some(Correlation::Replication),
        Some("day") => Some(Correlation::Day),
        Some(other) => {
            let p = path.key("correlation");
            doc.error(
                &p,
                format!("unknown correlation \"{other}\"; {}", suggest(other, &Correlation::NAMES)),
            );
            None
        }
    };
    ok &= correlation.is_some();
    let absence = check(doc, raw.absence.unwrap_or(0.0), &path.key("absence"), &ABSENCE);
    ok &= absence.is_some();
    let shift = check(doc, raw.handle_time_cv_shift.unwrap_or(0.0), &path.key("handle_time_cv_shift"), &CV);
    ok &= shift.is_some();
    if !ok {
        return None;
    }
    Some(Some(Uncertainty {
        volume_cv: volume_cv?,
        correlation: correlation?,
        absence: absence?,
        handle_time_cv_shift: shift?,
    }))
}

/// The validated `[[events]]`; `None` when an error was recorded, or an event could not be
/// read (`None` in `raw`: its problems are reported already, and the others are still checked
/// at their own index). So the events returned pair with `raw` by position.
pub fn events(
    doc: &mut TomlDoc,
    raw: &[Option<EventFile>],
    call_names: &[String],
    group_names: &[String],
    days: Days,
    grid: Option<&IntervalGrid>,
) -> Option<Vec<DayEvent>> {
    let list = FieldPath::root().key("events");
    let mut out = Vec::new();
    let mut ok = true;
    for (i, e) in raw.iter().enumerate() {
        let Some(e) = e else {
            ok = false;
            continue;
        };
        let path = list.named(i, e.name.as_deref());
        // Names label the events in reports and charts: each must say which event it is.
        if let Some(name) = &e.name {
            if name.trim().is_empty() {
                doc.error(
                    &list.index(i).key("name"),
                    "an event needs a non-empty name (or no `name`: \"event N\")".to_string(),
                );
                ok = false;
            } else if let Err(message) = crate::limits::check_name(name) {
                doc.error(&list.index(i).key("name"), format!("event name {message}"));
                ok = false;
            } else if raw[..i].iter().flatten().any(|o| o.name.as_ref() == Some(name)) {
                doc.error(
                    &path.key("name"),
                    format!("event \"{name}\" is defined twice; names must be unique"),
                );
                ok = false;
            }
        }
        let acts = e.volume_factor.is_some()
            || e.handle_time_factor.is_some()
            || e.agents_unavailable.as_ref().is_some_and(|a| !a.is_empty());
        // A factor or pull whose value was refused has its own error: the event is not also
        // said to change nothing.
        let refused = (e.volume_factor.is_none() && doc.has(&list.index(i).key("volume_factor")))
            || (e.handle_time_factor.is_none() && doc.has(&list.index(i).key("handle_time_factor")))
            || (e.agents_unavailable.is_none() && doc.has(&list.index(i).key("agents_unavailable")));
        if !acts && !refused {
            doc.error(
                &path,
                "the event changes nothing: give `volume_factor`, `handle_time_factor` or \
                 `agents_unavailable`"
                    .to_string(),
            );
            ok = false;
        }
        match event(doc, e, &path, i, call_names, group_names, days) {
            // Refused as a shift never on duty is: it would change nothing, silently.
            Some(event) => match grid.filter(|grid| never_open(&event, grid)) {
                Some(grid) => {
                    doc.error(
                        &path.key("start"),
                        format!(
                            "the event {} for {} falls entirely outside the hours the center is open \
                             ({}) on every day it happens, so it changes nothing; move it inside the \
                             open hours",
                            event.start,
                            format_duration(event.length),
                            grid.open_hours()
                        ),
                    );
                    ok = false;
                }
                None => out.push(event),
            },
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Whether no window of `event` shares a moment with an open interval of `grid`.
fn never_open(event: &DayEvent, grid: &IntervalGrid) -> bool {
    event.windows(grid).iter().all(|&(_, open, close)| overlapping(grid, open, close).is_empty())
}

/// The contacts the volumes offer with the events' volume factors must stay under
/// [`MAX_CONTACTS_PER_REPLICATION`], as the volumes alone must ([`super::grid::check_contacts`]):
/// an event that multiplies a large interval twentyfold would otherwise ask the engine for
/// twenty times the contacts. The error names the event that adds the most on its own.
pub fn check_event_contacts(
    doc: &mut TomlDoc,
    grid: &IntervalGrid,
    call_types: &[CallType],
    events: &[DayEvent],
    raw: &[Option<EventFile>],
) {
    let volumes: Vec<&[f64]> = call_types.iter().map(|c| c.volumes.as_slice()).collect();
    let total = offered_contacts(&volumes, events, grid);
    if total <= MAX_CONTACTS_PER_REPLICATION {
        return;
    }
    let base = offered_contacts(&volumes, &[], grid);
    let added = |e: &DayEvent| offered_contacts(&volumes, std::slice::from_ref(e), grid) - base;
    let Some((i, most)) = events.iter().map(added).enumerate().max_by(|a, b| a.1.total_cmp(&b.1)) else {
        return;
    };
    let factor = events[i].volume_factor.iter().copied().fold(0.0, f64::max);
    let path = FieldPath::root().key("events").named(i, raw.get(i).and_then(|e| e.as_ref()?.name.as_deref()));
    doc.error(
        &path.key("volume_factor"),
        format!(
            "with the events' volume factors the volumes offer {total:.0} contacts over the {}-day \
             horizon ({base:.0} without them, {most:.0} more from this event's factor of {factor}), \
             more than the cap of {MAX_CONTACTS_PER_REPLICATION:.0} per replication \
             (MAX_CONTACTS_PER_REPLICATION); lower the factor, or the volumes of the intervals it covers",
            grid.days()
        ),
    );
}

fn event(
    doc: &mut TomlDoc,
    e: &EventFile,
    path: &FieldPath,
    i: usize,
    call_names: &[String],
    group_names: &[String],
    days: Days,
) -> Option<DayEvent> {
    let start = start_clock(doc, &e.start, &path.key("start"));
    let length = match (&e.end, &e.length) {
        (Some(_), Some(_)) => {
            doc.error(&path.key("length"), "give either `end` or `length`, not both".to_string());
            None
        }
        (None, None) => {
            doc.error(path, "needs an `end` clock time or a `length`".to_string());
            None
        }
        (None, Some(length)) => positive_seconds(doc, length, &path.key("length")),
        (Some(end), None) => match (start, clock(doc, end, &path.key("end"))) {
            // An `end` equal to `start` could mean 0 or 24 hours: neither is read into it.
            (Some(s), Some(t)) if s.secs() == t.secs() => {
                doc.error(
                    &path.key("end"),
                    format!(
                        "the event ends when it starts ({end}): give a later `end`, or `length = \"24h\"` \
                         for a whole day"
                    ),
                );
                None
            }
            (Some(s), Some(t)) => Some((t.secs() - s.secs()).rem_euclid(DAY)),
            _ => None,
        },
    };
    let length = length.filter(|&l| {
        let fits = l <= DAY;
        if !fits {
            doc.error(
                &path.key("length"),
                format!(
                    "{} is longer than a day; an event lasts at most 24h (use `days` for several days)",
                    format_duration(l)
                ),
            );
        }
        fits
    });
    let mut ok = start.is_some() && length.is_some();
    let day_list = match &e.days {
        None => Some(None),
        Some(list) => days.resolve(doc, list, &path.key("days"), "the event would never happen").map(Some),
    };
    ok &= day_list.is_some();
    let ramp = match &e.ramp {
        None => Some(0.0),
        Some(r) => seconds(doc, r, &path.key("ramp")).filter(|&r| {
            let fits = length.is_none_or(|l| 2.0 * r <= l);
            if !fits {
                doc.error(
                    &path.key("ramp"),
                    format!(
                        "a ramp of {} up and {} down does not fit in the event's {}; at most half its length",
                        format_duration(r),
                        format_duration(r),
                        format_duration(length.unwrap_or(0.0))
                    ),
                );
            }
            fits
        }),
    };
    ok &= ramp.is_some();
    let volume_factor = match &e.volume_factor {
        None => Some(vec![1.0; call_names.len()]),
        Some(PerCallType::All(v)) => {
            check(doc, *v, &path.key("volume_factor"), &EVENT_FACTOR).map(|v| vec![v; call_names.len()])
        }
        Some(PerCallType::Each(map)) => {
            by_call_type(doc, map, &path.key("volume_factor"), call_names, 1.0, &EVENT_FACTOR)
        }
    };
    ok &= volume_factor.is_some();
    let handle_time_factor = check(
        doc,
        e.handle_time_factor.unwrap_or(1.0),
        &path.key("handle_time_factor"),
        &EVENT_HANDLE_TIME_FACTOR,
    );
    ok &= handle_time_factor.is_some();
    let mut agents_unavailable = vec![0; group_names.len()];
    for (name, &agents) in e.agents_unavailable.iter().flatten() {
        let p = path.key("agents_unavailable").key(name);
        match group_names.iter().position(|g| g == name) {
            Some(g) if agents <= crate::limits::MAX_AGENTS => agents_unavailable[g] = agents,
            Some(_) => {
                doc.error(
                    &p,
                    format!(
                        "{agents} is more than the cap of {} agents (MAX_AGENTS)",
                        crate::limits::MAX_AGENTS
                    ),
                );
                ok = false;
            }
            None => {
                let known: Vec<&str> = group_names.iter().map(String::as_str).collect();
                if let Some(message) = unknown_name("agent group", name, &known) {
                    doc.error(&p, message);
                }
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    Some(DayEvent {
        name: e.name.clone().unwrap_or_else(|| format!("event {}", i + 1)),
        start: start?,
        length: length?,
        days: day_list?,
        ramp: ramp?,
        volume_factor: volume_factor?,
        handle_time_factor: handle_time_factor?,
        agents_unavailable,
    })
}

fn check(doc: &mut TomlDoc, v: f64, path: &FieldPath, allowed: &Allowed) -> Option<f64> {
    if (allowed.ok)(v) {
        Some(v)
    } else {
        // `absence = 5` meant as 5% is told the fraction, as every other share is.
        let hint = if allowed.share { super::validate::percent_hint(v, allowed.ok) } else { String::new() };
        doc.error(path, format!("must be {}, got {}{hint}", allowed.what, crate::error::quoted_number(v)));
        None
    }
}

/// A value per call type from `{ name = value }`: `default` for unlisted call types.
fn by_call_type(
    doc: &mut TomlDoc,
    map: &std::collections::BTreeMap<String, f64>,
    path: &FieldPath,
    call_names: &[String],
    default: f64,
    allowed: &Allowed,
) -> Option<Vec<f64>> {
    let mut out = vec![default; call_names.len()];
    let mut good = true;
    for (name, &v) in map {
        let p = path.key(name);
        match call_names.iter().position(|c| c == name) {
            Some(ct) => match check(doc, v, &p, allowed) {
                Some(v) => out[ct] = v,
                None => good = false,
            },
            None => {
                let known: Vec<&str> = call_names.iter().map(String::as_str).collect();
                if let Some(message) = unknown_name("call type", name, &known) {
                    doc.error(&p, message);
                }
                good = false;
            }
        }
    }
    good.then_some(out)
}

/// The `[uncertainty]` of a scenario as written back to a file.
pub fn uncertainty_file(u: &Uncertainty, call_names: &[&str]) -> UncertaintyFile {
    UncertaintyFile {
        volume_cv: Some(match &u.volume_cv {
            VolumeCv::Shared(cv) => PerCallType::All(*cv),
            VolumeCv::PerCallType(cvs) => PerCallType::Each(
                call_names
                    .iter()
                    .zip(cvs)
                    .filter(|(_, cv)| **cv != 0.0)
                    .map(|(n, cv)| (n.to_string(), *cv))
                    .collect(),
            ),
        }),
        correlation: Some(u.correlation.name().to_string()),
        absence: Some(u.absence),
        handle_time_cv_shift: Some(u.handle_time_cv_shift),
    }
}

/// An event as written back to a file.
pub fn event_file(e: &DayEvent, call_names: &[&str], group_names: &[&str]) -> EventFile {
    let same = e.volume_factor.iter().all(|&f| f == e.volume_factor[0]);
    EventFile {
        name: Some(e.name.clone()),
        start: e.start.to_string(),
        end: None,
        length: Some(Duration::Text(format_duration(e.length))),
        days: e.days.as_ref().map(|d| d.iter().map(|&d| Some(DayFile::Number(d as u32))).collect()),
        ramp: (e.ramp > 0.0).then(|| Duration::Text(format_duration(e.ramp))),
        volume_factor: Some(if same && !e.volume_factor.is_empty() {
            PerCallType::All(e.volume_factor[0])
        } else {
            PerCallType::Each(
                call_names.iter().zip(&e.volume_factor).map(|(n, f)| (n.to_string(), *f)).collect(),
            )
        }),
        handle_time_factor: Some(e.handle_time_factor),
        agents_unavailable: Some(
            group_names
                .iter()
                .zip(&e.agents_unavailable)
                .filter(|(_, a)| **a > 0)
                .map(|(n, a)| (n.to_string(), *a))
                .collect(),
        ),
    }
}
