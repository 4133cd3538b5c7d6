//! The transport layer: sending a built [`Request`] over HTTP. It holds the
//! settings the client was built with ([`Config`]), the connection pool
//! (the `reqwest` client), the shared rate-limit state (`ratelimit.rs`),
//! the retry policy (`retry.rs`), and [`Transport::execute`], which runs
//! one exchange (`exchange.rs`: credentials, attempts, retries, the
//! response size limit) and gives the raw 2xx response or an error.
//!
//! **Layer rule:** the transport may use the request layer and the value
//! modules below it (`credentials`, `security`, `error`, `response`, ...),
//! never `call`, `pagination` or `client`, which are built on it.
//! `tests/it/layers.rs` checks this (the order is `LAYERS` there).

mod exchange;
mod ratelimit;
mod retry;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::redirect;

pub use ratelimit::RateLimit;
pub(crate) use retry::{is_idempotent, Backoff};

use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::{OnceBody, Request};
use crate::response::RawResponse;
use ratelimit::RateLimiter;

/// The default `User-Agent`.
const DEFAULT_USER_AGENT: &str = concat!("apigen-runtime/", env!("CARGO_PKG_VERSION"));

/// The most redirects followed (same origin only).
const MAX_REDIRECTS: usize = 10;

/// The settings of a transport, checked by the client's builder.
pub(crate) struct Config {
    /// The base URL without a trailing slash.
    pub(crate) base_url: String,
    /// The configured credentials (checked to be sendable).
    pub(crate) credentials: Credentials,
    /// The configured `User-Agent`, if any.
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
    /// Headers sent with every request (a call's header of the same name
    /// replaces one).
    pub(crate) default_headers: HeaderMap,
    /// The header an idempotency key goes in, unless the operation names
    /// its own (`Idempotency-Key` by default).
    pub(crate) idempotency_header: HeaderName,
    /// Whether every request whose method is not idempotent gets a fresh
    /// idempotency key.
    pub(crate) idempotency_keys: bool,
    /// Whether JSON responses are enveloped (what [`Client::get`] and its
    /// siblings decode).
    ///
    /// [`Client::get`]: crate::Client::get
    pub(crate) envelope: bool,
}

/// A connection pool with its settings and rate-limit state. Cheap to
/// clone: clones share everything (a client and all its calls hold one).
#[derive(Clone)]
pub(crate) struct Transport {
    inner: Arc<Inner>,
}

/// The shared state of a [`Transport`].
struct Inner {
    /// The HTTP client (connection pool).
    http: reqwest::Client,
    /// The settings.
    config: Config,
    /// A `User-Agent` to set on each request (when the HTTP client was
    /// supplied by the caller and a user agent was configured; otherwise
    /// the HTTP client sets it).
    request_user_agent: Option<HeaderValue>,
    /// Rate-limit state shared by all requests.
    rate_limiter: RateLimiter,
}

impl Transport {
    /// A transport over `http`, or over a new HTTP client that sends the
    /// configured (else the default) `User-Agent` and follows redirects
    /// only within the same origin.
    pub(crate) fn new(config: Config, http: Option<reqwest::Client>) -> Result<Self, Error> {
        let (http, request_user_agent) = match http {
            Some(http) => (http, config.user_agent.clone()),
            None => {
                let agent = config
                    .user_agent
                    .clone()
                    .unwrap_or_else(|| HeaderValue::from_static(DEFAULT_USER_AGENT));
                let http = reqwest::Client::builder()
                    .user_agent(agent)
                    .redirect(same_origin_redirects())
                    .build()
                    .map_err(Error::Transport)?;
                (http, None)
            }
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                http,
                config,
                request_user_agent,
                rate_limiter: RateLimiter::default(),
            }),
        })
    }

    /// The settings.
    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The rate-limit state the server last reported, if it sent any.
    pub(crate) fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.rate_limiter.last()
    }

    /// Sends `request` (with `once`, a body sent once, if any) until it
    /// succeeds, fails for good, or runs out of retries. Returns the fully
    /// read 2xx response; see `exchange.rs` for credentials and retries.
    pub(crate) async fn execute(
        &self,
        request: &Request,
        once: Option<OnceBody>,
    ) -> Result<RawResponse, Error> {
        match exchange::execute(&self.inner, request, once, false).await? {
            exchange::Answer::Read(raw) => Ok(raw),
            // Not asked for; read as any other answer would be.
            exchange::Answer::Open(response) => exchange::read_whole(&self.inner, response).await,
        }
    }

    /// Sends `request` as [`execute`](Self::execute) does, but gives a 2xx
    /// response with its body unread (a stream): the timeout covers only
    /// the wait for the status and headers. A non-2xx answer is read and
    /// returned as an error, as always.
    pub(crate) async fn open(
        &self,
        request: &Request,
        once: Option<OnceBody>,
    ) -> Result<reqwest::Response, Error> {
        match exchange::execute(&self.inner, request, once, true).await? {
            exchange::Answer::Open(response) => Ok(response),
            exchange::Answer::Read(raw) => Err(Error::InvalidRequest(format!(
                "expected a streamed response, got HTTP {} read whole",
                raw.status
            ))),
        }
    }
}

/// Follows up to ten redirects within the original origin (scheme, host
/// and port); a redirect elsewhere is returned as the response, so custom
/// credential headers such as `X-Auth-Key` never reach another host.
fn same_origin_redirects() -> redirect::Policy {
    redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}
