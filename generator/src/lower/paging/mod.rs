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
//! (the first page's number, where the operation is), so nothing here goes
//! back to the spec. The
//! result is [`crate::model::paging`]; `emit/paging.rs` writes the
//! streams and `manifest/paging.rs` the manifest part.

use rustc_hash::FxHashMap;

use crate::model::paging::{Items, Paging, Strategy};
use crate::model::{
    Decode, Field, Model, OperationDef, ParamField, ParamPlace, Presence, TypeKind, TypeRef,
};

mod envelope;
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

/// What lowering records for paging while it lowers each operation, by
/// operation id: where the operation is (for warnings) and the
/// whole-number defaults of its query parameters (the first page's number).
#[derive(Debug, Default)]
pub(super) struct Hints {
    pointers: FxHashMap<String, String>,
    defaults: FxHashMap<(String, String), u64>,
}

impl Hints {
    /// Records where `operation` is (the first one recorded stays).
    pub(super) fn operation(&mut self, operation: &str, pointer: &str) {
        self.pointers
            .entry(operation.to_owned())
            .or_insert_with(|| pointer.to_owned());
    }

    /// Records the default of query parameter `wire` of `operation` (the
    /// first one recorded stays).
    pub(super) fn query_default(&mut self, operation: &str, wire: &str, default: u64) {
        self.defaults
            .entry((operation.to_owned(), wire.to_owned()))
            .or_insert(default);
    }

    fn default_of(&self, operation: &str, wire: &str) -> Option<u64> {
        self.defaults
            .get(&(operation.to_owned(), wire.to_owned()))
            .copied()
    }

    fn pointer(&self, operation: &str) -> String {
        self.pointers.get(operation).cloned().unwrap_or_default()
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
    // A string `page` is a token (Stripe's search sends `next_page` back).
    "page",
];
/// Cursor parameters that Stripe's `has_more` + last `id` can feed.
const LAST_ID_PARAMS: &[&str] = &["after", "startingafter"];
/// Response properties holding the next cursor, by preference.
const NEXT_CURSOR: &[&[&str]] = &[
    &[
        "nextcursor",
        "nextpage",
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
/// unambiguous way of paging; returns those, by the operation's pointer,
/// with why (lowering warns about each).
pub(super) fn annotate(model: &mut Model, hints: &Hints) -> Vec<(String, String)> {
    let mut ambiguous = Vec::new();
    let found: Vec<Detection> = model
        .operations
        .iter()
        .map(|op| detect(model, hints, op))
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
                ambiguous.push((hints.pointer(&op.operation_id), why));
            }
            Detection::None => {}
        }
    }
    ambiguous
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
        Strategy::ResultInfo { .. } => "asks for the next page the envelope's `result_info` \
            names (the next `page` number, or its cursor as `cursor`)"
            .to_owned(),
    };
    format!(
        "Paged: `.pages()` and `.items()` on the returned call stream every page; each request {how}, \
         until an empty page or the last one."
    )
}

/// How `op` pages, if its description shows it unambiguously.
fn detect(model: &Model, hints: &Hints, op: &OperationDef) -> Detection {
    if op.method != "GET" {
        return Detection::None;
    }
    let Some((params_id, _)) = op.params else {
        return Detection::None;
    };
    let TypeKind::Params { fields } = &model.types[params_id.0].kind else {
        return Detection::None;
    };
    match op.response.decode {
        Decode::Json => plain(model, hints, op, fields),
        Decode::Envelope => envelope::detect(op, fields),
        Decode::Text | Decode::Bytes | Decode::Empty | Decode::EventStream | Decode::Ndjson => {
            Detection::None
        }
    }
}

/// Why `param` can't page the call, if it can't: it is required (the first
/// page is asked for without it), or a parameter would take the name of a
/// stream method.
fn unusable(param: &Field, fields: &[ParamField]) -> Option<String> {
    if param.presence != Presence::Optional {
        return Some(format!(
            "the paging parameter `{}` is required, so the first page can't be asked for without it",
            param.wire
        ));
    }
    fields
        .iter()
        .find(|p| {
            p.field.presence != Presence::Required
                && METHODS.contains(&crate::naming::unraw(&p.field.name))
        })
        .map(|clash| {
            format!(
                "the parameter `{}` would take the name of a stream method",
                clash.field.wire
            )
        })
}

/// The paging query parameter of a plain JSON list: a cursor, an integer
/// `page` or an integer `offset`. `Err` when several are declared.
fn plain_param(fields: &[ParamField]) -> Result<Option<&Field>, String> {
    let query = || fields.iter().filter(|p| p.place == ParamPlace::Query);
    let cursors: Vec<&Field> = query()
        .filter(|p| {
            p.field.ty == TypeRef::String
                && CURSOR_PARAMS.contains(&normalized(&p.field.wire).as_str())
        })
        .map(|p| &p.field)
        .collect();
    let integer = |wire: &str| {
        query()
            // Cloudflare declares page numbers `type: number`.
            .find(|p| {
                p.field.wire == wire && matches!(p.field.ty, TypeRef::Integer(_) | TypeRef::Number)
            })
            .map(|p| &p.field)
    };
    let found: Vec<&Field> = cursors
        .into_iter()
        .chain(integer("page"))
        .chain(integer("offset"))
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [param] => Ok(Some(param)),
        several => {
            let names: Vec<String> = several.iter().map(|p| format!("`{}`", p.wire)).collect();
            Err(format!(
                "the query parameters {} page in different ways",
                names.join(", ")
            ))
        }
    }
}

/// How a `GET` answering plain JSON pages.
fn plain(model: &Model, hints: &Hints, op: &OperationDef, fields: &[ParamField]) -> Detection {
    let param = match plain_param(fields) {
        Ok(Some(param)) => param,
        Ok(None) => return Detection::None,
        Err(why) => return Detection::Ambiguous(why),
    };
    if let Some(why) = unusable(param, fields) {
        return Detection::Ambiguous(why);
    }
    let response = Response::of(model, &op.response.ty);
    let items = match response.items() {
        Ok(Some(items)) => items,
        Ok(None) => {
            return Detection::Ambiguous(format!(
                "the query parameter `{}` pages, but the response holds no array of items",
                param.wire
            ))
        }
        Err(why) => return Detection::Ambiguous(why),
    };
    let strategy = if param.ty == TypeRef::String {
        match cursor_strategy(model, &response, &items, &param.wire) {
            Ok(strategy) => strategy,
            Err(why) => return Detection::Ambiguous(why),
        }
    } else if param.wire == "page" {
        Strategy::Page {
            param: param.wire.clone(),
            first: hints.default_of(&op.operation_id, &param.wire).unwrap_or(1),
        }
    } else {
        Strategy::Offset {
            param: param.wire.clone(),
        }
    };
    let numbered = matches!(strategy, Strategy::Page { .. } | Strategy::Offset { .. });
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

/// The wire name of an item's `id` property (a string or an integer): of
/// an object, or of every branch of a union of objects (the catch-all
/// aside).
fn item_id(model: &Model, ty: &TypeRef) -> Option<String> {
    let (TypeRef::Named(id) | TypeRef::Boxed(id)) = ty else {
        return None;
    };
    match &model.types[id.0].kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .find(|f| {
                f.wire == "id" && (f.ty == TypeRef::String || matches!(f.ty, TypeRef::Integer(_)))
            })
            .map(|f| f.wire.clone()),
        TypeKind::Union { variants, .. } => {
            let mut branches = variants.iter().filter(|v| !v.catch_all).peekable();
            branches.peek()?;
            branches
                .all(|v| item_id(model, &v.ty).is_some())
                .then(|| "id".to_owned())
        }
        TypeKind::Enum { .. } | TypeKind::Params { .. } => None,
    }
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Integer(_))
}
