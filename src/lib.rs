//! ccsim: a call-center queue simulator and staffing planner.
//!
//! Data flows one way, and each stage has its own type:
//!
//! ```text
//! scenario file ──parse──▶ ScenarioFile ───validate──▶ model::Scenario ─┬─▶ sim::run ──▶ Counts ─┐
//!  (TOML/CSV)               (raw, spanned)                (validated)     │  (per replication)     ├─▶ Metrics ─▶ report
//!                                                                         └─▶ erlang::* ───────────┘  (one definition)
//! ```
//!
//! Modules in reading order: [`time`] and [`dist`] (units and durations), [`model`] (the
//! validated center), [`scenario`] (files into the model), [`erlang`] (analytic formulas),
//! [`metrics`] and [`stats`] (one definition per figure; estimates), [`sim`] (the engine),
//! [`replicate`] (replications on all cores), [`summary`] (what a run reports), [`staffing`],
//! [`schedule`], [`shrinkage`] (paid time off the phones, taken out of a plan) and [`compare`]
//! (planning), [`report`] (bytes for people), [`cli`].

pub mod bad_day;
pub mod cli;
pub mod compare;
pub mod dist;
pub mod erlang;
pub mod error;
pub mod events;
pub mod limits;
pub mod metrics;
pub mod model;
pub mod replicate;
pub mod report;
pub mod risk;
pub mod scenario;
pub mod schedule;
pub mod shrinkage;
pub mod sim;
pub mod staffing;
pub mod stats;
pub mod stream;
pub mod summary;
pub mod time;
pub mod uncertainty;
