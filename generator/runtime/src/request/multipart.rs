//! `multipart/form-data` bodies (RFC 7578) from a typed value, by the
//! rules of OpenAPI's `encoding` object: each property of the object is
//! one part named after it, or one part per item for an array.
//!
//! A part's `Content-Type` is the one `encoding.<property>.contentType`
//! declares, else the default for the value's type:
//!
//! | value | part |
//! |---|---|
//! | string, number, boolean | its text, no `Content-Type` (RFC 7578: `text/plain`) |
//! | bytes (`format: binary`, [`Bytes`](crate::Bytes)) | a file part (`filename` = the name), `application/octet-stream` |
//! | object, union, array inside an array | its JSON, `application/json` |
//! | array | one part per item, each by the rules above |
//! | `null`, absent | no part |
//!
//! The value is taken apart with a small serde serializer, so bytes stay
//! bytes (`serialize_bytes`) and everything nested is serde_json's JSON.
//! The body is encoded into bytes here (rather than as a streamed
//! `reqwest` form), so a call with a typed multipart body can be retried.

use std::fmt;

use serde::ser::{self, Serialize, SerializeMap as _, Serializer};

/// One part of the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    /// The `name` of its `Content-Disposition`.
    pub(crate) name: String,
    /// Its file name, for bytes.
    pub(crate) filename: Option<String>,
    /// Its `Content-Type`, when it has one.
    pub(crate) content_type: Option<String>,
    /// Its content.
    pub(crate) data: Vec<u8>,
}

/// A property's value, taken apart.
#[derive(Debug, PartialEq)]
enum Value {
    /// `null` or absent: no part.
    Absent,
    /// A string, number or boolean.
    Text(String),
    /// Bytes: a file.
    Binary(Vec<u8>),
    /// An object, a union, or an array inside an array: its JSON.
    Json(Vec<u8>),
    /// An array: one part per item.
    List(Vec<Value>),
}

/// Takes `body`, which must serialize to an object (a struct or a map),
/// apart into parts; `content_types` gives the `Content-Type` of the
/// properties the description's `encoding` names.
pub(crate) fn parts<B: Serialize + ?Sized>(
    body: &B,
    content_types: &[(&str, &str)],
) -> Result<Vec<Part>, String> {
    let properties = body.serialize(Properties).map_err(|error| error.0)?;
    let mut parts = Vec::new();
    for (name, value) in properties {
        let declared = content_types
            .iter()
            .find(|(property, _)| *property == name)
            .and_then(|(_, content_type)| concrete(content_type));
        let values = match value {
            Value::List(items) => items,
            other => vec![other],
        };
        for value in values {
            let (data, filename, default) = match value {
                Value::Absent | Value::List(_) => continue,
                Value::Text(text) => (text.into_bytes(), None, None),
                Value::Binary(bytes) => {
                    (bytes, Some(name.clone()), Some("application/octet-stream"))
                }
                Value::Json(json) => (json, None, Some("application/json")),
            };
            parts.push(Part {
                name: name.clone(),
                filename,
                content_type: declared.or(default).map(str::to_owned),
                data,
            });
        }
    }
    Ok(parts)
}

/// The first media type of a declared `contentType` (a comma-separated
/// list) that names one type, not a range such as `image/*`.
fn concrete(declared: &str) -> Option<&str> {
    declared
        .split(',')
        .map(str::trim)
        .find(|media| !media.is_empty() && !media.contains('*'))
}

/// A boundary that occurs in no part: `apigen-` and 24 random letters
/// and digits.
pub(crate) fn boundary(parts: &[Part]) -> String {
    boundary_from(parts, || {
        let mut boundary = String::from("apigen-");
        boundary.extend(std::iter::repeat_with(fastrand::alphanumeric).take(24));
        boundary
    })
}

/// The first of `candidates` that occurs in no part.
fn boundary_from(parts: &[Part], mut candidates: impl FnMut() -> String) -> String {
    loop {
        let boundary = candidates();
        let needle = boundary.as_bytes();
        let clash = parts.iter().any(|part| {
            part.data
                .windows(needle.len())
                .any(|window| window == needle)
        });
        if !clash {
            return boundary;
        }
    }
}

/// The body: each part after `--boundary`, then `--boundary--`.
pub(crate) fn encode(parts: &[Part], boundary: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!(
            "Content-Disposition: form-data; name=\"{}\"",
            quoted(&part.name)
        );
        if let Some(filename) = &part.filename {
            disposition.push_str(&format!("; filename=\"{}\"", quoted(filename)));
        }
        out.extend_from_slice(disposition.as_bytes());
        out.extend_from_slice(b"\r\n");
        if let Some(content_type) = &part.content_type {
            out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// A name in a quoted `Content-Disposition` parameter, escaped as HTML
/// forms do: `"`, CR and LF percent-encoded.
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Why a body could not be taken apart.
#[derive(Debug)]
struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Error(error.to_string())
    }
}

fn not_an_object<T>() -> Result<T, Error> {
    Err(Error(
        "a multipart body must serialize to an object".to_owned(),
    ))
}

/// The JSON serializer that nested values are handed to.
type Json = serde_json::value::Serializer;
const JSON: Json = serde_json::value::Serializer;

/// Serializes the body: an object, property by property.
struct Properties;

/// The properties of the body, in order.
struct Collect {
    properties: Vec<(String, Value)>,
    key: Option<String>,
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Error> {
            not_an_object()
        }
    )*};
}

impl Serializer for Properties {
    type Ok = Vec<(String, Value)>;
    type Error = Error;
    type SerializeSeq = ser::Impossible<Self::Ok, Error>;
    type SerializeTuple = ser::Impossible<Self::Ok, Error>;
    type SerializeTupleStruct = ser::Impossible<Self::Ok, Error>;
    type SerializeTupleVariant = ser::Impossible<Self::Ok, Error>;
    type SerializeMap = Collect;
    type SerializeStruct = Collect;
    type SerializeStructVariant = ser::Impossible<Self::Ok, Error>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Error> {
        not_an_object()
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        not_an_object()
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        not_an_object()
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        not_an_object()
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        not_an_object()
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Ok(Collect {
            properties: Vec::new(),
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        self.serialize_map(None)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        not_an_object()
    }
}

impl ser::SerializeMap for Collect {
    type Ok = Vec<(String, Value)>;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        match key.serialize(JSON)? {
            serde_json::Value::String(key) => {
                self.key = Some(key);
                Ok(())
            }
            other => Err(Error(format!(
                "a multipart body's property names must be strings, not {other}"
            ))),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a value without a name".to_owned()))?;
        let value = value.serialize(Property { in_list: false })?;
        self.properties.push((key, value));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Error> {
        Ok(self.properties)
    }
}

impl ser::SerializeStruct for Collect {
    type Ok = Vec<(String, Value)>;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.serialize_entry(key, value)
    }

    fn end(self) -> Result<Self::Ok, Error> {
        Ok(self.properties)
    }
}

/// Serializes one property's value (or, `in_list`, one item of an array
/// property).
#[derive(Clone, Copy)]
struct Property {
    in_list: bool,
}

/// A compound value being serialized as JSON.
struct Nested<S>(S);

/// An array property's items, or (inside an array) its JSON.
enum Items {
    Parts(Vec<Value>),
    Json(<Json as Serializer>::SerializeSeq),
}

fn json_text(value: &serde_json::Value) -> Result<Value, Error> {
    Ok(Value::Json(serde_json::to_vec(value)?))
}

fn number(value: impl Into<serde_json::Value>) -> Result<Value, Error> {
    Ok(Value::Text(value.into().to_string()))
}

impl Serializer for Property {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Items;
    type SerializeTuple = Nested<<Json as Serializer>::SerializeTuple>;
    type SerializeTupleStruct = Nested<<Json as Serializer>::SerializeTupleStruct>;
    type SerializeTupleVariant = Nested<<Json as Serializer>::SerializeTupleVariant>;
    type SerializeMap = Nested<<Json as Serializer>::SerializeMap>;
    type SerializeStruct = Nested<<Json as Serializer>::SerializeStruct>;
    type SerializeStructVariant = Nested<<Json as Serializer>::SerializeStructVariant>;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Text(v.to_string()))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        number(v)
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::Text(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::Binary(v.to_vec()))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Absent)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Absent)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Value, Error> {
        Ok(Value::Absent)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::Text(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        json_text(&JSON.serialize_newtype_variant(name, index, variant, value)?)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items, Error> {
        Ok(if self.in_list {
            Items::Json(JSON.serialize_seq(len)?)
        } else {
            Items::Parts(Vec::new())
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Error> {
        Ok(Nested(JSON.serialize_tuple(len)?))
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Ok(Nested(JSON.serialize_tuple_struct(name, len)?))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Ok(Nested(
            JSON.serialize_tuple_variant(name, index, variant, len)?,
        ))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Ok(Nested(JSON.serialize_map(len)?))
    }
    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Ok(Nested(JSON.serialize_struct(name, len)?))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Ok(Nested(
            JSON.serialize_struct_variant(name, index, variant, len)?,
        ))
    }
}

impl ser::SerializeSeq for Items {
    type Ok = Value;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match self {
            Items::Parts(items) => items.push(value.serialize(Property { in_list: true })?),
            Items::Json(json) => json.serialize_element(value)?,
        }
        Ok(())
    }

    fn end(self) -> Result<Value, Error> {
        match self {
            Items::Parts(items) => Ok(Value::List(items)),
            Items::Json(json) => json_text(&json.end()?),
        }
    }
}

/// Forwards a compound value to serde_json and keeps its JSON text.
macro_rules! nested {
    ($trait:ident { $($method:ident($($name:ident: $arg:ty),*);)* }) => {
        impl<S: ser::$trait<Ok = serde_json::Value, Error = serde_json::Error>> ser::$trait
            for Nested<S>
        {
            type Ok = Value;
            type Error = Error;
            $(
                fn $method<T: Serialize + ?Sized>(
                    &mut self,
                    $($name: $arg,)*
                    value: &T,
                ) -> Result<(), Error> {
                    Ok(self.0.$method($($name,)* value)?)
                }
            )*
            fn end(self) -> Result<Value, Error> {
                json_text(&self.0.end()?)
            }
        }
    };
}

nested!(SerializeTuple { serialize_element(); });
nested!(SerializeTupleStruct { serialize_field(); });
nested!(SerializeTupleVariant { serialize_field(); });
nested!(SerializeStruct { serialize_field(key: &'static str); });
nested!(SerializeStructVariant { serialize_field(key: &'static str); });

impl<S: ser::SerializeMap<Ok = serde_json::Value, Error = serde_json::Error>> ser::SerializeMap
    for Nested<S>
{
    type Ok = Value;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        Ok(self.0.serialize_key(key)?)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        Ok(self.0.serialize_value(value)?)
    }

    fn end(self) -> Result<Value, Error> {
        json_text(&self.0.end()?)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use bytes::Bytes;
    use serde::Serialize;

    use super::{boundary, boundary_from, encode, parts, Part};

    #[derive(Serialize)]
    struct Meta {
        foo: &'static str,
        n: u32,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "lowercase")]
    enum Color {
        Blue,
    }

    #[derive(Serialize)]
    struct Upload {
        text: &'static str,
        count: i64,
        ratio: f64,
        flag: bool,
        color: Color,
        file: Bytes,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        null: Option<String>,
        tags: Vec<&'static str>,
        files: Vec<Bytes>,
        meta: Meta,
        metas: Vec<Meta>,
        grid: Vec<Vec<u8>>,
        #[serde(flatten)]
        extra: BTreeMap<String, serde_json::Value>,
    }

    fn part(name: &str, filename: Option<&str>, content_type: Option<&str>, data: &[u8]) -> Part {
        Part {
            name: name.to_owned(),
            filename: filename.map(str::to_owned),
            content_type: content_type.map(str::to_owned),
            data: data.to_vec(),
        }
    }

    fn upload() -> Upload {
        Upload {
            text: "a b",
            count: -3,
            ratio: 0.5,
            flag: true,
            color: Color::Blue,
            file: Bytes::from_static(b"\x00\x01"),
            skipped: None,
            null: None,
            tags: vec!["x", "y"],
            files: vec![Bytes::from_static(b"1"), Bytes::from_static(b"2")],
            meta: Meta { foo: "f", n: 1 },
            metas: vec![Meta { foo: "g", n: 2 }],
            grid: vec![vec![1, 2]],
            extra: BTreeMap::from([("more".to_owned(), serde_json::json!({"k": [1]}))]),
        }
    }

    #[test]
    fn each_property_is_a_part_by_its_type() {
        let got = parts(&upload(), &[]).expect("parts");
        let json = Some("application/json");
        let octets = Some("application/octet-stream");
        assert_eq!(
            got,
            vec![
                part("text", None, None, b"a b"),
                part("count", None, None, b"-3"),
                part("ratio", None, None, b"0.5"),
                part("flag", None, None, b"true"),
                part("color", None, None, b"blue"),
                part("file", Some("file"), octets, b"\x00\x01"),
                part("tags", None, None, b"x"),
                part("tags", None, None, b"y"),
                part("files", Some("files"), octets, b"1"),
                part("files", Some("files"), octets, b"2"),
                part("meta", None, json, br#"{"foo":"f","n":1}"#),
                part("metas", None, json, br#"{"foo":"g","n":2}"#),
                part("grid", None, json, b"[1,2]"),
                part("more", None, json, br#"{"k":[1]}"#),
            ]
        );
    }

    #[test]
    fn declared_content_types_win() {
        let declared = [
            ("file", "image/png, image/jpeg"),
            ("meta", "application/vnd.meta+json"),
            ("text", "text/csv"),
            ("tags", "image/*"),
        ];
        let got = parts(&upload(), &declared).expect("parts");
        let find = |name: &str| {
            got.iter()
                .find(|p| p.name == name)
                .and_then(|p| p.content_type.clone())
        };
        assert_eq!(find("file").as_deref(), Some("image/png"));
        assert_eq!(find("meta").as_deref(), Some("application/vnd.meta+json"));
        assert_eq!(find("text").as_deref(), Some("text/csv"));
        // A range names no type: the default stays.
        assert_eq!(find("tags"), None);
        assert_eq!(find("count"), None);
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused() {
        for error in [
            parts(&"text", &[]).expect_err("a string"),
            parts(&vec![1, 2], &[]).expect_err("an array"),
            parts(&Option::<u8>::None, &[]).expect_err("null"),
        ] {
            assert_eq!(error, "a multipart body must serialize to an object");
        }
        let numbered = BTreeMap::from([(1, "a")]);
        let error = parts(&numbered, &[]).expect_err("a number as a name");
        assert!(error.contains("names must be strings"), "{error}");
    }

    #[test]
    fn the_body_is_encoded_as_rfc_7578_says() {
        let parts = vec![
            part("a\"b\r\n", None, None, b"x"),
            part("f", Some("f"), Some("application/octet-stream"), b"\x00"),
        ];
        let body = encode(&parts, "B");
        assert_eq!(
            body,
            b"--B\r\nContent-Disposition: form-data; name=\"a%22b%0D%0A\"\r\n\r\nx\r\n\
              --B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f\"\r\n\
              Content-Type: application/octet-stream\r\n\r\n\x00\r\n--B--\r\n"
                .to_vec()
        );
        assert_eq!(encode(&[], "B"), b"--B--\r\n".to_vec());
    }

    #[test]
    fn the_boundary_is_in_no_part() {
        let random = boundary(&[]);
        assert!(
            random.starts_with("apigen-") && random.len() == 31,
            "{random}"
        );
        assert!(random[7..].bytes().all(|b| b.is_ascii_alphanumeric()));
        let parts = vec![part("a", None, None, b"..--apigen-1..")];
        let mut candidates = ["apigen-1", "apigen-2"].into_iter().map(str::to_owned);
        let chosen = boundary_from(&parts, || candidates.next().expect("a candidate"));
        assert_eq!(chosen, "apigen-2");
    }
}
