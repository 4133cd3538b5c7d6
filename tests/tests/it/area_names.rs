//! The area-names fixture (`tests/fixtures/area-names.yaml`): tags that make
//! bad module or feature names as they are (none, `default`, keywords, `lib`,
//! `main`, `shared`, `client`, names equal once cleaned, non-ASCII, empty)
//! give a crate whose manifest cargo accepts and whose modules compile (this
//! file would not build otherwise), with a located warning for every rename.

use std::path::Path;

use area_names_fixture::Client;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn every_area_has_a_distinct_accessor() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    // Each call only has to compile: the names are the point. Areas are
    // modules and features; methods hang on resources named by the paths.
    let _ = client.untagged().get();
    let _ = client.empty_tag().get();
    let _ = client.default().get();
    let _ = client.r#type().get();
    let _ = client.r#async().get();
    let _ = client.lib().get();
    let _ = client.main().get();
    let _ = client.shared().get();
    let _ = client.client().get();
    // `runtime` is a method of `Client` already.
    let _ = client.runtime_2().get();
    let _ = client.pets().get();
    let _ = client.pets().create();
    let _ = client.cafe().get();
    let _ = client.nihongo().get();
    let _ = client.serde().get();
    let _ = client.default_stuff().get();
    let _ = client.default_things().get("id");
}

#[tokio::test]
async fn a_keyword_area_calls_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/type"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "t"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    let thing = client.r#type().get().await.expect("decodes");
    assert_eq!(thing.name.as_deref(), Some("t"));
}

#[test]
fn the_manifest_names_each_feature_once_and_default_only_for_itself() {
    let manifest = std::fs::read_to_string(root().join("tests/fixtures/area-names/Cargo.toml"))
        .expect("the fixture's manifest");
    let features = manifest
        .split("[features]")
        .nth(1)
        .expect("a [features] table");
    let keys: Vec<&str> = features
        .lines()
        .filter_map(|line| line.split_once(" = "))
        .map(|(key, _)| key.trim_matches('"'))
        .collect();
    let mut unique = keys.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "{keys:?}");
    assert_eq!(keys.iter().filter(|k| **k == "default").count(), 1);
    for expected in [
        "default-2",
        "type",
        "async",
        "lib-2",
        "main-2",
        "untagged",
        "area",
    ] {
        assert!(keys.contains(&expected), "{expected} in {keys:?}");
    }
    // `Default stuff`, `Default things` and `default` share a first word; the
    // umbrella feature cannot be `default`.
    assert!(
        manifest.contains(r#""default-all" = ["default-stuff", "default-things", "default-2"]"#)
    );
}

#[test]
fn every_rename_is_a_located_warning() {
    let settings = apigen::CrateSettings::new("area-names");
    let spec = root().join("tests/fixtures/area-names.yaml");
    let generated =
        apigen::generate(&apigen::Options::new(vec![spec], settings)).expect("generates");
    let mut renames: Vec<(String, usize)> = generated
        .warnings
        .iter()
        .filter(|w| w.kind == apigen::Kind::NameCollision)
        .map(|w| (w.location.pointer.clone(), w.location.line.unwrap_or(0)))
        .collect();
    renames.sort();
    assert_eq!(
        renames,
        vec![
            ("/paths/~1client/get/tags/0".to_string(), 68),
            ("/paths/~1default/get/tags/0".to_string(), 25),
            ("/paths/~1lib/get/tags/0".to_string(), 46),
            ("/paths/~1main/get/tags/0".to_string(), 52),
            ("/paths/~1nihongo/get/tags/0".to_string(), 97),
            ("/paths/~1pets/post/tags/0".to_string(), 85),
            // The resource: `Client::runtime` exists.
            ("/paths/~1runtime/get".to_string(), 72),
            ("/paths/~1runtime/get/tags/0".to_string(), 74),
            ("/paths/~1shared/get/tags/0".to_string(), 58),
        ]
    );
    let pets = generated
        .warnings
        .iter()
        .find(|w| w.location.pointer == "/paths/~1pets/post/tags/0")
        .expect("the pets warning");
    assert_eq!(
        pets.message,
        "tag `pets` becomes module `pets_2` and feature `pets-2`: `pets` is taken by another tag"
    );
    let runtime = generated
        .warnings
        .iter()
        .find(|w| w.location.pointer == "/paths/~1runtime/get")
        .expect("the runtime warning");
    assert_eq!(
        runtime.message,
        "resource `client.runtime()` is reached by `client.runtime_2()`: `runtime` is taken"
    );
}
