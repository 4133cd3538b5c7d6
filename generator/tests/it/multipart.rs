//! How `multipart/form-data` bodies are typed: a struct from an object
//! schema (files as `Bytes`, a part declared with a non-JSON `contentType`
//! as its content), the ordinary request type when nothing needs that, and
//! the raw `multipart::Form` when there is no object to type.

use std::path::PathBuf;

use apigen::load::SourceFile;
use apigen::manifest::FILE;
use apigen::{CrateSettings, Options};
use serde_json::{json, Value};

fn operation(id: &str, media_type: &str, media: Value) -> Value {
    json!({
        "operationId": id,
        "tags": ["Uploads"],
        "requestBody": {"required": true, "content": {media_type: media}},
        "responses": {"204": {"description": "done"}}
    })
}

/// The generated files of a spec with one operation per case.
fn generate() -> std::collections::BTreeMap<PathBuf, String> {
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "Uploads", "version": "1"},
        "paths": {
            "/raw": {
                "post": operation("noSchema", "multipart/form-data", json!({})),
                "put": operation("notAnObject", "multipart/form-data", json!({
                    "schema": {"type": "string", "format": "binary"}
                })),
                "patch": operation("mixed", "multipart/mixed", json!({
                    "schema": {"$ref": "#/components/schemas/Plain"}
                }))
            },
            "/plain": {
                "post": operation("plainMultipart", "multipart/form-data", json!({
                    "schema": {"$ref": "#/components/schemas/Plain"}
                })),
                "put": operation("plainJson", "application/json", json!({
                    "schema": {"$ref": "#/components/schemas/Plain"}
                }))
            },
            "/files": {
                "post": operation("withFile", "multipart/form-data", json!({
                    "schema": {"$ref": "#/components/schemas/Upload"}
                })),
                "put": operation("uploadJson", "application/json", json!({
                    "schema": {"$ref": "#/components/schemas/Upload"}
                }))
            },
            "/declared": {
                "post": operation("declared", "multipart/form-data", json!({
                    "schema": {
                        "type": "object",
                        "required": ["meta"],
                        "properties": {
                            "meta": {"type": "object", "properties": {"a": {"type": "string"}}},
                            "picture": {"type": "object"},
                            "logo": {"type": "string"},
                            "notes": {"type": "array", "items": {"type": "object"}},
                            "count": {"type": "integer", "format": "int32"},
                            "json": {"type": "object", "properties": {"b": {"type": "string"}}}
                        }
                    },
                    "encoding": {
                        "meta": {"contentType": "application/xml"},
                        "picture": {"contentType": "image/*, image/png"},
                        "logo": {"contentType": "image/webp"},
                        "notes": {"contentType": "text/markdown"},
                        "count": {"contentType": "text/plain"},
                        "json": {"contentType": "application/vnd.x+json", "style": "form"}
                    }
                }))
            }
        },
        "components": {"schemas": {
            "Plain": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}
            },
            "Upload": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "pages": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    "title": {"type": "string"}
                }
            }
        }}
    });
    let file = SourceFile {
        path: PathBuf::from("uploads.json"),
        text: serde_json::to_string_pretty(&spec).expect("serializes"),
        value: spec,
    };
    let options = Options {
        deny_warnings: true,
        ..Options::new(vec![], CrateSettings::new("uploads"))
    };
    let generated = apigen::generate_from(vec![file], &options).unwrap_or_else(|diagnostics| {
        let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("generation failed:\n{}", text.join("\n"))
    });
    generated.files.into_iter().collect()
}

/// The manifest lines that contain `needle`.
fn lines<'a>(manifest: &'a str, needle: &str) -> Vec<&'a str> {
    manifest
        .lines()
        .filter(|line| line.contains(needle))
        .map(|line| line.split(" | doc ").next().unwrap_or(line))
        .collect()
}

#[test]
fn multipart_bodies_are_typed_from_their_schema() {
    let files = generate();
    let manifest = &files[&PathBuf::from(FILE)];
    // No object to type: the caller builds the form (also for
    // `multipart/mixed`, which is not one part per property).
    for path in ["POST /raw", "PUT /raw", "PATCH /raw"] {
        let found = lines(manifest, &format!("| {path}"));
        assert_eq!(found.len(), 1, "{path}: {found:?}");
        assert!(found[0].contains("(form: multipart::Form)"), "{}", found[0]);
    }
    // No file: the ordinary request type, shared with the JSON body.
    assert_eq!(
        lines(manifest, "| POST /plain"),
        ["fn uploads::Plain::create(body: &Plain) -> () | POST /plain multipart/form-data"]
    );
    assert_eq!(
        lines(manifest, "| PUT /plain"),
        ["fn uploads::Plain::update(body: &Plain) -> () | PUT /plain"]
    );
    // Files: a struct of the body's own; the JSON body keeps strings.
    assert_eq!(
        lines(manifest, "WithFileBody"),
        [
            "fn uploads::Files::create(body: &WithFileBody) -> () | POST /files multipart/form-data",
            "struct uploads::WithFileBody | request",
            "field uploads::WithFileBody.file: Bytes | required",
            "field uploads::WithFileBody.pages: Option<Vec<Bytes>> | optional",
            "field uploads::WithFileBody.title: Option<String> | optional",
        ]
    );
    assert_eq!(
        lines(manifest, "field uploads::Upload."),
        [
            "field uploads::Upload.file: String | required",
            "field uploads::Upload.pages: Option<Vec<String>> | optional",
            "field uploads::Upload.title: Option<String> | optional",
        ]
    );
    // Declared content types: non-JSON structured values are their
    // encoded content (text or bytes), a string of an image is bytes;
    // primitives, JSON types and ranges keep their type.
    assert_eq!(
        lines(manifest, "field uploads::DeclaredBody."),
        [
            "field uploads::DeclaredBody.count: Option<i32> | optional",
            "field uploads::DeclaredBody.json: Option<DeclaredBodyJson> | optional",
            "field uploads::DeclaredBody.logo: Option<Bytes> | optional",
            "field uploads::DeclaredBody.meta: String | required",
            "field uploads::DeclaredBody.notes: Option<Vec<String>> | optional",
            "field uploads::DeclaredBody.picture: Option<Bytes> | optional",
        ]
    );
    // The declared content types reach the call, by wire name.
    let code = &files[&PathBuf::from("src/uploads.rs")];
    let code: String = code.split_whitespace().collect();
    assert!(
        code.contains(
            r#".multipart_form_body(body,&[("count","text/plain"),("json","application/vnd.x+json"),("logo","image/webp"),("meta","application/xml"),("notes","text/markdown"),("picture","image/*,image/png"),]"#
        ),
        "{code}"
    );
    assert!(code.contains(".multipart_form_body(body,&[])"), "{code}");
}
