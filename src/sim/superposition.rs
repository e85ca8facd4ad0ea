//! Fresh arrivals of one call type, and the volume of `[[events]]` laid over them by
//! superposition and thinning.
//!
//! The base process draws with the rates the replication would have without any event (the
//! forecast error included), by inverting its cumulative intensity. An event's volume factor
//! does not change those rates: were it to, every later arrival would move (the interarrival
//! draws are used up faster or slower during the window), and the runs with and without the
//! event, which the impact report pairs, would no longer meet the same callers after it. So
//! where the events raise an interval's rate, a second process of its own streams adds the
//! difference; where they lower it, each base arrival is kept with the ratio of the two rates,
//! from a uniform of its own stream drawn only there. A base arrival that is dropped still
//! takes its contact seed, so every later caller gets the same seed as without the event.
//! Outside the intervals an event touches, every arrival is the one the run without it draws.

use rand::Rng as _;
use rand_distr::{Distribution, Exp1};

use crate::stream::{self, Purpose, Rng};
use crate::time::SimTime;

/// A Poisson process whose rate is constant over each interval.
pub(crate) struct Piecewise {
    arrivals: Rng,
    /// The interval of the last arrival drawn (the number of intervals once there is none).
    interval: usize,
    time: SimTime,
    /// Per interval: arrivals per second.
    rates: Vec<f64>,
}

impl Piecewise {
    fn new(arrivals: Rng, start: SimTime, rates: Vec<f64>) -> Piecewise {
        Piecewise { arrivals, interval: 0, time: start, rates }
    }

    /// The next arrival, found by inverting the cumulative intensity so that a rate change
    /// mid-gap is exact; `None` after the last interval.
    #[inline(always)]
    fn next(&mut self, bounds: &[(SimTime, SimTime)]) -> Option<SimTime> {
        let mut work: f64 = Exp1.sample(&mut self.arrivals);
        let mut idx = self.interval;
        let mut t = self.time;
        while let (Some(&(start, end)), Some(&rate)) = (bounds.get(idx), self.rates.get(idx)) {
            let t_from = t.max(start);
            if rate > 0.0 && t_from < end {
                let capacity = rate * (end - t_from);
                if work < capacity {
                    t = t_from + work / rate;
                    self.interval = idx;
                    self.time = t;
                    return Some(t);
                }
                work -= capacity;
            }
            t = end;
            idx += 1;
        }
        self.interval = bounds.len();
        None
    }
}

/// What the events do to one call type's volume: the arrivals they add and the share of the
/// base arrivals they keep.
struct EventVolume {
    /// Per interval, the probability that a base arrival is kept (1 where no event lowers
    /// the rate); empty when no event lowers it anywhere.
    keep: Vec<f64>,
    thinning: Rng,
    /// Arrivals added where the events raise the rate, with their contact seeds; `None` when
    /// they raise it nowhere.
    added: Option<(Piecewise, Rng)>,
}

/// The fresh arrivals of one call type.
pub(crate) struct ArrivalProcess {
    base: Piecewise,
    callers: Rng,
    /// `None` without an event that changes this call type's volume, so such a run draws and
    /// checks nothing more than its base process.
    events: Option<Box<EventVolume>>,
}

impl ArrivalProcess {
    /// Call type `ct`'s arrivals in replication `replication` under `seed`, from `start`, at
    /// `rates` per interval without the events, which multiply interval `idx`'s rate by
    /// `event_factor(idx)`.
    pub(crate) fn new(
        seed: u64,
        replication: u32,
        ct: u32,
        start: SimTime,
        rates: Vec<f64>,
        event_factor: impl Fn(usize) -> f64,
    ) -> ArrivalProcess {
        let factors: Vec<f64> = (0..rates.len()).map(event_factor).collect();
        let events = factors.iter().any(|&f| f != 1.0).then(|| {
            let keep = if factors.iter().any(|&f| f < 1.0) {
                factors.iter().map(|&f| f.min(1.0)).collect()
            } else {
                Vec::new()
            };
            let added_rates: Vec<f64> = rates
                .iter()
                .zip(&factors)
                .map(|(&r, &f)| if f > 1.0 { r * (f - 1.0) } else { 0.0 })
                .collect();
            let added = added_rates.iter().any(|&r| r > 0.0).then(|| {
                let draws = stream::stream(seed, replication, Purpose::AddedArrivals, ct);
                let callers = stream::stream(seed, replication, Purpose::AddedCallers, ct);
                (Piecewise::new(draws, start, added_rates), callers)
            });
            Box::new(EventVolume {
                keep,
                thinning: stream::stream(seed, replication, Purpose::Thinning, ct),
                added,
            })
        });
        ArrivalProcess {
            base: Piecewise::new(stream::stream(seed, replication, Purpose::Arrivals, ct), start, rates),
            callers: stream::stream(seed, replication, Purpose::Callers, ct),
            events,
        }
    }

    /// Per interval, the rate of the contacts offered, the events' included.
    pub(crate) fn offered_rates(&self) -> impl Iterator<Item = f64> + '_ {
        let events = self.events.as_deref();
        self.base.rates.iter().enumerate().map(move |(idx, &rate)| match events {
            None => rate,
            Some(e) => {
                rate * e.keep.get(idx).copied().unwrap_or(1.0)
                    + e.added.as_ref().map_or(0.0, |(added, _)| added.rates[idx])
            }
        })
    }

    /// The next base arrival (it may be dropped when it comes: [`Self::base_caller`]).
    #[inline(always)]
    pub(crate) fn next_base(&mut self, bounds: &[(SimTime, SimTime)]) -> Option<SimTime> {
        self.base.next(bounds)
    }

    /// The contact seed and interval of the base arrival due now, or `None` when an event
    /// drops it. Its seed is drawn either way, so the callers after it keep theirs.
    #[inline(always)]
    pub(crate) fn base_caller(&mut self) -> Option<(u64, u32)> {
        let seed = self.callers.next_u64();
        let interval = self.base.interval;
        if let Some(events) = &mut self.events
            && let Some(&keep) = events.keep.get(interval)
            && keep < 1.0
            && rand::RngExt::random::<f64>(&mut events.thinning) >= keep
        {
            return None;
        }
        Some((seed, interval as u32))
    }

    /// The next arrival the events add, if any.
    pub(crate) fn next_added(&mut self, bounds: &[(SimTime, SimTime)]) -> Option<SimTime> {
        self.events.as_mut()?.added.as_mut()?.0.next(bounds)
    }

    /// The contact seed and interval of the added arrival due now.
    pub(crate) fn added_caller(&mut self) -> (u64, u32) {
        let (process, callers) = self
            .events
            .as_mut()
            .and_then(|e| e.added.as_mut())
            .expect("an added arrival comes only from a process that adds them");
        (callers.next_u64(), process.interval as u32)
    }

    /// No arrival after this one: the replication is stopping.
    pub(crate) fn stop(&mut self, n_intervals: usize) {
        self.base.interval = n_intervals;
        if let Some((added, _)) = self.events.as_mut().and_then(|e| e.added.as_mut()) {
            added.interval = n_intervals;
        }
    }
}
