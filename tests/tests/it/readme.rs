//! README.md shows `tests/examples/gateway_configuration.rs` and
//! `tests/examples/blocking.rs` verbatim; the examples are compiled by
//! `cargo test`, so the README cannot rot.

#[test]
fn readme_shows_the_compiled_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    for name in ["gateway_configuration", "blocking"] {
        let example = std::fs::read_to_string(root.join(format!("tests/examples/{name}.rs")))
            .expect("example");
        assert!(
            readme.contains(example.trim_end()),
            "README.md no longer shows tests/examples/{name}.rs verbatim"
        );
    }
    for command in ["cargo xtask regen", "cargo test --workspace"] {
        assert!(readme.contains(command), "README.md lacks `{command}`");
    }
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    assert!(
        ci.contains("\ncargo test --workspace\n"),
        ".ci/run must run the test command README.md gives"
    );
}
