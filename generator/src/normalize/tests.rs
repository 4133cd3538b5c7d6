//! Tests of the normalizer: what `flatten`, `resolve` and `component_flat`
//! return, findings included.

use super::*;

fn string(pointer: &str) -> Schema {
    Schema::new(
        pointer,
        SchemaKind::String {
            format: None,
            values: Vec::new(),
        },
    )
}

fn object(pointer: &str, properties: Vec<(&str, Schema)>) -> Schema {
    Schema::new(
        pointer,
        SchemaKind::Object(Object {
            properties: properties
                .into_iter()
                .map(|(name, schema)| (name.to_string(), schema))
                .collect(),
            ..Object::default()
        }),
    )
}

/// A generic envelope (`result: {type: object}`) narrowed to a list.
fn envelope_of_list(at: &str) -> Schema {
    let generic = object(
        &format!("{at}/allOf/0"),
        vec![(
            "result",
            object(&format!("{at}/allOf/0/result"), Vec::new()),
        )],
    );
    let list = Schema::new(
        format!("{at}/allOf/1/result"),
        SchemaKind::Array(Box::new(string(&format!("{at}/allOf/1/result/items")))),
    );
    let narrowed = object(&format!("{at}/allOf/1"), vec![("result", list)]);
    Schema::new(at, SchemaKind::AllOf(vec![generic, narrowed]))
}

#[test]
fn flatten_returns_the_placeholder_it_overrode() {
    let schemas = BTreeMap::new();
    let normalizer = Normalizer::new(&schemas);
    let envelope = envelope_of_list("/e");
    let outcome = normalizer.flatten(&envelope);
    let flat = outcome.result.expect("merges");
    let SchemaKind::Object(object) = &flat.kind else {
        panic!("{flat:?}")
    };
    assert!(matches!(
        object.properties["result"].kind,
        SchemaKind::Array(_)
    ));
    assert_eq!(
        outcome.findings,
        [Problem::Override {
            kept: "/e/allOf/1/result".into(),
            dropped: "/e/allOf/0/result".into(),
            detail: "an object in one branch, an array in the other".into(),
        }]
    );
    // Nothing is kept between calls: the next one finds it again.
    assert_eq!(
        normalizer.flatten(&envelope_of_list("/e")).findings.len(),
        1
    );
}

#[test]
fn a_components_findings_come_once_from_the_call_that_normalizes_it() {
    let schemas = BTreeMap::from([(
        "env".to_string(),
        envelope_of_list("/components/schemas/env"),
    )]);
    let normalizer = Normalizer::new(&schemas);
    let reference = Schema::new("/r", SchemaKind::Ref("env".into()));
    let first = normalizer.resolve(&reference);
    assert!(first.result.is_ok());
    assert_eq!(first.findings.len(), 1);
    let again = normalizer.component_flat("env");
    assert!(again.result.is_ok());
    assert!(again.findings.is_empty(), "cached: {:?}", again.findings);
}

#[test]
fn contradicting_structured_branches_fail_and_not_is_a_finding() {
    let schemas = BTreeMap::new();
    let normalizer = Normalizer::new(&schemas);
    let clash = Schema::new(
        "/c",
        SchemaKind::AllOf(vec![
            string("/c/0"),
            Schema::new("/c/1", SchemaKind::Boolean),
        ]),
    );
    let outcome = normalizer.flatten(&clash);
    assert!(
        matches!(&outcome.result, Err(Problem::Contradiction { left, right, .. }) if left == "/c/0" && right == "/c/1"),
        "{:?}",
        outcome.result
    );
    let with_not = Schema::new(
        "/n",
        SchemaKind::AllOf(vec![string("/n/0"), Schema::new("/n/1", SchemaKind::Not)]),
    );
    let outcome = normalizer.flatten(&with_not);
    assert!(matches!(
        outcome.result.map(|s| s.into_owned().kind),
        Ok(SchemaKind::String { .. })
    ));
    assert_eq!(
        outcome.findings,
        [Problem::IgnoredNot {
            pointer: "/n/1".into()
        }]
    );
}

#[test]
fn a_self_referring_all_of_is_a_cycle() {
    let looped = Schema::new(
        "/components/schemas/a",
        SchemaKind::AllOf(vec![Schema::new("/x", SchemaKind::Ref("a".into()))]),
    );
    let schemas = BTreeMap::from([("a".to_string(), looped)]);
    let normalizer = Normalizer::new(&schemas);
    let outcome = normalizer.component_flat("a");
    assert_eq!(
        outcome.result.err(),
        Some(Problem::Cycle {
            names: vec!["a".into(), "a".into()]
        })
    );
}

#[test]
fn what_needs_no_copy_is_not_copied() {
    let schemas = BTreeMap::from([("name".to_string(), string("/components/schemas/name"))]);
    let normalizer = Normalizer::new(&schemas);
    // Nothing to flatten or follow: the schema given.
    let plain = string("/p");
    let flat = normalizer.flatten(&plain).result.expect("flat");
    assert!(matches!(flat, Cow::Borrowed(s) if std::ptr::eq(s, &plain)));
    let resolved = normalizer.resolve_shared(&plain).result.expect("resolves");
    assert!(matches!(resolved, Resolved::Borrowed(s) if std::ptr::eq(s, &plain)));
    // A bare reference: the cached component itself.
    let reference = Schema::new("/r", SchemaKind::Ref("name".into()));
    let cached = normalizer.component_flat("name").result.expect("cached");
    let resolved = normalizer
        .resolve_shared(&reference)
        .result
        .expect("resolves");
    assert!(matches!(&resolved, Resolved::Shared(rc) if Rc::ptr_eq(rc, &cached)));
    // A reference that adds to its target: a copy with what it adds, the
    // cache untouched; the same as `resolve` gives.
    let mut documented = reference.clone();
    documented.description = Some("The zone's name.".into());
    documented.nullable = true;
    documented.constraints.max_length = Some(253);
    let resolved = normalizer
        .resolve_shared(&documented)
        .result
        .expect("resolves");
    let Resolved::Owned(copy) = resolved else {
        panic!("not a copy: {resolved:?}")
    };
    assert_eq!(copy.description.as_deref(), Some("The zone's name."));
    assert!(copy.nullable);
    assert_eq!(copy.constraints.max_length, Some(253));
    assert_eq!(cached.description, None);
    assert!(!cached.nullable);
    assert_eq!(normalizer.resolve(&documented).result, Ok(copy));
}
