//! The call layer: [`Call`], a request being built, then sent through the
//! transport and decoded (awaited for the result, or [`send`](Call::send)
//! for the whole response), and [`Resendable`], the `pub(crate)` API
//! pagination builds on (the same call sent again with another page).
//!
//! **Layer rule:** the call layer may use `transport`, `request` and the
//! value modules below them (`error`, `response`, `security`, ...), never
//! `pagination` or `client`, which are built on it: a call holds the
//! client's [`Transport`], not the client. `tests/it/layers.rs` checks
//! this (the order is `LAYERS` there).

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use reqwest::multipart::Form;
use reqwest::Method;
use serde::Serialize;

use crate::error::Error;
use crate::request::style::ParamStyle;
use crate::request::{OnceBody, Request};
use crate::response::{ApiResponse, RawResponse};
use crate::security::Requirements;
use crate::stream::{NdjsonBody, StreamSource, Streamed};
use crate::transport::Transport;

/// The function that decodes a successful response of a call.
type DecodeFn<T> = fn(RawResponse) -> Result<ApiResponse<T>, Error>;

/// How a call turns its response into `T`: a body read whole and decoded,
/// or a stream over the body as it comes.
enum Decoder<T> {
    /// Read the body, then decode it.
    Body(DecodeFn<T>),
    /// Make the stream from the opened response.
    Stream(fn(StreamSource) -> T),
}

/// A call to an API operation, made by [`Client::call`](crate::Client::call).
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
/// A call is retried up to the client's `max_retries` times (or this
/// call's [`max_retries`](Call::max_retries)), waiting as the response's
/// `Retry-After` header says or with exponential backoff. What is retried
/// depends on whether sending the request again is safe:
///
/// | request | retried after |
/// |---|---|
/// | `GET`, `PUT`, `DELETE`, `HEAD`, `OPTIONS` (idempotent methods), or any request with an idempotency key | a connection failure, a timeout, a broken connection; 408, 409, 429, any 5xx |
/// | `POST`, `PATCH` or any other method, without an idempotency key | only what the server cannot have acted on: a connection that was never made; 429; 503 with `Retry-After` |
///
/// So a `POST` answered 500, or whose answer timed out after it was sent,
/// is returned as an error at once rather than risk doing its work twice
/// (two payments, two DNS records). Give it an idempotency key
/// ([`idempotency_key`](Call::idempotency_key), or the client's
/// [`idempotency_keys`](crate::ClientBuilder::idempotency_keys)) for the
/// full retries: the same key goes with every attempt, and an API that
/// honours it (Stripe, for one) answers a repeat as it answered the first.
///
/// When `Retry-After` is longer than the client's `max_retry_after`, the
/// error is returned at once. A call with a
/// [`multipart_body`](Call::multipart_body) is sent only once: the form
/// is consumed by sending it, so it is never retried (a
/// [`multipart_form_body`](Call::multipart_form_body) is encoded at once,
/// and retried like any other). A `401` answered to a call whose token
/// comes from a [`TokenProvider`](crate::TokenProvider) is sent once more
/// with a new token, whatever its method: the server refused it.
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct Call<T> {
    /// The client's transport (shared with it and its other calls).
    transport: Transport,
    decode: Decoder<T>,
    request: Request,
    /// A multipart or streamed body, which can't be cloned and is sent
    /// once.
    once: Option<OnceBody>,
    /// The first problem found while building.
    error: Option<Error>,
}

impl<T> Call<T> {
    /// A call with nothing set.
    pub(crate) fn new(
        transport: Transport,
        method: Method,
        path_template: &'static str,
        decode: DecodeFn<T>,
    ) -> Self {
        Call {
            transport,
            decode: Decoder::Body(decode),
            request: Request::new(method, path_template),
            once: None,
            error: None,
        }
    }

    /// A call whose response is a stream of `T`'s items (see
    /// [`Client::stream_call`](crate::Client::stream_call)).
    pub(crate) fn new_stream(
        transport: Transport,
        method: Method,
        path_template: &'static str,
    ) -> Self
    where
        T: Streamed,
    {
        let mut request = Request::new(method, path_template);
        let error = request.header("accept", T::ACCEPT).err();
        Call {
            transport,
            decode: Decoder::Stream(T::from_source),
            request,
            once: None,
            error,
        }
    }

    /// Keeps the first problem found while building.
    fn fail(mut self, error: Error) -> Self {
        if self.error.is_none() {
            self.error = Some(error);
        }
        self
    }

    /// Applies a request setter, keeping its error if it fails.
    fn with(mut self, set: impl FnOnce(&mut Request) -> Result<(), Error>) -> Self {
        match set(&mut self.request) {
            Ok(()) => self,
            Err(error) => self.fail(error),
        }
    }

    /// Applies a setter of the re-sendable body, which replaces a
    /// multipart one.
    fn with_body(mut self, set: impl FnOnce(&mut Request) -> Result<(), Error>) -> Self {
        match set(&mut self.request) {
            Ok(()) => {
                self.once = None;
                self
            }
            Err(error) => self.fail(error),
        }
    }

    /// Fills the `{name}` placeholder of the path template with `value`,
    /// percent-encoded as a single path segment: every character but
    /// `A-Z a-z 0-9 - . _ ~` is encoded, so `/`, `?`, `#` and `%` can't
    /// change the path or add a query. An empty value, `.` or `..` is an
    /// [`Error::InvalidRequest`]. A placeholder left unfilled, or a name
    /// the template lacks, is an error when the call is sent.
    pub fn path_param(self, name: &str, value: impl fmt::Display) -> Self {
        self.with(|request| request.path_param(name, &value.to_string()))
    }

    /// Sets a query parameter, serialized through `serde_json`: `null`
    /// (such as `Option::None`) is left out; strings are sent as they are,
    /// numbers and booleans as their JSON text; an array repeats the
    /// parameter (`tag=a&tag=b`); an object becomes `name[key]=value` pairs
    /// (`deepObject`). Names and values are percent-encoded. Setting a
    /// parameter again replaces what it sent before (in its place), so a
    /// call type's setters can be called in any order, and more than once.
    pub fn query_param<V: Serialize + ?Sized>(self, name: &str, value: &V) -> Self {
        self.with(|request| request.query_param(name, value))
    }

    /// Fills the `{name}` placeholder with `value` serialized as `style`
    /// says (`simple`, `label` or `matrix`; see [`Style`](crate::Style)):
    /// names, keys and values are percent-encoded as in
    /// [`path_param`](Call::path_param), the style's delimiters are not.
    /// `null`, an empty segment, `.`, `..` or a line break is an
    /// [`Error::InvalidRequest`].
    pub fn path_param_styled<V: Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Self {
        self.with(|request| request.path_param_styled(name, value, style))
    }

    /// Sets a query parameter serialized as `style` says (`form`,
    /// `spaceDelimited`, `pipeDelimited` or `deepObject`, exploded or not;
    /// see [`Style`](crate::Style)). `null` is left out. Names and values
    /// are percent-encoded (reserved characters too, unless
    /// [`ParamStyle::allow_reserved`]); the style's delimiters are not.
    /// Setting the parameter again replaces it, as in
    /// [`query_param`](Call::query_param).
    pub fn query_param_styled<V: Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Self {
        self.with(|request| request.query_param_styled(name, value, style))
    }

    /// Sets a header parameter serialized in `simple` style (`a,b`; an
    /// object `k,v` or, exploded, `k=v`), not percent-encoded. `null` is
    /// left out. A value with a line break is an [`Error::InvalidRequest`].
    /// It replaces any header of the same name set before.
    pub fn header_param<V: Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Self {
        self.with(|request| request.header_param(name, value, style))
    }

    /// Sets a cookie parameter, serialized as a `form` query parameter
    /// would be (values percent-encoded); the pairs of every cookie go in
    /// one `Cookie` header, after a cookie credential's. `null` is left
    /// out. Setting the parameter again replaces it.
    pub fn cookie_param<V: Serialize + ?Sized>(
        self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Self {
        self.with(|request| request.cookie_param(name, value, style))
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
        self.with_body(|request| request.form_body(body, encoding))
    }

    /// Sends `body` as JSON (`Content-Type: application/json`).
    pub fn json_body<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.with_body(|request| request.json_body(body))
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
        self.with_body(|request| request.multipart_form_body(body, content_types))
    }

    /// Sends a `multipart/form-data` body. Such a call is never retried
    /// (the form can only be sent once).
    pub fn multipart_body(mut self, form: Form) -> Self {
        self.request.clear_body();
        self.once = Some(OnceBody::Multipart(form));
        self
    }

    /// Sends `body` as newline-delimited JSON with this `Content-Type`
    /// (`application/x-ndjson`, `application/jsonl`, ...): one value per
    /// line, serialized and sent as the body's iterator or stream gives
    /// them, so nothing holds the whole body. Like a
    /// [`multipart_body`](Call::multipart_body), it is sent once, never
    /// retried.
    pub fn ndjson_body<B>(
        mut self,
        body: impl Into<NdjsonBody<B>>,
        content_type: &'static str,
    ) -> Self {
        self.request.clear_body();
        self.once = Some(OnceBody::Streamed {
            body: body.into().into_body(),
            content_type: reqwest::header::HeaderValue::from_static(content_type),
        });
        self
    }

    /// Sends raw bytes with this `Content-Type`.
    pub fn bytes_body(self, body: impl Into<Bytes>, content_type: &'static str) -> Self {
        self.with_body(|request| request.raw_body(body.into(), content_type))
    }

    /// Sends text with this `Content-Type`.
    pub fn text_body(self, body: impl Into<String>, content_type: &'static str) -> Self {
        self.with_body(|request| request.raw_body(Bytes::from(body.into()), content_type))
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
    pub fn security(mut self, requirements: Requirements) -> Self {
        self.request.security = Some(requirements);
        self
    }

    /// Adds a header to this request (replacing one of the client's, such
    /// as `User-Agent` or a [`default_header`](crate::ClientBuilder::default_header),
    /// with the same name). An invalid name or a value
    /// with a line break is an [`Error::InvalidRequest`].
    pub fn header(self, name: &str, value: impl fmt::Display) -> Self {
        self.with(|request| request.header(name, &value.to_string()))
    }

    /// Sends `key` as this call's idempotency key (instead of the client's
    /// automatic one): in the header the operation takes it in (see
    /// [`idempotency_header`](Call::idempotency_header)), else the
    /// client's ([`ClientBuilder::idempotency_header`], `Idempotency-Key`
    /// by default). Every attempt sends the same key, and a call with a
    /// key is retried as an idempotent one is (see [Retries](Call#retries)).
    /// A key that can't be a header value is an [`Error::InvalidRequest`].
    ///
    /// [`ClientBuilder::idempotency_header`]: crate::ClientBuilder::idempotency_header
    pub fn idempotency_key(self, key: impl fmt::Display) -> Self {
        self.with(|request| request.idempotency_key(&key.to_string()))
    }

    /// Says that the operation takes an idempotency key in header `name`
    /// (generated code calls it for operations whose description declares
    /// an `Idempotency-Key` header parameter): unless the call sets that
    /// header itself ([`header`](Call::header), a header parameter, or
    /// [`idempotency_key`](Call::idempotency_key)), a fresh random key (a
    /// UUID v4) is sent there, the same on every attempt. An invalid name
    /// is an [`Error::InvalidRequest`].
    pub fn idempotency_header(self, name: &'static str) -> Self {
        self.with(|request| request.idempotency_header(name))
    }

    /// The timeout of each attempt of this call, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.request.timeout = Some(timeout);
        self
    }

    /// How often this call is retried, instead of the client's setting
    /// (what is retried is in [Retries](Call#retries)).
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
            transport,
            decode,
            request,
            once,
            error,
        } = self;
        if let Some(error) = error {
            return Err(error);
        }
        match decode {
            Decoder::Body(decode) => {
                let raw = transport.execute(&request, once).await?;
                decode(raw)
            }
            Decoder::Stream(make) => {
                let sent_once = once.is_some();
                let response = transport.open(&request, once).await?;
                let (status, headers) = (response.status(), response.headers().clone());
                let source = StreamSource::opened(transport, request, response, sent_once);
                Ok(ApiResponse::new(status, headers, make(source)))
            }
        }
    }

    /// The call as one that can be sent again and again, for pagination:
    /// the problem found while building, if any, or an
    /// [`Error::InvalidRequest`] for a call with a multipart body (which
    /// can only be sent once).
    pub(crate) fn into_resendable(self) -> Result<Resendable<T>, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if self.once.is_some() {
            return Err(Error::InvalidRequest(
                "a call with a multipart or streamed body can only be sent once, so it can't be \
                 paginated"
                    .to_owned(),
            ));
        }
        let Decoder::Body(decode) = self.decode else {
            return Err(Error::InvalidRequest(
                "a call whose response is a stream can't be paginated".to_owned(),
            ));
        };
        Ok(Resendable {
            transport: self.transport,
            decode,
            request: self.request,
        })
    }
}

/// A call without a multipart body or a building problem, which can be
/// sent any number of times, its query changed in between: what a page
/// stream sends (made by [`Call::into_resendable`]).
pub(crate) struct Resendable<T> {
    transport: Transport,
    decode: DecodeFn<T>,
    request: Request,
}

impl<T> Resendable<T> {
    /// The value of the first query parameter named `name`, as sent.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.request.query_value(name)
    }

    /// Replaces every query parameter named `name` with `name=value`.
    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.request.set_query(name, value);
    }

    /// Sends the request as it is now, giving the raw 2xx response (with
    /// retries and credentials, as [`Call::send`]).
    pub(crate) async fn send_raw(&self) -> Result<RawResponse, Error> {
        self.transport.execute(&self.request, None).await
    }

    /// Decodes a response of this call.
    pub(crate) fn decode(&self, raw: RawResponse) -> Result<ApiResponse<T>, Error> {
        (self.decode)(raw)
    }
}

impl<S: Streamed> Call<S> {
    /// The stream of the call's response, opened when it is first polled:
    /// a problem found while building, or an error answer, is its first
    /// (and last) item. Awaiting the call instead opens it first, so such
    /// errors come from the `.await`.
    pub fn stream(self) -> S {
        let source = match self.error {
            Some(error) => StreamSource::failed(self.transport, self.request, error),
            None => StreamSource::lazy(self.transport, self.request, self.once),
        };
        S::from_source(source)
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
            .field("query", &self.request.encoded_query())
            .field("sent_once", &self.once.is_some())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}
