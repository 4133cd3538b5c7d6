//! A serde `with` module for `Option<Option<T>>` fields, telling "absent"
//! apart from "explicitly `null`" (as PATCH bodies need):
//!
//! | JSON            | Rust             |
//! |-----------------|------------------|
//! | field absent    | `None`           |
//! | `null`          | `Some(None)`     |
//! | a value         | `Some(Some(v))`  |
//!
//! Use it with `default` (so an absent field is `None`) and
//! `skip_serializing_if` (so `None` is left out):
//!
//! ```
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Patch {
//!     #[serde(
//!         default,
//!         skip_serializing_if = "Option::is_none",
//!         with = "::apigen_runtime::double_option"
//!     )]
//!     comment: Option<Option<String>>,
//! }
//!
//! let clear = Patch { comment: Some(None) };
//! assert_eq!(serde_json::to_string(&clear).unwrap(), r#"{"comment":null}"#);
//! let absent: Patch = serde_json::from_str("{}").unwrap();
//! assert_eq!(absent.comment, None);
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Serializes `Some(Some(v))` as `v` and `Some(None)` as `null`. `None`
/// also gives `null`, but with `skip_serializing_if = "Option::is_none"`
/// the field is left out instead.
pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: Serializer,
{
    match value {
        Some(Some(inner)) => inner.serialize(serializer),
        Some(None) | None => serializer.serialize_none(),
    }
}

/// Deserializes `null` as `Some(None)` and a value as `Some(Some(v))`; an
/// absent field never gets here and takes the `default`, `None`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
