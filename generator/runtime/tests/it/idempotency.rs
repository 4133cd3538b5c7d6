//! Retries never do a write twice: a `POST` or `PATCH` without an
//! idempotency key is sent again only when the server cannot have acted on
//! it; idempotency keys (per call, per client, per operation) are the same
//! on every attempt and give writes the full retries; client-wide default
//! headers reach the wire and a call's header replaces them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use apigen_runtime::{decode, Client, ClientBuilder, Error, Method, StatusCode};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{self, envelope, requests};

/// A server answering `first` to the first `times` requests of any method,
/// then a success.
async fn fail_then_succeed(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!("ok"))))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// A server that always answers `status`.
async fn always(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

/// Sends one call of `method` with a JSON body.
async fn send(client: &Client, method: Method) -> Result<Value, Error> {
    client
        .call(method, "/v1/payment_intents", decode::envelope)
        .json_body(&json!({"amount": 2000}))
        .await
}

/// The values of header `name` of every request the server received.
async fn keys(server: &MockServer, name: &str) -> Vec<Vec<String>> {
    requests(server)
        .await
        .iter()
        .map(|request| {
            request
                .headers
                .get_all(name)
                .iter()
                .filter_map(|value| value.to_str().ok().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// Whether `key` reads as a random UUID (version 4, RFC 4122 variant).
fn is_uuid_v4(key: &str) -> bool {
    let bytes = key.as_bytes();
    key.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| bytes[i] == b'-')
        && key
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        && bytes[14] == b'4'
        && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
}

#[tokio::test]
async fn a_post_answered_500_is_sent_once_without_a_key() {
    for method in [Method::POST, Method::PATCH] {
        let server = always(500).await;
        let client = support::client(&server);
        let error = send(&client, method.clone()).await.expect_err("500");
        assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(
            keys(&server, "idempotency-key").await,
            [Vec::<String>::new()]
        );
    }
    // Nor after 502, 504, 408 or 409, nor 503 without `Retry-After`.
    for status in [502, 504, 408, 409, 503] {
        let server = fail_then_succeed(ResponseTemplate::new(status), 1).await;
        let error = send(&support::client(&server), Method::POST)
            .await
            .expect_err("not retried");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(requests(&server).await.len(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_post_with_a_key_is_retried_with_the_same_key() {
    let server = fail_then_succeed(ResponseTemplate::new(500), 2).await;
    let client = support::client(&server);
    let result = client
        .call(
            Method::POST,
            "/v1/payment_intents",
            decode::envelope::<String>,
        )
        .json_body(&json!({"amount": 2000}))
        .idempotency_key("order-1234")
        .await
        .expect("retried");
    assert_eq!(result, "ok");
    assert_eq!(keys(&server, "idempotency-key").await, [["order-1234"]; 3]);
    for request in requests(&server).await {
        assert_eq!(
            request.body_json::<Value>().ok(),
            Some(json!({"amount": 2000}))
        );
    }
}

#[tokio::test]
async fn the_clients_automatic_key_is_a_uuid_shared_by_the_attempts_of_one_call() {
    let server = always(503).await;
    let client = support::builder(&server)
        .idempotency_keys(true)
        .build()
        .expect("client builds");

    send(&client, Method::POST).await.expect_err("always 503");
    let first = keys(&server, "idempotency-key").await;
    assert_eq!(first.len(), 3, "one attempt and two retries");
    assert_eq!(first[0].len(), 1);
    assert!(is_uuid_v4(&first[0][0]), "{first:?}");
    assert!(first.iter().all(|key| *key == first[0]), "{first:?}");

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    send(&client, Method::POST).await.expect_err("always 503");
    let second = keys(&server, "idempotency-key").await;
    assert_eq!(second.len(), 3);
    assert!(second.iter().all(|key| *key == second[0]), "{second:?}");
    assert_ne!(first[0], second[0], "each logical call has its own key");

    // Idempotent methods get no automatic key (they need none).
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!(1))))
        .mount(&server)
        .await;
    let _: Value = client.get("/x").await.expect("ok");
    assert_eq!(
        keys(&server, "idempotency-key").await,
        [Vec::<String>::new()]
    );
}

#[tokio::test]
async fn a_calls_key_overrides_the_clients_automatic_key() {
    let server = fail_then_succeed(ResponseTemplate::new(500), 1).await;
    let client = support::builder(&server)
        .idempotency_keys(true)
        .build()
        .expect("client builds");
    let _: Value = client
        .call(Method::POST, "/v1/refunds", decode::envelope)
        .idempotency_key("mine")
        .await
        .expect("retried");
    assert_eq!(keys(&server, "idempotency-key").await, [["mine"], ["mine"]]);
}

#[tokio::test]
async fn the_key_header_is_configurable_per_client_and_per_operation() {
    let server = fail_then_succeed(ResponseTemplate::new(500), 1).await;
    let client = support::builder(&server)
        .idempotency_header("X-Request-Key")
        .build()
        .expect("client builds");
    let _: Value = client
        .call(Method::POST, "/things", decode::envelope)
        .idempotency_key(42)
        .await
        .expect("retried");
    assert_eq!(keys(&server, "x-request-key").await, [["42"], ["42"]]);
    assert_eq!(keys(&server, "idempotency-key").await, [[""; 0], [""; 0]]);

    // An operation that takes a key sends a fresh one by default, without
    // the client asking for keys, and is then retried.
    let server = fail_then_succeed(ResponseTemplate::new(500), 1).await;
    let client = support::client(&server);
    let _: Value = client
        .call(Method::POST, "/things", decode::envelope)
        .idempotency_header("X-Idempotency-Key")
        .await
        .expect("retried");
    let sent = keys(&server, "x-idempotency-key").await;
    assert_eq!(sent.len(), 2);
    assert!(is_uuid_v4(&sent[0][0]), "{sent:?}");
    assert_eq!(sent[0], sent[1]);

    // The caller's own header (a header parameter) wins, and counts as a key.
    let server = fail_then_succeed(ResponseTemplate::new(500), 1).await;
    let client = support::client(&server);
    let _: Value = client
        .call(Method::POST, "/things", decode::envelope)
        .idempotency_header("Idempotency-Key")
        .header("Idempotency-Key", "from-the-caller")
        .await
        .expect("retried");
    assert_eq!(
        keys(&server, "idempotency-key").await,
        [["from-the-caller"], ["from-the-caller"]]
    );
}

#[tokio::test]
async fn bad_keys_and_key_headers_fail_before_sending() {
    let server = always(200).await;
    let error = support::client(&server)
        .call(Method::POST, "/things", decode::json::<Value>)
        .idempotency_key("line\nbreak")
        .await
        .expect_err("not a header value");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let error = support::client(&server)
        .call(Method::POST, "/things", decode::json::<Value>)
        .idempotency_header("not a name")
        .await
        .expect_err("not a header name");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let built = support::builder(&server)
        .idempotency_header("bad name")
        .build();
    assert!(matches!(built, Err(Error::Config(_))), "{built:?}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn too_many_requests_and_503_with_retry_after_are_retried_for_every_method() {
    for method in [
        Method::GET,
        Method::POST,
        Method::PATCH,
        Method::PUT,
        Method::DELETE,
    ] {
        let server = fail_then_succeed(ResponseTemplate::new(429), 1).await;
        let result = send(&support::client(&server), method.clone()).await;
        assert_eq!(result.ok(), Some(json!("ok")), "{method} 429");
        assert_eq!(requests(&server).await.len(), 2, "{method} 429");

        let server = fail_then_succeed(
            ResponseTemplate::new(503).insert_header("retry-after", "0"),
            1,
        )
        .await;
        let result = send(&support::client(&server), method.clone()).await;
        assert_eq!(result.ok(), Some(json!("ok")), "{method} 503");
        assert_eq!(requests(&server).await.len(), 2, "{method} 503");
    }
}

#[tokio::test]
async fn idempotent_methods_keep_their_retries_on_500() {
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        let server = fail_then_succeed(ResponseTemplate::new(500), 2).await;
        let result = send(&support::client(&server), method.clone()).await;
        assert_eq!(result.ok(), Some(json!("ok")), "{method}");
        assert_eq!(requests(&server).await.len(), 3, "{method}");
    }
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_every_method() {
    for method in [Method::POST, Method::PATCH, Method::GET] {
        // Take a free port and close it: the first attempt is refused.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        drop(listener);
        let client = Client::builder()
            .base_url(format!("http://{address}"))
            .retry_backoff(Duration::from_millis(400), Duration::from_millis(400))
            .build()
            .expect("client builds");
        let call = tokio::spawn({
            let method = method.clone();
            async move { send(&client, method).await }
        });
        // Listen on that port before the retry (at 300 to 400 ms).
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (answered, served) = serve_on(address).await;
        let result = call.await.expect("the call task");
        assert_eq!(result.ok(), Some(json!("ok")), "{method}");
        assert_eq!(answered.load(Ordering::SeqCst), 1, "{method}");
        served.abort();
    }
}

/// Answers every request on `address` with a success envelope, counting
/// them.
async fn serve_on(
    address: std::net::SocketAddr,
) -> (Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    use tokio::io::AsyncWriteExt;

    let listener = tokio::net::TcpListener::bind(address)
        .await
        .expect("rebind the port");
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let handle = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            if read_head(&mut socket).await {
                counter.fetch_add(1, Ordering::SeqCst);
                let response = support::raw_json_response("200 OK", &envelope(json!("ok")));
                let _ = socket.write_all(&response).await;
                let _ = socket.shutdown().await;
            }
        }
    });
    (count, handle)
}

/// Reads a request's head; whether one arrived.
async fn read_head(socket: &mut tokio::net::TcpStream) -> bool {
    use tokio::io::AsyncReadExt;

    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    true
}

/// A server that reads each request and never answers (keeping the
/// connection open), counting arrivals.
async fn silent_server() -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let count = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&count);
    let handle = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            if read_head(&mut socket).await {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            open.push(socket);
        }
    });
    (format!("http://{address}"), count, handle)
}

/// A client of `base_url` whose attempts time out after 200 ms.
fn impatient(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .timeout(Duration::from_millis(200))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
}

#[tokio::test]
async fn a_post_that_times_out_after_arriving_is_sent_once_without_a_key() {
    let (base_url, arrivals, server) = silent_server().await;
    let client = impatient(&base_url).build().expect("client builds");
    let error = send(&client, Method::POST).await.expect_err("no answer");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(arrivals.load(Ordering::SeqCst), 1);

    // With a key it is sent again (once per retry).
    let error = client
        .call(
            Method::POST,
            "/v1/payment_intents",
            decode::envelope::<Value>,
        )
        .idempotency_key("order-1")
        .await
        .expect_err("no answer");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(arrivals.load(Ordering::SeqCst), 1 + 3);

    // And so is a GET, as before.
    let error = send(&client, Method::GET).await.expect_err("no answer");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(arrivals.load(Ordering::SeqCst), 4 + 3);
    server.abort();
}

#[tokio::test]
async fn default_headers_reach_the_wire_and_a_calls_header_replaces_them() {
    let server = always(200).await;
    let client = support::builder(&server)
        .default_header("Stripe-Version", "2020-08-27")
        .default_header("X-Team", "a")
        .default_header("X-Team", "b")
        .default_header("User-Agent", "my-app/1.0")
        .build()
        .expect("client builds");

    let _ = client.call(Method::GET, "/a", decode::bytes).await;
    let _ = client
        .call(Method::POST, "/b", decode::bytes)
        .header("Stripe-Version", "2024-06-20")
        .await;
    let _ = client
        .call(Method::GET, "/c", decode::bytes)
        .header_param(
            "stripe-version",
            "2022-11-15",
            apigen_runtime::ParamStyle::new(apigen_runtime::Style::Simple, false),
        )
        .await;

    assert_eq!(
        keys(&server, "stripe-version").await,
        [["2020-08-27"], ["2024-06-20"], ["2022-11-15"]]
    );
    assert_eq!(keys(&server, "x-team").await, [["a", "b"]; 3]);
    assert_eq!(keys(&server, "user-agent").await, [["my-app/1.0"]; 3]);

    for (name, value) in [("bad name", "v"), ("X-Ok", "line\nbreak")] {
        let built = support::builder(&server)
            .default_header(name, value)
            .build();
        let Err(Error::Config(message)) = built else {
            panic!("{name}: expected a configuration error, got {built:?}");
        };
        assert!(
            !message.contains("line"),
            "the value is not echoed: {message}"
        );
    }
}
