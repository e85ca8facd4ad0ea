//! The validated contact center: what `scenario::validate` produces and every later stage reads.
//!
//! Everything here is already checked (probabilities in [0, 1], ids in range, volume lists as
//! long as the grid, shifts inside the day), so downstream code never re-validates. Fields are
//! public for reading; only `scenario::validate`, plan loaders, the staffing planner and the
//! shift optimiser build these values.

mod channel;
mod hours;
pub(crate) mod on_duty;
mod template;

pub use channel::{Channel, ChannelGoals, ChatConcurrency, ConcurrencyError, MAX_CONCURRENCY};
pub use hours::{DayHours, Hours, HoursError, OpenHours};

use std::path::PathBuf;

use crate::dist::Dist;
use crate::time::{ClockTime, DAY, IntervalGrid, Seconds};

/// Index of a call type in [`Scenario::call_types`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CallTypeId(pub u16);

/// Index of an agent group in [`Scenario::agent_groups`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgentGroupId(pub u16);

impl CallTypeId {
    /// As a vector index.
    pub fn idx(self) -> usize {
        usize::from(self.0)
    }
}

impl AgentGroupId {
    /// As a vector index.
    pub fn idx(self) -> usize {
        usize::from(self.0)
    }
}

/// A whole validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Human name (`name = ...`), shown in titles.
    pub name: String,
    /// The file it came from (for messages and relative paths).
    pub source: PathBuf,
    /// The planning intervals.
    pub grid: IntervalGrid,
    /// Service-level target and goal (the scenario's own; voice is judged against it, and
    /// every channel without a goal of its own).
    pub service_level: ServiceLevelGoal,
    /// Per-channel goals (`[service_level.chat]`, `[service_level.email]`); see
    /// [`Scenario::goal_for`].
    pub channel_goals: ChannelGoals,
    /// Extra staffing goals and shrinkage (for `ccsim staff` and `ccsim schedule`).
    pub staffing: StaffingGoals,
    /// Default replications and seed.
    pub simulation: SimulationSettings,
    /// Call types, indexed by [`CallTypeId`].
    pub call_types: Vec<CallType>,
    /// Agent groups, indexed by [`AgentGroupId`].
    pub agent_groups: Vec<AgentGroup>,
    /// Who works when: the scenario's own shifts or staffing, or a `--plan` file's.
    pub plan: ShiftPlan,
    /// Shift templates for the optimiser (`ccsim schedule`).
    pub shift_templates: Vec<ShiftTemplate>,
    /// Telephone lines and busy signals (none by default).
    pub telephony: crate::telephony::Telephony,
    /// Callback offers and how callback customers count in the service level (none by
    /// default).
    pub callbacks: crate::callback::Callbacks,
    /// Forecast error, absence and handle-time drift (`[uncertainty]`); `None`: the forecast
    /// is the truth.
    pub uncertainty: Option<crate::uncertainty::Uncertainty>,
    /// Known or feared surges and outages (`[[events]]`).
    pub events: Vec<crate::events::DayEvent>,
    /// The files the scenario names and that were read (`volumes_file`, an `empirical` `file`):
    /// the field naming each (`call_types.sales.volumes_file`) and the path resolved against
    /// the scenario's folder. A command's outputs must not replace them.
    pub files_read: Vec<(String, PathBuf)>,
}

impl Scenario {
    /// Looks up a call type by name.
    pub fn call_type_id(&self, name: &str) -> Option<CallTypeId> {
        self.call_types.iter().position(|c| c.name == name).map(|i| CallTypeId(i as u16))
    }
    /// Looks up an agent group by name.
    pub fn agent_group_id(&self, name: &str) -> Option<AgentGroupId> {
        self.agent_groups.iter().position(|g| g.name == name).map(|i| AgentGroupId(i as u16))
    }
    /// The service-level goal `channel` is judged against: its own, else `[service_level]`.
    pub fn goal_for(&self, channel: Channel) -> ServiceLevelGoal {
        self.channel_goals.own(channel).unwrap_or(self.service_level)
    }
    /// The goal of all its contacts together: with one channel, that channel's (a chat-only
    /// scenario is judged against `[service_level.chat]`, not the voice goal it does not use);
    /// with several, `[service_level]`, the goal of the totals (each channel's contacts are still
    /// judged against their own, [`several_channel_goals`](Self::several_channel_goals)).
    pub fn goal(&self) -> ServiceLevelGoal {
        match self.channels().as_slice() {
            [only] => self.goal_for(*only),
            _ => self.service_level,
        }
    }
    /// The channels its call types come by, in [`Channel::ALL`]'s order.
    pub fn channels(&self) -> Vec<Channel> {
        Channel::ALL.into_iter().filter(|&ch| self.call_types.iter().any(|c| c.channel == ch)).collect()
    }
    /// Each channel's goal when the call types come by several channels (in [`Channel::ALL`]'s
    /// order); empty with one, whose goal alone applies.
    pub fn several_channel_goals(&self) -> Vec<ChannelGoal> {
        let present = self.channels();
        if present.len() < 2 {
            return Vec::new();
        }
        present.into_iter().map(|channel| ChannelGoal { channel, goal: self.goal_for(channel) }).collect()
    }
    /// Whether any call type is a chat (the engine then keeps chat slots).
    pub fn has_chat(&self) -> bool {
        self.call_types.iter().any(|c| c.channel == Channel::Chat)
    }
    /// The same scenario worked by another plan.
    pub fn with_plan(&self, plan: ShiftPlan) -> Scenario {
        Scenario { plan, ..self.clone() }
    }
}

/// Which calls the service level divides by.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SlDefinition {
    /// Answered within target / all offered calls (abandoned calls count against it).
    #[default]
    Offered,
    /// Answered within target / answered calls.
    Answered,
}

impl SlDefinition {
    /// Both, in the order the scenario key `definition` lists them.
    pub const ALL: [SlDefinition; 2] = [SlDefinition::Offered, SlDefinition::Answered];

    /// Its name: the value of the scenario key `definition`, as CSV files and reports write it.
    pub fn name(self) -> &'static str {
        match self {
            SlDefinition::Offered => "offered",
            SlDefinition::Answered => "answered",
        }
    }

    /// What the contacts answered within target are divided by, in words.
    pub fn denominator(self) -> &'static str {
        match self {
            SlDefinition::Offered => "offered (abandoned included)",
            SlDefinition::Answered => "answered",
        }
    }
}

/// The goal one channel is judged against.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ChannelGoal {
    /// `voice`, `chat` or `email`.
    pub channel: Channel,
    /// Its goal: its own (`[service_level.chat]`, `[service_level.email]`), else the scenario's.
    #[serde(flatten)]
    pub goal: ServiceLevelGoal,
}

/// The service-level objective: `goal` of calls answered within `target`. The one type of it,
/// from the scenario file to every JSON output (as `{"target_s", "goal", "definition"}`).
#[derive(Copy, Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceLevelGoal {
    /// Answer-time threshold T (`target_s` in JSON).
    #[serde(rename = "target_s")]
    pub target: Seconds,
    /// Share in (0, 1].
    pub goal: f64,
    /// What the share is taken of.
    pub definition: SlDefinition,
}

/// Goals beyond the service level, and shrinkage, used by staffing and scheduling.
#[derive(Copy, Clone, Debug, PartialEq, Default)]
pub struct StaffingGoals {
    /// Highest acceptable occupancy, in (0, 1].
    pub max_occupancy: Option<f64>,
    /// Highest acceptable abandon rate, in (0, 1].
    pub max_abandon: Option<f64>,
    /// Highest acceptable ASA.
    pub asa_goal: Option<Seconds>,
    /// Share of paid time not available for calls (meetings, training, absence), in [0, 1).
    pub shrinkage: f64,
    /// Most agents the optimiser may schedule on any one day (by log-in day), over all templates.
    pub max_headcount: Option<u32>,
}

/// Simulation defaults, overridable on the command line.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct SimulationSettings {
    /// Independent replications, at least 1.
    pub replications: u32,
    /// Base seed; replication r uses streams derived from (seed, r) only.
    pub seed: u64,
}

/// A kind of contact with its own queue, forecast and behaviour.
#[derive(Clone, Debug, PartialEq)]
pub struct CallType {
    /// Unique name.
    pub name: String,
    /// How its contacts reach the center (`channel`, default voice).
    pub channel: Channel,
    /// Emails waiting when the run starts (`initial_backlog`; email call types only, else 0).
    pub initial_backlog: u32,
    /// Fresh calls offered in each interval of the grid (length = `grid.len()`).
    pub volumes: Vec<f64>,
    /// Handle time of one contact (before the serving group's factor).
    pub handle_time: Dist,
    /// Time a caller waits before hanging up; `None`: never abandons.
    pub patience: Option<Dist>,
    /// Abandoned callers who call again.
    pub redial: Option<Recall>,
    /// Answered callers whose problem was not solved, who call again.
    pub repeat: Option<Recall>,
    /// After service, the caller is transferred to another call type with these probabilities
    /// (summing to at most 1).
    pub transfers: Vec<Transfer>,
    /// Higher is answered first when an agent can take several call types.
    pub priority: i32,
    /// The hours it takes contacts (`open`: every day, or by weekday); `None`: whenever the grid
    /// runs. Its volumes are zero outside them.
    pub open: Option<OpenHours>,
}

impl CallType {
    /// Whether it takes contacts in interval `idx` of the grid.
    #[inline]
    pub fn is_open(&self, idx: usize) -> bool {
        self.open.as_ref().is_none_or(|h| h.is_open(idx))
    }
}

/// A caller coming back: with `probability`, after `delay`.
#[derive(Clone, Debug, PartialEq)]
pub struct Recall {
    /// Probability in [0, 1].
    pub probability: f64,
    /// Time until the new attempt.
    pub delay: Dist,
}

/// A transfer after service.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Transfer {
    /// Target call type.
    pub to: CallTypeId,
    /// Probability in [0, 1].
    pub probability: f64,
}

/// Agents who share skills and a handle-time factor.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentGroup {
    /// Unique name.
    pub name: String,
    /// Call types this group can take, in order of preference.
    pub skills: Vec<Skill>,
    /// Multiplies every handle time of this group (1.3 for new hires).
    pub handle_time_factor: f64,
    /// Chats one agent holds at once and how fast it works them (`max_concurrency`,
    /// `concurrency_factors`); present exactly when the group has a chat skill.
    pub chat: Option<ChatConcurrency>,
}

/// One call type an agent group can take.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Skill {
    /// The call type.
    pub call_type: CallTypeId,
    /// The group takes such a call only once it has waited this long (overflow); 0 = at once.
    pub after: Seconds,
}

/// Who works when. Each agent group is worked either by shifts or by a staffing vector.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShiftPlan {
    /// Name shown in reports (the plan file's stem, or "scenario").
    pub name: String,
    /// Shifts of all groups.
    pub shifts: Vec<Shift>,
    /// Per-interval staffing of groups that are not worked by shifts.
    pub staffing: Vec<GroupStaffing>,
}

/// A block of `agents` identical shifts of one group.
#[derive(Clone, Debug, PartialEq)]
pub struct Shift {
    /// The group.
    pub group: AgentGroupId,
    /// Clock time of log-in.
    pub start: ClockTime,
    /// Length from log-in to log-out (a shift may cross midnight).
    pub length: Seconds,
    /// Number of agents working it.
    pub agents: u32,
    /// Breaks, ordered, not overlapping, inside the shift.
    pub breaks: Vec<ShiftBreak>,
    /// Days (counted from 1) the shift is worked; `None` = every day of the scenario.
    pub days: Option<Vec<usize>>,
}

impl Shift {
    /// Clock time of log-out.
    pub fn end(&self) -> ClockTime {
        ClockTime::from_secs(self.start.secs() + self.length)
    }
    /// Paid hours of one agent on one day (breaks are paid).
    pub fn paid_hours(&self) -> f64 {
        self.length / 3600.0
    }
    /// Paid hours of all its agents over the grid's days.
    pub fn paid_hours_on(&self, grid: &IntervalGrid) -> f64 {
        self.paid_hours() * f64::from(self.agents) * self.days_worked(grid.days()) as f64
    }

    /// Days it is worked in a scenario of `days` days.
    pub fn days_worked(&self, days: usize) -> usize {
        (1..=days).filter(|&d| self.works_on(d)).count()
    }

    /// Whether the shift is worked on `day` (from 1).
    pub fn works_on(&self, day: usize) -> bool {
        self.days.as_ref().is_none_or(|d| d.contains(&day))
    }

    /// Log-in times from the start of day 1, one per day the shift is worked on `grid`. An
    /// overnight shift worked on the scenario's last day, whose hours past midnight reach into
    /// the grid's first day, also logs in the evening before day 1 (a negative time): as in a
    /// week that repeats, the last night's shift is the one that
    /// works the first morning, so its hours past the end of the horizon are work, not paid
    /// time that covers nothing. On a grid whose days run past midnight, a shift starting in
    /// that part of the morning is worked on the grid's day that began the evening before. The
    /// one rule for the roster, the optimiser and the overview.
    pub fn log_ins(&self, grid: &IntervalGrid) -> impl Iterator<Item = Seconds> + '_ {
        Shift::log_ins_of(grid, self.start, self.length, |day| self.works_on(day))
    }

    /// [`Shift::log_ins`] of a shift from `start` lasting `length`, worked on the days
    /// `works_on` accepts: the optimiser's candidate shifts are placed by this same rule.
    pub fn log_ins_of<F: Fn(usize) -> bool>(
        grid: &IntervalGrid,
        start: ClockTime,
        length: Seconds,
        works_on: F,
    ) -> impl Iterator<Item = Seconds> + use<F> {
        let (start, days) = (grid.clock_on_day(start), grid.days());
        // The last day's shift works the first morning only where its hours past midnight
        // reach the grid's first day: on nights from 22:00, a shift from 23:00 to 01:00 ends
        // before the first evening begins.
        let reaches_day_1 = start + length - DAY > grid.start().secs();
        let first_day = if reaches_day_1 && works_on(days) { 0 } else { 1 };
        (first_day..=days)
            .filter(move |&day| day == 0 || works_on(day))
            .map(move |day| (day as f64 - 1.0) * DAY + start)
    }
}

/// A break inside a shift.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ShiftBreak {
    /// From shift start to break start.
    pub offset: Seconds,
    /// Length of the break.
    pub length: Seconds,
}

/// Agents on duty in each interval of the grid, for one group.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupStaffing {
    /// The group.
    pub group: AgentGroupId,
    /// Agents on duty per interval (length = `grid.len()`).
    pub agents: Vec<u32>,
}

pub use template::{BorrowedRate, ShiftTemplate, TemplateError, not_whole_minutes};

/// A family of shifts the optimiser may use, as given: [`ShiftTemplate::new`] checks it, and a
/// [`ShiftTemplate`] reads as one of these.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftTemplateSpec {
    /// The group the shifts belong to.
    pub group: AgentGroupId,
    /// Earliest log-in.
    pub earliest_start: ClockTime,
    /// Latest log-in.
    pub latest_start: ClockTime,
    /// Log-in times every `step` from `earliest_start`.
    pub step: Seconds,
    /// Allowed shift lengths.
    pub lengths: Vec<Seconds>,
    /// Breaks, each placed by the optimiser between its `earliest` and `latest` offsets.
    pub breaks: Vec<BreakRule>,
    /// Cost of one paid agent-hour, above 0.
    pub cost_per_hour: f64,
    /// Most agents on this template's shifts on any one day, counted by log-in day (all its
    /// start times and lengths together); `None`: no limit.
    pub max_agents: Option<u32>,
}

/// Where a break may go, as offsets from shift start. Validation guarantees the break fits in
/// the template's longest shift (`earliest + length <= length`); in a shorter shift only the
/// positions that end by log-out are usable.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct BreakRule {
    /// Length of the break.
    pub length: Seconds,
    /// Earliest start, from shift start.
    pub earliest: Seconds,
    /// Latest start, from shift start.
    pub latest: Seconds,
}

impl ShiftPlan {
    /// Paid agent-hours over the whole scenario: shift lengths (breaks are paid) times agents
    /// times worked days, plus staffing vectors' agents times interval length.
    pub fn paid_hours(&self, grid: &IntervalGrid) -> f64 {
        let shifts: f64 = self.shifts.iter().map(|s| s.paid_hours_on(grid)).sum();
        let staffing: f64 = self
            .staffing
            .iter()
            .map(|s| s.agents.iter().map(|&a| f64::from(a)).sum::<f64>() * grid.length() / 3600.0)
            .sum();
        // An empty sum of floats is -0.0, which a report would print as "-0.0 h".
        shifts + staffing + 0.0
    }
}

/// A stationary single queue: constant volume, one call type, one agent group with constant
/// staffing, over one day of equal intervals. With exponential handle time and patience its
/// long-run results are Erlang C / Erlang A, which makes it the engine's reference check.
#[derive(Clone, Debug, PartialEq)]
pub struct StationaryQueue {
    /// Calls per hour.
    pub calls_per_hour: f64,
    /// Handle time.
    pub handle_time: Dist,
    /// Patience (`None`: nobody abandons).
    pub patience: Option<Dist>,
    /// Agents on duty all day.
    pub agents: u32,
    /// Service-level target.
    pub target: Seconds,
    /// Hours simulated: at most 24, or a whole number of days (a multiple of 24).
    pub hours: u32,
}

impl Scenario {
    /// The scenario of a [`StationaryQueue`] (for tests, benchmarks and engine checks).
    ///
    /// # Panics
    /// When `hours` is 0, or more than 24 and not a multiple of 24.
    pub fn stationary(q: &StationaryQueue) -> Scenario {
        let (per_day, days) = if q.hours <= 24 { (q.hours as usize, 1) } else { (24, q.hours as usize / 24) };
        assert!(q.hours <= 24 || q.hours.is_multiple_of(24), "hours: at most 24 or whole days");
        let grid =
            IntervalGrid::new(ClockTime::MIDNIGHT, 3600.0, per_day, days).expect("1 to 24 hours a day");
        let per_day = grid.len();
        Scenario {
            name: "stationary queue".to_string(),
            source: PathBuf::from("<stationary>"),
            service_level: ServiceLevelGoal {
                target: q.target,
                goal: 0.8,
                definition: SlDefinition::Offered,
            },
            channel_goals: ChannelGoals::default(),
            staffing: StaffingGoals::default(),
            simulation: SimulationSettings { replications: 10, seed: 1 },
            call_types: vec![CallType {
                name: "calls".to_string(),
                channel: Channel::Voice,
                initial_backlog: 0,
                volumes: vec![q.calls_per_hour; per_day],
                handle_time: q.handle_time.clone(),
                patience: q.patience.clone(),
                redial: None,
                repeat: None,
                transfers: Vec::new(),
                priority: 0,
                open: None,
            }],
            agent_groups: vec![AgentGroup {
                name: "agents".to_string(),
                skills: vec![Skill { call_type: CallTypeId(0), after: 0.0 }],
                handle_time_factor: 1.0,
                chat: None,
            }],
            plan: ShiftPlan {
                name: "scenario".to_string(),
                shifts: Vec::new(),
                staffing: vec![GroupStaffing { group: AgentGroupId(0), agents: vec![q.agents; per_day] }],
            },
            shift_templates: Vec::new(),
            telephony: Default::default(),
            callbacks: Default::default(),
            uncertainty: None,
            events: Vec::new(),
            files_read: Vec::new(),
            grid,
        }
    }
}
