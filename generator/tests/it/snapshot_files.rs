//! Every file in `snapshots/` is one a test asserts: an orphan (left by a
//! renamed test or a removed case) fails here instead of lying there
//! unreviewed. The equivalent of `cargo insta test --unreferenced=reject`,
//! as a plain test: it runs this test binary again on the modules the
//! snapshot files name, with insta recording each snapshot file it asserts
//! (`INSTA_SNAPSHOT_REFERENCES_FILE`, what `cargo insta` itself uses), and
//! compares that record with the directory.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots")
}

/// The `.snap` files of `dir`, by name, sorted.
fn snapshot_files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("the snapshot directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".snap"))
        .collect()
}

/// The test module a snapshot file belongs to (`it__<module>__<name>.snap`).
fn module_of(file: &str) -> Option<&str> {
    file.strip_prefix("it__")?.split("__").next()
}

/// The files no test asserted.
fn orphans(files: &BTreeSet<String>, referenced: &BTreeSet<String>) -> Vec<String> {
    files.difference(referenced).cloned().collect()
}

/// Runs the tests of `modules` in a child process of this binary and gives
/// the names of the snapshot files they asserted. Mismatches pass there
/// (`INSTA_FORCE_PASS`; this process reports them), and nothing is written.
fn referenced_by(modules: &BTreeSet<&str>) -> BTreeSet<String> {
    let work = tempfile::tempdir().expect("temporary directory");
    let record = work.path().join("references");
    let exe = std::env::current_exe().expect("this test binary");
    let output = Command::new(exe)
        .args(modules.iter().map(|m| format!("{m}::")))
        .args(["--skip", "snapshot_files::"])
        .env("INSTA_SNAPSHOT_REFERENCES_FILE", &record)
        .env("INSTA_FORCE_PASS", "1")
        .env("INSTA_UPDATE", "no")
        .output()
        .expect("the test binary runs");
    assert!(
        output.status.success(),
        "the snapshot tests failed when run again:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(&record)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| Path::new(line).file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_snapshot_file_is_asserted_by_a_test() {
    let files = snapshot_files(&snapshot_dir());
    assert!(
        files.len() > 50,
        "the snapshots were found: {}",
        files.len()
    );
    let modules: BTreeSet<&str> = files.iter().filter_map(|f| module_of(f)).collect();
    let referenced = referenced_by(&modules);
    let orphans = orphans(&files, &referenced);
    assert!(
        orphans.is_empty(),
        "snapshot files no test asserts (delete them, or restore the test): {orphans:?}"
    );
}

#[test]
fn an_orphan_is_reported_and_an_asserted_file_is_not() {
    let work = tempfile::tempdir().expect("temporary directory");
    for name in ["it__a__kept.snap", "it__gone__orphan.snap", "notes.txt"] {
        std::fs::write(work.path().join(name), "").expect("written");
    }
    let files = snapshot_files(work.path());
    assert_eq!(
        files
            .iter()
            .filter_map(|f| module_of(f))
            .collect::<Vec<_>>(),
        ["a", "gone"]
    );
    let referenced = BTreeSet::from(["it__a__kept.snap".to_string()]);
    assert_eq!(orphans(&files, &referenced), ["it__gone__orphan.snap"]);
}
