//! The charts of a plan comparison: service level by interval, one line per plan, against
//! the goal (`compare.png`); and cost (or paid hours) against service level per plan
//! (`compare_cost.png`).

use std::path::{Path, PathBuf};

use super::{
    Chart, ChartFormat, Goal, IntervalAxis, IntervalChart, LabelledPoint, ScatterChart, Series, ValueFormat,
    color_of, interval_lines, scatter,
};
use crate::compare::Comparison;
use crate::report::percent;

/// Both comparison charts.
pub fn comparison_chart_set(c: &Comparison) -> Vec<Chart> {
    let g = &c.grid;
    let axis = IntervalAxis::of(g);
    // With several channels the pooled figure (each contact within its own channel's target)
    // has no one goal: no goal line is drawn rather than one channel's.
    let several = !c.channels().is_empty();
    let goal = (!several).then(|| Goal {
        value: c.service_level.goal,
        label: format!("goal {}", percent(c.service_level.goal)),
        mark_below: true,
    });
    let within = if several {
        "% of contacts answered within their channel's target"
    } else {
        "% answered within target"
    };
    let series = c
        .plans
        .iter()
        .enumerate()
        .map(|(idx, p)| {
            let values = p.interval_totals.iter().map(|i| i.stats.service_level.mean).collect();
            Series::new(&p.name, values).with_color(color_of(idx))
        })
        .collect();
    let lines = interval_lines(
        "compare",
        IntervalChart {
            title: format!("{}: service level by interval, per plan (same callers)", c.scenario),
            axis,
            y_title: format!("Service level ({within}, all call types)"),
            y_format: ValueFormat::Percent,
            series,
            goal: goal.clone(),
            secondary: None,
            shade: Vec::new(),
            empty_note: "no calls in any interval".into(),
        },
    );
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
            title: format!(
                "{}: {} against service level, per plan",
                c.scenario,
                if with_cost { "cost" } else { "paid hours" }
            ),
            x_title: if with_cost {
                "cost over the scenario (paid hours x cost per hour, in the scenario's currency)".into()
            } else {
                "paid agent-hours over the scenario (h)".into()
            },
            x_format: ValueFormat::Number,
            y_title: format!("service level ({within})"),
            y_format: ValueFormat::Percent,
            points,
            goal: goal.map(|g| Goal { mark_below: false, ..g }),
            empty_note: "no plans".into(),
        },
    );
    vec![lines, cost]
}

/// Writes `compare.png` and `compare_cost.png` (or `.svg`) into `dir`.
///
/// # Errors
/// When a chart cannot be drawn or written.
pub fn comparison_charts(c: &Comparison, dir: &Path, format: ChartFormat) -> anyhow::Result<Vec<PathBuf>> {
    super::write_charts(&comparison_chart_set(c), dir, format)
}
