//! The crate's [`Error`] type and the details of API ([`ApiError`]) and
//! decoding ([`DecodeError`]) failures.
//!
//! No error's `Display` or `Debug` ever contains a credential.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::envelope::{messages_from_value, ErrorCode, Message};
use crate::preview;

/// Everything that can go wrong making an API call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error: a non-2xx status, or a 2xx envelope
    /// with `"success": false`.
    ///
    /// Boxed to keep `Error` (and every `Result` carrying it) small; fields
    /// and methods are reached through it as usual (`error.status`).
    Api(Box<ApiError>),
    /// The response could not be decoded into the expected type.
    Decode(DecodeError),
    /// The HTTP exchange failed: could not connect, timed out, the
    /// connection broke. See [`Error::is_timeout`] and
    /// [`Error::is_connect`].
    Transport(reqwest::Error),
    /// The request could not be built (a path parameter left unset, a bad
    /// header, a body that failed to serialize, ...). Nothing was sent.
    InvalidRequest(String),
    /// The client's credentials don't satisfy the operation's security
    /// requirements (or no credentials are configured). Nothing was sent.
    NoMatchingCredentials {
        /// What the operation accepts, e.g. `a bearer token (Authorization
        /// header); or the X-Auth-Email header and the X-Auth-Key header`.
        accepted: String,
    },
    /// The response body was larger than the client's
    /// `max_response_bytes`.
    ResponseTooLarge {
        /// The configured limit in bytes.
        limit: usize,
        /// The response's status.
        status: StatusCode,
    },
    /// While paginating, the server returned the same page again (the same
    /// page number, the same cursor, or the same body as the previous page),
    /// so the stream stopped instead of looping forever.
    RepeatedPage {
        /// The 1-based number of the page that was requested (in cursor
        /// mode, the position of the page in the stream).
        page: u64,
    },
    /// A stream's response (status and headers) did not come within the
    /// call's timeout. Streams are not bounded by the timeout once they
    /// have started, so their timeouts are reported here rather than as
    /// [`Error::Transport`].
    Timeout {
        /// The timeout that passed.
        timeout: std::time::Duration,
    },
    /// The client was configured wrongly (an invalid base URL, credentials
    /// that can't be sent in a header, incomplete environment variables).
    Config(String),
}

impl Error {
    /// The HTTP status of the response this error is about, if there was
    /// one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            Error::Transport(error) => error.status(),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(error) => error.is_timeout(),
            Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// Whether connecting to the server failed.
    pub fn is_connect(&self) -> bool {
        matches!(self, Error::Transport(error) if error.is_connect())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(error) => fmt::Display::fmt(&**error, f),
            Error::Decode(error) => fmt::Display::fmt(error, f),
            Error::Transport(error) if error.is_timeout() => {
                write!(f, "the request timed out: {error}")
            }
            Error::Transport(error) if error.is_connect() => {
                write!(f, "could not connect to the API: {error}")
            }
            Error::Transport(error) => write!(f, "HTTP transport error: {error}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::NoMatchingCredentials { accepted } => write!(
                f,
                "the configured credentials don't satisfy this operation's security \
                 requirements; it accepts {accepted}"
            ),
            Error::ResponseTooLarge { limit, status } => write!(
                f,
                "the response body (HTTP {status}) is larger than the limit of {limit} bytes"
            ),
            Error::RepeatedPage { page } => write!(
                f,
                "pagination stopped: the server returned the same page again when asked \
                 for page {page}"
            ),
            Error::Timeout { timeout } => {
                write!(f, "the request timed out: no response within {timeout:?}")
            }
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Error::Decode(error)
    }
}

/// An error answer from the API.
///
/// `errors` and `messages` are filled when the body is a JSON envelope;
/// the raw `body` is always kept (HTML error pages, truncated JSON, plain
/// text such as `error code: 1015`).
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The envelope's `errors`.
    pub errors: Vec<Message>,
    /// The envelope's `messages`.
    pub messages: Vec<Message>,
    /// The raw response body.
    pub body: Bytes,
}

impl ApiError {
    /// Builds the error for a response, reading `errors` and `messages`
    /// leniently when the body is a JSON object (for custom decode
    /// functions; the client uses it for every non-2xx response).
    ///
    /// Besides Cloudflare's `errors` list, the common shapes of other APIs
    /// give one error each: `{"error": {"code": .., "message": ..}}`
    /// (Stripe's, whose `type`, `decline_code` and `param` stay in the
    /// error's `extra`),
    /// `{"error": "..", "error_description": ".."}` (OAuth2), RFC 9457
    /// problem details (`detail`, else `title`) and a top-level `message`.
    pub fn from_response(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let (errors, messages) = match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(mut map)) => {
                let messages = map
                    .remove("messages")
                    .map(messages_from_value)
                    .unwrap_or_default();
                let errors = match map.remove("errors") {
                    Some(errors) => messages_from_value(errors),
                    None => other_error_shapes(&map).into_iter().collect(),
                };
                (errors, messages)
            }
            _ => (Vec::new(), Vec::new()),
        };
        ApiError {
            status,
            headers,
            errors,
            messages,
            body,
        }
    }

    /// Decodes the body as `T`: the error type the description gives for
    /// this status (generated crates name it in each operation's docs).
    pub fn body_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The body as RFC 9457 problem details, when the response says it is
    /// one (`Content-Type: application/problem+json`) or is a JSON object
    /// with at least a `title` or `type` and no Cloudflare `errors`.
    pub fn problem(&self) -> Option<Problem> {
        let declared = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().starts_with("application/problem+json"));
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&self.body) else {
            return None;
        };
        let looks_like =
            (map.contains_key("title") || map.contains_key("type")) && !map.contains_key("errors");
        (declared || looks_like).then(|| Problem::from_map(map))
    }

    /// The codes of the errors, in order (errors without a code are
    /// skipped). Each compares with a number or a string:
    /// `error.codes() == [81057]`, `error.codes()[0] == "card_declined"`.
    pub fn codes(&self) -> Vec<ErrorCode> {
        self.errors
            .iter()
            .filter_map(|error| error.code.clone())
            .collect()
    }

    /// Whether any error (or any error in an error's chain) has this code:
    /// a number (`has_code(81057)`, Cloudflare's) or a string
    /// (`has_code("card_declined")`, Stripe's). A number never matches a
    /// textual code, nor a string a numeric one.
    pub fn has_code(&self, code: impl Into<ErrorCode>) -> bool {
        fn any(messages: &[Message], code: &ErrorCode) -> bool {
            messages
                .iter()
                .any(|m| m.code.as_ref() == Some(code) || any(&m.error_chain, code))
        }
        any(&self.errors, &code.into())
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// An error of the shapes other APIs use, when a body has no `errors` list.
fn other_error_shapes(map: &serde_json::Map<String, Value>) -> Option<Message> {
    let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
    match map.get("error") {
        Some(Value::Object(_)) => return map.get("error").cloned().map(Message::from_value),
        Some(Value::String(error)) => {
            let message = match text("error_description") {
                Some(description) => format!("{error}: {description}"),
                None => error.clone(),
            };
            return Some(Message::from_value(Value::String(message)));
        }
        _ => {}
    }
    if let Some(detail) = text("detail").or_else(|| text("title")) {
        return Some(Message::from_value(Value::String(detail)));
    }
    text("message").map(|message| Message::from_value(Value::String(message)))
}

/// RFC 9457 problem details (`application/problem+json`).
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Problem {
    /// `type`: a URI identifying the problem type.
    pub type_uri: Option<String>,
    /// `title`: a short summary of the problem type.
    pub title: Option<String>,
    /// `status`: the HTTP status the server meant.
    pub status: Option<u16>,
    /// `detail`: an explanation of this occurrence.
    pub detail: Option<String>,
    /// `instance`: a URI identifying this occurrence.
    pub instance: Option<String>,
    /// Every other member (extensions such as `errors` or `balance`).
    pub extensions: serde_json::Map<String, Value>,
}

impl Problem {
    fn from_map(mut map: serde_json::Map<String, Value>) -> Self {
        let mut text = |key: &str| match map.remove(key) {
            Some(Value::String(text)) => Some(text),
            Some(other) => {
                map.insert(key.to_owned(), other);
                None
            }
            None => None,
        };
        let type_uri = text("type");
        let title = text("title");
        let detail = text("detail");
        let instance = text("instance");
        let status = match map.remove("status") {
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= u64::from(u16::MAX)) => {
                n.as_u64().map(|n| n as u16)
            }
            Some(other) => {
                map.insert("status".to_owned(), other);
                None
            }
            None => None,
        };
        Problem {
            type_uri,
            title,
            status,
            detail,
            instance,
            extensions: map,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error (HTTP {})", self.status)?;
        if !self.errors.is_empty() {
            f.write_str(": ")?;
            for (i, error) in self.errors.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(f, "{error}")?;
            }
        } else if let Some(summary) = preview::summary(&self.body) {
            write!(f, ": {summary}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &preview::DebugHeaders(&self.headers))
            .field("errors", &self.errors)
            .field("messages", &self.messages)
            .field("body", &preview::DebugBody(&self.body))
            .finish()
    }
}

impl std::error::Error for ApiError {}

/// A response that could not be decoded into the expected type.
#[derive(Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status.
    pub status: StatusCode,
    /// Where in the JSON document decoding failed, e.g.
    /// `result.settings.tls_decrypt.enabled` (empty when the body as a
    /// whole was unusable, e.g. not JSON).
    pub path: String,
    /// What went wrong.
    pub message: String,
    /// The response's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The raw response body.
    pub body: Bytes,
}

impl DecodeError {
    /// Builds a decode error for a response.
    pub fn new(
        status: StatusCode,
        path: impl Into<String>,
        message: impl Into<String>,
        content_type: Option<String>,
        body: Bytes,
    ) -> Self {
        DecodeError {
            status,
            path: path.into(),
            message: message.into(),
            content_type,
            body,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not decode the response (HTTP {}", self.status)?;
        if let Some(content_type) = &self.content_type {
            write!(f, ", {content_type}")?;
        }
        f.write_str(")")?;
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("content_type", &self.content_type)
            .field("body", &preview::DebugBody(&self.body))
            .finish()
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_stays_small() {
        // Keeps `Result<_, Error>` cheap to move, and below clippy's
        // `result_large_err` threshold in generated code.
        assert!(
            std::mem::size_of::<Error>() <= 128,
            "{}",
            std::mem::size_of::<Error>()
        );
    }
}
