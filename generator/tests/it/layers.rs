//! The generator's top-level modules are its stages and the helpers they
//! share, in layers: each refers only to layers below it, so there is no
//! module cycle and no stage reaches up into `lib.rs` (the pipeline and the
//! public facade, which is not a layer).
//!
//! Every file under `src/` is parsed with `syn` and its paths read: a path
//! from `crate::` (or a `super::` that climbs to the crate root) names a
//! top-level module, a name `lib.rs` re-exports from one (`crate::load`,
//! `crate::Diagnostic`), or an item `lib.rs` itself defines (`crate::Options`),
//! counted as the module `lib`. Macro bodies (`quote!` templates, which
//! write the generated crate's `crate::Client`), comments and strings are
//! not read, nor is test code (a `#[cfg(test)]` item, or a `tests.rs` file
//! or `tests/` folder, where unit tests may build on any stage). The layers
//! are checked by the same code as the runtime's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::visit::Visit;

use super::layer_check::{check_layers, collect, describe, sources, Graph};

/// The allowed order, bottom first: a module may use only modules of the
/// layers before its own.
const LAYERS: &[&[&str]] = &[
    // Shared by every stage: diagnostics, the thread stack size, naming.
    &["diagnostic", "stack"],
    &["naming", "render", "error"],
    // Stage 1: reading (load, merge, bundle, the OpenAPI and Swagger 2.0
    // readers) into `spec::Spec`.
    &["front"],
    // Text and schema helpers over the spec.
    &["docs", "normalize"],
    // The model every later stage reads.
    &["model"],
    // Stage 2: spec → model; the options applied to the model.
    &["lower", "settings"],
    // Stage 3: model → token streams.
    &["emit"],
    // The manifest (`API.txt`) and its comparison.
    &["manifest"],
    // Proof harnesses generated into crates (examples, contract tests,
    // the values they send): `proofs/`.
    &["proofs"],
    // Formatting and writing the files.
    &["output"],
    // The public `Generator` over the pipeline in `lib.rs`.
    &["builder"],
];

#[test]
fn each_generator_layer_uses_only_layers_below_it() {
    let graph = module_graph(&generator_sources());
    let problems = check_layers(&graph, LAYERS);
    assert!(
        problems.is_empty(),
        "the generator's layering is broken:\n{}\n\nmodule graph:\n{}",
        problems.join("\n"),
        describe(&graph)
    );
    // The scan finds the stages' real dependencies (it isn't vacuous).
    for (module, used) in [
        ("lower", "front"),
        ("lower", "model"),
        ("emit", "model"),
        ("output", "emit"),
        ("builder", "output"),
        ("builder", "lib"),
    ] {
        assert!(
            graph[module].contains(used),
            "{module} -> {used}?\n{}",
            describe(&graph)
        );
    }
}

#[test]
fn a_planted_back_edge_is_reported() {
    let mut files = generator_sources();
    let model = files
        .iter_mut()
        .find(|(path, _)| path == "model.rs")
        .expect("src/model.rs");
    model
        .1
        .push_str("\nfn planted(_: &crate::lower::Lowered) {}\n");
    let problems = check_layers(&module_graph(&files), LAYERS);
    assert_eq!(
        problems,
        ["`model` (layer 5) uses `lower` (layer 6), which is not below it"]
    );
}

#[test]
fn lib_items_re_exports_super_and_macro_bodies() {
    let files = sources(&[
        (
            "lib.rs",
            "mod a; mod b; mod c; pub use c::Thing; pub struct Options;",
        ),
        (
            "a/mod.rs",
            "mod inner;\nfn f() -> crate::Options { quote::quote!(crate::b::X); todo!() }",
        ),
        ("a/inner.rs", "use super::super::{Thing, b};"),
        ("b.rs", "/// [`crate::a`]\nconst S: &str = \"crate::a\";"),
        (
            "c.rs",
            "pub struct Thing; mod t { use super::super::a; }\n#[cfg(test)]\nmod tests { use crate::b; }",
        ),
        ("b/tests.rs", "use crate::c;"),
    ]);
    let graph = module_graph(&files);
    assert_eq!(describe(&graph), "a -> b, c, lib\nb -> \nc -> a\n");
}

/// `(path under src/, text)` of every `.rs` file of the generator, sorted.
fn generator_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &src, &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} files", files.len());
    files
}

/// The graph of top-level modules (and `lib` for items `lib.rs` defines).
fn module_graph(files: &[(String, String)]) -> Graph {
    let lib = files
        .iter()
        .find(|(path, _)| path == "lib.rs")
        .map(|(_, text)| syn::parse_file(text).expect("lib.rs parses"))
        .expect("src/lib.rs");
    let mut modules = BTreeSet::new();
    let mut exports = BTreeMap::new();
    let mut defined = BTreeSet::new();
    for item in &lib.items {
        match item {
            syn::Item::Mod(m) if m.content.is_none() => {
                modules.insert(m.ident.to_string());
            }
            syn::Item::Use(u) => {
                let mut leaves = Vec::new();
                use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
                for (path, name) in leaves {
                    if let Some(first) = path.first() {
                        exports.insert(name, first.clone());
                    }
                }
            }
            other => defined.extend(item_name(other)),
        }
    }
    let mut graph = Graph::new();
    for (path, text) in files {
        let test = path.ends_with("tests.rs") || path.contains("/tests/");
        if path == "lib.rs" || test {
            continue;
        }
        let components: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
        let module = components[0].to_owned();
        let depth = match components.last() {
            Some(&"mod") => components.len() - 1,
            _ => components.len(),
        };
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut names = RootNames {
            depth,
            inline: 0,
            names: BTreeSet::new(),
        };
        names.visit_file(&file);
        let uses = graph.entry(module.clone()).or_default();
        for name in names.names {
            let target = if modules.contains(&name) {
                Some(name)
            } else if let Some(module) = exports.get(&name) {
                Some(module.clone())
            } else if defined.contains(&name) {
                Some("lib".to_owned())
            } else {
                None
            };
            if let Some(target) = target.filter(|target| *target != module) {
                uses.insert(target);
            }
        }
    }
    graph
}

/// The name an item of `lib.rs` defines.
fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Macro(i) => i.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

/// Each leaf of a `use` tree: its path before the leaf and the name it
/// brings in (after `as`, the alias).
fn use_leaves(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => out.push((prefix.clone(), n.ident.to_string())),
        syn::UseTree::Rename(r) => out.push((prefix.clone(), r.rename.to_string())),
        syn::UseTree::Glob(_) => out.push((prefix.clone(), "*".to_owned())),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, prefix, out);
            }
        }
    }
}

/// The names a file reaches at the crate root, from `crate::` paths and
/// from `super::` paths that climb there (from the file's depth plus its
/// inline modules).
struct RootNames {
    depth: usize,
    inline: usize,
    names: BTreeSet<String>,
}

impl RootNames {
    /// The root-level name of a path written as `segments`, if it reaches
    /// the root.
    fn add(&mut self, segments: &[String]) {
        let supers = segments.iter().take_while(|s| *s == "super").count();
        let rest = if segments.first().is_some_and(|s| s == "crate") {
            &segments[1..]
        } else if supers > 0 && supers == self.depth + self.inline {
            &segments[supers..]
        } else {
            return;
        };
        if let Some(first) = rest.first() {
            self.names.insert(first.clone());
        }
    }
}

impl Visit<'_> for RootNames {
    fn visit_path(&mut self, path: &syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.add(&segments);
        syn::visit::visit_path(self, path);
    }

    fn visit_item_use(&mut self, item: &syn::ItemUse) {
        let mut leaves = Vec::new();
        use_leaves(&item.tree, &mut Vec::new(), &mut leaves);
        for (mut path, name) in leaves {
            path.push(name);
            self.add(&path);
        }
    }

    fn visit_item(&mut self, item: &syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            _ => &[],
        };
        let test = attrs.iter().any(|a| {
            a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
        });
        if !test {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, item: &syn::ItemMod) {
        if item.content.is_some() {
            self.inline += 1;
            syn::visit::visit_item_mod(self, item);
            self.inline -= 1;
        }
    }

    fn visit_attribute(&mut self, _: &syn::Attribute) {
        // Doc links (`[`x`](crate::a)`) are text, not dependencies.
    }
}
