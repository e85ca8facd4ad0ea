//! How the staffing search judges a staffing from its replications: which cells and email
//! days miss their goals, where the group answering them first should gain an agent, where the
//! telephone lines bind, and what still misses at the end ([`Shortfall`]). Cells and email days
//! that a raise did not improve are left alone from then on.

use super::super::lines::LineBound;
use super::super::stalled::Stalled;
use super::super::{channels, voice_goals};
use crate::model::{AgentGroupId, Channel, Scenario};
use crate::replicate::Replication;

/// What misses the goal under a staffing, as the search judges it: how many of the cells it
/// judges miss, and by how much. The report says this when the search stops short, so that a
/// planner sees whether "not converged" means one cell a point short or a day far off.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Shortfall {
    /// (Interval, call type) cells of voice and chat types with calls.
    pub cells: usize,
    /// Those of them that miss a goal: the service level (on the mean, or with `--risk` on
    /// the share of replications meeting it), and for voice the ASA goal or the abandonment
    /// cap (on the mean).
    pub cells_missed: usize,
    /// The largest gap between a missed cell's goal and its mean service level (a share; 0
    /// when every missed cell meets the goal on the mean and misses on the share only).
    pub worst_gap: f64,
    /// Email days of arrival with emails.
    pub email_days: usize,
    /// Those of them that miss the email goal.
    pub email_days_missed: usize,
    /// (Group, interval) cells with agents that the occupancy cap is judged on.
    pub occupancy_cells: usize,
    /// Those of them busier than the cap on the mean.
    pub occupancy_missed: usize,
    /// Of `cells_missed`, those the telephone lines bind: their primary group has as many
    /// agents as its lines let take calls there ([`LineBound`]), or their callers hold lines
    /// and a raise improved none of the figures they miss on (`Stalled`). No headcount meets
    /// the goal.
    pub cells_lines_bind: usize,
    /// Of `cells_missed`, those whose callers hold no lines and that a raise left with none of
    /// their figures improved (`Stalled`): more agents in the interval do not reach what
    /// they miss for.
    pub cells_no_gain: usize,
}

impl Shortfall {
    /// Whether nothing misses.
    pub fn met(&self) -> bool {
        self.cells_missed == 0 && self.email_days_missed == 0 && self.occupancy_missed == 0
    }
}

/// Per (interval, call type): whether it has calls and misses its channel's service-level
/// goal, judged on its service level over the replications (a ratio of totals,
/// [`crate::replicate::cell_rates`]) and, with `risk`, also on the share of replications
/// meeting it (which must be at least `risk`), or, for voice, the ASA goal or the abandonment
/// cap over the replications ([`voice_goals`]). Email types are judged per day
/// instead (see [`Judge`]); their entries here are false.
pub(super) fn misses(scenario: &Scenario, reps: &[Replication], risk: Option<f64>) -> Vec<bool> {
    let voice = voice_goals::cell_misses(scenario, reps);
    let mean_misses: Vec<bool> =
        misses_on_mean(scenario, reps).iter().zip(&voice).map(|(&sl, &other)| sl || other).collect();
    let Some(p) = risk else { return mean_misses };
    let goals = goals(scenario);
    let n_types = scenario.call_types.len();
    mean_misses
        .iter()
        .enumerate()
        .map(|(k, &miss)| {
            let Some(goal) = goals[k % n_types] else { return false };
            let (mut n, mut met) = (0usize, 0usize);
            for r in reps {
                let sl = r.intervals[k].stats.service_level;
                if sl.is_finite() {
                    n += 1;
                    met += usize::from(sl >= goal);
                }
            }
            miss || (n > 0 && (met as f64) < p * n as f64)
        })
        .collect()
}

/// Per group and interval: whether a call type it answers first misses there, from the
/// per-(interval, call type) flags of [`Judge::misses`].
fn group_misses(
    missing: &[bool],
    primary: &[Option<AgentGroupId>],
    n_groups: usize,
    n_intervals: usize,
) -> Vec<Vec<bool>> {
    let mut flags = vec![vec![false; n_intervals]; n_groups];
    for (k, _) in missing.iter().enumerate().filter(|(_, m)| **m) {
        let (idx, ct) = (k / primary.len(), k % primary.len());
        if let Some(g) = primary[ct] {
            flags[g.idx()][idx] = true;
        }
    }
    flags
}

/// Per call type, the goal its intervals are judged against: its channel's; `None` for
/// email, which is judged per day.
fn goals(scenario: &Scenario) -> Vec<Option<f64>> {
    scenario
        .call_types
        .iter()
        .map(|c| (c.channel != Channel::Email).then(|| scenario.goal_for(c.channel).goal))
        .collect()
}

/// [`misses`] on the mean only.
fn misses_on_mean(scenario: &Scenario, reps: &[Replication]) -> Vec<bool> {
    levels(scenario, reps).iter().map(|cell| cell.is_some_and(|(goal, mean)| mean < goal)).collect()
}

/// Per (interval, call type) of a voice or chat type with calls: its goal and its service level
/// over the replications, answered within target in all of them / offered in all of them
/// (`None` for email types and cells without calls).
fn levels(scenario: &Scenario, reps: &[Replication]) -> Vec<Option<(f64, f64)>> {
    let goals = goals(scenario);
    let n_types = scenario.call_types.len();
    let n = reps.first().map_or(0, |r| r.intervals.len());
    (0..n)
        .map(|k| {
            let goal = goals[k % n_types]?;
            let offered: f64 = reps.iter().map(|r| r.intervals[k].stats.offered).sum();
            let sl = crate::replicate::cell_rates(reps, k).service_level.mean;
            (offered > 0.0 && sl.is_finite()).then_some((goal, sl))
        })
        .collect()
}

/// The search's judgement of a staffing: real-time call types per interval ([`misses`]),
/// email types per day of arrival ([`channels::email_days`]), with the email days that
/// stopped improving when raised left alone.
pub(super) struct Judge<'a> {
    scenario: &'a Scenario,
    risk: Option<f64>,
    /// The agents each group's lines let take calls.
    pub(super) lines: LineBound,
    has_email: bool,
    /// Email days after the last raise, to see whether raising helped.
    last_raise: Vec<channels::EmailDay>,
    /// (email type, day) that more agents did not help.
    given_up: Vec<(usize, usize)>,
    /// Cells that more agents did not help.
    pub(super) stalled: Stalled,
}

impl<'a> Judge<'a> {
    pub(super) fn new(scenario: &'a Scenario, risk: Option<f64>) -> Judge<'a> {
        let has_email = scenario.call_types.iter().any(|c| c.channel == Channel::Email);
        Judge {
            scenario,
            risk,
            lines: LineBound::of(scenario),
            has_email,
            last_raise: Vec::new(),
            given_up: Vec::new(),
            stalled: Stalled::new(scenario, goals(scenario)),
        }
    }

    /// Per group and interval: whether the search should add an agent there, because a call
    /// type the group answers first misses a goal there, or the group is over the
    /// occupancy cap.
    pub(super) fn misses(
        &self,
        reps: &[Replication],
        agents: &[Vec<u32>],
        primary: &[Option<AgentGroupId>],
    ) -> Vec<Vec<bool>> {
        let mut flags = misses(self.scenario, reps, self.risk);
        self.stalled.leave_alone(&mut flags);
        if self.has_email {
            let days = channels::email_days(self.scenario, reps, self.risk);
            channels::flag_email_misses(self.scenario, reps, &days, agents, &self.given_up, &mut flags);
        }
        let mut groups = group_misses(&flags, primary, agents.len(), self.scenario.grid.len());
        for (row, busy) in groups.iter_mut().zip(voice_goals::occupancy_misses(self.scenario, reps)) {
            for (flag, over) in row.iter_mut().zip(busy) {
                *flag |= over;
            }
        }
        groups
    }

    /// At the start of a run of raises: what came before was no raise.
    pub(super) fn start_raising(&mut self) {
        self.last_raise.clear();
        self.stalled.start_raising();
    }

    /// Before raising with `reps`: gives up the cells and the email days that the previous
    /// raise did not improve, and remembers these for the next.
    pub(super) fn before_raise(&mut self, reps: &[Replication]) {
        self.stalled.before_raise(reps, &misses(self.scenario, reps, self.risk));
        if !self.has_email {
            return;
        }
        let days = channels::email_days(self.scenario, reps, self.risk);
        self.given_up.extend(channels::no_progress(&self.last_raise, &days));
        self.last_raise = days;
    }

    /// Where the group's agents cannot help any more: per group and interval, whether it
    /// has as many agents as its lines let take calls.
    pub(super) fn at_lines(&self, agents: &[Vec<u32>]) -> Vec<Vec<bool>> {
        (agents.iter().enumerate())
            .map(|(g, row)| row.iter().enumerate().map(|(idx, &a)| self.lines.reached(g, idx, a)).collect())
            .collect()
    }

    /// Per group and interval that misses (`flags`, from [`Judge::misses`]) with as many
    /// agents as its lines let take calls: (group, interval, lines).
    pub(super) fn lines_bind(&self, flags: &[Vec<bool>], agents: &[Vec<u32>]) -> Vec<(usize, usize, u32)> {
        let mut bind = Vec::new();
        for (g, row) in flags.iter().enumerate() {
            for (idx, _) in row.iter().enumerate().filter(|(_, m)| **m) {
                if let Some(lines) = self.lines.of_group(g, idx).filter(|&l| agents[g][idx] >= l) {
                    bind.push((g, idx, lines));
                }
            }
        }
        bind
    }

    /// What misses the goal under `reps` with `agents`: the cells and email days with
    /// contacts that miss, and which of those cells the lines bind.
    pub(super) fn shortfall(
        &self,
        reps: &[Replication],
        agents: &[Vec<u32>],
        primary: &[Option<AgentGroupId>],
    ) -> Shortfall {
        let levels = levels(self.scenario, reps);
        let missed: Vec<usize> = misses(self.scenario, reps, self.risk)
            .iter()
            .enumerate()
            .filter(|(_, m)| **m)
            .map(|(k, _)| k)
            .collect();
        let at_lines = self.at_lines(agents);
        let n_types = self.scenario.call_types.len();
        let at_lines = |k: usize| primary[k % n_types].is_some_and(|g| at_lines[g.idx()][k / n_types]);
        let stalled = |k: usize| self.stalled.given_up(k);
        let cells_lines_bind =
            (missed.iter()).filter(|&&k| at_lines(k) || (stalled(k) && self.stalled.holds_lines(k))).count();
        let cells_no_gain =
            (missed.iter()).filter(|&&k| !at_lines(k) && stalled(k) && !self.stalled.holds_lines(k)).count();
        let worst_gap =
            missed.iter().filter_map(|&k| levels[k]).map(|(goal, mean)| goal - mean).fold(0.0, f64::max);
        let days =
            if self.has_email { channels::email_days(self.scenario, reps, self.risk) } else { Vec::new() };
        Shortfall {
            cells: levels.iter().flatten().count(),
            cells_missed: missed.len(),
            worst_gap,
            email_days: days.len(),
            email_days_missed: days.iter().filter(|d| d.misses).count(),
            occupancy_cells: voice_goals::occupancy_cells(self.scenario, reps),
            occupancy_missed: voice_goals::occupancy_misses(self.scenario, reps)
                .iter()
                .flatten()
                .filter(|m| **m)
                .count(),
            cells_lines_bind,
            cells_no_gain,
        }
    }
}
