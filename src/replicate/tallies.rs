//! Running estimates of a list of records of figures ([`Figures`]), one tally per figure of each
//! record, fed one replication at a time: the one way the optional parts of a summary (lines,
//! callbacks, the email backlog) average their records over replications.

use crate::metrics::Figures;
use crate::model::Scenario;
use crate::sim::Counts;
use crate::sim::counts::Cell;
use crate::stats::{CONFIDENCE, Tally};

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
