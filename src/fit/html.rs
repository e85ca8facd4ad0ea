//! The fit report as one self-contained HTML file (`ccsim fit --report FILE.html`): per call
//! type, the handle-time histogram of the data against each fitted family, and the
//! Kaplan-Meier patience curve with its 95% band against the exponential fit. Charts are
//! inline SVG drawn here (no font, script or external link); nothing is estimated here.

use std::fmt::Write as _;

use super::Fit;
use super::handle_time::HandleTimeFit;
use super::patience::PatienceFit;
use super::write::written_types;
use crate::report::html::esc;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const MARGIN: f64 = 40.0;
const BINS: usize = 40;
const COLOURS: [&str; 3] = ["#d62728", "#2ca02c", "#9467bd"];

/// The report as one HTML document.
pub fn report(fit: &Fit) -> String {
    let mut h = String::new();
    let title = format!("ccsim fit: {}", fit.log.file.display());
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n\
         <style>body {{ font-family: sans-serif; max-width: 1000px; margin: 2em auto; color: #222; }} \
         pre {{ font-size: 0.8em; overflow-x: auto; }} svg {{ border: 1px solid #eee; }}</style>\n</head>\n<body>",
        esc(&title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(&title));
    let _ = writeln!(h, "<pre>{}</pre>", esc(&super::report::table(fit)));
    for t in written_types(fit) {
        let c = &fit.call_types[t];
        let _ = writeln!(h, "<h2>{}</h2>", esc(&c.name));
        if let Some(handle) = c.handle_time.as_ref().filter(|h| h.candidates.is_empty()) {
            let _ = writeln!(h, "<p>Handle time: {}.</p>", esc(&handle.reason()));
        } else if let Some(handle) = &c.handle_time {
            let _ = writeln!(
                h,
                "<figure>{}<figcaption>Handle time: share of answered calls per bin (grey) and each fitted \
                 family's share (lines: {}).</figcaption></figure>",
                handle_chart(handle),
                legend(handle)
            );
        }
        if let Some(p) = c.patience.as_ref().filter(|p| p.abandons > 0) {
            let _ = writeln!(
                h,
                "<figure>{}<figcaption>Patience: Kaplan-Meier P(patience ≤ t) with its 95% band (blue) and the \
                 exponential with the MLE mean (red), up to the longest observed wait; beyond it patience is not \
                 in the log.</figcaption></figure>",
                patience_chart(p)
            );
        }
    }
    h += "</body>\n</html>\n";
    h
}

fn legend(h: &HandleTimeFit) -> String {
    h.candidates
        .iter()
        .zip(COLOURS)
        .map(|(c, colour)| format!("{} {colour}", c.family.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn frame(x_max: f64, x_label: &str, y_max: f64) -> String {
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">"
    );
    let _ = write!(
        s,
        "<line x1=\"{MARGIN}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#000\"/><line x1=\"{MARGIN}\" y1=\"{MARGIN}\" x2=\"{MARGIN}\" y2=\"{b}\" stroke=\"#000\"/>\
         <text x=\"{r}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"11\">{x_label} (0 to {x_max:.0} s)</text>\
         <text x=\"4\" y=\"{MARGIN}\" font-size=\"11\">{y_max:.3}</text>",
        b = HEIGHT - MARGIN,
        r = WIDTH - MARGIN,
        ty = HEIGHT - 10.0
    );
    s
}

fn point(x: f64, y: f64, x_max: f64, y_max: f64) -> String {
    let px = MARGIN + x / x_max * (WIDTH - 2.0 * MARGIN);
    let py = HEIGHT - MARGIN - y / y_max * (HEIGHT - 2.0 * MARGIN);
    format!("{px:.1},{py:.1}")
}

fn handle_chart(h: &HandleTimeFit) -> String {
    let x_max = h.quantiles[h.quantiles.len() * 99 / 100].max(1.0);
    let width = x_max / BINS as f64;
    let mut shares = vec![0.0; BINS];
    for q in &h.quantiles {
        if let Some(bin) = shares.get_mut((q / width) as usize) {
            *bin += 1.0 / h.quantiles.len() as f64;
        }
    }
    let fitted: Vec<Vec<f64>> = h
        .candidates
        .iter()
        .map(|c| {
            (0..BINS).map(|b| c.family.cdf((b + 1) as f64 * width) - c.family.cdf(b as f64 * width)).collect()
        })
        .collect();
    let y_max = shares.iter().chain(fitted.iter().flatten()).fold(0.0f64, |a, b| a.max(*b)).max(1e-9) * 1.1;
    let mut s = frame(x_max, "handle time", y_max);
    for (b, share) in shares.iter().enumerate() {
        let (x0, y0) = (
            MARGIN + b as f64 * (WIDTH - 2.0 * MARGIN) / BINS as f64,
            share / y_max * (HEIGHT - 2.0 * MARGIN),
        );
        let _ = write!(
            s,
            "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{y0:.1}\" fill=\"#bbb\"/>",
            HEIGHT - MARGIN - y0,
            (WIDTH - 2.0 * MARGIN) / BINS as f64 - 1.0
        );
    }
    for (values, colour) in fitted.iter().zip(COLOURS) {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(b, v)| point((b as f64 + 0.5) * width, *v, x_max, y_max))
            .collect();
        let _ = write!(
            s,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{}\"/>",
            points.join(" ")
        );
    }
    s + "</svg>"
}

fn patience_chart(p: &PatienceFit) -> String {
    let x_max = p.max_wait_s.max(1.0);
    let stride = p.km.len().div_ceil(400).max(1);
    let steps: Vec<_> = p.km.iter().step_by(stride).collect();
    let line = |f: &dyn Fn(&super::patience::Step) -> f64| {
        let mut pts = vec![point(0.0, 0.0, x_max, 1.0)];
        pts.extend(steps.iter().map(|s| point(s.t, f(s).clamp(0.0, 1.0), x_max, 1.0)));
        pts.join(" ")
    };
    let mut s = frame(x_max, "wait", 1.0);
    let se = |s: &super::patience::Step| s.survival * s.greenwood.sqrt();
    let _ = write!(
        s,
        "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{}\"/>",
        line(&|s| 1.0 - s.survival)
    );
    for sign in [-1.0, 1.0] {
        let _ = write!(
            s,
            "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-dasharray=\"3,3\" points=\"{}\"/>",
            line(&|s| 1.0 - s.survival + sign * 1.96 * se(s))
        );
    }
    if let Some(mean) = p.exponential_mean_s {
        let pts: Vec<String> = (0..=100)
            .map(|i| {
                let t = x_max * f64::from(i) / 100.0;
                point(t, 1.0 - (-t / mean).exp(), x_max, 1.0)
            })
            .collect();
        let _ = write!(s, "<polyline fill=\"none\" stroke=\"#d62728\" points=\"{}\"/>", pts.join(" "));
    }
    s + "</svg>"
}
