//! Schemas as the generator sees them: the structural part
//! ([`SchemaKind`]), flags, docs, examples and the validation keywords
//! ([`Constraints`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// A schema with its documentation and flags.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// Where the schema is, as a JSON pointer into the merged document.
    pub pointer: String,
    /// What the schema describes.
    pub kind: SchemaKind,
    /// `nullable: true`.
    pub nullable: bool,
    /// No `type` keyword (properties, `allOf` and the like alone): besides
    /// what the other keywords describe, the value may be anything, `null`
    /// included (servers and mocks send `null` for such a response).
    pub typeless: bool,
    /// `readOnly: true`: only in responses.
    pub read_only: bool,
    /// `writeOnly: true`: only in requests.
    pub write_only: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `example`.
    pub example: Option<Value>,
    /// `default`.
    pub default: Option<Value>,
    /// `examples` (OpenAPI 3.1), every entry in order; `example` holds the
    /// first when the schema gives no `example`.
    pub examples: Vec<Value>,
    /// The validation keywords (`maxLength`, `pattern`, `minimum`, ...).
    pub constraints: Constraints,
    /// `contentSchema` (3.1): the schema of a string's content once
    /// decoded by its `contentMediaType` (the `data` of a server-sent
    /// event in a 3.2 `itemSchema`).
    pub content_schema: Option<Box<Schema>>,
}

/// The validation keywords of a schema: what a value must satisfy beyond
/// its type. Nothing here changes the Rust type; it is documented and used
/// to build values that a validating server accepts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `minLength` of a string.
    pub min_length: Option<u64>,
    /// `maxLength` of a string.
    pub max_length: Option<u64>,
    /// `pattern` of a string (an ECMA-262 regular expression, unanchored).
    pub pattern: Option<String>,
    /// `minimum`, or `exclusiveMinimum` (a boolean beside `minimum` in 3.0,
    /// a number of its own in 3.1).
    pub minimum: Option<Bound>,
    /// `maximum`, or `exclusiveMaximum`.
    pub maximum: Option<Bound>,
    /// `multipleOf`.
    pub multiple_of: Option<serde_json::Number>,
    /// `minItems` of an array.
    pub min_items: Option<u64>,
    /// `maxItems` of an array.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
}

/// A bound on a number: its value as written, and whether the value itself
/// is excluded.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// The bound, exactly as the description writes it.
    pub value: serde_json::Number,
    /// `exclusiveMinimum`/`exclusiveMaximum`: the bound itself is not
    /// allowed.
    pub exclusive: bool,
}

impl Bound {
    /// An inclusive bound from a float (the 3.0 model's numbers); `None` for
    /// a value JSON cannot hold.
    pub fn float(value: f64, exclusive: bool) -> Option<Bound> {
        let value = if value.fract() == 0.0 && value.abs() < 9.0e15 {
            serde_json::Number::from(value as i64)
        } else {
            serde_json::Number::from_f64(value)?
        };
        Some(Bound { value, exclusive })
    }
}

impl Constraints {
    /// What a value satisfying both `self` and `other` must satisfy (the
    /// constraints of `allOf` branches): the tighter of each bound.
    pub fn intersect(&self, other: &Constraints) -> Constraints {
        fn tighter<T: Clone>(
            a: &Option<T>,
            b: &Option<T>,
            a_wins: impl Fn(&T, &T) -> bool,
        ) -> Option<T> {
            match (a, b) {
                (Some(x), Some(y)) => Some(if a_wins(x, y) { x.clone() } else { y.clone() }),
                (x, y) => x.clone().or_else(|| y.clone()),
            }
        }
        let f = |n: &serde_json::Number| n.as_f64().unwrap_or(0.0);
        // Of two equal bounds, an exclusive one is the tighter.
        let lower = |a: &Bound, b: &Bound| {
            f(&a.value) > f(&b.value) || (f(&a.value) == f(&b.value) && a.exclusive)
        };
        let upper = |a: &Bound, b: &Bound| {
            f(&a.value) < f(&b.value) || (f(&a.value) == f(&b.value) && a.exclusive)
        };
        Constraints {
            min_length: tighter(&self.min_length, &other.min_length, |a, b| a >= b),
            max_length: tighter(&self.max_length, &other.max_length, |a, b| a <= b),
            pattern: self.pattern.clone().or_else(|| other.pattern.clone()),
            minimum: tighter(&self.minimum, &other.minimum, lower),
            maximum: tighter(&self.maximum, &other.maximum, upper),
            multiple_of: self
                .multiple_of
                .clone()
                .or_else(|| other.multiple_of.clone()),
            min_items: tighter(&self.min_items, &other.min_items, |a, b| a >= b),
            max_items: tighter(&self.max_items, &other.max_items, |a, b| a <= b),
            unique_items: self.unique_items || other.unique_items,
        }
    }
}

impl Schema {
    /// A schema of `kind` at `pointer`, with no flags or docs.
    pub fn new(pointer: impl Into<String>, kind: SchemaKind) -> Self {
        Schema {
            pointer: pointer.into(),
            kind,
            nullable: false,
            typeless: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            title: None,
            description: None,
            example: None,
            default: None,
            examples: Vec::new(),
            constraints: Constraints::default(),
            content_schema: None,
        }
    }

    /// The name of the component this schema refers to, if it is a `$ref`.
    pub fn reference(&self) -> Option<&str> {
        match &self.kind {
            SchemaKind::Ref(name) => Some(name),
            _ => None,
        }
    }
}

/// The structural part of a schema.
#[derive(Clone, Debug, PartialEq)]
pub enum SchemaKind {
    /// `$ref: '#/components/schemas/<name>'`.
    Ref(String),
    /// No constraints at all: any JSON value.
    Any,
    /// `type: boolean`.
    Boolean,
    /// `type: integer`, with its `format` and `enum`.
    Integer {
        /// `format`, such as `int32`.
        format: Option<String>,
        /// `enum` values.
        values: Vec<i64>,
    },
    /// `type: number`.
    Number {
        /// `format`, such as `float`.
        format: Option<String>,
    },
    /// `type: string`.
    String {
        /// `format`, such as `date-time` or `binary`.
        format: Option<String>,
        /// `enum` values (a `null` entry makes the enum nullable).
        values: Vec<Option<String>>,
    },
    /// `type: array`.
    Array(Box<Schema>),
    /// `type: object` (or `properties` without a type).
    Object(Object),
    /// `allOf`: the value matches every branch.
    AllOf(Vec<Schema>),
    /// `oneOf`: the value matches exactly one branch.
    OneOf {
        /// The branches.
        variants: Vec<Schema>,
        /// `discriminator.propertyName`.
        discriminator: Option<String>,
    },
    /// `anyOf`: the value matches one or more branches.
    AnyOf(Vec<Schema>),
    /// `not`, which the generator cannot express.
    Not,
}

/// The parts of an object schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object {
    /// `properties`, sorted by wire name.
    pub properties: BTreeMap<String, Schema>,
    /// `required`.
    pub required: BTreeSet<String>,
    /// `additionalProperties`: `None` when absent or `true` (unknown fields
    /// are kept as JSON), a schema when given, `Some(None)` never.
    pub additional: Option<Box<Schema>>,
    /// `additionalProperties: false`.
    pub closed: bool,
}

impl Object {
    /// Whether this is a response envelope: an object with `success`,
    /// `errors` and `messages`, whose `result` is what a call returns.
    pub fn is_envelope(&self) -> bool {
        ["success", "errors", "messages"]
            .iter()
            .all(|p| self.properties.contains_key(*p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersect_keeps_the_tighter_bound_of_each_keyword() {
        let a = Constraints {
            min_length: Some(1),
            max_length: Some(32),
            minimum: Some(Bound {
                value: 0.into(),
                exclusive: false,
            }),
            maximum: Some(Bound {
                value: 10.into(),
                exclusive: false,
            }),
            ..Constraints::default()
        };
        let b = Constraints {
            min_length: Some(4),
            max_length: Some(64),
            pattern: Some("^a".into()),
            minimum: Some(Bound {
                value: 0.into(),
                exclusive: true,
            }),
            maximum: Some(Bound {
                value: 20.into(),
                exclusive: true,
            }),
            unique_items: true,
            ..Constraints::default()
        };
        let both = a.intersect(&b);
        assert_eq!(both, b.intersect(&a));
        assert_eq!(
            both,
            Constraints {
                min_length: Some(4),
                max_length: Some(32),
                pattern: Some("^a".into()),
                minimum: Some(Bound {
                    value: 0.into(),
                    exclusive: true
                }),
                maximum: Some(Bound {
                    value: 10.into(),
                    exclusive: false
                }),
                unique_items: true,
                ..Constraints::default()
            }
        );
    }
}
