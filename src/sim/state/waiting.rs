//! A queued contact's life in the queue: its patience runs out (abandonment), it reaches an
//! overflow step (more groups may answer it), or it is still waiting when nobody is left to
//! answer (unanswered at close).
//!
//! An event for a contact that has since moved on carries a stale generation and is ignored,
//! so a queue is never searched when a caller leaves it.

use super::{CallState, State, ended};
use crate::sim::counts::Origin;
use crate::sim::event::CallIdx;
use crate::sim::{Context, Observer, Outcome};
use crate::time::SimTime;

impl<'a> State<'a> {
    /// A waiting caller's patience runs out.
    pub fn abandon<O: Observer>(
        &mut self,
        call: CallIdx,
        generation: u32,
        now: SimTime,
        ctx: &mut Context<'_, O>,
    ) {
        let Some(c) = self.current_call(call, generation, CallState::Waiting) else { return };
        ctx.counts.cell_mut(c.interval as usize, c.call_type.idx()).abandoned += 1;
        let redial = self.scenario.call_types[c.call_type.idx()].redial.as_ref();
        self.recontact_later(&c, redial, Origin::Redial, now, ctx.events);
        self.end_unanswered(call, Outcome::Abandoned, now, ctx);
    }

    /// A waiting contact leaves unanswered (abandoned, or still waiting at close): its line is
    /// freed, its time in queue counted, the observer told, and its record freed. The caller counts the outcome.
    #[inline]
    pub(super) fn end_unanswered<O: Observer>(
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
        ctx.observer.contact_ended(&ended(self.backlog_records, call, &c, now - c.arrival, outcome, None));
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
        let Some(c) = self.current_call(call, generation, CallState::Waiting) else { return };
        if let Some(agent) = self.pick_idle_agent(c.call_type.idx(), now - c.arrival) {
            self.start_service(agent, call, now, ctx);
        }
    }
}
