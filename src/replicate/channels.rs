//! Figures per channel (voice, chat, email): the contacts of a channel's call types together,
//! judged against the channel's own goal ([`Scenario::goal_for`]).
//!
//! Each contact counts `answered_within_target` against its own channel's target as the engine
//! answers it, so a channel's service level is its call types' within-target answers over its
//! offered contacts, and the overall service level is the share of all offered contacts
//! answered within their own channel's target. A scenario of one channel (every voice-only
//! scenario) reports that channel with exactly the figures of `overall`.

use crate::metrics::CallRecord;
use crate::model::Scenario;
use crate::sim::Counts;
use crate::sim::counts::Cell;

/// One replication's figures per channel present (in [`Scenario::channels`]' order), each under its own
/// goal's definition. `overall` is all the replication's cells merged (as `Counts::overall`).
pub fn stats(scenario: &Scenario, counts: &Counts, overall: &Cell) -> Vec<CallRecord> {
    let channels = scenario.channels();
    if let &[only] = &channels[..] {
        // Every contact is of this channel: its cells are all the cells, merged once already.
        return vec![overall.record(scenario.goal_for(only).definition)];
    }
    let n_types = scenario.call_types.len().max(1);
    channels
        .iter()
        .map(|&ch| {
            let of_channel = |(idx, _): &(usize, &Cell)| scenario.call_types[idx % n_types].channel == ch;
            let cells = counts.cells.iter().enumerate().filter(of_channel).map(|(_, cell)| cell);
            Cell::sum(cells).record(scenario.goal_for(ch).definition)
        })
        .collect()
}
