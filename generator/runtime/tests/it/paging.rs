//! Description-driven pagination (`Paging`): cursors, last ids, page
//! numbers and offsets, each across three pages, and the stops.

use crate::support;

use apigen_runtime::{decode, Call, Client, Error, Method, Paging};
use futures_util::TryStreamExt;
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

/// What each request sent as `name`.
async fn sent(server: &MockServer, name: &str) -> Vec<Option<String>> {
    requests(server)
        .await
        .iter()
        .map(|request| param(request, name))
        .collect()
}

/// A server answering every GET with `respond`.
async fn server(respond: impl Fn(&Request) -> Value + Send + Sync + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(move |request: &Request| {
            ResponseTemplate::new(200).set_body_json(respond(request))
        })
        .mount(&server)
        .await;
    server
}

fn call(client: &Client) -> Call<Value> {
    client.call(Method::GET, "/things", decode::json::<Value>)
}

/// The items of a page whose items are in `data`.
fn data(page: Value) -> Vec<u64> {
    serde_json::from_value(page["data"].clone()).expect("numbers")
}

#[tokio::test]
async fn a_cursor_is_followed_until_the_response_has_none() {
    let server = server(|request| match param(request, "cursor").as_deref() {
        None => json!({"data": [1, 2], "meta": {"next_cursor": "b"}}),
        Some("b") => json!({"data": [3, 4], "meta": {"next_cursor": "c"}}),
        Some("c") => json!({"data": [5], "meta": {"next_cursor": null}}),
        Some(_) => json!({"data": [99], "meta": {"next_cursor": "x"}}),
    })
    .await;
    let client = support::client(&server);

    let items: Vec<u64> = call(&client)
        .items_with(
            Paging::cursor("cursor", &["meta", "next_cursor"]).items_at("data"),
            data,
        )
        .try_collect()
        .await
        .expect("three pages");

    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(
        sent(&server, "cursor").await,
        [None, Some("b".into()), Some("c".into())]
    );
}

#[tokio::test]
async fn a_cursor_stops_on_an_empty_page_and_refuses_a_repeated_one() {
    // An empty page ends the stream even though a cursor is given.
    let server_a = server(|request| match param(request, "after").as_deref() {
        None => json!({"data": [1], "next": "b"}),
        _ => json!({"data": [], "next": "c"}),
    })
    .await;
    let client = support::client(&server_a);
    let paging = Paging::cursor("after", &["next"]).items_at("data");
    let items: Vec<u64> = call(&client)
        .items_with(paging, data)
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(items, [1]);
    assert_eq!(requests(&server_a).await.len(), 2);

    // A server that keeps giving the cursor it was sent.
    let server_b = server(|request| {
        let n: u64 = param(request, "after").map_or(0, |_| 1);
        json!({"data": [n], "next": "same"})
    })
    .await;
    let client = support::client(&server_b);
    let results: Vec<Result<u64, Error>> =
        futures_util::StreamExt::collect(call(&client).items_with(paging, data)).await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(matches!(results[2], Err(Error::RepeatedPage { page: 3 })));
}

#[tokio::test]
async fn the_last_id_is_sent_while_has_more() {
    let server = server(
        |request| match param(request, "starting_after").as_deref() {
            None => json!({"data": [{"id": "a"}, {"id": "b"}], "has_more": true}),
            Some("b") => json!({"data": [{"id": "c"}], "has_more": true}),
            Some("c") => json!({"data": [{"id": "d"}], "has_more": false}),
            Some(_) => json!({"data": [{"id": "z"}], "has_more": true}),
        },
    )
    .await;
    let client = support::client(&server);

    let items: Vec<Value> = call(&client)
        .items_with(
            Paging::after_last_id("starting_after", "id", &["has_more"]).items_at("data"),
            |page| serde_json::from_value(page["data"].clone()).expect("array"),
        )
        .try_collect()
        .await
        .expect("three pages");

    let ids: Vec<&str> = items
        .iter()
        .filter_map(|item| item["id"].as_str())
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(
        sent(&server, "starting_after").await,
        [None, Some("b".into()), Some("c".into())]
    );
}

#[tokio::test]
async fn page_numbers_stop_at_total_pages() {
    let server = server(|request| {
        let page: u64 = param(request, "page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        json!({"data": [page * 10, page * 10 + 1], "meta": {"total_pages": 3}})
    })
    .await;
    let client = support::client(&server);

    let items: Vec<u64> = call(&client)
        .query_param("per_page", &2)
        .items_with(
            Paging::page("page", 1)
                .items_at("data")
                .total_pages(&["meta", "total_pages"]),
            data,
        )
        .try_collect()
        .await
        .expect("three pages");

    assert_eq!(items, [10, 11, 20, 21, 30, 31]);
    assert_eq!(
        sent(&server, "page").await,
        [Some("1".into()), Some("2".into()), Some("3".into())]
    );
}

#[tokio::test]
async fn page_numbers_of_a_bare_array_stop_on_an_empty_page() {
    let server = server(|request| {
        let page: u64 = param(request, "page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(99);
        if page < 3 {
            json!([page * 10, page * 10 + 1])
        } else {
            json!([])
        }
    })
    .await;
    let client = support::client(&server);

    let items: Vec<u64> = client
        .call(Method::GET, "/things", decode::json::<Vec<u64>>)
        .query_param("page", &1)
        .items_with(Paging::page("page", 0), |page| page)
        .try_collect()
        .await
        .expect("pages until the empty one");

    // The caller's page 1 is the start, not the description's 0.
    assert_eq!(items, [10, 11, 20, 21]);
    assert_eq!(
        sent(&server, "page").await,
        [Some("1".into()), Some("2".into()), Some("3".into())]
    );
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_the_stream_with_an_error() {
    let server = server(|_| json!([1, 2])).await;
    let client = support::client(&server);

    let results: Vec<Result<ApiPage, Error>> = futures_util::StreamExt::collect(
        client
            .call(Method::GET, "/things", decode::json::<Vec<u64>>)
            .pages_with(Paging::page("page", 1)),
    )
    .await;

    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(Error::RepeatedPage { page: 2 })));
}

type ApiPage = apigen_runtime::ApiResponse<Vec<u64>>;

#[tokio::test]
async fn offsets_advance_by_the_items_received_and_stop_at_the_total() {
    let server = server(|request| {
        let offset: u64 = param(request, "offset")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        // The server caps the page at 2 items whatever the limit.
        let data: Vec<u64> = (offset..(offset + 2).min(5)).collect();
        json!({"data": data, "total": 5})
    })
    .await;
    let client = support::client(&server);

    let items: Vec<u64> = call(&client)
        .query_param("limit", &10)
        .items_with(
            Paging::offset("offset").items_at("data").total(&["total"]),
            data,
        )
        .try_collect()
        .await
        .expect("three pages");

    assert_eq!(items, [0, 1, 2, 3, 4]);
    assert_eq!(
        sent(&server, "offset").await,
        [None, Some("2".into()), Some("4".into())]
    );
}

#[tokio::test]
async fn has_more_and_next_links_stop_page_numbers() {
    let server = server(|request| {
        let page: u64 = param(request, "page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        let next = (page < 3).then(|| format!("/things?page={}", page + 1));
        json!({"results": [page], "next": next})
    })
    .await;
    let client = support::client(&server);

    let pages: Vec<_> = call(&client)
        .pages_with(
            Paging::page("page", 1)
                .items_at("results")
                .next_link(&["next"]),
        )
        .try_collect()
        .await
        .expect("three pages");

    assert_eq!(pages.len(), 3);
    assert_eq!(pages[2].result["results"], json!([3]));
}

#[tokio::test]
async fn a_missing_last_id_is_an_error_not_a_silent_end() {
    let server = server(|_| json!({"data": [{"name": "no id"}], "has_more": true})).await;
    let client = support::client(&server);

    let results: Vec<Result<_, Error>> =
        futures_util::StreamExt::collect(call(&client).pages_with(
            Paging::after_last_id("starting_after", "id", &["has_more"]).items_at("data"),
        ))
        .await;

    assert_eq!(results.len(), 2);
    assert!(matches!(&results[1], Err(Error::InvalidRequest(message)) if message.contains("`id`")));
}

#[tokio::test]
async fn an_extra_has_more_stops_only_when_false() {
    let server = server(|request| {
        let page: u64 = param(request, "page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        match page {
            // No `has_more` at all: the stream goes on.
            1 => json!({"data": [1]}),
            2 => json!({"data": [2], "has_more": true}),
            _ => json!({"data": [page], "has_more": false}),
        }
    })
    .await;
    let client = support::client(&server);

    let items: Vec<u64> = call(&client)
        .items_with(
            Paging::page("page", 1).items_at("data").more(&["has_more"]),
            data,
        )
        .try_collect()
        .await
        .expect("three pages");

    assert_eq!(items, [1, 2, 3]);
    assert_eq!(requests(&server).await.len(), 3);
}
