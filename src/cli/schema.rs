//! `ccsim schema`: the JSON Schema of the scenario format (or of plan files), for editors that
//! complete and check TOML (Taplo, Even Better TOML).

use crate::cli::print;

/// Arguments of `ccsim schema`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  \
    ccsim schema > ccsim.schema.json\n  \
    ccsim schema --plan > ccsim-plan.schema.json\n\n\
    Then start a scenario with the line `#:schema ./ccsim.schema.json` (Taplo / Even Better TOML).")]
pub struct Args {
    /// The schema of plan files (`--plan FILE.toml`) instead of scenarios.
    #[arg(long)]
    pub plan: bool,
}

/// Runs `ccsim schema`.
///
/// # Errors
/// When stdout cannot be written.
pub fn run(args: Args) -> anyhow::Result<()> {
    print(&if args.plan { crate::scenario::plan_json_schema() } else { crate::scenario::json_schema() })
}
