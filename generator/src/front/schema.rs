//! Schemas: the structural part (`SchemaKind`), flags, docs, examples and
//! constraints, with what 3.0 and 3.1 read differently:
//!
//! - `$ref`: in 3.0 it replaces the schema (siblings are ignored); in 3.1
//!   siblings that only document or flag it (`description`, `nullable`,
//!   `default`, ...) stay on it, other keywords make an `allOf` of both;
//! - `type`: one name in 3.0; a name or a list in 3.1, where `null`
//!   makes the schema nullable and several other types become a `oneOf`
//!   of one schema per type;
//! - `enum` (and 3.1's `const`, a one-value `enum`): `null` among the
//!   values makes a 3.1 schema nullable; without a `type`, 3.0 infers a
//!   string from string values, 3.1 any scalar type;
//! - `example` (3.0) or `example` and then the first of `examples` (3.1);
//! - 3.1's `contentEncoding: base64` is `format: byte`; a
//!   `contentMediaType` that is not text is `format: binary`;
//! - 3.1's `if`/`then`/`else` and `dependentSchemas` (and a schema-valued
//!   `unevaluatedProperties`) change the type in ways Rust types cannot
//!   follow: the schema is typed as `serde_json::Value` with a warning;
//! - a 3.0 schema that is only an `allOf` is an `allOf` even of one
//!   branch (as `openapiv3` reads it), where 3.1 takes the branch itself;
//! - every other keyword (`$comment`, `prefixItems` bounds, ...) is not
//!   used and not an error.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::keywords::{constraints, flag, is_structural, text};
use super::reader::Reader;
use super::Version;
use crate::diagnostic::{join, Kind};
use crate::spec::{Object, Schema, SchemaKind};

/// The keywords `openapiv3` reads into its schema kinds: a 3.0 schema
/// with only one of `allOf`, `oneOf` or `anyOf` among them is read as that
/// combinator alone.
const KIND_KEYWORDS_30: &[&str] = &[
    "allOf",
    "type",
    "pattern",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "format",
    "minLength",
    "maxLength",
    "oneOf",
    "anyOf",
    "not",
];

impl<'a> Reader<'a> {
    pub(super) fn schema(&mut self, value: &'a Value, pointer: &str) -> Schema {
        let map = match value {
            Value::Object(map) => map,
            Value::Bool(true) => return Schema::new(pointer, SchemaKind::Any),
            Value::Bool(false) => return Schema::new(pointer, SchemaKind::Not),
            _ => {
                self.malformed(pointer, "a schema must be a map or a boolean".into());
                return Schema::new(pointer, SchemaKind::Any);
            }
        };
        let reference = map.get("$ref").and_then(Value::as_str);
        if let (Version::V30, Some(reference)) = (self.version, reference) {
            return self.schema_ref(reference, pointer);
        }
        self.beyond_64_bits(map, pointer);
        let mut nullable = flag(value, "nullable");
        let kind = self.kind(map, pointer, &mut nullable);
        let (example, examples, typeless) = match self.version {
            Version::V30 => (
                self.get(value, "example").cloned(),
                Vec::new(),
                self.get(value, "type").is_none(),
            ),
            Version::V31 => {
                let examples = value.get("examples").and_then(Value::as_array);
                (
                    value
                        .get("example")
                        .or_else(|| examples.and_then(|e| e.first()))
                        .cloned(),
                    examples.cloned().unwrap_or_default(),
                    !["type", "$ref", "enum", "const"]
                        .iter()
                        .any(|keyword| map.contains_key(*keyword)),
                )
            }
        };
        Schema {
            pointer: pointer.to_string(),
            kind,
            nullable,
            typeless,
            read_only: flag(value, "readOnly"),
            write_only: flag(value, "writeOnly"),
            deprecated: flag(value, "deprecated"),
            title: text(value, "title"),
            description: text(value, "description"),
            example,
            default: self.get(value, "default").cloned(),
            examples,
            constraints: constraints(self.version, map),
            content_schema: self.content_schema(map, pointer),
        }
    }

    /// A 3.1 string's `contentSchema`.
    fn content_schema(
        &mut self,
        map: &'a Map<String, Value>,
        pointer: &str,
    ) -> Option<Box<Schema>> {
        if self.version == Version::V30 {
            return None;
        }
        let schema = map.get("contentSchema")?;
        Some(Box::new(
            self.schema(schema, &join(pointer, "contentSchema")),
        ))
    }

    /// Warns about a bound written as an integer beyond 64 bits (YAML and
    /// JSON read it as the nearest `f64`): the constraint is not exact.
    fn beyond_64_bits(&mut self, map: &Map<String, Value>, pointer: &str) {
        const LIMIT: f64 = 18_446_744_073_709_551_616.0; // 2^64
        for key in [
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ] {
            let Some(Value::Number(n)) = map.get(key) else {
                continue;
            };
            let Some(v) = n
                .as_f64()
                .filter(|v| n.is_f64() && v.fract() == 0.0 && v.abs() >= LIMIT)
            else {
                continue;
            };
            self.diagnostics.push(
                crate::Diagnostic::warning(
                    Kind::Unsupported,
                    self.origins.locate(&join(pointer, key)),
                    format!("`{key}` is an integer beyond 64 bits; read as the nearest float ({v:.0}), so the bound is not exact"),
                )
                .with_help("write a bound that fits in 64 bits (the largest unsigned one is 18446744073709551615)"),
            );
        }
    }

    /// The structural part of a schema; a `null` type or enum value (3.1)
    /// sets `nullable`.
    fn kind(
        &mut self,
        map: &'a Map<String, Value>,
        pointer: &str,
        nullable: &mut bool,
    ) -> SchemaKind {
        if self.version == Version::V31 {
            if let Some(fallback) = self.value_dependent(map, pointer) {
                return fallback;
            }
        }
        let mut parts = Vec::new();
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            // 3.1 only: a 3.0 reference is the whole schema.
            let reference = self.schema_ref(reference, pointer);
            // Siblings that only document or flag the reference stay on it.
            if !map.keys().any(|k| is_structural(k)) {
                return reference.kind;
            }
            parts.push(reference);
        }
        let types = self.types(map, pointer, nullable);
        let values = self.values(map, nullable);
        let concrete = self.concrete_types(map, types, values.as_deref());
        let mut typed: Vec<Schema> = concrete
            .iter()
            .filter_map(|t| self.typed(t, map, values.as_deref(), pointer))
            .map(|kind| Schema::new(pointer, kind))
            .collect();
        match typed.len() {
            0 => {}
            1 => parts.extend(typed.pop()),
            _ => parts.push(Schema::new(
                pointer,
                SchemaKind::OneOf {
                    variants: typed,
                    discriminator: None,
                },
            )),
        }
        if let Some(all_of) = self.get_member(map, "allOf") {
            let branches = self.list(all_of, &join(pointer, "allOf"));
            if self.only(map, "allOf") {
                return SchemaKind::AllOf(branches);
            }
            parts.extend(branches);
        }
        self.combinators(map, pointer, &mut parts);
        match parts.len() {
            0 => SchemaKind::Any,
            1 => parts.pop().map_or(SchemaKind::Any, |s| s.kind),
            _ => SchemaKind::AllOf(parts),
        }
    }

    /// `map`'s member `key`, as [`Reader::get`] reads it.
    fn get_member(&self, map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
        self.member(map, key)
    }

    /// Whether a 3.0 schema is only the combinator `key` (3.1 has no
    /// such case): it is then that combinator even of one branch or none,
    /// where beside other keywords one branch is the schema itself and an
    /// empty list adds nothing.
    fn only(&self, map: &Map<String, Value>, key: &str) -> bool {
        self.version == Version::V30
            && map
                .iter()
                .all(|(k, v)| v.is_null() || k == key || !KIND_KEYWORDS_30.contains(&k.as_str()))
    }

    /// A 3.0 combinator's list that adds nothing (see [`Reader::only`]).
    fn adds_nothing(&self, map: &Map<String, Value>, key: &str, list: &Value) -> bool {
        self.version == Version::V30
            && list.as_array().is_some_and(Vec::is_empty)
            && !self.only(map, key)
    }

    /// `oneOf`, `anyOf` and `not`, each a part of the schema.
    fn combinators(&mut self, map: &'a Map<String, Value>, pointer: &str, parts: &mut Vec<Schema>) {
        let discriminator = self
            .get_member(map, "discriminator")
            .and_then(|d| text(d, "propertyName"));
        if let Some(one_of) = self
            .get_member(map, "oneOf")
            .filter(|list| !self.adds_nothing(map, "oneOf", list))
        {
            let variants = self.list(one_of, &join(pointer, "oneOf"));
            parts.push(Schema::new(
                join(pointer, "oneOf"),
                SchemaKind::OneOf {
                    variants,
                    discriminator,
                },
            ));
        }
        if let Some(any_of) = self
            .get_member(map, "anyOf")
            .filter(|list| !self.adds_nothing(map, "anyOf", list))
        {
            let variants = self.list(any_of, &join(pointer, "anyOf"));
            parts.push(Schema::new(
                join(pointer, "anyOf"),
                SchemaKind::AnyOf(variants),
            ));
        }
        if self.get_member(map, "not").is_some() {
            parts.push(Schema::new(join(pointer, "not"), SchemaKind::Not));
        }
    }

    /// 3.1 keywords that make the type depend on the value: typed as
    /// `serde_json::Value`, with a warning.
    fn value_dependent(&mut self, map: &Map<String, Value>, pointer: &str) -> Option<SchemaKind> {
        for (keyword, shown) in [
            ("if", "`if`/`then`/`else`"),
            ("dependentSchemas", "`dependentSchemas`"),
        ] {
            if map.contains_key(keyword) {
                self.warn(
                    &join(pointer, keyword),
                    format!(
                        "{shown} makes the type depend on the value; typed as serde_json::Value"
                    ),
                    "describe the alternatives with `oneOf` (and a `const` tag) instead",
                );
                return Some(SchemaKind::Any);
            }
        }
        if map
            .get("unevaluatedProperties")
            .is_some_and(Value::is_object)
        {
            self.warn(
                &join(pointer, "unevaluatedProperties"),
                "`unevaluatedProperties` with a schema depends on what other keywords evaluated; typed as serde_json::Value".into(),
                "use `additionalProperties` with a schema instead",
            );
            return Some(SchemaKind::Any);
        }
        None
    }

    /// The names under `type` (one, or in 3.1 a list), each known one
    /// once; `null` among them (3.1) sets `nullable` and is left out.
    fn types(
        &mut self,
        map: &'a Map<String, Value>,
        pointer: &str,
        nullable: &mut bool,
    ) -> Vec<&'a str> {
        let mut types: Vec<&str> = Vec::new();
        match self.get_member(map, "type") {
            None => {}
            Some(Value::String(t)) => types.push(t),
            Some(Value::Array(list)) => {
                for (i, t) in list.iter().enumerate() {
                    match t.as_str() {
                        Some(t) if !types.contains(&t) => types.push(t),
                        Some(t) => self.error(
                            Kind::NotOpenApi,
                            &format!("{pointer}/type/{i}"),
                            format!("not a valid OpenAPI 3.1 document: type `{t}` is listed twice"),
                            "list each type once",
                        ),
                        None => self.error(
                            Kind::NotOpenApi,
                            &format!("{pointer}/type/{i}"),
                            format!("not a valid OpenAPI 3.1 document: a type must be a name, not `{t}`"),
                            "use one of string, number, integer, boolean, array, object, null",
                        ),
                    }
                }
            }
            Some(other) => self.error(
                Kind::NotOpenApi,
                &join(pointer, "type"),
                format!("not a valid OpenAPI 3.1 document: `type` must be a name or a list of names, not `{other}`"),
                "use one of string, number, integer, boolean, array, object, null (or a list of them)",
            ),
        }
        let (known, help): (&[&str], _) = match self.version {
            Version::V30 => (
                &["string", "number", "integer", "boolean", "array", "object"],
                "use one of string, number, integer, boolean, array, object",
            ),
            Version::V31 => (
                &[
                    "string", "number", "integer", "boolean", "array", "object", "null",
                ],
                "use one of string, number, integer, boolean, array, object, null",
            ),
        };
        for (i, t) in types.iter().enumerate() {
            if !known.contains(t) {
                let at = if map.get("type").is_some_and(Value::is_array) {
                    format!("{pointer}/type/{i}")
                } else {
                    join(pointer, "type")
                };
                self.error(Kind::NotOpenApi, &at, format!("unknown type `{t}`"), help);
            }
        }
        if self.version == Version::V31 && types.contains(&"null") {
            *nullable = true;
            types.retain(|t| *t != "null");
        }
        // An unknown type stays: it is typed as nothing, and stops the
        // type from being inferred from other keywords.
        types
    }

    /// The values of `enum` (and 3.1's `const`); `null` among them (3.1)
    /// sets `nullable`.
    fn values(&self, map: &'a Map<String, Value>, nullable: &mut bool) -> Option<Vec<&'a Value>> {
        let constant = match self.version {
            Version::V30 => None,
            Version::V31 => map.get("const"),
        };
        let values: Option<Vec<&Value>> = match (constant, self.get_member(map, "enum")) {
            (Some(c), _) => Some(vec![c]),
            (None, Some(Value::Array(list))) => Some(list.iter().collect()),
            _ => None,
        };
        if self.version == Version::V31 && values.iter().flatten().any(|v| v.is_null()) {
            *nullable = true;
        }
        values
    }

    /// The (non-null) types of a schema: those under `type`, else what the
    /// other keywords say.
    fn concrete_types(
        &self,
        map: &Map<String, Value>,
        types: Vec<&'a str>,
        values: Option<&[&Value]>,
    ) -> Vec<&'a str> {
        if !types.is_empty() {
            return types;
        }
        let non_null: Vec<&&Value> = values
            .into_iter()
            .flatten()
            .filter(|v| !v.is_null())
            .collect();
        let all =
            |test: fn(&Value) -> bool| !non_null.is_empty() && non_null.iter().all(|v| test(v));
        let inferred = match self.version {
            Version::V30 => {
                let has = |key: &str| map.get(key).is_some_and(|v| !v.is_null());
                let properties = map
                    .get("properties")
                    .and_then(Value::as_object)
                    .is_some_and(|p| !p.is_empty());
                if properties || has("additionalProperties") {
                    Some("object")
                } else if has("items") {
                    Some("array")
                } else if values.is_some_and(|v| !v.is_empty())
                    && values
                        .into_iter()
                        .flatten()
                        .all(|v| v.is_string() || v.is_null())
                {
                    // `null` counts as a string value here.
                    Some("string")
                } else {
                    None
                }
            }
            Version::V31 => {
                if map.contains_key("properties") || map.contains_key("additionalProperties") {
                    Some("object")
                } else if map.contains_key("items") || map.contains_key("prefixItems") {
                    Some("array")
                } else if all(Value::is_string) {
                    Some("string")
                } else if all(Value::is_i64) {
                    Some("integer")
                } else if all(Value::is_number) {
                    Some("number")
                } else if all(Value::is_boolean) {
                    Some("boolean")
                } else {
                    None
                }
            }
        };
        inferred.into_iter().collect()
    }

    /// The schema of one (non-null) type.
    fn typed(
        &mut self,
        ty: &str,
        map: &'a Map<String, Value>,
        values: Option<&[&Value]>,
        pointer: &str,
    ) -> Option<SchemaKind> {
        let format = map
            .get("format")
            .and_then(Value::as_str)
            .map(str::to_string);
        Some(match ty {
            "string" => SchemaKind::String {
                format: format.or_else(|| self.content_format(map)),
                values: values
                    .into_iter()
                    .flatten()
                    // 3.0 reads any other value as `null`.
                    .filter(|v| self.version == Version::V30 || v.is_string() || v.is_null())
                    .map(|v| v.as_str().map(str::to_string))
                    .collect(),
            },
            "integer" => SchemaKind::Integer {
                format,
                values: values
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_i64())
                    .collect(),
            },
            "number" => SchemaKind::Number { format },
            "boolean" => SchemaKind::Boolean,
            "array" => {
                let items = match self.get_member(map, "items") {
                    Some(items) => self.schema(items, &join(pointer, "items")),
                    // A tuple (`prefixItems` alone) has items of several types.
                    None => Schema::new(join(pointer, "items"), SchemaKind::Any),
                };
                SchemaKind::Array(Box::new(items))
            }
            "object" => SchemaKind::Object(self.object(map, pointer)),
            _ => return None,
        })
    }

    /// A 3.1 string's format from `contentEncoding` or `contentMediaType`.
    fn content_format(&self, map: &Map<String, Value>) -> Option<String> {
        if self.version == Version::V30 {
            return None;
        }
        let encoding = map.get("contentEncoding").and_then(Value::as_str);
        let media = map.get("contentMediaType").and_then(Value::as_str);
        match (encoding, media) {
            (Some("base64" | "base64url"), _) => Some("byte".to_string()),
            (Some("binary"), _) => Some("binary".to_string()),
            (None, Some(media)) if !media.starts_with("text/") && !crate::spec::is_json(media) => {
                Some("binary".to_string())
            }
            _ => None,
        }
    }

    fn object(&mut self, map: &'a Map<String, Value>, pointer: &str) -> Object {
        let properties_pointer = join(pointer, "properties");
        let mut properties = BTreeMap::new();
        if let Some(found) = self.get_member(map, "properties") {
            if let Some(found) = self.map(found, &properties_pointer, "`properties`") {
                for (name, schema) in found {
                    properties.insert(
                        name.clone(),
                        self.schema(schema, &join(&properties_pointer, name)),
                    );
                }
            }
        }
        let required: BTreeSet<String> = map
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let unevaluated = match self.version {
            Version::V30 => None,
            Version::V31 => map.get("unevaluatedProperties").filter(|v| v.is_boolean()),
        };
        let additional_value = self.get_member(map, "additionalProperties").or(unevaluated);
        let (additional, closed) = match additional_value {
            None | Some(Value::Bool(true)) => (None, false),
            Some(Value::Bool(false)) => (None, true),
            Some(schema) => (
                Some(Box::new(
                    self.schema(schema, &join(pointer, "additionalProperties")),
                )),
                false,
            ),
        };
        Object {
            properties,
            required,
            additional,
            closed,
        }
    }

    fn list(&mut self, schemas: &'a Value, pointer: &str) -> Vec<Schema> {
        match schemas {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, s)| self.schema(s, &format!("{pointer}/{i}")))
                .collect(),
            _ => {
                self.malformed(pointer, "this must be a list of schemas".into());
                Vec::new()
            }
        }
    }
}
