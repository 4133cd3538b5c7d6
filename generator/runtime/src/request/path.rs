//! Filling a path template's `{placeholders}` with percent-encoded path
//! parameters.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) is encoded, so a value can't add path segments,
/// a query or a fragment.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a value as exactly one path segment.
///
/// Empty, `.` and `..` values are refused: URL parsers drop or resolve such
/// segments even when percent-encoded (`%2E%2E` is `..` to them), so they
/// would change which resource the request addresses.
pub(crate) fn encode_segment(name: &str, value: &str) -> Result<String, String> {
    match value {
        "" => Err(format!("path parameter `{name}` is empty")),
        "." | ".." => Err(format!(
            "path parameter `{name}` is `{value}`, which would change the request path"
        )),
        // Encoding would make them harmless, but no identifier holds a line
        // break: it is a caller's bug (or an injection attempt) to report.
        _ if value.contains(['\r', '\n']) => Err(format!(
            "path parameter `{name}` contains a line break (CR or LF)"
        )),
        _ => Ok(utf8_percent_encode(value, COMPONENT).to_string()),
    }
}

/// Substitutes every `{name}` in `template` with its (already encoded)
/// value. Fails on a placeholder without a value, a value without a
/// placeholder, or an unbalanced brace.
pub(crate) fn fill(template: &str, params: &[(String, String)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 32);
    if !template.starts_with('/') {
        out.push('/');
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("path template `{template}` has an unclosed `{{`"))?;
        let name = &after[..close];
        // The last value set for a name wins.
        let value = params
            .iter()
            .rev()
            .find(|(param, _)| param == name)
            .map(|(_, value)| value)
            .ok_or_else(|| format!("path parameter `{name}` was not set"))?;
        out.push_str(value);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path template `{template}` has an unmatched `}}`"));
    }
    out.push_str(rest);
    if let Some((unknown, _)) = params
        .iter()
        .find(|(name, _)| !template.contains(&format!("{{{name}}}")))
    {
        return Err(format!(
            "path template `{template}` has no `{{{unknown}}}` placeholder"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| {
                let encoded = encode_segment(name, value).unwrap_or_default();
                ((*name).to_owned(), encoded)
            })
            .collect()
    }

    #[test]
    fn fills_and_encodes() {
        let filled = fill(
            "/zones/{zone_id}/dns_records/{id}",
            &params(&[("zone_id", "a/b?c#d%e f"), ("id", "x.y_z~-")]),
        );
        assert_eq!(
            filled.as_deref(),
            Ok("/zones/a%2Fb%3Fc%23d%25e%20f/dns_records/x.y_z~-")
        );
    }

    #[test]
    fn line_breaks_are_refused() {
        for value in ["a\r\nHost: evil", "a\nb", "\r"] {
            assert!(encode_segment("id", value).is_err(), "{value:?}");
        }
    }

    #[test]
    fn encodes_unicode() {
        assert_eq!(encode_segment("n", "é").as_deref(), Ok("%C3%A9"));
    }

    #[test]
    fn refuses_dot_segments_and_empty() {
        assert!(encode_segment("n", ".").is_err());
        assert!(encode_segment("n", "..").is_err());
        assert!(encode_segment("n", "").is_err());
        assert_eq!(encode_segment("n", "...").as_deref(), Ok("..."));
    }

    #[test]
    fn reports_missing_unknown_and_malformed() {
        assert!(fill("/a/{x}", &[]).is_err());
        assert!(fill("/a", &params(&[("x", "1")])).is_err());
        assert!(fill("/a/{x", &params(&[("x", "1")])).is_err());
        assert!(fill("/a/x}", &[]).is_err());
        assert_eq!(fill("a", &[]).as_deref(), Ok("/a"));
    }
}
