//! Cloudflare's whole description (`../shared/cloudflare/openapi.json`):
//! its cargo features keep acronyms whole and its umbrella features are
//! named by the tag words they group; its lists page. Generated once for
//! every test here.

use std::path::PathBuf;
use std::sync::OnceLock;

use apigen::{CrateSettings, Generated, Options};

/// The generated crate (with `USES.txt`), made on first use.
pub(super) fn cloudflare() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        let spec = super::common::root().join("../shared/cloudflare/openapi.json");
        assert!(
            spec.is_file(),
            "{} is missing: Cloudflare's description sits beside the repository",
            spec.display()
        );
        super::common::generate_with(&Options {
            type_uses: true,
            ..Options::new(vec![spec], CrateSettings::new("cloudflare"))
        })
    })
}

/// The feature names of the generated crate's `Cargo.toml`.
fn features() -> Vec<String> {
    let generated = cloudflare();
    let manifest = &generated.files[&PathBuf::from("Cargo.toml")];
    let table = manifest
        .split("[features]")
        .nth(1)
        .expect("a [features] table");
    table
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, _)| name.trim_matches('"').to_owned())
        .collect()
}

/// Whether `feature` splits a word: a segment of letters followed by a
/// letter and `s` (`i-ps`, `ac-ls`, `c-as`: case conversion splits an
/// acronym with a plural `s`, `IPs`, `ACLs`, `CAs`, before its last
/// capital), or a one-letter segment other than the article `a` (`m-tls`,
/// `i-psec`, `user-s`: a mixed-case term, `mTLS`, `IPsec`, or a
/// possessive).
fn splits_an_acronym(feature: &str) -> bool {
    let segments: Vec<&str> = feature.split('-').collect();
    let lone_letter = segments
        .iter()
        .any(|s| s.len() == 1 && *s != "a" && s.chars().all(|c| c.is_ascii_alphabetic()));
    lone_letter
        || segments.windows(2).any(|pair| {
            pair[0].chars().all(|c| c.is_ascii_alphabetic())
                && pair[1].len() == 2
                && pair[1].starts_with(|c: char| c.is_ascii_alphabetic())
                && pair[1].ends_with('s')
        })
}

#[test]
fn features_keep_acronyms_whole_and_umbrellas_name_what_they_group() {
    let features = features();
    assert!(features.len() > 300, "{} features", features.len());
    let split: Vec<&String> = features.iter().filter(|f| splits_an_acronym(f)).collect();
    assert!(split.is_empty(), "split acronyms: {split:?}");
    for whole in [
        "cloudflare-ips",
        "magic-site-acls",
        "access-short-lived-certificate-cas",
        "zero-trust",
        "zero-trust-accounts",
        "custom-pages",
        "load-balancers-all",
        "access-mtls-authentication",
        "magic-ipsec-tunnels",
        "user-invites",
        // products: one word most of whose areas go on differently
        "pages",
        "radar",
        "stream",
        "access",
        "magic",
    ] {
        assert!(features.iter().any(|f| f == whole), "no feature `{whole}`");
    }
    for generic in ["load", "page", "custom"] {
        assert!(
            !features.iter().any(|f| f == generic),
            "`{generic}` is an umbrella feature"
        );
    }
}

#[test]
fn the_split_acronym_check_finds_them() {
    assert!(splits_an_acronym("cloudflare-i-ps"));
    assert!(splits_an_acronym("magic-site-ac-ls"));
    assert!(splits_an_acronym("access-short-lived-certificate-c-as"));
    assert!(splits_an_acronym("access-m-tls-authentication"));
    assert!(splits_an_acronym("magic-i-psec-tunnels"));
    assert!(splits_an_acronym("user-s-invites"));
    assert!(!splits_an_acronym("custom-ssl-for-a-zone"));
    assert!(!splits_an_acronym("cloudflare-ips"));
    assert!(!splits_an_acronym("radar-as112"));
    assert!(!splits_an_acronym("d1"));
    assert!(!splits_an_acronym("zero-trust-accounts"));
}

/// Cloudflare's lists that page by `page` or `cursor` with `result_info`
/// stream their pages and items from the call itself (README: "54 of
/// Cloudflare's list calls"); the others say why in a warning.
#[test]
fn lists_page_from_the_call() {
    let generated = cloudflare();
    let (paged, streams) = super::paging::counts(generated);
    assert_eq!(paged, 54, "calls with `| pages` in the manifest");
    assert_eq!(streams, paged, "`pub fn items(self)` streams in the source");
    let manifest = &generated.files[&PathBuf::from(apigen::manifest::FILE)];
    let result_info = manifest
        .lines()
        .filter(|line| line.contains("| pages result_info "))
        .count();
    assert_eq!(result_info, 51);
    let zones = manifest
        .lines()
        .find(|line| line.contains("| GET /zones |"))
        .expect("the zones list");
    assert!(
        zones.contains("| pages result_info ?page items [..]"),
        "{zones}"
    );
    let ambiguous = generated
        .warnings
        .iter()
        .filter(|w| w.kind == apigen::Kind::Paging)
        .count();
    assert_eq!(ambiguous, 23);
}

#[test]
fn union_branches_keep_their_titles_through_an_envelope() {
    // `access_app_response` is an `anyOf` of titled `allOf`s, met through
    // the envelope's `result: anyOf [object, string]`: each branch is named
    // by its title, not `Variant3`.
    let manifest = &cloudflare().files[&PathBuf::from(apigen::manifest::FILE)];
    let branches: Vec<&str> = manifest
        .lines()
        .filter(|line| line.starts_with("variant access_applications::ApplicationResultVariant1::"))
        .collect();
    assert!(
        branches
            .iter()
            .any(|line| line.contains("::SelfHostedApplication(")),
        "{branches:#?}"
    );
    assert!(
        !branches.iter().any(|line| line.contains("::Variant")),
        "{branches:#?}"
    );
}

/// README: "The whole Cloudflare description gives N lines of manifest
/// (X MB) for M lines of Rust": the figures are this generation's.
#[test]
fn the_readme_figures_of_the_whole_description_are_this_generations() {
    let readme = std::fs::read_to_string(super::common::root().join("README.md")).expect("README");
    let text = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let claim = text
        .split("The whole Cloudflare description gives ")
        .nth(1)
        .expect("the README's claim");
    let number = |s: &str| -> usize { s.replace(',', "").parse().expect("a number") };
    let words: Vec<&str> = claim.split(' ').collect();
    let (manifest_lines, megabytes, rust_lines) = (number(words[0]), words[4], number(words[7]));
    let generated = cloudflare();
    let api = &generated.files[&PathBuf::from(apigen::manifest::FILE)];
    assert_eq!(
        (manifest_lines, megabytes, rust_lines),
        (
            api.lines().count(),
            format!("({:.1}", api.len() as f64 / 1e6).as_str(),
            generated.stats.lines
        ),
        "README: {}",
        words[..11].join(" ")
    );
}
