//! `risk.png`: the probability of meeting the service-level goal against headcount, with its
//! 95% binomial interval at each point, and a dashed reference line at 90% of replications
//! (the share the table's "fewest peak agents meeting the goal on 90.0% of days" reads). The
//! legend names each thing drawn, with the mark it is drawn with.

use super::{Chart, Goal, LabelledPoint, ScatterChart, ValueFormat, scatter};
use crate::report::percent;
use crate::risk::RiskCurve;

/// The risk curve chart.
pub fn risk_chart(curve: &RiskCurve) -> Chart {
    let runs = crate::report::replication_noun(curve.days, true);
    let points = curve
        .points
        .iter()
        .map(|p| {
            let e = p.p_meet_goal;
            LabelledPoint {
                label: String::new(),
                x: f64::from(p.agents),
                y: e.mean,
                y_band: (e.low.is_finite() && e.high.is_finite()).then_some((e.low, e.high)),
            }
        })
        .collect();
    scatter(
        "risk",
        ScatterChart {
            title: format!(
                "{}: probability of meeting {} against headcount",
                curve.scenario,
                percent(curve.goal)
            ),
            x_title: "Agents on duty at the busiest interval".into(),
            x_format: ValueFormat::Number,
            y_title: format!("Share of {runs} meeting the goal"),
            y_format: ValueFormat::Percent,
            points,
            series: Some("P(meet goal) at each headcount simulated".into()),
            goal: Some(Goal {
                value: 0.9,
                label: format!("reference: goal met on 90% of {runs}"),
                mark_below: false,
            }),
            empty_note: "no headcount simulated".into(),
        },
    )
}
