//! Busy signals and line use of replications: one replication's figures from its counts, and
//! their estimates over replications. Present only when the scenario has telephone lines, so
//! scenarios without lines report exactly what they did before.

use crate::metrics::LineStats;
use crate::model::Scenario;
use crate::sim::Counts;
use crate::sim::counts::Cell;
use crate::stats::{CONFIDENCE, Estimate, Tally};
use crate::summary::{IntervalLineTotal, LinesSummary};

use super::add_finite;
use super::tallies::{CellLayout, RecordTallies};

/// One replication's busy signals and line use.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LineReplication {
    /// Per interval and call type, then per interval, then per call type, then overall.
    records: Vec<LineStats<f64>>,
    /// Per interval, then overall: lines held / lines working.
    line_occupancy: Vec<f64>,
}

fn stats(cell: &Cell) -> LineStats<f64> {
    let offered = cell.offered_total() as f64;
    LineStats {
        blocked: cell.blocked as f64,
        block_rate: if offered > 0.0 { cell.blocked as f64 / offered } else { f64::NAN },
    }
}

impl LineReplication {
    /// The figures of one replication, or `None` when the scenario has no lines.
    pub fn from_counts(scenario: &Scenario, counts: &Counts) -> Option<LineReplication> {
        if !scenario.telephony.has_lines() {
            return None;
        }
        let n_intervals = scenario.grid.len();
        let records = CellLayout::of(scenario).records(counts, stats);
        let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { f64::NAN };
        let mut line_occupancy: Vec<f64> =
            counts.line_time.iter().map(|t| ratio(t.held_s, t.working_s)).collect();
        line_occupancy.resize(n_intervals, f64::NAN);
        line_occupancy.push(ratio(
            counts.line_time.iter().map(|t| t.held_s).sum(),
            counts.line_time.iter().map(|t| t.working_s).sum(),
        ));
        Some(LineReplication { records, line_occupancy })
    }

    /// All contacts of the replication.
    pub fn overall(&self) -> LineStats<f64> {
        self.records.last().copied().unwrap_or_default()
    }

    /// Lines held / lines working over the whole replication.
    pub fn line_occupancy(&self) -> f64 {
        self.line_occupancy.last().copied().unwrap_or(f64::NAN)
    }

    /// `self` minus `base`, figure by figure: a replication's paired difference between plans.
    pub fn minus(&self, base: &LineReplication) -> LineReplication {
        LineReplication {
            records: LineStats::differences(&self.records, &base.records),
            line_occupancy: super::differences(&self.line_occupancy, &base.line_occupancy),
        }
    }
}

/// Running estimates of [`LineReplication`]s, fed in replication order.
#[derive(Clone, Debug, Default)]
pub struct LineSummarizer {
    records: RecordTallies,
    line_occupancy: Vec<Tally>,
}

impl LineSummarizer {
    /// Adds the next replication.
    pub fn add(&mut self, rep: &LineReplication) {
        self.records.add(&rep.records);
        self.line_occupancy.resize(rep.line_occupancy.len(), Tally::default());
        for (tally, &value) in self.line_occupancy.iter_mut().zip(&rep.line_occupancy) {
            add_finite(tally, value);
        }
    }

    fn occupancy(&self, index: usize) -> Estimate {
        self.line_occupancy.get(index).copied().unwrap_or_default().estimate(CONFIDENCE)
    }

    /// The summary, or `None` when the scenario has no lines.
    pub fn finish(&self, scenario: &Scenario) -> Option<LinesSummary> {
        if !scenario.telephony.has_lines() {
            return None;
        }
        let records = self.records.laid_out::<LineStats<f64>>(scenario);
        let interval_totals = (records.interval_totals.into_iter().enumerate())
            .map(|(idx, total)| IntervalLineTotal {
                day: total.day,
                start: total.start,
                line_occupancy: self.occupancy(idx),
                stats: total.stats,
            })
            .collect();
        Some(LinesSummary {
            line_occupancy: self.occupancy(scenario.grid.len()),
            overall: records.overall,
            call_types: records.call_types,
            intervals: records.intervals,
            interval_totals,
        })
    }
}
