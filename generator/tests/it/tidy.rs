//! Tidy checks, in the style of rust-analyzer's: the invariants
//! `ARCHITECTURE.md` states about where things live, read from the
//! generator's own sources so that a change that breaks one fails here.
//!
//! - `openapiv3` appears only in the OpenAPI 3.0 shape check
//!   (`front/shape.rs`): the reader works on `serde_json::Value`, every
//!   later stage on `spec::Spec`.
//! - Tokens (`quote!`, `proc_macro2`, `syn`) are made only in `emit/`,
//!   `naming.rs`, the proof harnesses and `output/`: the model and the
//!   stages before it hold none.
//! - Identifiers are made only in `naming.rs`: no `format_ident!`,
//!   `Ident::new` or `r#` handling elsewhere.
//! - Generated Rust is never built from strings, so tokens are never turned
//!   into text and parsed back: no `syn::parse_str`, `parse_file`,
//!   `TokenStream::from_str`, `.parse::<TokenStream>()`, or a `.parse()`
//!   whose result is declared a token type (`let t: TokenStream = s.parse()`);
//!   one string literal token is lexed from its escaped text only in
//!   `emit/doc.rs` (docs, escaped faster than `Literal::string` does).
//!
//! Each file is parsed with `syn`, and its items are read as tokens,
//! macro bodies (`quote!` templates) included. Comments and doc comments do
//! not count (docs may name anything), nor does a top-level
//! `#[cfg(test)] mod` (inline, or the files of an out-of-line one): unit
//! tests may parse what they check. Anything else counts, a `#[cfg(test)]`
//! written inside a `quote!` template too. Each rule is a function over
//! `(path, source)` pairs, so the tests below also show it failing on a
//! planted violation.

use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit::Visit;

/// One rule: needles (Rust token sequences) and `.parse()`s into the
/// `parsed` types, which may appear in code only in the files listed.
struct Rule {
    what: &'static str,
    needles: &'static [&'static str],
    parsed: &'static [&'static str],
    allowed_in: &'static [&'static str],
}

const RULES: &[Rule] = &[
    Rule {
        what: "`openapiv3` is read only by the OpenAPI 3.0 shape check",
        needles: &["openapiv3"],
        parsed: &[],
        allowed_in: &["front/shape.rs"],
    },
    Rule {
        what: "identifiers are made only in naming.rs",
        needles: &[
            "format_ident!",
            "Ident::new",
            "new_raw",
            "trim_start_matches(\"r#\")",
            "strip_prefix(\"r#\")",
        ],
        parsed: &[],
        allowed_in: &["naming.rs"],
    },
    Rule {
        what: "generated Rust is never built from strings",
        needles: &["parse_str", "parse_file", "TokenStream::from_str"],
        parsed: &["TokenStream", "TokenTree", "File", "Item", "Expr", "Type"],
        allowed_in: &[],
    },
    Rule {
        what: "tokens are made only in emit, naming, output and the proof harnesses",
        needles: &["quote!", "proc_macro2", "syn::", "TokenStream"],
        parsed: &[],
        allowed_in: &[
            "emit/",
            "naming.rs",
            "output/",
            "proofs/",
            "contract.rs",
            "examples.rs",
            "lib.rs",
        ],
    },
    Rule {
        what: "a literal is lexed from text only where docs are escaped fast",
        needles: &["Literal::from_str"],
        parsed: &["Literal"],
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

/// A token of the flattened stream: its text, and whether it is a literal.
type Flat = Vec<(String, bool)>;

/// Tokens in order, a group as its delimiters around its contents, doc
/// attributes (`#[doc = ..]`, `#![doc = ..]`, what `///` becomes) left out.
fn flatten(stream: TokenStream, out: &mut Flat) {
    let trees: Vec<TokenTree> = stream.into_iter().collect();
    let mut i = 0;
    while i < trees.len() {
        if let Some(skip) = doc_attribute_at(&trees[i..]) {
            i += skip;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push((open.into(), false));
                flatten(group.stream(), out);
                out.push((close.into(), false));
            }
            TokenTree::Ident(ident) => out.push((ident.to_string(), false)),
            TokenTree::Punct(punct) => out.push((punct.as_char().to_string(), false)),
            TokenTree::Literal(literal) => out.push((literal.to_string(), true)),
        }
        i += 1;
    }
}

/// How many token trees a doc attribute at the start of `trees` spans.
fn doc_attribute_at(trees: &[TokenTree]) -> Option<usize> {
    let TokenTree::Punct(hash) = trees.first()? else {
        return None;
    };
    if hash.as_char() != '#' {
        return None;
    }
    let bang = matches!(trees.get(1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
    let at = 1 + usize::from(bang);
    let TokenTree::Group(group) = trees.get(at)? else {
        return None;
    };
    let first = group.stream().into_iter().next();
    let is_doc = group.delimiter() == Delimiter::Bracket
        && matches!(first, Some(TokenTree::Ident(ident)) if ident == "doc");
    is_doc.then_some(at + 1)
}

/// Whether `needle` occurs in `flat`: as a run of tokens, or (a one-word
/// needle) inside a string literal, where a path is still a use of it.
fn contains(flat: &Flat, needle: &str) -> bool {
    let mut wanted = Flat::new();
    flatten(needle.parse().expect("a needle lexes"), &mut wanted);
    if wanted.is_empty() {
        return false;
    }
    let word = &wanted[0].0;
    flat.windows(wanted.len()).any(|window| {
        window
            .iter()
            .zip(&wanted)
            .all(|((text, _), (want, _))| text == want)
    }) || (wanted.len() == 1
        && flat
            .iter()
            .any(|(text, literal)| *literal && text.contains(word)))
}

/// Finds `.parse()`s into the given types: `.parse::<T>()`, and a bare
/// `.parse()` in a `let` declared of type `T`.
struct TypedParse<'a> {
    types: &'a [&'a str],
    found: Vec<String>,
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for TypedParse<'_> {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method == "parse" {
            let turbofish = call.turbofish.iter().flat_map(|t| &t.args);
            for arg in turbofish {
                if let syn::GenericArgument::Type(ty) = arg {
                    if let Some(name) = last_segment(ty).filter(|n| self.types.contains(&&**n)) {
                        self.found.push(format!("parse::<{name}>"));
                    }
                }
            }
        }
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        if let (syn::Pat::Type(typed), Some(init)) = (&local.pat, &local.init) {
            let declared = last_segment(&typed.ty).filter(|n| self.types.contains(&&**n));
            if let Some(name) = declared {
                let mut bare = BareParse(false);
                bare.visit_expr(&init.expr);
                if bare.0 {
                    self.found.push(format!("let _: {name} = .parse()"));
                }
            }
        }
        syn::visit::visit_local(self, local);
    }
}

/// Whether an expression calls `.parse()` without a turbofish.
struct BareParse(bool);

impl<'ast> Visit<'ast> for BareParse {
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.0 |= call.method == "parse" && call.turbofish.is_none();
        syn::visit::visit_expr_method_call(self, call);
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && matches!(&attr.meta, syn::Meta::List(list) if list.tokens.to_string() == "test")
    })
}

/// The directory a file's child modules live in (`a/b.rs` → `a/b/`,
/// `a/mod.rs` and `lib.rs` → `a/` and ``).
fn child_dir(path: &str) -> String {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    match file {
        "mod.rs" | "lib.rs" | "main.rs" => dir,
        other => format!("{dir}{}/", other.trim_end_matches(".rs")),
    }
}

/// A unit of a file that is checked on its own.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a syn::Item),
    ImplItem(&'a syn::ImplItem),
}

impl Node<'_> {
    fn tokens(self) -> TokenStream {
        match self {
            Node::Item(item) => item.to_token_stream(),
            Node::ImplItem(item) => item.to_token_stream(),
        }
    }

    fn visit(self, visitor: &mut TypedParse) {
        match self {
            Node::Item(item) => visitor.visit_item(item),
            Node::ImplItem(item) => visitor.visit_impl_item(item),
        }
    }
}

/// The units a file is checked in, each with a label: its top-level items
/// (an `impl` or inline module item by item), top-level `#[cfg(test)] mod`s
/// left out; and the path prefixes of out-of-line test modules' files.
fn units<'a>(path: &str, file: &'a syn::File) -> (Vec<(String, Node<'a>)>, Vec<String>) {
    let mut units = Vec::new();
    let mut test_files = Vec::new();
    for item in &file.items {
        if let syn::Item::Mod(module) = item {
            if is_cfg_test(&module.attrs) {
                if module.content.is_none() {
                    let base = format!("{}{}", child_dir(path), module.ident);
                    test_files.push(format!("{base}.rs"));
                    test_files.push(format!("{base}/"));
                }
                continue;
            }
        }
        item_units(item, "", &mut units);
    }
    (units, test_files)
}

fn item_units<'a>(item: &'a syn::Item, outer: &str, out: &mut Vec<(String, Node<'a>)>) {
    let label = |kind: &str, name: &dyn std::fmt::Display| format!("{outer}{kind} {name}");
    let unit = match item {
        syn::Item::Impl(block) => {
            let name = block.self_ty.to_token_stream().to_string().replace(' ', "");
            for inner in &block.items {
                let inner_name = match inner {
                    syn::ImplItem::Fn(f) => format!("fn {}", f.sig.ident),
                    syn::ImplItem::Const(c) => format!("const {}", c.ident),
                    syn::ImplItem::Type(t) => format!("type {}", t.ident),
                    _ => "item".into(),
                };
                let label = format!("{}: {inner_name}", label("impl", &name));
                out.push((label, Node::ImplItem(inner)));
            }
            return;
        }
        syn::Item::Mod(module) if module.content.is_some() => {
            let prefix = format!("{}::", label("mod", &module.ident));
            for inner in module.content.iter().flat_map(|(_, items)| items) {
                item_units(inner, &prefix, out);
            }
            return;
        }
        syn::Item::Fn(f) => label("fn", &f.sig.ident),
        syn::Item::Const(c) => label("const", &c.ident),
        syn::Item::Static(s) => label("static", &s.ident),
        syn::Item::Struct(s) => label("struct", &s.ident),
        syn::Item::Enum(e) => label("enum", &e.ident),
        syn::Item::Trait(t) => label("trait", &t.ident),
        syn::Item::Macro(m) => label("macro", &m.mac.path.to_token_stream()),
        _ => label("item", &"(use, type, mod;)"),
    };
    out.push((unit, Node::Item(item)));
}

/// Whether `rule` lets `path` (a file by name, `naming.rs`, or path,
/// `emit/doc.rs`, or a directory, `emit/`) break it.
fn allowed(rule: &Rule, path: &str) -> bool {
    let file_name = path.rsplit('/').next().unwrap_or(path);
    rule.allowed_in
        .iter()
        .any(|a| *a == file_name || *a == path || (a.ends_with('/') && path.starts_with(a)))
}

/// What of `rule` one unit breaks.
fn hits(rule: &Rule, node: Node, flat: &Flat) -> Vec<String> {
    let mut hits: Vec<String> = rule
        .needles
        .iter()
        .filter(|needle| contains(flat, needle))
        .map(|needle| (*needle).to_string())
        .collect();
    let mut visitor = TypedParse {
        types: rule.parsed,
        found: Vec::new(),
    };
    node.visit(&mut visitor);
    hits.extend(visitor.found);
    hits
}

/// Each violation of `rules` in `files`, as `path: item: rule (needle)`.
fn violations(files: &[(String, String)], rules: &[Rule]) -> Vec<String> {
    let parsed: Vec<(&str, syn::File)> = files
        .iter()
        .map(|(path, text)| {
            let file = syn::parse_file(text)
                .unwrap_or_else(|e| panic!("generator/src/{path} does not parse: {e}"));
            (path.as_str(), file)
        })
        .collect();
    let split: Vec<_> = parsed
        .iter()
        .map(|(path, file)| (*path, units(path, file)))
        .collect();
    let test_files: Vec<&String> = split.iter().flat_map(|(_, (_, tests))| tests).collect();
    let mut found = Vec::new();
    for (path, (units, _)) in &split {
        let path = *path;
        if test_files
            .iter()
            .any(|t| path == *t || (t.ends_with('/') && path.starts_with(*t)))
        {
            continue;
        }
        for (label, node) in units {
            let mut flat = Flat::new();
            flatten(node.tokens(), &mut flat);
            for rule in rules.iter().filter(|rule| !allowed(rule, path)) {
                for hit in hits(rule, *node, &flat) {
                    found.push(format!(
                        "generator/src/{path}: {label}: {} (`{hit}`)",
                        rule.what
                    ));
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
    lower.1.push_str(concat!(
        "fn planted(d: &openapiv3::OpenAPI) {}\n",
        "fn planted_ident() { let _ = quote::format_ident!(\"x\"); }\n",
        "fn planted_parse() { let _: syn::File = syn::parse_str(\"fn f() {}\").unwrap(); }\n",
        "fn planted_literal() { let _ = \"\\\"x\\\"\".parse::<Literal>(); }\n",
        "fn planted_back(t: TokenStream) { let _: TokenStream = t.to_string().parse().unwrap(); }\n",
    ));
    let found = violations(&files, RULES);
    assert_eq!(
        found,
        [
            "generator/src/lower/mod.rs: fn planted: `openapiv3` is read only by the OpenAPI 3.0 shape check (`openapiv3`)",
            "generator/src/lower/mod.rs: fn planted_ident: identifiers are made only in naming.rs (`format_ident!`)",
            "generator/src/lower/mod.rs: fn planted_parse: generated Rust is never built from strings (`parse_str`)",
            "generator/src/lower/mod.rs: fn planted_parse: tokens are made only in emit, naming, output and the proof harnesses (`syn::`)",
            "generator/src/lower/mod.rs: fn planted_literal: a literal is lexed from text only where docs are escaped fast (`parse::<Literal>`)",
            "generator/src/lower/mod.rs: fn planted_back: generated Rust is never built from strings (`let _: TokenStream = .parse()`)",
            "generator/src/lower/mod.rs: fn planted_back: tokens are made only in emit, naming, output and the proof harnesses (`TokenStream`)",
        ]
    );
}

/// The hole the line-based check had: it stopped reading a file at its
/// first `#[cfg(test)]` line, even one inside a `quote!` template.
#[test]
fn a_violation_after_a_cfg_test_line_in_a_template_is_reported() {
    let mut files = generator_sources();
    let contract = files
        .iter_mut()
        .find(|(path, _)| path == "contract.rs")
        .expect("contract.rs");
    contract.1.push_str(concat!(
        "fn planted_template() -> TokenStream {\n",
        "    quote! {\n",
        "        #[cfg(test)]\n",
        "        mod tests {}\n",
        "    }\n",
        "}\n",
        "fn planted_after() -> TokenStream {\n",
        "    let name = quote::format_ident!(\"x\");\n",
        "    quote!(#name)\n",
        "}\n",
    ));
    assert_eq!(
        violations(&files, RULES),
        ["generator/src/contract.rs: fn planted_after: identifiers are made only in naming.rs (`format_ident!`)"]
    );
}

#[test]
fn comments_docs_and_test_modules_do_not_count_and_allowed_files_may() {
    let files = vec![
        (
            "docs.rs".to_string(),
            concat!(
                "//! openapiv3 in the module docs\n",
                "// openapiv3 is named in a comment\n",
                "/// Ident::new in a doc comment\n",
                "fn url() -> &'static str { \"https://x//openapiv3\" } // Ident::new\n",
                "#[cfg(test)]\n",
                "mod tests { fn t() { let _ = syn::parse_str::<syn::File>(\"\"); } }\n",
                "#[cfg(test)]\n",
                "mod more;\n",
            )
            .to_string(),
        ),
        (
            "docs/more.rs".to_string(),
            "use openapiv3::OpenAPI;\n".to_string(),
        ),
        (
            "front/shape.rs".to_string(),
            "use openapiv3::OpenAPI;\n".to_string(),
        ),
        (
            "locate.rs".to_string(),
            "fn index(t: &str) -> Option<usize> { let i: usize = t.parse().ok()?; Some(i) }\n"
                .to_string(),
        ),
    ];
    // A string that names the crate is code (a path in a string is still a
    // use of it), a comment is not; the 3.0 shape check may use it; a test
    // module, inline or in its own file, may do anything; parsing a number
    // is no parsing of tokens.
    assert_eq!(
        violations(&files, RULES),
        ["generator/src/docs.rs: fn url: `openapiv3` is read only by the OpenAPI 3.0 shape check (`openapiv3`)"]
    );
}
