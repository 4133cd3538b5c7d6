//! Zero Trust gateway: account (`GET POST /accounts/{account_id}/gateway`),
//! configuration (`GET PUT PATCH .../gateway/configuration`), custom
//! certificate (`GET .../configuration/custom_certificate`) and logging
//! (`GET PUT .../gateway/logging`). All email + key only.

use crate::common::*;
use cloudflare_api::zero_trust_accounts::{
    AntiVirusSettings, GatewayAccountLoggingSettings, GatewayAccountSettingsRequest,
    GatewayAccountSettingsRequestSettings, NotificationSettings, SettingsByRuleType as ByRuleType,
    SettingsByRuleTypeDns as Dns, SettingsByRuleTypeHttp as Http, SettingsByRuleTypeL4 as L4,
    TlsSettings, ZeroTrustAccountConfigurationResult,
};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const GATEWAY_PATH: &str = "/accounts/699d98642c564d2e855e9661899b7252/gateway";
const CONFIG_PATH: &str = "/accounts/699d98642c564d2e855e9661899b7252/gateway/configuration";
const CERT_PATH: &str =
    "/accounts/699d98642c564d2e855e9661899b7252/gateway/configuration/custom_certificate";
const LOGGING_PATH: &str = "/accounts/699d98642c564d2e855e9661899b7252/gateway/logging";

fn account_json() -> Value {
    json!({
        "gateway_tag": "f174e90afafe4643bbbc4a0ed4fc8415",
        "id": "699d98642c564d2e855e9661899b7252",
        "provider_name": "Cloudflare"
    })
}

/// A configuration result with every settings collection, values from the
/// spec's examples.
fn config_json() -> Value {
    json!({
        "created_at": "2014-01-01T05:20:00.12345Z",
        "updated_at": "2014-01-01T05:20:00.12345Z",
        "settings": {
            "activity_log": { "enabled": true },
            "antivirus": {
                "enabled_download_phase": false,
                "enabled_upload_phase": false,
                "fail_closed": false,
                "notification_settings": {
                    "enabled": true,
                    "include_context": true,
                    "msg": "Scanning your file",
                    "support_url": "https://support.example.com/av"
                }
            },
            "block_page": {
                "background_color": "#ff8800",
                "enabled": true,
                "footer_text": "--footer--",
                "header_text": "--header--",
                "include_context": true,
                "logo_path": "https://logos.com/a.png",
                "mailto_address": "admin@example.com",
                "mailto_subject": "Blocked User Inquiry",
                "mode": "customized_block_page",
                "name": "Cloudflare",
                "read_only": false,
                "source_account": "699d98642c564d2e855e9661899b7252",
                "suppress_footer": false,
                "target_uri": "https://blocked.example.com",
                "version": 3
            },
            "body_scanning": { "inspection_mode": "deep" },
            "browser_isolation": {
                "non_identity_enabled": true,
                "url_browser_isolation_enabled": true
            },
            "certificate": { "id": "d1b364c5-1311-466e-a194-f0e943e0799f" },
            "custom_certificate": {
                "binding_status": "pending_deployment",
                "enabled": true,
                "id": "d1b364c5-1311-466e-a194-f0e943e0799f",
                "updated_at": "2014-01-01T05:20:00.12345Z"
            },
            "extended_email_matching": {
                "enabled": true,
                "read_only": false,
                "source_account": "699d98642c564d2e855e9661899b7252",
                "version": 1
            },
            "fips": { "tls": true },
            "host_selector": { "enabled": false },
            "inspection": { "mode": "dynamic" },
            "protocol_detection": { "enabled": true },
            "sandbox": { "enabled": true, "fallback_action": "allow" },
            "tls_decrypt": { "enabled": true }
        }
    })
}

fn assert_config(config: &ZeroTrustAccountConfigurationResult) {
    assert_eq!(
        config.created_at.as_deref(),
        Some("2014-01-01T05:20:00.12345Z")
    );
    assert_eq!(
        config.updated_at.as_deref(),
        Some("2014-01-01T05:20:00.12345Z")
    );
    let settings = config.settings.as_ref().expect("settings");
    assert_eq!(settings.activity_log.as_ref().unwrap().enabled, Some(true));
    let antivirus = settings.antivirus.as_ref().unwrap();
    assert_eq!(antivirus.enabled_download_phase, Some(false));
    assert_eq!(antivirus.fail_closed, Some(false));
    let notification = antivirus.notification_settings.as_ref().unwrap();
    assert_eq!(notification.include_context, Some(true));
    assert_eq!(notification.msg.as_deref(), Some("Scanning your file"));
    let block_page = settings.block_page.as_ref().unwrap();
    assert_eq!(block_page.background_color.as_deref(), Some("#ff8800"));
    assert_eq!(block_page.mode.as_deref(), Some("customized_block_page"));
    assert_eq!(block_page.version, Some(3));
    assert_eq!(block_page.suppress_footer, Some(false));
    assert_eq!(
        settings
            .body_scanning
            .as_ref()
            .unwrap()
            .inspection_mode
            .as_deref(),
        Some("deep")
    );
    assert_eq!(
        settings
            .browser_isolation
            .as_ref()
            .unwrap()
            .url_browser_isolation_enabled,
        Some(true)
    );
    assert_eq!(
        settings.certificate.as_ref().unwrap().id,
        "d1b364c5-1311-466e-a194-f0e943e0799f"
    );
    let custom = settings.custom_certificate.as_ref().unwrap();
    assert!(custom.enabled);
    assert_eq!(custom.binding_status.as_deref(), Some("pending_deployment"));
    let email = settings.extended_email_matching.as_ref().unwrap();
    assert_eq!(email.enabled, Some(true));
    assert_eq!(email.version, Some(1));
    assert_eq!(settings.fips.as_ref().unwrap().tls, Some(true));
    assert_eq!(
        settings.host_selector.as_ref().unwrap().enabled,
        Some(false)
    );
    assert_eq!(
        settings.inspection.as_ref().unwrap().mode.as_deref(),
        Some("dynamic")
    );
    assert_eq!(
        settings.protocol_detection.as_ref().unwrap().enabled,
        Some(true)
    );
    let sandbox = settings.sandbox.as_ref().unwrap();
    assert_eq!(sandbox.enabled, Some(true));
    assert_eq!(sandbox.fallback_action.as_deref(), Some("allow"));
    assert_eq!(settings.tls_decrypt.as_ref().unwrap().enabled, Some(true));
    assert!(settings.extra.is_empty(), "{:?}", settings.extra);
    assert!(config.extra.is_empty(), "{:?}", config.extra);
}

fn logging_json() -> Value {
    json!({
        "redact_pii": true,
        "settings_by_rule_type": {
            "dns": { "log_all": false, "log_blocks": true },
            "http": { "log_all": true, "log_blocks": true },
            "l4": { "log_all": false, "log_blocks": false }
        }
    })
}

#[tokio::test]
async fn get_zero_trust_account_information() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("GET")).and(path(GATEWAY_PATH)))
        .respond_with(ok(account_json()))
        .expect(1)
        .mount(&server)
        .await;

    let account = key_client(&server)
        .zero_trust()
        .gateway()
        .get(ACCOUNT_ID)
        .await?;

    assert_eq!(
        account.gateway_tag.as_deref(),
        Some("f174e90afafe4643bbbc4a0ed4fc8415")
    );
    assert_eq!(account.id.as_deref(), Some(ACCOUNT_ID));
    assert_eq!(account.provider_name.as_deref(), Some("Cloudflare"));
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_no_body(&request);
    Ok(())
}

#[tokio::test]
async fn create_zero_trust_account_posts_without_a_body() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("POST")).and(path(GATEWAY_PATH)))
        .respond_with(ok(account_json()))
        .expect(1)
        .mount(&server)
        .await;

    let account = key_client(&server)
        .zero_trust()
        .gateway()
        .create(ACCOUNT_ID)
        .await?;

    assert_eq!(
        account.gateway_tag.as_deref(),
        Some("f174e90afafe4643bbbc4a0ed4fc8415")
    );
    assert_eq!(account.id.as_deref(), Some(ACCOUNT_ID));
    assert_eq!(account.provider_name.as_deref(), Some("Cloudflare"));
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_no_body(&request);
    Ok(())
}

#[tokio::test]
async fn get_zero_trust_account_configuration() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("GET")).and(path(CONFIG_PATH)))
        .respond_with(ok(config_json()))
        .expect(1)
        .mount(&server)
        .await;

    let config = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .await?;

    assert_config(&config);
    // Nothing is lost: serializing the result gives back what was sent.
    assert_eq!(serde_json::to_value(&config)?, config_json());
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_no_body(&request);
    Ok(())
}

#[tokio::test]
async fn put_zero_trust_account_configuration() -> TestResult {
    let server = MockServer::start().await;
    let body = GatewayAccountSettingsRequest {
        settings: Some(GatewayAccountSettingsRequestSettings {
            tls_decrypt: Some(TlsSettings {
                enabled: Some(false),
                ..Default::default()
            }),
            antivirus: Some(AntiVirusSettings {
                enabled_upload_phase: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let expected_body = json!({
        "settings": {
            "antivirus": { "enabled_upload_phase": true },
            "tls_decrypt": { "enabled": false }
        }
    });
    let mut response = config_json();
    response["settings"]["tls_decrypt"]["enabled"] = json!(false);
    response["settings"]["antivirus"]["enabled_upload_phase"] = json!(true);
    with_key_auth(Mock::given(method("PUT")).and(path(CONFIG_PATH)))
        .and(body_json(&expected_body))
        .respond_with(ok(response.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let config = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .update(ACCOUNT_ID, &body)
        .await?;

    let settings = config.settings.as_ref().expect("settings");
    assert_eq!(settings.tls_decrypt.as_ref().unwrap().enabled, Some(false));
    assert_eq!(
        settings.antivirus.as_ref().unwrap().enabled_upload_phase,
        Some(true)
    );
    assert_eq!(serde_json::to_value(&config)?, response);
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(json_body(&request), expected_body);
    Ok(())
}

#[tokio::test]
async fn patch_zero_trust_account_configuration_sends_one_subcollection() -> TestResult {
    let server = MockServer::start().await;
    let body = GatewayAccountSettingsRequest {
        settings: Some(GatewayAccountSettingsRequestSettings {
            antivirus: Some(AntiVirusSettings {
                enabled_download_phase: Some(true),
                notification_settings: Some(NotificationSettings {
                    enabled: Some(true),
                    msg: Some("Blocked: malware detected".to_owned()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let expected_body = json!({
        "settings": {
            "antivirus": {
                "enabled_download_phase": true,
                "notification_settings": { "enabled": true, "msg": "Blocked: malware detected" }
            }
        }
    });
    let mut response = config_json();
    response["settings"]["antivirus"]["enabled_download_phase"] = json!(true);
    response["settings"]["antivirus"]["notification_settings"]["msg"] =
        json!("Blocked: malware detected");
    with_key_auth(Mock::given(method("PATCH")).and(path(CONFIG_PATH)))
        .and(body_json(&expected_body))
        .respond_with(ok(response))
        .expect(1)
        .mount(&server)
        .await;

    let config = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .edit(ACCOUNT_ID, &body)
        .await?;

    let antivirus = config
        .settings
        .as_ref()
        .and_then(|s| s.antivirus.as_ref())
        .expect("antivirus");
    assert_eq!(antivirus.enabled_download_phase, Some(true));
    assert_eq!(
        antivirus
            .notification_settings
            .as_ref()
            .unwrap()
            .msg
            .as_deref(),
        Some("Blocked: malware detected")
    );
    // Collections the PATCH did not touch come back as they were.
    assert_eq!(
        config
            .settings
            .as_ref()
            .unwrap()
            .tls_decrypt
            .as_ref()
            .unwrap()
            .enabled,
        Some(true)
    );
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(json_body(&request), expected_body);
    Ok(())
}

#[tokio::test]
async fn get_zero_trust_certificate_configuration() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("GET")).and(path(CERT_PATH)))
        .respond_with(ok(json!({
            "binding_status": "pending_deployment",
            "enabled": true,
            "id": "d1b364c5-1311-466e-a194-f0e943e0799f",
            "updated_at": "2014-01-01T05:20:00.12345Z"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let certificate = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .custom_certificate()
        .get(ACCOUNT_ID)
        .await?;

    assert_eq!(
        certificate.binding_status.as_deref(),
        Some("pending_deployment")
    );
    assert!(certificate.enabled);
    assert_eq!(
        certificate.id.as_deref(),
        Some("d1b364c5-1311-466e-a194-f0e943e0799f")
    );
    assert_eq!(
        certificate.updated_at.as_deref(),
        Some("2014-01-01T05:20:00.12345Z")
    );
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_no_body(&request);
    Ok(())
}

/// Seed 001's 4XX body for this operation carries the certificate fields at
/// the top level, beside the envelope: they stay reachable in the raw body.
#[tokio::test]
async fn certificate_failure_envelope_is_a_typed_api_error() -> TestResult {
    let server = MockServer::start().await;
    let mut body = failure_body(
        81057,
        "Custom certificate not found",
        "/settings/custom_certificate",
    );
    body["binding_status"] = json!("pending_deployment");
    body["enabled"] = json!(false);
    body["id"] = json!("d1b364c5-1311-466e-a194-f0e943e0799f");
    body["updated_at"] = json!("2014-01-01T05:20:00.12345Z");
    Mock::given(method("GET"))
        .and(path(CERT_PATH))
        .respond_with(ResponseTemplate::new(404).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .custom_certificate()
        .get(ACCOUNT_ID)
        .await
        .expect_err("a 404 is an error");

    let api = assert_failure(
        error,
        404,
        81057,
        "Custom certificate not found",
        "/settings/custom_certificate",
    );
    let raw: Value = serde_json::from_slice(&api.body)?;
    assert_eq!(raw, body);
    assert_eq!(raw["binding_status"], json!("pending_deployment"));
    Ok(())
}

#[tokio::test]
async fn configuration_failure_envelope_is_a_typed_api_error() -> TestResult {
    let server = MockServer::start().await;
    let body = failure_body(
        81057,
        "settings collection lacks proper configuration",
        "/settings",
    );
    Mock::given(method("PATCH"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .zero_trust()
        .gateway()
        .configuration()
        .edit(ACCOUNT_ID, &GatewayAccountSettingsRequest::default())
        .await
        .expect_err("a 400 is an error");

    assert_failure(
        error,
        400,
        81057,
        "settings collection lacks proper configuration",
        "/settings",
    );
    // An empty request object is sent as `{}`.
    assert_eq!(json_body(&single_request(&server).await), json!({}));
    Ok(())
}

#[tokio::test]
async fn get_logging_settings() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("GET")).and(path(LOGGING_PATH)))
        .respond_with(ok(logging_json()))
        .expect(1)
        .mount(&server)
        .await;

    let logging = key_client(&server)
        .zero_trust()
        .gateway()
        .logging()
        .get(ACCOUNT_ID)
        .await?;

    assert_eq!(logging.redact_pii, Some(true));
    let by_type = logging
        .settings_by_rule_type
        .as_ref()
        .expect("settings_by_rule_type");
    let dns = by_type.dns.as_ref().unwrap();
    assert_eq!((dns.log_all, dns.log_blocks), (Some(false), Some(true)));
    let http = by_type.http.as_ref().unwrap();
    assert_eq!((http.log_all, http.log_blocks), (Some(true), Some(true)));
    let l4 = by_type.l4.as_ref().unwrap();
    assert_eq!((l4.log_all, l4.log_blocks), (Some(false), Some(false)));
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_no_body(&request);
    Ok(())
}

#[tokio::test]
async fn put_logging_settings() -> TestResult {
    let server = MockServer::start().await;
    let body = GatewayAccountLoggingSettings {
        redact_pii: Some(true),
        settings_by_rule_type: Some(ByRuleType {
            // Each rule type has its own type (one doc each), built the
            // same way.
            dns: Some(Dns {
                log_all: Some(false),
                log_blocks: Some(true),
                ..Default::default()
            }),
            http: Some(Http {
                log_all: Some(true),
                log_blocks: Some(true),
                ..Default::default()
            }),
            l4: Some(L4 {
                log_all: Some(false),
                log_blocks: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    with_key_auth(Mock::given(method("PUT")).and(path(LOGGING_PATH)))
        .and(body_json(logging_json()))
        .respond_with(ok(logging_json()))
        .expect(1)
        .mount(&server)
        .await;

    let logging = key_client(&server)
        .zero_trust()
        .gateway()
        .logging()
        .update(ACCOUNT_ID, &body)
        .await?;

    assert_eq!(logging, body);
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(json_body(&request), logging_json());
    Ok(())
}

/// GET the configuration with fields this client doesn't know (top level of
/// `result`, inside `settings`, inside `settings.antivirus`), change one
/// known field and PUT it back: the unknown fields go back unchanged.
///
/// The PUT takes `GatewayAccountSettingsRequest`, the GET returns
/// `ZeroTrustAccountConfigurationResult`; the typed conversion between
/// them keeps unknown fields and drops the read-only ones (`created_at`,
/// `updated_at`), even when they would arrive through `extra`.
#[tokio::test]
async fn unknown_fields_survive_get_modify_put() -> TestResult {
    let server = MockServer::start().await;
    let mut original = config_json();
    original["future_top_level"] = json!({ "rollout": "beta", "weight": 0.25 });
    original["settings"]["future_collection"] = json!({ "enabled": true, "tags": ["a", "b"] });
    original["settings"]["antivirus"]["future_flag"] = json!(true);
    original["settings"]["antivirus"]["notification_settings"]["future_note"] = json!(null);
    original["settings"]["tls_decrypt"]["future_mode"] = json!("strict");
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ok(original.clone()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(CONFIG_PATH))
        .respond_with(ok(original.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let client = key_client(&server);
    let area = &client;
    let config = area
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .await?;

    // The unknown fields are in the typed value's `extra` maps.
    assert_eq!(config.extra["future_top_level"]["rollout"], json!("beta"));
    let settings = config.settings.as_ref().expect("settings");
    assert_eq!(
        settings.extra["future_collection"]["tags"],
        json!(["a", "b"])
    );
    let antivirus = settings.antivirus.as_ref().expect("antivirus");
    assert_eq!(antivirus.extra.get("future_flag"), Some(&json!(true)));
    assert_eq!(
        antivirus
            .notification_settings
            .as_ref()
            .unwrap()
            .extra
            .get("future_note"),
        Some(&Value::Null)
    );

    let mut request = GatewayAccountSettingsRequest::from(&config);
    request
        .settings
        .as_mut()
        .and_then(|s| s.tls_decrypt.as_mut())
        .expect("tls_decrypt")
        .enabled = Some(false);
    area.zero_trust()
        .gateway()
        .configuration()
        .update(ACCOUNT_ID, &request)
        .await?;

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method.as_str(), "PUT");
    assert_key_auth(&requests[1]);
    let sent = json_body(&requests[1]);

    // What was sent is what was received, with the one change and without
    // the read-only fields.
    let mut expected = original.clone();
    expected["settings"]["tls_decrypt"]["enabled"] = json!(false);
    for read_only in ["created_at", "updated_at"] {
        expected
            .as_object_mut()
            .expect("an object")
            .remove(read_only);
    }
    let certificate = &mut expected["settings"]["custom_certificate"];
    for read_only in ["binding_status", "updated_at"] {
        certificate
            .as_object_mut()
            .expect("an object")
            .remove(read_only);
    }
    assert_eq!(sent, expected);
    assert_eq!(sent["future_top_level"], original["future_top_level"]);
    assert_eq!(
        sent["settings"]["future_collection"],
        original["settings"]["future_collection"]
    );
    assert_eq!(sent["settings"]["antivirus"]["future_flag"], json!(true));
    assert_eq!(
        sent["settings"]["antivirus"]["notification_settings"]
            .as_object()
            .and_then(|o| o.get("future_note")),
        Some(&Value::Null)
    );
    assert_eq!(
        sent["settings"]["tls_decrypt"]["future_mode"],
        json!("strict")
    );

    // The read-only fields are neither in the request nor in its `extra`.
    assert_eq!(request.extra.get("created_at"), None);
    assert!(sent.get("created_at").is_none() && sent.get("updated_at").is_none());
    let custom = request
        .settings
        .as_ref()
        .and_then(|s| s.custom_certificate.as_ref())
        .expect("custom_certificate");
    assert_eq!(custom.extra.get("binding_status"), None);
    assert!(sent["settings"]["custom_certificate"]
        .get("binding_status")
        .is_none());
    Ok(())
}
