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
//!
//! One job a file: `types` (schema → Rust type shape), `requests` (the
//! request-side types of schemas with `readOnly` properties), `intern`
//! (merging structurally identical types), `place` (areas, preferred type
//! names, which module a type lives in), `operations` (parameters, bodies,
//! responses, typed errors), `tree` (the resource tree the methods hang on), `paging` (which
//! lists page, and how), `finish` (naming,
//! renumbering and the [`Model`]), `report` (findings as diagnostics). This
//! file holds the lowerer's state and the entry point.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::{Diagnostic, Kind, Location};
use crate::front::origins::Origins;
use crate::lower::resources::Overrides;
use crate::model::{AreaId, Model, TypeId, TypeKind, TypeRef, WebhookDef};
use crate::naming::{pascal, Namespace};
use crate::normalize::Normalizer;
use crate::spec::{Schema, Spec};

mod boxing;
mod expandable;
mod finish;
mod intern;
mod memo;
mod multipart;
mod operations;
mod paging;
mod place;
mod report;
mod requests;
pub mod resources;
mod shared;
mod streams;
mod types;
mod unions;

#[cfg(test)]
pub(crate) use paging::tests as paging_fixture;

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
    /// For a type other anonymous types were merged into: the names their
    /// uses would have given it, and what those names share.
    shared: Option<shared::Shared>,
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
    components: FxHashMap<(String, Dir), TypeRef>,
    in_progress: FxHashSet<TypeId>,
    cyclic: FxHashSet<TypeId>,
    interned: FxHashMap<TypeKind, Vec<TypeId>>,
    read_only_memo: FxHashMap<String, bool>,
    component_names: FxHashMap<String, String>,
    /// Whether drafts being made are speculative (see [`Draft::speculative`]).
    speculative: bool,
    /// Webhook payloads lowered so far (roots of their area's types).
    webhooks: Vec<WebhookDef>,
    /// Wire names and descriptions converted so far.
    memo: memo::Memo,
    /// What paging detection needs from the spec, recorded while lowering
    /// operations.
    paging: paging::Hints,
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
#[cfg(test)]
pub fn lower(spec: &Spec, origins: &Origins) -> (Model, Lowered) {
    lower_with(spec, origins, &Overrides::default())
}

/// Lowers a spec, naming resources and methods with a naming file's
/// overrides.
pub fn lower_with(spec: &Spec, origins: &Origins, overrides: &Overrides) -> (Model, Lowered) {
    let mut lowerer = Lowerer::new(spec, origins);
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

impl<'s> Lowerer<'s> {
    /// A lowerer of `spec`, with nothing lowered yet.
    fn new(spec: &'s Spec, origins: &'s Origins) -> Self {
        Lowerer {
            spec,
            norm: Normalizer::new(&spec.schemas),
            origins,
            diagnostics: Vec::new(),
            drafts: Vec::new(),
            components: FxHashMap::default(),
            in_progress: FxHashSet::default(),
            cyclic: FxHashSet::default(),
            interned: FxHashMap::default(),
            read_only_memo: FxHashMap::default(),
            component_names: place::component_names(spec),
            speculative: false,
            webhooks: Vec::new(),
            memo: memo::Memo::default(),
            paging: paging::Hints::default(),
        }
    }

    pub(super) fn locate(&self, pointer: &str) -> Location {
        self.origins.locate(pointer)
    }

    /// Lowers areas, operations and webhooks, then finds request
    /// counterparts, hangs the operations on resources and finishes.
    fn run(&mut self, overrides: &Overrides) -> Model {
        let (titles, by_path) = place::area_titles(self.spec, overrides);
        let (areas, area_of) = self.areas(&titles, by_path);
        let mut method_names: Vec<Namespace> = areas.iter().map(|_| Namespace::new()).collect();
        let mut operations = Vec::new();
        for (op, title) in self.spec.operations.iter().zip(&titles) {
            let area = area_of[title];
            operations.push(self.operation(op, area, &areas[area.0], &mut method_names[area.0]));
        }
        if let Some(area) = area_of.get(place::WEBHOOKS) {
            self.lower_webhooks(*area);
        }
        // The resource tree reads only the spec and the operations: it is
        // made on another thread while the request types are found.
        let (spec, origins) = (self.spec, self.origins);
        let tree = std::thread::scope(|scope| {
            let ops = &operations;
            let hanging = std::thread::Builder::new().spawn_scoped(scope, move || {
                resources::tree::hang(spec, origins, ops, overrides)
            });
            self.find_requests();
            match hanging {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(_) => resources::tree::hang(spec, origins, ops, overrides),
            }
        });
        let resources = self.apply_tree(tree, &mut operations);
        let mut model = self.finalize(areas, operations);
        model.resources = resources;
        crate::model::direction::annotate(&mut model);
        crate::model::direction::collapse_received(&mut model);
        model.oversized = boxing::bound(&mut model);
        for id in &model.oversized {
            self.too_large(&model.types[id.0]);
        }
        for (pointer, why) in paging::annotate(&mut model, &self.paging) {
            self.warn(
                Kind::Paging,
                &pointer,
                format!("the list gets no `pages()`/`items()` streams: {why}"),
            );
        }
        model
    }

    /// Lowers the webhooks' payload types, in the area `area`.
    fn lower_webhooks(&mut self, area: AreaId) {
        for webhook in &self.spec.webhooks {
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
                area,
            });
        }
    }
}

/// Small descriptions for the tests of the lowering modules.
#[cfg(test)]
pub(crate) mod fixtures {
    use std::collections::BTreeMap;

    use super::Lowered;
    use crate::front::origins::Origins;
    use crate::model::{Model, TypeDef};
    use crate::spec::{Object, Schema, SchemaKind, Spec};

    /// The spec of a YAML description (OpenAPI 3.0), converted; panics on
    /// an error.
    pub(crate) fn spec(yaml: &str) -> (Spec, Origins) {
        let file = crate::load::parse("fixture.yaml".into(), yaml.to_string()).expect("parses");
        let merged = crate::merge::merge(vec![file]).expect("merges");
        let (spec, diagnostics) =
            crate::front::check_and_read(&merged.document, &merged.origins).expect("OpenAPI");
        assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
        (spec, merged.origins)
    }

    /// The model of a YAML description.
    pub(crate) fn lowered(yaml: &str) -> (Model, Lowered) {
        let (spec, origins) = spec(yaml);
        super::lower(&spec, &origins)
    }

    /// A description with two areas, an envelope, a typed error, a
    /// `readOnly` property and a schema nothing uses.
    pub(crate) const ZONES: &str = r##"
openapi: 3.0.3
info: {title: Zones, version: "1"}
paths:
  /zones/{zone_id}/records/{record_id}:
    get:
      operationId: records-get
      tags: [DNS Records]
      parameters:
        - {name: record_id, in: path, required: true, schema: {type: string}}
        - {name: zone_id, in: path, required: true, schema: {type: integer, format: int32}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: The record.
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {type: boolean}
                  errors: {type: array, items: {}}
                  messages: {type: array, items: {}}
                  result: {$ref: '#/components/schemas/record'}
        "404":
          description: No such record.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/problem'}
  /zones:
    get:
      operationId: zones-list
      tags: [Zones]
      responses:
        "200":
          description: The zones.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/zone'}}
    post:
      operationId: zones-create
      tags: [Zones]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/zone'}
      responses:
        "200":
          description: The new zone.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/zone'}
components:
  schemas:
    record:
      type: object
      properties:
        id: {type: string}
        zone: {$ref: '#/components/schemas/zone'}
    zone:
      type: object
      required: [name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
    problem:
      type: object
      properties:
        detail: {type: string}
    unused:
      type: object
      properties:
        x: {type: string}
"##;

    /// The type named `name`; panics when there is none.
    pub(crate) fn type_named<'m>(model: &'m Model, name: &str) -> &'m TypeDef {
        let names: Vec<&str> = model.types.iter().map(|t| t.name.as_str()).collect();
        model
            .types
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("no type `{name}` among {names:?}"))
    }

    /// A string schema.
    pub(crate) fn string(pointer: &str) -> Schema {
        Schema::new(
            pointer,
            SchemaKind::String {
                format: None,
                values: Vec::new(),
            },
        )
    }

    /// An object schema with these properties, the first `required` of
    /// them required.
    pub(crate) fn object(
        pointer: &str,
        properties: Vec<(&str, Schema)>,
        required: usize,
    ) -> Schema {
        let required = properties
            .iter()
            .take(required)
            .map(|(name, _)| name.to_string())
            .collect();
        let properties: BTreeMap<String, Schema> = properties
            .into_iter()
            .map(|(name, schema)| (name.to_string(), schema))
            .collect();
        Schema::new(
            pointer,
            SchemaKind::Object(Object {
                properties,
                required,
                ..Object::default()
            }),
        )
    }

    /// A spec with these component schemas and nothing else.
    pub(crate) fn components(schemas: Vec<(&str, Schema)>) -> Spec {
        Spec {
            schemas: schemas
                .into_iter()
                .map(|(name, schema)| (name.to_string(), schema))
                .collect(),
            ..Spec::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{lowered, ZONES};

    #[test]
    fn lowering_counts_the_types_made_before_merging() {
        let (model, lowered) = lowered(ZONES);
        // The record's `page` parameter, with no `result_info` to follow,
        // is the one warning.
        let kinds: Vec<_> = lowered.diagnostics.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, [crate::diagnostic::Kind::Paging]);
        assert_eq!((model.types.len(), lowered.types_before_dedup), (5, 5));
        // The 404 body written out again in place of its reference: the
        // copy is merged into `problem`'s type, and counted before merging.
        let inline = "{type: object, properties: {detail: {type: string}}}";
        let twice = ZONES.replace(
            "schema: {$ref: '#/components/schemas/zone'}\ncomponents",
            "schema: {$ref: '#/components/schemas/zone'}\n        \"400\":\n          description: Bad.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/problem'}\ncomponents",
        )
        .replace("schema: {$ref: '#/components/schemas/problem'}\n  /zones:", &format!("schema: {inline}\n  /zones:"));
        let (model, lowered) = super::fixtures::lowered(&twice);
        assert_eq!((model.types.len(), lowered.types_before_dedup), (5, 6));
    }
}
