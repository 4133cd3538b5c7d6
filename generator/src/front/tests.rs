//! The reader's unit tests: what each version reads from a schema.

use serde_json::json;

use crate::spec::{Bound, Constraints, Spec};

/// The spec of a YAML document; panics on an error.
fn read(yaml: &str) -> Spec {
    let file = crate::load::parse("fixture.yaml".into(), yaml.to_string()).expect("parses");
    let merged = crate::merge::merge(vec![file]).expect("merges");
    let (spec, diagnostics) =
        super::check_and_read(&merged.document, &merged.origins).expect("reads");
    assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
    spec
}

const SPEC_30: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Name: {type: string, minLength: 1, maxLength: 32, pattern: '^[a-z]+$', format: hostname}
    Port: {type: integer, minimum: 1, maximum: 65535, exclusiveMaximum: true, multipleOf: 1}
    Ratio: {type: number, minimum: 0.5, exclusiveMinimum: true, maximum: 1e3, multipleOf: 0.25}
    Tags: {type: array, items: {type: string}, minItems: 1, maxItems: 10, uniqueItems: true}
    Mixed: {maxLength: 3, enum: [a, b]}
    Plain: {type: string}
"#;

#[test]
fn constraints_30_are_kept() {
    let spec = read(SPEC_30);
    let c = |name: &str| spec.schemas[name].constraints.clone();
    assert_eq!(
        c("Name"),
        Constraints {
            min_length: Some(1),
            max_length: Some(32),
            pattern: Some("^[a-z]+$".into()),
            ..Constraints::default()
        }
    );
    assert_eq!(
        c("Port"),
        Constraints {
            minimum: Some(Bound {
                value: 1.into(),
                exclusive: false
            }),
            maximum: Some(Bound {
                value: 65535.into(),
                exclusive: true
            }),
            multiple_of: Some(1.into()),
            ..Constraints::default()
        }
    );
    let ratio = c("Ratio");
    assert_eq!(ratio.minimum, Bound::float(0.5, true));
    // A whole float bound is written as an integer.
    assert_eq!(
        ratio.maximum,
        Some(Bound {
            value: 1000.into(),
            exclusive: false
        })
    );
    assert_eq!(ratio.multiple_of.and_then(|m| m.as_f64()), Some(0.25));
    assert_eq!(
        c("Tags"),
        Constraints {
            min_items: Some(1),
            max_items: Some(10),
            unique_items: true,
            ..Constraints::default()
        }
    );
    // A schema `openapiv3` reads as "any" keeps them too.
    assert_eq!(c("Mixed").max_length, Some(3));
    assert_eq!(c("Plain"), Constraints::default());
}

const SPEC_31: &str = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Name: {type: string, minLength: 1, maxLength: 32, pattern: '^[a-z]+$', examples: [abc, xyz]}
    Port: {type: integer, minimum: 1, exclusiveMaximum: 65536, multipleOf: 1}
    Both: {type: number, minimum: 0, exclusiveMinimum: 0, maximum: 10, exclusiveMaximum: 20}
    Tags: {type: [array, "null"], items: {type: string}, minItems: 1, maxItems: 10, uniqueItems: true}
    Plain: {type: string, examples: []}
"#;

#[test]
fn constraints_and_examples_31_are_kept() {
    let spec = read(SPEC_31);
    let c = |name: &str| spec.schemas[name].constraints.clone();
    assert_eq!(
        c("Name"),
        Constraints {
            min_length: Some(1),
            max_length: Some(32),
            pattern: Some("^[a-z]+$".into()),
            ..Constraints::default()
        }
    );
    assert_eq!(spec.schemas["Name"].examples, [json!("abc"), json!("xyz")]);
    assert_eq!(spec.schemas["Name"].example, Some(json!("abc")));
    assert_eq!(
        c("Port"),
        Constraints {
            minimum: Some(Bound {
                value: 1.into(),
                exclusive: false
            }),
            maximum: Some(Bound {
                value: 65536.into(),
                exclusive: true
            }),
            multiple_of: Some(1.into()),
            ..Constraints::default()
        }
    );
    // Of `minimum: 0` and `exclusiveMinimum: 0` the exclusive one is
    // tighter; of `maximum: 10` and `exclusiveMaximum: 20`, the
    // inclusive one.
    assert_eq!(
        c("Both").minimum,
        Some(Bound {
            value: 0.into(),
            exclusive: true
        })
    );
    assert_eq!(
        c("Both").maximum,
        Some(Bound {
            value: 10.into(),
            exclusive: false
        })
    );
    assert_eq!(
        c("Tags"),
        Constraints {
            min_items: Some(1),
            max_items: Some(10),
            unique_items: true,
            ..Constraints::default()
        }
    );
    assert_eq!(c("Plain"), Constraints::default());
    assert!(spec.schemas["Plain"].examples.is_empty());
}

/// The same schemas as a 3.0 and as a 3.1 document.
fn both(schemas: &str) -> (Spec, Spec) {
    let document = |version: &str| {
        format!(
            "openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        )
    };
    (read(&document("3.0.3")), read(&document("3.1.0")))
}

#[test]
fn a_schema_that_is_only_an_all_of_stays_one_in_3_0() {
    use crate::spec::SchemaKind;
    let (v30, v31) =
        both("    A: {type: string}\n    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n");
    assert!(
        matches!(&v30.schemas["B"].kind, SchemaKind::AllOf(branches) if branches.len() == 1),
        "{:?}",
        v30.schemas["B"].kind
    );
    assert_eq!(v31.schemas["B"].kind, SchemaKind::Ref("A".into()));
}

#[test]
fn an_empty_one_of_counts_only_alone_in_3_0() {
    use crate::spec::SchemaKind;
    let (v30, _) = both("    Alone: {oneOf: []}\n    Beside: {type: string, oneOf: []}\n");
    assert!(matches!(
        &v30.schemas["Alone"].kind,
        SchemaKind::OneOf { variants, .. } if variants.is_empty()
    ));
    assert!(matches!(
        v30.schemas["Beside"].kind,
        SchemaKind::String { .. }
    ));
}

#[test]
fn whole_bounds_of_a_3_0_integer_are_exact_and_others_are_floats() {
    let (v30, _) = both(
        "    Exact: {type: integer, maximum: 9007199254740993}\n    Float: {type: integer, maximum: 9007199254740993, pattern: x}\n",
    );
    let maximum = |name: &str| v30.schemas[name].constraints.maximum.clone();
    assert_eq!(
        maximum("Exact").map(|b| b.value),
        Some(9007199254740993u64.into())
    );
    assert_eq!(
        maximum("Float").map(|b| b.value),
        serde_json::Number::from_f64(9007199254740992.0)
    );
}

#[test]
fn null_is_missing_in_3_0_and_a_value_in_3_1() {
    let (v30, v31) = both("    A: {type: string, example: null, default: null}\n");
    assert_eq!(v30.schemas["A"].example, None);
    assert_eq!(v30.schemas["A"].default, None);
    assert_eq!(v31.schemas["A"].example, Some(json!(null)));
    assert_eq!(v31.schemas["A"].default, Some(json!(null)));
}

#[test]
fn reference_siblings_are_ignored_in_3_0_and_kept_in_3_1() {
    let (v30, v31) = both(
        "    A: {type: string}\n    B: {$ref: '#/components/schemas/A', description: d, nullable: true}\n",
    );
    assert_eq!(v30.schemas["B"].description, None);
    assert!(!v30.schemas["B"].nullable);
    assert_eq!(v31.schemas["B"].description.as_deref(), Some("d"));
    assert!(v31.schemas["B"].nullable);
}

#[test]
fn parameters_have_their_location_s_style_in_3_0_only() {
    use crate::spec::Style;
    let document = |version: &str| {
        format!(
            r#"
openapi: {version}
info: {{title: t, version: "1"}}
paths:
  /a:
    get:
      parameters:
        - {{name: q, in: query, allowReserved: true, schema: {{type: string}}}}
        - {{name: h, in: header, allowReserved: true, schema: {{type: string}}}}
      responses: {{"200": {{description: ok}}}}
"#
        )
    };
    let styles = |spec: &Spec| {
        spec.operations[0]
            .parameters
            .iter()
            .map(|p| (p.serialization.style, p.serialization.allow_reserved))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        styles(&read(&document("3.0.3"))),
        [(Some(Style::Form), true), (Some(Style::Simple), false)]
    );
    assert_eq!(
        styles(&read(&document("3.1.0"))),
        [(None, true), (None, true)]
    );
}

#[test]
fn files_are_read_by_their_content_with_a_warning_when_the_name_disagrees() {
    use crate::load::{format_warning, parse_any};
    let json = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
    let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let read = |name: &str, text: &str| parse_any(name.into(), text.to_string()).expect("reads");
    let as_json = read("a.yaml", json);
    assert_eq!(as_json.value, read("a.json", json).value);
    assert!(format_warning(&as_json).is_some_and(|w| w.message.contains("holds JSON")));
    let as_yaml = read("b.json", yaml);
    assert_eq!(as_yaml.value, read("b.yaml", yaml).value);
    assert!(format_warning(&as_yaml).is_some_and(|w| w.message.contains("holds YAML")));
    assert!(format_warning(&read("c.json", json)).is_none());
    assert!(format_warning(&read("c.yaml", yaml)).is_none());
    // A `.json` file that starts as JSON and is not keeps its JSON error.
    let error = parse_any("d.json".into(), "{\"a\": 1,}".into()).expect_err("invalid");
    assert!(
        error.message.starts_with("invalid JSON"),
        "{}",
        error.message
    );
}

#[test]
fn a_second_use_of_an_operation_id_gets_a_free_made_up_one() {
    let yaml = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get: {operationId: x, responses: {"200": {description: ok}}}
  /b:
    get: {operationId: x, responses: {"200": {description: ok}}}
    post: {operationId: get_b, responses: {"200": {description: ok}}}
"#;
    let file = crate::load::parse("fixture.yaml".into(), yaml.to_string()).expect("parses");
    let merged = crate::merge::merge(vec![file]).expect("merges");
    let (spec, diagnostics) =
        super::check_and_read(&merged.document, &merged.origins).expect("reads");
    let ids: Vec<&str> = spec.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["x", "get_b-2", "get_b"]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(!diagnostics[0].is_error());
    assert!(diagnostics[0].related.is_some());
}

/// `contentEncoding` and `contentMediaType` (3.1) give the byte formats.
#[test]
fn content_encoding_and_media_type_give_byte_formats() {
    let file = crate::load::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/schemas/oas31/prefix-items-and-content.yaml"),
    )
    .expect("loads");
    let merged = crate::merge::merge(vec![file]).expect("merges");
    let (spec, diagnostics) = super::read(&merged.document, super::Version::V31, &merged.origins);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let crate::spec::SchemaKind::Object(thing) = &spec.schemas["Thing"].kind else {
        panic!("Thing is an object: {:?}", spec.schemas["Thing"]);
    };
    let format = |name: &str| match &thing.properties[name].kind {
        crate::spec::SchemaKind::String { format, .. } => format.clone(),
        other => panic!("{name} is a string: {other:?}"),
    };
    assert_eq!(format("picture").as_deref(), Some("binary"));
    assert_eq!(format("encoded").as_deref(), Some("byte"));
    assert_eq!(format("note"), None);
    let crate::spec::SchemaKind::Array(items) = &thing.properties["point"].kind else {
        panic!("point is an array");
    };
    assert_eq!(items.kind, crate::spec::SchemaKind::Any);
}

/// OpenAPI 3.2 is read as 3.1; its `query` method and
/// `additionalOperations` are not generated, each with a located warning.
#[test]
fn a_3_2_document_reads_as_3_1_and_says_which_operations_it_leaves_out() {
    let yaml = r#"
openapi: 3.2.0
info: {title: t, version: "1"}
paths:
  /things:
    get: {operationId: list, responses: {"200": {description: ok}}}
    query: {operationId: search, responses: {"200": {description: ok}}}
    additionalOperations:
      LINK: {operationId: link, responses: {"200": {description: ok}}}
"#;
    let file = crate::load::parse("fixture.yaml".into(), yaml.to_string()).expect("parses");
    assert_eq!(super::Version::V31, crate::load::version(&file.value));
    let merged = crate::merge::merge(vec![file]).expect("merges");
    let (spec, diagnostics) =
        super::check_and_read(&merged.document, &merged.origins).expect("reads");
    let ids: Vec<&str> = spec.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["list"]);
    let left_out: Vec<(&str, &str)> = diagnostics
        .iter()
        .map(|d| {
            assert!(!d.is_error(), "{d:?}");
            (d.location.pointer.as_str(), d.message.as_str())
        })
        .collect();
    assert_eq!(
        left_out,
        [
            (
                "/paths/~1things/query",
                "the `query` operation of `/things` is not generated"
            ),
            (
                "/paths/~1things/additionalOperations/LINK",
                "the `LINK` operation of `/things` is not generated"
            ),
        ]
    );
}
