//! HTML reports: one self-contained file per run to share (no external link, script or font;
//! inline CSS; the charts as inline SVG) that opens from disk in any browser and prints well.
//! [`simulation`] for `simulate --report`, [`planning`] for `staff`, `schedule` and `compare
//! --report`; [`page`] is the frame they share, [`goals`] the verdicts on a scenario's goals and
//! [`definitions`] the list of the figures shown.
//!
//! The markup is well-formed XML (every tag closed, all text escaped) as well as HTML5.
//! Definitions come from [`crate::metrics::DEFINITIONS`] and figures from the result types.

pub mod callbacks;
pub mod channels;
pub mod definitions;
pub mod goals;
pub mod outcomes;
pub mod page;
pub mod planning;
pub mod simulation;

pub use goals::Goals;
pub use page::{RunInfo, run_epoch, source_date_epoch};

use crate::summary::Summary;

/// The report of a simulation without scenario context (no file name, goals beyond the service
/// level, weekday names or run date): `ccsim chart` and tests.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn simulation_report(summary: &Summary) -> anyhow::Result<String> {
    simulation::report(summary, &RunInfo::default(), &Goals::default())
}

/// Escapes text for element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inline SVG must not carry an XML declaration in the middle of a document.
pub(crate) fn strip_xml_declaration(svg: &str) -> &str {
    let s = svg.trim_start();
    if s.starts_with("<?xml") { s.find("?>").map_or(s, |i| s[i + 2..].trim_start()) } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_characters() {
        assert_eq!(esc("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    }

    #[test]
    fn xml_declarations_are_removed_from_inline_svg() {
        assert_eq!(strip_xml_declaration("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
        assert_eq!(strip_xml_declaration("<svg/>"), "<svg/>");
    }
}
