//! Scenario text, read and validated, then summarised as `ccsim validate` does. Any panic,
//! hang or out-of-memory is a finding. Forecast files named by the input do not exist here,
//! so those inputs stop at their (reported) missing file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(loaded) = ccsim::scenario::load_str(text, std::path::Path::new("fuzz.toml")) {
        let _ = ccsim::scenario::overview(&loaded.scenario);
    }
});
