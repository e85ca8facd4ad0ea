//! The end of a run: past the horizon, once nobody is logged in and nobody will log in, the
//! callers still waiting are counted unanswered at close and the run's time totals (agents,
//! chats, lines) and the email backlog are finished.

use super::{CallState, State, oldest_waiting};
use crate::sim::event::CallIdx;
use crate::sim::{Context, Observer, Outcome};
use crate::time::SimTime;

impl<'a> State<'a> {
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
        // An email is judged at the end of the run or when the last agent stopped taking work,
        // if later, not when the last one finished the contact in hand: past that instant no one
        // could have answered it, and the time it would wait depends on others' work.
        let judged_at = self.horizon.max(self.last_stop).min(now);
        let n_types = self.queues.len();
        for ct in 0..n_types {
            while let Some(call) = self.first_waiting(ct) {
                self.queues[ct].pop_front();
                let c = &self.calls[call as usize];
                let cell = ctx.counts.cell_mut(c.interval as usize, ct);
                cell.unanswered_at_close += 1;
                // An email outlives the run: one still inside its target when the run ends
                // has no known outcome yet. A call or chat still waiting is lost at close.
                if self.backlog.is_email(ct) && judged_at - c.arrival < self.targets[ct] {
                    cell.not_yet_due += 1;
                }
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
