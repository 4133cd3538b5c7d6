//! How an operation's list pages, as lowering read it from the description
//! (`lower/paging` finds it, `emit/paging` writes the `pages()` and
//! `items()` streams, `manifest/paging` the manifest part).

use super::{Presence, TypeRef};

/// How an operation pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paging {
    /// What is sent to ask for the next page.
    pub strategy: Strategy,
    /// Where the items are.
    pub items: Items,
    /// An integer: the number of pages (page numbers only).
    pub total_pages: Option<Vec<String>>,
    /// An integer: the number of items over all pages.
    pub total: Option<Vec<String>>,
    /// A boolean that is `false` on the last page.
    pub more: Option<Vec<String>>,
    /// A `next` link that is absent or `null` on the last page.
    pub next_link: Option<Vec<String>>,
}

/// What is sent to ask for the next page (wire names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// The cursor the response gives at `next`, sent as `param`.
    Cursor {
        /// The query parameter.
        param: String,
        /// The path of the next cursor in the response.
        next: Vec<String>,
    },
    /// The `id` of the last item, sent as `param`, while `has_more`.
    AfterLastId {
        /// The query parameter.
        param: String,
        /// The item property.
        id: String,
        /// The path of the boolean.
        has_more: Vec<String>,
    },
    /// A page number from `first`, sent as `param`.
    Page {
        /// The query parameter.
        param: String,
        /// The first page's number.
        first: u64,
    },
    /// The number of items received so far, sent as `param`.
    Offset {
        /// The query parameter.
        param: String,
    },
    /// Cloudflare's envelope: the next page number (`page`) or cursor
    /// (`cursor`) read from its `result_info`, as the runtime's
    /// `Call::pages` follows it.
    ResultInfo {
        /// The paging query parameters the operation declares (`page`,
        /// `cursor` or both).
        params: Vec<String>,
    },
}

/// Where a page's items are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Items {
    /// The response property holding them (Rust name, wire name, presence);
    /// `None`: the response is the array.
    pub field: Option<(String, String, Presence)>,
    /// An item's type.
    pub ty: TypeRef,
}
