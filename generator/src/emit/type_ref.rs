//! References to types: the Rust type of a [`TypeRef`] as seen from a
//! module, and the `#[cfg]` an item needs for the types it names.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{Home, IntWidth, Model, TypeDef, TypeId, TypeRef};
use crate::naming;

/// The module a type lives in.
pub(super) fn module_name(model: &Model, home: Home) -> Ident {
    match home {
        Home::Shared => naming::ident("shared"),
        Home::Area(area) => naming::ident(&model.areas[area.0].module),
    }
}

/// The Rust integer type of a width.
pub(super) fn integer(width: IntWidth) -> TokenStream {
    match width {
        IntWidth::I32 => quote!(i32),
        IntWidth::I64 => quote!(i64),
        IntWidth::U32 => quote!(u32),
        IntWidth::U64 => quote!(u64),
    }
}

/// The Rust type for a reference, as seen from module `from`.
pub(super) fn rust_type(model: &Model, ty: &TypeRef, from: Home) -> TokenStream {
    seen_from(model, ty, Some(from))
}

/// The Rust type for a reference, as a path from the crate root.
pub fn rust_type_from_root(model: &Model, ty: &TypeRef) -> TokenStream {
    seen_from(model, ty, None)
}

/// The Rust type for a reference, as seen from the module of `from` (the
/// crate root for `None`, where every type's path is qualified).
fn seen_from(model: &Model, ty: &TypeRef, from: Option<Home>) -> TokenStream {
    match ty {
        TypeRef::Named(id) => named_from(model, *id, from),
        TypeRef::Boxed(id) => {
            let inner = named_from(model, *id, from);
            quote!(Box<#inner>)
        }
        TypeRef::Expandable(id) => {
            let inner = named_from(model, *id, from);
            quote!(::apigen_runtime::Expandable<#inner>)
        }
        TypeRef::Bool => quote!(bool),
        TypeRef::Integer(width) => integer(*width),
        TypeRef::Number => quote!(::apigen_runtime::Number),
        TypeRef::Float => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::DateTime => quote!(::apigen_runtime::DateTime),
        TypeRef::Date => quote!(::apigen_runtime::Date),
        TypeRef::Bytes => quote!(::apigen_runtime::Bytes),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => {
            quote!(::serde_json::Map<String, ::serde_json::Value>)
        }
        TypeRef::Vec(inner) => {
            let inner = seen_from(model, inner, from);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = seen_from(model, inner, from);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = seen_from(model, inner, from);
            quote!(Option<#inner>)
        }
        TypeRef::Unit => quote!(()),
    }
}

/// A named type: its bare name in its own module, `crate::module::Name`
/// elsewhere.
pub(super) fn named(model: &Model, id: TypeId, from: Home) -> TokenStream {
    named_from(model, id, Some(from))
}

fn named_from(model: &Model, id: TypeId, from: Option<Home>) -> TokenStream {
    let def = &model.types[id.0];
    let name = naming::ident(&def.name);
    if Some(def.home) == from {
        quote!(#name)
    } else {
        let module = module_name(model, def.home);
        quote!(crate::#module::#name)
    }
}

/// `#[cfg(..)]` for an item that exists only where type `def` does: the
/// features of a shared type's areas (an area's own module is gated
/// already). A type every area uses is not gated (neither is anything it
/// reaches, which every area uses too): in a description as connected as
/// Stripe's, that is most shared types, and the list would repeat every
/// feature on each.
pub(super) fn type_cfg(model: &Model, def: &TypeDef) -> TokenStream {
    match def.home {
        Home::Shared if def.used_by.len() == model.areas.len() => quote!(),
        Home::Shared => {
            let features = def.used_by.iter().map(|a| &model.areas[a.0].feature);
            quote!(#[cfg(any(#(feature = #features),*))])
        }
        Home::Area(_) => quote!(),
    }
}

/// `#[cfg(..)]` for an item in `home` that needs type `other` too.
pub(super) fn cfg_for_other(model: &Model, other: &TypeDef, home: Home) -> TokenStream {
    // Two shared types can be compiled under different features: the
    // impl needs both.
    if other.home == home && home != Home::Shared {
        return quote!();
    }
    match other.home {
        Home::Shared => type_cfg(model, other),
        Home::Area(area) => {
            let feature = &model.areas[area.0].feature;
            quote!(#[cfg(feature = #feature)])
        }
    }
}
