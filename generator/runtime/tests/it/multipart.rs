//! Typed `multipart/form-data` bodies (`Call::multipart_form_body`): the
//! exact bytes sent, and retries (the body is encoded once, so it can be
//! sent again).

use apigen_runtime::{decode, Bytes, Error, Method};
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{self, envelope, requests};

#[derive(Serialize)]
struct Upload {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    script: Bytes,
    metadata: Value,
}

fn upload() -> Upload {
    Upload {
        name: "w".into(),
        note: None,
        script: Bytes::from_static(b"export default {}"),
        metadata: json!({"main_module": "worker.js"}),
    }
}

/// The boundary of a `multipart/form-data` content type.
fn boundary(content_type: &str) -> &str {
    content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"))
}

#[tokio::test]
async fn typed_multipart_bodies_are_sent_part_by_part() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({"ok": true}))))
        .mount(&server)
        .await;
    let client = support::client(&server);

    let result: Value = client
        .call(Method::PUT, "/workers/scripts/w", decode::envelope)
        .multipart_form_body(&upload(), &[("script", "application/javascript+module")])
        .await
        .expect("call succeeds");

    assert_eq!(result, json!({"ok": true}));
    let sent = requests(&server).await;
    let content_type = support::header(&sent[0], "content-type").expect("a content type");
    let b = boundary(content_type);
    let expected = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nw\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"script\"; filename=\"script\"\r\n\
         Content-Type: application/javascript+module\r\n\r\nexport default {{}}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\
         Content-Type: application/json\r\n\r\n{{\"main_module\":\"worker.js\"}}\r\n\
         --{b}--\r\n"
    );
    assert_eq!(String::from_utf8_lossy(&sent[0].body), expected);
}

#[tokio::test]
async fn typed_multipart_calls_are_retried_with_the_same_body() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(null))))
        .mount(&server)
        .await;
    let client = support::client(&server);

    let _: Option<Value> = client
        .call(Method::PUT, "/upload", decode::envelope)
        .multipart_form_body(&upload(), &[])
        .await
        .expect("the retry succeeds");

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
    assert_eq!(
        support::header(&sent[0], "content-type"),
        support::header(&sent[1], "content-type")
    );
}

#[tokio::test]
async fn a_body_that_is_not_an_object_fails_before_sending() {
    let server = MockServer::start().await;
    let client = support::client(&server);
    let error = client
        .call(Method::PUT, "/upload", decode::envelope::<Value>)
        .multipart_form_body(&["a", "b"], &[])
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "invalid request: the multipart body could not be serialized: a multipart body must serialize to an object"
    );
    assert!(requests(&server).await.is_empty());
}
