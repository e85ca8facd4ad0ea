//! Charts over the interval axis: lines and steps, in one panel or several stacked, with the
//! goal, the shaded misses and surpluses, and a secondary axis.

use super::*;

/// Interval charts in stacked panels (one panel: a plain chart) sharing the x axis, the title
/// of the first and one legend.
pub(super) fn intervals<DB: DrawingBackend>(
    root: &Area<DB>,
    panels: &[(IntervalChart, Shape)],
    stack: Stack,
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
        // With one replication no interval has a confidence interval: nothing is shaded, and
        // the legend must not name a shading the chart does not draw.
        let drawn = |b: &[(f64, f64)]| b.iter().take(n).any(|(l, h)| l.is_finite() && h.is_finite());
        if c.series.iter().any(|s| s.band.as_deref().is_some_and(drawn)) {
            push(&mut legend, Mark::Fill(BLACK.mix(0.15)), "shaded: 95% confidence interval".into());
        }
        if let Some(g) = &c.goal {
            push(&mut legend, Mark::Dashed(GOAL), g.label.clone());
            if g.mark_below && (0..n).any(|i| misses(c, i)) {
                push(&mut legend, Mark::Ring(MISS), "below goal".into());
                // The tint behind such an interval, drawn below, says the same of the whole
                // interval: a reader must not take it for an interval or a closed hour.
                push(
                    &mut legend,
                    Mark::Fill(MISS.mix(MISS_TINT)),
                    "tinted: an interval below the goal".into(),
                );
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
    // The x axis ticks interval starts; a line's point stands for the whole interval, drawn at
    // its middle: the reader is told, so 09:45 under a point is not read as its time.
    if panels.iter().any(|(c, shape)| *shape == Shape::Lines && c.series.iter().any(|s| finite_in(s, n))) {
        // Points are drawn only on a short axis (see `dots`): on a long one the note must not
        // promise them.
        push(
            &mut legend,
            Mark::Text,
            if n <= MAX_DOTS { MIDDLE_NOTE } else { MIDDLE_NOTE_LINES }.to_string(),
        );
        // Beside lines drawn at the middle, a step panel (agents on duty above occupancy) must
        // not be read as shifted by half an interval too.
        if panels.iter().any(|(_, shape)| *shape == Shape::Steps) {
            push(&mut legend, Mark::Text, STEPS_NOTE.to_string());
        }
    }
    // A gap in a line judged against a goal is an interval with nothing to judge: closed
    // time, mostly.
    let gap = |s: &crate::report::chart::Series| {
        super::bars::interior_gap(n, |i| s.values.get(i).is_some_and(|v| v.is_finite()))
    };
    let judged = |c: &IntervalChart| c.goal.as_ref().is_some_and(|g| g.mark_below);
    if panels.iter().any(|(c, _)| judged(c) && c.series.iter().any(gap)) {
        push(&mut legend, Mark::Text, GAP_NOTE.to_string());
    }
    // Staffing lines (those shaded as under- or over-staffing) leave out the closed intervals,
    // before opening and after closing too, where nobody is required or on duty.
    let closed = |c: &IntervalChart, i: usize| {
        c.series.iter().all(|s| !s.values.get(i).is_some_and(|v| v.is_finite()))
    };
    if panels
        .iter()
        .any(|(c, _)| !c.shade.is_empty() && (0..n).any(|i| closed(c, i)) && (0..n).any(|i| !closed(c, i)))
    {
        push(&mut legend, Mark::Text, CLOSED_NOTE.to_string());
    }
    let plot = frame(root, &first.title, &legend, layout)?;
    // Day names get a strip of their own above the first panel.
    let plot = below_day_names(plot, &first.axis, layout)?;
    // A y title longer than its panel's plot is high goes above the plot, at the house size,
    // rather than shrunk along the axis until a slide cannot show it; the room it takes is
    // counted before the height is shared, so the plots still share it as `stack` says.
    let height = plot.dim_in_pixel().1;
    let uncaptioned = panel_heights(height, &vec![false; panels.len()], stack);
    let mut captions = Vec::with_capacity(panels.len());
    for (k, (c, _)) in panels.iter().enumerate() {
        let title_w = plot.estimate_text_size(&c.y_title, &(FONT, AXIS_TITLE_SIZE).into()).map_err(err)?.0;
        captions.push(title_w > uncaptioned[k].saturating_sub(panel_room(k + 1 == panels.len(), false)));
    }
    let heights = panel_heights(height, &captions, stack);
    let mut rest = plot;
    for (k, (c, shape)) in panels.iter().enumerate() {
        let last = k + 1 == panels.len();
        let area = if last {
            rest.clone()
        } else {
            let (top, bottom) = rest.split_vertically(heights[k]);
            rest = bottom;
            top
        };
        interval_panel(&area, c, *shape, Panel { show_x_title: last, caption: captions[k] }, layout)?;
    }
    Ok(())
}

/// Where a panel stands in its stack.
#[derive(Copy, Clone)]
struct Panel {
    /// The last panel holds the x axis's title.
    show_x_title: bool,
    /// Its y title goes above the plot.
    caption: bool,
}

/// The room a panel keeps below its plot for the x axis's labels, and its title on the last.
fn x_area(show_x_title: bool) -> u32 {
    if show_x_title { 55 } else { 30 }
}

/// The margins above and below a panel's plot, besides [`x_area`] and a caption.
const PANEL_MARGINS: u32 = 8 + 15;

/// The room a panel keeps around its plot: margins, x axis, and the y title when set above.
fn panel_room(show_x_title: bool, caption: bool) -> u32 {
    PANEL_MARGINS + x_area(show_x_title) + if caption { CAPTION_ROOM } else { 0 }
}

/// The heights of panels stacked in `height` pixels, one per entry of `captions` (whether its
/// y title goes above its plot), chosen so that their plots (each panel less its
/// [`panel_room`]) share the height as `stack` says.
fn panel_heights(height: u32, captions: &[bool], stack: Stack) -> Vec<u32> {
    let n = captions.len();
    let room = |k: usize| panel_room(k + 1 == n, captions[k]);
    let weight = |k: usize| match stack {
        Stack::MainAbove if k == 0 => 3,
        Stack::MainAbove => 2,
        Stack::Peers => 1,
    };
    let total: u32 = (0..n).map(weight).sum::<u32>().max(1);
    let plots = height.saturating_sub((0..n).map(room).sum());
    // Each plot ends where the weights before it and its own would end it, so rounding never
    // piles up on the last panel.
    let mut weight_to = 0;
    let mut plot_to = 0;
    (0..n)
        .map(|k| {
            weight_to += weight(k);
            let end = plots * weight_to / total;
            let h = room(k) + end - plot_to;
            plot_to = end;
            h
        })
        .collect()
}

/// The legend note of a chart with lines by interval.
pub(in crate::report::chart) const MIDDLE_NOTE: &str =
    "points: each interval's figure, drawn at the middle of its interval (ticks mark interval starts)";
/// The same, for an axis too long to draw a point at each interval.
const MIDDLE_NOTE_LINES: &str =
    "lines: each interval's figure, drawn at the middle of its interval (ticks mark interval starts)";
/// The legend note of step lines in a chart that also has lines drawn at interval middles.
const STEPS_NOTE: &str = "steps: each interval's figure, held from its start to its end";
/// The legend note of a line of shares with gaps.
const GAP_NOTE: &str = "gaps: closed, or nothing offered then";
/// The legend note of staffing lines with closed intervals left out.
const CLOSED_NOTE: &str = "gaps: closed (nobody required or on duty)";
/// The most intervals a line is drawn with a point at each.
const MAX_DOTS: usize = 72;

/// The room above a panel for its y title set as a caption.
const CAPTION_ROOM: u32 = 26;

/// The smallest size a y axis title is set at to fit its panel.
const MIN_Y_TITLE_SIZE: u32 = 11;

/// The size of a y axis title that fits the height of its panel's plot (`plot_rect`): the house
/// size when it fits, else smaller, so the titles of stacked panels never run into each other
/// (a small panel's `email (% in 12h)` ran into the next panel's title).
fn y_title_size<DB: DrawingBackend>(area: &Area<DB>, title: &str, plot_rect: Rect) -> anyhow::Result<u32> {
    let room = (plot_rect.y1 - plot_rect.y0).max(0) as u32;
    let width = area.estimate_text_size(title, &(FONT, AXIS_TITLE_SIZE).into()).map_err(err)?.0;
    if width <= room {
        return Ok(AXIS_TITLE_SIZE);
    }
    Ok((AXIS_TITLE_SIZE * room / width.max(1)).clamp(MIN_Y_TITLE_SIZE, AXIS_TITLE_SIZE))
}

/// The opacity of the tint behind an interval below the goal.
const MISS_TINT: f64 = 0.08;

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
    Panel { show_x_title, caption }: Panel,
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
        .margin_top(if caption { 8 + CAPTION_ROOM } else { 8 })
        .margin_right(if secondary.is_some() { 15 } else { 40 })
        .x_label_area_size(x_area(show_x_title))
        .y_label_area_size(95)
        .right_y_label_area_size(if secondary.is_some() { 95 } else { 0 })
        .build_cartesian_2d(IntervalCoord { n: nf, ticks }, lo..hi)
        .map_err(err)?
        .set_secondary_coord(0f64..nf, slo..shi);
    layout.plots.push(rect_of(chart.plotting_area()));
    let x_fmt = |x: &f64| labels.get(x.round() as usize).cloned().unwrap_or_default();
    let y_labels = if plot.dim_in_pixel().1 > 300 { 10 } else { 5 };
    let y_fmt = axis_labels(lo, hi, y_labels, c.y_format);
    let plot_rect = rect_of(chart.plotting_area());
    let y_title_size = if caption { AXIS_TITLE_SIZE } else { y_title_size(plot, &c.y_title, plot_rect)? };
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&x_fmt).y_label_formatter(&y_fmt).y_labels(y_labels);
    if y_title_size == AXIS_TITLE_SIZE && !caption {
        mesh.y_desc(c.y_title.as_str());
    }
    house_style(&mut mesh);
    if show_x_title {
        mesh.x_desc(c.axis.title.as_str());
    }
    mesh.draw().map_err(err)?;
    if caption {
        let style = (FONT, AXIS_TITLE_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Bottom));
        let base = plot.get_base_pixel();
        let at = (plot_rect.x0 - base.0, plot_rect.y0 - base.1 - 6);
        plot.draw(&Text::new(c.y_title.clone(), at, style)).map_err(err)?;
    } else if y_title_size < AXIS_TITLE_SIZE {
        // Set smaller to fit its panel, where plotters would set it: the x title keeps its size.
        let style = (FONT, y_title_size)
            .into_font()
            .transform(FontTransform::Rotate270)
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let middle = (plot_rect.y0 + plot_rect.y1) / 2 - plot.get_base_pixel().1;
        plot.draw(&Text::new(c.y_title.clone(), (4, middle), style)).map_err(err)?;
    }
    if let Some(a) = secondary {
        let s_fmt = axis_labels(slo, shi, y_labels, sformat);
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
        let rect = Rectangle::new([(r.start as f64, lo), (r.end as f64, hi)], MISS.mix(MISS_TINT).filled());
        chart.draw_series(std::iter::once(rect)).map_err(err)?;
    }
    if c.axis.days() > 1 {
        chart.draw_series(day_boundaries(&c.axis, lo, hi)).map_err(err)?;
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
    let dots = n <= MAX_DOTS;
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
    axis: &crate::report::chart::IntervalAxis,
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

fn finite_in(s: &crate::report::chart::Series, n: usize) -> bool {
    s.values.iter().take(n).any(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_at_gaps() {
        let v = [1.0, f64::NAN, 2.0, 3.0, f64::NAN];
        assert_eq!(runs(v.len(), |i| v[i].is_finite()), vec![0..1, 2..4]);
    }
}
