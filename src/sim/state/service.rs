//! Agents and contacts meeting: which idle agent takes an offered contact and which waiting
//! contact a free agent takes (as `sim::routing`, `sim::chat` and `sim::email` decide), the
//! start and end of service of calls, chats and emails, and an agent becoming free again.
//!
//! Every answered contact passes through here, so the common steps are `#[inline]` and the
//! rare ones (an email's bookkeeping in the backlog) are kept out of line.

use super::{AgentState, CallState, State, ended, longest_idle, oldest_waiting, take_longest_idle};
use crate::sim::counts::Origin;
use crate::sim::event::{AgentIdx, CallIdx, Event};
use crate::sim::{Context, Observer, Outcome};
use crate::stream;
use crate::time::SimTime;

impl<'a> State<'a> {
    /// The idle agent who should take a call of `ct` that has waited `waited`, as
    /// [`Routing::group_for_call`] chooses, taken off its group's idle list.
    ///
    /// [`Routing::group_for_call`]: crate::sim::routing::Routing::group_for_call
    #[inline(always)]
    pub(super) fn pick_idle_agent(&mut self, ct: usize, waited: f64) -> Option<AgentIdx> {
        if self.chats.is_chat(ct) {
            return self.pick_chat_agent(ct, waited);
        }
        // One group: its longest-idle agent taken off the list in one pass.
        if let Some(sole) = self.routing.sole_group(ct, waited) {
            return take_longest_idle(&mut self.groups[sole?], &self.agents);
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
    ///
    /// [`Chats::pick_agent`]: crate::sim::chat::Chats::pick_agent
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

    /// The waiting call a free agent of group `g` should take now, as
    /// [`Routing::call_for_agent`] chooses.
    ///
    /// [`Routing::call_for_agent`]: crate::sim::routing::Routing::call_for_agent
    #[inline]
    fn pick_waiting_call(&mut self, g: usize, now: SimTime) -> Option<CallIdx> {
        let (queues, calls) = (&mut self.queues, &self.calls);
        self.routing.call_for_agent(g, now, |ct| oldest_waiting(&mut queues[ct], calls))
    }

    /// The email a free agent of group `g` takes when no real-time contact may go to it.
    #[inline]
    fn pick_email(&mut self, g: usize, now: SimTime) -> Option<CallIdx> {
        if !self.backlog.any() {
            return None;
        }
        let (queues, calls) = (&mut self.queues, &self.calls);
        self.backlog.email_for_agent(g, now, |ct| oldest_waiting(&mut queues[ct], calls))
    }

    #[inline(always)]
    pub(super) fn start_service<O: Observer>(
        &mut self,
        agent: AgentIdx,
        call: CallIdx,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let c = &self.calls[call as usize];
        let (ct, waiting, callback) = (c.call_type.idx(), c.state == CallState::Waiting, c.callback);
        if waiting {
            self.callbacks.left(ct);
        }
        if callback {
            self.dial(agent, call, now, ctx);
            return;
        }
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        if self.backlog.is_email(ct) {
            self.email_started(call, now);
        }
        let factor = self.scenario.agent_groups[g].handle_time_factor;
        let c = &mut self.calls[call as usize];
        c.state = CallState::InService;
        let wait = now - c.arrival;
        let target = self.targets[ct];
        let handle = c.handle_s * factor;
        let cell = ctx.counts.cell_mut(c.interval as usize, ct);
        cell.answered += 1;
        if wait <= target {
            cell.answered_within_target += 1;
        }
        cell.wait_answered_s += wait;
        cell.wait_all_s += wait;
        cell.waits.add(wait);
        let served = Some((g as u16, handle));
        ctx.observer.contact_ended(&ended(self.backlog_records, call, c, wait, Outcome::Answered, served));
        if self.chats.is_chat(ct) {
            self.start_chat(agent, call, handle, now, ctx);
            return;
        }
        self.occupy(agent, g, call);
        ctx.events.push(now + handle, Event::ServiceEnd(agent));
    }

    /// Agent `agent` of group `g` is busy with `call` (served or dialed) from now on.
    #[inline]
    pub(super) fn occupy(&mut self, agent: AgentIdx, g: usize, call: CallIdx) {
        let a = &mut self.agents[agent as usize];
        a.state = AgentState::Busy;
        a.idle_token = a.idle_token.wrapping_add(1);
        a.call = call;
        self.groups[g].n_busy += 1;
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
        let a = &self.agents[agent as usize];
        let (call, g) = (a.call, a.group.idx());
        self.end_contact(call, now, ctx);
        self.agent_done(agent, g, now, ctx);
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
            self.agent_done(agent, g, now, ctx);
        }
    }

    /// A contact's service ends: its line is freed, and the caller may be transferred or call
    /// again later.
    #[inline(always)]
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
                let next = self.new_call(
                    transfer.to,
                    Origin::Transfer,
                    stream::child_seed(c.seed),
                    c.caller,
                    interval,
                    now,
                    ctx.events,
                );
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

    /// An agent of group `g` has finished its work (a call, or its last chat): it goes on a
    /// due break, logs out, or takes the next contact.
    #[inline]
    pub(super) fn agent_done<O: Observer>(
        &mut self,
        agent: AgentIdx,
        g: usize,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
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
            self.become_available(agent, g, now, ctx);
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

    /// An agent of group `g` is free: takes a waiting call (real-time first, then an email) or
    /// joins the idle list.
    #[inline(always)]
    pub(super) fn become_available<O: Observer>(
        &mut self,
        agent: AgentIdx,
        g: usize,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
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
}
