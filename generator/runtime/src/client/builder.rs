//! [`ClientBuilder`]: configuring a [`Client`].

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use super::env::{self, EnvVars};
use super::Client;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::security;
use crate::transport::{Backoff, Config, Transport};

/// A server of the description: a URL template with `{variable}`
/// placeholders and each variable's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Server {
    /// The URL template (`https://{region}.example.com/v1`).
    pub url: &'static str,
    /// `(name, default)` of each variable.
    pub variables: &'static [(&'static str, &'static str)],
}

impl Server {
    /// The URL with each variable replaced by `values` (else its default).
    fn resolve(&self, values: &[(String, String)]) -> Result<String, Error> {
        for (name, _) in values {
            if !self.variables.iter().any(|(known, _)| known == name) {
                return Err(Error::Config(format!(
                    "the server `{}` has no variable `{name}`",
                    self.url
                )));
            }
        }
        let mut url = self.url.to_owned();
        for (name, default) in self.variables {
            let value = values
                .iter()
                .rev()
                .find(|(given, _)| given == name)
                .map_or(*default, |(_, value)| value.as_str());
            url = url.replace(&format!("{{{name}}}"), value);
        }
        Ok(url)
    }
}

/// Configures a client; start with [`Client::builder`] (or a generated
/// crate's `Client::builder`, which fills in the description's server and
/// environment variables and builds that crate's `Client`).
///
/// Defaults: the description's first server (no base URL for a bare
/// runtime client: set one), no credentials, 60 s timeout per attempt,
/// 2 retries (a `POST` or `PATCH` without an idempotency key only when the
/// server cannot have acted on it: see [`Call`](crate::Call#retries)),
/// backoff from 500 ms to 8 s, `Retry-After` honoured up to 6 minutes,
/// responses up to 64 MiB, no default headers, idempotency keys only where
/// the call or the operation asks for one, in `Idempotency-Key`.
pub struct ClientBuilder<C = Client> {
    base_url: Option<String>,
    server: Option<Server>,
    server_variables: Vec<(String, String)>,
    env_vars: Option<EnvVars>,
    credentials: Credentials,
    timeout: Duration,
    max_retries: u32,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    max_response_bytes: usize,
    backoff: Backoff,
    max_retry_after: Duration,
    envelope: bool,
    default_headers: Vec<(String, String)>,
    idempotency_header: String,
    idempotency_keys: bool,
    env_error: Option<String>,
    output: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            server: self.server,
            server_variables: self.server_variables.clone(),
            env_vars: self.env_vars,
            credentials: self.credentials.clone(),
            timeout: self.timeout,
            max_retries: self.max_retries,
            user_agent: self.user_agent.clone(),
            http_client: self.http_client.clone(),
            max_response_bytes: self.max_response_bytes,
            backoff: self.backoff,
            max_retry_after: self.max_retry_after,
            envelope: self.envelope,
            default_headers: self.default_headers.clone(),
            idempotency_header: self.idempotency_header.clone(),
            idempotency_keys: self.idempotency_keys,
            env_error: self.env_error.clone(),
            output: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("server", &self.server)
            .field("server_variables", &self.server_variables)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            // Default headers are not shown: one may hold a secret.
            .field("idempotency_header", &self.idempotency_header)
            .field("idempotency_keys", &self.idempotency_keys)
            .finish_non_exhaustive()
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl<C> ClientBuilder<C> {
    /// A builder with the defaults.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: None,
            server: None,
            server_variables: Vec::new(),
            env_vars: None,
            credentials: Credentials::new(),
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
            envelope: false,
            default_headers: Vec::new(),
            idempotency_header: DEFAULT_IDEMPOTENCY_HEADER.to_owned(),
            idempotency_keys: false,
            env_error: None,
            output: PhantomData,
        }
    }

    /// The API's base URL (`http` or `https`; a trailing slash is fine),
    /// instead of the description's server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The description's server the base URL comes from when none is set
    /// (generated crates set their first server).
    pub fn server(mut self, server: Server) -> Self {
        self.server = Some(server);
        self
    }

    /// Sets a variable of the server URL (`{region}`); the others keep
    /// their defaults. An unknown name makes [`build`](Self::build) fail.
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.server_variables.push((name.into(), value.into()));
        self
    }

    /// The environment variables [`from_env`](Self::from_env) reads
    /// (generated crates set theirs).
    pub fn env_vars(mut self, vars: EnvVars) -> Self {
        self.env_vars = Some(vars);
        self
    }

    /// Credentials to authenticate with, added to any already configured
    /// (a scheme configured again takes the new value).
    pub fn credentials(mut self, credentials: impl Into<Credentials>) -> Self {
        self.credentials = std::mem::take(&mut self.credentials).merge(credentials.into());
        self
    }

    /// The timeout of each attempt (connecting, sending, and reading the
    /// whole response). Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed request is retried. Default 2.
    ///
    /// What is retried depends on the method (see
    /// [`Call`](crate::Call#retries)): `GET`, `PUT`, `DELETE`, `HEAD` and
    /// `OPTIONS` after any connection failure or timeout and on 408, 409,
    /// 429 and 5xx; `POST`, `PATCH` and other methods only when the server
    /// cannot have acted on the request (the connection was never made,
    /// 429, 503 with `Retry-After`), unless the request carries an
    /// idempotency key ([`idempotency_keys`](Self::idempotency_keys)), which
    /// gives it the full retries.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// A header sent with every request, such as `Stripe-Version:
    /// 2020-08-27` to pin the API version the types describe. Repeatable;
    /// setting a name again adds another value (as HTTP allows). It
    /// replaces the client's own header of that name (`User-Agent`,
    /// `Accept`), and a call's [`header`](crate::Call::header) or header
    /// parameter of the same name replaces it. An invalid name or value
    /// makes [`build`](Self::build) fail with [`Error::Config`].
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// The header idempotency keys go in, for operations that don't name
    /// their own. Default `Idempotency-Key` (Stripe's, and the IETF
    /// draft's). An invalid name makes [`build`](Self::build) fail.
    pub fn idempotency_header(mut self, name: impl Into<String>) -> Self {
        self.idempotency_header = name.into();
        self
    }

    /// Whether every request whose method is not idempotent (`POST`,
    /// `PATCH`, ...) gets an idempotency key: a fresh random one (a UUID
    /// v4) per call, the same on each of its attempts, in the
    /// [`idempotency_header`](Self::idempotency_header). Such requests then
    /// get the full retries (see [`Call`](crate::Call#retries)). A call's
    /// own [`idempotency_key`](crate::Call::idempotency_key) or header
    /// wins. Only for APIs that honour the header: another API may reject
    /// a header it doesn't know, or ignore it and do the work twice.
    /// Default `false` (operations whose description declares an
    /// idempotency header send a key all the same).
    pub fn idempotency_keys(mut self, enabled: bool) -> Self {
        self.idempotency_keys = enabled;
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

    /// Whether the API wraps its JSON responses in Cloudflare's envelope
    /// (`{"success", "errors", "messages", "result", "result_info"}`):
    /// the calls [`Client::get`], [`post`](Client::post), ... start then
    /// decode the envelope's `result` ([`decode::envelope`]), otherwise the
    /// whole body ([`decode::json`]). Default `false`; a generated client
    /// sets it when most of its description's responses are enveloped.
    ///
    /// [`decode::envelope`]: crate::decode::envelope
    /// [`decode::json`]: crate::decode::json
    pub fn envelope(mut self, envelope: bool) -> Self {
        self.envelope = envelope;
        self
    }

    /// Reads settings from the environment variables set with
    /// [`env_vars`](Self::env_vars) (a generated crate's: e.g.
    /// `CLOUDFLARE_API_TOKEN`, `CLOUDFLARE_BASE_URL`): each scheme whose
    /// variable is set gets that credential, and the base URL variable
    /// replaces the server. Unset variables leave earlier settings alone.
    /// Half of a basic user name and password pair, or no variables
    /// defined, makes [`build`](Self::build) fail.
    pub fn from_env(self) -> Self {
        self.from_env_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading variables through
    /// `lookup` instead of the process environment (for tests, or
    /// configuration kept elsewhere).
    pub fn from_env_lookup(mut self, lookup: impl FnMut(&str) -> Option<String>) -> Self {
        let Some(vars) = self.env_vars else {
            self.env_error = Some(
                "no environment variables are defined for this client (set them with env_vars)"
                    .to_owned(),
            );
            return self;
        };
        let config = env::read(&vars, lookup);
        self = self.credentials(config.credentials);
        if let Some(base_url) = config.base_url {
            self.base_url = Some(base_url);
        }
        if config.error.is_some() {
            self.env_error = config.error;
        }
        self
    }

    /// Builds the client. Fails on a missing or invalid base URL, an
    /// unknown server variable, an invalid user agent, default header or
    /// idempotency header, credentials that can't be sent in a header,
    /// incomplete credential environment variables, or when the HTTP
    /// client can't be created.
    pub fn build(self) -> Result<C, Error>
    where
        C: From<Client>,
    {
        if let Some(error) = self.env_error {
            return Err(Error::Config(error));
        }
        let base_url = match (&self.base_url, &self.server) {
            (Some(base_url), _) => base_url.clone(),
            (None, Some(server)) => server.resolve(&self.server_variables)?,
            (None, None) => {
                return Err(Error::Config(
                    "no base URL: set one with `base_url`".to_owned(),
                ))
            }
        };
        let base_url = parse_base_url(&base_url)?;
        security::validate(&self.credentials)?;
        let user_agent = self
            .user_agent
            .as_deref()
            .map(|agent| {
                HeaderValue::from_str(agent).map_err(|_| {
                    Error::Config("the user agent is not a valid header value".to_owned())
                })
            })
            .transpose()?;
        let default_headers = header_map(&self.default_headers)?;
        let idempotency_header = HeaderName::from_bytes(self.idempotency_header.as_bytes())
            .map_err(|_| {
                Error::Config(format!(
                    "`{}` is not a valid idempotency header name",
                    self.idempotency_header
                ))
            })?;
        let config = Config {
            base_url,
            credentials: self.credentials,
            user_agent,
            timeout: self.timeout,
            max_retries: self.max_retries,
            max_response_bytes: self.max_response_bytes,
            backoff: self.backoff,
            max_retry_after: self.max_retry_after,
            envelope: self.envelope,
            default_headers,
            idempotency_header,
            idempotency_keys: self.idempotency_keys,
        };
        let transport = Transport::new(config, self.http_client)?;
        Ok(C::from(Client { transport }))
    }
}

/// The header idempotency keys go in unless set otherwise.
const DEFAULT_IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// The default headers as a map, each name and value checked (a value is
/// never echoed: it may be a secret).
fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, Error> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::Config(format!(
                "the value of default header `{name}` contains characters not allowed in a header"
            ))
        })?;
        map.append(header, value);
    }
    Ok(map)
}

/// Validates the base URL and drops its trailing slashes.
fn parse_base_url(text: &str) -> Result<String, Error> {
    if text.trim().starts_with('/') {
        return Err(Error::Config(format!(
            "the base URL `{text}` is relative (the description's server is given relative \
             to where the description is served): set the base URL with `base_url`"
        )));
    }
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
