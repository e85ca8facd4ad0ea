//! Analytic requirements: Erlang C and Erlang A per call type and interval, and pooled per
//! agent group (the starting point of the simulation search and the requirement file of the
//! analytic methods).
//!
//! Offered load is fresh volume x mean handle time / interval length: what a spreadsheet
//! would use. Redials, repeats and transfers are deliberately left out here; the simulation
//! puts them back, and the waterfall shows what they add.
//!
//! Chat types also get the chat estimate and email types the workload, each against its
//! channel's goal (see [`super::channels`]); voice is computed as it always was.

use super::channels;
use crate::erlang::{self, ChatErlang, Goals, Model, ServiceGoal};
use crate::error::BadInput;
use crate::model::{AgentGroup, CallTypeId, Channel, Scenario, ServiceLevelGoal, SlDefinition};
use crate::time::{Erlangs, Seconds};

/// The analytic requirement of one call type in one interval.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalyticRequirement {
    /// Interval index in the grid.
    pub interval: usize,
    /// The call type.
    pub call_type: CallTypeId,
    /// Offered load of fresh calls, in Erlangs (an email type's initial backlog in the first
    /// interval).
    pub load: Erlangs,
    /// Erlang C required agents (`None`: no count meets the goals).
    pub erlang_c: Option<u32>,
    /// Erlang A required agents, for call types with patience.
    pub erlang_a: Option<u32>,
    /// Chat types: the chat estimate at the primary group's concurrency (`None` for other
    /// channels, or when no count meets the goal).
    pub erlang_c_chat: Option<u32>,
    /// Email types: the workload, agents busy with email on average (`None` for other
    /// channels).
    pub email_workload: Option<f64>,
}

/// The mean handle time of each call type as the formulas see it: the primary group's
/// handle-time factor applied, since that group answers the call.
pub(super) fn handle_times(scenario: &Scenario) -> Vec<Seconds> {
    super::primary_groups(scenario)
        .iter()
        .zip(&scenario.call_types)
        .map(|(g, ct)| {
            ct.handle_time.mean() * g.map_or(1.0, |g| scenario.agent_groups[g.idx()].handle_time_factor)
        })
        .collect()
}

/// Arrivals per second of call type `ct` in `interval`.
pub(super) fn arrival_rate(scenario: &Scenario, interval: usize, ct: usize) -> f64 {
    scenario.call_types[ct].volumes[interval] / scenario.grid.length()
}

/// The offered load of call type `ct` in `interval`, Erlangs, with `handle` from
/// [`handle_times`]: fresh arrivals x mean handle time, and in the first interval the initial
/// backlog's work over the interval, since the engine offers it there.
pub(super) fn offered_load(scenario: &Scenario, handle: &[Seconds], interval: usize, ct: usize) -> Erlangs {
    let call_type = &scenario.call_types[ct];
    let (rate, aht) = (arrival_rate(scenario, interval, ct), handle[ct]);
    let backlog = if interval == 0 { f64::from(call_type.initial_backlog) } else { 0.0 };
    rate * aht + backlog * aht / scenario.grid.length()
}

/// The goals of `channel` as the formulas take them. `with_abandon` adds the abandonment cap,
/// which only Erlang A can judge. The `[staffing]` ASA, abandonment and occupancy caps are
/// voice goals: chat and email are judged on their service level alone.
pub(super) fn goals(scenario: &Scenario, channel: Channel, with_abandon: bool) -> Goals {
    let sl = scenario.goal_for(channel);
    let staffing = &scenario.staffing;
    let voice = channel == Channel::Voice;
    Goals {
        service_level: Some(ServiceGoal { target: sl.target, goal: sl.goal }),
        max_asa: staffing.asa_goal.filter(|_| voice),
        max_abandon: if with_abandon && voice { staffing.max_abandon } else { None },
        max_occupancy: staffing.max_occupancy.filter(|_| voice),
        max_block: None,
    }
}

/// The smallest agent count meeting the scenario's (voice) goals under `model`: see
/// [`required_for`].
pub fn required(scenario: &Scenario, model: &Model, with_abandon: bool) -> Option<u32> {
    required_for(scenario, Channel::Voice, model, with_abandon)
}

/// The smallest agent count meeting `channel`'s goals under `model`, with the service level
/// taken as the channel's goal defines it. The formulas' own search uses service level over
/// offered calls, which is never above service level over answered calls, so its answer is
/// an upper bound for the `answered` definition: walk down while the lower count still meets
/// every goal.
pub fn required_for(scenario: &Scenario, channel: Channel, model: &Model, with_abandon: bool) -> Option<u32> {
    if model.load() <= 0.0 {
        return Some(0);
    }
    let goals = goals(scenario, channel, with_abandon);
    let sl: ServiceLevelGoal = scenario.goal_for(channel);
    let found = erlang::required_agents(model, &goals)?.agents;
    if sl.definition == SlDefinition::Offered {
        return Some(found);
    }
    let target = sl.target;
    let meets = |agents: u32| {
        let p = model.evaluate(agents, target);
        let m = &p.metrics;
        p.stable
            && m.service_level_answered >= sl.goal
            && goals.max_asa.is_none_or(|max| m.asa_s <= max)
            && goals.max_abandon.is_none_or(|max| m.abandon_rate <= max)
            && goals.max_occupancy.is_none_or(|max| p.occupancy <= max)
    };
    let mut agents = found;
    while agents > 1 && meets(agents - 1) {
        agents -= 1;
    }
    Some(agents)
}

/// Checks that every interval's offered load, all call types together (which bounds every
/// group's pooled load), is one the formulas solve: at most [`erlang::MAX_LOAD`] Erlangs.
/// Larger loads would need more agents than any count the searches go to.
///
/// # Errors
/// [`BadInput`] naming the scenario file, the interval and the call type with the most load.
pub fn check_loads(scenario: &Scenario) -> Result<(), BadInput> {
    let handle = handle_times(scenario);
    // Contacts offered in the interval: the forecast, and in the first an email type's initial
    // backlog, which the load of the first interval counts as the engine offers it.
    let offered = |interval: usize, ct: usize| {
        let call_type = &scenario.call_types[ct];
        let backlog = if interval == 0 { f64::from(call_type.initial_backlog) } else { 0.0 };
        call_type.volumes[interval] + backlog
    };
    for interval in 0..scenario.grid.len() {
        let loads = (0..scenario.call_types.len())
            .map(|ct| offered(interval, ct) / scenario.grid.length() * handle[ct]);
        let total: Erlangs = loads.clone().sum();
        if total <= erlang::MAX_LOAD {
            continue;
        }
        let (ct, load) =
            loads.enumerate().fold((0, f64::NEG_INFINITY), |m, (ct, l)| if l > m.1 { (ct, l) } else { m });
        let call_type = &scenario.call_types[ct];
        let field =
            if interval == 0 && call_type.initial_backlog > 0 { "initial_backlog" } else { "volumes" };
        return Err(BadInput(format!(
            "{}: call_types.{}.{field}: the interval starting {} (day {}) offers {total:e} Erlangs \
             ({} contacts x {} s mean handle time / {} s interval = {load:e} Erlangs for this call type); \
             staffing is computed for at most {:e} Erlangs per interval",
            scenario.source.display(),
            call_type.name,
            scenario.grid.clock_of(interval),
            scenario.grid.day_of(interval),
            offered(interval, ct),
            handle[ct],
            scenario.grid.length(),
            erlang::MAX_LOAD,
        )));
    }
    Ok(())
}

/// Checks that every service-level goal staffing is computed against (voice and chat: email is
/// staffed by its workload) is below 1. No formula's service level reaches 1 at any count (a
/// caller always has some chance of waiting past the target), so against a goal of 1 their
/// search would stop wherever rounding first writes 1.0, or find no count and leave the
/// interval at bare stability: either way an answer the goal did not ask for.
///
/// # Errors
/// [`BadInput`] naming the scenario file and the goal's table.
pub fn check_goals(scenario: &Scenario) -> Result<(), BadInput> {
    for channel in scenario.channels() {
        if channel == Channel::Email || scenario.goal_for(channel).goal < 1.0 {
            continue;
        }
        let table = match scenario.channel_goals.own(channel) {
            Some(_) => format!("service_level.{}", channel.name()),
            None => "service_level".to_string(),
        };
        return Err(BadInput(format!(
            "{}: {table}.goal: staffing needs a goal below 1, got 1: no staffing answers every {} \
             within the target (a caller always has some chance of waiting longer), so no agent count \
             meets it; give the share you want met, e.g. 0.99 (`simulate` judges a goal of 1 as given)",
            scenario.source.display(),
            if channel == Channel::Chat { "chat" } else { "call" },
        )));
    }
    Ok(())
}

/// Erlang C and Erlang A requirements of every call type in every interval, in grid order
/// then call-type order.
///
/// Chat types get Erlang C and Erlang A as if every chat were a call (one per agent), beside
/// the chat estimate at their primary group's concurrency; email types get the workload
/// only (no formula judges a backlog of hours: `erlang_c` and `erlang_a` are `None`).
pub fn per_call_type(scenario: &Scenario) -> Vec<AnalyticRequirement> {
    let n_types = scenario.call_types.len();
    let handle = handle_times(scenario);
    let primary = super::primary_groups(scenario);
    let workload = if channels::has_channels(scenario) {
        channels::email_workload(scenario, &handle)
    } else {
        Vec::new()
    };
    let mut rows = Vec::with_capacity(scenario.grid.len() * n_types);
    for interval in 0..scenario.grid.len() {
        for (ct, call_type) in scenario.call_types.iter().enumerate() {
            let (rate, aht) = (arrival_rate(scenario, interval, ct), handle[ct]);
            let channel = call_type.channel;
            let load = offered_load(scenario, &handle, interval, ct);
            let real_time = channel != Channel::Email;
            let erlang_c =
                real_time.then(|| required_for(scenario, channel, &Model::erlang_c(load, aht), false));
            let erlang_a =
                call_type.patience.as_ref().filter(|_| real_time).and_then(|p| {
                    required_for(scenario, channel, &Model::erlang_a(rate, aht, p.mean()), true)
                });
            let erlang_c_chat = match (channel, primary[ct]) {
                (Channel::Chat, Some(g)) => chat_model(&scenario.agent_groups[g.idx()], load, aht)
                    .and_then(|m| required_for(scenario, Channel::Chat, &m, false)),
                _ => None,
            };
            rows.push(AnalyticRequirement {
                interval,
                call_type: CallTypeId(ct as u16),
                load,
                erlang_c: erlang_c.flatten(),
                erlang_a,
                erlang_c_chat,
                email_workload: (channel == Channel::Email)
                    .then(|| workload.get(ct).map_or(0.0, |w| w[interval])),
            });
        }
    }
    rows
}

/// The chat estimate for `group`'s agents (`None` when the group takes no chats).
fn chat_model(group: &AgentGroup, load: f64, aht: f64) -> Option<Model> {
    let chat = group.chat.as_ref()?;
    Some(Model::ErlangCChat(ChatErlang {
        load,
        aht,
        concurrency: chat.max(),
        full_throughput: chat.factors()[chat.factors().len() - 1],
    }))
}

/// Per agent group and interval: the requirement of the pooled load of the call types the
/// group answers first. Pooling is what a multi-skilled group does, so an agent is counted
/// once, not once per call type. With `abandonment`, call types with patience are judged
/// by Erlang A (rate-weighted mean patience) when every pooled call type has patience.
///
/// With channels, each channel is pooled on its own and the agents added up: voice as
/// above, chat by the chat estimate at the group's concurrency, email by its workload
/// (rounded up). An agent never holds a call and chats at once, so voice and chat need
/// their own agents; email fills idle time in truth, so adding it is on the safe side, and
/// the simulation search (which blends) takes back what is not needed.
pub fn pooled(scenario: &Scenario, abandonment: bool) -> Vec<Vec<u32>> {
    let primary = super::primary_groups(scenario);
    let handle = handle_times(scenario);
    let n_groups = scenario.agent_groups.len();
    let has_channels = channels::has_channels(scenario);
    let workload = if has_channels { channels::email_workload(scenario, &handle) } else { Vec::new() };
    let mut rows = vec![vec![0u32; scenario.grid.len()]; n_groups];
    for (g, row) in rows.iter_mut().enumerate() {
        let members: Vec<usize> =
            (0..scenario.call_types.len()).filter(|&ct| primary[ct].map(|p| p.idx()) == Some(g)).collect();
        if members.is_empty() {
            continue;
        }
        let of = |channel: Channel| -> Vec<usize> {
            members.iter().copied().filter(|&ct| scenario.call_types[ct].channel == channel).collect()
        };
        let (voice, chat, email) = if has_channels {
            (of(Channel::Voice), of(Channel::Chat), of(Channel::Email))
        } else {
            (members.clone(), Vec::new(), Vec::new())
        };
        for (interval, agents) in row.iter_mut().enumerate() {
            *agents = pooled_voice(scenario, &voice, &handle, interval, abandonment);
            if !chat.is_empty() {
                let chat_agents = pooled_chat(scenario, &scenario.agent_groups[g], &chat, &handle, interval);
                *agents = agents.saturating_add(chat_agents);
            }
            if !email.is_empty() {
                let work: f64 = email.iter().map(|&ct| workload[ct][interval]).sum();
                *agents = agents.saturating_add(channels::workload_agents(work));
            }
        }
    }
    rows
}

/// The pooled voice requirement of `members` in `interval` (0 without calls).
fn pooled_voice(
    scenario: &Scenario,
    members: &[usize],
    handle: &[Seconds],
    interval: usize,
    abandonment: bool,
) -> u32 {
    let (mut rate, mut work, mut patience_rate) = (0.0, 0.0, 0.0);
    let mut all_patient = true;
    for &ct in members {
        let (r, aht) = (arrival_rate(scenario, interval, ct), handle[ct]);
        rate += r;
        work += r * aht;
        match &scenario.call_types[ct].patience {
            Some(p) => patience_rate += r * p.mean(),
            None => all_patient = false,
        }
    }
    if rate <= 0.0 {
        return 0;
    }
    let aht = work / rate;
    let model = if abandonment && all_patient {
        Model::erlang_a(rate, aht, patience_rate / rate)
    } else {
        Model::erlang_c(work, aht)
    };
    // No count meets the goals only for absurd goals or a load beyond any agent count;
    // staff for stability instead, saturating at `u32::MAX` (which the simulation search
    // refuses with an error rather than counting past).
    required(scenario, &model, abandonment && all_patient)
        .unwrap_or_else(|| (work.floor() + 1.0).min(f64::from(u32::MAX)) as u32)
}

/// The pooled chat requirement of `members` in `interval`: the chat estimate at the group's
/// concurrency, against the chat goal (0 without chats).
fn pooled_chat(
    scenario: &Scenario,
    group: &AgentGroup,
    members: &[usize],
    handle: &[Seconds],
    interval: usize,
) -> u32 {
    let (mut rate, mut work) = (0.0, 0.0);
    for &ct in members {
        let r = arrival_rate(scenario, interval, ct);
        rate += r;
        work += r * handle[ct];
    }
    if rate <= 0.0 {
        return 0;
    }
    let Some(model) = chat_model(group, work, work / rate) else { return 0 };
    let stable = match model {
        Model::ErlangCChat(chat) => chat.stable_min(),
        _ => 0,
    };
    required_for(scenario, Channel::Chat, &model, false).unwrap_or(stable)
}
