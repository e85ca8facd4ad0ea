//! The round-trip check: the fitted scenario, simulated under the observed staffing, against
//! the log's own service level, ASA and abandonment per call type.
//!
//! A difference is flagged when it exceeds the simulation's 95% half-width plus 1.96 times
//! the data's own standard error: beyond both sources of noise, the model misses something worth reading (a
//! staffing file that is not what was on the phones, skills or priorities the log cannot
//! show, patience beyond the observed waits).

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::Fit;
use super::log::{Mark, Outcome};
use crate::model::Scenario;
use crate::replicate::{self, Options};
use crate::stats::Estimate;
use crate::time::Seconds;

/// The data's standard error: the larger of the one computed as if calls were independent
/// (binomial for shares, the standard error of the mean for ASA) and the spread of one
/// simulated run of the same length (the replications' standard deviation). Calls in a queue
/// are not independent (a busy hour makes many callers wait), so the first alone understates
/// how much one log can differ from the center's long-run figures; the log is one run.
///
/// ```text
/// sd(one run) = half_width · √R / t(0.975, R − 1)
/// ```
fn data_se(independent_se: f64, simulated: Estimate, replications: u32) -> f64 {
    if replications < 2 || !simulated.half_width.is_finite() {
        return independent_se;
    }
    let r = f64::from(replications);
    let t = StudentsT::new(0.0, 1.0, r - 1.0).map_or(Z95, |d| d.inverse_cdf(0.975));
    independent_se.max(simulated.half_width * r.sqrt() / t)
}

/// z for a 95% interval.
const Z95: f64 = 1.96;

/// One figure of one call type: observed (with its standard error) and simulated.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub call_type: String,
    /// `service_level`, `asa_s` or `abandon_rate`.
    pub figure: &'static str,
    pub observed: f64,
    pub observed_se: f64,
    pub simulated: Estimate,
}

impl Comparison {
    /// The difference exceeds both sources of noise together.
    pub fn misfit(&self) -> bool {
        (self.simulated.mean - self.observed).abs() > self.simulated.half_width + Z95 * self.observed_se
    }
}

/// Observed figures per call type of the scenario (answered within `target_s` / offered,
/// ASA, abandoned / offered), by the simulation's definitions. Calls still waiting at the close
/// count in offered, never answered. Blocked calls count in offered, as the simulation counts
/// them, when the scenario has lines (`with_blocked`); without, it blocks none, and they are
/// left out on both sides. Callback customers (a trace's `callback` mark, and every failed
/// callback) did not hold: as the simulation's default `callbacks_count_as = "excluded"` and
/// the fit table's ASA, they are left out of the service level and the ASA, whose waits would
/// otherwise be the time to the call back, and counted in offered for abandonment, which they
/// never do.
fn observed(fit: &Fit, name: &str, target_s: Seconds, with_blocked: bool) -> Option<[(f64, f64); 3]> {
    let t = fit.call_types.iter().position(|c| c.name == name)? as u16;
    // Offered, and offered to the service level (those who held).
    let (mut offered, mut held) = (0u64, 0u64);
    let (mut within, mut answered, mut abandoned) = (0u64, 0u64, 0u64);
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    for c in fit.log.contacts.iter().filter(|c| c.call_type == t) {
        if c.outcome == Outcome::Blocked && !with_blocked {
            continue;
        }
        offered += 1;
        if c.mark == Mark::Callback || c.outcome == Outcome::CallbackFailed {
            continue;
        }
        held += 1;
        match c.outcome {
            Outcome::Answered => {
                answered += 1;
                let w = f64::from(c.wait_s);
                within += u64::from(w <= target_s);
                sum += w;
                sum_sq += w * w;
            }
            Outcome::Abandoned => abandoned += 1,
            Outcome::Blocked | Outcome::UnansweredAtClose | Outcome::CallbackFailed => {}
        }
    }
    if held == 0 || answered == 0 {
        return None;
    }
    let share = |k: u64, of: u64| {
        let p = k as f64 / of as f64;
        (p, (p * (1.0 - p) / of as f64).sqrt())
    };
    let n = answered as f64;
    let asa = sum / n;
    let var = if answered > 1 { (sum_sq - n * asa * asa) / (n - 1.0) } else { 0.0 };
    Some([share(within, held), (asa, (var.max(0.0) / n).sqrt()), share(abandoned, offered)])
}

/// Simulates `scenario` (the fitted one, with the observed staffing) and compares.
///
/// # Errors
/// When the simulation fails.
pub fn round_trip(fit: &Fit, scenario: &Scenario, options: &Options) -> anyhow::Result<Vec<Comparison>> {
    let run = replicate::run_net_of_shrinkage(scenario, 0.0, options, &|| {})?;
    let target = scenario.service_level.target;
    let mut rows = Vec::new();
    for c in &run.summary.call_types {
        let Some(obs) = observed(fit, &c.name, target, scenario.telephony.has_lines()) else { continue };
        let sim = [c.stats.service_level, c.stats.asa_s, c.stats.abandon_rate];
        for ((figure, (observed, observed_se)), simulated) in
            ["service_level", "asa_s", "abandon_rate"].into_iter().zip(obs).zip(sim)
        {
            let observed_se = data_se(observed_se, simulated, options.replications);
            rows.push(Comparison { call_type: c.name.clone(), figure, observed, observed_se, simulated });
        }
    }
    Ok(rows)
}
