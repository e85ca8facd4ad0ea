//! Patience from censored waits: Kaplan-Meier, the exponential MLE, and a test of
//! exponentiality.
//!
//! An abandoned call shows its caller's patience (its wait); an answered call shows only that
//! patience exceeded its wait (right-censored). The Kaplan-Meier estimator uses both:
//!
//! ```text
//! S(t) = Π_{t_j ≤ t} (1 − d_j / n_j)        Var S(t) = S(t)² Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j))
//! ```
//!
//! with `d_j` abandons at wait `t_j` and `n_j` calls still waiting just before it (Greenwood's
//! variance). The exponential MLE is total wait of all calls / number of abandons. The test
//! is the likelihood ratio of a Weibull (shape k) against the exponential (k = 1), χ² with
//! one degree of freedom.
//!
//! With short abandons left out ([`super::ShortAbandons`]), patience is fitted from the
//! threshold on (delayed entry): only the callers still waiting at the threshold are at risk,
//! each wait counted from there. A caller answered within the threshold could not have been
//! seen to give up whatever their patience, while the impatient callers of those first seconds
//! are taken out with the misdials; counting the first as patient through the threshold would
//! make callers look more patient than they are. The exponential's mean is the same from any
//! point on (memoryless), so an exponential patience is estimated without bias either way.
//!
//! Patience beyond the longest observed wait is not identified by any log: no caller was seen
//! waiting that long. The empirical patience written for a scenario assumes the remaining
//! callers' patience beyond it follows the model the exponentiality test keeps. With the
//! exponential not rejected, it is that exponential (the MLE's mean, from every wait), from the
//! longest wait on. With it rejected, the hazard is not constant, and the MLE's mean, an average
//! over every wait, says little of the end of the curve (on Weibull patience of shape 2 it put
//! the written mean 20% above the truth): the tail is then the Weibull the test preferred,
//! conditioned on the Kaplan-Meier survival at the last abandon,
//!
//! ```text
//! S(t) = S_KM(t_L) · exp(−((t/λ)^k − (t_L/λ)^k))      for t > t_L, the last abandon's wait
//! ```
//!
//! taken from the last abandon, where the curve last moved: past it the few callers still
//! waiting show no abandon, which is no evidence of a hazard of zero.

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::handle_time::QUANTILES;
use super::written_positive;
use crate::limits::MAX_DURATION;
use crate::time::Seconds;

/// Below this p-value the exponential is rejected and an empirical patience is written.
pub const EXPONENTIAL_REJECTED_BELOW: f64 = 0.01;

/// What patience is assumed to be beyond what the log shows (see the module's documentation).
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Tail {
    /// Exponential with this mean from the longest observed wait on.
    Exponential { from_s: Seconds, mean_s: Seconds },
    /// The fitted Weibull, conditioned on the Kaplan-Meier survival at `from_s` (the last
    /// abandon's wait).
    Weibull { from_s: Seconds, shape: f64, scale_s: Seconds },
}

/// What a call type's patience is written as.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Written {
    /// No caller abandoned: none is written, and the scenario's callers never abandon.
    NoAbandons,
    /// Every abandon came within half a millisecond of arriving, 0 s as written: a hang-up at
    /// once is no patience a scenario can hold, so none is written.
    Instant,
    /// Exponential with this mean (the MLE, capped at `MAX_DURATION`).
    Exponential { mean: Seconds },
    /// The Kaplan-Meier quantiles.
    Empirical,
}

impl Written {
    /// The name in reports: `none`, `exponential` or `empirical`.
    pub fn name(self) -> &'static str {
        match self {
            Written::NoAbandons | Written::Instant => "none",
            Written::Exponential { .. } => "exponential",
            Written::Empirical => "empirical",
        }
    }
}

/// One step of the Kaplan-Meier curve.
#[derive(Copy, Clone, Debug)]
pub struct Step {
    /// Wait at which callers abandoned.
    pub t: Seconds,
    /// Share still patient just after `t`.
    pub survival: f64,
    /// Greenwood's sum: Var S = S² · this.
    pub greenwood: f64,
    /// Calls still waiting just before `t`.
    pub at_risk: u64,
}

/// Patience of one call type.
#[derive(Clone, Debug)]
pub struct PatienceFit {
    /// Calls with a wait (answered and abandoned), and abandons among them; with short abandons
    /// left out, the calls still waiting at the threshold ([`PatienceFit::entry_s`]).
    pub n: u64,
    pub abandons: u64,
    /// Total wait / abandons; `None` with no abandons (callers never seen to give up).
    pub exponential_mean_s: Option<Seconds>,

    pub km: Vec<Step>,
    /// The longest wait observed, and the share of callers whose patience exceeds it.
    pub max_wait_s: Seconds,
    pub survival_at_max: f64,
    /// Weibull shape at the MLE, and the p-value of the exponential (k = 1) against it; with
    /// short abandons left out, of the patience beyond the threshold.
    pub weibull_shape: f64,
    /// The Weibull's scale at the MLE (its 63rd percentile), on the caller's clock from `entry_s`.
    pub weibull_scale_s: Seconds,
    pub p_exponential: f64,
    /// The wait from which patience is fitted: the short-abandon threshold, 0 without one. The
    /// Kaplan-Meier curve is then P(patience ≤ t | patience ≥ entry), 0 below it.
    pub entry_s: Seconds,
}

impl PatienceFit {
    /// Kaplan-Meier estimate of P(patience ≤ t) and its standard error.
    pub fn cdf(&self, t: Seconds) -> (f64, f64) {
        let idx = self.km.partition_point(|s| s.t <= t);
        if idx == 0 {
            return (0.0, 0.0);
        }
        let s = self.km[idx - 1];
        (1.0 - s.survival, s.survival * s.greenwood.sqrt())
    }

    /// Median patience: the first wait at which half the callers have given up; `None` when
    /// the curve never gets there in the observed range.
    pub fn km_median_s(&self) -> Option<Seconds> {
        self.km.iter().find(|s| s.survival <= 0.5).map(|s| s.t)
    }

    /// Whether the exponential fits (the test does not reject it).
    pub fn exponential_fits(&self) -> bool {
        self.p_exponential >= EXPONENTIAL_REJECTED_BELOW
    }

    /// `count` quantiles at (i + 0.5) / count of the patience distribution: Kaplan-Meier in
    /// the observed range, exponential continuation beyond it.
    pub fn quantiles(&self, count: usize) -> Vec<Seconds> {
        (0..count).map(|i| self.quantile((i as f64 + 0.5) / count as f64)).collect()
    }

    /// What is assumed beyond the observed waits: the exponential while it is not rejected, else
    /// the fitted Weibull from the last abandon (see the module's documentation).
    pub fn tail(&self) -> Tail {
        let weibull =
            self.weibull_shape.is_finite() && self.weibull_scale_s.is_finite() && self.weibull_scale_s > 0.0;
        match self.km.last() {
            Some(last) if !self.exponential_fits() && weibull && last.survival > 0.0 => {
                Tail::Weibull { from_s: last.t, shape: self.weibull_shape, scale_s: self.weibull_scale_s }
            }
            _ => Tail::Exponential {
                from_s: self.max_wait_s,
                mean_s: self.exponential_mean_s.unwrap_or(self.max_wait_s.max(1.0)),
            },
        }
    }

    fn quantile(&self, p: f64) -> Seconds {
        if let Some(s) = self.km.iter().find(|s| 1.0 - s.survival >= p) {
            return s.t;
        }
        match self.tail() {
            Tail::Exponential { from_s, mean_s } => {
                from_s + mean_s * (self.survival_at_max / (1.0 - p)).ln().max(0.0)
            }
            Tail::Weibull { from_s, shape, scale_s } => {
                // On the Weibull's own clock, which starts at the entry wait.
                let survival = self.km.last().map_or(1.0, |s| s.survival);
                let at = ((from_s - self.entry_s) / scale_s).powf(shape);
                self.entry_s + scale_s * (at + (survival / (1.0 - p)).ln().max(0.0)).powf(1.0 / shape)
            }
        }
    }

    /// Whether the Kaplan-Meier quantiles, as written, hold a positive duration (an
    /// `empirical` patience of zeros has no mean). Quantiles grow with p, so the last decides.
    pub fn quantiles_writable(&self) -> bool {
        self.abandons > 0 && written_positive(self.quantile((QUANTILES as f64 - 0.5) / QUANTILES as f64))
    }

    /// What is written: the empirical quantiles when the exponential is rejected, else the
    /// exponential; whichever of them is positive as written when the other is not; none when
    /// no caller abandoned or every abandon came at once.
    pub fn written(&self) -> Written {
        let Some(estimate) = self.exponential_mean_s else { return Written::NoAbandons };
        // Every abandon at once: the exponential's mean would be the answered callers' waits
        // alone, and the quantiles a share hanging up at once over a tail no one was seen in.
        if !written_positive(self.longest_abandon_wait_s()) {
            return Written::Instant;
        }
        let mean = estimate.min(MAX_DURATION);
        let exponential = written_positive(mean).then_some(Written::Exponential { mean });
        let empirical = self.quantiles_writable().then_some(Written::Empirical);
        let preferred =
            if self.exponential_fits() { [exponential, empirical] } else { [empirical, exponential] };
        preferred.into_iter().flatten().next().unwrap_or(Written::Instant)
    }

    /// The longest wait after which a caller abandoned.
    pub fn longest_abandon_wait_s(&self) -> Seconds {
        self.km.last().map_or(0.0, |s| s.t)
    }

    /// Why [`written`](Self::written) is what it is, in one sentence for the report.
    pub fn reason(&self) -> String {
        let test = format!("p = {:.3} under the Weibull likelihood-ratio test", self.p_exponential);
        match self.written() {
            Written::NoAbandons => {
                "no caller abandoned, so none is written (callers never abandon)".to_string()
            }
            Written::Instant => self.instant_reason().unwrap_or_default(),
            Written::Exponential { .. } if self.exponential_fits() => {
                format!("the exponential is not rejected ({test})")
            }
            Written::Exponential { .. } => format!(
                "the exponential is rejected ({test}), but the Kaplan-Meier quantiles are all 0 s at the \
                 millisecond they are written to"
            ),
            Written::Empirical if self.exponential_fits() => {
                "the exponential's mean is 0 s at the millisecond it is written to".to_string()
            }
            Written::Empirical => format!("the exponential is rejected ({test})"),
        }
    }

    /// Why nothing is written though callers abandoned (`None` when something is written, or
    /// no caller abandoned), for the scenario's comment and the report.
    pub fn instant_reason(&self) -> Option<String> {
        (self.written() == Written::Instant).then(|| {
            let abandons = match self.abandons {
                1 => "the one abandon came".to_string(),
                n => format!("the {n} abandons all came"),
            };
            let longest = self.longest_abandon_wait_s();
            let when = if longest == 0.0 {
                "at a wait of 0 s".to_string()
            } else {
                format!("within {longest:.4} s of arriving, 0 s at the millisecond a scenario is written to")
            };
            format!(
                "{abandons} {when}: callers who hang up at once show no patience a scenario can hold, so \
                 none is written, and the scenario's callers never abandon"
            )
        })
    }
}

/// Fits patience from (wait, abandoned) pairs (sorted in place). `None` when there are none.
pub fn fit(waits: &mut [(f32, bool)]) -> Option<PatienceFit> {
    if waits.is_empty() {
        return None;
    }
    // At equal waits abandons come first: a caller answered at t was still patient at t.
    waits.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let n = waits.len() as u64;
    let abandons = waits.iter().filter(|w| w.1).count() as u64;
    let total_wait: f64 = waits.iter().map(|w| f64::from(w.0)).sum();
    let mut km = Vec::new();
    let (mut survival, mut greenwood, mut at_risk) = (1.0, 0.0, n);
    let mut i = 0;
    while i < waits.len() {
        let t = waits[i].0;
        let (mut d, mut c) = (0u64, 0u64);
        while i < waits.len() && waits[i].0 == t {
            if waits[i].1 {
                d += 1
            } else {
                c += 1
            }
            i += 1;
        }
        if d > 0 {
            let (nf, df) = (at_risk as f64, d as f64);
            survival *= 1.0 - df / nf;
            greenwood += if at_risk > d { df / (nf * (nf - df)) } else { 0.0 };
            km.push(Step { t: f64::from(t), survival, greenwood, at_risk });
        }
        at_risk -= d + c;
    }
    let max_wait_s = f64::from(waits[waits.len() - 1].0);
    let (weibull_shape, weibull_scale_s, p_exponential) = exponentiality(waits, abandons);
    Some(PatienceFit {
        n,
        abandons,
        exponential_mean_s: (abandons > 0).then(|| total_wait / abandons as f64),

        km,
        max_wait_s,
        survival_at_max: survival,
        weibull_shape,
        weibull_scale_s,
        p_exponential,
        entry_s: 0.0,
    })
}

/// Fits patience from the wait `entry_s` on (delayed entry): calls still waiting at `entry_s`,
/// each wait counted from there, then placed back on the caller's clock. The exponential's
/// mean is that of the waits beyond `entry_s` over their abandons.
pub fn fit_from(waits: &[(f32, bool)], entry_s: Seconds) -> Option<PatienceFit> {
    let mut beyond: Vec<(f32, bool)> = waits
        .iter()
        .filter(|w| f64::from(w.0) >= entry_s)
        .map(|&(w, abandoned)| ((f64::from(w) - entry_s) as f32, abandoned))
        .collect();
    let mut fitted = fit(&mut beyond)?;
    for step in &mut fitted.km {
        step.t += entry_s;
    }
    fitted.max_wait_s += entry_s;
    fitted.entry_s = entry_s;
    Some(fitted)
}

/// Weibull shape and scale MLE on censored data and the likelihood-ratio p-value of k = 1.
/// With fewer than two abandons there is no test: shape 1, the exponential's mean as scale.
///
/// For a fixed shape k the scale's MLE is closed-form, leaving the profile log-likelihood
///
/// ```text
/// ℓ(k) = d ln k + (k − 1) Σ_abandons ln t − d ln(Σ_all t^k / d) − d
/// ```
///
/// maximised over ln k by golden-section search. Waits of zero enter `ln t` as 10 ms.
fn exponentiality(waits: &[(f32, bool)], abandons: u64) -> (f64, Seconds, f64) {
    if abandons < 2 {
        let total: f64 = waits.iter().map(|w| f64::from(w.0)).sum();
        return (1.0, total / abandons.max(1) as f64, 1.0);
    }
    let d = abandons as f64;
    let sum_ln_events: f64 = waits.iter().filter(|w| w.1).map(|w| f64::from(w.0).max(0.01).ln()).sum();
    // Waits are measured in units of their mean so t^k stays finite for large k; a wait of
    // zero adds nothing to Σ t^k, so only the logarithms of positive waits are kept, and
    // t^k = exp(k ln t) is evaluated once per wait and step.
    let scale = waits.iter().map(|w| f64::from(w.0)).sum::<f64>() / waits.len() as f64;
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let ln_scaled: Vec<f64> =
        waits.iter().filter(|w| w.0 > 0.0).map(|w| (f64::from(w.0) / scale).ln()).collect();
    let profile = |k: f64| {
        let s: f64 = ln_scaled.iter().map(|l| (k * l).exp()).sum();
        d * k.ln() + (k - 1.0) * (sum_ln_events - d * scale.ln()) - d * (s / d).ln() - d - d * scale.ln()
    };
    let (mut a, mut b) = ((0.05f64).ln(), (20.0f64).ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (b - g * (b - a), a + g * (b - a));
    let (mut f1, mut f2) = (profile(x1.exp()), profile(x2.exp()));
    // 32 steps narrow ln k from an interval of 6 to about 1e-6.
    for _ in 0..32 {
        if f1 < f2 {
            a = x1;
            x1 = x2;
            f1 = f2;
            x2 = a + g * (b - a);
            f2 = profile(x2.exp());
        } else {
            b = x2;
            x2 = x1;
            f2 = f1;
            x1 = b - g * (b - a);
            f1 = profile(x1.exp());
        }
    }
    let k = ((a + b) / 2.0).exp();
    let lr = (2.0 * (profile(k) - profile(1.0))).max(0.0);
    let p = ChiSquared::new(1.0).map_or(1.0, |chi| 1.0 - chi.cdf(lr));
    // λ^k = Σ t^k / d, in units of `scale`.
    let sum_k: f64 = ln_scaled.iter().map(|l| (k * l).exp()).sum();
    (k, scale * (sum_k / d).powf(1.0 / k), p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaplan_meier_counts_answered_calls_as_still_patient() {
        // Waits 10 (abandoned), 20 (answered), 30 (abandoned), 40 (answered).
        let mut waits = vec![(30.0, true), (10.0, true), (40.0, false), (20.0, false)];
        let fit = fit(&mut waits).unwrap();
        // S(10) = 3/4; S(30) = 3/4 · (1 − 1/2) = 3/8: the answered call at 20 left the risk set.
        assert_eq!(fit.km.len(), 2);
        assert!((fit.km[0].survival - 0.75).abs() < 1e-12);
        assert!((fit.km[1].survival - 0.375).abs() < 1e-12);
        assert_eq!(fit.exponential_mean_s, Some(50.0));
        assert_eq!(fit.km_median_s(), Some(30.0));
    }

    #[test]
    fn abandons_all_at_once_write_no_patience_whatever_the_answered_waits() {
        // 10 hang-ups at 0 s among 100 callers answered after up to 3 minutes: the exponential
        // MLE (their waits over 10 abandons) is positive, and the quantiles have a tail past
        // the longest wait, but no caller was seen to wait and give up.
        let mut waits: Vec<(f32, bool)> = (0..10).map(|_| (0.0, true)).collect();
        waits.extend((0..100).map(|i| (i as f32 * 1.8, false)));
        let fit = fit(&mut waits).unwrap();
        assert!(fit.exponential_mean_s.is_some_and(|m| m > 0.0));
        assert_eq!(fit.written(), Written::Instant);
        assert!(fit.reason().contains("the 10 abandons all came at a wait of 0 s"), "{}", fit.reason());
        // One abandon after a real wait is patience.
        waits.push((40.0, true));
        assert_ne!(super::fit(&mut waits).unwrap().written(), Written::Instant);
    }
}
