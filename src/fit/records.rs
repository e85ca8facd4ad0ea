//! The call log's bytes on their way to the CSV reader, followed record by record: every record
//! is bounded by [`MAX_ROW_BYTES`], and every quoted field must close.
//!
//! The csv crate ends a quoted field that never closes at the end of the file without a word,
//! so one stray quote would turn every later row into part of one cell. It also grows a record
//! without bound, so a file that never ends a record (`/dev/zero`, a binary file, a quote
//! opened early in a large log) would be read until memory runs out. [`Guarded`] follows the
//! csv crate's own quoting rules (a field that starts with `"` is quoted up to a `"` not
//! followed by another; `""` inside it is one quote; a quote anywhere else is text) and stops
//! at the first record that breaks either bound, naming the line where it began. It checks and
//! never changes a byte: what the CSV reader parses is the file as it is.
//!
//! It also tells the line a record begins on ([`Guarded::line_of_record`]). The csv crate
//! places a record where it starts looking for it: after a `\r\n` that is at the `\n` it has
//! not yet read, and before any blank lines it skips, so its line is one too low in every file
//! with Windows line endings (and after each blank line).

use std::collections::VecDeque;
use std::fmt;
use std::io::Read;

/// Longest record of a call log (a row, with any line breaks inside its quoted fields): far
/// past any real row, and a bound on what one record holds in memory.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// A record the log cannot have, with where it began.
#[derive(Debug)]
pub struct Problem {
    /// 1-based line of the quote that opened the field, or of the row's start.
    pub line: u64,
    /// 0-based field of the row where the quoted field opened (`None` for a row too long).
    pub field: Option<usize>,
    pub kind: ProblemKind,
}

/// What is wrong with a record.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A quoted field still open at the end of the file.
    Unterminated,
    /// A quoted field running on across line breaks until its record is past
    /// [`MAX_ROW_BYTES`] (still open, or closed by a quote meant for a later row).
    QuotedTooLong,
    /// A row longer than [`MAX_ROW_BYTES`] outside any quoted field.
    RowTooLong,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cap = MAX_ROW_BYTES >> 20;
        let close = "end a quoted field with a quote, and write a quote inside one as two (\"\")";
        match self.kind {
            ProblemKind::Unterminated => write!(
                f,
                "the quoted field that opens here has no closing quote before the end of the file, \
                 so it would hold every later row as its text; {close}"
            ),
            ProblemKind::QuotedTooLong => write!(
                f,
                "the quoted field that opens here runs on across line breaks past {cap} MiB \
                 (MAX_ROW_BYTES), taking later rows into its text: its closing quote is missing; {close}"
            ),
            ProblemKind::RowTooLong => write!(
                f,
                "the row that starts here is longer than {cap} MiB (MAX_ROW_BYTES), far past any \
                 call's row; not a CSV call log"
            ),
        }
    }
}

impl std::error::Error for Problem {}

impl Problem {
    /// The problem carried by a CSV reading error, if that is what stopped it.
    pub fn of(error: &csv::Error) -> Option<&Problem> {
        match error.kind() {
            csv::ErrorKind::Io(e) => e.get_ref()?.downcast_ref::<Problem>(),
            _ => None,
        }
    }
}

/// Where the reader is in the CSV grammar.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a field (or of a record).
    FieldStart,
    /// Inside a field that did not start with a quote: quotes are text.
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: another quote makes it one quote of text,
    /// anything else closes the field.
    QuoteInQuoted,
}

/// A reader that hands on the log's bytes unchanged, and fails (with a [`Problem`] inside the
/// I/O error) at the first record too long or quoted field left open.
pub struct Guarded<R> {
    inner: R,
    separator: u8,
    state: State,
    /// The line being read (lines end at `\n`, as the CSV reader counts them).
    line: u64,
    /// Where the record under way began, and its length so far.
    record_line: u64,
    record_bytes: usize,
    /// The record's field under way, and where its quoted field (if open) began.
    field: usize,
    quote_opened: (u64, usize),
    /// The record's first quoted field that held a line break, where it opened.
    spanning: Option<(u64, usize)>,
    /// A problem found after bytes before it were handed on: returned by the next read, so the
    /// rows before it are read (and their defects counted) first.
    pending: Option<Problem>,
    /// Bytes handed on before this read.
    offset: u64,
    /// The runs of line ends outside quoted fields (between records) not yet passed by the CSV
    /// reader, oldest first: bounded by how far this reader runs ahead of it (its buffer).
    gaps: VecDeque<Gap>,
}

/// A run of line ends between two records: `\n`, `\r\n`, or blank lines.
#[derive(Copy, Clone, Debug)]
struct Gap {
    start: u64,
    end: u64,
    /// How many `\n` it holds, and whether its first and second bytes are one.
    newlines: u64,
    first_two: [bool; 2],
}

impl<R: Read> Guarded<R> {
    /// Follows `inner`, a CSV file whose fields are separated by `separator`.
    pub fn new(inner: R, separator: u8) -> Guarded<R> {
        Guarded {
            inner,
            separator,
            state: State::FieldStart,
            line: 1,
            record_line: 1,
            record_bytes: 0,
            field: 0,
            quote_opened: (1, 0),
            spanning: None,
            pending: None,
            offset: 0,
            gaps: VecDeque::new(),
        }
    }

    /// The 1-based line on which the record the CSV reader placed at `byte`, on line
    /// `csv_line` (its [`csv::Position`]), begins: the line ends it had yet to pass there are
    /// counted. Positions must come in file order; the gaps before `byte` are forgotten.
    pub fn line_of_record(&mut self, byte: u64, csv_line: u64) -> u64 {
        while self.gaps.front().is_some_and(|g| g.end <= byte) {
            self.gaps.pop_front();
        }
        let Some(gap) = self.gaps.front().filter(|g| g.start <= byte) else { return csv_line };
        // The reader stops inside a gap only just past the byte that ended the record before.
        let passed = match byte - gap.start {
            0 => 0,
            1 => u64::from(gap.first_two[0]),
            2 => u64::from(gap.first_two[0]) + u64::from(gap.first_two[1]),
            _ => return csv_line,
        };
        csv_line + gap.newlines - passed
    }

    /// Notes the line end at `at`, outside any quoted field.
    fn line_end(&mut self, at: u64, newline: bool) {
        match self.gaps.back_mut() {
            Some(gap) if gap.end == at => {
                if at - gap.start == 1 {
                    gap.first_two[1] = newline;
                }
                gap.end += 1;
                gap.newlines += u64::from(newline);
            }
            _ => self.gaps.push_back(Gap {
                start: at,
                end: at + 1,
                newlines: u64::from(newline),
                first_two: [newline, false],
            }),
        }
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(problem) = self.pending.take() {
            return Err(invalid(problem));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            if buf.is_empty() || self.state != State::Quoted {
                return Ok(0);
            }
            let (line, field) = self.quote_opened;
            return Err(invalid(Problem { line, field: Some(field), kind: ProblemKind::Unterminated }));
        }
        // Where in `buf` the record under way began (0 when it began before this read).
        let mut record_start = 0;
        for (i, &b) in buf[..n].iter().enumerate() {
            self.line += u64::from(b == b'\n');
            let ends_record = match self.state {
                State::FieldStart if b == b'"' => {
                    self.state = State::Quoted;
                    self.quote_opened = (self.line, self.field);
                    false
                }
                State::Quoted => {
                    if b == b'"' {
                        self.state = State::QuoteInQuoted;
                    } else if b == b'\n' && self.spanning.is_none() {
                        self.spanning = Some(self.quote_opened);
                    }
                    false
                }
                State::QuoteInQuoted if b == b'"' => {
                    self.state = State::Quoted;
                    false
                }
                // Outside quotes (a field's start, its text, or just after its closing quote)
                // the separator and the ends of line are what they say; other bytes are text.
                _ => {
                    if b == self.separator {
                        self.state = State::FieldStart;
                        self.field += 1;
                        false
                    } else if b == b'\n' || b == b'\r' {
                        self.state = State::FieldStart;
                        true
                    } else {
                        self.state = State::Unquoted;
                        false
                    }
                }
            };
            if ends_record {
                self.line_end(self.offset + i as u64, b == b'\n');
                // A record that began in an earlier read is measured whole as it ends.
                if self.record_bytes + (i - record_start) > MAX_ROW_BYTES {
                    return self.refuse(record_start);
                }
                self.record_line = self.line;
                self.record_bytes = 0;
                self.field = 0;
                self.spanning = None;
                record_start = i + 1;
            }
        }
        self.record_bytes += n - record_start;
        if self.record_bytes > MAX_ROW_BYTES {
            return self.refuse(record_start);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl<R> Guarded<R> {
    /// Refuses the record under way, too long, which began at `record_start` in the bytes just
    /// read: those before it are handed on first.
    fn refuse(&mut self, record_start: usize) -> std::io::Result<usize> {
        // A quoted field that ran on across lines is where the record went wrong, even when a
        // quote meant for a later row closed it.
        let problem = match self.spanning {
            Some((line, field)) => Problem { line, field: Some(field), kind: ProblemKind::QuotedTooLong },
            None => Problem { line: self.record_line, field: None, kind: ProblemKind::RowTooLong },
        };
        if record_start == 0 {
            return Err(invalid(problem));
        }
        self.pending = Some(problem);
        self.offset += record_start as u64;
        Ok(record_start)
    }
}

fn invalid(problem: Problem) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` through a [`Guarded`] in chunks of `chunk` bytes: the bytes read, or the
    /// problem.
    fn read(text: &[u8], chunk: usize) -> Result<Vec<u8>, (u64, Option<usize>, ProblemKind)> {
        let mut guarded = Guarded::new(text, b',');
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            match guarded.read(&mut buf) {
                Ok(0) => return Ok(out),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => {
                    let p = e.get_ref().and_then(|e| e.downcast_ref::<Problem>()).expect("a problem");
                    return Err((p.line, p.field, p.kind));
                }
            }
        }
    }

    /// The lines of each record as an editor numbers them, through the csv crate as `fit` reads
    /// the log, with small buffers on both sides so that the record positions run behind.
    fn record_lines(text: &[u8], chunk: usize) -> Vec<u64> {
        struct Chunked<'a>(&'a [u8], usize);
        impl Read for Chunked<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(chunk.max(2))
            .from_reader(Guarded::new(Chunked(text, chunk), b','));
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let p = record.position().unwrap();
            lines.push(reader.get_mut().line_of_record(p.byte(), p.line()));
        }
        lines
    }

    #[test]
    fn records_begin_on_their_lines_whatever_the_line_endings() {
        let unix = b"h,i\na,1\n\"q\nr\",2\nb,3\n\n\nc,4\n".to_vec();
        let windows = String::from_utf8(unix.clone()).unwrap().replace('\n', "\r\n").into_bytes();
        let old_mac = String::from_utf8(unix.clone()).unwrap().replace('\n', "\r").into_bytes();
        for chunk in [1, 2, 3, 7, 64] {
            assert_eq!(record_lines(&unix, chunk), [1, 2, 3, 5, 8], "\\n, chunk {chunk}");
            assert_eq!(record_lines(&windows, chunk), [1, 2, 3, 5, 8], "\\r\\n, chunk {chunk}");
            // Lines end at `\n` only (as the CSV reader counts them): a file with `\r` alone is
            // one line.
            assert_eq!(record_lines(&old_mac, chunk), [1, 1, 1, 1, 1], "\\r, chunk {chunk}");
        }
    }

    #[test]
    fn quoted_fields_that_close_pass_unchanged_in_any_chunks() {
        let text = b"a,b,c\n1,\"x, \"\"y\"\"\nz\",3\r\n\"\"\"\",\"\",q\"r\n\"a\"b,2,3";
        for chunk in [1, 2, 3, 7, 64] {
            assert_eq!(read(text, chunk).as_deref(), Ok(&text[..]), "chunk {chunk}");
        }
    }

    #[test]
    fn a_quote_left_open_is_found_at_the_line_and_field_it_opened() {
        let text = b"a,b,c\n1,2,3\n4,\"five\n6,7,8\n9,10,11\n";
        for chunk in [1, 5, 64] {
            assert_eq!(read(text, chunk), Err((3, Some(1), ProblemKind::Unterminated)), "chunk {chunk}");
        }
        // A quote inside an unquoted field is text, and a doubled quote is one quote of text:
        // neither opens a field.
        assert!(read(b"a,b\nx\"y,2\n\"p\"\"\",3\n", 4).is_ok());
        // After a closed quoted field's text goes on unquoted, so a later quote is text too.
        assert!(read(b"a,b\n\"p\"q\"r,3\n", 4).is_ok());
    }

    #[test]
    fn a_record_past_the_cap_is_refused_whether_quoted_or_not() {
        let mut long = b"a,b\n1,2\n3,".to_vec();
        long.extend(std::iter::repeat_n(b'x', MAX_ROW_BYTES + 10));
        long.extend_from_slice(b"\n5,6\n");
        assert_eq!(read(&long, 1 << 16), Err((3, None, ProblemKind::RowTooLong)));
        // Line breaks inside a quoted field do not end its record.
        let mut quoted = b"a,b\n1,2\n3,\"".to_vec();
        quoted.extend(std::iter::repeat_n(b"x\n".as_slice(), MAX_ROW_BYTES / 2 + 10).flatten());
        assert_eq!(read(&quoted, 1 << 16), Err((3, Some(1), ProblemKind::QuotedTooLong)));
        // A quote meant for a later row closes it there: the record is still refused at the
        // quote that ran on, not at a row too long.
        quoted.extend_from_slice(b"7,\"late\"\n8,9\n");
        assert_eq!(read(&quoted, 4 << 20), Err((3, Some(1), ProblemKind::QuotedTooLong)));
        // Many short rows are no long record.
        let rows: Vec<u8> =
            std::iter::repeat_n(b"1,2\n".as_slice(), MAX_ROW_BYTES).flatten().copied().collect();
        assert!(read(&rows, 1 << 16).is_ok());
    }
}
