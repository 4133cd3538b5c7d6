//! Idempotency keys and default headers through generated code: the client
//! of `tests/fixtures/idempotency.yaml`, generated as `--header
//! 'Stripe-Version: 2020-08-27' --env bearerAuth=PAYMENTS_SECRET_KEY` would
//! (see `cargo xtask regen`), against a loopback server.

use std::time::Duration;

use idempotency_fixture::payment_intents::PaymentIntentParams;
use idempotency_fixture::{Client, Credentials};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering 500 to the first `failures` requests, then a
/// payment intent.
async fn serve(failures: u64) -> MockServer {
    let server = MockServer::start().await;
    if failures > 0 {
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(500))
            .up_to_n_times(failures)
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "pi_1"})))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer_auth("sk_test"))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .expect("client builds")
}

/// The values of header `name` of every request the server received.
async fn header(server: &MockServer, name: &str) -> Vec<Vec<String>> {
    let requests: Vec<Request> = server.received_requests().await.expect("recording");
    requests
        .iter()
        .map(|request| {
            request
                .headers
                .get_all(name)
                .iter()
                .filter_map(|value| value.to_str().ok().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn params() -> PaymentIntentParams {
    PaymentIntentParams::new(2000, "usd")
}

#[tokio::test]
async fn an_operation_that_declares_the_header_sends_a_key_by_default_and_is_retried() {
    let server = serve(1).await;
    let intent = client(&server)
        .payment_intents()
        .create(&params())
        .await
        .expect("retried after the 500");
    assert_eq!(intent.id, "pi_1");
    let keys = header(&server, "idempotency-key").await;
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert_eq!(keys[0].len(), 1, "{keys:?}");
    assert_eq!(keys[0][0].len(), 36, "a UUID: {keys:?}");
    assert_eq!(keys[0], keys[1], "the same key on the retry");

    // Another call, another key.
    let server2 = serve(0).await;
    client(&server2)
        .payment_intents()
        .create(&params())
        .await
        .expect("ok");
    let other = header(&server2, "idempotency-key").await;
    assert_ne!(other[0], keys[0]);
}

#[tokio::test]
async fn the_callers_key_wins_and_a_required_key_is_the_callers() {
    let server = serve(1).await;
    client(&server)
        .payment_intents()
        .create(&params())
        .idempotency_key("order-1234")
        .await
        .expect("retried");
    assert_eq!(
        header(&server, "idempotency-key").await,
        [["order-1234"], ["order-1234"]]
    );

    let server = serve(1).await;
    client(&server)
        .refunds()
        .create("refund-7")
        .await
        .expect("retried: the call carries its key");
    assert_eq!(
        header(&server, "x-idempotency-key").await,
        [["refund-7"], ["refund-7"]]
    );
}

#[tokio::test]
async fn an_operation_without_the_header_sends_no_key_and_is_not_retried() {
    let server = serve(1).await;
    let error = client(&server)
        .customers()
        .create()
        .email("a@example.com")
        .await
        .expect_err("the 500 is returned");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        header(&server, "idempotency-key").await,
        [Vec::<String>::new()]
    );
}

#[tokio::test]
async fn the_baked_in_header_reaches_the_wire_and_a_calls_header_replaces_it() {
    let server = serve(0).await;
    let client = client(&server);
    client.payment_intents().get("pi_1").await.expect("ok");
    client
        .payment_intents()
        .get("pi_1")
        .header("Stripe-Version", "2024-06-20")
        .await
        .expect("ok");
    assert_eq!(
        header(&server, "stripe-version").await,
        [["2020-08-27"], ["2024-06-20"]]
    );
}

#[tokio::test]
async fn from_env_reads_the_variable_named_on_the_command_line() {
    let server = serve(0).await;
    let client: Client = Client::builder()
        .from_env_lookup(|name| match name {
            "PAYMENTS_SECRET_KEY" => Some("sk_from_env".to_owned()),
            "IDEMPOTENCY_FIXTURE_BASE_URL" => Some(server.uri()),
            _ => None,
        })
        .build()
        .expect("client builds");
    client.payment_intents().get("pi_1").await.expect("ok");
    assert_eq!(
        header(&server, "authorization").await,
        [["Bearer sk_from_env"]]
    );
}

#[tokio::test]
async fn setters_take_what_people_write() {
    let server = serve(0).await;
    let client = client(&server);
    // A list from an array of `&str`, a number from an integer literal.
    client
        .payment_intents()
        .get("pi_1")
        .expand(["customer"])
        .amount_at_least(2)
        .await
        .expect("ok");
    client
        .payment_intents()
        .get("pi_1")
        .amount_at_least(2.5)
        .await
        .expect("ok");
    let requests: Vec<Request> = server.received_requests().await.expect("recording");
    let queries: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [
            Some("expand[]=customer&amount_at_least=2"),
            Some("amount_at_least=2.5")
        ]
    );
}
