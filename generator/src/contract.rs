//! Contract tests against a mock server of the whole description: for every
//! API area with an operation that takes and returns JSON, one such operation
//! is called through the generated client, with a body built from the spec's
//! own request example, and the mock (Prism) must accept the request and the
//! client must decode the answer.
//!
//! [`harness`] emits a `#[cfg(test)]` module into the generated crate
//! (`--contract-tests`); it reads the mock's URL from `APIGEN_PRISM_URL`, and
//! allows the failures of areas listed (as `` `title` ``) in the file named by
//! `APIGEN_KNOWN_CONTRACT_ERRORS`.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::emit::{ident, rust_type_from_root};
use crate::model::{AreaId, BodyKind, Decode, Model, OperationDef, TypeRef};
use crate::normalize::Normalizer;
use crate::spec::{json_media, ParameterLocation, Spec};

/// The identifier sent where a path parameter has no example.
const DEFAULT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// One candidate call: an operation and the JSON of its body.
struct Candidate<'m> {
    op: &'m OperationDef,
    body: String,
    path_values: Vec<String>,
}

/// The candidates of one area, best first.
fn candidates<'m>(model: &'m Model, spec: &Spec, area: AreaId) -> Vec<Candidate<'m>> {
    let normalizer = Normalizer::new(&spec.schemas);
    let mut out = Vec::new();
    for op in model.operations.iter().filter(|o| o.area == area) {
        let Some(body) = &op.body else { continue };
        if !matches!(body.kind, BodyKind::Json(_))
            || !matches!(op.response.decode, Decode::Envelope | Decode::Json)
        {
            continue;
        }
        // Parameters must be optional (the call passes their defaults).
        if op.params.is_some_and(|(_, all_optional)| !all_optional) {
            continue;
        }
        let Some(source) = spec.operations.iter().find(|o| o.id == op.operation_id) else {
            continue;
        };
        let Some(schema) = source
            .request_body
            .as_ref()
            .and_then(|b| json_media(&b.content))
            .and_then(|m| {
                m.example.clone().or_else(|| {
                    m.schema
                        .as_ref()
                        .and_then(|s| crate::examples::example(&normalizer, s))
                })
            })
        else {
            continue;
        };
        let path_values = op
            .path_params
            .iter()
            .map(|p| {
                source
                    .parameters
                    .iter()
                    .find(|sp| sp.location == ParameterLocation::Path && sp.name == p.wire)
                    .and_then(|sp| {
                        sp.schema
                            .example
                            .clone()
                            .or_else(|| normalizer.resolve(&sp.schema).ok()?.example)
                    })
                    .map(|v| match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    })
                    .unwrap_or_else(|| DEFAULT_ID.to_string())
            })
            .collect();
        let Ok(body) = serde_json::to_string(&schema) else {
            continue;
        };
        out.push(Candidate {
            op,
            body,
            path_values,
        });
    }
    // Shorter bodies first: fewer constraints to get wrong.
    out.sort_by_key(|c| c.body.len());
    out.truncate(3);
    out
}

/// The test module, or nothing when no area has a JSON operation.
pub fn harness(model: &Model, spec: &Spec) -> TokenStream {
    let areas = (0..model.areas.len()).filter_map(|index| {
        let area = &model.areas[index];
        let calls: Vec<TokenStream> = candidates(model, spec, AreaId(index))
            .into_iter()
            .filter_map(|candidate| call(model, &candidate))
            .collect();
        if calls.is_empty() {
            return None;
        }
        let feature = &area.feature;
        let title = &area.title;
        Some(quote! {
            #[cfg(feature = #feature)]
            {
                let mut attempts = ::std::vec::Vec::new();
                #(#calls)*
                report.area(#title, attempts);
            }
        })
    });
    quote! {
        /// Calls one JSON operation per area against a Prism mock of the
        /// whole description (generated with `--contract-tests`).
        #[cfg(test)]
        mod spec_contract {
            #[derive(Default)]
            struct Report {
                passed: usize,
                failed: ::std::vec::Vec<::std::string::String>,
            }

            impl Report {
                fn area(&mut self, title: &str, attempts: ::std::vec::Vec<(&str, ::std::result::Result<(), ::std::string::String>)>) {
                    let mut reasons = ::std::vec::Vec::new();
                    for (operation, outcome) in attempts {
                        match outcome {
                            ::std::result::Result::Ok(()) => {
                                ::std::println!("ok     {title}: {operation}");
                                self.passed += 1;
                                return;
                            }
                            ::std::result::Result::Err(reason) => reasons.push(::std::format!("{operation}: {reason}")),
                        }
                    }
                    ::std::println!("FAILED {title}: {}", reasons.join("; "));
                    self.failed.push(title.to_string());
                }
            }

            fn outcome<T>(result: ::std::result::Result<T, crate::Error>) -> ::std::result::Result<(), ::std::string::String> {
                result.map(|_| ()).map_err(|error| match &error {
                    crate::Error::Api(api) => ::std::format!("{error}: {}", ::std::string::String::from_utf8_lossy(&api.body)),
                    crate::Error::Decode(decode) => ::std::format!("{error}: {}", ::std::string::String::from_utf8_lossy(&decode.body)),
                    _ => error.to_string(),
                })
            }

            #[test]
            fn one_json_operation_per_area_against_prism() {
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
                // Cloudflare's schemes, spelled out so the harness compiles
                // whatever the description names its schemes.
                use ::apigen_runtime::{Credentials, KeyLocation::Header, SchemeKind, SecurityScheme};
                let header = |name, header| SecurityScheme::new(name, SchemeKind::ApiKey(Header, header));
                let key = with(
                    Credentials::new()
                        .with(header("api_email", "X-Auth-Email"), "user@example.com")
                        .with(header("api_key", "X-Auth-Key"), "c2547eb745079dac9320b638f5e225cf483cc5cfdda41"),
                );
                let token = with(Credentials::new().with(
                    SecurityScheme::new("api_token", SchemeKind::Bearer),
                    "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY",
                ));
                let service = with(Credentials::new().with(
                    header("user_service_key", "X-Auth-User-Service-Key"),
                    "v1.0-e24fd090c02efcfecb4de8f4-6e3c2e6e",
                ));
                let _ = (&key, &token, &service);
                let runtime = ::tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                let mut report = Report::default();
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
                let known = ::std::env::var("APIGEN_KNOWN_CONTRACT_ERRORS")
                    .ok()
                    .and_then(|path| ::std::fs::read_to_string(path).ok())
                    .unwrap_or_default();
                let unexplained: ::std::vec::Vec<&::std::string::String> = report
                    .failed
                    .iter()
                    .filter(|title| !known.contains(&::std::format!("`{title}`")))
                    .collect();
                ::std::println!(
                    "contract: {} of {} areas passed; {} failed, {} not listed as description errors",
                    report.passed,
                    report.passed + report.failed.len(),
                    report.failed.len(),
                    unexplained.len()
                );
                ::std::assert!(unexplained.is_empty(), "areas failed that are not listed as description errors: {unexplained:?}");
            }
        }
    }
}

/// One attempt: build the body from its example, call, record the outcome.
fn call(model: &Model, candidate: &Candidate) -> Option<TokenStream> {
    let op = candidate.op;
    let Some(BodyKind::Json(body_ty)) = op.body.as_ref().map(|b| &b.kind) else {
        return None;
    };
    if *body_ty == TypeRef::Unit {
        return None;
    }
    let body_type = rust_type_from_root(model, body_ty);
    let area = ident(&model.areas[op.area.0].module);
    let method = ident(&op.name);
    let mut args = Vec::new();
    for (param, value) in op.path_params.iter().zip(&candidate.path_values) {
        args.push(match param.ty {
            TypeRef::Integer(_) => {
                let n = proc_macro2::Literal::i64_unsuffixed(value.parse().unwrap_or(1));
                quote!(#n)
            }
            TypeRef::Number => {
                let n: f64 = value.parse().unwrap_or(1.0);
                quote!(::apigen_runtime::Number::from(#n))
            }
            TypeRef::Float => {
                let n: f64 = value.parse().unwrap_or(1.0);
                quote!(#n)
            }
            TypeRef::Bool => {
                let b = value == "true";
                quote!(#b)
            }
            _ => quote!(#value),
        });
    }
    if op.params.is_some() {
        args.push(quote!(&::std::default::Default::default()));
    }
    let required = op.body.as_ref().is_some_and(|b| b.required);
    args.push(if required {
        quote!(&body)
    } else {
        quote!(::std::option::Option::Some(&body))
    });
    // The credentials the operation accepts, plus, as per-request headers,
    // the other schemes of the same requirement: Prism reads a requirement
    // listing email, key and token as "all of them".
    let schemes: Vec<&str> = op
        .security
        .iter()
        .flatten()
        .flatten()
        .map(String::as_str)
        .collect();
    let has = |s: &str| schemes.contains(&s);
    let (client, extra) = if schemes.is_empty() || has("api_email") {
        let extra = if has("api_token") {
            quote!(.header("Authorization", "Bearer Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY"))
        } else {
            quote!()
        };
        (quote!(key), extra)
    } else if has("api_token") {
        (quote!(token), quote!())
    } else if has("user_service_key") {
        (quote!(service), quote!())
    } else {
        (quote!(key), quote!())
    };
    let id = &op.operation_id;
    let json = &candidate.body;
    Some(quote! {
        match ::serde_json::from_str::<#body_type>(#json) {
            ::std::result::Result::Ok(body) => {
                // Boxed: one future per call keeps the test's state machine small.
                let result = ::std::boxed::Box::pin(#client.#area().#method(#(#args),*)#extra.send()).await;
                attempts.push((#id, outcome(result)));
            }
            ::std::result::Result::Err(error) => {
                attempts.push((#id, ::std::result::Result::Err(::std::format!("the spec's example body does not decode: {error}"))));
            }
        }
    })
}
