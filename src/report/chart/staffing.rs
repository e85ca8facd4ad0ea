//! The charts of `ccsim staff`: `staffing.png`, the agents required by each method against the
//! agents on duty in the current plan, with under- and over-staffing shaded, and the agents to
//! schedule (after shrinkage) in a panel of their own; `waterfall.png`, from the Erlang C
//! agent-hours to the agent-hours to schedule; and for several days `staffing_heatmap.png`,
//! on duty minus required by day and interval.

use std::path::{Path, PathBuf};

use super::heatmap::{HeatmapChart, heatmap};
use super::waterfall::{WaterfallBar, WaterfallChart, waterfall};
use super::{Chart, ChartFormat, IntervalAxis, IntervalChart, Series, Shape, Stack, ValueFormat, panels};
use crate::report::staffing::{IntervalTotals, totals};
use crate::staffing::{Method, StaffingReport};

/// Colours of the methods (Okabe-Ito), and of what is on duty (black: the reference).
const ERLANG_C: [u8; 3] = [230, 159, 0];
const ERLANG_A: [u8; 3] = [0, 114, 178];
const SIMULATION: [u8; 3] = [0, 158, 115];
const ON_DUTY: [u8; 3] = [60, 60, 60];
const SCHEDULED: [u8; 3] = [204, 121, 167];
const PER_GROUP: [u8; 3] = [86, 180, 233];

/// A staffing chart's title, with the search's replications and seed under it when a
/// simulation requirement is drawn: a chart pasted on a slide no longer says how it was run.
/// No plan is named there: the search simulates its own staffing, not the plan.
fn titled(r: &StaffingReport, title: &str) -> String {
    match &r.simulation {
        Some(sim) => super::with_run_context(
            title,
            None,
            &format!("simulation search: {} replications per step", sim.replications),
            sim.seed,
        ),
        None => title.to_string(),
    }
}

/// The staffing chart.
pub fn staffing_chart(r: &StaffingReport) -> Chart {
    let rows = totals(r);
    // An interval where no method requires anyone and nobody is on duty is closed: its lines
    // leave a gap, as the heat map leaves its cell blank, rather than run along zero through
    // the night as if agents were required and missing there.
    let closed = |t: &IntervalTotals| {
        t.erlang_c == 0
            && t.erlang_a == 0
            && t.simulation.unwrap_or(0) == 0
            && t.scheduled == 0
            && t.plan == 0.0
    };
    let line = |name: &str, f: &dyn Fn(&IntervalTotals) -> f64| {
        Series::new(name, rows.iter().map(|t| if closed(t) { f64::NAN } else { f(t) }).collect())
    };
    let mut series =
        vec![line(&format!("on duty now (plan {})", r.plan.name), &|t| t.plan).with_color(ON_DUTY)];
    // Erlang C counts no email: on a desk of emails alone its line would run along zero, as if
    // the formula found that nobody is needed.
    if r.intervals.iter().any(|x| x.email_workload_agents.is_none()) {
        series.push(line("required, Erlang C", &|t| f64::from(t.erlang_c)).with_color(ERLANG_C).dashed());
    }
    // Without patience anywhere, an Erlang A line would only redraw the Erlang C one.
    if r.method != Method::ErlangC && rows.iter().any(|t| t.erlang_a_applies) {
        series.push(line("required, Erlang A", &|t| f64::from(t.erlang_a)).with_color(ERLANG_A).dashed());
    }
    // The requirement the plan is judged against, the agents on duty that "to schedule" is
    // taken from: the simulation's when it ran, else the analytic one per group, in which the
    // call types a group answers share its agents (chats by the chat estimate, email by its
    // workload), unlike the per-call-type lines above (which count a chat as a call).
    if r.simulation.is_some() {
        series.push(
            line("required, simulation", &|t| t.simulation.map_or(f64::NAN, f64::from))
                .with_color(SIMULATION)
                .dashed(),
        );
    } else {
        series.push(
            line("required on duty, per group", &|t| f64::from(t.required)).with_color(PER_GROUP).dashed(),
        );
    }
    // The shading compares what is on duty with that requirement: the last line.
    let reference = series.len() - 1;
    // Chats and emails are no calls: a run with them counts contacts, as its tables do.
    let other_channels =
        r.intervals.iter().any(|x| x.erlang_c_chat.is_some() || x.email_workload_agents.is_some());
    let noun = if other_channels { "contacts" } else { "calls" };
    let required = IntervalChart {
        title: titled(r, &format!("{}: agents required against agents on duty", r.scenario)),
        axis: IntervalAxis::of(&r.grid),
        y_title: format!("agents taking {noun}"),
        y_format: ValueFormat::Number,
        series,
        goal: None,
        secondary: None,
        shade: vec![(reference, 0)],
        empty_note: format!("no {noun} in any interval"),
    };
    let scheduled = IntervalChart {
        y_title: "agents to schedule".into(),
        series: vec![
            line(&format!("agents to schedule (paid, with {:.0}% shrinkage)", r.shrinkage * 100.0), &|t| {
                f64::from(t.scheduled)
            })
            .with_color(SCHEDULED),
        ],
        shade: Vec::new(),
        ..required.clone()
    };
    panels("staffing", vec![(required, Shape::Steps), (scheduled, Shape::Steps)], Stack::MainAbove)
}

/// `waterfall.png`: the staffing waterfall as bars.
pub fn waterfall_chart(r: &StaffingReport) -> Chart {
    let bars = r
        .waterfall
        .iter()
        .map(|s| WaterfallBar { label: s.label.clone(), value: s.agent_hours, total: s.kind == "total" })
        .collect();
    waterfall(
        "waterfall",
        WaterfallChart {
            title: titled(r, &format!("{}: from Erlang C to the agent-hours to schedule", r.scenario)),
            y_title: format!("agent-hours over {} (h)", super::horizon_words(r.grid.days)),
            bars,
            empty_note: "no step".into(),
        },
    )
}

/// `staffing_heatmap.png`: agents on duty minus required, by day and interval.
pub fn staffing_heatmap(r: &StaffingReport) -> Chart {
    let rows = totals(r);
    let values = rows
        .iter()
        .map(|t| {
            let req = f64::from(t.required);
            // Closed: nobody required and nobody on duty.
            if req == 0.0 && t.plan == 0.0 { f64::NAN } else { t.plan - req }
        })
        .collect();
    heatmap(
        "staffing_heatmap",
        HeatmapChart {
            title: titled(r, &format!("{}: agents on duty minus required, by day and interval", r.scenario)),
            axis: IntervalAxis::of(&r.grid),
            values,
            center: 0.0,
            span: 4.0,
            higher_is_better: true,
            format: ValueFormat::Number,
            sides: ("under".to_string(), "over".to_string()),
            blank_note: "blank: closed (nobody required or on duty)".to_string(),
            empty_note: "no interval".to_string(),
            parameters: None,
            marks: None,
        },
    )
}

/// Every chart of `ccsim staff`: staffing, waterfall, and for several days the heat map.
pub fn staffing_chart_set(r: &StaffingReport) -> Vec<Chart> {
    let mut charts = vec![staffing_chart(r), waterfall_chart(r)];
    if r.grid.days > 1 {
        charts.push(staffing_heatmap(r));
    }
    charts
}

/// Writes the charts of `ccsim staff` into `dir`.
///
/// # Errors
/// When a chart cannot be drawn or written.
pub fn staffing_charts(r: &StaffingReport, dir: &Path, format: ChartFormat) -> anyhow::Result<Vec<PathBuf>> {
    super::write_charts(&staffing_chart_set(r), dir, format)
}

#[cfg(test)]
mod tests {
    use super::super::Body;
    use super::*;
    use crate::replicate::Options;

    /// Without the simulation search, the line the shading and the heat map judge the plan
    /// against is the groups' requirement on duty (what "to schedule" is taken from), not a sum
    /// of per-call-type figures that count a chat as a call and email as nothing.
    #[test]
    fn the_plan_is_judged_against_the_groups_requirement_on_duty() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/omnichannel.toml");
        let scenario = crate::scenario::load(&path).unwrap().scenario;
        let options = Options { replications: 2, seed: 1, threads: Some(1) };
        let report = crate::staffing::plan(&scenario, Method::ErlangA, &options, &|| {}).unwrap().report;
        let required: Vec<f64> = (0..report.plan.agents.len())
            .map(|idx| report.analytic_groups.iter().map(|g| f64::from(g.intervals[idx].agents)).sum())
            .collect();
        let per_call_type: Vec<f64> = totals(&report).iter().map(|t| f64::from(t.erlang_a)).collect();
        assert!(required.iter().zip(&per_call_type).any(|(r, c)| r != c), "the two requirements differ here");

        let Body::Panels(panels, _) = staffing_chart(&report).body else { panic!("panels") };
        let main = &panels[0].0;
        let (reference, on_duty) = main.shade[0];
        assert_eq!((main.series[reference].name.as_str(), on_duty), ("required on duty, per group", 0));
        for (drawn, want) in main.series[reference].values.iter().zip(&required) {
            assert!(drawn.is_nan() || drawn == want, "{drawn} {want}");
        }
        assert!(main.series[reference].values.iter().any(|v| *v > 0.0));

        let Body::Heatmap(map) = staffing_heatmap(&report).body else { panic!("a heat map") };
        for ((value, want), plan) in map.values.iter().zip(&required).zip(&report.plan.agents) {
            if *want == 0.0 && *plan == 0.0 {
                assert!(value.is_nan());
            } else {
                assert_eq!(*value, plan - want);
            }
        }
    }
}
