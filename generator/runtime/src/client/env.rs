//! Reading client settings from `CLOUDFLARE_*` environment variables,
//! through a lookup function so it can be tested without touching the
//! process environment.

use crate::credentials::Credentials;

/// `Authorization: Bearer` API token.
pub(crate) const API_TOKEN: &str = "CLOUDFLARE_API_TOKEN";
/// Account email for the global API key.
pub(crate) const EMAIL: &str = "CLOUDFLARE_EMAIL";
/// Global API key.
pub(crate) const API_KEY: &str = "CLOUDFLARE_API_KEY";
/// Origin CA user service key.
pub(crate) const USER_SERVICE_KEY: &str = "CLOUDFLARE_API_USER_SERVICE_KEY";
/// Base URL override.
pub(crate) const BASE_URL: &str = "CLOUDFLARE_BASE_URL";

/// What the environment configures.
#[derive(Debug, Default)]
pub(crate) struct EnvConfig {
    /// Credentials, if any variables for them are set.
    pub(crate) credentials: Option<Credentials>,
    /// The base URL, if set.
    pub(crate) base_url: Option<String>,
    /// A problem to report at build time (never contains a secret).
    pub(crate) error: Option<String>,
}

/// Reads the settings. Values are trimmed and empty ones count as unset.
/// Credentials are taken from the first complete set of:
/// `CLOUDFLARE_API_TOKEN`; `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`;
/// `CLOUDFLARE_API_USER_SERVICE_KEY`. Only one of the email and key being
/// set (with no token) is an error.
pub(crate) fn read(mut lookup: impl FnMut(&str) -> Option<String>) -> EnvConfig {
    let mut get = |name: &str| {
        lookup(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let token = get(API_TOKEN);
    let email = get(EMAIL);
    let key = get(API_KEY);
    let user_service_key = get(USER_SERVICE_KEY);
    let base_url = get(BASE_URL);

    let mut config = EnvConfig {
        base_url,
        ..EnvConfig::default()
    };
    if let Some(token) = token {
        config.credentials = Some(Credentials::api_token(token));
        return config;
    }
    match (email, key) {
        (Some(email), Some(key)) => {
            config.credentials = Some(Credentials::api_key(email, key));
            return config;
        }
        (Some(_), None) => {
            config.error = Some(format!("{EMAIL} is set but {API_KEY} is not"));
            return config;
        }
        (None, Some(_)) => {
            config.error = Some(format!("{API_KEY} is set but {EMAIL} is not"));
            return config;
        }
        (None, None) => {}
    }
    config.credentials = user_service_key.map(Credentials::user_service_key);
    config
}
