//! Pagination read from the description, through generated code: the
//! client of `tests/fixtures/paging.yaml` streams every item of three pages
//! from a loopback server for each way of paging (cursor, last id, page
//! number, offset, Cloudflare's `result_info`, Stripe's search, a list of
//! union items) and stops there.

use futures_util::TryStreamExt;
use paging_fixture::sources::ListResponseDataItem;
use paging_fixture::Client;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The value of query parameter `name` of a request.
fn param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// A server answering `GET route` with `respond`.
async fn serve(
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

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

/// What each request sent as `name`.
async fn sent(server: &MockServer, name: &str) -> Vec<Option<String>> {
    let requests = server.received_requests().await.expect("recording");
    requests
        .iter()
        .map(|request| param(request, name))
        .collect()
}

#[tokio::test]
async fn a_cursor_streams_three_pages() {
    let server = serve("/events", |request| {
        let (ids, next) = match param(request, "cursor").as_deref() {
            None => (vec!["e1", "e2"], json!("c2")),
            Some("c2") => (vec!["e3", "e4"], json!("c3")),
            Some("c3") => (vec!["e5"], Value::Null),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        json!({"data": data, "meta": {"next_cursor": next}})
    })
    .await;

    let events: Vec<_> = client(&server)
        .events()
        .get()
        .limit(2)
        .items()
        .try_collect()
        .await
        .expect("every event");

    let ids: Vec<&str> = events.iter().map(|event| event.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2", "e3", "e4", "e5"]);
    assert_eq!(
        sent(&server, "cursor").await,
        [None, Some("c2".into()), Some("c3".into())]
    );
    assert_eq!(sent(&server, "limit").await, vec![Some("2".to_owned()); 3]);
}

#[tokio::test]
async fn the_last_id_streams_three_pages_while_has_more() {
    let server = serve("/charges", |request| {
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
    .await;

    let pages: Vec<_> = client(&server)
        .charges()
        .get()
        .pages()
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(pages.len(), 3);
    assert!(!pages[2].result.has_more);
    let ids: Vec<&str> = pages
        .iter()
        .flat_map(|page| page.result.data.iter().map(|charge| charge.id.as_str()))
        .collect();
    assert_eq!(ids, ["ch_1", "ch_2", "ch_3", "ch_4"]);
    assert_eq!(
        sent(&server, "starting_after").await,
        [None, Some("ch_2".into()), Some("ch_3".into())]
    );
}

#[tokio::test]
async fn page_numbers_of_an_array_stream_until_the_empty_page() {
    let server = serve("/pets", |request| {
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
    .await;

    let pets: Vec<_> = client(&server)
        .pets()
        .list()
        .per_page(2)
        .items()
        .try_collect()
        .await
        .expect("every pet");

    let names: Vec<&str> = pets.iter().map(|pet| pet.name.as_str()).collect();
    assert_eq!(
        names,
        ["pet-1a", "pet-1b", "pet-2a", "pet-2b", "pet-3a", "pet-3b"]
    );
    // The description's default (1) is asked for first; page 4 is empty.
    assert_eq!(
        sent(&server, "page").await,
        ["1", "2", "3", "4"].map(|p| Some(p.to_owned()))
    );
}

#[tokio::test]
async fn page_numbers_stop_at_total_pages_without_asking_for_more() {
    let server = serve("/books", |request| {
        let page: u32 = param(request, "page")
            .and_then(|p| p.parse().ok())
            .expect("a page");
        json!({"books": [format!("book-{page}")], "total_pages": 3})
    })
    .await;

    let books: Vec<String> = client(&server)
        .books()
        .get()
        .items()
        .try_collect()
        .await
        .expect("every book");

    assert_eq!(books, ["book-1", "book-2", "book-3"]);
    assert_eq!(
        sent(&server, "page").await,
        ["1", "2", "3"].map(|p| Some(p.to_owned()))
    );
}

#[tokio::test]
async fn offsets_stream_three_pages_and_stop_at_the_total() {
    let server = serve("/rows", |request| {
        let offset: i64 = param(request, "offset")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        // The server gives at most two rows a page, whatever the limit.
        let rows: Vec<i64> = (offset..(offset + 2).min(5)).collect();
        json!({"rows": rows, "total": 5})
    })
    .await;

    let rows: Vec<i64> = client(&server)
        .rows()
        .get()
        .limit(100)
        .items()
        .try_collect()
        .await
        .expect("every row");

    assert_eq!(rows, [0, 1, 2, 3, 4]);
    assert_eq!(
        sent(&server, "offset").await,
        [None, Some("2".into()), Some("4".into())]
    );
}

#[tokio::test]
async fn a_result_info_list_streams_its_pages_until_total_pages() {
    let server = serve("/zones", |request| {
        let page: u32 = param(request, "page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let ids: Vec<String> = match page {
            1 | 2 => vec![format!("z{page}a"), format!("z{page}b")],
            3 => vec!["z3a".to_owned()],
            other => panic!("page {other} was asked for after the last"),
        };
        let result: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        json!({
            "success": true, "errors": [], "messages": [], "result": result,
            "result_info": {"page": page, "per_page": 2, "count": ids.len(),
                            "total_count": 5, "total_pages": 3},
        })
    })
    .await;

    let zones: Vec<_> = client(&server)
        .zones()
        .list()
        .per_page(2)
        .items()
        .try_collect()
        .await
        .expect("every zone");

    let ids: Vec<&str> = zones.iter().map(|zone| zone.id.as_str()).collect();
    assert_eq!(ids, ["z1a", "z1b", "z2a", "z2b", "z3a"]);
    assert_eq!(
        sent(&server, "page").await,
        [None, Some("2".into()), Some("3".into())]
    );
    assert_eq!(
        sent(&server, "per_page").await,
        vec![Some("2".to_owned()); 3]
    );
}

#[tokio::test]
async fn a_search_sends_next_page_back_as_page() {
    let server = serve("/customers/search", |request| {
        assert_eq!(param(request, "query").as_deref(), Some("email:'a@b.c'"));
        let (ids, next) = match param(request, "page").as_deref() {
            None => (vec!["cus_1", "cus_2"], json!("p2")),
            Some("p2") => (vec!["cus_3", "cus_4"], json!("p3")),
            Some("p3") => (vec!["cus_5"], Value::Null),
            Some(other) => panic!("unexpected page {other}"),
        };
        let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        json!({"object": "search_result", "data": data, "has_more": !next.is_null(),
               "next_page": next, "total_count": 5})
    })
    .await;

    let pages: Vec<_> = client(&server)
        .customers()
        .search()
        .get("email:'a@b.c'")
        .limit(2)
        .pages()
        .try_collect()
        .await
        .expect("every page");

    assert_eq!(pages.len(), 3);
    let ids: Vec<&str> = pages
        .iter()
        .flat_map(|page| page.result.data.iter().map(|c| c.id.as_str()))
        .collect();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4", "cus_5"]);
    assert_eq!(
        sent(&server, "page").await,
        [None, Some("p2".into()), Some("p3".into())]
    );
}

#[tokio::test]
async fn a_list_of_union_items_pages_after_the_last_items_id() {
    let server = serve("/sources", |request| {
        let (data, more) = match param(request, "starting_after").as_deref() {
            None => (
                vec![
                    json!({"id": "card_1", "object": "card", "last4": "4242"}),
                    json!({"id": "ba_1", "object": "bank_account", "bank_name": "B"}),
                ],
                true,
            ),
            Some("ba_1") => (
                vec![json!({"id": "card_2", "object": "card", "last4": "0005"})],
                true,
            ),
            Some("card_2") => (
                vec![json!({"id": "ba_2", "object": "bank_account", "bank_name": "C"})],
                false,
            ),
            Some(other) => panic!("unexpected starting_after {other}"),
        };
        json!({"data": data, "has_more": more})
    })
    .await;

    let sources: Vec<ListResponseDataItem> = client(&server)
        .sources()
        .get()
        .items()
        .try_collect()
        .await
        .expect("every source");

    let ids: Vec<&str> = sources
        .iter()
        .map(|source| match source {
            ListResponseDataItem::Card(card) => card.id.as_str(),
            ListResponseDataItem::BankAccount(account) => account.id.as_str(),
            ListResponseDataItem::Unknown(other) => panic!("not decoded: {other}"),
        })
        .collect();
    assert_eq!(ids, ["card_1", "ba_1", "card_2", "ba_2"]);
    assert_eq!(
        sent(&server, "starting_after").await,
        [None, Some("ba_1".into()), Some("card_2".into())]
    );
}

#[test]
fn an_ambiguous_operation_gets_no_stream_and_says_why() {
    let api = include_str!("../../fixtures/paging/API.txt");
    let mixed = api
        .lines()
        .find(|line| line.starts_with("fn rows::Mixed::get("))
        .expect("the mixed operation");
    assert!(!mixed.contains("| pages "), "{mixed}");
    let source = include_str!("../../fixtures/paging/src/rows.rs");
    assert!(
        source.contains("Not paged automatically: the query parameters `cursor`, `page` page in"),
        "the note is in the method's docs"
    );
}
