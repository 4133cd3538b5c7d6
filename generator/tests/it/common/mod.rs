//! Helpers shared by the tests that generate from files (`oas31.rs`,
//! `refs.rs`, `stripe.rs`).

use std::path::{Path, PathBuf};

use apigen::{CrateSettings, Generated, Options};

/// The repository root, canonical so that rendered paths are relative to it.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("repository root")
}

/// Generates a crate from `input`; panics with the rendered diagnostics.
pub fn generate(input: PathBuf) -> Generated {
    let settings = CrateSettings {
        standalone: true,
        ..CrateSettings::new("fixture")
    };
    generate_with(&Options::new(vec![input], settings))
}

/// Generates a crate as `options` say; panics with the rendered diagnostics.
pub fn generate_with(options: &Options) -> Generated {
    apigen::generate(options).unwrap_or_else(|diagnostics| {
        panic!(
            "{:?} is refused:\n{}",
            options.inputs,
            apigen::render(&diagnostics, &root())
        )
    })
}

/// The warnings and every module but `lib.rs` (the client boilerplate).
pub fn rendered(generated: &Generated) -> String {
    let mut out = apigen::render(&generated.warnings, &root());
    for (path, contents) in &generated.files {
        let name = path.to_string_lossy();
        if name.ends_with(".rs") && !name.ends_with("lib.rs") {
            out.push_str(&format!("// ===== {name} =====\n{contents}"));
        }
    }
    out
}
