//! Stage 6: turn the [`Model`] into Rust syntax with `quote!`, one token
//! stream per file.
//!
//! One module per job: `client` writes `lib.rs` (crate docs, `Client`),
//! `resources` the resource accessors, `auth` the `Credentials`; `types`
//! the structs and enums, `unions` the unions, `conversions` their
//! constructors and `From` impls (`extra` maps and catch-all variants are
//! marked for `apigen_runtime::Unknown` with `serialize_with`); `operations` the methods, `params` what each parameter and body
//! adds to a call, `call_type` the per-operation call types. `type_ref`
//! writes references to types, `doc` doc attributes, `lints` the few clippy
//! `allow`s.
//!
//! **Invariant:** no Rust is built from strings here; identifiers come from
//! [`crate::naming`] (`naming::ident`), and every path into std, serde or the
//! runtime is absolute (`Option`), so a spec type named
//! `Option` cannot break the generated code.

mod auth;
mod call_type;
mod client;
mod conversions;
mod doc;
mod identified;
mod lints;
mod operations;
mod paging;
mod params;
mod resources;
mod serde_derives;
mod type_ref;
mod types;
mod unions;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{AreaId, Home, Model, TypeKind};
use crate::naming;

pub use resources::accessor_chain;
pub use type_ref::rust_type_from_root;

/// One Rust source file of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum File {
    /// `lib.rs`: the client and the module list.
    Lib,
    /// A module of types (and, for an area, its operations).
    Module(Home),
}

/// Whether any type is used by more than one area (the `shared` module
/// exists only then).
pub(crate) fn has_shared(model: &Model) -> bool {
    model.types.iter().any(|t| t.home == Home::Shared)
}

/// The files of the crate, sorted by path.
pub fn files(model: &Model) -> Vec<(String, File)> {
    let mut files = vec![("lib.rs".to_string(), File::Lib)];
    if has_shared(model) {
        files.push(("shared.rs".to_string(), File::Module(Home::Shared)));
    }
    for (index, area) in model.areas.iter().enumerate() {
        let name = format!("{}.rs", naming::unraw(&area.module));
        files.push((name, File::Module(Home::Area(AreaId(index)))));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// A rough size of a file (types and operations in it), to schedule the
/// largest first.
pub fn weight(model: &Model, file: File) -> usize {
    match file {
        File::Lib => 1,
        File::Module(home) => {
            model.types.iter().filter(|t| t.home == home).count()
                + model
                    .operations
                    .iter()
                    .filter(|o| Home::Area(o.area) == home)
                    .count()
        }
    }
}

/// The tokens of one file; `extra_lib` is appended to `lib.rs`.
pub fn emit(model: &Model, file: File, extra_lib: &TokenStream) -> TokenStream {
    let body = match file {
        File::Lib => {
            let lib = client::lib(model);
            quote!(#lib #extra_lib)
        }
        File::Module(home) => module(model, home),
    };
    // `prettyplease` formatted it: `cargo fmt` must not reformat it, or
    // `cargo xtask regen --check` would find it stale.
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #body
    }
}

/// A module file: the area's docs, its types (each with its `Unknown` impl)
/// and, for an area, its operations.
fn module(model: &Model, home: Home) -> TokenStream {
    let doc = match home {
        Home::Shared => Vec::new(),
        Home::Area(area) => {
            let area = &model.areas[area.0];
            let mut doc = crate::docs::sanitize(&area.title);
            if let Some(description) = &area.description {
                doc.push(String::new());
                doc.extend(crate::docs::sanitize(description));
            }
            doc
        }
    };
    let doc = doc::inner_doc_attrs(&doc);
    // A `Params` type is not a struct of its own: the call type of its
    // operation (made with the operation) holds the optional parameters.
    let identified = identified::identified(model);
    let types = model
        .types
        .iter()
        .enumerate()
        .filter(|(_, t)| t.home == home && !matches!(t.kind, TypeKind::Params { .. }))
        .map(|(id, t)| {
            let id = crate::model::TypeId(id);
            let definition = types::type_def(model, t, home);
            let bound = types::size_assertion(model, id);
            let identified = identified
                .contains(&id)
                .then(|| identified::identified_impl(model, t, &identified));
            quote!(#definition #identified #bound)
        });
    let operations = match home {
        Home::Shared => quote!(),
        Home::Area(area) => operations::area_operations(model, area),
    };
    quote! {
        #doc
        #(#types)*
        #operations
    }
}

/// Small hand-built models for the unit tests of the emit modules, and
/// ways to look into the tokens they emit (parsed with `syn`, so the tests
/// also check that what is emitted is Rust).
#[cfg(test)]
pub(crate) mod test_model {
    use proc_macro2::TokenStream;
    use quote::ToTokens;

    use crate::model::*;
    use crate::spec::Style;

    /// A type with no docs, used by no area.
    pub fn new_type(name: &str, kind: TypeKind, home: Home) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: Vec::new(),
            kind,
            origin: format!("#/components/schemas/{name}"),
            home,
            used_by: Vec::new(),
            deprecated: false,
            read_only: Vec::new(),
            requests: Vec::new(),
            direction: crate::model::direction::Direction::BOTH,
        }
    }

    /// The struct `Zone` in the area `zones`, with these fields and an
    /// `extra` map of raw JSON.
    pub fn zone_struct(fields: Vec<Field>) -> TypeDef {
        new_type(
            "Zone",
            TypeKind::Struct {
                fields,
                extra: TypeRef::Json,
            },
            ZONES,
        )
    }

    /// The items of the model's first type, as `emit` writes it in `zones`.
    pub fn first_type_items(model: &Model) -> Vec<syn::Item> {
        items(super::types::type_def(model, &model.types[0], ZONES))
    }

    /// A field with the name as its wire name and no docs.
    pub fn new_field(name: &str, ty: TypeRef, presence: Presence) -> Field {
        Field {
            name: name.into(),
            wire: name.into(),
            ty,
            presence,
            doc: Vec::new(),
            deprecated: false,
        }
    }

    /// A query parameter, serialized the default way.
    pub fn query(name: &str, ty: TypeRef, presence: Presence) -> ParamField {
        ParamField {
            field: new_field(name, ty, presence),
            place: ParamPlace::Query,
            style: ParamStyle {
                style: Style::Form,
                explode: true,
                allow_reserved: false,
            },
        }
    }

    /// A model of one area, `zones`, holding `types`.
    pub fn model(types: Vec<TypeDef>) -> Model {
        Model {
            title: "Test API".into(),
            version: "1.0".into(),
            types,
            areas: vec![Area {
                title: "Zones".into(),
                description: None,
                module: "zones".into(),
                feature: "zones".into(),
                accessor: "Zones".into(),
            }],
            env_prefix: "TEST".into(),
            crate_name: "test_api".into(),
            ..Model::default()
        }
    }

    /// The area of [`model`].
    pub const ZONES: Home = Home::Area(AreaId(0));

    /// A `GET` operation of the `zones` area, on the client itself, that
    /// decodes JSON of type `ty`.
    pub fn new_operation(name: &str, path: &str, ty: TypeRef) -> OperationDef {
        OperationDef {
            name: name.into(),
            resource: ResourceId(0),
            legacy_name: name.into(),
            operation_id: name.into(),
            area: AreaId(0),
            method: "GET".into(),
            path: path.into(),
            path_params: Vec::new(),
            params: None,
            body: None,
            response: ResponseDef {
                decode: Decode::Json,
                ty,
                paginated: false,
            },
            errors: Vec::new(),
            security: None,
            doc: Vec::new(),
            deprecated: false,
            paging: None,
        }
    }

    /// The items of emitted tokens.
    pub fn items(tokens: TokenStream) -> Vec<syn::Item> {
        syn::parse2::<syn::File>(tokens)
            .expect("the emitted tokens are a Rust file")
            .items
    }

    /// The struct or enum named `name`.
    pub fn item<'a>(items: &'a [syn::Item], name: &str) -> &'a syn::Item {
        items
            .iter()
            .find(|item| match item {
                syn::Item::Struct(s) => s.ident == name,
                syn::Item::Enum(e) => e.ident == name,
                _ => false,
            })
            .unwrap_or_else(|| panic!("no item {name}"))
    }

    /// The `impl` blocks, as `(trait, self type)` text without spaces
    /// (`("From<Foo>", "Bar")`).
    pub fn impls(items: &[syn::Item]) -> Vec<(String, String)> {
        items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(i) => Some((
                    i.trait_
                        .as_ref()
                        .map(|(_, path, _)| text(path))
                        .unwrap_or_default(),
                    text(&i.self_ty),
                )),
                _ => None,
            })
            .collect()
    }

    /// The functions of the `impl` blocks (inherent or not).
    pub fn methods(items: &[syn::Item]) -> Vec<&syn::ImplItemFn> {
        items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(i) => Some(i.items.iter()),
                _ => None,
            })
            .flatten()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    /// The function named `name` in an `impl` block.
    pub fn method<'a>(items: &'a [syn::Item], name: &str) -> &'a syn::ImplItemFn {
        methods(items)
            .into_iter()
            .find(|f| f.sig.ident == name)
            .unwrap_or_else(|| panic!("no method {name}"))
    }

    /// Syntax as text without spaces, to compare with what a test expects.
    pub fn text(tokens: &impl ToTokens) -> String {
        tokens.to_token_stream().to_string().replace(' ', "")
    }

    /// Attributes as text without spaces.
    pub fn attrs_text(attrs: &[syn::Attribute]) -> String {
        attrs.iter().map(text).collect()
    }

    /// The doc lines of these attributes, joined by newlines.
    pub fn doc(attrs: &[syn::Attribute]) -> String {
        attrs
            .iter()
            .filter_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
