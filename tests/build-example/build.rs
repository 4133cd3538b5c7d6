//! Generates the Petstore client from `petstore.yaml` into `OUT_DIR` with the
//! apigen library; `src/lib.rs` includes it as the module `petstore`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=petstore.yaml");
    let generated = apigen::Generator::new()
        .spec(manifest_dir.join("petstore.yaml"))
        .crate_name("petstore")
        .deny_warnings(true)
        .command("build.rs of build-example")
        .generate_module();
    let module = match generated {
        Ok(module) => module,
        Err(apigen::Error::Spec(diagnostics)) => {
            // Cargo shows a failed build script's output: the diagnostics
            // with their source lines, as rustc would.
            eprint!("{}", apigen::render(&diagnostics, &manifest_dir));
            return ExitCode::FAILURE;
        }
        Err(other) => {
            eprintln!("error: {other}");
            return ExitCode::FAILURE;
        }
    };
    let path = out_dir.join(apigen::module_file_name("petstore"));
    if let Err(error) = std::fs::write(&path, module.source) {
        eprintln!("error: writing {}: {error}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
