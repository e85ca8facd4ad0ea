//! CSV columns a scenario refers to: forecast volumes (`volumes_file`) and observed durations
//! (`empirical` distributions).
//!
//! A CSV here has a header row and one value per row in the named column. Every bad cell is
//! reported with the CSV file, its line and the column, not the scenario file that names it.

use std::path::{Path, PathBuf};

use crate::error::ScenarioError;
use crate::time::parse_duration;

/// A file named in a scenario, resolved against the scenario's folder (as shown in messages).
pub fn resolve(scenario_file: &Path, name: &str) -> PathBuf {
    match scenario_file.parent() {
        Some(dir) if Path::new(name).is_relative() => dir.join(name),
        _ => PathBuf::from(name),
    }
}

/// The values of a column, and the text of the `interval` column in the same rows (if any).
pub type Cells = (Vec<f64>, Vec<Option<String>>);

/// One column of a CSV file, each cell read by `cell` (which says what is wrong, or the value).
///
/// Returns the values with the clock times of an optional first column `interval` (as text,
/// for alignment checks), or every problem found.
pub fn column(
    file: &Path,
    column: &str,
    cell: impl Fn(&str) -> Result<f64, String>,
) -> Result<Cells, Vec<ScenarioError>> {
    let problem = |line: Option<usize>, col: Option<usize>, field: String, message: String| ScenarioError {
        file: file.to_path_buf(),
        line,
        col,
        field,
        message,
    };
    let text = std::fs::read_to_string(file)
        .map_err(|e| vec![problem(None, None, String::new(), format!("cannot read the file: {e}"))])?;
    let mut reader =
        csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| vec![problem(Some(1), None, String::new(), format!("cannot read the header row: {e}"))])?
        .clone();
    let names: Vec<&str> = headers.iter().collect();
    let Some(col_idx) = names.iter().position(|h| *h == column) else {
        let message = format!("no column \"{column}\"; {}", super::field::suggest(column, &names));
        return Err(vec![problem(Some(1), None, String::new(), message)]);
    };
    let clock_idx = (names.first() == Some(&"interval")).then_some(0);
    let field = format!("column \"{column}\"");
    let (mut values, mut clocks, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                errors.push(problem(line, None, String::new(), format!("not a CSV row: {e}")));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize);
        match record.get(col_idx) {
            Some(text) => match cell(text) {
                Ok(v) => values.push(v),
                Err(message) => errors.push(problem(line, Some(col_idx + 1), field.clone(), message)),
            },
            None => errors.push(problem(
                line,
                Some(col_idx + 1),
                field.clone(),
                "the row has no such cell".into(),
            )),
        }
        clocks.push(clock_idx.and_then(|i| record.get(i)).map(str::to_string));
    }
    if values.is_empty() && errors.is_empty() {
        errors.push(problem(Some(1), None, field, "no rows below the header".to_string()));
    }
    if errors.is_empty() { Ok((values, clocks)) } else { Err(errors) }
}

/// A volume cell: a number of calls, zero or more.
pub fn volume(text: &str) -> Result<f64, String> {
    if text.is_empty() {
        return Err("empty cell; expected a number of calls (0 or more)".to_string());
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(v) => Err(format!("must be a number of calls of 0 or more, got {v}")),
        Err(_) if text.contains(',') && text.replace(',', "").parse::<f64>().is_ok() => Err(format!(
            "not a number: \"{text}\" (use {}, without a thousands separator)",
            text.replace(',', "")
        )),
        Err(_) => Err(format!("not a number: \"{text}\"; expected a number of calls (0 or more)")),
    }
}

/// A duration cell: seconds, or text like `4m30s`.
pub fn duration(text: &str) -> Result<f64, String> {
    parse_duration(text)
}
