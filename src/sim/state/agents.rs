//! Agents coming on and off duty: log-in and log-out by shift, breaks, and the headcount of
//! groups driven by a staffing vector.
//!
//! An agent busy when due to leave or to take a break finishes its contact first; the pending
//! break or log-out is taken when it is done (`agent_done`, in `service`).

use super::{AgentState, State};
use crate::model::AgentGroupId;
use crate::sim::counts::Counts;
use crate::sim::event::{AgentIdx, Event};
use crate::sim::{Context, Observer};
use crate::time::SimTime;

impl<'a> State<'a> {
    /// An agent of a shift logs in.
    pub fn log_in<O: Observer>(&mut self, agent: AgentIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        self.groups[g].n_on_duty += 1;
        self.logged_in += 1;
        let a = &mut self.agents[agent as usize];
        a.pending_logout = false;
        a.pending_break_s = 0;
        self.become_available(agent, g, now, ctx);
    }

    /// An agent of a shift is due to log out.
    pub fn log_out(&mut self, agent: AgentIdx, now: SimTime, counts: &mut Counts) {
        self.last_stop = now;
        match self.agents[agent as usize].state {
            AgentState::Idle => self.log_out_now(agent, now, counts),
            AgentState::Busy | AgentState::Break => {
                self.agents[agent as usize].pending_logout = true;
                self.stop_taking_chats(agent, now);
            }
            AgentState::Off => {}
        }
    }

    pub(super) fn log_out_now(&mut self, agent: AgentIdx, now: SimTime, counts: &mut Counts) {
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

    /// An agent of a shift is pulled off the phones until `now + length_s`: as a break due
    /// now, and one it is already on (a scheduled break that ends at this instant, or one
    /// taken late after a call) lasts until the pull ends, so that the event takes the agents
    /// it asks for.
    pub fn pull<O: Observer>(
        &mut self,
        agent: AgentIdx,
        length_s: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        self.agents[agent as usize].pulled_until = now + f64::from(length_s);
        self.start_break(agent, length_s, now, ctx);
    }

    pub(super) fn begin_break<O: Observer>(
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
        let pulled_until = self.agents[agent as usize].pulled_until;
        if now < pulled_until {
            ctx.events.push(pulled_until, Event::BreakEnd(agent));
            return;
        }
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        self.groups[g].n_on_duty += 1;
        self.become_available(agent, g, now, ctx);
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
            if surplus > 0 {
                self.last_stop = now;
            }
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
}
