//! `simulate`: a scenario's replications, summarised, with the plan's shrinkage taken off the
//! phones when asked; and the call-by-call trace of one replication.

use crate::model::Scenario;
use crate::replicate::{self, Options};
use crate::report::trace::TraceCsv;
use crate::sim;
use crate::summary::Summary;
use crate::usecase::{Phase, Progress, off_the_phones, phase};

/// What to simulate and how.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Request {
    /// Replications, seed and threads.
    pub options: Options,
    /// Take the scenario's `[staffing] shrinkage` out of the plan's agents before simulating
    /// (paid hours still count every agent).
    pub apply_shrinkage: bool,
}

/// A simulated scenario.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The scenario as the engine ran it (its plan net of shrinkage when that was applied).
    pub simulated: Scenario,
    /// The figures over all replications.
    pub summary: Summary,
}

/// Simulates `scenario`'s replications and summarises them.
///
/// # Errors
/// When the thread pool cannot be built, or a replication's contacts do not balance.
pub fn simulate(
    scenario: &Scenario,
    request: &Request,
    progress: &dyn Progress,
) -> anyhow::Result<Simulation> {
    let options = &request.options;
    let shrinkage = off_the_phones(scenario, request.apply_shrinkage);
    let mut run = phase(progress, Phase::Simulating, u64::from(options.replications), |tick| {
        replicate::run_net_of_shrinkage(scenario, shrinkage, options, tick)
    })?;
    run.summary.events = crate::risk::event_impacts(&run.simulated, options)?;
    Ok(Simulation { simulated: run.simulated, summary: run.summary })
}

/// Writes the call-by-call log of replication 0 of `simulated` (a [`Simulation::simulated`],
/// run with `seed`) as CSV.
///
/// # Errors
/// When `out` fails.
pub fn trace(simulated: &Scenario, seed: u64, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut trace = TraceCsv::new(simulated, out);
    sim::run(simulated, seed, 0, &mut trace);
    trace.finish().map(drop)
}
