//! The coverage chart of a built shift plan: the requirement against the scheduled agents on
//! duty, interval by interval, per group.

use std::path::{Path, PathBuf};

use super::{CoverageOut, ScheduleReport};
use crate::report::chart::{self, ChartFormat, IntervalAxis, IntervalChart, Series, ValueFormat};

/// `coverage.png`: requirement against agents on duty by interval, per group.
pub fn coverage_chart(r: &ScheduleReport) -> chart::Chart {
    let g = &r.grid;
    let n = g.per_day * g.days;
    let mut groups: Vec<&str> = Vec::new();
    for row in &r.intervals {
        if !groups.contains(&row.group.as_str()) {
            groups.push(&row.group);
        }
    }
    // One colour per group: on duty solid, required dashed in a darker shade of it, the gap
    // between them shaded as under- or over-staffing.
    // An interval where no group has anyone required or on duty is closed: the lines leave a
    // gap there rather than run along zero through the night.
    let mut closed = vec![true; n];
    for name in &groups {
        for (i, x) in r.intervals.iter().filter(|x| x.group == *name).take(n).enumerate() {
            closed[i] &= x.on_duty == 0 && x.required == 0;
        }
    }
    let mut series = Vec::new();
    let mut shade = Vec::new();
    for (idx, name) in groups.iter().enumerate() {
        let pick = |f: &dyn Fn(&CoverageOut) -> u32| -> Vec<f64> {
            r.intervals
                .iter()
                .filter(|x| x.group == *name)
                .take(n)
                .enumerate()
                .map(|(i, x)| if closed[i] { f64::NAN } else { f64::from(f(x)) })
                .collect()
        };
        let color = chart::color_of(idx);
        shade.push((series.len() + 1, series.len()));
        series.push(Series::new(format!("{name}: on duty"), pick(&|x| x.on_duty)).with_color(color));
        series.push(
            Series::new(format!("{name}: required"), pick(&|x| x.required))
                .with_color(chart::darker(color))
                .dashed(),
        );
    }
    chart::step_lines(
        "coverage",
        IntervalChart {
            title: format!("{}: required agents and scheduled agents on duty\n{}", r.scenario, rests_on(r)),
            axis: IntervalAxis::of(g),
            y_title: "scheduled agents (paid, shrinkage included)".into(),
            y_format: ValueFormat::Number,
            series,
            goal: None,
            secondary: None,
            shade,
            empty_note: "no requirement in any interval".into(),
        },
    )
}

/// What the requirement drawn rests on, for the subtitle: where it came from, the shrinkage it
/// was raised for, and the replications and seed of the simulation search that found it
/// (`--method simulation` or `all`), on which a simulated requirement depends. A picture pasted
/// on a slide on its own no longer says any of them.
fn rests_on(r: &ScheduleReport) -> String {
    let simulated =
        ["simulation", "all"].iter().any(|m| r.requirement == format!("ccsim staff --method {m}"));
    // The shrinkage the requirement was raised for, as the table states it: both lines count
    // paid agents, and without it the gap between a requirement on the phones and the one drawn
    // reads as the optimiser's.
    let source = format!(
        "requirement: {} (raised for {} shrinkage)",
        r.requirement,
        crate::report::percent(r.shrinkage)
    );
    if simulated {
        let replications = crate::error::plural(u64::from(r.simulated.replications), "replication");
        format!("{source} · {replications} · seed {}", r.simulated.seed)
    } else {
        source
    }
}

/// Writes `coverage.png` (or `.svg`) into `dir`.
///
/// # Errors
/// When the chart cannot be drawn or written.
pub fn coverage_charts(r: &ScheduleReport, dir: &Path, format: ChartFormat) -> anyhow::Result<Vec<PathBuf>> {
    chart::write_charts(&[coverage_chart(r)], dir, format)
}
