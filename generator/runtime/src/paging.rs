//! Description-driven pagination: streams of pages and items for the
//! operations of any API whose description shows how its lists page (a
//! cursor, a page number or an offset), configured by a small [`Paging`]
//! descriptor the generated code passes.
//!
//! Cloudflare's envelopes page through `result_info` instead (see
//! [`Call::pages`](crate::Call::pages)).

use bytes::Bytes;
use futures_core::Stream;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde_json::Value;

use crate::call::{Call, Resendable};
use crate::error::Error;
use crate::response::ApiResponse;

/// A path of property names into a response body (`["meta", "next_cursor"]`).
pub type JsonPath = &'static [&'static str];

/// How one operation's pages follow each other, as its description shows.
///
/// Every strategy also stops on an empty page (no items), so a stream
/// always ends; a server that sends the same body twice in a row ends it
/// with [`Error::RepeatedPage`].
///
/// ```
/// use apigen_runtime::Paging;
///
/// // `?cursor=` from the response's `meta.next_cursor`; items in `data`.
/// const PAGING: Paging = Paging::cursor("cursor", &["meta", "next_cursor"]).items_at("data");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    strategy: Strategy,
    /// The response property holding the items; `None`: the response is
    /// the array.
    items: Option<&'static str>,
    /// An integer: the number of pages.
    total_pages: Option<JsonPath>,
    /// An integer: the number of items over all pages.
    total: Option<JsonPath>,
    /// A boolean that is `false` on the last page (`has_more`).
    more: Option<JsonPath>,
    /// A value that is `null` or empty on the last page (a `next` link).
    next_link: Option<JsonPath>,
}

/// What is sent to ask for the next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strategy {
    /// The cursor the response gives at `next`, sent as `param`.
    Cursor { param: &'static str, next: JsonPath },
    /// The `id` of the last item, sent as `param` (`starting_after`).
    AfterLastId {
        param: &'static str,
        id: &'static str,
    },
    /// A page number, counting from `first`, sent as `param`.
    Page { param: &'static str, first: u64 },
    /// The number of items already received, sent as `param`.
    Offset { param: &'static str },
}

impl Paging {
    const fn new(strategy: Strategy) -> Self {
        Paging {
            strategy,
            items: None,
            total_pages: None,
            total: None,
            more: None,
            next_link: None,
        }
    }

    /// Sends the cursor found in the response at `next` as query parameter
    /// `param`; stops when there is none (absent, `null` or empty).
    pub const fn cursor(param: &'static str, next: JsonPath) -> Self {
        Paging::new(Strategy::Cursor { param, next })
    }

    /// Sends the `id` property of the last item as query parameter `param`
    /// (Stripe's `starting_after`) while the boolean at `has_more` is
    /// `true`.
    pub const fn after_last_id(param: &'static str, id: &'static str, has_more: JsonPath) -> Self {
        let mut paging = Paging::new(Strategy::AfterLastId { param, id });
        paging.more = Some(has_more);
        paging
    }

    /// Sends page numbers as query parameter `param`, starting at `first`
    /// (unless the caller set the parameter) and adding one per page.
    pub const fn page(param: &'static str, first: u64) -> Self {
        Paging::new(Strategy::Page { param, first })
    }

    /// Sends as query parameter `param` the number of items received so far
    /// (plus the caller's own offset, if set).
    pub const fn offset(param: &'static str) -> Self {
        Paging::new(Strategy::Offset { param })
    }

    /// The items are the array in this property of the response (without
    /// it, the response is the array).
    pub const fn items_at(mut self, property: &'static str) -> Self {
        self.items = Some(property);
        self
    }

    /// Stops once as many pages as the integer at `path` were fetched.
    pub const fn total_pages(mut self, path: JsonPath) -> Self {
        self.total_pages = Some(path);
        self
    }

    /// Stops once as many items as the integer at `path` were received.
    pub const fn total(mut self, path: JsonPath) -> Self {
        self.total = Some(path);
        self
    }

    /// Stops when the boolean at `path` is `false` (`has_more`); absent,
    /// it doesn't stop the stream (an empty page does).
    pub const fn more(mut self, path: JsonPath) -> Self {
        self.more = Some(path);
        self
    }

    /// Stops when the value at `path` (a `next` link) is `null` or empty;
    /// absent, it doesn't stop the stream (an empty page does).
    pub const fn next_link(mut self, path: JsonPath) -> Self {
        self.next_link = Some(path);
        self
    }

    /// The query parameter the strategy sets.
    fn param(&self) -> &'static str {
        match self.strategy {
            Strategy::Cursor { param, .. }
            | Strategy::AfterLastId { param, .. }
            | Strategy::Page { param, .. }
            | Strategy::Offset { param } => param,
        }
    }
}

impl<T: Send + 'static> Call<T> {
    /// Fetches the pages of a list one after another, lazily, as `paging`
    /// says (generated methods named `pages` call this). The first request
    /// is sent as built, with the page number or offset the caller set
    /// (else the first page, or offset 0, is asked for); each following
    /// request changes only the paging parameter.
    ///
    /// The stream ends after an empty page, when the response says there
    /// is no more (no next cursor, `has_more` not `true`, no `next` link,
    /// the total number of pages or items reached), or with an error: any
    /// error ends it after being yielded, and a body identical to the
    /// previous page's (a server that ignores the parameter) or a cursor
    /// sent twice ends it with [`Error::RepeatedPage`]. A short page does
    /// not end it (a server may cap the page size below what was asked):
    /// the next, empty page does.
    ///
    /// A call with a multipart body can't be paginated: the stream yields
    /// [`Error::InvalidRequest`].
    ///
    /// ```no_run
    /// # use apigen_runtime::{decode, Client, Method, Paging};
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn example(client: Client) -> Result<(), apigen_runtime::Error> {
    /// let mut pages = client
    ///     .call(Method::GET, "/pets", decode::json::<Vec<serde_json::Value>>)
    ///     .pages_with(Paging::page("page", 1));
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} pets", page.result.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages_with(
        self,
        paging: Paging,
    ) -> impl Stream<Item = Result<ApiResponse<T>, Error>> + Send + Unpin {
        let (mut call, next) = match self.into_resendable() {
            Ok(call) => (Some(call), Next::Send),
            Err(error) => (None, Next::Fail(error)),
        };
        let set = call
            .as_ref()
            .and_then(|call| call.query_value(paging.param()))
            .and_then(|value| value.trim().parse::<u64>().ok());
        let position = match paging.strategy {
            Strategy::Page { param, first } => {
                let page = set.unwrap_or(first);
                if let Some(call) = call.as_mut() {
                    call.set_query(param, page.to_string());
                }
                page
            }
            Strategy::Offset { .. } => set.unwrap_or(0),
            Strategy::Cursor { .. } | Strategy::AfterLastId { .. } => 0,
        };
        let pager = Pager {
            call,
            paging,
            next,
            position,
            fetched: 0,
            received: 0,
            previous_body: None,
        };
        Box::pin(stream::unfold(pager, Pager::step))
    }

    /// Fetches the items of all pages, one after another (see
    /// [`pages_with`](Call::pages_with) for how pages are followed);
    /// `items` takes them out of a page.
    ///
    /// ```no_run
    /// # use apigen_runtime::{decode, Client, Method, Paging};
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn example(client: Client) -> Result<(), apigen_runtime::Error> {
    /// let pets: Vec<serde_json::Value> = client
    ///     .call(Method::GET, "/pets", decode::json::<Vec<serde_json::Value>>)
    ///     .items_with(Paging::offset("offset"), |page| page)
    ///     .try_collect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn items_with<I: Send + 'static>(
        self,
        paging: Paging,
        items: fn(T) -> Vec<I>,
    ) -> impl Stream<Item = Result<I, Error>> + Send + Unpin {
        self.pages_with(paging)
            .map_ok(move |page| stream::iter(items(page.result).into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }
}

/// What the next poll of the stream does.
enum Next {
    /// Send the request as it stands.
    Send,
    /// Yield this error, then end.
    Fail(Error),
    /// End.
    Done,
}

/// The state of a page stream.
struct Pager<T> {
    /// The call, with the paging parameter updated for each page (`None`
    /// when it could not be paginated: the stream yields why, then ends).
    call: Option<Resendable<T>>,
    paging: Paging,
    next: Next,
    /// The page number or offset of the latest request.
    position: u64,
    /// How many pages were fetched.
    fetched: u64,
    /// How many items were received.
    received: u64,
    /// The previous page's body, to notice a repeated page.
    previous_body: Option<Bytes>,
}

/// One stream item and the state for the next.
type Step<T> = Option<(Result<ApiResponse<T>, Error>, Pager<T>)>;

impl<T> Pager<T> {
    /// Fetches the next page, or ends the stream.
    async fn step(mut self) -> Step<T> {
        match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return None,
            Next::Fail(error) => return Some((Err(error), self)),
            Next::Send => {}
        }
        let call = self.call.as_ref()?;
        let raw = match call.send_raw().await {
            Ok(raw) => raw,
            Err(error) => return Some((Err(error), self)),
        };
        let body = raw.body.clone();
        let response = match call.decode(raw) {
            Ok(response) => response,
            Err(error) => return Some((Err(error), self)),
        };
        self.fetched = self.fetched.saturating_add(1);
        if self.previous_body.as_ref() == Some(&body) {
            return Some((Err(Error::RepeatedPage { page: self.fetched }), self));
        }
        // The decode function accepted the body as JSON, so it parses.
        let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        self.previous_body = Some(body);
        self.next = self.after(&value);
        Some((Ok(response), self))
    }

    /// What follows the page whose body is `value`.
    fn after(&mut self, value: &Value) -> Next {
        let paging = self.paging;
        let items = match paging.items {
            Some(property) => value.get(property),
            None => Some(value),
        };
        let items = items
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        if items.is_empty() {
            return Next::Done;
        }
        let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
        self.received = self.received.saturating_add(count);
        if self.said_last(value, count) {
            return Next::Done;
        }
        self.advance(value, items, count)
    }

    /// Whether the page whose body is `value` (with `count` items) says it
    /// is the last: `has_more` false, no next link, the total reached.
    fn said_last(&self, value: &Value, count: u64) -> bool {
        let paging = self.paging;
        if let Some(path) = paging.more {
            let more = at(value, path).and_then(Value::as_bool);
            // The last-id strategy goes on only when told to; for the
            // others this is an extra stop, taken only when it says so.
            let stop = match paging.strategy {
                Strategy::AfterLastId { .. } => more != Some(true),
                _ => more == Some(false),
            };
            if stop {
                return true;
            }
        }
        if let Some(path) = paging.next_link {
            if matches!(at(value, path), Some(Value::Null))
                || at(value, path).and_then(Value::as_str) == Some("")
            {
                return true;
            }
        }
        if let Some(total) = paging.total.and_then(|path| integer(at(value, path))) {
            // With an offset, the items before this page are known exactly.
            let seen = match paging.strategy {
                Strategy::Offset { .. } => self.position.saturating_add(count),
                _ => self.received,
            };
            if seen >= total {
                return true;
            }
        }
        false
    }

    /// Sets the next page's query from the page whose body is `value`, as
    /// the strategy says.
    fn advance(&mut self, value: &Value, items: &[Value], count: u64) -> Next {
        let paging = self.paging;
        let Some(call) = self.call.as_mut() else {
            return Next::Done;
        };
        match paging.strategy {
            Strategy::Cursor { param, next } => {
                let Some(cursor) = text(at(value, next)) else {
                    return Next::Done;
                };
                if call.query_value(param) == Some(cursor.as_str()) {
                    return Next::Fail(Error::RepeatedPage {
                        page: self.fetched.saturating_add(1),
                    });
                }
                call.set_query(param, cursor);
                Next::Send
            }
            Strategy::AfterLastId { param, id } => {
                let Some(last) = text(items.last().and_then(|item| item.get(id))) else {
                    return Next::Fail(Error::InvalidRequest(format!(
                        "the next page can't be requested: the last item of page {} has no `{id}`",
                        self.fetched
                    )));
                };
                call.set_query(param, last);
                Next::Send
            }
            Strategy::Page { param, first } => {
                if let Some(total_pages) =
                    paging.total_pages.and_then(|path| integer(at(value, path)))
                {
                    let done = self.position.saturating_sub(first).saturating_add(1);
                    if done >= total_pages {
                        return Next::Done;
                    }
                }
                self.position = self.position.saturating_add(1);
                call.set_query(param, self.position.to_string());
                Next::Send
            }
            Strategy::Offset { param } => {
                self.position = self.position.saturating_add(count);
                call.set_query(param, self.position.to_string());
                Next::Send
            }
        }
    }
}

/// The value at `path` in `value`.
fn at(value: &Value, path: JsonPath) -> Option<&Value> {
    path.iter().try_fold(value, |value, key| value.get(key))
}

/// A cursor or id as sent in a query: a non-empty string, or a number's
/// text.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A non-negative whole number.
fn integer(value: Option<&Value>) -> Option<u64> {
    value?.as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_reach_nested_values() {
        let body = json!({"meta": {"next_cursor": "abc", "n": 3}});
        assert_eq!(
            text(at(&body, &["meta", "next_cursor"])),
            Some("abc".into())
        );
        assert_eq!(integer(at(&body, &["meta", "n"])), Some(3));
        assert_eq!(at(&body, &["meta", "missing"]), None);
        assert_eq!(text(Some(&json!(""))), None);
        assert_eq!(text(Some(&json!(null))), None);
        assert_eq!(text(Some(&json!(42))), Some("42".into()));
    }

    #[test]
    fn the_paging_parameter_is_the_strategys() {
        assert_eq!(Paging::cursor("after", &["next"]).param(), "after");
        assert_eq!(Paging::page("page", 1).param(), "page");
        assert_eq!(Paging::offset("offset").param(), "offset");
        assert_eq!(
            Paging::after_last_id("starting_after", "id", &["has_more"]).param(),
            "starting_after"
        );
    }
}
