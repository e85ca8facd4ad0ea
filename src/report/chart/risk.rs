//! `risk.png`: the probability of meeting the service-level goal against headcount, with its
//! 95% binomial interval at each point, and a dashed reference line at 90% of replications
//! (the share the table's "fewest peak agents meeting the goal on 90.0% of days" reads), and a
//! vertical line at the headcount of the current plan. The title states the goal with its
//! answer-time target, and the subtitle the shrinkage taken out of each headcount, if any. The
//! legend names each thing drawn, with the mark it is drawn with.

use super::{Chart, Goal, LabelledPoint, ScatterChart, ValueFormat, scatter};
use crate::error::plural;
use crate::risk::RiskCurve;

/// The risk curve chart; `current_peak`, when known, is the agents on duty at the busiest
/// interval of the plan the curve scales, marked with a vertical line.
pub fn risk_chart(curve: &RiskCurve, current_peak: Option<f64>) -> Chart {
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
            title: super::with_run_context(
                &format!("{}: probability of meeting the goal against headcount; {}", curve.scenario, {
                    let goal = crate::report::channels::goal_line_of(
                        curve.goal,
                        curve.target_s,
                        curve.definition,
                        &curve.channel_goals,
                    );
                    goal.replacen("Goal", "goal", 1)
                }),
                Some(&curve.plan),
                &rests_on(curve),
                curve.seed,
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
            x_reference: current_peak.filter(|p| p.is_finite() && *p > 0.0).map(|p| {
                (
                    p,
                    format!(
                        "current plan ({}): {} on duty at its busiest interval",
                        curve.plan,
                        agents_text(p)
                    ),
                )
            }),
            empty_note: "no headcount simulated".into(),
        },
    )
}

/// What each point rests on, for the subtitle: a curve net of shrinkage says so there, as its
/// table does, since the same axis over lower shares would read as every agent taking calls.
fn rests_on(curve: &RiskCurve) -> String {
    let replications = format!("{} per headcount", plural(u64::from(curve.replications), "replication"));
    if curve.shrinkage_applied > 0.0 {
        let off = crate::report::percent(curve.shrinkage_applied);
        format!("{replications} · {off} of each headcount off the phones (shrinkage)")
    } else {
        replications
    }
}

/// A headcount as the tables write agents: whole, or with one decimal where breaks make the
/// time-average fractional.
pub(crate) fn agents_text(agents: f64) -> String {
    if (agents - agents.round()).abs() < 0.05 { format!("{agents:.0}") } else { format!("{agents:.1}") }
}
