//! One shard of a sharded run (`simulate --shard K/N`, `compare --shard K/N`): what the shard
//! simulates, decided here once for each command, so that the shard's models are the very
//! models a one-process run simulates and `merge` can check them against its own.
//!
//! A shard runs only its block of the replications, on the run's seeds, and writes a part
//! ([`crate::partial`]); `merge` folds the parts in replication order into the outputs of the
//! whole run.

use std::path::{Path, PathBuf};

use crate::compare::{Comparing, PlanInput};
use crate::model::Scenario;
use crate::partial::Command;
use crate::replicate;
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
