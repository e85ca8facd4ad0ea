//! The charts of one simulation, drawn from a [`Summary`] alone so `ccsim chart` can redraw
//! them from a saved `summary.json`: wait distributions (all calls and per call type), service
//! level by interval, volume by interval, agents on duty and occupancy.
//!
//! Only presentation choices are made here (display bins, colours, labels); every figure comes
//! from the summary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{
    BarPanel, BarsChart, Chart, ChartFormat, Goal, IntervalAxis, IntervalChart, MISS, Series, Shape, Stack,
    ValueFormat, color_of, interval_lines, panels, stacked_bars, target_text,
};
use crate::metrics::CallStats;
use crate::model::{ServiceLevelGoal, SlDefinition};
use crate::report::goal_percent;
use crate::stats::Estimate;
use crate::summary::{GridInfo, IntervalSummary, Summary};
use crate::time::format_duration;

mod heatmaps;
mod wait;

use heatmaps::{occupancy_heatmap, service_level_heatmap};
pub use wait::answered_within_curve;
use wait::{wait_chart, wait_range};

const GREEN: [u8; 3] = [0, 158, 115];
const GREY: [u8; 3] = [150, 150, 150];
/// Blocked and failed callbacks, the outcomes only lines and callbacks produce: the palette's
/// black and yellow, which no other outcome or origin of the volume chart takes.
const BLOCKED: [u8; 3] = [0, 0, 0];
const CALLBACK_FAILED: [u8; 3] = [240, 228, 66];
/// The colour of the service-level target marker and of the p90 marker.
const TARGET: [u8; 3] = [0, 0, 0];
const P90: [u8; 3] = [204, 121, 167];

/// What the charts of a run show beyond its summary: the scenario's settings a summary does
/// not carry (`ccsim chart` without `--scenario`, which has only the summary's JSON, uses the
/// default: no occupancy cap; nor weekday names, which the JSON leaves out).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartContext {
    /// The scenario's `[staffing] max_occupancy`.
    pub max_occupancy: Option<f64>,
    /// Whether the scenario is known: a summary redrawn without it cannot tell a scenario that
    /// sets no cap from one whose cap is not in the summary.
    pub scenario_known: bool,
    /// Per agent group and interval, whether the plan has any of the group's agents on duty
    /// (`None` when the scenario is not known). Where it has none, the agents on duty are only
    /// those finishing their last contacts past the end of their shift, busy all the time they
    /// stay: their occupancy is 100% by construction and says nothing of the plan, so the
    /// occupancy charts leave it out rather than show every closing hour above the cap.
    pub scheduled: Option<Vec<Vec<bool>>>,
}

impl ChartContext {
    /// The context of a scenario.
    pub fn of(scenario: &crate::model::Scenario) -> ChartContext {
        ChartContext {
            max_occupancy: scenario.staffing.max_occupancy,
            scenario_known: true,
            scheduled: Some(scheduled(scenario)),
        }
    }

    /// The context of the scenario `summary` was simulated from, read back from its JSON: the
    /// summary takes the scenario's weekday names too, so its charts are drawn as the run drew
    /// them.
    ///
    /// # Errors
    /// A description of the difference when the scenario is not the summary's: another name,
    /// another interval grid, or other call types or agent groups.
    pub fn restore(scenario: &crate::model::Scenario, summary: &mut Summary) -> Result<ChartContext, String> {
        let grid = crate::summary::GridInfo::of(&scenario.grid);
        if scenario.name != summary.scenario {
            return Err(format!("it is \"{}\", the summary's is \"{}\"", scenario.name, summary.scenario));
        }
        let shape = |g: &crate::summary::GridInfo| (g.start.clone(), g.interval_s, g.per_day, g.days);
        if shape(&grid) != shape(&summary.grid) {
            return Err("its intervals are not the summary's".to_string());
        }
        let types =
            scenario.call_types.iter().map(|c| &c.name).eq(summary.call_types.iter().map(|c| &c.name));
        let groups =
            scenario.agent_groups.iter().map(|g| &g.name).eq(summary.agent_groups.iter().map(|g| &g.name));
        if !(types && groups) {
            return Err("its call types or agent groups are not the summary's".to_string());
        }
        summary.grid.first_weekday = grid.first_weekday;
        Ok(ChartContext::of(scenario))
    }
}

/// Every chart of a simulation, in the order of the report: the wait distribution of all
/// calls, then one per call type, service level, volume, occupancy; for several days the heat
/// maps of service level and occupancy.
pub fn simulation_chart_set(summary: &Summary) -> Vec<Chart> {
    simulation_chart_set_with(summary, &ChartContext::default())
}

/// As [`simulation_chart_set`], with the scenario's context.
pub fn simulation_chart_set_with(summary: &Summary, ctx: &ChartContext) -> Vec<Chart> {
    let mut charts = vec![wait_chart(summary, None, wait_range(summary, None))];
    for ct in &summary.call_types {
        let ct = Some(ct.name.as_str());
        charts.push(wait_chart(summary, ct, wait_range(summary, ct)));
    }
    let axis = IntervalAxis::of(&summary.grid);
    charts.push(service_level_chart(summary, &axis));
    charts.push(volume_chart(summary, &axis));
    charts.push(occupancy_chart(summary, &axis, ctx));
    if summary.grid.days > 1 {
        charts.push(service_level_heatmap(summary, &axis));
        charts.push(occupancy_heatmap(summary, &axis, ctx));
    }
    // Two call types whose names differ only in punctuation would share a file name.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for chart in &mut charts {
        let n = seen.entry(chart.name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            chart.name = format!("{}_{}", chart.name, n);
        }
    }
    charts
}

/// Writes every chart of a simulation into `dir` (created if missing); returns the paths.
///
/// # Errors
/// When the directory cannot be created or a chart cannot be drawn or written.
pub fn simulation_charts(
    summary: &Summary,
    ctx: &ChartContext,
    dir: &Path,
    format: ChartFormat,
) -> anyhow::Result<Vec<PathBuf>> {
    super::write_charts(&simulation_chart_set_with(summary, ctx), dir, format)
}

/// Every chart of a simulation as (file stem, SVG document), for the HTML report.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn simulation_chart_svgs(summary: &Summary) -> anyhow::Result<Vec<(String, String)>> {
    simulation_chart_svgs_with(summary, &ChartContext::default())
}

/// As [`simulation_chart_svgs`], with the scenario's context.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn simulation_chart_svgs_with(
    summary: &Summary,
    ctx: &ChartContext,
) -> anyhow::Result<Vec<(String, String)>> {
    simulation_chart_set_with(summary, ctx).iter().map(|c| Ok((c.name.clone(), c.to_svg()?))).collect()
}

/// A chart's title, with the run it was drawn from below it.
fn title(summary: &Summary, what: &str) -> String {
    let plan = if summary.plan.is_empty() { "scenario" } else { summary.plan.as_str() };
    super::with_run_context(
        &format!("{}: {what}", summary.scenario),
        Some(plan),
        &super::net_of_shrinkage(
            crate::error::plural(u64::from(summary.replications), "replication"),
            summary.shrinkage_applied,
        ),
        summary.seed,
    )
}

/// What the contacts of `summary` are called: calls, or contacts where chats or emails are
/// among them ([`crate::report::count_noun`]); a voice-only run's charts read as they always did.
pub(super) fn noun_of(summary: &Summary) -> &'static str {
    crate::report::count_noun(&summary.channels)
}

/// What the contacts of `call_type` are called (`None`: every call type together).
pub(super) fn noun_for(summary: &Summary, call_type: Option<&str>) -> &'static str {
    match call_type.and_then(|ct| summary.call_types.iter().find(|c| c.name == ct)) {
        Some(ct) => crate::report::channel_noun(ct.channel),
        None => noun_of(summary),
    }
}

/// Each interval's index on the chart's axis, by (day, start).
pub(super) fn grid_index(g: &GridInfo) -> HashMap<(usize, String), usize> {
    let one_day = IntervalAxis::from_grid(&g.start, g.interval_s, g.per_day, 1);
    let mut index = HashMap::new();
    for day in 1..=g.days {
        for (slot, start) in one_day.labels.iter().enumerate() {
            index.insert((day, start.clone()), (day - 1) * g.per_day + slot);
        }
    }
    index
}

/// One value per interval of `grid` for `call_type`, from `rows`; `None` where they have none.
pub(super) fn per_interval<T>(
    grid: &GridInfo,
    rows: &[IntervalSummary],
    n: usize,
    call_type: &str,
    f: impl Fn(&CallStats<Estimate>) -> T,
) -> Vec<Option<T>> {
    let index = grid_index(grid);
    let mut out: Vec<Option<T>> = (0..n).map(|_| None).collect();
    for row in rows.iter().filter(|r| r.call_type == call_type) {
        if let Some(&i) = index.get(&(row.day, row.start.clone()))
            && i < n
        {
            out[i] = Some(f(&row.stats));
        }
    }
    out
}

fn sl_meaning(definition: SlDefinition, noun: &str) -> String {
    format!("of {} {noun}", definition.name())
}

fn service_level_chart(summary: &Summary, axis: &IntervalAxis) -> Chart {
    let n = axis.len();
    let noun = noun_of(summary);
    let series: Vec<Series> = summary
        .call_types
        .iter()
        .enumerate()
        .map(|(idx, ct)| {
            let est = per_interval(&summary.grid, &summary.intervals, n, &ct.name, |s| s.service_level);
            let values: Vec<f64> = est.iter().map(|e| e.map_or(f64::NAN, |e| e.mean)).collect();
            let band = est
                .iter()
                .map(|e| match e {
                    Some(e) if e.mean.is_finite() && e.half_width.is_finite() => {
                        ((e.mean - e.half_width).max(0.0), (e.mean + e.half_width).min(1.0))
                    }
                    _ => (f64::NAN, f64::NAN),
                })
                .collect();
            let name = if values.iter().any(|v| v.is_finite()) {
                ct.name.clone()
            } else {
                format!("{} (no {})", ct.name, crate::report::channel_noun(ct.channel))
            };
            Series::new(name, values).with_band(band).with_color(color_of(idx))
        })
        .collect();
    let sl = summary.service_level;
    let y_title = format!(
        "service level (% {} answered within {})",
        sl_meaning(sl.definition, noun),
        target_text(sl.target)
    );
    let goal = |sl: ServiceLevelGoal| Goal {
        value: sl.goal,
        label: format!("goal {}", goal_percent(sl.goal)),
        mark_below: true,
    };
    let names: Vec<&str> = summary.call_types.iter().map(|ct| ct.name.as_str()).collect();
    let chart = |title: String, y_title: String, series: Vec<Series>, sl: ServiceLevelGoal| IntervalChart {
        title,
        axis: axis.clone(),
        y_title,
        y_format: ValueFormat::Percent,
        series,
        goal: Some(goal(sl)),
        secondary: None,
        shade: Vec::new(),
        empty_note: format!("no interval has offered {noun}"),
    };
    let title = title(summary, "service level by interval");
    // Each call type against its channel's goal and target.
    let own: Vec<ServiceLevelGoal> = summary.call_types.iter().map(|ct| summary.goal_of(&ct.name)).collect();
    let several_goals = own.iter().any(|g| *g != sl);
    // Several days of several call types, or call types with goals of their own: one panel per
    // call type, so lines do not cross and each has its goal.
    if (axis.days() > 1 && series.len() > 1) || several_goals {
        let labels = panel_goal_labels(&names, &own);
        let stacked = series
            .into_iter()
            .zip(own)
            .zip(labels)
            .map(|((s, own), label)| {
                let y = if several_goals {
                    format!("{} (% in {})", s.name, format_duration(own.target))
                } else {
                    format!("{} (%)", s.name)
                };
                let mut panel = chart(title.clone(), y, vec![s], own);
                if let Some(g) = panel.goal.as_mut() {
                    g.label = label;
                }
                (panel, Shape::Lines)
            })
            .collect();
        return panels("service_level", stacked, Stack::Peers);
    }
    interval_lines("service_level", chart(title, y_title, series, sl))
}

/// The legend text of each panel's goal line, one panel per call type (`names`) with its own
/// goal (`goals`): `goal 80%` when every panel has the same goal; else each goal names the
/// panels it is drawn in (`goal 80% (accounts, web-chat panels)`), so two goal lines drawn
/// alike are told apart.
pub(super) fn panel_goal_labels(names: &[&str], goals: &[ServiceLevelGoal]) -> Vec<String> {
    let text = |g: &ServiceLevelGoal| format!("goal {}", goal_percent(g.goal));
    if goals.iter().all(|g| g.goal == goals[0].goal) {
        return goals.iter().map(text).collect();
    }
    goals
        .iter()
        .map(|g| {
            let panels: Vec<&str> =
                names.iter().zip(goals).filter(|(_, o)| o.goal == g.goal).map(|(n, _)| *n).collect();
            let noun = if panels.len() == 1 { "panel" } else { "panels" };
            format!("{} ({} {noun})", text(g), panels.join(", "))
        })
        .collect()
}

fn volume_chart(summary: &Summary, axis: &IntervalAxis) -> Chart {
    let n = axis.len();
    let total = |f: fn(&CallStats<Estimate>) -> Estimate| -> Vec<f64> {
        let mut sums = vec![0.0; n];
        for ct in &summary.call_types {
            for (i, v) in per_interval(&summary.grid, &summary.intervals, n, &ct.name, |s| f(s).mean)
                .into_iter()
                .enumerate()
            {
                sums[i] += v.filter(|v| v.is_finite()).unwrap_or(0.0);
            }
        }
        sums
    };
    // Every outcome the scenario can produce, so the stacks add up to offered as the origins do.
    let index = grid_index(&summary.grid);
    let per_total = |rows: &mut dyn Iterator<Item = (usize, &String, f64)>| -> Vec<f64> {
        let mut sums = vec![0.0; n];
        for (day, start, v) in rows {
            if let Some(&i) = index.get(&(day, start.clone())).filter(|i| **i < n) {
                sums[i] += if v.is_finite() { v } else { 0.0 };
            }
        }
        sums
    };
    let mut stacks = vec![
        Series::new("answered", total(|s| s.answered)).with_color(GREEN),
        Series::new("abandoned", total(|s| s.abandoned)).with_color(MISS),
        Series::new("unanswered at close", total(|s| s.unanswered_at_close)).with_color(GREY),
    ];
    if let Some(lines) = &summary.lines {
        let blocked =
            per_total(&mut lines.interval_totals.iter().map(|t| (t.day, &t.start, t.stats.blocked.mean)));
        stacks.push(Series::new("blocked (busy signal)", blocked).with_color(BLOCKED));
    }
    if let Some(callbacks) = &summary.callbacks {
        let failed = per_total(
            &mut callbacks.interval_totals.iter().map(|t| (t.day, &t.start, t.stats.callbacks_failed.mean)),
        );
        stacks.push(Series::new("callback failed", failed).with_color(CALLBACK_FAILED));
    }
    let noun = noun_of(summary);
    let outcome = BarPanel { y_title: format!("{noun} per interval, by outcome"), stacks };
    let origin = BarPanel {
        y_title: format!("{noun} per interval, by origin"),
        stacks: vec![
            Series::new("fresh", total(|s| s.offered_fresh)).with_color([0, 114, 178]),
            Series::new("redials", total(|s| s.offered_redial)).with_color([230, 159, 0]),
            Series::new("repeats", total(|s| s.offered_repeat)).with_color([204, 121, 167]),
            Series::new("transfers", total(|s| s.offered_transfer)).with_color([86, 180, 233]),
        ],
    };
    stacked_bars(
        "volume",
        BarsChart {
            title: title(summary, &format!("offered {noun} per interval (mean of replications)")),
            axis: axis.clone(),
            panels: vec![outcome, origin],
            empty_note: format!("no {noun} were offered"),
        },
    )
}

/// Agents on duty and occupancy per group, each on its own axis in its own panel, one colour
/// per group in both.
/// Per agent group and interval, whether `scenario`'s plan has any of the group's agents on
/// duty ([`ChartContext::scheduled`]).
pub fn scheduled(scenario: &crate::model::Scenario) -> Vec<Vec<bool>> {
    let on_duty = scenario.plan.on_duty(&scenario.grid, scenario.agent_groups.len());
    on_duty.into_iter().map(|row| row.into_iter().map(|a| a > 0.0).collect()).collect()
}

/// Per agent group, its agents on duty and its occupancy by interval (NaN where the summary has
/// none; the occupancy also where the plan schedules none of the group: see
/// [`ChartContext::scheduled`]).
fn group_series(summary: &Summary, n: usize, ctx: &ChartContext) -> (Vec<Series>, Vec<Series>) {
    let index = grid_index(&summary.grid);
    let mut agents = Vec::new();
    let mut occupancy = Vec::new();
    for (idx, g) in summary.agent_groups.iter().enumerate() {
        let scheduled = ctx.scheduled.as_ref().and_then(|s| s.get(idx));
        let mut on_duty = vec![f64::NAN; n];
        let mut busy = vec![f64::NAN; n];
        for row in &g.intervals {
            if let Some(&i) = index.get(&(row.day, row.start.clone())).filter(|i| **i < n) {
                on_duty[i] = row.agents_on_duty.mean;
                if scheduled.is_none_or(|s| s.get(i).copied().unwrap_or(true)) {
                    busy[i] = row.occupancy.mean;
                }
            }
        }
        agents.push(Series::new(g.name.clone(), on_duty).with_color(color_of(idx)));
        occupancy.push(Series::new(g.name.clone(), busy).with_color(color_of(idx)));
    }
    (agents, occupancy)
}

fn occupancy_chart(summary: &Summary, axis: &IntervalAxis, ctx: &ChartContext) -> Chart {
    let n = axis.len();
    let (agents, occupancy) = group_series(summary, n, ctx);
    let title = title(summary, "agents on duty and occupancy by interval");
    let top = IntervalChart {
        title: title.clone(),
        axis: axis.clone(),
        y_title: "agents on duty".to_string(),
        y_format: ValueFormat::Number,
        series: agents,
        goal: None,
        secondary: None,
        shade: Vec::new(),
        empty_note: "no agent group has agents on duty".to_string(),
    };
    let bottom = IntervalChart {
        y_title: "occupancy (%)".to_string(),
        y_format: ValueFormat::Percent,
        series: occupancy,
        goal: ctx.max_occupancy.map(|cap| Goal {
            value: cap,
            label: format!("occupancy cap {:.0}% (max_occupancy)", cap * 100.0),
            mark_below: false,
        }),
        ..top.clone()
    };
    panels("occupancy", vec![(top, Shape::Steps), (bottom, Shape::Lines)], Stack::MainAbove)
}
