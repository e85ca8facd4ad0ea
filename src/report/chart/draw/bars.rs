//! Stacked bars over the interval axis (e.g. staffing by group).

use super::*;

pub(super) fn bars<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &BarsChart,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let n = c.axis.len();
    let val = |s: &crate::report::chart::Series, i: usize| {
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
    // An empty stretch between bars is closed time (or an interval nothing came in): said so,
    // or a reader takes it for missing data.
    let total = |i: usize| c.panels.iter().flat_map(|p| &p.stacks).map(|s| val(s, i)).sum::<f64>();
    if interior_gap(n, |i| total(i) > 0.0) {
        legend.push(entry(Mark::Text, GAP_NOTE_BARS));
    }
    let plot = frame(root, &c.title, &legend, layout)?;
    let plot = below_day_names(plot, &c.axis, layout)?;
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
        let y_fmt = axis_labels(lo, hi, 6, ValueFormat::Number);
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
            chart.draw_series(day_boundaries(&c.axis, lo, hi)).map_err(err)?;
        }
    }
    Ok(())
}

/// The legend note of bar charts with an empty stretch between bars.
const GAP_NOTE_BARS: &str = "no bar: closed, or nothing offered then";

/// Whether some interval where `filled` does not hold lies between two where it does.
pub(super) fn interior_gap(n: usize, filled: impl Fn(usize) -> bool) -> bool {
    let first = (0..n).find(|&i| filled(i));
    let last = (0..n).rev().find(|&i| filled(i));
    match (first, last) {
        (Some(a), Some(b)) => (a..=b).any(|i| !filled(i)),
        _ => false,
    }
}
