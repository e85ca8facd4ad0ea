//! The risk part of the reports: the "Risk of missing the goal" and "Events" sections of the
//! `simulate` table, and the `ccsim risk` curve as a table. Pure: text in, text out.

use crate::report::table::{Align, Table};
use crate::report::{nonnegative_estimate, number_estimate, percent, percent_estimate, percent_interval};
use crate::risk::RiskCurve;
use crate::summary::Summary;
use crate::time::format_duration;

/// Intervals listed by their lowest probability of meeting the goal.
const RISKIEST_SHOWN: usize = 5;

/// The risk figures of a simulation as the reports show them, the terminal table and the HTML
/// report alike: each table's headers and rows, already formatted, with the sentences that
/// explain them. `None` for a scenario that models no bad days.
pub struct RiskSections {
    /// What P(meet goal) and SL p10 mean.
    pub intro: String,
    /// Per call type, then all calls with several.
    pub call_types: (Vec<&'static str>, Vec<Vec<String>>),
    /// The heading of the riskiest intervals.
    pub riskiest_heading: String,
    /// The intervals least likely to meet the goal (empty when every one always meets it).
    pub riskiest: (Vec<&'static str>, Vec<Vec<String>>),
    /// The `[[events]]` and what each did (empty without events).
    pub events: (Vec<&'static str>, Vec<Vec<String>>),
}

/// The heading of the events table.
pub const EVENTS_HEADING: &str = "Events (extra = against the same replications without the event)";

/// What the events table's recovery and peak queue mean.
pub const EVENTS_NOTE: &str = "Time to recover: from the event's start to the first interval from which the interval's \
     service level (as the reports give it) is back at or above the goal (or not significantly more than \
     2 points below the same interval without the event) and stays there for the next 24 hours. Peak \
     queue: most callers waiting at once (calls and chats, not the email backlog) from the event's start \
     to the end of its day. Extra abandoned, extra redials: calls over the whole run, against the same \
     replication without the event.";

/// What a risk table's Mean SL is: the one service level of every report, not the mean of each
/// replication's own (which would give a quiet day as much say as a busy one).
const MEAN_SL: &str = "Mean SL = the service level of all replications' contacts together.";

impl RiskSections {
    /// The sections of `summary`; `None` when it models no bad days.
    pub fn of(summary: &Summary) -> Option<RiskSections> {
        let overall = summary.risk.as_ref()?;
        let several = summary.several_channels();
        let all_row = crate::report::all_row_name_of(&summary.channels);
        let goal = if several {
            "its channel's goal".to_string()
        } else {
            crate::report::goal_percent(summary.service_level.goal)
        };
        let intro = format!(
            "Risk of missing the goal: P(meet goal) = share of replications (each one {}) whose service \
             level is at or above {goal}{}; SL p10 = the level nine in ten of them beat; each with its 95% \
             interval in brackets. {MEAN_SL}{}",
            crate::report::replication_noun(summary.grid.days, false),
            if several { format!(" ({all_row}: every channel at or above its own)") } else { String::new() },
            p10_note(summary.replications),
        );
        let mut types = Vec::new();
        for ct in &summary.call_types {
            if let Some(r) = &ct.risk {
                types.push(vec![
                    ct.name.clone(),
                    percent_interval(&r.p_meet_goal),
                    percent_interval(&r.sl_p10),
                    percent_estimate(&ct.stats.service_level),
                ]);
            }
        }
        if summary.call_types.len() > 1 {
            types.push(vec![
                all_row.to_string(),
                percent_interval(&overall.p_meet_goal),
                percent_interval(&overall.sl_p10),
                percent_estimate(&summary.overall.service_level),
            ]);
        }
        let mut risky: Vec<_> = summary
            .intervals
            .iter()
            .filter_map(|i| i.risk.map(|r| (i, r)))
            .filter(|(_, r)| r.p_meet_goal.mean.is_finite() && r.p_meet_goal.mean < 1.0)
            .collect();
        // Ties (several intervals that never meet the goal) go to the lowest service level
        // first: an interval far below the goal before one just short of it.
        risky.sort_by(|a, b| {
            let sl = |i: &crate::summary::IntervalSummary| i.stats.service_level.mean;
            a.1.p_meet_goal.mean.total_cmp(&b.1.p_meet_goal.mean).then(sl(a.0).total_cmp(&sl(b.0)))
        });
        let riskiest = risky
            .iter()
            .take(RISKIEST_SHOWN)
            .map(|(i, r)| {
                vec![
                    summary.grid.interval_label(i.day, &i.start),
                    i.call_type.clone(),
                    percent_interval(&r.p_meet_goal),
                    percent_interval(&r.sl_p10),
                    percent_estimate(&i.stats.service_level),
                ]
            })
            .collect();
        let events = summary
            .events
            .iter()
            .map(|e| {
                let days: Vec<String> = e.days.iter().map(usize::to_string).collect();
                vec![
                    e.name.clone(),
                    days.join(","),
                    format!("{} + {}", e.start, format_duration(e.length_s)),
                    e.time_to_recover_s.map_or("not within 24h".to_string(), format_duration),
                    nonnegative_estimate(&e.peak_queue, 1),
                    number_estimate(&e.extra_abandoned, 1),
                    number_estimate(&e.extra_redials, 1),
                ]
            })
            .collect();
        Some(RiskSections {
            intro,
            call_types: (vec!["Call type", "P(meet goal)", "SL p10", "Mean SL"], types),
            riskiest_heading: format!("Riskiest intervals (lowest probability of meeting {goal})"),
            riskiest: (vec!["Interval", "Call type", "P(meet goal)", "SL p10", "Mean SL"], riskiest),
            events: (
                vec![
                    "Event",
                    "Days",
                    "Window",
                    "Time to recover",
                    "Peak queue",
                    "Extra abandoned",
                    "Extra redials",
                ],
                events,
            ),
        })
    }
}

/// The risk section of the `simulate` table; empty for a scenario that models no bad days.
pub fn simulation_section(summary: &Summary) -> String {
    let Some(r) = RiskSections::of(summary) else { return String::new() };
    let mut out = crate::report::wrap(&format!("\n{}\n", r.intro), 100);
    let table = |(headers, rows): &(Vec<&str>, Vec<Vec<String>>), left: &[usize]| {
        let mut t = Table::new(headers);
        for &c in left {
            t = t.align(c, Align::Left);
        }
        for row in rows {
            t.row(row.iter().cloned());
        }
        t.render()
    };
    out += &table(&r.call_types, &[]);
    if !r.riskiest.1.is_empty() {
        out += &format!("\n{}:\n", r.riskiest_heading);
        out += &table(&r.riskiest, &[1]);
    }
    if !r.events.1.is_empty() {
        out += &format!("\n{EVENTS_HEADING}:\n");
        out += &table(&r.events, &[1, 2]);
        out += &crate::report::wrap(&format!("{EVENTS_NOTE}\n"), 100);
    }
    out
}

/// Why SL p10's interval starts at 0%, when the replications are too few to bound it from below.
pub(crate) fn p10_note(replications: u32) -> String {
    let from = crate::risk::sl_p10_bounded_from();
    if (replications as usize) < from {
        format!(
            " With fewer than {from} replications nothing bounds SL p10 from below, so its interval \
             starts at 0%."
        )
    } else {
        String::new()
    }
}

/// The risk curve as a table.
pub fn curve_table(curve: &RiskCurve) -> String {
    let runs = crate::report::replication_noun(curve.days, true);
    let mut out = format!(
        "{} | plan: {} scaled to each headcount | {} per headcount, seed {}\n\
         {}{}\n\n",
        curve.scenario,
        curve.plan,
        crate::error::plural(u64::from(curve.replications), "replication"),
        curve.seed,
        crate::report::channels::goal_line_of(
            curve.goal,
            curve.target_s,
            curve.definition,
            &curve.channel_goals
        ),
        if curve.channel_goals.is_empty() {
            format!("; P(meet goal) = share of replications ({runs}) that meet it; brackets: 95% interval")
        } else {
            format!(
                "\nP(meet goal) = share of replications ({runs}) in which every channel meets its own goal; \
                 brackets: 95% interval"
            )
        },
    );
    let mut t = Table::new(&["Peak agents", "P(meet goal)", "Mean SL", "SL p10"]);
    for p in &curve.points {
        t.row([
            p.agents.to_string(),
            percent_interval(&p.p_meet_goal),
            percent_estimate(&p.service_level),
            percent_interval(&p.sl_p10),
        ]);
    }
    out += &t.render();
    out += &format!("{MEAN_SL}\n");
    if curve.shrinkage_applied > 0.0 {
        // The JSON's `shrinkage_applied`: without it the table of a net curve would read as
        // every agent on the phones.
        out += &crate::report::wrap(
            &format!(
                "Shrinkage: {} of each headcount off the phones (--apply-shrinkage): each interval of \
                 the scaled plan keeps {} of its agents taking calls, rounded to the nearest; Peak \
                 agents counts every agent on duty, paid.\n",
                percent(curve.shrinkage_applied),
                percent(1.0 - curve.shrinkage_applied)
            ),
            100,
        );
    }
    if curve.plan_peak_agents > 0.0 {
        let peak = crate::report::chart::risk::agents_text(curve.plan_peak_agents);
        out += &format!("Current plan ({}): {peak} on duty at its busiest interval.\n", curve.plan);
    }
    if curve.absence_per_pool {
        out += &crate::report::wrap(
            "With absence: the curve scales the plan as a headcount per interval, whose absent agents \
             are drawn for the whole day from a pool, not agent by agent of each shift as in the plan \
             itself; at the plan's own headcount the curve can therefore differ from `ccsim simulate` \
             of the plan, which gives the plan's own chance.\n",
            100,
        );
    }
    let mut unsettled = false;
    for target in [0.5, 0.8, 0.9, 0.95] {
        if let Some(i) = curve.points.iter().position(|p| p.p_meet_goal.mean >= target) {
            let p = &curve.points[i];
            // The share measured at that count, with its interval: 19 of 20 reads 95% but
            // leaves the true share anywhere from 76% up.
            unsettled |= p.p_meet_goal.low < target;
            // A headcount the curve stepped over, or one below its first, may meet it too.
            let unsimulated = match i.checked_sub(1).map(|j| curve.points[j].agents) {
                None if p.agents > 1 => "; fewer were not simulated".to_string(),
                Some(before) if before + 2 == p.agents => format!("; {} was not simulated", before + 1),
                Some(before) if before + 2 < p.agents => {
                    format!("; {} to {} were not simulated", before + 1, p.agents - 1)
                }
                _ => String::new(),
            };
            out += &crate::report::wrap(
                &format!(
                    "Fewest peak agents meeting the goal on {} of {runs}: {} (measured {}){unsimulated}\n",
                    percent(target),
                    p.agents,
                    percent_interval(&p.p_meet_goal)
                ),
                100,
            );
        }
    }
    if unsettled {
        out += &crate::report::wrap(
            &format!(
                "Where the measured share's interval starts below its target, {} {} not \
                 establish it: the true share may be lower; more replications narrow the interval.\n",
                crate::error::plural(u64::from(curve.replications), "replication"),
                if curve.replications == 1 { "does" } else { "do" }
            ),
            100,
        );
    }
    let note = p10_note(curve.replications);
    if !note.is_empty() {
        out += &crate::report::wrap(&format!("{}\n", note.trim_start()), 100);
    }
    out
}
