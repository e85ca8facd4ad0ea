//! Every chart of every shipped scenario, checked from its own layout and SVG text rather than
//! from pixels: it renders in PNG and SVG, the tick labels of each axis are distinct and in
//! order, the legend never covers a plot or a data point, every text lies within the picture,
//! multi-day runs get their heat maps, and the wait curve at the target is the service level
//! the report states.

use std::path::Path;

use ccsim::compare::Comparison;
use ccsim::report::chart::layout::{Layout, Rect};
use ccsim::report::chart::simulation::{ChartContext, answered_within_curve, simulation_chart_set_with};
use ccsim::report::chart::{
    Chart, ChartFormat, SIZE, comparison::comparison_chart_set, staffing::staffing_chart_set,
};
use ccsim::report::schedule::{ScheduleReport, coverage_chart};
use ccsim::staffing::StaffingReport;
use ccsim::summary::Summary;

use crate::util::{ccsim, empty_dir, refusal_of};

const SCENARIOS: [&str; 5] =
    ["erlang-check", "retail-bank", "retail-bank-week", "single-queue", "support-24x7"];

fn json_of(args: &[&str]) -> String {
    let out = ccsim().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn summary(name: &str, replications: &str) -> Summary {
    let file = format!("scenarios/{name}.toml");
    serde_json::from_str(&json_of(&["simulate", &file, "-q", "-r", replications, "--format", "json"]))
        .unwrap()
}

/// `compare` of `plans` on `scenario`, two replications.
fn comparison(scenario: &str, plans: &[&str]) -> Comparison {
    let mut args = vec!["compare", scenario];
    for plan in plans {
        args.extend(["--plan", plan]);
    }
    args.extend(["-q", "-r", "2", "--format", "json"]);
    serde_json::from_str(&json_of(&args)).unwrap()
}

/// Every chart of every shipped scenario (few replications: the layout is what is checked).
fn every_chart() -> Vec<(String, Chart)> {
    let mut charts = Vec::new();
    for name in SCENARIOS {
        let weekday = (name == "retail-bank-week").then_some(0);
        let mut s = summary(name, "2");
        // The JSON leaves the weekday out; the labels are laid out with it.
        s.grid.first_weekday = weekday;
        let ctx = ChartContext { max_occupancy: Some(0.85), scenario_known: true, scheduled: None };
        charts.extend(simulation_chart_set_with(&s, &ctx).into_iter().map(|c| (name.to_string(), c)));
        let file = format!("scenarios/{name}.toml");
        let mut staff: StaffingReport = serde_json::from_str(&json_of(&[
            "staff", &file, "-q", "--method", "erlang-a", "--format", "json",
        ]))
        .unwrap();
        staff.grid.first_weekday = weekday;
        charts.extend(staffing_chart_set(&staff).into_iter().map(|c| (name.to_string(), c)));
    }
    let schedule: ScheduleReport = serde_json::from_str(&json_of(&[
        "schedule",
        "scenarios/retail-bank.toml",
        "-q",
        "-r",
        "2",
        "--method",
        "erlang-c",
        "--format",
        "json",
    ]))
    .unwrap();
    charts.push(("retail-bank".into(), coverage_chart(&schedule)));
    let compare = comparison(
        "scenarios/retail-bank.toml",
        &[
            "scenarios/plans/retail-bank-late.toml",
            "scenarios/plans/retail-bank-lean.toml",
            "scenarios/plans/retail-bank-split.csv",
        ],
    );
    charts.extend(comparison_chart_set(&compare).into_iter().map(|c| ("retail-bank".to_string(), c)));
    // Several channels: a panel per call type.
    let staffed = empty_dir("chart-layout", "omnichannel-plan");
    let out = staffed.to_str().unwrap();
    json_of(&["staff", "scenarios/omnichannel.toml", "-q", "--method", "erlang-c", "--out", out]);
    let compare =
        comparison("scenarios/omnichannel.toml", &[staffed.join("requirement.toml").to_str().unwrap()]);
    charts.extend(comparison_chart_set(&compare).into_iter().map(|c| ("omnichannel".to_string(), c)));
    let sweep: ccsim::sweep::Sweep = serde_json::from_str(&json_of(&[
        "sweep",
        "scenarios/retail-bank.toml",
        "-q",
        "-r",
        "2",
        "--vary",
        "volume=0.9,1.1",
        "--vary",
        "agents=-1..1",
        "--format",
        "json",
    ]))
    .unwrap();
    charts.push(("retail-bank".into(), ccsim::report::chart::sweep::sweep_chart(&sweep)));
    charts
}

/// One `<text>` of an SVG: anchor point, `text-anchor`, content.
#[derive(Debug)]
struct SvgText {
    x: i32,
    y: i32,
    anchor: String,
    text: String,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..start + tag[start..].find('"')?].to_string())
}

fn texts(svg: &str) -> Vec<SvgText> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text ") {
        rest = &rest[i..];
        let close = rest.find('>').unwrap();
        let tag = &rest[..close];
        let end = rest.find("</text>").unwrap();
        let text =
            rest[close + 1..end].trim().replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN) as i32;
        out.push(SvgText {
            x: num("x"),
            y: num("y"),
            anchor: attr(tag, "text-anchor").unwrap_or_default(),
            text,
        });
        rest = &rest[end..];
    }
    out
}

/// A tick label's value, when it is a number (`12,400`, `80%`, `1.5M`, `08:30`).
fn value_of(label: &str) -> Option<f64> {
    let t = label.trim().replace(',', "");
    if let Some((h, m)) = t.split_once(':') {
        return Some(h.parse::<f64>().ok()? * 60.0 + m.parse::<f64>().ok()?);
    }
    let (t, scale) = match t.strip_suffix('M') {
        Some(t) => (t.to_string(), 1e6),
        None => (t.trim_end_matches('%').to_string(), 1.0),
    };
    t.parse::<f64>().ok().map(|v| v * scale)
}

/// The tick labels of each axis: per plot, the labels right under it (x) and left of it (y).
fn axes(svg: &str, layout: &Layout) -> Vec<(String, Vec<String>)> {
    let texts = texts(svg);
    let mut axes = Vec::new();
    for (k, p) in layout.plots.iter().enumerate() {
        let mut x: Vec<&SvgText> = texts
            .iter()
            .filter(|t| {
                t.anchor == "middle" && t.y > p.y1 && t.y <= p.y1 + 16 && t.x >= p.x0 - 2 && t.x <= p.x1 + 2
            })
            .collect();
        x.sort_by_key(|t| t.x);
        let mut y: Vec<&SvgText> = texts
            .iter()
            .filter(|t| {
                t.anchor == "end" && t.x < p.x0 && t.x >= p.x0 - 40 && t.y >= p.y0 - 12 && t.y <= p.y1 + 12
            })
            .collect();
        y.sort_by_key(|t| t.y);
        axes.push((format!("plot {k} x"), x.iter().map(|t| t.text.clone()).collect()));
        axes.push((format!("plot {k} y"), y.iter().map(|t| t.text.clone()).collect()));
    }
    axes
}

fn check_axis(labels: &[String], x_axis: bool) -> Result<(), String> {
    // Neighbours always differ (several days repeat clock times, one day after the other).
    if let Some(w) = labels.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!("repeated label {:?} in {labels:?}", w[0]));
    }
    let values: Vec<f64> = labels.iter().filter_map(|l| value_of(l)).collect();
    if values.len() == labels.len() && labels.len() > 1 {
        let wraps = values.windows(2).filter(|w| if x_axis { w[1] <= w[0] } else { w[1] >= w[0] }).count();
        // x: clock times may wrap once a day; y labels top to bottom always fall.
        let clock = labels.iter().all(|l| l.contains(':'));
        if wraps > 0 && !(x_axis && clock) {
            return Err(format!("labels out of order: {labels:?}"));
        }
    }
    Ok(())
}

#[test]
fn the_tick_check_catches_repeated_and_unordered_labels() {
    let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(check_axis(&l(&["11k", "11k", "12k"]), true).is_err());
    assert!(check_axis(&l(&["0", "20", "10"]), true).is_err());
    assert!(check_axis(&l(&["100%", "50%", "80%"]), false).is_err());
    assert!(check_axis(&l(&["08:00", "14:00", "08:00", "14:00"]), true).is_ok());
    assert!(check_axis(&l(&["10,500", "11,000", "11,500"]), true).is_ok());
}

#[test]
fn every_chart_of_every_shipped_scenario_renders_with_ordered_distinct_ticks_and_a_legend_clear_of_data() {
    let charts = every_chart();
    let dir = empty_dir("chart-layout", "png");
    let mut failures = Vec::new();
    let inside =
        |r: &Rect, p: (i32, i32)| r.x0 - 4 <= p.0 && p.0 <= r.x1 + 4 && r.y0 - 4 <= p.1 && p.1 <= r.y1 + 4;
    for (scenario, chart) in &charts {
        let who = format!("{scenario}/{}", chart.name);
        let (svg, layout) = chart.svg_and_layout().unwrap();
        if svg.contains("no data") {
            continue;
        }
        assert!(!layout.plots.is_empty(), "{who}: no plot area recorded");
        for (axis, labels) in axes(&svg, &layout) {
            if let Err(e) = check_axis(&labels, axis.ends_with('x')) {
                failures.push(format!("{who} {axis}: {e}"));
            }
        }
        if layout.title.is_empty() || layout.title.iter().any(|t| t.x0 < 0 || t.x1 > SIZE.0 as i32) {
            failures.push(format!("{who}: title {:?} not within the picture", layout.title));
        }
        if let Some(legend) = &layout.legend {
            if let Some(p) = layout.plots.iter().find(|p| p.overlaps(legend)) {
                failures.push(format!("{who}: legend {legend:?} overlaps plot {p:?}"));
            }
            if let Some(pt) = layout.points.iter().find(|p| legend.contains(**p)) {
                failures.push(format!("{who}: legend covers data point {pt:?}"));
            }
        }
        if let Some(pt) = layout.points.iter().find(|pt| !layout.plots.iter().any(|r| inside(r, **pt))) {
            failures.push(format!("{who}: data point {pt:?} outside every plot"));
        }
        let canvas = Rect { x0: 0, y0: 0, x1: SIZE.0 as i32, y1: SIZE.1 as i32 };
        if let Some(l) = layout.labels.iter().find(|l| l.x0 < canvas.x0 || l.x1 > canvas.x1) {
            failures.push(format!("{who}: label {l:?} leaves the picture"));
        }
        // And the PNG of the same chart.
        let paths = ccsim::report::chart::write_charts(
            std::slice::from_ref(chart),
            &dir.join(scenario),
            ChartFormat::Png,
        )
        .unwrap();
        crate::charts::assert_pngs_ok(
            &dir.join(scenario),
            &[paths[0].file_name().unwrap().to_string_lossy().into()],
        );
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn multi_day_runs_produce_heat_maps_and_one_day_runs_do_not() {
    let week = empty_dir("chart-layout", "week");
    ccsim()
        .args(["simulate", "scenarios/retail-bank-week.toml", "-q", "-r", "2", "--charts"])
        .arg(&week)
        .assert()
        .success();
    ccsim()
        .args(["staff", "scenarios/retail-bank-week.toml", "-q", "--method", "erlang-a", "--charts"])
        .arg(&week)
        .assert()
        .success();
    for name in
        ["service_level_heatmap.png", "occupancy_heatmap.png", "staffing_heatmap.png", "waterfall.png"]
    {
        assert!(week.join(name).exists(), "{name} missing");
    }
    let week_svg = empty_dir("chart-layout", "week-svg");
    ccsim()
        .args([
            "simulate",
            "scenarios/retail-bank-week.toml",
            "-q",
            "-r",
            "2",
            "--chart-format",
            "svg",
            "--charts",
        ])
        .arg(&week_svg)
        .assert()
        .success();
    let heat = std::fs::read_to_string(week_svg.join("service_level_heatmap.svg")).unwrap();
    assert!(heat.contains(">\nMon\n<") && heat.contains(">\nSat\n<"), "first_weekday names the rows");
    let day = empty_dir("chart-layout", "day");
    ccsim()
        .args(["simulate", "scenarios/retail-bank.toml", "-q", "-r", "2", "--charts"])
        .arg(&day)
        .assert()
        .success();
    assert!(!day.join("service_level_heatmap.png").exists());
}

fn curve_at(points: &[(f64, f64)], x: f64) -> f64 {
    points
        .windows(2)
        .find(|w| w[0].0 <= x && x <= w[1].0)
        .map(|w| w[0].1 + (w[1].1 - w[0].1) * (x - w[0].0) / (w[1].0 - w[0].0))
        .unwrap()
}

#[test]
fn the_wait_curve_at_the_target_is_the_service_level_under_the_same_definition() {
    // retail-bank has patience, so answered-within-target over answered calls (what the curve
    // showed before) is well above the service level over offered calls.
    let s = summary("retail-bank", "30");
    let sl = s.overall.service_level;
    let curve = answered_within_curve(&s, None);
    let target = s.service_level.target;
    let answered_share = s.overall.service_level_answered.mean;
    assert!(answered_share - sl.mean > 3.0 * sl.half_width, "the scenario cannot tell the definitions apart");
    // At the target the curve is the service level itself, where the chart puts its dot.
    assert_eq!(curve_at(&curve, target), sl.mean);
    // Just below it, from the buckets alone, it divides by the offered calls too: near the
    // service level, rising to it, far from the share of answered calls.
    let before = curve.iter().rev().find(|(x, _)| *x < target).unwrap();
    assert!(before.0 >= 0.8 * target, "the point before the target is too far to judge: {before:?}");
    assert!(
        before.1 <= sl.mean && sl.mean - before.1 < (answered_share - sl.mean) / 2.0,
        "{before:?} vs {sl:?}"
    );
}

/// The contacts the service level leaves out (emails still inside their target when the run
/// ends; callback customers its rule leaves out) are out of the curve's denominator too, so at
/// the target it reads the service level its label states: the omnichannel email curve read
/// 96.6% at 12 h under a label of 99.6%.
#[test]
fn the_wait_curve_leaves_out_the_contacts_the_service_level_leaves_out() {
    for (scenario, call_type) in [("omnichannel", "email"), ("telco-lines", "support")] {
        let s = summary(scenario, "10");
        let d = s.wait_distribution.iter().find(|d| d.call_type.as_deref() == Some(call_type)).unwrap();
        let stats = &s.call_types.iter().find(|c| c.name == call_type).unwrap().stats;
        let offered = stats.offered.mean * f64::from(s.replications);
        assert!(
            d.offered_not_judged as f64 > 0.01 * offered,
            "{scenario}: the case leaves out too few to tell"
        );
        let target = s.goals().of(call_type).target;
        let sl = stats.service_level;
        let at_target = curve_at(&answered_within_curve(&s, Some(call_type)), target);
        // The curve pools the replications and its buckets are up to 0.8% wide: within the
        // service level's confidence interval, widened by what one bucket can hold.
        let bucket = 0.008 * target;
        let within = |x: f64| curve_at(&answered_within_curve(&s, Some(call_type)), x);
        let slack = sl.half_width + (within(target + bucket) - within(target - bucket)).abs();
        assert!(
            (at_target - sl.mean).abs() <= slack,
            "{scenario} {call_type}: curve {at_target:.4} at the target, service level {sl:?}"
        );
    }
}

#[test]
fn every_wait_chart_of_a_run_shares_one_x_range() {
    let s = summary("support-24x7", "2");
    let charts = simulation_chart_set_with(&s, &ChartContext::default());
    let last_ticks: Vec<String> = charts
        .iter()
        .filter(|c| c.name.starts_with("wait_distribution"))
        .map(|c| {
            let (svg, layout) = c.svg_and_layout().unwrap();
            let axes = axes(&svg, &layout);
            axes.iter().rev().find(|(a, l)| a.ends_with('x') && !l.is_empty()).unwrap().1.join(" ")
        })
        .collect();
    assert!(last_ticks.len() >= 3);
    assert!(last_ticks.windows(2).all(|w| w[0] == w[1]), "{last_ticks:#?}");
}

#[test]
fn a_bad_first_weekday_is_named_with_the_allowed_days() {
    let dir = empty_dir("chart-layout", "weekday");
    let text = std::fs::read_to_string("scenarios/single-queue.toml").unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        text.replacen("start = \"08:00\"", "start = \"08:00\"\nfirst_weekday = \"mnday\"", 1),
    )
    .unwrap();
    let stderr = refusal_of(ccsim().arg("validate").arg(&bad));
    assert!(stderr.contains("first_weekday") && stderr.contains("monday, tuesday"), "{stderr}");
    let _ = Path::new(&bad);
}

/// A title wider than the picture is set smaller and wrapped at spaces, never cut at both
/// edges: the risk curve's title carries the scenario's name, of any length. A name that
/// fits in three lines keeps every word; a longer one ends its third line in `…`.
#[test]
fn a_long_title_is_wrapped_within_the_picture() {
    let json = json_of(&[
        "risk",
        "scenarios/single-queue.toml",
        "-q",
        "-r",
        "2",
        "--agents-range",
        "20..21",
        "--format",
        "json",
    ]);
    let mut curve: ccsim::risk::RiskCurve = serde_json::from_str(&json).unwrap();
    let words = |n: usize| (1..=n).map(|k| format!("word{k}")).collect::<Vec<_>>().join(" ");
    for (name, lines, whole) in [
        ("Short".to_string(), 1, true),
        (words(8), 2, true),
        (words(60), 3, false),
        ("x".repeat(400), 2, false),
    ] {
        curve.scenario = name.clone();
        let (svg, layout) = ccsim::report::chart::risk::risk_chart(&curve, None).svg_and_layout().unwrap();
        // The title's lines, then the one of its subtitle (plan, replications, seed).
        assert_eq!(layout.title.len(), lines + 1, "{name}: {:?}", layout.title);
        for t in &layout.title {
            assert!(0 <= t.x0 && t.x1 <= SIZE.0 as i32, "{name}: {t:?}");
        }
        for pair in layout.title.windows(2) {
            assert!(pair[0].y1 <= pair[1].y0, "{name}: lines overlap {pair:?}");
        }
        let plot_top = layout.plots.iter().map(|p| p.y0).min().unwrap();
        assert!(layout.title.iter().all(|t| t.y1 <= plot_top), "{name}: the title runs into the plot");
        assert_eq!(svg.contains('…'), !whole, "{name}");
        if whole {
            let last = name.rsplit(' ').next().unwrap();
            assert!(svg.contains(&format!("{last}:")), "{name}: the last word is drawn");
        }
    }
}

/// The embedded font's advance of `text` at `font_size` pixels per em, kerning included: how
/// wide an SVG viewer with DejaVu Sans (or Verdana, of the same widths) sets it, and how wide
/// the PNG's typesetter draws it.
fn text_width(text: &str, font_size: f64) -> f64 {
    use ab_glyph::{Font, FontRef};
    let font = FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans.ttf")).unwrap();
    let per_unit = font_size / f64::from(font.units_per_em().unwrap());
    let mut units = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            units += f64::from(font.kern_unscaled(p, id));
        }
        units += f64::from(font.h_advance_unscaled(id));
        prev = Some(id);
    }
    units * per_unit
}

/// The text of an SVG element, its entities decoded.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Where a `<text>` of an SVG is set: (left, top, right, bottom) in pixels, from its anchor
/// point, `text-anchor`, `dy`, its font size and its width ([`text_width`]); text turned by
/// `rotate(270)` runs upwards from its anchor.
pub(crate) fn text_box(tag: &str, text: &str) -> (f64, f64, f64, f64) {
    let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok()).unwrap();
    let (x, y, em) = (num("x"), num("y"), num("font-size"));
    let w = text_width(text, em);
    // Along the line, from the anchor.
    let (start, end) = match attr(tag, "text-anchor").as_deref() {
        Some("middle") => (-w / 2.0, w / 2.0),
        Some("end") => (-w, 0.0),
        _ => (0.0, w),
    };
    // Across it, from the anchor: DejaVu Sans rises 0.76 em above its baseline at most and
    // falls 0.24 em below it.
    let baseline = match attr(tag, "dy").as_deref() {
        Some("0.76em") => 0.76 * em,
        Some("0.5ex") => 0.27 * em,
        Some("-0.5ex") => -0.27 * em,
        _ => 0.0,
    };
    let (above, below) = (baseline - 0.76 * em, baseline + 0.24 * em);
    match attr(tag, "transform") {
        Some(t) if t.starts_with("rotate(270") => (x + above, y - end, x + below, y - start),
        Some(t) if t.starts_with("rotate(90") => (x - below, y + start, x - above, y + end),
        Some(t) => panic!("a text turned as {t}: {text}"),
        None => (x + start, y + above, x + end, y + below),
    }
}

/// Every text of `svg` (one chart, the `<svg>` element first) that is not wholly inside its
/// picture, with where it is set.
fn texts_outside(svg: &str) -> Vec<String> {
    let root = &svg[svg.find("<svg").unwrap()..];
    let root_tag = &root[..root.find('>').unwrap()];
    let size = |n: &str| attr(root_tag, n).unwrap().parse::<f64>().unwrap();
    let (width, height) = (size("width"), size("height"));
    let mut out = Vec::new();
    let mut rest = root;
    while let Some(i) = rest.find("<text ") {
        rest = &rest[i..];
        let close = rest.find('>').unwrap();
        let end = rest.find("</text>").unwrap();
        let tag = &rest[..close];
        let text = unescape(rest[close + 1..end].trim());
        let (x0, y0, x1, y1) = text_box(tag, &text);
        // Half a pixel of slack for rounding the anchor to whole pixels.
        if x0 < -0.5 || y0 < -0.5 || x1 > width + 0.5 || y1 > height + 0.5 {
            out.push(format!("{text:?} at x {x0:.0}..{x1:.0}, y {y0:.0}..{y1:.0} of {width}x{height}"));
        }
        rest = &rest[end..];
    }
    out
}

/// Every chart a shipped scenario gives, as SVG: (where it comes from, the SVG). The charts
/// of `simulate` for every scenario in `scenarios/`, with its HTML report's charts (drawn on
/// a smaller canvas), and the charts of `staff`, `schedule`, `compare`, `risk` and `sweep`.
fn every_svg() -> Vec<(String, String)> {
    let dir = empty_dir("chart-layout", "every-svg");
    let svg = ["--chart-format", "svg", "--charts"];
    let mut runs: Vec<(String, Vec<String>)> = Vec::new();
    let mut scenarios: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 8, "{scenarios:?}");
    let args = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    for file in &scenarios {
        let name = Path::new(file).file_stem().unwrap().to_string_lossy().into_owned();
        let report = dir.join(format!("{name}.html")).to_string_lossy().into_owned();
        runs.push((
            format!("simulate {name}"),
            args(&["simulate", file, "-q", "-r", "2", "--report", &report]),
        ));
        runs.push((format!("staff {name}"), args(&["staff", file, "-q", "--method", "erlang-c"])));
    }
    let bank = "scenarios/retail-bank.toml";
    runs.push(("schedule".into(), args(&["schedule", bank, "-q", "-r", "2", "--method", "erlang-c"])));
    runs.push((
        "compare".into(),
        args(&["compare", bank, "--plan", "scenarios/plans/retail-bank-late.toml", "-q", "-r", "2"]),
    ));
    runs.push(("risk".into(), args(&["risk", bank, "-q", "-r", "2", "--agents-range", "44..46"])));
    for file in [bank, "scenarios/omnichannel.toml"] {
        runs.push((
            format!("sweep {file}"),
            args(&["sweep", file, "-q", "-r", "2", "--vary", "volume=0.9,1.1", "--vary", "agents=-1..1"]),
        ));
    }
    let mut svgs = Vec::new();
    for (k, (who, args)) in runs.iter().enumerate() {
        let charts = dir.join(format!("run-{k}"));
        let out = ccsim().args(args).args(svg).arg(&charts).output().unwrap();
        assert!(out.status.success(), "{who}: {}", String::from_utf8_lossy(&out.stderr));
        let mut files: Vec<_> = std::fs::read_dir(&charts).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        assert!(!files.is_empty(), "{who} drew no chart");
        for file in files {
            let chart = file.file_name().unwrap().to_string_lossy().into_owned();
            svgs.push((format!("{who}: {chart}"), std::fs::read_to_string(&file).unwrap()));
        }
        if let Some(at) = args.iter().position(|a| a == "--report") {
            let html = std::fs::read_to_string(&args[at + 1]).unwrap();
            for (n, part) in html.split("<svg").skip(1).enumerate() {
                let end = part.find("</svg>").unwrap();
                svgs.push((format!("{who}: report chart {}", n + 1), format!("<svg{}", &part[..end])));
            }
        }
    }
    svgs
}

/// Every text of every chart the shipped scenarios give lies within its picture, judged from
/// the SVG: where each text is anchored and how wide the font sets it. A legend entry or a
/// note wider than the picture is wrapped, never cut at both edges.
#[test]
fn every_text_of_every_shipped_scenarios_charts_lies_within_the_picture() {
    let svgs = every_svg();
    let mut failures = Vec::new();
    for (who, svg) in &svgs {
        failures.extend(texts_outside(svg).into_iter().map(|t| format!("{who}: {t}")));
    }
    assert!(failures.is_empty(), "{} texts leave their picture:\n{}", failures.len(), failures.join("\n"));
}

/// The check can fail: a text anchored at the left edge and set past the right one is
/// caught, as is a turned axis title reaching above the top.
#[test]
fn the_text_check_catches_a_text_leaving_the_picture() {
    let chart =
        |text: &str| format!("<svg width=\"300\" height=\"200\" viewBox=\"0 0 300 200\">\n{text}\n</svg>",);
    let line = |x: i32, anchor: &str, words: &str| {
        format!(
            "<text x=\"{x}\" y=\"100\" dy=\"0.5ex\" text-anchor=\"{anchor}\" font-size=\"13.7\">\n{words}\n</text>"
        )
    };
    assert!(texts_outside(&chart(&line(150, "middle", "fits"))).is_empty());
    assert_eq!(texts_outside(&chart(&line(150, "middle", &"wide ".repeat(20)))).len(), 1);
    assert_eq!(texts_outside(&chart(&line(0, "end", "left"))).len(), 1);
    let turned = "<text x=\"15\" y=\"20\" dy=\"0.76em\" text-anchor=\"middle\" font-size=\"16\" \
                  transform=\"rotate(270, 15, 20)\">\nshare of answered calls (%)\n</text>";
    assert_eq!(texts_outside(&chart(turned)).len(), 1);
}

/// A legend entry wider than the picture is wrapped at spaces into lines within it, every word
/// kept, and the legend strip grows to hold them clear of the plot; a word wider than the
/// picture on its own ends in `…`. A point's label too wide for the plot beside it is wrapped
/// too. Drawn at both canvas sizes.
#[test]
fn a_long_legend_entry_or_point_label_is_wrapped_within_the_picture() {
    use ccsim::report::chart::{LabelledPoint, REPORT_SIZE, ScatterChart, ValueFormat, scatter};
    let words = (1..=45).map(|k| format!("word{k}")).collect::<Vec<_>>().join(" ");
    let long = "x".repeat(300);
    let point = |label: &str, x: f64| LabelledPoint { label: label.to_string(), x, y: 0.5, y_band: None };
    let chart = |series: &str, labels: [&str; 2]| {
        scatter(
            "legend",
            ScatterChart {
                title: "test: long texts".to_string(),
                x_title: "x".to_string(),
                x_format: ValueFormat::Number,
                y_title: "y".to_string(),
                y_format: ValueFormat::Percent,
                points: vec![point(labels[0], 1.0), point(labels[1], 2.0)],
                series: Some(series.to_string()),
                goal: None,
                x_reference: None,
                empty_note: "none".to_string(),
            },
        )
    };
    let height = |r: Rect| r.y1 - r.y0;
    let one_line = height(chart("short", ["", ""]).svg_and_layout().unwrap().1.legend.unwrap());
    for size in [SIZE, REPORT_SIZE] {
        let (svg, layout) = chart(&format!("{words} {long}"), ["", ""]).svg_sized(size).unwrap();
        assert_eq!(texts_outside(&svg), Vec::<String>::new(), "{size:?}");
        let texts: Vec<String> = crate::util::svg_texts(&svg).iter().map(|t| unescape(t)).collect();
        let lines: Vec<&String> = texts.iter().filter(|t| t.starts_with("word")).collect();
        assert!(lines.len() >= 2, "{size:?}: not wrapped: {texts:#?}");
        let kept: Vec<&str> = lines.iter().flat_map(|t| t.split(' ')).collect();
        assert_eq!(kept.join(" "), words, "{size:?}: {texts:#?}");
        assert!(texts.iter().any(|t| t.starts_with("xxx") && t.ends_with('…')), "{size:?}: {texts:#?}");
        let legend = layout.legend.unwrap();
        assert!(layout.plots.iter().all(|p| !p.overlaps(&legend)), "{size:?}: {layout:?}");
        assert!(height(legend) >= one_line + 3 * 20, "{size:?}: the strip did not grow: {legend:?}");

        let (svg, layout) = chart("plans", [&words, &words]).svg_sized(size).unwrap();
        assert_eq!(texts_outside(&svg), Vec::<String>::new(), "{size:?}");
        let plot = layout.plots[0];
        for label in &layout.labels {
            assert!(plot.x0 <= label.x0 && label.x1 <= plot.x1, "{size:?}: {label:?} leaves {plot:?}");
        }
    }
}

/// A sweep heat map of a hundred rows labels every few rows, never printing one row's value
/// over the next; a few rows are each labelled.
#[test]
fn a_heat_map_of_many_rows_labels_them_without_overlap() {
    for (values, rows) in [("0.5..1.49:0.01", 100), ("0.9..1.1:0.1", 3)] {
        let sweep: ccsim::sweep::Sweep = serde_json::from_str(&json_of(&[
            "sweep",
            "scenarios/single-queue.toml",
            "-q",
            "-r",
            "1",
            "--vary",
            "volume=0.9,1.1",
            "--vary",
            &format!("handle_time={values}"),
            "--format",
            "json",
        ]))
        .unwrap();
        let svg = ccsim::report::chart::sweep::sweep_chart(&sweep).to_svg().unwrap();
        // Row labels: the numbers right-anchored left of the grid.
        let mut ys: Vec<i32> = texts(&svg)
            .into_iter()
            .filter(|t| t.anchor == "end" && t.text.parse::<f64>().is_ok())
            .map(|t| t.y)
            .collect();
        ys.sort_unstable();
        assert!(ys.len() >= 3 && (rows > 3 || ys.len() == rows), "{rows} rows: {ys:?}");
        assert!(ys.windows(2).all(|w| w[1] - w[0] >= 14), "{rows} rows: labels overlap: {ys:?}");
    }
}
