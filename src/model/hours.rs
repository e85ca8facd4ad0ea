//! A call type's opening hours (`open = "08:00-20:00"`, or hours by weekday): the whole
//! intervals in which it takes contacts. Outside them its forecast is zero, and a caller who
//! calls back (a redial or a repeat) reaches it at its next opening, as one who calls back at
//! night reaches the center in the morning.

use std::fmt;

use crate::time::{ClockTime, DAY, IntervalGrid, weekday_run_name, weekday_runs};

/// One day's hours: from `from` to `to`; `to` before `from` crosses midnight (the hours then
/// run on into the next day).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct DayHours {
    pub from: ClockTime,
    pub to: ClockTime,
}

/// Opening hours as a scenario states them.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Hours {
    /// The same hours every day.
    Daily(DayHours),
    /// Each weekday's hours, Monday first; `None`: closed that day.
    Weekly([Option<DayHours>; 7]),
}

/// Why hours do not fit a grid: what is wrong and what is allowed, and the weekday whose
/// hours are at fault when the hours go by weekday.
#[derive(Clone, Debug, PartialEq)]
pub struct HoursError {
    pub weekday: Option<usize>,
    pub message: String,
}

/// Opening hours laid on a grid. Built only by [`OpenHours::new`], which checks them against
/// the grid, so a value always fits its grid.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenHours {
    hours: Hours,
    /// Whether each interval of one cycle is open: the intervals of a day for daily hours, of
    /// a week from Monday for hours by weekday.
    open: Vec<bool>,
    /// The cycle's interval at which the grid starts (a week's: its first weekday's first).
    phase: usize,
}

impl OpenHours {
    /// `hours` on `grid`: every time on an interval boundary within the grid's day; hours that
    /// cross midnight on a grid of 24 hours only (`00:00-24:00` is the whole day); hours by
    /// weekday on a grid whose first weekday is known, with at least one day open.
    ///
    /// # Errors
    /// What is wrong and what is allowed, naming the weekday at fault.
    pub fn new(hours: Hours, grid: &IntervalGrid) -> Result<OpenHours, HoursError> {
        let per_day = grid.per_day();
        let (days, phase) = match &hours {
            Hours::Daily(span) => (vec![Some(*span)], 0),
            Hours::Weekly(days) => {
                let Some(first_weekday) = grid.first_weekday() else {
                    return Err(HoursError {
                        weekday: None,
                        message: "hours by weekday need the scenario's `first_weekday` (which \
                                  weekday day 1 is), e.g. first_weekday = \"monday\"; or give the \
                                  same hours every day, \"08:00-20:00\""
                            .to_string(),
                    });
                };
                if days.iter().all(Option::is_none) {
                    return Err(HoursError {
                        weekday: None,
                        message: "every day is closed; give at least one day's hours, e.g. \
                                  { mon-fri = \"08:00-20:00\" }"
                            .to_string(),
                    });
                }
                (days.to_vec(), first_weekday * per_day)
            }
        };
        let cycle = days.len() * per_day;
        let mut open = vec![false; cycle];
        for (day, span) in days.iter().enumerate() {
            let Some(span) = span else { continue };
            let weekday = matches!(hours, Hours::Weekly(_)).then_some(day);
            let (first, count) = slots(*span, grid).map_err(|message| HoursError { weekday, message })?;
            for k in 0..count {
                open[(day * per_day + first + k) % cycle] = true;
            }
        }
        Ok(OpenHours { hours, open, phase })
    }

    /// The hours as the scenario states them.
    pub fn hours(&self) -> &Hours {
        &self.hours
    }

    /// Whether interval `idx` of the grid is within the hours.
    #[inline]
    pub fn is_open(&self, idx: usize) -> bool {
        self.open[(idx + self.phase) % self.open.len()]
    }

    /// The first interval from `idx` on (itself included) within the hours, if one is before
    /// `len`.
    pub fn next_open(&self, idx: usize, len: usize) -> Option<usize> {
        // The hours repeat every cycle, and a cycle holds an open interval.
        (idx..len.min(idx + self.open.len())).find(|&i| self.is_open(i))
    }

    /// Hours by weekday as runs of days in a row with the same hours, Monday first: (first
    /// weekday, last weekday, the hours or `None` when closed). Empty for daily hours.
    pub fn weekday_runs(&self) -> Vec<(usize, usize, Option<DayHours>)> {
        match &self.hours {
            Hours::Weekly(days) => weekday_runs(days),
            Hours::Daily(_) => Vec::new(),
        }
    }
}

/// The first interval of `span` counted from the grid's start of day, and how many intervals
/// in a row it covers (running on past the day's last interval into the next day's only when
/// the grid's day covers 24 hours).
fn slots(span: DayHours, grid: &IntervalGrid) -> Result<(usize, usize), String> {
    let DayHours { from, to } = span;
    let (length, per_day) = (grid.length(), grid.per_day());
    let day_span = per_day as f64 * length;
    let whole_day = (day_span - DAY).abs() < 1e-6;
    let day_end = ClockTime::from_secs(grid.start().secs() + day_span);
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
        } else if offset < 0.0 {
            // A clock time before the day's start is the next morning's: on a grid whose day
            // runs past midnight (23:00 to 01:00) it is the grid's day still; on one that does
            // not, it falls past the day's end and is refused below.
            offset += DAY;
        }
        let n = offset / length;
        if offset < -1e-6 || offset > day_span + 1e-6 {
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
    Ok((first % per_day, count))
}

impl fmt::Display for DayHours {
    /// As the scenario writes it: `08:00-20:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.to.secs() >= DAY {
            write!(f, "{}-24:00", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

impl fmt::Display for OpenHours {
    /// `08:00-20:00`; by weekday `Mon-Fri 08:00-20:00, Sat 09:00-13:00, Sun closed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Hours::Daily(span) = &self.hours {
            return write!(f, "{span}");
        }
        let runs: Vec<String> = (self.weekday_runs().into_iter())
            .map(|(first, last, span)| {
                let hours = span.map_or_else(|| "closed".to_string(), |s| s.to_string());
                format!("{} {hours}", weekday_run_name(first, last))
            })
            .collect();
        write!(f, "{}", runs.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(text: &str) -> ClockTime {
        ClockTime::parse(text).unwrap()
    }

    fn day(from: &str, to: &str) -> DayHours {
        DayHours { from: clock(from), to: clock(to) }
    }

    fn hours(from: &str, to: &str, grid: &IntervalGrid) -> Result<OpenHours, String> {
        OpenHours::new(Hours::Daily(day(from, to)), grid).map_err(|e| e.message)
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
        // A day from 23:00 to 01:00: 00:30 is in it, after midnight.
        let late = IntervalGrid::new(ClockTime::parse("23:00").unwrap(), 1800.0, 4, 1).unwrap();
        let h = hours("23:30", "00:30", &late).unwrap();
        assert_eq!((0..4).map(|i| h.is_open(i)).collect::<Vec<_>>(), [false, true, true, false]);
        let outside = hours("23:00", "02:00", &late).unwrap_err();
        assert!(outside.contains("02:00 is outside the grid's day, 23:00-01:00"), "{outside}");
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

    #[test]
    fn hours_by_weekday_follow_the_grids_weekdays_and_cross_into_the_next_day() {
        // Three days of hourly intervals from a Friday.
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 3600.0, 24, 3).unwrap().with_first_weekday(Some(4));
        let mut days = [None; 7];
        days[4] = Some(day("20:00", "02:00")); // Friday evening into Saturday night
        days[5] = Some(day("10:00", "12:00"));
        days[6] = Some(day("10:00", "12:00"));
        let h = OpenHours::new(Hours::Weekly(days), &grid).unwrap();
        let open: Vec<usize> = (0..72).filter(|&i| h.is_open(i)).collect();
        assert_eq!(open, [20, 21, 22, 23, 24, 25, 34, 35, 58, 59]);
        assert_eq!(h.next_open(26, 72), Some(34));
        assert_eq!(h.next_open(60, 72), None);
        assert_eq!(h.to_string(), "Mon-Thu closed, Fri 20:00-02:00, Sat-Sun 10:00-12:00");
        assert_eq!(h.weekday_runs().len(), 3);
        // Sunday's hours across midnight run into Monday, the start of the week's cycle.
        let mut sunday = [None; 7];
        sunday[6] = Some(day("23:00", "01:00"));
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 3600.0, 24, 2).unwrap().with_first_weekday(Some(6));
        let h = OpenHours::new(Hours::Weekly(sunday), &grid).unwrap();
        assert_eq!((0..48).filter(|&i| h.is_open(i)).collect::<Vec<_>>(), [23, 24]);
    }

    #[test]
    fn hours_by_weekday_need_the_first_weekday_an_open_day_and_name_the_day_at_fault() {
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 1800.0, 48, 7).unwrap();
        let mut days = [None; 7];
        days[2] = Some(day("08:00", "12:00"));
        let unknown = OpenHours::new(Hours::Weekly(days), &grid).unwrap_err();
        assert!(unknown.message.contains("need the scenario's `first_weekday`"), "{unknown:?}");
        let grid = grid.with_first_weekday(Some(0));
        let closed = OpenHours::new(Hours::Weekly([None; 7]), &grid).unwrap_err();
        assert!(closed.message.contains("every day is closed"), "{closed:?}");
        days[5] = Some(day("08:10", "12:00"));
        let wrong = OpenHours::new(Hours::Weekly(days), &grid).unwrap_err();
        assert_eq!(wrong.weekday, Some(5));
        assert!(wrong.message.contains("08:10 is not the start of an interval"), "{wrong:?}");
    }
}
