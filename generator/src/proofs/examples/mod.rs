//! Proof against the spec's own examples: for every operation, the example of
//! its response (a whole one where the spec gives it, else assembled from its
//! properties' examples) is decoded into the generated type and encoded back,
//! and the two must be equal.
//!
//! [`collect`] finds the examples; [`harness`] emits a test module that runs
//! the round trips inside the generated crate and checks each failure is
//! listed as a known error of the description.

use serde_json::{Map, Value};

use crate::normalize::Normalizer;
use crate::spec::{json_media, Schema, SchemaKind, Spec};

/// Which response an example belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A 2xx response: decoded into the operation's result type (the
    /// envelope's `result`, or the whole body).
    Success,
    /// A 4xx response: its `errors` and `messages` decoded into the
    /// runtime's `Message`, as the client does for an `Error::Api`.
    Error,
}

/// One example to round-trip.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The operation whose response it belongs to.
    pub operation_id: String,
    /// The response's status as the description writes it (`200`, `4XX`).
    pub status: String,
    /// Success or error response.
    pub class: Class,
    /// JSON pointer of the schema (or media type) the example came from.
    pub pointer: String,
    /// Whether the spec gives the example whole (rather than assembled from
    /// properties' examples).
    pub whole: bool,
    /// The example of the value the generated method returns (for an error
    /// response: the whole body).
    pub value: Value,
    /// JSON pointers (into `value`) of properties and enum values the example
    /// carries that the description does not declare: the only places the
    /// strict round trip may find in an `extra` map or `Unknown` variant
    /// without blaming the generator.
    pub undeclared: Vec<String>,
}

/// A response the collector cannot round-trip, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The operation.
    pub operation_id: String,
    /// The response status.
    pub status: String,
    /// Why it is not exercised.
    pub reason: String,
}

/// The examples of every operation's 2xx and 4xx responses, in operation
/// order.
#[cfg(test)]
pub fn collect(spec: &Spec) -> Vec<Case> {
    collect_all(spec).0
}

/// The examples, and the responses that have none to round-trip (with why).
pub fn collect_all(spec: &Spec) -> (Vec<Case>, Vec<Skipped>) {
    let normalizer = Normalizer::new(&spec.schemas);
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    for op in &spec.operations {
        for response in &op.responses {
            let class = match response.status.as_bytes().first() {
                Some(b'2') => Class::Success,
                Some(b'4') => Class::Error,
                _ => continue,
            };
            let skip = |reason: &str| Skipped {
                operation_id: op.id.clone(),
                status: response.status.clone(),
                reason: reason.into(),
            };
            if response.content.is_empty() {
                continue;
            }
            let Some(media) = json_media(&response.content) else {
                skipped.push(skip("not JSON"));
                continue;
            };
            match case(&normalizer, op, response, media, class) {
                Some(case) => cases.push(case),
                None => skipped.push(skip("no example, and none can be assembled")),
            }
        }
    }
    (cases, skipped)
}

fn case(
    normalizer: &Normalizer,
    op: &crate::spec::Operation,
    response: &crate::spec::Response,
    media: &crate::spec::MediaType,
    class: Class,
) -> Option<Case> {
    let schema = media.schema.as_ref()?;
    // The envelope's `result` (for a success), or the whole body.
    let resolved = normalizer.resolve(schema).ok();
    let result = match (class, resolved.as_ref().map(|r| &r.kind)) {
        (Class::Success, Some(SchemaKind::Object(o))) if o.is_envelope() => {
            Some(o.properties.get("result").cloned()?)
        }
        _ => None,
    };
    let target = result.as_ref().unwrap_or(schema);
    let (value, pointer, whole) = match (&result, &media.example) {
        (Some(_), Some(example)) => (
            example.get("result")?.clone(),
            media_pointer(response, media),
            true,
        ),
        (None, Some(example)) => (example.clone(), media_pointer(response, media), true),
        (_, None) => {
            let (value, whole) = example_of(normalizer, target, &mut 0)?;
            (value, target.pointer.clone(), whole)
        }
    };
    let mut undeclared_at = Vec::new();
    undeclared(normalizer, target, &value, "", &mut undeclared_at, 0);
    Some(Case {
        operation_id: op.id.clone(),
        status: response.status.clone(),
        class,
        pointer,
        whole,
        value,
        undeclared: undeclared_at,
    })
}

/// Appends the pointers of the parts of `value` that `schema` does not
/// declare: properties of an object that lists its properties and allows no
/// others by schema, and string or integer values outside an `enum`. For a
/// union, the branch declaring most of the value is taken.
pub fn undeclared(
    normalizer: &Normalizer,
    schema: &Schema,
    value: &Value,
    at: &str,
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let Ok(resolved) = normalizer.resolve(schema).result else {
        return;
    };
    let join = |key: &str| {
        let key = key.replace('~', "~0").replace('/', "~1");
        format!("{at}/{key}")
    };
    match (&resolved.kind, value) {
        (SchemaKind::Object(object), Value::Object(map)) => {
            for (key, item) in map {
                match (object.properties.get(key), &object.additional) {
                    (Some(property), _) => {
                        undeclared(normalizer, property, item, &join(key), out, depth + 1)
                    }
                    (None, Some(additional)) => {
                        undeclared(normalizer, additional, item, &join(key), out, depth + 1)
                    }
                    (None, None) => out.push(join(key)),
                }
            }
        }
        (SchemaKind::Array(items), Value::Array(list)) => {
            for (index, item) in list.iter().enumerate() {
                undeclared(
                    normalizer,
                    items,
                    item,
                    &join(&index.to_string()),
                    out,
                    depth + 1,
                );
            }
        }
        (SchemaKind::String { values, .. }, Value::String(text))
            if !values.is_empty() && !values.iter().flatten().any(|v| v == text) =>
        {
            out.push(at.to_string());
        }
        (SchemaKind::Integer { values, .. }, Value::Number(n))
            if !values.is_empty() && !n.as_i64().is_some_and(|n| values.contains(&n)) =>
        {
            out.push(at.to_string());
        }
        (SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants), _) => {
            let best = variants
                .iter()
                .map(|variant| {
                    let mut found = Vec::new();
                    undeclared(normalizer, variant, value, at, &mut found, depth + 1);
                    found
                })
                .min_by_key(Vec::len);
            out.extend(best.unwrap_or_default());
        }
        _ => {}
    }
}

fn media_pointer(response: &crate::spec::Response, media: &crate::spec::MediaType) -> String {
    crate::diagnostic::join(
        &crate::diagnostic::join(&format!("{}/content", response.pointer), &media.media_type),
        "example",
    )
}

/// The example of a schema: its own, or one assembled from its parts.
pub fn example(normalizer: &Normalizer, schema: &Schema) -> Option<Value> {
    example_of(normalizer, schema, &mut 0).map(|(value, _)| value)
}

/// The example of a schema: its own, or one assembled from its parts.
/// Returns the value and whether it was given whole.
fn example_of(
    normalizer: &Normalizer,
    schema: &Schema,
    depth: &mut usize,
) -> Option<(Value, bool)> {
    if let Some(example) = &schema.example {
        return Some((example.clone(), true));
    }
    if *depth > 12 {
        return None;
    }
    *depth += 1;
    let resolved = normalizer.resolve(schema).ok();
    let result = resolved.and_then(|resolved| {
        if let Some(example) = &resolved.example {
            return Some((example.clone(), true));
        }
        match &resolved.kind {
            SchemaKind::Object(object) => {
                let mut map = Map::new();
                for (name, property) in &object.properties {
                    if let Some((value, _)) = example_of(normalizer, property, depth) {
                        map.insert(name.clone(), value);
                    }
                }
                if map.is_empty() {
                    return None;
                }
                // A required property without an example gets the simplest
                // value of its type, so the assembled object is a valid one.
                for name in &object.required {
                    if let (false, Some(property)) =
                        (map.contains_key(name), object.properties.get(name))
                    {
                        if let Some(value) = simplest(normalizer, property, depth) {
                            map.insert(name.clone(), value);
                        }
                    }
                }
                Some((Value::Object(map), false))
            }
            SchemaKind::Array(items) => {
                example_of(normalizer, items, depth).map(|(v, _)| (Value::Array(vec![v]), false))
            }
            SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants) => variants
                .iter()
                .find_map(|v| example_of(normalizer, v, depth)),
            _ => None,
        }
    });
    *depth -= 1;
    result
}

/// The simplest valid value of a schema: the first enum value, an empty
/// string or collection, zero, false, or an object of its required parts.
fn simplest(normalizer: &Normalizer, schema: &Schema, depth: &mut usize) -> Option<Value> {
    if *depth > 12 {
        return None;
    }
    let resolved = normalizer.resolve(schema).ok()?;
    if resolved.nullable {
        return Some(Value::Null);
    }
    *depth += 1;
    let value = match &resolved.kind {
        SchemaKind::String { values, .. } => Some(Value::String(
            values.iter().flatten().next().cloned().unwrap_or_default(),
        )),
        SchemaKind::Integer { values, .. } => {
            Some(Value::from(values.first().copied().unwrap_or(0)))
        }
        SchemaKind::Number { .. } => Some(Value::from(0)),
        SchemaKind::Boolean => Some(Value::Bool(false)),
        SchemaKind::Array(_) => Some(Value::Array(Vec::new())),
        SchemaKind::Object(object) => {
            let mut map = Map::new();
            for name in &object.required {
                if let Some(property) = object.properties.get(name) {
                    map.insert(name.clone(), simplest(normalizer, property, depth)?);
                }
            }
            Some(Value::Object(map))
        }
        SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants) => {
            variants.iter().find_map(|v| simplest(normalizer, v, depth))
        }
        _ => Some(Value::Null),
    };
    *depth -= 1;
    value
}

mod harness;
pub use harness::harness;

#[cfg(test)]
pub(crate) mod tests;
