//! How the offered contacts of a row of the simulation report ended, beyond answered and
//! abandoned: unanswered at close (always), blocked (a scenario with lines) and callback failed
//! (a scenario with callbacks), so every row adds up to its offered contacts
//! ([`crate::sim::check_balance`]'s balance). The figures are the summary's own, each under the
//! definition of [`crate::metrics`]; a scenario without lines or callbacks shows no column of
//! theirs, as its JSON has no key of theirs.

use std::collections::HashMap;

#[cfg(doc)]
use crate::metrics::CallStats;
use crate::metrics::{CALLBACK_DEFINITIONS, Definition, LINE_DEFINITIONS, definition};
use crate::stats::Estimate;
use crate::summary::{CallTypeRecord, CallbacksSummary, IntervalRecord, LinesSummary, Summary};

/// The outcome columns of one simulation's report.
pub struct Outcomes<'a> {
    lines: Option<&'a LinesSummary>,
    callbacks: Option<&'a CallbacksSummary>,
    /// Per (day, start, call type), the index of its row in `lines.intervals` and in
    /// `callbacks.intervals` (both in the summary's interval order).
    blocked_at: IntervalIndex<'a>,
    failed_at: IntervalIndex<'a>,
}

/// Per (day, start, call type), the index of a record in a summary's interval order.
type IntervalIndex<'a> = HashMap<(usize, &'a str, &'a str), usize>;

/// A count of contacts as every row of the report shows one: to the tenth, the offered contacts
/// and each way they ended alike, so a row adds up as shown. The terminal shows a count of 10 or
/// more whole ([`crate::report::count_estimate`]); a row here of whole and tenths would not add up.
pub fn count_cell(e: &Estimate) -> String {
    crate::report::nonnegative_estimate(e, 1)
}

/// Which contacts a row counts.
#[derive(Clone, Copy)]
pub enum Row<'a> {
    /// Every contact.
    All,
    /// One call type.
    CallType(&'a str),
    /// One call type in one interval (day, start, call type).
    Interval(usize, &'a str, &'a str),
    /// Every contact that arrived on a day (from 1).
    Day(usize),
}

impl<'a> Outcomes<'a> {
    /// The outcome columns `s` can fill.
    pub fn of(s: &'a Summary) -> Outcomes<'a> {
        let lines = s.lines.as_ref();
        let callbacks = s.callbacks.as_ref();
        let blocked_at = lines.map(|l| index_of(&l.intervals)).unwrap_or_default();
        let failed_at = callbacks.map(|c| index_of(&c.intervals)).unwrap_or_default();
        Outcomes { lines, callbacks, blocked_at, failed_at }
    }

    /// The definitions of the columns, in order: unanswered at close, then blocked and callback
    /// failed where the scenario can produce them.
    pub fn definitions(&self) -> Vec<&'static Definition> {
        let find = |list: &'static [Definition], key: &str| list.iter().find(|d| d.key == key);
        let mut out = vec![definition("unanswered_at_close")];
        if self.lines.is_some() {
            out.extend(find(LINE_DEFINITIONS, "blocked"));
        }
        if self.callbacks.is_some() {
            out.extend(find(CALLBACK_DEFINITIONS, "callbacks_failed"));
        }
        out
    }

    /// The cells of `row`, in the order of [`Self::definitions`]; `unanswered` is the row's
    /// `unanswered_at_close` ([`CallStats`]; a day's: [`day_total`]).
    pub fn cells(&self, row: Row<'_>, unanswered: Estimate) -> Vec<(String, bool)> {
        let mut out = vec![(count_cell(&unanswered), true)];
        if let Some(lines) = self.lines {
            let totals = lines.interval_totals.iter().map(|t| (t.day, &t.stats));
            let blocked = figure(
                row,
                &lines.overall,
                &lines.call_types,
                &lines.intervals,
                &self.blocked_at,
                totals,
                |s| s.blocked,
            );
            out.push((count_cell(&blocked), true));
        }
        if let Some(cb) = self.callbacks {
            let totals = cb.interval_totals.iter().map(|t| (t.day, &t.stats));
            let failed =
                figure(row, &cb.overall, &cb.call_types, &cb.intervals, &self.failed_at, totals, |s| {
                    s.callbacks_failed
                });
            out.push((count_cell(&failed), true));
        }
        out
    }
}

/// Per (day, start, call type), the index of its record in `intervals`.
fn index_of<S>(intervals: &[IntervalRecord<S>]) -> IntervalIndex<'_> {
    intervals.iter().enumerate().map(|(k, i)| ((i.day, i.start.as_str(), i.call_type.as_str()), k)).collect()
}

/// The figure `get` reads of the records of a kind only some scenarios have (lines, callbacks),
/// for the contacts `row` counts; 0 where the kind has no record of them. `totals` are the
/// per-interval totals, each with its day.
fn figure<'s, S: 's>(
    row: Row<'_>,
    overall: &S,
    call_types: &[CallTypeRecord<S>],
    intervals: &[IntervalRecord<S>],
    at: &IntervalIndex<'_>,
    totals: impl Iterator<Item = (usize, &'s S)>,
    get: impl Fn(&S) -> Estimate,
) -> Estimate {
    match row {
        Row::All => get(overall),
        Row::CallType(name) => {
            call_types.iter().find(|c| c.name == name).map(|c| get(&c.stats)).unwrap_or_default()
        }
        Row::Interval(day, start, ct) => {
            at.get(&(day, start, ct)).map(|&k| get(&intervals[k].stats)).unwrap_or_default()
        }
        Row::Day(day) => day_total(totals.filter(|(d, _)| *d == day).map(|(_, s)| get(s))),
    }
}

/// A day's total of per-interval means, without a half-width (the intervals' are not
/// independent), as the "By day" table adds them.
pub fn day_total(values: impl Iterator<Item = Estimate>) -> Estimate {
    let mean = values.map(|e| e.mean).filter(|v| v.is_finite()).sum();
    Estimate { mean, half_width: f64::NAN }
}
