//! The figures of agents: occupancy and agents on duty.

use super::{Definition, d, ratio};

/// Occupancy: time busy / time on duty and not on break (NaN without time on duty); see
/// [`DEFINITIONS`] and, for chat, [`CHAT_OCCUPANCY`].
///
/// [`DEFINITIONS`]: super::DEFINITIONS
pub fn occupancy(busy_s: f64, on_duty_s: f64) -> f64 {
    ratio(busy_s, on_duty_s)
}

/// Agents on duty in an interval: time on duty and not on break / the interval's length.
pub fn agents_on_duty(on_duty_s: f64, interval_s: f64) -> f64 {
    on_duty_s / interval_s
}

/// What occupancy means for agents who take chats, said wherever a run with chat shows it: the
/// general definition's "busy" counts an agent once however many chats it holds, so the handled
/// workload can exceed the time available and occupancy is not that ratio.
pub const CHAT_OCCUPANCY: &str = "for agents who take chats, busy means holding at least one chat, however many (the chats held on average are shown beside it)";

/// The definitions of the figures only a scenario with chat reports (kept apart from
/// [`DEFINITIONS`], whose list every report shows).
///
/// [`DEFINITIONS`]: super::DEFINITIONS
pub const CHAT_DEFINITIONS: &[Definition] = &[d(
    "mean_concurrency",
    "Chats held",
    "chats",
    "per agent group that takes chats: chats held per agent holding chats, time-averaged over the run (1 to max_concurrency)",
)];

/// The agents a plan has on duty as scheduled, what `staff` sets against the requirement: not a
/// simulated figure, so not [`DEFINITIONS`]' `agents_on_duty`, which also counts agents finishing
/// a call after their shift.
///
/// [`DEFINITIONS`]: super::DEFINITIONS
pub const PLAN_ON_DUTY: Definition = d(
    "plan_on_duty",
    "On duty now",
    "agents",
    "agents the current plan has logged in and not on break, time-average over the interval, as scheduled (no shrinkage taken out); unlike a simulation's agents on duty, agents who stay past their shift's end to finish a call are not counted",
);
