//! `schedule`: the cheapest shift plan, from the scenario's shift templates, that covers the
//! staffing requirement raised by shrinkage; then that plan simulated with its shrinkage off the
//! phones.
//!
//! The steps, in order: the requirement (agents on duty per group and interval, from a plan
//! file or computed now by a staffing method), raised by `[staffing] shrinkage` to agents to
//! schedule; the integer program (written as an LP file when asked); the solve; the plan,
//! simulated net of shrinkage; the report.

use std::path::PathBuf;

use crate::error::BadInput;
use crate::model::{AgentGroupId, Scenario, ShiftPlan};
use crate::replicate::{self, Options};
use crate::report::schedule::{self as view, ScheduleReport};
use crate::schedule::{self, GroupRequirement, Requirement, ScheduleError, SolveSettings};
use crate::staffing::{ChatModel, Method};
use crate::usecase::{Phase, Progress, phase, staff};

/// Where the requirement comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum RequirementSource {
    /// A plan file read by the caller (`--requirement FILE`): its agents on duty.
    Plan {
        /// The plan.
        plan: ShiftPlan,
        /// The file it came from, for the report.
        file: PathBuf,
    },
    /// Computed now by a staffing method.
    Method(Method),
}

/// What to schedule and how.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The requirement before shrinkage.
    pub requirement: RequirementSource,
    /// Optimality gap at which the solver stops (0.005 = 0.5%).
    pub mip_gap: f64,
    /// Wall-clock limit of the solver, s.
    pub time_limit: f64,
    /// Name of the plan built (shown in reports and written in the plan file).
    pub plan_name: String,
    /// Replications, seed and threads of the staffing search and of the plan's simulation.
    pub options: Options,
}

/// A built plan and its report.
#[derive(Clone, Debug)]
pub struct Scheduled {
    /// The plan, named as asked.
    pub plan: ShiftPlan,
    /// Everything `schedule` reports.
    pub report: ScheduleReport,
    /// Where the requirement came from, in words (`file ...`, `ccsim staff --method ...`).
    pub source: String,
}

impl Scheduled {
    /// The plan as a `[[shifts]]` file usable with `--plan`, with a header saying how it was built.
    pub fn plan_toml(&self, scenario: &Scenario) -> String {
        let mut header = format!(
            "# Built by ccsim schedule (solver: {}; requirement: {}).\n",
            serde_json::to_string(&self.report.status).unwrap_or_default().trim_matches('"'),
            self.source
        );
        let shrinkage = scenario.staffing.shrinkage;
        if shrinkage > 0.0 {
            header += &format!(
                "# It counts every agent paid: --apply-shrinkage takes the {} shrinkage off the phones,\n\
                 # as schedule simulated it.\n",
                crate::report::percent(shrinkage)
            );
        }
        header + &crate::scenario::paid_plan_to_toml(&self.plan, scenario)
    }
}

/// Builds and simulates the cheapest plan that covers the requirement. With `lp`, the integer
/// program is first written there as a CPLEX LP file (it stays written when the solve fails).
///
/// # Errors
/// Bad input (exit 2): a scenario without shift templates, a requirement or template the
/// optimiser cannot use, limits that make the requirement impossible; a solver failure (exit 1).
pub fn schedule(
    scenario: &Scenario,
    request: &Request,
    progress: &dyn Progress,
    lp: Option<&mut Vec<u8>>,
) -> anyhow::Result<Scheduled> {
    has_templates(scenario)?;
    let options = &request.options;
    let (on_duty, source, lines_bind) = match &request.requirement {
        RequirementSource::Plan { plan, file } => {
            let rows = plan
                .on_duty(&scenario.grid, scenario.agent_groups.len())
                .iter()
                .map(|g| g.iter().map(|&a| a.ceil() as u32).collect())
                .collect();
            (rows, format!("file {}", file.display()), Vec::new())
        }
        RequirementSource::Method(method) => {
            // The requirement is the estimate's whatever the chat model: the exact figure is
            // `staff`'s, shown beside it.
            let staffing = staff::staff(
                scenario,
                &staff::Request {
                    method: *method,
                    options: *options,
                    risk: None,
                    chat_model: ChatModel::Estimate,
                },
                progress,
            )?;
            let lines_bind = (staffing.report.simulation.map(|s| s.lines_bind)).unwrap_or_default();
            (
                staffing.requirement,
                format!("ccsim staff --method {}", staff::method_name(*method)),
                lines_bind,
            )
        }
    };
    // Shrinkage is paid time off the phones: schedule more agents than take calls.
    let shrinkage = scenario.staffing.shrinkage;
    let required: Vec<Vec<u32>> = on_duty
        .iter()
        .map(|row: &Vec<u32>| {
            row.iter().map(|&a| crate::erlang::scheduled_agents(a, shrinkage).unwrap_or(a)).collect()
        })
        .collect();
    let requirement = Requirement {
        groups: required
            .iter()
            .enumerate()
            .map(|(g, row)| GroupRequirement { group: AgentGroupId(g as u16), required: row.clone() })
            .collect(),
    };
    let settings = SolveSettings {
        mip_gap: request.mip_gap,
        time_limit: request.time_limit,
        max_headcount: scenario.staffing.max_headcount,
    };
    let (templates, grid, n_groups) =
        (&scenario.shift_templates, &scenario.grid, scenario.agent_groups.len());
    if let Some(lp) = lp {
        schedule::write_lp(templates, grid, n_groups, &requirement, &settings, lp)
            .map_err(|e| bad_input(e, scenario))?;
    }
    let solved = phase(progress, Phase::OptimisingShifts, 0, |_| {
        schedule::solve(templates, grid, n_groups, &requirement, &settings)
    });
    let mut solved = solved.map_err(|e| bad_input(e, scenario))?;
    solved.plan.name.clone_from(&request.plan_name);
    // Shrinkage is paid time off the phones: simulate the agents who take calls.
    let planned = scenario.with_plan(solved.plan.clone());
    let summary = phase(progress, Phase::SimulatingPlan, u64::from(options.replications), |tick| {
        replicate::run_net_of_shrinkage(&planned, shrinkage, options, tick)
    })?
    .summary;
    let report = view::report(scenario, &solved, &required, &source, lines_bind, &summary, request.mip_gap);
    Ok(Scheduled { plan: solved.plan, report, source })
}

/// Checks that the scenario has shift templates to build a plan from, that their model is within
/// its cap and that some template reaches the open hours (callers check it before opening
/// outputs or computing a requirement; [`schedule()`] checks it again).
///
/// # Errors
/// Bad input (exit 2) naming the scenario file.
pub fn has_templates(scenario: &Scenario) -> Result<(), BadInput> {
    if scenario.shift_templates.is_empty() {
        return Err(BadInput(format!(
            "{}: shift_templates: the scenario has no [[shift_templates]]; add at least one per agent \
             group to build a plan (`ccsim init` writes a starter with one; see the README, `ccsim schedule`)",
            scenario.source.display()
        )));
    }
    schedule::check_usable(&scenario.shift_templates, &scenario.grid)
        .map_err(|e| BadInput(format!("{}: {e}", scenario.source.display())))
}

/// The optimiser's errors: the user's input (exit 2, naming the scenario file) or the solver's
/// failure (exit 1).
fn bad_input(e: ScheduleError, scenario: &Scenario) -> anyhow::Error {
    let e = e.with_group_names(scenario.agent_groups.iter().map(|g| g.name.clone()).collect());
    if e.is_bad_input() {
        anyhow::Error::new(BadInput(format!("{}: {e}", scenario.source.display())))
    } else {
        anyhow::Error::new(e)
    }
}
