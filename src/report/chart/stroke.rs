//! Thick lines in PNG charts drawn without notches.
//!
//! plotters rasterises a line wider than a pixel as the polygon around it, one vertex each
//! side of every point of the line. Where three points lie on one straight line it places
//! those vertices by truncating toward zero, and everywhere else by rounding, so the edge of a
//! thick line drops by a pixel at every point in the middle of a straight run: a rising curve
//! (the share of calls answered within a wait) then seems to dip. A point in the middle of a
//! straight run changes nothing in the line's shape, so it is left out before the line is
//! drawn.

use plotters_backend::BackendCoord;

/// The points of `path` without repeats and without those in the middle of a straight run
/// (the line through its neighbours, going on in the same direction); the line they draw is
/// the same.
pub(super) fn without_straight_joints(path: impl IntoIterator<Item = BackendCoord>) -> Vec<BackendCoord> {
    let mut out: Vec<BackendCoord> = Vec::new();
    for p in path {
        if out.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = out[..]
            && goes_straight_on(a, b, p)
        {
            out.pop();
        }
        out.push(p);
    }
    out
}

/// Whether `b` lies on the segment from `a` to `c`, strictly between them.
fn goes_straight_on(a: BackendCoord, b: BackendCoord, c: BackendCoord) -> bool {
    let (u, v) = ((i64::from(b.0 - a.0), i64::from(b.1 - a.1)), (i64::from(c.0 - b.0), i64::from(c.1 - b.1)));
    u.0 * v.1 == u.1 * v.0 && u.0 * v.0 + u.1 * v.1 > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_in_the_middle_of_straight_runs_are_left_out() {
        let path = [(0, 10), (5, 10), (10, 10), (10, 10), (15, 8), (20, 6), (25, 6), (20, 6), (30, 6)];
        // (5, 10) is between (0, 10) and (10, 10); (15, 8) between (10, 10) and (20, 6); the
        // repeat of (10, 10) goes; (25, 6) turns back to (20, 6), so both stay.
        assert_eq!(
            without_straight_joints(path),
            vec![(0, 10), (10, 10), (20, 6), (25, 6), (20, 6), (30, 6)]
        );
    }

    #[test]
    fn a_bend_keeps_its_point() {
        let path = [(0, 0), (10, 0), (10, 10), (20, 11)];
        assert_eq!(without_straight_joints(path), path.to_vec());
    }
}
