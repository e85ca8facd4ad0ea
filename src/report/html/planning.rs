//! The HTML reports of the planning commands, in the frame of [`super::page`]:
//! `staff --report` (requirement by method, the waterfall, requirement against the current
//! plan by interval), `schedule --report` (the shifts' cost, coverage and simulated service
//! level by interval) and `compare --report` (the plans side by side, each plan's intervals
//! below goal).

use std::fmt::Write as _;

use super::definitions::{definitions, definitions_of};
use super::esc;
use super::goals::{Goals, Judged, goal_verdicts, goals_table};
use super::page::{GroupedTable, Page, RunInfo};
use crate::compare::Comparison;
use crate::model::{Channel, ServiceLevelGoal, SlDefinition};
use crate::report::chart::comparison::comparison_chart_set;
use crate::report::chart::staffing::staffing_chart_set;
use crate::report::comparison::{DIFFERENCE_HEADERS, difference_tables};
use crate::report::schedule::{SHIFT_COLUMNS, ScheduleReport, coverage_chart};
use crate::report::staffing::totals;
use crate::report::{percent, percent_estimate};
use crate::staffing::StaffingReport;
use crate::summary::ChannelSummary;
use crate::time::format_duration;

fn goal_text(goal: &ServiceLevelGoal) -> String {
    let text = format!(
        "{} answered within {}",
        crate::report::goal_percent(goal.goal),
        format_duration(goal.target)
    );
    match goal.definition {
        SlDefinition::Offered => text,
        SlDefinition::Answered => format!("{text}, of answered contacts (abandoned ones not counted)"),
    }
}

/// The header's goal row: the scenario's goal, or each channel's own where there are several.
fn goal_row<'a>(
    header: &mut Vec<(&'static str, String)>,
    scenario: &ServiceLevelGoal,
    channels: impl ExactSizeIterator<Item = (Channel, &'a ServiceLevelGoal)>,
) {
    if channels.len() > 1 {
        let each: Vec<String> = channels.map(|(ch, g)| format!("{} {}", ch.name(), goal_text(g))).collect();
        header.push(("Service-level goals, each channel its own", each.join("; ")));
    } else {
        header.push(("Service-level goal", goal_text(scenario)));
    }
}

fn caption(name: &str) -> String {
    match name {
        "staffing" => "Agents required by each method against the agents on duty in the current plan; shaded: under- and over-staffing. Below: agents to schedule, paid, after shrinkage".to_string(),
        "waterfall" => "From the Erlang C agent-hours to the agent-hours to schedule, step by step".to_string(),
        "staffing_heatmap" => "Agents on duty minus required, by day and interval".to_string(),
        "coverage" => "Required agents (dashed) against scheduled agents on duty (solid), per group, both paid heads with shrinkage included; shaded: over- and under-staffing".to_string(),
        "compare" => "Service level by interval, one line per plan, against the goal (with several channels, a panel per call type, each against its channel's goal)".to_string(),
        "compare_cost" => "Cost (or paid hours) against service level, per plan, with 95% confidence intervals".to_string(),
        other => other.replace('_', " "),
    }
}

/// `staff --report`.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn staff_report(
    r: &StaffingReport,
    run: &RunInfo,
    seed: u64,
    replications: u32,
) -> anyhow::Result<String> {
    let mut header = Page::run_rows(run, &r.plan.name, seed, replications);
    goal_row(&mut header, &r.service_level, r.channel_goals.iter().map(|c| (c.channel, &c.goal)));
    header.push(("Shrinkage", percent(r.shrinkage)));
    let mut page = Page::new(&format!("ccsim staffing report: {}", r.scenario), &r.scenario, &header);
    page.h2("Agent-hours by method", "agent-hours");
    let a = &r.agent_hours;
    let mut h = String::from(
        "<table class=\"summary\">\n<thead><tr><th>Requirement</th><th>Agent-hours</th></tr></thead>\n<tbody>\n",
    );
    let mut row = |name: &str, v: Option<f64>| {
        let text = v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"));
        let _ = writeln!(h, "<tr><td>{}</td><td class=\"num\">{}</td></tr>", esc(name), esc(&text));
    };
    row("Erlang C", Some(a.erlang_c));
    row("Erlang A", Some(a.erlang_a));
    row("Simulation", a.simulation);
    row("To schedule (after shrinkage)", Some(a.scheduled));
    h += "</tbody>\n</table>\n";
    page.raw(&h);

    let rows = totals(r);
    let per_day = r.grid.per_day.max(1);
    // Out of the intervals that need agents: a night nobody is required in is never short.
    let needing: Vec<_> = rows.iter().filter(|t| t.required > 0).collect();
    let under = needing.iter().filter(|t| t.plan < f64::from(t.required)).count();
    page.p(
        "headline",
        &format!(
            "The current plan ({}) has fewer agents on duty than required in {under} of the {} intervals \
             that need agents.",
            r.plan.name,
            needing.len()
        ),
    );
    page.h2("Charts", "charts");
    page.charts(&staffing_chart_set(r), caption)?;
    page.h2("By interval", "by-interval");
    // The terminal's channel columns, when the scenario has chat or email.
    let has_chat = r.intervals.iter().any(|x| x.erlang_c_chat.is_some());
    let has_email = r.intervals.iter().any(|x| x.email_workload_agents.is_some());
    let has_exact = crate::report::staffing::has_chat_exact(r);
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(idx, t)| {
            let required = f64::from(t.required);
            let clock = t.label.rsplit(' ').next().unwrap_or(&t.label).to_string();
            let mut cells = vec![
                (clock, false),
                (format!("{:.2}", t.load), true),
                (t.erlang_c.to_string(), true),
                (t.erlang_a_cell(), true),
            ];
            if has_chat {
                cells.push((t.chat.to_string(), true));
            }
            if has_exact {
                cells.push((t.chat_exact.map_or_else(|| "-".to_string(), |a| a.to_string()), true));
            }
            if has_email {
                cells.push((format!("{:.2}", t.email), true));
            }
            cells.extend([
                (t.simulation.map_or_else(|| "-".to_string(), |s| s.to_string()), true),
                (t.scheduled.to_string(), true),
                (format!("{:.1}", t.plan), true),
                (format!("{:+.1}", t.plan - required), true),
            ]);
            (idx / per_day + 1, cells, t.plan < required)
        })
        .collect();
    let col = |s: &str| (s.to_string(), String::new());
    let mut columns =
        vec![col("Start"), col("Load (Erlangs)"), col("Erlang C (agents)"), col("Erlang A (agents)")];
    if has_chat {
        columns.push(col("Chat* (agents)"));
    }
    if has_exact {
        columns.push(col("Exact chat (agents)"));
    }
    if has_email {
        columns.push(col("Email workload (agents)"));
    }
    columns.extend([
        col("Simulation (agents)"),
        col("To schedule (agents)"),
        col("On duty now (agents)"),
        col("On duty - required"),
    ]);
    let table = GroupedTable {
        columns,
        rows: table_rows,
        days: r.grid.days,
        first_weekday: run.first_weekday,
        wrapper: "tall",
    };
    page.raw(&table.render());
    page.p(
        "note",
        "Rows shaded: fewer agents on duty now than required. Required: the agents on duty that To \
         schedule is taken from (before shrinkage): the simulation's requirement, else the analytic one \
         per group, in which the call types a group answers share its agents, chats count by the chat \
         estimate and email by its workload.",
    );
    if crate::report::staffing::lacks_patience(r) {
        let text = crate::report::staffing::ERLANG_A_WITHOUT_PATIENCE;
        page.terminal_note(text);
    }
    let channels = crate::report::staffing::channels_note(has_chat, has_email);
    if !channels.trim().is_empty() {
        page.terminal_note(&channels);
    }
    if has_exact {
        let exact = crate::report::staffing::chat_exact_note(r);
        page.terminal_note(&exact);
    }
    definitions_of(
        &mut page,
        &[crate::metrics::definition("offered_load_erlangs"), &crate::metrics::PLAN_ON_DUTY],
        "calls",
    );
    Ok(page.finish())
}

/// `schedule --report`.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn schedule_report(r: &ScheduleReport, run: &RunInfo, goals: &Goals) -> anyhow::Result<String> {
    let sim = &r.simulated;
    let mut header = Page::run_rows(run, "optimised schedule", sim.seed, sim.replications);
    header.push(("Requirement", r.requirement.clone()));
    header.push(("Shrinkage", percent(r.shrinkage)));
    header.push(("Paid agent-hours", format!("{:.1}", r.paid_hours)));
    let uncovered_h = crate::report::schedule::uncovered_hours(r);
    header.push((
        "Required agent-hours",
        if uncovered_h > 0.0 {
            format!(
                "{:.1} (the requirement summed over intervals), {uncovered_h:.1} of them where no template \
                 can cover; the paid hours above the rest are {}",
                crate::report::schedule::required_hours(r),
                crate::report::schedule::PAID_ABOVE_REQUIREMENT
            )
        } else {
            format!(
                "{:.1} (the requirement summed over intervals; the paid hours above it are {})",
                crate::report::schedule::required_hours(r),
                crate::report::schedule::PAID_ABOVE_REQUIREMENT
            )
        },
    ));
    header.push(("Cost", format!("{:.2} ({})", r.cost, crate::report::schedule::COST_MEANING)));
    let mut page = Page::new(&format!("ccsim schedule report: {}", r.scenario), &r.scenario, &header);
    page.h2("Goals", "goals");
    // Judged as `simulate --report` judges a run: every goal the scenario sets.
    let judged = Judged {
        goals: sim.goals(r.service_level),
        overall: &sim.overall,
        intervals: &sim.intervals,
        occupancy: sim.occupancy,
    };
    page.raw(&goals_table(&judged, goals));
    let lines_bind = crate::report::schedule::lines_bind_note(r);
    if !lines_bind.is_empty() {
        page.terminal_note(&lines_bind);
    }
    page.h2("Shifts", "shifts");
    // The terminal's columns: breaks and days tell apart blocks of the same group and hours.
    let numeric = |c: &str| matches!(c, "Agents" | "Paid h" | "Cost");
    let rows = crate::report::schedule::shift_rows(r)
        .into_iter()
        .map(|row| {
            (1, row.into_iter().zip(SHIFT_COLUMNS).map(|(text, c)| (text, numeric(c))).collect(), false)
        })
        .collect();
    let col = |s: &str| (s.to_string(), String::new());
    let shift_col = |s: &str| match s {
        "Cost" => (s.to_string(), crate::report::schedule::COST_MEANING.to_string()),
        _ => col(s),
    };
    page.raw(
        &GroupedTable {
            columns: SHIFT_COLUMNS.iter().map(|c| shift_col(c)).collect(),
            rows,
            days: 1,
            first_weekday: None,
            wrapper: "tall",
        }
        .render(),
    );
    if !r.uncovered.is_empty() {
        page.h2("Demand no template can cover", "uncovered");
        let listed: Vec<String> = r
            .uncovered
            .iter()
            .map(|u| format!("{} {}: {} agents", r.grid.interval_label(u.day, &u.start), u.group, u.required))
            .collect();
        page.p(
            "note",
            &format!("{} interval(s), left out of the plan: {}.", listed.len(), listed.join(", ")),
        );
        for reason in crate::report::schedule::uncovered_reasons(r) {
            page.p("note", &reason);
        }
    }
    page.h2("Charts", "charts");
    page.charts(&[coverage_chart(r)], caption)?;
    page.h2("By interval", "by-interval");
    let n_groups = r.intervals.len().checked_div(sim.interval_totals.len()).unwrap_or(0).max(1);
    let n_types = sim.intervals.len().checked_div(sim.interval_totals.len()).unwrap_or(0);
    let goals = sim.goals(r.service_level);
    let rows = sim
        .interval_totals
        .iter()
        .enumerate()
        .map(|(idx, t)| {
            let cover = r.intervals.get(idx * n_groups..(idx + 1) * n_groups).unwrap_or(&[]);
            let required: u32 = cover.iter().map(|x| x.required).sum();
            let on_duty: u32 = cover.iter().map(|x| x.on_duty).sum();
            let s = t.stats.service_level;
            let cells = vec![
                (t.start.clone(), false),
                (required.to_string(), true),
                (on_duty.to_string(), true),
                (format!("{:+}", i64::from(on_duty) - i64::from(required)), true),
                (percent_estimate(&s), true),
            ];
            // As the terminal flags it: a call type of the interval below its own goal.
            let types = sim.intervals.get(idx * n_types..(idx + 1) * n_types).unwrap_or(&[]);
            (t.day, cells, types.iter().any(|i| goals.is_below(i)))
        })
        .collect();
    page.raw(
        &GroupedTable {
            columns: vec![
                col("Start"),
                col("Required"),
                col("On duty"),
                col("Over/under"),
                col("Service level (%)"),
            ],
            rows,
            days: r.grid.days,
            first_weekday: run.first_weekday,
            wrapper: "tall",
        }
        .render(),
    );
    page.p(
        "note",
        &format!(
            "{} Rows shaded: a call type of the interval is below its service-level goal (each its own \
             channel's).",
            crate::report::schedule::COVERAGE_DEFINITION
        ),
    );
    definitions(&mut page, &["service_level"]);
    Ok(page.finish())
}

/// What the goals judge of one plan of a comparison.
fn judged(p: &crate::compare::PlanResult, scenario: crate::model::ServiceLevelGoal) -> Judged<'_> {
    Judged { goals: p.goals(scenario), overall: &p.overall, intervals: &p.intervals, occupancy: p.occupancy }
}

/// Each plan against the first, paired on the same callers, as the terminal table shows it
/// ([`difference_tables`]): the core of a comparison.
fn differences(page: &mut Page, c: &Comparison) {
    let tables = difference_tables(c);
    if tables.is_empty() {
        return;
    }
    page.h2("Differences against the first plan", "differences");
    page.p(
        "note",
        "Each plan minus the first, replication by replication on the same callers, with the 95% \
         confidence interval of the paired difference in brackets; pt = percentage points.",
    );
    for d in tables {
        page.h3(&d.heading);
        let columns = DIFFERENCE_HEADERS.iter().map(|h| (h.to_string(), String::new())).collect();
        let rows = d
            .rows
            .iter()
            .map(|row| (1, row.iter().enumerate().map(|(i, v)| (v.clone(), i > 0)).collect(), false))
            .collect();
        page.raw(&GroupedTable { columns, rows, days: 1, first_weekday: None, wrapper: "" }.render());
        if let Some(b) = &d.blocked {
            page.p("note", &format!("{}: {b}", crate::report::comparison::BLOCKED_DIFFERENCE));
        }
        if let Some(f) = &d.callbacks_failed {
            page.p("note", &format!("{}: {f}", crate::report::comparison::CALLBACKS_FAILED_DIFFERENCE));
        }
        if let Some(p) = &d.p_meet_goal {
            page.p("note", &format!("Probability of meeting the goal: {p}"));
        }
    }
}

/// `compare --report`. Each plan's verdict judges every goal of the scenario (`goals`) as the
/// `simulate` report's "Goals" table does ([`goal_verdicts`]), so a plan is never "met" here and
/// "missed" there.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn compare_report(c: &Comparison, run: &RunInfo, goals: &Goals) -> anyhow::Result<String> {
    let names: Vec<&str> = c.plans.iter().map(|p| p.name.as_str()).collect();
    let mut header = Page::run_rows(run, &names.join(", "), c.seed, c.replications);
    let channels = c.channels();
    let several = !channels.is_empty();
    goal_row(&mut header, &c.service_level, channels.iter().map(|ch| (ch.name, &ch.goal)));
    header.push(("Callers", "the same callers for every plan (common random numbers)".to_string()));
    if c.shrinkage_applied > 0.0 {
        // As the `simulate` report's header: every figure below is of the agents on the phones.
        let off = crate::report::percent(c.shrinkage_applied);
        header.push(("Shrinkage", format!("{off} of paid hours simulated off the phones, in every plan")));
    }
    let mut page = Page::new(&format!("ccsim plan comparison: {}", c.scenario), &c.scenario, &header);
    page.h2("Plans", "plans");
    // With telephone lines, a plan's busy signals are part of what it does to callers.
    let lines = c.plans.iter().any(|p| p.lines.is_some());
    let rows = c
        .plans
        .iter()
        .map(|p| {
            let sl = p.overall.service_level;
            let below = p.goals(c.service_level).below(&p.intervals);
            // A goal with nothing to judge (no contacts) has nothing to miss.
            let missed: Vec<String> = goal_verdicts(&judged(p, c.service_level), goals)
                .into_iter()
                .filter(|g| g.met == Some(false))
                .map(|g| g.name)
                .collect();
            let met = missed.is_empty();
            let mut cells = vec![
                (p.name.clone(), false),
                (format!("{:.1}", p.paid_hours), true),
                (p.cost.map_or_else(|| "-".to_string(), |c| format!("{c:.2}")), true),
                (percent_estimate(&sl), true),
                (format!("{} of {}", below.cells.len(), below.judged), true),
                (percent_estimate(&p.overall.abandon_rate), true),
                (percent_estimate(&p.occupancy), true),
            ];
            if lines {
                let blocked =
                    p.lines.as_ref().map_or("-".to_string(), |l| percent_estimate(&l.overall.block_rate));
                cells.push((blocked, true));
            }
            cells.push((
                if met { "all met".to_string() } else { format!("missed: {}", missed.join("; ")) },
                false,
            ));
            (1, cells, !met)
        })
        .collect();
    let scope = c
        .plans
        .first()
        .map_or("", |p| crate::report::below_goal_scope(&p.goals(c.service_level), &p.intervals));
    let col = |s: &str| (s.to_string(), String::new());
    let mut columns = vec![
        col("Plan"),
        col("Paid agent-hours"),
        (
            format!("Cost ({})", crate::report::schedule::COST_MEANING),
            crate::report::schedule::COST_MEANING.to_string(),
        ),
        col(if several { "Service level, all contacts (%)" } else { "Service level (%)" }),
        (format!("Intervals below goal{scope}"), String::new()),
        col("Abandoned (%)"),
        col("Occupancy (%)"),
    ];
    if lines {
        columns.push(col("Blocked (%)"));
    }
    columns.push(col("Goals of the scenario"));
    page.raw(&GroupedTable { columns, rows, days: 1, first_weekday: None, wrapper: "" }.render());
    // The goals judged, with their targets, as the simulate report's "Goals" table lists them.
    if let Some(first) = c.plans.first() {
        let targets: Vec<String> = goal_verdicts(&judged(first, c.service_level), goals)
            .iter()
            .map(|g| format!("{}: {}", g.name, g.target))
            .collect();
        page.p(
            "note",
            &format!(
                "Goals of the scenario, judged on each plan as in the simulate report: {}. Rows shaded miss at least one.",
                targets.join("; ")
            ),
        );
    }
    if !c.pricing_notes.is_empty() {
        let rule = crate::report::comparison::COST_RULE;
        page.p("note", &format!("Cost: {rule}. {}", c.pricing_notes.join(" ")));
    }
    differences(&mut page, c);
    if several {
        page.h2("Channels", "channels");
        let plans: Vec<(Option<&str>, &[ChannelSummary])> =
            c.plans.iter().map(|p| (Some(p.name.as_str()), &p.channels[..])).collect();
        super::channels::channel_table(&mut page, &plans);
    }
    page.h2("Charts", "charts");
    page.charts(&comparison_chart_set(c), caption)?;
    for p in &c.plans {
        let below = p.below_goal_labels(c.service_level, &c.grid);
        if !below.is_empty() {
            page.h2(
                &format!("{}: intervals below goal ({})", p.name, below.len()),
                &format!("below-{}", p.name),
            );
            page.p("", &below.join(", "));
        }
    }
    let mut defined = vec!["service_level", "abandon_rate", "occupancy"];
    if lines {
        defined.push("block_rate");
    }
    definitions(&mut page, &defined);
    Ok(page.finish())
}
