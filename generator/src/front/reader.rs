//! The document as a whole: info, servers, tags, components, the path items
//! (on two threads) and webhooks, and the checks that need every operation.
//!
//! What 3.0 and 3.1 read differently is switched on [`Version`] where it is
//! read; in short:
//!
//! - 3.0: a `null` reads as missing (`keywords::get`); a schema `$ref`
//!   ignores its siblings; `nullable`, `example`, one `type`; a bound's
//!   `exclusiveMinimum`/`exclusiveMaximum` are booleans; parameters have the
//!   location's default style; an example `$ref` in `examples` is skipped;
//!   only keys starting with `/` of `paths` are path items;
//! - 3.1: `type` lists with `null`, `const`, `examples`, `$ref` siblings
//!   (`schema`), numeric exclusive bounds, `webhooks`, `info.summary`,
//!   keywords that make the type depend on the value (warned about).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::keywords::{entries, get, security_scheme, servers, tags, text};
use super::paths::{method_rank, METHODS};
use super::Version;
use crate::diagnostic::{join, Diagnostic, Kind};
use crate::front::origins::Origins;
use crate::spec::{json_media, Operation, Schema, SecurityScheme, Spec, Webhook};

/// Reads one document. Cheap to fork: the second thread reads with a
/// fork of its own and its diagnostics are appended.
pub(super) struct Reader<'a> {
    pub(super) doc: &'a Value,
    pub(super) components: &'a Map<String, Value>,
    pub(super) version: Version,
    pub(super) origins: &'a Origins,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// The schemas and security schemes of `components`.
type Components = (BTreeMap<String, Schema>, BTreeMap<String, SecurityScheme>);

/// A path item: its template and its object.
type PathItem<'a> = (&'a String, &'a Map<String, Value>);

impl<'a> Reader<'a> {
    pub(super) fn new(doc: &'a Value, version: Version, origins: &'a Origins) -> Self {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let components = doc
            .get("components")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
        Reader {
            doc,
            components,
            version,
            origins,
            diagnostics: Vec::new(),
        }
    }

    /// A reader of the same document with no diagnostics yet.
    fn fork(&self) -> Self {
        Reader {
            diagnostics: Vec::new(),
            ..*self
        }
    }

    /// The value under `key` (see [`get`]: 3.0 reads a `null` as missing).
    pub(super) fn get(&self, value: &'a Value, key: &str) -> Option<&'a Value> {
        get(self.version, value, key)
    }

    /// The member `key` of `map`, as [`Reader::get`] reads it.
    pub(super) fn member(&self, map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
        let found = map.get(key);
        match self.version {
            Version::V30 => found.filter(|v| !v.is_null()),
            Version::V31 => found,
        }
    }

    pub(super) fn error(&mut self, kind: Kind, pointer: &str, message: String, help: &str) {
        let location = self.origins.locate(pointer);
        self.diagnostics
            .push(Diagnostic::error(kind, location, message).with_help(help));
    }

    pub(super) fn warn(&mut self, pointer: &str, message: String, help: &str) {
        let location = self.origins.locate(pointer);
        self.diagnostics
            .push(Diagnostic::warning(Kind::Fallback, location, message).with_help(help));
    }

    /// An error for a value of the wrong shape (3.0 documents were checked
    /// before, so this is met in 3.1 ones).
    pub(super) fn malformed(&mut self, pointer: &str, what: String) {
        let version = self.version.number();
        let message = format!("not a valid OpenAPI {version} document: {what}");
        let help =
            format!("fix the value at this pointer to match the OpenAPI {version} specification");
        self.error(Kind::NotOpenApi, pointer, message, &help);
    }

    /// Checks that `value` at `pointer` is a map; reports it otherwise.
    pub(super) fn map(
        &mut self,
        value: &'a Value,
        pointer: &str,
        what: &str,
    ) -> Option<&'a Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            _ => {
                self.malformed(pointer, format!("{what} must be a map"));
                None
            }
        }
    }

    /// The whole document. Errors are returned together; warnings are
    /// returned alongside a successful result.
    pub(super) fn spec(mut self) -> (Spec, Vec<Diagnostic>) {
        let doc = self.doc;
        let info = doc.get("info").unwrap_or(&Value::Null);
        if !info.is_object() {
            self.malformed(
                "/info",
                "`info` (with `title` and `version`) is missing".into(),
            );
        }
        let summary = || match self.version {
            Version::V30 => None,
            Version::V31 => text(info, "summary"),
        };
        let mut spec = Spec {
            title: text(info, "title").unwrap_or_default(),
            version: text(info, "version").unwrap_or_default(),
            description: text(info, "description").or_else(summary),
            servers: servers(doc),
            tags: tags(doc),
            ..Spec::default()
        };
        let items = self.path_items();
        let ((schemas, security_schemes), operations) = self.components_and_operations(&items);
        spec.schemas = schemas;
        spec.security_schemes = security_schemes;
        spec.operations = self.unique_ids(operations);
        spec.operations.sort_by(|a, b| {
            (a.path.as_str(), method_rank(&a.method))
                .cmp(&(b.path.as_str(), method_rank(&b.method)))
        });
        if self.version == Version::V31 {
            spec.webhooks = self.webhooks();
        }
        (spec, self.diagnostics)
    }

    /// The components and each path item are read independently: on two
    /// threads, the components and the last part of the paths on a new
    /// one (with the generator thread's stack, as schemas nest as deeply as
    /// the document does). The paths are split by count: on the whole
    /// Cloudflare description the components take about 40 % of the time
    /// of the paths, so about 30 % of the paths balance the threads.
    fn components_and_operations(
        &mut self,
        items: &[PathItem<'a>],
    ) -> (Components, Vec<(Operation, String)>) {
        let (first, second) = items.split_at(items.len() * 7 / 10);
        let read_rest = |mut other: Reader<'a>| {
            let components = other.components();
            let operations = other.operations(second);
            (components, operations, other.diagnostics)
        };
        let (mut operations, (components, second, diagnostics)) = std::thread::scope(|scope| {
            let rest = std::thread::Builder::new()
                .stack_size(crate::stack::STACK_SIZE)
                .spawn_scoped(scope, {
                    let other = self.fork();
                    move || read_rest(other)
                });
            let first = self.operations(first);
            let rest = match rest {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => read_rest(self.fork()),
            };
            (first, rest)
        });
        self.diagnostics.extend(diagnostics);
        operations.extend(second);
        (components, operations)
    }

    /// The schemas and security schemes of `components`.
    fn components(&mut self) -> Components {
        let mut schemas = BTreeMap::new();
        for (name, schema) in entries(self.components.get("schemas")) {
            let pointer = join("/components/schemas", name);
            schemas.insert(name.clone(), self.schema(schema, &pointer));
        }
        let mut schemes = BTreeMap::new();
        for (name, scheme) in entries(self.components.get("securitySchemes")) {
            let pointer = join("/components/securitySchemes", name);
            if scheme.get("$ref").is_some_and(Value::is_string) {
                self.error(
                    Kind::Unsupported,
                    &pointer,
                    "security scheme is a reference".into(),
                    "write the security scheme inline",
                );
            } else if let Some(scheme) = security_scheme(scheme) {
                schemes.insert(name.clone(), scheme);
            }
        }
        (schemas, schemes)
    }

    /// The path items of `paths` (extensions and, in 3.0, keys that are no
    /// path left out), each checked to be a map and not a reference.
    fn path_items(&mut self) -> Vec<PathItem<'a>> {
        let paths = match self.doc.get("paths") {
            None => None,
            Some(paths) => self.map(paths, "/paths", "`paths`"),
        };
        let mut items = Vec::new();
        for (path, item) in paths.into_iter().flatten() {
            let skipped = match self.version {
                Version::V30 => !path.starts_with('/'),
                Version::V31 => path.starts_with("x-"),
            };
            if skipped {
                continue;
            }
            let pointer = join("/paths", path);
            let Some(item) = self.map(item, &pointer, "a path item") else {
                continue;
            };
            if let Some(reference) = item.get("$ref").and_then(Value::as_str) {
                self.error(
                    Kind::Unsupported,
                    &join(&pointer, "$ref"),
                    format!("path item `{path}` is a reference (`{reference}`)"),
                    "write the path item inline",
                );
                continue;
            }
            items.push((path, item));
        }
        items
    }

    /// OpenAPI 3.2's `query` method and `additionalOperations` (methods of
    /// any name) are not generated: a warning for each operation left out.
    fn unread_methods(&mut self, path: &str, item: &'a Map<String, Value>, pointer: &str) {
        if self.version == Version::V30 {
            return;
        }
        let additional = item.get("additionalOperations").and_then(Value::as_object);
        let methods = item
            .contains_key("query")
            .then(|| ("query".to_string(), join(pointer, "query")))
            .into_iter()
            .chain(additional.into_iter().flatten().map(|(method, _)| {
                let at = join(&join(pointer, "additionalOperations"), method);
                (method.clone(), at)
            }));
        for (method, at) in methods.collect::<Vec<_>>() {
            let location = self.origins.locate(&at);
            self.diagnostics.push(
                Diagnostic::warning(
                    Kind::Unsupported,
                    location,
                    format!("the `{method}` operation of `{path}` is not generated"),
                )
                .with_help("only the methods of OpenAPI 3.1 (get, put, post, delete, options, head, patch, trace) are generated; call it with the client's `call` escape hatch"),
            );
        }
    }

    /// The operations of some path items, in their order, each with its
    /// JSON pointer.
    fn operations(&mut self, items: &[PathItem<'a>]) -> Vec<(Operation, String)> {
        let mut operations = Vec::new();
        for (path, item) in items {
            let item_pointer = join("/paths", path);
            for method in METHODS {
                let Some(operation) = self.member(item, method) else {
                    continue;
                };
                let pointer = join(&item_pointer, method);
                let Some(operation) = self.map(operation, &pointer, "an operation") else {
                    continue;
                };
                let op = self.operation(path, method, item, operation, &pointer);
                operations.push((op, pointer));
            }
            self.unread_methods(path, item, &item_pointer);
        }
        operations
    }

    /// The operations, each `operationId` used once: a second use is read
    /// as the id made from the operation's method and path, with a
    /// warning naming the first.
    fn unique_ids(&mut self, operations: Vec<(Operation, String)>) -> Vec<Operation> {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut unique = Vec::with_capacity(operations.len());
        let declared: std::collections::BTreeSet<String> =
            operations.iter().map(|(op, _)| op.id.clone()).collect();
        for (mut op, pointer) in operations {
            if let Some(first) = seen.get(&op.id) {
                let made = crate::naming::operation_id(&op.method, op.path.as_str());
                let mut renamed = made.clone();
                for n in 2.. {
                    if !declared.contains(&renamed) && !seen.contains_key(&renamed) {
                        break;
                    }
                    renamed = format!("{made}-{n}");
                }
                let location = self.origins.locate(&join(&pointer, "operationId"));
                let related = self.origins.locate(&join(first, "operationId"));
                self.diagnostics.push(
                    Diagnostic::warning(
                        Kind::DuplicateOperation,
                        location,
                        format!(
                            "operationId `{}` is used by two operations; this one is read as `{renamed}`",
                            op.id
                        ),
                    )
                    .with_related(related)
                    .with_help("give each operation a unique operationId"),
                );
                op.id = renamed;
            }
            seen.insert(op.id.clone(), pointer);
            unique.push(op);
        }
        unique
    }

    /// The payloads of `webhooks` (3.1): each method's JSON request body.
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
                    let body = self.request_body(body, &join(&pointer, "requestBody"))?;
                    json_media(&body.content).and_then(|media| media.schema.clone())
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
}
