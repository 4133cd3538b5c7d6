//! Turns spec descriptions into doc comments that `rustdoc` accepts without
//! warnings and that never become doc tests.
//!
//! Descriptions are Markdown written for a web page: they hold bare URLs,
//! square brackets that rustdoc would read as links, HTML-looking `<tags>`, and
//! code blocks (fenced or indented) that rustdoc would compile as Rust.

/// Cleans one description for use as a doc comment. Returns the lines.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_fence = false;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                lines.push("```".to_string());
            } else {
                // Whatever language the spec names, it is not Rust to compile.
                lines.push("```text".to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            lines.push(line.to_string());
        } else {
            // Leading spaces would make an indented code block (a doc test).
            lines.push(escape_inline(trimmed));
        }
    }
    if in_fence {
        lines.push("```".to_string());
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Escapes what rustdoc would misread outside code: brackets (intra-doc
/// links), angle brackets (HTML), and bare URLs.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code {
            if let Some(url_len) = url_at(rest) {
                let url = &rest[..url_len];
                let preceded_by_link = out.ends_with("](") || out.ends_with('<');
                if preceded_by_link {
                    out.push_str(url);
                } else {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                }
                rest = &rest[url_len..];
                continue;
            }
            match c {
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    if in_code {
        // An unbalanced backtick would swallow the next lines.
        out.push('`');
    }
    out
}

/// The length of a URL starting at the beginning of `s`, if one does.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_links_html_and_urls() {
        assert_eq!(
            sanitize("See https://example.com/x. Use [a] or <b>."),
            vec!["See <https://example.com/x>. Use \\[a\\] or &lt;b&gt;."]
        );
        assert_eq!(sanitize("`[x]` stays"), vec!["`[x]` stays"]);
    }

    #[test]
    fn code_never_becomes_a_doc_test() {
        assert_eq!(
            sanitize("Example:\n\n    indented\n```js\nlet x = 1;\n```"),
            vec!["Example:", "", "indented", "```text", "let x = 1;", "```"]
        );
        assert_eq!(sanitize("```\nopen"), vec!["```text", "open", "```"]);
    }
}
