//! The `pages()` and `items()` streams of a paged operation's call type,
//! from the [`Paging`] lowering found (`lower/paging`): each passes the
//! runtime's `apigen_runtime::Paging` descriptor to `Call::pages_with`, or,
//! for Cloudflare's envelopes, calls `Call::pages`, which follows
//! `result_info`.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust_type_from_root;
use crate::model::paging::{Paging, Strategy};
use crate::model::{Model, OperationDef, Presence};

/// The `pages()` and `items()` methods of a paged operation's call type
/// (nothing for one that does not page).
pub(super) fn methods(model: &Model, op: &OperationDef) -> TokenStream {
    let Some(paging) = &op.paging else {
        return TokenStream::new();
    };
    let page = rust_type_from_root(model, &op.response.ty);
    let item = rust_type_from_root(model, &paging.items.ty);
    let (pages, items) = match &paging.strategy {
        // The runtime follows the envelope's `result_info` itself.
        Strategy::ResultInfo { .. } => (
            quote!(self.into_call().pages()),
            quote!(self.into_call().items()),
        ),
        _ => {
            let descriptor = descriptor(paging);
            let take = take(paging);
            (
                quote!(self.into_call().pages_with(#descriptor)),
                quote!(self.into_call().items_with(#descriptor, #take)),
            )
        }
    };
    quote! {
        /// Streams the pages, one request each, lazily: the first as set up
        /// here, the next ones changing only the paging parameter (see the
        /// method's docs). The stream ends after the last page or an empty
        /// one; an error ends it after being yielded.
        #[inline]
        pub fn pages(self) -> impl ::apigen_runtime::Stream<
            Item = Result<::apigen_runtime::ApiResponse<#page>, ::apigen_runtime::Error>,
        > + ::std::marker::Send + ::std::marker::Unpin {
            #pages
        }

        /// Streams the items of every page (see [`pages`](Self::pages)).
        #[inline]
        pub fn items(self) -> impl ::apigen_runtime::Stream<
            Item = Result<#item, ::apigen_runtime::Error>,
        > + ::std::marker::Send + ::std::marker::Unpin {
            #items
        }
    }
}

/// The function taking a page's items out of the decoded page.
fn take(paging: &Paging) -> TokenStream {
    match &paging.items.field {
        None => quote!(::std::convert::identity),
        Some((name, _, presence)) => {
            let name = crate::naming::ident(name);
            match presence {
                Presence::Required => quote!(|page| page.#name),
                Presence::Optional | Presence::RequiredNullable => {
                    quote!(|page| page.#name.unwrap_or_default())
                }
                Presence::OptionalNullable => {
                    quote!(|page| page.#name.flatten().unwrap_or_default())
                }
            }
        }
    }
}

/// The runtime's `Paging` for `paging` (not for `ResultInfo`, which the
/// runtime's `Call::pages` follows).
fn descriptor(paging: &Paging) -> TokenStream {
    let path = |path: &[String]| quote!(&[#(#path),*]);
    let mut tokens = match &paging.strategy {
        Strategy::Cursor { param, next } => {
            let next = path(next);
            quote!(::apigen_runtime::Paging::cursor(#param, #next))
        }
        Strategy::AfterLastId {
            param,
            id,
            has_more,
        } => {
            let has_more = path(has_more);
            quote!(::apigen_runtime::Paging::after_last_id(#param, #id, #has_more))
        }
        Strategy::Page { param, first } => {
            quote!(::apigen_runtime::Paging::page(#param, #first))
        }
        Strategy::Offset { param } => quote!(::apigen_runtime::Paging::offset(#param)),
        Strategy::ResultInfo { .. } => return TokenStream::new(),
    };
    if let Some((_, wire, _)) = &paging.items.field {
        tokens = quote!(#tokens.items_at(#wire));
    }
    for (method, found) in [
        ("total_pages", &paging.total_pages),
        ("total", &paging.total),
        ("more", &paging.more),
        ("next_link", &paging.next_link),
    ] {
        if let Some(found) = found {
            let method = crate::naming::ident(method);
            let found = path(found);
            tokens = quote!(#tokens.#method(#found));
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::paging_fixture::{model, paging};

    #[test]
    fn the_descriptor_names_every_stop() {
        let model = model();
        let tokens = descriptor(paging(&model, "offset-list")).to_string();
        assert_eq!(
            tokens,
            quote!(::apigen_runtime::Paging::offset("offset")
                .items_at("rows")
                .total(&["total"])
                .more(&["has_more"]))
            .to_string()
        );
    }
}
