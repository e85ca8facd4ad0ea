//! The `ccsim sweep` table: one line per case, its factors and the overall figures, in the
//! units and formats of the other tables. Pure: the result in, text out.

use crate::error::plural;
use crate::report::table::{Align, Table};
use crate::report::{percent_estimate, wrap};
use crate::sweep::{Factor, Sweep};

/// One line per case: the factors varied (in the order of `--vary`), the plan (when several),
/// the paid hours and the overall figures.
pub fn table(result: &Sweep) -> String {
    let plans = result.plans.len() > 1;
    let mut headers: Vec<&str> = vec!["Case"];
    headers.extend(result.factors.iter().map(|&f| column(f).0));
    if plans {
        headers.push("Plan");
    }
    headers.extend(["Paid hours", "Service level", "ASA (s)", "Abandoned", "Occupancy"]);
    // With telephone lines, the busy signals are part of what a case does to callers.
    let lines = result.cases.iter().any(|c| c.lines.is_some());
    if lines {
        headers.push("Blocked");
    }
    let mut t = Table::new(&headers).align(0, Align::Right);
    if plans {
        t = t.align(1 + result.factors.len(), Align::Left);
    }
    let labels: Vec<Vec<String>> = result
        .factors
        .iter()
        .map(|&f| f.labels(&result.cases.iter().map(|c| f.of(&c.case)).collect::<Vec<f64>>()))
        .collect();
    // Seconds of voice pooled with hours of email mean nothing: as every table's row of all
    // contacts, the ASA is left out with several channels.
    let several = !result.channel_goals.is_empty();
    for (i, c) in result.cases.iter().enumerate() {
        let o = &crate::report::shown_pooled(&c.overall, several);
        let mut row = vec![(i + 1).to_string()];
        row.extend(labels.iter().map(|column| column[i].clone()));
        if plans {
            row.push(c.plan.clone());
        }
        row.extend([
            format!("{:.1}", c.paid_hours),
            percent_estimate(&o.service_level),
            crate::report::seconds_estimate(&o.asa_s),
            percent_estimate(&o.abandon_rate),
            percent_estimate(&c.occupancy),
        ]);
        if lines {
            row.push(c.lines.as_ref().map_or("-".to_string(), |l| percent_estimate(&l.overall.block_rate)));
        }
        t.row(row);
    }
    let sl = &result.service_level;
    let mut notes: Vec<String> = result.factors.iter().map(|&f| column(f).1.to_string()).collect();
    let definition = if result.channel_goals.is_empty() {
        format!(
            "answered within {} / {}; goal {}",
            crate::time::format_duration(sl.target),
            sl.definition.denominator(),
            crate::report::goal_percent(sl.goal)
        )
    } else {
        format!(
            "every contact answered within its own channel's target / {}, all channels pooled, so no one \
             goal applies ({})",
            sl.definition.denominator(),
            crate::report::channels::goal_line_of(sl.goal, sl.target, sl.definition, &result.channel_goals)
        )
    };
    notes.push(format!(
        "Paid hours: agent-hours paid under the case's plan (h). Service level: {definition}. \
         ±: 95% confidence half-width. Every case runs on the same seeds (common random numbers)."
    ));
    if several {
        notes.push(
            "ASA: - with several channels, whose waits are not pooled (see each call type in sweep.csv)."
                .into(),
        );
    }
    if lines {
        notes.push(format!("Blocked: {}.", crate::metrics::definition("block_rate").definition));
    }
    if result.shrinkage_applied > 0.0 {
        // As under the simulate and compare tables: the figures are of the agents left on the
        // phones, while the paid hours count every agent paid.
        notes.push(super::simulation::shrinkage_line(result.shrinkage_applied).trim_end().to_string());
    }
    let table = t.render();
    if let Some(note) = crate::report::cut_interval_note(&table) {
        notes.push(note.trim_end().to_string());
    }
    format!(
        "{} | {} | {} each, seed {}\n{}{}",
        result.scenario,
        plural(result.cases.len() as u64, "case"),
        plural(u64::from(result.replications), "replication"),
        result.seed,
        table,
        wrap(&format!("\n{}\n", notes.join(" ")), 100)
    )
}

/// A factor's column header and the note under the table that defines it.
fn column(factor: Factor) -> (&'static str, &'static str) {
    match factor {
        Factor::Volume => ("Volume x", "Volume x: factor on the forecast volumes."),
        Factor::HandleTime => ("Handle time x", "Handle time x: factor on the handle times."),
        Factor::Agents => (
            "Agents + per block",
            "Agents + per block: added to every shift block and interval of the plan (never below 0), \
                 so +1 adds as many agents at a time as blocks overlap then.",
        ),
    }
}
