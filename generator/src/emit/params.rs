//! What an operation's parameters and body add to its method and call type:
//! path parameters and required query, header and cookie parameters are
//! arguments, optional ones fields of the call type with a setter each, the
//! body an argument; each adds a builder call on the runtime's `Call`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::doc::{deprecation_note, doc_attrs};
use super::lints::{allow_complex, levels, Shape};
use super::type_ref::{integer, rust_type};
use crate::model::*;
use crate::naming;
use crate::spec::Style;

/// What an operation's security, parameters and body add to its method and
/// call type, in the order the method sends them.
#[derive(Default)]
pub(super) struct Parts<'a> {
    /// The method's arguments: path parameters, required parameters, body.
    pub args: Vec<TokenStream>,
    /// The shape of each argument's type, for `type_complexity`.
    pub arg_shapes: Vec<Shape<'a>>,
    /// The method's docs of its arguments (`- `name`: doc`).
    pub arg_docs: Vec<String>,
    /// Builder calls on the runtime call, in order.
    pub chain: Vec<TokenStream>,
    /// Statements after the chain, on `call` (an optional body).
    pub after: Vec<TokenStream>,
    /// The call type's parts, when the operation has optional parameters.
    pub call: Option<CallParts>,
}

/// The optional parameters: the call type and its setters.
pub(super) struct CallParts {
    /// The call type's name (the parameters type's).
    pub name: Ident,
    /// A setter per optional parameter.
    pub setters: Vec<TokenStream>,
}

/// Names the call types give their own methods; a setter takes another.
const CALL_METHODS: &[&str] = &[
    "send",
    "timeout",
    "max_retries",
    "header",
    "idempotency_key",
    "into_call",
    "into_future",
];

/// `form`, exploded: OpenAPI's default for query parameters.
const FORM_EXPLODED: ParamStyle = ParamStyle {
    style: Style::Form,
    explode: true,
    allow_reserved: false,
};

/// What the operation's security, parameters and body add to its method.
pub(super) fn parts<'a>(model: &'a Model, op: &'a OperationDef, home: Home) -> Parts<'a> {
    let mut parts = Parts::default();
    if let Some(security) = &op.security {
        let requirements = security
            .iter()
            .map(|requirement| quote!(&[#(#requirement),*]));
        parts.chain.push(quote!(.security(&[#(#requirements),*])));
    }
    for param in &op.path_params {
        path_param(model, param, home, &mut parts);
    }
    if let Some((id, _)) = op.params {
        if let TypeKind::Params { fields } = &model.types[id.0].kind {
            let mut call = CallParts {
                name: naming::ident(&model.types[id.0].name),
                setters: Vec::new(),
            };
            let mut setter_names = naming::Namespace::new();
            for reserved in CALL_METHODS {
                setter_names.reserve(reserved);
            }
            let mut keyed = false;
            for p in fields {
                if is_idempotency_header(p) {
                    let wire = &p.field.wire;
                    parts.chain.push(quote!(.idempotency_header(#wire)));
                    // The call type's own `idempotency_key` (from
                    // `call_type!`) sets it.
                    if p.field.presence != Presence::Required && p.field.name == "idempotency_key" {
                        keyed = true;
                        continue;
                    }
                }
                param(model, p, home, &mut parts, &mut call, &mut setter_names);
            }
            // Only optional parameters make a call type.
            parts.call = (!call.setters.is_empty() || keyed).then_some(call);
        }
    }
    if let Some(body) = &op.body {
        self::body(model, body, home, &mut parts);
    }
    parts
}

/// The names of the header parameters that carry an idempotency key
/// (compared without case): an operation that declares one sends a fresh
/// key by default (the runtime's `Call::idempotency_header`), and is then
/// retried as an idempotent request is.
const IDEMPOTENCY_HEADERS: &[&str] = &["idempotency-key", "x-idempotency-key"];

/// Whether `p` is a header parameter that carries an idempotency key.
fn is_idempotency_header(p: &ParamField) -> bool {
    p.place == ParamPlace::Header
        && IDEMPOTENCY_HEADERS
            .iter()
            .any(|name| p.field.wire.eq_ignore_ascii_case(name))
}

/// The header parameter in which `op` takes an idempotency key, if it
/// declares one.
pub(super) fn idempotency_header<'a>(model: &'a Model, op: &OperationDef) -> Option<&'a Field> {
    let (id, _) = op.params?;
    let TypeKind::Params { fields } = &model.types[id.0].kind else {
        return None;
    };
    fields
        .iter()
        .find(|p| is_idempotency_header(p))
        .map(|p| &p.field)
}

/// An argument, with its type's shape.
fn push_arg<'a>(parts: &mut Parts<'a>, name: &Ident, ty: TokenStream, shape: Shape<'a>) {
    parts.args.push(quote!(#name: #ty));
    parts.arg_shapes.push(shape);
}

/// A path parameter: numbers and booleans by value, arrays as slices, named
/// types by reference, anything else as `&str`.
fn path_param<'a>(model: &Model, param: &'a PathParam, home: Home, parts: &mut Parts<'a>) {
    let name = naming::ident(&param.name);
    let wire = &param.wire;
    let (ty, shape, composite) = match &param.ty {
        TypeRef::Integer(width) => (integer(*width), Shape::Model(&param.ty), false),
        TypeRef::Number => (
            quote!(::apigen_runtime::Number),
            Shape::Model(&param.ty),
            false,
        ),
        TypeRef::Float => (quote!(f64), Shape::Model(&param.ty), false),
        TypeRef::Bool => (quote!(bool), Shape::Model(&param.ty), false),
        TypeRef::Vec(inner) => {
            let ty = rust_type(model, inner, home);
            (quote!(&[#ty]), Shape::slice_of(inner), true)
        }
        TypeRef::Named(_) | TypeRef::Boxed(_) | TypeRef::Expandable(_) => {
            let named = rust_type(model, &param.ty, home);
            (
                quote!(&#named),
                Shape::reference(Shape::Model(&param.ty)),
                true,
            )
        }
        _ => (quote!(&str), Shape::reference(Shape::plain()), false),
    };
    push_arg(parts, &name, ty, shape);
    if composite || param.style.style != Style::Simple {
        let style = param_style(param.style);
        parts
            .chain
            .push(quote!(.path_param_styled(#wire, &#name, #style)));
    } else {
        parts.chain.push(quote!(.path_param(#wire, #name)));
    }
    if !param.doc.is_empty() {
        parts.arg_docs.push(format!(
            "- `{}`: {}",
            naming::unraw(&param.name),
            param.doc.join(" ")
        ));
    }
}

/// A query, header or cookie parameter: an argument applied in the method
/// when required, a setter of the call type that applies it when optional.
fn param<'a>(
    model: &Model,
    p: &'a ParamField,
    home: Home,
    parts: &mut Parts<'a>,
    call: &mut CallParts,
    setter_names: &mut naming::Namespace,
) {
    let name = naming::ident(&p.field.name);
    if p.field.presence != Presence::Required {
        let setter = naming::ident(&setter_names.claim(&p.field.name).0);
        call.setters.push(setter_fn(model, p, home, &setter));
        return;
    }
    let (ty, shape, by_value) = argument_type(model, &p.field.ty, home);
    push_arg(parts, &name, ty, shape);
    if !p.field.doc.is_empty() {
        parts.arg_docs.push(format!(
            "- `{}`: {}",
            naming::unraw(&p.field.name),
            p.field.doc.join(" ")
        ));
    }
    let call = if p.place == ParamPlace::Header && p.field.ty == TypeRef::String {
        let wire = &p.field.wire;
        quote!(.header(#wire, #name))
    } else if by_value {
        apply(model, p, quote!(&#name))
    } else {
        apply(model, p, quote!(#name))
    };
    parts.chain.push(call);
}

/// The builder call that sends a parameter, `value` being a reference to
/// its value.
fn apply(model: &Model, p: &ParamField, value: TokenStream) -> TokenStream {
    let wire = &p.field.wire;
    let style = param_style(p.style);
    match p.place {
        ParamPlace::Header => quote!(.header_param(#wire, #value, #style)),
        ParamPlace::Cookie => quote!(.cookie_param(#wire, #value, #style)),
        // The default serialization of a value that is not an object is
        // what `query_param` does.
        ParamPlace::Query if p.style == FORM_EXPLODED && !object_like(model, &p.field.ty) => {
            quote!(.query_param(#wire, #value))
        }
        ParamPlace::Query => quote!(.query_param_styled(#wire, #value, #style)),
    }
}

/// The setter of an optional parameter on the call type, which applies it
/// to the call at once (setting it again replaces it): strings as
/// `impl AsRef<str>`, numbers as `impl Into<Number>` (or `f64`), lists as
/// any iterable of what converts into their items, anything else by value.
fn setter_fn(model: &Model, p: &ParamField, home: Home, setter: &Ident) -> TokenStream {
    let wire = &p.field.wire;
    let mut setter_doc = p.field.doc.clone();
    crate::docs::append_sentence(
        &mut setter_doc,
        &format!("Sent as the `{wire}` {} parameter.", p.place.as_str()),
    );
    let deprecated = p.field.deprecated.then(|| {
        let note = deprecation_note(&p.field.doc);
        quote!(#[deprecated(note = #note)])
    });
    let setter_doc = doc_attrs(&setter_doc);
    if p.field.ty == TypeRef::String {
        let apply = apply(model, p, quote!(value.as_ref()));
        return quote! {
            #setter_doc
            #deprecated
            #[inline]
            pub fn #setter(self, value: impl AsRef<str>) -> Self {
                Self(self.0 #apply)
            }
        };
    }
    let inner = rust_type(model, &p.field.ty, home);
    let apply = apply(model, p, quote!(&value));
    let allow = allow_complex(levels(&p.field.ty) + 1, &[Shape::Model(&p.field.ty)]);
    // What people write: `per_page(2)` for a number, `expand(["customer"])`
    // for a list, converted here.
    let (argument, convert) = match &p.field.ty {
        TypeRef::Number | TypeRef::Float => (
            quote!(impl Into<#inner>),
            quote!(let value: #inner = value.into();),
        ),
        TypeRef::Vec(item) => {
            let item = rust_type(model, item, home);
            (
                quote!(impl IntoIterator<Item = impl Into<#item>>),
                quote!(let value: #inner = value.into_iter().map(Into::into).collect();),
            )
        }
        _ => (quote!(#inner), quote!()),
    };
    quote! {
        #setter_doc
        #deprecated
        #allow
        #[inline]
        pub fn #setter(self, value: #argument) -> Self {
            #convert
            Self(self.0 #apply)
        }
    }
}

/// The request body: an argument (`Option<&T>` when optional) and how the
/// call sends it.
fn body<'a>(model: &Model, body: &'a Body, home: Home, parts: &mut Parts<'a>) {
    let name = naming::ident("body");
    // The body's type and how the call sends it (JSON unless said).
    let (sent, encoding) = match &body.kind {
        BodyKind::Json(ty) => (ty, None),
        BodyKind::Form(ty, encoding) => {
            let encoding = encoding.iter().map(|(property, style)| {
                let style = param_style(*style);
                quote!((#property, #style))
            });
            (ty, Some(quote!(.form_body(body, &[#(#encoding),*]))))
        }
        BodyKind::MultipartForm(ty, content_types) => {
            let types = content_types.iter().map(|(p, t)| quote!((#p, #t)));
            (ty, Some(quote!(.multipart_form_body(body, &[#(#types),*]))))
        }
        BodyKind::Multipart => {
            let form = naming::ident("form");
            push_arg(
                parts,
                &form,
                quote!(::apigen_runtime::multipart::Form),
                Shape::plain(),
            );
            parts.chain.push(quote!(.multipart_body(form)));
            return;
        }
        BodyKind::Bytes(content_type) => {
            let ty = quote!(impl Into<::apigen_runtime::Bytes>);
            push_arg(parts, &name, ty, Shape::Impl);
            parts.chain.push(quote!(.bytes_body(body, #content_type)));
            return;
        }
        BodyKind::Text(content_type) => {
            let ty = quote!(impl Into<String>);
            push_arg(parts, &name, ty, Shape::Impl);
            parts.chain.push(quote!(.text_body(body, #content_type)));
            return;
        }
        BodyKind::Ndjson(item, content_type) => {
            let item = rust_type(model, item, home);
            let ty = quote!(impl Into<::apigen_runtime::NdjsonBody<#item>>);
            push_arg(parts, &name, ty, Shape::Impl);
            parts.chain.push(quote!(.ndjson_body(body, #content_type)));
            return;
        }
    };
    let ty = rust_type(model, sent, home);
    let send = encoding.unwrap_or_else(|| quote!(.json_body(body)));
    let shape = Shape::reference(Shape::Model(sent));
    if body.required {
        push_arg(parts, &name, quote!(&#ty), shape);
        parts.chain.push(send);
    } else {
        push_arg(parts, &name, quote!(Option<&#ty>), Shape::wrapped(shape));
        parts.after.push(quote! {
            if let Some(body) = body {
                call = call #send;
            }
        });
    }
}

/// `::apigen_runtime::ParamStyle::new(Style::X, explode)`.
fn param_style(style: ParamStyle) -> TokenStream {
    let name = naming::ident(match style.style {
        Style::Form => "Form",
        Style::SpaceDelimited => "SpaceDelimited",
        Style::PipeDelimited => "PipeDelimited",
        Style::DeepObject => "DeepObject",
        Style::Simple => "Simple",
        Style::Label => "Label",
        Style::Matrix => "Matrix",
    });
    let explode = style.explode;
    let reserved = style.allow_reserved.then(|| quote!(.allow_reserved()));
    quote!(::apigen_runtime::ParamStyle::new(::apigen_runtime::Style::#name, #explode)#reserved)
}

/// Whether values of `ty` may serialize to a JSON object (which the
/// default query serialization would send differently).
fn object_like(model: &Model, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) | TypeRef::Boxed(id) => {
            !matches!(model.types[id.0].kind, TypeKind::Enum { .. })
        }
        TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) | TypeRef::Expandable(_) => true,
        TypeRef::Option(inner) => object_like(model, inner),
        _ => false,
    }
}

/// The Rust type of a required parameter passed as an argument: numbers and
/// booleans by value, strings as `&str`, anything else by reference.
fn argument_type<'a>(model: &Model, ty: &'a TypeRef, home: Home) -> (TokenStream, Shape<'a>, bool) {
    match ty {
        TypeRef::Integer(width) => (integer(*width), Shape::Model(ty), true),
        TypeRef::Number => (quote!(::apigen_runtime::Number), Shape::Model(ty), true),
        TypeRef::Float => (quote!(f64), Shape::Model(ty), true),
        TypeRef::Bool => (quote!(bool), Shape::Model(ty), true),
        TypeRef::String => (quote!(&str), Shape::reference(Shape::plain()), false),
        other => {
            let rust = rust_type(model, other, home);
            (quote!(&#rust), Shape::reference(Shape::Model(ty)), false)
        }
    }
}
