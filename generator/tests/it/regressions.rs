//! Inputs that once crashed the generator, or that stress its recursion, run
//! through the whole pipeline: each must end in output or diagnostics, never
//! a panic or a stack overflow (the test threads have small stacks).

use std::path::PathBuf;

use apigen::{CrateSettings, Options};
use serde_json::{json, Value};

fn run(document: &Value) -> Result<apigen::Generated, Vec<apigen::Diagnostic>> {
    let text = serde_json::to_string(document).expect("serializes");
    let settings = CrateSettings::new("stress");
    let options = Options::new(Vec::new(), settings);
    let file = apigen::load::parse(PathBuf::from("stress.json"), text).map_err(|d| vec![d])?;
    apigen::generate_from(vec![file], &options)
}

fn document(schemas: Value, response: Value, parameters: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "stress", "version": "1"},
        "paths": {"/x": {"get": {
            "operationId": "x",
            "parameters": parameters,
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}}
        }}},
        "components": {"schemas": schemas}
    })
}

#[test]
fn a_long_chain_of_components_through_properties() {
    let mut schemas = serde_json::Map::new();
    for i in 0..600 {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(
            format!("S{i}"),
            json!({"type": "object", "properties": {"next": next}}),
        );
    }
    schemas.insert("S600".into(), json!({"type": "string"}));
    let generated = run(&document(
        Value::Object(schemas),
        json!({"$ref": "#/components/schemas/S0"}),
        json!([]),
    ))
    .expect("generates");
    assert!(generated.stats.types >= 600);
}

#[test]
fn a_long_chain_of_components_through_all_of() {
    let mut schemas = serde_json::Map::new();
    for i in 0..400 {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(
            format!("S{i}"),
            json!({"allOf": [next, {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}}]}),
        );
    }
    schemas.insert(
        "S400".into(),
        json!({"type": "object", "properties": {"end": {"type": "integer"}}}),
    );
    let generated = run(&document(
        Value::Object(schemas),
        json!({"$ref": "#/components/schemas/S0"}),
        json!([]),
    ))
    .expect("generates");
    assert!(generated.files.values().any(|f| f.contains("pub p399")));
}

#[test]
fn an_operation_with_thousands_of_parameters() {
    let parameters: Vec<Value> = (0..3000)
        .map(|i| json!({"in": "query", "name": format!("p{i}"), "schema": {"type": "string"}}))
        .collect();
    let generated = run(&document(
        json!({}),
        json!({"type": "string"}),
        Value::Array(parameters),
    ))
    .expect("generates");
    assert!(generated.files.values().any(|f| f.contains("\"p2999\"")));
}

#[test]
fn deeply_nested_arrays_and_unions() {
    let mut schema = json!({"type": "string"});
    for i in 0..60 {
        schema = if i % 2 == 0 {
            json!({"type": "array", "items": schema})
        } else {
            json!({"oneOf": [schema, {"type": "integer"}]})
        };
    }
    run(&document(json!({}), schema, json!([]))).expect("generates");
}

#[test]
fn a_chain_too_deep_to_type_is_refused_not_a_crash() {
    let mut schemas = serde_json::Map::new();
    for i in 0..3000 {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        schemas.insert(format!("S{i}"), json!({"allOf": [next]}));
    }
    schemas.insert(
        "S3000".into(),
        json!({"type": "object", "properties": {"end": {"type": "integer"}}}),
    );
    let diagnostics = run(&document(
        Value::Object(schemas),
        json!({"$ref": "#/components/schemas/S0"}),
        json!([]),
    ))
    .expect_err("refused");
    assert!(
        diagnostics
            .iter()
            .any(|d| d.message.contains("nest more than")),
        "{diagnostics:?}"
    );
}
