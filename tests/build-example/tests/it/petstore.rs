//! The client `build.rs` generated, against a local server: requests go out
//! as the description says, responses come back typed. The servers and
//! checks are in `scenarios/petstore.rs`, which the blocking tests share.

use wiremock::MockServer;

#[path = "../scenarios/petstore.rs"]
mod scenarios;

use scenarios::client;

#[tokio::test]
async fn lists_pets_with_the_query_and_decodes_them() {
    let server = MockServer::start().await;
    scenarios::list_pets(&server).await;
    let pets = client(&server)
        .pets()
        .list()
        .limit(2)
        .await
        .expect("the call succeeds");
    scenarios::check_list_pets(&pets);
}

#[tokio::test]
async fn creates_a_pet_with_a_json_body() {
    let server = MockServer::start().await;
    scenarios::create_pet(&server).await;
    let pet = client(&server)
        .pets()
        .create(&scenarios::new_pet())
        .await
        .expect("the call succeeds");
    assert_eq!(pet.id, "7");
}

#[tokio::test]
async fn reads_one_pet_by_path_and_reports_a_missing_one() {
    let server = MockServer::start().await;
    scenarios::get_pets(&server).await;
    let client = client(&server);
    let found = client.pets().get("a b").await;
    let missing = client.pets().get("none").await;
    scenarios::check_get_pets(found, missing);
}
