//! Choosing which configured credentials go on a request (from the
//! operation's security requirements) and rendering them as headers, query
//! pairs and cookies.

use base64::Engine as _;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use crate::credentials::{Credential, Credentials, KeyLocation, SchemeKind, SecurityScheme};
use crate::error::Error;

/// An operation's security requirements: alternatives, each a set of scheme
/// names used together (`[["api_email", "api_key"], ["api_token"]]`).
pub type Requirements = &'static [&'static [&'static str]];

/// Picks the credentials to send.
///
/// * `requirements == None` (the operation never declared any): all that
///   are configured.
/// * `Some(&[])` (`security: []`, no authentication): none.
/// * Otherwise the first requirement (in the description's order) whose
///   every scheme is configured, ignoring empty requirements; then, when
///   none is satisfied but credentials are configured, all of them
///   (descriptions are often incomplete: Cloudflare's lists only email +
///   key on operations that accept a token; the server judges); then, with
///   nothing configured, none when authentication is optional (an empty
///   requirement), else [`Error::NoMatchingCredentials`].
pub(crate) fn select(
    requirements: Option<Requirements>,
    credentials: &Credentials,
) -> Result<Vec<&(SecurityScheme, Credential)>, Error> {
    let entries = credentials.entries();
    let Some(requirements) = requirements else {
        return Ok(entries.iter().collect());
    };
    if requirements.is_empty() {
        return Ok(Vec::new());
    }
    let satisfied = requirements.iter().find(|requirement| {
        !requirement.is_empty() && requirement.iter().all(|name| credentials.has(name))
    });
    if let Some(requirement) = satisfied {
        return Ok(entries
            .iter()
            .filter(|(scheme, _)| requirement.contains(&scheme.name))
            .collect());
    }
    if !entries.is_empty() {
        tracing::debug!(
            accepted = %describe(requirements),
            "the operation lists none of the configured credentials; sending them anyway"
        );
        return Ok(entries.iter().collect());
    }
    if requirements
        .iter()
        .any(|requirement| requirement.is_empty())
    {
        return Ok(Vec::new());
    }
    Err(Error::NoMatchingCredentials {
        accepted: describe(requirements),
    })
}

/// A human-readable list of what the requirements accept, e.g.
/// `api_email and api_key; or api_token`.
pub(crate) fn describe(requirements: &[&[&str]]) -> String {
    requirements
        .iter()
        .map(|requirement| {
            if requirement.is_empty() {
                "no authentication".to_owned()
            } else {
                requirement.join(" and ")
            }
        })
        .collect::<Vec<_>>()
        .join("; or ")
}

/// Credentials rendered for one request.
#[derive(Default)]
pub(crate) struct Rendered {
    /// Headers, marked sensitive.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Query pairs (the URL then holds a secret: errors drop it).
    pub(crate) query: Vec<(String, String)>,
}

/// Renders the chosen credentials. A token provider's token is passed in
/// `tokens`, in the order the providers appear in `chosen`.
pub(crate) fn render(
    chosen: &[&(SecurityScheme, Credential)],
    tokens: &[crate::credentials::Secret],
) -> Result<Rendered, Error> {
    let mut rendered = Rendered::default();
    let mut cookies = Vec::new();
    let mut tokens = tokens.iter();
    for (scheme, credential) in chosen {
        let value = match credential {
            Credential::Secret(secret) => secret.expose().to_owned(),
            Credential::Basic { username, password } => {
                format!("{username}:{}", password.expose())
            }
            Credential::Provider(_) => match tokens.next() {
                Some(token) => token.expose().to_owned(),
                None => continue,
            },
        };
        match scheme.kind {
            SchemeKind::ApiKey(KeyLocation::Header, name) => {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    Error::Config(format!(
                        "`{name}` (security scheme `{}`) is not a valid header name",
                        scheme.name
                    ))
                })?;
                rendered.headers.push((name, sensitive(&value, scheme)?));
            }
            SchemeKind::ApiKey(KeyLocation::Query, name) => {
                rendered.query.push((name.to_owned(), value));
            }
            SchemeKind::ApiKey(KeyLocation::Cookie, name) => {
                cookies.push(format!("{name}={value}"));
            }
            SchemeKind::Bearer | SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => {
                rendered.headers.push((
                    AUTHORIZATION,
                    sensitive(&format!("Bearer {value}"), scheme)?,
                ))
            }
            SchemeKind::Basic => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(value);
                rendered.headers.push((
                    AUTHORIZATION,
                    sensitive(&format!("Basic {encoded}"), scheme)?,
                ));
            }
            SchemeKind::Http => rendered
                .headers
                .push((AUTHORIZATION, sensitive(&value, scheme)?)),
        }
    }
    if !cookies.is_empty() {
        let value = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| {
            Error::Config("a cookie credential contains characters not allowed in a header".into())
        })?;
        rendered.headers.push((COOKIE, marked(value)));
    }
    Ok(rendered)
}

/// A header value marked sensitive (so `Debug` of a request or header map
/// never shows it). The message of a failure never includes the value.
fn sensitive(text: &str, scheme: &SecurityScheme) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(text).map(marked).map_err(|_| {
        Error::Config(format!(
            "the credential of `{}` contains characters that are not allowed in an HTTP header",
            scheme.name
        ))
    })
}

fn marked(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

/// Checks at build time that every static credential can be rendered.
pub(crate) fn validate(credentials: &Credentials) -> Result<(), Error> {
    let chosen: Vec<_> = credentials.entries().iter().collect();
    render(&chosen, &[]).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: SecurityScheme = SecurityScheme::new(
        "api_email",
        SchemeKind::ApiKey(KeyLocation::Header, "X-Auth-Email"),
    );
    const KEY: SecurityScheme = SecurityScheme::new(
        "api_key",
        SchemeKind::ApiKey(KeyLocation::Header, "X-Auth-Key"),
    );
    const TOKEN: SecurityScheme = SecurityScheme::new("api_token", SchemeKind::Bearer);
    const CF: Requirements = &[&["api_email", "api_key"], &["api_token"]];

    fn names(chosen: &[&(SecurityScheme, Credential)]) -> Vec<&'static str> {
        chosen.iter().map(|(scheme, _)| scheme.name).collect()
    }

    #[test]
    fn describes_alternatives() {
        assert_eq!(describe(CF), "api_email and api_key; or api_token");
        assert_eq!(describe(&[&[], &["a"]]), "no authentication; or a");
    }

    #[test]
    fn the_first_satisfied_requirement_wins() {
        let both = Credentials::new()
            .with(TOKEN, "t")
            .with(EMAIL, "e")
            .with(KEY, "k");
        assert_eq!(
            names(&select(Some(CF), &both).unwrap()),
            ["api_email", "api_key"]
        );
        let token = Credentials::new().with(TOKEN, "t");
        assert_eq!(names(&select(Some(CF), &token).unwrap()), ["api_token"]);
    }

    #[test]
    fn configured_credentials_are_sent_even_when_no_requirement_lists_them() {
        let token = Credentials::new().with(TOKEN, "t");
        assert_eq!(
            names(&select(Some(&[&["api_email", "api_key"]]), &token).unwrap()),
            ["api_token"]
        );
        // Half of a pair is not a satisfied requirement: all is sent.
        let email = Credentials::new().with(EMAIL, "e").with(TOKEN, "t");
        assert_eq!(
            names(&select(Some(&[&["api_email", "api_key"]]), &email).unwrap()),
            ["api_email", "api_token"]
        );
        assert!(select(Some(&[]), &token).unwrap().is_empty());
        assert_eq!(names(&select(None, &token).unwrap()), ["api_token"]);
        // Optional authentication still sends what is configured.
        assert_eq!(
            names(&select(Some(&[&[], &["api_token"]]), &token).unwrap()),
            ["api_token"]
        );
    }

    #[test]
    fn nothing_configured_fails_only_when_credentials_are_required() {
        let none = Credentials::new();
        assert!(matches!(
            select(Some(CF), &none),
            Err(Error::NoMatchingCredentials { accepted }) if accepted == describe(CF)
        ));
        assert!(select(Some(&[&["api_token"], &[]]), &none)
            .unwrap()
            .is_empty());
        assert!(select(None, &none).unwrap().is_empty());
    }

    #[test]
    fn bad_header_characters_do_not_leak_the_secret() {
        let Err(err) = validate(&Credentials::new().with(TOKEN, "abc\ndef-secret")) else {
            panic!("expected an error");
        };
        let text = format!("{err} {err:?}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("api_token"), "{text}");
    }

    #[test]
    fn renders_every_kind() {
        const QUERY: SecurityScheme =
            SecurityScheme::new("q", SchemeKind::ApiKey(KeyLocation::Query, "api_key"));
        const COOKIE_A: SecurityScheme =
            SecurityScheme::new("c1", SchemeKind::ApiKey(KeyLocation::Cookie, "session"));
        const COOKIE_B: SecurityScheme =
            SecurityScheme::new("c2", SchemeKind::ApiKey(KeyLocation::Cookie, "csrf"));
        const BASIC: SecurityScheme = SecurityScheme::new("b", SchemeKind::Basic);
        const RAW: SecurityScheme = SecurityScheme::new("h", SchemeKind::Http);
        let credentials = Credentials::new()
            .with(QUERY, "qv")
            .with(COOKIE_A, "s1")
            .with(COOKIE_B, "x2")
            .with_basic(BASIC, "Aladdin", "open sesame")
            .with(RAW, "Digest abc");
        let chosen: Vec<_> = credentials.entries().iter().collect();
        let rendered = render(&chosen, &[]).unwrap();
        assert_eq!(rendered.query, [("api_key".to_owned(), "qv".to_owned())]);
        let headers: Vec<(String, String)> = rendered
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        assert_eq!(
            headers,
            [
                (
                    "authorization".into(),
                    "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".into()
                ),
                ("authorization".into(), "Digest abc".into()),
                ("cookie".into(), "session=s1; csrf=x2".into()),
            ]
        );
        assert!(rendered.headers.iter().all(|(_, v)| v.is_sensitive()));
    }
}
