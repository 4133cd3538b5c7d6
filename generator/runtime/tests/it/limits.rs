//! Response size limits: bodies are read in chunks and refused once they
//! pass `max_response_bytes`.

use crate::support;

use apigen_runtime::{decode, Client, Error, Method, StatusCode};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(support::envelope(json!("x".repeat(2000)))),
        )
        .mount(&server)
        .await;
    let client = support::builder(&server)
        .max_response_bytes(1000)
        .build()
        .expect("client builds");

    let error = client
        .call(Method::GET, "/big", decode::envelope::<String>)
        .await
        .expect_err("too large");

    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                limit: 1000,
                status: StatusCode::OK
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(StatusCode::OK));
}

#[tokio::test]
async fn a_body_at_the_limit_is_accepted() {
    let body = support::envelope(json!("x".repeat(100))).to_string();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    let client = support::builder(&server)
        .max_response_bytes(body.len())
        .build()
        .expect("client builds");
    let text: String = client
        .call(Method::GET, "/ok", decode::envelope)
        .await
        .expect("exactly at the limit");
    assert_eq!(text.len(), 100);
}

#[tokio::test]
async fn a_chunked_body_is_cut_off_once_it_passes_the_limit() {
    let (base_url, _served) =
        support::raw_server(vec![Some(support::raw_chunked_response(64, 1024))]).await;
    let client = Client::builder()
        .base_url(base_url)
        .max_response_bytes(10 * 1024)
        .build()
        .expect("client builds");

    let error = client
        .call(Method::GET, "/stream", decode::bytes)
        .await
        .expect_err("64 KiB is over 10 KiB");

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 10240, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_chunked_body_under_the_limit_is_read_whole() {
    let (base_url, _served) =
        support::raw_server(vec![Some(support::raw_chunked_response(4, 1000))]).await;
    let client = Client::builder()
        .base_url(base_url)
        .build()
        .expect("client builds");
    let bytes = client
        .call(Method::GET, "/stream", decode::bytes)
        .await
        .expect("small enough");
    assert_eq!(bytes.len(), 4000);
}
