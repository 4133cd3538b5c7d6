//! [`ErrorCode`]: the code of an API error, a number (Cloudflare's `81057`)
//! or a string (Stripe's `"card_declined"`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::lenient;

/// The code of an error or message: an integer (Cloudflare's `81057`) or a
/// string (Stripe's `"card_declined"`).
///
/// Compares with either directly (`code == 81057`, `code == "card_declined"`),
/// and converts from either, so [`ApiError::has_code`](crate::ApiError::has_code)
/// takes both. Decoding is lenient, as for the rest of a [`Message`](crate::Message):
/// an integer, an integral float (`2.0`) or a numeric string (`"81057"`)
/// is an [`Int`](ErrorCode::Int); any other string is [`Text`](ErrorCode::Text).
/// It serializes as the integer or the string.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    /// A numeric code (Cloudflare's go past 65,535).
    Int(i64),
    /// A textual code.
    Text(String),
}

impl ErrorCode {
    /// The code as an integer, if it is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            ErrorCode::Int(code) => Some(*code),
            ErrorCode::Text(_) => None,
        }
    }

    /// The code as a string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ErrorCode::Int(_) => None,
            ErrorCode::Text(code) => Some(code),
        }
    }

    /// Reads a code from JSON: a whole number (or numeric string) is
    /// [`Int`](ErrorCode::Int), any other string [`Text`](ErrorCode::Text);
    /// `None` for anything else (a fractional number, a boolean, ...).
    pub(crate) fn from_json(value: &Value) -> Option<ErrorCode> {
        match (lenient::int(value), value) {
            (Some(code), _) => Some(ErrorCode::Int(code)),
            (None, Value::String(text)) => Some(ErrorCode::Text(text.clone())),
            (None, _) => None,
        }
    }
}

impl From<i64> for ErrorCode {
    fn from(code: i64) -> Self {
        ErrorCode::Int(code)
    }
}

impl From<i32> for ErrorCode {
    fn from(code: i32) -> Self {
        ErrorCode::Int(code.into())
    }
}

impl From<u32> for ErrorCode {
    fn from(code: u32) -> Self {
        ErrorCode::Int(code.into())
    }
}

impl From<&str> for ErrorCode {
    fn from(code: &str) -> Self {
        ErrorCode::Text(code.to_owned())
    }
}

impl From<String> for ErrorCode {
    fn from(code: String) -> Self {
        ErrorCode::Text(code)
    }
}

impl From<&ErrorCode> for ErrorCode {
    fn from(code: &ErrorCode) -> Self {
        code.clone()
    }
}

impl PartialEq<i64> for ErrorCode {
    fn eq(&self, other: &i64) -> bool {
        self.as_int() == Some(*other)
    }
}

impl PartialEq<i32> for ErrorCode {
    fn eq(&self, other: &i32) -> bool {
        self.as_int() == Some(i64::from(*other))
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<String> for ErrorCode {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl fmt::Display for ErrorCode {
    /// The number, or the string as it is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Int(code) => write!(f, "{code}"),
            ErrorCode::Text(code) => f.write_str(code),
        }
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ErrorCode::Int(code) => serializer.serialize_i64(*code),
            ErrorCode::Text(code) => serializer.serialize_str(code),
        }
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        ErrorCode::from_json(&value).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "an error code must be an integer or a string, not `{value}`"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::ErrorCode;

    #[test]
    fn decodes_numbers_and_strings() {
        let decode = |value| serde_json::from_value::<ErrorCode>(value).ok();
        assert_eq!(decode(json!(81057)), Some(ErrorCode::Int(81057)));
        assert_eq!(decode(json!(2.0)), Some(ErrorCode::Int(2)));
        assert_eq!(decode(json!("81057")), Some(ErrorCode::Int(81057)));
        assert_eq!(
            decode(json!("card_declined")),
            Some(ErrorCode::Text("card_declined".to_owned()))
        );
        assert_eq!(decode(json!("")), Some(ErrorCode::Text(String::new())));
        assert_eq!(decode(json!(2.5)), None);
        assert_eq!(decode(json!(true)), None);
        assert_eq!(decode(json!(null)), None);
    }

    #[test]
    fn encodes_as_it_decodes() {
        assert_eq!(serde_json::to_value(ErrorCode::Int(7)).ok(), Some(json!(7)));
        assert_eq!(
            serde_json::to_value(ErrorCode::from("x")).ok(),
            Some(json!("x"))
        );
    }

    #[test]
    fn compares_with_numbers_and_strings() {
        let int = ErrorCode::from(81057);
        let text = ErrorCode::from("card_declined");
        assert!(int == 81057);
        assert!(int == 81057_i64);
        assert!(int != "81057");
        assert!(text == "card_declined");
        assert!(text == *"card_declined");
        let owned = String::from("card_declined");
        assert!(text == owned);
        assert!(text != 0);
        assert_eq!(int.to_string(), "81057");
        assert_eq!(text.to_string(), "card_declined");
        assert_eq!(
            ErrorCode::from(3_000_000_000_i64).as_int(),
            Some(3_000_000_000)
        );
        assert_eq!(ErrorCode::from(7_u32), ErrorCode::Int(7));
        assert_eq!(text.as_str(), Some("card_declined"));
        assert_eq!(int.as_str(), None);
    }
}
