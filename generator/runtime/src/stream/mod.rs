//! Typed streams over a response body as it comes: server-sent events
//! ([`EventStream`], `text/event-stream`) and newline-delimited JSON
//! ([`NdjsonStream`], `application/x-ndjson`, `application/jsonl`,
//! `application/json;stream=watch`), and newline-delimited JSON request
//! bodies ([`NdjsonBody`]).
//!
//! A stream is a plain [`futures_core::Stream`] (`Unpin + Send`) of
//! `Result`s: nothing is read before it is polled, nothing buffers the
//! whole body (only a line whose end has not come yet is kept, up to the
//! client's `max_response_bytes`), and a value that does not decode is an
//! item error that names the line or event, after which the stream goes on.
//! The request goes through the client's transport, so credentials, default
//! headers, rate limits and retries of the opening request apply, to every
//! reconnection too.
//!
//! **Layer rule:** streams use the transport and request layers and the
//! values below them, never `call` or `client` (which make them).

mod lines;
mod ndjson;
mod sse;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::CONTENT_TYPE;
use reqwest::StatusCode;

pub use ndjson::{NdjsonBody, NdjsonStream};
pub use sse::{Event, EventStream};

use crate::error::Error;
use crate::request::{OnceBody, Request};
use crate::transport::Transport;

/// A response type made of a stream: what [`Call::stream`] gives and
/// awaiting the call opens. Implemented by [`EventStream`] and
/// [`NdjsonStream`].
///
/// [`Call::stream`]: crate::Call::stream
pub trait Streamed: Sized {
    /// The `Accept` header its request sends (unless the call sets one).
    const ACCEPT: &'static str;

    /// The stream over `source`, the call and, once opened, its response.
    fn from_source(source: StreamSource) -> Self;
}

/// What a stream is made from: the call's transport and request, and its
/// response when the call was opened before the stream was made.
pub struct StreamSource {
    transport: Transport,
    request: Request,
    start: Start,
}

/// How a stream starts.
enum Start {
    /// The response is open; whether its request had a body sent once.
    Opened(reqwest::Response, bool),
    /// Open when first polled, with the body sent once, if any.
    Lazy(Option<OnceBody>),
    /// The call could not be made: the stream's only item.
    Failed(Error),
}

impl StreamSource {
    /// A source whose response is open; `sent_once` says whether its
    /// request had a body that cannot be sent again.
    pub(crate) fn opened(
        transport: Transport,
        request: Request,
        response: reqwest::Response,
        sent_once: bool,
    ) -> Self {
        StreamSource {
            transport,
            request,
            start: Start::Opened(response, sent_once),
        }
    }

    /// A source opened when the stream is first polled.
    pub(crate) fn lazy(transport: Transport, request: Request, once: Option<OnceBody>) -> Self {
        StreamSource {
            transport,
            request,
            start: Start::Lazy(once),
        }
    }

    /// A source that gives `error` and ends.
    pub(crate) fn failed(transport: Transport, request: Request, error: Error) -> Self {
        StreamSource {
            transport,
            request,
            start: Start::Failed(error),
        }
    }
}

/// A future opening a response.
type Opening = Pin<Box<dyn Future<Output = Result<reqwest::Response, Error>> + Send>>;
/// A body's chunks.
type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// Where a connection is.
enum State {
    /// Waiting for the response.
    Opening(Opening),
    /// Reading the body.
    Reading(Chunks),
    /// Waiting before reconnecting with this request.
    Waiting(Pin<Box<tokio::time::Sleep>>, Box<Request>),
    /// Could not be made.
    Failed(Error),
    /// Ended.
    Done,
}

/// Why a connection gave no chunk.
pub(crate) enum Failure {
    /// The request failed or was answered with an error: final.
    Open(Error),
    /// The body broke off (the connection dropped).
    Dropped(reqwest::Error),
}

/// A response body's chunks, (re)connecting through the transport.
pub(crate) struct Connection {
    transport: Transport,
    request: Request,
    /// Whether the request had a body sent once (so cannot be sent again).
    sent_once: bool,
    state: State,
    status: StatusCode,
    content_type: Option<String>,
}

impl Connection {
    /// The connection `source` describes.
    pub(crate) fn new(source: StreamSource) -> Self {
        let StreamSource {
            transport,
            request,
            start,
        } = source;
        let mut connection = Connection {
            transport,
            request,
            sent_once: false,
            state: State::Done,
            status: StatusCode::OK,
            content_type: None,
        };
        connection.state = match start {
            Start::Opened(response, sent_once) => {
                connection.sent_once = sent_once;
                connection.reading(response)
            }
            Start::Lazy(once) => {
                connection.sent_once = once.is_some();
                let (transport, request) =
                    (connection.transport.clone(), connection.request.clone());
                State::Opening(Box::pin(
                    async move { transport.open(&request, once).await },
                ))
            }
            Start::Failed(error) => State::Failed(error),
        };
        connection
    }

    /// Starts reading `response`'s body.
    fn reading(&mut self, response: reqwest::Response) -> State {
        self.status = response.status();
        self.content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        State::Reading(Box::pin(response.bytes_stream()))
    }

    /// The status of the response being read (200 before it comes).
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The `Content-Type` of the response being read.
    pub(crate) fn content_type(&self) -> Option<String> {
        self.content_type.clone()
    }

    /// The client's largest response, used as the longest line.
    pub(crate) fn max_line(&self) -> usize {
        self.transport.config().max_response_bytes
    }

    /// The request's method.
    pub(crate) fn method(&self) -> &reqwest::Method {
        &self.request.method
    }

    /// Whether the request can be sent again (it had no body sent once).
    pub(crate) fn resendable(&self) -> bool {
        !self.sent_once
    }

    /// Sends the request again after `delay`, with these extra headers.
    pub(crate) fn reconnect(
        &mut self,
        delay: Duration,
        headers: &[(&str, &str)],
    ) -> Result<(), Error> {
        let mut request = self.request.clone();
        for (name, value) in headers {
            request.header(name, value)?;
        }
        self.state = State::Waiting(Box::pin(tokio::time::sleep(delay)), Box::new(request));
        Ok(())
    }

    /// The next chunk of the body; `None` at its end.
    pub(crate) fn poll_chunk(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Failure>>> {
        loop {
            match &mut self.state {
                State::Opening(opening) => match opening.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(response)) => self.state = self.reading(response),
                    Poll::Ready(Err(error)) => {
                        self.state = State::Done;
                        return Poll::Ready(Some(Err(Failure::Open(error))));
                    }
                },
                State::Reading(chunks) => {
                    return match chunks.as_mut().poll_next(cx) {
                        Poll::Pending => Poll::Pending,
                        Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
                        Poll::Ready(Some(Err(error))) => {
                            self.state = State::Done;
                            Poll::Ready(Some(Err(Failure::Dropped(error))))
                        }
                        Poll::Ready(None) => {
                            self.state = State::Done;
                            Poll::Ready(None)
                        }
                    }
                }
                State::Waiting(sleep, request) => {
                    if sleep.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    let (transport, request) = (self.transport.clone(), (**request).clone());
                    self.state =
                        State::Opening(Box::pin(
                            async move { transport.open(&request, None).await },
                        ));
                }
                State::Failed(_) => {
                    if let State::Failed(error) = std::mem::replace(&mut self.state, State::Done) {
                        return Poll::Ready(Some(Err(Failure::Open(error))));
                    }
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

/// A JSON decoding failure: where (a path) and what.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(
    text: &[u8],
) -> Result<T, (String, String)> {
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let path = if path == "." { String::new() } else { path };
        (path, error.inner().to_string())
    })?;
    deserializer
        .end()
        .map_err(|error| (String::new(), error.to_string()))?;
    Ok(value)
}
