//! The serde derives of each type, by the way it travels
//! ([`Direction`]): a type only received derives `Serialize` only on
//! demand, one only sent `Deserialize`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::direction::Direction;

/// The serde derives of a type that travels `direction`, for its derive
/// list, and the one it derives only on demand (with the generated crate's
/// feature `serialize` or `deserialize`, and in its own tests): a type only
/// received is not serialized, one only sent is not deserialized, and
/// each derive left out is code the crate's users do not compile.
pub(super) fn serde_derives(direction: Direction) -> (TokenStream, TokenStream) {
    if direction.received_only() {
        let cfg = serialize_on_demand();
        (
            quote!(::serde::Deserialize),
            quote!(#[cfg_attr(#cfg, derive(::serde::Serialize))]),
        )
    } else if direction.sent_only() {
        let cfg = deserialize_on_demand();
        (
            quote!(::serde::Serialize),
            quote!(#[cfg_attr(#cfg, derive(::serde::Deserialize))]),
        )
    } else {
        (quote!(::serde::Serialize, ::serde::Deserialize), quote!())
    }
}

/// The `cfg` of a type's `Serialize` on demand: the generated crate's
/// feature `serialize`, and its own tests.
pub(super) fn serialize_on_demand() -> TokenStream {
    quote!(any(test, feature = "serialize"))
}

/// The `cfg` of a type's `Deserialize` on demand: the generated crate's
/// feature `deserialize`, and its own tests.
pub(super) fn deserialize_on_demand() -> TokenStream {
    quote!(any(test, feature = "deserialize"))
}

#[cfg(test)]
mod tests {
    use super::Direction;
    use crate::emit::test_model::*;
    use crate::emit::types::type_def;
    use crate::model::*;

    const RECEIVED: Direction = Direction {
        sent: false,
        received: true,
    };
    const SENT: Direction = Direction {
        sent: true,
        received: false,
    };

    /// The items of the first type of `defs`, which travels `direction`.
    fn emitted(mut defs: Vec<TypeDef>, direction: Direction) -> Vec<syn::Item> {
        defs[0].direction = direction;
        let model = model(defs);
        items(type_def(&model, &model.types[0], ZONES))
    }

    fn attrs_of(items: &[syn::Item], name: &str) -> String {
        match item(items, name) {
            syn::Item::Struct(s) => attrs_text(&s.attrs),
            syn::Item::Enum(e) => attrs_text(&e.attrs),
            other => panic!("not a type: {}", text(other)),
        }
    }

    #[test]
    fn a_struct_only_received_is_read_and_written_on_demand_by_object() {
        let kind = Field {
            name: "r#type".into(),
            ..new_field("type", TypeRef::String, Presence::Required)
        };
        let zone = zone_struct(vec![
            new_field("paused", TypeRef::Bool, Presence::Optional),
            new_field("parent", TypeRef::String, Presence::RequiredNullable),
            kind,
        ]);
        let items = emitted(vec![zone], RECEIVED);
        let attrs = attrs_of(&items, "Zone");
        // No serde derive, not even on demand.
        assert_eq!(attrs, "#[derive(Clone,Debug,PartialEq,)]");
        let syn::Item::Struct(zone) = item(&items, "Zone") else {
            unreachable!()
        };
        // No serde attribute either: `object!` knows each field.
        for field in &zone.fields {
            let attrs = attrs_text(&field.attrs);
            assert!(!attrs.contains("serde"), "{attrs}");
        }
        let object = items
            .iter()
            .find_map(|i| match i {
                syn::Item::Macro(m) => Some(text(m)),
                _ => None,
            })
            .expect("object!");
        assert_eq!(
            object,
            r#"::apigen_runtime::object!(Zone{#[optional]paused="paused",parent="parent",r#type="type"}serialize(any(test,feature="serialize")));"#
        );
    }

    #[test]
    fn a_struct_only_received_with_a_null_apart_from_absent_keeps_the_derive() {
        let zone = zone_struct(vec![new_field(
            "note",
            TypeRef::String,
            Presence::OptionalNullable,
        )]);
        let items = emitted(vec![zone], RECEIVED);
        let attrs = attrs_of(&items, "Zone");
        assert!(
            attrs.contains("#[derive(Clone,Debug,Default,PartialEq,::serde::Deserialize)]"),
            "{attrs}"
        );
        assert!(!items.iter().any(|i| matches!(i, syn::Item::Macro(_))));
    }

    #[test]
    fn a_struct_only_sent_deserializes_on_demand() {
        let zone = zone_struct(vec![new_field(
            "note",
            TypeRef::String,
            Presence::OptionalNullable,
        )]);
        let items = emitted(vec![zone], SENT);
        let attrs = attrs_of(&items, "Zone");
        assert!(
            attrs.contains("#[derive(Clone,Debug,Default,PartialEq,::serde::Serialize)]"),
            "{attrs}"
        );
        assert!(
            attrs.contains(
                r#"#[cfg_attr(any(test,feature="deserialize"),derive(::serde::Deserialize))]"#
            ),
            "{attrs}"
        );
        assert!(attrs.contains("skip_serializing_none"), "{attrs}");
    }

    #[test]
    fn a_tagged_union_only_sent_writes_its_deserialize_on_demand() {
        let cat = zone_struct(Vec::new());
        let pet = new_type(
            "Pet",
            TypeKind::Union {
                variants: vec![UnionVariant {
                    name: "Cat".into(),
                    ty: TypeRef::Named(TypeId(1)),
                    tag_values: vec!["cat".into()],
                    catch_all: false,
                }],
                tag: Some("kind".into()),
            },
            ZONES,
        );
        let items = emitted(vec![pet, cat], SENT);
        let deserialize = items
            .iter()
            .find_map(|i| match i {
                syn::Item::Impl(i) if i.trait_.is_some() => Some(attrs_text(&i.attrs)),
                _ => None,
            })
            .expect("impl Deserialize");
        assert!(
            deserialize.contains(r#"#[cfg(any(test,feature="deserialize"))]"#),
            "{deserialize}"
        );
    }

    #[test]
    fn a_tagged_union_only_received_gates_its_serde_attributes_with_the_derive() {
        let cat = zone_struct(Vec::new());
        let pet = new_type(
            "Pet",
            TypeKind::Union {
                variants: vec![UnionVariant {
                    name: "Other".into(),
                    ty: TypeRef::Json,
                    tag_values: Vec::new(),
                    catch_all: true,
                }],
                tag: Some("kind".into()),
            },
            ZONES,
        );
        let items = emitted(vec![pet, cat], RECEIVED);
        let attrs = attrs_of(&items, "Pet");
        assert!(
            attrs.contains(r#"#[cfg_attr(any(test,feature="serialize"),derive(::serde::Serialize),serde(untagged))]"#),
            "{attrs}"
        );
        let syn::Item::Enum(pet) = item(&items, "Pet") else {
            unreachable!()
        };
        assert!(attrs_text(&pet.variants[0].attrs)
            .contains(r#"cfg_attr(any(test,feature="serialize"),serde(serialize_with"#));
    }
}
