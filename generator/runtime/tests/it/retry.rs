//! Retries: which failures are retried, how often, and how long the client
//! waits (`Retry-After` as seconds or a date, backoff), plus timeouts. What
//! a write without an idempotency key may retry is in `idempotency.rs`.

use crate::support;

use std::time::{Duration, Instant, SystemTime};

use apigen_runtime::{decode, multipart, Error, Method, StatusCode};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{envelope, requests};

/// Mounts `first` for the first `times` requests, then a success.
async fn fail_then_succeed(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!("ok"))))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

async fn get(client: &apigen_runtime::Client) -> Result<String, Error> {
    client.call(Method::GET, "/x", decode::envelope).await
}

#[tokio::test]
async fn too_many_requests_then_success() {
    let server = fail_then_succeed(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "0")
            .set_body_json(support::failure(
                971,
                "Please wait and consider throttling your request speed",
            )),
        1,
    )
    .await;
    let client = support::client(&server);
    assert_eq!(get(&client).await.expect("retried").as_str(), "ok");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retryable_statuses_are_retried() {
    for status in [408u16, 409, 500, 502, 503, 504] {
        let server = fail_then_succeed(ResponseTemplate::new(status), 1).await;
        let client = support::client(&server);
        assert_eq!(
            get(&client).await.expect("retried").as_str(),
            "ok",
            "{status}"
        );
        assert_eq!(requests(&server).await.len(), 2, "{status}");
    }
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    for status in [400u16, 401, 403, 404, 422] {
        let server = fail_then_succeed(ResponseTemplate::new(status), 1).await;
        let client = support::client(&server);
        let error = get(&client).await.expect_err("not retried");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(requests(&server).await.len(), 1, "{status}");
    }
}

#[tokio::test]
async fn server_errors_exhaust_the_retries_and_return_the_last_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(support::failure(10001, "Internal error")),
        )
        .mount(&server)
        .await;
    let client = support::client(&server);

    let error = get(&client).await.expect_err("always 500");

    assert_eq!(
        requests(&server).await.len(),
        3,
        "one attempt and two retries"
    );
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.codes(), [10001]);
}

#[tokio::test]
async fn retry_limits_are_per_client_and_per_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = support::builder(&server)
        .max_retries(4)
        .build()
        .expect("client builds");

    get(&client).await.expect_err("always 503");
    assert_eq!(requests(&server).await.len(), 5);

    for (max_retries, attempts) in [(1u32, 2usize), (0, 1)] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        client
            .call(Method::GET, "/x", decode::envelope::<Value>)
            .max_retries(max_retries)
            .await
            .expect_err("always 503");
        assert_eq!(requests(&server).await.len(), attempts);
    }
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = fail_then_succeed(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let client = support::client(&server);
    let started = Instant::now();
    assert_eq!(get(&client).await.expect("retried").as_str(), "ok");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let server = fail_then_succeed(
        ResponseTemplate::new(503).insert_header("retry-after", at.as_str()),
        1,
    )
    .await;
    let client = support::client(&server);
    let started = Instant::now();
    assert_eq!(get(&client).await.expect("retried").as_str(), "ok");
    // The date has whole seconds, so the wait is between one and two.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_limit_returns_the_error_at_once() {
    let server = fail_then_succeed(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "3600")
            .set_body_json(support::failure(10000, "rate limited")),
        1,
    )
    .await;
    let client = support::client(&server);
    let error = get(&client).await.expect_err("an hour is too long");
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(requests(&server).await.len(), 1);

    // The limit is configurable.
    let server = fail_then_succeed(
        ResponseTemplate::new(429).insert_header("retry-after", "5"),
        1,
    )
    .await;
    let client = support::builder(&server)
        .max_retry_after(Duration::from_secs(1))
        .build()
        .expect("client builds");
    get(&client)
        .await
        .expect_err("five seconds is too long here");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn json_bodies_are_sent_again_on_retry() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({"id": "1"}))))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = support::client(&server);

    let _: Value = client
        .call(Method::PUT, "/things", decode::envelope)
        .json_body(&json!({"name": "a"}))
        .await
        .expect("retried");

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(
            request.body_json::<Value>().ok(),
            Some(json!({"name": "a"}))
        );
        assert_eq!(
            support::header(request, "content-type"),
            Some("application/json")
        );
    }
}

#[tokio::test]
async fn multipart_calls_are_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let error = client
        .call(Method::PUT, "/upload", decode::envelope::<Value>)
        .multipart_body(multipart::Form::new().text("a", "b"))
        .await
        .expect_err("not retried");
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn refused_connections_are_transport_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let client = apigen_runtime::Client::builder()
        .base_url(format!("http://{address}"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .expect("client builds");

    let error = get(&client).await.expect_err("nothing listens");

    assert!(error.is_connect(), "{error:?}");
    assert!(matches!(error, Error::Transport(_)));
    assert!(
        error.to_string().starts_with("could not connect"),
        "{error}"
    );
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn dropped_connections_are_retried() {
    let (base_url, served) = support::raw_server(vec![
        None,
        Some(support::raw_json_response("200 OK", &envelope(json!("ok")))),
    ])
    .await;
    let client = apigen_runtime::Client::builder()
        .base_url(base_url)
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .expect("client builds");

    assert_eq!(get(&client).await.expect("retried").as_str(), "ok");
    assert_eq!(served.await.ok(), Some(2));
}

#[tokio::test]
async fn each_attempt_has_the_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = support::client(&server);

    let started = Instant::now();
    let error = client
        .call(Method::GET, "/slow", decode::envelope::<Value>)
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .await
        .expect_err("too slow");

    assert!(error.is_timeout(), "{error:?}");
    assert!(
        error.to_string().starts_with("the request timed out"),
        "{error}"
    );
    assert_eq!(requests(&server).await.len(), 2, "the timeout is retried");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried() {
    let server = fail_then_succeed(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(30)),
        1,
    )
    .await;
    let client = support::builder(&server)
        .timeout(Duration::from_millis(500))
        .build()
        .expect("client builds");
    assert_eq!(
        get(&client).await.expect("second attempt is fast").as_str(),
        "ok"
    );
    assert_eq!(requests(&server).await.len(), 2);
}
