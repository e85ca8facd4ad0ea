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

use std::collections::BTreeMap;

use statrs::distribution::{ChiSquared, ContinuousCDF};

use super::clock::{date_text, weekday};
use super::log::Contact;
use crate::report::plural;
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
    /// Per call type.
    pub dispersion: Vec<Option<Dispersion>>,
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
}

/// Counts first attempts, and every contact offered, per interval.
pub fn count(contacts: &[Contact], fresh: &[bool], n_types: usize, interval_s: Seconds, by: By) -> Volumes {
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
    // The mean count of each scenario day's interval over the dates it stands for.
    let averaged = |per_date: &BTreeMap<i32, Vec<u32>>| {
        let mut volumes = vec![vec![0.0; days.len() * per_day]; n_types];
        for (d, day) in days.iter().enumerate() {
            for (_, cells) in per_date.iter().filter(|(date, _)| matches(day, **date)) {
                for (t, v) in volumes.iter_mut().enumerate() {
                    for s in 0..per_day {
                        v[d * per_day + s] += f64::from(cells[t * slots + first_slot + s]);
                    }
                }
            }
            for v in volumes.iter_mut() {
                for x in &mut v[d * per_day..(d + 1) * per_day] {
                    *x /= f64::from(day.n_dates.max(1));
                }
            }
        }
        volumes
    };
    let volumes = averaged(&per_date);
    let offered = averaged(&offered_per_date);
    let dispersion = (0..n_types)
        .map(|t| {
            let (mut stat, mut df, mut excess, mut mean_sq) = (0.0, 0.0, 0.0, 0.0);
            for w in 0..7 {
                let dates: Vec<&Vec<u32>> =
                    per_date.iter().filter(|(d, _)| weekday(**d) == w).map(|(_, v)| v).collect();
                if dates.len() < 2 {
                    continue;
                }
                let n = dates.len() as f64;
                for s in first_slot..=last_slot {
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
        dispersion,
    }
}
