//! The simulation report's "Callbacks" section, present only when a call type offers
//! callbacks, so other reports are unchanged. Every figure is shown with its unit, and its
//! definition as the column's tooltip and in a list under the table.

use super::channels::column;
use super::definitions::definition_list;
use super::page::{GroupedTable, Page};
use crate::callback::CallbacksCountAs;
use crate::metrics::{CALLBACK_DEFINITIONS, CallbackStats};
use crate::report::nonnegative_estimate;
use crate::stats::Estimate;
use crate::summary::Summary;

/// The "Callbacks" section: all contacts, then each call type; nothing for a scenario without
/// callback offers.
pub fn section(page: &mut Page, s: &Summary) {
    let Some(cb) = &s.callbacks else { return };
    page.h2("Callbacks", "callbacks");
    let mut columns = vec![("Call type".to_string(), String::new())];
    columns.extend(CALLBACK_DEFINITIONS.iter().map(column));
    let row = |name: &str, stats: &CallbackStats<Estimate>| {
        let mut cells = vec![(name.to_string(), false)];
        cells.extend(stats.values().map(|e| (nonnegative_estimate(e, 1), true)));
        (1, cells, false)
    };
    let mut rows = vec![row("all calls", &cb.overall)];
    rows.extend(cb.call_types.iter().map(|c| row(&c.name, &c.stats)));
    let defined = columns[1..].to_vec();
    page.raw(&GroupedTable { columns, rows, days: 1, first_weekday: None, wrapper: "" }.render());
    let count_as = match cb.count_as {
        CallbacksCountAs::Excluded => {
            "Callback customers are left out of the service level (numerator and denominator); their \
             waits are the callback waits above."
        }
        CallbacksCountAs::AnsweredInTime => {
            "Callback customers count in the service level: answered within the target when reached, \
             offered and not answered in time when never reached."
        }
    };
    page.p("note", count_as);
    definition_list(page, &defined);
}
