//! The HTML report of a simulation: one self-contained file to share (no external link, script
//! or font; inline CSS; the charts as inline SVG) that opens from disk in any browser.
//!
//! The markup is well-formed XML (every tag closed, all text escaped) so it can be checked by a
//! parser. Definitions come from [`crate::metrics::DEFINITIONS`] and figures from the
//! [`Summary`]; nothing is computed here.

use std::fmt::Write as _;

use crate::metrics::{CallStats, DEFINITIONS, definition};
use crate::model::SlDefinition;
use crate::report::chart::simulation_chart_svgs;
use crate::report::{number_estimate, percent_estimate};
use crate::stats::Estimate;
use crate::summary::Summary;
use crate::time::format_duration;

const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;
       margin: 2em auto; max-width: 1250px; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.5em 0 1em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; }
th { background: #f3f3f3; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.miss td { background: #fdecec; }
figure { margin: 1.5em 0; }
figure svg { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
dl.defs dt { font-weight: bold; margin-top: 0.5em; }
dl.defs dd { margin-left: 1.5em; }
p.note { color: #555; font-size: 0.9em; }
";

/// The report as one HTML document.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn simulation_report(summary: &Summary) -> anyhow::Result<String> {
    let charts = simulation_chart_svgs(summary)?;
    let mut h = String::with_capacity(1 << 20);
    let title = format!("ccsim report: {}", summary.scenario);
    h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
    let _ = writeln!(h, "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>", esc(&title));
    let _ = writeln!(h, "<h1>{}</h1>", esc(&summary.scenario));
    scenario_section(&mut h, summary);
    results_section(&mut h, summary);
    h += "<h2>Charts</h2>\n";
    for (name, svg) in &charts {
        let _ = writeln!(h, "<figure id=\"chart-{}\">", esc(name));
        h += strip_xml_declaration(svg);
        let _ = writeln!(h, "\n<figcaption>{}</figcaption>\n</figure>", esc(name));
    }
    intervals_section(&mut h, summary);
    definitions_section(&mut h);
    h += "</body>\n</html>\n";
    Ok(h)
}

/// Escapes text for element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inline SVG must not carry an XML declaration in the middle of a document.
fn strip_xml_declaration(svg: &str) -> &str {
    let s = svg.trim_start();
    if s.starts_with("<?xml") { s.find("?>").map_or(s, |i| s[i + 2..].trim_start()) } else { s }
}

fn scenario_section(h: &mut String, s: &Summary) {
    let sl = &s.service_level;
    let base = match sl.definition {
        SlDefinition::Offered => "offered calls",
        SlDefinition::Answered => "answered calls",
    };
    let g = &s.grid;
    h.push_str("<h2>Scenario</h2>\n<table>\n");
    let rows = [
        ("Plan", s.plan.clone()),
        (
            "Service-level goal",
            format!("{:.0}% of {base} answered within {}", sl.goal * 100.0, format_duration(sl.target)),
        ),
        (
            "Intervals",
            format!(
                "{} per day of {} from {}, {} day{}",
                g.per_day,
                format_duration(g.interval_s),
                g.start,
                g.days,
                if g.days == 1 { "" } else { "s" }
            ),
        ),
        ("Replications", format!("{} (base seed {})", s.replications, s.seed)),
        ("Paid agent-hours", format!("{:.1}", s.paid_hours)),
        (
            "Shrinkage",
            if s.shrinkage_applied > 0.0 {
                format!(
                    "up to {} of each group's paid hours simulated off the phones (paid); every \
                     interval keeps at least {} of its agents, rounded down",
                    super::percent(s.shrinkage_applied),
                    super::percent(1.0 - s.shrinkage_applied)
                )
            } else {
                "none applied: every scheduled agent takes calls".to_string()
            },
        ),
    ];
    for (k, v) in rows {
        let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
    }
    h.push_str("</table>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">Figures are means over replications with the half-width of their 95% \
         confidence interval (±). Definitions are at the end of the report.</p>"
    );
}

/// Columns of the result tables: (metric key, how to format).
const COLUMNS: &[(&str, Fmt)] = &[
    ("offered", Fmt::Count),
    ("answered", Fmt::Count),
    ("abandoned", Fmt::Count),
    ("service_level", Fmt::Share),
    ("asa_s", Fmt::Seconds),
    ("abandon_rate", Fmt::Share),
    ("wait_p90_s", Fmt::Seconds),
];

#[derive(Copy, Clone)]
enum Fmt {
    Count,
    Share,
    Seconds,
}

fn cell(e: &Estimate, fmt: Fmt) -> String {
    match fmt {
        Fmt::Count => number_estimate(e, 1),
        Fmt::Share => percent_estimate(e),
        Fmt::Seconds => number_estimate(e, 1),
    }
}

fn header(h: &mut String, first: &[&str]) {
    h.push_str("<tr>");
    for f in first {
        let _ = write!(h, "<th>{}</th>", esc(f));
    }
    for (key, _) in COLUMNS {
        let d = definition(key);
        let _ =
            write!(h, "<th title=\"{}\">{} ({})</th>", esc(d.definition), esc(d.label), esc(unit(d.unit)));
    }
    h.push_str("</tr>\n");
}

fn unit(unit: &str) -> &str {
    if unit == "share" { "%" } else { unit }
}

fn value(stats: &CallStats<Estimate>, key: &str) -> Estimate {
    CallStats::<Estimate>::KEYS
        .iter()
        .zip(stats.values())
        .find(|(k, _)| **k == key)
        .map_or_else(Estimate::default, |(_, v)| *v)
}

fn row(h: &mut String, first: &[String], stats: &CallStats<Estimate>, goal: f64) {
    let miss = stats.service_level.mean < goal;
    h.push_str(if miss { "<tr class=\"miss\">" } else { "<tr>" });
    for f in first {
        let _ = write!(h, "<td>{}</td>", esc(f));
    }
    for (key, fmt) in COLUMNS {
        let _ = write!(h, "<td class=\"num\">{}</td>", esc(&cell(&value(stats, key), *fmt)));
    }
    h.push_str("</tr>\n");
}

fn results_section(h: &mut String, s: &Summary) {
    let goal = s.service_level.goal;
    h.push_str("<h2>Results</h2>\n<table>\n");
    header(h, &["Call type"]);
    row(h, &["all calls".to_string()], &s.overall, goal);
    for ct in &s.call_types {
        row(h, std::slice::from_ref(&ct.name), &ct.stats, goal);
    }
    h.push_str("</table>\n");
    let _ = writeln!(h, "<p class=\"note\">Rows shaded red miss the service-level goal.</p>");
    if !s.agent_groups.is_empty() {
        let occ = definition("occupancy");
        h.push_str("<table>\n");
        let _ = writeln!(
            h,
            "<tr><th>Agent group</th><th title=\"{}\">{} (%)</th></tr>",
            esc(occ.definition),
            esc(occ.label)
        );
        for g in &s.agent_groups {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&g.name),
                esc(&percent_estimate(&g.occupancy))
            );
        }
        h.push_str("</table>\n");
    }
}

fn intervals_section(h: &mut String, s: &Summary) {
    h.push_str("<h2>By interval</h2>\n<table>\n");
    header(h, &["Day", "Start", "Call type"]);
    for i in &s.intervals {
        row(h, &[i.day.to_string(), i.start.clone(), i.call_type.clone()], &i.stats, s.service_level.goal);
    }
    h.push_str("</table>\n");
}

fn definitions_section(h: &mut String) {
    h.push_str("<h2>Definitions</h2>\n<dl class=\"defs\">\n");
    for d in DEFINITIONS {
        let _ = writeln!(
            h,
            "<dt>{} <code>{}</code> ({})</dt><dd>{}</dd>",
            esc(d.label),
            esc(d.key),
            esc(d.unit),
            esc(d.definition)
        );
    }
    h.push_str("</dl>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_characters() {
        assert_eq!(esc("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    }

    #[test]
    fn xml_declarations_are_removed_from_inline_svg() {
        assert_eq!(strip_xml_declaration("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
        assert_eq!(strip_xml_declaration("<svg/>"), "<svg/>");
    }
}
