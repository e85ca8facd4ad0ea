//! Forecast CSV files, read through a scenario that takes both its call types' volumes from
//! them (the optional `interval` column is checked against the grid). Each input is written
//! to `forecast.csv` in a directory of its own, beside the scenario that names it.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;

const SCENARIO: &str = r#"
start = "08:00"
interval = "30m"
days = 1

[service_level]
target = "20s"
goal = 0.8

[[call_types]]
name = "accounts"
volumes_file = "forecast.csv"
handle_time = { distribution = "exponential", mean = "3m" }

[[call_types]]
name = "cards"
volumes_file = "forecast.csv"
handle_time = { distribution = "exponential", mean = "4m" }

[[agent_groups]]
name = "agents"
skills = ["accounts", "cards"]
staffing = [5, 6]
"#;

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ccsim-fuzz-forecast-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fuzz_target!(|data: &[u8]| {
    let dir = dir();
    if std::fs::write(dir.join("forecast.csv"), data).is_ok() {
        let _ = ccsim::scenario::load_str(SCENARIO, &dir.join("scenario.toml"));
    }
});
