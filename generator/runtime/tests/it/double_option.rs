//! `double_option` tells an absent field, `null` and a value apart, both
//! ways.

use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
struct Patch {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::apigen_runtime::double_option"
    )]
    comment: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "::apigen_runtime::double_option"
    )]
    ttl: Option<Option<u32>>,
}

#[test]
fn serializes_absent_null_and_value_differently() {
    let absent = Patch::default();
    let null = Patch {
        comment: Some(None),
        ttl: None,
    };
    let value = Patch {
        comment: Some(Some("hi".to_owned())),
        ttl: Some(Some(300)),
    };
    assert_eq!(serde_json::to_value(&absent).ok(), Some(json!({})));
    assert_eq!(
        serde_json::to_value(&null).ok(),
        Some(json!({"comment": null}))
    );
    assert_eq!(
        serde_json::to_value(&value).ok(),
        Some(json!({"comment": "hi", "ttl": 300}))
    );
}

#[test]
fn deserializes_absent_null_and_value_differently() {
    let parse = |value| serde_json::from_value::<Patch>(value).ok();
    assert_eq!(parse(json!({})), Some(Patch::default()));
    assert_eq!(
        parse(json!({"comment": null})),
        Some(Patch {
            comment: Some(None),
            ttl: None
        })
    );
    assert_eq!(
        parse(json!({"comment": "hi", "ttl": 5})),
        Some(Patch {
            comment: Some(Some("hi".to_owned())),
            ttl: Some(Some(5))
        })
    );
    assert!(parse(json!({"ttl": "five"})).is_none());
}

#[test]
fn round_trips() {
    for patch in [
        Patch::default(),
        Patch {
            comment: Some(None),
            ttl: Some(Some(1)),
        },
    ] {
        let text = serde_json::to_string(&patch).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Patch>(&text).ok(), Some(patch));
    }
}
