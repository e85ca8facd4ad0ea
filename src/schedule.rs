//! The shift optimiser: from shift templates and a per-interval requirement to the
//! cheapest [`ShiftPlan`] that keeps enough agents on duty, as an integer program solved by
//! the pure-Rust microlp solver.
//!
//! ```text
//! minimise   Σ_s cost_s · x_s
//! subject to Σ_{s covers t} x_s − Σ_{(s,c,o) blocks t} b_sco ≥ required_gt   every demanded (g, t)
//!            Σ_o b_sco = x_s                                                  every shift s, break choice c
//!            Σ_{s of template k, day d} x_s ≤ max_agents_k                    every template k, day d
//!            Σ_{s on day d} x_s ≤ max_headcount                               every day d
//!            x, b ≥ 0 integer
//! ```
//!
//! `x_s` counts agents on shift `s` (template, day, log-in, length); `b_sco` counts those of
//! them whose break choice `c` sits at position `o` (the implicit break formulation: see
//! `columns`). Coverage is conservative and is the same in the model, in
//! [`ShiftPlan::coverage`] and in the plan handed to the simulator: an agent counts in an interval only when logged in for
//! all of it and on break for none of it.
//!
//! On a grid of several days every candidate shift is worked on one day (the plan then lists a
//! shift staffed alike on several days once, with its `days`); an overnight shift covers the next morning, and on the last day it is cut at the horizon. On a
//! one-day grid shifts are worked every day (`days = None`), so an overnight shift also covers
//! the morning of the same day, as the simulator's roster does for a repeating day.
//!
//! Intervals with demand that no shift can cover are listed in [`Schedule::uncovered`] and left
//! out of the model; the rest is still scheduled.
//!
//! The model falls into independent parts, shifts that share no demanded interval and no limit
//! row (a group without a headcount limit; in a centre closed at night, a group's day), solved
//! in parallel, each with its own bound. microlp alone, a plain branch and bound, stalls at
//! several percent on a week with breaks, so each part's search is staged (see `solve_part`):
//! the LP relaxation gives the bound, a rounding heuristic a first plan, small integer programs
//! over a window of time at a time improve it (large-neighbourhood search), and on a part whose
//! demand lies within one day the whole program runs last, from the best plan.
//! Every branch and bound stops on a node budget, so the same input gives the same plan on any
//! machine and thread count; the time limit only binds where the budgets take longer.
//!
//! The program is built once as a `Program` (variables, costs, rows) that both the solver and
//! the LP-file writer ([`write_lp`]) read. This module does not read files, simulate or print:
//! it returns data.
//!
//! Files, in the order of a solve: `problem` (the requirement, the settings, the model's data
//! and the errors), `columns` (candidate shifts and their break choices), `parts` (the model
//! split into independent programs), `program` (one part's integer program, for the solver and
//! the LP file), `heuristic` (rounding the LP), `search` (one part's staged search), `plan`
//! (the solution as a [`ShiftPlan`]), `lp_file` (the CPLEX LP writer).

mod columns;
mod heuristic;
mod lp_file;
mod parts;
mod plan;
mod problem;
mod program;
mod search;
mod size;
#[cfg(test)]
mod tests;

use std::time::Instant;

use rayon::prelude::*;

use crate::model::{AgentGroupId, ShiftPlan, ShiftTemplate};
use crate::time::{DAY, IntervalGrid, Seconds};

pub use problem::{GroupRequirement, Requirement, ScheduleError, SolveSettings, check_usable};
pub use size::{ModelSize, TemplatesError, check_model_size, hours_spanned, model_size, reaches_open_hours};

use heuristic::Assignment;
use parts::independent_parts;
use plan::{build_plan, model_coverage};
use problem::Model;
use program::{Ctx, Program};
use search::{PartSolution, solve_part};

/// The longest time limit the solver keeps, s (30 days): a longer one is taken as this one.
/// The node budgets end every search long before (a week takes seconds), so a
/// longer limit could change nothing but the clock arithmetic, where a limit of 1e19 s would
/// overflow.
pub const MAX_TIME_LIMIT: Seconds = 30.0 * DAY;

/// Why the search stopped.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven cheapest.
    Optimal,
    /// Within the requested gap of the best proven bound.
    GapLimit,
    /// The search stopped, on its work budgets or on the time limit, before proving the plan
    /// within `mip_gap` of the optimum; the plan is feasible and the gap to the bound is in
    /// [`SolveStats::gap`]. (The name is the JSON contract's.)
    TimeLimit,
}

impl SolveStatus {
    /// The word used in reports and JSON: `optimal`, `gap_limit`, `time_limit`.
    pub fn as_str(self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::GapLimit => "gap_limit",
            SolveStatus::TimeLimit => "time_limit",
        }
    }
}

impl std::fmt::Display for SolveStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An interval with demand that no template can cover (left out of the model).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Uncovered {
    /// Grid interval index.
    pub interval: usize,
    /// The group that needs agents.
    pub group: AgentGroupId,
    /// Agents required there.
    pub required: u32,
    /// Why no template's shift covers it.
    pub why: UncoveredWhy,
}

/// Why an interval with demand is [`Uncovered`], in the order it is checked.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum UncoveredWhy {
    /// The group has no shift template.
    NoTemplate,
    /// Only shifts of templates with `max_agents = 0` cover it.
    NoAgentsAllowed,
    /// Shifts are logged in for all of it, but every one of them is on break for part of it.
    OnBreak,
    /// No shift of the group's templates is logged in for the whole interval.
    NotSpanned,
}

/// Size and effort of a solve.
#[derive(Copy, Clone, Debug, PartialEq, Default)]
pub struct SolveStats {
    /// Integer variables: shift counts plus break-position counts.
    pub columns: usize,
    /// Constraints: coverage, break splits, `max_agents` and `max_headcount` rows.
    pub rows: usize,
    /// Wall-clock time of building and solving, s.
    pub seconds: Seconds,
    /// Best proven lower bound on the cost, when the solver reports one.
    pub best_bound: Option<f64>,
    /// `(cost − best_bound) / cost`, when a bound is known; 0 when proven optimal.
    pub gap: Option<f64>,
    /// Independent programs solved apart (shifts sharing no demanded interval and no limit).
    pub parts: usize,
}

/// The optimiser's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// Why the search stopped.
    pub status: SolveStatus,
    /// The shifts, identical ones merged into one [`Shift`](crate::model::Shift) with `agents = n`.
    pub plan: ShiftPlan,
    /// Paid agent-hours (breaks are paid).
    pub paid_hours: f64,
    /// Σ cost_per_hour × paid hours.
    pub cost: f64,
    /// Agents on duty and not on break, `[group][interval]`, from [`ShiftPlan::coverage`].
    pub coverage: Vec<Vec<u32>>,
    /// Demanded intervals no template can cover.
    pub uncovered: Vec<Uncovered>,
    /// Model size and effort.
    pub stats: SolveStats,
}

/// Builds the cheapest plan that keeps `req` agents on duty in every coverable interval.
///
/// Stops at `settings.mip_gap` or `settings.time_limit`, whichever comes first, and says which
/// in [`Schedule::status`].
///
/// # Errors
/// [`ScheduleError`]: a requirement or template that does not fit the grid or the groups, limits
/// that make the requirement impossible, or a solver that finds no plan in time.
pub fn solve(
    templates: &[ShiftTemplate],
    grid: &IntervalGrid,
    n_groups: usize,
    req: &Requirement,
    settings: &SolveSettings,
) -> Result<Schedule, ScheduleError> {
    solve_with_model_coverage(templates, grid, n_groups, req, settings).map(|(schedule, _)| schedule)
}

/// Writes the integer program [`solve`] would solve, all groups in one, as a CPLEX LP file: for
/// another solver, or to see the model. Intervals no template covers are left out, as in
/// [`solve`]; the number of them is returned.
///
/// # Errors
/// The input errors of [`solve`], and [`ScheduleError::Write`] when `out` fails.
pub fn write_lp(
    templates: &[ShiftTemplate],
    grid: &IntervalGrid,
    n_groups: usize,
    req: &Requirement,
    settings: &SolveSettings,
    out: &mut dyn std::io::Write,
) -> Result<usize, ScheduleError> {
    let Model { required, columns, rows, uncovered } = Model::new(templates, grid, n_groups, req)?;
    let ctx = Ctx { templates, columns: &columns, grid, settings };
    let col_idx: Vec<usize> = (0..columns.len()).collect();
    let program = Program::new(&ctx, &col_idx, &rows, &required);
    lp_file::write(&ctx, &col_idx, &program, out).map_err(|e| ScheduleError::Write(e.to_string()))?;
    Ok(uncovered.len())
}

/// [`solve`], plus the coverage the model itself counts (for tests against [`coverage`]).
///
/// [`coverage`]: crate::model::ShiftPlan::coverage
fn solve_with_model_coverage(
    templates: &[ShiftTemplate],
    grid: &IntervalGrid,
    n_groups: usize,
    req: &Requirement,
    settings: &SolveSettings,
) -> Result<(Schedule, Vec<Vec<u32>>), ScheduleError> {
    let started = Instant::now();
    if !(0.0..1.0).contains(&settings.mip_gap) {
        return Err(ScheduleError::BadSettings(format!(
            "mip gap must be at least 0 and below 1 (0.005 = 0.5%), got {}",
            settings.mip_gap
        )));
    }
    if settings.time_limit.is_nan() || settings.time_limit <= 0.0 {
        return Err(ScheduleError::BadSettings(format!(
            "time limit must be a positive number of seconds, got {}",
            settings.time_limit
        )));
    }
    // A longer limit (even an infinite one) means "no limit": the node budgets end the search.
    let settings = &SolveSettings { time_limit: settings.time_limit.min(MAX_TIME_LIMIT), ..*settings };
    let model = Model::new(templates, grid, n_groups, req)?;
    problem::check_limits(templates, grid, &model, settings.max_headcount)?;
    let Model { required, columns, rows, uncovered } = model;

    // Parts that share no constraint are separate, smaller integer programs: the sum of plans
    // each within the gap is within the gap too, and each part's bound rounds up to its own
    // cost unit.
    let parts = independent_parts(templates, &columns, &rows, grid, n_groups, settings);
    let mut counts = Assignment { shifts: vec![0; columns.len()], options: vec![Vec::new(); columns.len()] };
    let mut status = SolveStatus::Optimal;
    let mut stats = SolveStats::default();
    let mut bound_sum = Some(0.0);
    // The parts run side by side. Each, as it starts, gets its share of the time left: the
    // time left times the threads over the parts not yet started, so parts that end early (on
    // their node budgets, as most do) leave their time to the rest, and the whole solve keeps
    // to the time limit.
    stats.parts = parts.len();
    let threads = rayon::current_num_threads().max(1);
    let started_parts = std::sync::atomic::AtomicUsize::new(0);
    let solved: Vec<Result<PartSolution, ScheduleError>> = parts
        .par_iter()
        .map(|part| {
            let waiting = parts.len() - started_parts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let left = settings.time_limit - started.elapsed().as_secs_f64();
            // A part that starts late (earlier ones overran) still gets 5% of the limit: enough
            // for its LP relaxation, without which it would fail the whole solve.
            let budget =
                (left * (threads.min(waiting) as f64 / waiting as f64)).max(0.05 * settings.time_limit);
            let part_settings = SolveSettings { time_limit: budget, ..*settings };
            let ctx = Ctx { templates, columns: &columns, grid, settings: &part_settings };
            solve_part(&ctx, &part.columns, &part.rows, &required)
        })
        .collect();
    for part in solved {
        let part = part?;
        status = status.max(part.status);
        stats.columns += part.columns;
        stats.rows += part.rows;
        bound_sum = bound_sum.zip(part.best_bound).map(|(a, b)| a + b);
        for (s, n, options) in part.values {
            counts.shifts[s] = n;
            counts.options[s] = options;
        }
    }

    let plan = build_plan(&columns, &counts, grid);
    // An empty sum of floats is -0.0, which a report would print as "-0.00".
    let cost: f64 =
        columns.iter().zip(&counts.shifts).map(|(c, &n)| c.cost * f64::from(n)).sum::<f64>() + 0.0;
    let model_coverage = model_coverage(&columns, &counts, grid, n_groups);
    let coverage = plan.coverage(grid, n_groups);
    for &(g, t) in &rows {
        if model_coverage[g][t] < required[g][t] {
            return Err(ScheduleError::Solver(format!(
                "the solver's plan leaves group {g} short in interval {t} ({} of {} agents)",
                model_coverage[g][t], required[g][t]
            )));
        }
    }
    stats.best_bound = bound_sum;
    stats.gap = bound_sum.map(|b| if cost > 0.0 { ((cost - b) / cost).max(0.0) } else { 0.0 });
    // Parts each short of the gap may still add up to a plan within it: the status is the
    // whole plan's.
    if status == SolveStatus::TimeLimit && stats.gap.is_some_and(|gap| gap <= settings.mip_gap) {
        status = SolveStatus::GapLimit;
    }
    stats.seconds = started.elapsed().as_secs_f64();
    let schedule =
        Schedule { status, paid_hours: plan.paid_hours(grid), plan, cost, coverage, uncovered, stats };
    Ok((schedule, model_coverage))
}
