//! Required agents: the smallest staffing that meets every goal, and the scheduled agents
//! once shrinkage is added.
//!
//! The search cannot skip the answer. Erlang C scans upward from the first stable count
//! (`⌊A⌋ + 1`, also raised to the exact occupancy bound), updating Erlang B by one
//! recursion step per agent, so each candidate costs O(1) and 50,000 Erlangs solve in
//! microseconds. Erlang A, B and X bracket the answer by doubling steps from `round(A)`
//! and then close the bracket by interpolation, so the number of evaluations grows with the
//! logarithm of the load; this relies on every goal's metric being monotone in the agents
//! (service level up; ASA, abandonment, blocking and occupancy down), which the property
//! tests check. Loads above [`MAX_LOAD`] are refused (`None`), so no count overflows.
//!
//! Ceilings that people check by hand are exact in decimal: `21 / (1 − 0.3)` is 30 and
//! `9.6 / 0.8` is 12, where f64 division alone gives 30.000000000000004 and could round up.

use std::fmt;

use super::{ChatErlang, ChatExact, MAX_LOAD, Model, Performance, b, c};
use crate::time::{Erlangs, Seconds};

/// A service-level goal: at least `goal` of all offered calls answered within `target`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServiceGoal {
    /// Answer-time target.
    pub target: Seconds,
    /// Share of offered calls, in (0, 1].
    pub goal: f64,
}

/// The goals a staffing must meet; `None` means no goal on that metric.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Goals {
    /// Service level at least this (over all offered calls).
    pub service_level: Option<ServiceGoal>,
    /// ASA at most this.
    pub max_asa: Option<Seconds>,
    /// P(abandon) at most this (Erlang A; Erlang C never abandons).
    pub max_abandon: Option<f64>,
    /// Occupancy at most this.
    pub max_occupancy: Option<f64>,
    /// P(block) at most this (models with a line limit; the others never block).
    pub max_block: Option<f64>,
}

impl Goals {
    /// The answer-time target at which service level is reported: the goal's, else 0
    /// (service level then means "answered at once").
    pub fn target(&self) -> Seconds {
        self.service_level.map_or(0.0, |g| g.target)
    }
}

/// One thing a staffing must achieve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// A steady state with calls answered: more agents than the load (Erlang C), at least
    /// one agent (Erlang A).
    Staffed,
    /// Service level at least the goal.
    ServiceLevel,
    /// ASA at most the maximum.
    Asa,
    /// Abandonment at most the maximum.
    Abandon,
    /// Occupancy at most the maximum.
    Occupancy,
    /// Blocking at most the maximum.
    Block,
}

impl Goal {
    const ALL: [Goal; 6] =
        [Goal::Staffed, Goal::ServiceLevel, Goal::Asa, Goal::Abandon, Goal::Occupancy, Goal::Block];

    /// How reports name the goal.
    pub fn label(self) -> &'static str {
        match self {
            Goal::Staffed => "stability",
            Goal::ServiceLevel => "service level",
            Goal::Asa => "ASA",
            Goal::Abandon => "abandonment",
            Goal::Occupancy => "occupancy",
            Goal::Block => "blocking",
        }
    }
}

/// A set of goals: those one agent fewer would miss, i.e. the goals that decided the answer
/// (several when they tie).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Binding(u8);

impl Binding {
    /// Whether `goal` is in the set.
    pub fn contains(self, goal: Goal) -> bool {
        self.0 & (1 << goal as u8) != 0
    }

    /// Whether the set is empty (no calls: nothing binds).
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The goals in the set, in [`Goal`] order.
    pub fn goals(self) -> impl Iterator<Item = Goal> {
        Goal::ALL.into_iter().filter(move |g| self.contains(*g))
    }

    fn with(self, goal: Goal) -> Binding {
        Binding(self.0 | 1 << goal as u8)
    }

    /// The set as `model`'s report names it: a staffing that answers nothing is "unstable"
    /// only under Erlang C, where it means no more agents than the load; Erlang A, B and X are
    /// stable at any count, and there the least staffing is one agent (or line).
    pub fn describe(self, model: &Model) -> String {
        self.text(match model {
            Model::ChatExact(chat) if chat.patience().is_some() => "at least one agent",
            Model::ErlangC { .. } | Model::ErlangCChat(_) | Model::ChatExact(_) => Goal::Staffed.label(),
            Model::ErlangB { .. } => "at least one line",
            Model::ErlangA { .. } | Model::ErlangX(_) => "at least one agent",
        })
    }

    /// The labels joined by ` + `, with `staffed` for [`Goal::Staffed`]; `none` when empty.
    fn text(self, staffed: &str) -> String {
        if self.is_empty() {
            return "none".to_string();
        }
        let labels: Vec<&str> =
            self.goals().map(|g| if g == Goal::Staffed { staffed } else { g.label() }).collect();
        labels.join(" + ")
    }
}

impl fmt::Display for Binding {
    /// `service level + occupancy`, or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Goal::Staffed.label()))
    }
}

/// The answer of [`required_agents`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Requirement {
    /// Smallest number of agents meeting every goal.
    pub agents: u32,
    /// The goals one agent fewer would miss.
    pub binding: Binding,
    /// Performance at `agents`, service level at [`Goals::target`].
    pub performance: Performance,
    /// Performance at `agents - 1`, service level at [`Goals::target`]: what the search found
    /// to miss a goal; `None` when the answer is 0 agents.
    pub below: Option<Performance>,
}

/// The smallest number of agents meeting every goal in `goals`.
///
/// With no load the answer is 0 agents (nothing to answer; nothing binds). With a load and no
/// goal it is the smallest staffing with a steady state: `⌊A⌋ + 1` for Erlang C, 1 for
/// Erlang A. Erlang C never meets an abandonment goal it is given only in the sense that its
/// abandonment is 0, so any `max_abandon ≥ 0` holds.
///
/// Returns `None` when no count up to [`search_cap`] meets the goals (a goal that cannot be
/// met, e.g. an occupancy cap of 0), the model's numbers are not finite, or the load of fresh
/// calls is above [`MAX_LOAD`].
pub fn required_agents(model: &Model, goals: &Goals) -> Option<Requirement> {
    let load = model.load();
    let target = goals.target();
    if !(0.0..=MAX_LOAD).contains(&load) {
        return None;
    }
    if load == 0.0 {
        return Some(Requirement {
            agents: 0,
            binding: Binding::default(),
            performance: model.evaluate(0, target),
            below: None,
        });
    }
    let check = Check::new(model, goals);
    let cap = search_cap(model, goals);
    let agents = match *model {
        Model::ErlangC { load, aht } => search_c(&check, load, aht, target, cap)?,
        Model::ErlangCChat(chat) => search_chat(&check, &chat, target, cap)?,
        Model::ChatExact(chat) => return search_chat_exact(&check, &chat, target, cap),
        Model::ErlangX(_) if goals.max_block.is_some() => search_blocking(&check, model, target, load, cap)?,
        Model::ErlangA { .. } | Model::ErlangB { .. } | Model::ErlangX(_) => {
            search_bracketed(&check, model, target, load, cap)?
        }
    };
    let below = model.evaluate(agents - 1, target);
    Some(Requirement {
        agents,
        binding: check.missed(&below),
        performance: model.evaluate(agents, target),
        below: Some(below),
    })
}

/// The largest count [`required_agents`] tries: `⌈A + 50·√A + 100⌉` for a load `A`, which
/// every goal on waits, abandonment or blocking is met below if it can be met at all (their
/// tails are negligible 50 standard deviations above the load), or more where an occupancy
/// cap asks for it: `A / c` is at least the occupancy, so `⌈A / cap⌉` agents always meet it.
/// Erlang X: the redials' attempts count in the load, and the lines bound the search (agents
/// beyond them have nobody to answer).
pub fn search_cap(model: &Model, goals: &Goals) -> u32 {
    let tail = |load: Erlangs| (load + 50.0 * load.sqrt() + 100.0).ceil().min(f64::from(u32::MAX)) as u32;
    let load = model.load();
    // A cap of 0 or below is met by no count: `u32::MAX` says so, and must not widen the search.
    let occupancy = goals
        .max_occupancy
        .map(|max| min_agents_for_occupancy(load, max))
        .filter(|&agents| agents < u32::MAX)
        .unwrap_or(0);
    match model {
        Model::ErlangX(x) => tail(load / (1.0 - x.redial)).max(occupancy).min(x.lines),
        // Chats in service number the servers' load on average, so `⌈A' / cap⌉` agents meet an
        // occupancy cap whatever their spread (one more, as the sum that says so rounds).
        Model::ErlangCChat(_) | Model::ChatExact(_) => {
            let chat = match model {
                Model::ChatExact(exact) => exact.estimate(),
                Model::ErlangCChat(chat) => *chat,
                _ => unreachable!("matched above"),
            };
            let servers = goals
                .max_occupancy
                .map(|max| min_agents_for_occupancy(chat.server_load(), max))
                .filter(|&agents| agents < u32::MAX)
                .map_or(0, |agents| agents.saturating_add(1));
            tail(load).max(servers)
        }
        _ => tail(load).max(occupancy),
    }
}

/// Goals with what can be computed once per search.
struct Check<'a> {
    goals: &'a Goals,
    /// Erlang C: the exact occupancy bound (A / c is exact there).
    exact_occupancy_min: Option<u32>,
}

impl<'a> Check<'a> {
    fn new(model: &Model, goals: &'a Goals) -> Check<'a> {
        let exact_occupancy_min = match model {
            Model::ErlangC { load, .. } => goals.max_occupancy.map(|m| min_agents_for_occupancy(*load, m)),
            Model::ErlangA { .. }
            | Model::ErlangB { .. }
            | Model::ErlangX(_)
            | Model::ErlangCChat(_)
            | Model::ChatExact(_) => None,
        };
        Check { goals, exact_occupancy_min }
    }

    /// The goals `perf` misses; an unstable queue or no agents misses every goal given.
    fn missed(&self, perf: &Performance) -> Binding {
        let g = self.goals;
        let m = &perf.metrics;
        let mut missed = Binding::default();
        let unstaffed = !perf.stable || m.abandon_rate >= 1.0 || perf.p_block >= 1.0;
        if unstaffed {
            missed = missed.with(Goal::Staffed);
        }
        if g.service_level.is_some_and(|s| unstaffed || m.service_level.is_nan() || m.service_level < s.goal)
        {
            missed = missed.with(Goal::ServiceLevel);
        }
        if g.max_asa.is_some_and(|max| unstaffed || m.asa_s.is_nan() || m.asa_s > max) {
            missed = missed.with(Goal::Asa);
        }
        if g.max_abandon.is_some_and(|max| unstaffed || m.abandon_rate.is_nan() || m.abandon_rate > max) {
            missed = missed.with(Goal::Abandon);
        }
        let occupancy_ok = |max: f64| match self.exact_occupancy_min {
            Some(min) => perf.agents >= min,
            None => perf.occupancy <= max,
        };
        if g.max_occupancy.is_some_and(|max| unstaffed || !occupancy_ok(max)) {
            missed = missed.with(Goal::Occupancy);
        }
        if g.max_block.is_some_and(|max| unstaffed || perf.p_block.is_nan() || perf.p_block > max) {
            missed = missed.with(Goal::Block);
        }
        missed
    }

    fn met(&self, perf: &Performance) -> bool {
        self.missed(perf).is_empty()
    }

    /// How far `perf` is inside the tightest goal: ≥ 0 exactly when every goal is met, −∞
    /// without a steady state. Each margin is relative to its goal, so they compare.
    fn slack(&self, perf: &Performance) -> f64 {
        if !self.met(perf) {
            let s = self.margin(perf);
            // Rounding could put a missed goal at exactly 0: keep the sign honest.
            return if s >= 0.0 { -f64::MIN_POSITIVE } else { s };
        }
        self.margin(perf).max(0.0)
    }

    fn margin(&self, perf: &Performance) -> f64 {
        let g = self.goals;
        let m = &perf.metrics;
        if !perf.stable || m.abandon_rate >= 1.0 || perf.p_block >= 1.0 {
            return f64::NEG_INFINITY;
        }
        let margins = [
            g.service_level.map(|s| (m.service_level - s.goal) / s.goal),
            g.max_asa.map(|max| (max - m.asa_s) / max),
            g.max_abandon.map(|max| (max - m.abandon_rate) / max),
            g.max_occupancy.map(|max| (max - perf.occupancy) / max),
            g.max_block.map(|max| (max - perf.p_block) / max),
        ];
        let s = margins.into_iter().flatten().fold(f64::INFINITY, f64::min);
        if s.is_nan() { f64::NEG_INFINITY } else { s }
    }
}

/// Erlang C: scan up from the first stable count, one Erlang B step per agent.
fn search_c(check: &Check, load: Erlangs, aht: Seconds, target: Seconds, cap: u32) -> Option<u32> {
    let stable_min = (load.floor() + 1.0).min(f64::from(u32::MAX)) as u32;
    let mut agents = stable_min.max(check.exact_occupancy_min.unwrap_or(0));
    if agents > cap {
        return None;
    }
    let mut b = b::erlang_b(load, agents);
    loop {
        if agents > cap {
            return None;
        }
        if check.met(&c::performance(load, aht, agents, target, b)) {
            return Some(agents);
        }
        // `agents ≤ cap < u32::MAX` here; checked all the same, so a count can never wrap to 0
        // and restart the scan.
        agents = agents.checked_add(1)?;
        b = b::step(load, agents, b);
    }
}

/// The chat estimate: scan up from the first stable agent count like [`search_c`], stepping
/// Erlang B over the `K` servers each agent adds. The cap is in agents: the load at
/// concurrency 1 bounds the agents needed, since each agent's throughput is at least one
/// chat's.
fn search_chat(check: &Check, chat: &ChatErlang, target: Seconds, cap: u32) -> Option<u32> {
    // An occupancy cap may ask for far more agents than the load: start the scan at the
    // fewest meeting it alone, found by bisection (occupancy falls as agents are added), not
    // at the load.
    let occupancy_start = match check.goals.max_occupancy.filter(|&max| max > 0.0) {
        Some(max) => {
            let meets = |agents: u32| chat.performance(agents, target).occupancy <= max;
            let (mut low, mut high) = (chat.stable_min().max(1), cap.max(1));
            if !meets(high) {
                return None;
            }
            while low < high {
                let mid = low + (high - low) / 2;
                if meets(mid) { high = mid } else { low = mid + 1 }
            }
            low
        }
        None => 0,
    };
    let mut agents = chat.stable_min().max(occupancy_start);
    if agents > cap {
        return None;
    }
    let load = chat.server_load();
    let mut servers = chat.servers(agents);
    let mut b = b::erlang_b(load, servers);
    loop {
        if agents > cap {
            return None;
        }
        if check.met(&chat.performance_with_b(agents, target, b)) {
            return Some(agents);
        }
        agents = agents.checked_add(1)?;
        let next = chat.servers(agents);
        while servers < next {
            servers += 1;
            b = b::step(load, servers, b);
        }
    }
}

/// Whether the search for `goals` on the exact chat model reaches past its state limit: where
/// it found no count, the goals need a chain too large to solve, not more agents than exist.
pub fn reaches_past_state_limit(chat: &ChatExact, goals: &Goals) -> bool {
    search_cap(&Model::ChatExact(*chat), goals) > chat.max_agents()
}

/// The exact chat model: each count is a solve of the chain, so start where the estimate's
/// answer is (within an agent or two of the exact one) and step down while the count below
/// still meets every goal, or up until one does. Counts beyond the state limit are not
/// solved: `None` once the walk reaches them. A count whose solve fails (sweeps that do not
/// settle) ends the walk with `None` too, rather than being passed over as a count that
/// misses the goals. The walk has solved the answer and the count below it, so the
/// requirement is built from those solves rather than two more.
fn search_chat_exact(check: &Check, chat: &ChatExact, target: Seconds, cap: u32) -> Option<Requirement> {
    let estimate = chat.estimate();
    let most = cap.min(chat.max_agents());
    let start = search_chat(check, &estimate, target, cap).unwrap_or_else(|| estimate.stable_min());
    let mut agents = start.clamp(1, most.max(1));
    let solve = |agents: u32| chat.performance(agents, target).ok();
    let found = |agents, below: &Performance, performance| {
        Some(Requirement { agents, binding: check.missed(below), performance, below: Some(*below) })
    };
    let mut here = solve(agents)?;
    if check.met(&here) {
        // 0 agents is never solved as a chain (no agents: unstable, or everyone abandons).
        loop {
            let below = solve(agents - 1)?;
            if agents == 1 || !check.met(&below) {
                return found(agents, &below, here);
            }
            (agents, here) = (agents - 1, below);
        }
    }
    while agents < most {
        let below = here;
        agents += 1;
        here = solve(agents)?;
        if check.met(&here) {
            return found(agents, &below, here);
        }
    }
    None
}

/// Erlang A, B and X: bracket by doubling steps from `round(A)`, then close the bracket by
/// interpolating the slack of the tightest goal (Illinois regula falsi). Each evaluation is a
/// full pass over the chain, so their number matters: about 14 at 50,000 Erlangs, growing
/// with the logarithm of the load.
fn search_bracketed(check: &Check, model: &Model, target: Seconds, load: Erlangs, cap: u32) -> Option<u32> {
    let slack = |agents: u32| {
        if agents == 0 { f64::NEG_INFINITY } else { check.slack(&model.evaluate(agents, target)) }
    };
    let mut step = (load.sqrt().ceil() as u32).max(1);
    let start = (load.round().min(f64::from(cap)) as u32).max(1);
    let s = slack(start);
    // `lo` misses a goal, `hi` meets them all; `s_lo`, `s_hi` are their slacks.
    let (mut lo, mut s_lo, mut hi, mut s_hi);
    if s >= 0.0 {
        (hi, s_hi) = (start, s);
        loop {
            lo = hi.saturating_sub(step);
            s_lo = slack(lo);
            if s_lo < 0.0 {
                break;
            }
            step = next_step(step, hi - lo, s_hi - s_lo, s_lo);
            (hi, s_hi) = (lo, s_lo);
        }
    } else {
        (lo, s_lo) = (start, s);
        loop {
            if lo >= cap {
                return None;
            }
            hi = lo.saturating_add(step).min(cap);
            s_hi = slack(hi);
            if s_hi >= 0.0 {
                break;
            }
            step = next_step(step, hi - lo, s_hi - s_lo, -s_hi);
            (lo, s_lo) = (hi, s_hi);
        }
    }
    // Illinois regula falsi on the integer bracket: interpolate where the slack crosses 0,
    // halving the weight of an end kept twice in a row so a curved slack cannot stall it.
    let (mut w_lo, mut w_hi) = (s_lo, s_hi);
    let mut kept_lo = 0;
    while hi - lo > 1 {
        let width = hi - lo;
        let guess = if w_lo.is_finite() && w_hi.is_finite() {
            let root = f64::from(lo) + f64::from(width) * (-w_lo / (w_hi - w_lo));
            (root.round() as u32).clamp(lo + 1, hi - 1)
        } else {
            lo + width / 2
        };
        let s = slack(guess);
        if s >= 0.0 {
            (hi, w_hi) = (guess, s);
            kept_lo += 1;
            if kept_lo >= 2 {
                w_lo /= 2.0;
            }
        } else {
            (lo, w_lo) = (guess, s);
            kept_lo = kept_lo.min(0) - 1;
            if kept_lo <= -2 {
                w_hi /= 2.0;
            }
        }
    }
    Some(hi)
}

/// Erlang X with a blocking goal. Blocking need not fall as agents are added (see
/// [`super::x`]): with patience shorter than the handle time, callers who would have given up
/// are answered and hold their line longer, so blocking rises with the agents, and the counts
/// that meet every goal run from the least that meets the others up to the last that blocks
/// few enough. The other goals improve with agents: the least count meeting them is found as
/// for Erlang A. Where blocking then falls with agents, every goal improves together and the
/// same search gives the answer; otherwise the counts above are tried in turn, up to the lines.
fn search_blocking(check: &Check, model: &Model, target: Seconds, load: Erlangs, cap: u32) -> Option<u32> {
    let others = Goals { max_block: None, ..*check.goals };
    let first = search_bracketed(&Check::new(model, &others), model, target, load, cap)?;
    let at_first = model.evaluate(first, target);
    if check.met(&at_first) {
        return Some(first);
    }
    if model.evaluate(cap, target).p_block < at_first.p_block {
        return search_bracketed(check, model, target, load, cap);
    }
    (first + 1..=cap).find(|&agents| check.met(&model.evaluate(agents, target)))
}

/// The next bracketing step: at least double the last, or further where the secant through
/// the last two slacks (`rise` over `run` agents) says the goal is `remaining` away.
fn next_step(step: u32, run: u32, rise: f64, remaining: f64) -> u32 {
    let doubled = step.saturating_mul(2);
    let secant = remaining / rise * f64::from(run) * 1.1;
    if secant.is_finite() && secant > f64::from(doubled) {
        secant.min(f64::from(u32::MAX / 2)) as u32
    } else {
        doubled
    }
}

/// Agents to schedule so that `raw` remain after shrinkage (absence, breaks, training):
/// `⌈raw / (1 − shrinkage)⌉`, computed exactly on the decimal value of `shrinkage`
/// (`21 / (1 − 0.3)` is 30). `None` when shrinkage is outside [0, 1) or the answer does not
/// fit in a `u32`.
pub fn scheduled_agents(raw: u32, shrinkage: f64) -> Option<u32> {
    if !(0.0..1.0).contains(&shrinkage) {
        return None;
    }
    if let Some((digits, decimals)) = decimal(shrinkage) {
        let scale = 10u128.pow(decimals);
        return u32::try_from((u128::from(raw) * scale).div_ceil(scale - digits)).ok();
    }
    let kept = 1.0 - shrinkage;
    let mut n = (f64::from(raw) / kept).ceil();
    // The inexact path (shrinkage with more than 24 decimals): undo a rounding-up.
    if n >= 1.0 && (n - 1.0) * kept >= f64::from(raw) {
        n -= 1.0;
    }
    (n <= f64::from(u32::MAX)).then_some(n as u32)
}

/// The smallest `c` with `load / c ≤ max_occupancy`, exact on the decimal values
/// (`A = 9.6` with 0.8 gives 12). 0 without load; `u32::MAX` when `max_occupancy ≤ 0` (no
/// count meets it). This is the occupancy bound alone: Erlang C also needs `c > A`.
pub fn min_agents_for_occupancy(load: Erlangs, max_occupancy: f64) -> u32 {
    if load.is_nan() || load <= 0.0 {
        return 0;
    }
    if max_occupancy.is_nan() || max_occupancy <= 0.0 {
        return u32::MAX;
    }
    let exact = (|| {
        let (load_digits, load_decimals) = decimal(load)?;
        let (max_digits, max_decimals) = decimal(max_occupancy)?;
        let common = load_decimals.min(max_decimals);
        let num = load_digits.checked_mul(10u128.checked_pow(max_decimals - common)?)?;
        let den = max_digits.checked_mul(10u128.checked_pow(load_decimals - common)?)?;
        Some(num.div_ceil(den))
    })();
    let agents = exact.map_or_else(
        || {
            let n = (load / max_occupancy).ceil();
            if n >= 1.0 && load / (n - 1.0) <= max_occupancy { n - 1.0 } else { n }
        },
        |n| n as f64,
    );
    agents.min(f64::from(u32::MAX)) as u32
}

/// The decimal a person would write for `x` (the shortest that reads back as `x`), as
/// `digits / 10^decimals`. `None` for negative, non-finite or very long values.
fn decimal(x: f64) -> Option<(u128, u32)> {
    if !(x.is_finite() && x >= 0.0) {
        return None;
    }
    let text = x.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    if frac.len() > 24 || int.len() + frac.len() > 38 {
        return None;
    }
    let digits = format!("{int}{frac}").parse::<u128>().ok()?;
    Some((digits, frac.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_are_exact_in_decimal() {
        assert_eq!(scheduled_agents(21, 0.3), Some(30));
        assert_eq!(scheduled_agents(14, 0.3), Some(20));
        assert_eq!(scheduled_agents(7, 0.0), Some(7));
        assert_eq!(scheduled_agents(10, 0.5), Some(20));
        assert_eq!(scheduled_agents(10, 0.51), Some(21));
        assert_eq!(scheduled_agents(3, 1.0), None);
        assert_eq!(scheduled_agents(3, -0.1), None);
        assert_eq!(min_agents_for_occupancy(9.6, 0.8), 12);
        assert_eq!(min_agents_for_occupancy(10.0, 0.85), 12);
        assert_eq!(min_agents_for_occupancy(2.6, 1.0), 3);
        assert_eq!(min_agents_for_occupancy(0.0, 0.8), 0);
        assert_eq!(min_agents_for_occupancy(1.0, 0.0), u32::MAX);
    }

    #[test]
    fn binding_lists_goals_in_order() {
        let b = Binding::default().with(Goal::Occupancy).with(Goal::ServiceLevel);
        assert_eq!(b.to_string(), "service level + occupancy");
        assert_eq!(Binding::default().to_string(), "none");
    }

    /// The answer carries the count below it as the search solved it (the table of `erlang`
    /// shows that row without solving an exact chat chain again), and that count misses a goal.
    #[test]
    fn the_answer_carries_the_count_below_it() {
        let goals =
            Goals { service_level: Some(ServiceGoal { target: 60.0, goal: 0.8 }), ..Goals::default() };
        let chat = ChatExact::new(6.0, 600.0, &[1.0, 1.5]);
        for model in
            [Model::erlang_c(12.0, 180.0), Model::erlang_a(12.0 / 180.0, 180.0, 60.0), Model::ChatExact(chat)]
        {
            let r = required_agents(&model, &goals).unwrap();
            let below = r.below.expect("a load needs agents");
            assert_eq!(below, model.solve(r.agents - 1, 60.0).unwrap(), "{model:?}");
            assert!(below.metrics.service_level < 0.8 && r.performance.metrics.service_level >= 0.8);
        }
        assert_eq!(required_agents(&Model::erlang_c(0.0, 180.0), &goals).unwrap().below, None);
    }

    #[test]
    fn no_load_needs_no_agents() {
        let goals = Goals { max_occupancy: Some(0.8), ..Goals::default() };
        for model in [Model::erlang_c(0.0, 180.0), Model::erlang_a(0.0, 180.0, 60.0)] {
            let r = required_agents(&model, &goals).unwrap();
            assert_eq!(r.agents, 0);
            assert!(r.binding.is_empty());
        }
    }

    #[test]
    fn a_load_below_one_still_needs_an_agent() {
        let r = required_agents(&Model::erlang_c(0.3, 180.0), &Goals::default()).unwrap();
        assert_eq!(r.agents, 1);
        assert!(r.binding.contains(Goal::Staffed));
        let r = required_agents(&Model::erlang_a(0.3 / 180.0, 180.0, 60.0), &Goals::default()).unwrap();
        assert_eq!(r.agents, 1);
    }

    /// A low occupancy cap needs far more agents than the wait's tail: `⌈A / max⌉`, found
    /// however far above the load it is (10 Erlangs at 1% is 1,000 agents, then 10,000 at 0.1%).
    #[test]
    fn a_low_occupancy_cap_is_met_however_far_above_the_load() {
        for (max, expected) in [(0.01, 1_000), (0.001, 10_000)] {
            let goals = Goals { max_occupancy: Some(max), ..Goals::default() };
            let c = required_agents(&Model::erlang_c(10.0, 180.0), &goals).unwrap();
            assert_eq!(c.agents, expected);
            assert!(c.binding.contains(Goal::Occupancy));
            // Erlang A carries a little less than the load (some callers leave), so its
            // occupancy at `expected − 1` agents can only be a hair under Erlang C's.
            let a = required_agents(&Model::erlang_a(10.0 / 180.0, 180.0, 60.0), &goals).unwrap();
            assert!(a.agents <= expected && a.agents + 1 >= expected, "{}", a.agents);
            assert!(a.performance.occupancy <= max);
            assert!(search_cap(&Model::erlang_c(10.0, 180.0), &goals) >= expected);
        }
    }

    #[test]
    fn impossible_goals_give_none() {
        let goals = Goals { max_occupancy: Some(0.0), ..Goals::default() };
        assert!(required_agents(&Model::erlang_c(5.0, 180.0), &goals).is_none());
    }
}
