//! `pub mod resources` in `lib.rs`: an accessor struct per resource
//! (`client.zero_trust().gateway()`), and how a method is reached through
//! them, for docs and for the contract tests.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::doc::doc_attrs;
use crate::model::{Model, OperationDef, Resource, ResourceId};
use crate::naming;

/// `pub mod resources`: an accessor struct per resource, holding the client,
/// and the accessor methods that reach it from its parent. The operations
/// are `impl` blocks on these structs in the area modules; a struct is
/// compiled when one of the areas with an operation under it is.
pub(super) fn resources(model: &Model) -> TokenStream {
    let mut structs = Vec::new();
    // The accessors, one `impl` per parent and set of features.
    let mut getters: Vec<(GetterOwner, Vec<TokenStream>)> = Vec::new();
    for (index, resource) in model.resources.iter().enumerate().skip(1) {
        let (item, parent, features, getter) = accessor(model, ResourceId(index), resource);
        structs.push(item);
        let key = (parent, features);
        match getters.iter_mut().find(|(k, _)| *k == key) {
            Some((_, methods)) => methods.push(getter),
            None => getters.push((key, vec![getter])),
        }
    }
    let impls = getters.into_iter().map(|((parent, features), methods)| {
        let cfg = features_cfg(&features);
        match parent {
            Some(parent) => {
                let parent = naming::ident(&model.resources[parent.0].name);
                quote! {
                    #cfg
                    impl<'a> #parent<'a> {
                        #(#methods)*
                    }
                }
            }
            None => quote! {
                #cfg
                impl crate::Client {
                    #(#methods)*
                }
            },
        }
    });
    quote! {
        /// The resources of the API, each an accessor for the operations on
        /// one URL path (and the resources below it), reached from the
        /// [`crate::Client`].
        pub mod resources {
            #(#structs)*
            #(#impls)*
        }
    }
}

/// Where accessors go: their parent (`None`: the client) and the features
/// they are compiled with.
type GetterOwner<'m> = (Option<ResourceId>, Vec<&'m str>);

/// `#[cfg]` for code compiled when any of `features` is on.
fn features_cfg(features: &[&str]) -> TokenStream {
    match features {
        [feature] => quote!(#[cfg(feature = #feature)]),
        _ => quote!(#[cfg(any(#(feature = #features),*))]),
    }
}

/// One resource's accessor struct; its parent (`None`: the client itself),
/// the features it is compiled with, and the method on the parent that
/// gives it.
fn accessor<'m>(
    model: &'m Model,
    id: ResourceId,
    resource: &Resource,
) -> (TokenStream, Option<ResourceId>, Vec<&'m str>, TokenStream) {
    let name = naming::ident(&resource.name);
    let method = naming::ident(&resource.method);
    let features: Vec<&str> = resource
        .areas
        .iter()
        .map(|a| model.areas[a.0].feature.as_str())
        .collect();
    let cfg = features_cfg(&features);
    let reached = reached(model, id);
    let doc = doc_attrs(&resource_doc(model, id, &reached));
    let method_doc = format!(" `{reached}`.");
    let (parent, getter) = match resource.parent {
        Some(parent) if parent.0 != 0 => (
            Some(parent),
            quote! {
                #[doc = #method_doc]
                pub fn #method(&self) -> #name<'a> {
                    #name(self.0)
                }
            },
        ),
        _ => (
            None,
            quote! {
                #[doc = #method_doc]
                pub fn #method(&self) -> #name<'_> {
                    #name(&self.inner)
                }
            },
        ),
    };
    let item = quote! {
        #doc
        #cfg
        #[derive(Clone, Copy, Debug)]
        pub struct #name<'a>(pub(crate) &'a ::apigen_runtime::Client);
    };
    (item, parent, features, getter)
}

/// How a resource is reached, for docs: `client.zero_trust().gateway()`.
fn reached(model: &Model, id: ResourceId) -> String {
    let mut reached = String::from("client");
    for method in accessor_names(model, id).iter().rev() {
        reached.push_str(&format!(".{method}()"));
    }
    reached
}

/// The accessor methods from a resource up to the client (leaf first), as
/// written in text.
fn accessor_names(model: &Model, resource: ResourceId) -> Vec<&str> {
    let mut chain = Vec::new();
    let mut at = Some(resource);
    while let Some(id) = at.filter(|id| id.0 != 0 && id.0 < model.resources.len()) {
        chain.push(naming::unraw(&model.resources[id.0].method));
        at = model.resources[id.0].parent;
    }
    chain
}

/// A resource struct's docs: how it is reached, and the paths of its
/// operations.
fn resource_doc(model: &Model, id: ResourceId, reached: &str) -> Vec<String> {
    let mut paths: Vec<&str> = model
        .operations
        .iter()
        .filter(|op| op.resource == id)
        .map(|op| op.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let mut doc = vec![format!("`{reached}`: a resource of the API.")];
    if !paths.is_empty() {
        crate::docs::append_sentence(
            &mut doc,
            &format!(
                "Its operations are on {}.",
                paths
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    doc
}

/// How a method is reached, for docs: `client.zero_trust().gateway().get()`
/// (`link` gives an intra-doc link to the method).
pub(super) fn method_path(model: &Model, op: &OperationDef) -> (String, String) {
    let name = naming::unraw(&op.name);
    let mut shown = reached(model, op.resource);
    shown.push('.');
    shown.push_str(name);
    shown.push_str("(..)");
    let owner = if op.resource.0 == 0 || model.resources.is_empty() {
        "crate::Client".to_owned()
    } else {
        format!("crate::resources::{}", model.resources[op.resource.0].name)
    };
    (shown, format!("{owner}::{name}"))
}

/// The accessor methods that reach a resource from the client, root first.
pub fn accessor_chain(model: &Model, resource: ResourceId) -> Vec<Ident> {
    let mut chain = Vec::new();
    let mut at = Some(resource);
    while let Some(id) = at.filter(|id| id.0 != 0 && id.0 < model.resources.len()) {
        chain.push(naming::ident(&model.resources[id.0].method));
        at = model.resources[id.0].parent;
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_model::*;
    use crate::model::{AreaId, TypeRef};

    /// `client.zero_trust().gateway()`, with a `get` on the gateway.
    fn model_with_resources() -> Model {
        let mut model = model(Vec::new());
        let resource = |method: &str, name: &str, parent| Resource {
            method: method.into(),
            name: name.into(),
            parent,
            chain: Vec::new(),
            areas: vec![AreaId(0)],
        };
        model.resources = vec![
            resource("", "", None),
            resource("zero_trust", "ZeroTrust", Some(ResourceId(0))),
            resource("gateway", "ZeroTrustGateway", Some(ResourceId(1))),
        ];
        let mut get = new_operation("get", "/gateway", TypeRef::String);
        get.resource = ResourceId(2);
        model.operations.push(get);
        model
    }

    #[test]
    fn each_resource_is_a_struct_reached_from_its_parent() {
        let model = model_with_resources();
        let items = items(resources(&model));
        let syn::Item::Mod(module) = &items[0] else {
            panic!("pub mod resources")
        };
        let inner = &module.content.as_ref().expect("inline").1;
        let owners: Vec<(String, String)> = impls(inner);
        assert_eq!(
            owners,
            [
                (String::new(), "crate::Client".to_owned()),
                (String::new(), "ZeroTrust<'a>".to_owned()),
            ]
        );
        let gateway = item(inner, "ZeroTrustGateway");
        let syn::Item::Struct(gateway) = gateway else {
            unreachable!()
        };
        let doc = doc(&gateway.attrs);
        assert!(
            doc.contains("`client.zero_trust().gateway()`: a resource"),
            "{doc}"
        );
        assert!(doc.contains("Its operations are on `/gateway`."), "{doc}");
        assert!(attrs_text(&gateway.attrs).contains(r#"#[cfg(feature="zones")]"#));
    }

    #[test]
    fn a_method_is_shown_and_linked_through_its_accessors() {
        let model = model_with_resources();
        let (shown, link) = method_path(&model, &model.operations[0]);
        assert_eq!(shown, "client.zero_trust().gateway().get(..)");
        assert_eq!(link, "crate::resources::ZeroTrustGateway::get");
        let chain: Vec<String> = accessor_chain(&model, ResourceId(2))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(chain, ["zero_trust", "gateway"]);
    }
}
