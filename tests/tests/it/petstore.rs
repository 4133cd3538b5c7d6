//! A corpus client, awaited: the Petstore of `tests/fixtures/corpus/`
//! generated untouched, against the loopback server the blocking test
//! (`tests/tests/blocking`) calls the same way from a plain `fn main`.

use petstore_fixture::Error;

#[path = "../scenarios/petstore.rs"]
mod scenarios;

#[tokio::test]
async fn the_corpus_petstore_reads_lists_creates_and_reports_errors() {
    let server = scenarios::server().await;
    let client = scenarios::client(&server);
    let pet = client.pet().get(7).await.expect("pet 7");
    let statuses = scenarios::statuses();
    let found = client.pet().find_by_status().list(&statuses).await;
    scenarios::check_pet(&pet, &found.expect("found"));
    let created = client.pet().create(&scenarios::rex()).await;
    assert_eq!(created.expect("created")["id"], 9);
    let Error::Api(missing) = client.pet().get(8).await.expect_err("404") else {
        panic!("an API error")
    };
    assert_eq!(missing.status.as_u16(), 404);
    scenarios::check(&server).await;
}
