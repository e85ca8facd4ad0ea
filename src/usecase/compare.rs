//! `compare`: several shift plans on the same scenario and the same callers, each plan's
//! figures and each later plan's paired differences from the first ([`crate::compare`]).

use crate::compare::{self, Comparison, PlanInput};
use crate::error::BadInput;
use crate::model::Scenario;
use crate::replicate::Options;
use crate::usecase::{Phase, Progress, phase};

/// How to compare.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Request {
    /// Replications per plan, the seed shared by every plan, threads.
    pub options: Options,
    /// Take the scenario's `[staffing] shrinkage` out of every plan's agents before simulating
    /// (paid hours and cost still count every agent).
    pub apply_shrinkage: bool,
}

/// Simulates every plan on the same seeds and compares each with the first.
///
/// # Errors
/// Bad input (exit 2) when two plans have the same name; when the thread pool cannot be built.
pub fn compare(
    scenario: &Scenario,
    plans: &[PlanInput],
    request: &Request,
    progress: &dyn Progress,
) -> anyhow::Result<Comparison> {
    let mut names: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(BadInput(
            "--plan: two plans have the same name; give each plan file a distinct name".into(),
        )
        .into());
    }
    let options = &request.options;
    let shrinkage = if request.apply_shrinkage { scenario.staffing.shrinkage } else { 0.0 };
    let steps = u64::from(options.replications) * plans.len() as u64;
    phase(progress, Phase::SimulatingPlans, steps, |tick| {
        compare::compare(scenario, plans, options, shrinkage, tick)
    })
}
