//! Operations in the model: their parameters, bodies, responses and
//! typed errors.

use super::*;

/// A query, header or cookie parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParamField {
    /// The field.
    pub field: Field,
    /// Where it is sent.
    pub place: ParamPlace,
    /// How it is serialized.
    pub style: ParamStyle,
}

/// Where a field of a parameters struct is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamPlace {
    /// The query string.
    Query,
    /// A header.
    Header,
    /// The `Cookie` header.
    Cookie,
}

impl ParamPlace {
    /// `query`, `header` or `cookie`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamPlace::Query => "query",
            ParamPlace::Header => "header",
            ParamPlace::Cookie => "cookie",
        }
    }
}

/// A parameter's (or form-body property's) serialization, defaults
/// applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParamStyle {
    /// `style`.
    pub style: crate::spec::Style,
    /// `explode`.
    pub explode: bool,
    /// `allowReserved` (query parameters and form bodies only).
    pub allow_reserved: bool,
}

impl ParamStyle {
    /// The declared serialization, with OpenAPI's defaults for what is not
    /// declared: the location's style, and `explode` for `form` only.
    pub fn resolve(declared: crate::spec::Serialization, default: crate::spec::Style) -> Self {
        let style = declared.style.unwrap_or(default);
        ParamStyle {
            style,
            explode: declared
                .explode
                .unwrap_or(style == crate::spec::Style::Form),
            allow_reserved: declared.allow_reserved,
        }
    }
}

/// One operation: one method on an area's accessor.
#[derive(Clone, Debug)]
pub struct OperationDef {
    /// Method name, on its resource's accessor (`get`, `list`, `edit`).
    pub name: String,
    /// The resource whose accessor has the method.
    pub resource: ResourceId,
    /// The method name made from the `operationId` (the name before
    /// resources), kept as a doc alias.
    pub legacy_name: String,
    /// The `operationId`.
    pub operation_id: String,
    /// Its area.
    pub area: AreaId,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Path parameters, in template order.
    pub path_params: Vec<PathParam>,
    /// The query, header and cookie parameters, and whether all are
    /// optional. Required ones are arguments of the method; when some are
    /// optional the type becomes the call the method returns, with a
    /// setter for each.
    pub params: Option<(TypeId, bool)>,
    /// The body.
    pub body: Option<Body>,
    /// What the call returns.
    pub response: ResponseDef,
    /// Error responses the description types (other than Cloudflare-style
    /// envelopes, whose codes and messages `ApiError` already carries).
    pub errors: Vec<ErrorDef>,
    /// Security requirements: alternatives, each a set of scheme names
    /// (as in `components.securitySchemes`).
    pub security: Option<Vec<Vec<String>>>,
    /// Documentation lines.
    pub doc: Vec<String>,
    /// Deprecated in the spec.
    pub deprecated: bool,
    /// How its list pages, when the description shows it unambiguously
    /// (`pages()`/`items()` on its call type; see [`paging`]).
    pub paging: Option<paging::Paging>,
}

/// A typed error response: `ApiError::body_as` decodes the body as `ty`.
#[derive(Clone, Debug)]
pub struct ErrorDef {
    /// `404`, `4XX`, `default`, ...
    pub status: String,
    /// The type of its JSON body.
    pub ty: TypeRef,
    /// The response's description (sanitized, one line).
    pub description: Option<String>,
}

/// A path parameter.
#[derive(Clone, Debug)]
pub struct PathParam {
    /// Rust name.
    pub name: String,
    /// Name in the template.
    pub wire: String,
    /// `Integer`, `Number` and `Bool` are passed by value, `Vec` as a
    /// slice, `Named` by reference; all else as `&str`.
    pub ty: TypeRef,
    /// How it is serialized.
    pub style: ParamStyle,
    /// Documentation lines.
    pub doc: Vec<String>,
}

/// A request body.
#[derive(Clone, Debug)]
pub struct Body {
    /// How it is encoded.
    pub kind: BodyKind,
    /// Whether the caller must give one.
    pub required: bool,
}

/// The encodings of a request body.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyKind {
    /// JSON of this type.
    Json(TypeRef),
    /// `multipart/form-data` without an object schema: a form the caller
    /// builds.
    Multipart,
    /// `multipart/form-data` of this type (an object), one part per
    /// property, with the `Content-Type` that `encoding` declares for some
    /// properties (`contentType`, by wire name).
    MultipartForm(TypeRef, Vec<(String, String)>),
    /// `application/x-www-form-urlencoded` of this type (an object), with
    /// the serialization of the properties `encoding` names.
    Form(TypeRef, Vec<(String, ParamStyle)>),
    /// Raw bytes with this content type.
    Bytes(String),
    /// Text with this content type.
    Text(String),
    /// Newline-delimited JSON (`application/x-ndjson`, `application/jsonl`,
    /// ...) with this content type: values of this type, one per line,
    /// from an iterator or a stream.
    Ndjson(TypeRef, String),
}

/// How a response body is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decode {
    /// The Cloudflare envelope; the method returns `result`.
    Envelope,
    /// Plain JSON.
    Json,
    /// Text.
    Text,
    /// Bytes.
    Bytes,
    /// No body.
    Empty,
    /// Server-sent events (`text/event-stream`): a stream of events whose
    /// `data` is the response type.
    EventStream,
    /// Newline-delimited JSON: a stream of values of the response type,
    /// one per line.
    Ndjson,
}

impl Decode {
    /// Whether the response is a stream of items of the response type.
    pub fn is_stream(self) -> bool {
        matches!(self, Decode::EventStream | Decode::Ndjson)
    }
}

/// What a call returns.
#[derive(Clone, Debug)]
pub struct ResponseDef {
    /// How the body is decoded.
    pub decode: Decode,
    /// The Rust type returned.
    pub ty: TypeRef,
    /// Whether the envelope carries `result_info` (a list that pages).
    pub paginated: bool,
}

// ----- walking type references ----------------------------------------------
//
// The one walker over the types a model refers to: every pass that follows
// type ids (lowering's placement and renumbering, the manifest's request
// types) goes through these, so a new place that holds a `TypeRef` is added
// here once.

impl OperationDef {
    /// Calls `f` with every type a request of this operation holds: the
    /// parameters struct, the path parameters, a JSON or form body.
    pub fn each_request_id(&self, f: &mut impl FnMut(TypeId)) {
        if let Some((id, _)) = self.params {
            f(id);
        }
        self.path_params.iter().for_each(|p| p.ty.each_id(f));
        if let Some(Body {
            kind:
                BodyKind::Json(ty)
                | BodyKind::Form(ty, _)
                | BodyKind::MultipartForm(ty, _)
                | BodyKind::Ndjson(ty, _),
            ..
        }) = &self.body
        {
            ty.each_id(f);
        }
    }

    /// Calls `f` with every type the operation uses: its request's
    /// ([`OperationDef::each_request_id`]), its result and its typed errors.
    pub fn each_id(&self, f: &mut impl FnMut(TypeId)) {
        self.each_request_id(f);
        self.response.ty.each_id(f);
        self.errors.iter().for_each(|error| error.ty.each_id(f));
    }

    /// [`OperationDef::each_id`], with the ids to change.
    pub fn each_id_mut(&mut self, f: &mut impl FnMut(&mut TypeId)) {
        if let Some((id, _)) = &mut self.params {
            f(id);
        }
        self.path_params
            .iter_mut()
            .for_each(|p| p.ty.each_id_mut(f));
        if let Some(Body {
            kind:
                BodyKind::Json(ty)
                | BodyKind::Form(ty, _)
                | BodyKind::MultipartForm(ty, _)
                | BodyKind::Ndjson(ty, _),
            ..
        }) = &mut self.body
        {
            ty.each_id_mut(f);
        }
        self.response.ty.each_id_mut(f);
        self.errors
            .iter_mut()
            .for_each(|error| error.ty.each_id_mut(f));
    }
}
