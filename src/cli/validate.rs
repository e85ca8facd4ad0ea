//! `ccsim validate` (not built yet).

/// Arguments of `ccsim validate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `ccsim validate`.
///
/// # Errors
/// Always, until it is built.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("ccsim validate is not built yet")
}
