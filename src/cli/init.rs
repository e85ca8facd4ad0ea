//! `ccsim init`: write a commented starter scenario to edit.

use std::path::PathBuf;

use crate::error::BadInput;

/// The starter scenario (valid as shipped; a test loads it).
pub const STARTER: &str = include_str!("../../scenarios/templates/starter.toml");

/// Arguments of `ccsim init`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim init\n  \
    ccsim init my-center.toml && ccsim validate my-center.toml")]
pub struct Args {
    /// Where to write the scenario.
    #[arg(default_value = "scenario.toml", value_name = "PATH")]
    pub path: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Runs `ccsim init`.
///
/// # Errors
/// When the file exists and `--force` is not given (exit 2), or it cannot be written.
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.path.exists() && !args.force {
        return Err(BadInput(format!(
            "{}: already exists; use --force to overwrite it, or give another PATH",
            args.path.display()
        ))
        .into());
    }
    let mut set = crate::report::output::OutputSet::file("PATH", &args.path)?;
    crate::cli::put_file(&mut set, STARTER.as_bytes())?;
    set.commit()?;
    eprintln!("wrote {}; check it with: ccsim validate {}", args.path.display(), args.path.display());
    Ok(())
}
