//! The fit as files: a scenario whose comments say where each number came from, the observed
//! durations (quantiles) for `empirical` distributions, and a forecast CSV.
//!
//! What a call log cannot tell (service-level targets, the staffing plan unless a staffing
//! CSV is given) is written as a clearly marked placeholder with a `TODO` comment, so the
//! scenario validates and runs at once and says what to replace.

use std::fmt::Write as _;
use std::path::Path;

use super::clock::{date_text, weekday};
use super::handle_time::{Choice, Family, QUANTILES};
use super::patience::Written;
use super::volumes::{By, Volumes, slot_span};
use super::written_positive;
use super::{CallTypeFit, Fit};
use crate::error::BadInput;
use crate::limits::{MAX_AGENTS, MAX_DURATION};
use crate::report::plural;
use crate::scenario::text::ReadFailure;
use crate::time::{ClockTime, WEEKDAY_NAMES, weekday_run_name, weekday_runs};

/// Placeholder staffing: agents for the offered load at this occupancy.
pub const PLACEHOLDER_OCCUPANCY: f64 = 0.85;

/// Agents logged in per interval and group, from `--staffing FILE`.
#[derive(Clone, Debug)]
pub struct Staffing {
    pub file: String,
    /// (group, agents for every interval of every scenario day, or of one day).
    pub groups: Vec<(String, Vec<u32>)>,
    /// Where each row says it belongs (its `interval` and `day` cells, when there are such
    /// columns).
    pub rows: Vec<crate::scenario::RowLabel>,
}

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

/// Column names of the observed-durations CSV.
pub fn handle_column(c: &CallTypeFit) -> String {
    format!("handle_time.{}", c.name)
}
pub fn patience_column(c: &CallTypeFit) -> String {
    format!("patience.{}", c.name)
}

/// The observed durations: `QUANTILES` rows of handle-time and patience quantiles per call
/// type (an `empirical` distribution over them reproduces the observed one).
pub fn observed_csv(fit: &Fit) -> String {
    let mut columns: Vec<(String, Vec<f64>)> = Vec::new();
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        if let Some(h) = &c.handle_time {
            columns.push((handle_column(c), h.quantiles.clone()));
        }
        // Quantiles all 0 s as written would make an empirical patience that does not load.
        if let Some(p) = c.patience.as_ref().filter(|p| p.quantiles_writable()) {
            columns.push((patience_column(c), p.quantiles(QUANTILES)));
        }
    }
    let mut out = columns.iter().map(|(n, _)| csv_cell(n)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for i in 0..QUANTILES {
        let row: Vec<String> =
            columns.iter().map(|(_, v)| format!("{:.3}", v[i].min(MAX_DURATION))).collect();
        out += &row.join(",");
        out.push('\n');
    }
    out
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
            "# TODO: the median is written; check it against your phone system (lines of a call type's \
             own are `lines = N` in its [[call_types]])."
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

/// Why a call type with no answered call of positive handle time gets a placeholder: the
/// table, JSON and the warnings say it as the scenario's comment does.
pub const PLACEHOLDER_HANDLE_TIME_REASON: &str = "no answered call with a positive handle time in the log; 5 minutes (exponential) is written as a placeholder";

fn write_handle_time(s: &mut String, c: &CallTypeFit, names: &Names) {
    let Some(h) = &c.handle_time else {
        let _ = writeln!(
            s,
            "# TODO: no answered call with a positive handle time in the log; 5 minutes is a placeholder."
        );
        let _ = writeln!(s, "handle_time = {{ distribution = \"exponential\", mean = \"5m\" }}");
        return;
    };
    let fits: Vec<String> =
        h.candidates.iter().map(|o| format!("{} KS {:.3}", o.family.name(), o.ks)).collect();
    // A single call's reason already gives its time, and it has no spread to report.
    let measured = if h.chosen == Choice::OneCall {
        String::new()
    } else {
        format!(
            "{} answered calls, mean {:.1} s ± {:.1}, cv {:.3} ± {:.3}; ",
            h.n,
            h.mean_s,
            1.96 * h.se_mean_s,
            h.cv,
            1.96 * h.se_cv
        )
    };
    // The others' fit is worth reading only beside a family chosen from among them.
    let fits = match h.chosen {
        Choice::Fitted(_) => format!(" ({})", fits.join(", ")),
        _ => String::new(),
    };
    let _ = writeln!(s, "# handle time: {measured}{}{fits}.", h.reason());
    let _ = writeln!(
        s,
        "# observed instead: handle_time = {{ distribution = \"empirical\", file = {}, column = {} }}",
        quote(names.observed_csv),
        quote(&handle_column(c))
    );
    match h.chosen {
        Choice::Deterministic => {
            let _ = writeln!(
                s,
                "handle_time = {{ distribution = \"deterministic\", mean = {} }}",
                seconds(h.mean_s)
            );
        }
        Choice::OneCall => {
            let _ = writeln!(
                s,
                "handle_time = {{ distribution = \"exponential\", mean = {} }}",
                seconds(h.mean_s)
            );
        }
        Choice::Fitted(i) => match h.candidates[i].family {
            Family::Exponential { mean } => {
                let _ = writeln!(
                    s,
                    "handle_time = {{ distribution = \"exponential\", mean = {} }}",
                    seconds(mean)
                );
            }
            family => {
                let _ = writeln!(
                    s,
                    "handle_time = {{ distribution = \"{}\", mean = {}, cv = {} }}",
                    family.name(),
                    seconds(family.mean()),
                    round4(family.cv())
                );
            }
        },
    }
}

fn write_patience(s: &mut String, c: &CallTypeFit, names: &Names) {
    let Some(p) = c.patience.as_ref().filter(|p| p.abandons > 0) else {
        let beyond = if c.short_abandoned > 0 { " beyond the short abandons" } else { "" };
        let _ = writeln!(
            s,
            "# patience: no caller abandoned in the log{beyond}, so none is written (callers never abandon)."
        );
        return;
    };
    let written = p.written();
    if let Some(reason) = p.instant_reason() {
        let _ = writeln!(
            s,
            "# patience: {} among {}; {reason}.",
            plural(p.abandons, "abandon"),
            plural(p.n, "wait")
        );
        return;
    }
    let estimate = p.exponential_mean_s.unwrap_or(p.max_wait_s);
    let median =
        p.km_median_s().map_or("not reached in the observed waits".to_string(), |m| format!("{m:.1} s"));
    let total = if p.entry_s > 0.0 {
        format!("total wait beyond {} / abandons", crate::time::format_duration(p.entry_s))
    } else {
        "total wait / abandons".to_string()
    };
    let _ = writeln!(
        s,
        "# patience: {} among {}; exponential MLE mean {:.1} s ({total}); Kaplan-Meier median {median};",
        plural(p.abandons, "abandon"),
        plural(p.n, "wait"),
        estimate
    );
    // Few abandons among long waits can put the estimate past the longest duration a scenario
    // takes: callers that patient as good as never abandon, and the cap says so in the file.
    if estimate > MAX_DURATION {
        let _ = writeln!(
            s,
            "# that mean is over the 30 days a duration may be (MAX_DURATION): written as 30 days."
        );
    }
    if p.entry_s > 0.0 {
        let _ = writeln!(
            s,
            "# fitted from the short-abandon threshold on: the {} still waiting at {}, each wait counted from \
             there (the exponential's mean is the same from any point on).",
            plural(p.n, "call"),
            crate::time::format_duration(p.entry_s)
        );
    }
    // With the exponential rejected, its MLE says little of the end of the curve: the tail is
    // the Weibull the test preferred, from the last abandon, and the comment says so.
    let beyond = match p.tail() {
        super::patience::Tail::Weibull { from_s, shape, scale_s } => format!(
            "Beyond the last abandon ({from_s:.0} s, {:.1}% still patient; the longest wait was {:.0} s) \
             patience is not in the log: the exponential being rejected, the fitted Weibull (shape \
             {shape:.2}, scale {scale_s:.1} s) is assumed.",
            100.0 * p.km.last().map_or(1.0, |s| s.survival),
            p.max_wait_s
        ),
        super::patience::Tail::Exponential { .. } => format!(
            "Beyond the longest wait ({:.0} s, {:.1}% still patient) patience is not in the log: assumed \
             exponential.",
            p.max_wait_s,
            100.0 * p.survival_at_max
        ),
    };
    let _ = writeln!(
        s,
        "# exponentiality test (Weibull likelihood ratio): shape {:.2}, p = {:.3}. {beyond}",
        p.weibull_shape, p.p_exponential
    );
    let empirical = format!(
        "{{ distribution = \"empirical\", file = {}, column = {} }}",
        quote(names.observed_csv),
        quote(&patience_column(c))
    );
    let exponential = |mean: f64| format!("{{ distribution = \"exponential\", mean = {} }}", seconds(mean));
    // The other form is offered only when it would load: positive once written.
    let mean = estimate.min(MAX_DURATION);
    let (why, line) = match (written, p.exponential_fits()) {
        (Written::Exponential { mean }, true) if p.quantiles_writable() => (
            format!("the exponential is not rejected; observed instead: patience = {empirical}"),
            exponential(mean),
        ),
        (Written::Exponential { mean }, true) => {
            ("the exponential is not rejected".to_string(), exponential(mean))
        }
        (Written::Exponential { mean }, false) => (
            "the exponential is rejected, but the Kaplan-Meier quantiles are all 0 s at the millisecond \
             they are written to: the exponential is written"
                .to_string(),
            exponential(mean),
        ),
        (_, true) => (
            "the exponential's mean is 0 s at the millisecond it is written to: Kaplan-Meier quantiles are \
             written"
                .to_string(),
            empirical,
        ),
        (_, false) if written_positive(mean) => (
            format!(
                "the exponential is rejected: Kaplan-Meier quantiles are written; exponential instead: \
                 patience = {}",
                exponential(mean)
            ),
            empirical,
        ),
        (_, false) => {
            ("the exponential is rejected: Kaplan-Meier quantiles are written".to_string(), empirical)
        }
    };
    let _ = writeln!(s, "# {why}");
    let _ = writeln!(s, "patience = {line}");
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

fn write_groups(
    s: &mut String,
    fit: &Fit,
    names: &Names,
    types: &[usize],
    staffing: Option<&Staffing>,
) -> Result<(), BadInput> {
    let v = &fit.volumes;
    let n_intervals = v.days.len() * v.per_day;
    // Groups from the log (skills: what each answered), else from the staffing file, else one.
    let mut groups: Vec<(String, Vec<usize>)> = fit
        .log
        .groups
        .iter()
        .zip(&fit.group_skills)
        .filter(|(_, skills)| !skills.is_empty())
        .map(|(g, skills)| {
            (g.clone(), skills.iter().map(|&t| usize::from(t)).filter(|t| types.contains(t)).collect())
        })
        .collect();
    let from_log = !groups.is_empty();
    if !from_log {
        match staffing {
            Some(st) => groups = st.groups.iter().map(|(g, _)| (g.clone(), types.to_vec())).collect(),
            None => groups.push(("agents".to_string(), types.to_vec())),
        }
    }
    let mut unassigned: Vec<usize> =
        types.iter().copied().filter(|t| !groups.iter().any(|(_, sk)| sk.contains(t))).collect();
    if !unassigned.is_empty() {
        groups[0].1.append(&mut unassigned);
    }
    if let Some(st) = staffing {
        for (name, agents) in &st.groups {
            if !groups.iter().any(|(g, _)| g == name) {
                let known: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
                return Err(BadInput(format!(
                    "{}: column \"{name}\" is not an agent group of the log (groups: {})",
                    st.file,
                    known.join(", ")
                )));
            }
            if agents.len() != v.per_day && agents.len() != n_intervals {
                return Err(BadInput(format!(
                    "{}: column \"{name}\" has {}; the fitted scenario needs {} (one day of {} from {}){}",
                    st.file,
                    plural(agents.len() as u64, "row"),
                    v.per_day,
                    plural(v.per_day as u64, "interval"),
                    clock(v.first_slot as f64 * v.interval_s),
                    if v.days.len() > 1 {
                        format!(" or {n_intervals} (all {} days)", v.days.len())
                    } else {
                        String::new()
                    }
                )));
            }
        }
        // Half a staffing would leave the other groups at the placeholder, and the round trip
        // would simulate that as the staffing on the phones.
        if let Some((missing, _)) = groups.iter().find(|(g, _)| !st.groups.iter().any(|(name, _)| name == g))
        {
            let names: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
            return Err(BadInput(format!(
                "{}:1: no column for agent group \"{missing}\"; a staffing file gives the agents logged in \
                 per interval of every group that answered calls in the log: columns interval and day \
                 (both optional), then {}",
                st.file,
                names.join(", ")
            )));
        }
        check_staffing_clocks(st, v)?;
    }
    // Share of a call type's load each group carries: as answered in the log, else even.
    let answered_by = |g: usize, t: usize| -> f64 {
        let gi = fit.log.groups.iter().position(|n| *n == groups[g].0);
        match gi {
            Some(gi) if from_log && fit.call_types[t].answered > 0 => {
                fit.group_answered[gi][t] as f64 / fit.call_types[t].answered as f64
            }
            _ => 1.0 / groups.iter().filter(|(_, sk)| sk.contains(&t)).count().max(1) as f64,
        }
    };
    for (g, (name, skills)) in groups.iter().enumerate() {
        let _ = writeln!(s, "\n[[agent_groups]]");
        let _ = writeln!(s, "name = {}", quote(name));
        let skill_names: Vec<String> = skills.iter().map(|&t| quote(&fit.call_types[t].name)).collect();
        if from_log {
            let _ =
                writeln!(s, "# skills: the call types this group answered in the log, most answered first.");
        }
        let _ = writeln!(s, "skills = [{}]", skill_names.join(", "));
        let given = staffing.and_then(|st| st.groups.iter().find(|(n, _)| n == name).map(|(_, a)| (st, a)));
        let agents: Vec<u32> = match given {
            Some((st, agents)) => {
                let _ = writeln!(s, "# staffing: agents logged in per interval, from {}.", st.file);
                agents.clone()
            }
            None => {
                let _ = writeln!(
                    s,
                    "# TODO: a call log has no staffing. Placeholder: the offered load (first attempts, redials, repeats and transfers in) at {:.0}% occupancy; replace with your plan.",
                    100.0 * PLACEHOLDER_OCCUPANCY
                );
                (0..n_intervals)
                    .map(|i| {
                        let load: f64 = skills
                            .iter()
                            .map(|&t| {
                                let c = &fit.call_types[t];
                                let aht = c.handle_time.as_ref().map_or(300.0, |h| h.mean_s);
                                v.offered[t][i] * aht / v.interval_s * answered_by(g, t)
                            })
                            .sum();
                        if load > 0.0 { (load / PLACEHOLDER_OCCUPANCY).ceil().max(1.0) as u32 } else { 0 }
                    })
                    .collect()
            }
        };
        if let Some(i) = agents.iter().position(|&a| a > MAX_AGENTS) {
            return Err(BadInput(format!(
                "{}: the placeholder staffing of group \"{name}\" would be {} agents on day {} at {}, more than \
                 the cap of {MAX_AGENTS} in one interval (MAX_AGENTS): the log's volumes times its handle \
                 times are out of any center's range; check its handle-time column",
                names.log,
                agents[i],
                i / v.per_day + 1,
                clock((v.first_slot + i % v.per_day) as f64 * v.interval_s)
            )));
        }
        let rows: Vec<String> = agents
            .chunks(v.per_day)
            .map(|day| day.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
            .collect();
        let _ = writeln!(s, "staffing = [\n    {},\n]", rows.join(",\n    "));
    }
    Ok(())
}

/// A staffing CSV with an `interval` column must list the fitted grid's clock times in order,
/// and one with a `day` column the days in order, as a forecast CSV must: rows taken by
/// position from a file that starts an hour later than the log, or with two days swapped,
/// would put every headcount in the wrong interval.
fn check_staffing_clocks(st: &Staffing, v: &Volumes) -> Result<(), BadInput> {
    for (row, label) in st.rows.iter().enumerate() {
        let line = label.line;
        if let Some((col, text)) = &label.clock {
            let expected = ClockTime::from_secs((v.first_slot + row % v.per_day) as f64 * v.interval_s);
            if !ClockTime::parse(text).is_ok_and(|t| t == expected) {
                return Err(BadInput(format!(
                    "{}:{line}:{col}: column \"interval\": \"{text}\" does not match the fitted interval {expected} \
                     (row {} of a day of {} intervals of {} from {}); list the fitted grid's intervals in order",
                    st.file,
                    row % v.per_day + 1,
                    v.per_day,
                    crate::time::format_duration(v.interval_s),
                    ClockTime::from_secs(v.first_slot as f64 * v.interval_s),
                )));
            }
        }
        if let Some((col, text)) = &label.day {
            crate::scenario::check_day(text, row, v.per_day).map_err(|message| {
                BadInput(format!("{}:{line}:{col}: column \"day\": {message}", st.file))
            })?;
        }
    }
    Ok(())
}

/// Reads `--staffing FILE`: optional `interval` and `day` columns, then one column per group
/// with the agents logged in per interval (one day, or every scenario day in order).
///
/// # Errors
/// An unreadable file, a column named twice, or a cell that is not a whole number of agents.
pub fn read_staffing(path: &Path) -> Result<Staffing, BadInput> {
    let file = path.display().to_string();
    // Read whole through the cap on input files, so a file that never ends is refused.
    let text = crate::scenario::text::read(path).map_err(|failure| match failure {
        ReadFailure::Unreadable(e) => BadInput(format!("{file}: cannot read the staffing CSV: {e}")),
        ReadFailure::NotUtf8(e) => BadInput(e.to_string()),
    })?;
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| BadInput(format!("{file}:1: cannot read the header row: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    if let Some(&(first, again)) = crate::scenario::repeated_columns(&names).first() {
        return Err(BadInput(format!(
            "{file}:1:{}: column \"{}\" is named twice in the header (columns {} and {}); each column \
             appears once",
            again + 1,
            names[again],
            first + 1,
            again + 1
        )));
    }
    let clock_col = names.iter().position(|&n| n == "interval");
    let group_cols: Vec<usize> =
        (0..headers.len()).filter(|&i| headers[i] != "interval" && headers[i] != "day").collect();
    if group_cols.is_empty() {
        return Err(BadInput(format!(
            "{file}:1: no group column; expected interval,<group>,... with agents per interval"
        )));
    }
    let mut groups: Vec<(String, Vec<u32>)> =
        group_cols.iter().map(|&i| (headers[i].clone(), Vec::new())).collect();
    let day_col = names.iter().position(|&n| n == "day");
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| BadInput(format!("{file}: not a CSV row: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push(crate::scenario::RowLabel {
            line: line as usize,
            clock: clock_col.map(|i| (i + 1, record.get(i).unwrap_or("").to_string())),
            day: day_col.map(|i| (i + 1, record.get(i).unwrap_or("").to_string())),
        });
        for (k, &i) in group_cols.iter().enumerate() {
            let text = record.get(i).unwrap_or("");
            let agents = crate::scenario::whole_agents(text).filter(|&a| a <= MAX_AGENTS).ok_or_else(|| {
                BadInput(format!(
                    "{file}:{line}:{}: column \"{}\": \"{text}\" is not a whole number of agents from 0 to \
                     {MAX_AGENTS} (MAX_AGENTS), in decimal or scientific notation (12, 1.2e1)",
                    i + 1,
                    headers[i]
                ))
            })?;
            groups[k].1.push(agents);
        }
    }
    Ok(Staffing { file, groups, rows })
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
