//! Views of a simulation [`Summary`]: the terminal table, `intervals.csv`,
//! `wait_distribution.csv` and the JSON contract. Pure: they return text or bytes.

use crate::metrics::{CallStats, definition};
use crate::model::SlDefinition;
use crate::report::table::{Align, Table};
use crate::report::{number_estimate, percent, percent_estimate};
use crate::stats::Estimate;
use crate::summary::Summary;
use crate::time::format_duration;

/// The summary as pretty JSON (the `simulate --format json` contract).
pub fn json(summary: &Summary) -> String {
    let mut text = serde_json::to_string_pretty(summary).expect("a summary always serialises");
    text.push('\n');
    text
}

fn sl_definition_text(summary: &Summary) -> &'static str {
    match summary.service_level.definition {
        SlDefinition::Offered => "answered within target / all offered contacts (abandoned included)",
        SlDefinition::Answered => "answered within target / answered contacts",
    }
}

/// The line saying that shrinkage was taken out of the plan before simulating.
pub(crate) fn shrinkage_line(shrinkage: f64) -> String {
    format!(
        "Shrinkage: {} of each group's agents off the phones (paid, not taking calls)\n",
        percent(shrinkage)
    )
}

/// The terminal report: per call type and overall, worst intervals, agent groups, and the
/// definitions of what is shown. Fits 100 columns.
pub fn table(summary: &Summary) -> String {
    let sl = &summary.service_level;
    let mut out = format!(
        "{} | plan: {} | {} replications, seed {}\n\
         Goal: {} of contacts answered within {} | ±: 95% confidence half-width\n\n",
        summary.scenario,
        summary.plan,
        summary.replications,
        summary.seed,
        percent(sl.goal),
        format_duration(sl.target_s),
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
            number_estimate(&s.offered, 0),
            number_estimate(&s.answered, 0),
            percent_estimate(&s.abandon_rate),
            percent_estimate(&s.service_level),
            number_estimate(&s.asa_s, 1),
            number_estimate(&s.wait_p90_s, 0),
            number_estimate(&s.unanswered_at_close, 0),
        ]);
    };
    for ct in &summary.call_types {
        row(&ct.name, &ct.stats);
    }
    if summary.call_types.len() > 1 {
        row("all calls", &summary.overall);
    }
    out += &t.render();

    let mut worst: Vec<_> =
        summary.intervals.iter().filter(|i| i.stats.service_level.mean.is_finite()).collect();
    worst.sort_by(|a, b| a.stats.service_level.mean.total_cmp(&b.stats.service_level.mean));
    let below: Vec<_> = worst.iter().filter(|i| i.stats.service_level.mean < sl.goal).collect();
    out += &format!(
        "\nIntervals below the goal: {} of {} with calls. Worst:\n",
        below.len(),
        summary.intervals.iter().filter(|i| i.stats.offered.mean > 0.0).count()
    );
    let mut t = Table::new(&["Interval", "Call type", "Offered", "Service level", "Abandoned", "ASA (s)"])
        .align(1, Align::Left);
    for i in worst.iter().take(5) {
        t.row([
            interval_label(summary, i.day, &i.start),
            i.call_type.clone(),
            number_estimate(&i.stats.offered, 1),
            percent_estimate(&i.stats.service_level),
            percent_estimate(&i.stats.abandon_rate),
            number_estimate(&i.stats.asa_s, 1),
        ]);
    }
    out += &t.render();

    out += "\n";
    let mut t = Table::new(&["Agent group", "Occupancy", "Peak on duty", "Paid hours"]);
    for (i, g) in summary.agent_groups.iter().enumerate() {
        let peak = g.intervals.iter().map(|x| x.agents_on_duty.mean).fold(0.0, f64::max);
        t.row([
            g.name.clone(),
            percent_estimate(&g.occupancy),
            format!("{peak:.1}"),
            if i == 0 { format!("{:.1} (all groups)", summary.paid_hours) } else { String::new() },
        ]);
    }
    out += &t.render();
    out += &crate::report::wrap(
        &format!(
            "\nService level = {}.\nASA = {}.\nAbandoned = {}.\nOccupancy = {}.\n",
            sl_definition_text(summary),
            definition("asa_s").definition,
            definition("abandon_rate").definition,
            definition("occupancy").definition,
        ),
        100,
    );
    out
}

/// "08:30", or "day 2 08:30" in a multi-day scenario.
pub fn interval_label(summary: &Summary, day: usize, start: &str) -> String {
    if summary.grid.days > 1 { format!("day {day} {start}") } else { start.to_string() }
}

fn unit_of(key: &str) -> &'static str {
    definition(key).unit
}

/// One row per day, interval and call type, each statistic as mean and 95% half-width, with
/// units in the header (`share` = fraction between 0 and 1).
pub fn intervals_csv(summary: &Summary) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["day".to_string(), "start (HH:MM)".to_string(), "call_type".to_string()];
    for key in CallStats::<f64>::KEYS {
        header.push(format!("{key} [{}]", unit_of(key)));
        header.push(format!("{key} ±95% [{}]", unit_of(key)));
    }
    w.write_record(&header)?;
    for i in &summary.intervals {
        let mut rec = vec![i.day.to_string(), i.start.clone(), i.call_type.clone()];
        for e in i.stats.values() {
            rec.push(csv_number(e.mean));
            rec.push(csv_number(e.half_width));
        }
        w.write_record(&rec)?;
    }
    Ok(w.into_inner()?)
}

/// Bucket bounds and counts of answered contacts' waits, per call type ("all" first).
pub fn wait_distribution_csv(summary: &Summary) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["call_type", "wait_from [s]", "wait_to [s]", "answered [calls, all replications]"])?;
    for d in &summary.wait_distribution {
        let name = d.call_type.clone().unwrap_or_else(|| "all".to_string());
        for b in &d.buckets {
            w.write_record([name.clone(), csv_number(b.low_s), csv_number(b.high_s), b.count.to_string()])?;
        }
    }
    Ok(w.into_inner()?)
}

/// A number for CSV: empty when undefined, otherwise the shortest exact decimal.
pub fn csv_number(v: f64) -> String {
    if v.is_finite() { format!("{v}") } else { String::new() }
}
