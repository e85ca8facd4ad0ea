//! The one definition of every figure ccsim reports.
//!
//! Analytic (Erlang) and simulated results meet here: [`Metrics`] holds the rate metrics both
//! produce, with the same meaning, and [`CallStats`] adds what only a simulation can count
//! (volumes by origin, wait percentiles). Both are generic over the value: `f64` for one
//! analytic evaluation or one replication, [`crate::stats::Estimate`] for a mean over
//! replications with its confidence half-width, so one definition serves erlang, simulate,
//! staff and compare.
//!
//! Each field's definition is written once, in [`DEFINITIONS`], and reused by docs/metrics.md, CSV
//! header notes, the HTML report and chart labels.

use serde::{Deserialize, Serialize};

use crate::model::SlDefinition;
use crate::sim::counts::{Cell, Origin};

/// How a metric is shown to people: its key (as in JSON and CSV), unit and definition.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// Key in JSON and column name in CSV.
    pub key: &'static str,
    /// Short label for tables and chart axes.
    pub label: &'static str,
    /// Unit: `calls`, `share` (0..1), `s`, `agents`.
    pub unit: &'static str,
    /// One sentence, the definition.
    pub definition: &'static str,
}

/// One replication's record of figures, as the summaries tally it over replications (see
/// `replicate::tallies`): every struct `metric_struct!` defines, with `f64` values.
pub trait Figures {
    /// The same record with an estimate over replications for each figure.
    type Estimates;
    /// How many figures a record holds.
    const COUNT: usize;
    /// The figures, in the order of the keys.
    fn figures(&self) -> impl Iterator<Item = f64> + '_;
    /// The record of estimates whose `i`th figure (in key order) is `estimate(i)`.
    fn estimates(estimate: impl FnMut(usize) -> crate::stats::Estimate) -> Self::Estimates;
    /// The position of the record's one rate of a base counted beside it, estimated over
    /// replications as the ratio of its totals, if it has one (`rate = key` in
    /// `metric_struct!`).
    fn rate_index() -> Option<usize> {
        None
    }
}

/// Defines a struct of named metrics, generic over the value, with `map`, `zip`, `values`
/// and the list of its keys, so each metric is listed once.
macro_rules! metric_struct {
    ($(#[$meta:meta])* $name:ident { $($field:ident),* $(,)? } $(rate = $rate:ident)?) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
        pub struct $name<T> {
            $(
                #[doc = concat!("See [`DEFINITIONS`]: `", stringify!($field), "`.")]
                pub $field: T,
            )*
        }

        impl<T> $name<T> {
            /// The keys, in order: JSON keys and CSV column names.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Applies `f` to every value.
            pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> $name<U> {
                $name { $($field: f(self.$field)),* }
            }

            /// Combines two records value by value.
            pub fn zip<U, V>(self, other: $name<U>, mut f: impl FnMut(T, U) -> V) -> $name<V> {
                $name { $($field: f(self.$field, other.$field)),* }
            }

            /// The values in the order of [`Self::KEYS`] (without allocating: summaries call
            /// this for every cell of every replication).
            pub fn values(&self) -> impl Iterator<Item = &T> {
                [$(&self.$field),*].into_iter()
            }

            /// The values in the order of [`Self::KEYS`], by value.
            pub fn into_values(self) -> impl Iterator<Item = T> {
                [$(self.$field),*].into_iter()
            }

            /// Builds a record from one function of the key.
            pub fn from_fn(mut f: impl FnMut(&'static str) -> T) -> Self {
                $name { $($field: f(stringify!($field))),* }
            }
        }

        impl $name<f64> {
            /// `a` minus `b`, record by record and value by value: each figure's paired
            /// difference between two plans met by the same callers, replication by replication.
            pub fn differences(a: &[Self], b: &[Self]) -> Vec<Self> {
                a.iter().zip(b).map(|(y, x)| y.zip(*x, |y, x| y - x)).collect()
            }
        }

        impl Figures for $name<f64> {
            type Estimates = $name<crate::stats::Estimate>;
            const COUNT: usize = Self::KEYS.len();

            fn figures(&self) -> impl Iterator<Item = f64> + '_ {
                self.values().copied()
            }

            fn estimates(mut estimate: impl FnMut(usize) -> crate::stats::Estimate) -> Self::Estimates {
                let mut i = 0;
                $name::from_fn(|_| {
                    i += 1;
                    estimate(i - 1)
                })
            }
            $(
                fn rate_index() -> Option<usize> {
                    Self::KEYS.iter().position(|k| *k == stringify!($rate))
                }
            )?
        }

        /// Every key in order; after `abandon_rate`, the same value again as `p_abandon`, the
        /// name the Erlang report gives it (see [`JSON_SYNONYMS`]).
        impl<T: Serialize> Serialize for $name<T> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                // The exact count: binary formats (the shards' CBOR parts) write it as the map's length.
                let synonyms = JSON_SYNONYMS.iter().filter(|(key, _)| Self::KEYS.contains(key)).count();
                let mut out = serializer.serialize_struct(stringify!($name), Self::KEYS.len() + synonyms)?;
                $(
                    out.serialize_field(stringify!($field), &self.$field)?;
                    for (key, synonym) in JSON_SYNONYMS {
                        if key == stringify!($field) {
                            out.serialize_field(synonym, &self.$field)?;
                        }
                    }
                )*
                out.end()
            }
        }
    };
}

/// Keys written twice in JSON under two names, (key, synonym): the simulation's
/// `abandon_rate` is the Erlang report's `p_abandon` (abandoned / offered), so a script reads
/// either from any output. The synonym is JSON only; CSV columns are [`CallStats::KEYS`], and
/// reading JSON back ignores it.
pub const JSON_SYNONYMS: [(&str, &str); 1] = [("abandon_rate", "p_abandon")];

metric_struct! {
    /// Rate metrics shared by the Erlang formulas and the simulation.
    Metrics {
        service_level,
        service_level_answered,
        p_wait,
        asa_s,
        abandon_rate,
        mean_wait_all_s,
    }
}

metric_struct! {
    /// Everything a simulation reports for a set of contacts (a call type, an interval, the
    /// whole day): counts by origin and outcome, the rate [`Metrics`], and wait percentiles.
    /// Its keys are the `M` object of the `simulate --format json` contract.
    CallStats {
        offered,
        offered_fresh,
        offered_redial,
        offered_repeat,
        offered_transfer,
        answered,
        abandoned,
        unanswered_at_close,
        service_level,
        service_level_answered,
        p_wait,
        asa_s,
        abandon_rate,
        mean_wait_all_s,
        wait_p50_s,
        wait_p80_s,
        wait_p90_s,
        wait_p95_s,
        wait_p99_s,
        wait_max_s,
    }
}

impl<T: Copy> CallStats<T> {
    /// The rate metrics inside these statistics.
    pub fn metrics(&self) -> Metrics<T> {
        Metrics {
            service_level: self.service_level,
            service_level_answered: self.service_level_answered,
            p_wait: self.p_wait,
            asa_s: self.asa_s,
            abandon_rate: self.abandon_rate,
            mean_wait_all_s: self.mean_wait_all_s,
        }
    }
}

impl CallStats<crate::stats::Estimate> {
    /// Whether some of these contacts are judged by a service level. Contacts that have no
    /// outcome yet (emails still waiting when the run ends, their target not yet passed) and
    /// callback customers left out are not; cells of nothing else have no service level and
    /// count neither for nor against the goal in any figure pooled from cells.
    pub fn has_service_level(&self) -> bool {
        self.service_level.mean.is_finite()
    }
}

/// `num / den`, NaN where the denominator is 0: a rate over no contacts (or no agent time) is
/// not defined, and estimates over replications skip it.
pub fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { f64::NAN }
}

/// One replication's statistics of a set of contacts with the base of each rate: what the rate
/// divides by (offered contacts, answered ones, ...). A rate over replications is the ratio of
/// the totals, each replication's rate weighted by its base ([`crate::stats::RatioTally`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CallRecord {
    /// The statistics, as [`call_stats`] gives them.
    pub stats: CallStats<f64>,
    /// The base of each rate of [`Metrics`]: 0 where the rate is not defined.
    pub bases: Metrics<f64>,
}

impl CallRecord {
    /// Each rate with its base, as (rate, base).
    pub fn rates(&self) -> Metrics<(f64, f64)> {
        self.stats.metrics().zip(self.bases, |rate, base| (rate, base))
    }
}

/// The reported statistics of the contacts one [`Cell`] counted (a call type in an interval,
/// or any sum of such cells), each as [`DEFINITIONS`] says; rates are NaN where their
/// denominator is 0.
pub fn call_stats(t: &Cell, definition: SlDefinition) -> CallStats<f64> {
    call_record(t, definition).stats
}

/// [`call_stats`] with the base of each rate.
pub fn call_record(t: &Cell, definition: SlDefinition) -> CallRecord {
    let offered = t.offered_total() as f64;
    let answered = t.answered as f64;
    // Callback customers are reported apart ([`callback_stats`]): the service level leaves out
    // those its rule excludes, and ASA and the mean wait leave out every one of them, since
    // they did not hold. Without callbacks every subtraction is of 0.
    let cb = &t.callbacks;
    // Emails not yet due when the run ended have no outcome yet: out of the offered ones judged.
    let sl_offered = (t.offered_total() - cb.left_out_of_sl - t.not_yet_due) as f64;
    let sl_answered = (t.answered - cb.left_out_of_sl_answered) as f64;
    let bases = Metrics {
        service_level: match definition {
            SlDefinition::Offered => sl_offered,
            SlDefinition::Answered => sl_answered,
        },
        service_level_answered: sl_answered,
        p_wait: offered,
        asa_s: (t.answered - cb.completed) as f64,
        abandon_rate: offered,
        mean_wait_all_s: (t.offered_total() - cb.accepted) as f64,
    };
    let quantile = |key: &str| {
        let q = WAIT_PERCENTILES.iter().find(|(k, _)| *k == key).map_or(f64::NAN, |(_, q)| *q);
        t.waits.quantile(q)
    };
    let within = t.answered_within_target as f64;
    let stats = CallStats {
        offered,
        offered_fresh: t.offered[Origin::Fresh as usize] as f64,
        offered_redial: t.offered[Origin::Redial as usize] as f64,
        offered_repeat: t.offered[Origin::Repeat as usize] as f64,
        offered_transfer: t.offered[Origin::Transfer as usize] as f64,
        answered,
        abandoned: t.abandoned as f64,
        unanswered_at_close: t.unanswered_at_close as f64,
        service_level: ratio(within, bases.service_level),
        service_level_answered: ratio(within, bases.service_level_answered),
        p_wait: ratio(t.queued as f64, bases.p_wait),
        asa_s: ratio(t.wait_answered_s, bases.asa_s),
        abandon_rate: ratio(t.abandoned as f64, bases.abandon_rate),
        mean_wait_all_s: ratio(t.wait_all_s, bases.mean_wait_all_s),
        wait_p50_s: quantile("wait_p50_s"),
        wait_p80_s: quantile("wait_p80_s"),
        wait_p90_s: quantile("wait_p90_s"),
        wait_p95_s: quantile("wait_p95_s"),
        wait_p99_s: quantile("wait_p99_s"),
        wait_max_s: if t.waits.count() > 0 { t.waits.max() } else { f64::NAN },
    };
    CallRecord { stats, bases }
}

/// Occupancy: time busy / time on duty and not on break (NaN without time on duty); see
/// [`DEFINITIONS`] and, for chat, [`CHAT_OCCUPANCY`].
pub fn occupancy(busy_s: f64, on_duty_s: f64) -> f64 {
    ratio(busy_s, on_duty_s)
}

/// Agents on duty in an interval: time on duty and not on break / the interval's length.
pub fn agents_on_duty(on_duty_s: f64, interval_s: f64) -> f64 {
    on_duty_s / interval_s
}

metric_struct! {
    /// What a simulation with telephone lines reports for a set of contacts, beside its
    /// [`CallStats`] (whose `offered` includes the blocked ones). Keys of the `lines` object
    /// of `simulate --format json`, present only when the scenario has lines.
    LineStats {
        blocked,
        block_rate,
    } rate = block_rate
}

/// The definitions of the figures only a scenario with lines reports (kept apart from
/// [`DEFINITIONS`], whose list every report shows).
pub const LINE_DEFINITIONS: &[Definition] = &[
    d(
        "blocked",
        "Blocked",
        "calls",
        "contacts that got a busy signal: every line they could use was held by callers waiting or in service; counted in offered",
    ),
    d("block_rate", "Blocked", "share", "blocked contacts / offered contacts"),
    d(
        "line_occupancy",
        "Line occupancy",
        "share",
        "time-average of lines held (callers waiting or in service) / lines working",
    ),
];

metric_struct! {
    /// One email type's backlog on one day ([`crate::sim::email`]). Keys of each entry of a
    /// `backlog[].days` array of `simulate --format json`, present only when the scenario has
    /// email call types.
    BacklogStats {
        backlog_start,
        arrived,
        answered,
        answered_within_target,
        backlog_end,
        oldest_age_end_s,
    }
}

/// The definitions of the per-day backlog figures of email call types (kept apart from
/// [`DEFINITIONS`], whose list every report shows).
pub const BACKLOG_DEFINITIONS: &[Definition] = &[
    d(
        "backlog_start",
        "Open at start",
        "emails",
        "emails waiting at the start of the day's first interval; day 1: the call type's initial_backlog",
    ),
    d(
        "arrived",
        "Arrived",
        "emails",
        "emails offered in the day's intervals (fresh, repeat, transfer), the initial backlog not included",
    ),
    d(
        "answered",
        "Answered that day",
        "emails",
        "emails an agent started between the day's opening and the next day's opening (the last day: until the run ends)",
    ),
    d(
        "answered_within_target",
        "Within target",
        "emails",
        "of the emails answered that day, those that had waited at most the email target",
    ),
    d("backlog_end", "Open at end", "emails", "emails waiting at the end of the day's last interval"),
    d(
        "oldest_age_end_s",
        "Oldest open",
        "s",
        "at the end of the day's last interval, how long the oldest email still waiting had waited (0 when none was waiting)",
    ),
];

metric_struct! {
    /// What a simulation with callbacks reports for a set of contacts, beside its
    /// [`CallStats`] (whose `answered` includes completed callbacks). Keys of the `callbacks`
    /// object of `simulate --format json`, present only when a call type offers callbacks.
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
    let quantile = |q: f64| if cb.waits.count() > 0 { cb.waits.quantile(q) } else { f64::NAN };
    CallbackStats {
        callbacks_offered: cb.offered as f64,
        callbacks_accepted: cb.accepted as f64,
        callbacks_completed: cb.completed as f64,
        callbacks_failed: cb.failed as f64,
        callback_wait_mean_s: ratio(cb.wait_s, cb.completed as f64),
        callback_wait_p50_s: quantile(0.50),
        callback_wait_p80_s: quantile(0.80),
        callback_wait_p90_s: quantile(0.90),
        callback_wait_p95_s: quantile(0.95),
        callback_wait_p99_s: quantile(0.99),
        callback_wait_max_s: if cb.waits.count() > 0 { cb.waits.max() } else { f64::NAN },
    }
}

/// The definitions of the figures only a scenario with callbacks reports (kept apart from
/// [`DEFINITIONS`], whose list every report shows).
pub const CALLBACK_DEFINITIONS: &[Definition] = &[
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
    d("callback_wait_p50_s", "Callback wait p50", "s", "median wait of completed callbacks"),
    d("callback_wait_p80_s", "Callback wait p80", "s", "80th percentile of the wait of completed callbacks"),
    d("callback_wait_p90_s", "Callback wait p90", "s", "90th percentile of the wait of completed callbacks"),
    d("callback_wait_p95_s", "Callback wait p95", "s", "95th percentile of the wait of completed callbacks"),
    d("callback_wait_p99_s", "Callback wait p99", "s", "99th percentile of the wait of completed callbacks"),
    d(
        "callback_wait_max_s",
        "Callback wait max",
        "s",
        "longest wait of a completed callback in a replication; over replications, each replication's longest, averaged",
    ),
];

/// The wait percentiles reported, as (key, quantile).
pub const WAIT_PERCENTILES: [(&str, f64); 5] = [
    ("wait_p50_s", 0.50),
    ("wait_p80_s", 0.80),
    ("wait_p90_s", 0.90),
    ("wait_p95_s", 0.95),
    ("wait_p99_s", 0.99),
];

/// Every reported figure, defined once. Order: volumes, rates, waits, agents.
pub const DEFINITIONS: &[Definition] = &[
    d("offered", "Offered", "calls", "contacts that arrived (fresh + redial + repeat + transfer)"),
    d("offered_fresh", "Fresh", "calls", "first attempts from the forecast volume"),
    d("offered_redial", "Redials", "calls", "callers who abandoned earlier and called again"),
    d("offered_repeat", "Repeats", "calls", "answered callers whose problem was not solved, calling again"),
    d(
        "offered_transfer",
        "Transfers",
        "calls",
        "contacts transferred in from another call type after service",
    ),
    d("answered", "Answered", "calls", "contacts an agent started to serve"),
    d("abandoned", "Abandoned", "calls", "contacts that hung up while waiting"),
    d(
        "unanswered_at_close",
        "Unanswered",
        "calls",
        "contacts still waiting when no agent remained to answer them",
    ),
    d(
        "service_level",
        "Service level",
        "share",
        "contacts answered within the target time / all offered contacts (abandoned included); with definition = \"answered\": / answered contacts",
    ),
    d(
        "service_level_answered",
        "SL (answered)",
        "share",
        "contacts answered within the target time / answered contacts",
    ),
    d("p_wait", "P(wait)", "share", "share of offered contacts not answered at once (they queued)"),
    d(
        "asa_s",
        "ASA",
        "s",
        "average speed of answer: mean wait of answered contacts, immediate answers counting 0",
    ),
    d("abandon_rate", "Abandoned", "share", "abandoned contacts / offered contacts"),
    d(
        "mean_wait_all_s",
        "Mean wait (all)",
        "s",
        "mean time in queue of all offered contacts, abandoned ones counting their time until they hung up",
    ),
    d("wait_p50_s", "Wait p50", "s", "median wait of answered contacts"),
    d("wait_p80_s", "Wait p80", "s", "80th percentile of the wait of answered contacts"),
    d("wait_p90_s", "Wait p90", "s", "90th percentile of the wait of answered contacts"),
    d("wait_p95_s", "Wait p95", "s", "95th percentile of the wait of answered contacts"),
    d("wait_p99_s", "Wait p99", "s", "99th percentile of the wait of answered contacts"),
    d(
        "wait_max_s",
        "Wait max",
        "s",
        "longest wait of an answered contact in a replication; over replications, each replication's longest, averaged",
    ),
    d(
        "occupancy",
        "Occupancy",
        "share",
        "time busy with contacts / time on duty and not on break (with calls and emails, the handled workload / agent time available)",
    ),
    d(
        "agents_on_duty",
        "On duty",
        "agents",
        "time-average number of agents logged in and not on break; an agent whose shift ends during a call stays until the call ends",
    ),
    d("offered_load_erlangs", "Load", "Erlangs", "offered load: arrival rate x mean handle time"),
];

/// What occupancy means for agents who take chats, said wherever a run with chat shows it: the
/// general definition's "busy" counts an agent once however many chats it holds, so the handled
/// workload can exceed the time available and occupancy is not that ratio.
pub const CHAT_OCCUPANCY: &str = "for agents who take chats, busy means holding at least one chat, however many (the chats held on average are shown beside it)";

/// The definitions of the figures only a scenario with chat reports (kept apart from
/// [`DEFINITIONS`], whose list every report shows).
pub const CHAT_DEFINITIONS: &[Definition] = &[d(
    "mean_concurrency",
    "Chats held",
    "chats",
    "per agent group that takes chats: chats held per agent holding chats, time-averaged over the run (1 to max_concurrency)",
)];

/// The agents a plan has on duty as scheduled, what `staff` sets against the requirement: not a
/// simulated figure, so not [`DEFINITIONS`]' `agents_on_duty`, which also counts agents finishing
/// a call after their shift.
pub const PLAN_ON_DUTY: Definition = d(
    "plan_on_duty",
    "On duty now",
    "agents",
    "agents the current plan has logged in and not on break, time-average over the interval, as scheduled (no shrinkage taken out); unlike a simulation's agents on duty, agents who stay past their shift's end to finish a call are not counted",
);

const fn d(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    definition: &'static str,
) -> Definition {
    Definition { key, label, unit, definition }
}

/// The definition of a metric by key: of every contact ([`DEFINITIONS`]), or of the lines,
/// callbacks or chats only some scenarios have ([`LINE_DEFINITIONS`], [`CALLBACK_DEFINITIONS`],
/// [`CHAT_DEFINITIONS`]).
///
/// # Panics
/// On a key that is in none of them: a programming error caught by the tests.
pub fn definition(key: &str) -> &'static Definition {
    DEFINITIONS
        .iter()
        .chain(LINE_DEFINITIONS)
        .chain(CALLBACK_DEFINITIONS)
        .chain(CHAT_DEFINITIONS)
        .find(|d| d.key == key)
        .unwrap_or_else(|| panic!("metric {key} has no definition"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A summary reads a record's rates off its rate tallies in the order of [`Metrics`]' keys
    /// as it meets them among [`CallStats`]' keys.
    #[test]
    fn the_rates_stand_in_call_stats_in_the_order_of_metrics() {
        let in_stats: Vec<&str> =
            CallStats::<f64>::KEYS.iter().copied().filter(|k| Metrics::<f64>::KEYS.contains(k)).collect();
        assert_eq!(in_stats, Metrics::<f64>::KEYS);
    }

    #[test]
    fn every_reported_key_has_one_definition() {
        for key in CallStats::<f64>::KEYS.iter().chain(Metrics::<f64>::KEYS) {
            assert_eq!(DEFINITIONS.iter().filter(|d| d.key == *key).count(), 1, "{key}");
        }
        for key in BacklogStats::<f64>::KEYS {
            assert_eq!(BACKLOG_DEFINITIONS.iter().filter(|d| d.key == *key).count(), 1, "{key}");
        }
        for (key, _) in WAIT_PERCENTILES {
            assert!(CallStats::<f64>::KEYS.contains(&key));
        }
    }

    #[test]
    fn json_writes_abandon_rate_also_as_p_abandon_and_reads_back_without_it() {
        let position = |k: &str| CallStats::<f64>::KEYS.iter().position(|x| *x == k).unwrap() as f64;
        let stats = CallStats::from_fn(position);
        let json = serde_json::to_value(stats).unwrap();
        assert_eq!(json["p_abandon"], json["abandon_rate"]);
        assert_eq!(json["abandon_rate"], position("abandon_rate"));
        assert_eq!(json.as_object().unwrap().len(), CallStats::<f64>::KEYS.len() + 1);
        let text = serde_json::to_string(&stats).unwrap();
        let at = position("abandon_rate");
        let pair = format!("\"abandon_rate\":{at:?},\"p_abandon\":{at:?},");
        assert!(text.contains(&pair), "the synonym stands right after its key: {text}");
        assert_eq!(serde_json::from_value::<CallStats<f64>>(json).unwrap(), stats);
        let metrics = serde_json::to_value(stats.metrics()).unwrap();
        assert_eq!(metrics["p_abandon"], metrics["abandon_rate"]);
    }

    #[test]
    fn metrics_is_the_rate_part_of_call_stats() {
        // Each value is its key's position, so taking the wrong field shows (key lengths, used
        // before, let `service_level` and `offered_fresh` pass for each other).
        let position = |k: &str| CallStats::<f64>::KEYS.iter().position(|x| *x == k).unwrap() as f64;
        let m = CallStats::from_fn(position).metrics();
        for (key, v) in Metrics::<f64>::KEYS.iter().zip(m.values()) {
            assert_eq!(*v, position(key), "{key}");
        }
    }
}
