//! The figures only a scenario with callbacks reports.

use super::{Definition, d, ratio, wait_figures};
use crate::sim::counts::Cell;

metric_struct! {
    /// What a simulation with callbacks reports for a set of contacts, beside its
    /// [`CallStats`] (whose `answered` includes completed callbacks). Keys of the `callbacks`
    /// object of `simulate --format json`, present only when a call type offers callbacks.
    ///
    /// [`CallStats`]: super::CallStats
    CallbackStats {
        callbacks_offered,
        callbacks_accepted,
        callbacks_completed,
        callbacks_failed,
        callback_wait_mean_s,
        callback_wait_p50_s,
        callback_wait_p80_s,
        callback_wait_p90_s,
        callback_wait_p95_s,
        callback_wait_p99_s,
        callback_wait_max_s,
    } rate = callback_wait_mean_s
}

/// The callback figures of the contacts one [`Cell`] counted, each as
/// [`CALLBACK_DEFINITIONS`] says (waits NaN when no callback was completed).
pub fn callback_stats(t: &Cell) -> CallbackStats<f64> {
    let cb = &t.callbacks;
    let ([p50, p80, p90, p95, p99], longest) = wait_figures(&cb.waits);
    CallbackStats {
        callbacks_offered: cb.offered as f64,
        callbacks_accepted: cb.accepted as f64,
        callbacks_completed: cb.completed as f64,
        callbacks_failed: cb.failed as f64,
        callback_wait_mean_s: ratio(cb.wait_s, cb.completed as f64),
        callback_wait_p50_s: p50,
        callback_wait_p80_s: p80,
        callback_wait_p90_s: p90,
        callback_wait_p95_s: p95,
        callback_wait_p99_s: p99,
        callback_wait_max_s: longest,
    }
}

/// The definitions of the figures only a scenario with callbacks reports (kept apart from
/// [`DEFINITIONS`], whose list every report shows).
///
/// [`DEFINITIONS`]: super::DEFINITIONS
pub const CALLBACK_DEFINITIONS: &[Definition] = &with_wait_definitions!(
    [
        d(
            "callbacks_offered",
            "Callbacks offered",
            "calls",
            "callers offered a callback: their expected wait at arrival (queue position x mean handle time / agents on duty in the call type's groups) was over offer_when_wait_over",
        ),
        d(
            "callbacks_accepted",
            "Callbacks accepted",
            "calls",
            "callers who accepted a callback (callback customers): they hung up, freeing their line, and kept their place in the queue",
        ),
        d(
            "callbacks_completed",
            "Callbacks completed",
            "calls",
            "callback customers reached by a call back and served; counted in answered",
        ),
        d(
            "callbacks_failed",
            "Callbacks failed",
            "calls",
            "callback customers not reached after the first call back and every retry: the outcome callback_failed",
        ),
        d(
            "callback_wait_mean_s",
            "Callback wait",
            "s",
            "mean time from arrival to the call back that reached the customer, over completed callbacks",
        ),
    ],
    "callback_wait",
    "Callback wait",
    "completed callbacks",
    "a completed callback",
    [],
);
