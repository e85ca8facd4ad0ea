//! Handle time: sample moments with their standard errors, and lognormal, gamma and
//! exponential fitted by maximum likelihood, each with its log-likelihood and KS distance.
//!
//! The family with the highest log-likelihood is chosen among those a scenario can hold (the
//! two-parameter families nest or beat the exponential, so ties go to the simpler one only when
//! it is not worse). Two cases have no such choice, and say so in their own words: calls that
//! all took the same time (no family has a cv of 0) are deterministic, and a single call shows
//! no spread at all, so its time is the mean of an exponential. The choice made here is the one
//! written and the one reported. Only handle times positive at the millisecond enter the fits
//! (a log of zero has no likelihood, and a mean of 0 s cannot be written); the others are
//! counted as a defect of the log.

use statrs::distribution::{ContinuousCDF, Exp, Gamma, LogNormal};
use statrs::function::gamma::{digamma, ln_gamma};

use crate::time::Seconds;

/// A fitted family.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Family {
    Lognormal { mu: f64, sigma: f64 },
    Gamma { shape: f64, scale: f64 },
    Exponential { mean: Seconds },
}

impl Family {
    /// The name in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Family::Lognormal { .. } => "lognormal",
            Family::Gamma { .. } => "gamma",
            Family::Exponential { .. } => "exponential",
        }
    }

    /// Mean of the fitted distribution.
    pub fn mean(&self) -> Seconds {
        match *self {
            Family::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Family::Gamma { shape, scale } => shape * scale,
            Family::Exponential { mean } => mean,
        }
    }

    /// Coefficient of variation of the fitted distribution.
    pub fn cv(&self) -> f64 {
        match *self {
            Family::Lognormal { sigma, .. } => ((sigma * sigma).exp() - 1.0).sqrt(),
            Family::Gamma { shape, .. } => 1.0 / shape.sqrt(),
            Family::Exponential { .. } => 1.0,
        }
    }

    /// Cumulative distribution function.
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Family::Lognormal { mu, sigma } => LogNormal::new(mu, sigma).map_or(f64::NAN, |d| d.cdf(x)),
            Family::Gamma { shape, scale } => Gamma::new(shape, 1.0 / scale).map_or(f64::NAN, |d| d.cdf(x)),
            Family::Exponential { mean } => Exp::new(1.0 / mean).map_or(f64::NAN, |d| d.cdf(x)),
        }
    }
}

/// One family fitted to the data.
#[derive(Copy, Clone, Debug)]
pub struct Candidate {
    pub family: Family,
    pub log_likelihood: f64,
    /// Kolmogorov-Smirnov distance between the data and the fitted CDF.
    pub ks: f64,
}

/// What a call type's handle time is written as.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// The candidate at this index: the highest likelihood among the families a scenario can
    /// hold.
    Fitted(usize),
    /// Every answered call took the same time: a cv below the least a lognormal or gamma may
    /// have (`DURATION_CV`).
    Deterministic,
    /// A single answered call: its time is the mean of an exponential (cv 1 assumed).
    OneCall,
}

/// Handle time of one call type.
#[derive(Clone, Debug)]
pub struct HandleTimeFit {
    /// Answered calls with a positive handle time.
    pub n: usize,
    pub mean_s: Seconds,
    /// NaN for a single call, whose spread cannot be measured.
    pub cv: f64,
    /// Standard errors of the sample mean and cv (delta method on the sample moments); NaN for
    /// a single call.
    pub se_mean_s: Seconds,
    pub se_cv: f64,
    /// Lognormal, gamma, exponential, in that order; none for a single call.
    pub candidates: Vec<Candidate>,
    /// What is written, and reported as chosen.
    pub chosen: Choice,
    /// Quantiles at (i + 0.5) / QUANTILES, for the empirical distribution.
    pub quantiles: Vec<Seconds>,
    /// The calls counted in equal bins up to a cut, for the report's chart.
    pub histogram: Histogram,
}

/// Handle times counted in equal bins from 0 to a cut just above the 99th percentile, and the
/// calls at or beyond the cut, so a chart of the bins can say how many it leaves out. Counted
/// from every call fitted (the log's times are not kept after the fit).
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// Width of each bin: 1, 2, 2.5 or 5 times a power of ten seconds.
    pub bin_s: Seconds,
    /// Calls per bin; bin k holds the times in [k · bin_s, (k + 1) · bin_s).
    pub counts: Vec<u64>,
    /// Calls that took [`cut_s`](Histogram::cut_s) or longer.
    pub beyond: u64,
}

impl Histogram {
    /// The right edge of the last bin.
    pub fn cut_s(&self) -> Seconds {
        self.counts.len() as f64 * self.bin_s
    }
}

/// The histogram's cut is the first bin edge above this quantile of the data: the longest
/// hundredth of calls would stretch the axis over a few bars.
const HISTOGRAM_CUT_QUANTILE: f64 = 0.99;

/// At most about this many bins below the cut (one more when the cut falls on an edge).
const HISTOGRAM_BINS: f64 = 40.0;

/// How many quantiles describe an empirical distribution.
pub const QUANTILES: usize = 1000;

/// At most this many points are used for a KS distance: it then errs by at most 1 / this.
const KS_POINTS: usize = 200_000;

impl HandleTimeFit {
    /// The distribution written: a family's name, or `deterministic`.
    pub fn chosen_name(&self) -> &'static str {
        match self.chosen {
            Choice::Fitted(i) => self.candidates[i].family.name(),
            Choice::Deterministic => "deterministic",
            Choice::OneCall => "exponential",
        }
    }

    /// Why it was chosen, in one sentence for the scenario's comment and the report.
    pub fn reason(&self) -> String {
        match self.chosen {
            Choice::Fitted(i) => {
                let chosen = &self.candidates[i];
                let better: Vec<String> = self
                    .candidates
                    .iter()
                    .filter(|c| c.log_likelihood > chosen.log_likelihood)
                    .map(|c| format!("{} (cv {:.5})", c.family.name(), c.family.cv()))
                    .collect();
                let (low, high) = crate::limits::DURATION_CV;
                if better.is_empty() {
                    format!("{} has the highest likelihood", chosen.family.name())
                } else {
                    format!(
                        "{} has the highest likelihood of the families whose cv a scenario can hold \
                         ({low} to {high}, DURATION_CV); {} fits better but is outside it",
                        chosen.family.name(),
                        better.join(" and ")
                    )
                }
            }
            Choice::Deterministic => {
                let (low, _) = crate::limits::DURATION_CV;
                format!(
                    "every answered call took the same time (cv {:.5}, below the {low} a lognormal or gamma \
                     may have), so it is written deterministic",
                    self.cv
                )
            }
            Choice::OneCall => format!(
                "only 1 answered call, of {:.1} s: too few to measure a spread, so its time is the mean of \
                 an exponential (cv 1 assumed); replace it when the log holds more calls",
                self.mean_s
            ),
        }
    }
}

/// Fits handle times (sorted in place). `None` when none is positive at the millisecond.
pub fn fit(values: &mut Vec<f64>) -> Option<HandleTimeFit> {
    // A time that is 0 s as written is left out, as a log of 0 s is (a zero_handle_time).
    values.retain(|v| super::written_positive(*v));
    let n = values.len();
    if n == 0 {
        return None;
    }
    if n == 1 {
        return Some(HandleTimeFit {
            n,
            mean_s: values[0],
            cv: f64::NAN,
            se_mean_s: f64::NAN,
            se_cv: f64::NAN,
            candidates: Vec::new(),
            chosen: Choice::OneCall,
            quantiles: vec![values[0]; QUANTILES],
            histogram: histogram(values),
        });
    }
    values.sort_unstable_by(f64::total_cmp);
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for v in values.iter() {
        let d = v - mean;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
    }
    let (m2, m3, m4) = (m2 / nf, m3 / nf, m4 / nf);
    let var = m2 * nf / (nf - 1.0);
    let sd = var.sqrt();
    let cv = sd / mean;
    // cv = sqrt(v) / m: gradient (-sqrt(v)/m², 1/(2 m sqrt(v))) against the covariance of
    // (mean, variance): (σ²/n, μ3/n; μ3/n, (μ4 − σ⁴)/n).
    let (gm, gv) = (-sd / (mean * mean), 1.0 / (2.0 * mean * sd));
    let var_cv = (gm * gm * m2 + gv * gv * (m4 - m2 * m2) + 2.0 * gm * gv * m3) / nf;

    let logs_sum: f64 = values.iter().map(|v| v.ln()).sum();
    let mu = logs_sum / nf;
    let sigma = (values.iter().map(|v| (v.ln() - mu).powi(2)).sum::<f64>() / nf).sqrt().max(1e-9);
    let lognormal = Family::Lognormal { mu, sigma };
    let ll_lognormal = -logs_sum - nf * sigma.ln() - nf / 2.0 * (2.0 * std::f64::consts::PI).ln() - nf / 2.0;

    let shape = gamma_shape(mean.ln() - mu);
    let scale = mean / shape;
    let gamma = Family::Gamma { shape, scale };
    let ll_gamma =
        (shape - 1.0) * logs_sum - nf * mean / scale - nf * shape * scale.ln() - nf * ln_gamma(shape);

    let exponential = Family::Exponential { mean };
    let ll_exponential = -nf * mean.ln() - nf;

    let candidates: Vec<Candidate> =
        [(lognormal, ll_lognormal), (gamma, ll_gamma), (exponential, ll_exponential)]
            .into_iter()
            .map(|(family, log_likelihood)| Candidate {
                family,
                log_likelihood,
                ks: ks_distance(values, &family),
            })
            .collect();
    // Only a family a scenario can hold: a lognormal or gamma cv outside DURATION_CV (a log of
    // a few wildly different calls, or of calls all alike) would be written and then refused.
    // The exponential (cv 1) always can.
    let (low, high) = crate::limits::DURATION_CV;
    let fitted = (0..candidates.len())
        .filter(|&c| (low..=high).contains(&candidates[c].family.cv()))
        .max_by(|&a, &b| candidates[a].log_likelihood.total_cmp(&candidates[b].log_likelihood))
        .unwrap_or(candidates.len() - 1);
    // Calls all alike would otherwise fall to the exponential (cv 1), the one family left.
    let chosen = if cv < low { Choice::Deterministic } else { Choice::Fitted(fitted) };
    Some(HandleTimeFit {
        n,
        mean_s: mean,
        cv,
        se_mean_s: sd / nf.sqrt(),
        se_cv: var_cv.max(0.0).sqrt(),
        candidates,
        chosen,
        quantiles: quantiles(values),
        histogram: histogram(values),
    })
}

/// The histogram of sorted, positive times: bins of a round width (the least of 1, 2, 2.5 or 5
/// times a power of ten that makes at most `HISTOGRAM_BINS` up to the 99th percentile), as
/// many as reach past that percentile.
pub fn histogram(sorted: &[f64]) -> Histogram {
    let n = sorted.len();
    if n == 0 {
        return Histogram { bin_s: 1.0, counts: Vec::new(), beyond: 0 };
    }
    // The least time with at least 99% of the calls at or below it.
    let rank = ((HISTOGRAM_CUT_QUANTILE * n as f64).ceil() as usize).clamp(1, n);
    let percentile = sorted[rank - 1].max(super::WRITTEN_RESOLUTION_S);
    let raw = percentile / HISTOGRAM_BINS;
    let magnitude = 10f64.powf(raw.log10().floor());
    let bin_s = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|w| *w >= raw)
        .unwrap_or(10.0 * magnitude);
    let n_bins = (percentile / bin_s).floor() as usize + 1;
    let cut = n_bins as f64 * bin_s;
    let below = sorted.partition_point(|v| *v < cut);
    let mut counts = vec![0u64; n_bins];
    for v in &sorted[..below] {
        counts[((v / bin_s) as usize).min(n_bins - 1)] += 1;
    }
    Histogram { bin_s, counts, beyond: (n - below) as u64 }
}

/// `QUANTILES` quantiles of sorted data at (i + 0.5) / QUANTILES (always that many, so every
/// column of the observed-durations CSV has as many rows).
pub fn quantiles(sorted: &[f64]) -> Vec<f64> {
    (0..QUANTILES)
        .map(|i| sorted[((i as f64 + 0.5) / QUANTILES as f64 * sorted.len() as f64) as usize])
        .collect()
}

/// Gamma shape MLE: solves ln k − ψ(k) = s (s = ln mean − mean ln) by Newton's method from
/// Minka's closed-form start.
fn gamma_shape(s: f64) -> f64 {
    if s <= 1e-12 {
        return 1e6;
    }
    let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    for _ in 0..20 {
        let f = k.ln() - digamma(k) - s;
        let h = 1e-5 * k;
        let trigamma = (digamma(k + h) - digamma(k - h)) / (2.0 * h);
        let step = f / (1.0 / k - trigamma);
        k = (k - step).max(k / 10.0);
        if step.abs() < 1e-10 * k {
            break;
        }
    }
    k
}

/// Kolmogorov-Smirnov distance of sorted data from `family`, on at most `KS_POINTS` points.
fn ks_distance(sorted: &[f64], family: &Family) -> f64 {
    let n = sorted.len();
    let stride = n.div_ceil(KS_POINTS).max(1);
    let nf = n as f64;
    let mut d: f64 = 0.0;
    for i in (0..n).step_by(stride) {
        let f = family.cdf(sorted[i]);
        d = d.max(f - i as f64 / nf).max((i + 1) as f64 / nf - f);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::Distribution;

    #[test]
    fn the_histogram_counts_every_call_below_or_beyond_its_cut() {
        // 100 calls: 1 s to 99 s, and one of 1000 s; the 99th percentile is 99 s.
        let mut times: Vec<f64> = (1..=99).map(f64::from).collect();
        times.push(1000.0);
        let h = histogram(&times);
        assert_eq!(h.bin_s, 2.5, "99 / 40 = 2.475, rounded up to 2.5");
        assert_eq!(h.cut_s(), 100.0, "the first edge above 99 s");
        assert_eq!(h.beyond, 1);
        assert_eq!(h.counts.iter().sum::<u64>() + h.beyond, 100);
        assert_eq!(h.counts[0], 2, "1 s and 2 s in [0, 2.5)");
        let one = histogram(&[30.0]);
        assert_eq!(one, Histogram { bin_s: 1.0, counts: [vec![0; 30], vec![1]].concat(), beyond: 0 });
    }

    #[test]
    fn gamma_data_is_fitted_as_gamma_and_lognormal_as_lognormal() {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(3);
        let gamma = rand_distr::Gamma::new(4.0, 60.0).unwrap();
        let mut values: Vec<f64> = (0..20_000).map(|_| gamma.sample(&mut rng)).collect();
        let gamma_fit = fit(&mut values).unwrap();
        assert_eq!(gamma_fit.chosen_name(), "gamma");
        let Family::Gamma { shape, .. } = gamma_fit.candidates[1].family else { unreachable!() };
        // The shape MLE's standard error at n = 20,000 and k = 4 is about 0.04.
        assert!((shape - 4.0).abs() < 0.2, "shape {shape}");
        let lognormal = rand_distr::LogNormal::from_mean_cv(240.0, 0.8).unwrap();
        let mut values: Vec<f64> = (0..20_000).map(|_| lognormal.sample(&mut rng)).collect();
        let lognormal_fit = fit(&mut values).unwrap();
        let Choice::Fitted(chosen) = lognormal_fit.chosen else { panic!("{lognormal_fit:?}") };
        let chosen = &lognormal_fit.candidates[chosen];
        assert_eq!(chosen.family.name(), "lognormal");
        assert!(chosen.ks < lognormal_fit.candidates[2].ks);
    }

    /// A log of a few wildly different calls: the likeliest lognormal has a cv far above what
    /// a scenario holds, so a family within DURATION_CV is chosen, one the written scenario
    /// loads with.
    #[test]
    fn a_family_whose_cv_a_scenario_refuses_is_never_chosen() {
        let mut values = vec![1.0; 50];
        values.extend([1e7, 3e7]);
        let fitted = fit(&mut values).unwrap();
        let (low, high) = crate::limits::DURATION_CV;
        assert!(!(low..=high).contains(&fitted.candidates[0].family.cv()), "{:?}", fitted.candidates[0]);
        let Choice::Fitted(chosen) = fitted.chosen else { panic!("{fitted:?}") };
        let chosen = fitted.candidates[chosen].family;
        assert!((low..=high).contains(&chosen.cv()), "{chosen:?}");
        let kind = match chosen {
            Family::Lognormal { .. } => {
                crate::dist::DistKind::Lognormal { mean: chosen.mean(), cv: chosen.cv() }
            }
            Family::Gamma { .. } => crate::dist::DistKind::Gamma { mean: chosen.mean(), cv: chosen.cv() },
            Family::Exponential { mean } => crate::dist::DistKind::Exponential { mean },
        };
        assert!(crate::dist::Dist::new(kind).is_ok());
    }
}
