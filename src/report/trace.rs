//! The call-by-call log of one replication (`simulate --trace FILE.csv`), so analysts can
//! audit what happened to every contact.
//!
//! The last two columns make the trace read like a phone system's call log (`ccsim fit` reads
//! it back): `caller_id` is the same for a caller's redials, repeats and transfers, and
//! `timestamp` is the arrival as a date and clock time, day 1 written as Monday
//! [`TRACE_FIRST_DATE`], or as the first day after it on the scenario's `first_weekday`, so
//! that days fall on their weekdays in order. `callback` and `initial_backlog` say what no phone
//! system's log does: which contacts waited for a call back instead of holding, and which were
//! the scenario's initial email backlog rather than arrivals at day 1's first instant.

use std::io::Write;

use crate::model::Scenario;
use crate::sim::{Observer, TraceRecord};

/// The date day 1 of a trace is written as (a Monday) when the scenario names no first weekday.
pub const TRACE_FIRST_DATE: &str = "2024-01-01";

/// The trace's header row. `ccsim fit` knows a log with the first [`TRACE_COLUMNS_BEFORE_MARKS`]
/// of these columns for a trace, and reads its arrival from `timestamp` and its handle time
/// from `handle_time_s`; the last two, `callback` and `initial_backlog` (`true` or `false`),
/// came later, so a trace written before them is still known and read without them.
pub const TRACE_COLUMNS: [&str; 13] = [
    "arrival_s",
    "day",
    "arrival_time",
    "call_type",
    "origin",
    "wait_s",
    "outcome",
    "group",
    "handle_time_s",
    "caller_id",
    "timestamp",
    "callback",
    "initial_backlog",
];

/// How many of [`TRACE_COLUMNS`] every trace has: traces written before `callback` and
/// `initial_backlog` end at `timestamp`.
pub const TRACE_COLUMNS_BEFORE_MARKS: usize = 11;

/// An observer that writes one CSV row per contact into `W` (a file, streamed: a long
/// scenario's trace need not fit in memory). Seconds have three decimals (milliseconds).
pub struct TraceCsv<'a, W: Write> {
    scenario: &'a Scenario,
    writer: csv::Writer<W>,
    error: Option<csv::Error>,
}

impl<'a, W: Write> TraceCsv<'a, W> {
    /// A trace with its header row.
    pub fn new(scenario: &'a Scenario, out: W) -> TraceCsv<'a, W> {
        let mut writer = csv::Writer::from_writer(out);
        let error = writer.write_record(TRACE_COLUMNS).err();
        TraceCsv { scenario, writer, error }
    }

    /// Flushes the rows and returns the writer.
    ///
    /// # Errors
    /// When a row could not be written.
    pub fn finish(self) -> std::io::Result<W> {
        if let Some(e) = self.error {
            return Err(e.into());
        }
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

impl<W: Write> Observer for TraceCsv<'_, W> {
    fn contact_ended(&mut self, r: &TraceRecord) {
        if self.error.is_some() {
            return;
        }
        let at = TraceInstant::of(r.arrival_s);
        let group = r.group.map(|g| self.scenario.agent_groups[usize::from(g)].name.as_str()).unwrap_or("");
        let result = self.writer.write_record([
            format!("{:.3}", r.arrival_s),
            self.scenario.grid.day_at(at.seconds()).to_string(),
            at.clock_time(),
            self.scenario.call_types[usize::from(r.call_type)].name.clone(),
            r.origin.name().to_string(),
            format!("{:.3}", r.wait_s),
            r.outcome.name().to_string(),
            group.to_string(),
            r.handle_time_s.map(|s| format!("{s:.3}")).unwrap_or_default(),
            format!("{:016x}", r.caller),
            at.timestamp(self.scenario.grid.first_weekday()),
            r.callback.to_string(),
            r.initial_backlog.to_string(),
        ]);
        self.error = result.err();
    }
}

/// An arrival as the trace writes it: rounded once to the millisecond, as `arrival_s` is
/// written, and every column (`day`, `arrival_time`, `timestamp`) read from that one value, so
/// they never disagree (59.9996 s is day 1, `00:01:00`, `... 00:01:00.000` in all three). The
/// `day` is the grid's ([`crate::time::IntervalGrid::day_at`]): an arrival at 00:30 on nights
/// from 22:00 is day 1's, while its `timestamp` is the next date's.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct TraceInstant {
    /// Days after day 1 (0 on day 1).
    day_idx: i64,
    /// Milliseconds after that day's midnight.
    ms_of_day: i64,
}

impl TraceInstant {
    /// The instant `arrival_s` seconds after day 1's midnight, to the millisecond.
    fn of(arrival_s: f64) -> TraceInstant {
        let millis = (arrival_s * 1000.0).round() as i64;
        TraceInstant { day_idx: millis.div_euclid(86_400_000), ms_of_day: millis.rem_euclid(86_400_000) }
    }

    /// The instant in seconds after day 1's midnight, as rounded.
    fn seconds(self) -> f64 {
        (self.day_idx * 86_400_000 + self.ms_of_day) as f64 / 1000.0
    }

    /// `HH:MM:SS`: the clock time truncated to the second (08:00:54.720 is `08:00:54`), with
    /// the seconds always written.
    fn clock_time(self) -> String {
        let secs = self.ms_of_day / 1000;
        format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm`: day 1 on [`TRACE_FIRST_DATE`], a Monday, or `first_weekday`
    /// days after it (0 = Monday).
    fn timestamp(self, first_weekday: Option<usize>) -> String {
        let days = self.day_idx + first_weekday.unwrap_or(0) as i64;
        let first: jiff::civil::Date = TRACE_FIRST_DATE.parse().expect("a valid date");
        let date = first.checked_add(jiff::Span::new().days(days)).unwrap_or(first);
        format!("{date} {}.{:03}", self.clock_time(), self.ms_of_day % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::TraceInstant;

    fn timestamp(arrival_s: f64, first_weekday: Option<usize>) -> String {
        TraceInstant::of(arrival_s).timestamp(first_weekday)
    }

    #[test]
    fn timestamps_count_days_from_the_first_date_on_the_first_weekday() {
        assert_eq!(timestamp(0.0, None), "2024-01-01 00:00:00.000");
        assert_eq!(timestamp(86_400.0 * 31.0 + 3_723.456_7, None), "2024-02-01 01:02:03.457");
        assert_eq!(timestamp(0.0, Some(0)), "2024-01-01 00:00:00.000");
        // Day 1 a Friday: 2024-01-05; its day 2, a Saturday.
        assert_eq!(timestamp(86_400.0 + 60.0, Some(4)), "2024-01-06 00:01:00.000");
    }

    #[test]
    fn the_clock_time_is_the_timestamp_truncated_to_the_second() {
        let clock = |s: f64| TraceInstant::of(s).clock_time();
        assert_eq!(clock(28_854.720), "08:00:54");
        assert_eq!(clock(29_039.806), "08:03:59");
        assert_eq!(clock(48_599.567), "13:29:59");
        assert_eq!(clock(28_800.0), "08:00:00");
        // Within half a millisecond of midnight, all columns round to the next day together.
        let late = TraceInstant::of(86_399.999_6);
        assert_eq!((late.day_idx, late.clock_time()), (1, "00:00:00".to_string()));
        assert_eq!(late.timestamp(None), "2024-01-02 00:00:00.000");
    }
}
