//! The simulation engine on scenarios built in code: contacts are never lost, results depend
//! only on the seed, and follow-up contacts (transfers, redials, repeats) occur at the rates
//! the scenario gives, within the simulation's own confidence intervals.

use ccsim::dist::Dist;
use ccsim::model::{
    AgentGroup, AgentGroupId, CallType, CallTypeId, Channel, GroupStaffing, Recall, Scenario, Skill,
    StationaryQueue, Transfer,
};
use ccsim::replicate::{self, Options};
use ccsim::sim::{self, NoTrace};
use ccsim::stats::Estimate;

fn mmc(agents: u32, patience: Option<f64>, hours: u32) -> Scenario {
    Scenario::stationary(&StationaryQueue {
        calls_per_hour: 200.0,
        handle_time: Dist::exponential(180.0),
        patience: patience.map(Dist::exponential),
        agents,
        target: 20.0,
        hours,
    })
}

/// Two call types: "general" served by tier 1, which transfers 20% to "expert" (tier 2);
/// abandoned general callers redial with probability 0.5, answered experts repeat with 0.1.
fn two_tier() -> Scenario {
    let mut s = mmc(12, Some(60.0), 8);
    s.call_types[0].name = "general".into();
    s.call_types[0].transfers = vec![Transfer { to: CallTypeId(1), probability: 0.2 }];
    s.call_types[0].redial = Some(Recall { probability: 0.5, delay: Dist::exponential(300.0) });
    s.call_types.push(CallType {
        name: "expert".into(),
        channel: Channel::Voice,
        initial_backlog: 0,
        volumes: vec![20.0; 8],
        handle_time: Dist::exponential(300.0),
        patience: Some(Dist::exponential(120.0)),
        redial: None,
        repeat: Some(Recall { probability: 0.1, delay: Dist::exponential(600.0) }),
        transfers: vec![],
        priority: 1,
        open: None,
    });
    s.agent_groups.push(AgentGroup {
        name: "tier2".into(),
        skills: vec![
            Skill { call_type: CallTypeId(1), after: 0.0 },
            Skill { call_type: CallTypeId(0), after: 30.0 },
        ],
        handle_time_factor: 1.2,
        chat: None,
    });
    s.plan.staffing.push(GroupStaffing { group: AgentGroupId(1), agents: vec![4; 8] });
    s
}

fn summary_json(scenario: &Scenario, replications: u32, seed: u64, threads: usize) -> String {
    let options = Options { replications, seed, threads: Some(threads) };
    let reps = replicate::run(scenario, &options, &|| {}).unwrap();
    serde_json::to_string(&replicate::summarize(scenario, seed, &reps)).unwrap()
}

#[test]
fn every_offered_contact_ends_answered_abandoned_or_unanswered() {
    for scenario in [mmc(10, None, 8), mmc(8, Some(90.0), 8), two_tier()] {
        for r in 0..5 {
            let counts = sim::run(&scenario, 7, r, &mut NoTrace);
            let overall = counts.overall();
            assert!(overall.offered_total() > 0);
            for cell in &counts.cells {
                assert!(sim::balances(cell), "{cell:?}");
            }
        }
    }
}

#[test]
fn calls_left_when_agents_go_home_are_unanswered_at_close() {
    // Overloaded and no abandonment: the queue is long when the staffing vector ends.
    let scenario = mmc(5, None, 4);
    let counts = sim::run(&scenario, 3, 0, &mut NoTrace);
    let overall = counts.overall();
    assert!(overall.unanswered_at_close > 0);
    assert_eq!(overall.offered_total(), overall.answered + overall.unanswered_at_close);
}

#[test]
fn thread_count_does_not_change_any_number() {
    let scenario = two_tier();
    assert_eq!(summary_json(&scenario, 6, 11, 1), summary_json(&scenario, 6, 11, 2));
}

#[test]
fn one_thread_runs_every_replication_on_the_calling_thread() {
    // No worker pool for one thread: no thread to start, nor to wake for each chunk.
    use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
    let scenario = mmc(10, Some(120.0), 2);
    let caller = std::thread::current().id();
    let on_caller = AtomicU32::new(0);
    let options = Options { replications: 3, seed: 4, threads: Some(1) };
    let progress = || {
        if std::thread::current().id() == caller {
            on_caller.fetch_add(1, Relaxed);
        }
    };
    let reps = replicate::run(&scenario, &options, &progress).unwrap();
    assert_eq!(reps.len(), 3);
    assert_eq!(on_caller.load(Relaxed), 3, "replications ran on another thread");
}

#[test]
fn same_seed_repeats_and_another_seed_differs() {
    let scenario = two_tier();
    let a = summary_json(&scenario, 3, 5, 2);
    assert_eq!(a, summary_json(&scenario, 3, 5, 2));
    assert_ne!(a, summary_json(&scenario, 3, 6, 2));
}

/// Per-replication ratio of `num` to `den`, summarised with its 99% confidence interval.
fn ratio_estimate(scenario: &Scenario, reps: u32, f: impl Fn(&sim::Counts) -> (u64, u64)) -> Estimate {
    let samples: Vec<f64> = (0..reps)
        .map(|r| {
            let (num, den) = f(&sim::run(scenario, 99, r, &mut NoTrace));
            num as f64 / den as f64
        })
        .collect();
    Estimate::with_confidence(&samples, 0.99)
}

#[test]
fn transfers_redials_and_repeats_happen_at_their_probabilities() {
    use ccsim::sim::Origin;
    let scenario = two_tier();
    let reps = 40;
    // Offered transfers into "expert" per answered "general" contact: p = 0.2.
    let transfers = ratio_estimate(&scenario, reps, |c| {
        (c.call_type_total(1).offered[Origin::Transfer as usize], c.call_type_total(0).answered)
    });
    assert!(transfers.covers(0.2), "transfer share {transfers:?}");
    // Redials per abandoned general caller: p = 0.5, counting those that would call after
    // close (lost, not offered).
    let redial = Origin::Redial as usize;
    let redials = ratio_estimate(&scenario, reps, |c| {
        let t = c.call_type_total(0);
        (t.offered[redial] + c.recontacts_after_close[0][redial], t.abandoned)
    });
    assert!(redials.covers(0.5), "redial share {redials:?}");
    // Repeats per answered expert: p = 0.1, likewise.
    let repeat = Origin::Repeat as usize;
    let repeats = ratio_estimate(&scenario, reps, |c| {
        let t = c.call_type_total(1);
        (t.offered[repeat] + c.recontacts_after_close[1][repeat], t.answered)
    });
    assert!(repeats.covers(0.1), "repeat share {repeats:?}");
}

#[test]
fn more_agents_never_lower_the_service_level_on_the_same_callers() {
    // Single skill, FIFO, no abandonment: adding a server can only make each caller's wait
    // shorter (a sample-path property), so with common random numbers SL never drops.
    let mut previous = f64::NEG_INFINITY;
    for agents in 8..=14 {
        let counts = sim::run(&mmc(agents, None, 8), 21, 0, &mut NoTrace);
        let sl = counts.overall().stats(ccsim::model::SlDefinition::Offered).service_level;
        assert!(sl >= previous, "{agents} agents: {sl} < {previous}");
        previous = sl;
    }
}

#[test]
fn trace_sees_every_offered_contact_once() {
    let scenario = two_tier();
    let mut n = 0u64;
    let mut observer = |_: &sim::TraceRecord| n += 1;
    let counts = sim::run(&scenario, 1, 0, &mut observer);
    assert_eq!(n, counts.overall().offered_total());
}

mod shifts {
    use super::*;
    use ccsim::model::{Shift, ShiftBreak, ShiftPlan};
    use ccsim::time::{ClockTime, IntervalGrid};

    /// A 24-hour day of 30-minute intervals with no calls, worked by the given shifts.
    fn quiet_day(shifts: Vec<Shift>, days: usize) -> Scenario {
        let mut s = mmc(1, None, 24);
        s.grid = IntervalGrid::new(ClockTime::MIDNIGHT, 1800.0, 48, days).unwrap();
        s.call_types[0].volumes = vec![0.0; 48 * days];
        s.plan = ShiftPlan { name: "test".into(), shifts, staffing: vec![] };
        s
    }

    fn shift(start: &str, hours: f64, agents: u32, breaks: Vec<ShiftBreak>) -> Shift {
        Shift {
            group: AgentGroupId(0),
            start: ClockTime::parse(start).unwrap(),
            length: hours * 3600.0,
            agents,
            breaks,
            days: None,
        }
    }

    fn on_duty(s: &Scenario) -> Vec<f64> {
        let counts = sim::run(s, 1, 0, &mut NoTrace);
        counts.agent_time.iter().map(|t| t.on_duty_s / 1800.0).collect()
    }

    #[test]
    fn a_break_takes_idle_agents_off_duty_for_its_length() {
        let brk = ShiftBreak { offset: 2.0 * 3600.0, length: 1800.0 };
        let duty = on_duty(&quiet_day(vec![shift("08:00", 4.0, 3, vec![brk])], 1));
        let expected: Vec<f64> =
            (0..48).map(|i| if (16..24).contains(&i) && i != 20 { 3.0 } else { 0.0 }).collect();
        assert_eq!(duty, expected);
    }

    #[test]
    fn an_overnight_shift_covers_the_night_and_the_first_morning() {
        let duty = on_duty(&quiet_day(vec![shift("22:00", 8.0, 2, vec![])], 2));
        for (i, d) in duty.iter().enumerate() {
            let slot = i % 48;
            let expected = if (12..44).contains(&slot) { 0.0 } else { 2.0 };
            assert_eq!(*d, expected, "interval {i}");
        }
    }

    #[test]
    fn busy_agents_finish_their_call_before_a_break_which_then_lasts_its_full_length() {
        // Constant long calls: agents are nearly always busy when the break is due.
        let mut s =
            quiet_day(vec![shift("08:00", 4.0, 2, vec![ShiftBreak { offset: 3600.0, length: 1800.0 }])], 1);
        s.call_types[0].volumes = (0..48).map(|i| if (16..24).contains(&i) { 40.0 } else { 0.0 }).collect();
        s.call_types[0].handle_time =
            Dist::new(ccsim::dist::DistKind::Deterministic { mean: 600.0 }).unwrap();
        let counts = sim::run(&s, 5, 0, &mut NoTrace);
        let on_duty_h: f64 = counts.agent_time.iter().map(|t| t.on_duty_s).sum::<f64>() / 3600.0;
        // Each agent: 4 h shift less a full 30 min break; a call running at shift end only adds.
        assert!(on_duty_h >= 2.0 * 3.5 - 1e-9, "{on_duty_h}");
        assert!(on_duty_h <= 2.0 * (3.5 + 600.0 / 3600.0) + 1e-9, "{on_duty_h}");
        for cell in &counts.cells {
            assert!(sim::balances(cell));
        }
    }
}

#[test]
fn the_streamed_summary_equals_estimates_from_every_replication() {
    // 150 replications cross two chunk boundaries of the streamed reduction. Each figure must
    // equal the estimate computed from all the replications' values at once, and the summary
    // must not depend on the thread count.
    let scenario = two_tier();
    let (seed, n) = (21, 150);
    let options = Options { replications: n, seed, threads: Some(2) };
    let reps = replicate::run(&scenario, &options, &|| {}).unwrap();
    assert_eq!(reps.len(), n as usize);
    let streamed = replicate::run_net_of_shrinkage(&scenario, 0.0, &options, &|| {}).unwrap();
    let one_thread = Options { threads: Some(1), ..options };
    let again = replicate::run_net_of_shrinkage(&scenario, 0.0, &one_thread, &|| {}).unwrap();
    assert_eq!(streamed.summary, again.summary, "the thread count changed the summary");
    let s = &streamed.summary;
    let from_all = |f: &dyn Fn(&replicate::Replication) -> f64| {
        Estimate::from_samples(&reps.iter().map(f).collect::<Vec<_>>())
    };
    // A rate: its (rate, base) in each replication.
    let ratio = |f: &dyn Fn(&replicate::Replication) -> (f64, f64)| ratio_from_all(&parts(&reps, f));
    close(
        "overall SL",
        s.overall.service_level,
        ratio(&|r| (r.overall.stats.service_level, r.overall.bases.service_level)),
    );
    close("overall ASA", s.overall.asa_s, ratio(&|r| (r.overall.stats.asa_s, r.overall.bases.asa_s)));
    for ct in 0..2 {
        same(
            "call type offered",
            s.call_types[ct].stats.offered,
            from_all(&|r| r.call_types[ct].stats.offered),
        );
    }
    let n_types = 2;
    for idx in [0, 3, 7] {
        for ct in 0..n_types {
            let got = s.intervals[idx * n_types + ct].stats.abandon_rate;
            let cell = |r: &replicate::Replication| r.intervals[idx * n_types + ct];
            close(
                "interval abandon rate",
                got,
                ratio(&|r| (cell(r).stats.abandon_rate, cell(r).bases.abandon_rate)),
            );
        }
        close(
            "interval total p_wait",
            s.interval_totals[idx].stats.p_wait,
            ratio(&|r| (r.interval_totals[idx].stats.p_wait, r.interval_totals[idx].bases.p_wait)),
        );
        same(
            "group on duty",
            s.agent_groups[1].intervals[idx].agents_on_duty,
            from_all(&|r| r.group_intervals[8 + idx].0),
        );
    }
    // Occupancy's base is the time on duty: agents on duty summed over the intervals.
    let on_duty = |r: &replicate::Replication, groups: std::ops::Range<usize>| -> f64 {
        r.group_intervals[groups.start * 8..groups.end * 8].iter().map(|x| x.0).sum()
    };
    close("occupancy", s.occupancy, ratio(&|r| (r.occupancy, on_duty(r, 0..2))));
    close(
        "group occupancy",
        s.agent_groups[0].occupancy,
        ratio(&|r| (r.group_occupancy[0], on_duty(r, 0..1))),
    );
    close(
        "group occupancy in an interval",
        s.agent_groups[1].intervals[3].occupancy,
        ratio(&|r| (r.group_intervals[8 + 3].1, r.group_intervals[8 + 3].0)),
    );
    let answered: u64 = s.wait_distribution[0].buckets.iter().map(|b| b.count).sum();
    assert_eq!(
        answered as f64,
        reps.iter().map(|r| r.overall.stats.answered).sum::<f64>(),
        "every answered wait counted"
    );
}

#[test]
fn streamed_paired_differences_equal_differences_of_every_replication() {
    // compare folds each replication's difference as it goes; the estimates must equal those of
    // the per-replication differences computed from both plans' full records.
    use ccsim::compare::{PlanInput, compare};
    let base = two_tier();
    let mut more = two_tier();
    more.plan.staffing[0].agents = vec![14; 8];
    let (seed, n) = (5, 130);
    let options = Options { replications: n, seed, threads: Some(2) };
    let input = |s: &Scenario, name: &str| PlanInput { name: name.into(), file: None, plan: s.plan.clone() };
    let c =
        compare(&base, &[input(&base, "twelve"), input(&more, "fourteen")], &options, 0.0, &|| {}).unwrap();
    let a = replicate::run(&base, &options, &|| {}).unwrap();
    let b = replicate::run(&more, &options, &|| {}).unwrap();
    let paired = |f: &dyn Fn(&replicate::Replication) -> f64| {
        Estimate::from_samples(&a.iter().zip(&b).map(|(x, y)| f(y) - f(x)).collect::<Vec<_>>())
    };
    // A rate: the difference of the two ratios of totals, its interval paired by replication.
    let rate = |f: &dyn Fn(&replicate::Replication) -> (f64, f64)| {
        paired_ratio_from_all(&parts(&b, f), &parts(&a, f))
    };
    let d = &c.differences[0];
    same("offered difference", d.overall.offered, paired(&|r| r.overall.stats.offered));
    same("wait p90 difference", d.overall.wait_p90_s, paired(&|r| r.overall.stats.wait_p90_s));
    close(
        "SL difference",
        d.overall.service_level,
        rate(&|r| (r.overall.stats.service_level, r.overall.bases.service_level)),
    );
    close("ASA difference", d.overall.asa_s, rate(&|r| (r.overall.stats.asa_s, r.overall.bases.asa_s)));
    let on_duty = |r: &replicate::Replication| -> f64 { r.group_intervals.iter().map(|x| x.0).sum() };
    close("occupancy difference", d.occupancy, rate(&|r| (r.occupancy, on_duty(r))));
    close(
        "interval 5 expert SL",
        d.intervals[5 * 2 + 1].stats.service_level,
        rate(&|r| (r.intervals[11].stats.service_level, r.intervals[11].bases.service_level)),
    );
    close(
        "cards",
        d.call_types[1].stats.abandon_rate,
        rate(&|r| (r.call_types[1].stats.abandon_rate, r.call_types[1].bases.abandon_rate)),
    );
    assert!(d.overall.service_level.mean > 0.0, "two more tier-1 agents answer more within the target");
}

/// The rates of telephone lines and callbacks are ratios of their totals like every other rate:
/// the blocked share of everything offered in every replication, the mean wait of every callback
/// completed; their paired differences between plans, differences of those ratios. Checked on the
/// shipped lines scenario against the estimator written out from every replication.
#[test]
fn line_and_callback_rates_are_ratios_of_totals_in_summaries_and_differences() {
    use ccsim::compare::{PlanInput, compare};
    let base = ccsim::scenario::load(std::path::Path::new("scenarios/telco-lines.toml")).unwrap().scenario;
    let mut fewer = base.clone();
    for group in &mut fewer.plan.staffing {
        group.agents.iter_mut().for_each(|a| *a = a.saturating_sub(2));
    }
    let options = Options { replications: 70, seed: 3, threads: Some(2) };
    let a = replicate::run(&base, &options, &|| {}).unwrap();
    let b = replicate::run(&fewer, &options, &|| {}).unwrap();
    let s = replicate::run_net_of_shrinkage(&base, 0.0, &options, &|| {}).unwrap().summary;
    let (lines, callbacks) = (s.lines.as_ref().unwrap(), s.callbacks.as_ref().unwrap());
    let blocked = |r: &replicate::Replication| {
        (r.lines.as_ref().unwrap().overall().block_rate, r.overall.stats.offered)
    };
    let callback_wait = |r: &replicate::Replication| {
        let c = r.callbacks.as_ref().unwrap().overall();
        (c.callback_wait_mean_s, c.callbacks_completed)
    };
    close("block rate", lines.overall.block_rate, ratio_from_all(&parts(&a, &blocked)));
    close(
        "callback wait",
        callbacks.overall.callback_wait_mean_s,
        ratio_from_all(&parts(&a, &callback_wait)),
    );
    // The blocked share and the callback wait do differ from the mean of the replications' own
    // figures on this run, so the comparisons above tell the two apart.
    let own = Estimate::from_samples(&a.iter().map(|r| callback_wait(r).0).collect::<Vec<_>>());
    assert!((own.mean - callbacks.overall.callback_wait_mean_s.mean).abs() > 1e-6, "{own:?}");

    let input = |s: &Scenario, name: &str| PlanInput { name: name.into(), file: None, plan: s.plan.clone() };
    let c = compare(&base, &[input(&base, "as planned"), input(&fewer, "two fewer")], &options, 0.0, &|| {})
        .unwrap();
    let d = &c.differences[0];
    let (dl, dc) = (d.lines.as_ref().unwrap(), d.callbacks.as_ref().unwrap());
    close(
        "block rate difference",
        dl.overall.block_rate,
        paired_ratio_from_all(&parts(&b, &blocked), &parts(&a, &blocked)),
    );
    close(
        "callback wait difference",
        dc.overall.callback_wait_mean_s,
        paired_ratio_from_all(&parts(&b, &callback_wait), &parts(&a, &callback_wait)),
    );
    assert!(dc.overall.callback_wait_mean_s.mean > 0.0, "with two agents fewer, callbacks wait longer");
    assert!(dl.overall.block_rate.mean != 0.0, "the two plans block differently");
}

/// Each replication's (numerator, base) of a rate given as (rate, base): 0 of 0 where the
/// replication does not define it.
fn parts(
    reps: &[replicate::Replication],
    f: &dyn Fn(&replicate::Replication) -> (f64, f64),
) -> Vec<(f64, f64)> {
    reps.iter()
        .map(|r| match f(r) {
            (rate, base) if base > 0.0 && rate.is_finite() => (rate * base, base),
            _ => (0.0, 0.0),
        })
        .collect()
}

/// The ratio estimator from every replication at once, written out: Σ numerators / Σ bases,
/// and the Student-t 95% half-width of the residuals `n - R d` over the mean base.
fn ratio_from_all(parts: &[(f64, f64)]) -> Estimate {
    let k = parts.len() as f64;
    let (n, d) = parts.iter().fold((0.0, 0.0), |(a, b), &(x, y)| (a + x, b + y));
    let r = n / d;
    let residuals: Vec<f64> = parts.iter().map(|&(x, y)| (x - r * y) / (d / k)).collect();
    Estimate { mean: r, half_width: Estimate::from_samples(&residuals).half_width }
}

/// The difference of two plans' ratio estimators, from every replication at once: its
/// half-width that of the paired differences of the two plans' residuals.
fn paired_ratio_from_all(plan: &[(f64, f64)], base: &[(f64, f64)]) -> Estimate {
    let (p, b) = (ratio_from_all(plan), ratio_from_all(base));
    let k = plan.len() as f64;
    let mean_base = |parts: &[(f64, f64)]| parts.iter().map(|x| x.1).sum::<f64>() / k;
    let (dp, db) = (mean_base(plan), mean_base(base));
    let linear: Vec<f64> = plan
        .iter()
        .zip(base)
        .map(|(&(n, d), &(nb, db_r))| (n - p.mean * d) / dp - (nb - b.mean * db_r) / db)
        .collect();
    Estimate { mean: p.mean - b.mean, half_width: Estimate::from_samples(&linear).half_width }
}

/// Estimates equal but for rounding: the streamed tallies and the formula written out add in
/// another order.
fn close(what: &str, got: Estimate, want: Estimate) {
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12);
    assert!(
        near(got.mean, want.mean) && near(got.half_width, want.half_width),
        "{what}: {got:?} vs {want:?}"
    );
}

/// Estimates equal to the last bit (NaN equal to NaN: a value no replication defines).
fn same(what: &str, got: Estimate, want: Estimate) {
    let eq = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
    assert!(eq(got.mean, want.mean) && eq(got.half_width, want.half_width), "{what}: {got:?} vs {want:?}");
}

#[path = "../../benches/support/event_lists.rs"]
mod event_lists;

/// The radix heap and the calendar queue that the `event_list` bench times beside the engine's
/// heap pop what the engine's list pops, in its order, also when events fall at equal times,
/// when the list runs empty and fills again, and when an event comes earlier than the last one
/// removed (which a simulation never schedules, and which both must still place right).
#[test]
fn the_benched_event_lists_pop_in_the_engines_order() {
    use ccsim::sim::event::{Event, EventQueue, order_key};
    use event_lists::{Calendar, Entry, Radix};
    use rand::{RngExt, SeedableRng};

    let mut rng = ccsim::stream::Rng::seed_from_u64(5);
    let (mut engine, mut radix, mut calendar) =
        (EventQueue::with_capacity(0), Radix::default(), Calendar::default());
    let (mut now, mut seq, mut popped) = (0.0, 0u32, 0);
    for step in 0..60_000u32 {
        // Mostly pushes at or after the last instant removed, in bursts that grow and shrink
        // the list; one in a hundred before it; times on a coarse grid, so some are equal.
        let burst = if (step / 5_000) % 2 == 0 { 3 } else { 1 };
        for _ in 0..rng.random_range(0..=burst) {
            let ahead = f64::from(rng.random_range(0..400u32)) / 4.0;
            let time = if rng.random_range(0..100) == 0 { (now - ahead).max(0.0) } else { now + ahead };
            // The engine's key: the same sequence numbers, from 1 in the order of scheduling;
            // each event its own, so that two swapped events at equal times show.
            seq += 1;
            let event = Event::ServiceEnd(seq);
            engine.push(time, event);
            let entry = Entry { key: order_key(time, u64::from(seq)), event };
            radix.push(entry);
            calendar.push(entry);
        }
        let want = engine.pop();
        let (r, c) = (radix.pop(), calendar.pop());
        assert_eq!(want.map(|(_, e)| e), r.map(|e| e.event), "radix heap, step {step}");
        assert_eq!(want.map(|(_, e)| e), c.map(|e| e.event), "calendar queue, step {step}");
        if let Some((t, _)) = want {
            now = t;
            popped += 1;
        }
    }
    assert!(popped > 40_000, "the lists were exercised: {popped} removals");
}

/// Callers who call back at once and without end (a redial probability of 1, a nanosecond's
/// patience and delay, nobody answering at first) stop the run with exit 2 naming the call type,
/// in well under a second, where the run used to go on forever and grow without bound.
#[test]
fn callers_who_call_back_without_end_stop_the_run_with_an_error() {
    let dir = crate::util::empty_dir("engine", "runaway-recalls");
    let head = "start = \"08:00\"\ninterval = \"30m\"\n[service_level]\ntarget = \"20s\"\ngoal = 0.8\n\
                [simulation]\nreplications = 1\n";
    let cases = [
        (
            "redial",
            "patience = { distribution = \"deterministic\", mean = \"1e-9s\" }\n\
             redial = { probability = 1, delay = { distribution = \"deterministic\", mean = \"1e-9s\" } }\n",
            "staffing = [0, 1, 1, 0]",
            "",
            "redial probability 1",
        ),
        (
            "blocked",
            "redial_after_blocked = { probability = 1, delay = { distribution = \"exponential\", mean = \"1e-9s\" } }\n",
            "staffing = [1, 1, 1, 1]",
            "[lines]\ntotal = 1\n",
            "redial_after_blocked probability 1",
        ),
    ];
    for (name, recall, staffing, lines, says) in cases {
        let file = dir.join(format!("{name}.toml"));
        std::fs::write(
            &file,
            format!(
                "{head}{lines}[[call_types]]\nname = \"a\"\nvolumes = [20, 30, 30, 20]\n\
                 handle_time = {{ distribution = \"exponential\", mean = \"3m\" }}\n{recall}\
                 [[agent_groups]]\nname = \"g\"\nskills = [\"a\"]\n{staffing}\n"
            ),
        )
        .unwrap();
        let started = std::time::Instant::now();
        let out = crate::util::ccsim().arg("simulate").arg(&file).arg("-q").output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains("call_types.a: its callers called back without end") && stderr.contains(says),
            "{name}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{name}: no result is printed");
        assert!(started.elapsed().as_secs_f64() < 10.0, "{name}: {:?}", started.elapsed());
    }
}

/// A center far understaffed for its volume (100,000 calls an hour for one agent, callers
/// waiting ten minutes and redialing, some transferred) holds its waiting callers by the
/// thousand. Under a cap lowered to 10,000 the replication stops as soon as a contact would be
/// the 10,001st held, names the day and time, and is an error of the input (exit 2); the
/// redials it refuses while stopping are not reported as callers calling back without end. Under
/// the real cap the same scenario runs to the end and balances.
#[test]
fn contacts_held_past_the_cap_stop_the_replication_with_an_error() {
    let mut scenario = two_tier();
    scenario.call_types[0].volumes = vec![100_000.0; 8];
    scenario.call_types[0].patience = Some(Dist::exponential(600.0));
    scenario.call_types[0].redial = Some(Recall { probability: 1.0, delay: Dist::exponential(60.0) });
    scenario.plan.staffing[0].agents = vec![1; 8];
    scenario.plan.staffing[1].agents = vec![1; 8];
    let counts = sim::run_holding_at_most(&scenario, 5, 0, 10_000, &mut NoTrace);
    let (at, cap) = counts.held_cap_reached.expect("the cap is reached");
    assert_eq!(cap, 10_000);
    // 10,000 callers pile up in about six minutes, and the run stops there.
    assert!((60.0..1200.0).contains(&at), "reached at {at} s");
    let offered = counts.overall().offered_total();
    assert!(offered < 20_000, "{offered} offered: the run went on past the cap");
    let err = sim::check_counts(&scenario, 0, &counts).unwrap_err();
    let message = format!("{err:#}");
    assert_eq!(ccsim::error::exit_code(&err), 2, "{message}");
    for says in [
        "<stationary>: on day 1 at 00:",
        "of replication 0, more than 10000 contacts were held at once",
        "(MAX_CONTACTS_HELD)",
        "far understaffed for its volume",
    ] {
        assert!(message.contains(says), "missing {says:?} in: {message}");
    }
    assert!(!message.contains("without end"), "{message}");

    let counts = sim::run(&scenario, 5, 0, &mut NoTrace);
    assert_eq!(counts.held_cap_reached, None);
    sim::check_counts(&scenario, 0, &counts).unwrap();
}

/// An email backlog larger than the cap is held from the first instant: the replication stops
/// there, before the rest of the backlog is even created.
#[test]
fn an_initial_backlog_past_the_cap_stops_the_replication_at_the_start() {
    let mut scenario = mmc(10, None, 8);
    scenario.call_types[0].channel = Channel::Email;
    scenario.call_types[0].initial_backlog = 50_000;
    let counts = sim::run_holding_at_most(&scenario, 1, 0, 10_000, &mut NoTrace);
    assert_eq!(counts.held_cap_reached, Some((0.0, 10_000)));
    assert!(counts.overall().offered_total() <= 10_001, "{:?}", counts.overall());
    let message = format!("{:#}", sim::check_counts(&scenario, 0, &counts).unwrap_err());
    assert!(message.contains("on day 1 at 00:00 of replication 0"), "{message}");
    assert!(message.contains("lower the volumes or initial backlogs"), "{message}");
}

/// The command line, with the real cap: six million calls in one quarter hour for one agent and
/// no abandonment hold five million waiting callers after 12½ minutes (about 0.4 s and 380 MB,
/// one replication on one thread). It exits 2 naming the file and the cap, and writes nothing.
#[test]
fn a_scenario_far_understaffed_for_its_volume_stops_with_exit_2_and_writes_nothing() {
    let dir = crate::util::empty_dir("engine", "contacts-held");
    let file = dir.join("flood.toml");
    std::fs::write(
        &file,
        "start = \"08:00\"\ninterval = \"15m\"\n[service_level]\ntarget = \"20s\"\ngoal = 0.8\n\
         [[call_types]]\nname = \"hotline\"\nvolumes = [6000000]\n\
         handle_time = { distribution = \"exponential\", mean = \"4m\" }\n\
         [[agent_groups]]\nname = \"agents\"\nskills = [\"hotline\"]\nstaffing = [1]\n",
    )
    .unwrap();
    let out_dir = dir.join("out");
    let out = crate::util::ccsim()
        .arg("simulate")
        .arg(&file)
        .args(["-r", "1", "--threads", "1", "-q", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("flood.toml: on day 1 at 08:12:")
            && stderr.contains("more than 5000000 contacts were held at once")
            && stderr.contains("(MAX_CONTACTS_HELD)")
            && stderr.contains("far understaffed for its volume")
            && stderr.contains("at most 5000000 are held at once"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no result is printed");
    assert!(!out_dir.exists(), "nothing is written");
}

/// Six email types of a million waiting emails each are six million held from the first
/// instant, past the cap of contacts held at once: `validate` refuses them at the scenario's
/// line, naming the largest backlog, rather than letting the run stop at its start.
#[test]
fn initial_backlogs_past_the_cap_of_contacts_held_are_refused_at_validation() {
    let dir = crate::util::empty_dir("engine", "backlogs-held");
    let file = dir.join("inbox.toml");
    let mut text = String::from(
        "start = \"08:00\"\ninterval = \"1h\"\n[service_level]\ntarget = \"20s\"\ngoal = 0.8\n\
         [email_service_level]\ntarget = \"24h\"\ngoal = 0.9\n",
    );
    let mut skills = Vec::new();
    for k in 1..=6 {
        let backlog = if k == 4 { 1_000_000 } else { 900_000 };
        text += &format!(
            "[[call_types]]\nname = \"mail{k}\"\nchannel = \"email\"\nvolumes = [10]\ninitial_backlog = {backlog}\n\
             handle_time = {{ distribution = \"exponential\", mean = \"4m\" }}\n"
        );
        skills.push(format!("\"mail{k}\""));
    }
    text +=
        &format!("[[agent_groups]]\nname = \"agents\"\nskills = [{}]\nstaffing = [5]\n", skills.join(", "));
    std::fs::write(&file, &text).unwrap();
    let out = crate::util::ccsim().arg("validate").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let line = text.lines().position(|l| l == "initial_backlog = 1000000").unwrap() + 1;
    assert!(stderr.contains(&format!("inbox.toml:{line}")), "{stderr}");
    assert!(stderr.contains("call_types[3]") || stderr.contains("mail4"), "{stderr}");
    assert!(stderr.contains("add up to 5500000 emails (1000000 of them here)"), "{stderr}");
    assert!(stderr.contains("(MAX_CONTACTS_HELD)"), "{stderr}");
}

/// One agent with the skills "low" then "high", both queues long (4 Erlangs on one agent,
/// nobody abandons): each time the agent is free it takes the waiting call of the highest
/// priority, of its earlier skill between equal priorities, and the longest-waiting one of
/// that call type.
#[test]
fn a_free_agent_takes_the_highest_priority_then_its_earlier_skill_then_the_longest_wait() {
    let text = |high_priority: i32| {
        format!(
            r#"
name = "Priorities"
start = "08:00"
interval = "30m"
[service_level]
target = "20s"
goal = 0.8
[[call_types]]
name = "low"
volumes = [20, 20, 20, 20]
handle_time = {{ distribution = "exponential", mean = "3m" }}
[[call_types]]
name = "high"
priority = {high_priority}
volumes = [20, 20, 20, 20]
handle_time = {{ distribution = "exponential", mean = "3m" }}
[[agent_groups]]
name = "desk"
skills = ["low", "high"]
staffing = [1, 1, 1, 1]
"#
        )
    };
    // (call type, arrival, start of service or infinity) of every contact.
    let contacts = |text: &str| {
        let scenario = ccsim::scenario::load_str(text, std::path::Path::new("priorities.toml"))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .scenario;
        let mut all = Vec::new();
        let mut observer = |r: &sim::TraceRecord| {
            let start = match r.outcome {
                sim::Outcome::Answered => r.arrival_s + r.wait_s,
                _ => f64::INFINITY,
            };
            all.push((r.call_type, r.arrival_s, start));
        };
        sim::run(&scenario, 3, 0, &mut observer);
        all
    };
    // The contacts of `call_type` waiting at `at`.
    let waiting = |all: &[(u16, f64, f64)], call_type: u16, at: f64| {
        all.iter()
            .filter(|&&(ct, arrival, start)| ct == call_type && arrival < at - 1e-9 && start > at + 1e-9)
            .count()
    };
    // "high" has the higher priority; then both the same, so "low", the earlier skill, wins.
    for (high_priority, preferred) in [(1, 1u16), (0, 0u16)] {
        let all = contacts(&text(high_priority));
        let other = 1 - preferred;
        let mut passed_over = 0;
        for &(ct, _, start) in all.iter().filter(|c| c.2.is_finite()) {
            if ct == other {
                assert_eq!(
                    waiting(&all, preferred, start),
                    0,
                    "{high_priority}: a call of {other} at {start}"
                );
            } else if waiting(&all, other, start) > 0 {
                passed_over += 1;
            }
            // Within the call type, first come first served.
            let older_waiting =
                all.iter().filter(|&&(c, arrival, s)| c == ct && arrival < start && s > start + 1e-9);
            for &(_, arrival, _) in older_waiting {
                let me = all.iter().find(|&&(c, _, s)| c == ct && s == start).unwrap();
                assert!(
                    arrival > me.1,
                    "{high_priority}: a call of {ct} that arrived at {arrival} waits past {start}"
                );
            }
        }
        assert!(passed_over > 10, "{high_priority}: the queues were rarely both waiting: {passed_over}");
    }
}
