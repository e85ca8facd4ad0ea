//! Running estimates of a list of records of figures ([`Figures`]), one tally per figure of each
//! record, fed one replication at a time: the one way the optional parts of a summary (lines,
//! callbacks, the email backlog) average their records over replications.

use crate::metrics::Figures;
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
