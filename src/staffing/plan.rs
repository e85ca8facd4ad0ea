//! One staffing run ([`plan_with_risk`]): the analytic requirements, the simulation search
//! (again without transfers and without redials and repeats for `all`, and raised to a risk
//! share with `--risk`), and the waterfall of agent-hours that explains how far each method
//! is from the last.

use super::report::{
    Achieved, AchievedEmailDay, AgentHours, EmailOpenAtEnd, GroupInterval, GroupRequirement,
    IntervalRequirement, LinesBind, PlanOnDuty, SimulationRequirement, Staffing, StaffingReport, VoiceGoals,
    WaterfallStep,
};
use super::{
    AnalyticRequirement, Features, Method, agent_hours, channels, check_goals, check_loads, per_call_type,
    pooled, search, search_with, without,
};
use crate::error::BadInput;
use crate::model::Scenario;
use crate::replicate::Options;

/// Each email type's emails open at the end of the run's last day, over `reps`.
fn email_open_at_end(scenario: &Scenario, reps: &[crate::replicate::Replication]) -> Vec<EmailOpenAtEnd> {
    let n_days = scenario.grid.days();
    (crate::replicate::backlog::email_types(scenario).into_iter().enumerate())
        .map(|(k, ct)| {
            let mut open = crate::stats::Tally::default();
            for days in reps.iter().filter_map(|r| r.backlog.as_ref()).map(|b| &b.days) {
                if let Some(last) = days.get((k + 1) * n_days - 1) {
                    open.add(last.backlog_end);
                }
            }
            EmailOpenAtEnd {
                call_type: scenario.call_types[ct].name.clone(),
                open: open.estimate(crate::stats::CONFIDENCE),
            }
        })
        .collect()
}

fn group_rows(scenario: &Scenario, rows: &[Vec<u32>]) -> Vec<GroupRequirement> {
    let grid = &scenario.grid;
    let shrinkage = scenario.staffing.shrinkage;
    scenario
        .agent_groups
        .iter()
        .zip(rows)
        .map(|(group, row)| GroupRequirement {
            name: group.name.clone(),
            intervals: row
                .iter()
                .enumerate()
                .map(|(idx, &agents)| GroupInterval {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    agents,
                    scheduled: crate::erlang::scheduled_agents(agents, shrinkage).unwrap_or(agents),
                })
                .collect(),
        })
        .collect()
}

/// Scheduled agent-hours of a requirement: each count after shrinkage.
fn scheduled_hours(scenario: &Scenario, rows: &[Vec<u32>]) -> f64 {
    let shrinkage = scenario.staffing.shrinkage;
    let scheduled: Vec<Vec<u32>> = rows
        .iter()
        .map(|r| r.iter().map(|&a| crate::erlang::scheduled_agents(a, shrinkage).unwrap_or(a)).collect())
        .collect();
    agent_hours(scenario, &scheduled)
}

fn step(step: &str, label: &str, agent_hours: f64, total: bool) -> WaterfallStep {
    WaterfallStep {
        step: step.into(),
        label: label.into(),
        agent_hours,
        kind: if total { "total" } else { "change" }.into(),
    }
}

/// What the risk step of the waterfall pays for: the chance a day's random calls fall worse
/// than the average day, always, and the bad days the scenario models on top. A scenario
/// without `[uncertainty]` or `[[events]]` still needs it, and its label says so rather than
/// naming a forecast error it does not have.
fn day_to_day_causes(scenario: &Scenario) -> String {
    let mut causes = vec!["day-to-day variation"];
    if let Some(u) = scenario.uncertainty.as_ref() {
        let volume = match &u.volume_cv {
            crate::uncertainty::VolumeCv::Shared(cv) => *cv > 0.0,
            crate::uncertainty::VolumeCv::PerCallType(cvs) => cvs.iter().any(|&cv| cv > 0.0),
        };
        if volume {
            causes.push("forecast error");
        }
        if u.absence > 0.0 {
            causes.push("absence");
        }
        if u.handle_time_cv_shift > 0.0 {
            causes.push("handle-time drift");
        }
    }
    if !scenario.events.is_empty() {
        causes.push("events");
    }
    match causes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => causes.join(""),
    }
}

/// [`plan`], and with `risk = Some(p)` (methods `simulation` and `all`) the staffing that meets
/// the goal in at least a share `p` of replications in every interval with calls, over the
/// scenario's `[uncertainty]` and `[[events]]`: the mean-based requirement raised until it
/// does (one more search, after which `progress` is called). The waterfall gets its
/// `forecast_error_absence` step, and each interval an `erlang_c_risk` rule of thumb.
///
/// # Errors
/// As [`plan`].
///
/// [`plan`]: fn@crate::staffing::plan
pub fn plan_with_risk(
    scenario: &Scenario,
    method: Method,
    options: &Options,
    risk: Option<f64>,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Staffing> {
    check_loads(scenario)?;
    check_goals(scenario)?;
    let grid = &scenario.grid;
    let hours = grid.length() / 3600.0;
    let analytic = per_call_type(scenario);
    let erlang_c_hours: f64 = analytic.iter().map(|r| f64::from(r.erlang_c.unwrap_or(0)) * hours).sum();
    let erlang_a_hours: f64 =
        analytic.iter().map(|r| f64::from(r.erlang_a.or(r.erlang_c).unwrap_or(0)) * hours).sum();
    let abandonment = method != Method::ErlangC;
    let analytic_rows = pooled(scenario, abandonment);

    let mut waterfall =
        vec![step("erlang_c", "Erlang C per call type (fresh calls, nobody abandons)", erlang_c_hours, true)];
    if abandonment {
        waterfall.push(step(
            "abandonment",
            "abandonment (Erlang A where callers have patience)",
            erlang_a_hours - erlang_c_hours,
            false,
        ));
    }
    // Where the analytic steps leave off: Erlang A, unless the method ignores abandonment;
    // then each channel's own analytic figure in place of counting its contacts as calls.
    let analytic_hours = if abandonment { erlang_a_hours } else { erlang_c_hours }
        + channel_steps(scenario, &analytic, abandonment, &mut waterfall);
    let mut simulation = None;
    let requirement = if matches!(method, Method::Simulation | Method::All) {
        crate::limits::check_result_records(options.replications, grid.len(), scenario.call_types.len())
            .map_err(|m| BadInput(format!("--replications (or [simulation] replications): {m}")))?;
        // The search starts from the closest analytic figure (Erlang A where callers have
        // patience): a start below the need costs one simulation per raise, one above it two
        // per reduction.
        let initial = pooled(scenario, true);
        let full = search(scenario, initial.clone(), options)?;
        progress();
        let full_hours = agent_hours(scenario, &full.agents);
        let has_recalls = scenario.call_types.iter().any(|c| c.redial.is_some() || c.repeat.is_some());
        let has_transfers = scenario.call_types.iter().any(|c| !c.transfers.is_empty());
        // Where the lines bind, the formulas (which know no lines) staff past them, and the
        // search's difference from them is the lines' doing more than anything else.
        let lines_bind = !full.lines_bind.is_empty();
        if method == Method::All {
            let hours_without = |features: Features| -> anyhow::Result<f64> {
                let s = without(scenario, features);
                let r = search(&s, initial.clone(), options)?;
                progress();
                Ok(agent_hours(&s, &r.agents))
            };
            let with_recalls = if has_transfers {
                hours_without(Features { recalls: true, transfers: false })?
            } else {
                full_hours
            };
            let base = if has_recalls {
                hours_without(Features { recalls: false, transfers: false })?
            } else {
                with_recalls
            };
            waterfall.push(step(
                "carry_over_skills_distributions",
                if lines_bind {
                    "telephone lines that bind, queues across intervals, shared skills, shapes"
                } else {
                    "queues across intervals, shared skills, handle-time and patience shapes"
                },
                base - analytic_hours,
                false,
            ));
            waterfall.push(step("redials_repeats", "redials and repeat calls", with_recalls - base, false));
            waterfall.push(step(
                "transfers",
                "transfers between call types",
                full_hours - with_recalls,
                false,
            ));
        } else {
            waterfall.push(step(
                "simulation_effects",
                if lines_bind {
                    "everything the formulas leave out, telephone lines that bind included"
                } else {
                    "everything the formulas leave out (carry-over, skills, shapes, redials, repeats, transfers)"
                },
                full_hours - analytic_hours,
                false,
            ));
        }
        waterfall.push(step("simulation", "simulation requirement", full_hours, true));
        let full = match risk {
            None => full,
            Some(p) => {
                let raised = search_with(scenario, full.agents.clone(), options, Some(p))?;
                progress();
                let met_on = format!(
                    "goal met on {} of {}",
                    crate::report::percent(p),
                    crate::report::replication_noun(grid.days(), true)
                );
                let raised_hours = agent_hours(scenario, &raised.agents);
                waterfall.push(step(
                    "forecast_error_absence",
                    &day_to_day_causes(scenario),
                    raised_hours - full_hours,
                    false,
                ));
                // The figure the table's columns and `agent_hours.simulation` give.
                let label = format!("simulation requirement, {met_on}");
                waterfall.push(step("simulation_at_risk", &label, raised_hours, true));
                raised
            }
        };
        let n_types = scenario.call_types.len();
        let mut achieved = Vec::with_capacity(grid.len() * n_types);
        for idx in 0..grid.len() {
            for (ct, call_type) in scenario.call_types.iter().enumerate() {
                let k = idx * n_types + ct;
                let samples: Vec<f64> =
                    full.replications.iter().map(|r| r.intervals[k].stats.service_level).collect();
                achieved.push(Achieved {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    call_type: call_type.name.clone(),
                    service_level: crate::replicate::cell_rates(&full.replications, k).service_level,
                    p_meet_goal: risk.map(|_| {
                        crate::risk::risk_of(&samples, scenario.goal_for(call_type.channel).goal).p_meet_goal
                    }),
                });
            }
        }
        let reps = &full.replications;
        let email_days: Vec<AchievedEmailDay> = (scenario.call_types.iter().enumerate())
            .filter(|(_, c)| c.channel == crate::model::Channel::Email)
            .flat_map(|(ct, c)| {
                (0..grid.days()).filter_map(move |day| {
                    let service_level = channels::day_rate(scenario, reps, ct, day);
                    service_level.mean.is_finite().then(|| AchievedEmailDay {
                        day: day + 1,
                        call_type: c.name.clone(),
                        service_level,
                    })
                })
            })
            .collect();
        simulation = Some(SimulationRequirement {
            replications: options.replications,
            seed: options.seed,
            iterations: full.iterations,
            converged: full.converged,
            shortfall: full.shortfall,
            risk,
            groups: group_rows(scenario, &full.agents),
            achieved,
            email_goal: (!email_days.is_empty()).then(|| scenario.goal_for(crate::model::Channel::Email)),
            email_days,
            email_open_at_end: email_open_at_end(scenario, reps),
            lines_bind: (full.lines_bind.iter())
                .map(|&(g, idx, lines)| LinesBind {
                    day: grid.day_of(idx),
                    start: grid.clock_of(idx).to_string(),
                    group: scenario.agent_groups[g].name.clone(),
                    lines,
                })
                .collect(),
        });
        full.agents
    } else {
        analytic_rows.clone()
    };
    let base_hours = agent_hours(scenario, &requirement);
    let scheduled = scheduled_hours(scenario, &requirement);
    if simulation.is_none() {
        // The analytic requirement per group pools call types; show that effect too.
        waterfall.push(step(
            "pooling",
            "call types answered by the same group share agents",
            base_hours - analytic_hours,
            false,
        ));
    }
    // Each group schedules whole agents: the step holds the rounding up as well as the shrinkage.
    waterfall.push(step(
        "shrinkage",
        "shrinkage (paid time not on calls), rounded up to whole agents per group",
        scheduled - base_hours,
        false,
    ));
    waterfall.push(step("scheduled", "agent-hours to schedule", scheduled, true));

    let rule_of_thumb = risk.map(|p| rule_of_thumb(scenario, p));
    let on_duty = scenario.plan.on_duty(grid, scenario.agent_groups.len());
    let plan_agents = (0..grid.len()).map(|idx| on_duty.iter().map(|g| g[idx]).sum()).collect();
    let report = StaffingReport {
        scenario: scenario.name.clone(),
        method,
        service_level: scenario.goal(),
        shrinkage: scenario.staffing.shrinkage,
        grid: crate::summary::GridInfo::of(grid),
        intervals: analytic
            .iter()
            .enumerate()
            .map(|(k, r)| IntervalRequirement {
                day: grid.day_of(r.interval),
                start: grid.clock_of(r.interval).to_string(),
                call_type: scenario.call_types[r.call_type.idx()].name.clone(),
                load_erlangs: r.load,
                erlang_c: r.erlang_c,
                erlang_a: r.erlang_a,
                erlang_c_risk: rule_of_thumb.as_ref().and_then(|v| v[k]),
                erlang_c_chat: r.erlang_c_chat,
                chat_exact: None,
                email_workload_agents: r.email_workload,
            })
            .collect(),
        analytic_groups: group_rows(scenario, &analytic_rows),
        simulation,
        agent_hours: AgentHours {
            erlang_c: erlang_c_hours,
            erlang_a: erlang_a_hours,
            simulation: matches!(method, Method::Simulation | Method::All).then_some(base_hours),
            scheduled,
        },
        waterfall,
        plan: PlanOnDuty { name: scenario.plan.name.clone(), agents: plan_agents },
        channel_goals: scenario.several_channel_goals(),
        voice_goals: VoiceGoals::of(scenario),
        chat_exact_past_limit: Vec::new(),
    };
    Ok(Staffing { report, requirement })
}

/// The waterfall steps of the channels the scenario has, pushed onto `waterfall`; returns the
/// agent-hours they add. `chat_concurrency`: the chat estimate in place of the chats counted
/// as calls (Erlang A where they have patience and `abandonment`, else Erlang C);
/// `email_workload`: the email workload, which the call-type steps count as nothing.
fn channel_steps(
    scenario: &Scenario,
    analytic: &[AnalyticRequirement],
    abandonment: bool,
    waterfall: &mut Vec<WaterfallStep>,
) -> f64 {
    use crate::model::Channel;
    let hours = scenario.grid.length() / 3600.0;
    let of = |channel: Channel| {
        analytic.iter().filter(move |r| scenario.call_types[r.call_type.idx()].channel == channel)
    };
    let mut added = 0.0;
    if of(Channel::Chat).next().is_some() {
        let as_calls: f64 = of(Channel::Chat)
            .map(|r| f64::from(if abandonment { r.erlang_a.or(r.erlang_c) } else { r.erlang_c }.unwrap_or(0)))
            .sum();
        let estimate: f64 = of(Channel::Chat).map(|r| f64::from(r.erlang_c_chat.unwrap_or(0))).sum();
        let change = (estimate - as_calls) * hours;
        waterfall.push(step(
            "chat_concurrency",
            "chat: several chats per agent (chat estimate, an approximation)",
            change,
            false,
        ));
        added += change;
    }
    if of(Channel::Email).next().is_some() {
        let workload: f64 = of(Channel::Email).map(|r| r.email_workload.unwrap_or(0.0)).sum::<f64>() * hours;
        waterfall.push(step("email_workload", "email: workload (hours of email work)", workload, false));
        added += workload;
    }
    added
}

/// Erlang C per interval and call type (in the order of [`per_call_type`]) on the volume's
/// `p`-quantile under the scenario's forecast error (gamma, mean 1, its call type's
/// `volume_cv`), divided by `1 - absence`: the usual rule of thumb for staffing against
/// forecast error, shown beside the simulation.
fn rule_of_thumb(scenario: &Scenario, p: f64) -> Vec<Option<u32>> {
    let u = scenario.uncertainty.as_ref();
    let mut quantile = scenario.clone();
    for (ct, c) in quantile.call_types.iter_mut().enumerate() {
        let q = crate::uncertainty::factor_quantile(u.map_or(0.0, |u| u.volume_cv_of(ct)), p);
        c.volumes.iter_mut().for_each(|v| *v *= q);
    }
    let present = 1.0 - u.map_or(0.0, |u| u.absence);
    per_call_type(&quantile)
        .iter()
        .map(|r| r.erlang_c.map(|a| (f64::from(a) / present - 1e-9).ceil() as u32))
        .collect()
}
