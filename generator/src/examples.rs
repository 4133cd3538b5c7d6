//! Proof against the spec's own examples: for every operation, the example of
//! its response (a whole one where the spec gives it, else assembled from its
//! properties' examples) is decoded into the generated type and encoded back,
//! and the two must be equal.
//!
//! [`collect`] finds the examples; [`harness`] emits a test module that runs
//! the round trips inside the generated crate and checks each failure is
//! listed as a known error of the description.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use crate::model::{Decode, Model};
use crate::normalize::Normalizer;
use crate::spec::{json_media, Schema, SchemaKind, Spec};

/// One example to round-trip.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The operation whose response it belongs to.
    pub operation_id: String,
    /// JSON pointer of the schema (or media type) the example came from.
    pub pointer: String,
    /// Whether the spec gives the example whole (rather than assembled from
    /// properties' examples).
    pub whole: bool,
    /// The example of the value the generated method returns.
    pub value: Value,
}

/// The examples of every operation's success response, in operation order.
pub fn collect(spec: &Spec) -> Vec<Case> {
    let normalizer = Normalizer::new(&spec.schemas);
    let mut cases = Vec::new();
    for op in &spec.operations {
        let Some(response) = op.success_response() else {
            continue;
        };
        let Some(media) = json_media(&response.content) else {
            continue;
        };
        let Some(schema) = &media.schema else {
            continue;
        };
        // The envelope's `result`, or the whole body.
        let resolved = normalizer.resolve(schema).ok();
        let result = resolved.as_ref().and_then(|r| match &r.kind {
            SchemaKind::Object(o) if o.is_envelope() => Some(o.properties.get("result").cloned()),
            _ => None,
        });
        let (target, from_media) = match (&result, &media.example) {
            (Some(Some(result)), Some(example)) => (
                example
                    .get("result")
                    .cloned()
                    .map(|v| (v, media_pointer(response, media))),
                Some(result.clone()),
            ),
            (None, Some(example)) => (
                Some((example.clone(), media_pointer(response, media))),
                None,
            ),
            (Some(Some(result)), None) => (None, Some(result.clone())),
            (None, None) => (None, Some(schema.clone())),
            (Some(None), _) => continue,
        };
        let case = match target {
            Some((value, pointer)) => Some(Case {
                operation_id: op.id.clone(),
                pointer,
                whole: true,
                value,
            }),
            None => from_media.and_then(|schema| {
                let mut depth = 0;
                example_of(&normalizer, &schema, &mut depth).map(|(value, whole)| Case {
                    operation_id: op.id.clone(),
                    pointer: schema.pointer.clone(),
                    whole,
                    value,
                })
            }),
        };
        cases.extend(case);
    }
    cases
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

/// A `#[cfg(test)]` module for the generated crate's `lib.rs` that round-trips
/// every case through the operation's result type. Failures whose pointers are
/// listed in the file named by `APIGEN_KNOWN_EXAMPLE_ERRORS` (one per line, as
/// `` `pointer` `` anywhere in the line) are reported but allowed.
pub fn harness(model: &Model, cases: &[Case]) -> TokenStream {
    let checks = cases.iter().filter_map(|case| {
        let op = model
            .operations
            .iter()
            .find(|o| o.operation_id == case.operation_id)?;
        if !matches!(op.response.decode, Decode::Envelope | Decode::Json) {
            return None;
        }
        let ty = crate::emit::rust_type_from_root(model, &op.response.ty);
        let feature = &model.areas[op.area.0].feature;
        let id = &case.operation_id;
        let pointer = &case.pointer;
        let json = serde_json::to_string(&case.value).ok()?;
        Some(quote! {
            #[cfg(feature = #feature)]
            report.check::<#ty>(#id, #pointer, #json);
        })
    });
    quote! {
        /// Round trips of the description's examples (generated with `--example-tests`).
        #[cfg(test)]
        mod spec_examples {
            #[derive(Default)]
            struct Report {
                passed: usize,
                failed: ::std::vec::Vec<(::std::string::String, ::std::string::String, ::std::string::String)>,
            }

            /// Equal as JSON, with numbers compared by value (`3600` and `3600.0`).
            fn same(a: &::serde_json::Value, b: &::serde_json::Value) -> bool {
                use ::serde_json::Value;
                match (a, b) {
                    (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                    (Value::Array(x), Value::Array(y)) => {
                        x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
                    }
                    (Value::Object(x), Value::Object(y)) => {
                        x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
                    }
                    _ => a == b,
                }
            }

            impl Report {
                fn check<T>(&mut self, operation: &str, pointer: &str, json: &str)
                where
                    T: ::serde::de::DeserializeOwned + ::serde::Serialize,
                {
                    let failure = match ::serde_json::from_str::<::serde_json::Value>(json) {
                        Err(e) => Some(e.to_string()),
                        Ok(example) => {
                            let mut deserializer = ::serde_json::Deserializer::from_str(json);
                            match ::serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
                                Err(e) => Some(::std::format!("decode at `{}`: {}", e.path(), e.inner())),
                                Ok(decoded) => match ::serde_json::to_value(&decoded) {
                                    Err(e) => Some(::std::format!("encode: {e}")),
                                    Ok(back) if same(&back, &example) => None,
                                    Ok(back) => Some(::std::format!("round trip changed the value: {back}")),
                                },
                            }
                        }
                    };
                    match failure {
                        None => self.passed += 1,
                        Some(reason) => self.failed.push((operation.into(), pointer.into(), reason)),
                    }
                }
            }

            #[test]
            fn examples_round_trip() {
                let mut report = Report::default();
                #(#checks)*
                let known = ::std::env::var("APIGEN_KNOWN_EXAMPLE_ERRORS")
                    .ok()
                    .and_then(|path| ::std::fs::read_to_string(path).ok())
                    .unwrap_or_default();
                let total = report.passed + report.failed.len();
                let mut unexplained = 0;
                for (operation, pointer, reason) in &report.failed {
                    let listed = known.contains(&::std::format!("`{pointer}`"));
                    if !listed {
                        unexplained += 1;
                    }
                    ::std::println!(
                        "{} {operation} at {pointer}: {reason}",
                        if listed { "known" } else { "FAILED" }
                    );
                }
                ::std::println!("examples: {} of {} round-trip; {} failures, {} not listed as description errors",
                    report.passed, total, report.failed.len(), unexplained);
                ::std::assert_eq!(unexplained, 0, "examples failed that are not listed as errors in the description");
            }
        }
    }
}
