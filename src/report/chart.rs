//! Charts a manager can paste on a slide: PNG (1200x700) or SVG, drawn with plotters and an
//! embedded font, so they render the same on a machine with no fonts installed.
//!
//! Every chart is a [`Chart`]: a name (the file stem) and a description of what to draw, built
//! from plain data by one of the generic constructors ([`interval_lines`], [`step_lines`],
//! [`stacked_bars`], [`scatter`], [`histogram`], [`curves`]). One drawing code path serves each kind, for
//! the simulation charts here ([`simulation`]) and for the staffing, schedule and compare
//! charts built elsewhere. Nothing here computes a statistic; the caller passes the figures.
//!
//! Drawing never fails on odd data: a chart with no finite value is drawn as an empty frame
//! with a note saying why, and NaN values leave gaps in lines instead of panicking.

mod axis;
pub mod comparison;
mod draw;
pub mod family;
pub mod heatmap;
pub mod layout;
pub mod risk;
pub mod simulation;
pub mod staffing;
mod stroke;
pub mod sweep;
mod typeset;
pub mod waterfall;

pub use axis::IntervalAxis;
pub use family::ChartFamily;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::prelude::*;

use crate::report::output::OutputSet;

pub use simulation::{simulation_chart_set, simulation_chart_svgs, simulation_charts};

/// Size of every chart in pixels: wide enough for a 16:9 slide, tall enough for a legend.
pub const SIZE: (u32, u32) = (1200, 700);

/// Canvas of the charts inlined in HTML reports: smaller, so the same text sizes read larger
/// once the chart is scaled to the page (17 px labels stay above 13 px on an 800 px page).
pub const REPORT_SIZE: (u32, u32) = (980, 640);

/// The file format of charts.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartFormat {
    /// Portable Network Graphics, 1200x700 pixels.
    #[default]
    Png,
    /// Scalable Vector Graphics (text stays text).
    Svg,
}

impl ChartFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// How values on an axis are written.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ValueFormat {
    /// Plain numbers (calls, agents, seconds, money).
    Number,
    /// Shares in [0, 1], written as percentages.
    Percent,
}

/// The tool's palette: Okabe & Ito's colour-blind-safe colours, vermillion left out because it
/// marks misses and under-staffing. Call types, agent groups and plans take the colour of
/// their position in the scenario (or comparison), so one call type has one colour in every
/// chart of a run.
pub const PALETTE: [[u8; 3]; 7] =
    [[0, 114, 178], [230, 159, 0], [0, 158, 115], [204, 121, 167], [86, 180, 233], [0, 0, 0], [240, 228, 66]];

/// Vermillion (Okabe-Ito): misses, under-staffing, abandoned calls.
pub const MISS: [u8; 3] = [213, 94, 0];

/// A darker shade of a colour: a group's requirement (dashed) beside its agents on duty
/// (solid), so the two read as one group and stay apart where they are equal.
pub fn darker(c: [u8; 3]) -> [u8; 3] {
    c.map(|v| (f64::from(v) * 0.55) as u8)
}

/// The palette colour of the `idx`-th call type, group or plan.
pub fn color_of(idx: usize) -> [u8; 3] {
    PALETTE[idx % PALETTE.len()]
}

/// The scenario's horizon in words, for axes that total over it: `the scenario's day`, `the
/// scenario's 7 days` (never "over the scenario", which beside a plan named `scenario` reads
/// as a difference from that plan).
pub fn horizon_words(days: usize) -> String {
    if days <= 1 { "the scenario's day".to_string() } else { format!("the scenario's {days} days") }
}

/// The subtitle of a chart drawn from simulated replications, appended to its title: what a
/// picture pasted on a slide on its own no longer says, e.g. `plan: scenario · 30 replications
/// · seed 42`. `replications` names what each replication is, where that is not plain.
pub fn with_run_context(title: &str, plan: Option<&str>, replications: &str, seed: u64) -> String {
    let plan = plan.map(|p| format!("plan: {p} · ")).unwrap_or_default();
    format!("{title}\n{plan}{replications} · seed {seed}")
}

/// What a run of plans simulated net of shrinkage (`--apply-shrinkage`) rests on, for the
/// subtitle: the words of `rests_on`, then the shrinkage taken out, as the tables state it.
/// Without it the lower service levels, and agents on duty, of a net run would read as the
/// plan's own.
pub(crate) fn net_of_shrinkage(rests_on: String, shrinkage: f64) -> String {
    match shrinkage_words(shrinkage) {
        Some(words) => format!("{rests_on} · {words}"),
        None => rests_on,
    }
}

/// The shrinkage a run of plans took out before simulating, in a chart's words (`up to 30.0%
/// of paid hours off the phones (shrinkage)`); `None` without shrinkage.
pub(crate) fn shrinkage_words(shrinkage: f64) -> Option<String> {
    (shrinkage > 0.0).then(|| {
        format!("up to {} of paid hours off the phones (shrinkage)", crate::report::percent(shrinkage))
    })
}

/// One named line (or stack of bars) over the intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// One value per interval; NaN where undefined (drawn as a gap).
    pub values: Vec<f64>,
    /// Optional (low, high) band per interval, e.g. a confidence interval; NaN ends are skipped.
    pub band: Option<Vec<(f64, f64)>>,
    /// Colour as RGB; `None` takes the palette colour of the series' position.
    pub color: Option<[u8; 3]>,
    /// Drawn dashed and darker (a requirement against the solid line of what is on duty).
    pub dashed: bool,
}

impl Series {
    /// A series with no band and a palette colour.
    pub fn new(name: impl Into<String>, values: Vec<f64>) -> Series {
        Series { name: name.into(), values, band: None, color: None, dashed: false }
    }

    /// The same series with a band.
    #[must_use]
    pub fn with_band(mut self, band: Vec<(f64, f64)>) -> Series {
        self.band = Some(band);
        self
    }

    /// The same series with a fixed colour.
    #[must_use]
    pub fn with_color(mut self, rgb: [u8; 3]) -> Series {
        self.color = Some(rgb);
        self
    }

    /// The same series drawn dashed.
    #[must_use]
    pub fn dashed(mut self) -> Series {
        self.dashed = true;
        self
    }
}

/// A horizontal goal line, e.g. the service-level goal.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    /// Value on the primary y axis.
    pub value: f64,
    /// Legend text, e.g. `goal 80%`.
    pub label: String,
    /// Whether to mark the points of every series that fall below the goal.
    pub mark_below: bool,
}

/// A second y axis on the right, with its own series drawn as lines with markers.
#[derive(Clone, Debug, PartialEq)]
pub struct SecondaryAxis {
    /// Axis title with unit.
    pub title: String,
    /// How its values are written.
    pub format: ValueFormat,
    /// Its series (legend entries say "right axis").
    pub series: Vec<Series>,
}

/// A chart of values by interval: lines or steps, optional bands, goal and second axis.
#[derive(Clone, Debug, PartialEq)]
pub struct IntervalChart {
    /// Title, with the scenario name.
    pub title: String,
    /// The intervals.
    pub axis: IntervalAxis,
    /// Primary y axis title with unit.
    pub y_title: String,
    /// How primary values are written; `Percent` fixes the axis to 0..100%.
    pub y_format: ValueFormat,
    /// Primary series.
    pub series: Vec<Series>,
    /// Optional goal line.
    pub goal: Option<Goal>,
    /// Optional second axis.
    pub secondary: Option<SecondaryAxis>,
    /// Pairs of series (required, on duty) whose difference is shaded: under-staffing in
    /// vermillion, over-staffing in blue.
    pub shade: Vec<(usize, usize)>,
    /// Why the chart would be empty, shown when no series has a finite value.
    pub empty_note: String,
}

/// One panel of a stacked bar chart: the stacks bottom to top.
#[derive(Clone, Debug, PartialEq)]
pub struct BarPanel {
    /// Y axis title with unit.
    pub y_title: String,
    /// Stacked series, bottom first.
    pub stacks: Vec<Series>,
}

/// Stacked bars by interval, in one or more panels sharing the x axis.
#[derive(Clone, Debug, PartialEq)]
pub struct BarsChart {
    /// Title, with the scenario name.
    pub title: String,
    /// The intervals.
    pub axis: IntervalAxis,
    /// Panels, top first.
    pub panels: Vec<BarPanel>,
    /// Why the chart would be empty, shown when every value is zero or undefined.
    pub empty_note: String,
}

/// One labelled point of a scatter chart.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledPoint {
    /// Text beside the point, e.g. the plan name.
    pub label: String,
    /// X value.
    pub x: f64,
    /// Y value.
    pub y: f64,
    /// Optional (low, high) interval of y, drawn as an error bar.
    pub y_band: Option<(f64, f64)>,
}

/// Labelled points, e.g. cost against service level per plan.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterChart {
    /// Title, with the scenario name.
    pub title: String,
    /// X axis title with unit.
    pub x_title: String,
    /// How x values are written.
    pub x_format: ValueFormat,
    /// Y axis title with unit.
    pub y_title: String,
    /// How y values are written.
    pub y_format: ValueFormat,
    /// The points.
    pub points: Vec<LabelledPoint>,
    /// With a name, the points are one series (one point per headcount, say): drawn in one
    /// colour under one legend entry with this name. Without, each point has its own colour
    /// and legend entry, named by its label. A point with an empty label gets no text.
    pub series: Option<String>,
    /// Optional horizontal goal line.
    pub goal: Option<Goal>,
    /// Optional vertical line at an x value, with its legend text (the current plan's
    /// headcount on the risk curve); the x axis reaches it.
    pub x_reference: Option<(f64, String)>,
    /// Why the chart would be empty.
    pub empty_note: String,
}

/// One histogram bar over `[low, high)`; `highlight` is the part of `value` drawn in the accent
/// colour at the bottom (e.g. calls answered at once).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Bin {
    /// Lower edge.
    pub low: f64,
    /// Upper edge.
    pub high: f64,
    /// Height.
    pub value: f64,
    /// Accent part of the height, at most `value`.
    pub highlight: f64,
}

/// A vertical line with a label, e.g. the service-level target.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// Position on the x axis.
    pub x: f64,
    /// Label drawn beside the line and in the legend.
    pub label: String,
    /// Colour as RGB.
    pub color: [u8; 3],
    /// Whether the label goes in the cumulative panel (with a dot where the line meets the
    /// curve) rather than beside the bars.
    pub on_curve: bool,
}

/// The cumulative curve of a histogram, drawn in its own panel above the bars on a 0..100%
/// axis: the share of `denominator` answered within x.
#[derive(Clone, Debug, PartialEq)]
pub struct Cumulative {
    /// Legend text.
    pub label: String,
    /// Axis title with unit.
    pub y_title: String,
    /// Points (x, share), x increasing.
    pub points: Vec<(f64, f64)>,
}

/// A histogram with an optional cumulative curve on a second axis and vertical markers.
#[derive(Clone, Debug, PartialEq)]
pub struct HistogramChart {
    /// Title, with the scenario name.
    pub title: String,
    /// X axis title with unit.
    pub x_title: String,
    /// Y axis title with unit.
    pub y_title: String,
    /// How bar heights are written.
    pub y_format: ValueFormat,
    /// The bars, in increasing order.
    pub bins: Vec<Bin>,
    /// Legend text of the bars and of their highlighted part.
    pub bar_labels: (String, String),
    /// Optional cumulative share curve, in a panel above the bars.
    pub cumulative: Option<Cumulative>,
    /// The right end of the x axis, when several charts must share one scale; else the bins
    /// and markers decide.
    pub x_max: Option<f64>,
    /// Vertical markers.
    pub markers: Vec<Marker>,
    /// Curves drawn over the bars, on the bars' axis (e.g. each fitted family's share per bin).
    pub curves: Vec<Curve>,
    /// A note under the title (e.g. what is outside the x range).
    pub note: Option<String>,
    /// Why the chart would be empty.
    pub empty_note: String,
}

/// A band drawn under a curve (e.g. a 95% confidence band), with its legend text.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Legend text.
    pub label: String,
    /// (low, high) at each of the curve's points.
    pub bounds: Vec<(f64, f64)>,
}

/// A named curve over a continuous x axis: a fitted distribution, an estimator's steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// Legend text.
    pub name: String,
    /// Points (x, y), x increasing; points with a non-finite coordinate are left out.
    pub points: Vec<(f64, f64)>,
    /// [`Shape::Lines`] joins the points; [`Shape::Steps`] holds each value flat until the next
    /// point's x and rises there (a right-continuous step function, such as Kaplan-Meier's).
    pub shape: Shape,
    /// Optional band, drawn under the curve in its colour, lighter.
    pub band: Option<Band>,
    /// Colour as RGB.
    pub color: [u8; 3],
    /// Drawn dashed.
    pub dashed: bool,
}

/// Curves over a continuous x axis, each with an optional band (Kaplan-Meier against a fitted
/// distribution).
#[derive(Clone, Debug, PartialEq)]
pub struct CurveChart {
    /// Title.
    pub title: String,
    /// X axis title with unit.
    pub x_title: String,
    /// How x values are written.
    pub x_format: ValueFormat,
    /// Y axis title with unit.
    pub y_title: String,
    /// How y values are written; `Percent` fixes the axis to 0..100%.
    pub y_format: ValueFormat,
    /// The x axis, from and to: the curves are drawn inside it.
    pub x_range: (f64, f64),
    /// The curves, drawn in order (bands first).
    pub curves: Vec<Curve>,
    /// A note in the legend (e.g. what lies beyond the x axis).
    pub note: Option<String>,
    /// Why the chart would be empty.
    pub empty_note: String,
}

/// What a chart draws.
#[derive(Clone, Debug, PartialEq)]
enum Body {
    Intervals(IntervalChart, Shape),
    Bars(BarsChart),
    Scatter(ScatterChart),
    Histogram(HistogramChart),
    Curves(CurveChart),
    Panels(Vec<(IntervalChart, Shape)>, Stack),
    Heatmap(heatmap::HeatmapChart),
    Waterfall(waterfall::WaterfallChart),
}

/// How stacked panels share the chart's height.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Stack {
    /// The first panel is the main one (agents on duty above occupancy): its plot is half as
    /// high again as each below it.
    MainAbove,
    /// The same measure for each call type: plots of one height, so that a dip of 20 points
    /// looks as deep in every panel.
    Peers,
}

/// How interval series are drawn.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A point at each interval's middle, joined (curves: the points joined).
    Lines,
    /// A flat segment over each interval (curves: each value held until the next point).
    Steps,
}

/// A chart ready to render: its file stem and what it draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// File stem, file-name safe (see [`file_safe`]).
    pub name: String,
    body: Body,
}

/// Values by interval as lines through the interval middles, with bands, goal and second axis
/// (service level by interval, compare.png).
pub fn interval_lines(name: &str, chart: IntervalChart) -> Chart {
    Chart { name: file_safe(name), body: Body::Intervals(chart, Shape::Lines) }
}

/// Values by interval as steps, one flat segment per interval (agents on duty, staffing
/// requirements per method, coverage).
pub fn step_lines(name: &str, chart: IntervalChart) -> Chart {
    Chart { name: file_safe(name), body: Body::Intervals(chart, Shape::Steps) }
}

/// Stacked bars by interval in one or more panels (volumes).
pub fn stacked_bars(name: &str, chart: BarsChart) -> Chart {
    Chart { name: file_safe(name), body: Body::Bars(chart) }
}

/// Labelled points (cost against service level per plan).
pub fn scatter(name: &str, chart: ScatterChart) -> Chart {
    Chart { name: file_safe(name), body: Body::Scatter(chart) }
}

/// Interval charts stacked in panels sharing the x axis and one legend (agents on duty above
/// occupancy; required and on duty above the agents to schedule; one call type's service level
/// a panel), sharing the height as `stack` says.
pub fn panels(name: &str, panels: Vec<(IntervalChart, Shape)>, stack: Stack) -> Chart {
    Chart { name: file_safe(name), body: Body::Panels(panels, stack) }
}

/// A histogram with a cumulative curve and markers (wait distribution).
pub fn histogram(name: &str, chart: HistogramChart) -> Chart {
    Chart { name: file_safe(name), body: Body::Histogram(chart) }
}

/// Curves over a continuous x axis with their bands (the Kaplan-Meier patience curve).
pub fn curves(name: &str, chart: CurveChart) -> Chart {
    Chart { name: file_safe(name), body: Body::Curves(chart) }
}

impl Chart {
    /// The file name in `format`, e.g. `service_level.png`.
    pub fn file_name(&self, format: ChartFormat) -> String {
        format!("{}.{}", self.name, format.extension())
    }

    /// The chart as an SVG document (for files and for inline use in the HTML report).
    ///
    /// # Errors
    /// When the embedded font cannot be registered or plotters fails to draw.
    pub fn to_svg(&self) -> anyhow::Result<String> {
        Ok(self.svg_and_layout()?.0)
    }

    /// The chart as SVG with the layout it was drawn with (plot areas, legend, data points),
    /// so a test can check that the legend never covers data.
    ///
    /// # Errors
    /// As [`to_svg`](Self::to_svg).
    pub fn svg_and_layout(&self) -> anyhow::Result<(String, layout::Layout)> {
        self.svg_sized(SIZE)
    }

    /// The chart as SVG drawn on a canvas of `size` pixels (the HTML reports use a smaller
    /// canvas, so text stays readable when the page is 800 px wide).
    ///
    /// # Errors
    /// As [`to_svg`](Self::to_svg).
    pub fn svg_sized(&self, size: (u32, u32)) -> anyhow::Result<(String, layout::Layout)> {
        register_fonts()?;
        let mut out = String::new();
        let mut layout = layout::Layout::default();
        {
            let root = typeset::Typeset::vector(SVGBackend::with_string(&mut out, size)).into_drawing_area();
            draw::draw(&root, &self.body, &mut layout)?;
            root.present().map_err(|e| anyhow::anyhow!("cannot draw chart {}: {e}", self.name))?;
        }
        Ok((out, layout))
    }

    /// Writes the chart into the output set `set` in `format` (see [`crate::report::output`]):
    /// it reaches its directory only when the whole set is committed.
    ///
    /// # Errors
    /// When drawing fails or the file cannot be written.
    pub fn write_into(&self, set: &mut OutputSet, format: ChartFormat) -> anyhow::Result<()> {
        let name = self.file_name(format);
        match format {
            ChartFormat::Svg => set.put(&name, self.to_svg()?.as_bytes()),
            ChartFormat::Png => {
                register_fonts()?;
                // plotters' encoder only writes to a path; the staged path ends in .png, which
                // is how it picks the format.
                let path = set.staged_path(&name);
                let root =
                    typeset::Typeset::raster(BitMapBackend::new(&path, SIZE), FONT).into_drawing_area();
                draw::draw(&root, &self.body, &mut layout::Layout::default())?;
                root.present().map_err(|e| anyhow::anyhow!("cannot write {name}: {e}"))
            }
        }
    }
}

/// Writes every chart into the output set `set` (committed by the caller).
///
/// # Errors
/// When a chart cannot be drawn or written.
pub fn write_charts_into(charts: &[Chart], set: &mut OutputSet, format: ChartFormat) -> anyhow::Result<()> {
    charts.iter().try_for_each(|c| c.write_into(set, format))
}

/// Writes every chart into `dir` (created if missing) as one output set, and returns the
/// paths in order.
///
/// # Errors
/// When the directory cannot be created or a chart cannot be drawn or written; then no chart
/// of this call reaches `dir`.
pub fn write_charts(charts: &[Chart], dir: &Path, format: ChartFormat) -> anyhow::Result<Vec<PathBuf>> {
    let mut set = OutputSet::dir("--charts", dir)?;
    write_charts_into(charts, &mut set, format)?;
    set.commit()
}

/// A name safe in a file name on every platform: letters, digits, `-` and `_` kept, runs of
/// anything else turned into one `_`.
pub fn file_safe(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    // A file name has at most 255 bytes on common file systems: a call type named at length
    // keeps its first characters (two names alike that far are told apart by a suffix).
    let trimmed = out.trim_matches('_');
    let kept = trimmed[..trimmed.len().min(MAX_STEM_CHARS)].trim_end_matches('_');
    if kept.is_empty() { "chart".to_string() } else { kept.to_string() }
}

/// The most characters of a name a chart's file name keeps (all ASCII after [`file_safe`]).
const MAX_STEM_CHARS: usize = 120;

/// The embedded font (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the embedded font for every family name plotters may ask for, once per process
/// (tests draw on several threads).
pub(super) fn register_fonts() -> anyhow::Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [draw::FONT, "sans-serif", "serif", "monospace"]
            .iter()
            .all(|family| plotters::style::register_font(family, FontStyle::Normal, FONT).is_ok())
    });
    if ok { Ok(()) } else { anyhow::bail!("the embedded chart font is invalid") }
}

/// A duration in seconds for a chart's label: `37 s`, `2.5 s`.
fn seconds(v: f64) -> String {
    if v >= 10.0 { format!("{v:.0} s") } else { format!("{v:.1} s") }
}

/// An answer-time target as people state it, on every chart: seconds up to 10 minutes
/// (`20 s`), else as a duration (`4h`, not `14400 s`).
fn target_text(target_s: f64) -> String {
    if target_s < 600.0 { seconds(target_s) } else { crate::time::format_duration(target_s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_safe_names_keep_letters_and_collapse_the_rest() {
        assert_eq!(file_safe("Billing & Sales"), "Billing_Sales");
        assert_eq!(file_safe("wait_distribution_vip-line"), "wait_distribution_vip-line");
        assert_eq!(file_safe("../etc"), "etc");
        assert_eq!(file_safe("///"), "chart");
        let long = file_safe(&format!("wait_distribution_{}", "h".repeat(300)));
        assert_eq!(long.len(), MAX_STEM_CHARS);
        assert!(long.starts_with("wait_distribution_hhh"));
    }

    fn staffing_like(series: Vec<Series>) -> IntervalChart {
        IntervalChart {
            title: "test: required agents".to_string(),
            axis: IntervalAxis::from_grid("08:00", 900.0, 8, 1),
            y_title: "agents".to_string(),
            y_format: ValueFormat::Number,
            series,
            goal: None,
            secondary: None,
            shade: Vec::new(),
            empty_note: "no requirement".to_string(),
        }
    }

    #[test]
    fn generic_charts_draw_odd_series_without_panicking() {
        let odd = vec![
            Series::new("short", vec![1.0, 2.0]),
            Series::new("nan", vec![f64::NAN; 8]),
            Series::new("long", (0..20).map(f64::from).collect()).with_band(vec![(0.0, 1.0)]),
            Series::new("zeros", vec![0.0; 8]),
            Series::new("infinite", vec![f64::INFINITY, 3.0, f64::NEG_INFINITY, 1.0]),
        ];
        for chart in [
            step_lines("staffing", staffing_like(odd.clone())),
            interval_lines("compare", staffing_like(odd)),
        ] {
            let svg = chart.to_svg().unwrap();
            assert!(svg.contains("interval start (HH:MM)") && svg.contains(">\nagents\n<"), "{}", chart.name);
        }
        let empty = step_lines("staffing", staffing_like(vec![Series::new("nan", vec![f64::NAN; 8])]));
        assert!(empty.to_svg().unwrap().contains("no data: no requirement"));
        let no_axis = IntervalChart {
            axis: IntervalAxis::from_grid("08:00", 900.0, 0, 1),
            ..staffing_like(Vec::new())
        };
        assert!(interval_lines("x", no_axis).to_svg().unwrap().contains("no data"));
    }

    #[test]
    fn scatter_labels_each_point_and_survives_one_or_no_point() {
        let point = |label: &str, x: f64, y: f64| LabelledPoint {
            label: label.to_string(),
            x,
            y,
            y_band: Some((y - 0.02, y + 0.02)),
        };
        let chart = |points| {
            scatter(
                "compare_cost",
                ScatterChart {
                    title: "test: cost and service level".to_string(),
                    x_title: "cost (agent-hours)".to_string(),
                    x_format: ValueFormat::Number,
                    y_title: "service level (%)".to_string(),
                    y_format: ValueFormat::Percent,
                    points,
                    series: None,
                    goal: Some(Goal { value: 0.8, label: "goal 80%".to_string(), mark_below: false }),
                    x_reference: None,
                    empty_note: "no plan".to_string(),
                },
            )
        };
        let svg = chart(vec![point("plan A", 320.0, 0.78), point("plan B", 344.0, 0.86)]).to_svg().unwrap();
        assert!(svg.contains("plan A") && svg.contains("plan B") && svg.contains("cost (agent-hours)"));
        assert!(!chart(vec![point("only", 300.0, 0.9)]).to_svg().unwrap().contains("no data"));
        assert!(chart(vec![point("nan", f64::NAN, 0.9)]).to_svg().unwrap().contains("no data: no plan"));
    }
}
