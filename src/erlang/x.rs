//! Erlang X: `c` agents, `L ≥ c` lines, exponential patience (optional), redials of blocked
//! and abandoned callers, and forecast uncertainty in the arrival rate. Exact for the
//! M/M/c/L+M chain; the redials and the uncertainty rest on the two assumptions below.
//!
//! **The chain.** Poisson attempts at rate λ, exponential handle time (rate μ) and patience
//! (rate θ, or none: θ = 0), FCFS. With `n` callers in the system (in service or waiting),
//! the birth rate is λ while `n < L` (an attempt finding `L` is blocked and lost) and the
//! death rate `min(n, c)·μ + max(n − c, 0)·θ`. Relative to state `c`, the states below weigh
//! `1/B(c, A) − 1` (Erlang B) and the queue states
//!
//! ```text
//! w₀ = 1,   w_k = w_(k−1) · λ / (c·μ + k·θ)      (k = 1..L−c; state c + k)
//! ```
//!
//! By PASTA an attempt sees this distribution: in state `L` it is blocked; in state `c + k`
//! (`k < L − c`) it waits with `k` ahead, and its fate is that of Erlang A's tagged caller
//! (see [`super::a`]): later arrivals do not overtake it, so the line limit does not change
//! it. With θ = 0 the count of service ends by `T` is Poisson(`c·μ·T`) instead of negative
//! binomial. The sum stops early once the rest (and with it the blocked state) is below
//! 10⁻¹⁸ of it, so a very large `L` costs what Erlang A costs.
//!
//! **Redials (assumption).** A blocked or abandoned caller redials with probability `P`,
//! and the redials join the fresh calls as more Poisson attempts in the same steady state:
//! the attempt rate solves `x = λ_fresh + P·x·(P(block) + P(abandon))` at `x`. That holds
//! when the interval is long compared with the redial delay and the waits, so the delay does
//! not enter the figures. `x − P·x·loss(x)` is increasing (the rate carried grows with the
//! attempts), so the root is unique in `[λ, λ/(1 − P)]`; it is found by regula falsi.
//!
//! **Forecast uncertainty (assumption).** The fresh rate of the interval is Gamma
//! distributed with the forecast as mean and coefficient of variation `CV`; each figure is
//! the long-run ratio over many such intervals (e.g. answered within target over all
//! attempts, each interval weighted by its attempts), computed by generalized Gauss–Laguerre
//! quadrature on the Gamma density ([`QUADRATURE_NODES`] nodes, [`QUADRATURE_NODES_WIDE`] for a CV
//! of 0.5 or more; Golub–Welsch), not by
//! simulation.
//!
//! **Blocking is not monotone in the agents.** With fixed lines, more agents mean fewer
//! abandonments, so more callers hold a line and blocking can rise (e.g. 10 Erlangs on 18
//! lines, 2-minute patience: 0.84% blocked with 12 or 13 agents, 1.01% with 18). With
//! `max_block` the required-agents search first finds the least count meeting the other
//! goals, which improve with agents, and looks above it for blocking low enough only from
//! there (see `required::search_blocking`).
//!
//! All figures are per offered attempt (redials included, blocked included): `p_block`,
//! `abandon_rate`, `service_level` (answered within target), `p_wait` (joined the queue),
//! `mean_wait_all_s` (blocked attempts count 0). `service_level_answered` and `asa_s` are over
//! answered attempts; occupancy is carried load / agents.

use super::Performance;
use super::a::{QueueSums, QueueWalk, ScaledPmf};
use super::b::erlang_b;
use crate::metrics::Metrics;
use crate::time::Seconds;

/// Nodes of the Gauss–Laguerre rule over the Gamma-distributed arrival rate: exact for
/// polynomials of degree 63 in the rate; the figures are smooth in the rate. Enough where the
/// density is concentrated, a CV below 0.5 (shape above 4): 6 digits against 96 nodes.
pub const QUADRATURE_NODES: usize = 32;
/// Nodes for a spread-out rate, a CV of 0.5 or more: the density reaches far past the mean,
/// where the figures bend as the lines fill, and 32 nodes leave an error of up to 4e-4 at a CV
/// of 1 (p_wait 0.35615 against 0.35580 converged), 96 agree with 128 to 7 digits.
pub const QUADRATURE_NODES_WIDE: usize = 96;
/// The redial fixed point stops when its bracket is this narrow, relative to the rate.
const FIXED_POINT_REL: f64 = 1e-15;

/// The Erlang X queue of one interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErlangX {
    /// Fresh calls per second (the forecast; redials come on top).
    pub rate_per_s: f64,
    /// Mean handle time.
    pub aht: Seconds,
    /// Mean patience of a waiting caller; `None`: callers never abandon.
    pub patience: Option<Seconds>,
    /// Lines: callers in the system (in service or waiting) at most; an attempt finding them
    /// all taken is blocked. Agents beyond the lines have nobody to answer.
    pub lines: u32,
    /// Probability in [0, 1) that a blocked or abandoned caller redials.
    pub redial: f64,
    /// Coefficient of variation of the fresh rate (forecast uncertainty), in (0, 1]; `None`:
    /// the rate is known.
    pub volume_cv: Option<f64>,
}

impl ErlangX {
    /// Offered load of fresh calls, Erlangs.
    pub fn load(&self) -> f64 {
        self.rate_per_s * self.aht
    }

    /// Line occupancy under `perf`: the time-average of lines held (callers waiting or talking)
    /// / lines, by Little's law: attempts a second x (mean time in queue of an attempt, blocked
    /// ones holding none + the answered share x the handle time) / lines. Linear in the
    /// attempts, so it holds for the long-run mix over a random volume too.
    pub fn line_occupancy(&self, perf: &Performance) -> f64 {
        if self.lines == 0 {
            return f64::NAN;
        }
        let m = &perf.metrics;
        let attempts = self.rate_per_s * perf.attempts_per_call;
        let answered = (1.0 - perf.p_block - m.abandon_rate).max(0.0);
        let wait = if m.mean_wait_all_s.is_finite() { m.mean_wait_all_s } else { 0.0 };
        attempts * (wait + answered * self.aht) / f64::from(self.lines)
    }

    /// Everything Erlang X reports for `agents` agents and answer-time `target`.
    pub fn performance(&self, agents: u32, target: Seconds) -> Performance {
        match self.volume_cv {
            None => self.with_redials(self.rate_per_s, agents, target),
            Some(cv) => self.mixed(cv, agents, target),
        }
    }

    /// At fresh rate `fresh`: the redial fixed point, then the chain at the attempt rate.
    fn with_redials(&self, fresh: f64, agents: u32, target: Seconds) -> Performance {
        let at = |rate: f64| chain(rate, self.aht, self.patience, agents, self.lines, target);
        if self.redial <= 0.0 || fresh <= 0.0 {
            return at(fresh);
        }
        let attempts_per_call = |mut perf: Performance, x: f64| {
            perf.attempts_per_call = x / fresh;
            perf
        };
        let p = self.redial;
        // h(x) = x − fresh − P·x·loss(x): h(fresh) ≤ 0, h(fresh / (1 − P)) ≥ 0, increasing.
        let h = |x: f64| {
            let perf = at(x);
            (x - fresh - p * x * (perf.p_block + perf.metrics.abandon_rate), perf)
        };
        let (mut lo, mut hi) = (fresh, fresh / (1.0 - p));
        let (mut h_lo, first) = h(lo);
        if h_lo >= 0.0 {
            return first;
        }
        let mut best = (first, lo);
        let (mut h_hi, _) = h(hi);
        let mut kept = 0i32;
        for _ in 0..200 {
            if hi - lo <= FIXED_POINT_REL * hi {
                break;
            }
            let mut x = if h_hi > h_lo { lo - h_lo * (hi - lo) / (h_hi - h_lo) } else { 0.5 * (lo + hi) };
            if !(x > lo && x < hi) {
                x = 0.5 * (lo + hi);
            }
            let (hx, perf) = h(x);
            best = (perf, x);
            if hx == 0.0 {
                break;
            }
            // Illinois: halve the weight of an end kept twice, so a curved h cannot stall.
            if hx < 0.0 {
                (lo, h_lo) = (x, hx);
                kept = kept.min(0) - 1;
                if kept <= -2 {
                    h_hi /= 2.0;
                }
            } else {
                (hi, h_hi) = (x, hx);
                kept = kept.max(0) + 1;
                if kept >= 2 {
                    h_lo /= 2.0;
                }
            }
        }
        attempts_per_call(best.0, best.1)
    }

    /// The long-run figures over a Gamma-distributed fresh rate with mean `rate_per_s` and
    /// coefficient of variation `cv`.
    fn mixed(&self, cv: f64, agents: u32, target: Seconds) -> Performance {
        let shape = 1.0 / (cv * cv);
        let scale = self.rate_per_s / shape;
        let nodes = if shape > 4.0 { QUADRATURE_NODES } else { QUADRATURE_NODES_WIDE };
        let rule = gauss_laguerre(shape - 1.0, nodes);
        // Sums weighted by the density: attempts, and attempts × each per-attempt share.
        let mut fresh_sum = 0.0;
        let (mut attempts, mut answered, mut waited, mut blocked, mut abandoned) = (0.0, 0.0, 0.0, 0.0, 0.0);
        let (mut within, mut wait_answered, mut wait_all, mut occupancy) = (0.0, 0.0, 0.0, 0.0);
        for (x, w) in rule {
            let fresh = x * scale;
            let p = self.with_redials(fresh, agents, target);
            let m = &p.metrics;
            let rate = fresh * p.attempts_per_call;
            let ans = 1.0 - p.p_block - m.abandon_rate;
            fresh_sum += w * fresh;
            attempts += w * rate;
            answered += w * rate * ans;
            waited += w * rate * m.p_wait;
            blocked += w * rate * p.p_block;
            abandoned += w * rate * m.abandon_rate;
            within += w * rate * m.service_level;
            if ans > 0.0 {
                wait_answered += w * rate * ans * m.asa_s;
            }
            wait_all += w * rate * m.mean_wait_all_s;
            occupancy += w * p.occupancy;
        }
        if attempts <= 0.0 {
            return Performance::no_calls(agents);
        }
        Performance {
            agents,
            stable: true,
            occupancy,
            p_block: blocked / attempts,
            attempts_per_call: attempts / fresh_sum,
            metrics: Metrics {
                service_level: within / attempts,
                service_level_answered: within / answered,
                p_wait: waited / attempts,
                asa_s: wait_answered / answered,
                abandon_rate: abandoned / attempts,
                mean_wait_all_s: wait_all / attempts,
            },
        }
    }
}

/// The stationary M/M/c/L+M chain at attempt rate `rate`, per attempt (`attempts_per_call`
/// is 1: the chain knows no redials).
fn chain(
    rate: f64,
    aht: Seconds,
    patience: Option<Seconds>,
    agents: u32,
    lines: u32,
    target: Seconds,
) -> Performance {
    if rate <= 0.0 {
        return Performance::no_calls(agents);
    }
    let mu = 1.0 / aht;
    let theta = patience.map_or(0.0, |p| 1.0 / p);
    let servers = agents.min(lines);
    let load = rate * aht;
    if lines == 0 || (servers == 0 && theta == 0.0) {
        // Nobody is ever answered: every attempt is blocked, or waits forever once the
        // lines are full, so in steady state every attempt is blocked.
        return Performance {
            agents,
            stable: true,
            occupancy: super::idle_occupancy(agents),
            p_block: 1.0,
            attempts_per_call: 1.0,
            metrics: Metrics {
                service_level: 0.0,
                service_level_answered: f64::NAN,
                p_wait: 0.0,
                asa_s: f64::NAN,
                abandon_rate: 0.0,
                mean_wait_all_s: 0.0,
            },
        };
    }
    let s = Sums::new(rate, mu, theta, servers, lines - servers, target);
    // Weight of the states without a queue relative to the (scaled) queue weights, as in
    // Erlang A: (1/B − 1)·w₀; ∞ when a queue is all but impossible (then its share is 0).
    let b = erlang_b(load, servers);
    let no_wait = ((-b).ln_1p() - b.ln() - s.queue.log_scale).exp();
    let busy = s.queue.wait + s.blocked;
    let norm = 1.0 / (no_wait + busy);
    let p_no_wait = if no_wait.is_infinite() { 1.0 } else { no_wait * norm };
    let answered = p_no_wait + s.queue.answered * norm;
    let service_level = p_no_wait + s.queue.answered_within * norm;
    Performance {
        agents,
        stable: true,
        occupancy: if agents == 0 { f64::NAN } else { load * answered / f64::from(agents) },
        p_block: s.blocked * norm,
        attempts_per_call: 1.0,
        metrics: Metrics {
            service_level,
            service_level_answered: service_level / answered,
            p_wait: s.queue.wait * norm,
            asa_s: s.queue.wait_answered * norm / answered,
            abandon_rate: s.queue.abandon * norm,
            mean_wait_all_s: s.queue.time_in_queue * norm,
        },
    }
}

/// Sums over the queue length `k` an attempt finds (`k < places`), each weighted by `w_k`
/// ([`QueueSums`], as in Erlang A), and the blocked state's weight `w_places`, all scaled by
/// `e^(−log_scale)`.
struct Sums {
    /// The waiting states.
    queue: QueueSums,
    /// w at `places` waiting: the attempt is blocked.
    blocked: f64,
}

impl Sums {
    fn new(rate: f64, mu: f64, theta: f64, servers: u32, places: u32, target: Seconds) -> Sums {
        let c_mu = f64::from(servers) * mu;
        let mut walk = QueueWalk::new(c_mu, theta, rate);
        // Count of service ends by T while the tagged caller waits (agents all busy):
        // negative binomial with size c·μ/θ + 1 and x = 1 − e^(−θT), or Poisson(c·μ·T)
        // without patience, and its running CDF.
        let finite_target = target.is_finite();
        let x = -(-theta * target).exp_m1();
        let size = if theta > 0.0 { c_mu / theta + 1.0 } else { 0.0 };
        let mut pmf = ScaledPmf::new(-(c_mu + theta) * target);
        for k in 0..places {
            let k1 = f64::from(k) + 1.0;
            let within = if finite_target {
                if k > 0 {
                    let kf = f64::from(k);
                    pmf.times(if theta > 0.0 { x * (kf - 1.0 + size) / kf } else { c_mu * target / kf });
                }
                pmf.add_term()
            } else {
                1.0
            };
            let ratio = walk.add(k1, within);
            // The blocked state lies in the rest.
            if walk.rest_negligible(k1, ratio, walk.sums.wait) {
                return Sums { queue: walk.sums, blocked: 0.0 };
            }
        }
        Sums { queue: walk.sums, blocked: walk.w }
    }
}

/// Nodes and weights of the generalized Gauss–Laguerre rule with `n` nodes for the weight
/// `x^alpha·e^(−x)` on (0, ∞), `alpha > −1`, the weights normalised to sum to 1: so
/// `Σ wᵢ·f(xᵢ)` is the mean of `f` over a Gamma(`alpha + 1`, 1) variable.
///
/// Golub–Welsch: the nodes are the eigenvalues of the Jacobi matrix of the Laguerre
/// polynomials (diagonal `2i + alpha + 1`, off-diagonal `√(i·(i + alpha))`), the weights the
/// squared first components of the unit eigenvectors; computed by the implicit QL method
/// with Wilkinson shifts (Numerical Recipes' `tqli`).
pub fn gauss_laguerre(alpha: f64, n: usize) -> Vec<(f64, f64)> {
    let mut d: Vec<f64> = (0..n).map(|i| 2.0 * i as f64 + alpha + 1.0).collect();
    // e[i] couples i and i + 1.
    let mut e: Vec<f64> = (0..n)
        .map(|i| if i + 1 < n { ((i + 1) as f64 * (i as f64 + 1.0 + alpha)).sqrt() } else { 0.0 })
        .collect();
    // First components of the eigenvectors.
    let mut z: Vec<f64> = (0..n).map(|i| if i == 0 { 1.0 } else { 0.0 }).collect();
    for l in 0..n {
        let mut iterations = 0;
        loop {
            let mut m = l;
            while m + 1 < n {
                let dd = d[m].abs() + d[m + 1].abs();
                if e[m].abs() <= f64::EPSILON * dd {
                    break;
                }
                m += 1;
            }
            if m == l {
                break;
            }
            iterations += 1;
            if iterations > 60 {
                break;
            }
            let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            let mut r = g.hypot(1.0);
            g = d[m] - d[l] + e[l] / (g + r.copysign(g));
            let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
            let mut i = m;
            let mut underflow = false;
            while i > l {
                i -= 1;
                let f = s * e[i];
                let b = c * e[i];
                r = f.hypot(g);
                e[i + 1] = r;
                if r == 0.0 {
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    underflow = true;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2.0 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
                let zf = z[i + 1];
                z[i + 1] = s * z[i] + c * zf;
                z[i] = c * z[i] - s * zf;
            }
            if underflow {
                continue;
            }
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
    let mut rule: Vec<(f64, f64)> = d.into_iter().zip(z).map(|(x, v)| (x, v * v)).collect();
    rule.sort_by(|a, b| a.0.total_cmp(&b.0));
    rule
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At a CV of 1 the fresh rate is exponential, and the figures, ratios of integrals over
    /// it, must match the same integrals taken by the composite Simpson rule on a fine grid
    /// (to 40 times the mean, where the density is e^-40): to 1e-6.
    #[test]
    fn a_wide_forecast_error_is_integrated_to_six_digits() {
        let x = ErlangX {
            rate_per_s: 10.0 / 180.0,
            aht: 180.0,
            patience: Some(120.0),
            lines: 13,
            redial: 0.3,
            volume_cv: Some(1.0),
        };
        let got = x.performance(10, 20.0);
        let (steps, top) = (8000, 40.0);
        let h = top / f64::from(steps);
        let (mut attempts, mut waited, mut blocked) = (0.0, 0.0, 0.0);
        for i in 0..=steps {
            let u = f64::from(i) * h;
            let simpson = if i == 0 || i == steps {
                1.0
            } else if i % 2 == 1 {
                4.0
            } else {
                2.0
            };
            let fresh = u * x.rate_per_s;
            let p = x.with_redials(fresh, 10, 20.0);
            let weight = simpson * (-u).exp() * fresh * p.attempts_per_call;
            attempts += weight;
            waited += weight * p.metrics.p_wait;
            blocked += weight * p.p_block;
        }
        assert!(
            (got.metrics.p_wait - waited / attempts).abs() < 1e-6,
            "{} vs {}",
            got.metrics.p_wait,
            waited / attempts
        );
        assert!((got.p_block - blocked / attempts).abs() < 1e-6, "{} vs {}", got.p_block, blocked / attempts);
    }

    #[test]
    fn gauss_laguerre_reproduces_gamma_moments() {
        // E[X^j] of Gamma(alpha + 1, 1) is (alpha + 1)(alpha + 2)…(alpha + j); exact up to
        // j = 2n − 1.
        for alpha in [-0.75, 0.0, 3.0, 99.0, 9_999.0] {
            let rule = gauss_laguerre(alpha, QUADRATURE_NODES);
            for j in 0..=8 {
                let exact: f64 = (1..=j).map(|i| alpha + f64::from(i)).product();
                let got: f64 = rule.iter().map(|(x, w)| w * x.powi(j)).sum();
                assert!((got - exact).abs() <= 1e-11 * exact, "alpha {alpha} j {j}: {got} vs {exact}");
            }
        }
    }

    #[test]
    fn the_redial_fixed_point_balances_attempts() {
        let x = ErlangX {
            rate_per_s: 45.0 / 300.0,
            aht: 300.0,
            patience: Some(60.0),
            lines: 50,
            redial: 0.6,
            volume_cv: None,
        };
        let p = x.performance(40, 20.0);
        let attempts = x.rate_per_s * p.attempts_per_call;
        let loss = p.p_block + p.metrics.abandon_rate;
        let balance = x.rate_per_s + x.redial * attempts * loss;
        assert!((attempts - balance).abs() <= 1e-13 * attempts, "{attempts} vs {balance}: {p:?}");
        assert!(p.attempts_per_call > 1.05, "understaffed: redials add attempts: {p:?}");
    }
}
