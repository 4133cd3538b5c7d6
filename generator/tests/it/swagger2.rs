//! Swagger 2.0 documents through the whole pipeline: a 2.0 description gives
//! the same client as the OpenAPI 3.0 description it stands for, and
//! diagnostics of the merge are located in the 2.0 files.

use std::path::Path;

use apigen::{CrateSettings, Kind, Options};

const SWAGGER: &str = r#"swagger: '2.0'
info: {title: Pets, version: '1'}
host: pets.example.com
basePath: /v2
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  key: {type: apiKey, name: X-Key, in: header}
  basic: {type: basic}
security: [{key: []}]
parameters:
  limit: {in: query, name: limit, type: integer, format: int32, minimum: 1}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - $ref: '#/parameters/limit'
        - {in: query, name: tags, type: array, items: {type: string}, collectionFormat: pipes}
      responses:
        '200':
          description: The pets.
          headers:
            X-Total: {type: integer, format: int64}
          schema: {type: array, items: {$ref: '#/definitions/Pet'}}
    post:
      operationId: addPet
      tags: [pets]
      parameters:
        - {in: body, name: pet, required: true, schema: {$ref: '#/definitions/Pet'}}
      responses:
        '200': {description: Added., schema: {$ref: '#/definitions/Pet'}}
  /pets/{id}/photo:
    parameters:
      - {in: path, name: id, required: true, type: integer, format: int64}
    post:
      operationId: uploadPhoto
      tags: [pets]
      consumes: [multipart/form-data]
      parameters:
        - {in: formData, name: photo, required: true, type: file}
        - {in: formData, name: note, type: string}
      responses:
        '204': {description: Stored.}
definitions:
  Pet:
    type: object
    required: [name]
    properties:
      name: {type: string, example: Rex}
      owner: {type: string, x-nullable: true}
      kind: {type: string, enum: [cat, dog]}
"#;

/// What the converter should make of `SWAGGER`, written by hand.
const OPENAPI: &str = r#"openapi: 3.0.3
info: {title: Pets, version: '1'}
servers:
  - url: https://pets.example.com/v2
  - url: http://pets.example.com/v2
security: [{key: []}]
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - $ref: '#/components/parameters/limit'
        - {in: query, name: tags, style: pipeDelimited, explode: false, schema: {type: array, items: {type: string}}}
      responses:
        '200':
          description: The pets.
          headers:
            X-Total: {schema: {type: integer, format: int64}}
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      operationId: addPet
      tags: [pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200':
          description: Added.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /pets/{id}/photo:
    parameters:
      - {in: path, name: id, required: true, schema: {type: integer, format: int64}}
    post:
      operationId: uploadPhoto
      tags: [pets]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photo]
              properties:
                photo: {type: string, format: binary}
                note: {type: string}
      responses:
        '204': {description: Stored.}
components:
  parameters:
    limit: {in: query, name: limit, schema: {type: integer, format: int32, minimum: 1}}
  securitySchemes:
    key: {type: apiKey, name: X-Key, in: header}
    basic: {type: http, scheme: basic}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, example: Rex}
        owner: {type: string, nullable: true}
        kind: {type: string, enum: [cat, dog]}
"#;

fn generate(input: &Path) -> Result<apigen::Generated, Vec<apigen::Diagnostic>> {
    apigen::generate(&Options {
        deny_warnings: true,
        ..Options::new(vec![input.to_path_buf()], CrateSettings::new("pets"))
    })
}

#[test]
fn a_swagger_2_description_gives_the_client_of_the_openapi_3_description_it_stands_for() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let swagger = dir.path().join("pets-2.yaml");
    let openapi = dir.path().join("pets-3.yaml");
    std::fs::write(&swagger, SWAGGER).expect("writes");
    std::fs::write(&openapi, OPENAPI).expect("writes");
    let from_swagger = generate(&swagger).expect("the 2.0 document generates");
    let from_openapi = generate(&openapi).expect("the 3.0 document generates");
    assert_eq!(from_swagger.stats.operations, 3);
    // Every generated file but the preamble's command line is the same.
    for (path, text) in &from_openapi.files {
        let converted = &from_swagger.files[path];
        assert_eq!(
            converted.replace("pets-2.yaml", "pets-3.yaml"),
            *text,
            "{}",
            path.display()
        );
    }
    assert_eq!(
        from_swagger.files.keys().collect::<Vec<_>>(),
        from_openapi.files.keys().collect::<Vec<_>>()
    );
    let lib = &from_swagger.files[Path::new("src/lib.rs")];
    assert!(lib.contains("https://pets.example.com/v2"), "{lib}");
}

#[test]
fn a_conflict_between_two_swagger_fragments_is_located_in_their_definitions() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let other = SWAGGER
        .replace("/pets:", "/others:")
        .replace("/pets/{id}/photo:", "/others/{id}/photo:")
        .replace("operationId: ", "operationId: other_")
        .replace("enum: [cat, dog]", "enum: [cat, dog, bird]");
    std::fs::write(dir.path().join("a.yaml"), SWAGGER).expect("writes");
    std::fs::write(dir.path().join("b.yaml"), other).expect("writes");
    let errors = generate(dir.path()).expect_err("conflicting definitions");
    let conflict = errors
        .iter()
        .find(|d| d.kind == Kind::Conflict && d.location.pointer.contains("Pet"))
        .unwrap_or_else(|| panic!("no conflict about Pet: {errors:?}"));
    assert_eq!(conflict.location.pointer, "/definitions/Pet");
    assert_eq!(conflict.location.line, Some(48));
    assert!(conflict
        .location
        .file
        .as_ref()
        .is_some_and(|f| f.ends_with("b.yaml")));
    let related = conflict.related.as_ref().expect("the other definition");
    assert_eq!(related.pointer, "/definitions/Pet");
    assert_eq!(related.line, Some(48));
}
