//! The risk part of the reports: the "Risk of missing the goal" and "Events" sections of the
//! `simulate` table, and the `ccsim risk` curve as a table. Pure: text in, text out.

use crate::report::table::{Align, Table};
use crate::report::{number_estimate, percent, percent_estimate};
use crate::risk::RiskCurve;
use crate::summary::Summary;
use crate::time::format_duration;

/// Intervals listed by their lowest probability of meeting the goal.
const RISKIEST_SHOWN: usize = 5;

/// The risk section of the `simulate` table; empty for a scenario that models no bad days.
pub fn simulation_section(summary: &Summary) -> String {
    let Some(overall) = &summary.risk else { return String::new() };
    let several = summary.several_channels();
    let goal = if several { "its channel's goal".to_string() } else { percent(summary.service_level.goal) };
    let mut out = crate::report::wrap(
        &format!(
            "\nRisk of missing the goal: P(meet goal) = share of replications (each one {}) whose service \
             level is at or above {goal}{}; SL p10 = the level nine in ten of them beat.\n",
            crate::report::replication_noun(summary.grid.days, false),
            if several { " (all calls: every channel at or above its own)" } else { "" },
        ),
        100,
    );
    let mut t = Table::new(&["Call type", "P(meet goal)", "SL p10", "Mean SL"]);
    for ct in &summary.call_types {
        if let Some(r) = &ct.risk {
            t.row([
                ct.name.clone(),
                percent_estimate(&r.p_meet_goal),
                percent_estimate(&r.sl_p10),
                percent_estimate(&ct.stats.service_level),
            ]);
        }
    }
    if summary.call_types.len() > 1 {
        t.row([
            "all calls".to_string(),
            percent_estimate(&overall.p_meet_goal),
            percent_estimate(&overall.sl_p10),
            percent_estimate(&summary.overall.service_level),
        ]);
    }
    out += &t.render();
    let mut risky: Vec<_> = summary
        .intervals
        .iter()
        .filter_map(|i| i.risk.map(|r| (i, r)))
        .filter(|(_, r)| r.p_meet_goal.mean.is_finite() && r.p_meet_goal.mean < 1.0)
        .collect();
    risky.sort_by(|a, b| a.1.p_meet_goal.mean.total_cmp(&b.1.p_meet_goal.mean));
    if !risky.is_empty() {
        out += &format!("\nRiskiest intervals (lowest probability of meeting {goal}):\n");
        let mut t =
            Table::new(&["Interval", "Call type", "P(meet goal)", "SL p10", "Mean SL"]).align(1, Align::Left);
        for (i, r) in risky.iter().take(RISKIEST_SHOWN) {
            t.row([
                summary.grid.interval_label(i.day, &i.start),
                i.call_type.clone(),
                percent_estimate(&r.p_meet_goal),
                percent_estimate(&r.sl_p10),
                percent_estimate(&i.stats.service_level),
            ]);
        }
        out += &t.render();
    }
    if !summary.events.is_empty() {
        out += "\nEvents (extra = against the same replications without the event):\n";
        let mut t = Table::new(&[
            "Event",
            "Days",
            "Window",
            "Time to recover",
            "Peak queue",
            "Extra abandoned",
            "Extra redials",
        ])
        .align(1, Align::Left)
        .align(2, Align::Left);
        for e in &summary.events {
            let days: Vec<String> = e.days.iter().map(usize::to_string).collect();
            t.row([
                e.name.clone(),
                days.join(","),
                format!("{} + {}", e.start, format_duration(e.length_s)),
                e.time_to_recover_s.map_or("not within 24h".to_string(), format_duration),
                number_estimate(&e.peak_queue, 1),
                number_estimate(&e.extra_abandoned, 1),
                number_estimate(&e.extra_redials, 1),
            ]);
        }
        out += &t.render();
        out += &crate::report::wrap(
            "Time to recover: from the event's start to the first interval from which the mean service \
             level is back at or above the goal (or not significantly more than 2 points below the same interval \
             without the event) \
             and stays there for the next 24 hours. Peak queue: most callers waiting at once from the \
             event's start to the end of its day.\n",
            100,
        );
    }
    out
}

/// The risk curve as a table.
pub fn curve_table(curve: &RiskCurve) -> String {
    let runs = crate::report::replication_noun(curve.days, true);
    let mut out = format!(
        "{} | plan: {} scaled to each headcount | {} replications per headcount, seed {}\n\
         {}{}\n\n",
        curve.scenario,
        curve.plan,
        curve.replications,
        curve.seed,
        crate::report::channels::goal_line_of(curve.goal, curve.target_s, &curve.channel_goals),
        if curve.channel_goals.is_empty() {
            format!("; P(meet goal) = share of replications ({runs}) that meet it")
        } else {
            format!(
                "\nP(meet goal) = share of replications ({runs}) in which every channel meets its own goal"
            )
        },
    );
    let mut t = Table::new(&["Peak agents", "P(meet goal)", "Mean SL", "SL p10"]);
    for p in &curve.points {
        t.row([
            p.agents.to_string(),
            percent_estimate(&p.p_meet_goal),
            percent_estimate(&p.service_level),
            percent_estimate(&p.sl_p10),
        ]);
    }
    out += &t.render();
    for target in [0.5, 0.8, 0.9, 0.95] {
        if let Some(p) = curve.points.iter().find(|p| p.p_meet_goal.mean >= target) {
            out += &format!(
                "Fewest peak agents meeting the goal on {} of {runs}: {}\n",
                percent(target),
                p.agents
            );
        }
    }
    out
}
