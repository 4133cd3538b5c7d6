//! Unions: the branches of a `oneOf`/`anyOf`, each named by its title,
//! its discriminator value or what tells it apart (its string values, a
//! property only it has); by its position (`Variant2`) only when nothing
//! else does, with a warning.

use std::collections::BTreeSet;

use super::{Dir, Lowerer};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{TypeKind, TypeRef, UnionVariant};
use crate::naming::{pascal, Namespace};
use crate::normalize::{Normalizer, Problem, Resolved};
use crate::spec::{Object, Schema, SchemaKind};

/// The property (the discriminator, or one whose string enum values differ in
/// every branch) that tells the branches of a union apart.
pub(super) fn find_tag(
    resolved: &[Option<Resolved<'_>>],
    discriminator: Option<&str>,
    norm: &Normalizer,
    found: &mut Vec<Problem>,
) -> Option<String> {
    if resolved.len() < 2 || resolved.iter().any(Option::is_none) {
        return None;
    }
    let objects: Vec<&Schema> = resolved.iter().flatten().map(|r| &**r).collect();
    let first = match &objects[0].kind {
        SchemaKind::Object(object) => object,
        _ => return None,
    };
    let mut candidates: Vec<&String> = first.properties.keys().collect();
    if let Some(d) = discriminator {
        candidates.retain(|c| c.as_str() == d);
    }
    candidates.sort_by_key(|c| (c.as_str() != "type", c.as_str() != "kind", c.to_string()));
    'candidate: for candidate in candidates {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for schema in &objects {
            let values = tag_values(schema, candidate, norm, found);
            if values.is_empty() {
                continue 'candidate;
            }
            for value in values {
                if !seen.insert(value) {
                    continue 'candidate;
                }
            }
        }
        return Some(candidate.clone());
    }
    None
}

/// The string enum values a branch allows for property `tag`.
pub(super) fn tag_values(
    schema: &Schema,
    tag: &str,
    norm: &Normalizer,
    found: &mut Vec<Problem>,
) -> Vec<String> {
    let SchemaKind::Object(object) = &schema.kind else {
        return Vec::new();
    };
    let Some(property) = object.properties.get(tag) else {
        return Vec::new();
    };
    let resolved = norm.resolve_shared(property);
    found.extend(resolved.findings);
    match resolved.result.as_deref().map(|s| &s.kind) {
        Ok(SchemaKind::String { values, .. }) => values.iter().flatten().cloned().collect(),
        _ => Vec::new(),
    }
}

/// A union branch's name: its component's, its title, its tag values, its
/// kind, its string values, or a property only it has among `siblings`
/// (the union's other branches, resolved). `None` when only its position
/// tells it apart.
pub(super) fn variant_name(
    variant: &Schema,
    resolved: Option<&Schema>,
    tag_values: &[String],
    siblings: &[Option<&Schema>],
) -> Option<String> {
    if let Some(name) = variant.reference() {
        return Some(pascal(name));
    }
    if let Some(title) = variant
        .title
        .as_deref()
        .or(resolved.and_then(|r| r.title.as_deref()))
    {
        return Some(pascal(title));
    }
    if !tag_values.is_empty() {
        return Some(pascal(&tag_values.join("_or_")));
    }
    let name = match resolved.map(|r| &r.kind) {
        Some(SchemaKind::String { values, .. }) if values.iter().all(Option::is_none) => {
            "String".into()
        }
        Some(SchemaKind::String { values, .. }) => return values_name(values),
        Some(SchemaKind::Integer { .. }) => "Integer".into(),
        Some(SchemaKind::Number { .. }) => "Number".into(),
        Some(SchemaKind::Boolean) => "Boolean".into(),
        Some(SchemaKind::Array(_)) => "Array".into(),
        Some(SchemaKind::Object(o)) if o.properties.is_empty() => "Object".into(),
        Some(SchemaKind::Object(o)) => return own_property(o, siblings),
        _ => return None,
    };
    Some(name)
}

/// A string enum branch named by its values (`""` is `Empty`), when there
/// are few.
fn values_name(values: &[Option<String>]) -> Option<String> {
    let names: Vec<String> = values
        .iter()
        .flatten()
        .map(|v| {
            if v.is_empty() {
                "Empty".to_owned()
            } else {
                pascal(v)
            }
        })
        .collect();
    let usable = (1..=3).contains(&names.len())
        && names
            .iter()
            .all(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()));
    usable.then(|| names.join("Or"))
}

/// An object branch named by a property no other branch has (a required
/// one first): `{card: ..}` beside `{bank_account: ..}` is `Card`.
fn own_property(object: &Object, siblings: &[Option<&Schema>]) -> Option<String> {
    let others: Vec<&Object> = siblings
        .iter()
        .flatten()
        .filter_map(|s| match &s.kind {
            SchemaKind::Object(o) if !std::ptr::eq(o, object) => Some(o),
            _ => None,
        })
        .collect();
    let own = |name: &&String| !others.iter().any(|o| o.properties.contains_key(*name));
    let required = object
        .properties
        .keys()
        .filter(|k| object.required.contains(*k));
    let optional = object
        .properties
        .keys()
        .filter(|k| !object.required.contains(*k));
    required
        .chain(optional)
        .find(own)
        .map(|name| pascal(name))
        .filter(|name| name.starts_with(|c: char| c.is_ascii_alphabetic()))
}

impl Lowerer<'_> {
    pub(super) fn union(
        &mut self,
        variants: &[Schema],
        discriminator: Option<&str>,
        name: &str,
        dir: Dir,
    ) -> TypeKind {
        let resolved: Vec<Option<Resolved>> =
            variants.iter().map(|v| self.resolve(v).ok()).collect();
        let mut found = Vec::new();
        let tag = find_tag(&resolved, discriminator, &self.norm, &mut found);
        let siblings: Vec<Option<&Schema>> = resolved.iter().map(|r| r.as_deref()).collect();
        let mut names = Namespace::new();
        let mut out: Vec<UnionVariant> = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            let tag_values = match (&tag, &resolved[i]) {
                (Some(property), Some(schema)) => {
                    tag_values(schema, property, &self.norm, &mut found)
                }
                _ => Vec::new(),
            };
            let base = match variant
                .reference()
                .and_then(|name| self.component_names.get(name))
            {
                Some(name) => name.clone(),
                None => match variant_name(variant, resolved[i].as_deref(), &tag_values, &siblings)
                {
                    Some(name) => name,
                    None => self.positional(variant, i),
                },
            };
            let ty = self.ty(variant, &[name, &base].concat(), dir);
            if out.iter().any(|v| v.ty == ty) {
                continue;
            }
            let (variant_name, _) = names.claim(&base);
            out.push(UnionVariant {
                name: variant_name,
                ty,
                tag_values,
                catch_all: false,
            });
        }
        if !out.iter().any(|v| v.ty == TypeRef::Json) {
            let (fallback, _) = names.claim(crate::naming::UNKNOWN_VARIANT);
            out.push(UnionVariant {
                name: fallback,
                ty: TypeRef::Json,
                tag_values: Vec::new(),
                catch_all: true,
            });
        }
        for finding in found {
            self.problem(finding, "");
        }
        TypeKind::Union { variants: out, tag }
    }

    /// `Variant2`: the name of a branch nothing but its position tells
    /// apart, with a warning located at the branch.
    fn positional(&mut self, variant: &Schema, index: usize) -> String {
        let name = format!("Variant{}", index + 1);
        let message = format!(
            "branch {} of this union has no title, discriminator value or property of its own: it is named `{name}`",
            index + 1
        );
        // Said once, by the lowering an operation uses.
        if self.speculative {
            return name;
        }
        let location = self.locate(&variant.pointer);
        self.diagnostics.push(
            Diagnostic::warning(Kind::PositionalName, location, message)
                .with_help("give the branch a `title` (or make it a component schema)"),
        );
        name
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{lowered, type_named};
    use crate::diagnostic::Kind;
    use crate::model::TypeKind;

    /// Branches told apart by their values, by a property of their own, by
    /// a title that an `allOf` around the union keeps, and by nothing.
    const BRANCHES: &str = r##"
openapi: 3.0.3
info: {title: Branches, version: "1"}
paths:
  /things:
    post:
      operationId: PostThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                url:
                  anyOf:
                    - {type: string, maxLength: 5000}
                    - {type: string, enum: [""]}
                source:
                  anyOf:
                    - {type: object, required: [card], properties: {card: {type: string}, name: {type: string}}}
                    - {type: object, required: [bank_account], properties: {bank_account: {type: string}, name: {type: string}}}
                titled:
                  allOf:
                    - {type: object, properties: {result: {anyOf: [{type: object}, {type: string}]}}}
                    - {properties: {result: {$ref: '#/components/schemas/apps'}}}
                bare:
                  oneOf:
                    - {type: object, properties: {a: {type: integer}}}
                    - {type: object, properties: {a: {type: string}}}
      responses:
        "204": {description: Done.}
components:
  schemas:
    apps:
      anyOf:
        - {title: By Day, type: object, allOf: [$ref: '#/components/schemas/basic', $ref: '#/components/schemas/day']}
        - {title: By Week, type: object, allOf: [$ref: '#/components/schemas/basic', $ref: '#/components/schemas/week']}
    basic: {type: object, properties: {name: {type: string}}}
    day: {type: object, properties: {day: {type: integer}}}
    week: {type: object, properties: {week: {type: integer}}}
"##;

    fn variants(model: &crate::model::Model, name: &str) -> Vec<String> {
        match &type_named(model, name).kind {
            TypeKind::Union { variants, .. } => variants.iter().map(|v| v.name.clone()).collect(),
            other => panic!("{name} is not a union: {other:?}"),
        }
    }

    #[test]
    fn branches_are_named_by_what_tells_them_apart() {
        let (model, lowered) = lowered(BRANCHES);
        assert_eq!(
            variants(&model, "PostThingBodyUrl"),
            ["String", "Empty", "Unknown"]
        );
        assert_eq!(
            variants(&model, "PostThingBodySource"),
            ["Card", "BankAccount", "Unknown"]
        );
        // `(object | string) & (By Day | By Week)`, as Cloudflare's
        // envelopes have it (`cloudflare.rs` checks the real one).
        assert_eq!(
            variants(&model, "PostThingBodyTitledResultValue"),
            ["Variant1", "String", "Unknown"]
        );
        assert_eq!(
            variants(&model, "PostThingBodyTitledResultValueVariant1"),
            ["ByDay", "ByWeek", "Unknown"],
            "the branches keep their titles through the allOf"
        );
        assert_eq!(
            variants(&model, "PostThingBodyBare"),
            ["Variant1", "Variant2", "Unknown"]
        );
        let positional: Vec<(&str, &str)> = lowered
            .diagnostics
            .iter()
            .filter(|d| d.kind == Kind::PositionalName)
            .map(|d| (d.location.pointer.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(positional.len(), 3, "{positional:#?}");
        assert!(
            positional
                .iter()
                .any(|(_, m)| m.starts_with("branch 2 of this union has no title")),
            "{positional:#?}"
        );
    }
}
