//! Pagination read from the description: which operations page, and how.
//!
//! An operation gets `pages()` and `items()` streams on its call type when
//! its description shows exactly one unambiguous way of paging (a `GET`
//! answering plain JSON, never a Cloudflare envelope, whose lists page
//! through `result_info` and the runtime's `Call::pages`):
//!
//! - **cursor**: an optional string query parameter named like a cursor
//!   (`cursor`, `page_token`, `pageToken`, `after`, `starting_after`,
//!   `next`, `continuation_token`), a response object with exactly one
//!   array property (the items) and one string property for the next
//!   cursor (`next_cursor`, `nextPageToken`, `next`, `endCursor`, ... or,
//!   failing those, `cursor`), at the top or one object down
//!   (`meta.next_cursor`, `page.endCursor`; never in `links`, whose
//!   `next` is a URL);
//!   or, for `starting_after`/`after`, Stripe's `has_more` with an `id`
//!   on each item (the last one's is sent);
//! - **page number**: an optional integer query parameter `page` and a
//!   response that is an array or an object with exactly one array
//!   property; it starts at the parameter's `default`, else 1;
//! - **offset**: the same with an integer `offset`, which advances by the
//!   number of items received.
//!
//! Every stream stops on an empty page, so it always ends; it also stops
//! on what the response says when it says it unambiguously (no next
//! cursor, `has_more` false, a `null` `next` link, `total_pages` or
//! `total` reached). When an operation has a paging parameter but more
//! than one shape fits, or the items are not one array, no stream is
//! emitted and the method's documentation says why.
//!
//! Lowering calls [`annotate`] once the model is finished, with the
//! defaults of the query parameters it read while lowering each operation
//! (the first page's number), so nothing here goes back to the spec. The
//! result is [`crate::model::paging`]; `emit/paging.rs` writes the
//! streams and `manifest/paging.rs` the manifest part.

use rustc_hash::FxHashMap;

use crate::model::paging::{Items, Paging, Strategy};
use crate::model::{Model, OperationDef, ParamPlace, Presence, TypeKind, TypeRef};

mod response;
#[cfg(test)]
pub(crate) mod tests;

use response::Response;

/// What [`detect`] finds for one operation.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Detection {
    /// It pages this way.
    Paged(Box<Paging>),
    /// It has a paging parameter, but no single way of paging fits: why.
    Ambiguous(String),
    /// It shows no paging.
    None,
}

/// The whole-number defaults of query parameters, by operation id and
/// wire name, recorded while lowering each operation.
#[derive(Debug, Default)]
pub(super) struct QueryDefaults(FxHashMap<(String, String), u64>);

impl QueryDefaults {
    /// Records the default of query parameter `wire` of `operation` (the
    /// first one recorded stays).
    pub(super) fn record(&mut self, operation: &str, wire: &str, default: u64) {
        self.0
            .entry((operation.to_owned(), wire.to_owned()))
            .or_insert(default);
    }

    fn get(&self, operation: &str, wire: &str) -> Option<u64> {
        self.0
            .get(&(operation.to_owned(), wire.to_owned()))
            .copied()
    }
}

/// Query parameter names that carry a cursor, compared without case,
/// `_` or `-`.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "pagetoken",
    "after",
    "startingafter",
    "next",
    "continuationtoken",
];
/// Cursor parameters that Stripe's `has_more` + last `id` can feed.
const LAST_ID_PARAMS: &[&str] = &["after", "startingafter"];
/// Response properties holding the next cursor, by preference.
const NEXT_CURSOR: &[&[&str]] = &[
    &[
        "nextcursor",
        "nextpagetoken",
        "nexttoken",
        "next",
        "nextcontinuationtoken",
        // GraphQL-style connections: the last item's cursor, sent as `after`.
        "endcursor",
    ],
    &["cursor"],
];
/// Integer properties counting pages.
const TOTAL_PAGES: &[&str] = &["totalpages", "pagecount"];
/// Integer properties counting items over all pages.
const TOTAL: &[&str] = &["total", "totalcount", "totalitems", "totalresults"];
/// Boolean properties telling whether another page follows.
const MORE: &[&str] = &["hasmore", "hasnext", "hasnextpage"];

/// The names of the stream methods, which no setter may take.
const METHODS: &[&str] = &["pages", "items"];

/// `name` without case, `_` or `-`.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Sets [`OperationDef::paging`] of every operation of `model` that pages,
/// and notes in the docs of those that have a paging parameter but no
/// unambiguous way of paging.
pub(super) fn annotate(model: &mut Model, defaults: &QueryDefaults) {
    let found: Vec<Detection> = model
        .operations
        .iter()
        .map(|op| detect(model, defaults, op))
        .collect();
    for (op, detection) in model.operations.iter_mut().zip(found) {
        match detection {
            Detection::Paged(paging) => {
                op.doc.push(String::new());
                op.doc.push(doc_line(&paging));
                op.paging = Some(*paging);
            }
            Detection::Ambiguous(why) => {
                op.doc.push(String::new());
                op.doc.push(format!("Not paged automatically: {why}."));
            }
            Detection::None => {}
        }
    }
}

/// One sentence for the method's docs: how its pages follow each other.
fn doc_line(paging: &Paging) -> String {
    let how = match &paging.strategy {
        Strategy::Cursor { param, next } => format!(
            "sends the response's `{}` as the `{param}` query parameter",
            next.join(".")
        ),
        Strategy::AfterLastId {
            param,
            id,
            has_more,
        } => format!(
            "sends the last item's `{id}` as the `{param}` query parameter while `{}` is true",
            has_more.join(".")
        ),
        Strategy::Page { param, first } => {
            format!("counts the `{param}` query parameter up from {first}")
        }
        Strategy::Offset { param } => {
            format!("advances the `{param}` query parameter by the items received")
        }
    };
    format!(
        "Paged: `.pages()` and `.items()` on the returned call stream every page; each request {how}, \
         until an empty page or the last one."
    )
}

/// How `op` pages, if its description shows it unambiguously.
fn detect(model: &Model, defaults: &QueryDefaults, op: &OperationDef) -> Detection {
    if op.method != "GET" || op.response.decode != crate::model::Decode::Json {
        return Detection::None;
    }
    let Some((params_id, _)) = op.params else {
        return Detection::None;
    };
    let TypeKind::Params { fields } = &model.types[params_id.0].kind else {
        return Detection::None;
    };
    let query: Vec<_> = fields
        .iter()
        .filter(|p| p.place == ParamPlace::Query)
        .collect();
    let cursors: Vec<_> = query
        .iter()
        .filter(|p| {
            p.field.ty == TypeRef::String
                && CURSOR_PARAMS.contains(&normalized(&p.field.wire).as_str())
        })
        .collect();
    let integer = |wire: &str| {
        query
            .iter()
            .find(|p| p.field.wire == wire && matches!(p.field.ty, TypeRef::Integer(_)))
    };
    let page = integer("page");
    let offset = integer("offset");
    let kinds = usize::from(!cursors.is_empty())
        + usize::from(page.is_some())
        + usize::from(offset.is_some());
    if kinds == 0 {
        return Detection::None;
    }
    if kinds > 1 || cursors.len() > 1 {
        let names: Vec<String> = cursors
            .iter()
            .map(|p| &p.field.wire)
            .chain(page.map(|p| &p.field.wire))
            .chain(offset.map(|p| &p.field.wire))
            .map(|wire| format!("`{wire}`"))
            .collect();
        return Detection::Ambiguous(format!(
            "the query parameters {} page in different ways",
            names.join(", ")
        ));
    }
    let param = cursors
        .first()
        .map(|p| **p)
        .or(page.copied())
        .or(offset.copied())
        .map(|p| &p.field);
    let Some(param) = param else {
        return Detection::None;
    };
    if param.presence != Presence::Optional {
        return Detection::Ambiguous(format!(
            "the paging parameter `{}` is required, so the first page can't be asked for without it",
            param.wire
        ));
    }
    if let Some(clash) = fields.iter().find(|p| {
        p.field.presence != Presence::Required
            && METHODS.contains(&crate::naming::unraw(&p.field.name))
    }) {
        return Detection::Ambiguous(format!(
            "the parameter `{}` would take the name of a stream method",
            clash.field.wire
        ));
    }
    let response = Response::of(model, &op.response.ty);
    let items = match response.items() {
        Ok(Some(items)) => items,
        Ok(None) => return Detection::None,
        Err(why) => return Detection::Ambiguous(why),
    };
    let strategy = if !cursors.is_empty() {
        match cursor_strategy(model, &response, &items, &param.wire) {
            Ok(strategy) => strategy,
            Err(why) => return Detection::Ambiguous(why),
        }
    } else if page.is_some() {
        Strategy::Page {
            param: param.wire.clone(),
            first: defaults.get(&op.operation_id, &param.wire).unwrap_or(1),
        }
    } else {
        Strategy::Offset {
            param: param.wire.clone(),
        }
    };
    let numbered = !matches!(
        strategy,
        Strategy::Cursor { .. } | Strategy::AfterLastId { .. }
    );
    Detection::Paged(Box::new(Paging {
        total_pages: matches!(strategy, Strategy::Page { .. })
            .then(|| response.unique(model, TOTAL_PAGES, is_integer))
            .flatten(),
        total: response.unique(model, TOTAL, is_integer),
        more: match &strategy {
            Strategy::AfterLastId { .. } => None,
            _ => response.unique(model, MORE, |ty| *ty == TypeRef::Bool),
        },
        // A `next` string beside page numbers or offsets is a link.
        next_link: numbered
            .then(|| response.unique(model, &["next"], |ty| *ty == TypeRef::String))
            .flatten(),
        strategy,
        items,
    }))
}

/// The next-page strategy of a cursor parameter.
fn cursor_strategy(
    model: &Model,
    response: &Response<'_>,
    items: &Items,
    param: &str,
) -> Result<Strategy, String> {
    if items.field.is_none() {
        return Err(format!(
            "the response to a `{param}` cursor is an array, with no next cursor"
        ));
    }
    for names in NEXT_CURSOR {
        let found = response.find(model, names, |ty| *ty == TypeRef::String);
        match found.as_slice() {
            [] => continue,
            [next] => {
                return Ok(Strategy::Cursor {
                    param: param.to_owned(),
                    next: next.clone(),
                })
            }
            several => {
                let paths: Vec<String> = several
                    .iter()
                    .map(|p| format!("`{}`", p.join(".")))
                    .collect();
                return Err(format!(
                    "the response has several next cursors: {}",
                    paths.join(", ")
                ));
            }
        }
    }
    if LAST_ID_PARAMS.contains(&normalized(param).as_str()) {
        let has_more = response.find(model, &["hasmore"], |ty| *ty == TypeRef::Bool);
        let has_more: Vec<_> = has_more
            .into_iter()
            .filter(|path| path.len() == 1)
            .collect();
        if let ([has_more], Some(id)) = (has_more.as_slice(), item_id(model, &items.ty)) {
            return Ok(Strategy::AfterLastId {
                param: param.to_owned(),
                id,
                has_more: has_more.clone(),
            });
        }
    }
    Err(format!(
        "the response gives no next cursor for the `{param}` query parameter"
    ))
}

/// The wire name of an item's `id` property (a string or an integer).
fn item_id(model: &Model, ty: &TypeRef) -> Option<String> {
    let (TypeRef::Named(id) | TypeRef::Boxed(id)) = ty else {
        return None;
    };
    let TypeKind::Struct { fields, .. } = &model.types[id.0].kind else {
        return None;
    };
    fields
        .iter()
        .find(|f| {
            f.wire == "id" && (f.ty == TypeRef::String || matches!(f.ty, TypeRef::Integer(_)))
        })
        .map(|f| f.wire.clone())
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Integer(_))
}
