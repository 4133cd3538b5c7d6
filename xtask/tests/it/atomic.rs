//! Output is swapped in only when generation succeeded: a failed run leaves
//! the previous output exactly as it was.

use std::path::Path;
use std::process::Command;

const GOOD: &str = "openapi: 3.0.3
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
";

fn generate(spec: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--quiet", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("xtask runs")
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                files.push((name, std::fs::read(&path).expect("readable")));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_failed_generation_leaves_the_previous_output_untouched() {
    let work = tempfile::tempdir().expect("temporary directory");
    let spec = work.path().join("api.yaml");
    let out = work.path().join("client");
    std::fs::write(&spec, GOOD).expect("writes");
    assert!(generate(&spec, &out).status.success());
    std::fs::write(out.join("src/notes.txt"), "kept?").expect("writes");
    let before = snapshot(&out);

    std::fs::write(
        &spec,
        GOOD.replace("type: string", "$ref: '#/components/schemas/Missing'"),
    )
    .expect("writes");
    let failed = generate(&spec, &out);
    assert!(!failed.status.success());
    assert!(String::from_utf8_lossy(&failed.stderr).contains("nothing was written"));
    assert_eq!(snapshot(&out), before, "a failed run changed the output");
    let leftovers: Vec<_> = std::fs::read_dir(work.path())
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".apigen"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging directories left behind: {leftovers:?}"
    );

    // A successful run replaces the output whole: no stale files survive.
    std::fs::write(&spec, GOOD).expect("writes");
    assert!(generate(&spec, &out).status.success());
    assert!(!out.join("src/notes.txt").exists());
}
