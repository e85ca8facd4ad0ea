//! `ccsim erlang`: Erlang B / C / A / X metrics and required agents (or lines) for one interval.
//!
//! Two stages, as ripgrep does: clap's raw [`Args`] (strings for durations, so errors can
//! name the flag), then [`Args::validate`] into a [`Request`] that holds only valid values.
//! Every check lives there; `run` hands the request to [`crate::usecase::erlang`] and the
//! result to [`crate::report::erlang`].
//! Numeric flags accept a leading `-` (`--erlangs -1`, `--agents -1`, `--sl-goal -.5`), so a
//! negative value reaches validation and is refused with the flag's own message instead of
//! being taken for an unknown flag.

mod chat;

use clap::ValueEnum;

use crate::cli::print;
use crate::erlang::{self, Goals, MAX_LOAD, Model, ServiceGoal};
use crate::error::BadInput;
use crate::report::erlang::{self as report, LoadSource};
use crate::time::{DURATION_HELP, Seconds, parse_duration};
use crate::uncertainty::{MAX_CV, MIN_CV};
pub use crate::usecase::erlang::Request;

/// Largest agent count accepted by `--agents` (and line count by `--lines`).
const MAX_AGENTS: u32 = 10_000_000;
/// Longest mean patience accepted: the Erlang A sum runs over the queue length, about
/// (arrival rate − service capacity) × patience when understaffed, so unbounded patience
/// would make it unbounded; beyond a day Erlang C (no `--patience`) gives the same answer.
const MAX_PATIENCE: Seconds = 86_400.0;

/// Largest arrival rate × patience accepted: the longest queue the Erlang A sum may have to
/// run over (about a second of computing at this bound).
const MAX_QUEUE: f64 = 50_000_000.0;

/// Most lines accepted for Erlang X: one evaluation sums over up to this many queue states
/// (times 32 with --volume-cv, times the redial fixed point's steps).
const MAX_X_LINES: u32 = 100_000;

/// The queueing model, when not implied by the other flags.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModelName {
    /// M/M/c/c: lines (trunks) with blocked calls lost; solves lines for --max-block.
    ErlangB,
    /// M/M/c: callers wait as long as it takes (the default without --patience).
    ErlangC,
    /// M/M/c+M: callers abandon after an exponential patience (the default with --patience).
    ErlangA,
    /// M/M/c/L+M with redials and forecast uncertainty (the default with --lines, --redial
    /// or --volume-cv): needs --lines.
    ErlangX,
    /// Live chat, exactly: the Markov chain of agents holding 0..K chats (needs --concurrency;
    /// without it, --concurrency gives the chat estimate).
    ChatExact,
}

/// Output on stdout.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned table with units, for people.
    Table,
    /// JSON, for scripts (a documented contract).
    Json,
    /// CSV, one row per agent count.
    Csv,
}

/// Arguments of `ccsim erlang`.
#[derive(Debug, clap::Args)]
#[command(
    about = "Erlang B / C / A / X metrics and required agents or lines for one interval",
    after_help = "Examples:\n  \
    ccsim erlang --calls 100 --interval 30m --aht 180s --target 20s --sl-goal 0.8\n  \
    ccsim erlang --erlangs 10 --aht 3m --target 20s --agents 14\n  \
    ccsim erlang --calls 100 --interval 30m --aht 180s --target 20s --sl-goal 0.8 --patience 2m --max-abandon 0.05\n  \
    ccsim erlang --calls 100 --interval 30m --aht 180s --target 20s --sl-goal 0.8 --max-occupancy 0.85 --shrinkage 0.3 --asa-goal 15s --format json\n  \
    ccsim erlang --model erlang-b --erlangs 10 --max-block 0.01\n  \
    ccsim erlang --model erlang-b --calls 100 --interval 30m --aht 3m --lines 12\n  \
    ccsim erlang --calls 100 --interval 30m --aht 3m --target 20s --sl-goal 0.8 --lines 18 --patience 2m --redial 0.5 --volume-cv 0.1 --max-block 0.01\n\n\
    Durations: 20s, 3m, 1h30m, 1.5h or a plain number of seconds. Without --agents (Erlang B:\n\
    --lines), solves for the smallest staffing meeting every goal given; --patience switches from\n\
    Erlang C to Erlang A; --lines (with --patience, --redial, --volume-cv as wanted) to Erlang X.\n\
    Erlang B needs no --target (nobody waits) and --aht only with --calls. Erlang X's shares are\n\
    per offered attempt (redials and blocked attempts included); redials join the arrivals in\n\
    the same steady state (a fixed point), and --volume-cv mixes over a Gamma-distributed rate."
)]
pub struct Args {
    /// Calls offered in the interval (with --interval).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub calls: Option<f64>,
    /// Length of the interval the calls arrive in, e.g. 30m (with --calls).
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub interval: Option<String>,
    /// Offered load in Erlangs (instead of --calls and --interval).
    #[arg(long, value_name = "A", allow_hyphen_values = true)]
    pub erlangs: Option<f64>,
    /// Average handle time (talk + hold + after-call work), e.g. 180s or 3m.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub aht: Option<String>,
    /// Answer-time target of the service level, e.g. 20s.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub target: Option<String>,
    /// The model: erlang-b, erlang-c, erlang-a, erlang-x or chat-exact (default: erlang-x with
    /// --lines, --redial or --volume-cv; erlang-a with --patience; else erlang-c, the chat
    /// estimate with --concurrency).
    #[arg(long, value_enum, value_name = "MODEL")]
    pub model: Option<ModelName>,
    /// Service-level goal: share of all offered calls answered within --target, in (0, 1).
    /// No default: to solve for agents give at least one goal (this, --asa-goal, --max-abandon
    /// or --max-occupancy), or give --agents N to evaluate a staffing.
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true)]
    pub sl_goal: Option<f64>,
    /// Evaluate this many agents (and their neighbours) instead of solving.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub agents: Option<f64>,
    /// Lines: callers in the system (talking or waiting) at most; more are blocked; at least 1.
    /// Erlang X: the line count; Erlang B: evaluate this many lines instead of solving.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub lines: Option<f64>,
    /// Erlang X: probability that a blocked or abandoned caller redials, in [0, 1).
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true)]
    pub redial: Option<f64>,
    /// Erlang X: mean delay before a redial, e.g. 5m. Shown in the heading; the stationary
    /// model assumes the interval is long compared with it, so it does not change the figures.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub redial_delay: Option<String>,
    /// Erlang X: forecast uncertainty, the coefficient of variation of the arrival rate, in
    /// (0, 1]; the figures are averaged over a Gamma-distributed rate.
    #[arg(long, value_name = "CV", allow_hyphen_values = true)]
    pub volume_cv: Option<f64>,
    /// Blocking goal (Erlang B, Erlang X): blocked / offered attempts at most this, in (0, 1].
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true)]
    pub max_block: Option<f64>,
    /// Mean patience of a waiting caller: switches the model to Erlang A (M/M/c+M).
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub patience: Option<String>,
    /// Abandonment goal (Erlang A): abandoned / offered at most this, in (0, 1].
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true)]
    pub max_abandon: Option<f64>,
    /// Occupancy goal: handled workload / agent time at most this, in (0, 1].
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true)]
    pub max_occupancy: Option<f64>,
    /// Share of paid time agents are unavailable (breaks, absence), in [0, 1): scheduled
    /// agents = ceil(required / (1 - shrinkage)).
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true)]
    pub shrinkage: Option<f64>,
    /// ASA goal: mean wait of answered calls at most this, e.g. 15s.
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true)]
    pub asa_goal: Option<String>,
    /// Live chat: chats one agent holds at once (K >= 1). Gives the chat estimate, Erlang C
    /// on the agents' full-concurrency throughput (an approximation); --aht is the work of one
    /// chat at concurrency 1.
    #[arg(long, value_name = "K", allow_hyphen_values = true)]
    pub concurrency: Option<f64>,
    /// With --concurrency K: an agent's total throughput with 1, 2, ..., K chats relative to
    /// one, e.g. 1,1.7,2.5 (K values, the first 1, increasing, the j-th at most j; default
    /// 1,2,...,K: no slowdown).
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub concurrency_factors: Option<String>,
    /// Output on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// No progress bar (shown only by --model chat-exact, on a terminal, once a solve has
    /// taken a second).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl Args {
    /// Checks every flag and builds the request.
    ///
    /// # Errors
    /// [`BadInput`] naming the flag, the value and what is allowed.
    pub fn validate(&self) -> Result<Request, BadInput> {
        if self.model == Some(ModelName::ChatExact) {
            self.refuse_for_chat_exact()?;
        }
        let x_flags = self.redial.is_some() || self.redial_delay.is_some() || self.volume_cv.is_some();
        let implied_x = x_flags || (self.lines.is_some() && self.model != Some(ModelName::ErlangB));
        let model_name = match (self.model, &self.patience) {
            (Some(ModelName::ErlangC | ModelName::ErlangB), Some(p)) => {
                return Err(BadInput(format!(
                    "--patience: \"{p}\" is for Erlang A; {} callers never abandon (leave --patience or --model out)",
                    if self.model == Some(ModelName::ErlangB) { "Erlang B" } else { "Erlang C" }
                )));
            }
            (Some(ModelName::ErlangA), None) => {
                return Err(BadInput(
                    "--patience: required with --model erlang-a (mean patience, e.g. 2m)".into(),
                ));
            }
            (Some(m), _) if implied_x && m != ModelName::ErlangX => {
                let flag = if self.lines.is_some() && m != ModelName::ErlangB {
                    "--lines"
                } else {
                    "--redial/--redial-delay/--volume-cv"
                };
                return Err(BadInput(format!(
                    "{flag}: Erlang X only (--model erlang-x, or leave --model out); --model {} has no such parameter",
                    m.to_possible_value().map_or_else(String::new, |v| v.get_name().to_string())
                )));
            }
            (Some(m), _) => m,
            (None, _) if implied_x => ModelName::ErlangX,
            (None, Some(_)) => ModelName::ErlangA,
            (None, None) => ModelName::ErlangC,
        };
        let erlang_x = model_name == ModelName::ErlangX;
        let erlang_b = model_name == ModelName::ErlangB;
        let aht = match (&self.aht, erlang_b && self.calls.is_none()) {
            (Some(a), true) => {
                return Err(BadInput(format!(
                    "--aht: \"{a}\" is not used by Erlang B with --erlangs, which gives the load; it turns \
                     --calls N --interval D into a load (leave it out, or give --calls)"
                )));
            }
            (Some(a), false) => Some(duration("--aht", a)?),
            (None, true) => None,
            (None, false) => {
                return Err(BadInput(
                    "--aht: required: the average handle time (talk + hold + after-call work), e.g. 3m"
                        .into(),
                ));
            }
        };
        let target = match (&self.target, erlang_b) {
            (Some(t), false) => duration("--target", t)?,
            (Some(t), true) => {
                return Err(BadInput(format!(
                    "--target: \"{t}\" has no meaning in Erlang B, where nobody waits (leave it out)"
                )));
            }
            (None, true) => 0.0,
            (None, false) => {
                return Err(BadInput(
                    "--target: required: the answer-time target of the service level, e.g. 20s".into(),
                ));
            }
        };
        let patience = self.patience.as_deref().map(|p| duration("--patience", p)).transpose()?;
        let max_asa = self.asa_goal.as_deref().map(|p| duration("--asa-goal", p)).transpose()?;
        let (load, rate_per_s, source) = match (self.calls, &self.interval, self.erlangs) {
            (Some(_), _, Some(_)) => {
                return Err(BadInput(
                    "--calls/--erlangs: give either --calls N --interval D or --erlangs A, not both".into(),
                ));
            }
            (None, _, None) => {
                return Err(BadInput(
                    "--calls/--erlangs: missing load; give --calls N --interval D or --erlangs A".into(),
                ));
            }
            (Some(_), None, None) => {
                return Err(BadInput("--interval: required with --calls (e.g. --interval 30m)".into()));
            }
            (None, Some(i), Some(_)) => {
                return Err(BadInput(format!(
                    "--interval: \"{i}\" is only used with --calls; with --erlangs leave it out"
                )));
            }
            (Some(calls), Some(interval), None) => {
                let calls = non_negative("--calls", calls, "a number of calls")?;
                let interval = duration("--interval", interval)?;
                // `aht` is always known with --calls.
                let aht = aht.unwrap_or(f64::NAN);
                (calls * aht / interval, calls / interval, LoadSource::Calls { calls, interval })
            }
            (None, None, Some(erlangs)) => {
                let load = non_negative("--erlangs", erlangs, "an offered load in Erlangs")?;
                (load, aht.map_or(f64::NAN, |aht| load / aht), LoadSource::Erlangs)
            }
        };
        if load > MAX_LOAD {
            // With --calls the load is calls x handle time / interval: any of the three may be
            // the one out of range.
            let flag =
                if matches!(source, LoadSource::Erlangs) { "--erlangs" } else { "--calls/--aht/--interval" };
            // Written out in full, a load of 1e300 would be three hundred digits.
            let load = if load < 1e12 {
                format!("{load:.1} Erlangs")
            } else if load.is_finite() {
                format!("{load:.3e} Erlangs")
            } else {
                "too large to compute".to_string()
            };
            return Err(BadInput(format!(
                "{flag}: offered load {load} is above the supported maximum of {MAX_LOAD} Erlangs"
            )));
        }
        // The exact chat model's queue is Erlang A's with the agents' full-concurrency drain, so
        // the same caps bound its sum; without --patience it stays the exact chat model.
        let (arrivals, waiting, without) = if model_name == ModelName::ChatExact {
            ("chats", "chats", "the exact chat model without abandonment")
        } else {
            ("calls", "callers", "Erlang C")
        };
        if let Some(p) = patience.filter(|p| *p > MAX_PATIENCE) {
            return Err(BadInput(format!(
                "--patience: at most 24h, got {p} s; {waiting} that patient are {without} (leave --patience out)"
            )));
        }
        if let Some(p) = patience.filter(|p| rate_per_s * p > MAX_QUEUE) {
            return Err(BadInput(format!(
                "--patience: {p} s is too long for {rate_per_s:.1} {arrivals}/s: a queue could reach {:.0} \
                 {waiting}, more than the {MAX_QUEUE} the exact Erlang A sum allows; use {without} (leave \
                 --patience out)",
                rate_per_s * p
            )));
        }
        let agents = self.agents.map(|n| count("--agents", n, "agents")).transpose()?;
        // Each model's own range, said whatever is wrong with the value. No model takes 0 lines:
        // every call would be blocked, a row with no line to be occupied.
        let lines = match self.lines {
            None => None,
            Some(n) => {
                let (model, most) = if erlang_x { ("X", MAX_X_LINES) } else { ("B", MAX_AGENTS) };
                if !(n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= f64::from(most)) {
                    return Err(BadInput(format!(
                        "--lines: Erlang {model} takes a whole number of lines from 1 to {most}, got {n}"
                    )));
                }
                Some(n as u32)
            }
        };
        let redial = match self.redial {
            None => 0.0,
            Some(p) if (0.0..1.0).contains(&p) => p,
            Some(p) => {
                return Err(BadInput(format!(
                    "--redial: must be a probability at least 0 and below 1 (e.g. 0.6 for 60%), got {p}"
                )));
            }
        };
        let redial_delay = self.redial_delay.as_deref().map(|d| duration("--redial-delay", d)).transpose()?;
        let volume_cv = match self.volume_cv {
            None => None,
            Some(cv) if (MIN_CV..=MAX_CV).contains(&cv) => Some(cv),
            Some(cv) => {
                return Err(BadInput(format!(
                    "--volume-cv: must be a coefficient of variation from {MIN_CV} to {MAX_CV} (0.1 for 10%; \
                     leave it out for none), got {}",
                    crate::error::quoted_number(cv)
                )));
            }
        };
        let x_lines = match (erlang_x, lines) {
            (false, _) => 0,
            (true, None) => {
                return Err(BadInput(
                    "--lines: required with Erlang X (callers in the system at most, e.g. --lines 30)".into(),
                ));
            }
            // From 1 to MAX_X_LINES, checked where it was read.
            (true, Some(n)) => n,
        };
        let max_block = self.max_block.map(|v| share("--max-block", v)).transpose()?;
        let model = match model_name {
            ModelName::ErlangB => Model::erlang_b(load, aht),
            ModelName::ErlangA => {
                Model::erlang_a(rate_per_s, aht.unwrap_or(f64::NAN), patience.unwrap_or(f64::NAN))
            }
            // The chat models replace it below, once --concurrency is read.
            ModelName::ErlangC | ModelName::ChatExact => Model::erlang_c(load, aht.unwrap_or(f64::NAN)),
            ModelName::ErlangX => Model::ErlangX(erlang::ErlangX {
                rate_per_s,
                aht: aht.unwrap_or(f64::NAN),
                patience,
                lines: x_lines,
                redial,
                volume_cv,
            }),
        };
        if erlang_b {
            // Lines are the servers; the waiting and staffing goals have nothing to measure.
            let not_b = [
                ("--agents", self.agents.is_some(), "the lines are the servers: use --lines N"),
                ("--sl-goal", self.sl_goal.is_some(), "nobody waits: use --max-block"),
                ("--asa-goal", self.asa_goal.is_some(), "nobody waits: use --max-block"),
                ("--max-abandon", self.max_abandon.is_some(), "nobody waits, so nobody abandons"),
                ("--shrinkage", self.shrinkage.is_some(), "lines are not people"),
            ];
            if let Some((flag, _, why)) = not_b.iter().find(|(_, given, _)| *given) {
                return Err(BadInput(format!("{flag}: not used by Erlang B ({why})")));
            }
        } else if let (false, Some(v)) = (erlang_x, self.max_block) {
            return Err(BadInput(format!(
                "--max-block: {v} needs a line limit (--lines N for Erlang X, or --model erlang-b); \
                 Erlang C and A block nothing"
            )));
        }
        if let (None, Some(v)) = (patience, self.max_abandon) {
            // Named after the model in use: Erlang X takes --patience too, and stays Erlang X.
            let (with, without) = if erlang_x {
                ("the callers' mean patience", "in Erlang X without --patience")
            } else {
                ("Erlang A", "in Erlang C")
            };
            return Err(BadInput(format!(
                "--max-abandon: {v} needs --patience ({with}); {without} callers never abandon"
            )));
        }
        let goals = Goals {
            service_level: self
                .sl_goal
                .map(|g| service_level_goal(g).map(|goal| ServiceGoal { target, goal }))
                .transpose()?,
            max_asa,
            max_abandon: self.max_abandon.map(|v| share("--max-abandon", v)).transpose()?,
            max_occupancy: self.max_occupancy.map(|v| share("--max-occupancy", v)).transpose()?,
            max_block,
        };
        let shrinkage = match self.shrinkage {
            None => 0.0,
            Some(s) if (0.0..1.0).contains(&s) => s,
            Some(s) => {
                return Err(BadInput(format!("--shrinkage: must be at least 0 and below 1, got {s}")));
            }
        };
        let evaluate = if erlang_b { lines } else { agents };
        let no_goal = goals == Goals::default();
        if let (true, Some(s)) = (no_goal, self.shrinkage) {
            return Err(BadInput(format!(
                "--shrinkage: {s} applies to the staffing a goal requires, and --agents without a goal \
                 solves for none; give a goal (e.g. --sl-goal 0.8) or leave --shrinkage out"
            )));
        }
        if evaluate.is_none() && no_goal {
            let message = if erlang_b {
                "--max-block/--max-occupancy: give a goal to solve for, or --lines N to evaluate a number of lines"
            } else {
                "--sl-goal/--asa-goal/--max-abandon/--max-occupancy: give at least one goal to solve for, \
                 or --agents N to evaluate a staffing"
            };
            return Err(BadInput(message.into()));
        }
        let (model, concurrency_factors) = match self.chat(model_name)? {
            None => (model, None),
            Some((_, factors)) if model_name == ModelName::ChatExact => {
                let exact = erlang::ChatExact::new(load, aht.unwrap_or(f64::NAN), &factors);
                let exact = patience.map_or(exact, |p| exact.with_patience(p));
                (Model::ChatExact(exact), Some(factors))
            }
            Some((concurrency, factors)) => {
                let chat = erlang::ChatErlang {
                    load,
                    aht: aht.unwrap_or(f64::NAN),
                    concurrency,
                    full_throughput: factors[factors.len() - 1],
                };
                (Model::ErlangCChat(chat), Some(factors))
            }
        };
        Ok(Request {
            model,
            source,
            target,
            goals,
            agents: evaluate,
            shrinkage,
            redial_delay,
            concurrency_factors,
        })
    }
}

/// Runs `ccsim erlang`.
///
/// # Errors
/// Bad input (exit 2), including goals no staffing meets.
pub fn run(args: Args) -> anyhow::Result<()> {
    let format = args.format;
    let warnings = args.plain_seconds_warnings();
    let request = args.validate()?;
    // Said once the flags are known to be good, on stderr: the output stays what it was.
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
    let report = crate::usecase::erlang::erlang(&request, &crate::cli::Bars::new(args.quiet))?;
    // A shrinkage next to 1 makes the scheduled count past any headcount (or past counting):
    // said, rather than left out of the output.
    if let Some(required) = report
        .requirement
        .filter(|_| request.shrinkage > 0.0 && !matches!(request.model, crate::erlang::Model::ErlangB { .. }))
        && report.scheduled.is_none_or(|n| n > MAX_AGENTS)
    {
        return Err(BadInput(format!(
            "--shrinkage: {} would schedule {} agents for the {} required, more than the cap of {MAX_AGENTS}",
            request.shrinkage,
            report.scheduled.map_or_else(|| "more than 4294967295".to_string(), |n| n.to_string()),
            required.agents
        ))
        .into());
    }
    let text = match format {
        Format::Table => report::table(&report),
        Format::Json => report::json(&report),
        Format::Csv => {
            // CSV has rows only: the counts left out at the exact chat model's state limit are
            // named on stderr, as the table names them under its rows (JSON has a key).
            if let Some(note) = report::state_limit_note(&report) {
                eprintln!("note: {note}");
            }
            if let Some(why) = &report.goals_unmet {
                eprintln!("note: no required count: {why}");
            }
            String::from_utf8(report::csv(&report)?)?
        }
    };
    print(&text)
}

impl Args {
    /// Warnings for `--interval`, `--aht` and `--patience` given as plain numbers of seconds too
    /// short to be meant (`--interval 30` for half an hour, `--aht 4` for 4 minutes).
    fn plain_seconds_warnings(&self) -> Vec<String> {
        use crate::time::{
            SHORTEST_PLAIN_HANDLE_TIME, SHORTEST_PLAIN_INTERVAL, SHORTEST_PLAIN_PATIENCE, short_plain_seconds,
        };
        let flags = [
            ("--interval", self.interval.as_deref(), "an interval", SHORTEST_PLAIN_INTERVAL),
            ("--aht", self.aht.as_deref(), "an average handle time", SHORTEST_PLAIN_HANDLE_TIME),
            ("--patience", self.patience.as_deref(), "a mean patience", SHORTEST_PLAIN_PATIENCE),
        ];
        flags
            .into_iter()
            .filter_map(|(flag, text, what, shortest)| {
                let secs: f64 = text?.trim().parse().ok()?;
                Some(format!("{flag}: {}", short_plain_seconds(secs, what, shortest)?))
            })
            .collect()
    }
}

fn duration(flag: &str, text: &str) -> Result<Seconds, BadInput> {
    let negative = text.trim_start().starts_with('-');
    match parse_duration(text) {
        Ok(v) if v > 0.0 => Ok(v),
        _ if negative => Err(BadInput(format!(
            "{flag}: must be a positive duration, got \"{text}\"; expected {DURATION_HELP}"
        ))),
        Ok(_) => Err(BadInput(format!(
            "{flag}: must be a positive duration, got \"{text}\"; expected {DURATION_HELP}"
        ))),
        Err(e) => Err(BadInput(format!("{flag}: {e}"))),
    }
}

fn share(flag: &str, v: f64) -> Result<f64, BadInput> {
    if v > 0.0 && v <= 1.0 {
        Ok(v)
    } else {
        Err(BadInput(format!("{flag}: must be a share above 0 and at most 1 (e.g. 0.8 for 80%), got {v}")))
    }
}

/// `--sl-goal`, below 1: under every model a caller has some chance of waiting past the
/// target, so no staffing answers all calls within it. Its service level only reaches 1.0
/// when rounding swallows the last digits, which would make a goal of 1 pick a count by
/// rounding noise (and, where the noise is not monotone, not even the first count that
/// shows 100%).
fn service_level_goal(v: f64) -> Result<f64, BadInput> {
    let allowed = "must be a share above 0 and below 1 (e.g. 0.8 for 80%, 0.99 for 99%)";
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else if v == 1.0 {
        Err(BadInput(format!(
            "--sl-goal: {allowed}, got 1: no staffing answers every call within --target (a caller \
             always has some chance of waiting longer), so no agent count meets a goal of 1"
        )))
    } else {
        Err(BadInput(format!("--sl-goal: {allowed}, got {v}")))
    }
}

/// A whole count from a number flag: `0..=MAX_AGENTS`, no fraction.
fn count(flag: &str, v: f64, what: &str) -> Result<u32, BadInput> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= f64::from(MAX_AGENTS) {
        Ok(v as u32)
    } else {
        Err(BadInput(format!("{flag}: must be a whole number of {what} from 0 to {MAX_AGENTS}, got {v}")))
    }
}

fn non_negative(flag: &str, v: f64, what: &str) -> Result<f64, BadInput> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(BadInput(format!("{flag}: must be {what}, 0 or more, got {v}")))
    }
}
