//! Tests of the shift optimiser: coverage of every coverable interval, optimality against a
//! brute force written independently of the model, uncoverable intervals, limits, and the
//! agreement of [`coverage`] with the model's own count. This file holds the helpers the
//! tests share; the tests are grouped by what they check: [`optimality`] (brute force, the LP
//! file, stopping rules), [`coverage`] (requirements, limits, overnight shifts) and [`parts`]
//! (independent parts, and plans that do not depend on the run).

mod coverage;
mod optimality;
mod parts;

use rand::{RngExt, SeedableRng};

use super::*;
use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use super::parts::Part;
use super::search::{cost_unit, round_up_to_cost_unit, unit_gap};
use crate::model::{BreakRule, GroupStaffing, Shift, ShiftBreak, ShiftTemplateSpec};
use crate::time::ClockTime;

const HOUR: Seconds = 3600.0;

fn clock(text: &str) -> ClockTime {
    ClockTime::parse(text).unwrap()
}

fn template(
    group: u16,
    earliest: &str,
    latest: &str,
    step_h: f64,
    lengths_h: &[f64],
    cost: f64,
) -> ShiftTemplate {
    ShiftTemplate::new(ShiftTemplateSpec {
        group: AgentGroupId(group),
        earliest_start: clock(earliest),
        latest_start: clock(latest),
        step: step_h * HOUR,
        lengths: lengths_h.iter().map(|l| l * HOUR).collect(),
        breaks: Vec::new(),
        cost_per_hour: cost,
        max_agents: None,
    })
    .unwrap()
}

/// `t` changed by `change`, checked again (templates are immutable once built).
fn set(t: &mut ShiftTemplate, change: impl FnOnce(&mut ShiftTemplateSpec)) {
    let mut spec = t.spec();
    change(&mut spec);
    *t = ShiftTemplate::new(spec).unwrap();
}

fn one_group(required: Vec<u32>) -> Requirement {
    Requirement { groups: vec![GroupRequirement { group: AgentGroupId(0), required }] }
}

/// Settings that make microlp prove optimality on small instances.
fn exact() -> SolveSettings {
    SolveSettings { mip_gap: 0.0, time_limit: 60.0, max_headcount: None }
}

/// Checks what every schedule must satisfy and returns it: coverable intervals covered,
/// uncovered ones listed exactly, and `coverage()` equal to the model's own count.
fn solve_checked(
    templates: &[ShiftTemplate],
    grid: &IntervalGrid,
    n_groups: usize,
    req: &Requirement,
    settings: &SolveSettings,
) -> Schedule {
    let (schedule, model) = solve_with_model_coverage(templates, grid, n_groups, req, settings).unwrap();
    assert_eq!(schedule.coverage, model, "coverage() and the model count agents on duty differently");
    assert_eq!(schedule.plan.coverage(grid, n_groups), schedule.coverage);
    for r in &req.groups {
        let required = grid.expand(&r.required).unwrap();
        for (t, &need) in required.iter().enumerate() {
            let listed = schedule.uncovered.iter().find(|u| u.interval == t && u.group == r.group);
            match listed {
                Some(u) => assert_eq!(u.required, need),
                None => assert!(
                    schedule.coverage[r.group.idx()][t] >= need,
                    "group {} interval {t}: {} on duty, {need} required",
                    r.group.0,
                    schedule.coverage[r.group.idx()][t]
                ),
            }
        }
    }
    let cost: f64 = schedule
        .plan
        .shifts
        .iter()
        .map(|s| {
            let t = templates.iter().find(|t| t.group == s.group && t.lengths.contains(&s.length)).unwrap();
            t.cost_per_hour
                * s.paid_hours()
                * f64::from(s.agents)
                * s.days.as_ref().map_or(1.0, |d| d.len() as f64)
        })
        .sum();
    assert!((cost - schedule.cost).abs() < 1e-6, "cost {} but shifts cost {cost}", schedule.cost);
    // The status is the whole plan's, judged by the reported gap (parts short of the gap may
    // add up to a plan within it).
    let gap = schedule.stats.gap.unwrap();
    assert_eq!(
        schedule.status != SolveStatus::TimeLimit,
        gap <= settings.mip_gap,
        "{:?} at gap {gap}",
        schedule.status
    );
    if schedule.status == SolveStatus::Optimal {
        assert!(gap < 1e-9, "optimal at gap {gap}");
    }
    for s in &schedule.plan.shifts {
        for pair in s.breaks.windows(2) {
            assert!(
                pair[0].offset + pair[0].length <= pair[1].offset + 1e-9,
                "breaks overlap: {:?}",
                s.breaks
            );
        }
    }
    schedule
}

/// The cheapest cost by exhaustive search over agents per (start, length, break hour) pattern,
/// on an hourly grid from 00:00 with integer hours throughout: independent of the model's
/// columns, intervals and break choices.
fn brute_force(patterns: &[Pattern], required: &[u32]) -> f64 {
    fn rec(
        i: usize,
        patterns: &[Pattern],
        required: &[u32],
        on_duty: &mut Vec<u32>,
        cost: f64,
        best: &mut f64,
    ) {
        if cost >= *best {
            return;
        }
        if i == patterns.len() {
            if on_duty.iter().zip(required).all(|(a, r)| a >= r) {
                *best = cost;
            }
            return;
        }
        let (start, length, brk, price) = patterns[i];
        let hours: Vec<usize> =
            (start..start + length).filter(|&h| Some(h) != brk && h < required.len()).collect();
        let max = required.iter().copied().max().unwrap_or(0);
        for n in 0..=max {
            rec(i + 1, patterns, required, on_duty, cost + f64::from(n) * price, best);
            for &h in &hours {
                on_duty[h] += 1;
            }
        }
        for &h in &hours {
            on_duty[h] -= max + 1;
        }
    }
    let mut best = f64::INFINITY;
    rec(0, patterns, required, &mut vec![0; required.len()], 0.0, &mut best);
    best
}

/// A brute-force pattern: (start hour, length in hours, break hour, cost).
type Pattern = (usize, usize, Option<usize>, f64);

/// The brute-force tests' shifts on an hourly grid: 4h at 10 an hour with a 1h break after 1h
/// or 2h, logging in hourly from `first` to `last_long`, and 3h without breaks at 12 an hour
/// from `first` to `last_short`; with the same shifts as brute-force patterns on each day whose
/// first hour is in `day_starts`.
fn hourly_shifts(
    first: usize,
    last_long: usize,
    last_short: usize,
    day_starts: &[usize],
) -> ([ShiftTemplate; 2], Vec<Pattern>) {
    let clock = |h: usize| format!("{h:02}:00");
    let mut long = template(0, &clock(first), &clock(last_long), 1.0, &[4.0], 10.0);
    set(&mut long, |s| s.breaks = vec![BreakRule { length: HOUR, earliest: HOUR, latest: 2.0 * HOUR }]);
    let short = template(0, &clock(first), &clock(last_short), 1.0, &[3.0], 12.0);
    let mut patterns = Vec::new();
    for &day in day_starts {
        for start in (first..=last_long).map(|h| h + day) {
            for brk in [start + 1, start + 2] {
                patterns.push((start, 4, Some(brk), 40.0));
            }
        }
        patterns.extend((first..=last_short).map(|h| (h + day, 3, None, 36.0)));
    }
    ([long, short], patterns)
}
