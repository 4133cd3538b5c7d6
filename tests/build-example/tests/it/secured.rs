//! A generated client for a description that is not Cloudflare's: each kind
//! of security scheme sent exactly where the description says (and no other
//! secret), the base URL from `servers` with variables, environment
//! variables under the crate's prefix, and typed error bodies.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use build_example::secured::things::{ErrorValue, GetThingError};
use build_example::secured::{runtime::Secret, Client, Credentials, Error};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Every credential the tests configure, each a distinct secret.
fn all() -> Credentials {
    Credentials::header_key("hk-secret")
        .with_query_key("qk-secret")
        .with_cookie_key("ck-secret")
        .with_basic("user", "pass-secret")
        .with_bearer_token("br-secret")
        .with_petstore_auth("oa-secret")
}

const SECRETS: &[&str] = &[
    "hk-secret",
    "qk-secret",
    "ck-secret",
    "pass-secret",
    "br-secret",
    "oa-secret",
];

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(credentials)
        .build()
        .expect("client builds")
}

/// What a request carried that can hold a credential.
fn carried(request: &Request) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| ["authorization", "cookie", "x-api-key"].contains(&name.as_str()))
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or_default().to_owned()))
        .chain(
            request
                .url
                .query_pairs()
                .map(|(k, v)| (format!("?{k}"), v.into_owned())),
        )
        .collect();
    found.sort();
    found
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn expect(request: &Request, expected: &[(&str, &str)]) {
    let sent = carried(request);
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    want.sort();
    assert_eq!(sent, want);
    let text = format!("{sent:?}");
    for secret in SECRETS {
        let wanted = expected.iter().any(|(_, v)| v.contains(secret));
        assert!(
            wanted || !text.contains(secret),
            "{secret} was sent: {text}"
        );
    }
}

#[tokio::test]
async fn each_operation_sends_only_the_credential_its_scheme_names() {
    type Op = fn(&Client) -> build_example::secured::Call<()>;
    let cases: [(Op, &[(&str, &str)]); 9] = [
        (|c| c.header().get(), &[("x-api-key", "hk-secret")]),
        (|c| c.query().get(), &[("?api_key", "qk-secret")]),
        (|c| c.cookie().get(), &[("cookie", "session=ck-secret")]),
        // base64("user:pass-secret")
        (
            |c| c.basic().get(),
            &[("authorization", "Basic dXNlcjpwYXNzLXNlY3JldA==")],
        ),
        // The document-level requirement.
        (
            |c| c.bearer().get(),
            &[("authorization", "Bearer br-secret")],
        ),
        (
            |c| c.oauth().get(),
            &[("authorization", "Bearer oa-secret")],
        ),
        (|c| c.public().get(), &[]),
        // `[{header_key}, {query_key}]`: the first alternative.
        (|c| c.either().get(), &[("x-api-key", "hk-secret")]),
        // `[{header_key, cookie_key}]`: both.
        (
            |c| c.both().get(),
            &[("x-api-key", "hk-secret"), ("cookie", "session=ck-secret")],
        ),
    ];
    for (call, expected) in cases {
        let server = ok_server().await;
        call(&client(&server, all())).await.expect("call succeeds");
        expect(&only_request(&server).await, expected);
    }
}

#[tokio::test]
async fn alternatives_fall_back_and_unlisted_credentials_are_still_sent() {
    // Only the second alternative is configured.
    let server = ok_server().await;
    client(&server, Credentials::query_key("qk-secret"))
        .either()
        .get()
        .await
        .expect("call succeeds");
    expect(&only_request(&server).await, &[("?api_key", "qk-secret")]);

    // The operation lists the header key only; the bearer token configured
    // goes out rather than a refusal (descriptions are often incomplete).
    let server = ok_server().await;
    client(&server, Credentials::bearer_token("br-secret"))
        .header()
        .get()
        .await
        .expect("call succeeds");
    expect(
        &only_request(&server).await,
        &[("authorization", "Bearer br-secret")],
    );
}

#[tokio::test]
async fn an_operation_that_needs_credentials_fails_when_none_are_configured() {
    let server = ok_server().await;
    let error = client(&server, Credentials::new())
        .header()
        .get()
        .await
        .expect_err("nothing configured");
    assert!(
        matches!(&error, Error::NoMatchingCredentials { accepted } if accepted == "header_key"),
        "{error:?}"
    );
    assert!(server
        .received_requests()
        .await
        .expect("recorded")
        .is_empty());
}

#[tokio::test]
async fn an_oauth_token_provider_is_asked_again_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::header("authorization", "Bearer second"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let provider = move |refresh: bool| {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        assert_eq!(refresh, n == 1, "the second ask is a refresh");
        let token = if n == 0 { "first" } else { "second" };
        async move { Ok(Secret::new(token)) }
    };
    client(&server, Credentials::petstore_auth_provider(provider))
        .oauth()
        .get()
        .await
        .expect("the refreshed token is accepted");
    assert_eq!(asked.load(Ordering::SeqCst), 2);
}

#[test]
fn the_base_url_comes_from_the_servers_and_their_variables() {
    let client = Client::builder().build().expect("client builds");
    assert_eq!(
        client.runtime().base_url(),
        "https://eu.secured.example.com/v2"
    );
    let client = Client::builder()
        .server_variable("region", "us")
        .build()
        .expect("client builds");
    assert_eq!(
        client.runtime().base_url(),
        "https://us.secured.example.com/v2"
    );
}

#[test]
fn the_environment_is_read_under_the_crate_prefix() {
    let vars = [
        ("SECURED_HEADER_KEY", "hk-secret"),
        ("SECURED_BASIC_USERNAME", "user"),
        ("SECURED_BASIC_PASSWORD", "pass-secret"),
        ("SECURED_BASE_URL", "http://127.0.0.1:9/api"),
        // Another crate's variables are not read.
        ("CLOUDFLARE_API_TOKEN", "br-secret"),
    ];
    let client = Client::builder()
        .from_env_lookup(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .build()
        .expect("client builds");
    assert_eq!(client.runtime().base_url(), "http://127.0.0.1:9/api");
    let schemes: Vec<&str> = client
        .runtime()
        .credentials()
        .schemes()
        .map(|s| s.name)
        .collect();
    assert_eq!(schemes, ["basic", "header_key"]);
}

#[tokio::test]
async fn error_bodies_decode_as_the_types_the_description_gives() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/things/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            serde_json::json!({"error": {"code": 404001, "message": "no such thing"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/things/busy"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(serde_json::json!({"message": "try later", "retry": true})),
        )
        .mount(&server)
        .await;
    let client = client(&server, Credentials::new());

    let Err(Error::Api(error)) = client.things().get("missing").await else {
        panic!("expected an API error");
    };
    assert_eq!(error.codes(), [404001]);
    let typed: ErrorValue = error.body_as().expect("the 404 schema");
    assert_eq!(typed.error.code, 404001);
    assert_eq!(typed.error.message, "no such thing");

    let Err(Error::Api(error)) = client.things().get("busy").await else {
        panic!("expected an API error");
    };
    let typed: GetThingError = error.body_as().expect("the default schema");
    assert_eq!(typed.message, "try later");
    assert_eq!(typed.retry, Some(true));
    assert_eq!(error.errors[0].message, "try later");
}
