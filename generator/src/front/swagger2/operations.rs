//! Path items and operations: parameters (body and form parameters become
//! the request body), responses (`produces`, `headers`, `examples`).

use serde_json::{json, Map, Value};

use super::{as_map, media_types, Converter};
use crate::diagnostic::{join, Diagnostic, Kind, Location};

/// The methods of a path item.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// The keys of an operation copied as they are.
const OPERATION_KEYS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "deprecated",
    "security",
];

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";
const JSON: &str = "application/json";

/// A parameter, with a reference to a document-level one followed.
#[derive(Clone, Debug)]
struct Param<'d> {
    /// Its definition.
    value: &'d Value,
    /// The pointer of the definition in the 2.0 document.
    at: String,
    /// The pointer of the entry of the list that names it (`at`, unless it
    /// is a reference).
    site: String,
    /// The name of the document-level parameter it refers to.
    component: Option<String>,
}

impl Param<'_> {
    fn location(&self) -> &str {
        self.value.get("in").and_then(Value::as_str).unwrap_or("")
    }

    fn name(&self) -> &str {
        self.value.get("name").and_then(Value::as_str).unwrap_or("")
    }

    fn is_file(&self) -> bool {
        self.value.get("type").and_then(Value::as_str) == Some("file")
    }
}

impl<'d> Converter<'d> {
    pub(super) fn paths(&mut self, paths: &'d Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (path, item) in paths {
            let at = join("/paths", path);
            out.insert(path.clone(), self.path_item(item, &at));
        }
        out
    }

    fn path_item(&mut self, item: &'d Value, at: &str) -> Value {
        let Value::Object(map) = item else {
            return item.clone();
        };
        let mut out = Map::new();
        let shared = self.parameter_list(map.get("parameters"), &join(at, "parameters"));
        let (plain, moved): (Vec<_>, Vec<_>) = shared
            .into_iter()
            .partition(|p| !matches!(p.location(), "body" | "formData"));
        if !plain.is_empty() {
            let parameters = self.plain_parameters(&plain, &join(at, "parameters"));
            out.insert("parameters".into(), Value::Array(parameters));
        }
        for (key, value) in map {
            if METHODS.contains(&key.as_str()) {
                let operation = self.operation(value, &join(at, key), &moved);
                out.insert(key.clone(), operation);
            } else if key == "$ref" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        Value::Object(out)
    }

    fn operation(&mut self, operation: &'d Value, at: &str, inherited: &[Param<'d>]) -> Value {
        let mut out = Map::new();
        for (key, value) in as_map(operation) {
            if OPERATION_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        let mut params = self.parameter_list(operation.get("parameters"), &join(at, "parameters"));
        // A path item's body and form parameters, unless the operation
        // overrides them (same name and location).
        for param in inherited {
            let overridden = params
                .iter()
                .any(|p| p.name() == param.name() && p.location() == param.location());
            if !overridden {
                params.push(param.clone());
            }
        }
        let (plain, rest): (Vec<_>, Vec<_>) = params
            .into_iter()
            .partition(|p| !matches!(p.location(), "body" | "formData"));
        let (bodies, form): (Vec<_>, Vec<_>) =
            rest.into_iter().partition(|p| p.location() == "body");
        if !plain.is_empty() {
            let parameters = self.plain_parameters(&plain, &join(at, "parameters"));
            out.insert("parameters".into(), Value::Array(parameters));
        }
        let declared = media_types(operation.get("consumes"));
        let consumes = if declared.is_empty() {
            self.consumes.clone()
        } else {
            declared
        };
        let to = join(at, "requestBody");
        let body = self.request_body(&bodies, &form, &to, &consumes);
        if let Some(body) = body {
            out.insert("requestBody".into(), body);
        }
        let declared = media_types(operation.get("produces"));
        let produces = if declared.is_empty() {
            self.produces.clone()
        } else {
            declared
        };
        if let Some(responses) = operation.get("responses") {
            let at = join(at, "responses");
            let mut converted = Map::new();
            for (status, response) in as_map(responses) {
                let (at, to) = (join(&at, status), join(&at, status));
                converted.insert(status.clone(), self.response(response, &at, &to, &produces));
            }
            out.insert("responses".into(), Value::Object(converted));
        }
        Value::Object(out)
    }

    /// The request body of an operation's `in: body` parameter or its
    /// `in: formData` ones (an error for two bodies, or both kinds).
    fn request_body(
        &mut self,
        bodies: &[Param<'d>],
        form: &[Param<'d>],
        to: &str,
        consumes: &[String],
    ) -> Option<Value> {
        match (bodies, form) {
            ([], []) => None,
            ([body], []) => self.operation_body(body, to, consumes),
            ([], form) => Some(self.form_body(form, to, consumes)),
            ([first, second, ..], _) => {
                self.errors.push(
                Diagnostic::error(
                    Kind::NotOpenApi,
                    Location::new(None, second.site.clone()),
                    "an operation has two `in: body` parameters",
                )
                .with_related(Location::new(None, first.site.clone()))
                .with_help("an operation has one request body: keep one `in: body` parameter, with a schema for the whole body"),
            );
                None
            }
            ([body], [field, ..]) => {
                self.errors.push(
                Diagnostic::error(
                    Kind::NotOpenApi,
                    Location::new(None, field.site.clone()),
                    "an operation has both an `in: body` parameter and `in: formData` parameters",
                )
                .with_related(Location::new(None, body.site.clone()))
                .with_help("keep either the body parameter or the form parameters"),
            );
                None
            }
        }
    }

    /// The entries of a `parameters` list, references followed.
    fn parameter_list(&mut self, list: Option<&'d Value>, at: &str) -> Vec<Param<'d>> {
        let doc = self.doc;
        let mut out = Vec::new();
        for (index, entry) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let site = join(at, &index.to_string());
            let reference = entry.get("$ref").and_then(Value::as_str);
            let Some(reference) = reference.filter(|r| r.starts_with("#/parameters/")) else {
                out.push(Param {
                    value: entry,
                    at: site.clone(),
                    site,
                    component: None,
                });
                continue;
            };
            let Some(name) = self.target(reference, "parameters", &join(&site, "$ref")) else {
                continue;
            };
            let Some(value) = doc.get("parameters").and_then(|p| p.get(&name)) else {
                continue;
            };
            out.push(Param {
                value,
                at: join("/parameters", &name),
                site,
                component: Some(name),
            });
        }
        out
    }

    /// Non-body parameters, placed in the list at `to`.
    fn plain_parameters(&mut self, params: &[Param<'d>], to: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for param in params {
            let to = join(to, &out.len().to_string());
            match &param.component {
                Some(name) => {
                    self.trace.record(&to, &param.site);
                    out.push(json!({ "$ref": join("#/components/parameters", name) }));
                }
                None if param.value.get("$ref").is_some() => {
                    // A reference elsewhere (another file): kept for `bundle`.
                    self.trace.record(&to, &param.site);
                    out.push(param.value.clone());
                }
                None => {
                    if let Some(value) = self.parameter(param.value, &param.at, &to) {
                        out.push(value);
                    }
                }
            }
        }
        out
    }

    /// A query, header or path parameter: its value keywords under
    /// `schema`, its `collectionFormat` as `style` and `explode`.
    pub(super) fn parameter(&mut self, param: &Value, at: &str, to: &str) -> Option<Value> {
        let location = param.get("in").and_then(Value::as_str).unwrap_or("");
        if !matches!(location, "query" | "header" | "path") {
            self.error(
                Kind::NotOpenApi,
                &join(at, "in"),
                format!("a parameter's `in` must be `query`, `header`, `path`, `formData` or `body`, not `{location}`"),
                "set `in` to where the parameter is sent",
            );
            return None;
        }
        self.trace.record(to, at);
        let mut out = Map::new();
        for (key, value) in as_map(param) {
            let keep = match key.as_str() {
                "name" | "in" | "description" | "required" | "deprecated" => true,
                "allowEmptyValue" => location == "query",
                "x-nullable" => false,
                _ => key.starts_with("x-"),
            };
            if keep {
                out.insert(key.clone(), value.clone());
            }
        }
        if location == "path" {
            out.insert("required".into(), Value::Bool(true));
        }
        if let Some(style) = self.style(param, location, at) {
            let from = join(at, "collectionFormat");
            self.trace.record(&join(to, "style"), &from);
            self.trace.record(&join(to, "explode"), &from);
            out.insert("style".into(), json!(style.style));
            out.insert("explode".into(), json!(style.explode));
        }
        self.trace.record(&join(to, "schema"), at);
        out.insert("schema".into(), self.value_schema(param));
        Some(Value::Object(out))
    }

    /// The request body of an operation with a body parameter: a reference
    /// to the document-level one when the media types are the document's.
    fn operation_body(&mut self, body: &Param<'d>, to: &str, consumes: &[String]) -> Option<Value> {
        match &body.component {
            Some(name) if consumes == self.consumes.as_slice() => {
                // Without a schema, reported where the document-level
                // parameter is converted.
                body.value.get("schema")?;
                self.trace.record(to, &body.site);
                Some(json!({ "$ref": join("#/components/requestBodies", name) }))
            }
            _ => self.body(body.value, &body.at, to, consumes),
        }
    }

    /// A body parameter as a request body, its schema under each media
    /// type of `consumes` (`application/json` when empty).
    pub(super) fn body(
        &mut self,
        param: &Value,
        at: &str,
        to: &str,
        consumes: &[String],
    ) -> Option<Value> {
        let Some(schema) = param.get("schema") else {
            let name = param.get("name").and_then(Value::as_str).unwrap_or("");
            self.error(
                Kind::NotOpenApi,
                at,
                format!("the body parameter `{name}` has no `schema`"),
                "give the `in: body` parameter a `schema` that describes the whole request body",
            );
            return None;
        };
        self.trace.record(to, at);
        let mut out = Map::new();
        for (key, value) in as_map(param) {
            if matches!(key.as_str(), "description" | "required") || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        let mut content = Map::new();
        let defaults = [JSON.to_string()];
        let types = if consumes.is_empty() {
            &defaults[..]
        } else {
            consumes
        };
        for media_type in types {
            let to = join(&join(to, "content"), media_type);
            let schema = self.schema(schema, &join(at, "schema"), &join(&to, "schema"));
            content.insert(media_type.clone(), json!({ "schema": schema }));
        }
        out.insert("content".into(), Value::Object(content));
        Some(Value::Object(out))
    }

    /// Form parameters as one object schema, under
    /// `multipart/form-data` when a parameter is a file or `consumes` names
    /// only that, else `application/x-www-form-urlencoded`.
    fn form_body(&mut self, fields: &[Param<'d>], to: &str, consumes: &[String]) -> Value {
        let has = |media_type: &str| consumes.iter().any(|c| c.starts_with(media_type));
        let multipart = fields.iter().any(Param::is_file) || (has(MULTIPART) && !has(FORM));
        let media_type = if multipart { MULTIPART } else { FORM };
        let first = &fields[0].at;
        self.trace.record(to, first);
        let at_media = join(&join(to, "content"), media_type);
        self.trace.record(&join(to, "content"), first);
        self.trace.record(&at_media, first);
        let at_schema = join(&at_media, "schema");
        self.trace.record(&at_schema, first);
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for field in fields {
            let name = field.name().to_string();
            let to = join(&join(&at_schema, "properties"), &name);
            self.trace.record(&to, &field.at);
            let mut schema = self.value_schema(field.value);
            if let (Some(description), Value::Object(map)) =
                (field.value.get("description"), &mut schema)
            {
                map.insert("description".into(), description.clone());
            }
            properties.insert(name.clone(), schema);
            if field.value.get("required") == Some(&Value::Bool(true)) {
                required.push(json!(name));
            }
            if let Some(style) = self.style(field.value, "formData", &field.at) {
                if !multipart {
                    let to = join(&join(&at_media, "encoding"), &name);
                    self.trace.record(&to, &join(&field.at, "collectionFormat"));
                    encoding.insert(
                        name,
                        json!({ "style": style.style, "explode": style.explode }),
                    );
                }
            }
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        let mut body = Map::new();
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
            body.insert("required".into(), Value::Bool(true));
        }
        let mut media = json!({ "schema": schema });
        if !encoding.is_empty() {
            media["encoding"] = Value::Object(encoding);
        }
        body.insert("content".into(), json!({ media_type: media }));
        Value::Object(body)
    }

    /// A response: its schema (and examples) under each media type of
    /// `produces` (`application/json` when empty), its headers' value
    /// keywords under `schema`.
    pub(super) fn response(
        &mut self,
        response: &Value,
        at: &str,
        to: &str,
        produces: &[String],
    ) -> Value {
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            self.trace.record(to, at);
            if reference.starts_with("#/responses/") {
                self.target(reference, "responses", &join(at, "$ref"));
                let rewritten = reference.replacen("#/responses/", "#/components/responses/", 1);
                return json!({ "$ref": rewritten });
            }
            return response.clone();
        }
        let Value::Object(map) = response else {
            return response.clone();
        };
        self.trace.record(to, at);
        let mut out = Map::new();
        for (key, value) in map {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        if let Some(headers) = map.get("headers") {
            let mut converted = Map::new();
            for (name, header) in as_map(headers) {
                let (at, to) = (
                    join(&join(at, "headers"), name),
                    join(&join(to, "headers"), name),
                );
                self.trace.record(&join(&to, "schema"), &at);
                let mut entry = Map::new();
                for (key, value) in as_map(header) {
                    if key == "description" || key.starts_with("x-") && key != "x-nullable" {
                        entry.insert(key.clone(), value.clone());
                    }
                }
                entry.insert("schema".into(), self.value_schema(header));
                converted.insert(name.clone(), Value::Object(entry));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        let mut content = Map::new();
        if let Some(schema) = map.get("schema") {
            let defaults = [JSON.to_string()];
            let types = if produces.is_empty() {
                &defaults[..]
            } else {
                produces
            };
            self.trace.record(&join(to, "content"), &join(at, "schema"));
            for media_type in types {
                let to = join(&join(to, "content"), media_type);
                self.trace.record(&to, &join(at, "schema"));
                let schema = self.schema(schema, &join(at, "schema"), &join(&to, "schema"));
                content.insert(media_type.clone(), json!({ "schema": schema }));
            }
        }
        for (media_type, example) in as_map(map.get("examples").unwrap_or(&Value::Null)) {
            let to = join(&join(&join(to, "content"), media_type), "example");
            self.trace
                .record(&to, &join(&join(at, "examples"), media_type));
            let entry = content
                .entry(media_type.clone())
                .or_insert_with(|| json!({}));
            entry["example"] = example.clone();
        }
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }
}
