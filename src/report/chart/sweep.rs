//! The heat map of a sweep (`sweep.png`): the overall service level of each case over the two
//! first dimensions of the grid (the factors in the order given, then the plan), coloured
//! against the goal with the simulation's own heat-map scale ([`super::heatmap`]).
//!
//! Columns are the first dimension, rows the second, each in increasing order (rows from the
//! bottom up, as on any y axis; plans in the order given). Further dimensions are held at one
//! value, which the legend names: a factor at its neutral value when the sweep has it (else at
//! its smallest), the plan at the first plan. A cell with no case or no call offered is blank.

use crate::model::Channel;
use crate::report::goal_percent;
use crate::sweep::{CaseResult, Factor, Sweep};

use super::heatmap::{HeatmapChart, ParameterAxes, heatmap};
use super::{Chart, IntervalAxis, ValueFormat};

/// One dimension of the grid as drawn: its title, and its values in display order with labels.
enum Dimension {
    Factor(Factor, Vec<f64>),
    Plan(Vec<String>),
}

impl Dimension {
    fn title(&self) -> String {
        match self {
            Dimension::Factor(f, _) => f.axis_title().to_string(),
            Dimension::Plan(_) => "plan".to_string(),
        }
    }

    fn labels(&self) -> Vec<String> {
        match self {
            Dimension::Factor(f, values) => f.labels(values),
            Dimension::Plan(names) => names.clone(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Dimension::Factor(_, values) => values.len(),
            Dimension::Plan(names) => names.len(),
        }
    }

    /// The position of `case` on this dimension, if any.
    fn index_of(&self, case: &crate::sweep::CaseResult) -> Option<usize> {
        match self {
            Dimension::Factor(f, values) => values.iter().position(|&v| v == f.of(&case.case)),
            Dimension::Plan(names) => names.iter().position(|n| *n == case.plan),
        }
    }

    /// The value a dimension not drawn is held at (index into its values) and its text.
    fn held(&self) -> (usize, String) {
        match self {
            Dimension::Factor(f, values) => {
                let at = values.iter().position(|&v| v == f.neutral()).unwrap_or(0);
                (at, format!("{} {}", f.name(), f.labels(values)[at]))
            }
            Dimension::Plan(names) => (0, format!("plan {}", names[0])),
        }
    }
}

/// The dimensions of `sweep`: each factor with its distinct values in increasing order, then
/// the plans.
fn dimensions(sweep: &Sweep) -> Vec<Dimension> {
    let mut dims: Vec<Dimension> = sweep
        .factors
        .iter()
        .map(|&f| {
            let mut values: Vec<f64> = sweep.cases.iter().map(|c| f.of(&c.case)).collect();
            values.sort_by(f64::total_cmp);
            values.dedup();
            Dimension::Factor(f, values)
        })
        .collect();
    let mut plans: Vec<String> = Vec::new();
    for c in &sweep.cases {
        if !plans.contains(&c.plan) {
            plans.push(c.plan.clone());
        }
    }
    if plans.is_empty() {
        plans.push(String::new());
    }
    dims.push(Dimension::Plan(plans));
    dims
}

/// What the colour is, in words: the definition of service level, the target and the goal.
fn definition(sweep: &Sweep) -> String {
    let sl = &sweep.service_level;
    // The seed too: the cells are estimates from these replications, and a slide states what
    // reproduces them.
    let replications = format!(
        "{}, seed {}",
        crate::error::plural(u64::from(sweep.replications), "replication"),
        sweep.seed
    );
    if !sweep.channel_goals.is_empty() {
        let goals: Vec<String> =
            sweep.channel_goals.iter().map(crate::report::channels::channel_goal).collect();
        return format!(
            "cells: worst call type's service level minus its channel's goal (points), over {}; goals {}",
            replications,
            goals.join(", ")
        );
    }
    let of = sl.definition.denominator();
    format!(
        "cells: service level (%) = answered within {} / {of}, over {}; goal {}",
        super::target_text(sl.target),
        replications,
        goal_percent(sl.goal)
    )
}

/// A case's cell: its service level; with several channels, whose goals differ, the worst
/// call type's service level minus its own channel's goal, in percentage points (NaN when no
/// call type has one), so a cell below zero is a case in which some call type misses its goal.
fn cell_value(sweep: &Sweep, case: &CaseResult) -> f64 {
    if sweep.channel_goals.is_empty() {
        return case.overall.service_level.mean;
    }
    let goal_of = |channel| sweep.channel_goals.iter().find(|g| g.channel == channel).map(|g| g.goal.goal);
    case.call_types
        .iter()
        .filter_map(|ct| Some(100.0 * (ct.stats.service_level.mean - goal_of(ct.channel)?)))
        .filter(|margin| margin.is_finite())
        .fold(f64::NAN, f64::min)
}

/// The heat map of a sweep's overall service level (file `sweep`).
pub fn sweep_chart(sweep: &Sweep) -> Chart {
    let dims = dimensions(sweep);
    let (x, y) = (&dims[0], &dims[1]);
    let held: Vec<(usize, usize, String)> =
        dims.iter().enumerate().skip(2).map(|(d, dim)| (d, dim.held().0, dim.held().1)).collect();
    let (nx, ny) = (x.len(), y.len());
    // Row 0 is drawn on top: the last value of the second dimension.
    let mut values = vec![f64::NAN; nx * ny];
    for case in &sweep.cases {
        let on_held = held.iter().all(|(d, at, _)| dims[*d].index_of(case) == Some(*at));
        if let (true, Some(i), Some(j)) = (on_held, x.index_of(case), y.index_of(case)) {
            values[(ny - 1 - j) * nx + i] = cell_value(sweep, case);
        }
    }
    let x_labels = x.labels();
    let mut y_labels = y.labels();
    y_labels.reverse();
    let axis = IntervalAxis {
        labels: (0..nx * ny).map(|k| format!("{} {}", y_labels[k / nx], x_labels[k % nx])).collect(),
        clock: x_labels,
        day_names: y_labels,
        per_day: nx,
        closed_overnight: false,
        title: x.title(),
    };
    let mut note = definition(sweep);
    // Its cells are the service levels of the agents left on the phones, not the plans'.
    if let Some(words) = super::shrinkage_words(sweep.shrinkage_applied) {
        note.push_str(&format!("; {words}"));
    }
    if !held.is_empty() {
        let texts: Vec<&str> = held.iter().map(|(_, _, t)| t.as_str()).collect();
        note.push_str(&format!("; at {}", texts.join(", ")));
    }
    let name_y = match y {
        Dimension::Plan(names) if names.len() == 1 => String::new(),
        _ => format!(" and {}", y.title().split(" (").next().unwrap_or_default()),
    };
    let name_x = x.title().split(" (").next().unwrap_or_default().to_string();
    let several = !sweep.channel_goals.is_empty();
    let what = if several { "service level minus its goal, worst call type," } else { "service level" };
    // As every other chart says: calls when every call type is voice, else contacts.
    let voice = sweep.cases.iter().flat_map(|c| &c.call_types).all(|ct| ct.channel == Channel::Voice);
    let noun = if voice { "calls" } else { "contacts" };
    heatmap(
        "sweep",
        HeatmapChart {
            title: format!("{}: {what} by {name_x}{name_y}", sweep.scenario),
            axis,
            values,
            center: if several { 0.0 } else { sweep.service_level.goal },
            span: if several { 20.0 } else { 0.2 },
            higher_is_better: true,
            format: if several { ValueFormat::Number } else { ValueFormat::Percent },
            sides: ("below goal".to_string(), "above goal".to_string()),
            blank_note: format!("blank: no {noun} offered"),
            empty_note: format!("no case has offered {noun}"),
            parameters: Some(ParameterAxes { x_title: x.title(), y_title: y.title(), note }),
            marks: None,
        },
    )
}
