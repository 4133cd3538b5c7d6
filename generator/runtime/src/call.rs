//! [`Call`]: a request being built, then sent.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::multipart::Form;
use reqwest::Method;
use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::exchange;
use crate::request::style::{self, Node, ParamStyle};
use crate::request::{form, multipart, path, query, Body, Request};
use crate::response::{ApiResponse, RawResponse};

/// The function that decodes a successful response of a call.
pub(crate) type DecodeFn<T> = fn(RawResponse) -> Result<ApiResponse<T>, Error>;

/// A call to an API operation, made by [`Client::call`].
///
/// A call owns a (cheap) clone of its client: it can be stored, moved into
/// a spawned task, or sent later.
///
/// The builder methods never fail or panic: a problem (an unusable header,
/// a body that doesn't serialize) is kept and returned when the call is
/// sent, before anything goes over the network.
///
/// Await the call for the result alone, or [`send`](Call::send) it for the
/// whole [`ApiResponse`]:
///
/// ```no_run
/// # use apigen_runtime::{decode, Client, Method};
/// # async fn example(client: Client) -> Result<(), apigen_runtime::Error> {
/// let zone: serde_json::Value = client
///     .call(Method::GET, "/zones/{zone_id}", decode::envelope)
///     .path_param("zone_id", "023e105f4ecef8ad9ca31a8372d0c353")
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// # Retries
///
/// A call is retried (up to the client's `max_retries`, or this call's
/// [`max_retries`](Call::max_retries)) after a connection failure, a
/// timeout, a broken connection, or a 408, 409, 429 or 5xx response,
/// waiting as the response's `Retry-After` header says or with exponential
/// backoff. When `Retry-After` is longer than the client's
/// `max_retry_after`, the error is returned at once. A call with a
/// [`multipart_body`](Call::multipart_body) is sent only once: the form
/// is consumed by sending it, so it is never retried (a
/// [`multipart_form_body`](Call::multipart_form_body) is encoded at once,
/// and retried like any other).
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct Call<T> {
    pub(crate) client: Client,
    pub(crate) decode: DecodeFn<T>,
    pub(crate) request: Request,
    pub(crate) multipart: Option<Form>,
    pub(crate) error: Option<Error>,
}

impl<T> Call<T> {
    /// A call with nothing set.
    pub(crate) fn new(
        client: Client,
        method: Method,
        path_template: &'static str,
        decode: DecodeFn<T>,
    ) -> Self {
        Call {
            client,
            decode,
            request: Request::new(method, path_template),
            multipart: None,
            error: None,
        }
    }

    /// Keeps the first problem found while building.
    fn fail(mut self, error: Error) -> Self {
        if self.error.is_none() {
            self.error = Some(error);
        }
        self
    }

    /// Fills the `{name}` placeholder of the path template with `value`,
    /// percent-encoded as a single path segment: every character but
    /// `A-Z a-z 0-9 - . _ ~` is encoded, so `/`, `?`, `#` and `%` can't
    /// change the path or add a query. An empty value, `.` or `..` is an
    /// [`Error::InvalidRequest`]. A placeholder left unfilled, or a name
    /// the template lacks, is an error when the call is sent.
    pub fn path_param(mut self, name: &str, value: impl fmt::Display) -> Self {
        match path::encode_segment(name, &value.to_string()) {
            Ok(encoded) => {
                self.request.path_params.push((name.to_owned(), encoded));
                self
            }
            Err(message) => self.fail(Error::InvalidRequest(message)),
        }
    }

    /// Adds a query parameter, serialized through `serde_json`: `null`
    /// (such as `Option::None`) is left out; strings are sent as they are,
    /// numbers and booleans as their JSON text; an array repeats the
    /// parameter (`tag=a&tag=b`); an object becomes `name[key]=value` pairs
    /// (`deepObject`). Names and values are percent-encoded.
    pub fn query_param<V: Serialize + ?Sized>(mut self, name: &str, value: &V) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => {
                let mut pairs = Vec::new();
                query::flatten(name, &value, &mut pairs);
                self.request.query.extend(
                    pairs
                        .into_iter()
                        .map(|(name, value)| query::pair(name, value)),
                );
                self
            }
            Err(error) => self.fail(Error::InvalidRequest(format!(
                "query parameter `{name}` could not be serialized: {error}"
            ))),
        }
    }

    /// Fills the `{name}` placeholder with `value` serialized as `style`
    /// says (`simple`, `label` or `matrix`; see [`Style`](crate::Style)):
    /// names, keys and values are percent-encoded as in
    /// [`path_param`](Call::path_param), the style's delimiters are not.
    /// `null`, an empty segment, `.`, `..` or a line break is an
    /// [`Error::InvalidRequest`].
    pub fn path_param_styled<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Self {
        let node = match Node::from_value(value) {
            Ok(node) => node,
            Err(error) => {
                return self.fail(Error::InvalidRequest(format!(
                    "path parameter `{name}` could not be serialized: {error}"
                )))
            }
        };
        match style::path(name, &node, style) {
            None => self.fail(Error::InvalidRequest(format!(
                "path parameter `{name}` is null"
            ))),
            Some(segment) if matches!(segment.as_str(), "" | "." | "..") => {
                self.fail(Error::InvalidRequest(format!(
                    "path parameter `{name}` is `{segment}`, which would change the request path"
                )))
            }
            Some(segment) if segment.contains("%0D") || segment.contains("%0A") => {
                self.fail(Error::InvalidRequest(format!(
                    "path parameter `{name}` contains a line break (CR or LF)"
                )))
            }
            Some(segment) => {
                self.request.path_params.push((name.to_owned(), segment));
                self
            }
        }
    }

    /// Adds a query parameter serialized as `style` says (`form`,
    /// `spaceDelimited`, `pipeDelimited` or `deepObject`, exploded or not;
    /// see [`Style`](crate::Style)). `null` is left out. Names and values
    /// are percent-encoded (reserved characters too, unless
    /// [`ParamStyle::allow_reserved`]); the style's delimiters are not.
    pub fn query_param_styled<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Self {
        match Node::from_value(value) {
            Ok(node) => {
                self.request.query.extend(style::pairs(name, &node, style));
                self
            }
            Err(error) => self.fail(Error::InvalidRequest(format!(
                "query parameter `{name}` could not be serialized: {error}"
            ))),
        }
    }

    /// Adds a header parameter serialized in `simple` style (`a,b`; an
    /// object `k,v` or, exploded, `k=v`), not percent-encoded. `null` is
    /// left out. A value with a line break is an [`Error::InvalidRequest`].
    pub fn header_param<V: Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Self {
        match Node::from_value(value) {
            Ok(node) => match style::header(&node, style) {
                Some(text) => self.header(name, text),
                None => self,
            },
            Err(error) => self.fail(Error::InvalidRequest(format!(
                "header parameter `{name}` could not be serialized: {error}"
            ))),
        }
    }

    /// Adds a cookie parameter, serialized as a `form` query parameter
    /// would be (values percent-encoded); the pairs of every cookie go in
    /// one `Cookie` header, after a cookie credential's. `null` is left
    /// out.
    pub fn cookie_param<V: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Self {
        match Node::from_value(value) {
            Ok(node) => {
                let pairs = style::pairs(name, &node, style);
                self.request
                    .cookies
                    .extend(pairs.into_iter().map(|pair| pair.encoded));
                self
            }
            Err(error) => self.fail(Error::InvalidRequest(format!(
                "cookie parameter `{name}` could not be serialized: {error}"
            ))),
        }
    }

    /// Sends `body`, which must serialize to an object, as
    /// `application/x-www-form-urlencoded`: each property as a `form`
    /// query parameter would be (exploded: `tag=a&tag=b`, an object's
    /// fields as their own pairs), unless `encoding` names it with another
    /// style, such as `deepObject` for `meta[key]=value` and `list[]=x`.
    /// `null` properties are left out.
    pub fn form_body<B: Serialize + ?Sized>(
        self,
        body: &B,
        encoding: &[(&str, ParamStyle)],
    ) -> Self {
        match Node::from_value(body).and_then(|node| form::encode(&node, encoding)) {
            Ok(text) => self.body(
                Bytes::from(text),
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            ),
            Err(error) => self.fail(Error::InvalidRequest(format!(
                "the form body could not be serialized: {error}"
            ))),
        }
    }

    /// Sends `body` as JSON (`Content-Type: application/json`).
    pub fn json_body<B: Serialize + ?Sized>(self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body(
                Bytes::from(bytes),
                HeaderValue::from_static("application/json"),
            ),
            Err(error) => self.fail(Error::InvalidRequest(format!(
                "the request body could not be serialized: {error}"
            ))),
        }
    }

    /// Sends `body`, which must serialize to an object, as
    /// `multipart/form-data`: each property one part named after it (an
    /// array one part per item), by OpenAPI's `encoding` defaults: a
    /// string, number or boolean as text (no `Content-Type`, which means
    /// `text/plain`); [`Bytes`] as a file (`filename` = the name,
    /// `application/octet-stream`); anything else as JSON
    /// (`application/json`). `content_types` gives the `Content-Type` the
    /// description's `encoding` declares for some properties (the first
    /// concrete type of a list such as `image/png, image/jpeg`). `null`
    /// properties are left out. Unlike [`multipart_body`](Call::multipart_body),
    /// the body is encoded at once, so the call can be retried.
    pub fn multipart_form_body<B: Serialize + ?Sized>(
        self,
        body: &B,
        content_types: &[(&str, &str)],
    ) -> Self {
        let parts = match multipart::parts(body, content_types) {
            Ok(parts) => parts,
            Err(error) => {
                return self.fail(Error::InvalidRequest(format!(
                    "the multipart body could not be serialized: {error}"
                )))
            }
        };
        let boundary = multipart::boundary(&parts);
        let bytes = Bytes::from(multipart::encode(&parts, &boundary));
        match HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}")) {
            Ok(content_type) => self.body(bytes, content_type),
            Err(_) => self.fail(Error::InvalidRequest(
                "the multipart boundary is not a valid header value".to_owned(),
            )),
        }
    }

    /// Sends a `multipart/form-data` body. Such a call is never retried
    /// (the form can only be sent once).
    pub fn multipart_body(mut self, form: Form) -> Self {
        self.request.body = None;
        self.multipart = Some(form);
        self
    }

    /// Sends raw bytes with this `Content-Type`.
    pub fn bytes_body(self, body: impl Into<Bytes>, content_type: &'static str) -> Self {
        self.raw_body(body.into(), content_type)
    }

    /// Sends text with this `Content-Type`.
    pub fn text_body(self, body: impl Into<String>, content_type: &'static str) -> Self {
        self.raw_body(Bytes::from(body.into()), content_type)
    }

    /// Sets a re-sendable body (replacing a multipart one).
    fn body(mut self, bytes: Bytes, content_type: HeaderValue) -> Self {
        self.request.body = Some(Body {
            bytes,
            content_type,
        });
        self.multipart = None;
        self
    }

    /// Sets a re-sendable body from a `Content-Type` given as text.
    fn raw_body(self, bytes: Bytes, content_type: &'static str) -> Self {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => self.body(bytes, content_type),
            Err(_) => self.fail(Error::InvalidRequest(format!(
                "`{content_type}` is not a valid Content-Type"
            ))),
        }
    }

    /// The operation's security requirements: alternatives, each a set of
    /// scheme names used together (`&[&["api_email", "api_key"],
    /// &["api_token"]]`). The first requirement whose every scheme has a
    /// credential is sent. An empty list means the operation takes no
    /// credentials, so none are sent. When no requirement is satisfied, the
    /// configured credentials are sent all the same (descriptions are often
    /// incomplete; the server decides). With no credentials configured the
    /// call fails with [`Error::NoMatchingCredentials`] — unless one
    /// requirement is empty (authentication optional), in which case
    /// nothing is sent. Without this, whatever is configured is sent.
    pub fn security(mut self, requirements: crate::security::Requirements) -> Self {
        self.request.security = Some(requirements);
        self
    }

    /// Adds a header to this request (replacing one of the client's, such
    /// as `User-Agent`, with the same name). An invalid name or a value
    /// with a line break is an [`Error::InvalidRequest`].
    pub fn header(mut self, name: &str, value: impl fmt::Display) -> Self {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(Error::InvalidRequest(format!(
                "`{name}` is not a valid header name"
            )));
        };
        match HeaderValue::from_str(&value.to_string()) {
            Ok(value) => {
                self.request.headers.append(name, value);
                self
            }
            // The value isn't echoed: it might be a secret.
            Err(_) => self.fail(Error::InvalidRequest(format!(
                "the value of header `{name}` contains characters not allowed in a header"
            ))),
        }
    }

    /// The timeout of each attempt of this call, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.request.timeout = Some(timeout);
        self
    }

    /// How often this call is retried, instead of the client's setting.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.request.max_retries = Some(max_retries);
        self
    }

    /// Sends the call, giving the whole response: the result plus the
    /// status, headers, `messages` and `result_info`.
    ///
    /// The returned future is `Send` when `T` is.
    pub async fn send(self) -> Result<ApiResponse<T>, Error> {
        let Call {
            client,
            decode,
            request,
            multipart,
            error,
        } = self;
        if let Some(error) = error {
            return Err(error);
        }
        let raw = exchange::execute(&client, &request, multipart).await?;
        decode(raw)
    }
}

impl<T: Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    /// Sends the call, giving the result alone.
    fn into_future(self) -> Self::IntoFuture {
        let response = self.send();
        Box::pin(async move { response.await.map(ApiResponse::into_result) })
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.request.method)
            .field("path_template", &self.request.path_template)
            .field("query", &query::encode(&self.request.query))
            .field("multipart", &self.multipart.is_some())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}
