//! Pagination read from the description, through generated code: the
//! client of `tests/fixtures/paging.yaml` streams every item of three pages
//! from a loopback server for each way of paging (cursor, last id, page
//! number, offset, Cloudflare's `result_info`, Stripe's search, a list of
//! union items) and stops there. The servers and checks are in
//! `scenarios/paging.rs`, which the blocking client's tests share.

use futures_util::TryStreamExt;
use paging_fixture::sources::ListResponseDataItem;
use paging_fixture::Client;
use scenarios::{param, sent, serve};
use serde_json::{json, Value};
use wiremock::MockServer;

#[path = "../scenarios/paging.rs"]
mod scenarios;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn a_cursor_streams_three_pages() {
    let server = scenarios::cursor().await;
    let events: Vec<_> = client(&server)
        .events()
        .get()
        .limit(2)
        .items()
        .try_collect()
        .await
        .expect("every event");
    let ids: Vec<&str> = events.iter().map(|event| event.id.as_str()).collect();
    scenarios::check_cursor(&server, &ids).await;
}

#[tokio::test]
async fn the_last_id_streams_three_pages_while_has_more() {
    let server = scenarios::last_id().await;
    let pages: Vec<_> = client(&server)
        .charges()
        .get()
        .pages()
        .try_collect()
        .await
        .expect("every page");
    let ids: Vec<Vec<&str>> = pages
        .iter()
        .map(|page| page.result.data.iter().map(|c| c.id.as_str()).collect())
        .collect();
    let last_has_more = pages.last().is_some_and(|page| page.result.has_more);
    scenarios::check_last_id(&server, &ids, last_has_more).await;
}

#[tokio::test]
async fn page_numbers_of_an_array_stream_until_the_empty_page() {
    let server = scenarios::page_numbers().await;
    let pets: Vec<_> = client(&server)
        .pets()
        .list()
        .per_page(2)
        .items()
        .try_collect()
        .await
        .expect("every pet");
    let names: Vec<&str> = pets.iter().map(|pet| pet.name.as_str()).collect();
    scenarios::check_page_numbers(&server, &names).await;
}

#[tokio::test]
async fn page_numbers_stop_at_total_pages_without_asking_for_more() {
    let server = scenarios::total_pages().await;
    let books: Vec<String> = client(&server)
        .books()
        .get()
        .items()
        .try_collect()
        .await
        .expect("every book");
    scenarios::check_total_pages(&server, &books).await;
}

#[tokio::test]
async fn offsets_stream_three_pages_and_stop_at_the_total() {
    let server = scenarios::offsets().await;
    let rows: Vec<i64> = client(&server)
        .rows()
        .get()
        .limit(100)
        .items()
        .try_collect()
        .await
        .expect("every row");
    scenarios::check_offsets(&server, &rows).await;
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
