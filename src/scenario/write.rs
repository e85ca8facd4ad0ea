//! The model back into files: a scenario (`to_toml`) and a plan (`plan_to_toml`) that load
//! again to the same model.
//!
//! The model becomes the raw file types of `source`, which serde turns into a TOML table; the
//! layout here only decides what is a `[section]`, what is a `[[list]]` and what stays inline,
//! so a written file reads like a hand-written one. Lists that repeat every day are written
//! once, for one day.

use toml::{Table, Value};

use super::source::*;
use crate::dist::{Dist, DistKind};
use crate::model::*;
use crate::time::{ClockTime, DAY, IntervalGrid, format_duration, weekday_run_name};

/// The scenario as a TOML scenario file that loads back to an equal model.
pub fn to_toml(scenario: &Scenario) -> String {
    let grid = &scenario.grid;
    let names: Vec<&str> = scenario.call_types.iter().map(|c| c.name.as_str()).collect();
    let per_day_lists = scenario.call_types.iter().all(|c| repeats_daily(&c.volumes, grid));
    let goals = &scenario.staffing;
    let raw = ScenarioFile {
        name: Some(scenario.name.clone()),
        start: grid.start().to_string(),
        interval: Some(duration(grid.length())),
        days: (grid.days() > 1).then_some(grid.days() as u32),
        intervals_per_day: (grid.days() > 1 && !per_day_lists).then_some(grid.per_day() as u32),
        first_weekday: scenario.grid.first_weekday().map(|d| crate::time::WEEKDAY_NAMES[d].to_lowercase()),
        service_level: ServiceLevelFile {
            target: Some(duration(scenario.service_level.target)),
            goal: Some(scenario.service_level.goal),
            definition: Some(scenario.service_level.definition),
            max_occupancy: goals.max_occupancy,
            max_abandon: goals.max_abandon,
            asa_goal: goals.asa_goal.map(duration),
            callbacks_count_as: (scenario.callbacks.any()
                || scenario.callbacks.count_as != crate::callback::CallbacksCountAs::default())
            .then_some(scenario.callbacks.count_as),
            chat: scenario.channel_goals.chat.map(channel_goal),
            email: scenario.channel_goals.email.map(channel_goal),
        },
        simulation: Some(SimulationFile {
            replications: Some(scenario.simulation.replications),
            seed: Some(scenario.simulation.seed),
        }),
        staffing: (goals.shrinkage != 0.0 || goals.max_headcount.is_some()).then(|| StaffingFile {
            shrinkage: (goals.shrinkage != 0.0).then_some(goals.shrinkage),
            max_headcount: goals.max_headcount,
        }),
        call_types: scenario
            .call_types
            .iter()
            .enumerate()
            .map(|(ct, c)| CallTypeFile {
                name: c.name.clone(),
                channel: (c.channel != Channel::Voice).then_some(c.channel),
                initial_backlog: (c.initial_backlog > 0).then_some(c.initial_backlog),
                volumes: Some(
                    (if per_day_lists { &c.volumes[..grid.per_day()] } else { &c.volumes[..] })
                        .iter()
                        .map(|&v| Some(v))
                        .collect(),
                ),
                volumes_file: None,
                volumes_column: None,
                open: c.open.as_ref().map(open_file),
                handle_time: Some(dist(&c.handle_time)),
                patience: c.patience.as_ref().map(dist),
                redial: c.redial.as_ref().map(recall),
                repeat: c.repeat.as_ref().map(recall),
                transfers: c
                    .transfers
                    .iter()
                    .map(|t| {
                        Some(TransferFile { to: names[t.to.idx()].to_string(), probability: t.probability })
                    })
                    .collect(),
                priority: (c.priority != 0).then_some(c.priority),
                lines: scenario.telephony.call_type(ct).lines,
                redial_after_blocked: scenario
                    .telephony
                    .call_type(ct)
                    .redial_after_blocked
                    .as_ref()
                    .map(recall),
                callback: scenario.callbacks.offer(ct).map(|o| CallbackFile {
                    offer_when_wait_over: Some(duration(o.offer_when_wait_over)),
                    accept: Some(o.accept),
                    answer: Some(o.answer),
                    retries: Some(o.retries),
                    retry_after: Some(duration(o.retry_after)),
                    dial_time: Some(duration(o.dial_time)),
                }),
            })
            .collect(),
        agent_groups: scenario
            .agent_groups
            .iter()
            .enumerate()
            .map(|(g, group)| AgentGroupFile {
                name: group.name.clone(),
                skills: group
                    .skills
                    .iter()
                    .map(|s| {
                        let name = names[s.call_type.idx()].to_string();
                        Some(if s.after == 0.0 {
                            SkillFile::Name(name)
                        } else {
                            SkillFile::Overflow { call_type: name, after: duration(s.after) }
                        })
                    })
                    .collect(),
                handle_time_factor: (group.handle_time_factor != 1.0).then_some(group.handle_time_factor),
                max_concurrency: group.chat.as_ref().map(ChatConcurrency::max),
                concurrency_factors: group
                    .chat
                    .as_ref()
                    .filter(|c| !c.is_linear())
                    .map(|c| c.factors().iter().copied().map(Some).collect()),
                staffing: scenario
                    .plan
                    .staffing
                    .iter()
                    .find(|s| s.group.idx() == g)
                    .map(|s| compress(&s.agents, grid, per_day_lists).into_iter().map(Some).collect()),
            })
            .collect(),
        shifts: scenario.plan.shifts.iter().map(|s| Some(shift(s, scenario))).collect(),
        shift_templates: scenario.shift_templates.iter().map(|t| Some(template(t, scenario))).collect(),
        lines: scenario.telephony.shared_lines.map(|total| LinesFile { total }),
        lines_outages: scenario
            .telephony
            .outages
            .iter()
            .map(|o| {
                Some(LinesOutageFile {
                    start: o.start.to_string(),
                    end: ClockTime::from_secs(o.start.secs() + o.length).to_string(),
                    days: o
                        .days
                        .as_ref()
                        .map(|d| d.iter().map(|&x| Some(DayFile::Number(x as u32))).collect()),
                    lines: o.lines,
                    call_type: o.call_type.map(|ct| names[ct.idx()].to_string()),
                })
            })
            .collect(),
        uncertainty: scenario.uncertainty.as_ref().map(|u| super::bad_days::uncertainty_file(u, &names)),
        events: scenario
            .events
            .iter()
            .map(|e| {
                let groups: Vec<&str> = scenario.agent_groups.iter().map(|g| g.name.as_str()).collect();
                Some(super::bad_days::event_file(e, &names, &groups))
            })
            .collect(),
    };
    layout(&raw, "")
}

fn channel_goal(goal: ServiceLevelGoal) -> ChannelServiceLevelFile {
    ChannelServiceLevelFile {
        target: Some(duration(goal.target)),
        goal: Some(goal.goal),
        definition: Some(goal.definition),
    }
}

/// A plan file (`[[shifts]]` with breaks and days, `[[staffing]]` vectors) that loads back
/// with `--plan` against `scenario`.
pub fn plan_to_toml(plan: &ShiftPlan, scenario: &Scenario) -> String {
    plan_file(plan, scenario, "")
}

/// [`plan_to_toml`] for a plan that counts every agent paid, shrinkage included (`schedule`'s):
/// its header names `--apply-shrinkage` where the scenario has shrinkage, without which every
/// paid agent would take calls and the plan would read better than it is.
pub fn paid_plan_to_toml(plan: &ShiftPlan, scenario: &Scenario) -> String {
    let flags = if scenario.staffing.shrinkage > 0.0 { " --apply-shrinkage" } else { "" };
    plan_file(plan, scenario, flags)
}

fn plan_file(plan: &ShiftPlan, scenario: &Scenario, use_flags: &str) -> String {
    let grid = &scenario.grid;
    let raw = PlanFile {
        shifts: plan.shifts.iter().map(|s| Some(shift(s, scenario))).collect(),
        staffing: plan
            .staffing
            .iter()
            .map(|s| {
                Some(StaffingVectorFile {
                    group: scenario.agent_groups[s.group.idx()].name.clone(),
                    agents: compress(&s.agents, grid, true).into_iter().map(Some).collect(),
                })
            })
            .collect(),
    };
    let header = format!(
        "# Shift plan for \"{}\" ({} intervals of {} from {}{}).\n\
         # Use it with: ccsim simulate {} --plan <this file>{use_flags}\n\n",
        scenario.name,
        grid.per_day(),
        format_duration(grid.length()),
        grid.start(),
        if grid.days() > 1 { format!(", {} days", grid.days()) } else { String::new() },
        scenario.source.display()
    );
    layout(&raw, &header)
}

fn duration(secs: f64) -> Duration {
    Duration::Text(format_duration(secs))
}

fn repeats_daily<T: PartialEq>(values: &[T], grid: &IntervalGrid) -> bool {
    let n = grid.per_day();
    values.len() == grid.len() && values.chunks(n).all(|day| day == &values[..n])
}

/// One day's values when every day is the same (and `allowed`), else all of them.
fn compress(values: &[u32], grid: &IntervalGrid, allowed: bool) -> Vec<u32> {
    if allowed && repeats_daily(values, grid) { values[..grid.per_day()].to_vec() } else { values.to_vec() }
}

fn dist(d: &Dist) -> DistFile {
    match d.kind() {
        DistKind::Exponential { mean } => DistFile::Exponential { mean: duration(*mean) },
        DistKind::Lognormal { mean, cv } => DistFile::Lognormal { mean: duration(*mean), cv: *cv },
        DistKind::Gamma { mean, cv } => DistFile::Gamma { mean: duration(*mean), cv: *cv },
        DistKind::Erlang { mean, k } => DistFile::Erlang { mean: duration(*mean), k: *k },
        DistKind::Deterministic { mean } => DistFile::Deterministic { mean: duration(*mean) },
        DistKind::Uniform { min, max } => DistFile::Uniform { min: duration(*min), max: duration(*max) },
        DistKind::Empirical { values } => DistFile::Empirical {
            values: Some(values.iter().map(|v| Some(Duration::Seconds(*v))).collect()),
            file: None,
            column: None,
        },
    }
}

fn recall(r: &Recall) -> RecallFile {
    RecallFile { probability: r.probability, delay: dist(&r.delay) }
}

fn shift(s: &Shift, scenario: &Scenario) -> ShiftFile {
    // A 24-hour shift ends when it starts, which `end` cannot say, and a shift whose length is
    // not whole minutes ends between two clock times: write its length instead.
    let whole_day = s.length >= DAY || !crate::time::is_whole_minutes(s.length);
    ShiftFile {
        group: Some(scenario.agent_groups[s.group.idx()].name.clone()),
        start: Some(s.start.to_string()),
        end: (!whole_day).then(|| s.end().to_string()),
        length: whole_day.then(|| duration(s.length)),
        agents: s.agents,
        breaks: s
            .breaks
            .iter()
            .map(|b| {
                Some(BreakFile {
                    start: ClockTime::from_secs(s.start.secs() + b.offset).to_string(),
                    length: duration(b.length),
                })
            })
            .collect(),
        days: s.days.as_ref().map(|d| d.iter().map(|&x| Some(DayFile::Number(x as u32))).collect()),
    }
}

fn template(t: &ShiftTemplate, scenario: &Scenario) -> ShiftTemplateFile {
    ShiftTemplateFile {
        group: Some(scenario.agent_groups[t.group.idx()].name.clone()),
        earliest_start: Some(t.earliest_start.to_string()),
        latest_start: Some(t.latest_start.to_string()),
        step: Some(duration(t.step)),
        lengths: Some(t.lengths.iter().map(|&l| Some(duration(l))).collect()),
        breaks: t
            .breaks
            .iter()
            .map(|b| {
                Some(BreakRuleFile {
                    length: duration(b.length),
                    earliest: duration(b.earliest),
                    latest: duration(b.latest),
                })
            })
            .collect(),
        cost_per_hour: Some(t.cost_per_hour),
        max_agents: t.max_agents,
    }
}

/// Top-level values inline, then `[tables]`, then `[[lists of tables]]` with inline values.
fn layout(raw: &impl serde::Serialize, header: &str) -> String {
    let table = Table::try_from(raw).expect("the file types always serialise to a TOML table");
    let mut out = header.to_string();
    let is_table_list =
        |v: &Value| v.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_table));
    for (key, value) in &table {
        if !value.is_table() && !is_table_list(value) {
            out += &format!("{key} = {value}\n");
        }
    }
    for (key, value) in &table {
        if let Some(t) = value.as_table() {
            out += &format!("\n[{key}]\n");
            for (k, v) in t {
                out += &format!("{k} = {v}\n");
            }
        }
    }
    for (key, value) in &table {
        if !is_table_list(value) {
            continue;
        }
        for item in value.as_array().into_iter().flatten() {
            out += &format!("\n[[{key}]]\n");
            for (k, v) in item.as_table().into_iter().flatten() {
                out += &format!("{k} = {v}\n");
            }
        }
    }
    out
}

/// Opening hours as the file states them; by weekday, each run of days with the same hours
/// under one key (`mon-fri`), closed days left out.
fn open_file(open: &OpenHours) -> OpenFile {
    match open.hours() {
        Hours::Daily(day) => OpenFile::Daily(day.to_string()),
        Hours::Weekly(_) => OpenFile::Weekly(
            (open.weekday_runs().into_iter())
                .filter_map(|(first, last, day)| {
                    Some((weekday_run_name(first, last).to_lowercase(), day?.to_string()))
                })
                .collect(),
        ),
    }
}
