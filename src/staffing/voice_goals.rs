//! The voice goals beyond the service level, as the simulation search judges them: the
//! average speed of answer (`asa_goal`) and the abandon rate (`max_abandon`) per interval
//! and voice call type, and the occupancy cap (`max_occupancy`) per interval and agent group.
//! The Erlang methods apply the same three goals to each voice call type; without them here,
//! the simulated requirement could meet the service level and still leave callers abandoning
//! or agents busier than the cap allows.
//!
//! Each is judged like the service level: on the cell's figure over the replications, a ratio
//! of totals (so the same seeds judge every staffing the same way).

use crate::model::{AgentGroupId, Channel, Scenario};
use crate::replicate::Replication;

/// Per (interval, call type), `interval * n_call_types + call_type`: whether a voice call
/// type with calls there misses the ASA goal or the abandonment cap on the mean.
pub fn cell_misses(scenario: &Scenario, reps: &[Replication]) -> Vec<bool> {
    let goals = &scenario.staffing;
    let n = reps.first().map_or(0, |r| r.intervals.len());
    if goals.asa_goal.is_none() && goals.max_abandon.is_none() {
        return vec![false; n];
    }
    let n_types = scenario.call_types.len();
    (0..n)
        .map(|k| {
            if scenario.call_types[k % n_types].channel != Channel::Voice
                || reps.iter().all(|r| r.intervals[k].stats.offered == 0.0)
            {
                return false;
            }
            let rates = crate::replicate::cell_rates(reps, k);
            let defined = |e: crate::stats::Estimate| Some(e.mean).filter(|m| m.is_finite());
            let (asa, abandon) = (defined(rates.asa_s), defined(rates.abandon_rate));
            goals.asa_goal.is_some_and(|max| asa.is_some_and(|a| a > max))
                || goals.max_abandon.is_some_and(|max| abandon.is_some_and(|a| a > max))
        })
        .collect()
}

/// Per group and interval: whether a group the cap applies to ([`judged_groups`]) is busier
/// than `max_occupancy` over the replications (busy time / time on duty in the interval, both
/// summed over them); all false without a cap.
pub fn occupancy_misses(scenario: &Scenario, reps: &[Replication]) -> Vec<Vec<bool>> {
    let n_intervals = scenario.grid.len();
    let judged = judged_groups(scenario);
    let max = scenario.staffing.max_occupancy;
    (0..scenario.agent_groups.len())
        .map(|g| {
            (0..n_intervals)
                .map(|idx| {
                    let Some(max) = max.filter(|_| judged[g]) else { return false };
                    let mut occupancy = crate::stats::RatioTally::default();
                    for r in reps {
                        let (on_duty, busy_share) = r.group_intervals[g * n_intervals + idx];
                        occupancy.add(busy_share, on_duty);
                    }
                    occupancy.estimate(crate::stats::CONFIDENCE).mean > max
                })
                .collect()
        })
        .collect()
}

/// How many (group, interval) cells the occupancy cap is judged on: those of
/// [`judged_groups`] with agents on duty in some replication.
pub fn occupancy_cells(scenario: &Scenario, reps: &[Replication]) -> usize {
    if scenario.staffing.max_occupancy.is_none() {
        return 0;
    }
    let n_intervals = scenario.grid.len();
    let judged = judged_groups(scenario);
    (0..scenario.agent_groups.len() * n_intervals)
        .filter(|&k| judged[k / n_intervals] && reps.iter().any(|r| r.group_intervals[k].0 > 0.0))
        .count()
}

/// The groups the occupancy cap applies to: those answering voice only (an agent holding
/// several chats, or working an email between calls, is busy in another sense), and first
/// for some call type, since the search staffs a group for the types it answers first.
fn judged_groups(scenario: &Scenario) -> Vec<bool> {
    let primary = super::primary_groups(scenario);
    scenario
        .agent_groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            group.skills.iter().all(|s| scenario.call_types[s.call_type.idx()].channel == Channel::Voice)
                && primary.contains(&Some(AgentGroupId(g as u16)))
        })
        .collect()
}
