//! `waterfall.png`: from the Erlang C agent-hours to the agent-hours to schedule, one bar per
//! step. Totals stand on the axis; each change floats from the running total, rising in
//! vermillion (it adds hours), falling in blue (it saves hours), with its value written on it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    FONT, GOAL, LABEL_SIZE, MISS, Mark, OVER, empty, entry, err, format_value, frame, house_style, label_step,
};
use super::layout::{Layout, Rect};
use super::{Body, Chart, ValueFormat, file_safe};

/// Lines a step name may wrap into under its bar.
const LABEL_LINES: u32 = 5;

/// One bar of a waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct WaterfallBar {
    /// What the bar means.
    pub label: String,
    /// A total, or a change from the running total.
    pub value: f64,
    /// Whether the bar is a total (stands on zero) rather than a change.
    pub total: bool,
}

/// A waterfall chart.
#[derive(Clone, Debug, PartialEq)]
pub struct WaterfallChart {
    /// Title, with the scenario name.
    pub title: String,
    /// Y axis title with unit.
    pub y_title: String,
    /// The bars, left to right.
    pub bars: Vec<WaterfallBar>,
    /// Why the chart would be empty.
    pub empty_note: String,
}

/// A waterfall chart.
pub fn waterfall(name: &str, chart: WaterfallChart) -> Chart {
    Chart { name: file_safe(name), body: Body::Waterfall(chart) }
}

/// (low, high) of each bar, walking the running total.
fn spans(bars: &[WaterfallBar]) -> Vec<(f64, f64)> {
    let mut running = 0.0;
    bars.iter()
        .map(|b| {
            if b.total {
                running = b.value;
                (0.0, b.value)
            } else {
                let from = running;
                running += b.value;
                (from.min(running), from.max(running))
            }
        })
        .collect()
}

/// The value written on a bar: the staffing table's precision (one decimal), without a
/// trailing `.0`, so `+18.5` and `308.5` read as in the table and `143` as `143.0` does; a
/// change carries its sign. Whole-hour rounding once wrote 308.5 + 143 as 452.
fn value_label(b: &WaterfallBar) -> String {
    let mut text = if b.total { format!("{:.1}", b.value) } else { format!("{:+.1}", b.value) };
    if text.ends_with(".0") {
        text.truncate(text.len() - 2);
    }
    match text.as_str() {
        "-0" | "+0" if b.total => "0".to_string(),
        "-0" => "+0".to_string(),
        _ => text,
    }
}

/// Splits `text` into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &WaterfallChart,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let bars: Vec<&WaterfallBar> = c.bars.iter().filter(|b| b.value.is_finite()).collect();
    if bars.is_empty() {
        return empty(root, &c.title, &c.empty_note);
    }
    let owned: Vec<WaterfallBar> = bars.iter().map(|b| (*b).clone()).collect();
    let spans = spans(&owned);
    let legend = vec![
        entry(Mark::Fill(GOAL.mix(0.75)), "total"),
        entry(Mark::Fill(MISS.mix(0.85)), "adds agent-hours"),
        entry(Mark::Fill(OVER.mix(0.85)), "saves agent-hours"),
    ];
    let plot = frame(root, &c.title, &legend, layout)?;
    let hi = spans.iter().map(|s| s.1).fold(0.0, f64::max) * 1.12;
    let lo = spans.iter().map(|s| s.0).fold(0.0, f64::min);
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let n = owned.len();
    let (_, height) = plot.dim_in_pixel();
    let (chart_area, label_area) = plot.split_vertically(height.saturating_sub(LABEL_LINES * 19 + 8));
    let mut chart = ChartBuilder::on(&chart_area)
        .margin(15)
        .margin_right(40)
        .x_label_area_size(0)
        .y_label_area_size(95)
        .build_cartesian_2d(0.0..n as f64, lo..hi)
        .map_err(err)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    layout.plots.push(Rect::from_ranges(xr.clone(), yr));
    let step = label_step(lo, hi, 8);
    let y_fmt = |y: &f64| format_value(*y, ValueFormat::Number, step);
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh().disable_x_axis().y_desc(c.y_title.as_str()).y_label_formatter(&y_fmt).y_labels(8);
    house_style(&mut mesh).draw().map_err(err)?;
    let value_style = (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (i, (b, (l, h))) in owned.iter().zip(&spans).enumerate() {
        let color = if b.total {
            GOAL.mix(0.75)
        } else if b.value >= 0.0 {
            MISS.mix(0.85)
        } else {
            OVER.mix(0.85)
        };
        let x0 = i as f64 + 0.15;
        let x1 = i as f64 + 0.85;
        chart
            .draw_series(std::iter::once(Rectangle::new([(x0, *l), (x1, *h)], color.filled())))
            .map_err(err)?;
        layout.points.push(chart.backend_coord(&(i as f64 + 0.5, *h)));
        // A thin connector to the next bar shows where the running total carries on.
        if i + 1 < n {
            let level = if b.total || b.value >= 0.0 { *h } else { *l };
            let line =
                PathElement::new(vec![(x1, level), (i as f64 + 1.15, level)], BLACK.mix(0.5).stroke_width(1));
            chart.draw_series(std::iter::once(line)).map_err(err)?;
        }
        let text = value_label(b);
        let label = EmptyElement::at((i as f64 + 0.5, *h)) + Text::new(text, (0, -4), value_style.clone());
        chart.draw_series(std::iter::once(label)).map_err(err)?;
    }
    // Step names, wrapped under their bars.
    let per_bar = f64::from((xr.end - xr.start).max(1)) / n as f64;
    let chars = ((per_bar - 8.0) / 9.0).max(6.0) as usize;
    let base_x = xr.start - label_area.get_base_pixel().0;
    let name_style = (FONT, LABEL_SIZE - 1).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, b) in owned.iter().enumerate() {
        let x = base_x + (per_bar * (i as f64 + 0.5)) as i32;
        for (k, line) in wrap(&b.label, chars).iter().take(LABEL_LINES as usize).enumerate() {
            label_area
                .draw(&Text::new(line.clone(), (x, 4 + 19 * k as i32), name_style.clone()))
                .map_err(err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_float_from_the_running_total() {
        let bar = |value, total| WaterfallBar { label: String::new(), value, total };
        let s = spans(&[bar(100.0, true), bar(20.0, false), bar(-5.0, false), bar(115.0, true)]);
        assert_eq!(s, vec![(0.0, 100.0), (100.0, 120.0), (115.0, 120.0), (0.0, 115.0)]);
    }

    #[test]
    fn bar_values_keep_the_tables_one_decimal_and_drop_a_trailing_zero() {
        let label = |value, total| value_label(&WaterfallBar { label: String::new(), value, total });
        assert_eq!(label(308.5, true), "308.5");
        assert_eq!(label(451.5, true), "451.5");
        assert_eq!(label(18.5, false), "+18.5");
        assert_eq!(label(143.0, false), "+143");
        assert_eq!(label(-61.0, false), "-61");
        assert_eq!(label(-0.01, false), "+0");
        assert_eq!(label(-0.01, true), "0");
        assert_eq!(label(339.04, true), "339");
    }

    #[test]
    fn labels_wrap_at_spaces() {
        assert_eq!(
            wrap("shrinkage (paid time not on calls)", 12),
            ["shrinkage", "(paid time", "not on", "calls)"]
        );
    }
}
