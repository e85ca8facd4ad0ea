//! Redials, repeats and transfers, from caller ids.
//!
//! A caller's contacts are taken in time order. A contact that comes within the redial window
//! after the caller abandoned is a *redial*; one within the repeat window after an answered
//! call is a *repeat*; one that starts within [`TRANSFER_GAP_S`] of the end of an answered
//! call of another type is a *transfer* leg. These are follow-ups: a scenario simulates them
//! on top of its volumes, so only the other contacts (first attempts) count as volume.
//!
//! A probability is the share of eligible calls followed up: a call is eligible when its
//! whole window lies inside the log (a call near the log's end could still be followed up
//! after it, unseen). Transfers are also read from the `transferred_to` column when the log
//! has one.

use super::log::{Contact, Mark, Outcome};
use crate::time::Seconds;

/// A transfer leg starts within this many seconds of the end of the answered call.
pub const TRANSFER_GAP_S: Seconds = 1.0;

/// Follow-ups after one kind of contact of one call type.
#[derive(Clone, Debug, Default)]
pub struct Recalls {
    /// Calls whose window lies inside the log, and how many of them were followed up.
    pub eligible: u64,
    pub followed: u64,
    /// Delays from the end of the call to the follow-up's arrival.
    pub delays_s: Vec<Seconds>,
}

impl Recalls {
    /// Share followed up, with its binomial standard error; `None` with nothing eligible.
    pub fn probability(&self) -> Option<(f64, f64)> {
        (self.eligible > 0).then(|| {
            let p = self.followed as f64 / self.eligible as f64;
            (p, (p * (1.0 - p) / self.eligible as f64).sqrt())
        })
    }

    /// Share followed up with its Wilson 95% interval, which stays within 0 and 1 and is not
    /// empty at 0 of n (the binomial standard error's would be 0 ± 0); `None` with nothing
    /// eligible.
    pub fn interval(&self) -> Option<crate::stats::IntervalEstimate> {
        (self.eligible > 0)
            .then(|| crate::risk::binomial_estimate(self.followed as usize, self.eligible as usize))
    }

    /// Mean delay.
    pub fn mean_delay_s(&self) -> Option<Seconds> {
        (!self.delays_s.is_empty()).then(|| self.delays_s.iter().sum::<f64>() / self.delays_s.len() as f64)
    }

    /// Whether the written scenario simulates these follow-ups: a probability strictly between
    /// 0 and 1, and a delay. Otherwise their calls count as first attempts
    /// ([`CallerLinks::count_unmodelled_as_fresh`]), so the volumes still hold them.
    pub fn modelled(&self) -> Option<(f64, f64, Seconds)> {
        match (self.probability(), self.mean_delay_s()) {
            (Some((p, se)), Some(delay)) if p > 0.0 && p < 1.0 => Some((p, se, delay)),
            _ => None,
        }
    }
}

/// Which recall a contact is, and the call type of the call it follows (transfer legs are
/// simulated from the probabilities whatever else is written, so they need no mark).
#[derive(Copy, Clone, Debug, PartialEq)]
enum FollowUp {
    Redial(u16),
    Repeat(u16),
}

/// Follow-ups per call type.
#[derive(Clone, Debug, Default)]
pub struct CallerLinks {
    pub redials: Vec<Recalls>,
    pub repeats: Vec<Recalls>,
    /// Answered calls per type, and transfers per (from, to).
    pub answered: Vec<u64>,
    pub transfers: Vec<Vec<u64>>,
    /// Per contact (in log order): a first attempt, counted as volume.
    pub fresh: Vec<bool>,
    /// Per contact: the redial or repeat it is, if any.
    follow_ups: Vec<Option<FollowUp>>,
}

impl CallerLinks {
    /// Counts as first attempts the redials and repeats of call types whose follow-ups the
    /// scenario will not simulate ([`Recalls::modelled`]): with a window longer than the log,
    /// say, none is eligible, and leaving them out of the volumes would lose those calls.
    /// Returns how many, per call type, were counted back (redials, repeats).
    pub fn count_unmodelled_as_fresh(&mut self) -> Vec<(u64, u64)> {
        let mut back = vec![(0, 0); self.redials.len()];
        for (fresh, follow_up) in self.fresh.iter_mut().zip(&self.follow_ups) {
            match *follow_up {
                Some(FollowUp::Redial(t)) if self.redials[usize::from(t)].modelled().is_none() => {
                    *fresh = true;
                    back[usize::from(t)].0 += 1;
                }
                Some(FollowUp::Repeat(t)) if self.repeats[usize::from(t)].modelled().is_none() => {
                    *fresh = true;
                    back[usize::from(t)].1 += 1;
                }
                _ => {}
            }
        }
        back
    }
}

/// Windows for linking contacts.
#[derive(Copy, Clone, Debug)]
pub struct Windows {
    pub redial_s: Seconds,
    pub repeat_s: Seconds,
}

/// Links each caller's contacts.
pub fn link(contacts: &[Contact], n_types: usize, windows: Windows) -> CallerLinks {
    let mut links = CallerLinks {
        redials: vec![Recalls::default(); n_types],
        repeats: vec![Recalls::default(); n_types],
        answered: vec![0; n_types],
        transfers: vec![vec![0; n_types]; n_types],
        // The initial backlog was waiting before the log began: no arrival to count as volume.
        fresh: contacts.iter().map(|c| c.mark != Mark::InitialBacklog).collect(),
        follow_ups: vec![None; contacts.len()],
    };
    let log_end = contacts.iter().map(|c| c.instant).fold(f64::NEG_INFINITY, f64::max);
    for c in contacts {
        if c.outcome == Outcome::Answered {
            links.answered[usize::from(c.call_type)] += 1;
            if c.transferred_to != u16::MAX {
                links.transfers[usize::from(c.call_type)][usize::from(c.transferred_to)] += 1;
            }
        }
    }
    let by_column = contacts.iter().any(|c| c.transferred_to != u16::MAX);
    let mut order: Vec<u32> =
        (0..contacts.len() as u32).filter(|&i| contacts[i as usize].caller != 0).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&contacts[a as usize], &contacts[b as usize]);
        a.caller.cmp(&b.caller).then(a.instant.total_cmp(&b.instant))
    });
    for (pos, &i) in order.iter().enumerate() {
        let c = &contacts[i as usize];
        let next =
            order.get(pos + 1).map(|&j| (j, &contacts[j as usize])).filter(|(_, n)| n.caller == c.caller);
        let end = match c.outcome {
            Outcome::Answered => c.instant + f64::from(c.wait_s) + f64::from(c.handle_s),
            Outcome::Abandoned => c.instant + f64::from(c.wait_s),
            // None of them is a call a redial or a repeat follows, as the scenario simulates them.
            Outcome::Blocked | Outcome::UnansweredAtClose | Outcome::CallbackFailed => continue,
        };
        let t = usize::from(c.call_type);
        let gap = next.map(|(_, n)| n.instant - end);
        if c.outcome == Outcome::Answered
            && let (Some((j, n)), Some(gap)) = (next, gap)
            && gap.abs() <= TRANSFER_GAP_S
            && (n.call_type != c.call_type || c.transferred_to != u16::MAX)
        {
            links.fresh[j as usize] = false;
            if !by_column {
                links.transfers[t][usize::from(n.call_type)] += 1;
            }
            continue;
        }
        let (recalls, window, kind) = match c.outcome {
            Outcome::Abandoned => (&mut links.redials[t], windows.redial_s, FollowUp::Redial(c.call_type)),
            _ => (&mut links.repeats[t], windows.repeat_s, FollowUp::Repeat(c.call_type)),
        };
        let followed = gap.is_some_and(|g| g >= -TRANSFER_GAP_S && g <= window);
        if followed && let Some((j, _)) = next {
            links.fresh[j as usize] = false;
            links.follow_ups[j as usize] = Some(kind);
        }
        if end + window <= log_end {
            recalls.eligible += 1;
            if followed {
                recalls.followed += 1;
                recalls.delays_s.push(gap.unwrap_or(0.0).max(0.0));
            }
        }
    }
    links
}
