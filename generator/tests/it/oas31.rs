//! OpenAPI 3.1 constructs, one small document each in `tests/schemas/oas31/`
//! (the typify `tests/schemas` habit): the generated modules and the warnings
//! are snapshotted, so a change in how 3.1 is lowered is a reviewable diff.

use std::path::PathBuf;

use crate::common::{self, generate, rendered};

fn fixture(name: &str) -> PathBuf {
    common::root()
        .join("generator/tests/schemas/oas31")
        .join(name)
}

fn code(name: &str) -> String {
    rendered(&generate(fixture(name)))
}

#[test]
fn every_fixture_matches_its_snapshot() {
    let dir = common::root().join("generator/tests/schemas/oas31");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/schemas/oas31 exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "{} fixtures", cases.len());
    for case in cases {
        let name = case
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(name, rendered(&generate(case)));
    }
}

#[test]
fn null_in_a_type_list_or_enum_makes_the_field_optional() {
    let code = code("type-arrays.yaml");
    assert!(code.contains("pub label: Option<String>"), "{code}");
    let code = self::code("null-in-enum.yaml");
    assert!(code.contains("pub color: Option<"), "{code}");
    assert!(code.contains("legacy"), "{code}");
}

#[test]
fn const_tags_dispatch_a_one_of() {
    let code = code("const.yaml");
    assert!(code.contains(".get(\"kind\")"), "{code}");
    assert!(code.contains("Some(\"cat\") =>"), "{code}");
    assert!(code.contains("Some(\"dog\") =>"), "{code}");
}

#[test]
fn conditional_keywords_fall_back_with_a_warning_each() {
    let generated = generate(fixture("conditional-fallback.yaml"));
    let pointers: Vec<&str> = generated
        .warnings
        .iter()
        .map(|w| w.location.pointer.as_str())
        .collect();
    for keyword in ["if", "dependentSchemas", "unevaluatedProperties"] {
        assert!(
            pointers.iter().any(|p| p.ends_with(keyword)),
            "no warning at `{keyword}`: {pointers:?}"
        );
    }
    assert_eq!(pointers.len(), 3, "{pointers:?}");
}
