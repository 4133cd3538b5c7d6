//! [`Unknown`]: which parts of a decoded value its types did not hold.
//!
//! Generated structs keep properties the API description does not list in a
//! flattened `extra` map, string enums keep values they do not know in an
//! `Unknown` variant, and unions fall back to an `Unknown` variant holding the
//! raw JSON. Nothing the server sends is lost, but nothing fails either, so a
//! misnamed property or a wrongly typed union branch would go unnoticed. This
//! trait lists those places:
//!
//! ```
//! use apigen_runtime::Unknown;
//! use std::collections::BTreeMap;
//!
//! let decoded: Vec<Option<BTreeMap<String, serde_json::Value>>> =
//!     serde_json::from_str(r#"[null, {"a": 1}]"#).unwrap();
//! // `Value` holds anything: nothing in it is unknown.
//! assert!(decoded.unknown_paths().is_empty());
//! ```
//!
//! Every generated struct, enum and union implements it, so
//! `value.unknown_paths()` on a response tells whether the types held all of
//! it (an empty list) or which JSON pointers (`/result/0/name`) went to an
//! `extra` map or an `Unknown` variant.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::{Message, MessageSource, Number};

/// JSON pointers, as [`Unknown`] collects them.
pub type Paths = Vec<String>;

/// A decoded value that can tell which of its parts its types did not hold.
pub trait Unknown {
    /// Appends to `out` the JSON pointer, below `at` (the pointer of this
    /// value), of each part that went to an `extra` map or an `Unknown`
    /// variant.
    fn collect_unknown(&self, at: &str, out: &mut Vec<String>);

    /// The JSON pointers (from this value, `""` being the value itself) of
    /// the parts that went to an `extra` map or an `Unknown` variant, in
    /// document order; empty when the types held everything.
    fn unknown_paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_unknown("", &mut out);
        out
    }
}

/// The JSON pointer of `key` below `at` (`~` and `/` escaped).
pub fn join_pointer(at: &str, key: &str) -> String {
    let mut pointer = String::with_capacity(at.len() + key.len() + 1);
    pointer.push_str(at);
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
    pointer
}

/// Collects the unknown parts of each field of a struct, named by its wire
/// name (what a generated `Unknown` impl does for its declared fields).
pub fn unknown_fields(at: &str, out: &mut Vec<String>, fields: &[(&str, &dyn Unknown)]) {
    for (wire, value) in fields {
        value.collect_unknown(&join_pointer(at, wire), out);
    }
}

/// Appends the pointer of every key of an `extra` map of raw JSON: each is a
/// property the description does not list.
pub fn extra_keys(map: &Map<String, Value>, at: &str, out: &mut Vec<String>) {
    out.extend(map.keys().map(|key| join_pointer(at, key)));
}

macro_rules! never_unknown {
    ($($t:ty),*) => {$(
        impl Unknown for $t {
            fn collect_unknown(&self, _at: &str, _out: &mut Vec<String>) {}
        }
    )*};
}
never_unknown!(
    (),
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    String,
    bytes::Bytes,
    Number,
    Value,
    Map<String, Value>
);

impl<T: Unknown + ?Sized> Unknown for Box<T> {
    fn collect_unknown(&self, at: &str, out: &mut Vec<String>) {
        (**self).collect_unknown(at, out);
    }
}

impl<T: Unknown + ?Sized> Unknown for &T {
    fn collect_unknown(&self, at: &str, out: &mut Vec<String>) {
        (**self).collect_unknown(at, out);
    }
}

impl<T: Unknown> Unknown for Option<T> {
    fn collect_unknown(&self, at: &str, out: &mut Vec<String>) {
        if let Some(value) = self {
            value.collect_unknown(at, out);
        }
    }
}

impl<T: Unknown> Unknown for Vec<T> {
    fn collect_unknown(&self, at: &str, out: &mut Vec<String>) {
        for (index, item) in self.iter().enumerate() {
            item.collect_unknown(&join_pointer(at, &index.to_string()), out);
        }
    }
}

impl<T: Unknown> Unknown for BTreeMap<String, T> {
    fn collect_unknown(&self, at: &str, out: &mut Vec<String>) {
        for (key, value) in self {
            value.collect_unknown(&join_pointer(at, key), out);
        }
    }
}

impl Unknown for Message {
    fn collect_unknown(&self, at: &str, out: &mut Vec<String>) {
        self.source
            .collect_unknown(&join_pointer(at, "source"), out);
        self.error_chain
            .collect_unknown(&join_pointer(at, "error_chain"), out);
        extra_keys(&self.extra, at, out);
    }
}

impl Unknown for MessageSource {
    fn collect_unknown(&self, at: &str, out: &mut Vec<String>) {
        extra_keys(&self.extra, at, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(join_pointer("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(join_pointer("", "0"), "/0");
    }

    #[test]
    fn containers_report_the_paths_of_their_items() {
        let mut map = Map::new();
        map.insert("surprise".into(), Value::Bool(true));
        let message = Message {
            extra: map,
            ..Message::default()
        };
        let nested: BTreeMap<String, Vec<Option<Box<Message>>>> =
            BTreeMap::from([("k".to_string(), vec![None, Some(Box::new(message))])]);
        assert_eq!(nested.unknown_paths(), ["/k/1/surprise"]);
    }

    #[test]
    fn values_held_by_their_types_are_never_unknown() {
        let value: Value = serde_json::json!({"anything": [1, "two"]});
        assert!(value.unknown_paths().is_empty());
        assert!(Number::from(2.5).unknown_paths().is_empty());
        assert!("text".to_string().unknown_paths().is_empty());
        let message: Message =
            serde_json::from_value(serde_json::json!({"code": 7, "message": "m"})).unwrap();
        assert!(message.unknown_paths().is_empty());
    }
}
