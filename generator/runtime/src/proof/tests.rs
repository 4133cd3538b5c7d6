//! The proof logic, and faults planted to show each proof fails on them.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::*;
use crate::Extra;
use crate::{SchemeKind, SecurityScheme};

/// Like a generated struct: declared fields, the rest in `extra`.
#[derive(Debug, Deserialize, Serialize)]
struct Thing {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    colour: Option<Colour>,
    #[serde(flatten, serialize_with = "crate::unknown::extra")]
    extra: Extra,
}

/// Like a generated string enum: known values, the rest in `Unknown`.
#[derive(Debug, Deserialize, Serialize)]
enum Colour {
    #[serde(rename = "blue")]
    Blue,
    #[serde(untagged, serialize_with = "crate::unknown::value")]
    Unknown(String),
}

/// A planted fault: the optional `colour` misnamed `color`.
#[derive(Debug, Deserialize, Serialize)]
struct Misnamed {
    name: String,
    #[serde(rename = "color", skip_serializing_if = "Option::is_none")]
    colour: Option<String>,
    #[serde(flatten, serialize_with = "crate::unknown::extra")]
    extra: Extra,
}

/// A planted fault: the enum value `blue` misspelt `bleu`.
#[derive(Debug, Deserialize, Serialize)]
enum WrongWire {
    #[serde(rename = "bleu")]
    Blue,
    #[serde(untagged, serialize_with = "crate::unknown::value")]
    Unknown(String),
}

#[derive(Debug, Deserialize, Serialize)]
struct WithWrongWire {
    name: String,
    colour: WrongWire,
    #[serde(flatten, serialize_with = "crate::unknown::extra")]
    extra: Extra,
}

fn keys(problems: &[Problem]) -> Vec<(&str, &str)> {
    problems
        .iter()
        .map(|p| (p.class, p.pointer.as_str()))
        .collect()
}

fn known(text: &str) -> Known {
    Known::parse(text)
}

fn failure(operation: &str, status: &str, pointer: &str, class: &'static str) -> Failure {
    Failure::of(
        operation,
        status,
        Problem::new(class, pointer, "detail"),
        "",
    )
}

#[test]
fn a_good_example_passes() {
    assert_eq!(
        strict::<Thing>(r#"{"name":"a","colour":"blue"}"#, "", &[]),
        []
    );
}

#[test]
fn every_problem_of_an_example_is_reported() {
    // Two undeclared properties and an undeclared enum value: three rows.
    let json = r#"{"name":"a","colour":"green","x":1,"y":2}"#;
    let problems = strict::<Thing>(json, "", &["/colour", "/x", "/y"]);
    assert_eq!(
        keys(&problems),
        [
            ("example-undeclared", "/colour"),
            ("example-undeclared", "/x"),
            ("example-undeclared", "/y")
        ]
    );
}

#[test]
fn planted_misnamed_optional_field_is_caught_without_unknown() {
    let example = json!({"name": "a", "colour": "blue"});
    let decoded: Misnamed = serde_json::from_value(example.clone()).expect("decodes");
    // `unknown_paths` is not asked: the declared fields alone disagree.
    let problems = declared_problems(&decoded, &example, "", &[]);
    assert_eq!(keys(&problems), [("declared-not-held", "/colour")]);
    // And the strict proof fails on it.
    assert!(!strict::<Misnamed>(&example.to_string(), "", &[]).is_empty());
}

#[test]
fn planted_wrong_enum_wire_value_is_caught_without_unknown() {
    let example = json!({"name": "a", "colour": "blue"});
    let decoded: WithWrongWire = serde_json::from_value(example.clone()).expect("decodes");
    assert!(matches!(decoded.colour, WrongWire::Unknown(_)));
    let problems = declared_problems(&decoded, &example, "", &[]);
    assert_eq!(keys(&problems), [("declared-not-held", "/colour")]);
    assert!(!strict::<WithWrongWire>(&example.to_string(), "", &[]).is_empty());
}

#[test]
fn an_undeclared_part_is_not_blamed_on_the_declared_fields() {
    let example = json!({"name": "a", "colour": "green", "note": 1});
    let decoded: Thing = serde_json::from_value(example.clone()).expect("decodes");
    assert_eq!(
        declared_problems(&decoded, &example, "", &["/colour", "/note"]),
        []
    );
}

#[test]
fn a_decode_error_and_a_changed_round_trip_are_located() {
    let problems = strict::<Thing>(r#"{"name":1}"#, "/result", &[]);
    assert_eq!(keys(&problems), [("example-type-mismatch", "/result/name")]);
    let problems = strict::<Thing>(r#"{"colour":"blue"}"#, "", &[]);
    assert_eq!(keys(&problems), [("example-missing-required", "")]);
    // `3.5` decodes into an `i64`? No: but a float into `f64` and back
    // keeps its value; an integer list keeps its order.
    assert_eq!(strict::<Vec<f64>>("[1, 2.5]", "", &[]), []);
}

#[test]
fn error_bodies_are_checked_through_message() {
    let ok = r#"{"errors":[{"code":1000,"message":"bad"}],"messages":[]}"#;
    assert_eq!(strict_error_body(ok, &[]), []);
    let none = strict_error_body(r#"{"success":false}"#, &[]);
    assert_eq!(keys(&none), [("error-without-errors", "")]);
}

#[test]
fn planted_new_failure_in_a_listed_example_fails_the_proof() {
    let mut report = Examples::default();
    let json = r#"{"name":"a","colour":"green","x":1}"#;
    report.check::<Thing>("thing-get", "200", "/x", true, json, &["/colour", "/x"]);
    let file = "| `thing-get` | `200` | `/colour` | `example-undeclared` | d |\n";
    let counts = report.counts();
    let problems = verdict("examples", &known(file), &counts, &report.failures);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("not a known error: `thing-get` `200` `/x`")),
        "{problems:?}"
    );
}

#[test]
fn planted_deleted_or_misspelt_expected_line_fails() {
    let failures = [failure("a", "200", "/x", "lost-declared")];
    let row = "| `a` | `200` | `/x` | `lost-declared` | d |\n";
    let counts = [("cases", 3), ("passed", 2)];
    let full = format!("{row}expected cases: 3\nexpected passed: 2\n");
    assert_eq!(
        verdict("t", &known(&full), &counts, &failures),
        Vec::<String>::new()
    );
    let deleted = format!("{row}expected cases: 3\n");
    let problems = verdict("t", &known(&deleted), &counts, &failures);
    assert_eq!(problems, ["no `expected passed:` line; it is 2"]);
    let misspelt = format!("{row}expected cases: 3\nexpected pased: 2\n");
    let problems = verdict("t", &known(&misspelt), &counts, &failures);
    assert_eq!(problems.len(), 2, "{problems:?}");
    let wrong = format!("{row}expected cases: 4\nexpected passed: 2\n");
    assert_eq!(verdict("t", &known(&wrong), &counts, &failures).len(), 1);
}

#[test]
fn planted_duplicated_row_fails() {
    let failures = [failure("a", "200", "/x", "lost-declared")];
    let row = "| `a` | `200` | `/x` | `lost-declared` | d |\n";
    let problems = verdict("t", &known(&format!("{row}{row}")), &[], &failures);
    assert_eq!(
        problems,
        ["row given twice: `a` `200` `/x` `lost-declared`"]
    );
    let twice = "expected cases: 1\nexpected cases: 1\n";
    assert_eq!(verdict("t", &known(twice), &[("cases", 1)], &[]).len(), 1);
}

#[test]
fn a_stale_row_fails() {
    let row = "| `a` | `200` | `/x` | `lost-declared` | d |\n";
    let problems = verdict("t", &known(row), &[], &[]);
    assert_eq!(
        problems,
        ["stale entry: remove it: `a` `200` `/x` `lost-declared`"]
    );
}

#[test]
fn without_a_file_counts_are_not_asserted_but_failures_are() {
    let none = Known::default();
    assert!(verdict("t", &none, &[("cases", 1)], &[]).is_empty());
    assert_eq!(
        verdict("t", &none, &[], &[failure("a", "200", "", "x")]).len(),
        1
    );
}

fn attempt(
    operation: &'static str,
    body: Option<bool>,
    problems: Vec<Problem>,
    status: &str,
) -> Attempt {
    Attempt::new(operation, body, (problems, status.into()))
}

#[test]
fn planted_failing_call_beside_a_passing_sibling_fails_the_proof() {
    let mut report = Contract::default();
    let broken = Problem::new("response-unknown", "/kind", "detail");
    report.area(
        "Logpush",
        vec![
            attempt("list", None, vec![], "200"),
            attempt("get", None, vec![broken], "200"),
        ],
    );
    // The area passes (one call of its kind did), the failing call is
    // listed all the same.
    let counts = report.area_counts(1);
    assert!(counts.contains(&("areas passed", 1)));
    assert_eq!(report.failures.len(), 1);
    assert_eq!(
        report.failures[0].key(),
        ["get", "200", "/kind", "response-unknown"]
    );
    let problems = verdict("contract", &Known::default(), &counts, &report.failures);
    assert!(
        problems[0].starts_with("not a known error: `get` `200` `/kind`"),
        "{problems:?}"
    );
}

#[test]
fn a_refused_request_is_keyed_by_what_prism_names() {
    let header = r#"[{"location":["request","body","action_parameters","response","status_code"],"code":"minimum"},{"location":["request","query","per_page"]},{"location":["request","body"]}]"#;
    let problems = contract::refused(header, "422");
    assert_eq!(
        keys(&problems),
        [
            (
                "prism-refused-request",
                "/action_parameters/response/status_code"
            ),
            ("prism-refused-request", "/query/per_page"),
            ("prism-refused-request", ""),
        ]
    );
    assert_eq!(
        keys(&contract::refused("", "422")),
        [("prism-refused-request", "")]
    );
}

#[test]
fn planted_422_for_another_reason_on_a_listed_operation_fails() {
    let row = "| `create` | `422` | `/action_parameters/response/status_code` | `prism-refused-request` | d |\n";
    let other = r#"[{"location":["request","body","name"],"code":"pattern"}]"#;
    let mut report = Contract::default();
    report.area(
        "Rulesets",
        vec![attempt(
            "create",
            Some(false),
            contract::refused(other, "422"),
            "422",
        )],
    );
    let problems = verdict("contract", &known(row), &[], &report.failures);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("not a known error: `create` `422` `/name`")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with("stale entry")),
        "{problems:?}"
    );
}

#[test]
fn credentials_cover_the_schemes_asked_for() {
    let schemes = [
        SecurityScheme::new(
            "key",
            SchemeKind::ApiKey(crate::KeyLocation::Header, "X-Key"),
        ),
        SecurityScheme::new("token", SchemeKind::Bearer),
    ];
    let some = credentials(&schemes, Some(&["token"]));
    assert!(some.has("token") && !some.has("key"));
    let all = credentials(&schemes, None);
    assert!(all.has("token") && all.has("key"));
}

#[test]
fn paths_become_pointers_and_numbers_compare_by_value() {
    assert_eq!(
        pointer_of_path("result.items[0].a/b"),
        "/result/items/0/a~1b"
    );
    assert_eq!(pointer_of_path("?"), "");
    assert!(same(&json!({"a": 3600}), &json!({"a": 3600.0})));
    assert!(!same(&json!([1, 2]), &json!([2, 1])));
}

#[test]
fn decoded_locates_what_does_not_decode() {
    let error = decoded::<Thing>(r#"{"name":"a","colour":7}"#, "the request body").expect_err("no");
    assert_eq!(
        (error.class, error.pointer.as_str()),
        ("example-type-mismatch", "/colour")
    );
}

#[test]
fn a_null_member_and_an_absent_one_are_the_same() {
    assert!(super::same(&json!({"a": null, "b": 1}), &json!({"b": 1.0})));
    assert!(super::same(&json!({"b": 1}), &json!({"a": null, "b": 1})));
    assert!(!super::same(&json!({"a": 0, "b": 1}), &json!({"b": 1})));
    assert!(!super::same(&json!({"b": 1}), &json!({"a": 0, "b": 1})));
    // A type only received reads `null` as `None` and sends nothing back:
    // no round-trip change; a value it drops still is one.
    #[derive(Deserialize, Serialize)]
    struct Received {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<u8>,
        b: u8,
    }
    assert_eq!(strict::<Received>(r#"{"a":null,"b":2}"#, "", &[]), []);
    let dropped = strict::<Received>(r#"{"a":1,"b":2,"c":3}"#, "", &[]);
    assert_eq!(
        keys(&dropped),
        [("declared-not-held", "/c"), ("round-trip-changed", "")]
    );
}
