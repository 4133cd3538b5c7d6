//! The example harness: a test module for the generated crate's `lib.rs`
//! that lists every case and hands it to the runtime's proof logic
//! (`apigen_runtime::proof::Examples`, feature `proof`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{Case, Class, Skipped};
use crate::model::{Decode, Model, OperationDef};

/// A `#[cfg(test)]` module that round-trips every case strictly (see
/// `apigen_runtime::proof::strict`): a 2xx example through the operation's
/// result type, a 4xx example's `errors` and `messages` through the
/// runtime's `Message`.
///
/// Responses that cannot be exercised (`skipped`: not JSON, no example; and
/// 2xx examples of methods that do not decode JSON) are reported too, each
/// with its reason, as failures of class `not-exercised`: the known errors
/// file lists them like the others, so the list is asserted.
pub fn harness(model: &Model, cases: &[Case], skipped: &[Skipped]) -> TokenStream {
    let find = |id: &str| model.operations.iter().find(|o| o.operation_id == id);
    let checks = cases.iter().filter_map(|case| {
        let op = find(&case.operation_id)?;
        Some(check(model, op, case))
    });
    let skips = skipped.iter().filter_map(|skipped| {
        let op = find(&skipped.operation_id)?;
        Some(skip(model, op, &skipped.status, &skipped.reason))
    });
    let checks = checks.chain(skips);
    quote! {
        /// Strict round trips of the description's examples (generated with
        /// `--example-tests`).
        #[cfg(test)]
        mod spec_examples {
            #[test]
            fn examples_round_trip() {
                let mut report = ::apigen_runtime::proof::Examples::default();
                #(#checks)*
                report.finish(&::apigen_runtime::proof::Known::from_env("APIGEN_KNOWN_EXAMPLE_ERRORS"));
            }
        }
    }
}

/// The statement that checks one case.
fn check(model: &Model, op: &OperationDef, case: &Case) -> TokenStream {
    let feature = &model.areas[op.area.0].feature;
    let id = &case.operation_id;
    let status = &case.status;
    let pointer = &case.pointer;
    let whole = case.whole;
    let undeclared = &case.undeclared;
    let json = case.value.to_string();
    let check = match case.class {
        Class::Success => {
            if !matches!(op.response.decode, Decode::Envelope | Decode::Json) {
                return skip(model, op, status, "the method does not decode JSON");
            }
            let ty = crate::emit::rust_type_from_root(model, &op.response.ty);
            quote!(check::<#ty>)
        }
        Class::Error => quote!(check_error),
    };
    quote! {
        #[cfg(feature = #feature)]
        report.#check(#id, #status, #pointer, #whole, #json, &[#(#undeclared),*]);
    }
}

/// The statement that reports a response not exercised, and why.
fn skip(model: &Model, op: &OperationDef, status: &str, reason: &str) -> TokenStream {
    let feature = &model.areas[op.area.0].feature;
    let id = &op.operation_id;
    quote! {
        #[cfg(feature = #feature)]
        report.skip(#id, #status, #reason);
    }
}
