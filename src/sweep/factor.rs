//! The factors a sweep varies and `--vary FACTOR=VALUES` as given: each factor's name, its
//! values (a list or a range with a step) and the bounds they are held to.

use serde::{Deserialize, Serialize};

use super::{Case, MAX_CASES};
use crate::error::quoted_number;

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

    /// Its axis title, with its unit.
    pub fn axis_title(self) -> &'static str {
        match self {
            Factor::Volume => "volume (× forecast volumes)",
            Factor::HandleTime => "handle time (× the scenario's handle times)",
            Factor::Agents => "agents (added to every shift block and interval)",
        }
    }

    /// `values` of this factor as the table and the heat map write them: agents signed (`+2`,
    /// `-1`, `0`); a factor on volumes or handle times with as many decimals as the most
    /// precise of `values` needs, at least one, so that they read `0.90`, `1.00`, `1.25` and not
    /// `0.9`, `1`, `1.25`.
    pub fn labels(self, values: &[f64]) -> Vec<String> {
        if self == Factor::Agents {
            return values.iter().map(|&v| if v > 0.0 { format!("+{v}") } else { format!("{v}") }).collect();
        }
        // Values are rounded to 12 digits when the grid is built, so their shortest
        // representation is short.
        let needed = |v: f64| v.to_string().split_once('.').map_or(0, |(_, fraction)| fraction.len());
        let decimals = values.iter().map(|&v| needed(v)).max().unwrap_or(0).max(1);
        values.iter().map(|v| format!("{v:.decimals$}")).collect()
    }

    /// This factor's value in `case`.
    pub fn of(self, case: &Case) -> f64 {
        match self {
            Factor::Volume => case.volume,
            Factor::HandleTime => case.handle_time,
            Factor::Agents => case.agents as f64,
        }
    }
}

/// The smallest volume or handle-time factor a case may take.
pub const MIN_FACTOR: f64 = 0.001;

/// Smallest volume or handle-time factor that draws a warning: a grid of 10 times the forecast
/// is more likely percentages (`volume=90..110:10` for 90% to 110%) than a plan.
pub const LARGEST_QUIET_FACTOR: f64 = 10.0;

/// One `--vary NAME=VALUES`: a factor and its values, in the order given.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// The factor.
    pub factor: Factor,
    /// Its values.
    pub values: Vec<f64>,
}

impl Vary {
    /// What to say of a volume or handle-time factor of `LARGEST_QUIET_FACTOR` or more: how it
    /// is read and how to write the percentage it likely meant.
    pub fn percent_warning(&self) -> Option<String> {
        let of = match self.factor {
            Factor::Volume => "the forecast volumes",
            Factor::HandleTime => "the scenario's handle times",
            Factor::Agents => return None,
        };
        let largest = self.values.iter().copied().fold(f64::NAN, f64::max);
        (largest >= LARGEST_QUIET_FACTOR).then(|| {
            let v = quoted_number(largest);
            format!(
                "--vary {}: {v} is a factor, {v} times {of}, not a percentage; write {} for {v}%",
                self.factor.name(),
                quoted_number(largest / 100.0)
            )
        })
    }
}

impl std::fmt::Display for Vary {
    /// `NAME=V1,V2,...` with every value written out (shortest text that reads back to the same
    /// number), so it parses back to the same `Vary`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let values: Vec<String> = self.values.iter().map(|v| v.to_string()).collect();
        write!(f, "{}={}", self.factor.name(), values.join(","))
    }
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
        // One sign at most, as the parser reads it: `+2`, `-2`, but not `+-2`.
        let number = |s: &str| -> Result<f64, String> {
            let s = s.trim();
            s.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| match factor {
                Factor::Agents => {
                    format!("{}: {s:?} is not a number (one sign at most, e.g. -2 or +2)", factor.name())
                }
                // A factor multiplies: a sign means nothing to it, an example does.
                _ => format!("{}: {s:?} is not a number (a factor such as 0.9 or 1.1)", factor.name()),
            })
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
            // HIGH must be a case: a range whose steps pass over it (0.8..1.2 by the default step
            // of 1, 1..3:0.7) would silently run without the case the user wrote as its end. The
            // tolerance takes in the rounding of decimal steps (0.4 / 0.1 = 4.000000000000001).
            let steps = (high - low) / step;
            if steps.round() + 1.0 > MAX_CASES as f64 {
                return Err(format!("{}: more than {MAX_CASES} values", factor.name()));
            }
            if (steps - steps.round()).abs() > 1e-9 {
                let name = factor.name();
                let last = ((low + steps.floor() * step) * 1e12).round() / 1e12;
                return Err(if rest.contains(':') {
                    // The steps nearest the one given that divide HIGH - LOW into whole steps.
                    let landing = |k: f64| quoted_number(((high - low) / k * 1e12).round() / 1e12);
                    let near = if steps < 1.0 {
                        landing(1.0)
                    } else {
                        format!("{} or {}", landing(steps.floor()), landing(steps.ceil()))
                    };
                    format!(
                        "{name}: the range {values} never lands on {}: steps of {} from {} stop at {}; \
                         a step lands on {} when it divides {} into whole steps, e.g. {near}, or end \
                         the range at {}",
                        quoted_number(high),
                        quoted_number(step),
                        quoted_number(low),
                        quoted_number(last),
                        quoted_number(high),
                        quoted_number(((high - low) * 1e12).round() / 1e12),
                        quoted_number(last),
                    )
                } else {
                    format!(
                        "{name}: the range {values} has no step, and steps of 1 from {} never reach {}; \
                         give one, e.g. {name}={values}:0.1",
                        quoted_number(low),
                        quoted_number(high),
                    )
                });
            }
            let n = steps.round() as usize + 1;
            // Each value from its index, not by repeated addition, so 0.8..1.2:0.1 gives 1.0 exactly
            // when the step lands there (rounded to 12 digits).
            (0..n).map(|i| ((low + i as f64 * step) * 1e12).round() / 1e12).collect()
        } else {
            values.split(',').map(number).collect::<Result<_, _>>()?
        };
        for &v in &values {
            match factor {
                // Below it a case simulates next to nothing, and its label runs to hundreds of
                // digits (1e-320 is a float).
                Factor::Volume | Factor::HandleTime if v < MIN_FACTOR => {
                    let of =
                        if factor == Factor::Volume { "forecast volumes" } else { "scenario's handle times" };
                    return Err(format!(
                        "{}: factors must be at least {MIN_FACTOR} (a thousandth of the {of}), got {}",
                        factor.name(),
                        quoted_number(v)
                    ));
                }
                Factor::Agents if v.fract() != 0.0 => {
                    return Err(format!("agents: a whole number of agents to add, got {v}"));
                }
                // Beyond it every shift block would pass the cap, or be emptied.
                Factor::Agents if v.abs() > f64::from(crate::limits::MAX_AGENTS) => {
                    return Err(format!(
                        "agents: {} is beyond the ±{} agents a case may add or take away (MAX_AGENTS)",
                        quoted_number(v),
                        crate::limits::MAX_AGENTS
                    ));
                }
                _ => {}
            }
        }
        if values.is_empty() {
            return Err(format!("{}: no values", factor.name()));
        }
        // The same case twice would be simulated twice and drawn as one cell.
        if let Some(i) = (1..values.len()).find(|&i| values[..i].contains(&values[i])) {
            return Err(format!("{}: {} is given twice", factor.name(), quoted_number(values[i])));
        }
        Ok(Vary { factor, values })
    }
}
