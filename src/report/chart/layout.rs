//! Where a chart put its parts, in pixels, recorded while drawing: the plot areas, the legend
//! strip, every data point and every label drawn inside a plot. Tests read it to check that
//! the legend never covers data and that labels stay inside the picture, without looking at
//! pixels.

/// A rectangle in pixels, corners inclusive.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Rect {
    /// Left.
    pub x0: i32,
    /// Top.
    pub y0: i32,
    /// Right.
    pub x1: i32,
    /// Bottom.
    pub y1: i32,
}

impl Rect {
    /// The rectangle from plotters' pixel ranges.
    pub fn from_ranges(x: std::ops::Range<i32>, y: std::ops::Range<i32>) -> Rect {
        Rect { x0: x.start, y0: y.start, x1: x.end, y1: y.end }
    }

    /// Whether the two rectangles share a pixel.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 <= other.x1 && other.x0 <= self.x1 && self.y0 <= other.y1 && other.y0 <= self.y1
    }

    /// Whether the point is inside.
    pub fn contains(&self, (x, y): (i32, i32)) -> bool {
        (self.x0..=self.x1).contains(&x) && (self.y0..=self.y1).contains(&y)
    }
}

/// The layout of one chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The plotting area of each panel (inside the axes).
    pub plots: Vec<Rect>,
    /// The legend strip, when the chart has a legend.
    pub legend: Option<Rect>,
    /// Every data point drawn (line vertices, dots, bar tops, heat-map cells' centres).
    pub points: Vec<(i32, i32)>,
    /// Labels drawn inside a plot (marker labels, point labels, day names).
    pub labels: Vec<Rect>,
    /// Each line of the title.
    pub title: Vec<Rect>,
}
