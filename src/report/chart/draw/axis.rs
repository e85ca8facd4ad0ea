//! The interval axis as drawn under by-interval charts and stacked bars: which interval starts
//! get a label, the coordinate that puts them there, the lines between days and the day names
//! above the plot.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};

use super::*;

/// Which intervals get an x label: every `step`-th, with `step` a divisor or a multiple of a
/// day so labels fall on the same clock times every day, and few enough not to collide.
pub(super) fn x_ticks(labels: &[String], per_day: usize, width_px: u32) -> Vec<f64> {
    let n = labels.len();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(5);
    // About 9.5 px per character at the label size, plus a gap.
    let fit = (f64::from(width_px) / (longest as f64 * 9.5 + 14.0)).floor().max(2.0) as usize;
    let mut steps: Vec<usize> = if n > per_day {
        (1..=per_day).filter(|s| per_day.is_multiple_of(*s)).chain((2..=n).map(|k| k * per_day)).collect()
    } else {
        [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 192, 384].into_iter().collect()
    };
    steps.push(n.max(1));
    let step = steps.into_iter().find(|s| n.div_ceil(*s) <= fit).unwrap_or(n.max(1));
    (0..n).step_by(step.max(1)).map(|i| i as f64).collect()
}

/// The ticks and their labels of an interval axis. Several days: clock times only (the day
/// names are drawn once per day above the plot), at the same times every day.
pub(super) fn axis_ticks(axis: &crate::report::chart::IntervalAxis, width_px: u32) -> (Vec<f64>, &[String]) {
    if axis.days() > 1 && axis.clock.len() == axis.len() {
        (x_ticks(&axis.clock, axis.per_day, width_px), &axis.clock)
    } else {
        (x_ticks(&axis.labels, axis.per_day, width_px), &axis.labels)
    }
}

/// The x axis of by-interval charts: `0..n` in intervals, with labels only at the chosen
/// interval starts (plotters' own tick choice would land between interval starts).
pub(super) struct IntervalCoord {
    pub(super) n: f64,
    pub(super) ticks: Vec<f64>,
}

impl Ranged for IntervalCoord {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = if self.n > 0.0 { value / self.n } else { 0.0 };
        limit.0 + ((limit.1 - limit.0) as f64 * share + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.clone() }
    }

    fn range(&self) -> std::ops::Range<f64> {
        0.0..self.n
    }
}

/// The lines between the days of a by-interval chart from `lo` to `hi` (none for one day), so a
/// week reads as days.
pub(super) fn day_boundaries(
    axis: &crate::report::chart::IntervalAxis,
    lo: f64,
    hi: f64,
) -> impl Iterator<Item = PathElement<(f64, f64)>> {
    let per_day = axis.per_day as f64;
    (1..axis.days().max(1)).map(move |d| {
        PathElement::new(
            vec![(d as f64 * per_day, lo), (d as f64 * per_day, hi)],
            BLACK.mix(0.45).stroke_width(1),
        )
    })
}

/// `plot` less a strip along its top holding the day names, when `axis` spans several days;
/// all of `plot` otherwise.
pub(super) fn below_day_names<DB: DrawingBackend>(
    plot: Area<DB>,
    axis: &crate::report::chart::IntervalAxis,
    layout: &mut Layout,
) -> anyhow::Result<Area<DB>> {
    if axis.days() <= 1 {
        return Ok(plot);
    }
    let (names, rest) = plot.split_vertically(26);
    day_names(&names, axis, layout)?;
    Ok(rest)
}

/// The day names, centred over each day's intervals (aligned with the panels' x range, which
/// starts after the y label area).
fn day_names<DB: DrawingBackend>(
    area: &Area<DB>,
    axis: &crate::report::chart::IntervalAxis,
    layout: &mut Layout,
) -> anyhow::Result<()> {
    let (w, _) = area.dim_in_pixel();
    // The panels' plot spans from margin + y label area to width - right margin.
    let (x0, x1) = (15 + 95, w as i32 - 40);
    let days = axis.days();
    let per = f64::from(x1 - x0) / days as f64;
    let style = (FONT, LABEL_SIZE).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Center));
    for (d, name) in axis.day_names.iter().enumerate() {
        let x = x0 + (per * (d as f64 + 0.5)) as i32;
        let (tw, th) = area.estimate_text_size(name, &style).map_err(err)?;
        let (ax, ay) = (area.get_base_pixel().0 + x, area.get_base_pixel().1 + 13);
        layout.labels.push(Rect {
            x0: ax - tw as i32 / 2,
            y0: ay - th as i32 / 2,
            x1: ax + tw as i32 / 2,
            y1: ay + th as i32 / 2,
        });
        area.draw(&Text::new(name.clone(), (x, 13), style.clone())).map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_ticks_fall_on_day_divisors_for_several_days() {
        let labels: Vec<String> = (0..7 * 48).map(|i| format!("day {} 08:00", i / 48 + 1)).collect();
        let ticks = x_ticks(&labels, 48, 1000);
        assert!(ticks.len() >= 2 && ticks.len() <= 10, "{ticks:?}");
        let step = ticks[1] - ticks[0];
        assert!(48.0 % step == 0.0 || step % 48.0 == 0.0, "step {step}");
    }

    #[test]
    fn x_ticks_of_a_single_interval_is_its_start() {
        assert_eq!(x_ticks(&["08:00".to_string()], 1, 1000), vec![0.0]);
        assert!(x_ticks(&[], 1, 1000).is_empty());
    }
}
