//! Credentials: every kind of security scheme sent exactly as the
//! description says (and no other secret), the requirement rules, token
//! providers, redaction, servers and configuration from the environment.

use crate::support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use apigen_runtime::{
    decode, Client, Credentials, EnvVars, Error, KeyLocation, Method, Requirements, SchemeKind,
    Secret, SecurityScheme, Server,
};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{email_key, envelope, requests, API_EMAIL, API_KEY, API_TOKEN, TOKEN};

const HEADER_KEY: SecurityScheme = SecurityScheme::new(
    "header_key",
    SchemeKind::ApiKey(KeyLocation::Header, "api_key"),
);
const QUERY_KEY: SecurityScheme = SecurityScheme::new(
    "query_key",
    SchemeKind::ApiKey(KeyLocation::Query, "api_key"),
);
const COOKIE_KEY: SecurityScheme = SecurityScheme::new(
    "cookie_key",
    SchemeKind::ApiKey(KeyLocation::Cookie, "session"),
);
const BASIC: SecurityScheme = SecurityScheme::new("basic", SchemeKind::Basic);
const BEARER: SecurityScheme = SecurityScheme::new("bearer", SchemeKind::Bearer);
const OAUTH: SecurityScheme = SecurityScheme::new("petstore_auth", SchemeKind::OAuth2);
const DIGEST: SecurityScheme = SecurityScheme::new("digest", SchemeKind::Http);

/// Every secret any test configures: a request may carry only the ones a
/// test expects.
const SECRETS: &[&str] = &[
    "hk-secret",
    "qk-secret",
    "ck-secret",
    "pass-secret",
    "br-secret",
    "oa-secret",
    TOKEN,
    "key-secret",
];

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .mount(&server)
        .await;
    server
}

fn client_with(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(credentials)
        .build()
        .expect("client builds")
}

/// Everything in a request that can carry a credential: the
/// `authorization`, `cookie` and `x-auth-*`/`api_key` headers and the query.
fn credentials_sent(request: &Request) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            name == "authorization"
                || name == "cookie"
                || name == "api_key"
                || name.starts_with("x-auth-")
        })
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
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

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut items: Vec<(String, String)> = items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    items.sort();
    items
}

/// Sends one call with these requirements and returns what it carried,
/// checking that no secret other than the expected ones left the client.
async fn sent_with(
    credentials: Credentials,
    requirements: Option<Requirements>,
) -> Vec<(String, String)> {
    let server = ok_server().await;
    let client = client_with(&server, credentials);
    let mut call = client.call(Method::GET, "/pets", decode::json::<serde_json::Value>);
    if let Some(requirements) = requirements {
        call = call.security(requirements);
    }
    call.await.expect("call succeeds");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    credentials_sent(&sent[0])
}

fn assert_only(sent: &[(String, String)], expected: &[(&str, &str)]) {
    assert_eq!(sent, pairs(expected));
    let text = format!("{sent:?}");
    for secret in SECRETS {
        let expected_here = expected.iter().any(|(_, v)| v.contains(secret));
        assert!(
            expected_here || !text.contains(secret),
            "{secret} leaked: {text}"
        );
    }
}

fn all_kinds() -> Credentials {
    Credentials::new()
        .with(HEADER_KEY, "hk-secret")
        .with(QUERY_KEY, "qk-secret")
        .with(COOKIE_KEY, "ck-secret")
        .with_basic(BASIC, "user", "pass-secret")
        .with(BEARER, "br-secret")
        .with(OAUTH, "oa-secret")
}

#[tokio::test]
async fn each_scheme_kind_is_sent_where_the_description_says_and_nothing_else() {
    let cases: [(Requirements, &[(&str, &str)]); 6] = [
        (&[&["header_key"]], &[("api_key", "hk-secret")]),
        (&[&["query_key"]], &[("?api_key", "qk-secret")]),
        (&[&["cookie_key"]], &[("cookie", "session=ck-secret")]),
        // base64("user:pass-secret")
        (
            &[&["basic"]],
            &[("authorization", "Basic dXNlcjpwYXNzLXNlY3JldA==")],
        ),
        (&[&["bearer"]], &[("authorization", "Bearer br-secret")]),
        (
            &[&["petstore_auth"]],
            &[("authorization", "Bearer oa-secret")],
        ),
    ];
    for (requirements, expected) in cases {
        let sent = sent_with(all_kinds(), Some(requirements)).await;
        assert_only(&sent, expected);
    }
}

#[tokio::test]
async fn another_http_scheme_sends_the_whole_authorization_value() {
    let sent = sent_with(
        Credentials::new().with(DIGEST, "Digest username=\"u\""),
        Some(&[&["digest"]]),
    )
    .await;
    assert_eq!(sent, pairs(&[("authorization", "Digest username=\"u\"")]));
}

#[tokio::test]
async fn alternatives_send_the_first_satisfied_one() {
    // [{header_key}, {query_key}] with only the query key configured.
    let credentials = Credentials::new().with(QUERY_KEY, "qk-secret");
    let sent = sent_with(credentials, Some(&[&["header_key"], &["query_key"]])).await;
    assert_only(&sent, &[("?api_key", "qk-secret")]);
    // Both configured: the first alternative wins, the second stays home.
    let sent = sent_with(all_kinds(), Some(&[&["header_key"], &["query_key"]])).await;
    assert_only(&sent, &[("api_key", "hk-secret")]);
}

#[tokio::test]
async fn combinations_send_every_scheme_of_the_requirement() {
    let sent = sent_with(all_kinds(), Some(&[&["header_key", "cookie_key"]])).await;
    assert_only(
        &sent,
        &[("api_key", "hk-secret"), ("cookie", "session=ck-secret")],
    );
    // Cloudflare's email + key pair.
    let sent = sent_with(
        email_key("me@example.com", "key-secret"),
        Some(&[&["api_email", "api_key"], &["api_token"]]),
    )
    .await;
    assert_only(
        &sent,
        &[
            ("x-auth-email", "me@example.com"),
            ("x-auth-key", "key-secret"),
        ],
    );
}

#[tokio::test]
async fn empty_requirements_send_no_credentials() {
    let sent = sent_with(all_kinds(), Some(&[])).await;
    assert_only(&sent, &[]);
}

#[tokio::test]
async fn credentials_no_requirement_lists_are_sent_anyway() {
    // Descriptions are often incomplete: Cloudflare's lists only email + key
    // on operations that accept an API token. The server is the judge.
    let sent = sent_with(support::token(TOKEN), Some(&[&["api_email", "api_key"]])).await;
    assert_only(&sent, &[("authorization", &format!("Bearer {TOKEN}"))]);
    // Optional authentication with a token configured: the token goes.
    let sent = sent_with(support::token(TOKEN), Some(&[&[], &["api_token"]])).await;
    assert_only(&sent, &[("authorization", &format!("Bearer {TOKEN}"))]);
}

#[tokio::test]
async fn nothing_configured_is_refused_unless_authentication_is_optional() {
    let server = ok_server().await;
    let client = client_with(&server, Credentials::new());
    let error = client
        .call(Method::GET, "/zones", decode::envelope::<()>)
        .security(&[&["api_email", "api_key"], &["api_token"]])
        .await
        .expect_err("no credentials configured");
    let Error::NoMatchingCredentials { accepted } = &error else {
        panic!("unexpected error: {error:?}");
    };
    assert_eq!(accepted, "api_email and api_key; or api_token");
    assert!(requests(&server).await.is_empty(), "nothing may be sent");

    client
        .call(Method::GET, "/zones", decode::envelope::<()>)
        .security(&[&[], &["api_token"]])
        .await
        .expect("optional authentication needs no credentials");
    client
        .call(Method::GET, "/zones", decode::envelope::<()>)
        .await
        .expect("no declared security, no credentials");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|r| credentials_sent(r).is_empty()));
}

#[tokio::test]
async fn a_token_provider_is_asked_per_call_and_again_after_a_401() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header(
            "authorization",
            "Bearer fresh-1",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "expired"})))
        .mount(&server)
        .await;
    let asked = Arc::new(AtomicUsize::new(0));
    let refreshed = Arc::new(AtomicUsize::new(0));
    let provider = {
        let (asked, refreshed) = (asked.clone(), refreshed.clone());
        move |refresh: bool| {
            let n = asked.fetch_add(1, Ordering::SeqCst);
            if refresh {
                refreshed.fetch_add(1, Ordering::SeqCst);
            }
            // A cached, expired token first; a fresh one when told to refresh.
            let token = if refresh {
                format!("fresh-{}", refreshed.load(Ordering::SeqCst))
            } else {
                format!("stale-{n}")
            };
            async move { Ok(Secret::new(token)) }
        }
    };
    let client = client_with(
        &server,
        Credentials::new().with_token_provider(OAUTH, provider),
    );

    let value: serde_json::Value = client
        .call(Method::GET, "/pets", decode::json)
        .security(&[&["petstore_auth"]])
        .await
        .expect("the refreshed token is accepted");
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    assert_eq!(refreshed.load(Ordering::SeqCst), 1);
    let sent = requests(&server).await;
    let tokens: Vec<_> = sent
        .iter()
        .map(|r| support::header(r, "authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        tokens,
        [
            Some("Bearer stale-0".to_owned()),
            Some("Bearer fresh-1".to_owned())
        ]
    );

    // A refreshed token that is refused too is the caller's error: no loop.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let error = client
        .call(Method::GET, "/pets", decode::json::<serde_json::Value>)
        .await
        .expect_err("refused twice");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_provider_error_is_returned_before_anything_is_sent() {
    let server = ok_server().await;
    let provider = |_refresh: bool| async { Err(Error::Config("no token yet".into())) };
    let client = client_with(
        &server,
        Credentials::new().with_token_provider(BEARER, provider),
    );
    let error = client
        .call(Method::GET, "/pets", decode::json::<serde_json::Value>)
        .await
        .expect_err("the provider failed");
    assert!(
        matches!(&error, Error::Config(m) if m == "no token yet"),
        "{error:?}"
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_query_key_never_shows_in_a_transport_error() {
    // Nothing listens on port 9 of loopback (discard): the connection fails.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials(Credentials::new().with(QUERY_KEY, "qk-secret"))
        .max_retries(0)
        .build()
        .expect("client builds");
    let error = client
        .call(Method::GET, "/pets", decode::json::<serde_json::Value>)
        .await
        .expect_err("nothing listens");
    let shown = format!("{error} {error:?}");
    assert!(matches!(error, Error::Transport(_)), "{shown}");
    assert!(!shown.contains("qk-secret"), "{shown}");
}

#[test]
fn secrets_never_show_in_debug_or_display() {
    let secret = Secret::new("s3cr3t");
    assert_eq!(format!("{secret:?} {secret}"), "[redacted] [redacted]");
    assert_eq!(secret.expose(), "s3cr3t");

    let credentials = all_kinds().with(API_TOKEN, "s3cr3t");
    let client = Client::builder()
        .base_url("http://127.0.0.1:1")
        .credentials(credentials.clone())
        .build()
        .expect("client builds");
    for shown in [format!("{credentials:?}"), format!("{client:?}")] {
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("api_token"), "{shown}");
    }
}

#[test]
fn credentials_that_cannot_be_a_header_fail_the_build_without_leaking() {
    let error = Client::builder()
        .base_url("http://127.0.0.1:1")
        .credentials(support::token("abc\nsecret-part"))
        .build()
        .expect_err("newline");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("secret-part"), "{shown}");
}

const SERVER: Server = Server {
    url: "https://{region}.api.example.com/{version}",
    variables: &[("region", "eu"), ("version", "v2")],
};

#[test]
fn the_base_url_comes_from_the_server_and_its_variables() {
    let client = Client::builder().server(SERVER).build().expect("builds");
    assert_eq!(client.base_url(), "https://eu.api.example.com/v2");
    let client = Client::builder()
        .server(SERVER)
        .server_variable("region", "us")
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), "https://us.api.example.com/v2");
    let client = Client::builder()
        .server(SERVER)
        .base_url("http://127.0.0.1:8080/")
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), "http://127.0.0.1:8080");

    let error = Client::builder()
        .server(SERVER)
        .server_variable("zone", "x")
        .build()
        .expect_err("unknown variable");
    assert!(error.to_string().contains("no variable `zone`"), "{error}");
    let error = Client::builder().build().expect_err("no server");
    assert!(error.to_string().contains("base_url"), "{error}");
    let relative = Server {
        url: "/api/v3",
        variables: &[],
    };
    let error = Client::builder()
        .server(relative)
        .build()
        .expect_err("relative");
    assert!(error.to_string().contains("relative"), "{error}");
}

const ENV: EnvVars = EnvVars {
    base_url: "CLOUDFLARE_BASE_URL",
    schemes: &[
        (API_EMAIL, "CLOUDFLARE_EMAIL"),
        (API_KEY, "CLOUDFLARE_API_KEY"),
        (API_TOKEN, "CLOUDFLARE_API_TOKEN"),
        (BASIC, "CLOUDFLARE_BASIC"),
    ],
};

fn from_vars(vars: &[(&str, &str)]) -> Result<Client, Error> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Client::builder()
        .server(SERVER)
        .env_vars(ENV)
        .from_env_lookup(|name| vars.get(name).cloned())
        .build()
}

fn configured(client: &Client) -> Vec<&'static str> {
    client.credentials().schemes().map(|s| s.name).collect()
}

#[test]
fn environment_configures_credentials_and_base_url() {
    let client = from_vars(&[
        ("CLOUDFLARE_API_TOKEN", " tok\n"),
        ("CLOUDFLARE_EMAIL", "me@example.com"),
        ("CLOUDFLARE_BASE_URL", "http://localhost:8080/v4/"),
    ])
    .expect("client builds");
    assert_eq!(configured(&client), ["api_email", "api_token"]);
    assert_eq!(client.base_url(), "http://localhost:8080/v4");

    let client = from_vars(&[("CLOUDFLARE_API_TOKEN", "")]).expect("client builds");
    assert!(client.credentials().is_empty());
    assert_eq!(client.base_url(), "https://eu.api.example.com/v2");
}

#[test]
fn incomplete_basic_environment_is_an_error_and_no_variables_too() {
    let error = from_vars(&[("CLOUDFLARE_BASIC_USERNAME", "me")]).expect_err("incomplete");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(
        error.to_string().contains("CLOUDFLARE_BASIC_PASSWORD"),
        "{error}"
    );

    let error = Client::builder()
        .base_url("http://127.0.0.1:1")
        .from_env_lookup(|_| None)
        .build()
        .expect_err("no variables defined");
    assert!(error.to_string().contains("env_vars"), "{error}");
}
