//! The command line of one shard (`--shard K/N`) of `simulate`, `compare`, `sweep` or `risk`:
//! the flags, and the part written into `--out DIR` as `DIR/shard-K-of-N/partial.ccsim`. What
//! the shard simulates is the use case's ([`crate::usecase::shard`]); each command refuses,
//! before this, the outputs a shard does not write.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::cli::{Phase, conclude, output_dir, progress_bar};
use crate::error::BadInput;
use crate::model::Scenario;
use crate::partial::{self, Command, PartHeader, PartWriter, Request};
use crate::replicate::Options;
use crate::report::output::Outputs;
use crate::shard::{Shard, ShardSpec};
use crate::usecase::shard::{self, Job};

/// The flags that make a run one shard of several.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ShardArgs {
    /// Run only shard K of N (K from 1) of the work (the replications of simulate and compare,
    /// the cases of sweep, the headcounts of risk) and write its partial result into
    /// `--out DIR` (as `DIR/shard-K-of-N/partial.ccsim`), for `ccsim merge`; `auto` reads K and N
    /// from a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN,
    /// SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with N from
    /// --shard-count or CCSIM_SHARD_COUNT, which must agree when both are given).
    #[arg(long, value_name = "K/N|auto", allow_hyphen_values = true)]
    pub shard: Option<ShardSpec>,
    /// Number of shards, for `--shard auto` in a Kubernetes Indexed Job (its `completions`); with
    /// CCSIM_SHARD_COUNT also set, the two must agree.
    #[arg(long, value_name = "N", requires = "shard", value_parser = crate::cli::args::whole::<u32, 1, { u32::MAX as u64 }>, allow_negative_numbers = true)]
    pub shard_count: Option<u32>,
}

impl ShardArgs {
    /// The shard this process runs, `None` when not sharded.
    ///
    /// # Errors
    /// Bad `--shard`, `--shard-count` or batch-system variables (exit 2).
    pub fn resolve(&self) -> anyhow::Result<Option<Shard>> {
        let env = |name: &str| std::env::var(name).ok();
        Ok(self.shard.map(|spec| spec.resolve(self.shard_count, &env)).transpose()?)
    }
}

/// [`ShardArgs`] with the `--out DIR` a shard writes its part into, for the commands that
/// write nothing else into a directory (`compare`, `risk`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ShardOutArgs {
    #[command(flatten)]
    pub shard: ShardArgs,
    /// With --shard: the directory the shard writes its partial result into.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl ShardOutArgs {
    /// The shard this process runs, `None` when not sharded.
    ///
    /// # Errors
    /// As [`ShardArgs::resolve`]; `--out` without `--shard`, which would write nothing there
    /// (exit 2).
    pub fn resolve(&self) -> anyhow::Result<Option<Shard>> {
        let shard = self.shard.resolve()?;
        if shard.is_none() && self.out.is_some() {
            return Err(BadInput(
                "--out: only with --shard (where the shard writes its partial result)".into(),
            )
            .into());
        }
        Ok(shard)
    }
}

/// Simulates `shard`'s block of the replications of `job` and writes its part into `out`.
/// `scenario` is the scenario read from `scenario_file`, whose path the part records for
/// `merge`.
///
/// # Errors
/// No `--out`, a path that cannot be resolved or written (exit 2, before simulating); a failed
/// run or write (exit 1).
pub fn run(
    job: Job,
    scenario: &Scenario,
    scenario_file: &Path,
    out: Option<&Path>,
    options: &Options,
    shard: Shard,
    quiet: bool,
) -> anyhow::Result<()> {
    let request = request(job.command, scenario_file, job.plan_files.clone(), options, job.apply_shrinkage)?;
    let steps = shard.block(options.replications).len() as u64 * job.simulated.len() as u64;
    let header = shard::replications_header(&job, &scenario.name, request, options, shard);
    write_shard(out, header, Phase::Simulating, steps, quiet, |tick, part| {
        shard::replications(&job, options, tick, part)
    })
}

/// Runs `shard`'s block of the cases of a run sharded by case (a sweep or a risk curve) and
/// writes its part into `out`: `request` describes the run (with its cases), `simulated` the
/// models its cases are built from, and `case(n)` runs case `n` (`replications` each, ticked on
/// the bar).
///
/// # Errors
/// No `--out`, a path that cannot be resolved or written (exit 2, before simulating); a failed
/// case or write (exit 1).
#[allow(clippy::too_many_arguments)]
pub fn run_cases<T: serde::Serialize>(
    request: Request,
    scenario_name: &str,
    simulated: &[Scenario],
    out: Option<&Path>,
    shard: Shard,
    phase: Phase,
    quiet: bool,
    mut case: impl FnMut(u32, &(dyn Fn() + Sync)) -> anyhow::Result<T>,
) -> anyhow::Result<()> {
    let cases = shard.block(request.cases.as_ref().map_or(0, |c| c.count));
    let steps = u64::from(request.replications) * cases.len() as u64;
    let header = shard::cases_header(scenario_name, request, simulated, shard);
    write_shard(out, header, phase, steps, quiet, |tick, part| shard::cases(part, |n| case(n, tick)))
}

/// Refuses `--charts`, which a shard does not write: `merge` writes the charts of the whole
/// `what`.
///
/// # Errors
/// `--charts` given (exit 2).
pub fn refuse_charts(charts: Option<&Path>, what: &str) -> anyhow::Result<()> {
    if charts.is_some() {
        return Err(BadInput(format!(
            "--charts: not written by a shard; give it to `ccsim merge`, which writes the {what}"
        ))
        .into());
    }
    Ok(())
}

/// Refuses a stdout or detail flag given to a shard (`flag` when `given`): a shard prints only
/// the part it wrote, and `ccsim merge` takes `--format` (and `--intervals`) for the whole run.
///
/// # Errors
/// Bad input naming the flag.
pub fn refuse_merge_flag(given: bool, flag: &str) -> anyhow::Result<()> {
    if given {
        return Err(BadInput(format!(
            "{flag}: not used by a shard, which prints only the part it writes; give it to `ccsim merge`, \
             which prints the whole run"
        ))
        .into());
    }
    Ok(())
}

/// What a part records of the run: `files` as absolute paths, so `merge` finds them from any
/// directory (`scenario` stays as is: a compared scenario's own plan).
///
/// # Errors
/// A file that cannot be resolved (exit 2).
pub fn request(
    command: Command,
    scenario_file: &Path,
    plan_files: Vec<PathBuf>,
    options: &Options,
    apply_shrinkage: bool,
) -> anyhow::Result<Request> {
    let absolute = |p: &Path| -> anyhow::Result<PathBuf> {
        if p.as_os_str() == "scenario" {
            return Ok(p.to_path_buf());
        }
        p.canonicalize()
            .map_err(|e| BadInput(format!("{}: cannot resolve the path: {e}", p.display())).into())
    };
    Ok(Request {
        command,
        scenario_file: absolute(scenario_file)?,
        plan_files: plan_files.iter().map(|p| absolute(p)).collect::<anyhow::Result<_>>()?,
        plan_files_given: plan_files,
        seed: options.seed,
        replications: options.replications,
        apply_shrinkage,
        cases: None,
    })
}

/// Opens the shard's directory under `out` and starts its part there, in the staging area
/// (before any simulation, so a bad path fails at once); has `fill` write the part's body with
/// a progress bar of `steps` steps; then finishes the part and moves it into place.
fn write_shard(
    out: Option<&Path>,
    header: PartHeader,
    phase: Phase,
    steps: u64,
    quiet: bool,
    fill: impl FnOnce(&(dyn Fn() + Sync), &mut PartWriter) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let out = out.ok_or_else(|| {
        BadInput("--shard: give --out DIR, where the shard writes its partial result".into())
    })?;
    let shard = header.shard;
    // A directory per shard, so that shards running at once on several machines never share a
    // staging directory.
    let set = output_dir(
        "--out",
        Some(&out.join(format!("shard-{}-of-{}", shard.index(), shard.count()))),
        &[partial::FILE_NAME],
    )?;
    let mut outputs = Outputs::new();
    let Some(mut set) = set else { return conclude(&outputs, Ok(())) };
    let path = set.staged_path(partial::FILE_NAME);
    let started = std::fs::File::create(&path)
        .map_err(anyhow::Error::from)
        .and_then(|file| PartWriter::start(file, header))
        .with_context(|| format!("cannot write {}", partial::FILE_NAME));
    let mut part = match started {
        Ok(part) => part,
        Err(e) => {
            outputs.write(Some(set), |_| Err(e));
            return conclude(&outputs, Ok(()));
        }
    };
    let bar = progress_bar(phase, steps, quiet);
    let filled = fill(&|| bar.tick(), &mut part);
    bar.finish();
    filled?;
    outputs
        .write(Some(set), |_| part.finish().with_context(|| format!("cannot write {}", partial::FILE_NAME)));
    conclude(&outputs, Ok(()))
}
