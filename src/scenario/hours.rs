//! A call type's `open = "08:00-20:00"` into the model: read as two clock times before the
//! grid is known, then laid on the grid, where the forecast must be zero outside the hours.

use super::field::{FieldPath, Sink, TomlDoc};
use super::source::CallTypeFile;
use crate::model::{Channel, OpenHours};
use crate::time::{ClockTime, IntervalGrid};

/// The opening and closing times of `open`, checked for form and channel: `Some(None)`
/// without `open`, `None` after an error.
pub(super) fn times(
    doc: &mut TomlDoc,
    c: &CallTypeFile,
    channel: Channel,
    path: &FieldPath,
) -> Option<Option<(ClockTime, ClockTime)>> {
    let Some(text) = &c.open else { return Some(None) };
    let path = path.key("open");
    if channel == Channel::Email {
        doc.error(
            &path,
            "an email call type has no opening hours: emails arrive at any hour and wait in the \
             backlog for the agents who work it; remove `open` (its volumes say when emails come)"
                .to_string(),
        );
        return None;
    }
    let parsed = text.split_once('-').and_then(|(from, to)| {
        Some((ClockTime::parse(from.trim()).ok()?, ClockTime::parse(to.trim()).ok()?))
    });
    if parsed.is_none() {
        doc.error(
            &path,
            format!(
                "\"{text}\" is not opening hours; expected \"HH:MM-HH:MM\", e.g. \"08:00-20:00\" \
                 (\"00:00-24:00\" for the whole day)"
            ),
        );
    }
    parsed.map(Some)
}

/// The hours on `grid`, with every interval outside them forecasting no contacts (the first
/// that does is named, with how many more do).
pub(super) fn on_grid(
    doc: &mut TomlDoc,
    times: Option<(ClockTime, ClockTime)>,
    volumes: &[f64],
    grid: &IntervalGrid,
    path: &FieldPath,
) -> Option<Option<OpenHours>> {
    let Some((from, to)) = times else { return Some(None) };
    let path = path.key("open");
    let hours = OpenHours::new(from, to, grid).map_err(|message| doc.error(&path, message)).ok()?;
    let mut closed_with_calls = (0..grid.len()).filter(|&idx| !hours.is_open(idx) && volumes[idx] > 0.0);
    if let Some(first) = closed_with_calls.next() {
        let more = match closed_with_calls.count() {
            0 => String::new(),
            n => format!(" (and {n} more intervals outside the hours)"),
        };
        doc.error(
            &path,
            format!(
                "the volumes forecast {} contacts at {}, outside the opening hours {hours}{more}; \
                 forecast 0 when it is closed, or widen `open`",
                volumes[first],
                grid.label(first)
            ),
        );
        return None;
    }
    Some(Some(hours))
}
