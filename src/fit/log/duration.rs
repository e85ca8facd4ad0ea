//! Durations in a call log's cells: seconds or clock notation, one column or several summed
//! (talk + hold + after-call work), each checked against the longest a call may take.

use super::super::header::Layout;
use super::{Defect, RowProblem, text_of};
use crate::limits::MAX_DURATION;
use crate::time::Seconds;

/// A duration read from one cell, or summed from several.
pub(super) struct Duration {
    pub(super) total: Seconds,
    /// Some of the cells summed were empty, and read as 0.
    pub(super) empty_parts: bool,
}

/// The sum of a duration column's cells (one cell, or several summed); `None` when empty and
/// `may_be_empty`. Of several cells summed, an empty one is 0 (no hold, no after-call work) as
/// long as one of them has a value; all of them empty is a missing value.
pub(super) fn duration_cells(
    record: &csv::ByteRecord,
    layout: &Layout,
    k: usize,
    may_be_empty: bool,
) -> Result<Option<Duration>, RowProblem> {
    let mut total = 0.0;
    let cols = &layout.cols[k];
    let mut empty_parts = false;
    for &col in cols {
        let text = text_of(record, col, layout)?;
        if text.is_empty() {
            let all_empty = cols.iter().all(|&c| record[c].iter().all(u8::is_ascii_whitespace));
            if !all_empty {
                empty_parts = true;
                continue;
            }
            if may_be_empty {
                return Ok(None);
            }
            let which = if cols.len() > 1 {
                let names: Vec<&str> = cols.iter().map(|&c| layout.headers[c].as_str()).collect();
                format!("columns \"{}\" are all empty", names.join("\", \""))
            } else {
                format!("column \"{}\" is empty", layout.headers[col])
            };
            return Err((Defect::MissingValue, col, which));
        }
        let decimal_point;
        let number = if layout.decimal_comma && text.contains(',') && !text.contains('.') {
            decimal_point = text.replace(',', ".");
            decimal_point.as_str()
        } else {
            text
        };
        // A number is in the log's unit; a clock reading is hours, minutes and seconds in any log.
        let value = match number.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v / layout.units_per_second),
            _ => parse_seconds(number),
        }
        .ok_or_else(|| {
            let unit = if layout.units_per_second == 1.0 { "seconds (12.5)" } else { "milliseconds (12500)" };
            (Defect::BadValue, col, format!("\"{text}\" is not a duration; expected {unit} or HH:MM:SS"))
        })?;
        if value < 0.0 {
            return Err((Defect::NegativeValue, col, format!("{text} is negative; a duration is 0 or more")));
        }
        total += value;
    }
    if total > MAX_DURATION {
        let col = layout.cols[k][0];
        return Err((
            Defect::BadValue,
            col,
            format!(
                "{} s is longer than the 30 days a duration of a call may be (MAX_DURATION)",
                crate::error::quoted_number(total)
            ),
        ));
    }
    Ok(Some(Duration { total, empty_parts }))
}

/// Seconds (`12.5`), `MM:SS` or `HH:MM:SS`.
pub fn parse_seconds(text: &str) -> Option<f64> {
    if let Ok(v) = text.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut total = 0.0;
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    for (i, part) in parts.iter().enumerate() {
        let v: f64 = part.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
        if i > 0 && v >= 60.0 {
            return None;
        }
        total = total * 60.0 + v;
    }
    Some(if negative { -total } else { total })
}
