//! Ways into a type: `new(required, ..)` for structs with required fields,
//! `From<Branch>` for each union branch, and `From<&Foo> for FooRequest`
//! from a response type into its request counterpart.

use proc_macro2::TokenStream;
use quote::quote;

use super::type_ref::{cfg_for_other, named, rust_type, type_cfg};
use crate::model::*;
use crate::naming;

/// `new(required, ..)` for a struct (or parameters struct) with required
/// fields: arguments in field order, strings and named types taken as
/// `impl Into<..>`; optional fields `None`, `extra` empty.
pub(super) fn constructor(model: &Model, def: &TypeDef, home: Home) -> TokenStream {
    let (fields, has_extra): (Vec<&Field>, bool) = match &def.kind {
        TypeKind::Struct { fields, .. } => (fields.iter().collect(), true),
        TypeKind::Params { fields } => (fields.iter().map(|p| &p.field).collect(), false),
        _ => return quote!(),
    };
    let required =
        |f: &&Field| matches!(f.presence, Presence::Required | Presence::RequiredNullable);
    if !fields.iter().any(required) {
        return quote!();
    }
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for f in &fields {
        let name = naming::ident(&f.name);
        if required(f) {
            let (arg, init) = constructor_argument(model, f, home);
            args.push(arg);
            inits.push(init);
        } else {
            inits.push(quote!(#name: None,));
        }
    }
    if has_extra {
        inits.push(quote!(extra: Default::default(),));
    }
    let allow = if args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let deprecated = allow_deprecated(&[def]);
    let name = naming::ident(&def.name);
    let cfg = type_cfg(model, def);
    let doc = if has_extra {
        " A value with the required fields given: every optional field is `None` and `extra` is empty."
    } else {
        " Parameters with the required ones given: every optional one is `None`."
    };
    quote! {
        #cfg
        impl #name {
            #[doc = #doc]
            #allow
            #deprecated
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits)*
                }
            }
        }
    }
}

/// The argument of `new` for a required field, and the field's initializer.
fn constructor_argument(model: &Model, f: &Field, home: Home) -> (TokenStream, TokenStream) {
    let name = naming::ident(&f.name);
    let inner = rust_type(model, &f.ty, home);
    if f.presence == Presence::RequiredNullable {
        return (quote!(#name: Option<#inner>), quote!(#name,));
    }
    match &f.ty {
        TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Bytes
        | TypeRef::Number
        | TypeRef::Json
        | TypeRef::Named(_)
        | TypeRef::Expandable(_) => (
            quote!(#name: impl Into<#inner>),
            quote!(#name: #name.into(),),
        ),
        TypeRef::Boxed(id) => {
            let target = named(model, *id, home);
            (
                quote!(#name: impl Into<#target>),
                quote!(#name: Box::new(#name.into()),),
            )
        }
        _ => (quote!(#name: #inner), quote!(#name,)),
    }
}

/// How a union branch gets `From<Payload>`: only a branch whose payload
/// type no other branch has (raw JSON branches excepted: a value a typed
/// branch would take should not become `Unknown`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BranchFrom {
    /// None: the payload is ambiguous, raw JSON or the union itself.
    No,
    /// `derive_more::From` (or a written impl, when the union does not
    /// derive it).
    Plain,
    /// A written impl that boxes the payload.
    Boxed,
}

/// How a union's branches get `From<Payload>`, worked out once for the
/// union's definition and for the impls written beside it.
pub(super) struct UnionFroms {
    /// Each branch's, in order.
    pub branches: Vec<BranchFrom>,
    /// Whether the union derives `derive_more::From` (each plain branch
    /// gets `From` from it, every other branch is marked `#[from(skip)]`):
    /// when that takes fewer lines than writing the impls.
    pub derived: bool,
}

/// How each branch of a union gets `From<Payload>`.
pub(super) fn union_froms(model: &Model, def: &TypeDef, variants: &[UnionVariant]) -> UnionFroms {
    let source = |ty: &TypeRef| match ty {
        TypeRef::Boxed(id) => TypeRef::Named(*id),
        other => other.clone(),
    };
    let branches: Vec<BranchFrom> = variants
        .iter()
        .map(|v| {
            let payload = source(&v.ty);
            let unique = variants.iter().filter(|o| source(&o.ty) == payload).count() == 1;
            let own = matches!(payload, TypeRef::Named(id) if model.types[id.0].name == def.name);
            if !unique || own || matches!(payload, TypeRef::Json) {
                BranchFrom::No
            } else if matches!(v.ty, TypeRef::Boxed(_)) {
                BranchFrom::Boxed
            } else {
                BranchFrom::Plain
            }
        })
        .collect();
    let plain = branches.iter().filter(|f| **f == BranchFrom::Plain).count();
    let derived = plain > 0 && plain * 4 > branches.len() - plain + 1;
    UnionFroms { branches, derived }
}

/// The `From<Payload>` impls a union's derive does not give: boxed
/// branches, and every branch when it does not derive `From`.
pub(super) fn union_from_variants(
    model: &Model,
    def: &TypeDef,
    variants: &[UnionVariant],
    froms: &UnionFroms,
    home: Home,
) -> TokenStream {
    let name = naming::ident(&def.name);
    let cfg = type_cfg(model, def);
    let impls = variants
        .iter()
        .zip(&froms.branches)
        .filter_map(|(v, from)| {
            let value = match from {
                BranchFrom::No => return None,
                BranchFrom::Plain if froms.derived => return None,
                BranchFrom::Plain => quote!(value),
                BranchFrom::Boxed => quote!(Box::new(value)),
            };
            let variant = naming::ident(&v.name);
            let payload = match v.ty {
                TypeRef::Boxed(id) => TypeRef::Named(id),
                ref other => other.clone(),
            };
            let ty = rust_type(model, &payload, home);
            Some(quote! {
                #cfg
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant(#value)
                    }
                }
            })
        });
    quote!(#(#impls)*)
}

/// How a value of a response-side type becomes the request-side type.
enum Conv {
    /// The same type: cloned.
    Clone,
    /// `<To as From<&From>>::from`.
    From(TokenStream),
    /// Each item of a `Vec`.
    Vec(Box<Conv>),
    /// Each value of a map.
    Map(Box<Conv>),
    /// The value of an `Option`.
    Option(Box<Conv>),
    /// The converted value, boxed.
    Boxed(Box<Conv>),
    /// The value of a `Box`, converted.
    Unboxed(Box<Conv>),
    /// The object of an expanded reference, converted (an id stays the id).
    Expandable(Box<Conv>),
}

/// The conversion from `from` to `to` (which `lower::converts` accepted).
fn conv(model: &Model, from: &TypeRef, to: &TypeRef, home: Home) -> Option<Conv> {
    if from == to {
        return Some(Conv::Clone);
    }
    Some(match (from, to) {
        (TypeRef::Named(a), TypeRef::Named(b)) if model.types[a.0].requests.contains(b) => {
            let (a, b) = (named(model, *a, home), named(model, *b, home));
            Conv::From(quote!(<#b as From<&#a>>::from))
        }
        // One side boxed to keep its holder small (`lower::boxing`): the
        // same conversion, then boxed, or from the boxed value.
        (_, TypeRef::Boxed(b)) => {
            Conv::Boxed(Box::new(conv(model, from, &TypeRef::Named(*b), home)?))
        }
        (TypeRef::Boxed(a), _) => {
            Conv::Unboxed(Box::new(conv(model, &TypeRef::Named(*a), to, home)?))
        }
        (TypeRef::Expandable(a), TypeRef::Expandable(b)) => Conv::Expandable(Box::new(conv(
            model,
            &TypeRef::Named(*a),
            &TypeRef::Named(*b),
            home,
        )?)),
        (TypeRef::Vec(a), TypeRef::Vec(b)) => Conv::Vec(Box::new(conv(model, a, b, home)?)),
        (TypeRef::Map(a), TypeRef::Map(b)) => Conv::Map(Box::new(conv(model, a, b, home)?)),
        (TypeRef::Option(a), TypeRef::Option(b)) => {
            Conv::Option(Box::new(conv(model, a, b, home)?))
        }
        _ => return None,
    })
}

/// An expression of the type a conversion starts from.
enum Value {
    /// A reference (`item`, bound by a closure or a match arm).
    Ref(TokenStream),
    /// A place of the type itself (`value.settings`).
    Place(TokenStream),
}

impl Value {
    fn borrowed(&self) -> TokenStream {
        match self {
            Value::Ref(value) => value.clone(),
            Value::Place(place) => quote!(&#place),
        }
    }

    /// The receiver of a method call (auto-referenced).
    fn receiver(&self) -> TokenStream {
        match self {
            Value::Ref(value) | Value::Place(value) => value.clone(),
        }
    }
}

/// The conversion applied to `value`.
fn apply(conv: &Conv, value: Value) -> TokenStream {
    match conv {
        Conv::Clone => {
            let value = value.borrowed();
            quote!(Clone::clone(#value))
        }
        Conv::From(path) => {
            let value = value.borrowed();
            quote!(#path(#value))
        }
        Conv::Vec(inner) => {
            let (f, value) = (as_fn(inner), value.receiver());
            quote!(#value.iter().map(#f).collect())
        }
        Conv::Map(inner) => {
            let item = apply(inner, Value::Ref(quote!(item)));
            let value = value.receiver();
            quote!(#value.iter().map(|(key, item)| (Clone::clone(key), #item)).collect())
        }
        Conv::Option(inner) => {
            let (f, value) = (as_fn(inner), value.receiver());
            quote!(#value.as_ref().map(#f))
        }
        Conv::Boxed(inner) => {
            let value = apply(inner, value);
            quote!(Box::new(#value))
        }
        Conv::Unboxed(inner) => {
            let value = match value {
                Value::Ref(value) => quote!(&**#value),
                Value::Place(place) => quote!(&*#place),
            };
            apply(inner, Value::Ref(value))
        }
        Conv::Expandable(inner) => {
            let object = apply(inner, Value::Ref(quote!(&**object)));
            let value = value.borrowed();
            quote! {
                match #value {
                    ::apigen_runtime::Expandable::Id(id) => {
                        ::apigen_runtime::Expandable::Id(Clone::clone(id))
                    }
                    ::apigen_runtime::Expandable::Object(object) => {
                        ::apigen_runtime::Expandable::Object(Box::new(#object))
                    }
                }
            }
        }
    }
}

/// The conversion as something to `map` with (a path where one will do,
/// so clippy finds no redundant closure).
fn as_fn(conv: &Conv) -> TokenStream {
    match conv {
        Conv::From(path) => path.clone(),
        other => {
            let body = apply(other, Value::Ref(quote!(item)));
            quote!(|item| #body)
        }
    }
}

/// `From<&Foo> for FooRequest` for each request counterpart of a response
/// type: the request's fields from the response's, unknown fields kept
/// (but the read-only ones), read-only fields dropped.
pub(super) fn requests(model: &Model, def: &TypeDef, home: Home) -> TokenStream {
    let name = naming::ident(&def.name);
    let cfg = type_cfg(model, def);
    let impls = def.requests.iter().filter_map(|request| {
        let target = &model.types[request.0];
        let to = named(model, *request, home);
        let body = match (&def.kind, &target.kind) {
            (
                TypeKind::Struct { fields, extra },
                TypeKind::Struct {
                    fields: to_fields,
                    extra: to_extra,
                },
            ) => struct_request(model, home, (fields, extra), (to_fields, to_extra), target)?,
            (TypeKind::Union { variants, .. }, TypeKind::Union { variants: to_variants, .. }) => {
                union_request(model, home, def, variants, to_variants)?
            }
            _ => return None,
        };
        let other_cfg = cfg_for_other(model, target, home);
        let doc = format!(
            " The request-side value of a `{}`: read-only properties are left out, unknown ones kept.",
            naming::unraw(&def.name)
        );
        let deprecated = allow_deprecated(&[def, target]);
        Some(quote! {
            #cfg
            #other_cfg
            impl From<&#name> for #to {
                #[doc = #doc]
                #deprecated
                fn from(value: &#name) -> Self {
                    #body
                }
            }
        })
    });
    quote!(#(#impls)*)
}

/// The body of `From<&Foo> for FooRequest` between structs: each request
/// field from the response field of the same wire name, `extra` without the
/// read-only properties. `None` when a field cannot be converted.
fn struct_request(
    model: &Model,
    home: Home,
    (fields, extra): (&[Field], &TypeRef),
    (to_fields, to_extra): (&[Field], &TypeRef),
    target: &TypeDef,
) -> Option<TokenStream> {
    let mut inits = Vec::new();
    for target_field in to_fields {
        let source = fields.iter().find(|f| f.wire == target_field.wire)?;
        // The source's presence decides both sides.
        let from_ty = held(&source.ty, source.presence);
        let to_ty = held(&target_field.ty, source.presence);
        let field = naming::ident(&target_field.name);
        let from_field = naming::ident(&source.name);
        let value = apply(
            &conv(model, &from_ty, &to_ty, home)?,
            Value::Place(quote!(value.#from_field)),
        );
        // A response type only received reads `null` as absent: the
        // request's nullable field is then left out too.
        let value = if source.presence == Presence::Optional
            && target_field.presence == Presence::OptionalNullable
        {
            quote!((#value).map(Some))
        } else {
            value
        };
        inits.push(quote!(#field: #value,));
    }
    let item = apply(
        &conv(model, extra, to_extra, home)?,
        Value::Ref(quote!(item)),
    );
    let read_only = &target.read_only;
    let keep = if read_only.is_empty() {
        quote!()
    } else {
        quote!(.filter(|(key, _)| ![#(#read_only),*].contains(&key.as_str())))
    };
    Some(quote! {
        Self {
            #(#inits)*
            extra: value
                .extra
                .iter()
                #keep
                .map(|(key, item)| (Clone::clone(key), #item))
                .collect(),
        }
    })
}

/// The type a field of this presence holds: `ty` with the `Option`s the
/// presence adds.
fn held(ty: &TypeRef, presence: Presence) -> TypeRef {
    let ty = ty.clone();
    match presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => TypeRef::Option(Box::new(ty)),
        Presence::OptionalNullable => TypeRef::Option(Box::new(TypeRef::Option(Box::new(ty)))),
    }
}

/// The body of `From<&Foo> for FooRequest` between unions: each branch into
/// the request's branch of the same name.
fn union_request(
    model: &Model,
    home: Home,
    def: &TypeDef,
    variants: &[UnionVariant],
    to_variants: &[UnionVariant],
) -> Option<TokenStream> {
    let name = naming::ident(&def.name);
    let mut arms = Vec::new();
    for source in variants {
        let target_variant = to_variants.iter().find(|v| v.name == source.name)?;
        let variant = naming::ident(&source.name);
        let value = apply(
            &conv(model, &source.ty, &target_variant.ty, home)?,
            Value::Ref(quote!(item)),
        );
        arms.push(quote!(#name::#variant(item) => Self::#variant(#value),));
    }
    Some(quote! {
        match value {
            #(#arms)*
        }
    })
}

/// `#[allow(deprecated)]` for code that reads or writes the fields of these
/// structs when one of them is `#[deprecated]`.
fn allow_deprecated(defs: &[&TypeDef]) -> TokenStream {
    let any = defs.iter().any(|def| match &def.kind {
        TypeKind::Struct { fields, .. } => fields.iter().any(|f| f.deprecated),
        _ => false,
    });
    if any {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_model::*;

    fn variant(name: &str, ty: TypeRef) -> UnionVariant {
        UnionVariant {
            name: name.into(),
            ty,
            tag_values: Vec::new(),
            catch_all: false,
        }
    }

    fn union(variants: Vec<UnionVariant>) -> TypeDef {
        new_type(
            "Value",
            TypeKind::Union {
                variants,
                tag: None,
            },
            ZONES,
        )
    }

    fn struct_of(name: &str, fields: Vec<Field>) -> TypeDef {
        new_type(
            name,
            TypeKind::Struct {
                fields,
                extra: TypeRef::Json,
            },
            ZONES,
        )
    }

    #[test]
    fn a_union_gets_from_for_each_branch_of_its_own_type() {
        let model = model(vec![
            struct_of("Rule", Vec::new()),
            union(vec![
                variant("Rule", TypeRef::Boxed(TypeId(0))),
                variant("Text", TypeRef::String),
                variant("Name", TypeRef::String),
                variant("Count", TypeRef::Integer(IntWidth::I32)),
                variant("Unknown", TypeRef::Json),
            ]),
        ]);
        let TypeKind::Union { variants, .. } = &model.types[1].kind else {
            unreachable!()
        };
        let froms = union_froms(&model, &model.types[1], variants);
        assert!(
            !froms.derived,
            "one plain branch of five: written, not derived"
        );
        let items = items(union_from_variants(
            &model,
            &model.types[1],
            variants,
            &froms,
            ZONES,
        ));
        // Two branches hold a `String`: neither gets one (which would it
        // be?); raw JSON gets none.
        assert_eq!(
            impls(&items),
            [
                ("From<Rule>".to_owned(), "Value".to_owned()),
                ("From<i32>".to_owned(), "Value".to_owned()),
            ]
        );
        let from_rule = text(&methods(&items)[0].block);
        assert_eq!(from_rule, "{Self::Rule(Box::new(value))}");
    }

    #[test]
    fn new_takes_required_fields_in_order_and_boxes_boxed_ones() {
        let mut nullable = new_field("parent", TypeRef::String, Presence::RequiredNullable);
        nullable.doc = vec!["May be null.".into()];
        let model = model(vec![
            struct_of("Rule", Vec::new()),
            struct_of(
                "Zone",
                vec![
                    new_field("rule", TypeRef::Boxed(TypeId(0)), Presence::Required),
                    new_field("paused", TypeRef::Bool, Presence::Optional),
                    new_field("size", TypeRef::Integer(IntWidth::U64), Presence::Required),
                    nullable,
                ],
            ),
        ]);
        let items = items(constructor(&model, &model.types[1], ZONES));
        let new = method(&items, "new");
        let args: Vec<String> = new.sig.inputs.iter().map(text).collect();
        assert_eq!(
            args,
            ["rule:implInto<Rule>", "size:u64", "parent:Option<String>",]
        );
        let body = text(&new.block);
        assert!(body.contains("rule:Box::new(rule.into())"), "{body}");
        assert!(body.contains("paused:None"), "{body}");
    }

    #[test]
    fn a_struct_without_required_fields_has_no_new() {
        let model = model(vec![struct_of(
            "Zone",
            vec![new_field("paused", TypeRef::Bool, Presence::Optional)],
        )]);
        assert!(constructor(&model, &model.types[0], ZONES).is_empty());
    }

    #[test]
    fn a_response_converts_into_its_request_without_read_only_properties() {
        let mut response = struct_of(
            "Zone",
            vec![
                new_field("id", TypeRef::String, Presence::Required),
                new_field("name", TypeRef::String, Presence::Required),
                new_field(
                    "rules",
                    TypeRef::Vec(Box::new(TypeRef::Named(TypeId(2)))),
                    Presence::Optional,
                ),
            ],
        );
        response.requests = vec![TypeId(1)];
        let mut request = struct_of(
            "ZoneRequest",
            vec![
                new_field("name", TypeRef::String, Presence::Required),
                new_field(
                    "rules",
                    TypeRef::Vec(Box::new(TypeRef::Named(TypeId(3)))),
                    Presence::Optional,
                ),
            ],
        );
        request.read_only = vec!["id".into()];
        let mut rule = struct_of("Rule", Vec::new());
        rule.requests = vec![TypeId(3)];
        let model = model(vec![
            response,
            request,
            rule,
            struct_of("RuleRequest", Vec::new()),
        ]);
        let items = items(requests(&model, &model.types[0], ZONES));
        assert_eq!(
            impls(&items),
            [("From<&Zone>".to_owned(), "ZoneRequest".to_owned())]
        );
        let from = method(&items, "from");
        let body = text(&from.block);
        assert!(
            !body.contains("id:"),
            "the read-only field is dropped: {body}"
        );
        assert!(body.contains("name:Clone::clone(&value.name)"), "{body}");
        // Each rule through its own conversion, as a path (no closure).
        assert!(
            body.contains(
                "rules:value.rules.as_ref().map(|item|item.iter().map(<RuleRequestasFrom<&Rule>>::from).collect())"
            ),
            "{body}"
        );
        assert!(
            body.contains(r#".filter(|(key,_)|!["id"].contains(&key.as_str()))"#),
            "{body}"
        );
        assert!(doc(&from.attrs).contains("request-side value of a `Zone`"));
    }

    #[test]
    fn no_conversion_when_a_request_field_has_no_source() {
        let mut response = struct_of("Zone", Vec::new());
        response.requests = vec![TypeId(1)];
        let request = struct_of(
            "ZoneRequest",
            vec![new_field("name", TypeRef::String, Presence::Required)],
        );
        let model = model(vec![response, request]);
        assert!(requests(&model, &model.types[0], ZONES).is_empty());
    }
}
