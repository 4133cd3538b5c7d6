//! Where each operation hangs in the resource tree, and what its method is
//! called: `GET /accounts/{account_id}/gateway/configuration` becomes
//! `client.gateway().configuration().get(account_id)`.
//!
//! The rules, applied to any description:
//!
//! - A **scope prefix** is dropped: a leading `/{literal}/{parameter}` pair
//!   under which the description has at least [`SCOPE_CHILDREN`] distinct
//!   resources (`/accounts/{account_id}`, `/zones/{zone_id}` in
//!   Cloudflare's). Its parameter stays an argument.
//! - Every other literal segment is a resource level (its `snake_case`
//!   name); path parameters are skipped (they are arguments).
//! - The method is named by the HTTP method and the path's shape: on an item
//!   (the path ends in a parameter) `GET` is `get`; on a collection (a
//!   literal segment the description also has an item under, or whose `GET`
//!   returns an array) `GET` is `list`; on a singleton (`/configuration`) `GET` is `get`. Everywhere
//!   `POST` is `create`, `PUT` `update`, `PATCH` `edit`, `DELETE` `delete`;
//!   other methods keep their name (`head`).
//! - A naming file overrides any of it (see [`Overrides`]).
//!
//! Names never collide: a second operation that would get the same method
//! on the same resource gets a numbered one (`get_2`) and a warning (made in
//! `lower`, which has the pointers).

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

/// Where one operation goes: its resource path and its method's name
/// (before collisions are resolved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Accessor names from the client down.
    pub chain: Vec<String>,
    /// The method.
    pub verb: String,
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

/// The segments of a path, parameters made anonymous (`{}`).
fn shape(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| if is_param(s) { "{}" } else { s })
        .collect()
}

/// Places every route (in the same order).
pub fn place(routes: &[Route<'_>], overrides: &Overrides) -> Vec<Placement> {
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
    // Prefixes that have an item under them: collections.
    let mut collections: BTreeSet<Vec<&str>> = BTreeSet::new();
    for segments in &shapes {
        for (i, segment) in segments.iter().enumerate() {
            if *segment == "{}" && i > 0 && segments[i - 1] != "{}" {
                collections.insert(segments[..i].to_vec());
            }
        }
    }
    routes
        .iter()
        .zip(&shapes)
        .map(|(route, segments)| {
            if let Some(name) = overrides.operations.get(route.id) {
                let mut chain: Vec<String> = name.split('.').map(str::to_owned).collect();
                let verb = chain.pop().unwrap_or_default();
                return Placement { chain, verb };
            }
            let skip = match segments.as_slice() {
                [first, "{}", _, ..] if scopes.contains(first) => 2,
                _ => 0,
            };
            let chain: Vec<String> = segments[skip..]
                .iter()
                .filter(|s| **s != "{}")
                .map(|s| snake(s))
                .collect();
            let method = route.method.to_ascii_lowercase();
            let item = segments.last() == Some(&"{}");
            let collection = !item && (route.returns_list || collections.contains(segments));
            let verb = match method.as_str() {
                "get" if collection => "list".to_owned(),
                "get" => "get".to_owned(),
                "post" => "create".to_owned(),
                "put" => "update".to_owned(),
                "patch" => "edit".to_owned(),
                "delete" => "delete".to_owned(),
                other => snake(other),
            };
            Placement {
                chain: remap(chain, overrides),
                verb,
            }
        })
        .collect()
}

/// The chain moved by the longest `resources` prefix that matches it.
fn remap(chain: Vec<String>, overrides: &Overrides) -> Vec<String> {
    for len in (1..=chain.len()).rev() {
        let prefix = chain[..len].join(".");
        if let Some(to) = overrides.resources.get(&prefix) {
            let mut moved: Vec<String> = to
                .split('.')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            moved.extend(chain[len..].iter().cloned());
            return moved;
        }
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(routes: &[(&str, &str)], overrides: &Overrides) -> Vec<String> {
        let routes: Vec<Route<'_>> = routes
            .iter()
            .map(|(method, path)| Route {
                id: path,
                method,
                path,
                returns_list: path.ends_with("/rulesets"),
            })
            .collect();
        place(&routes, overrides)
            .into_iter()
            .map(|p| {
                let mut parts = p.chain;
                parts.push(p.verb);
                parts.join(".")
            })
            .collect()
    }

    const CLOUDFLARE: &[(&str, &str)] = &[
        ("GET", "/accounts/{account_id}"),
        ("GET", "/accounts/{account_id}/gateway/configuration"),
        ("PATCH", "/accounts/{account_id}/gateway/configuration"),
        ("GET", "/accounts/{account_id}/gateway/lists"),
        ("POST", "/accounts/{account_id}/gateway/lists"),
        ("GET", "/accounts/{account_id}/gateway/lists/{list_id}"),
        ("PUT", "/accounts/{account_id}/gateway/lists/{list_id}"),
        ("DELETE", "/accounts/{account_id}/devices/settings"),
        ("GET", "/accounts/{account_id}/rulesets"),
        ("GET", "/zones/{zone_id}/api_gateway/configuration"),
        ("HEAD", "/user/tokens/verify"),
    ];

    #[test]
    fn resources_come_from_the_path_and_methods_from_its_shape() {
        assert_eq!(
            placed(CLOUDFLARE, &Overrides::default()),
            [
                // Alone, the scope is the resource.
                "accounts.get",
                "gateway.configuration.get",
                "gateway.configuration.edit",
                "gateway.lists.list",
                "gateway.lists.create",
                "gateway.lists.get",
                "gateway.lists.update",
                "devices.settings.delete",
                // Returns an array.
                "rulesets.list",
                // Only one resource under `/zones/{zone_id}`: not a scope.
                "zones.api_gateway.configuration.get",
                "user.tokens.verify.head",
            ]
        );
    }

    #[test]
    fn the_naming_file_moves_resources_and_renames_operations() {
        let overrides = Overrides {
            scopes: ["zones".to_owned()].into(),
            resources: [("gateway".to_owned(), "zero_trust.gateway".to_owned())].into(),
            operations: [(
                "/user/tokens/verify".to_owned(),
                "user.tokens.verify".to_owned(),
            )]
            .into(),
        };
        let names = placed(CLOUDFLARE, &overrides);
        assert_eq!(names[1], "zero_trust.gateway.configuration.get");
        assert_eq!(names[5], "zero_trust.gateway.lists.get");
        assert_eq!(names[7], "devices.settings.delete");
        assert_eq!(names[9], "api_gateway.configuration.get");
        assert_eq!(names[10], "user.tokens.verify");
    }

    #[test]
    fn a_bad_naming_file_is_located() {
        let file = |text: &str| SourceFile {
            path: "apigen-names.yaml".into(),
            text: text.to_owned(),
            value: serde_json::from_str(text).expect("json"),
        };
        let error =
            Overrides::parse(&file(r#"{"operations": {"x": "Not.Snake"}}"#)).expect_err("refused");
        assert_eq!(error.location.pointer, "/operations/x");
        let error = Overrides::parse(&file(r#"{"renames": {}}"#)).expect_err("refused");
        assert!(error.message.contains("unknown key `renames`"));
        let ok = Overrides::parse(&file(r#"{"resources": {"gateway": ""}}"#)).expect("valid");
        assert_eq!(ok.resources["gateway"], "");
    }
}
