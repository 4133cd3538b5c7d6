//! The loopback servers of the paging fixture's tests (the client of
//! `tests/fixtures/paging.yaml`), shared by the async tests (`it/paging.rs`)
//! and the blocking ones (`blocking/main.rs`): each scenario is a server
//! and a check of what the client got and sent, so both ways of calling
//! meet the same server and the same expectations.

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The value of query parameter `name` of a request.
pub fn param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// A server answering `GET route` with `respond`.
pub async fn serve(
    route: &str,
    respond: impl Fn(&Request) -> Value + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(move |request: &Request| {
            ResponseTemplate::new(200).set_body_json(respond(request))
        })
        .mount(&server)
        .await;
    server
}

/// What each request sent as `name`.
pub async fn sent(server: &MockServer, name: &str) -> Vec<Option<String>> {
    let requests = server.received_requests().await.expect("recording");
    requests
        .iter()
        .map(|request| param(request, name))
        .collect()
}

/// `GET /events`: three pages by `cursor`, `meta.next_cursor` null on the
/// last. The client asks `.events().get().limit(2).items()`.
pub async fn cursor() -> MockServer {
    serve("/events", |request| {
        let (ids, next) = match param(request, "cursor").as_deref() {
            None => (vec!["e1", "e2"], json!("c2")),
            Some("c2") => (vec!["e3", "e4"], json!("c3")),
            Some("c3") => (vec!["e5"], Value::Null),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        json!({"data": data, "meta": {"next_cursor": next}})
    })
    .await
}

/// Every event's id, and the cursors and limits sent.
pub async fn check_cursor(server: &MockServer, ids: &[&str]) {
    assert_eq!(ids, ["e1", "e2", "e3", "e4", "e5"]);
    assert_eq!(
        sent(server, "cursor").await,
        [None, Some("c2".into()), Some("c3".into())]
    );
    assert_eq!(sent(server, "limit").await, vec![Some("2".to_owned()); 3]);
}

/// `GET /charges`: Stripe's `starting_after` the last id while `has_more`.
/// The client asks `.charges().get().pages()`.
pub async fn last_id() -> MockServer {
    serve("/charges", |request| {
        let (ids, more) = match param(request, "starting_after").as_deref() {
            None => (vec!["ch_1", "ch_2"], true),
            Some("ch_2") => (vec!["ch_3"], true),
            Some("ch_3") => (vec!["ch_4"], false),
            Some(other) => panic!("unexpected starting_after {other}"),
        };
        let data: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "amount": 100}))
            .collect();
        json!({"object": "list", "data": data, "has_more": more})
    })
    .await
}

/// The ids of each page's charges and whether the last says `has_more`.
pub async fn check_last_id(server: &MockServer, pages: &[Vec<&str>], last_has_more: bool) {
    assert_eq!(pages, [vec!["ch_1", "ch_2"], vec!["ch_3"], vec!["ch_4"]]);
    assert!(!last_has_more);
    assert_eq!(
        sent(server, "starting_after").await,
        [None, Some("ch_2".into()), Some("ch_3".into())]
    );
}

/// `GET /pets`: a bare array a page by `page`, empty after page 3. The
/// client asks `.pets().list().per_page(2).items()`.
pub async fn page_numbers() -> MockServer {
    serve("/pets", |request| {
        let page: u32 = param(request, "page")
            .and_then(|p| p.parse().ok())
            .expect("a page");
        let names: Vec<String> = match page {
            1..=3 => vec![format!("pet-{page}a"), format!("pet-{page}b")],
            _ => Vec::new(),
        };
        let pets: Vec<Value> = names.iter().map(|name| json!({"name": name})).collect();
        json!(pets)
    })
    .await
}

/// Every pet's name, and the pages asked for.
pub async fn check_page_numbers(server: &MockServer, names: &[&str]) {
    assert_eq!(
        names,
        ["pet-1a", "pet-1b", "pet-2a", "pet-2b", "pet-3a", "pet-3b"]
    );
    // The description's default (1) is asked for first; page 4 is empty.
    assert_eq!(
        sent(server, "page").await,
        ["1", "2", "3", "4"].map(|p| Some(p.to_owned()))
    );
}

/// `GET /books`: one book a page, `total_pages` 3. The client asks
/// `.books().get().items()`.
pub async fn total_pages() -> MockServer {
    serve("/books", |request| {
        let page: u32 = param(request, "page")
            .and_then(|p| p.parse().ok())
            .expect("a page");
        json!({"books": [format!("book-{page}")], "total_pages": 3})
    })
    .await
}

/// Every book, and no page asked for beyond the total.
pub async fn check_total_pages(server: &MockServer, books: &[String]) {
    assert_eq!(books, ["book-1", "book-2", "book-3"]);
    assert_eq!(
        sent(server, "page").await,
        ["1", "2", "3"].map(|p| Some(p.to_owned()))
    );
}

/// `GET /rows`: at most two rows a page by `offset`, `total` 5. The client
/// asks `.rows().get().limit(100).items()`.
pub async fn offsets() -> MockServer {
    serve("/rows", |request| {
        let offset: i64 = param(request, "offset")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        // The server gives at most two rows a page, whatever the limit.
        let rows: Vec<i64> = (offset..(offset + 2).min(5)).collect();
        json!({"rows": rows, "total": 5})
    })
    .await
}

/// Every row, and the offsets sent.
pub async fn check_offsets(server: &MockServer, rows: &[i64]) {
    assert_eq!(rows, [0, 1, 2, 3, 4]);
    assert_eq!(
        sent(server, "offset").await,
        [None, Some("2".into()), Some("4".into())]
    );
}
