//! Erlang C (M/M/c, waiting calls never leave): probability of waiting, service level and
//! ASA in closed form from Erlang B.
//!
//! `c ≤ A` has no steady state: the queue grows without bound. That is reported, not an
//! error: P(wait) 1, service level 0, ASA infinite, occupancy 1.

use super::Performance;
use crate::time::{Erlangs, Seconds};

/// Probability that a call waits, Erlang C.
///
/// ```text
/// C(c, A) = c·B(c, A) / (c − A·(1 − B(c, A)))
/// ```
///
/// `B` comes from [`super::erlang_b`]. With `c ≤ A` (and `A > 0`) the queue is unstable and
/// every call waits: 1. With no load, nobody waits: 0.
pub fn erlang_c(load: Erlangs, agents: u32) -> f64 {
    if load <= 0.0 {
        0.0
    } else if f64::from(agents) <= load {
        1.0
    } else {
        from_b(load, agents, super::erlang_b(load, agents))
    }
}

/// Erlang C from Erlang B at the same load and agents (`c > A`).
#[inline]
pub(crate) fn from_b(load: Erlangs, agents: u32, b: f64) -> f64 {
    let c = f64::from(agents);
    c * b / (c - load * (1.0 - b))
}

/// Everything Erlang C reports for `agents` agents, with `b = B(agents, load)`.
///
/// ```text
/// SL(T) = 1 − C·exp(−(c − A)·T / AHT)      ASA = C·AHT / (c − A)      occupancy = A / c
/// ```
///
/// Every call is answered, so service level over answered calls equals service level, the
/// mean wait of all calls equals ASA, and nobody abandons.
pub(crate) fn performance(load: Erlangs, aht: Seconds, agents: u32, target: Seconds, b: f64) -> Performance {
    let c = f64::from(agents);
    if load <= 0.0 {
        return Performance::no_calls(agents);
    }
    if c <= load {
        return Performance::unstable(agents);
    }
    let p_wait = from_b(load, agents, b);
    Performance::without_abandonment(agents, load / c, p_wait, c - load, aht, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_agent_is_the_m_m_1_queue() {
        // M/M/1: P(wait) = ρ, SL(T) = 1 − ρ·e^(−(1−ρ)T/AHT), ASA = ρ·AHT/(1−ρ).
        let (rho, aht, t) = (0.7, 100.0, 30.0);
        let p = performance(rho, aht, 1, t, super::super::erlang_b(rho, 1));
        assert!((p.metrics.p_wait - rho).abs() < 1e-15);
        assert!((p.metrics.service_level - (1.0 - rho * (-(1.0 - rho) * t / aht).exp())).abs() < 1e-15);
        assert!((p.metrics.asa_s - rho * aht / (1.0 - rho)).abs() < 1e-12);
    }

    #[test]
    fn unstable_queues_are_reported_not_negative() {
        for (a, c) in [(2.0, 2), (2.0, 1), (10.5, 10)] {
            let p = performance(a, 180.0, c, 20.0, super::super::erlang_b(a, c));
            assert!(!p.stable);
            assert_eq!(p.metrics.p_wait, 1.0);
            assert_eq!(p.metrics.service_level, 0.0);
            assert_eq!(p.metrics.asa_s, f64::INFINITY);
            assert_eq!(erlang_c(a, c), 1.0);
        }
    }
}
