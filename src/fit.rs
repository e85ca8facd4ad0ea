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
use log::{Log, LogFormat, Outcome};
use patience::PatienceFit;
use volumes::{By, Volumes};

/// Durations are written to the millisecond (`mean = 0.123`, quantiles `0.123`).
pub const WRITTEN_RESOLUTION_S: Seconds = 0.001;

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
}

/// Everything estimated from a log.
#[derive(Debug)]
pub struct Fit {
    pub log: Log,
    pub volumes: Volumes,
    pub call_types: Vec<CallTypeFit>,
    /// Per group (as named in the log): the call types it answered, most answered first.
    pub group_skills: Vec<Vec<u16>>,
    /// Answered calls per group and call type.
    pub group_answered: Vec<Vec<u64>>,
    /// The lines the log's busy signals show (`None` without any).
    pub lines: Option<lines::LinesFit>,
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
    /// Average wait of answered calls.
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

impl Fit {
    /// What the written scenario leaves out of the log, for stderr and the JSON report.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for c in self.call_types.iter().filter(|c| c.offered > 0) {
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
    let log = log::read(&request.log, &request.format)?;
    fittable(&log, request)?;
    let n_types = log.call_types.len();
    let mut links: CallerLinks = callers::link(&log.contacts, n_types, request.windows);
    let counted_back = links.count_unmodelled_as_fresh();
    let volumes = volumes::count(&log.contacts, &links.fresh, n_types, request.interval_s, request.by);
    let mut handle: Vec<Vec<f64>> = vec![Vec::new(); n_types];
    let mut waits: Vec<Vec<(f32, bool)>> = vec![Vec::new(); n_types];
    let mut counts = vec![[0u64; 4]; n_types];
    let mut answered_wait = vec![0.0f64; n_types];
    let mut group_counts = vec![vec![0u64; n_types]; log.groups.len()];
    for (c, &fresh) in log.contacts.iter().zip(&links.fresh) {
        let t = usize::from(c.call_type);
        counts[t][3] += u64::from(fresh);
        match c.outcome {
            Outcome::Answered => {
                counts[t][0] += 1;
                answered_wait[t] += f64::from(c.wait_s);
                handle[t].push(f64::from(c.handle_s));
                waits[t].push((c.wait_s, false));
                if c.group != u16::MAX {
                    group_counts[usize::from(c.group)][t] += 1;
                }
            }
            Outcome::Abandoned => {
                counts[t][1] += 1;
                waits[t].push((c.wait_s, true));
            }
            Outcome::Blocked => counts[t][2] += 1,
        }
    }
    // Call types are fitted in parallel (each alone, so the result is the same on any number
    // of threads).
    let fitted: Vec<(Option<HandleTimeFit>, Option<PatienceFit>)> = handle
        .into_par_iter()
        .zip(waits.into_par_iter())
        .map(|(mut h, mut w)| (handle_time::fit(&mut h), patience::fit(&mut w)))
        .collect();
    let call_types = fitted
        .into_iter()
        .enumerate()
        .map(|(t, (handle_time, patience))| {
            let [answered, abandoned, blocked, fresh] = counts[t];
            CallTypeFit {
                name: log.call_types[t].clone(),
                offered: answered + abandoned + blocked,
                fresh,
                answered,
                abandoned,
                blocked,
                asa_s: (answered > 0).then(|| answered_wait[t] / answered as f64),
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
    let lines = lines::estimate(&log.contacts);
    Ok(Fit { log, volumes, call_types, group_skills, group_answered: group_counts, lines })
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
