//! Views of a simulation [`Summary`]: the terminal table, `intervals.csv`,
//! `wait_distribution.csv` and the JSON contract. Pure: they return text or bytes.

use std::collections::HashMap;
use std::io::Write;

use crate::error::plural;
use crate::metrics::{CallStats, CallbackStats, LineStats, definition};
use crate::model::SlDefinition;
use crate::report::table::{Align, Table};
use crate::report::{
    csv_decimals, csv_estimate, csv_estimate_header, csv_exact, nonnegative_estimate, percent,
    percent_estimate,
};
use crate::stats::Estimate;
use crate::summary::{IntervalSummary, LinesSummary, Summary};

/// The summary as pretty JSON (the `simulate --format json` contract).
pub fn json(summary: &Summary) -> String {
    let mut bytes = Vec::new();
    write_json(summary, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("JSON is UTF-8")
}

/// Streams the summary as pretty JSON into `w`, the same bytes as [`json`] without holding
/// the text in memory (a year of intervals is gigabytes of JSON).
///
/// # Errors
/// When `w` fails.
pub fn write_json(summary: &Summary, w: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, summary)?;
    w.write_all(b"\n")
}

fn sl_definition_text(summary: &Summary) -> String {
    let base = match summary.service_level.definition {
        SlDefinition::Offered => "answered within target / all offered contacts (abandoned included)",
        SlDefinition::Answered => "answered within target / answered contacts",
    };
    // Callback customers did not hold: the rule the scenario chose says how they count.
    let callbacks = match summary.callbacks.as_ref().map(|c| c.count_as) {
        None => "",
        Some(crate::callback::CallbacksCountAs::Excluded) => {
            "; callback customers left out of both (callbacks_count_as = \"excluded\")"
        }
        Some(crate::callback::CallbacksCountAs::AnsweredInTime) => {
            "; a callback customer reached counts as answered within target \
             (callbacks_count_as = \"answered_in_time\")"
        }
    };
    format!("{base}{callbacks}")
}

/// The line saying that shrinkage was taken out of the plan before simulating, by the rule of
/// [`crate::shrinkage`]: where keeping every interval's floor binds, fewer hours come out.
pub(crate) fn shrinkage_line(shrinkage: f64) -> String {
    format!(
        "Shrinkage: up to {} of each group's paid hours off the phones (paid, not taking calls); \
         every interval keeps at least {} of its agents, rounded down\n",
        percent(shrinkage),
        percent(1.0 - shrinkage)
    )
}

/// Intervals below the goal listed by name in the terminal report; the rest are counted.
const WORST_SHOWN: usize = 5;

/// The terminal report: per call type and overall, worst intervals, agent groups, and the
/// definitions of what is shown. Fits 100 columns.
pub fn table(summary: &Summary) -> String {
    let mut out = format!(
        "{} | plan: {} | {}, seed {}\n{} | ±: 95% confidence half-width\n\n",
        summary.scenario,
        summary.plan,
        plural(u64::from(summary.replications), "replication"),
        summary.seed,
        crate::report::channels::goal_line(&summary.service_level, &summary.channels),
    );
    if summary.shrinkage_applied > 0.0 {
        out.insert_str(out.len() - 1, &shrinkage_line(summary.shrinkage_applied));
    }
    let mut t = Table::new(&[
        "Call type",
        "Offered",
        "Answered",
        "Abandoned",
        "Service level",
        "ASA (s)",
        "Wait p90 (s)",
        "Unans.",
    ]);
    let mut row = |name: &str, s: &CallStats<Estimate>| {
        t.row([
            name.to_string(),
            nonnegative_estimate(&s.offered, 0),
            nonnegative_estimate(&s.answered, 0),
            percent_estimate(&s.abandon_rate),
            percent_estimate(&s.service_level),
            crate::report::seconds_estimate(&s.asa_s),
            crate::report::nonnegative_estimate(&s.wait_p90_s, 0),
            crate::report::count_estimate(&s.unanswered_at_close),
        ]);
    };
    for ct in &summary.call_types {
        row(&ct.name, &ct.stats);
    }
    let several = summary.several_channels();
    if summary.call_types.len() > 1 {
        let name = crate::report::all_row_name_of(&summary.channels);
        row(name, &crate::report::shown_pooled(&summary.overall, several));
    }
    out += &t.render();
    if several && summary.call_types.len() > 1 {
        out += crate::report::POOLED_WAITS_NOTE;
        out += "\n";
    }
    out += &crate::report::risk::simulation_section(summary);
    out += &crate::report::channels::table_section(summary);

    let judged = summary.goals().below(&summary.intervals);
    let with_calls = format!(
        "{} with {}{}",
        judged.judged,
        crate::report::count_noun(&summary.channels),
        crate::report::unjudged_note(&judged)
    );
    let mut below = judged.cells;
    below.sort_by(|a, b| a.stats.service_level.mean.total_cmp(&b.stats.service_level.mean));
    // With several channels, each call type is judged against its own channel's goal.
    let own = crate::report::below_goal_scope(&summary.goals(), &summary.intervals);
    if below.is_empty() {
        out +=
            &crate::report::wrap(&format!("\nIntervals below the goal{own}: none of {with_calls}.\n"), 100);
    } else {
        let shown = below.len().min(WORST_SHOWN);
        out += &crate::report::wrap(
            &format!(
                "\nIntervals below the goal{own}: {} of {with_calls}. {}:\n",
                below.len(),
                if shown < below.len() { format!("The {shown} worst") } else { "All of them".to_string() }
            ),
            100,
        );
        // With lines, an interval's offered calls include the busy signals: without their share
        // the service level's shortfall would show no cause in the row.
        let blocked = summary.lines.as_ref().map(LinesSummary::by_interval);
        // With one call type its name column says nothing (the HTML report leaves it out too),
        // and the room goes to the blocked share where there is one.
        let by_type = summary.call_types.len() > 1;
        let mut headers = vec!["Interval"];
        if by_type {
            headers.push("Call type");
        }
        headers.extend(["Offered", "Service level", "Abandoned"]);
        if blocked.is_some() {
            headers.push("Blocked");
        }
        headers.push("ASA (s)");
        let mut t = Table::new(&headers);
        if by_type {
            t = t.align(1, Align::Left);
        }
        for i in below.iter().take(shown) {
            let mut row = vec![summary.grid.interval_label(i.day, &i.start)];
            if by_type {
                row.push(i.call_type.clone());
            }
            row.extend([
                nonnegative_estimate(&i.stats.offered, 1),
                percent_estimate(&i.stats.service_level),
                percent_estimate(&i.stats.abandon_rate),
            ]);
            if let Some(blocked) = &blocked {
                row.push(block_rate_of(blocked, i));
            }
            row.push(crate::report::seconds_estimate(&i.stats.asa_s));
            t.row(row);
        }
        out += &t.render();
    }

    out += "\n";
    let mut t = Table::new(&["Agent group", "Occupancy", "Peak on duty", "Paid hours"]);
    for (i, g) in summary.agent_groups.iter().enumerate() {
        let peak = g.intervals.iter().map(|x| x.agents_on_duty.mean).fold(0.0, f64::max);
        t.row([
            g.name.clone(),
            occupancy_cell(g),
            format!("{peak:.1}"),
            if i == 0 { format!("{:.1} (all groups)", summary.paid_hours) } else { String::new() },
        ]);
    }
    out += &t.render();
    if let Some(lines) = &summary.lines {
        out += &format!(
            "Lines: {} blocked ({} of offered), line occupancy {}.\n",
            crate::report::count_estimate(&lines.overall.blocked),
            percent_estimate(&lines.overall.block_rate),
            percent_estimate(&lines.line_occupancy),
        );
    }
    if let Some(callbacks) = &summary.callbacks {
        let o = &callbacks.overall;
        // Two lines, each wrapped at 100 columns: an estimate with its half-width is wide.
        out += &crate::report::wrap(
            &format!(
                "Callbacks: {} offered, {} accepted, {} completed, {} failed.\n\
                 Wait to call back (callback customers): p50 {} s, p90 {} s.\n",
                nonnegative_estimate(&o.callbacks_offered, 1),
                nonnegative_estimate(&o.callbacks_accepted, 1),
                nonnegative_estimate(&o.callbacks_completed, 1),
                crate::report::count_estimate(&o.callbacks_failed),
                crate::report::nonnegative_estimate(&o.callback_wait_p50_s, 0),
                crate::report::nonnegative_estimate(&o.callback_wait_p90_s, 0),
            ),
            100,
        );
    }
    // "Blocked" heads a column only when a scenario with lines has an interval below the goal.
    let blocked = match &summary.lines {
        Some(_) if !below.is_empty() => format!("Blocked = {}.\n", block_rate_definition()),
        _ => String::new(),
    };
    out += &crate::report::wrap(
        &format!(
            "\nService level = {}.\nASA = {}.\nAbandoned = {}.\n{blocked}Wait p90 = {}.\nUnans. = {}.\nOccupancy = {}.\n",
            sl_definition_text(summary),
            definition("asa_s").definition,
            definition("abandon_rate").definition,
            definition("wait_p90_s").definition,
            definition("unanswered_at_close").definition,
            occupancy_definition(summary),
        ),
        100,
    );
    if let Some(note) = crate::report::cut_interval_note(&out) {
        out += &crate::report::wrap(note, 100);
    }
    out
}

/// A group's occupancy as tables show it: for a group that takes chats, with the chats its
/// agents held on average, without which a chat team's occupancy cannot be read.
pub(crate) fn occupancy_cell(g: &crate::summary::GroupSummary) -> String {
    match &g.mean_concurrency {
        Some(c) if c.mean.is_finite() => {
            format!("{} ({:.2} chats on average)", percent_estimate(&g.occupancy), c.mean)
        }
        _ => percent_estimate(&g.occupancy),
    }
}

/// The share of a cell's offered calls that got a busy signal, as the "Lines:" line gives the
/// run's; "-" for a cell the lines record has no figures of.
pub(crate) fn block_rate_of(
    blocked: &HashMap<(usize, &str, &str), &LineStats<Estimate>>,
    i: &IntervalSummary,
) -> String {
    blocked
        .get(&(i.day, i.start.as_str(), i.call_type.as_str()))
        .map_or_else(|| "-".to_string(), |s| percent_estimate(&s.block_rate))
}

/// What the "Blocked" share of a table means: the block rate, and which calls are blocked.
fn block_rate_definition() -> String {
    format!("{} (blocked: {})", definition("block_rate").definition, definition("blocked").definition)
}

/// The definition of occupancy for a run: with chat, what "busy" means for chat agents too.
pub(crate) fn occupancy_definition(summary: &Summary) -> String {
    let general = definition("occupancy").definition;
    if summary.agent_groups.iter().any(|g| g.mean_concurrency.is_some()) {
        format!("{general}; {}", crate::metrics::CHAT_OCCUPANCY)
    } else {
        general.to_string()
    }
}

fn unit_of(key: &str) -> &'static str {
    definition(key).unit
}

/// One row per day, interval and call type, each statistic as mean and 95% half-width, with
/// units in the header (`share` = fraction between 0 and 1). Numbers are rounded per unit
/// ([`csv_decimals`]). The rows of `intervals.csv` and of `simulate --format csv`.
pub fn intervals_csv(summary: &Summary) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_intervals_csv(summary, &mut bytes)?;
    Ok(bytes)
}

/// Streams [`intervals_csv`] into `w`.
///
/// # Errors
/// When `w` fails.
pub fn write_intervals_csv(summary: &Summary, w: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    // A scenario with lines or callbacks has outcomes beyond the calls' own (blocked, callback
    // failed): their columns follow, so that every row balances as `offered` does.
    let lines = summary.lines.as_ref().map(|l| &l.intervals);
    let callbacks = summary.callbacks.as_ref().map(|c| &c.intervals);
    let keys: Vec<&str> = (CallStats::<f64>::KEYS.iter())
        .chain(lines.map_or(&[][..], |_| LineStats::<f64>::KEYS))
        .chain(callbacks.map_or(&[][..], |_| CallbackStats::<f64>::KEYS))
        .copied()
        .collect();
    let mut header = vec!["day".to_string(), "start (HH:MM)".to_string(), "call_type".to_string()];
    for key in &keys {
        header.extend(csv_estimate_header(key, unit_of(key)));
    }
    w.write_record(&header)?;
    let decimals: Vec<usize> = keys.iter().map(|k| csv_decimals(unit_of(k))).collect();
    let mut rec: Vec<String> = Vec::with_capacity(header.len());
    for (n, i) in summary.intervals.iter().enumerate() {
        rec.clear();
        rec.extend([i.day.to_string(), i.start.clone(), i.call_type.clone()]);
        // Every list is in grid order then call-type order, one row per interval and call type.
        let extra_lines = lines.and_then(|l| l.get(n)).into_iter().flat_map(|l| l.stats.values());
        let extra_callbacks = callbacks.and_then(|c| c.get(n)).into_iter().flat_map(|c| c.stats.values());
        for (e, &d) in i.stats.values().chain(extra_lines).chain(extra_callbacks).zip(&decimals) {
            rec.extend(csv_estimate(e, d));
        }
        w.write_record(&rec)?;
    }
    w.flush()
}

/// One row per agent group and interval: agents on duty and occupancy, each a mean (occupancy
/// the ratio of its totals) and its 95% half-width, rounded as in `intervals.csv`. The file
/// `groups.csv` of `--out`, for a spreadsheet to chart occupancy by interval.
///
/// # Errors
/// When `w` fails.
pub fn write_groups_csv(summary: &Summary, w: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    let columns = [("agents_on_duty", "agents"), ("occupancy", "share")];
    let mut header = vec!["day".to_string(), "start (HH:MM)".to_string(), "group".to_string()];
    for (key, unit) in columns {
        header.extend(csv_estimate_header(key, unit));
    }
    w.write_record(&header)?;
    let (agents, share) = (csv_decimals("agents"), csv_decimals("share"));
    for g in &summary.agent_groups {
        for i in &g.intervals {
            let mut rec = vec![i.day.to_string(), i.start.clone(), g.name.clone()];
            rec.extend(csv_estimate(&i.agents_on_duty, agents));
            rec.extend(csv_estimate(&i.occupancy, share));
            w.write_record(&rec)?;
        }
    }
    w.flush()
}

/// Bucket bounds and counts of answered contacts' waits, per call type ("all" first).
///
/// # Errors
/// Never in practice (writes to memory).
pub fn wait_distribution_csv(summary: &Summary) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    write_wait_distribution_csv(summary, &mut bytes)?;
    Ok(bytes)
}

/// Streams [`wait_distribution_csv`] into `w`. Bucket bounds are exact multiples of the
/// histogram's resolution, written without float noise ([`csv_exact`]).
///
/// # Errors
/// When `w` fails.
pub fn write_wait_distribution_csv(summary: &Summary, w: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(["call_type", "wait_from [s]", "wait_to [s]", "answered [calls, all replications]"])?;
    for d in &summary.wait_distribution {
        let name = d.call_type.as_deref().unwrap_or(super::ALL_ROW_CSV);
        for b in &d.buckets {
            w.write_record([name, &csv_exact(b.low_s), &csv_exact(b.high_s), &b.count.to_string()])?;
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Summary {
        serde_json::from_str(include_str!("../../tests/data/charts_summary.json")).unwrap()
    }

    /// The worst-intervals list: its rows, between the line that introduces it and the blank
    /// line that ends the table.
    fn listed(table: &str) -> Vec<String> {
        let from = table.find("Intervals below the goal").unwrap();
        table[from..].lines().skip(3).take_while(|l| !l.is_empty()).map(str::to_string).collect()
    }

    #[test]
    fn only_intervals_below_the_goal_are_listed() {
        let mut summary = fixture();
        let mut levels: Vec<f64> =
            summary.intervals.iter().map(|i| i.stats.service_level.mean).filter(|v| v.is_finite()).collect();
        levels.sort_by(f64::total_cmp);
        // A goal between the second and third lowest levels: exactly two intervals miss it.
        summary.service_level.goal = (levels[1] + levels[2]) / 2.0;
        let text = table(&summary);
        let line = text.lines().find(|l| l.starts_with("Intervals below the goal")).unwrap();
        // The fixture has two call types, each judged apart.
        assert!(line.starts_with("Intervals below the goal (per call type): 2 of "), "{line}");
        assert_eq!(listed(&text).len(), 2, "{text}");

        // A goal no interval misses: nothing listed, and the line says so.
        summary.service_level.goal = levels[0] / 2.0;
        let text = table(&summary);
        assert!(text.contains("Intervals below the goal (per call type): none of "), "{text}");
        assert!(!text.contains("Worst"), "{text}");
    }
}
