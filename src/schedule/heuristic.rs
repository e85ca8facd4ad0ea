//! A starting plan for the search: the LP relaxation rounded, repaired where it falls short,
//! then pruned of agents no row needs.
//!
//! microlp's branch and bound has no primal heuristics of its own; on a week of breaks it
//! spends its time budget diving without a good incumbent, and the gap it reports stays at
//! several percent. Here each shift count is rounded up when its fraction reaches a threshold
//! and down otherwise, and its agents are spread over the break positions by the LP's shares
//! (`⌊b⌋` each, the rest to the largest fractions; `Σ⌊b⌋ ≤ ⌊x⌋`, so nobody is lost). A greedy
//! pass then adds the shift that covers the most short intervals per unit of cost, with the
//! break positions that block the fewest of them, until every row holds; a last pass removes
//! agents one at a time, most over-rounded shifts first, while every row still holds. Several
//! thresholds are tried (milliseconds each) and the cheapest plan is kept: rounding down alone
//! leaves the first plan much further from the LP bound than repairing and pruning does.

use super::columns::Column;

/// Agents per column and, per break choice, per position.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Assignment {
    pub shifts: Vec<u32>,
    pub options: Vec<Vec<Vec<u32>>>,
}

impl Assignment {
    /// The plan's cost: agents times the cost of their column (`cols` indexes `columns` like
    /// `shifts`).
    pub fn cost(&self, columns: &[Column], cols: &[usize]) -> f64 {
        cols.iter().zip(&self.shifts).map(|(&s, &n)| columns[s].cost * f64::from(n)).sum()
    }
}

/// Rounds the LP values `x`, `b` (indexed like `cols`) to a feasible integral plan.
///
/// `required[g][t]` is the right-hand side of the coverage row of (g, t), or 0 when the model
/// has no such row.
pub(super) fn round_and_prune(
    columns: &[Column],
    cols: &[usize],
    x: &[f64],
    b: &[Vec<Vec<f64>>],
    required: &[Vec<u32>],
) -> Assignment {
    // Which threshold rounds best depends on the instance, and each try takes milliseconds.
    let mut best: Option<(f64, Assignment)> = None;
    for threshold in (2..=20).map(|k| f64::from(k) * 0.05) {
        let a = round_at(columns, cols, x, b, required, threshold);
        let c = a.cost(columns, cols);
        if best.as_ref().is_none_or(|(bc, _)| c < *bc) {
            best = Some((c, a));
        }
    }
    best.map(|(_, a)| a).unwrap_or(Assignment { shifts: Vec::new(), options: Vec::new() })
}

/// Rounds each shift count up from `threshold` on (1: down), repairs and prunes.
fn round_at(
    columns: &[Column],
    cols: &[usize],
    x: &[f64],
    b: &[Vec<Vec<f64>>],
    required: &[Vec<u32>],
    threshold: f64,
) -> Assignment {
    // Values within this of an integer are taken as that integer, not rounded down.
    const INTEGRAL: f64 = 1e-6;
    let down = |v: f64| (v + INTEGRAL).floor().max(0.0) as u32;
    let shifts: Vec<u32> =
        x.iter().map(|&v| (v + 1.0 - threshold + INTEGRAL).floor().max(0.0) as u32).collect();
    // Each choice's positions get their rounded-down share; the agents left over go to the
    // positions with the largest fractional parts. Σ⌊b⌋ ≤ ⌊Σb⌋ = ⌊x⌋, so nobody is lost.
    let options: Vec<Vec<Vec<u32>>> = b
        .iter()
        .zip(&shifts)
        .map(|(choices, &n)| {
            choices
                .iter()
                .map(|opts| {
                    let mut counts: Vec<u32> = opts.iter().map(|&v| down(v)).collect();
                    let mut by_fraction: Vec<usize> = (0..opts.len()).collect();
                    by_fraction.sort_by(|&i, &j| {
                        (opts[j] - opts[j].floor()).total_cmp(&(opts[i] - opts[i].floor()))
                    });
                    let mut missing = n.saturating_sub(counts.iter().sum());
                    for &i in by_fraction.iter().cycle().take(opts.len() * missing as usize) {
                        if missing == 0 {
                            break;
                        }
                        counts[i] += 1;
                        missing -= 1;
                    }
                    counts
                })
                .collect()
        })
        .collect();
    // Most over-rounded first: those agents are the least likely to be needed.
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by(|&a, &b| (f64::from(shifts[b]) - x[b]).total_cmp(&(f64::from(shifts[a]) - x[a])));
    repair_and_prune(columns, cols, Assignment { shifts, options }, required, &order)
}

/// Makes `a` feasible and lean: adds agents where rows fall short (see [`repair`]), then removes
/// agents no row needs, trying the columns in `order`.
fn repair_and_prune(
    columns: &[Column],
    cols: &[usize],
    mut a: Assignment,
    required: &[Vec<u32>],
    order: &[usize],
) -> Assignment {
    let mut coverage = coverage_of(columns, cols, &a, required);
    repair(columns, cols, &mut a, &mut coverage, required);
    let Assignment { mut shifts, mut options } = a;
    loop {
        let mut removed = false;
        for &k in order {
            let c = &columns[cols[k]];
            while shifts[k] > 0 {
                let Some(chosen) = removable(&coverage[c.group], &required[c.group], c, &options[k]) else {
                    break;
                };
                let mut one = vec![Vec::new(); chosen.len()];
                for (ch, &o) in chosen.iter().enumerate() {
                    one[ch] = vec![0; c.choices[ch].options.len()];
                    one[ch][o] = 1;
                    options[k][ch][o] -= 1;
                }
                add_column(&mut coverage[c.group], c, 1, &one, -1);
                shifts[k] -= 1;
                removed = true;
            }
        }
        if !removed {
            break;
        }
    }
    Assignment { shifts, options }
}

/// Adds (`sign` 1) or removes (`sign` -1) `n` agents of column `c` split over `options`.
fn add_column(row: &mut [i64], c: &Column, n: u32, options: &[Vec<u32>], sign: i64) {
    for &t in &c.covered {
        row[t] += sign * i64::from(n);
    }
    for (choice, counts) in c.choices.iter().zip(options) {
        for (option, &k) in choice.options.iter().zip(counts) {
            for &t in &option.blocked {
                row[t] -= sign * i64::from(k);
            }
        }
    }
}

/// The break position, per choice, of an agent of `c` who can leave without any row falling
/// short, if there is one.
fn removable(coverage: &[i64], required: &[u32], c: &Column, options: &[Vec<u32>]) -> Option<Vec<usize>> {
    let tight = |t: usize| coverage[t] <= i64::from(required[t]) && required[t] > 0;
    let in_some_choice =
        |t: usize| c.choices.iter().any(|ch| ch.options.iter().any(|o| o.blocked.binary_search(&t).is_ok()));
    if c.covered.iter().any(|&t| tight(t) && !in_some_choice(t)) {
        return None;
    }
    let mut chosen = Vec::with_capacity(c.choices.len());
    for (choice, counts) in c.choices.iter().zip(options) {
        // The agent's break in this choice must cover every tight interval it could touch.
        let mut tight_here: Vec<usize> =
            choice.options.iter().flat_map(|o| o.blocked.iter().copied()).filter(|&t| tight(t)).collect();
        tight_here.sort_unstable();
        tight_here.dedup();
        let o = choice
            .options
            .iter()
            .zip(counts)
            .position(|(o, &k)| k > 0 && tight_here.iter().all(|t| o.blocked.binary_search(t).is_ok()))?;
        chosen.push(o);
    }
    Some(chosen)
}

/// Adds agents, the most shortfall covered per unit of cost first, until no row falls short.
fn repair(
    columns: &[Column],
    cols: &[usize],
    a: &mut Assignment,
    coverage: &mut [Vec<i64>],
    required: &[Vec<u32>],
) {
    loop {
        let short = |g: usize, t: usize| coverage[g][t] < i64::from(required[g][t]);
        let mut best: Option<(f64, usize, Vec<usize>)> = None;
        for (k, &s) in cols.iter().enumerate() {
            let c = &columns[s];
            let g = c.group;
            // Per choice, the position that blocks the fewest short intervals.
            let chosen: Vec<usize> = c
                .choices
                .iter()
                .map(|ch| {
                    (0..ch.options.len())
                        .min_by_key(|&o| ch.options[o].blocked.iter().filter(|&&t| short(g, t)).count())
                        .unwrap_or(0)
                })
                .collect();
            let blocked = |t: usize| {
                c.choices.iter().zip(&chosen).any(|(ch, &o)| ch.options[o].blocked.binary_search(&t).is_ok())
            };
            let gain = c.covered.iter().filter(|&&t| short(g, t) && !blocked(t)).count();
            if gain == 0 {
                continue;
            }
            let score = gain as f64 / c.cost.max(1e-9);
            if best.as_ref().is_none_or(|(b, _, _)| score > *b) {
                best = Some((score, k, chosen));
            }
        }
        let Some((_, k, chosen)) = best else { return };
        let c = &columns[cols[k]];
        let one: Vec<Vec<u32>> = c
            .choices
            .iter()
            .zip(&chosen)
            .map(|(ch, &o)| (0..ch.options.len()).map(|i| u32::from(i == o)).collect())
            .collect();
        add_column(&mut coverage[c.group], c, 1, &one, 1);
        a.shifts[k] += 1;
        for (ch, &o) in chosen.iter().enumerate() {
            a.options[k][ch][o] += 1;
        }
    }
}

/// Agents on duty per `[group][interval]` of the assignment `a` over the columns `cols`.
pub(super) fn coverage_of(
    columns: &[Column],
    cols: &[usize],
    a: &Assignment,
    required: &[Vec<u32>],
) -> Vec<Vec<i64>> {
    let mut coverage: Vec<Vec<i64>> = required.iter().map(|row| vec![0; row.len()]).collect();
    for (k, &s) in cols.iter().enumerate() {
        add_column(&mut coverage[columns[s].group], &columns[s], a.shifts[k], &a.options[k], 1);
    }
    coverage
}
