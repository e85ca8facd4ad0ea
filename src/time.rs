//! Time in ccsim: durations and instants in seconds, clock times, and the interval grid.
//!
//! Units live in type aliases (as hyperfine does with `Second`), so every signature says what
//! a number means without wrapping the engine's arithmetic in newtypes. An instant
//! ([`SimTime`]) counts seconds from midnight at the start of day 1 of a scenario; a clock time
//! ([`ClockTime`]) counts seconds from any midnight.

use std::fmt;

/// A length of time in seconds.
pub type Seconds = f64;
/// An instant in seconds since midnight at the start of the scenario's first day.
pub type SimTime = f64;
/// Offered load in Erlangs (arrival rate x mean handle time).
pub type Erlangs = f64;

/// Seconds in one day.
pub const DAY: Seconds = 86_400.0;

/// What a duration string may look like; shown in every duration error.
pub const DURATION_HELP: &str = "a duration like 20s, 3m, 1h30m, 1.5h or a plain number of seconds";
/// What a clock time may look like; shown in every clock-time error.
pub const CLOCK_HELP: &str = "a clock time HH:MM between 00:00 and 24:00";

/// Parses `20s`, `3m`, `1h30m`, `1.5h`, `90` (seconds) into seconds.
///
/// Units are `d` (days, for email targets), `h`, `m` (or `min`), `s`; parts may be combined
/// largest first. Numbers may be
/// written in scientific notation (`1e-3s`). Negative values are rejected here; whether zero
/// is allowed is the caller's decision.
///
/// # Errors
/// A message that says what was wrong, without the field name (the caller adds it).
pub fn parse_duration(text: &str) -> Result<Seconds, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err(format!("empty duration; expected {DURATION_HELP}"));
    }
    if let Ok(v) = s.parse::<f64>() {
        return check_duration(v, text);
    }
    // "-1s" or "-2m": a negative duration, said so rather than "not a duration".
    if s.starts_with('-') && parse_duration(&s[1..]).is_ok_and(|v| v > 0.0) {
        return Err(format!("\"{text}\" is negative; expected {DURATION_HELP}"));
    }
    let mut total = 0.0;
    let mut rest = s;
    let mut last_rank = u8::MAX;
    while !rest.is_empty() {
        let num_len = number_len(rest);
        if num_len == rest.len() {
            return Err(format!(
                "\"{text}\" has a number without a unit at the end; expected {DURATION_HELP}"
            ));
        }
        if num_len == 0 {
            return Err(format!("\"{text}\" is not a duration; expected {DURATION_HELP}"));
        }
        let value: f64 = rest[..num_len]
            .parse()
            .map_err(|_| format!("\"{text}\" is not a duration; expected {DURATION_HELP}"))?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let (factor, rank) = match rest[..unit_len].trim() {
            "d" | "day" | "days" => (86_400.0, 4),
            "h" | "hr" | "hrs" | "hour" | "hours" => (3600.0, 3),
            "m" | "min" | "mins" | "minute" | "minutes" => (60.0, 2),
            "s" | "sec" | "secs" | "second" | "seconds" => (1.0, 1),
            unit => {
                return Err(format!(
                    "\"{text}\" has unknown unit \"{unit}\"; allowed units are d, h, m and s, also written \
                     day(s), hr(s) or hour(s), min(s) or minute(s), sec(s) or second(s) ({DURATION_HELP})"
                ));
            }
        };
        if rank >= last_rank {
            return Err(format!(
                "\"{text}\" repeats a unit or lists them out of order; expected {DURATION_HELP}"
            ));
        }
        last_rank = rank;
        total += value * factor;
        rest = &rest[unit_len..];
    }
    check_duration(total, text)
}

/// Length of the number at the start of `s`: digits and dots, then an exponent (`e-6`, `E3`)
/// when digits follow it, so that `1e-6s` is a number and a unit.
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = b.iter().take_while(|c| c.is_ascii_digit() || **c == b'.').count();
    if n > 0 && matches!(b.get(n), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(n + 1), Some(b'+' | b'-')));
        let digits = b[(n + 1 + sign).min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            n += 1 + sign + digits;
        }
    }
    n
}

/// Checks a duration of `v` seconds, written `text`: finite, 0 or more, and at most
/// [`MAX_ANY_DURATION`](crate::limits::MAX_ANY_DURATION).
///
/// # Errors
/// A message quoting `text` and saying what a duration may be.
pub fn check_duration(v: f64, text: &str) -> Result<Seconds, String> {
    use crate::limits::MAX_ANY_DURATION;
    if !v.is_finite() {
        Err(format!("\"{text}\" is not a finite duration; expected {DURATION_HELP}"))
    } else if v < 0.0 {
        Err(format!("\"{text}\" is negative; expected {DURATION_HELP}"))
    } else if v > MAX_ANY_DURATION {
        Err(format!(
            "\"{text}\" is longer than the cap of {} days (MAX_ANY_DURATION); a duration is at most \
             {}d, or {} seconds",
            MAX_ANY_DURATION / 86_400.0,
            MAX_ANY_DURATION / 86_400.0,
            MAX_ANY_DURATION
        ))
    } else {
        Ok(v)
    }
}

/// Shortest handle time written as a plain number that is taken without a warning: a mean
/// handle time of seconds is more likely minutes written without their unit.
pub const SHORTEST_PLAIN_HANDLE_TIME: Seconds = 10.0;
/// Shortest mean patience written as a plain number that is taken without a warning: callers
/// wait seconds to minutes, and `mean = 2` meant as two minutes is read as 2 s, so nearly every
/// caller hangs up.
pub const SHORTEST_PLAIN_PATIENCE: Seconds = 10.0;
/// Shortest interval written as a plain number that is taken without a warning: planning
/// intervals are 15 minutes to an hour, and `30` meant as half an hour is read as 30 seconds.
pub const SHORTEST_PLAIN_INTERVAL: Seconds = 300.0;
/// Shortest break written as a plain number that is taken without a warning: breaks last
/// minutes, and a lunch written `12:30+60` is read as one minute.
pub const SHORTEST_PLAIN_BREAK: Seconds = 300.0;

/// What to say of a duration written as a plain number (`secs` seconds) that is shorter than
/// `shortest` for `what` (e.g. "a mean handle time"): how it was read and how to write what was
/// likely meant. `None` when it is not shorter, or not above 0 (which has its own error).
pub fn short_plain_seconds(secs: Seconds, what: &str, shortest: Seconds) -> Option<String> {
    short_plain(secs, what, shortest, ("m", "minutes"))
}

/// Shortest callback `retry_after` written as a plain number that is taken without a warning:
/// a missed customer is called again minutes or hours later, and `retry_after = 10` meant as
/// ten minutes is read as 10 seconds.
pub const SHORTEST_PLAIN_RETRY_AFTER: Seconds = 60.0;

/// Shortest email answer-time target written as a plain number that is taken without a
/// warning: email targets are hours or days, and `target = 12` meant as twelve hours is read
/// as 12 seconds, which almost no email meets.
pub const SHORTEST_PLAIN_EMAIL_TARGET: Seconds = 60.0;

/// [`short_plain_seconds`] for a duration usually written in hours (an email target): the
/// advice is `"12h"`.
pub fn short_plain_hours(secs: Seconds, what: &str, shortest: Seconds) -> Option<String> {
    short_plain(secs, what, shortest, ("h", "hours"))
}

fn short_plain(secs: Seconds, what: &str, shortest: Seconds, (unit, words): (&str, &str)) -> Option<String> {
    (secs > 0.0 && secs < shortest).then(|| {
        let secs = crate::error::quoted_number(secs);
        format!(
            "{secs} is read as {secs} s (a plain number is seconds), short for {what}; write \"{secs}{unit}\" \
             for {secs} {words}, or \"{secs}s\" to keep {secs} seconds without this warning"
        )
    })
}

/// Formats seconds the way people write them: `45s`, `3m`, `1h30m`, `2.5s`.
pub fn format_duration(secs: Seconds) -> String {
    if !secs.is_finite() {
        return "inf".to_string();
    }
    if secs.fract() != 0.0 || secs < 60.0 {
        // Exponent form for a duration below a microsecond, not hundreds of digits.
        return format!("{}s", crate::error::quoted_number(secs));
    }
    let total = secs as u64;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    let mut out = String::new();
    if h > 0 {
        out += &format!("{h}h");
    }
    if m > 0 {
        out += &format!("{m}m");
    }
    if s > 0 {
        out += &format!("{s}s");
    }
    out
}

/// Whether `secs` is a whole number of minutes, as every duration that places something at a
/// clock time must be (an interval, a shift template's step and break window): clock times are
/// `HH:MM`, so a time between two minutes could not be written in a plan, nor read back.
pub fn is_whole_minutes(secs: Seconds) -> bool {
    secs % 60.0 == 0.0
}

/// A time of day, in seconds after midnight, from 00:00 to 24:00 inclusive.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u32);

impl ClockTime {
    /// Midnight at the start of a day.
    pub const MIDNIGHT: ClockTime = ClockTime(0);

    /// Parses `HH:MM` (or `H:MM`), from `00:00` to `24:00`: the one form of a clock time in
    /// every scenario, plan and forecast file.
    ///
    /// Seconds are refused, `08:00:00` included: a time such as `08:00:30` would start a shift
    /// 30 s late without a word, and every clock time a file sets, and every interval start
    /// (intervals are whole minutes), falls on a minute.
    ///
    /// # Errors
    /// A message naming the text and the allowed form.
    pub fn parse(text: &str) -> Result<ClockTime, String> {
        let bad = || match clock_written_otherwise(text) {
            Some(fix) => format!("\"{text}\" is not a clock time; expected {CLOCK_HELP} (write \"{fix}\")"),
            None => format!("\"{text}\" is not a clock time; expected {CLOCK_HELP}"),
        };
        let digits = |p: &str, lengths: std::ops::RangeInclusive<usize>| {
            lengths.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        let parts: Vec<&str> = text.trim().split(':').collect();
        let (h, m) = match parts[..] {
            [h, m] | [h, m, _] if digits(h, 1..=2) && digits(m, 2..=2) => {
                (h.parse::<u32>().map_err(|_| bad())?, m.parse::<u32>().map_err(|_| bad())?)
            }
            _ => return Err(bad()),
        };
        if m >= 60 || h > 24 || (h == 24 && m > 0) {
            return Err(bad());
        }
        if let [_, _, secs] = parts[..] {
            let fix = if digits(secs, 2..=2) && secs == "00" {
                format!("write \"{h:02}:{m:02}\"")
            } else {
                "clock times are whole minutes".to_string()
            };
            return Err(format!("\"{text}\" has seconds; expected {CLOCK_HELP} ({fix})"));
        }
        Ok(ClockTime(h * 3600 + m * 60))
    }

    /// Builds a clock time from seconds after midnight (wrapped into one day).
    pub fn from_secs(secs: Seconds) -> ClockTime {
        ClockTime((secs.rem_euclid(DAY)).round() as u32 % 86_400)
    }

    /// Seconds after midnight.
    pub fn secs(self) -> Seconds {
        f64::from(self.0)
    }
}

/// The `HH:MM` a clock time written another common way means (`0800`, `8.00`, `8`, `8am`,
/// `1:30 PM`), to suggest, never to read: a file says what it means in one form.
pub fn clock_written_otherwise(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let (time, half) = match lower.strip_suffix("am").or_else(|| lower.strip_suffix("a.m.")) {
        Some(t) => (t.trim_end(), Some(0)),
        None => match lower.strip_suffix("pm").or_else(|| lower.strip_suffix("p.m.")) {
            Some(t) => (t.trim_end(), Some(12)),
            None => (lower.as_str(), None),
        },
    };
    let number = |p: &str, lengths: std::ops::RangeInclusive<usize>| {
        (lengths.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())?
    };
    let (h, m) = match time.split_once([':', '.', 'h']) {
        Some((h, m)) => (number(h, 1..=2)?, number(m, 2..=2)?),
        // `0800` or `830`; a lone hour (`8`, `17`) only as a whole hour.
        None if time.len() >= 3 => {
            (number(&time[..time.len() - 2], 1..=2)?, number(&time[time.len() - 2..], 2..=2)?)
        }
        None => (number(time, 1..=2)?, 0),
    };
    let h = match half {
        Some(add) if (1..=12).contains(&h) => h % 12 + add,
        Some(_) => return None,
        None => h,
    };
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then(|| format!("{h:02}:{m:02}"))
}

impl fmt::Display for ClockTime {
    /// `HH:MM`, or `HH:MM:SS` when the seconds are not zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, (self.0 % 3600) / 60, self.0 % 60);
        if s == 0 { write!(f, "{h:02}:{m:02}") } else { write!(f, "{h:02}:{m:02}:{s:02}") }
    }
}

/// The weekdays' English names, Monday (weekday 0) first.
pub const WEEKDAY_NAMES: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// A week's values (Monday first) as runs of weekdays in a row with equal values: (first
/// weekday, last weekday, value).
pub fn weekday_runs<T: Copy + PartialEq>(week: &[T; 7]) -> Vec<(usize, usize, T)> {
    let mut runs: Vec<(usize, usize, T)> = Vec::new();
    for (day, &value) in week.iter().enumerate() {
        match runs.last_mut() {
            Some(run) if run.2 == value => run.1 = day,
            _ => runs.push((day, day, value)),
        }
    }
    runs
}

/// The short name of a run of weekdays: `Mon`, `Mon-Fri`.
pub fn weekday_run_name(first: usize, last: usize) -> String {
    let short = |d: usize| &WEEKDAY_NAMES[d][..3];
    if first == last { short(first).to_string() } else { format!("{}-{}", short(first), short(last)) }
}

/// The weekday (0 = Monday) of a name: whole (`monday`) or its first three letters (`mon`), any
/// case, blanks around it ignored.
pub fn parse_weekday(name: &str) -> Option<usize> {
    let name = name.trim();
    WEEKDAY_NAMES.iter().position(|w| w.eq_ignore_ascii_case(name) || w[..3].eq_ignore_ascii_case(name))
}

/// The weekdays (0 = Monday) a name of [`weekday_run_name`]'s kind gives: one (`mon`, `monday`, any case) or a run of them
/// (`mon-fri`, `sat-sun`; `fri-mon` runs on through the weekend). `None` for anything else.
pub fn parse_weekday_run(text: &str) -> Option<Vec<usize>> {
    let (first, last) = match text.split_once('-') {
        Some((first, last)) => (parse_weekday(first)?, parse_weekday(last)?),
        None => parse_weekday(text).map(|d| (d, d))?,
    };
    Some((0..7).map(|k| (first + k) % 7).take((last + 7 - first) % 7 + 1).collect())
}

/// The short name of day `day` (from 1), as chart axes and a week's table rows name it: its
/// weekday, `Tue`, when the weekday of day 1 is known (0 = Monday), else `day 2`.
pub fn day_name(day: usize, first_weekday: Option<usize>) -> String {
    match first_weekday {
        Some(first) => WEEKDAY_NAMES[(first + day.saturating_sub(1)) % 7][..3].to_string(),
        None => format!("day {day}"),
    }
}

/// How titles and tables name day `day` (from 1), keeping its number: `Tue (day 2)` when the
/// weekday of day 1 is known, else `day 2`.
pub fn day_title(day: usize, first_weekday: Option<usize>) -> String {
    match first_weekday {
        Some(_) => format!("{} (day {day})", day_name(day, first_weekday)),
        None => format!("day {day}"),
    }
}

/// How tables name the interval that starts at `start` on day `day` (from 1) of `days`: `08:30`
/// in a one-day scenario, else `day 2 08:30`; when the weekday of day 1 is known, `Tue 08:30`
/// within a week and `Tue (day 9) 08:30` in a longer scenario, where a weekday comes back.
pub fn interval_label(day: usize, start: &str, days: usize, first_weekday: Option<usize>) -> String {
    match days {
        1 => start.to_string(),
        2..=7 => format!("{} {start}", day_name(day, first_weekday)),
        _ => format!("{} {start}", day_title(day, first_weekday)),
    }
}

/// The scenario's planning intervals: `per_day` intervals of `length` seconds each day from the
/// clock time `start`, repeated for `days` days. Interval `idx` counts across days
/// (`idx = day_idx * per_day + slot`).
///
/// Invariants (checked by [`IntervalGrid::new`]): `length > 0`, `per_day >= 1`, `days >= 1`,
/// and one day's intervals fit in 24 hours, so day `d` never overlaps day `d + 1`.
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalGrid {
    start: ClockTime,
    length: Seconds,
    per_day: usize,
    days: usize,
    first_weekday: Option<usize>,
}

impl IntervalGrid {
    /// # Errors
    /// A message when a day's intervals exceed 24 hours or a count is zero.
    pub fn new(
        start: ClockTime,
        length: Seconds,
        per_day: usize,
        days: usize,
    ) -> Result<IntervalGrid, String> {
        if length.is_nan() || length <= 0.0 {
            return Err(format!("interval length must be positive, got {length}s"));
        }
        if per_day == 0 || days == 0 {
            return Err("a scenario needs at least one interval and one day".to_string());
        }
        if per_day as f64 * length > DAY + 1e-9 {
            return Err(format!(
                "{per_day} intervals of {} make {:.1} hours, more than one day",
                format_duration(length),
                per_day as f64 * length / 3600.0
            ));
        }
        Ok(IntervalGrid { start, length, per_day, days, first_weekday: None })
    }

    /// The same grid with day 1 on a known weekday (0 = Monday): only labels use it.
    pub fn with_first_weekday(self, first_weekday: Option<usize>) -> IntervalGrid {
        IntervalGrid { first_weekday: first_weekday.map(|d| d % 7), ..self }
    }

    /// Weekday of day 1 (0 = Monday), when the scenario names it.
    pub fn first_weekday(&self) -> Option<usize> {
        self.first_weekday
    }

    /// How tables name interval `idx` ([`interval_label`]).
    pub fn label(&self, idx: usize) -> String {
        interval_label(self.day_of(idx), &self.clock_of(idx).to_string(), self.days, self.first_weekday)
    }

    /// Clock time of the first interval of every day.
    pub fn start(&self) -> ClockTime {
        self.start
    }
    /// The clock times the center opens and closes every day, for messages about times that
    /// fall outside them (`09:00–11:00`).
    pub fn open_hours(&self) -> String {
        format!("{}–{}", self.start, ClockTime::from_secs(self.end_of(self.per_day - 1)))
    }
    /// Length of every interval.
    pub fn length(&self) -> Seconds {
        self.length
    }
    /// Intervals per day.
    pub fn per_day(&self) -> usize {
        self.per_day
    }
    /// Number of days.
    pub fn days(&self) -> usize {
        self.days
    }
    /// Intervals over all days.
    pub fn len(&self) -> usize {
        self.per_day * self.days
    }
    /// Always false: a grid has at least one interval.
    pub fn is_empty(&self) -> bool {
        false
    }
    /// Instant at which interval `idx` starts.
    pub fn start_of(&self, idx: usize) -> SimTime {
        let (day, slot) = (idx / self.per_day, idx % self.per_day);
        day as f64 * DAY + self.start.secs() + slot as f64 * self.length
    }
    /// Instant at which interval `idx` ends.
    pub fn end_of(&self, idx: usize) -> SimTime {
        self.start_of(idx) + self.length
    }
    /// End of the last interval: arrivals stop here.
    pub fn horizon(&self) -> SimTime {
        self.end_of(self.len() - 1)
    }
    /// How far a day's intervals run past midnight (0 when they end by it): on a grid from
    /// 23:00 of two hours, the first hour of the next calendar day belongs to the day that
    /// began at 23:00.
    pub fn past_midnight(&self) -> Seconds {
        (self.start.secs() + self.per_day as f64 * self.length - DAY).max(0.0)
    }
    /// When clock time `clock` falls on each grid day, from the start of its calendar day:
    /// a time in the part of the morning the grid's days run into ([`Self::past_midnight`])
    /// belongs to the day that began the evening before, so it is a day later. The rule for
    /// shifts, events and lines outages alike (`01:00` on day 1 of a grid from 22:00 is the
    /// night after day 1's evening).
    pub fn clock_on_day(&self, clock: ClockTime) -> Seconds {
        let after_midnight = if clock.secs() < self.past_midnight() { DAY } else { 0.0 };
        clock.secs() + after_midnight
    }
    /// The interval that contains instant `t`, if any (days may have closed hours). Days are
    /// counted from the grid's start clock, not from midnight, so a day's intervals past
    /// midnight are its own.
    pub fn index_at(&self, t: SimTime) -> Option<usize> {
        // Both subtractions are exact (whole seconds taken from `t` leave a smaller multiple
        // of its unit in the last place), so their order changes no value.
        let since_start = t - self.start.secs();
        if since_start < 0.0 {
            return None;
        }
        let day = (since_start / DAY).floor();
        let within = since_start - day * DAY;
        let day = day as usize;
        if day >= self.days {
            return None;
        }
        let slot = (within / self.length).floor() as usize;
        (slot < self.per_day).then_some(day * self.per_day + slot)
    }
    /// The first interval starting at or after `t`, if any.
    pub fn next_open(&self, t: SimTime) -> Option<usize> {
        if t <= self.start_of(0) {
            return Some(0);
        }
        let since_start = t - self.start.secs();
        let day = (since_start / DAY).floor();
        let within = since_start - day * DAY;
        let first_of_day = day as usize * self.per_day;
        let idx = if within <= 0.0 {
            first_of_day
        } else {
            let slot = (within / self.length).ceil() as usize;
            if slot >= self.per_day { first_of_day + self.per_day } else { first_of_day + slot }
        };
        (idx < self.len()).then_some(idx)
    }
    /// Day number, counted from 1, of instant `t`: the day whose hours it falls in, or, in the
    /// hours closed between two days, the day opening next. An instant in the morning a day
    /// runs into is that day's (01:00 on nights from 22:00 to 02:00 is day 1's), and on a grid
    /// that ends by midnight a day is the calendar day. Before the grid's start, day 1.
    pub fn day_at(&self, t: SimTime) -> usize {
        ((t - self.past_midnight()) / DAY).floor().max(0.0) as usize + 1
    }
    /// Day number, counted from 1, of interval `idx`.
    pub fn day_of(&self, idx: usize) -> usize {
        idx / self.per_day + 1
    }
    /// Clock time at which interval `idx` starts.
    pub fn clock_of(&self, idx: usize) -> ClockTime {
        ClockTime::from_secs(self.start_of(idx))
    }
    /// Expands a per-day list (`per_day` values) or a whole-horizon list (`len()` values) to
    /// the whole horizon. Returns `None` for any other length.
    pub fn expand<T: Clone>(&self, values: &[T]) -> Option<Vec<T>> {
        if values.len() == self.len() {
            Some(values.to_vec())
        } else if values.len() == self.per_day {
            Some(values.iter().cloned().cycle().take(self.len()).collect())
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_are_named_by_weekday_within_a_week_and_by_number_beyond() {
        assert_eq!(interval_label(1, "08:30", 1, Some(2)), "08:30");
        assert_eq!(interval_label(2, "08:30", 6, None), "day 2 08:30");
        assert_eq!(interval_label(2, "08:30", 6, Some(0)), "Tue 08:30");
        // A week that starts on Sunday wraps to Monday.
        assert_eq!(interval_label(2, "08:30", 7, Some(6)), "Mon 08:30");
        assert_eq!(interval_label(9, "08:30", 14, Some(0)), "Tue (day 9) 08:30");
        assert_eq!(interval_label(9, "08:30", 14, None), "day 9 08:30");
        let grid = IntervalGrid::new(ClockTime::parse("08:00").unwrap(), 1800.0, 4, 3).unwrap();
        assert_eq!(grid.label(5), "day 2 08:30");
        assert_eq!(grid.with_first_weekday(Some(4)).label(5), "Sat 08:30");
    }

    #[test]
    fn parses_durations_people_write() {
        for (text, secs) in [
            ("20s", 20.0),
            ("3m", 180.0),
            ("1h30m", 5400.0),
            ("1.5h", 5400.0),
            ("90", 90.0),
            ("2.5", 2.5),
            ("1h 5m 3s", 3903.0),
            ("4min", 240.0),
            ("1e-6s", 1e-6),
            ("1.5e3s", 1500.0),
            ("2E1m", 1200.0),
            ("1e2", 100.0),
            ("1d", 86_400.0),
            ("1d12h", 129_600.0),
            ("2 days", 172_800.0),
        ] {
            assert_eq!(parse_duration(text), Ok(secs), "{text}");
        }
    }

    #[test]
    fn a_negative_duration_is_called_negative() {
        for text in ["-5s", "-1h30m", "-2.5", "-1e-3s"] {
            let err = parse_duration(text).unwrap_err();
            assert!(err.contains("is negative"), "{text}: {err}");
        }
        assert!(parse_duration("-s").unwrap_err().contains("not a duration"));
    }

    #[test]
    fn rejects_bad_durations_with_the_allowed_form() {
        for text in ["", "-5s", "3x", "m", "5m3h", "3m3m", "abc", "1e999"] {
            let err = parse_duration(text).unwrap_err();
            assert!(err.contains("duration"), "{text}: {err}");
        }
    }

    /// The unknown-unit message names every spelling the parser takes, and each one it names
    /// parses.
    #[test]
    fn an_unknown_unit_is_told_every_spelling_taken() {
        let err = parse_duration("3x").unwrap_err();
        let spellings = [
            ("d", 86_400.0),
            ("day", 86_400.0),
            ("days", 86_400.0),
            ("h", 3600.0),
            ("hr", 3600.0),
            ("hrs", 3600.0),
            ("hour", 3600.0),
            ("hours", 3600.0),
            ("m", 60.0),
            ("min", 60.0),
            ("mins", 60.0),
            ("minute", 60.0),
            ("minutes", 60.0),
            ("s", 1.0),
            ("sec", 1.0),
            ("secs", 1.0),
            ("second", 1.0),
            ("seconds", 1.0),
        ];
        for (unit, secs) in spellings {
            assert_eq!(parse_duration(&format!("2{unit}")), Ok(2.0 * secs), "{unit}");
        }
        for named in
            ["d, h, m and s", "day(s)", "hr(s) or hour(s)", "min(s) or minute(s)", "sec(s) or second(s)"]
        {
            assert!(err.contains(named), "{named}: {err}");
        }
    }

    #[test]
    fn a_clock_time_written_another_common_way_is_told_its_hh_mm() {
        for (text, fix) in [
            ("0800", "08:00"),
            ("830", "08:30"),
            ("8.00", "08:00"),
            ("17h30", "17:30"),
            ("8", "08:00"),
            ("8am", "08:00"),
            ("12 AM", "00:00"),
            ("12pm", "12:00"),
            ("1:30 PM", "13:30"),
            ("2400", "24:00"),
        ] {
            let err = ClockTime::parse(text).unwrap_err();
            assert!(err.ends_with(&format!("(write \"{fix}\")")), "{text}: {err}");
        }
        for text in ["2430", "25:00", "13pm", "8:5", "noon", "08:60", "123456"] {
            let err = ClockTime::parse(text).unwrap_err();
            assert!(!err.contains("write"), "{text}: {err}");
        }
    }

    #[test]
    fn clock_times_round_trip() {
        for text in ["00:00", "08:30", "23:59", "24:00"] {
            let t = ClockTime::parse(text).unwrap();
            let shown = if text == "24:00" { "00:00".to_string() } else { t.to_string() };
            assert_eq!(ClockTime::parse(&shown).unwrap().secs() % DAY, t.secs() % DAY);
        }
        assert_eq!(ClockTime::parse("8:05").unwrap(), ClockTime::parse("08:05").unwrap());
        for text in ["8", "25:00", "12:60", "24:01", "ab:cd", "1:2:3:4", "8:5", "+8:00", "08:00.5"] {
            let err = ClockTime::parse(text).unwrap_err();
            assert!(
                err.contains(&format!("\"{text}\" is not a clock time")) && err.contains("HH:MM"),
                "{err}"
            );
        }
        // Seconds are refused, saying so: even zero seconds, which name the minute.
        for text in ["08:00:30", "08:00:00.000"] {
            let err = ClockTime::parse(text).unwrap_err();
            assert!(err.contains(&format!("\"{text}\" has seconds")) && err.contains("HH:MM"), "{err}");
        }
        let err = ClockTime::parse("8:00:00").unwrap_err();
        assert!(err.contains("has seconds") && err.contains("write \"08:00\""), "{err}");
    }

    #[test]
    fn grid_maps_instants_to_intervals_across_days() {
        let grid = IntervalGrid::new(ClockTime::parse("08:00").unwrap(), 1800.0, 24, 2).unwrap();
        assert_eq!(grid.len(), 48);
        assert_eq!(grid.index_at(8.0 * 3600.0), Some(0));
        assert_eq!(grid.index_at(8.0 * 3600.0 - 1.0), None);
        assert_eq!(grid.index_at(20.0 * 3600.0), None, "closed at night");
        assert_eq!(grid.index_at(DAY + 8.5 * 3600.0), Some(25));
        assert_eq!(grid.next_open(20.0 * 3600.0), Some(24));
        assert_eq!(grid.clock_of(25).to_string(), "08:30");
        assert_eq!(grid.day_of(25), 2);
        assert_eq!(grid.horizon(), DAY + 20.0 * 3600.0);
        assert!(IntervalGrid::new(ClockTime::MIDNIGHT, 1800.0, 49, 1).is_err());
    }

    #[test]
    fn a_day_that_runs_past_midnight_keeps_its_intervals_after_it() {
        // 23:00 to 01:00 in half hours, two days: day 1's last two intervals are after
        // midnight, on the next calendar day.
        let grid = IntervalGrid::new(ClockTime::parse("23:00").unwrap(), 1800.0, 4, 2).unwrap();
        assert_eq!(grid.past_midnight(), 3600.0);
        for idx in 0..grid.len() {
            let (start, end) = (grid.start_of(idx), grid.end_of(idx));
            assert_eq!(grid.index_at(start), Some(idx));
            assert_eq!(grid.index_at((start + end) / 2.0), Some(idx));
            assert_eq!(grid.index_at(end - 1e-6), Some(idx));
            assert_eq!(grid.next_open(start), Some(idx));
            assert_eq!(grid.next_open(start - 1.0), Some(idx), "{idx}");
        }
        assert_eq!(grid.clock_of(2).to_string(), "00:00");
        assert_eq!(grid.day_of(3), 1);
        // Closed from 01:00 to 23:00: nothing, and the next opening is the next evening's.
        assert_eq!(grid.index_at(DAY + 2.0 * 3600.0), None);
        assert_eq!(grid.next_open(DAY + 2.0 * 3600.0), Some(4));
        assert_eq!(grid.index_at(grid.horizon()), None);
        assert_eq!(grid.next_open(grid.horizon() + 1.0), None);
        assert_eq!(
            IntervalGrid::new(ClockTime::parse("08:00").unwrap(), 1800.0, 24, 1).unwrap().past_midnight(),
            0.0
        );
    }
}
