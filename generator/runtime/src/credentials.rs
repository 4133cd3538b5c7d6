//! Credentials a [`Client`](crate::Client) authenticates with, the
//! [`Secret`] wrapper that keeps them out of logs, and the security
//! [`Scheme`]s an operation accepts.

use std::fmt;
use std::hash::{Hash, Hasher};

/// A secret string (an API token or key).
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

/// How the client authenticates to the API.
///
/// `Debug` never prints a secret (an account email may show).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// An API token, sent as `Authorization: Bearer <token>`.
    ApiToken(Secret),
    /// A legacy global API key with the account email, sent as the
    /// `X-Auth-Email` and `X-Auth-Key` headers.
    ApiKey {
        /// The account's email address.
        email: String,
        /// The global API key.
        key: Secret,
    },
    /// An Origin CA user service key, sent as the
    /// `X-Auth-User-Service-Key` header.
    UserServiceKey(Secret),
}

/// The schemes an API token provides.
const API_TOKEN_SCHEMES: &[Scheme] = &[Scheme::Bearer];
/// The schemes an email plus global API key provide.
const API_KEY_SCHEMES: &[Scheme] = &[Scheme::Header("X-Auth-Email"), Scheme::Header("X-Auth-Key")];
/// The schemes a user service key provides.
const USER_SERVICE_KEY_SCHEMES: &[Scheme] = &[Scheme::Header("X-Auth-User-Service-Key")];

impl Credentials {
    /// An API token (`Authorization: Bearer <token>`).
    pub fn api_token(token: impl Into<String>) -> Self {
        Credentials::ApiToken(Secret::new(token))
    }

    /// An account email with its global API key (`X-Auth-Email` and
    /// `X-Auth-Key`).
    pub fn api_key(email: impl Into<String>, key: impl Into<String>) -> Self {
        Credentials::ApiKey {
            email: email.into(),
            key: Secret::new(key),
        }
    }

    /// An Origin CA user service key (`X-Auth-User-Service-Key`).
    pub fn user_service_key(key: impl Into<String>) -> Self {
        Credentials::UserServiceKey(Secret::new(key))
    }

    /// The security schemes these credentials provide (all of them are
    /// sent together).
    pub fn schemes(&self) -> &'static [Scheme] {
        match self {
            Credentials::ApiToken(_) => API_TOKEN_SCHEMES,
            Credentials::ApiKey { .. } => API_KEY_SCHEMES,
            Credentials::UserServiceKey(_) => USER_SERVICE_KEY_SCHEMES,
        }
    }

    /// A short, secret-free name of the kind of credentials, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Credentials::ApiToken(_) => "an API token",
            Credentials::ApiKey { .. } => "an email and global API key",
            Credentials::UserServiceKey(_) => "a user service key",
        }
    }
}

/// A security scheme an operation accepts, from the OpenAPI document's
/// `securitySchemes`.
///
/// Header, query and cookie names compare ASCII case-insensitively (as
/// HTTP header names do).
#[derive(Clone, Copy, Debug)]
pub enum Scheme {
    /// HTTP bearer authentication (`Authorization: Bearer ...`).
    Bearer,
    /// An API key sent in the header with this name.
    Header(&'static str),
    /// An API key sent in the query parameter with this name.
    Query(&'static str),
    /// An API key sent in the cookie with this name.
    Cookie(&'static str),
}

impl Scheme {
    /// The variant's index and name, for comparing and hashing.
    fn parts(&self) -> (u8, &'static str) {
        match *self {
            Scheme::Bearer => (0, ""),
            Scheme::Header(name) => (1, name),
            Scheme::Query(name) => (2, name),
            Scheme::Cookie(name) => (3, name),
        }
    }
}

impl PartialEq for Scheme {
    fn eq(&self, other: &Self) -> bool {
        let (a_kind, a_name) = self.parts();
        let (b_kind, b_name) = other.parts();
        a_kind == b_kind && a_name.eq_ignore_ascii_case(b_name)
    }
}

impl Eq for Scheme {}

impl Hash for Scheme {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let (kind, name) = self.parts();
        kind.hash(state);
        for byte in name.bytes() {
            byte.to_ascii_lowercase().hash(state);
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scheme::Bearer => f.write_str("a bearer token (Authorization header)"),
            Scheme::Header(name) => write!(f, "the {name} header"),
            Scheme::Query(name) => write!(f, "the {name} query parameter"),
            Scheme::Cookie(name) => write!(f, "the {name} cookie"),
        }
    }
}
