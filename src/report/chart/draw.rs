//! The drawing code: one function per chart kind, generic over the plotters backend so PNG and
//! SVG come out of the same code.
//!
//! Every chart has the same frame: the title on top, the plot, and the legend in its own strip
//! below the plot, so the legend never covers data. Text that must fit the picture (titles,
//! legend entries, notes, labels) is wrapped by one function, [`fit_lines`]. Undefined values
//! (NaN) leave gaps; a chart with nothing finite to show becomes an empty frame with a note.

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

mod bars;
mod curves;
mod histogram;
mod interval;
mod scatter;

use bars::bars;
use curves::curves;
use histogram::histogram;
use interval::intervals;
use scatter::scatter;

use super::layout::{Layout, Rect};
use super::{BarsChart, Body, CurveChart, HistogramChart, IntervalChart, ScatterChart, Shape, ValueFormat};

pub(super) const MISS: RGBColor = RGBColor(super::MISS[0], super::MISS[1], super::MISS[2]);
/// Over-staffing shade: Okabe-Ito blue.
pub(super) const OVER: RGBColor = RGBColor(0, 114, 178);
pub(super) const GOAL: RGBColor = RGBColor(60, 60, 60);
/// The embedded font's family, then fonts of near-identical metrics, then the generic family:
/// PNGs use the embedded DejaVu Sans; an SVG viewer uses it when installed (most Linux
/// desktops), else Verdana (same design lineage and widths), so both look alike.
pub(super) const FONT: &str = "DejaVu Sans, Verdana, sans-serif";
pub(super) const TITLE_SIZE: u32 = 30;
/// The most lines a title wraps into, and the space kept clear at each side of it.
const TITLE_LINES: usize = 3;
const TITLE_SIDE: u32 = 20;
pub(super) const LABEL_SIZE: u32 = 17;
pub(super) const AXIS_TITLE_SIZE: u32 = 20;
pub(super) const LEGEND_SIZE: u32 = 17;
const LEGEND_ROW: u32 = 28;
/// The step between the lines of one legend entry wrapped to fit, and the most lines it takes.
const LEGEND_LINE: u32 = 22;
const LEGEND_LINES: usize = 6;
/// The space kept clear at each side of the legend, the width of an entry's mark (with the
/// space before its text) and the gap after an entry.
const LEGEND_SIDE: u32 = 20;
const LEGEND_MARK: u32 = 34;
const LEGEND_GAP: u32 = 28;

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
        Body::Curves(chart) => curves(root, chart, layout),
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
    /// A scatter point, hollow, as [`scatter`] draws it.
    Point(RGBColor),
    Ring(RGBColor),
    Fill(RGBAColor),
    /// A heat-map cell's swatch with a dark corner of this colour, as the heat map marks cells.
    Corner(RGBColor),
    /// An error bar with caps, as [`scatter`] draws it.
    ErrorBar(RGBColor),
    Text,
}

/// A scatter point: a ring of this radius and stroke, hollow so an error bar shows through.
pub(super) const POINT_RADIUS: i32 = 7;
pub(super) const POINT_STROKE: u32 = 3;
/// An error bar's stroke, and how far its caps reach on each side.
pub(super) const ERROR_BAR_STROKE: u32 = 3;
pub(super) const ERROR_CAP: i32 = 10;

pub(super) struct Entry {
    mark: Mark,
    text: String,
}

pub(super) fn entry(mark: Mark, text: impl Into<String>) -> Entry {
    Entry { mark, text: text.into() }
}

/// `text` set at `size` in lines no wider than `room` pixels: as one line when it fits, else
/// wrapped at spaces (never before a `±`) into as many lines as it needs, up to `max_lines`.
/// A line still too wide (one long word), or the last one kept when words were left over, is
/// cut to fit and ends in `…`. Every text a chart must fit into its picture (titles, legend
/// entries, notes, labels beside a marker or a point) is set here. Widths are plotters'
/// estimates, which run a little wider than the text is drawn, so what fits here fits drawn.
pub(super) fn fit_lines<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    size: u32,
    room: u32,
    max_lines: usize,
) -> anyhow::Result<Vec<String>> {
    let text_width = |text: &str| -> anyhow::Result<u32> {
        Ok(area.estimate_text_size(text, &(FONT, size).into()).map_err(err)?.0)
    };
    if text_width(text)? <= room {
        return Ok(vec![text.to_string()]);
    }
    // Words as wrapping sees them: a figure's `± half-width` stays with the figure.
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match words.last_mut() {
            Some(last) if word.starts_with('±') => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    for word in words {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"))? <= room => {
                line.push(' ');
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    let dropped = lines.len() > max_lines.max(1);
    lines.truncate(max_lines.max(1));
    let last = lines.len() - 1;
    for (k, line) in lines.iter_mut().enumerate() {
        if (dropped && k == last) || text_width(line)? > room {
            let mut kept: String = line.clone();
            while !kept.is_empty() && text_width(&format!("{kept}…"))? > room {
                kept.pop();
            }
            *line = format!("{kept}…");
        }
    }
    Ok(lines)
}

/// Draws the title at the top of `root` and returns the area below it. A title wider than
/// the picture (a long scenario name) is set a size smaller and fitted by [`fit_lines`] into
/// up to [`TITLE_LINES`] lines. Each line's box is recorded in the layout.
fn titled_to_fit<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    layout: &mut Layout,
) -> anyhow::Result<Area<DB>> {
    let (width, _) = root.dim_in_pixel();
    let room = width.saturating_sub(2 * TITLE_SIDE);
    let fits = root.estimate_text_size(title, &(FONT, TITLE_SIZE).into()).map_err(err)?.0 <= room;
    let size = if fits { TITLE_SIZE } else { TITLE_SIZE * 4 / 5 };
    let lines = fit_lines(root, title, size, room, TITLE_LINES)?;
    let mut body = root.clone();
    let mut top = 0;
    for line in &lines {
        let (w, h) = body.estimate_text_size(line, &(FONT, size).into()).map_err(err)?;
        let left = (width.saturating_sub(w) / 2) as i32;
        layout.title.push(Rect { x0: left, y0: top, x1: left + w as i32, y1: top + h as i32 });
        let below = body.titled(line, (FONT, size)).map_err(err)?;
        top += body.dim_in_pixel().1 as i32 - below.dim_in_pixel().1 as i32;
        body = below;
    }
    Ok(body)
}

/// One legend entry as laid out: its mark, its text in lines ([`fit_lines`]) and its width
/// with the gap after it.
struct Placed<'e> {
    mark: &'e Mark,
    lines: Vec<String>,
    width: u32,
}

/// The height of a legend row whose tallest entry has `n_lines` lines.
fn row_height(n_lines: usize) -> u32 {
    LEGEND_ROW + n_lines.saturating_sub(1) as u32 * LEGEND_LINE
}

/// Draws the title and the legend strip, and returns the area left for the plot. Entries are
/// laid out in rows, wrapping at the strip's width; an entry wider than the strip on its own
/// (a long note) is wrapped into lines by [`fit_lines`], and the strip grows to hold them.
pub(super) fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    legend: &[Entry],
    layout: &mut Layout,
) -> anyhow::Result<Area<DB>> {
    let body = titled_to_fit(root, title, layout)?;
    let (width, height) = body.dim_in_pixel();
    let font: TextStyle = (FONT, LEGEND_SIZE).into();
    let room = width.saturating_sub(2 * LEGEND_SIDE);
    let mut rows: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut row_width = 0;
    for e in legend {
        let mark_w = if matches!(e.mark, Mark::Text) { 0 } else { LEGEND_MARK };
        let text_room = room.saturating_sub(mark_w + LEGEND_GAP);
        let lines = fit_lines(&body, &e.text, LEGEND_SIZE, text_room, LEGEND_LINES)?;
        let mut text_w = 0;
        for line in &lines {
            text_w = text_w.max(body.estimate_text_size(line, &font).map_err(err)?.0);
        }
        let w = mark_w + text_w + LEGEND_GAP;
        if row_width + w > room && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            row_width = 0;
        }
        row_width += w;
        if let Some(row) = rows.last_mut() {
            row.push(Placed { mark: &e.mark, lines, width: w });
        }
    }
    let rows: Vec<_> = rows.into_iter().filter(|r| !r.is_empty()).collect();
    let heights: Vec<u32> =
        rows.iter().map(|r| row_height(r.iter().map(|e| e.lines.len()).max().unwrap_or(1))).collect();
    let strip = if rows.is_empty() { 0 } else { heights.iter().sum::<u32>() + 12 };
    let (plot, strip_area) = body.split_vertically(height.saturating_sub(strip));
    if strip > 0 {
        layout.legend = Some(rect_of(&strip_area));
    }
    let mut row_top = 0;
    for (row, row_h) in rows.iter().zip(&heights) {
        let total: u32 = row.iter().map(|e| e.width).sum();
        let mut x = (width.saturating_sub(total) / 2) as i32;
        let y = (row_top + LEGEND_ROW / 2 + 4) as i32;
        for e in row {
            let text_x = match e.mark {
                Mark::Text => x,
                mark => {
                    draw_mark(&strip_area, mark, x, y)?;
                    x + LEGEND_MARK as i32
                }
            };
            let style = font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
            for (k, line) in e.lines.iter().enumerate() {
                let at = (text_x, y + (k as u32 * LEGEND_LINE) as i32);
                strip_area.draw(&Text::new(line.clone(), at, style.clone())).map_err(err)?;
            }
            x += e.width as i32;
        }
        row_top += row_h;
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
        Mark::Point(c) => area
            .draw(&Circle::new((x + 14, y), POINT_RADIUS as u32, c.stroke_width(POINT_STROKE)))
            .map_err(err)?,
        Mark::Ring(c) => area.draw(&Circle::new((x + 14, y), 7, c.stroke_width(2))).map_err(err)?,
        Mark::Fill(c) => {
            area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], c.filled())).map_err(err)?;
            // A swatch about as light as the page (white at a heat map's reference, the pale
            // grey of a blank cell) gets an outline, so it reads as a swatch.
            if c.0.min(c.1).min(c.2) >= 230 && c.3 > 0.5 {
                let outline = BLACK.mix(0.45).stroke_width(1);
                area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], outline)).map_err(err)?
            }
        }
        Mark::Corner(c) => {
            area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], RGBColor(245, 245, 245).filled()))
                .map_err(err)?;
            area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], BLACK.mix(0.45).stroke_width(1)))
                .map_err(err)?;
            let corner = vec![(x + 20, y - 9), (x + 28, y - 9), (x + 28, y - 1)];
            area.draw(&Polygon::new(corner, c.filled())).map_err(err)?
        }
        Mark::ErrorBar(c) => {
            let style = c.stroke_width(ERROR_BAR_STROKE);
            let (middle, cap) = (x + 14, ERROR_CAP);
            area.draw(&PathElement::new(vec![(middle, y - 10), (middle, y + 10)], style)).map_err(err)?;
            for dy in [-10, 10] {
                let ends = vec![(middle - cap, y + dy), (middle + cap, y + dy)];
                area.draw(&PathElement::new(ends, style)).map_err(err)?;
            }
        }
        Mark::Text => {}
    }
    Ok(())
}

/// The size of the note of an empty chart, and the step between its lines.
const EMPTY_SIZE: u32 = 24;
const EMPTY_LINE: i32 = 30;

/// An empty plot with a note in the middle, for charts with nothing to show.
pub(super) fn empty<DB: DrawingBackend>(root: &Area<DB>, title: &str, note: &str) -> anyhow::Result<()> {
    let plot = frame(root, title, &[], &mut Layout::default())?.margin(20, 30, 40, 40);
    let (w, h) = plot.dim_in_pixel();
    plot.draw(&Rectangle::new([(0, 0), (w as i32 - 1, h as i32 - 1)], BLACK.mix(0.3).stroke_width(1)))
        .map_err(err)?;
    let style =
        (FONT, EMPTY_SIZE).into_font().color(&BLACK.mix(0.7)).pos(Pos::new(HPos::Center, VPos::Center));
    let lines = fit_lines(&plot, &format!("no data: {note}"), EMPTY_SIZE, w.saturating_sub(40), 4)?;
    // The lines centred as a block, each a line height below the one before.
    let first = h as i32 / 2 - (lines.len() as i32 - 1) * EMPTY_LINE / 2;
    for (k, line) in lines.iter().enumerate() {
        let at = (w as i32 / 2, first + k as i32 * EMPTY_LINE);
        plot.draw(&Text::new(line.clone(), at, style.clone())).map_err(err)?;
    }
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
        (1..=per_day).filter(|s| per_day.is_multiple_of(*s)).chain((2..=n).map(|k| k * per_day)).collect()
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

/// The lines between the days of a by-interval chart from `lo` to `hi` (none for one day), so a
/// week reads as days.
fn day_boundaries(
    axis: &super::IntervalAxis,
    lo: f64,
    hi: f64,
) -> impl Iterator<Item = PathElement<(f64, f64)>> {
    let per_day = axis.per_day as f64;
    (1..axis.days().max(1)).map(move |d| {
        PathElement::new(
            vec![(d as f64 * per_day, lo), (d as f64 * per_day, hi)],
            BLACK.mix(0.45).stroke_width(1),
        )
    })
}

/// The plot of an x-y chart (scatter, histogram) on `area` over `x` and `y`, in the house
/// margins, its rectangle recorded in `layout`.
/// A chart over two continuous axes.
type XyChart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Draws the axes of an [`XyChart`] in the house style: each axis' title and its numbers,
/// written by `x_fmt` and `y_fmt`, about `labels` (x, y) of them.
fn draw_xy_axes<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    (x_title, y_title): (&str, &str),
    x_fmt: &dyn Fn(&f64) -> String,
    y_fmt: &dyn Fn(&f64) -> String,
    (x_labels, y_labels): (usize, usize),
) -> anyhow::Result<()> {
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_title)
        .y_desc(y_title)
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt)
        .x_labels(x_labels)
        .y_labels(y_labels);
    house_style(&mut mesh).draw().map_err(err)
}

fn xy_chart<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
    layout: &mut Layout,
) -> anyhow::Result<XyChart<'a, DB>> {
    let chart = ChartBuilder::on(area)
        .margin(15)
        .margin_right(40)
        .x_label_area_size(55)
        .y_label_area_size(95)
        .build_cartesian_2d(x, y)
        .map_err(err)?;
    layout.plots.push(rect_of(chart.plotting_area()));
    Ok(chart)
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
