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
use crate::model::{BreakRule, ShiftBreak, ShiftTemplate};
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

/// Log-in instants of a shift worked on `day` (from 1) of `grid`, as the simulator's roster
/// places them ([`crate::model::Shift::log_ins`]): a start in the morning a grid's days run
/// into is worked on the day that began the evening before, and an overnight shift of the last
/// day also works the night before day 1, as in a repeating day or week.
pub(super) fn log_ins(day: usize, grid: &IntervalGrid, start: ClockTime, length: Seconds) -> Vec<SimTime> {
    crate::model::Shift::log_ins_of(grid, start, length, |d| d == day).collect()
}

/// Every column of every template, one per day of the grid.
pub(super) fn generate(templates: &[ShiftTemplate], grid: &IntervalGrid) -> Vec<Column> {
    let mut columns = Vec::new();
    for (t_idx, template) in templates.iter().enumerate() {
        for start in start_times(template) {
            for &length in &template.lengths {
                for day in 1..=grid.days() {
                    columns.push(column(template, t_idx, grid, day, start, length));
                }
            }
        }
    }
    columns
}

/// Log-in times of a template, each once; a latest start before the earliest wraps past
/// midnight.
pub(super) fn start_times(template: &ShiftTemplate) -> Vec<ClockTime> {
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
) -> Column {
    let log_ins = log_ins(day, grid, start, length);
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
    let choices = template.breaks.iter().filter_map(|rule| {
        let options: Vec<BreakOption> = break_offsets(rule, length, grid)
            .map(|offset| {
                let b = ShiftBreak { offset, length: rule.length };
                BreakOption { breaks: vec![b], blocked: blocked_by(b) }
            })
            .collect();
        let last = options.last()?.breaks[0].offset;
        Some(Span { from: rule.earliest, to: last + rule.length, of: options })
    });

    // Merge choices that could collide, so that the remaining ones are independent.
    let merged =
        merge_spans(choices, |a, b| a.meets(b, 0.0) || intervals_meet(&a.of, &b.of), |a, b| combine(&a, &b));

    let mut fixed_breaks = Vec::new();
    let mut kept = Vec::new();
    for Span { of: options, .. } in merged {
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

/// Offsets from log-in at which a break of `rule` may start in a shift of `length`: every grid
/// interval from its earliest offset, while it starts by its latest and ends by log-out.
pub(super) fn break_offsets(
    rule: &BreakRule,
    length: Seconds,
    grid: &IntervalGrid,
) -> impl Iterator<Item = Seconds> {
    let (rule, step) = (*rule, grid.length());
    (0..)
        .map(move |k| rule.earliest + f64::from(k) * step)
        .take_while(move |&offset| offset <= rule.latest + EPS && offset + rule.length <= length + EPS)
}

/// Something spread over offsets `[from, to)` of a shift: a break choice's options, or a count of
/// them.
pub(super) struct Span<T> {
    pub(super) from: Seconds,
    pub(super) to: Seconds,
    pub(super) of: T,
}

impl<T> Span<T> {
    /// Whether the two spans, each widened by `margin` on both sides, overlap.
    pub(super) fn meets(&self, other: &Span<T>, margin: Seconds) -> bool {
        self.from - margin < other.to + margin - EPS && other.from - margin < self.to + margin - EPS
    }
}

/// Spans merged until no two that `meet` are left, each merge joining their contents by
/// `join`, sorted by start.
pub(super) fn merge_spans<T>(
    spans: impl IntoIterator<Item = Span<T>>,
    meet: impl Fn(&Span<T>, &Span<T>) -> bool,
    join: impl Fn(T, T) -> T,
) -> Vec<Span<T>> {
    let mut merged: Vec<Span<T>> = Vec::new();
    for span in spans {
        let mut acc = span;
        let mut i = 0;
        while i < merged.len() {
            if meet(&merged[i], &acc) {
                let m = merged.swap_remove(i);
                acc = Span { from: m.from.min(acc.from), to: m.to.max(acc.to), of: join(m.of, acc.of) };
                i = 0;
            } else {
                i += 1;
            }
        }
        merged.push(acc);
    }
    merged.sort_by(|a, b| a.from.total_cmp(&b.from));
    merged
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
