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
//! Each planning command is one library function in [`usecase`] (`simulate`, `staff`,
//! `schedule`, `compare`, `erlang`) that runs these stages in order and returns its result type;
//! `sweep` and `risk` are one function each of their own modules ([`sweep::sweep`],
//! [`risk::curve()`]). [`cli`]
//! turns flags into the request and the result into bytes through [`report`]:
//!
//! ```text
//! cli ──request──▶ usecase::{simulate, staff, schedule, compare, erlang} ──result──▶ report ──bytes──▶ cli
//!                   │ (the steps of one command, in order; progress phases)
//!                   ├─▶ replicate ─▶ sim            (simulate, compare, schedule, staff's search)
//!                   ├─▶ staffing ─▶ erlang, replicate (staff, schedule without a requirement file)
//!                   ├─▶ schedule                     (the shift optimiser)
//!                   └─▶ compare                      (paired plans on common random numbers)
//! cli ──shard K/N──▶ usecase::shard (one shard's part: replications, or sweep/risk cases) ──▶ partial
//! cli merge ──parts──▶ partial (read, checked as a set) ──▶ usecase::merge (the whole run's result) ──▶ report
//! ```
//!
//! `cli` defines each shared flag once (`cli::args`: replications, seed, threads; charts and
//! report, with the one routine that writes them) and flattens it into the commands.
//!
//! Modules in reading order: [`time`] and [`dist`] (units and durations), [`stream`] (the
//! random streams, one per seed, replication and purpose, and each caller's own), [`model`] (the
//! validated center: scenario, plans, templates valid by construction, agents on duty and shift
//! cost as methods of the plan types), [`scenario`] (files into the model), [`erlang`] (analytic
//! formulas), [`metrics`] and [`stats`] (every figure's one formula and definition, a child
//! module per kind of figure: `calls`, `agents`, `lines`, `backlog`, `callbacks`; estimates),
//! [`sim`] (the engine), [`replicate`] (replications on all cores, folded into running estimates
//! by `replicate::summarizer`), [`summary`] (what a run reports: the JSON schema's header, a
//! child module per section: `contacts`, `groups`, `waits`, `lines`, `callbacks`, `backlog`;
//! `summary::goals` judges it and `summary::check` checks one read back), [`staffing`]
//! (requirements; `staffing::plan` runs one staffing into the report types of `staffing::report`),
//! [`schedule`] (the optimiser: problem, size, parts, program, search, plan),
//! [`shrinkage`] (paid time off the phones, taken out of a plan) and [`compare`] (planning),
//! [`usecase`] (one function per planning command; `usecase::shard`, one shard's part of a run, and
//! `usecase::merge`, the run's result from its parts),
//! [`report`] (bytes for people; the HTML reports in `report::html`, whose `goals` judges a run
//! against the scenario's goals and `definitions` lists the figures shown), [`cli`] (flags and
//! I/O only).
//!
//! The engine's handlers live in `sim::state`'s child modules, one per concept (arrivals,
//! waiting, service, dialing, agents, agent time, closing).
//!
//! Features beside that spine, each in modules named after it: channels (`model::channel`,
//! their engine parts `sim::chat`, chat slots, and `sim::email`, the backlog; their planning in
//! `staffing::channels`, `erlang::chat`, the chat estimate, and `erlang::chat_exact`, the exact
//! chat model), [`callback`] (virtual hold; its engine part in
//! `sim::callback`), [`telephony`] (lines and busy signals; their engine part in `sim::lines`),
//! [`uncertainty`], [`events`], [`bad_day`] (with `sim::superposition`, the callers an event
//! adds or drops) and [`risk`] (forecast error, absence, surges and the probability of meeting
//! the goal),
//! [`shard`], [`partial`] and [`sweep`] (sharded runs merged exactly, what-if grids), and
//! [`fit`] (a call log into a scenario: `fit::log` reads it, `fit::write` writes the scenario).
//! [`limits`] holds the caps on what an input may ask for, and [`error`] the errors and the exit
//! codes they map to.

pub mod bad_day;
pub mod callback;
pub mod cli;
pub mod compare;
pub mod dist;
pub mod erlang;
pub mod error;
pub mod events;
pub mod fit;
pub mod limits;
pub mod metrics;
pub mod model;
pub mod partial;
pub mod replicate;
pub mod report;
pub mod risk;
pub mod scenario;
pub mod schedule;
pub mod shard;
pub mod shrinkage;
pub mod sim;
pub mod staffing;
pub mod stats;
pub mod stream;
pub mod summary;
pub mod sweep;
pub mod telephony;
pub mod time;
pub mod uncertainty;
pub mod usecase;
