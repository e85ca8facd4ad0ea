//! Views of a plan [`Comparison`]: the side-by-side terminal table with paired differences,
//! and the JSON contract.

use crate::compare::Comparison;
use crate::report::table::{Align, Table};
use crate::report::{percent, percent_estimate, percent_interval};
use crate::stats::Estimate;
use crate::summary::ChannelSummary;

/// The comparison as pretty JSON (the `compare --format json` contract).
pub fn json(comparison: &Comparison) -> String {
    let mut text = serde_json::to_string_pretty(comparison).expect("a comparison always serialises");
    text.push('\n');
    text
}

/// A difference of shares in percentage points with its interval: `+4.1 pt [+3.6, +4.6]`.
pub fn points(e: &Estimate) -> String {
    with_interval(e, 100.0, " pt")
}

/// A difference times `scale` with its interval, units left to the header: `-4.1 [-4.6, -3.6]`.
fn interval(e: &Estimate, scale: f64) -> String {
    with_interval(e, scale, "")
}

/// A difference times `scale`, then `unit`, then its 95% interval; `-` for an undefined
/// difference, and `[-]` for the interval of one replication, which has none: showing the
/// mean as both bounds would claim a certainty the run does not give.
fn with_interval(e: &Estimate, scale: f64, unit: &str) -> String {
    if !e.mean.is_finite() {
        return "-".to_string();
    }
    if !e.half_width.is_finite() {
        return format!("{:+.1}{unit} [-]", e.mean * scale);
    }
    let hw = e.half_width;
    format!("{:+.1}{unit} [{:+.1}, {:+.1}]", e.mean * scale, (e.mean - hw) * scale, (e.mean + hw) * scale)
}

/// How a plan's cost is priced, before the notes on the work no template of its length prices.
pub const COST_RULE: &str =
    "paid hours x the cost_per_hour of the group's shift template of the shift's length";

/// The headers of a table of paired differences.
pub const DIFFERENCE_HEADERS: [&str; 5] =
    ["Calls", "Service level (pt)", "ASA (s)", "Abandoned (pt)", "Wait p90 (s)"];

/// The line under a difference table that gives the blocked share's paired difference.
pub const BLOCKED_DIFFERENCE: &str = "Blocked, all calls (pt)";

/// The line under a difference table that gives the failed callbacks' paired difference.
pub const CALLBACKS_FAILED_DIFFERENCE: &str = "Callbacks failed, all calls (calls)";

/// One plan against the first, as the reports show it: the terminal table and the HTML report.
pub struct DifferenceTable {
    /// `late minus scenario (paired: same callers), 95% interval: paid hours +0.0, cost +0.00`.
    pub heading: String,
    /// Per call type, per channel where a channel has several call types, then all calls: each
    /// difference with its 95% interval, in the columns of [`DIFFERENCE_HEADERS`].
    pub rows: Vec<[String; 5]>,
    /// The paired difference of the probabilities of meeting the goal, with bad days modelled.
    pub p_meet_goal: Option<String>,
    /// With telephone lines, the paired difference of the blocked share of all calls (pt).
    pub blocked: Option<String>,
    /// With callbacks, the paired difference of the callback customers never reached (calls).
    pub callbacks_failed: Option<String>,
}

/// Every plan after the first against the first, paired on the same callers.
pub fn difference_tables(c: &Comparison) -> Vec<DifferenceTable> {
    c.differences
        .iter()
        .map(|d| {
            // One replication gives each difference, but no interval around it.
            let intervals = if c.replications > 1 { "95% interval" } else { "one replication, no interval" };
            let heading = format!(
                "{} minus {} (paired: same callers), {intervals}: paid hours {:+.1}{}",
                d.plan,
                d.against,
                d.paid_hours,
                d.cost.map_or(String::new(), |v| format!(", cost {v:+.2}")),
            );
            let row = |name: &str, s: &crate::metrics::CallStats<Estimate>| {
                [
                    name.to_string(),
                    interval(&s.service_level, 100.0),
                    interval(&s.asa_s, 1.0),
                    interval(&s.abandon_rate, 100.0),
                    interval(&s.wait_p90_s, 1.0),
                ]
            };
            let mut rows: Vec<[String; 5]> = d.call_types.iter().map(|ct| row(&ct.name, &ct.stats)).collect();
            // A channel's own row, where it has several call types (else its call type's row says it).
            if d.call_types.len() > d.channels.len() && !ChannelSummary::at_most_one(&d.channels) {
                rows.extend(d.channels.iter().map(|ch| row(&super::channel_row_name(ch.name), &ch.stats)));
            }
            let several = !ChannelSummary::at_most_one(&d.channels);
            rows.push(row(super::all_row_name(several), &super::shown_pooled(&d.overall, several)));
            DifferenceTable {
                heading,
                rows,
                p_meet_goal: d.p_meet_goal.as_ref().map(points),
                blocked: d.lines.as_ref().map(|l| interval(&l.overall.block_rate, 100.0)),
                callbacks_failed: d.callbacks.as_ref().map(|c| interval(&c.overall.callbacks_failed, 1.0)),
            }
        })
        .collect()
}

/// Plans side by side, then each plan against the first, then the intervals below goal.
pub fn table(c: &Comparison) -> String {
    let channels = c.channels();
    let several = !channels.is_empty();
    let mut out = format!(
        "{} | {} per plan, seed {}, same callers for every plan | ±: 95% half-width\n{}\n\n",
        c.scenario,
        crate::error::plural(u64::from(c.replications), "replication"),
        c.seed,
        super::channels::goal_line(&c.service_level, channels),
    );
    if c.shrinkage_applied > 0.0 {
        out.insert_str(out.len() - 1, &super::simulation::shrinkage_line(c.shrinkage_applied));
    }
    // With telephone lines, a plan's busy signals are part of what it does to callers.
    let lines = c.plans.iter().any(|p| p.lines.is_some());
    let mut headers = vec![
        "Plan",
        "Paid hours",
        "Cost",
        "Service level",
        "ASA (s)",
        "Abandoned",
        "Wait p90 (s)",
        "Occupancy",
    ];
    if lines {
        headers.push("Blocked");
    }
    let mut t = Table::new(&headers);
    for p in &c.plans {
        let all = super::shown_pooled(&p.overall, several);
        let mut row = vec![
            p.name.clone(),
            format!("{:.1}", p.paid_hours),
            p.cost.map_or("-".to_string(), |v| format!("{v:.2}")),
            percent_estimate(&all.service_level),
            crate::report::seconds_estimate(&all.asa_s),
            percent_estimate(&all.abandon_rate),
            crate::report::nonnegative_estimate(&all.wait_p90_s, 0),
            percent_estimate(&p.occupancy),
        ];
        if lines {
            row.push(p.lines.as_ref().map_or("-".to_string(), |l| percent_estimate(&l.overall.block_rate)));
        }
        t.row(row);
    }
    out += &t.render();
    if several {
        out += super::POOLED_WAITS_NOTE;
        out += "\n";
    }
    if lines {
        out += &format!("Blocked: {}.\n", crate::metrics::definition("block_rate").definition);
    }
    if !c.pricing_notes.is_empty() {
        out += &crate::report::wrap(&format!("Cost: {COST_RULE}. {}\n", c.pricing_notes.join(" ")), 100);
    }
    if several {
        let mut t =
            Table::new(&["Plan", "Channel", "Goal", "Service level", "ASA (s)", "Abandoned", "Verdict"])
                .align(1, Align::Left)
                .align(2, Align::Left)
                .align(6, Align::Left);
        for p in &c.plans {
            for (i, ch) in p.channels.iter().enumerate() {
                t.row([
                    if i == 0 { p.name.clone() } else { String::new() },
                    ch.name.name().to_string(),
                    crate::report::goal_in(&ch.goal),
                    percent_estimate(&ch.stats.service_level),
                    crate::report::seconds_estimate(&ch.stats.asa_s),
                    percent_estimate(&ch.stats.abandon_rate),
                    match ch.meets_goal() {
                        None => "-",
                        Some(true) => "met",
                        Some(false) => "missed",
                    }
                    .to_string(),
                ]);
            }
        }
        out += &format!("\nChannels, each against its own goal:\n{}", t.render());
    }
    for d in difference_tables(c) {
        out += &format!("\n{}\n", d.heading);
        let mut t = Table::new(&DIFFERENCE_HEADERS);
        for row in d.rows {
            t.row(row);
        }
        out += &t.render();
        if let Some(b) = &d.blocked {
            out += &format!("{BLOCKED_DIFFERENCE}: {b}\n");
        }
        if let Some(f) = &d.callbacks_failed {
            out += &format!("{CALLBACKS_FAILED_DIFFERENCE}: {f}\n");
        }
        if let Some(p) = &d.p_meet_goal {
            out += &format!("Probability of meeting the goal: {p}\n");
        }
    }
    if c.plans.iter().any(|p| p.risk.is_some()) {
        out += "\nRisk of missing the goal (P = share of replications meeting it; SL p10 = 10th percentile; \
             brackets: 95% interval):\n";
        let note = crate::report::risk::p10_note(c.replications);
        if !note.is_empty() {
            out += &crate::report::wrap(&format!("{}\n", note.trim_start()), 100);
        }
        for p in &c.plans {
            if let Some(r) = &p.risk {
                out += &format!(
                    "  {}: P(meet goal) {}, SL p10 {}\n",
                    p.name,
                    percent_interval(&r.p_meet_goal),
                    percent_interval(&r.sl_p10)
                );
            }
        }
    }
    // Judged, as in every report, on the interval's service level over the replications.
    out += &format!(
        "\nIntervals below the goal{}, the worst first:\n",
        c.plans.first().map_or("", |p| super::below_goal_scope(&p.goals(c.service_level), &p.intervals))
    );
    let several_types = c.plans.first().is_some_and(|p| p.call_types.len() > 1);
    for p in &c.plans {
        // Named as the other tables name them (by weekday when the scenario gives one); the
        // JSON's list keeps day numbers and clock order.
        let mut below = p.goals(c.service_level).below(&p.intervals).cells;
        below.sort_by(|a, b| a.stats.service_level.mean.total_cmp(&b.stats.service_level.mean));
        let shown: Vec<String> = below
            .iter()
            .take(4)
            .map(|i| {
                let when = c.grid.interval_label(i.day, &i.start);
                let what = if several_types { format!("{when} {}", i.call_type) } else { when };
                format!("{what} {}", percent(i.stats.service_level.mean))
            })
            .collect();
        let more = below.len().saturating_sub(shown.len());
        out += &crate::report::wrap(
            &format!(
                "  {}: {}{}{}\n",
                p.name,
                below.len(),
                if shown.is_empty() { String::new() } else { format!(" ({})", shown.join(", ")) },
                if more > 0 { format!(" and {more} more") } else { String::new() }
            ),
            100,
        );
    }
    if let Some(note) = crate::report::cut_interval_note(&out) {
        out += &crate::report::wrap(note, 100);
    }
    out
}
