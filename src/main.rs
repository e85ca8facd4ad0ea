//! The `ccsim` binary: parse the command line, run, print the error chain, set the exit code.

use clap::Parser;

fn main() {
    let cli = ccsim::cli::Cli::parse();
    if let Err(err) = ccsim::cli::run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(ccsim::error::exit_code(&err));
    }
}
