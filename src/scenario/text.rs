//! Reading an input file into text: at most [`MAX_FILE_BYTES`], valid UTF-8, every failure said
//! in a way the caller can locate.
//!
//! A file that cannot be opened or is too large is the fault of whoever named it (the scenario
//! field `volumes_file`, a `--plan` flag), so that failure comes back as a bare message for the
//! caller to place. A byte that is not UTF-8 is the file's own fault, and comes back located
//! at its line and column.

use std::io::Read;
use std::path::Path;

use crate::error::ScenarioError;
use crate::limits::MAX_FILE_BYTES;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadFailure {
    /// It cannot be opened or read, or is larger than the cap: a message without the file name.
    Unreadable(String),
    /// It was read, and holds bytes that are not UTF-8 at this place.
    NotUtf8(ScenarioError),
}

impl ReadFailure {
    /// The failure as an error against the file itself (when nothing names it, e.g. the
    /// scenario file given on the command line).
    pub fn into_error(self, file: &Path) -> ScenarioError {
        match self {
            ReadFailure::Unreadable(message) => ScenarioError {
                file: file.to_path_buf(),
                line: None,
                col: None,
                field: String::new(),
                message,
            },
            ReadFailure::NotUtf8(e) => e,
        }
    }
}

/// The text of `file`, read through `take` so that a file that never ends stops at the cap.
///
/// # Errors
/// See [`ReadFailure`].
pub fn read(file: &Path) -> Result<String, ReadFailure> {
    let unreadable = |e: std::io::Error| ReadFailure::Unreadable(format!("cannot read the file: {e}"));
    if file.is_dir() {
        return Err(ReadFailure::Unreadable("cannot read the file: it is a directory".to_string()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .map_err(unreadable)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadFailure::Unreadable(format!(
            "the file is larger than the cap of {} MiB (MAX_FILE_BYTES); input files are read whole",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        // Everything before `at` is valid UTF-8, so it can be counted in characters.
        let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let (line, col) = super::field::line_col(before, at);
        ReadFailure::NotUtf8(ScenarioError {
            file: file.to_path_buf(),
            line: Some(line),
            col: Some(col),
            field: String::new(),
            message: format!(
                "byte 0x{:02x} is not UTF-8 text; save the file as UTF-8",
                bytes.get(at).copied().unwrap_or_default()
            ),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("ccsim-text-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn a_bad_byte_is_located_by_line_and_column() {
        let path = tmp("latin1", b"name = \"x\"\nstart = \"caf\xe9\"\n");
        let Err(ReadFailure::NotUtf8(e)) = read(&path) else { panic!("read as text") };
        assert_eq!((e.line, e.col), (Some(2), Some(13)), "{e}");
        assert!(e.message.contains("0xe9"), "{e}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_file_that_never_ends_stops_at_the_cap() {
        let Err(ReadFailure::Unreadable(message)) = read(Path::new("/dev/zero")) else {
            panic!("/dev/zero was read whole")
        };
        assert!(message.contains("MAX_FILE_BYTES"), "{message}");
    }

    #[test]
    fn a_directory_is_refused_before_reading() {
        let Err(ReadFailure::Unreadable(message)) = read(Path::new(".")) else { panic!("read a directory") };
        assert!(message.contains("directory"), "{message}");
    }
}
