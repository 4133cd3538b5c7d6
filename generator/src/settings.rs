//! What the command line adds to the generated client besides the
//! description: headers its builder sends with every request (`--header
//! 'Stripe-Version: 2020-08-27'`) and the environment variable `from_env`
//! reads for a security scheme (`--env SCHEME=VARIABLE`, as the scheme's
//! `x-apigen-env` extension does). Each is checked before anything is made,
//! and the bad ones are reported as usage errors.

use crate::diagnostic::{Diagnostic, Kind, Location};
use crate::model::Model;

/// Splits `Name: value` (as `curl -H` takes it) into a checked name and
/// value, the value trimmed.
pub fn parse_header(text: &str) -> Result<(String, String), String> {
    let Some((name, value)) = text.split_once(':') else {
        return Err(format!(
            "`{text}` is not a header: write it as `Name: value`"
        ));
    };
    let (name, value) = (name.trim(), value.trim());
    check_header(name, value)?;
    Ok((name.to_owned(), value.to_owned()))
}

/// Splits `SCHEME=VARIABLE` into the scheme's name and a checked variable
/// name.
pub fn parse_env(text: &str) -> Result<(String, String), String> {
    let Some((scheme, variable)) = text.split_once('=') else {
        return Err(format!(
            "`{text}` does not name a variable: write it as `SCHEME=VARIABLE`"
        ));
    };
    let (scheme, variable) = (scheme.trim(), variable.trim());
    if scheme.is_empty() {
        return Err(format!("`{text}` names no security scheme"));
    }
    check_variable(variable)?;
    Ok((scheme.to_owned(), variable.to_owned()))
}

/// A header name is an HTTP token; a value is visible ASCII, spaces and
/// tabs (no line break, which would end the header).
fn check_header(name: &str, value: &str) -> Result<(), String> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(format!("`{name}` is not a valid header name"));
    }
    if !value
        .chars()
        .all(|c| c == ' ' || c == '\t' || c.is_ascii_graphic())
    {
        return Err(format!(
            "the value of header `{name}` has a character a header cannot carry \
             (a line break, a control character, or one outside ASCII)"
        ));
    }
    Ok(())
}

/// An environment variable name: letters, digits and `_`, not starting
/// with a digit.
fn check_variable(variable: &str) -> Result<(), String> {
    let valid = variable
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && variable
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{variable}` is not an environment variable name (letters, digits and `_`)"
        ))
    }
}

/// Puts the default headers and the environment variables of `options`
/// into the model: an invalid header or variable, or a scheme the
/// description does not declare, is an error.
pub(crate) fn apply(
    model: &mut Model,
    headers: &[(String, String)],
    env: &[(String, String)],
) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let usage = |message: String| Diagnostic::error(Kind::Usage, Location::default(), message);
    for (name, value) in headers {
        match check_header(name, value) {
            Ok(()) => model.default_headers.push((name.clone(), value.clone())),
            Err(message) => errors.push(usage(message)),
        }
    }
    for (scheme, variable) in env {
        if let Err(message) = check_variable(variable) {
            errors.push(usage(message));
            continue;
        }
        match model.auth.iter_mut().find(|s| s.wire == *scheme) {
            Some(found) => found.env = Some(variable.clone()),
            None => {
                let known: Vec<&str> = model.auth.iter().map(|s| s.wire.as_str()).collect();
                let help = if known.is_empty() {
                    "the description declares no security scheme".to_owned()
                } else {
                    format!("the description's schemes are: {}", known.join(", "))
                };
                errors.push(
                    usage(format!(
                        "`--env {scheme}={variable}`: no security scheme is named `{scheme}`"
                    ))
                    .with_help(help),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AuthScheme;
    use crate::spec::SecuritySchemeKind;

    #[test]
    fn headers_are_read_as_curl_takes_them() {
        assert_eq!(
            parse_header("Stripe-Version: 2020-08-27"),
            Ok(("Stripe-Version".into(), "2020-08-27".into()))
        );
        assert_eq!(
            parse_header("X-Empty:"),
            Ok(("X-Empty".into(), String::new()))
        );
        assert_eq!(
            parse_header("X-Time: 12:30"),
            Ok(("X-Time".into(), "12:30".into()))
        );
        for bad in [
            "Stripe-Version 2020",
            ": v",
            "Bad Name: v",
            "X: a\nb",
            "X: é",
        ] {
            assert!(parse_header(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn variables_are_checked() {
        assert_eq!(
            parse_env("bearerAuth=STRIPE_SECRET_KEY"),
            Ok(("bearerAuth".into(), "STRIPE_SECRET_KEY".into()))
        );
        for bad in ["bearerAuth", "=X", "a=", "a=1X", "a=X-Y"] {
            assert!(parse_env(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn apply_names_variables_and_refuses_unknown_schemes() {
        let mut model = Model::default();
        model.auth.push(AuthScheme {
            wire: "bearerAuth".into(),
            method: "bearer_auth".into(),
            kind: SecuritySchemeKind::Bearer,
            doc: Vec::new(),
            env: None,
            client_credentials: None,
        });
        let headers = [("Stripe-Version".to_owned(), "2020-08-27".to_owned())];
        let env = [("bearerAuth".to_owned(), "STRIPE_SECRET_KEY".to_owned())];
        assert!(apply(&mut model, &headers, &env).is_ok());
        assert_eq!(model.auth[0].env.as_deref(), Some("STRIPE_SECRET_KEY"));
        assert_eq!(model.default_headers, headers);

        let env = [("basicAuth".to_owned(), "X".to_owned())];
        let bad_header = [("X".to_owned(), "a\rb".to_owned())];
        let errors = apply(&mut model, &bad_header, &env).expect_err("two errors");
        assert_eq!(errors.len(), 2);
        assert!(errors[1].message.contains("`basicAuth`"), "{:?}", errors[1]);
        assert_eq!(
            errors[1].help.as_deref(),
            Some("the description's schemes are: bearerAuth")
        );
    }
}
