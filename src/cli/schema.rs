//! `ccsim schema` (not built yet).

/// Arguments of `ccsim schema`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim schema`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim schema is not built yet")
}
