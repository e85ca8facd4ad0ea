//! The days a `days` list names (shifts, line outages, events): day numbers from 1, and, when
//! the scenario says which weekday day 1 is, weekdays (`"sat"`, `"saturday"`) and runs of
//! them (`"mon-fri"`), each standing for every day of the scenario that falls on it. Opening
//! hours by weekday name their days the same way ([`crate::time::parse_weekday_run`]).

use super::field::{FieldPath, Sink};
use super::source::DayFile;
use crate::time::{WEEKDAY_NAMES, day_name, parse_weekday_run};

/// The scenario's days, as `days` lists name them.
#[derive(Copy, Clone, Debug)]
pub struct Days {
    /// How many days the scenario has.
    pub count: usize,
    /// The weekday of day 1 (0 = Monday), when the scenario names it.
    pub first_weekday: Option<usize>,
}

impl Days {
    /// The days `list` names, sorted, each once. An empty list is an error ending with
    /// `never` ("the shift would never be worked"); so are a day outside the scenario, a day
    /// named twice, a weekday without `first_weekday` and a weekday no day falls on, each at
    /// its element. `None` after any error, or when an element could not be read (`None` in
    /// `list`: its problem is reported already, and the others are still checked).
    pub fn resolve(
        &self,
        sink: &mut impl Sink,
        list: &[Option<DayFile>],
        path: &FieldPath,
        never: &str,
    ) -> Option<Vec<usize>> {
        let n = self.count;
        if list.is_empty() {
            sink.error(path, format!("an empty list: {never}; omit `days` for every day"));
            return None;
        }
        let mut out: Vec<usize> = Vec::with_capacity(list.len());
        let mut ok = true;
        for (i, item) in list.iter().enumerate() {
            let at = path.index(i);
            let Some(item) = item else {
                ok = false;
                continue;
            };
            let named = match item {
                DayFile::Number(d) => {
                    let d = *d as usize;
                    if d == 0 || d > n {
                        sink.error(
                            &at,
                            format!("day {d} is not in the scenario; days are counted from 1 to {n}"),
                        );
                        ok = false;
                        continue;
                    }
                    vec![d]
                }
                DayFile::Weekday(text) => {
                    let Ok(days) = self.on_weekdays(text).map_err(|message| sink.error(&at, message)) else {
                        ok = false;
                        continue;
                    };
                    days
                }
            };
            for d in named {
                if out.contains(&d) {
                    let day = match self.first_weekday {
                        Some(_) => format!("day {d} ({})", day_name(d, self.first_weekday)),
                        None => format!("day {d}"),
                    };
                    sink.error(&at, format!("{day} is listed twice"));
                    ok = false;
                }
                out.push(d);
            }
        }
        out.sort_unstable();
        out.dedup();
        ok.then_some(out)
    }

    /// Every day of the scenario on the weekdays `text` names.
    fn on_weekdays(&self, text: &str) -> Result<Vec<usize>, String> {
        let Some(weekdays) = parse_weekday_run(text) else {
            return Err(format!(
                "\"{text}\" is not a day; give day numbers from 1, or weekdays (mon ... sun) and runs \
                 of them (mon-fri)"
            ));
        };
        let Some(first) = self.first_weekday else {
            return Err(format!(
                "\"{text}\" names weekdays, and the scenario does not say which weekday day 1 is; set \
                 first_weekday, or give day numbers (1 to {})",
                self.count
            ));
        };
        let days: Vec<usize> =
            (1..=self.count).filter(|d| weekdays.contains(&((first + d - 1) % 7))).collect();
        if days.is_empty() {
            let span = if self.count == 1 {
                format!("day 1 is a {}", WEEKDAY_NAMES[first])
            } else {
                format!(
                    "days 1 to {} run {} to {}",
                    self.count,
                    WEEKDAY_NAMES[first],
                    WEEKDAY_NAMES[(first + self.count - 1) % 7]
                )
            };
            return Err(format!("\"{text}\" falls on no day of the scenario ({span})"));
        }
        Ok(days)
    }
}
