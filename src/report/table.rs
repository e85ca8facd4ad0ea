//! Aligned plain-text tables for the terminal: a header row with units, right-aligned numbers,
//! an optional marker column. No colour codes, so output pipes cleanly.

/// Column alignment.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text columns.
    Left,
    /// Number columns.
    Right,
}

/// A table being built row by row.
#[derive(Clone, Debug, Default)]
pub struct Table {
    headers: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers; the first column is left-aligned, the rest right-aligned.
    pub fn new<S: AsRef<str>>(headers: &[S]) -> Table {
        let headers = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.as_ref().to_string(), if i == 0 { Align::Left } else { Align::Right }))
            .collect();
        Table { headers, rows: Vec::new() }
    }

    /// Sets the alignment of column `idx`.
    pub fn align(mut self, idx: usize, align: Align) -> Table {
        if let Some(h) = self.headers.get_mut(idx) {
            h.1 = align;
        }
        self
    }

    /// Adds a row; missing cells are blank, extra cells are dropped.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut row: Vec<String> = cells.into_iter().map(Into::into).collect();
        row.resize(self.headers.len(), String::new());
        self.rows.push(row);
    }

    /// Number of rows so far.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Renders with two spaces between columns and a rule under the header. In a right-aligned
    /// column of estimates (`88.8% ±1.2`), the half-widths are padded to one width so that the
    /// means line up even when one half-width has more digits (`±14.0`).
    pub fn render(&self) -> String {
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| self.align_estimates(r)).collect();
        let rows = &rows;
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|c| {
                rows.iter()
                    .map(|r| r[c].chars().count())
                    .chain(std::iter::once(self.headers[c].0.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        let line = |cells: Vec<&str>, out: &mut String| {
            let mut text = String::new();
            for (c, cell) in cells.iter().enumerate() {
                if c > 0 {
                    text.push_str("  ");
                }
                let pad = widths[c] - cell.chars().count();
                match self.headers[c].1 {
                    Align::Left => {
                        text.push_str(cell);
                        text.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        text.push_str(&" ".repeat(pad));
                        text.push_str(cell);
                    }
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        line(self.headers.iter().map(|h| h.0.as_str()).collect(), &mut out);
        let rule: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        out.push_str(&"-".repeat(rule));
        out.push('\n');
        for row in rows {
            line(row.iter().map(String::as_str).collect(), &mut out);
        }
        out
    }

    /// `row` with each estimate's ` ±half-width` (or ` [low, high]`) padded on the right to the widest of its
    /// column, and plain cells of such a column padded as if they had one (`-` stays under
    /// the means).
    fn align_estimates(&self, row: &[String]) -> Vec<String> {
        row.iter()
            .enumerate()
            .map(|(c, cell)| {
                // A cut interval (`52.6% [0, 100]`), or its one end (`96.5% ≥88.1`), has its
                // bounds where others have `±`; a difference's signed interval (`+4.1 [+3.6,
                // +4.6]`) is a whole cell.
                let suffix = |cell: &str| {
                    cell.find(" ±")
                        .or_else(|| cell.find(" ≥"))
                        .or_else(|| cell.find(" ≤"))
                        .or_else(|| crate::report::cut_interval_at(cell))
                        .map_or(0, |i| cell[i..].chars().count())
                };
                let widest = self.rows.iter().map(|r| suffix(&r[c])).max().unwrap_or(0);
                if self.headers[c].1 == Align::Left || widest == 0 || cell.is_empty() {
                    return cell.clone();
                }
                format!("{cell}{}", " ".repeat(widest - suffix(cell)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_line_up_whatever_the_width_of_their_half_widths() {
        let mut t = Table::new(&["plan", "service level"]);
        t.row(["a", "88.8% ±1.2"]);
        t.row(["b", "72.0% ±14.0"]);
        t.row(["c", "-"]);
        let out = t.render();
        let lines: Vec<&str> = out.lines().collect();
        let end_of_mean = |l: &str| l.find('%').or_else(|| l.find('-')).unwrap() + 1;
        assert_eq!(end_of_mean(lines[2]), end_of_mean(lines[3]), "{out}");
        assert_eq!(end_of_mean(lines[3]), end_of_mean(lines[4]), "{out}");
    }

    #[test]
    fn a_cut_interval_lines_up_its_mean_and_a_difference_stays_whole() {
        let mut t = Table::new(&["plan", "service level", "difference"]);
        t.row(["a", "88.8% ±1.2", "+4.1 [+3.6, +4.6]"]);
        t.row(["b", "52.6% [0, 100]", "-12.0 [-20.5, -3.5]"]);
        let out = t.render();
        let lines: Vec<&str> = out.lines().collect();
        let end_of_mean = |l: &str| l.find('%').unwrap();
        assert_eq!(end_of_mean(lines[2]), end_of_mean(lines[3]), "{out}");
        // Right-aligned whole: both rows end at the same column, with no padding after.
        assert!(
            lines[2].ends_with(" +4.1 [+3.6, +4.6]") && lines[3].ends_with("-12.0 [-20.5, -3.5]"),
            "{out}"
        );
    }

    #[test]
    fn aligns_text_left_and_numbers_right() {
        let mut t = Table::new(&["name", "calls"]);
        t.row(["accounts", "5"]);
        t.row(["x", "1234"]);
        let out = t.render();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "name      calls");
        assert_eq!(lines[2], "accounts      5");
        assert_eq!(lines[3], "x          1234");
    }
}
