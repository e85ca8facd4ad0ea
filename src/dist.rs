//! Random durations: handle times, patience and recall delays.
//!
//! A [`Dist`] keeps the parameters as the user wrote them (for reports, the mean for the Erlang
//! formulas, and writing the scenario back) and a ready sampler, built once at validation so
//! the engine never re-derives parameters per call.

use std::sync::Arc;

use rand::Rng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Uniform};

use crate::time::Seconds;

/// The distribution of a duration, as written in a scenario file.
#[derive(Clone, Debug, PartialEq)]
pub enum DistKind {
    /// Exponential with the given mean.
    Exponential { mean: Seconds },
    /// Log-normal with the given mean and coefficient of variation.
    Lognormal { mean: Seconds, cv: f64 },
    /// Gamma with the given mean and coefficient of variation.
    Gamma { mean: Seconds, cv: f64 },
    /// Erlang-k (sum of k exponentials) with the given mean.
    Erlang { mean: Seconds, k: u32 },
    /// Always the mean.
    Deterministic { mean: Seconds },
    /// Uniform between min and max.
    Uniform { min: Seconds, max: Seconds },
    /// Drawn with equal probability from observed values.
    Empirical { values: Arc<[Seconds]> },
}

/// A validated duration distribution with its sampler.
#[derive(Clone, Debug)]
pub struct Dist {
    kind: DistKind,
    sampler: Sampler,
}

#[derive(Clone, Debug)]
enum Sampler {
    /// An exponential's mean as `Exp` holds it (the inverse of its rate), applied to an `Exp1`
    /// draw just as `Exp::sample` does: the same values, with a draw the engine can inline.
    Exp(f64),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Constant(f64),
    Uniform(Uniform<f64>),
    Empirical(Arc<[f64]>),
}

impl PartialEq for Dist {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

impl Dist {
    /// Checks the parameters and builds the sampler.
    ///
    /// # Errors
    /// A message naming the parameter (`mean`, `cv`, `k`, `min`, `max`, `values`), what was
    /// wrong and what is allowed.
    pub fn new(kind: DistKind) -> Result<Dist, String> {
        fn positive(name: &str, v: f64) -> Result<f64, String> {
            if v.is_finite() && v > 0.0 {
                Ok(v)
            } else {
                Err(format!("{name}: must be a positive number, got {v}"))
            }
        }
        // The samplers fail on a cv whose square leaves the floats (1e-300, 1e300) with a
        // library message naming no field; the range keeps them exact.
        fn cv_in_range(cv: f64) -> Result<f64, String> {
            let (low, high) = crate::limits::DURATION_CV;
            if (low..=high).contains(&cv) {
                Ok(cv)
            } else {
                Err(format!(
                    "cv: must be a coefficient of variation from {low} to {high} (DURATION_CV), got {} \
                     (use deterministic for no variation)",
                    crate::error::quoted_number(cv)
                ))
            }
        }
        let sampler = match &kind {
            DistKind::Exponential { mean } => {
                let rate = 1.0 / positive("mean", *mean)?;
                Exp::new(rate).map_err(|e| e.to_string())?;
                Sampler::Exp(1.0 / rate)
            }
            DistKind::Lognormal { mean, cv } => {
                positive("mean", *mean)?;
                cv_in_range(*cv)?;
                Sampler::LogNormal(
                    LogNormal::from_mean_cv(*mean, *cv).map_err(|e| format!("lognormal: {e}"))?,
                )
            }
            DistKind::Gamma { mean, cv } => {
                positive("mean", *mean)?;
                cv_in_range(*cv)?;
                let shape = 1.0 / (cv * cv);
                Sampler::Gamma(Gamma::new(shape, mean / shape).map_err(|e| format!("gamma: {e}"))?)
            }
            DistKind::Erlang { mean, k } => {
                positive("mean", *mean)?;
                if *k == 0 {
                    return Err("k: must be a whole number of at least 1, got 0".to_string());
                }
                let shape = f64::from(*k);
                Sampler::Gamma(Gamma::new(shape, mean / shape).map_err(|e| format!("erlang: {e}"))?)
            }
            DistKind::Deterministic { mean } => Sampler::Constant(positive("mean", *mean)?),
            DistKind::Uniform { min, max } => {
                if !(min.is_finite() && *min >= 0.0) {
                    return Err(format!("min: must be zero or more, got {min}"));
                }
                if !(max.is_finite() && max > min) {
                    return Err(format!("max: must be greater than min ({min}), got {max}"));
                }
                Sampler::Uniform(Uniform::new(*min, *max).map_err(|e| format!("uniform: {e}"))?)
            }
            DistKind::Empirical { values } => {
                if values.is_empty() {
                    return Err("values: needs at least one observed duration".to_string());
                }
                if let Some(bad) = values.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                    return Err(format!("values: every duration must be zero or more, got {bad}"));
                }
                if values.iter().all(|v| *v == 0.0) {
                    return Err("values: the mean must be positive, but every value is 0".to_string());
                }
                Sampler::Empirical(values.clone())
            }
        };
        Ok(Dist { kind, sampler })
    }

    /// Exponential with this mean (for tests and analytic checks).
    ///
    /// # Panics
    /// When `mean` is not positive.
    pub fn exponential(mean: Seconds) -> Dist {
        Dist::new(DistKind::Exponential { mean }).expect("positive mean")
    }

    /// The parameters as written.
    pub fn kind(&self) -> &DistKind {
        &self.kind
    }

    /// The mean, used by the Erlang formulas.
    pub fn mean(&self) -> Seconds {
        match &self.kind {
            DistKind::Exponential { mean }
            | DistKind::Lognormal { mean, .. }
            | DistKind::Gamma { mean, .. }
            | DistKind::Erlang { mean, .. }
            | DistKind::Deterministic { mean } => *mean,
            DistKind::Uniform { min, max } => (min + max) / 2.0,
            DistKind::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// Whether this is exponential (the Erlang formulas are exact only then).
    pub fn is_exponential(&self) -> bool {
        matches!(self.kind, DistKind::Exponential { .. })
    }

    /// One draw.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Seconds {
        // The exponential, the common case in the engine's hot loop, inline; the others out of
        // line, so that inlining this costs the caller little.
        match &self.sampler {
            Sampler::Exp(mean) => Distribution::<f64>::sample(&rand_distr::Exp1, rng) * mean,
            _ => self.sample_other(rng),
        }
    }

    /// [`Dist::sample`] of every distribution but the exponential.
    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> Seconds {
        match &self.sampler {
            Sampler::Exp(_) => unreachable!("Dist::sample draws the exponential itself"),
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Gamma(d) => d.sample(rng),
            Sampler::Constant(v) => *v,
            Sampler::Uniform(d) => d.sample(rng),
            Sampler::Empirical(values) => {
                let idx = (rng.next_u64() % values.len() as u64) as usize;
                values[idx]
            }
        }
    }

    /// Short description, e.g. `lognormal(mean 4m, cv 0.8)`.
    pub fn describe(&self) -> String {
        use crate::time::format_duration as f;
        match &self.kind {
            DistKind::Exponential { mean } => format!("exponential(mean {})", f(*mean)),
            DistKind::Lognormal { mean, cv } => format!("lognormal(mean {}, cv {cv})", f(*mean)),
            DistKind::Gamma { mean, cv } => format!("gamma(mean {}, cv {cv})", f(*mean)),
            DistKind::Erlang { mean, k } => format!("erlang(mean {}, k {k})", f(*mean)),
            DistKind::Deterministic { mean } => format!("deterministic({})", f(*mean)),
            DistKind::Uniform { min, max } => format!("uniform({}..{})", f(*min), f(*max)),
            DistKind::Empirical { values } => {
                format!("empirical({} values, mean {})", values.len(), f(self.mean()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn sample_mean(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(7);
        let mut t = crate::stats::Tally::default();
        for _ in 0..n {
            t.add(d.sample(&mut rng));
        }
        let e = t.estimate(0.999);
        (e.mean, e.half_width)
    }

    #[test]
    fn every_distribution_samples_its_stated_mean() {
        let kinds = [
            DistKind::Exponential { mean: 180.0 },
            DistKind::Lognormal { mean: 240.0, cv: 0.8 },
            DistKind::Gamma { mean: 240.0, cv: 0.5 },
            DistKind::Erlang { mean: 120.0, k: 3 },
            DistKind::Deterministic { mean: 60.0 },
            DistKind::Uniform { min: 30.0, max: 90.0 },
            DistKind::Empirical { values: Arc::from(vec![10.0, 20.0, 60.0]) },
        ];
        for kind in kinds {
            let d = Dist::new(kind.clone()).unwrap();
            let (mean, hw) = sample_mean(&d, 200_000);
            // 99.9% CI of the sample mean must cover the stated mean (hw = 0 for constants).
            assert!((mean - d.mean()).abs() <= hw.max(1e-9), "{kind:?}: {mean} ± {hw} vs {}", d.mean());
        }
    }

    #[test]
    fn rejects_parameters_outside_their_range() {
        for kind in [
            DistKind::Exponential { mean: 0.0 },
            DistKind::Exponential { mean: -3.0 },
            DistKind::Lognormal { mean: 10.0, cv: -0.1 },
            DistKind::Gamma { mean: 10.0, cv: 0.0 },
            DistKind::Erlang { mean: 10.0, k: 0 },
            DistKind::Uniform { min: 5.0, max: 5.0 },
            DistKind::Empirical { values: Arc::from(Vec::<f64>::new()) },
        ] {
            assert!(Dist::new(kind.clone()).is_err(), "{kind:?}");
        }
    }

    #[test]
    fn a_cv_outside_its_range_is_refused_with_the_range_and_its_ends_sample() {
        let (low, high) = crate::limits::DURATION_CV;
        for cv in [1e-300, 0.5e-4, 10.5, 1e300, f64::INFINITY, f64::NAN] {
            for kind in [DistKind::Lognormal { mean: 180.0, cv }, DistKind::Gamma { mean: 180.0, cv }] {
                let err = Dist::new(kind.clone()).expect_err("out of range");
                assert!(
                    err.starts_with("cv: must be a coefficient of variation from 0.0001 to 10"),
                    "{kind:?}: {err}"
                );
            }
        }
        for cv in [low, high] {
            for kind in [DistKind::Lognormal { mean: 180.0, cv }, DistKind::Gamma { mean: 180.0, cv }] {
                let d = Dist::new(kind.clone()).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
                let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(3);
                assert!((0..1000).all(|_| d.sample(&mut rng).is_finite()), "{kind:?}");
            }
        }
    }
}
