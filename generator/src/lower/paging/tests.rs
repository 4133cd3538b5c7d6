//! Detection on one description with an operation per shape and the near
//! misses; `emit/paging.rs` and `manifest/paging.rs` test on it too.

use super::*;
use crate::model::paging::{Items, Paging, Strategy};

/// One operation per shape, and the near misses.
pub(crate) const SPEC: &str = r##"
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
  /envelope-no-info:
    get:
      operationId: envelope-no-info-list
      parameters:
        - {name: page, in: query, schema: {type: number}}
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
  /search:
    get:
      operationId: search-list
      parameters:
        - {name: query, in: query, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: "#/components/schemas/thing"}}
                  has_more: {type: boolean}
                  next_page: {type: string, nullable: true}
                  total_count: {type: integer}
  /union:
    get:
      operationId: union-list
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
                  data:
                    type: array
                    items:
                      oneOf:
                        - $ref: "#/components/schemas/thing"
                        - {type: object, properties: {id: {type: string}, kind: {type: string}}}
                  has_more: {type: boolean}
  /no-list:
    get:
      operationId: no-list-get
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {type: integer}
components:
  schemas:
    thing:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
"##;

pub(crate) fn model() -> Model {
    crate::proofs::examples::tests::fixture(SPEC).1
}

pub(crate) fn op<'m>(model: &'m Model, id: &str) -> &'m OperationDef {
    model
        .operations
        .iter()
        .find(|op| op.operation_id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

pub(crate) fn paging<'m>(model: &'m Model, id: &str) -> &'m Paging {
    op(model, id)
        .paging
        .as_ref()
        .unwrap_or_else(|| panic!("{id} does not page: {:?}", op(model, id).doc))
}

pub(crate) fn path(parts: &[&str]) -> Option<Vec<String>> {
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
fn cloudflare_envelopes_page_through_result_info() {
    let model = model();
    let zones = paging(&model, "zones-list");
    assert_eq!(
        zones.strategy,
        Strategy::ResultInfo {
            params: vec!["page".into()]
        }
    );
    assert_eq!(
        zones.items,
        Items {
            field: None,
            ty: TypeRef::String,
        }
    );
    // Without `result_info`, nothing says which page follows.
    let bare = op(&model, "envelope-no-info-list");
    assert_eq!(bare.paging, None);
    let note = bare.doc.last().expect("a note");
    assert!(note.contains("declares no `result_info`"), "{note}");
}

#[test]
fn a_string_page_is_a_token_sent_back_from_next_page() {
    let model = model();
    let search = paging(&model, "search-list");
    assert_eq!(
        search.strategy,
        Strategy::Cursor {
            param: "page".into(),
            next: vec!["next_page".into()],
        }
    );
    assert_eq!(search.total, path(&["total_count"]));
    assert_eq!(search.more, path(&["has_more"]));
}

#[test]
fn union_items_with_ids_page_after_the_last_id() {
    let model = model();
    let union = paging(&model, "union-list");
    assert_eq!(
        union.strategy,
        Strategy::AfterLastId {
            param: "starting_after".into(),
            id: "id".into(),
            has_more: vec!["has_more".into()],
        }
    );
}

#[test]
fn every_ambiguous_list_is_a_located_warning() {
    let (spec, origins) = crate::lower::fixtures::spec(SPEC);
    let (model, lowered) = crate::lower::lower(&spec, &origins);
    let mut warned: Vec<&str> = lowered
        .diagnostics
        .iter()
        .filter(|d| d.kind == crate::diagnostic::Kind::Paging)
        .map(|d| d.location.pointer.as_str())
        .collect();
    warned.sort_unstable();
    assert_eq!(
        warned,
        [
            "/paths/~1both/get",
            "/paths/~1envelope-no-info/get",
            "/paths/~1no-list/get",
            "/paths/~1no-next/get",
            "/paths/~1required/get",
            "/paths/~1two-arrays/get",
        ]
    );
    let noted = model
        .operations
        .iter()
        .filter(|op| {
            op.doc
                .iter()
                .any(|l| l.starts_with("Not paged automatically"))
        })
        .count();
    assert_eq!(noted, warned.len());
}

#[test]
fn the_docs_say_how_an_operation_pages() {
    let model = model();
    let doc = op(&model, "stripe-list").doc.join("\n");
    assert!(
        doc.contains("sends the last item's `id` as the `starting_after` query parameter"),
        "{doc}"
    );
}
