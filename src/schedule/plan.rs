//! The solution as a plan: the agents of each column merged into shifts (on several days, the
//! same shift into one row listing its days), and the coverage the model itself counts.

use crate::model::{AgentGroupId, Shift, ShiftBreak, ShiftPlan};
use crate::time::IntervalGrid;

use super::columns::Column;
use super::heuristic::Assignment;

/// The agents of each column, each given one option of every break choice, merged into
/// shifts by (group, day, log-in, length, breaks); on several days, then, the same shift with
/// as many agents on several days into one shift listing those days.
pub(super) fn build_plan(columns: &[Column], counts: &Assignment, grid: &IntervalGrid) -> ShiftPlan {
    let every_day = grid.days() == 1;
    let mut shifts: Vec<Shift> = Vec::new();
    for (s, c) in columns.iter().enumerate() {
        let n = counts.shifts[s];
        if n == 0 {
            continue;
        }
        // Agent i takes the i-th position of each choice; choices are independent, so any
        // pairing is a valid set of breaks.
        let per_choice: Vec<Vec<usize>> = counts.options[s]
            .iter()
            .map(|opts| {
                opts.iter().enumerate().flat_map(|(o, &k)| std::iter::repeat_n(o, k as usize)).collect()
            })
            .collect();
        for i in 0..n as usize {
            let mut breaks: Vec<ShiftBreak> = c.fixed_breaks.clone();
            for (ch, choice) in c.choices.iter().enumerate() {
                let o = per_choice[ch].get(i).copied().unwrap_or(0);
                breaks.extend(choice.options[o].breaks.iter().copied());
            }
            breaks.sort_by(|p, q| p.offset.total_cmp(&q.offset));
            let days = if every_day { None } else { Some(vec![c.day]) };
            let group = AgentGroupId(c.group as u16);
            match shifts.iter_mut().find(|sh| {
                sh.group == group
                    && sh.start == c.start
                    && sh.length == c.length
                    && sh.days == days
                    && sh.breaks == breaks
            }) {
                Some(existing) => existing.agents += 1,
                None => {
                    shifts.push(Shift { group, start: c.start, length: c.length, agents: 1, breaks, days })
                }
            }
        }
    }
    // Log-ins in the order of the grid's day: on nights from 22:00, a shift from 01:00 comes after
    // one from 22:00.
    let on_day = |s: &Shift| grid.clock_on_day(s.start);
    let by_day = |a: &Shift, b: &Shift| {
        (a.group, &a.days)
            .cmp(&(b.group, &b.days))
            .then(on_day(a).total_cmp(&on_day(b)))
            .then(a.length.total_cmp(&b.length))
    };
    shifts.sort_by(by_day);
    if !every_day {
        // The same shift with as many agents on several days is one row worked on those days:
        // a week's plan reads as patterns ("10 agents 08:00-16:30, days 1-5"), not day by day.
        let mut merged: Vec<Shift> = Vec::new();
        for shift in shifts {
            let same = merged.iter_mut().find(|m| {
                m.group == shift.group
                    && m.start == shift.start
                    && m.length == shift.length
                    && m.agents == shift.agents
                    && m.breaks == shift.breaks
            });
            match same {
                Some(m) => m.days.get_or_insert_with(Vec::new).extend(shift.days.unwrap_or_default()),
                None => merged.push(shift),
            }
        }
        // By start time, so that a start's patterns on different days stand together.
        merged.sort_by(|a, b| {
            (a.group.cmp(&b.group))
                .then(on_day(a).total_cmp(&on_day(b)))
                .then(a.length.total_cmp(&b.length))
                .then(a.days.cmp(&b.days))
        });
        shifts = merged;
    }
    ShiftPlan { name: "schedule".to_string(), shifts, staffing: Vec::new() }
}

/// On-duty agents per `[group][interval]` as the model counts them.
pub(super) fn model_coverage(
    columns: &[Column],
    counts: &Assignment,
    grid: &IntervalGrid,
    n_groups: usize,
) -> Vec<Vec<u32>> {
    let mut out = vec![vec![0i64; grid.len()]; n_groups];
    for (s, c) in columns.iter().enumerate() {
        let n = i64::from(counts.shifts[s]);
        if n == 0 {
            continue;
        }
        for &t in &c.covered {
            out[c.group][t] += n;
        }
        for (choice, opts) in c.choices.iter().zip(&counts.options[s]) {
            for (option, &k) in choice.options.iter().zip(opts) {
                for &t in &option.blocked {
                    out[c.group][t] -= i64::from(k);
                }
            }
        }
    }
    out.into_iter().map(|row| row.into_iter().map(|v| v.max(0) as u32).collect()).collect()
}
