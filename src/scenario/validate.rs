//! Raw file types into the validated model: every value parsed and range-checked, every name
//! resolved, every cross-field rule checked, each problem located. The model that comes out
//! cannot be invalid; nothing downstream checks again.

mod agent_groups;
mod call_types;

use super::channel;
use super::distribution::{positive_seconds, seconds};
use super::field::{FieldPath, Sink, TomlDoc};
use super::grid;
use super::hours;
use super::plan::{self, PlanContext};
use super::source::*;
use super::template;
use crate::limits::{MAX_AGENT_GROUPS, MAX_CALL_TYPES, MAX_DAYS, MAX_REPLICATIONS};
use crate::model::*;
use agent_groups::{agent_group, check_servable, scenario_plan};
use call_types::{call_type, check_loops};

/// Default `[simulation] replications`.
pub const DEFAULT_REPLICATIONS: u32 = 30;
/// Default `[simulation] seed`.
pub const DEFAULT_SEED: u64 = 1;

/// The validated scenario, or `None` when any error was recorded in `doc`.
pub fn scenario(doc: &mut TomlDoc, raw: &ScenarioFile) -> Option<Scenario> {
    let root = FieldPath::root();
    let name = raw.name.clone().unwrap_or_else(|| {
        doc.file().file_stem().map_or("scenario".to_string(), |s| s.to_string_lossy().into_owned())
    });
    // The scenario's name titles every report.
    if let Some(Err(message)) = raw.name.as_deref().map(crate::limits::check_name) {
        doc.error(&root.key("name"), format!("the scenario's name {message}"));
    }
    let start = plan::start_clock(doc, &raw.start, &root.key("start"));
    let interval = raw.interval.as_ref().and_then(|i| positive_seconds(doc, i, &root.key("interval")));
    if let (Some(Duration::Seconds(secs)), Some(_)) = (&raw.interval, interval) {
        let short =
            crate::time::short_plain_seconds(*secs, "an interval", crate::time::SHORTEST_PLAIN_INTERVAL);
        if let Some(message) = short {
            doc.warn(&root.key("interval"), message);
        }
    }
    // Interval starts are clock times: a forecast CSV's `interval` column names them, and the
    // optimiser places breaks on them.
    // Refused at the field: the grid would otherwise blame the first volume list, whose length
    // is not what is wrong.
    let interval = interval.filter(|&secs| {
        let fits = secs <= crate::time::DAY;
        if !fits {
            doc.error(
                &root.key("interval"),
                format!(
                    "{} is longer than a day; an interval is a part of the day (e.g. \"15m\", \"30m\", \"1h\")",
                    crate::time::format_duration(secs)
                ),
            );
        }
        fits
    });
    let plain = raw.interval.as_ref().and_then(Duration::plain_seconds);
    let interval = interval.filter(|&secs| {
        let whole = crate::time::is_whole_minutes(secs);
        if !whole {
            // `interval = 30` meant as half an hour reads as 30 seconds: say how it was read.
            let read = crate::time::format_duration(secs);
            let written = match plain {
                Some(v) => {
                    format!(
                        "{} is read as {read} (a plain number is seconds), which",
                        crate::error::quoted_number(v)
                    )
                }
                None => read,
            };
            doc.error(
                &root.key("interval"),
                format!(
                    "{written} is not a whole number of minutes; intervals start at clock times HH:MM \
                     (e.g. \"15m\", \"30m\", \"1h\")"
                ),
            );
        }
        whole
    });
    let days = raw.days.unwrap_or(1) as usize;
    let days_ok = (1..=MAX_DAYS).contains(&days);
    if days == 0 {
        doc.error(&root.key("days"), "must be at least 1".to_string());
    } else if days > MAX_DAYS {
        doc.error(&root.key("days"), format!("{days} is more than the cap of {MAX_DAYS} days (MAX_DAYS)"));
    }
    let first_weekday =
        raw.first_weekday.as_deref().and_then(|w| weekday(doc, w, &root.key("first_weekday")));
    let service_level = service_level(doc, &raw.service_level);
    let channel_goals = channel::channel_goals(doc, &raw.service_level);
    channel::idle_channel_goals(doc, raw);
    let staffing = staffing_goals(doc, raw);
    let simulation = simulation(doc, raw.simulation.as_ref());

    let call_names = names(
        doc,
        raw.call_types.iter().map(|c| c.name.as_str()),
        "call_types",
        "call type",
        (MAX_CALL_TYPES, "MAX_CALL_TYPES"),
        crate::report::check_call_type_name,
    );
    let group_names = names(
        doc,
        raw.agent_groups.iter().map(|g| g.name.as_str()),
        "agent_groups",
        "agent group",
        (MAX_AGENT_GROUPS, "MAX_AGENT_GROUPS"),
        crate::limits::check_name,
    );

    let types_path = root.key("call_types");
    let mut volume_lists = Vec::new();
    let mut call_types = Vec::new();
    let mut open_hours = Vec::new();
    for (i, c) in raw.call_types.iter().enumerate() {
        let path = types_path.named(i, Some(&c.name));
        volume_lists.push(grid::volumes(doc, c, &path, &raw.call_types));
        call_types.push(call_type(doc, c, &path, &call_names));
        open_hours.push(hours::stated(doc, c, c.channel.unwrap_or_default(), &path));
    }
    let read: Vec<&grid::VolumeList> = volume_lists.iter().flatten().collect();
    let grid = match (start, interval, days_ok) {
        (Some(start), Some(interval), true) if !read.is_empty() => {
            grid::grid(doc, start, interval, days, &read, raw)
        }
        _ => None,
    };
    let grid = grid.map(|g| g.with_first_weekday(first_weekday));
    let mut complete: Vec<CallType> = Vec::new();
    if let Some(grid) = &grid {
        let mut expanded = grid::expand(doc, grid, &read).into_iter();
        let expanded: Vec<Option<Vec<f64>>> =
            volume_lists.iter().map(|l| l.as_ref().and_then(|_| expanded.next().flatten())).collect();
        let offered: Vec<(&grid::VolumeList, &[f64])> = volume_lists
            .iter()
            .zip(&expanded)
            .filter_map(|(l, v)| Some((l.as_ref()?, v.as_deref()?)))
            .collect();
        if grid::check_contacts(doc, grid, &offered) {
            for (i, ((c, v), stated)) in call_types.into_iter().zip(expanded).zip(open_hours).enumerate() {
                let (Some(mut c), Some(volumes), Some(stated)) = (c, v, stated) else { continue };
                let path = types_path.named(i, Some(&c.name));
                if let Some(open) = hours::on_grid(doc, stated, &volumes, grid, &path) {
                    c.open = open;
                    c.volumes = volumes;
                    complete.push(c);
                }
            }
        }
        grid::check_alignment(doc, grid, &read);
    }
    check_loops(doc, raw, &call_names);
    channel::check_backlogs_held(doc, raw, &types_path);

    // `None`: a channel given but not understood, refused on its own line; whether the groups
    // taking that call type take chats is then unknown.
    let channels: Vec<Option<Channel>> = raw
        .call_types
        .iter()
        .enumerate()
        .map(|(i, c)| match c.channel {
            Some(channel) => Some(channel),
            None if doc.has(&types_path.named(i, Some(&c.name)).key("channel")) => None,
            None => Some(Channel::default()),
        })
        .collect();
    let groups: Vec<Option<AgentGroup>> = raw
        .agent_groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let path = root.key("agent_groups").named(i, Some(&g.name));
            let group = agent_group(doc, g, &path, &call_names);
            let chat = channel::chat_concurrency(doc, g, &path, &channels, group.as_ref());
            Some(AgentGroup { chat: chat?, ..group? })
        })
        .collect();
    check_servable(doc, raw, &call_names);

    // Shifts and templates are checked even when the grid is unknown (a volume list was
    // wrong): only the checks that need the grid are left out, so that every independent
    // problem shows in one pass.
    let days = super::days::Days { count: days.clamp(1, MAX_DAYS), first_weekday };
    let ctx = PlanContext { groups: &group_names, grid: grid.as_ref(), days };
    let plan = scenario_plan(doc, raw, &ctx);
    let telephony = super::lines::telephony(doc, raw, &call_names, ctx.days);
    let callbacks = super::callback::callbacks(doc, raw);
    let templates = template::templates(doc, &raw.shift_templates, &root.key("shift_templates"), &ctx);
    let uncertainty = super::bad_days::uncertainty(doc, raw.uncertainty.as_ref(), &call_names);
    let events =
        super::bad_days::events(doc, &raw.events, &call_names, &group_names, ctx.days, grid.as_ref());
    if let (Some(grid), Some(events)) = (&grid, &events)
        && complete.len() == raw.call_types.len()
    {
        super::bad_days::check_event_contacts(doc, grid, &complete, events, &raw.events);
    }

    if !doc.problems.errors.is_empty() {
        return None;
    }
    let scenario = Scenario {
        name,
        source: doc.file().to_path_buf(),
        grid: grid?,
        service_level: service_level?,
        channel_goals: channel_goals?,
        staffing: staffing?,
        simulation: simulation?,
        call_types: complete,
        agent_groups: groups.into_iter().collect::<Option<Vec<_>>>()?,
        plan: plan?,
        shift_templates: templates?,
        telephony: telephony?,
        callbacks: callbacks?,
        uncertainty: uncertainty?,
        events: events?,
        files_read: doc.problems.files_read.clone(),
    };
    super::overview::coverage_warnings(&scenario, doc);
    Some(scenario)
}

/// The weekday of day 1, 0 = Monday; an error naming the allowed names otherwise.
fn weekday(doc: &mut TomlDoc, text: &str, path: &FieldPath) -> Option<usize> {
    let found = crate::time::parse_weekday(text);
    if found.is_none() {
        let allowed: Vec<String> = crate::time::WEEKDAY_NAMES.iter().map(|n| n.to_lowercase()).collect();
        doc.error(
            path,
            format!(
                "unknown weekday {text:?}; allowed: {} (or their first three letters)",
                allowed.join(", ")
            ),
        );
    }
    found
}

/// Names must be present, pass `check` and be unique, and at most `cap` of them; returns them
/// (empty strings for missing ones).
fn names<'a>(
    doc: &mut TomlDoc,
    names: impl Iterator<Item = &'a str>,
    list: &str,
    what: &str,
    cap: (usize, &str),
    check: fn(&str) -> Result<(), String>,
) -> Vec<String> {
    let names: Vec<String> = names.map(str::to_string).collect();
    let path = FieldPath::root().key(list);
    // A list missing from the file has the reader's error already (a missing key, or a
    // misspelled one with its correction).
    if names.is_empty() && doc.has(&path) {
        doc.error(&path, format!("needs at least one {what}"));
    }
    let (cap, cap_name) = cap;
    if names.len() > cap {
        doc.error(&path, format!("{} {what}s is more than the cap of {cap} ({cap_name})", names.len()));
        return names;
    }
    for (i, n) in names.iter().enumerate() {
        if n.trim().is_empty() {
            doc.error(
                &path.index(i).key("name"),
                format!("{} {what} needs a non-empty name", crate::scenario::field::article(what)),
            );
        } else if let Err(message) = check(n) {
            doc.error(&path.named(i, Some(n)).key("name"), format!("{what} name {message}"));
        } else if names[..i].contains(n) {
            doc.error(
                &path.named(i, Some(n)).key("name"),
                format!("{what} \"{n}\" is defined twice; names must be unique"),
            );
        }
    }
    names
}

fn share(
    doc: &mut TomlDoc,
    value: Option<f64>,
    path: &FieldPath,
    what: &str,
    ok: impl Fn(f64) -> bool,
) -> Option<f64> {
    match value {
        Some(v) if !ok(v) => {
            doc.error(path, format!("must be {what}, got {v}{}", percent_hint(v, ok)));
            None
        }
        other => other,
    }
}

/// The fraction to write for a share written as a percentage (`goal = 80`, `probability =
/// 40`), the commonest slip in a share, when that fraction is allowed; else nothing.
pub(super) fn percent_hint(v: f64, ok: impl Fn(f64) -> bool) -> String {
    let fraction = (v / 100.0 * 1e9).round() / 1e9;
    if v > 1.0 && v <= 100.0 && ok(fraction) {
        format!("; a share is a fraction of 1: write {fraction} for {v}%")
    } else {
        String::new()
    }
}

fn service_level(doc: &mut TomlDoc, raw: &ServiceLevelFile) -> Option<ServiceLevelGoal> {
    let path = FieldPath::root().key("service_level");
    goal(doc, raw.target.as_ref(), raw.goal, raw.definition, &path)
}

/// A target, goal and definition at `path`, each checked.
pub(super) fn goal(
    doc: &mut TomlDoc,
    target: Option<&Duration>,
    goal: Option<f64>,
    definition: Option<SlDefinition>,
    path: &FieldPath,
) -> Option<ServiceLevelGoal> {
    let target = target.and_then(|t| seconds(doc, t, &path.key("target")));
    let goal = share(doc, goal, &path.key("goal"), "a share in (0, 1], e.g. 0.8", |v| v > 0.0 && v <= 1.0);
    Some(ServiceLevelGoal { target: target?, goal: goal?, definition: definition.unwrap_or_default() })
}

fn staffing_goals(doc: &mut TomlDoc, raw: &ScenarioFile) -> Option<StaffingGoals> {
    let sl = FieldPath::root().key("service_level");
    let st = FieldPath::root().key("staffing");
    let in_01 = |v: f64| v > 0.0 && v <= 1.0;
    let mut ok = true;
    let max_occupancy =
        share(doc, raw.service_level.max_occupancy, &sl.key("max_occupancy"), "a share in (0, 1]", in_01);
    ok &= max_occupancy.is_some() == raw.service_level.max_occupancy.is_some();
    let max_abandon =
        share(doc, raw.service_level.max_abandon, &sl.key("max_abandon"), "a share in (0, 1]", in_01);
    ok &= max_abandon.is_some() == raw.service_level.max_abandon.is_some();
    let asa_goal =
        raw.service_level.asa_goal.as_ref().and_then(|a| positive_seconds(doc, a, &sl.key("asa_goal")));
    ok &= asa_goal.is_some() == raw.service_level.asa_goal.is_some();
    let st_raw = raw.staffing.clone().unwrap_or_default();
    let shrinkage = share(doc, st_raw.shrinkage, &st.key("shrinkage"), "a share in [0, 1), e.g. 0.3", |v| {
        (0.0..1.0).contains(&v)
    });
    ok &= shrinkage.is_some() == st_raw.shrinkage.is_some();
    if st_raw.max_headcount == Some(0) {
        doc.error(&st.key("max_headcount"), "must be at least 1 (omit it for no limit)".to_string());
        ok = false;
    }
    ok.then_some(StaffingGoals {
        max_occupancy,
        max_abandon,
        asa_goal,
        shrinkage: shrinkage.unwrap_or(0.0),
        max_headcount: st_raw.max_headcount,
    })
}

fn simulation(doc: &mut TomlDoc, raw: Option<&SimulationFile>) -> Option<SimulationSettings> {
    let raw = raw.cloned().unwrap_or_default();
    let replications = raw.replications.unwrap_or(DEFAULT_REPLICATIONS);
    let path = FieldPath::root().key("simulation").key("replications");
    if replications == 0 {
        doc.error(&path, "must be at least 1".to_string());
        return None;
    }
    if replications > MAX_REPLICATIONS {
        doc.error(
            &path,
            format!("{replications} is more than the cap of {MAX_REPLICATIONS} (MAX_REPLICATIONS)"),
        );
        return None;
    }
    Some(SimulationSettings { replications, seed: raw.seed.unwrap_or(DEFAULT_SEED) })
}
