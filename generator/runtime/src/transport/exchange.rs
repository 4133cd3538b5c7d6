//! Running one exchange over HTTP: credentials, default headers and the
//! idempotency key, the rate-limit pause, attempts with retries (as
//! `retry::may_retry` allows for the method and key), the response size
//! limit, and turning non-2xx responses into [`Error::Api`].

use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};
use tracing::Instrument;

use super::retry::{self, Failure};
use super::Inner;
use crate::credentials::{Credential, Secret, TokenProvider};
use crate::error::{ApiError, Error};
use crate::request::{OnceBody, Request};
use crate::response::RawResponse;
use crate::security;

/// Sends `request` (with `multipart`, if any) until it succeeds, fails for
/// good, or runs out of retries. Returns the fully read 2xx response.
///
/// Credentials follow the request's security requirements. Token providers
/// are asked before the first attempt, and once more after a
/// `401 Unauthorized` (then the request is sent again, outside the retry
/// count, when it has no multipart body: whatever the method, since the
/// server refused it).
///
/// The idempotency key, when the request gets one, is drawn once here, so
/// every attempt of this exchange carries the same key.
pub(super) async fn execute(
    inner: &Inner,
    request: &Request,
    mut multipart: Option<OnceBody>,
    open: bool,
) -> Result<Answer, Error> {
    let chosen = security::select(request.security, &inner.config.credentials)?;
    let providers: Vec<&dyn TokenProvider> = chosen
        .iter()
        .filter_map(|(_, credential)| match credential {
            Credential::Provider(provider) => Some(&**provider),
            _ => None,
        })
        .collect();
    let span = tracing::info_span!(
        "apigen_request",
        method = %request.method,
        path = request.path_template,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
    );
    let (key_header, key) = idempotency_key(inner, request)?;
    // The tokens the API refused with a `401`, one per provider.
    let mut refused: Option<Vec<Secret>> = None;
    loop {
        let mut tokens = Vec::with_capacity(providers.len());
        for (index, provider) in providers.iter().enumerate() {
            let token = match refused.as_ref().and_then(|refused| refused.get(index)) {
                Some(refused) => provider.replace(refused).await?,
                None => provider.token(false).await?,
            };
            tokens.push(token);
        }
        let auth = security::render(&chosen, &tokens)?;
        let mut url = request.url(&inner.config.base_url)?;
        if !auth.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&auth.query);
        }
        let mut headers = headers(inner, request, auth.headers);
        if let Some(key) = &key {
            if !headers.contains_key(&key_header) {
                headers.insert(key_header.clone(), key.clone());
            }
        }
        let keyed = headers.contains_key(&key_header);
        let retry_unauthorized = refused.is_none() && !providers.is_empty() && multipart.is_none();
        let exchange = Exchange {
            inner,
            request,
            keyed,
            open,
        };
        let result = exchange
            .attempts(url, headers, multipart.take(), span.clone())
            .instrument(span.clone())
            .await;
        let result = match result {
            // A URL that carries a credential never shows in an error.
            Err(Error::Transport(error)) if !auth.query.is_empty() => {
                Err(Error::Transport(error.without_url()))
            }
            other => other,
        };
        match result {
            Err(Error::Api(error))
                if retry_unauthorized && error.status == reqwest::StatusCode::UNAUTHORIZED =>
            {
                tracing::debug!("401 with a provided token; asking for a new one");
                refused = Some(tokens);
            }
            other => return other,
        }
    }
}

/// The header that carries this request's idempotency key (the
/// operation's, else the client's), and a key to put there unless the call
/// sets that header itself: the call's own key, else a fresh random one
/// (a UUID v4) when the operation takes a key or the client sends one
/// with every request whose method is not idempotent.
fn idempotency_key(
    inner: &Inner,
    request: &Request,
) -> Result<(HeaderName, Option<HeaderValue>), Error> {
    let header = request
        .idempotency_header
        .clone()
        .unwrap_or_else(|| inner.config.idempotency_header.clone());
    let fresh = request.idempotency_header.is_some()
        || (inner.config.idempotency_keys && !retry::is_idempotent(&request.method));
    let key = match &request.idempotency_key {
        Some(key) => Some(key.clone()),
        None if fresh => {
            let key = uuid::Uuid::new_v4().hyphenated().to_string();
            Some(HeaderValue::from_str(&key).map_err(|_| {
                Error::InvalidRequest("an idempotency key is not a header value".to_owned())
            })?)
        }
        None => None,
    };
    Ok((header, key))
}

/// What every request accepts unless the call says otherwise: JSON first
/// (a server offering JSON and XML, as the Petstore does, sends JSON),
/// anything else for operations whose answer is text or bytes.
const DEFAULT_ACCEPT: &str = "application/json, */*;q=0.1";

/// The headers of every attempt: user agent, `Accept`, content type, the
/// client's default headers (which replace any of those), credentials,
/// then the call's own headers, which replace any of the former with the
/// same name.
fn headers(
    inner: &Inner,
    request: &Request,
    credentials: Vec<(HeaderName, HeaderValue)>,
) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(agent) = &inner.request_user_agent {
        headers.insert(USER_AGENT, agent.clone());
    }
    headers.insert(ACCEPT, HeaderValue::from_static(DEFAULT_ACCEPT));
    if let Some(body) = &request.body {
        headers.insert(CONTENT_TYPE, body.content_type.clone());
    }
    for name in inner.config.default_headers.keys() {
        headers.remove(name);
    }
    for (name, value) in &inner.config.default_headers {
        headers.append(name.clone(), value.clone());
    }
    for (name, value) in credentials {
        headers.append(name, value);
    }
    // Cookie parameters join a cookie credential in one `Cookie` header.
    if !request.cookies.is_empty() {
        let mut cookies: Vec<&str> = headers
            .get(COOKIE)
            .and_then(|value| value.to_str().ok())
            .into_iter()
            .collect();
        cookies.extend(request.cookies.iter().map(|(_, pair)| pair.as_str()));
        if let Ok(mut value) = HeaderValue::from_str(&cookies.join("; ")) {
            let sensitive = headers.get(COOKIE).is_some_and(HeaderValue::is_sensitive);
            value.set_sensitive(sensitive);
            headers.insert(COOKIE, value);
        }
    }
    for name in request.headers.keys() {
        headers.remove(name);
    }
    for (name, value) in &request.headers {
        headers.append(name.clone(), value.clone());
    }
    headers
}

/// What an exchange gives: a 2xx response read whole, or (when asked to
/// open a stream) with its body unread.
pub(super) enum Answer {
    /// The response, read.
    Read(RawResponse),
    /// The response whose body is a stream, unread.
    Open(reqwest::Response),
}

/// Reads a 2xx response whole, within the size limit.
pub(super) async fn read_whole(
    inner: &Inner,
    response: reqwest::Response,
) -> Result<RawResponse, Error> {
    let (status, headers) = (response.status(), response.headers().clone());
    match read_body(response, inner.config.max_response_bytes).await {
        Ok(body) => Ok(RawResponse {
            status,
            headers,
            body,
        }),
        Err(BodyError::TooLarge) => Err(Error::ResponseTooLarge {
            limit: inner.config.max_response_bytes,
            status,
        }),
        Err(BodyError::Transport(error)) => Err(Error::Transport(error)),
    }
}

/// Where the attempt loop stands: the retries made, how many may be, and
/// each attempt's timeout.
struct Attempt {
    retry: u32,
    max_retries: u32,
    timeout: Duration,
}

/// What one attempt ends in.
enum Step {
    /// The exchange's answer (or error): no more attempts.
    Done(Result<Answer, Error>),
    /// Another attempt after this delay.
    Retry(Duration),
}

/// One exchange's attempts: the request and whether it carries an
/// idempotency key, which decide what is retried.
struct Exchange<'a> {
    inner: &'a Inner,
    request: &'a Request,
    /// Whether the request carries its idempotency header.
    keyed: bool,
    /// Whether a 2xx response is given with its body unread (a stream).
    open: bool,
}

impl Exchange<'_> {
    /// The attempt loop.
    async fn attempts(
        &self,
        url: Url,
        headers: HeaderMap,
        mut multipart: Option<OnceBody>,
        span: tracing::Span,
    ) -> Result<Answer, Error> {
        let (inner, request) = (self.inner, self.request);
        // A multipart form or a streamed body is consumed by sending it, so
        // it gets one attempt.
        let max_retries = if multipart.is_some() {
            0
        } else {
            request.max_retries.unwrap_or(inner.config.max_retries)
        };
        let mut attempt = Attempt {
            retry: 0,
            max_retries,
            timeout: request.timeout.unwrap_or(inner.config.timeout),
        };
        loop {
            span.record("attempt", attempt.retry.saturating_add(1));
            inner.rate_limiter.wait(inner.config.max_retry_after).await;
            let body = multipart.take();
            match self.attempt(&url, &headers, body, &attempt, &span).await {
                Step::Done(answer) => return answer,
                Step::Retry(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt.retry += 1;
                }
            }
        }
    }

    /// One attempt: its answer, or how long to wait before the next.
    async fn attempt(
        &self,
        url: &Url,
        headers: &HeaderMap,
        multipart: Option<OnceBody>,
        attempt: &Attempt,
        span: &tracing::Span,
    ) -> Step {
        let inner = self.inner;
        let Attempt {
            retry,
            max_retries,
            timeout,
        } = *attempt;
        let http_request = match self.build(url, headers, multipart, timeout) {
            Ok(http_request) => http_request,
            Err(error) => return Step::Done(Err(error)),
        };
        let sent = inner.http.execute(http_request);
        // A stream's body may last longer than any timeout: only the
        // wait for its status and headers is bounded.
        let sent = if self.open {
            match tokio::time::timeout(timeout, sent).await {
                Ok(sent) => sent,
                Err(_) => return Step::Done(Err(Error::Timeout { timeout })),
            }
        } else {
            sent.await
        };
        let response = match sent {
            Ok(response) => response,
            Err(error) => return self.after_transport_error(retry, max_retries, error),
        };

        let status = response.status();
        span.record("status", status.as_u16());
        inner.rate_limiter.observe(response.headers());

        if retry < max_retries {
            if let Some(delay) = self.status_retry(retry, status, response.headers()) {
                return Step::Retry(delay);
            }
        }

        if self.open && status.is_success() {
            return Step::Done(Ok(Answer::Open(response)));
        }
        let headers = response.headers().clone();
        let body = match read_body(response, inner.config.max_response_bytes).await {
            Ok(body) => body,
            Err(BodyError::TooLarge) => {
                return Step::Done(Err(Error::ResponseTooLarge {
                    limit: inner.config.max_response_bytes,
                    status,
                }))
            }
            Err(BodyError::Transport(error)) => {
                return self.after_transport_error(retry, max_retries, error)
            }
        };
        Step::Done(if status.is_success() {
            Ok(Answer::Read(RawResponse {
                status,
                headers,
                body,
            }))
        } else {
            Err(ApiError::from_response(status, headers, body).into())
        })
    }

    /// After a transport error: a retry when it may be, else the error.
    fn after_transport_error(&self, retry: u32, max_retries: u32, error: reqwest::Error) -> Step {
        match self.transport_retry(retry, max_retries, &error) {
            Some(delay) => Step::Retry(delay),
            None => Step::Done(Err(Error::Transport(error))),
        }
    }

    /// One attempt's HTTP request: the method, URL and headers, with the
    /// body sent once (first attempt only) or the re-sendable body; no
    /// timeout when it opens a stream (the caller bounds the wait for the
    /// head).
    fn build(
        &self,
        url: &Url,
        headers: &HeaderMap,
        once: Option<OnceBody>,
        timeout: Duration,
    ) -> Result<reqwest::Request, Error> {
        let mut builder = self
            .inner
            .http
            .request(self.request.method.clone(), url.clone())
            .headers(headers.clone());
        if !self.open {
            builder = builder.timeout(timeout);
        }
        if let Some(OnceBody::Multipart(form)) = once {
            builder = builder.multipart(form);
        } else if let Some(OnceBody::Streamed { body, content_type }) = once {
            builder = builder.header(CONTENT_TYPE, content_type).body(body);
        } else if let Some(body) = &self.request.body {
            builder = builder.body(body.bytes.clone());
        }
        builder.build().map_err(|error| {
            Error::InvalidRequest(format!("the request could not be built: {error}"))
        })
    }

    /// The wait before retrying after a response with this status, or
    /// `None` when it is not retried: the policy forbids it, or the
    /// server's `Retry-After` is longer than the client waits.
    fn status_retry(
        &self,
        retry: u32,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Option<Duration> {
        let wait = retry::retry_after(headers, SystemTime::now());
        let failure = Failure::Status {
            status,
            retry_after: wait.is_some(),
        };
        if !retry::may_retry(&self.request.method, self.keyed, failure) {
            if retry::may_retry(&Method::GET, true, failure) {
                tracing::debug!(
                    status = status.as_u16(),
                    "not retried: the server may have acted on a request that has no \
                     idempotency key"
                );
            }
            return None;
        }
        let delay = match wait {
            Some(wait) if wait <= self.inner.config.max_retry_after => wait,
            Some(wait) => {
                tracing::debug!(?wait, "Retry-After is too long; not retrying");
                return None;
            }
            None => self.inner.config.backoff.delay(retry),
        };
        tracing::debug!(
            status = status.as_u16(),
            ?delay,
            "retryable response; retrying"
        );
        Some(delay)
    }

    /// The backoff before retrying after a transport error, or `None` when
    /// the policy forbids it or no retries are left.
    fn transport_retry(
        &self,
        retry: u32,
        max_retries: u32,
        error: &reqwest::Error,
    ) -> Option<Duration> {
        let failure = retry::transport_failure(error)?;
        if retry >= max_retries || !retry::may_retry(&self.request.method, self.keyed, failure) {
            return None;
        }
        let delay = self.inner.config.backoff.delay(retry);
        tracing::debug!(
            error = %retry::describe_transport(error),
            ?delay,
            "transport error; retrying"
        );
        Some(delay)
    }
}

/// Why reading a body failed.
enum BodyError {
    /// It is longer than the limit.
    TooLarge,
    /// The connection failed or timed out.
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk, failing as soon as it exceeds `limit`
/// (or at once when `Content-Length` already does).
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Bytes, BodyError> {
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    // Trust a declared length only up to a modest preallocation.
    let capacity = declared
        .and_then(|length| usize::try_from(length).ok())
        .unwrap_or(0)
        .min(1024 * 1024);
    let mut body = BytesMut::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if chunk.len() > limit.saturating_sub(body.len()) {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
