//! Agents calling callback customers back: the dial, whether it reaches the customer, and the
//! retry of a customer it missed.
//!
//! The rules (who is offered a callback, the chance of reaching the customer, retry delays)
//! live in `sim::callback`; this module moves agents and contacts by them.

use super::{CallState, State, ended};
use crate::sim::callback::Missed;
use crate::sim::event::{AgentIdx, CallIdx, Event};
use crate::sim::{Context, Observer, Outcome};
use crate::time::SimTime;

impl<'a> State<'a> {
    /// An agent calls a callback customer back: busy for the dial time, then [`Self::end_dial`].
    pub(super) fn dial<O: Observer>(
        &mut self,
        agent: AgentIdx,
        call: CallIdx,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let g = self.agents[agent as usize].group.idx();
        self.integrate(g, now, ctx.counts);
        let c = &mut self.calls[call as usize];
        c.state = CallState::InService;
        let dial_time = self.callbacks.dial_time(c.call_type.idx());
        self.occupy(agent, g, call);
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
            let served = Some((g as u16, handle));
            ctx.observer.contact_ended(&ended(
                self.backlog_records,
                call,
                &c,
                wait,
                Outcome::Answered,
                served,
            ));
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
                let record = ended(self.backlog_records, call, &c, wait, Outcome::CallbackFailed, None);
                ctx.observer.contact_ended(&record);
                self.free_call(call);
            }
        }
        self.agent_done(agent, g, now, ctx);
    }

    /// A missed callback customer is due another call back: dialed now by an idle agent, or
    /// back at the front of its queue (it already waited its turn once), behind the customers
    /// who rejoined before it, so that rejoiners are dialed in the order they became due.
    pub fn retry_callback<O: Observer>(
        &mut self,
        call: CallIdx,
        generation: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let Some(c) = self.current_call(call, generation, CallState::Retrying) else { return };
        let ct = c.call_type.idx();
        if let Some(agent) = self.pick_idle_agent(ct, now - c.arrival) {
            self.dial(agent, call, now, ctx);
            return;
        }
        let calls = &self.calls;
        let queue = &mut self.queues[ct];
        // Entries of calls that left the queue are skipped as if absent; the first live caller
        // who has not missed a call back marks the end of the rejoiners.
        let place = queue
            .iter()
            .position(|&(q, g)| {
                let w = &calls[q as usize];
                w.state == CallState::Waiting && w.generation == g && w.attempt == 0
            })
            .unwrap_or(queue.len());
        queue.insert(place, (call, generation));
        self.calls[call as usize].state = CallState::Waiting;
        self.callbacks.joined(ct);
    }
}
