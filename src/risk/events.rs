//! The impact of `[[events]]`: each event against the same replications without it (time to
//! recover, peak queue, extra abandons and redials).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Channel, Scenario};
use crate::replicate::{Options, Replication};
use crate::sim::{self, Observer, TraceRecord};
use crate::stats::{CONFIDENCE, Estimate, RatioTally, Tally};
use crate::time::{DAY, IntervalGrid, SimTime};

/// What one `[[events]]` entry did, against the same seeds without it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventImpact {
    /// Event name.
    pub name: String,
    /// Days it happened on.
    pub days: Vec<usize>,
    /// Clock time it starts.
    pub start: String,
    /// Its length in seconds.
    pub length_s: f64,
    /// From the event's start to the start of the first interval from which the service level
    /// (the ratio of its totals over the replications) is back to normal and stays there until
    /// 24 hours after the event's end (or the end of the run); the longest over its days. Back
    /// to normal: at or above the goal, or not more than 2 points ([`RECOVERED_WITHIN`]) below
    /// the same interval without the event (the paired difference's 95% interval reaches -2
    /// points). With several channels each channel with contacts in the interval is judged so
    /// against its own goal, its contacts alone, and the interval is back to normal when every
    /// one of them is (as a day meets the goal when every channel meets its own). `null`: not
    /// recovered within that time.
    pub time_to_recover_s: Option<f64>,
    /// Most callers waiting at once (calls and chats; emails waiting in the backlog are not
    /// counted) from the event's start to the end of that day, or to the start of another event
    /// later that day if that comes first (never before the event's own end); the largest over
    /// its days, per replication.
    pub peak_queue: Estimate,
    /// Abandoned contacts over the whole run minus the same replication without the event.
    pub extra_abandoned: Estimate,
    /// Redials offered over the whole run minus the same replication without the event.
    pub extra_redials: Estimate,
}

/// How close (in service-level points) to the same interval without the event counts as
/// recovered, for an interval that misses the goal even without it.
pub const RECOVERED_WITHIN: f64 = 0.02;

/// One replication's service level per channel present and interval (`channel * n_intervals +
/// interval`, channels in [`Scenario::channels`]' order), as (rate, base): each channel's
/// contacts judged alone, since each is held to its own goal. With one channel, the interval's
/// totals themselves.
fn channel_interval_sl(scenario: &Scenario, rep: &Replication) -> Vec<(f64, f64)> {
    let channels = scenario.channels();
    if channels.len() < 2 {
        return rep.interval_totals.iter().map(|r| r.rates().service_level).collect();
    }
    let n_types = scenario.call_types.len();
    let n_intervals = rep.interval_totals.len();
    let channel_of: Vec<usize> = scenario
        .call_types
        .iter()
        .map(|c| channels.iter().position(|&ch| ch == c.channel).unwrap_or(0))
        .collect();
    let mut sums = vec![(0.0, 0.0); channels.len() * n_intervals];
    for (k, record) in rep.intervals.iter().enumerate() {
        let (rate, base) = record.rates().service_level;
        if base > 0.0 && rate.is_finite() {
            let sum = &mut sums[channel_of[k % n_types] * n_intervals + k / n_types];
            sum.0 += rate * base;
            sum.1 += base;
        }
    }
    sums.into_iter().map(|(within, base)| (if base > 0.0 { within / base } else { f64::NAN }, base)).collect()
}

/// Service level per channel and interval over the replications (each [`channel_interval_sl`]):
/// the ratio of its totals, the figure every table and chart shows for the interval. The mean of
/// each replication's own level would read higher where the busier replications do worse, and
/// call an interval back at the goal that the reports show below it.
fn interval_sl(reps: &[Vec<(f64, f64)>]) -> Vec<f64> {
    let mut tallies = vec![RatioTally::default(); reps.first().map_or(0, Vec::len)];
    for rep in reps {
        for (tally, &(rate, base)) in tallies.iter_mut().zip(rep) {
            tally.add(rate, base);
        }
    }
    tallies.iter().map(|t| t.estimate(CONFIDENCE).mean).collect()
}

/// Records when each queued call or chat waited, to find the longest queue later. Emails are
/// left out: a backlog that waits overnight by design is no queue of waiting customers, and it
/// would outnumber the callers of any event (the backlog table reports it).
struct QueueLog {
    waits: Vec<(SimTime, SimTime)>,
    /// Per call type: whether its customers wait in real time (voice, chat).
    real_time: Vec<bool>,
}

impl QueueLog {
    fn of(scenario: &Scenario) -> QueueLog {
        let real_time = scenario.call_types.iter().map(|c| c.channel != Channel::Email).collect();
        QueueLog { waits: Vec::new(), real_time }
    }
}

impl Observer for QueueLog {
    fn contact_ended(&mut self, r: &TraceRecord) {
        if r.wait_s > 0.0 && self.real_time[usize::from(r.call_type)] {
            self.waits.push((r.arrival_s, r.arrival_s + r.wait_s));
        }
    }
}

/// Most contacts waiting at once within `[from, to)`.
fn peak_waiting(waits: &[(SimTime, SimTime)], from: SimTime, to: SimTime) -> u32 {
    let mut changes: Vec<(SimTime, i32)> = Vec::new();
    for &(a, b) in waits {
        if b > from && a < to {
            changes.push((a.max(from), 1));
            changes.push((b, -1));
        }
    }
    // Departures before arrivals at the same instant: a queue never holds both.
    changes.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, d) in changes {
        now += d;
        peak = peak.max(now);
    }
    peak.max(0) as u32
}

/// The end of the time an event's peak queue is looked for, the event lasting `open..close` on
/// grid day `day` (from 1): the end of that day (midnight, or the end of its hours past
/// midnight on a grid whose days run into the next morning), or earlier where another event
/// starts later that day (at `others`), since from then on the queue is that event's too; never
/// before the event's own end.
fn peak_until(
    grid: &IntervalGrid,
    day: usize,
    (open, close): (SimTime, SimTime),
    others: &[SimTime],
) -> SimTime {
    let day_end = day as f64 * DAY + grid.past_midnight();
    let next = others.iter().copied().filter(|&o| o > open && o < day_end).fold(day_end, SimTime::min);
    next.max(close).min(day_end)
}

/// The impact of each of `scenario`'s events: every replication simulated with all events
/// and with all but that one, on the same seeds.
///
/// # Errors
/// When a replication's contacts do not balance (an internal error).
pub fn event_impacts(scenario: &Scenario, options: &Options) -> anyhow::Result<Vec<EventImpact>> {
    if scenario.events.is_empty() {
        return Ok(Vec::new());
    }
    let grid = &scenario.grid;
    // Per channel present, its goal: an interval's recovery is judged channel by channel.
    let goals: Vec<f64> = scenario.channels().iter().map(|&c| scenario.goal_for(c).goal).collect();
    let reps: Vec<u32> = (0..options.replications).collect();
    let with: Vec<(Replication, Vec<(SimTime, SimTime)>)> = reps
        .par_iter()
        .map(|&r| {
            let mut log = QueueLog::of(scenario);
            let counts = sim::run(scenario, options.seed, r, &mut log);
            sim::check_counts(scenario, r, &counts)?;
            Ok((Replication::from_counts(scenario, &counts), log.waits))
        })
        .collect::<anyhow::Result<_>>()?;
    let with_sl: Vec<Vec<(f64, f64)>> =
        with.iter().map(|(rep, _)| channel_interval_sl(scenario, rep)).collect();
    let mean_sl = interval_sl(&with_sl);
    let n = grid.len();
    // Per event, when the other events start: a later event on the same day has its own peak.
    let opens: Vec<Vec<SimTime>> =
        scenario.events.iter().map(|ev| ev.windows(grid).iter().map(|w| w.1).collect()).collect();
    let others_open: Vec<Vec<SimTime>> = (0..opens.len())
        .map(|e| {
            opens.iter().enumerate().filter(|(k, _)| *k != e).flat_map(|(_, o)| o.iter().copied()).collect()
        })
        .collect();
    let mut out = Vec::new();
    for (e, event) in scenario.events.iter().enumerate() {
        let mut without = scenario.clone();
        without.events.remove(e);
        let base: Vec<Replication> = reps
            .par_iter()
            .map(|&r| {
                let counts = sim::run_untraced(&without, options.seed, r);
                sim::check_counts(&without, r, &counts)?;
                Ok(Replication::from_counts(&without, &counts))
            })
            .collect::<anyhow::Result<_>>()?;
        // Per channel and interval: this event's effect on the service level, paired by
        // replication.
        let mut effect = vec![Tally::default(); mean_sl.len()];
        let base_sl: Vec<Vec<(f64, f64)>> = base.iter().map(|b| channel_interval_sl(&without, b)).collect();
        for (rep, b) in with_sl.iter().zip(&base_sl) {
            for (k, tally) in effect.iter_mut().enumerate() {
                let d = rep[k].0 - b[k].0;
                if d.is_finite() {
                    tally.add(d);
                }
            }
        }
        let effect: Vec<Estimate> = effect.iter().map(|t| t.estimate(CONFIDENCE)).collect();
        let windows = event.windows(grid);
        let mut recover: Option<f64> = Some(0.0);
        for &(_, open, close) in &windows {
            let first = crate::events::overlapping(grid, open, close).start;
            let last = crate::events::overlapping(grid, open, close + DAY).end;
            if first >= last {
                continue;
            }
            // Back to normal: every channel with contacts at or above its goal, or no more than
            // RECOVERED_WITHIN below the same interval without the event at 95% confidence (an
            // interval that misses the goal anyway does not hold recovery back; an undefined
            // difference counts as none, a channel without contacts as recovered).
            let ok = |i: usize| {
                goals.iter().enumerate().all(|(c, &goal)| {
                    let (e, sl) = (effect[c * n + i], mean_sl[c * n + i]);
                    let below_goal = sl < goal;
                    let clearly_worse = e.mean + e.half_width.max(0.0) < -RECOVERED_WITHIN;
                    !below_goal || !clearly_worse
                })
            };
            let mut from = last;
            while from > first && ok(from - 1) {
                from -= 1;
            }
            recover = match (recover, from < last) {
                (Some(r), true) => Some(r.max((grid.start_of(from) - open).max(0.0))),
                _ => None,
            };
        }
        let mut peak = Tally::default();
        let (mut abandoned, mut redials) = (Tally::default(), Tally::default());
        let peak_windows: Vec<(SimTime, SimTime)> = windows
            .iter()
            .map(|&(day, open, close)| (open, peak_until(grid, day, (open, close), &others_open[e])))
            .collect();
        for ((rep, waits), b) in with.iter().zip(&base) {
            let p = peak_windows.iter().map(|&(from, to)| peak_waiting(waits, from, to)).max().unwrap_or(0);
            peak.add(f64::from(p));
            abandoned.add(rep.overall.stats.abandoned - b.overall.stats.abandoned);
            redials.add(rep.overall.stats.offered_redial - b.overall.stats.offered_redial);
        }
        out.push(EventImpact {
            name: event.name.clone(),
            days: windows.iter().map(|w| w.0).collect(),
            start: event.start.to_string(),
            length_s: event.length,
            time_to_recover_s: recover,
            peak_queue: peak.estimate(CONFIDENCE),
            extra_abandoned: abandoned.estimate(CONFIDENCE),
            extra_redials: redials.estimate(CONFIDENCE),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_waiting_counts_overlaps_within_the_window() {
        let waits = [(0.0, 10.0), (5.0, 15.0), (12.0, 20.0), (30.0, 31.0)];
        assert_eq!(peak_waiting(&waits, 0.0, 100.0), 2);
        assert_eq!(peak_waiting(&waits, 25.0, 100.0), 1);
        assert_eq!(peak_waiting(&waits, 40.0, 100.0), 0);
    }
}
