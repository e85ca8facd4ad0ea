//! Independent replications on all cores, merged in replication order.
//!
//! Replication `r` depends only on (scenario, seed, r), and results are reduced in replication
//! order, so the numbers are the same whatever the thread count. Each replication is reduced to
//! its per-replication statistics at once; replications run in chunks (of 64, fewer when the
//! records are large) and each
//! chunk is folded into running tallies ([`Summarizer`]) before the next starts, so memory holds
//! one engine state per thread and one chunk of records, however many replications run.
//! Paired comparisons fold each replication's difference between plans the same way
//! ([`run_fold_paired`], [`Replication::minus`]); only callers that need every record (the
//! staffing search, tests) collect them with [`run`].

use std::sync::{Arc, Mutex};

use rayon::prelude::*;

pub mod backlog;
pub mod callback;
pub mod channels;
pub mod lines;
mod summarizer;
pub mod tallies;

use summarizer::add_finite;
pub use summarizer::{RateTally, Summarizer, summarize};

use crate::metrics::{self, CallRecord, Metrics};
use crate::model::Scenario;
use crate::sim::{self, Counts};
use crate::stats::{CONFIDENCE, Estimate, RatioTally, WaitHistogram};
use crate::summary::Summary;

/// How many replications, from which seed, on how many threads.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Number of replications, at least 1.
    pub replications: u32,
    /// Base seed.
    pub seed: u64,
    /// Worker threads; `None` = one per core. At most one per replication of a chunk (64) is
    /// started: more would only wait.
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

/// What one replication reports, already reduced from its [`Counts`]. Serializable so that a
/// shard can hand its records to `ccsim merge` exactly ([`crate::partial`]).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Replication {
    /// Per interval and call type (`interval * n_call_types + call_type`).
    pub intervals: Vec<CallRecord>,
    /// Per interval, all call types together.
    pub interval_totals: Vec<CallRecord>,
    /// Per call type over the scenario.
    pub call_types: Vec<CallRecord>,
    /// All contacts.
    pub overall: CallRecord,
    /// Per group and interval (`group * n_intervals + interval`): (agents on duty, occupancy).
    pub group_intervals: Vec<(f64, f64)>,
    /// Per group: occupancy over the scenario.
    pub group_occupancy: Vec<f64>,
    /// All groups: busy time / on-duty time over the scenario.
    pub occupancy: f64,
    /// Waits of answered contacts: all contacts, then each call type.
    pub waits: Vec<WaitHistogram>,
    /// Offered contacts the service level leaves out (emails not yet due at the end, callback
    /// customers its rule leaves out): all contacts, then each call type.
    #[serde(default)]
    pub not_judged: Vec<u64>,
    /// Whether every offered contact ended answered, abandoned, unanswered at close, blocked or
    /// callback failed.
    pub balanced: bool,
    /// Busy signals and line use, when the scenario has telephone lines.
    pub lines: Option<lines::LineReplication>,
    /// Per channel present ([`Scenario::channels`]), each under its own goal.
    pub channels: Vec<CallRecord>,
    /// The email backlog day by day, when the scenario has email call types.
    pub backlog: Option<backlog::BacklogReplication>,
    /// Callback figures, when a call type offers callbacks.
    #[serde(default)]
    pub callbacks: Option<callback::CallbackReplication>,
    /// Per group: mean concurrency, chats held / agents holding chats (time averages over
    /// the run); empty without chats, NaN for a group that held none.
    #[serde(default)]
    pub group_concurrency: Vec<f64>,
}

impl Replication {
    /// Reduces one replication's counts.
    pub fn from_counts(scenario: &Scenario, counts: &Counts) -> Replication {
        let definition = scenario.goal().definition;
        let n_types = scenario.call_types.len();
        let n_intervals = scenario.grid.len();
        // A call type's figures follow its channel's goal; totals follow the scenario's (`goal`).
        let type_definition: Vec<_> =
            scenario.call_types.iter().map(|c| scenario.goal_for(c.channel).definition).collect();
        let intervals =
            counts.cells.iter().enumerate().map(|(i, c)| c.record(type_definition[i % n_types])).collect();
        let type_totals: Vec<_> = (0..n_types).map(|ct| counts.call_type_total(ct)).collect();
        let overall_cell = counts.overall();
        let mut waits = vec![overall_cell.waits.clone()];
        waits.extend(type_totals.iter().map(|c| c.waits.clone()));
        let not_judged = std::iter::once(&overall_cell)
            .chain(&type_totals)
            .map(|c| c.not_yet_due + c.callbacks.left_out_of_sl)
            .collect();
        let interval_s = scenario.grid.length();
        let group_intervals = counts
            .agent_time
            .iter()
            .map(|t| {
                (metrics::agents_on_duty(t.on_duty_s, interval_s), metrics::occupancy(t.busy_s, t.on_duty_s))
            })
            .collect();
        let group_occupancy = (0..scenario.agent_groups.len())
            .map(|g| {
                let slice = &counts.agent_time[g * n_intervals..(g + 1) * n_intervals];
                metrics::occupancy(
                    slice.iter().map(|t| t.busy_s).sum(),
                    slice.iter().map(|t| t.on_duty_s).sum(),
                )
            })
            .collect();
        let occupancy = metrics::occupancy(
            counts.agent_time.iter().map(|t| t.busy_s).sum(),
            counts.agent_time.iter().map(|t| t.on_duty_s).sum(),
        );
        Replication {
            occupancy,
            intervals,
            interval_totals: (0..n_intervals).map(|i| counts.interval_total(i).record(definition)).collect(),
            call_types: type_totals.iter().zip(&type_definition).map(|(c, &d)| c.record(d)).collect(),
            channels: channels::stats(scenario, counts, &overall_cell),
            backlog: backlog::BacklogReplication::from_counts(scenario, counts),
            overall: overall_cell.record(definition),
            group_intervals,
            group_occupancy,
            waits,
            not_judged,
            balanced: counts.cells.iter().all(sim::balances),
            lines: lines::LineReplication::from_counts(scenario, counts),
            callbacks: callback::CallbackReplication::from_counts(scenario, counts),
            group_concurrency: counts.chat_time.iter().map(|t| t.chats_s / t.agents_s).collect(),
        }
    }
}

impl Replication {
    /// This replication's figures minus `base`'s, figure by figure: the paired difference of two
    /// plans met by the same callers. Wait histograms and the email backlog are not differenced
    /// (left empty), nor the bases of rates (0): a difference of rates is of the two ratios of
    /// totals ([`Summarizer::add_paired`]), not a rate of its own. Lines and callbacks, which
    /// hold rates, are differenced there too, and left out here.
    pub fn minus(&self, base: &Replication) -> Replication {
        let diff = |a: &[CallRecord], b: &[CallRecord]| -> Vec<CallRecord> {
            a.iter().zip(b).map(|(y, x)| record_minus(y, x)).collect()
        };
        Replication {
            intervals: diff(&self.intervals, &base.intervals),
            interval_totals: diff(&self.interval_totals, &base.interval_totals),
            call_types: diff(&self.call_types, &base.call_types),
            overall: record_minus(&self.overall, &base.overall),
            group_intervals: self
                .group_intervals
                .iter()
                .zip(&base.group_intervals)
                .map(|(y, x)| (y.0 - x.0, y.1 - x.1))
                .collect(),
            group_occupancy: differences(&self.group_occupancy, &base.group_occupancy),
            occupancy: self.occupancy - base.occupancy,
            waits: Vec::new(),
            not_judged: Vec::new(),
            balanced: self.balanced && base.balanced,
            lines: None,
            channels: diff(&self.channels, &base.channels),
            backlog: None,
            callbacks: None,
            group_concurrency: differences(&self.group_concurrency, &base.group_concurrency),
        }
    }

    /// Every rate of the replication with its base, in the order of a [`Summarizer`]'s rate
    /// tallies: each contact record's [`Metrics`] (intervals by call type, interval totals,
    /// call types, overall, channels), then each group's occupancy by interval (its base the
    /// agents on duty), each group's over the run, and all groups'.
    fn rates(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let records = self.records().flat_map(|r| r.rates().into_values());
        let n_groups = self.group_occupancy.len();
        let n_intervals = self.group_intervals.len() / n_groups.max(1);
        let on_duty = move |g: usize| -> f64 {
            self.group_intervals[g * n_intervals..(g + 1) * n_intervals].iter().map(|x| x.0).sum()
        };
        let all_on_duty: f64 = self.group_intervals.iter().map(|x| x.0).sum();
        records
            .chain(self.group_intervals.iter().map(|&(on_duty, occupancy)| (occupancy, on_duty)))
            .chain(self.group_occupancy.iter().enumerate().map(move |(g, &o)| (o, on_duty(g))))
            .chain(std::iter::once((self.occupancy, all_on_duty)))
    }

    /// The contact records in a [`Summarizer`]'s order.
    fn records(&self) -> impl Iterator<Item = &CallRecord> {
        self.intervals
            .iter()
            .chain(&self.interval_totals)
            .chain(&self.call_types)
            .chain([&self.overall])
            .chain(&self.channels)
    }
}

/// The rates of record `k` of `reps`' intervals (interval `k / n_call_types`, call type
/// `k % n_call_types`), each the ratio of its totals over the replications, as a summary gives
/// them ([`RatioTally`]): what the staffing search judges a cell by.
pub fn cell_rates(reps: &[Replication], k: usize) -> Metrics<Estimate> {
    let mut tallies = Metrics::<RatioTally>::default();
    for r in reps {
        tallies = tallies.zip(r.intervals[k].rates(), |mut t, (rate, base)| {
            t.add(rate, base);
            t
        });
    }
    tallies.map(|t| t.estimate(CONFIDENCE))
}

/// `a`'s statistics minus `b`'s, with no bases.
fn record_minus(a: &CallRecord, b: &CallRecord) -> CallRecord {
    CallRecord { stats: a.stats.zip(b.stats, |y, x| y - x), bases: Metrics::default() }
}

/// `a` minus `b`, value by value: paired differences of per-group or per-interval figures.
pub(crate) fn differences(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(y, x)| y - x).collect()
}

/// Replications run side by side between two reductions: memory holds this many records at
/// most, whatever the number of replications, and the reduction order (replication order) does
/// not depend on the thread count.
const CHUNK: u32 = 64;

/// Bytes the records of one chunk may take, beyond one record per worker: a scenario of many
/// intervals and call types (a year of quarter hours) makes records of tens of megabytes, and
/// 64 of them would hold gigabytes. Fewer replications a chunk changes no figure, only how
/// often the workers wait for the fold.
const CHUNK_BYTES: usize = 256 << 20;

/// Replications a chunk holds for `scenarios` run side by side on `threads` workers: 64, or as
/// many as [`CHUNK_BYTES`] holds of their records, and never fewer than one per worker.
fn chunk_len(scenarios: &[Scenario], threads: usize) -> u32 {
    let record_bytes: usize = scenarios
        .iter()
        .map(|s| {
            let (n_intervals, n_types) = (s.grid.len(), s.call_types.len());
            n_intervals * (n_types + 1) * std::mem::size_of::<CallRecord>()
                + s.agent_groups.len() * n_intervals * std::mem::size_of::<(f64, f64)>()
        })
        .sum();
    let fits = CHUNK_BYTES / record_bytes.max(1);
    (fits.max(threads).max(1) as u32).min(CHUNK)
}

/// Runs the replications of `scenario` in parallel, in chunks of 64, and hands each
/// record to `add` in replication order. `progress` is called once per finished replication
/// (from any thread).
///
/// # Errors
/// When the thread pool cannot be built.
pub fn run_fold<A>(
    scenario: &Scenario,
    options: &Options,
    progress: &(dyn Fn() + Sync),
    acc: A,
    mut add: impl FnMut(&mut A, Replication),
) -> anyhow::Result<A> {
    run_fold_paired(std::slice::from_ref(scenario), options, progress, acc, |acc, mut records| {
        if let Some(rep) = records.pop() {
            add(acc, rep);
        }
    })
}

/// [`run_fold`] for several scenarios on the same seeds: `add` gets replication `r` of every
/// scenario at once (in the scenarios' order), for paired comparisons with common random
/// numbers. `progress` is called once per finished replication of any scenario.
///
/// # Errors
/// When the thread pool cannot be built, or a replication's contacts do not balance
/// ([`sim::Unbalanced`], an internal error: exit 1).
pub fn run_fold_paired<A>(
    scenarios: &[Scenario],
    options: &Options,
    progress: &(dyn Fn() + Sync),
    acc: A,
    add: impl FnMut(&mut A, Vec<Replication>),
) -> anyhow::Result<A> {
    run_fold_range(scenarios, options, 0..options.replications, progress, acc, add)
}

/// [`run_fold_paired`] for the replications in `range` only (a shard of the run: replication
/// `r` still draws from `(seed, r)`, so the records are those of the whole run).
///
/// # Errors
/// As [`run_fold_paired`].
pub fn run_fold_range<A>(
    scenarios: &[Scenario],
    options: &Options,
    range: std::ops::Range<u32>,
    progress: &(dyn Fn() + Sync),
    mut acc: A,
    mut add: impl FnMut(&mut A, Vec<Replication>),
) -> anyhow::Result<A> {
    let n = scenarios.len();
    let chunk_len = chunk_len(scenarios, options.threads.unwrap_or_else(rayon::current_num_threads));
    let one = |(k, r): (usize, u32)| -> anyhow::Result<Replication> {
        let counts = sim::run_untraced(&scenarios[k], options.seed, r);
        sim::check_counts(&scenarios[k], r, &counts)?;
        let rep = Replication::from_counts(&scenarios[k], &counts);
        progress();
        Ok(rep)
    };
    // A chunk holds at most this many jobs: more threads would only wait, and a thousand idle
    // workers cost more than the simulations (8 s against 0.3 s on a small staffing search).
    let jobs_per_chunk = (chunk_len.min(range.len() as u32).max(1) as usize).saturating_mul(n.max(1));
    // One worker at a time (one thread asked for, or one job a chunk) runs on this thread: a
    // pool would only add a thread to start and to wake for each chunk.
    let sequential = options.threads.map_or(jobs_per_chunk, |threads| threads.min(jobs_per_chunk)) <= 1;
    let pool = match options.threads {
        Some(threads) if !sequential => Some(pool_of(threads.min(jobs_per_chunk))?),
        _ => None,
    };
    let mut start = range.start;
    while start < range.end && n > 0 {
        let end = start.saturating_add(chunk_len).min(range.end);
        // Replication-major: the records of replication r of every scenario sit together.
        let jobs = (start..end).into_par_iter().flat_map_iter(|r| (0..n).map(move |k| (k, r)));
        let chunk: Vec<Replication> = if sequential {
            (start..end).flat_map(|r| (0..n).map(move |k| (k, r))).map(one).collect::<Result<_, _>>()
        } else {
            match &pool {
                Some(pool) => pool.install(|| jobs.map(one).collect::<Result<_, _>>()),
                None => jobs.map(one).collect::<Result<_, _>>(),
            }
        }?;
        let mut records = chunk.into_iter();
        for _ in start..end {
            add(&mut acc, records.by_ref().take(n).collect());
        }
        start = end;
    }
    Ok(acc)
}

/// A thread pool of `threads` workers (at least 1), built once and reused by every later call
/// asking for as many: a command runs many simulations (the staffing search one per step), and
/// building a pool of a thousand threads each time cost seconds per step. The last pool built
/// is kept for the rest of the process.
fn pool_of(threads: usize) -> anyhow::Result<Arc<rayon::ThreadPool>> {
    static POOL: Mutex<Option<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(None);
    let threads = threads.max(1);
    // A poisoned lock only means another thread panicked while holding it; the pool inside
    // is still whole.
    let mut cached = POOL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, pool)) = cached.as_ref().filter(|(n, _)| *n == threads) {
        return Ok(Arc::clone(pool));
    }
    let pool = Arc::new(rayon::ThreadPoolBuilder::new().num_threads(threads).build()?);
    *cached = Some((threads, Arc::clone(&pool)));
    Ok(pool)
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
    run_fold(scenario, options, progress, Vec::with_capacity(options.replications as usize), |reps, r| {
        reps.push(r)
    })
}

/// A plan simulated with shrinkage taken out: the summary and the scenario as simulated (its
/// plan net of shrinkage).
pub struct NetRun {
    /// The scenario whose plan the engine ran: `1 - shrinkage` of each group's agents.
    pub simulated: Scenario,
    /// The summary; `paid_hours` counts every agent of the plan, and `shrinkage_applied` says
    /// what share was off the phones.
    pub summary: Summary,
}

/// The scenario as the engine runs it when `shrinkage` of each group's paid time is not taking
/// calls ([`crate::shrinkage::net_of_shrinkage`]): shrinkage is paid time off the phones, so a
/// plan is paid whole and simulated net. The one rule of `simulate --apply-shrinkage`,
/// `compare --apply-shrinkage` and `schedule`; 0 simulates every agent.
pub fn on_the_phones(scenario: &Scenario, shrinkage: f64) -> Scenario {
    if shrinkage > 0.0 {
        scenario.with_plan(crate::shrinkage::net_of_shrinkage(&scenario.plan, &scenario.grid, shrinkage))
    } else {
        scenario.clone()
    }
}

/// The summary of `summarizer` (replications of `on_the_phones(scenario, shrinkage)`): paid
/// hours count every agent of `scenario`'s plan.
pub fn net_summary(summarizer: &Summarizer, scenario: &Scenario, shrinkage: f64, seed: u64) -> Summary {
    let mut summary = summarizer.finish(scenario, seed);
    summary.shrinkage_applied = shrinkage;
    summary
}

/// Simulates the scenario's plan with `shrinkage` of each group's agents off the phones (see
/// [`on_the_phones`]) and summarises it.
///
/// # Errors
/// When the thread pool cannot be built.
pub fn run_net_of_shrinkage(
    scenario: &Scenario,
    shrinkage: f64,
    options: &Options,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<NetRun> {
    let simulated = on_the_phones(scenario, shrinkage);
    let summarizer =
        run_fold(&simulated, options, progress, Summarizer::new(&simulated), |s, rep| s.add(&rep))?;
    let summary = net_summary(&summarizer, scenario, shrinkage, options.seed);
    Ok(NetRun { simulated, summary })
}
