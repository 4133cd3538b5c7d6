//! Where each operation hangs in the resource tree, and what its method is
//! called: `GET /accounts/{account_id}/gateway/configuration` becomes
//! `client.gateway().configuration().get(account_id)`, `POST
//! /v1/invoices/{invoice}/pay` `client.invoices().pay(invoice)`.
//!
//! The rules, applied to any description:
//!
//! - A **scope prefix** is dropped: a leading `/{literal}/{parameter}` pair
//!   under which the description has at least [`SCOPE_CHILDREN`] distinct
//!   resources (`/accounts/{account_id}`, `/zones/{zone_id}` in
//!   Cloudflare's). Its parameter stays an argument.
//! - A **version prefix** is dropped: the leading segments that are `api`,
//!   `rest`, a version (`v1`, `v2beta`, `v1.1`) or a bare number (`3`), see
//!   [`is_version_segment`], never a path's last literal. It is kept
//!   everywhere when dropping it would make two paths one (`/v1/customers`
//!   and `/v2/customers`).
//! - Every other literal segment is a resource level (its `snake_case`
//!   name); path parameters are skipped (they are arguments).
//! - The method is named by what the operation does, read from the HTTP
//!   method and the path's shape: on an item (the path ends in a
//!   parameter) `GET` is `get`; on a collection (a literal segment the
//!   description also has an item under, or whose `GET` returns an array)
//!   `GET` is `list`; on a singleton (`/configuration`) `GET` is `get`.
//!   `POST` is `create`, `PUT` `update`, `PATCH` `edit`, `DELETE`
//!   `delete`; other methods keep their name (`head`). Two rules name a
//!   `POST` better:
//!   - a `POST` to an item path is `update` when the path has a `GET` and
//!     neither `PUT` nor `PATCH` (Stripe updates with `POST
//!     /v1/customers/{customer}`; without a `GET` the item is no resource
//!     being updated, as in `POST /ai/run/{model}`, and with a `PUT` or
//!     `PATCH` those are the update);
//!   - a `POST` to an **action path** is named by the action, on the item's
//!     resource: `POST /v1/invoices/{invoice}/pay` is
//!     `client.invoices().pay(invoice)`. An action path ends in a literal
//!     right after a parameter (not a scope's), has no operation but the
//!     `POST` (a `GET` there makes it a resource, as `/charges/{charge}/dispute`
//!     is), and no path under it (`/customers/{customer}/sources` is a
//!     collection).
//!
//!   A name these rules give yields to the plain one (`create` on the
//!   action's own resource) when an operation of the same resource already
//!   has it by the first rules, or a resource under it is called so.
//! - A naming file overrides any of it (see [`Overrides`]); a `resources`
//!   entry naming an action path (`invoices.pay`) keeps it a resource.
//!
//! Names never collide: a second operation that would get the same method
//! on the same resource is named by its `operationId` without its area's
//! prefix (`client.pet().update_pet_with_form()` where `update` is the
//! Petstore's `PUT /pet`), or when that is taken too gets a numbered one (`get_2`),
//! with a warning either way (made in `lower`, which has the pointers):
//! numbers are the last resort.
//!
//! When a description's tags do not split it into areas, areas follow the
//! first resource level ([`Placement::area`]).

pub(super) mod tree;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Diagnostic, Kind};
use crate::load::SourceFile;
use crate::naming::snake;

/// How many distinct resources must live under `/{literal}/{parameter}` for
/// it to be a scope prefix.
pub const SCOPE_CHILDREN: usize = 3;

/// The file names of the naming file, found among the files of a spec
/// directory.
pub const FILE_NAMES: &[&str] = &["apigen-names.yaml", "apigen-names.yml", "apigen-names.json"];

/// The overrides of a naming file (`specs/apigen-names.yaml`):
///
/// ```yaml
/// # Leading `/{literal}/{parameter}` pairs that are scopes, besides those
/// # the rule finds.
/// scopes: [accounts, zones]
/// # A derived resource path (dotted accessor names, after the scope prefix)
/// # and everything under it moves to another (the longest prefix wins).
/// resources:
///   gateway: zero_trust.gateway
/// # An operation's whole name: resource path and method.
/// operations:
///   zone-level-access-applications-list: access.apps.list
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Literals that are scope prefixes when a parameter follows them.
    pub scopes: BTreeSet<String>,
    /// Resource path prefix (dotted) → replacement (dotted; may be empty:
    /// the root).
    pub resources: BTreeMap<String, String>,
    /// `operationId` → resource path and method, dotted.
    pub operations: BTreeMap<String, String>,
}

/// Whether a file found in a spec directory is the naming file.
pub fn is_naming_file(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| FILE_NAMES.contains(&n))
}

impl Overrides {
    /// Reads the naming file among `files`, if there is one.
    pub fn find(files: &[SourceFile]) -> Result<Self, Diagnostic> {
        let file = files.iter().find(|f| is_naming_file(&f.path));
        match file {
            Some(file) => Self::parse(file),
            None => Ok(Self::default()),
        }
    }

    /// Reads a naming file.
    pub fn parse(file: &SourceFile) -> Result<Self, Diagnostic> {
        let fail = |pointer: &str, message: String| {
            Diagnostic::error(Kind::Syntax, file.location(pointer), message).with_help(
                "a naming file holds `resources:` and `operations:`, each a map of strings to dotted names such as `zero_trust.gateway`, and `scopes:`, a list of path literals",
            )
        };
        let Some(object) = file.value.as_object() else {
            return Err(fail("", "the naming file is not a map".into()));
        };
        let mut overrides = Overrides::default();
        for (key, value) in object {
            if key == "scopes" {
                let list = value.as_array().map(|list| {
                    list.iter()
                        .map(|v| v.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                });
                let Some(Some(list)) = list else {
                    return Err(fail("/scopes", "`scopes` is not a list of strings".into()));
                };
                overrides.scopes.extend(list);
                continue;
            }
            let target = match key.as_str() {
                "resources" => &mut overrides.resources,
                "operations" => &mut overrides.operations,
                other => {
                    return Err(fail(
                        &format!("/{}", escape(other)),
                        format!("unknown key `{other}` in the naming file"),
                    ))
                }
            };
            let Some(map) = value.as_object() else {
                return Err(fail(&format!("/{key}"), format!("`{key}` is not a map")));
            };
            for (from, to) in map {
                let pointer = format!("/{key}/{}", escape(from));
                let Some(to) = to.as_str() else {
                    return Err(fail(&pointer, format!("`{from}` does not map to a string")));
                };
                let valid = to.is_empty() && key == "resources"
                    || to
                        .split('.')
                        .all(|part| !part.is_empty() && snake(part) == part);
                if !valid {
                    return Err(fail(
                        &pointer,
                        format!("`{to}` is not a dotted path of `snake_case` names"),
                    ));
                }
                target.insert(from.clone(), to.to_owned());
            }
        }
        Ok(overrides)
    }
}

/// `~` and `/` escaped for a JSON pointer.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Where one operation goes: its resource path, its method's name (before
/// collisions are resolved) and its area when areas follow paths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Accessor names from the client down.
    pub chain: Vec<String>,
    /// The method.
    pub verb: String,
    /// The first resource level that is not a version prefix (`customers`
    /// for `/v1/customers/{customer}`); `None` at the root. The area of
    /// the operation when the description's tags do not give areas.
    pub area: Option<String>,
    /// When a rule named the method by what it does (`update` for an item
    /// `POST`, the action of an action path), where and how the HTTP method
    /// alone would have placed it: the placement falls back to it when the
    /// name is taken on the resource.
    plain: Option<(Vec<String>, String)>,
}

/// An operation to place: `operationId`, upper- or lower-case HTTP method,
/// path template.
pub struct Route<'a> {
    /// `operationId`.
    pub id: &'a str,
    /// HTTP method.
    pub method: &'a str,
    /// Path template.
    pub path: &'a str,
    /// Whether it returns an array (a `GET` that does is a `list`, whatever
    /// the paths around it).
    pub returns_list: bool,
}

fn is_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// Whether a path segment is part of a version prefix: `api`, `rest`, a
/// version (`v1`, `v2beta`, `v1alpha1`, `v1.1`, `V3`) or a bare number
/// (`3`, `2.0`, as in `/rest/api/3/`).
pub fn is_version_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    if lower == "api" || lower == "rest" {
        return true;
    }
    let digits = lower.strip_prefix('v').unwrap_or(&lower);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
        && (digits.len() < lower.len() || digits.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// How many leading segments of a path (parameters anonymous) are its
/// version prefix: the leading run of [`is_version_segment`]s, never the
/// path's last literal segment.
pub fn version_prefix(segments: &[&str]) -> usize {
    let literals = segments.iter().filter(|s| **s != "{}").count();
    segments
        .iter()
        .take_while(|s| **s != "{}" && is_version_segment(s))
        .count()
        .min(literals.saturating_sub(1))
}

/// The segments of a path, parameters made anonymous (`{}`).
fn shape(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| if is_param(s) { "{}" } else { s })
        .collect()
}

/// What placing one route needs to know about all of them.
struct Layout<'a> {
    shapes: Vec<Vec<&'a str>>,
    /// Literals that are scope prefixes when a parameter follows them.
    scopes: BTreeSet<&'a str>,
    /// Paths that have an item under them.
    collections: BTreeSet<Vec<&'a str>>,
    /// The HTTP methods (lower case) of each path.
    methods: BTreeMap<Vec<&'a str>, BTreeSet<String>>,
    /// Every path that is a strict prefix of another.
    parents: BTreeSet<Vec<&'a str>>,
    /// Whether version prefixes are left out of resource paths (no two
    /// paths are the same without them).
    drop_versions: bool,
}

impl<'a> Layout<'a> {
    fn new(routes: &[Route<'a>], overrides: &'a Overrides) -> Self {
        let shapes: Vec<Vec<&str>> = routes.iter().map(|r| shape(r.path)).collect();
        // Scope prefixes: `literal/{}` with enough distinct literal children.
        let mut children: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for segments in &shapes {
            if let [first, "{}", third, ..] = segments.as_slice() {
                if *first != "{}" && *third != "{}" {
                    children.entry(first).or_default().insert(third);
                }
            }
        }
        let mut scopes: BTreeSet<&str> = children
            .into_iter()
            .filter(|(_, c)| c.len() >= SCOPE_CHILDREN)
            .map(|(scope, _)| scope)
            .collect();
        scopes.extend(overrides.scopes.iter().map(String::as_str));
        let mut collections = BTreeSet::new();
        let mut parents = BTreeSet::new();
        let mut methods: BTreeMap<Vec<&str>, BTreeSet<String>> = BTreeMap::new();
        for (segments, route) in shapes.iter().zip(routes) {
            for (i, segment) in segments.iter().enumerate() {
                if *segment == "{}" && i > 0 && segments[i - 1] != "{}" {
                    collections.insert(segments[..i].to_vec());
                }
                parents.insert(segments[..i].to_vec());
            }
            methods
                .entry(segments.clone())
                .or_default()
                .insert(route.method.to_ascii_lowercase());
        }
        let mut layout = Layout {
            shapes,
            scopes,
            collections,
            methods,
            parents,
            drop_versions: false,
        };
        // Version prefixes are dropped unless two paths would then be one.
        // (Scope prefixes are not taken off here: paths under different
        // scopes are meant to meet.)
        let mut without: BTreeSet<&[&str]> = BTreeSet::new();
        let distinct: BTreeSet<&[&str]> = layout.shapes.iter().map(Vec::as_slice).collect();
        for segments in distinct {
            let skip = match layout.scope(segments) {
                0 => version_prefix(segments),
                _ => 0,
            };
            layout.drop_versions |= skip > 0;
            if !without.insert(&segments[skip..]) {
                layout.drop_versions = false;
                break;
            }
        }
        layout
    }

    /// How many leading segments are a scope prefix (0 or 2).
    fn scope(&self, segments: &[&str]) -> usize {
        match segments {
            [first, "{}", _, ..] if self.scopes.contains(first) => 2,
            _ => 0,
        }
    }

    /// Where route `i` goes, before a name a rule gave is checked against
    /// the others.
    fn placement(&self, i: usize, route: &Route<'_>, overrides: &Overrides) -> Placement {
        let segments = &self.shapes[i];
        if let Some(name) = overrides.operations.get(route.id) {
            let mut chain: Vec<String> = name.split('.').map(str::to_owned).collect();
            let verb = chain.pop().unwrap_or_default();
            let area = chain.first().cloned();
            return Placement {
                chain,
                verb,
                area,
                plain: None,
            };
        }
        let scope = self.scope(segments);
        let versions = if scope == 0 {
            version_prefix(segments)
        } else {
            0
        };
        let skip = if self.drop_versions {
            scope + versions
        } else {
            scope
        };
        let chain: Vec<String> = segments[skip..]
            .iter()
            .filter(|s| **s != "{}")
            .map(|s| snake(s))
            .collect();
        let method = route.method.to_ascii_lowercase();
        let item = segments.last() == Some(&"{}");
        let collection = !item && (route.returns_list || self.collections.contains(segments));
        let plain_verb = plain_verb(&method, collection);
        let ruled = match method.as_str() {
            "post" if item && self.is_read_item(segments) => {
                Some((chain.clone(), "update".to_owned()))
            }
            "post" if self.is_action(segments, skip, &chain, overrides) => {
                let mut item_chain = chain.clone();
                let action = item_chain.pop().unwrap_or_default();
                Some((item_chain, action))
            }
            _ => None,
        };
        let (remapped, moved) = remap(chain, overrides);
        let plain = (remapped, plain_verb);
        // Version levels kept in the chain are no area.
        let head = if moved || self.drop_versions {
            0
        } else {
            versions
        };
        let (chain, verb, plain) = match ruled {
            Some((chain, verb)) => (remap(chain, overrides).0, verb, Some(plain)),
            None => (plain.0, plain.1, None),
        };
        let area = chain.get(head).or(chain.last()).cloned();
        Placement {
            chain,
            verb,
            area,
            plain,
        }
    }

    /// Whether an item path is read with `GET` and written with neither
    /// `PUT` nor `PATCH`: its `POST` is then the update (without the `GET`,
    /// a `POST` to `/ai/run/{model}` is no update of anything).
    fn is_read_item(&self, segments: &[&str]) -> bool {
        let methods = &self.methods[segments];
        methods.contains("get") && !methods.contains("put") && !methods.contains("patch")
    }

    /// Whether a `POST` path is an action on an item: its last segment is
    /// a literal right after a parameter that is not a scope's, the
    /// description has no other operation on it and nothing under it, and
    /// the naming file does not name it as a resource.
    fn is_action(
        &self,
        segments: &[&str],
        skip: usize,
        chain: &[String],
        overrides: &Overrides,
    ) -> bool {
        let [.., "{}", last] = segments else {
            return false;
        };
        *last != "{}"
            && segments[skip..].len() >= 3
            && chain.len() >= 2
            && self.methods[segments].len() == 1
            && !self.parents.contains(segments)
            && !overrides.resources.contains_key(&chain.join("."))
    }
}

/// Places every route (in the same order).
///
/// A name a rule gave (`update`, an action) yields to the name the HTTP
/// method alone gives when an operation on the same resource is called so
/// by the HTTP method alone, or when a resource under it has that name.
pub fn place(routes: &[Route<'_>], overrides: &Overrides) -> Vec<Placement> {
    let layout = Layout::new(routes, overrides);
    let mut placements: Vec<Placement> = routes
        .iter()
        .enumerate()
        .map(|(i, route)| layout.placement(i, route, overrides))
        .collect();
    let mut nodes: BTreeSet<&[String]> = BTreeSet::new();
    let mut plain_names: BTreeSet<(&[String], &str)> = BTreeSet::new();
    for placement in &placements {
        for len in 1..=placement.chain.len() {
            nodes.insert(&placement.chain[..len]);
        }
        if placement.plain.is_none() {
            plain_names.insert((&placement.chain, &placement.verb));
        }
    }
    let yielding: Vec<usize> = placements
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.plain.is_some() && {
                let mut below = p.chain.clone();
                below.push(p.verb.clone());
                plain_names.contains(&(&p.chain, &p.verb)) || nodes.contains(below.as_slice())
            }
        })
        .map(|(i, _)| i)
        .collect();
    for i in yielding {
        if let Some((chain, verb)) = placements[i].plain.take() {
            placements[i].chain = chain;
            placements[i].verb = verb;
        }
    }
    placements
}

/// The method's name by the HTTP method (lower case) alone, on a
/// collection or not.
fn plain_verb(method: &str, collection: bool) -> String {
    match method {
        "get" if collection => "list".to_owned(),
        "get" => "get".to_owned(),
        "post" => "create".to_owned(),
        "put" => "update".to_owned(),
        "patch" => "edit".to_owned(),
        "delete" => "delete".to_owned(),
        other => snake(other),
    }
}

/// The chain moved by the longest `resources` prefix that matches it, and
/// whether one did.
fn remap(chain: Vec<String>, overrides: &Overrides) -> (Vec<String>, bool) {
    for len in (1..=chain.len()).rev() {
        let prefix = chain[..len].join(".");
        if let Some(to) = overrides.resources.get(&prefix) {
            let mut moved: Vec<String> = to
                .split('.')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            moved.extend(chain[len..].iter().cloned());
            return (moved, true);
        }
    }
    (chain, false)
}

#[cfg(test)]
mod tests;
