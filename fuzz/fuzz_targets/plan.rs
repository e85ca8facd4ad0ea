//! Plan files (TOML, or CSV when the input starts with `group,`) read against the shipped
//! retail bank, as `--plan FILE` does. Plans are read from a file, so each input is written to
//! one in the temporary directory first.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = include_str!("../../scenarios/retail-bank.toml");

fn scenario() -> &'static ccsim::model::Scenario {
    static SCENARIO_MODEL: OnceLock<ccsim::model::Scenario> = OnceLock::new();
    SCENARIO_MODEL.get_or_init(|| {
        ccsim::scenario::load_str(SCENARIO, Path::new("scenarios/retail-bank.toml"))
            .expect("the shipped scenario is valid")
            .scenario
    })
}

fn file(ext: &str) -> PathBuf {
    std::env::temp_dir().join(format!("ccsim-fuzz-plan-{}.{ext}", std::process::id()))
}

fuzz_target!(|data: &[u8]| {
    let path = file(if data.starts_with(b"group,") { "csv" } else { "toml" });
    if std::fs::write(&path, data).is_ok() {
        let _ = ccsim::scenario::load_plan(&path, scenario());
    }
});
