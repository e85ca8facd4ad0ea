//! The fit report as one self-contained HTML file (`ccsim fit --report FILE.html`): the fit
//! table, the round-trip check when a staffing file was given, and per call type two charts,
//! the handle-time histogram against each fitted family and the Kaplan-Meier patience curve
//! with its 95% band against the exponential fit, ending with the definitions of the figures.
//!
//! The page and the charts are the other reports' own ([`Page`] and [`crate::report::chart`]):
//! inline CSS and inline SVG, axes titled with their units and numbered ticks, legends in the
//! tool's palette, no script, font or link from elsewhere. Nothing is estimated here; every
//! figure comes from the [`Fit`] and the round trip's rows.

use std::fmt::Write as _;

use super::check::Comparison;
use super::handle_time::{Choice, Family, HandleTimeFit};
use super::patience::{PatienceFit, Step, Written};
use super::report::{MISFIT, round_trip_cells};
use super::write::written_types;
use super::{CallTypeFit, Fit};
use crate::report::chart::{
    self, Band, Bin, Chart, Curve, CurveChart, HistogramChart, PALETTE, Shape, ValueFormat,
};
use crate::report::html::esc;
use crate::report::html::page::{GroupedTable, Page};
use crate::time::Seconds;

/// The round-trip check as the report shows it.
#[derive(Clone, Copy, Debug)]
pub enum RoundTrip<'a> {
    /// No staffing file was given: there is nothing to simulate the scenario under.
    NotAsked,
    /// A staffing file without `--out`: no scenario was written, so none was simulated.
    NeedsOut,
    /// The check's rows, the replications they ran, and the written scenario's service-level
    /// target.
    Ran { rows: &'a [Comparison], replications: u32, target_s: Seconds },
}

/// The report as one HTML document.
///
/// # Errors
/// When a chart cannot be drawn.
pub fn report(fit: &Fit, round_trip: RoundTrip<'_>) -> anyhow::Result<String> {
    let file = fit.log.file.display().to_string();
    let header = [
        ("Call log", file.clone()),
        ("Rows", format!("{} read, {} kept", fit.log.rows, fit.kept())),
        ("ccsim version", env!("CARGO_PKG_VERSION").to_string()),
    ];
    let mut page = Page::new(&format!("ccsim fit: {file}"), &format!("Fit of {file}"), &header);
    page.h2("Fit report", "fit-report");
    page.p("note", "The table ccsim fit prints: every figure's source and standard error.");
    page.raw(&format!("<div class=\"scroll\"><pre>{}</pre></div>\n", esc(&super::report::table(fit))));
    round_trip_section(&mut page, round_trip);
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        page.h2(&c.name, &format!("call-type-{t}"));
        match &c.handle_time {
            Some(h) if !h.candidates.is_empty() => {
                page.chart(&handle_chart(c, h), &handle_caption(c, h))?;
            }
            Some(h) => page.p("note", &format!("Handle time: {}.", h.reason())),
            None => page.p("note", "Handle time: no answered call with a positive handle time."),
        }
        match &c.patience {
            Some(p) if p.abandons > 0 && p.max_wait_s > 0.0 => {
                page.chart(&patience_chart(c, p), &patience_caption(c, p))?;
            }
            Some(p) => page.p("note", &format!("Patience: {}.", p.reason())),
            None => page.p("note", "Patience: no call with a wait."),
        }
    }
    definitions(&mut page, round_trip);
    Ok(page.finish())
}

/// The colour of a fitted family, the same in every chart of the report.
fn family_color(family: &Family) -> [u8; 3] {
    match family {
        Family::Lognormal { .. } => PALETTE[1],
        Family::Gamma { .. } => PALETTE[2],
        Family::Exponential { .. } => PALETTE[3],
    }
}

/// The Kaplan-Meier curve's colour (the exponential takes its family's).
const KAPLAN_MEIER: [u8; 3] = PALETTE[0];

/// z for a 95% interval.
const Z95: f64 = 1.96;

/// A duration in seconds as written in a label: to the millisecond, without trailing zeros.
fn secs(x: Seconds) -> String {
    let text = format!("{x:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn share(part: u64, whole: u64) -> String {
    if whole == 0 { "-".to_string() } else { format!("{:.1}%", 100.0 * part as f64 / whole as f64) }
}

fn handle_chart(c: &CallTypeFit, h: &HandleTimeFit) -> Chart {
    let hist = &h.histogram;
    let n = h.n as f64;
    let bins: Vec<Bin> = hist
        .counts
        .iter()
        .enumerate()
        .map(|(k, &count)| Bin {
            low: k as f64 * hist.bin_s,
            high: (k + 1) as f64 * hist.bin_s,
            value: count as f64 / n,
            highlight: 0.0,
        })
        .collect();
    let written = match h.chosen {
        Choice::Fitted(i) => Some(i),
        _ => None,
    };
    let curves = h
        .candidates
        .iter()
        .enumerate()
        .map(|(i, candidate)| {
            let f = &candidate.family;
            let points =
                bins.iter().map(|b| ((b.low + b.high) / 2.0, f.cdf(b.high) - f.cdf(b.low))).collect();
            let chosen = if written == Some(i) { " (written)" } else { "" };
            Curve {
                name: format!(
                    "{}{chosen}: mean {:.1} s, cv {:.2}, KS {:.3}",
                    f.name(),
                    f.mean(),
                    f.cv(),
                    candidate.ks
                ),
                points,
                shape: Shape::Lines,
                band: None,
                color: family_color(f),
                dashed: written != Some(i),
            }
        })
        .collect();
    let note = (hist.beyond > 0).then(|| {
        format!(
            "beyond the right edge: {} of {} calls ({}) took {} s or longer",
            hist.beyond,
            h.n,
            share(hist.beyond, h.n as u64),
            secs(hist.cut_s())
        )
    });
    chart::histogram(
        &format!("handle_time_{}", c.name),
        HistogramChart {
            title: format!("{}: handle time of answered calls", c.name),
            x_title: "handle time (s)".to_string(),
            y_title: format!("share of answered calls per {} s bin (%)", secs(hist.bin_s)),
            y_format: ValueFormat::Percent,
            bins,
            bar_labels: (format!("answered calls in the log (n = {})", h.n), String::new()),
            cumulative: None,
            x_max: Some(hist.cut_s()),
            markers: Vec::new(),
            curves,
            note,
            empty_note: "no answered call".to_string(),
        },
    )
}

fn handle_caption(c: &CallTypeFit, h: &HandleTimeFit) -> String {
    let hist = &h.histogram;
    format!(
        "Handle time (talk, hold and after-call work, in seconds) of the {n} answered calls of {name} \
         with a positive handle time. Bars: the share of these calls whose handle time falls in each \
         {bin} s bin. Lines: the share of the same bin under each family fitted by maximum likelihood \
         (KS: the largest gap between the fitted and the observed distribution function). The chart \
         stops at {cut} s, the first bin edge above the 99th percentile: {beyond} calls ({pct}) took \
         {cut} s or longer, counted in every share and fit but not drawn. Written: {chosen}, because {reason}.",
        n = h.n,
        name = c.name,
        bin = secs(hist.bin_s),
        cut = secs(hist.cut_s()),
        beyond = hist.beyond,
        pct = share(hist.beyond, h.n as u64),
        chosen = h.chosen_name(),
        reason = h.reason(),
    )
}

/// The Kaplan-Meier steps to draw: merged where they fall within a thousandth of the axis of
/// the step kept before them (the later value kept, so the curve's rises are all shown), from
/// P = 0 at a wait of 0, with the value of the last step held to the longest observed wait.
fn km_points(p: &PatienceFit) -> Vec<(f64, (f64, f64, f64))> {
    let x_max = p.max_wait_s;
    let resolution = x_max / 1000.0;
    let value = |s: &Step| {
        let f = 1.0 - s.survival;
        let se = s.survival * s.greenwood.sqrt();
        (f, ((f - Z95 * se).max(0.0), (f + Z95 * se).min(1.0)))
    };
    let mut out: Vec<(f64, (f64, f64, f64))> = vec![(0.0, (0.0, 0.0, 0.0))];
    let mut mergeable_from = None;
    for s in &p.km {
        let (f, (low, high)) = value(s);
        match mergeable_from {
            Some(x) if s.t - x < resolution => {
                if let Some(last) = out.last_mut() {
                    last.1 = (f, low, high);
                }
            }
            _ => {
                out.push((s.t, (f, low, high)));
                mergeable_from = Some(s.t);
            }
        }
    }
    if let Some(&(t, value)) = out.last()
        && t < x_max
    {
        out.push((x_max, value));
    }
    out
}

fn patience_chart(c: &CallTypeFit, p: &PatienceFit) -> Chart {
    let x_max = p.max_wait_s;
    let steps = km_points(p);
    let written = p.written();
    let km_written = if written == Written::Empirical { " (written as empirical)" } else { "" };
    let mut curves = vec![Curve {
        name: format!("Kaplan-Meier{km_written}: {} abandons among {} waits", p.abandons, p.n),
        points: steps.iter().map(|&(t, (f, _, _))| (t, f)).collect(),
        shape: Shape::Steps,
        band: Some(Band {
            label: "95% confidence band (Greenwood)".to_string(),
            bounds: steps.iter().map(|&(_, (_, low, high))| (low, high)).collect(),
        }),
        color: KAPLAN_MEIER,
        dashed: false,
    }];
    if let Some(mean) = p.exponential_mean_s {
        let exp_written = if matches!(written, Written::Exponential { .. }) { " (written)" } else { "" };
        curves.push(Curve {
            name: format!("exponential{exp_written}: MLE mean {mean:.1} s"),
            points: (0..=200)
                .map(|i| {
                    let t = x_max * f64::from(i) / 200.0;
                    // Fitted from the short-abandon threshold on, as the Kaplan-Meier curve is.
                    (t, 1.0 - (-(t - p.entry_s).max(0.0) / mean).exp())
                })
                .collect(),
            shape: Shape::Lines,
            band: None,
            color: family_color(&Family::Exponential { mean }),
            dashed: false,
        });
    }
    chart::curves(
        &format!("patience_{}", c.name),
        CurveChart {
            title: format!("{}: patience, Kaplan-Meier against the exponential", c.name),
            x_title: "wait in queue (s)".to_string(),
            x_format: ValueFormat::Number,
            y_title: "callers who would hang up by then (%)".to_string(),
            y_format: ValueFormat::Percent,
            x_range: (0.0, x_max),
            curves,
            note: Some(format!(
                "the axis ends at the longest observed wait, {} s: {:.1}% of callers still patient there",
                secs(x_max),
                100.0 * p.survival_at_max
            )),
            empty_note: "no wait".to_string(),
        },
    )
}

fn patience_caption(c: &CallTypeFit, p: &PatienceFit) -> String {
    let exponential = p.exponential_mean_s.map_or(String::new(), |mean| {
        format!(
            " Against it, the exponential P(patience ≤ t) = 1 − exp(−t / {mean:.1} s), whose mean is the maximum \
             likelihood estimate: the total wait of all calls over the abandons."
        )
    });
    let entry = if p.entry_s > 0.0 {
        format!(
            " Short abandons (under {} s) are left out: both curves are fitted from that wait on, over the \
             callers still waiting there, and are 0 below it.",
            secs(p.entry_s)
        )
    } else {
        String::new()
    };
    format!(
        "Patience of the callers of {name}: the Kaplan-Meier estimate of P(patience ≤ t), the share of \
         callers who would hang up by a wait of t seconds, from {n} waits of which {d} ended in an abandon \
         (an answered call shows only that its caller's patience exceeded its wait). It is a step \
         function: it rises at each wait at which callers abandoned. Shaded: its 95% confidence band, \
         ±1.96 standard errors by Greenwood's formula.{exponential} The axis ends at the longest \
         observed wait, {max} s: no caller was seen waiting longer, so the log cannot show patience \
         beyond it ({still:.1}% of callers were still patient there).{entry} Written: {written}, because {reason}.",
        name = c.name,
        n = p.n,
        d = p.abandons,
        max = secs(p.max_wait_s),
        still = 100.0 * p.survival_at_max,
        written = p.written().name(),
        reason = p.reason(),
    )
}

/// What a round-trip figure is, with its unit, for the table's second column.
fn figure_label(figure: &str, target_s: Seconds) -> String {
    match figure {
        "service_level" => format!("service level, answered within {} s (share)", secs(target_s)),
        "asa_s" => "ASA, average wait of answered calls (s)".to_string(),
        "abandon_rate" => "abandonment (share)".to_string(),
        other => other.to_string(),
    }
}

fn round_trip_section(page: &mut Page, round_trip: RoundTrip<'_>) {
    page.h2("Round trip: the fitted scenario simulated against the log", "round-trip");
    let (rows, replications, target_s) = match round_trip {
        RoundTrip::NotAsked => {
            page.p(
                "note",
                "Not run: give the agents logged in per interval with --staffing FILE (and --out) to \
                 simulate the fitted scenario under them and compare it with the log.",
            );
            return;
        }
        RoundTrip::NeedsOut => {
            page.p("note", "Not run: give --out to write the fitted scenario and simulate it back.");
            return;
        }
        RoundTrip::Ran { rows, replications, target_s } => (rows, replications, target_s),
    };
    let misfits = rows.iter().filter(|r| r.misfit()).count();
    page.p(
        "headline",
        &format!(
            "The fitted scenario under the observed staffing ({replications} replications) against the log: \
             {misfits} of {} figures flagged MISFIT.",
            rows.len()
        ),
    );
    let columns = [
        ("Call type", ""),
        ("Figure", ""),
        ("Log (95% CI)", "the log's figure ± 1.96 times its standard error"),
        ("Simulated (95% CI)", "the mean over the replications ± its 95% half-width"),
        ("Check", "MISFIT when the difference exceeds both errors together"),
    ];
    let table = GroupedTable {
        columns: columns.iter().map(|(name, title)| (name.to_string(), title.to_string())).collect(),
        rows: rows
            .iter()
            .map(|r| {
                let (log, simulated) = round_trip_cells(r);
                let check = if r.misfit() { MISFIT } else { "within the errors" };
                let cells = vec![
                    (r.call_type.clone(), false),
                    (figure_label(r.figure, target_s), false),
                    (log, true),
                    (simulated, true),
                    (check.to_string(), false),
                ];
                (1, cells, r.misfit())
            })
            .collect(),
        days: 1,
        first_weekday: None,
        wrapper: "",
    };
    page.raw(&table.render());
}

fn definitions(page: &mut Page, round_trip: RoundTrip<'_>) {
    page.h2("Definitions", "definitions");
    let mut defs = vec![
        (
            "Handle time",
            "Talk, hold and after-call work of an answered call, in seconds. Answered calls with a handle \
             time of 0 s at the millisecond are left out of the fits and the chart.",
        ),
        (
            "Fitted family",
            "Lognormal, gamma and exponential, each fitted by maximum likelihood to the answered calls of \
             a call type. The written one (solid line) has the highest likelihood among those a scenario \
             can hold; the others are dashed.",
        ),
        (
            "KS",
            "Kolmogorov-Smirnov distance: the largest gap between a fitted distribution function and the \
             observed one, from 0 to 1.",
        ),
        (
            "Patience",
            "How long a caller would wait before hanging up, in seconds. An abandoned call shows it; an \
             answered call shows only that it exceeded the wait.",
        ),
        (
            "Kaplan-Meier",
            "The estimate of P(patience ≤ t) from abandoned and answered (censored) calls together; its \
             95% band is ±1.96 standard errors by Greenwood's formula, cut to 0% and 100%.",
        ),
    ];
    if let RoundTrip::Ran { .. } = round_trip {
        defs.extend([
            (
                "Service level (round trip)",
                "Calls answered within the scenario's target over calls offered: answered, abandoned, \
                 still waiting at the close and, when the scenario has lines, blocked (without lines a \
                 simulation blocks none, and they are left out). Callback customers are left out: their \
                 wait is the time to the call back, not time held.",
            ),
            (
                "ASA (round trip)",
                "Average wait of answered calls that held (callback customers left out), in seconds.",
            ),
            (
                "Abandonment (round trip)",
                "Abandoned calls over calls offered, counted as above with callback customers in.",
            ),
            (
                "Log (95% CI)",
                "The log's figure ± 1.96 standard errors: the larger of the one computed as if calls were \
                 independent and the spread of one simulated run of the log's length.",
            ),
            (
                "MISFIT",
                "The simulated figure differs from the log's by more than the simulation's 95% half-width \
                 plus 1.96 times the log's standard error: beyond both sources of noise.",
            ),
        ]);
    }
    let mut h = String::from("<dl class=\"defs\">\n");
    for (term, text) in defs {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(term), esc(text));
    }
    h += "</dl>\n";
    page.raw(&h);
}
