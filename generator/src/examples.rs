//! Proof against the spec's own examples: for every operation, the example of
//! its response (a whole one where the spec gives it, else assembled from its
//! properties' examples) is decoded into the generated type and encoded back,
//! and the two must be equal.
//!
//! [`collect`] finds the examples; [`harness`] emits a test module that runs
//! the round trips inside the generated crate and checks each failure is
//! listed as a known error of the description.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use crate::model::{Decode, Model, OperationDef};
use crate::normalize::Normalizer;
use crate::spec::{json_media, Schema, SchemaKind, Spec};

/// Which response an example belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A 2xx response: decoded into the operation's result type (the
    /// envelope's `result`, or the whole body).
    Success,
    /// A 4xx response: its `errors` and `messages` decoded into the
    /// runtime's `Message`, as the client does for an `Error::Api`.
    Error,
}

/// One example to round-trip.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The operation whose response it belongs to.
    pub operation_id: String,
    /// The response's status as the description writes it (`200`, `4XX`).
    pub status: String,
    /// Success or error response.
    pub class: Class,
    /// JSON pointer of the schema (or media type) the example came from.
    pub pointer: String,
    /// Whether the spec gives the example whole (rather than assembled from
    /// properties' examples).
    pub whole: bool,
    /// The example of the value the generated method returns (for an error
    /// response: the whole body).
    pub value: Value,
    /// JSON pointers (into `value`) of properties and enum values the example
    /// carries that the description does not declare: the only places the
    /// strict round trip may find in an `extra` map or `Unknown` variant
    /// without blaming the generator.
    pub undeclared: Vec<String>,
}

/// A response the collector cannot round-trip, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The operation.
    pub operation_id: String,
    /// The response status.
    pub status: String,
    /// Why it is not exercised.
    pub reason: String,
}

/// The examples of every operation's 2xx and 4xx responses, in operation
/// order.
#[cfg(test)]
pub fn collect(spec: &Spec) -> Vec<Case> {
    collect_all(spec).0
}

/// The examples, and the responses that have none to round-trip (with why).
pub fn collect_all(spec: &Spec) -> (Vec<Case>, Vec<Skipped>) {
    let normalizer = Normalizer::new(&spec.schemas);
    let mut cases = Vec::new();
    let mut skipped = Vec::new();
    for op in &spec.operations {
        for response in &op.responses {
            let class = match response.status.as_bytes().first() {
                Some(b'2') => Class::Success,
                Some(b'4') => Class::Error,
                _ => continue,
            };
            let skip = |reason: &str| Skipped {
                operation_id: op.id.clone(),
                status: response.status.clone(),
                reason: reason.into(),
            };
            if response.content.is_empty() {
                continue;
            }
            let Some(media) = json_media(&response.content) else {
                skipped.push(skip("not JSON"));
                continue;
            };
            match case(&normalizer, op, response, media, class) {
                Some(case) => cases.push(case),
                None => skipped.push(skip("no example, and none can be assembled")),
            }
        }
    }
    (cases, skipped)
}

fn case(
    normalizer: &Normalizer,
    op: &crate::spec::Operation,
    response: &crate::spec::Response,
    media: &crate::spec::MediaType,
    class: Class,
) -> Option<Case> {
    let schema = media.schema.as_ref()?;
    // The envelope's `result` (for a success), or the whole body.
    let resolved = normalizer.resolve(schema).ok();
    let result = match (class, resolved.as_ref().map(|r| &r.kind)) {
        (Class::Success, Some(SchemaKind::Object(o))) if o.is_envelope() => {
            Some(o.properties.get("result").cloned()?)
        }
        _ => None,
    };
    let target = result.as_ref().unwrap_or(schema);
    let (value, pointer, whole) = match (&result, &media.example) {
        (Some(_), Some(example)) => (
            example.get("result")?.clone(),
            media_pointer(response, media),
            true,
        ),
        (None, Some(example)) => (example.clone(), media_pointer(response, media), true),
        (_, None) => {
            let (value, whole) = example_of(normalizer, target, &mut 0)?;
            (value, target.pointer.clone(), whole)
        }
    };
    let mut undeclared_at = Vec::new();
    undeclared(normalizer, target, &value, "", &mut undeclared_at, 0);
    Some(Case {
        operation_id: op.id.clone(),
        status: response.status.clone(),
        class,
        pointer,
        whole,
        value,
        undeclared: undeclared_at,
    })
}

/// Appends the pointers of the parts of `value` that `schema` does not
/// declare: properties of an object that lists its properties and allows no
/// others by schema, and string or integer values outside an `enum`. For a
/// union, the branch declaring most of the value is taken.
pub fn undeclared(
    normalizer: &Normalizer,
    schema: &Schema,
    value: &Value,
    at: &str,
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let Ok(resolved) = normalizer.resolve(schema).result else {
        return;
    };
    let join = |key: &str| {
        let key = key.replace('~', "~0").replace('/', "~1");
        format!("{at}/{key}")
    };
    match (&resolved.kind, value) {
        (SchemaKind::Object(object), Value::Object(map)) => {
            for (key, item) in map {
                match (object.properties.get(key), &object.additional) {
                    (Some(property), _) => {
                        undeclared(normalizer, property, item, &join(key), out, depth + 1)
                    }
                    (None, Some(additional)) => {
                        undeclared(normalizer, additional, item, &join(key), out, depth + 1)
                    }
                    (None, None) => out.push(join(key)),
                }
            }
        }
        (SchemaKind::Array(items), Value::Array(list)) => {
            for (index, item) in list.iter().enumerate() {
                undeclared(
                    normalizer,
                    items,
                    item,
                    &join(&index.to_string()),
                    out,
                    depth + 1,
                );
            }
        }
        (SchemaKind::String { values, .. }, Value::String(text))
            if !values.is_empty() && !values.iter().flatten().any(|v| v == text) =>
        {
            out.push(at.to_string());
        }
        (SchemaKind::Integer { values, .. }, Value::Number(n))
            if !values.is_empty() && !n.as_i64().is_some_and(|n| values.contains(&n)) =>
        {
            out.push(at.to_string());
        }
        (SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants), _) => {
            let best = variants
                .iter()
                .map(|variant| {
                    let mut found = Vec::new();
                    undeclared(normalizer, variant, value, at, &mut found, depth + 1);
                    found
                })
                .min_by_key(Vec::len);
            out.extend(best.unwrap_or_default());
        }
        _ => {}
    }
}

fn media_pointer(response: &crate::spec::Response, media: &crate::spec::MediaType) -> String {
    crate::diagnostic::join(
        &crate::diagnostic::join(&format!("{}/content", response.pointer), &media.media_type),
        "example",
    )
}

/// The example of a schema: its own, or one assembled from its parts.
pub fn example(normalizer: &Normalizer, schema: &Schema) -> Option<Value> {
    example_of(normalizer, schema, &mut 0).map(|(value, _)| value)
}

/// The example of a schema: its own, or one assembled from its parts.
/// Returns the value and whether it was given whole.
fn example_of(
    normalizer: &Normalizer,
    schema: &Schema,
    depth: &mut usize,
) -> Option<(Value, bool)> {
    if let Some(example) = &schema.example {
        return Some((example.clone(), true));
    }
    if *depth > 12 {
        return None;
    }
    *depth += 1;
    let resolved = normalizer.resolve(schema).ok();
    let result = resolved.and_then(|resolved| {
        if let Some(example) = &resolved.example {
            return Some((example.clone(), true));
        }
        match &resolved.kind {
            SchemaKind::Object(object) => {
                let mut map = Map::new();
                for (name, property) in &object.properties {
                    if let Some((value, _)) = example_of(normalizer, property, depth) {
                        map.insert(name.clone(), value);
                    }
                }
                if map.is_empty() {
                    return None;
                }
                // A required property without an example gets the simplest
                // value of its type, so the assembled object is a valid one.
                for name in &object.required {
                    if let (false, Some(property)) =
                        (map.contains_key(name), object.properties.get(name))
                    {
                        if let Some(value) = simplest(normalizer, property, depth) {
                            map.insert(name.clone(), value);
                        }
                    }
                }
                Some((Value::Object(map), false))
            }
            SchemaKind::Array(items) => {
                example_of(normalizer, items, depth).map(|(v, _)| (Value::Array(vec![v]), false))
            }
            SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants) => variants
                .iter()
                .find_map(|v| example_of(normalizer, v, depth)),
            _ => None,
        }
    });
    *depth -= 1;
    result
}

/// The simplest valid value of a schema: the first enum value, an empty
/// string or collection, zero, false, or an object of its required parts.
fn simplest(normalizer: &Normalizer, schema: &Schema, depth: &mut usize) -> Option<Value> {
    if *depth > 12 {
        return None;
    }
    let resolved = normalizer.resolve(schema).ok()?;
    if resolved.nullable {
        return Some(Value::Null);
    }
    *depth += 1;
    let value = match &resolved.kind {
        SchemaKind::String { values, .. } => Some(Value::String(
            values.iter().flatten().next().cloned().unwrap_or_default(),
        )),
        SchemaKind::Integer { values, .. } => {
            Some(Value::from(values.first().copied().unwrap_or(0)))
        }
        SchemaKind::Number { .. } => Some(Value::from(0)),
        SchemaKind::Boolean => Some(Value::Bool(false)),
        SchemaKind::Array(_) => Some(Value::Array(Vec::new())),
        SchemaKind::Object(object) => {
            let mut map = Map::new();
            for name in &object.required {
                if let Some(property) = object.properties.get(name) {
                    map.insert(name.clone(), simplest(normalizer, property, depth)?);
                }
            }
            Some(Value::Object(map))
        }
        SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants) => {
            variants.iter().find_map(|v| simplest(normalizer, v, depth))
        }
        _ => Some(Value::Null),
    };
    *depth -= 1;
    value
}

/// A `#[cfg(test)]` module for the generated crate's `lib.rs` that
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small description: an area whose operations only read (with an
    /// `enum` path parameter, a 4xx example and two operations sharing one
    /// placeholder schema), and an area that writes.
    pub(crate) const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Fixture, version: "1"}
paths:
  /zones/{zone_id}/settings/{setting_id}:
    get:
      operationId: setting-get
      tags: [Settings]
      parameters:
        - {name: zone_id, in: path, required: true, schema: {type: string, example: zone-1}}
        - {name: setting_id, in: path, required: true, schema: {type: string, enum: [ciphers, min_tls_version]}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/setting_response"}
        "400":
          description: bad
          content:
            application/json:
              example: {success: false, errors: [{code: 1000, message: bad, hint: undeclared}], messages: []}
              schema: {$ref: "#/components/schemas/failure"}
  /zones/{zone_id}/settings:
    get:
      operationId: settings-list
      tags: [Settings]
      parameters:
        - {name: zone_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/setting_response"}
  /things:
    post:
      operationId: thing-create
      tags: [Things]
      requestBody:
        required: true
        content:
          application/json:
            example: {name: first}
            schema: {$ref: "#/components/schemas/thing"}
      responses:
        "201":
          description: created
          content:
            application/json:
              example: {name: first, colour: blue}
              schema: {$ref: "#/components/schemas/thing"}
components:
  schemas:
    failure:
      type: object
      properties:
        success: {type: boolean}
        errors: {type: array, items: {type: object, properties: {code: {type: integer}, message: {type: string}}}}
        messages: {type: array, items: {type: object}}
    setting_response:
      type: object
      required: [success, errors, messages, result]
      properties:
        success: {type: boolean}
        errors: {type: array, items: {type: object}}
        messages: {type: array, items: {type: object}}
        result: {$ref: "#/components/schemas/setting"}
    setting:
      type: object
      example: {id: ciphers, value: strict, extra_note: x}
      properties:
        id: {type: string}
        value: {type: string, enum: [lax, medium]}
    thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
"##;

    /// The spec and model of a YAML description.
    pub(crate) fn fixture(yaml: &str) -> (Spec, Model) {
        let file = crate::load::parse("fixture.yaml".into(), yaml.to_string()).expect("parses");
        let merged = crate::merge::merge(vec![file]).expect("merges");
        let (spec, diagnostics) =
            crate::front::check_and_read(&merged.document, &merged.origins).expect("OpenAPI");
        assert!(!diagnostics.iter().any(|d| d.is_error()), "{diagnostics:?}");
        let (model, _) = crate::lower::lower(&spec, &merged.origins);
        (spec, model)
    }

    fn find<'c>(cases: &'c [Case], operation: &str, status: &str) -> &'c Case {
        cases
            .iter()
            .find(|c| c.operation_id == operation && c.status == status)
            .unwrap_or_else(|| panic!("no case {operation} {status}: {cases:#?}"))
    }

    #[test]
    fn collects_every_2xx_and_4xx_example_with_its_status() {
        let (spec, _) = fixture(SPEC);
        let (cases, skipped) = collect_all(&spec);
        let mut keys: Vec<(&str, &str, Class)> = cases
            .iter()
            .map(|c| (c.operation_id.as_str(), c.status.as_str(), c.class))
            .collect();
        keys.sort_by_key(|k| (k.0, k.1));
        assert_eq!(
            keys,
            [
                ("setting-get", "200", Class::Success),
                ("setting-get", "400", Class::Error),
                ("settings-list", "200", Class::Success),
                ("thing-create", "201", Class::Success),
            ]
        );
        assert!(skipped.is_empty(), "{skipped:?}");
    }

    #[test]
    fn responses_that_cannot_be_exercised_are_reported_with_why() {
        let (spec, model) = fixture(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /text:
    get:
      operationId: text-get
      tags: [T]
      responses:
        '200':
          description: OK
          content:
            text/plain:
              schema: {type: string}
        '404':
          description: No example to give
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
"#,
        );
        let (cases, skipped) = collect_all(&spec);
        assert!(cases.is_empty(), "{cases:?}");
        let reasons: Vec<(&str, &str, &str)> = skipped
            .iter()
            .map(|s| {
                (
                    s.operation_id.as_str(),
                    s.status.as_str(),
                    s.reason.as_str(),
                )
            })
            .collect();
        assert_eq!(
            reasons,
            [
                ("text-get", "200", "not JSON"),
                ("text-get", "404", "no example, and none can be assembled"),
            ]
        );
        let text = harness(&model, &cases, &skipped).to_string();
        assert!(
            text.contains(r#"report . skip ("text-get" , "200" , "not JSON")"#),
            "{text}"
        );
        assert!(text.contains(r#""not exercised""#), "the count is asserted");
    }

    #[test]
    fn a_shared_placeholder_gives_one_case_per_operation() {
        let (spec, _) = fixture(SPEC);
        let cases = collect(&spec);
        let get = find(&cases, "setting-get", "200");
        let list = find(&cases, "settings-list", "200");
        // Same example, same pointer, two operations: an excuse keyed by
        // operation covers only its own.
        assert_eq!(get.pointer, list.pointer);
        assert_eq!(get.value, list.value);
        assert!(get.whole && list.whole);
    }

    #[test]
    fn undeclared_properties_and_enum_values_are_located() {
        let (spec, _) = fixture(SPEC);
        let cases = collect(&spec);
        assert_eq!(
            find(&cases, "setting-get", "200").undeclared,
            ["/extra_note", "/value"]
        );
        assert_eq!(
            find(&cases, "setting-get", "400").undeclared,
            ["/errors/0/hint"]
        );
        assert_eq!(find(&cases, "thing-create", "201").undeclared, ["/colour"]);
    }

    #[test]
    fn the_harness_checks_errors_strictly_and_passes_the_undeclared_paths() {
        let (spec, model) = fixture(SPEC);
        let (cases, skipped) = collect_all(&spec);
        let text = harness(&model, &cases, &skipped).to_string();
        assert!(text.contains("check_error"), "4xx examples are checked");
        assert!(text.contains("\"/errors/0/hint\""));
        assert!(text.contains("stale entry: remove it"));
        assert!(text.contains("lost-declared"));
    }
}
