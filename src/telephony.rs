//! Telephone lines and busy signals, as validated from a scenario's `[lines]`,
//! `[[lines_outages]]` and the call types' `lines` and `redial_after_blocked` keys.
//!
//! A line is held by a caller from the moment the call is accepted until it ends: while
//! waiting and while in service. A call arriving when every line of its pool is held is
//! *blocked* (a busy signal): counted in offered, never queued, and it may redial. A call type
//! with `lines = N` has a pool of its own; the others share `[lines] total`, or have no limit
//! when there is none. Off (the default) the engine does exactly what it did without lines.

use crate::model::{CallTypeId, Recall};
use crate::time::{ClockTime, DAY, IntervalGrid, Seconds, SimTime};

/// The line limits of a scenario; the default has none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Telephony {
    /// `[lines] total`: lines shared by every call type without its own.
    pub shared_lines: Option<u32>,
    /// Per call type (indexed by [`CallTypeId`]), or empty when no call type sets a key.
    pub call_types: Vec<CallTypeLines>,
    /// Windows in which fewer lines work.
    pub outages: Vec<LinesOutage>,
}

/// What one call type says about lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallTypeLines {
    /// `lines = N`: lines of its own, not shared.
    pub lines: Option<u32>,
    /// How blocked callers call again; `None`: like abandoned callers (`redial`).
    pub redial_after_blocked: Option<Recall>,
}

/// `[[lines_outages]]`: from `start` for `length`, on `days` (every day when `None`), only
/// `lines` lines work (0: the phone system is down) in the pool of `call_type`, or in the
/// shared pool when `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct LinesOutage {
    /// Clock time the outage starts.
    pub start: ClockTime,
    /// Its length (it may cross midnight).
    pub length: Seconds,
    /// Days (from 1) it happens on; `None`: every day.
    pub days: Option<Vec<usize>>,
    /// Lines that still work.
    pub lines: u32,
    /// The call type whose own lines fail; `None`: the shared lines.
    pub call_type: Option<CallTypeId>,
}

impl Telephony {
    /// Whether any line limit is set: without one, no call is ever blocked.
    pub fn has_lines(&self) -> bool {
        self.shared_lines.is_some() || self.call_types.iter().any(|c| c.lines.is_some())
    }

    /// The settings of call type `ct` (the default when it set none).
    pub fn call_type(&self, ct: usize) -> &CallTypeLines {
        const NONE: &CallTypeLines = &CallTypeLines { lines: None, redial_after_blocked: None };
        self.call_types.get(ct).unwrap_or(NONE)
    }

    /// The rule by which blocked callers of `ct` call again: its `redial_after_blocked`, else
    /// its `redial` (`abandoned_rule`).
    pub fn blocked_redial<'a>(&'a self, ct: usize, abandoned_rule: Option<&'a Recall>) -> Option<&'a Recall> {
        self.call_type(ct).redial_after_blocked.as_ref().or(abandoned_rule)
    }
}

impl LinesOutage {
    /// The windows `[from, to)` of this outage on `grid`, one per day it happens on; a start
    /// after midnight on a grid whose days run past it is in that day's night
    /// ([`IntervalGrid::clock_on_day`]).
    pub fn windows(&self, grid: &IntervalGrid) -> impl Iterator<Item = (SimTime, SimTime)> + '_ {
        let start = grid.clock_on_day(self.start);
        (1..=grid.days()).filter(|day| self.days.as_ref().is_none_or(|d| d.contains(day))).map(move |day| {
            let from = (day as f64 - 1.0) * DAY + start;
            (from, from + self.length)
        })
    }
}
