//! The runtime's modules form layers, and each refers only to layers below
//! it, so there is no module cycle: reads `src/**/*.rs`, collects which
//! top-level modules each one names (`crate::m`, `use crate::{m, ...}`, a
//! name `lib.rs` re-exports such as `crate::Message`, and `super::` paths
//! that climb to the crate root) and checks them against [`LAYERS`].
//!
//! Comments (doc links included) and string literals are skipped: a doc
//! link to a higher layer is not a dependency. `lib.rs`, the facade that
//! declares and re-exports every module, is not a layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The allowed order, bottom first: a module may use only modules of the
/// layers before its own (not of its own layer, not of a later one).
const LAYERS: &[&[&str]] = &[
    // Unknown-field reports: the marks serialization leaves and the walk
    // that finds them.
    &["unknown"],
    // Values with no other dependency in the crate.
    &[
        "double_option",
        "expandable",
        "lenient",
        "number",
        "preview",
        "read_only",
        "wire",
    ],
    // Envelope parts (`Message`, `ResultInfo`).
    &["envelope"],
    // Errors, raw and decoded responses.
    &["error", "response"],
    // Credentials, dates, the decoders generated code passes to calls.
    &["credentials", "datetime", "decode"],
    // Choosing and rendering credentials for a request; the OAuth2
    // client-credentials token provider.
    &["security", "oauth"],
    // Building a request: path, query, styles, form, headers, body.
    &["request"],
    // Configuration, connection pool, rate limiter, retry, one exchange.
    &["transport"],
    // Typed streams over a response body (server-sent events, NDJSON) and
    // NDJSON request bodies.
    &["stream"],
    // The `Call` builder and future, decoding.
    &["call"],
    // The public `Client` and its builder; page streams over `Call`; the
    // methods every generated call type shares; blocking calls.
    &["client", "pagination", "paging", "call_type", "blocking"],
    // The proofs generated crates run against their description (feature
    // `proof`): strict decoding, outcomes of calls, verdicts.
    &["proof"],
];

use super::layer_check::{check_layers, collect, describe, sources, Graph};

#[test]
fn each_runtime_layer_uses_only_layers_below_it() {
    let files = runtime_sources();
    let graph = module_graph(&files);
    let problems = check_layers(&graph, LAYERS);
    assert!(
        problems.is_empty(),
        "the runtime's layering is broken:\n{}\n\nmodule graph:\n{}",
        problems.join("\n"),
        describe(&graph)
    );
    // The scan did find the layers' real dependencies (it isn't vacuous).
    assert!(graph["client"].contains("call"), "{}", describe(&graph));
    assert!(graph["call"].contains("transport"), "{}", describe(&graph));
    assert!(
        graph["transport"].contains("request"),
        "{}",
        describe(&graph)
    );
    assert!(graph["pagination"].contains("call"), "{}", describe(&graph));
    assert!(
        graph["envelope"].contains("unknown"),
        "{}",
        describe(&graph)
    );
}

#[test]
fn a_planted_upward_reference_in_the_real_sources_is_reported() {
    let mut files = runtime_sources();
    let call = files
        .iter_mut()
        .find(|(path, _)| path == "call.rs")
        .expect("src/call.rs");
    call.1.push_str("\nfn planted(_: crate::Client) {}\n");
    let problems = check_layers(&module_graph(&files), LAYERS);
    assert_eq!(
        problems,
        ["`call` (layer 10) uses `client` (layer 11), which is not below it"]
    );
}

#[test]
fn a_cycle_is_reported_from_its_upward_edge() {
    let files = sources(&[
        ("lib.rs", "mod a; mod b; mod c; pub use c::Thing;"),
        ("a.rs", "use crate::b::B;\npub struct A(B);"),
        // Reaches `a` through the group and `c` through a re-export.
        ("b/mod.rs", "mod d;\nuse crate::{a::A, Thing};"),
        ("b/d.rs", "use super::super::c;"),
        ("c.rs", "pub struct Thing;"),
    ]);
    let graph = module_graph(&files);
    assert_eq!(describe(&graph), "a -> b\nb -> a, c\nc -> \n");
    let layers: &[&[&str]] = &[&["c"], &["a"], &["b"]];
    assert_eq!(
        check_layers(&graph, layers),
        ["`a` (layer 2) uses `b` (layer 3), which is not below it"]
    );
    // Without the cycle's upward edge, the same layers pass.
    let files = sources(&[
        ("lib.rs", "mod a; mod b; mod c; pub use c::Thing;"),
        ("a.rs", "pub struct A;"),
        ("b/mod.rs", "use crate::{a::A, Thing};"),
        ("c.rs", "pub struct Thing;"),
    ]);
    assert!(check_layers(&module_graph(&files), layers).is_empty());
}

#[test]
fn a_module_of_its_own_layer_or_outside_the_list_is_reported() {
    let files = sources(&[
        ("lib.rs", "mod a; mod b; mod stray;"),
        ("a.rs", "pub fn f() { crate::b::g() }"),
        ("b.rs", "pub fn g() {}"),
        ("stray.rs", "mod inner { use super::super::*; }"),
    ]);
    let layers: &[&[&str]] = &[&["a", "b"], &["gone"]];
    assert_eq!(
        check_layers(&module_graph(&files), layers),
        [
            "`a` (layer 1) uses `b` (layer 1), which is not below it",
            "`stray` is in no layer: add it to LAYERS",
            "`gone` is in LAYERS but there is no such module",
        ]
    );
}

#[test]
fn comments_strings_and_inner_modules_are_not_references() {
    let files = sources(&[
        ("lib.rs", "mod a; mod b;"),
        (
            "a.rs",
            r##"//! See [`B`](crate::b::B).
/* crate::b */
const S: &str = "crate::b";
const R: &str = r#"crate::b "quoted""#;
const C: char = '"';
fn f<'a>(x: &'a str) -> &'a str { x }
mod tests {
    use super::*;
    mod deeper { use super::super::f; }
}"##,
        ),
        ("b.rs", "pub struct B; fn h() { $crate::a::f; }"),
    ]);
    let graph = module_graph(&files);
    assert_eq!(describe(&graph), "a -> \nb -> a\n");
}

/// `(path under src/, text)` of every `.rs` file of the runtime, sorted.
fn runtime_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &src, &mut files);
    files.sort();
    assert!(files.len() > 20, "found only {} files", files.len());
    files
}

/// The graph of top-level modules, from the files (`lib.rs` gives the
/// re-exported names; its own references are not counted).
fn module_graph(files: &[(String, String)]) -> Graph {
    let lib = files
        .iter()
        .find(|(path, _)| path == "lib.rs")
        .map_or("", |(_, text)| text.as_str());
    let lib_tokens = tokens(lib);
    let modules = declared_modules(&lib_tokens);
    let exports = root_exports(&lib_tokens, &modules);
    let mut graph = Graph::new();
    for (path, text) in files {
        if path == "lib.rs" {
            continue;
        }
        let components: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
        let module = components[0].to_owned();
        // How deep the file's own scope is below the crate root.
        let depth = match components.last() {
            Some(&"mod") => components.len() - 1,
            _ => components.len(),
        };
        let uses = graph.entry(module.clone()).or_default();
        for name in root_names(&tokens(text), depth) {
            let target = if modules.contains(&name) {
                Some(name)
            } else {
                // An unresolved glob stays `*`, reported by the check.
                exports
                    .get(&name)
                    .cloned()
                    .or_else(|| (name == "*").then_some(name))
            };
            if let Some(target) = target.filter(|target| *target != module) {
                uses.insert(target);
            }
        }
    }
    graph
}

/// A token: an identifier or keyword, `::`, or one punctuation character.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

/// The tokens of Rust source, without comments, string, byte-string and
/// character literals, or numbers (all irrelevant to paths).
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&chars, i + 1);
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let hashes = chars[i..].iter().take_while(|&&c| c == '#').count();
            if matches!(word.as_str(), "r" | "br" | "b") && chars.get(i + hashes) == Some(&'"') {
                i = if word == "b" {
                    skip_string(&chars, i + 1)
                } else {
                    skip_raw_string(&chars, i + hashes + 1, hashes)
                };
            } else if word == "b" && chars.get(i) == Some(&'\'') {
                i += 1;
                if chars.get(i) == Some(&'\\') {
                    i += 1;
                }
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else {
                out.push(Token::Ident(word));
            }
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c == ':' && next == Some(':') {
            out.push(Token::PathSep);
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// The index after the `"` that closes the string starting at `i`.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// The index after the `"` and `hashes` `#`s that close the raw string
/// starting at `i`.
fn skip_raw_string(chars: &[char], mut i: usize, hashes: usize) -> usize {
    while i < chars.len() {
        if chars[i] == '"'
            && chars[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

fn ident(token: Option<&Token>) -> Option<&str> {
    match token {
        Some(Token::Ident(name)) => Some(name),
        _ => None,
    }
}

/// The names a file reaches at the crate root: after `crate::` (`$crate::`
/// too), and after as many `super::` as climb from where they are written
/// (the file at `depth`, plus inline `mod name { ... }` blocks) to the
/// root; each entry of a `{...}` group counts. A glob (`crate::*`) is `*`.
fn root_names(tokens: &[Token], depth: usize) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut braces = 0usize;
    // The brace depth at which each open inline module started.
    let mut inline: Vec<usize> = Vec::new();
    let mut module_opens = false;
    let mut i = 0;
    while i < tokens.len() {
        let starts_path = i == 0 || tokens[i - 1] != Token::PathSep;
        match &tokens[i] {
            Token::Punct('{') => {
                if module_opens {
                    inline.push(braces);
                    module_opens = false;
                }
                braces += 1;
            }
            Token::Punct('}') => {
                braces = braces.saturating_sub(1);
                if inline.last() == Some(&braces) {
                    inline.pop();
                }
            }
            Token::Punct(';') => module_opens = false,
            Token::Ident(word) if word == "mod" => {
                module_opens = ident(tokens.get(i + 1)).is_some()
                    && tokens.get(i + 2) == Some(&Token::Punct('{'));
            }
            Token::Ident(word)
                if word == "crate" && starts_path && tokens.get(i + 1) == Some(&Token::PathSep) =>
            {
                root_entries(tokens, i + 2, &mut names);
            }
            Token::Ident(word) if word == "super" && starts_path => {
                let mut climbs = 0;
                let mut j = i;
                while ident(tokens.get(j)) == Some("super")
                    && tokens.get(j + 1) == Some(&Token::PathSep)
                {
                    climbs += 1;
                    j += 2;
                }
                if climbs == depth + inline.len() {
                    root_entries(tokens, j, &mut names);
                }
                i = j.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    names
}

/// The root-level names of the path part starting at `i`: one name, or
/// the first name of each entry of a `{...}` group.
fn root_entries(tokens: &[Token], i: usize, names: &mut BTreeSet<String>) {
    match tokens.get(i) {
        Some(Token::Ident(name)) => {
            names.insert(name.clone());
        }
        Some(Token::Punct('*')) => {
            names.insert("*".to_owned());
        }
        Some(Token::Punct('{')) => {
            let mut depth = 0;
            let mut entry_start = true;
            for token in &tokens[i..] {
                match token {
                    Token::Punct('{') => {
                        depth += 1;
                        if depth == 1 {
                            continue;
                        }
                    }
                    Token::Punct('}') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Token::Punct(',') if depth == 1 => {
                        entry_start = true;
                        continue;
                    }
                    Token::Ident(name) if depth == 1 && entry_start && name != "self" => {
                        names.insert(name.clone());
                    }
                    Token::Punct('*') if depth == 1 && entry_start => {
                        names.insert("*".to_owned());
                    }
                    _ => {}
                }
                entry_start = false;
            }
        }
        _ => {}
    }
}

/// The modules `lib.rs` declares (`mod m;`, `pub mod m;`).
fn declared_modules(lib: &[Token]) -> BTreeSet<String> {
    lib.windows(3)
        .filter_map(|window| match window {
            [Token::Ident(keyword), Token::Ident(name), Token::Punct(';')] if keyword == "mod" => {
                Some(name.clone())
            }
            _ => None,
        })
        .collect()
}

/// The names `lib.rs` re-exports from its own modules (`pub use m::X;`,
/// `pub use m::sub::{X, Y as Z};`), each with its module. A glob
/// re-export (`pub use m::*;`) maps `*` to `m`.
fn root_exports(lib: &[Token], modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    let mut i = 0;
    while i + 2 < lib.len() {
        let is_use = ident(lib.get(i)) == Some("pub") && ident(lib.get(i + 1)) == Some("use");
        let module = ident(lib.get(i + 2)).filter(|name| modules.contains(*name));
        let (true, Some(module)) = (is_use, module) else {
            i += 1;
            continue;
        };
        // The statement's tokens up to `;`.
        let end = lib[i..]
            .iter()
            .position(|token| *token == Token::Punct(';'))
            .map_or(lib.len(), |offset| i + offset);
        let statement = &lib[i + 2..end];
        // The exported name of each leaf: the last identifier before a `,`,
        // `}` or the end (after `as`, the alias).
        for (index, token) in statement.iter().enumerate() {
            let leaf_end = matches!(
                statement.get(index + 1),
                None | Some(Token::Punct(',')) | Some(Token::Punct('}'))
            );
            match token {
                Token::Ident(name) if leaf_end => {
                    exports.insert(name.clone(), module.to_owned());
                }
                Token::Punct('*') => {
                    exports.insert("*".to_owned(), module.to_owned());
                }
                _ => {}
            }
        }
        i = end;
    }
    exports
}
