//! Swagger 2.0 input: a document that says `swagger: "2.0"` is converted
//! into an OpenAPI 3.0 document (both `serde_json::Value`) before it is
//! merged, so it takes the same pipeline as any 3.0 document (the 3.0 shape
//! check, `oas30`, `normalize`, `lower`): there is no second code path.
//!
//! What is converted (see README.md, "Swagger 2.0"):
//!
//! - `definitions`, `parameters`, `responses` become `components/schemas`,
//!   `parameters` (or `requestBodies` for `in: body` ones) and `responses`,
//!   and every local reference to them is rewritten;
//! - an `in: body` parameter becomes the `requestBody`, under each media type
//!   of the operation's (else the document's) `consumes`
//!   (`application/json` when neither says); `in: formData` parameters
//!   become one object schema under `application/x-www-form-urlencoded`, or
//!   `multipart/form-data` when a parameter is a `file` or `consumes` asks
//!   for it only;
//! - `produces` gives the response media types, `schema` under each;
//!   response `examples` by media type, response `headers`;
//! - non-body parameters' `type`, `format`, `items`, `enum`, `default` and
//!   constraints move under `schema`; `collectionFormat` becomes `style` and
//!   `explode`;
//! - `host`, `basePath` and `schemes` become `servers` (https first);
//!   `securityDefinitions` become `components/securitySchemes`;
//! - in schemas, `x-nullable` becomes `nullable`, a string `discriminator`
//!   becomes `{propertyName}`, `type: file` becomes a binary string.
//!
//! Diagnostics point into the 2.0 document: [`Trace`] maps every pointer of
//! the converted document to the pointer it came from (the longest recorded
//! prefix, then the longest part of the result that exists in the 2.0
//! document); `origins::Origins::locate` applies it. A document that cannot be
//! converted (a reference to a missing definition, a body parameter without
//! a schema, two body parameters) is refused with located errors.

mod operations;
mod schema;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use crate::diagnostic::{join, Diagnostic, Kind, Location};

/// The version written into converted documents.
const OPENAPI: &str = "3.0.3";

/// Whether a parsed file is a Swagger 2.0 document.
pub fn is_swagger(document: &Value) -> bool {
    document.get("openapi").is_none() && document.get("swagger").is_some_and(is_two)
}

/// Whether a `swagger` field says 2.0 (`"2.0"`, or the number YAML reads
/// from an unquoted `2.0`).
pub(crate) fn is_two(version: &Value) -> bool {
    match version {
        Value::String(text) => text == "2.0",
        Value::Number(number) => number.as_f64() == Some(2.0),
        _ => false,
    }
}

/// A converted document.
#[derive(Debug)]
pub struct Converted {
    /// The OpenAPI 3.0 document.
    pub document: Value,
    /// Where each part of it came from in the 2.0 document.
    pub trace: Trace,
    /// Places the conversion only approximates (an unsupported
    /// `collectionFormat`, ...); their locations have no file yet.
    pub warnings: Vec<Diagnostic>,
}

/// Maps pointers of a converted document to pointers of the 2.0 document.
#[derive(Debug, Default)]
pub struct Trace {
    /// Converted pointer → 2.0 pointer, for the parts that moved.
    map: HashMap<String, String>,
    /// The 2.0 document, to keep a translated pointer to a part that exists.
    original: Value,
}

impl Trace {
    /// The pointer in the 2.0 document of a pointer into the converted one:
    /// the longest recorded prefix, translated, with the rest appended; then
    /// cut to the longest part that exists in the 2.0 document (a keyword
    /// the conversion added is located at what it was made from).
    pub fn original(&self, pointer: &str) -> String {
        let mut prefix = pointer;
        let translated = loop {
            if let Some(at) = self.map.get(prefix) {
                break format!("{at}{}", &pointer[prefix.len()..]);
            }
            match prefix.rfind('/') {
                Some(end) => prefix = &prefix[..end],
                None => break pointer.to_string(),
            }
        };
        let mut existing = translated.as_str();
        while !existing.is_empty() && self.original.pointer(existing).is_none() {
            existing = existing.rfind('/').map_or("", |end| &existing[..end]);
        }
        existing.to_string()
    }

    fn record(&mut self, converted: &str, original: &str) {
        if converted != original {
            self.map.insert(converted.to_string(), original.to_string());
        }
    }
}

/// Converts a Swagger 2.0 document into an OpenAPI 3.0 one. The errors'
/// and warnings' locations hold pointers into the 2.0 document and no file.
pub fn convert(original: Value) -> Result<Converted, Vec<Diagnostic>> {
    let mut converter = Converter {
        doc: &original,
        trace: Trace::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
        consumes: media_types(original.get("consumes")),
        produces: media_types(original.get("produces")),
    };
    let document = converter.document();
    let Converter {
        mut trace,
        errors,
        warnings,
        ..
    } = converter;
    if !errors.is_empty() {
        return Err(errors);
    }
    trace.original = original;
    Ok(Converted {
        document,
        trace,
        warnings,
    })
}

/// The state of one conversion.
struct Converter<'d> {
    /// The 2.0 document.
    doc: &'d Value,
    trace: Trace,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// The document's `consumes` and `produces` (empty when not given).
    consumes: Vec<String>,
    produces: Vec<String>,
}

impl<'d> Converter<'d> {
    fn document(&mut self) -> Value {
        let doc = self.doc;
        let mut out = Map::new();
        out.insert("openapi".into(), json!(OPENAPI));
        self.trace.record("/openapi", "/swagger");
        for (key, value) in as_map(doc) {
            match key.as_str() {
                "info" | "tags" | "security" | "externalDocs" => {
                    out.insert(key.clone(), value.clone());
                }
                _ if key.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        if let Some(servers) = self.servers() {
            out.insert("servers".into(), servers);
        }
        let paths = match doc.get("paths") {
            Some(Value::Object(paths)) => self.paths(paths),
            Some(_) => {
                self.error(
                    Kind::NotOpenApi,
                    "/paths",
                    "not a valid Swagger 2.0 document: `paths` must be a map of path items",
                    "give `paths` a map from path to path item",
                );
                Map::new()
            }
            None => Map::new(),
        };
        out.insert("paths".into(), Value::Object(paths));
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        Value::Object(out)
    }

    /// `host`, `basePath` and `schemes` as `servers`: one per scheme, https
    /// first; without a host, one server relative to the document (the base
    /// path); neither host nor base path, none (3.0's default, `/`).
    fn servers(&mut self) -> Option<Value> {
        let doc = self.doc;
        let host = doc.get("host").and_then(Value::as_str);
        let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
        let base = base.trim_end_matches('/');
        let Some(host) = host else {
            if base.is_empty() {
                return None;
            }
            self.trace.record("/servers", "/basePath");
            return Some(json!([{ "url": base }]));
        };
        let mut schemes: Vec<&str> = doc
            .get("schemes")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let rank = |scheme: &&str| {
            ["https", "http", "wss", "ws"]
                .iter()
                .position(|s| s == scheme)
        };
        schemes.sort_by_key(|scheme| rank(scheme).unwrap_or(usize::MAX));
        schemes.dedup();
        if schemes.is_empty() {
            // The scheme the document was served with is unknown here.
            schemes.push("https");
        }
        self.trace.record("/servers", "/host");
        Some(Value::Array(
            schemes
                .iter()
                .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
                .collect(),
        ))
    }

    /// `definitions`, `parameters`, `responses` and `securityDefinitions`
    /// as components.
    fn components(&mut self) -> Map<String, Value> {
        let doc = self.doc;
        let mut components = Map::new();
        let mut schemas = Map::new();
        for (name, definition) in as_map(doc.get("definitions").unwrap_or(&Value::Null)) {
            let at = join("/definitions", name);
            let to = join("/components/schemas", name);
            schemas.insert(name.clone(), self.schema(definition, &at, &to));
        }
        let (parameters, bodies) = self.component_parameters();
        let mut responses = Map::new();
        for (name, response) in as_map(doc.get("responses").unwrap_or(&Value::Null)) {
            let at = join("/responses", name);
            let to = join("/components/responses", name);
            let produces = self.produces.clone();
            responses.insert(name.clone(), self.response(response, &at, &to, &produces));
        }
        let schemes = self.security_schemes();
        for (section, entries) in [
            ("schemas", schemas),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("responses", responses),
            ("securitySchemes", schemes),
        ] {
            if !entries.is_empty() {
                components.insert(section.into(), Value::Object(entries));
            }
        }
        components
    }

    /// The document's `parameters`: body ones as request bodies, form ones
    /// nowhere (they are copied into each operation that uses them), the
    /// others as parameters.
    fn component_parameters(&mut self) -> (Map<String, Value>, Map<String, Value>) {
        let doc = self.doc;
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        for (name, parameter) in as_map(doc.get("parameters").unwrap_or(&Value::Null)) {
            let at = join("/parameters", name);
            match parameter.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let to = join("/components/requestBodies", name);
                    let consumes = self.consumes.clone();
                    if let Some(body) = self.body(parameter, &at, &to, &consumes) {
                        bodies.insert(name.clone(), body);
                    }
                }
                Some("formData") => {}
                _ => {
                    let to = join("/components/parameters", name);
                    if let Some(parameter) = self.parameter(parameter, &at, &to) {
                        parameters.insert(name.clone(), parameter);
                    }
                }
            }
        }
        (parameters, bodies)
    }

    /// `securityDefinitions` as `securitySchemes`.
    fn security_schemes(&mut self) -> Map<String, Value> {
        let doc = self.doc;
        let mut schemes = Map::new();
        let definitions = doc.get("securityDefinitions").unwrap_or(&Value::Null);
        for (name, definition) in as_map(definitions) {
            let at = join("/securityDefinitions", name);
            let to = join("/components/securitySchemes", name);
            self.trace.record(&to, &at);
            if let Some(scheme) = self.security_scheme(definition, &at) {
                schemes.insert(name.clone(), scheme);
            }
        }
        schemes
    }

    fn security_scheme(&mut self, definition: &Value, at: &str) -> Option<Value> {
        let mut out = Map::new();
        for (key, value) in as_map(definition) {
            if key == "description" || key.starts_with("x-") {
                out.insert(key.clone(), value.clone());
            }
        }
        let field = |key: &str| definition.get(key).cloned();
        match definition.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("apiKey") => {
                out.insert("type".into(), json!("apiKey"));
                out.extend(
                    ["name", "in"]
                        .iter()
                        .filter_map(|k| Some((k.to_string(), field(k)?))),
                );
            }
            Some("oauth2") => {
                let flow = definition.get("flow").and_then(Value::as_str);
                let (name, urls): (&str, &[&str]) = match flow {
                    Some("implicit") => ("implicit", &["authorizationUrl"]),
                    Some("password") => ("password", &["tokenUrl"]),
                    Some("application") => ("clientCredentials", &["tokenUrl"]),
                    Some("accessCode") => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    _ => {
                        self.error(
                            Kind::NotOpenApi,
                            &join(at, "flow"),
                            "an oauth2 security definition needs a `flow`",
                            "set `flow` to `implicit`, `password`, `application` or `accessCode`",
                        );
                        return None;
                    }
                };
                let mut details = Map::new();
                for url in urls {
                    details.insert(url.to_string(), field(url).unwrap_or(json!("")));
                }
                details.insert("scopes".into(), field("scopes").unwrap_or(json!({})));
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), json!({ name: details }));
            }
            _ => {
                self.error(
                    Kind::NotOpenApi,
                    &join(at, "type"),
                    "a security definition's `type` must be `basic`, `apiKey` or `oauth2`",
                    "set `type` to one of `basic`, `apiKey` or `oauth2`",
                );
                return None;
            }
        }
        Some(Value::Object(out))
    }

    fn error(&mut self, kind: Kind, at: &str, message: impl Into<String>, help: &str) {
        self.errors
            .push(Diagnostic::error(kind, Location::new(None, at), message).with_help(help));
    }

    fn warn(&mut self, at: &str, message: impl Into<String>, help: &str) {
        self.warnings.push(
            Diagnostic::warning(Kind::Unsupported, Location::new(None, at), message)
                .with_help(help),
        );
    }

    /// Checks a local reference into a section of the 2.0 document
    /// (`#/definitions/X`, ...) and gives the name it refers to; a missing
    /// target is an error at `at` (the `$ref`).
    fn target(&mut self, reference: &str, section: &str, at: &str) -> Option<String> {
        let prefix = format!("#/{section}/");
        let name = reference.strip_prefix(&prefix)?;
        let pointer = &reference[1..];
        if self.doc.pointer(pointer).is_some() {
            let name = name.split('/').next().unwrap_or(name);
            return Some(name.replace("~1", "/").replace("~0", "~"));
        }
        let defined: BTreeSet<&String> = self
            .doc
            .get(section)
            .and_then(Value::as_object)
            .map(|entries| entries.keys().collect())
            .unwrap_or_default();
        let names = if defined.is_empty() {
            format!("the document has no `{section}`")
        } else {
            let listed: Vec<String> = defined.iter().map(|n| format!("`{n}`")).collect();
            format!("`{section}` has {}", listed.join(", "))
        };
        self.error(
            Kind::BadReference,
            at,
            format!("`{reference}` does not exist"),
            &format!("define it under `{section}`, or fix the reference ({names})"),
        );
        None
    }
}

/// The entries of a map (none for anything else).
fn as_map(value: &Value) -> impl Iterator<Item = (&String, &Value)> {
    value.as_object().into_iter().flatten()
}

/// A `consumes` or `produces` list (empty when absent or empty).
fn media_types(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| {
            let mut seen = BTreeSet::new();
            list.iter()
                .filter_map(Value::as_str)
                .filter(|m| seen.insert(m.to_string()))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}
