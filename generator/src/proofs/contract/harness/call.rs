//! One call of the contract harness: its arguments, the client with the
//! credentials its operation asks for, and the attempt it records.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::super::Candidate;
use crate::emit::rust_type_from_root;
use crate::model::{BodyKind, Decode, Model, OperationDef, Presence, TypeKind, TypeRef};
use crate::naming::ident;

/// The clients the calls use, one per set of security schemes (`None`: every
/// scheme of the description), in order of first use.
#[derive(Default)]
pub(super) struct Clients {
    sets: Vec<Option<Vec<String>>>,
}

impl Clients {
    /// The client for `op`: credentials for its first requirement (the
    /// runtime sends the first one satisfied; none where it is empty,
    /// authentication being optional), or every scheme (calling every
    /// operation, or where the operation states no requirement).
    fn client(&mut self, op: &OperationDef, every: bool) -> Ident {
        let first = match &op.security {
            Some(requirements) if !every => Some(requirements.first().cloned().unwrap_or_default()),
            _ => None,
        };
        let index = match self.sets.iter().position(|set| *set == first) {
            Some(index) => index,
            None => {
                self.sets.push(first);
                self.sets.len() - 1
            }
        };
        ident(&format!("client_{index}"))
    }

    /// The description's schemes and a binding per client, from the
    /// description's `securitySchemes` (placeholder values:
    /// `apigen_runtime::proof::credentials`).
    pub(super) fn bindings(&self, model: &Model) -> TokenStream {
        use crate::spec::SecuritySchemeKind as K;
        let schemes = model.auth.iter().map(|scheme| {
            let kind = match &scheme.kind {
                K::Header(key) => quote!(SchemeKind::ApiKey(KeyLocation::Header, #key)),
                K::Query(key) => quote!(SchemeKind::ApiKey(KeyLocation::Query, #key)),
                K::Cookie(key) => quote!(SchemeKind::ApiKey(KeyLocation::Cookie, #key)),
                K::Bearer => quote!(SchemeKind::Bearer),
                K::Basic => quote!(SchemeKind::Basic),
                K::Http => quote!(SchemeKind::Http),
                K::OAuth2 => quote!(SchemeKind::OAuth2),
                K::OpenIdConnect => quote!(SchemeKind::OpenIdConnect),
            };
            let name = &scheme.wire;
            quote!(SecurityScheme::new(#name, #kind))
        });
        let clients = self.sets.iter().enumerate().map(|(index, set)| {
            let name = ident(&format!("client_{index}"));
            let names = match set {
                Some(names) => quote!(::std::option::Option::Some(&[#(#names),*])),
                None => quote!(::std::option::Option::None),
            };
            quote! {
                #[allow(unused_variables)]
                let #name = with(proof::credentials(schemes, #names));
            }
        });
        quote! {
            #[allow(unused_imports)]
            use ::apigen_runtime::{KeyLocation, SchemeKind, SecurityScheme};
            let schemes: &[SecurityScheme] = &[#(#schemes),*];
            let _ = (schemes, &with);
            #(#clients)*
        }
    }
}

/// A value decoded from JSON before the call: binding, type, JSON, what.
type Decoded = (Ident, TokenStream, String, String);

/// The literal arguments of the path parameters.
fn path_args(op: &OperationDef, values: &[String]) -> Vec<TokenStream> {
    let float = |value: &str| value.parse::<f64>().unwrap_or(1.0);
    op.path_params
        .iter()
        .zip(values)
        .map(|(param, value)| match param.ty {
            TypeRef::Integer(_) => {
                let n = Literal::i64_unsuffixed(value.parse().unwrap_or(1));
                quote!(#n)
            }
            TypeRef::Number => {
                let n = float(value);
                quote!(::apigen_runtime::Number::from(#n))
            }
            TypeRef::Float => {
                let n = float(value);
                quote!(#n)
            }
            TypeRef::Bool => {
                let b = value == "true";
                quote!(#b)
            }
            _ => quote!(#value),
        })
        .collect()
}

/// The arguments of the required query, header and cookie parameters:
/// numbers, booleans and strings as literals, anything else decoded from
/// JSON first (pushed onto `decodes`).
fn param_args(
    model: &Model,
    op: &OperationDef,
    values: &[Value],
    decodes: &mut Vec<Decoded>,
) -> Vec<TokenStream> {
    let required = op
        .params
        .and_then(|(id, _)| match &model.types[id.0].kind {
            TypeKind::Params { fields } => Some(fields),
            _ => None,
        })
        .into_iter()
        .flatten()
        .filter(|p| p.field.presence == Presence::Required);
    let mut args = Vec::new();
    for (index, (param, value)) in required.zip(values).enumerate() {
        args.push(match (&param.field.ty, value) {
            (TypeRef::Integer(_), Value::Number(n)) if n.is_i64() => {
                let n = Literal::i64_unsuffixed(n.as_i64().unwrap_or(1));
                quote!(#n)
            }
            (TypeRef::Number, Value::Number(n)) => {
                let n = n.as_f64().unwrap_or(1.0);
                quote!(::apigen_runtime::Number::from(#n))
            }
            (TypeRef::Float, Value::Number(n)) => {
                let n = n.as_f64().unwrap_or(1.0);
                quote!(#n)
            }
            (TypeRef::Bool, Value::Bool(b)) => quote!(#b),
            (TypeRef::String, Value::String(text)) => quote!(#text),
            (TypeRef::String, other) => {
                let text = other.to_string();
                quote!(#text)
            }
            (ty, value) => {
                let binding = ident(&format!("param_{index}"));
                let ty = rust_type_from_root(model, ty);
                let what = format!("the `{}` parameter", param.field.wire);
                decodes.push((binding.clone(), ty, value.to_string(), what));
                quote!(&#binding)
            }
        });
    }
    args
}

/// The body argument (none when the method takes no body), or `None` when
/// the call cannot be made (an optional body that is not JSON).
fn body_arg(model: &Model, candidate: &Candidate) -> Option<Option<TokenStream>> {
    let op = candidate.op;
    let required = op.body.as_ref().is_some_and(|b| b.required);
    Some(match (&candidate.body, op.body.as_ref().map(|b| &b.kind)) {
        (Some(_), _) if required => Some(quote!(&body)),
        (Some(_), _) => Some(quote!(::std::option::Option::Some(&body))),
        (None, Some(BodyKind::Json(TypeRef::Unit))) => {
            Some(quote!(::std::option::Option::None::<&()>))
        }
        (None, Some(BodyKind::Json(ty))) => {
            let ty = rust_type_from_root(model, ty);
            Some(quote!(::std::option::Option::None::<&#ty>))
        }
        (None, Some(_)) => return None,
        (None, None) => None,
    })
}

/// One attempt: decode its parameters and body, call, record the outcome.
pub(super) fn call(
    model: &Model,
    candidate: &Candidate,
    every: bool,
    clients: &mut Clients,
) -> Option<TokenStream> {
    let op = candidate.op;
    let chain = crate::emit::accessor_chain(model, op.resource);
    let method = ident(&op.name);
    let mut decodes = Vec::new();
    let mut args = path_args(op, &candidate.path_values);
    args.extend(param_args(model, op, &candidate.param_values, &mut decodes));
    args.extend(body_arg(model, candidate)?);
    let client = clients.client(op, every);
    let id = &op.operation_id;
    // Text and bytes have no types to check: the call succeeding is all.
    let (outcome, declared) = match op.response.decode {
        _ if every && !candidate.declared_errors.is_empty() => {
            let declared = &candidate.declared_errors;
            (quote!(outcome_declared), quote!(, &[#(#declared),*]))
        }
        Decode::Text | Decode::Bytes => (quote!(outcome_raw), quote!()),
        _ => (quote!(outcome), quote!()),
    };
    let described = match &candidate.body {
        None => quote!(::std::option::Option::None),
        Some(body) => {
            let Some(BodyKind::Json(body_ty)) = op.body.as_ref().map(|b| &b.kind) else {
                return None;
            };
            let ty = rust_type_from_root(model, body_ty);
            decodes.push((
                ident("body"),
                ty,
                body.json.clone(),
                "the request body".into(),
            ));
            let described = body.from_description;
            quote!(::std::option::Option::Some(#described))
        }
    };
    // Boxed: one future per call keeps the test's state machine small.
    let mut block = quote! {
        #[allow(deprecated)]
        let outcome = proof::#outcome(::std::boxed::Box::pin(#client #(.#chain())* .#method(#(#args),*).send()).await #declared);
        attempts.push(proof::Attempt::new(#id, #described, outcome));
    };
    // Each value decoded from JSON wraps the call: one that does not decode
    // is the attempt's failure.
    for (binding, ty, json, what) in decodes.into_iter().rev() {
        block = quote! {
            match proof::decoded::<#ty>(#json, #what) {
                ::std::result::Result::Ok(#binding) => {
                    #block
                }
                ::std::result::Result::Err(problem) => {
                    attempts.push(proof::Attempt::new(#id, #described, (::std::vec![problem], "-".into())));
                }
            }
        };
    }
    Some(quote! {
        {
            #block
        }
    })
}
