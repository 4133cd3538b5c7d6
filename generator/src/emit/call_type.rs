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
    let paging = super::paging::methods(model, op);
    let CallParts {
        name: call_type,
        setters,
    } = call;
    let (shown, link) = method_path(model, op);
    let stream = op.response.decode.is_stream().then(|| {
        let doc = doc_attrs(&[
            "The stream of the response, opened when it is first polled (a problem building the call, or an error answer, is its first and only item); `.await` the call instead to open it first, so such errors come from the `.await`.".to_owned(),
        ]);
        quote! {
            #doc
            #[inline]
            pub fn stream(self) -> #result {
                self.0.stream()
            }
        }
    });
    let call_doc = doc_attrs(&[
        format!("The call [`{shown}`]({link}) returns (operation `{}`): set its optional parameters, then `.await` it for the `result` or [`send`](Self::send) it for the whole [`ApiResponse`](crate::ApiResponse). \
        Other per-request options ([`timeout`](Self::timeout), [`max_retries`](Self::max_retries), [`header`](Self::header), [`idempotency_key`](Self::idempotency_key)) are here too; [`into_call`](Self::into_call) gives the runtime's [`Call`](crate::Call) (for pagination).", op.operation_id),
    ]);
    quote! {
        #call_doc
        #[derive(Debug)]
        #[must_use = "a call does nothing until it is awaited or sent"]
        #result_allow
        pub struct #call_type(crate::Call<#result>);

        impl #call_type {
            #(#setters)*

            #paging

            #stream
        }

        ::apigen_runtime::call_type!(#call_type => #result);
    }
}
