//! Telephone lines read off a call log's busy signals.
//!
//! A call is blocked when every line is held, by callers waiting or in service. So at the
//! instant of each blocked call the log itself shows how many lines there were: the contacts
//! then in the system, arrived and not yet gone. With one shared pool that count is the same
//! at every busy signal; timestamps rounded in the export, or pools of lines per call type,
//! spread it, so the median is taken and the spread reported.
//!
//! Every instant of the log also bounds the lines from below: however many contacts held a
//! line at once, there were at least that many lines. A log whose busy signals all came while
//! some lines were out of service (an outage) shows fewer callers at them than it shows at its
//! peak, and the peak is written then: the busy signals' count alone would block most of the
//! day's callers.

use super::log::{Contact, Mark, Outcome};

/// The busy signals of a log, and the lines they show.
#[derive(Clone, Debug, PartialEq)]
pub struct LinesFit {
    /// Blocked contacts, and all contacts offered.
    pub blocked: u64,
    pub offered: u64,
    /// Contacts in the system (waiting or in service) at the blocked arrivals: the median,
    /// the fewest and the most.
    pub median: u32,
    pub least: u32,
    pub most: u32,
    /// The most contacts in the system at once anywhere in the log (see `PEAK_SLACK_S`).
    pub peak: u32,
}

/// How much earlier than the log says a contact may have left, when the peak is counted.
/// Timestamps, waits and handle times exported to the whole second put a departure up to
/// 1.5 s off and an arrival 0.5 s: counting a contact gone that much early can only lower the
/// peak, so it stays a bound the lines cannot be below.
const PEAK_SLACK_S: f64 = 2.0;

impl LinesFit {
    /// Blocked / offered.
    pub fn block_rate(&self) -> f64 {
        self.blocked as f64 / self.offered as f64
    }

    /// The lines written into the scenario: the median, or the log's peak where more contacts
    /// than that held lines at once; none when no one was in the system when the median busy
    /// signal came (a phone system down, or a log whose blocked calls are not about lines),
    /// where the log shows no limit to write.
    pub fn written(&self) -> Option<u32> {
        (self.median > 0).then_some(self.median.max(self.peak))
    }

    /// The log held more contacts at once than its busy signals show lines.
    fn peak_above_busy_signals(&self) -> bool {
        self.median > 0 && self.peak > self.median
    }

    /// What the written scenario does with it, for the table and the warning.
    pub fn written_sentence(&self) -> String {
        match self.written() {
            Some(lines) if self.peak_above_busy_signals() => format!(
                "the log holds up to {lines} callers in the system at once, more than at its busy signals \
                 (lines out of service part of the time, or pools of lines per call type), so the scenario \
                 has [lines] total = {lines}, the fewest that held them all (check it against your phone \
                 system)"
            ),
            Some(lines) => {
                format!("the scenario has [lines] total = {lines} (check it against your phone system)")
            }
            None => "with no one in the system at most of them, the log shows no limit of lines, and the \
                     scenario has no [lines] (its callers are never blocked)"
                .to_string(),
        }
    }

    /// What the table, the warning and the written scenario say of it.
    pub fn sentence(&self) -> String {
        let spread = if self.least == self.most {
            format!("{} at every one", self.median)
        } else {
            format!("{} at the median, from {} to {}", self.median, self.least, self.most)
        };
        format!(
            "{} of {} contacts offered ({:.1}%) got a busy signal. Callers in the system (waiting or in service) when each was blocked: {spread}",
            self.blocked,
            self.offered,
            100.0 * self.block_rate()
        )
    }
}

/// The lines the busy signals of `contacts` show; `None` without a blocked contact. `short`
/// are the short abandons left out of the contacts offered: each held a line while it lasted,
/// so it counts among the callers in the system, never among those offered.
pub fn estimate(contacts: &[Contact], short: &[Contact]) -> Option<LinesFit> {
    let blocked: Vec<f64> =
        contacts.iter().filter(|c| c.outcome == Outcome::Blocked).map(|c| c.instant).collect();
    if blocked.is_empty() {
        return None;
    }
    // Each contact that held a line: arrived, then gone after its wait (and its handle time). A
    // caller waiting for a call back hung up, and held no line while it waited.
    let mut arrivals = Vec::with_capacity(contacts.len());
    let mut departures = Vec::with_capacity(contacts.len());
    let held = |c: &&Contact| {
        !matches!(c.outcome, Outcome::Blocked | Outcome::CallbackFailed) && c.mark != Mark::Callback
    };
    for c in contacts.iter().chain(short).filter(held) {
        arrivals.push(c.instant);
        departures.push(c.instant + f64::from(c.wait_s) + f64::from(c.handle_s));
    }
    arrivals.sort_by(f64::total_cmp);
    departures.sort_by(f64::total_cmp);
    // In the system at t: arrived before t, not gone by then.
    let mut counts: Vec<u32> = blocked
        .iter()
        .map(|&t| {
            let arrived = arrivals.partition_point(|&a| a < t);
            let gone = departures.partition_point(|&d| d <= t);
            arrived.saturating_sub(gone) as u32
        })
        .collect();
    counts.sort_unstable();
    // Just after each arrival that held a line, itself included.
    let peak = arrivals
        .iter()
        .map(|&t| {
            let arrived = arrivals.partition_point(|&a| a <= t);
            let gone = departures.partition_point(|&d| d <= t + PEAK_SLACK_S);
            arrived.saturating_sub(gone) as u32
        })
        .max()
        .unwrap_or(0);
    Some(LinesFit {
        blocked: blocked.len() as u64,
        offered: contacts.len() as u64,
        median: counts[(counts.len() - 1) / 2],
        least: counts[0],
        most: counts[counts.len() - 1],
        peak,
    })
}
