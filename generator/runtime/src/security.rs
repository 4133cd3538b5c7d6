//! Deciding whether an operation's security requirements let the configured
//! credentials be sent, and turning credentials into request headers.

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};

use crate::credentials::{Credentials, Scheme};
use crate::error::Error;

/// Credentials rendered as (sensitive) request headers, computed once when
/// the client is built.
pub(crate) type AuthHeaders = Vec<(HeaderName, HeaderValue)>;

/// Renders credentials as headers marked sensitive (so `Debug` of a request
/// or header map never shows them).
///
/// Fails when a value contains characters HTTP headers can't carry (such as
/// a newline); the message never includes the value.
pub(crate) fn auth_headers(credentials: &Credentials) -> Result<AuthHeaders, Error> {
    fn value(text: &str, what: &str) -> Result<HeaderValue, Error> {
        let mut value = HeaderValue::from_str(text).map_err(|_| {
            Error::Config(format!(
                "the {what} contains characters that are not allowed in an HTTP header"
            ))
        })?;
        value.set_sensitive(true);
        Ok(value)
    }

    Ok(match credentials {
        Credentials::ApiToken(token) => vec![(
            AUTHORIZATION,
            value(&format!("Bearer {}", token.expose()), "API token")?,
        )],
        Credentials::ApiKey { email, key } => vec![
            (
                HeaderName::from_static("x-auth-email"),
                value(email, "account email")?,
            ),
            (
                HeaderName::from_static("x-auth-key"),
                value(key.expose(), "API key")?,
            ),
        ],
        Credentials::UserServiceKey(key) => vec![(
            HeaderName::from_static("x-auth-user-service-key"),
            value(key.expose(), "user service key")?,
        )],
    })
}

/// Decides whether to send the configured credentials with a request.
///
/// * `requirements == None` (the operation never declared any): send
///   whatever is configured.
/// * `Some(&[])` (the operation needs no authentication): send nothing.
/// * Otherwise, when credentials are configured, send them, whether or not
///   a requirement lists their schemes: descriptions are often incomplete
///   (Cloudflare's lists only email + key on hundreds of operations that
///   accept an API token), and the server is the judge of what it accepts.
/// * With no credentials configured, send nothing when one requirement is
///   empty (authentication optional); else fail with
///   [`Error::NoMatchingCredentials`] before anything is sent.
///
/// Returns `Ok(true)` to send the credentials, `Ok(false)` to send none.
pub(crate) fn should_send(
    requirements: Option<&'static [&'static [Scheme]]>,
    credentials: Option<&Credentials>,
) -> Result<bool, Error> {
    let Some(requirements) = requirements else {
        return Ok(credentials.is_some());
    };
    if requirements.is_empty() {
        return Ok(false);
    }
    if let Some(credentials) = credentials {
        if !fits(requirements, credentials) {
            tracing::debug!(
                credentials = credentials.kind(),
                accepted = %describe(requirements),
                "the operation does not list the configured credentials; sending them anyway"
            );
        }
        return Ok(true);
    }
    if requirements
        .iter()
        .any(|requirement| requirement.is_empty())
    {
        return Ok(false);
    }
    Err(Error::NoMatchingCredentials {
        accepted: describe(requirements),
    })
}

/// Whether some requirement includes every scheme the credentials provide.
fn fits(requirements: &[&[Scheme]], credentials: &Credentials) -> bool {
    let provided = credentials.schemes();
    requirements
        .iter()
        .any(|requirement| provided.iter().all(|scheme| requirement.contains(scheme)))
}

/// A human-readable list of what the requirements accept, e.g.
/// `a bearer token (Authorization header); or the X-Auth-Email header and
/// the X-Auth-Key header`.
fn describe(requirements: &[&[Scheme]]) -> String {
    requirements
        .iter()
        .map(|requirement| {
            if requirement.is_empty() {
                "no authentication".to_owned()
            } else {
                requirement
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" and ")
            }
        })
        .collect::<Vec<_>>()
        .join("; or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &[Scheme] = &[Scheme::Bearer];
    const KEY: &[Scheme] = &[Scheme::Header("X-Auth-Email"), Scheme::Header("X-Auth-Key")];

    #[test]
    fn describes_alternatives() {
        assert_eq!(
            describe(&[TOKEN, KEY]),
            "a bearer token (Authorization header); or the X-Auth-Email header and the X-Auth-Key header"
        );
    }

    #[test]
    fn header_names_compare_case_insensitively() {
        let creds = Credentials::api_key("a@example.com", "k");
        let lower: &'static [&'static [Scheme]] =
            &[&[Scheme::Header("x-auth-email"), Scheme::Header("x-auth-key")]];
        assert!(fits(lower, &creds));
        assert!(!fits(&[TOKEN], &creds));
    }

    #[test]
    fn configured_credentials_are_sent_even_when_no_requirement_lists_them() {
        let token = Credentials::api_token("t");
        assert!(matches!(should_send(Some(&[KEY]), Some(&token)), Ok(true)));
        assert!(matches!(should_send(Some(&[]), Some(&token)), Ok(false)));
        assert!(matches!(should_send(None, Some(&token)), Ok(true)));
    }

    #[test]
    fn nothing_configured_fails_only_when_credentials_are_required() {
        assert!(matches!(
            should_send(Some(&[KEY]), None),
            Err(Error::NoMatchingCredentials { .. })
        ));
        assert!(matches!(should_send(Some(&[KEY, &[]]), None), Ok(false)));
        assert!(matches!(should_send(None, None), Ok(false)));
    }

    #[test]
    fn bad_header_characters_do_not_leak_the_secret() {
        let Err(err) = auth_headers(&Credentials::api_token("abc\ndef-secret")) else {
            panic!("expected an error");
        };
        let text = format!("{err} {err:?}");
        assert!(!text.contains("secret"), "{text}");
    }
}
