//! The simulation staffing search, in the spirit of Feldman, Mandelbaum, Massey and Whitt
//! (2008), "Staffing of time-varying queues to achieve time-stable performance", Management
//! Science 54(2): simulate a per-interval staffing vector per group, raise staffing where an
//! interval misses its goal, lower it where it is over and stays over with fewer agents,
//! and repeat until stable. Every iteration uses the same seeds (common random numbers), so a
//! change in staffing, not noise, moves the result.
//!
//! Steps grow where the search keeps going the same way: an interval that misses again after
//! a raise gets one agent more than the time before (1, 2, 3, ..., never more than the load
//! its calls offered), and one whose reduction was kept tries twice as many next time; a
//! reduction that misses halves the step, and no interval is lowered to a staffing it was
//! seen to miss with. An interval far from its need (an outage the formulas do not see, a day
//! of redials) so gets there in a few simulations instead of one per agent, and the search
//! ends, as before, with every interval one agent above a miss (or without agents).
//!
//! No interval is raised past the agents its telephone lines let take calls
//! ([`LineBound`](super::lines::LineBound)): where a group staffed up to its lines still
//! misses, the lines bind, and the search reports it as a shortfall that more agents cannot
//! mend, as it does for an email day that raising did not improve.

mod cell;
mod judge;

use crate::error::BadInput;
use crate::model::{AgentGroupId, GroupStaffing, Scenario, ShiftPlan};
use crate::replicate::{self, Options, Replication};
use cell::Cell;
use judge::Judge;
pub use judge::Shortfall;

/// Most search iterations (simulations) before giving up on convergence.
pub const MAX_ITERATIONS: usize = 60;

/// Most agents of one group in one interval the search simulates. The engine simulates every
/// contact, so a load this large already means millions of calls per interval and iteration;
/// beyond it (a load of billions of Erlangs would not even fit an agent count) the search
/// stops with an error that points to the analytic methods, rather than running for days or
/// counting past `u32::MAX`.
pub const MAX_SEARCH_AGENTS: u32 = 100_000;

/// The outcome of a staffing search.
#[derive(Clone, Debug)]
pub struct SearchResult {
    /// Agents on duty per group (index = group) per interval.
    pub agents: Vec<Vec<u32>>,
    /// Replications of the final staffing.
    pub replications: Vec<Replication>,
    /// Simulations run.
    pub iterations: usize,
    /// Whether every interval with calls met the goal at the end.
    pub converged: bool,
    /// What still missed the goal at the end (nothing when `converged`).
    pub shortfall: Shortfall,
    /// (Group, interval, lines) where the group has as many agents as its lines let take
    /// calls and still misses a goal there: the lines bind, and more agents would not help.
    pub lines_bind: Vec<(usize, usize, u32)>,
}

/// The scenario worked by per-interval staffing vectors.
pub fn with_staffing(scenario: &Scenario, agents: &[Vec<u32>], name: &str) -> Scenario {
    scenario.with_plan(ShiftPlan {
        name: name.to_string(),
        shifts: Vec::new(),
        staffing: agents
            .iter()
            .enumerate()
            .map(|(g, a)| GroupStaffing { group: AgentGroupId(g as u16), agents: a.clone() })
            .collect(),
    })
}

/// The error of a group that needs more agents in an interval than the search simulates.
fn too_many_agents(scenario: &Scenario, group: usize, idx: usize) -> BadInput {
    let grid = &scenario.grid;
    BadInput(format!(
        "{}: the simulation staffing search handles at most {MAX_SEARCH_AGENTS} agents per group and \
         interval, and group \"{}\" needs more on day {} at {}; use --method erlang-c or \
         --method erlang-a for loads this large",
        scenario.source.display(),
        scenario.agent_groups[group].name,
        grid.day_of(idx),
        grid.clock_of(idx),
    ))
}

/// Per group and interval: the load the call types it answers first offered there, mean over
/// `reps` (contacts offered of every origin x mean handle time / interval length, Erlangs).
fn offered_load(
    scenario: &Scenario,
    reps: &[Replication],
    primary: &[Option<AgentGroupId>],
) -> Vec<Vec<f64>> {
    let n_types = scenario.call_types.len();
    let handle = super::analytic::handle_times(scenario);
    let mut load = vec![vec![0.0; scenario.grid.len()]; scenario.agent_groups.len()];
    for r in reps {
        for (k, cell) in r.intervals.iter().enumerate() {
            let ct = k % n_types;
            if let Some(g) = primary[ct] {
                load[g.idx()][k / n_types] += cell.stats.offered * handle[ct];
            }
        }
    }
    let per = scenario.grid.length() * reps.len().max(1) as f64;
    for row in &mut load {
        for l in row {
            *l /= per;
        }
    }
    load
}

/// Searches the smallest per-interval staffing per group meeting the service-level goal in
/// every interval and call type with calls, from `initial` (e.g. the analytic requirement
/// of the call types each group answers first, pooled).
///
/// # Errors
/// When the thread pool cannot be built; [`BadInput`] when a group needs more than
/// `MAX_SEARCH_AGENTS` agents in an interval, at the start or on the way.
pub fn search(
    scenario: &Scenario,
    initial: Vec<Vec<u32>>,
    options: &Options,
) -> anyhow::Result<SearchResult> {
    search_with(scenario, initial, options, None)
}

/// [`search`], and with `risk` the staffing that also meets the goal in at least that share of
/// replications in every interval with calls. With `risk` the search only raises `initial`
/// (the mean-based requirement), so it never needs fewer agents than the mean.
///
/// # Errors
/// As [`search`].
pub fn search_with(
    scenario: &Scenario,
    initial: Vec<Vec<u32>>,
    options: &Options,
    risk: Option<f64>,
) -> anyhow::Result<SearchResult> {
    search_within(scenario, initial, options, risk, MAX_ITERATIONS)
}

/// [`search_with`] in at most `budget` simulations. When the budget runs out on a staffing
/// that misses (the reductions kept in a round hurt call types they were not judged on, and
/// no simulation is left to raise them), the result is the last staffing simulated that met
/// every goal, if one did: the end of the raise phase before those reductions.
fn search_within(
    scenario: &Scenario,
    initial: Vec<Vec<u32>>,
    options: &Options,
    risk: Option<f64>,
    budget: usize,
) -> anyhow::Result<SearchResult> {
    let n_intervals = scenario.grid.len();
    let primary = super::primary_groups(scenario);
    for (g, row) in initial.iter().enumerate() {
        if let Some(idx) = row.iter().position(|&a| a > MAX_SEARCH_AGENTS) {
            return Err(too_many_agents(scenario, g, idx).into());
        }
    }
    let mut judge = Judge::new(scenario, risk);
    // An analytic start that ignores the lines may already be past them.
    let mut agents = initial;
    for (g, row) in agents.iter_mut().enumerate() {
        for (idx, a) in row.iter_mut().enumerate() {
            if let Some(lines) = judge.lines.of_group(g, idx) {
                *a = (*a).min(lines);
            }
        }
    }
    let mut iterations = 0;
    let simulate = |agents: &[Vec<u32>]| {
        replicate::run(&with_staffing(scenario, agents, "staffing search"), options, &|| {})
    };
    let mut cells = vec![vec![Cell::new(risk.is_none()); n_intervals]; agents.len()];
    let mut reps = simulate(&agents)?;
    iterations += 1;
    // The last staffing simulated that met every goal, with its replications: kept from the
    // end of a raise phase across the reductions that follow it.
    let mut met: Option<(Vec<Vec<u32>>, Vec<Replication>)> = None;
    loop {
        // Raise until every interval meets the goal.
        let mut raised_to_goal = false;
        judge.start_raising();
        for cell in cells.iter_mut().flatten() {
            cell.raised_last = 0;
        }
        loop {
            // Out of simulations: stop on the staffing last simulated, so that the result's
            // agents and replications (and what it says misses) belong together.
            if iterations >= budget {
                break;
            }
            judge.before_raise(&reps);
            // A raise that bought a cell nothing is taken back: its group stands where it was,
            // and, having missed there, is not lowered below it.
            let n_types = scenario.call_types.len();
            let mut raised = false;
            for k in judge.stalled.take_given_up() {
                if let Some(g) = primary[k % n_types] {
                    let (g, idx) = (g.idx(), k / n_types);
                    let cell = &mut cells[g][idx];
                    agents[g][idx] -= cell.raised_last.min(agents[g][idx]);
                    raised |= cell.raised_last > 0;
                    cell.raised_last = 0;
                }
            }
            let bump = judge.misses(&reps, &agents, &primary);
            let load = offered_load(scenario, &reps, &primary);
            for (g, row) in bump.iter().enumerate() {
                for (idx, &b) in row.iter().enumerate() {
                    let cell = &mut cells[g][idx];
                    if !b {
                        cell.raised_last = 0;
                        continue;
                    }
                    let now = agents[g][idx];
                    let lines = judge.lines.of_group(g, idx).unwrap_or(u32::MAX);
                    if now >= lines {
                        // The lines bind: it misses with every agent that can take a call, so
                        // no reduction takes one away either.
                        cell.missed_with(now);
                        cell.raised_last = 0;
                        continue;
                    }
                    let by = cell.raise_by(load[g][idx]).min(lines - now);
                    agents[g][idx] = now
                        .checked_add(by)
                        .filter(|&a| a <= MAX_SEARCH_AGENTS)
                        .ok_or_else(|| too_many_agents(scenario, g, idx))?;
                    cell.raised(now, by);
                    raised = true;
                }
            }
            if !raised {
                raised_to_goal = judge.shortfall(&reps, &agents, &primary).met();
                break;
            }
            reps = simulate(&agents)?;
            iterations += 1;
        }
        // A reduction takes two simulations (the trial, then what is kept).
        if iterations + 2 > budget {
            break;
        }
        // Lower, all at once, every group-interval above the most agents it is known to miss
        // with; keep the reductions whose own call types still meet the goal, revert the others.
        let mut trial = agents.clone();
        let mut tried = Vec::new();
        for (g, row) in trial.iter_mut().enumerate() {
            for (idx, a) in row.iter_mut().enumerate() {
                let by = cells[g][idx].lower_by(*a);
                if by > 0 {
                    *a -= by;
                    tried.push((g, idx, by));
                }
            }
        }
        if tried.is_empty() {
            break;
        }
        let trial_reps = simulate(&trial)?;
        iterations += 1;
        // Email is judged where the group worked before the trial: an interval lowered to no
        // agents still answers for the emails it used to.
        let mut failed = judge.misses(&trial_reps, &agents, &primary);
        // Carry-over: a queue left at the end of the previous interval hurts this one.
        for row in &mut failed {
            for idx in 1..n_intervals {
                if row[idx] {
                    row[idx - 1] = true;
                }
            }
        }
        drop(trial_reps);
        // The staffing the raise met the goal with, before what is kept of the reductions.
        let before = raised_to_goal.then(|| agents.clone());
        let mut kept = 0;
        for &(g, idx, by) in &tried {
            let cell = &mut cells[g][idx];
            if failed[g][idx] {
                cell.failed(trial[g][idx], by);
            } else {
                agents[g][idx] -= by;
                kept += 1;
                cell.lowered(by);
            }
        }
        if before.is_some() {
            met = None;
        }
        let previous = std::mem::replace(&mut reps, simulate(&agents)?);
        iterations += 1;
        if let Some(before) = before {
            met = Some((before, previous));
        }
        // Nothing kept and nothing left to halve: every cell stands just above a miss, or
        // misses where its lines bind.
        let settled = kept == 0 && tried.iter().all(|&(_, _, by)| by == 1);
        if settled {
            let at_lines = judge.at_lines(&agents);
            let misses = judge.misses(&reps, &agents, &primary);
            if misses.iter().flatten().zip(at_lines.iter().flatten()).all(|(&m, &bound)| !m || bound) {
                break;
            }
        }
        if iterations >= budget {
            break;
        }
    }
    let mut shortfall = judge.shortfall(&reps, &agents, &primary);
    if let (false, Some((met_agents, met_reps))) = (shortfall.met(), met) {
        (agents, reps) = (met_agents, met_reps);
        shortfall = judge.shortfall(&reps, &agents, &primary);
    }
    let lines_bind = if judge.lines.any() {
        judge.lines_bind(&judge.misses(&reps, &agents, &primary), &agents)
    } else {
        Vec::new()
    };
    Ok(SearchResult {
        agents,
        replications: reps,
        iterations,
        converged: shortfall.met(),
        shortfall,
        lines_bind,
    })
}

#[cfg(test)]
mod tests {
    use super::judge::misses;
    use super::*;
    use crate::dist::Dist;
    use crate::erlang::{Goals, Model, ServiceGoal, required_agents};
    use crate::model::StationaryQueue;

    fn queue() -> Scenario {
        Scenario::stationary(&StationaryQueue {
            calls_per_hour: 100.0,
            handle_time: Dist::exponential(180.0),
            patience: None,
            agents: 8,
            target: 20.0,
            hours: 2,
        })
    }

    #[test]
    fn a_requirement_beyond_any_simulated_staffing_is_refused_before_simulating() {
        // A load beyond u32::MAX agents reaches the search as u32::MAX (saturated); raising it
        // by one wrapped to 0, and simulating billions of agents would never end.
        let options = Options { replications: 2, seed: 1, threads: Some(1) };
        for too_many in [u32::MAX, MAX_SEARCH_AGENTS + 1] {
            let err = search(&queue(), vec![vec![5, too_many]], &options).unwrap_err();
            assert!(err.is::<BadInput>(), "{err:#}");
            let text = format!("{err:#}");
            assert!(
                text.contains("\"agents\"") && text.contains("01:00") && text.contains("erlang-c"),
                "{text}"
            );
        }
    }

    /// A morning whose outage brings four times the calls for half an hour (100 Erlangs where
    /// the formulas, which do not see events, staff for 25).
    fn outage_morning() -> Scenario {
        let text = include_str!("../../tests/data/outage-morning.toml");
        crate::scenario::load_str(text, std::path::Path::new("outage-morning.toml")).unwrap().scenario
    }

    #[test]
    fn an_interval_far_below_its_need_gets_there_in_a_few_simulations_and_no_further() {
        // One agent at a time, the surge's 70-odd missing agents would take 70-odd simulations,
        // more than the search may run; steps of 1, 2, 3, ... reach them in about 12 (the
        // whole search, reductions included, takes 23 here).
        let scenario = outage_morning();
        let options = Options { replications: 4, seed: 3, threads: Some(1) };
        let initial = crate::staffing::pooled(&scenario, true);
        assert!(initial[0].iter().all(|&a| a < 40), "the formulas miss the surge: {initial:?}");
        let result = search(&scenario, initial, &options).unwrap();
        assert!(result.converged, "{:?}", result.shortfall);
        assert!(result.iterations <= 30, "{} simulations", result.iterations);
        // The surge's staffing: near Erlang C at 100 Erlangs (the interval starts with no
        // queue, so a little below it at most), and not more, though steps overshoot on the
        // way: one agent fewer there misses the goal there.
        let surge = result.agents[0][2];
        let goals =
            Goals { service_level: Some(ServiceGoal { target: 20.0, goal: 0.8 }), ..Goals::default() };
        let erlang_c = required_agents(&Model::erlang_c(100.0, 180.0), &goals).unwrap().agents;
        assert!(surge <= erlang_c && surge + 10 >= erlang_c, "{surge} agents against Erlang C {erlang_c}");
        let mut fewer = result.agents.clone();
        fewer[0][2] -= 1;
        let reps = replicate::run(&with_staffing(&scenario, &fewer, "one fewer"), &options, &|| {}).unwrap();
        assert!(misses(&scenario, &reps, None)[2], "{surge} - 1 agents still meet the goal at 09:00");
    }

    /// A queue whose service-level goal asks next to nothing, so that only the voice goal
    /// under test binds.
    fn loose_queue(patience: Option<f64>) -> Scenario {
        let mut s = Scenario::stationary(&StationaryQueue {
            calls_per_hour: 300.0,
            handle_time: Dist::exponential(180.0),
            patience: patience.map(Dist::exponential),
            agents: 16,
            target: 20.0,
            hours: 3,
        });
        s.service_level.goal = 0.05;
        s
    }

    /// A rate over the replications as the ratio of its totals, from each replication's
    /// `(rate, base)` (each has it: every interval has calls and agents).
    fn pooled(reps: &[Replication], figure: impl Fn(&Replication) -> (f64, f64)) -> f64 {
        let (num, den) = reps.iter().map(figure).fold((0.0, 0.0), |(n, d), (r, b)| (n + r * b, d + b));
        num / den
    }

    /// The search ends with every interval meeting the goal and one agent fewer in some
    /// interval missing it, as the search judges `missed` on the same seeds.
    fn assert_binds(scenario: &Scenario, missed: impl Fn(&[Replication], usize) -> bool) {
        let options = Options { replications: 8, seed: 5, threads: Some(1) };
        let result = search(scenario, crate::staffing::pooled(scenario, true), &options).unwrap();
        assert!(result.converged, "{:?}", result.shortfall);
        let n = scenario.grid.len();
        assert!((0..n).all(|idx| !missed(&result.replications, idx)), "{:?}", result.agents);
        let one_fewer_misses = (0..n).any(|idx| {
            let mut fewer = result.agents.clone();
            fewer[0][idx] -= 1;
            let reps =
                replicate::run(&with_staffing(scenario, &fewer, "one fewer"), &options, &|| {}).unwrap();
            missed(&reps, idx)
        });
        assert!(one_fewer_misses, "{:?} is more than the goal needs", result.agents);
    }

    #[test]
    fn the_abandonment_cap_binds_the_search_where_the_service_level_does_not() {
        let mut scenario = loose_queue(Some(120.0));
        scenario.staffing.max_abandon = Some(0.02);
        assert_binds(&scenario, |reps, idx| {
            pooled(reps, |r| (r.intervals[idx].stats.abandon_rate, r.intervals[idx].stats.offered)) > 0.02
        });
    }

    #[test]
    fn the_asa_goal_binds_the_search_where_the_service_level_does_not() {
        let mut scenario = loose_queue(None);
        scenario.staffing.asa_goal = Some(5.0);
        assert_binds(&scenario, |reps, idx| {
            pooled(reps, |r| (r.intervals[idx].stats.asa_s, r.intervals[idx].stats.answered)) > 5.0
        });
    }

    #[test]
    fn the_occupancy_cap_binds_the_search_where_the_service_level_does_not() {
        let mut scenario = loose_queue(None);
        scenario.staffing.max_occupancy = Some(0.7);
        assert_binds(&scenario, |reps, idx| {
            pooled(reps, |r| (r.group_intervals[idx].1, r.group_intervals[idx].0)) > 0.7
        });
    }

    #[test]
    fn a_search_out_of_simulations_after_reductions_that_miss_returns_the_last_staffing_that_met() {
        // A ring of groups, each taking a neighbour's calls after 20 s: a round of reductions
        // judged group by group leaves some call types missing, which the next raise phase
        // would mend. Out of simulations just then, the search returns the staffing that
        // ended the raise phase before the round.
        let text = include_str!("../../tests/data/overflow-ring.toml");
        let scenario =
            crate::scenario::load_str(text, std::path::Path::new("overflow-ring.toml")).unwrap().scenario;
        let options = Options { replications: 3, seed: 11, threads: Some(1) };
        let initial = crate::staffing::pooled(&scenario, true);
        let run = |budget| search_within(&scenario, initial.clone(), &options, None, budget).unwrap();
        // The first raise phase: the fewest simulations whose result meets every goal.
        let (raised_at, raised) = (1..20).map(|b| (b, run(b))).find(|(_, r)| r.converged).unwrap();
        assert_eq!(raised.iterations, raised_at);
        // Two more simulations are the round of reductions (trial, then what is kept).
        let after_round = run(raised_at + 2);
        assert_eq!(after_round.iterations, raised_at + 2);
        assert!(after_round.converged, "{:?}", after_round.shortfall);
        assert_eq!(after_round.agents, raised.agents, "the staffing that met, not the one after the round");
        // Checked apart from the search: that staffing meets every goal on the same seeds.
        let reps =
            replicate::run(&with_staffing(&scenario, &raised.agents, "met"), &options, &|| {}).unwrap();
        assert!(
            misses(&scenario, &reps, None).iter().all(|m| !m),
            "the raise phase's staffing meets every goal"
        );
    }
}
