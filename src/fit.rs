//! `ccsim fit`: from a phone system's call log to a scenario.
//!
//! ```text
//! call log ──log::read──▶ Log (contacts as numbers, defects counted)
//!          ──callers::link──▶ first attempts vs redials, repeats, transfers
//!          ──volumes / handle_time / patience──▶ Fit ──write──▶ scenario TOML, CSVs
//!                                                    ├──check──▶ round trip (with a staffing file)
//!                                                    ├──report──▶ table, JSON
//!                                                    └──html──▶ the HTML report (charts, round trip)
//! ```
//!
//! With a short-abandon threshold, abandons within it are taken out of the contacts right after
//! reading ([`ShortAbandons`]): every estimate downstream sees only the calls offered as an ACD
//! report counts them.
//!
//! The log is streamed once; after that only numbers are kept (about 40 bytes per contact),
//! so a year of calls fits in a few hundred megabytes. Everything here is deterministic: the
//! same log gives the same scenario byte for byte.

pub mod callers;
pub mod check;
pub mod clock;
pub mod handle_time;
pub mod header;
pub mod html;
pub mod lines;
pub mod log;
pub mod patience;
pub mod records;
pub mod report;
pub mod volumes;
pub mod write;

use std::path::PathBuf;

use rayon::prelude::*;

use crate::error::BadInput;
use crate::time::Seconds;
use callers::{CallerLinks, Recalls, Windows};
use handle_time::HandleTimeFit;
use log::{Log, LogFormat, Mark, Outcome};
use patience::PatienceFit;
use volumes::{By, Volumes};

/// A mean handle time above which a warning asks whether the log's durations are milliseconds
/// (4 hours).
const LONG_MEAN_HANDLE_S: Seconds = 4.0 * 3600.0;

/// Durations are written to the millisecond (`mean = "0.123s"`, quantiles `0.123`).
pub const WRITTEN_RESOLUTION_S: Seconds = 0.001;

/// A time kept in single precision (as contacts keep theirs), reported as the decimal it was
/// read from: the shortest decimal that single precision reads back to the same value. The
/// binary's own expansion (189.797 as 189.7969970703125) is no figure of the log. Only for
/// reports: every estimate is computed from the value kept, so the files written do not move.
pub fn as_read(x: f64) -> f64 {
    let single = x as f32;
    if f64::from(single) == x { single.to_string().parse().unwrap_or(x) } else { x }
}

/// Whether a duration is still positive once written to the millisecond: one that is not would
/// be written as 0, which no duration of a scenario may be.
pub fn written_positive(x: Seconds) -> bool {
    (x / WRITTEN_RESOLUTION_S).round() > 0.0
}

/// What to fit.
#[derive(Clone, Debug)]
pub struct Request {
    pub log: PathBuf,
    pub format: LogFormat,
    pub interval_s: Seconds,
    pub by: By,
    pub windows: Windows,
    /// Abandons with a wait below this are short abandons (misdials, hang-ups during the
    /// greeting), left out of everything fitted; `None` keeps every abandon.
    pub short_abandon_s: Option<Seconds>,
}

/// Abandons within the short-abandon threshold: never offered calls, as ACD reports count
/// them. They are taken out of the contacts before anything is fitted, so volumes, patience,
/// redial linking and the round trip's observed figures leave them out alike; only the lines
/// estimate still counts them, as holding a line while they lasted.
#[derive(Clone, Debug)]
pub struct ShortAbandons {
    /// Abandons with a wait strictly below this are short.
    pub threshold_s: Seconds,
    /// Per call type (as [`Log::call_types`]).
    pub per_type: Vec<u64>,
}

impl ShortAbandons {
    /// Short abandons over all call types.
    pub fn total(&self) -> u64 {
        self.per_type.iter().sum()
    }

    /// Whether a contact is one.
    pub fn is_short(contact: &log::Contact, threshold_s: Seconds) -> bool {
        contact.outcome == Outcome::Abandoned && f64::from(contact.wait_s) < threshold_s
    }

    /// The threshold as written in reports (`5s`).
    pub fn threshold_text(&self) -> String {
        crate::time::format_duration(self.threshold_s)
    }
}

/// Everything estimated from a log.
#[derive(Debug)]
pub struct Fit {
    /// The log read; with a short-abandon threshold, its contacts are those left once the short
    /// abandons are taken out ([`Fit::short_abandons`]).
    pub log: Log,
    pub volumes: Volumes,
    pub call_types: Vec<CallTypeFit>,
    /// Per group (as named in the log): the call types it answered, most answered first.
    pub group_skills: Vec<Vec<u16>>,
    /// Answered calls per group and call type.
    pub group_answered: Vec<Vec<u64>>,
    /// The lines the log's busy signals show (`None` without any).
    pub lines: Option<lines::LinesFit>,
    /// With a short-abandon threshold, the abandons left out under it.
    pub short_abandons: Option<ShortAbandons>,
}

/// Estimates for one call type.
#[derive(Debug)]
pub struct CallTypeFit {
    pub name: String,
    /// Contacts offered (first attempts and follow-ups), and first attempts.
    pub offered: u64,
    pub fresh: u64,
    pub answered: u64,
    pub abandoned: u64,
    pub blocked: u64,
    /// Still waiting when the center closed (censored waits for patience).
    pub unanswered_at_close: u64,
    /// Callers waiting for a call back that never reached them.
    pub callback_failed: u64,
    /// Contacts a trace marks as callbacks (reached, failed or still waiting at the close):
    /// their waits are left out of patience and ASA, and they held no line.
    pub callbacks: u64,
    /// Contacts a trace marks as the scenario's initial backlog: offered, not first attempts.
    pub initial_backlog: u64,
    /// Short abandons, left out of `offered` and `abandoned` (0 without a threshold).
    pub short_abandoned: u64,
    /// Average wait of answered calls that held (a callback's wait to its call back left out,
    /// as the simulation's ASA leaves it out).
    pub asa_s: Option<Seconds>,
    pub handle_time: Option<HandleTimeFit>,
    pub patience: Option<PatienceFit>,
    pub redial: Recalls,
    pub repeat: Recalls,
    /// Redials and repeats counted as first attempts because the scenario does not simulate
    /// them ([`Recalls::modelled`]).
    pub counted_back: (u64, u64),
    /// Transfer probabilities after an answered call, by target call type.
    pub transfers: Vec<(u16, f64)>,
}

impl CallTypeFit {
    /// Its contacts that ended with `outcome`.
    pub fn ended(&self, outcome: Outcome) -> u64 {
        match outcome {
            Outcome::Answered => self.answered,
            Outcome::Abandoned => self.abandoned,
            Outcome::Blocked => self.blocked,
            Outcome::UnansweredAtClose => self.unanswered_at_close,
            Outcome::CallbackFailed => self.callback_failed,
        }
    }
}

impl Fit {
    /// Rows kept (not rejected as defective): the contacts fitted and the short abandons.
    pub fn kept(&self) -> u64 {
        self.log.contacts.len() as u64 + self.short_abandons.as_ref().map_or(0, ShortAbandons::total)
    }

    /// Which clock volumes are counted on, when it is UTC for want of `--timezone`: the table,
    /// the scenario and the warnings say so (`None` otherwise).
    pub fn clock_note(&self) -> Option<String> {
        let n = self.log.utc_rows;
        (n > 0).then(|| {
            let kept = self.kept();
            let rows = if n == kept {
                "the arrival times are".to_string()
            } else {
                format!("{n} of the {kept} arrival times are")
            };
            format!(
                "{rows} written in UTC (a `Z`, or a Unix time) and no --timezone was given, so volumes, the day's \
                 intervals and opening hours are on the UTC clock, not the center's (shifted by its \
                 offset, and by an hour more across a daylight-saving change): give the center's zone, \
                 e.g. --timezone America/New_York, to count them on its clock"
            )
        })
    }

    /// What the written scenario leaves out of the log, for stderr and the JSON report.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some(note) = self.clock_note() {
            warnings.push(format!("{}: {note}", self.log.file.display()));
        }
        for c in self.call_types.iter().filter(|c| c.offered > 0) {
            if c.handle_time.is_none() {
                warnings.push(format!(
                    "{}: call type \"{}\": {}; replace it in the scenario",
                    self.log.file.display(),
                    c.name,
                    write::PLACEHOLDER_HANDLE_TIME_REASON
                ));
            }
            // No call takes hours on average: such handle times are most likely milliseconds
            // read as seconds, which would fit a center a thousand times too slow.
            if let Some(h) = c.handle_time.as_ref().filter(|h| h.mean_s > LONG_MEAN_HANDLE_S)
                && self.log.duration_unit == log::DurationUnit::S
            {
                warnings.push(format!(
                    "{}: call type \"{}\": its handle time averages {:.1} hours; if the log writes \
                     durations in milliseconds, read it with --duration-unit ms",
                    self.log.file.display(),
                    c.name,
                    h.mean_s / 3600.0
                ));
            }
            for (to, p) in self.dropped_transfers(c) {
                warnings.push(format!(
                    "{}: call type \"{}\" transfers {:.1}% of its answered calls to \"{to}\", which has no \
                     contacts in the log: the scenario has no such call type, so those transfers are left \
                     out (their work is not simulated)",
                    self.log.file.display(),
                    c.name,
                    100.0 * p
                ));
            }
        }
        for warning in self.volumes.uncovered_warnings() {
            warnings.push(format!("{}: {warning}", self.log.file.display()));
        }
        if let Some(lines) = &self.lines {
            warnings.push(format!(
                "{}: {}; {}",
                self.log.file.display(),
                lines.sentence(),
                lines.written_sentence()
            ));
        }
        warnings
    }

    /// Transfers of `c` to call types with no contacts in the log, which a scenario cannot hold
    /// (a call type with no volumes and no handle time): target name and probability.
    pub fn dropped_transfers<'a>(&'a self, c: &'a CallTypeFit) -> impl Iterator<Item = (&'a str, f64)> + 'a {
        c.transfers.iter().filter_map(|&(to, p)| {
            let target = &self.call_types[usize::from(to)];
            (target.offered == 0).then_some((target.name.as_str(), p))
        })
    }
}

/// Reads the log and estimates everything.
///
/// # Errors
/// The log cannot be read, lacks a required column, or (strict) has a defective row; no row
/// is usable; or, `--by date`, its dates span more days than a scenario may have.
pub fn fit(request: &Request) -> Result<Fit, log::ReadError> {
    let mut log = log::read(&request.log, &request.format)?;
    fittable(&log, request)?;
    let n_types = log.call_types.len();
    let (short_abandons, short_contacts) = match request.short_abandon_s {
        Some(threshold_s) => {
            let (short, offered): (Vec<log::Contact>, Vec<log::Contact>) =
                log.contacts.iter().partition(|c| ShortAbandons::is_short(c, threshold_s));
            if offered.is_empty() {
                return Err(BadInput(format!(
                    "{}: every usable row ({}) is an abandon under --short-abandon {}; nothing is left to fit",
                    request.log.display(),
                    short.len(),
                    crate::time::format_duration(threshold_s)
                ))
                .into());
            }
            log.contacts = offered;
            let mut per_type = vec![0u64; n_types];
            for c in &short {
                per_type[usize::from(c.call_type)] += 1;
            }
            (Some(ShortAbandons { threshold_s, per_type }), short)
        }
        None => (None, Vec::new()),
    };
    let mut links: CallerLinks = callers::link(&log.contacts, n_types, request.windows);
    // Before redials and repeats the scenario will not simulate are counted back: those of the
    // evening before, at the opening of every date but the first, are no sign of a cut log.
    let linked_fresh = links.fresh.clone();
    let counted_back = links.count_unmodelled_as_fresh();
    let volumes = volumes::count(
        &log.contacts,
        volumes::Firsts { counted: &links.fresh, linked: &linked_fresh },
        n_types,
        request.interval_s,
        request.by,
    );
    let mut handle: Vec<Vec<f64>> = vec![Vec::new(); n_types];
    let mut waits: Vec<Vec<(f32, bool)>> = vec![Vec::new(); n_types];
    // Per call type: answered, abandoned, blocked, unanswered at close, callback failed, first
    // attempts, callbacks, initial backlog, answered that held (ASA's base).
    let mut counts = vec![[0u64; 9]; n_types];
    let mut answered_wait = vec![0.0f64; n_types];
    let mut group_counts = vec![vec![0u64; n_types]; log.groups.len()];
    for (c, &fresh) in log.contacts.iter().zip(&links.fresh) {
        let t = usize::from(c.call_type);
        counts[t][5] += u64::from(fresh);
        counts[t][6] += u64::from(c.mark == Mark::Callback);
        counts[t][7] += u64::from(c.mark == Mark::InitialBacklog);
        // A callback customer hung up to be called back: its wait, whatever the outcome, was not
        // spent holding, so neither patience nor ASA learns from it.
        let held = c.mark != Mark::Callback;
        match c.outcome {
            Outcome::Answered => {
                counts[t][0] += 1;
                handle[t].push(f64::from(c.handle_s));
                if held {
                    counts[t][8] += 1;
                    answered_wait[t] += f64::from(c.wait_s);
                    waits[t].push((c.wait_s, false));
                }
                if c.group != u16::MAX {
                    group_counts[usize::from(c.group)][t] += 1;
                }
            }
            Outcome::Abandoned => {
                counts[t][1] += 1;
                waits[t].push((c.wait_s, true));
            }
            Outcome::Blocked => counts[t][2] += 1,
            // Patient at least as long as it waited, as an answered caller is.
            Outcome::UnansweredAtClose => {
                counts[t][3] += 1;
                if held {
                    waits[t].push((c.wait_s, false));
                }
            }
            // Its caller hung up to be called back: a choice, not impatience, and the wait after
            // it was not spent holding, so patience learns nothing from it.
            Outcome::CallbackFailed => counts[t][4] += 1,
        }
    }
    // Call types are fitted in parallel (each alone, so the result is the same on any number
    // of threads).
    let fitted: Vec<(Option<HandleTimeFit>, Option<PatienceFit>)> = handle
        .into_par_iter()
        .zip(waits.into_par_iter())
        .map(|(mut h, mut w)| {
            let patience = match request.short_abandon_s {
                Some(entry_s) => patience::fit_from(&w, entry_s),
                None => patience::fit(&mut w),
            };
            (handle_time::fit(&mut h), patience)
        })
        .collect();
    let call_types = fitted
        .into_iter()
        .enumerate()
        .map(|(t, (handle_time, patience))| {
            let [
                answered,
                abandoned,
                blocked,
                unanswered_at_close,
                callback_failed,
                fresh,
                callbacks,
                initial_backlog,
                answered_held,
            ] = counts[t];
            CallTypeFit {
                name: log.call_types[t].clone(),
                offered: answered + abandoned + blocked + unanswered_at_close + callback_failed,
                fresh,
                answered,
                abandoned,
                blocked,
                unanswered_at_close,
                callback_failed,
                callbacks,
                initial_backlog,
                short_abandoned: short_abandons.as_ref().map_or(0, |s| s.per_type[t]),
                asa_s: (answered_held > 0).then(|| answered_wait[t] / answered_held as f64),
                handle_time,
                patience,
                redial: std::mem::take(&mut links.redials[t]),
                repeat: std::mem::take(&mut links.repeats[t]),
                counted_back: counted_back[t],
                transfers: (0..n_types)
                    .filter(|&to| links.transfers[t][to] > 0 && links.answered[t] > 0)
                    .map(|to| (to as u16, links.transfers[t][to] as f64 / links.answered[t] as f64))
                    .collect(),
            }
        })
        .collect();
    let group_skills = group_counts
        .iter()
        .map(|counts| {
            let mut types: Vec<u16> = (0..n_types as u16).filter(|&t| counts[usize::from(t)] > 0).collect();
            types.sort_by_key(|&t| std::cmp::Reverse(counts[usize::from(t)]));
            types
        })
        .collect();
    let lines = lines::estimate(&log.contacts, &short_contacts);
    Ok(Fit { log, volumes, call_types, group_skills, group_answered: group_counts, lines, short_abandons })
}

/// Whether a log read gives anything to fit. The span of dates is checked before any volume is
/// counted: `--by date` lays out every date from the first to the last, so two rows centuries
/// apart would otherwise ask for millions of days of intervals.
fn fittable(log: &Log, request: &Request) -> Result<(), BadInput> {
    if log.contacts.is_empty() {
        // Why, kind by kind, as the defect table would say it: a log whose every row is refused
        // (dates in another order, say) is otherwise a dead end.
        let why: String = log
            .defects
            .seen()
            .filter(|(kind, ..)| kind.rejects())
            .filter_map(|(kind, n, lines)| {
                let (first, reason) = (lines.first()?, log.defects.first_reason(kind)?);
                let rows = if n == 1 { "row" } else { "rows" };
                Some(format!("\n  {n} {rows} {}: first at line {first}: {reason}", kind.name()))
            })
            .collect();
        return Err(BadInput(format!(
            "{}: no usable row ({} rows read, {} rejected); nothing to fit{}",
            request.log.display(),
            log.rows,
            log.defects.rejected(),
            if why.is_empty() { String::new() } else { format!("; rejected:{why}") }
        )));
    }
    let (first, last) = log
        .contacts
        .iter()
        .fold((i32::MAX, i32::MIN), |(first, last), c| (first.min(c.local_day), last.max(c.local_day)));
    let span = i64::from(last) - i64::from(first) + 1;
    if request.by == By::Date && span > crate::limits::MAX_DAYS as i64 {
        return Err(BadInput(format!(
            "--by date: the log spans {span} dates, more than the {} days a scenario may have; use --by weekday",
            crate::limits::MAX_DAYS
        )));
    }
    Ok(())
}
