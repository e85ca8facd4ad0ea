//! The optimiser's model size, counted from the templates and the grid before any of it is
//! built, and what a template can reach at all: so that a template asking for gigabytes, or one
//! whose shifts never meet the open hours, is refused before a column is generated.
//!
//! The size is an upper bound on what `columns::generate` and the program allocate, in
//! entries: one for every candidate shift and every break position (the variables), plus one
//! for every interval each covers or blocks (the constraint matrix). Memory grows with the
//! entries: a template on a one-minute grid asked for 2.5 GB through its break positions, each
//! blocking fifteen intervals, and another through candidates covering whole days. The bound
//! takes every candidate (log-in time × length × day), including those the demand later drops,
//! because all of them are generated first.

use crate::limits::MAX_SCHEDULE_MODEL;
use crate::model::ShiftTemplate;
use crate::model::on_duty::EPS;
use crate::time::{ClockTime, IntervalGrid, Seconds, format_duration};

use super::columns::{Span, break_offsets, log_ins, merge_spans, start_times};

/// One template's share of the optimiser's model.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelSize {
    /// Log-in times of the template.
    pub log_ins: u64,
    /// Candidate shifts: log-in times × lengths × days.
    pub shifts: u64,
    /// Break positions over all candidate shifts, merged breaks counted as their combinations.
    pub break_positions: u64,
    /// The variables and every interval each covers or blocks: what memory grows with.
    pub entries: u64,
}

/// The share of `template` in the model over `grid` (an upper bound; see the module docs).
pub fn model_size(template: &ShiftTemplate, grid: &IntervalGrid) -> ModelSize {
    let log_in_times = start_times(template).len() as u64;
    let candidates = log_in_times * grid.days() as u64;
    // A span of `secs` meets at most this many intervals; an overnight shift of the last day's
    // two log-ins (see `log_ins`) meet no more between them.
    let intervals_met = |secs: Seconds| ((secs / grid.length()).ceil() as u64 + 2).min(grid.len() as u64);
    let mut size = ModelSize { log_ins: log_in_times, ..ModelSize::default() };
    for &length in &template.lengths {
        let (positions, blocked) = break_entries(template, length, grid, &intervals_met);
        size.shifts += candidates;
        size.break_positions = size.break_positions.saturating_add(candidates.saturating_mul(positions));
        let per_shift = (1 + intervals_met(length)).saturating_add(blocked);
        size.entries = size.entries.saturating_add(candidates.saturating_mul(per_shift));
    }
    size
}

/// Break positions of one shift of `length`, and their entries (each position, its row entry
/// and the intervals it blocks). Breaks whose windows come within one interval of each other
/// may block a common interval and are then merged into their combinations (see `columns`):
/// counted here as merged whenever that could happen.
fn break_entries(
    template: &ShiftTemplate,
    length: Seconds,
    grid: &IntervalGrid,
    intervals_met: &dyn Fn(Seconds) -> u64,
) -> (u64, u64) {
    let rules = template.breaks.iter().filter_map(|rule| {
        let positions = break_offsets(rule, length, grid).count() as u64;
        let last = rule.earliest + (positions.checked_sub(1)? as f64) * grid.length();
        // (positions, intervals one position of the merged breaks blocks)
        Some(Span {
            from: rule.earliest,
            to: last + rule.length,
            of: (positions, intervals_met(rule.length)),
        })
    });
    let merged = merge_spans(
        rules,
        |a, b| a.meets(b, grid.length()),
        |(pa, ba), (pb, bb)| (pa.saturating_mul(pb), ba + bb),
    );
    merged.iter().fold((0, 0), |(positions, entries), span| {
        let (n, blocks) = span.of;
        (positions.saturating_add(n), entries.saturating_add(n.saturating_mul(2 + blocks)))
    })
}

/// Why the templates cannot be used: the template at fault and what to say.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplatesError {
    /// The template the message is about (the largest share, for the size).
    pub template: usize,
    /// What is wrong and what to change.
    pub message: String,
}

/// Checks that the templates' model stays within [`MAX_SCHEDULE_MODEL`].
///
/// # Errors
/// The template with the largest share, and a message giving the size, the cap, every
/// template's share and what to change.
pub fn check_model_size(templates: &[ShiftTemplate], grid: &IntervalGrid) -> Result<(), TemplatesError> {
    let sizes: Vec<ModelSize> = templates.iter().map(|t| model_size(t, grid)).collect();
    let total = sizes.iter().fold(0u64, |sum, s| sum.saturating_add(s.entries));
    if total <= MAX_SCHEDULE_MODEL {
        return Ok(());
    }
    let (largest, own) =
        sizes.iter().enumerate().max_by_key(|(_, s)| s.entries).expect("a size over the cap");
    let t = &templates[largest];
    let shifts: u64 = sizes.iter().map(|s| s.shifts).sum();
    let positions = sizes.iter().fold(0u64, |sum, s| sum.saturating_add(s.break_positions));
    let others: Vec<String> = (sizes.iter().enumerate())
        .filter(|&(k, s)| k != largest && s.entries > 0)
        .map(|(k, s)| format!("shift_templates[{k}] {}", s.entries))
        .collect();
    let others =
        if others.is_empty() { String::new() } else { format!(" (the others: {})", others.join(", ")) };
    let message = format!(
        "the shift optimiser's model would hold {total} entries ({shifts} candidate shifts and {positions} \
         break positions, each with the intervals it covers or blocks), more than the cap of \
         {MAX_SCHEDULE_MODEL} (MAX_SCHEDULE_MODEL); this template makes {} of them{others}: {} log-in \
         times (every {} from {} to {}) x {} lengths x {} days, with {} break positions; use a coarser \
         `step`, fewer `lengths`, a narrower start window or narrower break windows",
        own.entries,
        own.log_ins,
        format_duration(t.step),
        t.earliest_start,
        t.latest_start,
        t.lengths.len(),
        grid.days(),
        own.break_positions,
    );
    Err(TemplatesError { template: largest, message })
}

/// Whether some shift of `template` covers a whole open interval of `grid` (its longest length
/// from some log-in time, on some day: a longer shift covers all a shorter one does).
pub fn reaches_open_hours(template: &ShiftTemplate, grid: &IntervalGrid) -> bool {
    let longest = template.lengths.iter().copied().fold(0.0, f64::max);
    start_times(template).into_iter().any(|start| {
        (1..=grid.days()).any(|day| {
            log_ins(day, grid, start, longest)
                .into_iter()
                .any(|t| grid.next_open(t - EPS).is_some_and(|idx| grid.end_of(idx) <= t + longest + EPS))
        })
    })
}

/// The hours a template's shifts span, for messages: `logs in 13:00–14:00 and out by 16:00`.
pub fn hours_spanned(template: &ShiftTemplate) -> String {
    let longest = template.lengths.iter().copied().fold(0.0, f64::max);
    let last_out = ClockTime::from_secs(template.latest_start.secs() + longest);
    format!(
        "logs in {}–{} and out by {last_out} at the latest",
        template.earliest_start, template.latest_start
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgentGroupId, BreakRule, ShiftTemplateSpec};
    use crate::schedule::columns::generate;

    const MINUTE: Seconds = 60.0;
    const HOUR: Seconds = 3600.0;

    fn template(
        earliest: &str,
        latest: &str,
        step: Seconds,
        lengths: &[Seconds],
        breaks: &[BreakRule],
    ) -> ShiftTemplate {
        ShiftTemplate::new(ShiftTemplateSpec {
            group: AgentGroupId(0),
            earliest_start: ClockTime::parse(earliest).unwrap(),
            latest_start: ClockTime::parse(latest).unwrap(),
            step,
            lengths: lengths.to_vec(),
            breaks: breaks.to_vec(),
            cost_per_hour: 25.0,
            max_agents: None,
        })
        .unwrap()
    }

    fn rule(length: Seconds, earliest: Seconds, latest: Seconds) -> BreakRule {
        BreakRule { length, earliest, latest }
    }

    /// What the generated columns hold, counted as `model_size` counts it.
    fn built_entries(template: &ShiftTemplate, grid: &IntervalGrid) -> u64 {
        let columns = generate(std::slice::from_ref(template), grid);
        let entries = |c: &super::super::columns::Column| {
            let options: usize =
                c.choices.iter().flat_map(|ch| &ch.options).map(|o| 2 + o.blocked.len()).sum();
            (1 + c.covered.len() + options) as u64
        };
        columns.iter().map(entries).sum()
    }

    #[test]
    fn the_size_bounds_what_the_columns_hold() {
        let grids = [
            IntervalGrid::new(ClockTime::parse("00:00").unwrap(), 15.0 * MINUTE, 96, 2).unwrap(),
            // One day, so overnight shifts also work the morning before.
            IntervalGrid::new(ClockTime::parse("06:00").unwrap(), 30.0 * MINUTE, 32, 1).unwrap(),
        ];
        let templates = [
            template("00:00", "23:45", 15.0 * MINUTE, &[4.0 * HOUR, 8.0 * HOUR], &[]),
            template(
                "05:00",
                "22:00",
                30.0 * MINUTE,
                &[8.0 * HOUR, 10.0 * HOUR],
                &[rule(15.0 * MINUTE, HOUR, 3.0 * HOUR), rule(30.0 * MINUTE, 4.0 * HOUR, 5.0 * HOUR)],
            ),
            template("20:00", "23:00", HOUR, &[12.0 * HOUR], &[rule(HOUR, 2.0 * HOUR, 9.0 * HOUR)]),
        ];
        for grid in &grids {
            for t in &templates {
                let (counted, built) = (model_size(t, grid).entries, built_entries(t, grid));
                assert!(counted >= built, "counted {counted}, built {built}: {t:?}");
                // Around the clock the bound is close; a center closed part of the day makes it
                // looser, as a shift is counted whole whatever the hours (and past the horizon).
                let open_all_day = grid.per_day() as f64 * grid.length() >= crate::time::DAY;
                assert!(
                    !open_all_day || counted <= 3 * built,
                    "counted {counted} is far above the {built} built: {t:?}"
                );
            }
            // Windows that overlap in time are merged into every combination, which `columns`
            // builds before it drops the dominated ones: counted in full.
            let overlapping = template(
                "06:00",
                "12:00",
                HOUR,
                &[8.0 * HOUR],
                &[rule(15.0 * MINUTE, HOUR, 4.0 * HOUR), rule(30.0 * MINUTE, 3.0 * HOUR, 6.0 * HOUR)],
            );
            assert!(model_size(&overlapping, grid).entries >= built_entries(&overlapping, grid));
        }
    }

    /// A one-minute grid over two days, a log-in every minute, four lengths and two break windows
    /// asked for 2.5 GB; it is refused before a column is built.
    #[test]
    fn a_template_past_the_cap_is_refused_before_anything_is_built() {
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, MINUTE, 1440, 2).unwrap();
        let breaks = [
            rule(15.0 * MINUTE, HOUR, 3.0 * HOUR),
            rule(30.0 * MINUTE, 3.5 * HOUR, 3.0 * HOUR + 59.0 * MINUTE),
        ];
        let big =
            template("00:00", "23:59", MINUTE, &[4.0 * HOUR, 6.0 * HOUR, 8.0 * HOUR, 10.0 * HOUR], &breaks);
        let small = template("08:00", "09:00", 30.0 * MINUTE, &[8.0 * HOUR], &[]);
        let size = model_size(&big, &grid);
        assert_eq!((size.log_ins, size.shifts), (1440, 11_520));
        let err = check_model_size(&[small.clone(), big.clone()], &grid).unwrap_err();
        assert_eq!(err.template, 1, "{}", err.message);
        for says in [
            "11526 candidate shifts",
            "MAX_SCHEDULE_MODEL",
            "1440 log-in times (every 1m from 00:00 to 23:59) x 4 lengths x 2 days",
            "coarser `step`",
            "the others: shift_templates[0]",
        ] {
            assert!(err.message.contains(says), "{says}: {}", err.message);
        }
        let req = super::super::Requirement {
            groups: vec![super::super::GroupRequirement { group: AgentGroupId(0), required: vec![1; 1440] }],
        };
        let started = std::time::Instant::now();
        let refused = super::super::solve(&[big], &grid, 1, &req, &super::super::SolveSettings::default());
        assert!(
            matches!(refused, Err(super::super::ScheduleError::ModelTooLarge { template: 0, .. })),
            "{refused:?}"
        );
        assert!(started.elapsed().as_secs_f64() < 1.0, "counted, not built");
        assert!(check_model_size(&[small], &grid).is_ok());
    }

    #[test]
    fn a_template_reaches_the_open_hours_only_with_a_whole_interval() {
        let grid = IntervalGrid::new(ClockTime::parse("09:00").unwrap(), 30.0 * MINUTE, 4, 1).unwrap();
        let afternoon = template("13:00", "14:00", 30.0 * MINUTE, &[HOUR, 2.0 * HOUR], &[]);
        assert!(!reaches_open_hours(&afternoon, &grid));
        assert_eq!(hours_spanned(&afternoon), "logs in 13:00–14:00 and out by 16:00 at the latest");
        // Logging out at 09:20 covers no interval whole; at 09:30 it covers 09:00-09:30.
        assert!(!reaches_open_hours(
            &template("08:00", "08:00", 30.0 * MINUTE, &[80.0 * MINUTE], &[]),
            &grid
        ));
        assert!(reaches_open_hours(&template("08:00", "08:00", 30.0 * MINUTE, &[90.0 * MINUTE], &[]), &grid));
        // On a one-day grid a night shift also works the morning of the same day.
        assert!(reaches_open_hours(&template("23:00", "23:00", HOUR, &[11.0 * HOUR], &[]), &grid));
    }
}
