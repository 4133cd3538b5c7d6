//! Helpers shared by the integration tests: a client pointed at a wiremock
//! server, envelope builders and request inspection.

// Each test module uses a different subset of these helpers.
#![allow(dead_code)]

use std::time::Duration;

use apigen_runtime::{Client, ClientBuilder, Credentials, KeyLocation, SchemeKind, SecurityScheme};
use serde_json::{json, Value};
use wiremock::{MockServer, Request};

pub mod raw;

/// The API token the test clients use.
pub const TOKEN: &str = "test-token-do-not-log";

/// Cloudflare's security schemes, as a generated crate declares them.
pub const API_TOKEN: SecurityScheme = SecurityScheme::new("api_token", SchemeKind::Bearer);
pub const API_EMAIL: SecurityScheme = SecurityScheme::new(
    "api_email",
    SchemeKind::ApiKey(KeyLocation::Header, "X-Auth-Email"),
);
pub const API_KEY: SecurityScheme = SecurityScheme::new(
    "api_key",
    SchemeKind::ApiKey(KeyLocation::Header, "X-Auth-Key"),
);
pub const USER_SERVICE_KEY: SecurityScheme = SecurityScheme::new(
    "user_service_key",
    SchemeKind::ApiKey(KeyLocation::Header, "X-Auth-User-Service-Key"),
);

/// An API token.
pub fn token(token: &str) -> Credentials {
    Credentials::new().with(API_TOKEN, token)
}

/// An email with a global API key.
pub fn email_key(email: &str, key: &str) -> Credentials {
    Credentials::new().with(API_EMAIL, email).with(API_KEY, key)
}

/// A builder pointed at `server` with an API token and millisecond
/// backoff, so retry tests stay fast.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .credentials(token(TOKEN))
        .retry_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A client built from [`builder`].
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("test client builds")
}

/// A successful envelope around `result`.
pub fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

/// A failed envelope with one error.
pub fn failure(code: i64, message: &str) -> Value {
    json!({
        "success": false,
        "errors": [{"code": code, "message": message}],
        "messages": [],
        "result": null
    })
}

/// The requests the server received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is enabled")
}

/// The value of a header of a received request, as text.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The decoded query pairs of a received request.
pub fn query(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

/// A bare HTTP/1.1 server on loopback answering connection `i` with
/// `responses[i]` verbatim (`None` closes the connection without
/// answering), for cases wiremock can't produce: dropped connections and
/// chunked bodies. Returns its base URL and a handle giving how many
/// connections it accepted.
pub async fn raw_server(
    responses: Vec<Option<Vec<u8>>>,
) -> (String, tokio::task::JoinHandle<usize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("local address");
    let handle = tokio::spawn(async move {
        let mut accepted = 0;
        for response in responses {
            let Ok((mut socket, _)) = listener.accept().await else {
                break;
            };
            accepted += 1;
            let Some(response) = response else {
                drop(socket);
                continue;
            };
            // Read the request head (the tests send no bodies).
            let mut head = Vec::new();
            let mut buffer = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            let _ = socket.write_all(&response).await;
            let _ = socket.shutdown().await;
        }
        accepted
    });
    (format!("http://{address}"), handle)
}

/// A raw HTTP response with a JSON body and `Content-Length`.
pub fn raw_json_response(status: &str, body: &Value) -> Vec<u8> {
    let body = body.to_string();
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A raw HTTP response with a chunked body (no `Content-Length`) made of
/// `chunks` chunks of `chunk_size` bytes of `x`.
pub fn raw_chunked_response(chunks: usize, chunk_size: usize) -> Vec<u8> {
    let mut response =
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            .to_vec();
    for _ in 0..chunks {
        response.extend_from_slice(format!("{chunk_size:x}\r\n").as_bytes());
        response.extend(std::iter::repeat(b'x').take(chunk_size));
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    response
}
