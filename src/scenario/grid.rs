//! The interval grid of a scenario and the volume lists laid on it.
//!
//! How many intervals a day has is read, in this order, from: `intervals_per_day`; the clock
//! times of a forecast CSV's `interval` column (the latest clock time seen); the inline
//! `volumes` lists (the length most lists agree on). A forecast CSV without an `interval`
//! column never sets the grid by itself: one row too few would silently make a day one
//! interval shorter and shift every later row, so such a file must match a grid set otherwise.
//! Every list must then hold one day or all days; the list that does not is named, with the
//! count it has and the count expected.

use std::path::{Path, PathBuf};

use super::field::{FieldPath, Sink, TomlDoc};
use super::forecast;
use super::source::{CallTypeFile, ScenarioFile};
use crate::error::ScenarioError;
use crate::limits::{MAX_CONTACTS_PER_REPLICATION, MAX_GRID_CELLS, MAX_INTERVALS};
use crate::time::{ClockTime, DAY, IntervalGrid, format_duration};

/// A call type's volumes as given (inline or from its CSV column), not yet laid on the grid.
pub struct VolumeList {
    /// One value per row or list element.
    pub values: Vec<f64>,
    /// Where each CSV row says it belongs (empty for inline lists).
    pub rows: Vec<forecast::RowLabel>,
    /// The CSV file (resolved), the column's name and its 1-based index, for CSV volumes.
    pub csv: Option<(PathBuf, String, usize)>,
    /// The scenario field that gives the volumes (`volumes` or `volumes_file`).
    pub field: FieldPath,
    /// The call type's name.
    pub name: String,
}

impl VolumeList {
    fn has_clocks(&self) -> bool {
        self.rows.iter().any(|r| r.clock.is_some())
    }
}

/// A call type's volume list (inline or from its CSV column); `None` with an error recorded.
/// `all` are the scenario's call types: the columns they read from the same file hold values,
/// never row labels.
pub fn volumes(
    doc: &mut TomlDoc,
    c: &CallTypeFile,
    path: &FieldPath,
    all: &[CallTypeFile],
) -> Option<VolumeList> {
    let list = |values, rows, csv, field| VolumeList { values, rows, csv, field, name: c.name.clone() };
    match (&c.volumes, &c.volumes_file) {
        (Some(_), Some(_)) => {
            doc.error(
                &path.key("volumes_file"),
                "give either `volumes` or `volumes_file`, not both".to_string(),
            );
            None
        }
        // A `volumes` or `volumes_file` that is in the file but was refused as it was read
        // (a quoted number) has its own error already; it is not missing.
        (None, None) if doc.has(&path.key("volumes")) || doc.has(&path.key("volumes_file")) => None,
        (None, None) => {
            doc.error(
                path,
                "missing volumes: give `volumes = [...]` or `volumes_file = \"forecast.csv\"`".to_string(),
            );
            None
        }
        (Some(values), None) => {
            if c.volumes_column.is_some() {
                doc.error(&path.key("volumes_column"), "only used with `volumes_file`".to_string());
            }
            let mut ok = true;
            for (i, v) in values.iter().enumerate() {
                // A value the reader could not read has its error already.
                let Some(v) = v else {
                    ok = false;
                    continue;
                };
                if *v < 0.0 {
                    doc.error(
                        &path.key("volumes").index(i),
                        format!("must be a number of calls of 0 or more, got {v}"),
                    );
                    ok = false;
                }
            }
            if values.is_empty() {
                doc.error(&path.key("volumes"), "needs one value per interval".to_string());
                ok = false;
            }
            ok.then(|| {
                list(values.iter().flatten().copied().collect(), Vec::new(), None, path.key("volumes"))
            })
        }
        (None, Some(file)) => {
            let column = c.volumes_column.as_deref().unwrap_or(&c.name);
            let resolved = forecast::resolve(doc.file(), file);
            let field = path.key("volumes_file");
            doc.reads(&field, &resolved);
            let read: Vec<&str> = all
                .iter()
                .filter(|other| {
                    other.volumes.is_none() && other.volumes_file.as_deref() == Some(file.as_str())
                })
                .map(|other| other.volumes_column.as_deref().unwrap_or(&other.name))
                .collect();
            match forecast::column(&resolved, column, forecast::volume, forecast::Labels::Checked, &read) {
                Ok(cells) => Some(list(
                    cells.values,
                    cells.rows,
                    Some((resolved, column.to_string(), cells.col)),
                    field,
                )),
                Err(forecast::ColumnError::Unreadable(message)) => {
                    doc.error(&field, format!("\"{}\": {message}", resolved.display()));
                    None
                }
                Err(forecast::ColumnError::Cells(errors)) => {
                    errors.into_iter().for_each(|e| doc.external(e));
                    None
                }
                Err(forecast::ColumnError::NoColumn(error)) => {
                    let (at, why) = match c.volumes_column {
                        Some(_) => (path.key("volumes_column"), String::new()),
                        None => (
                            field,
                            " (by default the call type's name; set `volumes_column` to read another)".into(),
                        ),
                    };
                    doc.error(&at, format!("\"{}\" has no column \"{column}\"{why}", resolved.display()));
                    doc.external(error);
                    None
                }
            }
        }
    }
}

/// The grid, or `None` with the reason recorded. `lists` holds the lists that were read.
pub fn grid(
    doc: &mut TomlDoc,
    start: ClockTime,
    interval: f64,
    days: usize,
    lists: &[&VolumeList],
    raw: &ScenarioFile,
) -> Option<IntervalGrid> {
    let (per_day, source) = match raw.intervals_per_day {
        Some(0) => {
            doc.error(&FieldPath::root().key("intervals_per_day"), "must be at least 1".to_string());
            return None;
        }
        Some(n) => (n as usize, FieldPath::root().key("intervals_per_day")),
        None => per_day_from_lists(doc, start, interval, days, lists)?,
    };
    if per_day.saturating_mul(days) > MAX_INTERVALS {
        doc.error(
            &source,
            format!(
                "{per_day} intervals a day x {days} days make {} intervals, more than the cap of \
                 {MAX_INTERVALS} (MAX_INTERVALS: one-minute intervals for 366 days)",
                per_day.saturating_mul(days)
            ),
        );
        return None;
    }
    let n_types = raw.call_types.len();
    let cells = per_day.saturating_mul(days).saturating_mul(n_types);
    if cells > MAX_GRID_CELLS {
        let fit = MAX_GRID_CELLS / n_types.max(1);
        doc.error(
            &source,
            format!(
                "{per_day} intervals a day x {days} days x {n_types} call type{s} make {cells} \
                 (interval, call type) cells, more than the cap of {MAX_GRID_CELLS} \
                 (MAX_GRID_CELLS); with {n_types} call type{s} use at most {fit} intervals over the \
                 horizon (longer intervals or fewer days), or fewer call types",
                s = if n_types == 1 { "" } else { "s" }
            ),
        );
        return None;
    }
    match IntervalGrid::new(start, interval, per_day, days) {
        Ok(grid) => Some(grid),
        Err(message) => {
            doc.error(&source, format!("sets the number of intervals a day: {message}"));
            None
        }
    }
}

/// Intervals per day from the lists, and the field that set it.
fn per_day_from_lists(
    doc: &mut TomlDoc,
    start: ClockTime,
    interval: f64,
    days: usize,
    lists: &[&VolumeList],
) -> Option<(usize, FieldPath)> {
    // A CSV's clock times say where each row belongs: the latest one closes the day.
    let from_clocks = lists
        .iter()
        .filter(|l| l.has_clocks())
        .filter_map(|l| {
            let slots = l
                .rows
                .iter()
                .filter_map(|r| ClockTime::parse(&r.clock.as_ref()?.1).ok())
                .map(|t| ((t.secs() - start.secs()).rem_euclid(DAY) / interval).round() as usize);
            slots.max().map(|last| (last + 1, l.field.clone()))
        })
        .max_by_key(|(n, _)| *n);
    if from_clocks.is_some() {
        return from_clocks;
    }
    let inline: Vec<&&VolumeList> = lists.iter().filter(|l| l.csv.is_none()).collect();
    if inline.is_empty() {
        for l in lists {
            let (file, ..) = l.csv.as_ref().expect("not inline, so from a CSV");
            // An `interval` column none of whose cells is a clock time: its first cell says why
            // (`09:00:00` has seconds), where it is.
            if let Some(e) = l.rows.iter().find_map(|r| clock_error(file, r, None)) {
                doc.external(e);
                continue;
            }
            doc.error(
                &l.field,
                format!(
                    "\"{}\" has no `interval` column, so its {} rows do not say how many intervals a \
                     day has (one row too few would shift every later row); add a column `interval` \
                     with each row's clock time (HH:MM), or set `intervals_per_day`",
                    file.display(),
                    l.values.len()
                ),
            );
        }
        return None;
    }
    // Each list proposes a day (its length, or its length over the days when one day of it
    // would not fit in 24 hours); the day most lists agree with wins.
    let fits = |n: usize| n as f64 * interval <= DAY + 1e-9;
    let proposal = |n: usize| if fits(n) || days == 1 || !n.is_multiple_of(days) { n } else { n / days };
    let agrees = |n: usize, per_day: usize| n == per_day || n == per_day * days;
    let mut candidates: Vec<(usize, usize)> = Vec::new(); // (per_day, lists agreeing)
    for l in &inline {
        let p = proposal(l.values.len());
        if !candidates.iter().any(|(q, _)| *q == p) {
            let support = inline.iter().filter(|m| agrees(m.values.len(), p)).count();
            candidates.push((p, support));
        }
    }
    let best = candidates.iter().map(|(_, s)| *s).max()?;
    let winners: Vec<usize> = candidates.iter().filter(|(_, s)| *s == best).map(|(p, _)| *p).collect();
    if winners.len() > 1 {
        let each = inline.iter().map(|l| format!("{} has {}", l.name, l.values.len())).collect::<Vec<_>>();
        for l in &inline {
            doc.error(
                &l.field,
                format!(
                    "the volume lists disagree on the number of intervals ({}); give every list the \
                     same length, or set `intervals_per_day`",
                    each.join(", ")
                ),
            );
        }
        return None;
    }
    let per_day = winners[0];
    let field = inline
        .iter()
        .find(|l| agrees(l.values.len(), per_day))
        .map_or(FieldPath::root(), |l| l.field.clone());
    Some((per_day, field))
}

/// Every list expanded to the whole grid (in the order of `lists`), `None` for a list of the
/// wrong length (with an error naming it, what it has and what the grid needs).
pub fn expand(doc: &mut TomlDoc, grid: &IntervalGrid, lists: &[&VolumeList]) -> Vec<Option<Vec<f64>>> {
    let fitting: Vec<&str> =
        lists.iter().filter(|l| grid.expand(&l.values).is_some()).map(|l| l.name.as_str()).collect();
    let expected = if grid.days() > 1 {
        format!(
            "{} (one day of {} intervals of {} from {}, repeated) or {} (all {} days)",
            grid.per_day(),
            grid.per_day(),
            format_duration(grid.length()),
            grid.start(),
            grid.len(),
            grid.days()
        )
    } else {
        format!("{} (intervals of {} from {})", grid.per_day(), format_duration(grid.length()), grid.start())
    };
    lists
        .iter()
        .map(|l| {
            let expanded = grid.expand(&l.values);
            if expanded.is_none() {
                let n = l.values.len();
                let others = if fitting.is_empty() {
                    String::new()
                } else {
                    format!(" as {} do", quoted(&fitting))
                };
                let message = match &l.csv {
                    Some((file, column, _)) => format!(
                        "\"{}\" column \"{column}\" has {n} rows; the scenario's grid needs {expected}{others}",
                        file.display()
                    ),
                    None => format!("has {n} values; the scenario's grid needs {expected}{others}"),
                };
                doc.error(&l.field, message);
            }
            expanded
        })
        .collect()
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// The fresh contacts all volumes offer over the horizon must stay under
/// [`MAX_CONTACTS_PER_REPLICATION`]; the error names the list that offers most.
pub fn check_contacts(doc: &mut TomlDoc, grid: &IntervalGrid, lists: &[(&VolumeList, &[f64])]) -> bool {
    let totals: Vec<f64> = lists.iter().map(|(_, v)| v.iter().sum::<f64>()).collect();
    let total: f64 = totals.iter().sum();
    if total <= MAX_CONTACTS_PER_REPLICATION {
        return true;
    }
    let largest = totals.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i);
    let (list, values) = lists[largest];
    let message = |here: String| {
        format!(
            "the volumes offer {} contacts over the {}-day horizon ({here}), more than the cap of \
             {MAX_CONTACTS_PER_REPLICATION:.0} per replication (MAX_CONTACTS_PER_REPLICATION)",
            count(total),
            grid.days(),
        )
    };
    // A CSV's volumes are blamed on its largest cell, where a typo most likely is.
    let in_csv = list.csv.as_ref().and_then(|(file, column, col)| {
        let (row, value) = list.values.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
        let line = list.rows.get(row)?.line;
        Some(ScenarioError {
            file: file.clone(),
            line: Some(line),
            col: Some(*col),
            field: format!("column \"{column}\""),
            message: message(format!("{} of them in this cell", count(*value))),
        })
    });
    match in_csv {
        Some(e) => doc.external(e),
        None => {
            let here = format!("{} of them here", count(values.iter().sum()));
            doc.error(&list.field, message(here));
        }
    }
    false
}

/// A count of contacts as a message shows it: whole, or in exponent form past a trillion
/// (`1e308`, not 309 digits).
fn count(x: f64) -> String {
    if x < 1e12 { format!("{x:.0}") } else { format!("{x:e}") }
}

/// A forecast CSV with an `interval` column must list the grid's clock times in order, and one
/// with a `day` column the days in order; the first row of each file that does not is reported
/// (also when the file has too few or too many rows: that row is where one is missing or
/// extra).
pub fn check_alignment(doc: &mut TomlDoc, grid: &IntervalGrid, lists: &[&VolumeList]) {
    for l in lists {
        let Some((file, ..)) = &l.csv else { continue };
        let clock_error = l.rows.iter().enumerate().find_map(|(i, row)| {
            let expected = (grid.clock_of(i % grid.len()), grid);
            clock_error(file, row, Some(expected))
        });
        let day_error = l.rows.iter().enumerate().find_map(|(i, row)| {
            let (col, text) = row.day.as_ref()?;
            let message = forecast::check_day(text, i, grid.per_day()).err()?;
            Some(located(file, row, *col, "day", message))
        });
        clock_error.into_iter().chain(day_error).for_each(|e| doc.external(e));
    }
}

/// The error of a row's `interval` cell: not a clock time, or (given the clock time its position
/// on `grid` expects) another one; `None` for a right cell or a file without the column.
fn clock_error(
    file: &Path,
    row: &forecast::RowLabel,
    expected: Option<(ClockTime, &IntervalGrid)>,
) -> Option<ScenarioError> {
    let (col, text) = row.clock.as_ref()?;
    let message = match (ClockTime::parse(text), expected) {
        // Not a clock time at all (`08:00:00`): say what a clock time is.
        (Err(message), _) => message,
        (Ok(_), None) => return None,
        (Ok(t), Some((expected, _))) if t == expected => return None,
        (Ok(_), Some((expected, grid))) => format!(
            "\"{text}\" does not match the scenario's interval {expected} (start {}, every {})",
            grid.start(),
            format_duration(grid.length())
        ),
    };
    Some(located(file, row, *col, "interval", message))
}

/// An error at a labelling cell of a forecast CSV row.
fn located(
    file: &Path,
    row: &forecast::RowLabel,
    col: usize,
    column: &str,
    message: String,
) -> ScenarioError {
    ScenarioError {
        file: file.to_path_buf(),
        line: Some(row.line),
        col: Some(col),
        field: format!("column \"{column}\""),
        message,
    }
}
