//! [`Message`]: one entry of an envelope's `errors` or `messages` list.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::code::ErrorCode;
use crate::lenient;

/// An entry of the envelope's `errors` or `messages` array, e.g.
/// `{"code": 81057, "message": "Record already exists."}`, or the one error
/// of another API's error body (Stripe's `{"error": {"code": "card_declined",
/// "message": .., "type": .., "decline_code": .., "param": ..}}`, whose other
/// fields stay in [`extra`](Message::extra)).
///
/// Decoding never fails: a plain string becomes the `message`, fields of an
/// unexpected type are kept in [`extra`](Message::extra).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Message {
    /// The code: a number (Cloudflare's go past 65,535, e.g. 81057; read
    /// from integers, integral floats and numeric strings) or any other
    /// string (Stripe's `card_declined`). A code of another type (`true`,
    /// `2.5`) stays in [`extra`](Message::extra).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<ErrorCode>,
    /// The human-readable text (empty when absent; the JSON text of a
    /// non-string value).
    pub message: String,
    /// A link to documentation about this message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// What part of the request the message is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<MessageSource>,
    /// Underlying messages that caused this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_chain: Vec<Message>,
    /// Any other fields, and known fields whose value had an unexpected type.
    #[serde(flatten, serialize_with = "crate::unknown::extra")]
    pub extra: Map<String, Value>,
}

/// The `source` of a [`Message`]: where in the request the problem is.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MessageSource {
    /// A JSON pointer into the request body (e.g. `/name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Any other fields.
    #[serde(flatten, serialize_with = "crate::unknown::extra")]
    pub extra: Map<String, Value>,
}

impl Message {
    /// Builds a message from any JSON value, never failing: objects are read
    /// field by field, a string becomes the text, anything else becomes its
    /// JSON text.
    pub fn from_value(value: Value) -> Message {
        match value {
            Value::Object(mut map) => {
                let code = lenient::take_field(&mut map, "code", ErrorCode::from_json);
                let message = match map.remove("message") {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(text)) => text,
                    Some(other) => other.to_string(),
                };
                let documentation_url =
                    lenient::take_field(&mut map, "documentation_url", |value| {
                        value.as_str().map(str::to_owned)
                    });
                let source = match map.remove("source") {
                    None | Some(Value::Null) => None,
                    Some(Value::Object(source)) => Some(MessageSource::from_map(source)),
                    Some(other) => {
                        map.insert("source".to_owned(), other);
                        None
                    }
                };
                let error_chain = match map.remove("error_chain") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(value @ Value::Array(_)) => messages_from_value(value),
                    Some(other) => {
                        map.insert("error_chain".to_owned(), other);
                        Vec::new()
                    }
                };
                Message {
                    code,
                    message,
                    documentation_url,
                    source,
                    error_chain,
                    extra: map,
                }
            }
            Value::String(text) => Message {
                message: text,
                ..Message::default()
            },
            Value::Null => Message::default(),
            other => Message {
                message: other.to_string(),
                ..Message::default()
            },
        }
    }
}

impl MessageSource {
    /// Reads a `source` object, keeping unknown or odd fields in `extra`.
    fn from_map(mut map: Map<String, Value>) -> MessageSource {
        let pointer = lenient::take_field(&mut map, "pointer", |value| {
            value.as_str().map(str::to_owned)
        });
        MessageSource {
            pointer,
            extra: map,
        }
    }
}

/// Reads an `errors`/`messages` list leniently: an array gives one message
/// per entry, `null` gives none, a single object or string gives one.
pub(crate) fn messages_from_value(value: Value) -> Vec<Message> {
    match value {
        Value::Null => Vec::new(),
        Value::Array(items) => items.into_iter().map(Message::from_value).collect(),
        other => vec![Message::from_value(other)],
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Message::from_value)
    }
}

impl<'de> Deserialize<'de> for MessageSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Object(map) => MessageSource::from_map(map),
            Value::Null => MessageSource::default(),
            other => {
                let mut extra = Map::new();
                extra.insert("value".to_owned(), other);
                MessageSource {
                    pointer: None,
                    extra,
                }
            }
        })
    }
}

impl fmt::Display for Message {
    /// `[code] message`, then any error chain in parentheses.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) if self.message.is_empty() => write!(f, "[{code}]")?,
            Some(code) => write!(f, "[{code}] {}", self.message)?,
            None if self.message.is_empty() => f.write_str("(no message)")?,
            None => f.write_str(&self.message)?,
        }
        if let Some(pointer) = self.source.as_ref().and_then(|s| s.pointer.as_deref()) {
            write!(f, " (at {pointer})")?;
        }
        if !self.error_chain.is_empty() {
            f.write_str(" (caused by: ")?;
            for (i, cause) in self.error_chain.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(f, "{cause}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::Message;
    use crate::unknown::Unknown;

    #[test]
    fn extra_maps_are_marked_for_unknown() {
        let message: Message = serde_json::from_value(json!({
            "code": 7, "message": "m", "surprise": true,
            "source": {"pointer": "/a", "also": 1},
        }))
        .unwrap();
        let nested = BTreeMap::from([("k".to_string(), vec![None, Some(Box::new(message))])]);
        assert_eq!(
            nested.unknown_paths(),
            ["/k/1/source/also", "/k/1/surprise"]
        );
        let known: Message = serde_json::from_value(json!({"code": 7, "message": "m"})).unwrap();
        assert!(known.unknown_paths().is_empty());
    }
}
