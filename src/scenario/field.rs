//! Where a problem is: field paths, their line and column in a TOML file, and the sink that
//! collects every problem of one pass.
//!
//! A [`FieldPath`] is built while reading and validating (`call_types.billing.handle_time.mean`);
//! the same path, followed through toml's spanned document tree, gives the line and column, so
//! neither stage has to carry spans in its own types. A path that runs past what the file holds
//! (a missing key) resolves to the deepest table that exists.

use std::cell::{Cell, OnceCell};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::ScenarioError;

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A key of a table.
    Key(String),
    /// An element of an array, shown as `[i]`.
    Index(usize),
    /// An element of an array of named tables, shown by its name.
    Named(usize, String),
}

/// The dotted path of a field, e.g. `agent_groups.night.skills[2]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The path of the document root.
    pub fn root() -> FieldPath {
        FieldPath(Vec::new())
    }
    /// This path followed by a key.
    pub fn key(&self, key: &str) -> FieldPath {
        self.with(Seg::Key(key.to_string()))
    }
    /// This path followed by an array index.
    pub fn index(&self, idx: usize) -> FieldPath {
        self.with(Seg::Index(idx))
    }
    /// This path followed by an array element shown by its name (or its index when unnamed, or
    /// when the name is not one a path can show: too long, or holding a line break).
    pub fn named(&self, idx: usize, name: Option<&str>) -> FieldPath {
        match name {
            Some(n) if !n.is_empty() && crate::limits::check_name(n).is_ok() => {
                self.with(Seg::Named(idx, n.to_string()))
            }
            _ => self.with(Seg::Index(idx)),
        }
    }
    fn with(&self, seg: Seg) -> FieldPath {
        let mut segs = self.0.clone();
        segs.push(seg);
        FieldPath(segs)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) | Seg::Named(_, k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) | Seg::Named(_, k) => write!(f, ".{k}")?,
                Seg::Index(idx) => write!(f, "[{idx}]")?,
            }
        }
        Ok(())
    }
}

/// Collects located problems: errors (the file is rejected) and warnings.
pub trait Sink {
    /// A located error value for `path` (without recording it).
    fn located(&self, path: &FieldPath, message: String) -> ScenarioError;
    /// Where problems go.
    fn problems(&mut self) -> &mut Problems;

    /// Records an error at `path`, unless that field, at that place, has one already: a value
    /// refused while reading is checked again as empty (`start = 9` is also no clock time), a
    /// missing list again as empty, and the second error would only repeat the first.
    fn error(&mut self, path: &FieldPath, message: String) {
        let e = self.located(path, message);
        let place = (e.file.clone(), e.line, e.col, e.field.clone());
        if self.problems().places_in_error.insert(place) {
            self.problems().errors.push(e);
        }
    }
    /// Records a warning at `path`.
    fn warn(&mut self, path: &FieldPath, message: String) {
        let e = self.located(path, message);
        self.problems().warnings.push(e);
    }
    /// Records an error located in another file (a CSV the scenario refers to).
    fn external(&mut self, error: ScenarioError) {
        self.problems().errors.push(error);
    }
    /// Records that the field at `path` names `file`, which is read.
    fn reads(&mut self, path: &FieldPath, file: &Path) {
        self.problems().files_read.push((path.to_string(), file.to_path_buf()));
    }
}

/// Errors and warnings found so far.
#[derive(Debug, Default)]
pub struct Problems {
    /// Reasons to reject the input.
    pub errors: Vec<ScenarioError>,
    /// Things worth a look that do not stop a run.
    pub warnings: Vec<ScenarioError>,
    /// The files the document names and that were read (forecasts, observed durations): the
    /// field naming each, and its path as resolved. Outputs must not replace them.
    pub files_read: Vec<(String, PathBuf)>,
    /// (file, line, column, field) of every error: one error a place.
    places_in_error: std::collections::HashSet<(PathBuf, Option<usize>, Option<usize>, String)>,
}

/// A parsed TOML file: locates field paths and records problems against it.
pub struct TomlDoc<'a, 'i> {
    file: PathBuf,
    text: &'i str,
    root: &'a Spanned<DeTable<'i>>,
    /// Where problems go.
    pub problems: &'a mut Problems,
    /// Built at the first problem located: a file with many problems is scanned once, not once
    /// per problem (300,000 of them in a 5 MB file took longer than a minute).
    lines: OnceCell<LineIndex>,
}

impl<'a, 'i> TomlDoc<'a, 'i> {
    /// Wraps a parsed document.
    pub fn new(
        file: &Path,
        text: &'i str,
        root: &'a Spanned<DeTable<'i>>,
        problems: &'a mut Problems,
    ) -> Self {
        TomlDoc { file: file.to_path_buf(), text, root, problems, lines: OnceCell::new() }
    }

    /// The file name used in messages.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The file's text.
    pub fn text(&self) -> &'i str {
        self.text
    }

    /// Whether the file gives a value at `path`, however bad (a field whose value was refused
    /// is still there: what depends on it needs no error of its own).
    pub fn has(&self, path: &FieldPath) -> bool {
        self.walk(path).0
    }

    /// The span of the value at `path`, or of the deepest existing value on the way.
    pub fn span(&self, path: &FieldPath) -> Range<usize> {
        self.walk(path).1
    }

    /// Follows `path` from the root: whether it reaches a value, and the span of the deepest
    /// value it reached.
    fn walk(&self, path: &FieldPath) -> (bool, Range<usize>) {
        let mut span = self.root.span();
        let mut table: Option<&DeTable<'i>> = Some(self.root.get_ref());
        let mut array: Option<&[Spanned<DeValue<'i>>]> = None;
        for seg in &path.0 {
            let next = match seg {
                Seg::Key(k) => table.and_then(|t| t.get(k.as_str())),
                Seg::Index(i) | Seg::Named(i, _) => array.and_then(|a| a.get(*i)),
            };
            let Some(value) = next else { return (false, span) };
            span = value.span();
            table = value.get_ref().as_table();
            array = value.get_ref().as_array().map(|a| &a[..]);
        }
        (true, span)
    }

    /// A located error value for `path` (without recording it).
    pub fn located(&self, path: &FieldPath, message: String) -> ScenarioError {
        let (line, col) = self.line_col(self.span(path).start);
        ScenarioError {
            file: self.file.clone(),
            line: Some(line),
            col: Some(col),
            field: path.to_string(),
            message,
        }
    }

    /// A located error at a byte offset (syntax errors).
    pub fn at_offset(&self, offset: usize, message: String) -> ScenarioError {
        let (line, col) = self.line_col(offset);
        ScenarioError {
            file: self.file.clone(),
            line: Some(line),
            col: Some(col),
            field: String::new(),
            message,
        }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.get_or_init(|| LineIndex::new(self.text)).line_col(self.text, offset)
    }
}

impl Sink for TomlDoc<'_, '_> {
    fn located(&self, path: &FieldPath, message: String) -> ScenarioError {
        TomlDoc::located(self, path, message)
    }
    fn problems(&mut self) -> &mut Problems {
        self.problems
    }
}

/// Records problems against a file without line numbers (checks of a combination of files,
/// such as a scenario worked by a plan).
pub struct FileSink<'a> {
    /// The file named in messages.
    pub file: PathBuf,
    /// Where problems go.
    pub problems: &'a mut Problems,
}

impl Sink for FileSink<'_> {
    fn located(&self, path: &FieldPath, message: String) -> ScenarioError {
        ScenarioError { file: self.file.clone(), line: None, col: None, field: path.to_string(), message }
    }
    fn problems(&mut self) -> &mut Problems {
        self.problems
    }
}

/// "a" or "an" before `word` (by its first letter: "an agent group", "an email call type").
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// Where each line of a text starts, so that a byte offset is located by a binary search.
struct LineIndex {
    /// Byte offset of the first character of each line; the first is 0.
    starts: Vec<usize>,
    /// The last offset located and its column: problems on one long line (a volume list of
    /// 1,440 values) are mostly located in order, so the next column is counted from there.
    last: Cell<(usize, usize)>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts, last: Cell::new((0, 1)) }
    }

    /// What [`line_col`] gives, without scanning the text before the line.
    fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let (last, last_col) = self.last.get();
        let (from, col) =
            if (line_start..=offset).contains(&last) { (last, last_col) } else { (line_start, 1) };
        let Some(between) = text.get(from..offset) else { return line_col(text, offset) };
        let col = col + between.chars().count();
        self.last.set((offset, col));
        (line, col)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The closest candidate to a misspelled word, if it is close enough to be a likely typo.
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let word_lc = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word_lc, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) + 1) / 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `; did you mean "x"?` and the allowed set, for messages about a value from a closed set.
pub fn suggest(word: &str, candidates: &[&str]) -> String {
    let known = candidates.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    match did_you_mean(word, candidates.iter().copied()) {
        Some(best) => format!("did you mean \"{best}\"? (allowed: {known})"),
        None => format!("allowed: {known}"),
    }
}

/// The error for a name not in `known` (`unknown agent group "agents"; did you mean ...`), or
/// `None` when `known` is empty: the list itself is missing or empty, which has its own error,
/// and one error a reference to it would bury that one under a list of nothing allowed.
pub fn unknown_name(what: &str, name: &str, known: &[&str]) -> Option<String> {
    (!known.is_empty()).then(|| format!("unknown {what} \"{name}\"; {}", suggest(name, known)))
}

/// Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
/// characters (optimal string alignment), in characters: "salse" is one edit from "sales".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        for (a, b, d) in [
            ("", "abc", 3),
            ("kitten", "sitting", 3),
            ("billing", "biling", 1),
            ("same", "same", 0),
            ("salse", "sales", 1),
        ] {
            assert_eq!(edit_distance(a, b), d, "{a} {b}");
            assert_eq!(edit_distance(b, a), d, "{b} {a}");
        }
    }

    #[test]
    fn suggests_only_near_misses() {
        let known = ["accounts", "cards", "loans"];
        assert_eq!(did_you_mean("acounts", known), Some("accounts"));
        assert_eq!(did_you_mean("Cards", known), Some("cards"));
        assert_eq!(did_you_mean("mortgages", known), None);
    }

    #[test]
    fn paths_show_names_and_indices() {
        let p = FieldPath::root().key("agent_groups").named(0, Some("night")).key("skills").index(2);
        assert_eq!(p.to_string(), "agent_groups.night.skills[2]");
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn the_line_index_locates_as_a_scan_from_the_start_does() {
        let text = "a = 1\nbé = [1, 2, 3]\n\nc = \"ü\"\n";
        let index = LineIndex::new(text);
        // In order, out of order, and again: the cached column must never leak between lines.
        let offsets: Vec<usize> =
            (0..=text.len()).chain((0..=text.len()).rev()).chain([7, 3, 20, 9]).collect();
        for offset in offsets.into_iter().filter(|&o| text.is_char_boundary(o)) {
            assert_eq!(index.line_col(text, offset), line_col(text, offset), "offset {offset}");
        }
    }
}
