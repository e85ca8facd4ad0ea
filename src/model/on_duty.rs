//! Agents on duty in a plan, counted two ways from one geometry of shifts, breaks and intervals.
//!
//! - [`ShiftPlan::on_duty`]: the share of each interval an agent is on duty, as the simulator
//!   has agents answering calls (a shift or a break covering part of an interval counts for
//!   that part). Overviews, warnings and requirement files read it.
//! - [`ShiftPlan::coverage`]: whole intervals only, as the shift optimiser counts them: an
//!   agent covers an interval when logged in for all of it and on break for none of it. It is
//!   a floor on the first count.
//!
//! Both expand shifts as the simulator's roster does ([`Shift::log_ins`]). Staffing vectors
//! count their agents in both.

use crate::model::{Shift, ShiftBreak, ShiftPlan};
use crate::time::{IntervalGrid, Seconds, SimTime};

/// Slack for comparing instants built from sums of seconds.
pub(crate) const EPS: Seconds = 1e-6;

impl ShiftPlan {
    /// Agents on duty and not on break per group (`[group][interval]`, `n_groups` rows): the
    /// share of each interval each agent is on duty, summed.
    pub fn on_duty(&self, grid: &IntervalGrid, n_groups: usize) -> Vec<Vec<f64>> {
        let mut out = vec![vec![0.0; grid.len()]; n_groups];
        for shift in &self.shifts {
            let Some(row) = out.get_mut(shift.group.idx()) else { continue };
            for (idx, a) in shift.on_duty_shares(grid).into_iter().enumerate() {
                row[idx] += a * f64::from(shift.agents);
            }
        }
        for staffing in &self.staffing {
            if let Some(row) = out.get_mut(staffing.group.idx()) {
                for (cell, &a) in row.iter_mut().zip(&staffing.agents) {
                    *cell += f64::from(a);
                }
            }
        }
        out
    }

    /// Agents on duty and not on break for whole intervals per group (`[group][interval]`),
    /// counted as the optimiser counts them. A log-in, log-out or break boundary inside an
    /// interval removes the agent from that whole interval, although the simulator has the
    /// agent answering calls for part of it; the count is therefore a floor on
    /// [`ShiftPlan::on_duty`].
    pub fn coverage(&self, grid: &IntervalGrid, n_groups: usize) -> Vec<Vec<u32>> {
        let mut out = vec![vec![0u32; grid.len()]; n_groups];
        for shift in &self.shifts {
            let Some(row) = out.get_mut(shift.group.idx()) else { continue };
            for idx in shift.coverage(grid) {
                row[idx] += shift.agents;
            }
        }
        for staffing in &self.staffing {
            if let Some(row) = out.get_mut(staffing.group.idx()) {
                for (cell, &agents) in row.iter_mut().zip(&staffing.agents) {
                    *cell += agents;
                }
            }
        }
        out
    }
}

impl Shift {
    /// The share of each interval of `grid` one agent of this shift is on duty, over all its
    /// log-ins.
    pub fn on_duty_shares(&self, grid: &IntervalGrid) -> Vec<f64> {
        let mut out = vec![0.0; grid.len()];
        for log_in in self.log_ins(grid) {
            add_overlap(&mut out, grid, log_in, log_in + self.length, 1.0);
            for b in &self.breaks {
                let at = log_in + b.offset;
                add_overlap(&mut out, grid, at, at + b.length, -1.0);
            }
        }
        out
    }

    /// The intervals one agent of this shift covers, as [`ShiftPlan::coverage`] counts them, over
    /// all its log-ins (an interval twice if two log-ins cover it).
    pub fn coverage(&self, grid: &IntervalGrid) -> Vec<usize> {
        self.log_ins(grid)
            .flat_map(|log_in| whole_intervals_on_duty(grid, log_in, self.length, &self.breaks))
            .collect()
    }
}

/// Adds `sign` times the share of each interval covered by [from, to).
fn add_overlap(out: &mut [f64], grid: &IntervalGrid, from: f64, to: f64, sign: f64) {
    let Some(first) = grid.next_open(from - grid.length()) else { return };
    for (idx, slot) in out.iter_mut().enumerate().skip(first) {
        let (a, b) = (grid.start_of(idx), grid.end_of(idx));
        if a >= to {
            break;
        }
        let overlap = b.min(to) - a.max(from);
        if overlap > 0.0 {
            *slot += sign * overlap / grid.length();
        }
    }
}

/// Grid intervals that lie wholly inside `[from, to)`.
pub(crate) fn inside(grid: &IntervalGrid, from: SimTime, to: SimTime) -> Vec<usize> {
    let mut out = Vec::new();
    let Some(mut idx) = grid.next_open(from - EPS) else { return out };
    while idx < grid.len() && grid.start_of(idx) < to - EPS {
        if grid.end_of(idx) <= to + EPS {
            out.push(idx);
        }
        idx += 1;
    }
    out
}

/// Grid intervals that share more than an instant with `[from, to)`.
pub(crate) fn overlapping(grid: &IntervalGrid, from: SimTime, to: SimTime) -> Vec<usize> {
    let mut out = Vec::new();
    let first = grid.index_at(from + EPS).or_else(|| grid.next_open(from));
    let Some(mut idx) = first else { return out };
    while idx < grid.len() && grid.start_of(idx) < to - EPS {
        if grid.end_of(idx) > from + EPS {
            out.push(idx);
        }
        idx += 1;
    }
    out
}

/// Intervals an agent logging in at `log_in` covers whole: inside the shift, outside every break.
pub(crate) fn whole_intervals_on_duty(
    grid: &IntervalGrid,
    log_in: SimTime,
    length: Seconds,
    breaks: &[ShiftBreak],
) -> Vec<usize> {
    let mut covered = inside(grid, log_in, log_in + length);
    for b in breaks {
        let blocked = overlapping(grid, log_in + b.offset, log_in + b.offset + b.length);
        covered.retain(|idx| !blocked.contains(idx));
    }
    covered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Shift;
    use crate::model::{AgentGroupId, ShiftBreak};
    use crate::time::ClockTime;

    #[test]
    fn partial_intervals_and_breaks_count_pro_rata() {
        let grid = IntervalGrid::new(ClockTime::parse("08:00").unwrap(), 1800.0, 4, 1).unwrap();
        // 08:15–09:45 with a 15-minute break at 09:00.
        let shift = Shift {
            group: AgentGroupId(0),
            start: ClockTime::parse("08:15").unwrap(),
            length: 5400.0,
            agents: 1,
            breaks: vec![ShiftBreak { offset: 2700.0, length: 900.0 }],
            days: None,
        };
        let on = shift.on_duty_shares(&grid);
        let expected = [0.5, 1.0, 0.5, 0.5];
        for (a, e) in on.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{on:?}");
        }
    }

    #[test]
    fn overnight_shift_covers_both_mornings() {
        let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 3600.0, 24, 2).unwrap();
        let shift = Shift {
            group: AgentGroupId(0),
            start: ClockTime::parse("22:00").unwrap(),
            length: 8.0 * 3600.0,
            agents: 1,
            breaks: Vec::new(),
            days: None,
        };
        let on = shift.on_duty_shares(&grid);
        let hours: Vec<usize> = (0..48).filter(|&i| on[i] > 0.0).collect();
        assert_eq!(hours, [0, 1, 2, 3, 4, 5, 22, 23, 24, 25, 26, 27, 28, 29, 46, 47]);
    }

    /// On nights from 22:00 to 02:00 the last night's shift from 23:00 to 01:00 ends before the
    /// first evening begins: it logs in once a night and never before day 1, as on a grid of
    /// whole days a shift that does not cross midnight does.
    #[test]
    fn a_shift_within_a_night_logs_in_once_a_night() {
        let grid = IntervalGrid::new(ClockTime::parse("22:00").unwrap(), 3600.0, 4, 2).unwrap();
        let shift = Shift {
            group: AgentGroupId(0),
            start: ClockTime::parse("23:00").unwrap(),
            length: 2.0 * 3600.0,
            agents: 1,
            breaks: Vec::new(),
            days: None,
        };
        let log_ins: Vec<f64> = shift.log_ins(&grid).collect();
        assert_eq!(log_ins, [23.0 * 3600.0, 47.0 * 3600.0]);
        // Nor does one from 23:00 to 04:00: past the last night's close, its hours fall in the
        // closed hours before day 1's evening. On a grid of whole days from 06:00, the last
        // day's shift from 22:00 to 08:00 works day 1's first two hours; one ending at 06:00
        // ends with the last day.
        let long = Shift { length: 5.0 * 3600.0, ..shift.clone() };
        assert_eq!(long.log_ins(&grid).collect::<Vec<f64>>(), [23.0 * 3600.0, 47.0 * 3600.0]);
        let days = IntervalGrid::new(ClockTime::parse("06:00").unwrap(), 3600.0, 24, 2).unwrap();
        let night = |hours: f64| Shift {
            start: ClockTime::parse("22:00").unwrap(),
            length: hours * 3600.0,
            ..shift.clone()
        };
        assert_eq!(
            night(10.0).log_ins(&days).collect::<Vec<f64>>(),
            [-2.0 * 3600.0, 22.0 * 3600.0, 46.0 * 3600.0]
        );
        assert_eq!(night(8.0).log_ins(&days).collect::<Vec<f64>>(), [22.0 * 3600.0, 46.0 * 3600.0]);
    }
}
