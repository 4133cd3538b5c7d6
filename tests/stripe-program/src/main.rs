//! A program written as a Stripe user would, against the client apigen
//! generates from Stripe's description, on a plain `#[tokio::main]` with
//! the default stacks (8 MiB for `main`, 2 MiB for the runtime's workers):
//! create a customer with metadata, update it, read it back, list every
//! customer with automatic paging, expand a payment intent's customer and
//! read its id, and read a card error. A loopback
//! server answers as Stripe documents its wire format (form bodies with
//! bracketed keys, `starting_after` paging, `{"error": {..}}` bodies).
//!
//! Before generated types were bounded to 2 KiB, `Customer` was 209,432
//! bytes and this program overflowed its stack. `.ci/run` builds and runs it.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use serde_json::{json, Value};
use stripe::customers::{GetCustomersCustomerResponse, PostCustomersBody};
use stripe::payment_intents::PostPaymentIntentsBody;
use stripe::{Client, Credentials, Error};
use wiremock::matchers::{body_string_contains, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn customer(id: &str, name: &str) -> Value {
    json!({
        "id": id, "object": "customer", "created": 1_680_000_000, "livemode": false,
        "name": name, "email": "jenny@example.com", "metadata": {"order": "6735"},
        "address": {"city": "Paris", "country": "FR", "line1": null, "line2": null,
                    "postal_code": null, "state": null},
        "balance": 0, "currency": null, "delinquent": false, "invoice_prefix": "ABC123",
        "invoice_settings": {"custom_fields": null, "default_payment_method": null, "footer": null},
        "preferred_locales": [], "tax_exempt": "none"
    })
}

async fn stripe() -> MockServer {
    let server = MockServer::start().await;
    let ok = |body: Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("POST"))
        .and(path("/v1/customers"))
        .and(body_string_contains("metadata[order]=6735"))
        .and(body_string_contains("email=jenny%40example.com"))
        .respond_with(ok(customer("cus_1", "")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customers/cus_1"))
        .and(body_string_contains("name=Jenny%20Rosen"))
        .respond_with(ok(customer("cus_1", "Jenny Rosen")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers/cus_1"))
        .respond_with(ok(customer("cus_1", "Jenny Rosen")))
        .mount(&server)
        .await;
    let page = |ids: &[&str], more: bool| {
        let data: Vec<Value> = ids.iter().map(|id| customer(id, "")).collect();
        json!({"object": "list", "url": "/v1/customers", "has_more": more, "data": data})
    };
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(ok(page(&["cus_1", "cus_2"], true)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/customers"))
        .and(query_param("starting_after", "cus_2"))
        .respond_with(ok(page(&["cus_3"], false)))
        .mount(&server)
        .await;
    let intent = json!({
        "id": "pi_1", "object": "payment_intent", "amount": 2000, "currency": "eur",
        "capture_method": "automatic", "confirmation_method": "automatic",
        "created": 1_680_000_000, "livemode": false, "payment_method_types": ["card"],
        "status": "succeeded", "customer": customer("cus_1", "Jenny Rosen")
    });
    Mock::given(method("GET"))
        .and(path("/v1/payment_intents/pi_1"))
        .and(query_param("expand[]", "customer"))
        .respond_with(ok(intent))
        .mount(&server)
        .await;
    let card_error = json!({"error": {
        "type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
        "message": "Your card has insufficient funds.", "param": ""
    }});
    Mock::given(method("POST"))
        .and(path("/v1/payment_intents"))
        .respond_with(ResponseTemplate::new(402).set_body_json(card_error))
        .mount(&server)
        .await;
    server
}

async fn session(client: Client) -> Result<(), Error> {
    let customers = client.customers();
    let body = PostCustomersBody {
        email: Some("jenny@example.com".into()),
        metadata: Some(BTreeMap::from([("order".to_owned(), "6735".to_owned())]).into()),
        ..Default::default()
    };
    let created = customers.create(Some(&body)).await?;
    assert_eq!(created.id, "cus_1");

    let update = stripe::customers::PostCustomersCustomerBody {
        name: Some("Jenny Rosen".into()),
        ..Default::default()
    };
    let updated = customers.update(&created.id, Some(&update)).await?;
    // A response reads a nullable field with one `Option`.
    assert_eq!(updated.name.as_deref(), Some("Jenny Rosen"));

    match customers.get("cus_1").await? {
        Some(GetCustomersCustomerResponse::Customer(found)) => assert_eq!(found.id, "cus_1"),
        other => panic!("not a customer: {other:?}"),
    }

    let ids: Vec<String> = customers
        .list()
        .items()
        .map_ok(|customer| customer.id)
        .try_collect()
        .await?;
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3"]);

    // An expanded customer: its id and the whole object.
    let paid = client
        .payment_intents()
        .get("pi_1")
        .expand(["customer"])
        .await?;
    let customer = paid.customer.expect("a customer");
    assert!(customer.is_expanded());
    assert_eq!(customer.id(), "cus_1");

    let intent = PostPaymentIntentsBody::new(2000, "eur");
    match client.payment_intents().create(&intent).await {
        Err(Error::Api(error)) => {
            assert!(error.has_code("card_declined"), "{error:?}");
            assert_eq!(error.errors[0].message, "Your card has insufficient funds.");
        }
        other => panic!("expected a card error, got {other:?}"),
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let server = stripe().await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer_auth("sk_test_123"))
        .build()?;
    // On the main thread's stack, then on a worker's (2 MiB).
    if let Err(error) = session(client.clone()).await {
        for request in server.received_requests().await.unwrap_or_default() {
            let body = String::from_utf8_lossy(&request.body);
            eprintln!("received: {} {} {body}", request.method, request.url);
        }
        return Err(error);
    }
    tokio::spawn(session(client))
        .await
        .expect("the session on a worker thread finished")?;
    println!("stripe program: every call answered on the default stacks");
    Ok(())
}
