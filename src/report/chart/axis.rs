//! The x axis of the by-interval charts: a label per interval, the days, and whether the
//! centre closes overnight.

/// The x axis of a by-interval chart: one label per interval, and how many intervals make a
/// day, so labels on multi-day charts fall on the same clock times every day.
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalAxis {
    /// One label per interval, e.g. `08:30`, `day 2 08:30` or `Tue 08:30`.
    pub labels: Vec<String>,
    /// Clock time `HH:MM` of each interval (tick labels of multi-day charts).
    pub clock: Vec<String>,
    /// Name of each day (`day 2`, or `Tue` when the scenario names its first weekday).
    pub day_names: Vec<String>,
    /// Intervals per day (labels are chosen at divisors or multiples of it).
    pub per_day: usize,
    /// Whether the day's intervals leave closed time before the next day starts (08:00-20:00
    /// every day): lines then break at each day's end instead of running through the night.
    pub closed_overnight: bool,
    /// Axis title, e.g. `interval start (HH:MM)`.
    pub title: String,
}

use crate::time::day_name;

impl IntervalAxis {
    /// The axis of a grid: `HH:MM` labels, prefixed by `day N` when there are several days.
    ///
    /// `start` is the clock time of the first interval of each day (`HH:MM`); an unreadable
    /// start falls back to 00:00 so a chart is still drawn.
    pub fn from_grid(start: &str, interval_s: f64, per_day: usize, days: usize) -> IntervalAxis {
        IntervalAxis::from_grid_with_weekday(start, interval_s, per_day, days, None)
    }

    /// The axis of a run's grid, with weekday names when the scenario names its first weekday.
    pub fn of(g: &crate::summary::GridInfo) -> IntervalAxis {
        IntervalAxis::from_grid_with_weekday(&g.start, g.interval_s, g.per_day, g.days, g.first_weekday)
    }

    /// As [`from_grid`](Self::from_grid), with weekday names (`Mon 08:00`) when the first
    /// day's weekday is known (0 = Monday).
    pub fn from_grid_with_weekday(
        start: &str,
        interval_s: f64,
        per_day: usize,
        days: usize,
        first_weekday: Option<usize>,
    ) -> IntervalAxis {
        let first = crate::time::ClockTime::parse(start).map(|c| c.secs()).unwrap_or(0.0);
        let length = if interval_s.is_finite() && interval_s > 0.0 { interval_s } else { 0.0 };
        let mut labels = Vec::with_capacity(per_day * days);
        let mut clock = Vec::with_capacity(per_day * days);
        let day_names: Vec<String> = (1..=days).map(|d| day_name(d, first_weekday)).collect();
        for name in &day_names {
            for slot in 0..per_day {
                let time = crate::time::ClockTime::from_secs(first + slot as f64 * length).to_string();
                labels.push(if days > 1 { format!("{name} {time}") } else { time.clone() });
                clock.push(time);
            }
        }
        let closed_overnight = days > 1 && (per_day as f64) * length < 86_400.0 - 1e-6;
        // The days stand side by side: where the center closes overnight, the axis says the
        // night is left out rather than let 20:00 run into 08:00 as if they were adjacent.
        let title = match (days > 1, closed_overnight) {
            (true, true) => "interval start (day, HH:MM); the closed hours between days are left out",
            (true, false) => "interval start (day, HH:MM)",
            (false, _) => "interval start (HH:MM)",
        }
        .to_string();
        IntervalAxis { labels, clock, day_names, per_day: per_day.max(1), closed_overnight, title }
    }

    /// Number of intervals.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there is no interval.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Number of days.
    pub fn days(&self) -> usize {
        self.day_names.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_day_axis_labels_name_the_day() {
        let axis = IntervalAxis::from_grid("08:00", 1800.0, 4, 2);
        assert_eq!(
            axis.labels,
            [
                "day 1 08:00",
                "day 1 08:30",
                "day 1 09:00",
                "day 1 09:30",
                "day 2 08:00",
                "day 2 08:30",
                "day 2 09:00",
                "day 2 09:30"
            ]
        );
        let one = IntervalAxis::from_grid("23:30", 900.0, 3, 1);
        assert_eq!(one.labels, ["23:30", "23:45", "00:00"]);
    }
}
