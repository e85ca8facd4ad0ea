//! The discrete-event simulation of one replication.
//!
//! [`run`] is only the event loop: it pops the next event and hands it to the handler named
//! after the domain verb in [`state`] (whose child modules group the handlers by what they
//! handle: `arrivals`, `waiting`, `service`, `dialing`, `agents`, `agent_time`, `closing`).
//! Routing rules live in [`routing`], the agents' schedule in [`roster`], the tallies in
//! [`counts`]. The engine prints nothing and returns [`Counts`]; an [`Observer`] may watch each
//! contact end (the `--trace` log), at no cost when it does nothing.

pub mod callback;
pub mod chat;
pub mod counts;
pub mod email;
pub mod event;
pub mod lines;
pub mod recall_budget;
pub mod roster;
pub mod routing;
pub mod state;
mod superposition;

pub use counts::{Counts, Origin};

use crate::limits::MAX_CONTACTS_HELD;
use crate::model::Scenario;
use crate::time::{ClockTime, Seconds, SimTime};
use event::{Event, EventQueue};
use state::State;

/// How a contact ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// An agent answered it.
    Answered,
    /// The caller hung up while waiting.
    Abandoned,
    /// Still waiting when no agent remained.
    UnansweredAtClose,
    /// Every line was held: the caller got a busy signal.
    Blocked,
    /// A callback customer that no call back reached.
    CallbackFailed,
}

impl Outcome {
    /// Every outcome, in the order messages list them.
    pub const ALL: [Outcome; 5] = [
        Outcome::Answered,
        Outcome::Abandoned,
        Outcome::Blocked,
        Outcome::UnansweredAtClose,
        Outcome::CallbackFailed,
    ];

    /// Lower-case name, as in the trace (and the word `ccsim fit` reads by default).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Abandoned => "abandoned",
            Outcome::UnansweredAtClose => "unanswered_at_close",
            Outcome::Blocked => "blocked",
            Outcome::CallbackFailed => "callback_failed",
        }
    }

    /// What it means, for a message that asks which outcome an unknown word is.
    pub fn meaning(self) -> &'static str {
        match self {
            Outcome::Answered => "an agent answered",
            Outcome::Abandoned => "the caller hung up while waiting",
            Outcome::Blocked => "a busy signal, never queued",
            Outcome::UnansweredAtClose => "still waiting when the center closed",
            Outcome::CallbackFailed => "a caller waiting for a call back that never reached them",
        }
    }

    /// Every outcome with its meaning: `answered (an agent answered), ...`.
    pub fn vocabulary() -> String {
        Outcome::ALL.map(|o| format!("{} ({})", o.name(), o.meaning())).join(", ")
    }
}

/// One contact, at the moment its wait ended.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct TraceRecord {
    /// Arrival instant.
    pub arrival_s: SimTime,
    /// Caller id: the same for a caller's fresh contact and its redials, repeats and transfers.
    pub caller: u64,
    /// Call type index.
    pub call_type: u16,
    /// Where the contact came from.
    pub origin: Origin,
    /// Time in queue.
    pub wait_s: Seconds,
    /// How it ended.
    pub outcome: Outcome,
    /// The group that answered it.
    pub group: Option<u16>,
    /// Handle time after the group's factor.
    pub handle_time_s: Option<Seconds>,
    /// A callback customer: it hung up to be called back, so its wait was not spent holding
    /// a line.
    pub callback: bool,
    /// One of its call type's `initial_backlog`, offered at the first instant of the run.
    pub initial_backlog: bool,
}

/// Watches contacts as their wait ends.
pub trait Observer {
    /// Called once per offered contact, when it is answered, abandons or is left at close.
    fn contact_ended(&mut self, record: &TraceRecord);
}

/// An observer that ignores everything (compiled away).
#[derive(Copy, Clone, Debug, Default)]
pub struct NoTrace;

impl Observer for NoTrace {
    #[inline(always)]
    fn contact_ended(&mut self, _record: &TraceRecord) {}
}

/// What every handler may touch besides the center's state: the future-event list, the
/// tallies and the observer, passed as one argument instead of three.
pub struct Context<'r, O> {
    /// The future-event list.
    pub events: &'r mut EventQueue,
    /// What this replication has counted so far.
    pub counts: &'r mut Counts,
    /// Watches contacts as their wait ends.
    pub observer: &'r mut O,
}

impl<F: FnMut(&TraceRecord)> Observer for F {
    fn contact_ended(&mut self, record: &TraceRecord) {
        self(record)
    }
}

/// [`run`] with no trace: the one compiled copy of the engine that replications run, and that
/// the benchmarks and `examples/engine_run` time, so a measurement times the code `ccsim`
/// executes (each crate that calls the generic [`run`] compiles a copy of its own, and LLVM
/// may inline differently in each).
#[inline(never)]
pub fn run_untraced(scenario: &Scenario, seed: u64, replication: u32) -> Counts {
    run(scenario, seed, replication, &mut NoTrace)
}

/// Simulates replication `replication` of `scenario` (its plan included) and returns what it
/// counted. Arrivals stop at the end of the last interval; the run ends when the last event
/// is handled or when, past the horizon, no agent remains and none will come.
///
/// The per-call path (the event list's removal, scheduling the next arrival, offering a
/// contact, picking an agent, routing, starting and ending service, an agent becoming free) is
/// `#[inline(always)]`: each crate that calls `run` compiles its own copy, and left to LLVM's
/// judgement the library's copy, the one `ccsim simulate` runs, kept those steps as calls where
/// a benchmark's copy inlined some of them. Inlined everywhere, the whole run of the bound case
/// of docs/engine-bound.md executes 14% fewer instructions (cachegrind).
pub fn run<O: Observer>(scenario: &Scenario, seed: u64, replication: u32, observer: &mut O) -> Counts {
    run_holding_at_most(scenario, seed, replication, MAX_CONTACTS_HELD, observer)
}

/// [`run`] with a cap on the contacts held at once other than [`MAX_CONTACTS_HELD`], so that a
/// test reaches it with a small scenario instead of millions of contacts.
#[doc(hidden)]
#[inline(always)]
pub fn run_holding_at_most<O: Observer>(
    scenario: &Scenario,
    seed: u64,
    replication: u32,
    max_held: usize,
    observer: &mut O,
) -> Counts {
    let mut counts = Counts::new(scenario.grid.len(), scenario.call_types.len(), scenario.agent_groups.len());
    let mut events = EventQueue::with_capacity(1024);
    let mut state = State::new(scenario, seed, replication, max_held, &mut events);
    counts.chat_time = state.chat_counts();
    let mut ctx = Context { events: &mut events, counts: &mut counts, observer };
    let mut now: SimTime = 0.0;
    // Before this instant the center cannot close, so the loop skips the check.
    let closing_from = state.closing_from();
    while let Some((time, event)) = ctx.events.pop() {
        now = time;
        let c = &mut ctx;
        match event {
            Event::Arrival(call_type) => state.arrive(call_type, now, c),
            Event::AddedArrival(call_type) => state.arrive_added(call_type, now, c),
            Event::Recontact(call) => state.recontact(call, now, c),
            Event::PatienceEnd { call, generation } => state.abandon(call, generation, now, c),
            Event::Overflow { call, generation } => state.overflow(call, generation, now, c),
            Event::ServiceEnd(agent) => state.end_service(agent, now, c),
            Event::ChatEnd { agent, generation } => state.end_chat(agent, generation, now, c),
            Event::LogIn(agent) => state.log_in(agent, now, c),
            Event::LogOut(agent) => state.log_out(agent, now, c.counts),
            Event::BreakStart { agent, length_s } => state.start_break(agent, length_s, now, c),
            Event::Pull { agent, length_s } => state.pull(agent, length_s, now, c),
            Event::BreakEnd(agent) => state.end_break(agent, now, c),
            Event::Staffing { group, agents } => state.set_staffing(group, agents, now, c),
            Event::LinesChange(pool) => state.change_lines(pool, now),
            Event::CallbackDialEnd(agent) => state.end_dial(agent, now, c),
            Event::CallbackRetry { call, generation } => state.retry_callback(call, generation, now, c),
        }
        if now >= closing_from {
            state.close_if_over(now, &mut ctx);
            if state.is_closed() {
                break;
            }
        }
    }
    state.close(now.max(scenario.grid.horizon()), &mut ctx);
    counts.recalls_run_away = state.recalls_run_away();
    counts.held_cap_reached = state.held_cap_reached();
    counts
}

/// Checks that a replication's counts are a result: its contacts held at once stayed under
/// [`MAX_CONTACTS_HELD`], its callers did not call back without end ([`recall_budget`]), and
/// its contacts balance ([`check_balance`]).
///
/// # Errors
/// [`crate::error::BadInput`] naming the scenario and the day and time the contacts held
/// reached the cap, or the call type whose redials and repeats ran away; [`Unbalanced`] for a
/// cell that does not balance.
pub fn check_counts(scenario: &Scenario, replication: u32, counts: &Counts) -> anyhow::Result<()> {
    // First: stopping at the cap also refuses every recall, which the budget records as spent.
    if let Some((at, cap)) = counts.held_cap_reached {
        return Err(crate::error::BadInput(held_cap_message(scenario, replication, at, cap)).into());
    }
    if let Some(ct) = counts.recalls_run_away {
        let c = &scenario.call_types[ct.idx()];
        let recalls: Vec<String> = [
            ("redial", c.redial.as_ref()),
            ("redial_after_blocked", scenario.telephony.call_type(ct.idx()).redial_after_blocked.as_ref()),
            ("repeat", c.repeat.as_ref()),
        ]
        .into_iter()
        .filter_map(|(key, r)| r.map(|r| format!("{key} probability {}", r.probability)))
        .collect();
        return Err(crate::error::BadInput(format!(
            "{}: call_types.{}: its callers called back without end in replication {replication}: \
             redials and repeats passed {:.0} for each fresh contact offered \
             (MAX_RECALLS_PER_FRESH_CONTACT), each attempt calling again almost at once ({}); \
             lower the probability below 1 or give the delay and the patience realistic means",
            scenario.source.display(),
            c.name,
            crate::limits::MAX_RECALLS_PER_FRESH_CONTACT,
            recalls.join(", "),
        ))
        .into());
    }
    check_balance(scenario, replication, counts)?;
    Ok(())
}

/// What `simulate` and every other command say when replication `replication` stopped at `at`
/// because its contacts held at once reached `cap` ([`MAX_CONTACTS_HELD`] unless a test lowered
/// it).
fn held_cap_message(scenario: &Scenario, replication: u32, at: SimTime, cap: usize) -> String {
    let grid = &scenario.grid;
    let day = grid.day_at(at);
    let when =
        format!("{} at {}", crate::time::day_title(day, grid.first_weekday()), ClockTime::from_secs(at));
    format!(
        "{}: on {when} of replication {replication}, more than {cap} contacts were \
         held at once (waiting, in service or due to call again), the cap of one replication \
         (MAX_CONTACTS_HELD): the scenario is far understaffed for its volume, so its contacts \
         pile up faster than they are answered or abandon; add agents or lower the volumes{} until \
         at most {cap} are held at once",
        scenario.source.display(),
        if scenario.call_types.iter().any(|c| c.initial_backlog > 0) { " or initial backlogs" } else { "" },
    )
}

/// Whether every offered contact of a cell ended answered, abandoned, unanswered at close,
/// blocked or callback failed.
pub fn balances(cell: &counts::Cell) -> bool {
    cell.offered_total()
        == cell.answered + cell.abandoned + cell.unanswered_at_close + cell.blocked + cell.callbacks.failed
}

/// A cell whose contacts do not add up: an engine bug, never a property of the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "internal error: replication {replication}, day {day} {start}, call type \"{call_type}\": {offered} \
     offered but {answered} answered + {abandoned} abandoned + {unanswered} unanswered at close + \
     {blocked} blocked + {callback_failed} callback failed; \
     a contact was lost or counted twice (please report this with the scenario and seed)"
)]
pub struct Unbalanced {
    /// Replication number.
    pub replication: u32,
    /// Day, from 1.
    pub day: usize,
    /// Interval start, `HH:MM`.
    pub start: String,
    /// Call type name.
    pub call_type: String,
    /// The cell's tallies.
    pub offered: u64,
    /// Answered.
    pub answered: u64,
    /// Abandoned.
    pub abandoned: u64,
    /// Unanswered at close.
    pub unanswered: u64,
    /// Blocked (busy signal).
    pub blocked: u64,
    /// Callback customers never reached.
    pub callback_failed: u64,
}

/// Checks the balance offered = answered + abandoned + unanswered at close + blocked +
/// callback failed in every cell of one replication. Run after every replication in every
/// build: it is one pass over the cells, negligible beside the replication itself.
///
/// # Errors
/// The first cell that does not balance.
pub fn check_balance(scenario: &Scenario, replication: u32, counts: &Counts) -> Result<(), Unbalanced> {
    let n_types = scenario.call_types.len().max(1);
    match counts.cells.iter().position(|c| !balances(c)) {
        None => Ok(()),
        Some(idx) => {
            let cell = &counts.cells[idx];
            let interval = idx / n_types;
            Err(Unbalanced {
                replication,
                day: scenario.grid.day_of(interval),
                start: scenario.grid.clock_of(interval).to_string(),
                call_type: scenario.call_types[idx % n_types].name.clone(),
                offered: cell.offered_total(),
                answered: cell.answered,
                abandoned: cell.abandoned,
                unanswered: cell.unanswered_at_close,
                blocked: cell.blocked,
                callback_failed: cell.callbacks.failed,
            })
        }
    }
}
