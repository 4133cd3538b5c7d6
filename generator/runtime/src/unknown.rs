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
//! # How it works
//!
//! Generated types mark those places when they serialize: an `extra` map
//! with [`extra`], an `Unknown` variant with [`value`]. Both wrap what they
//! serialize in a newtype struct named [`MARK`], which every serializer but
//! this module's passes through unchanged (so JSON output is the same), and
//! which [`Unknown::unknown_paths`] serializes the value to find. That way
//! one implementation here serves every type: no generated code per type.

use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// The name of the newtype struct that marks a part the types did not hold.
pub const MARK: &str = "$apigen_runtime::unknown";

/// The `extra` field of every generated struct: the properties of an
/// object that the API description does not list, kept as JSON. Decoding
/// fills it and serializing sends it back, so nothing the server sends is
/// lost (a request type leaves out the properties its description marks
/// read-only). [`Unknown::unknown_paths`] lists what is in it.
pub type Extra = Map<String, Value>;

/// JSON pointers, as [`Unknown::unknown_paths`] returns them.
pub type Paths = Vec<String>;

/// A decoded value that can tell which of its parts its types did not hold.
///
/// Implemented for everything that serializes: generated types mark their
/// `extra` maps and `Unknown` variants (see the module documentation).
pub trait Unknown {
    /// The JSON pointers (from this value, `""` being the value itself) of
    /// the parts that went to an `extra` map or an `Unknown` variant, in
    /// serialization order; empty when the types held everything.
    fn unknown_paths(&self) -> Paths;
}

impl<T: Serialize + ?Sized> Unknown for T {
    fn unknown_paths(&self) -> Paths {
        let mut out = Vec::new();
        // The collector never fails by itself; a value whose `Serialize`
        // fails has reported what it reached before failing.
        let _ = self.serialize(Collector {
            at: String::new(),
            out: &mut out,
        });
        out
    }
}

/// `serialize_with` for a flattened `extra` map of raw JSON: each entry is
/// a property the description does not list.
pub fn extra<S: Serializer>(map: &Map<String, Value>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(map.iter().map(|(key, value)| (key, Marked(value))))
}

/// `serialize_with` for an `Unknown` variant: the value is serialized as it
/// is, marked as one the types did not hold.
pub fn value<T: Serialize + ?Sized, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(MARK, value)
}

/// A value serialized under [`MARK`].
pub(crate) struct Marked<T>(pub(crate) T);

impl<T: Serialize> Serialize for Marked<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(MARK, &self.0)
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

/// What a `Serialize` impl reported through `ser::Error::custom` (or a
/// serializer of this crate refused).
#[derive(Debug)]
pub(crate) struct Failed;

/// Serializer methods that refuse what they are given, with [`Failed`].
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ok, $crate::unknown::Failed> {
            Err($crate::unknown::Failed)
        }
    )*};
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("serialization failed")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Failed
    }
}

/// Walks a value as JSON would lay it out, recording the pointer of each
/// [`MARK`]ed part.
struct Collector<'a> {
    at: String,
    out: &'a mut Vec<String>,
}

impl<'a> Collector<'a> {
    fn below(&mut self, key: &str) -> Collector<'_> {
        Collector {
            at: join_pointer(&self.at, key),
            out: self.out,
        }
    }
}

/// The children of a sequence, map or struct being walked.
struct Children<'a> {
    at: String,
    out: &'a mut Vec<String>,
    /// The next index of a sequence; the last key of a map.
    index: usize,
    key: String,
}

impl<'a> Children<'a> {
    fn new(parent: Collector<'a>) -> Self {
        Children {
            at: parent.at,
            out: parent.out,
            index: 0,
            key: String::new(),
        }
    }

    fn visit<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Failed> {
        value.serialize(Collector {
            at: join_pointer(&self.at, key),
            out: self.out,
        })
    }

    fn next_item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        let index = self.index.to_string();
        self.index += 1;
        self.visit(&index, value)
    }
}

macro_rules! nothing_below {
    ($($method:ident($($arg:ty),*);)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<(), Failed> {
            Ok(())
        }
    )*};
}

impl<'a> Serializer for Collector<'a> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = Children<'a>;
    type SerializeTuple = Children<'a>;
    type SerializeTupleStruct = Children<'a>;
    type SerializeTupleVariant = Children<'a>;
    type SerializeMap = Children<'a>;
    type SerializeStruct = Children<'a>;
    type SerializeStructVariant = Children<'a>;

    nothing_below! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Failed> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        if name == MARK {
            self.out.push(self.at);
            Ok(())
        } else {
            value.serialize(self)
        }
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        value.serialize(self.below(variant))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Children<'a>, Failed> {
        Ok(Children::new(self))
    }

    fn serialize_tuple(self, _: usize) -> Result<Children<'a>, Failed> {
        Ok(Children::new(self))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Children<'a>, Failed> {
        Ok(Children::new(self))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Children<'a>, Failed> {
        let at = join_pointer(&self.at, variant);
        Ok(Children::new(Collector { at, out: self.out }))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Children<'a>, Failed> {
        Ok(Children::new(self))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Children<'a>, Failed> {
        Ok(Children::new(self))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Children<'a>, Failed> {
        self.serialize_tuple_variant(name, index, variant, len)
    }
}

/// The four kinds of sequence: each element is the next index.
macro_rules! items_by_index {
    ($($kind:ident :: $method:ident;)*) => {$(
        impl ser::$kind for Children<'_> {
            type Ok = ();
            type Error = Failed;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
                self.next_item(value)
            }
            fn end(self) -> Result<(), Failed> {
                Ok(())
            }
        }
    )*};
}

items_by_index! {
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
}

impl SerializeMap for Children<'_> {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failed> {
        self.key = key.serialize(KeyText)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        let key = std::mem::take(&mut self.key);
        self.visit(&key, value)
    }
    fn end(self) -> Result<(), Failed> {
        Ok(())
    }
}

/// Structs and struct variants: each field under its name.
macro_rules! fields_by_name {
    ($($kind:ident;)*) => {$(
        impl ser::$kind for Children<'_> {
            type Ok = ();
            type Error = Failed;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Failed> {
                self.visit(key, value)
            }
            fn end(self) -> Result<(), Failed> {
                Ok(())
            }
        }
    )*};
}

fields_by_name! {
    SerializeStruct;
    SerializeStructVariant;
}

/// The text of a map key, as JSON writes it.
struct KeyText;

macro_rules! key_as_text {
    ($($method:ident($t:ty);)*) => {$(
        fn $method(self, value: $t) -> Result<String, Failed> {
            Ok(value.to_string())
        }
    )*};
}

/// The type every compound serializer of [`KeyText`] refuses with.
type Refused = Impossible<String, Failed>;

impl Serializer for KeyText {
    type Ok = String;
    type Error = Failed;
    type SerializeSeq = Refused;
    type SerializeTuple = Refused;
    type SerializeTupleStruct = Refused;
    type SerializeTupleVariant = Refused;
    type SerializeMap = Refused;
    type SerializeStruct = Refused;
    type SerializeStructVariant = Refused;

    key_as_text! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Failed> {
        Ok(variant.to_string())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Failed> {
        value.serialize(self)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Failed> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Failed> {
        Err(Failed)
    }

    refuse! {
        serialize_bytes(&[u8]) -> String;
        serialize_none() -> String;
        serialize_unit() -> String;
        serialize_unit_struct(&'static str) -> String;
        serialize_seq(Option<usize>) -> Refused;
        serialize_tuple(usize) -> Refused;
        serialize_tuple_struct(&'static str, usize) -> Refused;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Refused;
        serialize_map(Option<usize>) -> Refused;
        serialize_struct(&'static str, usize) -> Refused;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Refused;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    #[derive(serde::Serialize)]
    struct Thing {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        kind: Option<Kind>,
        #[serde(flatten, serialize_with = "extra")]
        extra: Map<String, Value>,
    }

    #[derive(serde::Serialize)]
    enum Kind {
        #[serde(rename = "a")]
        A,
        #[serde(untagged, serialize_with = "value")]
        Unknown(String),
    }

    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum Either {
        Thing(Box<Thing>),
        #[serde(serialize_with = "value")]
        Unknown(Value),
    }

    fn thing(kind: Kind, extra: Value) -> Thing {
        let Value::Object(extra) = extra else {
            unreachable!("an object")
        };
        Thing {
            name: "n".into(),
            kind: Some(kind),
            extra,
        }
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(join_pointer("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(join_pointer("", "0"), "/0");
    }

    #[test]
    fn marks_leave_the_json_unchanged() {
        let value = vec![
            Either::Thing(Box::new(thing(
                Kind::Unknown("z".into()),
                json!({"x/y": 1}),
            ))),
            Either::Unknown(json!([1, 2])),
        ];
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            json!([{"name": "n", "kind": "z", "x/y": 1}, [1, 2]])
        );
    }

    #[test]
    fn every_marked_part_is_reported_with_its_pointer() {
        let value = BTreeMap::from([(
            "k".to_string(),
            vec![
                Either::Thing(Box::new(thing(Kind::A, json!({})))),
                Either::Thing(Box::new(thing(
                    Kind::Unknown("z".into()),
                    json!({"x/y": 1}),
                ))),
                Either::Unknown(json!({"anything": true})),
            ],
        )]);
        assert_eq!(
            value.unknown_paths(),
            ["/k/1/kind", "/k/1/x~1y", "/k/2"],
            "the unknown enum value, the extra key and the union no branch took"
        );
    }

    #[test]
    fn values_held_by_their_types_are_never_unknown() {
        let value: Value = json!({"anything": [1, "two"]});
        assert!(value.unknown_paths().is_empty());
        assert!(2.5.unknown_paths().is_empty());
        assert!("text".to_string().unknown_paths().is_empty());
        let thing = thing(Kind::A, json!({}));
        assert!(thing.unknown_paths().is_empty());
    }
}
