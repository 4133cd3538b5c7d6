//! Stage 5: lower the spec into the [`Model`]: decide the Rust type of every
//! schema, see through the response envelope, and shape each operation.
//!
//! - Objects become structs, string enums become enums, `oneOf`/`anyOf`
//!   become unions; everything else maps onto a Rust or `serde_json` type.
//! - A schema with `readOnly` properties (at any depth) gets a second,
//!   request-side type without them (`FooRequest`).
//! - Structurally identical types are interned into one, so the dozens of
//!   copies of a schema under different names in a large spec cost one type.
//! - Types are named last, in a sorted order, so names do not depend on the
//!   order in which they were first met.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Kind, Location};
use crate::docs::sanitize;
use crate::merge::Origins;
use crate::model::*;
use crate::naming::{area_names, pascal, snake, Features, Namespace};
use crate::normalize::{Normalizer, Problem};
use crate::resources::{Overrides, Route};
use crate::spec::{
    is_form, is_json, is_text, json_media, Operation, ParameterLocation, Schema, SchemaKind, Spec,
    Style,
};

mod multipart;

const RENAME_HELP: &str =
    "the wire name is kept; rename one of them in the spec for a nicer Rust name";

/// Which side of the wire a type is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Dir {
    /// Responses: every property.
    Read,
    /// Requests: no `readOnly` properties.
    Write,
}

/// A type being built; named at the end.
struct Draft {
    preferred: String,
    doc: Vec<String>,
    kind: Option<TypeKind>,
    origin: String,
    deprecated: bool,
    redirect: Option<TypeId>,
    /// For component schemas: the name without its namespace prefix. Identical
    /// shapes merge only when their classes agree (or one is anonymous), so
    /// `tls_decrypt` and `activity_log` settings stay apart even when both are
    /// `{enabled: bool}`.
    class: Option<String>,
    /// Request-side drafts: the `readOnly` properties left out.
    read_only: BTreeSet<String>,
    /// Made only to find a response type's request counterpart: never gives
    /// its name to a type an operation uses.
    speculative: bool,
    /// Response-side drafts of schemas with `readOnly` properties: how to
    /// lower the same schema for requests.
    source: Option<Source>,
    /// The request-side types this response-side type converts into.
    requests: BTreeSet<TypeId>,
}

/// The schema of a response-side type, kept to lower it again for requests.
#[derive(Clone)]
enum Source {
    /// A component schema, by name.
    Component(String),
    /// An inline schema (already flattened), with its name hint.
    Inline(Box<Schema>, String),
}

struct Lowerer<'s> {
    spec: &'s Spec,
    norm: Normalizer<'s>,
    origins: &'s Origins,
    diagnostics: Vec<Diagnostic>,
    drafts: Vec<Draft>,
    components: HashMap<(String, Dir), TypeRef>,
    in_progress: HashSet<TypeId>,
    cyclic: HashSet<TypeId>,
    interned: HashMap<TypeKind, Vec<TypeId>>,
    read_only_memo: HashMap<String, bool>,
    component_names: HashMap<String, String>,
    /// Whether drafts being made are speculative (see [`Draft::speculative`]).
    speculative: bool,
    /// Webhook payloads lowered so far (roots of their area's types).
    webhooks: Vec<WebhookDef>,
}

/// What lowering found besides the model.
#[derive(Debug, Default)]
pub struct Lowered {
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Named types made before structurally identical ones were merged.
    pub types_before_dedup: usize,
}

/// Lowers a spec. Errors are among the returned diagnostics.
///
/// A schema no Rust type can express (`allOf` branches that contradict each
/// other, a lone `not`) is typed as `serde_json::Value` with a warning, so one
/// bad schema never blocks the crate (`--deny-warnings` refuses it).
pub fn lower(spec: &Spec, origins: &Origins) -> (Model, Lowered) {
    lower_with(spec, origins, &Overrides::default())
}

/// Lowers a spec, naming resources and methods with a naming file's
/// overrides.
pub fn lower_with(spec: &Spec, origins: &Origins, overrides: &Overrides) -> (Model, Lowered) {
    let mut lowerer = Lowerer {
        spec,
        norm: Normalizer::new(&spec.schemas),
        origins,
        diagnostics: Vec::new(),
        drafts: Vec::new(),
        components: HashMap::new(),
        in_progress: HashSet::new(),
        cyclic: HashSet::new(),
        interned: HashMap::new(),
        read_only_memo: HashMap::new(),
        component_names: component_names(spec),
        speculative: false,
        webhooks: Vec::new(),
    };
    let model = lowerer.run(overrides);
    (
        model,
        Lowered {
            diagnostics: lowerer.diagnostics,
            // Every draft was a type before interning merged some of them.
            types_before_dedup: lowerer.drafts.iter().filter(|d| !d.speculative).count(),
        },
    )
}

fn option(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Json | TypeRef::Option(_) => ty,
        other => TypeRef::Option(Box::new(other)),
    }
}

fn doc_of(schema: &Schema) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(title) = &schema.title {
        doc.extend(sanitize(title));
    }
    if let Some(description) = &schema.description {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(sanitize(description));
    }
    doc
}

/// The kind with documentation removed: the key under which structurally
/// identical types are interned.
fn shape_key(kind: &TypeKind) -> TypeKind {
    let mut key = kind.clone();
    match &mut key {
        TypeKind::Struct { fields, .. } => fields.iter_mut().for_each(|f| {
            f.doc.clear();
            f.deprecated = false;
        }),
        TypeKind::Params { fields } => fields.iter_mut().for_each(|f| f.field.doc.clear()),
        TypeKind::Enum { .. } | TypeKind::Union { .. } => {}
    }
    key
}

impl<'s> Lowerer<'s> {
    fn locate(&self, pointer: &str) -> Location {
        self.origins.locate(pointer)
    }

    fn problem(&mut self, problem: Problem, at: &str) {
        let diagnostic = match problem {
            Problem::Contradiction { left, right, detail } => Diagnostic::warning(
                Kind::Fallback,
                self.locate(&left),
                format!("allOf branches contradict each other ({detail}); typed as serde_json::Value"),
            )
            .with_related(self.locate(&right))
            .with_help("make the branches agree on the type, or use oneOf if either shape is allowed"),
            Problem::Override { kept, dropped, detail } => Diagnostic::warning(
                Kind::Contradiction,
                self.locate(&dropped),
                format!("allOf branches contradict each other ({detail}); the structured branch wins over this placeholder"),
            )
            .with_related(self.locate(&kept))
            .with_help("remove the placeholder, or make it agree with the other branch"),
            Problem::IgnoredNot { pointer } => Diagnostic::warning(
                Kind::Unsupported,
                self.locate(&pointer),
                "`not` cannot be expressed in Rust types; this constraint is not checked".to_string(),
            )
            .with_help("the generated type accepts values the spec excludes; remove `not` to silence this"),
            Problem::TooDeep { name } => Diagnostic::error(
                Kind::Unsupported,
                self.locate(&crate::diagnostic::join("/components/schemas", &name)),
                format!(
                    "references nest more than {} deep here",
                    crate::normalize::MAX_DEPTH
                ),
            )
            .with_help("flatten the chain of schemas"),
            Problem::Cycle { names } => {
                let at = names
                    .first()
                    .map(|name| crate::diagnostic::join("/components/schemas", name))
                    .unwrap_or_else(|| at.to_string());
                let diagnostic = Diagnostic::error(
                    Kind::BadReference,
                    self.locate(&at),
                    format!(
                        "schemas refer to themselves through `$ref`/`allOf` alone, a cycle that cannot be typed: {}",
                        names.join(" -> ")
                    ),
                )
                .with_help("break the cycle: a schema cannot be (or include) itself without a property or array in between");
                // The other end: the schema that leads back to the first.
                let first = names.first();
                match names.iter().rev().find(|name| Some(*name) != first) {
                    Some(other) => diagnostic.with_related(
                        self.locate(&crate::diagnostic::join("/components/schemas", other)),
                    ),
                    None => diagnostic,
                }
            }
        };
        self.diagnostics.push(diagnostic);
    }

    fn warn(&mut self, kind: Kind, pointer: &str, message: String) {
        let location = self.locate(pointer);
        let help = match kind {
            Kind::NameCollision => RENAME_HELP,
            _ => "the generated code only approximates the spec here; --deny-warnings makes this an error",
        };
        self.diagnostics
            .push(Diagnostic::warning(kind, location, message).with_help(help));
    }

    // ----- types -------------------------------------------------------------

    /// Reports the placeholder overrides the normalizer met.
    fn drain_overrides(&mut self) {
        for problem in self.norm.take_overrides() {
            self.problem(problem, "");
        }
    }

    fn ty(&mut self, schema: &Schema, hint: &str, dir: Dir) -> TypeRef {
        let flat = self.norm.flatten(schema);
        self.drain_overrides();
        let flat = match flat {
            Ok(flat) => flat,
            Err(problem) => {
                self.problem(problem, &schema.pointer);
                return TypeRef::Json;
            }
        };
        let inner = match &flat.kind {
            SchemaKind::Ref(name) => self.component(name, dir),
            _ => self.structural(&flat, hint, dir),
        };
        if flat.nullable {
            option(inner)
        } else {
            inner
        }
    }

    fn component(&mut self, name: &str, dir: Dir) -> TypeRef {
        let dir = if dir == Dir::Write && self.has_read_only_component(name) {
            Dir::Write
        } else {
            Dir::Read
        };
        let key = (name.to_string(), dir);
        if let Some(found) = self.components.get(&key) {
            return match found {
                TypeRef::Named(id) if self.in_progress.contains(id) => {
                    self.cyclic.insert(*id);
                    TypeRef::Boxed(*id)
                }
                other => other.clone(),
            };
        }
        let resolved = self.norm.component_flat(name);
        self.drain_overrides();
        let resolved = match resolved {
            Ok(resolved) => resolved,
            Err(problem) => {
                self.problem(
                    problem,
                    &crate::diagnostic::join("/components/schemas", name),
                );
                self.components.insert(key, TypeRef::Json);
                return TypeRef::Json;
            }
        };
        let mut preferred = self
            .component_names
            .get(name)
            .cloned()
            .unwrap_or_else(|| pascal(name));
        if dir == Dir::Write {
            preferred.push_str("Request");
        }
        if self.in_progress.len() >= crate::normalize::MAX_DEPTH {
            self.problem(
                Problem::TooDeep {
                    name: name.to_string(),
                },
                "",
            );
            return TypeRef::Json;
        }
        let ty = if makes_named(&resolved) {
            let origin = crate::diagnostic::join("/components/schemas", name);
            let id = self.alloc(&preferred, &resolved, origin);
            self.drafts[id.0].class = Some(format!("{}{:?}", class_of(name), dir));
            self.components.insert(key.clone(), TypeRef::Named(id));
            self.in_progress.insert(id);
            let kind = self.named_kind(&resolved, &preferred, dir);
            self.in_progress.remove(&id);
            match dir {
                Dir::Write => self.drafts[id.0].read_only = self.read_only_names(&resolved),
                Dir::Read if self.has_read_only_component(name) => {
                    self.drafts[id.0].source = Some(Source::Component(name.to_string()));
                }
                Dir::Read => {}
            }
            let id = self.finish(id, kind);
            TypeRef::Named(id)
        } else {
            // Guards against a component that is an array of itself.
            self.components.insert(key.clone(), TypeRef::Json);
            let mut plain = (*resolved).clone();
            plain.nullable = false;
            self.structural(&plain, &preferred, dir)
        };
        let ty = if resolved.nullable { option(ty) } else { ty };
        self.components.insert(key, ty.clone());
        ty
    }

    fn alloc(&mut self, preferred: &str, schema: &Schema, origin: String) -> TypeId {
        self.drafts.push(Draft {
            preferred: preferred.to_string(),
            doc: doc_of(schema),
            kind: None,
            origin,
            deprecated: schema.deprecated,
            redirect: None,
            class: None,
            read_only: BTreeSet::new(),
            speculative: self.speculative,
            source: None,
            requests: BTreeSet::new(),
        });
        TypeId(self.drafts.len() - 1)
    }

    /// Completes a draft; if an identical type exists (and nothing refers to
    /// this one yet), the draft becomes an alias of it.
    fn finish(&mut self, id: TypeId, kind: TypeKind) -> TypeId {
        if self.cyclic.contains(&id) || matches!(kind, TypeKind::Params { .. }) {
            self.drafts[id.0].kind = Some(kind);
            return id;
        }
        let key = shape_key(&kind);
        let class = self.drafts[id.0].class.clone();
        let candidates = self.interned.entry(key).or_default();
        let found = candidates.iter().copied().find(|existing| {
            let other = &self.drafts[existing.0].class;
            class.is_none() || other.is_none() || *other == class
        });
        match found {
            Some(existing) => {
                // Never sent: the union of what each copy leaves out.
                let read_only = std::mem::take(&mut self.drafts[id.0].read_only);
                self.drafts[existing.0].read_only.extend(read_only);
                let source = self.drafts[id.0].source.take();
                if self.drafts[existing.0].source.is_none() {
                    self.drafts[existing.0].source = source;
                }
                // A component's name beats a name made up from the context
                // (unless it was made only to find a request counterpart).
                if self.drafts[existing.0].class.is_none() && class.is_some() && !self.speculative {
                    let (named, anonymous) = if id.0 < existing.0 {
                        let (a, b) = self.drafts.split_at_mut(existing.0);
                        (&a[id.0], &mut b[0])
                    } else {
                        let (a, b) = self.drafts.split_at_mut(id.0);
                        (&b[0], &mut a[existing.0])
                    };
                    anonymous.preferred.clone_from(&named.preferred);
                    anonymous.origin.clone_from(&named.origin);
                    anonymous.class.clone_from(&named.class);
                    if !named.doc.is_empty() {
                        anonymous.doc.clone_from(&named.doc);
                    }
                }
                self.drafts[id.0].redirect = Some(existing);
                existing
            }
            None => {
                candidates.push(id);
                self.drafts[id.0].kind = Some(kind);
                id
            }
        }
    }

    fn named(&mut self, schema: &Schema, hint: &str, dir: Dir) -> TypeRef {
        let id = self.alloc(hint, schema, schema.pointer.clone());
        self.in_progress.insert(id);
        let kind = self.named_kind(schema, hint, dir);
        self.in_progress.remove(&id);
        match dir {
            Dir::Write => self.drafts[id.0].read_only = self.read_only_names(schema),
            Dir::Read if self.has_read_only(schema) => {
                self.drafts[id.0].source =
                    Some(Source::Inline(Box::new(schema.clone()), hint.to_string()));
            }
            Dir::Read => {}
        }
        TypeRef::Named(self.finish(id, kind))
    }

    /// The wire names of an object's `readOnly` properties, which its
    /// request-side type leaves out.
    fn read_only_names(&self, schema: &Schema) -> BTreeSet<String> {
        match &schema.kind {
            SchemaKind::Object(object) => object
                .properties
                .iter()
                .filter(|(_, p)| p.read_only || self.ref_flag(p, |s| s.read_only))
                .map(|(wire, _)| wire.clone())
                .collect(),
            _ => BTreeSet::new(),
        }
    }

    /// Lowers every response-side type whose schema has `readOnly`
    /// properties again for requests, speculatively: when that finds a
    /// request-side type an operation uses (interning merges identical
    /// shapes), the response type converts into it. Runs after every
    /// operation is lowered, so a speculative draft never names a live type.
    fn find_requests(&mut self) {
        self.speculative = true;
        for index in 0..self.drafts.len() {
            let Some(source) = self.drafts[index].source.clone() else {
                continue;
            };
            let ty = match source {
                Source::Component(name) => self.component(&name, Dir::Write),
                Source::Inline(schema, hint) => {
                    self.named(&schema, &format!("{hint}Request"), Dir::Write)
                }
            };
            if let TypeRef::Named(request) = ty {
                self.drafts[index].requests.insert(request);
            }
        }
        self.speculative = false;
    }

    fn structural(&mut self, flat: &Schema, hint: &str, dir: Dir) -> TypeRef {
        match &flat.kind {
            SchemaKind::Ref(name) => self.component(name, dir),
            SchemaKind::Any => TypeRef::Json,
            SchemaKind::Not => {
                let location = self.locate(&flat.pointer);
                self.diagnostics.push(
                    Diagnostic::warning(
                        Kind::Fallback,
                        location,
                        "a schema that is only `not` cannot be expressed in Rust types; typed as serde_json::Value",
                    )
                    .with_help("describe what the value is rather than what it is not"),
                );
                TypeRef::Json
            }
            SchemaKind::Boolean => TypeRef::Bool,
            SchemaKind::Integer { format, .. } => {
                TypeRef::Integer(IntWidth::from_format(format.as_deref()))
            }
            SchemaKind::Number { format } => TypeRef::number(format.as_deref()),
            SchemaKind::String { values, format } => {
                if values.iter().any(Option::is_some) {
                    let ty = self.named(flat, hint, dir);
                    if values.contains(&None) {
                        option(ty)
                    } else {
                        ty
                    }
                } else {
                    TypeRef::string(format.as_deref())
                }
            }
            SchemaKind::Array(items) => {
                TypeRef::Vec(Box::new(self.ty(items, &format!("{hint}Item"), dir)))
            }
            SchemaKind::Object(object) if object.properties.is_empty() => {
                match &object.additional {
                    Some(values) => {
                        TypeRef::Map(Box::new(self.ty(values, &format!("{hint}Value"), dir)))
                    }
                    None => TypeRef::JsonObject,
                }
            }
            SchemaKind::Object(_) => self.named(flat, hint, dir),
            SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants)
                if variants.is_empty() =>
            {
                TypeRef::Json
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf(_) => self.named(flat, hint, dir),
            SchemaKind::AllOf(_) => TypeRef::Json,
        }
    }

    fn named_kind(&mut self, schema: &Schema, name: &str, dir: Dir) -> TypeKind {
        match &schema.kind {
            SchemaKind::Object(object) => {
                let mut names = Namespace::new();
                names.reserve("extra");
                let mut fields = Vec::new();
                for (wire, property) in &object.properties {
                    let read_only = property.read_only || self.ref_flag(property, |s| s.read_only);
                    let write_only =
                        property.write_only || self.ref_flag(property, |s| s.write_only);
                    if dir == Dir::Write && read_only {
                        continue;
                    }
                    let required =
                        object.required.contains(wire) && !(dir == Dir::Read && write_only);
                    let ty = self.ty(property, &format!("{name}{}", pascal(wire)), dir);
                    let (ty, nullable) = match ty {
                        TypeRef::Option(inner) => (*inner, true),
                        other => (other, false),
                    };
                    let presence = match (required, nullable || ty == TypeRef::Json) {
                        (true, false) => Presence::Required,
                        (true, true) if ty == TypeRef::Json => Presence::Required,
                        (true, true) => Presence::RequiredNullable,
                        (false, false) => Presence::Optional,
                        (false, true) if ty == TypeRef::Json => Presence::Optional,
                        (false, true) => Presence::OptionalNullable,
                    };
                    let (field_name, renamed) = names.claim(&snake(wire));
                    if renamed {
                        self.warn(
                            Kind::NameCollision,
                            &property.pointer,
                            format!("property `{wire}` becomes field `{field_name}`: its plain Rust name is taken in `{name}`"),
                        );
                    }
                    let mut doc = doc_of(property);
                    if doc.is_empty() {
                        if let Ok(resolved) = self.norm.resolve(property) {
                            if !makes_named(&resolved) {
                                doc = doc_of(&resolved);
                            }
                        }
                    }
                    fields.push(Field {
                        name: field_name,
                        wire: wire.clone(),
                        ty,
                        presence,
                        doc,
                        deprecated: property.deprecated,
                    });
                }
                let extra = match &object.additional {
                    Some(values) => self.ty(values, &format!("{name}Value"), dir),
                    None => TypeRef::Json,
                };
                TypeKind::Struct { fields, extra }
            }
            SchemaKind::String { values, .. } => {
                let mut names = Namespace::new();
                let mut variants = Vec::new();
                for value in values.iter().flatten() {
                    if variants.iter().any(|v: &EnumVariant| v.wire == *value) {
                        continue;
                    }
                    let (variant, renamed) = names.claim(&pascal(value));
                    if renamed {
                        self.warn(
                            Kind::NameCollision,
                            &schema.pointer,
                            format!("enum value `{value}` becomes variant `{variant}`: its plain Rust name is taken in `{name}`"),
                        );
                    }
                    variants.push(EnumVariant {
                        name: variant,
                        wire: value.clone(),
                    });
                }
                TypeKind::Enum { variants }
            }
            SchemaKind::OneOf {
                variants,
                discriminator,
            } => self.union(variants, discriminator.as_deref(), name, dir),
            SchemaKind::AnyOf(variants) => self.union(variants, None, name, dir),
            _ => TypeKind::Struct {
                fields: Vec::new(),
                extra: TypeRef::Json,
            },
        }
    }

    /// Whether a `$ref` property's target carries a flag.
    fn ref_flag(&self, schema: &Schema, flag: impl Fn(&Schema) -> bool) -> bool {
        schema
            .reference()
            .and_then(|name| self.norm.component(name))
            .is_some_and(flag)
    }

    fn union(
        &mut self,
        variants: &[Schema],
        discriminator: Option<&str>,
        name: &str,
        dir: Dir,
    ) -> TypeKind {
        let resolved: Vec<Option<Schema>> =
            variants.iter().map(|v| self.norm.resolve(v).ok()).collect();
        let tag = find_tag(&resolved, discriminator, &self.norm);
        let mut names = Namespace::new();
        let mut out: Vec<UnionVariant> = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            let tag_values = match (&tag, &resolved[i]) {
                (Some(property), Some(schema)) => tag_values(schema, property, &self.norm),
                _ => Vec::new(),
            };
            let base = match variant
                .reference()
                .and_then(|name| self.component_names.get(name))
            {
                Some(name) => name.clone(),
                None => variant_name(variant, resolved[i].as_ref(), &tag_values, i),
            };
            let ty = self.ty(variant, &format!("{name}{base}"), dir);
            if out.iter().any(|v| v.ty == ty) {
                continue;
            }
            let (variant_name, _) = names.claim(&base);
            out.push(UnionVariant {
                name: variant_name,
                ty,
                tag_values,
            });
        }
        if !out.iter().any(|v| v.ty == TypeRef::Json) {
            let (fallback, _) = names.claim("Unknown");
            out.push(UnionVariant {
                name: fallback,
                ty: TypeRef::Json,
                tag_values: Vec::new(),
            });
        }
        TypeKind::Union { variants: out, tag }
    }

    /// Whether component `name` has `readOnly` properties at any depth.
    fn has_read_only_component(&mut self, name: &str) -> bool {
        if let Some(known) = self.read_only_memo.get(name) {
            return *known;
        }
        // Assume no while visiting, which ends cycles.
        self.read_only_memo.insert(name.to_string(), false);
        let found = self
            .norm
            .component(name)
            .is_some_and(|schema| self.has_read_only(schema));
        self.read_only_memo.insert(name.to_string(), found);
        found
    }

    fn has_read_only(&mut self, schema: &Schema) -> bool {
        match &schema.kind {
            SchemaKind::Ref(name) => self.has_read_only_component(name),
            SchemaKind::Object(object) => {
                object.properties.values().any(|p| {
                    p.read_only || self.ref_flag(p, |s| s.read_only) || self.has_read_only(p)
                }) || object
                    .additional
                    .as_ref()
                    .is_some_and(|a| self.has_read_only(a))
            }
            SchemaKind::Array(items) => self.has_read_only(items),
            SchemaKind::AllOf(list)
            | SchemaKind::AnyOf(list)
            | SchemaKind::OneOf { variants: list, .. } => {
                list.iter().any(|s| self.has_read_only(s))
            }
            _ => false,
        }
    }

    // ----- operations --------------------------------------------------------

    fn run(&mut self, overrides: &Overrides) -> Model {
        let spec = self.spec;
        // Areas: one per first tag, named where the first operation has it.
        let mut area_titles: BTreeMap<String, String> = BTreeMap::new();
        for op in &spec.operations {
            let pointer = match op.tags.first() {
                Some(tag) if !tag.trim().is_empty() => format!("{}/tags/0", op.pointer),
                _ => op.pointer.clone(),
            };
            area_titles.entry(area_title(op)).or_insert(pointer);
        }
        // Webhook payloads live in an area of their own.
        if spec.webhooks.iter().any(|w| w.payload.is_some()) {
            area_titles
                .entry(WEBHOOKS.to_owned())
                .or_insert_with(|| "/webhooks".to_owned());
        }
        let titles: Vec<&str> = area_titles.keys().map(String::as_str).collect();
        let mut areas = Vec::new();
        let mut area_of: BTreeMap<String, AreaId> = BTreeMap::new();
        for ((title, pointer), names) in area_titles.iter().zip(area_names(&titles)) {
            if let Some(message) = names.renamed {
                self.warn(Kind::NameCollision, pointer, message);
            }
            area_of.insert(title.clone(), AreaId(areas.len()));
            let description = match spec.tags.get(title).cloned().flatten() {
                None if title == WEBHOOKS => Some(webhooks_doc()),
                other => other,
            };
            areas.push(Area {
                title: title.clone(),
                description,
                feature: names.feature,
                accessor: names.accessor,
                module: names.module,
            });
        }

        let mut method_names: Vec<Namespace> = areas.iter().map(|_| Namespace::new()).collect();
        let mut operations = Vec::new();
        for op in &spec.operations {
            let area = area_of[&area_title(op)];
            let operations_def =
                self.operation(op, area, &areas[area.0], &mut method_names[area.0]);
            operations.push(operations_def);
        }
        for webhook in &spec.webhooks {
            let Some(payload) = &webhook.payload else {
                continue;
            };
            let hint = format!(
                "{}{}Payload",
                pascal(&webhook.name),
                pascal(&webhook.method.to_ascii_lowercase())
            );
            let ty = self.ty(payload, &hint, Dir::Read);
            self.webhooks.push(WebhookDef {
                name: webhook.name.clone(),
                method: webhook.method.clone(),
                ty,
                area: area_of[WEBHOOKS],
            });
        }
        self.find_requests();
        let resources = self.resources(&mut operations, &areas, overrides);
        let mut model = self.finalize(areas, operations);
        model.resources = resources;
        model
    }

    fn operation(
        &mut self,
        op: &Operation,
        area: AreaId,
        area_def: &Area,
        names: &mut Namespace,
    ) -> OperationDef {
        let full = snake(&op.id);
        let short = full
            .strip_prefix(&format!("{}_", area_def.module))
            .filter(|rest| !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()))
            .map(snake)
            .unwrap_or(full);
        // The name before resources: a doc alias of the method, and the
        // stem of the operation's type names (numbered when it repeats, so
        // they stay apart; the method's own name is checked in `resources`).
        let (name, _) = names.claim(&short);
        let hint = pascal(&name);

        let mut path_params = Vec::new();
        let mut param_names = Namespace::new();
        for segment in op.path.split('{').skip(1) {
            let Some((wire, _)) = segment.split_once('}') else {
                continue;
            };
            let Some(parameter) = op
                .parameters
                .iter()
                .find(|p| p.location == ParameterLocation::Path && p.name == wire)
            else {
                continue;
            };
            let ty = match self.norm.resolve(&parameter.schema).map(|s| s.kind) {
                Ok(SchemaKind::Integer { format, .. }) => {
                    TypeRef::Integer(IntWidth::from_format(format.as_deref()))
                }
                Ok(SchemaKind::Number { format }) => TypeRef::number(format.as_deref()),
                Ok(SchemaKind::Boolean) => TypeRef::Bool,
                // Arrays and objects are typed (and serialized as `style` says).
                Ok(SchemaKind::Array(_) | SchemaKind::Object(_)) => match self.ty(
                    &parameter.schema,
                    &format!("{hint}{}", pascal(wire)),
                    Dir::Write,
                ) {
                    TypeRef::Option(inner) => *inner,
                    other => other,
                },
                _ => TypeRef::String,
            };
            let (param_name, _) = param_names.claim(&snake(wire));
            path_params.push(PathParam {
                name: param_name,
                wire: wire.to_string(),
                ty,
                style: ParamStyle::resolve(parameter.serialization, Style::Simple),
                doc: parameter
                    .description
                    .as_deref()
                    .map(sanitize)
                    .unwrap_or_default(),
            });
        }

        let mut fields = Vec::new();
        let mut field_names = Namespace::new();
        for parameter in &op.parameters {
            let place = match parameter.location {
                ParameterLocation::Path => continue,
                ParameterLocation::Query => ParamPlace::Query,
                ParameterLocation::Header => ParamPlace::Header,
                ParameterLocation::Cookie => ParamPlace::Cookie,
            };
            let composite = matches!(
                self.norm.resolve(&parameter.schema).map(|s| s.kind),
                Ok(SchemaKind::Array(_) | SchemaKind::Object(_))
            );
            // A header is a string unless it is an array or an object, which
            // are typed and serialized in `simple` style.
            let ty = if place == ParamPlace::Header && !composite {
                TypeRef::String
            } else {
                match self.ty(
                    &parameter.schema,
                    &format!("{hint}{}", pascal(&parameter.name)),
                    Dir::Write,
                ) {
                    TypeRef::Option(inner) => *inner,
                    other => other,
                }
            };
            let style = ParamStyle::resolve(
                parameter.serialization,
                Style::default_for(parameter.location),
            );
            let (field_name, _) = field_names.claim(&snake(&parameter.name));
            fields.push(ParamField {
                field: Field {
                    name: field_name,
                    wire: parameter.name.clone(),
                    ty,
                    presence: if parameter.required {
                        Presence::Required
                    } else {
                        Presence::Optional
                    },
                    doc: parameter
                        .description
                        .as_deref()
                        .map(sanitize)
                        .unwrap_or_default(),
                    deprecated: parameter.deprecated,
                },
                place,
                style,
            });
        }
        let params = if fields.is_empty() {
            None
        } else {
            let all_optional = fields
                .iter()
                .all(|f| f.field.presence == Presence::Optional);
            let placeholder = Schema::new(op.pointer.clone(), SchemaKind::Any);
            let mut doc_schema = placeholder;
            doc_schema.description = Some(format!("Query and header parameters of `{}`.", op.id));
            let id = self.alloc(&format!("{hint}Params"), &doc_schema, op.pointer.clone());
            let id = self.finish(id, TypeKind::Params { fields });
            Some((id, all_optional))
        };

        let body = op.request_body.as_ref().and_then(|body| {
            let chosen = json_media(&body.content).or_else(|| body.content.first())?;
            let kind = if is_json(&chosen.media_type) {
                BodyKind::Json(match &chosen.schema {
                    Some(schema) => self.ty(schema, &format!("{hint}Body"), Dir::Write),
                    None => TypeRef::Json,
                })
            } else if let (true, Some(schema)) = (is_form(&chosen.media_type), &chosen.schema) {
                let encoding = chosen
                    .encoding
                    .iter()
                    .map(|(name, declared)| {
                        (name.clone(), ParamStyle::resolve(*declared, Style::Form))
                    })
                    .collect();
                BodyKind::Form(
                    self.ty(schema, &format!("{hint}Body"), Dir::Write),
                    encoding,
                )
            } else if chosen.media_type.starts_with("multipart/form-data") {
                self.multipart_body(chosen, &hint)
            } else if chosen.media_type.starts_with("multipart/") {
                BodyKind::Multipart
            } else if is_text(&chosen.media_type) {
                BodyKind::Text(chosen.media_type.clone())
            } else {
                BodyKind::Bytes(chosen.media_type.clone())
            };
            Some(Body {
                kind,
                required: body.required,
            })
        });

        let response = self.response(op, &hint);
        let errors = self.errors(op, &hint);

        // Only schemes the description defines (`oas30` reports the others).
        let security = op.security.as_ref().map(|requirements| {
            requirements
                .iter()
                .map(|requirement| {
                    requirement
                        .iter()
                        .filter(|name| self.spec.security_schemes.contains_key(*name))
                        .cloned()
                        .collect()
                })
                .collect()
        });

        let mut doc = Vec::new();
        if let Some(summary) = &op.summary {
            doc.extend(sanitize(summary));
        }
        if let Some(description) = &op.description {
            if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
                if !doc.is_empty() {
                    doc.push(String::new());
                }
                doc.extend(sanitize(description));
            }
        }
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!(
            "Sends a `{}` request to `{}` (operation `{}`).",
            op.method.to_uppercase(),
            op.path,
            op.id
        ));
        if let Some(success) = op.success_response() {
            let description = success
                .description
                .as_deref()
                .map(sanitize)
                .unwrap_or_default();
            if !description.is_empty() {
                doc.push(String::new());
                doc.push(format!(
                    "Response `{}`: {}",
                    success.status,
                    description.join(" ")
                ));
            }
        }

        OperationDef {
            legacy_name: name.clone(),
            resource: ResourceId(0),
            name,
            operation_id: op.id.clone(),
            area,
            method: op.method.to_uppercase(),
            path: op.path.clone(),
            path_params,
            params,
            body,
            response,
            errors,
            security,
            doc,
            deprecated: op.deprecated,
        }
    }

    fn response(&mut self, op: &Operation, hint: &str) -> ResponseDef {
        let untyped = ResponseDef {
            decode: Decode::Json,
            ty: TypeRef::Json,
            paginated: false,
        };
        let Some(success) = op.success_response() else {
            return untyped;
        };
        let Some(media) = json_media(&success.content).or_else(|| success.content.first()) else {
            return ResponseDef {
                decode: Decode::Empty,
                ty: TypeRef::Unit,
                paginated: false,
            };
        };
        if !is_json(&media.media_type) {
            let text = is_text(&media.media_type);
            return ResponseDef {
                decode: if text { Decode::Text } else { Decode::Bytes },
                ty: if text { TypeRef::String } else { TypeRef::Unit },
                paginated: false,
            };
        }
        let Some(schema) = &media.schema else {
            return untyped;
        };
        let resolved = self.norm.resolve(schema);
        self.drain_overrides();
        let resolved = match resolved {
            Ok(resolved) => resolved,
            Err(problem) => {
                self.problem(problem, &schema.pointer);
                return untyped;
            }
        };
        if let SchemaKind::Object(object) = &resolved.kind {
            if object.is_envelope() {
                let ty = match object.properties.get("result") {
                    Some(result) => {
                        let ty = self.ty(result, &format!("{hint}Result"), Dir::Read);
                        self.null_if_typeless(result, ty)
                    }
                    None => TypeRef::Json,
                };
                return ResponseDef {
                    decode: Decode::Envelope,
                    ty,
                    paginated: object.properties.contains_key("result_info"),
                };
            }
        }
        let ty = self.ty(schema, &format!("{hint}Response"), Dir::Read);
        ResponseDef {
            decode: Decode::Json,
            ty: self.null_if_typeless(schema, ty),
            paginated: false,
        }
    }

    /// `Option<ty>` when `schema` declares no `type` (following references):
    /// JSON Schema then allows `null`, and servers and mocks send it.
    fn null_if_typeless(&self, schema: &Schema, ty: TypeRef) -> TypeRef {
        let mut schema = schema;
        let mut hops = 0;
        while let Some(name) = schema.reference() {
            match self.spec.schemas.get(name) {
                Some(target) if hops < 64 => schema = target,
                _ => return ty,
            }
            hops += 1;
        }
        if schema.typeless {
            option(ty)
        } else {
            ty
        }
    }

    /// The error responses whose JSON bodies the description types, in
    /// status order. Envelopes are left to `ApiError`'s codes and messages.
    fn errors(&mut self, op: &Operation, hint: &str) -> Vec<ErrorDef> {
        let mut errors = Vec::new();
        for response in &op.responses {
            let status = response.status.as_str();
            if status.starts_with(['1', '2', '3']) {
                continue;
            }
            let Some(schema) = json_media(&response.content).and_then(|m| m.schema.as_ref()) else {
                continue;
            };
            let resolved = self.norm.resolve(schema);
            self.drain_overrides();
            match resolved {
                Ok(resolved) => {
                    if let SchemaKind::Object(object) = &resolved.kind {
                        if object.is_envelope() {
                            continue;
                        }
                    }
                }
                Err(problem) => {
                    self.problem(problem, &schema.pointer);
                    continue;
                }
            }
            let ty = self.ty(schema, &format!("{hint}{}", error_name(status)), Dir::Read);
            errors.push(ErrorDef {
                status: status.to_owned(),
                ty,
                description: response
                    .description
                    .as_deref()
                    .map(|d| sanitize(d).join(" "))
                    .filter(|d| !d.is_empty()),
            });
        }
        errors
    }

    // ----- resources ---------------------------------------------------------

    /// Hangs every operation (in `spec.operations` order) on the resource
    /// tree and names its method (`resources::place`); a method that would
    /// collide is numbered, with a warning. Names each operation's call
    /// type after its method.
    fn resources(
        &mut self,
        operations: &mut [OperationDef],
        areas: &[Area],
        overrides: &Overrides,
    ) -> Vec<Resource> {
        let spec = self.spec;
        let routes: Vec<Route<'_>> = spec
            .operations
            .iter()
            .zip(operations.iter())
            .map(|(op, def)| Route {
                id: &op.id,
                method: &op.method,
                path: &op.path,
                returns_list: def.response.paginated
                    || matches!(&def.response.ty, TypeRef::Vec(_))
                    || matches!(&def.response.ty, TypeRef::Option(inner) if matches!(**inner, TypeRef::Vec(_))),
            })
            .collect();
        let placements = crate::resources::place(&routes, overrides);
        // Every chain and its prefixes, in sorted order: the root first, a
        // parent before its children.
        let mut chains: BTreeSet<Vec<String>> = BTreeSet::new();
        chains.insert(Vec::new());
        for placement in &placements {
            for len in 1..=placement.chain.len() {
                chains.insert(placement.chain[..len].to_vec());
            }
        }
        let index: BTreeMap<Vec<String>, usize> = chains
            .iter()
            .enumerate()
            .map(|(i, chain)| (chain.clone(), i))
            .collect();
        let mut struct_names = Namespace::new();
        let mut resources: Vec<Resource> = chains
            .iter()
            .map(|chain| {
                let plain: Vec<&str> = chain.iter().map(|c| c.trim_start_matches("r#")).collect();
                Resource {
                    method: chain.last().cloned().unwrap_or_default(),
                    name: if chain.is_empty() {
                        String::new()
                    } else {
                        struct_names.claim(&pascal(&plain.join("_"))).0
                    },
                    parent: (!chain.is_empty())
                        .then(|| ResourceId(index[&chain[..chain.len() - 1]])),
                    chain: chain.clone(),
                    areas: Vec::new(),
                }
            })
            .collect();
        // The first operation under each resource, to point a warning at.
        let mut first_under: Vec<Option<usize>> = vec![None; resources.len()];
        let mut node_areas: Vec<BTreeSet<AreaId>> = vec![BTreeSet::new(); resources.len()];
        for (i, placement) in placements.iter().enumerate() {
            for len in 0..=placement.chain.len() {
                let node = index[&placement.chain[..len]];
                first_under[node].get_or_insert(i);
                node_areas[node].insert(operations[i].area);
            }
        }
        // Methods of each accessor: child accessors first, then operations.
        let mut methods: Vec<Namespace> = resources.iter().map(|_| Namespace::new()).collect();
        for reserved in crate::naming::CLIENT_METHODS {
            methods[0].reserve(reserved);
        }
        let mut claimed: Vec<BTreeMap<String, String>> = vec![BTreeMap::new(); resources.len()];
        for node in 1..resources.len() {
            let parent = resources[node].parent.map_or(0, |p| p.0);
            let wanted = resources[node].method.clone();
            let (method, renamed) = methods[parent].claim(&wanted);
            if renamed {
                let op = &spec.operations[first_under[node].unwrap_or(0)];
                let path = accessor_path(&resources, parent);
                self.name_collision(
                    &op.pointer,
                    format!("resource `{path}{wanted}()` is reached by `{path}{method}()`: `{wanted}` is taken"),
                );
            }
            claimed[parent].insert(method.clone(), format!("resource `{}`", wanted));
            resources[node].method = method;
        }
        for (i, placement) in placements.iter().enumerate() {
            let node = index[&placement.chain];
            let (name, renamed) = methods[node].claim(&placement.verb);
            let op = &spec.operations[i];
            if renamed {
                let path = accessor_path(&resources, node);
                let by = claimed[node]
                    .get(&placement.verb)
                    .cloned()
                    .unwrap_or_else(|| "a method of the client".to_owned());
                self.name_collision(
                    &op.pointer,
                    format!(
                        "operation `{}` becomes `{path}{name}()`: `{path}{}()` is {by}",
                        op.id, placement.verb
                    ),
                );
            }
            claimed[node].insert(name.clone(), format!("operation `{}`", op.id));
            let def = &mut operations[i];
            def.resource = ResourceId(node);
            if let Some((id, _)) = def.params {
                let mut stem: Vec<&str> = resources[node]
                    .chain
                    .iter()
                    .map(|c| c.trim_start_matches("r#"))
                    .collect();
                stem.push(name.trim_start_matches("r#"));
                self.drafts[id.0].preferred = format!("{}Call", pascal(&stem.join("_")));
            }
            def.name = name;
        }
        for (resource, areas_of) in resources.iter_mut().zip(node_areas) {
            resource.areas = areas_of.into_iter().collect();
        }
        let _ = areas;
        resources
    }

    fn name_collision(&mut self, pointer: &str, message: String) {
        let location = self.locate(pointer);
        self.diagnostics.push(
            Diagnostic::warning(Kind::NameCollision, location, message).with_help(
                "name one of them in the spec directory's `apigen-names.yaml` (`operations:` or `resources:`)",
            ),
        );
    }

    // ----- finishing ---------------------------------------------------------

    /// Drops aliases, places each type in an area or `shared`, names types
    /// uniquely in sorted order, and renumbers.
    fn finalize(&mut self, mut areas: Vec<Area>, mut operations: Vec<OperationDef>) -> Model {
        let resolve = |drafts: &[Draft], mut id: TypeId| {
            while let Some(next) = drafts[id.0].redirect {
                id = next;
            }
            id
        };
        // Which areas use each type.
        let mut users: Vec<BTreeSet<AreaId>> = vec![BTreeSet::new(); self.drafts.len()];
        for op in &operations {
            let mut roots = Vec::new();
            if let Some((id, _)) = op.params {
                roots.push(TypeRef::Named(id));
            }
            if let Some(Body {
                kind: BodyKind::Json(ty) | BodyKind::Form(ty, _) | BodyKind::MultipartForm(ty, _),
                ..
            }) = &op.body
            {
                roots.push(ty.clone());
            }
            roots.extend(op.path_params.iter().map(|p| p.ty.clone()));
            roots.push(op.response.ty.clone());
            roots.extend(op.errors.iter().map(|error| error.ty.clone()));
            let mut stack: Vec<TypeId> = Vec::new();
            for root in &roots {
                collect_ids(root, &mut |id| stack.push(resolve(&self.drafts, id)));
            }
            while let Some(id) = stack.pop() {
                if !users[id.0].insert(op.area) {
                    continue;
                }
                if let Some(kind) = &self.drafts[id.0].kind {
                    kind_refs(kind, &mut |id| stack.push(resolve(&self.drafts, id)));
                }
            }
        }
        for webhook in &self.webhooks {
            let mut stack: Vec<TypeId> = Vec::new();
            collect_ids(&webhook.ty, &mut |id| stack.push(resolve(&self.drafts, id)));
            while let Some(id) = stack.pop() {
                if !users[id.0].insert(webhook.area) {
                    continue;
                }
                if let Some(kind) = &self.drafts[id.0].kind {
                    kind_refs(kind, &mut |id| stack.push(resolve(&self.drafts, id)));
                }
            }
        }
        // Live types, in name order.
        let mut live: Vec<usize> = (0..self.drafts.len())
            .filter(|i| {
                self.drafts[*i].redirect.is_none()
                    && self.drafts[*i].kind.is_some()
                    && !users[*i].is_empty()
            })
            .collect();
        live.sort_by(|a, b| {
            let (da, db) = (&self.drafts[*a], &self.drafts[*b]);
            (&da.preferred, &da.origin).cmp(&(&db.preferred, &db.origin))
        });
        let mut type_names = Namespace::new();
        for area in &areas {
            type_names.reserve(&area.accessor);
        }
        let mut renumber: HashMap<usize, TypeId> = HashMap::new();
        let mut types = Vec::with_capacity(live.len());
        for old in live {
            let draft = &self.drafts[old];
            let (name, renamed) = type_names.claim(&draft.preferred);
            if renamed && !draft.origin.is_empty() {
                // Only worth a warning when two component schemas collide.
                if draft.origin.starts_with("/components/") {
                    let location = self.origins.locate(&draft.origin);
                    self.diagnostics.push(
                        Diagnostic::warning(
                            Kind::NameCollision,
                            location,
                            format!(
                                "type `{}` is named `{name}`: the name is taken",
                                draft.preferred
                            ),
                        )
                        .with_help(RENAME_HELP),
                    );
                }
            }
            let home = match users[old].len() {
                1 => Home::Area(*users[old].iter().next().unwrap_or(&AreaId(0))),
                _ => Home::Shared,
            };
            renumber.insert(old, TypeId(types.len()));
            types.push(TypeDef {
                name,
                doc: draft.doc.clone(),
                kind: draft
                    .kind
                    .clone()
                    .unwrap_or(TypeKind::Params { fields: Vec::new() }),
                origin: draft.origin.clone(),
                home,
                used_by: users[old].iter().copied().collect(),
                deprecated: draft.deprecated,
                read_only: draft.read_only.iter().cloned().collect(),
                requests: Vec::new(),
            });
        }
        let map = |id: TypeId| renumber[&resolve(&self.drafts, id).0];
        for ty in &mut types {
            remap_kind(&mut ty.kind, &map);
        }
        // Request counterparts that operations use (and that convert).
        for (old, new) in &renumber {
            let requests: BTreeSet<TypeId> = self.drafts[*old]
                .requests
                .iter()
                .filter_map(|id| renumber.get(&resolve(&self.drafts, *id).0).copied())
                .filter(|request| request != new)
                .collect();
            types[new.0].requests = requests.into_iter().collect();
        }
        prune_requests(&mut types);
        for op in &mut operations {
            if let Some((id, _)) = &mut op.params {
                *id = map(*id);
            }
            if let Some(Body {
                kind: BodyKind::Json(ty) | BodyKind::Form(ty, _) | BodyKind::MultipartForm(ty, _),
                ..
            }) = &mut op.body
            {
                remap(ty, &map);
            }
            for param in &mut op.path_params {
                remap(&mut param.ty, &map);
            }
            remap(&mut op.response.ty, &map);
            for error in &mut op.errors {
                remap(&mut error.ty, &map);
            }
        }
        let mut webhooks = std::mem::take(&mut self.webhooks);
        for webhook in &mut webhooks {
            remap(&mut webhook.ty, &map);
            // Name the payload type in the area's docs, now that it has a name.
            let mut ids = Vec::new();
            collect_ids(&webhook.ty, &mut |id| ids.push(id));
            let payload = match ids.first() {
                Some(id) => {
                    let def = &types[id.0];
                    let module = match def.home {
                        Home::Shared => "shared".to_owned(),
                        Home::Area(area) => areas[area.0].module.clone(),
                    };
                    format!(": `crate::{module}::{}`", def.name)
                }
                None => String::new(),
            };
            if let Some(description) = areas[webhook.area.0].description.as_mut() {
                description.push_str(&format!(
                    "\n- `{}` (`{}`){payload}",
                    webhook.name, webhook.method
                ));
            }
        }
        operations.sort_by(|a, b| (a.area, &a.name).cmp(&(b.area, &b.name)));
        let feature_groups = feature_groups(&areas);
        Model {
            feature_groups,
            auth: auth_schemes(self.spec),
            server: self.spec.servers.first().cloned(),
            env_prefix: String::new(),
            webhooks,
            title: self.spec.title.clone(),
            version: self.spec.version.clone(),
            description: self.spec.description.clone(),
            types,
            operations,
            areas,
            resources: Vec::new(),
        }
    }
}

/// Keeps only the request counterparts a response type can be converted
/// into field by field (see [`converts`]), until nothing changes.
fn prune_requests(types: &mut [TypeDef]) {
    loop {
        let mut changed = false;
        for index in 0..types.len() {
            let before = types[index].requests.len();
            let kept: Vec<TypeId> = types[index]
                .requests
                .iter()
                .copied()
                .filter(|request| converts_def(types, TypeId(index), *request))
                .collect();
            changed |= kept.len() != before;
            types[index].requests = kept;
        }
        if !changed {
            return;
        }
    }
}

/// Whether a value of type `from` (response side) converts into `to`
/// (request side): the same type, or containers of types that convert.
pub(crate) fn converts(types: &[TypeDef], from: &TypeRef, to: &TypeRef) -> bool {
    if from == to {
        return true;
    }
    match (from, to) {
        (TypeRef::Named(a) | TypeRef::Boxed(a), TypeRef::Named(b) | TypeRef::Boxed(b)) => {
            a == b || types[a.0].requests.contains(b)
        }
        (TypeRef::Vec(a), TypeRef::Vec(b))
        | (TypeRef::Map(a), TypeRef::Map(b))
        | (TypeRef::Option(a), TypeRef::Option(b)) => converts(types, a, b),
        _ => false,
    }
}

/// Whether response type `from` converts into request type `to`: every
/// request field comes from a response field of the same wire name and
/// presence (the response's other fields are the read-only ones), or every
/// response branch has a request branch of the same name.
fn converts_def(types: &[TypeDef], from: TypeId, to: TypeId) -> bool {
    match (&types[from.0].kind, &types[to.0].kind) {
        (
            TypeKind::Struct { fields, extra },
            TypeKind::Struct {
                fields: to_fields,
                extra: to_extra,
            },
        ) => {
            converts(types, extra, to_extra)
                && to_fields.iter().all(|target| {
                    fields.iter().any(|source| {
                        source.wire == target.wire
                            && source.presence == target.presence
                            && converts(types, &source.ty, &target.ty)
                    })
                })
        }
        (
            TypeKind::Union { variants, tag },
            TypeKind::Union {
                variants: to_variants,
                tag: to_tag,
            },
        ) => {
            tag == to_tag
                && variants.iter().all(|source| {
                    to_variants.iter().any(|target| {
                        source.name == target.name && converts(types, &source.ty, &target.ty)
                    })
                })
        }
        _ => false,
    }
}

/// `client.zero_trust().gateway().`: how a resource's methods are reached.
fn accessor_path(resources: &[Resource], node: usize) -> String {
    let mut methods = Vec::new();
    let mut at = Some(ResourceId(node));
    while let Some(id) = at {
        if id.0 != 0 {
            methods.push(resources[id.0].method.trim_start_matches("r#"));
        }
        at = resources[id.0].parent;
    }
    let mut path = "client.".to_owned();
    for method in methods.iter().rev() {
        path.push_str(method);
        path.push_str("().");
    }
    path
}

/// The area of webhook payload types.
const WEBHOOKS: &str = "Webhooks";

/// The module doc of the webhooks area (each webhook and its payload type
/// are added once types are named).
fn webhooks_doc() -> String {
    "Payload types of the description's webhooks (requests the API sends), \
     for a server that receives them:\n"
        .to_owned()
}

/// The name hint of an error response's type (`NotFound`, `ClientError`).
fn error_name(status: &str) -> String {
    match status {
        "400" => "BadRequest".into(),
        "401" => "Unauthorized".into(),
        "403" => "Forbidden".into(),
        "404" => "NotFound".into(),
        "405" => "MethodNotAllowed".into(),
        "409" => "Conflict".into(),
        "410" => "Gone".into(),
        "422" => "UnprocessableEntity".into(),
        "429" => "TooManyRequests".into(),
        "500" => "InternalServerError".into(),
        "502" => "BadGateway".into(),
        "503" => "ServiceUnavailable".into(),
        "4XX" | "4xx" => "ClientError".into(),
        "5XX" | "5xx" => "ServerError".into(),
        "default" => "Error".into(),
        other => format!("Error{other}"),
    }
}

/// The description's security schemes with the names of their credential
/// constructors (snake case, distinct, never `new`).
fn auth_schemes(spec: &Spec) -> Vec<AuthScheme> {
    let mut names = Namespace::new();
    names.reserve("new");
    spec.security_schemes
        .iter()
        .map(|(wire, scheme)| AuthScheme {
            wire: wire.clone(),
            method: names.claim(&snake(wire)).0,
            kind: scheme.kind.clone(),
            doc: scheme
                .description
                .as_deref()
                .map(sanitize)
                .unwrap_or_default(),
            env: scheme.env.clone(),
        })
        .collect()
}

/// Groups areas whose tags share their first word; each group is named by the
/// words all its tags start with (`Zero Trust accounts` and `Zero Trust lists`
/// give `zero-trust`).
fn feature_groups(areas: &[Area]) -> Vec<FeatureGroup> {
    let mut by_word: BTreeMap<String, Vec<AreaId>> = BTreeMap::new();
    for (index, area) in areas.iter().enumerate() {
        if let Some(word) = area.title.split_whitespace().next() {
            by_word
                .entry(word.to_lowercase())
                .or_default()
                .push(AreaId(index));
        }
    }
    let mut taken = Features::new();
    for area in areas {
        taken.claim(&area.feature);
    }
    let mut groups = Vec::new();
    for members in by_word.into_values().filter(|m| m.len() > 1) {
        let words: Vec<Vec<String>> = members
            .iter()
            .map(|id| {
                areas[id.0]
                    .title
                    .split_whitespace()
                    .map(str::to_lowercase)
                    .collect()
            })
            .collect();
        let common = (0..)
            .take_while(|i| {
                words
                    .iter()
                    .all(|w| w.get(*i).is_some() && w[*i] == words[0][*i])
            })
            .count();
        let common_words = words[0][..common].join(" ");
        if !common_words.chars().any(|c| c.is_ascii_alphanumeric()) {
            // Nothing to name the group after (non-ASCII words).
            continue;
        }
        let mut feature = crate::naming::feature(&common_words);
        if taken.is_taken(&feature) {
            feature.push_str("-all");
        }
        if taken.is_taken(&feature) {
            continue;
        }
        taken.claim(&feature);
        groups.push(FeatureGroup {
            feature,
            areas: members,
        });
    }
    groups.sort_by(|a, b| a.feature.cmp(&b.feature));
    groups
}

/// A component's name without its namespace prefix (`zero-trust-gateway_x` →
/// `x`), when it has one.
fn class_of(name: &str) -> &str {
    name.split_once('_').map_or(name, |(_, rest)| rest)
}

/// The preferred Rust name of each component. Large specs namespace their
/// schemas (`zero-trust-gateway_x`, `access_x`): a prefix shared by several
/// components is dropped where no other component has the same short name.
fn component_names(spec: &Spec) -> HashMap<String, String> {
    let mut prefixes: HashMap<&str, usize> = HashMap::new();
    for name in spec.schemas.keys() {
        if let Some((prefix, _)) = name.split_once('_') {
            *prefixes.entry(prefix).or_default() += 1;
        }
    }
    let namespaced = |name: &str| {
        name.split_once('_')
            .is_some_and(|(prefix, _)| prefixes[prefix] > 1)
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for name in spec.schemas.keys() {
        let short = if namespaced(name) {
            class_of(name)
        } else {
            name.as_str()
        };
        *counts.entry(pascal(short)).or_default() += 1;
    }
    spec.schemas
        .keys()
        .map(|name| {
            let short = pascal(if namespaced(name) {
                class_of(name)
            } else {
                name
            });
            let preferred = if counts[&short] == 1 {
                short
            } else {
                pascal(name)
            };
            (name.clone(), preferred)
        })
        .collect()
}

/// The area of an operation: its first tag; `untagged` when it has none (or
/// an empty one).
fn area_title(op: &Operation) -> String {
    op.tags
        .first()
        .filter(|tag| !tag.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| "untagged".to_string())
}

/// Whether a resolved schema becomes a named type (rather than a Rust or
/// `serde_json` type used in place).
fn makes_named(schema: &Schema) -> bool {
    match &schema.kind {
        SchemaKind::Object(object) => !object.properties.is_empty(),
        SchemaKind::String { values, .. } => values.iter().any(Option::is_some),
        SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants) => !variants.is_empty(),
        _ => false,
    }
}

/// The property (the discriminator, or one whose string enum values differ in
/// every branch) that tells the branches of a union apart.
fn find_tag(
    resolved: &[Option<Schema>],
    discriminator: Option<&str>,
    norm: &Normalizer,
) -> Option<String> {
    if resolved.len() < 2 || resolved.iter().any(Option::is_none) {
        return None;
    }
    let objects: Vec<&Schema> = resolved.iter().flatten().collect();
    let first = match &objects[0].kind {
        SchemaKind::Object(object) => object,
        _ => return None,
    };
    let mut candidates: Vec<&String> = first.properties.keys().collect();
    if let Some(d) = discriminator {
        candidates.retain(|c| c.as_str() == d);
    }
    candidates.sort_by_key(|c| (c.as_str() != "type", c.as_str() != "kind", c.to_string()));
    'candidate: for candidate in candidates {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for schema in &objects {
            let values = tag_values(schema, candidate, norm);
            if values.is_empty() {
                continue 'candidate;
            }
            for value in values {
                if !seen.insert(value) {
                    continue 'candidate;
                }
            }
        }
        return Some(candidate.clone());
    }
    None
}

/// The string enum values a branch allows for property `tag`.
fn tag_values(schema: &Schema, tag: &str, norm: &Normalizer) -> Vec<String> {
    let SchemaKind::Object(object) = &schema.kind else {
        return Vec::new();
    };
    let Some(property) = object.properties.get(tag) else {
        return Vec::new();
    };
    match norm.resolve(property).map(|s| s.kind) {
        Ok(SchemaKind::String { values, .. }) => values.into_iter().flatten().collect(),
        _ => Vec::new(),
    }
}

fn variant_name(
    variant: &Schema,
    resolved: Option<&Schema>,
    tag_values: &[String],
    index: usize,
) -> String {
    if let Some(name) = variant.reference() {
        return pascal(name);
    }
    if let Some(title) = variant
        .title
        .as_deref()
        .or(resolved.and_then(|r| r.title.as_deref()))
    {
        return pascal(title);
    }
    if !tag_values.is_empty() {
        return pascal(&tag_values.join("_or_"));
    }
    match resolved.map(|r| &r.kind) {
        Some(SchemaKind::String { values, .. }) if values.iter().all(Option::is_none) => {
            "String".into()
        }
        Some(SchemaKind::String { .. }) => format!("Enum{}", index + 1),
        Some(SchemaKind::Integer { .. }) => "Integer".into(),
        Some(SchemaKind::Number { .. }) => "Number".into(),
        Some(SchemaKind::Boolean) => "Boolean".into(),
        Some(SchemaKind::Array(_)) => "Array".into(),
        Some(SchemaKind::Object(o)) if o.properties.is_empty() => "Object".into(),
        _ => format!("Variant{}", index + 1),
    }
}

fn collect_ids(ty: &TypeRef, f: &mut impl FnMut(TypeId)) {
    match ty {
        TypeRef::Named(id) | TypeRef::Boxed(id) => f(*id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => collect_ids(inner, f),
        _ => {}
    }
}

fn kind_refs(kind: &TypeKind, f: &mut impl FnMut(TypeId)) {
    match kind {
        TypeKind::Struct { fields, extra } => {
            fields.iter().for_each(|field| collect_ids(&field.ty, f));
            collect_ids(extra, f);
        }
        TypeKind::Params { fields } => fields.iter().for_each(|p| collect_ids(&p.field.ty, f)),
        TypeKind::Union { variants, .. } => variants.iter().for_each(|v| collect_ids(&v.ty, f)),
        TypeKind::Enum { .. } => {}
    }
}

fn remap(ty: &mut TypeRef, map: &impl Fn(TypeId) -> TypeId) {
    match ty {
        TypeRef::Named(id) | TypeRef::Boxed(id) => *id = map(*id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => remap(inner, map),
        _ => {}
    }
}

fn remap_kind(kind: &mut TypeKind, map: &impl Fn(TypeId) -> TypeId) {
    match kind {
        TypeKind::Struct { fields, extra } => {
            fields
                .iter_mut()
                .for_each(|field| remap(&mut field.ty, map));
            remap(extra, map);
        }
        TypeKind::Params { fields } => fields.iter_mut().for_each(|p| remap(&mut p.field.ty, map)),
        TypeKind::Union { variants, .. } => variants.iter_mut().for_each(|v| remap(&mut v.ty, map)),
        TypeKind::Enum { .. } => {}
    }
}
