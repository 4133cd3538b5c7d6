//! The example harness: the test module emitted into the generated crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Case, Class, Skipped};
use crate::model::{Decode, Model, OperationDef};

/// round-trips every case strictly (see [`support`] for the verdict): a 2xx
/// example through the operation's result type, a 4xx example's `errors`
/// and `messages` through the runtime's `Message`.
///
/// Responses that cannot be exercised (`skipped`: not JSON, no example; and
/// 2xx examples of methods that do not decode JSON) are reported too, each
/// with its reason, as failures of class `not-exercised`: the known errors
/// file lists them like the others, so the list is asserted.
pub fn harness(model: &Model, cases: &[Case], skipped: &[Skipped]) -> TokenStream {
    let find = |id: &str| model.operations.iter().find(|o| o.operation_id == id);
    let skip = |op: &OperationDef, status: &str, reason: &str| {
        let feature = &model.areas[op.area.0].feature;
        let id = &op.operation_id;
        quote! {
            #[cfg(feature = #feature)]
            report.skip(#id, #status, #reason);
        }
    };
    let checks = cases.iter().filter_map(|case| {
        let op = find(&case.operation_id)?;
        let feature = &model.areas[op.area.0].feature;
        let id = &case.operation_id;
        let status = &case.status;
        let pointer = &case.pointer;
        let whole = case.whole;
        let undeclared = &case.undeclared;
        let json = serde_json::to_string(&case.value).ok()?;
        let check = match case.class {
            Class::Success => {
                if !matches!(op.response.decode, Decode::Envelope | Decode::Json) {
                    return Some(skip(op, status, "the method does not decode JSON"));
                }
                let ty = crate::emit::rust_type_from_root(model, &op.response.ty);
                quote!(check::<#ty>)
            }
            Class::Error => quote!(check_error),
        };
        Some(quote! {
            #[cfg(feature = #feature)]
            report.#check(#id, #status, #pointer, #whole, #json, &[#(#undeclared),*]);
        })
    });
    let skips = skipped.iter().filter_map(|skipped| {
        let op = find(&skipped.operation_id)?;
        Some(skip(op, &skipped.status, &skipped.reason))
    });
    let checks = checks.chain(skips);
    let support = support();
    quote! {
        /// Strict round trips of the description's examples (generated with
        /// `--example-tests`).
        #[cfg(test)]
        mod spec_examples {
            #support

            #[derive(Default)]
            struct Report {
                cases: usize,
                success: usize,
                success_passed: usize,
                error: usize,
                error_passed: usize,
                assembled: usize,
                not_exercised: usize,
                failures: ::std::vec::Vec<proof::Failure>,
            }

            impl Report {
                fn check<T>(&mut self, operation: &str, status: &str, from: &str, whole: bool, json: &str, undeclared: &[&str])
                where
                    T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::apigen_runtime::Unknown,
                {
                    self.success += 1;
                    let verdict = proof::strict::<T>(json, "", undeclared);
                    if verdict.is_ok() {
                        self.success_passed += 1;
                    }
                    self.record(operation, status, from, whole, verdict);
                }

                fn check_error(&mut self, operation: &str, status: &str, from: &str, whole: bool, json: &str, undeclared: &[&str]) {
                    self.error += 1;
                    let verdict = proof::strict_error_body(json, undeclared);
                    if verdict.is_ok() {
                        self.error_passed += 1;
                    }
                    self.record(operation, status, from, whole, verdict);
                }

                fn skip(&mut self, operation: &str, status: &str, reason: &str) {
                    self.not_exercised += 1;
                    self.failures.push(proof::Failure {
                        operation: operation.into(),
                        status: status.into(),
                        pointer: ::std::string::String::new(),
                        class: "not-exercised".into(),
                        detail: reason.into(),
                    });
                }

                fn record(&mut self, operation: &str, status: &str, from: &str, whole: bool, verdict: ::std::result::Result<(), proof::Problem>) {
                    self.cases += 1;
                    if !whole {
                        self.assembled += 1;
                    }
                    if let ::std::result::Result::Err(problem) = verdict {
                        self.failures.push(proof::Failure {
                            operation: operation.into(),
                            status: status.into(),
                            pointer: problem.pointer,
                            class: problem.class,
                            detail: ::std::format!("{} (example at {from})", problem.detail),
                        });
                    }
                }
            }

            #[test]
            fn examples_round_trip() {
                let mut report = Report::default();
                #(#checks)*
                let known = proof::Known::from_env("APIGEN_KNOWN_EXAMPLE_ERRORS");
                let passed = report.success_passed + report.error_passed;
                ::std::println!(
                    "examples: {passed} of {} round-trip strictly ({} of {} 2xx, {} of {} 4xx; {} assembled from property examples)",
                    report.cases, report.success_passed, report.success, report.error_passed, report.error, report.assembled,
                );
                proof::verdict(
                    "examples",
                    &known,
                    &[
                        ("cases", report.cases),
                        ("passed", passed),
                        ("2xx cases", report.success),
                        ("2xx passed", report.success_passed),
                        ("4xx cases", report.error),
                        ("4xx passed", report.error_passed),
                        ("not exercised", report.not_exercised),
                    ],
                    &report.failures,
                    &[],
                );
            }
        }
    }
}

/// The verdict logic shared by the example and contract harnesses, emitted
/// as a module `proof` inside each: strict decoding (nothing in an `extra`
/// map or `Unknown` variant unless the example carries something the
/// description does not declare), failures classified, and compared with
/// the known errors file, entry by entry, with stale entries and expected
/// counts checked.
///
/// The known-errors file is Markdown: each table row whose first four cells
/// are `` `operationId` ``, `` `status` ``, `` `pointer` `` and `` `class` ``
/// excuses exactly that failure; lines `expected <name>: <n>` (in any
/// block) state the counts the test asserts.
pub fn support() -> TokenStream {
    quote! {
        #[allow(dead_code)]
        mod proof {
            use ::std::string::{String, ToString};
            use ::std::vec::Vec;
            use ::std::format;

            /// Why a case failed: a class, the JSON pointer of the spot, details.
            #[derive(Debug)]
            pub struct Problem {
                pub class: &'static str,
                pub pointer: String,
                pub detail: String,
            }

            /// A failure of one case.
            #[derive(Debug)]
            pub struct Failure {
                pub operation: String,
                pub status: String,
                pub pointer: String,
                pub class: &'static str,
                pub detail: String,
            }

            impl Failure {
                fn key(&self) -> [&str; 4] {
                    [&self.operation, &self.status, &self.pointer, self.class]
                }
            }

            /// The known errors and expected counts of a Markdown file.
            #[derive(Debug, Default)]
            pub struct Known {
                pub entries: Vec<[String; 4]>,
                pub expected: Vec<(String, usize)>,
            }

            impl Known {
                pub fn from_env(variable: &str) -> Known {
                    match ::std::env::var(variable) {
                        ::std::result::Result::Ok(path) => Known::parse(
                            &::std::fs::read_to_string(&path)
                                .unwrap_or_else(|e| ::std::panic!("{variable}={path}: {e}")),
                        ),
                        ::std::result::Result::Err(_) => Known::default(),
                    }
                }

                pub fn parse(text: &str) -> Known {
                    let mut known = Known::default();
                    for line in text.lines() {
                        let line = line.trim();
                        if let ::std::option::Option::Some(rest) = line.strip_prefix("expected ") {
                            if let ::std::option::Option::Some((name, count)) = rest.split_once(':') {
                                let digits: String = count.chars().filter(char::is_ascii_digit).collect();
                                if let ::std::result::Result::Ok(n) = digits.parse() {
                                    known.expected.push((name.trim().to_string(), n));
                                }
                            }
                            continue;
                        }
                        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                        if cells.len() < 6 || !cells[1].starts_with('`') {
                            continue;
                        }
                        let code = |cell: &str| cell.trim_matches('`').to_string();
                        known.entries.push([code(cells[1]), code(cells[2]), code(cells[3]), code(cells[4])]);
                    }
                    known
                }

                fn lists(&self, key: [&str; 4]) -> bool {
                    self.entries.iter().any(|e| e.iter().zip(key).all(|(a, b)| a == b))
                }
            }

            /// Checks failures against the known errors: each failure listed
            /// exactly, each entry still occurring (among `failures` or
            /// `occurring`), each expected count met. Panics otherwise.
            pub fn verdict(name: &str, known: &Known, counts: &[(&str, usize)], failures: &[Failure], occurring: &[Failure]) {
                let mut problems = Vec::new();
                for failure in failures {
                    let listed = known.lists(failure.key());
                    ::std::println!(
                        "{} | `{}` | `{}` | `{}` | `{}` | {} |",
                        if listed { "known " } else { "FAILED" },
                        failure.operation, failure.status, failure.pointer, failure.class, failure.detail,
                    );
                    if !listed {
                        problems.push(format!("not a known error: `{}` `{}` `{}` `{}`: {}", failure.operation, failure.status, failure.pointer, failure.class, failure.detail));
                    }
                }
                // Failures that did not fail their area (another call of the
                // same kind passed): shown, and they keep their entries fresh.
                for failure in occurring {
                    ::std::println!(
                        "other  | `{}` | `{}` | `{}` | `{}` | {} |",
                        failure.operation, failure.status, failure.pointer, failure.class, failure.detail,
                    );
                }
                for entry in &known.entries {
                    let key = [entry[0].as_str(), entry[1].as_str(), entry[2].as_str(), entry[3].as_str()];
                    if !failures.iter().chain(occurring).any(|f| f.key() == key) {
                        problems.push(format!("stale entry: remove it: `{}` `{}` `{}` `{}`", key[0], key[1], key[2], key[3]));
                    }
                }
                for (count, actual) in counts {
                    match known.expected.iter().find(|(n, _)| n == count) {
                        ::std::option::Option::Some((_, expected)) if expected != actual => problems.push(
                            format!("expected {count}: {expected}, but it is {actual} (a regen that changes it updates the known errors file)"),
                        ),
                        ::std::option::Option::Some(_) => {}
                        ::std::option::Option::None => ::std::println!("{name}: no `expected {count}:` line; it is {actual}"),
                    }
                }
                for problem in &problems {
                    ::std::println!("{name}: {problem}");
                }
                ::std::assert!(problems.is_empty(), "{name}: {} problem(s):\n{}", problems.len(), problems.join("\n"));
            }

            /// Equal as JSON, with numbers compared by value (`3600` and `3600.0`).
            pub fn same(a: &::serde_json::Value, b: &::serde_json::Value) -> bool {
                use ::serde_json::Value;
                match (a, b) {
                    (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                    (Value::Array(x), Value::Array(y)) => {
                        x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
                    }
                    (Value::Object(x), Value::Object(y)) => {
                        x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
                    }
                    _ => a == b,
                }
            }

            /// A serde path (`result.items[0].name`) as a JSON pointer.
            pub fn pointer_of_path(path: &str) -> String {
                let mut pointer = String::new();
                for part in path.split('.').filter(|p| !p.is_empty() && *p != "?") {
                    let mut rest = part;
                    if let ::std::option::Option::Some(open) = rest.find('[') {
                        if open > 0 {
                            pointer = ::apigen_runtime::join_pointer(&pointer, &rest[..open]);
                        }
                        rest = &rest[open..];
                        for index in rest.split(['[', ']']).filter(|s| !s.is_empty()) {
                            pointer = ::apigen_runtime::join_pointer(&pointer, index);
                        }
                    } else {
                        pointer = ::apigen_runtime::join_pointer(&pointer, rest);
                    }
                }
                pointer
            }

            /// The class of a decoding error.
            pub fn decode_class(message: &str) -> &'static str {
                if message.contains("missing field") {
                    "example-missing-required"
                } else {
                    "example-type-mismatch"
                }
            }

            /// What the types did not hold: `Ok` when nothing; else the first
            /// unknown pointer, classed `example-undeclared` when the example
            /// carries something the description does not declare there, else
            /// `lost-declared` (the generated types dropped something the
            /// description declares).
            pub fn unknown_verdict(unknown: &[String], undeclared: &[&str]) -> ::std::result::Result<(), Problem> {
                let explained = |u: &String| undeclared.iter().any(|d| {
                    *d == u.as_str() || d.strip_prefix(u.as_str()).is_some_and(|r| r.starts_with('/'))
                });
                if let ::std::option::Option::Some(lost) = unknown.iter().find(|u| !explained(u)) {
                    return ::std::result::Result::Err(Problem {
                        class: "lost-declared",
                        pointer: lost.clone(),
                        detail: format!("the generated types put declared parts in `extra`/`Unknown`: {unknown:?}"),
                    });
                }
                match unknown.first() {
                    ::std::option::Option::None => ::std::result::Result::Ok(()),
                    ::std::option::Option::Some(first) => ::std::result::Result::Err(Problem {
                        class: "example-undeclared",
                        pointer: first.clone(),
                        detail: format!("the example carries what the description does not declare: {unknown:?}"),
                    }),
                }
            }

            /// Decodes `json` as `T` and checks it strictly: it decodes, holds
            /// everything in its types, and encodes back to the same JSON.
            /// `at` prefixes the pointers reported.
            pub fn strict<T>(json: &str, at: &str, undeclared: &[&str]) -> ::std::result::Result<(), Problem>
            where
                T: ::serde::de::DeserializeOwned + ::serde::Serialize + ::apigen_runtime::Unknown,
            {
                let example: ::serde_json::Value = ::serde_json::from_str(json).map_err(|e| Problem {
                    class: "not-json", pointer: at.to_string(), detail: e.to_string(),
                })?;
                let mut deserializer = ::serde_json::Deserializer::from_str(json);
                let decoded: T = ::serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
                    let message = e.inner().to_string();
                    Problem {
                        class: decode_class(&message),
                        pointer: format!("{at}{}", pointer_of_path(&e.path().to_string())),
                        detail: format!("decode at `{}`: {message}", e.path()),
                    }
                })?;
                let unknown: ::std::vec::Vec<::std::string::String> =
                    ::apigen_runtime::Unknown::unknown_paths(&decoded)
                        .into_iter()
                        .map(|path| format!("{at}{path}"))
                        .collect();
                unknown_verdict(&unknown, undeclared)?;
                let back = ::serde_json::to_value(&decoded).map_err(|e| Problem {
                    class: "encode", pointer: at.to_string(), detail: e.to_string(),
                })?;
                if same(&back, &example) {
                    ::std::result::Result::Ok(())
                } else {
                    ::std::result::Result::Err(Problem {
                        class: "round-trip-changed",
                        pointer: at.to_string(),
                        detail: format!("encoded back as {back}"),
                    })
                }
            }

            /// A 4xx body, as the client reads it: its `errors` and `messages`
            /// lists, each strictly through the runtime's `Message`.
            pub fn strict_error_body(json: &str, undeclared: &[&str]) -> ::std::result::Result<(), Problem> {
                let body: ::serde_json::Value = ::serde_json::from_str(json).map_err(|e| Problem {
                    class: "not-json", pointer: String::new(), detail: e.to_string(),
                })?;
                let mut lists = 0;
                for key in ["errors", "messages"] {
                    if let ::std::option::Option::Some(list) = body.get(key) {
                        lists += 1;
                        strict::<Vec<::apigen_runtime::Message>>(&list.to_string(), &format!("/{key}"), undeclared)?;
                    }
                }
                if lists == 0 {
                    return ::std::result::Result::Err(Problem {
                        class: "error-without-errors",
                        pointer: String::new(),
                        detail: "the error body has neither `errors` nor `messages`".into(),
                    });
                }
                ::std::result::Result::Ok(())
            }
        }
    }
}
