//! Tests of the type-id walker.

use super::*;

fn field(name: &str, ty: TypeRef) -> Field {
    Field {
        name: name.into(),
        wire: name.into(),
        ty,
        presence: Presence::Required,
        doc: Vec::new(),
        deprecated: false,
    }
}

#[test]
fn the_walker_sees_through_containers_and_ends_cycles() {
    let nested = TypeRef::Option(Box::new(TypeRef::Vec(Box::new(TypeRef::Map(Box::new(
        TypeRef::Boxed(TypeId(1)),
    ))))));
    let mut ids = Vec::new();
    nested.each_id(&mut |id| ids.push(id));
    assert_eq!(ids, [TypeId(1)]);
    // 0 → 1 → 0 (a cycle), and 2 on its own.
    let kinds = [
        TypeKind::Struct {
            fields: vec![field("next", nested)],
            extra: TypeRef::Json,
        },
        TypeKind::Union {
            variants: vec![UnionVariant {
                name: "Back".into(),
                ty: TypeRef::Named(TypeId(0)),
                tag_values: Vec::new(),
                catch_all: false,
            }],
            tag: None,
        },
        TypeKind::Enum {
            variants: Vec::new(),
        },
    ];
    let mut seen = Vec::new();
    walk_reachable([TypeId(0)], |id| {
        (!seen.contains(&id)).then(|| {
            seen.push(id);
            &kinds[id.0]
        })
    });
    assert_eq!(seen, [TypeId(0), TypeId(1)]);
}

#[test]
fn the_mutable_walker_renumbers_every_reference() {
    let mut kind = TypeKind::Struct {
        fields: vec![field(
            "a",
            TypeRef::Vec(Box::new(TypeRef::Named(TypeId(3)))),
        )],
        extra: TypeRef::Map(Box::new(TypeRef::Named(TypeId(4)))),
    };
    kind.each_id_mut(&mut |id| id.0 -= 3);
    let mut ids = Vec::new();
    kind.each_id(&mut |id| ids.push(id));
    assert_eq!(ids, [TypeId(0), TypeId(1)]);
}
