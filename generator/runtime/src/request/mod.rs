//! The request layer: the description of one API request as a
//! [`Call`](crate::Call) builds it: method, path template and parameters,
//! query, body, headers and per-request options, with the encoding of each
//! (path segments, query pairs, parameter styles, form bodies; the setters
//! are in `build.rs`). It is plain data, cloned for retries and pages.
//!
//! **Layer rule:** the request layer may use only the value modules below
//! it (`error`, `security` for the operation's requirements, and what
//! they use), never `transport`, `call`, `pagination` or `client`.
//! `tests/it/layers.rs` checks this (the order is `LAYERS` there).

mod build;
mod form;
pub(crate) mod multipart;
mod path;
mod query;
pub(crate) mod style;

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use crate::error::Error;

/// A request body that can be sent again (for retries).
#[derive(Clone, Debug)]
pub(crate) struct Body {
    /// The encoded body.
    pub(crate) bytes: Bytes,
    /// Its `Content-Type`.
    pub(crate) content_type: HeaderValue,
}

/// A body that is consumed by sending it, so a request carrying one is
/// sent once (never retried): a multipart form, or a streamed body such as
/// newline-delimited JSON.
pub(crate) enum OnceBody {
    /// A `multipart/form-data` form.
    Multipart(reqwest::multipart::Form),
    /// A body streamed as it is produced, with its `Content-Type`.
    Streamed {
        /// The body.
        body: reqwest::Body,
        /// Its `Content-Type`.
        content_type: HeaderValue,
    },
}

/// Everything about a request except a multipart body (which can't be
/// cloned and is carried beside it).
#[derive(Clone, Debug)]
pub(crate) struct Request {
    /// The HTTP method.
    pub(crate) method: Method,
    /// The path template, e.g. `/zones/{zone_id}`; also the name the
    /// request is logged under.
    pub(crate) path_template: &'static str,
    /// `(name, percent-encoded value)` for each `{name}` of the template.
    pub(crate) path_params: Vec<(String, String)>,
    /// Query pairs, each with its encoded form and the parameter that
    /// added it (setting a parameter again replaces its pairs).
    pub(crate) query: Vec<(String, style::Pair)>,
    /// `name=value` cookies (values encoded), each with the parameter that
    /// added it, sent in one `Cookie` header after any cookie credential.
    pub(crate) cookies: Vec<(String, String)>,
    /// A re-sendable body.
    pub(crate) body: Option<Body>,
    /// Extra headers set on this request.
    pub(crate) headers: HeaderMap,
    /// The operation's security requirements, if declared.
    pub(crate) security: Option<crate::security::Requirements>,
    /// Per-attempt timeout overriding the client's.
    pub(crate) timeout: Option<Duration>,
    /// Retry limit overriding the client's.
    pub(crate) max_retries: Option<u32>,
    /// The idempotency key the call set (sent in `idempotency_header`, else
    /// the client's header).
    pub(crate) idempotency_key: Option<HeaderValue>,
    /// The header in which the operation takes an idempotency key; a fresh
    /// key is sent there unless the call sets one.
    pub(crate) idempotency_header: Option<HeaderName>,
}

impl Request {
    /// A request with nothing set yet.
    pub(crate) fn new(method: Method, path_template: &'static str) -> Self {
        Request {
            method,
            path_template,
            path_params: Vec::new(),
            query: Vec::new(),
            cookies: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            security: None,
            timeout: None,
            max_retries: None,
            idempotency_key: None,
            idempotency_header: None,
        }
    }

    /// Replaces every query pair named `name` with one `name=value`.
    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(_, pair)| pair.name != name);
        self.query
            .push((name.to_owned(), query::pair(name.to_owned(), value)));
    }

    /// The value of the first query pair named `name`.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(_, pair)| pair.name == name)
            .map(|(_, pair)| pair.value.as_str())
    }

    /// The query as sent (`a=1&b=x%20y`).
    pub(crate) fn encoded_query(&self) -> String {
        query::encode(self.query.iter().map(|(_, pair)| pair))
    }

    /// The full URL: `base_url` (without a trailing slash) + the filled
    /// path + the encoded query. A `#fragment` in the template (some
    /// descriptions use one to declare a path twice) is left out: it is
    /// never sent.
    pub(crate) fn url(&self, base_url: &str) -> Result<Url, Error> {
        let mut path =
            path::fill(self.path_template, &self.path_params).map_err(Error::InvalidRequest)?;
        if let Some(hash) = path.find('#') {
            path.truncate(hash);
        }
        let mut url = format!("{base_url}{path}");
        if !self.query.is_empty() {
            url.push(if path.contains('?') { '&' } else { '?' });
            url.push_str(&self.encoded_query());
        }
        Url::parse(&url).map_err(|error| {
            Error::InvalidRequest(format!(
                "could not build the URL for `{}`: {error}",
                self.path_template
            ))
        })
    }
}
