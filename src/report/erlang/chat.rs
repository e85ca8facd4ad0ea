//! The chat models' part of the `ccsim erlang` report: their JSON keys, the rows the exact
//! chat model leaves out at its state limit, and the notes under the table that say what each
//! chat model assumes.

use serde::Serialize;

use super::ErlangReport;
use crate::erlang::chat_exact::MAX_STATES;
use crate::erlang::{ChatErlang, ChatExact, Model};

impl ErlangReport {
    /// The chat estimate and its factors, when it is the model.
    pub(super) fn chat(&self) -> Option<(ChatErlang, &[f64])> {
        match self.model {
            Model::ErlangCChat(chat) => Some((chat, self.concurrency_factors.as_deref().unwrap_or(&[]))),
            _ => None,
        }
    }

    /// Either chat model's concurrency and factors, and whether its figures are approximate.
    pub(super) fn chat_keys(&self) -> Option<JsonChat> {
        let (approximation, concurrency, factors) = match self.model {
            Model::ErlangCChat(chat) => (true, chat.concurrency, self.concurrency_factors.clone()?),
            Model::ChatExact(chat) => (false, chat.concurrency(), chat.factors().to_vec()),
            _ => return None,
        };
        Some(JsonChat { approximation, concurrency, concurrency_factors: factors })
    }

    /// The exact chat model and the agent counts left out at its state limit, when any were.
    pub(super) fn state_limit(&self) -> Option<(ChatExact, &[u32])> {
        match self.model {
            Model::ChatExact(chat) if !self.past_state_limit.is_empty() => {
                Some((chat, &self.past_state_limit))
            }
            _ => None,
        }
    }
}

/// The rows of the exact chat model left out at its state limit, and the limit.
#[derive(Serialize)]
pub(super) struct JsonStateLimit {
    /// The agent counts left out, ascending.
    agents: Vec<u32>,
    /// The most agents solved at this concurrency.
    max_agents: u32,
    /// The most states of a chain solved.
    max_states: u64,
}

/// The chat models' own keys (`erlang --concurrency`).
#[derive(Serialize)]
pub(super) struct JsonChat {
    /// True for the chat estimate, an approximation (see [`crate::erlang::chat`]); false for
    /// the exact chat model.
    pub(super) approximation: bool,
    pub(super) concurrency: u32,
    pub(super) concurrency_factors: Vec<f64>,
}

/// `rows_past_state_limit`: the counts the exact chat model left out, when it left any.
pub(super) fn state_limit_json(report: &ErlangReport) -> Option<JsonStateLimit> {
    report.state_limit().map(|(chat, agents)| JsonStateLimit {
        agents: agents.to_vec(),
        max_agents: chat.max_agents(),
        max_states: MAX_STATES,
    })
}

/// What the table says under its rows about a chat model: the rows left out at the state
/// limit, and what the model assumes.
pub(super) fn notes(report: &ErlangReport) -> String {
    let mut out = String::new();
    if let Some(note) = state_limit_note(report) {
        out += &format!("\n{}\n", crate::report::wrap(&note, 100));
    }
    if let Some((chat, factors)) = report.chat() {
        out += &chat_footnote(&chat, factors);
    }
    match report.model {
        Model::ChatExact(chat) if chat.patience().is_some() => {
            out += "\n* Exact for exponential work, Poisson arrivals, fewest-chats routing and exponential patience\n  \
                    (a waiting chat leaves when it runs out). AHT is one chat's work at concurrency 1; occupancy\n  \
                    is the share of agents holding a chat. See docs/channels-planning.md.\n";
        }
        Model::ChatExact(_) => {
            out += "\n* Exact for exponential work, Poisson arrivals and fewest-chats routing, without abandonment\n  \
                    (ccsim simulate models patience). AHT is one chat's work at concurrency 1; occupancy is the\n  \
                    share of agents holding a chat. See docs/channels-planning.md.\n";
        }
        _ => {}
    }
    out
}

/// What the table says under its rows (and CSV, which has only rows, on stderr) when the
/// exact chat model left counts out at its state limit: which, why, and where to get them.
pub fn state_limit_note(report: &ErlangReport) -> Option<String> {
    let (chat, agents) = report.state_limit()?;
    // The counts past the limit are the top of one run of neighbours: a range.
    let rows = match agents {
        [one] => format!("The row of {one} agents is"),
        [first, last] => format!("The rows of {first} and {last} agents are"),
        [first, .., last] => format!("The rows of {first} to {last} agents are"),
        [] => return None,
    };
    Some(format!(
        "{rows} not shown: the exact chat model solves at most {MAX_STATES} states, {} agents at {} chats \
         each; the chat estimate gives them (leave out --model chat-exact).",
        chat.max_agents(),
        chat.concurrency()
    ))
}

/// A throughput factor as written (`2.5`, `3`).
pub(super) fn factor_text(v: f64) -> String {
    format!("{v}")
}

/// What the chat estimate assumes, under its table.
fn chat_footnote(chat: &ChatErlang, factors: &[f64]) -> String {
    let listed: Vec<String> = factors.iter().map(|&f| factor_text(f)).collect();
    format!(
        "\n* Approximation: every agent is taken to hold {k} chats at all times, so c agents are c x {k}\n  \
         Erlang C servers each working at {full}/{k} of a lone chat's speed (throughput factors {list}).\n  \
         AHT is one chat's work at concurrency 1. Exact without a slowdown; with one it overstates waiting\n  \
         when each added chat slows the others. It ignores the fewest-chats routing and abandonment, and\n  \
         its occupancy is the share of agents holding a chat. See docs/channels-planning.md.\n",
        k = chat.concurrency,
        full = factor_text(chat.full_throughput),
        list = listed.join(", "),
    )
}
