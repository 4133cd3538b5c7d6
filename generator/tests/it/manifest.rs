//! The API manifest and its semver verdict: two small specs, one changed,
//! generated through the real pipeline and compared.

use std::collections::BTreeSet;
use std::path::PathBuf;

use quote::ToTokens;

use apigen::load::SourceFile;
use apigen::manifest::{compare, ChangeKind, Comparison, Manifest, Verdict, FILE};
use apigen::{CrateSettings, Options};
use serde_json::{json, Value};

/// A small pet store: a response type with required and optional fields, a
/// request type, a request type whose fields are all optional, an enum.
fn base() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["Pets"],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
                    }}}}
                },
                "post": {
                    "operationId": "createPet",
                    "tags": ["Pets"],
                    "requestBody": {"required": true, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/NewPet"}
                    }}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Pet"}
                    }}}}
                },
                "patch": {
                    "operationId": "updatePets",
                    "tags": ["Pets"],
                    "requestBody": {"required": true, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/PetPatch"}
                    }}},
                    "responses": {"204": {"description": "done"}}
                }
            }
        },
        "components": {"schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "tag": {"type": "string", "description": "A label."}
                }
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "tag": {"type": "string"}}
            },
            "PetPatch": {
                "type": "object",
                "properties": {"tag": {"type": "string"}}
            },
            "Kind": {"type": "string", "enum": ["cat", "dog"]}
        }}
    })
}

fn manifest(spec: Value) -> Manifest {
    let file = SourceFile {
        path: PathBuf::from("pets.json"),
        text: serde_json::to_string_pretty(&spec).expect("serializes"),
        value: spec,
    };
    let settings = CrateSettings {
        standalone: true,
        ..CrateSettings::new("pets")
    };
    let options = Options {
        deny_warnings: true,
        ..Options::new(vec![], settings)
    };
    let generated = apigen::generate_from(vec![file], &options).unwrap_or_else(|diagnostics| {
        let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("generation failed:\n{}", text.join("\n"))
    });
    let text = &generated.files[&PathBuf::from(FILE)];
    Manifest::parse(text).expect("the manifest parses")
}

/// Generates the base spec and the base spec changed by `edit`, and
/// compares their manifests.
fn change(edit: impl FnOnce(&mut Value)) -> Comparison {
    let mut changed = base();
    edit(&mut changed);
    compare(&manifest(base()), &manifest(changed))
}

fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

/// The reasons of the changes, with the item paths.
fn reasons(comparison: &Comparison) -> Vec<(ChangeKind, Verdict, String, String)> {
    comparison
        .changes
        .iter()
        .map(|c| (c.kind, c.level, c.reason.clone(), c.item().path.clone()))
        .collect()
}

#[test]
fn the_same_spec_is_no_change() {
    let comparison = change(|_| {});
    assert!(comparison.is_empty());
    assert_eq!(comparison.verdict(), Verdict::Patch);
    assert_eq!(comparison.to_string(), "API: no change; verdict: patch\n");
}

#[test]
fn adding_an_operation_is_minor() {
    let comparison = change(|spec| {
        spec["paths"]["/pets/{id}"] = json!({"delete": {
            "operationId": "deletePet",
            "tags": ["Pets"],
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "gone"}}
        }});
    });
    assert_eq!(comparison.verdict(), Verdict::Minor);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Added,
            Verdict::Minor,
            "new operation".into(),
            "pets::Pets::delete".into()
        )]
    );
    insta::assert_snapshot!(comparison.to_string());
}

#[test]
fn removing_an_operation_is_major() {
    let comparison = change(|spec| {
        let pets = spec["paths"]["/pets"].as_object_mut().expect("an object");
        pets.remove("get");
    });
    assert_eq!(comparison.verdict(), Verdict::Major);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Removed,
            Verdict::Major,
            "removed operation".into(),
            "pets::Pets::list".into()
        )]
    );
    insta::assert_snapshot!(comparison.to_string());
}

#[test]
fn a_new_optional_field_is_minor() {
    // In a response type, and in a request type with `Default`.
    let comparison = change(|spec| {
        schema(spec, "Pet")["properties"]["age"] = json!({"type": "integer"});
        schema(spec, "PetPatch")["properties"]["age"] = json!({"type": "integer"});
    });
    assert_eq!(comparison.verdict(), Verdict::Minor);
    assert_eq!(
        reasons(&comparison),
        [
            (
                ChangeKind::Added,
                Verdict::Minor,
                "new field".into(),
                "pets::Pet.age".into()
            ),
            (
                ChangeKind::Added,
                Verdict::Minor,
                "new field".into(),
                "pets::PetPatch.age".into()
            ),
        ]
    );
    insta::assert_snapshot!(comparison.to_string());
}

#[test]
fn a_new_optional_field_in_a_request_type_without_default_is_major() {
    // `NewPet` has a required field, so no `Default`: struct literals must
    // name every field.
    let comparison = change(|spec| {
        schema(spec, "NewPet")["properties"]["age"] = json!({"type": "integer"});
    });
    assert_eq!(comparison.verdict(), Verdict::Major);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Added,
            Verdict::Major,
            "new field in a request type without Default".into(),
            "pets::NewPet.age".into()
        )]
    );
}

#[test]
fn a_new_required_field_in_a_request_type_is_major() {
    let comparison = change(|spec| {
        let new_pet = schema(spec, "NewPet");
        new_pet["properties"]["owner"] = json!({"type": "string"});
        new_pet["required"] = json!(["name", "owner"]);
    });
    assert_eq!(comparison.verdict(), Verdict::Major);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Added,
            Verdict::Major,
            "new required field in a request type".into(),
            "pets::NewPet.owner".into()
        )]
    );
}

#[test]
fn an_optional_field_becoming_required_is_major() {
    let comparison = change(|spec| {
        schema(spec, "Pet")["required"] = json!(["id", "name", "tag"]);
    });
    assert_eq!(comparison.verdict(), Verdict::Major);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Changed,
            Verdict::Major,
            "field became required".into(),
            "pets::Pet.tag".into()
        )]
    );
    insta::assert_snapshot!(comparison.to_string());
}

#[test]
fn a_new_enum_variant_is_minor() {
    let comparison = change(|spec| {
        schema(spec, "Kind")["enum"] = json!(["cat", "dog", "bird"]);
    });
    assert_eq!(comparison.verdict(), Verdict::Minor);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Added,
            Verdict::Minor,
            "new variant".into(),
            "pets::Kind::Bird".into()
        )]
    );
    insta::assert_snapshot!(comparison.to_string());
}

#[test]
fn a_removed_enum_variant_is_major() {
    let comparison = change(|spec| {
        schema(spec, "Kind")["enum"] = json!(["cat"]);
    });
    assert_eq!(comparison.verdict(), Verdict::Major);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Removed,
            Verdict::Major,
            "removed variant".into(),
            "pets::Kind::Dog".into()
        )]
    );
}

#[test]
fn a_type_change_is_major() {
    let comparison = change(|spec| {
        schema(spec, "Pet")["properties"]["tag"] =
            json!({"type": "integer", "description": "A label."});
    });
    assert_eq!(comparison.verdict(), Verdict::Major);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Changed,
            Verdict::Major,
            "changed type".into(),
            "pets::Pet.tag".into()
        )]
    );
    insta::assert_snapshot!(comparison.to_string());
}

#[test]
fn a_doc_only_change_is_patch() {
    let comparison = change(|spec| {
        schema(spec, "Pet")["properties"]["tag"]["description"] = json!("A label, for humans.");
    });
    assert_eq!(comparison.verdict(), Verdict::Patch);
    assert_eq!(
        reasons(&comparison),
        [(
            ChangeKind::Changed,
            Verdict::Patch,
            "documentation changed".into(),
            "pets::Pet.tag".into()
        )]
    );
    insta::assert_snapshot!(comparison.to_string());
}

#[test]
fn members_of_a_removed_type_are_counted_not_listed() {
    let comparison = change(|spec| {
        spec["paths"]["/pets"]
            .as_object_mut()
            .expect("an object")
            .remove("patch");
        spec["components"]["schemas"]
            .as_object_mut()
            .expect("an object")
            .remove("PetPatch");
    });
    assert_eq!(comparison.verdict(), Verdict::Major);
    let removed_type = comparison
        .changes
        .iter()
        .find(|c| c.item().path == "pets::PetPatch")
        .expect("the type is listed");
    assert_eq!(removed_type.members, 1);
    assert!(comparison.changes.iter().all(|c| c.item().kind != "field"));
    assert!(comparison.to_string().contains(
        "- struct pets::PetPatch | Default | request (and its 1 member)  [major: removed type]"
    ));
}

/// The manifest is sorted (features first, then by path) and round-trips
/// through its text.
#[test]
fn the_manifest_is_sorted_and_round_trips() {
    let manifest = manifest(base());
    let text = manifest.render();
    assert_eq!(Manifest::parse(&text), Ok(manifest.clone()));
    let paths: Vec<(bool, &str)> = manifest
        .items
        .iter()
        .map(|i| (i.kind != "feature", i.path.as_str()))
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    insta::assert_snapshot!(text);
}

/// A union whose branches are told apart by a `kind` property.
fn with_union(spec: &mut Value, cat_kinds: Value) {
    let schemas = &mut spec["components"]["schemas"];
    schemas["Cat"] = json!({"type": "object", "required": ["kind"], "properties": {
        "kind": {"type": "string", "enum": cat_kinds}, "purrs": {"type": "boolean"}
    }});
    schemas["Dog"] = json!({"type": "object", "required": ["kind"], "properties": {
        "kind": {"type": "string", "enum": ["dog"]}, "barks": {"type": "boolean"}
    }});
    schemas["Animal"] = json!({"oneOf": [
        {"$ref": "#/components/schemas/Cat"},
        {"$ref": "#/components/schemas/Dog"}
    ]});
    schemas["Pet"]["properties"]["animal"] = json!({"$ref": "#/components/schemas/Animal"});
}

#[test]
fn a_union_branch_selected_by_more_tag_values_is_minor_and_by_fewer_major() {
    let manifest_with = |kinds: Value| {
        let mut spec = base();
        with_union(&mut spec, kinds);
        manifest(spec)
    };
    let (one, two) = (
        manifest_with(json!(["cat"])),
        manifest_with(json!(["cat", "kitten"])),
    );
    let more = compare(&one, &two);
    let branch = more
        .changes
        .iter()
        .find(|c| c.item().path == "pets::Animal::Cat")
        .unwrap_or_else(|| panic!("the branch changed:\n{more}"));
    assert_eq!(
        (branch.level, branch.reason.as_str()),
        (Verdict::Minor, "branch selected by more tag values")
    );
    let fewer = compare(&two, &one);
    let branch = fewer
        .changes
        .iter()
        .find(|c| c.item().path == "pets::Animal::Cat")
        .unwrap_or_else(|| panic!("the branch changed:\n{fewer}"));
    assert_eq!(
        (branch.level, branch.reason.as_str()),
        (Verdict::Major, "branch no longer selected by a tag value")
    );
    assert_eq!(fewer.verdict(), Verdict::Major);
}

/// The items of generated Rust files, read with `syn`, in the manifest's
/// terms: `struct m::T`, `Default m::T`, `field m::T.f`, `variant m::E::V`,
/// `fn m::Accessor::method(arg, ..)`.
fn items_in_rust(files: &std::collections::BTreeMap<PathBuf, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, text) in files {
        let Some(module) = path
            .strip_prefix("src")
            .ok()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
        else {
            continue;
        };
        if module == "lib" {
            continue;
        }
        let file = syn::parse_file(text).expect("generated Rust parses");
        for item in file.items {
            match item {
                syn::Item::Struct(s) if s.generics.params.is_empty() => {
                    let name = format!("{module}::{}", s.ident);
                    out.insert(format!("struct {name}"));
                    let derives_default = s.attrs.iter().any(|a| {
                        a.path().is_ident("derive")
                            && a.to_token_stream().to_string().contains("Default")
                    });
                    if derives_default {
                        out.insert(format!("Default {name}"));
                    }
                    // A call type wraps the runtime's call: the manifest lists
                    // its setters (below) as its fields.
                    for field in &s.fields {
                        let Some(ident) = &field.ident else { continue };
                        let public = matches!(field.vis, syn::Visibility::Public(_));
                        if ident != "extra" && public {
                            out.insert(format!("field {name}.{ident}"));
                        }
                    }
                }
                syn::Item::Enum(e) => {
                    for variant in &e.variants {
                        out.insert(format!("variant {module}::{}::{}", e.ident, variant.ident));
                    }
                }
                // A call type's setters (its streams are not parameters).
                syn::Item::Impl(block)
                    if block.trait_.is_none()
                        && block
                            .self_ty
                            .to_token_stream()
                            .to_string()
                            .ends_with("Call") =>
                {
                    let ty = block.self_ty.to_token_stream().to_string();
                    for member in &block.items {
                        if let syn::ImplItem::Fn(method) = member {
                            if !["pages", "items"].contains(&method.sig.ident.to_string().as_str())
                            {
                                out.insert(format!("field {module}::{ty}.{}", method.sig.ident));
                            }
                        }
                    }
                }
                syn::Item::Impl(block)
                    if block.trait_.is_none() && !block.generics.params.is_empty() =>
                {
                    let syn::Type::Path(accessor) = &*block.self_ty else {
                        continue;
                    };
                    let accessor = &accessor.path.segments.last().expect("a name").ident;
                    for member in &block.items {
                        if let syn::ImplItem::Fn(method) = member {
                            let args: Vec<String> = method
                                .sig
                                .inputs
                                .iter()
                                .filter_map(|arg| match arg {
                                    syn::FnArg::Typed(t) => {
                                        Some(t.pat.to_token_stream().to_string())
                                    }
                                    syn::FnArg::Receiver(_) => None,
                                })
                                .collect();
                            out.insert(format!(
                                "fn {module}::{accessor}::{}({})",
                                method.sig.ident,
                                args.join(", ")
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out.into_iter().map(|s| s.replace("r#", "")).collect()
}

/// The same items, read from the manifest.
fn items_in_manifest(manifest: &Manifest) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in &manifest.items {
        match item.kind.as_str() {
            "struct" => {
                out.insert(format!("struct {}", item.path));
                if item.has("Default") {
                    out.insert(format!("Default {}", item.path));
                }
            }
            "field" | "variant" => {
                out.insert(format!("{} {}", item.kind, item.path));
            }
            "enum" | "union" => {}
            "fn" => {
                let args = item.decl[item.path.len() + 1..]
                    .split(") -> ")
                    .next()
                    .unwrap_or_default();
                let names: Vec<&str> = args
                    .split(", ")
                    .filter_map(|a| a.split_once(": ").map(|(name, _)| name))
                    .collect();
                out.insert(format!("fn {}({})", item.path, names.join(", ")));
            }
            _ => {}
        }
    }
    out.into_iter().map(|s| s.replace("r#", "")).collect()
}

/// The manifest describes exactly the Rust that is emitted (types, fields,
/// `Default`, variants, methods and their arguments), for the client of
/// `specs/` and for the collisions fixture, whose names are awkward on
/// purpose. If the emitter changes how it writes these, this fails.
#[test]
fn the_manifest_matches_the_emitted_rust() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    for spec in ["specs", "tests/fixtures/collisions.yaml"] {
        let settings = CrateSettings {
            standalone: true,
            ..CrateSettings::new("checked")
        };
        let options = Options::new(vec![root.join(spec)], settings);
        let generated = apigen::generate(&options).expect("generation succeeds");
        let manifest =
            Manifest::parse(&generated.files[&PathBuf::from(FILE)]).expect("the manifest parses");
        let (rust, listed) = (
            items_in_rust(&generated.files),
            items_in_manifest(&manifest),
        );
        assert!(rust.len() > 10, "{spec}: too few items read: {rust:?}");
        let missing: Vec<_> = rust.difference(&listed).collect();
        let extra: Vec<_> = listed.difference(&rust).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{spec}: in the Rust but not the manifest: {missing:#?}\nin the manifest but not the Rust: {extra:#?}"
        );
    }
}
