//! Turning query parameter values into `name=value` pairs and encoding them.

use percent_encoding::utf8_percent_encode;
use serde_json::Value;

use super::path::COMPONENT;
use super::style::Pair;

/// A pair whose name and value are percent-encoded as a whole.
pub(crate) fn pair(name: String, value: String) -> Pair {
    let encoded = format!(
        "{}={}",
        utf8_percent_encode(&name, COMPONENT),
        utf8_percent_encode(&value, COMPONENT)
    );
    Pair {
        name,
        value,
        encoded,
    }
}

/// Appends the pairs for one parameter, following OpenAPI's defaults:
///
/// * `null` adds nothing (so `Option::None` is left out);
/// * strings as they are, numbers and booleans as their JSON text;
/// * arrays repeat the name (`form` style, exploded): `id=1&id=2`;
/// * objects use `deepObject` style: `filter[name]=x`, nesting further
///   for nested objects.
///
/// Array items that are themselves arrays or objects are sent as JSON text.
pub(crate) fn flatten(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Null => {}
                    Value::Array(_) | Value::Object(_) => {
                        out.push((name.to_owned(), item.to_string()))
                    }
                    _ => flatten(name, item, out),
                }
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                flatten(&format!("{name}[{key}]"), field, out);
            }
        }
        Value::String(text) => out.push((name.to_owned(), text.clone())),
        Value::Bool(_) | Value::Number(_) => out.push((name.to_owned(), value.to_string())),
    }
}

/// Joins encoded pairs into a query string (without the `?`).
pub(crate) fn encode<'p>(pairs: impl IntoIterator<Item = &'p Pair>) -> String {
    let encoded: Vec<&str> = pairs
        .into_iter()
        .map(|pair| pair.encoded.as_str())
        .collect();
    encoded.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(name: &str, value: Value) -> Vec<(String, String)> {
        let mut out = Vec::new();
        flatten(name, &value, &mut out);
        out
    }

    fn strs(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
        pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect()
    }

    #[test]
    fn scalars() {
        assert!(pairs("a", json!(null)).is_empty());
        assert_eq!(strs(&pairs("a", json!("x y"))), [("a", "x y")]);
        assert_eq!(strs(&pairs("a", json!(1.5))), [("a", "1.5")]);
        assert_eq!(strs(&pairs("a", json!(true))), [("a", "true")]);
    }

    #[test]
    fn arrays_repeat() {
        assert_eq!(
            strs(&pairs("id", json!([1, "b", null, [2]]))),
            [("id", "1"), ("id", "b"), ("id", "[2]")]
        );
    }

    #[test]
    fn objects_are_deep() {
        assert_eq!(
            strs(&pairs(
                "f",
                json!({"a": 1, "b": {"c": "d"}, "e": null, "g": [1, 2]})
            )),
            [
                ("f[a]", "1"),
                ("f[b][c]", "d"),
                ("f[g]", "1"),
                ("f[g]", "2")
            ]
        );
    }

    #[test]
    fn encodes() {
        let pairs = vec![
            pair("f[a]".to_owned(), "x y&z=é".to_owned()),
            pair("b".to_owned(), "1".to_owned()),
        ];
        assert_eq!(encode(&pairs), "f%5Ba%5D=x%20y%26z%3D%C3%A9&b=1");
    }
}
