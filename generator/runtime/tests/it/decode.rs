//! Decoding responses: envelopes, plain JSON, text, bytes, API errors and
//! decode errors.

use crate::support;

use apigen_runtime::{decode, Bytes, Error, Message, Method, ResultInfo, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{envelope, failure};

async fn serve(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

#[derive(Debug, Deserialize)]
struct Settings {
    #[allow(dead_code)]
    settings: Inner,
}

#[derive(Debug, Deserialize)]
struct Inner {
    #[allow(dead_code)]
    tls_decrypt: Toggle,
}

#[derive(Debug, Deserialize)]
struct Toggle {
    #[allow(dead_code)]
    enabled: bool,
}

#[tokio::test]
async fn success_false_is_an_api_error_even_with_200() {
    let server =
        serve(ResponseTemplate::new(200).set_body_json(failure(81057, "Record already exists.")))
            .await;
    let client = support::client(&server);

    let error = client
        .call(Method::GET, "/x", decode::envelope::<Value>)
        .await
        .expect_err("success is false");

    let api = error.as_api().expect("an API error");
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.codes(), [81057]);
    assert!(api.has_code(81057));
    assert_eq!(error.status(), Some(StatusCode::OK));
    let text = error.to_string();
    assert!(
        text.contains("81057") && text.contains("Record already exists."),
        "{text}"
    );
}

#[tokio::test]
async fn decode_failures_name_the_json_path_and_keep_the_body() {
    let body = envelope(json!({"settings": {"tls_decrypt": {"enabled": "yes"}}}));
    let server = serve(ResponseTemplate::new(200).set_body_json(body.clone())).await;
    let client = support::client(&server);

    let error = client
        .call(Method::GET, "/x", decode::envelope::<Settings>)
        .await
        .expect_err("enabled is not a bool");

    let Error::Decode(decode) = &error else {
        panic!("unexpected error: {error:?}");
    };
    assert_eq!(decode.path, "result.settings.tls_decrypt.enabled");
    assert!(
        decode.message.contains("invalid type"),
        "{}",
        decode.message
    );
    assert!(!decode.message.contains("line"), "{}", decode.message);
    assert_eq!(decode.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&decode.body).ok(),
        Some(body)
    );
    assert!(error
        .to_string()
        .contains("result.settings.tls_decrypt.enabled"));
}

#[tokio::test]
async fn array_paths_use_brackets() {
    let server = serve(ResponseTemplate::new(200).set_body_json(envelope(json!([1, "two"])))).await;
    let client = support::client(&server);
    let error = client
        .call(Method::GET, "/x", decode::envelope::<Vec<u32>>)
        .await
        .expect_err("not all numbers");
    let Error::Decode(decode) = &error else {
        panic!("unexpected error: {error:?}");
    };
    assert_eq!(decode.path, "result[1]");
}

#[tokio::test]
async fn a_missing_or_null_result_decodes_as_unit_or_none() {
    let server = serve(
        ResponseTemplate::new(200)
            .set_body_json(json!({"success": true, "errors": [], "messages": []})),
    )
    .await;
    let client = support::client(&server);
    client
        .call(Method::GET, "/x", decode::envelope::<()>)
        .await
        .expect("unit from a missing result");
    let none: Option<Value> = client
        .call(Method::GET, "/x", decode::envelope)
        .await
        .expect("None from a missing result");
    assert_eq!(none, None);
    let error = client
        .call(Method::GET, "/x", decode::envelope::<Vec<u8>>)
        .await
        .expect_err("a list can't be null");
    assert!(
        matches!(&error, Error::Decode(d) if d.path == "result"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_non_json_success_body_is_a_decode_error_with_the_raw_body() {
    let server =
        serve(ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html"))
            .await;
    let client = support::client(&server);
    let error = client
        .call(Method::GET, "/x", decode::envelope::<Value>)
        .await
        .expect_err("not JSON");
    let Error::Decode(decode) = &error else {
        panic!("unexpected error: {error:?}");
    };
    assert_eq!(decode.content_type.as_deref(), Some("text/html"));
    assert_eq!(&decode.body[..], b"<html>maintenance</html>");
    assert_eq!(error.status(), Some(StatusCode::OK));
}

#[tokio::test]
async fn messages_and_result_info_are_decoded_leniently() {
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [
            "plain text",
            {"code": "1001", "message": 5, "documentation_url": "https://d", "source": {"pointer": "/name", "x": 1},
             "error_chain": [{"code": 2.0, "message": "inner"}, 7], "extra_field": true},
            {"code": {"odd": true}},
            42
        ],
        "result": {"id": "ok"},
        "result_info": {"page": "2", "per_page": 20.0, "count": "many", "total_pages": null,
                        "cursors": {"after": "abc", "before": null}, "foo": "bar"}
    });
    let server = serve(ResponseTemplate::new(200).set_body_json(body)).await;
    let client = support::client(&server);

    let response = client
        .call(Method::GET, "/x", decode::envelope::<Value>)
        .send()
        .await
        .expect("odd messages never fail a call");

    assert_eq!(response.result, json!({"id": "ok"}));
    let messages = &response.messages;
    assert_eq!(messages.len(), 4);
    assert_eq!(messages[0].message, "plain text");
    assert_eq!(messages[1].code, Some(1001.into()));
    assert_eq!(messages[1].message, "5");
    assert_eq!(messages[1].documentation_url.as_deref(), Some("https://d"));
    let source = messages[1].source.as_ref().expect("source");
    assert_eq!(source.pointer.as_deref(), Some("/name"));
    assert_eq!(source.extra.get("x"), Some(&json!(1)));
    assert_eq!(messages[1].error_chain.len(), 2);
    assert_eq!(messages[1].error_chain[0].code, Some(2.into()));
    assert_eq!(messages[1].error_chain[1].message, "7");
    assert_eq!(messages[1].extra.get("extra_field"), Some(&json!(true)));
    assert_eq!(messages[2].code, None);
    assert_eq!(messages[2].extra.get("code"), Some(&json!({"odd": true})));
    assert_eq!(messages[3].message, "42");

    let info: ResultInfo = response.result_info.expect("result_info");
    assert_eq!(info.page, Some(2));
    assert_eq!(info.per_page, Some(20));
    assert_eq!(info.count, None);
    assert_eq!(info.extra.get("count"), Some(&json!("many")));
    assert_eq!(info.total_pages, None);
    assert_eq!(info.next_cursor(), Some("abc"));
    assert_eq!(info.extra.get("foo"), Some(&json!("bar")));
}

#[tokio::test]
async fn malformed_messages_and_result_info_do_not_fail_the_call() {
    let body = json!({"success": true, "errors": {"weird": 1}, "messages": "hello", "result": 3, "result_info": [1, 2]});
    let server = serve(ResponseTemplate::new(200).set_body_json(body)).await;
    let client = support::client(&server);
    let response = client
        .call(Method::GET, "/x", decode::envelope::<u8>)
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(response.result, 3);
    assert_eq!(response.messages[0].message, "hello");
    assert_eq!(
        response
            .result_info
            .map(|info| info.extra.get("value").cloned()),
        Some(Some(json!([1, 2])))
    );
}

#[tokio::test]
async fn error_statuses_become_api_errors_with_messages() {
    let server = serve(ResponseTemplate::new(403).set_body_json(json!({
        "success": false,
        "errors": [{"code": 10000, "message": "Authentication error"}, {"code": 9109, "message": "Invalid access token"}],
        "messages": [{"code": 1, "message": "see docs"}],
        "result": null
    })))
    .await;
    let client = support::client(&server);
    let error = client
        .call(Method::GET, "/x", decode::envelope::<Value>)
        .await
        .expect_err("forbidden");
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.codes(), [10000, 9109]);
    assert_eq!(api.messages[0].message, "see docs");
    assert!(!api.body.is_empty());
    let text = error.to_string();
    assert!(text.contains("403"), "{text}");
    assert!(text.contains("[10000] Authentication error"), "{text}");
    assert!(text.contains("[9109] Invalid access token"), "{text}");
    assert!(!text.contains(support::TOKEN), "{text}");
}

#[tokio::test]
async fn html_and_truncated_error_bodies_are_kept_raw() {
    let page = "<!DOCTYPE html><html><head><title>Access denied | example.com used Cloudflare to restrict access</title></head><body>...</body></html>";
    let server = serve(ResponseTemplate::new(403).set_body_raw(page, "text/html")).await;
    let client = support::client(&server);
    let error = client
        .call(Method::GET, "/x", decode::envelope::<Value>)
        .await
        .expect_err("forbidden");
    let api = error.as_api().expect("an API error");
    assert!(api.errors.is_empty());
    assert_eq!(&api.body[..], page.as_bytes());
    assert!(error.to_string().contains("Access denied"), "{error}");

    let truncated = r#"{"success":false,"errors":[{"code":1000,"mess"#;
    let server =
        serve(ResponseTemplate::new(400).set_body_raw(truncated, "application/json")).await;
    let client = support::client(&server);
    let error = client
        .call(Method::GET, "/x", decode::envelope::<Value>)
        .await
        .expect_err("bad request");
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert!(api.errors.is_empty());
    assert_eq!(&api.body[..], truncated.as_bytes());
}

#[tokio::test]
async fn plain_json_text_bytes_and_empty_decoders() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        name: String,
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [{"name": "a"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/bad"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"items": [{"name": "a"}, {"nam": "b"}]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/text"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("héllo", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/latin1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0xE9u8], "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path("/empty"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = support::client(&server);

    #[derive(Debug, Deserialize, PartialEq)]
    struct Items {
        items: Vec<Item>,
    }
    let items: Items = client
        .call(Method::GET, "/json", decode::json)
        .await
        .expect("json");
    assert_eq!(items.items, [Item { name: "a".into() }]);

    let error = client
        .call(Method::GET, "/bad", decode::json::<Items>)
        .await
        .expect_err("missing name");
    assert!(
        matches!(&error, Error::Decode(d) if d.path == "items[1]"),
        "{error:?}"
    );

    let text: String = client
        .call(Method::GET, "/text", decode::text)
        .await
        .expect("text");
    assert_eq!(text, "héllo");
    let error = client
        .call(Method::GET, "/latin1", decode::text)
        .await
        .expect_err("not UTF-8");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");

    let bytes: Bytes = client
        .call(Method::GET, "/latin1", decode::bytes)
        .await
        .expect("bytes");
    assert_eq!(&bytes[..], [0xE9u8]);

    let response = client
        .call(Method::GET, "/empty", decode::empty)
        .send()
        .await
        .expect("empty");
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    let nothing: Option<Value> = client
        .call(Method::GET, "/empty", decode::json)
        .await
        .expect("an empty body is null");
    assert_eq!(nothing, None);
    client
        .call(Method::GET, "/empty", decode::envelope::<()>)
        .await
        .expect("an empty envelope body is a null result");
}

#[test]
fn messages_round_trip_and_keep_large_codes() {
    let value = json!({"code": 81057, "message": "Record exists", "documentation_url": "https://x",
                       "source": {"pointer": "/a"}, "error_chain": [{"code": 1, "message": "b"}], "extra": [1]});
    let message: Message = serde_json::from_value(value.clone()).expect("decodes");
    assert_eq!(message.code, Some(81057.into()));
    assert_eq!(serde_json::to_value(&message).ok(), Some(value));
    assert_eq!(
        message.to_string(),
        "[81057] Record exists (at /a) (caused by: [1] b)"
    );

    let bare: Message = serde_json::from_value(json!({})).expect("decodes");
    assert_eq!(bare, Message::default());
    assert_eq!(
        serde_json::to_value(&bare).ok(),
        Some(json!({"message": ""}))
    );
}

/// Error bodies of APIs other than Cloudflare: the common shapes give
/// `errors`, the typed body decodes with `body_as`, and RFC 9457 problem
/// details are recognised without a schema.
#[tokio::test]
async fn error_bodies_of_other_apis_are_read_and_typed() {
    #[derive(Debug, Deserialize, PartialEq)]
    struct PetError {
        error: PetErrorDetail,
    }
    #[derive(Debug, Deserialize, PartialEq)]
    struct PetErrorDetail {
        code: i64,
        message: String,
    }

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/1"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"code": 42, "message": "no such pet"}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            r#"{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,"detail":"Your current balance is 30, but that costs 50.","instance":"/account/12345/msgs/abc","balance":30}"#,
            "application/problem+json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_token", "error_description": "The access token expired"}),
        ))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let fail = |path: &'static str| {
        let client = client.clone();
        async move {
            match client.call(Method::GET, path, decode::json::<Value>).await {
                Err(Error::Api(error)) => error,
                other => panic!("expected an API error, got {other:?}"),
            }
        }
    };

    let error = fail("/pets/1").await;
    assert_eq!(error.codes(), [42]);
    assert_eq!(error.errors[0].message, "no such pet");
    assert_eq!(
        error.body_as::<PetError>().expect("typed body"),
        PetError {
            error: PetErrorDetail {
                code: 42,
                message: "no such pet".into()
            }
        }
    );
    assert!(error.problem().is_none());
    assert!(error.to_string().contains("no such pet"), "{error}");

    let error = fail("/orders").await;
    let problem = error.problem().expect("problem details");
    assert_eq!(
        problem.type_uri.as_deref(),
        Some("https://example.com/probs/out-of-credit")
    );
    assert_eq!(
        problem.title.as_deref(),
        Some("You do not have enough credit.")
    );
    assert_eq!(problem.status, Some(403));
    assert_eq!(
        problem.detail.as_deref(),
        Some("Your current balance is 30, but that costs 50.")
    );
    assert_eq!(problem.instance.as_deref(), Some("/account/12345/msgs/abc"));
    assert_eq!(problem.extensions.get("balance"), Some(&json!(30)));
    assert_eq!(
        error.errors[0].message,
        "Your current balance is 30, but that costs 50."
    );

    let error = fail("/me").await;
    assert_eq!(
        error.errors[0].message,
        "invalid_token: The access token expired"
    );
    assert!(error.problem().is_none());
}

#[tokio::test]
async fn method_shortcuts_decode_as_the_client_is_configured() {
    let body = envelope(json!({ "id": "z1" }));
    let server = MockServer::start().await;
    for verb in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
        Mock::given(method(verb))
            .and(path("/zones/z1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .mount(&server)
            .await;
    }

    // Enveloped: each shortcut gives the `result`, with its method.
    let enveloped = support::builder(&server)
        .envelope(true)
        .build()
        .expect("client");
    let calls = [
        enveloped.get::<Value>("/zones/{zone_id}"),
        enveloped.post("/zones/{zone_id}"),
        enveloped.put("/zones/{zone_id}"),
        enveloped.patch("/zones/{zone_id}"),
        enveloped.delete("/zones/{zone_id}"),
    ];
    for call in calls {
        let result = call.path_param("zone_id", "z1").await.expect("decoded");
        assert_eq!(result, json!({ "id": "z1" }));
    }
    let sent: Vec<String> = support::requests(&server)
        .await
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(sent, ["GET", "POST", "PUT", "PATCH", "DELETE"]);

    // Not enveloped (the default): the whole body.
    let plain = support::client(&server);
    let whole: Value = plain
        .get("/zones/{zone_id}")
        .path_param("zone_id", "z1")
        .await
        .expect("decoded");
    assert_eq!(whole, body);
}

#[tokio::test]
async fn stripe_card_errors_keep_their_textual_code_and_every_field() {
    // Stripe's answer to a declined card, as its API reference shows it.
    let body = json!({"error": {
        "type": "card_error",
        "code": "card_declined",
        "decline_code": "insufficient_funds",
        "message": "Your card has insufficient funds.",
        "param": "payment_method",
        "doc_url": "https://stripe.com/docs/error-codes/card-declined"
    }});
    let server = serve(ResponseTemplate::new(402).set_body_json(body)).await;
    let client = support::client(&server);

    let error = client
        .call(Method::GET, "/v1/payment_intents", decode::json::<Value>)
        .await
        .expect_err("a card error");

    let api = error.as_api().expect("an API error");
    assert_eq!(api.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(api.errors.len(), 1);
    let first = &api.errors[0];
    assert_eq!(first.code, Some("card_declined".into()));
    assert_eq!(first.message, "Your card has insufficient funds.");
    for (key, value) in [
        ("type", "card_error"),
        ("decline_code", "insufficient_funds"),
        ("param", "payment_method"),
    ] {
        assert_eq!(first.extra.get(key), Some(&json!(value)), "{key}");
    }
    assert!(api.has_code("card_declined"));
    assert!(api.has_code(String::from("card_declined")));
    assert!(!api.has_code("insufficient_funds"));
    assert_eq!(api.codes(), ["card_declined"]);
    let text = error.to_string();
    assert!(
        text.contains("[card_declined] Your card has insufficient funds."),
        "{text}"
    );
}

#[tokio::test]
async fn cloudflare_codes_match_numbers_but_not_their_text() {
    let server = serve(ResponseTemplate::new(400).set_body_json(json!({
        "success": false,
        "errors": [{"code": 81057, "message": "Record already exists."},
                   {"code": "1003", "message": "numeric text"}],
        "messages": [],
        "result": null
    })))
    .await;
    let client = support::client(&server);

    let error = client
        .call(Method::GET, "/x", decode::envelope::<Value>)
        .await
        .expect_err("an error envelope");

    let api = error.as_api().expect("an API error");
    assert_eq!(api.errors[0].code, Some(81057.into()));
    assert!(api.has_code(81057));
    assert!(api.has_code(81057_i64));
    assert!(
        api.has_code(1003),
        "a numeric string is a number, as before"
    );
    assert!(!api.has_code("81057"));
    assert!(!api.has_code(81058));
    assert_eq!(api.codes(), [81057, 1003]);
}
