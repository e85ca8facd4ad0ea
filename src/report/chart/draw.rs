//! The drawing code: one function per chart kind, generic over the plotters backend so PNG and
//! SVG come out of the same code.
//!
//! Every chart has the same frame: the title on top, the plot, and the legend in its own strip
//! below the plot, so the legend never covers data. Undefined values (NaN) leave gaps; a chart
//! with nothing finite to show becomes an empty frame with a note.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{BarsChart, Body, HistogramChart, IntervalChart, ScatterChart, Shape, ValueFormat};

/// Colour-blind-friendly palette (Tableau 10) without its red, which marks misses.
const PALETTE: [[u8; 3]; 9] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [148, 103, 189],
    [140, 86, 75],
    [227, 119, 194],
    [188, 189, 34],
    [23, 190, 207],
    [127, 127, 127],
];
const MISS: RGBColor = RGBColor(214, 39, 40);
const GOAL: RGBColor = RGBColor(60, 60, 60);
const FONT: &str = "sans-serif";
const TITLE_SIZE: u32 = 30;
const LABEL_SIZE: u32 = 17;
const AXIS_TITLE_SIZE: u32 = 20;
const LEGEND_SIZE: u32 = 17;
const LEGEND_ROW: u32 = 28;

type Area<DB> = DrawingArea<DB, Shift>;

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("cannot draw chart: {e}")
}

fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

fn palette(idx: usize, fixed: Option<[u8; 3]>) -> RGBColor {
    rgb(fixed.unwrap_or(PALETTE[idx % PALETTE.len()]))
}

/// Draws `body` on `root`.
pub(super) fn draw<DB: DrawingBackend>(root: &Area<DB>, body: &Body) -> anyhow::Result<()> {
    root.fill(&WHITE).map_err(err)?;
    match body {
        Body::Intervals(chart, shape) => intervals(root, chart, *shape),
        Body::Bars(chart) => bars(root, chart),
        Body::Scatter(chart) => scatter(root, chart),
        Body::Histogram(chart) => histogram(root, chart),
    }
}

/// How a legend entry is drawn.
enum Mark {
    Line(RGBColor),
    Dashed(RGBColor),
    LineDot(RGBColor),
    Dot(RGBColor),
    Ring(RGBColor),
    Fill(RGBAColor),
    Text,
}

struct Entry {
    mark: Mark,
    text: String,
}

fn entry(mark: Mark, text: impl Into<String>) -> Entry {
    Entry { mark, text: text.into() }
}

/// Draws the title and the legend strip, and returns the area left for the plot.
fn frame<DB: DrawingBackend>(root: &Area<DB>, title: &str, legend: &[Entry]) -> anyhow::Result<Area<DB>> {
    let body = root.titled(title, (FONT, TITLE_SIZE)).map_err(err)?;
    let (width, height) = body.dim_in_pixel();
    let font: TextStyle = (FONT, LEGEND_SIZE).into();
    // Lay the entries out in rows, wrapping at the strip's width.
    let mut rows: Vec<Vec<(&Entry, u32)>> = vec![Vec::new()];
    let mut row_width = 0;
    for e in legend {
        let (text_w, _) = body.estimate_text_size(&e.text, &font).map_err(err)?;
        let w = if matches!(e.mark, Mark::Text) { text_w } else { 34 + text_w } + 28;
        if row_width + w > width.saturating_sub(40) && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            row_width = 0;
        }
        row_width += w;
        if let Some(row) = rows.last_mut() {
            row.push((e, w));
        }
    }
    let rows: Vec<_> = rows.into_iter().filter(|r| !r.is_empty()).collect();
    let strip = if rows.is_empty() { 0 } else { rows.len() as u32 * LEGEND_ROW + 12 };
    let (plot, strip_area) = body.split_vertically(height.saturating_sub(strip));
    for (r, row) in rows.iter().enumerate() {
        let total: u32 = row.iter().map(|(_, w)| w).sum();
        let mut x = (width.saturating_sub(total) / 2) as i32;
        let y = (r as u32 * LEGEND_ROW + LEGEND_ROW / 2 + 4) as i32;
        for (e, w) in row {
            let text_x = match &e.mark {
                Mark::Text => x,
                mark => {
                    draw_mark(&strip_area, mark, x, y)?;
                    x + 34
                }
            };
            let style = font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
            strip_area.draw(&Text::new(e.text.clone(), (text_x, y), style)).map_err(err)?;
            x += *w as i32;
        }
    }
    Ok(plot)
}

fn draw_mark<DB: DrawingBackend>(area: &Area<DB>, mark: &Mark, x: i32, y: i32) -> anyhow::Result<()> {
    let line = |c: &RGBColor| PathElement::new(vec![(x, y), (x + 28, y)], c.stroke_width(3));
    match mark {
        Mark::Line(c) => area.draw(&line(c)).map_err(err)?,
        Mark::Dashed(c) => {
            for k in 0..3 {
                let x0 = x + k * 11;
                area.draw(&PathElement::new(vec![(x0, y), (x0 + 6, y)], c.stroke_width(3))).map_err(err)?;
            }
        }
        Mark::LineDot(c) => {
            area.draw(&line(c)).map_err(err)?;
            area.draw(&Circle::new((x + 14, y), 5, c.filled())).map_err(err)?;
        }
        Mark::Dot(c) => area.draw(&Circle::new((x + 14, y), 7, c.filled())).map_err(err)?,
        Mark::Ring(c) => area.draw(&Circle::new((x + 14, y), 7, c.stroke_width(2))).map_err(err)?,
        Mark::Fill(c) => {
            area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], c.filled())).map_err(err)?
        }
        Mark::Text => {}
    }
    Ok(())
}

/// An empty plot with a note in the middle, for charts with nothing to show.
fn empty<DB: DrawingBackend>(root: &Area<DB>, title: &str, note: &str) -> anyhow::Result<()> {
    let plot = frame(root, title, &[])?.margin(20, 30, 40, 40);
    let (w, h) = plot.dim_in_pixel();
    plot.draw(&Rectangle::new([(0, 0), (w as i32 - 1, h as i32 - 1)], BLACK.mix(0.3).stroke_width(1)))
        .map_err(err)?;
    let style = (FONT, 24).into_font().color(&BLACK.mix(0.7)).pos(Pos::new(HPos::Center, VPos::Center));
    plot.draw(&Text::new(format!("no data: {note}"), (w as i32 / 2, h as i32 / 2), style)).map_err(err)?;
    Ok(())
}

/// Tick label of a value.
fn format_value(v: f64, format: ValueFormat, span: f64) -> String {
    match format {
        ValueFormat::Percent => format!("{:.0}%", v * 100.0),
        ValueFormat::Number if span < 5.0 => format!("{v:.1}"),
        ValueFormat::Number => {
            let r = v.round();
            if r.abs() >= 10_000.0 { format!("{:.0}k", r / 1000.0) } else { format!("{r:.0}") }
        }
    }
}

/// A y range covering `values` (finite ones) from zero, with head room; shares get 0..100%.
fn y_range(values: impl Iterator<Item = f64>, format: ValueFormat) -> (f64, f64) {
    if format == ValueFormat::Percent {
        return (0.0, 1.04);
    }
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo <= 0.0 { (lo, lo + 1.0) } else { (lo, hi + 0.1 * (hi - lo)) }
}

/// Which intervals get an x label: every `step`-th, with `step` a divisor or a multiple of a
/// day so labels fall on the same clock times every day, and few enough not to collide.
fn x_ticks(labels: &[String], per_day: usize) -> Vec<f64> {
    let n = labels.len();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(5);
    // About 9.5 px per character at the label size, plus a gap, on a ~1000 px wide plot.
    let fit = (1000.0 / (longest as f64 * 9.5 + 24.0)).floor().max(2.0) as usize;
    let mut steps: Vec<usize> = if n > per_day {
        (1..=per_day).filter(|s| per_day % s == 0).chain((2..=n).map(|k| k * per_day)).collect()
    } else {
        [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 192, 384].into_iter().collect()
    };
    steps.push(n.max(1));
    let step = steps.into_iter().find(|s| n.div_ceil(*s) <= fit).unwrap_or(n.max(1));
    (0..n).step_by(step.max(1)).map(|i| i as f64).collect()
}

/// The x axis of by-interval charts: `0..n` in intervals, with labels only at the chosen
/// interval starts (plotters' own tick choice would land between interval starts).
struct IntervalCoord {
    n: f64,
    ticks: Vec<f64>,
}

impl Ranged for IntervalCoord {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = if self.n > 0.0 { value / self.n } else { 0.0 };
        limit.0 + ((limit.1 - limit.0) as f64 * share + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.clone() }
    }

    fn range(&self) -> std::ops::Range<f64> {
        0.0..self.n
    }
}

/// Maximal runs of consecutive indices where `ok` holds.
fn runs(n: usize, ok: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        match (i < n && ok(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn intervals<DB: DrawingBackend>(root: &Area<DB>, c: &IntervalChart, shape: Shape) -> anyhow::Result<()> {
    let n = c.axis.len();
    let secondary = c.secondary.as_ref();
    let finite = |s: &super::Series| s.values.iter().take(n).any(|v| v.is_finite());
    let has_data = c.series.iter().any(finite) || secondary.is_some_and(|a| a.series.iter().any(finite));
    if n == 0 || !has_data {
        return empty(root, &c.title, &c.empty_note);
    }

    let mut legend = Vec::new();
    for (i, s) in c.series.iter().enumerate() {
        legend.push(entry(Mark::Line(palette(i, s.color)), &s.name));
    }
    if let Some(a) = secondary {
        for (i, s) in a.series.iter().enumerate() {
            legend.push(entry(Mark::LineDot(palette(i, s.color)), format!("{} (right axis)", s.name)));
        }
    }
    if c.series.iter().any(|s| s.band.is_some()) {
        legend.push(entry(Mark::Fill(BLACK.mix(0.15)), "shaded: 95% confidence interval"));
    }
    let misses = |i: usize| {
        c.goal.as_ref().is_some_and(|g| {
            g.mark_below && c.series.iter().any(|s| s.values.get(i).is_some_and(|v| *v < g.value))
        })
    };
    if let Some(g) = &c.goal {
        legend.push(entry(Mark::Dashed(GOAL), &g.label));
        if g.mark_below && (0..n).any(misses) {
            legend.push(entry(Mark::Ring(MISS), "below goal"));
        }
    }
    let plot = frame(root, &c.title, &legend)?;

    let bands = c.series.iter().filter_map(|s| s.band.as_ref()).flatten().flat_map(|(l, h)| [*l, *h]);
    let values = c.series.iter().flat_map(|s| s.values.iter().copied());
    let goal = c.goal.iter().map(|g| g.value);
    let (lo, hi) = y_range(values.chain(bands).chain(goal), c.y_format);
    let (slo, shi, sformat) = match secondary {
        Some(a) => {
            let (l, h) = y_range(a.series.iter().flat_map(|s| s.values.iter().copied()), a.format);
            (l, h, a.format)
        }
        None => (0.0, 1.0, ValueFormat::Number),
    };
    let nf = n as f64;
    let labels = &c.axis.labels;
    let mut chart = ChartBuilder::on(&plot)
        .margin(15)
        .margin_right(if secondary.is_some() { 15 } else { 40 })
        .x_label_area_size(55)
        .y_label_area_size(95)
        .right_y_label_area_size(if secondary.is_some() { 95 } else { 0 })
        .build_cartesian_2d(IntervalCoord { n: nf, ticks: x_ticks(labels, c.axis.per_day) }, lo..hi)
        .map_err(err)?
        .set_secondary_coord(0f64..nf, slo..shi);
    let x_fmt = |x: &f64| labels.get(x.round() as usize).cloned().unwrap_or_default();
    let y_fmt = |y: &f64| format_value(*y, c.y_format, hi - lo);
    chart
        .configure_mesh()
        .x_desc(c.axis.title.as_str())
        .y_desc(c.y_title.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .y_labels(10)
        .label_style((FONT, LABEL_SIZE))
        .axis_desc_style((FONT, AXIS_TITLE_SIZE))
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    if let Some(a) = secondary {
        let s_fmt = |y: &f64| format_value(*y, sformat, shi - slo);
        chart
            .configure_secondary_axes()
            .y_desc(a.title.as_str())
            .y_label_formatter(&s_fmt)
            .y_labels(10)
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, AXIS_TITLE_SIZE))
            .draw()
            .map_err(err)?;
    }

    // Misses first, as a light background, so lines stay on top.
    for r in runs(n, misses) {
        let rect = Rectangle::new([(r.start as f64, lo), (r.end as f64, hi)], MISS.mix(0.08).filled());
        chart.draw_series(std::iter::once(rect)).map_err(err)?;
    }
    let clamp = |v: f64| v.clamp(lo, hi);
    // The x positions of interval `i` for each shape: its middle, or its two ends.
    let xs = |i: usize| match shape {
        Shape::Lines => vec![i as f64 + 0.5],
        Shape::Steps => vec![i as f64, i as f64 + 1.0],
    };
    for (k, s) in c.series.iter().enumerate() {
        let Some(band) = &s.band else { continue };
        let color = palette(k, s.color);
        let ok = |i: usize| band.get(i).is_some_and(|(l, h)| l.is_finite() && h.is_finite());
        for r in runs(n.min(band.len()), ok) {
            let upper = r.clone().flat_map(|i| xs(i).into_iter().map(move |x| (x, clamp(band[i].1))));
            let lower: Vec<_> =
                r.clone().flat_map(|i| xs(i).into_iter().map(move |x| (x, clamp(band[i].0)))).collect();
            let mut points: Vec<(f64, f64)> = upper.collect();
            points.extend(lower.into_iter().rev());
            if r.len() == 1 && shape == Shape::Lines {
                // A lone interval: an error bar instead of a zero-width polygon.
                let x = r.start as f64 + 0.5;
                let bar = PathElement::new(
                    vec![(x, clamp(band[r.start].0)), (x, clamp(band[r.start].1))],
                    color.mix(0.35).stroke_width(6),
                );
                chart.draw_series(std::iter::once(bar)).map_err(err)?;
            } else {
                chart
                    .draw_series(std::iter::once(Polygon::new(points, color.mix(0.2).filled())))
                    .map_err(err)?;
            }
        }
    }
    if let Some(g) = &c.goal {
        let line = DashedLineSeries::new(vec![(0.0, g.value), (nf, g.value)], 12, 8, GOAL.stroke_width(2));
        chart.draw_series(line).map_err(err)?;
    }
    let dots = n <= 72;
    for (k, s) in c.series.iter().enumerate() {
        let color = palette(k, s.color);
        let value = |i: usize| s.values.get(i).copied().unwrap_or(f64::NAN);
        for r in runs(n.min(s.values.len()), |i| value(i).is_finite()) {
            let points: Vec<(f64, f64)> = match shape {
                Shape::Lines => r.clone().map(|i| (i as f64 + 0.5, clamp(value(i)))).collect(),
                Shape::Steps => {
                    r.clone().flat_map(|i| xs(i).into_iter().map(move |x| (x, clamp(value(i))))).collect()
                }
            };
            chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(3))).map_err(err)?;
            if shape == Shape::Lines && (dots || r.len() == 1) {
                let size = if r.len() == 1 { 6 } else { 4 };
                chart
                    .draw_series(points.iter().map(|p| Circle::new(*p, size, color.filled())))
                    .map_err(err)?;
            }
        }
        if let Some(g) = c.goal.as_ref().filter(|g| g.mark_below) {
            let below = (0..n).filter(|&i| value(i) < g.value).map(|i| (i as f64 + 0.5, clamp(value(i))));
            chart.draw_series(below.map(|p| Circle::new(p, 8, MISS.stroke_width(2)))).map_err(err)?;
        }
    }
    if let Some(a) = secondary {
        for (k, s) in a.series.iter().enumerate() {
            let color = palette(k, s.color);
            let value = |i: usize| s.values.get(i).copied().unwrap_or(f64::NAN);
            for r in runs(n.min(s.values.len()), |i| value(i).is_finite()) {
                let points: Vec<(f64, f64)> =
                    r.clone().map(|i| (i as f64 + 0.5, value(i).clamp(slo, shi))).collect();
                let line = DashedLineSeries::new(points.clone(), 10, 5, color.stroke_width(2));
                chart.draw_secondary_series(line).map_err(err)?;
                chart
                    .draw_secondary_series(points.into_iter().map(|p| Circle::new(p, 4, color.filled())))
                    .map_err(err)?;
            }
        }
    }
    Ok(())
}

fn bars<DB: DrawingBackend>(root: &Area<DB>, c: &BarsChart) -> anyhow::Result<()> {
    let n = c.axis.len();
    let val = |s: &super::Series, i: usize| {
        s.values.get(i).copied().filter(|v| v.is_finite() && *v > 0.0).unwrap_or(0.0)
    };
    let has_data = c.panels.iter().any(|p| p.stacks.iter().any(|s| (0..n).any(|i| val(s, i) > 0.0)));
    if n == 0 || c.panels.is_empty() || !has_data {
        return empty(root, &c.title, &c.empty_note);
    }
    let mut legend = Vec::new();
    let mut color_idx = 0;
    let mut colors = Vec::new();
    for p in &c.panels {
        let mut panel_colors = Vec::new();
        for s in &p.stacks {
            let color = palette(color_idx, s.color);
            color_idx += 1;
            legend.push(entry(Mark::Fill(color.to_rgba()), &s.name));
            panel_colors.push(color);
        }
        colors.push(panel_colors);
    }
    let plot = frame(root, &c.title, &legend)?;
    let areas = plot.split_evenly((c.panels.len(), 1));
    let labels = &c.axis.labels;
    let nf = n as f64;
    for (p_idx, (p, area)) in c.panels.iter().zip(&areas).enumerate() {
        let last = p_idx + 1 == c.panels.len();
        let totals: Vec<f64> = (0..n).map(|i| p.stacks.iter().map(|s| val(s, i)).sum()).collect();
        let (lo, hi) = y_range(totals.iter().copied(), ValueFormat::Number);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .margin_right(40)
            .x_label_area_size(if last { 55 } else { 30 })
            .y_label_area_size(95)
            .build_cartesian_2d(IntervalCoord { n: nf, ticks: x_ticks(labels, c.axis.per_day) }, lo..hi)
            .map_err(err)?;
        let x_fmt = |x: &f64| labels.get(x.round() as usize).cloned().unwrap_or_default();
        let y_fmt = |y: &f64| format_value(*y, ValueFormat::Number, hi - lo);
        let mut mesh = chart.configure_mesh();
        mesh.y_desc(p.y_title.as_str())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .y_labels(6)
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, AXIS_TITLE_SIZE))
            .bold_line_style(BLACK.mix(0.12))
            .light_line_style(WHITE);
        if last {
            mesh.x_desc(c.axis.title.as_str());
        }
        mesh.draw().map_err(err)?;
        // Thin gaps between bars only while bars are wide enough to show them.
        let gap = if n <= 100 { 0.1 } else { 0.0 };
        let mut bottom = vec![0.0; n];
        for (s, color) in p.stacks.iter().zip(&colors[p_idx]) {
            let rects = (0..n).filter(|&i| val(s, i) > 0.0).map(|i| {
                let top = bottom[i] + val(s, i);
                let r = Rectangle::new(
                    [(i as f64 + gap, bottom[i]), (i as f64 + 1.0 - gap, top)],
                    color.filled(),
                );
                bottom[i] = top;
                r
            });
            let rects: Vec<_> = rects.collect();
            chart.draw_series(rects).map_err(err)?;
        }
    }
    Ok(())
}

fn scatter<DB: DrawingBackend>(root: &Area<DB>, c: &ScatterChart) -> anyhow::Result<()> {
    let points: Vec<_> = c.points.iter().filter(|p| p.x.is_finite() && p.y.is_finite()).collect();
    if points.is_empty() {
        return empty(root, &c.title, &c.empty_note);
    }
    let mut legend: Vec<Entry> =
        c.points.iter().enumerate().map(|(i, p)| entry(Mark::Dot(palette(i, None)), &p.label)).collect();
    if let Some(g) = &c.goal {
        legend.push(entry(Mark::Dashed(GOAL), &g.label));
    }
    if c.points.iter().any(|p| p.y_band.is_some()) {
        legend.push(entry(Mark::Text, "bars: 95% confidence interval"));
    }
    let plot = frame(root, &c.title, &legend)?;
    let pad = |lo: f64, hi: f64| {
        let span = if hi - lo > 0.0 { hi - lo } else { hi.abs().max(1.0) };
        (lo - 0.15 * span, hi + 0.15 * span)
    };
    let xs = points.iter().map(|p| p.x);
    let (xlo, xhi) = pad(xs.clone().fold(f64::INFINITY, f64::min), xs.fold(f64::NEG_INFINITY, f64::max));
    let (ylo, yhi) = if c.y_format == ValueFormat::Percent {
        (0.0, 1.04)
    } else {
        let ys = points.iter().flat_map(|p| [p.y].into_iter().chain(p.y_band.map(|b| b.1)));
        let ys = ys.chain(c.goal.iter().map(|g| g.value));
        pad(ys.clone().fold(f64::INFINITY, f64::min), ys.fold(f64::NEG_INFINITY, f64::max))
    };
    let mut chart = ChartBuilder::on(&plot)
        .margin(15)
        .margin_right(40)
        .x_label_area_size(55)
        .y_label_area_size(95)
        .build_cartesian_2d(xlo..xhi, ylo..yhi)
        .map_err(err)?;
    let x_fmt = |x: &f64| format_value(*x, c.x_format, xhi - xlo);
    let y_fmt = |y: &f64| format_value(*y, c.y_format, yhi - ylo);
    chart
        .configure_mesh()
        .x_desc(c.x_title.as_str())
        .y_desc(c.y_title.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style((FONT, LABEL_SIZE))
        .axis_desc_style((FONT, AXIS_TITLE_SIZE))
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    if let Some(g) = &c.goal {
        let line = DashedLineSeries::new(vec![(xlo, g.value), (xhi, g.value)], 12, 8, GOAL.stroke_width(2));
        chart.draw_series(line).map_err(err)?;
    }
    for (i, p) in c.points.iter().enumerate().filter(|(_, p)| p.x.is_finite() && p.y.is_finite()) {
        let color = palette(i, None);
        if let Some((l, h)) = p.y_band.filter(|(l, h)| l.is_finite() && h.is_finite()) {
            let bar = PathElement::new(
                vec![(p.x, l.clamp(ylo, yhi)), (p.x, h.clamp(ylo, yhi))],
                color.stroke_width(3),
            );
            chart.draw_series(std::iter::once(bar)).map_err(err)?;
        }
        let label_style =
            (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Bottom));
        let dot = EmptyElement::at((p.x, p.y.clamp(ylo, yhi)))
            + Circle::new((0, 0), 8, color.filled())
            + Text::new(p.label.clone(), (12, -8), label_style);
        chart.draw_series(std::iter::once(dot)).map_err(err)?;
    }
    Ok(())
}

fn histogram<DB: DrawingBackend>(root: &Area<DB>, c: &HistogramChart) -> anyhow::Result<()> {
    let bins: Vec<_> =
        c.bins.iter().filter(|b| b.low.is_finite() && b.high > b.low && b.value.is_finite()).collect();
    if bins.iter().all(|b| b.value <= 0.0) {
        return empty(root, &c.title, &c.empty_note);
    }
    const BAR: RGBColor = RGBColor(31, 119, 180);
    const ACCENT: RGBColor = RGBColor(10, 60, 110);
    const CUMULATIVE: RGBColor = RGBColor(255, 127, 14);
    let mut legend = vec![entry(Mark::Fill(BAR.mix(0.75)), &c.bar_labels.0)];
    if bins.iter().any(|b| b.highlight > 0.0) {
        legend.push(entry(Mark::Fill(ACCENT.to_rgba()), &c.bar_labels.1));
    }
    if let Some((label, _)) = &c.cumulative {
        legend.push(entry(Mark::Line(CUMULATIVE), format!("{label} (right axis)")));
    }
    for m in &c.markers {
        legend.push(entry(Mark::Dashed(rgb(m.color)), &m.label));
    }
    if let Some(note) = &c.note {
        legend.push(entry(Mark::Text, note));
    }
    let plot = frame(root, &c.title, &legend)?;
    let xhi = bins.iter().map(|b| b.high).chain(c.markers.iter().map(|m| m.x * 1.08)).fold(0.0, f64::max);
    let xlo = bins.iter().map(|b| b.low).fold(0.0, f64::min);
    let (ylo, yhi) = y_range(bins.iter().map(|b| b.value * 1.1), ValueFormat::Number);
    let yhi = if c.y_format == ValueFormat::Percent { yhi.min(1.1) } else { yhi };
    let mut chart = ChartBuilder::on(&plot)
        .margin(15)
        .margin_right(15)
        .x_label_area_size(55)
        .y_label_area_size(95)
        .right_y_label_area_size(if c.cumulative.is_some() { 95 } else { 0 })
        .build_cartesian_2d(xlo..xhi, ylo..yhi)
        .map_err(err)?
        .set_secondary_coord(xlo..xhi, 0.0..1.04);
    let x_fmt = |x: &f64| format_value(*x, ValueFormat::Number, xhi - xlo);
    let y_fmt = |y: &f64| {
        if c.y_format == ValueFormat::Percent && yhi < 0.05 {
            format!("{:.1}%", y * 100.0)
        } else {
            format_value(*y, c.y_format, yhi - ylo)
        }
    };
    chart
        .configure_mesh()
        .x_desc(c.x_title.as_str())
        .y_desc(c.y_title.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels(12)
        .label_style((FONT, LABEL_SIZE))
        .axis_desc_style((FONT, AXIS_TITLE_SIZE))
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(WHITE)
        .draw()
        .map_err(err)?;
    if let Some((_, curve)) = &c.cumulative {
        let p_fmt = |y: &f64| format_value(*y, ValueFormat::Percent, 1.0);
        chart
            .configure_secondary_axes()
            .y_desc("cumulative share of answered calls (%)")
            .y_label_formatter(&p_fmt)
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, AXIS_TITLE_SIZE))
            .draw()
            .map_err(err)?;
        let points: Vec<_> = curve.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
        let bars = bins
            .iter()
            .map(|b| Rectangle::new([(b.low, 0.0), (b.high, b.value.min(yhi))], BAR.mix(0.75).filled()));
        chart.draw_series(bars).map_err(err)?;
        let accents = bins.iter().filter(|b| b.highlight > 0.0).map(|b| {
            Rectangle::new([(b.low, 0.0), (b.high, b.highlight.min(b.value).min(yhi))], ACCENT.filled())
        });
        chart.draw_series(accents).map_err(err)?;
        chart.draw_secondary_series(LineSeries::new(points, CUMULATIVE.stroke_width(3))).map_err(err)?;
    } else {
        let bars = bins
            .iter()
            .map(|b| Rectangle::new([(b.low, 0.0), (b.high, b.value.min(yhi))], BAR.mix(0.75).filled()));
        chart.draw_series(bars).map_err(err)?;
    }
    // Bar outlines keep neighbouring bars apart.
    let outlines = bins
        .iter()
        .map(|b| Rectangle::new([(b.low, 0.0), (b.high, b.value.min(yhi))], WHITE.stroke_width(1)));
    chart.draw_series(outlines).map_err(err)?;
    for (k, m) in c.markers.iter().enumerate().filter(|(_, m)| m.x.is_finite()) {
        let color = rgb(m.color);
        let line = DashedLineSeries::new(vec![(m.x, ylo), (m.x, yhi)], 10, 6, color.stroke_width(3));
        chart.draw_series(line).map_err(err)?;
        // Labels stagger downwards so two close markers do not overwrite each other, and sit
        // left of the line when the line is in the right third.
        let right_third = m.x > xlo + (xhi - xlo) * 0.66;
        let (anchor, dx) = if right_third { (HPos::Right, -8) } else { (HPos::Left, 8) };
        let style = (FONT, LABEL_SIZE + 1).into_font().color(&color).pos(Pos::new(anchor, VPos::Top));
        let y = yhi - (yhi - ylo) * (0.03 + 0.07 * k as f64);
        // A white box behind the label keeps it readable over bars and the curve.
        let (w, h) = plot.estimate_text_size(&m.label, &style).map_err(err)?;
        let (w, h) = (w as i32, h as i32);
        let (x0, x1) = if right_third { (dx - w - 4, dx + 4) } else { (dx - 4, dx + w + 4) };
        let label = EmptyElement::at((m.x, y))
            + Rectangle::new([(x0, -3), (x1, h + 3)], WHITE.mix(0.85).filled())
            + Text::new(m.label.clone(), (dx, 0), style);
        chart.draw_series(std::iter::once(label)).map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_ticks_fall_on_day_divisors_for_several_days() {
        let labels: Vec<String> = (0..7 * 48).map(|i| format!("day {} 08:00", i / 48 + 1)).collect();
        let ticks = x_ticks(&labels, 48);
        assert!(ticks.len() >= 2 && ticks.len() <= 10, "{ticks:?}");
        let step = ticks[1] - ticks[0];
        assert!(48.0 % step == 0.0 || step % 48.0 == 0.0, "step {step}");
    }

    #[test]
    fn x_ticks_of_a_single_interval_is_its_start() {
        assert_eq!(x_ticks(&["08:00".to_string()], 1), vec![0.0]);
        assert!(x_ticks(&[], 1).is_empty());
    }

    #[test]
    fn runs_split_at_gaps() {
        let v = [1.0, f64::NAN, 2.0, 3.0, f64::NAN];
        assert_eq!(runs(v.len(), |i| v[i].is_finite()), vec![0..1, 2..4]);
    }
}
