//! The call type of an operation with optional parameters: a struct around
//! the runtime's `Call` with a setter per parameter, `send`, the per-request
//! options and `IntoFuture`.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use super::params::CallParts;
use super::resources::method_path;
use crate::model::{Model, OperationDef};

/// The call type `call` describes; `result` is the type the call decodes,
/// `result_allow` the `type_complexity` allow its methods need.
pub(super) fn call_type(
    model: &Model,
    op: &OperationDef,
    call: &CallParts,
    result: &TokenStream,
    result_allow: &TokenStream,
) -> TokenStream {
    let paging = crate::paging::methods(model, op);
    let CallParts {
        name: call_type,
        fields,
        setters,
        apply,
        optional_headers,
        ..
    } = call;
    let (shown, link) = method_path(model, op);
    let call_doc = doc_attrs(&[
        format!("The call [`{shown}`]({link}) returns (operation `{}`): set its optional parameters, then `.await` it for the `result` or [`send`](Self::send) it for the whole [`ApiResponse`](crate::ApiResponse).", op.operation_id),
        String::new(),
        "Other per-request options ([`timeout`](Self::timeout), [`max_retries`](Self::max_retries), [`header`](Self::header)) are here too; [`into_call`](Self::into_call) gives the runtime's [`Call`](crate::Call) (for pagination).".into(),
    ]);
    let runtime_call = quote!(::apigen_runtime::Call<#result>);
    let into_call = if optional_headers.is_empty() {
        quote!(self.call #(#apply)*)
    } else {
        quote! {
            let mut call = self.call;
            #(#optional_headers)*
            call #(#apply)*
        }
    };
    quote! {
        #call_doc
        #[derive(Debug)]
        #[must_use = "a call does nothing until it is awaited or sent"]
        pub struct #call_type {
            call: #runtime_call,
            #(#fields)*
        }

        impl #call_type {
            #(#setters)*

            #paging

            /// The runtime call, with every parameter set so far applied.
            #result_allow
            pub fn into_call(self) -> #runtime_call {
                #into_call
            }
        }

        ::apigen_runtime::call_type!(#call_type => #result);
    }
}
