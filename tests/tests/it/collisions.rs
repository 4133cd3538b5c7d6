//! The collisions fixture (`tests/fixtures/collisions.yaml`): names that
//! collide as Rust identifiers compile (this file would not build otherwise),
//! get numbered names in a stable order, and keep their wire names.

use collisions_fixture::things::{FooBar, FooBarKind};
use serde_json::json;

#[test]
fn colliding_properties_keep_their_wire_names() {
    let wire = json!({
        "foo-bar": "dash", "foo_bar": 2, "fooBar": true,
        "type": "t", "self": "s", "match": "m", "extra": "e", "1st": "first",
        "$ref-like": "r", "+1": 1, "-1": -1, "Option": "o", "kind": "A B",
        "not-in-spec": [1, 2]
    });
    let decoded: FooBar = serde_json::from_value(wire.clone()).expect("decodes");
    assert_eq!(decoded.foo_bar, "dash");
    assert_eq!(decoded.foo_bar_3, Some(2));
    assert_eq!(decoded.foo_bar_2, Some(true));
    assert_eq!(decoded.r#type.as_deref(), Some("t"));
    assert_eq!(decoded.self_.as_deref(), Some("s"));
    assert_eq!(decoded.r#match.as_deref(), Some("m"));
    assert_eq!(decoded.extra_2.as_deref(), Some("e"));
    assert_eq!(decoded._1st.as_deref(), Some("first"));
    assert_eq!(decoded.plus_1, Some(1));
    assert_eq!(decoded._1, Some(-1));
    assert_eq!(decoded.kind, Some(FooBarKind::AB3));
    assert_eq!(decoded.extra.get("not-in-spec"), Some(&json!([1, 2])));
    assert_eq!(serde_json::to_value(&decoded).expect("encodes"), wire);
}

#[test]
fn colliding_enum_values_stay_apart() {
    let values = [
        "a-b", "a_b", "A B", "", "1", "unknown", "Unknown", "self", "new",
    ];
    let decoded: Vec<FooBarKind> = serde_json::from_value(json!(values)).expect("decodes");
    assert_eq!(
        decoded,
        vec![
            FooBarKind::AB,
            FooBarKind::AB2,
            FooBarKind::AB3,
            FooBarKind::Empty,
            FooBarKind::V1,
            FooBarKind::Unknown,
            FooBarKind::Unknown2,
            FooBarKind::Self_,
            FooBarKind::Unknown3("new".into()),
        ]
    );
    let wire: Vec<&str> = decoded.iter().map(FooBarKind::as_str).collect();
    assert_eq!(wire, values);
}

#[test]
fn operations_that_collide_get_distinct_methods() {
    let client = collisions_fixture::Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    // Both exist and are distinct methods (this only has to compile); the
    // setters keep the parameters apart (`type`, `Type`).
    let _get = client
        .things()
        .get_thing("id")
        .r#type("t")
        .type_2(1)
        .x_request_id("r");
    let _again = client.things().get("id");
    let _self = client.self_().get();
}
