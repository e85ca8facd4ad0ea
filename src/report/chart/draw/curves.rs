//! Curves over a continuous x axis, with their bands: alone on their own axes (the
//! Kaplan-Meier patience curve against a fitted distribution), or over a histogram's bars (each
//! fitted family's share per bin). One path draws a curve wherever it appears.
//!
//! A step curve is drawn as a step function, never joined diagonally: each value is held flat
//! until the next point's x, where the curve rises (or falls) vertically. Its band is stepped
//! the same way.

use super::xy::XyChart;
use super::*;
use crate::report::chart::Curve;

pub(super) fn curves<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &CurveChart,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let (xlo, xhi) = c.x_range;
    let has_data = c.curves.iter().any(|k| finite_points(k).next().is_some());
    if !(has_data && xlo.is_finite() && xhi.is_finite() && xhi > xlo) {
        return empty(root, &c.title, &c.empty_note);
    }
    let mut legend = legend_entries(&c.curves);
    if let Some(note) = &c.note {
        legend.push(entry(Mark::Text, note));
    }
    let plot = frame(root, &c.title, &legend, layout)?;
    let (ylo, yhi) = y_range(curve_values(&c.curves), c.y_format);
    let mut chart = xy_chart(&plot, xlo..xhi, ylo..yhi, layout)?;
    let (x_labels, y_labels) = (10, 6);
    let x_fmt = axis_labels(xlo, xhi, x_labels, c.x_format);
    let y_fmt = axis_labels(ylo, yhi, y_labels, c.y_format);
    draw_xy_axes(&mut chart, (&c.x_title, &c.y_title), &x_fmt, &y_fmt, (x_labels, y_labels))?;
    draw_curves(&mut chart, &c.curves, (xlo, xhi), (ylo, yhi), layout)
}

/// The legend entries of `curves`: each curve (solid or dashed, in its colour), then each band.
pub(super) fn legend_entries(curves: &[Curve]) -> Vec<Entry> {
    let lines = curves.iter().map(|k| {
        let color = rgb(k.color);
        entry(if k.dashed { Mark::Dashed(color) } else { Mark::Line(color) }, &k.name)
    });
    let bands = curves
        .iter()
        .filter_map(|k| k.band.as_ref().map(|b| entry(Mark::Fill(rgb(k.color).mix(BAND_OPACITY)), &b.label)));
    lines.chain(bands).collect()
}

/// Every finite value the curves and their bands reach, for the y range.
pub(super) fn curve_values(curves: &[Curve]) -> impl Iterator<Item = f64> + '_ {
    curves.iter().flat_map(|k| {
        let band = k.band.iter().flat_map(|b| b.bounds.iter().map(|&(_, high)| high));
        finite_points(k).map(|(_, y)| y).chain(band).filter(|v| v.is_finite())
    })
}

/// How opaque a band is over the white plot.
const BAND_OPACITY: f64 = 0.2;

/// Draws the curves on `chart` (x inside `x`, y clamped to `y`): bands first, then the lines.
pub(super) fn draw_curves<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    curves: &[Curve],
    x: (f64, f64),
    y: (f64, f64),
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let inside = |p: &(f64, f64)| p.0 >= x.0 && p.0 <= x.1;
    let clamp = |v: f64| v.clamp(y.0, y.1);
    for k in curves {
        let Some(band) = &k.band else { continue };
        let bounds: Vec<(f64, (f64, f64))> = k
            .points
            .iter()
            .zip(&band.bounds)
            .filter(|(p, (lo, hi))| p.0.is_finite() && lo.is_finite() && hi.is_finite() && inside(p))
            .map(|(p, &(lo, hi))| (p.0, (clamp(lo), clamp(hi))))
            .collect();
        if bounds.len() < 2 {
            continue;
        }
        let upper: Vec<(f64, f64)> = bounds.iter().map(|&(x, (_, hi))| (x, hi)).collect();
        let lower: Vec<(f64, f64)> = bounds.iter().map(|&(x, (lo, _))| (x, lo)).collect();
        let mut outline = path(&upper, k.shape);
        outline.extend(path(&lower, k.shape).into_iter().rev());
        let fill = rgb(k.color).mix(BAND_OPACITY).filled();
        chart.draw_series(std::iter::once(Polygon::new(outline, fill))).map_err(err)?;
    }
    for k in curves {
        let points: Vec<(f64, f64)> = finite_points(k).filter(inside).map(|(x, v)| (x, clamp(v))).collect();
        let line = path(&points, k.shape);
        layout.points.extend(line.iter().map(|p| chart.backend_coord(p)));
        let style = rgb(k.color).stroke_width(3);
        if k.dashed {
            chart.draw_series(DashedLineSeries::new(line, 10, 6, style)).map_err(err)?;
        } else {
            chart.draw_series(std::iter::once(PathElement::new(line, style))).map_err(err)?;
        }
    }
    Ok(())
}

fn finite_points(k: &Curve) -> impl Iterator<Item = (f64, f64)> + '_ {
    k.points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite())
}

/// The vertices drawn for `points`: as given for lines; for steps, a corner before each rise,
/// so every segment is flat or vertical.
fn path(points: &[(f64, f64)], shape: Shape) -> Vec<(f64, f64)> {
    match shape {
        Shape::Lines => points.to_vec(),
        Shape::Steps => {
            let mut out = Vec::with_capacity(2 * points.len());
            for (i, &(x, y)) in points.iter().enumerate() {
                if let Some(&(_, before)) = i.checked_sub(1).map(|j| &points[j])
                    && before != y
                {
                    out.push((x, before));
                }
                out.push((x, y));
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_path_holds_each_value_until_the_next_point() {
        let steps = path(&[(0.0, 0.0), (10.0, 0.25), (20.0, 0.25), (30.0, 0.5)], Shape::Steps);
        assert_eq!(steps, [(0.0, 0.0), (10.0, 0.0), (10.0, 0.25), (20.0, 0.25), (30.0, 0.25), (30.0, 0.5)]);
        for w in steps.windows(2) {
            assert!(w[0].0 == w[1].0 || w[0].1 == w[1].1, "a diagonal segment: {w:?}");
        }
        assert_eq!(path(&[(0.0, 1.0), (1.0, 2.0)], Shape::Lines), [(0.0, 1.0), (1.0, 2.0)]);
    }
}
