//! Pagination read from the description, through generated code: the
//! client of `tests/fixtures/paging.yaml` streams every item of three pages
//! from a loopback server for each way of paging (cursor, last id, page
//! number, offset) and stops there. The servers and checks are in
//! `scenarios/paging.rs`, which the blocking client's tests share.

use futures_util::TryStreamExt;
use paging_fixture::Client;
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
