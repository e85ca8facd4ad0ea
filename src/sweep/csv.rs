//! A sweep as a tidy CSV: one row per case and call type, every figure with its half-width.

use super::Sweep;
use crate::metrics::CallStats;
use crate::stats::Estimate;

/// The tidy CSV: one row per case and call type (`all` first), with each factor's value, the
/// plan, and every figure with its half-width, rounded per quantity as in `intervals.csv`.
///
/// # Errors
/// Write errors.
pub fn write_csv(sweep: &Sweep, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<String> =
        ["case", "volume", "handle_time", "agents", "plan", "call_type", "paid_hours"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    // Lines and callbacks add their columns when the cases have them (every case of a sweep
    // runs the same scenario's kinds of contact).
    let first = sweep.cases.first();
    let lines = first.is_some_and(|c| c.lines.is_some());
    let callbacks = first.is_some_and(|c| c.callbacks.is_some());
    let mut keys: Vec<&str> = CallStats::<f64>::KEYS.to_vec();
    if lines {
        keys.extend(crate::metrics::LineStats::<f64>::KEYS);
    }
    if callbacks {
        keys.extend(crate::metrics::CallbackStats::<f64>::KEYS);
    }
    for key in &keys {
        header.push((*key).to_string());
        header.push(format!("{key}_half_width"));
    }
    // The agents' occupancy is the case's, not a call type's: on its `all` row only.
    header.extend(["occupancy".to_string(), "occupancy_half_width".to_string()]);
    out.write_record(&header)?;
    let share = crate::report::csv_decimals(crate::metrics::definition("occupancy").unit);
    // Rounded per quantity like every other CSV ([`crate::report::csv_decimals`]); the factors
    // are exact grid values, written as the shortest decimal that reads back as them.
    let factor = crate::report::csv_exact;
    let decimals: Vec<usize> =
        keys.iter().map(|k| crate::report::csv_decimals(crate::metrics::definition(k).unit)).collect();
    let hours = |v: f64| crate::report::csv_decimal(v, crate::report::csv_decimals("h"));
    for (i, result) in sweep.cases.iter().enumerate() {
        let rows = std::iter::once((crate::report::ALL_ROW_CSV, &result.overall))
            .chain(result.call_types.iter().map(|c| (c.name.as_str(), &c.stats)));
        for (call_type, stats) in rows {
            let mut row = vec![
                (i + 1).to_string(),
                factor(result.case.volume),
                factor(result.case.handle_time),
                result.case.agents.to_string(),
                result.plan.clone(),
                call_type.to_string(),
                hours(result.paid_hours),
            ];
            let mut values: Vec<Estimate> = stats.values().copied().collect();
            if lines {
                let of = result.lines.as_ref().and_then(|l| l.of(call_type)).copied().unwrap_or_default();
                values.extend(of.values());
            }
            if callbacks {
                let of = result.callbacks.as_ref().and_then(|c| c.of(call_type)).copied().unwrap_or_default();
                values.extend(of.values());
            }
            for (e, &d) in values.iter().zip(&decimals) {
                row.extend(crate::report::csv_estimate(e, d));
            }
            let occupancy =
                if call_type == crate::report::ALL_ROW_CSV { result.occupancy } else { Estimate::default() };
            row.extend(crate::report::csv_estimate(&occupancy, share));
            out.write_record(&row)?;
        }
    }
    out.flush()
}
