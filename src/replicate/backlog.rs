//! The email backlog of replications, day by day: one replication's figures from its counts,
//! and their estimates over replications. Present only when the scenario has email call types,
//! so other scenarios report exactly what they did before.

use crate::metrics::BacklogStats;
use crate::model::{Channel, Scenario};
use crate::sim::Counts;

use crate::summary::{BacklogDaySummary, BacklogSummary};

use super::tallies::RecordTallies;

/// One replication's backlog figures.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BacklogReplication {
    /// Per email type (in call-type order) and day: `email type * days + day`.
    pub days: Vec<BacklogStats<f64>>,
    /// Per email type (in call-type order) and interval of arrival, `email type * intervals +
    /// interval`: emails still open when the run ended, their target not yet passed, which the
    /// service level leaves out (a count).
    #[serde(default)]
    pub not_yet_due: Vec<f64>,
}

/// The email call types of `scenario`, in call-type order.
pub fn email_types(scenario: &Scenario) -> Vec<usize> {
    (0..scenario.call_types.len()).filter(|&ct| scenario.call_types[ct].channel == Channel::Email).collect()
}

impl BacklogReplication {
    /// The figures of one replication, or `None` when the scenario has no email call type.
    /// `arrived` is read from the interval cells (contacts belong to the interval they arrived
    /// in), the rest from the engine's backlog days.
    pub fn from_counts(scenario: &Scenario, counts: &Counts) -> Option<BacklogReplication> {
        let types = email_types(scenario);
        if types.is_empty() {
            return None;
        }
        let (n_days, per_day) = (scenario.grid.days(), scenario.grid.per_day());
        let mut days = Vec::with_capacity(types.len() * n_days);
        for (k, &ct) in types.iter().enumerate() {
            for day in 0..n_days {
                let b = counts.backlog.get(k * n_days + day).copied().unwrap_or_default();
                let offered: u64 =
                    (day * per_day..(day + 1) * per_day).map(|i| counts.cell(i, ct).offered_total()).sum();
                // The initial backlog is offered in the first interval but is day 1's opening
                // backlog, not one of its arrivals.
                let initial = if day == 0 { u64::from(scenario.call_types[ct].initial_backlog) } else { 0 };
                days.push(BacklogStats {
                    backlog_start: b.backlog_start as f64,
                    arrived: offered.saturating_sub(initial) as f64,
                    answered: b.answered as f64,
                    answered_within_target: b.answered_within_target as f64,
                    backlog_end: b.backlog_end as f64,
                    oldest_age_end_s: b.oldest_age_end_s,
                });
            }
        }
        let not_yet_due = types
            .iter()
            .flat_map(|&ct| (0..scenario.grid.len()).map(move |i| (i, ct)))
            .map(|(i, ct)| counts.cell(i, ct).not_yet_due as f64)
            .collect();
        Some(BacklogReplication { days, not_yet_due })
    }
}

/// Running estimates of [`BacklogReplication`]s, fed in replication order.
#[derive(Clone, Debug, Default)]
pub struct BacklogSummarizer {
    tallies: RecordTallies,
}

impl BacklogSummarizer {
    /// Adds the next replication.
    pub fn add(&mut self, rep: &BacklogReplication) {
        self.tallies.add(&rep.days, []);
    }

    /// Per email type, its days; empty when the scenario has no email call type.
    pub fn finish(&self, scenario: &Scenario) -> Vec<BacklogSummary> {
        let n_days = scenario.grid.days();
        let target = scenario.goal_for(Channel::Email).target;
        email_types(scenario)
            .into_iter()
            .enumerate()
            .map(|(k, ct)| BacklogSummary {
                call_type: scenario.call_types[ct].name.clone(),
                target_s: target,
                initial_backlog: scenario.call_types[ct].initial_backlog,
                days: (0..n_days)
                    .map(|day| BacklogDaySummary {
                        day: day + 1,
                        stats: self.tallies.estimates::<BacklogStats<f64>>(k * n_days + day),
                    })
                    .collect(),
            })
            .collect()
    }
}
