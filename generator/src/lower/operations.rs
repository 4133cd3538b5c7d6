//! Operations: path, query, header and cookie parameters, the request body,
//! the response (seeing through the envelope), typed errors, and the
//! resource tree the methods hang on.

use super::types::option;
use super::{Dir, Lowerer};
use crate::diagnostic::Kind;
use crate::docs::sanitize;
use crate::model::{
    Area, AreaId, Body, BodyKind, Decode, ErrorDef, Field, IntWidth, OperationDef, ParamField,
    ParamPlace, ParamStyle, PathParam, Presence, ResourceId, ResponseDef, TypeId, TypeKind,
    TypeRef,
};
use crate::naming::{pascal, snake, without_area_prefix, Namespace};
use crate::spec::{
    is_form, is_json, is_text, json_media, Operation, Parameter, ParameterLocation, Schema,
    SchemaKind, Style,
};

/// The name hint of an error response's type (`NotFound`, `ClientError`).
pub(super) fn error_name(status: &str) -> String {
    match status {
        "400" => "BadRequest".into(),
        "401" => "Unauthorized".into(),
        "403" => "Forbidden".into(),
        "404" => "NotFound".into(),
        "405" => "MethodNotAllowed".into(),
        "409" => "Conflict".into(),
        "410" => "Gone".into(),
        "422" => "UnprocessableEntity".into(),
        "429" => "TooManyRequests".into(),
        "500" => "InternalServerError".into(),
        "502" => "BadGateway".into(),
        "503" => "ServiceUnavailable".into(),
        "4XX" | "4xx" => "ClientError".into(),
        "5XX" | "5xx" => "ServerError".into(),
        "default" => "Error".into(),
        other => format!("Error{other}"),
    }
}

impl Lowerer<'_> {
    /// Lowers one operation: its name (before resources), parameters, body,
    /// response, typed errors, security and docs. Types are made in that
    /// order, which interning and naming depend on.
    pub(super) fn operation(
        &mut self,
        op: &Operation,
        area: AreaId,
        area_def: &Area,
        names: &mut Namespace,
    ) -> OperationDef {
        let full = snake(&op.id);
        let short = without_area_prefix(&full, &area_def.module, &area_def.title)
            .filter(|rest| !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()))
            .map(snake)
            .unwrap_or(full);
        // The name before resources: a doc alias of the method, and the
        // stem of the operation's type names (numbered when it repeats, so
        // they stay apart; the method's own name is checked in `resources`).
        let (name, _) = names.claim(&short);
        let hint = pascal(&name);
        self.paging.operation(&op.id, &op.pointer);
        let path_params = self.path_params(op, &hint);
        let params = self.params(op, &hint);
        let body = self.body(op, &hint);
        let response = self.response(op, &hint);
        let errors = self.errors(op, &hint);
        OperationDef {
            legacy_name: name.clone(),
            resource: ResourceId(0),
            name,
            operation_id: op.id.clone(),
            area,
            method: op.method.to_uppercase(),
            path: op.path.as_str().to_owned(),
            path_params,
            params,
            body,
            response,
            errors,
            security: self.security(op),
            doc: operation_doc(op),
            deprecated: op.deprecated,
            paging: None,
        }
    }

    /// The path parameters, in template order (a template name no
    /// parameter declares is skipped; `oas30` reports it).
    fn path_params(&mut self, op: &Operation, hint: &str) -> Vec<PathParam> {
        let mut path_params = Vec::new();
        let mut param_names = Namespace::new();
        for wire in op.path.params() {
            let Some(parameter) = op
                .parameters
                .iter()
                .find(|p| p.location == ParameterLocation::Path && p.name == *wire)
            else {
                continue;
            };
            let resolved = self.resolve(&parameter.schema);
            let ty = match resolved.as_deref().map(|s| &s.kind) {
                Ok(SchemaKind::Integer { format, .. }) => {
                    TypeRef::Integer(IntWidth::from_format(format.as_deref()))
                }
                Ok(SchemaKind::Number { format }) => TypeRef::number(format.as_deref()),
                Ok(SchemaKind::Boolean) => TypeRef::Bool,
                // Arrays and objects are typed (and serialized as `style` says).
                Ok(SchemaKind::Array(_) | SchemaKind::Object(_)) => {
                    let hint = [hint, self.memo.pascal(wire)].concat();
                    required(self.ty(&parameter.schema, &hint, Dir::Write))
                }
                _ => TypeRef::String,
            };
            let (param_name, _) = param_names.claim(self.memo.snake(wire));
            path_params.push(PathParam {
                name: param_name,
                wire: wire.to_string(),
                ty,
                style: ParamStyle::resolve(parameter.serialization, Style::Simple),
                doc: doc_lines(parameter.description.as_deref()),
            });
        }
        path_params
    }

    /// The query, header and cookie parameters as one `Params` type, and
    /// whether all are optional; `None` when there are none.
    fn params(&mut self, op: &Operation, hint: &str) -> Option<(TypeId, bool)> {
        let mut fields = Vec::new();
        let mut field_names = Namespace::new();
        for parameter in &op.parameters {
            let place = match parameter.location {
                ParameterLocation::Path => continue,
                ParameterLocation::Query => ParamPlace::Query,
                ParameterLocation::Header => ParamPlace::Header,
                ParameterLocation::Cookie => ParamPlace::Cookie,
            };
            let composite = matches!(
                self.resolve(&parameter.schema).as_deref().map(|s| &s.kind),
                Ok(SchemaKind::Array(_) | SchemaKind::Object(_))
            );
            // A header is a string unless it is an array or an object, which
            // are typed and serialized in `simple` style.
            let ty = if place == ParamPlace::Header && !composite {
                TypeRef::String
            } else {
                let hint = [hint, self.memo.pascal(&parameter.name)].concat();
                required(self.ty(&parameter.schema, &hint, Dir::Write))
            };
            let style = ParamStyle::resolve(
                parameter.serialization,
                Style::default_for(parameter.location),
            );
            if place == ParamPlace::Query {
                self.record_default(op, parameter);
            }
            let (field_name, _) = field_names.claim(self.memo.snake(&parameter.name));
            fields.push(ParamField {
                field: Field {
                    name: field_name,
                    wire: parameter.name.clone(),
                    ty,
                    presence: if parameter.required {
                        Presence::Required
                    } else {
                        Presence::Optional
                    },
                    doc: doc_lines(parameter.description.as_deref()),
                    deprecated: parameter.deprecated,
                },
                place,
                style,
            });
        }
        if fields.is_empty() {
            return None;
        }
        let all_optional = fields
            .iter()
            .all(|f| f.field.presence == Presence::Optional);
        let doc = vec![format!("Query and header parameters of `{}`.", op.id)];
        let id = self.alloc_doc(&[hint, "Params"].concat(), doc, op.pointer.clone());
        let id = self.finish(id, TypeKind::Params { fields });
        Some((id, all_optional))
    }

    /// Records a query parameter's `default` (its own, else that of the
    /// schema it references) when it is a whole number: paging starts
    /// counting pages there.
    fn record_default(&mut self, op: &Operation, parameter: &Parameter) {
        let mut schema: &Schema = &parameter.schema;
        if let SchemaKind::Ref(name) = &schema.kind {
            if schema.default.is_none() {
                match self.spec.schemas.get(name) {
                    Some(target) => schema = target,
                    None => return,
                }
            }
        }
        if let Some(default) = schema.default.as_ref().and_then(serde_json::Value::as_u64) {
            self.paging.query_default(&op.id, &parameter.name, default);
        }
    }

    /// The request body: its first JSON media type, else its first one.
    ///
    /// An optional body of a `GET`, `HEAD` or `DELETE` whose schema is an
    /// object with no properties (Stripe lists one on every read) carries
    /// nothing: it is dropped, with a warning. A body whose type has a
    /// required field is required, whatever the description's `required`
    /// says: a call without one cannot be valid.
    fn body(&mut self, op: &Operation, hint: &str) -> Option<Body> {
        let body = op.request_body.as_ref()?;
        let chosen = json_media(&body.content).or_else(|| body.content.first())?;
        if !body.required
            && ["get", "head", "delete"].contains(&op.method.to_ascii_lowercase().as_str())
            && self.carries_nothing(chosen.schema.as_ref())
        {
            self.warn(
                Kind::Dropped,
                &format!("{}/requestBody", op.pointer),
                format!(
                    "the optional `{}` request body of `{}` has no properties: the method takes no body",
                    chosen.media_type, op.id
                ),
            );
            return None;
        }
        let kind = if let Some(ndjson) = self.ndjson_body(chosen, hint) {
            ndjson
        } else if is_json(&chosen.media_type) {
            BodyKind::Json(match &chosen.schema {
                Some(schema) => self.ty(schema, &[hint, "Body"].concat(), Dir::Write),
                None => TypeRef::Json,
            })
        } else if let (true, Some(schema)) = (is_form(&chosen.media_type), &chosen.schema) {
            let encoding = chosen
                .encoding
                .iter()
                .map(|(name, declared)| (name.clone(), ParamStyle::resolve(*declared, Style::Form)))
                .collect();
            BodyKind::Form(
                self.ty(schema, &[hint, "Body"].concat(), Dir::Write),
                encoding,
            )
        } else if chosen.media_type.starts_with("multipart/form-data") {
            self.multipart_body(chosen, hint)
        } else if chosen.media_type.starts_with("multipart/") {
            BodyKind::Multipart
        } else if is_text(&chosen.media_type) {
            BodyKind::Text(chosen.media_type.clone())
        } else {
            BodyKind::Bytes(chosen.media_type.clone())
        };
        let required = body.required
            || match &kind {
                // An iterator or stream of values: always given.
                BodyKind::Ndjson(..) => true,
                BodyKind::Json(ty) | BodyKind::Form(ty, _) | BodyKind::MultipartForm(ty, _) => {
                    self.has_required_field(ty)
                }
                _ => false,
            };
        Some(Body { kind, required })
    }

    /// Whether a body schema is an object that declares no properties and
    /// no schema for others (absent, `{}` and a schema that is not an
    /// object carry something, or may).
    fn carries_nothing(&mut self, schema: Option<&Schema>) -> bool {
        let Some(schema) = schema else {
            return false;
        };
        matches!(
            self.resolve(schema).as_deref().map(|s| &s.kind),
            Ok(SchemaKind::Object(object)) if object.properties.is_empty() && object.additional.is_none()
        )
    }

    /// Whether `ty` is a struct with a required field (nullable or not).
    fn has_required_field(&self, ty: &TypeRef) -> bool {
        let (TypeRef::Named(id) | TypeRef::Boxed(id)) = ty else {
            return false;
        };
        matches!(
            &self.drafts[self.canonical(*id).0].kind,
            Some(TypeKind::Struct { fields, .. })
                if fields.iter().any(|f| matches!(f.presence, Presence::Required | Presence::RequiredNullable))
        )
    }

    /// The security requirements, with only the schemes the description
    /// defines (`oas30` reports the others).
    fn security(&self, op: &Operation) -> Option<Vec<Vec<String>>> {
        op.security.as_ref().map(|requirements| {
            requirements
                .iter()
                .map(|requirement| {
                    requirement
                        .iter()
                        .filter(|name| self.spec.security_schemes.contains_key(*name))
                        .cloned()
                        .collect()
                })
                .collect()
        })
    }

    pub(super) fn response(&mut self, op: &Operation, hint: &str) -> ResponseDef {
        let untyped = ResponseDef {
            decode: Decode::Json,
            ty: TypeRef::Json,
            paginated: false,
        };
        let Some(success) = op.success_response() else {
            return untyped;
        };
        if let Some(stream) = self.stream_response(op, hint) {
            return stream;
        }
        let Some(media) = json_media(&success.content).or_else(|| success.content.first()) else {
            return ResponseDef {
                decode: Decode::Empty,
                ty: TypeRef::Unit,
                paginated: false,
            };
        };
        if !is_json(&media.media_type) {
            let text = is_text(&media.media_type);
            return ResponseDef {
                decode: if text { Decode::Text } else { Decode::Bytes },
                ty: if text { TypeRef::String } else { TypeRef::Unit },
                paginated: false,
            };
        }
        let Some(schema) = &media.schema else {
            return untyped;
        };
        let resolved = self.norm.resolve_shared(schema);
        let Some(resolved) = self.normalized(resolved, &schema.pointer) else {
            return untyped;
        };
        if let SchemaKind::Object(object) = &resolved.kind {
            if object.is_envelope() {
                let ty = match object.properties.get("result") {
                    Some(result) => {
                        let ty = self.ty(result, &[hint, "Result"].concat(), Dir::Read);
                        self.null_if_typeless(result, ty)
                    }
                    None => TypeRef::Json,
                };
                return ResponseDef {
                    decode: Decode::Envelope,
                    ty,
                    paginated: object.properties.contains_key("result_info"),
                };
            }
        }
        let ty = self.ty(schema, &[hint, "Response"].concat(), Dir::Read);
        ResponseDef {
            decode: Decode::Json,
            ty: self.null_if_typeless(schema, ty),
            paginated: false,
        }
    }

    /// `Option<ty>` when `schema` declares no `type` (following references):
    /// JSON Schema then allows `null`, and servers and mocks send it.
    pub(super) fn null_if_typeless(&self, schema: &Schema, ty: TypeRef) -> TypeRef {
        let mut schema = schema;
        let mut hops = 0;
        while let Some(name) = schema.reference() {
            match self.spec.schemas.get(name) {
                Some(target) if hops < 64 => schema = target,
                _ => return ty,
            }
            hops += 1;
        }
        if schema.typeless {
            option(ty)
        } else {
            ty
        }
    }

    /// The error responses whose JSON bodies the description types, in
    /// status order. Envelopes are left to `ApiError`'s codes and messages.
    pub(super) fn errors(&mut self, op: &Operation, hint: &str) -> Vec<ErrorDef> {
        let mut errors = Vec::new();
        for response in &op.responses {
            let status = response.status.as_str();
            if status.starts_with(['1', '2', '3']) {
                continue;
            }
            let Some(schema) = json_media(&response.content).and_then(|m| m.schema.as_ref()) else {
                continue;
            };
            let resolved = self.norm.resolve_shared(schema);
            let Some(resolved) = self.normalized(resolved, &schema.pointer) else {
                continue;
            };
            if matches!(&resolved.kind, SchemaKind::Object(object) if object.is_envelope()) {
                continue;
            }
            let ty = self.ty(schema, &format!("{hint}{}", error_name(status)), Dir::Read);
            errors.push(ErrorDef {
                status: status.to_owned(),
                ty,
                description: response
                    .description
                    .as_deref()
                    .map(|d| sanitize(d).join(" "))
                    .filter(|d| !d.is_empty()),
            });
        }
        errors
    }
}

/// A parameter's type without the `Option` a nullable schema adds (absence
/// is the parameter's own `Option`).
fn required(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Option(inner) => *inner,
        other => other,
    }
}

/// Documentation lines of an optional description.
fn doc_lines(description: Option<&str>) -> Vec<String> {
    description.map(sanitize).unwrap_or_default()
}

/// An operation's docs: summary, description (unless it repeats the
/// summary), the request it sends, and what its success response is.
fn operation_doc(op: &Operation) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(summary) = &op.summary {
        doc.extend(sanitize(summary));
    }
    if let Some(description) = &op.description {
        if op.summary.as_deref().map(str::trim) != Some(description.trim()) {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend(sanitize(description));
        }
    }
    let sends = format!(
        "Sends a `{}` request to `{}` (operation `{}`).",
        op.method.to_uppercase(),
        op.path,
        op.id
    );
    // After the description's last paragraph; after the summary alone in
    // a paragraph of its own, which stays the short summary rustdoc lists.
    if doc.iter().any(String::is_empty) {
        crate::docs::append_sentence(&mut doc, &sends);
    } else {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(sends);
    }
    if let Some(success) = op.success_response() {
        let description = doc_lines(success.description.as_deref());
        if !description.is_empty() {
            crate::docs::append_sentence(
                &mut doc,
                &format!("Response `{}`: {}", success.status, description.join(" ")),
            );
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{lowered, ZONES};
    use super::*;

    fn operation<'m>(model: &'m crate::model::Model, id: &str) -> &'m OperationDef {
        model
            .operations
            .iter()
            .find(|op| op.operation_id == id)
            .expect("operation")
    }

    #[test]
    fn path_parameters_follow_the_template_not_the_declarations() {
        let (model, _) = lowered(ZONES);
        let op = operation(&model, "records-get");
        let got: Vec<(&str, &TypeRef)> = op
            .path_params
            .iter()
            .map(|p| (p.wire.as_str(), &p.ty))
            .collect();
        assert_eq!(
            got,
            [
                ("zone_id", &TypeRef::Integer(IntWidth::I32)),
                ("record_id", &TypeRef::String)
            ]
        );
        assert_eq!(op.path, "/zones/{zone_id}/records/{record_id}");
        // The query parameter is the params type's, and optional.
        let (params, all_optional) = op.params.expect("params");
        assert!(all_optional);
        let TypeKind::Params { fields } = &model.types[params.0].kind else {
            panic!("not params")
        };
        assert_eq!(fields[0].field.wire, "page");
        assert_eq!(fields[0].place, ParamPlace::Query);
    }

    #[test]
    fn an_envelope_returns_its_result_and_errors_are_typed() {
        let (model, _) = lowered(ZONES);
        let op = operation(&model, "records-get");
        assert_eq!(op.response.decode, Decode::Envelope);
        let TypeRef::Named(result) = op.response.ty else {
            panic!("{:?}", op.response.ty)
        };
        assert_eq!(model.types[result.0].name, "Record");
        let errors: Vec<(&str, Option<&str>)> = op
            .errors
            .iter()
            .map(|e| (e.status.as_str(), e.description.as_deref()))
            .collect();
        assert_eq!(errors, [("404", Some("No such record."))]);
        assert_eq!(error_name("404"), "NotFound");
        assert_eq!(error_name("4XX"), "ClientError");
    }

    #[test]
    fn a_json_body_is_the_request_side_type() {
        let (model, _) = lowered(ZONES);
        let op = operation(&model, "zones-create");
        let Some(Body {
            kind: BodyKind::Json(TypeRef::Named(id)),
            required: true,
        }) = &op.body
        else {
            panic!("{:?}", op.body)
        };
        assert_eq!(model.types[id.0].name, "ZoneRequest");
        assert!(op.doc.iter().any(|line| line
            .starts_with("Sends a `POST` request to `/zones` (operation `zones-create`).")));
    }

    /// Stripe's way: every operation lists an optional form body, empty on
    /// reads; some bodies require properties without `required: true`.
    const BODIES: &str = r##"
openapi: 3.0.3
info: {title: Bodies, version: "1"}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: GetThing
      requestBody:
        required: false
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {}, additionalProperties: false}
      responses: {"200": {description: OK}}
    delete:
      operationId: DeleteThing
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {prorate: {type: boolean}}}
      responses: {"200": {description: OK}}
    post:
      operationId: PostThing
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name]
              properties: {name: {type: string}, note: {type: string}}
      responses: {"200": {description: OK}}
  /things:
    get:
      operationId: ListThings
      requestBody:
        content:
          application/json:
            schema: {type: object, additionalProperties: {type: string}}
      responses: {"200": {description: OK}}
    post:
      operationId: PostThings
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {note: {type: string}}}
      responses: {"200": {description: OK}}
"##;

    #[test]
    fn an_empty_optional_body_on_a_read_is_dropped_with_a_warning() {
        let (model, lowered) = lowered(BODIES);
        assert!(operation(&model, "GetThing").body.is_none());
        let warnings: Vec<(&Kind, &str)> = lowered
            .diagnostics
            .iter()
            .map(|d| (&d.kind, d.message.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [(
                &Kind::Dropped,
                "the optional `application/x-www-form-urlencoded` request body of `GetThing` has no properties: the method takes no body"
            )]
        );
        // A body with properties on a `DELETE`, and a map on a `GET`, carry
        // something: kept, optional.
        for id in ["DeleteThing", "ListThings"] {
            let body = operation(&model, id).body.as_ref().expect("kept");
            assert!(!body.required, "{id}");
        }
    }

    #[test]
    fn a_body_with_a_required_property_is_required() {
        let (model, _) = lowered(BODIES);
        let post = operation(&model, "PostThing").body.as_ref().expect("body");
        assert!(matches!(post.kind, BodyKind::Form(..)) && post.required);
        // Nothing required: as optional as the description says.
        let post = operation(&model, "PostThings").body.as_ref().expect("body");
        assert!(!post.required);
    }
}
