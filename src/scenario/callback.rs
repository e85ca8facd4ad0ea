//! The call types' `callback` keys and `[service_level] callbacks_count_as` into
//! [`Callbacks`]: probabilities in [0, 1], durations of 0 or more and at most
//! [`MAX_DURATION`], retries at most [`MAX_CALLBACK_RETRIES`], each problem located.

use super::distribution::seconds;
use super::field::{FieldPath, Sink, TomlDoc};
use super::source::*;
use crate::callback::{CallbackOffer, Callbacks, DEFAULT_DIAL_TIME};
use crate::limits::{MAX_CALLBACK_RETRIES, MAX_DURATION};
use crate::time::Seconds;

/// The validated callback offers, or `None` when any error was recorded.
pub fn callbacks(doc: &mut TomlDoc, raw: &ScenarioFile) -> Option<Callbacks> {
    let count_as = raw.service_level.callbacks_count_as.unwrap_or_default();
    if raw.call_types.iter().all(|c| c.callback.is_none()) {
        return Some(Callbacks { offers: Vec::new(), count_as });
    }
    let root = FieldPath::root().key("call_types");
    let mut ok = true;
    let mut offers = Vec::with_capacity(raw.call_types.len());
    for (i, c) in raw.call_types.iter().enumerate() {
        let offer = match &c.callback {
            None => None,
            Some(cb) => {
                let offer = offer(doc, cb, &root.named(i, Some(&c.name)).key("callback"));
                ok &= offer.is_some();
                offer
            }
        };
        offers.push(offer);
    }
    ok.then_some(Callbacks { offers, count_as })
}

fn offer(doc: &mut TomlDoc, raw: &CallbackFile, path: &FieldPath) -> Option<CallbackOffer> {
    let mut duration = |key: &str, value: &Option<Duration>| -> Option<Seconds> {
        let p = path.key(key);
        let secs = seconds(doc, value.as_ref()?, &p)?;
        if secs > MAX_DURATION {
            let message =
                format!("{secs} s is more than the cap of {MAX_DURATION} s (30 days, MAX_DURATION)");
            doc.error(&p, message);
            return None;
        }
        Some(secs)
    };
    let offer_when_wait_over = duration("offer_when_wait_over", &raw.offer_when_wait_over);
    let retry_after = duration("retry_after", &raw.retry_after);
    let dial_time = match &raw.dial_time {
        None => Some(DEFAULT_DIAL_TIME),
        some => duration("dial_time", some),
    };
    // `retry_after = 10` meant as ten minutes reads as 10 seconds: say how it was read.
    let plain = raw.retry_after.as_ref().and_then(Duration::plain_seconds);
    let short = plain.and_then(|secs| {
        let shortest = crate::time::SHORTEST_PLAIN_RETRY_AFTER;
        crate::time::short_plain_seconds(secs, "a delay before calling a missed customer again", shortest)
    });
    if let Some(message) = short.filter(|_| raw.retries.is_some_and(|n| n > 0)) {
        doc.warn(&path.key("retry_after"), message);
    }
    let mut probability = |key: &str, value: Option<f64>| -> Option<f64> {
        let v = value?;
        if (0.0..=1.0).contains(&v) {
            Some(v)
        } else {
            let hint = super::validate::percent_hint(v, |f| (0.0..=1.0).contains(&f));
            doc.error(&path.key(key), format!("must be a probability in [0, 1], got {v}{hint}"));
            None
        }
    };
    let accept = probability("accept", raw.accept);
    let answer = probability("answer", raw.answer);
    let retries = match raw.retries {
        Some(n) if n > MAX_CALLBACK_RETRIES => {
            let message = format!(
                "{n} is more than the cap of {MAX_CALLBACK_RETRIES} retries (MAX_CALLBACK_RETRIES); \
                 0 means a single call back"
            );
            doc.error(&path.key("retries"), message);
            None
        }
        other => other,
    };
    Some(CallbackOffer {
        offer_when_wait_over: offer_when_wait_over?,
        accept: accept?,
        answer: answer?,
        retries: retries?,
        retry_after: retry_after?,
        dial_time: dial_time?,
    })
}
