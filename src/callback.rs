//! Callbacks (virtual hold), as validated from the call types' `callback` keys and
//! `[service_level] callbacks_count_as`.
//!
//! A caller who would wait longer than `offer_when_wait_over` is offered a callback and accepts
//! with probability `accept`. An accepted caller hangs up (its line is freed, it never abandons)
//! but keeps its place in the queue; when it reaches the front and an agent is free, the agent
//! dials it (`dial_time` of agent time) and reaches it with probability `answer`, then serves it
//! as usual. A missed call back is tried again `retry_after` later, at most `retries` times;
//! after that the contact ends `callback_failed`. Without any `callback` key (the default)
//! nothing of this runs and every figure is what it was without callbacks.

use crate::time::Seconds;

/// Default `dial_time`: the agent's time to place a call back and wait for an answer.
pub const DEFAULT_DIAL_TIME: Seconds = 20.0;

/// One call type's callback offer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallbackOffer {
    /// A caller whose expected wait at arrival is over this is offered a callback.
    pub offer_when_wait_over: Seconds,
    /// Probability that an offered caller accepts, in [0, 1].
    pub accept: f64,
    /// Probability that one call back reaches the customer, in [0, 1].
    pub answer: f64,
    /// Further attempts after a missed first call back (0: a single attempt).
    pub retries: u32,
    /// Delay from a missed call back to the next attempt.
    pub retry_after: Seconds,
    /// Agent time spent dialing each call back, reached or not.
    pub dial_time: Seconds,
}

/// How callback customers count in the service level.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CallbacksCountAs {
    /// Left out of the service level (numerator and denominator): it measures the callers who
    /// held. Their waits are reported apart (`callback_wait_*`).
    #[default]
    Excluded,
    /// A callback customer reached by a call back counts as answered within the target (the
    /// promise was kept); one never reached counts as offered and not answered in time.
    AnsweredInTime,
}

/// The callback offers of a scenario; the default has none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Callbacks {
    /// Per call type (indexed by `CallTypeId`), or empty when no call type offers callbacks.
    pub offers: Vec<Option<CallbackOffer>>,
    /// How callback customers count in the service level.
    pub count_as: CallbacksCountAs,
}

impl Callbacks {
    /// Whether any call type offers callbacks: without one, no callback figures are reported.
    pub fn any(&self) -> bool {
        self.offers.iter().any(Option::is_some)
    }

    /// The offer of call type `ct`, if it makes one.
    pub fn offer(&self, ct: usize) -> Option<&CallbackOffer> {
        self.offers.get(ct).and_then(Option::as_ref)
    }
}
