//! A call type's opening hours (`open = "08:00-20:00"`): the whole intervals of each day in
//! which it takes contacts. Outside them its forecast is zero, and a caller who calls back
//! (a redial or a repeat) reaches it at its next opening, as one who calls back at night
//! reaches the center in the morning.

use std::fmt;

use crate::time::{ClockTime, DAY, IntervalGrid};

/// The same hours every day, as a run of the grid's intervals of one day. Built only by
/// [`OpenHours::new`], which checks them against the grid, so a value always fits its grid.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct OpenHours {
    from: ClockTime,
    to: ClockTime,
    /// The day's first open interval, counted from the grid's start of day.
    first: usize,
    /// Open intervals in a row from `first`, running on past the day's last interval into its
    /// first only when the grid's day covers 24 hours.
    count: usize,
    per_day: usize,
}

impl OpenHours {
    /// The hours from `from` to `to` on `grid`: both on interval boundaries, within the grid's
    /// day; `to` before `from` crosses midnight (a grid of 24 hours only); `00:00-24:00` is
    /// the whole day.
    ///
    /// # Errors
    /// A message saying what is wrong and what is allowed.
    pub fn new(from: ClockTime, to: ClockTime, grid: &IntervalGrid) -> Result<OpenHours, String> {
        let (length, per_day) = (grid.length(), grid.per_day());
        let span = per_day as f64 * length;
        let whole_day = (span - DAY).abs() < 1e-6;
        let day_end = ClockTime::from_secs(grid.start().secs() + span);
        let within = if whole_day {
            "a day of 24 hours".to_string()
        } else {
            format!("the grid's day, {}-{}", grid.start(), day_end)
        };
        if from == to {
            return Err(format!(
                "opens and closes at {from}; give the hours it takes contacts, e.g. \"08:00-20:00\" \
                 (\"00:00-24:00\" for the whole day)"
            ));
        }
        // Seconds after the grid's start of day, and the interval that starts there.
        let slot = |t: ClockTime| -> Result<usize, String> {
            let mut offset = t.secs() - grid.start().secs();
            if whole_day {
                offset = offset.rem_euclid(DAY);
            }
            let n = offset / length;
            if offset < -1e-6 || offset > span + 1e-6 {
                return Err(format!("{t} is outside {within}; open hours lie within it"));
            }
            if (n - n.round()).abs() > 1e-6 {
                return Err(format!(
                    "{t} is not the start of an interval (intervals of {} from {}); open hours go \
                     by whole intervals",
                    crate::time::format_duration(length),
                    grid.start()
                ));
            }
            Ok(n.round() as usize)
        };
        let (first, last) = (slot(from)?, slot(to)?);
        let count = if whole_day {
            match (last + per_day - first) % per_day {
                0 => per_day,
                n => n,
            }
        } else if last > first {
            last - first
        } else {
            return Err(format!(
                "closes at {to}, before it opens at {from}; hours that cross midnight need a grid \
                 of 24 hours, and this one is {within}"
            ));
        };
        Ok(OpenHours { from, to, first: first % per_day, count, per_day })
    }

    /// Whether interval `idx` of the grid (any day) is within the hours.
    #[inline]
    pub fn is_open(&self, idx: usize) -> bool {
        let slot = idx % self.per_day;
        (slot + self.per_day - self.first) % self.per_day < self.count
    }

    /// The first interval from `idx` on (itself included) within the hours, if one is before
    /// `len`.
    pub fn next_open(&self, idx: usize, len: usize) -> Option<usize> {
        // The hours repeat every day, so a day's worth of intervals holds an open one.
        (idx..len.min(idx + self.per_day)).find(|&i| self.is_open(i))
    }
}

impl fmt::Display for OpenHours {
    /// As the scenario writes it: `08:00-20:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.to.secs() >= DAY {
            write!(f, "{}-24:00", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(text: &str) -> ClockTime {
        ClockTime::parse(text).unwrap()
    }

    fn hours(from: &str, to: &str, grid: &IntervalGrid) -> Result<OpenHours, String> {
        OpenHours::new(clock(from), clock(to), grid)
    }

    #[test]
    fn open_intervals_are_the_whole_intervals_between_the_two_times() {
        let day = IntervalGrid::new(ClockTime::MIDNIGHT, 1800.0, 48, 2).unwrap();
        let h = hours("08:00", "20:00", &day).unwrap();
        let open: Vec<usize> = (0..96).filter(|&i| h.is_open(i)).collect();
        let expected: Vec<usize> = (16..40).chain(64..88).collect();
        assert_eq!(open, expected);
        assert_eq!(h.next_open(40, 96), Some(64));
        assert_eq!(h.next_open(20, 96), Some(20));
        assert_eq!(h.next_open(88, 96), None);
        assert_eq!(h.to_string(), "08:00-20:00");
    }

    #[test]
    fn hours_across_midnight_and_the_whole_day_on_a_24_hour_grid() {
        let day = IntervalGrid::new(ClockTime::MIDNIGHT, 3600.0, 24, 1).unwrap();
        let night = hours("22:00", "02:00", &day).unwrap();
        let open: Vec<usize> = (0..24).filter(|&i| night.is_open(i)).collect();
        assert_eq!(open, [0, 1, 22, 23]);
        let all = hours("00:00", "24:00", &day).unwrap();
        assert!((0..24).all(|i| all.is_open(i)));
        assert_eq!(all.to_string(), "00:00-24:00");
        let to_midnight = hours("08:00", "00:00", &day).unwrap();
        assert_eq!((0..24).filter(|&i| to_midnight.is_open(i)).count(), 16);
    }

    #[test]
    fn a_grid_shorter_than_a_day_counts_from_its_own_start() {
        // 07:00-22:00 in 15 minutes.
        let grid = IntervalGrid::new(clock("07:00"), 900.0, 60, 1).unwrap();
        let h = hours("08:00", "22:00", &grid).unwrap();
        assert_eq!((0..60).filter(|&i| h.is_open(i)).count(), 56);
        assert!(!h.is_open(3) && h.is_open(4));
        let outside = hours("06:00", "20:00", &grid).unwrap_err();
        assert!(outside.contains("06:00 is outside the grid's day, 07:00-22:00"), "{outside}");
        let crossing = hours("20:00", "08:00", &grid).unwrap_err();
        assert!(crossing.contains("need a grid of 24 hours"), "{crossing}");
    }

    #[test]
    fn times_between_interval_starts_and_empty_hours_are_refused() {
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 1800.0, 48, 1).unwrap();
        let between = hours("08:10", "20:00", &grid).unwrap_err();
        assert!(
            between.contains("08:10 is not the start of an interval (intervals of 30m from 00:00)"),
            "{between}"
        );
        let empty = hours("08:00", "08:00", &grid).unwrap_err();
        assert!(empty.contains("opens and closes at 08:00"), "{empty}");
    }
}
