//! Reading a phone system's call log: rows, outcomes, and every defect counted (its header row:
//! [`super::header`]).
//!
//! The log is streamed row by row (a year of calls does not fit in memory as text): each good
//! row becomes a small [`Contact`] of numbers, each bad row a [`Defect`] counted with its first
//! line numbers. Nothing is dropped without being counted; `strict` turns the first rejected
//! row into an error at its file, line and column. Rows that are kept but worth knowing about
//! (a call spanning midnight, a local time that occurs twice) are *noted*, not rejected.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

mod defect;
mod duration;

pub use super::header::{COLUMNS, parse_column_flag};
pub use defect::{Defect, Defects, FIRST_LINES};
use duration::duration_cells;
pub use duration::parse_seconds;

use super::clock::{ArrivalFormat, Zone, parse_timestamp, pattern_hint};
use super::header::{Layout, header_is_text, layout, separator};
use super::records::{Guarded, MAX_ROW_BYTES, Problem};
use crate::error::{BadInput, ScenarioError};

/// How a contact ended: a log's words are read into the outcomes the simulation's trace
/// writes, so one set of outcomes serves both.
pub use crate::sim::Outcome;

/// One good row of the log, as numbers.
#[derive(Copy, Clone, Debug)]
pub struct Contact {
    /// Seconds since 1970 UTC (or since the local epoch when no zone is known).
    pub instant: f64,
    /// Local date (days since 1970-01-01) and seconds since local midnight.
    pub local_day: i32,
    pub local_secs: f32,
    /// Time in queue; handle time (answered only, else 0).
    pub wait_s: f32,
    pub handle_s: f32,
    /// Hash of the caller id; 0 when the log has none for this row.
    pub caller: u64,
    /// Index into [`Log::call_types`]; `transferred_to` is `u16::MAX` when there is none.
    pub call_type: u16,
    pub transferred_to: u16,
    /// Index into [`Log::groups`], `u16::MAX` when unknown.
    pub group: u16,
    pub outcome: Outcome,
    /// What a trace's own columns say of it (always [`Mark::None`] in a phone system's log).
    pub mark: Mark,
}

// The mark fits in the byte the other fields leave free: a year's log is millions of contacts.
const _: () = assert!(std::mem::size_of::<Contact>() == 40);

/// What ccsim's trace says of a contact that a phone system's log does not: one byte, so a
/// contact stays 40 bytes.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Mark {
    #[default]
    None,
    /// Its caller hung up to be called back (trace column `callback`): the wait it shows was not
    /// spent holding, neither on a line nor as patience.
    Callback,
    /// One of the scenario's initial backlog (trace column `initial_backlog`): waiting at the
    /// start of the run, not an arrival at its first instant.
    InitialBacklog,
}

/// How to read a log: column names, outcome words, the center's zone, strictness.
#[derive(Clone, Debug, Default)]
pub struct LogFormat {
    /// Header name(s) per known column, by [`COLUMNS`] position; several names are summed
    /// (handle time = talk + hold + after-call work).
    pub columns: Vec<(String, Vec<String>)>,
    /// Extra words for each outcome (the export's own), besides the outcome's own name.
    pub outcome_words: Vec<(Outcome, String)>,
    pub zone: Zone,
    /// How arrivals are written, when not as `YYYY-MM-DD HH:MM:SS` or ISO 8601.
    pub arrival_format: Option<ArrivalFormat>,
    /// The unit of durations written as numbers (`HH:MM:SS` is a clock reading whatever it is).
    pub duration_unit: DurationUnit,
    pub strict: bool,
}

/// The unit of a log's durations written as numbers.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DurationUnit {
    /// Seconds (`12.5`).
    #[default]
    S,
    /// Milliseconds (`12500`), as some phone systems export them.
    Ms,
}

impl DurationUnit {
    /// Units in a second.
    pub fn per_second(self) -> f64 {
        match self {
            DurationUnit::S => 1.0,
            DurationUnit::Ms => 1000.0,
        }
    }
}

/// A log read: its good contacts and what was wrong with the rest.
#[derive(Debug, Default)]
pub struct Log {
    pub file: PathBuf,
    /// The field separator found on the first line (`,`, `;` or tab).
    pub separator: u8,
    /// The unit its durations written as numbers were read in.
    pub duration_unit: DurationUnit,
    /// Data rows read (the header not counted).
    pub rows: u64,
    pub contacts: Vec<Contact>,
    pub call_types: Vec<String>,
    pub groups: Vec<String>,
    pub defects: Defects,
    /// Rows whose arrival is written in UTC (a `Z`, or a Unix time) while no zone was given (`--timezone`): they
    /// are counted on the UTC clock, which is not the center's.
    pub utc_rows: u64,
    /// Which optional columns the log has.
    pub has_callback_mark: bool,
    pub has_initial_backlog_mark: bool,
    pub has_group: bool,
    pub has_caller_id: bool,
    pub has_transferred_to: bool,
}

/// Why a log could not be read at all (or, strictly, at its first defect).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Bad(#[from] BadInput),
    #[error(transparent)]
    Located(#[from] crate::error::ScenarioErrors),
}

impl ReadError {
    /// The inner error, so that its exit code (2, bad input) is found in the chain.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            ReadError::Bad(e) => e.into(),
            ReadError::Located(e) => e.into(),
        }
    }
}

/// Reads and cleans a call log.
///
/// # Errors
/// The file cannot be read, a required column is missing, a `--column` names an unknown
/// column, or (`strict`) the first rejected row.
pub fn read(path: &Path, format: &LogFormat) -> Result<Log, ReadError> {
    let file = std::fs::File::open(path)
        .map_err(|e| BadInput(format!("{}: cannot read the call log: {e}", path.display())))?;
    // The separator is read off the first line before any record is parsed; the buffer's
    // capacity bounds that first look.
    let mut buffered = std::io::BufReader::with_capacity(MAX_ROW_BYTES, file);
    let separator = separator(
        std::io::BufRead::fill_buf(&mut buffered)
            .map_err(|e| BadInput(format!("{}: cannot read the call log: {e}", path.display())))?,
    );
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(separator)
        .buffer_capacity(1 << 20)
        .from_reader(Guarded::new(buffered, separator));
    let raw_headers = match reader.byte_headers() {
        Ok(headers) => headers,
        Err(e) => {
            return Err(record_problem(path, &e, &[]).unwrap_or_else(|| {
                BadInput(format!("{}:1: cannot read the header row: {e}", path.display())).into()
            }));
        }
    };
    header_is_text(path, raw_headers)?;
    let headers = raw_headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').to_string())
        .collect::<Vec<_>>();
    let layout = layout(path, &headers, format, separator)?;
    let mut log = Log {
        file: path.to_path_buf(),
        separator,
        duration_unit: format.duration_unit,
        has_callback_mark: layout.callback.is_some(),
        has_initial_backlog_mark: layout.initial_backlog.is_some(),
        has_group: !layout.cols[5].is_empty(),
        has_caller_id: !layout.cols[6].is_empty(),
        has_transferred_to: !layout.cols[7].is_empty(),
        ..Log::default()
    };
    let mut seen_rows: HashSet<u64> = HashSet::new();
    let mut arrival_buf = String::new();
    let mut record = csv::ByteRecord::new();
    let mut last_offset: Option<Option<i32>> = None;
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            // A file that cannot be read on, or a record it cannot have, ends the reading:
            // reading on would meet the same failure again, or read later rows as one cell.
            Err(e) if e.is_io_error() => {
                return Err(record_problem(path, &e, &layout.headers).unwrap_or_else(|| {
                    BadInput(format!("{}:{line}: cannot read the call log: {e}", path.display())).into()
                }));
            }
            Err(e) => {
                log.rows += 1;
                let line = e.position().map_or(line, |p| reader.get_mut().line_of_record(p.byte(), p.line()));
                reject(&mut log, format, Defect::MalformedRow, line, None, &format!("not a CSV row: {e}"))?;
                continue;
            }
        }
        log.rows += 1;
        let line = record.position().map_or(0, |p| reader.get_mut().line_of_record(p.byte(), p.line()));
        if record.len() != layout.headers.len() {
            let message = format!(
                "the row has {} but the header has {}",
                crate::error::plural(record.len() as u64, "cell"),
                crate::error::plural(layout.headers.len() as u64, "column")
            );
            reject(
                &mut log,
                format,
                Defect::MalformedRow,
                line,
                Some(record.len().min(layout.headers.len()) + 1),
                &message,
            )?;
            continue;
        }
        // Before the duplicate check: a third export's header is a repeated header too, not
        // a copy of the second's.
        if is_header(&record, &layout.headers) {
            let message = "the header row again (logs joined one after another?): not a contact";
            reject(&mut log, format, Defect::RepeatedHeader, line, Some(1), message)?;
            continue;
        }
        if !seen_rows.insert(row_hash(&record)) {
            reject(&mut log, format, Defect::DuplicateRow, line, Some(1), "the same row as an earlier one")?;
            continue;
        }
        let known = (log.call_types.len(), log.groups.len());
        match contact(&record, &layout, format, &mut log, &mut last_offset, &mut arrival_buf, line) {
            Ok(Some(c)) => {
                unusable_names(path, &record, line, &layout, &log, known)?;
                log.contacts.push(c);
            }
            Ok(None) => {}
            Err((kind, col, message)) => reject(&mut log, format, kind, line, Some(col + 1), &message)?,
        }
        too_many_names(path, line, &layout, &log)?;
    }
    Ok(log)
}

/// A record the log cannot have (a quoted field left open, a row past the cap), located at
/// the line and column where it began: it ends the reading, `--strict` or not, since every
/// row after it is unreadable.
fn record_problem(path: &Path, error: &csv::Error, headers: &[String]) -> Option<ReadError> {
    let problem = Problem::of(error)?;
    let field =
        problem.field.and_then(|f| headers.get(f)).map_or(String::new(), |name| format!("column \"{name}\""));
    let error = ScenarioError {
        file: path.to_path_buf(),
        line: Some(problem.line as usize),
        col: problem.field.map(|f| f + 1),
        field,
        message: problem.to_string(),
    };
    Some(crate::error::ScenarioErrors(vec![error]).into())
}

type RowProblem = (Defect, usize, String);

/// A cell's text, trimmed. A cell that is not UTF-8 rejects its row: read with replacement
/// characters, two different names (say `générale` and `spéciale` in Latin-1) would become one.
fn text_of<'r>(record: &'r csv::ByteRecord, col: usize, layout: &Layout) -> Result<&'r str, RowProblem> {
    std::str::from_utf8(&record[col]).map(str::trim).map_err(|_| {
        let header = &layout.headers[col];
        (
            Defect::BadValue,
            col,
            format!("column \"{header}\" is not UTF-8 text; save the log as CSV in UTF-8"),
        )
    })
}

/// One row into a contact; noted defects are counted here, rejecting ones returned.
fn contact(
    record: &csv::ByteRecord,
    layout: &Layout,
    format: &LogFormat,
    log: &mut Log,
    last_offset: &mut Option<Option<i32>>,
    arrival_buf: &mut String,
    line: u64,
) -> Result<Option<Contact>, RowProblem> {
    let cell = |k: usize| -> Result<(usize, &str), RowProblem> {
        let col = layout.cols[k][0];
        Ok((col, text_of(record, col, layout)?))
    };
    let required = |k: usize| -> Result<(usize, &str), RowProblem> {
        let (col, text) = cell(k)?;
        if text.is_empty() {
            return Err((Defect::MissingValue, col, format!("column \"{}\" is empty", layout.headers[col])));
        }
        Ok((col, text))
    };
    let (arrival_col, arrival_text) = arrival_cells(record, layout, arrival_buf)?;
    let (_, type_text) = required(1)?;
    let (outcome_col, outcome_text) = required(2)?;
    let outcome = outcome_of(outcome_text, format).ok_or_else(|| {
        (
            Defect::UnknownOutcome,
            outcome_col,
            format!(
                "outcome \"{outcome_text}\" is not one fit knows: {}. If the word means one of them, map \
                 it with --outcome OUTCOME=WORD; otherwise its rows stay left out",
                Outcome::vocabulary()
            ),
        )
    })?;
    let written = match &format.arrival_format {
        Some(pattern) => pattern.read(arrival_text).map_err(|e| {
            let message =
                format!("\"{arrival_text}\" does not match --arrival-format \"{}\": {e}", pattern.pattern());
            (Defect::BadValue, arrival_col, message)
        })?,
        None => parse_timestamp(arrival_text).ok_or_else(|| {
            let hint = pattern_hint(arrival_text).map_or(String::new(), |h| format!("; {h}"));
            let message = format!(
                "\"{arrival_text}\" is not a timestamp; expected YYYY-MM-DD HH:MM:SS or ISO 8601, or \
                 the pattern given with --arrival-format{hint}"
            );
            (Defect::BadValue, arrival_col, message)
        })?,
    };
    let placed = format.zone.place(written).ok_or_else(|| {
        (
            Defect::NonexistentLocalTime,
            arrival_col,
            format!("\"{arrival_text}\" does not exist on the center's clock (a daylight-saving gap)"),
        )
    })?;
    // A blocked call never queued, and a failed callback's wait was not spent holding: neither
    // wait is read, so neither need be written.
    let wait_may_be_empty = matches!(outcome, Outcome::Blocked | Outcome::CallbackFailed);
    let wait_s = duration_cells(record, layout, 3, wait_may_be_empty)?.map_or(0.0, |d| d.total);
    let (handle_s, empty_parts) = match outcome {
        Outcome::Answered => {
            duration_cells(record, layout, 4, false)?.map_or((0.0, false), |d| (d.total, d.empty_parts))
        }
        _ => (0.0, false),
    };
    // Every cell that can reject the row is read before the row's noted defects are counted.
    let optional = |k: usize| -> Result<Option<&str>, RowProblem> {
        if layout.cols[k].is_empty() {
            return Ok(None);
        }
        Ok(Some(cell(k)?.1).filter(|t| !t.is_empty()))
    };
    let (caller, transferred_to, group) = (optional(6)?, optional(7)?, optional(5)?);
    let mark = mark(record, layout)?;
    if placed.ambiguous {
        log.defects.add(Defect::AmbiguousLocalTime, line);
    }
    if empty_parts {
        log.defects.add(Defect::EmptyPartAsZero, line);
    }
    if written.utc && !format.zone.is_given() {
        log.utc_rows += 1;
    }
    // An offset written on some rows and not on others changes too: `Z` beside a bare clock
    // time may be UTC beside local time.
    if last_offset.is_some_and(|o| o != written.offset) {
        log.defects.add(Defect::OffsetChange, line);
    }
    *last_offset = Some(written.offset);
    if placed.local_secs + wait_s + handle_s > 86_400.0 {
        log.defects.add(Defect::SpansMidnight, line);
    }
    // Judged on the single-precision value the fit is made from.
    if outcome == Outcome::Answered && !super::written_positive(f64::from(handle_s as f32)) {
        log.defects.add(Defect::ZeroHandleTime, line);
    }
    let call_type = intern(&mut log.call_types, type_text);
    let caller = caller.map_or(0, |id| {
        let mut h = std::hash::DefaultHasher::new();
        id.hash(&mut h);
        h.finish().max(1)
    });
    let transferred_to = transferred_to.map_or(u16::MAX, |t| intern(&mut log.call_types, t));
    let group = group.map_or(u16::MAX, |g| intern(&mut log.groups, g));
    Ok(Some(Contact {
        instant: placed.instant,
        local_day: placed.local_day,
        local_secs: placed.local_secs as f32,
        wait_s: wait_s as f32,
        handle_s: handle_s as f32,
        caller,
        call_type,
        transferred_to,
        group,
        outcome,
        mark,
    }))
}

/// The arrival's text: its cell, or its date's and time's cells joined with a space
/// (`--column arrival=Date+Time`), in `buf`, which every row reuses.
fn arrival_cells<'b>(
    record: &csv::ByteRecord,
    layout: &Layout,
    buf: &'b mut String,
) -> Result<(usize, &'b str), RowProblem> {
    buf.clear();
    for &col in &layout.cols[0] {
        let text = text_of(record, col, layout)?;
        if text.is_empty() {
            return Err((Defect::MissingValue, col, format!("column \"{}\" is empty", layout.headers[col])));
        }
        if !buf.is_empty() {
            buf.push(' ');
        }
        buf.push_str(text);
    }
    Ok((layout.cols[0][0], buf))
}

/// A trace row's `callback` and `initial_backlog` cells (`true` or `false`; empty is `false`).
fn mark(record: &csv::ByteRecord, layout: &Layout) -> Result<Mark, RowProblem> {
    let flag = |col: Option<usize>| -> Result<bool, RowProblem> {
        let Some(col) = col else { return Ok(false) };
        match text_of(record, col, layout)? {
            "true" => Ok(true),
            "false" | "" => Ok(false),
            other => Err((
                Defect::BadValue,
                col,
                format!("column \"{}\" is \"{other}\", expected true or false", layout.headers[col]),
            )),
        }
    };
    match (flag(layout.callback)?, flag(layout.initial_backlog)?) {
        (false, false) => Ok(Mark::None),
        (true, false) => Ok(Mark::Callback),
        (false, true) => Ok(Mark::InitialBacklog),
        // ccsim offers callbacks on the phone and a backlog on email only.
        (true, true) => Err((
            Defect::BadValue,
            layout.callback.unwrap_or_default(),
            "a contact cannot be both a callback and part of the initial backlog".to_string(),
        )),
    }
}

fn outcome_of(text: &str, format: &LogFormat) -> Option<Outcome> {
    if let Some((o, _)) = format.outcome_words.iter().find(|(_, w)| w.eq_ignore_ascii_case(text)) {
        return Some(*o);
    }
    Outcome::ALL.into_iter().find(|o| o.name().eq_ignore_ascii_case(text))
}

/// Stops at the first row that brings the distinct call types or groups past what a scenario
/// may have: most often a column mapped by mistake (caller ids as call types), which would
/// otherwise build a table of every name against every interval.
fn too_many_names(path: &Path, line: u64, layout: &Layout, log: &Log) -> Result<(), BadInput> {
    use crate::limits::{MAX_AGENT_GROUPS, MAX_CALL_TYPES};
    for (names, k, what, cap, cap_name) in [
        (&log.call_types, 1, "call types", MAX_CALL_TYPES, "MAX_CALL_TYPES"),
        (&log.groups, 5, "agent groups", MAX_AGENT_GROUPS, "MAX_AGENT_GROUPS"),
    ] {
        if names.len() > cap {
            let column = layout.cols[k].first().map_or("?", |&c| layout.headers[c].as_str());
            return Err(BadInput(format!(
                "{}:{line}: more than {cap} distinct {what} by this row (column \"{column}\"), the cap \
                 of a scenario ({cap_name}): is that the column of the {what}? (map it with --column)",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Stops at the row that brings a call type or group name no scenario may have (too long,
/// holding a line break or another control character, or a call type named like the pooled
/// rows), `--strict` or not: the name would be
/// written into every output, and a line break in it splits a CSV header or a table row. Only
/// names first met on this row are checked (`known` holds the counts before it).
fn unusable_names(
    path: &Path,
    record: &csv::ByteRecord,
    line: u64,
    layout: &Layout,
    log: &Log,
    known: (usize, usize),
) -> Result<(), ReadError> {
    // A new call type comes from the call-type column or, failing that, from `transferred_to`.
    let is_cell = |k: usize, name: &str| {
        layout.cols[k]
            .first()
            .is_some_and(|&c| std::str::from_utf8(&record[c]).is_ok_and(|t| t.trim() == name))
    };
    type Check = fn(&str) -> Result<(), String>;
    let new_types = log.call_types[known.0..].iter().map(|n| {
        let k = if is_cell(1, n) { 1 } else { 7 };
        (n, "call type", k, crate::report::check_call_type_name as Check)
    });
    let new_groups =
        log.groups[known.1..].iter().map(|n| (n, "agent group", 5, crate::limits::check_name as Check));
    for (name, what, k, check) in new_types.chain(new_groups) {
        let Err(message) = check(name) else { continue };
        let col = layout.cols[k][0];
        let error = ScenarioError {
            file: path.to_path_buf(),
            line: Some(line as usize),
            col: Some(col + 1),
            field: format!("column \"{}\"", layout.headers[col]),
            message: format!("{what} name {message}"),
        };
        return Err(crate::error::ScenarioErrors(vec![error]).into());
    }
    Ok(())
}

fn intern(names: &mut Vec<String>, name: &str) -> u16 {
    match names.iter().position(|n| n == name) {
        Some(i) => i as u16,
        None => {
            names.push(name.to_string());
            (names.len() - 1) as u16
        }
    }
}

/// Whether a row's cells are the header's names, as the header was read.
fn is_header(record: &csv::ByteRecord, headers: &[String]) -> bool {
    record.iter().zip(headers).all(|(cell, name)| {
        std::str::from_utf8(cell).is_ok_and(|c| c.trim().trim_start_matches('\u{feff}') == name)
    })
}

fn row_hash(record: &csv::ByteRecord) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for field in record {
        field.hash(&mut h);
    }
    h.finish()
}

fn reject(
    log: &mut Log,
    format: &LogFormat,
    kind: Defect,
    line: u64,
    col: Option<usize>,
    message: &str,
) -> Result<(), ReadError> {
    if format.strict {
        let error = ScenarioError {
            file: log.file.clone(),
            line: Some(line as usize),
            col,
            field: kind.name().to_string(),
            message: format!("{message} (--strict rejects every defective row)"),
        };
        return Err(crate::error::ScenarioErrors(vec![error]).into());
    }
    log.defects.add_rejected(kind, line, message);
    Ok(())
}

/// Parses `--outcome answered=ANS` (several words: `answered=ANS,CONNECTED`).
///
/// # Errors
/// An outcome fit does not know ([`Outcome::ALL`]).
pub fn parse_outcome_flag(text: &str) -> Result<Vec<(Outcome, String)>, BadInput> {
    let (name, words) = text
        .split_once('=')
        .ok_or_else(|| BadInput(format!("--outcome {text}: expected OUTCOME=WORD, e.g. answered=ANS")))?;
    let name = name.trim();
    let Some(outcome) = Outcome::ALL.into_iter().find(|o| o.name() == name) else {
        return Err(BadInput(format!(
            "--outcome {text}: unknown outcome \"{name}\"; allowed: {}",
            Outcome::vocabulary()
        )));
    };
    Ok(words.split(',').map(|w| (outcome, w.trim().to_string())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_seconds_or_clock_readings() {
        assert_eq!(parse_seconds("12.5"), Some(12.5));
        assert_eq!(parse_seconds("01:02:03"), Some(3723.0));
        assert_eq!(parse_seconds("02:03"), Some(123.0));
        assert_eq!(parse_seconds("-00:05"), Some(-5.0));
        assert_eq!(parse_seconds("1:75"), None);
        assert_eq!(parse_seconds("abc"), None);
    }
}
