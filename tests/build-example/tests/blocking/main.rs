//! The client `build.rs` generated, called with blocking calls (the
//! runtime's `blocking` feature) from a plain `fn main`: no async runtime
//! of the program's (`harness = false`; Cargo.toml). The servers and
//! checks are the async tests' (`scenarios/petstore.rs`); the servers run
//! on a runtime of their own, as another process would.

use wiremock::MockServer;

#[path = "../scenarios/petstore.rs"]
mod scenarios;

use scenarios::client;

/// The runtime the servers are started and checked on; the calls are made
/// outside it.
type Servers = tokio::runtime::Runtime;

/// A named check, run in order by `main`.
type Case = (&'static str, fn(&Servers));

fn lists_pets_with_the_query_and_decodes_them(servers: &Servers) {
    let server = servers.block_on(MockServer::start());
    servers.block_on(scenarios::list_pets(&server));
    let pets = client(&server)
        .pets()
        .list()
        .limit(2)
        .wait()
        .expect("the call succeeds");
    scenarios::check_list_pets(&pets);
    // `expect(1)` of the scenario is verified when the server is dropped.
    servers.block_on(server.verify());
}

fn creates_a_pet_with_a_json_body(servers: &Servers) {
    let server = servers.block_on(MockServer::start());
    servers.block_on(scenarios::create_pet(&server));
    let response = client(&server)
        .pets()
        .create(&scenarios::new_pet())
        .send_blocking()
        .expect("the call succeeds");
    assert_eq!(response.status.as_u16(), 201);
    assert_eq!(response.result.id, "7");
    servers.block_on(server.verify());
}

fn reads_one_pet_by_path_and_reports_a_missing_one(servers: &Servers) {
    let server = servers.block_on(MockServer::start());
    servers.block_on(scenarios::get_pets(&server));
    let client = client(&server);
    let found = client.pets().get("a b").wait();
    let missing = client.pets().get("none").wait();
    scenarios::check_get_pets(found, missing);
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
    let cases: [Case; 3] = [
        (
            "lists_pets_with_the_query_and_decodes_them",
            lists_pets_with_the_query_and_decodes_them,
        ),
        (
            "creates_a_pet_with_a_json_body",
            creates_a_pet_with_a_json_body,
        ),
        (
            "reads_one_pet_by_path_and_reports_a_missing_one",
            reads_one_pet_by_path_and_reports_a_missing_one,
        ),
    ];
    for (name, case) in cases {
        case(&servers);
        println!("test blocking::{name} ... ok");
    }
    println!(
        "{} blocking tests of the Petstore client passed",
        cases.len()
    );
}
