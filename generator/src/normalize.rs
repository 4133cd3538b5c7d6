//! Stage 4: see through `allOf`.
//!
//! `allOf` is an intersection: an object that is both the common envelope and
//! `{result: X}` has the properties of both. [`Normalizer::flatten`] merges the
//! branches of an `allOf` (nested to any depth, through references) into one
//! schema. A branch that adds nothing to another (an empty object, a bare
//! `type`) leaves that other branch as it is, so a reference keeps its name.
//! `oneOf`/`anyOf` meeting another branch is distributed: `A ∧ (B ∨ C)` becomes
//! `(A ∧ B) ∨ (A ∧ C)`, and branches that contradict `A` drop out.
//!
//! References are resolved through the component map; a component whose
//! `allOf` reaches itself is a cycle that cannot be typed.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::ops::Deref;
use std::rc::Rc;

use crate::spec::{Object, Schema, SchemaKind};

/// Why two schemas cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The branches require incompatible types.
    Contradiction {
        /// Pointer of one branch.
        left: String,
        /// Pointer of the other.
        right: String,
        /// What each requires.
        detail: String,
    },
    /// A branch with no structure of its own (such as a generic envelope's
    /// `result: {type: object}`) met one with structure of another type: the
    /// structured branch was kept. Real specs use `allOf` this way to override
    /// a placeholder; it is reported as a warning.
    Override {
        /// Pointer of the branch that was kept.
        kept: String,
        /// Pointer of the placeholder that was dropped.
        dropped: String,
        /// What each requires.
        detail: String,
    },
    /// A `not` next to other constraints was left out: the types are wider
    /// than the spec.
    IgnoredNot {
        /// Pointer of the `not`.
        pointer: String,
    },
    /// References nest deeper than [`MAX_DEPTH`].
    TooDeep {
        /// The component where the limit was reached.
        name: String,
    },
    /// A component's `allOf` refers back to itself.
    Cycle {
        /// The component names in the cycle, in order.
        names: Vec<String>,
    },
}

/// How deep references may nest through `allOf` before the spec is refused.
pub const MAX_DEPTH: usize = 2048;

/// Merges `allOf` branches, with access to the named components.
pub struct Normalizer<'s> {
    schemas: &'s BTreeMap<String, Schema>,
    cache: RefCell<FxHashMap<String, Rc<Schema>>>,
    visiting: RefCell<Vec<String>>,
}

/// The result of a [`Normalizer`] call and what it found on the way.
#[derive(Debug)]
#[must_use]
pub struct Normalized<T> {
    /// The schema, or why there is none.
    pub result: Result<T, Problem>,
    /// Warnings met on the way: placeholder branches overridden
    /// ([`Problem::Override`]) and `not`s left out ([`Problem::IgnoredNot`]).
    /// A component's are returned once, by the call that first normalizes
    /// it (later calls find it cached).
    pub findings: Vec<Problem>,
}

impl<T> Normalized<T> {
    /// The schema, if there is one; the findings are dropped.
    pub fn ok(self) -> Option<T> {
        self.result.ok()
    }
}

/// A schema the normalizer found, without copying what it need not: the
/// schema it was given (nothing to flatten or follow), a component as cached
/// (a reference that adds nothing to its target), or one made for the call.
/// Copying a large component for every reference to it was a quarter of the
/// time lowering the Cloudflare description took.
// A return value, moved once or twice: boxing the schema would cost an
// allocation for nothing (a `Cow<Schema>` is as large).
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Resolved<'a> {
    /// The schema given.
    Borrowed(&'a Schema),
    /// A component, shared with the normalizer's cache.
    Shared(Rc<Schema>),
    /// Made for this call.
    Owned(Schema),
}

impl Resolved<'_> {
    /// The schema, copied unless it was made for the call.
    pub fn into_owned(self) -> Schema {
        match self {
            Resolved::Borrowed(schema) => schema.clone(),
            Resolved::Shared(schema) => Rc::unwrap_or_clone(schema),
            Resolved::Owned(schema) => schema,
        }
    }
}

impl Deref for Resolved<'_> {
    type Target = Schema;

    fn deref(&self) -> &Schema {
        match self {
            Resolved::Borrowed(schema) => schema,
            Resolved::Shared(schema) => schema,
            Resolved::Owned(schema) => schema,
        }
    }
}

impl<'a> From<Cow<'a, Schema>> for Resolved<'a> {
    fn from(schema: Cow<'a, Schema>) -> Self {
        match schema {
            Cow::Borrowed(schema) => Resolved::Borrowed(schema),
            Cow::Owned(schema) => Resolved::Owned(schema),
        }
    }
}

impl<'s> Normalizer<'s> {
    /// A normalizer over these components.
    pub fn new(schemas: &'s BTreeMap<String, Schema>) -> Self {
        Normalizer {
            schemas,
            cache: RefCell::new(FxHashMap::default()),
            visiting: RefCell::new(Vec::new()),
        }
    }

    /// Runs `f` with a fresh list of findings, and returns both.
    fn collect<T>(&self, f: impl FnOnce(&mut Vec<Problem>) -> Result<T, Problem>) -> Normalized<T> {
        let mut findings = Vec::new();
        let result = f(&mut findings);
        Normalized { result, findings }
    }

    /// Keeps `kept` over the placeholder `dropped`, and records it.
    fn override_with(
        &self,
        kept: &Schema,
        dropped: &Schema,
        detail: String,
        found: &mut Vec<Problem>,
    ) -> Schema {
        found.push(Problem::Override {
            kept: kept.pointer.clone(),
            dropped: dropped.pointer.clone(),
            detail,
        });
        kept.clone()
    }

    /// The component named `name`, if any.
    pub fn component(&self, name: &str) -> Option<&'s Schema> {
        self.schemas.get(name)
    }

    /// Merges the top-level `allOf` of `schema` (recursively). Properties are
    /// left as they are; they are flattened when they are lowered.
    /// A schema without `allOf` is returned as it is, not copied.
    pub fn flatten<'a>(&self, schema: &'a Schema) -> Normalized<Cow<'a, Schema>> {
        self.collect(|found| self.flatten_in(schema, found))
    }

    /// [`Normalizer::flatten`], adding what it finds to `found`.
    fn flatten_in<'a>(
        &self,
        schema: &'a Schema,
        found: &mut Vec<Problem>,
    ) -> Result<Cow<'a, Schema>, Problem> {
        let SchemaKind::AllOf(branches) = &schema.kind else {
            return Ok(Cow::Borrowed(schema));
        };
        let mut merged: Option<Cow<Schema>> = None;
        for branch in branches {
            let branch = self.flatten_in(branch, found)?;
            merged = Some(match merged {
                None => branch,
                Some(acc) => Cow::Owned(self.intersect(&acc, &branch, found)?),
            });
        }
        let mut merged = match merged {
            Some(merged) => merged.into_owned(),
            None => Schema::new(schema.pointer.clone(), SchemaKind::Any),
        };
        merged.nullable |= schema.nullable;
        merged.read_only |= schema.read_only;
        merged.write_only |= schema.write_only;
        merged.deprecated |= schema.deprecated;
        if schema.description.is_some() {
            merged.description.clone_from(&schema.description);
        }
        if schema.title.is_some() {
            merged.title.clone_from(&schema.title);
        }
        if schema.example.is_some() {
            merged.example.clone_from(&schema.example);
        }
        merged.constraints = merged.constraints.intersect(&schema.constraints);
        if !matches!(merged.kind, SchemaKind::Ref(_)) {
            merged.pointer.clone_from(&schema.pointer);
        }
        Ok(Cow::Owned(merged))
    }

    /// Follows references and flattens until the schema is not a reference.
    /// The flags of the referring schema (nullable, docs) are kept.
    pub fn resolve(&self, schema: &Schema) -> Normalized<Schema> {
        self.collect(|found| self.resolve_in(schema, found).map(Resolved::into_owned))
    }

    /// [`Normalizer::resolve`] without copying what need not be copied (see
    /// [`Resolved`]).
    pub fn resolve_shared<'a>(&self, schema: &'a Schema) -> Normalized<Resolved<'a>> {
        self.collect(|found| self.resolve_in(schema, found))
    }

    /// [`Normalizer::resolve`], adding what it finds to `found`.
    fn resolve_in<'a>(
        &self,
        schema: &'a Schema,
        found: &mut Vec<Problem>,
    ) -> Result<Resolved<'a>, Problem> {
        let flat = self.flatten_in(schema, found)?;
        let SchemaKind::Ref(name) = &flat.kind else {
            return Ok(flat.into());
        };
        let target = self.component_flat_in(name, found)?;
        let constraints = target.constraints.intersect(&flat.constraints);
        let adds_nothing = (!flat.nullable || target.nullable)
            && (!flat.read_only || target.read_only)
            && flat.description.is_none()
            && constraints == target.constraints;
        if adds_nothing {
            return Ok(Resolved::Shared(target));
        }
        let mut resolved = Rc::unwrap_or_clone(target);
        resolved.nullable |= flat.nullable;
        resolved.read_only |= flat.read_only;
        if flat.description.is_some() {
            resolved.description.clone_from(&flat.description);
        }
        resolved.constraints = constraints;
        Ok(Resolved::Owned(resolved))
    }

    /// The component `name`, flattened and with references followed.
    pub fn component_flat(&self, name: &str) -> Normalized<Rc<Schema>> {
        self.collect(|found| self.component_flat_in(name, found))
    }

    /// [`Normalizer::component_flat`], adding what it finds to `found`.
    fn component_flat_in(
        &self,
        name: &str,
        found: &mut Vec<Problem>,
    ) -> Result<Rc<Schema>, Problem> {
        if let Some(cached) = self.cache.borrow().get(name) {
            return Ok(cached.clone());
        }
        if self.visiting.borrow().len() >= MAX_DEPTH {
            return Err(Problem::TooDeep {
                name: name.to_string(),
            });
        }
        if self.visiting.borrow().iter().any(|n| n == name) {
            let mut names = self.visiting.borrow().clone();
            let start = names.iter().position(|n| n == name).unwrap_or(0);
            names.drain(..start);
            names.push(name.to_string());
            return Err(Problem::Cycle { names });
        }
        let Some(schema) = self.schemas.get(name) else {
            // References were checked when the spec was converted.
            return Ok(Rc::new(Schema::new("", SchemaKind::Any)));
        };
        self.visiting.borrow_mut().push(name.to_string());
        let result = self.resolve_in(schema, found).map(Resolved::into_owned);
        self.visiting.borrow_mut().pop();
        let result = Rc::new(result?);
        self.cache
            .borrow_mut()
            .insert(name.to_string(), result.clone());
        Ok(result)
    }

    /// The intersection of two flattened schemas.
    fn intersect(
        &self,
        a: &Schema,
        b: &Schema,
        found: &mut Vec<Problem>,
    ) -> Result<Schema, Problem> {
        if same_shape(a, b) {
            return Ok(a.clone());
        }
        let ra = self.resolve_in(a, found)?;
        let rb = self.resolve_in(b, found)?;
        if adds_nothing(b, &ra) {
            return Ok(keep(a, b));
        }
        if adds_nothing(a, &rb) {
            return Ok(keep(b, a));
        }
        for side in [&ra, &rb] {
            if matches!(side.kind, SchemaKind::Not) {
                found.push(Problem::IgnoredNot {
                    pointer: side.pointer.clone(),
                });
            }
        }
        if let Some(distributed) = self.distribute_over_union(a, b, &ra, &rb, found) {
            return distributed;
        }
        let kind = match (&ra.kind, &rb.kind) {
            (SchemaKind::Any | SchemaKind::Not, _) => rb.kind.clone(),
            (_, SchemaKind::Any | SchemaKind::Not) => ra.kind.clone(),
            (SchemaKind::Object(x), SchemaKind::Object(y)) => {
                SchemaKind::Object(self.objects(x, y, found)?)
            }
            (
                SchemaKind::String {
                    format: fa,
                    values: va,
                },
                SchemaKind::String {
                    format: fb,
                    values: vb,
                },
            ) => strings(a, b, [fa, fb], [va, vb])?,
            (
                SchemaKind::Integer { format, values },
                SchemaKind::Integer { .. } | SchemaKind::Number { .. },
            )
            | (SchemaKind::Number { .. }, SchemaKind::Integer { format, values }) => {
                SchemaKind::Integer {
                    format: format.clone(),
                    values: values.clone(),
                }
            }
            (SchemaKind::Number { .. }, SchemaKind::Number { .. })
            | (SchemaKind::Boolean, SchemaKind::Boolean) => ra.kind.clone(),
            (SchemaKind::Array(x), SchemaKind::Array(y)) => {
                SchemaKind::Array(Box::new(self.intersect(
                    &*self.flatten_in(x, found)?,
                    &*self.flatten_in(y, found)?,
                    found,
                )?))
            }
            (x, y) => {
                let detail = format!(
                    "{} in one branch, {} in the other",
                    describe(x),
                    describe(y)
                );
                // Of two placeholders, the later branch overrides the earlier.
                return match (is_placeholder(&ra), is_placeholder(&rb)) {
                    (false, true) => Ok(self.override_with(a, b, detail, found)),
                    (_, true) | (true, false) => Ok(self.override_with(b, a, detail, found)),
                    (false, false) => Err(contradiction(a, b, &detail)),
                };
            }
        };
        Ok(merged(&ra, &rb, kind))
    }

    /// When a side (`ra`, resolved from `a`, before `rb`) is a `oneOf` or
    /// `anyOf` and the other constrains something, the other distributed
    /// over its branches; `None` otherwise.
    fn distribute_over_union(
        &self,
        a: &Schema,
        b: &Schema,
        ra: &Schema,
        rb: &Schema,
        found: &mut Vec<Problem>,
    ) -> Option<Result<Schema, Problem>> {
        Some(match (&ra.kind, &rb.kind) {
            (SchemaKind::Any | SchemaKind::Not, _) | (_, SchemaKind::Any | SchemaKind::Not) => {
                return None
            }
            (
                SchemaKind::OneOf {
                    variants,
                    discriminator,
                },
                _,
            ) => self.union(variants, discriminator.clone(), true, [rb, b, ra], found),
            (SchemaKind::AnyOf(variants), _) => {
                self.union(variants, None, false, [rb, b, ra], found)
            }
            (
                _,
                SchemaKind::OneOf {
                    variants,
                    discriminator,
                },
            ) => self.union(variants, discriminator.clone(), true, [ra, a, rb], found),
            (_, SchemaKind::AnyOf(variants)) => {
                self.union(variants, None, false, [ra, a, rb], found)
            }
            _ => return None,
        })
    }

    /// `(v1 ∨ v2 ∨ …) ∧ other` as a schema: a single surviving branch stands
    /// alone (so a reference keeps its name), several form a union again.
    /// `[other, original_other, union]`: the other side resolved, as
    /// written, and the union itself.
    fn union(
        &self,
        variants: &[Schema],
        discriminator: Option<String>,
        one_of: bool,
        [other, original_other, union]: [&Schema; 3],
        found: &mut Vec<Problem>,
    ) -> Result<Schema, Problem> {
        let mut variants = match self.distribute(variants, other, original_other, found) {
            Ok(variants) => variants,
            Err(Problem::Contradiction { detail, .. }) if !is_placeholder(other) => {
                // No branch of the union fits the structured other side: a spec
                // that combined a type with a union meant the type.
                return Ok(self.override_with(original_other, union, detail, found));
            }
            Err(Problem::Contradiction { detail, .. }) if !is_placeholder(union) => {
                // The other side only stood in for "some value" (a generic
                // envelope's `result`): the structured union wins.
                return Ok(self.override_with(union, original_other, detail, found));
            }
            Err(e) => return Err(e),
        };
        if variants.len() == 1 {
            return Ok(variants.remove(0));
        }
        let kind = if one_of {
            SchemaKind::OneOf {
                variants,
                discriminator,
            }
        } else {
            SchemaKind::AnyOf(variants)
        };
        let mut merged = Schema::new(union.pointer.clone(), kind);
        merged.nullable = union.nullable && other.nullable;
        merged.description = union
            .description
            .clone()
            .or_else(|| other.description.clone());
        Ok(merged)
    }

    /// `(v1 ∨ v2 ∨ …) ∧ other`, dropping the branches that contradict `other`.
    fn distribute(
        &self,
        variants: &[Schema],
        other: &Schema,
        original: &Schema,
        found: &mut Vec<Problem>,
    ) -> Result<Vec<Schema>, Problem> {
        let mut out = Vec::new();
        let mut last_error = None;
        let other_resolved = self.resolve_in(other, found)?;
        for variant in variants {
            let variant = self.flatten_in(variant, found)?;
            if !compatible(
                &self.resolve_in(&variant, found)?.kind,
                &other_resolved.kind,
            ) {
                // Distribution drops the branches that cannot meet `other`.
                continue;
            }
            // The branch's own title names it (a union branch's name), not
            // the other side's.
            let title = match &variant.title {
                Some(title) => Some(title.clone()),
                None => self.resolve_in(&variant, found)?.title.clone(),
            };
            match self.intersect(&variant, other, found) {
                Ok(mut merged) => {
                    if title.is_some() {
                        merged.title = title;
                    }
                    out.push(merged)
                }
                Err(e @ Problem::Cycle { .. }) => return Err(e),
                Err(e) => last_error = Some(e),
            }
        }
        if out.is_empty() {
            return Err(
                last_error.unwrap_or_else(|| contradiction(original, other, "no branch fits"))
            );
        }
        Ok(out)
    }

    fn objects(&self, x: &Object, y: &Object, found: &mut Vec<Problem>) -> Result<Object, Problem> {
        let mut properties = x.properties.clone();
        for (name, schema) in &y.properties {
            let merged = match properties.get(name) {
                Some(existing) => self.intersect(
                    &*self.flatten_in(existing, found)?,
                    &*self.flatten_in(schema, found)?,
                    found,
                )?,
                None => schema.clone(),
            };
            properties.insert(name.clone(), merged);
        }
        let additional = match (&x.additional, &y.additional) {
            (Some(a), Some(b)) => Some(Box::new(self.intersect(
                &*self.flatten_in(a, found)?,
                &*self.flatten_in(b, found)?,
                found,
            )?)),
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        Ok(Object {
            properties,
            required: x.required.union(&y.required).cloned().collect(),
            additional,
            closed: x.closed || y.closed,
        })
    }
}
mod shapes;

use self::shapes::{
    adds_nothing, compatible, contradiction, describe, is_placeholder, keep, merged, same_shape,
    strings,
};

#[cfg(test)]
mod tests;
