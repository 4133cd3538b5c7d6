//! Pagination: page numbers, cursors, stop conditions, and servers that
//! repeat pages or never end.

use crate::support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use apigen_runtime::{decode, multipart, Client, Error, Method, Number};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::requests;

/// The value of query parameter `name` of a request.
fn param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// An envelope with `result` and `result_info`.
fn page(result: Value, result_info: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true, "errors": [], "messages": [],
        "result": result, "result_info": result_info
    }))
}

/// Serves `total_pages` pages of two numbered items each.
async fn paged_server(total_pages: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            let number: u64 = param(request, "page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            page(
                json!([number * 10 + 1, number * 10 + 2]),
                json!({"page": number, "per_page": 2, "count": 2,
                       "total_count": total_pages * 2, "total_pages": total_pages}),
            )
        })
        .mount(&server)
        .await;
    server
}

fn list(client: &Client) -> apigen_runtime::Call<Vec<u64>> {
    client
        .call(Method::GET, "/zones", decode::envelope::<Vec<u64>>)
        .query_param("per_page", &2)
}

fn pages_requested(sent: &[Request], name: &str) -> Vec<Option<String>> {
    sent.iter().map(|request| param(request, name)).collect()
}

#[tokio::test]
async fn follows_page_numbers_until_total_pages() {
    let server = paged_server(3).await;
    let client = support::client(&server);

    let items: Vec<u64> = list(&client)
        .items()
        .try_collect()
        .await
        .expect("all pages");

    assert_eq!(items, [11, 12, 21, 22, 31, 32]);
    let sent = requests(&server).await;
    assert_eq!(
        pages_requested(&sent, "page"),
        [None, Some("2".into()), Some("3".into())]
    );
    assert!(sent
        .iter()
        .all(|r| param(r, "per_page").as_deref() == Some("2")));
}

#[tokio::test]
async fn pages_start_where_the_caller_says() {
    let server = paged_server(3).await;
    let client = support::client(&server);

    let pages: Vec<_> = list(&client)
        .query_param("page", &2)
        .pages()
        .try_collect()
        .await
        .expect("pages");

    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].result, [21, 22]);
    assert_eq!(pages[1].result_info.as_ref().and_then(|i| i.page), Some(3));
    assert_eq!(
        pages_requested(&requests(&server).await, "page"),
        [Some("2".into()), Some("3".into())]
    );
}

/// Cloudflare types `page` and `per_page` as `number`; a server that parses
/// them as integers must get `2`, never `2.0`, whether the caller set the
/// value (even as an `f64`) or the pager did.
#[tokio::test]
async fn number_page_parameters_go_out_as_integers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let strict = |name| param(request, name).map(|v| v.parse::<u64>());
            match (strict("page"), strict("per_page")) {
                (Some(Ok(number)), Some(Ok(2))) => page(
                    json!([number]),
                    json!({"page": number, "per_page": 2, "total_pages": 3}),
                ),
                _ => ResponseTemplate::new(400).set_body_json(json!({
                    "success": false, "errors": [{"code": 1001, "message": "not an integer"}],
                    "messages": [], "result": null
                })),
            }
        })
        .mount(&server)
        .await;
    let client = support::client(&server);

    let items: Vec<u64> = client
        .call(Method::GET, "/accounts", decode::envelope::<Vec<u64>>)
        .query_param("per_page", &Some(Number::from(2.0)))
        .query_param("page", &Number::from(2.0_f32))
        .items()
        .try_collect()
        .await
        .expect("a strict server accepts every page");

    assert_eq!(items, [2, 3]);
    let sent = requests(&server).await;
    assert_eq!(
        pages_requested(&sent, "page"),
        [Some("2".into()), Some("3".into())]
    );
    assert_eq!(
        pages_requested(&sent, "per_page"),
        [Some("2".into()), Some("2".into())]
    );
    assert!(sent
        .iter()
        .all(|r| !r.url.query().unwrap_or_default().contains(".0")));
}

#[tokio::test]
async fn stops_on_an_empty_page_or_short_page_without_total_pages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let number: u64 = param(request, "page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let result = if number <= 2 {
                json!([number, number])
            } else {
                json!([])
            };
            page(result, json!({"page": number}))
        })
        .mount(&server)
        .await;
    let client = support::client(&server);
    let items: Vec<u64> = list(&client).items().try_collect().await.expect("pages");
    assert_eq!(items, [1, 1, 2, 2]);
    assert_eq!(requests(&server).await.len(), 3);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let number: u64 = param(request, "page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let result = if number == 1 {
                json!([1, 2])
            } else {
                json!([3])
            };
            page(result, json!({"page": number, "per_page": 2}))
        })
        .mount(&server)
        .await;
    let client = support::client(&server);
    let items: Vec<u64> = list(&client).items().try_collect().await.expect("pages");
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_response_without_page_information_is_the_only_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::envelope(json!([1, 2, 3]))))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let items: Vec<u64> = list(&client).items().try_collect().await.expect("one page");
    assert_eq!(items, [1, 2, 3]);

    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(page(json!([4]), json!({"count": 1})))
        .mount(&server)
        .await;
    let items: Vec<u64> = list(&client).items().try_collect().await.expect("one page");
    assert_eq!(items, [4]);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn follows_cursors_until_none_is_left() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            |request: &Request| match param(request, "cursor").as_deref() {
                None => page(json!([1]), json!({"count": 1, "cursors": {"after": "c1"}})),
                Some("c1") => page(
                    json!([2]),
                    json!({"count": 1, "cursors": {"before": "c1", "after": "c2"}}),
                ),
                Some("c2") => page(json!([3]), json!({"count": 1, "cursors": {"before": "c2"}})),
                Some(_) => ResponseTemplate::new(400),
            },
        )
        .mount(&server)
        .await;
    let client = support::client(&server);

    let items: Vec<u64> = list(&client)
        .items()
        .try_collect()
        .await
        .expect("all pages");

    assert_eq!(items, [1, 2, 3]);
    assert_eq!(
        pages_requested(&requests(&server).await, "cursor"),
        [None, Some("c1".into()), Some("c2".into())]
    );
}

#[tokio::test]
async fn follows_a_plain_cursor_until_it_is_empty() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            |request: &Request| match param(request, "cursor").as_deref() {
                None => page(json!([1]), json!({"count": 1, "cursor": "next+/="})),
                Some("next+/=") => page(json!([2]), json!({"count": 1, "cursor": ""})),
                Some(_) => ResponseTemplate::new(400),
            },
        )
        .mount(&server)
        .await;
    let client = support::client(&server);
    let items: Vec<u64> = list(&client)
        .items()
        .try_collect()
        .await
        .expect("all pages");
    assert_eq!(items, [1, 2]);
    let sent = requests(&server).await;
    assert_eq!(sent[1].url.query(), Some("per_page=2&cursor=next%2B%2F%3D"));
}

#[tokio::test]
async fn a_server_ignoring_the_page_number_ends_with_repeated_page() {
    // Like Cloudflare's /accounts: `page` is ignored, page 1 comes back.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(
            json!([1, 2]),
            json!({"page": 1, "per_page": 2, "total_pages": 5}),
        ))
        .mount(&server)
        .await;
    let client = support::client(&server);

    let results: Vec<Result<u64, Error>> = list(&client).items().collect().await;

    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().ok(), Some(&1));
    assert_eq!(results[1].as_ref().ok(), Some(&2));
    assert!(
        matches!(results[2], Err(Error::RepeatedPage { page: 2 })),
        "{:?}",
        results[2]
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn identical_bodies_and_repeated_cursors_are_caught() {
    // No page numbers reported, the same body every time.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(page(json!([7]), json!({"per_page": 1})))
        .mount(&server)
        .await;
    let client = support::client(&server);
    let results: Vec<Result<u64, Error>> = list(&client).items().collect().await;
    assert!(
        matches!(results.last(), Some(Err(Error::RepeatedPage { page: 2 }))),
        "{results:?}"
    );
    assert_eq!(requests(&server).await.len(), 2);

    // The cursor that was sent comes back as the next one.
    let server = MockServer::start().await;
    let counter = Arc::new(AtomicU64::new(0));
    let seen = counter.clone();
    Mock::given(method("GET"))
        .respond_with(move |_: &Request| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            page(json!([n]), json!({"cursors": {"after": "same"}}))
        })
        .mount(&server)
        .await;
    let client = support::client(&server);
    let results: Vec<Result<u64, Error>> = list(&client).items().collect().await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(
        matches!(results[2], Err(Error::RepeatedPage { page: 3 })),
        "{results:?}"
    );
    assert_eq!(counter.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_endless_server_is_read_only_as_far_as_asked() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(|request: &Request| {
            let number: u64 = param(request, "page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            page(
                json!([number]),
                json!({"page": number, "per_page": 1, "total_pages": u64::MAX}),
            )
        })
        .mount(&server)
        .await;
    let client = support::client(&server);

    let first: Vec<u64> = list(&client)
        .items()
        .take(5)
        .try_collect()
        .await
        .expect("pages");

    assert_eq!(first, [1, 2, 3, 4, 5]);
    assert_eq!(requests(&server).await.len(), 5, "pages are fetched lazily");
}

#[tokio::test]
async fn an_error_ends_the_stream_after_being_yielded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            |request: &Request| match param(request, "page").as_deref() {
                None => page(
                    json!([1]),
                    json!({"page": 1, "per_page": 1, "total_pages": 3}),
                ),
                _ => ResponseTemplate::new(404).set_body_json(support::failure(1001, "gone")),
            },
        )
        .mount(&server)
        .await;
    let client = support::client(&server);

    let mut pages = list(&client).pages();
    let first = pages.next().await.expect("a first item").expect("page 1");
    assert_eq!(first.result, [1]);
    let error = pages
        .next()
        .await
        .expect("a second item")
        .expect_err("page 2 fails");
    assert_eq!(
        error.as_api().map(|e| e.codes()),
        Some(vec![apigen_runtime::ErrorCode::Int(1001)])
    );
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn build_errors_and_multipart_bodies_are_reported_by_the_stream() {
    let server = MockServer::start().await;
    let client = support::client(&server);

    let mut pages = client
        .call(Method::GET, "/zones/{zone}", decode::envelope::<Vec<u64>>)
        .pages();
    let error = pages
        .next()
        .await
        .expect("an item")
        .expect_err("zone unset");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(pages.next().await.is_none());

    let mut pages = client
        .call(Method::POST, "/upload", decode::envelope::<Vec<u64>>)
        .multipart_body(multipart::Form::new().text("a", "b"))
        .pages();
    let error = pages.next().await.expect("an item").expect_err("multipart");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(requests(&server).await.is_empty());
}
