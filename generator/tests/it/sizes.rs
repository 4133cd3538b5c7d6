//! Sizes a reader can hold: every source file of the generator, its
//! runtime, its command line and xtask is at most [`FILE_LINES`] lines and
//! every function at most [`FN_LINES`], unless the exception says why where
//! it is:
//!
//! - a file: a line `// Longer than 600 lines: <reason>` among its first
//!   [`FILE_NOTE_WITHIN`] lines;
//! - a function: a line `// Longer than 80 lines: <reason>` among the
//!   comments and attributes right above it.
//!
//! Unit tests do not count: files named `tests.rs`, and a top-level inline
//! `#[cfg(test)] mod` (to the end of the file). A function is read from
//! its `fn` line to the first line after it that closes it at the same
//! indentation, as `rustfmt` writes every function of these sources.

use std::path::Path;

const FILE_LINES: usize = 600;
const FN_LINES: usize = 80;
const FILE_NOTE_WITHIN: usize = 40;
const FILE_NOTE: &str = "// Longer than 600 lines: ";
const FN_NOTE: &str = "// Longer than 80 lines: ";

/// The source trees checked, from the workspace root.
const TREES: &[&str] = &[
    "generator/src",
    "generator/runtime/src",
    "generator/cli/src",
    "xtask/src",
];

/// What is too long in one file (`path`, `text`): one line per finding.
fn too_long(path: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    if path.ends_with("/tests.rs") || path == "tests.rs" {
        return found;
    }
    let lines: Vec<&str> = text.lines().collect();
    // A top-level inline `#[cfg(test)] mod` is unit tests, to the end.
    let code = lines
        .windows(2)
        .position(|pair| {
            pair[0] == "#[cfg(test)]" && pair[1].starts_with("mod ") && pair[1].ends_with('{')
        })
        .unwrap_or(lines.len());
    let noted = lines
        .iter()
        .take(FILE_NOTE_WITHIN)
        .any(|line| has_reason(line, FILE_NOTE));
    if code > FILE_LINES && !noted {
        found.push(format!("{path}: {code} lines (at most {FILE_LINES})"));
    }
    for (start, line) in lines[..code].iter().enumerate() {
        let Some((indent, name)) = fn_header(line) else {
            continue;
        };
        let close = [indent, "}"].concat();
        let Some(length) = lines[start + 1..code]
            .iter()
            .position(|l| *l == close)
            .map(|end| end + 2)
        else {
            continue;
        };
        if length > FN_LINES && !fn_noted(&lines[..start]) {
            found.push(format!(
                "{path}:{}: fn {name}: {length} lines (at most {FN_LINES})",
                start + 1
            ));
        }
    }
    found
}

/// Whether `line` is `note` followed by a reason.
fn has_reason(line: &str, note: &str) -> bool {
    line.trim_start()
        .strip_prefix(note)
        .is_some_and(|reason| !reason.trim().is_empty())
}

/// The indentation and name of a function whose header starts on `line`.
fn fn_header(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start();
    let indent = &line[..line.len() - rest.len()];
    let mut words = rest.split_whitespace().peekable();
    while let Some(word) = words.peek() {
        let qualifier = *word == "pub"
            || word.starts_with("pub(")
            || ["const", "async", "unsafe", "extern", "default"].contains(word);
        if !qualifier {
            break;
        }
        words.next();
    }
    if words.next()? != "fn" {
        return None;
    }
    let name = words.next()?;
    let name = name.split(['(', '<']).next().unwrap_or(name);
    Some((indent, name))
}

/// Whether the comments and attributes right above a function (the end
/// of `above`) give the reason it is long.
fn fn_noted(above: &[&str]) -> bool {
    above
        .iter()
        .rev()
        .map(|line| line.trim_start())
        .take_while(|line| line.starts_with("//") || line.starts_with("#["))
        .any(|line| has_reason(line, FN_NOTE))
}

/// Every checked source, as `(path from the workspace root, text)`.
fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for tree in TREES {
        super::layer_check::collect(&root, &root.join(tree), &mut files);
    }
    files.sort();
    files
}

#[test]
fn files_and_functions_are_short_or_say_why() {
    let sources = sources();
    assert!(sources.len() > 100, "{} sources", sources.len());
    let found: Vec<String> = sources
        .iter()
        .flat_map(|(path, text)| too_long(path, text))
        .collect();
    assert!(
        found.is_empty(),
        "split these, or say why beside them (`{FILE_NOTE}...`, `{FN_NOTE}...`):\n{}",
        found.join("\n")
    );
}

#[test]
fn a_long_function_or_file_is_found_unless_it_says_why() {
    let body = "    let x = 1;\n".repeat(FN_LINES);
    let long_fn = format!("/// Docs.\npub(crate) fn long() {{\n{body}}}\n");
    assert_eq!(
        too_long("a.rs", &long_fn),
        ["a.rs:2: fn long: 82 lines (at most 80)"]
    );
    let noted = format!("{FN_NOTE}one table.\n#[allow(dead_code)]\n{long_fn}");
    assert!(too_long("a.rs", &noted).is_empty());
    // A method, indented, is measured to its own closing brace.
    let method = format!("impl A {{\n    async fn m(&self) {{\n    {body}    }}\n}}\n");
    assert_eq!(too_long("a.rs", &method).len(), 1);
    // Tests do not count.
    assert!(too_long("x/tests.rs", &long_fn).is_empty());
    assert!(too_long(
        "a.rs",
        &format!("#[cfg(test)]\nmod tests {{\n{long_fn}}}\n")
    )
    .is_empty());
    let long_file = "const A: u8 = 0;\n".repeat(FILE_LINES + 1);
    assert_eq!(too_long("b.rs", &long_file).len(), 1);
    let noted = format!("//! Docs.\n{FILE_NOTE}one table.\n{long_file}");
    assert!(too_long("b.rs", &noted).is_empty());
    // A note without a reason is no note.
    assert_eq!(
        too_long("b.rs", &format!("{FILE_NOTE}\n{long_file}")).len(),
        1
    );
}
