//! The optimiser's plans cover the requirement where it can be covered, list exactly where it
//! cannot, respect template and headcount limits, and count coverage as the model does.

use super::*;

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
    let why: Vec<UncoveredWhy> = schedule.uncovered.iter().map(|u| u.why).collect();
    assert_eq!(why, [UncoveredWhy::NotSpanned, UncoveredWhy::OnBreak, UncoveredWhy::NotSpanned]);
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
fn overnight_shifts_cover_the_next_morning_and_the_last_days_the_first_morning() {
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
    // The last night's shift works the first morning, as in a week that repeats.
    assert_eq!(on(&plan(Some(vec![2])).coverage(&two_days, 1)[0]), vec![0, 1, 46, 47]);
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
fn the_optimiser_works_the_first_morning_with_the_last_night_of_several_days() {
    // Demand on day 1 00:00-02:00 and day 2 22:00-24:00: the one 4h shift at 22:00 on day 2
    // covers both, as the plan file's shift of day 2 then works them.
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, HOUR, 24, 2).unwrap();
    let t = template(0, "00:00", "23:00", 1.0, &[4.0], 10.0);
    let mut required = vec![0; 48];
    for slot in [0, 1, 46, 47] {
        required[slot] = 1;
    }
    let schedule = solve_checked(&[t], &grid, 1, &one_group(required), &exact());
    assert_eq!(schedule.cost, 40.0);
    assert_eq!(schedule.plan.shifts[0].start, clock("22:00"));
    assert_eq!(schedule.plan.shifts[0].days, Some(vec![2]));
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

/// Templates that cover no open interval gave an empty plan marked proven optimal, which
/// `simulate --plan` then refused.
#[test]
fn templates_that_cover_no_demand_are_refused_naming_their_hours() {
    let grid = IntervalGrid::new(clock("09:00"), 1800.0, 4, 1).unwrap();
    let afternoon = template(0, "13:00", "14:00", 0.5, &[1.0, 2.0], 10.0);
    let err =
        solve(std::slice::from_ref(&afternoon), &grid, 1, &one_group(vec![3; 4]), &exact()).unwrap_err();
    assert!(matches!(err, ScheduleError::NothingCoverable(_)) && err.is_bad_input(), "{err}");
    let says = "no template has a shift that covers a whole interval while the center is open (09:00–11:00): \
                shift_templates[0] logs in 13:00–14:00 and out by 16:00 at the latest";
    assert!(err.to_string().contains(says), "{err}");
    assert_eq!(check_usable(std::slice::from_ref(&afternoon), &grid), Err(err));
    // A template reaching only the hours without demand covers nothing either.
    let early = template(0, "09:00", "09:00", 0.5, &[1.0], 10.0);
    let err = solve(&[early, afternoon], &grid, 1, &one_group(vec![0, 0, 2, 2]), &exact()).unwrap_err();
    assert!(err.to_string().contains("a whole interval of the 2 that need agents"), "{err}");
}
