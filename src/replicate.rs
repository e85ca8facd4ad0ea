//! Independent replications on all cores, merged in replication order.
//!
//! Replication `r` depends only on (scenario, seed, r), and results are collected and reduced
//! in replication order, so the numbers are the same whatever the thread count. Each
//! replication is reduced to its per-replication statistics at once, so memory holds one
//! engine state per thread plus a few numbers per replication.

use rayon::prelude::*;

use crate::metrics::CallStats;
use crate::model::Scenario;
use crate::sim::{self, Counts, NoTrace};
use crate::stats::{Estimate, WaitHistogram};
use crate::summary::{
    CallTypeSummary, GridInfo, GroupInterval, GroupSummary, IntervalSummary, IntervalTotal, ServiceLevelInfo,
    Summary, WaitBucket, WaitDistribution,
};

/// How many replications, from which seed, on how many threads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Number of replications, at least 1.
    pub replications: u32,
    /// Base seed.
    pub seed: u64,
    /// Worker threads; `None` = one per core.
    pub threads: Option<usize>,
}

impl Options {
    /// The scenario's own replications and seed, on all cores.
    pub fn from_scenario(scenario: &Scenario) -> Options {
        Options {
            replications: scenario.simulation.replications,
            seed: scenario.simulation.seed,
            threads: None,
        }
    }
}

/// What one replication reports, already reduced from its [`Counts`].
#[derive(Clone, Debug, PartialEq)]
pub struct Replication {
    /// Per interval and call type (`interval * n_call_types + call_type`).
    pub intervals: Vec<CallStats<f64>>,
    /// Per interval, all call types together.
    pub interval_totals: Vec<CallStats<f64>>,
    /// Per call type over the scenario.
    pub call_types: Vec<CallStats<f64>>,
    /// All contacts.
    pub overall: CallStats<f64>,
    /// Per group and interval (`group * n_intervals + interval`): (agents on duty, occupancy).
    pub group_intervals: Vec<(f64, f64)>,
    /// Per group: occupancy over the scenario.
    pub group_occupancy: Vec<f64>,
    /// All groups: busy time / on-duty time over the scenario.
    pub occupancy: f64,
    /// Waits of answered contacts: all contacts, then each call type.
    pub waits: Vec<WaitHistogram>,
    /// Whether every offered contact ended answered, abandoned or unanswered at close.
    pub balanced: bool,
}

impl Replication {
    /// Reduces one replication's counts.
    pub fn from_counts(scenario: &Scenario, counts: &Counts) -> Replication {
        let definition = scenario.service_level.definition;
        let n_types = scenario.call_types.len();
        let n_intervals = scenario.grid.len();
        let intervals = counts.cells.iter().map(|c| c.stats(definition)).collect();
        let type_totals: Vec<_> = (0..n_types).map(|ct| counts.call_type_total(ct)).collect();
        let overall_cell = counts.overall();
        let mut waits = vec![overall_cell.waits.clone()];
        waits.extend(type_totals.iter().map(|c| c.waits.clone()));
        let interval_s = scenario.grid.length();
        let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { f64::NAN };
        let group_intervals = counts
            .agent_time
            .iter()
            .map(|t| (t.on_duty_s / interval_s, ratio(t.busy_s, t.on_duty_s)))
            .collect();
        let group_occupancy = (0..scenario.agent_groups.len())
            .map(|g| {
                let slice = &counts.agent_time[g * n_intervals..(g + 1) * n_intervals];
                ratio(slice.iter().map(|t| t.busy_s).sum(), slice.iter().map(|t| t.on_duty_s).sum())
            })
            .collect();
        let occupancy = ratio(
            counts.agent_time.iter().map(|t| t.busy_s).sum(),
            counts.agent_time.iter().map(|t| t.on_duty_s).sum(),
        );
        Replication {
            occupancy,
            intervals,
            interval_totals: (0..n_intervals).map(|i| counts.interval_total(i).stats(definition)).collect(),
            call_types: type_totals.iter().map(|c| c.stats(definition)).collect(),
            overall: overall_cell.stats(definition),
            group_intervals,
            group_occupancy,
            waits,
            balanced: counts.cells.iter().all(sim::balances),
        }
    }
}

/// Runs the replications of `scenario` in parallel and returns them in replication order.
/// `progress` is called once per finished replication (from any thread).
///
/// # Errors
/// When the thread pool cannot be built.
pub fn run(
    scenario: &Scenario,
    options: &Options,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Vec<Replication>> {
    let one = |r: u32| {
        let counts = sim::run(scenario, options.seed, r, &mut NoTrace);
        let rep = Replication::from_counts(scenario, &counts);
        progress();
        rep
    };
    let reps = match options.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build()?
            .install(|| (0..options.replications).into_par_iter().map(one).collect()),
        None => (0..options.replications).into_par_iter().map(one).collect(),
    };
    Ok(reps)
}

/// Estimates over replications of one statistic record, picked by `pick`.
pub fn estimate<F>(reps: &[Replication], pick: F) -> CallStats<Estimate>
where
    F: Fn(&Replication) -> &CallStats<f64>,
{
    estimate_records(reps.iter().map(pick))
}

/// Mean and 95% half-width of each statistic over per-replication records (which may be
/// paired differences).
pub fn estimate_records<'a>(records: impl Iterator<Item = &'a CallStats<f64>>) -> CallStats<Estimate> {
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); CallStats::<f64>::KEYS.len()];
    for record in records {
        for (column, value) in columns.iter_mut().zip(record.values()) {
            column.push(*value);
        }
    }
    let mut columns = columns.into_iter();
    CallStats::from_fn(|_| Estimate::from_samples(&columns.next().unwrap_or_default()))
}

/// A plan simulated with shrinkage taken out: the replications, the summary and the scenario as
/// simulated (its plan net of shrinkage).
pub struct NetRun {
    /// The scenario whose plan the engine ran: `1 - shrinkage` of each group's agents.
    pub simulated: Scenario,
    /// One record per replication.
    pub reps: Vec<Replication>,
    /// The summary; `paid_hours` counts every agent of the plan, and `shrinkage_applied` says
    /// what share was off the phones.
    pub summary: Summary,
}

/// Simulates the scenario's plan with `shrinkage` of each group's agents not taking calls
/// ([`ShiftPlan::net_of_shrinkage`](crate::model::ShiftPlan::net_of_shrinkage)): shrinkage is
/// paid time off the phones, so the plan is paid whole and simulated net. The one rule of
/// `simulate --apply-shrinkage`, `compare --apply-shrinkage` and `schedule`; 0 simulates every
/// agent.
///
/// # Errors
/// When the thread pool cannot be built.
pub fn run_net_of_shrinkage(
    scenario: &Scenario,
    shrinkage: f64,
    options: &Options,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<NetRun> {
    let simulated = if shrinkage > 0.0 {
        scenario.with_plan(scenario.plan.net_of_shrinkage(shrinkage))
    } else {
        scenario.clone()
    };
    let reps = run(&simulated, options, progress)?;
    let mut summary = summarize(&simulated, options.seed, &reps);
    summary.paid_hours = scenario.plan.paid_hours(&scenario.grid);
    summary.shrinkage_applied = shrinkage;
    Ok(NetRun { simulated, reps, summary })
}

/// Summarises replications of `scenario` (run with `seed`) for people.
pub fn summarize(scenario: &Scenario, seed: u64, reps: &[Replication]) -> Summary {
    let grid = &scenario.grid;
    let n_types = scenario.call_types.len();
    let n_intervals = grid.len();
    let mut intervals = Vec::with_capacity(n_intervals * n_types);
    for idx in 0..n_intervals {
        for (ct, call_type) in scenario.call_types.iter().enumerate() {
            intervals.push(IntervalSummary {
                day: grid.day_of(idx),
                start: grid.clock_of(idx).to_string(),
                call_type: call_type.name.clone(),
                stats: estimate(reps, |r| &r.intervals[idx * n_types + ct]),
            });
        }
    }
    let agent_groups = scenario
        .agent_groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let pick = |f: &dyn Fn(&(f64, f64)) -> f64, idx: usize| {
                Estimate::from_samples(
                    &reps.iter().map(|r| f(&r.group_intervals[g * n_intervals + idx])).collect::<Vec<_>>(),
                )
            };
            GroupSummary {
                name: group.name.clone(),
                occupancy: Estimate::from_samples(
                    &reps.iter().map(|r| r.group_occupancy[g]).collect::<Vec<_>>(),
                ),
                intervals: (0..n_intervals)
                    .map(|idx| GroupInterval {
                        day: grid.day_of(idx),
                        start: grid.clock_of(idx).to_string(),
                        agents_on_duty: pick(&|t| t.0, idx),
                        occupancy: pick(&|t| t.1, idx),
                    })
                    .collect(),
            }
        })
        .collect();
    let wait_distribution = (0..=n_types)
        .map(|k| {
            let mut merged = WaitHistogram::default();
            for r in reps {
                merged.merge(&r.waits[k]);
            }
            WaitDistribution {
                call_type: (k > 0).then(|| scenario.call_types[k - 1].name.clone()),
                buckets: merged
                    .nonempty_buckets()
                    .into_iter()
                    .map(|(low_s, high_s, count)| WaitBucket { low_s, high_s, count })
                    .collect(),
            }
        })
        .collect();
    Summary {
        scenario: scenario.name.clone(),
        seed,
        replications: reps.len() as u32,
        plan: scenario.plan.name.clone(),
        service_level: ServiceLevelInfo {
            target_s: scenario.service_level.target,
            goal: scenario.service_level.goal,
            definition: scenario.service_level.definition,
        },
        grid: GridInfo {
            start: grid.start().to_string(),
            interval_s: grid.length(),
            per_day: grid.per_day(),
            days: grid.days(),
        },
        paid_hours: scenario.plan.paid_hours(grid),
        shrinkage_applied: 0.0,
        occupancy: Estimate::from_samples(&reps.iter().map(|r| r.occupancy).collect::<Vec<_>>()),
        overall: estimate(reps, |r| &r.overall),
        call_types: scenario
            .call_types
            .iter()
            .enumerate()
            .map(|(ct, c)| CallTypeSummary {
                name: c.name.clone(),
                stats: estimate(reps, |r| &r.call_types[ct]),
            })
            .collect(),
        intervals,
        interval_totals: (0..n_intervals)
            .map(|idx| IntervalTotal {
                day: grid.day_of(idx),
                start: grid.clock_of(idx).to_string(),
                stats: estimate(reps, |r| &r.interval_totals[idx]),
            })
            .collect(),
        agent_groups,
        wait_distribution,
    }
}
