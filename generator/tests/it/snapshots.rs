//! The client generated from `specs/`: `generated/` is fresh (no stale,
//! missing or extra file), and the output is deterministic.

use std::path::{Path, PathBuf};

use apigen::{CrateSettings, Options, Runtime};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn options() -> Options {
    let settings = CrateSettings {
        name: "cloudflare-api".into(),
        runtime: Runtime::Path("../generator/runtime".into()),
        standalone: false,
    };
    Options {
        deny_warnings: true,
        title: Some("Cloudflare API".into()),
        command: Some("cargo xtask regen".into()),
        ..Options::new(vec![root().join("specs")], settings)
    }
}

/// Like rust-analyzer's `ensure_file_contents`: `generated/` must be what
/// `specs/` produce, byte for byte, with no file generation would not write
/// (`Generator::check`, what `cargo xtask regen --check` runs). This is the
/// only guard of `generated/`: the committed directory is itself the
/// reviewable diff (`generated/API.txt` first), so its files are not also
/// kept as insta snapshots.
#[test]
fn generated_directory_is_fresh() {
    let stale = apigen::Generator::from_options(options())
        .check(root().join("generated"))
        .unwrap_or_else(|error| panic!("generation failed: {error}"));
    assert!(
        stale.is_empty(),
        "generated/ is stale (differing, missing or extra: {stale:?}): run `cargo xtask regen` \
         and commit the result"
    );
}

/// The freshness check above fails on a file generation would not write:
/// a copy of `generated/` with one planted extra file is reported, by name.
#[test]
fn an_extra_file_in_the_generated_directory_is_reported() {
    let generator = apigen::Generator::from_options(options());
    let generated = generator.generate().expect("generation succeeds");
    let dir = tempfile::tempdir().expect("temporary directory");
    generator
        .write_generated(&generated, dir.path())
        .expect("written");
    assert_eq!(
        apigen::Generator::stale(&generated, dir.path()).expect("compared"),
        Vec::<PathBuf>::new()
    );
    std::fs::write(dir.path().join("src/planted.rs"), "").expect("planted");
    assert_eq!(
        apigen::Generator::stale(&generated, dir.path()).expect("compared"),
        [PathBuf::from("src/planted.rs")]
    );
}

/// The output does not depend on the order the fragments are given in, or
/// on the run: shuffled inputs give identical bytes.
#[test]
fn output_is_deterministic_across_input_orders() {
    let specs = root().join("specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&specs)
        .expect("specs/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let first = {
        let mut options = options();
        options.inputs = files.clone();
        apigen::generate(&options)
            .expect("generation succeeds")
            .files
    };
    for rotation in 1..files.len() {
        files.rotate_left(1);
        let mut reversed = files.clone();
        reversed.reverse();
        for order in [files.clone(), reversed] {
            let mut options = options();
            options.inputs = order;
            let again = apigen::generate(&options)
                .expect("generation succeeds")
                .files;
            assert_eq!(
                first, again,
                "output changed with input order (rotation {rotation})"
            );
        }
    }
}

/// Reverses the key order of every mapping.
fn reversed(value: serde_yaml::Value) -> serde_yaml::Value {
    match value {
        serde_yaml::Value::Mapping(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.reverse();
            serde_yaml::Value::Mapping(entries.into_iter().map(|(k, v)| (k, reversed(v))).collect())
        }
        serde_yaml::Value::Sequence(items) => {
            serde_yaml::Value::Sequence(items.into_iter().map(reversed).collect())
        }
        other => other,
    }
}

/// The order of keys in the fragments (properties, paths, components) does
/// not change a byte of the output.
#[test]
fn output_is_deterministic_across_key_orders() {
    let specs = root().join("specs");
    let dir = tempfile::tempdir().expect("temporary directory");
    for entry in std::fs::read_dir(&specs).expect("specs/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).expect("readable");
            let value: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
            let flipped = serde_yaml::to_string(&reversed(value)).expect("serializes");
            assert_ne!(flipped, text, "the rewritten file must differ");
            std::fs::write(dir.path().join(path.file_name().expect("name")), flipped)
                .expect("writes");
        }
    }
    let normal = apigen::generate(&options())
        .expect("generation succeeds")
        .files;
    let mut flipped_options = options();
    flipped_options.inputs = vec![dir.path().to_path_buf()];
    let flipped = apigen::generate(&flipped_options)
        .expect("generation succeeds")
        .files;
    assert_eq!(normal, flipped);
}
