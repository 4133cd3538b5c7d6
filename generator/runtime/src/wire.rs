//! A generated type's `Deserialize` (and a string enum's wire text and
//! `Serialize`), written once here instead of derived for each type: a
//! crate of a large API has hundreds of string enums and objects, and
//! serde's derive of each is several times the code these macros give.
//!
//! - [`string_enum!`](crate::string_enum): a string enum with a catch-all
//!   variant (serde's derive of an untagged catch-all buffers every value
//!   and tries the variants twice).
//! - [`object!`](crate::object): an object with an `extra` map of what
//!   it does not list (serde's derive of a flattened field adds a visitor
//!   of every kind of key and buffers unknown entries).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap};
use serde_json::{Map, Value};

use crate::unknown::Marked;

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

/// Gives a generated struct `Deserialize` from a JSON object, and
/// `Serialize` where the predicate after `serialize` holds: each listed
/// field by its wire name (`field = "wire"`), and every other entry kept
/// in the struct's `extra` map, so nothing the server sends is lost. As
/// with serde's derive, a missing `Option` field is read as `None`, any
/// other missing field or a repeated one is an error naming it; a field
/// marked `#[optional]` is left out when `None`, and the entries of a raw
/// JSON `extra` map are marked as values the types did not hold (see
/// [`unknown`](crate::unknown)).
///
/// ```
/// use serde_json::{json, Map, Value};
///
/// #[derive(Debug, PartialEq)]
/// pub struct Customer {
///     pub id: String,
///     pub r#type: Option<String>,
///     pub email: Option<String>,
///     pub extra: Map<String, Value>,
/// }
///
/// apigen_runtime::object!(Customer {
///     id = "id",
///     r#type = "type",
///     #[optional] email = "email",
/// } serialize(all()));
///
/// let read: Customer = serde_json::from_value(json!({"id": "cus_1", "tier": 2})).unwrap();
/// assert_eq!(read.id, "cus_1");
/// assert_eq!(read.r#type, None);
/// assert_eq!(read.extra["tier"], 2);
/// assert_eq!(
///     serde_json::to_value(&read).unwrap(),
///     json!({"id": "cus_1", "type": null, "tier": 2})
/// );
/// let error = serde_json::from_value::<Customer>(json!({"type": "x"})).unwrap_err();
/// assert_eq!(error.to_string(), "missing field `id`");
/// ```
#[macro_export]
macro_rules! object {
    (
        $name:ident {
            $($(#[$optional:ident])? $field:ident = $wire:literal),* $(,)?
        } serialize($($serialize:tt)*)
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::std::result::Result<Self, __D::Error> {
                struct __Visitor;

                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(
                        &self,
                        formatter: &mut ::std::fmt::Formatter<'_>,
                    ) -> ::std::fmt::Result {
                        formatter.write_str(::std::concat!("struct ", ::std::stringify!($name)))
                    }

                    #[allow(deprecated)]
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::std::result::Result<$name, __A::Error> {
                        $(let mut $field = ::std::option::Option::None;)*
                        let mut extra = ::std::default::Default::default();
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<$crate::wire::Key<'de>>()?
                        {
                            match key.as_str() {
                                $($wire => $crate::wire::field(&mut map, &mut $field, $wire)?,)*
                                _ => $crate::wire::extra(&mut map, &mut extra, key)?,
                            }
                        }
                        ::std::result::Result::Ok($name {
                            $($field: $crate::wire::take::<__A::Error, _>($field, $wire)?,)*
                            extra,
                        })
                    }
                }

                deserializer.deserialize_map(__Visitor)
            }
        }

        #[cfg($($serialize)*)]
        impl ::serde::Serialize for $name {
            #[allow(deprecated)]
            fn serialize<__S: ::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::std::result::Result<__S::Ok, __S::Error> {
                let mut map = ::serde::Serializer::serialize_map(serializer, None)?;
                $($crate::wire::entry!(map, $wire, &self.$field $(, $optional)?);)*
                $crate::wire::write_extra(&mut map, &self.extra)?;
                ::serde::ser::SerializeMap::end(map)
            }
        }
    };
}

/// One entry of [`object!`](crate::object)'s `Serialize`: a field always
/// written, or one `#[optional]`, left out when `None`.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_entry {
    ($map:ident, $wire:literal, $value:expr) => {
        ::serde::ser::SerializeMap::serialize_entry(&mut $map, $wire, $value)?
    };
    ($map:ident, $wire:literal, $value:expr, optional) => {
        if let ::std::option::Option::Some(value) = $value {
            ::serde::ser::SerializeMap::serialize_entry(&mut $map, $wire, value)?
        }
    };
}

#[doc(hidden)]
pub use crate::__object_entry as entry;

/// An object's key, borrowed from the input when it can be ([`object!`](crate::object)).
#[doc(hidden)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The visitor of [`Key`]: a string, or UTF-8 bytes.
struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Key<'de>, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(key), &self)),
        }
    }
}

/// Reads the value of a listed field into its slot; a second value for
/// it is an error, as with serde's derive.
#[doc(hidden)]
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(<A::Error as de::Error>::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a listed field: the one read, or for a field not sent
/// what its type makes of nothing (`None` for an `Option`, otherwise the
/// error `missing field`, as with serde's derive).
#[doc(hidden)]
pub fn take<'de, E: de::Error, T: Deserialize<'de>>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// The deserializer of a field not sent: `None` to an `Option`, the error
/// `missing field` to anything else.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Reads the value of an entry the struct does not list into its `extra`
/// map.
#[doc(hidden)]
pub fn extra<'de, A: MapAccess<'de>, M: ExtraMap>(
    map: &mut A,
    extra: &mut M,
    key: Key<'de>,
) -> Result<(), A::Error>
where
    M::Value: Deserialize<'de>,
{
    let value = map.next_value()?;
    extra.put(key.0.into_owned(), value);
    Ok(())
}

/// Writes the entries of a struct's `extra` map into its object; raw
/// JSON is marked as what the types did not hold.
#[doc(hidden)]
pub fn write_extra<M: SerializeMap, X: ExtraMap>(map: &mut M, extra: &X) -> Result<(), M::Error>
where
    X::Value: Serialize,
{
    extra.entries().try_for_each(|(key, value)| {
        if X::RAW {
            map.serialize_entry(key, &Marked(value))
        } else {
            map.serialize_entry(key, value)
        }
    })
}

/// A struct's `extra` map: raw JSON values, or values of one type.
#[doc(hidden)]
pub trait ExtraMap {
    /// The type of its values.
    type Value;
    /// Whether it holds raw JSON.
    const RAW: bool;

    /// Keeps `value` under `key`.
    fn put(&mut self, key: String, value: Self::Value);

    /// Its entries, in order.
    fn entries(&self) -> impl Iterator<Item = (&String, &Self::Value)>;
}

impl ExtraMap for Map<String, Value> {
    type Value = Value;
    const RAW: bool = true;

    fn put(&mut self, key: String, value: Value) {
        self.insert(key, value);
    }

    fn entries(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.iter()
    }
}

impl<T> ExtraMap for BTreeMap<String, T> {
    type Value = T;
    const RAW: bool = false;

    fn put(&mut self, key: String, value: T) {
        self.insert(key, value);
    }

    fn entries(&self) -> impl Iterator<Item = (&String, &T)> {
        self.iter()
    }
}
