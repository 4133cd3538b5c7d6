//! Newline-delimited JSON: [`NdjsonStream`], a response of one JSON value
//! per line decoded as it comes, and [`NdjsonBody`], a request body written
//! one value per line from an iterator or a stream.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::lines::LineDecoder;
use super::{decode_json, Connection, Failure, StreamSource, Streamed};
use crate::error::{DecodeError, Error};

/// A stream of the JSON values of a newline-delimited JSON response
/// (`application/x-ndjson`, `application/jsonl`,
/// `application/json;stream=watch`), each decoded as `T`.
///
/// Blank lines are skipped. A line that does not decode is an
/// [`Error::Decode`] whose path starts with its line number (`line 3:
/// items[0].id`), and the stream goes on; a failed request or a broken
/// connection ends it. Only the line being read is held (see
/// [`buffered_bytes`](Self::buffered_bytes)): a line longer than the client's
/// `max_response_bytes` is an [`Error::ResponseTooLarge`] and ends the
/// stream.
#[must_use = "a stream does nothing until it is polled"]
pub struct NdjsonStream<T> {
    connection: Connection,
    lines: LineDecoder,
    /// Lines read so far.
    line: u64,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<T> NdjsonStream<T> {
    /// The bytes of an unfinished line held now.
    pub fn buffered_bytes(&self) -> usize {
        self.lines.buffered()
    }

    /// The most bytes of an unfinished line held at once so far: at most
    /// the longest line, however large the chunks the server sends.
    pub fn max_buffered_bytes(&self) -> usize {
        self.lines.max_buffered()
    }
}

impl<T: DeserializeOwned> NdjsonStream<T> {
    /// One line's value, or `None` for a blank line.
    fn decode(&mut self, line: &[u8]) -> Option<Result<T, Error>> {
        self.line += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        Some(decode_json(line).map_err(|(path, message)| {
            let place = match path.as_str() {
                "" => format!("line {}", self.line),
                path => format!("line {}: {path}", self.line),
            };
            Error::Decode(DecodeError::new(
                self.connection.status(),
                place,
                message,
                self.connection.content_type(),
                Bytes::copy_from_slice(line),
            ))
        }))
    }
}

impl<T> Streamed for NdjsonStream<T> {
    const ACCEPT: &'static str = "application/x-ndjson, application/jsonl, application/json;q=0.5";

    fn from_source(source: StreamSource) -> Self {
        let connection = Connection::new(source);
        NdjsonStream {
            lines: LineDecoder::new(connection.max_line()),
            connection,
            line: 0,
            done: false,
            item: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Stream for NdjsonStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match this.lines.next_line() {
                Ok(Some(line)) => match this.decode(&line) {
                    Some(item) => return Poll::Ready(Some(item)),
                    None => continue,
                },
                Ok(None) => {}
                Err(_) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::ResponseTooLarge {
                        limit: this.connection.max_line(),
                        status: this.connection.status(),
                    })));
                }
            }
            match ready!(this.connection.poll_chunk(cx)) {
                Some(Ok(chunk)) => this.lines.push(chunk),
                None => {
                    this.done = true;
                    if let Some(last) = this.lines.finish() {
                        if let Some(item) = this.decode(&last) {
                            return Poll::Ready(Some(item));
                        }
                    }
                }
                Some(Err(Failure::Open(error))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Some(Err(Failure::Dropped(error))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(Error::Transport(error))));
                }
            }
        }
    }
}

impl<T> fmt::Debug for NdjsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NdjsonStream")
            .field("lines", &self.line)
            .field("buffered", &self.lines.buffered())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// The chunks of an encoded body.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// A newline-delimited JSON request body: values of `T`, each serialized
/// on a line of its own as the iterator or stream gives it, so the body
/// is never held whole. Such a body is sent once (a call with one is not
/// retried).
///
/// ```
/// use apigen_runtime::NdjsonBody;
///
/// let from_values = NdjsonBody::from_values(vec![serde_json::json!({"id": "a"})]);
/// let from_a_stream = NdjsonBody::from_stream(futures_util::stream::iter(1..=3));
/// let from_a_vec: NdjsonBody<u32> = vec![1, 2, 3].into();
/// # let _ = (from_values, from_a_stream, from_a_vec);
/// ```
#[must_use = "a body does nothing until a call sends it"]
pub struct NdjsonBody<T> {
    chunks: Chunks,
    item: PhantomData<fn(T)>,
}

impl<T: Serialize + Send + 'static> NdjsonBody<T> {
    /// The values an iterator gives, serialized as it is advanced.
    pub fn from_values<I>(values: I) -> Self
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
    {
        Self::from_stream(futures_util::stream::iter(values))
    }

    /// The values a stream gives, serialized as they come (its
    /// backpressure is the connection's).
    pub fn from_stream<S>(values: S) -> Self
    where
        S: Stream<Item = T> + Send + 'static,
    {
        NdjsonBody {
            chunks: Box::pin(values.map(|value| {
                let mut line = serde_json::to_vec(&value)
                    .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))?;
                line.push(b'\n');
                Ok(Bytes::from(line))
            })),
            item: PhantomData,
        }
    }
}

impl<T> NdjsonBody<T> {
    /// A body already encoded (such as a `.ndjson` file's bytes), sent as
    /// it is.
    pub fn raw(body: impl Into<Bytes>) -> Self {
        let body: Bytes = body.into();
        NdjsonBody {
            chunks: Box::pin(futures_util::stream::iter([Ok(body)])),
            item: PhantomData,
        }
    }

    /// The HTTP body.
    pub(crate) fn into_body(self) -> reqwest::Body {
        reqwest::Body::wrap_stream(self.chunks)
    }
}

impl<T: Serialize + Send + 'static> From<Vec<T>> for NdjsonBody<T> {
    fn from(values: Vec<T>) -> Self {
        Self::from_values(values)
    }
}

impl<T> fmt::Debug for NdjsonBody<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NdjsonBody").finish_non_exhaustive()
    }
}
