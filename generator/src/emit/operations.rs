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
mod tests {
    use super::*;
    use crate::emit::test_model::*;

    /// The method and call type of the model's only operation.
    fn emitted(model: &Model) -> (syn::ImplItemFn, Vec<syn::Item>) {
        let (method, call) = operation(model, &model.operations[0], ZONES);
        let method: syn::ImplItemFn = syn::parse2(method).expect("a method");
        (method, items(call))
    }

    fn problem() -> TypeDef {
        new_type(
            "Problem",
            TypeKind::Struct {
                fields: Vec::new(),
                extra: TypeRef::Json,
            },
            Home::Shared,
        )
    }

    #[test]
    fn a_streamed_response_is_a_stream_call_and_an_ndjson_body_an_argument() {
        let mut model = model(Vec::new());
        let mut op = new_operation("get", "/events", TypeRef::String);
        op.response.decode = Decode::EventStream;
        model.operations.push(op);
        let (method, _) = emitted(&model);
        assert_eq!(
            text(&method.sig.output),
            "->crate::Call<::apigen_runtime::EventStream<String>>"
        );
        let body = text(&method.block);
        assert!(
            body.contains(".stream_call(::apigen_runtime::Method::GET,\"/events\")"),
            "{body}"
        );

        let mut op = new_operation("create", "/rows", TypeRef::Unit);
        op.method = "POST".into();
        op.response.decode = Decode::Ndjson;
        op.body = Some(Body {
            kind: BodyKind::Ndjson(TypeRef::Json, "application/jsonl".into()),
            required: true,
        });
        model.operations[0] = op;
        let (method, _) = emitted(&model);
        let signature = text(&method.sig.inputs);
        assert!(
            signature.ends_with("body:implInto<::apigen_runtime::NdjsonBody<::serde_json::Value>>"),
            "{signature}"
        );
        assert!(text(&method.block).contains(".ndjson_body(body,\"application/jsonl\")"));
        assert_eq!(
            text(&method.sig.output),
            "->crate::Call<::apigen_runtime::NdjsonStream<()>>"
        );
    }

    #[test]
    fn a_method_doc_names_its_typed_errors_with_their_descriptions() {
        let mut model = model(vec![problem()]);
        let mut op = new_operation("get", "/zones/{zone_id}", TypeRef::String);
        op.doc = vec!["Zone details.".into()];
        op.errors = vec![
            ErrorDef {
                status: "404".into(),
                ty: TypeRef::Named(TypeId(0)),
                description: Some("The zone does not exist".into()),
            },
            ErrorDef {
                status: "4XX".into(),
                ty: TypeRef::Vec(Box::new(TypeRef::String)),
                description: None,
            },
        ];
        model.operations.push(op);
        let (method, call) = emitted(&model);
        let doc = doc(&method.attrs);
        assert!(doc.starts_with(" Zone details.\n"), "{doc}");
        assert!(
            doc.contains(" - `404` (The zone does not exist): [`crate::shared::Problem`]"),
            "{doc}"
        );
        assert!(doc.contains(" - `4XX`: `Vec<String>`"), "{doc}");
        assert!(call.is_empty(), "no optional parameters, no call type");
        assert_eq!(text(&method.sig.output), "->crate::Call<String>");
    }

    #[test]
    fn path_parameters_are_arguments_sent_in_template_order() {
        let mut model = model(Vec::new());
        let mut op = new_operation("get", "/zones/{zone_id}/rules/{rule}", TypeRef::Unit);
        op.response.decode = Decode::Empty;
        let simple = ParamStyle {
            style: crate::spec::Style::Simple,
            explode: false,
            allow_reserved: false,
        };
        op.path_params = vec![
            PathParam {
                name: "zone_id".into(),
                wire: "zone_id".into(),
                ty: TypeRef::String,
                style: simple,
                doc: vec!["The zone.".into()],
            },
            PathParam {
                name: "rule".into(),
                wire: "rule".into(),
                ty: TypeRef::Integer(IntWidth::U32),
                style: simple,
                doc: Vec::new(),
            },
        ];
        model.operations.push(op);
        let (method, _) = emitted(&model);
        let args: Vec<String> = method.sig.inputs.iter().map(text).collect();
        assert_eq!(args, ["&self", "zone_id:&str", "rule:u32"]);
        let body = text(&method.block);
        assert!(
            body.contains(r#".path_param("zone_id",zone_id).path_param("rule",rule)"#),
            "{body}"
        );
        assert!(body.contains("::apigen_runtime::decode::empty"), "{body}");
        assert!(doc(&method.attrs).contains("Arguments:\n - `zone_id`: The zone."));
    }

    #[test]
    fn optional_parameters_make_a_call_type_with_a_setter_each() {
        let params = new_type(
            "ListZones",
            TypeKind::Params {
                fields: vec![
                    query("name", TypeRef::String, Presence::Required),
                    query("page", TypeRef::Integer(IntWidth::I64), Presence::Optional),
                    // A setter cannot be called `send`: the call has one.
                    query("send", TypeRef::Bool, Presence::Optional),
                    query(
                        "tags",
                        TypeRef::Vec(Box::new(TypeRef::String)),
                        Presence::Optional,
                    ),
                ],
            },
            ZONES,
        );
        let mut model = model(vec![params]);
        let mut op = new_operation("list", "/zones", TypeRef::String);
        op.params = Some((TypeId(0), false));
        model.operations.push(op);
        let (method, call) = emitted(&model);
        let args: Vec<String> = method.sig.inputs.iter().map(text).collect();
        assert_eq!(args, ["&self", "name:&str"]);
        assert_eq!(text(&method.sig.output), "->ListZones");
        let body = text(&method.block);
        // Required parameters go on the call the method makes; the call type
        // wraps it.
        assert_eq!(
            body,
            r#"{self.inner.get("/zones").query_param("name",name).into()}"#
        );
        let syn::Item::Struct(list) = item(&call, "ListZones") else {
            unreachable!()
        };
        let fields: Vec<String> = list.fields.iter().map(text).collect();
        assert_eq!(fields, ["crate::Call<String>"]);
        // Each setter applies its parameter at once.
        let page = crate::emit::test_model::method(&call, "page");
        assert_eq!(text(&page.sig.inputs[1]), "value:i64");
        assert_eq!(
            text(&page.block),
            r#"{Self(self.0.query_param("page",&value))}"#
        );
        assert!(doc(&page.attrs).contains("Sent as the `page` query parameter."));
        // A list takes any iterable of what converts into its items.
        let tags = crate::emit::test_model::method(&call, "tags");
        assert_eq!(
            text(&tags.sig.inputs[1]),
            "value:implIntoIterator<Item=implInto<String>>"
        );
        assert!(methods(&call).iter().any(|f| f.sig.ident == "send_2"));
        // `send`, the request options and `IntoFuture` come from the runtime.
        let shared = call.iter().any(|item| {
            matches!(item, syn::Item::Macro(m)
                if text(&m.mac.path) == "::apigen_runtime::call_type"
                    && text(&m.mac.tokens).starts_with("ListZones=>"))
        });
        assert!(shared, "call_type! for ListZones");
        assert!(doc(&method.attrs).contains("set on the returned [`ListZones`]"));
    }

    /// A header parameter `wire`, named `name` in Rust.
    fn header(name: &str, wire: &str, presence: Presence) -> ParamField {
        let mut param = query(name, TypeRef::String, presence);
        param.place = ParamPlace::Header;
        param.field.wire = wire.into();
        param
    }

    #[test]
    fn an_idempotency_header_parameter_sends_a_key_by_default() {
        let optional = new_type(
            "CreateCharge",
            TypeKind::Params {
                fields: vec![header(
                    "idempotency_key",
                    "Idempotency-Key",
                    Presence::Optional,
                )],
            },
            ZONES,
        );
        let required = new_type(
            "CreateRefund",
            TypeKind::Params {
                fields: vec![header(
                    "x_idempotency_key",
                    "X-IDEMPOTENCY-KEY",
                    Presence::Required,
                )],
            },
            ZONES,
        );
        let other = new_type(
            "CreateThing",
            TypeKind::Params {
                fields: vec![header("x_request_id", "X-Request-Id", Presence::Optional)],
            },
            ZONES,
        );
        let model = model(vec![optional, required, other]);
        let emit = |params: usize| {
            let mut model = model.clone();
            let mut op = new_operation("create", "/things", TypeRef::String);
            op.method = "POST".into();
            op.params = Some((TypeId(params), false));
            model.operations.push(op);
            emitted(&model)
        };

        // An optional key: sent by default, set with the call type's own
        // `idempotency_key` (from `call_type!`), so no setter of that name.
        let (method, call) = emit(0);
        let body = text(&method.block);
        assert!(
            body.contains(r#".idempotency_header("Idempotency-Key")"#),
            "{body}"
        );
        assert_eq!(text(&method.sig.output), "->CreateCharge");
        assert!(methods(&call).is_empty(), "no setter of its own");
        let docs = doc(&method.attrs);
        assert!(
            docs.contains("Sends a fresh idempotency key in `Idempotency-Key`"),
            "{docs}"
        );

        // A required one (any case, `X-` too): the caller's value is sent
        // in the declared header, which the runtime counts as the key.
        let (method, _) = emit(1);
        let body = text(&method.block);
        assert!(
            body.contains(
                r#".idempotency_header("X-IDEMPOTENCY-KEY").header("X-IDEMPOTENCY-KEY",x_idempotency_key)"#
            ),
            "{body}"
        );
        assert!(doc(&method.attrs).contains("goes with every attempt"));

        // Any other header is a plain parameter.
        let (method, call) = emit(2);
        assert!(!text(&method.block).contains("idempotency"));
        assert!(!doc(&method.attrs).contains("idempotency"));
        assert_eq!(methods(&call).len(), 1);
    }

    #[test]
    fn an_optional_json_body_is_an_option_sent_only_when_given() {
        let mut model = model(vec![problem()]);
        let mut op = new_operation("edit", "/zones", TypeRef::Unit);
        op.method = "PATCH".into();
        op.body = Some(Body {
            kind: BodyKind::Json(TypeRef::Named(TypeId(0))),
            required: false,
        });
        op.operation_id = "editZone".into();
        op.deprecated = true;
        model.operations.push(op);
        let (method, _) = emitted(&model);
        assert_eq!(
            text(&method.sig.inputs[1]),
            "body:Option<&crate::shared::Problem>"
        );
        let body = text(&method.block);
        assert!(body.contains(r#"self.inner.patch("/zones")"#), "{body}");
        assert!(
            body.contains("ifletSome(body)=body{call=call.json_body(body);}"),
            "{body}"
        );
        let attrs = attrs_text(&method.attrs);
        assert!(attrs.contains(r#"#[doc(alias="editZone")]"#), "{attrs}");
        assert!(attrs.contains("#[deprecated("), "{attrs}");
    }

    #[test]
    fn operations_hang_on_their_resource_or_the_client() {
        let mut model = model(Vec::new());
        model.resources = vec![
            Resource {
                method: String::new(),
                name: String::new(),
                parent: None,
                chain: Vec::new(),
                areas: vec![AreaId(0)],
            },
            Resource {
                method: "zones".into(),
                name: "Zones".into(),
                parent: Some(ResourceId(0)),
                chain: vec!["zones".into()],
                areas: vec![AreaId(0)],
            },
        ];
        let mut on_zones = new_operation("list", "/zones", TypeRef::String);
        on_zones.resource = ResourceId(1);
        model.operations = vec![new_operation("ping", "/ping", TypeRef::String), on_zones];
        let items = items(area_operations(&model, AreaId(0)));
        let owners: Vec<String> = impls(&items).into_iter().map(|(_, ty)| ty).collect();
        assert_eq!(owners, ["crate::Client", "crate::resources::Zones<'a>"]);
        // A resource holds the runtime client; the client its own.
        let list = text(&method(&items, "list").block);
        assert_eq!(list, r#"{self.0.get("/zones")}"#);
        let ping = text(&method(&items, "ping").block);
        assert_eq!(ping, r#"{self.inner.get("/ping")}"#);
        // A client built for envelopes starts plain JSON with the method
        // and decoder spelled out.
        model.envelope = true;
        let enveloped = crate::emit::test_model::items(area_operations(&model, AreaId(0)));
        let ping = text(&method(&enveloped, "ping").block);
        assert_eq!(
            ping,
            r#"{self.inner.call(::apigen_runtime::Method::GET,"/ping",::apigen_runtime::decode::json)}"#
        );
    }
}
