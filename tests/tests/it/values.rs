//! Values as they are: GET, change one field, PUT sends back everything
//! but what the description marks `readOnly` (unknown fields, integers and
//! timestamps byte for byte); constructors and union conversions.
//! `tests/examples/gateway_roundtrip.rs` is the same flow as a program.

use crate::common::*;
use cloudflare_api::api_shield_settings::{
    AuthIdCharacteristic, AuthIdCharacteristicJwtClaim, AuthIdCharacteristicJwtClaimType,
    AuthIdCharacteristicType, AuthIdCharacteristicsItem, Configuration,
};
use cloudflare_api::zero_trust_accounts::{
    AntiVirusSettings, CustomCertificateSettingsRequest, GatewayAccountSettingsRequest,
    ZeroTrustAccountDeviceSettings,
};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CONFIG_PATH: &str = "/accounts/699d98642c564d2e855e9661899b7252/gateway/configuration";
const DEVICES_PATH: &str = "/accounts/699d98642c564d2e855e9661899b7252/devices/settings";
const STAMP: &str = "2014-01-01T05:20:00.12345Z";

/// A configuration as the server might send it: read-only timestamps with
/// five fractional digits, a custom certificate's read-only status,
/// integers, and fields the description does not know at every level.
fn config_json() -> Value {
    json!({
        "created_at": STAMP,
        "updated_at": "2023-06-30T23:59:59.5+02:00",
        "rollout": { "wave": 3, "ratio": 3600.5 },
        "settings": {
            "activity_log": { "enabled": true },
            "antivirus": {
                "enabled_download_phase": true,
                "enabled_upload_phase": false,
                "scan_timeout": 3600.5
            },
            "block_page": { "enabled": true, "version": 3, "target_uri": "https://blocked.example.com" },
            "custom_certificate": {
                "binding_status": "pending_deployment",
                "enabled": true,
                "id": "d1b364c5-1311-466e-a194-f0e943e0799f",
                "updated_at": STAMP
            },
            "future_collection": { "level": 9007199254740993_u64, "on": true },
            "tls_decrypt": { "enabled": true }
        }
    })
}

/// The same configuration as a PUT should carry it: read-only fields out,
/// anti-virus upload scanning on, all else as it came.
fn expected_put() -> Value {
    let mut expected = config_json();
    let object = expected.as_object_mut().unwrap();
    object.remove("created_at");
    object.remove("updated_at");
    let settings = &mut expected["settings"];
    settings["antivirus"]["enabled_upload_phase"] = json!(true);
    let certificate = settings["custom_certificate"].as_object_mut().unwrap();
    certificate.remove("binding_status");
    certificate.remove("updated_at");
    expected
}

async fn gateway_server() -> MockServer {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("GET")).and(path(CONFIG_PATH)))
        .respond_with(ok(config_json()))
        .mount(&server)
        .await;
    with_key_auth(Mock::given(method("PUT")).and(path(CONFIG_PATH)))
        .respond_with(ok(config_json()))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn get_change_put_sends_back_all_but_read_only_fields() -> TestResult {
    let server = gateway_server().await;
    let gateway = key_client(&server);
    let gateway = gateway.zero_trust().gateway().configuration();

    let current = gateway.get(ACCOUNT_ID).await?;
    let mut body = GatewayAccountSettingsRequest::from(&current);
    body.settings
        .get_or_insert_with(Default::default)
        .antivirus
        .get_or_insert_with(AntiVirusSettings::default)
        .enabled_upload_phase = Some(true);
    gateway.update(ACCOUNT_ID, &body).await?;

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let put = &requests[1];
    assert_eq!(put.method.as_str(), "PUT");
    assert_eq!(json_body(put), expected_put());
    // Integers stay integers (2^53 + 1 exactly), fractions stay fractions.
    let text = String::from_utf8(put.body.clone())?;
    for exact in ["\"wave\":3}", "3600.5", "9007199254740993", "\"version\":3"] {
        assert!(text.contains(exact), "{exact} not in {text}");
    }
    Ok(())
}

#[tokio::test]
async fn a_timestamp_is_kept_byte_for_byte_and_parsed_on_demand() -> TestResult {
    let server = gateway_server().await;
    let client = key_client(&server);
    let current = client
        .zero_trust()
        .gateway()
        .configuration()
        .get(ACCOUNT_ID)
        .await?;
    let created = current.created_at.as_ref().expect("created_at");
    assert_eq!(created.as_str(), STAMP);
    assert_eq!(serde_json::to_string(created)?, format!("\"{STAMP}\""));
    let parsed = created.to_offset_date_time()?;
    assert_eq!(parsed.nanosecond(), 123_450_000);
    assert_eq!(parsed.unix_timestamp(), 1_388_553_600);
    // An offset other than `Z` is kept as written too.
    let updated = current.updated_at.as_ref().expect("updated_at");
    assert_eq!(updated.as_str(), "2023-06-30T23:59:59.5+02:00");
    assert_eq!(updated.to_offset_date_time()?.offset().whole_hours(), 2);
    // The whole result encodes back to what the server sent.
    assert_eq!(serde_json::to_value(&current)?, config_json());
    Ok(())
}

#[test]
fn a_timestamp_that_does_not_parse_still_decodes() -> TestResult {
    let mut config = config_json();
    config["updated_at"] = json!("yesterday");
    let decoded: cloudflare_api::zero_trust_accounts::ZeroTrustAccountConfigurationResult =
        serde_json::from_value(config.clone())?;
    let updated = decoded.updated_at.as_ref().expect("updated_at");
    assert!(updated.to_offset_date_time().is_err());
    assert_eq!(serde_json::to_value(&decoded)?, config);
    Ok(())
}

#[test]
fn read_only_properties_arriving_in_extra_are_not_sent() -> TestResult {
    let mut certificate = CustomCertificateSettingsRequest::new(true);
    certificate
        .extra
        .insert("binding_status".into(), json!("active"));
    certificate.extra.insert("updated_at".into(), json!(STAMP));
    certificate.extra.insert("comment".into(), json!("kept"));
    assert_eq!(
        serde_json::to_value(&certificate)?,
        json!({ "enabled": true, "comment": "kept" })
    );
    let mut body = GatewayAccountSettingsRequest::default();
    body.extra.insert("created_at".into(), json!(STAMP));
    body.extra.insert("rollout".into(), json!({ "wave": 3 }));
    assert_eq!(
        serde_json::to_value(&body)?,
        json!({ "rollout": { "wave": 3 } })
    );
    Ok(())
}

#[tokio::test]
async fn a_number_keeps_its_fraction_and_a_whole_number_stays_whole() -> TestResult {
    let server = MockServer::start().await;
    for (verb, value) in [("GET", json!(3600.5)), ("PUT", json!(3600))] {
        with_key_auth(Mock::given(method(verb)).and(path(DEVICES_PATH)))
            .respond_with(ok(
                json!({ "disable_for_time": value, "gateway_proxy_enabled": true }),
            ))
            .mount(&server)
            .await;
    }
    let client = key_client(&server);
    let devices = client.zero_trust().devices().settings();
    let current: ZeroTrustAccountDeviceSettings = devices.get(ACCOUNT_ID).await?.expect("settings");
    devices.update(ACCOUNT_ID, &current).await?;
    let requests = received(&server).await;
    let sent = String::from_utf8(requests[1].body.clone())?;
    assert!(sent.contains("\"disable_for_time\":3600.5"), "{sent}");
    let updated = devices
        .update(ACCOUNT_ID, &current)
        .await?
        .expect("settings");
    assert_eq!(
        serde_json::to_string(&updated.disable_for_time)?,
        "3600",
        "a whole number is not sent back as 3600.0"
    );
    Ok(())
}

#[test]
fn structs_are_built_with_new_and_unions_with_into() -> TestResult {
    let header: AuthIdCharacteristicsItem =
        AuthIdCharacteristic::new("authorization", AuthIdCharacteristicType::Header).into();
    let claim: AuthIdCharacteristicsItem =
        AuthIdCharacteristicJwtClaim::new("e0de1a3a:$.sub", AuthIdCharacteristicJwtClaimType::Jwt)
            .into();
    assert!(matches!(
        header,
        AuthIdCharacteristicsItem::AuthIdCharacteristic(_)
    ));
    assert!(matches!(
        claim,
        AuthIdCharacteristicsItem::AuthIdCharacteristicJwtClaim(_)
    ));
    let configuration = Configuration::new(vec![header, claim]);
    assert!(configuration.extra.is_empty());
    assert_eq!(
        serde_json::to_value(&configuration)?,
        json!({ "auth_id_characteristics": [
            { "name": "authorization", "type": "header" },
            { "name": "e0de1a3a:$.sub", "type": "jwt" }
        ]})
    );
    // Optional fields start as `None`.
    let certificate = CustomCertificateSettingsRequest::new(false);
    assert_eq!(certificate.id, None);
    Ok(())
}
