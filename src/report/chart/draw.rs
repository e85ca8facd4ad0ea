//! The drawing code: one function per chart kind, generic over the plotters backend so PNG and
//! SVG come out of the same code.
//!
//! Every chart has the same frame ([`frame`](mod@frame)): the title on top, the plot, and the
//! legend in its own strip below the plot. Undefined values (NaN) leave gaps; a chart with
//! nothing finite to show becomes an empty frame with a note. What the kinds share stays here:
//! colours, fonts, the axes' house style and their value labels; the interval axis ([`axis`])
//! and the x-y plot ([`xy`]) have modules of their own.

use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

mod axis;
mod bars;
mod curves;
mod frame;
mod histogram;
mod interval;
mod scatter;
mod xy;

use axis::{IntervalCoord, axis_ticks, below_day_names, day_boundaries};
use bars::bars;
use curves::curves;
pub(super) use frame::{Entry, Mark, empty, entry, fit_lines, frame};
use histogram::histogram;
use interval::intervals;
use scatter::scatter;
use xy::{draw_xy_axes, xy_chart};

use super::layout::{Layout, Rect};
use super::{
    BarsChart, Body, CurveChart, HistogramChart, IntervalChart, ScatterChart, Shape, Stack, ValueFormat,
};

pub(super) const MISS: RGBColor = RGBColor(super::MISS[0], super::MISS[1], super::MISS[2]);
/// Over-staffing shade: Okabe-Ito blue.
pub(super) const OVER: RGBColor = RGBColor(0, 114, 178);
pub(super) const GOAL: RGBColor = RGBColor(60, 60, 60);
/// The embedded font's family, then fonts of near-identical metrics, then the generic family:
/// PNGs use the embedded DejaVu Sans; an SVG viewer uses it when installed (most Linux
/// desktops), else Verdana (same design lineage and widths), so both look alike.
pub(super) const FONT: &str = "DejaVu Sans, Verdana, sans-serif";
pub(super) const LABEL_SIZE: u32 = 17;
pub(super) const AXIS_TITLE_SIZE: u32 = 20;

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
        Body::Intervals(chart, shape) => intervals(root, &[(chart.clone(), *shape)], Stack::Peers, layout),
        Body::Panels(panels, stack) => intervals(root, panels, *stack, layout),
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

/// The labels of an axis over `lo..hi` for which plotters is asked for `n_labels`: each value
/// written in `format` with the decimals the step between neighbours needs.
pub(super) fn axis_labels(lo: f64, hi: f64, n_labels: usize, format: ValueFormat) -> impl Fn(&f64) -> String {
    let step = label_step(lo, hi, n_labels);
    move |v: &f64| format_value(*v, format, step)
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
