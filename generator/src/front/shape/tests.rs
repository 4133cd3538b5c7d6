//! `front::shape::check` (the pipeline's 3.0 shape check, which checks
//! paths and components an entry at a time and components on a second
//! thread) gives exactly what `shape::to_openapi` gives on the whole
//! document: success, or the same pointer and message for the first error.

use std::path::{Path, PathBuf};

use crate::front::shape;
use crate::load;
use serde_json::{json, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf()
}

fn assert_same(name: &str, document: Value) {
    let whole = shape::to_openapi(&document).map(drop);
    let parts = shape::check(&document);
    assert_eq!(parts, whole, "{name}");
}

/// A valid document with every kind of component, extensions at each level
/// that `openapiv3` reads them, and keys it skips.
fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "x-top": 1,
        "paths": {
            "/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "get-a",
                    "responses": {"200": {"$ref": "#/components/responses/Ok"}},
                    "x-op": [1, 2.5, -3]
                },
                "x-item": {"k": null}
            },
            "/b": {"$ref": "#/paths/~1a~1{id}"},
            "x-paths": true,
            "not-a-path": {"ignored": 1}
        },
        "components": {
            "schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}, "x-s": 1},
                "B": {"type": "integer", "format": "int64", "maximum": 18446744073709551615u64},
                "x-not-an-extension": {"type": "string"}
            },
            "responses": {"Ok": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}},
            "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "boolean"}}},
            "examples": {"E": {"value": {"a": 1}}},
            "requestBodies": {"R": {"content": {"text/plain": {}}}},
            "headers": {"H": {"schema": {"type": "string"}}},
            "securitySchemes": {"S": {"type": "http", "scheme": "bearer"}},
            "links": {"L": {"operationId": "get-a"}},
            "callbacks": {"C": {"{$url}": {"post": {"responses": {"200": {"description": "ok"}}}}}},
            "x-components": "yes",
            "unknownKind": {"ignored": 1}
        }
    })
}

#[test]
fn a_valid_document_is_valid_in_parts_too() {
    let document = document();
    let typed = shape::to_openapi(&document).expect("valid");
    assert_eq!(typed.paths.paths.len(), 2);
    assert_eq!(typed.components.as_ref().map(|c| c.schemas.len()), Some(3));
    assert_same("full", document);
    let mut without = self::document();
    without.as_object_mut().expect("map").remove("components");
    assert_same("no components", without);
}

#[test]
fn errors_in_paths_components_or_both_are_reported_as_before() {
    let cases: Vec<(&str, &str, Value)> = vec![
        (
            "bad path item",
            "/paths/~1a~1{id}/get/responses",
            json!(["list"]),
        ),
        ("bad schema", "/components/schemas/B/type", json!(7)),
        (
            "bad security scheme",
            "/components/securitySchemes/S/type",
            json!("nope"),
        ),
        ("schemas not a map", "/components/schemas", json!(null)),
        ("schemas a list", "/components/schemas", json!([1])),
        ("components a list", "/components", json!([])),
        ("paths a string", "/paths", json!("x")),
        ("bad info", "/info", json!(3)),
    ];
    for (name, pointer, value) in cases {
        let mut document = document();
        *document.pointer_mut(pointer).expect(name) = value;
        assert!(shape::to_openapi(&document).is_err(), "{name} is an error");
        assert_same(name, document);
    }
    // Errors on both threads at once: the first in document order wins.
    let mut document = document();
    *document
        .pointer_mut("/paths/~1a~1{id}/get/responses")
        .expect("path") = json!(1);
    *document
        .pointer_mut("/components/schemas/A/type")
        .expect("schema") = json!(false);
    let (pointer, _) = shape::to_openapi(&document).expect_err("invalid");
    assert!(pointer.starts_with("/components"), "{pointer}");
    assert_same("both", document);
}

#[test]
fn every_bad_spec_and_the_example_specs_agree() {
    let mut checked = 0;
    for dir in ["tests/bad-specs", "specs"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("dir")
            .map(|entry| entry.expect("entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let Ok(file) = load::read(&path) else {
                continue;
            };
            if load::version(&file.value) == load::Version::V30 {
                assert_same(&path.display().to_string(), file.value);
                checked += 1;
            }
        }
    }
    let merged = crate::merged_document(&[root().join("specs")]).expect("specs merge");
    assert_same("specs merged", merged);
    assert!(checked > 20, "only {checked} documents checked");
}
