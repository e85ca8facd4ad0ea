//! Forecast error, absence and handle-time drift: how a real day differs from the forecast
//! (`[uncertainty]` in a scenario file).
//!
//! A forecast gives the mean of each interval's volume; real days scatter around it by more
//! than Poisson noise. Following the forecasting literature (Poisson-gamma arrivals, e.g.
//! Jongbloed and Koole (2001), "Managing uncertainty in call centres using Poisson mixtures",
//! Applied Stochastic Models in Business and Industry 17(4)), each replication draws a
//! busyness factor from a gamma distribution with mean 1 and coefficient of variation
//! `volume_cv` and multiplies the volumes by it. Absence removes each scheduled agent of each
//! day with a probability, on top of shrinkage; a handle-time factor models a slow system or
//! a new release. The draws themselves are made in [`crate::bad_day`], from streams of their
//! own, so two plans simulated on the same seed meet the same bad days.
//!
//! This module holds only the validated description; it draws nothing.

use rand_distr::{Distribution, Gamma};

use crate::stream::Rng;

/// Whether each day of a multi-day run draws its own factors.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Correlation {
    /// One set of factors for the whole replication (a busy week stays busy).
    #[default]
    Replication,
    /// A new set of factors every day.
    Day,
}

impl Correlation {
    /// The names a file may use, in the order of the variants.
    pub const NAMES: [&'static str; 2] = ["replication", "day"];

    /// The name as written in a file.
    pub fn name(self) -> &'static str {
        match self {
            Correlation::Replication => "replication",
            Correlation::Day => "day",
        }
    }
}

/// Per-call-type forecast error: one factor shared by every call type, or an independent
/// factor per call type.
#[derive(Clone, Debug, PartialEq)]
pub enum VolumeCv {
    /// `volume_cv = 0.1`: one factor multiplies every call type's volumes (their errors move
    /// together, as when the whole center is busier).
    Shared(f64),
    /// `volume_cv = { sales = 0.1, service = 0.2 }`: each call type its own, independent
    /// factor (indexed by call type; 0 for a call type not listed).
    PerCallType(Vec<f64>),
}

/// The validated `[uncertainty]` section. Every coefficient of variation is in [0, 1] and
/// the absence probability in [0, 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Uncertainty {
    /// Forecast error of volumes.
    pub volume_cv: VolumeCv,
    /// Whether days draw their own factors.
    pub correlation: Correlation,
    /// Probability that a scheduled agent is absent on a day.
    pub absence: f64,
    /// Coefficient of variation of the factor on every mean handle time.
    pub handle_time_cv_shift: f64,
}

impl Uncertainty {
    /// Whether nothing varies: every coefficient and the absence are 0, so a run is the same
    /// as without the section.
    pub fn is_none(&self) -> bool {
        let volume = match &self.volume_cv {
            VolumeCv::Shared(cv) => *cv == 0.0,
            VolumeCv::PerCallType(cvs) => cvs.iter().all(|&cv| cv == 0.0),
        };
        volume && self.absence == 0.0 && self.handle_time_cv_shift == 0.0
    }

    /// The volume coefficient of variation of call type `ct` (0 for an unlisted one).
    pub fn volume_cv_of(&self, ct: usize) -> f64 {
        match &self.volume_cv {
            VolumeCv::Shared(cv) => *cv,
            VolumeCv::PerCallType(cvs) => cvs.get(ct).copied().unwrap_or(0.0),
        }
    }
}

/// Largest coefficient of variation of a factor (a day at twice the forecast is then about a
/// one-in-six event: beyond it the gamma model says little).
pub const MAX_CV: f64 = 1.0;
/// Smallest coefficient of variation above 0: below it the gamma's shape (1/cv²) passes what
/// a float holds (from about 1e-155), and a spread of 0.01% is no spread a forecast has.
pub const MIN_CV: f64 = 1e-4;

/// The gamma distribution with mean 1 and coefficient of variation `cv`: shape `1/cv²`,
/// scale `cv²`. `None` for `cv = 0` (the factor is exactly 1).
pub fn unit_gamma(cv: f64) -> Option<Gamma<f64>> {
    (cv > 0.0).then(|| Gamma::new(1.0 / (cv * cv), cv * cv).expect("a positive cv gives a valid gamma"))
}

/// One draw of a factor with mean 1 and coefficient of variation `cv` (exactly 1 for 0,
/// without drawing).
pub fn factor(cv: f64, rng: &mut Rng) -> f64 {
    unit_gamma(cv).map_or(1.0, |g| g.sample(rng))
}

/// The `p`-quantile of the unit gamma of `cv` (1 for `cv = 0`): the volume factor a plan must
/// absorb to meet the goal on all but `1 - p` of days, the usual rule of thumb for staffing
/// against forecast error.
pub fn factor_quantile(cv: f64, p: f64) -> f64 {
    use statrs::distribution::ContinuousCDF;
    if cv <= 0.0 {
        return 1.0;
    }
    let shape = 1.0 / (cv * cv);
    // statrs takes a rate; rate = 1 / scale = 1 / cv².
    statrs::distribution::Gamma::new(shape, shape).map_or(1.0, |g| g.inverse_cdf(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_quantile_is_the_inverse_of_the_gamma_cdf() {
        use statrs::distribution::ContinuousCDF;
        for (cv, p) in [(0.1, 0.9), (0.3, 0.5), (0.05, 0.99)] {
            let q = factor_quantile(cv, p);
            let shape = 1.0 / (cv * cv);
            let cdf = statrs::distribution::Gamma::new(shape, shape).unwrap().cdf(q);
            assert!((cdf - p).abs() < 1e-6, "cv {cv}, p {p}: F({q}) = {cdf}");
        }
        assert_eq!(factor_quantile(0.0, 0.9), 1.0);
    }

    #[test]
    fn a_zero_cv_factor_is_exactly_one_and_draws_nothing() {
        use rand::Rng as _;
        let mut a = crate::stream::stream(1, 0, crate::stream::Purpose::Arrivals, 0);
        let mut b = a.clone();
        assert_eq!(factor(0.0, &mut a), 1.0);
        assert_eq!(a.next_u64(), b.next_u64(), "no draw was made");
    }
}
