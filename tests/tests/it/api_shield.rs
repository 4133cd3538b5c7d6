//! API Shield: `GET PUT /zones/{zone_id}/api_gateway/configuration`
//! (email + key, or an API token).

use crate::common::*;
use cloudflare_api::api_shield_settings::{
    AuthIdCharacteristic, AuthIdCharacteristicJwtClaim, AuthIdCharacteristicJwtClaimType,
    AuthIdCharacteristicType, AuthIdCharacteristicsItem, Configuration, PropertiesItem,
};
use cloudflare_api::{Credentials, Error};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CONFIG_PATH: &str = "/zones/023e105f4ecef8ad9ca31a8372d0c353/api_gateway/configuration";
const JWT_CLAIM: &str = "e0de1a3a-8c2c-4f90-98d8-cbdf0a3f2cb5:$.foo.bar[0].baz";

fn configuration_json() -> Value {
    json!({
        "auth_id_characteristics": [
            { "name": "authorization", "type": "header" },
            { "name": "session_id", "type": "cookie" },
            { "name": JWT_CLAIM, "type": "jwt" }
        ]
    })
}

fn configuration() -> Configuration {
    Configuration {
        auth_id_characteristics: vec![
            AuthIdCharacteristicsItem::AuthIdCharacteristic(AuthIdCharacteristic {
                name: "authorization".to_owned(),
                r#type: AuthIdCharacteristicType::Header,
                extra: Default::default(),
            }),
            AuthIdCharacteristicsItem::AuthIdCharacteristic(AuthIdCharacteristic {
                name: "session_id".to_owned(),
                r#type: AuthIdCharacteristicType::Cookie,
                extra: Default::default(),
            }),
            AuthIdCharacteristicsItem::AuthIdCharacteristicJwtClaim(AuthIdCharacteristicJwtClaim {
                name: JWT_CLAIM.to_owned(),
                r#type: AuthIdCharacteristicJwtClaimType::Jwt,
                extra: Default::default(),
            }),
        ],
        extra: Default::default(),
    }
}

#[tokio::test]
async fn get_configuration_with_properties_and_api_key() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("GET")).and(path(CONFIG_PATH)))
        .and(query_param("properties", "auth_id_characteristics"))
        .respond_with(ok(configuration_json()))
        .expect(1)
        .mount(&server)
        .await;

    let config = key_client(&server)
        .api_gateway()
        .configuration()
        .get(ZONE_ID)
        .properties(vec![PropertiesItem::AuthIdCharacteristics])
        .await?;

    assert_eq!(config, configuration());
    match &config.auth_id_characteristics[2] {
        AuthIdCharacteristicsItem::AuthIdCharacteristicJwtClaim(claim) => {
            assert_eq!(claim.name, JWT_CLAIM);
            assert_eq!(claim.r#type.as_str(), "jwt");
        }
        other => panic!("expected a JWT claim, got {other:?}"),
    }
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(
        request.url.query(),
        Some("properties=auth_id_characteristics")
    );
    assert_no_body(&request);
    Ok(())
}

#[tokio::test]
async fn get_configuration_with_api_token_and_no_properties() -> TestResult {
    let server = MockServer::start().await;
    with_token_auth(Mock::given(method("GET")).and(path(CONFIG_PATH)))
        .and(query_param_is_missing("properties"))
        .respond_with(ok(configuration_json()))
        .expect(1)
        .mount(&server)
        .await;

    let config = token_client(&server)
        .api_gateway()
        .configuration()
        .get(ZONE_ID)
        .await?;

    assert_eq!(config, configuration());
    let request = single_request(&server).await;
    assert_token_auth(&request);
    assert_eq!(request.url.query(), None);
    Ok(())
}

/// An array query parameter repeats the name; a value this client doesn't
/// know (`PropertiesItem::Unknown`) is sent as it is.
#[tokio::test]
async fn get_configuration_repeats_array_query_parameter() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .and(query_param("properties", "auth_id_characteristics"))
        .and(query_param("properties", "schema_validation"))
        .respond_with(ok(configuration_json()))
        .expect(1)
        .mount(&server)
        .await;

    key_client(&server)
        .api_gateway()
        .configuration()
        .get(ZONE_ID)
        .properties(vec![
            PropertiesItem::AuthIdCharacteristics,
            PropertiesItem::Unknown("schema_validation".to_owned()),
        ])
        .await?;

    let request = single_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some("properties=auth_id_characteristics&properties=schema_validation")
    );
    Ok(())
}

/// Items whose `type` this client doesn't know decode as `Unknown` with the
/// whole value, and are sent back unchanged; unknown fields of known items
/// go to `extra`.
#[tokio::test]
async fn unknown_characteristics_are_kept() -> TestResult {
    let server = MockServer::start().await;
    let result = json!({
        "auth_id_characteristics": [
            { "name": "authorization", "type": "header", "case_sensitive": false },
            { "name": "tenant", "type": "query_param", "position": 2 }
        ],
        "schema_validation": { "mitigation_action": "log" }
    });
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ok(result.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let config = key_client(&server)
        .api_gateway()
        .configuration()
        .get(ZONE_ID)
        .await?;

    match &config.auth_id_characteristics[0] {
        AuthIdCharacteristicsItem::AuthIdCharacteristic(item) => {
            assert_eq!(item.r#type, AuthIdCharacteristicType::Header);
            assert_eq!(item.extra.get("case_sensitive"), Some(&json!(false)));
        }
        other => panic!("expected a header characteristic, got {other:?}"),
    }
    assert_eq!(
        config.auth_id_characteristics[1],
        AuthIdCharacteristicsItem::Unknown(
            json!({ "name": "tenant", "type": "query_param", "position": 2 })
        )
    );
    assert_eq!(
        config.extra["schema_validation"],
        json!({ "mitigation_action": "log" })
    );
    assert_eq!(serde_json::to_value(&config)?, result);
    Ok(())
}

#[tokio::test]
async fn put_configuration_with_normalize_and_api_key() -> TestResult {
    let server = MockServer::start().await;
    with_key_auth(Mock::given(method("PUT")).and(path(CONFIG_PATH)))
        .and(query_param("normalize", "true"))
        .and(body_json(configuration_json()))
        .respond_with(ok(configuration_json()))
        .expect(1)
        .mount(&server)
        .await;

    let config = key_client(&server)
        .api_gateway()
        .configuration()
        .update(ZONE_ID, &configuration())
        .normalize(true)
        .await?;

    assert_eq!(config, configuration());
    let request = single_request(&server).await;
    assert_key_auth(&request);
    assert_eq!(request.url.query(), Some("normalize=true"));
    assert_eq!(json_body(&request), configuration_json());
    Ok(())
}

#[tokio::test]
async fn put_configuration_with_api_token() -> TestResult {
    let server = MockServer::start().await;
    let body = Configuration {
        auth_id_characteristics: vec![AuthIdCharacteristicsItem::AuthIdCharacteristic(
            AuthIdCharacteristic {
                name: "x-api-key".to_owned(),
                r#type: AuthIdCharacteristicType::Header,
                extra: Default::default(),
            },
        )],
        extra: Default::default(),
    };
    let expected_body = json!({
        "auth_id_characteristics": [{ "name": "x-api-key", "type": "header" }]
    });
    with_token_auth(Mock::given(method("PUT")).and(path(CONFIG_PATH)))
        .and(query_param("normalize", "false"))
        .and(body_json(&expected_body))
        .respond_with(ok(expected_body.clone()))
        .expect(1)
        .mount(&server)
        .await;

    let config = token_client(&server)
        .api_gateway()
        .configuration()
        .update(ZONE_ID, &body)
        .normalize(false)
        .await?;

    assert_eq!(config, body);
    let request = single_request(&server).await;
    assert_token_auth(&request);
    assert_eq!(request.url.query(), Some("normalize=false"));
    assert_eq!(json_body(&request), expected_body);
    Ok(())
}

#[tokio::test]
async fn put_configuration_without_normalize_sends_no_query() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(CONFIG_PATH))
        .and(query_param_is_missing("normalize"))
        .respond_with(ok(configuration_json()))
        .expect(1)
        .mount(&server)
        .await;

    key_client(&server)
        .api_gateway()
        .configuration()
        .update(ZONE_ID, &configuration())
        .await?;

    assert_eq!(single_request(&server).await.url.query(), None);
    Ok(())
}

#[tokio::test]
async fn api_shield_failure_envelope_is_a_typed_api_error() -> TestResult {
    let server = MockServer::start().await;
    let body = failure_body(
        81057,
        "auth_id_characteristics: at most 10 items",
        "/auth_id_characteristics",
    );
    Mock::given(method("PUT"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(403).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let error = token_client(&server)
        .api_gateway()
        .configuration()
        .update(ZONE_ID, &configuration())
        .await
        .expect_err("a 403 is an error");

    let api = assert_failure(
        error,
        403,
        81057,
        "auth_id_characteristics: at most 10 items",
        "/auth_id_characteristics",
    );
    assert_eq!(serde_json::from_slice::<Value>(&api.body)?, body);
    Ok(())
}

/// A known `type` with a malformed item is a decode error pointing at it.
#[tokio::test]
async fn malformed_characteristic_is_a_decode_error_with_its_path() -> TestResult {
    let server = MockServer::start().await;
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [],
        "result": {
            "auth_id_characteristics": [
                { "name": "authorization", "type": "header" },
                { "type": "jwt" }
            ]
        }
    });
    Mock::given(method("GET"))
        .and(path(CONFIG_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let error = key_client(&server)
        .api_gateway()
        .configuration()
        .get(ZONE_ID)
        .await
        .expect_err("the JWT claim has no name");

    match error {
        Error::Decode(decode) => {
            assert_eq!(decode.status.as_u16(), 200);
            assert_eq!(decode.path, "result.auth_id_characteristics[1]");
            assert!(decode.message.contains("name"), "{}", decode.message);
            assert_eq!(serde_json::from_slice::<Value>(&decode.body)?, body);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    Ok(())
}

#[tokio::test]
async fn user_service_key_is_sent_where_the_description_does_not_list_it() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("X-Auth-User-Service-Key", "v1.0-origin-ca-key"))
        .respond_with(ok(json!({ "auth_id_characteristics": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&server, Credentials::user_service_key("v1.0-origin-ca-key"));

    client.api_gateway().configuration().get(ZONE_ID).await?;

    let request = single_request(&server).await;
    assert_eq!(header_value(&request, "authorization"), None);
    assert_eq!(header_value(&request, "x-auth-key"), None);
    Ok(())
}

/// The spec's constraints (`maxLength: 128`, `pattern`) describe what the
/// server accepts; they never make the client refuse what the server sends.
#[test]
fn constraints_never_fail_decoding_a_response() {
    let name = format!("not-a-token-config:{}", "x".repeat(500));
    let decoded: cloudflare_api::api_shield_settings::Configuration =
        serde_json::from_value(json!({
            "auth_id_characteristics": [{"name": name, "type": "jwt"}]
        }))
        .expect("decodes despite maxLength and pattern");
    match &decoded.auth_id_characteristics[0] {
        cloudflare_api::api_shield_settings::AuthIdCharacteristicsItem::AuthIdCharacteristicJwtClaim(claim) => {
            assert_eq!(claim.name, name)
        }
        other => panic!("decoded as {other:?}"),
    }
}
