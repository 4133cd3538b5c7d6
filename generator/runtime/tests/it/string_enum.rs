//! `string_enum!`: a generated string enum's wire text, both ways, and its
//! catch-all, wherever serde meets it (a field, a map key, an untagged
//! union's buffered content).

use std::collections::BTreeMap;

use apigen_runtime::Unknown;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Active,
    PastDue,
    Unknown(String),
}

apigen_runtime::string_enum!(Status, Unknown {
    Active = "active",
    PastDue = "past_due",
});

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Subscription {
    status: Status,
    #[serde(default)]
    by_status: BTreeMap<Status, u32>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum StatusOrCount {
    Count(u32),
    Status(Status),
}

#[test]
fn known_values_read_and_write_their_wire_text() {
    let read: Subscription = serde_json::from_value(json!({
        "status": "past_due",
        "by_status": {"active": 2, "past_due": 1}
    }))
    .unwrap();
    assert_eq!(read.status, Status::PastDue);
    assert_eq!(read.status.as_str(), "past_due");
    assert_eq!(read.by_status[&Status::Active], 2);
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        json!({"status": "past_due", "by_status": {"active": 2, "past_due": 1}})
    );
    // Nothing in it went to a catch-all.
    assert!(read.unknown_paths().is_empty());
}

#[test]
fn other_text_is_kept_and_reported_as_unknown() {
    let read: Subscription = serde_json::from_value(json!({"status": "paused"})).unwrap();
    assert_eq!(read.status, Status::Unknown("paused".into()));
    assert_eq!(read.status.as_str(), "paused");
    assert_eq!(serde_json::to_value(&read).unwrap()["status"], "paused");
    assert_eq!(read.unknown_paths(), ["/status"]);
}

#[test]
fn buffered_content_of_an_untagged_union_reads_the_same() {
    let read: Vec<StatusOrCount> = serde_json::from_value(json!([3, "active", "gone"])).unwrap();
    assert_eq!(
        read,
        [
            StatusOrCount::Count(3),
            StatusOrCount::Status(Status::Active),
            StatusOrCount::Status(Status::Unknown("gone".into())),
        ]
    );
}

#[test]
fn anything_but_a_string_is_refused_with_what_was_expected() {
    let error = serde_json::from_value::<Status>(json!(7)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `7`, expected a string"
    );
}

/// Every method `call_type!` gives is `#[inline]`: a generated crate then
/// compiles none of its calls' decoding itself (ARCHITECTURE.md).
#[test]
fn every_call_type_method_is_inline() {
    let source = include_str!("../../src/call_type.rs");
    let mut functions = 0;
    let mut previous = "";
    for line in source.lines().map(str::trim) {
        let is_fn = ["fn ", "pub fn ", "pub async fn "]
            .iter()
            .any(|start| line.starts_with(start));
        if is_fn {
            functions += 1;
            assert_eq!(previous, "#[inline]", "{line}");
        }
        if !line.starts_with("///") {
            previous = line;
        }
    }
    // send, timeout, max_retries, header, idempotency_key, into_call,
    // from, into_future, wait, send_blocking.
    assert_eq!(functions, 10);
}
