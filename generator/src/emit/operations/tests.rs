//! Unit tests of `operations`.

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
    let (method, call) = emitted(&list_zones(vec![
        query("name", TypeRef::String, Presence::Required),
        query("page", TypeRef::Integer(IntWidth::I64), Presence::Optional),
        // A setter cannot be called `send`: the call has one.
        query("send", TypeRef::Bool, Presence::Optional),
        query(
            "tags",
            TypeRef::Vec(Box::new(TypeRef::String)),
            Presence::Optional,
        ),
    ]));
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

/// Every method that builds or sends a call is `#[inline]`, so the crate
/// compiles none of the decoding it reaches (see ARCHITECTURE.md).
#[test]
fn every_method_and_setter_is_inline() {
    let (method, call) = emitted(&list_zones(vec![
        query("page", TypeRef::Integer(IntWidth::I64), Presence::Optional),
        query("name", TypeRef::String, Presence::Optional),
    ]));
    let inline = |attrs: &[syn::Attribute]| attrs.iter().any(|a| text(a) == "#[inline]");
    assert!(inline(&method.attrs), "the operation's method");
    let setters = methods(&call);
    assert_eq!(setters.len(), 2);
    for setter in setters {
        assert!(inline(&setter.attrs), "setter {}", setter.sig.ident);
    }
}

/// A model with one operation, `GET /zones`, whose parameters are `fields`
/// (the type `ListZones`).
fn list_zones(fields: Vec<ParamField>) -> Model {
    let params = new_type("ListZones", TypeKind::Params { fields }, ZONES);
    let mut model = model(vec![params]);
    let mut op = new_operation("list", "/zones", TypeRef::String);
    op.params = Some((TypeId(0), false));
    model.operations.push(op);
    model
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
