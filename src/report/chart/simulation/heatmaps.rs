//! The two heat maps of a run over several days, days down and intervals across: the service
//! level (of the lowest call type where there are several, against its channel's goal where
//! channels differ) and the highest occupancy of any agent group.

use super::{ChartContext, grid_index, group_series, noun_of, per_interval, title};
use crate::report::chart::heatmap::{CellMarks, HeatmapChart, heatmap};
use crate::report::chart::{Chart, IntervalAxis, ValueFormat};
use crate::report::goal_percent;
use crate::summary::Summary;

/// Service level of all call types together per interval, from the summary's interval totals.
fn total_service_level(summary: &Summary, n: usize) -> Vec<f64> {
    let index = grid_index(&summary.grid);
    let mut out = vec![f64::NAN; n];
    for t in &summary.interval_totals {
        if let Some(&i) = index.get(&(t.day, t.start.clone())).filter(|i| **i < n) {
            out[i] = t.stats.service_level.mean;
        }
    }
    out
}

/// Per interval, the worst call type's `value(service level, its own channel's goal)` (NaN
/// where no call type has a service level): call types are judged apart, so a small queue far
/// below the goal does not hide behind a large one above it. As the margin to the goal, a cell
/// is below zero exactly when the interval counts among those below the goal
/// ([`crate::summary::ChannelGoals::below`]).
fn worst_call_type(summary: &Summary, n: usize, value: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    let goals = summary.goals();
    let mut out = vec![f64::NAN; n];
    for ct in &summary.call_types {
        let goal = goals.of(&ct.name).goal;
        let levels = per_interval(&summary.grid, &summary.intervals, n, &ct.name, |s| s.service_level.mean);
        for (cell, level) in out.iter_mut().zip(levels) {
            if let Some(level) = level.filter(|l| l.is_finite()) {
                let v = value(level, goal);
                if cell.is_nan() || v < *cell {
                    *cell = v;
                }
            }
        }
    }
    out
}

/// Per interval, whether the cell judges only some of the call types: one has a service level
/// there while another, judged elsewhere in the run, has none (closed then, or no contact
/// offered). A call type never judged in the run marks no cell.
fn some_call_types_unjudged(summary: &Summary, n: usize) -> Vec<bool> {
    let levels: Vec<Vec<bool>> = summary
        .call_types
        .iter()
        .map(|ct| {
            per_interval(&summary.grid, &summary.intervals, n, &ct.name, |s| s.service_level.mean)
                .into_iter()
                .map(|l| l.is_some_and(f64::is_finite))
                .collect::<Vec<bool>>()
        })
        .filter(|judged| judged.contains(&true))
        .collect();
    (0..n).map(|i| levels.iter().any(|l| l[i]) && levels.iter().any(|l| !l[i])).collect()
}

pub(super) fn service_level_heatmap(summary: &Summary, axis: &IntervalAxis) -> Chart {
    let sl = summary.service_level;
    let (what, values, center, span, format) = if summary.several_channels() {
        // No one goal applies to several channels' figures: each against its own.
        (
            "service level minus its goal, worst call type (points)".to_string(),
            worst_call_type(summary, axis.len(), |level, goal| 100.0 * (level - goal)),
            0.0,
            20.0,
            ValueFormat::Number,
        )
    } else if summary.call_types.len() > 1 {
        (
            format!(
                "service level of the lowest call type, by day and interval, goal {}",
                goal_percent(sl.goal)
            ),
            worst_call_type(summary, axis.len(), |level, _| level),
            sl.goal,
            0.2,
            ValueFormat::Percent,
        )
    } else {
        (
            format!("service level by day and interval, goal {}", goal_percent(sl.goal)),
            total_service_level(summary, axis.len()),
            sl.goal,
            0.2,
            ValueFormat::Percent,
        )
    };
    let partial = some_call_types_unjudged(summary, axis.len());
    let marks = partial.contains(&true).then(|| CellMarks {
        cells: partial,
        note: "dark corner: only the call types with contacts then are judged (the others closed, or none \
               offered)"
            .to_string(),
    });
    heatmap(
        "service_level_heatmap",
        HeatmapChart {
            title: title(summary, &what),
            axis: axis.clone(),
            values,
            center,
            span,
            higher_is_better: true,
            format,
            sides: ("below goal".to_string(), "above goal".to_string()),
            blank_note: "blank: no contact judged (none offered, or emails not yet due at the end)"
                .to_string(),
            empty_note: format!("no interval has offered {}", noun_of(summary)),
            parameters: None,
            marks,
        },
    )
}

/// Per interval, the highest occupancy of a group with agents on duty (NaN where nobody is on
/// duty): `max_occupancy` holds each group, so a group over the cap shows over it even where
/// the groups pooled are under it.
fn highest_group_occupancy(summary: &Summary, n: usize, ctx: &ChartContext) -> Vec<f64> {
    let (agents, occupancy) = group_series(summary, n, ctx);
    (0..n)
        .map(|i| {
            agents
                .iter()
                .zip(&occupancy)
                .map(|(a, o)| (a.values[i], o.values[i]))
                .filter(|(a, o)| a.is_finite() && o.is_finite() && *a > 0.0)
                .map(|(_, o)| o)
                .fold(f64::NAN, f64::max)
        })
        .collect()
}

/// The occupancy heat map: each cell the highest group's occupancy in that interval (with one
/// group, its own), against the cap.
pub(super) fn occupancy_heatmap(summary: &Summary, axis: &IntervalAxis, ctx: &ChartContext) -> Chart {
    let values = highest_group_occupancy(summary, axis.len(), ctx);
    let what = if summary.agent_groups.len() > 1 {
        "occupancy of the busiest agent group, by day and interval"
    } else {
        "occupancy by day and interval"
    };
    let (center, reference) = match ctx.max_occupancy {
        Some(cap) => (cap, format!("cap {:.0}% (max_occupancy)", cap * 100.0)),
        None if ctx.scenario_known => (0.85, "85%, a common cap (the scenario sets none)".to_string()),
        None => (0.85, "85%, a common cap (the scenario's own is not in the summary)".to_string()),
    };
    heatmap(
        "occupancy_heatmap",
        HeatmapChart {
            title: title(summary, &format!("{what}, against {reference}")),
            axis: axis.clone(),
            values,
            center,
            span: 0.25,
            higher_is_better: false,
            format: ValueFormat::Percent,
            sides: ("above the cap".to_string(), "below the cap".to_string()),
            blank_note: if ctx.scheduled.is_some() {
                "blank: nobody on duty, or only agents finishing their last contacts after their shift"
            } else {
                "blank: nobody on duty"
            }
            .to_string(),
            empty_note: "no agent group has agents on duty".to_string(),
            parameters: None,
            marks: None,
        },
    )
}
