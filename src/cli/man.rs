//! `ccsim man`: manual pages (roff) generated from the clap definitions: the `ccsim(1)` page on
//! stdout, or with `--out DIR` one page per subcommand (`ccsim-simulate.1`, ...) beside it.
//! Every page is rendered before the first one is written, and each is written through a
//! temporary file, so a failure leaves no half-written page.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::{Cli, print};
use crate::error::BadInput;
use crate::report::output::OutputSet;

/// Arguments of `ccsim man`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    ccsim man | man -l -\n  \
    ccsim man --out ~/.local/share/man/man1   (then: man ccsim-simulate)")]
pub struct Args {
    /// Write `ccsim.1` and one `ccsim-<command>.1` per subcommand into this directory
    /// (created if missing) instead of printing `ccsim.1`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// One rendered manual page: its file name (`ccsim-simulate.1`) and its roff text.
pub struct Page {
    /// File name, section included.
    pub file_name: String,
    /// The page, in roff.
    pub roff: Vec<u8>,
}

/// The `ccsim(1)` page, then one page per subcommand.
///
/// # Errors
/// When clap_mangen fails to render (it writes to memory, so only on a malformed definition).
pub fn pages() -> std::io::Result<Vec<Page>> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = vec![render(command.clone())?];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(render(sub.clone())?);
    }
    Ok(pages)
}

fn render(command: clap::Command) -> std::io::Result<Page> {
    // Subcommands carry no version of their own; every page names the release it documents.
    let man = clap_mangen::Man::new(command).source(concat!("ccsim ", env!("CARGO_PKG_VERSION")));
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    Ok(Page { file_name: man.get_filename(), roff })
}

/// Runs `ccsim man`.
///
/// # Errors
/// When the directory or a page cannot be written, or stdout cannot be.
pub fn run(args: Args) -> anyhow::Result<()> {
    let pages = pages().context("rendering the manual pages")?;
    match args.out {
        None => print(&String::from_utf8_lossy(&pages[0].roff)),
        Some(dir) => write_pages(&dir, &pages),
    }
}

fn write_pages(dir: &Path, pages: &[Page]) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(BadInput(format!("--out: {} is a file; give a directory", dir.display())).into());
    }
    let names: Vec<&str> = pages.iter().map(|p| p.file_name.as_str()).collect();
    let mut set = OutputSet::dir("--out", dir)?.owning(&names)?;
    for page in pages {
        set.put(&page.file_name, &page.roff)?;
    }
    for path in set.commit()? {
        eprintln!("wrote: {}", path.display());
    }
    Ok(())
}
