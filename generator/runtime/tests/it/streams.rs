//! Typed streams against a loopback server that writes chunks by hand:
//! server-sent events split anywhere (mid-line, mid-character), comments,
//! `retry:`, multi-line `data:`, `[DONE]`, a dropped connection resumed
//! with `Last-Event-ID`, no reconnection for a `POST`; an NDJSON response
//! of 10,000 values read with only a line buffered; an NDJSON request body
//! from a stream.

use std::time::Duration;

use apigen_runtime::{Client, Error, Event, EventStream, Method, NdjsonBody, NdjsonStream};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::raw::{End, RawServer, Reply};
use crate::support::{token, TOKEN};

/// An event's typed data.
#[derive(Debug, Deserialize, PartialEq)]
struct Token {
    text: String,
    n: u32,
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .credentials(token(TOKEN))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("client")
}

/// Every item of a stream, errors as their text.
async fn drain<S, T>(stream: S) -> Vec<Result<T, String>>
where
    S: futures_core::Stream<Item = Result<T, Error>> + Unpin,
{
    stream
        .map(|item| item.map_err(|error| error.to_string()))
        .collect()
        .await
}

const EVENTS: &str = "\u{feff}: a comment the client ignores\r\n\
retry: 1500\r\n\
event: token\r\n\
id: 1\r\n\
data: {\"text\": \"héllo\",\r\n\
data:  \"n\": 1}\r\n\
\r\n\
: keep-alive\n\
id: 2\n\
data: {\"text\": \"wörld\", \"n\": 2}\n\
\n\
id: 3\r\
data: {\"text\": 3}\r\
\r\
data: {\"text\": \"last\", \"n\": 4}\n\
\n\
data: [DONE]\n\
\n\
data: {\"text\": \"after the end\", \"n\": 5}\n\
\n";

/// The items `EVENTS` gives, whatever its chunks.
fn check_events(items: &[Result<Event<Token>, String>], cuts: &str) {
    assert_eq!(items.len(), 4, "{cuts}: {items:?}");
    let first = items[0].as_ref().expect("first event");
    assert_eq!(first.event, "token", "{cuts}");
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.retry, Some(Duration::from_millis(1500)));
    // Two `data:` lines joined with `\n`; the second's own space kept.
    assert_eq!(
        first.data,
        Token {
            text: "héllo".into(),
            n: 1
        }
    );
    let second = items[1].as_ref().expect("second event");
    assert_eq!(
        (second.event.as_str(), second.id.as_deref(), second.retry),
        ("message", Some("2"), None)
    );
    assert_eq!(
        second.data,
        Token {
            text: "wörld".into(),
            n: 2
        }
    );
    // Data of the wrong shape: an item error naming the event; the stream
    // goes on.
    let error = items[2].as_ref().expect_err("third event does not decode");
    assert!(
        error.contains("event 3 (id \"3\") data.text"),
        "{cuts}: {error}"
    );
    assert!(error.contains("invalid type: integer `3`"), "{error}");
    let fourth = items[3].as_ref().expect("fourth event");
    assert_eq!(
        (fourth.id.as_deref(), &fourth.data.text[..]),
        (Some("3"), "last")
    );
}

#[tokio::test]
async fn events_decode_whatever_the_chunk_boundaries() {
    let text = EVENTS.as_bytes();
    // Inside the `é` of the first event (two bytes), inside a line, between
    // a CR and its LF, and one byte at a time.
    let e_acute = text
        .windows(2)
        .position(|w| w == "é".as_bytes())
        .expect("é")
        + 1;
    let cr = text.iter().position(|&b| b == b'\r').expect("CR") + 1;
    let splits: Vec<(String, Reply)> = vec![
        (
            "whole".into(),
            Reply::cut("text/event-stream", text, &[], End::Clean),
        ),
        (
            format!("mid-character at {e_acute}, mid-CRLF at {cr}"),
            Reply::cut(
                "text/event-stream",
                text,
                &[cr, 20, e_acute, 90, 91],
                End::Clean,
            ),
        ),
        (
            "every 7 bytes".into(),
            Reply::every("text/event-stream", text, 7, End::Clean),
        ),
        (
            "every byte".into(),
            Reply::every("text/event-stream", text, 1, End::Clean),
        ),
    ];
    let server = RawServer::start(splits.iter().map(|(_, reply)| reply.clone()).collect()).await;
    let client = client(&server.url);
    for (cuts, _) in &splits {
        let stream: EventStream<Token> = client.stream_call(Method::GET, "/events").stream();
        check_events(&drain(stream).await, cuts);
    }
    let heads = server.heads();
    assert_eq!(heads.len(), splits.len());
    assert!(
        heads[0].contains("accept: text/event-stream"),
        "{}",
        heads[0]
    );
    assert!(heads[0].contains(&format!("authorization: bearer {TOKEN}")));
}

#[tokio::test]
async fn a_dropped_connection_is_resumed_with_the_last_event_id() {
    let first = "retry: 20\nid: 1\ndata: {\"text\": \"a\", \"n\": 1}\n\n\
                 id: 2\ndata: {\"text\": \"b\", \"n\": 2}\n\nid: 9\ndata: {\"text\": \"cut";
    let second = "id: 3\ndata: {\"text\": \"c\", \"n\": 3}\n\n";
    let server = RawServer::start(vec![
        Reply::every("text/event-stream", first.as_bytes(), 16, End::Drop),
        Reply::cut("text/event-stream", second.as_bytes(), &[], End::Clean),
    ])
    .await;
    let client = client(&server.url);
    let stream: EventStream<Token> = client
        .stream_call(Method::GET, "/events")
        .header("X-Trace", "kept")
        .await
        .expect("the stream opens");
    let items = drain(stream).await;
    let texts: Vec<String> = items
        .iter()
        .map(|item| item.as_ref().expect("no error").data.text.clone())
        .collect();
    // The half-sent event 9 is dropped with its connection.
    assert_eq!(texts, ["a", "b", "c"]);
    let heads = server.heads();
    assert_eq!(heads.len(), 2);
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
    assert!(heads[1].contains("last-event-id: 2\r\n"), "{}", heads[1]);
    // The reconnection is the same request: credentials and headers too.
    assert!(heads[1].starts_with("get /events "), "{}", heads[1]);
    assert!(heads[1].contains(&format!("authorization: bearer {TOKEN}")));
    assert!(heads[1].contains("x-trace: kept"));
}

#[tokio::test]
async fn a_post_is_not_resumed_unless_asked() {
    let body = "id: 1\ndata: {\"text\": \"a\", \"n\": 1}\n\nid: 2\ndata: {\"te";
    let again = "data: {\"text\": \"b\", \"n\": 2}\n\n";
    let server = RawServer::start(vec![
        Reply::cut("text/event-stream", body.as_bytes(), &[], End::Drop),
        Reply::cut("text/event-stream", body.as_bytes(), &[], End::Drop),
        Reply::cut("text/event-stream", again.as_bytes(), &[], End::Clean),
    ])
    .await;
    let client = client(&server.url);
    let stream: EventStream<Token> = client.stream_call(Method::POST, "/chat").stream();
    let items = drain(stream).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().expect("event").data.n, 1);
    let error = items[1].as_ref().expect_err("the drop ends the stream");
    assert!(error.starts_with("HTTP transport error"), "{error}");
    assert_eq!(server.heads().len(), 1);

    // Turned on, a `POST` is sent again, with the id.
    let stream = client
        .stream_call::<EventStream<Token>>(Method::POST, "/chat")
        .stream()
        .reconnect(true)
        .reconnect_delay(Duration::from_millis(5));
    let items = drain(stream).await;
    let ns: Vec<u32> = items
        .iter()
        .map(|i| i.as_ref().expect("event").data.n)
        .collect();
    assert_eq!(ns, [1, 2]);
    let heads = server.heads();
    assert_eq!(heads.len(), 3);
    assert!(heads[2].starts_with("post /chat ") && heads[2].contains("last-event-id: 1\r\n"));
}

#[tokio::test]
async fn reconnections_stop_after_the_limit() {
    let body = "retry: 1\nid: 1\ndata: {\"text\": \"a\", \"n\": 1}\n\ndata: {";
    let cut = "data: {";
    let server = RawServer::start(vec![
        Reply::cut("text/event-stream", body.as_bytes(), &[], End::Drop),
        Reply::cut("text/event-stream", cut.as_bytes(), &[], End::Drop),
        Reply::cut("text/event-stream", cut.as_bytes(), &[], End::Drop),
    ])
    .await;
    let stream = client(&server.url)
        .stream_call::<EventStream<Token>>(Method::GET, "/events")
        .stream()
        .max_reconnects(2);
    let items = drain(stream).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[1].is_err());
    assert_eq!(server.heads().len(), 3);
}

#[tokio::test]
async fn an_error_answer_comes_from_the_await_or_as_the_only_item() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "bad token"})))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let opened: Result<EventStream<Value>, Error> = client
        .stream_call(Method::GET, "/events")
        .max_retries(0)
        .await;
    let error = opened.expect_err("401");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let items = drain(
        client
            .stream_call::<NdjsonStream<Value>>(Method::GET, "/watch")
            .stream(),
    )
    .await;
    assert_eq!(items.len(), 1);
    assert!(
        items[0].as_ref().expect_err("401").contains("bad token"),
        "{items:?}"
    );
}

#[derive(Debug, Deserialize)]
struct Row {
    id: u64,
    name: String,
}

#[tokio::test]
async fn ten_thousand_ndjson_values_are_read_a_line_at_a_time() {
    let mut text = String::new();
    for id in 0..10_000u64 {
        text.push_str(&format!("{{\"id\":{id},\"name\":\"row {id}\"}}\n"));
        if id == 5_000 {
            text.push('\n'); // a blank line is skipped
        }
    }
    let longest = text.lines().map(str::len).max().expect("lines");
    // 64 KiB chunks, each holding about 2,000 lines; the last line has no
    // newline.
    let text = text.trim_end().to_owned();
    let server = RawServer::start(vec![Reply::every(
        "application/x-ndjson",
        text.as_bytes(),
        64 * 1024,
        End::Clean,
    )])
    .await;
    let mut stream: NdjsonStream<Row> = client(&server.url)
        .stream_call(Method::GET, "/rows")
        .stream();
    let (mut count, mut sum) = (0u64, 0u64);
    while let Some(row) = stream.next().await {
        let row = row.expect("a row");
        assert_eq!(row.name, format!("row {}", row.id));
        assert!(stream.buffered_bytes() <= longest);
        count += 1;
        sum += row.id;
    }
    assert_eq!((count, sum), (10_000, 10_000 * 9_999 / 2));
    // Never more than the start of one line held, although the chunks were
    // thousands of lines long.
    assert!(
        stream.max_buffered_bytes() <= longest,
        "{} > {longest}",
        stream.max_buffered_bytes()
    );
    assert!(server.heads()[0].contains("accept: application/x-ndjson"));
}

#[tokio::test]
async fn an_ndjson_line_that_does_not_decode_names_its_line() {
    let text = "{\"id\": 1, \"name\": \"a\"}\r\n{\"id\": \"x\", \"name\": \"b\"}\r\nnot json\n{\"id\": 3, \"name\": \"c\"}\n";
    let server = RawServer::start(vec![Reply::every(
        "application/jsonl",
        text.as_bytes(),
        5,
        End::Clean,
    )])
    .await;
    let stream: NdjsonStream<Row> = client(&server.url)
        .stream_call(Method::GET, "/rows")
        .stream();
    let items = drain(stream).await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert_eq!(items[0].as_ref().expect("row").id, 1);
    let error = items[1].as_ref().expect_err("a string id");
    assert!(error.contains("at `line 2: id`"), "{error}");
    assert!(items[2]
        .as_ref()
        .expect_err("not JSON")
        .contains("at `line 3`"));
    assert_eq!(items[3].as_ref().expect("row").id, 3);
}

#[tokio::test]
async fn an_ndjson_body_is_sent_from_a_stream_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/bulk"))
        .and(header("content-type", "application/x-ndjson"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 1000})))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/fails"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let values =
        futures_util::stream::iter(0..1000).map(|i| json!({"id": i, "values": [i, i + 1]}));
    let answer: Value = client
        .call(Method::POST, "/bulk", apigen_runtime::decode::json)
        .ndjson_body(NdjsonBody::from_stream(values), "application/x-ndjson")
        .await
        .expect("sent");
    assert_eq!(answer, json!({"count": 1000}));
    let received = server.received_requests().await.expect("recorded");
    let body = String::from_utf8(received[0].body.clone()).expect("UTF-8");
    let lines: Vec<Value> = body
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON value per line"))
        .collect();
    assert_eq!(lines.len(), 1000);
    assert!(body.ends_with("}\n"));
    assert_eq!(lines[999], json!({"id": 999, "values": [999, 1000]}));

    // A streamed body is consumed by sending it: not retried.
    let failed = client
        .call(Method::PUT, "/fails", apigen_runtime::decode::json::<Value>)
        .ndjson_body(NdjsonBody::from_values(vec![1, 2, 3]), "application/jsonl")
        .await;
    assert_eq!(
        failed.expect_err("503").status().map(|s| s.as_u16()),
        Some(503)
    );
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].body, b"1\n2\n3\n");
}

#[test]
fn streams_are_plain_unpin_send_streams() {
    fn plain<S: futures_core::Stream + Unpin + Send + 'static>() {}
    plain::<EventStream<Token>>();
    plain::<NdjsonStream<Value>>();
}
