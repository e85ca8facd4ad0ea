//! The chart files each command writes into its `--charts` directory.
//!
//! A run replaces its command's charts as a set: a chart of an earlier run that this one does
//! not draw (a call type since renamed, the other format, the heat maps of a run that had
//! several days) is removed, so a directory never mixes two runs' charts. Only the command's
//! own chart names are touched, never another file, nor another command's charts.

use super::ChartFormat;

/// The chart file names of one command: fixed stems, and for a simulation one wait chart per
/// call type (`wait_distribution_<name>`), each as PNG or SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartFamily {
    stems: &'static [&'static str],
    per_call_type: Option<&'static str>,
}

/// `simulate`, `merge` of its parts and `chart`.
pub const SIMULATION: ChartFamily = ChartFamily {
    stems: &[
        "wait_distribution",
        "service_level",
        "volume",
        "occupancy",
        "service_level_heatmap",
        "occupancy_heatmap",
    ],
    per_call_type: Some("wait_distribution_"),
};

/// `staff`.
pub const STAFFING: ChartFamily =
    ChartFamily { stems: &["staffing", "staffing_heatmap", "waterfall"], per_call_type: None };

/// `schedule`.
pub const SCHEDULE: ChartFamily = ChartFamily { stems: &["coverage"], per_call_type: None };

/// `compare` and `merge` of its parts.
pub const COMPARISON: ChartFamily = ChartFamily { stems: &["compare", "compare_cost"], per_call_type: None };

/// `sweep` and `merge` of its parts.
pub const SWEEP: ChartFamily = ChartFamily { stems: &["sweep"], per_call_type: None };

/// `risk` and `merge` of its parts.
pub const RISK: ChartFamily = ChartFamily { stems: &["risk"], per_call_type: None };

impl ChartFamily {
    /// Whether `file_name` is one of this family's charts, in either format.
    pub fn holds(&self, file_name: &str) -> bool {
        let Some((stem, extension)) = file_name.rsplit_once('.') else { return false };
        let is_chart_format = [ChartFormat::Png, ChartFormat::Svg].iter().any(|f| f.extension() == extension);
        is_chart_format
            && (self.stems.contains(&stem)
                || self
                    .per_call_type
                    .and_then(|prefix| stem.strip_prefix(prefix))
                    .is_some_and(|rest| !rest.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_holds_its_own_charts_in_either_format_and_nothing_else() {
        assert!(SIMULATION.holds("volume.png") && SIMULATION.holds("volume.svg"));
        assert!(SIMULATION.holds("wait_distribution_web-chat.svg"));
        assert!(SIMULATION.holds("wait_distribution.png"));
        for other in
            ["wait_distribution_.png", "volume.csv", "volume", "notes.png", "staffing.png", "volume.png.bak"]
        {
            assert!(!SIMULATION.holds(other), "{other}");
        }
        assert!(STAFFING.holds("waterfall.png") && !STAFFING.holds("wait_distribution_a.png"));
        assert!(COMPARISON.holds("compare_cost.svg") && !COMPARISON.holds("coverage.svg"));
    }
}
