//! `Credentials` in `lib.rs`: a constant and constructors per security
//! scheme of the description, and the environment variables
//! `Client::from_env` reads.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use crate::model::{AuthScheme, ClientCredentialsAuth, Model};
use crate::naming;
use crate::spec::SecuritySchemeKind as K;

/// The environment variable that holds a scheme's credential.
pub(super) fn env_var(model: &Model, scheme: &AuthScheme) -> String {
    scheme
        .env
        .clone()
        .unwrap_or_else(|| naming::env_var(&model.env_prefix, &scheme.wire))
}

/// `Credentials`, with a constructor per security scheme, and the
/// environment variables `Client::from_env` reads.
pub(super) fn auth(model: &Model) -> TokenStream {
    let mut consts = Vec::new();
    let mut methods = Vec::new();
    let mut env = Vec::new();
    for scheme in &model.auth {
        let constant = naming::constant(&scheme.method);
        consts.push(scheme_const(scheme));
        let variable = env_var(model, scheme);
        env.push(quote!((Credentials::#constant, #variable)));
        methods.push(constructors(scheme, &variable));
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

        impl From<Credentials> for ::apigen_runtime::Credentials {
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

/// How a scheme's credential is sent, for docs.
fn how(kind: &K) -> String {
    match kind {
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
    }
}

/// `pub const API_TOKEN: SecurityScheme`: the scheme as the runtime knows it.
fn scheme_const(scheme: &AuthScheme) -> TokenStream {
    let wire = &scheme.wire;
    let constant = naming::constant(&scheme.method);
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
    let mut doc = vec![format!("`{wire}`: {}.", how(&scheme.kind))];
    if !scheme.doc.is_empty() {
        doc.push(String::new());
        doc.extend(scheme.doc.iter().cloned());
    }
    let const_doc = doc_attrs(&doc);
    quote! {
        #const_doc
        pub const #constant: ::apigen_runtime::SecurityScheme =
            ::apigen_runtime::SecurityScheme::new(#wire, ::apigen_runtime::SchemeKind::#kind);
    }
}

/// `Credentials::api_token(value)` and `.with_api_token(value)` (a username
/// and a password for basic authentication), and for token schemes the
/// same from a `TokenProvider`.
fn constructors(scheme: &AuthScheme, variable: &str) -> TokenStream {
    let wire = &scheme.wire;
    let how = how(&scheme.kind);
    let constant = naming::constant(&scheme.method);
    let method = naming::ident(&scheme.method);
    let with = naming::affixed("with_", &scheme.method, "");
    // The variables `apigen_runtime`'s `from_env` reads for this scheme:
    // two for basic authentication.
    let read = if scheme.kind == K::Basic {
        format!("`{variable}_USERNAME` and `{variable}_PASSWORD`")
    } else {
        format!("`{variable}`")
    };
    let method_doc = doc_attrs(&[format!(
        "Credentials with {how} (scheme `{wire}`; `Client::from_env` reads {read})."
    )]);
    let with_doc = doc_attrs(&[format!("Adds {how} (scheme `{wire}`).")]);
    if scheme.kind == K::Basic {
        return quote! {
            #method_doc
            pub fn #method(
                username: impl Into<String>,
                password: impl Into<String>,
            ) -> Self {
                Self::new().#with(username, password)
            }

            #with_doc
            pub fn #with(
                self,
                username: impl Into<String>,
                password: impl Into<String>,
            ) -> Self {
                Credentials(self.0.with_basic(Self::#constant, username.into(), password.into()))
            }
        };
    }
    let provider = matches!(scheme.kind, K::Bearer | K::OAuth2 | K::OpenIdConnect)
        .then(|| provider_constructors(scheme));
    let client_credentials = scheme
        .client_credentials
        .as_ref()
        .map(|flow| client_credentials_constructors(scheme, flow));
    quote! {
        #method_doc
        pub fn #method(value: impl Into<String>) -> Self {
            Self::new().#with(value)
        }

        #with_doc
        pub fn #with(self, value: impl Into<String>) -> Self {
            Credentials(self.0.with(Self::#constant, value.into()))
        }

        #provider

        #client_credentials
    }
}

/// For an `oauth2` scheme with a client-credentials flow:
/// `Credentials::oauth_client_credentials(id, secret)`, its `with_` form,
/// and `oauth_token_request(id, secret)`, the runtime's token provider
/// with the description's token URL and scopes (to change before passing
/// it to `oauth_provider`).
fn client_credentials_constructors(
    scheme: &AuthScheme,
    flow: &ClientCredentialsAuth,
) -> TokenStream {
    let wire = &scheme.wire;
    let token_url = &flow.token_url;
    let scopes = &flow.scopes;
    let method = naming::ident(&flow.method);
    let with = naming::affixed("with_", &flow.method, "");
    let request = naming::ident(&flow.request);
    let provider = naming::affixed("", &scheme.method, "_provider");
    let with_provider = naming::affixed("with_", &scheme.method, "_provider");
    let scoped = (!scopes.is_empty()).then(|| quote!(.scopes([#(#scopes),*])));
    let scope_text = if scopes.is_empty() {
        "no scopes".to_owned()
    } else {
        let quoted: Vec<String> = scopes.iter().map(|scope| format!("`{scope}`")).collect();
        format!("the scopes {}", quoted.join(", "))
    };
    let relative = (!flow.token_url.contains("://")).then(|| {
        format!(
            " The description's token URL is relative: set an absolute one with `{request}(..).token_url(..)`."
        )
    });
    let relative = relative.unwrap_or_default();
    let method_doc = doc_attrs(&[
        format!(
            "Credentials whose `{wire}` tokens come from the OAuth2 client-credentials flow: requested from `{token_url}` with {scope_text}, the client authenticating with HTTP basic, cached until shortly before they expire and renewed after a `401`.{relative}"
        ),
        String::new(),
        format!(
            "For other scopes or client authentication in the body, change [`{request}`](Self::{request}) and pass it to [`{provider}`](Self::{provider})."
        ),
    ]);
    let with_doc = doc_attrs(&[format!(
        "Adds `{wire}` tokens from the OAuth2 client-credentials flow (see [`{method}`](Self::{method}))."
    )]);
    let request_doc = doc_attrs(&[format!(
        "The `{wire}` client-credentials token provider: `{token_url}` with {scope_text} (see [`runtime::ClientCredentials`] for what it can change)."
    )]);
    quote! {
        #method_doc
        pub fn #method(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
            Self::new().#with(client_id, client_secret)
        }

        #with_doc
        pub fn #with(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
            self.#with_provider(Self::#request(client_id, client_secret))
        }

        #request_doc
        pub fn #request(
            client_id: impl Into<String>,
            client_secret: impl Into<String>,
        ) -> ::apigen_runtime::ClientCredentials {
            ::apigen_runtime::ClientCredentials::new(#token_url, client_id, client_secret.into())
                #scoped
        }
    }
}

/// `Credentials::api_token_provider(provider)` and
/// `.with_api_token_provider(provider)`: tokens asked for before each call.
fn provider_constructors(scheme: &AuthScheme) -> TokenStream {
    let wire = &scheme.wire;
    let constant = naming::constant(&scheme.method);
    let provider = naming::affixed("", &scheme.method, "_provider");
    let with_provider = naming::affixed("with_", &scheme.method, "_provider");
    let provider_doc = doc_attrs(&[format!(
        "Credentials whose `{wire}` tokens come from `provider`, asked before each call and again after a `401` (see [`runtime::TokenProvider`])."
    )]);
    let with_provider_doc = doc_attrs(&[format!(
        "Has `provider` supply the `{wire}` tokens (see [`runtime::TokenProvider`])."
    )]);
    quote! {
        #provider_doc
        pub fn #provider(provider: impl ::apigen_runtime::TokenProvider) -> Self {
            Self::new().#with_provider(provider)
        }

        #with_provider_doc
        pub fn #with_provider(self, provider: impl ::apigen_runtime::TokenProvider) -> Self {
            Credentials(self.0.with_token_provider(Self::#constant, provider))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::test_model::*;

    fn scheme(wire: &str, method: &str, kind: K) -> AuthScheme {
        AuthScheme {
            wire: wire.into(),
            method: method.into(),
            kind,
            doc: Vec::new(),
            env: None,
            client_credentials: None,
        }
    }

    #[test]
    fn each_scheme_gets_a_constant_constructors_and_an_environment_variable() {
        let mut model = model(Vec::new());
        model.auth = vec![
            scheme("api_token", "api_token", K::Bearer),
            scheme("basic", "basic", K::Basic),
            scheme("key", "api_key", K::Header("X-Auth-Key".into())),
        ];
        model.auth[2].env = Some("MY_KEY".into());
        let items = items(auth(&model));
        let names: Vec<String> = methods(&items)
            .iter()
            .map(|f| f.sig.ident.to_string())
            .collect();
        assert_eq!(
            names,
            [
                "new",
                "api_token",
                "with_api_token",
                "api_token_provider",
                "with_api_token_provider",
                "basic",
                "with_basic",
                "api_key",
                "with_api_key",
                "from",
            ]
        );
        let basic = method(&items, "basic");
        assert_eq!(basic.sig.inputs.len(), 2, "a username and a password");
        // The variables named are those the runtime's `from_env` reads.
        assert!(
            doc(&basic.attrs).contains("reads `TEST_BASIC_USERNAME` and `TEST_BASIC_PASSWORD`"),
            "{}",
            doc(&basic.attrs)
        );
        let api_key = method(&items, "api_key");
        assert!(
            doc(&api_key.attrs).contains("an API key sent in the `X-Auth-Key` header"),
            "{}",
            doc(&api_key.attrs)
        );
        let env = items
            .iter()
            .find_map(|item| match item {
                syn::Item::Const(c) if c.ident == "ENV_VARS" => Some(text(&c.expr)),
                _ => None,
            })
            .expect("ENV_VARS");
        assert!(env.contains(r#"base_url:"TEST_BASE_URL""#), "{env}");
        assert!(
            env.contains(r#"(Credentials::API_TOKEN,"TEST_API_TOKEN")"#),
            "{env}"
        );
        assert!(env.contains(r#"(Credentials::API_KEY,"MY_KEY")"#), "{env}");
    }

    #[test]
    fn a_client_credentials_flow_gets_constructors_with_its_token_url_and_scopes() {
        let mut model = model(Vec::new());
        let mut oauth = scheme("petstore_auth", "petstore_auth", K::OAuth2);
        oauth.client_credentials = Some(ClientCredentialsAuth {
            method: "petstore_auth_client_credentials".into(),
            request: "petstore_auth_token_request".into(),
            token_url: "https://auth.test/token".into(),
            scopes: vec!["read:pets".into(), "write:pets".into()],
        });
        model.auth = vec![oauth, scheme("plain", "plain", K::OAuth2)];
        let items = items(auth(&model));
        let names: Vec<String> = methods(&items)
            .iter()
            .map(|f| f.sig.ident.to_string())
            .collect();
        assert_eq!(
            names,
            [
                "new",
                "petstore_auth",
                "with_petstore_auth",
                "petstore_auth_provider",
                "with_petstore_auth_provider",
                "petstore_auth_client_credentials",
                "with_petstore_auth_client_credentials",
                "petstore_auth_token_request",
                "plain",
                "with_plain",
                "plain_provider",
                "with_plain_provider",
                "from",
            ],
            "only a scheme with the flow gets client-credentials constructors"
        );
        let constructor = method(&items, "petstore_auth_client_credentials");
        assert_eq!(
            text(&constructor.sig),
            "fnpetstore_auth_client_credentials(client_id:implInto<String>,client_secret:implInto<String>)->Self"
        );
        assert!(
            doc(&constructor.attrs).contains(
                "requested from `https://auth.test/token` with the scopes `read:pets`, `write:pets`"
            ),
            "{}",
            doc(&constructor.attrs)
        );
        let request = text(&method(&items, "petstore_auth_token_request").block);
        assert!(
            request.contains(r#"ClientCredentials::new("https://auth.test/token""#),
            "{request}"
        );
        assert!(
            request.contains(r#".scopes(["read:pets","write:pets"])"#),
            "{request}"
        );
    }

    #[test]
    fn a_scheme_constant_says_how_the_credential_is_sent() {
        let mut model = model(Vec::new());
        model.auth = vec![scheme("session", "session", K::Cookie("sid".into()))];
        let items = items(auth(&model));
        let syn::Item::Impl(credentials) = &items[1] else {
            panic!("the impl of Credentials")
        };
        let constant = credentials
            .items
            .iter()
            .find_map(|item| match item {
                syn::ImplItem::Const(c) => Some(c),
                _ => None,
            })
            .expect("a constant");
        assert_eq!(constant.ident, "SESSION");
        assert!(text(&constant.expr).contains("KeyLocation::Cookie,\"sid\""));
        assert_eq!(
            doc(&constant.attrs),
            " `session`: an API key sent in the `sid` cookie."
        );
    }
}
