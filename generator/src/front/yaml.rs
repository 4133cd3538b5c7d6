//! YAML text to a JSON value, read straight from the YAML parser (no
//! `serde_yaml::Value` in between): integers of any size load as JSON's
//! do (beyond 64 bits as the nearest `f64`, where `serde_yaml::Value`
//! refuses them), and scalar keys (the status code `200`) become text.

use std::fmt;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses one YAML document into JSON.
pub(super) fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    Json.deserialize(serde_yaml::Deserializer::from_str(text))
}

/// Reads any YAML node as JSON.
#[derive(Clone, Copy)]
struct Json;

impl<'de> DeserializeSeed<'de> for Json {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A number JSON can hold (`null` for a NaN or an infinity, as before).
fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for Json {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    // Beyond 64 bits, as `serde_json` reads such a number in JSON.
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(float(v as f64))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(float(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(self)? {
            let key = match key {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    return Err(A::Error::custom(format!(
                        "unsupported mapping key {other}; use plain scalar keys"
                    )))
                }
            };
            if object.contains_key(&key) {
                return Err(A::Error::custom(format!(
                    "duplicate entry with key {key:?}"
                )));
            }
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    /// A tagged value (`!tag value`) is its value.
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant) = data.variant::<String>()?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn integers_of_any_size_load_as_in_json() {
        let value = super::parse("a: 18446744073709552000\nb: -18446744073709552000\nc: 7\n")
            .expect("loads");
        let json: serde_json::Value = serde_json::from_str(
            r#"{"a": 18446744073709552000, "b": -18446744073709552000, "c": 7}"#,
        )
        .expect("json");
        assert_eq!(value, json);
        assert!(value["a"].is_f64());
    }

    #[test]
    fn keys_become_text_and_duplicates_are_refused() {
        assert_eq!(
            super::parse("200: {x: !tag 1}\ntrue: [a]\n").expect("loads"),
            json!({"200": {"x": 1}, "true": ["a"]})
        );
        let error = super::parse("a: 1\na: 2\n").expect_err("duplicate");
        assert!(
            error.to_string().contains("duplicate entry with key \"a\""),
            "{error}"
        );
    }
}
