//! Request-side types: a schema with `readOnly` properties (at any depth)
//! is lowered a second time for requests (`FooRequest`, without them), and
//! a response type converts into the request types of the same schema.

use std::collections::BTreeSet;

use super::{Dir, Lowerer, Source};
use crate::model::{TypeDef, TypeId, TypeKind, TypeRef};
use crate::spec::{Schema, SchemaKind};

/// Keeps only the request counterparts a response type can be converted
/// into field by field (see [`converts`]), until nothing changes.
pub(super) fn prune_requests(types: &mut [TypeDef]) {
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
pub(super) fn converts(types: &[TypeDef], from: &TypeRef, to: &TypeRef) -> bool {
    if from == to {
        return true;
    }
    match (from, to) {
        (TypeRef::Named(a) | TypeRef::Boxed(a), TypeRef::Named(b) | TypeRef::Boxed(b)) => {
            a == b || types[a.0].requests.contains(b)
        }
        (TypeRef::Expandable(a), TypeRef::Expandable(b)) => {
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
pub(super) fn converts_def(types: &[TypeDef], from: TypeId, to: TypeId) -> bool {
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

impl Lowerer<'_> {
    /// The wire names of an object's `readOnly` properties, which its
    /// request-side type leaves out.
    pub(super) fn read_only_names(&self, schema: &Schema) -> BTreeSet<String> {
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
    pub(super) fn find_requests(&mut self) {
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

    /// Whether component `name` has `readOnly` properties at any depth.
    pub(super) fn has_read_only_component(&mut self, name: &str) -> bool {
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

    pub(super) fn has_read_only(&mut self, schema: &Schema) -> bool {
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
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{lowered, type_named, ZONES};
    use super::*;

    #[test]
    fn a_read_only_property_makes_a_request_type_the_response_converts_into() {
        let (model, _) = lowered(ZONES);
        let zone = type_named(&model, "Zone");
        let request = type_named(&model, "ZoneRequest");
        assert_eq!(request.read_only, ["id"]);
        let TypeKind::Struct { fields, .. } = &request.kind else {
            panic!("not a struct")
        };
        let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
        assert_eq!(wires, ["name"], "`id` is never sent");
        assert_eq!(zone.requests.len(), 1);
        assert_eq!(model.types[zone.requests[0].0].name, "ZoneRequest");
        // Record has no read-only property and no request counterpart.
        assert!(type_named(&model, "Record").requests.is_empty());
    }

    #[test]
    fn converts_needs_every_request_field_from_a_response_field() {
        let (mut model, _) = lowered(ZONES);
        let zone = TypeRef::Named(
            model
                .types
                .iter()
                .position(|t| t.name == "Zone")
                .map(TypeId)
                .expect("zone"),
        );
        let request_id = model
            .types
            .iter()
            .position(|t| t.name == "ZoneRequest")
            .map(TypeId)
            .expect("request");
        let request = TypeRef::Named(request_id);
        assert!(converts(&model.types, &zone, &request));
        assert!(converts(
            &model.types,
            &TypeRef::Vec(Box::new(zone.clone())),
            &TypeRef::Vec(Box::new(request.clone()))
        ));
        assert!(
            !converts(&model.types, &request, &zone),
            "not the other way"
        );
        // A request field the response lacks: no conversion, and pruning
        // drops the counterpart.
        if let TypeKind::Struct { fields, .. } = &mut model.types[request_id.0].kind {
            fields[0].wire = "other".into();
        }
        prune_requests(&mut model.types);
        assert!(type_named(&model, "Zone").requests.is_empty());
    }
}
