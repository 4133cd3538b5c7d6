//! The loopback servers of the streams fixture's tests (the client of
//! `tests/fixtures/streams.yaml`), shared by the async tests
//! (`it/streams.rs`) and the blocking ones (`blocking/main.rs`), so both
//! ways of calling meet the same server and the same expectations.

use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `body` with this content type.
pub fn streamed(body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), content_type)
}

/// `GET /v1/streams/s1/events?since=41` with a bearer token: two events
/// (a comment first, the second's `data` over two lines), then `[DONE]`.
pub async fn events() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/streams/s1/events"))
        .and(query_param("since", "41"))
        .and(header("accept", "text/event-stream"))
        .and(header("authorization", "Bearer sk_test"))
        .respond_with(streamed(
            ": hello\nevent: token\nid: 42\ndata: {\"text\": \"Hel\", \"index\": 0}\n\n\
             id: 43\ndata: {\"text\": \"lo\",\ndata: \"index\": 1}\n\ndata: [DONE]\n\n",
            "text/event-stream",
        ))
        .mount(&server)
        .await;
    server
}

/// `GET /v1/rows`: rows 1 to `count`, one JSON value per line.
pub async fn rows(count: i64) -> MockServer {
    let server = MockServer::start().await;
    let lines: String = (1..=count)
        .map(|id| format!("{}\n", json!({"id": id, "name": format!("row {id}")})))
        .collect();
    Mock::given(method("GET"))
        .and(path("/v1/rows"))
        .respond_with(streamed(&lines, "application/x-ndjson"))
        .mount(&server)
        .await;
    server
}

/// `POST /v1/rows` of an NDJSON body: answers how many were imported
/// (always 3; the check reads what was sent).
pub async fn import() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rows"))
        .and(header("content-type", "application/x-ndjson"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"imported": 3})))
        .mount(&server)
        .await;
    server
}

/// The lines of each body `import` received, as JSON values.
pub async fn imported(server: &MockServer) -> Vec<Vec<Value>> {
    let received = server.received_requests().await.expect("recorded");
    received
        .iter()
        .map(|request| {
            let body = std::str::from_utf8(&request.body).expect("UTF-8");
            assert!(body.ends_with('\n'), "every line ends: {body:?}");
            body.lines()
                .map(|line| serde_json::from_str(line).expect("a JSON line"))
                .collect()
        })
        .collect()
}

/// The rows `1..=3` as the server should have received them.
pub fn three_rows() -> Vec<Value> {
    (1..=3)
        .map(|id| json!({"id": id, "name": format!("row {id}")}))
        .collect()
}
