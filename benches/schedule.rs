//! Shift optimiser on one-week, 15-minute grids: 7 × 96 = 672 intervals, two agent
//! groups with a two-peak day (weekends at 60%), shifts starting every 15 minutes with lengths
//! 4h, 6h and 8h and their breaks. Goal: within 0.5% of optimal in under 30 s. Two weeks:
//! - `Open`: the centre opens 07:00-22:00 and shifts fit those hours, 1,554 candidate shifts
//!   (a week of about 1,500 candidate shifts is the size this bench is about);
//! - `RoundTheClock`: never closes, a night crew of one per group, 4,032 candidate shifts.
//!
//! Before timing, the bench solves each week once and prints the figures the goal is judged by:
//! time, status, gap to the best proven bound (the LP relaxation of each independent part,
//! raised to its cost unit), columns and rows. Environment:
//! - `SCHEDULE_ONCE=1` stops there;
//! - `SCHEDULE_HOURS=open` or `=round-the-clock` solves only that week;
//! - `SCHEDULE_LIMIT=30` sets the time limit (the search's node budgets end it first on a
//!   quiet 2-core machine: the round-the-clock week in about 15 s);
//! - `SCHEDULE_STEP=1800` starts shifts every that many seconds instead of every 900;
//! - `SCHEDULE_FLOOR=2` sets the agents needed at the quietest hours (default 1: the night crew
//!   of a round-the-clock centre);
//! - `SCHEDULE_VARY=0.03` makes each day's demand 3% above the day before's, so that no two
//!   days repeat;
//! - `SCHEDULE_SCALE=2.5` multiplies both groups' demand peaks (40 and 14 agents);
//! - `SCHEDULE_DAYS=1` solves that many days instead of seven, `SCHEDULE_FIRST_DAY=5` starts on
//!   a weekend day (0 = Monday);
//! - `SCHEDULE_LP=week.lp` writes the program as an LP file instead (round the clock unless
//!   `SCHEDULE_HOURS=open`), for a reference solver:
//!   `python3 benches/reference_highs.py week.lp 600`.
//!
//! Criterion then times the round-the-clock day:
//! `cargo bench --bench schedule -- --warm-up-time 1 --measurement-time 20`.

use std::hint::black_box;

use ccsim::model::{AgentGroupId, BreakRule, ShiftTemplate, ShiftTemplateSpec};
use ccsim::schedule::{GroupRequirement, Requirement, SolveSettings, solve, write_lp};
use ccsim::time::{ClockTime, IntervalGrid};
use criterion::{Criterion, criterion_group, criterion_main};

/// Agents needed at `hour` of a weekday for a group whose late-morning peak is `peak`: a
/// morning and an afternoon peak over a small night crew; weekends carry 60%.
fn required(hour: f64, day: usize, peak: f64, hours: Hours) -> u32 {
    let bump = |centre: f64, width: f64| (-((hour - centre) / width).powi(2)).exp();
    if hours == Hours::Open && !(7.0..22.0).contains(&hour) {
        return 0;
    }
    let weekday = if day >= 5 { 0.6 } else { 1.0 } * (1.0 + env_or("SCHEDULE_VARY", 0.0) * day as f64);
    let load = peak * (0.9 * bump(10.5, 1.8) + 0.75 * bump(15.0, 2.0) + 0.25 * bump(19.5, 2.0)) * weekday;
    (env_or("SCHEDULE_FLOOR", 1.0) + load).round() as u32
}

/// A number from the environment, or `default`.
fn env_or(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|d| d.parse().ok()).unwrap_or(default)
}

fn templates(group: u16, cost_per_hour: f64, hours: Hours) -> Vec<ShiftTemplate> {
    let h = |x: f64| x * 3600.0;
    let open = hours == Hours::Open;
    let template = |length: f64, breaks: Vec<BreakRule>| {
        ShiftTemplate::new(ShiftTemplateSpec {
            group: AgentGroupId(group),
            earliest_start: if open { ClockTime::parse("07:00").unwrap() } else { ClockTime::MIDNIGHT },
            // Open hours: every shift ends by closing time (22:00).
            latest_start: if open {
                ClockTime::from_secs(h(22.0 - length))
            } else {
                ClockTime::parse("23:45").unwrap()
            },
            step: env_or("SCHEDULE_STEP", 900.0),
            lengths: vec![h(length)],
            breaks,
            cost_per_hour,
            max_agents: None,
        })
        .expect("a valid template")
    };
    let rule = |length_min: f64, earliest: f64, latest: f64| BreakRule {
        length: length_min * 60.0,
        earliest: h(earliest),
        latest: h(latest),
    };
    vec![
        template(4.0, vec![rule(15.0, 1.5, 2.5)]),
        template(6.0, vec![rule(30.0, 2.5, 3.5)]),
        template(8.0, vec![rule(15.0, 1.5, 2.5), rule(30.0, 4.0, 5.0)]),
    ]
}

/// `days` days of 15-minute intervals from midnight, both groups' templates and demand.
fn week(days: usize, hours: Hours) -> (IntervalGrid, Vec<ShiftTemplate>, Requirement) {
    let grid = IntervalGrid::new(ClockTime::MIDNIGHT, 900.0, 96, days).unwrap();
    let mut all = templates(0, 25.0, hours);
    all.extend(templates(1, 32.0, hours));
    let scale = env_or("SCHEDULE_SCALE", 1.0);
    let groups = [(0u16, 40.0 * scale), (1, 14.0 * scale)]
        .into_iter()
        .map(|(g, peak)| GroupRequirement {
            group: AgentGroupId(g),
            required: (0..grid.len())
                .map(|i| required((i % 96) as f64 / 4.0, i / 96 + first_day(), peak, hours))
                .collect(),
        })
        .collect();
    (grid, all, Requirement { groups })
}

fn report(name: &str, schedule: &ccsim::schedule::Schedule) {
    println!(
        "{name}: {:.2} s, status {}, cost {:.0}, LP bound {:.0}, gap {:.2}%, {} columns, {} rows, {} shifts, {:.0} paid hours",
        schedule.stats.seconds,
        schedule.status,
        schedule.cost,
        schedule.stats.best_bound.unwrap_or(f64::NAN),
        100.0 * schedule.stats.gap.unwrap_or(f64::NAN),
        schedule.stats.columns,
        schedule.stats.rows,
        schedule.plan.shifts.len(),
        schedule.paid_hours
    );
}

fn bench(c: &mut Criterion) {
    // The library's default time limit (60 s) unless SCHEDULE_LIMIT says otherwise.
    let limit = std::env::var("SCHEDULE_LIMIT")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(SolveSettings::default().time_limit);
    let days = std::env::var("SCHEDULE_DAYS").ok().and_then(|d| d.parse().ok()).unwrap_or(7);
    let settings = SolveSettings { time_limit: limit, ..SolveSettings::default() };
    if let Some(path) = std::env::var_os("SCHEDULE_LP") {
        // The same program as an LP file, to solve with another solver for a reference optimum:
        // the last instance chosen (round the clock unless SCHEDULE_HOURS=open).
        let (grid, templates, req) = week(days, *instances().last().unwrap());
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create the LP file"));
        write_lp(&templates, &grid, 2, &req, &settings, &mut file).expect("write the LP file");
        println!("wrote {}", std::path::Path::new(&path).display());
        return;
    }
    for hours in instances() {
        let (grid, templates, req) = week(days, hours);
        let schedule = solve(&templates, &grid, 2, &req, &settings).expect("the week has a schedule");
        report(&format!("{hours:?}, {days} days ({} intervals)", grid.len()), &schedule);
        // Where the cost sits: per group, the cost of the shifts logging in on each day.
        for g in 0..2u16 {
            let rate = templates.iter().find(|t| t.group.0 == g).map_or(0.0, |t| t.cost_per_hour);
            let per_day: Vec<f64> = (1..=days)
                .map(|d| {
                    let on_day = schedule.plan.shifts.iter().filter(|s| s.group.0 == g && s.works_on(d));
                    on_day.map(|s| rate * s.length / 3600.0 * f64::from(s.agents)).sum()
                })
                .collect();
            println!("  group {g}: cost by log-in day {per_day:?}");
        }
    }
    if std::env::var_os("SCHEDULE_ONCE").is_some() {
        return;
    }
    // A week takes seconds per solve; criterion times one day round the clock.
    let (grid, templates, req) = week(1, Hours::RoundTheClock);
    let settings = SolveSettings::default();
    report("day (96 intervals)", &solve(&templates, &grid, 2, &req, &settings).unwrap());
    let mut group = c.benchmark_group("schedule");
    group.sample_size(10);
    group.bench_function("day_96_intervals", |b| {
        b.iter(|| solve(black_box(&templates), &grid, 2, &req, &settings).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

/// When the centre takes calls.
#[derive(Copy, Clone, Debug, PartialEq)]
enum Hours {
    /// 07:00-22:00 every day, shifts within those hours: 1,554 candidate shifts over the week.
    /// No shift spans two days, so the optimiser solves
    /// each group's day apart.
    Open,
    /// Never closes: a night crew of one per group, shifts starting at every quarter hour
    /// (4,032 candidates); night shifts tie each group's week into one program.
    RoundTheClock,
}

/// The instances to solve: `SCHEDULE_HOURS=open` or `=round-the-clock`, both by default.
fn instances() -> Vec<Hours> {
    match std::env::var("SCHEDULE_HOURS").as_deref() {
        Ok("open") => vec![Hours::Open],
        Ok("round-the-clock") => vec![Hours::RoundTheClock],
        _ => vec![Hours::Open, Hours::RoundTheClock],
    }
}

fn first_day() -> usize {
    std::env::var("SCHEDULE_FIRST_DAY").ok().and_then(|d| d.parse().ok()).unwrap_or(0)
}
