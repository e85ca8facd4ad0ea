//! The scenario file format as Rust types: exactly what a file may say, nothing checked yet.
//!
//! These types are the one description of the format. The reader fills them from TOML (with
//! every unknown key and wrong type reported), the writer serialises them back, and `ccsim
//! schema` derives the JSON Schema from them. Durations and clock times stay text here;
//! `validate` parses them, so a bad value is reported with its field path like any other.

use schemars::JsonSchema;
use serde::Serialize;

use crate::model::{Channel, SlDefinition};

/// A duration: `"20s"`, `"4m"`, `"1h30m"`, `"1.5h"`, or a plain number of seconds.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Duration {
    /// Text with units, e.g. `"4m"`.
    Text(String),
    /// Plain seconds.
    Seconds(f64),
}

impl Duration {
    /// The seconds of a duration written without a unit, `90` or `"90"` (a CSV cell is always
    /// text), which may be minutes whose unit was left out.
    pub fn plain_seconds(&self) -> Option<f64> {
        match self {
            Duration::Seconds(secs) => Some(*secs),
            Duration::Text(text) => text.trim().parse().ok(),
        }
    }
}

/// A day in a `days` list.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum DayFile {
    /// A day of the scenario, counted from 1.
    Number(#[schemars(range(min = 1))] u32),
    /// With `first_weekday`: a weekday (`"sat"`, `"saturday"`) or a run of them (`"mon-fri"`),
    /// every day of the scenario that falls on it.
    Weekday(String),
}

/// A call type's opening hours.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum OpenFile {
    /// The same hours every day: `"08:00-20:00"`; `"22:00-06:00"` crosses midnight (a grid of
    /// 24 hours only), `"00:00-24:00"` is the whole day.
    Daily(String),
    /// Hours by weekday: `{ mon-fri = "08:00-20:00", sat = "09:00-13:00" }`. A key is a weekday
    /// (`mon` ... `sun`, or its whole name) or a run of them (`mon-fri`); a value is hours as
    /// above or `"closed"`. A weekday not named is closed. Needs `first_weekday`.
    Weekly(
        #[serde(serialize_with = "in_order")]
        #[schemars(with = "std::collections::BTreeMap<String, String>")]
        Vec<(String, String)>,
    ),
}

/// Pairs as a table, in their order.
fn in_order<S: serde::Serializer>(pairs: &[(String, String)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// A scenario file.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Human name shown in reports (default: the file name).
    pub name: Option<String>,
    /// Clock time `"HH:MM"` of the first interval of each day.
    pub start: String,
    /// Length of every interval, e.g. `"30m"`; the number of intervals per day is the length of
    /// the volume lists.
    #[schemars(required)]
    pub interval: Option<Duration>,
    /// Days simulated (default 1); volume lists hold one day (repeated) or all days.
    #[schemars(range(min = 1, max = 366))]
    pub days: Option<u32>,
    /// Intervals per day (default: from the clock times of a forecast CSV's `interval` column,
    /// else the length most inline `volumes` lists agree on, one day if it fits in 24 hours,
    /// else all days). Needed when every volume list comes from a CSV without clock times.
    pub intervals_per_day: Option<u32>,
    /// Weekday of the first day (`monday` ... `sunday`, or `mon` ... `sun`): charts and reports
    /// then name days `Mon`, `Tue`, ... instead of `day 1`, `day 2`, and opening hours and
    /// `days` lists may name weekdays. Changes no figure by itself.
    pub first_weekday: Option<String>,
    /// Service-level objective and further goals.
    pub service_level: ServiceLevelFile,
    /// Simulation defaults.
    pub simulation: Option<SimulationFile>,
    /// Shrinkage and headcount limits for staffing and scheduling.
    pub staffing: Option<StaffingFile>,
    /// Kinds of calls, each with its own queue.
    pub call_types: Vec<CallTypeFile>,
    /// Agents who share skills.
    pub agent_groups: Vec<AgentGroupFile>,
    /// Who works when (groups without a `staffing` vector).
    // A shift the reader could not read (its problems reported) is `None`, so the others keep
    // their index; a plain comment, as doc comments are the schema's descriptions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<ShiftFile>")]
    pub shifts: Vec<Option<ShiftFile>>,
    /// Shift families the optimiser (`ccsim schedule`) may use.
    // `None` for one the reader could not read, as in `shifts`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<ShiftTemplateFile>")]
    pub shift_templates: Vec<Option<ShiftTemplateFile>>,
    /// Telephone lines shared by the call types without lines of their own (omitted: no limit).
    pub lines: Option<LinesFile>,
    /// Windows in which fewer lines work (an outage of the phone system).
    // `None` for one the reader could not read, as in `shifts`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<LinesOutageFile>")]
    pub lines_outages: Vec<Option<LinesOutageFile>>,
    /// Forecast error, absence and handle-time drift (omitted: the forecast is the truth).
    pub uncertainty: Option<UncertaintyFile>,
    /// Known or feared surges and outages.
    // `None` for one the reader could not read, as in `shifts`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<EventFile>")]
    pub events: Vec<Option<EventFile>>,
}

/// `[lines]`.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinesFile {
    /// Lines shared by every call type without its own `lines`, at least 1.
    #[schemars(range(min = 1))]
    pub total: u32,
}

/// `[[lines_outages]]`: only `lines` lines work from `start` to `end`.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinesOutageFile {
    /// Clock time the outage starts.
    pub start: String,
    /// Clock time it ends (may cross midnight).
    pub end: String,
    /// Days it happens on (default: every day).
    // A day the reader could not read (its problem reported) is `None`, so the others keep
    // their index and are still checked.
    #[schemars(with = "Option<Vec<DayFile>>")]
    pub days: Option<Vec<Option<DayFile>>>,
    /// Lines that still work (0: none).
    pub lines: u32,
    /// The call type whose own lines fail (default: the shared `[lines]`).
    pub call_type: Option<String>,
}

/// A number for every call type, or a table of numbers by call type name.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum PerCallType {
    /// The same value for every call type.
    All(f64),
    /// A value per call type, by name.
    Each(std::collections::BTreeMap<String, f64>),
}

/// `[uncertainty]`.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UncertaintyFile {
    /// Coefficient of variation of the day's busyness factor (gamma, mean 1), in [0, 1]: one
    /// number (one factor shared by all call types) or `{ name = cv, ... }` (independent
    /// factors).
    pub volume_cv: Option<PerCallType>,
    /// `"replication"` (default: one draw per replication) or `"day"` (one per day).
    pub correlation: Option<String>,
    /// Probability that a scheduled agent is absent on a day, in [0, 1), on top of shrinkage.
    pub absence: Option<f64>,
    /// Coefficient of variation of a per-replication factor on mean handle times, in [0, 1].
    pub handle_time_cv_shift: Option<f64>,
}

/// `[[events]]`: a surge, outage or launch.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventFile {
    /// Name shown in reports (default "event N").
    pub name: Option<String>,
    /// Clock time the event starts.
    pub start: String,
    /// Clock time it ends (may cross midnight); or give `length`.
    pub end: Option<String>,
    /// Length, at most 24 hours; or give `end`.
    pub length: Option<Duration>,
    /// Days it happens on (default: every day).
    // A day the reader could not read (its problem reported) is `None`, so the others keep
    // their index and are still checked.
    #[schemars(with = "Option<Vec<DayFile>>")]
    pub days: Option<Vec<Option<DayFile>>>,
    /// Linear rise at the start and fall at the end (default 0: a step).
    pub ramp: Option<Duration>,
    /// Factor on volumes: one number, or `{ name = factor, ... }` (unlisted call types: 1).
    pub volume_factor: Option<PerCallType>,
    /// Factor on every handle time (1.3 = 30% longer).
    pub handle_time_factor: Option<f64>,
    /// Agents pulled off the phones per group: `{ group = agents, ... }`.
    pub agents_unavailable: Option<std::collections::BTreeMap<String, u32>>,
}

/// `[service_level]`.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceLevelFile {
    /// Answer-time threshold T, e.g. `"20s"`.
    #[schemars(required)]
    pub target: Option<Duration>,
    /// Share of calls to answer within `target`, in (0, 1].
    #[schemars(required, range(max = 1), extend("exclusiveMinimum" = 0))]
    pub goal: Option<f64>,
    /// `offered` (default): answered within T / all offered; `answered`: / answered calls.
    pub definition: Option<SlDefinition>,
    /// Highest acceptable agent occupancy, in (0, 1].
    #[schemars(range(max = 1), extend("exclusiveMinimum" = 0))]
    pub max_occupancy: Option<f64>,
    /// Highest acceptable abandon rate, in (0, 1].
    #[schemars(range(max = 1), extend("exclusiveMinimum" = 0))]
    pub max_abandon: Option<f64>,
    /// Highest acceptable average speed of answer.
    pub asa_goal: Option<Duration>,
    /// How callback customers count in the service level: `excluded` (default) or
    /// `answered_in_time`.
    pub callbacks_count_as: Option<crate::callback::CallbacksCountAs>,
    /// `[service_level.chat]`: the goal chat is judged against (default: this table's).
    pub chat: Option<ChannelServiceLevelFile>,
    /// `[service_level.email]`: the goal email is judged against, e.g. `target = "4h"`
    /// (default: this table's).
    pub email: Option<ChannelServiceLevelFile>,
}

/// `[service_level.chat]`, `[service_level.email]`: one channel's own goal.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelServiceLevelFile {
    /// Answer-time threshold, e.g. `"60s"`, `"4h"`, `"1d"`.
    #[schemars(required)]
    pub target: Option<Duration>,
    /// Share of contacts to answer within `target`, in (0, 1].
    #[schemars(required, range(max = 1), extend("exclusiveMinimum" = 0))]
    pub goal: Option<f64>,
    /// `offered` (default) or `answered`, as in `[service_level]`.
    pub definition: Option<SlDefinition>,
}

/// `[simulation]`.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulationFile {
    /// Independent replications (default 30).
    pub replications: Option<u32>,
    /// Base seed (default 1).
    pub seed: Option<u64>,
}

/// `[staffing]`.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffingFile {
    /// Share of paid time not available for calls, in [0, 1) (default 0).
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    pub shrinkage: Option<f64>,
    /// Most agents the optimiser may schedule at once, over all templates.
    pub max_headcount: Option<u32>,
}

/// `[[call_types]]`.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallTypeFile {
    /// Unique name.
    pub name: String,
    /// `voice` (default), `chat` or `email`.
    pub channel: Option<Channel>,
    /// Emails waiting when the run starts (email call types only; default 0).
    pub initial_backlog: Option<u32>,
    /// Fresh calls offered per interval (one day, or all days).
    // A value the reader could not read (its problem reported) is `None`, so the others keep
    // their index and are still checked.
    #[schemars(with = "Option<Vec<f64>>")]
    pub volumes: Option<Vec<Option<f64>>>,
    /// Forecast CSV (relative to the scenario file) instead of `volumes`.
    pub volumes_file: Option<String>,
    /// Column of `volumes_file` (default: the call type's name).
    pub volumes_column: Option<String>,
    /// Hours it takes contacts (default: whenever the grid runs); its volumes are zero outside
    /// them. Voice and chat only.
    pub open: Option<OpenFile>,
    /// Handle time of one contact.
    #[schemars(required)]
    pub handle_time: Option<DistFile>,
    /// How long callers wait before hanging up (omitted: they never abandon).
    pub patience: Option<DistFile>,
    /// Abandoned callers who call again.
    pub redial: Option<RecallFile>,
    /// Answered callers whose problem was not solved, who call again.
    pub repeat: Option<RecallFile>,
    /// After service, transfers to other call types.
    // A transfer the reader could not read (its problems reported) is `None`, so the others
    // keep their index and are still checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<TransferFile>")]
    pub transfers: Vec<Option<TransferFile>>,
    /// Higher is answered first when an agent can take several call types (default 0).
    pub priority: Option<i32>,
    /// Lines of its own, not shared with other call types (default: the shared `[lines]`).
    pub lines: Option<u32>,
    /// Callers who got a busy signal and call again (default: as `redial`).
    pub redial_after_blocked: Option<RecallFile>,
    /// A callback offer (virtual hold) to callers facing a long wait.
    pub callback: Option<CallbackFile>,
}

/// A call type's `callback = { ... }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackFile {
    /// Offer a callback when the expected wait at arrival is over this, e.g. `"2m"`.
    #[schemars(required)]
    pub offer_when_wait_over: Option<Duration>,
    /// Probability that an offered caller accepts, in [0, 1].
    #[schemars(required)]
    pub accept: Option<f64>,
    /// Probability that one call back reaches the customer, in [0, 1].
    #[schemars(required)]
    pub answer: Option<f64>,
    /// Further call backs after a missed one (0: a single attempt).
    #[schemars(required)]
    pub retries: Option<u32>,
    /// Delay from a missed call back to the next, e.g. `"10m"`.
    #[schemars(required)]
    pub retry_after: Option<Duration>,
    /// Agent time to dial each call back (default `"20s"`).
    pub dial_time: Option<Duration>,
}

/// A duration distribution, named by `distribution`.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "distribution", rename_all = "lowercase", deny_unknown_fields)]
pub enum DistFile {
    /// Exponential with a mean.
    Exponential {
        /// Mean duration.
        mean: Duration,
    },
    /// Log-normal with a mean and coefficient of variation.
    Lognormal {
        /// Mean duration.
        mean: Duration,
        /// Coefficient of variation (standard deviation / mean), positive.
        cv: f64,
    },
    /// Gamma with a mean and coefficient of variation.
    Gamma {
        /// Mean duration.
        mean: Duration,
        /// Coefficient of variation, positive.
        cv: f64,
    },
    /// Erlang-k: the sum of k exponential phases.
    Erlang {
        /// Mean duration.
        mean: Duration,
        /// Number of phases, at least 1.
        k: u32,
    },
    /// Always the mean.
    Deterministic {
        /// The duration.
        mean: Duration,
    },
    /// Uniform between min and max.
    Uniform {
        /// Shortest duration.
        min: Duration,
        /// Longest duration.
        max: Duration,
    },
    /// Drawn from observed durations: `values`, or a `column` of a CSV `file`.
    Empirical {
        /// Observed durations.
        // `None` for a value the reader could not read, as in a call type's `volumes`.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[schemars(with = "Option<Vec<Duration>>")]
        values: Option<Vec<Option<Duration>>>,
        /// CSV file of observations (relative to the scenario file).
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// Column of `file` holding the durations.
        #[serde(skip_serializing_if = "Option::is_none")]
        column: Option<String>,
    },
}

/// Names of the distributions, in the order of [`DistFile`].
pub const DISTRIBUTIONS: [&str; 7] =
    ["exponential", "lognormal", "gamma", "erlang", "deterministic", "uniform", "empirical"];

/// A caller calling again (`redial`, `repeat`).
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecallFile {
    /// Probability in [0, 1].
    pub probability: f64,
    /// Time until the new attempt.
    pub delay: DistFile,
}

/// A transfer after service.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferFile {
    /// Target call type.
    pub to: String,
    /// Probability in [0, 1]; a call type's transfers sum to at most 1.
    pub probability: f64,
}

/// `[[agent_groups]]`.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentGroupFile {
    /// Unique name.
    pub name: String,
    /// Call types this group takes, in order of preference.
    // A skill the reader could not read (its problems reported) is `None`, so the others keep
    // their index and are still checked.
    #[schemars(with = "Vec<SkillFile>")]
    pub skills: Vec<Option<SkillFile>>,
    /// Multiplies every handle time of this group (default 1).
    pub handle_time_factor: Option<f64>,
    /// Chats one agent holds at once (required when the group has a chat skill; only then).
    pub max_concurrency: Option<u32>,
    /// An agent's total throughput holding 1, 2, ... chats relative to one chat, one value per
    /// chat up to `max_concurrency`, starting at 1.0 and increasing (default `[1, 2, ...]`: no
    /// slowdown).
    // A value the reader could not read (its problem reported) is `None`, as in `staffing`, so
    // the others keep their index and are still checked.
    #[schemars(with = "Option<Vec<f64>>")]
    pub concurrency_factors: Option<Vec<Option<f64>>>,
    /// Agents on duty per interval (one day, or all days), instead of shifts.
    #[schemars(with = "Option<Vec<u32>>")]
    pub staffing: Option<Vec<Option<u32>>>,
}

/// A skill: a call type name, or a call type taken only after callers waited `after`.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum SkillFile {
    /// Takes the call type at once.
    Name(String),
    /// Takes the call type after an overflow delay.
    #[schemars(extend("additionalProperties" = false))]
    Overflow {
        /// The call type.
        call_type: String,
        /// Only calls that have waited this long.
        after: Duration,
    },
}

/// `[[shifts]]`: `agents` identical shifts of one group.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftFile {
    /// The agent group.
    // `None` when the reader could not read it (its problem reported), as `start`, so the
    // shift's other fields are still checked.
    #[schemars(with = "String")]
    pub group: Option<String>,
    /// Log-in clock time.
    #[schemars(with = "String")]
    pub start: Option<String>,
    /// Log-out clock time (may cross midnight); or give `length`.
    pub end: Option<String>,
    /// Length from log-in to log-out; or give `end`.
    pub length: Option<Duration>,
    /// Agents working this shift.
    pub agents: u32,
    /// Breaks, by clock time.
    // A break the reader could not read (its problems reported) is `None`, so the others keep
    // their index and are still checked against the shift.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<BreakFile>")]
    pub breaks: Vec<Option<BreakFile>>,
    /// Days the shift is worked (default: every day).
    // `None` for a day the reader could not read, as in `breaks`.
    #[schemars(with = "Option<Vec<DayFile>>")]
    pub days: Option<Vec<Option<DayFile>>>,
}

/// A break in a shift.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakFile {
    /// Clock time the break starts.
    pub start: String,
    /// Length of the break.
    pub length: Duration,
}

/// `[[staffing]]` in a plan file: agents on duty per interval for one group.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffingVectorFile {
    /// The agent group.
    pub group: String,
    /// Agents on duty per interval (one day, or all days).
    // `None` for a count the reader could not read, as in a group's `staffing`.
    #[schemars(with = "Vec<u32>")]
    pub agents: Vec<Option<u32>>,
}

/// A plan file (`--plan`): shifts and per-group staffing vectors replacing the scenario's own.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Shifts.
    // `None` for one the reader could not read, as in `ScenarioFile::shifts`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<ShiftFile>")]
    pub shifts: Vec<Option<ShiftFile>>,
    /// Staffing vectors of groups not worked by shifts.
    // `None` for one the reader could not read, as in `shifts`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<StaffingVectorFile>")]
    pub staffing: Vec<Option<StaffingVectorFile>>,
}

/// `[[shift_templates]]`: a family of shifts for the optimiser.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftTemplateFile {
    /// The agent group.
    // `None` when the reader could not read it (its problem reported), as the other required
    // fields but `step`, so the template's other fields are still checked.
    #[schemars(with = "String")]
    pub group: Option<String>,
    /// Earliest log-in clock time.
    #[schemars(with = "String")]
    pub earliest_start: Option<String>,
    /// Latest log-in clock time.
    #[schemars(with = "String")]
    pub latest_start: Option<String>,
    /// Log-in times every `step` from `earliest_start`.
    #[schemars(required)]
    pub step: Option<Duration>,
    /// Allowed shift lengths.
    // A length or a break the reader could not read (its problems reported) is `None`, so the
    // others keep their index and are still checked.
    #[schemars(with = "Vec<Duration>")]
    pub lengths: Option<Vec<Option<Duration>>>,
    /// Breaks placed by the optimiser; offsets from shift start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<BreakRuleFile>")]
    pub breaks: Vec<Option<BreakRuleFile>>,
    /// Cost of one paid agent-hour.
    #[schemars(with = "f64")]
    pub cost_per_hour: Option<f64>,
    /// Most agents on this template's shifts on any one day.
    pub max_agents: Option<u32>,
}

/// Where a break may go, as offsets from shift start.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakRuleFile {
    /// Length of the break.
    pub length: Duration,
    /// Earliest start after log-in.
    pub earliest: Duration,
    /// Latest start after log-in.
    pub latest: Duration,
}
