//! The frame every HTML report shares: one self-contained document (inline CSS, charts as
//! inline SVG; no script, link, font or image from elsewhere) with a header saying what was
//! run, by which ccsim, when; a layout that works on an 800 px screen; and a print stylesheet
//! that keeps headings with what follows and prints each chart the width of the page.
//!
//! The markup is well-formed XML as well as HTML5 (every tag closed, all text escaped), so it
//! can be checked by either kind of parser.

use std::fmt::Write as _;

use super::{esc, strip_xml_declaration};
use crate::report::chart::{Chart, REPORT_SIZE};
pub use crate::time::day_title;

const STYLE: &str = "
:root { color-scheme: light; }
body { font-family: 'DejaVu Sans', Verdana, system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
       margin: 1.5em auto; max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2em; font-size: 1.7em; }
h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
h3 { margin: 1.2em 0 0.4em 0; }
.scroll { overflow-x: auto; max-width: 100%; }
.tall { max-height: 80vh; overflow: auto; }
table { border-collapse: collapse; margin: 0.5em 0 1em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
thead th { position: sticky; top: 0; z-index: 1; box-shadow: 0 1px 0 #bbb; }
tbody tr.day th { background: #e6eef6; position: sticky; top: 2.2em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.miss td { background: #fbe3d6; }
td.met { color: #0b5e3c; font-weight: bold; }
td.missed { color: #a33a00; font-weight: bold; }
p.headline { font-size: 1.15em; margin: 0.6em 0; }
figure { margin: 1.5em 0; }
figure svg { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #444; font-size: 0.95em; margin-top: 0.3em; }
dl.defs dt { font-weight: bold; margin-top: 0.5em; }
dl.defs dd { margin-left: 1.5em; }
p.note { color: #555; font-size: 0.9em; }
@media (max-width: 820px) {
  body { padding: 0 0.5em; font-size: 15px; }
  table { font-size: 0.85em; }
  th, td { padding: 0.2em 0.35em; }
}
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure, tr, table.summary { break-inside: avoid; page-break-inside: avoid; }
  figure svg { width: 100%; border: none; }
  .scroll, .tall { overflow: visible; max-height: none; }
  thead { display: table-header-group; }
  thead th, tbody tr.day th { position: static; }
}
";

/// What the header of a report says about the run, beyond its results.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunInfo {
    /// The scenario file as given on the command line.
    pub scenario_file: Option<String>,
    /// Weekday of day 1 (0 = Monday), for day names.
    pub first_weekday: Option<usize>,
    /// When the report was made, seconds since 1970 UTC (see [`run_epoch`]).
    pub run_epoch_s: Option<u64>,
}

impl RunInfo {
    /// The run of `scenario`, read from `file`, stamped now (or at `SOURCE_DATE_EPOCH`).
    pub fn of(scenario: &crate::model::Scenario, file: &std::path::Path) -> RunInfo {
        RunInfo {
            scenario_file: Some(file.display().to_string()),
            first_weekday: scenario.grid.first_weekday(),
            run_epoch_s: Some(run_epoch()),
        }
    }
}

/// The time a report is stamped with: `SOURCE_DATE_EPOCH` when set (reproducible builds'
/// convention, so two runs can give byte-identical files), else now. A malformed value is
/// refused before the run by [`source_date_epoch`].
pub fn run_epoch() -> u64 {
    source_date_epoch().ok().flatten().unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
    })
}

/// Latest stamp a report can show in its four-digit year: 9999-12-31 23:59:59 UTC.
const LAST_STAMP_S: u64 = 253_402_300_799;

/// `SOURCE_DATE_EPOCH`, when set: whole seconds since 1970 UTC, up to the end of year 9999.
///
/// # Errors
/// A message naming the variable and its value when it is set to anything else: the
/// convention asks a tool to stop rather than stamp another time than the one asked for.
pub fn source_date_epoch() -> Result<Option<u64>, String> {
    let Ok(text) = std::env::var("SOURCE_DATE_EPOCH") else { return Ok(None) };
    match text.trim().parse::<u64>() {
        Ok(s) if s <= LAST_STAMP_S => Ok(Some(s)),
        _ => Err(format!(
            "SOURCE_DATE_EPOCH: \"{text}\" is not a time to stamp the report with; expected whole seconds \
             since 1970-01-01 UTC, from 0 to {LAST_STAMP_S} (9999-12-31), or leave it unset"
        )),
    }
}

/// `2026-12-03 18:52 UTC` from seconds since 1970 (Howard Hinnant's days-to-civil algorithm).
pub fn utc_date(epoch_s: u64) -> String {
    let days = (epoch_s / 86_400) as i64;
    let secs = epoch_s % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

/// A report being written.
pub struct Page {
    h: String,
}

impl Page {
    /// Opens a document titled `title` with the header table of the run.
    pub fn new(title: &str, heading: &str, header: &[(&str, String)]) -> Page {
        let mut h = String::with_capacity(1 << 20);
        h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
        let _ = writeln!(h, "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>", esc(title));
        let _ = writeln!(h, "<header>\n<h1>{}</h1>", esc(heading));
        h += "<table class=\"summary\">\n";
        for (k, v) in header {
            let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
        }
        h += "</table>\n</header>\n";
        Page { h }
    }

    /// The rows every header starts with: scenario file, plan, version, seed, replications,
    /// run date.
    pub fn run_rows(run: &RunInfo, plan: &str, seed: u64, replications: u32) -> Vec<(&'static str, String)> {
        vec![
            ("Scenario file", run.scenario_file.clone().unwrap_or_else(|| "-".to_string())),
            ("Plan", plan.to_string()),
            ("ccsim version", env!("CARGO_PKG_VERSION").to_string()),
            ("Seed", seed.to_string()),
            ("Replications", replications.to_string()),
            ("Run date", run.run_epoch_s.map_or_else(|| "-".to_string(), utc_date)),
        ]
    }

    /// Raw markup (already escaped by the caller).
    pub fn raw(&mut self, markup: &str) {
        self.h.push_str(markup);
    }

    /// A section heading.
    pub fn h2(&mut self, text: &str, id: &str) {
        let _ = writeln!(self.h, "<h2 id=\"{}\">{}</h2>", esc(id), esc(text));
    }

    /// A heading within a section.
    pub fn h3(&mut self, text: &str) {
        let _ = writeln!(self.h, "<h3>{}</h3>", esc(text));
    }

    /// A paragraph of plain text in `class`.
    pub fn p(&mut self, class: &str, text: &str) {
        let _ = writeln!(self.h, "<p class=\"{}\">{}</p>", esc(class), esc(text));
    }

    /// A note written for the terminal (wrapped to its width) as one paragraph of class `note`:
    /// the line breaks and indents folded into single spaces.
    pub fn terminal_note(&mut self, text: &str) {
        self.p("note", &text.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    /// The charts, each as a figure with a caption people read.
    ///
    /// # Errors
    /// When a chart cannot be drawn.
    pub fn charts(&mut self, charts: &[Chart], caption: impl Fn(&str) -> String) -> anyhow::Result<()> {
        charts.iter().try_for_each(|chart| self.chart(chart, &caption(&chart.name)))
    }

    /// One chart as a figure, inline SVG on the report's canvas, with its caption.
    ///
    /// # Errors
    /// When the chart cannot be drawn.
    pub fn chart(&mut self, chart: &Chart, caption: &str) -> anyhow::Result<()> {
        let (svg, _) = chart.svg_sized(REPORT_SIZE)?;
        let _ = writeln!(self.h, "<figure id=\"chart-{}\">", esc(&chart.name));
        self.h += strip_xml_declaration(&svg);
        let _ = writeln!(self.h, "\n<figcaption>{}</figcaption>\n</figure>", esc(caption));
        Ok(())
    }

    /// Closes the document.
    pub fn finish(mut self) -> String {
        self.h += "</body>\n</html>\n";
        self.h
    }
}

/// One row of a [`GroupedTable`]: its day, its cells as (text, numeric?), and whether it misses.
pub type TableRow = (usize, Vec<(String, bool)>, bool);

/// A table: header cells, then rows grouped under day headings when `days` > 1 (one `tbody`
/// per day, its heading sticky under the sticky column headers).
pub struct GroupedTable<'a> {
    /// Column headers (escaped here) with their `title` tooltip.
    pub columns: Vec<(String, String)>,
    /// Rows: (day, cells as (text, numeric?), missed?).
    pub rows: Vec<TableRow>,
    /// Days, for grouping.
    pub days: usize,
    /// Weekday of day 1.
    pub first_weekday: Option<usize>,
    /// CSS class of the wrapper (`tall` for long tables).
    pub wrapper: &'a str,
}

impl GroupedTable<'_> {
    /// The table's markup.
    pub fn render(&self) -> String {
        let mut h = String::with_capacity(self.rows.len() * 200 + 512);
        let _ = write!(h, "<div class=\"scroll {}\">\n<table>\n<thead><tr>", esc(self.wrapper));
        for (name, title) in &self.columns {
            if title.is_empty() {
                let _ = write!(h, "<th>{}</th>", esc(name));
            } else {
                let _ = write!(h, "<th title=\"{}\">{}</th>", esc(title), esc(name));
            }
        }
        h += "</tr></thead>\n";
        let mut current = usize::MAX;
        for (day, cells, missed) in &self.rows {
            if *day != current {
                if current != usize::MAX {
                    h += "</tbody>\n";
                }
                h += "<tbody>\n";
                if self.days > 1 {
                    let _ = writeln!(
                        h,
                        "<tr class=\"day\"><th colspan=\"{}\">{}</th></tr>",
                        self.columns.len(),
                        esc(&day_title(*day, self.first_weekday))
                    );
                }
                current = *day;
            }
            h += if *missed { "<tr class=\"miss\">" } else { "<tr>" };
            for (text, num) in cells {
                if *num {
                    let _ = write!(h, "<td class=\"num\">{}</td>", esc(text));
                } else {
                    let _ = write!(h, "<td>{}</td>", esc(text));
                }
            }
            h += "</tr>\n";
        }
        if current != usize::MAX {
            h += "</tbody>\n";
        }
        h += "</table>\n</div>\n";
        h
    }
}

/// A met/missed cell.
pub fn verdict(met: Option<bool>) -> String {
    match met {
        Some(true) => "<td class=\"met\">met</td>".to_string(),
        Some(false) => "<td class=\"missed\">missed</td>".to_string(),
        None => "<td>-</td>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(utc_date(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_date(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_date(1_796_323_920), "2026-12-03 18:52 UTC");
    }
}
