//! Rate limits: the client reads `Ratelimit`/`Ratelimit-Policy` and pauses
//! the next request when no requests remain.

use crate::support;

use std::time::{Duration, Instant};

use apigen_runtime::{decode, Client, Method};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{envelope, requests};

/// A server whose responses carry these rate-limit headers.
async fn limited(headers: &[(&str, &str)]) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(200).set_body_json(envelope(json!(null)));
    for (name, value) in headers {
        response = response.insert_header(*name, *value);
    }
    Mock::given(method("GET"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

async fn get(client: &Client) {
    client
        .call(Method::GET, "/x", decode::envelope::<()>)
        .await
        .expect("call succeeds");
}

#[tokio::test]
async fn exhausted_limit_pauses_the_next_request_until_the_reset() {
    let server = limited(&[
        ("ratelimit", "\"default\";r=0;t=1"),
        ("ratelimit-policy", "\"default\";q=1200;w=300"),
    ])
    .await;
    let client = support::client(&server);

    get(&client).await;
    let status = client.rate_limit().expect("rate limit observed");
    assert_eq!(status.remaining, Some(0));
    assert_eq!(status.reset, Some(Duration::from_secs(1)));
    assert_eq!(status.quota, Some(1200));
    assert_eq!(status.window, Some(Duration::from_secs(300)));

    let started = Instant::now();
    // A clone shares the state.
    get(&client.clone()).await;
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn draft_style_header_pauses_too() {
    let server = limited(&[("ratelimit", "limit=100, remaining=0, reset=0.3")]).await;
    let client = support::client(&server);
    get(&client).await;
    let started = Instant::now();
    get(&client).await;
    assert!(
        started.elapsed() >= Duration::from_millis(280),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn remaining_requests_mean_no_pause() {
    let server = limited(&[("ratelimit", "\"default\";r=49;t=30")]).await;
    let client = support::client(&server);
    get(&client).await;
    let started = Instant::now();
    get(&client).await;
    // Not waiting for the 30 s reset (a generous bound, not a timing test).
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(client.rate_limit().and_then(|s| s.remaining), Some(49));
}

#[tokio::test]
async fn a_reset_beyond_max_retry_after_is_not_waited_for() {
    let server = limited(&[("ratelimit", "\"default\";r=0;t=120")]).await;
    let client = support::builder(&server)
        .max_retry_after(Duration::from_secs(1))
        .build()
        .expect("client builds");
    get(&client).await;
    let started = Instant::now();
    get(&client).await;
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn no_headers_no_state() {
    let server = limited(&[]).await;
    let client = support::client(&server);
    get(&client).await;
    assert_eq!(client.rate_limit(), None);
}
