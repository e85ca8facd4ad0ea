//! `ccsim completions`: the shell completion script for bash, zsh, fish, PowerShell or elvish,
//! generated from the same clap definitions that parse the command line, so it never lists a
//! flag the binary does not have.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, print};

/// Arguments of `ccsim completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim completions bash > ~/.local/share/bash-completion/completions/ccsim\n  \
    ccsim completions zsh > ~/.zfunc/_ccsim   (with fpath+=~/.zfunc before compinit)\n  \
    ccsim completions fish > ~/.config/fish/completions/ccsim.fish")]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The completion script for `shell`, as bytes.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "ccsim", &mut bytes);
    bytes
}

/// Runs `ccsim completions`.
///
/// # Errors
/// When stdout cannot be written.
pub fn run(args: Args) -> anyhow::Result<()> {
    print(&String::from_utf8_lossy(&script(args.shell)))
}
