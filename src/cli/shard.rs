//! The command line of one shard (`--shard K/N`) of `simulate` or `compare`: the part goes into
//! `--out DIR`, as `DIR/shard-K-of-N/partial.ccsim`. What the shard simulates is the use case's
//! ([`crate::usecase::shard`]); each command refuses, before this, the outputs a shard does not
//! write.

use std::path::Path;

use crate::cli::merge;
use crate::error::BadInput;
use crate::model::Scenario;
use crate::replicate::Options;
use crate::shard::Shard;
use crate::usecase::shard::Job;

/// Simulates `shard`'s block of `job` and writes its part into `out`. `scenario` is the
/// scenario read from `scenario_file`, whose path the part records for `merge`.
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
    let out = out.ok_or_else(|| {
        BadInput("--shard: give --out DIR, where the shard writes its partial result".into())
    })?;
    let request = merge::request(job.command, scenario_file, job.plan_files, options, job.apply_shrinkage)?;
    merge::run_shard(out, &scenario.name, request, job.shrinkage, &job.simulated, options, shard, quiet)
}
