//! The header row of a call log: the field separator, that the file is text, and which
//! columns hold what (`--column` maps an export's own names).

use std::path::Path;

use super::log::LogFormat;
use crate::error::BadInput;
use crate::report::trace::{TRACE_COLUMNS, TRACE_COLUMNS_BEFORE_MARKS};

/// The log's columns ccsim knows, by their default header names.
pub const COLUMNS: [&str; 8] =
    ["arrival", "call_type", "outcome", "wait_s", "handle_s", "group", "caller_id", "transferred_to"];
/// The first `REQUIRED` of [`COLUMNS`] must be in every log.
pub(super) const REQUIRED: usize = 5;

/// Column positions in the file, per known column.
pub(super) struct Layout {
    pub(super) cols: [Vec<usize>; COLUMNS.len()],
    pub(super) headers: Vec<String>,
    /// Durations may be written with a decimal comma (`12,5`): the fields are not separated
    /// by commas, as in the exports of spreadsheets set to a European locale.
    pub(super) decimal_comma: bool,
    /// Units a second of the durations written as numbers (`--duration-unit`).
    pub(super) units_per_second: f64,
    /// A trace's `callback` and `initial_backlog` columns, when it has them.
    pub(super) callback: Option<usize>,
    pub(super) initial_backlog: Option<usize>,
}

/// The field separator of a log: whichever of `,`, `;` and tab its first line holds most of
/// (`,` when it holds none), so that an export from a spreadsheet set to a European locale
/// (`;`-separated) or a tab-separated one reads as it is.
pub(super) fn separator(start: &[u8]) -> u8 {
    let first_line = start.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |s: u8| first_line.iter().filter(|&&b| b == s).count();
    [b';', b'\t'].into_iter().filter(|&s| count(s) > count(b',')).max_by_key(|&s| count(s)).unwrap_or(b',')
}

/// Refuses a file whose first line is not a CSV header in UTF-8 text, with what it is
/// instead: empty, UTF-16 (what spreadsheets save as "Unicode text"), or not text at all.
pub(super) fn header_is_text(path: &Path, headers: &csv::ByteRecord) -> Result<(), BadInput> {
    let at = path.display();
    let bytes: Vec<u8> = headers.iter().flatten().copied().collect();
    if headers.iter().all(<[u8]>::is_empty) {
        return Err(BadInput(format!(
            "{at}: the file is empty; a call log is a CSV file whose header row names at least the columns {}",
            COLUMNS[..REQUIRED].join(", ")
        )));
    }
    // Spreadsheets write UTF-16 with a byte-order mark; without one it has zero bytes, which
    // the test below refuses as not text.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(BadInput(format!(
            "{at}:1: the file is UTF-16 text; save or export it as CSV in UTF-8 (\"CSV UTF-8\")"
        )));
    }
    let text = std::str::from_utf8(&bytes).ok();
    if text.is_none_or(|t| t.chars().any(|c| c.is_control() && c != '\t')) {
        return Err(BadInput(format!(
            "{at}:1: the header row is not text (not UTF-8, or control characters): export the call log as CSV in UTF-8"
        )));
    }
    Ok(())
}

/// Which columns of the header hold what: the defaults, or the names `--column` gives.
pub(super) fn layout(
    path: &Path,
    headers: &[String],
    format: &LogFormat,
    separator: u8,
) -> Result<Layout, BadInput> {
    let mut cols: [Vec<usize>; COLUMNS.len()] = Default::default();
    // Exports differ in case (`Arrival`, `CALL_TYPE`): a name matches its header exactly or, failing
    // that, the one header equal to it but for case and surrounding spaces.
    let find = |name: &str| {
        headers.iter().position(|h| h == name).or_else(|| {
            let alike: Vec<usize> =
                (0..headers.len()).filter(|&i| headers[i].eq_ignore_ascii_case(name.trim())).collect();
            (alike.len() == 1).then(|| alike[0])
        })
    };
    let trace = is_trace(headers);
    for (k, default) in COLUMNS.iter().enumerate() {
        let names: Vec<String> = match format.columns.iter().find(|(c, _)| c == default) {
            Some((_, names)) => names.clone(),
            None => vec![trace.then(|| trace_name(default)).flatten().unwrap_or(default).to_string()],
        };
        let mapped = format.columns.iter().any(|(c, _)| c == default);
        for name in &names {
            match find(name) {
                Some(i) => cols[k].push(i),
                None if k < REQUIRED || mapped => {
                    let split = (k == 0 && !mapped).then(|| date_and_time_columns(headers)).flatten();
                    let hint = split.map_or(String::new(), |(date, time)| {
                        format!(", or, for a date and a time of day in two columns, --column arrival={date}+{time}")
                    });
                    return Err(BadInput(format!(
                        "{}:1: no column \"{name}\" for {default} (columns: {}); name it with --column \
                         {default}=HEADER{hint}",
                        path.display(),
                        headers.join(", ")
                    )));
                }
                None => {}
            }
        }
        // A handle time may be the sum of its parts; an arrival may be a date and a time of day
        // written in two columns.
        let most = match k {
            0 => 2,
            4 => usize::MAX,
            _ => 1,
        };
        if cols[k].len() > most {
            return Err(BadInput(format!(
                "--column {default}={}: only handle_s may sum several columns, and arrival may join \
                 two (a date and a time of day: arrival=DATE+TIME)",
                names.join("+")
            )));
        }
    }
    // A column read by its name would be read from its first place and the other ignored
    // without a word; a repeated column nothing reads stays as harmless as any other.
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    let read = |i: usize| cols.iter().flatten().any(|&c| headers[c] == headers[i]);
    if let Some((first, again)) =
        crate::scenario::repeated_columns(&names).into_iter().find(|&(f, _)| read(f))
    {
        return Err(BadInput(format!(
            "{}:1:{}: column \"{}\" is named twice in the header (columns {} and {}); each column \
             ccsim reads appears once: rename or remove one (or map another with --column)",
            path.display(),
            again + 1,
            headers[again],
            first + 1,
            again + 1
        )));
    }
    // Read only from a trace: an export's own `callback` column may mean anything.
    let mark = |name: &str| trace.then(|| headers.iter().position(|h| h == name)).flatten();
    Ok(Layout {
        cols,
        headers: headers.to_vec(),
        decimal_comma: separator != b',',
        units_per_second: format.duration_unit.per_second(),
        callback: mark("callback"),
        initial_backlog: mark("initial_backlog"),
    })
}

/// The one header that names a date and the one that names a time of day (`Date`, `Call Date`;
/// `Time`, `Start Time`), when the header has exactly one of each: a likely split arrival.
/// Durations named "... Time" (`Wait Time`, `Talk Time`) are not times of day.
fn date_and_time_columns(headers: &[String]) -> Option<(&str, &str)> {
    const DURATIONS: [&str; 8] = ["wait", "talk", "hold", "handle", "queue", "ring", "wrap", "after"];
    let only = |keep: &dyn Fn(&str) -> bool| -> Option<&str> {
        let found: Vec<&str> =
            headers.iter().map(String::as_str).filter(|h| keep(&h.to_ascii_lowercase())).collect();
        (found.len() == 1).then(|| found[0])
    };
    let date = only(&|h| h.contains("date") && !h.contains("time"))?;
    let time = only(&|h| {
        h.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "time")
            && !h.contains("date")
            && !DURATIONS.iter().any(|d| h.contains(d))
    })?;
    Some((date, time))
}

/// Whether the header is that of `ccsim simulate --trace` (every column a trace has had from the
/// start, exactly named, so that traces written before `callback` and `initial_backlog` are
/// known too): ccsim reads its own trace without `--column`, and only a header holding all of
/// those columns is taken for one, so that an export's own `timestamp` is never read as the
/// arrival.
fn is_trace(headers: &[String]) -> bool {
    TRACE_COLUMNS[..TRACE_COLUMNS_BEFORE_MARKS].iter().all(|name| headers.iter().any(|h| h == name))
}

/// The trace's own name of a column whose default name it does not use: its arrival is
/// `timestamp` (`arrival_s` is seconds from day 1, not a date and time), its handle time
/// `handle_time_s`.
fn trace_name(column: &str) -> Option<&'static str> {
    match column {
        "arrival" => Some("timestamp"),
        "handle_s" => Some("handle_time_s"),
        _ => None,
    }
}

/// Parses `--column name=HEADER` (`handle_s=talk+hold+acw` sums columns, `arrival=date+time`
/// joins a date and a time of day).
///
/// # Errors
/// An unknown column name or a missing `=`.
pub fn parse_column_flag(text: &str) -> Result<(String, Vec<String>), BadInput> {
    let (name, header) = text
        .split_once('=')
        .ok_or_else(|| BadInput(format!("--column {text}: expected NAME=HEADER, e.g. arrival=StartTime")))?;
    let name = name.trim();
    if !COLUMNS.contains(&name) {
        return Err(BadInput(format!(
            "--column {text}: unknown column \"{name}\"; allowed: {}",
            COLUMNS.join(", ")
        )));
    }
    Ok((name.to_string(), header.split('+').map(|h| h.trim().to_string()).collect()))
}
