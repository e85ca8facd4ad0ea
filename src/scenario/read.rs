//! TOML into the raw file types of `source`: every unknown key, missing key and wrong type of
//! a file, each reported with its line, column and field path, in one pass.
//!
//! The reader checks shapes only (a string where a string belongs, a whole number where a count
//! belongs). Whether a value makes sense (a duration parses, a probability is at most 1, a name
//! refers to a call type) is `validate`'s job.

use toml::de::{DeTable, DeValue};

mod shape;

use shape::{
    Fields, Value, clock, duration, entries, integer, keyword, list_each, named_list, number, share, string,
    table, whole, wrong,
};

use super::field::{FieldPath, Sink, TomlDoc, suggest};
use super::source::*;

/// Reads a whole scenario file.
pub fn scenario(doc: &mut TomlDoc, root: &DeTable) -> ScenarioFile {
    let mut t = Fields::new(root, FieldPath::root());
    let file = ScenarioFile {
        name: t.opt(doc, "name", string),
        start: t.req(doc, "start", clock).unwrap_or_default(),
        interval: t.req(doc, "interval", duration),
        days: t.opt(doc, "days", whole),
        intervals_per_day: t.opt(doc, "intervals_per_day", whole),
        first_weekday: t.opt(doc, "first_weekday", string),
        service_level: t
            .req(doc, "service_level", |d, v, p| table(d, v, p, service_level))
            .unwrap_or_default(),
        simulation: t.opt(doc, "simulation", |d, v, p| table(d, v, p, simulation)),
        staffing: t.opt(doc, "staffing", |d, v, p| table(d, v, p, staffing)),
        call_types: t.req(doc, "call_types", |d, v, p| named_list(d, v, p, call_type)).unwrap_or_default(),
        agent_groups: t
            .req(doc, "agent_groups", |d, v, p| named_list(d, v, p, agent_group))
            .unwrap_or_default(),
        shifts: t.opt(doc, "shifts", |d, v, p| list_each(d, v, p, shift)).unwrap_or_default(),
        shift_templates: t
            .opt(doc, "shift_templates", |d, v, p| list_each(d, v, p, template))
            .unwrap_or_default(),
        lines: t.opt(doc, "lines", |d, v, p| table(d, v, p, lines).flatten()),
        lines_outages: t
            .opt(doc, "lines_outages", |d, v, p| list_each(d, v, p, lines_outage))
            .unwrap_or_default(),
        uncertainty: t.opt(doc, "uncertainty", |d, v, p| table(d, v, p, uncertainty)),
        events: t.opt(doc, "events", |d, v, p| list_each(d, v, p, event)).unwrap_or_default(),
    };
    t.finish(doc);
    file
}

/// Reads a TOML plan file.
pub fn plan(doc: &mut TomlDoc, root: &DeTable) -> PlanFile {
    let mut t = Fields::new(root, FieldPath::root());
    let file = PlanFile {
        shifts: t.opt(doc, "shifts", |d, v, p| list_each(d, v, p, shift)).unwrap_or_default(),
        staffing: t.opt(doc, "staffing", |d, v, p| list_each(d, v, p, staffing_vector)).unwrap_or_default(),
    };
    t.finish(doc);
    file
}

/// A day of a `days` list: a number, or a weekday's name.
fn day(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<DayFile> {
    match value.get_ref() {
        DeValue::String(s) => Some(DayFile::Weekday(s.to_string())),
        DeValue::Integer(_) => whole(doc, value, path).map(DayFile::Number),
        _ => {
            wrong(doc, value, path, "a day number from 1, or a weekday in quotes (\"sat\", \"mon-fri\")");
            None
        }
    }
}

/// `open`: hours every day, or a table of hours by weekday.
fn open_hours(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<OpenFile> {
    match value.get_ref() {
        DeValue::String(s) => Some(OpenFile::Daily(s.to_string())),
        DeValue::Table(t) => entries(doc, t, path, string).map(OpenFile::Weekly),
        _ => {
            wrong(
                doc,
                value,
                path,
                "a string in quotes, \"HH:MM-HH:MM\", or a table of hours by weekday, e.g. \
                 { mon-fri = \"08:00-20:00\", sat = \"09:00-13:00\" }",
            );
            None
        }
    }
}

fn service_level(doc: &mut TomlDoc, t: &mut Fields) -> ServiceLevelFile {
    ServiceLevelFile {
        target: t.req(doc, "target", duration),
        goal: t.req(doc, "goal", share),
        definition: t.opt(doc, "definition", sl_definition),
        max_occupancy: t.opt(doc, "max_occupancy", share),
        max_abandon: t.opt(doc, "max_abandon", share),
        asa_goal: t.opt(doc, "asa_goal", duration),
        callbacks_count_as: t.opt(doc, "callbacks_count_as", |d, v, p| {
            use crate::callback::CallbacksCountAs;
            let rules = [
                ("excluded", CallbacksCountAs::Excluded),
                ("answered_in_time", CallbacksCountAs::AnsweredInTime),
            ];
            keyword(d, v, p, "rule", &rules)
        }),
        chat: t.opt(doc, "chat", |d, v, p| table(d, v, p, channel_service_level)),
        email: t.opt(doc, "email", |d, v, p| table(d, v, p, channel_service_level)),
    }
}

fn sl_definition(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<crate::model::SlDefinition> {
    let names = crate::model::SlDefinition::ALL.map(|d| (d.name(), d));
    keyword(doc, value, path, "definition", &names)
}

/// `[service_level.chat]`, `[service_level.email]`.
fn channel_service_level(doc: &mut TomlDoc, t: &mut Fields) -> ChannelServiceLevelFile {
    ChannelServiceLevelFile {
        target: t.req(doc, "target", duration),
        goal: t.req(doc, "goal", share),
        definition: t.opt(doc, "definition", sl_definition),
    }
}

fn channel(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<crate::model::Channel> {
    let names = crate::model::Channel::ALL.map(|c| (c.name(), c));
    keyword(doc, value, path, "channel", &names)
}

/// `max_concurrency`: refused with the range it must be in, not only the type it is read into
/// (-1 is no more "a whole number of 0 or more" away from valid than 0 is).
fn concurrency(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<u32> {
    use crate::model::MAX_CONCURRENCY;
    match integer(value).and_then(|v| u32::try_from(v).ok()) {
        Some(v) => Some(v),
        None => {
            let allowed =
                format!("a whole number from 1 to {MAX_CONCURRENCY} (the chats one agent holds at once)");
            wrong(doc, value, path, &allowed);
            None
        }
    }
}

fn simulation(doc: &mut TomlDoc, t: &mut Fields) -> SimulationFile {
    SimulationFile { replications: t.opt(doc, "replications", whole), seed: t.opt(doc, "seed", whole) }
}

fn staffing(doc: &mut TomlDoc, t: &mut Fields) -> StaffingFile {
    StaffingFile {
        shrinkage: t.opt(doc, "shrinkage", share),
        max_headcount: t.opt(doc, "max_headcount", whole),
    }
}

fn call_type(doc: &mut TomlDoc, t: &mut Fields) -> CallTypeFile {
    CallTypeFile {
        name: t.req(doc, "name", string).unwrap_or_default(),
        channel: t.opt(doc, "channel", channel),
        initial_backlog: t.opt(doc, "initial_backlog", whole),
        volumes: t.opt(doc, "volumes", |d, v, p| list_each(d, v, p, number)),
        volumes_file: t.opt(doc, "volumes_file", string),
        volumes_column: t.opt(doc, "volumes_column", string),
        open: t.opt(doc, "open", open_hours),
        handle_time: t.req(doc, "handle_time", dist),
        patience: t.opt(doc, "patience", dist),
        redial: t.opt(doc, "redial", |d, v, p| table(d, v, p, recall).flatten()),
        repeat: t.opt(doc, "repeat", |d, v, p| table(d, v, p, recall).flatten()),
        transfers: t.opt(doc, "transfers", |d, v, p| list_each(d, v, p, transfer)).unwrap_or_default(),
        priority: t.opt(doc, "priority", whole),
        lines: t.opt(doc, "lines", whole),
        redial_after_blocked: t.opt(doc, "redial_after_blocked", |d, v, p| table(d, v, p, recall).flatten()),
        callback: t.opt(doc, "callback", |d, v, p| table(d, v, p, callback)),
    }
}

fn callback(doc: &mut TomlDoc, t: &mut Fields) -> CallbackFile {
    CallbackFile {
        offer_when_wait_over: t.req(doc, "offer_when_wait_over", duration),
        accept: t.req(doc, "accept", share),
        answer: t.req(doc, "answer", share),
        retries: t.req(doc, "retries", whole),
        retry_after: t.req(doc, "retry_after", duration),
        dial_time: t.opt(doc, "dial_time", duration),
    }
}

fn lines(doc: &mut TomlDoc, t: &mut Fields) -> Option<LinesFile> {
    Some(LinesFile { total: t.req(doc, "total", whole)? })
}

fn lines_outage(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<LinesOutageFile> {
    table(doc, value, path, |d, t| {
        let start = t.req(d, "start", clock);
        let end = t.req(d, "end", clock);
        let days = t.opt(d, "days", |d, v, p| list_each(d, v, p, day));
        let lines = t.req(d, "lines", whole);
        let call_type = t.opt(d, "call_type", string);
        Some(LinesOutageFile { start: start?, end: end?, days, lines: lines?, call_type })
    })
    .flatten()
}

fn recall(doc: &mut TomlDoc, t: &mut Fields) -> Option<RecallFile> {
    let probability = t.req(doc, "probability", share);
    let delay = t.req(doc, "delay", dist);
    Some(RecallFile { probability: probability?, delay: delay? })
}

fn transfer(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<TransferFile> {
    table(doc, value, path, |d, t| {
        let to = t.req(d, "to", string);
        let probability = t.req(d, "probability", share);
        Some(TransferFile { to: to?, probability: probability? })
    })
    .flatten()
}

/// A distribution: its name first, then exactly the parameters that name takes.
pub fn dist(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<DistFile> {
    if value.get_ref().as_table().is_none() {
        let example = "a distribution like { distribution = \"exponential\", mean = \"4m\" }";
        wrong(doc, value, path, example);
        return None;
    }
    table(doc, value, path, |d, t| {
        let name = t.req(d, "distribution", string)?;
        let mean = |d: &mut TomlDoc, t: &mut Fields| t.req(d, "mean", duration);
        Some(match name.as_str() {
            "exponential" => DistFile::Exponential { mean: mean(d, t)? },
            "deterministic" => DistFile::Deterministic { mean: mean(d, t)? },
            "lognormal" | "gamma" => {
                let (m, cv) = (mean(d, t), t.req(d, "cv", number));
                let (mean, cv) = (m?, cv?);
                if name == "gamma" { DistFile::Gamma { mean, cv } } else { DistFile::Lognormal { mean, cv } }
            }
            "erlang" => {
                let (m, k) = (mean(d, t), t.req(d, "k", whole));
                DistFile::Erlang { mean: m?, k: k? }
            }
            "uniform" => {
                let (min, max) = (t.req(d, "min", duration), t.req(d, "max", duration));
                DistFile::Uniform { min: min?, max: max? }
            }
            "empirical" => DistFile::Empirical {
                values: t.opt(d, "values", |d, v, p| list_each(d, v, p, duration)),
                file: t.opt(d, "file", string),
                column: t.opt(d, "column", string),
            },
            other => {
                let p = t.path.key("distribution");
                d.error(&p, format!("unknown distribution \"{other}\"; {}", suggest(other, &DISTRIBUTIONS)));
                // Its parameters are unknown too: accept them silently rather than pile up errors.
                t.known.extend(["mean", "cv", "k", "min", "max", "values", "file", "column"]);
                return None;
            }
        })
    })
    .flatten()
}

fn agent_group(doc: &mut TomlDoc, t: &mut Fields) -> AgentGroupFile {
    AgentGroupFile {
        name: t.req(doc, "name", string).unwrap_or_default(),
        skills: t.req(doc, "skills", |d, v, p| list_each(d, v, p, skill)).unwrap_or_default(),
        handle_time_factor: t.opt(doc, "handle_time_factor", number),
        max_concurrency: t.opt(doc, "max_concurrency", concurrency),
        concurrency_factors: t.opt(doc, "concurrency_factors", |d, v, p| list_each(d, v, p, number)),
        staffing: t.opt(doc, "staffing", |d, v, p| list_each(d, v, p, whole)),
    }
}

fn skill(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<SkillFile> {
    if let Some(name) = value.get_ref().as_str() {
        return Some(SkillFile::Name(name.to_string()));
    }
    if value.get_ref().as_table().is_none() {
        wrong(doc, value, path, "a call type name or { call_type = \"...\", after = \"30s\" }");
        return None;
    }
    table(doc, value, path, |d, t| {
        let call_type = t.req(d, "call_type", string);
        let after = t.req(d, "after", duration);
        Some(SkillFile::Overflow { call_type: call_type?, after: after? })
    })
    .flatten()
}

/// A shift (also used for the rows of CSV plans).
fn shift(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<ShiftFile> {
    table(doc, value, path, |d, t| {
        let group = t.req(d, "group", string);
        let start = t.req(d, "start", clock);
        let end = t.opt(d, "end", clock);
        let length = t.opt(d, "length", duration);
        let agents = t.req(d, "agents", whole);
        let breaks = t.opt(d, "breaks", |d, v, p| list_each(d, v, p, shift_break));
        let days = t.opt(d, "days", |d, v, p| list_each(d, v, p, day));
        // A group, start or agents that cannot be read leaves the shift's other fields to be
        // checked; the shift is refused by its own error. No agents, as a CSV plan's row with
        // an unreadable count has, add nothing that could be wrong.
        Some(ShiftFile {
            group,
            start,
            end,
            length,
            agents: agents.unwrap_or(0),
            breaks: breaks.unwrap_or_default(),
            days,
        })
    })
    .flatten()
}

fn shift_break(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<BreakFile> {
    table(doc, value, path, |d, t| {
        let start = t.req(d, "start", clock);
        let length = t.req(d, "length", duration);
        Some(BreakFile { start: start?, length: length? })
    })
    .flatten()
}

fn staffing_vector(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<StaffingVectorFile> {
    table(doc, value, path, |d, t| {
        let group = t.req(d, "group", string);
        let agents = t.req(d, "agents", |d, v, p| list_each(d, v, p, whole));
        Some(StaffingVectorFile { group: group?, agents: agents? })
    })
    .flatten()
}

fn template(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<ShiftTemplateFile> {
    table(doc, value, path, |d, t| {
        let group = t.req(d, "group", string);
        let earliest_start = t.req(d, "earliest_start", clock);
        let latest_start = t.req(d, "latest_start", clock);
        let step = t.req(d, "step", duration);
        let lengths = t.req(d, "lengths", |d, v, p| list_each(d, v, p, duration));
        let breaks = t.opt(d, "breaks", |d, v, p| list_each(d, v, p, break_rule));
        let cost_per_hour = t.req(d, "cost_per_hour", number);
        let max_agents = t.opt(d, "max_agents", whole);
        // A field that cannot be read leaves the template's other fields to be checked; the
        // template is refused by that field's own error.
        Some(ShiftTemplateFile {
            group,
            earliest_start,
            latest_start,
            step,
            lengths,
            breaks: breaks.unwrap_or_default(),
            cost_per_hour,
            max_agents,
        })
    })
    .flatten()
}

fn break_rule(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<BreakRuleFile> {
    table(doc, value, path, |d, t| {
        let length = t.req(d, "length", duration);
        let earliest = t.req(d, "earliest", duration);
        let latest = t.req(d, "latest", duration);
        Some(BreakRuleFile { length: length?, earliest: earliest?, latest: latest? })
    })
    .flatten()
}

/// A number, or a table of numbers by name (`volume_cv`, `volume_factor`).
fn per_call_type(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<PerCallType> {
    match value.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => number(doc, value, path).map(PerCallType::All),
        DeValue::Table(t) => {
            entries(doc, t, path, number).map(|e| PerCallType::Each(e.into_iter().collect()))
        }
        _ => {
            wrong(doc, value, path, "a number, or a table of numbers by call type like { sales = 1.5 }");
            None
        }
    }
}

fn uncertainty(doc: &mut TomlDoc, t: &mut Fields) -> UncertaintyFile {
    UncertaintyFile {
        volume_cv: t.opt(doc, "volume_cv", per_call_type),
        correlation: t.opt(doc, "correlation", string),
        absence: t.opt(doc, "absence", share),
        handle_time_cv_shift: t.opt(doc, "handle_time_cv_shift", number),
    }
}

fn event(doc: &mut TomlDoc, value: &Value, path: &FieldPath) -> Option<EventFile> {
    table(doc, value, path, |d, t| {
        let name = t.opt(d, "name", string);
        let start = t.req(d, "start", clock);
        let end = t.opt(d, "end", clock);
        let length = t.opt(d, "length", duration);
        let days = t.opt(d, "days", |d, v, p| list_each(d, v, p, day));
        let ramp = t.opt(d, "ramp", duration);
        let volume_factor = t.opt(d, "volume_factor", per_call_type);
        let handle_time_factor = t.opt(d, "handle_time_factor", number);
        let agents_unavailable = t.opt(d, "agents_unavailable", |d, v, p| {
            let Some(table) = v.get_ref().as_table() else {
                wrong(d, v, p, "a table of agents by group like { engineers = 2 }");
                return None;
            };
            entries(d, table, p, whole::<u32>).map(|e| e.into_iter().collect())
        });
        Some(EventFile {
            name,
            start: start?,
            end,
            length,
            days,
            ramp,
            volume_factor,
            handle_time_factor,
            agents_unavailable,
        })
    })
    .flatten()
}
