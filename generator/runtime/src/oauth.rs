//! OAuth2 client credentials (RFC 6749 §4.4): a [`TokenProvider`] that
//! gets its access tokens from the authorization server's token endpoint
//! and caches them until shortly before they expire.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::credentials::{Secret, TokenFuture, TokenProvider};
use crate::error::{ApiError, DecodeError, Error};

/// A cached token is replaced this long before it expires (or a tenth of
/// its lifetime, when that is shorter).
const REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// How the client authenticates itself to the token endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuth {
    /// HTTP basic authentication with the client id and secret
    /// (`client_secret_basic`, the default of RFC 6749 §2.3.1).
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body
    /// (`client_secret_post`), for servers that refuse basic
    /// authentication.
    Body,
}

/// An OAuth2 client-credentials token provider.
///
/// Before each call the client asks it for a token: the first call posts
/// `grant_type=client_credentials` (and `scope`, space-separated, when
/// scopes are set) to the token URL, authenticating with the client id
/// and secret; later calls get the cached token until 30 seconds (or a
/// tenth of its lifetime, whichever is shorter) before its `expires_in`
/// runs out. A token without `expires_in` is kept until the API answers
/// `401`. After a `401` the client asks for a token to replace the refused
/// one ([`TokenProvider::replace`]) and resends the call once.
///
/// Concurrent calls share one token request, the first and every refresh:
/// when many calls are refused at once, the first to ask fetches a new
/// token and the others get it (so ten calls refused together cost one
/// token request, not ten). `token(true)` always fetches a new one. Clones
/// share the cache.
///
/// The token URL must be absolute (generated crates resolve a relative
/// `tokenUrl` of the description against its first server). `Debug` shows
/// the token URL, the client id and the scopes, never the secret or a
/// token, and nothing here logs them.
///
/// ```no_run
/// use apigen_runtime::{ClientCredentials, Credentials, SchemeKind, SecurityScheme};
///
/// const OAUTH: SecurityScheme = SecurityScheme::new("oauth", SchemeKind::OAuth2);
///
/// let tokens = ClientCredentials::new("https://auth.example.com/token", "my-id", "my-secret")
///     .scopes(["read", "write"]);
/// let credentials = Credentials::new().with_token_provider(OAUTH, tokens);
/// ```
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    client_auth: ClientAuth,
    http: Option<reqwest::Client>,
    cache: Arc<Mutex<Option<Cached>>>,
}

/// A token and when it stops being used.
struct Cached {
    token: Secret,
    /// `None`: no `expires_in`, valid until refused.
    refresh_at: Option<Instant>,
}

/// Which token [`ClientCredentials::get`] may answer with.
#[derive(Clone, Copy)]
enum Fetch<'a> {
    /// The cached one while it is valid.
    Cached,
    /// Always a new one.
    New,
    /// The cached one while it is valid and not this refused one (another
    /// call refused with it fetched it meanwhile), else a new one.
    Replacing(&'a Secret),
}

/// The token endpoint's success answer (RFC 6749 §5.1).
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<u64>,
}

impl ClientCredentials {
    /// A provider that asks `token_url` for tokens as `client_id` with
    /// `client_secret`, with no scopes and HTTP basic client
    /// authentication.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
            client_auth: ClientAuth::Basic,
            http: None,
            cache: Arc::new(Mutex::new(None)),
        }
    }

    /// Asks for these scopes (replacing any set before); none sends no
    /// `scope` parameter, so the server grants its default.
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Asks this token URL instead (it must be absolute).
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = token_url.into();
        self
    }

    /// How the client id and secret are sent (HTTP basic by default).
    pub fn client_auth(mut self, client_auth: ClientAuth) -> Self {
        self.client_auth = client_auth;
        self
    }

    /// Sends token requests with this HTTP client (proxies, timeouts, TLS
    /// settings) instead of a default one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The cached token if it is still good (and, for `Fetch::Replacing`,
    /// not the refused one), else a new one. The cache stays locked while
    /// a token is fetched, so calls that ask meanwhile wait for that one
    /// request and share its token.
    async fn get(&self, fetch: Fetch<'_>) -> Result<Secret, Error> {
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref() {
            let valid = cached.refresh_at.map_or(true, |at| Instant::now() < at);
            let usable = match fetch {
                Fetch::Cached => valid,
                Fetch::New => false,
                // Another call refused with the same token already
                // fetched this one: use it.
                Fetch::Replacing(refused) => valid && cached.token.expose() != refused.expose(),
            };
            if usable {
                return Ok(cached.token.clone());
            }
        }
        let fetched = self.fetch().await?;
        let token = fetched.token.clone();
        *cache = Some(fetched);
        Ok(token)
    }

    /// One token request.
    async fn fetch(&self) -> Result<Cached, Error> {
        let url = reqwest::Url::parse(&self.token_url).map_err(|error| {
            Error::Config(format!(
                "the OAuth2 token URL `{}` is not an absolute URL: {error}",
                self.token_url
            ))
        })?;
        let mut form = vec![("grant_type", "client_credentials".to_owned())];
        if !self.scopes.is_empty() {
            form.push(("scope", self.scopes.join(" ")));
        }
        let http = self.http.clone().unwrap_or_default();
        let mut request = http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json");
        match self.client_auth {
            ClientAuth::Basic => {
                request = request.basic_auth(
                    form_encode(&self.client_id),
                    Some(form_encode(self.client_secret.expose())),
                );
            }
            ClientAuth::Body => {
                form.push(("client_id", self.client_id.clone()));
                form.push(("client_secret", self.client_secret.expose().to_owned()));
            }
        }
        tracing::debug!(token_url = %self.token_url, "requesting an OAuth2 access token");
        let started = Instant::now();
        let response = request
            .form(&form)
            .send()
            .await
            .map_err(|error| Error::Transport(error.without_url()))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|error| Error::Transport(error.without_url()))?;
        if !status.is_success() {
            // `{"error", "error_description"}` becomes the error's message.
            return Err(ApiError::from_response(status, headers, body).into());
        }
        let answer: TokenResponse = serde_json::from_slice(&body).map_err(|error| {
            let content_type = headers
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            // The body holds a token: keep it out of the error.
            let message = format!("the OAuth2 token response is not usable: {error}");
            DecodeError::new(status, "", message, content_type, bytes::Bytes::new())
        })?;
        if let Some(kind) = answer.token_type.as_deref() {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err(Error::Config(format!(
                    "the OAuth2 token endpoint issued a `{kind}` token; only bearer tokens are supported"
                )));
            }
        }
        // A lifetime too long to add to the clock is as good as none.
        let refresh_at = answer.expires_in.and_then(|seconds| {
            let lifetime = Duration::from_secs(seconds);
            started.checked_add(lifetime - REFRESH_MARGIN.min(lifetime / 10))
        });
        Ok(Cached {
            token: Secret::new(answer.access_token),
            refresh_at,
        })
    }
}

impl TokenProvider for ClientCredentials {
    fn token(&self, refresh: bool) -> TokenFuture<'_> {
        Box::pin(self.get(if refresh { Fetch::New } else { Fetch::Cached }))
    }

    fn replace<'a>(&'a self, refused: &'a Secret) -> TokenFuture<'a> {
        Box::pin(self.get(Fetch::Replacing(refused)))
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("client_auth", &self.client_auth)
            .finish_non_exhaustive()
    }
}

/// `application/x-www-form-urlencoded` bytes are kept as they are:
/// letters, digits and `*-._` (RFC 6749 §2.3.1 encodes the id and secret
/// this way before basic authentication).
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

/// `value` form-urlencoded (a space as `%20`, which decodes the same).
fn form_encode(value: &str) -> String {
    utf8_percent_encode(value, FORM).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_keeps_unreserved_characters() {
        assert_eq!(form_encode("abc-XYZ_0.9*"), "abc-XYZ_0.9*");
        assert_eq!(form_encode("a b:c/é"), "a%20b%3Ac%2F%C3%A9");
    }

    #[test]
    fn debug_shows_neither_the_secret_nor_a_token() {
        let provider = ClientCredentials::new("https://auth.test/token", "id-1", "very-secret")
            .scopes(["read"]);
        let shown = format!("{provider:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(
            shown.contains("id-1") && shown.contains("[redacted]"),
            "{shown}"
        );
    }
}
