//! Helpers shared by the integration tests: a client pointed at a wiremock
//! server, envelope builders and request inspection.

use cloudflare_api::{ApiError, Client, Credentials, Error};
use serde_json::{json, Value};
use wiremock::matchers::header;
use wiremock::{MockBuilder, MockServer, Request, ResponseTemplate};

/// Account id from the spec's `account-identifier` example.
pub const ACCOUNT_ID: &str = "699d98642c564d2e855e9661899b7252";
/// Zone id from the spec's `identifier` example.
pub const ZONE_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";
pub const EMAIL: &str = "user@example.com";
pub const API_KEY: &str = "c2547eb745079dac9320b638f5e225cf483cc5cfdda41";
pub const API_TOKEN: &str = "Sn3lZJTBX6kkg7OdcBUAxOO963GEIyGQqnFTOFYY";

/// A client for `server` with these credentials (default settings otherwise).
pub fn client_with(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(credentials)
        .build()
        .expect("the client builds")
}

/// A client authenticating with email + global API key.
pub fn key_client(server: &MockServer) -> Client {
    client_with(server, Credentials::api_email(EMAIL).with_api_key(API_KEY))
}

/// A client authenticating with an API token.
pub fn token_client(server: &MockServer) -> Client {
    client_with(server, Credentials::api_token(API_TOKEN))
}

/// Adds matchers for the email + key headers.
pub fn with_key_auth(mock: MockBuilder) -> MockBuilder {
    mock.and(header("X-Auth-Email", EMAIL))
        .and(header("X-Auth-Key", API_KEY))
}

/// Adds a matcher for `Authorization: Bearer <token>`.
pub fn with_token_auth(mock: MockBuilder) -> MockBuilder {
    mock.and(header(
        "Authorization",
        format!("Bearer {API_TOKEN}").as_str(),
    ))
}

/// A success envelope around `result`.
pub fn envelope(result: Value) -> Value {
    json!({ "success": true, "errors": [], "messages": [], "result": result })
}

/// A 200 response carrying a success envelope around `result`.
pub fn ok(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope(result))
}

/// A failure envelope with one error (code, message, docs URL, pointer) and
/// one informational message.
pub fn failure_body(code: i64, message: &str, pointer: &str) -> Value {
    json!({
        "success": false,
        "errors": [{
            "code": code,
            "message": message,
            "documentation_url": "https://developers.cloudflare.com/api/errors/81057",
            "source": { "pointer": pointer }
        }],
        "messages": [{ "code": 10000, "message": "request logged as 4f5c" }],
        "result": null
    })
}

/// Asserts the error is `Error::Api` built from `failure_body(code, message,
/// pointer)` with this status, and returns it.
pub fn assert_failure(
    error: Error,
    status: u16,
    code: i64,
    message: &str,
    pointer: &str,
) -> ApiError {
    let api = match error {
        Error::Api(api) => *api,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(api.status.as_u16(), status);
    assert_eq!(api.errors.len(), 1, "{:?}", api.errors);
    let first = &api.errors[0];
    assert_eq!(first.code, Some(code.into()));
    assert_eq!(first.message, message);
    assert_eq!(
        first.documentation_url.as_deref(),
        Some("https://developers.cloudflare.com/api/errors/81057")
    );
    assert_eq!(
        first.source.as_ref().and_then(|s| s.pointer.as_deref()),
        Some(pointer)
    );
    assert_eq!(api.codes(), vec![code]);
    assert!(api.has_code(code));
    assert_eq!(api.messages.len(), 1, "{:?}", api.messages);
    assert_eq!(api.messages[0].code, Some(10000.into()));
    assert_eq!(api.messages[0].message, "request logged as 4f5c");
    api
}

/// All requests the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

/// The one request the server received.
pub async fn single_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

/// A request header as text.
pub fn header_value<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The request carried the email + key headers and no bearer token.
pub fn assert_key_auth(request: &Request) {
    assert_eq!(header_value(request, "x-auth-email"), Some(EMAIL));
    assert_eq!(header_value(request, "x-auth-key"), Some(API_KEY));
    assert_eq!(header_value(request, "authorization"), None);
}

/// The request carried the bearer token and no email + key headers.
pub fn assert_token_auth(request: &Request) {
    let expected = format!("Bearer {API_TOKEN}");
    assert_eq!(
        header_value(request, "authorization"),
        Some(expected.as_str())
    );
    assert_eq!(header_value(request, "x-auth-email"), None);
    assert_eq!(header_value(request, "x-auth-key"), None);
}

/// The request's body, parsed as JSON, after checking its content type.
pub fn json_body(request: &Request) -> Value {
    assert_eq!(
        header_value(request, "content-type"),
        Some("application/json")
    );
    serde_json::from_slice(&request.body).expect("the request body is JSON")
}

/// The request had no body and no content type.
pub fn assert_no_body(request: &Request) {
    assert!(
        request.body.is_empty(),
        "unexpected body: {:?}",
        request.body
    );
    assert_eq!(header_value(request, "content-type"), None);
}
