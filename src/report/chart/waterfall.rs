//! `waterfall.png`: from the Erlang C agent-hours to the agent-hours to schedule, one bar per
//! step. Totals stand on the axis; each change floats from the running total, rising in
//! vermillion (it adds hours), falling in blue (it saves hours), with its value written on it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::draw::{
    FONT, GOAL, LABEL_SIZE, MISS, Mark, OVER, axis_labels, empty, entry, err, frame, house_style,
};
use super::layout::{Layout, Rect};
use super::{Body, Chart, ValueFormat, file_safe};

/// Lines a step name may wrap into under its bar.
const LABEL_LINES: usize = 8;
/// The font sizes step names are tried at, largest first, until every name fits in
/// [`LABEL_LINES`]: the axis labels' size less one, down to a size still read on paper.
const NAME_SIZES: std::ops::RangeInclusive<u32> = 12..=LABEL_SIZE - 1;
/// Width of one character of a step name at font size 16, in pixels (DejaVu Sans' widest
/// lower-case letters; narrower ones leave a margin), and the height of one of its lines.
const CHAR_PX_AT_16: f64 = 9.0;
const LINE_PX_AT_16: f64 = 19.0;

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

/// The step names laid out under bars `per_bar` pixels wide: the largest font size at which
/// every name wraps into at most [`LABEL_LINES`] lines, and each name's lines. A name that does
/// not fit even at the smallest size keeps its first lines, the last ending in an ellipsis, so
/// a cut is never silent.
fn name_layout(names: &[&str], per_bar: f64) -> (u32, Vec<Vec<String>>) {
    let wrap_at = |size: u32| {
        let char_px = CHAR_PX_AT_16 * f64::from(size) / 16.0;
        let chars = ((per_bar - 8.0) / char_px).max(6.0) as usize;
        names.iter().map(|n| wrap(n, chars)).collect::<Vec<_>>()
    };
    for size in NAME_SIZES.rev() {
        let lines = wrap_at(size);
        if lines.iter().all(|l| l.len() <= LABEL_LINES) {
            return (size, lines);
        }
    }
    let size = *NAME_SIZES.start();
    let lines = wrap_at(size)
        .into_iter()
        .map(|mut l| {
            if l.len() > LABEL_LINES {
                l.truncate(LABEL_LINES);
                if let Some(last) = l.last_mut() {
                    last.push('…');
                }
            }
            l
        })
        .collect();
    (size, lines)
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
    let (width, height) = plot.dim_in_pixel();
    // The names are laid out first, so the plot leaves them the room they take. The bars span
    // the plot less the y labels (95) and the margins (15 and 40), as built below.
    let names: Vec<&str> = owned.iter().map(|b| b.label.as_str()).collect();
    let (name_size, name_lines) = name_layout(&names, f64::from(width.saturating_sub(150).max(1)) / n as f64);
    let line_px = (LINE_PX_AT_16 * f64::from(name_size) / 16.0).ceil() as u32;
    let n_lines = name_lines.iter().map(Vec::len).max().unwrap_or(1) as u32;
    let (chart_area, label_area) = plot.split_vertically(height.saturating_sub(n_lines * line_px + 8));
    let mut chart = ChartBuilder::on(&chart_area)
        .margin(15)
        .margin_right(40)
        .x_label_area_size(0)
        .y_label_area_size(95)
        .build_cartesian_2d(0.0..n as f64, lo..hi)
        .map_err(err)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    layout.plots.push(Rect::from_ranges(xr.clone(), yr));
    let y_fmt = axis_labels(lo, hi, 8, ValueFormat::Number);
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
    let base_x = xr.start - label_area.get_base_pixel().0;
    let name_style = (FONT, name_size).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, lines) in name_lines.iter().enumerate() {
        let x = base_x + (per_bar * (i as f64 + 0.5)) as i32;
        for (k, line) in lines.iter().enumerate() {
            label_area
                .draw(&Text::new(line.clone(), (x, 4 + (line_px as usize * k) as i32), name_style.clone()))
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
    fn step_names_shrink_to_fit_and_are_never_cut_silently() {
        let long = "queues across intervals, shared skills, handle-time and patience shapes";
        let (size, lines) = name_layout(&["Erlang C", long], 100.0);
        assert!(size < LABEL_SIZE - 1, "a long name takes a smaller font");
        assert_eq!(lines[1].join(" "), long, "every word is shown");
        // Too narrow for any size: the first lines, and an ellipsis says the rest is cut.
        let (size, lines) = name_layout(&[long], 30.0);
        assert_eq!(size, *NAME_SIZES.start());
        assert_eq!(lines[0].len(), LABEL_LINES);
        assert!(lines[0].last().unwrap().ends_with('…'), "{lines:?}");
    }

    #[test]
    fn labels_wrap_at_spaces() {
        assert_eq!(
            wrap("shrinkage (paid time not on calls)", 12),
            ["shrinkage", "(paid time", "not on", "calls)"]
        );
    }
}
