//! Unit tests of `place`.

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
    let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: Areas, version: \"1\"}\npaths:\n");
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
