//! [`ResultInfo`]: the envelope's pagination information.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::lenient;

/// The envelope's `result_info`: page numbers, counts and cursors.
///
/// Decoding never fails: numbers may arrive as integers, integral floats or
/// numeric strings; fields of an unexpected type stay in
/// [`extra`](ResultInfo::extra).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ResultInfo {
    /// The page number of this response (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// The page size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
    /// The number of items in this page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// The number of items in all pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The number of pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<u64>,
    /// The cursor of the next page (cursor-paginated endpoints).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Cursors before and after this page (cursor-paginated endpoints).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursors>,
    /// Any other fields, and known fields whose value had an unexpected type.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `cursors` object of a [`ResultInfo`].
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Cursors {
    /// The cursor of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The cursor of the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Any other fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ResultInfo {
    /// Builds a `ResultInfo` from any JSON value, never failing (a
    /// non-object gives an empty one with the value under `extra["value"]`).
    pub fn from_value(value: Value) -> ResultInfo {
        let mut map = match value {
            Value::Object(map) => map,
            Value::Null => return ResultInfo::default(),
            other => {
                let mut extra = Map::new();
                extra.insert("value".to_owned(), other);
                return ResultInfo {
                    extra,
                    ..ResultInfo::default()
                };
            }
        };
        let page = lenient::take_field(&mut map, "page", lenient::uint);
        let per_page = lenient::take_field(&mut map, "per_page", lenient::uint);
        let count = lenient::take_field(&mut map, "count", lenient::uint);
        let total_count = lenient::take_field(&mut map, "total_count", lenient::uint);
        let total_pages = lenient::take_field(&mut map, "total_pages", lenient::uint);
        let cursor = lenient::take_field(&mut map, "cursor", lenient::string);
        let cursors = lenient::take_field(&mut map, "cursors", |value| match value {
            Value::Object(cursors) => Some(Cursors::from_map(cursors.clone())),
            _ => None,
        });
        ResultInfo {
            page,
            per_page,
            count,
            total_count,
            total_pages,
            cursor,
            cursors,
            extra: map,
        }
    }

    /// The cursor of the next page: `cursors.after`, else `cursor`; empty
    /// strings count as absent.
    pub fn next_cursor(&self) -> Option<&str> {
        self.cursors
            .as_ref()
            .and_then(|cursors| cursors.after.as_deref())
            .filter(|cursor| !cursor.is_empty())
            .or_else(|| self.cursor.as_deref().filter(|cursor| !cursor.is_empty()))
    }

    /// Whether this carries any page-number information (`page`,
    /// `per_page` or `total_pages`).
    pub fn has_page_numbers(&self) -> bool {
        self.page.is_some() || self.per_page.is_some() || self.total_pages.is_some()
    }
}

impl Cursors {
    /// Reads a `cursors` object, keeping odd fields in `extra`.
    fn from_map(mut map: Map<String, Value>) -> Cursors {
        let before = lenient::take_field(&mut map, "before", lenient::string);
        let after = lenient::take_field(&mut map, "after", lenient::string);
        Cursors {
            before,
            after,
            extra: map,
        }
    }
}

impl<'de> Deserialize<'de> for ResultInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(ResultInfo::from_value)
    }
}

impl<'de> Deserialize<'de> for Cursors {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Object(map) => Cursors::from_map(map),
            Value::Null => Cursors::default(),
            other => {
                let mut extra = Map::new();
                extra.insert("value".to_owned(), other);
                Cursors {
                    before: None,
                    after: None,
                    extra,
                }
            }
        })
    }
}
