//! Doc attributes: the spec's descriptions (already sanitized by
//! `crate::docs`) as `#[doc]` lines, deprecation notes and doc aliases.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::naming;

/// Doc comment text: each line after a space, blank lines kept blank, as
/// the string literal of a `#[doc]` attribute.
fn doc_text(lines: &[String]) -> Vec<Literal> {
    lines
        .iter()
        .map(|line| {
            if line.is_empty() {
                string_literal("")
            } else {
                string_literal(&format!(" {line}"))
            }
        })
        .collect()
}

/// The string literal of `text`, exactly as [`Literal::string`] writes it.
/// That escapes every character through `char::escape_debug` (a Unicode
/// table lookup each: 5 % of the instructions of a whole Cloudflare run);
/// in printable ASCII, nearly all the docs, only `"` and `\` need an escape,
/// so such text is escaped here and the literal lexed from it.
fn string_literal(text: &str) -> Literal {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        let mut repr = String::with_capacity(text.len() + 2);
        repr.push('"');
        for c in text.chars() {
            if c == '"' || c == '\\' {
                repr.push('\\');
            }
            repr.push(c);
        }
        repr.push('"');
        if let Ok(literal) = repr.parse::<Literal>() {
            return literal;
        }
    }
    Literal::string(text)
}

/// `#[doc = ..]` a line.
pub(super) fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = doc_text(lines);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = ..]` a line: a module's or the crate's own docs.
pub(super) fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let lines = doc_text(lines);
    quote!(#(#![doc = #lines])*)
}

/// `doc`, with a note when the spec marks the item deprecated.
pub(super) fn with_deprecation(doc: &[String], deprecated: bool) -> Vec<String> {
    let mut lines = doc.to_vec();
    if deprecated {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push("**Deprecated** in the API description.".into());
    }
    lines
}

/// The text of `#[deprecated(note = ..)]`: the first line of the docs.
pub(super) fn deprecation_note(doc: &[String]) -> String {
    let first = doc.iter().find(|l| !l.is_empty()).cloned();
    match first {
        Some(line) => format!("deprecated in the API description: {line}"),
        None => "deprecated in the API description".to_owned(),
    }
}

/// A `#[doc(alias)]` rustdoc accepts: not the item's name, no quotes or
/// line breaks, no space at either end.
pub(super) fn doc_alias(alias: &str, name: &str) -> Option<TokenStream> {
    let ok = !alias.is_empty()
        && alias != naming::unraw(name)
        && alias.trim() == alias
        && !alias.contains(['"', '\'', '\n', '\r', '\t', '\\']);
    ok.then(|| quote!(#[doc(alias = #alias)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_are_written_as_proc_macro2_writes_them() {
        let texts = [
            "",
            " plain ASCII, with 'quotes' and \"double quotes\"",
            r"a \backslash\ and \n as text",
            "tab\there, newline\nthere",
            "caf\u{e9} \u{200b}zero width, \u{1f600} and \u{7f}",
            "\0 and \u{0}7",
        ];
        for text in texts {
            assert_eq!(
                string_literal(text).to_string(),
                Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn doc_lines_get_a_leading_space_and_blank_lines_stay_blank() {
        let doc = doc_attrs(&["First.".into(), String::new(), "Second.".into()]).to_string();
        assert_eq!(
            doc,
            quote!(#[doc = " First."] #[doc = ""] #[doc = " Second."]).to_string()
        );
        let inner = inner_doc_attrs(&["Module.".into()]).to_string();
        assert_eq!(inner, quote!(#![doc = " Module."]).to_string());
    }

    #[test]
    fn deprecation_is_noted_after_a_blank_line() {
        let lines = with_deprecation(&["Old.".into()], true);
        assert_eq!(
            lines,
            ["Old.", "", "**Deprecated** in the API description."]
        );
        assert_eq!(with_deprecation(&[], true).len(), 1);
        assert_eq!(with_deprecation(&["Kept.".into()], false), ["Kept."]);
        assert_eq!(
            deprecation_note(&[String::new(), "Use v2.".into()]),
            "deprecated in the API description: Use v2."
        );
    }

    #[test]
    fn aliases_rustdoc_would_refuse_are_left_out() {
        assert!(doc_alias("listZones", "list").is_some());
        assert!(doc_alias("type", "r#type").is_none(), "the item's own name");
        assert!(doc_alias("", "list").is_none());
        assert!(doc_alias(" padded", "list").is_none());
        assert!(doc_alias("say \"hi\"", "list").is_none());
    }
}
