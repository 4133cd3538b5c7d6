//! Streams through generated code: the client of
//! `tests/fixtures/streams.yaml` against a loopback server. Server-sent
//! events typed by `itemSchema`, an NDJSON response typed by its array
//! schema's items, an NDJSON request body from a stream (chunk boundaries,
//! reconnection and bounded memory are the runtime's, tested in
//! `generator/runtime/tests/it/streams.rs`).

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::{json, Value};
use streams_fixture::events::Token;
use streams_fixture::rows::Row;
use streams_fixture::runtime::{EventStream, NdjsonBody};
use streams_fixture::{Client, Credentials, Error};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer_auth("sk_test"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .expect("client builds")
}

/// `body` with this content type.
fn streamed(body: &str, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), content_type)
}

#[tokio::test]
async fn server_sent_events_are_typed_by_the_item_schema() {
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
    let client = client(&server);
    // `.stream()` on the call type (it has an optional parameter)...
    let events: Vec<_> = client
        .streams()
        .events()
        .get("s1")
        .since(41)
        .stream()
        .collect()
        .await;
    let events: Vec<_> = events.into_iter().map(|e| e.expect("an event")).collect();
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[0].event.as_str(), events[0].id.as_deref()),
        ("token", Some("42"))
    );
    assert_eq!(events[0].data, Token::new(0, "Hel"));
    assert_eq!(events[1].data, Token::new(1, "lo"));

    // ... or `.await`, which opens the stream first.
    let mut stream: EventStream<Token> = client
        .streams()
        .events()
        .get("s1")
        .since(41)
        .await
        .expect("opened");
    let first = stream.next().await.expect("an item").expect("an event");
    assert_eq!(first.data.text, "Hel");
    assert_eq!(stream.last_event_id().as_deref(), Some("42"));
}

#[tokio::test]
async fn an_error_answer_comes_from_the_await() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no stream"})))
        .mount(&server)
        .await;
    let error = client(&server)
        .streams()
        .events()
        .get("gone")
        .await
        .expect_err("404");
    let Error::Api(error) = error else {
        panic!("{error:?}")
    };
    assert_eq!(error.status.as_u16(), 404);
    assert_eq!(error.errors[0].message, "no stream");
}

#[tokio::test]
async fn an_ndjson_response_is_a_stream_of_rows() {
    let server = MockServer::start().await;
    let lines: String = (1..=500)
        .map(|id| format!("{}\n", json!({"id": id, "name": format!("row {id}")})))
        .collect();
    Mock::given(method("GET"))
        .and(path("/v1/rows"))
        .respond_with(streamed(&lines, "application/x-ndjson"))
        .mount(&server)
        .await;
    let rows = client(&server).rows().get().stream();
    let ids: Vec<i64> = rows.map(|row| row.expect("a row").id).collect().await;
    assert_eq!(ids, (1..=500).collect::<Vec<_>>());
}

#[tokio::test]
async fn an_ndjson_body_is_sent_from_a_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/rows"))
        .and(header("content-type", "application/x-ndjson"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"imported": 3})))
        .mount(&server)
        .await;
    let rows = futures_util::stream::iter(1..=3).map(|id| Row::new(id, format!("row {id}")));
    let imported = client(&server)
        .rows()
        .create(NdjsonBody::from_stream(rows))
        .await
        .expect("imported");
    assert_eq!(imported.imported, 3);
    // A `Vec` converts too.
    client(&server)
        .rows()
        .create(vec![Row::new(4, "row 4")])
        .await
        .expect("imported");
    let received = server.received_requests().await.expect("recorded");
    let body = String::from_utf8(received[0].body.clone()).expect("UTF-8");
    let sent: Vec<Value> = body
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(
        sent,
        [
            json!({"id": 1, "name": "row 1"}),
            json!({"id": 2, "name": "row 2"}),
            json!({"id": 3, "name": "row 3"})
        ]
    );
    assert_eq!(received[1].body, b"{\"id\":4,\"name\":\"row 4\"}\n");
}
