//! The chat estimate: Erlang C on the agents' full-concurrency throughput, an approximation
//! for live chat where one agent holds up to `K` chats at once.
//!
//! An agent holding `j` chats works through them with a total throughput `f[j−1]` times that
//! of one chat (`f = [1, 2, …, K]` when nothing slows down), so each chat drains at
//! `μ·f[j−1]/j`. The estimate treats `c` agents at concurrency `K` as `c·K` Erlang C servers,
//! each serving at the full-concurrency rate `μ·f[K−1]/K`:
//!
//! ```text
//! servers n = c·K        per-server mean handle time  AHT' = AHT·K / f[K−1]
//! server load A' = λ·AHT' = A·K / f[K−1]               (A = λ·AHT, the work at concurrency 1)
//! P(wait), SL(T), ASA = Erlang C(n, A', AHT')          stable when c·f[K−1] > A
//! occupancy = E[min(N, c)] / c  (N chats in service: agents holding at least one chat)
//! ```
//!
//! Occupancy is what the simulation reports, the share of time agents hold at least one
//! chat. The estimate spreads its chats over the agents as the engine's fewest-chats routing
//! does, so `N` chats in service keep `min(N, c)` agents busy; `N` follows Erlang C's state
//! probabilities on the `c·K` servers.
//!
//! What it assumes, and so where it errs:
//! - every agent is full: a chat in service drains at the `K`-chat rate `μ·f[K−1]/K`
//!   whatever its agent holds, and a waiting chat takes any free slot (the engine gives it
//!   to the agent with the fewest chats). When every slot is taken the two agree exactly
//!   (both drain `c·μ·f[K−1]` in total, so a waiting chat's wait is the same); they differ
//!   only in how often every slot is taken, P(wait). Below full, a real agent with `j`
//!   chats drains `μ·f[j−1]` where the estimate credits `j·μ·f[K−1]/K`. When the per-chat
//!   rate `f[j−1]/j` does not rise with `j` (each added chat slows the others: the usual
//!   case, and always so without a slowdown), the real system drains at least as fast below
//!   full and reaches "all full" less often: the estimate overstates P(wait) and ASA and
//!   understates the service level, so its staffing errs on the safe side (by at most a
//!   few points of P(wait) for `[1, 1.7, 2.5]`; docs/channels-planning.md has the figures
//!   against the exact chain and the simulation). Factors whose per-chat rate rises (such
//!   as `[1, 1.2, 2.9]`) make it optimistic;
//! - its occupancy errs on the safe side where its P(wait) does: more chats are in service
//!   than in the real system, and chats ending unevenly leave some agents idle while others
//!   hold two, which even spreading does not;
//! - exponential work, Poisson arrivals and nobody abandons (Erlang C): chat customers'
//!   patience, which the simulation models, only lowers the staffing needed.
//!
//! With `K = 1`, or with no slowdown (`f[K−1] = K`), the estimate is Erlang C exactly (with
//! `c·K` servers), which the tests check to the last bit. docs/channels-planning.md compares
//! it with the simulation.

use super::{Performance, c};
use crate::time::{Erlangs, Seconds};

/// A chat queue for the estimate: its load and handle time at concurrency 1, and the
/// agents' concurrency with their throughput when full.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChatErlang {
    /// Offered load: arrival rate × mean handle time of one chat at concurrency 1.
    pub load: Erlangs,
    /// Mean handle time of one chat at concurrency 1 (work, in seconds of a lone chat).
    pub aht: Seconds,
    /// Chats one agent holds at once, `K ≥ 1`.
    pub concurrency: u32,
    /// Total throughput of an agent holding `K` chats relative to one chat, `f[K−1]`, in
    /// `[1, K]` (`K`: no slowdown).
    pub full_throughput: f64,
}

impl ChatErlang {
    /// `K / f[K−1]`: how much longer a chat takes at full concurrency than alone. Exactly 1
    /// with `K = 1` or no slowdown (an integer over the same integer), so the estimate is then
    /// Erlang C to the last bit.
    fn stretch(&self) -> f64 {
        f64::from(self.concurrency) / self.full_throughput
    }

    /// Load on the `c·K` servers: `A·K / f[K−1]`.
    pub fn server_load(&self) -> Erlangs {
        self.load * self.stretch()
    }

    /// Mean time a server holds a chat at full concurrency: `AHT·K / f[K−1]`.
    pub fn server_aht(&self) -> Seconds {
        self.aht * self.stretch()
    }

    /// The servers of `agents` agents: `agents·K`, saturating (far beyond any load solved,
    /// where Erlang B has long underflowed to 0).
    pub fn servers(&self, agents: u32) -> u32 {
        agents.saturating_mul(self.concurrency)
    }

    /// The estimate with `agents` agents, service level at `target`. `agents` is reported as
    /// the agents (not the servers), and occupancy is the share of them holding a chat.
    pub fn performance(&self, agents: u32, target: Seconds) -> Performance {
        let servers = self.servers(agents);
        let load = self.server_load();
        self.per_agent(
            agents,
            c::performance(load, self.server_aht(), servers, target, super::erlang_b(load, servers)),
        )
    }

    /// [`Self::performance`] from Erlang C at the servers of `agents` with `b = B(n, A')`
    /// already known (the search steps it).
    pub(crate) fn performance_with_b(&self, agents: u32, target: Seconds, b: f64) -> Performance {
        let servers = self.servers(agents);
        self.per_agent(agents, c::performance(self.server_load(), self.server_aht(), servers, target, b))
    }

    /// Erlang C's figures for the servers, restated per agent.
    fn per_agent(&self, agents: u32, mut perf: Performance) -> Performance {
        perf.agents = agents;
        if perf.stable && self.load > 0.0 && self.concurrency > 1 {
            // Rounding in the sums may pass 1 by an ulp where every agent is all but always busy.
            perf.occupancy = (self.agents_holding_a_chat(agents) / f64::from(agents)).min(1.0);
        }
        perf
    }

    /// `E[min(N, c)]`: the mean number of `c` agents holding a chat, `N` the chats in service
    /// on the `c·K` servers (stable). Erlang C's weights `a^k / k!` are summed upward, scaled
    /// down whenever they grow large, and the states with every server busy add the geometric
    /// tail `w[n−1]·(a/n) / (1 − a/n)`, in which all `c` agents hold chats.
    pub fn agents_holding_a_chat(&self, agents: u32) -> f64 {
        const LARGE: f64 = 1e280;
        let (a, n, c) = (self.server_load(), self.servers(agents), f64::from(agents));
        let (mut w, mut total, mut busy) = (1.0f64, 1.0f64, 0.0f64);
        for k in 1..n {
            w *= a / f64::from(k);
            total += w;
            busy += f64::from(k).min(c) * w;
            if w > LARGE {
                (w, total, busy) = (w / LARGE, total / LARGE, busy / LARGE);
            }
        }
        let ratio = a / f64::from(n);
        let tail = w * ratio / (1.0 - ratio);
        (busy + c * tail) / (total + tail)
    }

    /// The fewest agents with a steady state: `⌊A / f[K−1]⌋ + 1` (more full-concurrency
    /// throughput than work offered), checked against rounding.
    pub fn stable_min(&self) -> u32 {
        let guess = (self.load / self.full_throughput).floor().min(f64::from(u32::MAX)) as u32;
        // The division may round across an integer: step to the first count the engine of the
        // formula (servers > server load) calls stable.
        let mut agents = guess.saturating_sub(1);
        while agents < u32::MAX && f64::from(self.servers(agents)) <= self.server_load() {
            agents += 1;
        }
        agents
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erlang::Model;

    fn chat(load: f64, concurrency: u32, full_throughput: f64) -> ChatErlang {
        ChatErlang { load, aht: 600.0, concurrency, full_throughput }
    }

    #[test]
    fn stable_min_is_the_first_count_with_spare_throughput() {
        // 3 agents at throughput 2.5 handle 7.5 < 8 Erlangs; 4 handle 10.
        assert_eq!(chat(8.0, 3, 2.5).stable_min(), 4);
        // 4 agents at 2 chats are exactly the load: unstable, so 5.
        assert_eq!(chat(8.0, 2, 2.0).stable_min(), 5);
        assert_eq!(chat(0.3, 3, 3.0).stable_min(), 1);
    }

    #[test]
    fn occupancy_is_the_share_of_agents_holding_a_chat() {
        // 4 agents at K = 3: 12 servers at a load of 6·3/2.5 = 7.2. Erlang C's state
        // probabilities, summed here directly: agents busy min(k, 4) in state k.
        let (a, n) = (7.2f64, 12);
        let weight = |k: i32| a.powi(k) / (1..=k).map(f64::from).product::<f64>();
        let tail = weight(n - 1) * (a / f64::from(n)) / (1.0 - a / f64::from(n));
        let total: f64 = (0..n).map(weight).sum::<f64>() + tail;
        let busy: f64 = (0..n).map(|k| f64::from(k.min(4)) * weight(k)).sum::<f64>() + 4.0 * tail;
        let p = chat(6.0, 3, 2.5).performance(4, 60.0);
        assert!((p.occupancy - busy / total / 4.0).abs() < 1e-12, "{}", p.occupancy);
        // Above the share of full-concurrency throughput in use, and below 1.
        assert!(p.occupancy > 6.0 / 10.0 && p.occupancy < 1.0);
        assert_eq!(p.agents, 4);
        // A load past the largest double's weights is scaled as it is summed.
        let big = chat(2000.0, 3, 2.5).performance(1000, 60.0);
        assert!(big.occupancy > 0.8 && big.occupancy <= 1.0, "{}", big.occupancy);
        let unstable = chat(6.0, 3, 2.5).performance(2, 60.0);
        assert!(!unstable.stable);
        assert_eq!(unstable.occupancy, 1.0);
    }

    #[test]
    fn a_slowdown_needs_more_servers_than_none() {
        // Same agents, slower chats at full concurrency: a lower service level.
        let fast = chat(6.0, 3, 3.0).performance(3, 60.0);
        let slow = chat(6.0, 3, 2.5).performance(3, 60.0);
        assert!(slow.metrics.service_level < fast.metrics.service_level);
        let servers = Model::erlang_c(6.0, 600.0).evaluate(9, 60.0);
        assert_eq!(fast.metrics, servers.metrics);
        // Agents, not servers: 6 Erlangs over 3 agents hold them busier than over 9 servers.
        assert!(fast.occupancy > servers.occupancy);
    }
}
