//! Turns spec descriptions into doc comments that `rustdoc` accepts without
//! warnings and that never become doc tests.
//!
//! Descriptions are Markdown written for a web page: they hold bare URLs,
//! square brackets that rustdoc would read as links, HTML-looking `<tags>`, and
//! code blocks (fenced or indented) that rustdoc would compile as Rust.

use serde_json::Value;

use crate::spec::Constraints;

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

/// Adds `sentence` to the end of `doc`: to its last paragraph when that is
/// plain text ("The name." and "Example: `x`." read as one paragraph, on one
/// line), after a blank line when it is a list, code block, table, heading
/// or quote (which would swallow the sentence) or ends with `:` (which
/// announces something else). A last line without closing punctuation gets
/// a period first.
pub(crate) fn append_sentence(doc: &mut Vec<String>, sentence: &str) {
    let start = doc.iter().rposition(String::is_empty).map_or(0, |i| i + 1);
    let plain = doc[start..].iter().all(|line| {
        !line.starts_with([' ', '|', '#', '>'])
            && !line.starts_with("```")
            && list_marker(line).is_none()
    });
    match doc.last_mut() {
        None => doc.push(sentence.to_owned()),
        Some(last) if last.is_empty() => doc.push(sentence.to_owned()),
        Some(last) if plain && !last.ends_with(':') => {
            if !last.ends_with(['.', '!', '?']) {
                last.push('.');
            }
            last.push(' ');
            last.push_str(sentence);
        }
        Some(_) => {
            doc.push(String::new());
            doc.push(sentence.to_owned());
        }
    }
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

/// The validation keywords of a schema as one Markdown doc line, such as
/// "Constraints: length 1–32, pattern `^[a-z]+$`, at most 10 items.";
/// `None` when there are none.
pub(crate) fn constraints_doc(constraints: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    match (constraints.min_length, constraints.max_length) {
        (Some(min), Some(max)) if min == max => parts.push(format!("length {min}")),
        (Some(min), Some(max)) => parts.push(format!("length {min}–{max}")),
        (Some(min), None) => parts.push(format!("at least {min} {}", plural(min, "character"))),
        (None, Some(max)) => parts.push(format!("at most {max} {}", plural(max, "character"))),
        (None, None) => {}
    }
    if let Some(pattern) = &constraints.pattern {
        parts.push(format!("pattern {}", code_span(pattern)));
    }
    let lower = constraints.minimum.as_ref().map(|b| {
        let word = if b.exclusive { "more than" } else { "at least" };
        format!("{word} {}", b.value)
    });
    let upper = constraints.maximum.as_ref().map(|b| {
        let word = if b.exclusive { "less than" } else { "at most" };
        format!("{word} {}", b.value)
    });
    match (&constraints.minimum, &constraints.maximum, lower, upper) {
        (Some(min), Some(max), _, _) if !min.exclusive && !max.exclusive => {
            parts.push(format!("from {} to {}", min.value, max.value))
        }
        (_, _, Some(lower), Some(upper)) => parts.push(format!("{lower} and {upper}")),
        (_, _, lower, upper) => parts.extend(lower.or(upper)),
    }
    if let Some(step) = &constraints.multiple_of {
        parts.push(format!("a multiple of {step}"));
    }
    match (constraints.min_items, constraints.max_items) {
        (Some(min), Some(max)) if min == max => {
            parts.push(format!("exactly {min} {}", plural(min, "item")))
        }
        (Some(min), Some(max)) => parts.push(format!("{min}–{max} items")),
        (Some(min), None) => parts.push(format!("at least {min} {}", plural(min, "item"))),
        (None, Some(max)) => parts.push(format!("at most {max} {}", plural(max, "item"))),
        (None, None) => {}
    }
    if constraints.unique_items {
        parts.push("items unique".to_string());
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!("Constraints: {}.", parts.join(", ")))
}

/// The examples of a schema (its `example`, then its `examples`, repeats
/// dropped, at most three) as one Markdown doc line of compact JSON, such
/// as "Examples: `\"abc\"`, `42`."; `None` when there are none. A value
/// longer than 80 characters is cut with `…`.
pub(crate) fn examples_doc<'v>(examples: impl IntoIterator<Item = &'v Value>) -> Option<String> {
    const MAX: usize = 3;
    const WIDTH: usize = 80;
    let mut shown: Vec<String> = Vec::new();
    for value in examples {
        // As `Display` writes it, without going through `fmt`.
        let json = serde_json::to_string(value).unwrap_or_default();
        if shown.contains(&json) {
            continue;
        }
        shown.push(json);
        if shown.len() == MAX {
            break;
        }
    }
    if shown.is_empty() {
        return None;
    }
    let spans: Vec<String> = shown
        .iter()
        .map(|json| {
            if json.chars().count() > WIDTH {
                let cut: String = json.chars().take(WIDTH).collect();
                format!("{}…", code_span(&cut))
            } else {
                code_span(json)
            }
        })
        .collect();
    let label = if spans.len() == 1 {
        "Example"
    } else {
        "Examples"
    };
    Some(format!("{label}: {}.", spans.join(", ")))
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// `text` as a Markdown code span on one line: the fence is one backtick
/// longer than the longest run of backticks inside, padded with a space
/// when the text starts or ends with one.
fn code_span(text: &str) -> String {
    if !text.contains(['\n', '\r', '`']) {
        // Most examples: one backtick each side, nothing to replace.
        let mut span = String::with_capacity(text.len() + 2);
        span.push('`');
        span.push_str(text);
        span.push('`');
        return span;
    }
    let text = text.replace('\n', "\\n").replace('\r', "\\r");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests;
