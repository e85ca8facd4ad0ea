//! The `ccsim erlang` report: a table for people, the JSON contract for scripts, and CSV.
//!
//! Pure: an [`ErlangReport`] in, bytes out. Nothing is computed here beyond formatting; the
//! figures come from [`crate::erlang`]. The JSON keys are a stable contract (docs/json.md):
//!
//! ```text
//! {"model": "erlang_c"|"erlang_a"|"erlang_b"|"erlang_x"|"erlang_c_chat"|"chat_exact",
//!  "offered_load_erlangs": f,
//!  "required_agents": n|null, "scheduled_agents": n|null, "rows": [{"agents": n,
//!  "p_wait": f, "service_level": f, "asa_s": f|null, "occupancy": f, "p_abandon": f|null,
//!  "service_level_answered": f|null, "mean_wait_all_s": f|null, "stable": bool,
//!  "p_block": f, "lines": n, "carried_erlangs": f, "effective_arrival_rate_per_s": f,
//!  "line_occupancy": f}],
//!  "rows_past_state_limit": {"agents": [n], "max_agents": n, "max_states": n},
//!  "goals_unmet": "..."}
//! ```
//!
//! `rows_past_state_limit` is the exact chat model's alone, present only when the table's
//! agent counts reach past its state limit: those counts are left out of `rows` and named.
//! `goals_unmet` is present only with `--agents` beside goals no count meets: why.
//!
//! `null` means infinite (ASA of an unstable queue), undefined, or not part of the model
//! (abandonment, service level over answered calls and mean wait of all calls are Erlang A
//! figures). `p_block`, `lines` and `carried_erlangs` are present only for Erlang B and
//! Erlang X, `line_occupancy` only for them. Erlang B's servers are lines: there `agents` and
//! `lines` are the same count, `required_agents` is the required lines (also written as
//! `required_lines`), `service_level` is the share not blocked (nobody waits), `p_wait` and
//! `asa_s` are 0, and `occupancy` is the lines' occupancy, the same as `line_occupancy` (kept
//! under its first name for scripts that read it). Erlang X fills the Erlang A keys too, all shares
//! per offered attempt (redials and blocked attempts included; `service_level_answered` and
//! `asa_s` over answered attempts), and adds `effective_arrival_rate_per_s`: attempts per
//! second, fresh calls plus redials, and `line_occupancy`: the time-average of lines held
//! (callers waiting or talking) / lines, as `simulate` reports it. CSV has the same columns, the added ones after
//! `required`.

use serde::Serialize;

use crate::erlang::{Model, Performance, Requirement};
use crate::report::table::Table;
use crate::time::{Seconds, format_duration};

mod chat;

pub use chat::state_limit_note;

/// Where the offered load came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LoadSource {
    /// `--calls N --interval D`.
    Calls {
        /// Calls in the interval.
        calls: f64,
        /// Interval length.
        interval: Seconds,
    },
    /// `--erlangs A`.
    Erlangs,
}

/// Everything the report shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ErlangReport {
    /// The queue.
    pub model: Model,
    /// Where the load came from.
    pub source: LoadSource,
    /// Answer-time target of the service level.
    pub target: Seconds,
    /// Shrinkage in [0, 1).
    pub shrinkage: f64,
    /// The solve, when goals were given and met.
    pub requirement: Option<Requirement>,
    /// Required agents after shrinkage.
    pub scheduled: Option<u32>,
    /// The agent count the table marks: the one asked for, else the required one.
    pub marked: u32,
    /// Whether `marked` was asked for (`--agents`) rather than solved.
    pub evaluated: bool,
    /// Evaluated agent counts, ascending.
    pub rows: Vec<Performance>,
    /// Erlang X: the mean redial delay given, shown in the heading only.
    pub redial_delay: Option<Seconds>,
    /// The chat estimate: the throughput factors with 1..=K chats.
    pub concurrency_factors: Option<Vec<f64>>,
    /// The exact chat model: the table's agent counts past its state limit, left out of
    /// `rows` (ascending; empty when every count was solved).
    pub past_state_limit: Vec<u32>,
    /// With `--agents` and goals no count meets (or none the model can solve): why, as the
    /// command would refuse it without `--agents`.
    pub goals_unmet: Option<String>,
}

impl ErlangReport {
    /// Erlang A, or the exact chat model with patience: the figures of abandonment are filled.
    fn is_erlang_a(&self) -> bool {
        match self.model {
            Model::ErlangA { .. } => true,
            Model::ChatExact(chat) => chat.patience().is_some(),
            _ => false,
        }
    }

    fn is_erlang_b(&self) -> bool {
        matches!(self.model, Model::ErlangB { .. })
    }

    fn is_erlang_x(&self) -> bool {
        matches!(self.model, Model::ErlangX(_))
    }

    fn load(&self) -> f64 {
        match (self.source, self.model.aht()) {
            // calls × AHT / interval in this order keeps 100 × 180 / 1800 exactly 10.
            (LoadSource::Calls { calls, interval }, Some(aht)) => calls * aht / interval,
            _ => self.model.load(),
        }
    }
}

#[derive(Serialize)]
struct Json {
    model: &'static str,
    offered_load_erlangs: f64,
    required_agents: Option<u32>,
    /// Erlang B's answer under its own name (`required_agents` holds it too, for scripts that
    /// read one key whatever the model).
    #[serde(skip_serializing_if = "Option::is_none")]
    required_lines: Option<u32>,
    scheduled_agents: Option<u32>,
    #[serde(flatten)]
    chat: Option<chat::JsonChat>,
    rows: Vec<JsonRow>,
    /// The exact chat model, when the table's range reaches past its state limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    rows_past_state_limit: Option<chat::JsonStateLimit>,
    /// With `--agents`, when no count meets the goals: why (`required_agents` is then null).
    #[serde(skip_serializing_if = "Option::is_none")]
    goals_unmet: Option<String>,
}

#[derive(Serialize)]
struct JsonRow {
    agents: u32,
    p_wait: Option<f64>,
    service_level: Option<f64>,
    asa_s: Option<f64>,
    occupancy: Option<f64>,
    p_abandon: Option<f64>,
    service_level_answered: Option<f64>,
    mean_wait_all_s: Option<f64>,
    stable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    p_block: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    carried_erlangs: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    effective_arrival_rate_per_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line_occupancy: Option<f64>,
}

/// A finite value, else `None` (JSON null, empty CSV cell).
fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn json_row(report: &ErlangReport, p: &Performance) -> JsonRow {
    let m = &p.metrics;
    let erlang_a = report.is_erlang_a() || report.is_erlang_x();
    let lines = match report.model {
        Model::ErlangB { .. } => Some(p.agents),
        Model::ErlangX(x) => Some(x.lines),
        _ => None,
    };
    let a_only = |v: f64| if erlang_a { finite(v) } else { None };
    let b_only = |v: f64| if lines.is_some() { finite(v) } else { None };
    JsonRow {
        agents: p.agents,
        p_wait: finite(m.p_wait),
        service_level: finite(m.service_level),
        asa_s: finite(m.asa_s),
        occupancy: finite(p.occupancy),
        p_abandon: a_only(m.abandon_rate),
        service_level_answered: a_only(m.service_level_answered),
        mean_wait_all_s: a_only(m.mean_wait_all_s),
        stable: p.stable,
        p_block: b_only(p.p_block),
        lines,
        carried_erlangs: b_only(report.model.carried_load(p)),
        effective_arrival_rate_per_s: match report.model {
            Model::ErlangX(x) => finite(x.rate_per_s * p.attempts_per_call),
            _ => None,
        },
        line_occupancy: match report.model {
            Model::ErlangX(x) => finite(x.line_occupancy(p)),
            // Erlang B's servers are the lines: its occupancy is the lines' own.
            Model::ErlangB { .. } => finite(p.occupancy),
            _ => None,
        },
    }
}

/// The JSON contract, pretty-printed, with a final newline.
pub fn json(report: &ErlangReport) -> String {
    let doc = Json {
        model: report.model.key(),
        offered_load_erlangs: report.load(),
        required_agents: report.requirement.map(|r| r.agents),
        required_lines: report.requirement.filter(|_| report.is_erlang_b()).map(|r| r.agents),
        scheduled_agents: report.scheduled,
        chat: report.chat_keys(),
        rows: report.rows.iter().map(|p| json_row(report, p)).collect(),
        rows_past_state_limit: chat::state_limit_json(report),
        goals_unmet: report.goals_unmet.clone(),
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// CSV: the JSON row keys plus `required` (true on the required row), empty cells for null.
///
/// # Errors
/// Never in practice (writes to memory).
pub fn csv(report: &ErlangReport) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "agents",
        "p_wait",
        "service_level",
        "asa_s",
        "occupancy",
        "p_abandon",
        "service_level_answered",
        "mean_wait_all_s",
        "stable",
        "required",
    ];
    if report.is_erlang_b() || report.is_erlang_x() {
        header.extend(["p_block", "lines", "carried_erlangs"]);
    }
    if report.is_erlang_b() {
        header.push("line_occupancy");
    }
    if report.is_erlang_x() {
        header.extend(["effective_arrival_rate_per_s", "line_occupancy"]);
    }
    let chat = report.chat_keys();
    if chat.is_some() {
        header.push("concurrency");
    }
    out.write_record(&header)?;
    let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for p in &report.rows {
        let r = json_row(report, p);
        let required = report.requirement.is_some_and(|q| q.agents == p.agents);
        let mut record = vec![
            r.agents.to_string(),
            cell(r.p_wait),
            cell(r.service_level),
            cell(r.asa_s),
            cell(r.occupancy),
            cell(r.p_abandon),
            cell(r.service_level_answered),
            cell(r.mean_wait_all_s),
            r.stable.to_string(),
            required.to_string(),
        ];
        if report.is_erlang_b() || report.is_erlang_x() {
            record.extend([
                cell(r.p_block),
                r.lines.map(|n| n.to_string()).unwrap_or_default(),
                cell(r.carried_erlangs),
            ]);
        }
        if report.is_erlang_b() {
            record.push(cell(r.line_occupancy));
        }
        if report.is_erlang_x() {
            record.extend([cell(r.effective_arrival_rate_per_s), cell(r.line_occupancy)]);
        }
        if let Some(chat) = &chat {
            record.push(chat.concurrency.to_string());
        }
        out.write_record(&record)?;
    }
    Ok(out.into_inner()?)
}

/// A share as a percentage with two decimals, without the sign (the header has the unit), as
/// every table writes a share: `100.00` is all and `0.00` none, a share short of them reads
/// `>99.99` or `<0.01`.
fn pct(v: f64) -> String {
    crate::report::percent_figure(v, 2)
}

/// Seconds with two decimals; `unstable` for an infinite wait, `-` when undefined.
fn secs(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if v.is_infinite() {
        "unstable".into()
    } else {
        format!("{v:.2}")
    }
}

/// The last column's header: the row the answer marks, and an unstable queue.
const NOTE: &str = "note";

/// The heading and the aligned table, units in the headers, the marked row flagged.
pub fn table(report: &ErlangReport) -> String {
    if report.is_erlang_b() {
        return table_b(report);
    }
    if let Model::ErlangX(x) = report.model {
        return table_x(report, &x);
    }
    let erlang_a = report.is_erlang_a();
    let model = &report.model;
    let mut out = String::new();
    let load = report.load();
    let source = report.source.calls_per_interval();
    let name = match model {
        Model::ErlangA { patience, .. } => {
            format!("Erlang A (M/M/c+M), mean patience {}", format_duration(*patience))
        }
        Model::ErlangCChat(chat) => format!(
            "Chat estimate (approximation: Erlang C on {} chats per agent, throughput {} at full concurrency)",
            chat.concurrency,
            chat::factor_text(chat.full_throughput)
        ),
        Model::ChatExact(chat) => format!(
            "Chat exact (Markov chain: up to {} chats per agent, throughput factors {}){}",
            chat.concurrency(),
            chat.factors().iter().map(|&f| chat::factor_text(f)).collect::<Vec<_>>().join(", "),
            chat.patience().map_or_else(String::new, |p| format!(", mean patience {}", format_duration(p)))
        ),
        _ => "Erlang C (M/M/c)".to_string(),
    };
    out += &format!(
        "{name}: offered load {load:.4} Erlangs ({source}AHT {}), target {}\n",
        model.aht().map_or_else(|| "-".into(), format_duration),
        format_duration(report.target)
    );
    out += &requirement_line(report);
    out.push('\n');
    let target = format_duration(report.target);
    let mut headers = vec![
        "agents".to_string(),
        "P(wait) %".into(),
        format!("SL {target} %"),
        "ASA s".into(),
        "occupancy %".into(),
    ];
    if erlang_a {
        headers.extend(["abandoned %".into(), format!("SL {target} answered %"), "mean wait all s".into()]);
    }
    headers.push(NOTE.into());
    let mut t = Table::new(&headers)
        .align(0, crate::report::table::Align::Right)
        .align(headers.len() - 1, crate::report::table::Align::Left);
    for p in &report.rows {
        let m = &p.metrics;
        let mut cells =
            vec![p.agents.to_string(), pct(m.p_wait), pct(m.service_level), secs(m.asa_s), pct(p.occupancy)];
        if erlang_a {
            cells.extend([pct(m.abandon_rate), pct(m.service_level_answered), secs(m.mean_wait_all_s)]);
        }
        let mut notes: Vec<&str> = row_mark(report, p.agents).into_iter().collect();
        if !p.stable {
            notes.push("unstable");
        }
        cells.push(notes.join(", "));
        t.row(cells);
    }
    out += &t.render();
    out += &chat::notes(report);
    out
}

/// The mark beside a table row: the staffing solved for, or the one evaluated.
fn row_mark(report: &ErlangReport, agents: u32) -> Option<&'static str> {
    if report.requirement.is_some_and(|r| r.agents == agents) {
        Some("<- required")
    } else if report.evaluated && agents == report.marked {
        Some("<- evaluated")
    } else {
        None
    }
}

/// The heading line with the solved staffing (and its scheduled count net of shrinkage), or
/// the agents evaluated; the same for Erlang C, A and X.
fn requirement_line(report: &ErlangReport) -> String {
    match (&report.requirement, report.evaluated) {
        (Some(r), _) if r.agents == 0 => "Required agents: 0 (no calls)\n".to_string(),
        (Some(r), _) => {
            let mut line =
                format!("Required agents: {} (binding: {})", r.agents, r.binding.describe(&report.model));
            if let Some(s) = report.scheduled.filter(|_| report.shrinkage > 0.0) {
                // 12 significant digits: 0.99999 is 99.999%, not 99.99900000000001%.
                let percent = crate::report::csv_exact(report.shrinkage * 100.0);
                line += &format!("; scheduled with {percent}% shrinkage: {s}");
            }
            line + "\n"
        }
        (None, true) => {
            unmet_line(report)
                + &format!("Evaluating {}\n", crate::error::plural(u64::from(report.marked), "agent"))
        }
        (None, false) => String::new(),
    }
}

/// Above the count evaluated, when goals were given and no count meets them: why.
fn unmet_line(report: &ErlangReport) -> String {
    match &report.goals_unmet {
        Some(why) => crate::report::wrap(&format!("No required count: {why}"), 100) + "\n",
        None => String::new(),
    }
}

/// Erlang B's heading and table: lines instead of agents, blocking instead of waiting.
fn table_b(report: &ErlangReport) -> String {
    let mut out = String::new();
    let load = report.load();
    let source = match (report.source, report.model.aht()) {
        (LoadSource::Calls { calls, interval }, Some(aht)) => {
            format!(" ({} / {}, AHT {})", calls_text(calls), format_duration(interval), format_duration(aht))
        }
        _ => String::new(),
    };
    out += &format!("Erlang B (M/M/c/c, blocked calls lost): offered load {load:.4} Erlangs{source}\n");
    match (&report.requirement, report.evaluated) {
        (Some(r), _) if r.agents == 0 => out += "Required lines: 0 (no calls)\n",
        (Some(r), _) => {
            out += &format!("Required lines: {} (binding: {})\n", r.agents, r.binding.describe(&report.model))
        }
        (None, true) => {
            out += &unmet_line(report);
            out += &format!("Evaluating {}\n", crate::error::plural(u64::from(report.marked), "line"))
        }
        (None, false) => {}
    }
    out.push('\n');
    let headers = ["lines", "P(block) %", "carried Erlangs", "lines held %", NOTE].map(String::from);
    let mut t = Table::new(&headers)
        .align(0, crate::report::table::Align::Right)
        .align(headers.len() - 1, crate::report::table::Align::Left);
    for p in &report.rows {
        let note = row_mark(report, p.agents).unwrap_or("");
        t.row(vec![
            p.agents.to_string(),
            pct(p.p_block),
            format!("{:.4}", report.model.carried_load(p)),
            pct(p.occupancy),
            note.to_string(),
        ]);
    }
    out += &t.render();
    // Agent occupancy goes by the same name in the other models: say which one this is.
    out += "\nlines held % = carried Erlangs / lines: the share of time a line is in use (JSON and CSV:\n\
            line_occupancy, also written as occupancy).\n";
    out
}

/// Erlang X's heading and table: blocking beside waiting and abandonment, and the attempt rate
/// the redials lead to.
fn table_x(report: &ErlangReport, x: &crate::erlang::ErlangX) -> String {
    let mut out = String::new();
    let load = report.load();
    let source = report.source.calls_per_interval();
    let mut parts = vec![crate::error::plural(u64::from(x.lines), "line")];
    parts.push(match x.patience {
        Some(p) => format!("mean patience {}", format_duration(p)),
        None => "no abandonment".into(),
    });
    if x.redial > 0.0 {
        let delay =
            report.redial_delay.map_or_else(String::new, |d| format!(" after {}", format_duration(d)));
        parts.push(format!("{}% redial{delay}", x.redial * 100.0));
    }
    if let Some(cv) = x.volume_cv {
        parts.push(format!("volume CV {}%", cv * 100.0));
    }
    out += &format!(
        "Erlang X (M/M/c/L+M, {}): offered load {load:.4} Erlangs ({source}AHT {}), target {}\n",
        parts.join(", "),
        format_duration(x.aht),
        format_duration(report.target)
    );
    out += "Shares are of offered attempts (redials and blocked attempts included).\n";
    out += &requirement_line(report);
    out.push('\n');
    let target = format_duration(report.target);
    let headers = [
        "agents".to_string(),
        "P(block) %".into(),
        "P(wait) %".into(),
        format!("SL {target} %"),
        format!("SL {target} answered %"),
        "ASA s".into(),
        "abandoned %".into(),
        "occupancy %".into(),
        "lines held %".into(),
        "attempts/h".into(),
        NOTE.into(),
    ];
    let mut t = Table::new(&headers)
        .align(0, crate::report::table::Align::Right)
        .align(headers.len() - 1, crate::report::table::Align::Left);
    for p in &report.rows {
        let m = &p.metrics;
        let note = row_mark(report, p.agents).unwrap_or("");
        t.row(vec![
            p.agents.to_string(),
            pct(p.p_block),
            pct(m.p_wait),
            pct(m.service_level),
            pct(m.service_level_answered),
            secs(m.asa_s),
            pct(m.abandon_rate),
            pct(p.occupancy),
            pct(x.line_occupancy(p)),
            format!("{:.1}", x.rate_per_s * p.attempts_per_call * 3600.0),
            note.to_string(),
        ]);
    }
    out += &t.render();
    out
}

impl LoadSource {
    /// What the heading writes before the load's other parts: `100 calls / 30m, ` (`1 call`,
    /// `12.5 calls`), or nothing with `--erlangs`.
    fn calls_per_interval(self) -> String {
        match self {
            LoadSource::Calls { calls, interval } => {
                format!("{} / {}, ", calls_text(calls), format_duration(interval))
            }
            LoadSource::Erlangs => String::new(),
        }
    }
}

/// `--calls` as the heading writes it: `1 call`, `100 calls`, `12.5 calls`.
fn calls_text(calls: f64) -> String {
    if calls == 1.0 { "1 call".to_string() } else { format!("{calls} calls") }
}
