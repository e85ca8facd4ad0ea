//! Erlang A (M/M/c+M): Poisson arrivals, exponential handle time (rate μ), `c` agents, FCFS,
//! and exponential patience (rate θ): a caller still waiting when patience runs out hangs up.
//!
//! Exact, from the birth-death chain and the wait of a tagged caller; no approximation.
//!
//! The chain: with `n ≤ c` calls in the system, death rate `n·μ`; above, `c·μ + (n−c)·θ`.
//! By PASTA an arrival sees the stationary distribution. Its states up to `c` are those of
//! Erlang B, so their total relative to state `c` is `1/B(c, A)`; the queue states above have
//! the relative weights
//!
//! ```text
//! w₀ = 1,   w_k = w_(k−1) · λ / (c·μ + k·θ)      (k callers waiting)
//! ```
//!
//! A caller who finds `k` waiting moves up one place at rate `c·μ + j·θ` while `j` are ahead
//! (a service ends or one ahead hangs up), and is answered at the next service end once first.
//! Its own patience runs at rate θ, so the memoryless race gives, telescoping,
//!
//! ```text
//! P(answered | k)             = c·μ / (c·μ + (k+1)·θ)
//! E[time in queue | k]        = (k+1) / (c·μ + (k+1)·θ)
//! E[wait; answered | k]       = P(answered | k) · Σ_(j=1..k+1) 1 / (c·μ + j·θ)
//! P(answered by T | k)        = P(answered | k) · P(Y ≥ k+1)
//! ```
//!
//! where `Y` is negative binomial with size `β = c·μ/θ + 1` and success probability
//! `x = 1 − e^(−θT)`: `P(Y = i) = Γ(i+β) / (i!·Γ(β)) · xⁱ·(1−x)^β`. (Tilting the wait by
//! `e^(−θW)` leaves a sum of exponentials with rates `c·μ + j·θ`, `j = 1..k+1`, and
//! `1 − e^(−θW)` of such a sum is Beta(k+1, β) distributed; `I_x(k+1, β) = P(Y ≥ k+1)`.)
//!
//! The queue's figures depend only on λ, `c·μ`, θ, the target and the weight of the states
//! without a queue: `abandoning_queue` gives them, for Erlang A and for the exact chat model
//! with patience (whose queue drains at `ν = c·f_K/w` in place of `c·μ`).
//!
//! Both weight sequences are carried as a mantissa and a log-scale that is renormalised when
//! it grows, so nothing overflows even when a 50,000-Erlang queue is overloaded, and
//! `(1−x)^β = e^(−(cμ+θ)T)` may underflow without losing the terms that matter. The sum over
//! `k` stops when the geometric bound on the rest falls below 10⁻¹⁸ of what it adds to. Its
//! length is about the queue length, `(λ − cμ)/θ` in overload plus a few standard deviations:
//! very long patience with very few agents makes it long.

use super::Performance;
use super::b::erlang_b;
use crate::metrics::Metrics;
use crate::time::Seconds;

/// A mantissa this large is folded into the log-scale.
pub(super) const RESCALE_ABOVE: f64 = 1e150;
/// The sum over queue lengths stops when the rest is below this share of it.
pub(super) const TAIL_SHARE: f64 = 1e-18;

/// Everything Erlang A reports for `agents` agents and answer-time `target`.
pub(crate) fn performance(
    rate_per_s: f64,
    aht: Seconds,
    patience: Seconds,
    agents: u32,
    target: Seconds,
) -> Performance {
    let load = rate_per_s * aht;
    if load <= 0.0 {
        return Performance::no_calls(agents);
    }
    if agents == 0 {
        return no_agents(patience);
    }
    let b = erlang_b(load, agents);
    // The states without a queue are Erlang B's, 1/B − 1 times the state with every agent
    // busy and nobody waiting.
    let metrics = abandoning_queue(
        rate_per_s,
        f64::from(agents) * (1.0 / aht),
        1.0 / patience,
        target,
        (-b).ln_1p() - b.ln(),
    );
    Performance {
        agents,
        stable: true,
        occupancy: load * (1.0 - metrics.abandon_rate) / f64::from(agents),
        p_block: 0.0,
        attempts_per_call: 1.0,
        metrics,
    }
}

/// The figures of a queue whose servers, all busy, finish work at `drain` per second
/// (Erlang A's `c·μ`; the exact chat model's `ν`) while each waiting caller abandons at
/// `theta` per second, arrivals at `rate` per second. `ln_no_wait` is the natural log of the
/// probability of the states where an arrival is answered at once, relative to the state
/// where every server is busy and nobody waits (`w₀`); it may be ±∞ (a queue all but
/// impossible, or certain). Only what the states below the queue weigh differs between the
/// models: the queue above them is the same birth-death chain.
pub(super) fn abandoning_queue(
    rate: f64,
    drain: f64,
    theta: f64,
    target: Seconds,
    ln_no_wait: f64,
) -> Metrics<f64> {
    let sums = QueueSums::new(rate, drain, theta, target);
    // Weight of the states without a queue, relative to the (scaled) queue weights: it can
    // exceed f64 when a queue is all but impossible; then it is ∞ and the queue's share is
    // exactly 0.
    let ln_no_wait = ln_no_wait - sums.log_scale;
    let no_wait = ln_no_wait.exp();
    let norm = 1.0 / (no_wait + sums.wait);
    let p_no_wait = 1.0 / (1.0 + sums.wait / no_wait);
    let p_abandon = sums.abandon * norm;
    let answered = p_no_wait + sums.answered * norm;
    let service_level = p_no_wait + sums.answered_within * norm;
    Metrics {
        service_level,
        service_level_answered: service_level / answered,
        p_wait: sums.wait * norm,
        asa_s: sums.wait_answered * norm / answered,
        abandon_rate: p_abandon,
        mean_wait_all_s: sums.time_in_queue * norm,
    }
}

/// No agents: every caller waits until patience runs out.
pub(super) fn no_agents(patience: Seconds) -> Performance {
    Performance {
        agents: 0,
        stable: true,
        occupancy: super::idle_occupancy(0),
        p_block: 0.0,
        attempts_per_call: 1.0,
        metrics: Metrics {
            service_level: 0.0,
            service_level_answered: f64::NAN,
            p_wait: 1.0,
            asa_s: f64::NAN,
            abandon_rate: 1.0,
            mean_wait_all_s: patience,
        },
    }
}

/// Sums over the queue length `k` an arrival finds, each weighted by `w_k`, all scaled by
/// `e^(−log_scale)`. Erlang X sums the same states up to its line limit.
#[derive(Default)]
pub(super) struct QueueSums {
    /// Σ w_k: the arrival waits.
    pub(super) wait: f64,
    /// Σ w_k·P(answered | k).
    pub(super) answered: f64,
    /// Σ w_k·P(answered by T | k).
    pub(super) answered_within: f64,
    /// Σ w_k·E[wait; answered | k], seconds.
    pub(super) wait_answered: f64,
    /// Σ w_k·P(abandon | k).
    pub(super) abandon: f64,
    /// Σ w_k·E[time in queue | k], seconds.
    pub(super) time_in_queue: f64,
    /// Natural log of the scale the sums are divided by.
    pub(super) log_scale: f64,
}

impl QueueSums {
    fn new(rate: f64, c_mu: f64, theta: f64, target: Seconds) -> QueueSums {
        let mut walk = QueueWalk::new(c_mu, theta, rate);
        // Negative binomial P(Y = i), and its running CDF.
        let x = -(-theta * target).exp_m1();
        let size = c_mu / theta + 1.0;
        let mut nb = ScaledPmf::new(-(c_mu + theta) * target);
        let mut k: u64 = 0;
        loop {
            let k1 = (k + 1) as f64;
            if k > 0 {
                nb.times(x * ((k - 1) as f64 + size) / k as f64);
            }
            let ratio = walk.add(k1, nb.add_term());
            if walk.rest_negligible(k1, ratio, walk.sums.answered) || (ratio < 1.0 && !walk.w.is_finite()) {
                break;
            }
            k += 1;
        }
        walk.sums
    }

    /// Adds the state where the arrival finds `k1 − 1` callers waiting (`k1` with it), of
    /// weight `w`: the queue it is in loses a caller at rate `1/inv_leave = cμ + k1·θ`; it is
    /// answered with probability `p_answered = cμ·inv_leave` (by T: `within` of those), waits
    /// `harmonic` = Σ_(j≤k1) 1/(cμ + jθ) on average when answered, abandons with probability
    /// `p_abandon = k1·θ·inv_leave`, and spends `time_in_queue = k1·inv_leave` in the queue on
    /// average.
    fn add_state(
        &mut self,
        w: f64,
        p_answered: f64,
        within: f64,
        harmonic: f64,
        p_abandon: f64,
        time_in_queue: f64,
    ) {
        let w_answered = w * p_answered;
        self.wait += w;
        self.answered += w_answered;
        self.answered_within += w_answered * within;
        self.wait_answered += w_answered * harmonic;
        self.abandon += w * p_abandon;
        self.time_in_queue += w * time_in_queue;
    }

    /// The next state's weight, `w·ratio`, rescaling the sums (and returning 1) when it grows
    /// past [`RESCALE_ABOVE`].
    fn next_weight(&mut self, w: f64, ratio: f64) -> f64 {
        let w = w * ratio;
        if w > RESCALE_ABOVE {
            self.rescale(w);
            1.0
        } else {
            w
        }
    }

    fn rescale(&mut self, by: f64) {
        for v in [
            &mut self.wait,
            &mut self.answered,
            &mut self.answered_within,
            &mut self.wait_answered,
            &mut self.abandon,
            &mut self.time_in_queue,
        ] {
            *v /= by;
        }
        self.log_scale += by.ln();
    }
}

/// The walk over the states an arrival may find callers waiting in, from an empty queue up,
/// with every agent busy: `c_mu` service ends per second, `theta` abandons per second per
/// waiting caller, `rate` arrivals per second. Erlang A walks until the rest is negligible,
/// Erlang X up to its line limit.
pub(super) struct QueueWalk {
    c_mu: f64,
    theta: f64,
    rate: f64,
    /// The weight of the next state to add, relative to the first's (scaled as `sums`).
    pub(super) w: f64,
    /// Σ_(j≤k1) 1/(cμ + jθ) over the states added: the mean wait of one answered in the last.
    harmonic: f64,
    /// The sums over the states added.
    pub(super) sums: QueueSums,
}

impl QueueWalk {
    pub(super) fn new(c_mu: f64, theta: f64, rate: f64) -> QueueWalk {
        QueueWalk { c_mu, theta, rate, w: 1.0, harmonic: 0.0, sums: QueueSums::default() }
    }

    /// Adds the state where the arrival finds `k1 − 1` callers waiting ([`QueueSums::add_state`]),
    /// answered by T with probability `within` when answered; returns the ratio of the next
    /// state's weight to this one's, `rate/(cμ + k1·θ)`.
    pub(super) fn add(&mut self, k1: f64, within: f64) -> f64 {
        let leave = self.c_mu + k1 * self.theta;
        let inv_leave = 1.0 / leave;
        self.harmonic += inv_leave;
        let p_answered = self.c_mu * inv_leave;
        self.sums.add_state(
            self.w,
            p_answered,
            within,
            self.harmonic,
            k1 * self.theta * inv_leave,
            k1 * inv_leave,
        );
        let ratio = self.rate * inv_leave;
        self.w = self.sums.next_weight(self.w, ratio);
        ratio
    }

    /// Whether the states after `k1` weigh less than [`TAIL_SHARE`] of `total`: once `ratio` is
    /// below 1 the weights fall at least geometrically (it bounds every later ratio), and ASA's
    /// terms grow at most linearly in k, hence the square and the factor.
    pub(super) fn rest_negligible(&self, k1: f64, ratio: f64, total: f64) -> bool {
        if ratio >= 1.0 {
            return false;
        }
        let gap = 1.0 - ratio;
        self.w * (k1 + 1.0) <= TAIL_SHARE * total * gap * gap
    }
}

/// A probability mass function walked term by term, each term held as mantissa × e^(log scale)
/// so that neither underflows, with its running CDF.
pub(super) struct ScaledPmf {
    mantissa: f64,
    log_scale: f64,
    /// `e^(log_scale)`.
    factor: f64,
    cdf: f64,
}

impl ScaledPmf {
    /// Starting at the term `e^(log_scale)`.
    pub(super) fn new(log_scale: f64) -> ScaledPmf {
        ScaledPmf { mantissa: 1.0, log_scale, factor: log_scale.exp(), cdf: 0.0 }
    }

    /// Moves on to the next term, `ratio` times this one.
    pub(super) fn times(&mut self, ratio: f64) {
        self.mantissa *= ratio;
        if self.mantissa > RESCALE_ABOVE {
            self.log_scale += self.mantissa.ln();
            self.mantissa = 1.0;
            self.factor = self.log_scale.exp();
        }
    }

    /// Adds the current term to the CDF; returns the mass above it.
    pub(super) fn add_term(&mut self) -> f64 {
        self.cdf = (self.cdf + self.mantissa * self.factor).min(1.0);
        1.0 - self.cdf
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erlang::c;

    #[test]
    fn very_patient_callers_approach_erlang_c() {
        let (rate, aht, agents, target) = (10.0 / 180.0, 180.0, 13, 20.0);
        let a = performance(rate, aht, 1e9, agents, target);
        let load = rate * aht;
        let c = c::performance(load, aht, agents, target, erlang_b(load, agents));
        assert!((a.metrics.p_wait - c.metrics.p_wait).abs() < 1e-6);
        assert!((a.metrics.service_level - c.metrics.service_level).abs() < 1e-6);
        assert!((a.metrics.asa_s - c.metrics.asa_s).abs() < 1e-4);
    }

    #[test]
    fn littles_law_links_abandonment_and_time_in_queue() {
        // P(abandon) = θ·E[queue] / λ and E[time in queue] = E[queue] / λ, so
        // P(abandon) = θ · mean wait of all calls.
        for (rate, aht, patience, agents) in
            [(0.3, 180.0, 60.0, 50), (2.0, 300.0, 30.0, 500), (0.05, 180.0, 600.0, 3)]
        {
            let p = performance(rate, aht, patience, agents, 20.0);
            let m = p.metrics;
            assert!((m.abandon_rate - m.mean_wait_all_s / patience).abs() < 1e-13, "{m:?}");
            assert!(m.service_level <= 1.0 - m.abandon_rate + 1e-15);
        }
    }

    #[test]
    fn service_level_spans_answered_at_once_to_answered_at_all() {
        let (rate, aht, patience, agents) = (0.3, 180.0, 90.0, 52);
        let now = performance(rate, aht, patience, agents, 0.0).metrics;
        assert!((now.service_level - (1.0 - now.p_wait)).abs() < 1e-15, "{now:?}");
        let ever = performance(rate, aht, patience, agents, f64::INFINITY).metrics;
        assert!((ever.service_level - (1.0 - ever.abandon_rate)).abs() < 1e-15, "{ever:?}");
        assert!((ever.service_level_answered - 1.0).abs() < 1e-15);
    }

    #[test]
    fn overloaded_large_centers_stay_finite() {
        let p = performance(50_000.0 / 180.0, 180.0, 120.0, 30_000, 20.0);
        let m = p.metrics;
        for v in m.values() {
            assert!(v.is_finite() && *v >= 0.0, "{m:?}");
        }
        // Overload: the agents are nearly always busy, the excess load abandons.
        assert!((p.occupancy - 1.0).abs() < 1e-9, "{p:?}");
        assert!((m.abandon_rate - 0.4).abs() < 1e-6, "{m:?}");
    }
}
