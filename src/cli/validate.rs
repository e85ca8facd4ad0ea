//! `ccsim validate`: check scenario files and summarise each one that is valid.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::cli::print;
use crate::error::ScenarioErrors;
use crate::model::Scenario;
use crate::scenario::{self, Overview};
use crate::time::format_duration;

/// Arguments of `ccsim validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim validate scenarios/*.toml\n  \
    ccsim validate scenarios/retail-bank.toml --plan scenarios/plans/retail-bank-late.toml\n\n\
    Prints every problem as file:line:col: field: message (exit code 2), or a summary per file.")]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Shift plan file (TOML or CSV) replacing each scenario's own shifts and staffing.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
}

/// Runs `ccsim validate`.
///
/// # Errors
/// Every problem of every file (exit 2).
pub fn run(args: Args) -> anyhow::Result<()> {
    let mut errors = Vec::new();
    let mut out = String::new();
    for file in &args.files {
        match scenario::load_with_plan(file, args.plan.as_deref()) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    eprintln!("warning: {warning}");
                }
                out += &render(
                    &file.display().to_string(),
                    &loaded.scenario,
                    &scenario::overview(&loaded.scenario),
                );
            }
            Err(e) => errors.extend(e.0),
        }
    }
    print(&out)?;
    if errors.is_empty() { Ok(()) } else { Err(ScenarioErrors(errors).into()) }
}

/// The summary of one valid file.
fn render(file: &str, scenario: &Scenario, o: &Overview) -> String {
    let grid = &scenario.grid;
    let at = |idx: usize| grid.label(idx);
    let mut s = String::new();
    let _ = writeln!(s, "{file}: ok: \"{}\"", o.name);
    let days = match (o.days, grid.first_weekday()) {
        (1, _) => String::new(),
        (n, None) => format!(" on {n} days"),
        (n, Some(w)) => format!(" on {n} days, day 1 a {}", crate::time::WEEKDAY_NAMES[w]),
    };
    let _ = writeln!(
        s,
        "  intervals      {} of {} from {}{days}",
        o.per_day,
        format_duration(o.interval),
        grid.start()
    );
    let width = crate::report::name_column_width("call type", o.call_types.iter().map(|c| c.name.as_str()));
    let _ = writeln!(s, "  {:<width$}  {:>12}  {:>10}  at", "call type", "fresh/day", "peak load");
    for c in &o.call_types {
        let per_day = c.daily_volume.iter().sum::<f64>() / c.daily_volume.len().max(1) as f64;
        let _ = writeln!(
            s,
            "  {:<width$}  {:>12.0}  {:>6.1} Erl  {}",
            c.name,
            per_day,
            c.peak_load,
            at(c.peak_interval)
        );
    }
    let _ = writeln!(s, "  peak offered load  {:.1} Erlangs at {}", o.peak_load, at(o.peak_interval));
    let _ = writeln!(
        s,
        "  agents on duty     lowest {:.1} (at {}), peak {:.1} (at {}); plan \"{}\"",
        o.min_agents,
        at(o.min_interval),
        o.peak_agents,
        at(o.peak_agents_interval),
        o.plan
    );
    let _ = writeln!(s, "  paid agent-hours   {:.1}", o.paid_hours);
    for (section, says) in &o.sections {
        let _ = writeln!(s, "  {section:<17}  {says}");
    }
    s
}
