//! Converts an OpenAPI 3.1 document, read as plain JSON, into the generator's
//! own [`Spec`]: the sibling of [`crate::oas30`] for 3.1.
//!
//! `openapiv3` models 3.0 only, and no maintained crate models 3.1 with the
//! JSON Schema 2020-12 keywords it allows, so this reads `serde_json::Value`s.
//! What 3.1 adds, and what becomes of it:
//!
//! - `type` lists: `null` among them makes the schema nullable; several other
//!   types become a `oneOf` of one schema per type;
//! - `const` is a one-value `enum` (and so a tag `oneOf` dispatch can use);
//!   `null` inside `enum` makes it nullable; `nullable: true` is still read;
//! - `examples` lists give the first as the example;
//! - `$ref` may have siblings: `description`, `nullable`, `default`, flags
//!   apply to the reference; other keywords make it an `allOf` of both;
//! - `contentEncoding: base64` is `format: byte`; a `contentMediaType` that
//!   is not text is `format: binary`;
//! - `if`/`then`/`else` and `dependentSchemas` (and a schema-valued
//!   `unevaluatedProperties`) change the type in ways Rust types cannot
//!   follow: the schema is typed as `serde_json::Value` with a warning;
//! - every other keyword (`exclusiveMinimum` as a number, `$comment`,
//!   `prefixItems` bounds, `info.summary`, `license.identifier`, ...) is not
//!   used and not an error.
//!
//! References are already of the form `#/components/<section>/<name>`
//! ([`crate::bundle`] copied everything else in); those to parameters,
//! request bodies and responses are followed here, schema references are
//! kept by name. The whole-document checks are those of [`crate::oas30`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diagnostic::{join, Diagnostic, Kind};
use crate::merge::Origins;
use crate::oas30::{method_rank, path_parameter_problems, unescape, METHODS};
use crate::spec::{
    json_media, Bound, Constraints, MediaType, Object, Operation, Parameter, ParameterLocation,
    PathTemplate, RequestBody, Response, Schema, SchemaKind, SecurityScheme, SecuritySchemeKind,
    Serialization, Server, Spec, Style, Webhook,
};

const HELP_31: &str = "fix the value at this pointer to match the OpenAPI 3.1 specification";

/// Converts the merged (and bundled) document. Errors are returned together;
/// warnings are returned alongside a successful result.
pub fn convert(doc: &Value, origins: &Origins) -> (Spec, Vec<Diagnostic>) {
    let empty = Map::new();
    let components = doc
        .get("components")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut converter = Converter {
        doc,
        components,
        origins,
        diagnostics: Vec::new(),
    };
    let spec = converter.spec();
    (spec, converter.diagnostics)
}

struct Converter<'a> {
    doc: &'a Value,
    components: &'a Map<String, Value>,
    origins: &'a Origins,
    diagnostics: Vec<Diagnostic>,
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

impl<'a> Converter<'a> {
    fn error(&mut self, kind: Kind, pointer: &str, message: String, help: &str) {
        let location = self.origins.locate(pointer);
        self.diagnostics
            .push(Diagnostic::error(kind, location, message).with_help(help));
    }

    fn warn(&mut self, pointer: &str, message: String, help: &str) {
        let location = self.origins.locate(pointer);
        self.diagnostics
            .push(Diagnostic::warning(Kind::Fallback, location, message).with_help(help));
    }

    /// Checks that `value` at `pointer` is a map; reports it otherwise.
    fn map(
        &mut self,
        value: &'a Value,
        pointer: &str,
        what: &str,
    ) -> Option<&'a Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            _ => {
                self.error(
                    Kind::NotOpenApi,
                    pointer,
                    format!("not a valid OpenAPI 3.1 document: {what} must be a map"),
                    HELP_31,
                );
                None
            }
        }
    }

    fn spec(&mut self) -> Spec {
        let doc = self.doc;
        let info = doc.get("info").unwrap_or(&Value::Null);
        if !info.is_object() {
            self.error(
                Kind::NotOpenApi,
                "/info",
                "not a valid OpenAPI 3.1 document: `info` (with `title` and `version`) is missing"
                    .into(),
                HELP_31,
            );
        }
        let mut spec = Spec {
            title: text(info, "title").unwrap_or_default(),
            version: text(info, "version").unwrap_or_default(),
            description: text(info, "description").or_else(|| text(info, "summary")),
            servers: servers(doc),
            tags: doc
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|t| Some((text(t, "name")?, text(t, "description"))))
                .collect(),
            ..Spec::default()
        };
        for (name, schema) in entries(self.components.get("schemas")) {
            let pointer = join("/components/schemas", name);
            let schema = self.schema(schema, &pointer);
            spec.schemas.insert(name.clone(), schema);
        }
        for (name, scheme) in entries(self.components.get("securitySchemes")) {
            if let Some(scheme) = security_scheme(scheme) {
                spec.security_schemes.insert(name.clone(), scheme);
            }
        }
        let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
        let paths = match doc.get("paths") {
            None => None,
            Some(paths) => self.map(paths, "/paths", "`paths`"),
        };
        for (path, item) in paths.into_iter().flatten() {
            let item_pointer = join("/paths", path);
            let Some(item) = self.map(item, &item_pointer, "a path item") else {
                continue;
            };
            for method in METHODS {
                let Some(operation) = item.get(*method) else {
                    continue;
                };
                let pointer = join(&item_pointer, method);
                let Some(operation) = self.map(operation, &pointer, "an operation") else {
                    continue;
                };
                let op = self.operation(path, method, item, operation, &pointer);
                if let Some(first) = seen_ids.get(&op.id) {
                    let location = self.origins.locate(&join(&pointer, "operationId"));
                    let related = self.origins.locate(&join(first, "operationId"));
                    self.diagnostics.push(
                        Diagnostic::error(
                            Kind::DuplicateOperation,
                            location,
                            format!("operationId `{}` is used by two operations", op.id),
                        )
                        .with_related(related)
                        .with_help("give each operation a unique operationId"),
                    );
                } else {
                    seen_ids.insert(op.id.clone(), pointer.clone());
                }
                spec.operations.push(op);
            }
        }
        spec.operations.sort_by(|a, b| {
            (a.path.as_str(), method_rank(&a.method))
                .cmp(&(b.path.as_str(), method_rank(&b.method)))
        });
        spec.webhooks = self.webhooks();
        spec
    }

    /// The payloads of `webhooks`: each method's JSON request body.
    fn webhooks(&mut self) -> Vec<Webhook> {
        let doc = self.doc;
        let mut webhooks = Vec::new();
        for (name, item) in entries(doc.get("webhooks")) {
            let item_pointer = join("/webhooks", name);
            let Some(item) = self.map(item, &item_pointer, "a path item") else {
                continue;
            };
            for method in METHODS {
                let Some(operation) = item.get(*method).and_then(Value::as_object) else {
                    continue;
                };
                let pointer = join(&item_pointer, method);
                let payload = operation.get("requestBody").and_then(|body| {
                    let (body, body_pointer) =
                        self.resolve(body, &join(&pointer, "requestBody"), "requestBodies")?;
                    let content =
                        self.content(body.get("content"), &join(&body_pointer, "content"));
                    json_media(&content).and_then(|media| media.schema.clone())
                });
                webhooks.push(Webhook {
                    name: name.clone(),
                    method: method.to_ascii_uppercase(),
                    summary: operation
                        .get("summary")
                        .or_else(|| operation.get("description"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    pointer,
                    payload,
                });
            }
        }
        webhooks
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a Map<String, Value>,
        op: &'a Map<String, Value>,
        pointer: &str,
    ) -> Operation {
        let op_value = |key: &str| op.get(key);
        let id = op_value("operationId")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| crate::naming::operation_id(method, path));
        // Parsed once here; `lower` takes the parameters from it.
        let template = PathTemplate::parse(path);

        let mut parameters: Vec<Parameter> = Vec::new();
        let item_pointer = pointer.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        let list = |value: Option<&'a Value>| value.and_then(Value::as_array).into_iter().flatten();
        let sources = list(item.get("parameters"))
            .enumerate()
            .map(|(i, p)| (p, format!("{item_pointer}/parameters/{i}")))
            .chain(
                list(op.get("parameters"))
                    .enumerate()
                    .map(|(i, p)| (p, format!("{pointer}/parameters/{i}"))),
            );
        for (parameter, parameter_pointer) in sources {
            if let Some(parameter) = self.parameter(parameter, &parameter_pointer) {
                parameters
                    .retain(|p| !(p.name == parameter.name && p.location == parameter.location));
                parameters.push(parameter);
            }
        }
        for (at, message, help) in path_parameter_problems(&template, pointer, &parameters) {
            self.error(Kind::PathParameter, &at, message, &help);
        }

        let request_body = op.get("requestBody").and_then(|body| {
            let (body, body_pointer) =
                self.resolve(body, &join(pointer, "requestBody"), "requestBodies")?;
            Some(RequestBody {
                required: flag(body, "required"),
                description: text(body, "description"),
                content: self.content(body.get("content"), &join(&body_pointer, "content")),
                pointer: body_pointer,
            })
        });

        let mut responses = Vec::new();
        let responses_pointer = join(pointer, "responses");
        for (status, response) in entries(op.get("responses")) {
            let response_pointer = join(&responses_pointer, status);
            let Some((response, response_pointer)) =
                self.resolve(response, &response_pointer, "responses")
            else {
                continue;
            };
            let status = if status.len() == 3 {
                status.replace('x', "X")
            } else {
                status.clone()
            };
            responses.push(Response {
                status,
                description: text(response, "description").filter(|d| !d.is_empty()),
                content: self.content(response.get("content"), &join(&response_pointer, "content")),
                pointer: response_pointer,
            });
        }
        // `default` last, as the 3.0 reader orders it.
        responses.sort_by_key(|r| r.status == "default");

        let security = op
            .get("security")
            .or(self.doc.get("security"))
            .and_then(Value::as_array)
            .map(|requirements| {
                requirements
                    .iter()
                    .map(|requirement| {
                        requirement
                            .as_object()
                            .map(|r| r.keys().cloned().collect())
                            .unwrap_or_default()
                    })
                    .collect()
            });

        Operation {
            id,
            method: method.to_string(),
            path: template,
            pointer: pointer.to_string(),
            summary: op_value("summary")
                .and_then(Value::as_str)
                .map(str::to_string),
            description: op_value("description")
                .and_then(Value::as_str)
                .map(str::to_string),
            tags: op_value("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            deprecated: op_value("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            parameters,
            request_body,
            responses,
            security,
        }
    }

    fn parameter(&mut self, parameter: &'a Value, pointer: &str) -> Option<Parameter> {
        let (parameter, pointer) = self.resolve(parameter, pointer, "parameters")?;
        let location = match parameter.get("in").and_then(Value::as_str) {
            Some("query") => ParameterLocation::Query,
            Some("header") => ParameterLocation::Header,
            Some("path") => ParameterLocation::Path,
            Some("cookie") => ParameterLocation::Cookie,
            other => {
                self.error(
                    Kind::NotOpenApi,
                    &join(&pointer, "in"),
                    format!(
                        "not a valid OpenAPI 3.1 document: parameter location {}",
                        other.map_or("is missing".to_string(), |o| format!("`{o}` is unknown"))
                    ),
                    "set `in` to one of path, query, header, cookie",
                );
                return None;
            }
        };
        let Some(name) = text(parameter, "name") else {
            self.error(
                Kind::NotOpenApi,
                &pointer,
                "not a valid OpenAPI 3.1 document: the parameter has no `name`".into(),
                HELP_31,
            );
            return None;
        };
        let schema = if let Some(schema) = parameter.get("schema") {
            self.schema(schema, &join(&pointer, "schema"))
        } else {
            entries(parameter.get("content"))
                .next()
                .and_then(|(media, m)| {
                    m.get("schema").map(|s| {
                        self.schema(s, &join(&join(&join(&pointer, "content"), media), "schema"))
                    })
                })
                .unwrap_or_else(|| Schema::new(pointer.clone(), SchemaKind::Any))
        };
        let serialization = self.serialization(parameter, &pointer);
        Some(Parameter {
            name,
            location,
            required: flag(parameter, "required") || location == ParameterLocation::Path,
            description: text(parameter, "description"),
            deprecated: flag(parameter, "deprecated"),
            schema,
            serialization,
            pointer,
        })
    }

    /// `style`, `explode` and `allowReserved` of a parameter or an
    /// `encoding` entry; an unknown style is reported and left out.
    fn serialization(&mut self, value: &Value, pointer: &str) -> Serialization {
        let style = match value.get("style").and_then(Value::as_str) {
            Some(name) => {
                let style = Style::parse(name);
                if style.is_none() {
                    self.error(
                        Kind::NotOpenApi,
                        &join(pointer, "style"),
                        format!("not a valid OpenAPI 3.1 document: style `{name}` is unknown"),
                        "use one of form, spaceDelimited, pipeDelimited, deepObject, simple, label, matrix",
                    );
                }
                style
            }
            None => None,
        };
        Serialization {
            style,
            explode: value.get("explode").and_then(Value::as_bool),
            allow_reserved: flag(value, "allowReserved"),
        }
    }

    fn content(&mut self, content: Option<&'a Value>, pointer: &str) -> Vec<MediaType> {
        let mut out = Vec::new();
        for (media_type, media) in entries(content) {
            let example = media.get("example").cloned().or_else(|| {
                entries(media.get("examples")).find_map(|(_, e)| {
                    let e = match e.get("$ref").and_then(Value::as_str) {
                        Some(reference) => reference
                            .strip_prefix("#/components/examples/")
                            .and_then(|name| {
                                self.components.get("examples")?.get(unescape(name))
                            })?,
                        None => e,
                    };
                    e.get("value").cloned()
                })
            });
            out.push(MediaType {
                media_type: media_type.clone(),
                schema: media
                    .get("schema")
                    .map(|s| self.schema(s, &join(&join(pointer, media_type), "schema"))),
                example,
                encoding: entries(media.get("encoding"))
                    .map(|(name, encoding)| {
                        let at = join(&join(&join(pointer, media_type), "encoding"), name);
                        (name.clone(), self.serialization(encoding, &at))
                    })
                    .collect(),
                content_types: entries(media.get("encoding"))
                    .filter_map(|(name, encoding)| {
                        let content_type = encoding.get("contentType")?.as_str()?;
                        Some((name.clone(), content_type.to_owned()))
                    })
                    .collect(),
            });
        }
        out
    }

    /// Follows a reference to `#/components/<section>/<name>` (through chains
    /// of references, with a depth limit against cycles).
    fn resolve(
        &mut self,
        item: &'a Value,
        pointer: &str,
        section: &str,
    ) -> Option<(&'a Value, String)> {
        let mut current = item;
        let mut at = pointer.to_string();
        for _ in 0..32 {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                return Some((current, at));
            };
            let prefix = format!("#/components/{section}/");
            let target = reference
                .strip_prefix(&prefix)
                .map(unescape)
                .and_then(|name| {
                    self.components
                        .get(section)
                        .and_then(|c| c.get(&name))
                        .map(|t| (t, name))
                });
            match target {
                Some((next, name)) => {
                    current = next;
                    at = join(&format!("/components/{section}"), &name);
                }
                None => {
                    self.error(
                        Kind::BadReference,
                        &join(&at, "$ref"),
                        format!("`$ref: {reference}` does not point to an existing `components.{section}` entry"),
                        "check the name, or define the component",
                    );
                    return None;
                }
            }
        }
        self.error(
            Kind::BadReference,
            pointer,
            "reference chain is a cycle".into(),
            "make the references end at a definition",
        );
        None
    }

    fn schema_ref(&mut self, reference: &str, pointer: &str) -> Schema {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .map(unescape);
        let exists = name.as_ref().is_some_and(|name| {
            self.components
                .get("schemas")
                .is_some_and(|c| c.get(name).is_some())
        });
        match name {
            Some(name) if exists => Schema::new(pointer, SchemaKind::Ref(name)),
            _ => {
                self.error(
                    Kind::BadReference,
                    &join(pointer, "$ref"),
                    format!("`$ref: {reference}` does not point to an existing schema"),
                    "reference a schema under `#/components/schemas/`, or define it",
                );
                Schema::new(pointer, SchemaKind::Any)
            }
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
                self.error(
                    Kind::NotOpenApi,
                    pointer,
                    "not a valid OpenAPI 3.1 document: this must be a list of schemas".into(),
                    HELP_31,
                );
                Vec::new()
            }
        }
    }

    fn schema(&mut self, value: &'a Value, pointer: &str) -> Schema {
        let map = match value {
            Value::Object(map) => map,
            Value::Bool(true) => return Schema::new(pointer, SchemaKind::Any),
            Value::Bool(false) => return Schema::new(pointer, SchemaKind::Not),
            _ => {
                self.error(
                    Kind::NotOpenApi,
                    pointer,
                    "not a valid OpenAPI 3.1 document: a schema must be a map or a boolean".into(),
                    HELP_31,
                );
                return Schema::new(pointer, SchemaKind::Any);
            }
        };
        let mut nullable = flag(value, "nullable");
        let kind = self.kind(map, pointer, &mut nullable);
        let example = value.get("example").cloned().or_else(|| {
            value
                .get("examples")
                .and_then(Value::as_array)
                .and_then(|e| e.first())
                .cloned()
        });
        let typeless = !["type", "$ref", "enum", "const"]
            .iter()
            .any(|keyword| map.contains_key(*keyword));
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
            default: value.get("default").cloned(),
            examples: value
                .get("examples")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            constraints: constraints(map),
        }
    }

    /// The structural part of a schema; a `null` type or enum value sets
    /// `nullable`.
    fn kind(
        &mut self,
        map: &'a Map<String, Value>,
        pointer: &str,
        nullable: &mut bool,
    ) -> SchemaKind {
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
                return SchemaKind::Any;
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
            return SchemaKind::Any;
        }

        let mut parts = Vec::new();
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            let reference = self.schema_ref(reference, pointer);
            // Siblings that only document or flag the reference stay on it.
            let structural = map.keys().any(|k| is_structural(k));
            if !structural {
                return reference.kind;
            }
            parts.push(reference);
        }

        // `type`: a name or a list of names.
        let mut types: Vec<&str> = Vec::new();
        match map.get("type") {
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
        for (i, t) in types.iter().enumerate() {
            if !matches!(
                *t,
                "string" | "number" | "integer" | "boolean" | "array" | "object" | "null"
            ) {
                let at = if map.get("type").is_some_and(Value::is_array) {
                    format!("{pointer}/type/{i}")
                } else {
                    join(pointer, "type")
                };
                self.error(
                    Kind::NotOpenApi,
                    &at,
                    format!("unknown type `{t}`"),
                    "use one of string, number, integer, boolean, array, object, null",
                );
            }
        }
        if types.contains(&"null") {
            *nullable = true;
        }

        // `enum` and `const`.
        let mut values: Option<Vec<&Value>> = match (map.get("const"), map.get("enum")) {
            (Some(c), _) => Some(vec![c]),
            (None, Some(Value::Array(list))) => Some(list.iter().collect()),
            _ => None,
        };
        if let Some(list) = &mut values {
            if list.iter().any(|v| v.is_null()) {
                *nullable = true;
            }
        }
        let mut concrete: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
        if concrete.is_empty() {
            // No type: what the other keywords say.
            if map.contains_key("properties") || map.contains_key("additionalProperties") {
                concrete.push("object");
            } else if map.contains_key("items") || map.contains_key("prefixItems") {
                concrete.push("array");
            } else if let Some(list) = &values {
                let non_null: Vec<&&Value> = list.iter().filter(|v| !v.is_null()).collect();
                if !non_null.is_empty() && non_null.iter().all(|v| v.is_string()) {
                    concrete.push("string");
                } else if !non_null.is_empty() && non_null.iter().all(|v| v.is_i64()) {
                    concrete.push("integer");
                } else if !non_null.is_empty() && non_null.iter().all(|v| v.is_number()) {
                    concrete.push("number");
                } else if !non_null.is_empty() && non_null.iter().all(|v| v.is_boolean()) {
                    concrete.push("boolean");
                }
            }
        }
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

        if let Some(all_of) = map.get("allOf") {
            parts.extend(self.list(all_of, &join(pointer, "allOf")));
        }
        let discriminator = map
            .get("discriminator")
            .and_then(|d| text(d, "propertyName"));
        if let Some(one_of) = map.get("oneOf") {
            let variants = self.list(one_of, &join(pointer, "oneOf"));
            parts.push(Schema::new(
                join(pointer, "oneOf"),
                SchemaKind::OneOf {
                    variants,
                    discriminator,
                },
            ));
        }
        if let Some(any_of) = map.get("anyOf") {
            let variants = self.list(any_of, &join(pointer, "anyOf"));
            parts.push(Schema::new(
                join(pointer, "anyOf"),
                SchemaKind::AnyOf(variants),
            ));
        }
        if map.contains_key("not") {
            parts.push(Schema::new(join(pointer, "not"), SchemaKind::Not));
        }
        match parts.len() {
            0 => SchemaKind::Any,
            1 => parts.pop().map_or(SchemaKind::Any, |s| s.kind),
            _ => SchemaKind::AllOf(parts),
        }
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
            "string" => {
                let format = format.or_else(|| {
                    let encoding = map.get("contentEncoding").and_then(Value::as_str);
                    let media = map.get("contentMediaType").and_then(Value::as_str);
                    match (encoding, media) {
                        (Some("base64" | "base64url"), _) => Some("byte".to_string()),
                        (Some("binary"), _) => Some("binary".to_string()),
                        (None, Some(media))
                            if !media.starts_with("text/") && !crate::spec::is_json(media) =>
                        {
                            Some("binary".to_string())
                        }
                        _ => None,
                    }
                });
                SchemaKind::String {
                    format,
                    values: values
                        .into_iter()
                        .flatten()
                        .filter(|v| v.is_string() || v.is_null())
                        .map(|v| v.as_str().map(str::to_string))
                        .collect(),
                }
            }
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
                let items = match map.get("items") {
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

    fn object(&mut self, map: &'a Map<String, Value>, pointer: &str) -> Object {
        let properties_pointer = join(pointer, "properties");
        let mut properties = BTreeMap::new();
        if let Some(found) = map.get("properties") {
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
        let additional_value = map
            .get("additionalProperties")
            .or_else(|| map.get("unevaluatedProperties").filter(|v| v.is_boolean()));
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
}

/// Whether a keyword next to `$ref` constrains the value (so the schema is
/// the reference *and* more), rather than documenting or flagging it.
/// The validation keywords of a 3.1 schema. `exclusiveMinimum` and
/// `exclusiveMaximum` are numbers of their own (the tighter of them and
/// `minimum`/`maximum` is kept); the 3.0 booleans are read too.
fn constraints(map: &Map<String, Value>) -> Constraints {
    let size = |key: &str| map.get(key).and_then(Value::as_u64);
    let number = |key: &str| match map.get(key) {
        Some(Value::Number(n)) => Some(n.clone()),
        _ => None,
    };
    let bound = |inclusive: &str, exclusive: &str, lower: bool| {
        let plain = number(inclusive).map(|value| Bound {
            value,
            exclusive: map.get(exclusive) == Some(&Value::Bool(true)),
        });
        let strict = number(exclusive).map(|value| Bound {
            value,
            exclusive: true,
        });
        match (plain, strict) {
            (Some(p), Some(s)) => {
                let (pv, sv) = (p.value.as_f64(), s.value.as_f64());
                let strict_is_tighter = if lower { sv >= pv } else { sv <= pv };
                Some(if strict_is_tighter { s } else { p })
            }
            (p, s) => p.or(s),
        }
    };
    Constraints {
        min_length: size("minLength"),
        max_length: size("maxLength"),
        pattern: map
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_string),
        minimum: bound("minimum", "exclusiveMinimum", true),
        maximum: bound("maximum", "exclusiveMaximum", false),
        multiple_of: number("multipleOf"),
        min_items: size("minItems"),
        max_items: size("maxItems"),
        unique_items: map.get("uniqueItems") == Some(&Value::Bool(true)),
    }
}

fn is_structural(keyword: &str) -> bool {
    matches!(
        keyword,
        "type"
            | "properties"
            | "additionalProperties"
            | "items"
            | "prefixItems"
            | "allOf"
            | "oneOf"
            | "anyOf"
            | "not"
            | "enum"
            | "const"
            | "required"
    )
}

fn security_scheme(scheme: &Value) -> Option<SecurityScheme> {
    use SecuritySchemeKind as K;
    let kind = match scheme.get("type").and_then(Value::as_str)? {
        "apiKey" => {
            let name = text(scheme, "name")?;
            match scheme.get("in").and_then(Value::as_str)? {
                "header" => K::Header(name),
                "query" => K::Query(name),
                "cookie" => K::Cookie(name),
                _ => return None,
            }
        }
        "http" => match text(scheme, "scheme") {
            Some(s) if s.eq_ignore_ascii_case("basic") => K::Basic,
            Some(s) if s.eq_ignore_ascii_case("bearer") => K::Bearer,
            _ => K::Http,
        },
        "oauth2" => K::OAuth2,
        "openIdConnect" => K::OpenIdConnect,
        // `mutualTLS` is set up on the HTTP client, not sent per request.
        _ => return None,
    };
    Some(SecurityScheme {
        kind,
        description: text(scheme, "description"),
        env: text(scheme, "x-apigen-env"),
    })
}

/// The document's `servers`, variables sorted by name.
fn servers(doc: &Value) -> Vec<Server> {
    doc.get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|server| {
            let mut variables: Vec<(String, String, Option<String>)> =
                entries(server.get("variables"))
                    .filter_map(|(name, variable)| {
                        Some((
                            name.clone(),
                            text(variable, "default")?,
                            text(variable, "description"),
                        ))
                    })
                    .collect();
            variables.sort();
            Some(Server {
                url: text(server, "url")?,
                description: text(server, "description"),
                variables,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::spec::{Bound, Constraints, Spec};

    fn convert(yaml: &str) -> Spec {
        let file = crate::load::parse("fixture.yaml".into(), yaml.to_string()).expect("parses");
        let merged = crate::merge::merge(vec![file]).expect("merges");
        let (spec, diagnostics) = super::convert(&merged.document, &merged.origins);
        assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
        spec
    }

    const SPEC: &str = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Name: {type: string, minLength: 1, maxLength: 32, pattern: '^[a-z]+$', examples: [abc, xyz]}
    Port: {type: integer, minimum: 1, exclusiveMaximum: 65536, multipleOf: 1}
    Both: {type: number, minimum: 0, exclusiveMinimum: 0, maximum: 10, exclusiveMaximum: 20}
    Tags: {type: [array, "null"], items: {type: string}, minItems: 1, maxItems: 10, uniqueItems: true}
    Plain: {type: string, examples: []}
"#;

    #[test]
    fn constraints_and_examples_are_kept() {
        let spec = convert(SPEC);
        let c = |name: &str| spec.schemas[name].constraints.clone();
        assert_eq!(
            c("Name"),
            Constraints {
                min_length: Some(1),
                max_length: Some(32),
                pattern: Some("^[a-z]+$".into()),
                ..Constraints::default()
            }
        );
        assert_eq!(spec.schemas["Name"].examples, [json!("abc"), json!("xyz")]);
        assert_eq!(spec.schemas["Name"].example, Some(json!("abc")));
        assert_eq!(
            c("Port"),
            Constraints {
                minimum: Some(Bound {
                    value: 1.into(),
                    exclusive: false
                }),
                maximum: Some(Bound {
                    value: 65536.into(),
                    exclusive: true
                }),
                multiple_of: Some(1.into()),
                ..Constraints::default()
            }
        );
        // Of `minimum: 0` and `exclusiveMinimum: 0` the exclusive one is
        // tighter; of `maximum: 10` and `exclusiveMaximum: 20`, the
        // inclusive one.
        assert_eq!(
            c("Both").minimum,
            Some(Bound {
                value: 0.into(),
                exclusive: true
            })
        );
        assert_eq!(
            c("Both").maximum,
            Some(Bound {
                value: 10.into(),
                exclusive: false
            })
        );
        assert_eq!(
            c("Tags"),
            Constraints {
                min_items: Some(1),
                max_items: Some(10),
                unique_items: true,
                ..Constraints::default()
            }
        );
        assert!(c("Plain").is_empty());
        assert!(spec.schemas["Plain"].examples.is_empty());
    }
}
