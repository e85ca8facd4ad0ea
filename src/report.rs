//! Turning results into bytes people read: terminal tables, CSV, JSON, charts, HTML.
//!
//! Nothing here computes a statistic: every figure comes from a result type (`Summary`, the
//! Erlang evaluation, a staffing or schedule result). Exporters return bytes or strings; the
//! CLI decides where they go, and writes files through [`output`] so that a failure never
//! leaves half a file, or half a set of files, behind.

pub mod channels;
pub mod chart;
pub mod comparison;
pub mod erlang;
pub mod html;
pub mod output;
pub mod risk;
pub mod schedule;
pub mod simulation;
pub mod staffing;
pub mod sweep;
pub mod table;
pub mod trace;

use crate::stats::{Estimate, IntervalEstimate};

/// A share as a percentage with one decimal, e.g. `88.8%`; `-` when undefined. A share short
/// of all reads `>99.9%`, not `100.0%`, and one above none `<0.1%`, not `0.0%`: a manager reads
/// `100.0%` as every caller answered in time.
pub fn percent(share: f64) -> String {
    if !share.is_finite() {
        return "-".to_string();
    }
    percent_figure(share, 1) + "%"
}

/// A goal as a percentage with as many decimals as it has, up to two: `80%`, `82.5%`,
/// `81.25%`. A goal is a figure someone chose, not an estimate: written to a fixed precision,
/// a goal of 82.5% read `82%` beside a line drawn at 82.5.
pub fn goal_percent(goal: f64) -> String {
    let p = goal * 100.0;
    let text = (0..2)
        .map(|decimals| format!("{p:.decimals$}"))
        .find(|t| t.parse::<f64>().is_ok_and(|v| (v - p).abs() < 1e-9))
        .unwrap_or_else(|| format!("{p:.2}"));
    text + "%"
}

/// A service-level goal in short, as the tables' Goal columns and the goal lines write it:
/// `80% in 20s`.
pub fn goal_in(goal: &crate::model::ServiceLevelGoal) -> String {
    format!("{} in {}", goal_percent(goal.goal), crate::time::format_duration(goal.target))
}

/// A share as a percentage with `decimals` decimals and no sign, for a column whose header
/// carries the `%`; `-` when undefined. The same convention as [`percent`] at that precision:
/// with two decimals a share short of all reads `>99.99` and one above none `<0.01`.
pub fn percent_figure(share: f64, decimals: usize) -> String {
    if !share.is_finite() {
        return "-".to_string();
    }
    let text = format!("{:.decimals$}", share * 100.0);
    let last_digit = 10f64.powi(-(decimals as i32));
    if share < 1.0 && text == format!("{:.decimals$}", 100.0) {
        format!(">{:.decimals$}", 100.0 - last_digit)
    } else if share > 0.0 && text == format!("{:.decimals$}", 0.0) {
        format!("<{last_digit:.decimals$}")
    } else {
        text
    }
}

/// The width of a table's name column: its widest name or its heading, in characters. Past
/// [`MAX_NAME_CHARS`](crate::limits::MAX_NAME_CHARS), which validation enforces, a name simply
/// overflows its column: the formatter panics on a width past 65,535.
pub fn name_column_width<'a>(heading: &str, names: impl Iterator<Item = &'a str>) -> usize {
    let widest = names.map(|n| n.chars().count()).max().unwrap_or(0);
    widest.max(heading.chars().count()).min(crate::limits::MAX_NAME_CHARS)
}

/// Whether a half-width is shown at `decimals` decimals: only when it rounds to something, so
/// a column never mixes `0` (no spread) with `0 ±0` (a spread below the last digit shown).
fn shows(half_width: f64, decimals: usize) -> bool {
    half_width.is_finite() && format!("{half_width:.decimals$}").bytes().any(|b| (b'1'..=b'9').contains(&b))
}

/// An estimate of a share as `88.8% ±1.2`; the half-width is in percentage points, left out
/// when it rounds to zero (see `shows`). Where `±` would reach below 0% or above 100% (few
/// replications, or a share near a bound), the interval is shown cut to them, as
/// `52.6% [0, 100]` (a cut end written whole): a share cannot be outside, so the cut interval
/// covers the true share as often, and a reader is not shown a figure the share cannot take.
pub fn percent_estimate(e: &Estimate) -> String {
    if !e.mean.is_finite() {
        "-".to_string()
    } else if !shows(e.half_width * 100.0, 1) {
        percent(e.mean)
    } else if e.mean - e.half_width < 0.0 || e.mean + e.half_width > 1.0 {
        let end = |x: f64| match x {
            0.0 => "0".to_string(),
            1.0 => "100".to_string(),
            _ => format!("{:.1}", x * 100.0),
        };
        let (low, high) = ((e.mean - e.half_width).max(0.0), (e.mean + e.half_width).min(1.0));
        format!("{} [{}, {}]", percent(e.mean), end(low), end(high))
    } else {
        format!("{} ±{:.1}", percent(e.mean), e.half_width * 100.0)
    }
}

/// A share with the two ends of its 95% interval in percentage points, as `0.0% [0.0, 27.8]`:
/// for an interval that is not symmetric about the share (a Wilson interval at 0 or 1, a
/// quantile's), where `±` would reach below 0% or above 100%. The ends are left out when the
/// interval is undefined (one replication) or rounds to the share itself.
pub fn percent_interval(e: &IntervalEstimate) -> String {
    if !e.mean.is_finite() {
        return "-".to_string();
    }
    let (share, low, high) =
        (format!("{:.1}", e.mean * 100.0), format!("{:.1}", e.low * 100.0), format!("{:.1}", e.high * 100.0));
    if !(e.low.is_finite() && e.high.is_finite()) || (low == share && high == share) {
        return percent(e.mean);
    }
    format!("{} [{low}, {high}]", percent(e.mean))
}

/// An estimate with `decimals` decimals, as `12.3 ±0.4`; `-` when undefined.
pub fn number_estimate(e: &Estimate, decimals: usize) -> String {
    if !e.mean.is_finite() {
        "-".to_string()
    } else if shows(e.half_width, decimals) {
        format!("{:.*} ±{:.*}", decimals, e.mean, decimals, e.half_width)
    } else {
        format!("{:.*}", decimals, e.mean)
    }
}

/// An estimate of a figure that cannot be negative (a count, a wait) with `decimals` decimals,
/// as `12.3 ±0.4`, or, where `±` would reach below zero, as `34.9 [0, 114.2]` (see
/// [`percent_estimate`]).
pub fn nonnegative_estimate(e: &Estimate, decimals: usize) -> String {
    if e.mean.is_finite() && shows(e.half_width, decimals) && e.mean - e.half_width < 0.0 {
        format!("{:.*} [0, {:.*}]", decimals, e.mean, decimals, e.mean + e.half_width)
    } else {
        number_estimate(e, decimals)
    }
}

/// Where the first cut interval of `text` starts (its ` [`): a `[` followed by a digit, where a
/// difference's signed interval (`[+3.6, +4.6]`, `[-]`) starts with a sign.
pub fn cut_interval_at(text: &str) -> Option<usize> {
    text.match_indices(" [")
        .map(|(i, _)| i)
        .find(|&i| text[i + 2..].starts_with(|c: char| c.is_ascii_digit()))
}

/// The line that says what a cut interval is, for a report that shows one (see
/// [`percent_estimate`]): `None` when `text` has no `[low, high]` after a figure.
pub fn cut_interval_note(text: &str) -> Option<&'static str> {
    cut_interval_at(text).is_some().then_some(
        "[low, high] = the 95% confidence interval where ±half-width would reach below 0 (or past \
         100%), cut there.\n",
    )
}

/// A mean count of contacts that may be few (unanswered at close, blocked, failed callbacks,
/// an email backlog), as every table shows one: with a tenth below 10, since a mean of a few
/// per run would read `0 ±1` whole and hide what the JSON says, and whole from 10, where the
/// tenth says nothing a planner uses.
pub fn count_estimate(e: &Estimate) -> String {
    nonnegative_estimate(e, if e.mean.abs() < 10.0 { 1 } else { 0 })
}

/// An estimate in seconds (ASA, a wait), as every table shows one: a tenth of a second below
/// 1,000 s, whole seconds from there (an email's ASA of hours has no use for its tenths).
pub fn seconds_estimate(e: &Estimate) -> String {
    nonnegative_estimate(e, if e.mean.abs() >= 1000.0 { 0 } else { 1 })
}

/// The name of the row of every call type together: with several channels it holds chats and
/// emails too.
pub fn all_row_name(several_channels: bool) -> &'static str {
    if several_channels { "all contacts" } else { "all calls" }
}

/// What a count of contacts is called in a report whose contacts come by `channels`: calls, or
/// contacts where chats or emails are among them.
pub fn count_noun(channels: &[crate::summary::ChannelSummary]) -> &'static str {
    if channels.iter().all(|c| c.name == crate::model::Channel::Voice) { "calls" } else { "contacts" }
}

/// What contacts of `channel` are called in a chart's or table's text: calls, chats, emails.
pub fn channel_noun(channel: crate::model::Channel) -> &'static str {
    match channel {
        crate::model::Channel::Voice => "calls",
        crate::model::Channel::Chat => "chats",
        crate::model::Channel::Email => "emails",
    }
}

/// [`all_row_name`] for a run whose contacts come by `channels`: the row of a chat-only or
/// email-only run holds no calls either.
pub fn all_row_name_of(channels: &[crate::summary::ChannelSummary]) -> &'static str {
    all_row_name(count_noun(channels) == "contacts")
}

/// The name of a channel's own row in a comparison (`all voice`), where it has several call types.
pub fn channel_row_name(channel: crate::model::Channel) -> String {
    format!("all {}", channel.name())
}

/// The `call_type` cell of the row of every call type together in the CSV outputs
/// (`wait_distribution.csv`, `sweep.csv`).
pub const ALL_ROW_CSV: &str = "all";

/// Every label a row pooling call types has in a table, a CSV or a chart: [`ALL_ROW_CSV`],
/// [`all_row_name`] and [`channel_row_name`]. A call type of one
/// of these names (in any case) could not be told apart from the pooled row, so validation
/// refuses it.
pub const POOLED_ROW_NAMES: [&str; 6] =
    ["all", "all calls", "all contacts", "all voice", "all chat", "all email"];

/// Checks a call type's name: [`check_name`](crate::limits::check_name), and none of
/// [`POOLED_ROW_NAMES`] in any case.
///
/// # Errors
/// What is wrong with the name, and what a name may be.
pub fn check_call_type_name(name: &str) -> Result<(), String> {
    crate::limits::check_name(name)?;
    if POOLED_ROW_NAMES.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        return Err(format!(
            "\"{name}\" is reserved: reports and CSV outputs label the rows that pool every call type {} \
             (in any case); choose another name",
            POOLED_ROW_NAMES.map(|r| format!("\"{r}\"")).join(", ")
        ));
    }
    Ok(())
}

/// The statistics of every call type together as tables show them: with several channels
/// without the ASA and wait p90 (`-`), as seconds of voice pooled with hours of email mean
/// nothing; each call type's row has its own. The JSON keeps them.
pub fn shown_pooled(
    stats: &crate::metrics::CallStats<Estimate>,
    several_channels: bool,
) -> crate::metrics::CallStats<Estimate> {
    let mut shown = *stats;
    if several_channels {
        let none = Estimate { mean: f64::NAN, half_width: f64::NAN };
        (shown.asa_s, shown.wait_p90_s) = (none, none);
    }
    shown
}

/// The note under a table whose row of all contacts leaves its waits out ([`shown_pooled`]).
pub const POOLED_WAITS_NOTE: &str =
    "all contacts: every channel together; its ASA and wait p90 are not pooled across channels.";

/// What "intervals below the goal" counts, to follow the words in every report: ` (per call
/// type)` with several call types, ` (per call type, each channel's own)` with several
/// channels, nothing with one call type ([`crate::summary::ChannelGoals::below`]).
pub fn below_goal_scope(
    goals: &crate::summary::ChannelGoals<'_>,
    intervals: &[crate::summary::IntervalSummary],
) -> &'static str {
    let several_types = intervals.iter().any(|i| i.call_type != intervals[0].call_type);
    match (goals.several(), several_types) {
        (true, _) => " (per call type, each channel's own)",
        (false, true) => " (per call type)",
        (false, false) => "",
    }
}

/// What the terminal table adds after "N of M with calls" when some cells have contacts but
/// no service level (emails not yet due at the end, say): ` (and 8 more with contacts, none
/// of them counted by a service level)`, so M is never taken for every cell with contacts.
pub fn unjudged_note(below: &crate::summary::BelowGoal<'_>) -> String {
    match below.unjudged {
        0 => String::new(),
        n => format!(" (and {n} more with contacts, none of them counted by a service level)"),
    }
}

/// What one replication is called in prose, as the risk figures count them: a one-day
/// scenario's replication is a day, a seven-day one's a week, any other a run of N days.
/// `plural` gives "days", "weeks", "runs of 3 days". Every risk wording (table, chart, staffing
/// step) takes it from here, so a week is never called a day.
pub fn replication_noun(days: usize, plural: bool) -> String {
    match (days, plural) {
        (0 | 1, false) => "day".to_string(),
        (0 | 1, true) => "days".to_string(),
        (7, false) => "week".to_string(),
        (7, true) => "weeks".to_string(),
        (n, false) => format!("run of {n} days"),
        (n, true) => format!("runs of {n} days"),
    }
}

/// Decimals a CSV column of `unit` keeps: enough for the precision a mean over replications
/// carries, few enough that float noise (`41.400000000000006`) never shows.
///
/// ```text
/// calls, agents, Erlangs: 4    share (0..1): 6    s: 3
/// ```
pub fn csv_decimals(unit: &str) -> usize {
    match unit {
        "share" => 6,
        "s" => 3,
        _ => 4,
    }
}

/// A number for CSV, rounded to `decimals` decimals and written without trailing zeros
/// (`41.4`, `12`, `0.833333`); empty when undefined.
pub fn csv_decimal(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let mut text = format!("{v:.decimals$}");
    if text.contains('.') {
        let kept = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(kept);
    }
    if text == "-0" { "0".to_string() } else { text }
}

/// The two header cells of an estimate's CSV columns, its mean and its 95% half-width, each
/// with `unit`: every CSV that writes estimates names them alike.
pub fn csv_estimate_header(key: &str, unit: &str) -> [String; 2] {
    [format!("{key} [{unit}]"), format!("{key} ±95% [{unit}]")]
}

/// An estimate as its two CSV cells, mean then 95% half-width, both to `decimals`.
pub fn csv_estimate(e: &Estimate, decimals: usize) -> [String; 2] {
    [csv_decimal(e.mean, decimals), csv_decimal(e.half_width, decimals)]
}

/// A number for CSV that is exact by construction (a histogram bucket bound) but may carry
/// float noise from its computation: rounded to 12 significant digits, then written as the
/// shortest decimal that reads back as that value (`0.018750000000000003` -> `0.01875`).
pub fn csv_exact(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let rounded: f64 = format!("{v:.11e}").parse().unwrap_or(v);
    format!("{rounded}")
}

/// Word-wraps every line of `text` longer than `width` columns, continuing with an indent of
/// two spaces, so terminal reports fit their stated width.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for (j, word) in line.split(' ').enumerate() {
            let len = word.chars().count();
            if j > 0 && col + 1 + len > width {
                out.push_str("\n  ");
                col = 2;
            } else if j > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += len;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(mean: f64, half_width: f64) -> Estimate {
        Estimate { mean, half_width }
    }

    #[test]
    fn a_goal_is_written_with_the_decimals_it_has() {
        assert_eq!(goal_percent(0.8), "80%");
        assert_eq!(goal_percent(0.825), "82.5%");
        assert_eq!(goal_percent(0.8125), "81.25%");
        assert_eq!(goal_percent(0.7), "70%");
        assert_eq!(goal_percent(1.0 / 3.0), "33.33%");
    }

    #[test]
    fn every_pooled_row_label_is_reserved() {
        let mut labels = vec![ALL_ROW_CSV.to_string(), all_row_name(false).into(), all_row_name(true).into()];
        labels.extend(crate::model::Channel::ALL.map(channel_row_name));
        for label in labels {
            assert!(POOLED_ROW_NAMES.contains(&label.as_str()), "{label}");
        }
    }

    #[test]
    fn a_half_width_is_shown_only_when_it_rounds_to_something() {
        assert_eq!(number_estimate(&e(0.0, 0.0), 0), "0");
        assert_eq!(number_estimate(&e(0.04, 0.3), 0), "0");
        assert_eq!(number_estimate(&e(3.0, 0.6), 0), "3 ±1");
        assert_eq!(percent_estimate(&e(0.5, 0.0004)), "50.0%");
        assert_eq!(percent_estimate(&e(0.5, 0.14)), "50.0% ±14.0");
        assert_eq!(percent_estimate(&e(0.5, f64::NAN)), "50.0%");
    }

    #[test]
    fn a_share_short_of_all_or_above_none_never_reads_100_or_0() {
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(percent(0.99985), ">99.9%");
        assert_eq!(percent_figure(0.99996, 2), ">99.99");
        assert_eq!(percent_figure(0.99994, 2), "99.99");
        assert_eq!(percent_figure(0.00004, 2), "<0.01");
        assert_eq!(percent_figure(0.0, 2), "0.00");
        assert_eq!(percent_figure(1.0, 2), "100.00");
        assert_eq!(percent_figure(f64::INFINITY, 2), "-");
        assert_eq!(percent(0.9994), "99.9%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.0005), "0.1%");
        assert_eq!(percent(f64::NAN), "-");
        assert_eq!(percent_estimate(&e(0.99977, 0.0012)), ">99.9% [99.9, 100]");
        assert_eq!(percent_estimate(&e(0.9984, 0.0012)), "99.8% ±0.1");
        assert_eq!(percent_estimate(&e(0.99985, 0.0)), ">99.9%");
    }

    #[test]
    fn an_interval_past_what_the_figure_can_be_is_cut_there_and_said_so() {
        assert_eq!(percent_estimate(&e(0.526, 0.985)), "52.6% [0, 100]");
        assert_eq!(percent_estimate(&e(0.038, 0.041)), "3.8% [0, 7.9]");
        assert_eq!(percent_estimate(&e(0.95, 0.06)), "95.0% [89.0, 100]");
        assert_eq!(percent_estimate(&e(0.5, 0.5)), "50.0% ±50.0");
        assert_eq!(seconds_estimate(&e(34.9, 79.3)), "34.9 [0, 114.2]");
        assert_eq!(count_estimate(&e(0.3, 0.5)), "0.3 [0, 0.8]");
        assert_eq!(count_estimate(&e(0.3, 0.3)), "0.3 ±0.3");
        // Only a cut interval calls for the note; a difference's signed interval does not.
        let note = cut_interval_note("hotline  52.6% [0, 100]").expect("a cut interval");
        assert!(note.starts_with("[low, high] = the 95% confidence interval"), "{note}");
        assert_eq!(cut_interval_note("+4.1 pt [+3.6, +4.6]  -2.0 [-]  86.4% ±7.2"), None);
    }

    #[test]
    fn seconds_keep_a_tenth_below_a_thousand_and_none_from_there() {
        assert_eq!(seconds_estimate(&e(12.34, 1.23)), "12.3 ±1.2");
        assert_eq!(seconds_estimate(&e(999.94, 0.0)), "999.9");
        assert_eq!(seconds_estimate(&e(10970.14, 538.1)), "10970 ±538");
        assert_eq!(seconds_estimate(&e(f64::NAN, 1.0)), "-");
    }

    #[test]
    fn a_replication_is_called_a_day_only_in_a_one_day_scenario() {
        assert_eq!(replication_noun(1, true), "days");
        assert_eq!(replication_noun(7, true), "weeks");
        assert_eq!(replication_noun(7, false), "week");
        assert_eq!(replication_noun(3, true), "runs of 3 days");
        assert_eq!(replication_noun(14, false), "run of 14 days");
    }

    #[test]
    fn csv_numbers_carry_no_float_noise() {
        assert_eq!(csv_decimal(41.400000000000006, csv_decimals("calls")), "41.4");
        assert_eq!(csv_decimal(0.6000000000000001, csv_decimals("share")), "0.6");
        assert_eq!(csv_decimal(3.4387704339093474, csv_decimals("s")), "3.439");
        assert_eq!(csv_decimal(12.0, 4), "12");
        assert_eq!(csv_decimal(-0.00001, 4), "0");
        assert_eq!(csv_decimal(f64::NAN, 4), "");
        assert_eq!(csv_exact(0.018750000000000003), "0.01875");
        assert_eq!(csv_exact(0.01859375), "0.01859375");
        assert_eq!(csv_exact(0.0), "0");
    }
}
