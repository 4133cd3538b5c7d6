//! The only clippy `allow`s the generated code carries, each where clippy
//! would object for a reason the spec imposes: `type_complexity` on deeply
//! nested arrays and `large_enum_variant` on unions whose branches differ
//! widely in size.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Model, TypeRef, UnionVariant};

/// Clippy's `type-complexity-threshold`: a type scoring more draws
/// `clippy::type_complexity`.
const COMPLEXITY_THRESHOLD: usize = 250;

/// The shape of a Rust type the emitter writes, as clippy's
/// `type_complexity` sees it: scored from the model, never by parsing the
/// emitted tokens back.
#[derive(Clone, Debug)]
pub(super) enum Shape<'a> {
    /// The Rust type of a model type (`rust_type`).
    Model(&'a TypeRef),
    /// A path with these generic arguments (`Option<T>`, `Call<T>`; `str`
    /// and `Form` have none).
    Path(Vec<Shape<'a>>),
    /// `&T`.
    Ref(Box<Shape<'a>>),
    /// `[T]`.
    Slice(Box<Shape<'a>>),
    /// `impl Trait`: clippy does not score it.
    Impl,
}

impl<'a> Shape<'a> {
    /// `Option<T>` (or any other path with one generic argument).
    pub(super) fn wrapped(inner: Shape<'a>) -> Self {
        Shape::Path(vec![inner])
    }

    /// `&T`.
    pub(super) fn reference(inner: Shape<'a>) -> Self {
        Shape::Ref(Box::new(inner))
    }

    /// `&[T]`.
    pub(super) fn slice_of(ty: &'a TypeRef) -> Self {
        Shape::reference(Shape::Slice(Box::new(Shape::Model(ty))))
    }

    /// A path without generic arguments (`str`, `Form`, `Bytes`).
    pub(super) fn plain() -> Self {
        Shape::Path(Vec::new())
    }

    /// Clippy's `type_complexity` score at nesting `nest`: every path,
    /// tuple, slice or array type adds ten times its nesting depth;
    /// references add one.
    pub(super) fn score(&self, nest: usize) -> usize {
        match self {
            Shape::Model(ty) => complexity(ty, nest),
            Shape::Path(args) => 10 * nest + args.iter().map(|a| a.score(nest + 1)).sum::<usize>(),
            Shape::Ref(inner) => 1 + inner.score(nest),
            Shape::Slice(inner) => 10 * nest + inner.score(nest + 1),
            Shape::Impl => 0,
        }
    }
}

/// Clippy's score of the Rust type of `ty` (see [`super::type_ref::rust_type`]):
/// a named type is a path without generic arguments, `()` an empty tuple.
fn complexity(ty: &TypeRef, nest: usize) -> usize {
    let own = 10 * nest;
    match ty {
        TypeRef::Boxed(_) | TypeRef::Expandable(_) => own + 10 * (nest + 1),
        // `Map<String, Value>`.
        TypeRef::JsonObject => own + 2 * 10 * (nest + 1),
        TypeRef::Vec(inner) | TypeRef::Option(inner) => own + complexity(inner, nest + 1),
        // `BTreeMap<String, T>`.
        TypeRef::Map(inner) => own + 10 * (nest + 1) + complexity(inner, nest + 1),
        TypeRef::Named(_)
        | TypeRef::Bool
        | TypeRef::Integer(_)
        | TypeRef::Number
        | TypeRef::Float
        | TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Bytes
        | TypeRef::Json
        | TypeRef::Unit => own,
    }
}

/// `#[allow(clippy::type_complexity)]` when one of these types (a field, a
/// variant's field, or a method's arguments and return type) is as complex
/// as clippy objects to. Nested arrays in the spec
/// (`Option<Vec<Vec<Vec<..>>>>`) are such types, and naming the levels with
/// aliases would invent names the spec does not have; nothing else is allowed.
///
/// `levels` bounds how deeply the types nest; at most four levels cannot
/// score more than 190, so they are not measured.
pub(super) fn allow_complex(levels: usize, types: &[Shape]) -> TokenStream {
    let complex = levels > 4 && types.iter().any(|ty| ty.score(1) > COMPLEXITY_THRESHOLD);
    if complex {
        quote!(#[allow(clippy::type_complexity)])
    } else {
        quote!()
    }
}

/// How many types nest in the Rust type of `ty` (`Vec<Option<T>>`: three).
pub(super) fn levels(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => 1 + levels(inner),
        TypeRef::Boxed(_) | TypeRef::Expandable(_) | TypeRef::JsonObject => 2,
        _ => 1,
    }
}

/// Clippy's `enum-variant-size-threshold`, less a margin for the estimate.
const LARGE_VARIANT: usize = 128;

/// `#[allow(clippy::large_enum_variant)]` on a union whose largest branch is
/// much larger than the next one (by an estimate of their sizes). A union's
/// variants are the spec's `oneOf` branches, held by value so they can be
/// built and matched plainly; boxing the large one would change that API for
/// every user to save memory only while such a value exists.
pub(super) fn allow_large_variant(model: &Model, variants: &[UnionVariant]) -> TokenStream {
    let mut sizes: Vec<usize> = variants
        .iter()
        .map(|v| crate::model::size::of_ref_in(model, &v.ty).size)
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let gap = match sizes.as_slice() {
        [first, second, ..] => first - second,
        _ => 0,
    };
    if gap >= LARGE_VARIANT {
        quote!(#[allow(clippy::large_enum_variant)])
    } else {
        quote!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_model::{new_field, new_type};
    use crate::model::{Home, IntWidth, Presence, TypeId, TypeKind};

    /// `Vec<Vec<..<inner>>>`, `depth` times.
    fn nested(depth: usize, inner: TypeRef) -> TypeRef {
        (0..depth).fold(inner, |ty, _| TypeRef::Vec(Box::new(ty)))
    }

    fn option(ty: TypeRef) -> TypeRef {
        TypeRef::Option(Box::new(ty))
    }

    #[test]
    fn type_complexity_is_scored_as_clippy_does() {
        // Clippy flags the seven-deep chain (`schema-circular.json` of the
        // corpus), not the six-deep one.
        let six = option(nested(4, TypeRef::String));
        let seven = option(nested(5, TypeRef::String));
        assert_eq!(Shape::Model(&six).score(1), 210);
        assert_eq!(Shape::Model(&seven).score(1), 280);
        // `&BTreeMap<String, Value>`.
        let map = TypeRef::Map(Box::new(TypeRef::Json));
        assert_eq!(
            Shape::reference(Shape::Model(&map)).score(1),
            1 + 10 + 20 + 20
        );
        // `&[i64]`: a reference, then a slice at the same depth.
        let int = TypeRef::Integer(IntWidth::I64);
        assert_eq!(Shape::slice_of(&int).score(1), 1 + 10 + 20);
        assert_eq!(Shape::Impl.score(1), 0);

        let deep = option(nested(6, TypeRef::Float));
        assert!(!allow_complex(7, &[Shape::Model(&deep)]).is_empty());
        assert!(
            allow_complex(4, &[Shape::Model(&deep)]).is_empty(),
            "four levels are never measured"
        );
        let body = nested(7, int.clone());
        let arg = Shape::reference(Shape::Model(&body));
        assert!(!allow_complex(9, &[Shape::plain(), arg]).is_empty());
        let shallow = option(TypeRef::Vec(Box::new(int)));
        assert!(allow_complex(9, &[Shape::Model(&shallow)]).is_empty());
    }

    /// Clippy's rule applied to syntax: what the shapes must agree with.
    fn clippy_score(ty: &syn::Type, nest: usize) -> usize {
        match ty {
            syn::Type::Reference(r) => 1 + clippy_score(&r.elem, nest),
            syn::Type::Slice(s) => 10 * nest + clippy_score(&s.elem, nest + 1),
            syn::Type::Tuple(t) => {
                10 * nest
                    + t.elems
                        .iter()
                        .map(|e| clippy_score(e, nest + 1))
                        .sum::<usize>()
            }
            syn::Type::Path(p) => {
                let args = p
                    .path
                    .segments
                    .iter()
                    .filter_map(|segment| match &segment.arguments {
                        syn::PathArguments::AngleBracketed(a) => Some(&a.args),
                        _ => None,
                    });
                10 * nest
                    + args
                        .flatten()
                        .map(|arg| match arg {
                            syn::GenericArgument::Type(t) => clippy_score(t, nest + 1),
                            _ => 0,
                        })
                        .sum::<usize>()
            }
            _ => 0,
        }
    }

    /// Every type reference up to `depth` wrappers deep.
    fn all_types(depth: usize) -> Vec<TypeRef> {
        let mut types = vec![
            TypeRef::Named(TypeId(0)),
            TypeRef::Boxed(TypeId(0)),
            TypeRef::Bool,
            TypeRef::Integer(IntWidth::U32),
            TypeRef::Number,
            TypeRef::Float,
            TypeRef::String,
            TypeRef::DateTime,
            TypeRef::Date,
            TypeRef::Json,
            TypeRef::JsonObject,
            TypeRef::Unit,
        ];
        let mut last = types.clone();
        for _ in 0..depth {
            last = last
                .iter()
                .flat_map(|ty| {
                    let inner = Box::new(ty.clone());
                    [
                        TypeRef::Vec(inner.clone()),
                        TypeRef::Map(inner.clone()),
                        TypeRef::Option(inner),
                    ]
                })
                .collect();
            types.extend(last.iter().cloned());
        }
        types
    }

    #[test]
    fn shapes_score_what_the_emitted_types_parse_to() {
        let model = crate::emit::test_model::model(vec![new_type(
            "Zone",
            TypeKind::Enum {
                variants: Vec::new(),
            },
            Home::Shared,
        )]);
        let from = crate::emit::test_model::ZONES;
        for ty in all_types(3) {
            let rust = crate::emit::type_ref::rust_type(&model, &ty, from);
            let cases = [
                (Shape::Model(&ty), quote!(#rust)),
                (Shape::wrapped(Shape::Model(&ty)), quote!(Option<#rust>)),
                (Shape::reference(Shape::Model(&ty)), quote!(&#rust)),
                (Shape::slice_of(&ty), quote!(&[#rust])),
                (
                    Shape::wrapped(Shape::reference(Shape::Model(&ty))),
                    quote!(Option<&#rust>),
                ),
            ];
            for (shape, tokens) in cases {
                let syntax: syn::Type = syn::parse2(tokens.clone()).expect("a type");
                assert_eq!(shape.score(1), clippy_score(&syntax, 1), "{tokens}");
            }
        }
    }

    #[test]
    fn a_call_scores_its_result_one_level_down() {
        // `Call<Vec<Vec<Vec<Vec<Vec<Vec<String>>>>>>>`: 10 + 20 + 30 + ... + 80.
        let result = nested(6, TypeRef::String);
        let call = Shape::wrapped(Shape::Model(&result));
        assert_eq!(call.score(1), (1..=8).map(|n| 10 * n).sum::<usize>());
        assert_eq!(
            call.score(1),
            Shape::Model(&option(result.clone())).score(1)
        );
    }

    #[test]
    fn four_levels_never_reach_the_threshold() {
        // The widest types of four levels the generator emits.
        let map_of_objects = TypeRef::Map(Box::new(TypeRef::JsonObject));
        let map_of_strings = TypeRef::Map(Box::new(TypeRef::String));
        assert_eq!(levels(&map_of_objects), 3);
        assert_eq!(levels(&option(map_of_strings.clone())), 3);
        for widest in [
            option(map_of_objects.clone()),
            TypeRef::Map(Box::new(map_of_objects)),
            option(option(TypeRef::Map(Box::new(map_of_strings)))),
        ] {
            let score = Shape::Model(&widest).score(1);
            assert!(score <= COMPLEXITY_THRESHOLD, "{widest:?}: {score}");
        }
    }

    #[test]
    fn a_union_with_one_much_larger_branch_allows_large_variants() {
        let wide = new_type(
            "Wide",
            TypeKind::Struct {
                fields: (0..8)
                    .map(|i| new_field(&format!("f{i}"), TypeRef::String, Presence::Required))
                    .collect(),
                extra: TypeRef::Json,
            },
            Home::Shared,
        );
        let model = Model {
            types: vec![wide],
            ..Model::default()
        };
        let variant = |name: &str, ty: TypeRef| UnionVariant {
            name: name.into(),
            ty,
            tag_values: Vec::new(),
            catch_all: false,
        };
        let lopsided = [
            variant("Wide", TypeRef::Named(TypeId(0))),
            variant("Flag", TypeRef::Bool),
        ];
        assert!(!allow_large_variant(&model, &lopsided).is_empty());
        let even = [
            variant("Text", TypeRef::String),
            variant("Flag", TypeRef::Bool),
        ];
        assert!(allow_large_variant(&model, &even).is_empty());
    }
}
