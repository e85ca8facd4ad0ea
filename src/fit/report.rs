//! The fit report: a table for people and JSON for programs (keys are a contract: added,
//! never renamed). Bytes only; nothing is computed here.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::clock::date_text;
use super::handle_time::Choice;
use super::log::Outcome;
use super::volumes::{Edge, slot_span};
use super::write::written_types;
use super::{CallTypeFit, Fit, as_read};
use crate::error::plural;

/// The report as a table.
pub fn table(fit: &Fit) -> String {
    let mut s = String::new();
    let v = &fit.volumes;
    let _ = writeln!(
        s,
        "{}: {}, {} kept, {} ({} to {})",
        fit.log.file.display(),
        plural(fit.log.rows, "row"),
        fit.kept(),
        plural(v.n_dates as u64, "date"),
        date_text(v.first_date),
        date_text(v.last_date)
    );
    if let Some(note) = v.left_out_note() {
        let _ = writeln!(s, "{note}");
    }
    if let Some(note) = fit.clock_note() {
        s += &crate::report::wrap(&format!("Clock: {note}.\n"), 100);
    }
    for note in v.partly_covered_notes() {
        s += &crate::report::wrap(&format!("{}\n", capitalised(&note)), 100);
    }
    if let Some(note) = short_abandon_note(fit) {
        let _ = writeln!(s, "{note}");
    }
    let separator = match fit.log.separator {
        b';' => Some("semicolons"),
        b'\t' => Some("tabs"),
        _ => None,
    };
    if let Some(separator) = separator {
        let _ = writeln!(s, "fields separated by {separator}; durations may have a decimal comma");
    }
    let seen: Vec<_> = fit.log.defects.seen().collect();
    if !seen.is_empty() {
        let _ = writeln!(s, "\ndefects (rejected rows are left out; noted rows are kept)");
        for (kind, n, lines) in seen {
            let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
            let more = if n as usize > lines.len() { ", ..." } else { "" };
            let _ = writeln!(
                s,
                "  {:<24} {:>9}  {:<8}  lines {}{more}",
                kind.name(),
                n,
                if kind.rejects() { "rejected" } else { "noted" },
                lines.join(", ")
            );
            if let (Some(reason), Some(first)) = (fit.log.defects.first_reason(kind), lines.first()) {
                // A reason may list what a cell could have said: wrapped, as the notes are.
                s += &crate::report::wrap(&format!("  {:<24} line {first}: {reason}\n", ""), 100);
            }
        }
    }
    let width = crate::report::name_column_width("call type", fit.call_types.iter().map(|c| c.name.as_str()));
    let _ = writeln!(s, "\nvolumes, waits and outcomes");
    // The short abandons' column is there only when they are left out.
    let short_header = fit.short_abandons.as_ref().map_or(String::new(), |_| format!("  {:>8}", "short"));
    let _ = writeln!(
        s,
        "  {:<width$}  {:>9}  {:>9}  {:>8}  {:>8}  {:>7}  {:>8}{short_header}",
        "call type", "offered", "first", "answered", "abandon", "blocked", "ASA"
    );
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        let short =
            fit.short_abandons.as_ref().map_or(String::new(), |_| format!("  {:>8}", c.short_abandoned));
        let _ = writeln!(
            s,
            "  {:<width$}  {:>9}  {:>9}  {:>8}  {:>7.1}%  {:>7}  {:>7}{short}",
            c.name,
            c.offered,
            c.fresh,
            c.answered,
            100.0 * c.abandoned as f64 / c.offered.max(1) as f64,
            c.blocked,
            c.asa_s.map_or("-".into(), |a| format!("{a:.1}s"))
        );
    }
    s += &crate::report::wrap(
        "first = first attempts (not redials, repeats or transfers in); abandon = abandoned / offered; \
         ASA = mean wait of answered calls\n",
        100,
    );
    s += &neither_answered_nor_abandoned(fit);
    for note in trace_mark_notes(fit) {
        s += &crate::report::wrap(&format!("{}\n", capitalised(&note)), 100);
    }
    if let Some(lines) = &fit.lines {
        s += &crate::report::wrap(
            &format!("Busy signals: {}; {}.\n", lines.sentence(), lines.written_sentence()),
            100,
        );
    }
    let _ =
        writeln!(s, "\nhandle time (maximum likelihood; KS = largest gap between fitted and observed CDF)");
    let _ = writeln!(
        s,
        "  {:<width$}  {:>9}  {:>15}  {:>13}  {:>11}  {:>17}  {:>17}  {:>17}",
        "call type",
        "n",
        "mean (95% CI)",
        "cv (95% CI)",
        "chosen",
        "lognormal LL/KS",
        "gamma LL/KS",
        "exponential LL/KS"
    );
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        let Some(h) = &c.handle_time else { continue };
        let cells: Vec<String> = ["lognormal", "gamma", "exponential"]
            .into_iter()
            .map(|family| {
                h.candidates
                    .iter()
                    .find(|k| k.family.name() == family)
                    .map_or("-".to_string(), |k| format!("{:.0}/{:.3}", k.log_likelihood, k.ks))
            })
            .collect();
        let plus_minus = |x: f64, se: f64, decimals: usize, unit: &str| {
            if x.is_finite() && se.is_finite() {
                format!("{x:.decimals$}±{:.decimals$}{unit}", 1.96 * se)
            } else if x.is_finite() {
                format!("{x:.decimals$}{unit}")
            } else {
                "-".to_string()
            }
        };
        let _ = writeln!(
            s,
            "  {:<width$}  {:>9}  {:>15}  {:>13}  {:>11}  {:>17}  {:>17}  {:>17}",
            c.name,
            h.n,
            plus_minus(h.mean_s, h.se_mean_s, 1, "s"),
            plus_minus(h.cv, h.se_cv, 3, ""),
            h.chosen_name(),
            cells[0],
            cells[1],
            cells[2]
        );
    }
    // A choice that is not the likeliest family says why below the table, and so does a
    // placeholder written for want of any answered call.
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        if let Some(h) = c.handle_time.as_ref().filter(|h| !matches!(h.chosen, Choice::Fitted(_))) {
            let _ = writeln!(s, "  {}: {}", c.name, h.reason());
        }
        if c.handle_time.is_none() {
            let _ = writeln!(s, "  {}: {}", c.name, super::write::PLACEHOLDER_HANDLE_TIME_REASON);
        }
    }
    let _ = writeln!(s, "\npatience (answered calls are censored waits)");
    // A header over no row reads as a table left empty by mistake: a sentence says why.
    let abandoned = (written_types(fit).into_iter())
        .any(|t| fit.call_types[t].patience.as_ref().is_some_and(|p| p.abandons > 0));
    if !abandoned {
        let _ = writeln!(
            s,
            "  no caller abandoned in the log, so no patience is estimated or written (callers never abandon)"
        );
    }
    let _ = abandoned
        && writeln!(
            s,
            "  {:<width$}  {:>8}  {:>10}  {:>10}  {:>13}  {:>13}  {:>11}",
            "call type", "abandons", "exp. mean", "KM median", "Weibull shape", "p(exp. fits)", "written"
        )
        .is_ok();
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        let Some(p) = c.patience.as_ref().filter(|p| p.abandons > 0) else { continue };
        let _ = writeln!(
            s,
            "  {:<width$}  {:>8}  {:>10}  {:>10}  {:>13.2}  {:>13.3}  {:>11}",
            c.name,
            p.abandons,
            p.exponential_mean_s.map_or("-".into(), |m| format!("{m:.1}s")),
            p.km_median_s().map_or("unreached".into(), |m| format!("{m:.1}s")),
            p.weibull_shape,
            p.p_exponential,
            p.written().name()
        );
    }
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        if let Some(reason) = c.patience.as_ref().and_then(|p| p.instant_reason()) {
            let _ = writeln!(s, "  {}: {reason}", c.name);
        }
    }
    let _ =
        writeln!(s, "\nredials and repeats (share of eligible callers who called again within the window)");
    let _ = writeln!(s, "  {:<width$}  {:>30}  {:>30}", "call type", "redial [95% CI]", "repeat [95% CI]");
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        let cell = |r: &super::callers::Recalls| {
            r.interval().map_or("-".into(), |e| {
                format!("{:.3} [{:.3}, {:.3}] of {}", e.mean, e.low, e.high, r.eligible)
            })
        };
        let _ = writeln!(s, "  {:<width$}  {:>30}  {:>30}", c.name, cell(&c.redial), cell(&c.repeat));
    }
    let unjudged = written_types(fit)
        .into_iter()
        .any(|t| fit.call_types[t].redial.eligible == 0 || fit.call_types[t].repeat.eligible == 0);
    if unjudged && !fit.log.has_caller_id {
        s.push_str(&crate::report::wrap(
            "- = the log has no caller_id column, so no call can be linked to the caller's next: redials \
             and repeats are not estimated, the scenario gets none, and the volumes hold them as first \
             attempts (map the export's caller column with --column caller_id=HEADER).\n",
            100,
        ));
    } else if unjudged {
        s.push_str(&crate::report::wrap(
            "- = no call of the type has its whole window inside the log (a log shorter than \
             --redial-window or --repeat-window, 1h and 7d by default, or no abandoned or answered \
             call): nothing is estimated, and the scenario gets none; a shorter window estimates it.\n",
            100,
        ));
    }
    let dispersed: Vec<String> = written_types(fit)
        .into_iter()
        .filter_map(|t| {
            let d = v.dispersion[t]?;
            (d.p_poisson < 0.01).then(|| {
                format!(
                    "  {}: variance/mean {:.2} (p = {:.3} under Poisson); day-to-day volume cv about {:.2}",
                    fit.call_types[t].name, d.vmr, d.p_poisson, d.volume_cv
                )
            })
        })
        .collect();
    if !dispersed.is_empty() {
        let _ = writeln!(
            s,
            "\nvolumes vary more from day to day than Poisson arrivals would (plan with the cv below):"
        );
        for line in dispersed {
            let _ = writeln!(s, "{line}");
        }
    }
    s
}

/// What patience is assumed beyond the observed waits, as JSON.
fn tail_json(tail: super::patience::Tail) -> Value {
    match tail {
        super::patience::Tail::Exponential { from_s, mean_s } => {
            json!({"distribution": "exponential", "from_s": as_read(from_s), "mean_s": mean_s})
        }
        super::patience::Tail::Weibull { from_s, shape, scale_s } => {
            json!({"distribution": "weibull", "from_s": as_read(from_s), "shape": shape, "scale_s": scale_s})
        }
    }
}

/// A sentence's first letter in capitals.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// What the table, the scenario and the HTML report say of the short abandons left out (`None`
/// without a threshold).
pub fn short_abandon_note(fit: &Fit) -> Option<String> {
    let short = fit.short_abandons.as_ref()?;
    let threshold = short.threshold_text();
    let n = short.total();
    // A call type whose every contact was a short abandon has nothing offered: no scenario call type.
    let unwritten: Vec<String> = (0..fit.call_types.len())
        .filter(|&t| fit.call_types[t].offered == 0 && short.per_type[t] > 0)
        .map(|t| format!("{} ({})", fit.call_types[t].name, short.per_type[t]))
        .collect();
    let unwritten = if unwritten.is_empty() {
        String::new()
    } else {
        format!("; call types with nothing else, so not in the scenario: {}", unwritten.join(", "))
    };
    Some(format!(
        "short abandons: {} with a wait under {threshold} {} left out of calls offered, volumes, patience \
         (fitted from {threshold} on), redials and the round trip, as ACD reports leave them out{unwritten}",
        plural(n, "abandon"),
        if n == 1 { "is" } else { "are" },
    ))
}

/// What the table and the scenario say of the contacts a trace marks as callbacks and as the
/// initial backlog, and what fit does with them (empty when the log marks none).
pub fn trace_mark_notes(fit: &Fit) -> Vec<String> {
    let per_type = |count: fn(&CallTypeFit) -> u64| -> Option<String> {
        let listed: Vec<String> = written_types(fit)
            .into_iter()
            .map(|t| &fit.call_types[t])
            .filter(|c| count(c) > 0)
            .map(|c| format!("{} {}", c.name, count(c)))
            .collect();
        (!listed.is_empty()).then(|| listed.join(", "))
    };
    let mut notes = Vec::new();
    if let Some(listed) = per_type(|c| c.callbacks) {
        notes.push(format!(
            "callbacks (the trace's callback column): {listed}; counted in offered (and answered when \
             reached), left out of patience, ASA, the round trip's service level and lines, since their \
             callers hung up to wait; the \
             scenario offers no callback: a trace does not show which callers were offered one, so set \
             `callback` (and its accept share) by hand"
        ));
    }
    if let Some(listed) = per_type(|c| c.initial_backlog) {
        notes.push(format!(
            "initial backlog (the trace's initial_backlog column): {listed}; counted in offered, left \
             out of volumes and first attempts (waiting at the start, not arrivals); the scenario has \
             no `initial_backlog` (fit writes no email call type): set it by hand"
        ));
    }
    notes
}

/// The report as JSON.
pub fn json(fit: &Fit) -> Value {
    let mut rejected = Map::new();
    let mut noted = Map::new();
    let mut first_lines = Map::new();
    for (kind, n, lines) in fit.log.defects.seen() {
        if kind.rejects() { &mut rejected } else { &mut noted }.insert(kind.name().into(), json!(n));
        first_lines.insert(kind.name().into(), json!(lines));
    }
    let v = &fit.volumes;
    let call_types: Vec<Value> = written_types(fit)
        .into_iter()
        .map(|t| {
            let c = &fit.call_types[t];
            let handle = c.handle_time.as_ref().map(|h| {
                let fits: Map<String, Value> = h
                    .candidates
                    .iter()
                    .map(|k| {
                        (
                            k.family.name().to_string(),
                            json!({"mean_s": k.family.mean(), "cv": k.family.cv(), "log_likelihood": k.log_likelihood, "ks": k.ks}),
                        )
                    })
                    .collect();
                json!({
                    "n": h.n, "mean_s": h.mean_s, "cv": h.cv, "se_mean_s": h.se_mean_s, "se_cv": h.se_cv,
                    "chosen": h.chosen_name(), "reason": h.reason(), "fits": fits,
                })
            });
            let patience = c.patience.as_ref().map(|p| {
                json!({
                    "n": p.n, "abandons": p.abandons,
                    "exponential_mean_s": p.exponential_mean_s, "km_median_s": p.km_median_s().map(as_read),
                    "max_wait_s": as_read(p.max_wait_s), "survival_at_max_wait": p.survival_at_max,
                    "weibull_shape": p.weibull_shape, "p_exponential": p.p_exponential,
                    "written": p.written().name(), "reason": p.reason(), "tail": tail_json(p.tail()),
                })
            });
            // With short abandons left out, patience says where it was fitted from.
            let patience = match (patience, &fit.short_abandons) {
                (Some(Value::Object(mut map)), Some(_)) => {
                    map.insert("fitted_from_s".into(), json!(c.patience.as_ref().map(|p| p.entry_s)));
                    Some(Value::Object(map))
                }
                (patience, _) => patience,
            };
            let recall = |r: &super::callers::Recalls| {
                json!({
                    "probability": r.probability().map(|(p, _)| p),
                    "se": r.probability().map(|(_, se)| se),
                    "low": r.interval().map(|e| e.low), "high": r.interval().map(|e| e.high),
                    "eligible": r.eligible, "followed": r.followed, "mean_delay_s": r.mean_delay_s(),
                })
            };
            let transfers: Map<String, Value> = c
                .transfers
                .iter()
                .map(|(to, p)| (fit.call_types[usize::from(*to)].name.clone(), json!(p)))
                .collect();
            let mut row = json!({
                "name": c.name,
                "offered": c.offered,
                "fresh": c.fresh,
                "answered": c.answered,
                "abandoned": c.abandoned,
                "blocked": c.blocked,
                "unanswered_at_close": c.unanswered_at_close,
                "callback_failed": c.callback_failed,
                "asa_s": c.asa_s,
                "handle_time": handle,
                "patience": patience,
                "redial": recall(&c.redial),
                "repeat": recall(&c.repeat),
                "transfers": transfers,
                "volumes": v.volumes[t],
                "dispersion": v.dispersion[t].map(|d| json!({"vmr": d.vmr, "p_poisson": d.p_poisson, "volume_cv": d.volume_cv})),
            });
            if let (Some(_), Some(map)) = (&fit.short_abandons, row.as_object_mut()) {
                map.insert("short_abandons".into(), json!(c.short_abandoned));
            }
            // Only a trace with the columns marks them, so a phone system's log reports as before.
            if let (true, Some(map)) = (fit.log.has_callback_mark, row.as_object_mut()) {
                map.insert("callbacks".into(), json!(c.callbacks));
            }
            if let (true, Some(map)) = (fit.log.has_initial_backlog_mark, row.as_object_mut()) {
                map.insert("initial_backlog".into(), json!(c.initial_backlog));
            }
            // `handle_time` stays null (nothing was fitted); what is written instead, and why.
            if let (None, Some(map)) = (&c.handle_time, row.as_object_mut()) {
                map.insert(
                    "handle_time_placeholder".into(),
                    json!({"distribution": "exponential", "mean_s": 300.0,
                           "reason": super::write::PLACEHOLDER_HANDLE_TIME_REASON}),
                );
            }
            row
        })
        .collect();
    let mut report = json!({
        "rows": fit.log.rows,
        "kept": fit.kept(),
        "days": v.n_dates,
        "scenario_days": v.days.len(),
        "intervals_per_day": v.per_day,
        "first_date": date_text(v.first_date),
        "last_date": date_text(v.last_date),
        "dates_left_out": v.left_out.iter().map(|&d| date_text(d)).collect::<Vec<_>>(),
        "rejected": rejected,
        "noted": noted,
        "first_lines": first_lines,
        "interval_s": v.interval_s,
        "call_types": call_types,
        "lines": fit.lines.as_ref().map(|l| json!({
            "blocked": l.blocked, "offered": l.offered, "block_rate": l.block_rate(),
            "in_system_at_block": {"median": l.median, "least": l.least, "most": l.most},
            "peak_in_system": l.peak,
            "written_total": l.written(),
        })),
        "warnings": fit.warnings(),
    });
    // Only a log cut part way through a date has them, so a log of whole days reports as before.
    if let (false, Some(map)) = (v.partly_covered.is_empty(), report.as_object_mut()) {
        let dates: Vec<Value> = (v.partly_covered.iter())
            .map(|p| {
                json!({
                    "date": date_text(p.date),
                    "edge": match p.edge { Edge::Start => "start", Edge::End => "end" },
                    "arrival_s": as_read(p.arrival_s),
                    "expected_first_attempts": p.expected_calls,
                    "left_out": slot_span(p.slots, v.interval_s),
                })
            })
            .collect();
        map.insert("dates_partly_covered".into(), Value::Array(dates));
    }
    if let (Some(short), Some(map)) = (&fit.short_abandons, report.as_object_mut()) {
        let per_type: Map<String, Value> = (0..fit.call_types.len())
            .filter(|&t| short.per_type[t] > 0)
            .map(|t| (fit.call_types[t].name.clone(), json!(short.per_type[t])))
            .collect();
        map.insert(
            "short_abandons".into(),
            json!({"threshold_s": short.threshold_s, "total": short.total(), "by_call_type": per_type}),
        );
    }
    report
}

/// The round-trip check as a table.
pub fn round_trip_table(rows: &[super::check::Comparison], replications: u32) -> String {
    let mut s = format!(
        "\nround trip: the fitted scenario under the observed staffing ({replications} replications) against the log\n"
    );
    let width = crate::report::name_column_width("call type", rows.iter().map(|r| r.call_type.as_str()));
    let _ = writeln!(
        s,
        "  {:<width$}  {:<13}  {:>18}  {:>18}",
        "call type", "figure", "log (95% CI)", "simulated (95% CI)"
    );
    for r in rows {
        let (log, simulated) = round_trip_cells(r);
        let _ = writeln!(
            s,
            "  {:<width$}  {:<13}  {:>18}  {:>18}{}",
            r.call_type,
            r.figure,
            log,
            simulated,
            if r.misfit() { format!("  {MISFIT}") } else { String::new() }
        );
    }
    s
}

/// How a misfit row is flagged, in the table and the HTML report.
pub const MISFIT: &str = "MISFIT: beyond both errors, worth reading";

/// A round-trip row's two figures as the table and the HTML report write them: the log's with
/// its 95% interval (1.96 standard errors) and the simulation's with its 95% half-width.
pub fn round_trip_cells(r: &super::check::Comparison) -> (String, String) {
    (
        format!("{:.3}±{:.3}", r.observed, 1.96 * r.observed_se),
        format!("{:.3}±{:.3}", r.simulated.mean, r.simulated.half_width),
    )
}

/// The round-trip check as JSON rows.
pub fn round_trip_json(rows: &[super::check::Comparison]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "call_type": r.call_type, "figure": r.figure,
                    "observed": r.observed, "observed_se": r.observed_se,
                    "simulated": r.simulated.mean, "simulated_half_width": r.simulated.half_width,
                    "misfit": r.misfit(),
                })
            })
            .collect(),
    )
}

/// The lines under the volumes table on the contacts offered that were neither answered nor
/// abandoned (still waiting at the close, callbacks never reached), per call type, with how
/// each is counted; empty when the log has none.
fn neither_answered_nor_abandoned(fit: &Fit) -> String {
    let mut out = String::new();
    let kinds = [
        (
            Outcome::UnansweredAtClose,
            "counted in offered, and in patience as patient at least as long as its wait (as an \
             answered call)",
        ),
        (
            Outcome::CallbackFailed,
            "counted in offered, left out of patience (the caller hung up to be called back)",
        ),
    ];
    for (outcome, counted) in kinds {
        let per_type: Vec<String> = written_types(fit)
            .into_iter()
            .map(|t| &fit.call_types[t])
            .filter(|c| c.ended(outcome) > 0)
            .map(|c| format!("{} {}", c.name, c.ended(outcome)))
            .collect();
        if !per_type.is_empty() {
            out += &crate::report::wrap(
                &format!("{} = {}: {}; {counted}\n", outcome.name(), outcome.meaning(), per_type.join(", ")),
                100,
            );
        }
    }
    out
}
