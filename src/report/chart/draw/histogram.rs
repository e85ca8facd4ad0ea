//! Histograms with an optional cumulative curve, curves over the bars and labelled markers
//! (e.g. the wait distribution; handle times against fitted families).

use super::*;

/// The size of a marker's label.
const MARKER_SIZE: u32 = LABEL_SIZE + 1;

pub(super) fn histogram<DB: DrawingBackend>(
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
    legend.extend(super::curves::legend_entries(&c.curves));
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
    let heights = bins.iter().map(|b| b.value).chain(super::curves::curve_values(&c.curves));
    let (ylo, yhi) = y_range(heights.map(|v| v * 1.1), ValueFormat::Number);
    let yhi = if c.y_format == ValueFormat::Percent { yhi.min(1.1) } else { yhi };
    let x_fmt = axis_labels(xlo, xhi, 12, ValueFormat::Number);
    let (curve_area, bar_area) = match &c.cumulative {
        Some(_) => {
            let (_, h) = plot.dim_in_pixel();
            let (top, bottom) = plot.split_vertically(h * 9 / 20);
            (Some(top), bottom)
        }
        None => (None, plot.clone()),
    };
    // Marker label placement: right of the line, or left of it in the right third; away from
    // the other markers' lines, which are drawn across both panels.
    let place = |x: f64| if x > xlo + (xhi - xlo) * 0.66 { -8 } else { 8 };
    let others = |m: &crate::report::chart::Marker| -> Vec<f64> {
        c.markers
            .iter()
            .filter(|o| !std::ptr::eq(*o, m) && o.x.is_finite() && o.x <= xhi)
            .map(|o| o.x)
            .collect()
    };
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
                let (x_px, y_px) = chart.plotting_area().get_pixel_range();
                let per_px = (
                    (xhi - xlo) / f64::from((x_px.end - x_px.start).max(1)),
                    1.04 / f64::from((y_px.end - y_px.start).max(1)),
                );
                let (w, h) = area.estimate_text_size(&m.label, &(FONT, MARKER_SIZE).into()).map_err(err)?;
                // The height is sought where the label will stand, which may be past another
                // marker's line rather than beside its own.
                let (beside, _) = label_anchor(&chart, area, m.x, place(m.x), m, &others(m))?;
                let top = label_height(
                    &points,
                    beside,
                    (f64::from(w) * per_px.0, f64::from(h) * per_px.1),
                    per_px.1,
                );
                label_box(&chart, area, (m.x, top), place(m.x), m, &others(m), layout)?;
            }
        }
    }
    let mut chart = xy_chart(&bar_area, xlo..xhi, ylo..yhi, layout)?;
    let y_fmt = axis_labels(ylo, yhi, 6, c.y_format);
    draw_xy_axes(&mut chart, (&c.x_title, &c.y_title), &x_fmt, &y_fmt, (12, 6))?;
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
    super::curves::draw_curves(&mut chart, &c.curves, (xlo, xhi), (ylo, yhi), layout)?;
    for m in c.markers.iter().filter(|m| m.x.is_finite() && m.x <= xhi) {
        let color = rgb(m.color);
        let line = DashedLineSeries::new(vec![(m.x, ylo), (m.x, yhi)], 10, 6, color.stroke_width(3));
        chart.draw_series(line).map_err(err)?;
        if !m.on_curve {
            let at = (m.x, yhi - (yhi - ylo) * 0.03);
            label_box(&chart, &bar_area, at, place(m.x), m, &others(m), layout)?;
        }
    }
    Ok(())
}

/// Where the top of a label `size` (x, y, in chart units) wide and tall beside a marker at `x`
/// goes on the cumulative panel (0..104%): low down, where a curve that starts high leaves
/// room; else the first height whose box, on either side of the line, the curve passes wholly
/// above or below, so the label's white box hides none of it (a service level of a few
/// percent runs along the bottom). `pixel` is one pixel in y units.
fn label_height(points: &[(f64, f64)], x: f64, size: (f64, f64), pixel: f64) -> f64 {
    let pad = 8.0 * pixel;
    let reach = size.0 + 30.0 * pixel.max(0.0);
    // The points under the box, and one either side, so that no segment crosses it unseen.
    let first = points.iter().rposition(|p| p.0 < x - reach).unwrap_or(0);
    let last = points.iter().position(|p| p.0 > x + reach).unwrap_or(points.len().saturating_sub(1));
    let near = points.get(first..=last).unwrap_or(&[]);
    let clear =
        |top: f64| near.iter().all(|p| p.1 > top + pad) || near.iter().all(|p| p.1 < top - size.1 - pad);
    [0.2, 0.95, 0.6, 0.4, 0.8].into_iter().find(|t| clear(*t)).unwrap_or(0.2)
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

/// Which line the label of marker `m` stands beside (its own at `x`, or another marker's, as an
/// x in chart coordinates) and on which side (`true`: left), `dx` pixels from it (the side
/// preferred: left when negative). The label goes beside its own line, on the preferred side,
/// else the other, where it fits in the plot clear of every other marker's line (at `avoid`,
/// x in chart coordinates: a p90 of 19 s beside a target of 20 s). When neither side is clear
/// (the target of an email's 12 h with its p90 of 10.5 h close on its left and the plot's edge
/// on its right), it goes past the nearest other line that leaves it room, on the far side from
/// its own, so that the lines it labels and crosses are none. Failing all that, beside its own
/// line where it fits, else on the roomier side (to be wrapped by [`fit_lines`]).
fn label_anchor<DB: DrawingBackend, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    area: &Area<DB>,
    x: f64,
    dx: i32,
    m: &crate::report::chart::Marker,
    avoid: &[f64],
) -> anyhow::Result<(f64, bool)>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let font: TextStyle = (FONT, MARKER_SIZE).into();
    let (plot_x, _) = chart.plotting_area().get_pixel_range();
    // A line's pixel column does not depend on the height it is taken at.
    let y = chart.y_range().start;
    let px_of = |x: f64| chart.backend_coord(&(x, y)).0;
    let w = area.estimate_text_size(&m.label, &font).map_err(err)?.0 as i32;
    let gap = dx.abs() + 4;
    let own = px_of(x);
    // Every marker's line in pixels, with its x: the label's own among them.
    let lines: Vec<(i32, f64)> =
        std::iter::once((own, x)).chain(avoid.iter().map(|&a| (px_of(a), a))).collect();
    let fits = |at: i32, left: bool| w <= if left { at - plot_x.start - gap } else { plot_x.end - at - gap };
    let clear = |at: i32, left: bool| {
        let (x0, x1) = if left { (at - gap - w, at - 1) } else { (at + 1, at + gap + w) };
        !lines.iter().any(|(l, _)| (x0..=x1).contains(l))
    };
    let preferred_left = dx < 0;
    for left in [preferred_left, !preferred_left] {
        if fits(own, left) && clear(own, left) {
            return Ok((x, left));
        }
    }
    let mut others: Vec<(i32, f64)> = lines[1..].to_vec();
    others.sort_by_key(|(l, _)| (l - own).abs());
    for (at, at_x) in others {
        let left = at < own;
        if at != own && fits(at, left) && clear(at, left) {
            return Ok((at_x, left));
        }
    }
    let left = if fits(own, preferred_left) {
        preferred_left
    } else if fits(own, !preferred_left) {
        !preferred_left
    } else {
        own - plot_x.start > plot_x.end - own
    };
    Ok((x, left))
}

/// Draws the label of marker `m`, in its colour, with a white box behind it at height `at.1`
/// beside the line [`label_anchor`] chooses (`at.0` is the marker's x), `dx` pixels from it,
/// and records its box in the layout. One that fits on neither side is wrapped to fit by
/// [`fit_lines`].
#[allow(clippy::too_many_arguments)]
fn label_box<DB: DrawingBackend, X, Y>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
    area: &Area<DB>,
    at: (f64, f64),
    dx: i32,
    m: &crate::report::chart::Marker,
    avoid: &[f64],
    layout: &mut Layout,
) -> anyhow::Result<()>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let (text, size, color) = (m.label.as_str(), MARKER_SIZE, rgb(m.color));
    let font: TextStyle = (FONT, size).into();
    let (beside, left) = label_anchor(chart, area, at.0, dx, m, avoid)?;
    let at = (beside, at.1);
    let (px, py) = chart.backend_coord(&at);
    let (plot_x, _) = chart.plotting_area().get_pixel_range();
    // Room for the text on each side, past the offset and the box's padding.
    let right_room = plot_x.end - px - dx.abs() - 4;
    let left_room = px - plot_x.start - dx.abs() - 4;
    let room = if left { left_room } else { right_room }.max(0) as u32;
    let lines = fit_lines(area, text, size, room, 3)?;
    let mut w = 0;
    let mut line_h = 0;
    for line in &lines {
        let (lw, lh) = area.estimate_text_size(line, &font).map_err(err)?;
        w = w.max(lw as i32);
        line_h = line_h.max(lh as i32);
    }
    let h = line_h * lines.len() as i32;
    let dx = if left { -dx.abs() } else { dx.abs() };
    let (x0, x1) = if left { (dx - w - 4, dx + 4) } else { (dx - 4, dx + w + 4) };
    layout.labels.push(Rect { x0: px + x0, y0: py - 3, x1: px + x1, y1: py + h + 3 });
    let anchor = if left { HPos::Right } else { HPos::Left };
    let style = font.color(&color).pos(Pos::new(anchor, VPos::Top));
    let mut lines = lines.into_iter();
    let first = lines.next().unwrap_or_default();
    let label = EmptyElement::at(at)
        + Rectangle::new([(x0, -3), (x1, h + 3)], WHITE.mix(0.85).filled())
        + Text::new(first, (dx, 0), style.clone());
    chart.plotting_area().draw(&label).map_err(err)?;
    for (k, line) in lines.enumerate() {
        let below = EmptyElement::at(at) + Text::new(line, (dx, (k as i32 + 1) * line_h), style.clone());
        chart.plotting_area().draw(&below).map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::report::chart::{Bin, Chart, Cumulative, HistogramChart, Marker, ValueFormat, histogram};

    /// A wait chart of equal bars `width` seconds wide, each `value` of the calls, with the
    /// cumulative curve through `points`, the x axis to `x_max` and `markers`.
    fn wait_chart(
        bars: u32,
        width: f64,
        value: f64,
        points: Vec<(f64, f64)>,
        x_max: f64,
        markers: Vec<Marker>,
    ) -> Chart {
        let bins: Vec<Bin> = (0..bars)
            .map(|k| Bin { low: width * f64::from(k), high: width * f64::from(k + 1), value, highlight: 0.0 })
            .collect();
        histogram(
            "wait",
            HistogramChart {
                title: "wait".into(),
                x_title: "wait (s)".into(),
                y_title: "share (%)".into(),
                y_format: ValueFormat::Percent,
                bins,
                bar_labels: ("waited".into(), "at once".into()),
                cumulative: Some(Cumulative {
                    label: "answered within x".into(),
                    y_title: "within x (%)".into(),
                    points,
                }),
                x_max: Some(x_max),
                markers,
                curves: Vec::new(),
                note: None,
                empty_note: "none".into(),
            },
        )
    }

    /// A curve of a few to 20 percent runs along the bottom of the cumulative panel, where the
    /// target's label would go: the label moves up, clear of the curve.
    #[test]
    fn the_target_label_covers_no_part_of_the_curve() {
        let points: Vec<(f64, f64)> =
            (0..=45).map(|k| (200.0 * f64::from(k), 0.08 + 0.003 * f64::from(k))).collect();
        let n_points = points.len();
        let target = Marker {
            x: 20.0,
            label: "target 20 s: service level 1.3% ±0.3 (misses goal 80%)".into(),
            color: [213, 94, 0],
            on_curve: true,
        };
        let chart = wait_chart(45, 200.0, 0.02, points, 9000.0, vec![target]);
        let (_, layout) = chart.svg_and_layout().unwrap();
        let label = layout.labels[0];
        let curve = &layout.points[..n_points];
        // The curve's segments, sampled finely, stay out of the label's box.
        for w in curve.windows(2) {
            for k in 0..=20 {
                let t = f64::from(k) / 20.0;
                let x = f64::from(w[0].0) + t * f64::from(w[1].0 - w[0].0);
                let y = f64::from(w[0].1) + t * f64::from(w[1].1 - w[0].1);
                let inside = x >= f64::from(label.x0)
                    && x <= f64::from(label.x1)
                    && y >= f64::from(label.y0)
                    && y <= f64::from(label.y1);
                assert!(!inside, "the label {label:?} covers the curve at ({x}, {y})");
            }
        }
    }

    /// A 90th percentile of 19 s beside a target of 20 s: the percentile's label, preferring the
    /// right of its line, goes to the left, clear of the target's line (it ran across it).
    #[test]
    fn a_marker_label_does_not_run_across_another_markers_line() {
        let marker = |x: f64, label: &str, on_curve: bool| Marker {
            x,
            label: label.to_string(),
            color: [0, 0, 0],
            on_curve,
        };
        let points = (0..=60).map(|x| (f64::from(x), f64::from(x) / 60.0)).collect();
        let markers = vec![
            marker(20.0, "target 20 s: service level 85.4% (meets goal 80%)", true),
            marker(19.0, "p90 wait 19 s", false),
        ];
        let chart = wait_chart(30, 2.0, 0.03, points, 60.0, markers);
        let (_, layout) = chart.svg_and_layout().unwrap();
        let bars = layout.plots[1];
        let px = |x: f64| f64::from(bars.x0) + x / 60.0 * f64::from(bars.x1 - bars.x0);
        let p90 = layout.labels[1];
        assert!(p90.y0 >= bars.y0, "the p90 label is in the bar panel: {p90:?} {bars:?}");
        assert!(f64::from(p90.x1) < px(19.0), "left of its line: {p90:?}");
        let target = px(20.0);
        assert!(!(f64::from(p90.x0)..=f64::from(p90.x1)).contains(&target), "{p90:?} crosses {target}");
    }
}
