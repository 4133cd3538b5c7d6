//! Type definitions: a struct per object, an enum per string enum (unions
//! are in `unions`), and the fields of each.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::conversions::{constructor, requests, union_from_variants, union_froms};
use super::doc::{deprecation_note, doc_attrs, with_deprecation};
use super::lints::{allow_complex, levels, Shape};
use super::serde_derives::{serde_derives, serialize_on_demand};
use super::type_ref::{rust_type, type_cfg};
use super::unions;
use crate::model::size;
use crate::model::*;
use crate::naming;

/// The definition of a type, with its constructor and conversions.
pub(super) fn type_def(model: &Model, def: &TypeDef, home: Home) -> TokenStream {
    let lines = with_deprecation(&def.doc, def.deprecated);
    let item = Item {
        doc: doc_attrs(&lines),
        name: naming::ident(&def.name),
        // A shared type is compiled when any area that uses it is.
        cfg: type_cfg(model, def),
    };
    match &def.kind {
        TypeKind::Struct { fields, extra } => struct_def(model, def, home, &item, fields, extra),
        TypeKind::Enum { variants } => enum_def(&item, variants),
        TypeKind::Union { variants, tag } => {
            let froms = union_froms(model, def, variants);
            let definition = match tag {
                None => unions::untagged_union(model, home, &item, variants, &froms, def.direction),
                Some(tag) => {
                    unions::tagged_union(model, home, &item, variants, (tag, def.direction), &froms)
                }
            };
            let from_variants = union_from_variants(model, def, variants, &froms, home);
            let conversions = requests(model, def, home);
            quote! {
                #definition
                #from_variants
                #conversions
            }
        }
        TypeKind::Params { fields } => params_def(model, def, home, &item, fields),
    }
}

/// `const _: () = assert!(size_of::<T>() <= MAX_TYPE_SIZE);` after a type:
/// the compiler itself proves the bound `lower::boxing` keeps (a crate
/// whose type grew past it does not build). None for a type the lowering
/// reported as too large to fit.
pub(super) fn size_assertion(model: &Model, id: TypeId) -> TokenStream {
    if model.oversized.contains(&id) {
        return quote!();
    }
    let def = &model.types[id.0];
    let name = naming::ident(&def.name);
    let cfg = type_cfg(model, def);
    let max = proc_macro2::Literal::usize_unsuffixed(size::MAX_TYPE_SIZE);
    quote! {
        #cfg
        const _: () = assert!(::core::mem::size_of::<#name>() <= #max);
    }
}

/// What every type definition starts with.
pub(super) struct Item {
    /// Its docs (with the deprecation note).
    pub doc: TokenStream,
    /// Its name.
    pub name: Ident,
    /// Its `#[cfg]`, for a shared type.
    pub cfg: TokenStream,
}

/// `Default` in the derives when every field is optional.
fn default_derive(all_optional: bool) -> TokenStream {
    if all_optional {
        quote!(Default,)
    } else {
        quote!()
    }
}

/// A struct: its fields, the flattened `extra` map, `new(..)` and the
/// conversions into its request counterparts.
fn struct_def(
    model: &Model,
    def: &TypeDef,
    home: Home,
    item: &Item,
    fields: &[Field],
    extra: &TypeRef,
) -> TokenStream {
    let Item { doc, name, cfg, .. } = item;
    let default = default_derive(
        fields
            .iter()
            .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable)),
    );
    let constructor = constructor(model, def, home);
    // A type only received derives `Serialize` only on demand: its
    // optional fields say themselves that `None` is left out (the
    // `serde_with` macro, whose `#[serialize_always]` must always be
    // expanded, is for types that are sent).
    let received_only = def.direction.received_only();
    // A type only received is read (and written on demand) by the
    // runtime's `object!` rather than serde's derives: far less code to
    // compile. Not when a field tells `null` from absent (`double_option`)
    // or `extra` leaves read-only properties out: only the derive knows.
    let by_macro = received_only
        && def.read_only.is_empty()
        && !fields
            .iter()
            .any(|f| f.presence == Presence::OptionalNullable);
    let field_tokens = fields
        .iter()
        .map(|f| field(model, f, home, received_only, by_macro));
    let extra_ty = extra_type(model, extra, home);
    let (extra_attr, extra_doc, skip) = extra_serialization(def, item, extra, &extra_ty);
    let skip = if received_only && !skip.is_empty() {
        let on_demand = serialize_on_demand();
        quote!(#[cfg(#on_demand)] #skip)
    } else {
        skip
    };
    let conversions = requests(model, def, home);
    // `serde_with` adds `skip_serializing_if = "Option::is_none"` to every
    // `Option` field but those marked `#[serialize_always]`.
    let skip_none = (!received_only && fields.iter().any(|f| f.presence != Presence::Required))
        .then(|| quote!(#[::serde_with::skip_serializing_none]));
    let (serde, on_demand, extra_attr, object) = if by_macro {
        let object = object_macro(item, fields);
        (quote!(), quote!(), quote!(), object)
    } else {
        let (serde, on_demand) = serde_derives(def.direction);
        (serde, on_demand, extra_attr, quote!())
    };
    quote! {
        #doc
        #cfg
        #skip_none
        #[derive(Clone, Debug, #default PartialEq, #serde)]
        #on_demand
        pub struct #name {
            #(#field_tokens)*
            #extra_doc
            #extra_attr
            pub extra: #extra_ty,
        }
        #object
        #constructor
        #skip
        #conversions
    }
}

/// `object!(Name { field = "wire", #[optional] other = "other" }
/// serialize(..))`: the runtime's `Deserialize` of a struct only received,
/// and its `Serialize` on demand (an optional field is left out when
/// `None`, as serde's `skip_serializing_if` would).
fn object_macro(item: &Item, fields: &[Field]) -> TokenStream {
    let Item { name, cfg, .. } = item;
    let entries = fields.iter().map(|f| {
        let field = naming::ident(&f.name);
        let wire = &f.wire;
        let optional = (f.presence == Presence::Optional).then(|| quote!(#[optional]));
        quote!(#optional #field = #wire)
    });
    let on_demand = serialize_on_demand();
    quote! {
        #cfg
        ::apigen_runtime::object!(#name { #(#entries),* } serialize(#on_demand));
    }
}

/// The serde attribute and doc note of a struct's `extra` field, and for a
/// request type the function that serializes it: request types never send
/// a read-only property, even from `extra`.
///
/// Raw JSON in `extra` is what the types did not hold: it is marked so that
/// `apigen_runtime::Unknown` reports it.
fn extra_serialization(
    def: &TypeDef,
    item: &Item,
    extra: &TypeRef,
    extra_ty: &TokenStream,
) -> (TokenStream, TokenStream, TokenStream) {
    let raw = *extra == TypeRef::Json;
    if def.read_only.is_empty() {
        // serde takes the function as a path in a string literal.
        let (attr, doc) = if raw {
            let attr =
                quote!(#[serde(flatten, serialize_with = "::apigen_runtime::unknown::extra")]);
            // `Extra`'s docs say what it holds.
            (attr, quote!())
        } else {
            let doc =
                quote!(#[doc = " Properties the description does not list: kept and sent back."]);
            (quote!(#[serde(flatten)]), doc)
        };
        return (attr, doc, quote!());
    }
    let Item { name, cfg, .. } = item;
    let wires = &def.read_only;
    let list = def
        .read_only
        .iter()
        .map(|w| format!("`{}`", w.replace('`', "'")))
        .collect::<Vec<_>>()
        .join(", ");
    let note = format!(" Properties the description does not list: kept and sent back, but for the read-only ones ({list}).");
    let (attr, skip) = if raw {
        // serde takes the function as a path in a string literal.
        let path = format!("::apigen_runtime::read_only::extra::<{}, _>", def.name);
        let skip = quote! {
            #cfg
            impl ::apigen_runtime::ReadOnly for #name {
                const READ_ONLY: &'static [&'static str] = &[#(#wires),*];
            }
        };
        (quote!(#[serde(flatten, serialize_with = #path)]), skip)
    } else {
        // A typed `extra` map: its own function.
        let path = format!("{}::serialize_extra", def.name);
        let skip = quote! {
            #cfg
            impl #name {
                /// Serializes `extra` without the read-only properties.
                fn serialize_extra<S: ::serde::Serializer>(
                    extra: &#extra_ty,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    ::apigen_runtime::serialize_without(extra, &[#(#wires),*], false, serializer)
                }
            }
        };
        (quote!(#[serde(flatten, serialize_with = #path)]), skip)
    };
    (attr, quote!(#[doc = #note]), skip)
}

/// The type of a struct's `extra` map.
fn extra_type(model: &Model, extra: &TypeRef, home: Home) -> TokenStream {
    match extra {
        TypeRef::Json => quote!(crate::Extra),
        other => {
            let value = rust_type(model, other, home);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
    }
}

/// A struct field: `Option` and skipped when `None` if optional,
/// `Option<Option<T>>` through `double_option` if also nullable.
/// In a type only received, an optional field carries its own
/// `skip_serializing_if` (`received_only`), or none at all when the
/// runtime's `object!` reads and writes it (`by_macro`).
fn field(model: &Model, f: &Field, home: Home, received_only: bool, by_macro: bool) -> TokenStream {
    let doc = doc_attrs(&f.doc);
    let deprecated = f.deprecated.then(|| {
        let note = deprecation_note(&f.doc);
        quote!(#[deprecated(note = #note)])
    });
    let name = naming::ident(&f.name);
    let inner = rust_type(model, &f.ty, home);
    let rename = (naming::unraw(&f.name) != f.wire).then(|| {
        let wire = &f.wire;
        quote!(rename = #wire,)
    });
    // The field's type, its serde arguments and `serde_with`'s
    // `#[serialize_always]`. serde takes functions as paths in string
    // literals.
    let (ty, args, always) = match f.presence {
        Presence::Required => (inner, rename, None),
        // A type only received has no `skip_serializing_none`: its `None`
        // is `null` as it is.
        Presence::RequiredNullable if received_only => (quote!(Option<#inner>), rename, None),
        // `null` is sent for `None`: the struct skips `None`s otherwise.
        Presence::RequiredNullable => (
            quote!(Option<#inner>),
            rename,
            Some(quote!(#[serialize_always])),
        ),
        // Skipped when `None` by the struct's `skip_serializing_none`; serde
        // reads a missing `Option` as `None`.
        Presence::Optional if received_only => (
            quote!(Option<#inner>),
            Some(quote!(#rename skip_serializing_if = "Option::is_none")),
            None,
        ),
        Presence::Optional => (quote!(Option<#inner>), rename, None),
        Presence::OptionalNullable => (
            quote!(Option<Option<#inner>>),
            Some(quote!(
                #rename
                default,
                skip_serializing_if = "Option::is_none",
                with = "::apigen_runtime::double_option"
            )),
            None,
        ),
    };
    // The runtime's `object!` takes no attributes.
    let attrs = args
        .filter(|_| !by_macro)
        .map(|args| quote!(#[serde(#args)]));
    let allow = allow_complex(levels(&f.ty) + 2, &[field_shape(f)]);
    quote! {
        #doc
        #deprecated
        #allow
        #always
        #attrs
        pub #name: #ty,
    }
}

/// The shape of a field's Rust type, with the `Option`s its presence adds.
fn field_shape(f: &Field) -> Shape<'_> {
    let ty = Shape::Model(&f.ty);
    match f.presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => Shape::wrapped(ty),
        Presence::OptionalNullable => Shape::wrapped(Shape::wrapped(ty)),
    }
}

/// A string enum: a variant per value and the catch-all variant that keeps
/// values this version does not know; the runtime's `string_enum!` gives
/// its wire text, `Serialize` and `Deserialize` (no serde derive: serde's
/// for an enum with an untagged variant is several times the code).
fn enum_def(item: &Item, variants: &[EnumVariant]) -> TokenStream {
    let Item { doc, name, cfg, .. } = item;
    let idents: Vec<Ident> = variants.iter().map(|v| naming::ident(&v.name)).collect();
    let docs = variants
        .iter()
        .map(|v| format!(" `{}`", v.wire.replace('`', "'")));
    let wires = variants.iter().map(|v| &v.wire);
    let unknown = naming::ident(&naming::unknown_variant(
        variants.iter().map(|v| v.name.as_str()),
    ));
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(
                #[doc = #docs]
                #idents,
            )*
            /// A value this version of the client does not know.
            #unknown(String),
        }

        #cfg
        ::apigen_runtime::string_enum!(#name, #unknown { #(#idents = #wires),* });
    }
}

/// A struct of an operation's query, header and cookie parameters.
fn params_def(
    model: &Model,
    def: &TypeDef,
    home: Home,
    item: &Item,
    fields: &[ParamField],
) -> TokenStream {
    let Item { doc, name, cfg, .. } = item;
    let default = default_derive(
        fields
            .iter()
            .all(|f| f.field.presence == Presence::Optional),
    );
    let fields = fields.iter().map(|p| {
        let doc = doc_attrs(&p.field.doc);
        let name = naming::ident(&p.field.name);
        let inner = rust_type(model, &p.field.ty, home);
        let (ty, shape) = match p.field.presence {
            Presence::Required => (inner, Shape::Model(&p.field.ty)),
            _ => (
                quote!(Option<#inner>),
                Shape::wrapped(Shape::Model(&p.field.ty)),
            ),
        };
        let allow = allow_complex(levels(&p.field.ty) + 1, &[shape]);
        quote! {
            #doc
            #allow
            pub #name: #ty,
        }
    });
    let constructor = constructor(model, def, home);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug, #default PartialEq)]
        pub struct #name {
            #(#fields)*
        }
        #constructor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_model::*;

    fn fields(item: &syn::Item) -> Vec<&syn::Field> {
        match item {
            syn::Item::Struct(s) => s.fields.iter().collect(),
            other => panic!("not a struct: {}", text(other)),
        }
    }

    #[test]
    fn a_struct_with_a_required_field_gets_new_with_only_that_argument() {
        let model = model(vec![zone_struct(vec![
            new_field("name", TypeRef::String, Presence::Required),
            new_field("paused", TypeRef::Bool, Presence::Optional),
        ])]);
        let items = first_type_items(&model);
        let new = method(&items, "new");
        assert_eq!(new.sig.inputs.len(), 1);
        assert_eq!(text(&new.sig.inputs[0]), "name:implInto<String>");
        let body = text(&new.block);
        assert!(body.contains("paused:None"), "{body}");
        assert!(body.contains("extra:Default::default()"), "{body}");
        // Not every field is optional: no `Default`.
        let derives = attrs_text(&fields_owner_attrs(&items));
        assert!(!derives.contains("Default"), "{derives}");
    }

    /// The attributes of the struct `Zone`.
    fn fields_owner_attrs(items: &[syn::Item]) -> Vec<syn::Attribute> {
        match item(items, "Zone") {
            syn::Item::Struct(s) => s.attrs.clone(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn optional_fields_are_options_skipped_when_none() {
        let model = model(vec![zone_struct(vec![
            new_field("paused", TypeRef::Bool, Presence::Optional),
            new_field("plan", TypeRef::String, Presence::OptionalNullable),
        ])]);
        let items = first_type_items(&model);
        let zone = fields(item(&items, "Zone"));
        let [paused, plan, extra] = zone.as_slice() else {
            panic!("three fields: {zone:?}");
        };
        assert_eq!(text(&paused.ty), "Option<bool>");
        // The struct skips every `None` (serde_with adds the attribute).
        assert!(paused.attrs.is_empty(), "{}", attrs_text(&paused.attrs));
        let owner = attrs_text(&fields_owner_attrs(&items));
        assert!(
            owner.contains("#[::serde_with::skip_serializing_none]"),
            "{owner}"
        );
        assert_eq!(text(&plan.ty), "Option<Option<String>>");
        assert!(attrs_text(&plan.attrs).contains("::apigen_runtime::double_option"));
        assert_eq!(
            extra.ident.as_ref().map(ToString::to_string).as_deref(),
            Some("extra")
        );
        assert!(attrs_text(&extra.attrs).contains("flatten"));
        // Every field optional: `Default`, and no `new`.
        assert!(attrs_text(&fields_owner_attrs(&items)).contains("Default"));
        assert!(methods(&items).iter().all(|f| f.sig.ident != "new"));
    }

    #[test]
    fn a_field_is_renamed_only_when_its_wire_name_differs() {
        let mut created = new_field("created_on", TypeRef::DateTime, Presence::Required);
        created.wire = "createdOn".into();
        let mut kind = new_field("r#type", TypeRef::String, Presence::Required);
        kind.wire = "type".into();
        let model = model(vec![zone_struct(vec![created, kind])]);
        let items = first_type_items(&model);
        let zone = fields(item(&items, "Zone"));
        assert_eq!(
            attrs_text(&zone[0].attrs),
            r#"#[serde(rename="createdOn",)]"#
        );
        assert_eq!(
            zone[1].ident.as_ref().map(ToString::to_string).as_deref(),
            Some("r#type")
        );
        assert!(
            zone[1].attrs.is_empty(),
            "a raw identifier is its wire name"
        );
    }

    #[test]
    fn a_required_nullable_field_sends_null() {
        let model = model(vec![zone_struct(vec![new_field(
            "parent",
            TypeRef::String,
            Presence::RequiredNullable,
        )])]);
        let items = first_type_items(&model);
        let zone = fields(item(&items, "Zone"));
        assert_eq!(text(&zone[0].ty), "Option<String>");
        // Exempt from the struct's `skip_serializing_none`: `None` is `null`.
        assert_eq!(attrs_text(&zone[0].attrs), "#[serialize_always]");
        let owner = attrs_text(&fields_owner_attrs(&items));
        assert!(
            owner.contains("#[::serde_with::skip_serializing_none]"),
            "{owner}"
        );
    }

    #[test]
    fn read_only_properties_are_never_sent_from_extra() {
        let mut request = zone_struct(vec![new_field("name", TypeRef::String, Presence::Required)]);
        request.read_only = vec!["id".into(), "created_on".into()];
        let model = model(vec![request]);
        let items = first_type_items(&model);
        let zone = fields(item(&items, "Zone"));
        let extra = zone.last().expect("extra");
        let attrs = attrs_text(&extra.attrs);
        assert!(
            attrs.contains(r#"serialize_with="::apigen_runtime::read_only::extra::<Zone,_>""#),
            "{attrs}"
        );
        let doc = doc(&extra.attrs);
        assert!(
            doc.contains("but for the read-only ones (`id`, `created_on`)"),
            "{doc}"
        );
        let read_only = items
            .iter()
            .find_map(|i| match i {
                syn::Item::Impl(i) if i.trait_.is_some() => Some(text(i)),
                _ => None,
            })
            .expect("impl ReadOnly");
        assert!(
            read_only.contains("::apigen_runtime::ReadOnlyforZone"),
            "{read_only}"
        );
        assert!(
            read_only.contains(r#"=&["id","created_on"];"#),
            "{read_only}"
        );
    }

    #[test]
    fn an_enum_keeps_unknown_values_under_a_free_name() {
        let variant = |name: &str, wire: &str| EnumVariant {
            name: name.into(),
            wire: wire.into(),
        };
        let model = model(vec![new_type(
            "Status",
            TypeKind::Enum {
                variants: vec![variant("Active", "active"), variant("Unknown", "unknown")],
            },
            ZONES,
        )]);
        let items = first_type_items(&model);
        let syn::Item::Enum(status) = item(&items, "Status") else {
            unreachable!()
        };
        let names: Vec<String> = status
            .variants
            .iter()
            .map(|v| v.ident.to_string())
            .collect();
        assert_eq!(names, ["Active", "Unknown", "Unknown2"]);
        let catch_all = &status.variants[2];
        assert_eq!(text(&catch_all.fields), "(String)");
        assert_eq!(status.variants[0].attrs.len(), 1, "the doc alone");
        // No serde derive: the runtime's macro maps each variant to its
        // wire text and names the catch-all.
        assert!(!attrs_text(&status.attrs).contains("serde"));
        let macro_call = items
            .iter()
            .find_map(|item| match item {
                syn::Item::Macro(m) => Some(m.mac.tokens.to_string().replace(' ', "")),
                _ => None,
            })
            .expect("a string_enum! call");
        assert_eq!(
            macro_call,
            r#"Status,Unknown2{Active="active",Unknown="unknown"}"#
        );
    }

    #[test]
    fn a_deprecated_field_is_deprecated_and_new_allows_it() {
        let mut old = new_field("legacy_id", TypeRef::String, Presence::Required);
        old.doc = vec!["The old id.".into()];
        old.deprecated = true;
        let model = model(vec![zone_struct(vec![old])]);
        let items = first_type_items(&model);
        let zone = fields(item(&items, "Zone"));
        let attrs = attrs_text(&zone[0].attrs);
        assert!(
            attrs.contains(r#"#[deprecated(note="deprecatedintheAPIdescription:Theoldid.")]"#),
            "{attrs}"
        );
        // `new` fills the field: it must not warn in the generated crate.
        let new = method(&items, "new");
        assert!(attrs_text(&new.attrs).contains("#[allow(deprecated)]"));
    }

    #[test]
    fn a_raw_extra_map_is_marked_for_unknown() {
        let model = model(vec![zone_struct(Vec::new())]);
        let items = first_type_items(&model);
        let zone = fields(item(&items, "Zone"));
        let attrs = attrs_text(&zone[0].attrs);
        assert!(
            attrs
                .contains(r#"#[serde(flatten,serialize_with="::apigen_runtime::unknown::extra")]"#),
            "{attrs}"
        );
    }

    #[test]
    fn every_type_asserts_its_size_but_one_reported_too_large() {
        let mut model = model(vec![zone_struct(Vec::new())]);
        let assertion = text(&size_assertion(&model, TypeId(0)));
        assert_eq!(
            assertion,
            "const_:()=assert!(::core::mem::size_of::<Zone>()<=2048);"
        );
        model.oversized.push(TypeId(0));
        assert!(size_assertion(&model, TypeId(0)).is_empty());
    }

    #[test]
    fn a_deprecated_type_says_so_in_its_docs() {
        let mut old = zone_struct(Vec::new());
        old.doc = vec!["A zone.".into()];
        old.deprecated = true;
        let model = model(vec![old]);
        let items = first_type_items(&model);
        assert_eq!(
            doc(&fields_owner_attrs(&items)),
            " A zone.\n\n **Deprecated** in the API description."
        );
    }
}
