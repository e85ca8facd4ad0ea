//! `ccsim schedule` (not built yet).

/// Arguments of `ccsim schedule`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim schedule`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim schedule is not built yet")
}
