//! Converts an `openapiv3` document (OpenAPI 3.0) into the generator's own
//! [`Spec`]. This is the only module that uses `openapiv3` types.
//!
//! It resolves references to parameters, request bodies and responses (which
//! have no identity of their own in the generated code), keeps schema
//! references by name, and checks what can only be checked with the whole
//! document: every reference has a target, operation ids are unique, and path
//! parameters match the path template.

use std::collections::{BTreeMap, BTreeSet};

mod shape;
pub use shape::{into_openapi, to_openapi};

use openapiv3 as oa;
use openapiv3::ReferenceOr;

use crate::diagnostic::{join, Diagnostic, Kind};
use crate::merge::Origins;
use crate::spec::{
    Bound, Constraints, MediaType, Object, Operation, Parameter, ParameterLocation, PathTemplate,
    RequestBody, Response, Schema, SchemaKind, SecurityScheme, SecuritySchemeKind, Serialization,
    Server, Spec, Style,
};

pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

struct Converter<'a> {
    doc: &'a oa::OpenAPI,
    origins: &'a Origins,
    diagnostics: Vec<Diagnostic>,
    explodes: &'a Explodes,
}

/// The `explode` values an `encoding` entry declares, by the entry's JSON
/// pointer: `openapiv3` reads a missing one as `false`, where OpenAPI's
/// default depends on the style.
pub type Explodes = BTreeMap<String, bool>;

/// Collects the declared `explode` of every `encoding` entry of the merged
/// document (before it is converted into `openapiv3` types).
pub fn declared_explodes(document: &serde_json::Value) -> Explodes {
    /// A step of the path from the root to a node.
    enum Step<'v> {
        Key(&'v str),
        Index(usize),
    }
    // The path is kept as borrowed steps and spelled as a pointer only at an
    // `encoding` entry: the document has hundreds of thousands of nodes and
    // only a few such entries.
    fn walk<'v>(value: &'v serde_json::Value, path: &mut Vec<Step<'v>>, out: &mut Explodes) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map {
                    member(key, child, path, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    path.push(Step::Index(index));
                    walk(item, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    /// The member `key` of the object at `path`.
    fn member<'v>(
        key: &'v str,
        child: &'v serde_json::Value,
        path: &mut Vec<Step<'v>>,
        out: &mut Explodes,
    ) {
        // Schemas and examples hold no encoding object (at most a property
        // or an example value that happens to be called `encoding`), and
        // they are most of a large document: not walked.
        if matches!(key, "schema" | "schemas" | "example" | "examples") {
            return;
        }
        path.push(Step::Key(key));
        if key == "encoding" {
            for (name, entry) in child.as_object().into_iter().flatten() {
                if let Some(explode) = entry.get("explode").and_then(serde_json::Value::as_bool) {
                    out.insert(join(&pointer(path), name), explode);
                }
            }
        }
        walk(child, path, out);
        path.pop();
    }
    fn pointer(path: &[Step]) -> String {
        path.iter().fold(String::new(), |pointer, step| match step {
            Step::Key(key) => join(&pointer, key),
            Step::Index(index) => format!("{pointer}/{index}"),
        })
    }
    let serde_json::Value::Object(root) = document else {
        let mut out = Explodes::new();
        walk(document, &mut Vec::new(), &mut out);
        return out;
    };
    // `paths` (most of a large document) is walked on a second thread.
    let members = |paths: bool| {
        let mut out = Explodes::new();
        for (key, child) in root.iter().filter(|(key, _)| (*key == "paths") == paths) {
            member(key, child, &mut Vec::new(), &mut out);
        }
        out
    };
    std::thread::scope(|scope| {
        let paths = std::thread::Builder::new()
            .stack_size(crate::STACK_SIZE)
            .spawn_scoped(scope, || members(true));
        let mut out = members(false);
        out.append(&mut match paths {
            Ok(paths) => paths
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => members(true),
        });
        out
    })
}

/// Converts the merged document. Errors are returned together; warnings are
/// returned alongside a successful result.
pub fn convert(
    doc: &oa::OpenAPI,
    origins: &Origins,
    explodes: &Explodes,
) -> (Spec, Vec<Diagnostic>) {
    let mut converter = Converter {
        doc,
        origins,
        diagnostics: Vec::new(),
        explodes,
    };
    let spec = converter.spec();
    (spec, converter.diagnostics)
}

impl<'a> Converter<'a> {
    fn error(&mut self, kind: Kind, pointer: &str, message: String, help: &str) {
        let location = self.origins.locate(pointer);
        self.diagnostics
            .push(Diagnostic::error(kind, location, message).with_help(help));
    }

    fn spec(&mut self) -> Spec {
        let doc = self.doc;
        let mut spec = Spec {
            title: doc.info.title.clone(),
            servers: doc
                .servers
                .iter()
                .map(|server| Server {
                    url: server.url.clone(),
                    description: server.description.clone(),
                    variables: server
                        .variables
                        .iter()
                        .flatten()
                        .map(|(name, variable)| {
                            (
                                name.clone(),
                                variable.default.clone(),
                                variable.description.clone(),
                            )
                        })
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                })
                .collect(),
            version: doc.info.version.clone(),
            description: doc.info.description.clone(),
            tags: doc
                .tags
                .iter()
                .map(|t| (t.name.clone(), t.description.clone()))
                .collect(),
            ..Spec::default()
        };
        // The components and each path item are converted independently:
        // on two threads, the components and the second half of the paths
        // on a new one (with the generator thread's stack, as schemas nest
        // as deeply as the document does). The paths are split by count: on
        // the whole Cloudflare description the components take 12 ms and
        // the paths 30 ms, so about 30 % of the paths balance the threads.
        let items: Vec<_> = doc.paths.paths.iter().collect();
        let (first, second) = items.split_at(items.len() * 7 / 10);
        let convert_rest = |mut other: Converter<'a>| {
            let (schemas, schemes) = other.components();
            let operations = other.operations(second);
            (schemas, schemes, operations, other.diagnostics)
        };
        let (first, (schemas, security_schemes, second, diagnostics)) =
            std::thread::scope(|scope| {
                let other = Converter {
                    diagnostics: Vec::new(),
                    ..*self
                };
                let rest = std::thread::Builder::new()
                    .stack_size(crate::STACK_SIZE)
                    .spawn_scoped(scope, move || convert_rest(other));
                let first = self.operations(first);
                let rest = match rest {
                    Ok(handle) => handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    Err(_) => convert_rest(Converter {
                        diagnostics: Vec::new(),
                        ..*self
                    }),
                };
                (first, rest)
            });
        spec.schemas = schemas;
        spec.security_schemes = security_schemes;
        // In the order of a run on one thread: components first.
        let operations = std::mem::replace(&mut self.diagnostics, diagnostics);
        self.diagnostics.extend(operations);
        let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
        for (op, pointer) in first.into_iter().chain(second) {
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
                seen_ids.insert(op.id.clone(), pointer);
            }
            spec.operations.push(op);
        }
        spec.operations.sort_by(|a, b| {
            (a.path.as_str(), method_rank(&a.method))
                .cmp(&(b.path.as_str(), method_rank(&b.method)))
        });
        spec
    }

    /// The schemas and security schemes of `components`.
    fn components(&mut self) -> (BTreeMap<String, Schema>, BTreeMap<String, SecurityScheme>) {
        let doc = self.doc;
        let mut spec = Spec::default();
        if let Some(components) = &doc.components {
            for (name, schema) in &components.schemas {
                let pointer = join("/components/schemas", name);
                let schema = self.schema(schema, &pointer);
                spec.schemas.insert(name.clone(), schema);
            }
            for (name, scheme) in &components.security_schemes {
                let pointer = join("/components/securitySchemes", name);
                if let Some(scheme) = self.security_scheme(scheme, &pointer) {
                    spec.security_schemes.insert(name.clone(), scheme);
                }
            }
        }
        (spec.schemas, spec.security_schemes)
    }

    /// The operations of some path items, in their order, each with its
    /// JSON pointer.
    fn operations(
        &mut self,
        items: &[(&'a String, &'a ReferenceOr<oa::PathItem>)],
    ) -> Vec<(Operation, String)> {
        let mut operations = Vec::new();
        for (path, item) in items {
            let item_pointer = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.error(
                        Kind::Unsupported,
                        &join(&item_pointer, "$ref"),
                        format!("path item `{path}` is a reference (`{reference}`)"),
                        "write the path item inline",
                    );
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                if !METHODS.contains(&method) {
                    continue;
                }
                let pointer = join(&item_pointer, method);
                let op = self.operation(path, method, item, operation, &pointer);
                operations.push((op, pointer));
            }
        }
        operations
    }

    fn security_scheme(
        &mut self,
        scheme: &ReferenceOr<oa::SecurityScheme>,
        pointer: &str,
    ) -> Option<SecurityScheme> {
        let ReferenceOr::Item(scheme) = scheme else {
            self.error(
                Kind::Unsupported,
                pointer,
                "security scheme is a reference".into(),
                "write the security scheme inline",
            );
            return None;
        };
        let (kind, description, extensions) = match scheme {
            oa::SecurityScheme::APIKey {
                location,
                name,
                description,
                extensions,
            } => (
                match location {
                    oa::APIKeyLocation::Header => SecuritySchemeKind::Header(name.clone()),
                    oa::APIKeyLocation::Query => SecuritySchemeKind::Query(name.clone()),
                    oa::APIKeyLocation::Cookie => SecuritySchemeKind::Cookie(name.clone()),
                },
                description,
                extensions,
            ),
            oa::SecurityScheme::HTTP {
                scheme,
                description,
                extensions,
                ..
            } => (
                if scheme.eq_ignore_ascii_case("basic") {
                    SecuritySchemeKind::Basic
                } else if scheme.eq_ignore_ascii_case("bearer") {
                    SecuritySchemeKind::Bearer
                } else {
                    SecuritySchemeKind::Http
                },
                description,
                extensions,
            ),
            oa::SecurityScheme::OAuth2 {
                description,
                extensions,
                ..
            } => (SecuritySchemeKind::OAuth2, description, extensions),
            oa::SecurityScheme::OpenIDConnect {
                description,
                extensions,
                ..
            } => (SecuritySchemeKind::OpenIdConnect, description, extensions),
        };
        Some(SecurityScheme {
            kind,
            description: description.clone(),
            env: extensions
                .get("x-apigen-env")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
        })
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'a oa::PathItem,
        op: &'a oa::Operation,
        pointer: &str,
    ) -> Operation {
        let id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| crate::naming::operation_id(method, path));
        // Parsed once here; `lower` takes the parameters from it.
        let template = PathTemplate::parse(path);

        // Operation parameters override path-item ones with the same name and location.
        let mut parameters: Vec<Parameter> = Vec::new();
        let item_pointer = pointer.rsplit_once('/').map_or("", |(p, _)| p).to_string();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{item_pointer}/parameters/{i}")))
            .chain(
                op.parameters
                    .iter()
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
        self.check_path_parameters(&template, pointer, &parameters);

        let request_body = op.request_body.as_ref().and_then(|body| {
            let body_pointer = join(pointer, "requestBody");
            let (body, body_pointer) =
                self.resolve(body, &body_pointer, "requestBodies", |c| &c.request_bodies)?;
            Some(RequestBody {
                required: body.required,
                description: body.description.clone(),
                content: self.content(&body.content, &join(&body_pointer, "content")),
                pointer: body_pointer,
            })
        });

        let mut responses = Vec::new();
        let responses_pointer = join(pointer, "responses");
        let mut entries: Vec<(String, &ReferenceOr<oa::Response>)> = op
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                let status = match status {
                    oa::StatusCode::Code(code) => code.to_string(),
                    oa::StatusCode::Range(range) => format!("{range}XX"),
                };
                (status, response)
            })
            .collect();
        if let Some(default) = &op.responses.default {
            entries.push(("default".to_string(), default));
        }
        for (status, response) in entries {
            let response_pointer = join(&responses_pointer, &status);
            let Some((response, response_pointer)) =
                self.resolve(response, &response_pointer, "responses", |c| &c.responses)
            else {
                continue;
            };
            responses.push(Response {
                status,
                description: Some(response.description.clone()).filter(|d| !d.is_empty()),
                content: self.content(&response.content, &join(&response_pointer, "content")),
                pointer: response_pointer,
            });
        }

        let security = op
            .security
            .as_ref()
            .or(self.doc.security.as_ref())
            .map(|requirements| {
                requirements
                    .iter()
                    .map(|requirement| requirement.keys().cloned().collect())
                    .collect()
            });

        Operation {
            id,
            method: method.to_string(),
            path: template,
            pointer: pointer.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            parameters,
            request_body,
            responses,
            security,
        }
    }

    fn check_path_parameters(
        &mut self,
        path: &PathTemplate,
        pointer: &str,
        parameters: &[Parameter],
    ) {
        for (at, message, help) in path_parameter_problems(path, pointer, parameters) {
            self.error(Kind::PathParameter, &at, message, &help);
        }
    }

    fn parameter(
        &mut self,
        parameter: &'a ReferenceOr<oa::Parameter>,
        pointer: &str,
    ) -> Option<Parameter> {
        let (parameter, pointer) =
            self.resolve(parameter, pointer, "parameters", |c| &c.parameters)?;
        // `openapiv3` fills in the location's default style when none is
        // declared (the same default `lower` would use) and rejects a style
        // the location does not allow.
        let (data, location, style, allow_reserved) = match parameter {
            oa::Parameter::Query {
                parameter_data,
                allow_reserved,
                style,
                ..
            } => (
                parameter_data,
                ParameterLocation::Query,
                query_style(style),
                *allow_reserved,
            ),
            oa::Parameter::Header { parameter_data, .. } => (
                parameter_data,
                ParameterLocation::Header,
                Style::Simple,
                false,
            ),
            oa::Parameter::Path {
                parameter_data,
                style,
                ..
            } => {
                let style = match style {
                    oa::PathStyle::Matrix => Style::Matrix,
                    oa::PathStyle::Label => Style::Label,
                    oa::PathStyle::Simple => Style::Simple,
                };
                (parameter_data, ParameterLocation::Path, style, false)
            }
            oa::Parameter::Cookie { parameter_data, .. } => (
                parameter_data,
                ParameterLocation::Cookie,
                Style::Form,
                false,
            ),
        };
        let serialization = Serialization {
            style: Some(style),
            explode: data.explode,
            allow_reserved,
        };
        let schema = match &data.format {
            oa::ParameterSchemaOrContent::Schema(schema) => {
                self.schema(schema, &join(&pointer, "schema"))
            }
            oa::ParameterSchemaOrContent::Content(content) => content
                .iter()
                .next()
                .and_then(|(media, m)| {
                    m.schema.as_ref().map(|s| {
                        self.schema(s, &join(&join(&join(&pointer, "content"), media), "schema"))
                    })
                })
                .unwrap_or_else(|| Schema::new(pointer.clone(), SchemaKind::Any)),
        };
        Some(Parameter {
            name: data.name.clone(),
            location,
            required: data.required || location == ParameterLocation::Path,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
            schema,
            serialization,
            pointer,
        })
    }

    fn content(
        &mut self,
        content: &indexmap::IndexMap<String, oa::MediaType>,
        pointer: &str,
    ) -> Vec<MediaType> {
        content
            .iter()
            .map(|(media_type, media)| MediaType {
                media_type: media_type.clone(),
                schema: media
                    .schema
                    .as_ref()
                    .map(|s| self.schema(s, &join(&join(pointer, media_type), "schema"))),
                example: media.example.clone().or_else(|| {
                    media.examples.values().find_map(|e| match e {
                        ReferenceOr::Item(example) => example.value.clone(),
                        ReferenceOr::Reference { .. } => None,
                    })
                }),
                encoding: media
                    .encoding
                    .iter()
                    .map(|(name, encoding)| {
                        let at = join(&join(&join(pointer, media_type), "encoding"), name);
                        let serialization = Serialization {
                            style: encoding.style.as_ref().map(query_style),
                            explode: self.explodes.get(&at).copied(),
                            allow_reserved: encoding.allow_reserved,
                        };
                        (name.clone(), serialization)
                    })
                    .collect(),
                content_types: media
                    .encoding
                    .iter()
                    .filter_map(|(name, encoding)| {
                        Some((name.clone(), encoding.content_type.clone()?))
                    })
                    .collect(),
            })
            .collect()
    }

    /// Follows a reference to `#/components/<section>/<name>` (through chains
    /// of references, with a depth limit against cycles).
    fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        pointer: &str,
        section: &str,
        get: impl Fn(&'a oa::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Option<(&'a T, String)> {
        let mut current = item;
        let mut at = pointer.to_string();
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(item) => return Some((item, at)),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{section}/");
                    let target = reference
                        .strip_prefix(&prefix)
                        .map(unescape)
                        .and_then(|name| {
                            self.doc
                                .components
                                .as_ref()
                                .and_then(|c| get(c).get(&name))
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
            self.doc
                .components
                .as_ref()
                .is_some_and(|c| c.schemas.contains_key(name))
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

    fn schema(&mut self, schema: &ReferenceOr<oa::Schema>, pointer: &str) -> Schema {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.item(schema, pointer),
        }
    }

    fn boxed(&mut self, schema: &ReferenceOr<Box<oa::Schema>>, pointer: &str) -> Schema {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.item(schema, pointer),
        }
    }

    fn list(&mut self, schemas: &[ReferenceOr<oa::Schema>], pointer: &str) -> Vec<Schema> {
        schemas
            .iter()
            .enumerate()
            .map(|(i, s)| self.schema(s, &format!("{pointer}/{i}")))
            .collect()
    }

    fn item(&mut self, schema: &oa::Schema, pointer: &str) -> Schema {
        let data = &schema.schema_data;
        let kind = match &schema.schema_kind {
            oa::SchemaKind::Type(ty) => self.typed(ty, pointer),
            oa::SchemaKind::AllOf { all_of } => {
                SchemaKind::AllOf(self.list(all_of, &join(pointer, "allOf")))
            }
            oa::SchemaKind::AnyOf { any_of } => {
                SchemaKind::AnyOf(self.list(any_of, &join(pointer, "anyOf")))
            }
            oa::SchemaKind::OneOf { one_of } => SchemaKind::OneOf {
                variants: self.list(one_of, &join(pointer, "oneOf")),
                discriminator: data.discriminator.as_ref().map(|d| d.property_name.clone()),
            },
            oa::SchemaKind::Not { .. } => SchemaKind::Not,
            oa::SchemaKind::Any(any) => self.any(any, data, pointer),
        };
        let typeless = match &schema.schema_kind {
            oa::SchemaKind::Type(_) => false,
            oa::SchemaKind::Any(any) => any.typ.is_none(),
            _ => true,
        };
        Schema {
            pointer: pointer.to_string(),
            kind,
            nullable: data.nullable,
            typeless,
            read_only: data.read_only,
            write_only: data.write_only,
            deprecated: data.deprecated,
            title: data.title.clone(),
            description: data.description.clone(),
            example: data.example.clone(),
            default: data.default.clone(),
            examples: Vec::new(),
            constraints: constraints(&schema.schema_kind),
        }
    }

    fn typed(&mut self, ty: &oa::Type, pointer: &str) -> SchemaKind {
        match ty {
            oa::Type::String(s) => SchemaKind::String {
                format: format_name(&s.format),
                values: s.enumeration.clone(),
            },
            oa::Type::Number(n) => SchemaKind::Number {
                format: format_name(&n.format),
            },
            oa::Type::Integer(i) => SchemaKind::Integer {
                format: format_name(&i.format),
                values: i.enumeration.iter().flatten().copied().collect(),
            },
            oa::Type::Boolean(_) => SchemaKind::Boolean,
            oa::Type::Array(a) => SchemaKind::Array(Box::new(match &a.items {
                Some(items) => self.boxed(items, &join(pointer, "items")),
                None => Schema::new(join(pointer, "items"), SchemaKind::Any),
            })),
            oa::Type::Object(o) => SchemaKind::Object(self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                pointer,
            )),
        }
    }

    fn object(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<oa::Schema>>>,
        required: &[String],
        additional: Option<&oa::AdditionalProperties>,
        pointer: &str,
    ) -> Object {
        let properties_pointer = join(pointer, "properties");
        let properties = properties
            .iter()
            .map(|(name, schema)| {
                (
                    name.clone(),
                    self.boxed(schema, &join(&properties_pointer, name)),
                )
            })
            .collect();
        let (additional, closed) = match additional {
            None | Some(oa::AdditionalProperties::Any(true)) => (None, false),
            Some(oa::AdditionalProperties::Any(false)) => (None, true),
            Some(oa::AdditionalProperties::Schema(schema)) => (
                Some(Box::new(
                    self.schema(schema, &join(pointer, "additionalProperties")),
                )),
                false,
            ),
        };
        Object {
            properties,
            required: required.iter().cloned().collect(),
            additional,
            closed,
        }
    }

    /// A schema that mixes keywords `openapiv3` keeps apart (for example
    /// `type: object` with `allOf`, or `enum` without `type`).
    fn any(&mut self, any: &oa::AnySchema, data: &oa::SchemaData, pointer: &str) -> SchemaKind {
        let has_object = !any.properties.is_empty() || any.additional_properties.is_some();
        let typ = any
            .typ
            .as_deref()
            .or(if has_object { Some("object") } else { None })
            .or(if any.items.is_some() {
                Some("array")
            } else {
                None
            });
        // A string, its `enum` values kept (`null` as `None`).
        let string = || SchemaKind::String {
            format: any.format.clone(),
            values: any
                .enumeration
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect(),
        };
        let base = match typ {
            Some("object") => Some(SchemaKind::Object(self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                pointer,
            ))),
            Some("array") => Some(SchemaKind::Array(Box::new(match &any.items {
                Some(items) => self.boxed(items, &join(pointer, "items")),
                None => Schema::new(join(pointer, "items"), SchemaKind::Any),
            }))),
            Some("string") => Some(string()),
            Some("integer") => Some(SchemaKind::Integer {
                format: any.format.clone(),
                values: any
                    .enumeration
                    .iter()
                    .filter_map(serde_json::Value::as_i64)
                    .collect(),
            }),
            Some("number") => Some(SchemaKind::Number {
                format: any.format.clone(),
            }),
            Some("boolean") => Some(SchemaKind::Boolean),
            Some(other) => {
                self.error(
                    Kind::NotOpenApi,
                    &join(pointer, "type"),
                    format!("unknown type `{other}`"),
                    "use one of string, number, integer, boolean, array, object",
                );
                None
            }
            None if !any.enumeration.is_empty()
                && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
            {
                Some(string())
            }
            None => None,
        };
        let mut parts = Vec::new();
        if let Some(base) = base {
            parts.push(Schema::new(pointer, base));
        }
        if !any.all_of.is_empty() {
            parts.extend(self.list(&any.all_of, &join(pointer, "allOf")));
        }
        if !any.one_of.is_empty() {
            let variants = self.list(&any.one_of, &join(pointer, "oneOf"));
            parts.push(Schema::new(
                join(pointer, "oneOf"),
                SchemaKind::OneOf {
                    variants,
                    discriminator: data.discriminator.as_ref().map(|d| d.property_name.clone()),
                },
            ));
        }
        if !any.any_of.is_empty() {
            let variants = self.list(&any.any_of, &join(pointer, "anyOf"));
            parts.push(Schema::new(
                join(pointer, "anyOf"),
                SchemaKind::AnyOf(variants),
            ));
        }
        if any.not.is_some() {
            parts.push(Schema::new(join(pointer, "not"), SchemaKind::Not));
        }
        match parts.len() {
            0 => SchemaKind::Any,
            1 => parts.pop().map(|s| s.kind).unwrap_or(SchemaKind::Any),
            _ => SchemaKind::AllOf(parts),
        }
    }
}

/// The validation keywords of a 3.0 schema (`exclusiveMinimum` and
/// `exclusiveMaximum` are booleans beside `minimum` and `maximum`).
fn constraints(kind: &oa::SchemaKind) -> Constraints {
    let size = |n: Option<usize>| n.map(|n| n as u64);
    let bound =
        |value: Option<f64>, exclusive: bool| value.and_then(|v| Bound::float(v, exclusive));
    match kind {
        oa::SchemaKind::Type(oa::Type::String(s)) => Constraints {
            min_length: size(s.min_length),
            max_length: size(s.max_length),
            pattern: s.pattern.clone(),
            ..Constraints::default()
        },
        oa::SchemaKind::Type(oa::Type::Number(n)) => Constraints {
            minimum: bound(n.minimum, n.exclusive_minimum),
            maximum: bound(n.maximum, n.exclusive_maximum),
            multiple_of: n
                .multiple_of
                .and_then(|m| Bound::float(m, false))
                .map(|b| b.value),
            ..Constraints::default()
        },
        oa::SchemaKind::Type(oa::Type::Integer(i)) => Constraints {
            minimum: i.minimum.map(|v| Bound {
                value: v.into(),
                exclusive: i.exclusive_minimum,
            }),
            maximum: i.maximum.map(|v| Bound {
                value: v.into(),
                exclusive: i.exclusive_maximum,
            }),
            multiple_of: i.multiple_of.map(Into::into),
            ..Constraints::default()
        },
        oa::SchemaKind::Type(oa::Type::Array(a)) => Constraints {
            min_items: size(a.min_items),
            max_items: size(a.max_items),
            unique_items: a.unique_items,
            ..Constraints::default()
        },
        oa::SchemaKind::Any(any) => Constraints {
            min_length: size(any.min_length),
            max_length: size(any.max_length),
            pattern: any.pattern.clone(),
            minimum: bound(any.minimum, any.exclusive_minimum.unwrap_or(false)),
            maximum: bound(any.maximum, any.exclusive_maximum.unwrap_or(false)),
            multiple_of: any
                .multiple_of
                .and_then(|m| Bound::float(m, false))
                .map(|b| b.value),
            min_items: size(any.min_items),
            max_items: size(any.max_items),
            unique_items: any.unique_items.unwrap_or(false),
        },
        _ => Constraints::default(),
    }
}

fn format_name<T: serde::Serialize>(format: &oa::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        oa::VariantOrUnknownOrEmpty::Item(item) => serde_json::to_value(item)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string)),
        oa::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        oa::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// Path parameters the template uses but no parameter declares, and the
/// reverse: (pointer, message, help) for each.
pub(crate) fn path_parameter_problems(
    path: &PathTemplate,
    pointer: &str,
    parameters: &[Parameter],
) -> Vec<(String, String, String)> {
    let mut problems = Vec::new();
    let in_template: BTreeSet<&str> = path.params().iter().map(String::as_str).collect();
    let declared: BTreeSet<&str> = parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
        .map(|p| p.name.as_str())
        .collect();
    for missing in in_template.difference(&declared) {
        problems.push((
            pointer.to_string(),
            format!("path parameter `{missing}` is used in `{path}` but not declared"),
            "declare it under `parameters` with `in: path` and `required: true`".to_string(),
        ));
    }
    for extra in declared.difference(&in_template) {
        let at = parameters
            .iter()
            .find(|p| p.location == ParameterLocation::Path && p.name == *extra)
            .map_or(pointer.to_string(), |p| p.pointer.clone());
        problems.push((
            at,
            format!("path parameter `{extra}` is declared but `{path}` does not use it"),
            format!("remove the declaration, or add `{{{extra}}}` to the path template"),
        ));
    }
    problems
}

pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Orders methods the way API references list them.
pub(crate) fn method_rank(method: &str) -> usize {
    [
        "get", "post", "put", "patch", "delete", "head", "options", "trace",
    ]
    .iter()
    .position(|m| *m == method)
    .unwrap_or(usize::MAX)
}

/// The style of a query parameter or of an `encoding` entry.
fn query_style(style: &oa::QueryStyle) -> Style {
    match style {
        oa::QueryStyle::Form => Style::Form,
        oa::QueryStyle::SpaceDelimited => Style::SpaceDelimited,
        oa::QueryStyle::PipeDelimited => Style::PipeDelimited,
        oa::QueryStyle::DeepObject => Style::DeepObject,
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::{Bound, Constraints, Spec};

    #[test]
    fn declared_explodes_are_keyed_by_escaped_pointers() {
        let document = serde_json::json!({
            "paths": {"/a~b": {"post": {"requestBody": {"content": {"multipart/form-data": {
                "encoding": {"tags": {"explode": false}, "x/y": {"explode": true}, "z": {}}
            }}}}}},
            "x-list": [{}, {"encoding": {"e": {"explode": true}}}]
        });
        let at = "/paths/~1a~0b/post/requestBody/content/multipart~1form-data/encoding";
        assert_eq!(
            super::declared_explodes(&document),
            super::Explodes::from([
                (format!("{at}/tags"), false),
                (format!("{at}/x~1y"), true),
                ("/x-list/1/encoding/e".to_string(), true),
            ])
        );
    }

    fn convert(yaml: &str) -> Spec {
        let file = crate::load::parse("fixture.yaml".into(), yaml.to_string()).expect("parses");
        let merged = crate::merge::merge(vec![file]).expect("merges");
        let document = crate::oas30::to_openapi(&merged.document).expect("OpenAPI");
        let explodes = super::declared_explodes(&merged.document);
        let (spec, diagnostics) = super::convert(&document, &merged.origins, &explodes);
        assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
        spec
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Name: {type: string, minLength: 1, maxLength: 32, pattern: '^[a-z]+$', format: hostname}
    Port: {type: integer, minimum: 1, maximum: 65535, exclusiveMaximum: true, multipleOf: 1}
    Ratio: {type: number, minimum: 0.5, exclusiveMinimum: true, maximum: 1e3, multipleOf: 0.25}
    Tags: {type: array, items: {type: string}, minItems: 1, maxItems: 10, uniqueItems: true}
    Mixed: {maxLength: 3, enum: [a, b]}
    Plain: {type: string}
"#;

    #[test]
    fn string_number_and_array_constraints_are_kept() {
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
        assert_eq!(
            c("Port"),
            Constraints {
                minimum: Some(Bound {
                    value: 1.into(),
                    exclusive: false
                }),
                maximum: Some(Bound {
                    value: 65535.into(),
                    exclusive: true
                }),
                multiple_of: Some(1.into()),
                ..Constraints::default()
            }
        );
        let ratio = c("Ratio");
        assert_eq!(ratio.minimum, Bound::float(0.5, true));
        // A whole float bound is written as an integer.
        assert_eq!(
            ratio.maximum,
            Some(Bound {
                value: 1000.into(),
                exclusive: false
            })
        );
        assert_eq!(ratio.multiple_of.and_then(|m| m.as_f64()), Some(0.25));
        assert_eq!(
            c("Tags"),
            Constraints {
                min_items: Some(1),
                max_items: Some(10),
                unique_items: true,
                ..Constraints::default()
            }
        );
        // A schema `openapiv3` reads as "any" keeps them too.
        assert_eq!(c("Mixed").max_length, Some(3));
        assert!(c("Plain").is_empty());
    }
}
