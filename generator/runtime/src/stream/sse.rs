//! Server-sent events (`text/event-stream`, as the HTML standard parses
//! them): [`EventStream`] decodes each event's `data` into `T`, ends
//! cleanly at a `[DONE]` data sentinel or the end of the body, and after a
//! dropped connection reconnects with `Last-Event-ID`, waiting as the
//! server's `retry:` says.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use serde::de::{DeserializeOwned, IntoDeserializer};

use super::lines::LineDecoder;
use super::{decode_json, Connection, Failure, StreamSource, Streamed};
use crate::error::{DecodeError, Error};

/// One server-sent event, its `data` decoded.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event type (`event:`), `message` when the server names none.
    pub event: String,
    /// The last event ID (`id:`, in this event or an earlier one), which a
    /// reconnection sends as `Last-Event-ID`.
    pub id: Option<String>,
    /// The reconnection delay this event set (`retry:`, in milliseconds).
    pub retry: Option<Duration>,
    /// The event's `data` (its `data:` lines joined with `\n`), decoded.
    pub data: T,
}

/// An event as parsed, its data still text.
#[derive(Debug, PartialEq)]
pub(crate) struct RawEvent {
    pub(crate) event: String,
    pub(crate) id: Option<String>,
    pub(crate) retry: Option<Duration>,
    pub(crate) data: String,
}

/// The event-stream parser: fed lines, gives events.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// No line read yet (a byte order mark may start the first).
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    retry: Option<Duration>,
    /// The last event ID buffer: the `id:` read last, even in an event
    /// not complete yet.
    id_buffer: String,
    /// The last event ID: the buffer as it was when the last event was
    /// dispatched (kept across events and connections).
    last_id: String,
    /// The reconnection delay the server asked for last.
    reconnect: Option<Duration>,
}

impl Parser {
    /// Reads one line; gives the event a blank line completes.
    pub(crate) fn line(&mut self, line: &[u8]) -> Option<RawEvent> {
        let mut line = line;
        if !self.started {
            self.started = true;
            line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
        }
        if line.is_empty() {
            return self.dispatch();
        }
        if line[0] == b':' {
            return None;
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(at) => {
                let value = &line[at + 1..];
                (&line[..at], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        let value = String::from_utf8_lossy(value);
        match field {
            b"event" => self.event = value.into_owned(),
            b"data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(&value);
                self.has_data = true;
            }
            b"id" if !value.contains('\0') => self.id_buffer = value.into_owned(),
            b"retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(millis) = value.parse::<u64>() {
                    let delay = Duration::from_millis(millis);
                    self.retry = Some(delay);
                    self.reconnect = Some(delay);
                }
            }
            _ => {}
        }
        None
    }

    /// The event the fields so far make, if it has data; starts the next.
    fn dispatch(&mut self) -> Option<RawEvent> {
        self.last_id.clone_from(&self.id_buffer);
        let event = std::mem::take(&mut self.event);
        let retry = self.retry.take();
        let has_data = std::mem::take(&mut self.has_data);
        let data = std::mem::take(&mut self.data);
        has_data.then(|| RawEvent {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            id: self.last_id(),
            retry,
            data,
        })
    }

    /// Forgets a half-read event (its connection dropped).
    fn drop_partial(&mut self) {
        self.id_buffer.clone_from(&self.last_id);
        self.event.clear();
        self.data.clear();
        self.has_data = false;
        self.retry = None;
    }

    /// The last event ID, if any.
    fn last_id(&self) -> Option<String> {
        (!self.last_id.is_empty()).then(|| self.last_id.clone())
    }
}

/// How a stream reconnects after its connection dropped.
#[derive(Clone, Copy, Debug)]
struct Reconnect {
    enabled: bool,
    max_attempts: u32,
    delay: Duration,
}

/// The default wait before reconnecting, until the server sends `retry:`.
const DEFAULT_RECONNECT_DELAY: Duration = Duration::from_secs(3);

/// The default number of reconnections in a row without an event.
const DEFAULT_MAX_RECONNECTS: u32 = 5;

/// A stream of server-sent events whose `data` decodes as `T`.
///
/// Each item is an [`Event`] or an error: a `data` that does not decode is
/// an [`Error::Decode`] naming the event (its number and id), and the stream
/// goes on; a failed request or a broken connection that is not resumed
/// ends it. `data` is read as JSON; when that does not give a `T`, as text
/// (so `T = String` takes any text, and `serde_json::Value` a non-JSON
/// `data` as a string). A `data` of `[DONE]` ends the stream.
///
/// When the connection drops before the body ends, the stream sends the
/// request again (with the client's credentials and headers) and
/// `Last-Event-ID: <the last id>`, after the server's `retry:` delay
/// (else [`reconnect_delay`](Self::reconnect_delay), 3 s by default), up to
/// [`max_reconnects`](Self::max_reconnects) times in a row (5) without an
/// event between. It does so by default for `GET`, `PUT`, `DELETE`,
/// `HEAD` and `OPTIONS`, never for a request whose body was streamed;
/// [`reconnect`](Self::reconnect) turns it on (for a `POST` the server
/// allows it on) or off.
#[must_use = "a stream does nothing until it is polled"]
pub struct EventStream<T> {
    connection: Connection,
    lines: LineDecoder,
    parser: Parser,
    reconnect: Reconnect,
    /// Reconnections since the last event.
    attempts: u32,
    /// Events given so far.
    count: u64,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<T> EventStream<T> {
    /// Whether the stream reconnects after a dropped connection.
    pub fn reconnect(mut self, enabled: bool) -> Self {
        self.reconnect.enabled = enabled;
        self
    }

    /// How many reconnections in a row (without an event between) are
    /// tried before the stream gives the error and ends.
    pub fn max_reconnects(mut self, attempts: u32) -> Self {
        self.reconnect.max_attempts = attempts;
        self
    }

    /// The wait before reconnecting while the server has sent no `retry:`.
    pub fn reconnect_delay(mut self, delay: Duration) -> Self {
        self.reconnect.delay = delay;
        self
    }

    /// The last event ID the server sent, if any.
    pub fn last_event_id(&self) -> Option<String> {
        self.parser.last_id()
    }

    /// The bytes of an unfinished line held now (at most the client's
    /// `max_response_bytes`).
    pub fn buffered_bytes(&self) -> usize {
        self.lines.buffered()
    }

    /// A dropped connection: whether the stream reconnects.
    fn try_reconnect(&mut self) -> Result<bool, Error> {
        let policy = self.reconnect;
        if !policy.enabled || !self.connection.resendable() || self.attempts >= policy.max_attempts
        {
            return Ok(false);
        }
        self.attempts += 1;
        self.lines.reset();
        self.parser.drop_partial();
        let delay = self.parser.reconnect.unwrap_or(policy.delay);
        let id = self.parser.last_id();
        let headers: Vec<(&str, &str)> = id
            .as_deref()
            .map(|id| ("Last-Event-ID", id))
            .into_iter()
            .collect();
        tracing::debug!(
            ?delay,
            attempt = self.attempts,
            "event stream dropped; reconnecting"
        );
        self.connection.reconnect(delay, &headers)?;
        Ok(true)
    }
}

impl<T: DeserializeOwned> EventStream<T> {
    /// Decodes one event's data.
    fn decode(&self, raw: RawEvent) -> Result<Event<T>, Error> {
        let data = match decode_data::<T>(&raw.data) {
            Ok(data) => data,
            Err((path, message)) => {
                let mut place = format!("event {}", self.count);
                match (&raw.id, raw.event.as_str()) {
                    (Some(id), "message") => place.push_str(&format!(" (id {id:?})")),
                    (Some(id), event) => place.push_str(&format!(" (id {id:?}, type {event:?})")),
                    (None, "message") => {}
                    (None, event) => place.push_str(&format!(" (type {event:?})")),
                }
                if !path.is_empty() {
                    place = format!("{place} data.{path}");
                }
                return Err(Error::Decode(DecodeError::new(
                    self.connection.status(),
                    place,
                    message,
                    self.connection.content_type(),
                    Bytes::from(raw.data),
                )));
            }
        };
        Ok(Event {
            event: raw.event,
            id: raw.id,
            retry: raw.retry,
            data,
        })
    }
}

/// `data` as JSON, else as text; the JSON error when neither gives a `T`.
fn decode_data<T: DeserializeOwned>(data: &str) -> Result<T, (String, String)> {
    decode_json(data.as_bytes()).or_else(|error| {
        let text: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            data.into_deserializer();
        T::deserialize(text).map_err(|_| error)
    })
}

impl<T> Streamed for EventStream<T> {
    const ACCEPT: &'static str = "text/event-stream";

    fn from_source(source: StreamSource) -> Self {
        let connection = Connection::new(source);
        let idempotent = crate::transport::is_idempotent(connection.method());
        EventStream {
            lines: LineDecoder::new(connection.max_line()),
            connection,
            parser: Parser::default(),
            reconnect: Reconnect {
                enabled: idempotent,
                max_attempts: DEFAULT_MAX_RECONNECTS,
                delay: DEFAULT_RECONNECT_DELAY,
            },
            attempts: 0,
            count: 0,
            done: false,
            item: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match this.lines.next_line() {
                Ok(Some(line)) => {
                    if let Some(raw) = this.parser.line(&line) {
                        if raw.data == "[DONE]" {
                            this.done = true;
                            return Poll::Ready(None);
                        }
                        this.count += 1;
                        this.attempts = 0;
                        return Poll::Ready(Some(this.decode(raw)));
                    }
                    continue;
                }
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
                // The end of the body: an event without its blank line is
                // dropped, as the standard says.
                None => this.done = true,
                Some(Err(Failure::Open(error))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Some(Err(Failure::Dropped(error))) => match this.try_reconnect() {
                    Ok(true) => {}
                    Ok(false) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(Error::Transport(error))));
                    }
                    Err(problem) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(problem)));
                    }
                },
            }
        }
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("last_event_id", &self.parser.last_id())
            .field("events", &self.count)
            .field("reconnect", &self.reconnect)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<RawEvent> {
        let mut parser = Parser::default();
        let mut lines = LineDecoder::new(1024);
        lines.push(Bytes::copy_from_slice(text.as_bytes()));
        let mut events = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            events.extend(parser.line(&line));
        }
        events
    }

    #[test]
    fn fields_comments_and_multi_line_data() {
        let events = parse(
            "\u{feff}: a comment\nevent: add\ndata: 1\ndata:2\nid: 7\nretry: 250\n\n\
             data\n\nid: 8\n: nothing else\n\ndata: x\nretry: soon\nunknown: y\n\n",
        );
        assert_eq!(
            events,
            [
                RawEvent {
                    event: "add".into(),
                    id: Some("7".into()),
                    retry: Some(Duration::from_millis(250)),
                    data: "1\n2".into()
                },
                RawEvent {
                    event: "message".into(),
                    id: Some("7".into()),
                    retry: None,
                    data: String::new()
                },
                // The block with `id: 8` alone dispatches nothing, but sets
                // the id.
                RawEvent {
                    event: "message".into(),
                    id: Some("8".into()),
                    retry: None,
                    data: "x".into()
                },
            ]
        );
    }

    #[test]
    fn data_decodes_as_json_else_as_text() {
        assert_eq!(decode_data::<u32>("42"), Ok(42));
        assert_eq!(
            decode_data::<String>("plain text"),
            Ok("plain text".to_owned())
        );
        assert_eq!(decode_data::<String>("42"), Ok("42".to_owned()));
        assert_eq!(
            decode_data::<serde_json::Value>("hi there"),
            Ok(serde_json::json!("hi there"))
        );
        let (path, message) = decode_data::<Vec<u32>>("[1, \"x\"]").unwrap_err();
        assert_eq!(path, "[1]");
        assert!(message.contains("invalid type"), "{message}");
    }
}
