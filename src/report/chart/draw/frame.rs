//! The frame every chart shares: the title on top, the plot, and the legend in its own strip
//! below the plot, so the legend never covers data; and the empty frame with a note that a
//! chart with nothing finite to show becomes. Text that must fit the picture (titles, legend
//! entries, notes, labels) is wrapped by one function, [`fit_lines`].

use super::scatter::{ERROR_BAR_STROKE, ERROR_CAP, POINT_RADIUS, POINT_STROKE};
use super::*;

const TITLE_SIZE: u32 = 30;
/// The most lines a title wraps into, and the space kept clear at each side of it.
const TITLE_LINES: usize = 3;
const TITLE_SIDE: u32 = 20;
const LEGEND_SIZE: u32 = 17;
const LEGEND_ROW: u32 = 28;
/// The step between the lines of one legend entry wrapped to fit, and the most lines it takes.
const LEGEND_LINE: u32 = 22;
const LEGEND_LINES: usize = 6;
/// The space kept clear at each side of the legend, the width of an entry's mark (with the
/// space before its text) and the gap after an entry.
const LEGEND_SIDE: u32 = 20;
const LEGEND_MARK: u32 = 34;
const LEGEND_GAP: u32 = 28;

/// How a legend entry is drawn.
pub(in crate::report::chart) enum Mark {
    Line(RGBColor),
    Dashed(RGBColor),
    LineDot(RGBColor),
    /// A scatter point, hollow, as [`scatter`] draws it.
    ///
    /// [`scatter`]: fn@super::scatter::scatter
    Point(RGBColor),
    Ring(RGBColor),
    Fill(RGBAColor),
    /// A heat-map cell's swatch with a dark corner of this colour, as the heat map marks cells.
    Corner(RGBColor),
    /// An error bar with caps, as [`scatter`] draws it.
    ///
    /// [`scatter`]: fn@super::scatter::scatter
    ErrorBar(RGBColor),
    Text,
}

pub(in crate::report::chart) struct Entry {
    mark: Mark,
    text: String,
}

pub(in crate::report::chart) fn entry(mark: Mark, text: impl Into<String>) -> Entry {
    Entry { mark, text: text.into() }
}

/// `text` set at `size` in lines no wider than `room` pixels: as one line when it fits, else
/// wrapped at spaces (never before a `±`, nor in or before a bracketed interval) into as many
/// lines as it needs, up to `max_lines`.
/// A line still too wide (one long word), or the last one kept when words were left over, is
/// cut to fit and ends in `…`. Every text a chart must fit into its picture (titles, legend
/// entries, notes, labels beside a marker or a point) is set here. Widths are plotters'
/// estimates, which run a little wider than the text is drawn, so what fits here fits drawn.
pub(in crate::report::chart) fn fit_lines<DB: DrawingBackend>(
    area: &Area<DB>,
    text: &str,
    size: u32,
    room: u32,
    max_lines: usize,
) -> anyhow::Result<Vec<String>> {
    let text_width = |text: &str| -> anyhow::Result<u32> {
        Ok(area.estimate_text_size(text, &(FONT, size).into()).map_err(err)?.0)
    };
    if text_width(text)? <= room {
        return Ok(vec![text.to_string()]);
    }
    let words = unbreakable_words(text);
    let mut lines: Vec<String> = Vec::new();
    for word in words {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"))? <= room => {
                line.push(' ');
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    let dropped = lines.len() > max_lines.max(1);
    lines.truncate(max_lines.max(1));
    let last = lines.len() - 1;
    for (k, line) in lines.iter_mut().enumerate() {
        if (dropped && k == last) || text_width(line)? > room {
            let mut kept: String = line.clone();
            while !kept.is_empty() && text_width(&format!("{kept}…"))? > room {
                kept.pop();
            }
            *line = format!("{kept}…");
        }
    }
    Ok(lines)
}

/// `text`'s words as wrapping sees them: a figure stays with its `± half-width` and with its
/// bracketed interval (`99.6% [98.5, 100]`), read as one figure, whose spaces are no places to
/// break a line.
fn unbreakable_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut in_interval = false;
    for word in text.split(' ') {
        let opens_interval = word.strip_prefix('[').is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '−' | '.'))
        });
        let joins = in_interval || word.starts_with('±') || opens_interval;
        if opens_interval {
            in_interval = true;
        }
        if in_interval && word.contains(']') {
            in_interval = false;
        }
        match words.last_mut() {
            Some(last) if joins => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    words
}

/// Draws the title at the top of `root` and returns the area below it. A title wider than
/// the picture (a long scenario name) is set a size smaller and fitted by [`fit_lines`] into
/// up to [`TITLE_LINES`] lines. Each line's box is recorded in the layout. What follows a
/// line break in `title` is its subtitle ([`SUBTITLE`]), set smaller in grey below it.
fn titled_to_fit<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    layout: &mut Layout,
) -> anyhow::Result<Area<DB>> {
    let (title, subtitle) = title.split_once(SUBTITLE).map_or((title, None), |(t, s)| (t, Some(s)));
    let body = title_lines(root, title, layout)?;
    let Some(subtitle) = subtitle.filter(|s| !s.is_empty()) else { return Ok(body) };
    let (width, _) = body.dim_in_pixel();
    let room = width.saturating_sub(2 * TITLE_SIDE);
    let mut body = body;
    for line in fit_lines(&body, subtitle, SUBTITLE_SIZE, room, 2)? {
        let (w, h) = body.estimate_text_size(&line, &(FONT, SUBTITLE_SIZE).into()).map_err(err)?;
        let left = (width.saturating_sub(w) / 2) as i32;
        let top = (root.dim_in_pixel().1 - body.dim_in_pixel().1) as i32;
        layout.title.push(Rect { x0: left, y0: top, x1: left + w as i32, y1: top + h as i32 });
        let style = TextStyle::from((FONT, SUBTITLE_SIZE).into_font()).color(&SUBTITLE_COLOR);
        let below = body.titled(&line, style).map_err(err)?;
        body = below;
    }
    Ok(body)
}

/// What separates a chart's title from its subtitle in [`frame`]'s `title`: the context a
/// picture pasted on its own loses (the plan, the replications, the seed).
///
/// [`frame`]: fn@frame
pub(in crate::report::chart) const SUBTITLE: char = '\n';
const SUBTITLE_SIZE: u32 = 19;
const SUBTITLE_COLOR: RGBColor = RGBColor(70, 70, 70);

fn title_lines<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    layout: &mut Layout,
) -> anyhow::Result<Area<DB>> {
    let (width, _) = root.dim_in_pixel();
    let room = width.saturating_sub(2 * TITLE_SIDE);
    let fits = root.estimate_text_size(title, &(FONT, TITLE_SIZE).into()).map_err(err)?.0 <= room;
    let size = if fits { TITLE_SIZE } else { TITLE_SIZE * 4 / 5 };
    let lines = fit_lines(root, title, size, room, TITLE_LINES)?;
    let mut body = root.clone();
    let mut top = 0;
    for line in &lines {
        let (w, h) = body.estimate_text_size(line, &(FONT, size).into()).map_err(err)?;
        let left = (width.saturating_sub(w) / 2) as i32;
        layout.title.push(Rect { x0: left, y0: top, x1: left + w as i32, y1: top + h as i32 });
        let below = body.titled(line, (FONT, size)).map_err(err)?;
        top += body.dim_in_pixel().1 as i32 - below.dim_in_pixel().1 as i32;
        body = below;
    }
    Ok(body)
}

/// One legend entry as laid out: its mark, its text in lines ([`fit_lines`]) and its width
/// with the gap after it.
struct Placed<'e> {
    mark: &'e Mark,
    lines: Vec<String>,
    width: u32,
}

/// The height of a legend row whose tallest entry has `n_lines` lines.
fn row_height(n_lines: usize) -> u32 {
    LEGEND_ROW + n_lines.saturating_sub(1) as u32 * LEGEND_LINE
}

/// Draws the title and the legend strip, and returns the area left for the plot. Entries are
/// laid out in rows, wrapping at the strip's width; an entry wider than the strip on its own
/// (a long note) is wrapped into lines by [`fit_lines`], and the strip grows to hold them.
pub(in crate::report::chart) fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    legend: &[Entry],
    layout: &mut Layout,
) -> anyhow::Result<Area<DB>> {
    let body = titled_to_fit(root, title, layout)?;
    let (width, height) = body.dim_in_pixel();
    let font: TextStyle = (FONT, LEGEND_SIZE).into();
    let room = width.saturating_sub(2 * LEGEND_SIDE);
    let mut rows: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut row_width = 0;
    for e in legend {
        let mark_w = if matches!(e.mark, Mark::Text) { 0 } else { LEGEND_MARK };
        let text_room = room.saturating_sub(mark_w + LEGEND_GAP);
        let lines = fit_lines(&body, &e.text, LEGEND_SIZE, text_room, LEGEND_LINES)?;
        let mut text_w = 0;
        for line in &lines {
            text_w = text_w.max(body.estimate_text_size(line, &font).map_err(err)?.0);
        }
        let w = mark_w + text_w + LEGEND_GAP;
        if row_width + w > room && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            row_width = 0;
        }
        row_width += w;
        if let Some(row) = rows.last_mut() {
            row.push(Placed { mark: &e.mark, lines, width: w });
        }
    }
    let rows: Vec<_> = rows.into_iter().filter(|r| !r.is_empty()).collect();
    let heights: Vec<u32> =
        rows.iter().map(|r| row_height(r.iter().map(|e| e.lines.len()).max().unwrap_or(1))).collect();
    let strip = if rows.is_empty() { 0 } else { heights.iter().sum::<u32>() + 12 };
    let (plot, strip_area) = body.split_vertically(height.saturating_sub(strip));
    if strip > 0 {
        layout.legend = Some(rect_of(&strip_area));
    }
    let mut row_top = 0;
    for (row, row_h) in rows.iter().zip(&heights) {
        let total: u32 = row.iter().map(|e| e.width).sum();
        let mut x = (width.saturating_sub(total) / 2) as i32;
        let y = (row_top + LEGEND_ROW / 2 + 4) as i32;
        for e in row {
            let text_x = match e.mark {
                Mark::Text => x,
                mark => {
                    draw_mark(&strip_area, mark, x, y)?;
                    x + LEGEND_MARK as i32
                }
            };
            let style = font.color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
            for (k, line) in e.lines.iter().enumerate() {
                let at = (text_x, y + (k as u32 * LEGEND_LINE) as i32);
                strip_area.draw(&Text::new(line.clone(), at, style.clone())).map_err(err)?;
            }
            x += e.width as i32;
        }
        row_top += row_h;
    }
    Ok(plot)
}

fn draw_mark<DB: DrawingBackend>(area: &Area<DB>, mark: &Mark, x: i32, y: i32) -> anyhow::Result<()> {
    let line = |c: &RGBColor| PathElement::new(vec![(x, y), (x + 28, y)], c.stroke_width(3));
    match mark {
        Mark::Line(c) => area.draw(&line(c)).map_err(err)?,
        Mark::Dashed(c) => {
            for k in 0..3 {
                let x0 = x + k * 11;
                area.draw(&PathElement::new(vec![(x0, y), (x0 + 6, y)], c.stroke_width(3))).map_err(err)?;
            }
        }
        Mark::LineDot(c) => {
            area.draw(&line(c)).map_err(err)?;
            area.draw(&Circle::new((x + 14, y), 5, c.filled())).map_err(err)?;
        }
        Mark::Point(c) => area
            .draw(&Circle::new((x + 14, y), POINT_RADIUS as u32, c.stroke_width(POINT_STROKE)))
            .map_err(err)?,
        Mark::Ring(c) => area.draw(&Circle::new((x + 14, y), 7, c.stroke_width(2))).map_err(err)?,
        Mark::Fill(c) => {
            area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], c.filled())).map_err(err)?;
            // A swatch about as light as the page (white at a heat map's reference, the pale
            // grey of a blank cell) gets an outline, so it reads as a swatch.
            if c.0.min(c.1).min(c.2) >= 230 && c.3 > 0.5 {
                let outline = BLACK.mix(0.45).stroke_width(1);
                area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], outline)).map_err(err)?
            }
        }
        Mark::Corner(c) => {
            area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], RGBColor(245, 245, 245).filled()))
                .map_err(err)?;
            area.draw(&Rectangle::new([(x, y - 9), (x + 28, y + 9)], BLACK.mix(0.45).stroke_width(1)))
                .map_err(err)?;
            let corner = vec![(x + 20, y - 9), (x + 28, y - 9), (x + 28, y - 1)];
            area.draw(&Polygon::new(corner, c.filled())).map_err(err)?
        }
        Mark::ErrorBar(c) => {
            let style = c.stroke_width(ERROR_BAR_STROKE);
            let (middle, cap) = (x + 14, ERROR_CAP);
            area.draw(&PathElement::new(vec![(middle, y - 10), (middle, y + 10)], style)).map_err(err)?;
            for dy in [-10, 10] {
                let ends = vec![(middle - cap, y + dy), (middle + cap, y + dy)];
                area.draw(&PathElement::new(ends, style)).map_err(err)?;
            }
        }
        Mark::Text => {}
    }
    Ok(())
}

/// The size of the note of an empty chart, and the step between its lines.
const EMPTY_SIZE: u32 = 24;
const EMPTY_LINE: i32 = 30;

/// An empty plot with a note in the middle, for charts with nothing to show.
pub(in crate::report::chart) fn empty<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    note: &str,
) -> anyhow::Result<()> {
    let plot = frame(root, title, &[], &mut Layout::default())?.margin(20, 30, 40, 40);
    let (w, h) = plot.dim_in_pixel();
    plot.draw(&Rectangle::new([(0, 0), (w as i32 - 1, h as i32 - 1)], BLACK.mix(0.3).stroke_width(1)))
        .map_err(err)?;
    let style =
        (FONT, EMPTY_SIZE).into_font().color(&BLACK.mix(0.7)).pos(Pos::new(HPos::Center, VPos::Center));
    let lines = fit_lines(&plot, &format!("no data: {note}"), EMPTY_SIZE, w.saturating_sub(40), 4)?;
    // The lines centred as a block, each a line height below the one before.
    let first = h as i32 / 2 - (lines.len() as i32 - 1) * EMPTY_LINE / 2;
    for (k, line) in lines.iter().enumerate() {
        let at = (w as i32 / 2, first + k as i32 * EMPTY_LINE);
        plot.draw(&Text::new(line.clone(), at, style.clone())).map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure keeps its interval on one line, brackets and all, as it keeps its `±`; words
    /// in brackets that are no interval, and the words after an interval, still wrap.
    #[test]
    fn a_bracketed_interval_stays_on_the_line_of_its_figure() {
        crate::report::chart::register_fonts().unwrap();
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
        let text = "P(meet goal) 99.6% [98.5, 100] and SL 81.2% ±0.4 at [service_level] goal";
        let width = |t: &str| area.estimate_text_size(t, &(FONT, LEGEND_SIZE).into()).unwrap().0;
        let figure = "99.6% [98.5, 100]";
        for room in (width(figure)..width(text)).step_by(3) {
            let lines = fit_lines(&area, text, LEGEND_SIZE, room, 20).unwrap();
            assert!(lines.iter().all(|l| !l.ends_with('…')), "{room}: {lines:?}");
            let interval = lines.iter().find(|l| l.contains("[98.5")).unwrap();
            assert!(interval.contains(figure), "{room}: {lines:?}");
            assert!(lines.iter().any(|l| l.contains("81.2% ±0.4")), "{room}: {lines:?}");
        }
        let narrow = fit_lines(&area, text, LEGEND_SIZE, width(figure), 20).unwrap();
        assert!(narrow.iter().any(|l| l == figure), "{narrow:?}");
        assert!(narrow.iter().all(|l| !l.contains("[service_level] goal")), "{narrow:?}");
    }
}
