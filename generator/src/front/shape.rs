//! The OpenAPI 3.0 document shape: whether the merged document deserializes
//! into `openapiv3` types (the only use of them), and when it does not,
//! the failure narrowed down to the innermost object that does not read,
//! so the diagnostic points at it.

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

/// A JSON object's entries.
type Entries = serde_json::Map<String, Value>;

/// Checks that a document has OpenAPI 3.0's shape: `Ok` exactly when
/// [`to_openapi`] would read it, with the same error otherwise. The typed
/// values are dropped as soon as they exist (the reader works on the
/// JSON): paths and components are checked one entry at a time, the
/// components and the last part of the paths on a second thread.
pub fn check(value: &Value) -> Result<(), (String, String)> {
    if valid_in_parts(value) {
        return Ok(());
    }
    // The first error, found (and narrowed) on the whole document.
    to_openapi(value).map(drop)
}

/// Whether the document reads, checked in parts; `false` when a part does
/// not, or when the document is not split as expected.
fn valid_in_parts(value: &Value) -> bool {
    let Value::Object(root) = value else {
        return false;
    };
    let Some(Value::Object(paths)) = root.get("paths") else {
        return false;
    };
    let components = match root.get("components") {
        None => None,
        Some(Value::Object(components)) => Some(components),
        Some(_) => return false,
    };
    // The rest (`info`, `servers`, `tags`, ...) is small: a copy of it
    // with empty paths.
    let mut rest: Entries = root
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "paths" | "components"))
        .map(|(key, part)| (key.clone(), part.clone()))
        .collect();
    rest.insert("paths".into(), Value::Object(Entries::new()));
    if !reads::<openapiv3::OpenAPI>(&Value::Object(rest)) {
        return false;
    }
    // On the whole Cloudflare description the components take about a
    // third of the time of the paths: the second thread takes them and
    // the last 30 % of the paths.
    let items: Vec<(&String, &Value)> = paths.iter().collect();
    let (first, second) = items.split_at(items.len() * 7 / 10);
    let rest = || components.map_or(true, components_read) && paths_read(second);
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            // Schemas nest as deeply as the document does.
            .stack_size(crate::stack::STACK_SIZE)
            .spawn_scoped(scope, rest);
        let first = paths_read(first);
        let rest = match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => rest(),
        };
        first && rest
    })
}

/// Whether `value` deserializes as `T` (the typed value is dropped).
fn reads<T: serde::de::DeserializeOwned>(value: &Value) -> bool {
    T::deserialize(value).is_ok()
}

/// Whether (some of) the entries of `paths` read, as `openapiv3::Paths`
/// reads them: path items under keys that start with `/`, `x-` extensions
/// of any value, other keys skipped.
fn paths_read(items: &[(&String, &Value)]) -> bool {
    use openapiv3::{PathItem, ReferenceOr};
    items
        .iter()
        .filter(|(key, _)| key.starts_with('/'))
        .all(|(_, item)| reads::<ReferenceOr<PathItem>>(item))
}

/// Whether `components` reads, as `openapiv3::Components` reads it: each
/// kind's map one entry at a time (an `x-` key inside one is an entry),
/// `x-` extensions and unknown kinds beside them.
fn components_read(map: &Entries) -> bool {
    use openapiv3 as o;
    fn all<T: serde::de::DeserializeOwned>(entries: &Entries) -> bool {
        entries.values().all(reads::<o::ReferenceOr<T>>)
    }
    map.iter()
        .filter(|(name, _)| !name.starts_with("x-"))
        .all(|(name, entries)| match entries {
            Value::Object(entries) => match name.as_str() {
                "schemas" => all::<o::Schema>(entries),
                "responses" => all::<o::Response>(entries),
                "parameters" => all::<o::Parameter>(entries),
                "examples" => all::<o::Example>(entries),
                "requestBodies" => all::<o::RequestBody>(entries),
                "headers" => all::<o::Header>(entries),
                "securitySchemes" => all::<o::SecurityScheme>(entries),
                "links" => all::<o::Link>(entries),
                "callbacks" => all::<o::Callback>(entries),
                _ => true,
            },
            // Not a map: the whole document says whether that is wrong.
            _ => false,
        })
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

#[cfg(test)]
mod tests;
