//! The state of a center during one replication, and the handlers `sim::run` dispatches to.
//!
//! All state lives in vectors indexed by ids and is reused: call records come from a slab
//! with a free list, queues and idle lists are ring buffers, and removals from the middle of
//! a queue are lazy (an entry whose call has moved on is skipped when it reaches the front).
//! After warm-up nothing is allocated per call (a wait histogram grows only when a wait
//! falls in a bucket its interval has not seen yet).

use std::collections::VecDeque;

use rand::Rng as _;
use rand_distr::{Distribution, Exp1};

use crate::bad_day::BadDay;
use crate::model::{AgentGroupId, CallTypeId, Scenario};
use crate::sim::callback::{CallbackDesk, Decision, Missed};
use crate::sim::chat::Chats;
use crate::sim::counts::{ChatTime, Counts, Origin};
use crate::sim::email::Backlog;
use crate::sim::event::{AgentIdx, CallIdx, Event, EventQueue};
use crate::sim::lines::{Lines, PoolId};
use crate::sim::roster::Roster;
use crate::sim::routing::Routing;
use crate::sim::{Context, Observer, Outcome, TraceRecord};
use crate::stream::{self, Draw, Purpose, Rng};
use crate::time::SimTime;

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

struct ArrivalProcess {
    arrivals: Rng,
    callers: Rng,
    interval: usize,
    time: SimTime,
    /// Per interval: volume / interval length.
    rates: Vec<f64>,
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
    closed: bool,
    /// This replication's volume and handle-time factors, absences and pulls.
    bad_day: BadDay,
    /// Emails: the blending rule and the backlog's days.
    backlog: Backlog,
}

impl<'a> State<'a> {
    /// A center at the start of replication `replication`, with its first events scheduled.
    pub fn new(scenario: &'a Scenario, seed: u64, replication: u32, events: &mut EventQueue) -> State<'a> {
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
        let arrivals = (0..scenario.call_types.len())
            .map(|ct| ArrivalProcess {
                arrivals: stream::stream(seed, replication, Purpose::Arrivals, ct as u32),
                callers: stream::stream(seed, replication, Purpose::Callers, ct as u32),
                interval: 0,
                time: grid.start_of(0),
                rates: (scenario.call_types[ct].volumes.iter().enumerate())
                    .map(|(idx, v)| v * bad_day.volume_factor(ct, idx) / grid.length())
                    .collect(),
            })
            .collect();
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
            closed: false,
            bad_day,
            backlog: Backlog::new(scenario),
        };
        for ct in 0..scenario.call_types.len() {
            state.schedule_next_arrival(CallTypeId(ct as u16), events);
        }
        for ct in 0..scenario.call_types.len() {
            state.schedule_initial_backlog(ct, seed, replication, events);
        }
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
            let contact_seed = seeds.next_u64();
            let call = self.new_call(CallTypeId(ct as u16), Origin::Fresh, contact_seed, 0);
            self.calls[call as usize].caller = contact_seed;
            events.push(at, Event::Recontact(call));
        }
    }

    /// Zeroed chat time per group, as [`Counts::chat_time`] holds it (empty without chats).
    pub fn chat_counts(&self) -> Vec<ChatTime> {
        self.chats.new_counts()
    }

    /// Whether the center has closed (nobody left to answer, nobody coming).
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    // ----- arrivals -------------------------------------------------------------------------

    /// Draws the next fresh arrival of `ct` by inverting the cumulative intensity of its
    /// piecewise-constant rate, so a rate change mid-gap is exact.
    #[inline]
    fn schedule_next_arrival(&mut self, ct: CallTypeId, events: &mut EventQueue) {
        let process = &mut self.arrivals[ct.idx()];
        let mut work: f64 = Exp1.sample(&mut process.arrivals);
        let mut idx = process.interval;
        let mut t = process.time;
        while let (Some(&(start, end)), Some(&rate)) = (self.bounds.get(idx), process.rates.get(idx)) {
            let t_from = t.max(start);
            if rate > 0.0 && t_from < end {
                let capacity = rate * (end - t_from);
                if work < capacity {
                    t = t_from + work / rate;
                    process.interval = idx;
                    process.time = t;
                    events.push(t, Event::Arrival(ct));
                    return;
                }
                work -= capacity;
            }
            t = end;
            idx += 1;
        }
        process.interval = self.bounds.len();
    }

    /// A fresh call of `ct` arrives.
    #[inline]
    pub fn arrive<O: Observer>(&mut self, ct: CallTypeId, now: SimTime, ctx: &mut Context<'_, O>) {
        let process = &mut self.arrivals[ct.idx()];
        let seed = process.callers.next_u64();
        let interval = process.interval as u32;
        let call = self.new_call(ct, Origin::Fresh, seed, interval);
        self.calls[call as usize].caller = seed;
        self.offer(call, now, ctx);
        self.schedule_next_arrival(ct, ctx.events);
    }

    /// A redial or repeat calls in: offered now if the center is open, at the next opening if
    /// it is closed, and not at all after the last interval.
    pub fn recontact<O: Observer>(&mut self, call: CallIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let grid = &self.scenario.grid;
        match grid.index_at(now) {
            Some(idx) => {
                self.calls[call as usize].interval = idx as u32;
                self.offer(call, now, ctx);
            }
            None => match grid.next_open(now) {
                Some(idx) => ctx.events.push(grid.start_of(idx), Event::Recontact(call)),
                None => {
                    let c = &self.calls[call as usize];
                    ctx.counts.recontacts_after_close[c.call_type.idx()][c.origin as usize] += 1;
                    self.free_call(call);
                }
            },
        }
    }

    #[inline]
    fn new_call(&mut self, ct: CallTypeId, origin: Origin, seed: u64, interval: u32) -> CallIdx {
        let idx = match self.free_calls.pop() {
            Some(idx) => idx,
            None => {
                self.calls.push(NO_CALL);
                (self.calls.len() - 1) as CallIdx
            }
        };
        let call = &mut self.calls[idx as usize];
        call.call_type = ct;
        call.origin = origin;
        call.seed = seed;
        call.interval = interval;
        call.state = CallState::Pending;
        call.callback = false;
        call.attempt = 0;
        idx
    }

    #[inline]
    fn free_call(&mut self, call: CallIdx) {
        let c = &mut self.calls[call as usize];
        c.state = CallState::Free;
        c.generation = c.generation.wrapping_add(1);
        self.free_calls.push(call);
    }

    /// Offers a contact: draws what the caller brings, then answers it or queues it.
    fn offer<O: Observer>(&mut self, call: CallIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let ct = self.calls[call as usize].call_type.idx();
        let scenario = self.scenario;
        let call_type = &scenario.call_types[ct];
        let draw_patience =
            |rng: &mut Rng| call_type.patience.as_ref().map_or(f64::INFINITY, |p| p.sample(rng));
        // The draws come in a fixed order from the contact's own stream: handle time,
        // patience, then the decision uniforms. Patience matters only to a caller who waits,
        // so it is drawn at once only when later draws follow it; otherwise it is drawn when
        // the caller is queued, which gives the same value and saves a draw for every
        // caller answered at once.
        let mut rng = stream::contact_rng(self.calls[call as usize].seed, Draw::Arrival);
        let mut patience = None;
        {
            let c = &mut self.calls[call as usize];
            c.arrival = now;
            c.handle_s =
                call_type.handle_time.sample(&mut rng) * self.bad_day.handle_time_factor(c.interval as usize);
            // Only call types that can transfer or call again draw the decision uniforms: a
            // property of the scenario, not of the plan, so common random numbers still hold.
            let transfers = !call_type.transfers.is_empty();
            let recalls = call_type.redial.is_some()
                || call_type.repeat.is_some()
                || scenario.telephony.call_type(ct).redial_after_blocked.is_some();
            if transfers || recalls {
                patience = Some(draw_patience(&mut rng));
            }
            if transfers {
                c.u_transfer = rand::RngExt::random(&mut rng);
            }
            if recalls {
                c.u_recall = rand::RngExt::random(&mut rng);
            }
            ctx.counts.cell_mut(c.interval as usize, ct).offered[c.origin as usize] += 1;
        }
        if !self.lines.take(ct, now, &self.bounds) {
            self.block(call, now, ctx);
            return;
        }
        if let Some(agent) = self.pick_idle_agent(ct, 0.0) {
            self.start_service(agent, call, now, ctx);
            return;
        }
        let mut patience = patience.unwrap_or_else(|| draw_patience(&mut rng));
        if self.callbacks.offer(ct).is_some() && self.accepts_callback(call, now, ctx) {
            patience = f64::INFINITY;
        }
        let c = &mut self.calls[call as usize];
        c.state = CallState::Waiting;
        let (generation, interval) = (c.generation, c.interval);
        ctx.counts.cell_mut(interval as usize, ct).queued += 1;
        if self.backlog.is_email(ct) {
            let (queues, calls) = (&mut self.queues, &self.calls);
            self.backlog.queued(ct, now, |ct| oldest_waiting(&mut queues[ct], calls));
        }
        self.queues[ct].push_back((call, generation));
        self.callbacks.joined(ct);
        if patience.is_finite() {
            ctx.events.push(now + patience, Event::PatienceEnd { call, generation });
        }
        for &after in &self.routing.overflow_steps[ct] {
            if after < patience {
                ctx.events.push(now + after, Event::Overflow { call, generation });
            }
        }
    }

    /// Whether a caller about to queue is offered a callback and accepts it: it then hangs up,
    /// freeing its line, and keeps its place without patience.
    fn accepts_callback<O: Observer>(
        &mut self,
        call: CallIdx,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) -> bool {
        let c = self.calls[call as usize];
        let ct = c.call_type.idx();
        let groups = &self.groups;
        let cell = &mut ctx.counts.cell_mut(c.interval as usize, ct).callbacks;
        if self.callbacks.decide(ct, c.seed, |g| groups[g].n_on_duty, cell) == Decision::Holds {
            return false;
        }
        self.lines.release(ct, now, &self.bounds);
        self.calls[call as usize].callback = true;
        true
    }

    /// Every line a caller could use is held: a busy signal. The caller may call again by its
    /// call type's rule for blocked callers.
    fn block<O: Observer>(&mut self, call: CallIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let c = self.calls[call as usize];
        let ct = c.call_type.idx();
        ctx.counts.cell_mut(c.interval as usize, ct).blocked += 1;
        let redial = self.scenario.telephony.blocked_redial(ct, self.scenario.call_types[ct].redial.as_ref());
        self.recontact_later(&c, redial, Origin::Redial, now, ctx.events);
        ctx.observer.contact_ended(&TraceRecord {
            arrival_s: c.arrival,
            caller: c.caller,
            call_type: c.call_type.0,
            origin: c.origin,
            wait_s: 0.0,
            outcome: Outcome::Blocked,
            group: None,
            handle_time_s: None,
        });
        self.free_call(call);
    }

    /// An outage of a pool of lines starts or ends.
    pub fn change_lines(&mut self, pool: PoolId, now: SimTime) {
        self.lines.change_working(pool, now, &self.bounds);
    }

    // ----- routing --------------------------------------------------------------------------

    /// The idle agent who should take a call of `ct` that has waited `waited`, as
    /// [`Routing::group_for_call`] chooses, taken off its group's idle list.
    #[inline]
    fn pick_idle_agent(&mut self, ct: usize, waited: f64) -> Option<AgentIdx> {
        if self.chats.is_chat(ct) {
            return self.pick_chat_agent(ct, waited);
        }
        let (groups, agents) = (&mut self.groups, &self.agents);
        let g = self.routing.group_for_call(ct, waited, |g| {
            longest_idle(&mut groups[g], agents).map(|(_, _, since)| since)
        })?;
        let (agent, _, _) = self.groups[g].idle.pop_front()?;
        Some(agent)
    }

    /// The agent who should take a chat of `ct` that has waited `waited`, as
    /// [`Chats::pick_agent`] chooses (fewest chats first), taken off its idle list or bucket.
    fn pick_chat_agent(&mut self, ct: usize, waited: f64) -> Option<AgentIdx> {
        let (groups, agents) = (&mut self.groups, &self.agents);
        let (g, held) = self.chats.pick_agent(&self.routing.servers[ct], waited, |g| {
            longest_idle(&mut groups[g], agents).map(|(_, _, since)| since)
        })?;
        if held == 0 {
            self.groups[g].idle.pop_front().map(|(agent, _, _)| agent)
        } else {
            self.chats.take_from_bucket(g, held)
        }
    }

    /// The waiting chat a chat agent of group `g` with a free slot should take now.
    fn pick_waiting_chat(&mut self, g: usize, now: SimTime) -> Option<CallIdx> {
        let (queues, calls) = (&mut self.queues, &self.calls);
        crate::sim::routing::call_among(self.chats.skills(g), now, |ct| {
            oldest_waiting(&mut queues[ct], calls)
        })
    }

    /// Fills a chat agent's free slots from the waiting chats of its skills.
    fn fill_chat_slots<O: Observer>(&mut self, agent: AgentIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let g = self.agents[agent as usize].group.idx();
        while self.chats.has_room(agent, g) {
            let Some(call) = self.pick_waiting_chat(g, now) else { break };
            self.queues[self.calls[call as usize].call_type.idx()].pop_front();
            self.start_service(agent, call, now, ctx);
        }
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

    /// The waiting call a free agent of group `g` should take now, as
    /// [`Routing::call_for_agent`] chooses.
    #[inline]
    fn pick_waiting_call(&mut self, g: usize, now: SimTime) -> Option<CallIdx> {
        let (queues, calls) = (&mut self.queues, &self.calls);
        self.routing.call_for_agent(g, now, |ct| oldest_waiting(&mut queues[ct], calls))
    }

    /// The email a free agent of group `g` takes when no real-time contact may go to it.
    #[inline]
    fn pick_email(&mut self, g: usize, now: SimTime) -> Option<CallIdx> {
        let (queues, calls) = (&mut self.queues, &self.calls);
        self.backlog.email_for_agent(g, now, |ct| oldest_waiting(&mut queues[ct], calls))
    }

    // ----- service --------------------------------------------------------------------------

    #[inline]
    fn start_service<O: Observer>(
        &mut self,
        agent: AgentIdx,
        call: CallIdx,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        if self.calls[call as usize].state == CallState::Waiting {
            self.callbacks.left(self.calls[call as usize].call_type.idx());
        }
        if self.calls[call as usize].callback {
            self.dial(agent, call, now, ctx);
            return;
        }
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        let ct = self.calls[call as usize].call_type.idx();
        if self.backlog.is_email(ct) {
            self.email_started(call, now);
        }
        let factor = self.scenario.agent_groups[g].handle_time_factor;
        let c = &mut self.calls[call as usize];
        c.state = CallState::InService;
        let wait = now - c.arrival;
        let target = self.targets[c.call_type.idx()];
        let handle = c.handle_s * factor;
        let cell = ctx.counts.cell_mut(c.interval as usize, c.call_type.idx());
        cell.answered += 1;
        if wait <= target {
            cell.answered_within_target += 1;
        }
        cell.wait_answered_s += wait;
        cell.wait_all_s += wait;
        cell.waits.add(wait);
        ctx.observer.contact_ended(&TraceRecord {
            arrival_s: c.arrival,
            caller: c.caller,
            call_type: c.call_type.0,
            origin: c.origin,
            wait_s: wait,
            outcome: Outcome::Answered,
            group: Some(g as u16),
            handle_time_s: Some(handle),
        });
        if self.chats.is_chat(c.call_type.idx()) {
            self.start_chat(agent, call, handle, now, ctx);
            return;
        }
        let a = &mut self.agents[agent as usize];
        a.state = AgentState::Busy;
        a.idle_token = a.idle_token.wrapping_add(1);
        a.call = call;
        self.groups[g].n_busy += 1;
        ctx.events.push(now + handle, Event::ServiceEnd(agent));
    }

    /// Books an email an agent starts now in the backlog's days.
    #[inline(never)]
    fn email_started(&mut self, call: CallIdx, now: SimTime) {
        let c = &self.calls[call as usize];
        let (ct, wait, from_backlog) = (c.call_type.idx(), now - c.arrival, c.state == CallState::Waiting);
        let (queues, calls) = (&mut self.queues, &self.calls);
        self.backlog.started(ct, wait, from_backlog, now, |ct| oldest_waiting(&mut queues[ct], calls));
    }

    /// An agent finishes a call: the caller may be transferred or call again later; the agent
    /// takes the next call, or goes on a due break, or logs out.
    #[inline]
    pub fn end_service<O: Observer>(&mut self, agent: AgentIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let call = self.agents[agent as usize].call;
        self.end_contact(call, now, ctx);
        self.agent_done(agent, now, ctx);
    }

    /// A chat `call` starts on `agent` with `work` seconds of work at rate 1: the agent is
    /// busy (for calls) from its first chat on.
    fn start_chat<O: Observer>(
        &mut self,
        agent: AgentIdx,
        call: CallIdx,
        work: f64,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let g = self.agents[agent as usize].group.idx();
        if self.chats.start(agent, call, work, now, ctx.events, ctx.counts) {
            let a = &mut self.agents[agent as usize];
            a.state = AgentState::Busy;
            a.idle_token = a.idle_token.wrapping_add(1);
            self.groups[g].n_busy += 1;
        }
    }

    /// An agent's earliest-ending chat ends (unless `generation` is stale): the contact ends
    /// as a call does; the agent fills the free slot from the waiting chats, or, holding no
    /// chat any more, is free as after a call.
    pub fn end_chat<O: Observer>(
        &mut self,
        agent: AgentIdx,
        generation: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        if !self.chats.is_current(agent, generation) {
            return;
        }
        let g = self.agents[agent as usize].group.idx();
        let (call, held) = self.chats.finish(agent, g, now, ctx.events, ctx.counts);
        self.end_contact(call, now, ctx);
        if held > 0 {
            self.fill_chat_slots(agent, now, ctx);
        } else {
            self.agent_done(agent, now, ctx);
        }
    }

    /// A contact's service ends: its line is freed, and the caller may be transferred or call
    /// again later.
    #[inline]
    fn end_contact<O: Observer>(&mut self, call: CallIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let c = self.calls[call as usize];
        // The caller hangs up before any transfer is offered, so a transfer into the same pool
        // finds the line free. A callback customer was called back and held no line.
        if !c.callback {
            self.lines.release(c.call_type.idx(), now, &self.bounds);
        }
        let call_type = &self.scenario.call_types[c.call_type.idx()];
        let mut transferred = false;
        let mut cumulative = 0.0;
        for transfer in &call_type.transfers {
            cumulative += transfer.probability;
            if c.u_transfer < cumulative {
                let interval = self.attribution_interval(now);
                let next = self.new_call(transfer.to, Origin::Transfer, stream::child_seed(c.seed), interval);
                self.calls[next as usize].caller = c.caller;
                self.offer(next, now, ctx);
                transferred = true;
                break;
            }
        }
        if !transferred {
            self.recontact_later(&c, call_type.repeat.as_ref(), Origin::Repeat, now, ctx.events);
        }
        self.free_call(call);
    }

    /// An agent has finished its work (a call, or its last chat): it goes on a due break,
    /// logs out, or takes the next contact.
    #[inline]
    fn agent_done<O: Observer>(&mut self, agent: AgentIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        self.groups[g].n_busy -= 1;
        let a = &mut self.agents[agent as usize];
        if a.pending_logout {
            a.pending_break_s = 0;
            self.log_out_now(agent, now, ctx.counts);
        } else if a.pending_break_s > 0 {
            let length = a.pending_break_s;
            a.pending_break_s = 0;
            self.begin_break(agent, length, now, ctx);
        } else {
            self.become_available(agent, now, ctx);
        }
    }

    /// The interval a contact created at `now` belongs to: the one containing `now`, or after
    /// closing time the last one that started before it.
    fn attribution_interval(&self, now: SimTime) -> u32 {
        let grid = &self.scenario.grid;
        match grid.index_at(now) {
            Some(idx) => idx as u32,
            // Interval starts are increasing: a binary search, not a scan of every interval
            // (a transfer at night on a year of hourly intervals would scan thousands).
            None => self.bounds.partition_point(|&(start, _)| start <= now).saturating_sub(1) as u32,
        }
    }

    /// An agent is free: takes a waiting call (real-time first, then an email) or joins the
    /// idle list.
    #[inline]
    fn become_available<O: Observer>(&mut self, agent: AgentIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let g = self.agents[agent as usize].group.idx();
        if let Some(call) = self.pick_waiting_call(g, now).or_else(|| self.pick_email(g, now)) {
            // The call is the front of its queue: taken off now rather than skipped later as
            // a stale entry.
            let ct = self.calls[call as usize].call_type.idx();
            self.queues[ct].pop_front();
            self.start_service(agent, call, now, ctx);
            if self.chats.is_chat(ct) {
                self.fill_chat_slots(agent, now, ctx);
            }
        } else {
            let a = &mut self.agents[agent as usize];
            a.state = AgentState::Idle;
            let token = a.idle_token;
            self.groups[g].idle.push_back((agent, token, now));
        }
    }

    /// A waiting caller's patience runs out.
    pub fn abandon<O: Observer>(
        &mut self,
        call: CallIdx,
        generation: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let c = self.calls[call as usize];
        if c.state != CallState::Waiting || c.generation != generation {
            return;
        }
        ctx.counts.cell_mut(c.interval as usize, c.call_type.idx()).abandoned += 1;
        let redial = self.scenario.call_types[c.call_type.idx()].redial.as_ref();
        self.recontact_later(&c, redial, Origin::Redial, now, ctx.events);
        self.end_unanswered(call, Outcome::Abandoned, now, ctx);
    }

    /// Schedules the caller of `c` to call again (`origin` redial or repeat) when its draw
    /// falls under `recall`'s probability, after `recall`'s delay.
    #[inline]
    fn recontact_later(
        &mut self,
        c: &Call,
        recall: Option<&crate::model::Recall>,
        origin: Origin,
        now: SimTime,
        events: &mut EventQueue,
    ) {
        let Some(recall) = recall else { return };
        if c.u_recall < recall.probability {
            let mut rng = stream::contact_rng(c.seed, Draw::FollowUp);
            let delay = recall.delay.sample(&mut rng);
            let next = self.new_call(c.call_type, origin, stream::child_seed(c.seed), 0);
            self.calls[next as usize].caller = c.caller;
            events.push(now + delay, Event::Recontact(next));
        }
    }

    /// A waiting contact leaves unanswered (abandoned, or still waiting at close): its line is
    /// freed, its time in queue counted, the observer told, and its record freed. The caller counts the outcome.
    #[inline]
    fn end_unanswered<O: Observer>(
        &mut self,
        call: CallIdx,
        outcome: Outcome,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let c = self.calls[call as usize];
        if c.callback {
            // It holds no line, and its wait is reported apart.
            if c.state == CallState::Waiting {
                self.callbacks.left(c.call_type.idx());
            }
        } else {
            self.lines.release(c.call_type.idx(), now, &self.bounds);
            self.callbacks.left(c.call_type.idx());
            ctx.counts.cell_mut(c.interval as usize, c.call_type.idx()).wait_all_s += now - c.arrival;
        }
        ctx.observer.contact_ended(&TraceRecord {
            arrival_s: c.arrival,
            caller: c.caller,
            call_type: c.call_type.0,
            origin: c.origin,
            wait_s: now - c.arrival,
            outcome,
            group: None,
            handle_time_s: None,
        });
        self.free_call(call);
    }

    /// A waiting call has waited long enough for an overflow group.
    pub fn overflow<O: Observer>(
        &mut self,
        call: CallIdx,
        generation: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let c = self.calls[call as usize];
        if c.state != CallState::Waiting || c.generation != generation {
            return;
        }
        if let Some(agent) = self.pick_idle_agent(c.call_type.idx(), now - c.arrival) {
            self.start_service(agent, call, now, ctx);
        }
    }

    // ----- callbacks ------------------------------------------------------------------------

    /// An agent calls a callback customer back: busy for the dial time, then [`Self::end_dial`].
    fn dial<O: Observer>(&mut self, agent: AgentIdx, call: CallIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        let c = &mut self.calls[call as usize];
        c.state = CallState::InService;
        let dial_time = self.callbacks.dial_time(c.call_type.idx());
        let a = &mut self.agents[agent as usize];
        a.state = AgentState::Busy;
        a.idle_token = a.idle_token.wrapping_add(1);
        a.call = call;
        self.groups[g].n_busy += 1;
        ctx.events.push(now + dial_time, Event::CallbackDialEnd(agent));
    }

    /// A call back ends its dialing: the customer answers and is served as usual, or the agent
    /// is free again and the call back is retried later or has failed.
    pub fn end_dial<O: Observer>(&mut self, agent: AgentIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let call = self.agents[agent as usize].call;
        let c = self.calls[call as usize];
        let ct = c.call_type.idx();
        let g = self.agents[agent as usize].group.idx();
        let wait = now - c.arrival;
        if self.callbacks.reaches(ct, c.seed, u32::from(c.attempt)) {
            let handle = c.handle_s * self.scenario.agent_groups[g].handle_time_factor;
            let cell = ctx.counts.cell_mut(c.interval as usize, ct);
            cell.answered += 1;
            if self.callbacks.completed(wait, &mut cell.callbacks) {
                cell.answered_within_target += 1;
            }
            self.trace(&c, wait, Outcome::Answered, Some(g as u16), Some(handle), ctx);
            ctx.events.push(now + handle, Event::ServiceEnd(agent));
            return;
        }
        let cell = &mut ctx.counts.cell_mut(c.interval as usize, ct).callbacks;
        match self.callbacks.missed(ct, u32::from(c.attempt), now, cell) {
            Missed::RetryAt(at) => {
                let c = &mut self.calls[call as usize];
                c.state = CallState::Retrying;
                c.attempt += 1;
                ctx.events.push(at, Event::CallbackRetry { call, generation: c.generation });
            }
            Missed::Failed => {
                self.trace(&c, wait, Outcome::CallbackFailed, None, None, ctx);
                self.free_call(call);
            }
        }
        self.agent_done(agent, now, ctx);
    }

    /// A missed callback customer is due another call back: dialed now by an idle agent, or
    /// back at the front of its queue (it already waited its turn once).
    pub fn retry_callback<O: Observer>(
        &mut self,
        call: CallIdx,
        generation: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let c = self.calls[call as usize];
        if c.state != CallState::Retrying || c.generation != generation {
            return;
        }
        let ct = c.call_type.idx();
        if let Some(agent) = self.pick_idle_agent(ct, now - c.arrival) {
            self.dial(agent, call, now, ctx);
            return;
        }
        self.calls[call as usize].state = CallState::Waiting;
        self.queues[ct].push_front((call, generation));
        self.callbacks.joined(ct);
    }

    /// Tells the observer that contact `c` ended.
    fn trace<O: Observer>(
        &self,
        c: &Call,
        wait_s: f64,
        outcome: Outcome,
        group: Option<u16>,
        handle_time_s: Option<f64>,
        ctx: &mut Context<'_, O>,
    ) {
        ctx.observer.contact_ended(&TraceRecord {
            arrival_s: c.arrival,
            caller: c.caller,
            call_type: c.call_type.0,
            origin: c.origin,
            wait_s,
            outcome,
            group,
            handle_time_s,
        });
    }

    // ----- agents ---------------------------------------------------------------------------

    /// An agent of a shift logs in.
    pub fn log_in<O: Observer>(&mut self, agent: AgentIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        self.groups[g].n_on_duty += 1;
        self.logged_in += 1;
        let a = &mut self.agents[agent as usize];
        a.pending_logout = false;
        a.pending_break_s = 0;
        self.become_available(agent, now, ctx);
    }

    /// An agent of a shift is due to log out.
    pub fn log_out(&mut self, agent: AgentIdx, now: SimTime, counts: &mut Counts) {
        match self.agents[agent as usize].state {
            AgentState::Idle => self.log_out_now(agent, now, counts),
            AgentState::Busy | AgentState::Break => {
                self.agents[agent as usize].pending_logout = true;
                self.stop_taking_chats(agent, now);
            }
            AgentState::Off => {}
        }
    }

    fn log_out_now(&mut self, agent: AgentIdx, now: SimTime, counts: &mut Counts) {
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, counts);
        let a = &mut self.agents[agent as usize];
        if matches!(a.state, AgentState::Idle | AgentState::Busy) {
            self.groups[g].n_on_duty -= 1;
        }
        a.state = AgentState::Off;
        a.idle_token = a.idle_token.wrapping_add(1);
        a.pending_logout = false;
        self.logged_in -= 1;
        if self.groups[g].staffing_vector {
            self.groups[g].off_pool.push(agent);
        }
    }

    /// An agent of a shift is due a break: now if idle, after the call if busy.
    pub fn start_break<O: Observer>(
        &mut self,
        agent: AgentIdx,
        length_s: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        match self.agents[agent as usize].state {
            AgentState::Idle => self.begin_break(agent, length_s, now, ctx),
            AgentState::Busy => {
                self.agents[agent as usize].pending_break_s = length_s;
                self.stop_taking_chats(agent, now);
            }
            AgentState::Break | AgentState::Off => {}
        }
    }

    fn begin_break<O: Observer>(
        &mut self,
        agent: AgentIdx,
        length_s: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        self.groups[g].n_on_duty -= 1;
        let a = &mut self.agents[agent as usize];
        a.state = AgentState::Break;
        a.idle_token = a.idle_token.wrapping_add(1);
        ctx.events.push(now + f64::from(length_s), Event::BreakEnd(agent));
    }

    /// An agent's break ends: back to work, or out if the shift ended meanwhile.
    pub fn end_break<O: Observer>(&mut self, agent: AgentIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        if self.agents[agent as usize].state != AgentState::Break {
            return;
        }
        if self.agents[agent as usize].pending_logout {
            self.log_out_now(agent, now, ctx.counts);
            return;
        }
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        self.groups[g].n_on_duty += 1;
        self.become_available(agent, now, ctx);
    }

    /// A staffing-vector group's headcount changes: agents due to leave are cancelled first,
    /// idle agents leave before busy ones, and busy ones leave after their call.
    pub fn set_staffing<O: Observer>(
        &mut self,
        g: AgentGroupId,
        target: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let g = g.idx();
        let members = self.logged_in_members(g);
        let staying = members.iter().filter(|(_, leaving)| !leaving).count() as u32;
        if target > staying {
            let mut needed = target - staying;
            let leaving = members.iter().filter(|(_, l)| *l).map(|(i, _)| *i);
            for agent in leaving.take(needed as usize) {
                let a = &mut self.agents[agent as usize];
                a.pending_logout = false;
                let accepting = a.pending_break_s == 0;
                self.chats.set_accepting(agent, g, accepting, now);
                needed -= 1;
            }
            for _ in 0..needed {
                let Some(agent) = self.groups[g].off_pool.pop() else { break };
                self.log_in(agent, now, ctx);
            }
        } else {
            let mut surplus = staying - target;
            while surplus > 0 {
                let Some((agent, _, _)) = self.first_idle(g) else { break };
                self.groups[g].idle.pop_front();
                self.log_out_now(agent, now, ctx.counts);
                surplus -= 1;
            }
            if surplus > 0 {
                let busy: Vec<AgentIdx> =
                    self.logged_in_members(g).iter().filter(|(_, l)| !l).map(|(i, _)| *i).collect();
                for agent in busy.into_iter().take(surplus as usize) {
                    self.agents[agent as usize].pending_logout = true;
                    self.stop_taking_chats(agent, now);
                }
            }
        }
    }

    /// An agent holding chats and due a break or log-out takes no more chats (it finishes its
    /// own first); nothing for any other agent.
    #[inline]
    fn stop_taking_chats(&mut self, agent: AgentIdx, now: SimTime) {
        let g = self.agents[agent as usize].group.idx();
        self.chats.set_accepting(agent, g, false, now);
    }

    /// Agents of group `g` logged in, with whether each is due to leave. Called only when a
    /// headcount changes, at interval boundaries.
    fn logged_in_members(&self, g: usize) -> Vec<(AgentIdx, bool)> {
        self.agents
            .iter()
            .enumerate()
            .filter(|(_, a)| a.group.idx() == g && a.state != AgentState::Off)
            .map(|(i, a)| (i as AgentIdx, a.pending_logout))
            .collect()
    }

    // ----- time and closing -----------------------------------------------------------------

    /// Adds on-duty and busy time of group `g` since its last change, split by interval
    /// (time outside every interval, e.g. closed nights, counts nowhere).
    #[inline]
    fn integrate(&mut self, g: usize, now: SimTime, counts: &mut Counts) {
        let gs = &mut self.groups[g];
        let from = gs.last_change;
        if now <= from {
            return;
        }
        // Fast path: the same interval as at the last change.
        if now <= gs.last_interval_end {
            gs.last_change = now;
            if gs.n_on_duty > 0 {
                let (on_duty, busy) = (f64::from(gs.n_on_duty), f64::from(gs.n_busy));
                let cell = &mut counts.agent_time[gs.last_cell];
                cell.on_duty_s += on_duty * (now - from);
                cell.busy_s += busy * (now - from);
            }
            return;
        }
        self.integrate_across(g, now, counts);
    }

    /// `integrate` when `now` lies past the interval of the group's last change.
    #[inline(never)]
    fn integrate_across(&mut self, g: usize, now: SimTime, counts: &mut Counts) {
        let n_intervals = self.bounds.len();
        let gs = &mut self.groups[g];
        let from = gs.last_change;
        gs.last_change = now;
        let (on_duty, busy) = (f64::from(gs.n_on_duty), f64::from(gs.n_busy));
        let grid = &self.scenario.grid;
        match grid.index_at(now) {
            Some(idx) => {
                gs.last_interval_end = self.bounds[idx].1;
                gs.last_cell = g * n_intervals + idx;
            }
            None => gs.last_interval_end = f64::NEG_INFINITY,
        }
        if on_duty == 0.0 && busy == 0.0 {
            return;
        }
        let Some(mut idx) = grid.index_at(from).or_else(|| grid.next_open(from)) else { return };
        while let Some(&(start, end)) = self.bounds.get(idx) {
            if start >= now {
                break;
            }
            let span = end.min(now) - start.max(from);
            if span > 0.0 {
                let cell = &mut counts.agent_time[g * n_intervals + idx];
                cell.on_duty_s += on_duty * span;
                cell.busy_s += busy * span;
            }
            idx += 1;
        }
    }

    /// The first instant at which [`close_if_over`](Self::close_if_over) may close the center:
    /// the horizon, or the last log-in if later.
    pub fn closing_from(&self) -> SimTime {
        self.horizon.max(self.last_supply)
    }

    /// Past the horizon, once nobody is logged in and nobody will log in, the remaining
    /// callers cannot be answered: they are counted unanswered at close and the run ends.
    pub fn close_if_over<O: Observer>(&mut self, now: SimTime, ctx: &mut Context<'_, O>) {
        if self.closed || now < self.horizon || now < self.last_supply || self.logged_in > 0 {
            return;
        }
        self.close(now, ctx);
    }

    /// Ends the run at `now`: every caller still waiting is unanswered at close.
    pub fn close<O: Observer>(&mut self, now: SimTime, ctx: &mut Context<'_, O>) {
        if self.closed {
            return;
        }
        self.closed = true;
        let (queues, calls) = (&mut self.queues, &self.calls);
        ctx.counts.backlog = self.backlog.finish(now, |ct| oldest_waiting(&mut queues[ct], calls));
        let n_types = self.queues.len();
        for ct in 0..n_types {
            while let Some(call) = self.first_waiting(ct) {
                self.queues[ct].pop_front();
                let interval = self.calls[call as usize].interval as usize;
                ctx.counts.cell_mut(interval, ct).unanswered_at_close += 1;
                self.end_unanswered(call, Outcome::UnansweredAtClose, now, ctx);
            }
        }
        // Callback customers due a retry are in no queue: they are left unanswered too.
        if self.callbacks.is_on() {
            for call in 0..self.calls.len() as CallIdx {
                let c = self.calls[call as usize];
                if c.state == CallState::Retrying {
                    ctx.counts.cell_mut(c.interval as usize, c.call_type.idx()).unanswered_at_close += 1;
                    self.end_unanswered(call, Outcome::UnansweredAtClose, now, ctx);
                }
            }
        }
        for g in 0..self.groups.len() {
            self.integrate(g, now, ctx.counts);
        }
        self.chats.close(now, ctx.counts);
        ctx.counts.line_time = self.lines.finish(now, &self.bounds);
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
