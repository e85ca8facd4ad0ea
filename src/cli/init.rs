//! `ccsim init` (not built yet).

/// Arguments of `ccsim init`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim init`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim init is not built yet")
}
