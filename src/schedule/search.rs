//! One part's staged search: the LP relaxation gives the bound and, rounded, a first plan; a
//! large-neighbourhood search over windows of time improves it; on a part whose demand lies
//! within one day the whole program runs last, from the best plan. Every branch and bound stops
//! on a node budget, so the same input gives the same plan on any machine and thread count; the
//! budgets' measured trade-offs are in docs/performance.md ("Optimiser budgets").

use std::time::Instant;

use microlp::{SolveOptions, TerminationReason, Variable};

use crate::time::{DAY, Seconds, SimTime, format_duration};

use super::heuristic::{self, Assignment};
use super::parts::within_one_day;
use super::program::{Built, Ctx, build, within_limits};
use super::{MAX_TIME_LIMIT, ScheduleError, SolveStatus};

/// Branch-and-bound nodes for one window of the neighbourhood search (all windows but the
/// support window of a part searched whole). Node budgets, not the clock, end each search, so
/// the plan does not depend on the machine's speed, its load or the thread count; the time
/// limit only binds on a machine too slow to spend the budgets in time. More nodes buy a
/// slightly better plan for proportionally more time (measured: docs/performance.md,
/// "Optimiser budgets").
pub(super) const WINDOW_NODES: u64 = 1_000;
/// Nodes for the first window of a part searched whole (its demand within one day): the LP's
/// whole support: enough for microlp to settle a round-the-clock day's support program, which
/// fewer nodes leave well above the bound (measured: docs/performance.md).
pub(super) const SUPPORT_NODES: u64 = 5_000;
/// Branch-and-bound effort for the whole program of a part after the neighbourhood search (parts
/// whose demand lies within one day), in nodes times variables: a node's LP costs roughly in
/// proportion to the program, so a larger part gets fewer nodes (what each size gets, and
/// what more nodes found: docs/performance.md, "Optimiser budgets").
pub(super) const FULL_WORK: f64 = 1.6e6;

/// The answer of one independent part of the model.
pub(super) struct PartSolution {
    pub(super) status: SolveStatus,
    pub(super) columns: usize,
    pub(super) rows: usize,
    pub(super) best_bound: Option<f64>,
    /// (column, agents, agents per option of each break choice).
    pub(super) values: Vec<(usize, u32, Vec<Vec<u32>>)>,
}

/// Solves one independent part of the model: the LP relaxation gives the bound and, rounded,
/// a starting plan; when that plan is not already within the gap, the branch and bound starts
/// from it.
pub(super) fn solve_part(
    ctx: &Ctx,
    col_idx: &[usize],
    rows: &[(usize, usize)],
    required: &[Vec<u32>],
) -> Result<PartSolution, ScheduleError> {
    let Ctx { columns, grid, settings, .. } = *ctx;
    let started = Instant::now();
    let infeasible = |limits: &[String]| ScheduleError::Infeasible {
        limits: if limits.is_empty() { "none".to_string() } else { limits.join(", ") },
    };
    let cost_of = |a: &Assignment| a.cost(columns, col_idx);
    let whole = within_one_day(grid, rows);

    let lp = build(ctx, col_idx, rows, required, false, None);
    let Built { model: lp_model, x: lp_x, b: lp_b, limits, n_vars, n_rows, .. } = lp;
    let mut options = SolveOptions::default();
    options.time_limit = Some(secs(settings.time_limit));
    let relaxed = match lp_model.solve_with(options) {
        Ok(outcome) => outcome.into_solution().map_err(|_| {
            ScheduleError::Solver(format!(
                "the LP relaxation did not finish within the time limit of {}",
                format_duration(settings.time_limit)
            ))
        })?,
        Err(microlp::Error::Infeasible) => return Err(infeasible(&limits)),
        Err(other) => return Err(ScheduleError::Solver(other.to_string())),
    };
    let x: Vec<f64> = lp_x.iter().map(|&v| relaxed.var_value(v)).collect();
    let b: Vec<Vec<Vec<f64>>> = lp_b
        .iter()
        .map(|ch| ch.iter().map(|opts| opts.iter().map(|&v| relaxed.var_value(v)).collect()).collect())
        .collect();
    let lp_bound: f64 = col_idx.iter().zip(&x).map(|(&s, &v)| columns[s].cost * v).sum();
    let lp_bound = round_up_to_cost_unit(lp_bound, col_idx.iter().map(|&s| columns[s].cost));

    let mut row_required: Vec<Vec<u32>> = required.iter().map(|r| vec![0; r.len()]).collect();
    for &(g, t) in rows {
        row_required[g][t] = required[g][t];
    }
    let rounded = heuristic::round_and_prune(columns, col_idx, &x, &b, &row_required);
    let mut start = within_limits(ctx, &rounded, col_idx).then_some(rounded);
    let gap_of = |cost: f64| if cost > 0.0 { ((cost - lp_bound) / cost).max(0.0) } else { 0.0 };

    let into_part = |a: Assignment,
                     status: SolveStatus,
                     best_bound: Option<f64>,
                     n_vars: usize,
                     n_rows: usize| PartSolution {
        status,
        columns: n_vars,
        rows: n_rows,
        best_bound,
        values: col_idx.iter().enumerate().map(|(k, &s)| (s, a.shifts[k], a.options[k].clone())).collect(),
    };

    // Neighbourhoods microlp can search in a few seconds: on a one-day grid, the shifts in the
    // LP's support (in the spirit of RINS); on longer grids, one day's shifts at a time with
    // every other shift fixed (large-neighbourhood search).
    if let Some(mut best) = start.take() {
        // The search ends when no window improves (node budgets keep that deterministic); the
        // share of the time limit is only a safety. On one day the whole program runs next and
        // may still prove optimality, so it keeps half the time.
        let share = if whole { 0.5 } else { 1.0 };
        let phase_budget = share * (settings.time_limit - started.elapsed().as_secs_f64());
        best = search_neighbourhoods(ctx, col_idx, rows, required, x.as_slice(), best, phase_budget)?;
        start = Some(best);
    }
    if let Some(a) = &start {
        let cost = cost_of(a);
        if gap_of(cost) <= settings.mip_gap {
            let status = if gap_of(cost) < 1e-9 { SolveStatus::Optimal } else { SolveStatus::GapLimit };
            return Ok(into_part(a.clone(), status, Some(lp_bound), n_vars, n_rows));
        }
    }

    // The whole integer program, from the best plan so far, when there is time to build it. On
    // several days its root LP alone takes seconds and its branch and bound did not improve on
    // the neighbourhood search (docs/performance.md), so the search's plan is the answer there.
    let remaining = settings.time_limit - started.elapsed().as_secs_f64();
    if (remaining < 0.05 * settings.time_limit || !whole)
        && let Some(a) = start
    {
        return Ok(into_part(a, SolveStatus::TimeLimit, Some(lp_bound), n_vars, n_rows));
    }
    let ip = build(ctx, col_idx, rows, required, true, start.as_ref());
    let remaining = settings.time_limit - started.elapsed().as_secs_f64();
    let unit = cost_unit(col_idx.iter().map(|&s| columns[s].cost));
    let gap = match &start {
        Some(a) => unit_gap(settings.mip_gap, unit, cost_of(a)),
        None => settings.mip_gap,
    };
    let nodes = ((FULL_WORK / n_vars.max(1) as f64).round() as u64).max(1);
    let effort = Effort { mip_gap: gap, nodes: Some(nodes), seconds: remaining };
    let Some((found, reason, bound)) = run_ip(ip, effort)? else {
        // No incumbent in time: the best plan so far is still a valid answer.
        return match start {
            Some(a) => Ok(into_part(a, SolveStatus::TimeLimit, Some(lp_bound), n_vars, n_rows)),
            None => Err(ScheduleError::Solver(format!(
                "no plan found within the time limit of {}",
                format_duration(settings.time_limit)
            ))),
        };
    };
    let found = match start {
        Some(a) if cost_of(&a) < cost_of(&found) => a,
        _ => found,
    };
    let cost = cost_of(&found);
    let best_bound = match reason {
        TerminationReason::ProvenOptimal => cost,
        // The solver's bound can only be at least the root LP's. microlp does not know that
        // every plan costs a multiple of the cost unit: any rise above a multiple proves the
        // next one.
        _ => round_up_to_cost_unit(
            bound.map_or(lp_bound, |b| b.max(lp_bound)),
            col_idx.iter().map(|&s| columns[s].cost),
        ),
    };
    let status = if best_bound >= cost - 1e-9 {
        SolveStatus::Optimal
    } else if (cost - best_bound) / cost <= settings.mip_gap {
        SolveStatus::GapLimit
    } else {
        // Whatever stopped the solver, the plan is not known to be within the gap.
        SolveStatus::TimeLimit
    };
    let best_bound = best_bound.min(cost);
    Ok(into_part(found, status, Some(best_bound), n_vars, n_rows))
}

/// Every plan's cost is a whole multiple of the costs' greatest common divisor (in cents, when
/// all costs are whole cents), so a lower bound can be raised to the next such multiple: with
/// shifts of 4h, 6h and 8h at 25 an hour every plan costs a multiple of 50.
pub(super) fn round_up_to_cost_unit(bound: f64, costs: impl Iterator<Item = f64>) -> f64 {
    match cost_unit(costs) {
        // The slack keeps an LP bound that is a multiple up to rounding error where it is.
        Some(unit) => (bound / unit - 1e-7).ceil() * unit,
        None => bound,
    }
}

/// The greatest common divisor of the costs, when they are all whole cents and not all zero.
pub(super) fn cost_unit(costs: impl Iterator<Item = f64>) -> Option<f64> {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let mut unit = 0u64;
    for cost in costs {
        let cents = (cost * 100.0).round();
        if (cost * 100.0 - cents).abs() > 1e-6 || cents > 1e15 {
            return None;
        }
        unit = gcd(unit, cents as u64);
    }
    (unit > 0).then_some(unit as f64 / 100.0)
}

/// The relative gap at which microlp may stop on a program whose plans cost multiples of
/// `unit` and whose incumbent costs at most `cost`: a bound less than one unit below the
/// incumbent already proves it optimal (the bound rounds up to it), so the solver need not
/// prove `mip_gap` when that is tighter than one unit.
pub(super) fn unit_gap(mip_gap: f64, unit: Option<f64>, cost: f64) -> f64 {
    match unit {
        // microlp's gap is (incumbent − bound) / incumbent and the incumbent never exceeds
        // `cost`, so stopping at this gap leaves less than one unit between them.
        Some(unit) if cost >= 1.0 => mip_gap.max(0.999 * unit / cost),
        _ => mip_gap,
    }
}

/// A solver time limit as microlp takes it: at least 10 ms (zero would stop before the root)
/// and at most [`MAX_TIME_LIMIT`] (microlp adds it to the clock, which has no room for
/// centuries).
pub(super) fn secs(seconds: Seconds) -> std::time::Duration {
    std::time::Duration::from_secs_f64(seconds.clamp(0.01, MAX_TIME_LIMIT))
}

/// How far one branch and bound may go: the node budget makes the search deterministic (the same
/// nodes in the same order on any machine); the time limit is the user's wall-clock promise and
/// only binds on a machine too slow for the node budget.
#[derive(Copy, Clone, Debug)]
pub(super) struct Effort {
    pub(super) mip_gap: f64,
    pub(super) nodes: Option<u64>,
    pub(super) seconds: Seconds,
}

/// Runs the branch and bound on a built model. `Ok(None)`: no plan within the effort.
pub(super) fn run_ip(
    built: Built,
    effort: Effort,
) -> Result<Option<(Assignment, TerminationReason, Option<f64>)>, ScheduleError> {
    let mut options = SolveOptions::default();
    options.time_limit = Some(secs(effort.seconds));
    options.node_limit = effort.nodes;
    options.mip_gap = effort.mip_gap;
    options.warm_start = built.start;
    let solved = match built.model.solve_with(options) {
        Ok(outcome) => match outcome.into_solution() {
            Ok(solution) => solution,
            Err(_) => return Ok(None),
        },
        Err(microlp::Error::Infeasible) => {
            return Err(ScheduleError::Infeasible {
                limits: if built.limits.is_empty() { "none".to_string() } else { built.limits.join(", ") },
            });
        }
        Err(other) => return Err(ScheduleError::Solver(other.to_string())),
    };
    let count = |v: Variable| solved.var_value(v).round().max(0.0) as u32;
    let found = Assignment {
        shifts: built.x.iter().map(|&v| count(v)).collect(),
        options: built
            .b
            .iter()
            .map(|ch| ch.iter().map(|opts| opts.iter().map(|&v| count(v)).collect()).collect())
            .collect(),
    };
    Ok(Some((found, solved.termination_reason(), solved.stats().best_bound)))
}

/// Large-neighbourhood search from `best` until no window improves (or `budget` seconds pass):
/// the shifts logging in within one window of time are re-solved, to optimality or the node
/// budget, with every other shift fixed. A window holds only the shifts in the LP's support
/// (`x > 0`) or in use, a program of a few dozen shifts that microlp usually settles in a
/// fraction of a second. Phases: days starting at midnight, noon, 06:00 and 18:00 (so that a
/// night shift and the next morning's shifts change together), then half days; each phase
/// repeats while a pass finds something cheaper, and the phases repeat while a round of them
/// does. A window is searched again only when a shift sharing time with it has changed. A part
/// whose demand lies within one day (`whole`) has other windows: its support, then half and
/// quarter days with neighbouring shifts. Day windows are the size microlp settles: a window
/// of every shift of a day is too large for it, and the small support programs are not
/// (docs/performance.md, "Optimiser budgets").
pub(super) fn search_neighbourhoods(
    ctx: &Ctx,
    col_idx: &[usize],
    rows: &[(usize, usize)],
    required: &[Vec<u32>],
    x: &[f64],
    mut best: Assignment,
    budget: Seconds,
) -> Result<Assignment, ScheduleError> {
    let Ctx { columns, grid, .. } = *ctx;
    let started = Instant::now();
    let cost_of = |a: &Assignment| a.cost(columns, col_idx);
    let whole = within_one_day(grid, rows);
    // (window start after midnight, window length, every shift or only the support). Windows
    // that start at noon let a night shift and the next morning's shifts change together.
    let phases: &[(Seconds, Seconds, bool)] = if whole {
        // First one window of every shift of the part the LP uses or the plan staffs; then
        // half and quarter days of log-in times, each with the shifts one step from those:
        // small enough for microlp to search through, and reaching shifts the LP left out
        // (what they gain: docs/performance.md, "Optimiser budgets").
        &[
            (0.0, f64::INFINITY, false),
            (0.0, DAY / 2.0, true),
            (DAY / 4.0, DAY / 2.0, true),
            (0.0, DAY / 4.0, true),
            (DAY / 8.0, DAY / 4.0, true),
        ]
    } else {
        &[
            (0.0, DAY, false),
            (DAY / 2.0, DAY, false),
            (DAY / 4.0, DAY, false),
            (0.75 * DAY, DAY, false),
            (0.0, DAY / 2.0, false),
            (DAY / 4.0, DAY / 2.0, false),
            (0.0, DAY, true),
            (DAY / 2.0, DAY, true),
            (0.0, 2.0 * DAY, false),
            (DAY, 2.0 * DAY, false),
            (DAY / 2.0, 2.0 * DAY, false),
        ]
    };
    // A window is searched again only when some shift that shares time with its free shifts
    // has changed since its last conclusive search: the sub-program would be the same.
    let span = |k: usize| {
        let c = &columns[col_idx[k]];
        let log_in = (c.day - 1) as f64 * DAY + grid.clock_on_day(c.start);
        (log_in, log_in + c.length)
    };
    let periodic = grid.days() == 1;
    // microlp finds a better plan for a window early or not at all, but may spend seconds
    // failing to prove a small window optimal: capped, the effort goes to other windows.
    let mut changes: Vec<(SimTime, SimTime)> = Vec::new();
    let mut settled: std::collections::HashMap<(usize, usize), usize> = std::collections::HashMap::new();
    loop {
        let round_cost = cost_of(&best);
        for (p, &(offset, width, expand)) in phases.iter().enumerate() {
            loop {
                let n_windows = (grid.days() as f64 * DAY / width).ceil() as usize + 2;
                let mut windows: Vec<Vec<usize>> = vec![Vec::new(); n_windows];
                let mut member: Vec<bool> =
                    x.iter().zip(&best.shifts).map(|(&xk, &n)| xk > 1e-6 || n > 0).collect();
                if expand {
                    // Also the shifts one step earlier or later than a member, same template
                    // and length: the support of the LP need not hold the integer optimum.
                    let key = |k: usize| {
                        let c = &columns[col_idx[k]];
                        (c.template, c.length.to_bits(), (span(k).0 / 60.0).round() as i64)
                    };
                    let set: std::collections::HashSet<(usize, u64, i64)> =
                        (0..col_idx.len()).filter(|&k| member[k]).map(key).collect();
                    for (k, m) in member.iter_mut().enumerate() {
                        let (t, l, minute) = key(k);
                        let step = (ctx.templates[t].step / 60.0).round() as i64;
                        *m = *m
                            || set.contains(&(t, l, minute - step))
                            || set.contains(&(t, l, minute + step));
                    }
                }
                for (k, &is_member) in member.iter().enumerate() {
                    if is_member {
                        let w = ((span(k).0 - offset) / width).floor() + 1.0;
                        windows[(w.max(0.0) as usize).min(n_windows - 1)].push(k);
                    }
                }
                let mut improved = false;
                for (w, free) in windows.iter().enumerate() {
                    if free.is_empty() {
                        continue;
                    }
                    let (lo, hi) = free
                        .iter()
                        .map(|&k| span(k))
                        .fold((f64::MAX, f64::MIN), |(a, b), (c, d)| (a.min(c), b.max(d)));
                    if let Some(&seen) = settled.get(&(p, w))
                        && !changes[seen..].iter().any(|&(a, b)| periodic || (a < hi && lo < b))
                    {
                        continue;
                    }
                    let left = budget - started.elapsed().as_secs_f64();
                    if left <= 0.0 {
                        return Ok(best);
                    }
                    // The one window of a whole part's support is large: more nodes.
                    let nodes = if width.is_finite() { WINDOW_NODES } else { SUPPORT_NODES };
                    let effort = Effort { mip_gap: 0.0, nodes: Some(nodes), seconds: left };
                    let found = improve(ctx, col_idx, rows, required, &best, free, effort)?;
                    if let Some(better) = found
                        && cost_of(&better) < cost_of(&best) - 1e-9
                    {
                        let changed = (0..col_idx.len()).filter(|&k| {
                            better.shifts[k] != best.shifts[k] || better.options[k] != best.options[k]
                        });
                        let (a, b) = changed
                            .map(span)
                            .fold((f64::MAX, f64::MIN), |(a, b), (c, d)| (a.min(c), b.max(d)));
                        changes.push((a, b));
                        best = better;
                        improved = true;
                    }
                    // The search is deterministic, so the same window with the same
                    // neighbours would end the same way, whatever stopped it.
                    settled.insert((p, w), changes.len());
                }
                if !improved {
                    break;
                }
            }
        }
        if cost_of(&best) >= round_cost - 1e-9 {
            break;
        }
    }
    Ok(best)
}

/// Re-solves the shifts `free` (indices into `col_idx`) with every other shift fixed as in
/// `best`; the answer, when the solver finds one within `effort`.
pub(super) fn improve(
    ctx: &Ctx,
    col_idx: &[usize],
    rows: &[(usize, usize)],
    required: &[Vec<u32>],
    best: &Assignment,
    free: &[usize],
    effort: Effort,
) -> Result<Option<Assignment>, ScheduleError> {
    let Ctx { columns, grid, .. } = *ctx;
    if free.is_empty() {
        return Ok(None);
    }
    let mut is_free = vec![false; col_idx.len()];
    for &k in free {
        is_free[k] = true;
    }
    // What the fixed shifts already cover comes off the requirement.
    let mut fixed = heuristic::Assignment { shifts: best.shifts.clone(), options: best.options.clone() };
    for &k in free {
        fixed.shifts[k] = 0;
        fixed.options[k].iter_mut().for_each(|opts| opts.iter_mut().for_each(|n| *n = 0));
    }
    let covered = heuristic::coverage_of(columns, col_idx, &fixed, required);
    let mut residual: Vec<Vec<u32>> = required.iter().map(|r| vec![0; r.len()]).collect();
    let mut touched = vec![vec![false; grid.len()]; required.len()];
    for &k in free {
        let c = &columns[col_idx[k]];
        for &t in &c.covered {
            touched[c.group][t] = true;
        }
    }
    let sub_rows: Vec<(usize, usize)> = rows
        .iter()
        .copied()
        .filter(|&(g, t)| touched[g][t] && covered[g][t] < i64::from(required[g][t]))
        .collect();
    for &(g, t) in &sub_rows {
        residual[g][t] = (i64::from(required[g][t]) - covered[g][t]) as u32;
    }
    let sub_cols: Vec<usize> = free.iter().map(|&k| col_idx[k]).collect();
    let sub_start = Assignment {
        shifts: free.iter().map(|&k| best.shifts[k]).collect(),
        options: free.iter().map(|&k| best.options[k].clone()).collect(),
    };
    let sub = build(ctx, &sub_cols, &sub_rows, &residual, true, Some(&sub_start));
    let start_cost = sub_start.cost(columns, &sub_cols);
    let mip_gap = unit_gap(effort.mip_gap, cost_unit(sub_cols.iter().map(|&s| columns[s].cost)), start_cost);
    let Some((found, _, _)) = run_ip(sub, Effort { mip_gap, ..effort })? else { return Ok(None) };
    let mut out = fixed;
    for (j, &k) in free.iter().enumerate() {
        out.shifts[k] = found.shifts[j];
        out.options[k] = found.options[j].clone();
    }
    // A window that splits a day sees only part of that day's agents in its `max_agents` and
    // `max_headcount` rows, so the whole plan is checked again.
    Ok(within_limits(ctx, &out, col_idx).then_some(out))
}
