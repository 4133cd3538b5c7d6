//! Streams through generated code: the client of
//! `tests/fixtures/streams.yaml` against a loopback server. Server-sent
//! events whose 3.2 `itemSchema` types their `data` by `contentSchema`, an
//! NDJSON response typed by its array schema's items, an NDJSON request
//! body from a stream (chunk boundaries, reconnection and bounded memory
//! are the runtime's, tested in `generator/runtime/tests/it/streams.rs`).
//! The servers are shared with the blocking tests (`scenarios/streams.rs`).

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use streams_fixture::events::Token;
use streams_fixture::rows::Row;
use streams_fixture::runtime::{EventStream, NdjsonBody};
use streams_fixture::{Client, Credentials, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "../scenarios/streams.rs"]
mod scenarios;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer_auth("sk_test"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn server_sent_events_are_typed_by_the_content_schema_of_their_data() {
    let server = scenarios::events().await;
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
    let server = scenarios::rows(500).await;
    let rows = client(&server).rows().get().stream();
    let ids: Vec<i64> = rows.map(|row| row.expect("a row").id).collect().await;
    assert_eq!(ids, (1..=500).collect::<Vec<_>>());
}

#[tokio::test]
async fn an_ndjson_body_is_sent_from_a_stream() {
    let server = scenarios::import().await;
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
    let bodies = scenarios::imported(&server).await;
    assert_eq!(
        bodies,
        [
            scenarios::three_rows(),
            vec![json!({"id": 4, "name": "row 4"})]
        ]
    );
}
