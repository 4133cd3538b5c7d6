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

/// A JSON object's entries.
type Entries = serde_json::Map<String, Value>;

/// [`to_openapi`] for a document that is no longer needed: the same result
/// (the same error too), in less time and memory. Paths and components are
/// deserialized one entry at a time, each entry's JSON freed as soon as its
/// typed value exists, so the two forms of a large document are never
/// whole at once; the components are done on a second thread meanwhile.
/// Entries are read one by one rather than through the buffer that
/// `openapiv3`'s flattened maps copy all of `paths` and `components` into.
pub fn into_openapi(mut value: Value) -> Result<openapiv3::OpenAPI, (String, String)> {
    let Value::Object(root) = &mut value else {
        return to_openapi(&value);
    };
    let mut take = |key: &str| match root.get_mut(key) {
        Some(Value::Object(map)) => Some(std::mem::take(map)),
        _ => None,
    };
    let (Some(paths), components) = (take("paths"), take("components")) else {
        return to_openapi(&value);
    };
    // The rest (`info`, `servers`, `tags`, ...) is small: as before.
    let Ok(mut document) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value) else {
        put_back(&mut value, Some(paths), components);
        return to_openapi(&value);
    };
    // The second thread takes the components and the last part of the
    // paths: on the whole Cloudflare description the components take 21 ms
    // and the paths 48 ms, so about 70 % of the paths balance the threads.
    let mut first: Vec<(String, Value)> = paths.into_iter().collect();
    let second = first.split_off(first.len() * 7 / 10);
    let rest = move || (components.map(typed_components), typed_paths(second));
    let (first, (components, second)) = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            // Schemas nest as deeply as the document does.
            .stack_size(crate::STACK_SIZE)
            .spawn_scoped(scope, rest)?;
        let first = typed_paths(first);
        let rest = spawned
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok::<_, std::io::Error>((first, rest))
    })
    .map_err(|e| (String::new(), format!("cannot start a thread: {e}")))?;
    match (first, second, components) {
        (Ok(mut first), Ok(second), components @ (None | Some(Ok(_)))) => {
            first.paths.extend(second.paths);
            first.extensions.extend(second.extensions);
            document.paths = first;
            document.components = components.and_then(Result::ok);
            Ok(document)
        }
        // What was converted is valid; what is left holds the first error,
        // which the whole-document path reports as it always did.
        (first, second, components) => {
            let mut paths = first.err().unwrap_or_default();
            paths.extend(second.err().unwrap_or_default());
            put_back(&mut value, Some(paths), components.and_then(Result::err));
            to_openapi(&value)
        }
    }
}

fn put_back(document: &mut Value, paths: Option<Entries>, components: Option<Entries>) {
    for (key, part) in [("paths", paths), ("components", components)] {
        if let (Some(part), Some(slot)) = (part, document.get_mut(key)) {
            *slot = Value::Object(part);
        }
    }
}

/// The entries of a map, typed one at a time: `x-` keys go to `extensions`
/// when it is given, the others are typed when `keep` accepts them (and
/// skipped otherwise). On failure, the entries not yet typed, the failing
/// one first.
fn typed_entries<T: serde::de::DeserializeOwned>(
    entries: impl IntoIterator<Item = (String, Value)>,
    keep: impl Fn(&str) -> bool,
    mut extensions: Option<&mut indexmap::IndexMap<String, Value>>,
) -> Result<indexmap::IndexMap<String, T>, Entries> {
    let mut typed = indexmap::IndexMap::new();
    let mut entries = entries.into_iter();
    while let Some((key, entry)) = entries.next() {
        if let (Some(extensions), true) = (extensions.as_deref_mut(), key.starts_with("x-")) {
            extensions.insert(key, entry);
        } else if keep(&key) {
            match T::deserialize(&entry) {
                Ok(value) => {
                    typed.insert(key, value);
                }
                Err(_) => {
                    let mut left = Entries::new();
                    left.insert(key, entry);
                    left.extend(entries);
                    return Err(left);
                }
            }
        }
    }
    Ok(typed)
}

/// (Some of) `paths`, as `openapiv3::Paths` reads it: entries whose keys
/// start with `/`, and `x-` extensions. On failure, what is left.
fn typed_paths(entries: Vec<(String, Value)>) -> Result<openapiv3::Paths, Entries> {
    let mut paths = openapiv3::Paths::default();
    paths.paths = typed_entries(
        entries,
        |key| key.starts_with('/'),
        Some(&mut paths.extensions),
    )?;
    Ok(paths)
}

/// `components`, as `openapiv3::Components` reads it: each kind's map
/// typed one entry at a time (an `x-` key inside one is an entry), `x-`
/// extensions beside them. On failure, what is left of the object.
fn typed_components(map: Entries) -> Result<openapiv3::Components, Entries> {
    fn kind<T: serde::de::DeserializeOwned>(
        entries: Entries,
        slot: &mut indexmap::IndexMap<String, T>,
    ) -> Result<(), Entries> {
        *slot = typed_entries(entries, |_| true, None)?;
        Ok(())
    }
    let mut c = openapiv3::Components::default();
    let mut kinds = map.into_iter();
    while let Some((name, entries)) = kinds.next() {
        if name.starts_with("x-") {
            c.extensions.insert(name, entries);
            continue;
        }
        let left = match entries {
            Value::Object(entries) => match name.as_str() {
                "schemas" => kind(entries, &mut c.schemas),
                "responses" => kind(entries, &mut c.responses),
                "parameters" => kind(entries, &mut c.parameters),
                "examples" => kind(entries, &mut c.examples),
                "requestBodies" => kind(entries, &mut c.request_bodies),
                "headers" => kind(entries, &mut c.headers),
                "securitySchemes" => kind(entries, &mut c.security_schemes),
                "links" => kind(entries, &mut c.links),
                "callbacks" => kind(entries, &mut c.callbacks),
                _ => Ok(()),
            }
            .err()
            .map(Value::Object),
            // Not a map: the whole-document path says whether that is wrong.
            other => Some(other),
        };
        if let Some(left) = left {
            let mut rest = Entries::new();
            rest.insert(name, left);
            rest.extend(kinds);
            return Err(rest);
        }
    }
    Ok(c)
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
