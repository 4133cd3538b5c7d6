//! Short, printable previews of response bodies for error messages and
//! `Debug` output, so a multi-megabyte body never floods a log line.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;

/// How many characters of a body an error message shows.
const MESSAGE_CHARS: usize = 200;
/// How many bytes of a body `Debug` shows.
const DEBUG_BYTES: usize = 1024;

/// A one-line summary of a body for an error message: the `<title>` of an
/// HTML page, else the text with whitespace collapsed, cut at 200
/// characters. `None` for an empty body.
pub(crate) fn summary(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = html_title(&text).unwrap_or(&text);
    // Collapse whitespace and drop control characters so a body can't
    // forge log lines.
    let collapsed = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(|ch: char| ch.is_control(), "");
    let mut out: String = collapsed.chars().take(MESSAGE_CHARS).collect();
    if out.len() < collapsed.len() {
        out.push('…');
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// The text inside `<title>…</title>`, when the body looks like HTML.
fn html_title(text: &str) -> Option<&str> {
    if !text.trim_start().starts_with('<') {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    // ASCII lowercasing keeps byte offsets, so these index `text` too.
    text.get(start..end)
        .filter(|title| !title.trim().is_empty())
}

/// `Debug` for a body: its length and its first kilobyte as an escaped
/// byte string.
pub(crate) struct DebugBody<'a>(pub(crate) &'a Bytes);

impl fmt::Debug for DebugBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.0;
        if body.len() <= DEBUG_BYTES {
            write!(f, "{body:?}")
        } else {
            let head = body.slice(..DEBUG_BYTES);
            write!(f, "{head:?}… ({} bytes)", body.len())
        }
    }
}

/// Headers whose values `Debug` never shows.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-auth-key",
    "x-auth-user-service-key",
];

/// `Debug` for headers that prints `[redacted]` for credential and cookie
/// headers (and any value marked sensitive).
pub(crate) struct DebugHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || SECRET_HEADERS.contains(&name.as_str()) {
                map.entry(&name.as_str(), &format_args!("[redacted]"));
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises_html_by_title() {
        let page =
            b"<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>";
        assert_eq!(
            summary(page).as_deref(),
            Some("Attention Required! | Cloudflare")
        );
    }

    #[test]
    fn collapses_whitespace_and_truncates() {
        assert_eq!(
            summary(b"  error code:\n 1015 ").as_deref(),
            Some("error code: 1015")
        );
        let long = "x".repeat(500);
        let text = summary(long.as_bytes()).unwrap_or_default();
        assert!(text.chars().count() <= MESSAGE_CHARS + 1, "{text}");
        assert_eq!(summary(b" \n "), None);
    }

    #[test]
    fn debug_headers_redacts_secrets() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "set-cookie",
            reqwest::header::HeaderValue::from_static("__cf_bm=abc"),
        );
        headers.insert("cf-ray", reqwest::header::HeaderValue::from_static("r1"));
        let text = format!("{:?}", DebugHeaders(&headers));
        assert!(!text.contains("abc"), "{text}");
        assert!(text.contains("r1"), "{text}");
    }

    #[test]
    fn debug_is_bounded() {
        let body = Bytes::from(vec![b'a'; 10_000]);
        let text = format!("{:?}", DebugBody(&body));
        assert!(text.len() < 1200, "{}", text.len());
        assert!(text.ends_with("(10000 bytes)"));
    }
}
