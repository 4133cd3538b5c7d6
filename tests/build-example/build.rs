//! Generates the clients of `petstore.yaml` and `secured.yaml` into `OUT_DIR`
//! with the apigen library; `src/lib.rs` includes them as modules.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    for name in ["petstore", "secured"] {
        if let Err(code) = generate(name, &manifest_dir, &out_dir) {
            return code;
        }
    }
    ExitCode::SUCCESS
}

/// Generates `<name>.yaml` into `OUT_DIR/<name>.rs`.
fn generate(name: &str, manifest_dir: &Path, out_dir: &Path) -> Result<(), ExitCode> {
    println!("cargo:rerun-if-changed={name}.yaml");
    let generated = apigen::Generator::new()
        .spec(manifest_dir.join(format!("{name}.yaml")))
        .crate_name(name)
        .deny_warnings(true)
        .command("build.rs of build-example")
        .generate_module();
    let module = match generated {
        Ok(module) => module,
        Err(apigen::Error::Spec(diagnostics)) => {
            // Cargo shows a failed build script's output: the diagnostics
            // with their source lines, as rustc would.
            eprint!("{}", apigen::render(&diagnostics, manifest_dir));
            return Err(ExitCode::FAILURE);
        }
        Err(other) => {
            eprintln!("error: {other}");
            return Err(ExitCode::FAILURE);
        }
    };
    let path = out_dir.join(apigen::module_file_name(name));
    if let Err(error) = std::fs::write(&path, module.source) {
        eprintln!("error: writing {}: {error}", path.display());
        return Err(ExitCode::FAILURE);
    }
    Ok(())
}
