//! The contract harness: the test module emitted into the generated crate.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::{candidates, collect, Candidate};
use crate::emit::rust_type_from_root;
use crate::model::{AreaId, BodyKind, Decode, Model, Presence, TypeKind, TypeRef};
use crate::naming::ident;
use crate::spec::Spec;

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

/// The per-area calls of one area in `every` mode.
fn every_operation(model: &Model, spec: &Spec, index: usize) -> TokenStream {
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
        match call(model, candidate, true) {
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
            let mut attempts: ::std::vec::Vec<Attempt> = ::std::vec::Vec::new();
            #(#calls)*
            report.operations(#title, attempts);
            #(#skips)*
        }
    }
}

/// Credentials for every security scheme of the description, with
/// placeholder values (Prism checks that they are present and well formed).
fn every_scheme(spec: &Spec) -> TokenStream {
    use crate::spec::SecuritySchemeKind as K;
    let schemes = spec.security_schemes.iter().map(|(name, scheme)| {
        let (kind, value) = match &scheme.kind {
            K::Header(key) => (
                quote!(SchemeKind::ApiKey(KeyLocation::Header, #key)),
                "key-0123456789",
            ),
            K::Query(key) => (
                quote!(SchemeKind::ApiKey(KeyLocation::Query, #key)),
                "key-0123456789",
            ),
            K::Cookie(key) => (
                quote!(SchemeKind::ApiKey(KeyLocation::Cookie, #key)),
                "key-0123456789",
            ),
            K::Bearer => (quote!(SchemeKind::Bearer), "token-0123456789"),
            K::Basic => (quote!(SchemeKind::Basic), "user:password"),
            K::Http => (quote!(SchemeKind::Http), "Digest username=\"user\""),
            K::OAuth2 => (quote!(SchemeKind::OAuth2), "token-0123456789"),
            K::OpenIdConnect => (quote!(SchemeKind::OpenIdConnect), "token-0123456789"),
        };
        quote!(.with(SecurityScheme::new(#name, #kind), #value))
    });
    quote! {
        #[allow(unused_imports)]
        use ::apigen_runtime::{Credentials, KeyLocation, SchemeKind, SecurityScheme};
        let key = with(Credentials::new() #(#schemes)*);
    }
}

fn module(model: &Model, spec: &Spec, every: bool) -> TokenStream {
    let areas = (0..model.areas.len()).map(|index| {
        if every {
            return every_operation(model, spec, index);
        }
        let area = &model.areas[index];
        let feature = &area.feature;
        let title = &area.title;
        let calls: Result<Vec<TokenStream>, String> = candidates(model, spec, AreaId(index))
            .map(|list| list.iter().filter_map(|c| call(model, c, false)).collect());
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
    });
    let support = crate::proofs::examples::support();
    let total = model.areas.len();
    let operations = model.operations.len();
    let (test_name, credentials, verdict) = if every {
        (
            quote!(every_operation_against_prism),
            every_scheme(spec),
            quote! {
                let known = proof::Known::from_env("APIGEN_KNOWN_CONTRACT_ERRORS");
                ::std::println!(
                    "contract: {} of {} operations called, {} pass strictly ({} of them with the error status they declare, having no success), {} not called (bodies: {} the description's, {} assembled)",
                    report.called, #operations, report.passed, report.declared_errors, report.skipped,
                    report.described_bodies, report.assembled_bodies,
                );
                proof::verdict(
                    "contract",
                    &known,
                    &[
                        ("operations", #operations),
                        ("operations called", report.called),
                        ("operations passed", report.passed),
                        ("operations passed with a declared error status", report.declared_errors),
                        ("operations not called", report.skipped),
                    ],
                    &report.failures,
                    &report.occurring,
                );
            },
        )
    } else {
        (
            quote!(every_area_against_prism),
            quote! {
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
            },
            quote! {
                let known = proof::Known::from_env("APIGEN_KNOWN_CONTRACT_ERRORS");
                ::std::println!(
                    "contract: {} of {} areas called, {} pass strictly (without a body {} of {}, with one {} of {}; bodies: {} the description's, {} assembled)",
                    report.called, #total, report.passed, report.read_passed, report.read, report.write_passed, report.write,
                    report.described_bodies, report.assembled_bodies,
                );
                proof::verdict(
                    "contract",
                    &known,
                    &[
                        ("areas", #total),
                        ("areas called", report.called),
                        ("areas passed", report.passed),
                        ("areas called without a body", report.read),
                        ("areas passed without a body", report.read_passed),
                        ("areas called with a body", report.write),
                        ("areas passed with a body", report.write_passed),
                    ],
                    &report.failures,
                    &report.occurring,
                );
            },
        )
    };
    quote! {
        /// Calls operations of every area against a Prism mock of the whole
        /// description and checks the answers strictly (generated with
        /// `--contract-tests`).
        #[cfg(test)]
        mod spec_contract {
            #support

            // Each mode reads only its own counts and methods.
            #[allow(dead_code)]
            #[derive(Default)]
            struct Report {
                skipped: usize,
                declared_errors: usize,
                called: usize,
                passed: usize,
                read: usize,
                read_passed: usize,
                write: usize,
                write_passed: usize,
                described_bodies: usize,
                assembled_bodies: usize,
                failures: ::std::vec::Vec<proof::Failure>,
                occurring: ::std::vec::Vec<proof::Failure>,
            }

            /// An attempt: operation, whether it sent a body (and whether the
            /// description gave it), and what went wrong.
            type Attempt = (&'static str, ::std::option::Option<bool>, ::std::result::Result<(), proof::Problem>, ::std::string::String);

            #[allow(dead_code)]
            impl Report {
                /// `--contract-tests=all`: each operation passes or fails
                /// on its own.
                fn operations(&mut self, title: &str, attempts: ::std::vec::Vec<Attempt>) {
                    for (operation, body, result, status) in attempts {
                        self.called += 1;
                        match body {
                            ::std::option::Option::Some(true) => self.described_bodies += 1,
                            ::std::option::Option::Some(false) => self.assembled_bodies += 1,
                            ::std::option::Option::None => {}
                        }
                        let body = match body {
                            ::std::option::Option::Some(true) => "the description's request example",
                            ::std::option::Option::Some(false) => "an assembled body",
                            ::std::option::Option::None => "no body",
                        };
                        match result {
                            ::std::result::Result::Ok(()) => {
                                self.passed += 1;
                                // An operation that declares no success.
                                if !status.starts_with('2') {
                                    self.declared_errors += 1;
                                }
                                ::std::println!("ok     {title}: {operation} ({body}, {status})");
                            }
                            ::std::result::Result::Err(problem) => self.failures.push(proof::Failure {
                                operation: operation.into(),
                                status,
                                pointer: problem.pointer,
                                class: problem.class,
                                detail: ::std::format!("{title}, {body}: {}", problem.detail),
                            }),
                        }
                    }
                }

                /// `--contract-tests=all`: an operation outside what the
                /// harness calls (a request body that is not JSON).
                fn skipped(&mut self, operation: &str, reason: &str) {
                    self.skipped += 1;
                    ::std::println!("skipped {operation}: {reason}");
                }

                fn not_called(&mut self, title: &str, reason: &str) {
                    ::std::println!("not called {title}: {reason}");
                    self.failures.push(proof::Failure {
                        operation: title.into(),
                        status: "-".into(),
                        pointer: "-".into(),
                        class: "not-called",
                        detail: reason.into(),
                    });
                }

                fn area(&mut self, title: &str, attempts: ::std::vec::Vec<Attempt>) {
                    self.called += 1;
                    let mut ok = true;
                    for with_body in [false, true] {
                        let group: ::std::vec::Vec<&Attempt> = attempts.iter().filter(|a| a.1.is_some() == with_body).collect();
                        if group.is_empty() {
                            continue;
                        }
                        let passed = group.iter().any(|a| a.2.is_ok());
                        if with_body {
                            self.write += 1;
                            self.write_passed += usize::from(passed);
                        } else {
                            self.read += 1;
                            self.read_passed += usize::from(passed);
                        }
                        ok &= passed;
                        for (operation, body, result, status) in group {
                            match body {
                                ::std::option::Option::Some(true) => self.described_bodies += 1,
                                ::std::option::Option::Some(false) => self.assembled_bodies += 1,
                                ::std::option::Option::None => {}
                            }
                            let body = match body {
                                ::std::option::Option::Some(true) => "the description's request example",
                                ::std::option::Option::Some(false) => "an assembled body",
                                ::std::option::Option::None => "no body",
                            };
                            match result {
                                ::std::result::Result::Ok(()) => ::std::println!("ok     {title}: {operation} ({body})"),
                                ::std::result::Result::Err(problem) => {
                                    let failure = proof::Failure {
                                        operation: (*operation).into(),
                                        status: status.clone(),
                                        pointer: problem.pointer.clone(),
                                        class: problem.class,
                                        detail: ::std::format!("{title}, {body}: {}", problem.detail),
                                    };
                                    if passed { self.occurring.push(failure) } else { self.failures.push(failure) }
                                }
                            }
                        }
                    }
                    self.passed += usize::from(ok);
                }
            }

            /// The verdict on a call whose answer is text or bytes: it
            /// succeeded.
            #[allow(dead_code)]
            fn outcome_raw<T>(
                result: ::std::result::Result<crate::ApiResponse<T>, crate::Error>,
            ) -> (::std::result::Result<(), proof::Problem>, ::std::string::String) {
                match result {
                    ::std::result::Result::Ok(response) => (::std::result::Result::Ok(()), response.status.as_str().to_string()),
                    ::std::result::Result::Err(error) => outcome::<()>(::std::result::Result::Err(error)),
                }
            }

            /// The verdict on a call of an operation that declares no
            /// success: an answer with a declared status (`404`, `4XX`,
            /// `default`) to a request Prism found valid (no
            /// `sl-violations`) is what the description promises.
            #[allow(dead_code)]
            fn outcome_declared<T: ::apigen_runtime::Unknown>(
                result: ::std::result::Result<crate::ApiResponse<T>, crate::Error>,
                declared: &[&str],
            ) -> (::std::result::Result<(), proof::Problem>, ::std::string::String) {
                if let ::std::result::Result::Err(crate::Error::Api(api)) = &result {
                    let status = api.status.as_str();
                    let range = ::std::format!("{}XX", &status[..1]);
                    let listed = declared.iter().any(|d| *d == status || *d == range || *d == "default");
                    if listed && !api.headers.contains_key("sl-violations") {
                        return (::std::result::Result::Ok(()), status.to_string());
                    }
                }
                outcome(result)
            }

            /// The strict verdict on one call, and the status it got.
            fn outcome<T: ::apigen_runtime::Unknown>(
                result: ::std::result::Result<crate::ApiResponse<T>, crate::Error>,
            ) -> (::std::result::Result<(), proof::Problem>, ::std::string::String) {
                match result {
                    ::std::result::Result::Ok(response) => {
                        let unknown = ::apigen_runtime::Unknown::unknown_paths(&response.result);
                        let verdict = match unknown.first() {
                            ::std::option::Option::None => ::std::result::Result::Ok(()),
                            ::std::option::Option::Some(first) => ::std::result::Result::Err(proof::Problem {
                                class: "response-unknown",
                                pointer: first.clone(),
                                detail: ::std::format!("the answer has parts the generated types did not hold: {unknown:?}"),
                            }),
                        };
                        (verdict, response.status.as_str().to_string())
                    }
                    ::std::result::Result::Err(crate::Error::Api(api)) => {
                        let violations = api.headers.get("sl-violations").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                        let class = if api.status.is_server_error() { "prism-error" } else { "prism-refused-request" };
                        (::std::result::Result::Err(proof::Problem {
                            class,
                            pointer: "-".into(),
                            detail: ::std::format!("{}; {violations}; {}", api.status, ::std::string::String::from_utf8_lossy(&api.body)),
                        }), api.status.as_str().to_string())
                    }
                    ::std::result::Result::Err(crate::Error::Decode(decode)) => {
                        let class = match proof::decode_class(&decode.message) {
                            "example-missing-required" => "response-missing-required",
                            _ => "response-type-mismatch",
                        };
                        (::std::result::Result::Err(proof::Problem {
                            class,
                            pointer: proof::pointer_of_path(&decode.path),
                            detail: ::std::format!("{}: {}", decode.message, ::std::string::String::from_utf8_lossy(&decode.body)),
                        }), decode.status.as_str().to_string())
                    }
                    ::std::result::Result::Err(error) => (::std::result::Result::Err(proof::Problem {
                        class: "transport",
                        pointer: "-".into(),
                        detail: error.to_string(),
                    }), "-".into()),
                }
            }

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
                #verdict
            }
        }
    }
}

/// One attempt: build the body from its example, call, record the outcome.
fn call(model: &Model, candidate: &Candidate, every: bool) -> Option<TokenStream> {
    let op = candidate.op;
    let chain = crate::emit::accessor_chain(model, op.resource);
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
    // Required query, header and cookie parameters: numbers, booleans and
    // strings as literals, anything else decoded from JSON first.
    let mut decodes = Vec::new();
    let required_params = op
        .params
        .and_then(|(id, _)| match &model.types[id.0].kind {
            TypeKind::Params { fields } => Some(fields),
            _ => None,
        })
        .into_iter()
        .flatten()
        .filter(|p| p.field.presence == Presence::Required);
    for (index, (param, value)) in required_params.zip(&candidate.param_values).enumerate() {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        args.push(match (&param.field.ty, value) {
            (TypeRef::Integer(_), Value::Number(n)) if n.is_i64() => {
                let n = proc_macro2::Literal::i64_unsuffixed(n.as_i64().unwrap_or(1));
                quote!(#n)
            }
            (TypeRef::Number, Value::Number(n)) => {
                let n = n.as_f64().unwrap_or(1.0);
                quote!(::apigen_runtime::Number::from(#n))
            }
            (TypeRef::Float, Value::Number(n)) => {
                let n = n.as_f64().unwrap_or(1.0);
                quote!(#n)
            }
            (TypeRef::Bool, Value::Bool(b)) => quote!(#b),
            (TypeRef::String, _) => quote!(#text),
            (ty, value) => {
                let binding = ident(&format!("param_{index}"));
                let ty = rust_type_from_root(model, ty);
                let what = format!("the `{}` parameter", param.field.wire);
                decodes.push((binding.clone(), ty, value.to_string(), what));
                quote!(&#binding)
            }
        });
    }
    let required = op.body.as_ref().is_some_and(|b| b.required);
    match (&candidate.body, op.body.as_ref().map(|b| &b.kind)) {
        (Some(_), _) if required => args.push(quote!(&body)),
        (Some(_), _) => args.push(quote!(::std::option::Option::Some(&body))),
        (None, Some(BodyKind::Json(TypeRef::Unit))) => {
            args.push(quote!(::std::option::Option::None::<&()>))
        }
        (None, Some(BodyKind::Json(ty))) => {
            let ty = rust_type_from_root(model, ty);
            args.push(quote!(::std::option::Option::None::<&#ty>))
        }
        (None, Some(_)) => return None,
        (None, None) => {}
    }
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
    let (client, extra) = if every {
        (quote!(key), quote!())
    } else if schemes.is_empty() || has("api_email") {
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
    // Text and bytes have no types to check: the call succeeding is all.
    let (outcome, declared) = match op.response.decode {
        _ if every && !candidate.declared_errors.is_empty() => {
            let declared = &candidate.declared_errors;
            (quote!(outcome_declared), quote!(, &[#(#declared),*]))
        }
        Decode::Text | Decode::Bytes => (quote!(outcome_raw), quote!()),
        _ => (quote!(outcome), quote!()),
    };
    let send = quote! {
        // Boxed: one future per call keeps the test's state machine small.
        #[allow(deprecated)]
        let (verdict, status) = #outcome(::std::boxed::Box::pin(#client #(.#chain())* .#method(#(#args),*)#extra.send()).await #declared);
    };
    let described = match &candidate.body {
        None => quote!(::std::option::Option::None),
        Some(body) => {
            let Some(BodyKind::Json(body_ty)) = op.body.as_ref().map(|b| &b.kind) else {
                return None;
            };
            let described = body.from_description;
            decodes.push((
                ident("body"),
                rust_type_from_root(model, body_ty),
                body.json.clone(),
                "the request body".to_string(),
            ));
            quote!(::std::option::Option::Some(#described))
        }
    };
    // Each value decoded from JSON wraps the call: one that does not decode
    // is the attempt's failure.
    let mut block = quote! {
        #send
        attempts.push((#id, #described, verdict, status));
    };
    for (binding, ty, json, what) in decodes.into_iter().rev() {
        block = quote! {
            match ::serde_json::from_str::<#ty>(#json) {
                ::std::result::Result::Ok(#binding) => {
                    #block
                }
                ::std::result::Result::Err(error) => {
                    let message = error.to_string();
                    attempts.push((#id, #described, ::std::result::Result::Err(proof::Problem {
                        class: proof::decode_class(&message),
                        pointer: "-".into(),
                        detail: ::std::format!("{} does not decode into its type: {message}", #what),
                    }), "-".into()));
                }
            }
        };
    }
    Some(quote! {
        {
            #block
        }
    })
}
