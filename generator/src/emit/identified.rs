//! `apigen_runtime::Identified` for the types an expandable reference can
//! hold (`Expandable<T>::id()` reads it): a struct's `id` field, a union's
//! branch's.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::type_ref::type_cfg;
use crate::model::{Field, Model, Presence, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant};
use crate::naming;

/// The expandable references' targets in `ty` (through containers).
fn targets_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Expandable(id) => out.push(*id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
            targets_in(inner, out);
        }
        _ => {}
    }
}

/// The types that implement `Identified`: every expandable reference's
/// target, and the branches of the unions among them.
pub(super) fn identified(model: &Model) -> BTreeSet<TypeId> {
    let mut stack = Vec::new();
    for def in &model.types {
        def.kind.each_ref(&mut |ty| targets_in(ty, &mut stack));
    }
    for op in &model.operations {
        targets_in(&op.response.ty, &mut stack);
        op.errors.iter().for_each(|e| targets_in(&e.ty, &mut stack));
    }
    model
        .webhooks
        .iter()
        .for_each(|w| targets_in(&w.ty, &mut stack));
    let mut out = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !out.insert(id) {
            continue;
        }
        if let TypeKind::Union { variants, .. } = &model.types[id.0].kind {
            for v in variants {
                if let TypeRef::Named(branch) | TypeRef::Boxed(branch) = v.ty {
                    if matches!(
                        model.types[branch.0].kind,
                        TypeKind::Struct { .. } | TypeKind::Union { .. }
                    ) {
                        stack.push(branch);
                    }
                }
            }
        }
    }
    out
}

/// `impl Identified for T` (`identified` lists the types that have one).
pub(super) fn identified_impl(
    model: &Model,
    def: &TypeDef,
    identified: &BTreeSet<TypeId>,
) -> TokenStream {
    let (body, deprecated) = match &def.kind {
        TypeKind::Struct { fields, .. } => {
            let id = fields.iter().find(|f| f.wire == "id");
            (struct_id(id), id.is_some_and(|f| f.deprecated))
        }
        TypeKind::Union { variants, .. } => (union_id(variants, identified), false),
        TypeKind::Enum { .. } | TypeKind::Params { .. } => return quote!(),
    };
    let name = naming::ident(&def.name);
    let cfg = type_cfg(model, def);
    let allow = deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #cfg
        impl ::apigen_runtime::Identified for #name {
            #allow
            fn id(&self) -> &str {
                #body
            }
        }
    }
}

/// A struct's id: its `id` field, `""` when absent (or when it has none).
fn struct_id(id: Option<&Field>) -> TokenStream {
    let Some(field) = id.filter(|f| f.ty == TypeRef::String) else {
        return quote!("");
    };
    let name = naming::ident(&field.name);
    match field.presence {
        Presence::Required => quote!(&self.#name),
        Presence::Optional | Presence::RequiredNullable => {
            quote!(self.#name.as_deref().unwrap_or(""))
        }
        Presence::OptionalNullable => {
            quote!(self.#name.as_ref().and_then(Option::as_deref).unwrap_or(""))
        }
    }
}

/// A union's id: its branch's, the raw JSON's `id` for the catch-all.
fn union_id(variants: &[UnionVariant], identified: &BTreeSet<TypeId>) -> TokenStream {
    let arms = variants.iter().map(|v| {
        let variant = naming::ident(&v.name);
        match v.ty {
            TypeRef::Named(id) | TypeRef::Boxed(id) if identified.contains(&id) => {
                quote!(Self::#variant(value) => ::apigen_runtime::Identified::id(value),)
            }
            TypeRef::Json => quote! {
                Self::#variant(value) => value
                    .get("id")
                    .and_then(::serde_json::Value::as_str)
                    .unwrap_or(""),
            },
            _ => quote!(Self::#variant(_) => "",),
        }
    });
    quote! {
        match self {
            #(#arms)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_model::*;
    use crate::model::UnionVariant;

    fn branch(name: &str, ty: TypeRef, catch_all: bool) -> UnionVariant {
        UnionVariant {
            name: name.into(),
            ty,
            tag_values: Vec::new(),
            catch_all,
        }
    }

    #[test]
    fn targets_and_their_union_branches_read_their_ids() {
        let customer = new_type(
            "Customer",
            TypeKind::Struct {
                fields: vec![new_field("id", TypeRef::String, Presence::Required)],
                extra: TypeRef::Json,
            },
            ZONES,
        );
        let deleted = new_type(
            "DeletedCustomer",
            TypeKind::Struct {
                fields: vec![new_field("id", TypeRef::String, Presence::OptionalNullable)],
                extra: TypeRef::Json,
            },
            ZONES,
        );
        let either = new_type(
            "CustomerOrDeletedCustomer",
            TypeKind::Union {
                variants: vec![
                    branch("Customer", TypeRef::Named(TypeId(0)), false),
                    branch("DeletedCustomer", TypeRef::Boxed(TypeId(1)), false),
                    branch("Unknown", TypeRef::Json, true),
                ],
                tag: None,
            },
            ZONES,
        );
        let charge = new_type(
            "Charge",
            TypeKind::Struct {
                fields: vec![new_field(
                    "customer",
                    TypeRef::Option(Box::new(TypeRef::Expandable(TypeId(2)))),
                    Presence::Required,
                )],
                extra: TypeRef::Json,
            },
            ZONES,
        );
        let model = model(vec![customer, deleted, either, charge]);
        // The field's type, from the struct's module and from the root.
        let charge_items = items(crate::emit::types::type_def(&model, &model.types[3], ZONES));
        let syn::Item::Struct(charge) = item(&charge_items, "Charge") else {
            unreachable!()
        };
        let field = charge.fields.iter().next().unwrap();
        assert_eq!(
            text(&field.ty),
            "Option<::apigen_runtime::Expandable<CustomerOrDeletedCustomer>>"
        );
        let root =
            super::super::type_ref::rust_type_from_root(&model, &TypeRef::Expandable(TypeId(0)));
        assert!(
            text(&root).starts_with("::apigen_runtime::Expandable<crate::"),
            "{}",
            text(&root)
        );
        let identified = identified(&model);
        assert_eq!(
            identified.iter().map(|id| id.0).collect::<Vec<_>>(),
            [0, 1, 2]
        );
        let body = |id: usize| {
            let items = items(identified_impl(&model, &model.types[id], &identified));
            assert!(impls(&items)
                .iter()
                .any(|(t, _)| t == "::apigen_runtime::Identified"));
            text(&method(&items, "id").block)
        };
        assert_eq!(body(0), "{&self.id}");
        assert_eq!(
            body(1),
            r#"{self.id.as_ref().and_then(Option::as_deref).unwrap_or("")}"#
        );
        let union = body(2);
        assert!(
            union.contains("Self::Customer(value)=>::apigen_runtime::Identified::id(value),"),
            "{union}"
        );
        assert!(
            union.contains(r#"Self::Unknown(value)=>value.get("id")"#),
            "{union}"
        );
    }

    fn plain(name: &str, fields: Vec<Field>) -> TypeDef {
        new_type(
            name,
            TypeKind::Struct {
                fields,
                extra: TypeRef::Json,
            },
            ZONES,
        )
    }

    #[test]
    fn an_expanded_object_converts_into_its_request_counterpart() {
        let expandable = |id| {
            new_field(
                "owner",
                TypeRef::Option(Box::new(TypeRef::Expandable(TypeId(id)))),
                Presence::Required,
            )
        };
        let mut response = plain("Zone", vec![expandable(2)]);
        response.requests = vec![TypeId(1)];
        let mut owner = plain("Owner", Vec::new());
        owner.requests = vec![TypeId(3)];
        let model = model(vec![
            response,
            plain("ZoneRequest", vec![expandable(3)]),
            owner,
            plain("OwnerRequest", Vec::new()),
        ]);
        let items = items(crate::emit::conversions::requests(
            &model,
            &model.types[0],
            ZONES,
        ));
        let body = text(&method(&items, "from").block);
        // An id stays the id; an object goes through its own conversion.
        assert!(
            body.contains("::apigen_runtime::Expandable::Id(id)=>{::apigen_runtime::Expandable::Id(Clone::clone(id))}"),
            "{body}"
        );
        assert!(
            body.contains("::apigen_runtime::Expandable::Object(Box::new(<OwnerRequestasFrom<&Owner>>::from(&**object)))"),
            "{body}"
        );
    }
}
