use super::*;
use crate::model::Model;

/// A small description: an area whose operations only read (with an
/// `enum` path parameter, a 4xx example and two operations sharing one
/// placeholder schema), and an area that writes.
pub(crate) const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Fixture, version: "1"}
paths:
  /zones/{zone_id}/settings/{setting_id}:
    get:
      operationId: setting-get
      tags: [Settings]
      parameters:
        - {name: zone_id, in: path, required: true, schema: {type: string, example: zone-1}}
        - {name: setting_id, in: path, required: true, schema: {type: string, enum: [ciphers, min_tls_version]}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/setting_response"}
        "400":
          description: bad
          content:
            application/json:
              example: {success: false, errors: [{code: 1000, message: bad, hint: undeclared}], messages: []}
              schema: {$ref: "#/components/schemas/failure"}
  /zones/{zone_id}/settings:
    get:
      operationId: settings-list
      tags: [Settings]
      parameters:
        - {name: zone_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/setting_response"}
  /things:
    post:
      operationId: thing-create
      tags: [Things]
      requestBody:
        required: true
        content:
          application/json:
            example: {name: first}
            schema: {$ref: "#/components/schemas/thing"}
      responses:
        "201":
          description: created
          content:
            application/json:
              example: {name: first, colour: blue}
              schema: {$ref: "#/components/schemas/thing"}
components:
  schemas:
    failure:
      type: object
      properties:
        success: {type: boolean}
        errors: {type: array, items: {type: object, properties: {code: {type: integer}, message: {type: string}}}}
        messages: {type: array, items: {type: object}}
    setting_response:
      type: object
      required: [success, errors, messages, result]
      properties:
        success: {type: boolean}
        errors: {type: array, items: {type: object}}
        messages: {type: array, items: {type: object}}
        result: {$ref: "#/components/schemas/setting"}
    setting:
      type: object
      example: {id: ciphers, value: strict, extra_note: x}
      properties:
        id: {type: string}
        value: {type: string, enum: [lax, medium]}
    thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
"##;

/// The spec and model of a YAML description.
pub(crate) fn fixture(yaml: &str) -> (Spec, Model) {
    let file = crate::load::parse("fixture.yaml".into(), yaml.to_string()).expect("parses");
    let merged = crate::merge::merge(vec![file]).expect("merges");
    let (spec, diagnostics) =
        crate::front::check_and_read(&merged.document, &merged.origins).expect("OpenAPI");
    assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
    let (model, _) = crate::lower::lower(&spec, &merged.origins);
    (spec, model)
}

fn find<'c>(cases: &'c [Case], operation: &str, status: &str) -> &'c Case {
    cases
        .iter()
        .find(|c| c.operation_id == operation && c.status == status)
        .unwrap_or_else(|| panic!("no case {operation} {status}: {cases:#?}"))
}

#[test]
fn collects_every_2xx_and_4xx_example_with_its_status() {
    let (spec, _) = fixture(SPEC);
    let (cases, skipped) = collect_all(&spec);
    let mut keys: Vec<(&str, &str, Class)> = cases
        .iter()
        .map(|c| (c.operation_id.as_str(), c.status.as_str(), c.class))
        .collect();
    keys.sort_by_key(|k| (k.0, k.1));
    assert_eq!(
        keys,
        [
            ("setting-get", "200", Class::Success),
            ("setting-get", "400", Class::Error),
            ("settings-list", "200", Class::Success),
            ("thing-create", "201", Class::Success),
        ]
    );
    assert!(skipped.is_empty(), "{skipped:?}");
}

#[test]
fn responses_that_cannot_be_exercised_are_reported_with_why() {
    let (spec, model) = fixture(
        r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /text:
    get:
      operationId: text-get
      tags: [T]
      responses:
        '200':
          description: OK
          content:
            text/plain:
              schema: {type: string}
        '404':
          description: No example to give
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
"#,
    );
    let (cases, skipped) = collect_all(&spec);
    assert!(cases.is_empty(), "{cases:?}");
    let reasons: Vec<(&str, &str, &str)> = skipped
        .iter()
        .map(|s| {
            (
                s.operation_id.as_str(),
                s.status.as_str(),
                s.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("text-get", "200", "not JSON"),
            ("text-get", "404", "no example, and none can be assembled"),
        ]
    );
    let text = harness(&model, &cases, &skipped).to_string();
    assert!(
        text.contains(r#"report . skip ("text-get" , "200" , "not JSON")"#),
        "{text}"
    );
}

#[test]
fn a_shared_placeholder_gives_one_case_per_operation() {
    let (spec, _) = fixture(SPEC);
    let cases = collect(&spec);
    let get = find(&cases, "setting-get", "200");
    let list = find(&cases, "settings-list", "200");
    // Same example, same pointer, two operations: an excuse keyed by
    // operation covers only its own.
    assert_eq!(get.pointer, list.pointer);
    assert_eq!(get.value, list.value);
    assert!(get.whole && list.whole);
}

#[test]
fn undeclared_properties_and_enum_values_are_located() {
    let (spec, _) = fixture(SPEC);
    let cases = collect(&spec);
    assert_eq!(
        find(&cases, "setting-get", "200").undeclared,
        ["/extra_note", "/value"]
    );
    assert_eq!(
        find(&cases, "setting-get", "400").undeclared,
        ["/errors/0/hint"]
    );
    assert_eq!(find(&cases, "thing-create", "201").undeclared, ["/colour"]);
}

#[test]
fn the_harness_checks_errors_strictly_and_passes_the_undeclared_paths() {
    let (spec, model) = fixture(SPEC);
    let (cases, skipped) = collect_all(&spec);
    let text = harness(&model, &cases, &skipped).to_string();
    assert!(text.contains("check_error"), "4xx examples are checked");
    assert!(text.contains("\"/errors/0/hint\""));
    // The verdict is the runtime's: the module only lists the cases.
    assert!(text.contains("Examples :: default ()"), "{text}");
    assert!(text.contains("APIGEN_KNOWN_EXAMPLE_ERRORS"));
    assert!(!text.contains("fn strict"));
}
