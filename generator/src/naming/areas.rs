//! Names of areas: modules, cargo features and the client's accessor
//! methods, which may not take a name the crate already uses.

use super::*;

/// Module names of the generated crate's own, or that cargo or the crate
/// root treat specially: `lib` and `main` are files cargo reads as targets,
/// `shared` holds types used by several areas, `runtime` is the runtime's
/// re-export, `spec_examples`/`spec_contract` are the test harnesses, and the
/// rest are methods of `Client` that an area accessor of that name would
/// shadow (`Client::from` is what `Client::new` calls).
pub(super) const RESERVED_MODULES: &[&str] = &[
    "lib",
    "main",
    "shared",
    "client",
    "prelude",
    "runtime",
    "spec_examples",
    "spec_contract",
    "new",
    "from",
    "from_env",
    "builder",
    "clone",
    "fmt",
];

/// The methods of a generated `Client` (and of the traits it derives), which
/// a resource accessor or operation on the client itself may not take.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "from",
    "from_env",
    "builder",
    "runtime",
    "clone",
    "clone_from",
    "fmt",
];

/// Cargo feature names the manifest already uses: `default`, and
/// `blocking` (the runtime's blocking calls). (A feature may share a
/// non-optional dependency's name.)
pub(super) const RESERVED_FEATURES: &[&str] = &["default", "blocking"];

/// The names of one API area (an operation tag): its module (and file
/// `src/<module>.rs`, and accessor method on `Client`), its accessor type,
/// and its cargo feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaNames {
    /// A plain (never raw) `snake_case` identifier.
    pub module: String,
    /// A `PascalCase` identifier for the area's accessor type.
    pub accessor: String,
    /// A valid cargo feature name.
    pub feature: String,
    /// Why the names are not the tag's own (a collision or a reserved name),
    /// for a warning; `None` when nothing had to change.
    pub renamed: Option<String>,
}

/// The module a tag would get before collisions: `snake_case`, ASCII, never a
/// keyword (a trailing `_` instead of a raw identifier, since the module is
/// also a file name), `area` when the tag has no ASCII letters or digits.
pub(super) fn module_base(title: &str) -> String {
    let mut s = clean(title).to_snake_case();
    if s.is_empty() {
        s = "area".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// Names every area, in the order given (sorted titles, so the result is
/// deterministic). Modules, accessors and features are each unique, none is
/// reserved, and each is a valid identifier or feature name, whatever the
/// tags are: empty, keywords, non-ASCII, or equal once cleaned.
pub fn area_names(titles: &[&str]) -> Vec<AreaNames> {
    let mut modules = Namespace::new();
    for reserved in RESERVED_MODULES {
        modules.reserve(reserved);
    }
    let mut accessors = Namespace::new();
    let mut features = Features::new();
    titles
        .iter()
        .map(|title| {
            let base = module_base(title);
            let (module, renamed) = modules.claim(&base);
            let accessor = accessors.claim(&pascal(&module)).0;
            let (feature, feature_renamed) = features.claim(&module);
            let lost = clean(title).to_snake_case().is_empty() && !title.trim().is_empty();
            let renamed = (renamed || feature_renamed || lost).then(|| {
                let why = if RESERVED_MODULES.contains(&base.as_str()) {
                    format!("`{base}` is reserved in the generated crate")
                } else if lost && !renamed {
                    "it has no letters or digits an identifier can keep".to_string()
                } else if feature_renamed && !renamed {
                    format!("feature `{}` is taken", self::feature(&module))
                } else {
                    format!("`{base}` is taken by another tag")
                };
                format!("tag `{title}` becomes module `{module}` and feature `{feature}`: {why}")
            });
            AreaNames {
                module,
                accessor,
                feature,
                renamed,
            }
        })
        .collect()
}

/// Unique cargo feature names. Reserves `default` and `blocking`; a taken name gets `-2`,
/// `-3`, ...
#[derive(Debug)]
pub struct Features {
    taken: BTreeSet<String>,
}

impl Default for Features {
    fn default() -> Self {
        Self::new()
    }
}

impl Features {
    /// The features a manifest always has.
    pub fn new() -> Self {
        Features {
            taken: RESERVED_FEATURES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Whether `name` is in use.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `name` (made a valid feature name first), or its first free
    /// numbered variant. Returns the name and whether it had to be changed.
    pub fn claim(&mut self, name: &str) -> (String, bool) {
        let base = feature(name);
        if self.taken.insert(base.clone()) {
            return (base, false);
        }
        let mut n = 2;
        loop {
            let candidate = format!("{base}-{n}");
            if self.taken.insert(candidate.clone()) {
                return (candidate, true);
            }
            n += 1;
        }
    }
}

/// A valid cargo feature name for any text: ASCII letters, digits, `-`, words
/// joined by `-`, `area` when nothing is left. Cargo features may not start
/// with `-` or contain most punctuation.
pub fn feature(name: &str) -> String {
    let name = without_apostrophes(name);
    let words: Vec<&str> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "area".into()
    } else {
        words.join("-").to_ascii_lowercase()
    }
}
