//! Each generated crate reads as its own API: no other API's name in its
//! docs, a crate-docs example built from one of its own operations, and
//! every environment variable a doc names one the code reads.

use std::collections::BTreeSet;
use std::path::PathBuf;

use apigen::{CrateSettings, Generated, Options};

/// Generates a corpus document (a path under `../shared/corpus`).
fn corpus(path: &str, name: &str, env: &[(&str, &str)]) -> Generated {
    let spec = super::common::root().join("../shared/corpus").join(path);
    assert!(spec.is_file(), "{} is missing", spec.display());
    let mut options = Options::new(vec![spec], CrateSettings::new(name));
    options.env_vars = env
        .iter()
        .map(|(scheme, var)| (scheme.to_string(), var.to_string()))
        .collect();
    super::common::generate_with(&options)
}

/// The text of every doc attribute of every generated Rust file, as
/// rustdoc sees it (`///` lines and `#[doc = "..."]` alike).
fn docs(generated: &Generated) -> Vec<String> {
    let mut docs = Vec::new();
    for (path, text) in &generated.files {
        if path.extension().is_some_and(|e| e == "rs") {
            let file = syn::parse_file(text).expect("generated Rust parses");
            let mut visitor = Docs(&mut docs);
            syn::visit::visit_file(&mut visitor, &file);
        }
    }
    docs
}

struct Docs<'a>(&'a mut Vec<String>);

impl syn::visit::Visit<'_> for Docs<'_> {
    fn visit_attribute(&mut self, attr: &syn::Attribute) {
        if !attr.path().is_ident("doc") {
            return;
        }
        if let syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) = &attr.meta
        {
            self.0.push(text.value());
        }
    }
}

/// The environment variables a doc names: upper-case words with an
/// underscore, in backticks (`STRIPE_SECRET_KEY`).
fn named_variables(docs: &[String]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for doc in docs {
        for (i, span) in doc.split('`').enumerate() {
            let variable = i % 2 == 1
                && span.contains('_')
                && span.starts_with(|c: char| c.is_ascii_uppercase())
                && span
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if variable {
                names.insert(span.to_owned());
            }
        }
    }
    names
}

/// The variables the generated code reads: the string literals of its
/// `ENV_VARS` (the base URL and one per scheme), and for an HTTP basic
/// scheme the two the runtime makes of its variable (`_USERNAME`,
/// `_PASSWORD`; see `apigen_runtime::EnvVars`) instead.
fn read_variables(generated: &Generated) -> BTreeSet<String> {
    let lib = syn::parse_file(&generated.files[&PathBuf::from("src/lib.rs")]).expect("lib.rs");
    let mut consts = Consts::default();
    syn::visit::visit_file(&mut consts, &lib);
    let env_vars = consts.env_vars.expect("a const ENV_VARS");
    let mut read = BTreeSet::new();
    let mut literals = Literals(Vec::new());
    syn::visit::visit_expr(&mut literals, &env_vars);
    for (scheme, variable) in literals.0 {
        if scheme.is_some_and(|s| consts.basic.contains(&s)) {
            read.insert(format!("{variable}_USERNAME"));
            read.insert(format!("{variable}_PASSWORD"));
        } else {
            read.insert(variable);
        }
    }
    read
}

/// `ENV_VARS`'s value, and the names of the scheme constants of HTTP basic
/// schemes (`Credentials::BASIC`).
#[derive(Default)]
struct Consts {
    env_vars: Option<syn::Expr>,
    basic: BTreeSet<String>,
}

impl syn::visit::Visit<'_> for Consts {
    fn visit_item_const(&mut self, item: &syn::ItemConst) {
        if item.ident == "ENV_VARS" {
            self.env_vars = Some((*item.expr).clone());
        }
    }

    fn visit_impl_item_const(&mut self, item: &syn::ImplItemConst) {
        let expr = &item.expr;
        if quote::quote!(#expr)
            .to_string()
            .contains("SchemeKind :: Basic")
        {
            self.basic.insert(item.ident.to_string());
        }
    }
}

/// The string literals of an expression, each with the constant beside it
/// in a tuple (`(Credentials::BASIC, "PET_BASIC")`).
struct Literals(Vec<(Option<String>, String)>);

impl syn::visit::Visit<'_> for Literals {
    fn visit_expr_tuple(&mut self, tuple: &syn::ExprTuple) {
        let mut elems = tuple.elems.iter();
        if let (Some(syn::Expr::Path(scheme)), Some(syn::Expr::Lit(lit))) =
            (elems.next(), elems.next())
        {
            if let syn::Lit::Str(variable) = &lit.lit {
                let name = scheme.path.segments.last().map(|s| s.ident.to_string());
                self.0.push((name, variable.value()));
                return;
            }
        }
        syn::visit::visit_expr_tuple(self, tuple);
    }

    fn visit_lit_str(&mut self, lit: &syn::LitStr) {
        self.0.push((None, lit.value()));
    }
}

/// The crate docs' example: its operation id and its call line.
fn example(generated: &Generated) -> (String, String) {
    let lib = &generated.files[&PathBuf::from("src/lib.rs")];
    let id = lib
        .lines()
        .find_map(|l| l.strip_prefix("//! For example (`"))
        .and_then(|rest| rest.split('`').next())
        .expect("crate docs with an example");
    let call = lib
        .lines()
        .find_map(|l| l.strip_prefix("//! let result = client."))
        .expect("the example's call");
    (id.to_owned(), call.to_owned())
}

/// Asserts what every crate must: no `Cloudflare` unless its description
/// says it, an example from its own operations, and only variables the
/// code reads named in its docs, each of them named.
fn reads_as_itself(generated: &Generated, crate_name: &str, expected_id: &str, call: &str) {
    let docs = docs(generated);
    let cloudflare: Vec<&String> = docs
        .iter()
        .filter(|d| d.to_lowercase().contains("cloudflare"))
        .collect();
    assert!(cloudflare.is_empty(), "{crate_name}: {cloudflare:#?}");
    let (id, shown) = example(generated);
    assert_eq!(id, expected_id);
    assert_eq!(shown, call);
    let lib = &generated.files[&PathBuf::from("src/lib.rs")];
    assert!(lib.contains(&format!(
        "//! let client = {crate_name}::Client::from_env()?;"
    )));
    let named = named_variables(&docs);
    let read = read_variables(generated);
    let unread: Vec<&String> = named.difference(&read).collect();
    assert!(
        unread.is_empty(),
        "{crate_name}: docs name {unread:?}; the code reads {read:?}"
    );
    let unnamed: Vec<&String> = read.difference(&named).collect();
    assert!(unnamed.is_empty(), "{crate_name}: no doc names {unnamed:?}");
}

#[test]
fn stripe_reads_as_stripe() {
    let generated = corpus(
        "stripe/spec3.json",
        "stripe",
        &[
            ("bearerAuth", "STRIPE_SECRET_KEY"),
            ("basicAuth", "STRIPE_BASIC"),
        ],
    );
    reads_as_itself(
        &generated,
        "stripe",
        "GetAccount",
        "account().get().await?;",
    );
    let named = named_variables(&docs(&generated));
    assert!(named.contains("STRIPE_SECRET_KEY"), "{named:?}");
    assert!(named.contains("STRIPE_BASIC_USERNAME"), "{named:?}");
}

#[test]
fn a_petstore_with_basic_auth_reads_as_itself() {
    let generated = corpus("oas-examples/3.0/security.json", "security_example", &[]);
    let (id, _) = example(&generated);
    assert!(!id.is_empty());
    let docs = docs(&generated);
    assert!(!docs.iter().any(|d| d.to_lowercase().contains("cloudflare")));
    let named = named_variables(&docs);
    let read = read_variables(&generated);
    assert_eq!(named, read);
    assert!(read.contains("SECURITY_EXAMPLE_BASIC_PASSWORD"), "{read:?}");
    assert!(!read.contains("SECURITY_EXAMPLE_BASIC"), "{read:?}");
}

#[test]
fn the_variable_check_finds_a_wrong_name() {
    let docs = vec!["reads `STRIPE_API_KEY` and `Client`, `snake_case` and `A_1`".to_owned()];
    assert_eq!(
        named_variables(&docs).into_iter().collect::<Vec<_>>(),
        ["A_1", "STRIPE_API_KEY"]
    );
}
