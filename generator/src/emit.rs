//! Stage 6: turn the [`Model`] into Rust syntax with `quote!`, one token
//! stream per file.
//!
//! **Invariant:** no Rust is built from strings here; identifiers go through
//! [`ident`], and every path into std, serde or the runtime is absolute
//! (`::std::option::Option`), so a spec type named `Option` cannot break the
//! generated code.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::*;
use crate::spec::Style;

/// One Rust source file of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum File {
    /// `lib.rs`: the client and the module list.
    Lib,
    /// A module of types (and, for an area, its operations).
    Module(Home),
}

/// The files of the crate, sorted by path.
pub fn files(model: &Model) -> Vec<(String, File)> {
    let mut files = vec![
        ("lib.rs".to_string(), File::Lib),
        ("shared.rs".to_string(), File::Module(Home::Shared)),
    ];
    for (index, area) in model.areas.iter().enumerate() {
        let name = format!("{}.rs", area.module.trim_start_matches("r#"));
        files.push((name, File::Module(Home::Area(AreaId(index)))));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// A rough size of a file (types and operations in it), to schedule the
/// largest first.
pub fn weight(model: &Model, file: File) -> usize {
    match file {
        File::Lib => 1,
        File::Module(home) => {
            model.types.iter().filter(|t| t.home == home).count()
                + model
                    .operations
                    .iter()
                    .filter(|o| Home::Area(o.area) == home)
                    .count()
        }
    }
}

/// The tokens of one file; `extra_lib` is appended to `lib.rs`.
pub fn emit(model: &Model, file: File, extra_lib: &TokenStream) -> TokenStream {
    let body = match file {
        File::Lib => {
            let lib = lib(model);
            quote!(#lib #extra_lib)
        }
        File::Module(home) => module(model, home),
    };
    // `prettyplease` formatted it: `cargo fmt` must not reformat it, or
    // `cargo xtask regen --check` would find it stale.
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #body
    }
}

/// An identifier; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Doc comment text: each line after a space, blank lines kept blank.
fn doc_text(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = doc_text(lines);
    quote!(#(#[doc = #lines])*)
}

fn inner_doc_attrs(lines: &[String]) -> TokenStream {
    let lines = doc_text(lines);
    quote!(#(#![doc = #lines])*)
}

/// `doc`, with a note when the spec marks the item deprecated.
fn with_deprecation(doc: &[String], deprecated: bool) -> Vec<String> {
    let mut lines = doc.to_vec();
    if deprecated {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push("**Deprecated** in the API description.".into());
    }
    lines
}

fn module_name(model: &Model, home: Home) -> Ident {
    match home {
        Home::Shared => format_ident!("shared"),
        Home::Area(area) => ident(&model.areas[area.0].module),
    }
}

/// The Rust integer type of a width.
fn integer(width: IntWidth) -> TokenStream {
    match width {
        IntWidth::I32 => quote!(i32),
        IntWidth::I64 => quote!(i64),
        IntWidth::U32 => quote!(u32),
        IntWidth::U64 => quote!(u64),
    }
}

/// The Rust type for a reference, as seen from module `from`.
fn rust_type(model: &Model, ty: &TypeRef, from: Home) -> TokenStream {
    match ty {
        TypeRef::Named(id) => named(model, *id, from),
        TypeRef::Boxed(id) => {
            let inner = named(model, *id, from);
            quote!(::std::boxed::Box<#inner>)
        }
        TypeRef::Bool => quote!(bool),
        TypeRef::Integer(width) => integer(*width),
        TypeRef::Number => quote!(::apigen_runtime::Number),
        TypeRef::Float => quote!(f64),
        TypeRef::String => quote!(::std::string::String),
        TypeRef::DateTime => quote!(::apigen_runtime::DateTime),
        TypeRef::Date => quote!(::apigen_runtime::Date),
        TypeRef::Bytes => quote!(::apigen_runtime::Bytes),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => {
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
        TypeRef::Vec(inner) => {
            let inner = rust_type(model, inner, from);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(model, inner, from);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(model, inner, from);
            quote!(::std::option::Option<#inner>)
        }
        TypeRef::Unit => quote!(()),
    }
}

/// The Rust type for a reference, as a path from the crate root.
pub fn rust_type_from_root(model: &Model, ty: &TypeRef) -> TokenStream {
    // No type lives in this area, so every path is qualified with `crate::`.
    rust_type(model, ty, Home::Area(AreaId(usize::MAX)))
}

fn named(model: &Model, id: TypeId, from: Home) -> TokenStream {
    let def = &model.types[id.0];
    let name = ident(&def.name);
    if def.home == from {
        quote!(#name)
    } else {
        let module = module_name(model, def.home);
        quote!(crate::#module::#name)
    }
}

fn lib(model: &Model) -> TokenStream {
    let mut doc = vec![
        format!("# {} {}", model.title, model.version),
        String::new(),
    ];
    if let Some(description) = &model.description {
        doc.extend(crate::docs::sanitize(description));
        doc.push(String::new());
    }
    doc.push("Generated by apigen; do not edit by hand.".into());
    doc.push(String::new());
    doc.push("Each API area is a module and a cargo feature (all on by default):".into());
    doc.push(String::new());
    for area in &model.areas {
        doc.push(format!(
            "- `{}`: [`{}`], {}",
            area.feature,
            area.module.trim_start_matches("r#"),
            crate::docs::sanitize(&area.title).join(" ")
        ));
    }
    doc.push(String::new());
    doc.push(
        "Operations are grouped by resource, as the URL paths group them: \
         `client.zero_trust().gateway().configuration().get(account_id)`. \
         Each method's docs name its `operationId`, which the search finds too."
            .into(),
    );
    let doc = inner_doc_attrs(&doc);
    let resources = resources(model);
    let auth = auth(model);
    let server = model.server.as_ref().map(|server| {
        let url = &server.url;
        let variables = server
            .variables
            .iter()
            .map(|(name, default, _)| quote!((#name, #default)));
        quote!(.server(::apigen_runtime::Server { url: #url, variables: &[#(#variables),*] }))
    });
    let base_url_var = format!("{}_BASE_URL", model.env_prefix);
    let mut from_env_doc = vec![
        "A client configured from the environment:".to_owned(),
        String::new(),
    ];
    for scheme in &model.auth {
        let var = env_var(model, scheme);
        from_env_doc.push(if scheme.kind == crate::spec::SecuritySchemeKind::Basic {
            format!("- `{var}_USERNAME` and `{var}_PASSWORD`: `{}`", scheme.wire)
        } else {
            format!("- `{var}`: `{}`", scheme.wire)
        });
    }
    from_env_doc.push(format!("- `{base_url_var}`: the base URL"));
    if let Some(server) = &model.server {
        from_env_doc.push(String::new());
        from_env_doc.push(format!("The base URL is `{}` otherwise.", server.url));
    }
    let from_env_doc = from_env_doc.join("\n");
    let modules = model.areas.iter().map(|area| {
        let module = ident(&area.module);
        let feature = &area.feature;
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
        }
    });
    quote! {
        #doc

        pub use ::apigen_runtime::{
            self as runtime, ApiError, ApiResponse, Call, DecodeError, Error, Message, Number,
            ResultInfo,
        };

        /// Types used by more than one API area.
        pub mod shared;
        #(#modules)*

        #resources

        #auth

        /// Configures a [`Client`]: base URL or server variables, credentials,
        /// timeouts, retries. [`Client::builder`] starts one with the
        /// description's server and environment variables.
        pub type ClientBuilder = ::apigen_runtime::ClientBuilder<Client>;

        /// A client for this API: cheap to clone, safe to share between tasks.
        ///
        /// Operations are grouped by resource, as the URL paths group them:
        /// `client.<resource>().<resource>().<get|list|create|update|edit|delete>(..)`
        /// (see [`resources`]). Each returns a call: set its optional parameters,
        /// then `.await` it for the `result`, or call `.send()` for the whole
        /// [`ApiResponse`] (status, headers, messages, `result_info`).
        /// For an endpoint this crate does not have yet, use [`Client::runtime`]
        /// and its `call` method (with [`runtime::Method`] and [`runtime::decode`]).
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: ::apigen_runtime::Client,
        }

        impl Client {
            /// A client with these credentials and the default settings.
            pub fn new(credentials: Credentials) -> ::std::result::Result<Self, Error> {
                Self::builder().credentials(credentials).build()
            }

            #[doc = #from_env_doc]
            pub fn from_env() -> ::std::result::Result<Self, Error> {
                Self::builder().from_env().build()
            }

            /// A builder for a client with other settings (base URL, server
            /// variables, timeouts, retries); `build()` gives the client.
            pub fn builder() -> ClientBuilder {
                ::apigen_runtime::ClientBuilder::new() #server .env_vars(ENV_VARS)
            }

            /// The runtime client behind this one: the escape hatch for calling
            /// endpoints this crate does not describe, with the same auth,
            /// retries and envelope handling.
            pub fn runtime(&self) -> &::apigen_runtime::Client {
                &self.inner
            }
        }

        impl ::std::convert::From<::apigen_runtime::Client> for Client {
            fn from(inner: ::apigen_runtime::Client) -> Self {
                Client { inner }
            }
        }
    }
}

/// `pub mod resources`: an accessor struct per resource, holding the client,
/// and the accessor methods that reach it from its parent. The operations
/// are `impl` blocks on these structs in the area modules; a struct is
/// compiled when one of the areas with an operation under it is.
fn resources(model: &Model) -> TokenStream {
    let mut items = Vec::new();
    for (index, resource) in model.resources.iter().enumerate().skip(1) {
        let name = ident(&resource.name);
        let method = ident(&resource.method);
        let features: Vec<&String> = resource
            .areas
            .iter()
            .map(|a| &model.areas[a.0].feature)
            .collect();
        let cfg = match features.as_slice() {
            [feature] => quote!(#[cfg(feature = #feature)]),
            _ => quote!(#[cfg(any(#(feature = #features),*))]),
        };
        let mut reached = String::from("client");
        let mut at = Some(ResourceId(index));
        let mut chain = Vec::new();
        while let Some(id) = at.filter(|id| id.0 != 0) {
            chain.push(model.resources[id.0].method.trim_start_matches("r#"));
            at = model.resources[id.0].parent;
        }
        for method in chain.iter().rev() {
            reached.push_str(&format!(".{method}()"));
        }
        let mut paths: Vec<&str> = model
            .operations
            .iter()
            .filter(|op| op.resource.0 == index)
            .map(|op| op.path.as_str())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let mut doc = vec![format!("`{reached}`: a resource of the API.")];
        if !paths.is_empty() {
            doc.push(String::new());
            doc.push(format!(
                "Its operations are on {}.",
                paths
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let doc = doc_attrs(&doc);
        let method_doc = format!(" `{reached}`.");
        items.push(quote! {
            #doc
            #cfg
            #[derive(Clone, Copy, Debug)]
            pub struct #name<'a> {
                pub(crate) client: &'a crate::Client,
            }
        });
        items.push(match resource.parent {
            Some(parent) if parent.0 != 0 => {
                let parent = ident(&model.resources[parent.0].name);
                quote! {
                    #cfg
                    impl<'a> #parent<'a> {
                        #[doc = #method_doc]
                        pub fn #method(&self) -> #name<'a> {
                            #name { client: self.client }
                        }
                    }
                }
            }
            _ => quote! {
                #cfg
                impl crate::Client {
                    #[doc = #method_doc]
                    pub fn #method(&self) -> #name<'_> {
                        #name { client: self }
                    }
                }
            },
        });
    }
    quote! {
        /// The resources of the API, each an accessor for the operations on
        /// one URL path (and the resources below it), reached from the
        /// [`crate::Client`].
        pub mod resources {
            #(#items)*
        }
    }
}

/// The environment variable that holds a scheme's credential.
fn env_var(model: &Model, scheme: &AuthScheme) -> String {
    scheme
        .env
        .clone()
        .unwrap_or_else(|| crate::naming::env_var(&model.env_prefix, &scheme.wire))
}

/// `Credentials`, with a constructor per security scheme, and the
/// environment variables `Client::from_env` reads.
fn auth(model: &Model) -> TokenStream {
    use crate::spec::SecuritySchemeKind as K;
    let mut consts = Vec::new();
    let mut methods = Vec::new();
    let mut env = Vec::new();
    for scheme in &model.auth {
        let wire = &scheme.wire;
        let constant = format_ident!("{}", scheme.method.trim_start_matches("r#").to_uppercase());
        let kind = match &scheme.kind {
            K::Header(name) => quote!(ApiKey(::apigen_runtime::KeyLocation::Header, #name)),
            K::Query(name) => quote!(ApiKey(::apigen_runtime::KeyLocation::Query, #name)),
            K::Cookie(name) => quote!(ApiKey(::apigen_runtime::KeyLocation::Cookie, #name)),
            K::Bearer => quote!(Bearer),
            K::Basic => quote!(Basic),
            K::Http => quote!(Http),
            K::OAuth2 => quote!(OAuth2),
            K::OpenIdConnect => quote!(OpenIdConnect),
        };
        let how = match &scheme.kind {
            K::Header(name) => format!("an API key sent in the `{name}` header"),
            K::Query(name) => format!("an API key sent in the `{name}` query parameter"),
            K::Cookie(name) => format!("an API key sent in the `{name}` cookie"),
            K::Bearer => "a bearer token (`Authorization: Bearer ...`)".to_owned(),
            K::Basic => "HTTP basic authentication".to_owned(),
            K::Http => "the whole `Authorization` header value".to_owned(),
            K::OAuth2 => {
                "an OAuth2 access token the program obtains, sent as a bearer token".to_owned()
            }
            K::OpenIdConnect => {
                "an OpenID Connect token the program obtains, sent as a bearer token".to_owned()
            }
        };
        let mut doc = vec![format!("`{wire}`: {how}.")];
        if !scheme.doc.is_empty() {
            doc.push(String::new());
            doc.extend(scheme.doc.iter().cloned());
        }
        let variable = env_var(model, scheme);
        let const_doc = doc_attrs(&doc);
        consts.push(quote! {
            #const_doc
            pub const #constant: ::apigen_runtime::SecurityScheme =
                ::apigen_runtime::SecurityScheme::new(#wire, ::apigen_runtime::SchemeKind::#kind);
        });
        env.push(quote!((Credentials::#constant, #variable)));
        let method = ident(&scheme.method);
        let with = format_ident!("with_{}", scheme.method.trim_start_matches("r#"));
        let method_doc = doc_attrs(&[format!(
            "Credentials with {how} (scheme `{wire}`; `Client::from_env` reads `{variable}`)."
        )]);
        let with_doc = doc_attrs(&[format!("Adds {how} (scheme `{wire}`).")]);
        if scheme.kind == K::Basic {
            methods.push(quote! {
                #method_doc
                pub fn #method(
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    Self::new().#with(username, password)
                }

                #with_doc
                pub fn #with(
                    self,
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    Credentials(self.0.with_basic(Self::#constant, username.into(), password.into()))
                }
            });
            continue;
        }
        methods.push(quote! {
            #method_doc
            pub fn #method(value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self::new().#with(value)
            }

            #with_doc
            pub fn #with(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                Credentials(self.0.with(Self::#constant, value.into()))
            }
        });
        if matches!(scheme.kind, K::Bearer | K::OAuth2 | K::OpenIdConnect) {
            let provider = format_ident!("{}_provider", scheme.method.trim_start_matches("r#"));
            let with_provider =
                format_ident!("with_{}_provider", scheme.method.trim_start_matches("r#"));
            let provider_doc = doc_attrs(&[format!(
                "Credentials whose `{wire}` tokens come from `provider`, asked before each call and again after a `401` (see [`runtime::TokenProvider`])."
            )]);
            let with_provider_doc = doc_attrs(&[format!(
                "Has `provider` supply the `{wire}` tokens (see [`runtime::TokenProvider`])."
            )]);
            methods.push(quote! {
                #provider_doc
                pub fn #provider(provider: impl ::apigen_runtime::TokenProvider) -> Self {
                    Self::new().#with_provider(provider)
                }

                #with_provider_doc
                pub fn #with_provider(self, provider: impl ::apigen_runtime::TokenProvider) -> Self {
                    Credentials(self.0.with_token_provider(Self::#constant, provider))
                }
            });
        }
    }
    let base_url_var = format!("{}_BASE_URL", model.env_prefix);
    quote! {
        /// Credentials for this API: a value for each of the description's
        /// security schemes the program uses. Which of them go on a request
        /// follows the operation's security requirements; `Debug` never shows
        /// a secret.
        #[derive(Clone, Debug, Default)]
        pub struct Credentials(::apigen_runtime::Credentials);

        impl Credentials {
            #(#consts)*

            /// No credentials.
            pub fn new() -> Self {
                Self::default()
            }

            #(#methods)*
        }

        impl ::std::convert::From<Credentials> for ::apigen_runtime::Credentials {
            fn from(credentials: Credentials) -> Self {
                credentials.0
            }
        }

        /// The environment variables `Client::from_env` reads.
        const ENV_VARS: ::apigen_runtime::EnvVars = ::apigen_runtime::EnvVars {
            base_url: #base_url_var,
            schemes: &[#(#env),*],
        };
    }
}

fn module(model: &Model, home: Home) -> TokenStream {
    let doc = match home {
        Home::Shared => Vec::new(),
        Home::Area(area) => {
            let area = &model.areas[area.0];
            let mut doc = crate::docs::sanitize(&area.title);
            if let Some(description) = &area.description {
                doc.push(String::new());
                doc.extend(crate::docs::sanitize(description));
            }
            doc
        }
    };
    let doc = inner_doc_attrs(&doc);
    // A `Params` type is not a struct of its own: the call type of its
    // operation (made with the operation) holds the optional parameters.
    let types = model
        .types
        .iter()
        .filter(|t| t.home == home && !matches!(t.kind, TypeKind::Params { .. }))
        .map(|t| {
            let def = type_def(model, t, home);
            let unknown = unknown_impl(model, t);
            quote!(#def #unknown)
        });
    let operations = match home {
        Home::Shared => quote!(),
        Home::Area(area) => accessor(model, area),
    };
    quote! {
        #doc
        #(#types)*
        #operations
    }
}

fn type_def(model: &Model, def: &TypeDef, home: Home) -> TokenStream {
    let lines = with_deprecation(&def.doc, def.deprecated);
    let doc = doc_attrs(&lines);
    let name = ident(&def.name);
    // A shared type is compiled when any area that uses it is.
    let cfg = type_cfg(model, def);
    match &def.kind {
        TypeKind::Struct { fields, extra } => {
            let all_optional = fields
                .iter()
                .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
            let default = if all_optional {
                quote!(Default,)
            } else {
                quote!()
            };
            let constructor = constructor(model, def, home);
            let field_tokens = fields.iter().map(|f| field(model, f, home));
            let extra_ty = extra_type(model, extra, home);
            // Request types never send a read-only property, even from `extra`.
            let (extra_attr, extra_doc, skip) = if def.read_only.is_empty() {
                (quote!(#[serde(flatten)]), quote!(), quote!())
            } else {
                let path = format!("{}::serialize_extra", def.name);
                let wires = &def.read_only;
                let list = def
                    .read_only
                    .iter()
                    .map(|w| format!("`{}`", w.replace('`', "'")))
                    .collect::<Vec<_>>()
                    .join(", ");
                let note = format!(" Read-only properties ({list}) are never sent from it.");
                (
                    quote!(#[serde(flatten, serialize_with = #path)]),
                    quote!(#[doc = ""] #[doc = #note]),
                    quote! {
                        #cfg
                        impl #name {
                            /// Serializes `extra` without the read-only properties.
                            fn serialize_extra<S: ::serde::Serializer>(
                                extra: &#extra_ty,
                                serializer: S,
                            ) -> ::std::result::Result<S::Ok, S::Error> {
                                ::apigen_runtime::serialize_without(extra, &[#(#wires),*], serializer)
                            }
                        }
                    },
                )
            };
            let conversions = requests(model, def, home);
            quote! {
                #doc
                #cfg
                #[derive(Clone, Debug, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name {
                    #(#field_tokens)*
                    /// Properties the API description does not list: kept, and sent
                    /// back, so that nothing the server sends is lost.
                    #extra_doc
                    #extra_attr
                    pub extra: #extra_ty,
                }
                #constructor
                #skip
                #conversions
            }
        }
        TypeKind::Enum { variants } => {
            let variants_tokens = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let wire = &v.wire;
                let text = format!(" `{}`", v.wire.replace('`', "'"));
                quote! {
                    #[doc = #text]
                    #[serde(rename = #wire)]
                    #variant,
                }
            });
            let mut unknown_names = crate::naming::Namespace::new();
            for v in variants {
                unknown_names.reserve(&v.name);
            }
            let unknown = ident(&unknown_names.claim("Unknown").0);
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let wire = &v.wire;
                quote!(Self::#variant => #wire,)
            });
            quote! {
                #doc
                #cfg
                #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
                pub enum #name {
                    #(#variants_tokens)*
                    /// A value this version of the client does not know.
                    #[serde(untagged)]
                    #unknown(::std::string::String),
                }

                #cfg
                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#arms)*
                            Self::#unknown(value) => value,
                        }
                    }
                }
            }
        }
        TypeKind::Union { variants, tag } => {
            let variant_tokens = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let ty = rust_type(model, &v.ty, home);
                let allow = allow_complex(levels(&v.ty), &[&ty]);
                quote!(#allow #variant(#ty),)
            });
            let large = allow_large_variant(model, variants);
            let from_variants = union_from_variants(model, def, variants, home);
            let conversions = requests(model, def, home);
            let definition = match tag {
                None => quote! {
                    #doc
                    #cfg
                    #large
                    #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                    #[serde(untagged)]
                    pub enum #name {
                        #(#variant_tokens)*
                    }
                },
                Some(tag) => {
                    let arms = variants.iter().filter(|v| !v.tag_values.is_empty()).map(|v| {
                        let variant = ident(&v.name);
                        let values = &v.tag_values;
                        quote! {
                            ::std::option::Option::Some(#(#values)|*) => ::serde_json::from_value(value)
                                .map(Self::#variant)
                                .map_err(::serde::de::Error::custom),
                        }
                    });
                    let fallback = variants
                        .iter()
                        .find(|v| v.tag_values.is_empty() && v.ty == TypeRef::Json)
                        .map(|v| ident(&v.name));
                    let fallback = match fallback {
                        Some(variant) => {
                            quote!(_ => ::std::result::Result::Ok(Self::#variant(value)),)
                        }
                        None => {
                            quote!(_ => ::std::result::Result::Err(::serde::de::Error::custom("unknown tag")),)
                        }
                    };
                    quote! {
                        #doc
                        #cfg
                        #large
                        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
                        #[serde(untagged)]
                        pub enum #name {
                            #(#variant_tokens)*
                        }

                        #cfg
                        impl<'de> ::serde::Deserialize<'de> for #name {
                            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                            where
                                D: ::serde::Deserializer<'de>,
                            {
                                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                                let tag = value
                                    .get(#tag)
                                    .and_then(::serde_json::Value::as_str)
                                    .map(::std::string::ToString::to_string);
                                match tag.as_deref() {
                                    #(#arms)*
                                    #fallback
                                }
                            }
                        }
                    }
                }
            };
            quote! {
                #definition
                #from_variants
                #conversions
            }
        }
        TypeKind::Params { fields } => {
            let all_optional = fields
                .iter()
                .all(|f| f.field.presence == Presence::Optional);
            let default = if all_optional {
                quote!(Default,)
            } else {
                quote!()
            };
            let fields = fields.iter().map(|p| {
                let doc = doc_attrs(&p.field.doc);
                let name = ident(&p.field.name);
                let inner = rust_type(model, &p.field.ty, home);
                let ty = match p.field.presence {
                    Presence::Required => inner,
                    _ => quote!(::std::option::Option<#inner>),
                };
                let allow = allow_complex(levels(&p.field.ty) + 1, &[&ty]);
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
    }
}

/// `#[cfg(..)]` for an item that exists only where type `def` does: the
/// features of a shared type's areas (an area's own module is gated already).
fn type_cfg(model: &Model, def: &TypeDef) -> TokenStream {
    match def.home {
        Home::Shared => {
            let features = def.used_by.iter().map(|a| &model.areas[a.0].feature);
            quote!(#[cfg(any(#(feature = #features),*))])
        }
        Home::Area(_) => quote!(),
    }
}

/// `#[cfg(..)]` for an item in `home` that needs type `other` too.
fn cfg_for_other(model: &Model, other: &TypeDef, home: Home) -> TokenStream {
    // Two shared types can be compiled under different features: the
    // impl needs both.
    if other.home == home && home != Home::Shared {
        return quote!();
    }
    match other.home {
        Home::Shared => type_cfg(model, other),
        Home::Area(area) => {
            let feature = &model.areas[area.0].feature;
            quote!(#[cfg(feature = #feature)])
        }
    }
}

/// The type of a struct's `extra` map.
fn extra_type(model: &Model, extra: &TypeRef, home: Home) -> TokenStream {
    match extra {
        TypeRef::Json => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        other => {
            let value = rust_type(model, other, home);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
    }
}

/// `new(required, ..)` for a struct (or parameters struct) with required
/// fields: arguments in field order, strings and named types taken as
/// `impl Into<..>`; optional fields `None`, `extra` empty.
fn constructor(model: &Model, def: &TypeDef, home: Home) -> TokenStream {
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
        let name = ident(&f.name);
        if !required(f) {
            inits.push(quote!(#name: ::std::option::Option::None,));
            continue;
        }
        let inner = rust_type(model, &f.ty, home);
        if f.presence == Presence::RequiredNullable {
            args.push(quote!(#name: ::std::option::Option<#inner>));
            inits.push(quote!(#name,));
            continue;
        }
        match &f.ty {
            TypeRef::String
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Bytes
            | TypeRef::Number
            | TypeRef::Json
            | TypeRef::Named(_) => {
                args.push(quote!(#name: impl ::std::convert::Into<#inner>));
                inits.push(quote!(#name: #name.into(),));
            }
            TypeRef::Boxed(id) => {
                let target = named(model, *id, home);
                args.push(quote!(#name: impl ::std::convert::Into<#target>));
                inits.push(quote!(#name: ::std::boxed::Box::new(#name.into()),));
            }
            _ => {
                args.push(quote!(#name: #inner));
                inits.push(quote!(#name,));
            }
        }
    }
    if has_extra {
        inits.push(quote!(extra: ::std::default::Default::default(),));
    }
    let allow = if args.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let name = ident(&def.name);
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
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits)*
                }
            }
        }
    }
}

/// `From<Payload>` for each branch of a union whose payload type no other
/// branch has (raw JSON branches excepted: a value a typed branch would
/// take should not become `Unknown`).
fn union_from_variants(
    model: &Model,
    def: &TypeDef,
    variants: &[UnionVariant],
    home: Home,
) -> TokenStream {
    let source = |ty: &TypeRef| match ty {
        TypeRef::Boxed(id) => TypeRef::Named(*id),
        other => other.clone(),
    };
    let name = ident(&def.name);
    let cfg = type_cfg(model, def);
    let impls = variants.iter().filter_map(|v| {
        let payload = source(&v.ty);
        let unique = variants.iter().filter(|o| source(&o.ty) == payload).count() == 1;
        let own = matches!(payload, TypeRef::Named(id) if model.types[id.0].name == def.name);
        if !unique || own || matches!(payload, TypeRef::Json) {
            return None;
        }
        let variant = ident(&v.name);
        let ty = rust_type(model, &payload, home);
        let value = match v.ty {
            TypeRef::Boxed(_) => quote!(::std::boxed::Box::new(value)),
            _ => quote!(value),
        };
        Some(quote! {
            #cfg
            impl ::std::convert::From<#ty> for #name {
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
}

/// The conversion from `from` to `to` (which `lower::converts` accepted).
fn conv(model: &Model, from: &TypeRef, to: &TypeRef, home: Home) -> Option<Conv> {
    if from == to {
        return Some(Conv::Clone);
    }
    Some(match (from, to) {
        (TypeRef::Named(a), TypeRef::Named(b)) if model.types[a.0].requests.contains(b) => {
            let (a, b) = (named(model, *a, home), named(model, *b, home));
            Conv::From(quote!(<#b as ::std::convert::From<&#a>>::from))
        }
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
            quote!(::std::clone::Clone::clone(#value))
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
            quote!(#value.iter().map(|(key, item)| (::std::clone::Clone::clone(key), #item)).collect())
        }
        Conv::Option(inner) => {
            let (f, value) = (as_fn(inner), value.receiver());
            quote!(#value.as_ref().map(#f))
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
fn requests(model: &Model, def: &TypeDef, home: Home) -> TokenStream {
    let name = ident(&def.name);
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
            ) => {
                let mut inits = Vec::new();
                for target_field in to_fields {
                    let source = fields.iter().find(|f| f.wire == target_field.wire)?;
                    let (from_ty, to_ty) = match source.presence {
                        Presence::Required => (source.ty.clone(), target_field.ty.clone()),
                        Presence::RequiredNullable | Presence::Optional => (
                            TypeRef::Option(Box::new(source.ty.clone())),
                            TypeRef::Option(Box::new(target_field.ty.clone())),
                        ),
                        Presence::OptionalNullable => (
                            TypeRef::Option(Box::new(TypeRef::Option(Box::new(source.ty.clone())))),
                            TypeRef::Option(Box::new(TypeRef::Option(Box::new(
                                target_field.ty.clone(),
                            )))),
                        ),
                    };
                    let field = ident(&target_field.name);
                    let from_field = ident(&source.name);
                    let value = apply(&conv(model, &from_ty, &to_ty, home)?, Value::Place(quote!(value.#from_field)));
                    inits.push(quote!(#field: #value,));
                }
                let item = apply(&conv(model, extra, to_extra, home)?, Value::Ref(quote!(item)));
                let read_only = &target.read_only;
                let keep = if read_only.is_empty() {
                    quote!()
                } else {
                    quote!(.filter(|(key, _)| ![#(#read_only),*].contains(&key.as_str())))
                };
                quote! {
                    Self {
                        #(#inits)*
                        extra: value
                            .extra
                            .iter()
                            #keep
                            .map(|(key, item)| (::std::clone::Clone::clone(key), #item))
                            .collect(),
                    }
                }
            }
            (TypeKind::Union { variants, .. }, TypeKind::Union { variants: to_variants, .. }) => {
                let mut arms = Vec::new();
                for source in variants {
                    let target_variant = to_variants.iter().find(|v| v.name == source.name)?;
                    let variant = ident(&source.name);
                    let value = apply(
                        &conv(model, &source.ty, &target_variant.ty, home)?,
                        Value::Ref(quote!(item)),
                    );
                    arms.push(quote!(#name::#variant(item) => Self::#variant(#value),));
                }
                quote! {
                    match value {
                        #(#arms)*
                    }
                }
            }
            _ => return None,
        };
        let other_cfg = cfg_for_other(model, target, home);
        let doc = format!(
            " The request-side value of a `{}`: read-only properties are left out, unknown ones kept.",
            def.name.trim_start_matches("r#")
        );
        Some(quote! {
            #cfg
            #other_cfg
            impl ::std::convert::From<&#name> for #to {
                #[doc = #doc]
                fn from(value: &#name) -> Self {
                    #body
                }
            }
        })
    });
    quote!(#(#impls)*)
}

/// The `apigen_runtime::Unknown` impl of a struct, enum or union: the JSON
/// pointers of what went to its `extra` map or `Unknown` variant.
fn unknown_impl(model: &Model, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let cfg = type_cfg(model, def);
    let body = match &def.kind {
        TypeKind::Struct { fields, extra } => {
            // One line a field: the whole Cloudflare crate has thousands.
            let fields = fields.iter().map(|f| {
                let field = ident(&f.name);
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
        TypeKind::Enum { variants } => {
            let mut names = crate::naming::Namespace::new();
            for v in variants {
                names.reserve(&v.name);
            }
            let unknown = ident(&names.claim("Unknown").0);
            quote! {
                if let Self::#unknown(_) = self {
                    out.push(::std::string::ToString::to_string(at));
                }
            }
        }
        TypeKind::Union { variants, .. } => {
            let last = variants.len().saturating_sub(1);
            let arms = variants.iter().enumerate().map(|(index, v)| {
                let variant = ident(&v.name);
                // The catch-all the lowering adds: raw JSON no branch took.
                let fallback = index == last
                    && v.ty == TypeRef::Json
                    && v.tag_values.is_empty()
                    && v.name.starts_with("Unknown");
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

fn field(model: &Model, f: &Field, home: Home) -> TokenStream {
    let lines = with_deprecation(&f.doc, f.deprecated);
    let doc = doc_attrs(&lines);
    let name = ident(&f.name);
    let inner = rust_type(model, &f.ty, home);
    let rename = (f.name.trim_start_matches("r#") != f.wire).then(|| {
        let wire = &f.wire;
        quote!(rename = #wire,)
    });
    let (ty, attrs) = match f.presence {
        Presence::Required | Presence::RequiredNullable => {
            let ty = if f.presence == Presence::RequiredNullable {
                quote!(::std::option::Option<#inner>)
            } else {
                inner
            };
            (ty, rename.map(|r| quote!(#[serde(#r)])))
        }
        Presence::Optional => (
            quote!(::std::option::Option<#inner>),
            Some(
                quote!(#[serde(#rename default, skip_serializing_if = "::std::option::Option::is_none")]),
            ),
        ),
        Presence::OptionalNullable => (
            quote!(::std::option::Option<::std::option::Option<#inner>>),
            Some(quote!(#[serde(
                #rename
                default,
                skip_serializing_if = "::std::option::Option::is_none",
                with = "::apigen_runtime::double_option"
            )])),
        ),
    };
    let allow = allow_complex(levels(&f.ty) + 2, &[&ty]);
    quote! {
        #doc
        #allow
        #attrs
        pub #name: #ty,
    }
}

/// The operations of one area: `impl` blocks on the resource accessors
/// (`crate::resources`) or on `Client` itself, and the call types of the
/// operations that have optional parameters.
fn accessor(model: &Model, area_id: AreaId) -> TokenStream {
    let home = Home::Area(area_id);
    let mut by_resource: std::collections::BTreeMap<ResourceId, Vec<&OperationDef>> =
        std::collections::BTreeMap::new();
    for op in model.operations.iter().filter(|op| op.area == area_id) {
        by_resource.entry(op.resource).or_default().push(op);
    }
    let mut items = Vec::new();
    let mut calls = Vec::new();
    for (resource, ops) in by_resource {
        let (methods, call_types): (Vec<_>, Vec<_>) =
            ops.iter().map(|op| operation(model, op, home)).unzip();
        calls.extend(call_types);
        if resource.0 == 0 || model.resources.is_empty() {
            items.push(quote! {
                impl crate::Client {
                    #(#methods)*
                }
            });
        } else {
            let name = ident(&model.resources[resource.0].name);
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

/// How a method is reached, for docs: `client.zero_trust().gateway().get()`
/// (`link` gives an intra-doc link to the method).
fn method_path(model: &Model, op: &OperationDef) -> (String, String) {
    let mut chain = Vec::new();
    let mut at = Some(op.resource);
    while let Some(id) = at.filter(|id| id.0 != 0 && id.0 < model.resources.len()) {
        chain.push(model.resources[id.0].method.trim_start_matches("r#"));
        at = model.resources[id.0].parent;
    }
    let mut shown = "client".to_owned();
    for method in chain.iter().rev() {
        shown.push('.');
        shown.push_str(method);
        shown.push_str("()");
    }
    let name = op.name.trim_start_matches("r#");
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
        chain.push(ident(&model.resources[id.0].method));
        at = model.resources[id.0].parent;
    }
    chain.reverse();
    chain
}

/// The text of `#[deprecated(note = ..)]`: the first line of the docs.
fn deprecation_note(doc: &[String]) -> String {
    let first = doc.iter().find(|l| !l.is_empty()).cloned();
    match first {
        Some(line) => format!("deprecated in the API description: {line}"),
        None => "deprecated in the API description".to_owned(),
    }
}

/// A `#[doc(alias)]` rustdoc accepts: not the item's name, no quotes or
/// line breaks, no space at either end.
fn doc_alias(alias: &str, name: &str) -> Option<TokenStream> {
    let ok = !alias.is_empty()
        && alias != name.trim_start_matches("r#")
        && alias.trim() == alias
        && !alias.contains(['"', '\'', '\n', '\r', '\t', '\\']);
    ok.then(|| quote!(#[doc(alias = #alias)]))
}

/// `form`, exploded: OpenAPI's default for query parameters.
const FORM_EXPLODED: ParamStyle = ParamStyle {
    style: Style::Form,
    explode: true,
    allow_reserved: false,
};

/// `::apigen_runtime::ParamStyle::new(Style::X, explode)`.
fn param_style(style: ParamStyle) -> TokenStream {
    let name = ident(match style.style {
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
        TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) => true,
        TypeRef::Option(inner) => object_like(model, inner),
        _ => false,
    }
}

/// The Rust type of a required parameter passed as an argument: numbers and
/// booleans by value, strings as `&str`, anything else by reference.
fn argument_type(model: &Model, ty: &TypeRef, home: Home) -> (TokenStream, bool) {
    match ty {
        TypeRef::Integer(width) => (integer(*width), true),
        TypeRef::Number => (quote!(::apigen_runtime::Number), true),
        TypeRef::Float => (quote!(f64), true),
        TypeRef::Bool => (quote!(bool), true),
        TypeRef::String => (quote!(&str), false),
        other => {
            let ty = rust_type(model, other, home);
            (quote!(&#ty), false)
        }
    }
}

/// Names the call types give their own methods; a setter takes another.
const CALL_METHODS: &[&str] = &[
    "send",
    "timeout",
    "max_retries",
    "header",
    "into_call",
    "into_future",
];

/// One operation: its method, and (when it has optional parameters) the
/// call type the method returns, with a setter for each.
fn operation(model: &Model, op: &OperationDef, home: Home) -> (TokenStream, TokenStream) {
    let mut doc = with_deprecation(&op.doc, op.deprecated);
    let mut args = Vec::new();
    let mut chain = Vec::new();
    let mut after = Vec::new();
    let mut arg_docs = Vec::new();
    // The optional parameters: fields of the call type, each with a setter.
    let mut fields = Vec::new();
    let mut field_names = Vec::new();
    let mut setters = Vec::new();
    let mut apply = Vec::new();

    if let Some(security) = &op.security {
        let requirements = security
            .iter()
            .map(|requirement| quote!(&[#(#requirement),*]));
        chain.push(quote!(.security(&[#(#requirements),*])));
    }
    for param in &op.path_params {
        let name = ident(&param.name);
        let wire = &param.wire;
        let (ty, composite) = match &param.ty {
            TypeRef::Integer(width) => (integer(*width), false),
            TypeRef::Number => (quote!(::apigen_runtime::Number), false),
            TypeRef::Float => (quote!(f64), false),
            TypeRef::Bool => (quote!(bool), false),
            TypeRef::Vec(inner) => {
                let inner = rust_type(model, inner, home);
                (quote!(&[#inner]), true)
            }
            TypeRef::Named(_) | TypeRef::Boxed(_) => {
                let named = rust_type(model, &param.ty, home);
                (quote!(&#named), true)
            }
            _ => (quote!(&str), false),
        };
        args.push(quote!(#name: #ty));
        if composite || param.style.style != Style::Simple {
            let style = param_style(param.style);
            chain.push(quote!(.path_param_styled(#wire, &#name, #style)));
        } else {
            chain.push(quote!(.path_param(#wire, #name)));
        }
        if !param.doc.is_empty() {
            arg_docs.push(format!(
                "- `{}`: {}",
                param.name.trim_start_matches("r#"),
                param.doc.join(" ")
            ));
        }
    }
    let mut setter_names = crate::naming::Namespace::new();
    for reserved in CALL_METHODS {
        setter_names.reserve(reserved);
    }
    let mut call_name = None;
    if let Some((id, _)) = op.params {
        if let TypeKind::Params { fields: params } = &model.types[id.0].kind {
            for p in params {
                let name = ident(&p.field.name);
                let wire = &p.field.wire;
                let style = param_style(p.style);
                let required = p.field.presence == Presence::Required;
                let inner = rust_type(model, &p.field.ty, home);
                // `value`: an expression of type `&Option<T>` (optional, a
                // field of the call) or `&T` (required, an argument).
                let (value, target) = if required {
                    let (ty, by_value) = argument_type(model, &p.field.ty, home);
                    args.push(quote!(#name: #ty));
                    if !p.field.doc.is_empty() {
                        arg_docs.push(format!(
                            "- `{}`: {}",
                            p.field.name.trim_start_matches("r#"),
                            p.field.doc.join(" ")
                        ));
                    }
                    let value = if by_value {
                        quote!(&#name)
                    } else {
                        quote!(#name)
                    };
                    (value, &mut chain)
                } else {
                    fields.push(quote!(#name: ::std::option::Option<#inner>,));
                    field_names.push(name.clone());
                    let setter = ident(&setter_names.claim(&p.field.name).0);
                    let mut setter_doc = p.field.doc.clone();
                    if setter_doc.is_empty() {
                        setter_doc.push(format!("The `{wire}` {} parameter.", p.place.as_str()));
                    }
                    setter_doc.push(String::new());
                    setter_doc.push(format!(
                        "Sent as the `{wire}` {} parameter.",
                        p.place.as_str()
                    ));
                    let deprecated = p.field.deprecated.then(|| {
                        let note = deprecation_note(&p.field.doc);
                        quote!(#[deprecated(note = #note)])
                    });
                    let setter_doc = doc_attrs(&setter_doc);
                    let allow = allow_complex(levels(&p.field.ty) + 1, &[&inner]);
                    setters.push(if p.field.ty == TypeRef::String {
                        quote! {
                            #setter_doc
                            #deprecated
                            pub fn #setter(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                                self.#name = ::std::option::Option::Some(value.into());
                                self
                            }
                        }
                    } else {
                        quote! {
                            #setter_doc
                            #deprecated
                            #allow
                            pub fn #setter(mut self, value: #inner) -> Self {
                                self.#name = ::std::option::Option::Some(value);
                                self
                            }
                        }
                    });
                    (quote!(&self.#name), &mut apply)
                };
                match p.place {
                    ParamPlace::Header if p.field.ty == TypeRef::String => {
                        if required {
                            target.push(quote!(.header(#wire, #name)));
                        } else {
                            after.push(quote! {
                                if let ::std::option::Option::Some(value) = &self.#name {
                                    call = call.header(#wire, value.as_str());
                                }
                            });
                        }
                    }
                    ParamPlace::Header => {
                        target.push(quote!(.header_param(#wire, #value, #style)));
                    }
                    ParamPlace::Cookie => {
                        target.push(quote!(.cookie_param(#wire, #value, #style)));
                    }
                    // The default serialization of a value that is not an
                    // object is what `query_param` does.
                    ParamPlace::Query
                        if p.style == FORM_EXPLODED && !object_like(model, &p.field.ty) =>
                    {
                        target.push(quote!(.query_param(#wire, #value)));
                    }
                    ParamPlace::Query => {
                        target.push(quote!(.query_param_styled(#wire, #value, #style)));
                    }
                }
            }
        }
        if !fields.is_empty() {
            call_name = Some(ident(&model.types[id.0].name));
        }
    }
    // `after` holds the optional string headers, applied in `into_call`.
    let optional_headers = std::mem::take(&mut after);
    let mut body_args = Vec::new();
    if let Some(body) = &op.body {
        match &body.kind {
            BodyKind::Json(ty) => {
                let ty = rust_type(model, ty, home);
                if body.required {
                    body_args.push(quote!(body: &#ty));
                    chain.push(quote!(.json_body(body)));
                } else {
                    body_args.push(quote!(body: ::std::option::Option<&#ty>));
                    after.push(quote! {
                        if let ::std::option::Option::Some(body) = body {
                            call = call.json_body(body);
                        }
                    });
                }
            }
            BodyKind::Form(ty, encoding) => {
                let ty = rust_type(model, ty, home);
                let encoding = encoding.iter().map(|(property, style)| {
                    let style = param_style(*style);
                    quote!((#property, #style))
                });
                let encoding = quote!(&[#(#encoding),*]);
                if body.required {
                    body_args.push(quote!(body: &#ty));
                    chain.push(quote!(.form_body(body, #encoding)));
                } else {
                    body_args.push(quote!(body: ::std::option::Option<&#ty>));
                    after.push(quote! {
                        if let ::std::option::Option::Some(body) = body {
                            call = call.form_body(body, #encoding);
                        }
                    });
                }
            }
            BodyKind::MultipartForm(ty, content_types) => {
                let ty = rust_type(model, ty, home);
                let types = content_types.iter().map(|(p, t)| quote!((#p, #t)));
                let types = quote!(&[#(#types),*]);
                if body.required {
                    body_args.push(quote!(body: &#ty));
                    chain.push(quote!(.multipart_form_body(body, #types)));
                } else {
                    body_args.push(quote!(body: ::std::option::Option<&#ty>));
                    after.push(quote! {
                        if let ::std::option::Option::Some(body) = body {
                            call = call.multipart_form_body(body, #types);
                        }
                    });
                }
            }
            BodyKind::Multipart => {
                body_args.push(quote!(form: ::apigen_runtime::multipart::Form));
                chain.push(quote!(.multipart_body(form)));
            }
            BodyKind::Bytes(content_type) => {
                body_args.push(quote!(body: impl ::std::convert::Into<::apigen_runtime::Bytes>));
                chain.push(quote!(.bytes_body(body, #content_type)));
            }
            BodyKind::Text(content_type) => {
                body_args.push(quote!(body: impl ::std::convert::Into<::std::string::String>));
                chain.push(quote!(.text_body(body, #content_type)));
            }
        }
    }
    args.extend(body_args);
    if !arg_docs.is_empty() {
        doc.push(String::new());
        doc.push("Arguments:".into());
        doc.extend(arg_docs);
    }
    if let Some(call) = &call_name {
        doc.push(String::new());
        doc.push(format!(
            "Optional parameters are set on the returned [`{call}`] before it is awaited."
        ));
    }
    if !op.errors.is_empty() {
        doc.push(String::new());
        doc.push(
            "Error responses the description types (decode one with \
             [`ApiError::body_as`](crate::ApiError::body_as)):"
                .into(),
        );
        for error in &op.errors {
            let ty = match &error.ty {
                TypeRef::Named(id) | TypeRef::Boxed(id) => {
                    // The path as the label: never a redundant explicit
                    // target, wherever the method's docs end up.
                    let def = &model.types[id.0];
                    let module = module_name(model, def.home).to_string();
                    format!("[`crate::{module}::{}`]", def.name)
                }
                other => format!(
                    "`{}`",
                    rust_type(model, other, home).to_string().replace(' ', "")
                ),
            };
            doc.push(match &error.description {
                Some(description) => format!("- `{}` ({description}): {ty}", error.status),
                None => format!("- `{}`: {ty}", error.status),
            });
        }
    }
    let doc_tokens = doc_attrs(&doc);
    let (decode, result) = match op.response.decode {
        Decode::Envelope => (quote!(envelope), rust_type(model, &op.response.ty, home)),
        Decode::Json => (quote!(json), rust_type(model, &op.response.ty, home)),
        Decode::Text => (quote!(text), quote!(::std::string::String)),
        Decode::Bytes => (quote!(bytes), quote!(::apigen_runtime::Bytes)),
        Decode::Empty => (quote!(empty), quote!(())),
    };
    let name = ident(&op.name);
    let method = ident(&op.method);
    let path = &op.path;
    let runtime_call = quote!(::apigen_runtime::Call<#result>);
    let returned = match &call_name {
        Some(call) => quote!(#call),
        None => runtime_call.clone(),
    };
    let deepest = [Some(&op.response.ty), body_type(op)]
        .into_iter()
        .flatten()
        .map(levels)
        .max()
        .unwrap_or(0);
    let allow = allow_complex(
        deepest + 2,
        &args.iter().chain([&runtime_call]).collect::<Vec<_>>(),
    );
    let client = if op.resource.0 == 0 || model.resources.is_empty() {
        quote!(self.runtime())
    } else {
        quote!(self.client.runtime())
    };
    let start = quote! {
        #client
            .call(::apigen_runtime::Method::#method, #path, ::apigen_runtime::decode::#decode)
            #(#chain)*
    };
    let call = if after.is_empty() {
        start
    } else {
        quote! {
            let mut call = #start;
            #(#after)*
            call
        }
    };
    let body = match &call_name {
        Some(call_type) => {
            let call = if after.is_empty() {
                call
            } else {
                quote!({ #call })
            };
            quote! {
                #call_type { call: #call, #(#field_names: ::std::option::Option::None,)* }
            }
        }
        None => call,
    };
    let aliases = [
        doc_alias(&op.operation_id, &op.name),
        doc_alias(&op.legacy_name, &op.name)
            .filter(|_| op.legacy_name.trim_start_matches("r#") != op.operation_id),
    ];
    let deprecated = op.deprecated.then(|| {
        let note = deprecation_note(&op.doc);
        quote!(#[deprecated(note = #note)])
    });
    // Required parameters are arguments, in path order, and a description
    // may require many: clippy's limit is seven, `&self` included.
    let many = (args.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
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
    let Some(call_type) = call_name else {
        return (method_tokens, quote!());
    };
    let (shown, link) = method_path(model, op);
    let call_doc = doc_attrs(&[
        format!("The call [`{shown}`]({link}) returns (operation `{}`): set its optional parameters, then `.await` it for the `result` or [`send`](Self::send) it for the whole [`ApiResponse`](crate::ApiResponse).", op.operation_id),
        String::new(),
        "Other per-request options ([`timeout`](Self::timeout), [`max_retries`](Self::max_retries), [`header`](Self::header)) are here too; [`into_call`](Self::into_call) gives the runtime's [`Call`](crate::Call) (for pagination).".into(),
    ]);
    let result_allow = allow_complex(deepest + 2, &[&runtime_call]);
    let into_call = if optional_headers.is_empty() {
        quote!(self.call #(#apply)*)
    } else {
        quote! {
            let mut call = self.call;
            #(#optional_headers)*
            call #(#apply)*
        }
    };
    let call_tokens = quote! {
        #call_doc
        #[derive(Debug)]
        #[must_use = "a call does nothing until it is awaited or sent"]
        pub struct #call_type {
            call: #runtime_call,
            #(#fields)*
        }

        impl #call_type {
            #(#setters)*

            /// The runtime call, with every parameter set so far applied.
            #result_allow
            pub fn into_call(self) -> #runtime_call {
                #into_call
            }

            /// Sends the call: the whole response (status, headers, messages,
            /// `result_info`) with the decoded `result`.
            #result_allow
            pub async fn send(self) -> ::std::result::Result<::apigen_runtime::ApiResponse<#result>, ::apigen_runtime::Error> {
                self.into_call().send().await
            }

            /// Gives up on the call after `timeout` (instead of the client's).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.call = self.call.timeout(timeout);
                self
            }

            /// Retries the call at most `max_retries` times (instead of the
            /// client's setting).
            pub fn max_retries(mut self, max_retries: u32) -> Self {
                self.call = self.call.max_retries(max_retries);
                self
            }

            /// Adds a header to the request.
            pub fn header(mut self, name: &str, value: impl ::std::fmt::Display) -> Self {
                self.call = self.call.header(name, value);
                self
            }
        }

        impl ::std::future::IntoFuture for #call_type {
            type Output = ::std::result::Result<#result, ::apigen_runtime::Error>;
            type IntoFuture = <#runtime_call as ::std::future::IntoFuture>::IntoFuture;

            fn into_future(self) -> Self::IntoFuture {
                self.into_call().into_future()
            }
        }
    };
    (method_tokens, call_tokens)
}

/// Clippy's `type-complexity-threshold`: a type scoring more draws
/// `clippy::type_complexity`.
const COMPLEXITY_THRESHOLD: usize = 250;

/// `#[allow(clippy::type_complexity)]` when one of these types (a field, a
/// variant's field, or a method's arguments, each `name: type`, and return
/// type) is as complex as clippy objects to. Nested arrays in the spec
/// (`Option<Vec<Vec<Vec<..>>>>`) are such types, and naming the levels with
/// aliases would invent names the spec does not have; nothing else is allowed.
///
/// `levels` bounds how deeply the types nest; at most four levels cannot
/// score more than 190, so they are not parsed again to be measured.
fn allow_complex(levels: usize, types: &[&TokenStream]) -> TokenStream {
    let complex = levels > 4
        && types.iter().any(|tokens| {
            let ty = match syn::parse2::<syn::FnArg>((*tokens).clone()) {
                Ok(syn::FnArg::Typed(arg)) => Some(*arg.ty),
                _ => syn::parse2::<syn::Type>((*tokens).clone()).ok(),
            };
            ty.is_some_and(|ty| complexity(&ty, 1) > COMPLEXITY_THRESHOLD)
        });
    if complex {
        quote!(#[allow(clippy::type_complexity)])
    } else {
        quote!()
    }
}

/// How many types nest in the Rust type of `ty` (`Vec<Option<T>>`: three).
fn levels(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => 1 + levels(inner),
        TypeRef::Boxed(_) | TypeRef::JsonObject => 2,
        _ => 1,
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

/// Clippy's `type_complexity` score: every path, tuple, slice or array type
/// adds ten times its nesting depth; references add one.
fn complexity(ty: &syn::Type, nest: usize) -> usize {
    match ty {
        syn::Type::Reference(r) => 1 + complexity(&r.elem, nest),
        syn::Type::Ptr(p) => 1 + complexity(&p.elem, nest),
        syn::Type::Paren(p) => complexity(&p.elem, nest),
        syn::Type::Group(g) => complexity(&g.elem, nest),
        syn::Type::Slice(s) => 10 * nest + complexity(&s.elem, nest + 1),
        syn::Type::Array(a) => 10 * nest + complexity(&a.elem, nest + 1),
        syn::Type::Tuple(t) => {
            10 * nest
                + t.elems
                    .iter()
                    .map(|e| complexity(e, nest + 1))
                    .sum::<usize>()
        }
        syn::Type::Path(p) => {
            let args: usize = p
                .path
                .segments
                .iter()
                .filter_map(|segment| match &segment.arguments {
                    syn::PathArguments::AngleBracketed(a) => Some(&a.args),
                    _ => None,
                })
                .flatten()
                .map(|arg| match arg {
                    syn::GenericArgument::Type(t) => complexity(t, nest + 1),
                    _ => 0,
                })
                .sum();
            10 * nest + args
        }
        _ => 0,
    }
}

/// Clippy's `enum-variant-size-threshold`, less a margin for the estimate.
const LARGE_VARIANT: usize = 128;

/// `#[allow(clippy::large_enum_variant)]` on a union whose largest branch is
/// much larger than the next one (by an estimate of their sizes). A union's
/// variants are the spec's `oneOf` branches, held by value so they can be
/// built and matched plainly; boxing the large one would change that API for
/// every user to save memory only while such a value exists.
fn allow_large_variant(model: &Model, variants: &[UnionVariant]) -> TokenStream {
    let mut sizes: Vec<usize> = variants
        .iter()
        .map(|v| size_of(model, &v.ty, &mut Vec::new()))
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    let gap = match sizes.as_slice() {
        [first, second, ..] => first - second,
        _ => 0,
    };
    if gap >= LARGE_VARIANT {
        quote!(#[allow(clippy::large_enum_variant)])
    } else {
        quote!()
    }
}

/// An estimate of the size in bytes of a type on a 64-bit target (padding
/// ignored). Types already being measured (recursion, always behind a `Box`
/// or a `Vec`) count as a pointer.
fn size_of(model: &Model, ty: &TypeRef, visiting: &mut Vec<TypeId>) -> usize {
    match ty {
        TypeRef::Bool => 1,
        TypeRef::Integer(IntWidth::I32 | IntWidth::U32) => 4,
        TypeRef::Integer(IntWidth::I64 | IntWidth::U64) | TypeRef::Float => 8,
        TypeRef::Number => 16,
        TypeRef::String
        | TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Bytes
        | TypeRef::Vec(_)
        | TypeRef::Map(_)
        | TypeRef::JsonObject => 24,
        TypeRef::Json => 32,
        TypeRef::Boxed(_) => 8,
        TypeRef::Unit => 0,
        TypeRef::Option(inner) => option_size(model, inner, visiting),
        TypeRef::Named(id) => {
            if visiting.contains(id) {
                return 8;
            }
            visiting.push(*id);
            let size = match &model.types[id.0].kind {
                TypeKind::Struct { fields, extra } => {
                    let fields: usize = fields
                        .iter()
                        .map(|f| match f.presence {
                            Presence::Required => size_of(model, &f.ty, visiting),
                            Presence::Optional | Presence::RequiredNullable => {
                                option_size(model, &f.ty, visiting)
                            }
                            Presence::OptionalNullable => option_size(model, &f.ty, visiting) + 8,
                        })
                        .sum();
                    fields + size_of(model, extra, visiting)
                }
                TypeKind::Enum { .. } => 24,
                TypeKind::Union { variants, .. } => {
                    8 + variants
                        .iter()
                        .map(|v| size_of(model, &v.ty, visiting))
                        .max()
                        .unwrap_or(0)
                }
                TypeKind::Params { fields } => fields
                    .iter()
                    .map(|p| option_size(model, &p.field.ty, visiting))
                    .sum(),
            };
            visiting.pop();
            size
        }
    }
}

/// `Option<T>`: free where `T` has a niche (pointers, `bool`), a word more
/// otherwise.
fn option_size(model: &Model, inner: &TypeRef, visiting: &mut Vec<TypeId>) -> usize {
    let size = size_of(model, inner, visiting);
    match inner {
        TypeRef::Integer(_) | TypeRef::Float | TypeRef::Number | TypeRef::Unit => size + 8,
        _ => size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(ty: &str) -> usize {
        complexity(&syn::parse_str(ty).expect("a type"), 1)
    }

    #[test]
    fn type_complexity_is_scored_as_clippy_does() {
        // Clippy flags the seven-deep chain (`schema-circular.json` of the
        // corpus), not the six-deep one.
        assert_eq!(score("Option<Vec<Vec<Vec<Vec<String>>>>>"), 210);
        assert_eq!(score("Option<Vec<Vec<Vec<Vec<Vec<String>>>>>>"), 280);
        assert_eq!(score("&BTreeMap<String, Value>"), 1 + 10 + 20 + 20);
        let deep = quote!(
            ::std::option::Option<
                ::std::vec::Vec<
                    ::std::vec::Vec<
                        ::std::vec::Vec<::std::vec::Vec<::std::vec::Vec<::std::vec::Vec<f64>>>>,
                    >,
                >,
            >
        );
        assert!(!allow_complex(7, &[&deep]).is_empty());
        assert!(
            allow_complex(4, &[&deep]).is_empty(),
            "four levels are never measured"
        );
        let arg = quote!(body: &::std::vec::Vec<::std::vec::Vec<::std::vec::Vec<::std::vec::Vec<::std::vec::Vec<::std::vec::Vec<::std::vec::Vec<i64>>>>>>>);
        assert!(!allow_complex(9, &[&arg]).is_empty());
        let shallow = quote!(::std::option::Option<::std::vec::Vec<i64>>);
        assert!(allow_complex(9, &[&shallow]).is_empty());
    }

    #[test]
    fn four_levels_never_reach_the_threshold() {
        // The widest types of four levels the generator emits.
        let map = TypeRef::Map(Box::new(TypeRef::JsonObject));
        let option = TypeRef::Option(Box::new(TypeRef::Map(Box::new(TypeRef::String))));
        assert_eq!(levels(&map), 3);
        assert_eq!(levels(&option), 3);
        for widest in [
            "Option<BTreeMap<String, Map<String, Value>>>",
            "BTreeMap<String, BTreeMap<String, Map<String, Value>>>",
            "Option<Option<BTreeMap<String, BTreeMap<String, String>>>>",
        ] {
            assert!(score(widest) <= 250, "{widest}: {}", score(widest));
        }
    }
}
