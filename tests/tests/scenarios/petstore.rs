//! The loopback server of the corpus Petstore client's tests (the client
//! of `tests/fixtures/corpus/petstore.json`, readmeio's Petstore as the
//! corpus has it), shared by the async test (`it/petstore.rs`) and the
//! blocking one (`blocking/main.rs`): the same server and the same
//! expectations both ways.

use petstore_fixture::pet::{FindPetsByStatusStatusItem, Pet, PetRequest};
use petstore_fixture::{Client, Credentials};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The API key and token the calls carry.
pub const API_KEY: &str = "special-key";
pub const TOKEN: &str = "petstore-token";

/// The pet the server knows.
pub fn doggie() -> Value {
    json!({"id": 7, "name": "doggie", "photoUrls": ["a.png"], "status": "available",
           "tags": [{"id": 1, "name": "good"}]})
}

/// `GET /pet/7` (with the API key), `GET /pet/8` (404),
/// `GET /pet/findByStatus?status=available&status=sold` (exploded) and `POST /pet` (with the
/// OAuth2 token, the pet as JSON).
pub async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pet/7"))
        .and(header("api_key", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(doggie()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pet/8"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Pet not found"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pet/findByStatus"))
        .and(query_param("status", "available"))
        .and(query_param("status", "sold"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([doggie()])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pet"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(json!({"name": "rex", "photoUrls": []})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 9})))
        .mount(&server)
        .await;
    server
}

/// Every request reached a mock: none was answered by wiremock's 404 for
/// unmatched requests (a call with a wrong header or body).
pub async fn check(server: &MockServer) {
    let received = server.received_requests().await.expect("recorded");
    assert_eq!(received.len(), 4, "{received:?}");
}

/// A client of `server` with both credentials.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::api_key(API_KEY).with_petstore_auth(TOKEN))
        .build()
        .expect("client builds")
}

/// The statuses the list asks for.
pub fn statuses() -> Vec<FindPetsByStatusStatusItem> {
    vec![
        FindPetsByStatusStatusItem::Available,
        FindPetsByStatusStatusItem::Sold,
    ]
}

/// The pet the create sends.
pub fn rex() -> PetRequest {
    PetRequest::new("rex", vec![])
}

/// What the client read of pet 7, and the list that holds only it.
pub fn check_pet(pet: &Pet, found: &[Pet]) {
    assert_eq!((pet.id, pet.name.as_str()), (Some(7), "doggie"));
    assert_eq!(serde_json::to_value(pet).expect("serializes"), doggie());
    assert_eq!(found, std::slice::from_ref(pet));
}
