//! Bounding the size of every type: a field or union branch that holds a
//! large generated type by value holds it in a `Box` instead, until the
//! type that holds it fits [`MAX_TYPE_SIZE`].
//!
//! Types are measured from the inside out (what a type holds is settled
//! before the type itself), and in each type the largest values are boxed
//! first, so small values stay inline and only what must move does. The
//! emitter asserts the bound with the compiler's own `size_of`.

use crate::model::size::{self, Layout, MAX_TYPE_SIZE};
use crate::model::{Model, TypeId, TypeKind, TypeRef};

/// Boxes what must be boxed for every type of `model` to fit
/// [`MAX_TYPE_SIZE`]. Returns the types that still do not (made only of
/// values that cannot be boxed: many scalar fields).
pub(super) fn bound(model: &mut Model) -> Vec<TypeId> {
    let mut memo: Vec<Option<Layout>> = vec![None; model.types.len()];
    let mut too_large = Vec::new();
    for id in 0..model.types.len() {
        settle(
            model,
            TypeId(id),
            &mut memo,
            &mut Vec::new(),
            &mut too_large,
        );
    }
    too_large.sort();
    too_large
}

/// Settles type `id`: first the types it holds by value, then its own
/// boxing. Returns its layout.
fn settle(
    model: &mut Model,
    id: TypeId,
    memo: &mut [Option<Layout>],
    visiting: &mut Vec<TypeId>,
    too_large: &mut Vec<TypeId>,
) -> Layout {
    if let Some(layout) = memo[id.0] {
        return layout;
    }
    if visiting.contains(&id) {
        return Layout::POINTER;
    }
    visiting.push(id);
    let inline: Vec<Option<TypeId>> = slots(&mut model.types[id.0].kind)
        .into_iter()
        .map(|ty| inline_named(ty))
        .collect();
    for inner in inline.iter().flatten() {
        settle(model, *inner, memo, visiting, too_large);
    }
    visiting.pop();
    let known = |memo: &[Option<Layout>], inner: TypeId| memo[inner.0].unwrap_or(Layout::POINTER);
    let mut inline: Vec<(usize, usize)> = inline
        .iter()
        .enumerate()
        .filter_map(|(slot, inner)| Some((slot, known(memo, (*inner)?).size)))
        .collect();
    // The largest last; among equals, the first slot last (boxed first).
    inline.sort_by_key(|&(slot, size)| (size, std::cmp::Reverse(slot)));
    loop {
        let kind = &mut model.types[id.0].kind;
        let layout = size::of_kind(kind, &mut |inner| known(memo, inner));
        if layout.size <= MAX_TYPE_SIZE {
            memo[id.0] = Some(layout);
            return layout;
        }
        // The largest value held inline, boxed.
        match inline.pop() {
            Some((slot, _)) => box_inline(slots(kind).swap_remove(slot)),
            None => {
                too_large.push(id);
                memo[id.0] = Some(layout);
                return layout;
            }
        }
    }
}

/// The type a field or branch reference holds by value, if it is a
/// generated type (`T` or `Option<T>`); `None` for anything else (scalars,
/// pointers, containers that allocate).
fn inline_named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Option(inner) => inline_named(inner),
        _ => None,
    }
}

/// The type of each field or branch of `kind`, in order.
fn slots(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Params { fields } => fields.iter_mut().map(|p| &mut p.field.ty).collect(),
        TypeKind::Union { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Enum { .. } => Vec::new(),
    }
}

/// Boxes the generated type a reference holds by value.
fn box_inline(ty: &mut TypeRef) {
    match ty {
        TypeRef::Named(id) => *ty = TypeRef::Boxed(*id),
        TypeRef::Option(inner) => box_inline(inner),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Home, Presence, TypeDef, UnionVariant};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.into(),
            wire: name.into(),
            ty,
            presence: Presence::Optional,
            doc: Vec::new(),
            deprecated: false,
        }
    }

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: Vec::new(),
            kind,
            origin: String::new(),
            home: Home::Shared,
            used_by: Vec::new(),
            deprecated: false,
            read_only: Vec::new(),
            requests: Vec::new(),
            direction: crate::model::direction::Direction::BOTH,
        }
    }

    /// A struct of `n` optional strings (24 bytes each).
    fn strings(name: &str, n: usize) -> TypeDef {
        let fields = (0..n)
            .map(|i| field(&format!("f{i}"), TypeRef::String))
            .collect();
        def(
            name,
            TypeKind::Struct {
                fields,
                extra: TypeRef::JsonObject,
            },
        )
    }

    fn model(types: Vec<TypeDef>) -> Model {
        Model {
            types,
            ..Model::default()
        }
    }

    #[test]
    fn the_largest_values_are_boxed_until_the_type_fits() {
        // Big: 60 strings, 1,512 bytes. Small: 2 strings. Holder: two Bigs,
        // a Small and a union of Big or Small.
        let holder = TypeKind::Struct {
            fields: vec![
                field("small", TypeRef::Named(TypeId(1))),
                field("first", TypeRef::Named(TypeId(0))),
                field(
                    "second",
                    TypeRef::Option(Box::new(TypeRef::Named(TypeId(0)))),
                ),
            ],
            extra: TypeRef::JsonObject,
        };
        let union = TypeKind::Union {
            variants: [0, 1]
                .map(|id| UnionVariant {
                    name: format!("V{id}"),
                    ty: TypeRef::Named(TypeId(id)),
                    tag_values: Vec::new(),
                    catch_all: false,
                })
                .into(),
            tag: None,
        };
        let mut model = model(vec![
            strings("Big", 60),
            strings("Small", 2),
            def("Holder", holder),
            def("Either", union),
        ]);
        assert_eq!(bound(&mut model), Vec::<TypeId>::new());
        let TypeKind::Struct { fields, .. } = &model.types[2].kind else {
            unreachable!()
        };
        let types: Vec<&TypeRef> = fields.iter().map(|f| &f.ty).collect();
        // One Big had to go; the other and the small one stay inline.
        assert_eq!(
            types,
            [
                &TypeRef::Named(TypeId(1)),
                &TypeRef::Boxed(TypeId(0)),
                &TypeRef::Option(Box::new(TypeRef::Named(TypeId(0)))),
            ]
        );
        // A union of one Big fits as it is.
        let TypeKind::Union { variants, .. } = &model.types[3].kind else {
            unreachable!()
        };
        assert_eq!(variants[0].ty, TypeRef::Named(TypeId(0)));
        for id in 0..model.types.len() {
            let layout = size::of_ref_in(&model, &TypeRef::Named(TypeId(id)));
            assert!(layout.size <= MAX_TYPE_SIZE, "{layout:?}");
        }
    }

    #[test]
    fn a_type_of_scalars_alone_is_reported_when_it_cannot_fit() {
        let mut model = model(vec![strings("Huge", 100)]);
        assert_eq!(bound(&mut model), [TypeId(0)]);
    }
}
