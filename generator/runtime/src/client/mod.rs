//! The client layer: the public [`Client`] (a handle on the transport
//! shared by all calls) with [`Client::call`], the entry point every API
//! operation goes through; its [`ClientBuilder`] (base URL from a
//! [`Server`], settings and credentials, checked before anything is sent);
//! and the environment variables it reads ([`EnvVars`]).
//!
//! **Layer rule:** the client is the top layer: it may use `call`,
//! `transport`, `credentials`, `security` and the value modules below
//! them; nothing in the crate but `lib.rs` uses it. `tests/it/layers.rs`
//! checks this (the order is `LAYERS` there).

mod builder;
mod env;

use std::fmt;

use reqwest::Method;
use serde::de::DeserializeOwned;

pub use builder::{ClientBuilder, Server};
pub use env::EnvVars;

use crate::call::Call;
use crate::credentials::Credentials;
use crate::decode;
use crate::error::Error;
use crate::response::{ApiResponse, RawResponse};
use crate::transport::{RateLimit, Transport};

/// An API client. Cheap to clone: clones share the connection pool,
/// configuration and rate-limit state.
///
/// `Debug` never shows credentials.
#[derive(Clone)]
pub struct Client {
    /// The configuration, connection pool and rate-limit state, shared
    /// with every clone and every call.
    transport: Transport,
}

impl Client {
    /// A builder with the defaults (see [`ClientBuilder`]).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// Starts a call to an API operation.
    ///
    /// Generated clients call this for every operation; it is also the way
    /// to reach endpoints the OpenAPI document lacks. `path_template` is
    /// relative to the base URL, with `{name}` placeholders filled by
    /// [`Call::path_param`]; `decode` turns the successful response into the
    /// result (see [`decode`](crate::decode)).
    ///
    /// ```no_run
    /// use apigen_runtime::{decode, Client, Credentials, Method, SchemeKind, SecurityScheme};
    ///
    /// const API_TOKEN: SecurityScheme = SecurityScheme::new("api_token", SchemeKind::Bearer);
    ///
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Thing {
    ///     id: String,
    /// }
    ///
    /// # async fn example() -> Result<(), apigen_runtime::Error> {
    /// let client = Client::builder()
    ///     .base_url("https://api.example.com/v1")
    ///     .credentials(Credentials::new().with(API_TOKEN, "..."))
    ///     .build()?;
    ///
    /// // Just the result:
    /// let thing: Thing = client
    ///     .call(Method::GET, "/accounts/{account_id}/things/{id}", decode::envelope::<Thing>)
    ///     .path_param("account_id", "023e105f4ecef8ad9ca31a8372d0c353")
    ///     .path_param("id", "42")
    ///     .query_param("verbose", &true)
    ///     .security(&[&["api_token"]])
    ///     .await?;
    ///
    /// // The whole response, with messages and result_info:
    /// let response = client
    ///     .call(Method::POST, "/accounts/{account_id}/things", decode::envelope::<Thing>)
    ///     .path_param("account_id", "023e105f4ecef8ad9ca31a8372d0c353")
    ///     .json_body(&serde_json::json!({ "name": "example" }))
    ///     .send()
    ///     .await?;
    /// println!("{:?} {:?}", response.result, response.messages);
    /// # Ok(())
    /// # }
    /// ```
    pub fn call<T>(
        &self,
        method: Method,
        path_template: &'static str,
        decode: fn(RawResponse) -> Result<ApiResponse<T>, Error>,
    ) -> Call<T> {
        Call::new(self.transport.clone(), method, path_template, decode)
    }

    /// Starts a call whose response is a stream: an
    /// [`EventStream`](crate::EventStream) of server-sent events or an
    /// [`NdjsonStream`](crate::NdjsonStream) of newline-delimited JSON
    /// values. [`Call::stream`] gives the stream, opened when first
    /// polled; awaiting the call opens it first (so an error answer comes
    /// from the `.await`), and [`Call::send`] gives it with the status and
    /// headers.
    ///
    /// ```no_run
    /// # use apigen_runtime::{Client, EventStream, Method};
    /// # async fn example(client: Client) -> Result<(), apigen_runtime::Error> {
    /// use futures_util::StreamExt as _;
    ///
    /// let mut events: EventStream<serde_json::Value> =
    ///     client.stream_call(Method::GET, "/events").await?;
    /// while let Some(event) = events.next().await {
    ///     let event = event?;
    ///     println!("{}: {}", event.event, event.data);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream_call<S: crate::stream::Streamed>(
        &self,
        method: Method,
        path_template: &'static str,
    ) -> Call<S> {
        Call::new_stream(self.transport.clone(), method, path_template)
    }

    /// Starts a `GET` call whose JSON response is decoded as the client's
    /// responses are: the envelope's `result` when the builder set
    /// [`envelope`](ClientBuilder::envelope), the whole body otherwise.
    /// The same as [`call`](Self::call) with that decoder; generated
    /// clients start most operations this way.
    ///
    /// ```no_run
    /// # async fn example(client: apigen_runtime::Client) -> Result<(), apigen_runtime::Error> {
    /// let zone: serde_json::Value = client
    ///     .get("/zones/{zone_id}")
    ///     .path_param("zone_id", "023e105f4ecef8ad9ca31a8372d0c353")
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn get<T: DeserializeOwned>(&self, path_template: &'static str) -> Call<T> {
        self.json_call(Method::GET, path_template)
    }

    /// Starts a `POST` call decoded as [`get`](Self::get) says.
    pub fn post<T: DeserializeOwned>(&self, path_template: &'static str) -> Call<T> {
        self.json_call(Method::POST, path_template)
    }

    /// Starts a `PUT` call decoded as [`get`](Self::get) says.
    pub fn put<T: DeserializeOwned>(&self, path_template: &'static str) -> Call<T> {
        self.json_call(Method::PUT, path_template)
    }

    /// Starts a `PATCH` call decoded as [`get`](Self::get) says.
    pub fn patch<T: DeserializeOwned>(&self, path_template: &'static str) -> Call<T> {
        self.json_call(Method::PATCH, path_template)
    }

    /// Starts a `DELETE` call decoded as [`get`](Self::get) says.
    pub fn delete<T: DeserializeOwned>(&self, path_template: &'static str) -> Call<T> {
        self.json_call(Method::DELETE, path_template)
    }

    /// A call decoding JSON as the client is configured to.
    fn json_call<T: DeserializeOwned>(
        &self,
        method: Method,
        path_template: &'static str,
    ) -> Call<T> {
        if self.transport.config().envelope {
            self.call(method, path_template, decode::envelope)
        } else {
            self.call(method, path_template, decode::json)
        }
    }

    /// The base URL requests go to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        &self.transport.config().base_url
    }

    /// The configured credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.transport.config().credentials
    }

    /// The rate-limit state the server last reported, if it sent any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.transport.rate_limit()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = self.transport.config();
        f.debug_struct("Client")
            .field("base_url", &config.base_url)
            .field("credentials", &config.credentials)
            .field("timeout", &config.timeout)
            .field("max_retries", &config.max_retries)
            .field("max_response_bytes", &config.max_response_bytes)
            .finish_non_exhaustive()
    }
}
