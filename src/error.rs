//! Error types the library returns and the exit codes they map to.
//!
//! The library never prints: it returns these, and only `main.rs` turns them into text through
//! anyhow's `{:#}` chain. Exit codes: 0 success, 2 bad input or usage (as clap does for usage
//! errors), 1 anything else (an I/O failure, a solver failure).

use std::fmt;
use std::path::PathBuf;

/// Exit code for bad input or usage.
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code for any other failure.
pub const EXIT_FAILURE: i32 = 1;

/// A value the user gave that cannot be used (a flag, a file's content): exit code 2.
///
/// The message already names the flag or file, the value and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// A number as an error message quotes it: as Rust writes it from a millionth to a billion, in
/// exponent form beyond (`1e308`, `1e-200`, not hundreds of digits).
pub fn quoted_number(x: f64) -> String {
    if x == 0.0 || (1e-6..1e9).contains(&x.abs()) { format!("{x}") } else { format!("{x:e}") }
}

/// A count and its noun, as messages and reports write it: `1 replication`, `20 replications`.
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// One problem found in a scenario, plan or forecast file, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file, as the user named it (or as resolved relative to the scenario).
    pub file: PathBuf,
    /// 1-based line and column, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub col: Option<usize>,
    /// Dotted path of the field, e.g. `call_types.billing.handle_time.mean`, or a CSV column.
    pub field: String,
    /// What was wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    /// `file:line:col: field: message`, the form editors and terminals link to.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        if self.field.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {}: {}", self.field, self.message)
        }
    }
}

/// Every problem found in one pass over the input files (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

/// Problems shown of one pass, as compilers stop listing: the first hundred, in file order, are
/// enough to fix in one go, and a file with hundreds of thousands of them (a key repeated on
/// every line) would otherwise print megabytes. The count of the rest follows them.
pub const MAX_ERRORS_SHOWN: usize = 100;

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        for (i, e) in self.0.iter().take(MAX_ERRORS_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
                write!(f, "error: ")?;
            }
            write!(f, "{e}")?;
        }
        if n > MAX_ERRORS_SHOWN {
            write!(f, "\n... and {} more errors not shown", n - MAX_ERRORS_SHOWN)?;
        }
        if n > 1 {
            write!(f, "\n{n} problems found")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// The exit code for an error chain: 2 when any cause is bad input, 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    let bad_input = err
        .chain()
        .any(|cause| cause.is::<BadInput>() || cause.is::<ScenarioErrors>() || cause.is::<clap::Error>());
    if bad_input { EXIT_BAD_INPUT } else { EXIT_FAILURE }
}
