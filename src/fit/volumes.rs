//! Volumes: first attempts per call type and interval, for each weekday (averaged over the
//! dates of that weekday) or for each date, and their dispersion across days.
//!
//! The scenario's day covers the intervals from the earliest to the latest that any first
//! attempt arrived in. Dispersion compares, for each weekday and interval, the variance of
//! the counts across dates with their mean: a Poisson arrival process has a variance-to-mean
//! ratio (VMR) of 1, and
//!
//! ```text
//! D = Σ_cells Σ_dates (x − m)² / m  ~  χ²(Σ_cells (dates − 1))
//! ```
//!
//! tests it. Beyond Poisson, the rate itself varies from day to day with a coefficient of
//! variation `cv² = Σ (s² − m) / Σ m²` (a gamma-mixed Poisson).
//!
//! A date inside the log with no contact at all is most likely a holiday or a closed day, not
//! a day the center was open and nobody called: by weekday it is left out of its weekday's
//! average (and listed, so the reports can say so); by date it is a day of zeros, as its
//! place in the calendar requires.
//!
//! A log exported "from a timestamp" starts (or ends) in the middle of a date: the span of its
//! first date before the first arrival, and of its last date after the last arrival, may be
//! time the log does not cover rather than time nobody called. It is judged not covered when
//! the other dates' mean number of first attempts in the same clock span, `m`, makes a span without
//! any implausible for Poisson arrivals (the other dates of the same weekday; failing those, the
//! other weekdays or weekend days, whose hours are most alike; a date with neither is not
//! judged):
//!
//! ```text
//! P(no call in the span) = e^(−m) < 0.001,   i.e. m > ln 1000 ≈ 6.9
//! ```
//!
//! Its intervals on that date (the one holding the arrival too, which the cut may split) are
//! then left out of the averages, each averaged over the dates that cover it. For a log of
//! whole days the span after the last arrival holds, by the same Poisson argument, `m` of an
//! exponential with mean 1, so a whole day is taken for a cut one time in a thousand; below that
//! nothing changes. An interval no date covers (a weekday met only on a cut date) has no
//! estimate: it is written as no calls and the fit warns.

use std::collections::BTreeMap;

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::clock::{date_text, weekday};
use super::log::Contact;
use crate::error::plural;
use crate::time::{Seconds, WEEKDAY_NAMES};

/// What a scenario day stands for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// One day per weekday present in the log (Monday first), averaged over its dates.
    Weekday,
    /// One day per date from the first to the last.
    Date,
}

/// A day of the fitted scenario.
#[derive(Clone, Debug)]
pub struct ScenarioDay {
    /// Weekday (Monday = 0) or date (days since 1970).
    pub key: i32,
    /// Dates averaged (1 for `--by date`, 0 for a date with no calls).
    pub n_dates: u32,
}

/// Volumes of the fitted scenario.
#[derive(Clone, Debug)]
pub struct Volumes {
    pub by: By,
    pub interval_s: Seconds,
    /// First interval of the day (index of `interval_s` steps from midnight), intervals per day.
    pub first_slot: usize,
    pub per_day: usize,
    pub days: Vec<ScenarioDay>,
    /// Per call type: volumes (first attempts) for every scenario day, `per_day` each.
    pub volumes: Vec<Vec<f64>>,
    /// Per call type, likewise: every contact offered (redials, repeats and transfers in
    /// too), which agents must answer.
    pub offered: Vec<Vec<f64>>,
    /// Dates with contacts, first and last date.
    pub n_dates: usize,
    pub first_date: i32,
    pub last_date: i32,
    /// By weekday: the dates from the first to the last with no contact at all, on a weekday
    /// that has calls on other dates (a holiday or a closed day, most likely), left out of
    /// that weekday's average. Empty by date, where such a date is a day of zeros.
    pub left_out: Vec<i32>,
    /// The first and last dates of the log, where the log covers them only in part (see the
    /// module's documentation): their intervals outside the log are left out of the averages.
    pub partly_covered: Vec<PartlyCovered>,
    /// Per scenario day: the runs of intervals (absolute slots, from..to) that no date of the log
    /// covers, written as no calls.
    pub uncovered: Vec<(usize, (usize, usize))>,
    /// Per call type.
    pub dispersion: Vec<Option<Dispersion>>,
}

/// Which end of the log a partly covered date is at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Edge {
    /// The log starts on this date: the span before its first arrival is not in the log.
    Start,
    /// The log ends on this date: the span after its last arrival is not in the log.
    End,
}

/// A first or last date of the log that the log covers only in part.
#[derive(Copy, Clone, Debug)]
pub struct PartlyCovered {
    pub date: i32,
    pub edge: Edge,
    /// The date's first arrival (at the start) or last arrival (at the end), seconds since
    /// local midnight.
    pub arrival_s: Seconds,
    /// The other dates' mean number of first attempts in the span before (after) that arrival.
    pub expected_calls: f64,
    /// Whether those dates are the other dates of the same weekday (else the other weekdays, or
    /// the other weekend days).
    pub same_weekday: bool,
    /// The scenario day's intervals left out for this date: absolute slots, from..to.
    pub slots: (usize, usize),
}

/// Below this probability, a span of a first or last date without any call is taken for a span
/// the log does not cover.
pub const UNCOVERED_BELOW: f64 = 0.001;

impl PartlyCovered {
    /// The sentence the table, the scenario and the HTML report give this date.
    pub fn sentence(&self, interval_s: Seconds) -> String {
        let (starts, span) = match self.edge {
            Edge::Start => ("starts", "before"),
            Edge::End => ("ends", "after"),
        };
        let others = match (self.same_weekday, weekday(self.date) >= 5) {
            (true, _) => format!("other {}s", WEEKDAY_NAMES[weekday(self.date)]),
            (false, false) => "other weekdays".to_string(),
            (false, true) => "other weekend days".to_string(),
        };
        format!(
            "the log {starts} on {} ({}) at {}, where the {others} average {:.1} first attempts {span} it (none \
             at all would have probability e^-{:.1} < {UNCOVERED_BELOW}): its intervals {} are not in the log \
             and are left out of the averages",
            date_text(self.date),
            &WEEKDAY_NAMES[weekday(self.date)][..3],
            clock_text(self.arrival_s),
            self.expected_calls,
            self.expected_calls,
            slot_span(self.slots, interval_s)
        )
    }
}

/// `HH:MM:SS` of seconds since midnight.
fn clock_text(secs: Seconds) -> String {
    let s = secs.floor() as i64;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `08:00-12:30` of a run of absolute slots.
pub fn slot_span((from, to): (usize, usize), interval_s: Seconds) -> String {
    let at = |slot: usize| {
        let m = (slot as f64 * interval_s / 60.0).round() as i64;
        format!("{:02}:{:02}", m / 60, m % 60)
    };
    format!("{}-{}", at(from), at(to))
}

/// Day-to-day variation of one call type's volumes.
#[derive(Copy, Clone, Debug)]
pub struct Dispersion {
    pub vmr: f64,
    pub p_poisson: f64,
    /// Estimated day-to-day coefficient of variation of the rate (0 when within Poisson).
    pub volume_cv: f64,
}

impl Volumes {
    /// What the table and the scenario say about [`Volumes::left_out`]: the dates, named (the
    /// first ten), or `None` when there are none.
    pub fn left_out_note(&self) -> Option<String> {
        const SHOWN: usize = 10;
        let n = self.left_out.len();
        if n == 0 {
            return None;
        }
        let listed: Vec<String> = (self.left_out.iter().take(SHOWN))
            .map(|&d| format!("{} ({})", date_text(d), &WEEKDAY_NAMES[weekday(d)][..3]))
            .collect();
        let more = if n > SHOWN { format!(" and {} more", n - SHOWN) } else { String::new() };
        Some(format!(
            "{} inside the log had no calls at all, most likely a holiday or a closed day, and {} left out \
             of its weekday's average: {}{more}",
            plural(n as u64, "date"),
            if n == 1 { "is" } else { "are" },
            listed.join(", ")
        ))
    }

    /// What the reports say of the partly covered dates, one sentence each.
    pub fn partly_covered_notes(&self) -> Vec<String> {
        self.partly_covered.iter().map(|p| p.sentence(self.interval_s)).collect()
    }

    /// What the warnings say of the intervals no date covers, one per run.
    pub fn uncovered_warnings(&self) -> Vec<String> {
        self.uncovered
            .iter()
            .map(|&(d, slots)| {
                let day = match self.by {
                    By::Weekday => WEEKDAY_NAMES[self.days[d].key as usize].to_string(),
                    By::Date => date_text(self.days[d].key),
                };
                format!(
                    "{day} {}: no date of the log covers these intervals (the log starts or ends part way \
                     through its only date), so they are written as no calls; fit a log of whole days, or \
                     set these volumes by hand",
                    slot_span(slots, self.interval_s)
                )
            })
            .collect()
    }

    /// Whether `date`'s interval `slot` (absolute) is in the log.
    fn covers(partly_covered: &[PartlyCovered], date: i32, slot: usize) -> bool {
        !partly_covered.iter().any(|p| p.date == date && (p.slots.0..p.slots.1).contains(&slot))
    }
}

/// The first and last dates whose span before the first (after the last) arrival the log does
/// not cover. The span is judged on first attempts against the other dates of the same weekday,
/// counted at their own times (arrivals need not spread evenly within an interval); failing
/// those, against the other weekdays (Monday to Friday) or the other weekend days, whose hours
/// are most alike. Redials and repeats are left out of the judgement: those of the evening
/// before come in a burst at the opening of every date but the log's first.
fn partly_covered(
    contacts: &[Contact],
    fresh: &[bool],
    dates: &BTreeMap<i32, Vec<u32>>,
    slots: usize,
    interval_s: Seconds,
    (first_slot, last_slot): (usize, usize),
) -> Vec<PartlyCovered> {
    let (Some(&first_date), Some(&last_date)) = (dates.keys().next(), dates.keys().next_back()) else {
        return Vec::new();
    };
    if first_date == last_date {
        return Vec::new();
    }
    let on =
        |date: i32| contacts.iter().filter(move |c| c.local_day == date).map(|c| f64::from(c.local_secs));
    let first_arrival = on(first_date).fold(f64::INFINITY, f64::min);
    let last_arrival = on(last_date).fold(f64::NEG_INFINITY, f64::max);
    let weekend = |date: i32| weekday(date) >= 5;
    let mut found = Vec::new();
    for (date, edge, arrival) in
        [(first_date, Edge::Start, first_arrival), (last_date, Edge::End, last_arrival)]
    {
        let same: Vec<i32> =
            dates.keys().copied().filter(|&d| d != date && weekday(d) == weekday(date)).collect();
        let same_weekday = !same.is_empty();
        let reference = if same_weekday {
            same
        } else {
            dates.keys().copied().filter(|&d| d != date && weekend(d) == weekend(date)).collect()
        };
        if reference.is_empty() {
            continue;
        }
        let in_span = |secs: f64| match edge {
            Edge::Start => secs < arrival,
            Edge::End => secs > arrival,
        };
        let n_in_span = (contacts.iter().zip(fresh))
            .filter(|&(c, &is_fresh)| {
                is_fresh && in_span(f64::from(c.local_secs)) && reference.binary_search(&c.local_day).is_ok()
            })
            .count();
        let expected_calls = n_in_span as f64 / reference.len() as f64;
        // The arrival's own interval is left out too: the cut may fall inside it.
        let slot = ((arrival / interval_s) as usize).min(slots - 1);
        let span = match edge {
            Edge::Start => (0, slot + 1),
            Edge::End => (slot, slots),
        };
        let within = (span.0.max(first_slot), span.1.min(last_slot + 1));
        if (-expected_calls).exp() < UNCOVERED_BELOW && within.0 < within.1 {
            found.push(PartlyCovered {
                date,
                edge,
                arrival_s: arrival,
                expected_calls,
                same_weekday,
                slots: within,
            });
        }
    }
    found
}

/// Which contacts are first attempts, per contact in log order.
#[derive(Copy, Clone, Debug)]
pub struct Firsts<'a> {
    /// As counted in the volumes (follow-ups the scenario does not simulate counted back).
    pub counted: &'a [bool],
    /// Not linked to an earlier contact of the caller at all.
    pub linked: &'a [bool],
}

/// Counts first attempts, and every contact offered, per interval.
pub fn count(contacts: &[Contact], firsts: Firsts, n_types: usize, interval_s: Seconds, by: By) -> Volumes {
    let fresh = firsts.counted;
    let slots = (86_400.0 / interval_s).round() as usize;
    let mut per_date: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    let mut offered_per_date: BTreeMap<i32, Vec<u32>> = BTreeMap::new();
    for (c, &is_fresh) in contacts.iter().zip(fresh) {
        let cells = per_date.entry(c.local_day).or_insert_with(|| vec![0; n_types * slots]);
        let slot = ((f64::from(c.local_secs) / interval_s) as usize).min(slots - 1);
        if is_fresh {
            cells[usize::from(c.call_type) * slots + slot] += 1;
        }
        offered_per_date.entry(c.local_day).or_insert_with(|| vec![0; n_types * slots])
            [usize::from(c.call_type) * slots + slot] += 1;
    }
    let used = |slot: usize| per_date.values().any(|v| (0..n_types).any(|t| v[t * slots + slot] > 0));
    let first_slot = (0..slots).find(|&s| used(s)).unwrap_or(0);
    let last_slot = (0..slots).rev().find(|&s| used(s)).unwrap_or(slots - 1).max(first_slot);
    let per_day = last_slot - first_slot + 1;
    let first_date = per_date.keys().next().copied().unwrap_or(0);
    let last_date = per_date.keys().next_back().copied().unwrap_or(0);
    let days: Vec<ScenarioDay> = match by {
        By::Weekday => (0..7)
            .map(|w| ScenarioDay {
                key: w,
                n_dates: per_date.keys().filter(|&&d| weekday(d) == w as usize).count() as u32,
            })
            .filter(|d| d.n_dates > 0)
            .collect(),
        By::Date => (first_date..=last_date)
            .map(|d| ScenarioDay { key: d, n_dates: u32::from(per_date.contains_key(&d)) })
            .collect(),
    };
    // A weekday the center never opens is no scenario day, and its dates are no news.
    let left_out: Vec<i32> = match by {
        By::Weekday => (first_date..=last_date)
            .filter(|d| !per_date.contains_key(d) && days.iter().any(|day| day.key == weekday(*d) as i32))
            .collect(),
        By::Date => Vec::new(),
    };
    let matches = |day: &ScenarioDay, date: i32| match by {
        By::Weekday => weekday(date) == day.key as usize,
        By::Date => date == day.key,
    };
    let partly_covered = partly_covered(
        contacts,
        firsts.linked,
        &offered_per_date,
        slots,
        interval_s,
        (first_slot, last_slot),
    );
    let covers = |date: i32, slot: usize| Volumes::covers(&partly_covered, date, slot);
    // The dates covering each scenario day's interval.
    let covering: Vec<u32> = (days.iter())
        .flat_map(|day| {
            (0..per_day).map(|s| {
                per_date.keys().filter(|&&date| matches(day, date) && covers(date, first_slot + s)).count()
                    as u32
            })
        })
        .collect();
    // The mean count of each scenario day's interval over the dates that cover it.
    let averaged = |per_date: &BTreeMap<i32, Vec<u32>>| {
        let mut volumes = vec![vec![0.0; days.len() * per_day]; n_types];
        for (d, day) in days.iter().enumerate() {
            for (&date, cells) in per_date.iter().filter(|(date, _)| matches(day, **date)) {
                for (t, v) in volumes.iter_mut().enumerate() {
                    for s in (0..per_day).filter(|&s| covers(date, first_slot + s)) {
                        v[d * per_day + s] += f64::from(cells[t * slots + first_slot + s]);
                    }
                }
            }
            for v in volumes.iter_mut() {
                for (s, x) in v[d * per_day..(d + 1) * per_day].iter_mut().enumerate() {
                    *x /= f64::from(covering[d * per_day + s].max(1));
                }
            }
        }
        volumes
    };
    let volumes = averaged(&per_date);
    let offered = averaged(&offered_per_date);
    let mut uncovered: Vec<(usize, (usize, usize))> = Vec::new();
    for (d, _) in days.iter().enumerate().filter(|(_, day)| day.n_dates > 0) {
        for s in (0..per_day).filter(|&s| covering[d * per_day + s] == 0) {
            let slot = first_slot + s;
            match uncovered.last_mut() {
                Some((last_d, run)) if *last_d == d && run.1 == slot => run.1 = slot + 1,
                _ => uncovered.push((d, (slot, slot + 1))),
            }
        }
    }
    let dispersion = (0..n_types)
        .map(|t| {
            let (mut stat, mut df, mut excess, mut mean_sq) = (0.0, 0.0, 0.0, 0.0);
            for w in 0..7 {
                let dates: Vec<(i32, &Vec<u32>)> =
                    per_date.iter().filter(|(d, _)| weekday(**d) == w).map(|(d, v)| (*d, v)).collect();
                if dates.len() < 2 {
                    continue;
                }
                for s in first_slot..=last_slot {
                    // Only the dates the log covers at this interval: a cut date's zeros are no count.
                    let dates: Vec<&Vec<u32>> =
                        dates.iter().filter(|(d, _)| covers(*d, s)).map(|(_, v)| *v).collect();
                    if dates.len() < 2 {
                        continue;
                    }
                    let n = dates.len() as f64;
                    let xs = dates.iter().map(|v| f64::from(v[t * slots + s]));
                    let m = xs.clone().sum::<f64>() / n;
                    if m <= 0.0 {
                        continue;
                    }
                    let ss: f64 = xs.map(|x| (x - m).powi(2)).sum();
                    stat += ss / m;
                    df += n - 1.0;
                    excess += ss / (n - 1.0) - m;
                    mean_sq += m * m;
                }
            }
            (df > 0.0).then(|| Dispersion {
                vmr: stat / df,
                p_poisson: ChiSquared::new(df).map_or(1.0, |chi| 1.0 - chi.cdf(stat)),
                volume_cv: (excess / mean_sq).max(0.0).sqrt(),
            })
        })
        .collect();
    Volumes {
        by,
        interval_s,
        first_slot,
        per_day,
        days,
        volumes,
        offered,
        n_dates: per_date.len(),
        first_date,
        last_date,
        left_out,
        partly_covered,
        uncovered,
        dispersion,
    }
}
