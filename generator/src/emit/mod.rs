//! Stage 6: turn the [`Model`] into Rust syntax with `quote!`, one token
//! stream per file.
//!
//! One module per job: `client` writes `lib.rs` (crate docs, `Client`),
//! `resources` the resource accessors, `auth` the `Credentials`; `types`
//! the structs, enums and unions, `conversions` their constructors and `From`
//! impls, `unknown` their `apigen_runtime::Unknown` impls; `operations` the
//! methods, `params` what each parameter and body adds to a call, `call_type`
//! the per-operation call types. `type_ref` writes references to types,
//! `doc` doc attributes, `lints` the few clippy `allow`s.
//!
//! **Invariant:** no Rust is built from strings here; identifiers come from
//! [`crate::naming`] (`naming::ident`), and every path into std, serde or the
//! runtime is absolute (`::std::option::Option`), so a spec type named
//! `Option` cannot break the generated code.

mod auth;
mod call_type;
mod client;
mod conversions;
mod doc;
mod lints;
mod operations;
mod params;
mod resources;
mod type_ref;
mod types;
mod unknown;

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

/// The files of the crate, sorted by path.
pub fn files(model: &Model) -> Vec<(String, File)> {
    let mut files = vec![
        ("lib.rs".to_string(), File::Lib),
        ("shared.rs".to_string(), File::Module(Home::Shared)),
    ];
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
    let types = model
        .types
        .iter()
        .filter(|t| t.home == home && !matches!(t.kind, TypeKind::Params { .. }))
        .map(|t| {
            let def = types::type_def(model, t, home);
            let unknown = unknown::unknown_impl(model, t);
            quote!(#def #unknown)
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

/// Small hand-built models for the unit tests of the emit modules.
#[cfg(test)]
pub(crate) mod test_model {
    use crate::model::*;

    /// A type with no docs, used by no area.
    pub fn type_def(name: &str, kind: TypeKind, home: Home) -> TypeDef {
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
        }
    }

    /// A field with the name as its wire name and no docs.
    pub fn field(name: &str, ty: TypeRef, presence: Presence) -> Field {
        Field {
            name: name.into(),
            wire: name.into(),
            ty,
            presence,
            doc: Vec::new(),
            deprecated: false,
        }
    }
}
