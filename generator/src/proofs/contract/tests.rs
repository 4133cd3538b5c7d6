use super::*;
use crate::proofs::examples::tests::{fixture, SPEC};

fn area(model: &Model, title: &str) -> AreaId {
    AreaId(
        model
            .areas
            .iter()
            .position(|a| a.title == title)
            .expect("area"),
    )
}

#[test]
fn an_enum_path_parameter_gets_its_first_value_and_an_example_its_example() {
    let (spec, model) = fixture(SPEC);
    let list = candidates(&model, &spec, area(&model, "Settings")).expect("callable");
    let get = list
        .iter()
        .find(|c| c.op.operation_id == "setting-get")
        .expect("setting-get is a candidate");
    assert_eq!(get.path_values, ["zone-1", "ciphers"]);
    // No example, enum or format: the placeholder identifier.
    let other = list
        .iter()
        .find(|c| c.op.operation_id == "settings-list")
        .expect("settings-list is a candidate");
    assert_eq!(other.path_values, [DEFAULT_ID]);
}

#[test]
fn a_get_only_area_is_called_without_a_body() {
    let (spec, model) = fixture(SPEC);
    let list = candidates(&model, &spec, area(&model, "Settings")).expect("callable");
    assert!(!list.is_empty());
    assert!(list
        .iter()
        .all(|c| c.body.is_none() && c.op.method == "GET"));
    let text = harness(&model, &spec).to_string();
    let compact = text.replace(' ', "");
    assert!(
        compact.contains(".zones().settings().get(")
            || compact.contains(".zones().settings().list(")
    );
    assert!(!text.contains("not_called (\"Settings\""));
}

#[test]
fn a_body_comes_from_the_description_example_and_says_so() {
    let (spec, model) = fixture(SPEC);
    let list = candidates(&model, &spec, area(&model, "Things")).expect("callable");
    let body = list[0].body.as_ref().expect("a body");
    assert_eq!(body.json, r#"{"name":"first"}"#);
    assert!(body.from_description);
}

#[test]
fn a_required_query_parameter_is_an_argument_with_a_value() {
    let yaml = SPEC.replace(
            "        - {name: zone_id, in: path, required: true, schema: {type: string}}\n",
            "        - {name: zone_id, in: path, required: true, schema: {type: string}}\n        - {name: since, in: query, required: true, schema: {type: string, format: date-time}}\n        - {name: per_page, in: query, required: true, schema: {type: integer, minimum: 5}}\n",
        );
    let (spec, model) = fixture(&yaml);
    let list = candidates(&model, &spec, area(&model, "Settings")).expect("callable");
    let other = list
        .iter()
        .find(|c| c.op.operation_id == "settings-list")
        .expect("settings-list is a candidate");
    assert_eq!(
        other.param_values,
        [Value::String("2024-01-01T00:00:00Z".into()), Value::from(5)]
    );
    let text = harness(&model, &spec).to_string().replace(' ', "");
    // The date-time is decoded into its type first, the integer is a
    // literal.
    assert!(
        text.contains(r#"decoded::<::apigen_runtime::DateTime>("\"2024-01-01T00:00:00Z\"""#),
        "{text}"
    );
    assert!(
        text.contains(&format!(".settings().list({DEFAULT_ID:?},&param_0,5)")),
        "{text}"
    );
}

#[test]
fn path_parameters_satisfy_pattern_length_and_format() {
    let yaml = SPEC.replace(
            "        - {name: zone_id, in: path, required: true, schema: {type: string}}\n",
            "        - {name: zone_id, in: path, required: true, schema: {$ref: '#/components/schemas/identifier'}}\n",
        )
        .replace(
            "  schemas:\n",
            "  schemas:\n    identifier: {type: string, pattern: '^[a-f0-9]{32}$', maxLength: 32}\n",
        );
    let (spec, _) = fixture(&yaml);
    let normalizer = Normalizer::new(&spec.schemas);
    let param = |id: &str| {
        spec.operations
            .iter()
            .find(|o| o.id == id)
            .expect("operation")
            .parameters[0]
            .schema
            .clone()
    };
    let hex = path_value(&normalizer, &param("settings-list"));
    assert_eq!(hex.len(), 32, "{hex}");
    assert!(
        hex.chars().all(|c| matches!(c, 'a'..='f' | '0'..='9')),
        "{hex}"
    );

    let schema = |yaml: &str| {
        let spec = fixture(&SPEC.replace(
            "        - {name: zone_id, in: path, required: true, schema: {type: string}}\n",
            &format!("        - {{name: zone_id, in: path, required: true, schema: {yaml}}}\n"),
        ))
        .0;
        let normalizer = Normalizer::new(&spec.schemas);
        let schema = spec
            .operations
            .iter()
            .find(|o| o.id == "settings-list")
            .expect("op")
            .parameters[0]
            .schema
            .clone();
        path_value(&normalizer, &schema)
    };
    let short = schema("{type: string, maxLength: 3}");
    assert!(!short.is_empty() && short.chars().count() <= 3, "{short}");
    let uuid = schema("{type: string, format: uuid}");
    assert!(
        regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
            .expect("regex")
            .is_match(&uuid),
        "{uuid}"
    );
    assert_eq!(schema("{type: integer, minimum: 10}"), "10");
}

#[test]
fn every_operation_mode_calls_each_operation_once_and_says_what_it_skips() {
    let yaml = SPEC
            .replace(
                "  /things:\n    post:\n",
                "  /forms:\n    post:\n      operationId: form-post\n      tags: [Things]\n      requestBody:\n        required: true\n        content:\n          application/x-www-form-urlencoded:\n            schema: {type: object, properties: {a: {type: string}}}\n      responses:\n        \"204\": {description: done}\n  /things:\n    post:\n",
            )
            .replace(
                "components:\n",
                "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n    login: {type: http, scheme: basic}\n",
            );
    let (spec, model) = fixture(&yaml);
    let (called, skipped) = collect(&model, &spec, area(&model, "Settings"), true);
    // Both operations of the area, not only the first few.
    let mut ids: Vec<&str> = called.iter().map(|c| c.op.operation_id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["setting-get", "settings-list"]);
    assert!(skipped.is_empty());
    let (_, skipped) = collect(&model, &spec, area(&model, "Things"), true);
    let skipped: Vec<(&str, &str)> = skipped
        .iter()
        .map(|(op, why)| (op.operation_id.as_str(), *why))
        .collect();
    assert_eq!(skipped, [("form-post", "its request bodies are not JSON")]);

    let text = harness_every_operation(&model, &spec)
        .to_string()
        .replace(' ', "");
    assert!(text.contains("fnevery_operation_against_prism()"), "{text}");
    assert!(text.contains(r#"report.skipped("form-post","itsrequestbodiesarenotJSON")"#));
    assert!(text
        .contains(r#"SecurityScheme::new("key",SchemeKind::ApiKey(KeyLocation::Header,"X-Key"))"#));
    assert!(text.contains(r#"SecurityScheme::new("login",SchemeKind::Basic)"#));
    // Every scheme configured, from the description's schemes.
    assert!(
        text.contains("letclient_0=with(proof::credentials(schemes,::std::option::Option::None));")
    );
    assert!(text.contains("report.finish_operations(&known,"));
    // The per-area mode stays as it was.
    let areas = harness(&model, &spec).to_string().replace(' ', "");
    assert!(areas.contains("fnevery_area_against_prism()"));
    assert!(!areas.contains("report.skipped("));
}

#[test]
fn per_area_credentials_come_from_the_description_schemes() {
    let yaml = SPEC
        .replace(
            "components:\n",
            "security: [{key: []}, {login: []}]\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n    login: {type: http, scheme: basic}\n",
        );
    let (spec, model) = fixture(&yaml);
    let text = harness(&model, &spec).to_string().replace(' ', "");
    // The first requirement's schemes, as the description names them.
    assert!(
        text.contains(r#"letclient_0=with(proof::credentials(schemes,::std::option::Option::Some(&["key"])));"#),
        "{text}"
    );
    assert!(text
        .contains(r#"SecurityScheme::new("key",SchemeKind::ApiKey(KeyLocation::Header,"X-Key"))"#));
    for cloudflare in ["api_email", "X-Auth-Key", "api_token", "user_service_key"] {
        assert!(!text.contains(cloudflare), "{cloudflare} in {text}");
    }
}
