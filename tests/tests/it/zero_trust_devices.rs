//! Zero Trust device settings: `GET PUT PATCH DELETE
//! /accounts/{account_id}/devices/settings` (email + key only).

use crate::common::*;
use cloudflare_api::zero_trust_accounts::ZeroTrustAccountDeviceSettings;
use cloudflare_api::Credentials;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const SETTINGS_PATH: &str = "/accounts/699d98642c564d2e855e9661899b7252/devices/settings";

/// A realistic result: every field of the schema, values from the spec's
/// examples where it has them.
fn settings_json() -> Value {
    json!({
        "disable_for_time": 3600,
        "external_emergency_signal_enabled": true,
        "external_emergency_signal_fingerprint": "abcd1234ef567890abcd1234ef567890abcd1234ef567890abcd1234ef567890",
        "external_emergency_signal_interval": "5m",
        "external_emergency_signal_url": "https://signal.example.com/emergency",
        "gateway_proxy_enabled": true,
        "gateway_udp_proxy_enabled": true,
        "root_certificate_installation_enabled": true,
        "use_zt_virtual_ip": false
    })
}

fn assert_settings(settings: &ZeroTrustAccountDeviceSettings) {
    assert_eq!(settings.disable_for_time, Some(3600.into()));
    assert_eq!(settings.external_emergency_signal_enabled, Some(true));
    assert_eq!(
        settings.external_emergency_signal_fingerprint.as_deref(),
        Some("abcd1234ef567890abcd1234ef567890abcd1234ef567890abcd1234ef567890")
    );
    assert_eq!(
        settings.external_emergency_signal_interval.as_deref(),
        Some("5m")
    );
    assert_eq!(
        settings.external_emergency_signal_url.as_deref(),
        Some("https://signal.example.com/emergency")
    );
    assert_eq!(settings.gateway_proxy_enabled, Some(true));
    assert_eq!(settings.gateway_udp_proxy_enabled, Some(true));
    assert_eq!(settings.root_certificate_installation_enabled, Some(true));
    assert_eq!(settings.use_zt_virtual_ip, Some(false));
    assert!(settings.extra.is_empty(), "{:?}", settings.extra);
}

#[tokio::test]
async fn get_device_settings() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("GET")).and(path(SETTINGS_PATH)))
        .respond_with(ok(settings_json()))
        .expect(1)
        .mount(&server)
        .await;

    let settings = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .get(ACCOUNT_ID)
        .await?
        .expect("the GET result is the settings object");

    assert_settings(&settings);
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
    Ok(())
}

#[tokio::test]
async fn put_device_settings_sends_the_whole_object() -> TestResult {
    let server = MockServer::start().await;
    let body = ZeroTrustAccountDeviceSettings {
        disable_for_time: Some(1800.5.into()),
        external_emergency_signal_enabled: Some(false),
        gateway_proxy_enabled: Some(true),
        gateway_udp_proxy_enabled: Some(false),
        root_certificate_installation_enabled: Some(true),
        use_zt_virtual_ip: Some(true),
        ..Default::default()
    };
    let expected_body = json!({
        "disable_for_time": 1800.5,
        "external_emergency_signal_enabled": false,
        "gateway_proxy_enabled": true,
        "gateway_udp_proxy_enabled": false,
        "root_certificate_installation_enabled": true,
        "use_zt_virtual_ip": true
    });
    with_key_auth(Mock::given(method("PUT")).and(path(SETTINGS_PATH)))
        .and(body_json(&expected_body))
        .respond_with(ok(expected_body.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let updated = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .update(ACCOUNT_ID, &body)
        .await?
        .expect("the PUT result is the updated settings object");

    assert_eq!(updated, body);
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(json_body(&request), expected_body);
    Ok(())
}

#[tokio::test]
async fn patch_device_settings_sends_only_the_fields_that_are_set() -> TestResult {
    let server = MockServer::start().await;
    let patch = ZeroTrustAccountDeviceSettings {
        gateway_udp_proxy_enabled: Some(false),
        external_emergency_signal_url: Some("https://signal.example.com/v2".to_owned()),
        ..Default::default()
    };
    // `None` fields are left out, not sent as `null`.
    let expected_body = json!({
        "gateway_udp_proxy_enabled": false,
        "external_emergency_signal_url": "https://signal.example.com/v2"
    });
    let mut merged = settings_json();
    merged["gateway_udp_proxy_enabled"] = json!(false);
    merged["external_emergency_signal_url"] = json!("https://signal.example.com/v2");
    with_key_auth(Mock::given(method("PATCH")).and(path(SETTINGS_PATH)))
        .and(body_json(&expected_body))
        .respond_with(ok(merged))
        .expect(1)
        .mount(&server)
        .await;

    let patched = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .edit(ACCOUNT_ID, &patch)
        .await?
        .expect("the PATCH result is the merged settings object");

    assert_eq!(patched.gateway_udp_proxy_enabled, Some(false));
    assert_eq!(
        patched.external_emergency_signal_url.as_deref(),
        Some("https://signal.example.com/v2")
    );
    assert_eq!(patched.gateway_proxy_enabled, Some(true));
    assert_eq!(patched.disable_for_time, Some(3600.into()));
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(json_body(&request), expected_body);
    Ok(())
}

/// The schema has no nullable property, so the generated type has no
/// `Option<Option<T>>`: a `null` from the server decodes like an absent
/// field, and sending the object back leaves the field out.
#[tokio::test]
async fn server_null_decodes_as_absent_and_is_left_out_when_sent_back() -> TestResult {
    let server = MockServer::start().await;
    let mut with_null = settings_json();
    with_null["external_emergency_signal_url"] = Value::Null;
    Mock::given(method("GET"))
        .and(path(SETTINGS_PATH))
        .respond_with(ok(with_null))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(SETTINGS_PATH))
        .respond_with(ok(settings_json()))
        .expect(1)
        .mount(&server)
        .await;

    let client = key_client(&server);
    let area = &client;
    let settings = area
        .zero_trust()
        .devices()
        .settings()
        .get(ACCOUNT_ID)
        .await?
        .expect("the GET result is the settings object");
    assert_eq!(settings.external_emergency_signal_url, None);
    assert!(settings.extra.is_empty(), "{:?}", settings.extra);
    let updated = area
        .zero_trust()
        .devices()
        .settings()
        .update(ACCOUNT_ID, &settings)
        .await?;
    assert!(updated.is_some(), "the PUT result is the settings object");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let sent = json_body(&requests[1]);
    let sent = sent.as_object().expect("an object");
    assert!(
        !sent.contains_key("external_emergency_signal_url"),
        "{sent:?}"
    );
    assert_eq!(sent["gateway_proxy_enabled"], json!(true));
    // An integer `number` goes back as the server sent it: 3600, not 3600.0.
    assert_eq!(sent["disable_for_time"], json!(3600));
    let text = std::str::from_utf8(&requests[1].body)?;
    assert!(text.contains(r#""disable_for_time":3600"#), "{text}");
    assert!(!text.contains("3600.0"), "{text}");
    Ok(())
}

#[tokio::test]
async fn delete_device_settings_sends_no_body() -> TestResult {
    let server = MockServer::start().await;
    let defaults = json!({
        "disable_for_time": 0,
        "external_emergency_signal_enabled": false,
        "gateway_proxy_enabled": false,
        "gateway_udp_proxy_enabled": false,
        "root_certificate_installation_enabled": false,
        "use_zt_virtual_ip": false
    });
    with_key_auth(Mock::given(method("DELETE")).and(path(SETTINGS_PATH)))
        .respond_with(ok(defaults))
        .expect(1)
        .mount(&server)
        .await;

    let reset = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .delete(ACCOUNT_ID)
        .await?
        .expect("the DELETE result is the default settings object");

    assert_eq!(reset.disable_for_time, Some(0.into()));
    assert_eq!(reset.gateway_proxy_enabled, Some(false));
    assert_eq!(reset.use_zt_virtual_ip, Some(false));
    assert_eq!(reset.external_emergency_signal_url, None);
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_no_body(&request);
    Ok(())
}

#[tokio::test]
async fn device_settings_failure_envelope_is_a_typed_api_error() -> TestResult {
    let server = MockServer::start().await;
    let body = failure_body(
        81057,
        "Invalid device settings: disable_for_time must be positive",
        "/disable_for_time",
    );
    Mock::given(method("PUT"))
        .and(path(SETTINGS_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let patch = ZeroTrustAccountDeviceSettings {
        disable_for_time: Some((-1.0).into()),
        ..Default::default()
    };
    let error = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .update(ACCOUNT_ID, &patch)
        .await
        .expect_err("a 400 is an error");

    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    let api = assert_failure(
        error,
        400,
        81057,
        "Invalid device settings: disable_for_time must be positive",
        "/disable_for_time",
    );
    assert_eq!(serde_json::from_slice::<Value>(&api.body)?, body);
    Ok(())
}

#[tokio::test]
async fn api_token_is_sent_where_the_description_lists_only_email_and_key() -> TestResult {
    // The description lists only email + key here; Cloudflare accepts an API
    // token on every operation, so the configured token goes out.
    let server = MockServer::start().await;
    with_token_auth(Mock::given(method("GET")))
        .and(path(format!("/accounts/{ACCOUNT_ID}/devices/settings")))
        .respond_with(ok(json!({ "disable_for_time": 3600 })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, Credentials::api_token(API_TOKEN));

    let settings = client
        .zero_trust()
        .devices()
        .settings()
        .get(ACCOUNT_ID)
        .await?
        .expect("the settings object");

    assert_eq!(settings.disable_for_time, Some(3600.into()));
    assert_token_auth(&single_request(&server).await);
    Ok(())
}

#[tokio::test]
async fn send_exposes_status_headers_messages_and_result_info() -> TestResult {
    let server = MockServer::start().await;
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [{ "code": 10001, "message": "settings are cached for 60 seconds" }],
        "result": settings_json(),
        "result_info": { "page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1 }
    });
    with_key_auth(Mock::given(method("GET")).and(path(SETTINGS_PATH)))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .insert_header("cf-ray", "8b1e2c3d4e5f6a7b-SJC"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let response = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .get(ACCOUNT_ID)
        .send()
        .await?;

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(
        response.headers.get("cf-ray").and_then(|v| v.to_str().ok()),
        Some("8b1e2c3d4e5f6a7b-SJC")
    );
    assert_eq!(response.messages.len(), 1);
    assert_eq!(response.messages[0].code, Some(10001.into()));
    assert_eq!(
        response.messages[0].message,
        "settings are cached for 60 seconds"
    );
    let info = response.result_info.as_ref().expect("result_info is kept");
    assert_eq!(info.page, Some(1));
    assert_eq!(info.per_page, Some(20));
    assert_eq!(info.count, Some(1));
    assert_eq!(info.total_count, Some(1));
    assert_eq!(info.total_pages, Some(1));
    assert_settings(
        response
            .result
            .as_ref()
            .expect("the GET result is the settings object"),
    );
    Ok(())
}

/// The response schema (`api-response-single-nullable`) makes `result`
/// nullable, so a success envelope with `"result": null` is `Ok(None)`,
/// not a decode error.
#[tokio::test]
async fn null_result_decodes_as_none() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("GET")).and(path(SETTINGS_PATH)))
        .respond_with(ok(Value::Null))
        .expect(1)
        .mount(&server)
        .await;

    let settings = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .get(ACCOUNT_ID)
        .await?;

    assert_eq!(settings, None);
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_no_body(&request);
    Ok(())
}

/// The same through `send()`, for DELETE, with `result` left out of the
/// envelope altogether: the result is `None` and the rest of the response
/// is kept.
#[tokio::test]
async fn missing_result_is_none_in_the_whole_response() -> TestResult {
    let server = MockServer::start().await;
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [{ "code": 10002, "message": "settings reset" }]
    });
    with_key_auth(Mock::given(method("DELETE")).and(path(SETTINGS_PATH)))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;

    let response = key_client(&server)
        .zero_trust()
        .devices()
        .settings()
        .delete(ACCOUNT_ID)
        .send()
        .await?;

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.result, None);
    assert_eq!(response.messages.len(), 1);
    assert_eq!(response.messages[0].message, "settings reset");
    assert!(response.result_info.is_none());
    Ok(())
}
