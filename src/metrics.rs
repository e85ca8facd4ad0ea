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

use crate::stats::WaitHistogram;

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
        #[derive(Clone, Copy, Debug, Default, PartialEq, ::serde::Deserialize)]
        pub struct $name<T> {
            $(
                #[doc = concat!("See [`crate::metrics::definition`]: `", stringify!($field), "`.")]
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

        impl $crate::metrics::Figures for $name<f64> {
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
        /// name the Erlang report gives it (see [`crate::metrics::JSON_SYNONYMS`]).
        impl<T: ::serde::Serialize> ::serde::Serialize for $name<T> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                // The exact count: binary formats (the shards' CBOR parts) write it as the map's length.
                let synonyms = $crate::metrics::JSON_SYNONYMS.iter().filter(|(key, _)| Self::KEYS.contains(key)).count();
                let mut out = serializer.serialize_struct(stringify!($name), Self::KEYS.len() + synonyms)?;
                $(
                    out.serialize_field(stringify!($field), &self.$field)?;
                    for (key, synonym) in $crate::metrics::JSON_SYNONYMS {
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

/// `num / den`, NaN where the denominator is 0: a rate over no contacts (or no agent time) is
/// not defined, and estimates over replications skip it.
pub fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 { num / den } else { f64::NAN }
}

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

/// The reported percentiles of a set of waits, in the order of [`WAIT_PERCENTILES`], and the
/// longest wait; each NaN without waits.
fn wait_figures(waits: &WaitHistogram) -> ([f64; 5], f64) {
    let longest = if waits.count() > 0 { waits.max() } else { f64::NAN };
    (WAIT_PERCENTILES.map(|(_, q)| waits.quantile(q)), longest)
}

/// A list of definitions with those of one kind of wait's percentiles and maximum between
/// `before` and `after`, so that every kind of wait words them alike: `key` and `label` start
/// the keys and labels, `waits` names whose waits they are and `one` one of them.
macro_rules! with_wait_definitions {
    (
        [$($before:expr),* $(,)?],
        $key:literal, $label:literal, $waits:literal, $one:literal,
        [$($after:expr),* $(,)?] $(,)?
    ) => {
        [
            $($before,)*
            d(concat!($key, "_p50_s"), concat!($label, " p50"), "s", concat!("median wait of ", $waits)),
            d(concat!($key, "_p80_s"), concat!($label, " p80"), "s", concat!("80th percentile of the wait of ", $waits)),
            d(concat!($key, "_p90_s"), concat!($label, " p90"), "s", concat!("90th percentile of the wait of ", $waits)),
            d(concat!($key, "_p95_s"), concat!($label, " p95"), "s", concat!("95th percentile of the wait of ", $waits)),
            d(concat!($key, "_p99_s"), concat!($label, " p99"), "s", concat!("99th percentile of the wait of ", $waits)),
            d(
                concat!($key, "_max_s"),
                concat!($label, " max"),
                "s",
                concat!(
                    "longest wait of ", $one,
                    " in a replication; over replications, each replication's longest, averaged"
                ),
            ),
            $($after,)*
        ]
    };
}

mod agents;
mod backlog;
mod callbacks;
mod calls;
mod lines;

pub use agents::{CHAT_DEFINITIONS, CHAT_OCCUPANCY, PLAN_ON_DUTY, agents_on_duty, occupancy};
pub use backlog::{BACKLOG_DEFINITIONS, BacklogStats};
pub use callbacks::{CALLBACK_DEFINITIONS, CallbackStats, callback_stats};
pub use calls::{CallRecord, CallStats, DEFINITIONS, Metrics, WAIT_PERCENTILES, call_record, call_stats};
pub use lines::{LINE_DEFINITIONS, LineStats};

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
