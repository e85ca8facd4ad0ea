//! CSV columns a scenario refers to: forecast volumes (`volumes_file`) and observed durations
//! (`empirical` distributions).
//!
//! A CSV here has a header row, no column named twice, and one cell per column in every row;
//! the named column holds one value per row. Every bad cell is reported with the CSV file, its
//! line and the column, not the scenario file that names it. Files are read whole, up to
//! [`MAX_FILE_BYTES`](crate::limits::MAX_FILE_BYTES).

use std::path::{Path, PathBuf};

use crate::error::{ScenarioError, plural};
use crate::time::parse_duration;

/// A file named in a scenario, resolved against the scenario's folder (as shown in messages).
pub fn resolve(scenario_file: &Path, name: &str) -> PathBuf {
    match scenario_file.parent() {
        Some(dir) if Path::new(name).is_relative() => dir.join(name),
        _ => PathBuf::from(name),
    }
}

/// The values of a column, and where each of their rows says it belongs.
#[derive(Clone, Debug, Default)]
pub struct Cells {
    pub values: Vec<f64>,
    /// One per value, in the same order.
    pub rows: Vec<RowLabel>,
    /// 1-based column of the values.
    pub col: usize,
}

/// Where a CSV row says it belongs: its line, and its `interval` and `day` cells when the file
/// has those columns. Rows are taken by position; these say whether the position is right.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowLabel {
    /// 1-based line of the row.
    pub line: usize,
    /// The `interval` cell's 1-based column and text.
    pub clock: Option<(usize, String)>,
    /// The `day` cell's 1-based column and text.
    pub day: Option<(usize, String)>,
}

/// Checks a row's `day` cell against the day its position puts it on: rows run in order
/// through one day, or through every day, `per_day` a day, so row `row` (from 0) is day
/// `row / per_day + 1`. Shared by forecast CSVs and `fit --staffing` files.
///
/// # Errors
/// What the cell holds and the day expected there.
pub fn check_day(text: &str, row: usize, per_day: usize) -> Result<(), String> {
    let expected = row / per_day.max(1) + 1;
    let how = format!("rows are taken by position, {per_day} a day in order from day 1");
    match text.parse::<u64>() {
        Ok(day) if day == expected as u64 => Ok(()),
        Ok(day) => Err(format!("day {day}, expected {expected}: {how} (list the days in order)")),
        Err(_) => Err(format!("\"{text}\" is not a day number, expected {expected} (a whole number): {how}")),
    }
}

/// Whether the rows' labels (`interval`, `day`) matter to what a column is read for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Labels {
    /// A forecast: the labels place each row on the grid, and one written `Interval` is refused
    /// with the lowercase name to write.
    Checked,
    /// Observed durations: rows are a sample, and their labels are not used.
    Unused,
}

/// Why a column could not be read.
#[derive(Debug)]
pub enum ColumnError {
    /// The file cannot be read at all: a message for the scenario field that names the file.
    Unreadable(String),
    /// Problems located in the CSV file itself.
    Cells(Vec<ScenarioError>),
    /// The file has no such column (located at its header): the scenario field that names the
    /// column is to be named too.
    NoColumn(ScenarioError),
}

/// One column of a CSV file, each cell read by `cell` (which says what is wrong, or the value).
///
/// Returns the values with each row's label (its line, and the text of the optional columns
/// `interval` and `day`, in any position, for alignment checks), or every problem found. Every
/// row must have one cell per header column and no column may be named twice: a ragged row or a
/// repeated name would otherwise shift or hide data without a word. `read` names the columns
/// of the file read for values (the call types' columns): a call type named `day` or
/// `interval` holds values, not row labels, whichever column of the file is being read.
pub fn column(
    file: &Path,
    column: &str,
    cell: impl Fn(&str) -> Result<f64, String>,
    labels: Labels,
    read: &[&str],
) -> Result<Cells, ColumnError> {
    let problem = |line: Option<usize>, col: Option<usize>, field: String, message: String| ScenarioError {
        file: file.to_path_buf(),
        line,
        col,
        field,
        message,
    };
    let text = match super::text::read(file) {
        Ok(text) => text,
        Err(super::text::ReadFailure::Unreadable(message)) => return Err(ColumnError::Unreadable(message)),
        Err(super::text::ReadFailure::NotUtf8(e)) => return Err(ColumnError::Cells(vec![e])),
    };
    let mut reader =
        csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            ColumnError::Cells(vec![problem(
                Some(1),
                None,
                String::new(),
                format!("cannot read the header row: {e}"),
            )])
        })?
        .clone();
    let names: Vec<&str> = headers.iter().collect();
    let repeated = repeated_columns(&names);
    if !repeated.is_empty() {
        let errors = repeated
            .into_iter()
            .map(|(first, again)| {
                let name = names[again];
                let message = format!(
                    "column \"{name}\" is named twice in the header (columns {} and {}); each column \
                     appears once",
                    first + 1,
                    again + 1
                );
                problem(Some(1), Some(again + 1), format!("column \"{name}\""), message)
            })
            .collect();
        return Err(ColumnError::Cells(errors));
    }
    if let Some(message) = other_separator(&names) {
        return Err(ColumnError::Cells(vec![problem(Some(1), None, String::new(), message)]));
    }
    // The row labels `interval` and `day` are read by their lowercase names: a header written
    // `Interval` would leave the rows unlabelled without a word.
    let mut miscased: Vec<ScenarioError> = ["interval", "day"]
        .into_iter()
        .filter(|label| labels == Labels::Checked && !names.contains(label) && *label != column)
        .filter_map(|label| {
            let at = names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(label) && *n != column && !read.contains(n))?;
            let message = format!("the row labels are read by lowercase names; write \"{label}\"");
            Some(problem(Some(1), Some(at + 1), format!("column \"{}\"", names[at]), message))
        })
        .collect();
    let Some(col_idx) = names.iter().position(|h| *h == column) else {
        let message = if names.iter().all(|n| n.is_empty()) {
            format!(
                "the file has no header row (it is empty or its first line is blank): it needs a \
                 header naming its columns, among them \"{column}\""
            )
        } else {
            format!("no column \"{column}\"; {}", super::field::suggest(column, &names))
        };
        let missing = problem(Some(1), None, String::new(), message);
        if !miscased.is_empty() {
            miscased.push(missing);
            return Err(ColumnError::Cells(miscased));
        }
        return Err(ColumnError::NoColumn(missing));
    };
    if !miscased.is_empty() {
        return Err(ColumnError::Cells(miscased));
    }
    // Columns `interval` and `day` label the rows wherever they stand, unless one holds a call
    // type's values (a call type named so), whichever column is being read.
    let label_idx = |label: &str| {
        names.iter().position(|h| *h == label).filter(|&i| i != col_idx && !read.contains(&names[i]))
    };
    let (clock_idx, day_idx) = (label_idx("interval"), label_idx("day"));
    let field = format!("column \"{column}\"");
    let (mut values, mut labels, mut errors) = (Vec::new(), Vec::new(), Vec::new());
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
        if let Some(e) = ragged_row(file, line, record.len(), &names) {
            errors.push(e);
            continue;
        }
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
        labels.push(RowLabel {
            line: line.unwrap_or(0),
            clock: clock_idx.and_then(|i| Some((i + 1, record.get(i)?.to_string()))),
            day: day_idx.and_then(|i| Some((i + 1, record.get(i)?.to_string()))),
        });
    }
    if values.is_empty() && errors.is_empty() {
        errors.push(problem(Some(1), None, field, "no rows below the header".to_string()));
    }
    if errors.is_empty() {
        Ok(Cells { values, rows: labels, col: col_idx + 1 })
    } else {
        Err(ColumnError::Cells(errors))
    }
}

/// Pairs (first, again) of header positions holding the same column name. Unnamed columns
/// (trailing commas of a spreadsheet export) cannot be asked for, so they hide nothing.
pub fn repeated_columns(names: &[&str]) -> Vec<(usize, usize)> {
    (0..names.len())
        .filter(|&j| !names[j].is_empty())
        .filter_map(|j| names[..j].iter().position(|n| *n == names[j]).map(|i| (i, j)))
        .collect()
}

/// An error for a CSV row whose number of cells differs from the header's columns, located at
/// the first missing column or the first extra cell.
pub fn ragged_row(file: &Path, line: Option<usize>, n_cells: usize, names: &[&str]) -> Option<ScenarioError> {
    if n_cells == names.len() {
        return None;
    }
    let header = names.join(",");
    let (col, field, message) = if n_cells < names.len() {
        let missing = names[n_cells];
        (
            n_cells + 1,
            format!("column \"{missing}\""),
            format!(
                "the row has {} but the header has {} ({header}); \
                 give every column a cell, empty if need be (a trailing comma)",
                plural(n_cells as u64, "cell"),
                plural(names.len() as u64, "column")
            ),
        )
    } else {
        (
            names.len() + 1,
            String::new(),
            format!(
                "the row has {} but the header has {} ({header}); \
                 remove the extra cells or name their column in the header",
                plural(n_cells as u64, "cell"),
                plural(names.len() as u64, "column")
            ),
        )
    };
    Some(ScenarioError { file: file.to_path_buf(), line, col: Some(col), field, message })
}

/// A volume cell: a number of calls, zero or more.
pub fn volume(text: &str) -> Result<f64, String> {
    if text.is_empty() {
        return Err("empty cell; expected a number of calls (0 or more)".to_string());
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(v) => Err(format!("must be a number of calls of 0 or more, got {v}")),
        Err(_) if is_thousands_grouped(text) => Err(format!(
            "not a number: \"{text}\" (use {}, without a thousands separator)",
            text.replace(',', "")
        )),
        // `40,5` is forty and a half where the comma is the decimal separator: dropping the
        // comma, as for a thousands group, would read 405.
        Err(_) if text.matches(',').count() == 1 && text.replace(',', ".").parse::<f64>().is_ok() => {
            Err(format!(
                "not a number: \"{text}\" (the decimal separator is a point: write {})",
                text.replace(',', ".")
            ))
        }
        Err(_) => Err(format!("not a number: \"{text}\"; expected a number of calls (0 or more)")),
    }
}

/// Whether `text` is a number with its thousands grouped by commas (`1,204`, `12,345.5`): one
/// to three digits, then groups of exactly three, then an optional decimal part.
fn is_thousands_grouped(text: &str) -> bool {
    let whole = text.split_once('.').map_or(text, |(whole, fraction)| {
        if fraction.bytes().all(|b| b.is_ascii_digit()) { whole } else { "" }
    });
    let mut groups = whole.split(',');
    let lead = groups.next().unwrap_or("");
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let mut rest = groups.peekable();
    rest.peek().is_some()
        && (1..=3).contains(&lead.len())
        && digits(lead)
        && rest.all(|g| g.len() == 3 && digits(g))
}

/// A duration cell: seconds, or text like `4m30s`.
pub fn duration(text: &str) -> Result<f64, String> {
    parse_duration(text)
}

/// What to say of a header read as one column holding semicolons or tabs: the file is
/// separated by them (Excel saves "CSV" with semicolons where the decimal mark is a comma),
/// said once instead of an error for every column asked of it. Used by every CSV file a
/// scenario or a plan reads.
pub fn other_separator(names: &[&str]) -> Option<String> {
    let [only] = names else { return None };
    let (_, shown) = [(';', "';'"), ('\t', "tabs")].into_iter().find(|(c, _)| only.contains(*c))?;
    Some(format!(
        "the header looks separated by {shown}: ccsim reads comma-separated CSV (in Excel: save as \
         \"CSV UTF-8 (comma delimited)\")"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_is_read_as_a_thousands_separator_only_in_groups_of_three() {
        for (text, advice) in [
            ("1,204", "use 1204, without a thousands separator"),
            ("12,345,678.5", "use 12345678.5, without a thousands separator"),
            ("40,5", "the decimal separator is a point: write 40.5"),
            ("1,2345", "the decimal separator is a point: write 1.2345"),
            ("0,25", "the decimal separator is a point: write 0.25"),
        ] {
            let err = volume(text).unwrap_err();
            assert!(err.contains(advice), "{text}: {err}");
        }
        for text in ["1,2,3", "1,,000"] {
            let err = volume(text).unwrap_err();
            assert!(err.contains("expected a number of calls"), "{text}: {err}");
        }
    }
}
