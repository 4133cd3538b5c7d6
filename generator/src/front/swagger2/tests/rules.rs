//! Each conversion rule on a small document.

use serde_json::{json, Value};

use super::{at, converted, document, HEAD};
use crate::diagnostic::Severity;
use crate::front::swagger2::is_swagger;

#[test]
fn a_document_is_swagger_2_by_its_version_field() {
    assert!(is_swagger(&json!({"swagger": "2.0"})));
    assert!(is_swagger(&json!({"swagger": 2.0})));
    assert!(!is_swagger(&json!({"swagger": "1.2"})));
    assert!(!is_swagger(&json!({"openapi": "3.0.3", "swagger": "2.0"})));
    let doc = document(&format!("{HEAD}paths: {{}}"));
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["info"]["title"], "T");
    assert!(doc.get("swagger").is_none());
}

#[test]
fn definitions_become_schemas_and_references_follow() {
    let c = converted(&format!(
        "{HEAD}paths: {{}}
definitions:
  Pet:
    type: object
    properties:
      tag: {{$ref: '#/definitions/Tag'}}
      tags: {{type: array, items: {{$ref: '#/definitions/Tag'}}}}
      more: {{allOf: [{{$ref: '#/definitions/Tag'}}]}}
      example: {{type: object, example: {{$ref: '#/definitions/NotAReference'}}}}
  Tag: {{type: string}}
"
    ));
    let pet = at(&c.document, "/components/schemas/Pet/properties");
    assert_eq!(pet["tag"]["$ref"], "#/components/schemas/Tag");
    assert_eq!(pet["tags"]["items"]["$ref"], "#/components/schemas/Tag");
    assert_eq!(pet["more"]["allOf"][0]["$ref"], "#/components/schemas/Tag");
    // An example is data: left as written.
    assert_eq!(
        pet["example"]["example"]["$ref"],
        "#/definitions/NotAReference"
    );
    assert_eq!(
        c.trace.original("/components/schemas/Pet"),
        "/definitions/Pet"
    );
    assert_eq!(
        c.trace
            .original("/components/schemas/Pet/properties/tags/items/$ref"),
        "/definitions/Pet/properties/tags/items/$ref"
    );
}

#[test]
fn a_body_parameter_becomes_the_request_body_with_the_consumed_media_types() {
    let c = converted(&format!(
        "{HEAD}consumes: [application/xml]
paths:
  /pet:
    post:
      consumes: [application/json, text/plain]
      parameters:
      - {{in: body, name: body, required: true, description: The pet, schema: {{$ref: '#/definitions/Pet'}}}}
      - {{in: query, name: dry, type: boolean}}
      responses: {{'200': {{description: OK}}}}
    put:
      parameters: [{{in: body, name: body, schema: {{type: string}}}}]
      responses: {{'200': {{description: OK}}}}
definitions: {{Pet: {{type: object}}}}
"
    ));
    let post = at(&c.document, "/paths/~1pet/post");
    assert_eq!(post["requestBody"]["required"], true);
    assert_eq!(post["requestBody"]["description"], "The pet");
    let content = post["requestBody"]["content"].as_object().expect("content");
    assert_eq!(
        content.keys().collect::<Vec<_>>(),
        ["application/json", "text/plain"]
    );
    assert_eq!(
        content["application/json"]["schema"]["$ref"],
        "#/components/schemas/Pet"
    );
    // The body parameter is no parameter: the query one is now the first.
    assert_eq!(post["parameters"].as_array().map(Vec::len), Some(1));
    assert_eq!(post["parameters"][0]["name"], "dry");
    assert_eq!(
        c.trace.original("/paths/~1pet/post/parameters/0/schema"),
        "/paths/~1pet/post/parameters/1"
    );
    assert_eq!(
        c.trace
            .original("/paths/~1pet/post/requestBody/content/application~1json/schema"),
        "/paths/~1pet/post/parameters/0/schema"
    );
    // The document's `consumes` when the operation has none.
    let put = at(&c.document, "/paths/~1pet/put/requestBody/content");
    assert!(put.get("application/xml").is_some(), "{put}");
    let none = document(&format!(
        "{HEAD}paths: {{/a: {{post: {{parameters: [{{in: body, name: b, schema: {{}}}}], responses: {{}}}}}}}}"
    ));
    let content = at(&none, "/paths/~1a/post/requestBody/content");
    assert_eq!(content, &json!({"application/json": {"schema": {}}}));
}

#[test]
fn form_parameters_become_one_urlencoded_object_with_required_ones_listed() {
    let c = converted(&format!(
        "{HEAD}paths:
  /pet/{{id}}:
    post:
      parameters:
      - {{in: path, name: id, required: true, type: integer}}
      - {{in: formData, name: name, required: true, type: string, description: The name}}
      - {{in: formData, name: tags, type: array, items: {{type: string}}, collectionFormat: multi}}
      - {{in: formData, name: status, type: string, enum: [a, b]}}
      responses: {{'200': {{description: OK}}}}
"
    ));
    let body = at(&c.document, "/paths/~1pet~1{id}/post/requestBody");
    assert_eq!(body["required"], true);
    let media = &body["content"]["application/x-www-form-urlencoded"];
    let schema = &media["schema"];
    assert_eq!(schema["type"], "object");
    assert_eq!(schema["required"], json!(["name"]));
    assert_eq!(
        schema["properties"]["name"],
        json!({"type": "string", "description": "The name"})
    );
    assert_eq!(schema["properties"]["status"]["enum"], json!(["a", "b"]));
    assert_eq!(
        media["encoding"]["tags"],
        json!({"style": "form", "explode": true})
    );
    let pointer = "/paths/~1pet~1{id}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/tags/items";
    assert_eq!(
        c.trace.original(pointer),
        "/paths/~1pet~1{id}/post/parameters/2/items"
    );
}

#[test]
fn form_parameters_are_multipart_with_a_file_or_when_consumes_says_so() {
    let form = |consumes: &str, field: &str| {
        let doc = document(&format!(
            "{HEAD}paths: {{/up: {{post: {{consumes: {consumes}, parameters: [{field}], responses: {{}}}}}}}}"
        ));
        at(&doc, "/paths/~1up/post/requestBody/content").clone()
    };
    let file = form("[]", "{in: formData, name: f, type: file}");
    assert_eq!(
        file["multipart/form-data"]["schema"]["properties"]["f"],
        json!({"type": "string", "format": "binary"})
    );
    let text = "{in: formData, name: t, type: string}";
    assert!(form("[multipart/form-data]", text)
        .get("multipart/form-data")
        .is_some());
    assert!(form(
        "[application/x-www-form-urlencoded, multipart/form-data]",
        text
    )
    .get("application/x-www-form-urlencoded")
    .is_some());
    assert!(form("[]", text)
        .get("application/x-www-form-urlencoded")
        .is_some());
}

#[test]
fn produces_gives_the_response_media_types_with_the_schema_under_each() {
    let c = converted(&format!(
        "{HEAD}produces: [application/xml, application/json]
paths:
  /a:
    get:
      responses:
        '200':
          description: OK
          schema: {{$ref: '#/definitions/A'}}
          headers:
            X-Rate-Limit: {{type: integer, format: int32, description: Calls per hour}}
          examples: {{application/json: {{id: 1}}}}
        '204': {{description: Nothing}}
  /b:
    get:
      produces: [text/plain]
      responses: {{'200': {{description: OK, schema: {{type: file}}}}}}
definitions: {{A: {{type: object}}}}
"
    ));
    let ok = at(&c.document, "/paths/~1a/get/responses/200");
    let content = ok["content"].as_object().expect("content");
    assert_eq!(
        content.keys().collect::<Vec<_>>(),
        ["application/json", "application/xml"]
    );
    assert_eq!(
        content["application/xml"]["schema"]["$ref"],
        "#/components/schemas/A"
    );
    assert_eq!(content["application/json"]["example"], json!({"id": 1}));
    assert_eq!(
        ok["headers"]["X-Rate-Limit"],
        json!({"description": "Calls per hour", "schema": {"type": "integer", "format": "int32"}})
    );
    assert!(at(&c.document, "/paths/~1a/get/responses/204")
        .get("content")
        .is_none());
    assert_eq!(
        at(&c.document, "/paths/~1b/get/responses/200/content"),
        &json!({"text/plain": {"schema": {"type": "string", "format": "binary"}}})
    );
    assert_eq!(
        c.trace
            .original("/paths/~1a/get/responses/200/content/application~1xml/schema/$ref"),
        "/paths/~1a/get/responses/200/schema/$ref"
    );
    assert_eq!(
        c.trace
            .original("/paths/~1a/get/responses/200/headers/X-Rate-Limit/schema/format"),
        "/paths/~1a/get/responses/200/headers/X-Rate-Limit/format"
    );
}

#[test]
fn host_base_path_and_schemes_become_servers_https_first() {
    let servers = |fields: &str| {
        document(&format!("{HEAD}{fields}paths: {{}}\n"))
            .get("servers")
            .cloned()
    };
    assert_eq!(
        servers("host: api.example.com\nbasePath: /v2\nschemes: [http, https]\n"),
        Some(json!([{"url": "https://api.example.com/v2"}, {"url": "http://api.example.com/v2"}]))
    );
    assert_eq!(
        servers("host: api.example.com\n"),
        Some(json!([{"url": "https://api.example.com"}]))
    );
    assert_eq!(servers("basePath: /v1/\n"), Some(json!([{"url": "/v1"}])));
    assert_eq!(servers(""), None);
}

#[test]
fn security_definitions_become_security_schemes() {
    let doc = document(&format!(
        "{HEAD}paths: {{}}
securityDefinitions:
  basic: {{type: basic, description: Who}}
  key: {{type: apiKey, name: X-Key, in: header, x-note: kept}}
  implicit: {{type: oauth2, flow: implicit, authorizationUrl: 'https://a', scopes: {{read: Read}}}}
  password: {{type: oauth2, flow: password, tokenUrl: 'https://t', scopes: {{}}}}
  application: {{type: oauth2, flow: application, tokenUrl: 'https://t'}}
  access: {{type: oauth2, flow: accessCode, authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {{}}}}
security: [{{basic: []}}]
"
    ));
    let schemes = at(&doc, "/components/securitySchemes");
    assert_eq!(
        schemes["basic"],
        json!({"type": "http", "scheme": "basic", "description": "Who"})
    );
    assert_eq!(
        schemes["key"],
        json!({"type": "apiKey", "name": "X-Key", "in": "header", "x-note": "kept"})
    );
    assert_eq!(
        schemes["implicit"]["flows"],
        json!({"implicit": {"authorizationUrl": "https://a", "scopes": {"read": "Read"}}})
    );
    assert_eq!(
        schemes["password"]["flows"],
        json!({"password": {"tokenUrl": "https://t", "scopes": {}}})
    );
    assert_eq!(
        schemes["application"]["flows"],
        json!({"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}})
    );
    assert_eq!(
        schemes["access"]["flows"],
        json!({"authorizationCode": {"authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {}}})
    );
    assert_eq!(doc["security"], json!([{"basic": []}]));
}

#[test]
fn schema_keywords_nullable_discriminator_file_example_and_extensions() {
    let c = converted(&format!(
        "{HEAD}x-top: 1
paths: {{}}
definitions:
  Pet:
    type: object
    discriminator: kind
    example: {{kind: cat}}
    x-custom: true
    properties:
      kind: {{type: string}}
      name: {{type: string, x-nullable: true}}
      owner: {{$ref: '#/definitions/Owner', x-nullable: true}}
      strict: {{type: string, x-nullable: false}}
      photo: {{type: file}}
  Owner: {{type: object}}
"
    ));
    let pet = at(&c.document, "/components/schemas/Pet");
    assert_eq!(pet["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(pet["example"], json!({"kind": "cat"}));
    assert_eq!(pet["x-custom"], true);
    let properties = &pet["properties"];
    assert_eq!(
        properties["name"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        properties["owner"],
        json!({"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true})
    );
    assert_eq!(properties["strict"], json!({"type": "string"}));
    assert_eq!(
        properties["photo"],
        json!({"type": "string", "format": "binary"})
    );
    assert_eq!(c.document["x-top"], 1);
    assert_eq!(
        c.trace
            .original("/components/schemas/Pet/discriminator/propertyName"),
        "/definitions/Pet/discriminator"
    );
    assert_eq!(
        c.trace
            .original("/components/schemas/Pet/properties/name/nullable"),
        "/definitions/Pet/properties/name/x-nullable"
    );
    assert_eq!(
        c.trace
            .original("/components/schemas/Pet/properties/owner/allOf/0/$ref"),
        "/definitions/Pet/properties/owner/$ref"
    );
}

fn query_parameter(fields: &str, location: &str) -> (Value, Vec<crate::Diagnostic>) {
    let path = if location == "path" { "/a/{p}" } else { "/a" };
    let c = converted(&format!(
        "{HEAD}paths: {{'{path}': {{get: {{parameters: [{{in: {location}, name: p, required: true, {fields}}}], responses: {{}}}}}}}}"
    ));
    let pointer = format!("/paths/{}/get/parameters/0", path.replace('/', "~1"));
    (at(&c.document, &pointer).clone(), c.warnings)
}

#[test]
fn collection_formats_become_styles() {
    let style = |format: &str, location: &str| {
        let (parameter, warnings) = query_parameter(
            &format!("type: array, items: {{type: string}}{format}"),
            location,
        );
        (
            parameter.get("style").cloned(),
            parameter.get("explode").cloned(),
            warnings.len(),
        )
    };
    let some =
        |style: &str, explode: bool, warnings| (Some(json!(style)), Some(json!(explode)), warnings);
    assert_eq!(style("", "query"), some("form", false, 0));
    assert_eq!(
        style(", collectionFormat: csv", "query"),
        some("form", false, 0)
    );
    assert_eq!(
        style(", collectionFormat: csv", "path"),
        some("simple", false, 0)
    );
    assert_eq!(
        style(", collectionFormat: csv", "header"),
        some("simple", false, 0)
    );
    assert_eq!(
        style(", collectionFormat: ssv", "query"),
        some("spaceDelimited", false, 0)
    );
    assert_eq!(
        style(", collectionFormat: pipes", "query"),
        some("pipeDelimited", false, 0)
    );
    assert_eq!(
        style(", collectionFormat: multi", "query"),
        some("form", true, 0)
    );
    assert_eq!(
        style(", collectionFormat: tsv", "query"),
        some("form", false, 1)
    );
    assert_eq!(
        style(", collectionFormat: pipes", "path"),
        some("simple", false, 1)
    );
    let (_, warnings) = query_parameter("type: array, collectionFormat: tsv", "query");
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_eq!(
        warnings[0].location.pointer,
        "/paths/~1a/get/parameters/0/collectionFormat"
    );
    let (scalar, _) = query_parameter("type: string, collectionFormat: csv", "query");
    assert!(scalar.get("style").is_none() && scalar.get("collectionFormat").is_none());
}

#[test]
fn a_parameter_value_keywords_move_under_schema() {
    let (parameter, _) = query_parameter(
        "description: D, type: integer, format: int32, minimum: 1, maximum: 9, default: 3, enum: [1, 3, 9], allowEmptyValue: true, x-note: n",
        "query",
    );
    assert_eq!(
        parameter,
        json!({
            "in": "query", "name": "p", "required": true, "description": "D",
            "allowEmptyValue": true, "x-note": "n",
            "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 9, "default": 3, "enum": [1, 3, 9]}
        })
    );
    let (array, _) = query_parameter(
        "type: array, items: {type: string, enum: [a], maxLength: 2}, minItems: 1",
        "header",
    );
    assert_eq!(
        array["schema"],
        json!({"type": "array", "items": {"type": "string", "enum": ["a"], "maxLength": 2}, "minItems": 1})
    );
}

#[test]
fn document_parameters_and_responses_become_components_and_references_follow() {
    let c = converted(&format!(
        "{HEAD}parameters:
  limit: {{in: query, name: limit, type: integer}}
  pet: {{in: body, name: pet, required: true, schema: {{type: object}}}}
  note: {{in: formData, name: note, type: string, required: true}}
responses:
  NotFound: {{description: Missing, schema: {{$ref: '#/definitions/E'}}}}
definitions: {{E: {{type: object}}}}
paths:
  /a:
    post:
      parameters: [{{$ref: '#/parameters/limit'}}, {{$ref: '#/parameters/pet'}}]
      responses: {{'404': {{$ref: '#/responses/NotFound'}}}}
    put:
      consumes: [text/plain]
      parameters: [{{$ref: '#/parameters/pet'}}]
      responses: {{}}
  /b:
    post:
      parameters: [{{$ref: '#/parameters/note'}}]
      responses: {{}}
"
    ));
    let doc = &c.document;
    assert_eq!(
        at(doc, "/components/parameters/limit"),
        &json!({"in": "query", "name": "limit", "schema": {"type": "integer"}})
    );
    assert!(at(doc, "/components/parameters").get("pet").is_none());
    assert!(at(doc, "/components/parameters").get("note").is_none());
    assert_eq!(
        at(doc, "/components/requestBodies/pet"),
        &json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}})
    );
    assert_eq!(
        at(
            doc,
            "/components/responses/NotFound/content/application~1json/schema/$ref"
        ),
        "#/components/schemas/E"
    );
    let post = at(doc, "/paths/~1a/post");
    assert_eq!(
        post["parameters"],
        json!([{"$ref": "#/components/parameters/limit"}])
    );
    assert_eq!(
        post["requestBody"],
        json!({"$ref": "#/components/requestBodies/pet"})
    );
    assert_eq!(
        post["responses"]["404"],
        json!({"$ref": "#/components/responses/NotFound"})
    );
    // Another media type than the document's: the body is written out.
    assert!(at(doc, "/paths/~1a/put/requestBody/content/text~1plain/schema").is_object());
    assert_eq!(
        at(doc, "/paths/~1b/post/requestBody/content/application~1x-www-form-urlencoded/schema/required"),
        &json!(["note"])
    );
    assert_eq!(
        c.trace.original("/components/requestBodies/pet"),
        "/parameters/pet"
    );
    assert_eq!(
        c.trace.original("/paths/~1a/post/requestBody/$ref"),
        "/paths/~1a/post/parameters/1/$ref"
    );
    assert_eq!(
        c.trace
            .original("/paths/~1b/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note"),
        "/parameters/note"
    );
}

#[test]
fn path_item_parameters_stay_shared_and_a_shared_body_goes_to_each_operation() {
    let doc = document(&format!(
        "{HEAD}paths:
  /a/{{id}}:
    parameters:
    - {{in: path, name: id, required: true, type: string}}
    - {{in: body, name: body, schema: {{type: object}}}}
    x-item: kept
    put:
      responses: {{}}
    post:
      parameters: [{{in: body, name: body, schema: {{type: string}}}}]
      responses: {{}}
"
    ));
    let item = at(&doc, "/paths/~1a~1{id}");
    assert_eq!(item["parameters"][0]["schema"], json!({"type": "string"}));
    assert_eq!(item["parameters"].as_array().map(Vec::len), Some(1));
    assert_eq!(item["x-item"], "kept");
    assert_eq!(
        item["put"]["requestBody"]["content"]["application/json"]["schema"],
        json!({"type": "object"})
    );
    // The operation's own body parameter overrides the shared one.
    assert_eq!(
        item["post"]["requestBody"]["content"]["application/json"]["schema"],
        json!({"type": "string"})
    );
}
