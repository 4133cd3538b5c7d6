//! The operations of an area: a method per operation on its resource's
//! accessor (or on `Client`), with docs that name the operation, its
//! arguments and its typed errors.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::call_type::call_type;
use super::doc::{deprecation_note, doc_alias, doc_attrs, with_deprecation};
use super::lints::{allow_complex, levels, Shape};
use super::params::{parts, Parts};
use super::type_ref::{module_name, rust_type};
use crate::model::*;
use crate::naming;

/// The operations of one area: `impl` blocks on the resource accessors
/// (`crate::resources`) or on `Client` itself, and the call types of the
/// operations that have optional parameters.
pub(super) fn area_operations(model: &Model, area_id: AreaId) -> TokenStream {
    let home = Home::Area(area_id);
    let mut by_resource: BTreeMap<ResourceId, Vec<&OperationDef>> = BTreeMap::new();
    for op in model.operations.iter().filter(|op| op.area == area_id) {
        by_resource.entry(op.resource).or_default().push(op);
    }
    let mut items = Vec::new();
    let mut calls = Vec::new();
    for (resource, ops) in by_resource {
        let (methods, call_types): (Vec<_>, Vec<_>) =
            ops.iter().map(|op| operation(model, op, home)).unzip();
        calls.extend(call_types);
        if on_client(model, resource) {
            items.push(quote! {
                impl crate::Client {
                    #(#methods)*
                }
            });
        } else {
            let name = naming::ident(&model.resources[resource.0].name);
            items.push(quote! {
                impl<'a> crate::resources::#name<'a> {
                    #(#methods)*
                }
            });
        }
    }
    quote! {
        #(#items)*
        #(#calls)*
    }
}

/// Whether the methods of a resource are on `Client` itself (the root, or
/// a model without resources).
fn on_client(model: &Model, resource: ResourceId) -> bool {
    resource.0 == 0 || model.resources.is_empty()
}

/// What a call decodes: the runtime's decoder, the Rust type of the
/// `result`, and that type's shape.
fn response<'a>(
    model: &Model,
    op: &'a OperationDef,
    home: Home,
) -> (TokenStream, TokenStream, Shape<'a>) {
    match op.response.decode {
        Decode::Envelope => (
            quote!(envelope),
            rust_type(model, &op.response.ty, home),
            Shape::Model(&op.response.ty),
        ),
        Decode::Json => (
            quote!(json),
            rust_type(model, &op.response.ty, home),
            Shape::Model(&op.response.ty),
        ),
        Decode::Text => (quote!(text), quote!(String), Shape::plain()),
        Decode::Bytes => (
            quote!(bytes),
            quote!(::apigen_runtime::Bytes),
            Shape::plain(),
        ),
        // `()` scores as a path without arguments does.
        Decode::Empty => (quote!(empty), quote!(()), Shape::plain()),
        // Streams are made by `stream_call`, not decoded.
        Decode::EventStream => {
            let item = rust_type(model, &op.response.ty, home);
            (
                quote!(),
                quote!(::apigen_runtime::EventStream<#item>),
                Shape::wrapped(Shape::Model(&op.response.ty)),
            )
        }
        Decode::Ndjson => {
            let item = rust_type(model, &op.response.ty, home);
            (
                quote!(),
                quote!(::apigen_runtime::NdjsonStream<#item>),
                Shape::wrapped(Shape::Model(&op.response.ty)),
            )
        }
    }
}

/// One operation: its method, and (when it has optional parameters) the
/// call type the method returns, with a setter for each.
fn operation(model: &Model, op: &OperationDef, home: Home) -> (TokenStream, TokenStream) {
    let parts = parts(model, op, home);
    let doc_tokens = doc_attrs(&method_doc(model, op, home, &parts));
    let (decode, result, result_shape) = response(model, op, home);
    let name = naming::ident(&op.name);
    let runtime_call = quote!(crate::Call<#result>);
    let returned = match &parts.call {
        Some(call) => {
            let call = &call.name;
            quote!(#call)
        }
        None => runtime_call.clone(),
    };
    let deepest = [Some(&op.response.ty), body_type(op)]
        .into_iter()
        .flatten()
        .map(levels)
        .max()
        .unwrap_or(0);
    let call_shape = Shape::wrapped(result_shape);
    let shapes: Vec<Shape> = parts
        .arg_shapes
        .iter()
        .cloned()
        .chain([call_shape.clone()])
        .collect();
    let allow = allow_complex(deepest + 2, &shapes);
    let body = method_body(model, op, &parts, &decode);
    let aliases = [
        doc_alias(&op.operation_id, &op.name),
        doc_alias(&op.legacy_name, &op.name)
            .filter(|_| naming::unraw(&op.legacy_name) != op.operation_id),
    ];
    let deprecated = op.deprecated.then(|| {
        let note = deprecation_note(&op.doc);
        quote!(#[deprecated(note = #note)])
    });
    // Required parameters are arguments, in path order, and a description
    // may require many: clippy's limit is seven, `&self` included.
    let many = (parts.args.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let args = &parts.args;
    let method_tokens = quote! {
        #doc_tokens
        #(#aliases)*
        #deprecated
        #allow
        #many
        #[inline]
        pub fn #name(&self, #(#args),*) -> #returned {
            #body
        }
    };
    let call_tokens = match &parts.call {
        Some(call) => {
            let result_allow = allow_complex(deepest + 2, &[call_shape]);
            call_type(model, op, call, &result, &result_allow)
        }
        None => quote!(),
    };
    (method_tokens, call_tokens)
}

/// The method's body: the runtime call with every argument applied, in the
/// call type when there is one.
fn method_body(
    model: &Model,
    op: &OperationDef,
    parts: &Parts,
    decode: &TokenStream,
) -> TokenStream {
    let client = if on_client(model, op.resource) {
        quote!(self.inner)
    } else {
        quote!(self.0)
    };
    let path = &op.path;
    let chain = &parts.chain;
    // JSON decoded as the client is built to (`envelope(true)` or not)
    // starts with the runtime's shortcut for the method.
    let default = if model.envelope {
        Decode::Envelope
    } else {
        Decode::Json
    };
    let shortcut = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .contains(&op.method.as_str())
        .then(|| naming::ident(&op.method.to_ascii_lowercase()))
        .filter(|_| op.response.decode == default);
    let start = match shortcut {
        Some(shortcut) => quote!(#client.#shortcut(#path) #(#chain)*),
        None if op.response.decode.is_stream() => {
            let method = naming::ident(&op.method);
            quote! {
                #client
                    .stream_call(::apigen_runtime::Method::#method, #path)
                    #(#chain)*
            }
        }
        None => {
            let method = naming::ident(&op.method);
            quote! {
                #client
                    .call(::apigen_runtime::Method::#method, #path, ::apigen_runtime::decode::#decode)
                    #(#chain)*
            }
        }
    };
    // A call type is made from the runtime call (`call_type!` gives the
    // `From`).
    let into = parts.call.as_ref().map(|_| quote!(.into()));
    let after = &parts.after;
    if after.is_empty() {
        quote!(#start #into)
    } else {
        quote! {
            let mut call = #start;
            #(#after)*
            call #into
        }
    }
}

/// The method's docs: the operation's, its arguments, where its optional
/// parameters are set, and the error responses the description types.
fn method_doc(model: &Model, op: &OperationDef, home: Home, parts: &Parts) -> Vec<String> {
    let mut doc = with_deprecation(&op.doc, op.deprecated);
    if !parts.arg_docs.is_empty() {
        doc.push(String::new());
        doc.push("Arguments:".into());
        doc.extend(parts.arg_docs.iter().cloned());
    }
    if let Some(call) = &parts.call {
        crate::docs::append_sentence(
            &mut doc,
            &format!(
                "Optional parameters are set on the returned [`{}`] before it is awaited.",
                call.name
            ),
        );
    }
    if let Some(field) = super::params::idempotency_header(model, op) {
        let header = &field.wire;
        let sentence = if field.presence == Presence::Required {
            format!(
                "The idempotency key in `{header}` goes with every attempt, so the call is \
                 retried as safely as a `GET`."
            )
        } else {
            format!(
                "Sends a fresh idempotency key in `{header}` (the same on every retry) unless \
                 one is set with the call's `idempotency_key`, so the call is retried as \
                 safely as a `GET`."
            )
        };
        crate::docs::append_sentence(&mut doc, &sentence);
    }
    if !op.errors.is_empty() {
        doc.push(String::new());
        doc.push(
            "Error responses the description types (decode one with \
             [`ApiError::body_as`](crate::ApiError::body_as)):"
                .into(),
        );
        for error in &op.errors {
            let ty = error_type(model, &error.ty, home);
            doc.push(match &error.description {
                Some(description) => format!("- `{}` ({description}): {ty}", error.status),
                None => format!("- `{}`: {ty}", error.status),
            });
        }
    }
    doc
}

/// An error response's type in the method's docs: a link to a named type,
/// the Rust type as code otherwise.
fn error_type(model: &Model, ty: &TypeRef, home: Home) -> String {
    match ty {
        TypeRef::Named(id) | TypeRef::Boxed(id) => {
            // The path as the label: never a redundant explicit
            // target, wherever the method's docs end up.
            let def = &model.types[id.0];
            let module = module_name(model, def.home);
            format!("[`crate::{module}::{}`]", def.name)
        }
        // Tokens to text, not back: the docs show the type as the
        // method's signature writes it.
        other => format!(
            "`{}`",
            rust_type(model, other, home).to_string().replace(' ', "")
        ),
    }
}

/// The JSON body type of an operation, if it has one.
fn body_type(op: &OperationDef) -> Option<&TypeRef> {
    match &op.body {
        Some(Body {
            kind: BodyKind::Json(ty),
            ..
        }) => Some(ty),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
