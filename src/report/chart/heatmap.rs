//! Weeks at a glance: a heat map of one figure by day (rows) and interval of the day
//! (columns), each cell coloured against a reference (the goal, the requirement, the
//! occupancy cap) on a colour-blind-safe diverging scale: blue on the good side, vermillion on
//! the bad side, white at the reference. Closed intervals (no calls, nobody on duty) stay
//! blank, so a closed night never passes for a good or a bad one.
//!
//! The same drawing serves a grid of two parameters (a sweep's cases, [`super::sweep`]): rows
//! and columns are then parameter values, labelled at the middle of their cells, with both
//! axes titled ([`ParameterAxes`]).
//!
//! Only the drawing lives here; which figure, reference and scale a heat map shows is chosen
//! by the caller ([`super::simulation`], [`super::staffing`], [`super::sweep`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    AXIS_TITLE_SIZE, FONT, LABEL_SIZE, MISS, Mark, OVER, empty, entry, err, format_value, frame, rect_of,
};
use super::layout::{Layout, Rect};
use super::{Body, Chart, IntervalAxis, ValueFormat, file_safe};

/// A heat map of one value per interval.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapChart {
    /// Title, with the scenario name.
    pub title: String,
    /// The intervals (days, clock times, day names).
    pub axis: IntervalAxis,
    /// One value per interval, day by day; NaN leaves the cell blank.
    pub values: Vec<f64>,
    /// The reference value, drawn white.
    pub center: f64,
    /// Distance from the reference at which the colour is full.
    pub span: f64,
    /// Whether values above the reference are the good side (blue).
    pub higher_is_better: bool,
    /// How values are written in cells and in the scale.
    pub format: ValueFormat,
    /// Names of the two sides in the legend, bad first (`below goal`, `above goal`).
    pub sides: (String, String),
    /// What a blank cell means.
    pub blank_note: String,
    /// Why the chart would be empty.
    pub empty_note: String,
    /// Rows and columns are values of two parameters (the axis' `day_names` and `clock`)
    /// rather than days and intervals of the day: `None` for a by-interval heat map.
    pub parameters: Option<ParameterAxes>,
    /// Cells that carry a dark corner, with what it means (a cell judging only the call types
    /// open then, say); `None` marks none.
    pub marks: Option<CellMarks>,
}

/// Cells marked with a dark corner, and the legend text saying what the corner means.
#[derive(Clone, Debug, PartialEq)]
pub struct CellMarks {
    /// One flag per cell, as [`HeatmapChart::values`].
    pub cells: Vec<bool>,
    /// Legend text.
    pub note: String,
}

/// The colour of a cell's corner mark ([`CellMarks`]).
const CORNER: RGBColor = RGBColor(40, 40, 40);

/// The axes of a heat map over two parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterAxes {
    /// Title of the columns' parameter, with its unit.
    pub x_title: String,
    /// Title of the rows' parameter, with its unit.
    pub y_title: String,
    /// A legend line saying what the colour is (definition, target, goal).
    pub note: String,
}

/// A heat map chart.
pub fn heatmap(name: &str, chart: HeatmapChart) -> Chart {
    Chart { name: file_safe(name), body: Body::Heatmap(chart) }
}

/// How far from the reference the colour is full on the side of `sign` (+1 above, -1 below):
/// `span`, but a share stops at 0 and 100%, so a goal of 90% is full blue at 100%, never at an
/// impossible 110%.
fn side_span(c: &HeatmapChart, sign: f64) -> f64 {
    match c.format {
        ValueFormat::Percent if sign > 0.0 => c.span.min(1.0 - c.center),
        ValueFormat::Percent => c.span.min(c.center),
        ValueFormat::Number => c.span,
    }
}

/// The cell colour of `v`: white at the reference, full blue or vermillion at the side's span
/// (`side_span`) from it.
pub fn cell_color(c: &HeatmapChart, v: f64) -> RGBColor {
    let span = side_span(c, v - c.center);
    let t = if span > 0.0 { ((v - c.center) / span).clamp(-1.0, 1.0) } else { 0.0 };
    let good = (t > 0.0) == c.higher_is_better;
    let base = if good { OVER } else { MISS };
    let a = t.abs();
    let mix = |from: u8, to: u8| (f64::from(from) + (f64::from(to) - f64::from(from)) * a).round() as u8;
    RGBColor(mix(255, base.0), mix(255, base.1), mix(255, base.2))
}

fn label_of(c: &HeatmapChart, v: f64, signed: bool) -> String {
    let text = plain_label(c, v);
    // A cell on the bad side is not written as the reference it rounds to: 79.6% against a
    // goal of 80% reads "<80", not a goal met.
    let bad_side = if c.higher_is_better { v < c.center } else { v > c.center };
    let text = if bad_side && text == plain_label(c, c.center) {
        format!("{}{text}", if v < c.center { '<' } else { '>' })
    } else {
        text
    };
    if signed && v > 0.0 && !text.starts_with(['<', '>']) { format!("+{text}") } else { text }
}

fn plain_label(c: &HeatmapChart, v: f64) -> String {
    match c.format {
        // A share short of 100% (or past 0%) is not written as the bound it rounds to, as the
        // tables write `>99.9%`: a cell of 99.6% served is not "100".
        ValueFormat::Percent if v < 1.0 && v * 100.0 >= 99.5 => ">99".to_string(),
        ValueFormat::Percent if v > 0.0 && v * 100.0 < 0.5 => "<1".to_string(),
        ValueFormat::Percent => format!("{:.0}", v * 100.0),
        // `-0` is 0 as written, so that -0.3 below a reference of 0 reads "<0".
        ValueFormat::Number => match format_value(v, ValueFormat::Number, 1.0) {
            zero if zero == "-0" => "0".to_string(),
            text => text,
        },
    }
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &HeatmapChart,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let per_day = c.axis.per_day;
    let days = c.axis.days();
    if c.axis.is_empty() || !c.values.iter().any(|v| v.is_finite()) {
        return empty(root, &c.title, &c.empty_note);
    }
    let signed = c.format == ValueFormat::Number && c.center == 0.0;
    // The scale: five swatches from the bad end to the good end, then what blank means.
    let mut legend = Vec::new();
    let (bad, good) = if c.higher_is_better { (-1.0, 1.0) } else { (1.0, -1.0) };
    // The ends are where the colour stops changing: a value past one has its colour ("60 or
    // less"), except at a share's bound, which no value passes.
    let end = |v: f64, t: f64, side: &str| {
        let at_bound = c.format == ValueFormat::Percent && (v <= 0.0 || v >= 1.0);
        let past = if at_bound {
            ""
        } else if t < 0.0 {
            " or less"
        } else {
            " or more"
        };
        format!("{}{past} ({side})", label_of(c, v, signed))
    };
    for (k, t) in [bad, bad / 2.0, 0.0, good / 2.0, good].into_iter().enumerate() {
        let v = c.center + t * side_span(c, t);
        let text = match k {
            0 => end(v, t, &c.sides.0),
            2 => format!("reference {}", label_of(c, v, signed)),
            4 => end(v, t, &c.sides.1),
            _ => label_of(c, v, signed),
        };
        legend.push(entry(Mark::Fill(cell_color(c, v).to_rgba()), text));
    }
    legend.push(entry(Mark::Fill(RGBColor(245, 245, 245).to_rgba()), c.blank_note.clone()));
    if let Some(m) = c.marks.as_ref().filter(|m| m.cells.contains(&true)) {
        legend.push(entry(Mark::Corner(CORNER), m.note.clone()));
    }
    if let Some(p) = &c.parameters {
        legend.push(entry(Mark::Text, p.note.clone()));
    }
    let plot = frame(root, &c.title, &legend, layout)?;
    let (w, h) = plot.dim_in_pixel();
    let (left, right, top, bottom) = (125i32, 30i32, 12i32, 78i32);
    let grid_w = (w as i32 - left - right).max(1);
    let grid_h = (h as i32 - top - bottom).max(1);
    let cell_w = f64::from(grid_w) / per_day as f64;
    let cell_h = f64::from(grid_h) / days as f64;
    let x_of = |slot: usize| left + (cell_w * slot as f64).round() as i32;
    let y_of = |day: usize| top + (cell_h * day as f64).round() as i32;
    let base = plot.get_base_pixel();
    let grid =
        Rect { x0: base.0 + left, y0: base.1 + top, x1: base.0 + left + grid_w, y1: base.1 + top + grid_h };
    layout.plots.push(grid);
    let show_text = cell_w >= 34.0 && cell_h >= 20.0;
    let text_size = LABEL_SIZE.min((cell_h * 0.8) as u32).max(10);
    for day in 0..days {
        for slot in 0..per_day {
            let v = c.values.get(day * per_day + slot).copied().unwrap_or(f64::NAN);
            let (x0, y0, x1, y1) = (x_of(slot), y_of(day), x_of(slot + 1), y_of(day + 1));
            let fill = if v.is_finite() { cell_color(c, v) } else { RGBColor(245, 245, 245) };
            plot.draw(&Rectangle::new([(x0, y0), (x1, y1)], fill.filled())).map_err(err)?;
            plot.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.stroke_width(1))).map_err(err)?;
            if c.marks.as_ref().is_some_and(|m| m.cells.get(day * per_day + slot) == Some(&true)) {
                let size = ((x1 - x0).min(y1 - y0) * 9 / 20).max(5);
                let corner = vec![(x1 - size, y0), (x1, y0), (x1, y0 + size)];
                plot.draw(&Polygon::new(corner, CORNER.filled())).map_err(err)?;
            }
            if v.is_finite() {
                layout.points.push((base.0 + (x0 + x1) / 2, base.1 + (y0 + y1) / 2));
                if show_text {
                    let lum =
                        0.299 * f64::from(fill.0) + 0.587 * f64::from(fill.1) + 0.114 * f64::from(fill.2);
                    let ink = if lum < 140.0 { WHITE } else { BLACK };
                    let style =
                        (FONT, text_size).into_font().color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                    let at = ((x0 + x1) / 2, (y0 + y1) / 2);
                    plot.draw(&Text::new(label_of(c, v, signed), at, style)).map_err(err)?;
                }
            }
        }
    }
    // Day names, right-aligned left of their row; every row's while the rows are as tall as a
    // name, else every other (or third, ...) row's, so names never print over each other.
    let day_style = (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Right, VPos::Center));
    let row_step =
        (1..=days.max(1)).find(|s| cell_h * *s as f64 >= f64::from(LABEL_SIZE) + 4.0).unwrap_or(days.max(1));
    for (day, name) in c.axis.day_names.iter().enumerate().step_by(row_step) {
        let at = (left - 10, (y_of(day) + y_of(day + 1)) / 2);
        plot.draw(&Text::new(name.clone(), at, day_style.clone())).map_err(err)?;
    }
    if let Some(p) = &c.parameters {
        return parameter_ticks(&plot, c, p, (left, grid_w, y_of(days), top + grid_h / 2), cell_w);
    }
    // Clock ticks under the grid, at the same clock times as the line charts.
    let clock = &c.axis.clock[..per_day.min(c.axis.clock.len())];
    let longest = clock.iter().map(String::len).max().unwrap_or(5) as f64;
    let step = (1..=per_day)
        .filter(|s| per_day.is_multiple_of(*s) || *s == per_day)
        .find(|s| cell_w * *s as f64 >= longest * 10.0 + 16.0)
        .unwrap_or(per_day);
    let tick_style = (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
    for slot in (0..per_day).step_by(step.max(1)) {
        let x = x_of(slot);
        plot.draw(&PathElement::new(vec![(x, y_of(days)), (x, y_of(days) + 6)], BLACK.stroke_width(1)))
            .map_err(err)?;
        plot.draw(&Text::new(
            clock.get(slot).cloned().unwrap_or_default(),
            (x, y_of(days) + 9),
            tick_style.clone(),
        ))
        .map_err(err)?;
    }
    let title_style =
        (FONT, AXIS_TITLE_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Bottom));
    let title = if per_day * 2 > 0 { "interval start (HH:MM)" } else { "" };
    plot.draw(&Text::new(title, (left + grid_w / 2, h as i32 - 6), title_style)).map_err(err)?;
    let _ = rect_of(&plot);
    Ok(())
}

/// The column labels (one per column, centred under it, thinned when they would touch) and
/// both axis titles of a heat map over two parameters. `at` is (grid left, grid width, grid
/// bottom, grid middle height).
fn parameter_ticks<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    c: &HeatmapChart,
    p: &ParameterAxes,
    (left, grid_w, bottom, middle): (i32, i32, i32, i32),
    cell_w: f64,
) -> anyhow::Result<()> {
    let columns = c.axis.per_day;
    let labels = &c.axis.clock[..columns.min(c.axis.clock.len())];
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let step = (1..=columns.max(1)).find(|s| cell_w * *s as f64 >= longest * 10.0 + 16.0).unwrap_or(columns);
    let tick_style = (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
    for (slot, label) in labels.iter().enumerate().step_by(step.max(1)) {
        let x = left + (cell_w * (slot as f64 + 0.5)).round() as i32;
        plot.draw(&PathElement::new(vec![(x, bottom), (x, bottom + 6)], BLACK.stroke_width(1)))
            .map_err(err)?;
        plot.draw(&Text::new(label.clone(), (x, bottom + 9), tick_style.clone())).map_err(err)?;
    }
    let (_, h) = plot.dim_in_pixel();
    let title_style =
        (FONT, AXIS_TITLE_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Bottom));
    plot.draw(&Text::new(p.x_title.clone(), (left + grid_w / 2, h as i32 - 6), title_style)).map_err(err)?;
    let y_style = (FONT, AXIS_TITLE_SIZE)
        .into_font()
        .transform(FontTransform::Rotate270)
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    plot.draw(&Text::new(p.y_title.clone(), (4, middle), y_style)).map_err(err)?;
    let _ = rect_of(plot);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A share's scale stops at 0 and 100%: with a goal of 90% the full good colour is at 100%
    /// (it was at an impossible 110%, so no cell ever reached it), the bad side keeps its span,
    /// and no legend label leaves 0..100.
    /// A service-level heat map of two half hours with these values, against `center`.
    fn share_chart(values: Vec<f64>, center: f64) -> HeatmapChart {
        HeatmapChart {
            title: "t".into(),
            axis: IntervalAxis::from_grid("08:00", 1800.0, 2, 1),
            values,
            center,
            span: 0.2,
            higher_is_better: true,
            format: ValueFormat::Percent,
            sides: ("below goal".into(), "above goal".into()),
            blank_note: String::new(),
            empty_note: String::new(),
            parameters: None,
            marks: None,
        }
    }

    #[test]
    fn a_share_scale_is_full_at_100_percent_and_never_labelled_past_it() {
        let chart = share_chart(vec![1.0, 0.7], 0.9);
        assert_eq!(cell_color(&chart, 1.0), OVER);
        assert_eq!(cell_color(&chart, 0.7), MISS);
        assert_ne!(cell_color(&chart, 0.95), OVER, "half way is not full");
        let svg = Chart { name: "h".into(), body: Body::Heatmap(chart) }.to_svg().unwrap();
        assert!(svg.contains("100 (above goal)") && svg.contains("70 or less (below goal)"), "{svg}");
        assert!(!svg.contains("110") && !svg.contains("100 or more"));
    }

    /// A cell short of 100% (or past 0%) is not written as the bound it rounds to.
    #[test]
    fn a_share_close_to_its_bound_is_not_written_as_the_bound() {
        let chart = share_chart(vec![0.9956, 0.004], 0.8);
        assert_eq!(label_of(&chart, 0.9956, false), ">99");
        assert_eq!(label_of(&chart, 0.004, false), "<1");
        assert_eq!(label_of(&chart, 1.0, false), "100");
        assert_eq!(label_of(&chart, 0.0, false), "0");
        assert_eq!(label_of(&chart, 0.994, false), "99");
        // Below the goal of 80% but rounding to it: not written as the goal.
        assert_eq!(label_of(&chart, 0.796, false), "<80");
        assert_eq!(label_of(&chart, 0.804, false), "80");
        assert_eq!(label_of(&chart, 0.8, false), "80");
        let margins = HeatmapChart { format: ValueFormat::Number, ..share_chart(vec![-0.3, 0.3], 0.0) };
        assert_eq!(label_of(&margins, -0.3, true), "<0");
        assert_eq!(label_of(&margins, 0.3, true), "+0");
        assert_eq!(label_of(&margins, -2.0, true), "-2");
        let svg = Chart { name: "h".into(), body: Body::Heatmap(chart) }.to_svg().unwrap();
        assert!(svg.contains("&gt;99") && svg.contains("&lt;1"), "{svg}");
    }
}
