//! Credentials: how each kind is sent, the security-requirement rules,
//! redaction, and configuration from the environment.

mod support;

use std::collections::HashMap;

use apigen_runtime::{decode, Client, Credentials, Error, Method, Scheme, Secret};
use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use support::{envelope, requests, TOKEN};

/// Cloudflare's habit: one requirement listing alternatives, meaning any
/// one of these credentials.
const ANY_OF: &[&[Scheme]] = &[&[
    Scheme::Header("X-Auth-Email"),
    Scheme::Header("X-Auth-Key"),
    Scheme::Bearer,
    Scheme::Header("X-Auth-User-Service-Key"),
]];
/// Email and key together, or a token.
const KEY_OR_TOKEN: &[&[Scheme]] = &[
    &[Scheme::Header("X-Auth-Email"), Scheme::Header("X-Auth-Key")],
    &[Scheme::Bearer],
];
/// Email and key only.
const KEY_ONLY: &[&[Scheme]] = &[&[Scheme::Header("X-Auth-Email"), Scheme::Header("X-Auth-Key")]];
/// A user service key only.
const SERVICE_KEY_ONLY: &[&[Scheme]] = &[&[Scheme::Header("x-auth-user-service-key")]];
/// Authentication optional.
const OPTIONAL: &[&[Scheme]] = &[&[], &[Scheme::Bearer]];

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .mount(&server)
        .await;
    server
}

fn client_with(server: &MockServer, credentials: Option<Credentials>) -> Client {
    let mut builder = Client::builder().base_url(server.uri());
    if let Some(credentials) = credentials {
        builder = builder.credentials(credentials);
    }
    builder.build().expect("client builds")
}

fn auth_headers(request: &Request) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| {
            name.as_str() == "authorization" || name.as_str().starts_with("x-auth-")
        })
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    found.sort();
    found
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[tokio::test]
async fn each_kind_of_credentials_is_sent_as_its_headers() {
    let server = ok_server().await;
    let cases = [
        (
            Credentials::api_token("tok"),
            pairs(&[("authorization", "Bearer tok")]),
        ),
        (
            Credentials::api_key("me@example.com", "key"),
            pairs(&[("x-auth-email", "me@example.com"), ("x-auth-key", "key")]),
        ),
        (
            Credentials::user_service_key("v1.0-svc"),
            pairs(&[("x-auth-user-service-key", "v1.0-svc")]),
        ),
    ];
    for (credentials, expected) in cases {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
            .mount(&server)
            .await;
        let client = client_with(&server, Some(credentials));
        client
            .call(Method::GET, "/user", decode::envelope::<()>)
            .security(ANY_OF)
            .await
            .expect("call succeeds");
        client
            .call(Method::GET, "/user", decode::envelope::<()>)
            .await
            .expect("call without declared security succeeds");
        let sent = requests(&server).await;
        assert_eq!(auth_headers(&sent[0]), expected);
        assert_eq!(auth_headers(&sent[1]), expected);
    }
}

#[tokio::test]
async fn matching_requirements_send_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .expect(2)
        .mount(&server)
        .await;
    let client = support::client(&server);
    for requirements in [ANY_OF, KEY_OR_TOKEN] {
        client
            .call(Method::GET, "/zones", decode::envelope::<()>)
            .security(requirements)
            .await
            .expect("call succeeds");
    }
}

#[tokio::test]
async fn header_scheme_names_match_case_insensitively() {
    let server = ok_server().await;
    let client = client_with(&server, Some(Credentials::user_service_key("svc")));
    client
        .call(Method::GET, "/certificates", decode::envelope::<()>)
        .security(SERVICE_KEY_ONLY)
        .await
        .expect("call succeeds");
    let sent = requests(&server).await;
    assert_eq!(
        auth_headers(&sent[0]),
        pairs(&[("x-auth-user-service-key", "svc")])
    );
}

#[tokio::test]
async fn credentials_no_requirement_lists_are_sent_anyway() {
    // Descriptions are often incomplete: Cloudflare's lists only email + key
    // on operations that accept an API token. The server is the judge.
    let server = ok_server().await;
    let client = support::client(&server);

    client
        .call(Method::GET, "/legacy", decode::envelope::<()>)
        .security(KEY_ONLY)
        .await
        .expect("the configured token is sent");

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        auth_headers(&sent[0]),
        pairs(&[("authorization", &format!("Bearer {TOKEN}"))])
    );
}

#[tokio::test]
async fn missing_credentials_are_refused_unless_authentication_is_optional() {
    let server = ok_server().await;
    let client = client_with(&server, None);

    let error = client
        .call(Method::GET, "/zones", decode::envelope::<()>)
        .security(KEY_OR_TOKEN)
        .await
        .expect_err("no credentials configured");
    assert!(
        matches!(&error, Error::NoMatchingCredentials { accepted } if accepted.contains("bearer")),
        "{error:?}"
    );
    assert!(requests(&server).await.is_empty());

    client
        .call(Method::GET, "/zones", decode::envelope::<()>)
        .security(OPTIONAL)
        .await
        .expect("optional authentication needs no credentials");
    client
        .call(Method::GET, "/zones", decode::envelope::<()>)
        .await
        .expect("no declared security, no credentials");
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(auth_headers(&sent[0]).is_empty());
    assert!(auth_headers(&sent[1]).is_empty());
}

#[tokio::test]
async fn empty_requirements_send_no_credentials() {
    let server = ok_server().await;
    let client = support::client(&server);
    client
        .call(Method::GET, "/ips", decode::envelope::<()>)
        .security(&[])
        .await
        .expect("call succeeds");
    let sent = requests(&server).await;
    assert!(auth_headers(&sent[0]).is_empty());
}

#[tokio::test]
async fn optional_authentication_still_sends_fitting_credentials() {
    let server = ok_server().await;
    let client = support::client(&server);
    client
        .call(Method::GET, "/ips", decode::envelope::<()>)
        .security(OPTIONAL)
        .await
        .expect("call succeeds");
    let sent = requests(&server).await;
    assert_eq!(
        auth_headers(&sent[0]),
        pairs(&[("authorization", &format!("Bearer {TOKEN}"))])
    );
}

#[test]
fn secrets_never_show_in_debug_or_display() {
    let secret = Secret::new("s3cr3t");
    assert_eq!(format!("{secret:?} {secret}"), "[redacted] [redacted]");
    assert_eq!(secret.expose(), "s3cr3t");

    for credentials in [
        Credentials::api_token("s3cr3t"),
        Credentials::api_key("me@example.com", "s3cr3t"),
        Credentials::user_service_key("s3cr3t"),
    ] {
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        let client = Client::new(credentials).expect("client builds");
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
    let shown = format!("{:?}", Credentials::api_key("me@example.com", "s3cr3t"));
    assert!(shown.contains("me@example.com"), "{shown}");
}

#[test]
fn credentials_that_cannot_be_a_header_fail_the_build_without_leaking() {
    let error = Client::new(Credentials::api_token("abc\nsecret-part")).expect_err("newline");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("secret-part"), "{shown}");
}

fn from_vars(vars: &[(&str, &str)]) -> Result<Client, Error> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Client::builder()
        .from_env_lookup(|name| vars.get(name).cloned())
        .build()
}

#[test]
fn environment_configures_credentials_and_base_url() {
    let client = from_vars(&[
        ("CLOUDFLARE_API_TOKEN", " tok\n"),
        ("CLOUDFLARE_EMAIL", "me@example.com"),
        ("CLOUDFLARE_BASE_URL", "http://localhost:8080/v4/"),
    ])
    .expect("client builds");
    assert_eq!(client.credentials(), Some(&Credentials::api_token("tok")));
    assert_eq!(client.base_url(), "http://localhost:8080/v4");

    let client = from_vars(&[
        ("CLOUDFLARE_EMAIL", "me@example.com"),
        ("CLOUDFLARE_API_KEY", "key"),
        ("CLOUDFLARE_API_USER_SERVICE_KEY", "svc"),
    ])
    .expect("client builds");
    assert_eq!(
        client.credentials(),
        Some(&Credentials::api_key("me@example.com", "key"))
    );
    assert_eq!(client.base_url(), "https://api.cloudflare.com/client/v4");

    let client = from_vars(&[
        ("CLOUDFLARE_API_TOKEN", ""),
        ("CLOUDFLARE_API_USER_SERVICE_KEY", "svc"),
    ])
    .expect("client builds");
    assert_eq!(
        client.credentials(),
        Some(&Credentials::user_service_key("svc"))
    );

    let client = from_vars(&[]).expect("client builds");
    assert_eq!(client.credentials(), None);
}

#[test]
fn incomplete_email_and_key_environment_is_an_error() {
    for vars in [
        [("CLOUDFLARE_EMAIL", "me@example.com")],
        [("CLOUDFLARE_API_KEY", "k3y-value")],
    ] {
        let error = from_vars(&vars).expect_err("incomplete");
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(!error.to_string().contains("k3y-value"), "{error}");
    }
}
