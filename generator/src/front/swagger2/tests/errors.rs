//! Documents the conversion refuses, with located errors; malformed ones it
//! survives (the 3.0 shape check reports them); the trace's fallbacks.

use super::{converted, refused, HEAD};
use crate::front::swagger2::convert;

#[test]
fn documents_that_cannot_be_converted_are_refused_with_located_errors() {
    let missing = refused(&format!(
        "{HEAD}paths: {{}}\ndefinitions: {{A: {{properties: {{b: {{$ref: '#/definitions/B'}}}}}}, C: {{}}}}\n"
    ));
    assert_eq!(missing.len(), 1);
    assert_eq!(
        missing[0].location.pointer,
        "/definitions/A/properties/b/$ref"
    );
    assert!(missing[0].message.contains("#/definitions/B"));
    assert!(missing[0]
        .help
        .as_deref()
        .is_some_and(|h| h.contains("`A`, `C`")));

    let no_schema = refused(&format!(
        "{HEAD}paths: {{/a: {{post: {{parameters: [{{in: body, name: b}}], responses: {{}}}}}}}}"
    ));
    assert_eq!(
        no_schema[0].location.pointer,
        "/paths/~1a/post/parameters/0"
    );
    assert!(no_schema[0].help.is_some());

    let two = refused(&format!(
        "{HEAD}paths: {{/a: {{post: {{parameters: [{{in: body, name: a, schema: {{}}}}, {{in: body, name: b, schema: {{}}}}], responses: {{}}}}}}}}"
    ));
    assert_eq!(two[0].location.pointer, "/paths/~1a/post/parameters/1");
    assert_eq!(
        two[0].related.as_ref().map(|r| r.pointer.as_str()),
        Some("/paths/~1a/post/parameters/0")
    );

    for (yaml, pointer) in [
        (
            "paths: {/a: {get: {parameters: [{$ref: '#/parameters/x'}], responses: {}}}}",
            "/paths/~1a/get/parameters/0/$ref",
        ),
        (
            "paths: {/a: {get: {responses: {'404': {$ref: '#/responses/x'}}}}}",
            "/paths/~1a/get/responses/404/$ref",
        ),
        (
            "paths: {}\nsecurityDefinitions: {s: {type: oauth2}}",
            "/securityDefinitions/s/flow",
        ),
    ] {
        let errors = refused(&format!("{HEAD}{yaml}"));
        assert_eq!(errors[0].location.pointer, pointer, "{yaml}");
        assert!(errors.iter().all(|e| e.help.is_some() && e.is_error()));
    }
}

#[test]
fn a_pointer_is_traced_to_the_longest_part_that_exists_in_the_original() {
    let c = converted(&format!(
        "{HEAD}paths: {{/a: {{get: {{parameters: [{{in: query, name: q, type: string}}], responses: {{}}}}}}}}"
    ));
    // Added by the conversion: located at what it was made from.
    assert_eq!(
        c.trace.original("/paths/~1a/get/parameters/0/schema/type"),
        "/paths/~1a/get/parameters/0/type"
    );
    assert_eq!(c.trace.original("/openapi"), "/swagger");
    assert_eq!(
        c.trace.original("/paths/~1a/get/nothing/here"),
        "/paths/~1a/get"
    );
    assert_eq!(c.trace.original(""), "");
}

#[test]
fn malformed_documents_are_converted_or_refused_without_a_panic() {
    for yaml in [
        "paths: [1, 2]",
        "paths: {/a: 1, /b: {get: 1, post: {parameters: 1, responses: 1}}}",
        "paths: {/a: {get: {parameters: [1, {in: body}, {$ref: 1}], responses: {'200': 1}}}}",
        "paths: {/a: {parameters: [{in: formData}], put: {responses: {'200': {schema: 1, headers: 1, examples: 1}}}}}",
        "paths: {}\ndefinitions: [1]\nparameters: {p: 1}\nresponses: {r: 1}\nsecurityDefinitions: {s: 1}",
        "paths: {}\ndefinitions: {A: {properties: 1, items: [1, {$ref: 2}], allOf: {}, discriminator: 3, x-nullable: 1}}",
        "host: 1\nbasePath: 2\nschemes: [3, ftp]\nconsumes: 4\nproduces: [5]\npaths: {}",
    ] {
        let value: serde_json::Value = serde_yaml::from_str(&format!("{HEAD}{yaml}")).expect("YAML");
        let converted = convert(value);
        if let Err(errors) = converted {
            assert!(
                errors.iter().all(|e| e.is_error() && e.help.is_some()),
                "{yaml}: {errors:?}"
            );
        }
    }
}
