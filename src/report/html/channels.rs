//! The simulation report's "Channels" and "Email backlog" sections, present only when the
//! scenario has chat or email, so a voice-only report is unchanged. Every figure is shown with
//! its unit, and its definition as the column's tooltip and in a list under the table.

use super::definitions::definition_list;
use super::page::{GroupedTable, Page, RunInfo, day_title};
use crate::metrics::{BACKLOG_DEFINITIONS, CallStats, Definition, definition};
use crate::model::Channel;
use crate::report::{goal_percent, nonnegative_estimate, percent_estimate};
use crate::stats::Estimate;
use crate::summary::{ChannelSummary, Summary};
use crate::time::format_duration;

/// The channel figures shown, each with its definition in [`crate::metrics::DEFINITIONS`].
const CHANNEL_KEYS: [&str; 7] =
    ["offered", "answered", "abandoned", "unanswered_at_close", "service_level", "asa_s", "abandon_rate"];

/// The "Channels" section (each channel against its own goal) and, with email, the "Email
/// backlog" section; nothing for a scenario whose only channel is voice.
pub fn section(page: &mut Page, s: &Summary, run: &RunInfo) {
    if s.channels.iter().all(|c| c.name == Channel::Voice) {
        return;
    }
    page.h2("Channels", "channels");
    channel_table(page, &[(None, &s.channels)]);

    if s.backlog.is_empty() {
        return;
    }
    page.h2("Email backlog", "email-backlog");
    for b in &s.backlog {
        page.p(
            "note",
            &format!(
                "{}: target {}, {} emails open at the start of the run.",
                b.call_type,
                format_duration(b.target_s),
                b.initial_backlog
            ),
        );
        let mut columns = vec![("Day".to_string(), String::new())];
        columns.extend(BACKLOG_DEFINITIONS.iter().map(backlog_column));
        let rows = b
            .days
            .iter()
            .map(|d| {
                let mut cells = vec![(day_title(d.day, run.first_weekday), false)];
                cells.extend(
                    d.stats.values().zip(BACKLOG_DEFINITIONS).map(|(e, def)| (backlog_cell(e, def), true)),
                );
                (1, cells, false)
            })
            .collect();
        page.raw(&GroupedTable { columns, rows, days: 1, first_weekday: None, wrapper: "" }.render());
    }
    definition_list(page, &BACKLOG_DEFINITIONS.iter().map(backlog_column).collect::<Vec<_>>());
}

/// A table of channels, each against its own goal, its rows shaded where a channel misses it,
/// with the definitions under it: one block of rows per plan, named in a first column when a
/// plan is named (`compare`).
pub fn channel_table(page: &mut Page, plans: &[(Option<&str>, &[ChannelSummary])]) {
    let named = plans.iter().any(|(name, _)| name.is_some());
    let mut columns = Vec::new();
    if named {
        columns.push(("Plan".to_string(), String::new()));
    }
    columns.push(("Channel".to_string(), String::new()));
    columns.push((
        "Goal".to_string(),
        "the channel's own goal ([service_level.chat], [service_level.email]), else the scenario's"
            .to_string(),
    ));
    let first_defined = columns.len();
    columns.extend(CHANNEL_KEYS.iter().map(|k| column_in(definition(k), "contacts")));
    columns.push((
        "Verdict".to_string(),
        "met: the channel's service level is at or above its own goal; missed: below it".to_string(),
    ));
    let mut rows = Vec::new();
    for (name, channels) in plans {
        for (i, c) in channels.iter().enumerate() {
            let base = c.goal.definition.name();
            let goal =
                format!("{} of {base} within {}", goal_percent(c.goal.goal), format_duration(c.goal.target));
            let mut cells = Vec::new();
            if named {
                cells
                    .push((if i == 0 { name.unwrap_or_default().to_string() } else { String::new() }, false));
            }
            cells.extend([(c.name.name().to_string(), false), (goal, false)]);
            cells.extend(CHANNEL_KEYS.iter().map(|k| (channel_cell(&c.stats, k), true)));
            let verdict = match c.meets_goal() {
                None => "-",
                Some(true) => "met",
                Some(false) => "missed",
            };
            cells.push((verdict.to_string(), false));
            rows.push((1, cells, c.meets_goal() == Some(false)));
        }
    }
    let defined = columns[first_defined..].to_vec();
    page.raw(&GroupedTable { columns, rows, days: 1, first_weekday: None, wrapper: "" }.render());
    page.p("note", "Rows shaded miss their channel's service-level goal.");
    definition_list(page, &defined);
}

/// A column header `Label (unit)` with the definition as its tooltip.
pub(super) fn column(d: &Definition) -> (String, String) {
    column_in(d, "calls")
}

/// [`column`] with counts of contacts in `noun`: `contacts` where chats and emails are
/// counted with the calls ([`count_noun`]).
///
/// [`column`]: fn@column
pub(super) fn column_in(d: &Definition, noun: &str) -> (String, String) {
    (format!("{} ({})", d.label, unit(d.unit, noun)), d.definition.to_string())
}

/// What a count of contacts is called in a report of `summary`: calls, or contacts where chats
/// or emails are among them.
pub(super) fn count_noun(summary: &crate::summary::Summary) -> &'static str {
    crate::report::count_noun(&summary.channels)
}

/// As [`column`], but the oldest open email's age in hours, as the terminal table shows it.
///
/// [`column`]: fn@column
fn backlog_column(d: &Definition) -> (String, String) {
    if d.unit == "s" {
        (format!("{} (h)", d.label), format!("{} (shown in hours)", d.definition))
    } else {
        column(d)
    }
}

fn backlog_cell(e: &Estimate, d: &Definition) -> String {
    if d.unit == "s" {
        nonnegative_estimate(&Estimate { mean: e.mean / 3600.0, half_width: e.half_width / 3600.0 }, 1)
    } else {
        crate::report::count_estimate(e)
    }
}

fn channel_cell(stats: &CallStats<Estimate>, key: &str) -> String {
    let e = CallStats::<Estimate>::KEYS
        .iter()
        .zip(stats.values())
        .find(|(k, _)| **k == key)
        .map_or_else(Estimate::default, |(_, v)| *v);
    match definition(key).unit {
        "share" => percent_estimate(&e),
        "s" => crate::report::seconds_estimate(&e),
        _ => super::outcomes::count_cell(&e),
    }
}

/// A definition's unit as a header shows it: a share in %, a count of contacts as `noun`.
pub(super) fn unit<'a>(unit: &'a str, noun: &'a str) -> &'a str {
    match unit {
        "share" => "%",
        "calls" => noun,
        other => other,
    }
}
