//! Shift templates for the optimiser (`[[shift_templates]]`), checked so that every template
//! can produce at least one valid shift.

use super::distribution::{positive_minutes, seconds};
use super::field::{FieldPath, Sink};
use super::plan::{PlanContext, start_clock};
use super::source::ShiftTemplateFile;
use crate::model::{BreakRule, ShiftTemplate, ShiftTemplateSpec, not_whole_minutes};
use crate::schedule;
use crate::time::{ClockTime, DAY, format_duration, is_whole_minutes};

/// Validates the templates (at `path[i]`); `None` when any is wrong.
pub fn templates(
    sink: &mut impl Sink,
    raw: &[Option<ShiftTemplateFile>],
    path: &FieldPath,
    ctx: &PlanContext,
) -> Option<Vec<ShiftTemplate>> {
    // A template that could not be read (`None`) is reported already; the others are still
    // checked.
    let out: Vec<Option<ShiftTemplate>> =
        (raw.iter().enumerate()).map(|(i, t)| template(sink, t.as_ref()?, &path.index(i), ctx)).collect();
    let templates: Vec<ShiftTemplate> = out.into_iter().collect::<Option<_>>()?;
    let Some(grid) = ctx.grid else { return Some(templates) };
    // Refused here, with its line, rather than when `schedule` would run out of memory.
    if let Err(e) = schedule::check_model_size(&templates, grid) {
        sink.error(&path.index(e.template), e.message);
        return None;
    }
    for (i, t) in templates.iter().enumerate() {
        if !schedule::reaches_open_hours(t, grid) {
            sink.warn(
                &path.index(i),
                format!(
                    "no shift of this template covers a whole interval while the center is open ({}): it {}; \
                     `schedule` cannot use it (move its start window inside the open hours)",
                    grid.open_hours(),
                    schedule::hours_spanned(t)
                ),
            );
        }
    }
    Some(templates)
}

fn template(
    sink: &mut impl Sink,
    raw: &ShiftTemplateFile,
    path: &FieldPath,
    ctx: &PlanContext,
) -> Option<ShiftTemplate> {
    let group = raw.group.as_ref().and_then(|g| ctx.group(sink, g, &path.key("group")));
    let earliest_start =
        raw.earliest_start.as_ref().and_then(|e| start_clock(sink, e, &path.key("earliest_start")));
    let mut latest_start =
        raw.latest_start.as_ref().and_then(|l| start_clock(sink, l, &path.key("latest_start")));
    // Also in the order of the grid's day: on nights from 22:00, a latest start of 02:00 is
    // after an earliest start of 22:00 (the morning the days run into belongs to the day that
    // began the evening before), and the log-in times run on past midnight.
    let on_day = |clock: ClockTime| ctx.grid.map_or(clock.secs(), |grid| grid.clock_on_day(clock));
    if let (Some(e), Some(l)) = (earliest_start, latest_start)
        && l < e
        && on_day(l) < on_day(e)
    {
        sink.error(
            &path.key("latest_start"),
            format!("{l} is before earliest_start {e}; latest_start must be at or after it"),
        );
        latest_start = None;
    }
    let step = match &raw.step {
        Some(step) => positive_minutes(sink, step, &path.key("step"), "log-in times"),
        None => {
            sink.error(&path.key("step"), "missing required key \"step\"".to_string());
            None
        }
    };
    // Lengths that could not be read as a list have their error; no break is then judged
    // against them.
    let raw_lengths = raw.lengths.as_deref().unwrap_or_default();
    let mut lengths = Vec::with_capacity(raw_lengths.len());
    // Enumerated with the holes the reader left, so each length is located at its own index.
    for (i, l) in raw_lengths.iter().enumerate() {
        let Some(l) = l else { continue };
        let p = path.key("lengths").index(i);
        match positive_minutes(sink, l, &p, "log-out times") {
            Some(secs) if secs > DAY => {
                sink.error(&p, format!("{} is longer than 24 hours", format_duration(secs)))
            }
            Some(secs) => {
                // The same length twice would give the optimiser two identical columns.
                if let Some(first) = lengths.iter().position(|&l| l == secs) {
                    sink.error(
                        &p,
                        format!(
                            "{} is given twice (also lengths[{first}]); list each shift length once",
                            format_duration(secs)
                        ),
                    );
                    continue;
                }
                lengths.push(secs);
            }
            None => {}
        }
    }
    let lengths_ok = raw.lengths.is_some() && lengths.len() == raw_lengths.len();
    if raw.lengths.as_ref().is_some_and(Vec::is_empty) {
        sink.error(&path.key("lengths"), "needs at least one shift length, e.g. [\"8h\"]".to_string());
    }
    let longest = lengths.iter().copied().fold(0.0, f64::max);
    let mut breaks = Vec::with_capacity(raw.breaks.len());
    for (i, b) in raw.breaks.iter().enumerate() {
        let Some(b) = b else { continue };
        let p = path.key("breaks").index(i);
        let length = positive_minutes(sink, &b.length, &p.key("length"), "the times breaks end");
        let earliest = seconds(sink, &b.earliest, &p.key("earliest"));
        let latest = seconds(sink, &b.latest, &p.key("latest"));
        let (Some(length), Some(earliest), Some(latest)) = (length, earliest, latest) else { continue };
        if !is_whole_minutes(earliest) {
            sink.error(&p.key("earliest"), not_whole_minutes(earliest, "break start times"));
            continue;
        }
        if latest < earliest {
            sink.error(
                &p.key("latest"),
                format!("{} is before earliest ({})", format_duration(latest), format_duration(earliest)),
            );
            continue;
        }
        if lengths_ok && !lengths.is_empty() && earliest + length > longest {
            sink.error(
                &p.key("earliest"),
                format!(
                    "the break cannot fit in any shift length: it ends {} after log-in at the earliest, \
                     the longest shift lasts {}",
                    format_duration(earliest + length),
                    format_duration(longest)
                ),
            );
            continue;
        }
        breaks.push(BreakRule { length, earliest, latest });
    }
    let (cheapest, dearest) = crate::limits::COST_PER_HOUR;
    let cost = raw.cost_per_hour.filter(|cost| (cheapest..=dearest).contains(cost));
    if let Some(given) = raw.cost_per_hour
        && cost.is_none()
    {
        sink.error(
            &path.key("cost_per_hour"),
            format!(
                "must be a cost per paid hour from {cheapest} to {dearest} (COST_PER_HOUR), got {}",
                crate::error::quoted_number(given)
            ),
        );
    }
    if raw.max_agents == Some(0) {
        sink.error(&path.key("max_agents"), "must be at least 1 (omit it for no limit)".to_string());
    }
    if breaks.len() != raw.breaks.len() || !lengths_ok || lengths.is_empty() {
        return None;
    }
    (raw.max_agents != Some(0)).then_some(())?;
    let spec = ShiftTemplateSpec {
        group: group?,
        earliest_start: earliest_start?,
        latest_start: latest_start?,
        step: step?,
        lengths,
        breaks,
        cost_per_hour: cost?,
        max_agents: raw.max_agents,
    };
    // The checks above name the same rules with their lines; this is the model's own guard.
    ShiftTemplate::new(spec).map_err(|e| sink.error(path, e.to_string())).ok()
}
