//! The placement rules of `resources.rs`, on paths from Cloudflare's and
//! Stripe's descriptions.

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

/// Part of Stripe's description: updates by `POST` to an item, actions,
/// a sub-collection, a singleton with a `GET`, under `/v1`.
const STRIPE: &[(&str, &str)] = &[
    ("GET", "/v1/customers"),
    ("POST", "/v1/customers"),
    ("GET", "/v1/customers/{customer}"),
    ("POST", "/v1/customers/{customer}"),
    ("DELETE", "/v1/customers/{customer}"),
    ("GET", "/v1/customers/{customer}/sources"),
    ("POST", "/v1/customers/{customer}/sources"),
    ("POST", "/v1/customers/{customer}/sources/{id}"),
    ("GET", "/v1/customers/{customer}/sources/{id}"),
    ("POST", "/v1/customers/{customer}/sources/{id}/verify"),
    ("POST", "/v1/invoices/{invoice}/pay"),
    ("GET", "/v1/charges/{charge}/dispute"),
    ("POST", "/v1/charges/{charge}/dispute"),
    ("POST", "/v1/charges/{charge}/refund"),
    ("POST", "/v1/charges/{charge}/refund/{refund}/cancel"),
];

#[test]
fn an_item_post_without_put_is_update_and_an_action_is_named_by_it() {
    assert_eq!(
        placed(STRIPE, &Overrides::default()),
        [
            // The version prefix is no resource.
            "customers.list",
            "customers.create",
            "customers.get",
            // An item `POST` with a `GET` and no `PUT`: the update.
            "customers.update",
            "customers.delete",
            // A collection under an item is no action.
            "customers.sources.list",
            "customers.sources.create",
            "customers.sources.update",
            "customers.sources.get",
            // An action on a sub-item.
            "customers.sources.verify",
            // An action on an item.
            "invoices.pay",
            // A `GET` on the path: a resource, not an action.
            "charges.dispute.get",
            "charges.dispute.create",
            // A path under it: a resource, not an action.
            "charges.refund.create",
            "charges.refund.cancel",
        ]
    );
}

#[test]
fn an_item_post_is_create_when_put_or_patch_updates_or_nothing_reads() {
    let routes = [
        ("GET", "/things/{id}"),
        ("PUT", "/things/{id}"),
        ("POST", "/things/{id}"),
        ("PATCH", "/gadgets/{id}"),
        ("GET", "/gadgets/{id}"),
        ("POST", "/gadgets/{id}"),
        ("POST", "/run/{model}"),
    ];
    assert_eq!(
        placed(&routes, &Overrides::default()),
        [
            "things.get",
            "things.update",
            "things.create",
            "gadgets.edit",
            "gadgets.get",
            "gadgets.create",
            "run.create",
        ]
    );
}

#[test]
fn a_ruled_name_yields_to_a_plain_one_or_a_resource() {
    let routes = [
        // `list` is the collection's `GET` on the same resource.
        ("GET", "/things"),
        ("POST", "/things/{id}/list"),
        // `parts` is a resource under `things` (from another path).
        ("POST", "/things/{id}/parts"),
        ("GET", "/things/parts/{part}"),
        // Under a scope's parameter: no item to act on.
        ("GET", "/accounts/{account_id}/a"),
        ("GET", "/accounts/{account_id}/b"),
        ("POST", "/accounts/{account_id}/purge"),
    ];
    assert_eq!(
        placed(&routes, &Overrides::default()),
        [
            "things.list",
            "things.list.create",
            "things.parts.create",
            "things.parts.get",
            "a.get",
            "b.get",
            "purge.create",
        ]
    );
    // The naming file names the action path as a resource: it stays one.
    let overrides = Overrides {
        resources: [("invoices.pay".to_owned(), "payments".to_owned())].into(),
        ..Overrides::default()
    };
    let names = placed(&[("POST", "/v1/invoices/{invoice}/pay")], &overrides);
    assert_eq!(names, ["payments.create"]);
}

#[test]
fn version_prefixes_are_dropped_unless_two_paths_meet() {
    let placements = |paths: &[&str]| {
        let routes: Vec<Route<'_>> = paths
            .iter()
            .map(|path| Route {
                id: path,
                method: "GET",
                path,
                returns_list: false,
            })
            .collect();
        place(&routes, &Overrides::default())
    };
    let one = placements(&["/api/v2beta/pets/{id}", "/api/v2beta/stores", "/health"]);
    let chains: Vec<(String, Option<&str>)> = one
        .iter()
        .map(|p| (p.chain.join("."), p.area.as_deref()))
        .collect();
    assert_eq!(
        chains,
        [
            ("pets".into(), Some("pets")),
            ("stores".into(), Some("stores")),
            ("health".into(), Some("health")),
        ]
    );
    // `/v1/pets` and `/v2/pets` would be one: both keep their version,
    // which is still no area.
    let two = placements(&["/v1/pets", "/v2/pets", "/v1"]);
    let chains: Vec<(String, Option<&str>)> = two
        .iter()
        .map(|p| (p.chain.join("."), p.area.as_deref()))
        .collect();
    assert_eq!(
        chains,
        [
            ("v1.pets".into(), Some("pets")),
            ("v2.pets".into(), Some("pets")),
            ("v1".into(), Some("v1")),
        ]
    );
    for version in [
        "v1", "V2", "v2beta", "v1alpha1", "v1.1", "3", "2.0", "api", "rest",
    ] {
        assert!(is_version_segment(version), "{version}");
    }
    for other in ["vendors", "v", "v1-pets", "apis", "x1", "1a"] {
        assert!(!is_version_segment(other), "{other}");
    }
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
