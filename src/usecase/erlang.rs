//! `erlang`: the analytic figures of one interval: the smallest staffing that meets every goal
//! (when goals are given) and the model evaluated around it (or around the staffing asked for).

use rayon::prelude::*;

use crate::erlang::{self, ChatExactError, Goals, Model};
use crate::error::BadInput;
use crate::report::erlang::{ErlangReport, LoadSource};
use crate::time::Seconds;
use crate::usecase::{Phase, Progress, phase};

/// Agents shown below the answer in the table.
const ROWS_BELOW: u32 = 3;
/// Agents shown above the answer in the table.
const ROWS_ABOVE: u32 = 6;

/// A validated `ccsim erlang` request.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The queue.
    pub model: Model,
    /// Where the load came from, for the report's heading.
    pub source: LoadSource,
    /// Answer-time target.
    pub target: Seconds,
    /// Goals for the solve.
    pub goals: Goals,
    /// Agents (Erlang B: lines) to evaluate instead of solving.
    pub agents: Option<u32>,
    /// Shrinkage in [0, 1).
    pub shrinkage: f64,
    /// Erlang X: the mean redial delay, shown only (see `--redial-delay`).
    pub redial_delay: Option<Seconds>,
    /// The chat estimate: the throughput factors `1..=K` (`--concurrency-factors`), shown.
    pub concurrency_factors: Option<Vec<f64>>,
}

/// Why no staffing meets the goals. With Erlang X the lines are often the cause: agents
/// beyond the lines have nobody to answer, so the best the lines allow is shown; and where
/// the other goals can be met but blocking cannot, where it stands at the least count that
/// meets them, and which way more agents move it.
fn unreachable_goals(request: &Request) -> BadInput {
    if let Some(max) = request.goals.max_occupancy {
        // The occupancy cap alone can rule every count out: naming the search's cap, or the
        // service the lines allow, would then blame other goals.
        let load = request.model.load();
        let shown = if max >= 1e-4 { max.to_string() } else { format!("{max:e}") };
        let what = "occupancy is the share of time agents are busy, e.g. 0.85";
        if erlang::min_agents_for_occupancy(load, max) == u32::MAX {
            return BadInput(format!(
                "--max-occupancy: an occupancy of at most {shown} at a load of {load:.2} Erlangs needs \
                 {:.3e} agents or more, past any count; give a larger cap ({what})",
                load / max
            ));
        }
        // With lines there is at most an agent a line, and that count's occupancy is the least.
        if let Model::ErlangX(x) = request.model {
            let most = request.model.evaluate(x.lines, request.target).occupancy;
            if most > max {
                return BadInput(format!(
                    "--max-occupancy: with an agent on every one of the {} lines, agents are busy \
                     {:.1}% of the time, above the cap of {shown}; give more lines or a larger cap ({what})",
                    x.lines,
                    100.0 * most
                ));
            }
        }
    }
    if let Model::ErlangX(x) = request.model {
        let best = request.model.evaluate(x.lines, request.target);
        let others = Goals { max_block: None, ..request.goals };
        let first = request.goals.max_block.and_then(|_| erlang::required_agents(&request.model, &others));
        let Some(first) = first else {
            return BadInput(format!(
                "--lines: no staffing meets these goals with {} lines: even with an agent on every line, \
                 {:.1}% of attempts are blocked and the service level is {:.1}%; give more lines",
                x.lines,
                100.0 * best.p_block,
                100.0 * best.metrics.service_level
            ));
        };
        let (least, block) = (first.agents, first.performance.p_block);
        let way = if best.p_block > block {
            format!(
                "more agents block more here (callers who would give up are answered and hold their \
                 line longer), up to {:.1}% with an agent on every line",
                100.0 * best.p_block
            )
        } else {
            format!("even with an agent on every line {:.1}% are blocked", 100.0 * best.p_block)
        };
        let fewest = match goal_count(&others) {
            0 => String::new(),
            1 => ", the fewest that meet the other goal,".to_string(),
            _ => ", the fewest that meet the other goals,".to_string(),
        };
        let (agents, leave) = if least == 1 { ("agent", "leaves") } else { ("agents", "leave") };
        return BadInput(format!(
            "--max-block: no staffing meets these goals with {} lines: {least} {agents}{fewest} {leave} \
             {:.1}% of attempts blocked, and {way}; give more lines or allow more blocking",
            x.lines,
            100.0 * block,
        ));
    }
    let (flags, what) = match request.model {
        Model::ErlangB { .. } => ("--max-block/--max-occupancy", "lines"),
        _ => ("--sl-goal/--asa-goal/--max-abandon/--max-occupancy", "agents"),
    };
    BadInput(format!(
        "{flags}: no staffing up to {} {what} meets these goals",
        erlang::search_cap(&request.model, &request.goals)
    ))
}

/// The exact chat model's refusal of a count whose chain is past its state limit.
fn too_many_states(chat: &erlang::ChatExact, agents: u32) -> BadInput {
    let error = erlang::chat_exact::ChatExactError::TooManyStates {
        agents,
        concurrency: chat.concurrency(),
        states: chat.states(agents),
    };
    BadInput(format!(
        "--model chat-exact: {error} (at most {} agents at this concurrency); use the chat estimate \
         (leave out --model chat-exact)",
        chat.max_agents()
    ))
}

/// How many goals `goals` holds.
fn goal_count(goals: &Goals) -> usize {
    // Taken apart field by field, so that a goal added to `Goals` cannot be left uncounted.
    let Goals { service_level, max_asa, max_abandon, max_occupancy, max_block } = goals;
    [
        service_level.is_some(),
        max_asa.is_some(),
        max_abandon.is_some(),
        max_occupancy.is_some(),
        max_block.is_some(),
    ]
    .into_iter()
    .filter(|&given| given)
    .count()
}

/// Solves (when goals are given) and evaluates the rows of the report. The exact chat model,
/// whose solves take seconds near its state limit, says what it is doing through `progress`:
/// the required-agents search as [`Phase::SearchingChatExact`], then the rows as
/// [`Phase::SolvingChatExactRows`], one step per agent count of the table; the formulas,
/// which take microseconds, report nothing.
///
/// # Errors
/// [`BadInput`] when no staffing up to the search cap meets the goals, or when the exact chat
/// model's answer or the count asked for is past its state limit; an error naming the count
/// should an exact chat chain not settle.
pub fn erlang(request: &Request, progress: &dyn Progress) -> anyhow::Result<ErlangReport> {
    // The exact chat model solves a chain per count: the most agents within its state limit.
    let exact = match request.model {
        Model::ChatExact(chat) => Some(chat),
        _ => None,
    };
    let most = exact.map_or(u32::MAX, |chat| chat.max_agents());
    if let (Some(chat), Some(agents)) = (exact, request.agents.filter(|&agents| agents > most)) {
        return Err(too_many_states(&chat, agents).into());
    }
    let has_goal = request.goals != Goals::default();
    let mut goals_unmet = None;
    let requirement = if has_goal {
        let search = || erlang::required_agents(&request.model, &request.goals);
        let found = match exact {
            Some(_) => phase(progress, Phase::SearchingChatExact, 0, |_| search()),
            None => search(),
        };
        if found.is_none() {
            let why = match exact.filter(|chat| erlang::reaches_past_state_limit(chat, &request.goals)) {
                Some(chat) => too_many_states(&chat, most + 1),
                None => unreachable_goals(request),
            };
            // With a count asked for, its figures are still the answer; the report says why
            // no required count stands beside them.
            if request.agents.is_none() {
                return Err(why.into());
            }
            goals_unmet = Some(why.0);
        }
        found
    } else {
        None
    };
    // Lines are not people: Erlang B has no shrinkage and no scheduled count.
    let scheduled = requirement
        .filter(|_| !matches!(request.model, Model::ErlangB { .. }))
        .and_then(|r| erlang::scheduled_agents(r.agents, request.shrinkage));
    let centre = request.agents.or(requirement.map(|r| r.agents)).unwrap_or(0);
    let (below, above) = if request.agents.is_some() { (2, 2) } else { (ROWS_BELOW, ROWS_ABOVE) };
    // Rows below the answer start at 1 agent: 0 agents only when 0 is the answer or asked for.
    let first = centre.saturating_sub(below).max(u32::from(centre > 0));
    let mut counts: Vec<u32> = (first..=centre.saturating_add(above)).collect();
    // A count asked for beside goals may lie far from the answer: the heading names the
    // required count, so its row joins the table (the one row outside the run of neighbours).
    if let Some(r) = requirement.filter(|r| request.agents.is_some() && !counts.contains(&r.agents)) {
        counts.push(r.agents);
        counts.sort_unstable();
    }
    // Neighbours past the exact chat model's state limit are left out rather than refused
    // (the answer, or the count asked for, is within it), and the report names them: a
    // table that stops short without a word reads as if those counts did not matter.
    let past_state_limit: Vec<u32> = counts.iter().copied().filter(|&agents| agents > most).collect();
    counts.retain(|&agents| agents <= most);
    let row = |agents: u32| {
        // The required count and the one below it were solved by the search, at the goals'
        // target: where that is the table's target too, their rows are those solves (an exact
        // chat chain near its state limit takes a second or more to solve again).
        if let Some(r) = requirement.filter(|_| request.goals.target() == request.target) {
            if r.agents == agents {
                return Ok(r.performance);
            }
            if let Some(below) = r.below.filter(|_| r.agents == agents + 1) {
                return Ok(below);
            }
        }
        request.model.solve(agents, request.target).map_err(|e| match (e, exact) {
            (ChatExactError::TooManyStates { .. }, Some(chat)) => too_many_states(&chat, agents).into(),
            (other, _) => anyhow::Error::new(other).context(format!("--model chat-exact: {agents} agents")),
        })
    };
    // An exact chat row is a solve of its chain (a second at a hundred agents), and the rows
    // are independent: they are solved on every core, each the same whichever thread solves
    // it. The formulas' rows take microseconds, not worth a thread.
    let rows = if exact.is_some() {
        phase(progress, Phase::SolvingChatExactRows, counts.len() as u64, |tick| {
            let solved = |agents| {
                let out = row(agents);
                tick();
                out
            };
            counts.into_par_iter().map(solved).collect::<anyhow::Result<Vec<_>>>()
        })?
    } else {
        counts.into_iter().map(row).collect::<anyhow::Result<Vec<_>>>()?
    };
    Ok(ErlangReport {
        model: request.model,
        source: request.source,
        target: request.target,
        shrinkage: request.shrinkage,
        requirement,
        scheduled,
        marked: centre,
        evaluated: request.agents.is_some(),
        redial_delay: request.redial_delay,
        concurrency_factors: request.concurrency_factors.clone(),
        rows,
        past_state_limit,
        goals_unmet,
    })
}
