//! One part's integer program: variables (shift counts, break-position counts), costs and
//! rows, written out once as a [`Program`] and read by both the solver ([`build`]) and the
//! LP-file writer, so that the file is exactly what is solved.

use microlp::{ComparisonOp, OptimizationDirection, Problem, Variable};

use crate::model::ShiftTemplate;
use crate::time::IntervalGrid;

use super::SolveSettings;
use super::columns::Column;
use super::heuristic::Assignment;

/// What every stage of one part's solve reads.
#[derive(Copy, Clone)]
pub(super) struct Ctx<'a> {
    pub(super) templates: &'a [ShiftTemplate],
    pub(super) columns: &'a [Column],
    pub(super) grid: &'a IntervalGrid,
    pub(super) settings: &'a SolveSettings,
}

/// The model of one part, built for the LP relaxation or for the integer program.
pub(super) struct Built {
    pub(super) model: Problem,
    pub(super) x: Vec<Variable>,
    pub(super) b: Vec<Vec<Vec<Variable>>>,
    /// Starting values (the solver's warm start), when given.
    pub(super) start: Option<Vec<(Variable, f64)>>,
    pub(super) n_vars: usize,
    pub(super) n_rows: usize,
    pub(super) limits: Vec<String>,
}

/// The integer program of one part, written out once and read by both the solver
/// ([`build`]) and the LP-file writer ([`write_lp`]), so that the file is exactly what is solved.
///
/// [`write_lp`]: super::write_lp
pub(super) struct Program {
    /// Cost per unit of each variable; shift counts first, then break-position counts.
    pub(super) cost: Vec<f64>,
    /// Upper bound of each variable (`max_agents` of the shift's template).
    pub(super) upper: Vec<Option<u32>>,
    /// Variable of each shift (indexed like `col_idx`).
    pub(super) x: Vec<usize>,
    /// Variables of each shift's break choices and their positions.
    pub(super) b: Vec<Vec<Vec<usize>>>,
    /// `Σ terms ≥ rhs`, `= rhs` or `≤ rhs`.
    pub(super) rows: Vec<Row>,
    /// The limits in force, for the infeasibility message.
    pub(super) limits: Vec<String>,
}

/// One constraint of a [`Program`].
pub(super) struct Row {
    /// What the row says, for the LP file (`cover_g0_t37`, `split_s12_c0`, ...).
    pub(super) name: String,
    pub(super) terms: Vec<(usize, f64)>,
    pub(super) sense: std::cmp::Ordering,
    pub(super) rhs: f64,
}

impl Program {
    /// The program over the columns `col_idx` and the coverage `rows`.
    pub(super) fn new(
        ctx: &Ctx,
        col_idx: &[usize],
        rows: &[(usize, usize)],
        required: &[Vec<u32>],
    ) -> Program {
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
pub(super) fn build(
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
pub(super) fn within_limits(ctx: &Ctx, a: &Assignment, col_idx: &[usize]) -> bool {
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
