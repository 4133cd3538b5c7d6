//! Stage 1: read spec files from disk, parse them, and check they are OpenAPI
//! 3.0 or 3.1.
//!
//! This is the only place that knows about file formats. Every file becomes a
//! [`SourceFile`]: its path, its text (for line numbers) and a JSON value.
//! The document shape is checked after merging (see [`to_openapi`]); a shape
//! error is traced back to the file it is in through the merge's origins.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Kind, Location};
use crate::locate;

/// One parsed input file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given (or found in a given directory).
    pub path: PathBuf,
    /// The file's text, kept to turn JSON pointers into line numbers.
    pub text: String,
    /// The parsed document.
    pub value: Value,
}

impl SourceFile {
    /// A location in this file, with a line number when one can be found.
    pub fn location(&self, pointer: &str) -> Location {
        let mut location = Location::new(Some(self.path.clone()), pointer);
        if let Some((line, column)) = locate::find(&self.text, pointer) {
            location.line = Some(line);
            location.column = Some(column);
        }
        location
    }
}

/// Expands directories into the spec files they contain (`.yaml`, `.yml`,
/// `.json`, recursively), sorted so that the result does not depend on the
/// order the caller named them in.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    Ok(expand_marked(inputs)?.into_iter().map(|(p, _)| p).collect())
}

/// Like [`expand`], and tells for each file whether it was named itself
/// (`true`) or found in a named directory (`false`).
pub fn expand_marked(inputs: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, Diagnostic> {
    let mut files = BTreeSet::new();
    for input in inputs {
        collect(input, &mut files)?;
    }
    let named: BTreeSet<&PathBuf> = inputs.iter().filter(|p| !p.is_dir()).collect();
    if files.is_empty() {
        return Err(
            Diagnostic::error(Kind::Syntax, Location::default(), "no spec files found")
                .with_help("pass .yaml, .yml or .json files, or a directory that contains them"),
        );
    }
    Ok(files
        .into_iter()
        .map(|p| {
            let explicit = named.contains(&p);
            (p, explicit)
        })
        .collect())
}

fn collect(path: &Path, files: &mut BTreeSet<PathBuf>) -> Result<(), Diagnostic> {
    let io_error = |e: std::io::Error| {
        Diagnostic::error(
            Kind::Syntax,
            Location::new(Some(path.to_path_buf()), ""),
            format!("cannot read: {e}"),
        )
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if metadata.is_dir() {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io_error)? {
            entries.push(entry.map_err(io_error)?.path());
        }
        for entry in entries {
            if entry.is_dir() || is_spec_file(&entry) {
                collect(&entry, files)?;
            }
        }
    } else {
        files.insert(path.to_path_buf());
    }
    Ok(())
}

fn is_spec_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Reads and parses one file, and checks its OpenAPI version.
pub fn load(path: &Path) -> Result<SourceFile, Diagnostic> {
    let file = read(path)?;
    check_version(&file)?;
    Ok(file)
}

/// Reads and parses one file, whatever it holds (a file reached by `$ref`
/// holds a part of a document, not a whole one).
pub fn read(path: &Path) -> Result<SourceFile, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(
            Kind::Syntax,
            Location::new(Some(path.to_path_buf()), ""),
            format!("cannot read: {e}"),
        )
    })?;
    parse_any(path.to_path_buf(), text)
}

/// Parses a file's text (JSON when the name ends in `.json`, YAML otherwise)
/// and checks its OpenAPI version.
pub fn parse(path: PathBuf, text: String) -> Result<SourceFile, Diagnostic> {
    let file = parse_any(path, text)?;
    check_version(&file)?;
    Ok(file)
}

/// Whether a file holds an OpenAPI (or Swagger) document, rather than a part
/// of one reached by `$ref`.
pub fn is_document(file: &SourceFile) -> bool {
    file.value.get("openapi").is_some() || file.value.get("swagger").is_some()
}

/// Parses a file's text (JSON when the name ends in `.json`, YAML otherwise).
pub fn parse_any(path: PathBuf, text: String) -> Result<SourceFile, Diagnostic> {
    let is_json = path.extension().and_then(|e| e.to_str()) == Some("json");
    let value = if is_json {
        serde_json::from_str::<Value>(&text).map_err(|e| {
            let mut location = Location::new(Some(path.clone()), "");
            location.line = Some(e.line());
            location.column = Some(e.column());
            Diagnostic::error(Kind::Syntax, location, format!("invalid JSON: {e}"))
                .with_help("fix the JSON syntax at the marked position")
        })?
    } else {
        let yaml = serde_yaml::from_str::<serde_yaml::Value>(&text).map_err(|e| {
            let mut location = Location::new(Some(path.clone()), "");
            if let Some(mark) = e.location() {
                location.line = Some(mark.line());
                location.column = Some(mark.column());
            }
            Diagnostic::error(Kind::Syntax, location, format!("invalid YAML: {e}"))
                .with_help("fix the YAML syntax at the marked position")
        })?;
        yaml_to_json(yaml, &path, "")?
    };
    Ok(SourceFile { path, text, value })
}

/// Converts YAML to JSON, turning scalar keys (such as the status code `200`)
/// into strings.
fn yaml_to_json(yaml: serde_yaml::Value, path: &Path, pointer: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, path, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Diagnostic::error(
                            Kind::Syntax,
                            Location::new(Some(path.to_path_buf()), pointer),
                            format!("unsupported mapping key {other:?}"),
                        )
                        .with_help("use plain scalar keys"))
                    }
                };
                let child = crate::diagnostic::join(pointer, &key);
                let value = yaml_to_json(value, path, &child)?;
                object.insert(key, value);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, path, pointer)?,
    })
}

/// Which OpenAPI version a document says it is, among those read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// 3.0.0 to 3.0.4.
    V30,
    /// 3.1.x.
    V31,
}

/// The version of a document whose version was checked.
pub fn version(document: &Value) -> Version {
    match document.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.1.") || v == "3.1" => Version::V31,
        _ => Version::V30,
    }
}

/// Checks that a file is an OpenAPI 3.0 or 3.1 document.
pub fn check_version(file: &SourceFile) -> Result<(), Diagnostic> {
    let version = file.value.get("openapi").and_then(Value::as_str);
    let known = |v: &str| {
        let mut parts = v.split('.');
        matches!((parts.next(), parts.next()), (Some("3"), Some("0" | "1")))
            && parts
                .next()
                .map_or(true, |patch| patch.parse::<u32>().is_ok())
            && parts.next().is_none()
    };
    match version {
        Some(v) if known(v) => Ok(()),
        Some(v) => Err(Diagnostic::error(
            Kind::NotOpenApi,
            file.location("/openapi"),
            format!("unsupported OpenAPI version `{v}`"),
        )
        .with_help("this generator reads OpenAPI 3.0.x and 3.1.x documents; set `openapi: 3.1.1` (or `3.0.3`) if the document is one")),
        None => {
            let swagger = file.value.get("swagger").is_some();
            let message = if swagger {
                "this is a Swagger 2.0 document, not OpenAPI 3.0"
            } else if file.value.is_object() {
                "no `openapi` version field: this is not an OpenAPI document"
            } else {
                "the document is not a mapping: this is not an OpenAPI document"
            };
            Err(
                Diagnostic::error(Kind::NotOpenApi, file.location(""), message).with_help(
                    "convert it to OpenAPI 3.0 (with `openapi: 3.0.3`, `info` and `paths`)",
                ),
            )
        }
    }
}

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
    // paths (the components take less time than half of the paths).
    let mut first: Vec<(String, Value)> = paths.into_iter().collect();
    let second = first.split_off(first.len() * 3 / 5);
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
