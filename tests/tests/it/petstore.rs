//! A corpus client, awaited: the Petstore of `tests/fixtures/corpus/`
//! generated untouched, against the loopback server the blocking test
//! (`tests/tests/blocking`) calls the same way from a plain `fn main`.

use petstore_fixture::pet::{FindPetsByStatusStatusItem, PetRequest};
use petstore_fixture::{Client, Credentials, Error};
use wiremock::MockServer;

#[path = "../scenarios/petstore.rs"]
mod scenarios;

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::api_key(scenarios::API_KEY).with_petstore_auth(scenarios::TOKEN))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn the_corpus_petstore_reads_lists_creates_and_reports_errors() {
    let server = scenarios::server().await;
    let client = client(&server);
    let pet = client.pet().get(7).await.expect("pet 7");
    assert_eq!((pet.id, pet.name.as_str()), (Some(7), "doggie"));
    assert_eq!(
        serde_json::to_value(&pet).expect("serializes"),
        scenarios::doggie()
    );
    let found = client
        .pet()
        .find_by_status()
        .list(&vec![
            FindPetsByStatusStatusItem::Available,
            FindPetsByStatusStatusItem::Sold,
        ])
        .await
        .expect("found");
    assert_eq!(found, [pet]);
    let created = client
        .pet()
        .create(&PetRequest::new("rex", vec![]))
        .await
        .expect("created");
    assert_eq!(created["id"], 9);
    let Error::Api(missing) = client.pet().get(8).await.expect_err("404") else {
        panic!("an API error")
    };
    assert_eq!(missing.status.as_u16(), 404);
    scenarios::check(&server).await;
}
