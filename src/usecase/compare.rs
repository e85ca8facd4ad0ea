//! `compare`: several shift plans on the same scenario and the same callers, each plan's
//! figures and each later plan's paired differences from the first ([`crate::compare`]).

use std::path::PathBuf;

use crate::compare::{self, Comparison, PlanInput};
use crate::error::BadInput;
use crate::model::Scenario;
use crate::replicate::Options;
use crate::usecase::{Phase, Progress, off_the_phones, phase};

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
    distinct_names(plans)?;
    let options = &request.options;
    let shrinkage = off_the_phones(scenario, request.apply_shrinkage);
    let steps = u64::from(options.replications) * plans.len() as u64;
    phase(progress, Phase::SimulatingPlans, steps, |tick| {
        compare::compare(scenario, plans, options, shrinkage, tick)
    })
}

/// The plans to compare, read from `files` in order (`scenario` = the scenario's own plan).
///
/// # Errors
/// A plan file that does not load, or two plans with the same name (exit 2).
pub fn plan_inputs(scenario: &Scenario, files: &[PathBuf]) -> anyhow::Result<Vec<PlanInput>> {
    let mut plans = Vec::with_capacity(files.len());
    for file in files {
        if file.as_os_str() == "scenario" {
            plans.push(PlanInput { name: "scenario".into(), file: None, plan: scenario.plan.clone() });
        } else {
            let plan = crate::scenario::load_plan(file, scenario)?;
            plans.push(PlanInput { name: plan.name.clone(), file: Some(file.clone()), plan });
        }
    }
    distinct_names(&plans)?;
    Ok(plans)
}

/// Reports name plans, and differences are keyed by name: two plans may not share one.
///
/// # Errors
/// Bad input (exit 2) naming `--plan` when two plans have the same name.
fn distinct_names(plans: &[PlanInput]) -> anyhow::Result<()> {
    let mut names: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    let Some(name) = names.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]) else { return Ok(()) };
    // A plan file cannot be named `scenario` (`load_plan`), so two are `--plan scenario` twice.
    let fix = if name == "scenario" {
        "; `scenario` is the scenario's own plan: give it once"
    } else {
        "; give each plan file a distinct name"
    };
    Err(BadInput(format!("--plan: two plans are named \"{name}\"{fix}")).into())
}
