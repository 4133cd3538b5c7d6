//! The loopback servers of the Petstore client's tests, shared by the async
//! tests (`it/petstore.rs`) and the blocking ones (`blocking/main.rs`): each
//! scenario mounts what the server answers and checks what the client got,
//! so both ways of calling meet the same server and expectations.

use build_example::petstore::pets::{NewPet, Pet, PetStatus};
use build_example::petstore::{Client, Error};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client of `server` that does not retry.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("client builds")
}

/// `GET /pets?limit=2`, asked once: two pets, one with a status the
/// description does not list and a field it does not have. The client asks
/// `.pets().list().limit(2)`.
pub async fn list_pets(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/pets"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "1", "name": "Rex", "status": "available"},
            {"id": "2", "name": "Tom", "status": "adopted", "age": 3}
        ])))
        .expect(1)
        .mount(server)
        .await;
}

/// The pets of [`list_pets`], decoded.
pub fn check_list_pets(pets: &[Pet]) {
    assert_eq!(pets.len(), 2);
    assert_eq!(pets[0].name, "Rex");
    assert_eq!(pets[0].status, Some(PetStatus::Available));
    // A status the description does not list, and a field it does not
    // have, are kept.
    assert_eq!(pets[1].status, Some(PetStatus::Unknown("adopted".into())));
    assert_eq!(pets[1].extra.get("age"), Some(&json!(3)));
}

/// `POST /pets` with `{"name": "Kit"}`, asked once: pet 7. The client sends
/// [`new_pet`].
pub async fn create_pet(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(body_json(json!({"name": "Kit"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "7", "name": "Kit"})))
        .expect(1)
        .mount(server)
        .await;
}

/// The body of [`create_pet`].
pub fn new_pet() -> NewPet {
    NewPet {
        name: "Kit".into(),
        tag: None,
        extra: Default::default(),
    }
}

/// `GET /pets/a%20b` is a pet, `GET /pets/none` a 404. The client asks
/// `.pets().get("a b")` and `.pets().get("none")`.
pub async fn get_pets(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/pets/a%20b"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "a b", "name": "Space"})),
        )
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/none"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "no such pet"})))
        .mount(server)
        .await;
}

/// The answers of [`get_pets`]: the pet, and the 404 as an API error.
pub fn check_get_pets(found: Result<Pet, Error>, missing: Result<Pet, Error>) {
    assert_eq!(found.expect("the call succeeds").name, "Space");
    match missing {
        Err(Error::Api(error)) => assert_eq!(error.status.as_u16(), 404),
        other => panic!("expected an API error, got {other:?}"),
    }
}
