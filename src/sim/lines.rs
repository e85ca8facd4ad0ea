//! Telephone lines during one replication: which pool a call type's callers use, how many
//! lines of each pool are held and working, and the line-time of every interval.
//!
//! A caller holds a line from the moment the call is accepted until it ends (abandoned,
//! served, or left at close); a call finding every line of its pool held is blocked. An
//! outage lowers a pool's working lines for a window: callers already on the lines keep them,
//! new calls are blocked until fewer lines are held than work. Without lines nothing here runs
//! but one emptiness check per offered call, and nothing is allocated per call.

use crate::model::{CallTypeId, Scenario};
use crate::sim::event::Event;
use crate::time::SimTime;

/// Index of a pool of lines: the shared `[lines]`, or a call type's own.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PoolId(pub u16);

/// A call type without a line limit.
const NO_POOL: u16 = u16::MAX;

/// Line-seconds of one interval, all pools together.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct LineTime {
    /// Lines working x time.
    pub working_s: f64,
    /// Lines held x time.
    pub held_s: f64,
}

#[derive(Clone, Debug)]
struct Pool {
    /// Lines when no outage is on.
    total: u32,
    /// Lines working now.
    working: u32,
    /// Lines held now (may exceed `working` just after an outage starts).
    held: u32,
    /// Outage windows of this pool: `[from, to)` with the lines that still work.
    outages: Vec<(SimTime, SimTime, u32)>,
    /// Last time line-time was added.
    last_change: SimTime,
    /// The interval containing `last_change` (its index, start and end), or an end of -inf.
    cell: (usize, SimTime, SimTime),
}

/// The lines of one replication.
#[derive(Clone, Debug, Default)]
pub struct Lines {
    /// Per call type: its pool, or [`NO_POOL`]; empty when the scenario has no lines.
    pool_of: Vec<u16>,
    pools: Vec<Pool>,
    /// Per interval.
    line_time: Vec<LineTime>,
    /// Outage starts and ends, for the event list.
    pub timeline: Vec<(SimTime, Event)>,
}

impl Lines {
    /// The lines of `scenario`, all working and free; `bounds` are the intervals' (start, end).
    pub fn new(scenario: &Scenario, bounds: &[(SimTime, SimTime)]) -> Lines {
        let telephony = &scenario.telephony;
        if !telephony.has_lines() {
            return Lines::default();
        }
        let pool = |total: u32| Pool {
            total,
            working: total,
            held: 0,
            outages: Vec::new(),
            last_change: 0.0,
            cell: (0, f64::NEG_INFINITY, f64::NEG_INFINITY),
        };
        let mut pools = Vec::new();
        let shared = telephony.shared_lines.map(|total| {
            pools.push(pool(total));
            0u16
        });
        let mut pool_of = Vec::with_capacity(scenario.call_types.len());
        for ct in 0..scenario.call_types.len() {
            match telephony.call_type(ct).lines {
                Some(own) => {
                    pool_of.push(pools.len() as u16);
                    pools.push(pool(own));
                }
                // Shared lines are telephone lines: a chat or email holds none.
                None if scenario.call_types[ct].channel != crate::model::Channel::Voice => {
                    pool_of.push(NO_POOL)
                }
                None => pool_of.push(shared.unwrap_or(NO_POOL)),
            }
        }
        let grid = &scenario.grid;
        let mut timeline = Vec::new();
        for outage in &telephony.outages {
            let p = match outage.call_type {
                Some(CallTypeId(ct)) => pool_of[usize::from(ct)],
                None => shared.unwrap_or(NO_POOL),
            };
            let Some(target) = pools.get_mut(usize::from(p)) else { continue };
            for (from, to) in outage.windows(grid) {
                if to <= 0.0 {
                    continue;
                }
                let from = from.max(0.0);
                target.outages.push((from, to, outage.lines));
                timeline.push((from, Event::LinesChange(PoolId(p))));
                timeline.push((to, Event::LinesChange(PoolId(p))));
            }
        }
        Lines { pool_of, pools, line_time: vec![LineTime::default(); bounds.len()], timeline }
    }

    /// Takes a line for a caller of `ct` at `now`; `false` when every line it may use is held
    /// (a busy signal).
    #[inline]
    pub fn take(&mut self, ct: usize, now: SimTime, bounds: &[(SimTime, SimTime)]) -> bool {
        let Some(&p) = self.pool_of.get(ct) else { return true };
        if p == NO_POOL {
            return true;
        }
        let p = usize::from(p);
        if self.pools[p].held >= self.pools[p].working {
            return false;
        }
        self.integrate(p, now, bounds);
        self.pools[p].held += 1;
        true
    }

    /// A caller of `ct` hangs up (or is served to the end): its line is free.
    #[inline]
    pub fn release(&mut self, ct: usize, now: SimTime, bounds: &[(SimTime, SimTime)]) {
        let Some(&p) = self.pool_of.get(ct) else { return };
        if p == NO_POOL {
            return;
        }
        let p = usize::from(p);
        self.integrate(p, now, bounds);
        self.pools[p].held -= 1;
    }

    /// An outage of `pool` starts or ends at `now`: its working lines become the fewest that
    /// any outage on at `now` leaves, or all of them.
    pub fn change_working(&mut self, pool: PoolId, now: SimTime, bounds: &[(SimTime, SimTime)]) {
        let p = usize::from(pool.0);
        self.integrate(p, now, bounds);
        let pool = &mut self.pools[p];
        pool.working = pool
            .outages
            .iter()
            .filter(|&&(from, to, _)| from <= now && now < to)
            .map(|&(_, _, lines)| lines)
            .fold(pool.total, u32::min);
    }

    /// The line-time of every interval up to `now` (empty without lines).
    pub fn finish(&mut self, now: SimTime, bounds: &[(SimTime, SimTime)]) -> Vec<LineTime> {
        for p in 0..self.pools.len() {
            self.integrate(p, now, bounds);
        }
        std::mem::take(&mut self.line_time)
    }

    /// Adds the line-time of pool `p` since its last change, split by interval (time outside
    /// every interval counts nowhere).
    #[inline]
    fn integrate(&mut self, p: usize, now: SimTime, bounds: &[(SimTime, SimTime)]) {
        let pool = &mut self.pools[p];
        let from = pool.last_change;
        if now <= from {
            return;
        }
        pool.last_change = now;
        let (working, held) = (f64::from(pool.working), f64::from(pool.held));
        let (idx, start, end) = pool.cell;
        if from >= start && now <= end {
            let cell = &mut self.line_time[idx];
            cell.working_s += working * (now - from);
            cell.held_s += held * (now - from);
            return;
        }
        let mut idx = bounds.partition_point(|&(_, end)| end <= from);
        while let Some(&(start, end)) = bounds.get(idx) {
            if start >= now {
                break;
            }
            let span = end.min(now) - start.max(from);
            if span > 0.0 {
                let cell = &mut self.line_time[idx];
                cell.working_s += working * span;
                cell.held_s += held * span;
            }
            idx += 1;
        }
        let k = bounds.partition_point(|&(_, end)| end < now);
        pool.cell = match bounds.get(k) {
            Some(&(start, end)) if start <= now => (k, start, end),
            _ => (0, f64::NEG_INFINITY, f64::NEG_INFINITY),
        };
    }
}
