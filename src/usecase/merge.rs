//! `ccsim merge`: the parts of a sharded run, checked against the models the run's request
//! rebuilds and folded in order (replication order, or case order) into the result a
//! one-process run gives. The parts were found, read and checked as a set
//! ([`crate::partial::check_set`]) before any of these run; each checks that the parts were
//! made from the very models it rebuilds.

use crate::compare::{Comparing, Comparison, PlanInput};
use crate::error::BadInput;
use crate::model::Scenario;
use crate::partial::{self, Part, Request};
use crate::replicate::{self, Replication, Summarizer};
use crate::risk::{CurvePoint, RiskCurve};
use crate::summary::Summary;
use crate::sweep::{CaseResult, Grid, Sweep, SweepPlan, Vary};
use crate::usecase::{off_the_phones, shard};

/// The summary of a sharded `simulate` run of `scenario` (with the plan its request names).
///
/// # Errors
/// Parts of other models, damaged records (exit 2); a failed run of an event's impact.
pub fn simulate(parts: &[Part], scenario: &Scenario, request: &Request) -> anyhow::Result<Summary> {
    let job = shard::simulate(scenario, None, request.apply_shrinkage);
    partial::check_models(&parts[0], job.shrinkage, &job.simulated)?;
    let mut summarizer = Summarizer::new(&job.simulated[0]);
    fold_parts(parts, &job.simulated, |records| summarizer.add(&records[0]))?;
    let options = request.options();
    let mut summary = replicate::net_summary(&summarizer, scenario, job.shrinkage, options.seed);
    // An event's impact is measured against the same seeds without the event: not part of the
    // shards' records, so the merge measures it as a one-process run does.
    summary.events = crate::risk::event_impacts(&job.simulated[0], &options)?;
    Ok(summary)
}

/// The comparison of a sharded `compare` run of `plans` on `scenario`.
///
/// # Errors
/// Parts of other models, damaged records (exit 2).
pub fn compare(
    parts: &[Part],
    scenario: &Scenario,
    plans: &[PlanInput],
    request: &Request,
) -> anyhow::Result<Comparison> {
    let shrinkage = off_the_phones(scenario, request.apply_shrinkage);
    let mut comparing = Comparing::new(scenario, plans, shrinkage);
    let simulated = comparing.simulated.clone();
    partial::check_models(&parts[0], shrinkage, &simulated)?;
    fold_parts(parts, &simulated, |records| comparing.add(&records))?;
    Ok(comparing.finish(&request.options()))
}

/// The sweep of a sharded `sweep` run over `plans` (each on the scenario the run varies).
///
/// # Errors
/// Parts of other models, cases that are not the run's, damaged records (exit 2).
pub fn sweep(parts: &[Part], plans: Vec<SweepPlan>, request: &Request) -> anyhow::Result<Sweep> {
    let varies = (request.cases.as_ref())
        .map(|c| c.axes.iter().map(|a| a.parse::<Vary>()).collect::<Result<Vec<_>, _>>())
        .transpose()
        .map_err(|e| BadInput(format!("damaged part header: cases: {e}")))?
        .unwrap_or_default();
    let shrinkage = plans.first().map_or(0.0, |p| off_the_phones(&p.scenario, request.apply_shrinkage));
    let grid = Grid::new(&varies, plans, shrinkage)?;
    partial::check_models(&parts[0], shrinkage, &grid.plan_scenarios())?;
    let mut cases = Vec::with_capacity(grid.len());
    for part in parts {
        partial::read_cases(part, |n, case: CaseResult| {
            let found = (case.case, case.plan.as_str());
            if grid.expected(n as usize) != Some(found) {
                return Err(BadInput(format!(
                    "{}: case {n} is {:?} of plan {:?}, not the run's case {n}",
                    part.path.display(),
                    found.0,
                    found.1
                )));
            }
            cases.push(case);
            Ok(())
        })?;
    }
    Ok(grid.assemble(&request.options(), cases))
}

/// The risk curve of a sharded `risk` run of `scenario` (with the plan its request names).
///
/// # Errors
/// Parts of other models, headcounts that are not the run's, damaged records (exit 2).
pub fn risk(parts: &[Part], scenario: &Scenario, request: &Request) -> anyhow::Result<RiskCurve> {
    let shrinkage = off_the_phones(scenario, request.apply_shrinkage);
    partial::check_models(&parts[0], shrinkage, std::slice::from_ref(scenario))?;
    let headcounts = shard::risk_headcounts(request.cases.as_ref())?;
    let mut points = Vec::with_capacity(headcounts.len());
    for part in parts {
        partial::read_cases(part, |n, point: CurvePoint| {
            let expected = headcounts.get(n as usize).copied();
            if expected != Some(point.agents) {
                return Err(BadInput(format!(
                    "{}: case {n} is headcount {}, the run's case {n} is {expected:?}",
                    part.path.display(),
                    point.agents
                )));
            }
            points.push(point);
            Ok(())
        })?;
    }
    Ok(crate::risk::curve_of(scenario, &request.options(), shrinkage, points))
}

/// Feeds the records of every part, in shard order (replication order), to `add`; checks each
/// against the shape of a record of `simulated`.
fn fold_parts(
    parts: &[Part],
    simulated: &[Scenario],
    mut add: impl FnMut(Vec<Replication>),
) -> anyhow::Result<()> {
    let expected: Vec<Replication> = simulated.iter().map(empty_record).collect();
    for part in parts {
        partial::read_body(part, &expected, &mut add)?;
    }
    Ok(())
}

/// A record with the shape every replication of `scenario` has (the lengths `merge` checks).
fn empty_record(scenario: &Scenario) -> Replication {
    let counts =
        crate::sim::Counts::new(scenario.grid.len(), scenario.call_types.len(), scenario.agent_groups.len());
    Replication::from_counts(scenario, &counts)
}
