//! The plans a sweep runs its cases on, for `sweep` and for the `merge` of a sharded sweep.

use std::path::PathBuf;

use crate::model::Scenario;
use crate::sweep::SweepPlan;
use crate::usecase::compare::plan_inputs;

/// The plans of a sweep: the scenario's own when no plan file is given, else each file's plan
/// on `base`, in order.
///
/// # Errors
/// A plan file that does not load, or two plans with the same name (exit 2).
pub fn plans(base: &Scenario, files: &[PathBuf]) -> anyhow::Result<Vec<SweepPlan>> {
    if files.is_empty() {
        return Ok(vec![SweepPlan { name: base.plan.name.clone(), scenario: base.clone() }]);
    }
    Ok(plan_inputs(base, files)?
        .into_iter()
        .map(|p| SweepPlan { name: p.name, scenario: base.with_plan(p.plan) })
        .collect())
}
