//! Stripe's published description (`../shared/corpus/stripe/spec3.json`:
//! 417 operations, no tags, form bodies, an empty optional body on every
//! read): methods named by what they do, no unused body arguments, and
//! areas that follow the paths. Generated once for every test here.

use std::path::PathBuf;
use std::sync::OnceLock;

use apigen::{CrateSettings, Generated, Options};

/// The generated crate (with `USES.txt`), made on first use.
pub(super) fn stripe() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let spec = super::common::root().join("../shared/corpus/stripe/spec3.json");
        assert!(
            spec.is_file(),
            "{} is missing: the public corpus sits beside the repository",
            spec.display()
        );
        super::common::generate_with(&Options {
            type_uses: true,
            ..Options::new(vec![spec], CrateSettings::new("stripe"))
        })
    })
}

/// The method lines of the manifest (`fn area::Resource::method(..) ...`).
fn methods() -> Vec<&'static str> {
    let manifest = &stripe().files[&PathBuf::from(apigen::manifest::FILE)];
    manifest
        .lines()
        .filter(|line| line.starts_with("fn "))
        .map(|line| line.split(" | doc ").next().unwrap_or(line))
        .collect()
}

/// The method's name: `update` in `fn customers::Customers::update(..)`.
fn name(line: &str) -> &str {
    let signature = line.split('(').next().unwrap_or(line);
    signature.rsplit("::").next().unwrap_or(signature)
}

/// Whether a method name is numbered (`create_2`).
fn numbered(name: &str) -> bool {
    name.rsplit_once('_')
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn methods_are_named_by_what_they_do() {
    let methods = methods();
    assert_eq!(methods.len(), 417);
    let on_customers: Vec<&str> = methods
        .iter()
        .copied()
        .filter(|line| line.starts_with("fn customers::"))
        .collect();
    assert!(on_customers.len() > 30, "{on_customers:#?}");
    let numbered_names: Vec<&str> = methods
        .iter()
        .copied()
        .filter(|line| numbered(name(line)))
        .collect();
    assert_eq!(numbered_names, Vec::<&str>::new());
    let find = |needle: &str| {
        methods
            .iter()
            .find(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("no method with `{needle}`"))
    };
    // An item `POST` with a `GET` and no `PUT` is the update.
    assert!(find("| POST /v1/customers/{customer} ")
        .starts_with("fn customers::Customers::update(customer: &str, body: Option<&"));
    // An action is a method of the item's resource.
    assert!(find("| POST /v1/invoices/{invoice}/pay ")
        .starts_with("fn invoices::Invoices::pay(invoice: &str, body: Option<&"));
    assert!(find("| POST /v1/payment_intents/{intent}/confirm ")
        .starts_with("fn payment_intents::PaymentIntents::confirm(intent: &str,"));
    // A body whose schema requires properties is no `Option`.
    assert!(find("| POST /v1/customers/{customer}/tax_ids ")
        .contains("(customer: &str, body: &PostCustomersCustomerTaxIdsBody)"));
}

#[test]
fn reads_take_no_empty_body() {
    let with_body: Vec<&str> = methods()
        .into_iter()
        .filter(|line| line.contains("| GET ") || line.contains("| DELETE "))
        .filter(|line| line.contains("body: "))
        .collect();
    // What is left has properties (`DELETE /v1/subscriptions/{id}` takes
    // `invoice_now` and `prorate`).
    assert!(with_body.len() <= 8, "{with_body:#?}");
    assert!(
        with_body
            .iter()
            .all(|line| !line.contains("Map<String, Value>")),
        "{with_body:#?}"
    );
    let dropped = stripe()
        .warnings
        .iter()
        .filter(|w| w.kind == apigen::Kind::Dropped)
        .count();
    assert_eq!(dropped, 225);
}

#[test]
fn areas_follow_the_paths() {
    let generated = stripe();
    let modules: Vec<(&PathBuf, usize)> = generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src") && !path.ends_with("lib.rs"))
        .map(|(path, text)| (path, text.lines().count()))
        .collect();
    let names: Vec<String> = modules
        .iter()
        .map(|(path, _)| {
            path.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for area in [
        "customers",
        "invoices",
        "payment_intents",
        "issuing",
        "shared",
    ] {
        assert!(names.iter().any(|n| n == area), "{names:?}");
    }
    assert!(!names.iter().any(|n| n == "untagged"), "{names:?}");
    assert_eq!(generated.stats.areas, 61);
    // All in one `untagged` module, the crate was 87,044 lines in one file:
    // the largest module is now under half that.
    let largest = modules.iter().map(|(_, lines)| *lines).max().unwrap_or(0);
    assert!(largest < 87_044 / 2, "{modules:?}");
}

/// Stripe's lists page from the call: `starting_after` lists (those whose
/// items are a union of objects with an `id` too) and the `search`
/// operations, which send `next_page` back as `page` (README: "98 of
/// Stripe's").
#[test]
fn lists_and_searches_page_from_the_call() {
    let (paged, streams) = super::paging::counts(stripe());
    assert_eq!(paged, 98, "calls with `| pages` in the manifest");
    assert_eq!(streams, paged, "`pub fn items(self)` streams in the source");
    let methods = methods();
    let searches: Vec<&str> = methods
        .iter()
        .copied()
        .filter(|line| line.contains("/search "))
        .collect();
    assert_eq!(searches.len(), 7, "{searches:#?}");
    for search in &searches {
        assert!(
            search.contains("| pages cursor ?page=next_page items data"),
            "{search}"
        );
    }
    let sources = methods
        .iter()
        .find(|line| line.contains("| GET /v1/customers/{customer}/sources "))
        .expect("the sources list");
    assert!(
        sources.contains("| pages last-id ?starting_after=items[-1].id while has_more items data"),
        "{sources}"
    );
    assert!(!stripe()
        .warnings
        .iter()
        .any(|w| w.kind == apigen::Kind::Paging));
}

/// Every type's name, as `kind module::Name`, one a line: the names a
/// Stripe user meets, so a change of naming shows in review.
fn type_names() -> String {
    let manifest = &stripe().files[&PathBuf::from(apigen::manifest::FILE)];
    let mut out = String::new();
    for line in manifest.lines() {
        let mut words = line.split(' ');
        if let (Some(kind @ ("struct" | "enum" | "union")), Some(path)) =
            (words.next(), words.next())
        {
            out.push_str(kind);
            out.push(' ');
            out.push_str(path);
            out.push('\n');
        }
    }
    out
}

#[test]
fn type_names_tell_the_truth() {
    let names = type_names();
    // Named after what their uses share, not after the first use seen.
    assert!(
        names.contains("\nstruct shared::RangeQuerySpecs\n"),
        "{names}"
    );
    assert!(!names.contains("GetAccountsCreatedRangeQuerySpecs"));
    assert!(!names.contains("DeletedCustomerObject\n"));
    insta::assert_snapshot!("stripe_type_names", names);
}
