//! The generator's own, version-neutral view of an API description.
//!
//! **API boundary:** the front end (`front`) reads every OpenAPI version
//! into these. Everything after (normalizing, lowering, emitting) sees only
//! these types, so a version differs from another only in the front end.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// A whole API description, merged and converted.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Named schemas (`components.schemas`), by name.
    pub schemas: BTreeMap<String, Schema>,
    /// Every operation, sorted by path and method.
    pub operations: Vec<Operation>,
    /// Security schemes, by name.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// `servers`, in the document's order.
    pub servers: Vec<Server>,
    /// `webhooks` (OpenAPI 3.1): the requests the API sends, whose payload
    /// schemas become types a receiving server decodes with.
    pub webhooks: Vec<Webhook>,
    /// Tag descriptions, by tag name.
    pub tags: BTreeMap<String, Option<String>>,
}

/// A schema with its documentation and flags.
#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    /// Where the schema is, as a JSON pointer into the merged document.
    pub pointer: String,
    /// What the schema describes.
    pub kind: SchemaKind,
    /// `nullable: true`.
    pub nullable: bool,
    /// No `type` keyword (properties, `allOf` and the like alone): besides
    /// what the other keywords describe, the value may be anything, `null`
    /// included (servers and mocks send `null` for such a response).
    pub typeless: bool,
    /// `readOnly: true`: only in responses.
    pub read_only: bool,
    /// `writeOnly: true`: only in requests.
    pub write_only: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `example`.
    pub example: Option<Value>,
    /// `default`.
    pub default: Option<Value>,
    /// `examples` (OpenAPI 3.1), every entry in order; `example` holds the
    /// first when the schema gives no `example`.
    pub examples: Vec<Value>,
    /// The validation keywords (`maxLength`, `pattern`, `minimum`, ...).
    pub constraints: Constraints,
    /// `contentSchema` (3.1): the schema of a string's content once
    /// decoded by its `contentMediaType` (the `data` of a server-sent
    /// event in a 3.2 `itemSchema`).
    pub content_schema: Option<Box<Schema>>,
}

/// The validation keywords of a schema: what a value must satisfy beyond
/// its type. Nothing here changes the Rust type; it is documented and used
/// to build values that a validating server accepts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    /// `minLength` of a string.
    pub min_length: Option<u64>,
    /// `maxLength` of a string.
    pub max_length: Option<u64>,
    /// `pattern` of a string (an ECMA-262 regular expression, unanchored).
    pub pattern: Option<String>,
    /// `minimum`, or `exclusiveMinimum` (a boolean beside `minimum` in 3.0,
    /// a number of its own in 3.1).
    pub minimum: Option<Bound>,
    /// `maximum`, or `exclusiveMaximum`.
    pub maximum: Option<Bound>,
    /// `multipleOf`.
    pub multiple_of: Option<serde_json::Number>,
    /// `minItems` of an array.
    pub min_items: Option<u64>,
    /// `maxItems` of an array.
    pub max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
}

/// A bound on a number: its value as written, and whether the value itself
/// is excluded.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// The bound, exactly as the description writes it.
    pub value: serde_json::Number,
    /// `exclusiveMinimum`/`exclusiveMaximum`: the bound itself is not
    /// allowed.
    pub exclusive: bool,
}

impl Bound {
    /// An inclusive bound from a float (the 3.0 model's numbers); `None` for
    /// a value JSON cannot hold.
    pub fn float(value: f64, exclusive: bool) -> Option<Bound> {
        let value = if value.fract() == 0.0 && value.abs() < 9.0e15 {
            serde_json::Number::from(value as i64)
        } else {
            serde_json::Number::from_f64(value)?
        };
        Some(Bound { value, exclusive })
    }
}

impl Constraints {
    /// What a value satisfying both `self` and `other` must satisfy (the
    /// constraints of `allOf` branches): the tighter of each bound.
    pub fn intersect(&self, other: &Constraints) -> Constraints {
        fn tighter<T: Clone>(
            a: &Option<T>,
            b: &Option<T>,
            a_wins: impl Fn(&T, &T) -> bool,
        ) -> Option<T> {
            match (a, b) {
                (Some(x), Some(y)) => Some(if a_wins(x, y) { x.clone() } else { y.clone() }),
                (x, y) => x.clone().or_else(|| y.clone()),
            }
        }
        let f = |n: &serde_json::Number| n.as_f64().unwrap_or(0.0);
        // Of two equal bounds, an exclusive one is the tighter.
        let lower = |a: &Bound, b: &Bound| {
            f(&a.value) > f(&b.value) || (f(&a.value) == f(&b.value) && a.exclusive)
        };
        let upper = |a: &Bound, b: &Bound| {
            f(&a.value) < f(&b.value) || (f(&a.value) == f(&b.value) && a.exclusive)
        };
        Constraints {
            min_length: tighter(&self.min_length, &other.min_length, |a, b| a >= b),
            max_length: tighter(&self.max_length, &other.max_length, |a, b| a <= b),
            pattern: self.pattern.clone().or_else(|| other.pattern.clone()),
            minimum: tighter(&self.minimum, &other.minimum, lower),
            maximum: tighter(&self.maximum, &other.maximum, upper),
            multiple_of: self
                .multiple_of
                .clone()
                .or_else(|| other.multiple_of.clone()),
            min_items: tighter(&self.min_items, &other.min_items, |a, b| a >= b),
            max_items: tighter(&self.max_items, &other.max_items, |a, b| a <= b),
            unique_items: self.unique_items || other.unique_items,
        }
    }
}

impl Schema {
    /// A schema of `kind` at `pointer`, with no flags or docs.
    pub fn new(pointer: impl Into<String>, kind: SchemaKind) -> Self {
        Schema {
            pointer: pointer.into(),
            kind,
            nullable: false,
            typeless: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            title: None,
            description: None,
            example: None,
            default: None,
            examples: Vec::new(),
            constraints: Constraints::default(),
            content_schema: None,
        }
    }

    /// The name of the component this schema refers to, if it is a `$ref`.
    pub fn reference(&self) -> Option<&str> {
        match &self.kind {
            SchemaKind::Ref(name) => Some(name),
            _ => None,
        }
    }
}

/// The structural part of a schema.
#[derive(Clone, Debug, PartialEq)]
pub enum SchemaKind {
    /// `$ref: '#/components/schemas/<name>'`.
    Ref(String),
    /// No constraints at all: any JSON value.
    Any,
    /// `type: boolean`.
    Boolean,
    /// `type: integer`, with its `format` and `enum`.
    Integer {
        /// `format`, such as `int32`.
        format: Option<String>,
        /// `enum` values.
        values: Vec<i64>,
    },
    /// `type: number`.
    Number {
        /// `format`, such as `float`.
        format: Option<String>,
    },
    /// `type: string`.
    String {
        /// `format`, such as `date-time` or `binary`.
        format: Option<String>,
        /// `enum` values (a `null` entry makes the enum nullable).
        values: Vec<Option<String>>,
    },
    /// `type: array`.
    Array(Box<Schema>),
    /// `type: object` (or `properties` without a type).
    Object(Object),
    /// `allOf`: the value matches every branch.
    AllOf(Vec<Schema>),
    /// `oneOf`: the value matches exactly one branch.
    OneOf {
        /// The branches.
        variants: Vec<Schema>,
        /// `discriminator.propertyName`.
        discriminator: Option<String>,
    },
    /// `anyOf`: the value matches one or more branches.
    AnyOf(Vec<Schema>),
    /// `not`, which the generator cannot express.
    Not,
}

/// The parts of an object schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object {
    /// `properties`, sorted by wire name.
    pub properties: BTreeMap<String, Schema>,
    /// `required`.
    pub required: BTreeSet<String>,
    /// `additionalProperties`: `None` when absent or `true` (unknown fields
    /// are kept as JSON), a schema when given, `Some(None)` never.
    pub additional: Option<Box<Schema>>,
    /// `additionalProperties: false`.
    pub closed: bool,
}

impl Object {
    /// Whether this is a response envelope: an object with `success`,
    /// `errors` and `messages`, whose `result` is what a call returns.
    pub fn is_envelope(&self) -> bool {
        ["success", "errors", "messages"]
            .iter()
            .all(|p| self.properties.contains_key(*p))
    }
}

/// A path template (`/accounts/{account_id}/gateway`), parsed once by the
/// front end that reads it: its text and the names of its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathTemplate {
    text: String,
    params: Vec<String>,
}

impl PathTemplate {
    /// Parses a template: each `{name}` is a parameter. A `{` without a
    /// closing `}` before the next `{` starts no parameter.
    pub fn parse(text: &str) -> Self {
        let params = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
            .collect();
        PathTemplate {
            text: text.to_string(),
            params,
        }
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parameters' names, in template order (a repeated one each time).
    pub fn params(&self) -> &[String] {
        &self.params
    }
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// One HTTP operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// `operationId` (or one made from the method and path when missing).
    pub id: String,
    /// Lower-case HTTP method.
    pub method: String,
    /// The path template, such as `/accounts/{account_id}/gateway`.
    pub path: PathTemplate,
    /// JSON pointer of the operation in the merged document.
    pub pointer: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Path-item and operation parameters, resolved.
    pub parameters: Vec<Parameter>,
    /// The request body, resolved.
    pub request_body: Option<RequestBody>,
    /// Responses by status code (`200`, `4XX`, `default`), resolved.
    pub responses: Vec<Response>,
    /// Security requirements (alternatives of scheme-name sets); `None` when
    /// neither the operation nor the document says.
    pub security: Option<Vec<Vec<String>>>,
}

impl Operation {
    /// The response a successful call gets: the lowest `2xx` status, an exact
    /// code before a range such as `2XX`.
    pub fn success_response(&self) -> Option<&Response> {
        self.responses
            .iter()
            .filter(|r| r.status.starts_with('2'))
            .min_by_key(|r| (r.status.contains('X'), r.status.clone()))
    }
}

/// The first JSON media type of a body's content.
pub fn json_media(content: &[MediaType]) -> Option<&MediaType> {
    content.iter().find(|m| is_json(&m.media_type))
}

/// Whether a media type is JSON (`application/json`, `*+json`, or `*/*`).
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// Whether a media type is text the client passes as a `String`.
pub fn is_text(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/javascript"
                | "application/x-ndjson"
                | "application/x-www-form-urlencoded"
                | "application/xml"
        )
}

/// Whether a media type is `application/x-www-form-urlencoded`.
pub fn is_form(media_type: &str) -> bool {
    matches!(
        media_type.split(';').next().unwrap_or("").trim(),
        "application/x-www-form-urlencoded"
    )
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

/// How a parameter or a form-body property is serialized: OpenAPI's
/// `style`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    /// `form`.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
    /// `simple`.
    Simple,
    /// `label`.
    Label,
    /// `matrix`.
    Matrix,
}

impl Style {
    /// The style named `name` (as in a description), if it is one.
    pub fn parse(name: &str) -> Option<Style> {
        Some(match name {
            "form" => Style::Form,
            "spaceDelimited" => Style::SpaceDelimited,
            "pipeDelimited" => Style::PipeDelimited,
            "deepObject" => Style::DeepObject,
            "simple" => Style::Simple,
            "label" => Style::Label,
            "matrix" => Style::Matrix,
            _ => return None,
        })
    }

    /// The default style of a parameter in `location`: `form` for query
    /// and cookie parameters (and form-body properties), `simple` for path
    /// and header parameters.
    pub fn default_for(location: ParameterLocation) -> Style {
        match location {
            ParameterLocation::Query | ParameterLocation::Cookie => Style::Form,
            ParameterLocation::Path | ParameterLocation::Header => Style::Simple,
        }
    }
}

/// The serialization a parameter or an `encoding` entry declares (`None`:
/// not declared, the default applies).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Serialization {
    /// `style`.
    pub style: Option<Style>,
    /// `explode`.
    pub explode: Option<bool>,
    /// `allowReserved`.
    pub allow_reserved: bool,
}

/// One parameter.
#[derive(Clone, Debug)]
pub struct Parameter {
    /// Wire name.
    pub name: String,
    /// Where it goes.
    pub location: ParameterLocation,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// The value's schema.
    pub schema: Schema,
    /// `style`, `explode` and `allowReserved`.
    pub serialization: Serialization,
    /// JSON pointer of the parameter.
    pub pointer: String,
}

/// A request body.
#[derive(Clone, Debug)]
pub struct RequestBody {
    /// `required`.
    pub required: bool,
    /// Media types and their schemas, in document order.
    pub content: Vec<MediaType>,
}

/// One media type of a body.
#[derive(Clone, Debug)]
pub struct MediaType {
    /// Such as `application/json`.
    pub media_type: String,
    /// The schema, when given.
    pub schema: Option<Schema>,
    /// `itemSchema` (OpenAPI 3.2): the schema of each item of a sequential
    /// media type (an event of `text/event-stream`, a line of
    /// `application/x-ndjson`), when given.
    pub item_schema: Option<Schema>,
    /// The media type's `example` (or its first `examples` value).
    pub example: Option<Value>,
    /// `encoding`: the serialization of properties of a form body, by
    /// property name.
    pub encoding: BTreeMap<String, Serialization>,
    /// `encoding.<property>.contentType`: the `Content-Type` of a
    /// multipart body's parts, by property name (where declared).
    pub content_types: BTreeMap<String, String>,
}

/// One response.
#[derive(Clone, Debug)]
pub struct Response {
    /// `200`, `2XX`, `4XX`, `default`, ...
    pub status: String,
    /// `description`.
    pub description: Option<String>,
    /// Media types and their schemas.
    pub content: Vec<MediaType>,
    /// JSON pointer of the response.
    pub pointer: String,
}

/// A security scheme of `components.securitySchemes`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityScheme {
    /// How it sends its credential.
    pub kind: SecuritySchemeKind,
    /// `description`.
    pub description: Option<String>,
    /// `x-apigen-env`: the environment variable that holds the credential,
    /// instead of the one derived from the crate and scheme names.
    pub env: Option<String>,
    /// An `oauth2` scheme's `flows.clientCredentials`, when it has one with
    /// a `tokenUrl`.
    pub client_credentials: Option<ClientCredentialsFlow>,
}

/// The OAuth2 client-credentials flow of a security scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCredentialsFlow {
    /// `tokenUrl`, as written (it may be relative to the server).
    pub token_url: String,
    /// The names of its `scopes`, sorted.
    pub scopes: Vec<String>,
}

/// How a security scheme sends its credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecuritySchemeKind {
    /// `http` `bearer`: `Authorization: Bearer <token>`.
    Bearer,
    /// `http` `basic`: `Authorization: Basic ...`.
    Basic,
    /// Any other `http` scheme: the whole `Authorization` value.
    Http,
    /// An API key in a header.
    Header(String),
    /// An API key in the query string.
    Query(String),
    /// An API key in a cookie.
    Cookie(String),
    /// OAuth2: a bearer token the program obtains.
    OAuth2,
    /// OpenID Connect: a bearer token the program obtains.
    OpenIdConnect,
}

/// One method of a webhook.
#[derive(Clone, Debug, PartialEq)]
pub struct Webhook {
    /// Its name under `webhooks` (`newPet`).
    pub name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// `summary`, else `description`.
    pub summary: Option<String>,
    /// The JSON schema of its request body (the payload), if any.
    pub payload: Option<Schema>,
}

/// An entry of `servers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    /// The URL template (may be relative, may hold `{variables}`).
    pub url: String,
    /// `description`.
    pub description: Option<String>,
    /// `(name, default, description)` of each variable, sorted by name.
    pub variables: Vec<(String, String, Option<String>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_template_lists_its_parameters_in_order() {
        let template = PathTemplate::parse("/zones/{zone_id}/dns_records/{id}/{id}");
        assert_eq!(template.params(), ["zone_id", "id", "id"]);
        assert_eq!(template.as_str(), "/zones/{zone_id}/dns_records/{id}/{id}");
        assert_eq!(template.to_string(), template.as_str());
        // Text around a parameter in a segment, and an unclosed brace.
        let odd = PathTemplate::parse("/files/{name}.json/{broken/{ok}");
        assert_eq!(odd.params(), ["name", "ok"]);
        assert!(PathTemplate::parse("/").params().is_empty());
    }

    #[test]
    fn intersect_keeps_the_tighter_bound_of_each_keyword() {
        let a = Constraints {
            min_length: Some(1),
            max_length: Some(32),
            minimum: Some(Bound {
                value: 0.into(),
                exclusive: false,
            }),
            maximum: Some(Bound {
                value: 10.into(),
                exclusive: false,
            }),
            ..Constraints::default()
        };
        let b = Constraints {
            min_length: Some(4),
            max_length: Some(64),
            pattern: Some("^a".into()),
            minimum: Some(Bound {
                value: 0.into(),
                exclusive: true,
            }),
            maximum: Some(Bound {
                value: 20.into(),
                exclusive: true,
            }),
            unique_items: true,
            ..Constraints::default()
        };
        let both = a.intersect(&b);
        assert_eq!(both, b.intersect(&a));
        assert_eq!(
            both,
            Constraints {
                min_length: Some(4),
                max_length: Some(32),
                pattern: Some("^a".into()),
                minimum: Some(Bound {
                    value: 0.into(),
                    exclusive: true
                }),
                maximum: Some(Bound {
                    value: 10.into(),
                    exclusive: false
                }),
                unique_items: true,
                ..Constraints::default()
            }
        );
    }
}
