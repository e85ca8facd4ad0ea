//! Distribution entries (`handle_time`, `patience`, recall delays) into validated [`Dist`]s.
//!
//! Parameter checks live in [`Dist::new`]; here durations are parsed and an `empirical`
//! distribution's values are gathered from the file or from a CSV column.

use std::path::Path;
use std::sync::Arc;

use super::field::{FieldPath, Sink};
use super::forecast;
use super::source::{DistFile, Duration};
use crate::dist::{Dist, DistKind};
use crate::limits::MAX_DURATION;
use crate::time::{Seconds, format_duration, parse_duration};

/// Parses a duration field; `None` (with an error recorded) when it does not parse.
pub fn seconds(sink: &mut impl Sink, d: &Duration, path: &FieldPath) -> Option<Seconds> {
    let parsed = match d {
        Duration::Text(text) => parse_duration(text),
        Duration::Seconds(v) if *v < 0.0 => Err(format!("{v} is negative; a duration is 0 or more")),
        Duration::Seconds(v) => crate::time::check_duration(*v, &crate::error::quoted_number(*v)),
    };
    parsed.map_err(|message| sink.error(path, message)).ok()
}

/// A positive duration field.
pub fn positive_seconds(sink: &mut impl Sink, d: &Duration, path: &FieldPath) -> Option<Seconds> {
    let secs = seconds(sink, d, path)?;
    if secs > 0.0 {
        Some(secs)
    } else {
        sink.error(path, "must be a positive duration, got 0".to_string());
        None
    }
}

/// A positive duration that places clock times (log-out, a break's end, the next log-in), so a
/// whole number of minutes: clock times are `HH:MM`, and a time between two minutes could not
/// be written in a plan nor read back. `placed` says what it places, for the message.
pub fn positive_minutes(
    sink: &mut impl Sink,
    d: &Duration,
    path: &FieldPath,
    placed: &str,
) -> Option<Seconds> {
    let secs = positive_seconds(sink, d, path)?;
    if crate::time::is_whole_minutes(secs) {
        Some(secs)
    } else {
        sink.error(path, crate::model::not_whole_minutes(secs, placed));
        None
    }
}

/// The validated distribution of a `DistFile`.
pub fn dist(sink: &mut impl Sink, raw: &DistFile, path: &FieldPath, scenario_file: &Path) -> Option<Dist> {
    let mut secs = |key: &str, d: &Duration| seconds(sink, d, &path.key(key));
    let kind = match raw {
        DistFile::Exponential { mean } => DistKind::Exponential { mean: secs("mean", mean)? },
        DistFile::Deterministic { mean } => DistKind::Deterministic { mean: secs("mean", mean)? },
        DistFile::Lognormal { mean, cv } => DistKind::Lognormal { mean: secs("mean", mean)?, cv: *cv },
        DistFile::Gamma { mean, cv } => DistKind::Gamma { mean: secs("mean", mean)?, cv: *cv },
        DistFile::Erlang { mean, k } => DistKind::Erlang { mean: secs("mean", mean)?, k: *k },
        DistFile::Uniform { min, max } => {
            let (min, max) = (secs("min", min), secs("max", max));
            DistKind::Uniform { min: min?, max: max? }
        }
        DistFile::Empirical { values, file, column } => {
            let values = match (values, file, column) {
                (Some(values), None, None) => {
                    let parsed: Vec<Option<f64>> = values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| seconds(sink, v.as_ref()?, &path.key("values").index(i)))
                        .collect();
                    parsed.into_iter().collect::<Option<Vec<f64>>>()?
                }
                (None, Some(file), Some(column)) => {
                    let resolved = forecast::resolve(scenario_file, file);
                    sink.reads(&path.key("file"), &resolved);
                    match forecast::column(
                        &resolved,
                        column,
                        forecast::duration,
                        forecast::Labels::Unused,
                        &[],
                    ) {
                        Ok(cells) => cells.values,
                        Err(forecast::ColumnError::Unreadable(message)) => {
                            sink.error(&path.key("file"), format!("\"{}\": {message}", resolved.display()));
                            return None;
                        }
                        Err(forecast::ColumnError::Cells(errors)) => {
                            errors.into_iter().for_each(|e| sink.external(e));
                            return None;
                        }
                        Err(forecast::ColumnError::NoColumn(error)) => {
                            let message = format!("\"{}\" has no column \"{column}\"", resolved.display());
                            sink.error(&path.key("column"), message);
                            sink.external(error);
                            return None;
                        }
                    }
                }
                _ => {
                    sink.error(
                        path,
                        "empirical needs either `values = [...]` or both `file` and `column`".to_string(),
                    );
                    return None;
                }
            };
            DistKind::Empirical { values: Arc::from(values) }
        }
    };
    if let Some((key, longest)) = longest(&kind)
        && longest > MAX_DURATION
    {
        sink.error(
            &path.key(key),
            format!(
                "{} is longer than the cap of 30 days (MAX_DURATION) for a duration of a call",
                if longest < 1e9 { format_duration(longest) } else { format!("{longest:e}s") }
            ),
        );
        return None;
    }
    match Dist::new(kind) {
        Ok(d) => Some(d),
        Err(message) => {
            // Dist::new names the parameter first ("cv: must be ..."): point at that field.
            let (key, rest) = message.split_once(": ").unwrap_or(("", &message));
            let known = ["mean", "cv", "k", "min", "max", "values"];
            if known.contains(&key) {
                sink.error(&path.key(key), rest.to_string());
            } else {
                sink.error(path, message.clone());
            }
            None
        }
    }
}

/// The field and value a duration cap is checked on: the mean of a parametric distribution, the
/// longest value of a uniform or empirical one (`None` for an empty list, which `Dist::new`
/// reports).
fn longest(kind: &DistKind) -> Option<(&'static str, Seconds)> {
    match kind {
        DistKind::Exponential { mean }
        | DistKind::Deterministic { mean }
        | DistKind::Lognormal { mean, .. }
        | DistKind::Gamma { mean, .. }
        | DistKind::Erlang { mean, .. } => Some(("mean", *mean)),
        DistKind::Uniform { max, .. } => Some(("max", *max)),
        DistKind::Empirical { values } => values.iter().copied().reduce(f64::max).map(|v| ("values", v)),
    }
}
