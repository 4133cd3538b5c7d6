//! Naming and placement: the areas (one per first tag, or per first
//! resource level when tags do not split the description), the preferred names
//! of component types, the umbrella features, and which module (an area's
//! or `shared`) each type lives in.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use super::Lowerer;
use crate::diagnostic::Kind;
use crate::lower::resources::{Overrides, Route};
use crate::model::{
    walk_reachable, Area, AreaId, FeatureGroup, Home, OperationDef, TypeId, WebhookDef,
};
use crate::naming::{area_names, pascal, Features};
use crate::spec::{Operation, Spec};

/// The area of webhook payload types.
pub(super) const WEBHOOKS: &str = "Webhooks";

/// The module doc of the webhooks area (each webhook and its payload type
/// are added once types are named).
pub(super) fn webhooks_doc() -> String {
    "Payload types of the description's webhooks (requests the API sends), \
     for a server that receives them:\n"
        .to_owned()
}

/// The area of an operation by its tags: its first tag; `untagged` when it
/// has none (or an empty one).
pub(super) fn area_title(op: &Operation) -> String {
    op.tags
        .first()
        .filter(|tag| !tag.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| UNTAGGED.to_string())
}

/// The area of operations without a tag.
const UNTAGGED: &str = "untagged";

/// How many operations a description needs for its areas to follow the
/// paths when its tags do not split it: below it, one module is small
/// enough, and the author's tag (or `untagged`) names it.
pub(super) const PATH_AREAS_FROM: usize = 50;

/// The area title of each operation (in `spec.operations` order), and
/// whether they follow paths rather than tags.
///
/// Areas are the first tags, unless those name one area only (no tags, or
/// one tag on everything), the description has [`PATH_AREAS_FROM`]
/// operations or more, and the paths name several areas: then an
/// operation's area is its first resource level after any scope and
/// version prefix (`/v1/customers/{customer}` → `customers`, see
/// `resources::Placement::area`), so a large untagged description still
/// gets small modules and per-area features.
pub(super) fn area_titles(spec: &Spec, overrides: &Overrides) -> (Vec<String>, bool) {
    let by_tag: Vec<String> = spec.operations.iter().map(area_title).collect();
    if spec.operations.len() < PATH_AREAS_FROM || by_tag.iter().any(|t| *t != by_tag[0]) {
        return (by_tag, false);
    }
    let routes: Vec<Route<'_>> = spec
        .operations
        .iter()
        .map(|op| Route {
            id: &op.id,
            method: &op.method,
            path: op.path.as_str(),
            returns_list: false,
        })
        .collect();
    let by_path: Vec<String> = crate::lower::resources::place(&routes, overrides)
        .into_iter()
        .map(|p| p.area.unwrap_or_else(|| UNTAGGED.to_owned()))
        .collect();
    if by_path.iter().collect::<BTreeSet<_>>().len() > 1 {
        (by_path, true)
    } else {
        (by_tag, false)
    }
}

/// A component's name without its namespace prefix (`zero-trust-gateway_x` →
/// `x`), when it has one.
pub(super) fn class_of(name: &str) -> &str {
    name.split_once('_').map_or(name, |(_, rest)| rest)
}

/// The preferred Rust name of each component. Large specs namespace their
/// schemas (`zero-trust-gateway_x`, `access_x`): a prefix shared by several
/// components is dropped where no other component has the same short name.
pub(super) fn component_names(spec: &Spec) -> FxHashMap<String, String> {
    let mut prefixes: FxHashMap<&str, usize> = FxHashMap::default();
    for name in spec.schemas.keys() {
        if let Some((prefix, _)) = name.split_once('_') {
            *prefixes.entry(prefix).or_default() += 1;
        }
    }
    let namespaced = |name: &str| {
        name.split_once('_')
            .is_some_and(|(prefix, _)| prefixes[prefix] > 1)
    };
    // Each short name converted once (`pascal` is not cheap, and a large
    // spec has thousands of components).
    let shorts: Vec<(&String, String)> = spec
        .schemas
        .keys()
        .map(|name| {
            let short = if namespaced(name) {
                class_of(name)
            } else {
                name.as_str()
            };
            (name, pascal(short))
        })
        .collect();
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    for (_, short) in &shorts {
        *counts.entry(short).or_default() += 1;
    }
    shorts
        .iter()
        .map(|(name, short)| {
            let preferred = if counts[short.as_str()] == 1 {
                short.clone()
            } else {
                pascal(name)
            };
            ((*name).clone(), preferred)
        })
        .collect()
}

/// Words dropped from the end of the words a group shares (`Custom Pages for
/// a Zone` and `Custom Pages for an Account` share `custom pages`).
const CONNECTIVES: &[&str] = &[
    "a", "an", "and", "by", "for", "in", "of", "on", "the", "to", "with",
];

/// Groups areas by the tag words they share, each group an umbrella feature
/// named by those words.
///
/// Areas whose titles start with the same word are a family; the family's
/// shared words are the longest run of words every title starts with
/// (compared ignoring case and a plural `s`, so `Load Balancer Pools` and
/// `Load Balancers` share `load balancers`), trailing connectives dropped,
/// spelled as the title that is exactly those words spells them (else the
/// first title). A family is named by them when they are at least two words
/// (`zero-trust`, `zone-level`) or a whole area title (`Zone`, which gives
/// `zone-all` since the area has `zone`).
///
/// A single word that is not itself an area is an adjective or a word of a
/// longer name (`custom`, `page`, `load`) as often as a product (`pages`,
/// `radar`, `stream`). It names the areas that spell it exactly (`Pages
/// Project` is not `Page Rules`) when they are a product's: at least
/// [`PRODUCT_AREAS`] of them, most with a next word of their own (`Pages
/// Project`, `Pages Domains`), not a few phrases repeated (`Custom Pages
/// ...`, `Custom Hostname ...`). Those areas, and the family's others, are
/// then split by their next word and each part of two or more areas is
/// tried in turn (`custom-hostname`, `custom-pages`, `magic-site` inside
/// `magic`). A name an area already has gets `-all`.
pub(super) fn feature_groups(areas: &[Area]) -> Vec<FeatureGroup> {
    let titles: Vec<Vec<&str>> = areas
        .iter()
        .map(|a| a.title.split_whitespace().collect())
        .collect();
    let mut taken = Features::new();
    for area in areas {
        taken.claim(&area.feature);
    }
    let everything: Vec<AreaId> = (0..areas.len()).map(AreaId).collect();
    let mut groups = Vec::new();
    for family in split(&titles, &everything, 0) {
        group(&titles, family, &mut taken, &mut groups);
    }
    groups.sort_by(|a, b| a.feature.cmp(&b.feature));
    groups
}

/// A word as groups compare it: lower-case, a plural `s` dropped.
fn word_key(word: &str) -> String {
    let word = crate::naming::without_apostrophes(word).to_lowercase();
    match word.strip_suffix('s') {
        Some(stem) if !stem.is_empty() && !stem.ends_with('s') => stem.to_owned(),
        _ => word,
    }
}

/// The parts of two or more of `members` whose word `at` is the same.
fn split(titles: &[Vec<&str>], members: &[AreaId], at: usize) -> Vec<Vec<AreaId>> {
    let mut by_word: BTreeMap<String, Vec<AreaId>> = BTreeMap::new();
    for id in members {
        if let Some(word) = titles[id.0].get(at) {
            by_word.entry(word_key(word)).or_default().push(*id);
        }
    }
    by_word.into_values().filter(|m| m.len() > 1).collect()
}

/// Adds the umbrella feature of `members` (see [`feature_groups`]), or of
/// the parts of them that share more words.
fn group(
    titles: &[Vec<&str>],
    members: Vec<AreaId>,
    taken: &mut Features,
    groups: &mut Vec<FeatureGroup>,
) {
    let (name, common, whole) = shared_name(titles, &members);
    let real_words = name.split('-').filter(|w| w.len() > 1).count();
    if real_words < 2 && !whole {
        for product in products(titles, &members, common) {
            let (name, _, _) = shared_name(titles, &product);
            add(name, product, taken, groups);
        }
        for part in split(titles, &members, common) {
            group(titles, part, taken, groups);
        }
    } else {
        add(name, members, taken, groups);
    }
}

/// The feature name of the words `members` share (the longest run every
/// title starts with, trailing connectives dropped, spelled as the title
/// that is exactly those words spells them, else the first title), how
/// many words that is, and whether one title is exactly those words. The
/// name is empty when the words have no ASCII letter or digit.
fn shared_name(titles: &[Vec<&str>], members: &[AreaId]) -> (String, usize, bool) {
    let first = &titles[members[0].0];
    let common = (0..first.len())
        .take_while(|i| {
            members.iter().all(|id| {
                titles[id.0]
                    .get(*i)
                    .is_some_and(|w| word_key(w) == word_key(first[*i]))
            })
        })
        .count();
    let whole = members.iter().find(|id| titles[id.0].len() == common);
    let spelled = &titles[whole.unwrap_or(&members[0]).0];
    let mut words = spelled[..common].to_vec();
    while words.len() > 1 && CONNECTIVES.contains(&words[words.len() - 1].to_lowercase().as_str()) {
        words.pop();
    }
    let name = if words.concat().chars().any(|c| c.is_ascii_alphanumeric()) {
        crate::naming::feature(&words.join(" "))
    } else {
        String::new()
    };
    (name, common, whole.is_some())
}

/// How many areas a single word must name, spelled exactly, to be a
/// product's umbrella (see [`feature_groups`]).
const PRODUCT_AREAS: usize = 3;

/// The parts of `members` (sharing one word, `at` words in) that spell the
/// word alike and are a product's (see [`feature_groups`]).
fn products(titles: &[Vec<&str>], members: &[AreaId], at: usize) -> Vec<Vec<AreaId>> {
    let mut spellings: BTreeMap<String, Vec<AreaId>> = BTreeMap::new();
    for id in members {
        let word = crate::naming::feature(titles[id.0][at - 1]);
        spellings.entry(word).or_default().push(*id);
    }
    spellings
        .into_values()
        .filter(|part| {
            let repeated: usize = split(titles, part, at).iter().map(Vec::len).sum();
            part.len() >= PRODUCT_AREAS && repeated * 2 <= part.len()
        })
        .collect()
}

/// Adds the umbrella feature `name` of `members`, `name-all` when an area
/// has the name, nothing when that is taken too or `name` is empty.
fn add(
    mut name: String,
    members: Vec<AreaId>,
    taken: &mut Features,
    groups: &mut Vec<FeatureGroup>,
) {
    if name.is_empty() {
        return;
    }
    if taken.is_taken(&name) {
        name.push_str("-all");
    }
    if taken.is_taken(&name) {
        return;
    }
    taken.claim(&name);
    groups.push(FeatureGroup {
        feature: name,
        areas: members,
    });
}

impl Lowerer<'_> {
    /// The areas, one per title of `titles` (each operation's, see
    /// [`area_titles`]; and one for webhook payloads), sorted by title, with
    /// the index of each title. A title whose name had to change is
    /// reported where the first operation has it.
    pub(super) fn areas(
        &mut self,
        titles: &[String],
        by_path: bool,
    ) -> (Vec<Area>, BTreeMap<String, AreaId>) {
        let spec = self.spec;
        let mut area_titles: BTreeMap<String, String> = BTreeMap::new();
        for (op, title) in spec.operations.iter().zip(titles) {
            let pointer = match op.tags.first() {
                Some(tag) if !by_path && !tag.trim().is_empty() => format!("{}/tags/0", op.pointer),
                _ => op.pointer.clone(),
            };
            area_titles.entry(title.clone()).or_insert(pointer);
        }
        // Webhook payloads live in an area of their own.
        if spec.webhooks.iter().any(|w| w.payload.is_some()) {
            area_titles
                .entry(WEBHOOKS.to_owned())
                .or_insert_with(|| "/webhooks".to_owned());
        }
        let titles: Vec<&str> = area_titles.keys().map(String::as_str).collect();
        let mut areas = Vec::new();
        let mut area_of: BTreeMap<String, AreaId> = BTreeMap::new();
        for ((title, pointer), names) in area_titles.iter().zip(area_names(&titles)) {
            if let Some(message) = names.renamed {
                self.warn(Kind::NameCollision, pointer, message);
            }
            area_of.insert(title.clone(), AreaId(areas.len()));
            let description = match spec.tags.get(title).cloned().flatten() {
                None if title == WEBHOOKS => Some(webhooks_doc()),
                None if by_path => Some(format!(
                    "The operations under `{title}`: the description has no tags to group them by, so areas follow the paths' first resource levels."
                )),
                other => other,
            };
            areas.push(Area {
                title: title.clone(),
                description,
                feature: names.feature,
                accessor: names.accessor,
                module: names.module,
            });
        }
        (areas, area_of)
    }

    /// Which areas use each draft: every type reachable from an area's
    /// operations and webhook payloads (aliases followed).
    pub(super) fn users(
        &self,
        operations: &[OperationDef],
        webhooks: &[WebhookDef],
    ) -> Vec<BTreeSet<AreaId>> {
        let mut users: Vec<BTreeSet<AreaId>> = vec![BTreeSet::new(); self.drafts.len()];
        for op in operations {
            let mut roots = Vec::new();
            op.each_id(&mut |id| roots.push(id));
            self.mark_users(&mut users, roots, op.area);
        }
        for webhook in webhooks {
            let mut roots = Vec::new();
            webhook.ty.each_id(&mut |id| roots.push(id));
            self.mark_users(&mut users, roots, webhook.area);
        }
        users
    }

    /// Records `area` as a user of every type reachable from `roots`.
    fn mark_users(&self, users: &mut [BTreeSet<AreaId>], roots: Vec<TypeId>, area: AreaId) {
        walk_reachable(roots, |id| {
            let id = self.canonical(id);
            if users[id.0].insert(area) {
                self.drafts[id.0].kind.as_ref()
            } else {
                None
            }
        });
    }
}

/// Where a type used by `users` lives: the module of its one area, or
/// `shared`.
pub(super) fn home(users: &BTreeSet<AreaId>) -> Home {
    match users.len() {
        1 => Home::Area(*users.iter().next().unwrap_or(&AreaId(0))),
        _ => Home::Shared,
    }
}

#[cfg(test)]
mod tests;
