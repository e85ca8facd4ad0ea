//! The model split into independent parts: shifts that share no demanded interval and no limit
//! row are separate, smaller integer programs, solved side by side.

use crate::model::ShiftTemplate;
use crate::time::{DAY, IntervalGrid};

use super::SolveSettings;
use super::columns::Column;

/// Columns and coverage rows that share no constraint with the rest of the model.
pub(super) struct Part {
    pub(super) columns: Vec<usize>,
    pub(super) rows: Vec<(usize, usize)>,
}

/// The model split into parts that share no row, in the order of their first row. Two columns
/// are in one part when they cover a common demanded interval or are counted by a common limit
/// (`max_agents` of a template on a day, `max_headcount` on a day). A centre that closes at
/// night falls apart into one part per group and day; one that never closes, into one part per
/// group.
pub(super) fn independent_parts(
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
pub(super) fn within_one_day(grid: &IntervalGrid, rows: &[(usize, usize)]) -> bool {
    let (first, last) = rows.iter().fold((usize::MAX, 0), |(a, b), &(_, t)| (a.min(t), b.max(t)));
    grid.days() == 1 || rows.is_empty() || grid.end_of(last) - grid.start_of(first) <= DAY + 1e-6
}
