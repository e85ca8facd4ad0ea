//! From shift templates to the optimiser's columns: one [`Column`] per (template, day, log-in
//! time, length), each with the grid intervals it covers and its independent break choices.
//!
//! Coverage is counted the conservative way, the same way as [`crate::model::ShiftPlan::coverage`]: an agent
//! covers an interval only when logged in for the whole interval and not on break for any part
//! of it. A log-in, log-out or break boundary inside an interval therefore costs the whole
//! interval; break positions are generated every grid interval from the earliest offset, so
//! breaks of shifts that start on the grid never straddle two intervals.
//!
//! Breaks use the implicit formulation (Bechtold & Jacobs 1990, Aykin 1996): instead of one
//! column per combination of break positions, a shift has one [`BreakChoice`] per break, and
//! the model splits the shift's agents over each choice's positions. The number of variables
//! grows with the sum, not the product, of the position counts. The split is exact when the
//! choices are independent: any position of one break fits with any position of another (their
//! windows do not overlap in time) and no interval can be blocked by two of them. Breaks whose
//! windows or blocked intervals meet are merged into one choice over their valid combinations,
//! which is the explicit formulation for just those breaks.

use crate::model::on_duty::{EPS, inside, overlapping};
use crate::model::{ShiftBreak, ShiftTemplate};
use crate::time::{ClockTime, DAY, IntervalGrid, Seconds, SimTime};

/// One kind of shift the optimiser may staff: a template's shift at one log-in time and length
/// on one day.
#[derive(Clone, Debug)]
pub(super) struct Column {
    /// Index of the template in the caller's slice.
    pub template: usize,
    /// Agent group index.
    pub group: usize,
    /// Day of log-in, from 1.
    pub day: usize,
    /// Clock time of log-in.
    pub start: ClockTime,
    /// Log-in to log-out.
    pub length: Seconds,
    /// Cost of one agent working it once.
    pub cost: f64,
    /// Intervals covered by every agent of the column: inside the shift and not blocked by a
    /// fixed break. Sorted, no repeats.
    pub covered: Vec<usize>,
    /// Breaks with only one useful position.
    pub fixed_breaks: Vec<ShiftBreak>,
    /// Breaks the optimiser places; independent of each other (see the module docs).
    pub choices: Vec<BreakChoice>,
}

/// The positions of one break (or of several merged breaks) of a column.
#[derive(Clone, Debug)]
pub(super) struct BreakChoice {
    /// At least two options, none blocking a superset of another's intervals.
    pub options: Vec<BreakOption>,
}

/// One position of a break choice.
#[derive(Clone, Debug)]
pub(super) struct BreakOption {
    /// The breaks, ordered by offset.
    pub breaks: Vec<ShiftBreak>,
    /// Intervals of the column's `covered` set that these breaks take away. Sorted, no repeats.
    pub blocked: Vec<usize>,
}

impl Column {
    /// Whether some placement of the breaks leaves interval `idx` covered.
    pub fn can_cover(&self, idx: usize) -> bool {
        self.covered.binary_search(&idx).is_ok()
            && self.choices.iter().all(|c| c.options.iter().any(|o| o.blocked.binary_search(&idx).is_err()))
    }
}

/// Log-in instants of a shift worked on `day` (from 1), as the simulator's roster places them.
///
/// `every_day` is the plan's `days: None`: an overnight shift then also works the night before
/// day 1, as in a repeating day or week.
pub(super) fn log_ins(day: usize, start: ClockTime, length: Seconds, every_day: bool) -> Vec<SimTime> {
    let log_in = (day as f64 - 1.0) * DAY + start.secs();
    let mut out = vec![log_in];
    if every_day && day == 1 && start.secs() + length > DAY {
        out.push(log_in - DAY);
    }
    out
}

/// Every column of every template. Multi-day grids get one column per day (`every_day` false);
/// a one-day grid gets one column that also works the night before (`every_day` true).
pub(super) fn generate(templates: &[ShiftTemplate], grid: &IntervalGrid) -> Vec<Column> {
    let every_day = grid.days() == 1;
    let mut columns = Vec::new();
    for (t_idx, template) in templates.iter().enumerate() {
        for start in start_times(template) {
            for &length in &template.lengths {
                for day in 1..=grid.days() {
                    columns.push(column(template, t_idx, grid, day, start, length, every_day));
                }
            }
        }
    }
    columns
}

/// Log-in times of a template, each once; a latest start before the earliest wraps past
/// midnight.
fn start_times(template: &ShiftTemplate) -> Vec<ClockTime> {
    let first = template.earliest_start.secs();
    let mut last = template.latest_start.secs();
    if last < first {
        last += DAY;
    }
    let mut out: Vec<ClockTime> = Vec::new();
    let mut k = 0.0;
    loop {
        let t = first + k * template.step;
        if t > last + EPS {
            break;
        }
        let clock = ClockTime::from_secs(t);
        if !out.contains(&clock) {
            out.push(clock);
        }
        if template.step <= 0.0 {
            break;
        }
        k += 1.0;
    }
    out
}

fn column(
    template: &ShiftTemplate,
    t_idx: usize,
    grid: &IntervalGrid,
    day: usize,
    start: ClockTime,
    length: Seconds,
    every_day: bool,
) -> Column {
    let log_ins = log_ins(day, start, length, every_day);
    let mut covered: Vec<usize> = log_ins.iter().flat_map(|&t| inside(grid, t, t + length)).collect();
    covered.sort_unstable();
    covered.dedup();
    let blocked_by = |b: ShiftBreak| -> Vec<usize> {
        let mut out: Vec<usize> = log_ins
            .iter()
            .flat_map(|&t| overlapping(grid, t + b.offset, t + b.offset + b.length))
            .filter(|idx| covered.binary_search(idx).is_ok())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    };

    // One choice per break rule; a rule with no position inside this length does not apply.
    let mut choices: Vec<(Seconds, Seconds, Vec<BreakOption>)> = Vec::new();
    for rule in &template.breaks {
        let mut options = Vec::new();
        let mut offset = rule.earliest;
        while offset <= rule.latest + EPS && offset + rule.length <= length + EPS {
            let b = ShiftBreak { offset, length: rule.length };
            options.push(BreakOption { breaks: vec![b], blocked: blocked_by(b) });
            offset += grid.length();
        }
        if options.is_empty() {
            continue;
        }
        let span =
            (rule.earliest, options.last().map_or(rule.earliest, |o| o.breaks[0].offset) + rule.length);
        choices.push((span.0, span.1, options));
    }

    // Merge choices that could collide, so that the remaining ones are independent.
    let mut merged: Vec<(Seconds, Seconds, Vec<BreakOption>)> = Vec::new();
    for (from, to, options) in choices {
        let mut acc = (from, to, options);
        let mut i = 0;
        while i < merged.len() {
            let m = &merged[i];
            let times_meet = m.0 < acc.1 - EPS && acc.0 < m.1 - EPS;
            if times_meet || intervals_meet(&m.2, &acc.2) {
                let m = merged.swap_remove(i);
                acc = (m.0.min(acc.0), m.1.max(acc.1), combine(&m.2, &acc.2));
                i = 0;
            } else {
                i += 1;
            }
        }
        merged.push(acc);
    }
    merged.sort_by(|a, b| a.0.total_cmp(&b.0));

    let mut fixed_breaks = Vec::new();
    let mut kept = Vec::new();
    for (_, _, options) in merged {
        let options = undominated(options);
        match options.len() {
            0 => {}
            1 => {
                let only = &options[0];
                covered.retain(|idx| only.blocked.binary_search(idx).is_err());
                fixed_breaks.extend(only.breaks.iter().copied());
            }
            _ => kept.push(BreakChoice { options }),
        }
    }
    fixed_breaks.sort_by(|a, b| a.offset.total_cmp(&b.offset));

    Column {
        template: t_idx,
        group: template.group.idx(),
        day,
        start,
        length,
        cost: template.cost_per_hour * length / 3600.0,
        covered,
        fixed_breaks,
        choices: kept,
    }
}

/// Whether an interval could be blocked by an option of `a` and by an option of `b`.
fn intervals_meet(a: &[BreakOption], b: &[BreakOption]) -> bool {
    let union = |opts: &[BreakOption]| {
        let mut u: Vec<usize> = opts.iter().flat_map(|o| o.blocked.iter().copied()).collect();
        u.sort_unstable();
        u.dedup();
        u
    };
    let ua = union(a);
    union(b).iter().any(|idx| ua.binary_search(idx).is_ok())
}

/// Every pair of options whose breaks do not overlap in time, with the union of their blocks.
fn combine(a: &[BreakOption], b: &[BreakOption]) -> Vec<BreakOption> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let clash = x.breaks.iter().any(|p| {
                y.breaks
                    .iter()
                    .any(|q| p.offset < q.offset + q.length - EPS && q.offset < p.offset + p.length - EPS)
            });
            if clash {
                continue;
            }
            let mut breaks: Vec<ShiftBreak> = x.breaks.iter().chain(&y.breaks).copied().collect();
            breaks.sort_by(|p, q| p.offset.total_cmp(&q.offset));
            let mut blocked: Vec<usize> = x.blocked.iter().chain(&y.blocked).copied().collect();
            blocked.sort_unstable();
            blocked.dedup();
            out.push(BreakOption { breaks, blocked });
        }
    }
    out
}

/// Drops options that block a superset of another option's intervals (the first of equals is
/// kept): they can never do better.
fn undominated(options: Vec<BreakOption>) -> Vec<BreakOption> {
    let subset = |a: &[usize], b: &[usize]| a.iter().all(|idx| b.binary_search(idx).is_ok());
    let mut kept: Vec<BreakOption> = Vec::new();
    for (i, o) in options.iter().enumerate() {
        let dominated = options.iter().enumerate().any(|(j, p)| {
            j != i && subset(&p.blocked, &o.blocked) && (p.blocked.len() < o.blocked.len() || j < i)
        });
        if !dominated {
            kept.push(o.clone());
        }
    }
    kept
}
