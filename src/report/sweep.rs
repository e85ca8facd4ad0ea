//! The `ccsim sweep` table: one line per case, its factors and the overall figures. Pure:
//! the result in, text out.

use std::fmt::Write as _;

use crate::stats::Estimate;
use crate::sweep::Sweep;

/// One line per case: the factors, the plan (when several) and the overall figures.
pub fn table(result: &Sweep) -> String {
    let plans = result.plans.len() > 1;
    let plan_width = result.cases.iter().map(|c| c.plan.chars().count()).max().unwrap_or(0).max(4);
    let plan_column = |name: &str| if plans { format!(" {name:<plan_width$}") } else { String::new() };
    let mut text = format!(
        "{} - {} cases, {} replications each, seed {}\n{:>5} {:>7} {:>11} {:>6}{}  {:>17} {:>15} {:>15}\n",
        result.scenario,
        result.cases.len(),
        result.replications,
        result.seed,
        "case",
        "volume",
        "handle_time",
        "agents",
        plan_column("plan"),
        "service level",
        "ASA s",
        "abandon rate"
    );
    for (i, c) in result.cases.iter().enumerate() {
        let o = &c.overall;
        let line = format!(
            "{:>5} {:>7} {:>11} {:>+6}{}  {} {} {}",
            i + 1,
            c.case.volume,
            c.case.handle_time,
            c.case.agents,
            plan_column(&c.plan),
            estimate(&o.service_level, 8, 3),
            estimate(&o.asa_s, 6, 1),
            estimate(&o.abandon_rate, 6, 3)
        );
        let _ = writeln!(text, "{}", line.trim_end());
    }
    text
}

/// `mean ± half-width` in a column `width + 9` wide, or `-` there when the figure is undefined
/// (no contact answered in the case: no ASA), as the other tables print it.
fn estimate(e: &Estimate, width: usize, decimals: usize) -> String {
    if e.mean.is_finite() {
        format!("{:>width$.decimals$} ± {:<6.decimals$}", e.mean, e.half_width)
    } else {
        format!("{:>width$}{:9}", "-", "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undefined_figure_is_a_dash_in_its_column() {
        let defined = Estimate { mean: 12.34, half_width: 1.46 };
        let undefined = Estimate { mean: f64::NAN, half_width: f64::NAN };
        let shown = estimate(&defined, 6, 1);
        assert_eq!(shown, "  12.3 ± 1.5   ");
        let dash = estimate(&undefined, 6, 1);
        assert_eq!(dash.chars().count(), shown.chars().count());
        assert_eq!(dash.trim(), "-");
        assert_eq!(dash.find('-'), Some(5), "right-aligned under the means");
    }
}
