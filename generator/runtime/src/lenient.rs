//! Forgiving conversions from JSON values, used to decode the parts of a
//! response envelope (messages, `result_info`) that must never fail a call.

use serde_json::{Map, Value};

/// A whole number from an integer, an integral float (`2.0`) or a numeric
/// string (`"2"`); `None` for anything else or when out of range.
pub(crate) fn int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number
            .as_i64()
            .or_else(|| number.as_f64().and_then(integral_f64)),
        Value::String(text) => {
            let text = text.trim();
            text.parse::<i64>()
                .ok()
                .or_else(|| text.parse::<f64>().ok().and_then(integral_f64))
        }
        _ => None,
    }
}

/// Like [`int`] but for non-negative numbers.
pub(crate) fn uint(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) if number.is_u64() => number.as_u64(),
        _ => int(value).and_then(|n| u64::try_from(n).ok()),
    }
}

/// A string, or the text of a number or boolean; `None` for anything else
/// (including `null`).
pub(crate) fn string(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// Removes `key` from `map` and converts it; a `null` gives `None`, a value
/// `convert` rejects is put back so it stays visible in `extra`.
pub(crate) fn take_field<T>(
    map: &mut Map<String, Value>,
    key: &str,
    convert: impl FnOnce(&Value) -> Option<T>,
) -> Option<T> {
    let value = map.remove(key)?;
    if value.is_null() {
        return None;
    }
    let converted = convert(&value);
    if converted.is_none() {
        map.insert(key.to_owned(), value);
    }
    converted
}

/// An `f64` that holds a whole number representable as `i64`.
fn integral_f64(value: f64) -> Option<i64> {
    // i64::MAX as f64 rounds up to 2^63, so compare with a strict `<`.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if value.fract() == 0.0 && (-LIMIT..LIMIT).contains(&value) {
        // The checks above make this cast exact.
        #[allow(clippy::cast_possible_truncation)]
        Some(value as i64)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ints() {
        assert_eq!(int(&json!(81057)), Some(81057));
        assert_eq!(int(&json!(2.0)), Some(2));
        assert_eq!(int(&json!(2.5)), None);
        assert_eq!(int(&json!(" 42 ")), Some(42));
        assert_eq!(int(&json!("1e3")), Some(1000));
        assert_eq!(int(&json!("x")), None);
        assert_eq!(int(&json!(1e300)), None);
        assert_eq!(int(&json!(null)), None);
        assert_eq!(uint(&json!(u64::MAX)), Some(u64::MAX));
        assert_eq!(uint(&json!(-1)), None);
    }

    #[test]
    fn strings() {
        assert_eq!(string(&json!("a")).as_deref(), Some("a"));
        assert_eq!(string(&json!(3)).as_deref(), Some("3"));
        assert_eq!(string(&json!(null)), None);
        assert_eq!(string(&json!({})), None);
    }
}
