//! The exact chat model: the continuous-time Markov chain of `c` agents each holding up to `K`
//! chats, solved without truncation. [`super::chat`] approximates the same queue by Erlang C
//! on `c·K` servers; this module gives its exact stationary figures.
//!
//! The model is the engine's: Poisson arrivals, exponential work of mean `w` (one chat at
//! concurrency 1), an agent holding `j` chats completing work at total rate `f_j / w` (each of
//! its chats drains at `f_j / j`), a new chat to an agent holding the fewest, and either no
//! abandonment or, with a patience, a waiting chat leaving after an exponential time of mean
//! `1/θ`. A chat waits only when every agent holds `K`, and while chats wait every agent
//! holds `K` (a freed slot takes the head of the queue at once).
//!
//! ```text
//! state      n = (n_0, …, n_K), agents holding 0..K chats, Σ n_j = c;  plus q waiting when n_K = c
//! level      L = Σ j·n_j chats in service, 0..c·K
//! arrival    λ: one agent of the fewest chats j* moves to j* + 1 (level L + 1, one state)
//! completion n_j·f_j / w for each j ≥ 1: one agent moves from j to j − 1 (level L − 1)
//! queue      while all hold K: birth λ, death ν = c·f_K / w, so P(full, q) = P(full, 0)·ρ^q,
//!            ρ = λ / ν < 1 (the tail is lumped in closed form: nothing is truncated)
//! ```
//!
//! There are `C(c + K, K)` states below the queue. They are solved by Gauss-Seidel sweeps in
//! level order, over-relaxed (each state moved 1.3 times its Gauss-Seidel step: about 40%
//! fewer sweeps; plain Gauss-Seidel again should that not settle), each followed by an
//! aggregation step: levels change only by one, and the
//! arrival rate out of every level below the top is λ whatever the state, so the level totals
//! are a birth-death chain whose death rates are the current within-level averages of
//! `Σ n_j·f_j`. Solving that chain exactly every sweep removes the slow mode (mass drifting
//! between levels) that plain Gauss-Seidel takes thousands of sweeps to settle; the sweeps
//! are left only the within-level shares. Deterministic: the order of every sum is fixed.
//!
//! Figures, with the same definitions as the rest of `ccsim erlang` ([`crate::metrics`]):
//!
//! ```text
//! P(wait) = P(all full) = P(full, 0) / (1 − ρ)           (arrivals see time averages)
//! SL(T)   = 1 − P(wait)·exp(−(ν − λ)·T)                  (a chat finding q waiting waits an
//! ASA     = P(wait) / (ν − λ)                             Erlang(q + 1, ν) time; geometric q)
//! occupancy = E[c − n_0] / c                              (agents holding at least one chat)
//! ```
//!
//! ASA is the mean wait of all chats, answered at once counting 0: every chat is answered,
//! so it is also the mean wait of answered chats, as Erlang C's. Unstable when `λ·w ≥ c·f_K`.
//! The work grows with the state count; [`MAX_STATES`] bounds it.
//!
//! With patience the states below the queue keep their balance equations (arrivals to the
//! full state join the queue, which returns them at the rate they leave whatever happens in
//! it; only the full state without a queue sends completions down), so they are solved as
//! above, normalised among themselves. The queue above them is Erlang A's with `c·μ`
//! replaced by `ν`: births λ, deaths `ν + q·θ`, stable at any load. Its figures (P(abandon),
//! the service level over all offered chats, ASA over answered chats, the mean wait of all)
//! come from [`super::a`]'s queue sums, given the weight of the states below relative to the
//! full one; occupancy is `(1 − P(wait))·E[c − n_0 | not full] / c + P(wait)`.

use super::{ChatErlang, Performance};
use crate::model::MAX_CONCURRENCY;
use crate::time::{Erlangs, Seconds};

mod states;
use states::{Binomials, Composition};

/// Most states (`C(c + K, K)`) solved: 142 agents at 3 chats, 56 at 4, 32 at 5; about 1.2 s
/// of CPU per solve at this bound with factors 1, 1.7, 2.5 (a few hundred sweeps of a few
/// transitions per state; about 6 s with near-flat factors), and about 80 MB for the process.
pub const MAX_STATES: u64 = 500_000;

/// Sweeps before the solve gives up; a few hundred are the most seen.
const MAX_SWEEPS: u32 = 5_000;

/// Converged when a sweep moves less than this probability in total (L1).
const SETTLED: f64 = 1e-14;

/// The over-relaxation of the sweeps: each state moves this far past its Gauss-Seidel value.
/// Measured (K = 3, 70 to 95 agents) it settles in about 40% fewer sweeps than plain
/// Gauss-Seidel, with factors 1, 1.7, 2.5 as with near-flat ones; 1.5 and more failed to
/// settle with 1, 1.7, 2.5. Over-relaxation is not proven to settle on every chain, so a
/// solve that does not (its moves growing far past the least seen, or out of sweeps) is
/// done again by plain Gauss-Seidel, the solve without it.
const OVER_RELAXATION: f64 = 1.3;

/// An over-relaxed solve is given up for plain Gauss-Seidel once a sweep moves this many
/// times the least any sweep before it moved.
const DIVERGING: f64 = 1e3;

/// Below this, a sweep that moves no less than the one before has reached the rounding floor
/// (about 1e-15 at thousands of states): more sweeps only shuffle the last bits.
const ROUNDING_FLOOR: f64 = 1e-11;

/// The exact chat queue: load and work at concurrency 1, and the throughput factors.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChatExact {
    /// Offered load: arrival rate × mean work of one chat at concurrency 1.
    pub load: Erlangs,
    /// Mean work of one chat at concurrency 1.
    pub aht: Seconds,
    concurrency: u32,
    /// `f_1..f_K` in the first `concurrency` places (fixed size, so that the model is `Copy`).
    factors: [f64; MAX_CONCURRENCY as usize],
    /// Mean exponential patience of a waiting chat; `None`: chats wait as long as it takes.
    patience: Option<Seconds>,
}

/// Why the exact chain was not solved.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum ChatExactError {
    /// The chain has more than [`MAX_STATES`] states.
    #[error(
        "the exact chat model with {agents} agents holding up to {concurrency} chats has {states} states, \
         more than the limit of {MAX_STATES}"
    )]
    TooManyStates {
        /// Agents asked for.
        agents: u32,
        /// Chats per agent.
        concurrency: u32,
        /// `C(c + K, K)`, or `u64::MAX` past counting.
        states: u64,
    },
    /// The sweeps did not settle (not seen in practice; reported rather than a wrong figure).
    #[error("the exact chat model with {agents} agents did not converge in {MAX_SWEEPS} sweeps")]
    NotConverged {
        /// Agents asked for.
        agents: u32,
    },
}

impl ChatExact {
    /// The queue with offered load `load` (≥ 0), work `aht` (> 0) and factors `f_1..f_K`,
    /// already checked as a scenario's `concurrency_factors` are (1 to [`MAX_CONCURRENCY`]
    /// values, the first 1, increasing, `f_j ≤ j`).
    pub fn new(load: Erlangs, aht: Seconds, factors: &[f64]) -> ChatExact {
        let mut all = [0.0; MAX_CONCURRENCY as usize];
        all[..factors.len()].copy_from_slice(factors);
        ChatExact { load, aht, concurrency: factors.len() as u32, factors: all, patience: None }
    }

    /// The same queue with waiting chats abandoning after an exponential patience of mean
    /// `patience` (> 0 seconds).
    pub fn with_patience(self, patience: Seconds) -> ChatExact {
        ChatExact { patience: Some(patience), ..self }
    }

    /// Mean patience of a waiting chat, when chats abandon.
    pub fn patience(&self) -> Option<Seconds> {
        self.patience
    }

    /// Chats one agent holds at most, `K`.
    pub fn concurrency(&self) -> u32 {
        self.concurrency
    }

    /// `f_1..f_K`.
    pub fn factors(&self) -> &[f64] {
        &self.factors[..self.concurrency as usize]
    }

    /// The chat estimate of the same queue.
    pub fn estimate(&self) -> ChatErlang {
        ChatErlang {
            load: self.load,
            aht: self.aht,
            concurrency: self.concurrency,
            full_throughput: self.factors()[self.factors().len() - 1],
        }
    }

    /// `C(c + K, K)`, the states below the queue with `agents` agents; `u64::MAX` past counting.
    pub fn states(&self, agents: u32) -> u64 {
        let (c, k) = (u128::from(agents), u128::from(self.concurrency));
        let mut count: u128 = 1;
        // C(c + i, i) = C(c + i − 1, i − 1)·(c + i) / i, exact at every step.
        for i in 1..=k {
            count = count * (c + i) / i;
            if count > u128::from(u64::MAX) {
                return u64::MAX;
            }
        }
        count as u64
    }

    /// The most agents whose chain is within [`MAX_STATES`].
    pub fn max_agents(&self) -> u32 {
        let (mut low, mut high) = (0u32, u32::MAX);
        while low < high {
            let mid = low + (high - low).div_ceil(2);
            if self.states(mid) <= MAX_STATES { low = mid } else { high = mid - 1 }
        }
        low
    }

    /// Whether a steady state exists: always when chats abandon (the queue sheds what the
    /// agents cannot take), else when `agents` drain more work than is offered, `c·f_K > A`.
    pub fn is_stable(&self, agents: u32) -> bool {
        self.patience.is_some() || f64::from(agents) * self.factors()[self.factors().len() - 1] > self.load
    }

    /// The exact figures with `agents` agents, service level at `target`.
    ///
    /// # Errors
    /// [`ChatExactError::TooManyStates`] beyond [`MAX_STATES`] (checked before any work), and
    /// [`ChatExactError::NotConverged`] should the sweeps not settle.
    pub fn performance(&self, agents: u32, target: Seconds) -> Result<Performance, ChatExactError> {
        if self.load <= 0.0 {
            return Ok(Performance::no_calls(agents));
        }
        if let (Some(patience), 0) = (self.patience, agents) {
            return Ok(super::a::no_agents(patience));
        }
        if !self.is_stable(agents) {
            return Ok(Performance::unstable(agents));
        }
        let states = self.states(agents);
        if states > MAX_STATES {
            return Err(ChatExactError::TooManyStates { agents, concurrency: self.concurrency, states });
        }
        let chain = Chain::build(agents, self.factors(), self.load);
        if let Some(patience) = self.patience {
            return chain.abandoning(self.aht, patience, target);
        }
        let solved = chain.solve()?;
        let c = f64::from(agents);
        let full_rate = c * self.factors()[self.factors().len() - 1];
        // In units of the work w: ν − λ with λ = A.
        let gap = full_rate - self.load;
        let p_wait = solved.p_full.min(1.0);
        let occupancy = (solved.agents_holding / c).min(1.0);
        Ok(Performance::without_abandonment(agents, occupancy, p_wait, gap, self.aht, target))
    }
}

/// How the top level (every agent holding `K`) is weighed with its queue when the levels are
/// normalised. The balance across the cut below it holds either way: arrivals there flow up
/// from the level below, and only its state without a queue sends completions down (while
/// chats wait a freed slot takes one, and abandonments leave from the queue), so the level
/// totals' birth-death chain takes the top level's drain from that state alone.
#[derive(Clone, Copy)]
enum Top {
    /// No abandonment: the queue adds `tail = ρ/(1 − ρ)` of the full state, and the states
    /// with it sum to 1.
    Geometric(f64),
    /// Abandonment: the states below the queue sum to 1 among themselves; the queue's weight
    /// is applied apart (it may be past what f64 holds under overload).
    Apart,
}

impl Top {
    fn weight(self) -> f64 {
        match self {
            Top::Geometric(tail) => 1.0 + tail,
            Top::Apart => 1.0,
        }
    }
}

/// What the solve gives: P(all full, any queue) and `E[c − n_0]`.
struct Solved {
    p_full: f64,
    agents_holding: f64,
}

/// The chain below the queue, in level order, with its incoming transitions (Gauss-Seidel
/// computes each state from what flows into it). Time is in units of the work `w`.
struct Chain {
    lambda: f64,
    /// `c·f_K`: the queue's death rate.
    full_rate: f64,
    /// First position of each level, and one past the last at the end.
    level_start: Vec<usize>,
    /// Rate out of each state. The full state's excludes arrivals: they join the lumped queue,
    /// which flows back at the same rate.
    out_rate: Vec<f64>,
    /// Completion rate `Σ n_j·f_j` of each state: the level's death rate, averaged.
    drain: Vec<f64>,
    /// `c − n_0` of each state.
    holding: Vec<u32>,
    in_start: Vec<usize>,
    in_from: Vec<u32>,
    in_rate: Vec<f64>,
}

impl Chain {
    fn build(agents: u32, factors: &[f64], lambda: f64) -> Chain {
        let k = factors.len();
        let c = agents as usize;
        let binom = Binomials::new(c + k, k);
        let total = binom.compositions(c, k + 1);
        let top = c * k;
        // Lexicographic rank → position in level order, by a counting sort on the level.
        let mut level_start = vec![0usize; top + 2];
        let mut composition = Composition::first(c, k);
        loop {
            level_start[composition.level + 1] += 1;
            if !composition.advance() {
                break;
            }
        }
        for l in 0..=top {
            level_start[l + 1] += level_start[l];
        }
        let mut next = level_start.clone();
        let mut position = vec![0u32; total];
        let mut composition = Composition::first(c, k);
        let mut rank = 0usize;
        loop {
            position[rank] = next[composition.level] as u32;
            next[composition.level] += 1;
            rank += 1;
            if !composition.advance() {
                break;
            }
        }
        // Outgoing transitions (from, to, rate), counted per target then placed.
        let mut out_rate = vec![0.0; total];
        let mut drain = vec![0.0; total];
        let mut holding = vec![0u32; total];
        let mut in_count = vec![0usize; total + 1];
        let mut moves: Vec<(u32, u32, f64)> = Vec::with_capacity(total * (k + 1));
        let mut composition = Composition::first(c, k);
        let mut n = vec![0u32; k + 1];
        loop {
            n.copy_from_slice(&composition.parts);
            let from = position[binom.rank(&n, c)];
            let p = from as usize;
            holding[p] = agents - n[0];
            let full = n[k] as usize == c;
            if !full {
                let fewest = n.iter().position(|&m| m > 0).unwrap_or(0);
                n[fewest] -= 1;
                n[fewest + 1] += 1;
                moves.push((from, position[binom.rank(&n, c)], lambda));
                n[fewest + 1] -= 1;
                n[fewest] += 1;
                out_rate[p] += lambda;
            }
            for j in 1..=k {
                if n[j] == 0 {
                    continue;
                }
                let rate = f64::from(n[j]) * factors[j - 1];
                n[j] -= 1;
                n[j - 1] += 1;
                moves.push((from, position[binom.rank(&n, c)], rate));
                n[j - 1] -= 1;
                n[j] += 1;
                out_rate[p] += rate;
                drain[p] += rate;
            }
            if !composition.advance() {
                break;
            }
        }
        for &(_, to, _) in &moves {
            in_count[to as usize + 1] += 1;
        }
        for i in 0..total {
            in_count[i + 1] += in_count[i];
        }
        let mut fill = in_count.clone();
        let mut in_from = vec![0u32; moves.len()];
        let mut in_rate = vec![0.0; moves.len()];
        for &(from, to, rate) in &moves {
            let slot = &mut fill[to as usize];
            in_from[*slot] = from;
            in_rate[*slot] = rate;
            *slot += 1;
        }
        Chain {
            lambda,
            full_rate: f64::from(agents) * factors[k - 1],
            level_start,
            out_rate,
            drain,
            holding,
            in_start: in_count,
            in_from,
            in_rate,
        }
    }

    /// Without abandonment: P(all full) and `E[c − n_0]`, the geometric queue included.
    fn solve(&self) -> Result<Solved, ChatExactError> {
        let total = self.out_rate.len();
        let rho = self.lambda / self.full_rate;
        // The top level is the full state, and its queue adds ρ/(1 − ρ) of it.
        let tail = rho / (1.0 - rho);
        let pi = self.stationary(Top::Geometric(tail))?;
        let p_full = pi[total - 1] * (1.0 + tail);
        let holding: f64 = pi.iter().zip(&self.holding).map(|(p, &h)| p * f64::from(h)).sum();
        // The queue's states all have every agent holding chats.
        let agents_holding = holding + pi[total - 1] * tail * f64::from(self.holding[total - 1]);
        Ok(Solved { p_full, agents_holding })
    }

    /// With waiting chats abandoning after an exponential patience of mean `patience`: the
    /// figures of Erlang A's queue with its drain `c·μ` replaced by `ν = c·f_K / w`, above
    /// the states below the queue solved on their own (every balance equation among them is
    /// the same with or without the queue: the full state's arrivals return from the queue at
    /// the rate they leave, whatever happens within it).
    fn abandoning(
        &self,
        aht: Seconds,
        patience: Seconds,
        target: Seconds,
    ) -> Result<Performance, ChatExactError> {
        let total = self.out_rate.len();
        let pi = self.stationary(Top::Apart)?;
        let below: f64 = pi[..total - 1].iter().sum();
        let holding: f64 = pi[..total - 1].iter().zip(&self.holding).map(|(p, &h)| p * f64::from(h)).sum();
        let metrics = super::a::abandoning_queue(
            self.lambda / aht,
            self.full_rate / aht,
            1.0 / patience,
            target,
            below.ln() - pi[total - 1].ln(),
        );
        let c = f64::from(self.holding[total - 1]);
        // Arrivals see time averages: P(wait) is the time all agents hold K chats, and below
        // that the agents holding chats are those of the states without a queue.
        let below_holding = if below > 0.0 { holding / below } else { 0.0 };
        let occupancy = ((1.0 - metrics.p_wait) * below_holding + metrics.p_wait * c) / c;
        Ok(Performance {
            agents: self.holding[total - 1],
            stable: true,
            occupancy: occupancy.min(1.0),
            p_block: 0.0,
            attempts_per_call: 1.0,
            metrics,
        })
    }

    /// The stationary distribution below the queue, normalised as `top` says: over-relaxed
    /// sweeps, or plain Gauss-Seidel where those do not settle.
    fn stationary(&self, top: Top) -> Result<Vec<f64>, ChatExactError> {
        self.relaxed_or_plain(top, OVER_RELAXATION)
    }

    /// Sweeps relaxed by `omega`, or plain Gauss-Seidel where those do not settle.
    fn relaxed_or_plain(&self, top: Top, omega: f64) -> Result<Vec<f64>, ChatExactError> {
        self.sweeps(top, omega).or_else(|_| self.sweeps(top, 1.0))
    }

    /// Sweeps relaxed by `omega` (1: Gauss-Seidel) until they settle. Over-relaxed
    /// (`omega > 1`), a sweep moving [`DIVERGING`] times the least seen ends the solve.
    fn sweeps(&self, top: Top, omega: f64) -> Result<Vec<f64>, ChatExactError> {
        let total = self.out_rate.len();
        let levels = self.level_start.len() - 1;
        let mut pi = vec![0.0; total];
        let mut level_log = vec![0.0; levels];
        // Start from the level totals with each level spread evenly.
        self.aggregate(&mut pi, &mut level_log, top, true);
        let mut previous = pi.clone();
        let (mut last_moved, mut least) = (f64::INFINITY, f64::INFINITY);
        for sweep in 0..MAX_SWEEPS {
            let update = |pi: &mut [f64], p: usize| {
                let inflow: f64 = (self.in_start[p]..self.in_start[p + 1])
                    .map(|e| pi[self.in_from[e] as usize] * self.in_rate[e])
                    .sum();
                // Past its Gauss-Seidel value a state may overshoot below 0: a probability is
                // not negative. With `omega` 1 this is the Gauss-Seidel value exactly.
                pi[p] = ((1.0 - omega) * pi[p] + omega * (inflow / self.out_rate[p])).max(0.0);
            };
            // Upward sweeps carry arrivals' mass up at once, downward ones completions' mass
            // down: alternating settles in about a fifth fewer sweeps than either alone.
            if sweep % 2 == 0 {
                (0..total).for_each(|p| update(&mut pi, p));
            } else {
                (0..total).rev().for_each(|p| update(&mut pi, p));
            }
            self.aggregate(&mut pi, &mut level_log, top, false);
            let moved: f64 = pi.iter().zip(&previous).map(|(a, b)| (a - b).abs()).sum();
            previous.copy_from_slice(&pi);
            let settled = moved < SETTLED || (moved < ROUNDING_FLOOR && moved >= last_moved);
            last_moved = moved;
            if settled {
                return Ok(pi);
            }
            if omega > 1.0 && (moved.is_nan() || moved > DIVERGING * least) {
                break;
            }
            least = least.min(moved);
        }
        Err(ChatExactError::NotConverged { agents: self.holding[total - 1] })
    }

    /// Rescales every level to the level totals of the birth-death chain whose death rates
    /// are the levels' current average drains (`even`: each level spread evenly, to start),
    /// and normalises as `top` says. `level` holds each level's mass, then the log of
    /// its new total: summed in logarithms, as the totals span hundreds of orders of magnitude
    /// at a hundred agents.
    fn aggregate(&self, pi: &mut [f64], level: &mut [f64], top: Top, even: bool) {
        let levels = level.len();
        let mut log_total = 0.0;
        for (l, slot) in level.iter_mut().enumerate() {
            let range = self.level_start[l]..self.level_start[l + 1];
            // The level's shares are taken relative to its largest entry: a level hundreds of
            // orders of magnitude below the busiest (a light load on many agents, or chats
            // abandoning under heavy overload) holds subnormal numbers whose products with the
            // drains underflow, and its mass and drain must stay a ratio of finite numbers. A
            // level whose mass underflowed to nothing starts again evenly.
            let largest = pi[range.clone()].iter().copied().fold(0.0, f64::max);
            let usable = largest > 0.0 && largest.is_finite();
            let restart = !even && !usable;
            let (mass, drained) = if even || restart {
                (range.len() as f64, self.drain[range].iter().sum::<f64>())
            } else {
                pi[range.clone()].iter_mut().for_each(|v| *v /= largest);
                (pi[range.clone()].iter().sum(), range.map(|p| pi[p] * self.drain[p]).sum::<f64>())
            };
            // Level 0 has no completions; its total is the reference.
            if l > 0 {
                log_total += (self.lambda * mass / drained).ln();
            }
            *slot = log_total;
            if even {
                pi[self.level_start[l]..self.level_start[l + 1]].fill(1.0);
            } else if restart {
                pi[self.level_start[l]..self.level_start[l + 1]].fill(1.0 / mass);
            } else {
                let scale = 1.0 / mass;
                pi[self.level_start[l]..self.level_start[l + 1]].iter_mut().for_each(|v| *v *= scale);
            }
        }
        let most = level.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = level
            .iter()
            .enumerate()
            .map(|(l, log)| (log - most).exp() * if l == levels - 1 { top.weight() } else { 1.0 })
            .sum();
        for (l, log) in level.iter().enumerate() {
            let range = self.level_start[l]..self.level_start[l + 1];
            let size = if even { range.len() as f64 } else { 1.0 };
            let scale = (log - most).exp() / sum / size;
            pi[range].iter_mut().for_each(|v| *v *= scale);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_follow_the_enumeration_order() {
        let binom = Binomials::new(4 + 3, 3);
        let mut composition = Composition::first(4, 3);
        let mut rank = 0;
        loop {
            assert_eq!(binom.rank(&composition.parts, 4), rank, "{:?}", composition.parts);
            rank += 1;
            if !composition.advance() {
                break;
            }
        }
        assert_eq!(rank, binom.compositions(4, 4));
        assert_eq!(ChatExact::new(1.0, 1.0, &[1.0, 1.7, 2.5]).states(4), rank as u64);
    }

    #[test]
    fn over_relaxed_sweeps_settle_where_gauss_seidel_does() {
        for factors in [[1.0, 1.7, 2.5], [1.0, 1.000_000_1, 1.000_000_2]] {
            let chain = Chain::build(20, &factors, 0.8 * 20.0 * factors[2]);
            let tail = 0.8 / (1.0 - 0.8);
            for top in [Top::Geometric(tail), Top::Apart] {
                let plain = chain.sweeps(top, 1.0).unwrap();
                let relaxed = chain.sweeps(top, OVER_RELAXATION).unwrap();
                assert_eq!(chain.stationary(top).unwrap(), relaxed);
                let worst = plain.iter().zip(&relaxed).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
                assert!(worst < 1e-11, "{factors:?}: {worst:e}");
            }
        }
    }

    /// Where over-relaxed sweeps do not settle (past ω = 2 they diverge on any chain; at 1.99
    /// they do not settle on a near-flat one), the solve is plain Gauss-Seidel's, to the bit.
    #[test]
    fn a_relaxation_that_does_not_settle_falls_back_to_gauss_seidel() {
        let factors = [1.0, 1.000_000_1, 1.000_000_2];
        let chain = Chain::build(10, &factors, 0.8 * 10.0 * factors[2]);
        for top in [Top::Geometric(0.8 / (1.0 - 0.8)), Top::Apart] {
            let plain = chain.sweeps(top, 1.0).unwrap();
            for omega in [1.99, 2.5] {
                assert!(chain.sweeps(top, omega).is_err(), "ω = {omega} settled");
                assert_eq!(chain.relaxed_or_plain(top, omega).unwrap(), plain, "ω = {omega}");
            }
        }
    }

    #[test]
    fn the_state_count_and_its_limit() {
        let chat = ChatExact::new(1.0, 1.0, &[1.0, 1.7, 2.5]);
        assert_eq!(chat.states(100), 176_851);
        let most = chat.max_agents();
        assert!(chat.states(most) <= MAX_STATES && chat.states(most + 1) > MAX_STATES);
        assert_eq!(ChatExact::new(1.0, 1.0, &[1.0; 32]).states(u32::MAX), u64::MAX);
    }
}
