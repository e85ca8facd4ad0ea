//! The optimiser's plans are optimal: against a brute force written independently of the
//! model, against the optimum of the LP file it writes, and when it stops within a cost unit.

use super::*;

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
