//! Pagination: turning a call whose result is a list into a stream of pages
//! or items, following `result_info` page numbers or cursors.
//!
//! **Layer rule:** pagination is built on the call layer's `pub(crate)`
//! API ([`Call::into_resendable`] and the methods of [`Resendable`]: read
//! and set a query parameter, send, decode), and may use the value modules
//! (`envelope`, `error`, `number`, `response`); never `transport`,
//! `request` or `client`. `tests/it/layers.rs` checks this (the order is
//! `LAYERS` there).

use bytes::Bytes;
use futures_core::Stream;
use futures_util::stream::{self, StreamExt, TryStreamExt};

use crate::call::{Call, Resendable};
use crate::envelope::ResultInfo;
use crate::error::Error;
use crate::number::Number;
use crate::response::ApiResponse;

/// The query parameter carrying the page number.
const PAGE: &str = "page";
/// The query parameter carrying the cursor.
const CURSOR: &str = "cursor";

impl<I: Send + 'static> Call<Vec<I>> {
    /// Fetches the pages of a list one after another, lazily (a page is
    /// requested when the stream is polled past the previous one).
    ///
    /// * Page mode: after the first request (sent as built; the page the
    ///   caller set, else page 1), `page` is set to the next number. It
    ///   stops after `result_info.total_pages`, on an empty page, on a
    ///   short page when only `per_page` is known, or when the response has
    ///   no page information.
    /// * Cursor mode (when a response carries `result_info.cursors.after`
    ///   or `result_info.cursor`, or the caller set `cursor`): the cursor is
    ///   sent as `cursor=`; it stops when the cursor is absent or empty, or
    ///   on an empty page.
    /// * A server that returns the same page again (the same reported page
    ///   number, the same cursor, or a body identical to the previous
    ///   page's) ends the stream with [`Error::RepeatedPage`] instead of
    ///   looping. Any error ends the stream after being yielded.
    ///
    /// A call with a multipart body can't be paginated (its body can only
    /// be sent once): the stream yields [`Error::InvalidRequest`].
    ///
    /// ```no_run
    /// # use apigen_runtime::{decode, Client, Method};
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn example(client: Client) -> Result<(), apigen_runtime::Error> {
    /// let mut pages = client
    ///     .call(Method::GET, "/zones", decode::envelope::<Vec<serde_json::Value>>)
    ///     .query_param("per_page", &50)
    ///     .pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} zones", page.result.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages(self) -> impl Stream<Item = Result<ApiResponse<Vec<I>>, Error>> + Send + Unpin {
        let call = match self.into_resendable() {
            Ok(call) => call,
            Err(error) => return stream::once(async { Err(error) }).boxed(),
        };
        let pager = Pager {
            cursor_mode: call.query_value(CURSOR).is_some(),
            page: call
                .query_value(PAGE)
                .and_then(|page| serde_json::from_str::<Number>(page.trim()).ok())
                .and_then(Number::as_u64)
                .unwrap_or(1),
            call,
            next: Next::First,
            previous_body: None,
            previous_page: None,
            fetched: 0,
        };
        stream::unfold(pager, Pager::step).boxed()
    }

    /// Fetches the items of all pages, one after another (see
    /// [`pages`](Call::pages) for how pages are followed).
    ///
    /// ```no_run
    /// # use apigen_runtime::{decode, Client, Method};
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn example(client: Client) -> Result<(), apigen_runtime::Error> {
    /// let zones: Vec<serde_json::Value> = client
    ///     .call(Method::GET, "/zones", decode::envelope)
    ///     .items()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn items(self) -> impl Stream<Item = Result<I, Error>> + Send + Unpin {
        self.pages()
            .map_ok(|page| stream::iter(page.result.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

/// What the next poll of the stream does.
enum Next {
    /// Send the request as the caller built it.
    First,
    /// Request this page number.
    Page(u64),
    /// Request the page after this cursor.
    Cursor(String),
    /// Yield this error, then end.
    Fail(Error),
    /// End.
    Done,
}

/// The state of a page stream.
struct Pager<I> {
    /// The call, with `page`/`cursor` updated for each page.
    call: Resendable<Vec<I>>,
    next: Next,
    /// Whether pages are followed by cursor.
    cursor_mode: bool,
    /// The page number of the latest request (page mode).
    page: u64,
    /// The previous page's body, to notice a repeated page.
    previous_body: Option<Bytes>,
    /// The page number the previous page reported.
    previous_page: Option<u64>,
    /// How many pages were fetched.
    fetched: u64,
}

/// One stream item and the state for the next.
type Step<I> = Option<(Result<ApiResponse<Vec<I>>, Error>, Pager<I>)>;

impl<I> Pager<I> {
    /// Fetches the next page, or ends the stream.
    async fn step(mut self) -> Step<I> {
        let sent_cursor = match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return None,
            Next::Fail(error) => return Some((Err(error), self)),
            Next::First => self.call.query_value(CURSOR).map(str::to_owned),
            Next::Page(page) => {
                self.page = page;
                self.call.set_query(PAGE, page.to_string());
                None
            }
            Next::Cursor(cursor) => {
                self.call.set_query(CURSOR, cursor.clone());
                Some(cursor)
            }
        };
        let position = self.fetched.saturating_add(1);
        let requested = if self.cursor_mode {
            position
        } else {
            self.page
        };

        let raw = match self.call.send_raw().await {
            Ok(raw) => raw,
            Err(error) => return Some((Err(error), self)),
        };
        let body = raw.body.clone();
        let response = match self.call.decode(raw) {
            Ok(response) => response,
            Err(error) => return Some((Err(error), self)),
        };
        self.fetched = position;

        let reported = response.result_info.as_ref().and_then(|info| info.page);
        let same_page = reported.is_some() && reported == self.previous_page;
        if same_page || self.previous_body.as_ref() == Some(&body) {
            return Some((Err(Error::RepeatedPage { page: requested }), self));
        }
        self.previous_body = Some(body);
        self.previous_page = reported;
        self.next = self.after(&response, sent_cursor.as_deref());
        Some((Ok(response), self))
    }

    /// What follows this page.
    fn after(&mut self, response: &ApiResponse<Vec<I>>, sent_cursor: Option<&str>) -> Next {
        let Some(info) = &response.result_info else {
            return Next::Done;
        };
        if response.result.is_empty() {
            return Next::Done;
        }
        if let Some(cursor) = info.next_cursor() {
            if sent_cursor == Some(cursor) {
                return Next::Fail(Error::RepeatedPage {
                    page: self.fetched.saturating_add(1),
                });
            }
            self.cursor_mode = true;
            return Next::Cursor(cursor.to_owned());
        }
        if self.cursor_mode || !info.has_page_numbers() {
            return Next::Done;
        }
        if is_last_page(info, self.page, response.result.len()) {
            return Next::Done;
        }
        match self.page.checked_add(1) {
            Some(next) => Next::Page(next),
            None => Next::Done,
        }
    }
}

/// Whether `result_info` says this page (requested as `requested`, with
/// `len` items) is the last one.
fn is_last_page(info: &ResultInfo, requested: u64, len: usize) -> bool {
    let current = info.page.unwrap_or(requested);
    if let Some(total_pages) = info.total_pages {
        return current >= total_pages;
    }
    let len = u64::try_from(len).unwrap_or(u64::MAX);
    if let Some(per_page) = info.per_page {
        if len < per_page {
            return true;
        }
        if let Some(total_count) = info.total_count {
            return current.saturating_mul(per_page) >= total_count;
        }
    }
    false
}
