//! Names that tell the truth, over the corpus: a type identical anonymous
//! schemas were merged into is named after what the names of its uses
//! share (their common trailing words, qualified by their common leading
//! words, its area or `Request`), never after one use's operation, path or
//! property the others are not in. `USES.txt` (`Options::type_uses`) lists
//! every use of each merged type: the name that use alone would give it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use apigen::{CrateSettings, Options};

/// The uses of each merged type in a `USES.txt`: `module::Type` to
/// `(use name, JSON pointer)`.
fn uses(listing: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in listing.lines().filter_map(|l| l.strip_prefix("use ")) {
        let parts: Vec<&str> = line.split(" | ").collect();
        let [path, name, pointer] = parts[..] else {
            panic!("malformed use line `{line}`")
        };
        out.entry(path.to_owned())
            .or_default()
            .push((name.to_owned(), pointer.to_owned()));
    }
    out
}

/// The words of a PascalCase name.
fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices() {
        if i > start && c.is_ascii_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    if start < name.len() {
        out.push(&name[start..]);
    }
    out
}

fn pascal_module(module: &str) -> String {
    module
        .split('_')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Whether `name` (in `module`) is made of what every use name shares: a
/// common suffix, after nothing, a common prefix or the area, optionally
/// followed by `Request`; or is the name a component's use gives.
fn truthful(module: &str, name: &str, uses: &[(String, String)]) -> bool {
    if uses
        .iter()
        .any(|(own, pointer)| own == name && !pointer.starts_with("/paths/"))
    {
        return true;
    }
    let numbered = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let area = pascal_module(module);
    let names: Vec<Vec<&str>> = uses.iter().map(|(n, _)| words(n)).collect();
    [name, numbered].iter().any(|candidate| {
        let all = words(candidate);
        let mut forms = vec![all.clone()];
        if all.last() == Some(&"Request") {
            forms.push(all[..all.len() - 1].to_vec());
        }
        forms.iter().any(|form| {
            (0..form.len()).any(|k| {
                let (prefix, suffix) = form.split_at(k);
                let shared_suffix = names.iter().all(|n| n.ends_with(suffix));
                let shared_prefix = prefix.is_empty()
                    || names.iter().all(|n| n.starts_with(prefix))
                    || prefix.concat() == area;
                shared_suffix && shared_prefix
            })
        })
    })
}

/// The merged types of `spec` whose names are not made of what their uses
/// share, with their uses' names.
fn untruthful(spec: PathBuf, name: &str) -> (usize, Vec<String>) {
    let options = Options {
        type_uses: true,
        ..Options::new(vec![spec], CrateSettings::new(name))
    };
    let generated = super::common::generate_with(&options);
    let listing = &generated.files[&PathBuf::from(apigen::manifest::USES_FILE)];
    let uses = uses(listing);
    let bad = uses
        .iter()
        .filter(|(path, uses)| {
            let (module, ty) = path.rsplit_once("::").expect("module::Type");
            !truthful(module, ty, uses)
        })
        .map(|(path, uses)| {
            let names: Vec<&str> = uses.iter().map(|(n, _)| n.as_str()).collect();
            format!("{path}: {}", names.join(", "))
        })
        .collect();
    (uses.len(), bad)
}

#[test]
fn the_rule_sees_shared_words_and_borrowed_names() {
    let uses = |names: &[&str]| -> Vec<(String, String)> {
        names
            .iter()
            .map(|n| ((*n).to_owned(), format!("/paths/{n}")))
            .collect()
    };
    let address = uses(&["PostChargesBodyShippingAddress", "PostCustomersBodyAddress"]);
    assert!(truthful("customers", "Address", &address));
    assert!(truthful("customers", "CustomersAddress", &address));
    assert!(truthful("customers", "AddressRequest", &address));
    assert!(!truthful("customers", "PostChargesBodyShippingAddress", &address));
    assert!(!truthful("customers", "ChargesAddress", &address));
}

#[test]
fn stripe_merged_types_are_named_after_what_their_uses_share() {
    let spec = super::common::root().join("../shared/corpus/stripe/spec3.json");
    let (merged, bad) = untruthful(spec, "stripe");
    assert!(merged > 400, "{merged} merged types");
    // The names still borrowed: every shared name of these was taken by
    // another type, and the fallback is one use's own name. A ratchet: it
    // may only go down.
    assert!(bad.len() <= 14, "{} borrowed names:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn sample_corpus_merged_types_are_named_after_what_their_uses_share() {
    let dir = super::common::root().join("../shared/corpus/oas-examples/3.0");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the public corpus sits beside the repository")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    specs.sort();
    assert!(specs.len() > 10, "{specs:?}");
    let mut failures = Vec::new();
    for spec in specs {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let Ok(generated) = std::panic::catch_unwind(|| untruthful(spec.clone(), "sample")) else {
            continue;
        };
        failures.extend(generated.1.into_iter().map(|b| format!("{name}: {b}")));
    }
    assert_eq!(failures, Vec::<String>::new());
}
