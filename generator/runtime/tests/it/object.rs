//! `object!`: a generated struct's `Deserialize`, as serde's derive with a
//! flattened `extra` map reads it (listed fields by wire name, every other
//! entry kept, `None` for a missing `Option`, errors naming the field and
//! its path), wherever serde meets it.

use std::collections::BTreeMap;

use apigen_runtime::Unknown;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

#[derive(Debug, PartialEq)]
pub struct Customer {
    pub id: String,
    pub email: Option<String>,
    pub r#type: Option<String>,
    pub address: Option<Box<Address>>,
    #[deprecated]
    pub old: Option<u32>,
    pub extra: Map<String, Value>,
}

apigen_runtime::object!(Customer {
    id = "id",
    #[optional] email = "email",
    r#type = "type",
    #[optional] address = "address",
    #[optional] old = "old",
} serialize(all()));

#[derive(Debug, PartialEq)]
pub struct Address {
    pub city: String,
    pub extra: BTreeMap<String, u32>,
}

// `Serialize` only where the predicate holds: `Address` is written in
// this crate's tests alone.
apigen_runtime::object!(Address { city = "city" } serialize(test));

/// Neither `Serialize` nor `Deserialize` but through `object!`.
#[derive(Debug, PartialEq)]
pub struct Note {
    pub text: String,
    pub extra: Map<String, Value>,
}

apigen_runtime::object!(Note { text = "text" } serialize(any()));

// Would conflict with one `object!` gave.
impl Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
enum CustomerOrId {
    Id(String),
    Customer(Customer),
}

#[test]
#[allow(deprecated)]
fn listed_fields_read_by_wire_name_and_the_rest_is_kept() {
    let read: Customer = serde_json::from_value(json!({
        "id": "cus_1",
        "type": "business",
        "email": null,
        "address": {"city": "Lyon", "floor": 3},
        "old": 7,
        "tier": "gold"
    }))
    .unwrap();
    assert_eq!(read.id, "cus_1");
    assert_eq!(read.r#type.as_deref(), Some("business"));
    assert_eq!(read.email, None);
    let address = read.address.as_deref().unwrap();
    assert_eq!(address.city, "Lyon");
    // A typed `extra` map holds its own type.
    assert_eq!(address.extra, BTreeMap::from([("floor".to_owned(), 3)]));
    assert_eq!(read.old, Some(7));
    assert_eq!(
        read.extra,
        json!({"tier": "gold"}).as_object().unwrap().clone()
    );
    // Only the entry the type does not list went to `extra`.
    assert_eq!(read.unknown_paths(), ["/tier"]);
}

/// `Customer` and `Address` as serde's derive reads them.
mod derived {
    use super::*;

    #[derive(Debug, Deserialize, Serialize)]
    pub struct Customer {
        id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        email: Option<String>,
        #[serde(rename = "type")]
        r#type: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        address: Option<Box<Address>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        old: Option<u32>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    #[derive(Debug, Deserialize, Serialize)]
    pub struct Address {
        city: String,
        #[serde(flatten)]
        extra: BTreeMap<String, u32>,
    }
}

/// Reads `text` as `Customer` and as `derived::Customer`: the same value, or the
/// same error message. (Its position may differ: the derive buffers the
/// entries a flattened map takes and reports their errors at the end of
/// the object, `object!` at the value.)
fn same_as_derive(text: &str) -> Result<Value, String> {
    let ours = serde_json::from_str::<Customer>(text);
    let derived = serde_json::from_str::<derived::Customer>(text);
    match (ours, derived) {
        (Ok(ours), Ok(derived)) => {
            let ours = serde_json::to_value(ours).unwrap();
            assert_eq!(ours, serde_json::to_value(derived).unwrap(), "{text}");
            Ok(ours)
        }
        (Err(ours), Err(derived)) => {
            let message = |error: serde_json::Error| {
                let text = error.to_string();
                match text.rfind(" at line ") {
                    Some(at) => text[..at].to_owned(),
                    None => text,
                }
            };
            let ours = message(ours);
            assert_eq!(ours, message(derived), "{text}");
            Err(ours)
        }
        (ours, derived) => panic!("{text}: {ours:?} but derived {derived:?}"),
    }
}

#[test]
fn a_missing_option_is_none_and_a_missing_field_is_named() {
    let read: Customer = serde_json::from_value(json!({"id": "cus_1"})).unwrap();
    assert_eq!((read.email, read.r#type, read.address), (None, None, None));
    assert!(read.extra.is_empty());

    let error = same_as_derive(r#"{"email": "a@b.c"}"#).unwrap_err();
    assert!(error.starts_with("missing field `id`"), "{error}");
    let error = same_as_derive(r#"{"id": "c", "address": {"floor": 1}}"#).unwrap_err();
    assert!(error.starts_with("missing field `city`"), "{error}");
}

#[test]
fn what_serde_derive_reads_or_refuses_object_reads_or_refuses_alike() {
    let cases = [
        r#"{"id": "a", "type": null, "email": "e", "old": 2, "x": [1], "address": {"city": "c", "n": 4}}"#,
        r#"{"id": "a", "id": "b"}"#,
        r#"{"id": "a", "address": {"city": "c", "n": "four"}}"#,
        r#"{"id": "a", "address": {"city": 12}}"#,
        r#"{"id": "a", "old": -1}"#,
        r#"["a"]"#,
        r#""a""#,
        r#"null"#,
        r#"{"id": "a""#,
        r#"{"\u0069d": "a", "t\u00e9": {}}"#,
    ];
    let results: Vec<_> = cases.iter().map(|text| same_as_derive(text)).collect();
    // Not every case is refused.
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        2,
        "{results:?}"
    );
    assert!(results[1]
        .as_ref()
        .unwrap_err()
        .starts_with("duplicate field `id`"));
    assert!(results[5]
        .as_ref()
        .unwrap_err()
        .starts_with("invalid type: sequence, expected struct Customer"));
}

#[test]
fn a_wrong_value_in_a_typed_extra_map_is_reported_where_it_is() {
    let text = r#"{"id": "a", "address": {"city": "c", "n": "four"}}"#;
    let error = serde_json::from_str::<Customer>(text).unwrap_err();
    assert_eq!(error.column(), text.find("\"four\"").unwrap() + 6);
}

#[test]
fn a_wrong_value_reports_its_path() {
    let body = br#"{"id": "cus_1", "address": {"city": 12}}"#;
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let error = serde_path_to_error::deserialize::<_, Customer>(&mut deserializer).unwrap_err();
    assert_eq!(error.path().to_string(), "address.city");
    assert!(error
        .inner()
        .to_string()
        .starts_with("invalid type: integer `12`, expected a string"));
}

#[test]
fn keys_borrowed_escaped_or_from_a_reader_read_the_same() {
    // An escaped key cannot be borrowed from the input; a reader lends none.
    let escaped: Customer = serde_json::from_str(r#"{"\u0069d": "cus_1", "t\u00e9": 1}"#).unwrap();
    assert_eq!(escaped.id, "cus_1");
    assert_eq!(escaped.extra["té"], 1);
    let text = br#"{"id": "cus_2", "address": {"city": "Oslo"}}"#;
    let read: Customer = serde_json::from_reader(&text[..]).unwrap();
    assert_eq!(read.id, "cus_2");
    assert_eq!(read.address.unwrap().city, "Oslo");
}

#[test]
fn buffered_content_of_an_untagged_union_reads_the_same() {
    let read: Vec<CustomerOrId> = serde_json::from_value(json!([
        "cus_1",
        {"id": "cus_2", "address": {"city": "Rome"}, "note": true}
    ]))
    .unwrap();
    assert_eq!(read[0], CustomerOrId::Id("cus_1".into()));
    let CustomerOrId::Customer(customer) = &read[1] else {
        panic!("not a customer: {:?}", read[1]);
    };
    assert_eq!(customer.address.as_ref().unwrap().city, "Rome");
    assert_eq!(customer.extra["note"], true);
}

#[test]
fn serialize_is_given_where_its_predicate_holds() {
    fn written<T: Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }
    let address = Address {
        city: "Oslo".into(),
        extra: BTreeMap::new(),
    };
    assert_eq!(written(&address), json!({"city": "Oslo"}));
    // `any()` never holds: `Note`'s `Serialize` is the one below.
    let note: Note = serde_json::from_value(json!({"text": "hi"})).unwrap();
    assert_eq!(serde_json::to_value(&note).unwrap(), json!("hi"));
}

#[test]
fn raw_extra_entries_are_marked_and_typed_ones_are_not() {
    let read: Customer = serde_json::from_value(json!({
        "id": "c", "address": {"city": "x", "floor": 2}, "vip": true
    }))
    .unwrap();
    // The typed `extra` of `address` held `floor`; only `vip` was unknown.
    assert_eq!(read.unknown_paths(), ["/vip"]);
}

#[test]
fn what_is_read_is_written_back_the_same() {
    let sent =
        json!({"id": "cus_1", "type": null, "address": {"city": "Lyon", "floor": 3}, "tier": 1});
    let read: Customer = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&read).unwrap(), sent);
}
