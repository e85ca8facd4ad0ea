//! The charts of one simulation, drawn from a [`Summary`] alone so `ccsim chart` can redraw
//! them from a saved `summary.json`: wait distributions (all calls and per call type), service
//! level by interval, volume by interval, agents on duty and occupancy.
//!
//! Only presentation choices are made here (display bins, colours, labels); every figure comes
//! from the summary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{
    BarPanel, BarsChart, Bin, Chart, ChartFormat, Goal, HistogramChart, IntervalAxis, IntervalChart, Marker,
    SecondaryAxis, Series, ValueFormat, file_safe, histogram, interval_lines, stacked_bars, step_lines,
};
use crate::metrics::CallStats;
use crate::model::SlDefinition;
use crate::report::percent_estimate;
use crate::stats::Estimate;
use crate::summary::{Summary, WaitBucket};

/// Number of display bins the wait histogram aims at.
const WAIT_BINS: f64 = 40.0;
/// Share of answered calls the histogram's x range covers (the rest is named in a note).
const WAIT_COVERAGE: f64 = 0.99;

const GREEN: [u8; 3] = [44, 160, 44];
const RED: [u8; 3] = [214, 39, 40];
const GREY: [u8; 3] = [150, 150, 150];

/// Every chart of a simulation, in the order of the report: the wait distribution of all
/// calls, then one per call type, service level, volume, occupancy.
pub fn simulation_chart_set(summary: &Summary) -> Vec<Chart> {
    let mut charts = vec![wait_chart(summary, None)];
    for ct in &summary.call_types {
        charts.push(wait_chart(summary, Some(ct.name.as_str())));
    }
    let axis = axis(summary);
    charts.push(service_level_chart(summary, &axis));
    charts.push(volume_chart(summary, &axis));
    charts.push(occupancy_chart(summary, &axis));
    // Two call types whose names differ only in punctuation would share a file name.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for chart in &mut charts {
        let n = seen.entry(chart.name.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            chart.name = format!("{}_{}", chart.name, n);
        }
    }
    charts
}

/// Writes every chart of a simulation into `dir` (created if missing); returns the paths.
///
/// # Errors
/// When the directory cannot be created or a chart cannot be drawn or written.
pub fn simulation_charts(summary: &Summary, dir: &Path, format: ChartFormat) -> anyhow::Result<Vec<PathBuf>> {
    super::write_charts(&simulation_chart_set(summary), dir, format)
}

/// Every chart of a simulation as (file stem, SVG document), for the HTML report.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn simulation_chart_svgs(summary: &Summary) -> anyhow::Result<Vec<(String, String)>> {
    simulation_chart_set(summary).iter().map(|c| Ok((c.name.clone(), c.to_svg()?))).collect()
}

fn title(summary: &Summary, what: &str) -> String {
    if summary.plan.is_empty() || summary.plan == "scenario" {
        format!("{}: {what}", summary.scenario)
    } else {
        format!("{} (plan {}): {what}", summary.scenario, summary.plan)
    }
}

fn axis(summary: &Summary) -> IntervalAxis {
    let g = &summary.grid;
    IntervalAxis::from_grid(&g.start, g.interval_s, g.per_day, g.days)
}

/// Grid index of every (day, start) in the summary's grid.
fn grid_index(summary: &Summary) -> HashMap<(usize, String), usize> {
    let g = &summary.grid;
    let one_day = IntervalAxis::from_grid(&g.start, g.interval_s, g.per_day, 1);
    let mut index = HashMap::new();
    for day in 1..=g.days {
        for (slot, start) in one_day.labels.iter().enumerate() {
            index.insert((day, start.clone()), (day - 1) * g.per_day + slot);
        }
    }
    index
}

/// One value per interval for `call_type`, NaN where the summary has none.
fn per_interval<T>(
    summary: &Summary,
    n: usize,
    call_type: &str,
    f: impl Fn(&CallStats<Estimate>) -> T,
) -> Vec<Option<T>> {
    let index = grid_index(summary);
    let mut out: Vec<Option<T>> = (0..n).map(|_| None).collect();
    for row in summary.intervals.iter().filter(|r| r.call_type == call_type) {
        if let Some(&i) = index.get(&(row.day, row.start.clone())) {
            if i < n {
                out[i] = Some(f(&row.stats));
            }
        }
    }
    out
}

fn seconds(v: f64) -> String {
    if v >= 10.0 { format!("{v:.0} s") } else { format!("{v:.1} s") }
}

fn sl_meaning(summary: &Summary) -> &'static str {
    match summary.service_level.definition {
        SlDefinition::Offered => "of offered calls",
        SlDefinition::Answered => "of answered calls",
    }
}

/// A round bin width (1, 2 or 5 times a power of ten) at least `raw`.
fn nice_width(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|w| *w >= raw).unwrap_or(10.0 * magnitude)
}

/// Display bins from the summary's fine log buckets: `WAIT_BINS` linear bins up to about the
/// 99th percentile, each log bucket's count spread over the bins it overlaps in proportion to
/// the overlap. Returns the bins (shares of answered calls), the cumulative curve, and the share
/// and longest wait beyond the last bin.
fn rebin(buckets: &[WaitBucket], target_s: f64) -> (Vec<Bin>, Vec<(f64, f64)>, f64, f64) {
    let total: u64 = buckets.iter().map(|b| b.count).sum();
    if total == 0 {
        return (Vec::new(), Vec::new(), 0.0, 0.0);
    }
    let total_f = total as f64;
    let zero: u64 = buckets.iter().filter(|b| b.high_s <= 0.0).map(|b| b.count).sum();
    let longest = buckets.iter().filter(|b| b.count > 0).map(|b| b.high_s).fold(0.0, f64::max);
    let mut seen = 0;
    let mut limit = longest;
    for b in buckets {
        seen += b.count;
        if seen as f64 >= WAIT_COVERAGE * total_f {
            limit = b.high_s;
            break;
        }
    }
    if limit <= 0.0 {
        // Everyone was answered at once: show up to the target so the picture has a scale.
        limit = if target_s > 0.0 { target_s * 1.5 } else { 10.0 };
    }
    let width = nice_width(limit / WAIT_BINS);
    let n_bins = ((limit / width).ceil() as usize).max(1);
    let upper = n_bins as f64 * width;
    let mut counts = vec![0.0; n_bins];
    let mut beyond = 0.0;
    for b in buckets.iter().filter(|b| b.high_s > 0.0 && b.count > 0) {
        let (lo, hi) = (b.low_s.max(0.0), b.high_s);
        let per_s = b.count as f64 / (hi - lo);
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
    counts[0] += zero as f64;
    let mut bins = Vec::with_capacity(n_bins);
    let mut curve = vec![(0.0, zero as f64 / total_f)];
    let mut cumulative = 0.0;
    for (k, c) in counts.iter().enumerate() {
        let highlight = if k == 0 { zero as f64 / total_f } else { 0.0 };
        bins.push(Bin { low: k as f64 * width, high: (k + 1) as f64 * width, value: c / total_f, highlight });
        cumulative += c / total_f;
        curve.push(((k + 1) as f64 * width, cumulative.min(1.0)));
    }
    (bins, curve, beyond / total_f, longest)
}

fn wait_chart(summary: &Summary, call_type: Option<&str>) -> Chart {
    let (name, who, stats) = match call_type {
        None => ("wait_distribution".to_string(), "all calls".to_string(), Some(&summary.overall)),
        Some(ct) => (
            format!("wait_distribution_{}", file_safe(ct)),
            ct.to_string(),
            summary.call_types.iter().find(|c| c.name == ct).map(|c| &c.stats),
        ),
    };
    let buckets = summary
        .wait_distribution
        .iter()
        .find(|d| d.call_type.as_deref() == call_type)
        .map(|d| d.buckets.as_slice())
        .unwrap_or(&[]);
    let target = summary.service_level.target;
    let (bins, curve, beyond, longest) = rebin(buckets, target);
    let mut markers = Vec::new();
    if target.is_finite() {
        let sl = stats.map(|s| s.service_level).unwrap_or_default();
        let met = sl.mean >= summary.service_level.goal;
        markers.push(Marker {
            x: target,
            label: format!("target {}: service level {}", seconds(target), percent_estimate(&sl)),
            color: if met { [0, 120, 60] } else { RED },
        });
    }
    if let Some(p90) = stats.map(|s| s.wait_p90_s.mean).filter(|v| v.is_finite()) {
        markers.push(Marker { x: p90, label: format!("p90 wait {}", seconds(p90)), color: [148, 103, 189] });
    }
    let note = (beyond > 0.0005)
        .then(|| format!("not shown: {:.1}% waited longer (longest {})", beyond * 100.0, seconds(longest)));
    histogram(
        &name,
        HistogramChart {
            title: title(summary, &format!("wait of answered calls, {who}")),
            x_title: "wait before answer (s)".to_string(),
            y_title: "share of answered calls (%)".to_string(),
            y_format: ValueFormat::Percent,
            bins,
            bar_labels: ("answered calls by wait".to_string(), "answered at once".to_string()),
            cumulative: Some(("answered within x".to_string(), curve)),
            markers,
            note,
            empty_note: format!("no answered calls for {who}"),
        },
    )
}

fn service_level_chart(summary: &Summary, axis: &IntervalAxis) -> Chart {
    let n = axis.len();
    let series = summary
        .call_types
        .iter()
        .map(|ct| {
            let est = per_interval(summary, n, &ct.name, |s| s.service_level);
            let values: Vec<f64> = est.iter().map(|e| e.map_or(f64::NAN, |e| e.mean)).collect();
            let band = est
                .iter()
                .map(|e| match e {
                    Some(e) if e.mean.is_finite() && e.half_width.is_finite() => {
                        ((e.mean - e.half_width).max(0.0), (e.mean + e.half_width).min(1.0))
                    }
                    _ => (f64::NAN, f64::NAN),
                })
                .collect();
            let name = if values.iter().any(|v| v.is_finite()) {
                ct.name.clone()
            } else {
                format!("{} (no calls)", ct.name)
            };
            Series::new(name, values).with_band(band)
        })
        .collect();
    let sl = summary.service_level;
    interval_lines(
        "service_level",
        IntervalChart {
            title: title(summary, "service level by interval"),
            axis: axis.clone(),
            y_title: format!(
                "service level (% {} answered within {})",
                sl_meaning(summary),
                seconds(sl.target)
            ),
            y_format: ValueFormat::Percent,
            series,
            goal: Some(Goal {
                value: sl.goal,
                label: format!("goal {:.0}%", sl.goal * 100.0),
                mark_below: true,
            }),
            secondary: None,
            empty_note: "no interval has offered calls".to_string(),
        },
    )
}

fn volume_chart(summary: &Summary, axis: &IntervalAxis) -> Chart {
    let n = axis.len();
    let total = |f: fn(&CallStats<Estimate>) -> Estimate| -> Vec<f64> {
        let mut sums = vec![0.0; n];
        for ct in &summary.call_types {
            for (i, v) in per_interval(summary, n, &ct.name, |s| f(s).mean).into_iter().enumerate() {
                sums[i] += v.filter(|v| v.is_finite()).unwrap_or(0.0);
            }
        }
        sums
    };
    let outcome = BarPanel {
        y_title: "calls per interval, by outcome".to_string(),
        stacks: vec![
            Series::new("answered", total(|s| s.answered)).with_color(GREEN),
            Series::new("abandoned", total(|s| s.abandoned)).with_color(RED),
            Series::new("unanswered at close", total(|s| s.unanswered_at_close)).with_color(GREY),
        ],
    };
    let origin = BarPanel {
        y_title: "calls per interval, by origin".to_string(),
        stacks: vec![
            Series::new("fresh", total(|s| s.offered_fresh)).with_color([31, 119, 180]),
            Series::new("redials", total(|s| s.offered_redial)).with_color([255, 127, 14]),
            Series::new("repeats", total(|s| s.offered_repeat)).with_color([148, 103, 189]),
            Series::new("transfers", total(|s| s.offered_transfer)).with_color([23, 190, 207]),
        ],
    };
    stacked_bars(
        "volume",
        BarsChart {
            title: title(summary, "offered calls per interval (mean of replications)"),
            axis: axis.clone(),
            panels: vec![outcome, origin],
            empty_note: "no calls were offered".to_string(),
        },
    )
}

fn occupancy_chart(summary: &Summary, axis: &IntervalAxis) -> Chart {
    let n = axis.len();
    let index = grid_index(summary);
    let mut agents = Vec::new();
    let mut occupancy = Vec::new();
    for g in &summary.agent_groups {
        let mut on_duty = vec![f64::NAN; n];
        let mut busy = vec![f64::NAN; n];
        for row in &g.intervals {
            if let Some(&i) = index.get(&(row.day, row.start.clone())).filter(|i| **i < n) {
                on_duty[i] = row.agents_on_duty.mean;
                busy[i] = row.occupancy.mean;
            }
        }
        agents.push(Series::new(g.name.clone(), on_duty));
        occupancy.push(Series::new(format!("occupancy {}", g.name), busy));
    }
    step_lines(
        "occupancy",
        IntervalChart {
            title: title(summary, "agents on duty and occupancy by interval"),
            axis: axis.clone(),
            y_title: "agents on duty (time-average)".to_string(),
            y_format: ValueFormat::Number,
            series: agents,
            goal: None,
            secondary: Some(SecondaryAxis {
                title: "occupancy (% of time on duty busy)".to_string(),
                format: ValueFormat::Percent,
                series: occupancy,
            }),
            empty_note: "no agent group has agents on duty".to_string(),
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
        let (bins, curve, beyond, longest) = rebin(&buckets, 20.0);
        let shown: f64 = bins.iter().map(|b| b.value).sum();
        assert!((shown + beyond - 1.0).abs() < 1e-9, "shown {shown} beyond {beyond}");
        assert!((bins[0].highlight - 500.0 / 905.0).abs() < 1e-12);
        assert_eq!(longest, 918.0);
        assert!(curve.windows(2).all(|w| w[0].1 <= w[1].1 + 1e-12), "cumulative share never falls");
    }

    #[test]
    fn rebinning_with_only_immediate_answers_still_has_a_scale() {
        let (bins, curve, beyond, _) = rebin(&[bucket(0.0, 0.0, 10)], 20.0);
        assert!(!bins.is_empty());
        assert_eq!(beyond, 0.0);
        assert_eq!(curve.last().map(|p| p.1), Some(1.0));
        assert!(rebin(&[], 20.0).0.is_empty());
    }

    #[test]
    fn nice_widths_are_round() {
        assert_eq!(nice_width(0.7), 1.0);
        assert_eq!(nice_width(3.2), 5.0);
        assert_eq!(nice_width(12.0), 20.0);
        assert_eq!(nice_width(f64::NAN), 1.0);
    }
}
