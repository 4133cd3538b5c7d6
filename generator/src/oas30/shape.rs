//! The OpenAPI 3.0 document shape: deserializing the merged document into
//! `openapiv3` types, and when that fails, narrowing the failure down to the
//! innermost object that does not read, so the diagnostic points at it.

use serde_json::Value;

/// Deserializes a document into `openapiv3` types; on failure, returns the
/// JSON pointer of the offending value and the message.
pub fn to_openapi(value: &Value) -> Result<openapiv3::OpenAPI, (String, String)> {
    // Tracking the path slows the common, valid case; only a failure pays it.
    if let Ok(document) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(value) {
        return Ok(document);
    }
    let Err((pointer, message)) = deserialize_at::<openapiv3::OpenAPI>(value) else {
        return Err((String::new(), "the document does not deserialize".into()));
    };
    Err(narrow(value, pointer, message))
}

/// Deserializes `value` as `T`, tracking where a failure happens.
fn deserialize_at<T: serde::de::DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .map(drop)
        .map_err(|e| {
            let mut pointer = String::new();
            for segment in e.path().iter() {
                use serde_path_to_error::Segment;
                let token = match segment {
                    Segment::Seq { index } => index.to_string(),
                    Segment::Map { key } => key.clone(),
                    Segment::Enum { variant } => variant.clone(),
                    Segment::Unknown => continue,
                };
                pointer = crate::diagnostic::join(&pointer, &token);
            }
            (pointer, e.into_inner().to_string())
        })
}

/// `openapiv3` reads references (`ReferenceOr`) and flattened maps (paths,
/// responses, schemas) through a buffer, so a failure below one is reported
/// at the container (`/paths` for a bad `responses` of one operation). This
/// re-checks the children of the reported value, one OpenAPI object at a
/// time, and descends into the first one that fails on its own.
fn narrow(document: &Value, mut pointer: String, mut message: String) -> (String, String) {
    'deeper: while let Some(shape) = shape_at(&pointer) {
        let Some(value) = document.pointer(&pointer) else {
            break;
        };
        let children: Vec<(String, Shape, &Value)> = match (shape, value) {
            (Shape::One(object), Value::Object(map)) => map
                .iter()
                .filter_map(|(key, child)| Some((key.clone(), object.child(key)?, child)))
                .collect(),
            (Shape::Map(object), Value::Object(map)) => map
                .iter()
                .filter(|(key, _)| !key.starts_with("x-"))
                .map(|(key, child)| (key.clone(), Shape::One(object), child))
                .collect(),
            (Shape::List(object), Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, child)| (i.to_string(), Shape::One(object), child))
                .collect(),
            _ => break,
        };
        for (key, shape, child) in children {
            let here = crate::diagnostic::join(&pointer, &key);
            let entries: Vec<(String, Object, &Value)> = match (shape, child) {
                (Shape::One(object), _) => vec![(here, object, child)],
                (Shape::Map(object), Value::Object(map)) => map
                    .iter()
                    .filter(|(k, _)| !k.starts_with("x-"))
                    .map(|(k, v)| (crate::diagnostic::join(&here, k), object, v))
                    .collect(),
                (Shape::List(object), Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (format!("{here}/{i}"), object, v))
                    .collect(),
                (Shape::Map(_), _) | (Shape::List(_), _) => {
                    pointer = here;
                    break 'deeper;
                }
            };
            for (at, object, entry) in entries {
                if let Err((inner, detail)) = object.check(entry) {
                    pointer = format!("{at}{inner}");
                    message = detail;
                    continue 'deeper;
                }
            }
        }
        break;
    }
    (pointer, message)
}

/// The OpenAPI objects [`narrow`] knows the children of.
#[derive(Clone, Copy, Debug)]
enum Object {
    Document,
    Components,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Header,
    MediaType,
    Schema,
}

/// What a key of an object holds: one object, or a map or list of them.
#[derive(Clone, Copy, Debug)]
enum Shape {
    One(Object),
    Map(Object),
    List(Object),
}

/// What the value at `pointer` is, following the OpenAPI structure from the
/// document root; `None` where that structure is not tracked.
fn shape_at(pointer: &str) -> Option<Shape> {
    let mut shape = Shape::One(Object::Document);
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        shape = match shape {
            Shape::One(object) => object.child(&token)?,
            Shape::Map(object) | Shape::List(object) => Shape::One(object),
        };
    }
    Some(shape)
}

impl Object {
    fn child(self, key: &str) -> Option<Shape> {
        use Object::*;
        use Shape::{List, Map, One};
        if key.starts_with("x-") {
            return None;
        }
        Some(match (self, key) {
            (Document, "paths") => One(Paths),
            (Document, "components") => One(Components),
            (Components, "schemas") => Map(Schema),
            (Components, "responses") => Map(Response),
            (Components, "parameters") => Map(Parameter),
            (Components, "requestBodies") => Map(RequestBody),
            (Components, "headers") => Map(Header),
            (Paths, _) => One(PathItem),
            (PathItem | Operation, "parameters") => List(Parameter),
            (
                PathItem,
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace",
            ) => One(Operation),
            (Operation, "requestBody") => One(RequestBody),
            (Operation, "responses") => One(Responses),
            (Responses, _) => One(Response),
            (Response, "headers") => Map(Header),
            (Response | RequestBody | Parameter | Header, "content") => Map(MediaType),
            (MediaType | Parameter | Header, "schema") => One(Schema),
            (Schema, "properties") => Map(Schema),
            (Schema, "items" | "not" | "additionalProperties") => One(Schema),
            (Schema, "allOf" | "oneOf" | "anyOf") => List(Schema),
            _ => return None,
        })
    }

    /// Whether `value` reads as this object (or as a reference to one).
    fn check(self, value: &Value) -> Result<(), (String, String)> {
        use openapiv3 as o;
        if value.get("$ref").is_some_and(Value::is_string) {
            return Ok(());
        }
        match self {
            Object::Document => deserialize_at::<o::OpenAPI>(value),
            Object::Components => deserialize_at::<o::Components>(value),
            Object::Paths => deserialize_at::<o::Paths>(value),
            Object::PathItem => deserialize_at::<o::PathItem>(value),
            Object::Operation => deserialize_at::<o::Operation>(value),
            Object::Parameter => deserialize_at::<o::Parameter>(value),
            Object::RequestBody => deserialize_at::<o::RequestBody>(value),
            Object::Responses => deserialize_at::<o::Responses>(value),
            Object::Response => deserialize_at::<o::Response>(value),
            Object::Header => deserialize_at::<o::Header>(value),
            Object::MediaType => deserialize_at::<o::MediaType>(value),
            // `additionalProperties: true` is a schema too.
            Object::Schema if value.is_boolean() => Ok(()),
            Object::Schema => deserialize_at::<o::Schema>(value),
        }
    }
}
