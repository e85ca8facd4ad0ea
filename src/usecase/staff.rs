//! `staff`: the required agents per interval by the method asked for (Erlang C, Erlang A, the
//! simulation search, or all with the waterfall between them), and that requirement as a plan
//! file.

use crate::model::Scenario;
use crate::replicate::Options;
use crate::staffing::{self, ChatModel, Method, Staffing};
use crate::usecase::{Phase, Progress, phase};

/// What to compute.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Request {
    /// Which requirements.
    pub method: Method,
    /// Replications, seed and threads of the simulation search.
    pub options: Options,
    /// Meet the goal in at least this share of replications in every interval with calls
    /// (`--risk`), not only on the mean.
    pub risk: Option<f64>,
    /// With [`ChatModel::Exact`], chat rows also get the exact chat model's requirement
    /// (`--chat-model exact`); the requirement itself is the same either way.
    pub chat_model: ChatModel,
}

/// Computes the requirement: the staffing searches are one progress step each, and with
/// [`ChatModel::Exact`] so is each distinct chat cell's exact search, in a phase of its own
/// (minutes near the state limit, which would otherwise pass without a word).
///
/// # Errors
/// See [`staffing::plan`] and [`staffing::chat_exact::per_call_type`].
pub fn staff(scenario: &Scenario, request: &Request, progress: &dyn Progress) -> anyhow::Result<Staffing> {
    let searches = staffing::searches(scenario, request.method) + u64::from(request.risk.is_some());
    let mut staffing = phase(progress, Phase::SearchingStaffing, searches, |tick| {
        staffing::plan_with_risk(scenario, request.method, &request.options, request.risk, tick)
    })?;
    if request.chat_model == ChatModel::Exact {
        let cells = staffing::chat_exact::searches(scenario);
        phase(progress, Phase::SolvingChatExact, cells, |tick| {
            staffing::chat_exact::add_to(scenario, &mut staffing.report, tick)
        })?;
    }
    Ok(staffing)
}

/// The requirement as a plan file (`requirement.toml`: per-interval staffing vectors, usable
/// with `--plan` and `schedule --requirement`), with a header saying how it was computed.
pub fn requirement_toml(scenario: &Scenario, staffing: &Staffing, method: Method) -> String {
    let plan = staffing::requirement_plan(scenario, &staffing.requirement, "requirement");
    let header = format!(
        "# Staffing requirement by ccsim staff --method {}: agents on duty (taking calls) per\n\
         # interval and group, before shrinkage.\n",
        method_name(method)
    );
    header + &crate::scenario::plan_to_toml(&plan, scenario)
}

/// The method's name as on the command line (`erlang-c`, `simulation`, ...).
pub fn method_name(method: Method) -> String {
    clap::ValueEnum::to_possible_value(&method)
        .map_or_else(|| "all".to_string(), |v| v.get_name().to_string())
}
