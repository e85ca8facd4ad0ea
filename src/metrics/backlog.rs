//! The figures only a scenario with email reports: each email type's backlog, day by day.

use super::{Definition, d};

metric_struct! {
    /// One email type's backlog on one day ([`crate::sim::email`]). Keys of each entry of a
    /// `backlog[].days` array of `simulate --format json`, present only when the scenario has
    /// email call types.
    BacklogStats {
        backlog_start,
        arrived,
        answered,
        answered_within_target,
        backlog_end,
        oldest_age_end_s,
    }
}

/// The definitions of the per-day backlog figures of email call types (kept apart from
/// [`DEFINITIONS`], whose list every report shows).
///
/// [`DEFINITIONS`]: super::DEFINITIONS
pub const BACKLOG_DEFINITIONS: &[Definition] = &[
    d(
        "backlog_start",
        "Open at start",
        "emails",
        "emails waiting at the start of the day's first interval; day 1: the call type's initial_backlog",
    ),
    d(
        "arrived",
        "Arrived",
        "emails",
        "emails offered in the day's intervals (fresh, repeat, transfer), the initial backlog not included",
    ),
    d(
        "answered",
        "Answered that day",
        "emails",
        "emails an agent started between the day's opening and the next day's opening (the last day: until the run ends)",
    ),
    d(
        "answered_within_target",
        "Within target",
        "emails",
        "of the emails answered that day, those that had waited at most the email target",
    ),
    d("backlog_end", "Open at end", "emails", "emails waiting at the end of the day's last interval"),
    d(
        "oldest_age_end_s",
        "Oldest open",
        "s",
        "at the end of the day's last interval, how long the oldest email still waiting had waited (0 when none was waiting)",
    ),
];
