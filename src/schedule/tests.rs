//! Tests of the shift optimiser: coverage of every coverable interval, optimality against a
//! brute force written independently of the model, uncoverable intervals, limits, and the
//! agreement of [`coverage`] with the model's own count.

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

#[test]
fn ip_optimum_equals_a_brute_force_optimum_on_small_instances() {
    // 4h shifts starting 00:00..03:00 with a 1h break after 1h or 2h, and 3h shifts without
    // breaks starting 00:00..04:00, on a 7-hour day.
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 7, 1).unwrap();
    let ([long, short], patterns) = hourly_shifts(0, 3, 4, &[0]);
    let mut rng = crate::stream::Rng::seed_from_u64(7);
    for case in 0..12 {
        let required: Vec<u32> = (0..7).map(|_| rng.random_range(0..=2)).collect();
        let expected = brute_force(&patterns, &required);
        let schedule =
            solve_checked(&[long.clone(), short.clone()], &grid, 1, &one_group(required.clone()), &exact());
        assert!(schedule.uncovered.is_empty(), "case {case}: every interval is coverable");
        assert_eq!(schedule.status, SolveStatus::Optimal, "case {case}");
        assert!(
            (schedule.cost - expected).abs() < 1e-6,
            "case {case}: required {required:?}: solver {}, brute force {expected}",
            schedule.cost
        );
        let from_file =
            lp_file_optimum(&[long.clone(), short.clone()], &grid, 1, &one_group(required), &exact());
        assert!(
            (from_file - expected).abs() < 1e-6,
            "case {case}: LP file {from_file}, brute force {expected}"
        );
    }
}

/// Writes the program as an LP file, reads it back with a reader of the format written here
/// (not the solver's own model) and returns the optimum microlp proves for it.
fn lp_file_optimum(
    templates: &[ShiftTemplate],
    grid: &IntervalGrid,
    n_groups: usize,
    req: &Requirement,
    settings: &SolveSettings,
) -> f64 {
    let mut bytes = Vec::new();
    write_lp(templates, grid, n_groups, req, settings, &mut bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    // Statements end where the next starts: a line not indented by three spaces.
    let mut statements: Vec<String> = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('\\')) {
        match line.strip_prefix("   ") {
            Some(more) => statements.last_mut().unwrap().push_str(more),
            None => statements.push(line.to_string()),
        }
    }
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let mut vars: std::collections::HashMap<String, Variable> = std::collections::HashMap::new();
    let mut section = "";
    let mut objective: Vec<(String, f64)> = Vec::new();
    type Terms = Vec<(String, f64)>;
    let mut rows: Vec<(Terms, String, f64)> = Vec::new();
    let mut upper: std::collections::HashMap<String, i32> = std::collections::HashMap::new();
    let mut integer: Vec<String> = Vec::new();
    let terms = |tokens: &[&str]| -> Terms {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let sign = if tokens[i] == "-" { -1.0 } else { 1.0 };
            i += 1;
            let coef = tokens[i].parse::<f64>().ok();
            if coef.is_some() {
                i += 1;
            }
            out.push((tokens[i].to_string(), sign * coef.unwrap_or(1.0)));
            i += 1;
        }
        out
    };
    for statement in &statements {
        match statement.trim() {
            "Minimize" | "Subject To" | "Bounds" | "General" | "End" => {
                section = statement.trim_start();
                continue;
            }
            _ => {}
        }
        let tokens: Vec<&str> = statement.split_whitespace().collect();
        match section {
            "Minimize" => objective = terms(&tokens[1..]),
            "Subject To" => {
                let n = tokens.len();
                rows.push((
                    terms(&tokens[1..n - 2]),
                    tokens[n - 2].to_string(),
                    tokens[n - 1].parse().unwrap(),
                ));
            }
            "Bounds" => {
                assert_eq!((tokens[0], tokens[1], tokens[3]), ("0", "<=", "<="), "{statement}");
                upper.insert(tokens[2].to_string(), tokens[4].parse().unwrap());
            }
            "General" => integer.extend(tokens.iter().map(|t| t.to_string())),
            other => panic!("a statement outside any section ({other:?}): {statement}"),
        }
    }
    let cost: std::collections::HashMap<String, f64> = objective.into_iter().collect();
    for name in &integer {
        let max = upper.get(name).copied().unwrap_or(i32::MAX);
        vars.insert(name.clone(), problem.add_integer_var(cost.get(name).copied().unwrap_or(0.0), (0, max)));
    }
    assert!(cost.keys().all(|name| vars.contains_key(name)), "every costed variable is declared integer");
    for (lhs, sense, rhs) in rows {
        let op = match sense.as_str() {
            ">=" => ComparisonOp::Ge,
            "=" => ComparisonOp::Eq,
            "<=" => ComparisonOp::Le,
            other => panic!("sense {other}"),
        };
        problem.add_constraint(lhs.iter().map(|(name, c)| (vars[name], *c)).collect::<Vec<_>>(), op, rhs);
    }
    problem.solve().unwrap().into_solution().unwrap().objective()
}

#[test]
fn the_lp_file_has_the_solvers_optimum_with_limits() {
    // Limits that bind: upper bounds on the shift variables and max_agents/max_headcount rows.
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 8, 2).unwrap();
    let mut long = template(0, "00:00", "04:00", 1.0, &[4.0], 8.0);
    set(&mut long, |s| s.breaks = vec![BreakRule { length: HOUR, earliest: HOUR, latest: 2.0 * HOUR }]);
    set(&mut long, |s| s.max_agents = Some(2));
    let short = template(0, "00:00", "05:00", 1.0, &[3.0], 12.0);
    let required: Vec<u32> = vec![1, 2, 3, 3, 2, 2, 1, 1, 2, 2, 3, 1, 1, 2, 2, 1];
    let settings = SolveSettings { max_headcount: Some(5), ..exact() };
    let templates = [long, short];
    let schedule = solve_checked(&templates, &grid, 1, &one_group(required.clone()), &settings);
    assert_eq!(schedule.status, SolveStatus::Optimal);
    let unlimited = solve_checked(&templates[1..], &grid, 1, &one_group(required.clone()), &exact());
    assert!(schedule.cost < unlimited.cost, "the cheaper long shifts are used");
    let from_file = lp_file_optimum(&templates, &grid, 1, &one_group(required), &settings);
    assert!((from_file - schedule.cost).abs() < 1e-6, "LP file {from_file}, solver {}", schedule.cost);
}

#[test]
fn covers_the_requirement_in_every_coverable_interval_of_random_weeks() {
    // Three days of 30-minute intervals, overnight shifts, two groups, two breaks per long
    // shift whose windows overlap (so they are merged into one explicit choice).
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 1800.0, 48, 3).unwrap();
    let mut rng = crate::stream::Rng::seed_from_u64(11);
    for case in 0..2 {
        let mut a = template(0, "06:00", "23:00", 1.0, &[4.0, 8.0], 20.0);
        set(&mut a, |s| {
            s.breaks = vec![
                BreakRule { length: 900.0, earliest: 1.5 * HOUR, latest: 2.5 * HOUR },
                BreakRule { length: 1800.0, earliest: 2.5 * HOUR, latest: 5.0 * HOUR },
            ]
        });
        let mut b = template(1, "07:30", "15:30", 0.5, &[6.0], 30.0);
        set(&mut b, |s| {
            s.breaks = vec![BreakRule { length: 1800.0, earliest: 2.0 * HOUR, latest: 3.5 * HOUR }]
        });
        let req = Requirement {
            groups: (0..2)
                .map(|g| GroupRequirement {
                    group: AgentGroupId(g),
                    required: (0..grid.len()).map(|_| rng.random_range(0..=3)).collect(),
                })
                .collect(),
        };
        let schedule = solve_checked(
            &[a, b],
            &grid,
            2,
            &req,
            // A safety limit only: the node budgets end the search first, unless the machine
            // is so loaded that the LP alone takes seconds.
            &SolveSettings { time_limit: 20.0, ..SolveSettings::default() },
        );
        // Days are listed (a shift on several days is one row), ascending, within the grid.
        assert!(
            schedule
                .plan
                .shifts
                .iter()
                .all(|s| s.days.as_ref().is_some_and(|d| !d.is_empty()
                    && d.windows(2).all(|w| w[0] < w[1])
                    && d[d.len() - 1] <= 3)),
            "case {case}"
        );
        // Group 1 works 07:30 to 21:30 at most: everything outside is listed as uncovered.
        assert!(schedule.uncovered.iter().all(|u| {
            let slot = u.interval % 48;
            u.group == AgentGroupId(1) && !(15..43).contains(&slot)
                || u.group == AgentGroupId(0) && slot < 12 && u.interval < 48
        }));
    }
}

#[test]
fn uncoverable_intervals_are_reported_and_the_rest_is_scheduled() {
    // Shifts 08:00-12:00 with a break fixed at 10:00 (one position): 06:00, 10:00 and 17:00
    // cannot be covered by anyone.
    let grid = IntervalGrid::new(clock("06:00"), HOUR, 12, 1).unwrap();
    let mut t = template(0, "08:00", "08:00", 1.0, &[4.0], 10.0);
    set(&mut t, |s| s.breaks = vec![BreakRule { length: HOUR, earliest: 2.0 * HOUR, latest: 2.0 * HOUR }]);
    let mut required = vec![0; 12];
    for (slot, need) in [(0, 1), (2, 2), (3, 2), (4, 3), (5, 1), (11, 4)] {
        required[slot] = need;
    }
    let schedule = solve_checked(&[t], &grid, 1, &one_group(required), &exact());
    let listed: Vec<(usize, u32)> = schedule.uncovered.iter().map(|u| (u.interval, u.required)).collect();
    assert_eq!(listed, vec![(0, 1), (4, 3), (11, 4)]);
    assert_eq!(schedule.plan.shifts.len(), 1);
    assert_eq!(schedule.plan.shifts[0].agents, 2, "two agents cover 08:00-10:00 and 11:00");
}

#[test]
fn identical_shifts_are_merged() {
    let grid = IntervalGrid::new(clock("08:00"), HOUR, 4, 1).unwrap();
    let t = template(0, "08:00", "08:00", 1.0, &[4.0], 10.0);
    let schedule = solve_checked(&[t], &grid, 1, &one_group(vec![3; 4]), &exact());
    assert_eq!(schedule.plan.shifts.len(), 1);
    assert_eq!(schedule.plan.shifts[0].agents, 3);
    assert_eq!(schedule.paid_hours, 12.0);
    assert_eq!(schedule.cost, 120.0);
}

#[test]
fn max_agents_and_max_headcount_are_respected() {
    // Cheap 8h shifts would do it all; max_agents forces dearer 4h shifts in as well.
    let grid = IntervalGrid::new(clock("08:00"), HOUR, 8, 2).unwrap();
    let mut cheap = template(0, "08:00", "08:00", 1.0, &[8.0], 10.0);
    set(&mut cheap, |s| s.max_agents = Some(2));
    let dear = template(0, "08:00", "12:00", 1.0, &[4.0], 15.0);
    let req = one_group(vec![4; 8]);
    let free = solve_checked(
        &[template(0, "08:00", "08:00", 1.0, &[8.0], 10.0), dear.clone()],
        &grid,
        1,
        &req,
        &exact(),
    );
    let limited = solve_checked(&[cheap.clone(), dear.clone()], &grid, 1, &req, &exact());
    for day in 1..=2 {
        let cheap_agents: u32 = limited
            .plan
            .shifts
            .iter()
            .filter(|s| s.length == 8.0 * HOUR && s.works_on(day))
            .map(|s| s.agents)
            .sum();
        assert!(cheap_agents <= 2, "day {day}: {cheap_agents} agents on the limited template");
    }
    assert!(limited.cost > free.cost);

    // Covering 4 agents for 8 hours takes at least 4 agents a day; 6 allows 2 long + 4 short.
    let settings = SolveSettings { max_headcount: Some(6), ..exact() };
    let capped = solve_checked(&[cheap.clone(), dear.clone()], &grid, 1, &req, &settings);
    for day in 1..=2 {
        let agents: u32 = capped.plan.shifts.iter().filter(|s| s.works_on(day)).map(|s| s.agents).sum();
        assert!(agents <= 6, "day {day}: {agents} agents");
    }
    let too_tight = SolveSettings { max_headcount: Some(5), ..exact() };
    let err = solve(&[cheap, dear], &grid, 1, &req, &too_tight).unwrap_err();
    assert!(matches!(err, ScheduleError::Infeasible { .. }), "{err}");
    assert!(err.to_string().contains("max_headcount = 5"), "{err}");
}

#[test]
fn coverage_counts_only_whole_intervals_on_duty() {
    // Log-in 08:10, log-out 12:10, break 10:00-10:15 on a 30-minute grid from 08:00.
    let grid = IntervalGrid::new(clock("08:00"), 1800.0, 10, 1).unwrap();
    let plan = ShiftPlan {
        name: "p".to_string(),
        shifts: vec![Shift {
            group: AgentGroupId(0),
            start: clock("08:10"),
            length: 4.0 * HOUR,
            agents: 2,
            breaks: vec![ShiftBreak { offset: 1.0 * HOUR + 50.0 * 60.0, length: 900.0 }],
            days: None,
        }],
        staffing: vec![GroupStaffing { group: AgentGroupId(1), agents: vec![1; 10] }],
    };
    let on_duty = plan.coverage(&grid, 2);
    // 08:00 and 12:00 are cut by log-in and log-out, 10:00 by the break.
    assert_eq!(on_duty[0], vec![0, 2, 2, 2, 0, 2, 2, 2, 0, 0]);
    assert_eq!(on_duty[1], vec![1; 10]);
}

#[test]
fn overnight_shifts_cover_the_next_morning_and_stop_at_the_horizon() {
    let shift = |days: Option<Vec<usize>>| Shift {
        group: AgentGroupId(0),
        start: clock("22:00"),
        length: 4.0 * HOUR,
        agents: 1,
        breaks: Vec::new(),
        days,
    };
    let plan = |days| ShiftPlan { name: "p".to_string(), shifts: vec![shift(days)], staffing: Vec::new() };
    let two_days = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 24, 2).unwrap();
    let on =
        |row: &[u32]| row.iter().enumerate().filter(|(_, n)| **n > 0).map(|(t, _)| t).collect::<Vec<_>>();
    assert_eq!(on(&plan(Some(vec![1])).coverage(&two_days, 1)[0]), vec![22, 23, 24, 25]);
    assert_eq!(on(&plan(Some(vec![2])).coverage(&two_days, 1)[0]), vec![46, 47]);
    // Worked every day of a one-day grid: the same night's shift covers the early morning.
    let one_day = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 24, 1).unwrap();
    assert_eq!(on(&plan(None).coverage(&one_day, 1)[0]), vec![0, 1, 22, 23]);
}

#[test]
fn the_optimiser_uses_overnight_shifts_on_a_one_day_grid() {
    // Demand 22:00-02:00 only; the one 4h shift at 22:00 wraps to cover 00:00-02:00.
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 24, 1).unwrap();
    let t = template(0, "00:00", "23:00", 1.0, &[4.0], 10.0);
    let mut required = vec![0; 24];
    for slot in [0, 1, 22, 23] {
        required[slot] = 1;
    }
    let schedule = solve_checked(&[t], &grid, 1, &one_group(required), &exact());
    assert_eq!(schedule.cost, 40.0);
    assert_eq!(schedule.plan.shifts[0].start, clock("22:00"));
    assert_eq!(schedule.plan.shifts[0].days, None);
}

#[test]
fn status_serialises_as_the_json_contract_says() {
    let words: Vec<String> = [SolveStatus::Optimal, SolveStatus::GapLimit, SolveStatus::TimeLimit]
        .iter()
        .map(|s| serde_json::to_string(s).unwrap())
        .collect();
    assert_eq!(words, ["\"optimal\"", "\"gap_limit\"", "\"time_limit\""]);
}

#[test]
fn rejects_requirements_that_do_not_fit_the_grid() {
    let grid = IntervalGrid::new(clock("08:00"), HOUR, 4, 2).unwrap();
    let t = template(0, "08:00", "08:00", 1.0, &[4.0], 10.0);
    let err = solve(std::slice::from_ref(&t), &grid, 1, &one_group(vec![1; 5]), &exact()).unwrap_err();
    assert!(err.to_string().contains("5 intervals, expected 4 (one day) or 8"), "{err}");
    let req = Requirement { groups: vec![GroupRequirement { group: AgentGroupId(3), required: vec![1; 4] }] };
    assert!(matches!(solve(&[t], &grid, 1, &req, &exact()), Err(ScheduleError::BadGroup { .. })));
}

#[test]
fn no_demand_gives_an_empty_optimal_plan() {
    let grid = IntervalGrid::new(clock("08:00"), HOUR, 4, 1).unwrap();
    let t = template(0, "08:00", "08:00", 1.0, &[4.0], 10.0);
    let schedule = solve_checked(&[t], &grid, 1, &one_group(vec![0; 4]), &exact());
    assert_eq!(schedule.status, SolveStatus::Optimal);
    assert!(schedule.plan.shifts.is_empty());
    assert_eq!(schedule.cost, 0.0);
}

#[test]
fn neighbourhood_search_keeps_plans_feasible_on_multi_day_grids() {
    // 15-minute intervals with 15- and 30-minute breaks: the LP is fractional, so rounding,
    // the day-by-day search and the branch and bound all run.
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 900.0, 96, 2).unwrap();
    let mut t4 = template(0, "05:00", "20:00", 0.25, &[4.0], 20.0);
    set(&mut t4, |s| s.breaks = vec![BreakRule { length: 900.0, earliest: 1.5 * HOUR, latest: 2.5 * HOUR }]);
    let mut t8 = template(0, "00:00", "23:45", 0.25, &[8.0], 18.0);
    set(&mut t8, |s| {
        s.breaks = vec![
            BreakRule { length: 900.0, earliest: 1.5 * HOUR, latest: 2.5 * HOUR },
            BreakRule { length: 1800.0, earliest: 4.0 * HOUR, latest: 5.0 * HOUR },
        ]
    });
    let mut rng = crate::stream::Rng::seed_from_u64(5);
    let required: Vec<u32> = (0..grid.len())
        .map(|t| {
            let hour = (t % 96) as f64 / 4.0;
            let base = if (8.0..20.0).contains(&hour) { 5 } else { 1 };
            base + rng.random_range(0..=2)
        })
        .collect();
    // A safety limit only: the node budgets end the search first, unless the machine is so
    // loaded that the LP alone takes seconds.
    let settings = SolveSettings { time_limit: 20.0, ..SolveSettings::default() };
    let schedule =
        solve_checked(&[t4.clone(), t8.clone()], &grid, 1, &one_group(required.clone()), &settings);
    let long_per_day = |plan: &ShiftPlan, day: usize| -> u32 {
        plan.shifts.iter().filter(|s| s.length == 8.0 * HOUR && s.works_on(day)).map(|s| s.agents).sum()
    };
    let all_per_day = |plan: &ShiftPlan, day: usize| -> u32 {
        plan.shifts.iter().filter(|s| s.works_on(day)).map(|s| s.agents).sum()
    };

    // The same with limits that bind: the search must keep them in every neighbourhood.
    let cap = (1..=2).map(|d| long_per_day(&schedule.plan, d)).max().unwrap() * 4 / 5;
    let headcount = (1..=2).map(|d| all_per_day(&schedule.plan, d)).max().unwrap() + 4;
    let mut capped_t8 = t8;
    set(&mut capped_t8, |s| s.max_agents = Some(cap));
    let limited = SolveSettings { max_headcount: Some(headcount), ..settings };
    let capped = solve_checked(&[t4, capped_t8], &grid, 1, &one_group(required), &limited);
    for day in 1..=2 {
        assert!(long_per_day(&capped.plan, day) <= cap, "day {day}: more than {cap} on 8h shifts");
        assert!(all_per_day(&capped.plan, day) <= headcount, "day {day}: more than {headcount} agents");
    }
    let bound = schedule.stats.best_bound.unwrap();
    assert!(bound <= schedule.cost + 1e-6, "bound {bound} above cost {}", schedule.cost);
    assert!(schedule.stats.seconds < settings.time_limit + 1.0, "took {} s", schedule.stats.seconds);
    // 8h shifts may start at 00:00, so every interval is coverable.
    assert!(schedule.uncovered.is_empty());
}

/// Stopping microlp at `unit_gap` must leave a bound that rounds up to the incumbent, for any
/// incumbent at most the cost it was computed from: then the incumbent is proven optimal.
#[test]
fn stopping_within_one_cost_unit_proves_the_incumbent_optimal() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    // Where the unit gap exceeds `mip_gap` (small incumbents) the stop must prove optimality;
    // elsewhere microlp's own gap applies and the rounded bound only has to stay a bound.
    let mut unit_cases = 0;
    for _ in 0..10_000 {
        let costs = [128.0, 192.0, 256.0];
        let unit = cost_unit(costs.into_iter()).unwrap();
        assert_eq!(unit, 64.0);
        let start = f64::from(rng.random_range(1..2_000u32)) * unit;
        let incumbent = f64::from(rng.random_range(1..=(start / unit) as u32)) * unit;
        let gap = unit_gap(0.005, Some(unit), start);
        // The lowest bound at which microlp stops: (incumbent - bound) / incumbent = gap.
        let bound = incumbent * (1.0 - gap);
        let proven = round_up_to_cost_unit(bound, costs.into_iter());
        if gap > 0.005 {
            unit_cases += 1;
            assert_eq!(proven, incumbent, "start {start}, incumbent {incumbent}, gap {gap}");
        } else {
            assert!(proven >= bound && proven <= incumbent);
        }
    }
    assert!(unit_cases >= 500, "only {unit_cases} draws tested the unit gap");
}

#[test]
fn bounds_are_raised_to_the_next_multiple_of_the_cost_unit() {
    assert_eq!(round_up_to_cost_unit(47_706.2, [100.0, 150.0, 200.0].into_iter()), 47_750.0);
    assert_eq!(round_up_to_cost_unit(3_901.0, [128.0, 192.0, 256.0].into_iter()), 3_904.0);
    assert_eq!(round_up_to_cost_unit(100.0000000001, [100.0, 150.0].into_iter()), 100.0);
    assert_eq!(round_up_to_cost_unit(10.5, [1.0 / 3.0].into_iter()), 10.5, "no cent unit");
}

#[test]
fn rejects_settings_out_of_range() {
    let grid = IntervalGrid::new(clock("08:00"), HOUR, 4, 1).unwrap();
    let t = template(0, "08:00", "08:00", 1.0, &[4.0], 10.0);
    for settings in [
        SolveSettings { mip_gap: -0.1, ..exact() },
        SolveSettings { mip_gap: 1.0, ..exact() },
        SolveSettings { time_limit: 0.0, ..exact() },
        SolveSettings { time_limit: f64::NAN, ..exact() },
    ] {
        let err = solve(std::slice::from_ref(&t), &grid, 1, &one_group(vec![1; 4]), &settings).unwrap_err();
        assert!(matches!(err, ScheduleError::BadSettings(_)) && err.is_bad_input(), "{settings:?}: {err}");
    }
}

#[test]
fn plans_do_not_depend_on_the_run_or_the_thread_count() {
    // Two groups over three days with breaks: rounding, the neighbourhood search and the parts
    // in parallel all run; round the clock (a part per group, searched a day at a time) and
    // closed at night (a part per group and day, searched whole, with their time shares taken
    // as they start). Node budgets end every search, so one thread or two, first run or
    // second, the plan is the same.
    for closed_at_night in [false, true] {
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 900.0, 96, 3).unwrap();
        let (open, close) = if closed_at_night { (6.0, 22.0) } else { (0.0, 24.0) };
        let mut templates = Vec::new();
        for group in 0..2 {
            let mut t4 = template(group, "05:00", "20:00", 0.25, &[4.0], 20.0 + f64::from(group));
            set(&mut t4, |s| {
                s.breaks = vec![BreakRule { length: 900.0, earliest: 1.5 * HOUR, latest: 2.5 * HOUR }]
            });
            let (first, last) = if closed_at_night { ("06:00", "14:00") } else { ("00:00", "23:45") };
            let mut t8 = template(group, first, last, 0.25, &[8.0], 18.0 + f64::from(group));
            set(&mut t8, |s| {
                s.breaks = vec![
                    BreakRule { length: 900.0, earliest: 1.5 * HOUR, latest: 2.5 * HOUR },
                    BreakRule { length: 1800.0, earliest: 4.0 * HOUR, latest: 5.0 * HOUR },
                ]
            });
            templates.extend([t4, t8]);
        }
        let mut rng = crate::stream::Rng::seed_from_u64(11);
        let groups = (0..2)
            .map(|g| GroupRequirement {
                group: AgentGroupId(g),
                required: (0..grid.len())
                    .map(|t| {
                        let hour = (t % 96) as f64 / 4.0;
                        let base = if (8.0..20.0).contains(&hour) { 4 + 2 * u32::from(g) } else { 1 };
                        let extra = rng.random_range(0..=2);
                        if (open..close).contains(&hour) { base + extra } else { 0 }
                    })
                    .collect(),
            })
            .collect();
        let req = Requirement { groups };
        // A limit far above the time the search takes: the node budgets must end it.
        let settings = SolveSettings { time_limit: 120.0, ..SolveSettings::default() };
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| solve_checked(&templates, &grid, 2, &req, &settings))
        };
        let first = run(2);
        assert_eq!(first.stats.parts, if closed_at_night { 6 } else { 2 });
        assert!(
            first.stats.seconds < 60.0,
            "took {} s: the time limit, not the budgets, may have ended it",
            first.stats.seconds
        );
        for (name, again) in [("second run", run(2)), ("one thread", run(1))] {
            assert_eq!(again.plan, first.plan, "closed at night {closed_at_night}, {name}: another plan");
            assert_eq!(again.cost, first.cost, "{name}");
            assert_eq!(again.stats.best_bound, first.stats.best_bound, "{name}");
        }
    }
}

/// The model's independent parts, with the model they split.
fn model_parts(
    templates: &[ShiftTemplate],
    grid: &IntervalGrid,
    n_groups: usize,
    req: &Requirement,
    settings: &SolveSettings,
) -> (Model, Vec<Part>) {
    let model = Model::new(templates, grid, n_groups, req).unwrap();
    let parts = independent_parts(templates, &model.columns, &model.rows, grid, n_groups, settings);
    (model, parts)
}

#[test]
fn a_centre_closed_at_night_splits_into_a_part_per_group_and_day() {
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 24, 3).unwrap();
    let day_only = |group| template(group, "08:00", "12:00", 1.0, &[4.0, 6.0], 10.0);
    let required: Vec<u32> = (0..24).map(|h| u32::from((8..18).contains(&h)) * 2).collect();
    let req = Requirement {
        groups: (0..2)
            .map(|g| GroupRequirement { group: AgentGroupId(g), required: required.clone() })
            .collect(),
    };
    let parts_of = |templates: &[ShiftTemplate], settings: &SolveSettings| {
        let (model, parts) = model_parts(templates, &grid, 2, &req, settings);
        // Every column and row lands in exactly one part, and no column covers a row of another.
        let mut part_of_row = std::collections::HashMap::new();
        for (p, part) in parts.iter().enumerate() {
            for &row in &part.rows {
                assert!(part_of_row.insert(row, p).is_none(), "row {row:?} in two parts");
            }
        }
        assert_eq!(part_of_row.len(), model.rows.len());
        let n_columns: usize = parts.iter().map(|part| part.columns.len()).sum();
        assert_eq!(n_columns, model.columns.len());
        for (p, part) in parts.iter().enumerate() {
            for &s in &part.columns {
                let c = &model.columns[s];
                for &t in &c.covered {
                    if let Some(&q) = part_of_row.get(&(c.group, t)) {
                        assert_eq!(q, p, "column {s} covers a row of part {q} but is in part {p}");
                    }
                }
            }
        }
        parts
            .iter()
            .map(|part| part.rows.iter().map(|&(g, t)| (g, t / 24)).collect())
            .collect::<Vec<Vec<_>>>()
    };
    let templates = [day_only(0), day_only(1)];
    let parts = parts_of(&templates, &SolveSettings::default());
    assert_eq!(parts.len(), 6, "3 days x 2 groups");
    for rows in &parts {
        assert!(rows.windows(2).all(|w| w[0] == w[1]), "a part mixes groups or days: {rows:?}");
    }
    // A headcount limit counts both groups' agents on a day: one part per day.
    let limited = SolveSettings { max_headcount: Some(50), ..SolveSettings::default() };
    let parts = parts_of(&templates, &limited);
    assert_eq!(parts.len(), 3);
    for rows in &parts {
        assert!(rows.iter().all(|&(_, day)| day == rows[0].1) && rows.iter().any(|&(g, _)| g == 1));
    }
    // Night shifts with night demand tie the days of each group together.
    let mut night = required.clone();
    night.iter_mut().for_each(|r| *r = (*r).max(1));
    let req_night = Requirement {
        groups: (0..2)
            .map(|g| GroupRequirement { group: AgentGroupId(g), required: night.clone() })
            .collect(),
    };
    let all_hours =
        [template(0, "00:00", "23:00", 1.0, &[8.0], 10.0), template(1, "00:00", "23:00", 1.0, &[8.0], 10.0)];
    let (_, parts) = model_parts(&all_hours, &grid, 2, &req_night, &SolveSettings::default());
    assert_eq!(parts.len(), 2, "one part per group");
}

#[test]
fn days_solved_apart_are_proven_optimal_against_a_brute_force_over_both_days() {
    // Two days open 08:00-14:00 with the shifts of the brute-force test above: the days share
    // no demand, so each is its own part, searched whole and proven optimal; their sum is the
    // optimum of the two-day program, found here by exhaustive search over both days at once.
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 24, 2).unwrap();
    let ([long, short], patterns) = hourly_shifts(8, 10, 10, &[0, 24]);
    let mut rng = crate::stream::Rng::seed_from_u64(13);
    for case in 0..6 {
        let required: Vec<u32> =
            (0..48).map(|t| if (8..14).contains(&(t % 24)) { rng.random_range(0..=1) } else { 0 }).collect();
        let expected = brute_force(&patterns, &required);
        // The default gap (0.5%) would allow a worse plan; optimality must be proven.
        let schedule = solve_checked(
            &[long.clone(), short.clone()],
            &grid,
            1,
            &one_group(required.clone()),
            &SolveSettings::default(),
        );
        assert_eq!(schedule.status, SolveStatus::Optimal, "case {case}: {required:?}");
        assert_eq!(schedule.stats.best_bound, Some(schedule.cost), "case {case}");
        let days_with_demand =
            (0..2).filter(|d| required[24 * d..24 * (d + 1)].iter().any(|&r| r > 0)).count();
        assert_eq!(schedule.stats.parts, days_with_demand, "case {case}: one part per day");
        assert!(
            (schedule.cost - expected).abs() < 1e-6,
            "case {case}: required {required:?}: solver {}, brute force {expected}",
            schedule.cost
        );
    }
}

#[test]
fn a_template_cap_holds_a_day_together() {
    // One template capped at 3 agents a day, demand of 2 in the morning and 2 in the afternoon
    // that no shift spans: the cap is one row over both, so each day is one part, and 4 agents
    // a day cannot be had.
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 24, 2).unwrap();
    let mut capped = template(0, "08:00", "16:00", 1.0, &[2.0], 10.0);
    set(&mut capped, |s| s.max_agents = Some(3));
    let required: Vec<u32> = (0..24).map(|h| if [8, 9, 16, 17].contains(&h) { 2 } else { 0 }).collect();
    let req = one_group(required);
    let (_, parts) = model_parts(std::slice::from_ref(&capped), &grid, 1, &req, &SolveSettings::default());
    assert_eq!(parts.len(), 2, "one part per day");
    let err = solve(std::slice::from_ref(&capped), &grid, 1, &req, &SolveSettings::default()).unwrap_err();
    assert!(matches!(err, ScheduleError::Infeasible { .. }), "{err}");
    // Without the cap, the morning and the afternoon are apart: four parts, and a plan.
    set(&mut capped, |s| s.max_agents = None);
    let (_, parts) = model_parts(std::slice::from_ref(&capped), &grid, 1, &req, &SolveSettings::default());
    assert_eq!(parts.len(), 4);
    let schedule = solve_checked(&[capped], &grid, 1, &req, &SolveSettings::default());
    assert_eq!(schedule.stats.parts, 4);
}

#[test]
fn a_shift_worked_alike_on_several_days_is_one_row() {
    // Three equal days closed at night: three equal parts, solved alike, so every shift of the
    // plan is one row worked on all three days (and on the fourth, busier day when it has the
    // same shift with as many agents).
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 900.0, 96, 4).unwrap();
    let mut t = template(0, "07:00", "14:00", 0.25, &[4.0, 8.0], 20.0);
    set(&mut t, |s| s.breaks = vec![BreakRule { length: 900.0, earliest: 1.5 * HOUR, latest: 2.5 * HOUR }]);
    let required: Vec<u32> = (0..grid.len())
        .map(|i| {
            let hour = (i % 96) as f64 / 4.0;
            let busy = if i / 96 == 3 { 2 } else { 0 };
            if (8.0..21.0).contains(&hour) {
                3 + busy + u32::from((10.0..14.0).contains(&hour)) * 4
            } else {
                0
            }
        })
        .collect();
    let schedule = solve_checked(&[t], &grid, 1, &one_group(required), &SolveSettings::default());
    assert_eq!(schedule.stats.parts, 4);
    let plan = &schedule.plan;
    assert!(plan.shifts.iter().any(|s| s.days == Some(vec![1, 2, 3])), "{plan:?}");
    for s in &plan.shifts {
        let days = s.days.as_ref().unwrap();
        let equal_days = days.iter().filter(|&&d| d <= 3).count();
        assert!(equal_days == 0 || equal_days == 3, "{s:?}: equal days are planned alike");
        // No two rows are the same shift with the same agents.
        let twins = plan.shifts.iter().filter(|o| {
            o.start == s.start && o.length == s.length && o.agents == s.agents && o.breaks == s.breaks
        });
        assert_eq!(twins.count(), 1, "{s:?} is not merged");
    }
}
