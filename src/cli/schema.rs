//! `ccsim schema`: the JSON Schema of the scenario format, for editors that complete and
//! check TOML (Taplo, Even Better TOML).

use crate::cli::print;

/// Arguments of `ccsim schema`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  \
    ccsim schema > ccsim.schema.json\n\n\
    Then start a scenario with the line `#:schema ./ccsim.schema.json` (Taplo / Even Better TOML).")]
pub struct Args {}

/// Runs `ccsim schema`.
///
/// # Errors
/// When stdout cannot be written.
pub fn run(_args: Args) -> anyhow::Result<()> {
    print(&crate::scenario::json_schema())
}
