//! `ccsim staff` (not built yet).

/// Arguments of `ccsim staff`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim staff`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim staff is not built yet")
}
