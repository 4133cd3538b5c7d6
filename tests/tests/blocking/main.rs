//! Generated crates with their `blocking` feature, called from a plain
//! `fn main`: no async runtime of the program's (`harness = false`;
//! Cargo.toml). The paging fixture (`tests/fixtures/paging`): calls are
//! waited for and pages and items read as iterators. The streams fixture
//! (`tests/fixtures/streams`): server-sent events and NDJSON lines read as
//! iterators, an NDJSON body sent from an iterator. A corpus client (the
//! Petstore, `tests/fixtures/petstore`): reads, a list, a create and an
//! error, waited for. The servers and checks
//! are the async tests' (`scenarios/`), run on a runtime of their own, as
//! another process would.

use paging_fixture::runtime::blocking::BlockingStream;
use paging_fixture::Client;
use wiremock::MockServer;

#[path = "../scenarios/petstore.rs"]
mod petstore_scenarios;
#[path = "../scenarios/paging.rs"]
mod scenarios;
#[path = "../scenarios/streams.rs"]
mod stream_scenarios;

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

fn streams_client(server: &MockServer) -> streams_fixture::Client {
    streams_fixture::Client::builder()
        .base_url(server.uri())
        .credentials(streams_fixture::Credentials::bearer_auth("sk_test"))
        .build()
        .expect("client builds")
}

fn server_sent_events_are_an_iterator(servers: &Servers) {
    let server = servers.block_on(stream_scenarios::events());
    let client = streams_client(&server);
    let events: Vec<_> = client
        .streams()
        .events()
        .get("s1")
        .since(41)
        .stream()
        .blocking()
        .collect::<Result<_, _>>()
        .expect("every event");
    let data: Vec<_> = events.iter().map(|event| &event.data).collect();
    assert_eq!(
        data,
        [
            &streams_fixture::events::Token::new(0, "Hel"),
            &streams_fixture::events::Token::new(1, "lo")
        ]
    );
    assert_eq!(
        (events[0].event.as_str(), events[0].id.as_deref()),
        ("token", Some("42"))
    );
    // `.wait()` opens the stream; its events are read one at a time.
    let mut opened = client
        .streams()
        .events()
        .get("s1")
        .since(41)
        .wait()
        .expect("opened");
    let first = (&mut opened)
        .blocking()
        .next()
        .expect("an item")
        .expect("an event");
    assert_eq!(first.data.text, "Hel");
    assert_eq!(opened.last_event_id().as_deref(), Some("42"));
}

fn ndjson_lines_are_an_iterator(servers: &Servers) {
    let server = servers.block_on(stream_scenarios::rows(10_000));
    let mut rows = streams_client(&server).rows().get().wait().expect("opened");
    // `&mut` stream: the iterator borrows it, so it can be asked after.
    let ids: Vec<i64> = (&mut rows)
        .blocking()
        .map(|row| row.expect("a row").id)
        .collect();
    assert_eq!(ids, (1..=10_000).collect::<Vec<_>>());
    // One line at a time: far less than the 10,000 rows were ever held.
    assert!(
        rows.max_buffered_bytes() < 1024,
        "{}",
        rows.max_buffered_bytes()
    );
}

fn an_ndjson_body_is_sent_from_an_iterator(servers: &Servers) {
    let server = servers.block_on(stream_scenarios::import());
    let rows = (1..=3).map(|id| streams_fixture::rows::Row::new(id, format!("row {id}")));
    let imported = streams_client(&server)
        .rows()
        .create(streams_fixture::runtime::NdjsonBody::from_values(rows))
        .wait()
        .expect("imported");
    assert_eq!(imported.imported, 3);
    let bodies = servers.block_on(stream_scenarios::imported(&server));
    assert_eq!(bodies, [stream_scenarios::three_rows()]);
}

fn a_corpus_client_waits_for_reads_lists_creates_and_errors(servers: &Servers) {
    let server = servers.block_on(petstore_scenarios::server());
    let client = petstore_scenarios::client(&server);
    let pet = client.pet().get(7).wait().expect("pet 7");
    let statuses = petstore_scenarios::statuses();
    let found = client.pet().find_by_status().list(&statuses).wait();
    petstore_scenarios::check_pet(&pet, &found.expect("found"));
    let created = client.pet().create(&petstore_scenarios::rex()).wait();
    assert_eq!(created.expect("created")["id"], 9);
    let Err(petstore_fixture::Error::Api(missing)) = client.pet().get(8).wait() else {
        panic!("an API error")
    };
    assert_eq!(missing.status.as_u16(), 404);
    servers.block_on(petstore_scenarios::check(&server));
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
    let cases: [Case; 10] = [
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
        (
            "server_sent_events_are_an_iterator",
            server_sent_events_are_an_iterator,
        ),
        ("ndjson_lines_are_an_iterator", ndjson_lines_are_an_iterator),
        (
            "an_ndjson_body_is_sent_from_an_iterator",
            an_ndjson_body_is_sent_from_an_iterator,
        ),
        (
            "a_corpus_client_waits_for_reads_lists_creates_and_errors",
            a_corpus_client_waits_for_reads_lists_creates_and_errors,
        ),
    ];
    for (name, case) in cases {
        case(&servers);
        println!("test blocking::{name} ... ok");
    }
    println!(
        "{} blocking tests of the paging, streams and Petstore clients passed",
        cases.len()
    );
}
