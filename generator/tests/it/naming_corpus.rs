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

/// Whether `needle`'s words appear in `hay`, in order.
fn subsequence(needle: &[&str], hay: &[&str]) -> bool {
    let mut rest = hay.iter();
    needle.iter().all(|word| rest.any(|w| w == word))
}

/// Whether `name` (in `module`) is made of what every use name shares: its
/// words appear in order in every use name, which all end with its last
/// word (after the area's name before it, `Request` after it and a number
/// are set aside); or it is the name its use in a component gives.
fn truthful(module: &str, name: &str, uses: &[(String, String)]) -> bool {
    if uses
        .iter()
        .any(|(own, pointer)| own == name && pointer.starts_with("/components/"))
    {
        return true;
    }
    let area_name = pascal_module(module);
    let area = words(&area_name);
    let names: Vec<Vec<&str>> = uses.iter().map(|(n, _)| words(n)).collect();
    // The namespace numbers a taken name (`Serie0` may become `Serie02`).
    let unnumbered = (1..name.len())
        .filter(|k| name.is_char_boundary(*k) && name[*k..].bytes().all(|b| b.is_ascii_digit()));
    let mut bases = vec![name];
    bases.extend(unnumbered.map(|k| &name[..k]));
    bases.iter().any(|candidate| {
        let all = words(candidate);
        let mut forms = vec![all.clone()];
        if all.last() == Some(&"Request") {
            forms.push(all[..all.len() - 1].to_vec());
        }
        let in_area: Vec<Vec<&str>> = forms
            .iter()
            .filter_map(|form| form.strip_prefix(&area[..]).map(<[&str]>::to_vec))
            .collect();
        forms.extend(in_area);
        forms.iter().any(|form| {
            form.last().is_some_and(|last| {
                names
                    .iter()
                    .all(|n| n.last() == Some(last) && subsequence(form, n))
            })
        })
    })
}

/// The merged types of a crate generated with `type_uses` whose names are
/// not made of what their uses share.
fn untruthful_in(generated: &apigen::Generated) -> (usize, Vec<String>) {
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
    assert!(!truthful(
        "customers",
        "PostChargesBodyShippingAddress",
        &address
    ));
    assert!(!truthful("customers", "ChargesAddress", &address));
    assert!(truthful("customers", "PostBodyAddress", &address));
    assert!(!truthful("customers", "AddressLine", &address));
}

#[test]
fn stripe_merged_types_are_named_after_what_their_uses_share() {
    let (merged, bad) = untruthful_in(super::stripe::stripe());
    assert!(merged > 400, "{merged} merged types");
    assert_eq!(bad, Vec::<String>::new());
}

#[test]
fn cloudflare_merged_types_are_named_after_what_their_uses_share() {
    let (merged, bad) = untruthful_in(super::cloudflare::cloudflare());
    assert!(merged > 500, "{merged} merged types");
    assert_eq!(bad, Vec::<String>::new());
}

/// The corpus's root documents but Stripe's (see its README): every
/// `.json` of `oas-examples/*/`, every `.yaml` of `oai-examples/`, and the
/// two Redocly descriptions.
fn corpus_documents() -> Vec<PathBuf> {
    let corpus = super::common::root().join("../shared/corpus");
    let files = |dir: PathBuf, ext: &str| -> Vec<PathBuf> {
        std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == ext))
            .collect()
    };
    let mut out = Vec::new();
    for version in ["2.0", "3.0", "3.1"] {
        out.extend(files(corpus.join("oas-examples").join(version), "json"));
    }
    out.extend(files(corpus.join("oai-examples"), "yaml"));
    out.push(corpus.join("redocly-museum/openapi.yaml"));
    out.push(corpus.join("redocly-cafe/openapi/openapi.yaml"));
    out.sort();
    out
}

#[test]
fn corpus_merged_types_are_named_after_what_their_uses_share() {
    let specs = corpus_documents();
    assert_eq!(specs.len(), 65, "the corpus's root documents but Stripe's");
    let (mut failures, mut generated, mut merged) = (Vec::new(), 0, 0);
    for spec in specs {
        let name = spec
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let options = Options {
            type_uses: true,
            ..Options::new(vec![spec], CrateSettings::new("sample"))
        };
        // A document the generator refuses has no names to check.
        let Ok(crate_) = apigen::generate(&options) else {
            continue;
        };
        generated += 1;
        let (count, bad) = untruthful_in(&crate_);
        merged += count;
        failures.extend(bad.into_iter().map(|b| format!("{name}: {b}")));
    }
    assert!(generated > 60, "only {generated} documents generated");
    assert!(merged > 0, "no merged type in the sample");
    assert_eq!(failures, Vec::<String>::new());
}
