//! Tracing: one span per request with method, path template, attempt and
//! status, and no secret anywhere in what is recorded.

use crate::support;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use apigen_runtime::{decode, Method};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A span as recorded: its name and fields.
#[derive(Clone, Debug, Default)]
struct SpanRecord {
    name: String,
    fields: BTreeMap<String, String>,
}

/// A subscriber that records every span and event in memory.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<BTreeMap<u64, SpanRecord>>>,
    events: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct FieldVisitor<'a>(&'a mut BTreeMap<String, String>);

impl Visit for FieldVisitor<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut record = SpanRecord {
            name: attributes.metadata().name().to_owned(),
            ..SpanRecord::default()
        };
        attributes.record(&mut FieldVisitor(&mut record.fields));
        self.spans.lock().expect("lock").insert(id, record);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(record) = self.spans.lock().expect("lock").get_mut(&span.into_u64()) {
            values.record(&mut FieldVisitor(&mut record.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut FieldVisitor(&mut fields));
        self.events
            .lock()
            .expect("lock")
            .push(format!("{fields:?}"));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn each_request_gets_a_span_without_secrets() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    // Other tests of this binary run on other threads with no subscriber: a
    // callsite they reach first may have cached "never" for everyone.
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(support::envelope(json!(null))))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = support::client(&server);

    client
        .call(Method::GET, "/zones/{zone_id}", decode::envelope::<()>)
        .path_param("zone_id", "secret-looking-zone")
        .await
        .expect("call succeeds");

    let spans = recorder.spans.lock().expect("lock").clone();
    let requests: Vec<&SpanRecord> = spans
        .values()
        .filter(|span| span.name == "apigen_request")
        .collect();
    assert_eq!(requests.len(), 1, "{spans:?}");
    let fields = &requests[0].fields;
    assert_eq!(fields.get("method").map(String::as_str), Some("GET"));
    assert_eq!(
        fields.get("path").map(String::as_str),
        Some("/zones/{zone_id}")
    );
    assert_eq!(fields.get("attempt").map(String::as_str), Some("2"));
    assert_eq!(fields.get("status").map(String::as_str), Some("200"));

    let everything = format!("{spans:?} {:?}", recorder.events.lock().expect("lock"));
    assert!(!everything.contains(support::TOKEN), "{everything}");
    assert!(!everything.contains("secret-looking-zone"), "{everything}");
}

#[tokio::test]
async fn transport_retries_are_logged_without_the_filled_path() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    // Other tests of this binary run on other threads with no subscriber: a
    // callsite they reach first may have cached "never" for everyone.
    tracing::callsite::rebuild_interest_cache();
    let (base_url, served) = support::raw_server(vec![
        None,
        Some(support::raw_json_response(
            "200 OK",
            &support::envelope(json!(null)),
        )),
    ])
    .await;
    let client = apigen_runtime::Client::builder()
        .base_url(base_url)
        .credentials(support::token(support::TOKEN))
        .retry_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        )
        .build()
        .expect("client builds");

    client
        .call(Method::GET, "/zones/{zone_id}", decode::envelope::<()>)
        .path_param("zone_id", "secret-looking-zone")
        .query_param("name", "private-query")
        .await
        .expect("retried");
    assert_eq!(served.await.ok(), Some(2));

    let events = recorder.events.lock().expect("lock").clone();
    assert!(
        events.iter().any(|event| event.contains("retrying")),
        "{events:?}"
    );
    let everything = format!("{:?} {events:?}", recorder.spans.lock().expect("lock"));
    for secret in [support::TOKEN, "secret-looking-zone", "private-query"] {
        assert!(!everything.contains(secret), "{secret}: {everything}");
    }
}

#[tokio::test]
async fn client_credentials_log_neither_the_secret_nor_the_token() {
    use apigen_runtime::{ClientCredentials, Credentials, SchemeKind, SecurityScheme};
    const OAUTH: SecurityScheme = SecurityScheme::new("oauth", SchemeKind::OAuth2);
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    tracing::callsite::rebuild_interest_cache();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "issued-token-42",
            "token_type": "bearer",
            "expires_in": 3600,
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let tokens = ClientCredentials::new(format!("{}/token", server.uri()), "id", "client-pw-7");
    let client = apigen_runtime::Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::new().with_token_provider(OAUTH, tokens))
        .build()
        .expect("client builds");

    // Two token requests, two API requests, a refresh: all logged.
    let error = client
        .call(Method::GET, "/things", decode::json::<serde_json::Value>)
        .await
        .expect_err("refused");
    assert!(!error.to_string().contains("issued-token-42"), "{error}");

    let events = recorder.events.lock().expect("lock").clone();
    assert!(
        events
            .iter()
            .any(|event| event.contains("OAuth2 access token")),
        "{events:?}"
    );
    let everything = format!("{:?} {events:?}", recorder.spans.lock().expect("lock"));
    for secret in ["client-pw-7", "issued-token-42"] {
        assert!(!everything.contains(secret), "{secret}: {everything}");
    }
}
