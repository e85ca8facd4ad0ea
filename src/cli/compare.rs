//! `ccsim compare` (not built yet).

/// Arguments of `ccsim compare`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim compare`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim compare is not built yet")
}
