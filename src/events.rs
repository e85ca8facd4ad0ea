//! Known or feared bad days (`[[events]]` in a scenario file): an outage that triples calls
//! for two hours, a launch day at 1.6 times the volume, agents pulled off the phones.
//!
//! An event has a window (a start clock time and a length, on some days), an optional linear
//! ramp at both ends, and any of: a volume factor (all call types or per call type), a
//! handle-time factor and agents unavailable per group. The engine works in intervals, so an
//! event's volume and handle-time factors are applied per interval, as their average over
//! the interval (exact when the window and ramps fall on interval boundaries).
//!
//! This module holds the validated description and the per-interval factors; the per-day
//! draws are in [`crate::bad_day`], the arrivals a volume factor adds or drops in
//! `sim::superposition`, the impact report in [`crate::risk`].

use crate::time::{ClockTime, DAY, IntervalGrid, Seconds, SimTime};

/// One validated event.
#[derive(Clone, Debug, PartialEq)]
pub struct DayEvent {
    /// Name shown in reports (`name`, default "event N").
    pub name: String,
    /// Clock time the window opens.
    pub start: ClockTime,
    /// Length of the window, positive, at most one week.
    pub length: Seconds,
    /// Days (from 1) the event happens on; `None` = every day.
    pub days: Option<Vec<usize>>,
    /// Linear rise from the start and fall to the end; `2 * ramp <= length`.
    pub ramp: Seconds,
    /// Volume factor per call type (1 = unchanged), positive.
    pub volume_factor: Vec<f64>,
    /// Factor on every handle time, positive (1 = unchanged).
    pub handle_time_factor: f64,
    /// Agents pulled off the phones per agent group during the window.
    pub agents_unavailable: Vec<u32>,
}

impl DayEvent {
    /// The windows `[open, close)` of the event over `grid`'s days, in simulation time. On a
    /// grid whose days run past midnight, a start in that early morning is in the night of the
    /// day that began the evening before ([`IntervalGrid::clock_on_day`]).
    pub fn windows(&self, grid: &IntervalGrid) -> Vec<(usize, SimTime, SimTime)> {
        (1..=grid.days())
            .filter(|d| self.days.as_ref().is_none_or(|days| days.contains(d)))
            .map(|d| {
                let open = (d as f64 - 1.0) * DAY + grid.clock_on_day(self.start);
                (d, open, open + self.length)
            })
            .collect()
    }

    /// How strongly the event acts at `t` in a window `[open, close)`: 1 inside, rising and
    /// falling linearly over `ramp` at both ends, 0 outside.
    pub fn strength(&self, open: SimTime, close: SimTime, t: SimTime) -> f64 {
        if t < open || t >= close {
            return 0.0;
        }
        if self.ramp <= 0.0 {
            return 1.0;
        }
        ((t - open) / self.ramp).min((close - t) / self.ramp).min(1.0)
    }

    /// Average strength of the window `[open, close)` over `[from, to)`.
    pub fn average_strength(&self, open: SimTime, close: SimTime, from: SimTime, to: SimTime) -> f64 {
        if close <= from || open >= to {
            return 0.0;
        }
        if self.ramp <= 0.0 {
            return (close.min(to) - open.max(from)) / (to - from);
        }
        // Midpoint rule: exact for ramps on interval boundaries (the strength is then
        // linear over each sub-step), within 1/SUB of a step otherwise.
        const SUB: usize = 64;
        let h = (to - from) / SUB as f64;
        (0..SUB).map(|k| self.strength(open, close, from + (k as f64 + 0.5) * h)).sum::<f64>() / SUB as f64
    }
}

/// The intervals of `grid` that `[open, close)` overlaps, found by bisection (the grid's
/// starts increase).
pub fn overlapping(grid: &IntervalGrid, open: SimTime, close: SimTime) -> std::ops::Range<usize> {
    let first_after = |t: SimTime, f: &dyn Fn(usize) -> SimTime| {
        let (mut lo, mut hi) = (0, grid.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if f(mid) <= t { lo = mid + 1 } else { hi = mid }
        }
        lo
    };
    let first = first_after(open, &|i| grid.end_of(i));
    let end = first_after(close - 1e-9, &|i| grid.start_of(i));
    first..end.max(first)
}

/// Per (interval, event window) multiplier `1 + (factor - 1) * average strength`, applied by
/// `apply` to every interval the event reaches.
fn for_each_interval(event: &DayEvent, grid: &IntervalGrid, mut apply: impl FnMut(usize, f64)) {
    for (_, open, close) in event.windows(grid) {
        for idx in overlapping(grid, open, close) {
            apply(idx, event.average_strength(open, close, grid.start_of(idx), grid.end_of(idx)));
        }
    }
}

/// Per (call type, interval), the product of every event's volume factor: `None` when no
/// event changes a volume. Laid out `interval * n_call_types + call_type`.
pub fn volume_factors(events: &[DayEvent], grid: &IntervalGrid, n_types: usize) -> Option<Vec<f64>> {
    if events.iter().all(|e| e.volume_factor.iter().all(|&f| f == 1.0)) {
        return None;
    }
    let mut out = vec![1.0; grid.len() * n_types];
    for event in events {
        for_each_interval(event, grid, |idx, strength| {
            for (ct, &f) in event.volume_factor.iter().enumerate() {
                out[idx * n_types + ct] *= 1.0 + (f - 1.0) * strength;
            }
        });
    }
    Some(out)
}

/// Fresh contacts offered over the horizon by `volumes` (per call type, one value per interval of
/// `grid`) with every event's volume factor applied: what a replication offers on average before
/// any forecast error, and what [`crate::limits::MAX_CONTACTS_PER_REPLICATION`] holds.
pub fn offered_contacts(volumes: &[&[f64]], events: &[DayEvent], grid: &IntervalGrid) -> f64 {
    let n_types = volumes.len();
    match volume_factors(events, grid, n_types) {
        None => volumes.iter().map(|v| v.iter().sum::<f64>()).sum(),
        Some(factors) => volumes
            .iter()
            .enumerate()
            .map(|(ct, v)| v.iter().enumerate().map(|(idx, x)| x * factors[idx * n_types + ct]).sum::<f64>())
            .sum(),
    }
}

/// Per interval, the product of every event's handle-time factor: `None` when no event
/// changes handle times.
pub fn handle_time_factors(events: &[DayEvent], grid: &IntervalGrid) -> Option<Vec<f64>> {
    if events.iter().all(|e| e.handle_time_factor == 1.0) {
        return None;
    }
    let mut out = vec![1.0; grid.len()];
    for event in events {
        for_each_interval(event, grid, |idx, strength| {
            out[idx] *= 1.0 + (event.handle_time_factor - 1.0) * strength;
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outage(ramp: Seconds) -> DayEvent {
        DayEvent {
            name: "outage".into(),
            start: ClockTime::parse("10:00").unwrap(),
            length: 7200.0,
            days: None,
            ramp,
            volume_factor: vec![3.0],
            handle_time_factor: 1.3,
            agents_unavailable: vec![0],
        }
    }

    #[test]
    fn an_aligned_window_multiplies_exactly_its_intervals() {
        let grid = IntervalGrid::new(ClockTime::parse("08:00").unwrap(), 1800.0, 24, 1).unwrap();
        let f = volume_factors(&[outage(0.0)], &grid, 1).unwrap();
        let expected: Vec<f64> = (0..24).map(|i| if (4..8).contains(&i) { 3.0 } else { 1.0 }).collect();
        assert_eq!(f, expected);
    }

    #[test]
    fn a_ramp_rises_and_falls_linearly() {
        let grid = IntervalGrid::new(ClockTime::parse("08:00").unwrap(), 1800.0, 24, 1).unwrap();
        let f = volume_factors(&[outage(3600.0)], &grid, 1).unwrap();
        // 10:00-10:30 averages a strength of 1/4, 10:30-11:00 of 3/4, and back down.
        for (i, s) in [(4, 0.25), (5, 0.75), (6, 0.75), (7, 0.25)] {
            assert!((f[i] - (1.0 + 2.0 * s)).abs() < 1e-12, "interval {i}: {}", f[i]);
        }
    }
}
