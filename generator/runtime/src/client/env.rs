//! Reading client settings from environment variables named after the
//! description's security schemes, through a lookup function so it can be
//! tested without touching the process environment.

use crate::credentials::{Credentials, SchemeKind, SecurityScheme};

/// The environment variables a generated crate reads: the base URL and one
/// variable per security scheme (two, `<NAME>_USERNAME` and
/// `<NAME>_PASSWORD`, for HTTP basic).
#[derive(Clone, Copy, Debug)]
pub struct EnvVars {
    /// The base URL override, e.g. `CLOUDFLARE_BASE_URL`.
    pub base_url: &'static str,
    /// Each scheme with its variable, e.g. `CLOUDFLARE_API_TOKEN`.
    pub schemes: &'static [(SecurityScheme, &'static str)],
}

/// What the environment configures.
#[derive(Debug, Default)]
pub(crate) struct EnvConfig {
    /// Credentials for every scheme whose variables are set.
    pub(crate) credentials: Credentials,
    /// The base URL, if set.
    pub(crate) base_url: Option<String>,
    /// A problem to report at build time (never contains a secret).
    pub(crate) error: Option<String>,
}

/// Reads the settings. Values are trimmed and empty ones count as unset.
/// Every scheme whose variable is set gets a credential; a basic scheme
/// with only one of its two variables set is an error.
pub(crate) fn read(vars: &EnvVars, mut lookup: impl FnMut(&str) -> Option<String>) -> EnvConfig {
    let mut get = |name: &str| {
        lookup(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let mut config = EnvConfig {
        base_url: get(vars.base_url),
        ..EnvConfig::default()
    };
    for &(scheme, var) in vars.schemes {
        if scheme.kind == SchemeKind::Basic {
            let username = format!("{var}_USERNAME");
            let password = format!("{var}_PASSWORD");
            match (get(&username), get(&password)) {
                (Some(user), Some(pass)) => {
                    config.credentials = config.credentials.with_basic(scheme, user, pass);
                }
                (Some(_), None) => {
                    config.error = Some(format!("{username} is set but {password} is not"))
                }
                (None, Some(_)) => {
                    config.error = Some(format!("{password} is set but {username} is not"))
                }
                (None, None) => {}
            }
        } else if let Some(value) = get(var) {
            config.credentials = config.credentials.with(scheme, value);
        }
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::KeyLocation;

    const TOKEN: SecurityScheme = SecurityScheme::new("api_token", SchemeKind::Bearer);
    const KEY: SecurityScheme =
        SecurityScheme::new("api_key", SchemeKind::ApiKey(KeyLocation::Query, "api_key"));
    const BASIC: SecurityScheme = SecurityScheme::new("basic", SchemeKind::Basic);
    const VARS: EnvVars = EnvVars {
        base_url: "PET_BASE_URL",
        schemes: &[
            (TOKEN, "PET_API_TOKEN"),
            (KEY, "PET_API_KEY"),
            (BASIC, "PET_BASIC"),
        ],
    };

    fn read_from(pairs: &[(&str, &str)]) -> EnvConfig {
        read(&VARS, |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn every_set_variable_configures_its_scheme() {
        let config = read_from(&[
            ("PET_API_KEY", " k "),
            ("PET_BASIC_USERNAME", "u"),
            ("PET_BASIC_PASSWORD", "p"),
            ("PET_BASE_URL", "http://127.0.0.1:1"),
            ("PET_API_TOKEN", "  "),
        ]);
        let names: Vec<_> = config.credentials.schemes().map(|s| s.name).collect();
        assert_eq!(names, ["api_key", "basic"]);
        assert_eq!(config.base_url.as_deref(), Some("http://127.0.0.1:1"));
        assert!(config.error.is_none());
    }

    #[test]
    fn half_a_basic_pair_is_an_error_naming_the_variables() {
        let config = read_from(&[("PET_BASIC_USERNAME", "u")]);
        assert_eq!(
            config.error.as_deref(),
            Some("PET_BASIC_USERNAME is set but PET_BASIC_PASSWORD is not")
        );
    }
}
