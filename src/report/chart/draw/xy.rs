//! The plot over two continuous axes that scatter charts, histograms and curves share, with
//! its axes in the house style.

use plotters::coord::types::RangedCoordf64;

use super::*;

/// A chart over two continuous axes.
pub(super) type XyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws the axes of an [`XyChart`] in the house style: each axis' title and its numbers,
/// written by `x_fmt` and `y_fmt`, about `labels` (x, y) of them.
pub(super) fn draw_xy_axes<DB: DrawingBackend>(
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

/// The plot of an x-y chart (scatter, histogram) on `area` over `x` and `y`, in the house
/// margins, its rectangle recorded in `layout`.
pub(super) fn xy_chart<'a, DB: DrawingBackend>(
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
