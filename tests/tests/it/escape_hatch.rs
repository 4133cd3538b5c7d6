//! The escape hatch: an endpoint the spec does not describe, called through
//! `Client::runtime()` with the runtime the crate re-exports as
//! `cloudflare_api::runtime`, gets the same auth, envelope handling and
//! typed errors as a generated operation.

use crate::common::*;
use cloudflare_api::runtime::{decode, Cursors, HeaderMap, MessageSource, Method, StatusCode};
use cloudflare_api::Error;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const TEMPLATE: &str = "/accounts/{account_id}/future_endpoint";
const FUTURE_PATH: &str = "/accounts/acc/future_endpoint";

#[tokio::test]
async fn unknown_endpoint_sends_auth_and_decodes_the_result() -> TestResult {
    let server = MockServer::start().await;
    let result = json!({ "id": "f1", "enabled": true, "tags": ["a", "b"] });
    with_key_auth(Mock::given(method("GET")).and(path(FUTURE_PATH)))
        .respond_with(ok(result.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let client = key_client(&server);
    let value: Value = client
        .runtime()
        .call(Method::GET, TEMPLATE, decode::envelope::<Value>)
        .path_param("account_id", "acc")
        .await?;

    assert_eq!(value, result);
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(request.url.path(), FUTURE_PATH);
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
    Ok(())
}

/// With a bearer token, and through `send()`: the whole response (status,
/// headers, messages, `result_info` with cursors) is reachable with the
/// re-exported runtime types.
#[tokio::test]
async fn unknown_endpoint_with_token_gives_the_whole_response() -> TestResult {
    let server = MockServer::start().await;
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [{
            "code": 10001,
            "message": "preview endpoint",
            "source": { "pointer": "/id" }
        }],
        "result": [{ "id": "f1" }],
        "result_info": { "count": 1, "cursors": { "after": "c2" } }
    });
    with_token_auth(Mock::given(method("GET")).and(path(FUTURE_PATH)))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .insert_header("cf-ray", "8b1e2c3d4e5f6a7b-SJC"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let client = token_client(&server);
    let response = client
        .runtime()
        .call(Method::GET, TEMPLATE, decode::envelope::<Value>)
        .path_param("account_id", "acc")
        .security(&[&["api_token"]])
        .send()
        .await?;

    assert_eq!(response.status, StatusCode::OK);
    let headers: &HeaderMap = &response.headers;
    assert_eq!(
        headers.get("cf-ray").and_then(|v| v.to_str().ok()),
        Some("8b1e2c3d4e5f6a7b-SJC")
    );
    assert_eq!(response.result, json!([{ "id": "f1" }]));
    assert_eq!(response.messages.len(), 1);
    let source: Option<&MessageSource> = response.messages[0].source.as_ref();
    assert_eq!(source.and_then(|s| s.pointer.as_deref()), Some("/id"));
    let info = response.result_info.as_ref().expect("result_info is kept");
    assert_eq!(info.count, Some(1));
    let cursors: Option<&Cursors> = info.cursors.as_ref();
    assert_eq!(cursors.and_then(|c| c.after.as_deref()), Some("c2"));
    let request = single_request(&server).await;
    assert_token_auth(&request);
    Ok(())
}

#[tokio::test]
async fn unknown_endpoint_failure_is_a_typed_api_error() -> TestResult {
    let server = MockServer::start().await;
    let body = failure_body(81057, "future_endpoint is not enabled", "/enabled");
    with_key_auth(Mock::given(method("GET")).and(path(FUTURE_PATH)))
        .respond_with(ResponseTemplate::new(400).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let client = key_client(&server);
    let error = client
        .runtime()
        .call(Method::GET, TEMPLATE, decode::envelope::<Value>)
        .path_param("account_id", "acc")
        .await
        .expect_err("a 400 is an error");

    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    let api = assert_failure(
        error,
        400,
        81057,
        "future_endpoint is not enabled",
        "/enabled",
    );
    assert_eq!(serde_json::from_slice::<Value>(&api.body)?, body);
    assert_key_auth(&single_request(&server).await);
    Ok(())
}

/// `success: false` on a 200 is an API error here too.
#[tokio::test]
async fn unknown_endpoint_success_false_is_a_typed_api_error() -> TestResult {
    let server = MockServer::start().await;
    let body = failure_body(81057, "future_endpoint is not enabled", "/enabled");
    Mock::given(method("POST"))
        .and(path(FUTURE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let client = key_client(&server);
    let error = client
        .runtime()
        .call(Method::POST, TEMPLATE, decode::envelope::<Value>)
        .path_param("account_id", "acc")
        .json_body(&json!({ "enabled": true }))
        .await
        .expect_err("success is false");

    assert_failure(
        error,
        200,
        81057,
        "future_endpoint is not enabled",
        "/enabled",
    );
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(json_body(&request), json!({ "enabled": true }));
    Ok(())
}
