//! One shard of a sharded run (`simulate`, `compare`, `sweep` or `risk` with `--shard K/N`): what
//! the shard simulates, decided here once for each command, so that the shard's models are the very
//! models a one-process run simulates and `merge` can check them against its own.
//!
//! A shard runs only its block of the replications, on the run's seeds (or, for a sweep or a
//! risk curve, its block of the cases), and gives a part ([`crate::partial`]) that the command
//! line writes; [`super::merge`] folds the parts in order into the result of the whole run.

use std::path::{Path, PathBuf};

use crate::compare::{Comparing, PlanInput};
use crate::error::BadInput;
use crate::model::Scenario;
use crate::partial::{self, Cases, Command, PartHeader, PartWriter, Request};
use crate::replicate::{self, Options};
use crate::shard::Shard;
use crate::usecase::off_the_phones;

/// What one shard of a run simulates.
#[derive(Clone, Debug)]
pub struct Job {
    /// The command whose run is sharded.
    pub command: Command,
    /// The plan files as given (a comparison's `scenario` stands for the scenario's own plan),
    /// recorded in the part for `merge`.
    pub plan_files: Vec<PathBuf>,
    /// Whether `[staffing] shrinkage` was taken off the phones.
    pub apply_shrinkage: bool,
    /// The share of each plan's agents taken off the phones (0 when not applied).
    pub shrinkage: f64,
    /// The models simulated on the same seeds, one record each per replication: the scenario
    /// for `simulate`, every plan in order for `compare`.
    pub simulated: Vec<Scenario>,
}

/// The shard of `simulate`: `scenario` (with `plan_file`'s plan, if one replaced its own),
/// net of shrinkage when asked.
pub fn simulate(scenario: &Scenario, plan_file: Option<&Path>, apply_shrinkage: bool) -> Job {
    let shrinkage = off_the_phones(scenario, apply_shrinkage);
    Job {
        command: Command::Simulate,
        plan_files: plan_file.map(Path::to_path_buf).into_iter().collect(),
        apply_shrinkage,
        shrinkage,
        simulated: vec![replicate::on_the_phones(scenario, shrinkage)],
    }
}

/// The shard of `compare`: every plan of `plans` (read from `plan_files`) on `scenario`, net of
/// shrinkage when asked, as [`crate::compare::Comparing`] simulates them.
pub fn compare(
    scenario: &Scenario,
    plan_files: &[PathBuf],
    plans: &[PlanInput],
    apply_shrinkage: bool,
) -> Job {
    let shrinkage = off_the_phones(scenario, apply_shrinkage);
    Job {
        command: Command::Compare,
        plan_files: plan_files.to_vec(),
        apply_shrinkage,
        shrinkage,
        simulated: Comparing::new(scenario, plans, shrinkage).simulated,
    }
}

/// The header of the part of `shard` of `job`'s run (described by `request`): the block of the
/// replications it holds, and what ties it to the run.
pub fn replications_header(
    job: &Job,
    scenario_name: &str,
    request: Request,
    options: &Options,
    shard: Shard,
) -> PartHeader {
    let block = shard.block(options.replications);
    PartHeader {
        first_replication: block.start,
        end_replication: block.end,
        ..header(scenario_name, request, job.shrinkage, &job.simulated, shard)
    }
}

/// Simulates the replications `part`'s header names, every model of `job` on the run's seeds,
/// and writes the records of each replication into `part` in order, as they come.
///
/// # Errors
/// A failed run.
pub fn replications(
    job: &Job,
    options: &Options,
    progress: &(dyn Fn() + Sync),
    part: &mut PartWriter,
) -> anyhow::Result<()> {
    let block = part.header().first_replication..part.header().end_replication;
    replicate::run_fold_range(&job.simulated, options, block, progress, part, |part, records| {
        part.push(&records);
    })?;
    Ok(())
}

/// The header of the part of `shard` of a run sharded by case (`request.cases`): the block of
/// the cases it holds, and what ties it to the run. `simulated` are the models the cases are
/// built from (fingerprinted).
pub fn cases_header(
    scenario_name: &str,
    request: Request,
    simulated: &[Scenario],
    shard: Shard,
) -> PartHeader {
    let block = shard.block(request.cases.as_ref().map_or(0, |c| c.count));
    // A risk curve or a sweep with --apply-shrinkage takes the scenario's shrinkage off every case.
    let shrinkage = simulated.first().map_or(0.0, |s| off_the_phones(s, request.apply_shrinkage));
    PartHeader {
        first_case: Some(block.start),
        end_case: Some(block.end),
        ..header(scenario_name, request, shrinkage, simulated, shard)
    }
}

/// Runs the cases `part`'s header names, one call of `case` per case number in order, and
/// writes their figures into `part`.
///
/// # Errors
/// A failed case.
pub fn cases<T: serde::Serialize>(
    part: &mut PartWriter,
    mut case: impl FnMut(u32) -> anyhow::Result<T>,
) -> anyhow::Result<()> {
    let header = part.header();
    for n in header.first_case.unwrap_or(0)..header.end_case.unwrap_or(0) {
        part.push(&case(n)?);
    }
    Ok(())
}

/// The header of a part of the run `request`, holding every replication and no case range.
fn header(
    scenario_name: &str,
    request: Request,
    shrinkage: f64,
    simulated: &[Scenario],
    shard: Shard,
) -> PartHeader {
    PartHeader {
        format: partial::FORMAT_VERSION,
        ccsim_version: partial::VERSION.to_string(),
        scenario: scenario_name.to_string(),
        model_hash: partial::fingerprint_run(&request, shrinkage, simulated),
        files: partial::source_files(&request, simulated),
        first_replication: 0,
        end_replication: request.replications,
        request,
        shard,
        first_case: None,
        end_case: None,
        records_per_replication: simulated.len(),
        body_bytes: 0,
        body_hash: String::new(),
    }
}

/// The name of a risk curve's one axis of cases.
const HEADCOUNT_AXIS: &str = "headcount";

/// The cases of a risk curve sharded by headcount, in order.
pub fn risk_cases(headcounts: &[u32]) -> Cases {
    let values: Vec<String> = headcounts.iter().map(u32::to_string).collect();
    Cases { axes: vec![format!("{HEADCOUNT_AXIS}={}", values.join(","))], count: headcounts.len() as u32 }
}

/// The headcounts a part's cases name (see [`risk_cases`]).
///
/// # Errors
/// [`BadInput`] when they are not a risk curve's.
pub fn risk_headcounts(cases: Option<&Cases>) -> Result<Vec<u32>, BadInput> {
    let bad = || BadInput("damaged part header: the cases are not a risk curve's headcounts".into());
    let cases = cases.ok_or_else(bad)?;
    let [axis] = cases.axes.as_slice() else { return Err(bad()) };
    let values = axis.strip_prefix(HEADCOUNT_AXIS).and_then(|v| v.strip_prefix('=')).ok_or_else(bad)?;
    let headcounts: Vec<u32> =
        values.split(',').map(|v| v.parse::<u32>().map_err(|_| bad())).collect::<Result<_, _>>()?;
    if headcounts.len() != cases.count as usize {
        return Err(bad());
    }
    Ok(headcounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parts_headcounts_read_back_and_anything_else_is_refused() {
        let headcounts = [10, 12, 14, 16];
        assert_eq!(risk_headcounts(Some(&risk_cases(&headcounts))).unwrap(), headcounts);
        let sweep = Cases { axes: vec!["agents=0,1".into()], count: 2 };
        assert!(risk_headcounts(Some(&sweep)).is_err());
        let short = Cases { count: 5, ..risk_cases(&headcounts) };
        assert!(risk_headcounts(Some(&short)).is_err());
        assert!(risk_headcounts(None).is_err());
    }
}
