//! Turning results into bytes people read: terminal tables, CSV, JSON, charts, HTML.
//!
//! Nothing here computes a statistic: every figure comes from a result type (`Summary`, the
//! Erlang evaluation, a staffing or schedule result). Exporters return bytes or strings; the
//! CLI decides where they go, and writes files through [`write_atomic`] so that a failure never
//! leaves half a file behind.

pub mod chart;
pub mod comparison;
pub mod erlang;
pub mod html;
pub mod schedule;
pub mod simulation;
pub mod staffing;
pub mod table;
pub mod trace;

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::stats::Estimate;

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// readers see either the old file or the whole new one.
///
/// # Errors
/// When the directory is missing or not writable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().with_context(|| format!("{}: not a file name", path.display()))?;
    let tmp = dir.join(format!(".{}.tmp{}", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Creates `dir` (and parents) for output files.
///
/// # Errors
/// When it cannot be created.
pub fn ensure_dir(dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create directory {}", dir.display()))
}

/// A share as a percentage with one decimal, e.g. `88.8%`; `-` when undefined.
pub fn percent(share: f64) -> String {
    if share.is_finite() { format!("{:.1}%", share * 100.0) } else { "-".to_string() }
}

/// An estimate of a share as `88.8% ±1.2`; the half-width is in percentage points.
pub fn percent_estimate(e: &Estimate) -> String {
    if !e.mean.is_finite() {
        "-".to_string()
    } else if e.half_width.is_finite() && e.half_width > 0.0 {
        format!("{:.1}% ±{:.1}", e.mean * 100.0, e.half_width * 100.0)
    } else {
        percent(e.mean)
    }
}

/// An estimate with `decimals` decimals, as `12.3 ±0.4`; `-` when undefined.
pub fn number_estimate(e: &Estimate, decimals: usize) -> String {
    if !e.mean.is_finite() {
        "-".to_string()
    } else if e.half_width.is_finite() && e.half_width > 0.0 {
        format!("{:.*} ±{:.*}", decimals, e.mean, decimals, e.half_width)
    } else {
        format!("{:.*}", decimals, e.mean)
    }
}

/// Word-wraps every line of `text` longer than `width` columns, continuing with an indent of
/// two spaces, so terminal reports fit their stated width.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for (j, word) in line.split(' ').enumerate() {
            let len = word.chars().count();
            if j > 0 && col + 1 + len > width {
                out.push_str("\n  ");
                col = 2;
            } else if j > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += len;
        }
    }
    out
}
