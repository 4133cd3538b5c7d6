//! Unions (`oneOf`/`anyOf`): an enum with a variant per branch, which serde
//! tells apart by trying each branch in turn or, when a property tells the
//! branches apart, by its value.

use proc_macro2::TokenStream;
use quote::quote;

use super::conversions::{BranchFrom, UnionFroms};
use super::lints::{allow_complex, allow_large_variant, levels, Shape};
use super::serde_derives::{deserialize_on_demand, serde_derives, serialize_on_demand};
use super::type_ref::rust_type;
use super::types::Item;
use crate::model::direction::Direction;
use crate::model::{Home, Model, TypeRef, UnionVariant};
use crate::naming;

/// The variants of a union: one per branch, holding the branch's type
/// (marked `#[from(skip)]` when the union derives `From` but the branch
/// gets none from it), and the derive.
fn union_variants(
    model: &Model,
    home: Home,
    variants: &[UnionVariant],
    froms: &UnionFroms,
    serialize_gated: bool,
) -> (Vec<TokenStream>, TokenStream) {
    let tokens = variants
        .iter()
        .zip(&froms.branches)
        .map(|(v, from)| {
            let variant = naming::ident(&v.name);
            let ty = rust_type(model, &v.ty, home);
            let allow = allow_complex(levels(&v.ty), &[Shape::Model(&v.ty)]);
            // serde takes the function as a path in a string literal.
            let mark = v.catch_all.then(|| {
                let mark = quote!(serde(serialize_with = "::apigen_runtime::unknown::value"));
                if serialize_gated {
                    let cfg = serialize_on_demand();
                    quote!(#[cfg_attr(#cfg, #mark)])
                } else {
                    quote!(#[#mark])
                }
            });
            let skip = (froms.derived && *from != BranchFrom::Plain).then(|| quote!(#[from(skip)]));
            quote!(#allow #mark #skip #variant(#ty),)
        })
        .collect();
    let derive = if froms.derived {
        quote!(#[derive(::derive_more::From)])
    } else {
        TokenStream::new()
    };
    (tokens, derive)
}

/// A union serde tells apart by trying each branch in turn.
pub(super) fn untagged_union(
    model: &Model,
    home: Home,
    item: &Item,
    variants: &[UnionVariant],
    froms: &UnionFroms,
    direction: Direction,
) -> TokenStream {
    let Item { doc, name, cfg, .. } = item;
    let (variant_tokens, from) = union_variants(model, home, variants, froms, false);
    let large = allow_large_variant(model, variants);
    let (serde, on_demand) = serde_derives(direction);
    quote! {
        #doc
        #cfg
        #large
        #from
        #[derive(Clone, Debug, PartialEq, #serde)]
        #on_demand
        #[serde(untagged)]
        pub enum #name {
            #(#variant_tokens)*
        }
    }
}

/// A union whose branches a tag property tells apart: serialized as its
/// branch, deserialized by the tag's value (a raw JSON branch, when there is
/// one, takes unknown tags).
// Longer than 80 lines: the union and its hand-written `Deserialize` (by
// the tag's value) are one template.
pub(super) fn tagged_union(
    model: &Model,
    home: Home,
    item: &Item,
    variants: &[UnionVariant],
    (tag, direction): (&str, Direction),
    froms: &UnionFroms,
) -> TokenStream {
    let Item { doc, name, cfg, .. } = item;
    let gated = direction.received_only();
    let (variant_tokens, from) = union_variants(model, home, variants, froms, gated);
    let large = allow_large_variant(model, variants);
    // Its `Deserialize` is written here: only on demand when it is only
    // sent; its derived `Serialize` the same way as any type's (with the
    // serde attributes, which need the derive).
    let serialize = if gated {
        let cfg = serialize_on_demand();
        quote! {
            #[derive(Clone, Debug, PartialEq)]
            #[cfg_attr(#cfg, derive(::serde::Serialize), serde(untagged))]
        }
    } else {
        quote! {
            #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
        }
    };
    let deserialize = direction.sent_only().then(|| {
        let cfg = deserialize_on_demand();
        quote!(#[cfg(#cfg)])
    });
    let arms = variants
        .iter()
        .filter(|v| !v.tag_values.is_empty())
        .map(|v| {
            let variant = naming::ident(&v.name);
            let values = &v.tag_values;
            quote! {
                Some(#(#values)|*) => ::serde_json::from_value(value)
                    .map(Self::#variant)
                    .map_err(::serde::de::Error::custom),
            }
        });
    let fallback = variants
        .iter()
        .find(|v| v.tag_values.is_empty() && v.ty == TypeRef::Json)
        .map(|v| naming::ident(&v.name));
    let fallback = match fallback {
        Some(variant) => quote!(_ => Ok(Self::#variant(value)),),
        None => {
            quote!(_ => Err(::serde::de::Error::custom("unknown tag")),)
        }
    };
    quote! {
        #doc
        #cfg
        #large
        #from
        #serialize
        pub enum #name {
            #(#variant_tokens)*
        }

        #cfg
        #deserialize
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value
                    .get(#tag)
                    .and_then(::serde_json::Value::as_str)
                    .map(::std::string::ToString::to_string);
                match tag.as_deref() {
                    #(#arms)*
                    #fallback
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::emit::test_model::*;
    use crate::emit::types::type_def;
    use crate::model::*;

    fn variant(name: &str, ty: TypeRef, tags: &[&str]) -> UnionVariant {
        UnionVariant {
            name: name.into(),
            ty,
            tag_values: tags.iter().map(|t| t.to_string()).collect(),
            catch_all: false,
        }
    }

    #[test]
    fn a_tagged_union_dispatches_on_its_tag_and_keeps_unknown_tags() {
        let cat = zone_struct(vec![new_field("meows", TypeRef::Bool, Presence::Required)]);
        let pet = new_type(
            "Pet",
            TypeKind::Union {
                variants: vec![
                    variant("Cat", TypeRef::Named(TypeId(0)), &["cat", "kitten"]),
                    UnionVariant {
                        catch_all: true,
                        ..variant("Unknown", TypeRef::Json, &[])
                    },
                ],
                tag: Some("kind".into()),
            },
            ZONES,
        );
        let model = model(vec![cat, pet]);
        let items = items(type_def(&model, &model.types[1], ZONES));
        let syn::Item::Enum(pet) = item(&items, "Pet") else {
            unreachable!()
        };
        assert_eq!(text(&pet.variants[0].fields), "(Zone)");
        // The catch-all is marked for `apigen_runtime::Unknown`; a branch is not.
        assert!(attrs_text(&pet.variants[1].attrs)
            .contains(r#"serialize_with="::apigen_runtime::unknown::value""#));
        assert!(attrs_text(&pet.variants[0].attrs).is_empty());
        let impls = impls(&items);
        assert!(impls.contains(&("::serde::Deserialize<'de>".into(), "Pet".into())));
        let deserialize = text(&method(&items, "deserialize").block);
        assert!(deserialize.contains(r#".get("kind")"#), "{deserialize}");
        assert!(
            deserialize.contains(r#"Some("cat"|"kitten")"#),
            "{deserialize}"
        );
        assert!(
            deserialize.contains("_=>Ok(Self::Unknown(value))"),
            "{deserialize}"
        );
    }

    #[test]
    fn an_untagged_union_lets_serde_try_each_branch() {
        let union = new_type(
            "Value",
            TypeKind::Union {
                variants: vec![
                    variant("Text", TypeRef::String, &[]),
                    variant("Count", TypeRef::Integer(IntWidth::I64), &[]),
                ],
                tag: None,
            },
            ZONES,
        );
        let model = model(vec![union]);
        let items = first_type_items(&model);
        let syn::Item::Enum(value) = item(&items, "Value") else {
            unreachable!()
        };
        let attrs = attrs_text(&value.attrs);
        assert!(attrs.contains("::serde::Deserialize"), "{attrs}");
        assert!(attrs.contains("#[serde(untagged)]"), "{attrs}");
        assert!(!attrs.contains("large_enum_variant"), "{attrs}");
    }
}
