//! A call type's `open` into the model: `"08:00-20:00"` every day, or hours by weekday
//! (`{ mon-fri = "08:00-20:00", sat = "09:00-13:00" }`), read as clock times before the grid is
//! known, then laid on the grid, where the forecast must be zero outside the hours.

use super::field::{FieldPath, Sink, TomlDoc};
use super::source::{CallTypeFile, OpenFile};
use crate::model::{Channel, DayHours, Hours, HoursError, OpenHours};
use crate::time::{ClockTime, IntervalGrid, WEEKDAY_NAMES, parse_weekday_run};

/// `open` as the file states it: the hours, and for hours by weekday the key that names each
/// weekday (where an error about that day's hours points).
pub(super) struct Stated {
    hours: Hours,
    keys: [Option<String>; 7],
}

/// `open` checked for form and channel: `Some(None)` without `open`, `None` after an error.
pub(super) fn stated(
    doc: &mut TomlDoc,
    c: &CallTypeFile,
    channel: Channel,
    path: &FieldPath,
) -> Option<Option<Stated>> {
    let Some(open) = &c.open else { return Some(None) };
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
    match open {
        OpenFile::Daily(text) => {
            let day = day_hours(text).and_then(|day| {
                day.ok_or_else(|| {
                    "closed every day: a call type takes contacts in some hours; give them, e.g. \
                     \"08:00-20:00\", or by weekday, { mon-fri = \"08:00-20:00\" }"
                        .to_string()
                })
            });
            let day = day.map_err(|message| doc.error(&path, message)).ok()?;
            Some(Some(Stated { hours: Hours::Daily(day), keys: Default::default() }))
        }
        OpenFile::Weekly(pairs) => {
            let (mut days, mut keys): ([Option<DayHours>; 7], [Option<String>; 7]) = Default::default();
            let mut fine = true;
            for (key, text) in pairs {
                let at = path.key(key);
                let run = parse_weekday_run(key).ok_or_else(|| {
                    format!(
                        "\"{key}\" is not a weekday; keys are weekdays (mon, tue, wed, thu, fri, sat, sun) \
                         or runs of them (mon-fri)"
                    )
                });
                let read = run.and_then(|run| Ok((run, day_hours(text)?)));
                let Ok((run, hours)) = read.map_err(|message| doc.error(&at, message)) else {
                    fine = false;
                    continue;
                };
                for weekday in run {
                    if let Some(earlier) = &keys[weekday] {
                        doc.error(
                            &at,
                            format!(
                                "names {} again (also in \"{earlier}\"); name each weekday once",
                                WEEKDAY_NAMES[weekday]
                            ),
                        );
                        fine = false;
                        break;
                    }
                    keys[weekday] = Some(key.clone());
                    days[weekday] = hours;
                }
            }
            fine.then_some(Some(Stated { hours: Hours::Weekly(days), keys }))
        }
    }
}

/// One day's hours, `"HH:MM-HH:MM"`, or `None` for `"closed"`.
fn day_hours(text: &str) -> Result<Option<DayHours>, String> {
    if text.trim().eq_ignore_ascii_case("closed") {
        return Ok(None);
    }
    let parsed = text.split_once('-').and_then(|(from, to)| {
        Some(DayHours { from: ClockTime::parse(from.trim()).ok()?, to: ClockTime::parse(to.trim()).ok()? })
    });
    parsed.map(Some).ok_or_else(|| {
        format!(
            "\"{text}\" is not opening hours; expected \"HH:MM-HH:MM\", e.g. \"08:00-20:00\" \
             (\"00:00-24:00\" for the whole day)"
        )
    })
}

/// The hours on `grid`, with every interval outside them forecasting no contacts (the first
/// that does is named, with how many more do).
pub(super) fn on_grid(
    doc: &mut TomlDoc,
    stated: Option<Stated>,
    volumes: &[f64],
    grid: &IntervalGrid,
    path: &FieldPath,
) -> Option<Option<OpenHours>> {
    let Some(Stated { hours, keys }) = stated else { return Some(None) };
    let path = path.key("open");
    let hours = match OpenHours::new(hours, grid) {
        Ok(hours) => hours,
        Err(HoursError { weekday, message }) => {
            let at = weekday.and_then(|w| keys[w].as_deref()).map_or_else(|| path.clone(), |k| path.key(k));
            doc.error(&at, message);
            return None;
        }
    };
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
