//! Every Rust identifier the generator emits is made here, with one keyword
//! policy and one way to resolve collisions.
//!
//! **Invariant:** nothing else turns spec names into identifiers. Wire names are
//! kept next to the Rust names in the model, so renaming never changes what is
//! sent.

use std::collections::{BTreeMap, BTreeSet};

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

/// Names a generated type must not take: the prelude names generated code
/// writes bare (`Option<String>`, `Box::new`, `Into`, `Clone::clone`) and the
/// crate's own `Client` and `Error`. Type namespaces start with them taken.
pub const RESERVED_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default", "Into",
    "From", "Clone", "Client", "Error",
];

/// Keeps only characters valid in identifiers, splitting words on the rest,
/// with acronyms that have a plural `s` and mixed-case terms made one word.
fn clean(name: &str) -> String {
    join_plural_acronyms(&join_mixed_case_terms(&split_words(name)))
}

/// Terms spelled in mixed case that case conversion would split (`IPsec` →
/// `i_psec`, `mTLS` → `m_tls`, `OAuth` → `o_auth`), each with the spelling
/// that keeps it one word. A rule cannot find them: `IPsec` is shaped as
/// `DNSKey` is, which is two words.
const MIXED_CASE_TERMS: &[(&str, &str)] = &[
    ("IPsec", "Ipsec"),
    ("mTLS", "Mtls"),
    ("OAuth", "Oauth"),
    ("DDoS", "Ddos"),
    ("GraphQL", "Graphql"),
    ("WebAuthn", "Webauthn"),
    ("macOS", "Macos"),
    ("iOS", "Ios"),
    ("eBPF", "Ebpf"),
];

/// Writes each of [`MIXED_CASE_TERMS`] as one capitalised word where it
/// stands as a word: after a non-letter, or (when it starts with a capital)
/// after a lower-case letter, and not followed by a lower-case letter
/// (`MagicIPsecTunnels` has one, `DDoSes` does not).
fn join_mixed_case_terms(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let starts = out.chars().next_back().map_or(true, |b| {
            !b.is_ascii_alphabetic() || (c.is_ascii_uppercase() && b.is_ascii_lowercase())
        });
        let term = MIXED_CASE_TERMS.iter().find(|(term, _)| {
            starts
                && rest
                    .strip_prefix(term)
                    .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_lowercase()))
        });
        match term {
            Some((term, joined)) => {
                out.push_str(joined);
                rest = &rest[term.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// `name` with its apostrophes dropped, and a possessive `'s` with them:
/// `don't` is `dont` and `User's Invites` is `User Invites`, one word each
/// rather than `don_t` and `user_s`.
pub(crate) fn without_apostrophes(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c != '\'' && c != '\u{2019}' {
            out.push(c);
            continue;
        }
        let mut ahead = chars.clone();
        if ahead.next() == Some('s') && !ahead.next().is_some_and(char::is_alphanumeric) {
            chars.next();
        }
    }
    out
}

/// Keeps only characters valid in identifiers, splitting words on the rest.
fn split_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in without_apostrophes(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '_' || c == '-' || c == ' ' || c == '.' || c == '/' {
            out.push('_');
        } else if let Some(ascii) = fold_latin(c) {
            out.push_str(ascii);
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

/// Writes an acronym with a plural `s` (`IPs`, `ACLs`, `CAs`, `URLs`) as one
/// capitalised word (`Ips`), so case conversion keeps it whole: `cloudflare_ips`
/// and `CloudflareIps` rather than `cloudflare_i_ps`. An acronym is two or more
/// capitals; the `s` must end the word (`IPsec` is left alone).
fn join_plural_acronyms(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let plural = run >= 2
            && chars.get(i + run) == Some(&'s')
            && !chars.get(i + run + 1).is_some_and(char::is_ascii_lowercase);
        if plural {
            out.push(chars[i]);
            out.extend(chars[i + 1..i + run].iter().map(char::to_ascii_lowercase));
            i += run;
        } else {
            out.extend(&chars[i..i + run.max(1)]);
            i += run.max(1);
        }
    }
    out
}

/// The ASCII letters of a Latin letter with a diacritic (`é` → `e`, `ß` →
/// `ss`), so `Café` names `cafe` rather than `caf`.
fn fold_latin(c: char) -> Option<&'static str> {
    const FOLDS: &[(&str, &str)] = &[
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("àáâãäåāăą", "a"),
        ("ÇĆĈĊČ", "C"),
        ("çćĉċč", "c"),
        ("ĎĐ", "D"),
        ("ďđ", "d"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("èéêëēĕėęě", "e"),
        ("ĜĞĠĢ", "G"),
        ("ĝğġģ", "g"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ìíîïĩīĭįı", "i"),
        ("ŁĹĻĽ", "L"),
        ("łĺļľ", "l"),
        ("ÑŃŅŇ", "N"),
        ("ñńņň", "n"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("òóôõöøōŏő", "o"),
        ("ŔŖŘ", "R"),
        ("ŕŗř", "r"),
        ("ŚŜŞŠ", "S"),
        ("śŝşš", "s"),
        ("ŢŤ", "T"),
        ("ţť", "t"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ùúûüũūŭůűų", "u"),
        ("ÝŸ", "Y"),
        ("ýÿ", "y"),
        ("ŹŻŽ", "Z"),
        ("źżž", "z"),
        ("Æ", "AE"),
        ("æ", "ae"),
        ("Œ", "OE"),
        ("œ", "oe"),
        ("ß", "ss"),
    ];
    FOLDS
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map(|(_, ascii)| *ascii)
}

/// The `proc_macro2` identifier of a name the model holds; `r#name` becomes a
/// raw identifier. Emitting code turns names into tokens only through this.
pub fn ident(name: &str) -> proc_macro2::Ident {
    use proc_macro2::{Ident, Span};
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A name as written in text (docs, file names, wire comparisons): without
/// the `r#` of a raw identifier.
pub fn unraw(name: &str) -> &str {
    name.trim_start_matches("r#")
}

/// An identifier made of a snake-case name with a prefix and a suffix
/// (`with_api_token`, `api_token_provider`): never a keyword, so never raw.
pub fn affixed(prefix: &str, name: &str, suffix: &str) -> proc_macro2::Ident {
    ident(&format!("{prefix}{}{suffix}", unraw(name)))
}

/// The `SCREAMING_CASE` constant of a snake-case name (`api_token` gives
/// `API_TOKEN`).
pub fn constant(name: &str) -> proc_macro2::Ident {
    ident(&unraw(name).to_uppercase())
}

/// The catch-all variant of an enum (values this version does not know) and
/// of a union (JSON no branch took), before collisions with the spec's own
/// variants are resolved.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The name of a string enum's catch-all variant, given its other variants:
/// `Unknown`, or `Unknown2` when the spec has an `Unknown` value.
pub fn unknown_variant<'a>(variants: impl IntoIterator<Item = &'a str>) -> String {
    let mut names = Namespace::new();
    for name in variants {
        names.reserve(name);
    }
    names.claim(UNKNOWN_VARIANT).0
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

/// The operation id of an operation that has none, from its method and path
/// (`GET /pets/{petId}` → `get_pets_petId`); it becomes the method name like
/// any other id, so two that collide are numbered with a warning.
pub fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        id.push_str(segment.trim_matches(|c| c == '{' || c == '}'));
    }
    id
}

/// A `snake_case` operation id without its area's module in front
/// (`zones_list` in area `zones` → `list`), or `None` when it has none. An
/// id may spell the area as case conversion alone would, with an acronym
/// split (`cloudflare_i_ps_details` for the area `Cloudflare IPs`, module
/// `cloudflare_ips`): that prefix is dropped too.
pub fn without_area_prefix<'a>(id: &'a str, module: &str, title: &str) -> Option<&'a str> {
    let split = (module_base(title) == module).then(|| split_words(title).to_snake_case());
    let after = |prefix: &str| -> Option<&'a str> { id.strip_prefix(prefix)?.strip_prefix('_') };
    after(module).or_else(|| split.as_deref().and_then(after))
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

    /// A namespace for type names: [`RESERVED_TYPES`] are taken.
    pub fn for_types() -> Self {
        let mut names = Self::new();
        for name in RESERVED_TYPES {
            names.reserve(name);
        }
        names
    }

    /// Whether `name` itself is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(name)
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

mod areas;

use self::areas::module_base;
pub use self::areas::{area_names, feature, Features, CLIENT_METHODS};
#[cfg(test)]
use self::areas::{AreaNames, RESERVED_FEATURES, RESERVED_MODULES};

#[cfg(test)]
mod tests;
