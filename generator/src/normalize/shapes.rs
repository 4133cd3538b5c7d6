//! What `allOf` merging asks of two schemas: whether they fit together,
//! whether one adds nothing, which is a placeholder, and the merged result.

use super::*;

/// The intersection of two string schemas `a` and `b`, given their formats
/// and enum values: an enum keeps the values both allow.
pub(super) fn strings(
    a: &Schema,
    b: &Schema,
    [fa, fb]: [&Option<String>; 2],
    [va, vb]: [&Vec<Option<String>>; 2],
) -> Result<SchemaKind, Problem> {
    let values: Vec<Option<String>> = match (va.is_empty(), vb.is_empty()) {
        (true, _) => vb.clone(),
        (_, true) => va.clone(),
        _ => va.iter().filter(|v| vb.contains(v)).cloned().collect(),
    };
    if values.is_empty() && !(va.is_empty() && vb.is_empty()) {
        return Err(contradiction(a, b, "string enums with no value in common"));
    }
    Ok(SchemaKind::String {
        format: fa.clone().or_else(|| fb.clone()),
        values,
    })
}

/// A schema of `kind` with the flags and documentation of both sides.
pub(super) fn merged(ra: &Schema, rb: &Schema, kind: SchemaKind) -> Schema {
    let mut merged = Schema::new(ra.pointer.clone(), kind);
    merged.nullable = ra.nullable && rb.nullable;
    merged.read_only = ra.read_only || rb.read_only;
    merged.write_only = ra.write_only || rb.write_only;
    merged.deprecated = ra.deprecated || rb.deprecated;
    merged.description = ra.description.clone().or_else(|| rb.description.clone());
    merged.title = ra.title.clone().or_else(|| rb.title.clone());
    merged.example = ra.example.clone().or_else(|| rb.example.clone());
    merged.default = ra.default.clone().or_else(|| rb.default.clone());
    merged.constraints = ra.constraints.intersect(&rb.constraints);
    merged
}

/// `a`, with the documentation `b` adds where `a` has none.
pub(super) fn keep(a: &Schema, b: &Schema) -> Schema {
    let mut kept = a.clone();
    // `b` adds nothing but perhaps `nullable`: a placeholder or a bare
    // `{nullable: true}` branch marks the other as nullable (the idiom for a
    // nullable reference, and Cloudflare's nullable `result` placeholders).
    kept.nullable = a.nullable || b.nullable;
    kept.read_only |= b.read_only;
    kept.write_only |= b.write_only;
    kept.deprecated |= b.deprecated;
    if kept.description.is_none() {
        kept.description.clone_from(&b.description);
    }
    kept
}

/// Whether `extra` constrains nothing beyond `base` (resolved).
pub(super) fn adds_nothing(extra: &Schema, base: &Schema) -> bool {
    match (&extra.kind, &base.kind) {
        (SchemaKind::Any, _) => true,
        (SchemaKind::Object(o), SchemaKind::Object(b)) => {
            o.properties.is_empty()
                && o.additional.is_none()
                && !o.closed
                && o.required.iter().all(|r| b.properties.contains_key(r))
        }
        (
            SchemaKind::String {
                format: None,
                values,
            },
            SchemaKind::String { .. },
        ) => values.is_empty(),
        (
            SchemaKind::Integer {
                format: None,
                values,
            },
            SchemaKind::Integer { .. },
        ) => values.is_empty(),
        (
            SchemaKind::Number { format: None },
            SchemaKind::Number { .. } | SchemaKind::Integer { .. },
        )
        | (SchemaKind::Boolean, SchemaKind::Boolean) => true,
        _ => false,
    }
}

/// A schema that only stands in for "some value": `{type: object}` without
/// properties, an array of anything, or a union of bare types (as in
/// Cloudflare's generic `result: anyOf [object, array, string]`). A bare
/// scalar on its own is a real constraint, not a placeholder.
pub(super) fn is_placeholder(schema: &Schema) -> bool {
    match &schema.kind {
        SchemaKind::Any => true,
        SchemaKind::Object(o) => o.properties.is_empty() && o.additional.is_none(),
        SchemaKind::Array(items) => matches!(items.kind, SchemaKind::Any),
        SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants) => {
            variants.iter().all(|v| {
                is_placeholder(v)
                    || matches!(
                        &v.kind,
                        SchemaKind::Boolean
                            | SchemaKind::Number { .. }
                            | SchemaKind::Integer { .. }
                    )
                    || matches!(&v.kind, SchemaKind::String { values, .. } if values.is_empty())
            })
        }
        _ => false,
    }
}

/// Whether two resolved kinds can describe the same value at all.
pub(super) fn compatible(a: &SchemaKind, b: &SchemaKind) -> bool {
    use SchemaKind as K;
    match (a, b) {
        (K::Any | K::Not | K::Ref(_) | K::AllOf(_) | K::OneOf { .. } | K::AnyOf(_), _)
        | (_, K::Any | K::Not | K::Ref(_) | K::AllOf(_) | K::OneOf { .. } | K::AnyOf(_)) => true,
        (K::Integer { .. } | K::Number { .. }, K::Integer { .. } | K::Number { .. }) => true,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

/// Equal but for where they are.
pub(super) fn same_shape(a: &Schema, b: &Schema) -> bool {
    a.kind == b.kind && a.nullable == b.nullable && a.read_only == b.read_only
}

pub(super) fn contradiction(a: &Schema, b: &Schema, detail: &str) -> Problem {
    Problem::Contradiction {
        left: a.pointer.clone(),
        right: b.pointer.clone(),
        detail: detail.to_string(),
    }
}

pub(super) fn describe(kind: &SchemaKind) -> &'static str {
    match kind {
        SchemaKind::Ref(_) => "a reference",
        SchemaKind::Any => "anything",
        SchemaKind::Boolean => "a boolean",
        SchemaKind::Integer { .. } => "an integer",
        SchemaKind::Number { .. } => "a number",
        SchemaKind::String { .. } => "a string",
        SchemaKind::Array(_) => "an array",
        SchemaKind::Object(_) => "an object",
        SchemaKind::AllOf(_) => "an allOf",
        SchemaKind::OneOf { .. } => "a oneOf",
        SchemaKind::AnyOf(_) => "an anyOf",
        SchemaKind::Not => "a not",
    }
}
