//! The figures of a set of contacts: counts by origin and outcome, the rates both the Erlang
//! formulas and the simulation give, and the waits; their definitions.

use serde::{Deserialize, Serialize};

use super::{Definition, d, ratio, wait_figures};
use crate::model::SlDefinition;
use crate::sim::counts::{Cell, Origin};

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
    let ([wait_p50_s, wait_p80_s, wait_p90_s, wait_p95_s, wait_p99_s], wait_max_s) = wait_figures(&t.waits);
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
        wait_p50_s,
        wait_p80_s,
        wait_p90_s,
        wait_p95_s,
        wait_p99_s,
        wait_max_s,
    };
    CallRecord { stats, bases }
}

/// The wait percentiles reported, as (key, quantile).
pub const WAIT_PERCENTILES: [(&str, f64); 5] = [
    ("wait_p50_s", 0.50),
    ("wait_p80_s", 0.80),
    ("wait_p90_s", 0.90),
    ("wait_p95_s", 0.95),
    ("wait_p99_s", 0.99),
];

/// Every reported figure, defined once. Order: volumes, rates, waits, agents.
pub const DEFINITIONS: &[Definition] = &with_wait_definitions!(
    [
        d("offered", "Offered", "calls", "contacts that arrived (fresh + redial + repeat + transfer)"),
        d("offered_fresh", "Fresh", "calls", "first attempts from the forecast volume"),
        d(
            "offered_redial",
            "Redials",
            "calls",
            "callers who abandoned or got a busy signal earlier and called again"
        ),
        d(
            "offered_repeat",
            "Repeats",
            "calls",
            "answered callers whose problem was not solved, calling again"
        ),
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
    ],
    "wait",
    "Wait",
    "answered contacts",
    "an answered contact",
    [
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
    ],
);
