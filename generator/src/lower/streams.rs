//! Streamed responses and request bodies: server-sent events
//! (`text/event-stream`) and newline-delimited JSON (`application/x-ndjson`,
//! `application/jsonl`, `application/x-jsonlines`,
//! `application/json;stream=watch`).
//!
//! A success response is a stream when it offers no plain JSON media type
//! (a JSON answer, when also offered, stays what the method returns) and
//! one of these. Its items are typed by `itemSchema` (OpenAPI 3.2) when
//! given, else by `schema`: an array schema by its items (3.2 reads the
//! whole sequence as an array); for events a string schema is the `data`'s
//! text (`String`), for NDJSON (a whole `.ndjson` document described as a
//! binary string, as Cloudflare's uploads do) any JSON value; no schema is
//! any JSON value. A request body of an NDJSON media type takes such items,
//! from an iterator or a stream.

use super::{Dir, Lowerer};
use crate::model::{BodyKind, Decode, ResponseDef, TypeRef};
use crate::spec::{is_json, MediaType, Operation, Schema, SchemaKind};

/// What a media type streams, if it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StreamKind {
    /// `text/event-stream`.
    Events,
    /// One JSON value per line.
    Ndjson,
}

/// The stream a media type is, from its essence and parameters.
pub(crate) fn stream_kind(media_type: &str) -> Option<StreamKind> {
    let mut parts = media_type
        .split(';')
        .map(|part| part.trim().to_ascii_lowercase());
    let essence = parts.next().unwrap_or_default();
    match essence.as_str() {
        "text/event-stream" => Some(StreamKind::Events),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines" => Some(StreamKind::Ndjson),
        "application/json" if parts.any(|p| p.replace(' ', "") == "stream=watch") => {
            Some(StreamKind::Ndjson)
        }
        _ => None,
    }
}

/// The first streamed media type of `content`, unless it also offers plain
/// JSON (which is preferred).
fn streamed(content: &[MediaType]) -> Option<(&MediaType, StreamKind)> {
    if content
        .iter()
        .any(|m| is_json(&m.media_type) && stream_kind(&m.media_type).is_none())
    {
        return None;
    }
    content
        .iter()
        .find_map(|m| Some((m, stream_kind(&m.media_type)?)))
}

impl Lowerer<'_> {
    /// The operation's response when its success response is a stream.
    pub(super) fn stream_response(&mut self, op: &Operation, hint: &str) -> Option<ResponseDef> {
        let success = op.success_response()?;
        let (media, kind) = streamed(&success.content)?;
        let ty = self.item_type(media, kind, &[hint, "Item"].concat(), Dir::Read);
        Some(ResponseDef {
            decode: match kind {
                StreamKind::Events => Decode::EventStream,
                StreamKind::Ndjson => Decode::Ndjson,
            },
            ty,
            paginated: false,
        })
    }

    /// The body, when `media` is newline-delimited JSON.
    pub(super) fn ndjson_body(&mut self, media: &MediaType, hint: &str) -> Option<BodyKind> {
        if stream_kind(&media.media_type) != Some(StreamKind::Ndjson) {
            return None;
        }
        let ty = self.item_type(
            media,
            StreamKind::Ndjson,
            &[hint, "Item"].concat(),
            Dir::Write,
        );
        Some(BodyKind::Ndjson(ty, media.media_type.clone()))
    }

    /// The type of one item of a streamed media type.
    fn item_type(&mut self, media: &MediaType, kind: StreamKind, hint: &str, dir: Dir) -> TypeRef {
        if let Some(item) = &media.item_schema {
            if kind == StreamKind::Events {
                if let Some(data) = self.event_data(item, hint) {
                    return data;
                }
            }
            return self.ty(item, hint, dir);
        }
        let Some(schema) = &media.schema else {
            return TypeRef::Json;
        };
        let resolved = self.resolve(schema).ok().map(|s| s.kind.clone());
        match resolved {
            Some(SchemaKind::Array(items)) => self.ty(&items, hint, dir),
            Some(SchemaKind::String { .. }) if kind == StreamKind::Events => TypeRef::String,
            Some(SchemaKind::String { .. }) => TypeRef::Json,
            _ => self.ty(schema, hint, dir),
        }
    }

    /// The type of an event's `data` when `item` (a 3.2 `itemSchema` of
    /// `text/event-stream`) describes whole events (`event`, `data`, `id`,
    /// `retry`): the `contentSchema` of `data` (JSON text), `String` for
    /// text, a union when branches of `item` (one per event name) give
    /// several. `None` when `item` has no `data` property: it is then the
    /// data's own schema, as in descriptions before 3.2.
    fn event_data(&mut self, item: &Schema, hint: &str) -> Option<TypeRef> {
        let mut found = Vec::new();
        self.data_schemas(item, &mut found, 0);
        let mut variants: Vec<Schema> = Vec::new();
        for mut data in found {
            let content = data.content_schema.take().map_or(data, |content| *content);
            let same = |known: &Schema| {
                known.pointer == content.pointer
                    || (known.reference().is_some() && known.reference() == content.reference())
            };
            if !variants.iter().any(same) {
                variants.push(content);
            }
        }
        let text = |schema: &Schema| matches!(schema.kind, SchemaKind::String { .. });
        match variants.as_slice() {
            [] => None,
            all if all.iter().all(text) => Some(TypeRef::String),
            [one] => Some(self.ty(one, hint, Dir::Read)),
            _ => {
                let union = Schema::new(
                    [item.pointer.as_str(), "/properties/data"].concat(),
                    SchemaKind::AnyOf(variants),
                );
                Some(self.ty(&union, hint, Dir::Read))
            }
        }
    }

    /// The `data` properties of an event schema and of its branches.
    fn data_schemas(&mut self, schema: &Schema, found: &mut Vec<Schema>, depth: usize) {
        const DEEPEST: usize = 8;
        if depth > DEEPEST {
            return;
        }
        let Ok(resolved) = self.resolve(schema) else {
            return;
        };
        let resolved = resolved.into_owned();
        match resolved.kind {
            SchemaKind::Object(object) => found.extend(object.properties.get("data").cloned()),
            SchemaKind::AllOf(branches)
            | SchemaKind::AnyOf(branches)
            | SchemaKind::OneOf {
                variants: branches, ..
            } => {
                for branch in &branches {
                    self.data_schemas(branch, found, depth + 1);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::lowered;
    use super::*;
    use crate::model::{Body, Model, OperationDef, TypeKind};

    const STREAMS: &str = r##"
openapi: 3.0.3
info: {title: Streams, version: "1"}
paths:
  /events:
    get:
      operationId: Events
      responses:
        "200":
          description: Tokens.
          content:
            text/event-stream:
              schema: {$ref: "#/components/schemas/Token"}
  /text:
    get:
      operationId: TextEvents
      responses:
        "200":
          description: Text.
          content:
            text/event-stream:
              schema: {type: string}
  /either:
    post:
      operationId: Either
      responses:
        "200":
          description: JSON unless streamed.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Token"}
            text/event-stream:
              schema: {$ref: "#/components/schemas/Token"}
  /watch:
    get:
      operationId: Watch
      responses:
        "200":
          description: Watch events.
          content:
            application/json;stream=watch:
              schema: {type: array, items: {$ref: "#/components/schemas/Token"}}
  /upload:
    post:
      operationId: Upload
      requestBody:
        content:
          application/x-ndjson:
            schema: {type: string, format: binary}
      responses:
        "200":
          description: Lines.
          content:
            application/jsonl:
              itemSchema: {$ref: "#/components/schemas/Token"}
components:
  schemas:
    Token:
      type: object
      required: [text]
      properties: {text: {type: string}}
"##;

    fn operation<'m>(model: &'m Model, id: &str) -> &'m OperationDef {
        model
            .operations
            .iter()
            .find(|op| op.operation_id == id)
            .expect("operation")
    }

    fn named(model: &Model, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) => model.types[id.0].name.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn streamed_responses_and_bodies_are_typed_by_their_items() {
        let (model, _) = lowered(STREAMS);
        let events = &operation(&model, "Events").response;
        assert_eq!(
            (events.decode, named(&model, &events.ty)),
            (Decode::EventStream, "Token".into())
        );
        let text = &operation(&model, "TextEvents").response;
        assert_eq!(
            (text.decode, &text.ty),
            (Decode::EventStream, &TypeRef::String)
        );
        // Plain JSON offered too: the method returns it.
        assert_eq!(operation(&model, "Either").response.decode, Decode::Json);
        let watch = &operation(&model, "Watch").response;
        assert_eq!(
            (watch.decode, named(&model, &watch.ty)),
            (Decode::Ndjson, "Token".into())
        );
        let upload = operation(&model, "Upload");
        assert_eq!(upload.response.decode, Decode::Ndjson);
        assert_eq!(named(&model, &upload.response.ty), "Token");
        let Some(Body {
            kind: BodyKind::Ndjson(TypeRef::Json, media),
            ..
        }) = &upload.body
        else {
            panic!("{:?}", upload.body)
        };
        assert_eq!(media, "application/x-ndjson");
    }

    /// OpenAPI 3.2: `itemSchema` of an event stream describes whole
    /// events; `data` is JSON text whose `contentSchema` types it.
    const EVENTS_32: &str = r##"
openapi: 3.2.0
info: {title: Events, version: "1"}
paths:
  /tokens:
    get:
      operationId: Tokens
      responses:
        "200":
          description: One token per event.
          content:
            text/event-stream:
              itemSchema:
                type: object
                required: [data]
                properties:
                  event: {type: string}
                  id: {type: string}
                  retry: {type: integer}
                  data:
                    type: string
                    contentMediaType: application/json
                    contentSchema: {$ref: "#/components/schemas/Token"}
  /mixed:
    get:
      operationId: Mixed
      responses:
        "200":
          description: Tokens, then a summary.
          content:
            text/event-stream:
              itemSchema:
                oneOf:
                  - properties:
                      event: {const: token}
                      data: {type: string, contentMediaType: application/json, contentSchema: {$ref: "#/components/schemas/Token"}}
                  - properties:
                      event: {const: summary}
                      data: {type: string, contentMediaType: application/json, contentSchema: {$ref: "#/components/schemas/Summary"}}
  /text:
    get:
      operationId: Text
      responses:
        "200":
          description: Text lines.
          content:
            text/event-stream:
              itemSchema:
                properties:
                  data: {type: string}
components:
  schemas:
    Token:
      type: object
      required: [text]
      properties: {text: {type: string}}
    Summary:
      type: object
      required: [tokens]
      properties: {tokens: {type: integer}}
"##;

    #[test]
    fn events_of_a_32_item_schema_are_typed_by_the_content_schema_of_their_data() {
        let (model, _) = lowered(EVENTS_32);
        let tokens = &operation(&model, "Tokens").response;
        assert_eq!(
            (tokens.decode, named(&model, &tokens.ty)),
            (Decode::EventStream, "Token".into())
        );
        let text = &operation(&model, "Text").response;
        assert_eq!(
            (text.decode, &text.ty),
            (Decode::EventStream, &TypeRef::String)
        );
        let mixed = &operation(&model, "Mixed").response;
        let TypeRef::Named(id) = &mixed.ty else {
            panic!("{:?}", mixed.ty)
        };
        let TypeKind::Union { variants, .. } = &model.types[id.0].kind else {
            panic!("{:?}", model.types[id.0].kind)
        };
        let branches: Vec<String> = variants
            .iter()
            .filter(|v| !v.catch_all)
            .map(|v| named(&model, &v.ty))
            .collect();
        assert_eq!(branches, ["Token", "Summary"]);
    }

    #[test]
    fn stream_media_types_are_recognised_by_essence_and_parameter() {
        assert_eq!(
            stream_kind("text/event-stream; charset=utf-8"),
            Some(StreamKind::Events)
        );
        assert_eq!(
            stream_kind("Application/X-NDJSON"),
            Some(StreamKind::Ndjson)
        );
        assert_eq!(
            stream_kind("application/json; stream=watch"),
            Some(StreamKind::Ndjson)
        );
        assert_eq!(stream_kind("application/json"), None);
        assert_eq!(stream_kind("text/plain"), None);
    }
}
