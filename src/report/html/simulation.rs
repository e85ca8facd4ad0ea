//! The HTML report of a simulation: what was run (header), whether every goal of the scenario
//! is met, how many intervals miss the service-level goal and which, a per-day summary for
//! several days, the charts, the interval table grouped by day, and the definitions of the
//! figures shown. Figures come from the [`Summary`]; the goals beyond the service level come
//! from the scenario ([`Goals`]).

use std::fmt::Write as _;

use super::channels::{column_in, count_noun};
use super::definitions::{definition_items, items_of};
use super::esc;
use super::goals::{Goals, Judged, goals_table};
use super::outcomes::{Outcomes, Row, count_cell, day_total};
use super::page::{GroupedTable, Page, RunInfo, day_title};
use crate::metrics::{CallStats, Definition, definition};
use crate::model::SlDefinition;
use crate::report::chart::simulation::{ChartContext, simulation_chart_set_with};
use crate::report::risk::{EVENTS_HEADING, EVENTS_NOTE, RiskSections};
use crate::report::{nonnegative_estimate, percent, percent_estimate};
use crate::stats::Estimate;
use crate::summary::Summary;
use crate::time::format_duration;

/// Columns of the result tables: (metric key, how to format). The other outcomes of offered
/// contacts ([`Outcomes`]) follow the first [`OUTCOME_AFTER`] of them, so each row adds up.
const COLUMNS: &[(&str, Fmt)] = &[
    ("offered", Fmt::Count),
    ("answered", Fmt::Count),
    ("abandoned", Fmt::Count),
    ("service_level", Fmt::Share),
    ("asa_s", Fmt::Seconds),
    ("abandon_rate", Fmt::Share),
    ("wait_p90_s", Fmt::WholeSeconds),
];

/// The columns of [`COLUMNS`] before the other outcomes: offered, answered, abandoned.
const OUTCOME_AFTER: usize = 3;

#[derive(Copy, Clone)]
enum Fmt {
    Count,
    Share,
    Seconds,
    /// Whole seconds, as the terminal table shows wait percentiles.
    WholeSeconds,
}

fn cell(e: &Estimate, fmt: Fmt) -> String {
    match fmt {
        Fmt::Count => count_cell(e),
        Fmt::Share => percent_estimate(e),
        Fmt::Seconds => crate::report::seconds_estimate(e),
        Fmt::WholeSeconds => nonnegative_estimate(e, 0),
    }
}

fn value(stats: &CallStats<Estimate>, key: &str) -> Estimate {
    CallStats::<Estimate>::KEYS
        .iter()
        .zip(stats.values())
        .find(|(k, _)| **k == key)
        .map_or_else(Estimate::default, |(_, v)| *v)
}

fn metric_columns(outcomes: &Outcomes<'_>, noun: &str) -> Vec<(String, String)> {
    let column = |d: &Definition| column_in(d, noun);
    let mut columns: Vec<(String, String)> = COLUMNS.iter().map(|(key, _)| column(definition(key))).collect();
    let rest = columns.split_off(OUTCOME_AFTER);
    columns.extend(outcomes.definitions().into_iter().map(column));
    columns.extend(rest);
    columns
}

fn metric_cells(outcomes: &Outcomes<'_>, row: Row<'_>, stats: &CallStats<Estimate>) -> Vec<(String, bool)> {
    let mut cells: Vec<(String, bool)> =
        COLUMNS.iter().map(|(key, fmt)| (cell(&value(stats, key), *fmt), true)).collect();
    let rest = cells.split_off(OUTCOME_AFTER);
    cells.extend(outcomes.cells(row, stats.unanswered_at_close));
    cells.extend(rest);
    cells
}

/// The cells of the row of every call type together ([`crate::report::shown_pooled`]).
fn all_cells(outcomes: &Outcomes<'_>, stats: &CallStats<Estimate>, several: bool) -> Vec<(String, bool)> {
    metric_cells(outcomes, Row::All, &crate::report::shown_pooled(stats, several))
}

/// A caption people read for a chart's file stem, among the charts of `s`: a run with chats or
/// emails counts contacts, and names the wait chart of every call type together as its tables
/// name that row, as its charts do.
fn caption(s: &Summary, name: &str) -> String {
    let (noun, all) = (crate::report::count_noun(&s.channels), crate::report::all_row_name_of(&s.channels));
    match name {
        "wait_distribution" => format!(
            "Wait before answer, {all}: answered within x (top, the service level at the target) and how long answered {noun} waited (bottom)"
        ),
        "volume" => format!("Offered {noun} per interval, by outcome and by origin"),
        "service_level_heatmap" => format!(
            "Service level by day and interval: vermillion below the goal, blue above, blank without {noun}"
        ),
        "service_level" => {
            "Service level by interval against the goal; circles mark intervals below it".to_string()
        }
        "occupancy" => "Agents on duty and occupancy by interval, per agent group".to_string(),
        "occupancy_heatmap" => "Occupancy by day and interval against the occupancy cap".to_string(),
        other => match other.strip_prefix("wait_distribution_") {
            Some(ct) => format!("Wait before answer, call type {ct}"),
            None => other.replace('_', " "),
        },
    }
}

/// The report as one HTML document.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn report(s: &Summary, run: &RunInfo, goals: &Goals) -> anyhow::Result<String> {
    let sl = &s.service_level;
    let noun = count_noun(s);
    let g = &s.grid;
    let mut header = Page::run_rows(run, &s.plan, s.seed, s.replications);
    header.push((
        "Intervals",
        format!(
            "{} a day of {} from {}, {} day{}",
            g.per_day,
            format_duration(g.interval_s),
            g.start,
            g.days,
            if g.days == 1 { "" } else { "s" }
        ),
    ));
    header.push(("Paid agent-hours", format!("{:.1}", s.paid_hours)));
    header.push((
        "Shrinkage",
        if s.shrinkage_applied > 0.0 {
            format!("{} of paid hours simulated off the phones", percent(s.shrinkage_applied))
        } else {
            "none applied: every scheduled agent takes calls".to_string()
        },
    ));
    let mut page = Page::new(&format!("ccsim report: {}", s.scenario), &s.scenario, &header);

    // Headline: goals, then intervals below goal.
    let judged = s.goals().below(&s.intervals);
    // Cells with contacts but no service level are neither judged nor without contacts.
    let unjudged = match judged.unjudged {
        0 => String::new(),
        n => format!(" {n} more had contacts, none of them counted by a service level."),
    };
    let crate::summary::BelowGoal { cells: below, judged: with_calls, .. } = judged;
    let by_type = s.call_types.len() > 1;
    let scope = crate::report::below_goal_scope(&s.goals(), &s.intervals);
    let o = &s.overall;
    page.h2("Goals", "goals");
    let judged_run = Judged { goals: s.goals(), overall: o, intervals: &s.intervals, occupancy: s.occupancy };
    page.raw(&goals_table(&judged_run, goals));
    let several = s.several_channels();
    let headline = if several {
        format!(
            "{} of {} intervals with {noun} (per call type) are below their channel's goal.{unjudged}",
            below.len(),
            with_calls
        )
    } else {
        format!(
            "Service level {} overall; {} of {} intervals with {noun}{scope} are below the {} goal.{unjudged}",
            percent_estimate(&o.service_level),
            below.len(),
            with_calls,
            crate::report::goal_percent(sl.goal)
        )
    };
    page.p("headline", &headline);
    page.p(
        "note",
        "Counts and wait percentiles are means over replications, rates (service level, abandonment, ASA, \
         occupancy) the ratio of their totals over them, each with the half-width of its 95% confidence \
         interval (±); \
         where it would reach below 0 or past 100%, the interval is shown cut there, as [low, high]. \
         Definitions are at the end of the report.",
    );
    if !below.is_empty() {
        page.h2(&format!("Intervals below the service-level goal ({})", below.len()), "below-goal");
        // Offered counts the busy signals too: their share says how much of a shortfall they are.
        let blocked = s.lines.as_ref().map(crate::summary::LinesSummary::by_interval);
        let rows = below
            .iter()
            .map(|i| {
                let mut cells = vec![(i.start.clone(), false)];
                if by_type {
                    cells.push((i.call_type.clone(), false));
                }
                cells.extend([
                    (percent_estimate(&i.stats.service_level), true),
                    (count_cell(&i.stats.offered), true),
                ]);
                if let Some(blocked) = &blocked {
                    cells.push((crate::report::simulation::block_rate_of(blocked, i), true));
                }
                (i.day, cells, true)
            })
            .collect();
        let mut columns = vec![("Start".to_string(), String::new())];
        if by_type {
            columns.push(("Call type".to_string(), String::new()));
        }
        columns.extend([
            ("Service level (%)".to_string(), definition("service_level").definition.to_string()),
            column_in(definition("offered"), noun),
        ]);
        if blocked.is_some() {
            columns.push(column_in(definition("block_rate"), noun));
        }
        let table =
            GroupedTable { columns, rows, days: g.days, first_weekday: run.first_weekday, wrapper: "tall" };
        page.raw(&table.render());
    }

    // Per-day summary.
    let outcomes = Outcomes::of(s);
    if g.days > 1 && !s.interval_totals.is_empty() {
        page.h2("By day", "by-day");
        // With email, the backlog table's "Answered that day" counts by the day worked; this
        // table counts each day's arrivals, answered whenever.
        let answered = if s.backlog.is_empty() {
            format!("<th>Answered ({noun})</th>")
        } else {
            format!(
                "<th title=\"the contacts that arrived that day and were answered, on that day or later\">\
                 Answered of the day's arrivals ({noun})</th>"
            )
        };
        let mut h = format!(
            "<div class=\"scroll\">\n<table>\n<thead><tr><th>Day</th><th>Offered ({noun})</th>{answered}\
             <th>Abandoned ({noun})</th>"
        );
        for d in outcomes.definitions() {
            let (name, title) = column_in(d, noun);
            let _ = write!(h, "<th title=\"{}\">{}</th>", esc(&title), esc(&name));
        }
        // A day's figure is its intervals' weighed by the goal's own denominator, so that the
        // days of a run bracket the run's figure.
        let weight_of: fn(&CallStats<Estimate>) -> f64 = match sl.definition {
            SlDefinition::Offered => |s| s.offered.mean,
            SlDefinition::Answered => |s| s.answered.mean,
        };
        let counted = sl.definition.name();
        let _ = writeln!(
            h,
            "<th title=\"answered within target / {counted}, from the means of the intervals with a service \
             level weighted by their {counted} {noun}\">Service level (%, ≈)</th><th>Intervals below goal{}</th>\
             <th title=\"{}\">Lowest interval</th></tr></thead>\n<tbody>",
            esc(scope),
            if by_type { "the lowest service level of a call type in an interval" } else { "" }
        );
        for day in 1..=g.days {
            let rows: Vec<_> = s.interval_totals.iter().filter(|t| t.day == day).collect();
            let sum = |f: fn(&CallStats<Estimate>) -> Estimate| -> f64 {
                rows.iter().map(|t| f(&t.stats).mean).filter(|v| v.is_finite()).sum()
            };
            let (offered, answered, abandoned) =
                (sum(|s| s.offered), sum(|s| s.answered), sum(|s| s.abandoned));
            // Only the intervals with a service level are weighed, as every figure of the
            // report judges them: an interval of emails not yet due when the run ends has no
            // outcome yet and is no miss.
            let judged: Vec<_> = rows.iter().filter(|t| t.stats.has_service_level()).collect();
            let within: f64 = judged.iter().map(|t| t.stats.service_level.mean * weight_of(&t.stats)).sum();
            let weight: f64 = judged.iter().map(|t| weight_of(&t.stats)).sum();
            let n_below = below.iter().filter(|i| i.day == day).count();
            // Call types are judged apart, so the lowest is a call type's: pooled, a small queue
            // far below the goal would hide behind a large one above it.
            let lowest = (s.intervals.iter())
                .filter(|i| i.day == day && i.stats.has_service_level())
                .min_by(|a, b| a.stats.service_level.mean.total_cmp(&b.stats.service_level.mean))
                .map_or_else(
                    || "-".to_string(),
                    |i| {
                        let level = percent(i.stats.service_level.mean);
                        if by_type {
                            format!("{} {} {level}", i.start, i.call_type)
                        } else {
                            format!("{} {level}", i.start)
                        }
                    },
                );
            let day_sl = if weight > 0.0 { within / weight } else { f64::NAN };
            // With several channels a day's pooled figure has no one goal to miss.
            let miss = !several && day_sl < sl.goal;
            let unanswered = day_total(rows.iter().map(|t| t.stats.unanswered_at_close));
            let mut other = String::new();
            for (text, _) in outcomes.cells(Row::Day(day), unanswered) {
                let _ = write!(other, "<td class=\"num\">{}</td>", esc(&text));
            }
            let _ = writeln!(
                h,
                "<tr{}><td>{}</td><td class=\"num\">{offered:.1}</td><td class=\"num\">{answered:.1}</td>\
                 <td class=\"num\">{abandoned:.1}</td>{other}\
                 <td class=\"num\">{}</td><td class=\"num\">{n_below}</td><td>{}</td></tr>",
                if miss { " class=\"miss\"" } else { "" },
                esc(&day_title(day, run.first_weekday)),
                esc(&percent(day_sl)),
                esc(&lowest)
            );
        }
        h += "</tbody>\n</table>\n</div>\n";
        page.raw(&h);
    }

    // Results per call type and group.
    page.h2("Results", "results");
    let mut rows = vec![(
        1,
        [
            vec![(crate::report::all_row_name_of(&s.channels).to_string(), false)],
            all_cells(&outcomes, o, several),
        ]
        .concat(),
        !several && o.service_level.mean < sl.goal,
    )];
    for ct in &s.call_types {
        rows.push((
            1,
            [vec![(ct.name.clone(), false)], metric_cells(&outcomes, Row::CallType(&ct.name), &ct.stats)]
                .concat(),
            ct.stats.service_level.mean < s.goal_of(&ct.name).goal,
        ));
    }
    let columns = [vec![("Call type".to_string(), String::new())], metric_columns(&outcomes, noun)].concat();
    page.raw(&GroupedTable { columns, rows, days: 1, first_weekday: None, wrapper: "" }.render());
    page.p(
        "note",
        if several {
            "Rows shaded miss their channel's service-level goal (all contacts together: no one goal). \
             ASA and wait p90 are not pooled across channels (seconds of voice beside hours of email): \
             each call type's are in its row."
        } else {
            "Rows shaded miss the service-level goal."
        },
    );
    if !s.agent_groups.is_empty() {
        let rows = s
            .agent_groups
            .iter()
            .map(|g| {
                (
                    1,
                    vec![(g.name.clone(), false), (crate::report::simulation::occupancy_cell(g), true)],
                    false,
                )
            })
            .collect();
        let columns = vec![
            ("Agent group".to_string(), String::new()),
            ("Occupancy (%)".to_string(), crate::report::simulation::occupancy_definition(s)),
        ];
        page.raw(&GroupedTable { columns, rows, days: 1, first_weekday: None, wrapper: "" }.render());
    }
    lines_section(&mut page, s);

    risk_sections(&mut page, s);
    super::channels::section(&mut page, s, run);
    super::callbacks::section(&mut page, s);

    page.h2("Charts", "charts");
    let ctx = ChartContext {
        max_occupancy: goals.max_occupancy,
        scenario_known: true,
        scheduled: goals.scheduled.clone(),
    };
    page.charts(&simulation_chart_set_with(s, &ctx), |name| caption(s, name))?;

    page.h2("By interval", "by-interval");
    let rows = s
        .intervals
        .iter()
        .map(|i| {
            let row = Row::Interval(i.day, &i.start, &i.call_type);
            let cells = [
                vec![(i.start.clone(), false), (i.call_type.clone(), false)],
                metric_cells(&outcomes, row, &i.stats),
            ]
            .concat();
            (i.day, cells, i.stats.service_level.mean < s.goal_of(&i.call_type).goal)
        })
        .collect();
    let columns = [
        vec![("Start".to_string(), String::new()), ("Call type".to_string(), String::new())],
        metric_columns(&outcomes, noun),
    ]
    .concat();
    page.raw(
        &GroupedTable { columns, rows, days: g.days, first_weekday: run.first_weekday, wrapper: "tall" }
            .render(),
    );

    let mut shown: Vec<&Definition> = COLUMNS.iter().map(|(k, _)| definition(k)).collect();
    let rates = shown.split_off(OUTCOME_AFTER);
    shown.extend(outcomes.definitions());
    shown.extend(rates);
    shown.push(definition("occupancy"));
    if s.agent_groups.iter().any(|g| g.mean_concurrency.is_some()) {
        shown.push(definition("mean_concurrency"));
    }
    if s.lines.is_some() {
        shown.extend(["block_rate", "line_occupancy"].map(definition));
    }
    let mut items = items_of(&shown, noun);
    // With chat, occupancy's "busy" needs the chat agents' meaning beside the general one.
    if let Some(occupancy) = shown.iter().position(|d| d.key == "occupancy") {
        items[occupancy].1 = crate::report::simulation::occupancy_definition(s);
    }
    definition_items(&mut page, &items);
    Ok(page.finish())
}

/// The "Lines" section of a scenario with telephone lines, the terminal's "Lines:" figures:
/// busy signals over the run and how full the lines were.
fn lines_section(page: &mut Page, s: &Summary) {
    let Some(lines) = &s.lines else { return };
    page.h2("Lines", "lines");
    let columns = vec![
        column_in(definition("blocked"), "calls"),
        column_in(definition("block_rate"), "calls"),
        column_in(definition("line_occupancy"), "calls"),
    ];
    let cells = vec![
        (crate::report::count_estimate(&lines.overall.blocked), true),
        (format!("{} of offered", percent_estimate(&lines.overall.block_rate)), true),
        (percent_estimate(&lines.line_occupancy), true),
    ];
    let table =
        GroupedTable { columns, rows: vec![(1, cells, false)], days: 1, first_weekday: None, wrapper: "" };
    page.raw(&table.render());
}

/// The "Risk of missing the goal" and "Events" sections, the terminal table's figures
/// ([`RiskSections`]); nothing for a scenario that models no bad days.
fn risk_sections(page: &mut Page, s: &Summary) {
    let Some(r) = RiskSections::of(s) else { return };
    // The first `text` columns of a table are names; the rest are figures.
    let table = |(headers, rows): &(Vec<&str>, Vec<Vec<String>>), text: usize| {
        let columns = headers.iter().map(|h| (h.to_string(), String::new())).collect();
        let rows = rows
            .iter()
            .map(|row| (1, row.iter().enumerate().map(|(c, v)| (v.clone(), c >= text)).collect(), false))
            .collect();
        GroupedTable { columns, rows, days: 1, first_weekday: None, wrapper: "" }.render()
    };
    page.h2("Risk of missing the goal", "risk");
    page.p("note", &r.intro);
    page.raw(&table(&r.call_types, 1));
    if !r.riskiest.1.is_empty() {
        page.h3(&r.riskiest_heading);
        page.raw(&table(&r.riskiest, 2));
    }
    if !r.events.1.is_empty() {
        page.h2("Events", "events");
        page.p("note", EVENTS_HEADING);
        page.raw(&table(&r.events, 3));
        page.p("note", EVENTS_NOTE);
    }
}
