//! The model's independent parts (a group, a day) solved apart give the plan of the whole, and
//! plans do not depend on the run or the thread count.

use super::*;

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
