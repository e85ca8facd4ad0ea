//! `ccsim simulate` (not built yet).

/// Arguments of `ccsim simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim simulate`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim simulate is not built yet")
}
