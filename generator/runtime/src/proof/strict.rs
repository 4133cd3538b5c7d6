//! Strict decoding of an example, and the report of the example proof.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::known::assert_verdict;
use super::{declared_problems, decode_class, pointer_of_path, Failure, Known, Problem};
use crate::Unknown;

/// Every problem of decoding `json` as `T` strictly: it must decode (else
/// that is the one problem), hold everything the description declares in
/// its types (each part in an `extra` map or `Unknown` variant is a
/// problem: `example-undeclared` where the example carries what the
/// description does not declare, at or below one of the `undeclared`
/// pointers, else `lost-declared`), hold it in the fields the description
/// names (`declared-not-held`, found without [`Unknown`]), and encode back
/// to the same JSON (`round-trip-changed`, at the first difference). `at`
/// prefixes the pointers reported. Empty when the example passes.
pub fn strict<T>(json: &str, at: &str, undeclared: &[&str]) -> Vec<Problem>
where
    T: DeserializeOwned + Serialize,
{
    let example: Value = match serde_json::from_str(json) {
        Ok(example) => example,
        Err(e) => return vec![Problem::new("not-json", at, e.to_string())],
    };
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let decoded: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(decoded) => decoded,
        Err(e) => {
            let message = e.inner().to_string();
            return vec![Problem::new(
                decode_class(&message),
                format!("{at}{}", pointer_of_path(&e.path().to_string())),
                format!("decode at `{}`: {message}", e.path()),
            )];
        }
    };
    let mut problems = unknown_problems(&decoded.unknown_paths(), at, undeclared);
    // Relative to the example: `at` names where it sits.
    let local: Vec<String> = undeclared
        .iter()
        .filter_map(|u| u.strip_prefix(at).map(str::to_string))
        .collect();
    let local: Vec<&str> = local.iter().map(String::as_str).collect();
    let mut more = declared_problems(&decoded, &example, "", &local);
    match serde_json::to_value(&decoded) {
        Ok(back) => more.extend(first_difference(&back, &example, "")),
        Err(e) => more.push(Problem::new("encode", "", e.to_string())),
    }
    for mut problem in more {
        problem.pointer = format!("{at}{}", problem.pointer);
        let reported = problems.iter().any(|p| {
            p.pointer == problem.pointer
                || problem
                    .pointer
                    .strip_prefix(p.pointer.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        });
        if !reported {
            problems.push(problem);
        }
    }
    problems
}

/// One problem per part the types did not hold.
fn unknown_problems(unknown: &[String], at: &str, undeclared: &[&str]) -> Vec<Problem> {
    let explained = |u: &str| {
        undeclared
            .iter()
            .any(|d| *d == u || d.strip_prefix(u).is_some_and(|r| r.starts_with('/')))
    };
    unknown
        .iter()
        .map(|path| {
            let pointer = format!("{at}{path}");
            if explained(&pointer) {
                let detail = "the example carries what the description does not declare";
                Problem::new("example-undeclared", pointer, detail)
            } else {
                let detail = "the generated types put a declared part in `extra`/`Unknown`";
                Problem::new("lost-declared", pointer, detail)
            }
        })
        .collect()
}

/// The first spot where `back` differs from `example`, as a problem.
fn first_difference(back: &Value, example: &Value, at: &str) -> Option<Problem> {
    let changed = |detail: String| Some(Problem::new("round-trip-changed", at, detail));
    match (back, example) {
        // A `null` member and an absent one are the same (`same`).
        (Value::Object(b), Value::Object(e)) => e.keys().chain(b.keys()).find_map(|k| {
            let pointer = crate::join_pointer(at, k);
            match (b.get(k), super::member(e, k)) {
                (None, Value::Null) => None,
                (None, _) => changed(format!("encoded back without `{k}`")),
                (Some(w), v) => first_difference(w, v, &pointer),
            }
        }),
        (Value::Array(b), Value::Array(e)) if b.len() == e.len() => {
            b.iter().zip(e).enumerate().find_map(|(i, (w, v))| {
                first_difference(w, v, &crate::join_pointer(at, &i.to_string()))
            })
        }
        _ if super::same(back, example) => None,
        _ => changed(format!("encoded back as {back}")),
    }
}

/// A 4xx body, as the client reads it: its `errors` and `messages` lists,
/// each strictly through the runtime's [`Message`](crate::Message).
pub fn strict_error_body(json: &str, undeclared: &[&str]) -> Vec<Problem> {
    let body: Value = match serde_json::from_str(json) {
        Ok(body) => body,
        Err(e) => return vec![Problem::new("not-json", "", e.to_string())],
    };
    let mut problems = Vec::new();
    let mut lists = 0;
    for key in ["errors", "messages"] {
        if let Some(list) = body.get(key) {
            lists += 1;
            let at = format!("/{key}");
            problems.extend(strict::<Vec<crate::Message>>(
                &list.to_string(),
                &at,
                undeclared,
            ));
        }
    }
    if lists == 0 {
        let detail = "the error body has neither `errors` nor `messages`";
        problems.push(Problem::new("error-without-errors", "", detail));
    }
    problems
}

/// The report of the example proof: each example checked, every problem a
/// failure, and the verdict against the known errors.
#[derive(Debug, Default)]
pub struct Examples {
    success: usize,
    success_passed: usize,
    error: usize,
    error_passed: usize,
    assembled: usize,
    not_exercised: usize,
    /// Every problem of every example.
    pub failures: Vec<Failure>,
}

impl Examples {
    /// A 2xx example (`json`, found at `from`; `whole` when the
    /// description gives it whole) decoded as `T`.
    pub fn check<T>(
        &mut self,
        operation: &str,
        status: &str,
        from: &str,
        whole: bool,
        json: &str,
        undeclared: &[&str],
    ) where
        T: DeserializeOwned + Serialize,
    {
        self.success += 1;
        let problems = strict::<T>(json, "", undeclared);
        self.success_passed += usize::from(problems.is_empty());
        self.record(operation, status, from, whole, problems);
    }

    /// A 4xx example: its `errors` and `messages` decoded.
    pub fn check_error(
        &mut self,
        operation: &str,
        status: &str,
        from: &str,
        whole: bool,
        json: &str,
        undeclared: &[&str],
    ) {
        self.error += 1;
        let problems = strict_error_body(json, undeclared);
        self.error_passed += usize::from(problems.is_empty());
        self.record(operation, status, from, whole, problems);
    }

    /// A response the proof cannot exercise, and why: a failure of class
    /// `not-exercised`, so the known errors file lists it.
    pub fn skip(&mut self, operation: &str, status: &str, reason: &str) {
        self.not_exercised += 1;
        let problem = Problem::new("not-exercised", "", reason);
        self.failures
            .push(Failure::of(operation, status, problem, ""));
    }

    fn record(
        &mut self,
        operation: &str,
        status: &str,
        from: &str,
        whole: bool,
        problems: Vec<Problem>,
    ) {
        self.assembled += usize::from(!whole);
        for problem in problems {
            let mut failure = Failure::of(operation, status, problem, "");
            failure.detail = format!("{} (example at {from})", failure.detail);
            self.failures.push(failure);
        }
    }

    /// The counts the known errors file states.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        let cases = self.success + self.error;
        vec![
            ("cases", cases),
            ("passed", self.success_passed + self.error_passed),
            ("2xx cases", self.success),
            ("2xx passed", self.success_passed),
            ("4xx cases", self.error),
            ("4xx passed", self.error_passed),
            ("not exercised", self.not_exercised),
        ]
    }

    /// Prints the summary and panics unless the failures are exactly the
    /// known errors and the counts those stated.
    pub fn finish(self, known: &Known) {
        println!(
            "examples: {} of {} round-trip strictly ({} of {} 2xx, {} of {} 4xx; {} assembled from property examples)",
            self.success_passed + self.error_passed,
            self.success + self.error,
            self.success_passed,
            self.success,
            self.error_passed,
            self.error,
            self.assembled,
        );
        assert_verdict("examples", known, &self.counts(), &self.failures);
    }
}
