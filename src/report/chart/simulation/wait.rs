//! The wait distribution chart: the share of answered calls by wait, in display bins chosen to
//! cover most answered calls with round widths, with the target and the 90th percentile marked.
//! The chart pooling several channels marks no 90th percentile, nor a target when their
//! targets differ.

use super::{P90, TARGET, noun_for, sl_meaning, title};
use crate::model::{ServiceLevelGoal, SlDefinition};
use crate::report::chart::{
    Bin, Chart, Cumulative, HistogramChart, MISS, Marker, ValueFormat, file_safe, histogram,
};
use crate::report::chart::{seconds, target_text};
use crate::report::goal_percent;
use crate::report::{all_row_name_of, percent_estimate};
use crate::summary::{Summary, WaitBucket};

/// Number of display bins the wait histogram aims at.
const WAIT_BINS: f64 = 40.0;
/// Share of answered calls the histogram's x range covers (the rest is named in a note).
const WAIT_COVERAGE: f64 = 0.99;

/// A round bin width (1, 2 or 5 times a power of ten) at least `raw`.
fn nice_width(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|w| *w >= raw).unwrap_or(10.0 * magnitude)
}

/// The unit a wait axis reaching `x_max` seconds is drawn in, as (seconds per unit, name):
/// seconds for voice and chat, minutes past 20 minutes, hours past 4 hours (an email target of
/// 12 h read as 43,200 s is no figure anyone states).
fn display_unit(x_max: f64) -> (f64, &'static str) {
    if x_max >= 4.0 * 3600.0 {
        (3600.0, "h")
    } else if x_max >= 20.0 * 60.0 {
        (60.0, "min")
    } else {
        (1.0, "s")
    }
}

/// A wait in the axis's unit, for a label: `37 s`, `12.5 min`, `10.5 h`.
fn wait_text(wait_s: f64, (per, name): (f64, &str)) -> String {
    if per == 1.0 {
        return seconds(wait_s);
    }
    let v = wait_s / per;
    if v >= 100.0 { format!("{v:.0} {name}") } else { format!("{v:.1} {name}") }
}

/// The wait below which `WAIT_COVERAGE` of the answered calls of `buckets` were answered, or a
/// scale from the target when everyone was answered at once.
fn coverage_limit(buckets: &[WaitBucket], target_s: f64) -> f64 {
    let total: u64 = buckets.iter().map(|b| b.count).sum();
    let mut seen = 0;
    let mut limit = buckets.iter().filter(|b| b.count > 0).map(|b| b.high_s).fold(0.0, f64::max);
    for b in buckets {
        seen += b.count;
        if total > 0 && seen as f64 >= WAIT_COVERAGE * total as f64 {
            limit = b.high_s;
            break;
        }
    }
    if limit <= 0.0 {
        limit = if target_s > 0.0 { target_s * 1.5 } else { 10.0 };
    }
    limit.max(target_s * 1.25)
}

/// The goal the wait chart of `call_type` (`None`: all contacts) marks: the call type's own
/// channel's ([`Summary::goal_of`]); for all contacts the scenario's, unless the call types are
/// judged against different goals, when no one target applies to all of them.
fn chart_goal(summary: &Summary, call_type: Option<&str>) -> Option<ServiceLevelGoal> {
    match call_type {
        Some(ct) => Some(summary.goal_of(ct)),
        None => summary
            .call_types
            .iter()
            .all(|ct| summary.goal_of(&ct.name) == summary.service_level)
            .then_some(summary.service_level),
    }
}

/// The x range of the wait chart of `call_type` (`None`: all contacts), shared by every wait
/// chart of the run that marks the same target, so call types can be compared side by side: the
/// widest of their 99% ranges, each reaching past the target, rounded up to a whole number of
/// display bins. With one goal every chart of a run shares it; with channels whose targets
/// differ (20 s, 1 min, 12 h) each target has its own, so a 12-hour email target does not
/// squeeze a 20-second one into the first bin, and the all-contacts chart, which marks no
/// target, spans them all.
pub(super) fn wait_range(summary: &Summary, call_type: Option<&str>) -> f64 {
    let target_of = |call_type: Option<&str>| chart_goal(summary, call_type).map(|g| g.target);
    let own = target_of(call_type);
    let limit = summary
        .wait_distribution
        .iter()
        .map(|d| (d, target_of(d.call_type.as_deref())))
        .filter(|(_, target)| own.is_none() || *target == own)
        .map(|(d, target)| coverage_limit(&d.buckets, target.unwrap_or(0.0)))
        .fold(0.0, f64::max);
    let limit =
        if limit > 0.0 { limit } else { coverage_limit(&[], own.unwrap_or(summary.service_level.target)) };
    let width = nice_width(limit / WAIT_BINS);
    (limit / width).ceil().max(1.0) * width
}

/// The display of one wait distribution over `0..upper`.
struct Rebinned {
    /// Bins of `WAIT_BINS` equal widths over waits above zero, as shares of answered calls.
    bins: Vec<Bin>,
    /// Answered calls per bin edge, cumulated from zero (immediate answers included): the
    /// numerator of "answered within x".
    cumulative_counts: Vec<(f64, f64)>,
    /// Answered calls in all.
    answered: f64,
    /// Answered at once (wait exactly zero).
    at_once: f64,
    /// Answered calls that waited longer than `upper`.
    beyond: f64,
    /// Longest wait in any replication (the buckets pool every replication's waits).
    longest: f64,
}

/// Display bins from the summary's fine log buckets: equal bins up to `upper` over waits above
/// zero, each log bucket's count spread over the bins it overlaps in proportion to the overlap.
/// Immediate answers are kept apart: drawn as one bar at zero they would flatten every other
/// bar, and merged into the first bin they would read as short waits.
fn rebin(buckets: &[WaitBucket], upper: f64, unit: f64) -> Rebinned {
    let answered: u64 = buckets.iter().map(|b| b.count).sum();
    let at_once: u64 = buckets.iter().filter(|b| b.high_s <= 0.0).map(|b| b.count).sum();
    let longest = buckets.iter().filter(|b| b.count > 0).map(|b| b.high_s).fold(0.0, f64::max);
    let empty = Rebinned {
        bins: Vec::new(),
        cumulative_counts: Vec::new(),
        answered: 0.0,
        at_once: 0.0,
        beyond: 0.0,
        longest: 0.0,
    };
    if answered == 0 || upper.is_nan() || upper <= 0.0 {
        return empty;
    }
    // Round in the unit the axis is drawn in, so that bins line up with its ticks.
    let width = nice_width(upper / unit / WAIT_BINS) * unit;
    let n_bins = ((upper / width).round() as usize).max(1);
    let upper = n_bins as f64 * width;
    let mut counts = vec![0.0; n_bins];
    let mut beyond = 0.0;
    let waited: Vec<&WaitBucket> = buckets.iter().filter(|b| b.high_s > 0.0 && b.count > 0).collect();
    for (j, b) in waited.iter().enumerate() {
        let (lo, hi) = (b.low_s.max(0.0), b.high_s);
        // A spike across a bar's edge is calls answered at that very wait (an overflow delay,
        // a target): all of it goes to the bar that starts there, as its waits are not below
        // the edge; only the rest of the bucket is spread over the bars it overlaps.
        let edge = ((lo / width).floor() + 1.0) * width;
        let spike = if edge > lo && edge < hi { spike_excess(&waited, j, width) } else { 0.0 };
        if spike > 0.0 {
            match counts.get_mut((edge / width).round() as usize) {
                Some(c) if edge < upper => *c += spike,
                _ => beyond += spike,
            }
        }
        let per_s = (b.count as f64 - spike) / (hi - lo);
        if hi > upper {
            beyond += per_s * (hi - lo.max(upper));
        }
        let first = (lo / width).floor() as usize;
        for (k, c) in counts.iter_mut().enumerate().skip(first) {
            let (bl, bh) = (k as f64 * width, (k + 1) as f64 * width);
            if bl >= hi {
                break;
            }
            *c += per_s * (hi.min(bh) - lo.max(bl)).max(0.0);
        }
    }
    let total = answered as f64;
    let mut bins = Vec::with_capacity(n_bins);
    let mut cumulative_counts = vec![(0.0, at_once as f64)];
    let mut cumulative = at_once as f64;
    for (k, c) in counts.iter().enumerate() {
        bins.push(Bin {
            low: k as f64 * width,
            high: (k + 1) as f64 * width,
            value: c / total,
            highlight: 0.0,
        });
        cumulative += c;
        cumulative_counts.push(((k + 1) as f64 * width, cumulative.min(total)));
    }
    Rebinned {
        bins,
        cumulative_counts,
        answered: total,
        at_once: at_once as f64,
        beyond: beyond / total,
        longest,
    }
}

/// The calls of `buckets[j]` above what its neighbours within a display bin `width` either
/// side would put there, when they are a spike: at least [`SPIKE_MIN`] calls and more than
/// [`SPIKE_RATIO`] times the neighbours' density. A log bucket is 1% of its wait wide, so a
/// smooth distribution never piles that much into one; calls answered at one exact wait do.
/// 0 when the bucket is no spike.
fn spike_excess(buckets: &[&WaitBucket], j: usize, width: f64) -> f64 {
    let b = buckets[j];
    let (lo, hi) = (b.low_s.max(0.0), b.high_s);
    let (from, to) = ((lo - width).max(0.0), hi + width);
    let mut around = 0.0;
    for (k, n) in buckets.iter().enumerate().filter(|(k, _)| *k != j) {
        let (nlo, nhi) = (n.low_s.max(0.0), n.high_s);
        let overlap = (nhi.min(to) - nlo.max(from)).max(0.0);
        if overlap > 0.0 && nhi > nlo {
            around += n.count as f64 * overlap / (nhi - nlo);
        }
        if nlo >= to && k > j {
            break;
        }
    }
    let span = (to - from) - (hi - lo);
    let expected = if span > 0.0 { around / span * (hi - lo) } else { 0.0 };
    let count = b.count as f64;
    if count >= SPIKE_MIN && count > SPIKE_RATIO * expected { count - expected } else { 0.0 }
}

/// The fewest calls in one log bucket that can make a spike ([`spike_excess`]).
const SPIKE_MIN: f64 = 10.0;
/// How many times its neighbours' density a log bucket must hold to be a spike.
const SPIKE_RATIO: f64 = 5.0;

/// "Answered within x" as a share of the calls the service level divides by: offered calls
/// (abandoned and unanswered included) under the `offered` definition, answered calls under
/// `answered`, by the definition of the goal the chart marks (`chart_goal`). Offered calls over all replications are the mean per replication times the
/// replications, as the buckets are summed over replications. At the target, the curve is the
/// service level over replications: the ratio of totals the summary reports.
pub fn answered_within_curve(summary: &Summary, call_type: Option<&str>) -> Vec<(f64, f64)> {
    let x_max = wait_range(summary, call_type);
    let (curve, _) = wait_curve(summary, call_type, x_max);
    curve
}

fn wait_curve(summary: &Summary, call_type: Option<&str>, x_max: f64) -> (Vec<(f64, f64)>, Rebinned) {
    let buckets = summary
        .wait_distribution
        .iter()
        .find(|d| d.call_type.as_deref() == call_type)
        .map(|d| d.buckets.as_slice())
        .unwrap_or(&[]);
    let distribution = summary.wait_distribution.iter().find(|d| d.call_type.as_deref() == call_type);
    let stats = match call_type {
        None => Some(&summary.overall),
        Some(ct) => summary.call_types.iter().find(|c| c.name == ct).map(|c| &c.stats),
    };
    let r = rebin(buckets, x_max, display_unit(x_max).0);
    let definition = chart_goal(summary, call_type).unwrap_or(summary.service_level).definition;
    // The contacts the service level judges: emails not yet due at the end have no outcome.
    let not_judged = distribution.map_or(0.0, |d| d.offered_not_judged as f64);
    let denominator = match definition {
        SlDefinition::Offered => {
            stats.map_or(f64::NAN, |s| s.offered.mean * f64::from(summary.replications) - not_judged)
        }
        SlDefinition::Answered => r.answered,
    };
    let mut curve: Vec<(f64, f64)> = if denominator > 0.0 {
        r.cumulative_counts.iter().map(|(x, n)| (*x, (n / denominator).min(1.0))).collect()
    } else {
        Vec::new()
    };
    // The bins' edges seldom fall on the target, and between them the curve only interpolates
    // counts spread over fine buckets: a dot drawn there sat points away from the service level
    // printed beside it. The curve goes through the service level at the target itself, and
    // stays monotone around it.
    let target = chart_goal(summary, call_type).map(|g| g.target);
    let level = stats.map(|s| s.service_level.mean);
    if let (Some(target), Some(level)) = (target, level)
        && !curve.is_empty()
        && target.is_finite()
        && level.is_finite()
        && target > 0.0
        && target < x_max
    {
        for (x, y) in &mut curve {
            *y = if *x < target { y.min(level) } else { y.max(level) };
        }
        let at = curve.partition_point(|(x, _)| *x < target);
        if curve.get(at).is_some_and(|(x, _)| *x == target) {
            curve[at].1 = level;
        } else {
            curve.insert(at, (target, level));
        }
    }
    (curve, r)
}

/// The longest wait of the pooled buckets, in words that keep it apart from `wait_max_s`
/// (each replication's longest wait, averaged over replications): with several replications it
/// is the longest of them all.
fn longest_text(summary: &Summary, longest: String) -> String {
    match summary.replications {
        0 | 1 => format!("longest: {longest}"),
        n => format!("longest in any of the {n} replications: {longest}"),
    }
}

/// The wait chart of `call_type`, or of all contacts (`None`, the file `wait_distribution`).
/// With several channels the chart of all contacts pools every channel's waits (seconds of
/// voice with hours of email): it is named as the tables name that row ([`all_row_name_of`]),
/// says so and points to each call type's chart, and leaves out the pooled 90th percentile,
/// as the tables do ([`crate::report::shown_pooled`]).
pub(super) fn wait_chart(summary: &Summary, call_type: Option<&str>, x_max: f64) -> Chart {
    let pooled_channels = call_type.is_none() && summary.several_channels();
    let (name, who, stats) = match call_type {
        None => (
            "wait_distribution".to_string(),
            all_row_name_of(&summary.channels).to_string(),
            Some(&summary.overall),
        ),
        Some(ct) => (
            format!("wait_distribution_{}", file_safe(ct)),
            ct.to_string(),
            summary.call_types.iter().find(|c| c.name == ct).map(|c| &c.stats),
        ),
    };
    let goal = chart_goal(summary, call_type);
    let noun = noun_for(summary, call_type);
    let (curve, r) = wait_curve(summary, call_type, x_max);
    let unit = display_unit(x_max);
    let mut markers = Vec::new();
    let sl = stats.map(|s| s.service_level).unwrap_or_default();
    if let Some(goal) = goal.filter(|g| g.target.is_finite()) {
        let met = sl.mean >= goal.goal;
        markers.push(Marker {
            x: goal.target,
            label: format!(
                "target {}: service level {} ({} goal {})",
                target_text(goal.target),
                percent_estimate(&sl),
                if met { "meets" } else { "misses" },
                goal_percent(goal.goal)
            ),
            color: if met { TARGET } else { MISS },
            on_curve: true,
        });
    }
    if let Some(p90) = stats.map(|s| s.wait_p90_s.mean).filter(|v| v.is_finite() && !pooled_channels) {
        markers.push(Marker {
            x: p90,
            label: format!("p90 wait {}", wait_text(p90, unit)),
            color: P90,
            on_curve: false,
        });
    }
    let mut notes = Vec::new();
    if pooled_channels {
        notes.push(
            "every channel's waits pooled: each call type's own chart (wait_distribution_<call type>) is \
             the one to read"
                .to_string(),
        );
    }
    if goal.is_none() {
        notes.push(format!(
            "service level {}, each contact against its own channel's target (no one target applies)",
            percent_estimate(&sl)
        ));
    }
    if r.answered > 0.0 {
        notes.push(format!(
            "answered at once (no wait): {:.1}% of answered {noun}, not drawn as a bar",
            r.at_once / r.answered * 100.0
        ));
    }
    if r.beyond > 0.0005 {
        notes.push(format!(
            "not shown: {:.1}% waited longer ({})",
            r.beyond * 100.0,
            longest_text(summary, wait_text(r.longest, unit))
        ));
    }
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    let base = sl_meaning(goal.unwrap_or(summary.service_level).definition, noun);
    // Drawn in the axis's unit: every x from here on is divided by it.
    let per = unit.0;
    let bins = r.bins.into_iter().map(|b| Bin { low: b.low / per, high: b.high / per, ..b }).collect();
    let curve = curve.into_iter().map(|(x, y)| (x / per, y)).collect();
    let markers = markers.into_iter().map(|m| Marker { x: m.x / per, ..m }).collect();
    histogram(
        &name,
        HistogramChart {
            title: title(summary, &format!("wait before answer, {who}")),
            x_title: format!("wait before answer ({})", unit.1),
            y_title: format!("share of answered {noun} (%)"),
            y_format: ValueFormat::Percent,
            bins,
            bar_labels: (format!("answered {noun} that waited, by wait"), "answered at once".to_string()),
            cumulative: Some(Cumulative {
                label: format!("answered within x, % {base} (as service level)"),
                y_title: "answered within x (%)".to_string(),
                points: curve,
            }),
            x_max: Some(x_max / per),
            markers,
            curves: Vec::new(),
            note,
            empty_note: format!("no answered {noun} for {who}"),
        },
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn bucket(low_s: f64, high_s: f64, count: u64) -> WaitBucket {
        WaitBucket { low_s, high_s, count }
    }

    #[test]
    fn rebinning_keeps_every_answered_call() {
        let buckets =
            [bucket(0.0, 0.0, 500), bucket(3.0, 3.06, 100), bucket(40.0, 40.8, 300), bucket(900.0, 918.0, 5)];
        let r = rebin(&buckets, coverage_limit(&buckets, 20.0), 1.0);
        let shown: f64 = r.bins.iter().map(|b| b.value).sum();
        let at_once = r.at_once / r.answered;
        assert!((shown + at_once + r.beyond - 1.0).abs() < 1e-9, "shown {shown} beyond {}", r.beyond);
        assert_eq!(r.at_once, 500.0);
        assert_eq!(r.longest, 918.0);
        let c = &r.cumulative_counts;
        assert!(c.windows(2).all(|w| w[0].1 <= w[1].1 + 1e-12), "cumulative count never falls");
    }

    #[test]
    fn immediate_answers_are_not_drawn_as_short_waits() {
        // Half the calls answered at once, half after 30 s: the first bin holds no call.
        let buckets = [bucket(0.0, 0.0, 100), bucket(30.0, 30.4, 100)];
        let r = rebin(&buckets, 40.0, 1.0);
        assert_eq!(r.bins[0].value, 0.0, "answered at once leaked into {:?}", r.bins[0]);
        assert_eq!(r.cumulative_counts[0], (0.0, 100.0));
    }

    #[test]
    fn rebinning_with_only_immediate_answers_still_has_a_scale() {
        let b = [bucket(0.0, 0.0, 10)];
        let r = rebin(&b, coverage_limit(&b, 20.0), 1.0);
        assert!(!r.bins.is_empty());
        assert_eq!(r.beyond, 0.0);
        assert_eq!(r.cumulative_counts.last().map(|p| p.1), Some(10.0));
        assert!(rebin(&[], 20.0, 1.0).bins.is_empty());
    }

    #[test]
    fn a_spike_at_a_bar_edge_is_drawn_in_the_bar_that_starts_there() {
        // Calls answered after waiting exactly 30 s (an overflow delay) fill the log bucket
        // 29.76..30.08 s, which straddles the edge between the 28-30 s and 30-32 s bars; a few
        // calls wait anywhere from 20 to 40 s.
        let mut buckets = vec![bucket(0.0, 0.0, 100)];
        let (mut lo, step): (f64, f64) = (20.48, 0.32);
        while lo < 40.0 {
            let count = if (lo - 29.76).abs() < 1e-9 { 1426 } else { 2 };
            buckets.push(bucket(lo, lo + step, count));
            lo += step;
        }
        let r = rebin(&buckets, 80.0, 1.0);
        let bar = |low: f64| r.bins.iter().find(|b| (b.low - low).abs() < 1e-9).unwrap().value * r.answered;
        assert!(bar(28.0) < 20.0, "28-30 s holds {} calls", bar(28.0));
        assert!(bar(30.0) > 1426.0, "30-32 s holds {} calls", bar(30.0));
        let shown: f64 = r.bins.iter().map(|b| b.value).sum();
        assert!((shown + r.at_once / r.answered + r.beyond - 1.0).abs() < 1e-9);
        // A smooth distribution is spread as before: no bucket stands out.
        let smooth: Vec<WaitBucket> =
            (0..60).map(|k| bucket(20.48 + 0.32 * k as f64, 20.8 + 0.32 * k as f64, 50)).collect();
        let r = rebin(&smooth, 80.0, 1.0);
        let bars: Vec<f64> =
            r.bins.iter().filter(|b| b.low >= 22.0 && b.high <= 38.0).map(|b| b.value * r.answered).collect();
        assert!(bars.iter().all(|v| (v - 312.5).abs() < 1e-6), "{bars:?}");
    }

    #[test]
    fn nice_widths_are_round() {
        assert_eq!(nice_width(0.7), 1.0);
        assert_eq!(nice_width(3.2), 5.0);
        assert_eq!(nice_width(12.0), 20.0);
        assert_eq!(nice_width(f64::NAN), 1.0);
    }
}
