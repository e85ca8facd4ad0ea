//! The charts of a plan comparison: service level by interval, one line per plan, against
//! the goal (`compare.png`; with several call types a panel per call type, each against its
//! channel's goal); and cost (or paid hours) against service level per plan
//! (`compare_cost.png`).

use std::path::{Path, PathBuf};

use super::simulation::{panel_goal_labels, per_interval};
use super::{
    Chart, ChartFormat, Goal, IntervalAxis, IntervalChart, LabelledPoint, ScatterChart, Series, Shape, Stack,
    ValueFormat, color_of, horizon_words, interval_lines, panels, scatter,
};
use crate::compare::Comparison;
use crate::error::plural;
use crate::model::ServiceLevelGoal;
use crate::report::goal_percent;
use crate::time::format_duration;

/// Both comparison charts.
pub fn comparison_chart_set(c: &Comparison) -> Vec<Chart> {
    let g = &c.grid;
    let axis = IntervalAxis::of(g);
    // With several channels the pooled figure (each contact within its own channel's target)
    // has no one goal: each call type gets a panel with its channel's goal instead, and the
    // cost chart draws no goal line.
    let several = !c.channels().is_empty();
    let goal = (!several).then(|| Goal {
        value: c.service_level.goal,
        label: format!("goal {}", goal_percent(c.service_level.goal)),
        mark_below: true,
    });
    let within = if several {
        "% of contacts answered within their channel's target"
    } else {
        "% answered within target"
    };
    let title = if several || c.plans[0].call_types.len() > 1 {
        format!("{}: service level by interval and call type, per plan (same callers)", c.scenario)
    } else {
        format!("{}: service level by interval, per plan (same callers)", c.scenario)
    };
    let context = |title: &str| {
        let each = format!("{} each", plural(u64::from(c.replications), "replication"));
        super::with_run_context(
            title,
            None,
            &super::net_of_shrinkage(
                format!("{} · {each}", plural(c.plans.len() as u64, "plan")),
                c.shrinkage_applied,
            ),
            c.seed,
        )
    };
    let title = context(&title);
    let noun = crate::report::count_noun(c.plans.first().map_or(&[], |p| p.channels.as_slice()));
    let chart = |y_title: String, series: Vec<Series>, goal: Option<Goal>| IntervalChart {
        title: title.clone(),
        axis: axis.clone(),
        y_title,
        y_format: ValueFormat::Percent,
        series,
        goal,
        secondary: None,
        shade: Vec::new(),
        empty_note: format!("no {noun} in any interval"),
    };
    let first = &c.plans[0];
    let lines = if several || first.call_types.len() > 1 {
        // One panel per call type, each plan's line against its channel's own goal: the
        // judgement the tables make of each interval, so the rings below the goal are the
        // intervals the tables count (per call type). Pooled, a call type below the goal would
        // hide behind one above it.
        let n = axis.len();
        let goals: Vec<ServiceLevelGoal> =
            first.call_types.iter().map(|ct| first.goals(c.service_level).of(&ct.name)).collect();
        let names: Vec<&str> = first.call_types.iter().map(|ct| ct.name.as_str()).collect();
        let labels = panel_goal_labels(&names, &goals);
        let stacked = (first.call_types.iter().zip(goals).zip(labels))
            .map(|((ct, own), label)| {
                let series = (c.plans.iter().enumerate())
                    .map(|(idx, p)| {
                        let levels = per_interval(&c.grid, &p.intervals, n, &ct.name, |s| s.service_level);
                        let values = levels.iter().map(|v| v.map_or(f64::NAN, |e| e.mean)).collect();
                        let band = levels.iter().map(|e| share_band(e.as_ref())).collect();
                        Series::new(&p.name, values).with_band(band).with_color(color_of(idx))
                    })
                    .collect();
                let goal = Goal { value: own.goal, label, mark_below: true };
                let y_title = if several {
                    format!("{} (% in {})", ct.name, format_duration(own.target))
                } else {
                    format!("{} (%)", ct.name)
                };
                (chart(y_title, series, Some(goal)), Shape::Lines)
            })
            .collect();
        panels("compare", stacked, Stack::Peers)
    } else {
        let series = (c.plans.iter().enumerate())
            .map(|(idx, p)| {
                let values = p.interval_totals.iter().map(|i| i.stats.service_level.mean).collect();
                let band =
                    p.interval_totals.iter().map(|i| share_band(Some(&i.stats.service_level))).collect();
                Series::new(&p.name, values).with_band(band).with_color(color_of(idx))
            })
            .collect();
        interval_lines("compare", chart(format!("Service level ({within})"), series, goal.clone()))
    };
    let with_cost = c.plans.iter().all(|p| p.cost.is_some());
    let points = c
        .plans
        .iter()
        .map(|p| {
            let sl = p.overall.service_level;
            LabelledPoint {
                label: p.name.clone(),
                x: if with_cost { p.cost.unwrap_or(f64::NAN) } else { p.paid_hours },
                y: sl.mean,
                y_band: sl.half_width.is_finite().then(|| (sl.low().max(0.0), sl.high().min(1.0))),
            }
        })
        .collect();
    let cost = scatter(
        "compare_cost",
        ScatterChart {
            title: context(&format!(
                "{}: {} against service level, per plan",
                c.scenario,
                if with_cost { "cost" } else { "paid hours" }
            )),
            x_title: if with_cost {
                format!(
                    "cost over {} (paid hours x cost per hour, in the scenario's currency)",
                    horizon_words(c.grid.days)
                )
            } else {
                format!("paid agent-hours over {} (h)", horizon_words(c.grid.days))
            },
            x_format: ValueFormat::Number,
            y_title: format!("service level ({within})"),
            y_format: ValueFormat::Percent,
            points,
            series: None,
            goal: goal.map(|g| Goal { mark_below: false, ..g }),
            x_reference: None,
            empty_note: "no plans".into(),
        },
    );
    vec![lines, cost]
}

/// The 95% interval of a share, kept inside 0..100% (NaN where the share is undefined).
fn share_band(e: Option<&crate::stats::Estimate>) -> (f64, f64) {
    match e {
        Some(e) if e.mean.is_finite() && e.half_width.is_finite() => {
            ((e.mean - e.half_width).max(0.0), (e.mean + e.half_width).min(1.0))
        }
        _ => (f64::NAN, f64::NAN),
    }
}

/// Writes `compare.png` and `compare_cost.png` (or `.svg`) into `dir`.
///
/// # Errors
/// When a chart cannot be drawn or written.
pub fn comparison_charts(c: &Comparison, dir: &Path, format: ChartFormat) -> anyhow::Result<Vec<PathBuf>> {
    super::write_charts(&comparison_chart_set(c), dir, format)
}
