//! `ccsim erlang` (not built yet).

/// Arguments of `ccsim erlang`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim erlang`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim erlang is not built yet")
}
