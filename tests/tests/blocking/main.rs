//! A generated crate with its `blocking` feature (the paging fixture,
//! `tests/fixtures/paging`), called from a plain `fn main`: no async
//! runtime of the program's (`harness = false`; Cargo.toml). Calls are
//! waited for and pages and items read as iterators; the servers and
//! checks are the async tests' (`scenarios/paging.rs`), run on a runtime of
//! their own, as another process would.

use paging_fixture::runtime::blocking::BlockingStream;
use paging_fixture::Client;
use wiremock::MockServer;

#[path = "../scenarios/paging.rs"]
mod scenarios;

/// The runtime the servers are started and checked on; the calls are made
/// outside it.
type Servers = tokio::runtime::Runtime;

/// A named check, run in order by `main`.
type Case = (&'static str, fn(&Servers));

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

fn a_call_waits_for_one_page(servers: &Servers) {
    let server = servers.block_on(scenarios::cursor());
    let page = client(&server)
        .events()
        .get()
        .limit(2)
        .wait()
        .expect("the first page");
    let ids: Vec<&str> = page.data.iter().map(|event| event.id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2"]);
    let response = client(&server)
        .events()
        .get()
        .limit(2)
        .send_blocking()
        .expect("the first page");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.result.data.len(), 2);
}

fn a_cursor_streams_three_pages(servers: &Servers) {
    let server = servers.block_on(scenarios::cursor());
    let events: Vec<_> = client(&server)
        .events()
        .get()
        .limit(2)
        .items()
        .blocking()
        .collect::<Result<_, _>>()
        .expect("every event");
    let ids: Vec<&str> = events.iter().map(|event| event.id.as_str()).collect();
    servers.block_on(scenarios::check_cursor(&server, &ids));
}

fn the_last_id_streams_three_pages_while_has_more(servers: &Servers) {
    let server = servers.block_on(scenarios::last_id());
    let pages: Vec<_> = client(&server)
        .charges()
        .get()
        .pages()
        .blocking()
        .collect::<Result<_, _>>()
        .expect("every page");
    let ids: Vec<Vec<&str>> = pages
        .iter()
        .map(|page| page.result.data.iter().map(|c| c.id.as_str()).collect())
        .collect();
    let last_has_more = pages.last().is_some_and(|page| page.result.has_more);
    servers.block_on(scenarios::check_last_id(&server, &ids, last_has_more));
}

fn page_numbers_of_an_array_stream_until_the_empty_page(servers: &Servers) {
    let server = servers.block_on(scenarios::page_numbers());
    let pets: Vec<_> = client(&server)
        .pets()
        .list()
        .per_page(2)
        .items()
        .blocking()
        .collect::<Result<_, _>>()
        .expect("every pet");
    let names: Vec<&str> = pets.iter().map(|pet| pet.name.as_str()).collect();
    servers.block_on(scenarios::check_page_numbers(&server, &names));
}

fn page_numbers_stop_at_total_pages_without_asking_for_more(servers: &Servers) {
    let server = servers.block_on(scenarios::total_pages());
    let books: Vec<String> = client(&server)
        .books()
        .get()
        .items()
        .blocking()
        .collect::<Result<_, _>>()
        .expect("every book");
    servers.block_on(scenarios::check_total_pages(&server, &books));
}

fn offsets_stream_three_pages_and_stop_at_the_total(servers: &Servers) {
    let server = servers.block_on(scenarios::offsets());
    let rows: Vec<i64> = client(&server)
        .rows()
        .get()
        .limit(100)
        .items()
        .blocking()
        .collect::<Result<_, _>>()
        .expect("every row");
    servers.block_on(scenarios::check_offsets(&server, &rows));
}

fn main() {
    assert!(
        tokio::runtime::Handle::try_current().is_err(),
        "a plain main has no async runtime"
    );
    let servers = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the servers");
    let cases: [Case; 6] = [
        ("a_call_waits_for_one_page", a_call_waits_for_one_page),
        ("a_cursor_streams_three_pages", a_cursor_streams_three_pages),
        (
            "the_last_id_streams_three_pages_while_has_more",
            the_last_id_streams_three_pages_while_has_more,
        ),
        (
            "page_numbers_of_an_array_stream_until_the_empty_page",
            page_numbers_of_an_array_stream_until_the_empty_page,
        ),
        (
            "page_numbers_stop_at_total_pages_without_asking_for_more",
            page_numbers_stop_at_total_pages_without_asking_for_more,
        ),
        (
            "offsets_stream_three_pages_and_stop_at_the_total",
            offsets_stream_three_pages_and_stop_at_the_total,
        ),
    ];
    for (name, case) in cases {
        case(&servers);
        println!("test blocking::{name} ... ok");
    }
    println!(
        "{} blocking tests of the paging fixture passed",
        cases.len()
    );
}
