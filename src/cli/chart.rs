//! `ccsim chart` (not built yet).

/// Arguments of `ccsim chart`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim chart`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim chart is not built yet")
}
