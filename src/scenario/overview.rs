//! What a scenario asks for and what its plan supplies, in a few numbers: the summary of
//! `ccsim validate`, and the coverage warnings of validation.
//!
//! Agents on duty follow the engine's roster exactly (an overnight shift worked every day also
//! covers the first morning; breaks are off duty), counted pro rata where a shift or break
//! covers part of an interval.

use crate::model::{Channel, Hours, Scenario};
use crate::time::{Erlangs, IntervalGrid, Seconds, format_duration};
use crate::uncertainty::VolumeCv;

use super::field::{FieldPath, Sink};

/// A validated scenario at a glance.
#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    /// The scenario's name.
    pub name: String,
    /// The plan's name.
    pub plan: String,
    /// Intervals per day.
    pub per_day: usize,
    /// Days.
    pub days: usize,
    /// Interval length.
    pub interval: Seconds,
    /// Per call type.
    pub call_types: Vec<CallTypeOverview>,
    /// Offered load of all call types at its peak.
    pub peak_load: Erlangs,
    /// The interval of `peak_load`.
    pub peak_interval: usize,
    /// Fewest agents on duty (net of breaks) in any interval, all groups together.
    pub min_agents: f64,
    /// Most agents on duty in any interval.
    pub peak_agents: f64,
    /// The interval of `min_agents`.
    pub min_interval: usize,
    /// The interval of `peak_agents`.
    pub peak_agents_interval: usize,
    /// Paid agent-hours over all days (breaks are paid).
    pub paid_hours: f64,
    /// The optional parts the scenario has (`[uncertainty]`, `[[events]]`, call types' `open`
    /// hours, chat and email channels, callbacks, `[lines]`), each with what it says in a few
    /// words, in that order.
    pub sections: Vec<(&'static str, String)>,
}

/// One call type at a glance.
#[derive(Clone, Debug, PartialEq)]
pub struct CallTypeOverview {
    /// Name.
    pub name: String,
    /// Fresh calls offered on each day.
    pub daily_volume: Vec<f64>,
    /// Peak offered load (volume x mean handle time / interval length).
    pub peak_load: Erlangs,
    /// The interval of `peak_load`.
    pub peak_interval: usize,
}

fn argmax(values: &[f64]) -> (usize, f64) {
    values
        .iter()
        .copied()
        .enumerate()
        .fold((0, f64::NEG_INFINITY), |best, (i, v)| if v > best.1 { (i, v) } else { best })
}

/// The summary `ccsim validate` prints.
pub fn overview(scenario: &Scenario) -> Overview {
    let grid = &scenario.grid;
    let load_of = |c: &crate::model::CallType| -> Vec<Erlangs> {
        c.volumes.iter().map(|v| v * c.handle_time.mean() / grid.length()).collect()
    };
    let call_types: Vec<CallTypeOverview> = scenario
        .call_types
        .iter()
        .map(|c| {
            let (peak_interval, peak_load) = argmax(&load_of(c));
            CallTypeOverview {
                name: c.name.clone(),
                daily_volume: c.volumes.chunks(grid.per_day()).map(|d| d.iter().sum()).collect(),
                peak_load,
                peak_interval,
            }
        })
        .collect();
    let mut total = vec![0.0; grid.len()];
    for c in &scenario.call_types {
        total.iter_mut().zip(load_of(c)).for_each(|(t, l)| *t += l);
    }
    let (peak_interval, peak_load) = argmax(&total);
    let mut on_duty = vec![0.0; grid.len()];
    for group in scenario.plan.on_duty(grid, scenario.agent_groups.len()) {
        on_duty.iter_mut().zip(group).for_each(|(t, a)| *t += a);
    }
    let (peak_agents_interval, peak_agents) = argmax(&on_duty);
    let negated: Vec<f64> = on_duty.iter().map(|a| -a).collect();
    let (min_interval, min_neg) = argmax(&negated);
    Overview {
        name: scenario.name.clone(),
        plan: scenario.plan.name.clone(),
        per_day: grid.per_day(),
        days: grid.days(),
        interval: grid.length(),
        call_types,
        peak_load,
        peak_interval,
        min_agents: -min_neg,
        peak_agents,
        min_interval,
        peak_agents_interval,
        paid_hours: scenario.plan.paid_hours(grid),
        sections: optional_sections(scenario),
    }
}

/// `[uncertainty]`, `[[events]]`, opening hours, channels, callbacks and `[lines]` in a few
/// words, those the scenario has.
fn optional_sections(scenario: &Scenario) -> Vec<(&'static str, String)> {
    let mut sections = Vec::new();
    if let Some(u) = &scenario.uncertainty {
        let volume = match &u.volume_cv {
            VolumeCv::Shared(cv) => format!("volume cv {cv}"),
            VolumeCv::PerCallType(cvs) => {
                let named = scenario.call_types.iter().zip(cvs).map(|(c, cv)| format!("{} {cv}", c.name));
                format!("volume cv {}", named.collect::<Vec<_>>().join(", "))
            }
        };
        sections.push((
            "[uncertainty]",
            format!(
                "{volume} (per {}), absence {}, handle-time shift cv {}",
                u.correlation.name(),
                u.absence,
                u.handle_time_cv_shift
            ),
        ));
    }
    if !scenario.events.is_empty() {
        let events: Vec<String> = scenario
            .events
            .iter()
            .map(|e| {
                let days = match &e.days {
                    None => "every day".to_string(),
                    Some(days) => {
                        let days: Vec<String> = days.iter().map(ToString::to_string).collect();
                        format!("day {}", days.join(", "))
                    }
                };
                format!("{} ({days}, {} for {})", e.name, e.start, format_duration(e.length))
            })
            .collect();
        sections.push(("[[events]]", events.join("; ")));
    }
    let hours: Vec<String> = (scenario.call_types.iter())
        .filter_map(|c| {
            let open = c.open.as_ref()?;
            Some(match open.hours() {
                Hours::Daily(_) => format!("{} {open}", c.name),
                // A week's hours hold commas of their own.
                Hours::Weekly(_) => format!("{} ({open})", c.name),
            })
        })
        .collect();
    if !hours.is_empty() {
        let others = if hours.len() < scenario.call_types.len() { "; the others at any hour" } else { "" };
        sections.push(("open hours", format!("{}{others}", hours.join(", "))));
    }
    let mut channels = Vec::new();
    for channel in [Channel::Chat, Channel::Email] {
        let names: Vec<String> = (scenario.call_types.iter().filter(|c| c.channel == channel))
            .map(|c| match c.initial_backlog {
                0 => c.name.clone(),
                n => format!("{} ({n} waiting at the start)", c.name),
            })
            .collect();
        if !names.is_empty() {
            channels.push(format!("{}: {}", channel.name(), names.join(", ")));
        }
    }
    let holds: Vec<String> = (scenario.agent_groups.iter())
        .filter_map(|g| Some(format!("{} {}", g.name, g.chat.as_ref()?.max())))
        .collect();
    if !holds.is_empty() {
        channels.push(format!("chats an agent holds at once: {}", holds.join(", ")));
    }
    if !channels.is_empty() {
        sections.push(("channels", channels.join("; ")));
    }
    let callbacks: Vec<String> = (scenario.call_types.iter().enumerate())
        .filter_map(|(ct, c)| {
            let offer = scenario.callbacks.offer(ct)?;
            Some(format!(
                "{} over {} expected wait, {}% accept",
                c.name,
                format_duration(offer.offer_when_wait_over),
                // To a tenth of a percent: 0.07 x 100 is 7.000000000000001 in floating point.
                (1000.0 * offer.accept).round() / 10.0
            ))
        })
        .collect();
    if !callbacks.is_empty() {
        sections.push(("callbacks", callbacks.join("; ")));
    }
    // Transfers bring calls on top of a call type's own volumes: a queue reached only by
    // transfers has no calls a day of its own, and is not idle.
    let transfers: Vec<String> = (scenario.call_types.iter())
        .flat_map(|c| {
            c.transfers.iter().map(move |t| {
                format!(
                    "{} to {} {}%",
                    c.name,
                    scenario.call_types[t.to.idx()].name,
                    (1000.0 * t.probability).round() / 10.0
                )
            })
        })
        .collect();
    if !transfers.is_empty() {
        sections.push(("transfers", format!("{} of answered calls", transfers.join(", "))));
    }
    let telephony = &scenario.telephony;
    let own = telephony.call_types.iter().filter(|c| c.lines.is_some()).count();
    if telephony.shared_lines.is_some() || own > 0 {
        let mut parts = Vec::new();
        if let Some(total) = telephony.shared_lines {
            parts.push(format!("{total} shared"));
        }
        if own > 0 {
            parts.push(format!("{own} call type(s) with lines of their own"));
        }
        if !telephony.outages.is_empty() {
            parts.push(format!("{} outage window(s)", telephony.outages.len()));
        }
        sections.push(("[lines]", parts.join(", ")));
    }
    sections
}

/// A warning for an event that asks more agents of a shift group off the phones than are on
/// shift (and not on a break) at its start on some of its days: the engine pulls those, and
/// agents who log in later in the window are not pulled (docs/risk.md), whereas a staffing
/// vector is lowered throughout. An all-day event from 00:00 would otherwise pull nobody
/// from a day shift without a word.
fn event_pull_warnings(scenario: &Scenario, sink: &mut impl Sink) {
    let grid = &scenario.grid;
    for (e, event) in scenario.events.iter().enumerate() {
        for (g, &asked) in event.agents_unavailable.iter().enumerate() {
            let shifts: Vec<&crate::model::Shift> =
                scenario.plan.shifts.iter().filter(|s| s.group.idx() == g).collect();
            if asked == 0 || shifts.is_empty() {
                continue;
            }
            let short: Vec<(usize, u32)> = event
                .windows(grid)
                .into_iter()
                .filter_map(|(day, open, _)| {
                    let on_shift: u32 = shifts
                        .iter()
                        .map(|s| {
                            let at_open = |log_in: f64| {
                                log_in <= open
                                    && open < log_in + s.length
                                    && !s.breaks.iter().any(|b| {
                                        let at = log_in + b.offset;
                                        at <= open && open < at + b.length
                                    })
                            };
                            s.log_ins(grid).filter(|&t| at_open(t)).count() as u32 * s.agents
                        })
                        .sum();
                    (on_shift < asked).then_some((day, on_shift))
                })
                .collect();
            let Some(&(_, fewest)) = short.iter().min_by_key(|(_, n)| *n) else { continue };
            let group = &scenario.agent_groups[g].name;
            let days: Vec<String> = short.iter().map(|(d, _)| d.to_string()).collect();
            let path = FieldPath::root().key("events").named(e, Some(&event.name)).key("agents_unavailable");
            sink.warn(
                &path,
                format!(
                    "asks for {asked} agent(s) of \"{group}\" off the phones, but as few as {fewest} are on shift \
                     at {} on day(s) {}: only those are pulled, not agents who log in later in the window \
                     (start the event when the shifts are on, or see docs/risk.md)",
                    event.start,
                    days.join(", ")
                ),
            );
        }
    }
}

/// A warning for each group that takes contacts but has no shift template, where other groups
/// have one: `schedule` could staff none of it, and a template left out reads as an oversight
/// (without any template, `schedule` refuses the scenario and says so itself). A group staffed
/// by a `staffing` vector is left alone: its headcount is set per interval, not by shifts.
fn template_warnings(scenario: &Scenario, sink: &mut impl Sink) {
    if scenario.shift_templates.is_empty() {
        return;
    }
    for (g, group) in scenario.agent_groups.iter().enumerate() {
        let templated = scenario.shift_templates.iter().any(|t| t.group.idx() == g);
        let vector = scenario.plan.staffing.iter().any(|s| s.group.idx() == g);
        if group.skills.is_empty() || templated || vector {
            continue;
        }
        let path = FieldPath::root().key("agent_groups").named(g, Some(&group.name));
        sink.warn(
            &path,
            format!(
                "group \"{0}\" has no [[shift_templates]] while other groups have: `ccsim schedule` \
                 cannot staff it and lists its demand as uncovered; add one with group = \"{0}\"",
                group.name
            ),
        );
    }
}

/// Warnings for call types with calls in intervals where no group that takes them has an agent
/// on duty, for groups with skills that never work, for groups on duty while every call type
/// they take is closed, for groups without a shift template beside groups with one, and for
/// events that pull fewer agents than they ask for.
pub fn coverage_warnings(scenario: &Scenario, sink: &mut impl Sink) {
    event_pull_warnings(scenario, sink);
    template_warnings(scenario, sink);
    let grid = &scenario.grid;
    // A scenario of demand only, to be staffed or scheduled: one warning, not one a group and a
    // call type, and none of it wrong for `staff` and `schedule`, which ignore the scenario's agents.
    let no_plan = scenario.plan.shifts.is_empty() && scenario.plan.staffing.is_empty();
    if no_plan {
        sink.warn(
            &FieldPath::root().key("shifts"),
            "the scenario has no agents (no [[shifts]], and no group has `staffing`): `simulate`, \
             `compare`, `risk` and `sweep` run it with no one on duty, unless given a --plan; \
             `staff` and `schedule` work out the agents it needs"
                .to_string(),
        );
        return;
    }
    let on_duty = scenario.plan.on_duty(grid, scenario.agent_groups.len());
    for (g, group) in scenario.agent_groups.iter().enumerate() {
        if !group.skills.is_empty() && on_duty[g].iter().all(|&a| a <= 0.0) {
            let path = FieldPath::root().key("agent_groups").named(g, Some(&group.name));
            sink.warn(
                &path,
                format!("group \"{}\" has skills but no agents on duty in any interval", group.name),
            );
        }
    }
    // Agents on duty while every call type their group takes is closed have nothing to do.
    for (g, group) in scenario.agent_groups.iter().enumerate() {
        let types = || group.skills.iter().map(|s| &scenario.call_types[s.call_type.idx()]);
        if group.skills.is_empty() || types().any(|c| c.open.is_none()) {
            continue;
        }
        let idle: Vec<usize> = (0..grid.len())
            .filter(|&idx| on_duty[g][idx] > 1e-9 && types().all(|c| !c.is_open(idx)))
            .collect();
        if idle.is_empty() {
            continue;
        }
        let path = FieldPath::root().key("agent_groups").named(g, Some(&group.name));
        sink.warn(
            &path,
            format!(
                "group \"{}\" has agents on duty in {} interval(s) when every call type it takes is \
                 closed: {}",
                group.name,
                idle.len(),
                ranges(grid, &idle)
            ),
        );
    }
    for (ct, call_type) in scenario.call_types.iter().enumerate() {
        let takes = |group: &crate::model::AgentGroup| group.skills.iter().any(|s| s.call_type.idx() == ct);
        // An email waits for the next agent who takes it (a night's emails for the morning):
        // it is left unworked only when no such agent is ever on duty.
        if call_type.channel == crate::model::Channel::Email
            && (scenario.agent_groups.iter().enumerate())
                .any(|(g, group)| takes(group) && on_duty[g].iter().any(|&a| a > 1e-9))
        {
            continue;
        }
        let uncovered: Vec<usize> = (0..grid.len())
            .filter(|&idx| call_type.volumes[idx] > 0.0)
            .filter(|&idx| {
                scenario.agent_groups.iter().enumerate().all(|(g, group)| {
                    !group.skills.iter().any(|s| s.call_type.idx() == ct) || on_duty[g][idx] <= 1e-9
                })
            })
            .collect();
        if uncovered.is_empty() {
            continue;
        }
        let calls: f64 = uncovered.iter().map(|&i| call_type.volumes[i]).sum();
        let path = FieldPath::root().key("call_types").named(ct, Some(&call_type.name));
        sink.warn(
            &path,
            format!(
                "{calls:.0} calls arrive in {} interval(s) with no agent on duty who takes them: {}",
                uncovered.len(),
                ranges(grid, &uncovered)
            ),
        );
    }
}

/// `day 1 08:00–09:00, 19:30–20:00` for a sorted list of intervals (at most five ranges).
fn ranges(grid: &IntervalGrid, idx: &[usize]) -> String {
    let mut parts: Vec<(usize, usize)> = Vec::new();
    for &i in idx {
        match parts.last_mut() {
            Some((_, end)) if *end + 1 == i && grid.day_of(i) == grid.day_of(*end) => *end = i,
            _ => parts.push((i, i)),
        }
    }
    let shown: Vec<String> = parts
        .iter()
        .take(5)
        .map(|&(a, b)| {
            let end = crate::time::ClockTime::from_secs(grid.end_of(b));
            format!("{}–{end}", grid.label(a))
        })
        .collect();
    let more = if parts.len() > 5 { format!(" and {} more", parts.len() - 5) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}
