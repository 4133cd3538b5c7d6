//! The documentation helpers' unit tests.

use super::sanitize;
use super::{constraints_doc, examples_doc};
use crate::spec::{Bound, Constraints};
use serde_json::json;

#[test]
fn sentences_join_a_plain_last_paragraph_and_start_one_otherwise() {
    let appended = |lines: &[&str]| {
        let mut doc: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        super::append_sentence(&mut doc, "Example: `1`.");
        doc
    };
    assert_eq!(appended(&[]), ["Example: `1`."]);
    assert_eq!(appended(&["The name."]), ["The name. Example: `1`."]);
    assert_eq!(appended(&["Identifier"]), ["Identifier. Example: `1`."]);
    assert_eq!(
        appended(&["Title", "", "Body text"]),
        ["Title", "", "Body text. Example: `1`."]
    );
    // A list, a code block or an announcement would swallow it.
    for last in ["- an item", "```", "| a | table |", "One of:"] {
        assert_eq!(appended(&[last]), [last, "", "Example: `1`."], "{last}");
    }
    assert_eq!(
        appended(&["- an item", "  continued"]),
        ["- an item", "  continued", "", "Example: `1`."]
    );
}

#[test]
fn constraints_become_one_line() {
    let c = Constraints {
        min_length: Some(1),
        max_length: Some(32),
        pattern: Some("^[a-z]+$".into()),
        max_items: Some(10),
        ..Constraints::default()
    };
    assert_eq!(
        constraints_doc(&c).as_deref(),
        Some("Constraints: length 1–32, pattern `^[a-z]+$`, at most 10 items.")
    );
    assert_eq!(constraints_doc(&Constraints::default()), None);
    let numbers = Constraints {
        minimum: Some(Bound {
            value: 1.into(),
            exclusive: false,
        }),
        maximum: Some(Bound {
            value: 65535.into(),
            exclusive: false,
        }),
        ..Constraints::default()
    };
    assert_eq!(
        constraints_doc(&numbers).as_deref(),
        Some("Constraints: from 1 to 65535.")
    );
    let strict = Constraints {
        minimum: Bound::float(0.5, true),
        maximum: Some(Bound {
            value: 10.into(),
            exclusive: false,
        }),
        multiple_of: serde_json::Number::from_f64(0.25),
        min_items: Some(1),
        unique_items: true,
        ..Constraints::default()
    };
    assert_eq!(
        constraints_doc(&strict).as_deref(),
        Some("Constraints: more than 0.5 and at most 10, a multiple of 0.25, at least 1 item, items unique.")
    );
    let one_sided = Constraints {
        max_length: Some(1),
        maximum: Some(Bound {
            value: 100.into(),
            exclusive: true,
        }),
        min_items: Some(2),
        max_items: Some(2),
        ..Constraints::default()
    };
    assert_eq!(
        constraints_doc(&one_sided).as_deref(),
        Some("Constraints: at most 1 character, less than 100, exactly 2 items.")
    );
}

#[test]
fn a_pattern_with_backticks_stays_one_code_span() {
    let c = Constraints {
        pattern: Some("`a``b".into()),
        ..Constraints::default()
    };
    assert_eq!(
        constraints_doc(&c).as_deref(),
        Some("Constraints: pattern ``` `a``b ```.")
    );
}

#[test]
fn examples_become_one_line_of_json() {
    assert_eq!(examples_doc([]), None);
    assert_eq!(
        examples_doc(&[json!("abc")]).as_deref(),
        Some("Example: `\"abc\"`.")
    );
    let long = json!("x".repeat(100));
    let values = [
        json!("abc"),
        json!(42),
        json!("abc"),
        json!({"a": [1]}),
        long,
    ];
    assert_eq!(
        examples_doc(&values).as_deref(),
        Some("Examples: `\"abc\"`, `42`, `{\"a\":[1]}`.")
    );
    let cut = examples_doc(&[json!("x".repeat(100))]).expect("one");
    assert!(
        cut.ends_with("xxx`….") && cut.chars().count() < 100,
        "{cut}"
    );
}

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
