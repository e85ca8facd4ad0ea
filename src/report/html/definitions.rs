//! The "Definitions" section of a report: each figure shown, with its unit and definition.

use std::fmt::Write as _;

use super::channels::unit;
use super::esc;
use super::page::Page;
use crate::metrics::{Definition, definition};

/// Definitions of the metrics a report shows, and only those.
pub fn definitions(page: &mut Page, keys: &[&str]) {
    definitions_of(page, &keys.iter().map(|k| definition(k)).collect::<Vec<_>>(), "calls");
}

/// [`definitions`] of definitions from any list (lines, callbacks), counts of contacts in
/// `noun`.
pub fn definitions_of(page: &mut Page, shown: &[&Definition], noun: &str) {
    definition_items(page, &items_of(shown, noun));
}

/// Each definition as (`Label (unit)`, definition), counts of contacts in `noun`.
pub(super) fn items_of(shown: &[&Definition], noun: &str) -> Vec<(String, String)> {
    shown
        .iter()
        .map(|d| (format!("{} ({})", d.label, unit(d.unit, noun)), d.definition.to_string()))
        .collect()
}

/// The "Definitions" section: each (header, definition).
pub(super) fn definition_items(page: &mut Page, items: &[(String, String)]) {
    page.h2("Definitions", "definitions");
    definition_list(page, items);
}

/// The definitions of a section's figures, as the report's closing list shows them: each
/// column's header (label and unit) and its definition.
pub(super) fn definition_list(page: &mut Page, columns: &[(String, String)]) {
    let mut h = String::from("<dl class=\"defs\">\n");
    for (header, definition) in columns {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(header), esc(definition));
    }
    h += "</dl>\n";
    page.raw(&h);
}
