//! Callbacks during one replication: whom to offer one, who accepts, whether a call back
//! reaches the customer, and the counts each step adds ([`crate::callback`] has the rules).
//!
//! The expected wait that decides the offer is, at the caller's arrival,
//!
//! ```text
//! expected wait = queue position x mean handle time / agents on duty
//! ```
//!
//! where the queue position counts the callers of the call type waiting ahead (callback
//! customers keeping their place included) plus the caller itself, the mean handle time is the
//! call type's (before any group's factor or a bad day's), and the agents are those on duty
//! (logged in and not on break, busy or idle) in every group that has the call type's skill,
//! overflow groups included. With no agent on duty the expected wait is infinite: the caller is
//! offered a callback whatever the threshold.
//!
//! The draws (accept, then one per call back) come from the contact's own callback stream, so
//! they leave every other draw unchanged: with `accept = 0` the run is the run without
//! callbacks. Nothing here allocates per contact; without callbacks the engine asks one
//! emptiness check per queued caller.

use rand::RngExt as _;

use crate::callback::{CallbackOffer, CallbacksCountAs};
use crate::model::Scenario;
use crate::sim::counts::CallbackCell;
use crate::stream::{self, Draw};
use crate::time::{Seconds, SimTime};

/// The callback desk of one replication.
#[derive(Clone, Debug, Default)]
pub struct CallbackDesk {
    /// Per call type: its offer; empty when no call type offers callbacks.
    offers: Vec<Option<CallbackOffer>>,
    /// Per call type: its mean handle time, s.
    mean_handle_s: Vec<Seconds>,
    /// Per call type: the groups with its skill.
    groups: Vec<Vec<usize>>,
    /// Per call type: callers waiting in its queue now (callback customers included); kept
    /// only when some call type offers callbacks.
    waiting: Vec<u32>,
    count_as: CallbacksCountAs,
}

/// What became of a caller who would queue.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// No callback offered (none configured, or the expected wait is short enough), or
    /// offered and declined: the caller holds.
    Holds,
    /// The caller accepted a callback.
    Accepted,
}

/// What a call back that ended without reaching the customer leads to.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Missed {
    /// Dial again at this instant (the customer rejoins the front of its queue, behind earlier
    /// rejoiners).
    RetryAt(SimTime),
    /// Every attempt failed: the contact ends `callback_failed`.
    Failed,
}

impl CallbackDesk {
    /// The desk of `scenario`; empty (and costless) when no call type offers callbacks.
    pub fn new(scenario: &Scenario) -> CallbackDesk {
        let callbacks = &scenario.callbacks;
        if !callbacks.any() {
            return CallbackDesk::default();
        }
        let n_types = scenario.call_types.len();
        let mut groups = vec![Vec::new(); n_types];
        for (g, group) in scenario.agent_groups.iter().enumerate() {
            for skill in &group.skills {
                groups[skill.call_type.idx()].push(g);
            }
        }
        CallbackDesk {
            offers: (0..n_types).map(|ct| callbacks.offer(ct).copied()).collect(),
            mean_handle_s: scenario.call_types.iter().map(|c| c.handle_time.mean()).collect(),
            groups,
            waiting: vec![0; n_types],
            count_as: callbacks.count_as,
        }
    }

    /// Whether any call type offers callbacks.
    #[inline]
    pub fn is_on(&self) -> bool {
        !self.offers.is_empty()
    }

    /// A caller of `ct` joined its queue.
    #[inline]
    pub fn joined(&mut self, ct: usize) {
        // Without callbacks `waiting` is empty: one length test and no bounds check.
        if self.waiting.is_empty() {
            return;
        }
        if let Some(n) = self.waiting.get_mut(ct) {
            *n += 1;
        }
    }

    /// A caller of `ct` left its queue (answered, abandoned, dialed or left at close).
    #[inline]
    pub fn left(&mut self, ct: usize) {
        if self.waiting.is_empty() {
            return;
        }
        if let Some(n) = self.waiting.get_mut(ct) {
            *n -= 1;
        }
    }

    /// The offer of `ct`, if it makes one.
    #[inline]
    pub fn offer(&self, ct: usize) -> Option<&CallbackOffer> {
        self.offers.get(ct).and_then(Option::as_ref)
    }

    /// Whether a caller of `ct` about to queue is offered a callback and accepts it, counted in
    /// `cell`. `on_duty(g)` is the number of agents on duty in group `g`; `seed` is the
    /// contact's seed.
    #[inline]
    pub fn decide(
        &self,
        ct: usize,
        seed: u64,
        on_duty: impl Fn(usize) -> u32,
        cell: &mut CallbackCell,
    ) -> Decision {
        let Some(offer) = self.offer(ct) else { return Decision::Holds };
        let agents: u32 = self.groups[ct].iter().map(|&g| on_duty(g)).sum();
        let position = f64::from(self.waiting[ct]) + 1.0;
        let expected_wait =
            if agents == 0 { f64::INFINITY } else { position * self.mean_handle_s[ct] / f64::from(agents) };
        if expected_wait <= offer.offer_when_wait_over {
            return Decision::Holds;
        }
        cell.offered += 1;
        let u: f64 = stream::contact_rng(seed, Draw::Callback).random();
        if u < offer.accept {
            cell.accepted += 1;
            if self.count_as == CallbacksCountAs::Excluded {
                cell.left_out_of_sl += 1;
            }
            Decision::Accepted
        } else {
            Decision::Holds
        }
    }

    /// Agent time to dial a call back of `ct`.
    #[inline]
    pub fn dial_time(&self, ct: usize) -> Seconds {
        self.offer(ct).map_or(0.0, |o| o.dial_time)
    }

    /// Whether call back number `attempt` (0 for the first) of the contact with `seed`, a
    /// callback customer of `ct`, reaches the customer. Each attempt has its own uniform from
    /// the contact's callback stream, after the acceptance draw.
    pub fn reaches(&self, ct: usize, seed: u64, attempt: u32) -> bool {
        let Some(offer) = self.offer(ct) else { return true };
        let mut rng = stream::contact_rng(seed, Draw::Callback);
        let mut u: f64 = rng.random();
        for _ in 0..=attempt {
            u = rng.random();
        }
        u < offer.answer
    }

    /// A call back reached the customer after `wait` from its arrival: counted in `cell`.
    /// Returns whether it counts as answered within the target.
    pub fn completed(&self, wait: Seconds, cell: &mut CallbackCell) -> bool {
        cell.completed += 1;
        cell.wait_s += wait;
        cell.waits.add(wait);
        match self.count_as {
            CallbacksCountAs::Excluded => {
                cell.left_out_of_sl_answered += 1;
                false
            }
            CallbacksCountAs::AnsweredInTime => true,
        }
    }

    /// Call back number `attempt` (0 for the first) of a customer of `ct` did not reach it at
    /// `now`: the next attempt, or the end.
    pub fn missed(&self, ct: usize, attempt: u32, now: SimTime, cell: &mut CallbackCell) -> Missed {
        match self.offer(ct) {
            Some(offer) if attempt < offer.retries => Missed::RetryAt(now + offer.retry_after),
            _ => {
                cell.failed += 1;
                Missed::Failed
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callback::Callbacks;
    use crate::dist::Dist;
    use crate::model::StationaryQueue;

    /// A call type with a 180 s mean handle time offering callbacks over 60 s, always accepted.
    fn desk() -> CallbackDesk {
        let mut s = Scenario::stationary(&StationaryQueue {
            calls_per_hour: 100.0,
            handle_time: Dist::exponential(180.0),
            patience: None,
            agents: 10,
            target: 20.0,
            hours: 1,
        });
        let offer = CallbackOffer {
            offer_when_wait_over: 60.0,
            accept: 1.0,
            answer: 0.5,
            retries: 1,
            retry_after: 600.0,
            dial_time: 20.0,
        };
        s.callbacks = Callbacks { offers: vec![Some(offer)], count_as: CallbacksCountAs::Excluded };
        CallbackDesk::new(&s)
    }

    #[test]
    fn offers_a_callback_when_position_times_handle_time_over_agents_exceeds_the_threshold() {
        let mut desk = desk();
        let mut cell = CallbackCell::default();
        // 6 agents: 180 / 6 = 30 s a place, so the 2nd place waits 60 s (not over) and the 3rd 90 s.
        desk.joined(0);
        assert_eq!(desk.decide(0, 1, |_| 6, &mut cell), Decision::Holds);
        desk.joined(0);
        assert_eq!(desk.decide(0, 1, |_| 6, &mut cell), Decision::Accepted);
        assert_eq!(desk.decide(0, 1, |_| 9, &mut cell), Decision::Holds, "3 x 180 / 9 = 60 s");
        desk.left(0);
        desk.left(0);
        // Nobody on duty: the wait is infinite, even for the first in line.
        assert_eq!(desk.decide(0, 1, |_| 0, &mut cell), Decision::Accepted);
        assert_eq!((cell.offered, cell.accepted, cell.left_out_of_sl), (2, 2, 2));
    }

    #[test]
    fn each_call_back_has_its_own_draw_and_the_last_retry_fails() {
        let desk = desk();
        // About half of the attempts reach the customer, and attempts are not all alike.
        let reached = (0..2000u64).filter(|&seed| desk.reaches(0, seed, 0)).count();
        assert!((900..1100).contains(&reached), "{reached} of 2000");
        let same = (0..2000u64).filter(|&seed| desk.reaches(0, seed, 0) == desk.reaches(0, seed, 1)).count();
        assert!((900..1100).contains(&same), "{same} of 2000 alike");
        let mut cell = CallbackCell::default();
        assert_eq!(desk.missed(0, 0, 100.0, &mut cell), Missed::RetryAt(700.0));
        assert_eq!(desk.missed(0, 1, 100.0, &mut cell), Missed::Failed);
        assert_eq!(cell.failed, 1);
    }
}
