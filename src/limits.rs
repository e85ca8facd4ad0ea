//! Caps on what an input may ask for, so that no small file can exhaust memory or run for ever.
//!
//! Every cap is generous for a real contact center (thousands of agents, one-minute intervals
//! over a leap year) and is enforced where the input is validated, as a located error that
//! names the cap and the value found. The engine and the reports rely on them: a validated
//! scenario never allocates more than these bounds allow.

use crate::time::Seconds;

/// Bytes read from any one input file (a scenario, a plan, a forecast or observations CSV):
/// 64 MiB. Files are read through `take`, so a file that never ends (`/dev/zero`, a pipe) is
/// refused after this many bytes instead of filling memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Coefficients of variation a `lognormal` or `gamma` duration may have: from 0.0001 to 10.
/// Below, the gamma's shape 1/cv² passes what its sampler keeps exact (0.01% is no variation a
/// duration has: use `deterministic`); above, a gamma's shape is under 0.01, so nearly every
/// draw is close to 0 and a rare one is huge, and no run of feasible length comes near the
/// stated mean (real handle times and patience run from about 0.3 to 2).
pub const DURATION_CV: (f64, f64) = (1e-4, 10.0);

/// A shift template's `cost_per_hour`: from 0.001 to 1,000,000,000. The optimiser compares
/// costs with absolute tolerances (1e-9): below, a plan costing a few billionths passed as
/// proven optimal while costlier than the best; far above, costs of 1e200 printed in hundreds
/// of digits and 1e307 overflowed to infinity. Any currency's hourly wage lies inside.
pub const COST_PER_HOUR: (f64, f64) = (1e-3, 1e9);

/// Days a scenario may cover: one leap year.
pub const MAX_DAYS: usize = 366;

/// Intervals over the whole horizon: one-minute intervals around the clock for 366 days
/// (527,040). Per-interval counts and results are held for every interval; with any call type
/// [`MAX_GRID_CELLS`] binds first.
pub const MAX_INTERVALS: usize = 366 * 24 * 60;

/// Cells of the interval grid: intervals over the horizon times call types. Every cell is held
/// several times over while a run goes: its counts in each replication in flight (about 300
/// bytes), its figures in each finished replication waiting to be folded (160 bytes), its
/// running estimates (480 bytes) and its line of the summary (about 600 bytes), and every
/// interval has as much again for the total of its call types. 250,000 cells (a year of hourly
/// intervals for 28 call types, a year of quarter hours for 7, a month of quarter hours for 84)
/// keep the largest scenario allowed under 1 GB on two cores: `simulate` peaked at 768 MB
/// (173 days of one-minute intervals, one call type, 30 replications) and 613 MB (one-minute
/// intervals over 17 days, ten call types), counting each rate's base. A year of one-minute intervals with ten call types asked for 1.6 GB
/// for its counts alone.
pub const MAX_GRID_CELLS: usize = 250_000;

/// Fresh contacts offered per replication, all call types and the whole horizon together (the
/// sum of the volumes): 50 million, a year of a 1,000-agent center with room to spare (about
/// 4 s of engine time). The contacts held at once, which take memory, have a cap of their own,
/// [`MAX_CONTACTS_HELD`].
pub const MAX_CONTACTS_PER_REPLICATION: f64 = 50_000_000.0;

/// Contacts one replication may hold at once: waiting, in service, or due to call again (a
/// redial or repeat not yet made), an email's `initial_backlog` included: 5 million, over a
/// month of the calls of the 1,000-agent center above, all waiting at once. Each held contact
/// takes memory (its record, its place in the queue, its pending abandonment): at the cap one
/// replication peaked at 378 MB without patience and 538 MB with it (about 76 and 108 bytes a
/// contact), and every thread runs a replication of its own, so `simulate` with two threads
/// peaked at 1.06 GB. Without it, [`MAX_CONTACTS_PER_REPLICATION`] alone let a scenario far understaffed for
/// its volume (49 million calls in a quarter hour for a handful of agents) pile them up until
/// two replications ran out of memory. Reaching it stops the replication with an error naming
/// the day and time; it is checked only when the engine's store of contact records grows past
/// its peak, so the contacts that reuse a record pay nothing for it.
pub const MAX_CONTACTS_HELD: usize = 5_000_000;

/// Redials and repeats one replication may make, for each fresh contact its volumes offer on
/// average. Real callers stay far below it (at a redial probability of 0.95, every attempt
/// abandoned, a caller makes 20 attempts on average); callers who call back at once and without
/// end (a redial probability of 1 with a nanosecond's patience and delay) reach it in a fraction
/// of a second and stop the run with an error naming their call type, instead of running
/// forever. The budget is at least [`MIN_RECALL_BUDGET`] and at most
/// [`MAX_CONTACTS_PER_REPLICATION`].
pub const MAX_RECALLS_PER_FRESH_CONTACT: f64 = 100.0;

/// The smallest budget of redials and repeats of a replication, however few its fresh contacts.
pub const MIN_RECALL_BUDGET: f64 = 1_000_000.0;

/// Emails waiting when a run starts, per email call type (`initial_backlog`): each is held in
/// memory from the first instant, so the cap keeps a small file from asking for gigabytes.
pub const MAX_INITIAL_BACKLOG: u32 = 1_000_000;

/// Call types of a scenario, or distinct call types in a call log `fit` reads: 1,000. The
/// engine keeps per-interval counts for each, and a log column mapped by mistake (caller ids as
/// call types) would otherwise ask for a table of every name against every interval.
pub const MAX_CALL_TYPES: usize = 1_000;

/// Agent groups of a scenario, or distinct groups in a call log: 1,000, for the same reasons.
pub const MAX_AGENT_GROUPS: usize = 1_000;

/// Characters in a name (a call type, an agent group, an event, the scenario's own), and in a
/// call type or group name read from a call log: 200. Names label table columns, chart legends
/// and file names; one of 65,536 characters once passed a table's column width to the
/// formatter past what it accepts.
pub const MAX_NAME_CHARS: usize = 200;

/// Checks a name against [`MAX_NAME_CHARS`] and refuses control characters (line breaks, tabs,
/// the other C0 and C1 codes): a name is one line of a table, a CSV header cell and a TOML
/// string, and a line break in it splits a written forecast's header across two lines. It also
/// refuses an empty name, white space at either end (a CSV plan's cells are read trimmed, so
/// `" agents"` there is `"agents"`, and two names differing only so look the same in every
/// table) and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which reorder how the text after them is shown.
///
/// # Errors
/// A message saying what is wrong (the length and the cap, the character and where it is, or
/// the white space) and what a name may be.
pub fn check_name(name: &str) -> Result<(), String> {
    const PRINTABLE: &str = "a name is one line of printable text";
    if name.is_empty() {
        return Err(format!("is empty; {PRINTABLE}, at least one character"));
    }
    let is_bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if let Some((at, c)) = name.chars().enumerate().find(|&(_, c)| c.is_control() || is_bidi(c)) {
        let what = match c {
            '\n' | '\r' => "a line break",
            '\t' => "a tab",
            c if is_bidi(c) => "a bidirectional formatting character",
            _ => "a control character",
        };
        return Err(format!("contains {what} (U+{:04X}) at character {}; {PRINTABLE}", u32::from(c), at + 1));
    }
    let trimmed = name.trim();
    if trimmed != name {
        let end = if name.starts_with(char::is_whitespace) { "begins" } else { "ends" };
        return Err(format!(
            "\"{name}\" {end} with white space; {PRINTABLE} without white space at either end \
             (write \"{trimmed}\")"
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "is {chars} characters long, more than the cap of {MAX_NAME_CHARS} (MAX_NAME_CHARS); give a shorter name"
        ));
    }
    Ok(())
}

/// Agents on one shift row, or on duty in one group in one interval of a staffing vector.
pub const MAX_AGENTS: u32 = 100_000;

/// Agent-days of a plan: a shift's agents times the days it is worked, summed over shifts.
/// The engine keeps one record (and its log-in, break and log-out events) per agent-day.
pub const MAX_AGENT_DAYS: u64 = 5_000_000;

/// Replications of one run (`[simulation] replications`, `--replications`).
pub const MAX_REPLICATIONS: u32 = 1_000_000;

/// Per-interval result records a staffing search may hold: replications x intervals x (call
/// types + 1). The search keeps every replication's per-interval results, 208 bytes a record
/// (20 figures and the bases of 6 rates), so this bounds it to 2 GB; `simulate` and `compare`
/// fold replications as they finish and are not bound by it.
pub const MAX_RESULT_RECORDS: u64 = 9_600_000;

// The record size the cap above is reckoned with.
const _: () = assert!(std::mem::size_of::<crate::metrics::CallRecord>() == 208);

/// Entries of the shift optimiser's model: every candidate shift (a template's log-in time ×
/// length × day) and every break position, each with the intervals it covers or blocks
/// (counted from the templates and the grid before anything is built: `schedule::model_size`).
/// Memory grows with them, up to about 80 bytes an entry: just under the cap `schedule` peaked
/// at 377 MB (one-minute intervals, log-ins every minute, two break windows), 358 MB (whole-day
/// shifts without breaks), 387 MB (a 3-hour break with a 14-hour window) and 128 MB (490,000
/// short candidates on a 30-minute grid). A one-minute grid over two days with a template
/// logging in every minute of the day, four lengths and two break windows makes 40 million
/// and ran out of 2 GB. The shipped scenarios need a few thousand.
pub const MAX_SCHEDULE_MODEL: u64 = 5_000_000;

/// Longest mean of a duration distribution (a handle time, a patience, a redial or repeat
/// delay), and longest observed duration: 30 days.
pub const MAX_DURATION: Seconds = 30.0 * 86_400.0;

/// Longest duration any field or flag may give (a service-level target, a handle time, a
/// patience, a redial delay, an interval, a window): 366 days, the longest horizon. Fields with
/// a tighter rule (distribution means, [`MAX_DURATION`]) check it on top. Past it a value is a
/// typo, and `1e308` seconds once went through to a table heading of `5124095576030431h15s`.
pub const MAX_ANY_DURATION: Seconds = 366.0 * 86_400.0;

/// Retries of a missed call back (`callback.retries`): 20, far more than any center dials a
/// customer, so a typo cannot keep a contact alive for ever.
pub const MAX_CALLBACK_RETRIES: u32 = 20;

/// Largest `handle_time_factor` of an agent group (100 = a hundred times slower).
pub const MAX_HANDLE_TIME_FACTOR: f64 = 100.0;

/// Checks the replications of a run against [`MAX_REPLICATIONS`].
///
/// # Errors
/// A message naming the cap and the value.
pub fn check_replications(replications: u32) -> Result<(), String> {
    if replications > MAX_REPLICATIONS {
        return Err(format!(
            "{replications} replications is more than the cap of {MAX_REPLICATIONS} (MAX_REPLICATIONS)"
        ));
    }
    Ok(())
}

/// Checks a run that keeps every replication's per-interval results (the staffing search)
/// against [`MAX_RESULT_RECORDS`]. Runs that fold replications as they finish (`simulate`,
/// `compare`) hold a fixed number of them and need no such cap.
///
/// # Errors
/// A message naming the cap, the value and what would fit.
pub fn check_result_records(
    replications: u32,
    n_intervals: usize,
    n_call_types: usize,
) -> Result<(), String> {
    let per_replication = n_intervals as u64 * (n_call_types as u64 + 1);
    let records = u64::from(replications) * per_replication;
    if records > MAX_RESULT_RECORDS {
        let fit = (MAX_RESULT_RECORDS / per_replication.max(1)).max(1);
        return Err(format!(
            "{replications} replications x {n_intervals} intervals x {} call types (and their total) \
             make {records} per-interval result records, more than the cap of {MAX_RESULT_RECORDS} \
             (MAX_RESULT_RECORDS); use at most {fit} replications, or longer intervals",
            n_call_types
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_of_minutes_fits_with_a_few_replications_but_not_thirty() {
        // 527,040 intervals x (3 call types + their total) = 2,108,160 records a replication.
        assert!(check_result_records(4, MAX_INTERVALS, 3).is_ok());
        assert!(check_result_records(5, MAX_INTERVALS, 3).is_err());
        let err = check_result_records(30, MAX_INTERVALS, 3).unwrap_err();
        assert!(err.contains("MAX_RESULT_RECORDS") && err.contains("at most 4 replications"), "{err}");
        assert!(check_replications(MAX_REPLICATIONS + 1).unwrap_err().contains("MAX_REPLICATIONS"));
        assert!(check_replications(MAX_REPLICATIONS).is_ok());
    }

    #[test]
    fn a_name_is_one_line_of_printable_text_without_white_space_at_either_end() {
        for (name, says) in [
            ("", "is empty"),
            (" agents", "\" agents\" begins with white space"),
            ("agents\u{a0}", "ends with white space"),
            ("a\u{202E}b", "a bidirectional formatting character (U+202E) at character 2"),
            ("a\u{2066}b", "a bidirectional formatting character (U+2066)"),
            ("a\tb", "a tab (U+0009)"),
        ] {
            let err = check_name(name).unwrap_err();
            assert!(err.contains(says), "{name:?}: {err}");
        }
        for name in ["agents", "night shift", "caf\u{e9}", "\u{5d0}\u{5d1}"] {
            assert_eq!(check_name(name), Ok(()), "{name:?}");
        }
    }
}
