//! `apigen_runtime::Unknown` for every struct, enum and union: the JSON
//! pointers of what a decoded value put in an `extra` map or a catch-all
//! variant (what the example and contract tests call not understood).

use proc_macro2::TokenStream;
use quote::quote;

use super::type_ref::type_cfg;
use crate::model::*;
use crate::naming;

/// The `apigen_runtime::Unknown` impl of a struct, enum or union: the JSON
/// pointers of what went to its `extra` map or `Unknown` variant.
pub(super) fn unknown_impl(model: &Model, def: &TypeDef) -> TokenStream {
    let name = naming::ident(&def.name);
    let cfg = type_cfg(model, def);
    let body = match &def.kind {
        TypeKind::Struct { fields, extra } => struct_unknown(fields, extra),
        TypeKind::Enum { variants } => {
            let unknown = naming::ident(&naming::unknown_variant(
                variants.iter().map(|v| v.name.as_str()),
            ));
            quote! {
                if let Self::#unknown(_) = self {
                    out.push(::std::string::ToString::to_string(at));
                }
            }
        }
        TypeKind::Union { variants, .. } => union_unknown(variants),
        TypeKind::Params { .. } => return quote!(),
    };
    quote! {
        #cfg
        impl ::apigen_runtime::Unknown for #name {
            fn collect_unknown(&self, at: &str, out: &mut ::apigen_runtime::Paths) {
                #body
            }
        }
    }
}

/// A struct's fields, each under its wire name, and its `extra` map.
fn struct_unknown(fields: &[Field], extra: &TypeRef) -> TokenStream {
    // One line a field: the whole Cloudflare crate has thousands.
    let fields = fields.iter().map(|f| {
        let field = naming::ident(&f.name);
        let wire = &f.wire;
        quote!((#wire, &self.#field))
    });
    let extra = match extra {
        TypeRef::Json => quote!(::apigen_runtime::extra_keys(&self.extra, at, out);),
        _ => quote!(::apigen_runtime::Unknown::collect_unknown(&self.extra, at, out);),
    };
    quote! {
        ::apigen_runtime::unknown_fields(at, out, &[#(#fields),*]);
        #extra
    }
}

/// A union's branches: each asked in turn, and the catch-all the lowering
/// adds (raw JSON no branch took) reported whole.
fn union_unknown(variants: &[UnionVariant]) -> TokenStream {
    let last = variants.len().saturating_sub(1);
    let arms = variants.iter().enumerate().map(|(index, v)| {
        let variant = naming::ident(&v.name);
        let fallback = index == last
            && v.ty == TypeRef::Json
            && v.tag_values.is_empty()
            && v.name.starts_with(naming::UNKNOWN_VARIANT);
        if fallback {
            quote!(Self::#variant(_) => out.push(::std::string::ToString::to_string(at)),)
        } else {
            quote!(Self::#variant(value) => ::apigen_runtime::Unknown::collect_unknown(value, at, out),)
        }
    });
    quote! {
        match self {
            #(#arms)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_model::*;

    fn collected(def: TypeDef) -> String {
        let model = model(vec![def]);
        let items = items(unknown_impl(&model, &model.types[0]));
        assert_eq!(impls(&items)[0].0, "::apigen_runtime::Unknown");
        text(&method(&items, "collect_unknown").block)
    }

    #[test]
    fn a_struct_reports_its_fields_by_wire_name_and_its_extra_keys() {
        let mut kind = new_field("r#type", TypeRef::String, Presence::Required);
        kind.wire = "type".into();
        let body = collected(new_type(
            "Zone",
            TypeKind::Struct {
                fields: vec![kind],
                extra: TypeRef::Json,
            },
            ZONES,
        ));
        assert!(
            body.contains(r#"unknown_fields(at,out,&[("type",&self.r#type)])"#),
            "{body}"
        );
        assert!(
            body.contains("::apigen_runtime::extra_keys(&self.extra,at,out)"),
            "{body}"
        );
    }

    #[test]
    fn an_enum_reports_its_catch_all_variant() {
        let body = collected(new_type(
            "Status",
            TypeKind::Enum {
                variants: vec![EnumVariant {
                    name: "Unknown".into(),
                    wire: "unknown".into(),
                }],
            },
            ZONES,
        ));
        assert!(body.contains("ifletSelf::Unknown2(_)=self"), "{body}");
    }

    #[test]
    fn a_union_asks_its_branches_and_reports_its_catch_all_whole() {
        let variant = |name: &str, ty| UnionVariant {
            name: name.into(),
            ty,
            tag_values: Vec::new(),
        };
        let body = collected(new_type(
            "Value",
            TypeKind::Union {
                variants: vec![
                    variant("Raw", TypeRef::Json),
                    variant("Unknown", TypeRef::Json),
                ],
                tag: None,
            },
            ZONES,
        ));
        // Only the last raw branch is the catch-all.
        assert!(
            body.contains(
                "Self::Raw(value)=>::apigen_runtime::Unknown::collect_unknown(value,at,out)"
            ),
            "{body}"
        );
        assert!(
            body.contains("Self::Unknown(_)=>out.push(::std::string::ToString::to_string(at))"),
            "{body}"
        );
    }
}
