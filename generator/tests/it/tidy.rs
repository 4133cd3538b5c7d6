//! Tidy checks, in the style of rust-analyzer's: the invariants
//! `ARCHITECTURE.md` states about where things live, read from the
//! generator's own sources so that a change that breaks one fails here.
//!
//! - `openapiv3` appears only in the OpenAPI 3.0 shape check
//!   (`front/shape.rs`): the reader works on `serde_json::Value`, every
//!   later stage on `spec::Spec`.
//! - Identifiers are made only in `naming.rs`: no `format_ident!`,
//!   `Ident::new` or `r#` handling elsewhere.
//! - Generated Rust is never built from strings: no `syn::parse_str`,
//!   `parse_file`, `TokenStream::from_str` or `.parse::<TokenStream>()`;
//!   one string literal token is lexed from its escaped text only in
//!   `emit/doc.rs` (docs, escaped faster than `Literal::string` does).
//!
//! Comments and unit tests (from `#[cfg(test)]` on) are skipped: docs may
//! name anything, and tests may parse what they check. Each rule is a function
//! over `(path, source)` pairs, so the tests below also show it failing on a
//! planted violation.

use std::path::{Path, PathBuf};

/// One rule: a needle that may appear in code only in the files listed.
struct Rule {
    what: &'static str,
    needles: &'static [&'static str],
    allowed_in: &'static [&'static str],
}

const RULES: &[Rule] = &[
    Rule {
        what: "`openapiv3` is read only by the OpenAPI 3.0 shape check",
        needles: &["openapiv3"],
        allowed_in: &["front/shape.rs"],
    },
    Rule {
        what: "identifiers are made only in naming.rs",
        needles: &[
            "format_ident!",
            "Ident::new",
            "new_raw(",
            "trim_start_matches(\"r#\")",
            "strip_prefix(\"r#\")",
        ],
        allowed_in: &["naming.rs"],
    },
    Rule {
        what: "generated Rust is never built from strings",
        needles: &[
            "parse_str",
            "syn::parse_file",
            "TokenStream::from_str",
            "parse::<TokenStream>",
            "parse::<proc_macro2::TokenStream>",
        ],
        allowed_in: &[],
    },
    Rule {
        what: "a literal is lexed from text only where docs are escaped fast",
        needles: &[
            "parse::<Literal>",
            "Literal::from_str",
            "parse::<proc_macro2::Literal>",
        ],
        allowed_in: &["emit/doc.rs"],
    },
];

/// Every `.rs` file under `generator/src`, with its path relative to it.
fn generator_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable source");
            let relative = path
                .strip_prefix(&root)
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            (relative, text)
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line: nothing after `//` unless inside a string literal.
fn code_of(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Each violation of `rules` in `files`, as `path:line: rule (needle)`.
fn violations(files: &[(String, String)], rules: &[Rule]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        for rule in rules {
            // A file by name (`naming.rs`) or path (`emit/doc.rs`), or a
            // directory (`emit/`).
            let allowed = rule
                .allowed_in
                .iter()
                .any(|a| *a == file_name || a == path || (a.ends_with('/') && path.starts_with(a)));
            if allowed {
                continue;
            }
            // Unit tests (a file's last item, by convention) may parse text.
            let lines = text
                .lines()
                .take_while(|line| line.trim() != "#[cfg(test)]");
            for (number, line) in lines.enumerate() {
                let code = code_of(line);
                for needle in rule.needles {
                    if code.contains(needle) {
                        found.push(format!(
                            "generator/src/{path}:{}: {} (`{needle}`)",
                            number + 1,
                            rule.what
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_generator_keeps_its_architecture_invariants() {
    let files = generator_sources();
    assert!(
        files.len() > 20 && files.iter().any(|(p, _)| p == "front/mod.rs"),
        "the sources were found"
    );
    let found = violations(&files, RULES);
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

#[test]
fn a_planted_violation_of_each_rule_is_reported_where_it_is() {
    let mut files = generator_sources();
    let lower = files
        .iter_mut()
        .find(|(path, _)| path == "lower/mod.rs")
        .expect("lower/mod.rs");
    // At the top: the file's unit tests, at its end, are not scanned.
    lower.1.insert_str(
        0,
        concat!(
            "fn planted(d: &openapiv3::OpenAPI) {}\n",
            "fn planted_ident() { let _ = quote::format_ident!(\"x\"); }\n",
            "fn planted_parse() { let _: syn::File = syn::parse_str(\"fn f() {}\").unwrap(); }\n",
            "fn planted_literal() { let _ = \"\\\"x\\\"\".parse::<Literal>(); }\n",
        ),
    );
    let found = violations(&files, RULES);
    assert_eq!(
        found,
        [
            "generator/src/lower/mod.rs:1: `openapiv3` is read only by the OpenAPI 3.0 shape check (`openapiv3`)",
            "generator/src/lower/mod.rs:2: identifiers are made only in naming.rs (`format_ident!`)",
            "generator/src/lower/mod.rs:3: generated Rust is never built from strings (`parse_str`)",
            "generator/src/lower/mod.rs:4: a literal is lexed from text only where docs are escaped fast (`parse::<Literal>`)",
        ]
    );
}

#[test]
fn comments_and_strings_do_not_count_and_allowed_files_may() {
    let files = vec![
        (
            "docs.rs".to_string(),
            "// openapiv3 is named in a comment\nlet url = \"https://x//openapiv3\"; // Ident::new\n"
                .to_string(),
        ),
        (
            "front/shape.rs".to_string(),
            "use openapiv3::OpenAPI;\n".to_string(),
        ),
    ];
    // A string that names the crate is code (a path in a string is still a
    // use of it), a comment is not; the 3.0 shape check may use it.
    assert_eq!(
        violations(&files, RULES),
        ["generator/src/docs.rs:2: `openapiv3` is read only by the OpenAPI 3.0 shape check (`openapiv3`)"]
    );
    assert_eq!(
        code_of(r#"let s = "a // b"; // c"#),
        r#"let s = "a // b"; "#
    );
}
