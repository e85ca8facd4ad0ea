//! Contacts coming in: fresh arrivals drawn from each call type's rate, redials and repeats
//! calling again, and the offer that answers, queues or blocks each of them.
//!
//! The offer draws what a caller brings from the contact's own stream in a fixed order, so
//! common random numbers hold whatever the plan. A caller who finds every line held gets a
//! busy signal here, and one about to queue may accept a callback instead.

use super::{Call, CallState, State, ended, oldest_waiting};
use crate::model::CallTypeId;
use crate::sim::callback::Decision;
use crate::sim::counts::Origin;
use crate::sim::event::{CallIdx, Event, EventQueue};
use crate::sim::lines::PoolId;
use crate::sim::{Context, Observer, Outcome};
use crate::stream::{self, Draw, Rng};
use crate::time::SimTime;

impl<'a> State<'a> {
    /// Schedules the next fresh arrival of `ct` drawn without the events.
    #[inline(always)]
    pub(super) fn schedule_next_arrival(&mut self, ct: CallTypeId, events: &mut EventQueue) {
        if let Some(t) = self.arrivals[ct.idx()].next_base(&self.bounds) {
            events.push(t, Event::Arrival(ct));
        }
    }

    /// Schedules the next fresh arrival of `ct` that the events add, if they add any.
    pub(super) fn schedule_next_added_arrival(&mut self, ct: CallTypeId, events: &mut EventQueue) {
        if let Some(t) = self.arrivals[ct.idx()].next_added(&self.bounds) {
            events.push(t, Event::AddedArrival(ct));
        }
    }

    /// A fresh call of `ct` arrives, unless an event that lowers the volume drops it.
    #[inline]
    pub fn arrive<O: Observer>(&mut self, ct: CallTypeId, now: SimTime, ctx: &mut Context<'_, O>) {
        if let Some((seed, interval)) = self.arrivals[ct.idx()].base_caller() {
            let call = self.new_call(ct, Origin::Fresh, seed, seed, interval, now, ctx.events);
            self.offer(call, now, ctx);
        }
        self.schedule_next_arrival(ct, ctx.events);
    }

    /// A fresh call of `ct` that an event adds arrives.
    pub fn arrive_added<O: Observer>(&mut self, ct: CallTypeId, now: SimTime, ctx: &mut Context<'_, O>) {
        let (seed, interval) = self.arrivals[ct.idx()].added_caller();
        let call = self.new_call(ct, Origin::Fresh, seed, seed, interval, now, ctx.events);
        self.offer(call, now, ctx);
        self.schedule_next_added_arrival(ct, ctx.events);
    }

    /// A redial or repeat calls in: offered now if the center and its call type are open, at
    /// the call type's next opening if either is closed, and not at all after the last
    /// interval.
    pub fn recontact<O: Observer>(&mut self, call: CallIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let grid = &self.scenario.grid;
        let call_type = &self.scenario.call_types[self.calls[call as usize].call_type.idx()];
        let next = match grid.index_at(now) {
            Some(idx) if call_type.is_open(idx) => {
                self.calls[call as usize].interval = idx as u32;
                self.offer(call, now, ctx);
                return;
            }
            Some(idx) => Some(idx + 1),
            None => grid.next_open(now),
        };
        let opening = match &call_type.open {
            Some(hours) => next.and_then(|idx| hours.next_open(idx, grid.len())),
            None => next.filter(|&idx| idx < grid.len()),
        };
        match opening {
            // Already there (the instant rounded below the opening's start): offered now, not
            // scheduled again at the same instant.
            Some(idx) if grid.start_of(idx) <= now => {
                self.calls[call as usize].interval = idx as u32;
                self.offer(call, now, ctx);
            }
            Some(idx) => ctx.events.push(grid.start_of(idx), Event::Recontact(call)),
            None => {
                let c = &self.calls[call as usize];
                ctx.counts.recontacts_after_close[c.call_type.idx()][c.origin as usize] += 1;
                self.free_call(call);
            }
        }
    }

    /// Offers a contact: draws what the caller brings, then answers it or queues it.
    #[inline(always)]
    pub(super) fn offer<O: Observer>(&mut self, call: CallIdx, now: SimTime, ctx: &mut Context<'_, O>) {
        let scenario = self.scenario;
        let c = &mut self.calls[call as usize];
        let ct = c.call_type.idx();
        let call_type = &scenario.call_types[ct];
        let draw_patience =
            |rng: &mut Rng| call_type.patience.as_ref().map_or(f64::INFINITY, |p| p.sample(rng));
        // The draws come in a fixed order from the contact's own stream: handle time,
        // patience, then the decision uniforms. Patience matters only to a caller who waits,
        // so it is drawn at once only when later draws follow it; otherwise it is drawn when
        // the caller is queued, which gives the same value and saves a draw for every
        // caller answered at once.
        let mut rng = stream::contact_rng(c.seed, Draw::Arrival);
        let mut patience = None;
        {
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
        ctx.observer.contact_ended(&ended(self.backlog_records, call, &c, 0.0, Outcome::Blocked, None));
        self.free_call(call);
    }

    /// An outage of a pool of lines starts or ends.
    pub fn change_lines(&mut self, pool: PoolId, now: SimTime) {
        self.lines.change_working(pool, now, &self.bounds);
    }

    /// Schedules the caller of `c` to call again (`origin` redial or repeat) when its draw
    /// falls under `recall`'s probability, after `recall`'s delay.
    #[inline(always)]
    pub(super) fn recontact_later(
        &mut self,
        c: &Call,
        recall: Option<&crate::model::Recall>,
        origin: Origin,
        now: SimTime,
        events: &mut EventQueue,
    ) {
        let Some(recall) = recall else { return };
        if c.u_recall < recall.probability && self.recalls.take(c.call_type) {
            let mut rng = stream::contact_rng(c.seed, Draw::FollowUp);
            let delay = recall.delay.sample(&mut rng);
            let next =
                self.new_call(c.call_type, origin, stream::child_seed(c.seed), c.caller, 0, now, events);
            events.push(now + delay, Event::Recontact(next));
        }
    }
}
