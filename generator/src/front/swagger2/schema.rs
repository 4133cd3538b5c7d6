//! Schemas: references to `definitions`, `x-nullable`, string
//! discriminators and `file`; the schema of a non-body parameter (its
//! `type`, `format`, `items`, constraints) and its `collectionFormat`.

use serde_json::{json, Map, Value};

use super::Converter;
use crate::diagnostic::join;

/// The keywords of a non-body parameter (or response header, or `items`)
/// that describe its value, and move under `schema`.
const VALUE_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// How an array is written, as 3.0's `style` and `explode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Style {
    pub style: &'static str,
    pub explode: bool,
}

impl Converter<'_> {
    /// A schema at `at` in the 2.0 document, placed at `to` in the
    /// converted one.
    pub(super) fn schema(&mut self, value: &Value, at: &str, to: &str) -> Value {
        self.trace.record(to, at);
        self.walk(value, at, to)
    }

    fn walk(&mut self, value: &Value, at: &str, to: &str) -> Value {
        let Value::Object(map) = value else {
            return value.clone();
        };
        let mut out = Map::new();
        for (key, child) in map {
            let (at_key, to_key) = (join(at, key), join(to, key));
            let converted = match key.as_str() {
                "$ref" => match child.as_str() {
                    Some(reference) => json!(self.schema_reference(reference, &at_key)),
                    None => child.clone(),
                },
                "properties" | "patternProperties" => {
                    let mut properties = Map::new();
                    for (name, schema) in super::as_map(child) {
                        let walked = self.walk(schema, &join(&at_key, name), &join(&to_key, name));
                        properties.insert(name.clone(), walked);
                    }
                    Value::Object(properties)
                }
                "items" | "additionalProperties" | "not" => self.walk_any(child, &at_key, &to_key),
                "allOf" | "anyOf" | "oneOf" => self.walk_any(child, &at_key, &to_key),
                "x-nullable" => {
                    if child == &Value::Bool(true) {
                        self.trace.record(&join(to, "nullable"), &at_key);
                        out.insert("nullable".into(), Value::Bool(true));
                    }
                    continue;
                }
                "discriminator" => match child.as_str() {
                    Some(property) => {
                        self.trace.record(&join(&to_key, "propertyName"), &at_key);
                        json!({ "propertyName": property })
                    }
                    None => child.clone(),
                },
                _ => child.clone(),
            };
            out.insert(key.clone(), converted);
        }
        file_to_binary(&mut out);
        if out.get("nullable") == Some(&Value::Bool(true)) && out.contains_key("$ref") {
            // `$ref` siblings are ignored in 3.0: the reference goes into an
            // `allOf`, which keeps the `nullable` beside it.
            if let Some(reference) = out.remove("$ref") {
                let to = join(&join(&join(to, "allOf"), "0"), "$ref");
                self.trace.record(&to, &join(at, "$ref"));
                out.insert("allOf".into(), json!([{ "$ref": reference }]));
            }
        }
        Value::Object(out)
    }

    /// A schema, a list of schemas or a boolean (`additionalProperties`).
    fn walk_any(&mut self, value: &Value, at: &str, to: &str) -> Value {
        match value {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let index = i.to_string();
                        self.walk(item, &join(at, &index), &join(to, &index))
                    })
                    .collect(),
            ),
            other => self.walk(other, at, to),
        }
    }

    /// A reference in a schema: `#/definitions/X` becomes
    /// `#/components/schemas/X` (checked); any other is kept.
    fn schema_reference(&mut self, reference: &str, at: &str) -> String {
        if reference.starts_with("#/definitions/") {
            // A missing target is reported; the reference is rewritten all
            // the same (the conversion fails as a whole).
            self.target(reference, "definitions", at);
            return reference.replacen("#/definitions/", "#/components/schemas/", 1);
        }
        reference.to_string()
    }

    /// The schema of a non-body parameter, response header or `items`: its
    /// value keywords, `items` converted the same way (a nested
    /// `collectionFormat` has no 3.0 counterpart and is dropped).
    pub(super) fn value_schema(&mut self, parameter: &Value) -> Value {
        let mut out = Map::new();
        for key in VALUE_KEYS {
            let Some(value) = parameter.get(*key) else {
                continue;
            };
            match *key {
                "items" => {
                    out.insert("items".into(), self.value_schema(value));
                }
                "x-nullable" => {
                    if value == &Value::Bool(true) {
                        out.insert("nullable".into(), Value::Bool(true));
                    }
                }
                _ => {
                    out.insert(key.to_string(), value.clone());
                }
            }
        }
        file_to_binary(&mut out);
        Value::Object(out)
    }

    /// The `style` and `explode` of an array parameter in `location`
    /// (`query`, `path`, `header`, `formData`) from its `collectionFormat`
    /// (2.0's default is `csv`); `None` for a value that is no array.
    pub(super) fn style(&mut self, parameter: &Value, location: &str, at: &str) -> Option<Style> {
        if parameter.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let format = parameter.get("collectionFormat").and_then(Value::as_str);
        let at = join(at, "collectionFormat");
        let in_query = matches!(location, "query" | "formData");
        let csv = if in_query {
            Style {
                style: "form",
                explode: false,
            }
        } else {
            Style {
                style: "simple",
                explode: false,
            }
        };
        let style = |style| Style {
            style,
            explode: false,
        };
        Some(match format.unwrap_or("csv") {
            "csv" => csv,
            "ssv" if in_query => style("spaceDelimited"),
            "pipes" if in_query => style("pipeDelimited"),
            "multi" if in_query => Style {
                style: "form",
                explode: true,
            },
            "tsv" => {
                self.warn(
                    &at,
                    "`collectionFormat: tsv` has no OpenAPI 3 style: the values are sent comma-separated (`csv`)",
                    "use `csv`, `ssv`, `pipes` or `multi` if the server accepts one of them",
                );
                csv
            }
            other => {
                self.warn(
                    &at,
                    format!(
                        "`collectionFormat: {other}` is not available for a `{location}` parameter: the values are sent comma-separated (`csv`)"
                    ),
                    "use `csv` for path and header parameters",
                );
                csv
            }
        })
    }
}

/// `type: file` (a form upload or a download) as a binary string.
fn file_to_binary(schema: &mut Map<String, Value>) {
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".into(), json!("string"));
        schema.insert("format".into(), json!("binary"));
    }
}
