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
mod tests {
    use std::collections::BTreeSet;

    use super::super::fixtures::{components, lowered, object, string, type_named, ZONES};
    use super::*;

    #[test]
    fn a_type_lives_with_its_one_area_or_in_shared() {
        let (model, _) = lowered(ZONES);
        let titles: Vec<&str> = model.areas.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["DNS Records", "Zones"]);
        // `record` only in DNS Records; `zone` also through `zones-list`.
        assert_eq!(type_named(&model, "Record").home, Home::Area(AreaId(0)));
        assert_eq!(type_named(&model, "Zone").home, Home::Shared);
        assert_eq!(type_named(&model, "Zone").used_by, [AreaId(0), AreaId(1)]);
        assert_eq!(
            type_named(&model, "ZoneRequest").home,
            Home::Area(AreaId(1))
        );
        assert_eq!(home(&BTreeSet::new()), Home::Shared);
    }

    #[test]
    fn a_shared_prefix_is_dropped_unless_the_short_name_is_ambiguous() {
        let empty = |at: &str| object(at, vec![("x", string(at))], 0);
        let spec = components(vec![
            ("access_app", empty("/1")),
            ("access_policy", empty("/2")),
            ("gateway_policy", empty("/3")),
            ("gateway_rule", empty("/4")),
            ("solo_thing", empty("/5")),
        ]);
        let names = component_names(&spec);
        assert_eq!(names["access_app"], "App");
        assert_eq!(names["gateway_rule"], "Rule");
        // Two namespaces have a `policy`: the prefix stays.
        assert_eq!(names["access_policy"], "AccessPolicy");
        assert_eq!(names["gateway_policy"], "GatewayPolicy");
        // A prefix only one component has is no namespace.
        assert_eq!(names["solo_thing"], "SoloThing");
    }

    /// Areas for `titles` (sorted as the lowerer sorts them), named as the
    /// lowerer names them, and their umbrella features by name.
    fn umbrellas(titles: &[&str]) -> BTreeMap<String, Vec<String>> {
        let mut titles = titles.to_vec();
        titles.sort_unstable();
        let areas: Vec<Area> = titles
            .iter()
            .zip(area_names(&titles))
            .map(|(title, names)| Area {
                title: (*title).into(),
                description: None,
                module: names.module,
                feature: names.feature,
                accessor: names.accessor,
            })
            .collect();
        feature_groups(&areas)
            .into_iter()
            .map(|g| {
                let members = g.areas.iter().map(|id| areas[id.0].title.clone());
                (g.feature, members.collect())
            })
            .collect()
    }

    #[test]
    fn areas_sharing_two_words_get_an_umbrella_feature() {
        let groups = umbrellas(&["Zero Trust accounts", "Zero Trust lists", "Zones"]);
        assert_eq!(
            groups,
            BTreeMap::from([(
                "zero-trust".to_owned(),
                vec![
                    "Zero Trust accounts".to_owned(),
                    "Zero Trust lists".to_owned()
                ]
            )])
        );
    }

    #[test]
    fn umbrellas_are_named_by_the_words_their_tags_share() {
        let groups = umbrellas(&[
            "Load Balancer Monitors",
            "Load Balancer Pools",
            "Load Balancers",
            "Page Rules",
            "Page Shield",
            "Custom Hostname for a Zone",
            "Custom Hostname Fallback Origin for a Zone",
            "Custom Pages for a Zone",
            "Custom Pages for an Account",
            "Custom SSL for a Zone",
            "Zone",
            "Zone Holds",
            "Zone-Level Access groups",
            "Zone-Level Access policies",
            "User's Invites",
            "User's Organizations",
        ]);
        let names: Vec<&str> = groups.keys().map(String::as_str).collect();
        // `load`, `page`, `custom` and `user` are no umbrellas: a single
        // word that is not an area names only a product's areas.
        assert_eq!(
            names,
            [
                "custom-hostname",
                "custom-pages",
                "load-balancers-all",
                "zone-all",
                "zone-level-access"
            ]
        );
        assert_eq!(groups["load-balancers-all"].len(), 3);
        assert_eq!(
            groups["custom-pages"],
            ["Custom Pages for a Zone", "Custom Pages for an Account"]
        );
        assert_eq!(groups["zone-all"], ["Zone", "Zone Holds"]);
    }

    #[test]
    fn a_word_most_of_whose_areas_have_a_next_word_of_their_own_is_a_product() {
        let groups = umbrellas(&[
            "Pages Project",
            "Pages Deployment",
            "Pages Domains",
            "Page Rules",
            "Page Shield",
            "Magic GRE tunnels",
            "Magic IPsec tunnels",
            "Magic Site ACLs",
            "Magic Site LANs",
            "Magic Static Routes",
            "Custom Hostname for a Zone",
            "Custom Hostname Fallback Origin for a Zone",
            "Custom Pages for a Zone",
            "Custom Pages for an Account",
            "Custom SSL for a Zone",
        ]);
        let names: Vec<&str> = groups.keys().map(String::as_str).collect();
        // `Page Rules` and `Page Shield` are two areas only; most `Custom`
        // areas repeat a phrase (`Custom Pages`, `Custom Hostname`).
        assert_eq!(
            names,
            [
                "custom-hostname",
                "custom-pages",
                "magic",
                "magic-site",
                "pages"
            ]
        );
        assert_eq!(
            groups["pages"],
            ["Pages Deployment", "Pages Domains", "Pages Project"]
        );
        assert_eq!(groups["magic"].len(), 5);
        assert_eq!(groups["magic-site"], ["Magic Site ACLs", "Magic Site LANs"]);
    }

    #[test]
    fn plural_words_compare_as_one_and_connectives_do_not_end_a_name() {
        assert_eq!(word_key("Balancers"), word_key("balancer"));
        assert_eq!(word_key("access"), "access");
        assert_ne!(word_key("Pages"), word_key("Project"));
        assert_eq!(word_key("User's"), word_key("user"));
        let groups = umbrellas(&["Logpush jobs for a zone", "Logpush jobs for an account"]);
        assert_eq!(groups.keys().collect::<Vec<_>>(), ["logpush-jobs"]);
    }

    /// A description of `count` operations under `/v1/customers` and
    /// `/v1/invoices`, each with `tags`.
    fn described(count: usize, tags: &str) -> String {
        let mut yaml =
            String::from("openapi: 3.0.3\ninfo: {title: Areas, version: \"1\"}\npaths:\n");
        for i in 0..count {
            let resource = if i % 3 == 0 { "invoices" } else { "customers" };
            yaml.push_str(&format!(
                "  /v1/{resource}/a{i}:\n    get:\n      operationId: op{i}\n      tags: {tags}\n      responses: {{\"204\": {{description: done}}}}\n"
            ));
        }
        yaml
    }

    fn area_of(model: &crate::model::Model, id: &str) -> String {
        let op = model.operations.iter().find(|op| op.operation_id == id);
        model.areas[op.expect("operation").area.0].module.clone()
    }

    #[test]
    fn areas_follow_paths_when_tags_do_not_split_a_large_description() {
        for tags in ["[]", "[Everything]"] {
            let (model, _) = lowered(&described(PATH_AREAS_FROM, tags));
            let modules: Vec<&str> = model.areas.iter().map(|a| a.module.as_str()).collect();
            assert_eq!(modules, ["customers", "invoices"], "{tags}");
            assert_eq!(area_of(&model, "op0"), "invoices");
            assert_eq!(area_of(&model, "op1"), "customers");
            let doc = model.areas[0].description.as_deref().unwrap_or_default();
            assert!(doc.contains("no tags to group them by"), "{doc}");
        }
        // A small description is one module, named by its tag.
        let (model, _) = lowered(&described(PATH_AREAS_FROM - 1, "[Everything]"));
        let modules: Vec<&str> = model.areas.iter().map(|a| a.module.as_str()).collect();
        assert_eq!(modules, ["everything"]);
        let (model, _) = lowered(&described(PATH_AREAS_FROM - 1, "[]"));
        assert_eq!(model.areas[0].module, "untagged");
        // Two tags split it already: tags it is.
        let mut two = described(PATH_AREAS_FROM, "[Everything]");
        two = two.replacen("tags: [Everything]", "tags: [Other]", 1);
        let (model, _) = lowered(&two);
        let modules: Vec<&str> = model.areas.iter().map(|a| a.module.as_str()).collect();
        assert_eq!(modules, ["everything", "other"]);
    }
}
