//! What the staffing search remembers of one group in one interval between simulations: the
//! staffing it was seen to miss with (never lowered to again) and the size of its next raise
//! and reduction, which grow while the search keeps going the same way.

use super::MAX_SEARCH_AGENTS;

/// What the search knows of one group in one interval.
#[derive(Clone, Copy, Debug)]
pub(super) struct Cell {
    /// Whether the search may take agents away here (not when it only raises, with a risk).
    lowers: bool,
    /// The most agents with which a simulation saw this group miss here: never lowered to it.
    missed: Option<u32>,
    /// Agents the raise just before added (0: none).
    pub(super) raised_last: u32,
    /// Agents the next reduction tries to take away.
    lower_step: u32,
}

impl Cell {
    pub(super) fn new(lowers: bool) -> Cell {
        Cell { lowers, missed: None, raised_last: 0, lower_step: 1 }
    }

    /// Agents to add on a miss: one, and one more than the time before on misses in a row,
    /// so that an interval far below its goal (a surge, an outage, redials the formulas did
    /// not see) gets there in a few simulations rather than one agent at a time, overshooting
    /// by less than the last step. Never more than the `load` (Erlangs) the group's call types
    /// offered there, so that a few stray calls (redials after closing time) do not draw a
    /// crowd. A search that may not lower adds one at a time.
    pub(super) fn raise_by(&self, load: f64) -> u32 {
        if !self.lowers {
            return 1;
        }
        let most = load.ceil().clamp(1.0, f64::from(MAX_SEARCH_AGENTS)) as u32;
        self.raised_last.saturating_add(1).min(most)
    }

    /// Records a miss with `agents`, after a raise by `by` from there.
    pub(super) fn raised(&mut self, agents: u32, by: u32) {
        self.missed_with(agents);
        self.raised_last = by;
        self.lower_step = (by / 2).max(1);
    }

    pub(super) fn missed_with(&mut self, agents: u32) {
        self.missed = Some(self.missed.map_or(agents, |m| m.max(agents)));
    }

    /// Agents to take away from `agents` in the next reduction: 0 when it may not go lower.
    pub(super) fn lower_by(&self, agents: u32) -> u32 {
        if !self.lowers {
            return 0;
        }
        let floor = self.missed.map_or(0, |m| m.saturating_add(1).min(agents));
        self.lower_step.min(agents - floor)
    }

    /// A reduction by `by` kept: twice as many next time, so that a group far above its need
    /// comes down in a few rounds.
    pub(super) fn lowered(&mut self, by: u32) {
        self.lower_step = by.saturating_mul(2);
    }

    /// A reduction by `by` to `agents` that missed: not that low again; half the step.
    pub(super) fn failed(&mut self, agents: u32, by: u32) {
        self.missed_with(agents);
        self.lower_step = (by / 2).max(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raise_grows_by_one_each_time_but_never_beyond_the_load_offered() {
        let raises = |lowers: bool, load: f64| -> Vec<u32> {
            let mut cell = Cell::new(lowers);
            (0..5)
                .map(|_| {
                    let by = cell.raise_by(load);
                    cell.raised(10, by);
                    by
                })
                .collect()
        };
        assert_eq!(raises(true, 100.0), [1, 2, 3, 4, 5]);
        assert_eq!(raises(true, 2.4), [1, 2, 3, 3, 3]);
        // A redial or two after closing time: one agent at a time.
        assert_eq!(raises(true, 0.05), [1, 1, 1, 1, 1]);
        // The search with a risk only raises, and so never overshoots.
        assert_eq!(raises(false, 100.0), [1, 1, 1, 1, 1]);
    }
}
