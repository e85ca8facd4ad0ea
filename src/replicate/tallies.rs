//! Running estimates of a list of records of figures ([`Figures`]), one tally per figure of each
//! record, fed one replication at a time: the one way the optional parts of a summary (lines,
//! callbacks, the email backlog) average their records over replications.

use crate::metrics::Figures;
use crate::model::Scenario;
use crate::sim::Counts;
use crate::sim::counts::Cell;
use crate::stats::{CONFIDENCE, Tally};
use crate::summary::{CallTypeRecord, IntervalRecord, IntervalTotalRecord};

use super::add_finite;

/// Tallies of the records of replications, all of the same layout; a figure that is not finite
/// (a rate with nothing to divide) is left out of its tally.
#[derive(Clone, Debug, Default)]
pub struct RecordTallies {
    tallies: Vec<Tally>,
}

impl RecordTallies {
    /// Adds the next replication's `records`.
    pub fn add<R: Figures>(&mut self, records: &[R]) {
        self.tallies.resize(records.len() * R::COUNT, Tally::default());
        for (record, tallies) in records.iter().zip(self.tallies.chunks_mut(R::COUNT)) {
            for (tally, value) in tallies.iter_mut().zip(record.figures()) {
                add_finite(tally, value);
            }
        }
    }

    /// The estimates of record `index` (empty tallies where no replication gave one).
    pub fn estimates<R: Figures>(&self, index: usize) -> R::Estimates {
        let tallies = self.tallies.get(index * R::COUNT..(index + 1) * R::COUNT).unwrap_or(&[]);
        R::estimates(|i| tallies.get(i).copied().unwrap_or_default().estimate(CONFIDENCE))
    }

    /// The estimates of records laid out as [`CellLayout`] says, in the lists a summary gives.
    pub fn laid_out<R: Figures>(&self, scenario: &Scenario) -> LaidOut<R::Estimates> {
        let (grid, layout) = (&scenario.grid, CellLayout::of(scenario));
        let (day, start) = (|idx| grid.day_of(idx), |idx| grid.clock_of(idx).to_string());
        let mut intervals = Vec::with_capacity(grid.len() * scenario.call_types.len());
        for idx in 0..grid.len() {
            for (ct, call_type) in scenario.call_types.iter().enumerate() {
                intervals.push(IntervalRecord {
                    day: day(idx),
                    start: start(idx),
                    call_type: call_type.name.clone(),
                    stats: self.estimates::<R>(layout.cell(idx, ct)),
                });
            }
        }
        LaidOut {
            overall: self.estimates::<R>(layout.overall()),
            call_types: (scenario.call_types.iter().enumerate())
                .map(|(ct, c)| CallTypeRecord {
                    name: c.name.clone(),
                    stats: self.estimates::<R>(layout.call_type_total(ct)),
                })
                .collect(),
            intervals,
            interval_totals: (0..grid.len())
                .map(|idx| IntervalTotalRecord {
                    day: day(idx),
                    start: start(idx),
                    stats: self.estimates::<R>(layout.interval_total(idx)),
                })
                .collect(),
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
