//! How a fitted call type's handle time and patience are written: the distribution chosen,
//! with a comment saying what was measured and how well each candidate fitted, and the observed
//! quantiles an `empirical` distribution reads from the observed-durations CSV.

use std::fmt::Write as _;

use super::super::CallTypeFit;
use super::super::Fit;
use super::super::handle_time::{Choice, Family, QUANTILES};
use super::super::patience::Written;
use super::super::written_positive;
use super::{Names, csv_cell, quote, round4, seconds, written_types};
use crate::error::plural;
use crate::limits::MAX_DURATION;

/// Column names of the observed-durations CSV.
pub fn handle_column(c: &CallTypeFit) -> String {
    format!("handle_time.{}", c.name)
}
pub fn patience_column(c: &CallTypeFit) -> String {
    format!("patience.{}", c.name)
}

/// The observed durations: `QUANTILES` rows of handle-time and patience quantiles per call
/// type (an `empirical` distribution over them reproduces the observed one).
pub fn observed_csv(fit: &Fit) -> String {
    let mut columns: Vec<(String, Vec<f64>)> = Vec::new();
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        if let Some(h) = &c.handle_time {
            columns.push((handle_column(c), h.quantiles.clone()));
        }
        // Quantiles all 0 s as written would make an empirical patience that does not load.
        if let Some(p) = c.patience.as_ref().filter(|p| p.quantiles_writable()) {
            columns.push((patience_column(c), p.quantiles(QUANTILES)));
        }
    }
    let mut out = columns.iter().map(|(n, _)| csv_cell(n)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for i in 0..QUANTILES {
        let row: Vec<String> =
            columns.iter().map(|(_, v)| format!("{:.3}", v[i].min(MAX_DURATION))).collect();
        out += &row.join(",");
        out.push('\n');
    }
    out
}

/// Why a call type with no answered call of positive handle time gets a placeholder: the
/// table, JSON and the warnings say it as the scenario's comment does.
pub const PLACEHOLDER_HANDLE_TIME_REASON: &str = "no answered call with a positive handle time in the log; 5 minutes (exponential) is written as a placeholder";

pub(super) fn write_handle_time(s: &mut String, c: &CallTypeFit, names: &Names) {
    let Some(h) = &c.handle_time else {
        let _ = writeln!(
            s,
            "# TODO: no answered call with a positive handle time in the log; 5 minutes is a placeholder."
        );
        let _ = writeln!(s, "handle_time = {{ distribution = \"exponential\", mean = \"5m\" }}");
        return;
    };
    let fits: Vec<String> =
        h.candidates.iter().map(|o| format!("{} KS {:.3}", o.family.name(), o.ks)).collect();
    // A single call's reason already gives its time, and it has no spread to report.
    let measured = if h.chosen == Choice::OneCall {
        String::new()
    } else {
        format!(
            "{} answered calls, mean {:.1} s ± {:.1}, cv {:.3} ± {:.3}; ",
            h.n,
            h.mean_s,
            1.96 * h.se_mean_s,
            h.cv,
            1.96 * h.se_cv
        )
    };
    // The others' fit is worth reading only beside a family chosen from among them.
    let fits = match h.chosen {
        Choice::Fitted(_) => format!(" ({})", fits.join(", ")),
        _ => String::new(),
    };
    let _ = writeln!(s, "# handle time: {measured}{}{fits}.", h.reason());
    let _ = writeln!(
        s,
        "# observed instead: handle_time = {{ distribution = \"empirical\", file = {}, column = {} }}",
        quote(names.observed_csv),
        quote(&handle_column(c))
    );
    match h.chosen {
        Choice::Deterministic => {
            let _ = writeln!(
                s,
                "handle_time = {{ distribution = \"deterministic\", mean = {} }}",
                seconds(h.mean_s)
            );
        }
        Choice::OneCall => {
            let _ = writeln!(
                s,
                "handle_time = {{ distribution = \"exponential\", mean = {} }}",
                seconds(h.mean_s)
            );
        }
        Choice::Fitted(i) => match h.candidates[i].family {
            Family::Exponential { mean } => {
                let _ = writeln!(
                    s,
                    "handle_time = {{ distribution = \"exponential\", mean = {} }}",
                    seconds(mean)
                );
            }
            family => {
                let _ = writeln!(
                    s,
                    "handle_time = {{ distribution = \"{}\", mean = {}, cv = {} }}",
                    family.name(),
                    seconds(family.mean()),
                    round4(family.cv())
                );
            }
        },
    }
}

pub(super) fn write_patience(s: &mut String, c: &CallTypeFit, names: &Names) {
    let Some(p) = c.patience.as_ref().filter(|p| p.abandons > 0) else {
        let beyond = if c.short_abandoned > 0 { " beyond the short abandons" } else { "" };
        let _ = writeln!(
            s,
            "# patience: no caller abandoned in the log{beyond}, so none is written (callers never abandon)."
        );
        return;
    };
    let written = p.written();
    if let Some(reason) = p.instant_reason() {
        let _ = writeln!(
            s,
            "# patience: {} among {}; {reason}.",
            plural(p.abandons, "abandon"),
            plural(p.n, "wait")
        );
        return;
    }
    let estimate = p.exponential_mean_s.unwrap_or(p.max_wait_s);
    let median =
        p.km_median_s().map_or("not reached in the observed waits".to_string(), |m| format!("{m:.1} s"));
    let total = if p.entry_s > 0.0 {
        format!("total wait beyond {} / abandons", crate::time::format_duration(p.entry_s))
    } else {
        "total wait / abandons".to_string()
    };
    let _ = writeln!(
        s,
        "# patience: {} among {}; exponential MLE mean {:.1} s ({total}); Kaplan-Meier median {median};",
        plural(p.abandons, "abandon"),
        plural(p.n, "wait"),
        estimate
    );
    // Few abandons among long waits can put the estimate past the longest duration a scenario
    // takes: callers that patient as good as never abandon, and the cap says so in the file.
    if estimate > MAX_DURATION {
        let _ = writeln!(
            s,
            "# that mean is over the 30 days a duration may be (MAX_DURATION): written as 30 days."
        );
    }
    if p.entry_s > 0.0 {
        let _ = writeln!(
            s,
            "# fitted from the short-abandon threshold on: the {} still waiting at {}, each wait counted from \
             there (the exponential's mean is the same from any point on).",
            plural(p.n, "call"),
            crate::time::format_duration(p.entry_s)
        );
    }
    // With the exponential rejected, its MLE says little of the end of the curve: the tail is
    // the Weibull the test preferred, from the last abandon, and the comment says so.
    let beyond = match p.tail() {
        super::super::patience::Tail::Weibull { from_s, shape, scale_s } => format!(
            "Beyond the last abandon ({from_s:.0} s, {:.1}% still patient; the longest wait was {:.0} s) \
             patience is not in the log: the exponential being rejected, the fitted Weibull (shape \
             {shape:.2}, scale {scale_s:.1} s) is assumed.",
            100.0 * p.km.last().map_or(1.0, |s| s.survival),
            p.max_wait_s
        ),
        super::super::patience::Tail::Exponential { .. } => format!(
            "Beyond the longest wait ({:.0} s, {:.1}% still patient) patience is not in the log: assumed \
             exponential.",
            p.max_wait_s,
            100.0 * p.survival_at_max
        ),
    };
    let _ = writeln!(
        s,
        "# exponentiality test (Weibull likelihood ratio): shape {:.2}, p = {:.3}. {beyond}",
        p.weibull_shape, p.p_exponential
    );
    let empirical = format!(
        "{{ distribution = \"empirical\", file = {}, column = {} }}",
        quote(names.observed_csv),
        quote(&patience_column(c))
    );
    let exponential = |mean: f64| format!("{{ distribution = \"exponential\", mean = {} }}", seconds(mean));
    // The other form is offered only when it would load: positive once written.
    let mean = estimate.min(MAX_DURATION);
    let (why, line) = match (written, p.exponential_fits()) {
        (Written::Exponential { mean }, true) if p.quantiles_writable() => (
            format!("the exponential is not rejected; observed instead: patience = {empirical}"),
            exponential(mean),
        ),
        (Written::Exponential { mean }, true) => {
            ("the exponential is not rejected".to_string(), exponential(mean))
        }
        (Written::Exponential { mean }, false) => (
            "the exponential is rejected, but the Kaplan-Meier quantiles are all 0 s at the millisecond \
             they are written to: the exponential is written"
                .to_string(),
            exponential(mean),
        ),
        (_, true) => (
            "the exponential's mean is 0 s at the millisecond it is written to: Kaplan-Meier quantiles are \
             written"
                .to_string(),
            empirical,
        ),
        (_, false) if written_positive(mean) => (
            format!(
                "the exponential is rejected: Kaplan-Meier quantiles are written; exponential instead: \
                 patience = {}",
                exponential(mean)
            ),
            empirical,
        ),
        (_, false) => {
            ("the exponential is rejected: Kaplan-Meier quantiles are written".to_string(), empirical)
        }
    };
    let _ = writeln!(s, "# {why}");
    let _ = writeln!(s, "patience = {line}");
}
