//! [`string_enum!`](crate::string_enum): a generated string enum's wire
//! text, `Serialize` and `Deserialize`, written once here instead of
//! derived for each enum (serde's derive of an enum with an untagged
//! catch-all variant buffers every value and tries the variants twice; a
//! crate of a large API has hundreds of such enums).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Gives a generated string enum `as_str`, `Serialize` and `Deserialize`:
/// each known variant is its wire text, and the catch-all variant (named
/// first, holding a `String`) keeps any other text, so nothing the server
/// sends is lost. `Serialize` marks the catch-all as a value the types did
/// not hold (see [`unknown`](crate::unknown)).
///
/// ```
/// #[derive(Clone, Debug, PartialEq)]
/// pub enum Status {
///     Active,
///     PastDue,
///     Unknown(String),
/// }
///
/// apigen_runtime::string_enum!(Status, Unknown {
///     Active = "active",
///     PastDue = "past_due",
/// });
///
/// let status: Status = serde_json::from_str(r#""past_due""#).unwrap();
/// assert_eq!(status, Status::PastDue);
/// assert_eq!(status.as_str(), "past_due");
/// let other: Status = serde_json::from_str(r#""paused""#).unwrap();
/// assert_eq!(other, Status::Unknown("paused".into()));
/// assert_eq!(serde_json::to_string(&other).unwrap(), r#""paused""#);
/// ```
#[macro_export]
macro_rules! string_enum {
    ($name:ident, $unknown:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::$unknown(value) => value,
                }
            }

            fn from_wire(text: &str) -> Self {
                match text {
                    $($wire => Self::$variant,)*
                    other => Self::$unknown(other.to_owned()),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    Self::$unknown(value) => $crate::unknown::value(value, serializer),
                    known => serializer.serialize_str(known.as_str()),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::wire::text(deserializer, Self::from_wire)
            }
        }
    };
}

/// Reads a string and gives what `read` makes of it (a string enum's
/// `Deserialize`, through [`string_enum!`](crate::string_enum)).
#[doc(hidden)]
pub fn text<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    read: fn(&str) -> T,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(Text(read))
}

/// The visitor of [`text`]: any string, borrowed or owned.
struct Text<T>(fn(&str) -> T);

impl<T> Visitor<'_> for Text<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        Ok((self.0)(text))
    }
}
