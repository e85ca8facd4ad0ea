//! The exact chat model's requirement per chat type and interval (`staff --chat-model
//! exact`), beside the chat estimate.
//!
//! The chat estimate is Erlang C on the primary group's full-concurrency throughput, an
//! approximation; [`crate::erlang::chat_exact`] solves the Markov chain it approximates. The
//! figure here is that chain's required agents on the same load and mean handle time as the
//! estimate (the primary group's handle-time factor applied), at the primary group's
//! `max_concurrency` and `concurrency_factors`, against the chat goal alone (as the estimate).
//! Where the call type has patience the chain abandons at its mean, as Erlang A in `staff`
//! takes it: the chain knows only exponential patience, so another shape is judged by its
//! mean there too.
//!
//! It is a figure to compare, not the requirement: the analytic requirement per group, the
//! waterfall and the simulation search keep the estimate, so `requirement.toml` is the same
//! with or without it. A count whose chain is past [`MAX_STATES`] is not solved; the cell is
//! then named, and the estimate stands there.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::analytic::{handle_times, offered_load};
use super::{ChatExactPastLimit, StaffingReport};
use crate::erlang::chat_exact::MAX_STATES;
use crate::erlang::{self, ChatExact, Model};
use crate::model::{Channel, Scenario};
use crate::time::{Erlangs, Seconds};

/// Which chat model `ccsim staff` gives for chat types.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ChatModel {
    /// The chat estimate only: Erlang C on the primary group's full-concurrency throughput.
    #[default]
    Estimate,
    /// The estimate, and beside it the exact chat model's requirement where its chain is
    /// within the state limit.
    Exact,
}

/// The exact chat model's answer for one chat type in one interval.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExactChat {
    /// The smallest count meeting the chat goal.
    Agents(u32),
    /// The goal needs more agents than the chain can be solved for: `most` agents holding up
    /// to `concurrency` chats are the most within [`MAX_STATES`], and they miss it.
    PastStateLimit {
        /// The most agents whose chain is within the limit.
        most: u32,
        /// Chats one agent holds at most.
        concurrency: u32,
    },
}

/// What one cell's chain depends on; equal cells (the same hour on several days, say) are
/// solved once.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Cell {
    group: usize,
    load: u64,
    aht: u64,
    patience: Option<u64>,
}

/// Each call type in each interval, in the order of [`super::per_call_type`], with its chat
/// cell: `None` for other channels and for a chat type whose primary group takes no chats (the
/// estimate has no figure there either).
fn cells(scenario: &Scenario) -> Vec<(usize, usize, Option<Cell>)> {
    let handle = handle_times(scenario);
    let primary = super::primary_groups(scenario);
    let mut cells = Vec::with_capacity(scenario.grid.len() * scenario.call_types.len());
    for interval in 0..scenario.grid.len() {
        for (ct, call_type) in scenario.call_types.iter().enumerate() {
            let group = primary[ct].map(|g| g.idx());
            let cell = match (call_type.channel, group) {
                (Channel::Chat, Some(g)) if scenario.agent_groups[g].chat.is_some() => Some(Cell {
                    group: g,
                    load: offered_load(scenario, &handle, interval, ct).to_bits(),
                    aht: handle[ct].to_bits(),
                    patience: call_type.patience.as_ref().map(|p| p.mean().to_bits()),
                }),
                _ => None,
            };
            cells.push((interval, ct, cell));
        }
    }
    cells
}

/// The distinct chat cells, each solved once.
fn distinct(cells: &[(usize, usize, Option<Cell>)]) -> Vec<Cell> {
    cells.iter().filter_map(|&(_, _, cell)| cell).collect::<BTreeSet<_>>().into_iter().collect()
}

/// How many required-agents searches [`per_call_type`] runs: one per distinct chat cell
/// (group, load, handle time, patience). Each is a few solves of its chain, seconds apiece
/// near [`MAX_STATES`], so this is the step count of its progress.
pub fn searches(scenario: &Scenario) -> u64 {
    distinct(&cells(scenario)).len() as u64
}

/// The exact requirement of every call type in every interval, in the order of
/// [`super::per_call_type`]: `None` for other channels and for a chat type whose primary
/// group takes no chats (the estimate has no figure there either). Cells are solved in
/// parallel, calling `tick` after each of the [`searches`]; the answer does not depend on the
/// order.
///
/// # Errors
/// When a chain within the state limit does not settle, or no count within it and the
/// formulas' search cap meets the chat goal (neither is seen in practice: reported, naming
/// the interval and call type, rather than shown as a gap).
pub fn per_call_type(
    scenario: &Scenario,
    tick: &(dyn Fn() + Sync),
) -> anyhow::Result<Vec<Option<ExactChat>>> {
    let cells = cells(scenario);
    let unique = distinct(&cells);
    let solved: BTreeMap<Cell, Option<ExactChat>> = unique
        .into_par_iter()
        .map(|cell| {
            let answer = solve(scenario, cell);
            tick();
            (cell, answer)
        })
        .collect();
    cells
        .into_iter()
        .map(|(interval, ct, cell)| {
            let Some(cell) = cell else { return Ok(None) };
            solved[&cell].map(Some).ok_or_else(|| {
                anyhow::anyhow!(
                    "--chat-model exact: call type \"{}\", the interval starting {} (day {}): the exact chat \
                     model solved no count meeting the chat goal (a chain did not settle, or no count up to the \
                     search cap meets the goal)",
                    scenario.call_types[ct].name,
                    scenario.grid.clock_of(interval),
                    scenario.grid.day_of(interval),
                )
            })
        })
        .collect()
}

/// One cell's exact requirement; `None` when a chain within the limit does not settle or no
/// count up to the search cap meets the goal.
fn solve(scenario: &Scenario, cell: Cell) -> Option<ExactChat> {
    let chat = scenario.agent_groups[cell.group].chat.as_ref()?;
    let (load, aht): (Erlangs, Seconds) = (f64::from_bits(cell.load), f64::from_bits(cell.aht));
    let mut exact = ChatExact::new(load, aht, chat.factors());
    if let Some(patience) = cell.patience {
        exact = exact.with_patience(f64::from_bits(patience));
    }
    let model = Model::ChatExact(exact);
    if let Some(agents) = super::required_for(scenario, Channel::Chat, &model, cell.patience.is_some()) {
        return Some(ExactChat::Agents(agents));
    }
    let goals = super::analytic::goals(scenario, Channel::Chat, false);
    erlang::reaches_past_state_limit(&exact, &goals)
        .then(|| ExactChat::PastStateLimit { most: exact.max_agents(), concurrency: exact.concurrency() })
}

/// Adds the exact requirement to `report` (made by [`super::plan_with_risk`] for the same
/// scenario): each chat row's `chat_exact`, and the cells past the state limit; `tick` as in
/// [`per_call_type`].
///
/// # Errors
/// As [`per_call_type`].
pub fn add_to(
    scenario: &Scenario,
    report: &mut StaffingReport,
    tick: &(dyn Fn() + Sync),
) -> anyhow::Result<()> {
    let exact = per_call_type(scenario, tick)?;
    for (row, exact) in report.intervals.iter_mut().zip(exact) {
        let Some(exact) = exact else { continue };
        match exact {
            ExactChat::Agents(agents) => row.chat_exact = Some(Some(agents)),
            ExactChat::PastStateLimit { most, concurrency } => {
                row.chat_exact = Some(None);
                report.chat_exact_past_limit.push(ChatExactPastLimit {
                    day: row.day,
                    start: row.start.clone(),
                    call_type: row.call_type.clone(),
                    most_agents: most,
                    concurrency,
                    max_states: MAX_STATES,
                    erlang_c_chat: row.erlang_c_chat,
                });
            }
        }
    }
    Ok(())
}
