//! The state of a center during one replication, and the handlers `sim::run` dispatches to.
//!
//! All state lives in vectors indexed by ids and is reused: call records come from a slab
//! with a free list, queues and idle lists are ring buffers, and removals from the middle of
//! a queue are lazy (an entry whose call has moved on is skipped when it reaches the front).
//! After warm-up nothing is allocated per call (a wait histogram grows only when a wait
//! falls in a bucket its interval has not seen yet).
//!
//! This file holds the state's types, its construction and the few helpers every handler
//! shares (the call slab, the fronts of the lazy queues and idle lists). The handlers live in
//! child modules named after what they handle, each an `impl State` block over the same
//! private fields:
//!
//! - `arrivals`: fresh arrivals (drawn by `sim::superposition`), redials, repeats, the offer,
//!   busy signals, callback offers;
//! - `waiting`: abandonment, overflow, a caller left unanswered;
//! - `service`: routing picks, start and end of service (calls, chats, emails), a free agent;
//! - `dialing`: call backs dialed, reached, missed and retried;
//! - `agents`: log-in and log-out, breaks, staffing-vector headcounts;
//! - `agent_time`: on-duty and busy time integrated by interval;
//! - `closing`: the end of the run.

use std::collections::VecDeque;

use rand::Rng as _;

use crate::bad_day::BadDay;
use crate::model::{AgentGroupId, CallTypeId, Scenario};
use crate::sim::callback::CallbackDesk;
use crate::sim::chat::Chats;
use crate::sim::counts::{ChatTime, Origin};
use crate::sim::email::Backlog;
use crate::sim::event::{AgentIdx, CallIdx, Event, EventQueue};
use crate::sim::lines::Lines;
use crate::sim::recall_budget::RecallBudget;
use crate::sim::roster::Roster;
use crate::sim::routing::Routing;
use crate::sim::superposition::ArrivalProcess;
use crate::sim::{Outcome, TraceRecord};
use crate::stream::{self, Purpose};
use crate::time::SimTime;

mod agent_time;
mod agents;
mod arrivals;
mod closing;
mod dialing;
mod service;
mod waiting;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum CallState {
    Free,
    /// A redial or repeat scheduled but not yet offered.
    Pending,
    Waiting,
    InService,
    /// A callback customer whose call back missed it, due to be dialed again.
    Retrying,
}

#[derive(Copy, Clone, Debug)]
struct Call {
    arrival: SimTime,
    handle_s: f64,
    u_transfer: f64,
    u_recall: f64,
    seed: u64,
    /// Who calls: the fresh contact's seed, kept by its redials, repeats and transfers.
    caller: u64,
    generation: u32,
    interval: u32,
    call_type: CallTypeId,
    origin: Origin,
    state: CallState,
    /// A callback customer: it holds no line and never abandons.
    callback: bool,
    /// Call backs already tried without reaching the customer.
    attempt: u8,
}

/// The trace's record of contact `call` (its record `c`), whose wait ended after `wait_s` with
/// `outcome`; `served` is the group that answered it and its handle time. A contact is one of
/// the initial backlog when its record is among the slab's first `backlog_records` at its first
/// occupant (a slot reused has a later generation): told by its slot rather than a field of the
/// record, the mark costs a run without a trace nothing, and so does the record, which only an
/// observer that keeps it reads.
#[inline(always)]
fn ended(
    backlog_records: usize,
    call: CallIdx,
    c: &Call,
    wait_s: f64,
    outcome: Outcome,
    served: Option<(u16, f64)>,
) -> TraceRecord {
    TraceRecord {
        arrival_s: c.arrival,
        caller: c.caller,
        call_type: c.call_type.0,
        origin: c.origin,
        wait_s,
        outcome,
        group: served.map(|(g, _)| g),
        handle_time_s: served.map(|(_, h)| h),
        callback: c.callback,
        initial_backlog: c.generation == 0 && (call as usize) < backlog_records,
    }
}

const NO_CALL: Call = Call {
    arrival: 0.0,
    handle_s: 0.0,
    u_transfer: 0.0,
    u_recall: 0.0,
    seed: 0,
    caller: 0,
    generation: 0,
    interval: 0,
    call_type: CallTypeId(0),
    origin: Origin::Fresh,
    state: CallState::Free,
    callback: false,
    attempt: 0,
};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum AgentState {
    Off,
    Idle,
    Busy,
    Break,
}

#[derive(Copy, Clone, Debug)]
struct Agent {
    group: AgentGroupId,
    state: AgentState,
    /// Bumped whenever the agent stops being idle, invalidating its idle-list entry.
    idle_token: u32,
    call: CallIdx,
    /// A break due while busy, taken after the call (seconds; 0 = none).
    pending_break_s: u32,
    /// Due to log out after the current call or break.
    pending_logout: bool,
    /// End of the pull off the phones the agent is on (an event's `agents_unavailable`): a
    /// break ending before it lasts until it. Negative infinity when never pulled.
    pulled_until: SimTime,
}

#[derive(Clone, Debug)]
struct GroupState {
    /// Idle agents in the order they became idle: (agent, idle token, idle since).
    idle: VecDeque<(AgentIdx, u32, SimTime)>,
    n_on_duty: u32,
    n_busy: u32,
    /// Last time on-duty and busy time were integrated.
    last_change: SimTime,
    /// End of the interval that contained `last_change`, or -inf when none did (a cache for
    /// `integrate`).
    last_interval_end: SimTime,
    /// Index in `Counts::agent_time` of that interval's cell for this group.
    last_cell: usize,
    /// Whether a staffing vector (not shifts) drives this group.
    staffing_vector: bool,
    /// Staffing-vector groups: records not logged in.
    off_pool: Vec<AgentIdx>,
}

/// One replication's state.
pub struct State<'a> {
    scenario: &'a Scenario,
    routing: Routing,
    lines: Lines,
    callbacks: CallbackDesk,
    /// Chat slots of the agents of chat groups (empty without chats).
    chats: Chats,
    /// Per call type: the answer-time target of its channel's goal.
    targets: Vec<SimTime>,
    calls: Vec<Call>,
    free_calls: Vec<CallIdx>,
    queues: Vec<VecDeque<(CallIdx, u32)>>,
    agents: Vec<Agent>,
    groups: Vec<GroupState>,
    arrivals: Vec<ArrivalProcess>,
    /// Start and end instant of every interval (saves divisions in the hot loop).
    bounds: Vec<(SimTime, SimTime)>,
    logged_in: u32,
    /// End of the last interval.
    horizon: SimTime,
    last_supply: SimTime,
    /// The last instant an agent was told to stop taking work (log-out due, headcount cut):
    /// after it, past the horizon, nobody starts a waiting contact.
    last_stop: SimTime,
    closed: bool,
    /// This replication's volume and handle-time factors, absences and pulls.
    bad_day: BadDay,
    /// Emails: the blending rule and the backlog's days.
    backlog: Backlog,
    /// Redials and repeats left to this replication.
    recalls: RecallBudget,
    /// Call records the slab may hold: [`crate::limits::MAX_CONTACTS_HELD`] unless a test lowers it.
    max_held: usize,
    /// The instant the slab was full and a contact needed a record: the replication stopped
    /// there, and its counts are not a result.
    held_cap_reached_at: Option<SimTime>,
    /// Records of the initial backlog: the slab's first, created before any contact arrives.
    backlog_records: usize,
}

impl<'a> State<'a> {
    /// A center at the start of replication `replication`, with its first events scheduled,
    /// that stops once it would hold more than `max_held` contacts at once.
    pub fn new(
        scenario: &'a Scenario,
        seed: u64,
        replication: u32,
        max_held: usize,
        events: &mut EventQueue,
    ) -> State<'a> {
        let mut bad_day = BadDay::draw(scenario, seed, replication);
        let roster = Roster::new(scenario, &mut bad_day);
        let n_groups = scenario.agent_groups.len();
        let idle_group = GroupState {
            idle: VecDeque::new(),
            n_on_duty: 0,
            n_busy: 0,
            last_change: 0.0,
            last_interval_end: f64::NEG_INFINITY,
            last_cell: 0,
            staffing_vector: false,
            off_pool: Vec::new(),
        };
        let mut groups = vec![idle_group; n_groups];
        let agents: Vec<Agent> = roster
            .agent_group
            .iter()
            .map(|&group| Agent {
                group,
                state: AgentState::Off,
                idle_token: 0,
                call: 0,
                pending_break_s: 0,
                pending_logout: false,
                pulled_until: f64::NEG_INFINITY,
            })
            .collect();
        for (g, pool) in roster.staffing_pool.iter().enumerate() {
            groups[g].off_pool = pool.iter().rev().copied().collect();
            groups[g].staffing_vector = !pool.is_empty();
            groups[g].idle.reserve(pool.len() * 2);
        }
        for agent in &agents {
            groups[agent.group.idx()].idle.reserve(2);
        }
        events.push_timeline(&roster.timeline);
        let grid = &scenario.grid;
        let bounds: Vec<(SimTime, SimTime)> =
            (0..grid.len()).map(|i| (grid.start_of(i), grid.end_of(i))).collect();
        let lines = Lines::new(scenario, &bounds);
        if !lines.timeline.is_empty() {
            events.push_timeline(&lines.timeline);
        }
        let arrivals: Vec<ArrivalProcess> = (0..scenario.call_types.len())
            .map(|ct| {
                let rates = (scenario.call_types[ct].volumes.iter().enumerate())
                    .map(|(idx, v)| v * bad_day.volume_factor(ct, idx) / grid.length())
                    .collect();
                let event_factor = |idx| bad_day.event_volume_factor(ct, idx);
                ArrivalProcess::new(seed, replication, ct as u32, grid.start_of(0), rates, event_factor)
            })
            .collect();
        let fresh: f64 = arrivals.iter().flat_map(|a| a.offered_rates()).sum::<f64>() * grid.length()
            + scenario.call_types.iter().map(|c| f64::from(c.initial_backlog)).sum::<f64>();
        let recalls = RecallBudget::new(fresh);
        let routing = Routing::new(scenario);
        let chats = Chats::new(scenario, &roster.agent_group, &routing.skills);
        let mut state = State {
            scenario,
            routing,
            lines,
            callbacks: CallbackDesk::new(scenario),
            chats,
            targets: scenario.call_types.iter().map(|c| scenario.goal_for(c.channel).target).collect(),
            calls: Vec::with_capacity(1024),
            free_calls: Vec::with_capacity(1024),
            queues: (0..scenario.call_types.len()).map(|_| VecDeque::with_capacity(256)).collect(),
            agents,
            groups,
            arrivals,
            bounds,
            logged_in: 0,
            horizon: grid.horizon(),
            last_supply: roster.last_supply,
            last_stop: 0.0,
            closed: false,
            bad_day,
            backlog: Backlog::new(scenario),
            recalls,
            max_held,
            held_cap_reached_at: None,
            backlog_records: 0,
        };
        for ct in 0..scenario.call_types.len() {
            state.schedule_next_arrival(CallTypeId(ct as u16), events);
        }
        for ct in 0..scenario.call_types.len() {
            state.schedule_initial_backlog(ct, seed, replication, events);
        }
        for ct in 0..scenario.call_types.len() {
            state.schedule_next_added_arrival(CallTypeId(ct as u16), events);
        }
        state.backlog_records = state.calls.len();
        state
    }

    /// The emails of `ct`'s `initial_backlog` call in at the first instant of the grid, each
    /// with a contact seed from its own stream (so the fresh arrivals draw what they would
    /// without it).
    fn schedule_initial_backlog(&mut self, ct: usize, seed: u64, replication: u32, events: &mut EventQueue) {
        let n = self.scenario.call_types[ct].initial_backlog;
        if n == 0 {
            return;
        }
        let mut seeds = stream::stream(seed, replication, Purpose::Backlog, ct as u32);
        let at = self.scenario.grid.start_of(0);
        for _ in 0..n {
            if self.held_cap_reached_at.is_some() {
                return;
            }
            let contact_seed = seeds.next_u64();
            let call = self.new_call(
                CallTypeId(ct as u16),
                Origin::Fresh,
                contact_seed,
                contact_seed,
                0,
                at,
                events,
            );
            events.push(at, Event::Recontact(call));
        }
    }

    /// Zeroed chat time per group, as [`Counts::chat_time`] holds it (empty without chats).
    ///
    /// [`Counts::chat_time`]: crate::sim::counts::Counts::chat_time
    pub fn chat_counts(&self) -> Vec<ChatTime> {
        self.chats.new_counts()
    }

    /// The call type whose callers called back past the replication's budget of redials and
    /// repeats, if one did ([`RecallBudget`]).
    pub fn recalls_run_away(&self) -> Option<CallTypeId> {
        self.recalls.spent_by()
    }

    /// The instant the replication stopped because its contacts held at once reached the cap
    /// ([`crate::limits::MAX_CONTACTS_HELD`]), and the cap, if they did.
    pub fn held_cap_reached(&self) -> Option<(SimTime, usize)> {
        self.held_cap_reached_at.map(|at| (at, self.max_held))
    }

    /// Whether the center has closed (nobody left to answer, nobody coming).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    // ----- shared by the handlers -----------------------------------------------------------

    /// A call record of `ct` from the free list (or a new one), with its contact seed, its
    /// caller's id and the interval it counts in. `now` and `events` serve only to stop the
    /// replication when a new record would pass the cap ([`Self::new_slot`]).
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn new_call(
        &mut self,
        ct: CallTypeId,
        origin: Origin,
        seed: u64,
        caller: u64,
        interval: u32,
        now: SimTime,
        events: &mut EventQueue,
    ) -> CallIdx {
        let idx = match self.free_calls.pop() {
            Some(idx) => idx,
            None => self.new_slot(now, events),
        };
        let call = &mut self.calls[idx as usize];
        call.call_type = ct;
        call.origin = origin;
        call.seed = seed;
        call.caller = caller;
        call.interval = interval;
        call.state = CallState::Pending;
        call.callback = false;
        call.attempt = 0;
        idx
    }

    /// A record at the end of the slab. The slab grows only while the contacts held at once
    /// (waiting, in service, due to call again) pass their peak so far, so the cap is checked
    /// here and costs a contact reusing a record nothing. At the cap the replication stops: the
    /// event list is emptied and no fresh contact, redial or repeat comes after, so the few
    /// events the current handler still schedules end it within a handful of steps. The record
    /// is still given, one past the cap, so the handler finishes as usual.
    #[cold]
    #[inline(never)]
    fn new_slot(&mut self, now: SimTime, events: &mut EventQueue) -> CallIdx {
        if self.calls.len() >= self.max_held && self.held_cap_reached_at.is_none() {
            self.held_cap_reached_at = Some(now);
            events.clear();
            for process in &mut self.arrivals {
                process.stop(self.bounds.len());
            }
            self.recalls.stop();
        }
        self.calls.push(NO_CALL);
        (self.calls.len() - 1) as CallIdx
    }

    #[inline]
    fn free_call(&mut self, call: CallIdx) {
        let c = &mut self.calls[call as usize];
        c.state = CallState::Free;
        c.generation = c.generation.wrapping_add(1);
        self.free_calls.push(call);
    }

    /// The record of `call` if an event stamped with `generation` still concerns it: the
    /// call is in `state` and its slot has not been reused since (else the event is stale and
    /// ignored).
    #[inline]
    fn current_call(&self, call: CallIdx, generation: u32, state: CallState) -> Option<Call> {
        let c = self.calls[call as usize];
        (c.state == state && c.generation == generation).then_some(c)
    }

    /// The longest-idle agent of group `g`, dropping entries of agents no longer idle.
    #[inline]
    fn first_idle(&mut self, g: usize) -> Option<(AgentIdx, u32, SimTime)> {
        longest_idle(&mut self.groups[g], &self.agents)
    }

    /// The oldest waiting call of `ct`, dropping entries of calls that left the queue.
    #[inline]
    fn first_waiting(&mut self, ct: usize) -> Option<CallIdx> {
        oldest_waiting(&mut self.queues[ct], &self.calls).map(|(call, _)| call)
    }
}

/// The longest-idle agent of `group`, dropping entries of agents no longer idle.
#[inline]
fn longest_idle(group: &mut GroupState, agents: &[Agent]) -> Option<(AgentIdx, u32, SimTime)> {
    while let Some(&(agent, token, since)) = group.idle.front() {
        let a = &agents[agent as usize];
        if a.state == AgentState::Idle && a.idle_token == token {
            return Some((agent, token, since));
        }
        group.idle.pop_front();
    }
    None
}

/// The longest-idle agent of `group`, taken off its idle list, dropping entries of agents no
/// longer idle: [`longest_idle`] and the removal of what it found, in one pass.
#[inline]
fn take_longest_idle(group: &mut GroupState, agents: &[Agent]) -> Option<AgentIdx> {
    while let Some((agent, token, _)) = group.idle.pop_front() {
        let a = &agents[agent as usize];
        if a.state == AgentState::Idle && a.idle_token == token {
            return Some(agent);
        }
    }
    None
}

/// The oldest call still waiting in `queue`, with its arrival instant, dropping entries of
/// calls that left the queue.
#[inline]
fn oldest_waiting(queue: &mut VecDeque<(CallIdx, u32)>, calls: &[Call]) -> Option<(CallIdx, SimTime)> {
    while let Some(&(call, generation)) = queue.front() {
        let c = &calls[call as usize];
        if c.state == CallState::Waiting && c.generation == generation {
            return Some((call, c.arrival));
        }
        queue.pop_front();
    }
    None
}
