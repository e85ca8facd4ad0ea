//! What-if sweeps: the cartesian grid of cases over a few factors (call volume, handle time,
//! headcount), each case simulated on the same seeds as every other (common random numbers), so
//! differences between cases come from the factors, not from noise.
//!
//! A factor changes the validated scenario before it is simulated, and nothing else:
//! - `volume`: every call type's forecast volume is multiplied by the value;
//! - `handle_time`: every agent group's handle-time factor is multiplied by the value (so every
//!   handle time is, draw for draw);
//! - `agents`: the value (a whole number, may be negative) is added to every shift block and to
//!   every interval of every staffing vector of the plan, never going below 0.
//!
//! The case with volume 1, handle time 1 and agents 0 is the scenario itself: its figures are
//! those of `ccsim simulate` on the same seed.

use serde::{Deserialize, Serialize};

use crate::error::BadInput;
use crate::metrics::CallStats;
use crate::model::Scenario;
use crate::replicate::{self, Options};
use crate::stats::Estimate;

/// Most cases of one sweep (each is a full simulation).
pub const MAX_CASES: usize = 10_000;

/// A factor a sweep varies.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Multiplies forecast volumes.
    Volume,
    /// Multiplies handle times.
    HandleTime,
    /// Adds agents to every shift block and staffing interval.
    Agents,
}

impl Factor {
    /// Its name on the command line and in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Factor::Volume => "volume",
            Factor::HandleTime => "handle_time",
            Factor::Agents => "agents",
        }
    }

    /// The value that leaves the scenario as it is.
    pub fn neutral(self) -> f64 {
        if self == Factor::Agents { 0.0 } else { 1.0 }
    }
}

/// One `--vary NAME=VALUES`: a factor and its values, in the order given.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// The factor.
    pub factor: Factor,
    /// Its values.
    pub values: Vec<f64>,
}

impl std::str::FromStr for Vary {
    type Err = String;

    /// `NAME=LOW..HIGH:STEP`, `NAME=LOW..HIGH` (step 1), or `NAME=V1,V2,...`.
    fn from_str(text: &str) -> Result<Vary, String> {
        let (name, values) = text
            .split_once('=')
            .ok_or_else(|| format!("expected NAME=VALUES (e.g. volume=0.8..1.2:0.1), got {text:?}"))?;
        let factor = match name.trim() {
            "volume" => Factor::Volume,
            "handle_time" => Factor::HandleTime,
            "agents" => Factor::Agents,
            other => {
                return Err(format!(
                    "unknown factor {other:?}; known: \"volume\", \"handle_time\", \"agents\""
                ));
            }
        };
        let number = |s: &str| -> Result<f64, String> {
            let s = s.trim();
            s.strip_prefix('+')
                .unwrap_or(s)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{}: {s:?} is not a number", factor.name()))
        };
        let values: Vec<f64> = if let Some((low, rest)) = values.split_once("..") {
            let (high, step) = match rest.split_once(':') {
                Some((high, step)) => (number(high)?, number(step)?),
                None => (number(rest)?, 1.0),
            };
            let low = number(low)?;
            if step <= 0.0 || high < low {
                return Err(format!(
                    "{}: a range LOW..HIGH:STEP needs LOW <= HIGH and STEP > 0",
                    factor.name()
                ));
            }
            let n = ((high - low) / step + 1e-9).floor() as usize + 1;
            if n > MAX_CASES {
                return Err(format!("{}: more than {MAX_CASES} values", factor.name()));
            }
            // Each value from its index, not by repeated addition, so 0.8..1.2:0.1 gives 1.0 exactly
            // when the step lands there (rounded to 12 digits).
            (0..n).map(|i| ((low + i as f64 * step) * 1e12).round() / 1e12).collect()
        } else {
            values.split(',').map(number).collect::<Result<_, _>>()?
        };
        for &v in &values {
            match factor {
                Factor::Volume | Factor::HandleTime if v <= 0.0 => {
                    return Err(format!("{}: factors must be positive, got {v}", factor.name()));
                }
                Factor::Agents if v.fract() != 0.0 => {
                    return Err(format!("agents: a whole number of agents to add, got {v}"));
                }
                _ => {}
            }
        }
        if values.is_empty() {
            return Err(format!("{}: no values", factor.name()));
        }
        Ok(Vary { factor, values })
    }
}

/// One case: a value of every factor.
#[derive(Copy, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Volume factor.
    pub volume: f64,
    /// Handle-time factor.
    pub handle_time: f64,
    /// Agents added.
    pub agents: i64,
}

impl Case {
    fn set(&mut self, factor: Factor, value: f64) {
        match factor {
            Factor::Volume => self.volume = value,
            Factor::HandleTime => self.handle_time = value,
            Factor::Agents => self.agents = value as i64,
        }
    }

    /// The scenario of this case.
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        let mut case = scenario.clone();
        for call_type in &mut case.call_types {
            for v in &mut call_type.volumes {
                *v *= self.volume;
            }
        }
        for group in &mut case.agent_groups {
            group.handle_time_factor *= self.handle_time;
        }
        let add = |n: &mut u32| *n = (i64::from(*n) + self.agents).clamp(0, i64::from(u32::MAX)) as u32;
        for shift in &mut case.plan.shifts {
            add(&mut shift.agents);
        }
        for staffing in &mut case.plan.staffing {
            staffing.agents.iter_mut().for_each(add);
        }
        case
    }
}

/// The cases of `varies`: the cartesian product, the last factor varying fastest.
///
/// # Errors
/// [`BadInput`] for a factor given twice or more than [`MAX_CASES`] cases.
pub fn cases(varies: &[Vary]) -> Result<Vec<Case>, BadInput> {
    for (i, v) in varies.iter().enumerate() {
        if varies[..i].iter().any(|w| w.factor == v.factor) {
            return Err(BadInput(format!("--vary: {} is given twice", v.factor.name())));
        }
    }
    let total = varies.iter().try_fold(1usize, |n, v| n.checked_mul(v.values.len())).unwrap_or(usize::MAX);
    if total > MAX_CASES {
        return Err(BadInput(format!("--vary: {total} cases; at most {MAX_CASES}")));
    }
    let mut cases = vec![Case { volume: 1.0, handle_time: 1.0, agents: 0 }];
    for vary in varies {
        cases = cases
            .iter()
            .flat_map(|c| {
                vary.values.iter().map(move |&v| {
                    let mut c = *c;
                    c.set(vary.factor, v);
                    c
                })
            })
            .collect();
    }
    Ok(cases)
}

/// A sweep's results (the `sweep --format json` contract).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// Scenario name.
    pub scenario: String,
    /// Base seed, shared by every case.
    pub seed: u64,
    /// Replications of every case.
    pub replications: u32,
    /// The factors varied, in the order given.
    pub factors: Vec<Factor>,
    /// Every case, in grid order.
    pub cases: Vec<CaseResult>,
}

/// One case's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The factors' values.
    #[serde(flatten)]
    pub case: Case,
    /// Paid agent-hours of the case's plan.
    pub paid_hours: f64,
    /// Occupancy of all groups.
    pub occupancy: Estimate,
    /// All contacts.
    pub overall: CallStats<Estimate>,
    /// Per call type.
    pub call_types: Vec<crate::summary::CallTypeSummary>,
}

/// Simulates every case of `varies` with `options` (the same seeds for every case).
/// `progress` is called once per finished replication.
///
/// # Errors
/// Bad factors (exit 2); a thread pool that cannot be built.
pub fn sweep(
    scenario: &Scenario,
    varies: &[Vary],
    options: &Options,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Sweep> {
    let mut results = Vec::new();
    for case in cases(varies)? {
        let run = replicate::run_net_of_shrinkage(&case.apply(scenario), 0.0, options, progress)?;
        let summary = run.summary;
        results.push(CaseResult {
            case,
            paid_hours: summary.paid_hours,
            occupancy: summary.occupancy,
            overall: summary.overall,
            call_types: summary.call_types,
        });
    }
    Ok(Sweep {
        scenario: scenario.name.clone(),
        seed: options.seed,
        replications: options.replications,
        factors: varies.iter().map(|v| v.factor).collect(),
        cases: results,
    })
}

/// The tidy CSV: one row per case and call type (`all` first), with each factor's value and
/// every figure with its half-width.
///
/// # Errors
/// Write errors.
pub fn write_csv(sweep: &Sweep, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<String> = ["case", "volume", "handle_time", "agents", "call_type", "paid_hours"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for key in CallStats::<f64>::KEYS {
        header.push((*key).to_string());
        header.push(format!("{key}_half_width"));
    }
    out.write_record(&header)?;
    let number = |v: f64| if v.is_finite() { v.to_string() } else { String::new() };
    for (i, result) in sweep.cases.iter().enumerate() {
        let rows = std::iter::once(("all", &result.overall))
            .chain(result.call_types.iter().map(|c| (c.name.as_str(), &c.stats)));
        for (call_type, stats) in rows {
            let mut row = vec![
                (i + 1).to_string(),
                number(result.case.volume),
                number(result.case.handle_time),
                result.case.agents.to_string(),
                call_type.to_string(),
                number(result.paid_hours),
            ];
            for e in stats.values() {
                row.push(number(e.mean));
                row.push(number(e.half_width));
            }
            out.write_record(&row)?;
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_lists_parse_into_values() {
        let v: Vary = "volume=0.8..1.2:0.1".parse().unwrap();
        assert_eq!(v.values, [0.8, 0.9, 1.0, 1.1, 1.2]);
        let v: Vary = "agents=-2..+2".parse().unwrap();
        assert_eq!(v.values, [-2.0, -1.0, 0.0, 1.0, 2.0]);
        let v: Vary = "handle_time=0.9,1.0,1.1".parse().unwrap();
        assert_eq!(v.values, [0.9, 1.0, 1.1]);
        for bad in ["volume", "volumes=1", "volume=0..1", "agents=0.5", "volume=1.2..0.8:0.1", "volume=a"] {
            assert!(bad.parse::<Vary>().is_err(), "{bad}");
        }
    }

    #[test]
    fn cases_are_the_cartesian_product_last_factor_fastest() {
        let varies: Vec<Vary> = ["volume=1,2", "agents=0,1,2"].iter().map(|s| s.parse().unwrap()).collect();
        let cases = cases(&varies).unwrap();
        assert_eq!(cases.len(), 6);
        assert_eq!((cases[0].volume, cases[0].agents), (1.0, 0));
        assert_eq!((cases[1].volume, cases[1].agents), (1.0, 1));
        assert_eq!((cases[5].volume, cases[5].agents), (2.0, 2));
        assert!(cases.iter().all(|c| c.handle_time == 1.0));
        let twice: Vec<Vary> = ["agents=1", "agents=2"].iter().map(|s| s.parse().unwrap()).collect();
        assert!(super::cases(&twice).is_err());
    }
}
