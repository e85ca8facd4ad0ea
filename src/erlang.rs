//! Analytic queueing formulas for one interval: Erlang B (M/M/c/c, blocked calls lost),
//! Erlang C (M/M/c) and Erlang A (M/M/c+M, exponential patience), and the smallest staffing
//! (or number of lines) that meets a set of goals.
//!
//! Pure functions, no I/O. Every figure is exact in f64 (no approximation such as
//! square-root staffing or a fitted Erlang A), numerically stable from 0.01 to 50,000 Erlangs
//! and from 1 to 100,000 agents: everything is built on recursions and normalised relative
//! weights, never on `A^c / c!`. Results use the one definition of each metric in
//! [`crate::metrics`]. Loads above [`MAX_LOAD`] are not solved (see there).
//!
//! - [`b`]: Erlang B and its recursion.
//! - [`c`]: Erlang C, in closed form from Erlang B.
//! - [`a`]: Erlang A, exactly from the birth-death chain and the tagged caller's wait.
//! - [`x`]: Erlang X: lines, patience, redials and forecast uncertainty.
//! - [`chat`]: the chat estimate, Erlang C on the agents' full-concurrency throughput (an
//!   approximation, flagged as one wherever it is shown).
//! - [`chat_exact`]: the exact chat model, the Markov chain the estimate approximates, solved
//!   up to [`chat_exact::MAX_STATES`] states.
//! - [`required`]: required and scheduled agents.

pub mod a;
pub mod b;
pub mod c;
pub mod chat;
pub mod chat_exact;
pub mod required;
pub mod x;

pub use b::erlang_b;
pub use c::erlang_c;
pub use chat::ChatErlang;
pub use chat_exact::{ChatExact, ChatExactError};
pub use required::{
    Binding, Goal, Goals, Requirement, ServiceGoal, min_agents_for_occupancy, reaches_past_state_limit,
    required_agents, scheduled_agents, search_cap,
};
pub use x::ErlangX;

use crate::metrics::Metrics;
use crate::time::{Erlangs, Seconds};

/// Largest offered load (Erlangs) whose required staffing is solved: far beyond any single
/// queue (the formulas are checked against references to 50,000 Erlangs), and small enough
/// that every agent count fits a `u32` with room to spare and every search stays short. An
/// Erlang A evaluation of an overloaded queue sums over its queue length, which grows with
/// the load, so about 30 ms per solve at this bound.
pub const MAX_LOAD: Erlangs = 1_000_000.0;

/// The queue of one interval: arrivals, handle time and (for Erlang A) patience.
///
/// Handle time and patience are exponential with the given means; arrivals are Poisson.
// `ChatExact` carries its K factors inline (256 bytes) so that `Model` stays `Copy` like its
// other variants; models are built once per request and passed by reference.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Model {
    /// M/M/c: callers wait as long as it takes.
    ErlangC {
        /// Offered load: arrival rate × mean handle time.
        load: Erlangs,
        /// Mean handle time.
        aht: Seconds,
    },
    /// M/M/c/c: an arrival finding every line busy is blocked (lost); nobody waits. The
    /// servers are the lines: an agent count passed to [`Model::evaluate`] is the lines.
    ErlangB {
        /// Offered load: arrival rate × mean handle time.
        load: Erlangs,
        /// Mean handle time, when known (only the load matters).
        aht: Option<Seconds>,
    },
    /// M/M/c+M: a waiting caller hangs up after an exponential patience.
    ErlangA {
        /// Arrival rate, calls per second.
        rate_per_s: f64,
        /// Mean handle time.
        aht: Seconds,
        /// Mean patience of a waiting caller.
        patience: Seconds,
    },
    /// M/M/c/L+M with redials and forecast uncertainty: see [`x`].
    ErlangX(ErlangX),
    /// Live chat, `K` chats per agent: Erlang C on `c·K` servers at the full-concurrency rate,
    /// an approximation (see [`chat`]). The agent count passed to [`Model::evaluate`] is the
    /// agents, not the servers.
    ErlangCChat(ChatErlang),
    /// Live chat, `K` chats per agent: the exact Markov chain of agents holding 0..K chats with
    /// fewest-chats routing (see [`chat_exact`]). The agent count passed to [`Model::evaluate`]
    /// is the agents; a count whose chain has more than [`chat_exact::MAX_STATES`] states is
    /// not solved: [`Model::solve`] says so, [`Model::evaluate`] gives undefined figures.
    ChatExact(ChatExact),
}

impl Model {
    /// Erlang C with this offered load and mean handle time (both ≥ 0, `aht` > 0).
    pub fn erlang_c(load: Erlangs, aht: Seconds) -> Model {
        Model::ErlangC { load, aht }
    }

    /// Erlang B with this offered load (≥ 0) and, when known, mean handle time.
    pub fn erlang_b(load: Erlangs, aht: Option<Seconds>) -> Model {
        Model::ErlangB { load, aht }
    }

    /// Erlang A with this arrival rate (calls per second), mean handle time and mean patience
    /// (`aht` and `patience` > 0). An evaluation runs over the queue lengths that matter, up
    /// to about `rate_per_s × patience` when understaffed, so its cost grows with that
    /// product (a few ns per caller).
    pub fn erlang_a(rate_per_s: f64, aht: Seconds, patience: Seconds) -> Model {
        Model::ErlangA { rate_per_s, aht, patience }
    }

    /// Offered load in Erlangs.
    pub fn load(&self) -> Erlangs {
        match *self {
            Model::ErlangC { load, .. } | Model::ErlangB { load, .. } => load,
            Model::ErlangA { rate_per_s, aht, .. } => rate_per_s * aht,
            Model::ErlangX(x) => x.load(),
            Model::ErlangCChat(chat) => chat.load,
            Model::ChatExact(chat) => chat.load,
        }
    }

    /// Mean handle time (`None`: an Erlang B load given in Erlangs alone).
    pub fn aht(&self) -> Option<Seconds> {
        match *self {
            Model::ErlangC { aht, .. } | Model::ErlangA { aht, .. } => Some(aht),
            Model::ErlangB { aht, .. } => aht,
            Model::ErlangX(x) => Some(x.aht),
            Model::ErlangCChat(chat) => Some(chat.aht),
            Model::ChatExact(chat) => Some(chat.aht),
        }
    }

    /// The key of the model in reports: `erlang_b`, `erlang_c`, `erlang_a`, `erlang_x`,
    /// `erlang_c_chat` or `chat_exact`.
    pub fn key(&self) -> &'static str {
        match self {
            Model::ErlangB { .. } => "erlang_b",
            Model::ErlangC { .. } => "erlang_c",
            Model::ErlangA { .. } => "erlang_a",
            Model::ErlangX(_) => "erlang_x",
            Model::ErlangCChat(_) => "erlang_c_chat",
            Model::ChatExact(_) => "chat_exact",
        }
    }

    /// Carried load: the workload the agents (Erlang B: lines) handle, offered load × attempts
    /// per call × the share of attempts answered, `A·r·(1 − P(block) − P(abandon))`; an
    /// unstable queue carries its agents.
    pub fn carried_load(&self, perf: &Performance) -> Erlangs {
        if perf.stable {
            self.load() * perf.attempts_per_call * (1.0 - perf.p_block - perf.metrics.abandon_rate)
        } else {
            f64::from(perf.agents)
        }
    }

    /// Steady-state performance with `agents` agents (Erlang B: lines), or why the count was
    /// not solved; service level is measured against `target` (answered within `target`
    /// seconds). Only the exact chat model can fail: every other model solves any count.
    ///
    /// # Errors
    /// [`ChatExactError`] for an exact chat chain past its state limit (refused before any
    /// work) or whose sweeps did not settle.
    pub fn solve(&self, agents: u32, target: Seconds) -> Result<Performance, ChatExactError> {
        match *self {
            Model::ChatExact(chat) => chat.performance(agents, target),
            _ => Ok(self.evaluate(agents, target)),
        }
    }

    /// Steady-state performance with `agents` agents (Erlang B: lines); service level is
    /// measured against `target` (answered within `target` seconds). An exact chat count that
    /// is not solved gives undefined figures (NaN) and no steady state, which meets no goal:
    /// where such a count can be asked for and its figures shown, use [`Model::solve`].
    pub fn evaluate(&self, agents: u32, target: Seconds) -> Performance {
        match *self {
            Model::ErlangB { load, .. } => b::performance(load, agents),
            Model::ErlangC { load, aht } => c::performance(load, aht, agents, target, erlang_b(load, agents)),
            Model::ErlangA { rate_per_s, aht, patience } => {
                a::performance(rate_per_s, aht, patience, agents, target)
            }
            Model::ErlangX(x) => x.performance(agents, target),
            Model::ErlangCChat(chat) => chat.performance(agents, target),
            Model::ChatExact(chat) => {
                chat.performance(agents, target).unwrap_or_else(|_| Performance::unsolved(agents))
            }
        }
    }
}

/// What one staffing level achieves in steady state.
///
/// `metrics` follows [`crate::metrics::DEFINITIONS`]. Erlang C: `abandon_rate` is 0,
/// `service_level_answered` equals `service_level` and `mean_wait_all_s` equals `asa_s`
/// (every call is answered). Erlang B: nobody waits, so `p_wait`, `asa_s` and
/// `mean_wait_all_s` are 0 and `service_level` is the share not blocked. An infinite value is truly infinite (ASA of an unstable queue);
/// NaN means undefined (ASA when no call is answered, with no agents).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Performance {
    /// Agents evaluated.
    pub agents: u32,
    /// Whether a steady state exists. Erlang C is unstable when agents ≤ load; Erlang A is
    /// always stable (impatient callers leave).
    pub stable: bool,
    /// Handled workload / agent time: carried load / agents = A·(1 − P(block))·(1 −
    /// P(abandon | not blocked)) / c; 1 for an unstable queue, 0 without calls.
    pub occupancy: f64,
    /// Blocked / offered: the share of arrivals that find every line busy and are lost
    /// (Erlang B); 0 in models without a line limit.
    pub p_block: f64,
    /// Offered attempts per fresh call: 1 plus the redials (Erlang X with `--redial`); the
    /// shares above are per attempt.
    pub attempts_per_call: f64,
    /// The rate metrics.
    pub metrics: Metrics<f64>,
}

/// The occupancy of agents with no calls to answer: 0, or undefined (NaN, written `null`
/// and `-`) when there are no agents, whose busy share is 0 / 0 in every model.
pub(crate) fn idle_occupancy(agents: u32) -> f64 {
    if agents == 0 { f64::NAN } else { 0.0 }
}

impl Performance {
    /// No calls arrive: nobody waits, every (vacuous) call is answered at once.
    pub(crate) fn no_calls(agents: u32) -> Performance {
        Performance {
            agents,
            stable: true,
            occupancy: idle_occupancy(agents),
            p_block: 0.0,
            attempts_per_call: 1.0,
            metrics: Metrics {
                service_level: 1.0,
                service_level_answered: 1.0,
                p_wait: 0.0,
                asa_s: 0.0,
                abandon_rate: 0.0,
                mean_wait_all_s: 0.0,
            },
        }
    }

    /// A stable queue where nobody abandons, given the chance `p_wait` that a call waits: with
    /// every server busy the queue drains `gap` Erlangs faster than calls come (the servers'
    /// capacity less the load, in units of `aht`), so a wait is exponential at `gap / aht` and
    /// the service level and ASA follow. Erlang C's figures, and the exact chat model's.
    pub(crate) fn without_abandonment(
        agents: u32,
        occupancy: f64,
        p_wait: f64,
        gap: Erlangs,
        aht: Seconds,
        target: Seconds,
    ) -> Performance {
        let service_level = 1.0 - p_wait * (-gap * target / aht).exp();
        let asa = p_wait * aht / gap;
        Performance {
            agents,
            stable: true,
            occupancy,
            p_block: 0.0,
            attempts_per_call: 1.0,
            metrics: Metrics {
                service_level,
                service_level_answered: service_level,
                p_wait,
                asa_s: asa,
                abandon_rate: 0.0,
                mean_wait_all_s: asa,
            },
        }
    }

    /// A staffing the model could not solve: every figure undefined (NaN), no steady state
    /// claimed, so no goal counts as met.
    pub(crate) fn unsolved(agents: u32) -> Performance {
        Performance {
            agents,
            stable: false,
            occupancy: f64::NAN,
            p_block: f64::NAN,
            attempts_per_call: 1.0,
            metrics: Metrics {
                service_level: f64::NAN,
                service_level_answered: f64::NAN,
                p_wait: f64::NAN,
                asa_s: f64::NAN,
                abandon_rate: f64::NAN,
                mean_wait_all_s: f64::NAN,
            },
        }
    }

    /// An Erlang C queue with agents ≤ load: the limit the queue tends to.
    pub(crate) fn unstable(agents: u32) -> Performance {
        Performance {
            agents,
            stable: false,
            occupancy: if agents == 0 { f64::NAN } else { 1.0 },
            p_block: 0.0,
            attempts_per_call: 1.0,
            metrics: Metrics {
                service_level: 0.0,
                service_level_answered: 0.0,
                p_wait: 1.0,
                asa_s: f64::INFINITY,
                abandon_rate: 0.0,
                mean_wait_all_s: f64::INFINITY,
            },
        }
    }
}
