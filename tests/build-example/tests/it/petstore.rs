//! The client `build.rs` generated, against a local server: requests go out
//! as the description says, responses come back typed.

use build_example::petstore::pets::{NewPet, PetStatus};
use build_example::petstore::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn lists_pets_with_the_query_and_decodes_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "1", "name": "Rex", "status": "available"},
            {"id": "2", "name": "Tom", "status": "adopted", "age": 3}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let pets = client(&server)
        .await
        .pets()
        .list()
        .limit(2)
        .await
        .expect("the call succeeds");
    assert_eq!(pets.len(), 2);
    assert_eq!(pets[0].name, "Rex");
    assert_eq!(pets[0].status, Some(PetStatus::Available));
    // A status the description does not list, and a field it does not
    // have, are kept.
    assert_eq!(pets[1].status, Some(PetStatus::Unknown("adopted".into())));
    assert_eq!(pets[1].extra.get("age"), Some(&json!(3)));
}

#[tokio::test]
async fn creates_a_pet_with_a_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(json!({"name": "Kit"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "7", "name": "Kit"})))
        .expect(1)
        .mount(&server)
        .await;
    let pet = client(&server)
        .await
        .pets()
        .create(&NewPet {
            name: "Kit".into(),
            tag: None,
            extra: Default::default(),
        })
        .await
        .expect("the call succeeds");
    assert_eq!(pet.id, "7");
}

#[tokio::test]
async fn reads_one_pet_by_path_and_reports_a_missing_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/a%20b"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "a b", "name": "Space"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/none"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no such pet"})))
        .mount(&server)
        .await;
    let client = client(&server).await;
    let pet = client.pets().get("a b").await.expect("the call succeeds");
    assert_eq!(pet.name, "Space");
    match client.pets().get("none").await {
        Err(Error::Api(error)) => assert_eq!(error.status.as_u16(), 404),
        other => panic!("expected an API error, got {other:?}"),
    }
}
