//! [`serialize_without`]: how a request type's `extra` map leaves out the
//! properties the description marks `readOnly`; [`ReadOnly`] and [`extra`]
//! are what generated request types use.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::unknown::Extra;

/// A request type whose description marks some properties `readOnly`:
/// its `extra` map never sends them (see [`extra`]).
pub trait ReadOnly {
    /// The wire names of the read-only properties.
    const READ_ONLY: &'static [&'static str];
}

/// Serializes the `extra` map of request type `T` without `T`'s read-only
/// properties, marked for [`Unknown`](crate::Unknown) as
/// [`unknown::extra`](crate::unknown::extra) does. A generated request type
/// names it in its `extra` field's
/// `#[serde(flatten, serialize_with = "::apigen_runtime::read_only::extra::<Type, _>")]`.
pub fn extra<T: ReadOnly, S: Serializer>(extra: &Extra, serializer: S) -> Result<S::Ok, S::Error> {
    serialize_without(extra, T::READ_ONLY, true, serializer)
}

/// Serializes the entries of a map whose keys are not in `skip`.
///
/// Request types (`FooRequest`) serialize their flattened `extra` map with
/// this, `skip` being the wire names of the properties the description
/// marks `readOnly`: a value copied from a response keeps its unknown
/// fields, but never sends back what only the server may set. With `unknown`
/// (an `extra` map of raw JSON) the entries sent are marked as ones the
/// types did not hold, for [`Unknown`](crate::Unknown).
pub fn serialize_without<'a, K, V, I, S>(
    entries: I,
    skip: &[&str],
    unknown: bool,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    K: AsRef<str> + Serialize + 'a,
    V: Serialize + 'a,
    I: IntoIterator<Item = (&'a K, &'a V)>,
    S: Serializer,
{
    let mut map = serializer.serialize_map(None)?;
    for (key, value) in entries {
        if skip.contains(&key.as_ref()) {
            continue;
        }
        if unknown {
            map.serialize_entry(key, &crate::unknown::Marked(value))?;
        } else {
            map.serialize_entry(key, value)?;
        }
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    #[derive(serde::Serialize)]
    struct Request {
        enabled: bool,
        #[serde(flatten, serialize_with = "skip_read_only")]
        extra: Map<String, Value>,
    }

    fn skip_read_only<S: serde::Serializer>(
        extra: &Map<String, Value>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::serialize_without(extra, &["binding_status"], true, serializer)
    }

    #[test]
    fn read_only_keys_in_extra_are_not_sent() {
        let mut extra = Map::new();
        extra.insert("binding_status".into(), json!("active"));
        extra.insert("future".into(), json!(1));
        let request = Request {
            enabled: true,
            extra,
        };
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"enabled": true, "future": 1})
        );
        assert_eq!(crate::Unknown::unknown_paths(&request), ["/future"]);
    }
}
