//! Channels in the staffing requirement: the chat estimate and the email workload of the
//! analytic methods, and how the simulation search judges each channel against its own goal.
//!
//! - Voice is untouched: Erlang C / Erlang A against `[service_level]` and the `[staffing]`
//!   goals, exactly as before channels existed.
//! - Chat: the chat estimate ([`crate::erlang::chat`], Erlang C on the full-concurrency
//!   throughput of the primary group's agents) against the chat goal alone. The `[staffing]`
//!   ASA, abandonment and occupancy caps are voice goals and are not applied to it.
//! - Email: the workload, hours of email work per day / the hours agents work that day.
//!   Work is volume × mean handle time (the primary group's factor applied); the hours
//!   worked are the intervals of that day in which the primary group is on duty in the
//!   scenario's plan (email waits for them), or the whole day when the plan has it off.
//!   Spread evenly over those hours, it is the average number of agents busy with email.
//!   The initial backlog is work too: the engine offers it at the first instant of the grid,
//!   so its deadline is that instant plus the email target, and its work is spread over the
//!   hours worked before that deadline (the whole window when the plan works none of it),
//!   not over the day: a backlog worked by the evening has missed a target of a few hours.
//!   No queueing formula judges a backlog measured in hours; the simulation does.
//! - The simulation search judges a real-time call type per interval, against its
//!   channel's goal, and an email type per day of arrival (an email that arrives at night
//!   is answered in the morning: its interval says nothing about staffing then). A day whose
//!   email misses its goal raises the primary group where it would answer the emails that
//!   missed in time ([`flag_email_misses`]); a day whose email service level did not improve
//!   when raised is left alone, since more agents cannot help it: the search then reports
//!   that it did not converge.

use crate::model::{Channel, Scenario};
use crate::replicate::Replication;
use crate::stats::{CONFIDENCE, Estimate, RatioTally};

/// The channel of each call type.
pub fn channels(scenario: &Scenario) -> Vec<Channel> {
    scenario.call_types.iter().map(|c| c.channel).collect()
}

/// Whether any call type is chat or email (voice-only scenarios take none of the paths here).
pub fn has_channels(scenario: &Scenario) -> bool {
    scenario.call_types.iter().any(|c| c.channel != Channel::Voice)
}

/// Per call type, per interval: agents busy with email on average (the workload). 0 for
/// voice and chat types, and for an email type outside the hours its group works.
///
/// ```text
/// workload(day d, interval i worked on d) = Σ_{intervals j of d} volume_j × AHT / 3600
///                                            / (hours worked on d)
///                                          + backlog × AHT / 3600 / (hours worked before
///                                            the backlog's deadline), when i is one of those
/// backlog's deadline                      = start of the grid + email target
/// ```
pub fn email_workload(scenario: &Scenario, handle: &[f64]) -> Vec<Vec<f64>> {
    let grid = &scenario.grid;
    let primary = super::primary_groups(scenario);
    let on_duty = scenario.plan.on_duty(grid, scenario.agent_groups.len());
    let hours = grid.length() / 3600.0;
    let deadline = grid.start_of(0) + scenario.goal_for(Channel::Email).target;
    scenario
        .call_types
        .iter()
        .enumerate()
        .map(|(ct, call_type)| {
            let mut row = vec![0.0; grid.len()];
            if call_type.channel != Channel::Email {
                return row;
            }
            // The intervals of `slots` the primary group works, or all of them when it works
            // none: the work is due there all the same.
            let worked = |slots: std::ops::Range<usize>| -> Vec<usize> {
                let worked: Vec<usize> = match primary[ct] {
                    Some(g) => slots.clone().filter(|&idx| on_duty[g.idx()][idx] > 0.0).collect(),
                    None => Vec::new(),
                };
                if worked.is_empty() { slots.collect() } else { worked }
            };
            for day in 0..grid.days() {
                let slots = day * grid.per_day()..(day + 1) * grid.per_day();
                let work: f64 = slots.clone().map(|idx| call_type.volumes[idx] * handle[ct] / 3600.0).sum();
                if work <= 0.0 {
                    continue;
                }
                let worked = worked(slots);
                let per_interval = work / (worked.len() as f64 * hours);
                for idx in worked {
                    row[idx] = per_interval;
                }
            }
            let backlog = f64::from(call_type.initial_backlog) * handle[ct] / 3600.0;
            if backlog > 0.0 {
                let before_deadline =
                    (0..grid.len()).take_while(|&idx| grid.start_of(idx) < deadline).count();
                let worked = worked(0..before_deadline.max(1));
                let per_interval = backlog / (worked.len() as f64 * hours);
                for idx in worked {
                    row[idx] += per_interval;
                }
            }
            row
        })
        .collect()
}

/// Whole agents for a workload: rounded up, ignoring a rounding error's last bits.
pub fn workload_agents(workload: f64) -> u32 {
    if workload <= 0.0 { 0 } else { (workload - 1e-9).ceil().max(0.0).min(f64::from(u32::MAX)) as u32 }
}

/// The service level of email type `ct` over the contacts that arrived on `day` (from 0) in
/// every replication: answered within target in all of them / all they are judged against
/// (NaN when none arrived in any).
pub fn day_rate(scenario: &Scenario, reps: &[Replication], ct: usize, day: usize) -> Estimate {
    let per_day = scenario.grid.per_day();
    let mut rate = RatioTally::default();
    for r in reps {
        let (within, of) = email_within(scenario, r, ct, day * per_day..(day + 1) * per_day);
        rate.add(if of > 0.0 { within / of } else { f64::NAN }, of);
    }
    rate.estimate(CONFIDENCE)
}

/// The service level of email type `ct` over the contacts that arrived on `day` (from 0), one
/// per replication in which any arrived.
pub fn day_samples(scenario: &Scenario, reps: &[Replication], ct: usize, day: usize) -> Vec<f64> {
    reps.iter().map(|r| day_service_level(scenario, r, ct, day)).filter(|v| v.is_finite()).collect()
}

/// The service level of email type `ct` over the contacts that arrived on `day` (from 0) in
/// one replication, by the email goal's definition; NaN when none arrived.
fn day_service_level(scenario: &Scenario, r: &Replication, ct: usize, day: usize) -> f64 {
    let per_day = scenario.grid.per_day();
    let (within, of) = email_within(scenario, r, ct, day * per_day..(day + 1) * per_day);
    if of > 0.0 { within / of } else { f64::NAN }
}

/// Of the emails of type `ct` that arrived in `intervals` in one replication: those answered
/// within the target, and those the email goal's definition counts them against (offered, or
/// answered).
fn email_within(
    scenario: &Scenario,
    r: &Replication,
    ct: usize,
    intervals: std::ops::Range<usize>,
) -> (f64, f64) {
    let n_types = scenario.call_types.len();
    let answered_def = scenario.goal_for(Channel::Email).definition == crate::model::SlDefinition::Answered;
    // Emails still inside their target when the run ended are not judged, as in the service
    // level ([`crate::metrics::call_stats`]).
    let k = crate::replicate::backlog::email_types(scenario).iter().position(|&e| e == ct);
    let not_yet_due = |idx: usize| -> f64 {
        let due =
            r.backlog.as_ref().zip(k).and_then(|(b, k)| b.not_yet_due.get(k * scenario.grid.len() + idx));
        due.copied().unwrap_or(0.0)
    };
    let (mut within, mut offered, mut answered) = (0.0, 0.0, 0.0);
    for idx in intervals {
        let s = &r.intervals[idx * n_types + ct].stats;
        offered += s.offered - not_yet_due(idx);
        answered += s.answered;
        if s.answered > 0.0 && s.service_level_answered.is_finite() {
            within += s.service_level_answered * s.answered;
        }
    }
    (within, if answered_def { answered } else { offered })
}

/// The judgement of the email types, per (day, email type): the service level over the
/// replications ([`day_rate`]) and whether it misses the goal (with `risk`, also whether fewer than that
/// share of replications meet it).
pub fn email_days(scenario: &Scenario, reps: &[Replication], risk: Option<f64>) -> Vec<EmailDay> {
    let goal = scenario.goal_for(Channel::Email).goal;
    let mut out = Vec::new();
    for (ct, call_type) in scenario.call_types.iter().enumerate() {
        if call_type.channel != Channel::Email {
            continue;
        }
        for day in 0..scenario.grid.days() {
            let samples = day_samples(scenario, reps, ct, day);
            if samples.is_empty() {
                continue;
            }
            let mean = day_rate(scenario, reps, ct, day).mean;
            let met = samples.iter().filter(|&&v| v >= goal).count() as f64;
            let misses = mean < goal || risk.is_some_and(|p| met < p * samples.len() as f64);
            out.push(EmailDay { call_type: ct, day, service_level: mean, misses });
        }
    }
    out
}

/// One email type on one day of arrival, as the search judges it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EmailDay {
    /// The email call type.
    pub call_type: usize,
    /// Day, from 0.
    pub day: usize,
    /// Mean service level over replications of the emails that arrived that day.
    pub service_level: f64,
    /// Whether it misses the email goal.
    pub misses: bool,
}

/// Turns email days that miss into the per-(interval, call type) flags the search acts on. For
/// each interval of such a day whose emails miss the goal (pooled over replications), the
/// intervals in which the primary group works from the emails' arrival until their target has
/// passed: the work that answers them in time, whatever day it falls on. When the group works
/// none of those, its working day before them is made one interval longer: emails that arrive
/// after the group goes home (on the last day of the run nobody answers them at all) ask for a
/// longer day, not more agents by day. The search never opens a night of its own: emails that
/// arrive before the group's first interval of the day and cannot wait for it are left to
/// miss, and the search says so. Days in `given_up` are left alone.
pub fn flag_email_misses(
    scenario: &Scenario,
    reps: &[Replication],
    days: &[EmailDay],
    agents: &[Vec<u32>],
    given_up: &[(usize, usize)],
    flags: &mut [bool],
) {
    let grid = &scenario.grid;
    let (n_types, per_day) = (scenario.call_types.len(), grid.per_day());
    let goal = scenario.goal_for(Channel::Email);
    // Intervals an email may wait, counting the one it arrives in.
    let window = (goal.target / grid.length()).ceil() as usize + 1;
    let primary = super::primary_groups(scenario);
    for d in days.iter().filter(|d| d.misses && !given_up.contains(&(d.call_type, d.day))) {
        let Some(g) = primary[d.call_type] else { continue };
        let works = |idx: usize| agents[g.idx()][idx] > 0;
        for arrival in d.day * per_day..(d.day + 1) * per_day {
            let (within, of) = reps.iter().fold((0.0, 0.0), |(w, n), r| {
                let (rw, rn) = email_within(scenario, r, d.call_type, arrival..arrival + 1);
                (w + rw, n + rn)
            });
            if of == 0.0 || within / of >= goal.goal {
                continue;
            }
            let answering = arrival..(arrival + window).min(grid.len());
            let mut any = false;
            for idx in answering.filter(|&idx| works(idx)) {
                flags[idx * n_types + d.call_type] = true;
                any = true;
            }
            if !any && let Some(last) = (d.day * per_day..arrival).rev().find(|&idx| works(idx)) {
                flags[(last + 1) * n_types + d.call_type] = true;
            }
        }
    }
}

/// Email days that missed when last raised and did not improve since: more agents do not
/// help them. Compares `now` with the judgement after the previous raise, `before`.
pub fn no_progress(before: &[EmailDay], now: &[EmailDay]) -> Vec<(usize, usize)> {
    now.iter()
        .filter(|d| d.misses)
        .filter(|d| {
            before.iter().any(|b| {
                b.misses && b.call_type == d.call_type && b.day == d.day && d.service_level <= b.service_level
            })
        })
        .map(|d| (d.call_type, d.day))
        .collect()
}
