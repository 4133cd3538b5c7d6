//! Feeds arbitrary documents through the whole pipeline: load (as YAML or
//! JSON), merge, convert, normalize, lower, emit and format. Any input may be
//! rejected with diagnostics; none may panic, hang or overflow the stack.

#![no_main]

use std::path::PathBuf;

use apigen::{CrateSettings, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let name = if text.trim_start().starts_with('{') { "fuzz.json" } else { "fuzz.yaml" };
    let settings = CrateSettings::new("fuzz");
    let options = Options {
        deny_warnings: data.first().is_some_and(|b| b & 1 == 1),
        ..Options::new(Vec::new(), settings)
    };
    let Ok(file) = apigen::load::parse(PathBuf::from(name), text.to_string()) else { return };
    if let Err(diagnostics) = apigen::generate_from(vec![file], &options) {
        // Rendering reads files from disk; here there are none, which must
        // also work.
        let _ = apigen::render(&diagnostics, std::path::Path::new("."));
    }
});
