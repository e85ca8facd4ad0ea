//! Cells that more agents do not help. Where callers hold telephone lines, a busy signal keeps
//! a cell below its goal whatever the headcount once every caller who got a line is answered
//! at once. [`LineBound`](super::lines::LineBound) caps a group at its lines, but a group that
//! also takes contacts holding no line (call backs, which are outbound) has no such cap. And in
//! any scenario a cell can miss for contacts its interval's agents never meet: a transfer or a
//! redial that arrives at closing time and waits for agents who have gone home counts in the
//! last interval, whose staffing cannot reach it.
//!
//! The sign is a raise that bought nothing, on the same seeds. For a cell whose callers hold
//! lines, nothing is a figure it misses on (service level, ASA, abandoned share) left no better:
//! once the lines bind, the figures it meets wander with the headcount (ASA 0.08 s to 0 s) and
//! would keep the search raising. Any other cell is given up only when none of its figures
//! moved at all while some of its contacts were answered: a raise can leave a cell worse before
//! the next one helps (agents who log in to an email backlog at 08:00 take emails before the
//! calls come, and one more of them takes one more email), and a cell behind the queue of a
//! surge answers nobody until the surge's own interval is staffed, so only a cell the raise
//! did not touch, with answers to touch, is one the interval's agents cannot reach. A cell given up is left alone for the rest of the search and reported, and the raise
//! that bought nothing is taken back ([`Stalled::take_given_up`]), as for an email day that
//! raising did not improve ([`channels::no_progress`](super::channels::no_progress)).

use crate::model::Scenario;
use crate::replicate::Replication;

/// The figures a raise should improve in one (interval, call type) cell: service level, ASA
/// and abandoned share over the replications, and whether any of its contacts was answered.
type Figures = (f64, f64, f64, bool);

/// The cells given up, and the figures of the cells that missed at the last raise.
#[derive(Clone, Debug)]
pub struct Stalled {
    /// Per call type: whether its callers hold lines.
    holds_lines: Vec<bool>,
    /// Per call type: the service-level goal (`None` for email, judged per day).
    goals: Vec<Option<f64>>,
    /// The voice goals beyond the service level: most ASA (s) and abandoned share.
    asa_goal: Option<f64>,
    max_abandon: Option<f64>,
    /// Per cell (interval x call types + call type): its figures when it missed at the last
    /// raise.
    last: Vec<Option<Figures>>,
    /// Per cell: given up.
    given_up: Vec<bool>,
    /// The cells given up since [`Stalled::take_given_up`] was last called.
    newly: Vec<usize>,
}

impl Stalled {
    /// For `scenario`, whose service-level goals per call type are `goals`.
    pub fn new(scenario: &Scenario, goals: Vec<Option<f64>>) -> Stalled {
        let n_types = scenario.call_types.len();
        let n = scenario.grid.len() * n_types;
        let lines = scenario.telephony.has_lines();
        Stalled {
            holds_lines: (0..n_types).map(|ct| lines && super::lines::holds_line(scenario, ct)).collect(),
            goals,
            asa_goal: scenario.staffing.asa_goal,
            max_abandon: scenario.staffing.max_abandon,
            last: vec![None; n],
            given_up: vec![false; n],
            newly: Vec::new(),
        }
    }

    /// At the start of a run of raises: what came before was no raise.
    pub fn start_raising(&mut self) {
        self.last.iter_mut().for_each(|f| *f = None);
    }

    /// Before raising with `reps`, where `missed` flags the cells that miss: gives up the cells
    /// that missed at the last raise too and made no progress since (see the module's doc), and
    /// remembers the figures of the cells that miss now.
    pub fn before_raise(&mut self, reps: &[Replication], missed: &[bool]) {
        for (k, &miss) in missed.iter().enumerate().take(self.last.len()) {
            if !miss || self.given_up[k] {
                self.last[k] = None;
                continue;
            }
            let now = figures(reps, k);
            if let Some(before) = self.last[k]
                && !self.progress(k, before, now)
            {
                self.given_up[k] = true;
                self.newly.push(k);
            }
            self.last[k] = Some(now);
        }
    }

    /// Whether cell `k` made progress from `before` to `now`.
    fn progress(&self, k: usize, before: Figures, now: Figures) -> bool {
        let ct = k % self.holds_lines.len();
        if !self.holds_lines[ct] {
            // A cell none of whose contacts is answered stays at 0% whatever its own agents do
            // while the queue left by the interval before holds them all: that is not a cell
            // they cannot reach.
            return now != before || !now.3;
        }
        let better = [now.0 > before.0, now.1 < before.1, now.2 < before.2];
        // The figures it misses on; all three where it misses on none of them on the mean
        // (with a risk, on the share of replications meeting the service level).
        let missing = [
            self.goals[ct].is_some_and(|goal| now.0 < goal),
            self.asa_goal.is_some_and(|max| now.1 > max),
            self.max_abandon.is_some_and(|max| now.2 > max),
        ];
        let judged = if missing.iter().any(|&m| m) { missing } else { [true; 3] };
        better.iter().zip(judged).any(|(&b, j)| b && j)
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

    /// Whether cell `k`'s callers hold telephone lines.
    pub fn holds_lines(&self, k: usize) -> bool {
        self.holds_lines[k % self.holds_lines.len()]
    }

    /// The cells given up since the last call: the search takes back the raise that bought
    /// them nothing.
    pub fn take_given_up(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.newly)
    }
}

/// Cell `k`'s figures over `reps`, each a ratio of totals (NaN-free: a figure without a value
/// counts as 0).
fn figures(reps: &[Replication], k: usize) -> Figures {
    let rates = crate::replicate::cell_rates(reps, k);
    let finite = |e: crate::stats::Estimate| if e.mean.is_finite() { e.mean } else { 0.0 };
    let answered = rates.asa_s.mean.is_finite();
    (finite(rates.service_level), finite(rates.asa_s), finite(rates.abandon_rate), answered)
}
