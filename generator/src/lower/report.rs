//! Findings as diagnostics: the normalizer's problems, name collisions and
//! approximations, each located in its file.

use super::Lowerer;
use crate::diagnostic::{Diagnostic, Kind, Location};
use crate::normalize::{Normalized, Problem, Resolved};
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
    pub(super) fn resolve<'a>(&mut self, schema: &'a Schema) -> Result<Resolved<'a>, Problem> {
        let outcome = self.norm.resolve_shared(schema);
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

    /// A type that stays larger than `MAX_TYPE_SIZE` with every generated
    /// value it holds boxed (its own scalar fields are that many).
    pub(super) fn too_large(&mut self, def: &crate::model::TypeDef) {
        use crate::model::size::MAX_TYPE_SIZE;
        let message = format!(
            "`{}` takes more than {MAX_TYPE_SIZE} bytes even with every generated type it holds boxed; \
             its size is not asserted",
            def.name
        );
        self.diagnostics.push(
            Diagnostic::warning(Kind::Unsupported, self.locate(&def.origin), message)
                .with_help("a value this large held in an async function may need a larger stack"),
        );
    }

    pub(super) fn warn(&mut self, kind: Kind, pointer: &str, message: String) {
        let location = self.locate(pointer);
        let help = match kind {
            Kind::NameCollision => RENAME_HELP,
            Kind::Dropped => "remove it from the description, or give it properties if the server reads one",
            Kind::Paging => "page with `.into_call()` and the runtime's `pages_with`, or make the description say how the list pages",
            _ => "the generated code only approximates the spec here; --deny-warnings makes this an error",
        };
        self.diagnostics
            .push(Diagnostic::warning(kind, location, message).with_help(help));
    }
}

/// The warning that two methods or resources wanted the same name.
pub(super) fn name_collision(location: Location, message: String) -> Diagnostic {
    Diagnostic::warning(Kind::NameCollision, location, message).with_help(
        "name one of them in the spec directory's `apigen-names.yaml` (`operations:` or `resources:`)",
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{components, object, string};
    use super::*;
    use crate::diagnostic::Severity;
    use crate::front::origins::Origins;
    use crate::spec::SchemaKind;

    #[test]
    fn an_override_is_a_warning_at_the_dropped_branch() {
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        lowerer.problem(
            Problem::Override {
                kept: "/kept".into(),
                dropped: "/dropped".into(),
                detail: "an array in one branch, an object in the other".into(),
            },
            "",
        );
        let [diagnostic] = lowerer.diagnostics.as_slice() else {
            panic!("{:?}", lowerer.diagnostics)
        };
        assert_eq!(diagnostic.severity, Severity::Warning);
        assert_eq!(diagnostic.kind, Kind::Contradiction);
        assert_eq!(diagnostic.location.pointer, "/dropped");
        assert_eq!(
            diagnostic.related.as_ref().map(|r| r.pointer.as_str()),
            Some("/kept")
        );
    }

    #[test]
    fn a_cycle_is_an_error_naming_both_ends() {
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let names = vec!["a".to_string(), "b".to_string(), "a".to_string()];
        lowerer.problem(Problem::Cycle { names }, "/elsewhere");
        let diagnostic = &lowerer.diagnostics[0];
        assert!(diagnostic.is_error());
        assert_eq!(diagnostic.location.pointer, "/components/schemas/a");
        assert_eq!(
            diagnostic.related.as_ref().map(|r| r.pointer.as_str()),
            Some("/components/schemas/b")
        );
        assert!(
            diagnostic.message.ends_with("a -> b -> a"),
            "{}",
            diagnostic.message
        );
    }

    #[test]
    fn normalizer_findings_are_reported_and_a_failure_at_its_place() {
        // `allOf` of a placeholder and a structured branch: one finding.
        let mut placeholder = object("/s/allOf/0", Vec::new(), 0);
        placeholder.pointer = "/s/allOf/0".into();
        let structured = Schema::new(
            "/s/allOf/1",
            SchemaKind::Array(Box::new(string("/s/allOf/1/items"))),
        );
        let schema = Schema::new("/s", SchemaKind::AllOf(vec![placeholder, structured]));
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let outcome = lowerer.norm.flatten(&schema);
        let flat = lowerer
            .normalized(outcome, "/s")
            .expect("overridden, not failed");
        assert!(matches!(flat.kind, SchemaKind::Array(_)));
        assert_eq!(lowerer.diagnostics.len(), 1);
        assert_eq!(lowerer.diagnostics[0].kind, Kind::Contradiction);
        // Two structured branches that contradict: the failure, at `at`.
        let clash = Schema::new(
            "/c",
            SchemaKind::AllOf(vec![
                string("/c/allOf/0"),
                Schema::new("/c/allOf/1", SchemaKind::Boolean),
            ]),
        );
        let outcome = lowerer.norm.flatten(&clash);
        assert!(lowerer.normalized(outcome, "/c").is_none());
        assert_eq!(lowerer.diagnostics[1].kind, Kind::Fallback);
        assert_eq!(lowerer.diagnostics[1].location.pointer, "/c/allOf/0");
    }
}
