//! Busy signals and line use of replications: one replication's figures from its counts, and
//! their estimates over replications. Present only when the scenario has telephone lines, so
//! scenarios without lines report exactly what they did before.

use crate::metrics::LineStats;
use crate::model::Scenario;
use crate::sim::Counts;
use crate::sim::counts::Cell;
use crate::stats::{CONFIDENCE, Estimate, RatioDifferenceTally, RatioTally};
use crate::summary::{IntervalLineTotal, LinesSummary};

use super::RateTally;
use super::tallies::{CellLayout, RecordTallies};

/// One replication's busy signals and line use.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LineReplication {
    /// Per interval and call type, then per interval, then per call type, then overall.
    records: Vec<LineStats<f64>>,
    /// Contacts offered, in the order of `records`: the base of their block rates.
    offered: Vec<f64>,
    /// Per interval, then overall: (line-seconds held, line-seconds working), whose ratio is the
    /// line occupancy.
    line_time: Vec<(f64, f64)>,
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
        let layout = CellLayout::of(scenario);
        let records = layout.records(counts, stats);
        let offered = layout.records(counts, |cell| cell.offered_total() as f64);
        let mut line_time: Vec<(f64, f64)> =
            counts.line_time.iter().map(|t| (t.held_s, t.working_s)).collect();
        line_time.resize(n_intervals, (0.0, 0.0));
        let total = line_time.iter().fold((0.0, 0.0), |(h, w), &(held, working)| (h + held, w + working));
        line_time.push(total);
        Some(LineReplication { records, offered, line_time })
    }

    /// All contacts of the replication.
    pub fn overall(&self) -> LineStats<f64> {
        self.records.last().copied().unwrap_or_default()
    }

    /// Lines held / lines working over the whole replication.
    pub fn line_occupancy(&self) -> f64 {
        self.occupancies().last().map_or(f64::NAN, |(occupancy, _)| occupancy)
    }

    /// The records with the bases of their block rates.
    fn rated(&self) -> (&[LineStats<f64>], impl Iterator<Item = f64> + '_) {
        (&self.records, self.offered.iter().copied())
    }

    /// The line occupancies (NaN without lines working) with their bases, the lines working.
    fn occupancies(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.line_time
            .iter()
            .map(|&(held, working)| (if working > 0.0 { held / working } else { f64::NAN }, working))
    }
}

/// Running estimates of [`LineReplication`]s, fed in replication order: the block rates and
/// line occupancies as ratios of their totals (`R`), like every rate of a summary.
#[derive(Clone, Debug)]
pub struct LineSummarizer<R: RateTally = RatioTally> {
    records: RecordTallies<R>,
    line_occupancy: Vec<R>,
}

impl<R: RateTally> Default for LineSummarizer<R> {
    fn default() -> Self {
        LineSummarizer { records: RecordTallies::default(), line_occupancy: Vec::new() }
    }
}

impl LineSummarizer<RatioTally> {
    /// Adds the next replication.
    pub fn add(&mut self, rep: &LineReplication) {
        self.records.add(&rep.records, rep.offered.iter().copied());
        self.line_occupancy.resize(rep.line_time.len(), RatioTally::default());
        for (tally, (occupancy, working_s)) in self.line_occupancy.iter_mut().zip(rep.occupancies()) {
            tally.add(occupancy, working_s);
        }
    }
}

impl LineSummarizer<RatioDifferenceTally> {
    /// Adds the next replication of a plan and of the base plan (the same callers).
    pub fn add_paired(&mut self, rep: &LineReplication, base: &LineReplication) {
        self.records.add_paired(rep.rated(), base.rated());
        self.line_occupancy.resize(rep.line_time.len(), RatioDifferenceTally::default());
        for (tally, (plan, base)) in
            self.line_occupancy.iter_mut().zip(rep.occupancies().zip(base.occupancies()))
        {
            tally.add(plan, base);
        }
    }
}

impl<R: RateTally> LineSummarizer<R> {
    fn occupancy(&self, index: usize) -> Estimate {
        self.line_occupancy.get(index).map_or(Estimate::default(), |t| t.estimate(CONFIDENCE))
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
