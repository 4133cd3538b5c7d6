//! Failures across areas: non-JSON error bodies, retries, responses of the
//! wrong shape, `success: false` on a 200, error codes, path parameter
//! safety and missing credentials.

use std::time::Duration;

use crate::common::*;
use cloudflare_api::zero_trust_accounts::ZeroTrustAccountDeviceSettings;
use cloudflare_api::{Client, Error};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CONFIG_PATH: &str = "/accounts/699d98642c564d2e855e9661899b7252/gateway/configuration";

const HTML_502: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n";

fn expect_api(error: Error) -> cloudflare_api::ApiError {
    match error {
        Error::Api(api) => *api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn expect_decode(error: Error) -> cloudflare_api::DecodeError {
    match error {
        Error::Decode(decode) => decode,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

fn expect_invalid_request(error: Error) -> String {
    match error {
        Error::InvalidRequest(message) => message,
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

#[tokio::test]
async fn html_error_page_reaches_the_caller_raw() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(502).set_body_raw(HTML_502, "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .max_retries(0)
        .await
        .expect_err("a 502 is an error");

    let api = expect_api(error);
    assert_eq!(api.status.as_u16(), 502);
    assert_eq!(&api.body[..], HTML_502.as_bytes());
    assert!(api.errors.is_empty(), "{:?}", api.errors);
    assert!(api.messages.is_empty(), "{:?}", api.messages);
    assert_eq!(
        api.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/html")
    );
    assert!(api.to_string().contains("502"), "{api}");
    Ok(())
}

/// A 502 is retried (the client's default is 2 retries); the last answer
/// is returned raw.
#[tokio::test]
async fn html_502_is_retried_then_returned() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(502).set_body_raw(HTML_502, "text/html"))
        .expect(3)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(cloudflare_api::Credentials::api_email(EMAIL).with_api_key(API_KEY))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(1))
        .build()?;

    let error = client
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .await
        .expect_err("every attempt fails");

    let api = expect_api(error);
    assert_eq!(api.status.as_u16(), 502);
    assert_eq!(&api.body[..], HTML_502.as_bytes());
    assert!(api.errors.is_empty());
    Ok(())
}

#[tokio::test]
async fn a_retried_502_can_still_succeed() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(502).set_body_raw(HTML_502, "text/html"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ok(
            json!({ "settings": { "tls_decrypt": { "enabled": true } } }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(cloudflare_api::Credentials::api_email(EMAIL).with_api_key(API_KEY))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(1))
        .build()?;

    let config = client
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .await?;

    assert_eq!(
        config
            .settings
            .and_then(|s| s.tls_decrypt)
            .and_then(|t| t.enabled),
        Some(true)
    );
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_key_auth(request);
    }
    Ok(())
}

#[tokio::test]
async fn wrong_shape_is_a_decode_error_naming_the_field() -> TestResult {
    let server = MockServer::start().await;
    let body = envelope(json!({
        "created_at": "2014-01-01T05:20:00.12345Z",
        "settings": "tls_decrypt=on"
    }))
    .to_string();
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .await
        .expect_err("settings must be an object");

    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    let decode = expect_decode(error);
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.path, "result.settings");
    assert!(
        decode.message.contains("invalid type"),
        "{}",
        decode.message
    );
    assert_eq!(decode.content_type.as_deref(), Some("application/json"));
    assert_eq!(&decode.body[..], body.as_bytes());
    assert!(decode.to_string().contains("result.settings"), "{decode}");
    Ok(())
}

#[tokio::test]
async fn nested_wrong_type_is_a_decode_error_with_the_full_path() -> TestResult {
    let server = MockServer::start().await;
    let body = envelope(json!({
        "settings": {
            "activity_log": { "enabled": true },
            "tls_decrypt": { "enabled": "yes" }
        }
    }));
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .await
        .expect_err("enabled must be a boolean");

    let decode = expect_decode(error);
    assert_eq!(decode.path, "result.settings.tls_decrypt.enabled");
    assert_eq!(serde_json::from_slice::<Value>(&decode.body)?, body);
    Ok(())
}

#[tokio::test]
async fn html_with_status_200_is_a_decode_error_with_the_raw_body() -> TestResult {
    let server = MockServer::start().await;
    let html = "<html><body>Please enable cookies.</body></html>";
    Mock::given(method("GET"))
        .and(path(
            "/accounts/699d98642c564d2e855e9661899b7252/devices/settings",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_raw(html, "text/html"))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .get(ACCOUNT_ID)
        .await
        .expect_err("not an envelope");

    let decode = expect_decode(error);
    assert_eq!(decode.path, "");
    assert_eq!(decode.content_type.as_deref(), Some("text/html"));
    assert_eq!(&decode.body[..], html.as_bytes());
    Ok(())
}

#[tokio::test]
async fn success_false_with_status_200_is_an_api_error() -> TestResult {
    let server = MockServer::start().await;
    let body = failure_body(81057, "Gateway account is not provisioned", "/settings");
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .await
        .expect_err("success is false");

    let api = assert_failure(
        error,
        200,
        81057,
        "Gateway account is not provisioned",
        "/settings",
    );
    assert_eq!(serde_json::from_slice::<Value>(&api.body)?, body);
    Ok(())
}

/// Codes are kept whole past `u16` and `i32`, numeric strings are read,
/// and `error_chain` is searched by `has_code`.
#[tokio::test]
async fn error_codes_are_kept_whole() -> TestResult {
    let server = MockServer::start().await;
    let body = json!({
        "success": false,
        "errors": [
            { "code": 81057, "message": "first" },
            { "code": "1003", "message": "numeric string" },
            {
                "code": 3000000000_i64,
                "message": "past i32",
                "error_chain": [{ "code": 99999, "message": "root cause" }]
            }
        ],
        "messages": [],
        "result": null
    });
    Mock::given(method("POST"))
        .and(path("/accounts/699d98642c564d2e855e9661899b7252/gateway"))
        .respond_with(ResponseTemplate::new(400).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .zero_trust()
        .gateway()
        .create(ACCOUNT_ID)
        .await
        .expect_err("a 400 is an error");

    let api = expect_api(error);
    assert_eq!(api.codes(), vec![81057, 1003, 3_000_000_000_i64]);
    assert!(api.has_code(99999));
    assert!(!api.has_code(81057 % 65536));
    assert_eq!(api.errors[2].error_chain[0].message, "root cause");
    Ok(())
}

#[tokio::test]
async fn path_parameters_are_encoded_as_one_segment() -> TestResult {
    let server = MockServer::start().await;
    for (account_id, encoded) in [
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("../x", "..%2Fx"),
        ("%2e%2e", "%252e%252e"),
        ("acc ount", "acc%20ount"),
        ("...", "..."),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/accounts/{encoded}/devices/settings")))
            .respond_with(ok(json!({ "gateway_proxy_enabled": true })))
            .expect(1)
            .mount(&server)
            .await;

        let settings = key_client(&server)
            .zero_trust()
            .devices()
            .settings()
            .get(account_id)
            .await
            .map_err(|e| format!("{account_id:?}: {e}"))?
            .expect("the GET result is the settings object");
        assert_eq!(settings.gateway_proxy_enabled, Some(true));
    }

    let requests = received(&server).await;
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            "/accounts/a%2Fb%3Fc%23d/devices/settings",
            "/accounts/..%2Fx/devices/settings",
            "/accounts/%252e%252e/devices/settings",
            "/accounts/acc%20ount/devices/settings",
            "/accounts/.../devices/settings",
        ]
    );
    for request in &requests {
        assert_eq!(request.url.query(), None, "{}", request.url);
        assert_eq!(request.url.fragment(), None, "{}", request.url);
    }
    Ok(())
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_before_sending() -> TestResult {
    let server = MockServer::start().await;
    let client = key_client(&server);
    for account_id in ["..", ".", ""] {
        let error = client
            .zero_trust()
            .devices()
            .settings()
            .update(account_id, &ZeroTrustAccountDeviceSettings::default())
            .await
            .expect_err("a dot segment or empty id must not be sent");
        let message = expect_invalid_request(error);
        assert!(message.contains("account_id"), "{message}");
    }
    let error = client
        .api_gateway()
        .configuration()
        .get("..")
        .await
        .expect_err("`..` must not be sent");
    assert!(expect_invalid_request(error).contains("zone_id"));

    assert!(received(&server).await.is_empty(), "nothing may be sent");
    Ok(())
}

/// A `?` in the zone id can't add a query parameter beside the real one.
#[tokio::test]
async fn path_parameter_cannot_inject_a_query() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(
            "/zones/z%3Fnormalize%3Dfalse%26x%3D1/api_gateway/configuration",
        ))
        .and(query_param("normalize", "true"))
        .respond_with(ok(json!({ "auth_id_characteristics": [] })))
        .expect(1)
        .mount(&server)
        .await;

    let body = cloudflare_api::api_shield_settings::Configuration {
        auth_id_characteristics: Vec::new(),
        extra: Default::default(),
    };
    let config = token_client(&server)
        .api_gateway()
        .configuration()
        .update("z?normalize=false&x=1", &body)
        .normalize(true)
        .await?;

    assert!(config.auth_id_characteristics.is_empty());
    let request = single_request(&server).await;
    assert_eq!(request.url.query(), Some("normalize=true"));
    Ok(())
}

#[tokio::test]
async fn no_credentials_is_refused_before_sending() -> TestResult {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build()?;

    for error in [
        client
            .zero_trust()
            .gateway()
            .get(ACCOUNT_ID)
            .await
            .expect_err("credentials required"),
        client
            .api_gateway()
            .configuration()
            .get(ZONE_ID)
            .await
            .expect_err("credentials required"),
    ] {
        assert!(
            matches!(error, Error::NoMatchingCredentials { .. }),
            "{error:?}"
        );
    }
    assert!(received(&server).await.is_empty(), "nothing may be sent");
    Ok(())
}
