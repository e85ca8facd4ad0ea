//! What the optimiser is asked and what it builds from it: the requirement per group and
//! interval, the solve settings, the model's data (candidate shifts with demand, coverage rows,
//! demand no shift can cover), and why no schedule could be built.

use crate::model::{AgentGroupId, ShiftTemplate};
use crate::time::{IntervalGrid, Seconds};

use super::columns;
use super::{Uncovered, UncoveredWhy};
use crate::model::on_duty::inside;

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
    /// [`super::MAX_TIME_LIMIT`] it is taken as that.
    pub time_limit: Seconds,
    /// Most agents working on any one day, over all templates (`[staffing] max_headcount`).
    pub max_headcount: Option<u32>,
}

impl Default for SolveSettings {
    fn default() -> SolveSettings {
        SolveSettings { mip_gap: 0.005, time_limit: 60.0, max_headcount: None }
    }
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
    /// The limits alone leave an interval short: the shifts that can cover it may not have
    /// as many agents as it needs.
    #[error("the requirement cannot be covered within the limits: {}", short_of_limits(*group, names, message))]
    LimitsShort {
        /// The group short of agents; `None` when `max_headcount` binds all groups together.
        group: Option<usize>,
        /// The groups' names, when known ([`ScheduleError::with_group_names`]).
        names: Vec<String>,
        /// What follows the group's name: the interval, the agents it needs, the limits and
        /// what to change.
        message: String,
    },
    /// The templates would build a model beyond [`crate::limits::MAX_SCHEDULE_MODEL`].
    #[error("shift_templates[{template}]: {message}")]
    ModelTooLarge {
        /// The template with the largest share.
        template: usize,
        /// The size, the cap, the shares and what to change.
        message: String,
    },
    /// No template has a shift that covers an interval of the open hours, or of the demand: the
    /// plan would be empty.
    #[error("shift_templates: {0}")]
    NothingCoverable(String),
    /// Writing the LP file failed.
    #[error("writing the LP file: {0}")]
    Write(String),
    /// The solver failed or found no plan within the time limit.
    #[error("shift optimiser: {0}")]
    Solver(String),
}

fn short_of_limits(group: Option<usize>, names: &[String], message: &str) -> String {
    match group {
        Some(g) => format!("{} {message}", names.get(g).cloned().unwrap_or_else(|| format!("group {g}"))),
        None => message.to_string(),
    }
}

impl ScheduleError {
    /// The error with the groups called by their names rather than their indices.
    #[must_use]
    pub fn with_group_names(self, group_names: Vec<String>) -> ScheduleError {
        match self {
            ScheduleError::LimitsShort { group, message, .. } => {
                ScheduleError::LimitsShort { group, names: group_names, message }
            }
            other => other,
        }
    }

    /// Whether the user's input is at fault (exit code 2): everything but a solver failure.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, ScheduleError::Solver(_) | ScheduleError::Write(_))
    }
}

/// The integer program's data: columns with demand, coverage rows, and what no column covers.
pub(super) struct Model {
    /// Agents required, `[group][interval]`.
    pub(super) required: Vec<Vec<u32>>,
    /// Candidate shifts that can cover some demand.
    pub(super) columns: Vec<columns::Column>,
    /// Coverage rows `(group, interval)`: every demanded interval some column can cover.
    pub(super) rows: Vec<(usize, usize)>,
    /// Demanded intervals no column can cover.
    pub(super) uncovered: Vec<Uncovered>,
}

impl Model {
    pub(super) fn new(
        templates: &[ShiftTemplate],
        grid: &IntervalGrid,
        n_groups: usize,
        req: &Requirement,
    ) -> Result<Model, ScheduleError> {
        let required = requirement_matrix(req, grid, n_groups)?;
        check_templates(templates, n_groups)?;
        check_usable(templates, grid)?;

        let mut columns = columns::generate(templates, grid);
        // Whether some column the templates allow to staff can cover each (group, interval); a
        // column that covers no demand is dropped below, so this is also what the kept ones cover.
        let mut coverable = vec![vec![false; grid.len()]; n_groups];
        for c in columns.iter().filter(|c| templates[c.template].max_agents != Some(0)) {
            for &t in &c.covered {
                if !coverable[c.group][t] && c.can_cover(t) {
                    coverable[c.group][t] = true;
                }
            }
        }
        // Every interval with demand is a coverage row or uncovered, told apart once. Before the
        // columns without demand go: they tell why an interval cannot be covered.
        let mut rows: Vec<(usize, usize)> = Vec::new();
        let mut uncovered = Vec::new();
        for t in 0..grid.len() {
            for (g, row) in required.iter().enumerate() {
                if row[t] == 0 {
                    continue;
                }
                if coverable[g][t] {
                    rows.push((g, t));
                } else {
                    uncovered.push(Uncovered {
                        interval: t,
                        group: AgentGroupId(g as u16),
                        required: row[t],
                        why: uncovered_why(templates, &columns, grid, g, t),
                    });
                }
            }
        }
        // A column without demand in any interval it can cover is never worth paying for.
        columns.retain(|c| {
            templates[c.template].max_agents != Some(0)
                && c.covered.iter().any(|&t| required[c.group][t] > 0 && c.can_cover(t))
        });
        if rows.is_empty() && !uncovered.is_empty() {
            return Err(nothing_coverable(templates, grid, Some(uncovered.len())));
        }
        Ok(Model { required, columns, rows, uncovered })
    }
}

/// Finds the interval the limits leave shortest on their own, so that limits too tight are
/// told where and by how much rather than only that no plan exists: a template's shifts logged
/// in on one day have at most its `max_agents`, all shifts of a day at most `max_headcount`, and
/// an interval is covered by shifts of at most the log-in days of the columns that cover it.
/// Tight limits can still be infeasible together over several intervals; the solver says so.
pub(super) fn check_limits(
    templates: &[ShiftTemplate],
    grid: &IntervalGrid,
    model: &Model,
    max_headcount: Option<u32>,
) -> Result<(), ScheduleError> {
    let Model { required, columns, rows, .. } = model;
    if max_headcount.is_none() && templates.iter().all(|k| k.max_agents.is_none()) {
        return Ok(());
    }
    // (shortfall, message) of every short interval: the worst is told, the others counted.
    let mut short: Vec<(u64, Option<usize>, String)> = Vec::new();
    let mut by_interval: Vec<(u64, Vec<usize>)> = vec![(0, Vec::new()); grid.len()];
    for &(g, t) in rows {
        let covering: Vec<&columns::Column> =
            columns.iter().filter(|c| c.group == g && c.can_cover(t)).collect();
        let entry = &mut by_interval[t];
        entry.0 += u64::from(required[g][t]);
        entry.1.extend(covering.iter().map(|c| c.day));
        let mut pairs: Vec<(usize, usize)> = covering.iter().map(|c| (c.template, c.day)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let Some(cap) =
            pairs.iter().try_fold(0u64, |sum, &(k, _)| templates[k].max_agents.map(|m| sum + u64::from(m)))
        else {
            continue;
        };
        let need = u64::from(required[g][t]);
        if need > cap {
            let mut ks: Vec<usize> = pairs.iter().map(|&(k, _)| k).collect();
            ks.dedup();
            let named: Vec<String> = ks
                .iter()
                .map(|&k| {
                    format!("max_agents of shift_templates[{k}] = {}", templates[k].max_agents.unwrap_or(0))
                })
                .collect();
            short.push((
                need - cap,
                Some(g),
                format!(
                    "needs {need} agents scheduled at {} (shrinkage included), and the shifts that can \
                     cover it allow at most {cap} ({}); raise max_agents, or add a template without a \
                     limit whose shifts cover it",
                    grid.label(t),
                    named.join(", ")
                ),
            ));
        }
    }
    if let Some(max) = max_headcount {
        for (t, (need, mut days)) in by_interval.into_iter().enumerate() {
            days.sort_unstable();
            days.dedup();
            let cap = u64::from(max) * days.len() as u64;
            if need > cap {
                short.push((
                    need - cap,
                    None,
                    format!(
                        "all groups together need {need} agents scheduled at {} (shrinkage included), \
                         and max_headcount = {max} lets at most {cap} be on shift then; raise max_headcount",
                        grid.label(t)
                    ),
                ));
            }
        }
    }
    // The first of the worst: the earliest interval, groups in order, limits of templates first.
    let Some((_, (_, group, message))) =
        short.iter().enumerate().max_by_key(|&(i, (by, ..))| (*by, std::cmp::Reverse(i)))
    else {
        return Ok(());
    };
    let mut message = message.clone();
    if short.len() > 1 {
        message.push_str(&format!(
            " ({} more intervals are short of their limits, this one the most)",
            short.len() - 1
        ));
    }
    Err(ScheduleError::LimitsShort { group: *group, names: Vec::new(), message })
}

/// Why no column of group `g` covers interval `t`; `columns` are all the templates' columns.
fn uncovered_why(
    templates: &[ShiftTemplate],
    columns: &[columns::Column],
    grid: &IntervalGrid,
    g: usize,
    t: usize,
) -> UncoveredWhy {
    if !templates.iter().any(|k| k.group.idx() == g) {
        return UncoveredWhy::NoTemplate;
    }
    let of_group = || columns.iter().filter(|c| c.group == g);
    if of_group().any(|c| c.can_cover(t)) {
        return UncoveredWhy::NoAgentsAllowed;
    }
    let spans = |c: &columns::Column| {
        columns::log_ins(c.day, grid, c.start, c.length)
            .into_iter()
            .any(|from| inside(grid, from, from + c.length).contains(&t))
    };
    if of_group().any(spans) { UncoveredWhy::OnBreak } else { UncoveredWhy::NotSpanned }
}

/// Checks, before anything is built or any requirement computed, that the templates' model stays
/// within [`crate::limits::MAX_SCHEDULE_MODEL`] and that some template has a shift covering an
/// interval of the open hours.
///
/// # Errors
/// [`ScheduleError::ModelTooLarge`], [`ScheduleError::NothingCoverable`].
pub fn check_usable(templates: &[ShiftTemplate], grid: &IntervalGrid) -> Result<(), ScheduleError> {
    super::size::check_model_size(templates, grid)
        .map_err(|e| ScheduleError::ModelTooLarge { template: e.template, message: e.message })?;
    if !templates.iter().any(|t| super::size::reaches_open_hours(t, grid)) {
        return Err(nothing_coverable(templates, grid, None));
    }
    Ok(())
}

/// The error of templates none of which covers an interval of the open hours (`demand` None), or
/// of the `demand` intervals that need agents, naming the hours every template spans.
pub(super) fn nothing_coverable(
    templates: &[ShiftTemplate],
    grid: &IntervalGrid,
    demand: Option<usize>,
) -> ScheduleError {
    let listed: Vec<String> = templates
        .iter()
        .enumerate()
        .map(|(k, t)| format!("shift_templates[{k}] {}", super::size::hours_spanned(t)))
        .collect();
    let open = grid.open_hours();
    let what = match demand {
        None => format!("while the center is open ({open})"),
        Some(n) => format!("of the {n} that need agents (the center is open {open})"),
    };
    ScheduleError::NothingCoverable(format!(
        "no template has a shift that covers a whole interval {what}: {}; move the start windows, or \
         change the lengths, so that shifts cover those hours",
        listed.join("; ")
    ))
}
/// Requirement rows as `[group][interval]` over the whole horizon.
pub(super) fn requirement_matrix(
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
pub(super) fn check_templates(templates: &[ShiftTemplate], n_groups: usize) -> Result<(), ScheduleError> {
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
