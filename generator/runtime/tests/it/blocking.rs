//! Blocking calls (the `blocking` feature), made from plain threads with no
//! async runtime of their own; the loopback server runs on a runtime of
//! its own (`Server`), as another process would. A call, retries after
//! 503 and `Retry-After`, a rate-limit pause, several threads on one
//! client, pages and items as iterators, any stream of results as an
//! iterator, and a blocking call inside an async runtime refused clearly.

use std::time::{Duration, Instant};

use apigen_runtime::blocking::BlockingStream;
use apigen_runtime::{decode, Client, Error, Method};
use futures_util::stream;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{self, envelope};

/// A wiremock server with the runtime that mounts its mocks and reads its
/// requests; the test's own thread has no runtime.
struct Server {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
}

impl Server {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the server");
        let server = runtime.block_on(MockServer::start());
        Server { runtime, server }
    }

    fn mount(&self, mock: Mock) {
        self.runtime.block_on(mock.mount(&self.server));
    }

    fn requests(&self) -> Vec<wiremock::Request> {
        self.runtime.block_on(support::requests(&self.server))
    }

    fn client(&self) -> Client {
        support::client(&self.server)
    }
}

#[test]
fn a_call_waits_for_its_result_and_its_whole_response() {
    let server = Server::start();
    server.mount(
        Mock::given(method("GET"))
            .and(path("/zones/z1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!({"id": "z1"})))),
    );
    let client = server.client();

    let zone: Value = client
        .call(Method::GET, "/zones/{id}", decode::envelope)
        .path_param("id", "z1")
        .wait()
        .expect("the call succeeds");
    assert_eq!(zone, json!({"id": "z1"}));

    let response = client
        .call(Method::GET, "/zones/{id}", decode::envelope::<Value>)
        .path_param("id", "z1")
        .send_blocking()
        .expect("the call succeeds");
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.result, json!({"id": "z1"}));

    // Credentials go out as with `.await`.
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let bearer = format!("Bearer {}", support::TOKEN);
    assert!(requests
        .iter()
        .all(|request| support::header(request, "authorization") == Some(bearer.as_str())));
}

#[test]
fn a_waited_call_is_retried_as_an_awaited_one() {
    let server = Server::start();
    server.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
            .up_to_n_times(1)
            .with_priority(1),
    );
    server.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(envelope(json!("ok"))))
            .with_priority(2),
    );
    let client = server.client();

    let started = Instant::now();
    let value: String = client
        .call(Method::GET, "/x", decode::envelope)
        .wait()
        .expect("retried");
    assert_eq!(value, "ok");
    assert_eq!(server.requests().len(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After was waited for: {:?}",
        started.elapsed()
    );

    // A call that stays unanswered is the same error as when awaited.
    server.runtime.block_on(server.server.reset());
    server.mount(Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)));
    let error = client
        .call(Method::GET, "/x", decode::envelope::<String>)
        .max_retries(1)
        .wait()
        .expect_err("always 500");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(500));
    assert_eq!(server.requests().len(), 2, "one attempt and one retry");
}

#[test]
fn an_exhausted_rate_limit_pauses_a_waited_call() {
    let server = Server::start();
    server.mount(
        Mock::given(method("GET")).respond_with(
            ResponseTemplate::new(200)
                .insert_header("ratelimit", "\"default\";r=0;t=1")
                .set_body_json(envelope(json!("ok"))),
        ),
    );
    let client = server.client();
    let get = || {
        client
            .call(Method::GET, "/x", decode::envelope::<String>)
            .wait()
    };

    get().expect("first call");
    let started = Instant::now();
    get().expect("second call, after the pause");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "paused until the reset: {:?}",
        started.elapsed()
    );
}

#[test]
fn threads_share_one_client() {
    let server = Server::start();
    server.mount(Mock::given(method("GET")).and(path("/n")).respond_with(
        |request: &wiremock::Request| {
            let n: u32 = support::query(request)[0].1.parse().expect("a number");
            ResponseTemplate::new(200)
                .set_delay(Duration::from_millis(100))
                .set_body_json(envelope(json!(n * 2)))
        },
    ));
    let client = server.client();

    let started = Instant::now();
    let doubled: Vec<u32> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..8u32)
            .map(|n| {
                let client = &client;
                scope.spawn(move || {
                    client
                        .call(Method::GET, "/n", decode::envelope::<u32>)
                        .query_param("n", &n)
                        .wait()
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("no panic").expect("the call succeeds"))
            .collect()
    });
    assert_eq!(doubled, [0, 2, 4, 6, 8, 10, 12, 14]);
    // Eight calls of 100 ms each ran at the same time, not one by one.
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn pages_and_items_are_iterators() {
    let server = Server::start();
    for page in 1..=3u32 {
        let items: Vec<u32> = if page < 3 {
            vec![page * 10, page * 10 + 1]
        } else {
            vec![30]
        };
        let body = json!({
            "success": true, "errors": [], "messages": [], "result": items,
            "result_info": {"page": page, "per_page": 2, "total_pages": 3},
        });
        server.mount(
            Mock::given(method("GET"))
                .and(path("/items"))
                .and(query_param("page", page.to_string()))
                .respond_with(ResponseTemplate::new(200).set_body_json(body)),
        );
    }
    let client = server.client();
    let list = || {
        client
            .call(Method::GET, "/items", decode::envelope::<Vec<u32>>)
            .query_param("page", &1)
    };

    let items: Vec<u32> = list()
        .items()
        .blocking()
        .collect::<Result<_, _>>()
        .expect("every item");
    assert_eq!(items, [10, 11, 20, 21, 30]);

    // Lazily: one page fetched per page read.
    let mut pages = list().pages().blocking();
    let first = pages.next().expect("a page").expect("page 1");
    assert_eq!(first.result, [10, 11]);
    assert_eq!(server.requests().len(), 3 + 1);
    assert_eq!(pages.count(), 2);
    assert_eq!(server.requests().len(), 3 + 3);
}

#[test]
fn any_stream_of_results_is_an_iterator() {
    let server = Server::start();
    server.mount(Mock::given(method("GET")).and(path("/echo")).respond_with(
        |request: &wiremock::Request| {
            let n: u32 = support::query(request)[0].1.parse().expect("a number");
            ResponseTemplate::new(200).set_body_json(envelope(json!(n)))
        },
    ));
    let client = server.client();
    // A stream of its own (not the runtime's), each item a call.
    let calls = Box::pin(stream::unfold(0u32, |n| {
        let client = client.clone();
        async move {
            if n == 3 {
                return None;
            }
            let echoed = client
                .call(Method::GET, "/echo", decode::envelope::<u32>)
                .query_param("n", &n)
                .await;
            Some((echoed, n + 1))
        }
    }));

    let echoed: Vec<u32> = calls
        .blocking()
        .collect::<Result<_, Error>>()
        .expect("every call");
    assert_eq!(echoed, [0, 1, 2]);
}

#[test]
fn inside_an_async_runtime_a_blocking_call_is_refused_clearly() {
    let server = Server::start();
    let client = server.client();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");

    let (call, items) = runtime.block_on(async {
        let call = client
            .call(Method::GET, "/x", decode::envelope::<String>)
            .wait();
        let items: Vec<_> = client
            .call(Method::GET, "/x", decode::envelope::<Vec<u32>>)
            .items()
            .blocking()
            .collect();
        (call, items)
    });

    for error in [call.expect_err("refused")]
        .into_iter()
        .chain(items.into_iter().map(|item| item.expect_err("refused")))
    {
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert!(error.to_string().contains("`.await` the call"), "{error}");
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}
