//! `[lines]`, `[[lines_outages]]` and the call types' `lines` and `redial_after_blocked` into
//! [`Telephony`]: counts at least 1, outages on existing pools and days, each problem located.

use super::days::Days;
use super::distribution::dist;
use super::field::{FieldPath, Sink, TomlDoc, unknown_name};
use super::plan;
use super::source::*;
use crate::model::{CallTypeId, Recall};
use crate::telephony::{CallTypeLines, LinesOutage, Telephony};
use crate::time::DAY;

/// The validated line limits, or `None` when any error was recorded.
pub fn telephony(
    doc: &mut TomlDoc,
    raw: &ScenarioFile,
    call_names: &[String],
    days_of: Days,
) -> Option<Telephony> {
    let root = FieldPath::root();
    let mut ok = true;
    let shared_lines = raw.lines.as_ref().map(|l| l.total);
    if shared_lines == Some(0) {
        let message = "must be at least 1 (omit [lines] for no limit; a [[lines_outages]] entry takes \
                       lines away for a window)";
        doc.error(&root.key("lines").key("total"), message.to_string());
        ok = false;
    }
    let any_call_type_key =
        raw.call_types.iter().any(|c| c.lines.is_some() || c.redial_after_blocked.is_some());
    let mut call_types = Vec::new();
    if any_call_type_key {
        let file = doc.file().to_path_buf();
        for (i, c) in raw.call_types.iter().enumerate() {
            let path = root.key("call_types").named(i, Some(&c.name));
            if c.lines == Some(0) {
                doc.error(&path.key("lines"), "must be at least 1 (omit it to share [lines])".to_string());
                ok = false;
            }
            let redial_after_blocked = match &c.redial_after_blocked {
                None => None,
                Some(r) => {
                    let p = path.key("redial_after_blocked");
                    let probability = if (0.0..=1.0).contains(&r.probability) {
                        Some(r.probability)
                    } else {
                        let hint = super::validate::percent_hint(r.probability, |f| (0.0..=1.0).contains(&f));
                        let message = format!("must be a probability in [0, 1], got {}{hint}", r.probability);
                        doc.error(&p.key("probability"), message);
                        None
                    };
                    let delay = dist(doc, &r.delay, &p.key("delay"), &file);
                    match (probability, delay) {
                        (Some(probability), Some(delay)) => Some(Recall { probability, delay }),
                        _ => {
                            ok = false;
                            None
                        }
                    }
                }
            };
            call_types.push(CallTypeLines { lines: c.lines, redial_after_blocked });
        }
    }
    let mut outages = Vec::new();
    for (i, o) in raw.lines_outages.iter().enumerate() {
        // One that could not be read is reported already; the others are checked at their index.
        let Some(o) = o else {
            ok = false;
            continue;
        };
        let path = root.key("lines_outages").index(i);
        match outage(doc, o, &path, raw, call_names, days_of) {
            Some(outage) => outages.push(outage),
            None => ok = false,
        }
    }
    ok.then_some(Telephony { shared_lines, call_types, outages })
}

fn outage(
    doc: &mut TomlDoc,
    o: &LinesOutageFile,
    path: &FieldPath,
    raw: &ScenarioFile,
    call_names: &[String],
    days_of: Days,
) -> Option<LinesOutage> {
    let start = plan::start_clock(doc, &o.start, &path.key("start"));
    let end = plan::clock(doc, &o.end, &path.key("end"));
    let mut ok = true;
    let call_type = match &o.call_type {
        None => {
            // A `[lines]` whose `total` was refused has had its error.
            if raw.lines.is_none() && !doc.has(&FieldPath::root().key("lines")) {
                let message = "there are no shared lines to take away: add [lines] total = N, or name \
                               the `call_type` whose own lines fail";
                doc.error(&path.key("lines"), message.to_string());
                ok = false;
            }
            None
        }
        Some(name) => match call_names.iter().position(|n| n == name) {
            None => {
                let known: Vec<&str> = call_names.iter().map(String::as_str).collect();
                if let Some(message) = unknown_name("call type", name, &known) {
                    doc.error(&path.key("call_type"), message);
                }
                ok = false;
                None
            }
            Some(idx) => {
                let own = FieldPath::root().key("call_types").index(idx).key("lines");
                if raw.call_types[idx].lines.is_none() && !doc.has(&own) {
                    let message = format!(
                        "call type \"{name}\" has no lines of its own (it shares [lines]): give it \
                         `lines = N`, or omit `call_type` for an outage of the shared lines"
                    );
                    doc.error(&path.key("call_type"), message);
                    ok = false;
                }
                Some(CallTypeId(idx as u16))
            }
        },
    };
    let days = match &o.days {
        None => None,
        Some(list) => {
            let days = days_of.resolve(doc, list, &path.key("days"), "the outage would never happen");
            ok &= days.is_some();
            days
        }
    };
    // `lines` counts the lines that still work: more than the pool has would add lines.
    let pool = match call_type {
        None => raw.lines.as_ref().map(|l| (l.total, "[lines] total".to_string())),
        Some(CallTypeId(idx)) => {
            let c = &raw.call_types[idx as usize];
            c.lines.map(|n| (n, format!("call type \"{}\"'s `lines`", c.name)))
        }
    };
    if let Some((total, whose)) = pool
        && o.lines > total
    {
        doc.error(
            &path.key("lines"),
            format!(
                "{} lines still working is more than the {total} of {whose}; allowed: 0 (the system \
                 is down) to {total}",
                o.lines
            ),
        );
        ok = false;
    }
    let (start, end) = (start?, end?);
    let length = (end.secs() - start.secs()).rem_euclid(DAY);
    if length == 0.0 {
        doc.error(&path.key("end"), format!("the outage ends when it starts ({end}): give a later `end`"));
        return None;
    }
    ok.then_some(LinesOutage { start, length, days, lines: o.lines, call_type })
}
