//! On-duty and busy time of each agent group, integrated by interval whenever the group's
//! counts change (the basis of occupancy).
//!
//! The common case, a change in the same interval as the last one, is a few additions; the
//! walk across interval boundaries is kept out of line.

use super::State;
use crate::sim::counts::Counts;
use crate::time::SimTime;

impl<'a> State<'a> {
    /// Adds on-duty and busy time of group `g` since its last change, split by interval
    /// (time outside every interval, e.g. closed nights, counts nowhere).
    #[inline]
    pub(super) fn integrate(&mut self, g: usize, now: SimTime, counts: &mut Counts) {
        let gs = &mut self.groups[g];
        let from = gs.last_change;
        if now <= from {
            return;
        }
        // Fast path: the same interval as at the last change.
        if now <= gs.last_interval_end {
            gs.last_change = now;
            if gs.n_on_duty > 0 {
                let (on_duty, busy) = (f64::from(gs.n_on_duty), f64::from(gs.n_busy));
                let cell = &mut counts.agent_time[gs.last_cell];
                cell.on_duty_s += on_duty * (now - from);
                cell.busy_s += busy * (now - from);
            }
            return;
        }
        self.integrate_across(g, now, counts);
    }

    /// `integrate` when `now` lies past the interval of the group's last change.
    #[inline(never)]
    fn integrate_across(&mut self, g: usize, now: SimTime, counts: &mut Counts) {
        let n_intervals = self.bounds.len();
        let gs = &mut self.groups[g];
        let from = gs.last_change;
        gs.last_change = now;
        let (on_duty, busy) = (f64::from(gs.n_on_duty), f64::from(gs.n_busy));
        let grid = &self.scenario.grid;
        match grid.index_at(now) {
            Some(idx) => {
                gs.last_interval_end = self.bounds[idx].1;
                gs.last_cell = g * n_intervals + idx;
            }
            None => gs.last_interval_end = f64::NEG_INFINITY,
        }
        if on_duty == 0.0 && busy == 0.0 {
            return;
        }
        let Some(mut idx) = grid.index_at(from).or_else(|| grid.next_open(from)) else { return };
        while let Some(&(start, end)) = self.bounds.get(idx) {
            if start >= now {
                break;
            }
            let span = end.min(now) - start.max(from);
            if span > 0.0 {
                let cell = &mut counts.agent_time[g * n_intervals + idx];
                cell.on_duty_s += on_duty * span;
                cell.busy_s += busy * span;
            }
            idx += 1;
        }
    }
}
