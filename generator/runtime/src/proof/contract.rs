//! The contract proof: calls of the generated client against a Prism mock,
//! each judged strictly, and the report of a run.

use serde::de::DeserializeOwned;

use super::known::assert_verdict;
use super::{decode_class, pointer_of_path, Failure, Known, Problem};
use crate::{ApiResponse, Credentials, Error, SchemeKind, SecurityScheme, Unknown};

/// One call: the operation, whether it sent a body (`Some(true)`: the
/// description's own example), every problem of it and the status it got.
#[derive(Debug)]
pub struct Attempt {
    /// The operation.
    pub operation: &'static str,
    /// No body, the description's (`Some(true)`) or an assembled one.
    pub body: Option<bool>,
    /// Every problem; empty when the call passed.
    pub problems: Vec<Problem>,
    /// The status of the answer (`-` when there was none).
    pub status: String,
}

impl Attempt {
    /// The attempt of `operation` with the outcome `(problems, status)`.
    pub fn new(
        operation: &'static str,
        body: Option<bool>,
        outcome: (Vec<Problem>, String),
    ) -> Self {
        Attempt {
            operation,
            body,
            problems: outcome.0,
            status: outcome.1,
        }
    }

    fn body_text(&self) -> &'static str {
        match self.body {
            Some(true) => "the description's request example",
            Some(false) => "an assembled body",
            None => "no body",
        }
    }
}

/// Credentials for the `names` schemes among `schemes` (all of them with
/// `None`), with placeholder values of the right form: Prism checks that
/// they are present and well formed.
pub fn credentials(schemes: &[SecurityScheme], names: Option<&[&str]>) -> Credentials {
    schemes
        .iter()
        .filter(|scheme| match names {
            Some(names) => names.contains(&scheme.name),
            None => true,
        })
        .fold(Credentials::new(), |credentials, scheme| {
            let value = match scheme.kind {
                SchemeKind::ApiKey(..) => "key-0123456789",
                SchemeKind::Basic => "user:password",
                SchemeKind::Http => "Digest username=\"user\"",
                SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
                    "token-0123456789"
                }
            };
            credentials.with(*scheme, value)
        })
}

/// `json` decoded as `T` (a request body or parameter of a call), or the
/// problem, located, of `what`.
pub fn decoded<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, Problem> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let message = e.inner().to_string();
        Problem::new(
            decode_class(&message),
            pointer_of_path(&e.path().to_string()),
            format!("{what} does not decode into its type: {message}"),
        )
    })
}

/// The strict verdict on one call (every problem; none when it passed),
/// and the status it got.
pub fn outcome<T: Unknown>(result: Result<ApiResponse<T>, Error>) -> (Vec<Problem>, String) {
    match result {
        Ok(response) => {
            let problems = response
                .result
                .unknown_paths()
                .into_iter()
                .map(|path| {
                    let detail = "the answer has a part the generated types did not hold";
                    Problem::new("response-unknown", path, detail)
                })
                .collect();
            (problems, response.status.as_str().to_string())
        }
        Err(Error::Api(api)) => {
            let violations = api
                .headers
                .get("sl-violations")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let detail = format!(
                "{}; {violations}; {}",
                api.status,
                String::from_utf8_lossy(&api.body)
            );
            let problems = if api.status.is_server_error() {
                vec![Problem::new("prism-error", "", detail)]
            } else {
                refused(violations, &detail)
            };
            (problems, api.status.as_str().to_string())
        }
        Err(Error::Decode(decode)) => {
            let class = match decode_class(&decode.message) {
                "example-missing-required" => "response-missing-required",
                _ => "response-type-mismatch",
            };
            let detail = format!(
                "{}: {}",
                decode.message,
                String::from_utf8_lossy(&decode.body)
            );
            let problem = Problem::new(class, pointer_of_path(&decode.path), detail);
            (vec![problem], decode.status.as_str().to_string())
        }
        Err(error) => (
            vec![Problem::new("transport", "", error.to_string())],
            "-".into(),
        ),
    }
}

/// A refused request: one problem per place Prism names in its
/// `sl-violations` header (`["request", "body", "a", "0"]` is `/a/0`; a
/// place outside the body keeps its part: `/query/per_page`), or one for
/// the whole request when it names none.
pub(crate) fn refused(violations: &str, detail: &str) -> Vec<Problem> {
    let list: Vec<serde_json::Value> = serde_json::from_str(violations).unwrap_or_default();
    let mut pointers: Vec<String> = Vec::new();
    for violation in &list {
        let Some(location) = violation.get("location").and_then(|l| l.as_array()) else {
            continue;
        };
        let parts: Vec<String> = location
            .iter()
            .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string))
            .collect();
        let parts = match parts.as_slice() {
            [request, body, rest @ ..] if request == "request" && body == "body" => rest,
            [request, rest @ ..] if request == "request" => rest,
            rest => rest,
        };
        let pointer = parts
            .iter()
            .fold(String::new(), |at, part| crate::join_pointer(&at, part));
        if !pointers.contains(&pointer) {
            pointers.push(pointer);
        }
    }
    if pointers.is_empty() {
        pointers.push(String::new());
    }
    pointers
        .into_iter()
        .map(|pointer| Problem::new("prism-refused-request", pointer, detail))
        .collect()
}

/// The verdict on a call whose answer is text or bytes: it succeeded.
pub fn outcome_raw<T>(result: Result<ApiResponse<T>, Error>) -> (Vec<Problem>, String) {
    match result {
        Ok(response) => (Vec::new(), response.status.as_str().to_string()),
        Err(error) => outcome::<()>(Err(error)),
    }
}

/// The verdict on a call of an operation that declares no success: an
/// answer with a declared status (`404`, `4XX`, `default`) to a request
/// Prism found valid (no `sl-violations`) is what the description promises.
pub fn outcome_declared<T: Unknown>(
    result: Result<ApiResponse<T>, Error>,
    declared: &[&str],
) -> (Vec<Problem>, String) {
    if let Err(Error::Api(api)) = &result {
        let status = api.status.as_str();
        let range = format!("{}XX", &status[..1]);
        let listed = declared
            .iter()
            .any(|d| *d == status || *d == range || *d == "default");
        if listed && !api.headers.contains_key("sl-violations") {
            return (Vec::new(), status.to_string());
        }
    }
    outcome(result)
}

/// The report of the contract proof, in one of two modes: per area (a kind
/// of call passes when one call of it passes, but every failing call is a
/// failure to list) or per operation (`--contract-tests=all`).
#[derive(Debug, Default)]
pub struct Contract {
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
    /// Every problem of every call.
    pub failures: Vec<Failure>,
}

impl Contract {
    fn count_body(&mut self, attempt: &Attempt) {
        match attempt.body {
            Some(true) => self.described_bodies += 1,
            Some(false) => self.assembled_bodies += 1,
            None => {}
        }
    }

    fn fail(&mut self, title: &str, attempt: Attempt) {
        let context = format!("{title}, {}: ", attempt.body_text());
        for problem in attempt.problems {
            let failure = Failure::of(attempt.operation, &attempt.status, problem, &context);
            self.failures.push(failure);
        }
    }

    /// Per operation: each attempt passes or fails on its own.
    pub fn operations(&mut self, title: &str, attempts: Vec<Attempt>) {
        for attempt in attempts {
            self.called += 1;
            self.count_body(&attempt);
            if attempt.problems.is_empty() {
                self.passed += 1;
                // An operation that declares no success.
                self.declared_errors += usize::from(!attempt.status.starts_with('2'));
                let (operation, body) = (attempt.operation, attempt.body_text());
                println!("ok     {title}: {operation} ({body}, {})", attempt.status);
            } else {
                self.fail(title, attempt);
            }
        }
    }

    /// Per operation: one not called, and why.
    pub fn skipped(&mut self, operation: &str, reason: &str) {
        self.skipped += 1;
        println!("skipped {operation}: {reason}");
    }

    /// Per area: an area none of whose operations can be called (keyed by
    /// its title, status `-` and the empty pointer).
    pub fn not_called(&mut self, title: &str, reason: &str) {
        println!("not called {title}: {reason}");
        let problem = Problem::new("not-called", "", reason);
        self.failures.push(Failure::of(title, "-", problem, ""));
    }

    /// Per area: the calls without a body and those with one each pass when
    /// one of them passes; every failing call is a failure all the same.
    pub fn area(&mut self, title: &str, attempts: Vec<Attempt>) {
        self.called += 1;
        let mut ok = true;
        let (with, without): (Vec<Attempt>, Vec<Attempt>) =
            attempts.into_iter().partition(|a| a.body.is_some());
        for (with_body, group) in [(false, without), (true, with)] {
            if group.is_empty() {
                continue;
            }
            let passed = group.iter().any(|a| a.problems.is_empty());
            let (calls, passes) = if with_body {
                (&mut self.write, &mut self.write_passed)
            } else {
                (&mut self.read, &mut self.read_passed)
            };
            *calls += 1;
            *passes += usize::from(passed);
            ok &= passed;
            for attempt in group {
                self.count_body(&attempt);
                if attempt.problems.is_empty() {
                    println!(
                        "ok     {title}: {} ({})",
                        attempt.operation,
                        attempt.body_text()
                    );
                } else {
                    self.fail(title, attempt);
                }
            }
        }
        self.passed += usize::from(ok);
    }

    /// Per area: the counts the known errors file states.
    pub fn area_counts(&self, areas: usize) -> Vec<(&'static str, usize)> {
        vec![
            ("areas", areas),
            ("areas called", self.called),
            ("areas passed", self.passed),
            ("areas called without a body", self.read),
            ("areas passed without a body", self.read_passed),
            ("areas called with a body", self.write),
            ("areas passed with a body", self.write_passed),
        ]
    }

    /// Per operation: the counts the known errors file states.
    pub fn operation_counts(&self, operations: usize) -> Vec<(&'static str, usize)> {
        vec![
            ("operations", operations),
            ("operations called", self.called),
            ("operations passed", self.passed),
            (
                "operations passed with a declared error status",
                self.declared_errors,
            ),
            ("operations not called", self.skipped),
        ]
    }

    /// Per area: the summary and the verdict (a panic unless the failures
    /// are exactly the known errors and the counts those stated).
    pub fn finish_areas(self, known: &Known, areas: usize) {
        println!(
            "contract: {} of {areas} areas called, {} pass strictly (without a body {} of {}, with one {} of {}; bodies: {} the description's, {} assembled)",
            self.called, self.passed, self.read_passed, self.read, self.write_passed, self.write,
            self.described_bodies, self.assembled_bodies,
        );
        assert_verdict("contract", known, &self.area_counts(areas), &self.failures);
    }

    /// Per operation: the summary and the verdict.
    pub fn finish_operations(self, known: &Known, operations: usize) {
        println!(
            "contract: {} of {operations} operations called, {} pass strictly ({} of them with the error status they declare, having no success), {} not called (bodies: {} the description's, {} assembled)",
            self.called, self.passed, self.declared_errors, self.skipped,
            self.described_bodies, self.assembled_bodies,
        );
        assert_verdict(
            "contract",
            known,
            &self.operation_counts(operations),
            &self.failures,
        );
    }
}
