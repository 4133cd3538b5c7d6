//! References anywhere: JSON pointers into any part of the document, and
//! files reached by relative references (with or without a fragment), in
//! `tests/schemas/refs/`. The generated modules are snapshotted.

use std::path::PathBuf;

use apigen::{CrateSettings, Options};

use crate::common;

fn fixture(name: &str) -> PathBuf {
    common::root()
        .join("generator/tests/schemas/refs")
        .join(name)
}

#[test]
fn pointers_into_the_document_become_shared_named_types() {
    let generated = common::generate(fixture("interior-pointers.yaml"));
    let code = common::rendered(&generated);
    insta::assert_snapshot!("interior-pointers", code);
    // `#/components/schemas/Tag/allOf/0` is named after where it is.
    assert!(code.contains("pub struct TagAllOf0"), "{code}");
    // The request body both operations use is one type.
    assert_eq!(code.matches("pub name: ").count(), 1, "{code}");
}

#[test]
fn a_tree_of_files_is_loaded_from_its_root() {
    let generated = common::generate(fixture("tree/openapi.yaml"));
    let code = common::rendered(&generated);
    insta::assert_snapshot!("tree", code);
    for name in ["pub struct Pet ", "pub enum Kind ", "pub struct Owner "] {
        assert!(code.contains(name), "no `{name}` in:\n{code}");
    }
    // `components/schemas/Pet` is only a reference to `Pet.json`: one type.
    assert!(!code.contains("Pet2"), "{code}");
}

#[test]
fn only_the_files_reached_are_read() {
    // `tree/notes/broken.yaml` is not valid YAML and nothing refers to it:
    // from the root it is never read; a directory reads every file.
    let settings = CrateSettings {
        standalone: true,
        ..CrateSettings::new("fixture")
    };
    let diagnostics = apigen::generate(&Options::new(vec![fixture("tree")], settings))
        .expect_err("the directory holds a broken file");
    assert!(
        diagnostics.iter().any(|d| d
            .location
            .file
            .as_ref()
            .is_some_and(|f| f.ends_with("notes/broken.yaml"))),
        "{diagnostics:?}"
    );
}

#[test]
fn a_diagnostic_in_a_referenced_file_names_that_file_and_its_pointer() {
    let dir = fixture("");
    let case = common::root().join("tests/bad-specs/66-error-inside-referenced-file/openapi.yaml");
    let settings = CrateSettings {
        standalone: true,
        ..CrateSettings::new("fixture")
    };
    let diagnostics =
        apigen::generate(&Options::new(vec![case], settings)).expect_err("a dangling pointer");
    let location = &diagnostics[0].location;
    assert!(
        location
            .file
            .as_ref()
            .is_some_and(|f| f.ends_with("schemas/Thing.yaml")),
        "{location:?} ({})",
        dir.display()
    );
    assert_eq!(location.pointer, "/properties/owner/$ref");
    assert_eq!(location.line, Some(7));
}
