//! Where references may sit: the walk over the OpenAPI structure that
//! finds every `$ref` in a position the structure allows one (a schema
//! keyword, a path item, a parameter, ...), never in data (an example, an
//! extension), and the JSON pointer helpers the bundler shares.

use std::collections::VecDeque;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::front::paths::METHODS;

/// What the OpenAPI structure expects at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Node {
    PathItem,
    Operation,
    /// A parameter or a header (the same shape).
    Parameter,
    RequestBody,
    MediaType,
    Encoding,
    Response,
    Callback,
    Schema,
}

/// Keywords whose value is a map of schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keywords whose value is a schema.
const SCHEMA_ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];

/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Whether `key` is one of [`SCHEMA_MAPS`], [`SCHEMA_ONE`] or
/// [`SCHEMA_LISTS`] (a `match`, which compiles to a switch on the length:
/// it runs for every key of every schema).
fn is_schema_keyword(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "$defs"
            | "definitions"
            | "dependentSchemas"
            | "items"
            | "additionalProperties"
            | "additionalItems"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "prefixItems"
    )
}

/// Whether a reference is already of the form `#/components/<section>/<name>`.
pub(super) fn is_canonical(reference: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, name)| !name.contains('/'))
}

pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

pub(super) fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer.split('/').skip(1).map(unescape).collect()
}

/// Follows a JSON pointer. In the document (`follow`), a step that meets a
/// local reference goes through it, so a pointer into a schema that was
/// already copied to a component still finds it.
pub(super) fn lookup(root: &Value, pointer: &str, follow: bool) -> Option<Value> {
    let mut current = root;
    for token in tokens(pointer) {
        let mut hops = 0;
        while follow && hops < 64 {
            let next = current
                .as_object()
                .filter(|m| !m.contains_key(&token))
                .and_then(|m| m.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| root.pointer(p));
            match next {
                Some(next) => current = next,
                None => break,
            }
            hops += 1;
        }
        current = match current {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current.clone())
}

/// Queues the reference sites inside the value at `pointer`.
pub(super) fn visit(
    document: &Value,
    pointer: &str,
    node: Node,
    queue: &mut VecDeque<(String, Node)>,
) {
    if let Some(value) = document.pointer(pointer) {
        let mut pointer = pointer.to_string();
        walk(value, node, &mut pointer, queue);
    }
}

/// The reference sites of the whole document: the components' first, then
/// the paths' and webhooks'. The components are walked on a second
/// thread while this one walks the paths: a walk of a large document is
/// mostly waiting for memory.
pub(super) fn sites(document: &Value) -> VecDeque<(String, Node)> {
    let paths = || {
        let mut queue = VecDeque::new();
        visit_paths(document, &mut String::new(), &mut queue);
        queue
    };
    let (mut queue, paths) = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            // Schemas nest as deeply as the document does.
            .stack_size(crate::stack::STACK_SIZE)
            .spawn_scoped(scope, || {
                let mut queue = VecDeque::new();
                visit_components(document, &mut String::new(), &mut queue);
                queue
            });
        match spawned {
            Ok(components) => {
                let paths = paths();
                let components = components
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (components, paths)
            }
            Err(_) => {
                let mut queue = VecDeque::new();
                visit_components(document, &mut String::new(), &mut queue);
                (queue, paths())
            }
        }
    });
    queue.extend(paths);
    queue
}

fn visit_components(document: &Value, pointer: &mut String, queue: &mut VecDeque<(String, Node)>) {
    let Value::Object(root) = document else {
        return;
    };
    if let Some(Value::Object(components)) = root.get("components") {
        push(pointer, "components");
        let sections = [
            ("schemas", Node::Schema),
            ("parameters", Node::Parameter),
            ("headers", Node::Parameter),
            ("requestBodies", Node::RequestBody),
            ("responses", Node::Response),
            ("callbacks", Node::Callback),
            ("pathItems", Node::PathItem),
        ];
        for (section, node) in sections {
            if let Some(entries) = components.get(section) {
                push(pointer, section);
                each(entries, node, pointer, queue);
                pop(pointer);
            }
        }
        pop(pointer);
    }
}

fn visit_paths(document: &Value, pointer: &mut String, queue: &mut VecDeque<(String, Node)>) {
    let Value::Object(root) = document else {
        return;
    };
    for section in ["paths", "webhooks"] {
        if let Some(entries) = root.get(section) {
            push(pointer, section);
            each(entries, Node::PathItem, pointer, queue);
            pop(pointer);
        }
    }
}

fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    if !token.contains(['~', '/']) {
        // Nearly every key: nothing to escape.
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

fn pop(pointer: &mut String) {
    if let Some(end) = pointer.rfind('/') {
        pointer.truncate(end);
    }
}

/// Walks every entry of a map of `node`s.
fn each(value: &Value, node: Node, pointer: &mut String, queue: &mut VecDeque<(String, Node)>) {
    if let Value::Object(map) = value {
        for (key, child) in map {
            push(pointer, key);
            walk(child, node, pointer, queue);
            pop(pointer);
        }
    }
}

/// Walks every item of a list of `node`s.
fn list(value: &Value, node: Node, pointer: &mut String, queue: &mut VecDeque<(String, Node)>) {
    if let Value::Array(items) = value {
        for (i, child) in items.iter().enumerate() {
            let _ = write!(pointer, "/{i}");
            walk(child, node, pointer, queue);
            pop(pointer);
        }
    }
}

fn field(
    map: &Map<String, Value>,
    key: &str,
    node: Node,
    pointer: &mut String,
    queue: &mut VecDeque<(String, Node)>,
    how: fn(&Value, Node, &mut String, &mut VecDeque<(String, Node)>),
) {
    if let Some(child) = map.get(key) {
        push(pointer, key);
        how(child, node, pointer, queue);
        pop(pointer);
    }
}

fn walk(value: &Value, node: Node, pointer: &mut String, queue: &mut VecDeque<(String, Node)>) {
    let Value::Object(map) = value else {
        return;
    };
    if let Some(Value::String(reference)) = map.get("$ref") {
        if node == Node::PathItem || !is_canonical(reference) {
            queue.push_back((pointer.clone(), node));
        }
        if node != Node::Schema {
            return;
        }
    }
    match node {
        Node::PathItem => {
            field(map, "parameters", Node::Parameter, pointer, queue, list);
            for method in METHODS {
                field(map, method, Node::Operation, pointer, queue, walk);
            }
        }
        Node::Operation => {
            field(map, "parameters", Node::Parameter, pointer, queue, list);
            field(map, "requestBody", Node::RequestBody, pointer, queue, walk);
            field(map, "responses", Node::Response, pointer, queue, each);
            field(map, "callbacks", Node::Callback, pointer, queue, each);
        }
        Node::Parameter => {
            field(map, "schema", Node::Schema, pointer, queue, walk);
            field(map, "content", Node::MediaType, pointer, queue, each);
        }
        Node::RequestBody => field(map, "content", Node::MediaType, pointer, queue, each),
        Node::MediaType => {
            field(map, "schema", Node::Schema, pointer, queue, walk);
            field(map, "encoding", Node::Encoding, pointer, queue, each);
        }
        Node::Encoding => field(map, "headers", Node::Parameter, pointer, queue, each),
        Node::Response => {
            field(map, "headers", Node::Parameter, pointer, queue, each);
            field(map, "content", Node::MediaType, pointer, queue, each);
        }
        Node::Callback => each(value, Node::PathItem, pointer, queue),
        Node::Schema => {
            // Most schemas (`{type: string, description: ..}`) hold no
            // schema: a look at their few keys saves a lookup per keyword.
            if !map.keys().any(|key| is_schema_keyword(key)) {
                return;
            }
            for key in SCHEMA_MAPS {
                field(map, key, Node::Schema, pointer, queue, each);
            }
            for key in SCHEMA_ONE {
                match map.get(*key) {
                    Some(Value::Array(_)) => field(map, key, Node::Schema, pointer, queue, list),
                    Some(_) => field(map, key, Node::Schema, pointer, queue, walk),
                    None => {}
                }
            }
            for key in SCHEMA_LISTS {
                field(map, key, Node::Schema, pointer, queue, list);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_keyword_is_one_and_nothing_else_is() {
        for keyword in [SCHEMA_MAPS, SCHEMA_ONE, SCHEMA_LISTS].concat() {
            assert!(is_schema_keyword(keyword), "{keyword}");
        }
        for other in [
            "type",
            "description",
            "enum",
            "$ref",
            "example",
            "Items",
            "item",
        ] {
            assert!(!is_schema_keyword(other), "{other}");
        }
    }

    #[test]
    fn sites_come_from_schema_keywords_components_first() {
        // A reference that is not a component's, under a schema's keyword:
        // a site; the same under a keyword-free schema's `example`: data.
        // The components' sites come first, whichever thread found them.
        let document = serde_json::json!({
            "paths": {"/x": {"$ref": "#/components/pathItems/x"}},
            "components": {"schemas": {
                "a": {"type": "object", "properties": {"b": {"$ref": "#/paths/x"}}},
                "c": {"type": "string", "example": {"$ref": "#/paths/x"}},
            }},
        });
        let queue = sites(&document);
        let sites: Vec<&str> = queue.iter().map(|(site, _)| site.as_str()).collect();
        assert_eq!(sites, ["/components/schemas/a/properties/b", "/paths/~1x"]);
    }
}
