//! [`ClientBuilder`]: configuring a [`Client`].

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::redirect;
use reqwest::Url;

use super::{env, Client, Inner};
use crate::credentials::Credentials;
use crate::error::Error;
use crate::ratelimit::RateLimiter;
use crate::retry::Backoff;
use crate::security;

/// Cloudflare's API base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";

/// The default `User-Agent`.
const DEFAULT_USER_AGENT: &str = concat!("apigen-runtime/", env!("CARGO_PKG_VERSION"));

/// The most redirects followed (same origin only).
const MAX_REDIRECTS: usize = 10;

/// Configures a [`Client`]; start with [`Client::builder`].
///
/// Defaults: base URL `https://api.cloudflare.com/client/v4`, no
/// credentials, 60 s timeout per attempt, 2 retries, backoff from 500 ms to
/// 8 s, `Retry-After` honoured up to 6 minutes, responses up to 64 MiB.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    timeout: Duration,
    max_retries: u32,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: usize,
    backoff: Backoff,
    max_retry_after: Duration,
    env_error: Option<String>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// A builder with the defaults.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            credentials: None,
            timeout: Duration::from_secs(60),
            max_retries: 2,
            user_agent: None,
            http_client: None,
            max_response_bytes: 64 * 1024 * 1024,
            backoff: Backoff {
                base: Duration::from_millis(500),
                max: Duration::from_secs(8),
            },
            // Cloudflare blocks a client for five minutes after it exceeds
            // the rate limit; waiting a little longer than that is fine.
            max_retry_after: Duration::from_secs(6 * 60),
            env_error: None,
        }
    }

    /// The API's base URL (`http` or `https`; a trailing slash is fine).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The credentials to authenticate with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The timeout of each attempt (connecting, sending, and reading the
    /// whole response). Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed request is retried (see
    /// [`Call`](crate::Call) for what is retried). Default 2.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The `User-Agent` header. Default `apigen-runtime/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this HTTP client (proxies, TLS settings, connection pool)
    /// instead of the default one. Its timeout and redirect settings stay
    /// in effect; the default client only follows redirects to the same
    /// origin, so credentials never go to another host — configure yours
    /// the same way.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The largest response body accepted; bigger ones fail with
    /// [`Error::ResponseTooLarge`]. Default 64 MiB.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The exponential backoff between retries: `base` before the first
    /// retry, doubling up to `max`, each reduced by up to 25 % at random.
    /// Default 500 ms to 8 s.
    pub fn retry_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff = Backoff { base, max };
        self
    }

    /// The longest `Retry-After` the client waits for before retrying; a
    /// longer one returns the error at once. Also bounds waiting for a
    /// rate-limit reset. Default 6 minutes (Cloudflare blocks a client for
    /// five minutes after it exceeds the rate limit).
    pub fn max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Reads settings from the environment: credentials from
    /// `CLOUDFLARE_API_TOKEN`, else `CLOUDFLARE_EMAIL` with
    /// `CLOUDFLARE_API_KEY`, else `CLOUDFLARE_API_USER_SERVICE_KEY`; the
    /// base URL from `CLOUDFLARE_BASE_URL`. Variables that are set override
    /// earlier settings; unset ones leave them alone. An email without a key
    /// (or the reverse) makes [`build`](Self::build) fail.
    pub fn from_env(self) -> Self {
        self.from_env_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through
    /// `lookup` instead of the process environment (for tests, or
    /// configuration kept elsewhere).
    pub fn from_env_lookup(mut self, lookup: impl FnMut(&str) -> Option<String>) -> Self {
        let config = env::read(lookup);
        if let Some(credentials) = config.credentials {
            self.credentials = Some(credentials);
        }
        if let Some(base_url) = config.base_url {
            self.base_url = base_url;
        }
        if config.error.is_some() {
            self.env_error = config.error;
        }
        self
    }

    /// Builds the client. Fails on an invalid base URL or user agent,
    /// credentials that can't be sent in a header, incomplete credential
    /// environment variables, or when the HTTP client can't be created.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(error) = self.env_error {
            return Err(Error::Config(error));
        }
        let base_url = parse_base_url(&self.base_url)?;
        let auth_headers = match &self.credentials {
            Some(credentials) => security::auth_headers(credentials)?,
            None => Vec::new(),
        };
        let user_agent = self
            .user_agent
            .as_deref()
            .map(|agent| {
                HeaderValue::from_str(agent).map_err(|_| {
                    Error::Config("the user agent is not a valid header value".to_owned())
                })
            })
            .transpose()?;
        let (http, user_agent) = match self.http_client {
            Some(http) => (http, user_agent),
            None => {
                let agent =
                    user_agent.unwrap_or_else(|| HeaderValue::from_static(DEFAULT_USER_AGENT));
                let http = reqwest::Client::builder()
                    .user_agent(agent)
                    .redirect(same_origin_redirects())
                    .build()
                    .map_err(Error::Transport)?;
                (http, None)
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                auth_headers,
                user_agent,
                timeout: self.timeout,
                max_retries: self.max_retries,
                max_response_bytes: self.max_response_bytes,
                backoff: self.backoff,
                max_retry_after: self.max_retry_after,
                rate_limiter: RateLimiter::default(),
            }),
        })
    }
}

/// Validates the base URL and drops its trailing slashes.
fn parse_base_url(text: &str) -> Result<String, Error> {
    let url = Url::parse(text.trim())
        .map_err(|error| Error::Config(format!("invalid base URL `{text}`: {error}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "invalid base URL `{text}`: the scheme must be http or https"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "invalid base URL `{text}`: it must not have a query or fragment"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "invalid base URL: it must not contain a user name or password".to_owned(),
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
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
