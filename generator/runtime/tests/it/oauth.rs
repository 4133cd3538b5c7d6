//! OAuth2 client credentials: the token endpoint and the API on one
//! loopback server; tokens fetched once, cached, refreshed before expiry
//! and after a `401`, and never shown.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use apigen_runtime::{
    decode, Client, ClientAuth, ClientCredentials, Credentials, Error, Method, SchemeKind,
    SecurityScheme,
};
use base64::Engine;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{self, requests};

const OAUTH: SecurityScheme = SecurityScheme::new("oauth", SchemeKind::OAuth2);
const CLIENT_ID: &str = "client-7";
const CLIENT_SECRET: &str = "s3cret:with/odd chars";

/// The token endpoint: issues `tok-1`, `tok-2`, ... with `expires_in`.
#[derive(Clone)]
struct TokenEndpoint {
    issued: Arc<AtomicUsize>,
    expires_in: u64,
}

impl Respond for TokenEndpoint {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("tok-{n}"),
            "token_type": "Bearer",
            "expires_in": self.expires_in,
        }))
    }
}

/// Mounts the token endpoint at `POST /token`; the count of tokens issued.
async fn token_endpoint(server: &MockServer, expires_in: u64) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(TokenEndpoint {
            issued: issued.clone(),
            expires_in,
        })
        .mount(server)
        .await;
    issued
}

/// The API: `GET /things` answers 200 to any bearer token.
async fn api(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(server)
        .await;
}

fn provider(server: &MockServer) -> ClientCredentials {
    ClientCredentials::new(format!("{}/token", server.uri()), CLIENT_ID, CLIENT_SECRET)
}

fn client(server: &MockServer, provider: ClientCredentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::new().with_token_provider(OAUTH, provider))
        .build()
        .expect("client builds")
}

async fn get(client: &Client) -> Result<Value, Error> {
    client
        .call(Method::GET, "/things", decode::json)
        .security(&[&["oauth"]])
        .await
}

/// The `Authorization` header of every API (non-token) request.
async fn api_tokens(server: &MockServer) -> Vec<String> {
    requests(server)
        .await
        .iter()
        .filter(|r| r.url.path() != "/token")
        .map(|r| support::header(r, "authorization").unwrap_or("").to_owned())
        .collect()
}

/// The form fields of the token requests.
async fn token_forms(server: &MockServer) -> Vec<Vec<(String, String)>> {
    requests(server)
        .await
        .iter()
        .filter(|r| r.url.path() == "/token")
        .map(|r| {
            reqwest::Url::parse(&format!("http://x/?{}", String::from_utf8_lossy(&r.body)))
                .expect("a form body")
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn many_calls_share_one_token_request() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600).await;
    api(&server).await;
    let client = client(&server, provider(&server));

    for _ in 0..5 {
        get(&client).await.expect("call succeeds");
    }
    // Concurrent first calls of a fresh provider share one request too.
    let fresh = self::client(&server, provider(&server));
    let calls: Vec<_> = (0..8).map(|_| get(&fresh)).collect();
    for result in futures_util::future::join_all(calls).await {
        result.expect("call succeeds");
    }

    assert_eq!(issued.load(Ordering::SeqCst), 2, "one token per provider");
    let tokens = api_tokens(&server).await;
    assert_eq!(tokens.len(), 13);
    assert!(
        tokens[..5].iter().all(|t| t == "Bearer tok-1"),
        "{tokens:?}"
    );
    assert!(
        tokens[5..].iter().all(|t| t == "Bearer tok-2"),
        "{tokens:?}"
    );
}

#[tokio::test]
async fn a_token_near_its_expiry_is_replaced_before_use() {
    let server = MockServer::start().await;
    // One second of life: replaced a tenth of it (100 ms) early.
    let issued = token_endpoint(&server, 1).await;
    api(&server).await;
    let client = client(&server, provider(&server));

    get(&client).await.expect("first call");
    get(&client).await.expect("second call");
    assert_eq!(issued.load(Ordering::SeqCst), 1, "still valid: cached");
    // 950 ms later the token has 50 ms left: inside the margin.
    tokio::time::sleep(Duration::from_millis(950)).await;
    get(&client).await.expect("third call");

    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(
        api_tokens(&server).await,
        ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    );
}

#[tokio::test]
async fn a_401_fetches_one_new_token_and_resends_once() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = client(&server, provider(&server));

    let value = get(&client).await.expect("the new token is accepted");
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(api_tokens(&server).await, ["Bearer tok-1", "Bearer tok-2"]);

    // The new token is cached: the next call sends it without asking.
    get(&client).await.expect("cached new token");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_refused_at_once_share_one_refresh() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    // Slow refusals: every call has sent `tok-1` before the first `401`
    // comes back, so all ten are refused at once.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let client = client(&server, provider(&server));

    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client).await })
        })
        .collect();
    for call in calls {
        let value = call
            .await
            .expect("the task ends")
            .expect("resent with tok-2");
        assert_eq!(value, json!({"ok": true}));
    }

    // The first token and one refresh, not one refresh per refused call.
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(token_forms(&server).await.len(), 2);
    let tokens = api_tokens(&server).await;
    let count = |token: &str| tokens.iter().filter(|t| *t == token).count();
    assert_eq!(
        (count("Bearer tok-1"), count("Bearer tok-2")),
        (10, 10),
        "{tokens:?}"
    );
}

#[tokio::test]
async fn a_token_refused_twice_is_the_callers_error() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = client(&server, provider(&server));

    let error = get(&client).await.expect_err("refused twice");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(issued.load(Ordering::SeqCst), 2, "exactly one refresh");
    assert_eq!(api_tokens(&server).await.len(), 2, "exactly one resend");
}

#[tokio::test]
async fn the_client_authenticates_with_http_basic_and_sends_the_scopes() {
    let server = MockServer::start().await;
    token_endpoint(&server, 3600).await;
    api(&server).await;
    let client = client(
        &server,
        provider(&server).scopes(["read:pets", "write:pets"]),
    );

    get(&client).await.expect("call succeeds");

    let sent = requests(&server).await;
    let token_request = sent.iter().find(|r| r.url.path() == "/token").unwrap();
    assert_eq!(
        support::header(token_request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let basic = support::header(token_request, "authorization").expect("basic auth");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(basic.strip_prefix("Basic ").expect("a basic credential"))
        .unwrap();
    // RFC 6749 §2.3.1: id and secret are form-encoded first.
    assert_eq!(
        String::from_utf8(decoded).unwrap(),
        "client-7:s3cret%3Awith%2Fodd%20chars"
    );
    let form = &token_forms(&server).await[0];
    assert_eq!(
        form,
        &[
            ("grant_type".to_owned(), "client_credentials".to_owned()),
            ("scope".to_owned(), "read:pets write:pets".to_owned()),
        ]
    );
}

#[tokio::test]
async fn the_id_and_secret_can_go_in_the_body_and_no_scopes_send_no_scope() {
    let server = MockServer::start().await;
    token_endpoint(&server, 3600).await;
    api(&server).await;
    let client = client(&server, provider(&server).client_auth(ClientAuth::Body));

    get(&client).await.expect("call succeeds");

    let sent = requests(&server).await;
    let token_request = sent.iter().find(|r| r.url.path() == "/token").unwrap();
    assert_eq!(support::header(token_request, "authorization"), None);
    let form = &token_forms(&server).await[0];
    let keys: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["grant_type", "client_id", "client_secret"]);
    assert_eq!(form[2].1, CLIENT_SECRET);
}

#[tokio::test]
async fn an_oauth_error_answer_is_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed",
        })))
        .mount(&server)
        .await;
    api(&server).await;
    let client = client(&server, provider(&server));

    let error = get(&client).await.expect_err("no token");
    let api_error = error.as_api().expect("the token endpoint's answer");
    assert_eq!(api_error.status.as_u16(), 401);
    let shown = error.to_string();
    assert!(
        shown.contains("invalid_client: Client authentication failed"),
        "{shown}"
    );
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(
        api_tokens(&server).await.is_empty(),
        "the API is not called"
    );
}

#[tokio::test]
async fn a_relative_token_url_is_a_clear_configuration_error() {
    let server = MockServer::start().await;
    api(&server).await;
    let provider = ClientCredentials::new("/token", CLIENT_ID, CLIENT_SECRET);
    let error = get(&client(&server, provider))
        .await
        .expect_err("not absolute");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("`/token` is not an absolute URL"),
        "{error}"
    );
}

#[tokio::test]
async fn neither_the_secret_nor_the_token_shows_in_debug() {
    let server = MockServer::start().await;
    token_endpoint(&server, 3600).await;
    api(&server).await;
    let provider = provider(&server).scopes(["read"]);
    let client = client(&server, provider.clone());
    get(&client).await.expect("a token is cached now");

    for shown in [
        format!("{provider:?}"),
        format!("{provider:#?}"),
        format!("{client:?}"),
        format!(
            "{:?}",
            Credentials::new().with_token_provider(OAUTH, provider.clone())
        ),
    ] {
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(!shown.contains("tok-1"), "{shown}");
    }
    assert!(format!("{provider:?}").contains(CLIENT_ID));
}
