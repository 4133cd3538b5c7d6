//! Credentials a [`Client`](crate::Client) authenticates with: the
//! description's [`SecurityScheme`]s, the [`Secret`] wrapper that keeps
//! values out of logs, and user-supplied [`TokenProvider`]s.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::Error;

/// A secret string (an API token, key or password).
///
/// `Debug` and `Display` print `[redacted]`; call [`Secret::expose`] to get
/// the value itself.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Where an API key is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyLocation {
    /// In a request header.
    Header,
    /// In a query parameter.
    Query,
    /// In a cookie.
    Cookie,
}

/// How a security scheme sends its credential: the `type` (and `in`,
/// `name`, `scheme`) of an entry of `components.securitySchemes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemeKind {
    /// `type: apiKey`: the key goes in this header, query parameter or
    /// cookie (names compare ASCII case-insensitively for headers).
    ApiKey(KeyLocation, &'static str),
    /// `type: http, scheme: bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// `type: http, scheme: basic`: `Authorization: Basic <base64>`.
    Basic,
    /// Any other `type: http` scheme: the credential is the whole
    /// `Authorization` header value (e.g. `Digest ...`, `HOBA ...`).
    Http,
    /// `type: oauth2`: a bearer token the program obtains (the client does
    /// not run OAuth flows; a [`TokenProvider`] can).
    OAuth2,
    /// `type: openIdConnect`: like [`SchemeKind::OAuth2`].
    OpenIdConnect,
}

/// A security scheme of the description, by its name in
/// `components.securitySchemes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SecurityScheme {
    /// The scheme's name in the description (`api_token`).
    pub name: &'static str,
    /// How its credential is sent.
    pub kind: SchemeKind,
}

impl SecurityScheme {
    /// A scheme named `name` that sends its credential as `kind` says.
    pub const fn new(name: &'static str, kind: SchemeKind) -> Self {
        SecurityScheme { name, kind }
    }

    /// Whether the credential is a bearer token (bearer, OAuth2, OpenID
    /// Connect), which a [`TokenProvider`] can supply.
    pub fn takes_token(&self) -> bool {
        matches!(
            self.kind,
            SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect
        )
    }
}

impl fmt::Display for SecurityScheme {
    /// A secret-free description, e.g. `api_token (a bearer token in the
    /// Authorization header)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name;
        match self.kind {
            SchemeKind::ApiKey(KeyLocation::Header, key) => write!(f, "{name} (the {key} header)"),
            SchemeKind::ApiKey(KeyLocation::Query, key) => {
                write!(f, "{name} (the {key} query parameter)")
            }
            SchemeKind::ApiKey(KeyLocation::Cookie, key) => write!(f, "{name} (the {key} cookie)"),
            SchemeKind::Bearer => write!(f, "{name} (a bearer token)"),
            SchemeKind::Basic => write!(f, "{name} (HTTP basic authentication)"),
            SchemeKind::Http => write!(f, "{name} (an Authorization header)"),
            SchemeKind::OAuth2 => write!(f, "{name} (an OAuth2 bearer token)"),
            SchemeKind::OpenIdConnect => write!(f, "{name} (an OpenID Connect bearer token)"),
        }
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, Error>> + Send + 'a>>;

/// Supplies bearer tokens (OAuth2, OpenID Connect or plain bearer) that the
/// program obtains itself.
///
/// The client asks for a token before each call (`refresh == false`; a
/// provider should answer from its cache while the token is valid) and once
/// more after a `401 Unauthorized` (`refresh == true`: the token was
/// refused, get a new one), then sends the call again with the new token.
///
/// Any `Fn(bool) -> impl Future<Output = Result<Secret, Error>>` that is
/// `Send + Sync` is a provider.
pub trait TokenProvider: Send + Sync + 'static {
    /// A token to send; `refresh` says the last one was refused.
    fn token(&self, refresh: bool) -> TokenFuture<'_>;

    /// A token to send instead of `refused`, which the API just answered
    /// with `401 Unauthorized` (what the client asks after a `401`). By
    /// default `self.token(true)`.
    ///
    /// When many calls are refused at once, each asks: a provider that
    /// caches can answer with the token it already fetched in place of
    /// `refused`, so they share one refresh ([`ClientCredentials`] does).
    ///
    /// [`ClientCredentials`]: crate::ClientCredentials
    fn replace<'a>(&'a self, refused: &'a Secret) -> TokenFuture<'a> {
        let _ = refused;
        self.token(true)
    }
}

impl<F, Fut> TokenProvider for F
where
    F: Fn(bool) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Secret, Error>> + Send + 'static,
{
    fn token(&self, refresh: bool) -> TokenFuture<'_> {
        Box::pin(self(refresh))
    }
}

/// The credential configured for one scheme.
#[derive(Clone)]
pub(crate) enum Credential {
    /// An API key, a bearer token, or a whole `Authorization` value.
    Secret(Secret),
    /// HTTP basic user name and password.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// Tokens asked for per call.
    Provider(Arc<dyn TokenProvider>),
}

/// The credentials a client authenticates with: one value for each of the
/// description's security schemes the program configures.
///
/// Which of them go on a request follows the operation's security
/// requirements (see [`Call::security`](crate::Call::security)). Generated
/// crates offer constructors named after their description's schemes.
///
/// `Debug` shows the scheme names only, never a secret.
#[derive(Clone, Default)]
pub struct Credentials {
    /// One entry per scheme, in the order configured.
    entries: Vec<(SecurityScheme, Credential)>,
}

impl Credentials {
    /// No credentials.
    pub fn new() -> Self {
        Credentials::default()
    }

    /// Sets the credential of an API key, bearer, OAuth2, OpenID Connect
    /// or other HTTP scheme (for the last, the whole `Authorization`
    /// value). For a basic scheme, the value is taken as `user:password`.
    pub fn with(self, scheme: SecurityScheme, value: impl Into<Secret>) -> Self {
        let value = value.into();
        if scheme.kind == SchemeKind::Basic {
            let text = value.expose();
            let (username, password) = text.split_once(':').unwrap_or((text, ""));
            return self.with_basic(scheme, username.to_owned(), password);
        }
        self.set(scheme, Credential::Secret(value))
    }

    /// Sets the user name and password of an HTTP basic scheme.
    pub fn with_basic(
        self,
        scheme: SecurityScheme,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.set(
            scheme,
            Credential::Basic {
                username: username.into(),
                password: password.into(),
            },
        )
    }

    /// Has `provider` supply the tokens of a bearer, OAuth2 or OpenID
    /// Connect scheme (see [`TokenProvider`]).
    pub fn with_token_provider(self, scheme: SecurityScheme, provider: impl TokenProvider) -> Self {
        self.set(scheme, Credential::Provider(Arc::new(provider)))
    }

    /// Adds every credential of `other` (replacing those of the same
    /// schemes).
    pub fn merge(mut self, other: Credentials) -> Self {
        for (scheme, credential) in other.entries {
            self = self.set(scheme, credential);
        }
        self
    }

    /// Whether no credential is configured.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The schemes that have a credential, in the order configured.
    pub fn schemes(&self) -> impl Iterator<Item = &SecurityScheme> {
        self.entries.iter().map(|(scheme, _)| scheme)
    }

    /// Whether the scheme named `name` has a credential.
    pub fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|(scheme, _)| scheme.name == name)
    }

    /// The configured entries.
    pub(crate) fn entries(&self) -> &[(SecurityScheme, Credential)] {
        &self.entries
    }

    fn set(mut self, scheme: SecurityScheme, credential: Credential) -> Self {
        self.entries
            .retain(|(existing, _)| existing.name != scheme.name);
        self.entries.push((scheme, credential));
        self
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.entries.iter().map(|(scheme, _)| scheme.name))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: SecurityScheme =
        SecurityScheme::new("key", SchemeKind::ApiKey(KeyLocation::Header, "X-Key"));
    const BASIC: SecurityScheme = SecurityScheme::new("basic", SchemeKind::Basic);

    #[test]
    fn debug_shows_names_not_secrets() {
        let credentials =
            Credentials::new()
                .with(KEY, "secret-key")
                .with_basic(BASIC, "user", "secret-password");
        let shown = format!("{credentials:?}");
        assert_eq!(shown, r#"{"key", "basic"}"#);
    }

    #[test]
    fn a_scheme_set_twice_keeps_the_last_value() {
        let credentials = Credentials::new().with(KEY, "a").with(KEY, "b");
        assert_eq!(credentials.entries().len(), 1);
        assert!(matches!(&credentials.entries()[0].1, Credential::Secret(s) if s.expose() == "b"));
    }

    #[test]
    fn basic_from_one_value_splits_at_the_first_colon() {
        let credentials = Credentials::new().with(BASIC, "user:pa:ss");
        assert!(matches!(
            &credentials.entries()[0].1,
            Credential::Basic { username, password } if username == "user" && password.expose() == "pa:ss"
        ));
    }
}
