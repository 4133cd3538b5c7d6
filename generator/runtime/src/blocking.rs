//! Blocking calls (the `blocking` feature): a call waited for instead of
//! awaited, and any stream of results read as an [`Iterator`], on one
//! Tokio runtime this crate starts the first time it is needed.
//!
//! Nothing here is a second client: [`Call::wait`] runs the very future
//! `.await` runs (credentials, retries, rate-limit pauses, token refresh),
//! on the calling thread, while the runtime's one worker thread drives
//! connections and timers. Every thread of a program may make blocking
//! calls at once, with one [`Client`](crate::Client) shared between them.
//!
//! ```no_run
//! use apigen_runtime::blocking::BlockingStream;
//! use apigen_runtime::{decode, Client, Method};
//!
//! fn main() -> Result<(), apigen_runtime::Error> {
//!     let client = Client::builder().base_url("https://api.example.com").build()?;
//!     // A call: `wait` gives what `.await` gives.
//!     let user: serde_json::Value = client.call(Method::GET, "/user", decode::json).wait()?;
//!     // A page stream, read as an iterator.
//!     for zone in client.call(Method::GET, "/zones", decode::envelope).items().blocking() {
//!         let zone: serde_json::Value = zone?;
//!         println!("{zone}");
//!     }
//!     Ok(())
//! }
//! ```
//!
//! A blocking call made on a thread that runs an async runtime (inside
//! `#[tokio::main]`, a task, or `spawn_blocking`) would block that
//! runtime: it fails with an [`Error::Config`] saying so instead (`.await`
//! the call there).
//!
//! **Layer rule:** built on the public API of the call layer
//! ([`Call::send`]), as pagination is; never `transport` or `request`.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::call::Call;
use crate::error::Error;
use crate::response::ApiResponse;

/// The runtime every blocking call runs on, started on first use (or why
/// it could not be).
static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();

/// The shared runtime: one worker thread (connections, timers, DNS), the
/// calls' own futures run on the threads that wait for them.
fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("apigen-blocking")
            .enable_all()
            .build()
            .map_err(|error| error.to_string())
    });
    runtime.as_ref().map_err(|error| {
        Error::Config(format!(
            "the runtime for blocking calls could not start: {error}"
        ))
    })
}

/// Runs `future` to completion on the calling thread and gives its
/// result: what `.await` would give, without an async runtime of the
/// caller's.
///
/// Called on a thread that runs an async runtime (where waiting would
/// stall it, or deadlock a single-threaded one), it does not run the
/// future and gives an [`Error::Config`] saying to `.await` instead.
///
/// ```no_run
/// # use apigen_runtime::{decode, Client, Method};
/// # fn example(client: Client) -> Result<(), apigen_runtime::Error> {
/// let (a, b) = apigen_runtime::blocking::block_on(async {
///     let a = client.call(Method::GET, "/a", decode::json::<u32>).await?;
///     let b = client.call(Method::GET, "/b", decode::json::<u32>).await?;
///     Ok::<_, apigen_runtime::Error>((a, b))
/// })?;
/// # Ok(())
/// # }
/// ```
pub fn block_on<F, T, E>(future: F) -> Result<T, E>
where
    F: Future<Output = Result<T, E>>,
    E: From<Error>,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Config(
            "a blocking call was made on a thread that runs an async runtime, which it would \
             block; `.await` the call there instead (blocking calls are for code without one)"
                .to_owned(),
        )
        .into());
    }
    runtime()?.block_on(future)
}

impl<T: Send + 'static> Call<T> {
    /// Sends the call and waits for its result: what `.await` gives, for
    /// a program without an async runtime (see [`blocking`](crate::blocking)).
    /// Retries, rate limits and credentials work as when awaited.
    pub fn wait(self) -> Result<T, Error> {
        block_on(async { self.await })
    }

    /// Sends the call and waits for the whole response: what
    /// [`send`](Call::send)`().await` gives.
    pub fn send_blocking(self) -> Result<ApiResponse<T>, Error> {
        block_on(self.send())
    }
}

/// A stream of results read as an [`Iterator`]: each `next` waits for the
/// stream's next item (made by [`BlockingStream::blocking`]).
///
/// On a thread that runs an async runtime it yields one
/// [`Error::Config`] (converted into the stream's error type) and ends.
#[derive(Debug)]
#[must_use = "an iterator does nothing unless it is read"]
pub struct Iter<S> {
    stream: S,
    done: bool,
}

impl<S, T, E> Iterator for Iter<S>
where
    S: Stream<Item = Result<T, E>> + Unpin,
    E: From<Error>,
{
    type Item = Result<T, E>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = NextItem {
            stream: &mut self.stream,
        };
        match block_on(async { Ok::<_, E>(next.await) }) {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(error) => {
                self.done = true;
                Some(Err(error))
            }
        }
    }
}

/// The next item of a stream, as a future (what `StreamExt::next` is,
/// without asking the caller to import it).
struct NextItem<'a, S> {
    stream: &'a mut S,
}

impl<S: Stream + Unpin> Future for NextItem<'_, S> {
    type Output = Option<S::Item>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut *self.stream).poll_next(context)
    }
}

/// Reads a stream of results as an [`Iterator`] (`.blocking()`): the page
/// and item streams of a call ([`Call::pages`], [`Call::items`],
/// [`Call::pages_with`], [`Call::items_with`], and a generated call's
/// `pages()` and `items()`), and any other `Stream + Unpin` whose items
/// are `Result<T, E>` with `E: From<Error>`.
///
/// ```no_run
/// use apigen_runtime::blocking::BlockingStream;
/// # use apigen_runtime::{decode, Client, Method, Paging};
/// # fn example(client: Client) -> Result<(), apigen_runtime::Error> {
/// let pets: Vec<serde_json::Value> = client
///     .call(Method::GET, "/pets", decode::json::<Vec<serde_json::Value>>)
///     .items_with(Paging::page("page", 1), |page| page)
///     .blocking()
///     .collect::<Result<_, _>>()?;
/// # Ok(())
/// # }
/// ```
pub trait BlockingStream: Stream + Unpin + Sized {
    /// This stream as an iterator whose `next` waits for the next item.
    fn blocking(self) -> Iter<Self> {
        Iter {
            stream: self,
            done: false,
        }
    }
}

impl<S: Stream + Unpin> BlockingStream for S {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_future_runs_to_its_result_without_a_runtime_of_the_callers() {
        let slept = block_on(async {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            Ok::<_, Error>(7)
        });
        assert_eq!(slept.ok(), Some(7));
    }

    #[test]
    fn inside_an_async_runtime_it_is_a_clear_error() {
        let outer = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let result = outer.block_on(async { block_on(async { Ok::<_, Error>(1) }) });
        let Err(Error::Config(message)) = result else {
            panic!("expected a configuration error, got {result:?}");
        };
        assert!(message.contains("`.await` the call"), "{message}");
    }

    #[test]
    fn a_stream_of_results_is_an_iterator() {
        let stream = futures_util::stream::iter([Ok(1), Err(Error::RepeatedPage { page: 2 })]);
        let items: Vec<_> = stream.blocking().collect();
        assert!(matches!(
            items[..],
            [Ok(1), Err(Error::RepeatedPage { page: 2 })]
        ));
    }
}
