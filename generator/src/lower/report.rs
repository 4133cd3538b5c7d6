//! Findings as diagnostics: the normalizer's problems, name collisions and
//! approximations, each located in its file.

use super::Lowerer;
use crate::diagnostic::{Diagnostic, Kind};
use crate::normalize::{Normalized, Problem};
use crate::spec::Schema;

pub(super) const RENAME_HELP: &str =
    "the wire name is kept; rename one of them in the spec for a nicer Rust name";

impl Lowerer<'_> {
    /// Reports what a normalizer call found, and a problem that ended it
    /// (at `at`, unless it names its own place); the result when there is one.
    pub(super) fn normalized<T>(&mut self, outcome: Normalized<T>, at: &str) -> Option<T> {
        for finding in outcome.findings {
            self.problem(finding, "");
        }
        match outcome.result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problem(problem, at);
                None
            }
        }
    }

    /// [`crate::normalize::Normalizer::resolve`], reporting what it found;
    /// a problem that ended it is left to the caller.
    pub(super) fn resolve(&mut self, schema: &Schema) -> Result<Schema, Problem> {
        let outcome = self.norm.resolve(schema);
        for finding in outcome.findings {
            self.problem(finding, "");
        }
        outcome.result
    }

    pub(super) fn problem(&mut self, problem: Problem, at: &str) {
        let diagnostic = match problem {
            Problem::Contradiction { left, right, detail } => Diagnostic::warning(
                Kind::Fallback,
                self.locate(&left),
                format!("allOf branches contradict each other ({detail}); typed as serde_json::Value"),
            )
            .with_related(self.locate(&right))
            .with_help("make the branches agree on the type, or use oneOf if either shape is allowed"),
            Problem::Override { kept, dropped, detail } => Diagnostic::warning(
                Kind::Contradiction,
                self.locate(&dropped),
                format!("allOf branches contradict each other ({detail}); the structured branch wins over this placeholder"),
            )
            .with_related(self.locate(&kept))
            .with_help("remove the placeholder, or make it agree with the other branch"),
            Problem::IgnoredNot { pointer } => Diagnostic::warning(
                Kind::Unsupported,
                self.locate(&pointer),
                "`not` cannot be expressed in Rust types; this constraint is not checked".to_string(),
            )
            .with_help("the generated type accepts values the spec excludes; remove `not` to silence this"),
            Problem::TooDeep { name } => Diagnostic::error(
                Kind::Unsupported,
                self.locate(&crate::diagnostic::join("/components/schemas", &name)),
                format!(
                    "references nest more than {} deep here",
                    crate::normalize::MAX_DEPTH
                ),
            )
            .with_help("flatten the chain of schemas"),
            Problem::Cycle { names } => {
                let at = names
                    .first()
                    .map(|name| crate::diagnostic::join("/components/schemas", name))
                    .unwrap_or_else(|| at.to_string());
                let diagnostic = Diagnostic::error(
                    Kind::BadReference,
                    self.locate(&at),
                    format!(
                        "schemas refer to themselves through `$ref`/`allOf` alone, a cycle that cannot be typed: {}",
                        names.join(" -> ")
                    ),
                )
                .with_help("break the cycle: a schema cannot be (or include) itself without a property or array in between");
                // The other end: the schema that leads back to the first.
                let first = names.first();
                match names.iter().rev().find(|name| Some(*name) != first) {
                    Some(other) => diagnostic.with_related(
                        self.locate(&crate::diagnostic::join("/components/schemas", other)),
                    ),
                    None => diagnostic,
                }
            }
        };
        self.diagnostics.push(diagnostic);
    }

    pub(super) fn warn(&mut self, kind: Kind, pointer: &str, message: String) {
        let location = self.locate(pointer);
        let help = match kind {
            Kind::NameCollision => RENAME_HELP,
            _ => "the generated code only approximates the spec here; --deny-warnings makes this an error",
        };
        self.diagnostics
            .push(Diagnostic::warning(kind, location, message).with_help(help));
    }

    pub(super) fn name_collision(&mut self, pointer: &str, message: String) {
        let location = self.locate(pointer);
        self.diagnostics.push(
            Diagnostic::warning(Kind::NameCollision, location, message).with_help(
                "name one of them in the spec directory's `apigen-names.yaml` (`operations:` or `resources:`)",
            ),
        );
    }
}
