//! The generator's own, version-neutral view of an API description.
//!
//! **API boundary:** the front end (`front`) reads every OpenAPI version
//! into these. Everything after (normalizing, lowering, emitting) sees only
//! these types, so a version differs from another only in the front end.

mod schema;

use std::collections::BTreeMap;

use serde_json::Value;

pub use self::schema::{Bound, Constraints, Object, Schema, SchemaKind};

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
}
