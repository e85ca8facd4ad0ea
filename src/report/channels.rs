//! Views of a simulation's channels and email backlog: the terminal table's channel lines and
//! backlog days, `channels.csv` and `backlog.csv`. Pure: they return text or write bytes.

use std::io::Write;

use crate::metrics::{BACKLOG_DEFINITIONS, BacklogStats, CallStats, definition};
use crate::model::{Channel, ChannelGoal, ServiceLevelGoal, SlDefinition};
use crate::report::table::{Align, Table};
use crate::report::{
    csv_decimals, csv_estimate, csv_estimate_header, goal_percent, nonnegative_estimate, percent_estimate,
    seconds_estimate,
};
use crate::summary::{ChannelSummary, Summary};
use crate::time::format_duration;

/// The header's goal line: the scenario's goal, or with several channels each channel's own.
pub fn goal_line(scenario: &ServiceLevelGoal, channels: &[ChannelSummary]) -> String {
    let goals: Vec<ChannelGoal> =
        channels.iter().map(|c| ChannelGoal { channel: c.name, goal: c.goal }).collect();
    goal_line_of(scenario.goal, scenario.target, scenario.definition, &goals)
}

/// [`goal_line`] from the scenario's `goal` within `target_s` and each channel's goal (none, or
/// one, when a single goal applies). A goal over answered contacts says so: the same figures
/// need far fewer agents where callers abandon.
pub fn goal_line_of(goal: f64, target_s: f64, definition: SlDefinition, channels: &[ChannelGoal]) -> String {
    let of_answered = |d: SlDefinition| d == SlDefinition::Answered;
    if channels.len() <= 1 {
        if of_answered(channels.first().map_or(definition, |c| c.goal.definition)) {
            return format!(
                "Goal: {} of answered contacts answered within {} (abandoned ones not counted)",
                goal_percent(goal),
                format_duration(target_s)
            );
        }
        return format!(
            "Goal: {} of contacts answered within {}",
            goal_percent(goal),
            format_duration(target_s)
        );
    }
    let each: Vec<String> = channels.iter().map(channel_goal).collect();
    format!("Goals: {}", each.join(", "))
}

/// A channel's goal in short: `chat 80% in 1m`, or `chat 80% of answered in 1m` for a goal
/// over answered contacts.
pub fn channel_goal(c: &ChannelGoal) -> String {
    let answered = if c.goal.definition == SlDefinition::Answered { " of answered" } else { "" };
    format!(
        "{} {}{answered} in {}",
        c.channel.name(),
        crate::report::goal_percent(c.goal.goal),
        format_duration(c.goal.target)
    )
}

/// The table's channel lines (each channel against its own goal) and, with email, the backlog
/// day by day. Empty for a scenario whose only channel is voice: its one channel line would
/// repeat the call types' total.
pub fn table_section(summary: &Summary) -> String {
    if summary.channels.iter().all(|c| c.name == Channel::Voice) {
        return String::new();
    }
    let mut t = Table::new(&[
        "Channel",
        "Goal",
        "Offered",
        "Answered",
        "Abandoned",
        "Service level",
        "ASA (s)",
        "Unans.",
    ])
    .align(1, Align::Left);
    for c in &summary.channels {
        let s = &c.stats;
        t.row([
            c.name.name().to_string(),
            crate::report::goal_in(&c.goal),
            nonnegative_estimate(&s.offered, 0),
            crate::report::count_estimate(&s.answered),
            percent_estimate(&s.abandon_rate),
            percent_estimate(&s.service_level),
            seconds_estimate(&s.asa_s),
            crate::report::count_estimate(&s.unanswered_at_close),
        ]);
    }
    let mut out = format!("\nChannels, each against its own goal:\n{}", t.render());
    for b in &summary.backlog {
        out += &format!(
            "\nEmail backlog: {} (target {}, {} open at the start):\n",
            b.call_type,
            format_duration(b.target_s),
            b.initial_backlog
        );
        let mut t = Table::new(&[
            "Day",
            "Open at start",
            "Arrived",
            // By the day worked, unlike a day's answered arrivals: the label says so.
            crate::metrics::BACKLOG_DEFINITIONS.iter().find(|d| d.key == "answered").map_or("", |d| d.label),
            "Within target",
            "Open at end",
            "Oldest open (h)",
        ]);
        for d in &b.days {
            let s = &d.stats;
            let hours = crate::stats::Estimate {
                mean: s.oldest_age_end_s.mean / 3600.0,
                half_width: s.oldest_age_end_s.half_width / 3600.0,
            };
            t.row([
                d.day.to_string(),
                crate::report::count_estimate(&s.backlog_start),
                crate::report::count_estimate(&s.arrived),
                crate::report::count_estimate(&s.answered),
                crate::report::count_estimate(&s.answered_within_target),
                crate::report::count_estimate(&s.backlog_end),
                nonnegative_estimate(&hours, 1),
            ]);
        }
        out += &t.render();
    }
    out
}

/// One row per channel: its goal, then every statistic as mean and 95% half-width, with units
/// in the header, rounded as in `intervals.csv`. The file `channels.csv` of `--out`.
///
/// # Errors
/// When `w` fails.
pub fn write_channels_csv(summary: &Summary, w: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    let mut header = vec![
        "channel".to_string(),
        "target_s [s]".to_string(),
        "goal [share]".to_string(),
        "definition".into(),
    ];
    for key in CallStats::<f64>::KEYS {
        header.extend(csv_estimate_header(key, definition(key).unit));
    }
    w.write_record(&header)?;
    let decimals: Vec<usize> =
        CallStats::<f64>::KEYS.iter().map(|k| csv_decimals(definition(k).unit)).collect();
    for c in &summary.channels {
        let mut rec = vec![
            c.name.name().to_string(),
            c.goal.target.to_string(),
            c.goal.goal.to_string(),
            c.goal.definition.name().into(),
        ];
        for (e, &d) in c.stats.values().zip(&decimals) {
            rec.extend(csv_estimate(e, d));
        }
        w.write_record(&rec)?;
    }
    w.flush()
}

/// One row per email call type and day: the backlog figures as mean and 95% half-width. The
/// file `backlog.csv` of `--out`, written only when the scenario has email call types.
///
/// # Errors
/// When `w` fails.
pub fn write_backlog_csv(summary: &Summary, w: &mut dyn Write) -> std::io::Result<()> {
    let unit = |key: &str| BACKLOG_DEFINITIONS.iter().find(|d| d.key == key).map_or("", |d| d.unit);
    let mut w = csv::Writer::from_writer(w);
    let mut header = vec!["call_type".to_string(), "day".to_string()];
    for key in BacklogStats::<f64>::KEYS {
        header.extend(csv_estimate_header(key, unit(key)));
    }
    w.write_record(&header)?;
    for b in &summary.backlog {
        for d in &b.days {
            let mut rec = vec![b.call_type.clone(), d.day.to_string()];
            for (key, e) in BacklogStats::<f64>::KEYS.iter().zip(d.stats.values()) {
                rec.extend(csv_estimate(e, csv_decimals(unit(key))));
            }
            w.write_record(&rec)?;
        }
    }
    w.flush()
}
