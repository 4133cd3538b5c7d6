//! Small readers of plain keywords: text and flags, validation keywords
//! (`Constraints`), security schemes, servers and tags.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Version;
use crate::spec::{
    Bound, ClientCredentialsFlow, Constraints, SecurityScheme, SecuritySchemeKind, Server,
};

/// The text under `key`, if it is text.
pub(super) fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

/// The flag under `key`; `false` when it is missing or not a boolean.
pub(super) fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The entries of the map `value` (none when it is not a map).
pub(super) fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

/// The value under `key`; in 3.0, a `null` reads as missing (as an
/// optional field of `openapiv3`'s types does), while in 3.1 it is a value
/// (a `null` example or default).
pub(super) fn get<'v>(version: Version, value: &'v Value, key: &str) -> Option<&'v Value> {
    let found = value.get(key);
    match version {
        Version::V30 => found.filter(|v| !v.is_null()),
        Version::V31 => found,
    }
}

/// The validation keywords of a schema.
pub(super) fn constraints(version: Version, map: &Map<String, Value>) -> Constraints {
    let size = |key: &str| map.get(key).and_then(Value::as_u64);
    let (minimum, maximum, multiple_of) = match version {
        Version::V30 => bounds_30(map),
        Version::V31 => bounds_31(map),
    };
    Constraints {
        min_length: size("minLength"),
        max_length: size("maxLength"),
        pattern: map
            .get("pattern")
            .and_then(Value::as_str)
            .map(str::to_string),
        minimum,
        maximum,
        multiple_of,
        min_items: size("minItems"),
        max_items: size("maxItems"),
        unique_items: map.get("uniqueItems") == Some(&Value::Bool(true)),
    }
}

type Bounds = (Option<Bound>, Option<Bound>, Option<serde_json::Number>);

/// 3.0's `minimum`, `maximum` (with the booleans `exclusiveMinimum` and
/// `exclusiveMaximum`) and `multipleOf`. They are read as `f64` (a whole
/// one written as an integer), except in a schema that is only an
/// integer, whose whole bounds are kept exactly (as `openapiv3` reads its
/// integer type).
fn bounds_30(map: &Map<String, Value>) -> Bounds {
    let exact = integer_only(map);
    let number = |key: &str| match map.get(key) {
        Some(Value::Number(n)) => Some(n),
        _ => None,
    };
    let bound = |key: &str, exclusive: &str| {
        let exclusive = map.get(exclusive) == Some(&Value::Bool(true));
        let value = number(key)?;
        if exact {
            Some(Bound {
                value: value.clone(),
                exclusive,
            })
        } else {
            Bound::float(value.as_f64()?, exclusive)
        }
    };
    let multiple_of = bound("multipleOf", "").map(|b| b.value);
    (
        bound("minimum", "exclusiveMinimum"),
        bound("maximum", "exclusiveMaximum"),
        multiple_of,
    )
}

/// Whether a 3.0 schema is an integer and nothing else: `type: integer`,
/// only the keywords of a number, its bounds and `enum` values whole.
fn integer_only(map: &Map<String, Value>) -> bool {
    if map.get("type").and_then(Value::as_str) != Some("integer") {
        return false;
    }
    let whole = |v: &Value| v.is_null() || v.is_i64();
    map.iter()
        .filter(|(_, v)| !v.is_null())
        .all(|(key, v)| match key.as_str() {
            "minimum" | "maximum" | "multipleOf" => whole(v),
            "enum" => v.as_array().is_some_and(|values| values.iter().all(whole)),
            "pattern"
            | "properties"
            | "required"
            | "additionalProperties"
            | "minProperties"
            | "maxProperties"
            | "items"
            | "minItems"
            | "maxItems"
            | "uniqueItems"
            | "minLength"
            | "maxLength"
            | "oneOf"
            | "allOf"
            | "anyOf"
            | "not" => false,
            _ => true,
        })
}

/// 3.1's bounds: `exclusiveMinimum` and `exclusiveMaximum` are numbers of
/// their own (the tighter of them and `minimum`/`maximum` is kept); the
/// 3.0 booleans are read too.
fn bounds_31(map: &Map<String, Value>) -> Bounds {
    let number = |key: &str| match map.get(key) {
        Some(Value::Number(n)) => Some(n.clone()),
        _ => None,
    };
    let bound = |inclusive: &str, exclusive: &str, lower: bool| {
        let plain = number(inclusive).map(|value| Bound {
            value,
            exclusive: map.get(exclusive) == Some(&Value::Bool(true)),
        });
        let strict = number(exclusive).map(|value| Bound {
            value,
            exclusive: true,
        });
        match (plain, strict) {
            (Some(p), Some(s)) => {
                let (pv, sv) = (p.value.as_f64(), s.value.as_f64());
                let strict_is_tighter = if lower { sv >= pv } else { sv <= pv };
                Some(if strict_is_tighter { s } else { p })
            }
            (p, s) => p.or(s),
        }
    };
    (
        bound("minimum", "exclusiveMinimum", true),
        bound("maximum", "exclusiveMaximum", false),
        number("multipleOf"),
    )
}

/// Whether a keyword next to `$ref` (3.1) constrains the value (so the
/// schema is the reference *and* more), rather than documenting or
/// flagging it.
pub(super) fn is_structural(keyword: &str) -> bool {
    matches!(
        keyword,
        "type"
            | "properties"
            | "additionalProperties"
            | "items"
            | "prefixItems"
            | "allOf"
            | "oneOf"
            | "anyOf"
            | "not"
            | "enum"
            | "const"
            | "required"
    )
}

/// A security scheme; `None` for one that is sent by no request
/// (`mutualTLS`) or that is not understood.
pub(super) fn security_scheme(scheme: &Value) -> Option<SecurityScheme> {
    use SecuritySchemeKind as K;
    let kind = match scheme.get("type").and_then(Value::as_str)? {
        "apiKey" => {
            let name = text(scheme, "name")?;
            match scheme.get("in").and_then(Value::as_str)? {
                "header" => K::Header(name),
                "query" => K::Query(name),
                "cookie" => K::Cookie(name),
                _ => return None,
            }
        }
        "http" => match text(scheme, "scheme") {
            Some(s) if s.eq_ignore_ascii_case("basic") => K::Basic,
            Some(s) if s.eq_ignore_ascii_case("bearer") => K::Bearer,
            _ => K::Http,
        },
        "oauth2" => K::OAuth2,
        "openIdConnect" => K::OpenIdConnect,
        // `mutualTLS` is set up on the HTTP client, not sent per request.
        _ => return None,
    };
    let client_credentials = match kind {
        K::OAuth2 => client_credentials_flow(scheme),
        _ => None,
    };
    Some(SecurityScheme {
        kind,
        description: text(scheme, "description"),
        env: text(scheme, "x-apigen-env"),
        client_credentials,
    })
}

/// An `oauth2` scheme's `flows.clientCredentials`; `None` without one or
/// when its `tokenUrl` is missing or empty.
fn client_credentials_flow(scheme: &Value) -> Option<ClientCredentialsFlow> {
    let flow = scheme.get("flows")?.get("clientCredentials")?;
    let token_url = text(flow, "tokenUrl").filter(|url| !url.trim().is_empty())?;
    Some(ClientCredentialsFlow {
        token_url: token_url.trim().to_owned(),
        scopes: entries(flow.get("scopes"))
            .map(|(name, _)| name.clone())
            .collect(),
    })
}

/// The document's `servers`, variables sorted by name.
pub(super) fn servers(doc: &Value) -> Vec<Server> {
    doc.get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|server| {
            let mut variables: Vec<(String, String, Option<String>)> =
                entries(server.get("variables"))
                    .filter_map(|(name, variable)| {
                        Some((
                            name.clone(),
                            text(variable, "default")?,
                            text(variable, "description"),
                        ))
                    })
                    .collect();
            variables.sort();
            Some(Server {
                url: text(server, "url")?,
                description: text(server, "description"),
                variables,
            })
        })
        .collect()
}

/// The document's tags: each name with its description.
pub(super) fn tags(doc: &Value) -> BTreeMap<String, Option<String>> {
    doc.get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| Some((text(t, "name")?, text(t, "description"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_oauth2_scheme_keeps_its_client_credentials_flow() {
        let scheme = security_scheme(&json!({
            "type": "oauth2",
            "flows": {
                "authorizationCode": {"authorizationUrl": "/a", "tokenUrl": "/a/t", "scopes": {}},
                "clientCredentials": {
                    "tokenUrl": " https://auth.test/token ",
                    "scopes": {"write": "", "read": "read things"}
                }
            }
        }))
        .expect("a scheme");
        assert_eq!(scheme.kind, SecuritySchemeKind::OAuth2);
        assert_eq!(
            scheme.client_credentials,
            Some(ClientCredentialsFlow {
                token_url: "https://auth.test/token".into(),
                scopes: vec!["read".into(), "write".into()],
            })
        );
        // No flow, or one without a token URL: nothing to fetch tokens from.
        for flows in [
            json!({}),
            json!({"clientCredentials": {"tokenUrl": "", "scopes": {}}}),
        ] {
            let scheme = security_scheme(&json!({"type": "oauth2", "flows": flows}));
            assert_eq!(scheme.expect("a scheme").client_credentials, None);
        }
    }
}
