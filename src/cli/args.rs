//! Flags that several commands share, each defined once and flattened into the commands'
//! `Args` (`#[command(flatten)]`): the replication flags (`-r`, `--seed`, `--threads`, `-q`)
//! and the chart and report flags (`--charts`, `--chart-format`, `--report`), with the one
//! routine that writes a command's charts and report.
//!
//! A command whose help says more about a shared flag than the shared text (which files its
//! `--charts` writes, say) sets that flag's help with [`help_of`]; everything else about the
//! flag (name, value, default, checks) stays here.

use std::path::{Path, PathBuf};

use crate::error::BadInput;
use crate::limits::MAX_REPLICATIONS;
use crate::model::Scenario;
use crate::report::chart::{Chart, ChartFamily, ChartFormat, write_charts_into};
use crate::report::html::RunInfo;
use crate::report::output::{Held, OutputSet, Outputs};

/// The replication flags of every command that simulates.
#[derive(Debug, Clone, clap::Args)]
pub struct ReplicationArgs {
    /// Replications (default: the scenario's `[simulation] replications`).
    #[arg(long, short = 'r', value_parser = whole::<u32, 1, { MAX_REPLICATIONS as u64 }>, allow_negative_numbers = true)]
    pub replications: Option<u32>,
    /// Base seed (default: the scenario's `[simulation] seed`).
    #[arg(long, value_parser = whole::<u64, 0, { u64::MAX }>, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core); results do not depend on it.
    #[arg(long, value_parser = whole::<usize, 1, { u32::MAX as u64 }>, allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// A whole-number flag from `MIN` to `MAX`, saying what it takes when given a sign, a
/// fraction or a number out of that range (where the parser alone says "invalid digit found in
/// string", or takes `-1` for a flag). `MAX` fits in `T`.
pub fn whole<T: TryFrom<u64>, const MIN: u64, const MAX: u64>(text: &str) -> Result<T, String> {
    let n = text.trim().parse::<u64>().ok().filter(|n| (MIN..=MAX).contains(n));
    n.and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("must be a whole number from {MIN} to {MAX}, got {text}"))
}

impl ReplicationArgs {
    /// Replication options: flags over the scenario's defaults.
    ///
    /// # Errors
    /// More replications than the caps allow (exit 2).
    pub fn options(&self, scenario: &Scenario) -> anyhow::Result<crate::replicate::Options> {
        let replications = self.replications.unwrap_or(scenario.simulation.replications);
        crate::limits::check_replications(replications).map_err(|message| {
            BadInput(format!("--replications (or [simulation] replications): {message}"))
        })?;
        Ok(crate::replicate::Options {
            replications,
            seed: self.seed.unwrap_or(scenario.simulation.seed),
            threads: self.threads,
        })
    }
}

/// `--charts DIR` and `--chart-format`.
#[derive(Debug, Clone, clap::Args)]
pub struct ChartArgs {
    /// Write the charts into this directory.
    #[arg(long, value_name = "DIR")]
    pub charts: Option<PathBuf>,
    /// Chart file format (with `--charts`: it is what the charts are written as).
    #[arg(long, value_enum, default_value_t = ChartFormat::Png, requires = "charts")]
    pub chart_format: ChartFormat,
}

/// `--charts DIR`, `--chart-format` and `--report FILE.html`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub chart: ChartArgs,
    /// Write a self-contained HTML report (header, goals, tables, inline charts) to this file.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
}

impl ChartArgs {
    /// Opens the `--charts` directory, if given, before any work: an unwritable path fails
    /// now (exit 2), not after the run. The charts of `family` already there are the set's:
    /// those this run does not draw are removed when it is written.
    ///
    /// # Errors
    /// Bad input naming `--charts` when the directory cannot be created or written.
    pub fn open(&self, family: &'static ChartFamily) -> anyhow::Result<ChartsAndReport> {
        Ok(ChartsAndReport {
            charts: open_charts(self.charts.as_deref(), family)?,
            format: self.chart_format,
            report: None,
        })
    }

    /// The `--charts` directory as [`refuse_overlaps`](crate::report::output::refuse_overlaps)
    /// weighs it.
    pub fn held<'a>(&'a self, family: &'a ChartFamily) -> (&'static str, Option<&'a Path>, Held<'a>) {
        ("--charts", self.charts.as_deref(), Held::Charts(family))
    }
}

/// Opens a `--charts` directory, if given, owning the charts of `family` already there.
///
/// # Errors
/// Bad input naming `--charts` when the directory cannot be created or written.
pub fn open_charts(dir: Option<&Path>, family: &'static ChartFamily) -> anyhow::Result<Option<OutputSet>> {
    Ok(dir
        .map(|d| OutputSet::dir("--charts", d))
        .transpose()?
        .map(|set| set.owning_present(|name| family.holds(name)))
        .transpose()?)
}

impl ReportArgs {
    /// Opens the `--charts` directory and the `--report` file, if given, before any work.
    ///
    /// # Errors
    /// Bad input naming the flag when a path cannot be created or written (exit 2).
    pub fn open(&self, family: &'static ChartFamily) -> anyhow::Result<ChartsAndReport> {
        if self.report.is_some() {
            crate::report::html::source_date_epoch().map_err(BadInput)?;
        }
        let mut opened = self.chart.open(family)?;
        opened.report = self.report.as_deref().map(|p| OutputSet::file("--report", p)).transpose()?;
        warn_if_not_html(self.report.as_deref());
        Ok(opened)
    }

    /// The first of `--charts` and `--report` given, for a run that writes neither (a shard).
    pub fn given(&self) -> Option<&'static str> {
        if self.chart.charts.is_some() {
            Some("--charts")
        } else if self.report.is_some() {
            Some("--report")
        } else {
            None
        }
    }
}

/// A command's chart directory and report file, opened before its work and written after it
/// by [`ChartsAndReport::write`], the one place that does so.
pub struct ChartsAndReport {
    charts: Option<OutputSet>,
    format: ChartFormat,
    report: Option<OutputSet>,
}

impl ChartsAndReport {
    /// Writes the charts `charts` draws, then the report `report` renders for the run of
    /// `scenario` read from `file`; each only when its flag was given (nothing is drawn or
    /// rendered otherwise). A failure is recorded in `outputs`, as every output's is.
    pub fn write(
        mut self,
        outputs: &mut Outputs,
        (scenario, file): (&Scenario, &Path),
        charts: impl FnOnce() -> Vec<Chart>,
        report: impl FnOnce(&RunInfo) -> anyhow::Result<String>,
    ) {
        let set = self.report.take();
        self.charts_only(outputs, charts);
        outputs.write(set, |set| {
            let html = report(&RunInfo::of(scenario, file))?;
            let name = set.file_name().to_string();
            set.put(&name, html.as_bytes())
        });
    }

    /// Writes the charts `charts` draws, when `--charts` was given, for a command without a
    /// report.
    pub fn charts_only(self, outputs: &mut Outputs, charts: impl FnOnce() -> Vec<Chart>) {
        let format = self.format;
        outputs.write(self.charts, |set| write_charts_into(&charts(), set, format));
    }
}

/// Says on stderr that `--report` writes HTML whatever the file is named, when its name ends in
/// another extension (`report.pdf` would open as a broken PDF). A name without an extension
/// (`/dev/stdout`, a pipe) is taken without a word, and the file is written as given.
pub fn warn_if_not_html(report: Option<&std::path::Path>) {
    let Some(extension) = report.and_then(|p| p.extension()) else { return };
    let extension = extension.to_string_lossy();
    if !["html", "htm"].iter().any(|e| extension.eq_ignore_ascii_case(e)) {
        eprintln!(
            "warning: --report {}: the report is an HTML page, written as given; name it .html (or .htm) \
             so that it opens in a browser (.{extension} is not converted)",
            report.map_or(String::new(), |p| p.display().to_string())
        );
    }
}

/// Says on stderr that `--apply-shrinkage` takes nothing off when the scenario has no
/// `[staffing] shrinkage`: the run is the one without the flag, which a reader of the command
/// line would not guess.
pub fn warn_if_no_shrinkage(
    apply_shrinkage: bool,
    scenario: &crate::model::Scenario,
    file: &std::path::Path,
) {
    if apply_shrinkage && scenario.staffing.shrinkage == 0.0 {
        eprintln!(
            "warning: --apply-shrinkage: {} has no [staffing] shrinkage, so every agent of the plan takes calls",
            file.display()
        );
    }
}

/// Sets the help text of the shared flags named in `helps` (by id, e.g. `"charts"`), leaving
/// every other flag as it is; for `#[command(mut_args(help_of(&[...])))]` on a command whose
/// help says more about a shared flag. Text as clap shows it: no trailing period.
pub fn help_of(helps: &'static [(&'static str, &'static str)]) -> impl FnMut(clap::Arg) -> clap::Arg {
    move |arg| match helps.iter().find(|(id, _)| arg.get_id() == *id) {
        Some((_, help)) => arg.help(*help),
        None => arg,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use crate::cli::Cli;

    /// Each command's own help for a shared flag reaches its `--help`: a misspelt id in
    /// [`super::help_of`] would leave the shared text in place.
    #[test]
    fn commands_say_what_their_shared_flags_write() {
        let cli = Cli::command();
        let help = |command: &str, id: &str| {
            let command = cli.find_subcommand(command).expect("a command");
            let arg = command.get_arguments().find(|a| a.get_id() == id).expect("a flag");
            arg.get_help().map(ToString::to_string).unwrap_or_default()
        };
        for (command, id, says) in [
            ("simulate", "charts", "wait distribution"),
            ("simulate", "report", "definitions"),
            ("staff", "charts", "staffing.png"),
            ("staff", "charts", "waterfall.png"),
            ("staff", "charts", "staffing_heatmap.png"),
            ("schedule", "plan", "--requirement"),
            ("schedule", "charts", "coverage.png"),
            ("compare", "charts", "compare.png"),
            ("compare", "replications", "per plan"),
            ("merge", "charts", "whole run"),
            ("merge", "report", "whole run"),
            ("risk", "charts", "risk.png"),
        ] {
            assert!(help(command, id).contains(says), "{command} --{id}: {}", help(command, id));
        }
    }
}
