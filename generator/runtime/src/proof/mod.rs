//! The proofs a generated crate runs against its own description (feature
//! `proof`): the logic of the tests `apigen --example-tests` and
//! `--contract-tests` emit, which only list their cases and call it.
//!
//! * [`Examples`]: each example of the description decoded strictly through
//!   the generated types ([`strict`]), every problem of it reported.
//! * [`Contract`]: calls of the generated client against a Prism mock of the
//!   description, each judged by [`outcome`].
//! * [`Known`]: the known errors file of a description, a Markdown table whose
//!   rows excuse exactly one failure each (operation, status, pointer,
//!   class) and whose `expected <name>: <n>` lines state the counts; the
//!   [`verdict`] fails on any failure not listed, any stale or duplicated
//!   row, any count not met and any count without its line (or line without
//!   its count).

mod contract;
mod declared;
mod known;
mod strict;
#[cfg(test)]
mod tests;

pub use contract::{
    credentials, decoded, outcome, outcome_declared, outcome_raw, Attempt, Contract,
};
pub use declared::declared_problems;
pub use known::{verdict, Known};
pub use strict::{strict, strict_error_body, Examples};

use serde_json::Value;

/// Why a case failed: a class, the JSON pointer of the spot, details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The class (`example-type-mismatch`, `prism-refused-request`, ...).
    pub class: &'static str,
    /// The JSON pointer of the spot.
    pub pointer: String,
    /// What went wrong, for people.
    pub detail: String,
}

impl Problem {
    /// A problem of `class` at `pointer`.
    pub fn new(class: &'static str, pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem {
            class,
            pointer: pointer.into(),
            detail: detail.into(),
        }
    }
}

/// A failure of one case: its key (operation, status, pointer, class) and
/// details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The operation (or, for an area not called, the area's title).
    pub operation: String,
    /// The status of the response.
    pub status: String,
    /// The JSON pointer of the spot.
    pub pointer: String,
    /// The class of the problem.
    pub class: &'static str,
    /// What went wrong, for people.
    pub detail: String,
}

impl Failure {
    /// The failure of `operation` at `status` that `problem` describes.
    pub fn of(operation: &str, status: &str, problem: Problem, context: &str) -> Failure {
        Failure {
            operation: operation.into(),
            status: status.into(),
            pointer: problem.pointer,
            class: problem.class,
            detail: format!("{context}{}", problem.detail),
        }
    }

    /// The key an excuse names.
    pub fn key(&self) -> [&str; 4] {
        [&self.operation, &self.status, &self.pointer, self.class]
    }
}

/// Equal as JSON, with numbers compared by value (`3600` and `3600.0`),
/// and a member that is `null` on one side equal to one absent on the
/// other (a nullable field of a type only received reads both as `None`
/// and sends neither back).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => x
            .keys()
            .chain(y.keys())
            .all(|k| same(member(x, k), member(y, k))),
        _ => a == b,
    }
}

/// A member of an object, `null` when absent.
pub(crate) fn member<'v>(object: &'v serde_json::Map<String, Value>, key: &str) -> &'v Value {
    object.get(key).unwrap_or(&Value::Null)
}

/// A serde path (`result.items[0].name`) as a JSON pointer.
pub fn pointer_of_path(path: &str) -> String {
    let mut pointer = String::new();
    for part in path.split('.').filter(|p| !p.is_empty() && *p != "?") {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                pointer = crate::join_pointer(&pointer, &rest[..open]);
            }
            rest = &rest[open..];
            for index in rest.split(['[', ']']).filter(|s| !s.is_empty()) {
                pointer = crate::join_pointer(&pointer, index);
            }
        } else {
            pointer = crate::join_pointer(&pointer, rest);
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
