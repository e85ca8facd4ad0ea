//! The check of a summary read back from JSON: a shape a run could have written.

use super::Summary;
use crate::metrics::CallStats;
use crate::stats::Estimate;

/// The figures of a row read back from JSON: counts not negative, shares in [0, 1], times not
/// negative (an undefined figure, `null`, passes).
fn check_figures(key: &str, stats: &CallStats<Estimate>) -> Result<(), String> {
    for (name, e) in CallStats::<Estimate>::KEYS.iter().zip(stats.values()) {
        let Some(def) = crate::metrics::DEFINITIONS.iter().find(|d| d.key == *name) else { continue };
        check_estimate(&format!("{key}.{name}"), e, def.unit, def.label)?;
    }
    Ok(())
}

/// Checks one saved estimate: its mean is a possible value of its unit (a share in [0, 1],
/// anything else 0 or more) or null (undefined), and its half-width 0 or more, or null. A
/// figure out of range would be drawn as is, stretching an axis to 1e308 or below 0.
fn check_estimate(key: &str, e: &Estimate, unit: &str, label: &str) -> Result<(), String> {
    let allowed = match unit {
        "share" => "a share from 0 to 1, or null",
        _ => "0 or more, or null",
    };
    let possible = |v: f64| match unit {
        "share" => v.is_nan() || (0.0..=1.0 + 1e-9).contains(&v),
        _ => v.is_nan() || (v >= 0.0 && v.is_finite()),
    };
    if !possible(e.mean) {
        let mean = crate::error::quoted_number(e.mean);
        return Err(format!("{key}: {mean} is not a possible {label} ({unit}); expected {allowed}"));
    }
    if !(e.half_width.is_nan() || (e.half_width >= 0.0 && e.half_width.is_finite())) {
        return Err(format!(
            "{key}: half-width {} is not possible; expected 0 or more, or null",
            crate::error::quoted_number(e.half_width)
        ));
    }
    Ok(())
}

impl Summary {
    /// Checks a summary read back from JSON (`ccsim chart`) for a shape a run could have
    /// written: a grid of whole days of positive intervals within the caps, and per-interval
    /// rows that name an interval of that grid and a call type or agent group of the summary.
    /// Charts drawn from anything else would mislabel or silently drop figures.
    ///
    /// # Errors
    /// What is wrong, naming the JSON key.
    pub fn check_shape(&self) -> Result<(), String> {
        use crate::limits::{MAX_DAYS, MAX_INTERVALS};
        use crate::time::{ClockTime, DAY};
        let g = &self.grid;
        let start = ClockTime::parse(&g.start).map_err(|e| format!("grid.start: {e}"))?;
        if start.secs() >= DAY {
            return Err(format!(
                "grid.start: \"{}\" is not the start of an interval (00:00 to 23:59)",
                g.start
            ));
        }
        if !(g.interval_s.is_finite() && g.interval_s >= 1.0) {
            return Err(format!("grid.interval_s: {} is not an interval length (1 s or more)", g.interval_s));
        }
        if g.per_day == 0 || g.per_day as f64 * g.interval_s > DAY + 1e-6 {
            return Err(format!(
                "grid.per_day: {} intervals of {} s do not make a day (1 to {:.0} intervals)",
                g.per_day,
                g.interval_s,
                (DAY / g.interval_s).floor()
            ));
        }
        if g.days == 0 || g.days > MAX_DAYS || g.per_day * g.days > MAX_INTERVALS {
            return Err(format!(
                "grid.days: {} days of {} intervals; a run has 1 to {MAX_DAYS} days and at most {MAX_INTERVALS} intervals",
                g.days, g.per_day
            ));
        }
        let starts: Vec<String> = (0..g.per_day)
            .map(|k| ClockTime::from_secs(start.secs() + k as f64 * g.interval_s).to_string())
            .collect();
        let interval = |key: &str, i: usize, day: usize, at: &str| -> Result<(), String> {
            if (1..=g.days).contains(&day) && starts.iter().any(|s| s == at) {
                Ok(())
            } else {
                Err(format!("{key}[{i}]: day {day} at {at} is not an interval of the grid"))
            }
        };
        // A run writes one row per interval (and call type): a row missing or written twice
        // would leave a hole or a double in a chart.
        let n = g.per_day * g.days;
        let rows = |key: &str, len: usize, each: usize| -> Result<(), String> {
            if len == 0 || len == n * each {
                Ok(())
            } else {
                Err(format!(
                    "{key}: {len} rows; a run writes one per interval{} ({})",
                    if each > 1 { " and call type" } else { "" },
                    n * each
                ))
            }
        };
        rows("intervals", self.intervals.len(), self.call_types.len())?;
        rows("interval_totals", self.interval_totals.len(), 1)?;
        let mut seen = std::collections::HashSet::new();
        for (i, row) in self.intervals.iter().enumerate() {
            interval("intervals", i, row.day, &row.start)?;
            if !self.call_types.iter().any(|c| c.name == row.call_type) {
                return Err(format!("intervals[{i}]: \"{}\" is not one of the call_types", row.call_type));
            }
            if !seen.insert((row.day, row.start.as_str(), row.call_type.as_str())) {
                return Err(format!(
                    "intervals[{i}]: day {} at {} of \"{}\" is written twice",
                    row.day, row.start, row.call_type
                ));
            }
            check_figures(&format!("intervals[{i}]"), &row.stats)?;
        }
        check_figures("overall", &self.overall)?;
        for (i, c) in self.call_types.iter().enumerate() {
            check_figures(&format!("call_types[{i}]"), &c.stats)?;
        }
        for (i, c) in self.channels.iter().enumerate() {
            check_figures(&format!("channels[{i}]"), &c.stats)?;
        }
        for (i, row) in self.interval_totals.iter().enumerate() {
            interval("interval_totals", i, row.day, &row.start)?;
            check_figures(&format!("interval_totals[{i}]"), &row.stats)?;
        }
        check_estimate("occupancy", &self.occupancy, "share", "occupancy")?;
        if !(self.paid_hours >= 0.0 && self.paid_hours.is_finite()) {
            return Err(format!("paid_hours: {} is not possible; expected 0 or more", self.paid_hours));
        }
        for group in &self.agent_groups {
            let key = format!("agent_groups \"{}\" intervals", group.name);
            rows(&key, group.intervals.len(), 1)?;
            let mut seen = std::collections::HashSet::new();
            check_estimate(
                &format!("agent_groups \"{}\".occupancy", group.name),
                &group.occupancy,
                "share",
                "occupancy",
            )?;
            for (i, row) in group.intervals.iter().enumerate() {
                interval(&key, i, row.day, &row.start)?;
                check_estimate(&format!("{key}[{i}].occupancy"), &row.occupancy, "share", "occupancy")?;
                check_estimate(
                    &format!("{key}[{i}].agents_on_duty"),
                    &row.agents_on_duty,
                    "agents",
                    "agents on duty",
                )?;
                if !seen.insert((row.day, row.start.as_str())) {
                    return Err(format!("{key}[{i}]: day {} at {} is written twice", row.day, row.start));
                }
            }
        }
        let sl = &self.service_level;
        if !(sl.goal > 0.0 && sl.goal <= 1.0 && sl.target >= 0.0 && sl.target.is_finite()) {
            return Err(format!(
                "service_level: goal {} within {} s; a goal is a share in (0, 1], a target 0 s or more",
                sl.goal, sl.target
            ));
        }
        for (i, d) in self.wait_distribution.iter().enumerate() {
            let key = format!("wait_distribution[{i}]");
            if let Some(ct) = &d.call_type
                && !self.call_types.iter().any(|c| &c.name == ct)
            {
                return Err(format!("{key}: \"{ct}\" is not one of the call_types"));
            }
            let stats = match &d.call_type {
                None => Some(&self.overall),
                Some(ct) => self.call_types.iter().find(|c| &c.name == ct).map(|c| &c.stats),
            };
            let offered = stats.map_or(0.0, |s| s.offered.mean) * f64::from(self.replications);
            if d.offered_not_judged as f64 > offered + 0.5 {
                return Err(format!(
                    "{key}.offered_not_judged: {} of {offered:.0} contacts offered over the replications; \
                     it counts some of the offered ones",
                    d.offered_not_judged
                ));
            }
            let mut last_high = 0.0;
            for (j, b) in d.buckets.iter().enumerate() {
                // Bounds written as decimals may differ from their neighbour's in the last digit.
                let ordered =
                    b.low_s >= last_high * (1.0 - 1e-9) && b.high_s >= b.low_s && b.high_s.is_finite();
                if !ordered {
                    return Err(format!(
                        "{key}.buckets[{j}]: [{}, {}) s; buckets are waits of 0 s or more, in increasing order, \
                         without overlap",
                        b.low_s, b.high_s
                    ));
                }
                last_high = b.high_s;
            }
        }
        Ok(())
    }
}
