//! README.md shows `tests/examples/gateway_configuration.rs` verbatim; the
//! example is compiled by `cargo test`, so the README cannot rot.

#[test]
fn readme_shows_the_compiled_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let example = std::fs::read_to_string(root.join("tests/examples/gateway_configuration.rs"))
        .expect("example");
    assert!(
        readme.contains(example.trim_end()),
        "README.md no longer shows tests/examples/gateway_configuration.rs verbatim"
    );
    for command in ["cargo xtask regen", "cargo test --workspace"] {
        assert!(readme.contains(command), "README.md lacks `{command}`");
    }
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains("\ncargo test --workspace\n"),
        ".ci/run must run the test command README.md gives"
    );
}
