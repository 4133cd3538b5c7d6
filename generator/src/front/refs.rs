//! References: `#/components/<section>/<name>` followed to the object it
//! names, through chains of references, in one place for every section.

use serde_json::Value;

use super::reader::Reader;
use crate::diagnostic::{join, Diagnostic, Kind};
use crate::spec::{Schema, SchemaKind};

/// Chains longer than this are taken for cycles.
const MAX_CHAIN: usize = 32;

/// Unescapes one JSON pointer token (RFC 6901).
pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl<'a> Reader<'a> {
    /// Follows a reference to `#/components/<section>/<name>` (through
    /// chains of references) to the object it names, with the pointer of
    /// that object; an object that is no reference is itself. A reference
    /// to nothing, or a chain that is a cycle, is reported.
    pub(super) fn resolve(
        &mut self,
        item: &'a Value,
        pointer: &str,
        section: &'static str,
    ) -> Option<(&'a Value, String)> {
        let mut current = item;
        let mut at = pointer.to_string();
        for _ in 0..MAX_CHAIN {
            let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
                return Some((current, at));
            };
            let target = self
                .component(section, reference)
                .map(|(next, name)| (next, section, name))
                .or_else(|| self.fitting_component(section, reference, &at));
            let Some((next, found_in, name)) = target else {
                self.error(
                    Kind::BadReference,
                    &join(&at, "$ref"),
                    format!("`$ref: {reference}` does not point to an existing `components.{section}` entry"),
                    "check the name, or define the component",
                );
                return None;
            };
            current = next;
            at = join(&format!("/components/{found_in}"), &name);
        }
        self.error(
            Kind::BadReference,
            pointer,
            "reference chain is a cycle".into(),
            "make the references end at a definition",
        );
        None
    }

    /// A reference to a component of another kind whose shape fits where
    /// it is used: a request body where a response is expected or the
    /// reverse, when it has the `content` both carry. Read as meant, with
    /// a warning at the reference (`at` is where it is written).
    fn fitting_component(
        &mut self,
        section: &'static str,
        reference: &str,
        at: &str,
    ) -> Option<(&'a Value, &'static str, String)> {
        let (other, other_kind, kind) = match section {
            "responses" => ("requestBodies", "request body", "response"),
            "requestBodies" => ("responses", "response", "request body"),
            _ => return None,
        };
        let (target, name) = self.component(other, reference)?;
        target.get("content").filter(|c| c.is_object())?;
        let location = self.origins.locate(&join(at, "$ref"));
        self.diagnostics.push(
            Diagnostic::warning(
                Kind::BadReference,
                location,
                format!("`$ref: {reference}` points to a {other_kind} where a {kind} is expected; read as a {kind} (it has the `content` one needs)"),
            )
            .with_help(format!("point to a `components.{section}` entry, or move the definition there")),
        );
        Some((target, other, name))
    }

    /// The entry of `components.<section>` that `reference` names, with
    /// its (unescaped) name.
    pub(super) fn component(&self, section: &str, reference: &str) -> Option<(&'a Value, String)> {
        let name = reference
            .strip_prefix("#/components/")?
            .strip_prefix(section)?
            .strip_prefix('/')
            .map(unescape)?;
        let target = self.components.get(section)?.get(&name)?;
        Some((target, name))
    }

    /// A schema that is a reference: to a component schema, kept by name.
    pub(super) fn schema_ref(&mut self, reference: &str, pointer: &str) -> Schema {
        match self.component("schemas", reference) {
            Some((_, name)) => Schema::new(pointer, SchemaKind::Ref(name)),
            None => {
                self.error(
                    Kind::BadReference,
                    &join(pointer, "$ref"),
                    format!("`$ref: {reference}` does not point to an existing schema"),
                    "reference a schema under `#/components/schemas/`, or define it",
                );
                Schema::new(pointer, SchemaKind::Any)
            }
        }
    }
}
