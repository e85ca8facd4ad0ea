//! What-if sweeps: the cartesian grid of cases over a few factors (call volume, handle time,
//! headcount), each case simulated on the same seeds as every other (common random numbers), so
//! differences between cases come from the factors, not from noise.
//!
//! A factor changes the validated scenario before it is simulated, and nothing else:
//! - `volume`: every call type's forecast volume is multiplied by the value;
//! - `handle_time`: every agent group's handle-time factor is multiplied by the value (so every
//!   handle time is, draw for draw);
//! - `agents`: the value (a whole number, may be negative) is added to every shift block and to
//!   every interval of every staffing vector of the plan, never going below 0.
//!
//! Plans (`--plan A --plan B`) are one more dimension: every combination of the factors' values
//! is simulated with every plan, on the same seeds again. Cases are numbered from 0 in grid
//! order: the factors in the order given, then the plan, the plan varying fastest:
//!
//! ```text
//! case n = (index of the factors' combination) · (number of plans) + (index of the plan)
//! ```
//!
//! The case with volume 1, handle time 1 and agents 0 is the scenario itself (with that plan):
//! its figures are those of `ccsim simulate` on the same seed.
//!
//! A case's figures depend only on the case and the seeds, so a sweep shards by case: a shard
//! simulates a block of case numbers ([`crate::shard::Shard::block`]) and its part holds their
//! [`CaseResult`]s, which `ccsim merge` puts back in case order.

mod csv;
mod factor;

use serde::{Deserialize, Serialize};

pub use csv::write_csv;
pub use factor::{Factor, MIN_FACTOR, Vary};

use crate::error::{BadInput, quoted_number};
use crate::metrics::CallStats;
use crate::model::{Scenario, ServiceLevelGoal};
use crate::replicate::{self, Options};
use crate::stats::Estimate;

/// Most cases of one sweep (each is a full simulation).
pub const MAX_CASES: usize = 10_000;

/// One case: a value of every factor.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Volume factor.
    pub volume: f64,
    /// Handle-time factor.
    pub handle_time: f64,
    /// Agents added.
    pub agents: i64,
}

impl Case {
    fn set(&mut self, factor: Factor, value: f64) {
        match factor {
            Factor::Volume => self.volume = value,
            Factor::HandleTime => self.handle_time = value,
            Factor::Agents => self.agents = value as i64,
        }
    }

    /// The scenario of this case.
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        let mut case = scenario.clone();
        for call_type in &mut case.call_types {
            for v in &mut call_type.volumes {
                *v *= self.volume;
            }
        }
        for group in &mut case.agent_groups {
            group.handle_time_factor *= self.handle_time;
        }
        let add = |n: &mut u32| *n = (i64::from(*n) + self.agents).clamp(0, i64::from(u32::MAX)) as u32;
        for shift in &mut case.plan.shifts {
            add(&mut shift.agents);
        }
        for staffing in &mut case.plan.staffing {
            staffing.agents.iter_mut().for_each(add);
        }
        case
    }
}

/// Refuses, before any case runs, a factor's value that takes `scenario` past a cap a scenario
/// file is held to ([`crate::limits`]): the contacts of a replication, the handle-time factor
/// of a group, the agents of a shift block or an interval, the agent-days of the shifts. Each
/// cap grows with one factor only, so the largest value of each factor is the case to check.
fn within_caps(varies: &[Vary], scenario: &Scenario) -> Result<(), BadInput> {
    use crate::limits::{MAX_AGENT_DAYS, MAX_AGENTS, MAX_CONTACTS_PER_REPLICATION, MAX_HANDLE_TIME_FACTOR};
    let largest = |factor: Factor| {
        varies.iter().filter(|v| v.factor == factor).flat_map(|v| v.values.iter().copied()).reduce(f64::max)
    };
    // Agents are whole numbers, written whole however large.
    let refuse = |factor: Factor, value: f64, what: String| {
        let value = if factor == Factor::Agents { format!("{}", value as i64) } else { quoted_number(value) };
        Err(BadInput(format!("--vary {}={value}: {what}", factor.name())))
    };
    if let Some(volume) = largest(Factor::Volume) {
        // The events' volume factors multiply the volumes too, as validation counts them.
        let volumes: Vec<&[f64]> = scenario.call_types.iter().map(|c| c.volumes.as_slice()).collect();
        let contacts = crate::events::offered_contacts(&volumes, &scenario.events, &scenario.grid) * volume;
        if contacts > MAX_CONTACTS_PER_REPLICATION {
            return refuse(
                Factor::Volume,
                volume,
                format!(
                    "the volumes would offer {} contacts a replication, more than the cap of \
                     {MAX_CONTACTS_PER_REPLICATION:.0} (MAX_CONTACTS_PER_REPLICATION)",
                    quoted_number(contacts.round())
                ),
            );
        }
    }
    if let Some(handle_time) = largest(Factor::HandleTime)
        && let Some(group) =
            scenario.agent_groups.iter().find(|g| g.handle_time_factor * handle_time > MAX_HANDLE_TIME_FACTOR)
    {
        return refuse(
            Factor::HandleTime,
            handle_time,
            format!(
                "group \"{}\" would have a handle-time factor of {}, more than the cap of \
                 {MAX_HANDLE_TIME_FACTOR} (MAX_HANDLE_TIME_FACTOR)",
                group.name,
                quoted_number(group.handle_time_factor * handle_time)
            ),
        );
    }
    if let Some(added) = largest(Factor::Agents) {
        let with = |n: u32| i64::from(n).saturating_add(added as i64).max(0) as u64;
        let plan = &scenario.plan;
        let blocks = plan.shifts.iter().map(|s| s.agents);
        let most = blocks.chain(plan.staffing.iter().flat_map(|g| g.agents.iter().copied())).max().map(with);
        if let Some(most) = most.filter(|&n| n > u64::from(MAX_AGENTS)) {
            return refuse(
                Factor::Agents,
                added,
                format!(
                    "{most} agents in a shift block or an interval, more than the cap of {MAX_AGENTS} (MAX_AGENTS)"
                ),
            );
        }
        let days = scenario.grid.days();
        let agent_days: u64 = plan.shifts.iter().map(|s| with(s.agents) * s.days_worked(days) as u64).sum();
        if agent_days > MAX_AGENT_DAYS {
            return refuse(
                Factor::Agents,
                added,
                format!(
                    "the shifts would make {agent_days} agent-days, more than the cap of {MAX_AGENT_DAYS} \
                     (MAX_AGENT_DAYS)"
                ),
            );
        }
    }
    Ok(())
}

/// The cases of `varies`: the cartesian product, the last factor varying fastest.
///
/// # Errors
/// [`BadInput`] for a factor given twice or more than [`MAX_CASES`] cases.
pub fn cases(varies: &[Vary]) -> Result<Vec<Case>, BadInput> {
    for (i, v) in varies.iter().enumerate() {
        if varies[..i].iter().any(|w| w.factor == v.factor) {
            return Err(BadInput(format!("--vary: {} is given twice", v.factor.name())));
        }
    }
    let total = varies.iter().try_fold(1usize, |n, v| n.checked_mul(v.values.len())).unwrap_or(usize::MAX);
    if total > MAX_CASES {
        return Err(BadInput(format!("--vary: {total} cases; at most {MAX_CASES}")));
    }
    let mut cases = vec![Case { volume: 1.0, handle_time: 1.0, agents: 0 }];
    for vary in varies {
        cases = cases
            .iter()
            .flat_map(|c| {
                vary.values.iter().map(move |&v| {
                    let mut c = *c;
                    c.set(vary.factor, v);
                    c
                })
            })
            .collect();
    }
    Ok(cases)
}

/// A sweep's results (the `sweep --format json` contract).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// Scenario name.
    pub scenario: String,
    /// Base seed, shared by every case.
    pub seed: u64,
    /// Replications of every case.
    pub replications: u32,
    /// The factors varied, in the order given.
    pub factors: Vec<Factor>,
    /// The plans, in the order given (the scenario's own plan when none is given).
    #[serde(default)]
    pub plans: Vec<String>,
    /// The service-level objective the figures are judged against (with one channel, its goal).
    pub service_level: ServiceLevelGoal,
    /// With several channels, each channel's goal, which its call types are judged against;
    /// absent with one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channel_goals: Vec<crate::model::ChannelGoal>,
    /// Every case, in grid order (the plan varying fastest).
    pub cases: Vec<CaseResult>,
    /// The shrinkage taken out of every case's plan before simulating (`--apply-shrinkage`);
    /// absent without it. Paid hours still count every agent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub shrinkage_applied: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// One case's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The factors' values.
    #[serde(flatten)]
    pub case: Case,
    /// The plan's name.
    pub plan: String,
    /// Paid agent-hours of the case's plan.
    pub paid_hours: f64,
    /// Occupancy of all groups.
    pub occupancy: Estimate,
    /// All contacts.
    pub overall: CallStats<Estimate>,
    /// Per call type.
    pub call_types: Vec<crate::summary::CallTypeSummary>,
    /// Busy signals, only when the scenario has telephone lines: with `callbacks` they close
    /// the case's balance (offered = answered + abandoned + unanswered at close + blocked +
    /// callbacks failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<CaseFigures<crate::metrics::LineStats<Estimate>>>,
    /// Callback figures, only when a call type offers callbacks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<CaseFigures<crate::metrics::CallbackStats<Estimate>>>,
}

/// A case's figures of a kind only some scenarios have (lines, callbacks), for all contacts
/// and per call type, as `simulate` has them without the intervals (a case has none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseFigures<S> {
    /// All contacts.
    pub overall: S,
    /// Per call type, in scenario order.
    pub call_types: Vec<crate::summary::CallTypeRecord<S>>,
}

impl<S: Copy> CaseFigures<S> {
    /// The figures of the row named `call_type` (`all`: every contact), as the CSV's rows go.
    fn of(&self, call_type: &str) -> Option<&S> {
        if call_type == crate::report::ALL_ROW_CSV {
            return Some(&self.overall);
        }
        self.call_types.iter().find(|c| c.name == call_type).map(|c| &c.stats)
    }
}

/// A plan of a sweep: its name and the scenario worked by it.
#[derive(Clone, Debug)]
pub struct SweepPlan {
    /// Name in outputs.
    pub name: String,
    /// The scenario with this plan.
    pub scenario: Scenario,
}

/// What a sweep simulates: every combination of the factors' values with every plan.
#[derive(Clone, Debug)]
pub struct Grid {
    varies: Vec<Vary>,
    combinations: Vec<Case>,
    plans: Vec<SweepPlan>,
    /// The share of every case's agents off the phones (0: every agent takes calls).
    shrinkage: f64,
}

impl Grid {
    /// The grid of `varies` and `plans` (at least one), each case's plan simulated with
    /// `shrinkage` of its agents off the phones (0: every agent takes calls), as `simulate
    /// --apply-shrinkage` does after the factors are applied.
    ///
    /// # Errors
    /// [`BadInput`] for a factor given twice, no plan, or more than [`MAX_CASES`] cases.
    pub fn new(varies: &[Vary], plans: Vec<SweepPlan>, shrinkage: f64) -> Result<Grid, BadInput> {
        let combinations = cases(varies)?;
        if plans.is_empty() {
            return Err(BadInput("a sweep needs a plan".into()));
        }
        let total = combinations.len().saturating_mul(plans.len());
        if total > MAX_CASES {
            return Err(BadInput(format!(
                "--vary and --plan: {} cases of the factors × {} plans = {total} cases; at most {MAX_CASES}",
                combinations.len(),
                plans.len()
            )));
        }
        for plan in &plans {
            within_caps(varies, &plan.scenario)?;
        }
        Ok(Grid { varies: varies.to_vec(), combinations, plans, shrinkage })
    }

    /// Number of cases.
    pub fn len(&self) -> usize {
        self.combinations.len() * self.plans.len()
    }

    /// Whether the grid has no case (never: every factor has a value and there is a plan).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The factors varied, in the order given.
    pub fn varies(&self) -> &[Vary] {
        &self.varies
    }

    /// The scenario of each plan, before any factor is applied (what a part fingerprints).
    pub fn plan_scenarios(&self) -> Vec<Scenario> {
        self.plans.iter().map(|p| p.scenario.clone()).collect()
    }

    /// Case `n`: the factors' values and the plan's name (`None` past the last case).
    pub fn expected(&self, n: usize) -> Option<(Case, &str)> {
        let plan = self.plans.get(n % self.plans.len())?;
        Some((*self.combinations.get(n / self.plans.len())?, plan.name.as_str()))
    }

    /// Simulates case `n` (on the seeds of `options`, as every case). `progress` is called once
    /// per finished replication.
    ///
    /// # Errors
    /// A thread pool that cannot be built; contacts that do not balance (internal).
    pub fn run_case(
        &self,
        n: usize,
        options: &Options,
        progress: &(dyn Fn() + Sync),
    ) -> anyhow::Result<CaseResult> {
        let plan = &self.plans[n % self.plans.len()];
        let case = self.combinations[n / self.plans.len()];
        let run =
            replicate::run_net_of_shrinkage(&case.apply(&plan.scenario), self.shrinkage, options, progress)?;
        let summary = run.summary;
        Ok(CaseResult {
            case,
            plan: plan.name.clone(),
            paid_hours: summary.paid_hours,
            occupancy: summary.occupancy,
            overall: summary.overall,
            call_types: summary.call_types,
            lines: summary.lines.map(|l| CaseFigures { overall: l.overall, call_types: l.call_types }),
            callbacks: summary
                .callbacks
                .map(|c| CaseFigures { overall: c.overall, call_types: c.call_types }),
        })
    }

    /// The sweep of `cases` (every case of the grid, in case order) run with `options`.
    pub fn assemble(&self, options: &Options, cases: Vec<CaseResult>) -> Sweep {
        let first = &self.plans[0].scenario;
        Sweep {
            scenario: first.name.clone(),
            seed: options.seed,
            replications: options.replications,
            factors: self.varies.iter().map(|v| v.factor).collect(),
            plans: self.plans.iter().map(|p| p.name.clone()).collect(),
            service_level: first.goal(),
            channel_goals: first.several_channel_goals(),
            cases,
            shrinkage_applied: self.shrinkage,
        }
    }

    /// What a part records of the cases: each factor with all its values, and the count (the
    /// plans are the request's plan files).
    pub fn cases_request(&self) -> crate::partial::Cases {
        crate::partial::Cases {
            axes: self.varies.iter().map(ToString::to_string).collect(),
            count: self.len() as u32,
        }
    }
}

/// Simulates every case of `grid` with `options` (the same seeds for every case).
/// `progress` is called once per finished replication.
///
/// # Errors
/// A thread pool that cannot be built.
pub fn sweep(grid: &Grid, options: &Options, progress: &(dyn Fn() + Sync)) -> anyhow::Result<Sweep> {
    let cases =
        (0..grid.len()).map(|n| grid.run_case(n, options, progress)).collect::<anyhow::Result<_>>()?;
    Ok(grid.assemble(options, cases))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_lists_parse_into_values() {
        let v: Vary = "volume=0.8..1.2:0.1".parse().unwrap();
        assert_eq!(v.values, [0.8, 0.9, 1.0, 1.1, 1.2]);
        let v: Vary = "agents=-2..+2".parse().unwrap();
        assert_eq!(v.values, [-2.0, -1.0, 0.0, 1.0, 2.0]);
        let v: Vary = "handle_time=0.9,1.0,1.1".parse().unwrap();
        assert_eq!(v.values, [0.9, 1.0, 1.1]);
        for bad in [
            "volume",
            "volumes=1",
            "volume=0..1",
            "agents=0.5",
            "volume=1.2..0.8:0.1",
            "volume=a",
            "volume=1e-320",
            "handle_time=0.0009",
        ] {
            assert!(bad.parse::<Vary>().is_err(), "{bad}");
        }
        // A doubled sign is refused, not read as the second sign alone.
        for doubled in ["agents=+-2", "agents=-+2", "agents=--2", "agents=0..++2"] {
            let err = doubled.parse::<Vary>().unwrap_err();
            assert!(err.contains("is not a number (one sign at most"), "{doubled}: {err}");
        }
        let err = "volume=++1".parse::<Vary>().unwrap_err();
        assert!(err.contains("is not a number (a factor such as 0.9 or 1.1)"), "{err}");
        // A range without a step steps by 1: refused where that would never reach its end.
        let err = "volume=0.8..1.2".parse::<Vary>().unwrap_err();
        assert!(err.contains("has no step") && err.contains("volume=0.8..1.2:0.1"), "{err}");
        let v: Vary = "volume=0.5..2.5".parse().unwrap();
        assert_eq!(v.values, [0.5, 1.5, 2.5]);
        // So is a range whose given step passes over its end, naming the steps that land on it.
        let err = "volume=1..3:0.7".parse::<Vary>().unwrap_err();
        assert!(err.contains("1..3:0.7 never lands on 3") && err.contains("stop at 2.4"), "{err}");
        assert!(err.contains("divides 2 into whole steps, e.g. 1 or 0.666666666667"), "{err}");
        let err = "volume=0.8..1.2:0.15".parse::<Vary>().unwrap_err();
        assert!(err.contains("stop at 1.1") && err.contains("e.g. 0.2 or 0.133333333333"), "{err}");
        // Decimal steps that land on HIGH up to rounding are kept, HIGH included.
        let v: Vary = "volume=0.7..1.3:0.15".parse().unwrap();
        assert_eq!(v.values, [0.7, 0.85, 1.0, 1.15, 1.3]);
        let v: Vary = "handle_time=0.9..1.2:0.1".parse().unwrap();
        assert_eq!(v.values, [0.9, 1.0, 1.1, 1.2]);
        // A value twice (also as 1.0 and 1) is refused, not run as two cases drawn as one.
        for twice in ["volume=1,1,0.9", "volume=1.0,1", "agents=0,0"] {
            assert!(twice.parse::<Vary>().unwrap_err().contains("given twice"), "{twice}");
        }
    }

    #[test]
    fn cases_are_the_cartesian_product_last_factor_fastest() {
        let varies: Vec<Vary> = ["volume=1,2", "agents=0,1,2"].iter().map(|s| s.parse().unwrap()).collect();
        let cases = cases(&varies).unwrap();
        assert_eq!(cases.len(), 6);
        assert_eq!((cases[0].volume, cases[0].agents), (1.0, 0));
        assert_eq!((cases[1].volume, cases[1].agents), (1.0, 1));
        assert_eq!((cases[5].volume, cases[5].agents), (2.0, 2));
        assert!(cases.iter().all(|c| c.handle_time == 1.0));
        let twice: Vec<Vary> = ["agents=1", "agents=2"].iter().map(|s| s.parse().unwrap()).collect();
        assert!(super::cases(&twice).is_err());
    }

    #[test]
    fn a_vary_written_out_reads_back_to_the_same_values() {
        for text in
            ["volume=0.8..1.2:0.1", "agents=-4..+4", "handle_time=0.9,1.05,1.1", "volume=0.3..0.9:0.2"]
        {
            let vary: Vary = text.parse().unwrap();
            let back: Vary = vary.to_string().parse().unwrap();
            assert_eq!(back, vary, "{text} written as {vary}");
        }
    }

    #[test]
    fn plans_vary_fastest_in_the_case_numbers() {
        let scenario =
            crate::scenario::load_with_plan(std::path::Path::new("scenarios/single-queue.toml"), None)
                .unwrap()
                .scenario;
        let plan = |name: &str| SweepPlan { name: name.to_string(), scenario: scenario.clone() };
        let varies: Vec<Vary> = ["volume=1,2", "agents=0,1,2"].iter().map(|s| s.parse().unwrap()).collect();
        let grid = Grid::new(&varies, vec![plan("a"), plan("b")], 0.0).unwrap();
        assert_eq!(grid.len(), 12);
        let (case, name) = grid.expected(3).unwrap();
        assert_eq!((case.volume, case.agents, name), (1.0, 1, "b"));
        let (case, name) = grid.expected(10).unwrap();
        assert_eq!((case.volume, case.agents, name), (2.0, 2, "a"));
        assert!(grid.expected(12).is_none());
        let many: Vec<Vary> = ["volume=1..100", "agents=0..99"].iter().map(|s| s.parse().unwrap()).collect();
        assert!(Grid::new(&many, vec![plan("a"), plan("b")], 0.0).is_err(), "20,000 cases");
    }
}
