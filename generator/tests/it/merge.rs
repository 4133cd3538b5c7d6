//! Fragments merge whatever their order: a component defined identically in
//! two fragments is accepted; one defined differently is an error naming both.

use apigen::{CrateSettings, Kind, Options};

const THING: &str = "
    Thing:
      type: object
      properties:
        id: {type: string}";

fn fragment(path: &str, thing: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  {path}:
    get:
      operationId: get{}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
components:
  schemas:{thing}
",
        path.trim_start_matches('/')
    )
}

fn generate(dir: &std::path::Path) -> Result<apigen::Generated, Vec<apigen::Diagnostic>> {
    let settings = CrateSettings::new("merged");
    apigen::generate(&Options {
        deny_warnings: true,
        ..Options::new(vec![dir.to_path_buf()], settings)
    })
}

#[test]
fn identical_definitions_in_two_fragments_are_one_component() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("a.yaml"), fragment("/a", THING)).expect("writes");
    std::fs::write(dir.path().join("b.yaml"), fragment("/b", THING)).expect("writes");
    let generated = generate(dir.path()).expect("identical definitions merge");
    assert_eq!(generated.stats.operations, 2);
    let thing_structs = generated
        .files
        .values()
        .map(|f| f.matches("pub struct Thing ").count())
        .sum::<usize>();
    assert_eq!(thing_structs, 1);
}

#[test]
fn different_definitions_are_an_error_naming_both_files() {
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("a.yaml"), fragment("/a", THING)).expect("writes");
    let other = THING.replace("type: string", "type: integer");
    std::fs::write(dir.path().join("b.yaml"), fragment("/b", &other)).expect("writes");
    let diagnostics = generate(dir.path()).expect_err("conflict");
    let conflict = diagnostics
        .iter()
        .find(|d| d.kind == Kind::Conflict)
        .expect("a conflict diagnostic");
    assert!(conflict.message.contains("`a.yaml`") && conflict.message.contains("`b.yaml`"));
    assert_eq!(conflict.location.pointer, "/components/schemas/Thing");
    assert!(conflict.location.line.is_some() && conflict.related.is_some());
}
