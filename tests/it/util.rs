//! What every area's tests share: the binary under test and a scratch directory per test.

use std::path::PathBuf;

use assert_cmd::Command;

/// The `ccsim` binary built for these tests.
pub fn ccsim() -> Command {
    Command::cargo_bin("ccsim").expect("the ccsim binary is built")
}

/// A path of one test's own, `<target tmp>/<area>-<name>`, with whatever an earlier run left
/// there removed; the test creates it (or checks that ccsim does).
pub fn fresh_path(area: &str, name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{area}-{name}"));
    let _ = std::fs::remove_dir_all(&path);
    let _ = std::fs::remove_file(&path);
    path
}

/// An empty directory of one test's own, `<target tmp>/<area>-<name>`.
pub fn empty_dir(area: &str, name: &str) -> PathBuf {
    let dir = fresh_path(area, name);
    std::fs::create_dir_all(&dir).expect("the scratch directory can be created");
    dir
}
