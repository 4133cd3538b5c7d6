//! The [`Client`]: configuration and connection pool shared by all calls,
//! and [`Client::call`], the entry point every API operation goes through.

mod builder;
mod env;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Method;

pub use builder::{ClientBuilder, Server};
pub use env::EnvVars;

use crate::call::Call;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::ratelimit::{RateLimit, RateLimiter};
use crate::response::{ApiResponse, RawResponse};
use crate::retry::Backoff;

/// An API client. Cheap to clone: clones share the connection pool,
/// configuration and rate-limit state.
///
/// `Debug` never shows credentials.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// The shared state of a [`Client`].
pub(crate) struct Inner {
    /// The HTTP client (connection pool).
    pub(crate) http: reqwest::Client,
    /// The base URL without a trailing slash.
    pub(crate) base_url: String,
    /// The configured credentials (checked to be sendable).
    pub(crate) credentials: Credentials,
    /// A `User-Agent` to set on each request (when the HTTP client was
    /// supplied by the caller and a user agent was configured).
    pub(crate) user_agent: Option<HeaderValue>,
    /// Per-attempt timeout.
    pub(crate) timeout: Duration,
    /// Retries after the first attempt.
    pub(crate) max_retries: u32,
    /// The largest response body accepted.
    pub(crate) max_response_bytes: usize,
    /// Delays between retries.
    pub(crate) backoff: Backoff,
    /// The longest `Retry-After` (or rate-limit reset) waited for.
    pub(crate) max_retry_after: Duration,
    /// Rate-limit state shared by all requests.
    pub(crate) rate_limiter: RateLimiter,
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
        Call::new(self.clone(), method, path_template, decode)
    }

    /// The base URL requests go to (without a trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The configured credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The rate-limit state the server last reported, if it sent any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.rate_limiter.last()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("credentials", &inner.credentials)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.max_retries)
            .field("max_response_bytes", &inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}
