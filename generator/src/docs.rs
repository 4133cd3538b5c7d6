//! Turns spec descriptions into doc comments that `rustdoc` accepts without
//! warnings and that never become doc tests.
//!
//! Descriptions are Markdown written for a web page: they hold bare URLs,
//! square brackets that rustdoc would read as links, HTML-looking `<tags>`, and
//! code blocks (fenced or indented) that rustdoc would compile as Rust.

/// Cleans one description for use as a doc comment. Returns the lines.
pub fn sanitize(text: &str) -> Vec<String> {
    let text = html_to_markdown(text);
    let mut lines = Vec::new();
    let mut in_fence = false;
    // The content column of the list item whose paragraph goes on, if any.
    let mut item_indent: Option<usize> = None;
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
            item_indent = None;
            continue;
        }
        if in_fence {
            lines.push(line.to_string());
            continue;
        }
        // Leading spaces would make an indented code block (a doc test), so
        // they go; but a line that continues a list item's paragraph is
        // indented to the item's content, as rustdoc and clippy expect
        // (`doc_lazy_continuation`).
        let escaped = escape_inline(trimmed);
        if trimmed.is_empty() {
            item_indent = None;
            // One blank line separates paragraphs; more add nothing.
            if lines.last().is_some_and(|l: &String| !l.is_empty()) {
                lines.push(escaped);
            }
        } else if lines.last().is_some_and(|l: &String| l.starts_with('>'))
            && !trimmed.starts_with('>')
        {
            // A block quote's paragraph goes on: mark the line as quoted
            // too (clippy's `doc_lazy_continuation`).
            lines.push(format!("> {escaped}"));
        } else if let Some(width) = list_marker(trimmed) {
            item_indent = Some(width);
            lines.push(escaped);
        } else if let Some(width) = item_indent {
            lines.push(format!("{}{escaped}", " ".repeat(width)));
        } else {
            lines.push(escaped);
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

/// The width of the list marker a line starts with (`- `, `* `, `+ `, `1. `,
/// `2) `, with the spaces after it), which is where the item's content starts.
fn list_marker(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = match line.as_bytes().first()? {
        b'-' | b'*' | b'+' => 1,
        _ if (1..=9).contains(&digits)
            && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) =>
        {
            digits + 1
        }
        _ => return None,
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    match spaces {
        0 => None,
        // Five spaces or more: the item's content is an indented block; its
        // content starts one space after the marker.
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Rewrites the HTML descriptions often carry (`<p>`, `<br>`, `<b>`,
/// `<code>`, `<a href>`, lists) as Markdown; other tags are left for
/// [`escape_inline`] to show as text.
fn html_to_markdown(text: &str) -> String {
    if !text.contains('<') {
        return text.to_owned();
    }
    let lower = text.to_ascii_lowercase();
    // Inline tags become Markdown only when they are closed somewhere.
    let paired = |name: &str| lower.contains(&format!("</{name}>"));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut link: Option<String> = None;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            return out;
        };
        let tag = &after[1..end];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let replacement = match (name.as_str(), closing) {
            ("p" | "div", false) => Some("\n\n".to_owned()),
            ("p" | "div", true) => Some("\n\n".to_owned()),
            ("br", _) => Some("\n".to_owned()),
            ("b" | "strong", _) if paired(&name) => Some("**".to_owned()),
            ("i" | "em", _) if paired(&name) => Some("*".to_owned()),
            ("code" | "tt", _) if paired(&name) => Some("`".to_owned()),
            ("ul" | "ol", _) => Some("\n".to_owned()),
            ("li", false) => Some("\n- ".to_owned()),
            ("li", true) => Some(String::new()),
            ("a", false) => {
                link = href(tag);
                Some(if link.is_some() {
                    "[".to_owned()
                } else {
                    String::new()
                })
            }
            ("a", true) => Some(match link.take() {
                Some(url) => format!("]({url})"),
                None => String::new(),
            }),
            _ => None,
        };
        match replacement {
            Some(replacement) => out.push_str(&replacement),
            None => out.push_str(&after[..=end]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The absolute URL of an `<a href="...">` tag.
fn href(tag: &str) -> Option<String> {
    let start = tag.find("href=")? + 5;
    let quoted = &tag[start..];
    let quote = quoted.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let url = &quoted[1..];
    let url = &url[..url.find(quote)?];
    (url.starts_with("http://") || url.starts_with("https://")).then(|| url.to_owned())
}

/// A Markdown link to an absolute URL at the start of `s` (`[text](url)`):
/// its text and URL and the length it spans.
fn markdown_link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let text = &s[1..close];
    if text.contains(['[', ']']) {
        return None;
    }
    let target = &s[close + 2..];
    let url_len = url_at(target)?;
    target[url_len..]
        .starts_with(')')
        .then(|| (text, &target[..url_len], close + 2 + url_len + 1))
}

/// Escapes what rustdoc would misread outside code: brackets (intra-doc
/// links), angle brackets (HTML), and bare URLs. Links to absolute URLs are
/// kept as links; a leading `>` stays a block quote.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(quote) = rest.strip_prefix('>') {
        out.push('>');
        rest = quote;
    }
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = &rest[1..];
            continue;
        }
        if !in_code && c == '[' {
            if let Some((text, url, len)) = markdown_link(rest) {
                out.push('[');
                out.push_str(&text.replace('<', "&lt;").replace('>', "&gt;"));
                out.push_str("](");
                out.push_str(url);
                out.push(')');
                rest = &rest[len..];
                continue;
            }
        }
        if !in_code {
            if let Some(url_len) = url_at(rest) {
                let url = &rest[..url_len];
                if out.ends_with('<') {
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
    fn html_becomes_markdown() {
        assert_eq!(
            sanitize("<p>Lists the <b>pets</b>.</p><p>See <a href=\"https://example.com/docs\">the docs</a>, <code>limit</code>.</p><ul><li>one</li><li>two</li></ul>"),
            [
                "Lists the **pets**.",
                "",
                "See [the docs](https://example.com/docs), `limit`.",
                "",
                "- one",
                "- two",
            ]
        );
        // Unknown or unclosed tags stay text.
        assert_eq!(
            sanitize("a <blink>b</blink> <b>c"),
            ["a &lt;blink&gt;b&lt;/blink&gt; &lt;b&gt;c"]
        );
    }

    #[test]
    fn a_quoted_paragraph_is_quoted_on_every_line() {
        assert_eq!(
            sanitize("> Returns a 430\nwhich is unofficial.\n\nAfter."),
            ["> Returns a 430", "> which is unofficial.", "", "After."]
        );
    }

    #[test]
    fn links_to_urls_stay_links_and_quotes_stay_quotes() {
        assert_eq!(
            sanitize("> We use [httpsnippet](https://npm.im/@readme/httpsnippet) but [x] is text"),
            ["> We use [httpsnippet](https://npm.im/@readme/httpsnippet) but \\[x\\] is text"]
        );
    }

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

    #[test]
    fn list_item_continuations_are_indented_to_the_item() {
        assert_eq!(
            sanitize(
                "Notes:\n- Domain names are always in Punycode, even if\nUnicode was used.\n\
                 - Short.\n10. Numbered item\n  goes on.\n*  Star item\nlazy\n\nAfter the list."
            ),
            vec![
                "Notes:",
                "- Domain names are always in Punycode, even if",
                "  Unicode was used.",
                "- Short.",
                "10. Numbered item",
                "    goes on.",
                "*  Star item",
                "   lazy",
                "",
                "After the list.",
            ]
        );
        // Not list markers: emphasis, a negative number, a year.
        assert_eq!(
            sanitize("*bold* text\nnext\n-1 degrees\nnext\n2024.\nnext"),
            vec!["*bold* text", "next", "-1 degrees", "next", "2024.", "next"]
        );
        // A fence ends the item.
        assert_eq!(
            sanitize("- item\n```\ncode\n```\nafter"),
            vec!["- item", "```text", "code", "```", "after"]
        );
    }
}
