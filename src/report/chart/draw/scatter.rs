//! Scatter charts of labelled points with error bars (e.g. cost against service level).

use super::*;

/// The colour of the vertical reference line (Okabe-Ito reddish purple): apart from the goal's
/// grey and the points' palette colour.
const REFERENCE: RGBColor = RGBColor(204, 121, 167);

/// A scatter point: a ring of this radius and stroke, hollow so an error bar shows through.
pub(super) const POINT_RADIUS: i32 = 7;
pub(super) const POINT_STROKE: u32 = 3;
/// An error bar's stroke, and how far its caps reach on each side.
pub(super) const ERROR_BAR_STROKE: u32 = 3;
pub(super) const ERROR_CAP: i32 = 10;

pub(super) fn scatter<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &ScatterChart,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let points: Vec<_> = c.points.iter().filter(|p| p.x.is_finite() && p.y.is_finite()).collect();
    if points.is_empty() {
        return empty(root, &c.title, &c.empty_note);
    }
    // One series is one colour; otherwise each point is its own, named by its label.
    let color_of = |i: usize| palette(if c.series.is_some() { 0 } else { i }, None);
    let mut legend: Vec<Entry> = match &c.series {
        Some(name) => vec![entry(Mark::Point(color_of(0)), name)],
        None => c
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.label.is_empty())
            .map(|(i, p)| entry(Mark::Point(color_of(i)), &p.label))
            .collect(),
    };
    if let Some(g) = &c.goal {
        legend.push(entry(Mark::Dashed(GOAL), &g.label));
    }
    let reference = c.x_reference.as_ref().filter(|(x, _)| x.is_finite());
    if let Some((_, label)) = reference {
        legend.push(entry(Mark::Dashed(REFERENCE), label));
    }
    if c.points.iter().any(|p| p.y_band.is_some()) {
        // In the points' own shade when they share one colour; else each bar takes its point's,
        // and the legend shows a neutral one.
        let one_colour = c.series.is_some() || c.points.len() == 1;
        let bar = if one_colour { darker(color_of(0)) } else { GOAL };
        legend.push(entry(Mark::ErrorBar(bar), "95% confidence interval"));
    }
    let plot = frame(root, &c.title, &legend, layout)?;
    let pad = |lo: f64, hi: f64| {
        let span = if hi - lo > 0.0 { hi - lo } else { hi.abs().max(1.0) };
        (lo - 0.15 * span, hi + 0.15 * span)
    };
    let xs = points.iter().map(|p| p.x).chain(reference.map(|r| r.0));
    let (xlo, xhi) = pad(xs.clone().fold(f64::INFINITY, f64::min), xs.fold(f64::NEG_INFINITY, f64::max));
    let (ylo, yhi) = if c.y_format == ValueFormat::Percent {
        (0.0, 1.04)
    } else {
        let ys = points.iter().flat_map(|p| [p.y].into_iter().chain(p.y_band.map(|b| b.1)));
        let ys = ys.chain(c.goal.iter().map(|g| g.value));
        pad(ys.clone().fold(f64::INFINITY, f64::min), ys.fold(f64::NEG_INFINITY, f64::max))
    };
    let mut chart = xy_chart(&plot, xlo..xhi, ylo..yhi, layout)?;
    let (x_labels, y_labels) = (8, 10);
    let x_fmt = axis_labels(xlo, xhi, x_labels, c.x_format);
    let y_fmt = axis_labels(ylo, yhi, y_labels, c.y_format);
    draw_xy_axes(&mut chart, (&c.x_title, &c.y_title), &x_fmt, &y_fmt, (x_labels, y_labels))?;
    if let Some(g) = &c.goal {
        let line = DashedLineSeries::new(vec![(xlo, g.value), (xhi, g.value)], 12, 8, GOAL.stroke_width(2));
        chart.draw_series(line).map_err(err)?;
    }
    if let Some((x, _)) = reference {
        let line = DashedLineSeries::new(vec![(*x, ylo), (*x, yhi)], 10, 6, REFERENCE.stroke_width(3));
        chart.draw_series(line).map_err(err)?;
    }
    for (i, p) in c.points.iter().enumerate().filter(|(_, p)| p.x.is_finite() && p.y.is_finite()) {
        let color = color_of(i);
        // Error bar with caps, drawn over a hollow dot so a short interval still shows.
        if let Some((l, h)) = p.y_band.filter(|(l, h)| l.is_finite() && h.is_finite()) {
            let (l, h) = (l.clamp(ylo, yhi), h.clamp(ylo, yhi));
            let style = darker(color).stroke_width(ERROR_BAR_STROKE);
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(p.x, l), (p.x, h)], style)))
                .map_err(err)?;
            for y in [l, h] {
                let cap = EmptyElement::at((p.x, y))
                    + PathElement::new(vec![(-ERROR_CAP, 0), (ERROR_CAP, 0)], style);
                chart.draw_series(std::iter::once(cap)).map_err(err)?;
            }
        }
        // Labels of points in the right quarter go to their left, so they stay in the picture; a
        // label wider than the plot on its side is wrapped to fit, its lines stacked upwards.
        let right = p.x > xlo + 0.75 * (xhi - xlo);
        let (anchor, dx) = if right { (HPos::Right, -14) } else { (HPos::Left, 14) };
        let label_style = (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(anchor, VPos::Bottom));
        let at = (p.x, p.y.clamp(ylo, yhi));
        let (px, py) = chart.backend_coord(&at);
        layout.points.push((px, py));
        let dot =
            EmptyElement::at(at) + Circle::new((0, 0), POINT_RADIUS as u32, color.stroke_width(POINT_STROKE));
        if p.label.is_empty() {
            chart.draw_series(std::iter::once(dot)).map_err(err)?;
            continue;
        }
        let (plot_x, _) = chart.plotting_area().get_pixel_range();
        let room = if right { px + dx - plot_x.start } else { plot_x.end - px - dx }.max(0) as u32;
        let lines = fit_lines(&plot, &p.label, LABEL_SIZE, room, 3)?;
        let (mut w, mut line_h) = (0, 0);
        for line in &lines {
            let (lw, lh) = plot.estimate_text_size(line, &label_style).map_err(err)?;
            (w, line_h) = (w.max(lw as i32), line_h.max(lh as i32));
        }
        let h = line_h * lines.len() as i32;
        let x0 = if right { px + dx - w } else { px + dx };
        layout.labels.push(Rect { x0, y0: py - 8 - h, x1: x0 + w, y1: py - 8 });
        let mut above = lines.into_iter().rev();
        let labelled = dot + Text::new(above.next().unwrap_or_default(), (dx, -8), label_style.clone());
        chart.draw_series(std::iter::once(labelled)).map_err(err)?;
        for (k, line) in above.enumerate() {
            let text = EmptyElement::at(at)
                + Text::new(line, (dx, -8 - (k as i32 + 1) * line_h), label_style.clone());
            chart.draw_series(std::iter::once(text)).map_err(err)?;
        }
    }
    Ok(())
}
