//! Cells that more agents do not help: where callers hold telephone lines, a busy signal keeps
//! a cell below its goal whatever the headcount once every caller who got a line is answered
//! at once. [`LineBound`](super::lines::LineBound) caps a group at its lines, but a group that
//! also takes contacts holding no line (call backs, which are outbound) has no such cap; there
//! a raise that improved none of the cell's figures (service level, ASA, abandoned share, on
//! the same seeds) is the sign, as for an email day that raising did not improve
//! ([`channels::no_progress`](super::channels::no_progress)). Such a cell is left alone for the
//! rest of the search and reported, instead of raised until the search runs out.

use crate::model::Scenario;
use crate::replicate::Replication;

/// The figures a raise should improve in one (interval, call type) cell: mean service level,
/// ASA and abandoned share over the replications.
type Figures = (f64, f64, f64);

/// The cells given up, and the figures of the cells that missed at the last raise.
#[derive(Clone, Debug, Default)]
pub struct Stalled {
    /// Per cell (interval x call types + call type): whether its callers hold lines.
    holds_lines: Vec<bool>,
    /// Per cell: its figures when it missed at the last raise.
    last: Vec<Option<Figures>>,
    /// Per cell: given up.
    given_up: Vec<bool>,
}

impl Stalled {
    /// For `scenario`: empty (never gives up) without lines.
    pub fn new(scenario: &Scenario) -> Stalled {
        if !scenario.telephony.has_lines() {
            return Stalled::default();
        }
        let n_types = scenario.call_types.len();
        let holds: Vec<bool> = (0..n_types).map(|ct| super::lines::holds_line(scenario, ct)).collect();
        let n = scenario.grid.len() * n_types;
        Stalled {
            holds_lines: (0..n).map(|k| holds[k % n_types]).collect(),
            last: vec![None; n],
            given_up: vec![false; n],
        }
    }

    /// Whether it can give up any cell (the scenario has lines).
    pub fn active(&self) -> bool {
        !self.holds_lines.is_empty()
    }

    /// At the start of a run of raises: what came before was no raise.
    pub fn start_raising(&mut self) {
        self.last.iter_mut().for_each(|f| *f = None);
    }

    /// Before raising with `reps`, where `missed` flags the cells that miss: gives up the
    /// line-holding cells that missed at the last raise too and improved none of their
    /// figures since, and remembers the figures of the cells that miss now.
    pub fn before_raise(&mut self, reps: &[Replication], missed: &[bool]) {
        for (k, &miss) in missed.iter().enumerate().take(self.holds_lines.len()) {
            if !miss || !self.holds_lines[k] {
                self.last[k] = None;
                continue;
            }
            let now = figures(reps, k);
            if let Some(before) = self.last[k]
                && !(now.0 > before.0 || now.1 < before.1 || now.2 < before.2)
            {
                self.given_up[k] = true;
            }
            self.last[k] = Some(now);
        }
    }

    /// Clears the flags of the cells given up: the search does not raise for them.
    pub fn leave_alone(&self, missed: &mut [bool]) {
        for (flag, &given_up) in missed.iter_mut().zip(&self.given_up) {
            *flag &= !given_up;
        }
    }

    /// Whether cell `k` was given up.
    pub fn given_up(&self, k: usize) -> bool {
        self.given_up.get(k).copied().unwrap_or(false)
    }
}

/// Cell `k`'s figures over `reps`, each a ratio of totals (NaN-free: a figure without a value
/// counts as 0).
fn figures(reps: &[Replication], k: usize) -> Figures {
    let rates = crate::replicate::cell_rates(reps, k);
    let finite = |e: crate::stats::Estimate| if e.mean.is_finite() { e.mean } else { 0.0 };
    (finite(rates.service_level), finite(rates.asa_s), finite(rates.abandon_rate))
}
