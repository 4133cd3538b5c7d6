//! The contract harness: a test module for the generated crate's `lib.rs`
//! that lists the calls and hands their outcomes to the runtime's proof
//! logic (`apigen_runtime::proof::Contract`, feature `proof`).

use proc_macro2::TokenStream;
use quote::quote;

use super::{candidates, collect};
use crate::model::{AreaId, Model};
use crate::spec::Spec;

mod call;

use call::{call, Clients};

/// The test module, or nothing when the description has no area.
pub fn harness(model: &Model, spec: &Spec) -> TokenStream {
    module(model, spec, false)
}

/// The test module of `--contract-tests=all`: every operation with a JSON
/// request body or none is called once, with every security scheme of the
/// description configured, and passes when its answer decodes strictly
/// (text and byte answers: when the call succeeds). The counts asserted are
/// operations, called, passed and not called (with why, each printed).
pub fn harness_every_operation(model: &Model, spec: &Spec) -> TokenStream {
    module(model, spec, true)
}

/// The per-operation calls of one area in `every` mode.
fn every_operation(model: &Model, spec: &Spec, index: usize, clients: &mut Clients) -> TokenStream {
    let area = &model.areas[index];
    let feature = &area.feature;
    let title = &area.title;
    let (list, skipped) = collect(model, spec, AreaId(index), true);
    let mut calls = Vec::new();
    let mut skips: Vec<TokenStream> = skipped
        .iter()
        .map(|(op, reason)| {
            let id = &op.operation_id;
            quote!(report.skipped(#id, #reason);)
        })
        .collect();
    for candidate in &list {
        match call(model, candidate, true, clients) {
            Some(tokens) => calls.push(tokens),
            None => {
                let id = &candidate.op.operation_id;
                skips.push(quote!(report.skipped(#id, "its request bodies are not JSON");));
            }
        }
    }
    quote! {
        #[cfg(feature = #feature)]
        {
            #[allow(unused_mut)]
            let mut attempts: ::std::vec::Vec<proof::Attempt> = ::std::vec::Vec::new();
            #(#calls)*
            report.operations(#title, attempts);
            #(#skips)*
        }
    }
}

/// The calls of one area in per-area mode: the best candidates of each
/// kind, or why the area is not called.
fn one_area(model: &Model, spec: &Spec, index: usize, clients: &mut Clients) -> TokenStream {
    let area = &model.areas[index];
    let feature = &area.feature;
    let title = &area.title;
    let calls: Result<Vec<TokenStream>, String> =
        candidates(model, spec, AreaId(index)).map(|list| {
            list.iter()
                .filter_map(|c| call(model, c, false, clients))
                .collect()
        });
    match calls {
        Ok(calls) if !calls.is_empty() => quote! {
            #[cfg(feature = #feature)]
            {
                let mut attempts = ::std::vec::Vec::new();
                #(#calls)*
                report.area(#title, attempts);
            }
        },
        // Every candidate takes an optional body that is not JSON.
        Ok(_) => quote! {
            report.not_called(#title, "its request bodies are not JSON");
        },
        Err(reason) => quote! {
            report.not_called(#title, #reason);
        },
    }
}

fn module(model: &Model, spec: &Spec, every: bool) -> TokenStream {
    let mut clients = Clients::default();
    let areas: Vec<TokenStream> = (0..model.areas.len())
        .map(|index| match every {
            true => every_operation(model, spec, index, &mut clients),
            false => one_area(model, spec, index, &mut clients),
        })
        .collect();
    let credentials = clients.bindings(model);
    let (test_name, finish) = if every {
        let operations = model.operations.len();
        (
            quote!(every_operation_against_prism),
            quote!(report.finish_operations(&known, #operations)),
        )
    } else {
        let total = model.areas.len();
        (
            quote!(every_area_against_prism),
            quote!(report.finish_areas(&known, #total)),
        )
    };
    quote! {
        /// Calls operations of every area against a Prism mock of the whole
        /// description and checks the answers strictly (generated with
        /// `--contract-tests`).
        #[cfg(test)]
        mod spec_contract {
            use ::apigen_runtime::proof;

            #[test]
            fn #test_name() {
                let url = ::std::env::var("APIGEN_PRISM_URL")
                    .expect("set APIGEN_PRISM_URL to a Prism mock of the description");
                let with = |credentials: ::apigen_runtime::Credentials| {
                    crate::Client::builder()
                        .base_url(url.clone())
                        .credentials(credentials)
                        .max_retries(0)
                        .build()
                        .expect("client")
                };
                #credentials
                let runtime = ::tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                let mut report = proof::Contract::default();
                // Hundreds of calls in one function: give it a roomy stack.
                ::std::thread::scope(|scope| {
                    ::std::thread::Builder::new()
                        .stack_size(256 << 20)
                        .spawn_scoped(scope, || runtime.block_on(::std::boxed::Box::pin(async {
                            #(#areas)*
                        })))
                        .expect("thread")
                        .join()
                        .expect("the calls panicked");
                });
                let known = proof::Known::from_env("APIGEN_KNOWN_CONTRACT_ERRORS");
                #finish;
            }
        }
    }
}
