//! The drawing code: one function per chart kind, generic over the plotters backend so PNG and
//! SVG come out of the same code.
//!
//! Every chart has the same frame: the title on top, the plot, and the legend in its own strip
//! below the plot, so the legend never covers data. Undefined values (NaN) leave gaps; a chart
//! with nothing finite to show becomes an empty frame with a note.

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::layout::{Layout, Rect};
use super::{BarsChart, Body, HistogramChart, IntervalChart, ScatterChart, Shape, ValueFormat};

pub(super) const MISS: RGBColor = RGBColor(super::MISS[0], super::MISS[1], super::MISS[2]);
/// Over-staffing shade: Okabe-Ito blue.
pub(super) const OVER: RGBColor = RGBColor(0, 114, 178);
pub(super) const GOAL: RGBColor = RGBColor(60, 60, 60);
/// The embedded font's family, then fonts of near-identical metrics, then the generic family:
/// PNGs use the embedded DejaVu Sans; an SVG viewer uses it when installed (most Linux
/// desktops), else Verdana (same design lineage and widths), so both look alike.
pub(super) const FONT: &str = "DejaVu Sans, Verdana, sans-serif";
pub(super) const TITLE_SIZE: u32 = 30;
pub(super) const LABEL_SIZE: u32 = 17;
pub(super) const AXIS_TITLE_SIZE: u32 = 20;
pub(super) const LEGEND_SIZE: u32 = 17;
const LEGEND_ROW: u32 = 28;

type Area<DB> = DrawingArea<DB, Shift>;

pub(super) fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("cannot draw chart: {e}")
}

pub(super) fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

fn palette(idx: usize, fixed: Option<[u8; 3]>) -> RGBColor {
    rgb(fixed.unwrap_or(super::color_of(idx)))
}

/// A darker shade of `c` (error bars over a point of the same colour).
fn darker(c: RGBColor) -> RGBColor {
    let [r, g, b] = super::darker([c.0, c.1, c.2]);
    RGBColor(r, g, b)
}

/// Draws `body` on `root`, recording where its parts went in `layout`.
pub(super) fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    body: &Body,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    root.fill(&WHITE).map_err(err)?;
    match body {
        Body::Intervals(chart, shape) => intervals(root, &[(chart.clone(), *shape)], layout),
        Body::Panels(panels) => intervals(root, panels, layout),
        Body::Bars(chart) => bars(root, chart, layout),
        Body::Scatter(chart) => scatter(root, chart, layout),
        Body::Histogram(chart) => histogram(root, chart, layout),
        Body::Heatmap(chart) => super::heatmap::draw(root, chart, layout),
        Body::Waterfall(chart) => super::waterfall::draw(root, chart, layout),
    }
}

/// The pixel rectangle of an area (a chart's plotting area, a legend strip).
pub(super) fn rect_of<DB: DrawingBackend, CT: CoordTranslate>(area: &DrawingArea<DB, CT>) -> Rect {
    let (x, y) = area.get_pixel_range();
    Rect::from_ranges(x, y)
}

/// The look every chart's axes share: fonts, faint major gridlines, no minor ones.
pub(super) fn house_style<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.label_style((FONT, LABEL_SIZE))
        .axis_desc_style((FONT, AXIS_TITLE_SIZE))
        .bold_line_style(BLACK.mix(0.12))
        .light_line_style(WHITE)
}

/// How a legend entry is drawn.
pub(super) enum Mark {
    Line(RGBColor),
    Dashed(RGBColor),
    LineDot(RGBColor),
    Dot(RGBColor),
    Ring(RGBColor),
    Fill(RGBAColor),
    ErrorBar(RGBColor),
    Text,
}

pub(super) struct Entry {
    mark: Mark,
    text: String,
}

pub(super) fn entry(mark: Mark, text: impl Into<String>) -> Entry {
    Entry { mark, text: text.into() }
}

/// Draws the title and the legend strip, and returns the area left for the plot.
pub(super) fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    legend: &[Entry],
    layout: &mut Layout,
) -> anyhow::Result<Area<DB>> {
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
    if strip > 0 {
        layout.legend = Some(rect_of(&strip_area));
    }
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
        Mark::ErrorBar(c) => {
            let style = c.stroke_width(2);
            area.draw(&PathElement::new(vec![(x + 14, y - 10), (x + 14, y + 10)], style)).map_err(err)?;
            for dy in [-10, 10] {
                area.draw(&PathElement::new(vec![(x + 8, y + dy), (x + 20, y + dy)], style)).map_err(err)?;
            }
        }
        Mark::Text => {}
    }
    Ok(())
}

/// An empty plot with a note in the middle, for charts with nothing to show.
pub(super) fn empty<DB: DrawingBackend>(root: &Area<DB>, title: &str, note: &str) -> anyhow::Result<()> {
    let plot = frame(root, title, &[], &mut Layout::default())?.margin(20, 30, 40, 40);
    let (w, h) = plot.dim_in_pixel();
    plot.draw(&Rectangle::new([(0, 0), (w as i32 - 1, h as i32 - 1)], BLACK.mix(0.3).stroke_width(1)))
        .map_err(err)?;
    let style = (FONT, 24).into_font().color(&BLACK.mix(0.7)).pos(Pos::new(HPos::Center, VPos::Center));
    plot.draw(&Text::new(format!("no data: {note}"), (w as i32 / 2, h as i32 / 2), style)).map_err(err)?;
    Ok(())
}

/// Tick label of a value on an axis whose labels are about `step` apart: enough decimals that
/// neighbouring labels differ (a cost axis from 11,000 to 12,000 reads 11,200 11,400 ..., not
/// 11k 11k 12k), thousands grouped, millions as `M`.
pub(super) fn format_value(v: f64, format: ValueFormat, step: f64) -> String {
    let decimals = |step: f64| -> usize {
        if step.is_finite() && step > 0.0 && step < 1.0 {
            (-step.log10()).ceil().clamp(0.0, 6.0) as usize
        } else {
            0
        }
    };
    match format {
        ValueFormat::Percent => format!("{:.*}%", decimals(step * 100.0 * 1.0001), v * 100.0),
        ValueFormat::Number if v.abs() >= 1e6 => format!("{:.*}M", decimals(step / 1e6 * 1.0001), v / 1e6),
        ValueFormat::Number => group_thousands(&format!("{:.*}", decimals(step * 1.0001), v)),
    }
}

/// `12345.5` as `12,345.5`.
fn group_thousands(text: &str) -> String {
    let (sign, rest) = text.strip_prefix('-').map_or(("", text), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let out = match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    };
    if out.trim_start_matches('-').chars().all(|c| c == '0' || c == '.' || c == ',') {
        out.trim_start_matches('-').to_string()
    } else {
        out
    }
}

/// The step between the labels plotters draws for `n_labels` requested over `lo..hi`: its key
/// points are round numbers at 1, 2 or 5 times a power of ten, at least `(hi - lo) / n`.
pub(super) fn label_step(lo: f64, hi: f64, n_labels: usize) -> f64 {
    let raw = (hi - lo) / n_labels.max(1) as f64;
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|w| *w >= raw * 0.999)
        .unwrap_or(10.0 * magnitude)
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
fn x_ticks(labels: &[String], per_day: usize, width_px: u32) -> Vec<f64> {
    let n = labels.len();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(5);
    // About 9.5 px per character at the label size, plus a gap.
    let fit = (f64::from(width_px) / (longest as f64 * 9.5 + 14.0)).floor().max(2.0) as usize;
    let mut steps: Vec<usize> = if n > per_day {
        (1..=per_day).filter(|s| per_day % s == 0).chain((2..=n).map(|k| k * per_day)).collect()
    } else {
        [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 192, 384].into_iter().collect()
    };
    steps.push(n.max(1));
    let step = steps.into_iter().find(|s| n.div_ceil(*s) <= fit).unwrap_or(n.max(1));
    (0..n).step_by(step.max(1)).map(|i| i as f64).collect()
}

/// The ticks and their labels of an interval axis. Several days: clock times only (the day
/// names are drawn once per day above the plot), at the same times every day.
fn axis_ticks(axis: &super::IntervalAxis, width_px: u32) -> (Vec<f64>, &[String]) {
    if axis.days() > 1 && axis.clock.len() == axis.len() {
        (x_ticks(&axis.clock, axis.per_day, width_px), &axis.clock)
    } else {
        (x_ticks(&axis.labels, axis.per_day, width_px), &axis.labels)
    }
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

/// The runs of `runs`, cut at each day's end when the days leave closed time between them, so
/// no line is drawn through a closed night.
fn split_at_days(
    runs: Vec<std::ops::Range<usize>>,
    axis: &super::IntervalAxis,
) -> Vec<std::ops::Range<usize>> {
    if !axis.closed_overnight {
        return runs;
    }
    let per_day = axis.per_day.max(1);
    let mut out = Vec::with_capacity(runs.len());
    for r in runs {
        let mut start = r.start;
        while start < r.end {
            let day_end = (start / per_day + 1) * per_day;
            let end = day_end.min(r.end);
            out.push(start..end);
            start = end;
        }
    }
    out
}

fn finite_in(s: &super::Series, n: usize) -> bool {
    s.values.iter().take(n).any(|v| v.is_finite())
}

/// Interval charts in stacked panels (one panel: a plain chart) sharing the x axis, the title
/// of the first and one legend.
fn intervals<DB: DrawingBackend>(
    root: &Area<DB>,
    panels: &[(IntervalChart, Shape)],
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let Some((first, _)) = panels.first() else { return empty(root, "", "nothing to draw") };
    let n = first.axis.len();
    let has_data = panels.iter().any(|(c, _)| {
        c.series.iter().any(|s| finite_in(s, n))
            || c.secondary.as_ref().is_some_and(|a| a.series.iter().any(|s| finite_in(s, n)))
    });
    if n == 0 || !has_data {
        return empty(root, &first.title, &first.empty_note);
    }

    let mut legend: Vec<Entry> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    let mut push = |legend: &mut Vec<Entry>, mark: Mark, text: String| {
        if !named.contains(&text) {
            named.push(text.clone());
            legend.push(entry(mark, text));
        }
    };
    for (c, _) in panels {
        for (i, s) in c.series.iter().enumerate() {
            let color = palette(i, s.color);
            let mark = if s.dashed { Mark::Dashed(color) } else { Mark::Line(color) };
            push(&mut legend, mark, s.name.clone());
        }
    }
    for (c, _) in panels {
        if let Some(a) = &c.secondary {
            for (i, s) in a.series.iter().enumerate() {
                push(&mut legend, Mark::LineDot(palette(i, s.color)), format!("{} (right axis)", s.name));
            }
        }
        if c.series.iter().any(|s| s.band.is_some()) {
            push(&mut legend, Mark::Fill(BLACK.mix(0.15)), "shaded: 95% confidence interval".into());
        }
        if let Some(g) = &c.goal {
            push(&mut legend, Mark::Dashed(GOAL), g.label.clone());
            if g.mark_below && (0..n).any(|i| misses(c, i)) {
                push(&mut legend, Mark::Ring(MISS), "below goal".into());
            }
        }
        let (under, over) = shaded(c, n);
        if under {
            push(&mut legend, Mark::Fill(MISS.mix(0.45)), "under-staffed (on duty below required)".into());
        }
        if over {
            push(&mut legend, Mark::Fill(OVER.mix(0.2)), "over-staffed".into());
        }
    }
    let plot = frame(root, &first.title, &legend, layout)?;
    // Day names get a strip of their own above the first panel.
    let plot = if first.axis.days() > 1 {
        let (names, rest) = plot.split_vertically(26);
        day_names(&names, &first.axis, layout)?;
        rest
    } else {
        plot
    };
    let weights: Vec<u32> = panels.iter().enumerate().map(|(k, _)| if k == 0 { 3 } else { 2 }).collect();
    let total: u32 = weights.iter().sum();
    let (_, height) = plot.dim_in_pixel();
    let mut rest = plot;
    for (k, (c, shape)) in panels.iter().enumerate() {
        let last = k + 1 == panels.len();
        let area = if last {
            rest.clone()
        } else {
            let h = height * weights[k] / total;
            let (top, bottom) = rest.split_vertically(h);
            rest = bottom;
            top
        };
        interval_panel(&area, c, *shape, last, layout)?;
    }
    Ok(())
}

/// The day names, centred over each day's intervals (aligned with the panels' x range, which
/// starts after the y label area).
fn day_names<DB: DrawingBackend>(
    area: &Area<DB>,
    axis: &super::IntervalAxis,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    // The panels' plot spans from margin + y label area to width - right margin.
    let (x0, x1) = (15 + 95, w as i32 - 40);
    let days = axis.days();
    let per = f64::from(x1 - x0) / days as f64;
    let style = (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Center));
    for (d, name) in axis.day_names.iter().enumerate() {
        let x = x0 + (per * (d as f64 + 0.5)) as i32;
        let (tw, th) = area.estimate_text_size(name, &style).map_err(err)?;
        let (ax, ay) = (area.get_base_pixel().0 + x, area.get_base_pixel().1 + 13);
        layout.labels.push(Rect {
            x0: ax - tw as i32 / 2,
            y0: ay - th as i32 / 2,
            x1: ax + tw as i32 / 2,
            y1: ay + th as i32 / 2,
        });
        area.draw(&Text::new(name.clone(), (x, 13), style.clone())).map_err(err)?;
    }
    Ok(())
}

/// Whether interval `i` has a series below a goal that marks misses.
fn misses(c: &IntervalChart, i: usize) -> bool {
    c.goal.as_ref().is_some_and(|g| {
        g.mark_below && c.series.iter().any(|s| s.values.get(i).is_some_and(|v| *v < g.value))
    })
}

/// Whether the chart shades some under- and some over-staffing.
fn shaded(c: &IntervalChart, n: usize) -> (bool, bool) {
    let (mut under, mut over) = (false, false);
    for &(req, duty) in &c.shade {
        let (Some(r), Some(d)) = (c.series.get(req), c.series.get(duty)) else { continue };
        for i in 0..n {
            let (a, b) =
                (r.values.get(i).copied().unwrap_or(f64::NAN), d.values.get(i).copied().unwrap_or(f64::NAN));
            if a.is_finite() && b.is_finite() {
                under |= b < a;
                over |= b > a;
            }
        }
    }
    (under, over)
}

fn interval_panel<DB: DrawingBackend>(
    plot: &Area<DB>,
    c: &IntervalChart,
    shape: Shape,
    show_x_title: bool,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let n = c.axis.len();
    let secondary = c.secondary.as_ref();
    let bands = c.series.iter().filter_map(|s| s.band.as_ref()).flatten().flat_map(|(l, h)| [*l, *h]);
    let values = c.series.iter().flat_map(|s| s.values.iter().copied().take(n));
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
    let (ticks, labels) = axis_ticks(&c.axis, plot.dim_in_pixel().0.saturating_sub(200));
    let mut chart = ChartBuilder::on(plot)
        .margin(15)
        .margin_top(8)
        .margin_right(if secondary.is_some() { 15 } else { 40 })
        .x_label_area_size(if show_x_title { 55 } else { 30 })
        .y_label_area_size(95)
        .right_y_label_area_size(if secondary.is_some() { 95 } else { 0 })
        .build_cartesian_2d(IntervalCoord { n: nf, ticks }, lo..hi)
        .map_err(err)?
        .set_secondary_coord(0f64..nf, slo..shi);
    layout.plots.push(rect_of(chart.plotting_area()));
    let x_fmt = |x: &f64| labels.get(x.round() as usize).cloned().unwrap_or_default();
    let y_labels = if plot.dim_in_pixel().1 > 300 { 10 } else { 5 };
    let step = label_step(lo, hi, y_labels);
    let y_fmt = |y: &f64| format_value(*y, c.y_format, step);
    let mut mesh = chart.configure_mesh();
    mesh.y_desc(c.y_title.as_str()).x_label_formatter(&x_fmt).y_label_formatter(&y_fmt).y_labels(y_labels);
    house_style(&mut mesh);
    if show_x_title {
        mesh.x_desc(c.axis.title.as_str());
    }
    mesh.draw().map_err(err)?;
    if let Some(a) = secondary {
        let sstep = label_step(slo, shi, y_labels);
        let s_fmt = |y: &f64| format_value(*y, sformat, sstep);
        chart
            .configure_secondary_axes()
            .y_desc(a.title.as_str())
            .y_label_formatter(&s_fmt)
            .y_labels(y_labels)
            .label_style((FONT, LABEL_SIZE))
            .axis_desc_style((FONT, AXIS_TITLE_SIZE))
            .draw()
            .map_err(err)?;
    }

    // Misses first, as a light background, so lines stay on top.
    for r in runs(n, |i| misses(c, i)) {
        let rect = Rectangle::new([(r.start as f64, lo), (r.end as f64, hi)], MISS.mix(0.08).filled());
        chart.draw_series(std::iter::once(rect)).map_err(err)?;
    }
    // Day boundaries: a line between days, so a week reads as days.
    if c.axis.days() > 1 {
        let per_day = c.axis.per_day as f64;
        let lines = (1..c.axis.days()).map(|d| {
            PathElement::new(
                vec![(d as f64 * per_day, lo), (d as f64 * per_day, hi)],
                BLACK.mix(0.45).stroke_width(1),
            )
        });
        chart.draw_series(lines).map_err(err)?;
    }
    let clamp = |v: f64| v.clamp(lo, hi);
    // Over- and under-staffing between a requirement and what is on duty.
    for &(req, duty) in &c.shade {
        let (Some(r), Some(d)) = (c.series.get(req), c.series.get(duty)) else { continue };
        let rects = (0..n).filter_map(|i| {
            let (a, b) = (r.values.get(i).copied()?, d.values.get(i).copied()?);
            (a.is_finite() && b.is_finite() && a != b).then(|| {
                let color = if b < a { MISS.mix(0.45) } else { OVER.mix(0.2) };
                Rectangle::new([(i as f64, clamp(a)), (i as f64 + 1.0, clamp(b))], color.filled())
            })
        });
        chart.draw_series(rects).map_err(err)?;
    }
    // The x positions of interval `i` for each shape: its middle, or its two ends.
    let xs = |i: usize| match shape {
        Shape::Lines => vec![i as f64 + 0.5],
        Shape::Steps => vec![i as f64, i as f64 + 1.0],
    };
    for (k, s) in c.series.iter().enumerate() {
        let Some(band) = &s.band else { continue };
        let color = palette(k, s.color);
        let ok = |i: usize| band.get(i).is_some_and(|(l, h)| l.is_finite() && h.is_finite());
        for r in split_at_days(runs(n.min(band.len()), ok), &c.axis) {
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
    // Solid lines first, dashed (requirements) on top so they stay visible where equal.
    let mut order: Vec<usize> = (0..c.series.len()).collect();
    order.sort_by_key(|&k| c.series[k].dashed);
    for k in order {
        let s = &c.series[k];
        let color = palette(k, s.color);
        let value = |i: usize| s.values.get(i).copied().unwrap_or(f64::NAN);
        for r in split_at_days(runs(n.min(s.values.len()), |i| value(i).is_finite()), &c.axis) {
            let points: Vec<(f64, f64)> = match shape {
                Shape::Lines => r.clone().map(|i| (i as f64 + 0.5, clamp(value(i)))).collect(),
                Shape::Steps => {
                    r.clone().flat_map(|i| xs(i).into_iter().map(move |x| (x, clamp(value(i))))).collect()
                }
            };
            layout.points.extend(points.iter().map(|p| chart.backend_coord(p)));
            if s.dashed {
                let line = DashedLineSeries::new(points.clone(), 9, 6, color.stroke_width(3));
                chart.draw_series(line).map_err(err)?;
            } else {
                chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(3))).map_err(err)?;
            }
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
            for r in split_at_days(runs(n.min(s.values.len()), |i| value(i).is_finite()), &c.axis) {
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

fn bars<DB: DrawingBackend>(root: &Area<DB>, c: &BarsChart, layout: &mut Layout) -> anyhow::Result<()> {
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
    let plot = frame(root, &c.title, &legend, layout)?;
    let plot = if c.axis.days() > 1 {
        let (names, rest) = plot.split_vertically(26);
        day_names(&names, &c.axis, layout)?;
        rest
    } else {
        plot
    };
    let areas = plot.split_evenly((c.panels.len(), 1));
    let (ticks, labels) = axis_ticks(&c.axis, plot.dim_in_pixel().0.saturating_sub(200));
    let nf = n as f64;
    for (p_idx, (p, area)) in c.panels.iter().zip(&areas).enumerate() {
        let last = p_idx + 1 == c.panels.len();
        let totals: Vec<f64> = (0..n).map(|i| p.stacks.iter().map(|s| val(s, i)).sum()).collect();
        let (lo, hi) = y_range(totals.iter().copied(), ValueFormat::Number);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .margin_right(40)
            .margin_left(15)
            .x_label_area_size(if last { 55 } else { 30 })
            .y_label_area_size(95)
            .build_cartesian_2d(IntervalCoord { n: nf, ticks: ticks.clone() }, lo..hi)
            .map_err(err)?;
        layout.plots.push(rect_of(chart.plotting_area()));
        let x_fmt = |x: &f64| labels.get(x.round() as usize).cloned().unwrap_or_default();
        let step = label_step(lo, hi, 6);
        let y_fmt = |y: &f64| format_value(*y, ValueFormat::Number, step);
        let mut mesh = chart.configure_mesh();
        mesh.y_desc(p.y_title.as_str()).x_label_formatter(&x_fmt).y_label_formatter(&y_fmt).y_labels(6);
        house_style(&mut mesh);
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
                layout.points.push(chart.backend_coord(&(i as f64 + 0.5, top)));
                bottom[i] = top;
                r
            });
            let rects: Vec<_> = rects.collect();
            chart.draw_series(rects).map_err(err)?;
        }
        if c.axis.days() > 1 {
            let per_day = c.axis.per_day as f64;
            let lines = (1..c.axis.days()).map(|d| {
                PathElement::new(
                    vec![(d as f64 * per_day, lo), (d as f64 * per_day, hi)],
                    BLACK.mix(0.45).stroke_width(1),
                )
            });
            chart.draw_series(lines).map_err(err)?;
        }
    }
    Ok(())
}

fn scatter<DB: DrawingBackend>(root: &Area<DB>, c: &ScatterChart, layout: &mut Layout) -> anyhow::Result<()> {
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
        legend.push(entry(Mark::ErrorBar(GOAL), "95% confidence interval"));
    }
    let plot = frame(root, &c.title, &legend, layout)?;
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
    layout.plots.push(rect_of(chart.plotting_area()));
    let (x_labels, y_labels) = (8, 10);
    let (xstep, ystep) = (label_step(xlo, xhi, x_labels), label_step(ylo, yhi, y_labels));
    let x_fmt = |x: &f64| format_value(*x, c.x_format, xstep);
    let y_fmt = |y: &f64| format_value(*y, c.y_format, ystep);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(c.x_title.as_str())
        .y_desc(c.y_title.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels(x_labels)
        .y_labels(y_labels);
    house_style(&mut mesh).draw().map_err(err)?;
    if let Some(g) = &c.goal {
        let line = DashedLineSeries::new(vec![(xlo, g.value), (xhi, g.value)], 12, 8, GOAL.stroke_width(2));
        chart.draw_series(line).map_err(err)?;
    }
    for (i, p) in c.points.iter().enumerate().filter(|(_, p)| p.x.is_finite() && p.y.is_finite()) {
        let color = palette(i, None);
        // Error bar with caps, drawn over a hollow dot so a short interval still shows.
        if let Some((l, h)) = p.y_band.filter(|(l, h)| l.is_finite() && h.is_finite()) {
            let (l, h) = (l.clamp(ylo, yhi), h.clamp(ylo, yhi));
            let style = darker(color).stroke_width(3);
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(p.x, l), (p.x, h)], style)))
                .map_err(err)?;
            for y in [l, h] {
                let cap = EmptyElement::at((p.x, y)) + PathElement::new(vec![(-10, 0), (10, 0)], style);
                chart.draw_series(std::iter::once(cap)).map_err(err)?;
            }
        }
        // Labels of points in the right quarter go to their left, so they stay in the picture.
        let right = p.x > xlo + 0.75 * (xhi - xlo);
        let (anchor, dx) = if right { (HPos::Right, -14) } else { (HPos::Left, 14) };
        let label_style = (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(anchor, VPos::Bottom));
        let at = (p.x, p.y.clamp(ylo, yhi));
        let (px, py) = chart.backend_coord(&at);
        layout.points.push((px, py));
        let (w, h) = plot.estimate_text_size(&p.label, &label_style).map_err(err)?;
        let x0 = if right { px + dx - w as i32 } else { px + dx };
        layout.labels.push(Rect { x0, y0: py - 8 - h as i32, x1: x0 + w as i32, y1: py - 8 });
        let dot = EmptyElement::at(at)
            + Circle::new((0, 0), 7, color.stroke_width(3))
            + Text::new(p.label.clone(), (dx, -8), label_style);
        chart.draw_series(std::iter::once(dot)).map_err(err)?;
    }
    Ok(())
}

fn histogram<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &HistogramChart,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let bins: Vec<_> =
        c.bins.iter().filter(|b| b.low.is_finite() && b.high > b.low && b.value.is_finite()).collect();
    let curve_has_data = c.cumulative.as_ref().is_some_and(|k| k.points.iter().any(|p| p.1 > 0.0));
    if bins.iter().all(|b| b.value <= 0.0) && !curve_has_data {
        return empty(root, &c.title, &c.empty_note);
    }
    const BAR: RGBColor = RGBColor(0, 114, 178);
    const CUMULATIVE: RGBColor = RGBColor(0, 0, 0);
    let mut legend = vec![entry(Mark::Fill(BAR.mix(0.75)), &c.bar_labels.0)];
    if let Some(k) = &c.cumulative {
        legend.push(entry(Mark::Line(CUMULATIVE), &k.label));
    }
    for m in &c.markers {
        legend.push(entry(Mark::Dashed(rgb(m.color)), &m.label));
    }
    if let Some(note) = &c.note {
        legend.push(entry(Mark::Text, note));
    }
    let plot = frame(root, &c.title, &legend, layout)?;
    let natural = bins.iter().map(|b| b.high).chain(c.markers.iter().map(|m| m.x * 1.08)).fold(0.0, f64::max);
    let xhi = c.x_max.filter(|x| x.is_finite() && *x > 0.0).unwrap_or(natural).max(f64::MIN_POSITIVE);
    let xlo = 0.0;
    let (ylo, yhi) = y_range(bins.iter().map(|b| b.value * 1.1), ValueFormat::Number);
    let yhi = if c.y_format == ValueFormat::Percent { yhi.min(1.1) } else { yhi };
    let x_step = label_step(xlo, xhi, 12);
    let x_fmt = |x: &f64| format_value(*x, ValueFormat::Number, x_step);
    let (curve_area, bar_area) = match &c.cumulative {
        Some(_) => {
            let (_, h) = plot.dim_in_pixel();
            let (top, bottom) = plot.split_vertically(h * 9 / 20);
            (Some(top), bottom)
        }
        None => (None, plot.clone()),
    };
    // Marker label placement: right of the line, or left of it in the right third.
    let place = |x: f64| if x > xlo + (xhi - xlo) * 0.66 { (HPos::Right, -8) } else { (HPos::Left, 8) };
    if let (Some(area), Some(k)) = (&curve_area, &c.cumulative) {
        let mut chart = ChartBuilder::on(area)
            .margin(15)
            .margin_right(40)
            .x_label_area_size(30)
            .y_label_area_size(95)
            .build_cartesian_2d(xlo..xhi, 0.0..1.04)
            .map_err(err)?;
        layout.plots.push(rect_of(chart.plotting_area()));
        let p_fmt = |y: &f64| format_value(*y, ValueFormat::Percent, 0.2);
        let mut mesh = chart.configure_mesh();
        mesh.y_desc(k.y_title.as_str())
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&p_fmt)
            .x_labels(12)
            .y_labels(6);
        house_style(&mut mesh).draw().map_err(err)?;
        let points: Vec<_> =
            k.points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite() && *x <= xhi).collect();
        layout.points.extend(points.iter().map(|p| chart.backend_coord(p)));
        chart.draw_series(LineSeries::new(points.clone(), CUMULATIVE.stroke_width(3))).map_err(err)?;
        for m in c.markers.iter().filter(|m| m.x.is_finite() && m.x <= xhi) {
            let color = rgb(m.color);
            let line = DashedLineSeries::new(vec![(m.x, 0.0), (m.x, 1.04)], 10, 6, color.stroke_width(3));
            chart.draw_series(line).map_err(err)?;
            if m.on_curve {
                let y = curve_at(&points, m.x);
                if y.is_finite() {
                    chart
                        .draw_series(std::iter::once(Circle::new((m.x, y), 7, color.filled())))
                        .map_err(err)?;
                }
                let (anchor, dx) = place(m.x);
                let style = (FONT, LABEL_SIZE + 1).into_font().color(&color).pos(Pos::new(anchor, VPos::Top));
                label_box(&chart, area, (m.x, 0.2), dx, &m.label, style, layout)?;
            }
        }
    }
    let mut chart = ChartBuilder::on(&bar_area)
        .margin(15)
        .margin_right(40)
        .x_label_area_size(55)
        .y_label_area_size(95)
        .build_cartesian_2d(xlo..xhi, ylo..yhi)
        .map_err(err)?;
    layout.plots.push(rect_of(chart.plotting_area()));
    let y_step = label_step(ylo, yhi, 6);
    let y_fmt = |y: &f64| format_value(*y, c.y_format, y_step);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(c.x_title.as_str())
        .y_desc(c.y_title.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels(12)
        .y_labels(6);
    house_style(&mut mesh).draw().map_err(err)?;
    let shown: Vec<_> = bins.iter().filter(|b| b.low < xhi).collect();
    let bars = shown
        .iter()
        .map(|b| Rectangle::new([(b.low, 0.0), (b.high.min(xhi), b.value.min(yhi))], BAR.mix(0.75).filled()));
    chart.draw_series(bars).map_err(err)?;
    layout.points.extend(
        shown.iter().map(|b| chart.backend_coord(&((b.low + b.high.min(xhi)) / 2.0, b.value.min(yhi)))),
    );
    // Bar outlines keep neighbouring bars apart.
    let outlines = shown
        .iter()
        .map(|b| Rectangle::new([(b.low, 0.0), (b.high.min(xhi), b.value.min(yhi))], WHITE.stroke_width(1)));
    chart.draw_series(outlines).map_err(err)?;
    for m in c.markers.iter().filter(|m| m.x.is_finite() && m.x <= xhi) {
        let color = rgb(m.color);
        let line = DashedLineSeries::new(vec![(m.x, ylo), (m.x, yhi)], 10, 6, color.stroke_width(3));
        chart.draw_series(line).map_err(err)?;
        if !m.on_curve {
            let (anchor, dx) = place(m.x);
            let style = (FONT, LABEL_SIZE + 1).into_font().color(&color).pos(Pos::new(anchor, VPos::Top));
            label_box(&chart, &bar_area, (m.x, yhi - (yhi - ylo) * 0.03), dx, &m.label, style, layout)?;
        }
    }
    Ok(())
}

/// The curve's value at `x`, interpolated between its points.
fn curve_at(points: &[(f64, f64)], x: f64) -> f64 {
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x0 <= x && x <= x1 {
            return if x1 > x0 { y0 + (y1 - y0) * (x - x0) / (x1 - x0) } else { y1 };
        }
    }
    points.last().filter(|p| p.0 <= x).map_or(f64::NAN, |p| p.1)
}

/// Draws a label with a white box behind it at `at` (chart coordinates) offset `dx` pixels,
/// and records its box in the layout.
fn label_box<DB: DrawingBackend, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    area: &Area<DB>,
    at: (f64, f64),
    dx: i32,
    text: &str,
    style: TextStyle<'_>,
    layout: &mut Layout,
) -> anyhow::Result<()>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let (w, h) = area.estimate_text_size(text, &style).map_err(err)?;
    let (w, h) = (w as i32, h as i32);
    let right = dx < 0;
    let (x0, x1) = if right { (dx - w - 4, dx + 4) } else { (dx - 4, dx + w + 4) };
    let (px, py) = chart.backend_coord(&at);
    layout.labels.push(Rect { x0: px + x0, y0: py - 3, x1: px + x1, y1: py + h + 3 });
    let label = EmptyElement::at(at)
        + Rectangle::new([(x0, -3), (x1, h + 3)], WHITE.mix(0.85).filled())
        + Text::new(text.to_string(), (dx, 0), style);
    chart.plotting_area().draw(&label).map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_ticks_fall_on_day_divisors_for_several_days() {
        let labels: Vec<String> = (0..7 * 48).map(|i| format!("day {} 08:00", i / 48 + 1)).collect();
        let ticks = x_ticks(&labels, 48, 1000);
        assert!(ticks.len() >= 2 && ticks.len() <= 10, "{ticks:?}");
        let step = ticks[1] - ticks[0];
        assert!(48.0 % step == 0.0 || step % 48.0 == 0.0, "step {step}");
    }

    #[test]
    fn x_ticks_of_a_single_interval_is_its_start() {
        assert_eq!(x_ticks(&["08:00".to_string()], 1, 1000), vec![0.0]);
        assert!(x_ticks(&[], 1, 1000).is_empty());
    }

    #[test]
    fn runs_split_at_gaps() {
        let v = [1.0, f64::NAN, 2.0, 3.0, f64::NAN];
        assert_eq!(runs(v.len(), |i| v[i].is_finite()), vec![0..1, 2..4]);
    }
}
