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

mod columns;
mod heuristic;
mod lp_file;
#[cfg(test)]
mod tests;

use std::time::Instant;

use rayon::prelude::*;

use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, TerminationReason, Variable};

use crate::model::{AgentGroupId, Shift, ShiftBreak, ShiftPlan, ShiftTemplate};
use crate::time::{DAY, IntervalGrid, Seconds, SimTime, format_duration};

use columns::Column;
use heuristic::Assignment;

/// Branch-and-bound nodes for one window of the neighbourhood search (all windows but the
/// support window of a part searched whole). Node budgets, not the clock, end each search, so
/// the plan does not depend on the machine's speed, its load or the thread count; the time
/// limit only binds on a machine too slow to spend the budgets in time. More nodes buy a
/// slightly better plan for proportionally more time; docs/performance.md has the measured
/// trade-off on the schedule bench.
const WINDOW_NODES: u64 = 1_000;
/// Nodes for the first window of a part searched whole (its demand within one day): the LP's
/// whole support: enough for microlp to settle a round-the-clock day's support program, which
/// fewer nodes leave well above the bound (docs/performance.md, "Optimiser budgets").
const SUPPORT_NODES: u64 = 5_000;
/// Branch-and-bound effort for the whole program of a part after the neighbourhood search (parts
/// whose demand lies within one day), in nodes times variables: a node's LP costs roughly in
/// proportion to the program, so a part of 800 variables (a group's day in the schedule bench's
/// open-hours week) gets 2,000 nodes, which prove its weeks optimal at most demand scales, and
/// a round-the-clock day of 2,200 variables gets 730, where more nodes found nothing better
/// (docs/performance.md, "Optimiser budgets"). Enough to prove `retail-bank` optimal.
const FULL_WORK: f64 = 1.6e6;

/// The longest time limit the solver keeps, s (30 days): a longer one is taken as this one.
/// The node budgets end every search long before (the benchmark week takes seconds), so a
/// longer limit could change nothing but the clock arithmetic, where a limit of 1e19 s would
/// overflow.
pub const MAX_TIME_LIMIT: Seconds = 30.0 * DAY;

/// Agents needed on duty (logged in, not on break) in each interval, for one group, after
/// shrinkage.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRequirement {
    /// The group.
    pub group: AgentGroupId,
    /// Agents per interval: `grid.len()` values, or `grid.per_day()` values repeated every day.
    pub required: Vec<u32>,
}

/// What the schedule must cover. Groups not listed need nobody.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Requirement {
    /// One entry per group, each group at most once.
    pub groups: Vec<GroupRequirement>,
}

/// How hard the solver tries.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct SolveSettings {
    /// Relative gap between the plan's cost and the best proven bound at which the search stops
    /// (0.005 = 0.5%).
    pub mip_gap: f64,
    /// Wall-clock budget of the whole solve, s; when it runs out the best plan found is
    /// returned (the solver may overrun it by a fraction of a second; a program of many
    /// independent parts that runs out of time gives each part left at least 5% of it). Above
    /// [`MAX_TIME_LIMIT`] it is taken as that.
    pub time_limit: Seconds,
    /// Most agents working on any one day, over all templates (`[staffing] max_headcount`).
    pub max_headcount: Option<u32>,
}

impl Default for SolveSettings {
    fn default() -> SolveSettings {
        SolveSettings { mip_gap: 0.005, time_limit: 60.0, max_headcount: None }
    }
}

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
    /// The shifts, identical ones merged into one [`Shift`] with `agents = n`.
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

/// Why no schedule could be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    /// A requirement row has the wrong number of intervals.
    #[error(
        "requirement of group {group}: {len} intervals, expected {per_day} (one day) or {len_all} (whole horizon)"
    )]
    RequirementLength {
        /// Group index.
        group: usize,
        /// Values given.
        len: usize,
        /// Intervals per day.
        per_day: usize,
        /// Intervals over all days.
        len_all: usize,
    },
    /// A requirement or template names a group that does not exist, or a group twice.
    #[error("{what}: group index {group} is unknown or repeated; the scenario has {n_groups} groups")]
    BadGroup {
        /// `requirement` or `shift_templates[k]`.
        what: String,
        /// The index given.
        group: usize,
        /// Groups in the scenario.
        n_groups: usize,
    },
    /// A solve setting out of range.
    #[error("{0}")]
    BadSettings(String),
    /// The limits make the coverable requirement impossible.
    #[error(
        "the requirement cannot be covered within the limits ({limits}); raise them or lower the requirement"
    )]
    Infeasible {
        /// The limits in force, e.g. `max_headcount = 40, max_agents of shift_templates[2] = 10`.
        limits: String,
    },
    /// Writing the LP file failed.
    #[error("writing the LP file: {0}")]
    Write(String),
    /// The solver failed or found no plan within the time limit.
    #[error("shift optimiser: {0}")]
    Solver(String),
}

impl ScheduleError {
    /// Whether the user's input is at fault (exit code 2): everything but a solver failure.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, ScheduleError::Solver(_) | ScheduleError::Write(_))
    }
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
    let Model { required, columns, rows, uncovered } = Model::new(templates, grid, n_groups, req)?;

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
    let cost: f64 = columns.iter().zip(&counts.shifts).map(|(c, &n)| c.cost * f64::from(n)).sum();
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

/// Columns and coverage rows that share no constraint with the rest of the model.
struct Part {
    columns: Vec<usize>,
    rows: Vec<(usize, usize)>,
}

/// The model split into parts that share no row, in the order of their first row. Two columns
/// are in one part when they cover a common demanded interval or are counted by a common limit
/// (`max_agents` of a template on a day, `max_headcount` on a day). A centre that closes at
/// night falls apart into one part per group and day; one that never closes, into one part per
/// group.
fn independent_parts(
    templates: &[ShiftTemplate],
    columns: &[Column],
    rows: &[(usize, usize)],
    grid: &IntervalGrid,
    n_groups: usize,
    settings: &SolveSettings,
) -> Vec<Part> {
    // Union-find over rows, then columns, then limits.
    fn find(parent: &mut [usize], mut a: usize) -> usize {
        while parent[a] != a {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        a
    }
    let days = grid.days() + 1;
    let row_node = |g: usize, t: usize| g * grid.len() + t;
    let column_node = |s: usize| n_groups * grid.len() + s;
    let template_node = |k: usize, day: usize| column_node(columns.len()) + k * days + day;
    let day_node = |day: usize| template_node(templates.len(), 0) + day;
    let mut parent: Vec<usize> = (0..day_node(days)).collect();
    let mut is_row = vec![false; n_groups * grid.len()];
    for &(g, t) in rows {
        is_row[row_node(g, t)] = true;
    }
    for (s, c) in columns.iter().enumerate() {
        let mut linked: Vec<usize> =
            c.covered.iter().map(|&t| row_node(c.group, t)).filter(|&r| is_row[r]).collect();
        if templates[c.template].max_agents.is_some() {
            linked.push(template_node(c.template, c.day));
        }
        if settings.max_headcount.is_some() {
            linked.push(day_node(c.day));
        }
        for node in linked {
            let (a, b) = (find(&mut parent, column_node(s)), find(&mut parent, node));
            parent[a] = b;
        }
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut part_of_root = std::collections::HashMap::new();
    for &(g, t) in rows {
        let root = find(&mut parent, row_node(g, t));
        let part = *part_of_root.entry(root).or_insert_with(|| {
            parts.push(Part { columns: Vec::new(), rows: Vec::new() });
            parts.len() - 1
        });
        parts[part].rows.push((g, t));
    }
    for s in 0..columns.len() {
        // Every column covers some row (see `Model::new`), so its root names a part.
        if let Some(&part) = part_of_root.get(&find(&mut parent, column_node(s))) {
            parts[part].columns.push(s);
        }
    }
    parts
}

/// Whether a part's demand lies within one day, so that it is small enough to search whole (as
/// a one-day grid is) rather than a day at a time.
fn within_one_day(grid: &IntervalGrid, rows: &[(usize, usize)]) -> bool {
    let (first, last) = rows.iter().fold((usize::MAX, 0), |(a, b), &(_, t)| (a.min(t), b.max(t)));
    grid.days() == 1 || rows.is_empty() || grid.end_of(last) - grid.start_of(first) <= DAY + 1e-6
}

/// The integer program's data: columns with demand, coverage rows, and what no column covers.
struct Model {
    /// Agents required, `[group][interval]`.
    required: Vec<Vec<u32>>,
    /// Candidate shifts that can cover some demand.
    columns: Vec<columns::Column>,
    /// Coverage rows `(group, interval)`: every demanded interval some column can cover.
    rows: Vec<(usize, usize)>,
    /// Demanded intervals no column can cover.
    uncovered: Vec<Uncovered>,
}

impl Model {
    fn new(
        templates: &[ShiftTemplate],
        grid: &IntervalGrid,
        n_groups: usize,
        req: &Requirement,
    ) -> Result<Model, ScheduleError> {
        let required = requirement_matrix(req, grid, n_groups)?;
        check_templates(templates, n_groups)?;

        let mut columns = columns::generate(templates, grid);
        // A column without demand in any interval it can cover is never worth paying for.
        columns.retain(|c| {
            templates[c.template].max_agents != Some(0)
                && c.covered.iter().any(|&t| required[c.group][t] > 0 && c.can_cover(t))
        });

        let mut uncovered = Vec::new();
        let mut rows: Vec<(usize, usize)> = Vec::new();
        {
            let mut coverable = vec![vec![false; grid.len()]; n_groups];
            for c in &columns {
                for &t in &c.covered {
                    if !coverable[c.group][t] && c.can_cover(t) {
                        coverable[c.group][t] = true;
                    }
                }
            }
            for t in 0..grid.len() {
                for g in 0..n_groups {
                    if required[g][t] == 0 {
                        continue;
                    }
                    if coverable[g][t] {
                        rows.push((g, t));
                    } else {
                        uncovered.push(Uncovered {
                            interval: t,
                            group: AgentGroupId(g as u16),
                            required: required[g][t],
                        });
                    }
                }
            }
        }
        Ok(Model { required, columns, rows, uncovered })
    }
}

/// Requirement rows as `[group][interval]` over the whole horizon.
fn requirement_matrix(
    req: &Requirement,
    grid: &IntervalGrid,
    n_groups: usize,
) -> Result<Vec<Vec<u32>>, ScheduleError> {
    let mut out = vec![vec![0u32; grid.len()]; n_groups];
    let mut seen = vec![false; n_groups];
    for r in &req.groups {
        let g = r.group.idx();
        if g >= n_groups || seen[g] {
            return Err(ScheduleError::BadGroup { what: "requirement".to_string(), group: g, n_groups });
        }
        seen[g] = true;
        out[g] = grid.expand(&r.required).ok_or(ScheduleError::RequirementLength {
            group: g,
            len: r.required.len(),
            per_day: grid.per_day(),
            len_all: grid.len(),
        })?;
    }
    Ok(out)
}

/// Templates are valid by construction ([`ShiftTemplate::new`]); only their groups depend on
/// the scenario they are used with.
fn check_templates(templates: &[ShiftTemplate], n_groups: usize) -> Result<(), ScheduleError> {
    for (k, t) in templates.iter().enumerate() {
        if t.group.idx() >= n_groups {
            return Err(ScheduleError::BadGroup {
                what: format!("shift_templates[{k}]"),
                group: t.group.idx(),
                n_groups,
            });
        }
    }
    Ok(())
}

/// The answer of one independent part of the model.
struct PartSolution {
    status: SolveStatus,
    columns: usize,
    rows: usize,
    best_bound: Option<f64>,
    /// (column, agents, agents per option of each break choice).
    values: Vec<(usize, u32, Vec<Vec<u32>>)>,
}

/// What every stage of one part's solve reads.
#[derive(Copy, Clone)]
struct Ctx<'a> {
    templates: &'a [ShiftTemplate],
    columns: &'a [Column],
    grid: &'a IntervalGrid,
    settings: &'a SolveSettings,
}

/// The model of one part, built for the LP relaxation or for the integer program.
struct Built {
    model: Problem,
    x: Vec<Variable>,
    b: Vec<Vec<Vec<Variable>>>,
    /// Starting values (the solver's warm start), when given.
    start: Option<Vec<(Variable, f64)>>,
    n_vars: usize,
    n_rows: usize,
    limits: Vec<String>,
}

/// The integer program of one part, written out once and read by both the solver
/// ([`build`]) and the LP-file writer ([`write_lp`]), so that the file is exactly what is solved.
struct Program {
    /// Cost per unit of each variable; shift counts first, then break-position counts.
    cost: Vec<f64>,
    /// Upper bound of each variable (`max_agents` of the shift's template).
    upper: Vec<Option<u32>>,
    /// Variable of each shift (indexed like `col_idx`).
    x: Vec<usize>,
    /// Variables of each shift's break choices and their positions.
    b: Vec<Vec<Vec<usize>>>,
    /// `Σ terms ≥ rhs`, `= rhs` or `≤ rhs`.
    rows: Vec<Row>,
    /// The limits in force, for the infeasibility message.
    limits: Vec<String>,
}

/// One constraint of a [`Program`].
struct Row {
    /// What the row says, for the LP file (`cover_g0_t37`, `split_s12_c0`, ...).
    name: String,
    terms: Vec<(usize, f64)>,
    sense: std::cmp::Ordering,
    rhs: f64,
}

impl Program {
    /// The program over the columns `col_idx` and the coverage `rows`.
    fn new(ctx: &Ctx, col_idx: &[usize], rows: &[(usize, usize)], required: &[Vec<u32>]) -> Program {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let Ctx { templates, columns, grid, settings } = *ctx;
        let mut cost = Vec::new();
        let mut upper = Vec::new();
        let mut x = Vec::with_capacity(col_idx.len());
        let mut b: Vec<Vec<Vec<usize>>> = Vec::with_capacity(col_idx.len());
        for &s in col_idx {
            let c = &columns[s];
            x.push(cost.len());
            cost.push(c.cost);
            upper.push(templates[c.template].max_agents);
            b.push(
                c.choices
                    .iter()
                    .map(|choice| {
                        (0..choice.options.len())
                            .map(|_| {
                                cost.push(0.0);
                                upper.push(None);
                                cost.len() - 1
                            })
                            .collect()
                    })
                    .collect(),
            );
        }

        let row_of = {
            let mut m = vec![vec![usize::MAX; grid.len()]; required.len()];
            for (r, &(g, t)) in rows.iter().enumerate() {
                m[g][t] = r;
            }
            m
        };
        let mut out: Vec<Row> = rows
            .iter()
            .map(|&(g, t)| Row {
                name: format!("cover_g{g}_t{t}"),
                terms: Vec::new(),
                sense: Greater,
                rhs: f64::from(required[g][t]),
            })
            .collect();
        for (k, &s) in col_idx.iter().enumerate() {
            let c = &columns[s];
            for &t in &c.covered {
                if let Some(row) = out.get_mut(row_of[c.group][t]) {
                    row.terms.push((x[k], 1.0));
                }
            }
            for (choice, vars) in c.choices.iter().zip(&b[k]) {
                for (option, &v) in choice.options.iter().zip(vars) {
                    for &t in &option.blocked {
                        if let Some(row) = out.get_mut(row_of[c.group][t]) {
                            row.terms.push((v, -1.0));
                        }
                    }
                }
            }
        }
        for (k, split) in b.iter().enumerate() {
            for (ch, options) in split.iter().enumerate() {
                let mut terms: Vec<(usize, f64)> = options.iter().map(|&v| (v, 1.0)).collect();
                terms.push((x[k], -1.0));
                out.push(Row { name: format!("split_s{k}_c{ch}"), terms, sense: Equal, rhs: 0.0 });
            }
        }
        let mut limits = Vec::new();
        for (t_idx, template) in templates.iter().enumerate() {
            let Some(max) = template.max_agents else { continue };
            limits.push(format!("max_agents of shift_templates[{t_idx}] = {max}"));
            for day in 1..=grid.days() {
                let terms: Vec<(usize, f64)> = col_idx
                    .iter()
                    .zip(&x)
                    .filter(|(s, _)| columns[**s].template == t_idx && columns[**s].day == day)
                    .map(|(_, &v)| (v, 1.0))
                    .collect();
                // One shift alone is held by its variable's upper bound.
                if terms.len() > 1 {
                    let name = format!("max_agents_k{t_idx}_d{day}");
                    out.push(Row { name, terms, sense: Less, rhs: f64::from(max) });
                }
            }
        }
        if let Some(max) = settings.max_headcount {
            limits.insert(0, format!("max_headcount = {max}"));
            for day in 1..=grid.days() {
                let terms: Vec<(usize, f64)> = col_idx
                    .iter()
                    .zip(&x)
                    .filter(|(s, _)| columns[**s].day == day)
                    .map(|(_, &v)| (v, 1.0))
                    .collect();
                // A part of one day has no shifts on the others.
                if terms.is_empty() {
                    continue;
                }
                out.push(Row {
                    name: format!("max_headcount_d{day}"),
                    terms,
                    sense: Less,
                    rhs: f64::from(max),
                });
            }
        }
        Program { cost, upper, x, b, rows: out, limits }
    }
}

/// Builds the program over the columns `col_idx` and the coverage `rows` for microlp; with
/// `start`, every variable gets its starting value (the solver's warm start).
fn build(
    ctx: &Ctx,
    col_idx: &[usize],
    rows: &[(usize, usize)],
    required: &[Vec<u32>],
    integer: bool,
    start: Option<&Assignment>,
) -> Built {
    let program = Program::new(ctx, col_idx, rows, required);
    let mut model = Problem::new(OptimizationDirection::Minimize);
    let all: Vec<Variable> = program
        .cost
        .iter()
        .zip(&program.upper)
        .map(|(&cost, &upper)| match (integer, upper) {
            (true, upper) => {
                let max = upper.map_or(i32::MAX, |m| i32::try_from(m).unwrap_or(i32::MAX));
                model.add_integer_var(cost, (0, max))
            }
            (false, upper) => model.add_var(cost, (0.0, upper.map_or(f64::INFINITY, f64::from))),
        })
        .collect();
    for row in &program.rows {
        let op = match row.sense {
            std::cmp::Ordering::Greater => ComparisonOp::Ge,
            std::cmp::Ordering::Equal => ComparisonOp::Eq,
            std::cmp::Ordering::Less => ComparisonOp::Le,
        };
        model.add_constraint(row.terms.iter().map(|&(v, coef)| (all[v], coef)), op, row.rhs);
    }
    let start = start.map(|a| {
        let mut values = Vec::with_capacity(all.len());
        for (k, &v) in program.x.iter().enumerate() {
            values.push((all[v], f64::from(a.shifts[k])));
            for (vars, counts) in program.b[k].iter().zip(&a.options[k]) {
                values.extend(vars.iter().zip(counts).map(|(&v, &n)| (all[v], f64::from(n))));
            }
        }
        values
    });
    Built {
        x: program.x.iter().map(|&v| all[v]).collect(),
        b: program
            .b
            .iter()
            .map(|ch| ch.iter().map(|vs| vs.iter().map(|&v| all[v]).collect()).collect())
            .collect(),
        n_vars: all.len(),
        n_rows: program.rows.len(),
        model,
        start,
        limits: program.limits,
    }
}

/// Whether `a` keeps the per-template and per-day limits (rounding up may break them).
fn within_limits(ctx: &Ctx, a: &Assignment, col_idx: &[usize]) -> bool {
    let Ctx { templates, columns, grid, settings } = *ctx;
    let mut per_template = vec![vec![0u32; grid.days() + 1]; templates.len()];
    let mut per_day = vec![0u32; grid.days() + 1];
    for (k, &s) in col_idx.iter().enumerate() {
        per_template[columns[s].template][columns[s].day] += a.shifts[k];
        per_day[columns[s].day] += a.shifts[k];
    }
    let templates_ok = templates
        .iter()
        .zip(&per_template)
        .all(|(t, days)| t.max_agents.is_none_or(|max| days.iter().all(|&n| n <= max)));
    templates_ok && settings.max_headcount.is_none_or(|max| per_day.iter().all(|&n| n <= max))
}

/// Solves one independent part of the model: the LP relaxation gives the bound and, rounded,
/// a starting plan; when that plan is not already within the gap, the branch and bound starts
/// from it.
fn solve_part(
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
    // the neighbourhood search on the schedule bench's weeks, so the search's plan is the
    // answer there.
    let remaining = settings.time_limit - started.elapsed().as_secs_f64();
    if remaining < 0.05 * settings.time_limit || !whole {
        if let Some(a) = start {
            return Ok(into_part(a, SolveStatus::TimeLimit, Some(lp_bound), n_vars, n_rows));
        }
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
fn round_up_to_cost_unit(bound: f64, costs: impl Iterator<Item = f64>) -> f64 {
    match cost_unit(costs) {
        // The slack keeps an LP bound that is a multiple up to rounding error where it is.
        Some(unit) => (bound / unit - 1e-7).ceil() * unit,
        None => bound,
    }
}

/// The greatest common divisor of the costs, when they are all whole cents and not all zero.
fn cost_unit(costs: impl Iterator<Item = f64>) -> Option<f64> {
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
fn unit_gap(mip_gap: f64, unit: Option<f64>, cost: f64) -> f64 {
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
fn secs(seconds: Seconds) -> std::time::Duration {
    std::time::Duration::from_secs_f64(seconds.clamp(0.01, MAX_TIME_LIMIT))
}

/// How far one branch and bound may go: the node budget makes the search deterministic (the same
/// nodes in the same order on any machine); the time limit is the user's wall-clock promise and
/// only binds on a machine too slow for the node budget.
#[derive(Copy, Clone, Debug)]
struct Effort {
    mip_gap: f64,
    nodes: Option<u64>,
    seconds: Seconds,
}

/// Runs the branch and bound on a built model. `Ok(None)`: no plan within the effort.
fn run_ip(
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

/// The agents of each column, each given one option of every break choice, merged into
/// shifts by (group, day, log-in, length, breaks); on several days, then, the same shift with
/// as many agents on several days into one shift listing those days.
fn build_plan(columns: &[Column], counts: &Assignment, grid: &IntervalGrid) -> ShiftPlan {
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
    let by_day = |a: &Shift, b: &Shift| {
        (a.group, &a.days, a.start).cmp(&(b.group, &b.days, b.start)).then(a.length.total_cmp(&b.length))
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
            (a.group, a.start)
                .cmp(&(b.group, b.start))
                .then(a.length.total_cmp(&b.length))
                .then(a.days.cmp(&b.days))
        });
        shifts = merged;
    }
    ShiftPlan { name: "schedule".to_string(), shifts, staffing: Vec::new() }
}

/// On-duty agents per `[group][interval]` as the model counts them.
fn model_coverage(
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
/// of every shift of a day (288 on the schedule bench) is too large for it, and the small
/// support programs are not.
fn search_neighbourhoods(
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
        // (what they gain on the schedule bench: docs/performance.md, "Optimiser budgets").
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
        let log_in = (c.day - 1) as f64 * DAY + c.start.secs();
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
                    if let Some(&seen) = settled.get(&(p, w)) {
                        if !changes[seen..].iter().any(|&(a, b)| periodic || (a < hi && lo < b)) {
                            continue;
                        }
                    }
                    let left = budget - started.elapsed().as_secs_f64();
                    if left <= 0.0 {
                        return Ok(best);
                    }
                    // The one window of a whole part's support is large: more nodes.
                    let nodes = if width.is_finite() { WINDOW_NODES } else { SUPPORT_NODES };
                    let effort = Effort { mip_gap: 0.0, nodes: Some(nodes), seconds: left };
                    let found = improve(ctx, col_idx, rows, required, &best, free, effort)?;
                    if let Some(better) = found {
                        if cost_of(&better) < cost_of(&best) - 1e-9 {
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
fn improve(
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
