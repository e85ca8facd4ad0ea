//! `staffing.png`: required agents by interval per method (steps), with the agents on duty in
//! the current plan, so under- and over-staffed intervals stand out.

use std::path::{Path, PathBuf};

use super::{Chart, ChartFormat, IntervalAxis, IntervalChart, Series, ValueFormat, step_lines};
use crate::report::staffing::totals;
use crate::staffing::StaffingReport;

/// The staffing chart.
pub fn staffing_chart(r: &StaffingReport) -> Chart {
    let g = &r.grid;
    let rows = totals(r);
    let line = |name: &str, f: &dyn Fn(&crate::report::staffing::IntervalTotals) -> f64| {
        Series::new(name, rows.iter().map(f).collect())
    };
    let mut series = vec![
        line("Erlang C (sum over call types)", &|t| f64::from(t.erlang_c)),
        line("Erlang A (sum over call types)", &|t| f64::from(t.erlang_a)),
    ];
    if r.simulation.is_some() {
        series.push(line("Simulation (all groups)", &|t| t.simulation.map_or(f64::NAN, f64::from)));
    }
    series.push(line("Scheduled (after shrinkage)", &|t| f64::from(t.scheduled)));
    series.push(line(&format!("On duty now (plan: {})", r.plan.name), &|t| t.plan).with_color([90, 90, 90]));
    step_lines(
        "staffing",
        IntervalChart {
            title: format!("{}: required agents by interval", r.scenario),
            axis: IntervalAxis::from_grid(&g.start, g.interval_s, g.per_day, g.days),
            y_title: "Agents on duty (taking calls)".into(),
            y_format: ValueFormat::Number,
            series,
            goal: None,
            secondary: None,
            empty_note: "no calls in any interval".into(),
        },
    )
}

/// Writes `staffing.png` (or `.svg`) into `dir`.
///
/// # Errors
/// When the chart cannot be drawn or written.
pub fn staffing_charts(r: &StaffingReport, dir: &Path, format: ChartFormat) -> anyhow::Result<Vec<PathBuf>> {
    super::write_charts(&[staffing_chart(r)], dir, format)
}
