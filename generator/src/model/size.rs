//! How big a generated type is in memory: an upper bound of `size_of` on a
//! 64-bit target, worked out from the model (never from emitted tokens).
//!
//! The bound is what `lower::boxing` keeps under [`MAX_TYPE_SIZE`] and what
//! the emitted `const` assertion checks against the compiler's own answer.
//! It assumes the largest layouts a user's build can pick: serde_json's
//! `preserve_order` feature (another crate of the build may turn it on)
//! makes a `Map` an `IndexMap` (72 bytes) and a `Value` 80 bytes.

use rustc_hash::FxHashMap;

use super::{IntWidth, Model, Presence, TypeId, TypeKind, TypeRef};

/// The largest `size_of` a generated type may have: a value several times
/// this size, held in an `async fn`'s future, is what overflowed a default
/// `#[tokio::main]` stack on Stripe's 200 KB types.
pub const MAX_TYPE_SIZE: usize = 2048;

/// Size, alignment and spare bit patterns (niches) of a Rust type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// `size_of`, an upper bound.
    pub size: usize,
    /// `align_of`.
    pub align: usize,
    /// How many invalid bit patterns `Option` can use instead of a tag
    /// (0 when unknown; [`MANY`] for a length or a tag).
    niches: usize,
}

/// Niches enough for any nesting of `Option`s.
const MANY: usize = usize::MAX;

impl Layout {
    const fn new(size: usize, align: usize, niches: usize) -> Self {
        Layout {
            size,
            align,
            niches,
        }
    }

    /// A pointer (`Box<T>`): one niche, null.
    pub const POINTER: Layout = Layout::new(8, 8, 1);

    /// `Option<Self>`: free where a niche is spare, a tag (padded to the
    /// alignment) otherwise.
    pub fn option(self) -> Layout {
        if self.niches > 0 {
            let niches = if self.niches == MANY {
                MANY
            } else {
                self.niches - 1
            };
            Layout::new(self.size, self.align, niches)
        } else {
            Layout::new(self.size + self.align, self.align, MANY)
        }
    }

    /// A struct of these fields (Rust orders them so that only the end is
    /// padded: every size is a multiple of its alignment).
    fn structure(fields: impl IntoIterator<Item = Layout>) -> Layout {
        let mut out = Layout::new(0, 1, 0);
        for field in fields {
            out.size += field.size;
            out.align = out.align.max(field.align);
            out.niches = out.niches.max(field.niches);
        }
        out.size = out.size.next_multiple_of(out.align);
        out
    }

    /// An enum whose variants hold these payloads: the largest, plus a tag
    /// (counted even where the compiler would hide it in a niche).
    fn sum(payloads: impl IntoIterator<Item = Layout>) -> Layout {
        let largest = Layout::structure([]);
        let largest = payloads.into_iter().fold(largest, |out, payload| {
            Layout::new(out.size.max(payload.size), out.align.max(payload.align), 0)
        });
        let size = (largest.size + largest.align).next_multiple_of(largest.align);
        Layout::new(size, largest.align, MANY)
    }
}

/// The layout of a field of this type and presence (`Option`s added).
pub fn field(ty: Layout, presence: Presence) -> Layout {
    match presence {
        Presence::Required => ty,
        Presence::Optional | Presence::RequiredNullable => ty.option(),
        Presence::OptionalNullable => ty.option().option(),
    }
}

/// The layout of a reference, given the layouts of named types.
pub fn of_ref(ty: &TypeRef, named: &mut impl FnMut(TypeId) -> Layout) -> Layout {
    match ty {
        TypeRef::Named(id) => named(*id),
        TypeRef::Boxed(_) => Layout::POINTER,
        // `enum Expandable<T> { Id(String), Object(Box<T>) }`: rustc puts
        // the tag in the string's niche (24 bytes); counted with a tag.
        TypeRef::Expandable(_) => Layout::sum([Layout::new(24, 8, MANY), Layout::POINTER]),
        TypeRef::Bool => Layout::new(1, 1, MANY),
        TypeRef::Integer(IntWidth::I32 | IntWidth::U32) => Layout::new(4, 4, 0),
        TypeRef::Integer(IntWidth::I64 | IntWidth::U64) | TypeRef::Float => Layout::new(8, 8, 0),
        // `apigen_runtime::Number`: an enum of three 8-byte payloads.
        TypeRef::Number => Layout::new(16, 8, MANY),
        // A capacity never above `isize::MAX`.
        TypeRef::String | TypeRef::DateTime | TypeRef::Date | TypeRef::Vec(_) => {
            Layout::new(24, 8, MANY)
        }
        // `bytes::Bytes`: four words, one a reference.
        TypeRef::Bytes => Layout::new(32, 8, 1),
        TypeRef::Map(_) => Layout::new(24, 8, 0),
        TypeRef::JsonObject => Layout::new(72, 8, 0),
        TypeRef::Json => Layout::new(80, 8, MANY),
        TypeRef::Unit => Layout::new(0, 1, 0),
        TypeRef::Option(inner) => of_ref(inner, named).option(),
    }
}

/// The layout of a named type of this kind, given the layouts of the named
/// types it holds by value.
pub fn of_kind(kind: &TypeKind, named: &mut impl FnMut(TypeId) -> Layout) -> Layout {
    match kind {
        TypeKind::Struct { fields, extra } => {
            let mut layouts: Vec<Layout> = fields
                .iter()
                .map(|f| field(of_ref(&f.ty, named), f.presence))
                .collect();
            layouts.push(of_ref(extra, named));
            Layout::structure(layouts)
        }
        TypeKind::Params { fields } => {
            let layouts: Vec<Layout> = fields
                .iter()
                .map(|p| field(of_ref(&p.field.ty, named), p.field.presence))
                .collect();
            Layout::structure(layouts)
        }
        // Unit variants and `Unknown(String)`.
        TypeKind::Enum { .. } => Layout::new(24, 8, MANY),
        TypeKind::Union { variants, .. } => {
            let payloads: Vec<Layout> = variants.iter().map(|v| of_ref(&v.ty, named)).collect();
            Layout::sum(payloads)
        }
    }
}

/// The layout of a reference to types of `model`.
pub fn of_ref_in(model: &Model, ty: &TypeRef) -> Layout {
    let mut memo = FxHashMap::default();
    of_ref(ty, &mut |id| measure(model, id, &mut memo, &mut Vec::new()))
}

/// The layout of type `id`, measuring what it holds by value first. A type
/// met again while being measured is held through a pointer (a recursive
/// type by value would not compile).
fn measure(
    model: &Model,
    id: TypeId,
    memo: &mut FxHashMap<TypeId, Layout>,
    visiting: &mut Vec<TypeId>,
) -> Layout {
    if let Some(layout) = memo.get(&id) {
        return *layout;
    }
    if visiting.contains(&id) {
        return Layout::POINTER;
    }
    visiting.push(id);
    let layout = of_kind(&model.types[id.0].kind, &mut |inner| {
        measure(model, inner, memo, visiting)
    });
    visiting.pop();
    memo.insert(id, layout);
    layout
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(size: usize) -> Layout {
        Layout::new(size, 8, 0)
    }

    #[test]
    fn options_use_a_niche_where_there_is_one() {
        let string = of_ref(&TypeRef::String, &mut |_| sized(0));
        assert_eq!(string.option().option().size, 24);
        assert_eq!(Layout::POINTER.option().size, 8);
        assert_eq!(Layout::POINTER.option().option().size, 16);
        let int = of_ref(&TypeRef::Integer(IntWidth::I32), &mut |_| sized(0));
        assert_eq!((int.option().size, int.option().align), (8, 4));
        assert_eq!(sized(100).option().size, 108);
    }

    #[test]
    fn an_expandable_reference_is_small_whatever_it_points_at() {
        let expandable = of_ref(&TypeRef::Expandable(TypeId(0)), &mut |_| sized(100_000));
        // At least rustc's 24 bytes (a `String`, the tag in its niche).
        assert_eq!((expandable.size, expandable.align), (32, 8));
        assert_eq!(expandable.option().option().size, 32);
    }

    #[test]
    fn structs_pad_only_their_end_and_enums_add_a_tag() {
        let bool_and_int = Layout::structure([
            of_ref(&TypeRef::Bool, &mut |_| sized(0)),
            of_ref(&TypeRef::Integer(IntWidth::I64), &mut |_| sized(0)),
        ]);
        assert_eq!((bool_and_int.size, bool_and_int.align), (16, 8));
        assert_eq!(Layout::sum([sized(40), sized(16)]).size, 48);
        assert_eq!(Layout::structure([]).size, 0);
    }
}
