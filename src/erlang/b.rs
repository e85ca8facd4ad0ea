//! Erlang B (M/M/c/c): the probability that a call finds every agent busy when blocked calls
//! are lost. Erlang C and Erlang A are built on it, and it is a model of its own: `c` lines
//! (trunks), each carried call holding one for its handle time, nobody waiting.
//!
//! Computed by the recursion, never by `A^c / c!`, so it neither overflows nor loses
//! precision from 0.01 to 50,000 Erlangs and up to 100,000 agents.

use super::Performance;
use crate::metrics::Metrics;
use crate::time::Erlangs;

/// Erlang B blocking probability `B(c, A)`.
///
/// ```text
/// B(0) = 1,   B(k) = A·B(k−1) / (k + A·B(k−1))
/// ```
///
/// The recursion is a contraction (each step shrinks an error by at most `k/A` below the
/// load and `A/k` above it), so it starts `m` steps below `min(c, ⌊A⌋)`, at `k₀`, from the
/// lower bound `1 − k₀/A` (carried load cannot exceed the agents) instead of at 0, with `m`
/// chosen so that the starting error, at most 1, is damped by `∏ k/A ≤ e⁻⁴⁰` on the way.
/// At 50,000 Erlangs that is about 2,000 steps instead of 50,000. A load of 0 blocks
/// nothing (`B = 0`) except with no agents (`B = 1`).
pub fn erlang_b(load: Erlangs, agents: u32) -> f64 {
    let (mut k, mut b) = start(load, agents);
    // Once B underflows to 0 it stays 0, so many more agents than the load cost nothing.
    while k < agents && b > 0.0 {
        k += 1;
        b = step(load, k, b);
    }
    b
}

/// Everything Erlang B reports for `lines` lines: `p_block = B(lines, A)`, carried load
/// `A·(1 − B)` and occupancy `A·(1 − B) / lines` (0 without lines). Nobody waits: a call is
/// answered at once or blocked, so service level (answered within any target / offered) is
/// `1 − B`, over answered calls 1, and every wait is 0.
pub(crate) fn performance(load: Erlangs, lines: u32) -> Performance {
    if load <= 0.0 {
        return Performance::no_calls(lines);
    }
    let p_block = erlang_b(load, lines);
    let (occupancy, answered_at_once, wait) = if lines == 0 {
        (super::idle_occupancy(0), f64::NAN, f64::NAN)
    } else {
        (load * (1.0 - p_block) / f64::from(lines), 1.0, 0.0)
    };
    Performance {
        agents: lines,
        stable: true,
        occupancy,
        p_block,
        attempts_per_call: 1.0,
        metrics: Metrics {
            service_level: 1.0 - p_block,
            service_level_answered: answered_at_once,
            p_wait: 0.0,
            asa_s: wait,
            abandon_rate: 0.0,
            mean_wait_all_s: 0.0,
        },
    }
}

/// Where the recursion can start for a target of `agents`, and its value there.
pub(crate) fn start(load: Erlangs, agents: u32) -> (u32, f64) {
    if load <= 0.0 || agents == 0 {
        return (agents, if agents == 0 { 1.0 } else { 0.0 });
    }
    // With c' = min(c, ⌊A⌋) and δ = ln(A/c'), each of the m steps up to c' shrinks the error
    // by at least e^(−δ − (c'−k)/A), so m·δ + m(m−1)/2A ≥ 40 suffices: about √(80·A) steps
    // near the load, far fewer well below it.
    let top = f64::from(agents).min(load.floor());
    let delta = (load / top).ln().max(0.0);
    let steps = if top < 1.0 {
        f64::INFINITY
    } else {
        // m² / 2A + m·(δ − 1/2A) − 40 = 0, plus one for the rounding.
        let (a, b) = (0.5 / load, delta - 0.5 / load);
        ((-b + (b * b + 4.0 * a * 40.0).sqrt()) / (2.0 * a)).ceil() + 1.0
    };
    let k0 = top - steps;
    if k0 <= 0.0 {
        (0, 1.0)
    } else {
        let k0 = k0 as u32;
        (k0, 1.0 - f64::from(k0) / load)
    }
}

/// One step of the recursion: `B(k)` from `B(k−1)`.
#[inline]
pub(crate) fn step(load: Erlangs, k: u32, prev: f64) -> f64 {
    let ab = load * prev;
    ab / (f64::from(k) + ab)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain recursion from `B(0) = 1`, the textbook form the fast start must match.
    fn from_zero(load: f64, agents: u32) -> f64 {
        (1..=agents).fold(1.0, |b, k| step(load, k, b))
    }

    #[test]
    fn small_cases_match_the_closed_form() {
        // B(1, A) = A / (1 + A); B(2, A) = A²/2 / (1 + A + A²/2).
        for a in [0.01, 0.5, 1.0, 3.7] {
            assert!((erlang_b(a, 1) - a / (1.0 + a)).abs() < 1e-15);
            let b2 = a * a / 2.0 / (1.0 + a + a * a / 2.0);
            assert!((erlang_b(a, 2) - b2).abs() < 1e-15);
        }
    }

    #[test]
    fn fast_start_matches_the_full_recursion() {
        let cases = [
            (10.0, 3),
            (50.0, 60),
            (1000.0, 500),
            (1000.0, 900),
            (1000.0, 1030),
            (20_000.0, 20_150),
            (50_000.0, 30_000),
            (50_000.0, 42_709),
            (50_000.0, 49_000),
            (50_000.0, 50_300),
        ];
        for (a, c) in cases {
            let (fast, full) = (erlang_b(a, c), from_zero(a, c));
            assert!((fast - full).abs() <= 1e-14 * full, "A={a} c={c}: {fast} vs {full}");
        }
    }

    #[test]
    fn performance_carries_what_is_not_blocked() {
        // A = 2 on 2 lines: B = 2 / 5 = 0.4, carried 1.2 Erlangs, 0.6 per line.
        let p = performance(2.0, 2);
        assert!((p.p_block - 0.4).abs() < 1e-15, "{p:?}");
        assert!((p.occupancy - 0.6).abs() < 1e-15, "{p:?}");
        assert!((p.metrics.service_level - 0.6).abs() < 1e-15, "{p:?}");
        assert_eq!((p.metrics.p_wait, p.metrics.asa_s), (0.0, 0.0));
        let none = performance(2.0, 0);
        assert_eq!((none.p_block, none.metrics.service_level), (1.0, 0.0));
        assert!(none.occupancy.is_nan(), "no lines: nothing to be busy, {none:?}");
    }

    #[test]
    fn extremes_neither_overflow_nor_lose_the_value() {
        assert_eq!(erlang_b(0.0, 5), 0.0);
        assert_eq!(erlang_b(3.0, 0), 1.0);
        assert_eq!(erlang_b(0.01, 100_000), 0.0);
        let b = erlang_b(50_000.0, 100_000);
        assert!(b.is_finite() && b >= 0.0);
        let b = erlang_b(50_000.0, 50_000);
        assert!(b > 0.0 && b < 0.01);
    }
}
