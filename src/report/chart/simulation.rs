//! The charts of one simulation, drawn from a [`Summary`] alone so `ccsim chart` can redraw
//! them from a saved `summary.json`: wait distributions (all calls and per call type), service
//! level by interval, volume by interval, agents on duty and occupancy.
//!
//! Only presentation choices are made here (display bins, colours, labels); every figure comes
//! from the summary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::heatmap::{HeatmapChart, heatmap};
use super::{
    BarPanel, BarsChart, Bin, Chart, ChartFormat, Cumulative, Goal, HistogramChart, IntervalAxis,
    IntervalChart, MISS, Marker, Series, Shape, ValueFormat, color_of, file_safe, histogram, interval_lines,
    panels, stacked_bars,
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

const GREEN: [u8; 3] = [0, 158, 115];
const GREY: [u8; 3] = [150, 150, 150];
/// The colour of the service-level target marker and of the p90 marker.
const TARGET: [u8; 3] = [0, 0, 0];
const P90: [u8; 3] = [204, 121, 167];

/// What the charts of a run show beyond its summary: the scenario's settings a summary does
/// not carry (`ccsim chart`, which has only the summary, uses the default: no weekday names,
/// no occupancy cap).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartContext {
    /// Weekday of day 1, 0 = Monday (the scenario's `first_weekday`).
    pub first_weekday: Option<usize>,
    /// The scenario's `[staffing] max_occupancy`.
    pub max_occupancy: Option<f64>,
}

impl ChartContext {
    /// The context of a scenario.
    pub fn of(scenario: &crate::model::Scenario) -> ChartContext {
        ChartContext { first_weekday: scenario.first_weekday, max_occupancy: scenario.staffing.max_occupancy }
    }
}

/// Every chart of a simulation, in the order of the report: the wait distribution of all
/// calls, then one per call type, service level, volume, occupancy; for several days the heat
/// maps of service level and occupancy.
pub fn simulation_chart_set(summary: &Summary) -> Vec<Chart> {
    simulation_chart_set_with(summary, &ChartContext::default())
}

/// As [`simulation_chart_set`], with the scenario's context.
pub fn simulation_chart_set_with(summary: &Summary, ctx: &ChartContext) -> Vec<Chart> {
    let x_max = common_wait_range(summary);
    let mut charts = vec![wait_chart(summary, None, x_max)];
    for ct in &summary.call_types {
        charts.push(wait_chart(summary, Some(ct.name.as_str()), x_max));
    }
    let axis = axis(summary, ctx);
    charts.push(service_level_chart(summary, &axis));
    charts.push(volume_chart(summary, &axis));
    charts.push(occupancy_chart(summary, &axis, ctx));
    if summary.grid.days > 1 {
        charts.push(service_level_heatmap(summary, &axis));
        charts.push(occupancy_heatmap(summary, &axis, ctx));
    }
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
    simulation_chart_svgs_with(summary, &ChartContext::default())
}

/// As [`simulation_chart_svgs`], with the scenario's context.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn simulation_chart_svgs_with(
    summary: &Summary,
    ctx: &ChartContext,
) -> anyhow::Result<Vec<(String, String)>> {
    simulation_chart_set_with(summary, ctx).iter().map(|c| Ok((c.name.clone(), c.to_svg()?))).collect()
}

fn title(summary: &Summary, what: &str) -> String {
    if summary.plan.is_empty() || summary.plan == "scenario" {
        format!("{}: {what}", summary.scenario)
    } else {
        format!("{} (plan {}): {what}", summary.scenario, summary.plan)
    }
}

fn axis(summary: &Summary, ctx: &ChartContext) -> IntervalAxis {
    let g = &summary.grid;
    IntervalAxis::from_grid_with_weekday(&g.start, g.interval_s, g.per_day, g.days, ctx.first_weekday)
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

/// One x range for every wait chart of a run, so call types can be compared side by side: the
/// widest of their 99% ranges, rounded up to a whole number of display bins.
fn common_wait_range(summary: &Summary) -> f64 {
    let target = summary.service_level.target;
    let limit =
        summary.wait_distribution.iter().map(|d| coverage_limit(&d.buckets, target)).fold(0.0, f64::max);
    let limit = if limit > 0.0 { limit } else { coverage_limit(&[], target) };
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
    /// Longest wait.
    longest: f64,
}

/// Display bins from the summary's fine log buckets: equal bins up to `upper` over waits above
/// zero, each log bucket's count spread over the bins it overlaps in proportion to the overlap.
/// Immediate answers are kept apart: drawn as one bar at zero they would flatten every other
/// bar, and merged into the first bin they would read as short waits.
fn rebin(buckets: &[WaitBucket], upper: f64) -> Rebinned {
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
    let width = nice_width(upper / WAIT_BINS);
    let n_bins = ((upper / width).round() as usize).max(1);
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

/// "Answered within x" as a share of the calls the service level divides by: offered calls
/// (abandoned and unanswered included) under the `offered` definition, answered calls under
/// `answered`. Offered calls over all replications are the mean per replication times the
/// replications, as the buckets are summed over replications. At the target, the curve is the
/// service level pooled over replications, which the reported mean of replications estimates.
pub fn answered_within_curve(summary: &Summary, call_type: Option<&str>) -> Vec<(f64, f64)> {
    let x_max = common_wait_range(summary);
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
    let stats = match call_type {
        None => Some(&summary.overall),
        Some(ct) => summary.call_types.iter().find(|c| c.name == ct).map(|c| &c.stats),
    };
    let r = rebin(buckets, x_max);
    let denominator = match summary.service_level.definition {
        SlDefinition::Offered => stats.map_or(f64::NAN, |s| s.offered.mean * f64::from(summary.replications)),
        SlDefinition::Answered => r.answered,
    };
    let curve = if denominator > 0.0 {
        r.cumulative_counts.iter().map(|(x, n)| (*x, (n / denominator).min(1.0))).collect()
    } else {
        Vec::new()
    };
    (curve, r)
}

fn wait_chart(summary: &Summary, call_type: Option<&str>, x_max: f64) -> Chart {
    let (name, who, stats) = match call_type {
        None => ("wait_distribution".to_string(), "all calls".to_string(), Some(&summary.overall)),
        Some(ct) => (
            format!("wait_distribution_{}", file_safe(ct)),
            ct.to_string(),
            summary.call_types.iter().find(|c| c.name == ct).map(|c| &c.stats),
        ),
    };
    let target = summary.service_level.target;
    let (curve, r) = wait_curve(summary, call_type, x_max);
    let mut markers = Vec::new();
    if target.is_finite() {
        let sl = stats.map(|s| s.service_level).unwrap_or_default();
        let met = sl.mean >= summary.service_level.goal;
        markers.push(Marker {
            x: target,
            label: format!(
                "target {}: service level {} ({} goal {:.0}%)",
                seconds(target),
                percent_estimate(&sl),
                if met { "meets" } else { "misses" },
                summary.service_level.goal * 100.0
            ),
            color: if met { TARGET } else { MISS },
            on_curve: true,
        });
    }
    if let Some(p90) = stats.map(|s| s.wait_p90_s.mean).filter(|v| v.is_finite()) {
        markers.push(Marker {
            x: p90,
            label: format!("p90 wait {}", seconds(p90)),
            color: P90,
            on_curve: false,
        });
    }
    let mut notes = Vec::new();
    if r.answered > 0.0 {
        notes.push(format!(
            "answered at once (no wait): {:.1}% of answered calls, not drawn as a bar",
            r.at_once / r.answered * 100.0
        ));
    }
    if r.beyond > 0.0005 {
        notes.push(format!(
            "not shown: {:.1}% waited longer (longest {})",
            r.beyond * 100.0,
            seconds(r.longest)
        ));
    }
    let note = (!notes.is_empty()).then(|| notes.join("; "));
    let base = sl_meaning(summary);
    histogram(
        &name,
        HistogramChart {
            title: title(summary, &format!("wait before answer, {who}")),
            x_title: "wait before answer (s)".to_string(),
            y_title: "share of answered calls (%)".to_string(),
            y_format: ValueFormat::Percent,
            bins: r.bins,
            bar_labels: ("answered calls that waited, by wait".to_string(), "answered at once".to_string()),
            cumulative: Some(Cumulative {
                label: format!("answered within x, % {base} (as service level)"),
                y_title: "answered within x (%)".to_string(),
                points: curve,
            }),
            x_max: Some(x_max),
            markers,
            note,
            empty_note: format!("no answered calls for {who}"),
        },
    )
}

fn service_level_chart(summary: &Summary, axis: &IntervalAxis) -> Chart {
    let n = axis.len();
    let series: Vec<Series> = summary
        .call_types
        .iter()
        .enumerate()
        .map(|(idx, ct)| {
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
            Series::new(name, values).with_band(band).with_color(color_of(idx))
        })
        .collect();
    let sl = summary.service_level;
    let y_title = format!("service level (% {} answered within {})", sl_meaning(summary), seconds(sl.target));
    let goal = Goal { value: sl.goal, label: format!("goal {:.0}%", sl.goal * 100.0), mark_below: true };
    let chart = |title: String, y_title: String, series: Vec<Series>| IntervalChart {
        title,
        axis: axis.clone(),
        y_title,
        y_format: ValueFormat::Percent,
        series,
        goal: Some(goal.clone()),
        secondary: None,
        shade: Vec::new(),
        empty_note: "no interval has offered calls".to_string(),
    };
    let title = title(summary, "service level by interval");
    // Several days of several call types: one panel per call type, so lines do not cross.
    if axis.days() > 1 && series.len() > 1 {
        let stacked = series
            .into_iter()
            .map(|s| {
                let y = format!("{} (%)", s.name);
                (chart(title.clone(), y, vec![s]), Shape::Lines)
            })
            .collect();
        return panels("service_level", stacked);
    }
    interval_lines("service_level", chart(title, y_title, series))
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
            Series::new("abandoned", total(|s| s.abandoned)).with_color(MISS),
            Series::new("unanswered at close", total(|s| s.unanswered_at_close)).with_color(GREY),
        ],
    };
    let origin = BarPanel {
        y_title: "calls per interval, by origin".to_string(),
        stacks: vec![
            Series::new("fresh", total(|s| s.offered_fresh)).with_color([0, 114, 178]),
            Series::new("redials", total(|s| s.offered_redial)).with_color([230, 159, 0]),
            Series::new("repeats", total(|s| s.offered_repeat)).with_color([204, 121, 167]),
            Series::new("transfers", total(|s| s.offered_transfer)).with_color([86, 180, 233]),
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

/// Agents on duty and occupancy per group, each on its own axis in its own panel, one colour
/// per group in both.
fn group_series(summary: &Summary, n: usize) -> (Vec<Series>, Vec<Series>) {
    let index = grid_index(summary);
    let mut agents = Vec::new();
    let mut occupancy = Vec::new();
    for (idx, g) in summary.agent_groups.iter().enumerate() {
        let mut on_duty = vec![f64::NAN; n];
        let mut busy = vec![f64::NAN; n];
        for row in &g.intervals {
            if let Some(&i) = index.get(&(row.day, row.start.clone())).filter(|i| **i < n) {
                on_duty[i] = row.agents_on_duty.mean;
                busy[i] = row.occupancy.mean;
            }
        }
        agents.push(Series::new(g.name.clone(), on_duty).with_color(color_of(idx)));
        occupancy.push(Series::new(g.name.clone(), busy).with_color(color_of(idx)));
    }
    (agents, occupancy)
}

fn occupancy_chart(summary: &Summary, axis: &IntervalAxis, ctx: &ChartContext) -> Chart {
    let n = axis.len();
    let (agents, occupancy) = group_series(summary, n);
    let title = title(summary, "agents on duty and occupancy by interval");
    let top = IntervalChart {
        title: title.clone(),
        axis: axis.clone(),
        y_title: "agents on duty".to_string(),
        y_format: ValueFormat::Number,
        series: agents,
        goal: None,
        secondary: None,
        shade: Vec::new(),
        empty_note: "no agent group has agents on duty".to_string(),
    };
    let bottom = IntervalChart {
        y_title: "occupancy (%)".to_string(),
        y_format: ValueFormat::Percent,
        series: occupancy,
        goal: ctx.max_occupancy.map(|cap| Goal {
            value: cap,
            label: format!("occupancy cap {:.0}% (max_occupancy)", cap * 100.0),
            mark_below: false,
        }),
        ..top.clone()
    };
    panels("occupancy", vec![(top, Shape::Steps), (bottom, Shape::Lines)])
}

/// Service level of all call types together per interval, from the summary's interval totals.
fn total_service_level(summary: &Summary, n: usize) -> Vec<f64> {
    let index = grid_index(summary);
    let mut out = vec![f64::NAN; n];
    for t in &summary.interval_totals {
        if let Some(&i) = index.get(&(t.day, t.start.clone())).filter(|i| **i < n) {
            out[i] = t.stats.service_level.mean;
        }
    }
    out
}

fn service_level_heatmap(summary: &Summary, axis: &IntervalAxis) -> Chart {
    let sl = summary.service_level;
    heatmap(
        "service_level_heatmap",
        HeatmapChart {
            title: title(
                summary,
                &format!("service level by day and interval, goal {:.0}%", sl.goal * 100.0),
            ),
            axis: axis.clone(),
            values: total_service_level(summary, axis.len()),
            center: sl.goal,
            span: 0.2,
            higher_is_better: true,
            format: ValueFormat::Percent,
            sides: ("below goal".to_string(), "above goal".to_string()),
            blank_note: "blank: no calls offered".to_string(),
            empty_note: "no interval has offered calls".to_string(),
            parameters: None,
        },
    )
}

/// Occupancy of all groups together: each group's occupancy weighted by its agents on duty
/// (busy time over on-duty time, from the per-group figures).
fn occupancy_heatmap(summary: &Summary, axis: &IntervalAxis, ctx: &ChartContext) -> Chart {
    let n = axis.len();
    let (agents, occupancy) = group_series(summary, n);
    let values = (0..n)
        .map(|i| {
            let (mut busy, mut on_duty) = (0.0, 0.0);
            for (a, o) in agents.iter().zip(&occupancy) {
                let (a, o) = (a.values[i], o.values[i]);
                if a.is_finite() && o.is_finite() && a > 0.0 {
                    busy += a * o;
                    on_duty += a;
                }
            }
            if on_duty > 0.0 { busy / on_duty } else { f64::NAN }
        })
        .collect();
    let (center, reference) = match ctx.max_occupancy {
        Some(cap) => (cap, format!("cap {:.0}% (max_occupancy)", cap * 100.0)),
        None => (0.85, "85%, a common cap (the scenario sets none)".to_string()),
    };
    heatmap(
        "occupancy_heatmap",
        HeatmapChart {
            title: title(summary, &format!("occupancy by day and interval, against {reference}")),
            axis: axis.clone(),
            values,
            center,
            span: 0.25,
            higher_is_better: false,
            format: ValueFormat::Percent,
            sides: ("above".to_string(), "below".to_string()),
            blank_note: "blank: nobody on duty".to_string(),
            empty_note: "no agent group has agents on duty".to_string(),
            parameters: None,
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
        let r = rebin(&buckets, coverage_limit(&buckets, 20.0));
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
        let r = rebin(&buckets, 40.0);
        assert_eq!(r.bins[0].value, 0.0, "answered at once leaked into {:?}", r.bins[0]);
        assert_eq!(r.cumulative_counts[0], (0.0, 100.0));
    }

    #[test]
    fn rebinning_with_only_immediate_answers_still_has_a_scale() {
        let b = [bucket(0.0, 0.0, 10)];
        let r = rebin(&b, coverage_limit(&b, 20.0));
        assert!(!r.bins.is_empty());
        assert_eq!(r.beyond, 0.0);
        assert_eq!(r.cumulative_counts.last().map(|p| p.1), Some(10.0));
        assert!(rebin(&[], 20.0).bins.is_empty());
    }

    #[test]
    fn nice_widths_are_round() {
        assert_eq!(nice_width(0.7), 1.0);
        assert_eq!(nice_width(3.2), 5.0);
        assert_eq!(nice_width(12.0), 20.0);
        assert_eq!(nice_width(f64::NAN), 1.0);
    }
}
