//! `cargo xtask diff OLD NEW` compares two generated crates (or their
//! `API.txt`) and prints the API changes with the semver verdict.

use std::path::Path;
use std::process::Command;

fn spec(extra_operation: bool) -> String {
    let mut text = String::from(
        "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: list-things
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
",
    );
    if extra_operation {
        text.push_str(
            "    delete:
      operationId: delete-things
      responses:
        '204': {description: gone}
",
        );
    }
    text
}

fn xtask(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn generate(dir: &Path, name: &str, extra_operation: bool) -> std::path::PathBuf {
    let spec_path = dir.join(format!("{name}.yaml"));
    std::fs::write(&spec_path, spec(extra_operation)).expect("writes");
    let out = dir.join(name);
    let output = xtask(&[
        "generate".as_ref(),
        "--quiet".as_ref(),
        "--spec".as_ref(),
        spec_path.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(output.status.success(), "{output:?}");
    out
}

#[test]
fn diff_compares_crate_directories_and_manifest_files() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let small = generate(dir.path(), "small", false);
    let large = generate(dir.path(), "large", true);

    let removed = xtask(&["diff".as_ref(), large.as_os_str(), small.as_os_str()]);
    assert!(removed.status.success(), "{removed:?}");
    let text = String::from_utf8_lossy(&removed.stdout);
    assert!(
        text.starts_with("API: 0 added, 1 removed, 0 changed; verdict: major\n"),
        "{text}"
    );
    assert!(text.contains("removed operation: "), "{text}");

    // Manifest files work as well as directories.
    let added = xtask(&[
        "diff".as_ref(),
        small.join("API.txt").as_os_str(),
        large.join("API.txt").as_os_str(),
    ]);
    let text = String::from_utf8_lossy(&added.stdout);
    assert!(
        text.starts_with("API: 1 added, 0 removed, 0 changed; verdict: minor\n"),
        "{text}"
    );

    let missing = xtask(&["diff".as_ref(), dir.path().as_os_str(), large.as_os_str()]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("API.txt"));
}
