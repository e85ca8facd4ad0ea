//! Running estimates of a list of records of figures ([`Figures`]), fed one replication at a
//! time: the one way the optional parts of a summary (lines, callbacks, the email backlog)
//! estimate their records over replications. A count is the mean over replications; a record's
//! rate ([`Figures::rate_index`]) is the ratio of its totals, as every rate of a summary is.

use crate::metrics::Figures;
use crate::model::Scenario;
use crate::sim::Counts;
use crate::sim::counts::Cell;
use crate::stats::{CONFIDENCE, RatioDifferenceTally, RatioTally, Tally};
use crate::summary::{CallTypeRecord, IntervalRecord, IntervalTotalRecord};

use super::{RateTally, add_finite};

/// Tallies of the records of replications, all of the same layout: a [`Tally`] of each figure
/// that is not a rate (a figure that is not finite, such as a mean of nothing, is left out of
/// it), and an `R` of each record's rate with its base.
#[derive(Clone, Debug)]
pub struct RecordTallies<R: RateTally = RatioTally> {
    /// `S::COUNT` a record; a rate's stays empty.
    tallies: Vec<Tally>,
    /// One a record, for records with a rate.
    rates: Vec<R>,
}

impl<R: RateTally> Default for RecordTallies<R> {
    fn default() -> Self {
        RecordTallies { tallies: Vec::new(), rates: Vec::new() }
    }
}

impl<R: RateTally> RecordTallies<R> {
    /// Adds the figures of `records` that are not rates, less those of `base` (the base plan's
    /// records of a paired difference) where given.
    fn add_plain<S: Figures>(&mut self, records: &[S], base: Option<&[S]>) {
        let rate = S::rate_index();
        self.tallies.resize(records.len() * S::COUNT, Tally::default());
        for (k, (record, tallies)) in records.iter().zip(self.tallies.chunks_mut(S::COUNT)).enumerate() {
            let mut less = base.map(|b| b[k].figures());
            for (i, (tally, figure)) in tallies.iter_mut().zip(record.figures()).enumerate() {
                let less = less.as_mut().and_then(Iterator::next).unwrap_or(0.0);
                if rate != Some(i) {
                    add_finite(tally, figure - less);
                }
            }
        }
        if rate.is_some() {
            self.rates.resize(records.len(), R::default());
        }
    }

    /// The estimates of record `index` (empty tallies where no replication gave one).
    pub fn estimates<S: Figures>(&self, index: usize) -> S::Estimates {
        let tallies = self.tallies.get(index * S::COUNT..(index + 1) * S::COUNT).unwrap_or(&[]);
        let rate = S::rate_index();
        S::estimates(|i| {
            if rate == Some(i) {
                self.rates.get(index).map_or(Default::default(), |r| r.estimate(CONFIDENCE))
            } else {
                tallies.get(i).copied().unwrap_or_default().estimate(CONFIDENCE)
            }
        })
    }

    /// The estimates of records laid out as [`CellLayout`] says, in the lists a summary gives.
    pub fn laid_out<S: Figures>(&self, scenario: &Scenario) -> LaidOut<S::Estimates> {
        let (grid, layout) = (&scenario.grid, CellLayout::of(scenario));
        let (day, start) = (|idx| grid.day_of(idx), |idx| grid.clock_of(idx).to_string());
        let mut intervals = Vec::with_capacity(grid.len() * scenario.call_types.len());
        for idx in 0..grid.len() {
            for (ct, call_type) in scenario.call_types.iter().enumerate() {
                intervals.push(IntervalRecord {
                    day: day(idx),
                    start: start(idx),
                    call_type: call_type.name.clone(),
                    stats: self.estimates::<S>(layout.cell(idx, ct)),
                });
            }
        }
        LaidOut {
            overall: self.estimates::<S>(layout.overall()),
            call_types: (scenario.call_types.iter().enumerate())
                .map(|(ct, c)| CallTypeRecord {
                    name: c.name.clone(),
                    stats: self.estimates::<S>(layout.call_type_total(ct)),
                })
                .collect(),
            intervals,
            interval_totals: (0..grid.len())
                .map(|idx| IntervalTotalRecord {
                    day: day(idx),
                    start: start(idx),
                    stats: self.estimates::<S>(layout.interval_total(idx)),
                })
                .collect(),
        }
    }
}

impl RecordTallies<RatioTally> {
    /// Adds the next replication's `records`, `bases` giving each record's base of its rate
    /// (none when the records have no rate).
    pub fn add<S: Figures>(&mut self, records: &[S], bases: impl IntoIterator<Item = f64>) {
        self.add_plain(records, None);
        if let Some(rate) = S::rate_index() {
            for ((tally, record), base) in self.rates.iter_mut().zip(records).zip(bases) {
                tally.add(record.figures().nth(rate).unwrap_or(f64::NAN), base);
            }
        }
    }
}

impl RecordTallies<RatioDifferenceTally> {
    /// Adds the next replication of a plan and of the base plan (the same callers): each count
    /// as their difference, each rate as both ratios' parts.
    pub fn add_paired<S: Figures>(
        &mut self,
        (records, bases): (&[S], impl IntoIterator<Item = f64>),
        (base_records, base_bases): (&[S], impl IntoIterator<Item = f64>),
    ) {
        self.add_plain(records, Some(base_records));
        if let Some(rate) = S::rate_index() {
            let plan = records.iter().zip(bases);
            let base = base_records.iter().zip(base_bases);
            for (tally, ((r, b), (rb, bb))) in self.rates.iter_mut().zip(plan.zip(base)) {
                let rate_of = |s: &S| s.figures().nth(rate).unwrap_or(f64::NAN);
                tally.add((rate_of(r), b), (rate_of(rb), bb));
            }
        }
    }
}

/// The estimated records of a [`CellLayout`], as a summary lists them.
pub struct LaidOut<S> {
    /// Every contact.
    pub overall: S,
    /// Per call type, in scenario order.
    pub call_types: Vec<CallTypeRecord<S>>,
    /// Per interval and call type, in grid order then call-type order.
    pub intervals: Vec<IntervalRecord<S>>,
    /// Per interval, all call types together, in grid order.
    pub interval_totals: Vec<IntervalTotalRecord<S>>,
}

/// The order of the records of a replication's optional figures (lines, callbacks): per
/// interval and call type, then per interval, then per call type, then overall; the one place
/// that says where each record stands.
#[derive(Clone, Copy, Debug)]
pub struct CellLayout {
    n_intervals: usize,
    n_types: usize,
}

impl CellLayout {
    /// The layout of `scenario`'s records.
    pub fn of(scenario: &Scenario) -> CellLayout {
        CellLayout { n_intervals: scenario.grid.len(), n_types: scenario.call_types.len() }
    }

    /// The records `stat` gives of `counts`' cells and totals, in this layout.
    pub fn records<R>(&self, counts: &Counts, stat: impl Fn(&Cell) -> R) -> Vec<R> {
        let mut records: Vec<R> = counts.cells.iter().map(&stat).collect();
        records.extend((0..self.n_intervals).map(|i| stat(&counts.interval_total(i))));
        records.extend((0..self.n_types).map(|ct| stat(&counts.call_type_total(ct))));
        records.push(stat(&counts.overall()));
        records
    }

    /// Interval `idx`, call type `ct`.
    pub fn cell(&self, idx: usize, ct: usize) -> usize {
        idx * self.n_types + ct
    }

    /// All call types of interval `idx`.
    pub fn interval_total(&self, idx: usize) -> usize {
        self.n_intervals * self.n_types + idx
    }

    /// All intervals of call type `ct`.
    pub fn call_type_total(&self, ct: usize) -> usize {
        self.n_intervals * self.n_types + self.n_intervals + ct
    }

    /// Every contact.
    pub fn overall(&self) -> usize {
        self.call_type_total(self.n_types)
    }
}
