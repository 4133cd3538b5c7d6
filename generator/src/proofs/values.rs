//! Values that satisfy a schema: what the contract harness sends for a
//! parameter the description gives no example or `enum` for, so that a
//! validating server (Prism with request validation) accepts it.
//!
//! A string is the value of its `format` when it has one that fits,
//! else the shortest string matching its `pattern` (built by walking the
//! pattern's `regex-syntax` HIR) grown to `minLength`, else a placeholder
//! identifier cut or padded to the length bounds. Numbers respect
//! `minimum`, `maximum` and `multipleOf`. Everything is deterministic.

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::Value;

use crate::normalize::Normalizer;
use crate::spec::{Constraints, Schema, SchemaKind};

/// The identifier sent where nothing says more: Cloudflare's documented
/// example id (32 hexadecimal digits).
pub const DEFAULT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// Longest string a pattern walk builds.
const MAX_LEN: usize = 4096;

/// A JSON value for `schema`: its `example`, else its first `enum` value,
/// else one its type and constraints allow.
pub fn value_for(normalizer: &Normalizer, schema: &Schema) -> Value {
    value_at(normalizer, schema, 0)
}

fn value_at(normalizer: &Normalizer, schema: &Schema, depth: usize) -> Value {
    let resolved = normalizer
        .resolve(schema)
        .result
        .unwrap_or_else(|_| schema.clone());
    let example = schema.example.clone().or_else(|| resolved.example.clone());
    let constraints = resolved.constraints.intersect(&schema.constraints);
    // An example outside the schema's own `enum` (Cloudflare's `metric`:
    // `latency` for `BANDWIDTH`, `DNS`, `LATENCY`) or breaking its length
    // or pattern (an image id of 36 characters where `maxLength` is 32)
    // would be refused.
    let valid = |example: &Value| match (&resolved.kind, example) {
        (SchemaKind::String { values, .. }, _) if !values.is_empty() => {
            values.iter().any(|v| v.as_deref() == example.as_str())
        }
        (SchemaKind::Integer { values, .. }, _) if !values.is_empty() => {
            example.as_i64().is_some_and(|n| values.contains(&n))
        }
        (SchemaKind::String { .. }, Value::String(text)) => satisfies(text, &constraints),
        _ => true,
    };
    if let Some(example) = example.filter(valid) {
        return example;
    }
    match &resolved.kind {
        SchemaKind::String { values, format } => match values.iter().flatten().next() {
            Some(first) => Value::String(first.clone()),
            None => Value::String(string_for(format.as_deref(), &constraints)),
        },
        SchemaKind::Integer { values, .. } => match values.first() {
            Some(first) => Value::from(*first),
            None => Value::from(integer_for(&constraints)),
        },
        SchemaKind::Number { .. } => number_for(&constraints),
        SchemaKind::Boolean => Value::Bool(true),
        SchemaKind::Array(items) if depth < 8 => {
            let count = constraints.min_items.unwrap_or(1).max(1);
            let item = value_at(normalizer, items, depth + 1);
            // Unique items cannot repeat one value; one is what we can give.
            let count = if constraints.unique_items { 1 } else { count };
            Value::Array(vec![item; count.min(16) as usize])
        }
        SchemaKind::Object(object) if depth < 8 => {
            crate::proofs::examples::example(normalizer, schema).unwrap_or_else(|| {
                // Its required properties (those a request may send).
                let properties = object
                    .properties
                    .iter()
                    .filter(|(name, _)| object.required.contains(*name))
                    .filter(|(_, property)| {
                        !property.read_only
                            && !normalizer
                                .resolve(property)
                                .result
                                .is_ok_and(|r| r.read_only)
                    })
                    .map(|(name, property)| {
                        (name.clone(), value_at(normalizer, property, depth + 1))
                    })
                    .collect();
                Value::Object(properties)
            })
        }
        _ => crate::proofs::examples::example(normalizer, schema)
            .unwrap_or(Value::String(string_for(None, &constraints))),
    }
}

/// Whether `text` has the length and matches the pattern `constraints`
/// ask for. `regex` speaks nearly ECMA-262 for the patterns descriptions
/// use; a pattern it cannot read is not checked.
fn satisfies(text: &str, constraints: &Constraints) -> bool {
    let len = text.chars().count() as u64;
    constraints.min_length.map_or(true, |min| len >= min)
        && constraints.max_length.map_or(true, |max| len <= max)
        && constraints
            .pattern
            .as_deref()
            .and_then(|p| regex::Regex::new(p).ok())
            .map_or(true, |m| m.is_match(text))
}

/// A string of `format` (when known) that satisfies `constraints`.
pub fn string_for(format: Option<&str>, constraints: &Constraints) -> String {
    let pattern = constraints.pattern.as_deref();
    let fits = |s: &str| satisfies(s, constraints);
    if let Some(value) = format.and_then(format_value) {
        if fits(value) {
            return value.to_string();
        }
    }
    let min = constraints.min_length.unwrap_or(0) as usize;
    let max = constraints.max_length.map(|m| m as usize);
    if let Some(pattern) = pattern {
        if let Some(value) = matching(pattern, min, max) {
            if fits(&value) {
                return value;
            }
        }
    }
    // The placeholder, cut to `maxLength` or repeated to `minLength`.
    let mut value: String = DEFAULT_ID
        .chars()
        .cycle()
        .take(min.max(DEFAULT_ID.len()))
        .collect();
    if let Some(max) = max {
        value.truncate(max);
    }
    value
}

/// A value of a well-known `format`.
fn format_value(format: &str) -> Option<&'static str> {
    Some(match format {
        "uuid" => "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
        "date" => "2024-01-01",
        "date-time" => "2024-01-01T00:00:00Z",
        "time" => "00:00:00Z",
        "duration" => "P1D",
        "hostname" | "idn-hostname" => "example.com",
        "email" | "idn-email" => "user@example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "uri" | "url" | "iri" => "https://example.com/",
        "uri-reference" | "iri-reference" => "/example",
        "byte" => "YQ==",
        _ => return None,
    })
}

/// An integer in `constraints`' range and step: 1 when allowed, else the
/// allowed value nearest to it.
pub fn integer_for(constraints: &Constraints) -> i64 {
    let bound = |b: &crate::spec::Bound| b.value.as_f64().unwrap_or(0.0);
    let low = constraints.minimum.as_ref().map(|b| {
        let v = bound(b).ceil() as i64;
        if b.exclusive && v as f64 == bound(b) {
            v + 1
        } else {
            v
        }
    });
    let high = constraints.maximum.as_ref().map(|b| {
        let v = bound(b).floor() as i64;
        if b.exclusive && v as f64 == bound(b) {
            v - 1
        } else {
            v
        }
    });
    let mut value = 1i64
        .max(low.unwrap_or(i64::MIN))
        .min(high.unwrap_or(i64::MAX));
    if let Some(step) = constraints
        .multiple_of
        .as_ref()
        .and_then(|m| m.as_i64())
        .filter(|s| *s > 0)
    {
        let up = value.div_euclid(step) * step;
        let up = if up < value { up + step } else { up };
        value = if high.is_some_and(|h| up > h) {
            up - step
        } else {
            up
        };
    }
    value
}

/// A number in `constraints`' range: an integer when one fits, else the
/// middle of an open interval.
pub fn number_for(constraints: &Constraints) -> Value {
    let f = |b: &crate::spec::Bound| b.value.as_f64().unwrap_or(0.0);
    let integer = integer_for(constraints);
    let ok = |v: f64| {
        constraints
            .minimum
            .as_ref()
            .map_or(true, |b| if b.exclusive { v > f(b) } else { v >= f(b) })
            && constraints.maximum.as_ref().map_or(true, |b| {
                if b.exclusive {
                    v < f(b)
                } else {
                    v <= f(b)
                }
            })
    };
    if ok(integer as f64) {
        return Value::from(integer);
    }
    match (&constraints.minimum, &constraints.maximum) {
        (Some(low), Some(high)) => serde_json::Number::from_f64((f(low) + f(high)) / 2.0)
            .map_or(Value::from(integer), Value::Number),
        _ => Value::from(integer),
    }
}

/// The shortest string matching `pattern` whose length is at least `min`
/// (repetitions grow, leftmost first, to reach it) and at most `max`;
/// `None` when the pattern does not parse or no such string is found.
pub fn matching(pattern: &str, min: usize, max: Option<usize>) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut out = String::new();
    let mut budget = min.min(MAX_LEN);
    walk(&hir, &mut budget, &mut out)?;
    let len = out.chars().count();
    (len >= min && max.map_or(true, |max| len <= max)).then_some(out)
}

/// Appends to `out` a string `hir` matches, each repetition taken the
/// fewest times, unless `budget` asks for more characters.
fn walk(hir: &Hir, budget: &mut usize, out: &mut String) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0).ok()?;
            *budget = budget.saturating_sub(text.chars().count());
            out.push_str(text);
        }
        HirKind::Class(class) => {
            out.push(pick(class)?);
            *budget = budget.saturating_sub(1);
        }
        HirKind::Capture(capture) => walk(&capture.sub, budget, out)?,
        HirKind::Concat(parts) => {
            for part in parts {
                walk(part, budget, out)?;
            }
        }
        HirKind::Alternation(branches) => {
            // The branch with the shortest match.
            let best = branches
                .iter()
                .filter_map(|b| {
                    let mut s = String::new();
                    walk(b, &mut 0, &mut s).map(|()| (s.chars().count(), b))
                })
                .min_by_key(|(len, _)| *len)?
                .1;
            walk(best, budget, out)?;
        }
        HirKind::Repetition(repetition) => {
            let mut unit = String::new();
            walk(&repetition.sub, &mut 0, &mut unit)?;
            let width = unit.chars().count();
            let mut count = repetition.min as usize;
            if count.saturating_mul(width) > MAX_LEN {
                return None;
            }
            let max = repetition.max.map_or(usize::MAX, |m| m as usize);
            let taken = count * width;
            *budget = budget.saturating_sub(taken);
            while width > 0 && *budget > 0 && count < max && (count + 1) * width <= MAX_LEN {
                count += 1;
                *budget = budget.saturating_sub(width);
            }
            out.push_str(&unit.repeat(count));
        }
    }
    Some(())
}

/// A readable character of `class`: `a`, `0` or `A` when it holds one,
/// else the first printable one.
fn pick(class: &Class) -> Option<char> {
    let chars: Vec<(char, char)> = match class {
        Class::Unicode(c) => c.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .filter(|r| r.start() < 0x80)
            .map(|r| (char::from(r.start()), char::from(r.end().min(0x7f))))
            .collect(),
    };
    let holds = |c: char| chars.iter().any(|(s, e)| (*s..=*e).contains(&c));
    if let Some(c) = ['a', '0', 'A'].into_iter().find(|c| holds(*c)) {
        return Some(c);
    }
    chars
        .iter()
        .find_map(|(s, e)| (*s..=*e).find(|c| !c.is_control() && !c.is_whitespace()))
        .or_else(|| chars.first().map(|(s, _)| *s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: impl FnOnce(&mut Constraints)) -> Constraints {
        let mut c = Constraints::default();
        f(&mut c);
        c
    }

    #[test]
    fn a_hex_pattern_gives_32_hex_digits() {
        let c = with(|c| c.pattern = Some("^[a-f0-9]{32}$".into()));
        let value = string_for(None, &c);
        assert_eq!(value.len(), 32, "{value}");
        assert!(value.chars().all(|c| c.is_ascii_hexdigit()), "{value}");
        assert!(regex::Regex::new("^[a-f0-9]{32}$")
            .unwrap()
            .is_match(&value));
    }

    #[test]
    fn max_length_cuts_the_placeholder() {
        let value = string_for(None, &with(|c| c.max_length = Some(3)));
        assert!(value.chars().count() <= 3, "{value}");
        assert!(!value.is_empty());
        let long = string_for(None, &with(|c| c.min_length = Some(40)));
        assert_eq!(long.len(), 40);
    }

    #[test]
    fn formats_give_their_values() {
        let uuid = string_for(Some("uuid"), &Constraints::default());
        let shape =
            regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
                .unwrap();
        assert!(shape.is_match(&uuid), "{uuid}");
        assert_eq!(
            string_for(Some("date-time"), &Constraints::default()),
            "2024-01-01T00:00:00Z"
        );
        assert_eq!(
            string_for(Some("email"), &Constraints::default()),
            "user@example.com"
        );
        assert_eq!(
            string_for(Some("ipv4"), &Constraints::default()),
            "192.0.2.1"
        );
        // A format value that breaks the pattern gives way to the pattern.
        let c = with(|c| c.pattern = Some("^[A-Z]{2}$".into()));
        assert_eq!(string_for(Some("uuid"), &c), "AA");
    }

    #[test]
    fn patterns_grow_to_min_length_and_pick_readable_characters() {
        assert_eq!(matching("^[a-z]+$", 0, None).as_deref(), Some("a"));
        assert_eq!(matching("^[a-z]+$", 5, Some(8)).as_deref(), Some("aaaaa"));
        assert_eq!(
            matching("^v[0-9]+(\\.[0-9]+)?$", 0, None).as_deref(),
            Some("v0")
        );
        assert_eq!(
            matching("^(foo|ab|xyz)-\\d{2}$", 0, None).as_deref(),
            Some("ab-00")
        );
        assert_eq!(matching("^[^/]+$", 0, None).as_deref(), Some("a"));
        // Too long for the bound, or not a pattern: no value.
        assert_eq!(matching("^[a-z]{10}$", 0, Some(3)), None);
        assert_eq!(matching("^(unclosed$", 0, None), None);
        for pattern in [
            "^[A-Za-z0-9_-]{3,63}$",
            "^\\w+@\\w+\\.com$",
            "^[1-9][0-9]*$",
            "x{2,}y?",
        ] {
            let value = matching(pattern, 4, None).expect(pattern);
            assert!(
                regex::Regex::new(pattern).unwrap().is_match(&value),
                "{pattern}: {value}"
            );
        }
    }

    #[test]
    fn an_object_without_examples_gets_its_required_properties() {
        let (spec, _) = crate::proofs::examples::tests::fixture(
            &crate::proofs::examples::tests::SPEC.replace(
                "    thing:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string}\n",
                "    thing:\n      type: object\n      required: [name, size, id]\n      properties:\n        name: {type: string, maxLength: 4}\n        size: {type: integer, minimum: 3}\n        id: {type: string, readOnly: true}\n        note: {type: string}\n",
            ),
        );
        let normalizer = Normalizer::new(&spec.schemas);
        let value = value_for(&normalizer, &spec.schemas["thing"]);
        assert_eq!(value, serde_json::json!({"name": "023e", "size": 3}));
    }

    #[test]
    fn an_example_outside_the_enum_gives_way_to_the_first_value() {
        let (spec, _) = crate::proofs::examples::tests::fixture(&crate::proofs::examples::tests::SPEC.replace(
            "  schemas:\n",
            "  schemas:\n    metric: {type: string, enum: [BANDWIDTH, DNS, LATENCY], example: latency}\n    format: {type: string, enum: [JSON, CSV], example: CSV}\n    image: {type: string, maxLength: 32, example: 107b9558-dd06-4bbd-5fef-9c2c16bb7900}\n",
        ));
        let normalizer = Normalizer::new(&spec.schemas);
        assert_eq!(value_for(&normalizer, &spec.schemas["metric"]), "BANDWIDTH");
        assert_eq!(value_for(&normalizer, &spec.schemas["format"]), "CSV");
        // An example longer than `maxLength`: a value that fits instead.
        assert_eq!(value_for(&normalizer, &spec.schemas["image"]), DEFAULT_ID);
    }

    #[test]
    fn numbers_respect_bounds_and_steps() {
        use crate::spec::Bound;
        let bound = |v: i64, exclusive| {
            Some(Bound {
                value: v.into(),
                exclusive,
            })
        };
        assert_eq!(integer_for(&Constraints::default()), 1);
        assert_eq!(integer_for(&with(|c| c.minimum = bound(5, false))), 5);
        assert_eq!(integer_for(&with(|c| c.minimum = bound(5, true))), 6);
        assert_eq!(integer_for(&with(|c| c.maximum = bound(0, false))), 0);
        assert_eq!(
            integer_for(&with(|c| {
                c.minimum = bound(3, false);
                c.multiple_of = Some(5.into());
            })),
            5
        );
        let half = with(|c| {
            c.minimum = Bound::float(0.0, true);
            c.maximum = Bound::float(1.0, true);
        });
        assert_eq!(number_for(&half), serde_json::json!(0.5));
    }
}
