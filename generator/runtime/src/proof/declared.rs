//! The decoded value's declared parts, compared with the example: what the
//! generated types hold in their own fields and variants, serialized again
//! without what went to an `extra` map or an `Unknown` variant, must be the
//! example (less what the description does not declare) key for key and
//! value for value.
//!
//! This does not go through [`Unknown::unknown_paths`](crate::Unknown): a
//! serializer of its own replaces each part marked [`MARK`] with a
//! placeholder, so a misnamed optional property (its value in `extra`, the
//! field empty) or a wrong enum wire value (in `Unknown`) differs from the
//! example even when `unknown_paths` reports nothing.

use serde::ser::{self, Serialize, Serializer};
use serde_json::Value;

use super::{same, Problem};
use crate::unknown::MARK;

/// What a marked part serializes as here.
const NOT_HELD: &str = "\u{0}apigen-runtime: not held by the types";

/// The problems (class `declared-not-held`) where `value`'s declared parts
/// differ from `example`, ignoring the example's parts at (or below) the
/// `undeclared` pointers; `at` prefixes the pointers reported.
pub fn declared_problems<T: Serialize>(
    value: &T,
    example: &Value,
    at: &str,
    undeclared: &[&str],
) -> Vec<Problem> {
    let held = match value.serialize(Declared(serde_json::value::Serializer)) {
        Ok(held) => strip(held),
        Err(e) => return vec![Problem::new("encode", at, e.to_string())],
    };
    let mut out = Vec::new();
    compare(&held, example, at, undeclared, &mut out);
    out
}

/// Object entries whose value is the placeholder removed (an `extra` map's).
fn strip(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| v.as_str() != Some(NOT_HELD))
                .map(|(k, v)| (k, strip(v)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.into_iter().map(strip).collect()),
        other => other,
    }
}

fn covered(pointer: &str, undeclared: &[&str]) -> bool {
    undeclared.iter().any(|u| {
        pointer == *u
            || pointer
                .strip_prefix(u)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

fn compare(held: &Value, example: &Value, at: &str, undeclared: &[&str], out: &mut Vec<Problem>) {
    if covered(at, undeclared) {
        return;
    }
    let problem = |detail: String| Problem::new("declared-not-held", at, detail);
    match (held, example) {
        (Value::Object(held), Value::Object(example)) => {
            for (key, item) in example {
                let pointer = crate::join_pointer(at, key);
                match held.get(key) {
                    Some(value) => compare(value, item, &pointer, undeclared, out),
                    // A type only received reads `null` as `None` and does
                    // not send it back (see `super::same`).
                    None if item.is_null() || covered(&pointer, undeclared) => {}
                    None => out.push(Problem::new(
                        "declared-not-held",
                        pointer,
                        format!("the example's `{key}` is in no field of the types"),
                    )),
                }
            }
            let missing = |(k, v): &(&String, &Value)| !v.is_null() && !example.contains_key(*k);
            for (key, _) in held.iter().filter(missing) {
                out.push(Problem::new(
                    "declared-not-held",
                    crate::join_pointer(at, key),
                    format!("the types hold a `{key}` the example does not have"),
                ));
            }
        }
        (Value::Array(held), Value::Array(example)) if held.len() == example.len() => {
            for (index, (h, e)) in held.iter().zip(example).enumerate() {
                compare(
                    h,
                    e,
                    &crate::join_pointer(at, &index.to_string()),
                    undeclared,
                    out,
                );
            }
        }
        (Value::String(text), _) if text == NOT_HELD => out.push(problem(format!(
            "the types did not hold the example's {example}"
        ))),
        (held, example) if !same(held, example) => out.push(problem(format!(
            "the types hold {held}, the example has {example}"
        ))),
        _ => {}
    }
}

/// A serializer that passes everything to `S` but a part marked [`MARK`],
/// which it serializes as [`NOT_HELD`].
struct Declared<S>(S);

/// A value serialized through [`Declared`].
struct Wrap<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Wrap<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Declared(serializer))
    }
}

/// Methods passed through unchanged.
macro_rules! pass {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.0.$method($($arg),*)
        }
    )*};
}

impl<S: Serializer> Serializer for Declared<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Declared<S::SerializeSeq>;
    type SerializeTuple = Declared<S::SerializeTuple>;
    type SerializeTupleStruct = Declared<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Declared<S::SerializeTupleVariant>;
    type SerializeMap = Declared<S::SerializeMap>;
    type SerializeStruct = Declared<S::SerializeStruct>;
    type SerializeStructVariant = Declared<S::SerializeStructVariant>;

    pass! {
        serialize_bool(v: bool); serialize_i8(v: i8); serialize_i16(v: i16);
        serialize_i32(v: i32); serialize_i64(v: i64); serialize_i128(v: i128);
        serialize_u8(v: u8); serialize_u16(v: u16); serialize_u32(v: u32);
        serialize_u64(v: u64); serialize_u128(v: u128); serialize_f32(v: f32);
        serialize_f64(v: f64); serialize_char(v: char); serialize_str(v: &str);
        serialize_bytes(v: &[u8]); serialize_none(); serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Wrap(value))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        if name == MARK {
            return self.0.serialize_str(NOT_HELD);
        }
        self.0.serialize_newtype_struct(name, &Wrap(value))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, &Wrap(value))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Declared)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(Declared)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(Declared)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.0
            .serialize_tuple_variant(name, index, variant, len)
            .map(Declared)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        self.0.serialize_map(len).map(Declared)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(Declared)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.0
            .serialize_struct_variant(name, index, variant, len)
            .map(Declared)
    }
}

/// The compound serializers: each element through [`Wrap`].
macro_rules! compound {
    ($($trait:ident::$method:ident;)*) => {$(
        impl<S: ser::$trait> ser::$trait for Declared<S> {
            type Ok = S::Ok;
            type Error = S::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
                self.0.$method(&Wrap(value))
            }
            fn end(self) -> Result<S::Ok, S::Error> {
                self.0.end()
            }
        }
    )*};
}

compound! {
    SerializeSeq::serialize_element;
    SerializeTuple::serialize_element;
    SerializeTupleStruct::serialize_field;
    SerializeTupleVariant::serialize_field;
}

/// The keyed compound serializers: each value through [`Wrap`].
macro_rules! keyed {
    ($($trait:ident;)*) => {$(
        impl<S: ser::$trait> ser::$trait for Declared<S> {
            type Ok = S::Ok;
            type Error = S::Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), S::Error> {
                self.0.serialize_field(key, &Wrap(value))
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
                self.0.skip_field(key)
            }
            fn end(self) -> Result<S::Ok, S::Error> {
                self.0.end()
            }
        }
    )*};
}

keyed! {
    SerializeStruct;
    SerializeStructVariant;
}

impl<S: ser::SerializeMap> ser::SerializeMap for Declared<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), S::Error> {
        self.0.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_value(&Wrap(value))
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}
