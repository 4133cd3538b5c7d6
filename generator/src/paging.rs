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
//! [`annotate`] is the one call from `lower`; [`methods`] the one from
//! `emit`, [`manifest_part`] the one from `manifest`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Model, OperationDef, ParamPlace, Presence, TypeKind, TypeRef};
use crate::spec::{ParameterLocation, Schema, SchemaKind, Spec};

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

/// What [`detect`] finds for one operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Detection {
    /// It pages this way.
    Paged(Box<Paging>),
    /// It has a paging parameter, but no single way of paging fits: why.
    Ambiguous(String),
    /// It shows no paging.
    None,
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

/// Sets [`OperationDef::paging`] of every operation of `model` (lowered
/// from `spec`) that pages, and notes in the docs of those that have a
/// paging parameter but no unambiguous way of paging.
pub fn annotate(spec: &Spec, model: &mut Model) {
    let mut found = Vec::new();
    for (index, op) in model.operations.iter().enumerate() {
        let spec_op = spec.operations.iter().find(|s| s.id == op.operation_id);
        found.push((index, detect(model, spec, spec_op, op)));
    }
    for (index, detection) in found {
        let op = &mut model.operations[index];
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
pub fn detect(
    model: &Model,
    spec: &Spec,
    spec_op: Option<&crate::spec::Operation>,
    op: &OperationDef,
) -> Detection {
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
            first: spec_op
                .and_then(|o| first_page(spec, o, &param.wire))
                .unwrap_or(1),
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

/// The `default` of the query parameter `wire`, following one reference,
/// when it is a whole number.
fn first_page(spec: &Spec, op: &crate::spec::Operation, wire: &str) -> Option<u64> {
    let param = op
        .parameters
        .iter()
        .find(|p| p.name == wire && p.location == ParameterLocation::Query)?;
    let mut schema: &Schema = &param.schema;
    if let SchemaKind::Ref(name) = &schema.kind {
        if schema.default.is_none() {
            schema = spec.schemas.get(name)?;
        }
    }
    schema.default.as_ref()?.as_u64()
}

/// A JSON response, as paging sees it.
enum Response<'m> {
    /// An array of this.
    Array(&'m TypeRef),
    /// An object with these fields.
    Object(&'m [crate::model::Field]),
    /// Anything else.
    Other,
}

impl<'m> Response<'m> {
    fn of(model: &'m Model, ty: &'m TypeRef) -> Self {
        match ty {
            TypeRef::Vec(item) => Response::Array(item),
            TypeRef::Named(id) => match &model.types[id.0].kind {
                TypeKind::Struct { fields, .. } => Response::Object(fields),
                _ => Response::Other,
            },
            _ => Response::Other,
        }
    }

    /// The items: the array itself, or the one array property. `Ok(None)`
    /// when the response holds no list; an error when it holds several.
    fn items(&self) -> Result<Option<Items>, String> {
        match self {
            Response::Array(item) => Ok(Some(Items {
                field: None,
                ty: (*item).clone(),
            })),
            Response::Object(fields) => {
                let arrays: Vec<_> = fields
                    .iter()
                    .filter(|f| matches!(f.ty, TypeRef::Vec(_)))
                    .collect();
                match arrays.as_slice() {
                    [] => Ok(None),
                    [field] => {
                        let TypeRef::Vec(item) = &field.ty else {
                            return Ok(None);
                        };
                        Ok(Some(Items {
                            field: Some((field.name.clone(), field.wire.clone(), field.presence)),
                            ty: (**item).clone(),
                        }))
                    }
                    several => {
                        let names: Vec<String> =
                            several.iter().map(|f| format!("`{}`", f.wire)).collect();
                        Err(format!(
                            "the response has several arrays ({}), so which holds the items is unclear",
                            names.join(", ")
                        ))
                    }
                }
            }
            Response::Other => Ok(None),
        }
    }

    /// The paths of the properties named (normalized) one of `names` whose
    /// type passes `accept`: at the top, and in objects one level down.
    fn find(
        &self,
        model: &Model,
        names: &[&str],
        accept: impl Fn(&TypeRef) -> bool,
    ) -> Vec<Vec<String>> {
        let Response::Object(fields) = self else {
            return Vec::new();
        };
        let matches = |f: &crate::model::Field| {
            accept(&f.ty) && names.contains(&normalized(&f.wire).as_str())
        };
        let mut found = Vec::new();
        for field in fields.iter() {
            if matches(field) {
                found.push(vec![field.wire.clone()]);
            }
            // `links.next` and the like are URLs, not cursors.
            if normalized(&field.wire) == "links" {
                continue;
            }
            if let TypeRef::Named(id) | TypeRef::Boxed(id) = &field.ty {
                if let TypeKind::Struct { fields: inner, .. } = &model.types[id.0].kind {
                    for nested in inner.iter().filter(|f| matches(f)) {
                        found.push(vec![field.wire.clone(), nested.wire.clone()]);
                    }
                }
            }
        }
        found
    }

    /// The one path [`find`](Self::find) finds, if exactly one.
    fn unique(
        &self,
        model: &Model,
        names: &[&str],
        accept: impl Fn(&TypeRef) -> bool,
    ) -> Option<Vec<String>> {
        let mut found = self.find(model, names, accept);
        (found.len() == 1).then(|| found.remove(0))
    }
}

/// The `pages()` and `items()` methods of a paged operation's call type
/// (nothing for one that does not page).
pub fn methods(model: &Model, op: &OperationDef) -> TokenStream {
    let Some(paging) = &op.paging else {
        return TokenStream::new();
    };
    let descriptor = descriptor(paging);
    let page = crate::emit::rust_type_from_root(model, &op.response.ty);
    let item = crate::emit::rust_type_from_root(model, &paging.items.ty);
    let take = match &paging.items.field {
        None => quote!(::std::convert::identity),
        Some((name, _, presence)) => {
            let name = crate::naming::ident(name);
            match presence {
                Presence::Required => quote!(|page| page.#name),
                Presence::Optional | Presence::RequiredNullable => {
                    quote!(|page| page.#name.unwrap_or_default())
                }
                Presence::OptionalNullable => {
                    quote!(|page| page.#name.flatten().unwrap_or_default())
                }
            }
        }
    };
    quote! {
        /// Streams the pages, one request each, lazily: the first as set up
        /// here, the next ones changing only the paging parameter (see the
        /// method's docs). The stream ends after the last page or an empty
        /// one; an error ends it after being yielded.
        pub fn pages(self) -> impl ::apigen_runtime::Stream<
            Item = Result<::apigen_runtime::ApiResponse<#page>, ::apigen_runtime::Error>,
        > + ::std::marker::Send + ::std::marker::Unpin {
            self.into_call().pages_with(#descriptor)
        }

        /// Streams the items of every page (see [`pages`](Self::pages)).
        pub fn items(self) -> impl ::apigen_runtime::Stream<
            Item = Result<#item, ::apigen_runtime::Error>,
        > + ::std::marker::Send + ::std::marker::Unpin {
            self.into_call().items_with(#descriptor, #take)
        }
    }
}

/// The runtime's `Paging` for `paging`.
fn descriptor(paging: &Paging) -> TokenStream {
    let path = |path: &[String]| quote!(&[#(#path),*]);
    let mut tokens = match &paging.strategy {
        Strategy::Cursor { param, next } => {
            let next = path(next);
            quote!(::apigen_runtime::Paging::cursor(#param, #next))
        }
        Strategy::AfterLastId {
            param,
            id,
            has_more,
        } => {
            let has_more = path(has_more);
            quote!(::apigen_runtime::Paging::after_last_id(#param, #id, #has_more))
        }
        Strategy::Page { param, first } => {
            quote!(::apigen_runtime::Paging::page(#param, #first))
        }
        Strategy::Offset { param } => quote!(::apigen_runtime::Paging::offset(#param)),
    };
    if let Some((_, wire, _)) = &paging.items.field {
        tokens = quote!(#tokens.items_at(#wire));
    }
    for (method, found) in [
        ("total_pages", &paging.total_pages),
        ("total", &paging.total),
        ("more", &paging.more),
        ("next_link", &paging.next_link),
    ] {
        if let Some(found) = found {
            let method = crate::naming::ident(method);
            let found = path(found);
            tokens = quote!(#tokens.#method(#found));
        }
    }
    tokens
}

/// The manifest part of a paged operation (`pages cursor ?cursor=meta.next_cursor
/// items data`), or nothing.
pub fn manifest_part(op: &OperationDef) -> String {
    let Some(paging) = &op.paging else {
        return String::new();
    };
    let mut part = match &paging.strategy {
        Strategy::Cursor { param, next } => format!("pages cursor ?{param}={}", next.join(".")),
        Strategy::AfterLastId {
            param,
            id,
            has_more,
        } => {
            format!(
                "pages last-id ?{param}=items[-1].{id} while {}",
                has_more.join(".")
            )
        }
        Strategy::Page { param, first } => format!("pages number ?{param}={first}.."),
        Strategy::Offset { param } => format!("pages offset ?{param}"),
    };
    match &paging.items.field {
        Some((_, wire, _)) => part.push_str(&format!(" items {wire}")),
        None => part.push_str(" items [..]"),
    }
    for (name, found) in [
        ("total_pages", &paging.total_pages),
        ("total", &paging.total),
        ("more", &paging.more),
        ("next", &paging.next_link),
    ] {
        if let Some(found) = found {
            part.push_str(&format!(" {name} {}", found.join(".")));
        }
    }
    // A wire name cannot break the line into parts.
    part.replace('|', "\\u{7c}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One operation per shape, and the near misses.
    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: paging, version: "1"}
paths:
  /cursor:
    get:
      operationId: cursor-list
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/thing"}}
                  meta:
                    type: object
                    properties:
                      next_cursor: {type: string, nullable: true}
  /token:
    get:
      operationId: token-list
      parameters:
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {type: string}}
                  nextPageToken: {type: string}
  /relay:
    get:
      operationId: relay-list
      parameters:
        - {name: after, in: query, schema: {type: string}}
        - {name: before, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  object: {type: string}
                  items: {type: array, items: {$ref: "#/components/schemas/thing"}}
                  page:
                    type: object
                    properties:
                      endCursor: {type: string, nullable: true}
                      startCursor: {type: string, nullable: true}
                      hasNextPage: {type: boolean}
                      total: {type: integer}
  /stripe:
    get:
      operationId: stripe-list
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  object: {type: string}
                  data: {type: array, items: {$ref: "#/components/schemas/thing"}}
                  has_more: {type: boolean}
  /pages:
    get:
      operationId: pages-list
      parameters:
        - {name: page, in: query, schema: {type: integer, default: 0}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/thing"}}
  /numbered:
    get:
      operationId: numbered-list
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results: {type: array, items: {type: integer}}
                  pagination:
                    type: object
                    properties:
                      total_pages: {type: integer}
                      total: {type: integer}
                  next: {type: string, nullable: true}
  /offset:
    get:
      operationId: offset-list
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  rows: {type: array, items: {type: integer}}
                  total: {type: integer}
                  has_more: {type: boolean}
  /both:
    get:
      operationId: both-list
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: integer}}
                  next_cursor: {type: string}
  /two-arrays:
    get:
      operationId: two-arrays-list
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: integer}}
                  warnings: {type: array, items: {type: string}}
  /required:
    get:
      operationId: required-list
      parameters:
        - {name: cursor, in: query, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: integer}}
                  next_cursor: {type: string}
  /no-next:
    get:
      operationId: no-next-list
      parameters:
        - {name: after, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: integer}}
                  links:
                    type: object
                    properties:
                      next: {type: string, format: uri}
  /plain:
    get:
      operationId: plain-list
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: integer}}
    post:
      operationId: plain-create
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: integer}}
  /zones:
    get:
      operationId: zones-list
      parameters:
        - {name: page, in: query, schema: {type: number}}
        - {name: per_page, in: query, schema: {type: number}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {type: boolean}
                  errors: {type: array, items: {}}
                  messages: {type: array, items: {}}
                  result: {type: array, items: {type: string}}
                  result_info:
                    type: object
                    properties:
                      page: {type: number}
                      total_pages: {type: number}
components:
  schemas:
    thing:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
"##;

    fn model() -> Model {
        crate::examples::tests::fixture(SPEC).1
    }

    fn op<'m>(model: &'m Model, id: &str) -> &'m OperationDef {
        model
            .operations
            .iter()
            .find(|op| op.operation_id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    }

    fn paging<'m>(model: &'m Model, id: &str) -> &'m Paging {
        op(model, id)
            .paging
            .as_ref()
            .unwrap_or_else(|| panic!("{id} does not page: {:?}", op(model, id).doc))
    }

    fn path(parts: &[&str]) -> Option<Vec<String>> {
        Some(parts.iter().map(|p| (*p).to_owned()).collect())
    }

    #[test]
    fn a_cursor_is_found_nested_or_at_the_top() {
        let model = model();
        let cursor = paging(&model, "cursor-list");
        assert_eq!(
            cursor.strategy,
            Strategy::Cursor {
                param: "cursor".into(),
                next: vec!["meta".into(), "next_cursor".into()],
            }
        );
        assert_eq!(
            cursor.items.field,
            Some(("data".into(), "data".into(), Presence::Optional))
        );
        assert!(matches!(cursor.items.ty, TypeRef::Named(_)));

        let token = paging(&model, "token-list");
        assert_eq!(
            token.strategy,
            Strategy::Cursor {
                param: "pageToken".into(),
                next: vec!["nextPageToken".into()],
            }
        );
        assert_eq!(
            token.items,
            Items {
                field: Some(("items".into(), "items".into(), Presence::Required)),
                ty: TypeRef::String,
            }
        );
    }

    #[test]
    fn a_connections_end_cursor_is_sent_as_after() {
        let model = model();
        let relay = paging(&model, "relay-list");
        assert_eq!(
            relay.strategy,
            Strategy::Cursor {
                param: "after".into(),
                next: vec!["page".into(), "endCursor".into()],
            }
        );
        assert_eq!(relay.more, path(&["page", "hasNextPage"]));
        assert_eq!(relay.total, path(&["page", "total"]));
        assert_eq!(relay.next_link, None);
    }

    #[test]
    fn stripe_pages_after_the_last_id_while_has_more() {
        let model = model();
        let stripe = paging(&model, "stripe-list");
        assert_eq!(
            stripe.strategy,
            Strategy::AfterLastId {
                param: "starting_after".into(),
                id: "id".into(),
                has_more: vec!["has_more".into()],
            }
        );
        assert_eq!(stripe.more, None, "has_more is the strategy's own stop");
    }

    #[test]
    fn page_numbers_start_at_the_default_and_find_their_totals() {
        let model = model();
        let pages = paging(&model, "pages-list");
        assert_eq!(
            pages.strategy,
            Strategy::Page {
                param: "page".into(),
                first: 0,
            }
        );
        assert_eq!(pages.items.field, None);
        assert_eq!((&pages.total_pages, &pages.total), (&None, &None));

        let numbered = paging(&model, "numbered-list");
        assert_eq!(
            numbered.strategy,
            Strategy::Page {
                param: "page".into(),
                first: 1,
            }
        );
        assert_eq!(numbered.total_pages, path(&["pagination", "total_pages"]));
        assert_eq!(numbered.total, path(&["pagination", "total"]));
        assert_eq!(numbered.next_link, path(&["next"]));
    }

    #[test]
    fn offsets_find_total_and_has_more() {
        let model = model();
        let offset = paging(&model, "offset-list");
        assert_eq!(
            offset.strategy,
            Strategy::Offset {
                param: "offset".into()
            }
        );
        assert_eq!(offset.total, path(&["total"]));
        assert_eq!(offset.more, path(&["has_more"]));
        assert_eq!(offset.total_pages, None);
    }

    #[test]
    fn ambiguous_shapes_get_no_stream_and_a_note() {
        let model = model();
        for (id, why) in [
            ("both-list", "`cursor`, `page` page in different ways"),
            ("two-arrays-list", "several arrays (`data`, `warnings`)"),
            ("required-list", "`cursor` is required"),
            (
                "no-next-list",
                "no next cursor for the `after` query parameter",
            ),
        ] {
            let op = op(&model, id);
            assert_eq!(op.paging, None, "{id}");
            let note = op.doc.last().expect("a note");
            assert!(
                note.starts_with("Not paged automatically:") && note.contains(why),
                "{id}: {note}"
            );
        }
    }

    #[test]
    fn lists_without_a_paging_parameter_and_other_methods_do_not_page() {
        let model = model();
        for id in ["plain-list", "plain-create"] {
            let op = op(&model, id);
            assert_eq!(op.paging, None, "{id}");
            assert!(
                !op.doc.iter().any(|line| line.contains("aged")),
                "{id}: {:?}",
                op.doc
            );
        }
    }

    #[test]
    fn cloudflare_envelopes_keep_their_own_pagination() {
        let model = model();
        let zones = op(&model, "zones-list");
        assert_eq!(zones.response.decode, crate::model::Decode::Envelope);
        assert!(zones.response.paginated);
        assert_eq!(zones.paging, None);
        assert!(!zones.doc.iter().any(|line| line.contains("aged")));
    }

    #[test]
    fn the_manifest_and_the_docs_say_how_an_operation_pages() {
        let model = model();
        assert_eq!(
            manifest_part(op(&model, "cursor-list")),
            "pages cursor ?cursor=meta.next_cursor items data"
        );
        assert_eq!(
            manifest_part(op(&model, "numbered-list")),
            "pages number ?page=1.. items results total_pages pagination.total_pages \
             total pagination.total next next"
        );
        assert_eq!(
            manifest_part(op(&model, "pages-list")),
            "pages number ?page=0.. items [..]"
        );
        assert_eq!(manifest_part(op(&model, "plain-list")), "");
        let doc = op(&model, "stripe-list").doc.join("\n");
        assert!(
            doc.contains("sends the last item's `id` as the `starting_after` query parameter"),
            "{doc}"
        );
    }

    #[test]
    fn the_descriptor_names_every_stop() {
        let model = model();
        let tokens = descriptor(paging(&model, "offset-list")).to_string();
        assert_eq!(
            tokens,
            quote!(::apigen_runtime::Paging::offset("offset")
                .items_at("rows")
                .total(&["total"])
                .more(&["has_more"]))
            .to_string()
        );
    }

    #[test]
    fn gaining_pagination_is_minor_and_losing_it_major() {
        use crate::manifest::{compare, Manifest, Verdict};
        let line = |part: &str| {
            Manifest::parse(&format!(
                "fn a::A::list() -> ListCall -> Vec<Pet> | GET /pets{part}\n"
            ))
            .expect("parses")
        };
        let plain = line("");
        let paged = line(" | pages number ?page=1.. items [..]");
        let offset = line(" | pages offset ?offset items [..]");
        assert_eq!(compare(&plain, &paged).verdict(), Verdict::Minor);
        assert_eq!(compare(&paged, &plain).verdict(), Verdict::Major);
        let changed = compare(&paged, &offset);
        assert_eq!(changed.verdict(), Verdict::Minor, "{:?}", changed.changes);
    }
}
