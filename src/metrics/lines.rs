//! The figures only a scenario with telephone lines reports: busy signals and line use.

use super::{Definition, d};

metric_struct! {
    /// What a simulation with telephone lines reports for a set of contacts, beside its
    /// [`CallStats`] (whose `offered` includes the blocked ones). Keys of the `lines` object
    /// of `simulate --format json`, present only when the scenario has lines.
    ///
    /// [`CallStats`]: super::CallStats
    LineStats {
        blocked,
        block_rate,
    } rate = block_rate
}

/// The definitions of the figures only a scenario with lines reports (kept apart from
/// [`DEFINITIONS`], whose list every report shows).
///
/// [`DEFINITIONS`]: super::DEFINITIONS
pub const LINE_DEFINITIONS: &[Definition] = &[
    d(
        "blocked",
        "Blocked",
        "calls",
        "contacts that got a busy signal: every line they could use was held by callers waiting or in service; counted in offered",
    ),
    d("block_rate", "Blocked", "share", "blocked contacts / offered contacts"),
    d(
        "line_occupancy",
        "Line occupancy",
        "share",
        "time-average of lines held (callers waiting or in service) / lines working",
    ),
];
