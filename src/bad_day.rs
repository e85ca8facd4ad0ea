//! What one replication's day looks like beside the forecast: its volume and handle-time
//! factors, who is absent, who is pulled off the phones. Drawn once per replication from
//! streams of its own ([`Purpose::Volume`], [`Purpose::HandleTime`], [`Purpose::Absence`]),
//! so the callers' draws do not move and two plans simulated on the same seed meet the same
//! bad days (common random numbers; absence draws follow the plan's agents, so two plans
//! share them as far as their agents coincide).
//!
//! A scenario without `[uncertainty]` (or with every figure 0) and without `[[events]]` gives
//! a neutral day that draws nothing and multiplies by nothing, so its runs are unchanged.
//! The events' volume factors are kept apart from the forecast error's: the engine adds or
//! drops arrivals around those drawn without them (`sim::superposition`) rather than scaling
//! the rates.

use rand::RngExt as _;

use crate::model::Scenario;
use crate::stream::{self, Purpose, Rng};
use crate::time::SimTime;
use crate::uncertainty::{Correlation, VolumeCv, factor};

/// One replication's deviations from the forecast and the plan.
#[derive(Clone, Debug, Default)]
pub struct BadDay {
    /// Multiplier of each (interval, call type) volume by forecast error,
    /// `interval * n_types + call_type`; empty when every one is 1.
    volume: Vec<f64>,
    /// The events' multiplier of each (interval, call type) volume, laid out as `volume`;
    /// empty when every one is 1. Kept apart: the engine lays it over the arrivals drawn
    /// without it (`sim::superposition`).
    event_volume: Vec<f64>,
    n_types: usize,
    /// Multiplier of handle times per interval (of arrival); empty when every one is 1.
    handle_time: Vec<f64>,
    /// Probability that a scheduled agent is absent on a day.
    absence: f64,
    /// Absence draws of shift agents, in roster order.
    absence_rng: Option<Rng>,
    /// Per staffing-vector group, per day: whether each record of its pool is absent.
    pool_absent: Vec<Vec<Vec<bool>>>,
    /// Agents unavailable per group and interval (events); empty when none.
    unavailable: Vec<Vec<u32>>,
    /// Shift groups' agents pulled off the phones: (group, from, until, agents).
    pulls: Vec<(u16, SimTime, SimTime, u32)>,
}

impl BadDay {
    /// The day of replication `replication` of `scenario` under `seed`.
    pub fn draw(scenario: &Scenario, seed: u64, replication: u32) -> BadDay {
        let grid = &scenario.grid;
        let n_types = scenario.call_types.len();
        let mut day = BadDay { n_types, ..BadDay::default() };
        let uncertainty = scenario.uncertainty.as_ref().filter(|u| !u.is_none());
        let event_volume = crate::events::volume_factors(&scenario.events, grid, n_types);
        let event_handle = crate::events::handle_time_factors(&scenario.events, grid);
        // How many factor draws: one per replication, or one per day.
        let draws = match uncertainty.map(|u| u.correlation) {
            Some(Correlation::Day) => grid.days(),
            _ => 1,
        };
        let day_index = |idx: usize| if draws == 1 { 0 } else { grid.day_of(idx) - 1 };
        let gamma_draws = |purpose: Purpose, index: u32, cv: f64| -> Vec<f64> {
            let mut rng = stream::stream(seed, replication, purpose, index);
            (0..draws).map(|_| factor(cv, &mut rng)).collect()
        };

        let volume_cv_set = uncertainty.is_some_and(|u| (0..n_types).any(|ct| u.volume_cv_of(ct) > 0.0));
        if volume_cv_set {
            // Per call type, per drawn day.
            let per_type: Vec<Vec<f64>> = match uncertainty.map(|u| &u.volume_cv) {
                Some(VolumeCv::Shared(cv)) if *cv > 0.0 => {
                    vec![gamma_draws(Purpose::Volume, 0, *cv); n_types]
                }
                Some(VolumeCv::PerCallType(cvs)) => (0..n_types)
                    .map(|ct| {
                        gamma_draws(Purpose::Volume, 1 + ct as u32, cvs.get(ct).copied().unwrap_or(0.0))
                    })
                    .collect(),
                _ => vec![vec![1.0; draws]; n_types],
            };
            day.volume = (0..grid.len() * n_types)
                .map(|k| {
                    let (idx, ct) = (k / n_types, k % n_types);
                    per_type[ct][day_index(idx)]
                })
                .collect();
        }
        day.event_volume = event_volume.unwrap_or_default();

        let handle_cv = uncertainty.map_or(0.0, |u| u.handle_time_cv_shift);
        if handle_cv > 0.0 || event_handle.is_some() {
            let factors = gamma_draws(Purpose::HandleTime, 0, handle_cv);
            day.handle_time = (0..grid.len())
                .map(|idx| factors[day_index(idx)] * event_handle.as_ref().map_or(1.0, |h| h[idx]))
                .collect();
        }

        day.absence = uncertainty.map_or(0.0, |u| u.absence);
        if day.absence > 0.0 {
            day.absence_rng = Some(stream::stream(seed, replication, Purpose::Absence, 0));
            day.pool_absent = vec![Vec::new(); scenario.agent_groups.len()];
            for staffing in &scenario.plan.staffing {
                let g = staffing.group.idx();
                let peak = staffing.agents.iter().copied().max().unwrap_or(0) as usize;
                let mut rng = stream::stream(seed, replication, Purpose::Absence, 1 + g as u32);
                day.pool_absent[g] = (0..grid.days())
                    .map(|_| (0..peak).map(|_| rng.random::<f64>() < day.absence).collect())
                    .collect();
            }
        }

        let staffed: Vec<bool> = (0..scenario.agent_groups.len())
            .map(|g| scenario.plan.staffing.iter().any(|s| s.group.idx() == g))
            .collect();
        for event in &scenario.events {
            for (g, &agents) in event.agents_unavailable.iter().enumerate() {
                if agents == 0 {
                    continue;
                }
                for (_, open, close) in event.windows(grid) {
                    if staffed[g] {
                        if day.unavailable.is_empty() {
                            day.unavailable = vec![vec![0; grid.len()]; staffed.len()];
                        }
                        for idx in crate::events::overlapping(grid, open, close) {
                            day.unavailable[g][idx] += agents;
                        }
                    } else {
                        day.pulls.push((g as u16, open, close, agents));
                    }
                }
            }
        }
        day
    }

    /// Multiplier of call type `ct`'s volume in interval `idx` by forecast error.
    #[inline]
    pub fn volume_factor(&self, ct: usize, idx: usize) -> f64 {
        self.volume.get(idx * self.n_types + ct).copied().unwrap_or(1.0)
    }

    /// Multiplier of call type `ct`'s volume in interval `idx` by the events.
    #[inline]
    pub fn event_volume_factor(&self, ct: usize, idx: usize) -> f64 {
        self.event_volume.get(idx * self.n_types + ct).copied().unwrap_or(1.0)
    }

    /// Multiplier of the handle time of a contact offered in interval `idx`.
    #[inline]
    pub fn handle_time_factor(&self, idx: usize) -> f64 {
        self.handle_time.get(idx).copied().unwrap_or(1.0)
    }

    /// Whether the next shift agent of the roster (one agent, one worked day) is absent.
    pub fn absent(&mut self) -> bool {
        let p = self.absence;
        self.absence_rng.as_mut().is_some_and(|rng| rng.random::<f64>() < p)
    }

    /// Agents of staffing-vector group `g` on duty in interval `idx` of `day` (from 1) when
    /// the plan has `agents`: the pool's first `agents` records that are not absent, less the
    /// agents an event pulls off the phones.
    pub fn on_duty(&self, g: usize, day: usize, idx: usize, agents: u32) -> u32 {
        let present = match self.pool_absent.get(g).and_then(|days| days.get(day - 1)) {
            Some(absent) => absent.iter().take(agents as usize).filter(|a| !**a).count() as u32,
            None => agents,
        };
        let pulled = self.unavailable.get(g).map_or(0, |row| row[idx]);
        present.saturating_sub(pulled)
    }

    /// Shift groups' agents pulled off the phones: (group, from, until, agents).
    pub fn pulls(&self) -> &[(u16, SimTime, SimTime, u32)] {
        &self.pulls
    }
}
