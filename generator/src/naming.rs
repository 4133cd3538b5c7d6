//! Every Rust identifier the generator emits is made here, with one keyword
//! policy and one way to resolve collisions.
//!
//! **Invariant:** nothing else turns spec names into identifiers. Wire names are
//! kept next to the Rust names in the model, so renaming never changes what is
//! sent.

use std::collections::BTreeMap;

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};

/// Rust keywords (strict and reserved, all editions) that need a raw identifier
/// or, where raw identifiers are not allowed, a trailing underscore.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Names that would shadow prelude or std types the generated code relies on.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default", "Client",
    "Error",
];

/// Keeps only characters valid in identifiers, splitting words on the rest.
fn clean(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '_' || c == '-' || c == ' ' || c == '.' || c == '/' {
            out.push('_');
        } else {
            // Symbols are words of their own so `+1` and `-1` stay apart.
            let word = match c {
                '+' => "plus",
                '*' => "star",
                '<' => "lt",
                '>' => "gt",
                '=' => "eq",
                '@' => "at",
                '#' => "hash",
                '%' => "percent",
                '&' => "and",
                '!' => "not",
                '$' => "dollar",
                _ => "",
            };
            if !word.is_empty() {
                out.push('_');
                out.push_str(word);
            }
            out.push('_');
        }
    }
    out
}

/// A `snake_case` identifier for a field, parameter or method (a raw
/// identifier for keywords, as `r#type`; `self` and friends get a trailing `_`).
pub fn snake(name: &str) -> String {
    let mut s = clean(name).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    keyword_safe(s)
}

/// A `PascalCase` identifier for a type or variant.
pub fn pascal(name: &str) -> String {
    let mut s = clean(name).to_pascal_case();
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if RESERVED_TYPES.contains(&s.as_str()) {
        s.push_str("Value");
    }
    keyword_safe(s)
}

/// A `kebab-case` cargo feature name.
pub fn kebab(name: &str) -> String {
    snake(name)
        .trim_start_matches("r#")
        .trim_matches('_')
        .replace('_', "-")
}

fn keyword_safe(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// Hands out unique names in one namespace (a struct's fields, an enum's
/// variants, the crate's types). The first claimant keeps a name; later ones
/// get `_2`, `_3`, ... (`2`, `3` for Pascal case), in claim order, so the result
/// is deterministic when claims are.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: BTreeMap<String, usize>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks a name as used without claiming a variant of it.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string(), 1);
    }

    /// Claims `name`, or the first free numbered variant of it. Returns the
    /// name and whether it had to be changed.
    pub fn claim(&mut self, name: &str) -> (String, bool) {
        if !self.taken.contains_key(name) {
            self.taken.insert(name.to_string(), 1);
            return (name.to_string(), false);
        }
        let base = name.trim_start_matches("r#");
        let snake = base.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
        let mut n = self.taken[name];
        loop {
            n += 1;
            let candidate = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            if !self.taken.contains_key(&candidate) {
                self.taken.insert(name.to_string(), n);
                self.taken.insert(candidate.clone(), 1);
                return (candidate, true);
            }
        }
    }
}

/// The environment variable prefix of a crate: its name in upper snake
/// case, without a trailing `_API`, `_CLIENT`, `_SDK` or `_RS`
/// (`cloudflare-api` gives `CLOUDFLARE`, `petstore-client` `PETSTORE`).
pub fn env_prefix(crate_name: &str) -> String {
    let mut prefix = clean(crate_name).to_shouty_snake_case();
    for suffix in ["_API", "_CLIENT", "_SDK", "_RS"] {
        if let Some(stripped) = prefix.strip_suffix(suffix) {
            if !stripped.is_empty() {
                prefix = stripped.to_owned();
                break;
            }
        }
    }
    if prefix.is_empty() || prefix.starts_with(|c: char| c.is_ascii_digit()) {
        prefix.insert_str(0, "API");
    }
    prefix
}

/// The environment variable of a credential: `<PREFIX>_<SCHEME>`
/// (`CLOUDFLARE_API_TOKEN`).
pub fn env_var(prefix: &str, scheme: &str) -> String {
    let scheme = clean(scheme).to_shouty_snake_case();
    if scheme.is_empty() {
        format!("{prefix}_CREDENTIAL")
    } else {
        format!("{prefix}_{scheme}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names() {
        assert_eq!(env_prefix("cloudflare-api"), "CLOUDFLARE");
        assert_eq!(env_prefix("petstore-client"), "PETSTORE");
        assert_eq!(env_prefix("petstore"), "PETSTORE");
        assert_eq!(env_prefix("api"), "API");
        assert_eq!(env_prefix("3d-api"), "API3D");
        assert_eq!(env_var("PETSTORE", "api_key"), "PETSTORE_API_KEY");
        assert_eq!(
            env_var("PETSTORE", "petstore-auth"),
            "PETSTORE_PETSTORE_AUTH"
        );
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("match"), "r#match");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(snake("Self"), "self_");
    }

    #[test]
    fn dashes_digits_and_symbols() {
        assert_eq!(snake("foo-bar"), "foo_bar");
        assert_eq!(snake("fooBar"), "foo_bar");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(pascal("2fa"), "V2fa");
        assert_eq!(pascal("a b"), "AB");
        assert_eq!(pascal("+1"), "Plus1");
        assert_eq!(pascal("-1"), "V1");
        assert_eq!(pascal(""), "Empty");
        assert_eq!(snake("$$$"), "dollar_dollar_dollar");
        assert_eq!(pascal("Option"), "OptionValue");
        assert_eq!(kebab("Zero Trust accounts"), "zero-trust-accounts");
    }

    #[test]
    fn collisions_are_numbered_in_claim_order() {
        let mut ns = Namespace::new();
        assert_eq!(ns.claim(&snake("foo-bar")), ("foo_bar".into(), false));
        assert_eq!(ns.claim(&snake("foo_bar")), ("foo_bar_2".into(), true));
        assert_eq!(ns.claim(&snake("fooBar")), ("foo_bar_3".into(), true));
        let mut ns = Namespace::new();
        assert_eq!(ns.claim(&pascal("a-b")).0, "AB");
        assert_eq!(ns.claim(&pascal("a_b")).0, "AB2");
        assert_eq!(ns.claim(&pascal("A B")).0, "AB3");
        let mut ns = Namespace::new();
        ns.reserve("extra");
        assert_eq!(ns.claim("extra").0, "extra_2");
        assert_eq!(ns.claim("r#type").0, "r#type");
        assert_eq!(ns.claim("r#type").0, "type_2");
    }
}
