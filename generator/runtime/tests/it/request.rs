//! What a call sends: method, path, query, headers and bodies.

use crate::support;

use std::collections::BTreeMap;

use apigen_runtime::{decode, multipart, ApiResponse, Call, Client, Error, Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{envelope, requests};

#[derive(Debug, Deserialize, PartialEq)]
struct Record {
    id: String,
    name: String,
}

#[derive(Serialize)]
struct NewRecord<'a> {
    name: &'a str,
    ttl: u32,
}

#[tokio::test]
async fn get_fills_path_and_query_and_decodes_the_result() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/zones/z1/dns_records"))
        .and(query_param("name", "a b&c"))
        .and(query_param("per_page", "5"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(envelope(json!([{"id": "r1", "name": "a b&c"}]))),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);

    let records: Vec<Record> = client
        .call(
            Method::GET,
            "/zones/{zone_id}/dns_records",
            decode::envelope,
        )
        .path_param("zone_id", "z1")
        .query_param("name", "a b&c")
        .query_param("per_page", &Some(5))
        .query_param("type", &Option::<String>::None)
        .await
        .expect("call succeeds");

    assert_eq!(
        records,
        [Record {
            id: "r1".into(),
            name: "a b&c".into()
        }]
    );
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    // `None` is left out; the space and `&` are percent-encoded.
    assert_eq!(sent[0].url.query(), Some("name=a%20b%26c&per_page=5"));
}

#[tokio::test]
async fn arrays_repeat_and_objects_use_deep_object_style() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let filter: BTreeMap<&str, Value> =
        BTreeMap::from([("status", json!("active")), ("size", json!({"gt": 3}))]);

    client
        .call(Method::GET, "/items", decode::envelope::<()>)
        .query_param("tag", &["x", "y z"])
        .query_param("filter", &filter)
        .query_param("enabled", &true)
        .query_param("ratio", &0.5)
        .await
        .expect("call succeeds");

    let sent = requests(&server).await;
    assert_eq!(
        support::query(&sent[0]),
        [
            ("tag".to_owned(), "x".to_owned()),
            ("tag".to_owned(), "y z".to_owned()),
            ("filter[size][gt]".to_owned(), "3".to_owned()),
            ("filter[status]".to_owned(), "active".to_owned()),
            ("enabled".to_owned(), "true".to_owned()),
            ("ratio".to_owned(), "0.5".to_owned()),
        ]
    );
}

#[tokio::test]
async fn setting_a_parameter_again_replaces_it_in_place() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let exploded_object = apigen_runtime::ParamStyle::new(apigen_runtime::Style::Form, true);
    let simple = apigen_runtime::ParamStyle::new(apigen_runtime::Style::Simple, false);

    client
        .call(Method::GET, "/items", decode::envelope::<()>)
        .query_param("tag", &["a", "b"])
        .query_param("page", &1)
        .query_param_styled("color", &json!({"R": 1, "G": 2}), exploded_object)
        .query_param("tag", &["c"])
        .query_param_styled("color", &json!({"B": 3}), exploded_object)
        .query_param("page", &None::<u32>)
        .header_param("X-Trace", &"first", simple)
        .header_param("X-Trace", &"second", simple)
        .cookie_param("session", &"one", exploded_object)
        .cookie_param("session", &"two", exploded_object)
        .await
        .expect("call succeeds");

    let sent = requests(&server).await;
    // `tag` keeps its place; an object's keys (pairs named after its keys,
    // not the parameter) go with it; `null` removes `page`.
    assert_eq!(
        support::query(&sent[0]),
        [
            ("tag".to_owned(), "c".to_owned()),
            ("B".to_owned(), "3".to_owned()),
        ]
    );
    let traces: Vec<_> = sent[0].headers.get_all("x-trace").iter().collect();
    assert_eq!(traces, ["second"]);
    assert_eq!(support::header(&sent[0], "cookie"), Some("session=two"));
}

#[tokio::test]
async fn path_params_are_encoded_as_a_single_segment() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/zones/a%2Fb%3Fc%23d%25e%20f/records/..x"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({"id": "1"}))))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);

    let result: Value = client
        .call(
            Method::DELETE,
            "/zones/{zone}/records/{id}",
            decode::envelope,
        )
        .path_param("zone", "a/b?c#d%e f")
        .path_param("id", "..x")
        .await
        .expect("call succeeds");

    assert_eq!(result, json!({"id": "1"}));
    let sent = requests(&server).await;
    assert_eq!(
        sent[0].url.path(),
        "/zones/a%2Fb%3Fc%23d%25e%20f/records/..x"
    );
    assert_eq!(sent[0].url.query(), None);
}

/// Sends a call that must fail before reaching the network.
async fn refused<T: Send + 'static>(server: &MockServer, call: Call<T>) -> Error {
    let error = call.send().await.err().expect("the call is refused");
    assert!(requests(server).await.is_empty(), "nothing may be sent");
    error
}

#[tokio::test]
async fn dot_segments_and_empty_path_params_are_refused() {
    let server = MockServer::start().await;
    let client = support::client(&server);
    for value in ["..", ".", ""] {
        let call = client
            .call(Method::GET, "/zones/{zone}/x", decode::empty)
            .path_param("zone", value);
        let error = refused(&server, call).await;
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{value:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn unfilled_and_unknown_placeholders_are_errors() {
    let server = MockServer::start().await;
    let client = support::client(&server);

    let unfilled = client.call(Method::GET, "/zones/{zone_id}", decode::empty);
    let error = refused(&server, unfilled).await;
    assert!(
        matches!(&error, Error::InvalidRequest(message) if message.contains("zone_id")),
        "{error:?}"
    );

    let unknown = client
        .call(Method::GET, "/zones/{zone_id}", decode::empty)
        .path_param("zone_id", "z")
        .path_param("zoneid", "z");
    let error = refused(&server, unknown).await;
    assert!(
        matches!(&error, Error::InvalidRequest(message) if message.contains("zoneid")),
        "{error:?}"
    );
}

#[tokio::test]
async fn json_body_is_sent_with_its_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/zones/z/dns_records"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"name": "www", "ttl": 300})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(envelope(json!({"id": "new", "name": "www"}))),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);

    let response: ApiResponse<Record> = client
        .call(Method::POST, "/zones/{zone}/dns_records", decode::envelope)
        .path_param("zone", "z")
        .json_body(&NewRecord {
            name: "www",
            ttl: 300,
        })
        .send()
        .await
        .expect("call succeeds");

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.result.id, "new");
}

#[tokio::test]
async fn bytes_and_text_bodies_are_sent_as_given() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .mount(&server)
        .await;
    let client = support::client(&server);

    client
        .call(Method::PUT, "/scripts/a", decode::envelope::<()>)
        .bytes_body(vec![0u8, 159, 146, 150], "application/octet-stream")
        .await
        .expect("bytes call succeeds");
    client
        .call(Method::PUT, "/scripts/b", decode::envelope::<()>)
        .text_body("export default {}", "application/javascript")
        .await
        .expect("text call succeeds");

    let sent = requests(&server).await;
    assert_eq!(sent[0].body, [0u8, 159, 146, 150]);
    assert_eq!(
        support::header(&sent[0], "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(sent[1].body, b"export default {}");
    assert_eq!(
        support::header(&sent[1], "content-type"),
        Some("application/javascript")
    );
}

#[tokio::test]
async fn multipart_body_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({"ok": true}))))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let form = multipart::Form::new()
        .text("metadata", r#"{"main_module":"worker.js"}"#)
        .part(
            "worker.js",
            multipart::Part::text("export default {}")
                .file_name("worker.js")
                .mime_str("application/javascript+module")
                .expect("valid mime"),
        );

    let result: Value = client
        .call(Method::PUT, "/workers/scripts/{name}", decode::envelope)
        .path_param("name", "w")
        .multipart_body(form)
        .await
        .expect("call succeeds");

    assert_eq!(result, json!({"ok": true}));
    let sent = requests(&server).await;
    let content_type = support::header(&sent[0], "content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&sent[0].body);
    assert!(body.contains(r#"name="metadata""#), "{body}");
    assert!(body.contains(r#"{"main_module":"worker.js"}"#), "{body}");
    assert!(body.contains(r#"filename="worker.js""#), "{body}");
    assert!(body.contains("export default {}"), "{body}");
}

#[tokio::test]
async fn custom_headers_are_sent_and_bad_ones_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-custom", "42"))
        .and(header("user-agent", "my-tool/1.0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(1))))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::client(&server);

    let result: i64 = client
        .call(Method::GET, "/x", decode::envelope)
        .header("X-Custom", 42)
        .header("User-Agent", "my-tool/1.0")
        .await
        .expect("call succeeds");
    assert_eq!(result, 1);

    server.reset().await;
    let bad_value = client
        .call(Method::GET, "/x", decode::empty)
        .header("x-custom", "a\r\nInjected: yes");
    let error = refused(&server, bad_value).await;
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(!error.to_string().contains("Injected"), "{error}");

    let bad_name = client
        .call(Method::GET, "/x", decode::empty)
        .header("bad name", "v");
    let error = refused(&server, bad_name).await;
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}

#[tokio::test]
async fn default_user_agent_and_base_url_with_trailing_slash() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/client/v4/user"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({"id": "u"}))))
        .expect(1)
        .mount(&server)
        .await;
    let client = support::builder(&server)
        .base_url(format!("{}/client/v4/", server.uri()))
        .build()
        .expect("client builds");

    let _: Value = client
        .call(Method::GET, "/user", decode::envelope)
        .await
        .expect("call succeeds");

    let sent = requests(&server).await;
    let agent = support::header(&sent[0], "user-agent").unwrap_or_default();
    assert!(agent.starts_with("apigen-runtime/"), "{agent}");
}

#[tokio::test]
async fn json_is_asked_for_unless_the_call_says_otherwise() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "u"})))
        .mount(&server)
        .await;
    let client = support::builder(&server).build().expect("client builds");
    let _: Value = client
        .call(Method::GET, "/pet/1", decode::json)
        .await
        .expect("call succeeds");
    let _ = client
        .call(Method::GET, "/ticket/1/qr", decode::bytes)
        .header("Accept", "image/png")
        .await
        .expect("call succeeds");

    let sent = requests(&server).await;
    // A server offering JSON and XML picks JSON; one offering only other
    // types still answers.
    assert_eq!(
        support::header(&sent[0], "accept"),
        Some("application/json, */*;q=0.1")
    );
    // The call's own `Accept` replaces it.
    let accept: Vec<&str> = sent[1]
        .headers
        .get_all("accept")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(accept, ["image/png"]);
}

#[tokio::test]
async fn send_returns_status_headers_messages_and_result_info() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("cf-ray", "abc123")
                .set_body_json(json!({
                    "success": true,
                    "errors": [],
                    "messages": [{"code": 10000, "message": "note"}],
                    "result": [1, 2],
                    "result_info": {"page": 1, "per_page": 2, "count": 2, "total_count": 9}
                })),
        )
        .mount(&server)
        .await;
    let client = support::client(&server);

    let response = client
        .call(Method::GET, "/numbers", decode::envelope::<Vec<u8>>)
        .send()
        .await
        .expect("call succeeds");

    assert_eq!(response.status, StatusCode::CREATED);
    assert_eq!(
        response.headers.get("cf-ray").and_then(|v| v.to_str().ok()),
        Some("abc123")
    );
    assert_eq!(response.messages.len(), 1);
    assert_eq!(response.messages[0].code, Some(10000.into()));
    let info = response.result_info.clone().expect("result_info present");
    assert_eq!(
        (info.page, info.per_page, info.total_count),
        (Some(1), Some(2), Some(9))
    );
    let doubled = response.map(|numbers| numbers.iter().map(|n| n * 2).collect::<Vec<_>>());
    assert_eq!(doubled.into_result(), [2, 4]);
}

#[tokio::test]
async fn invalid_base_url_is_a_config_error() {
    for url in ["not a url", "ftp://example.com", "https://example.com/?q=1"] {
        let error = Client::builder().base_url(url).build().err();
        assert!(matches!(error, Some(Error::Config(_))), "{url}: {error:?}");
    }
}

#[test]
fn clients_and_calls_are_thread_safe() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<Client>();
    send_sync::<Error>();
    let client = Client::builder()
        .base_url("http://127.0.0.1:1")
        .build()
        .expect("client builds");
    let call = client.call(Method::GET, "/x", decode::envelope::<Value>);
    send(&call);
    send(&call.send());
}

/// A call owns a clone of its client: it outlives the client value it came
/// from, can be stored, and can be moved into a spawned task.
#[tokio::test]
async fn calls_are_owned_and_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/zones"))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::envelope(json!([1, 2]))))
        .expect(1)
        .mount(&server)
        .await;
    let stored: apigen_runtime::Call<Vec<u32>> = {
        let client = support::client(&server);
        client.call(Method::GET, "/zones", decode::envelope)
    };
    let handle = tokio::spawn(async move { stored.await });
    let result = handle
        .await
        .expect("the task ran")
        .expect("the call succeeded");
    assert_eq!(result, [1, 2]);
}
