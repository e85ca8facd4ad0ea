//! `ccsim init`: write a commented starter scenario to edit.

use std::path::{Path, PathBuf};

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

/// The name the starter uses for itself in its opening comment (`ccsim validate scenario.toml`).
const STARTER_NAME: &str = "scenario.toml";

/// The starter scenario whose opening comment names `path`, the file it is written to, so that
/// its commands can be copied as they are. Only the comment lines that run ccsim change.
pub fn starter_for(path: &Path) -> String {
    let shown = shell_word(&path.display().to_string());
    let mut out = String::with_capacity(STARTER.len());
    for line in STARTER.split_inclusive('\n') {
        match line.split_once(STARTER_NAME) {
            Some((command, rest)) if line.starts_with("#   ccsim ") => {
                // Keep the trailing comments in one column when the name fits.
                let after = rest.trim_start_matches(' ');
                let width = STARTER_NAME.len() + (rest.len() - after.len());
                let pad = width.saturating_sub(shown.chars().count()).max(1);
                out.push_str(&format!("{command}{shown}{}{after}", " ".repeat(pad)));
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// `word` as a shell would need it typed: as it is when it is plain, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '+' | ':' | ','));
    if plain { word.to_string() } else { format!("'{}'", word.replace('\'', "'\\''")) }
}

/// Runs `ccsim init`.
///
/// # Errors
/// When the file exists and `--force` is not given (exit 2), or it cannot be written.
pub fn run(args: Args) -> anyhow::Result<()> {
    // A directory is no file to write, with or without --force: said first, not after --force.
    if args.path.is_dir() {
        return Err(BadInput(format!(
            "{}: is a directory; give the path of the scenario file to write, e.g. {}",
            args.path.display(),
            args.path.join("my-center.toml").display()
        ))
        .into());
    }
    // Every command refuses a scenario named .csv (it would be a plan or a forecast), so a
    // starter written there could never be validated, and --force would overwrite a forecast.
    if args.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        return Err(BadInput(format!(
            "{}: a scenario is a TOML file, and ccsim reads a .csv file only as a plan or a forecast; \
             give a name ending in .toml, e.g. {}",
            args.path.display(),
            args.path.with_extension("toml").display()
        ))
        .into());
    }
    if args.path.exists() && !args.force {
        return Err(BadInput(format!(
            "{}: already exists; use --force to overwrite it, or give another PATH",
            args.path.display()
        ))
        .into());
    }
    let mut set = crate::report::output::OutputSet::file("PATH", &args.path)?;
    crate::cli::put_file(&mut set, starter_for(&args.path).as_bytes())?;
    set.commit()?;
    // `wrote: PATH` as every command says it, and the next step on a line of its own.
    eprintln!("wrote: {}", args.path.display());
    eprintln!("check it with: ccsim validate {}", shell_word(&args.path.display().to_string()));
    Ok(())
}
