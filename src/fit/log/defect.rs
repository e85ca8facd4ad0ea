//! What can be wrong with a row of a call log, and the tally of every defect seen: nothing
//! is dropped without being counted, and the first line numbers of each kind are kept for the
//! report.

/// What can be wrong with a row. The order is the report's.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Defect {
    /// A row whose cells do not match the header (or is not CSV).
    MalformedRow,
    /// The same row as an earlier one, cell for cell.
    DuplicateRow,
    /// The header row again (logs joined one after another).
    RepeatedHeader,
    /// A required cell is empty.
    MissingValue,
    /// A time or duration that is negative.
    NegativeValue,
    /// A cell that is not a timestamp or duration, a duration over 30 days, or not UTF-8 text.
    BadValue,
    /// An outcome word not mapped to answered, abandoned or blocked.
    UnknownOutcome,
    /// A local time in a daylight-saving gap (it never happened on the center's clock).
    NonexistentLocalTime,
    /// Kept: the local time occurs twice (daylight-saving fold); the earlier one is taken.
    AmbiguousLocalTime,
    /// Kept: the contact ends after midnight of its arrival date; it counts on its arrival date.
    SpansMidnight,
    /// Kept: the UTC offset written in the timestamps changed (a daylight-saving change), or
    /// is written on some rows and not on others.
    OffsetChange,
    /// Kept for volumes, left out of handle-time fitting: an answered call with 0 s handle time
    /// (under half a millisecond, 0 s as written).
    ZeroHandleTime,
    /// Kept: a handle time summed from several columns with some of them empty, read as 0 s
    /// (exports leave hold or after-call work empty on calls that had none).
    EmptyPartAsZero,
}

impl Defect {
    /// Every kind, in report order.
    pub const ALL: [Defect; 13] = [
        Defect::MalformedRow,
        Defect::DuplicateRow,
        Defect::RepeatedHeader,
        Defect::MissingValue,
        Defect::NegativeValue,
        Defect::BadValue,
        Defect::UnknownOutcome,
        Defect::NonexistentLocalTime,
        Defect::AmbiguousLocalTime,
        Defect::SpansMidnight,
        Defect::OffsetChange,
        Defect::ZeroHandleTime,
        Defect::EmptyPartAsZero,
    ];

    /// The key in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Defect::MalformedRow => "malformed_row",
            Defect::DuplicateRow => "duplicate_row",
            Defect::RepeatedHeader => "repeated_header",
            Defect::MissingValue => "missing_value",
            Defect::NegativeValue => "negative_value",
            Defect::BadValue => "bad_value",
            Defect::UnknownOutcome => "unknown_outcome",
            Defect::NonexistentLocalTime => "nonexistent_local_time",
            Defect::AmbiguousLocalTime => "ambiguous_local_time",
            Defect::SpansMidnight => "spans_midnight",
            Defect::OffsetChange => "offset_change",
            Defect::ZeroHandleTime => "zero_handle_time",
            Defect::EmptyPartAsZero => "empty_part_as_zero",
        }
    }

    /// A rejected row is left out of every estimate; a noted one is kept.
    pub fn rejects(self) -> bool {
        !matches!(
            self,
            Defect::AmbiguousLocalTime
                | Defect::SpansMidnight
                | Defect::OffsetChange
                | Defect::ZeroHandleTime
                | Defect::EmptyPartAsZero
        )
    }
}

/// How many rows had each defect, and where the first few were.
#[derive(Clone, Debug, Default)]
pub struct Defects {
    counts: [u64; Defect::ALL.len()],
    first_lines: [Vec<u64>; Defect::ALL.len()],
    /// Why the first row of each rejecting kind was rejected, for the report.
    first_reasons: [Option<String>; Defect::ALL.len()],
}

/// How many line numbers are kept per kind.
pub const FIRST_LINES: usize = 5;

impl Defects {
    pub(super) fn add(&mut self, kind: Defect, line: u64) {
        let k = kind as usize;
        self.counts[k] += 1;
        if self.first_lines[k].len() < FIRST_LINES {
            self.first_lines[k].push(line);
        }
    }

    /// Counts a rejected row, keeping the first reason given for its kind.
    pub(super) fn add_rejected(&mut self, kind: Defect, line: u64, reason: &str) {
        self.add(kind, line);
        self.first_reasons[kind as usize].get_or_insert_with(|| reason.to_string());
    }

    /// Kinds seen, with their count and first line numbers, in report order.
    pub fn seen(&self) -> impl Iterator<Item = (Defect, u64, &[u64])> {
        Defect::ALL
            .into_iter()
            .filter(|d| self.counts[*d as usize] > 0)
            .map(|d| (d, self.counts[d as usize], self.first_lines[d as usize].as_slice()))
    }

    /// Why the first row of a rejecting kind was rejected (`None` for a kind not seen, or kept).
    pub fn first_reason(&self, kind: Defect) -> Option<&str> {
        self.first_reasons[kind as usize].as_deref()
    }

    /// Rows left out.
    pub fn rejected(&self) -> u64 {
        self.seen().filter(|(d, ..)| d.rejects()).map(|(_, n, _)| n).sum()
    }
}
