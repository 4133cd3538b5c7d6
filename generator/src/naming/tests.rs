use super::*;

#[test]
fn identifiers_for_tokens() {
    assert_eq!(ident("zone_id").to_string(), "zone_id");
    assert_eq!(ident("r#type").to_string(), "r#type");
    assert_eq!(unraw("r#type"), "type");
    assert_eq!(unraw("zone"), "zone");
    assert_eq!(affixed("with_", "r#type", "").to_string(), "with_type");
    assert_eq!(
        affixed("", "api_token", "_provider").to_string(),
        "api_token_provider"
    );
    assert_eq!(constant("r#type").to_string(), "TYPE");
    assert_eq!(constant("api_token").to_string(), "API_TOKEN");
}

#[test]
fn the_unknown_variant_avoids_the_spec_values() {
    assert_eq!(unknown_variant(["Active", "Paused"]), UNKNOWN_VARIANT);
    assert_eq!(unknown_variant(["Unknown", "Active"]), "Unknown2");
    assert_eq!(unknown_variant(["Unknown", "Unknown2"]), "Unknown3");
}

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
fn acronyms_with_a_plural_s_stay_one_word() {
    let names = areas(&[
        "Cloudflare IPs",
        "Magic Site ACLs",
        "Access Short-lived Certificate CAs",
    ]);
    assert_eq!(
        names[0],
        triple("cloudflare_ips", "CloudflareIps", "cloudflare-ips")
    );
    assert_eq!(
        names[1],
        triple("magic_site_acls", "MagicSiteAcls", "magic-site-acls")
    );
    assert_eq!(
        names[2],
        triple(
            "access_short_lived_certificate_cas",
            "AccessShortLivedCertificateCas",
            "access-short-lived-certificate-cas"
        )
    );
    assert_eq!(snake("allowedIPs"), "allowed_ips");
    assert_eq!(snake("URLsToScan"), "urls_to_scan");
    assert_eq!(pascal("list APIs"), "ListApis");
    assert_eq!(snake("user IDs"), "user_ids");
    // Not a plural: the `s` starts a word, or there is no acronym.
    assert_eq!(join_plural_acronyms("IPsec tunnels"), "IPsec tunnels");
    assert_eq!(join_plural_acronyms("HTTPSettings"), "HTTPSettings");
    assert_eq!(join_plural_acronyms("ABs"), "Abs");
    assert_eq!(snake("As"), "r#as");
    assert_eq!(snake("Is"), "is");
}

#[test]
fn mixed_case_terms_and_possessives_stay_one_word() {
    let names = areas(&[
        "Access mTLS authentication",
        "Magic IPsec tunnels",
        "User's Invites",
    ]);
    assert_eq!(
        names[0],
        triple(
            "access_mtls_authentication",
            "AccessMtlsAuthentication",
            "access-mtls-authentication"
        )
    );
    assert_eq!(
        names[1],
        triple(
            "magic_ipsec_tunnels",
            "MagicIpsecTunnels",
            "magic-ipsec-tunnels"
        )
    );
    assert_eq!(
        names[2],
        triple("user_invites", "UserInvites", "user-invites")
    );
    assert_eq!(pascal("MagicIPsecTunnels"), "MagicIpsecTunnels");
    assert_eq!(snake("OAuth2 token"), "oauth2_token");
    assert_eq!(snake("DDoS protection"), "ddos_protection");
    assert_eq!(snake("iOS devices"), "ios_devices");
    assert_eq!(snake("don't"), "dont");
    // Not standing as a word: a longer run of letters, or a lower-case
    // letter before a term that starts with one.
    assert_eq!(snake("DDoSes"), "d_do_ses");
    assert_eq!(snake("PiOS"), "pi_os");
    // Text of other shapes is untouched.
    assert_eq!(snake("DNSKey"), "dns_key");
}

#[test]
fn an_area_prefix_is_dropped_however_its_acronyms_split() {
    assert_eq!(
        without_area_prefix("zones_list", "zones", "Zones"),
        Some("list")
    );
    let id = "cloudflare_i_ps_cloudflare_ip_details";
    let ips = "Cloudflare IPs";
    assert_eq!(
        without_area_prefix(id, "cloudflare_ips", ips),
        Some("cloudflare_ip_details")
    );
    assert_eq!(
        without_area_prefix("cloudflare_ips_details", "cloudflare_ips", ips),
        Some("details")
    );
    // A module numbered apart from another is its own prefix only.
    assert_eq!(without_area_prefix(id, "cloudflare_ips_2", ips), None);
    assert_eq!(without_area_prefix("zones_list", "zone", "Zone"), None);
    assert_eq!(without_area_prefix("zoneslist", "zones", "Zones"), None);
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
    assert_eq!(feature("Zero Trust accounts"), "zero-trust-accounts");
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

fn areas(titles: &[&str]) -> Vec<(String, String, String)> {
    area_names(titles)
        .into_iter()
        .map(|a| (a.module, a.accessor, a.feature))
        .collect()
}

fn triple(module: &str, accessor: &str, feature: &str) -> (String, String, String) {
    (module.into(), accessor.into(), feature.into())
}

/// Every module is a plain identifier, every feature a valid cargo
/// feature, and all three kinds of name are distinct.
fn assert_valid(names: &[AreaNames]) {
    let mut modules = BTreeSet::new();
    let mut accessors = BTreeSet::new();
    let mut features = BTreeSet::new();
    for name in names {
        assert!(
            syn::parse_str::<syn::Ident>(&name.module).is_ok(),
            "{name:?}"
        );
        assert!(!name.module.starts_with("r#"), "{name:?}");
        assert!(
            !RESERVED_MODULES.contains(&name.module.as_str()),
            "{name:?}"
        );
        assert!(
            syn::parse_str::<syn::Ident>(&name.accessor).is_ok(),
            "{name:?}"
        );
        assert!(!name.feature.is_empty(), "{name:?}");
        assert!(
            name.feature
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{name:?}"
        );
        assert!(!name.feature.starts_with('-'), "{name:?}");
        assert!(
            !RESERVED_FEATURES.contains(&name.feature.as_str()),
            "{name:?}"
        );
        assert!(modules.insert(name.module.clone()), "{name:?}");
        assert!(accessors.insert(name.accessor.clone()), "{name:?}");
        assert!(features.insert(name.feature.clone()), "{name:?}");
    }
}

#[test]
fn a_tag_named_default_keeps_its_module_but_not_the_default_feature() {
    let names = area_names(&["default"]);
    assert_eq!(names[0].module, "default");
    assert_eq!(names[0].feature, "default-2");
    assert!(names[0]
        .renamed
        .as_deref()
        .is_some_and(|m| m.contains("feature `default` is taken")));
    assert_valid(&names);
}

#[test]
fn keyword_tags_become_modules_with_a_trailing_underscore() {
    assert_eq!(
        areas(&["type", "async", "self", "Self", "crate"]),
        vec![
            triple("type_", "Type", "type"),
            triple("async_", "Async", "async"),
            triple("self_", "Self_", "self"),
            triple("self__2", "Self2", "self-2"),
            triple("crate_", "Crate", "crate"),
        ]
    );
    assert_valid(&area_names(&[
        "type", "async", "self", "Self", "crate", "gen", "try",
    ]));
}

#[test]
fn tags_cargo_or_the_crate_treat_specially_are_renamed_with_a_warning() {
    let names = area_names(&["lib", "main", "shared", "client", "runtime", "new"]);
    let modules: Vec<&str> = names.iter().map(|n| n.module.as_str()).collect();
    assert_eq!(
        modules,
        [
            "lib_2",
            "main_2",
            "shared_2",
            "client_2",
            "runtime_2",
            "new_2"
        ]
    );
    for name in &names {
        let message = name.renamed.as_deref().unwrap_or_default();
        assert!(
            message.contains("is reserved in the generated crate"),
            "{message}"
        );
    }
    assert_eq!(names[3].accessor, "Client2");
    assert_valid(&names);
}

#[test]
fn tags_differing_by_case_or_punctuation_are_numbered() {
    let names = area_names(&["Pets", "pets", "pets?", "pet-s", "pet_s"]);
    assert_eq!(
        names
            .iter()
            .map(|n| (n.module.as_str(), n.feature.as_str()))
            .collect::<Vec<_>>(),
        [
            ("pets", "pets"),
            ("pets_2", "pets-2"),
            ("pets_3", "pets-3"),
            ("pet_s", "pet-s"),
            ("pet_s_2", "pet-s-2"),
        ]
    );
    assert!(names[0].renamed.is_none());
    assert!(names[1]
        .renamed
        .as_deref()
        .is_some_and(|m| m.contains("tag `pets` becomes module `pets_2`")));
    assert_valid(&names);
}

#[test]
fn names_that_collide_only_after_numbering_stay_apart() {
    // `foo2` would be the accessor of both `foo_2` and `foo2`.
    let names = area_names(&["foo", "Foo", "foo2", "foo 2"]);
    assert_valid(&names);
    assert_eq!(names[2].module, "foo2");
}

#[test]
fn non_ascii_and_empty_tags_get_ascii_names() {
    let names = area_names(&["Café", "日本語", "Ünïcödé", "", "   ", "🚀 launch"]);
    assert_eq!(
        names.iter().map(|n| n.module.as_str()).collect::<Vec<_>>(),
        ["cafe", "area", "unicode", "area_2", "area_3", "launch"]
    );
    assert_valid(&names);
}

#[test]
fn digits_and_symbols_make_valid_names() {
    let names = area_names(&["2fa", "+1", "a/b", "x.y", "serde", "default things"]);
    assert_eq!(names[0].module, "_2fa");
    assert_eq!(names[0].feature, "2fa");
    assert_eq!(names[4].feature, "serde");
    assert_valid(&names);
}

#[test]
fn features_number_with_dashes_and_reserve_the_manifest_s_own() {
    let mut features = Features::new();
    assert!(features.is_taken("default"));
    assert_eq!(features.claim("default"), ("default-2".into(), true));
    assert!(features.is_taken("blocking"));
    assert_eq!(features.claim("Blocking"), ("blocking-2".into(), true));
    assert_eq!(features.claim("Zero Trust"), ("zero-trust".into(), false));
    assert_eq!(features.claim("zero_trust"), ("zero-trust-2".into(), true));
    assert_eq!(feature("日本"), "area");
}

#[test]
fn operations_without_an_id_are_named_from_method_and_path() {
    assert_eq!(operation_id("get", "/pets/{petId}"), "get_pets_petId");
    assert_eq!(
        snake(&operation_id("get", "/pets/{petId}")),
        "get_pets_pet_id"
    );
    assert_eq!(operation_id("post", "/"), "post");
    assert_eq!(
        snake(&operation_id("get", "/v1/photos.json")),
        "get_v1_photos_json"
    );
}
