//! When to retry a request and how long to wait first: which failures may
//! be retried for which requests (a write without an idempotency key only
//! when the server cannot have acted on it), exponential backoff with
//! jitter, and the `Retry-After` header.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// Exponential backoff: `base * 2^retry`, capped at `max`, minus up to 25 %
/// random jitter so clients that failed together don't retry together.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Backoff {
    /// The delay before the first retry (before jitter).
    pub(crate) base: Duration,
    /// The longest delay.
    pub(crate) max: Duration,
}

impl Backoff {
    /// The delay before retry number `retry` (0 for the first retry).
    pub(crate) fn delay(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(31));
        let delay = self.base.saturating_mul(factor).min(self.max);
        let jitter = 1.0 - 0.25 * fastrand::f64();
        Duration::try_from_secs_f64(delay.as_secs_f64() * jitter).unwrap_or(delay)
    }
}

/// How an attempt failed, as far as retrying it is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection was never made (refused, DNS, TLS handshake): the
    /// server has not seen the request.
    NotConnected,
    /// The connection failed after it was made: a timeout, a broken
    /// connection, a body cut short. The server may have acted.
    AfterSending,
    /// The server answered with this status; `retry_after` tells whether
    /// the answer carried a readable `Retry-After` (or `retry-after-ms`).
    Status {
        /// The response's status.
        status: StatusCode,
        /// Whether it said when to retry.
        retry_after: bool,
    },
}

/// Whether sending `method` twice has the effect of sending it once (RFC
/// 9110): `GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT` and `DELETE`. `POST`,
/// `PATCH`, `CONNECT` and any non-standard method are not.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::PUT,
        Method::DELETE,
    ]
    .contains(method)
}

/// Whether a request of `method` (carrying an idempotency key when `keyed`)
/// may be sent again after `failure`.
///
/// An idempotent method, or any request with an idempotency key (the
/// server answers its repeat as it answered the first), is retried after
/// any transport failure but a builder or redirect error, and on 408, 409
/// (Cloudflare answers it for concurrent changes), 429 and every 5xx.
///
/// Any other request (a `POST` or `PATCH` without a key) is retried only
/// when the server cannot have acted on it: the connection was never made,
/// the server answered 429 Too Many Requests, or 503 Service Unavailable
/// with a `Retry-After`. A 500, a 502 or a timeout after the request was
/// sent may hide a write that took effect, so that error is returned.
pub(crate) fn may_retry(method: &Method, keyed: bool, failure: Failure) -> bool {
    let replayable = keyed || is_idempotent(method);
    match failure {
        Failure::NotConnected => true,
        Failure::AfterSending => replayable,
        Failure::Status {
            status,
            retry_after,
        } => match status.as_u16() {
            429 => true,
            503 if retry_after => true,
            408 | 409 => replayable,
            _ => replayable && status.is_server_error(),
        },
    }
}

/// How a transport error failed, or `None` when it isn't worth retrying
/// for any request (an error building the request, following redirects
/// or decoding).
pub(crate) fn transport_failure(error: &reqwest::Error) -> Option<Failure> {
    if error.is_builder() || error.is_redirect() || error.is_status() || error.is_decode() {
        None
    } else if error.is_connect() {
        Some(Failure::NotConnected)
    } else {
        Some(Failure::AfterSending)
    }
}

/// A short description of a transport error for logs: its kind and root
/// cause, without the URL (which holds path parameters and the query).
pub(crate) fn describe_transport(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else if error.is_body() {
        "body"
    } else {
        "request"
    };
    let mut root = None;
    let mut cause = std::error::Error::source(error);
    while let Some(current) = cause {
        root = Some(current);
        cause = current.source();
    }
    match root {
        Some(root) => format!("{kind}: {root}"),
        None => kind.to_owned(),
    }
}

/// How long the server asks to wait before retrying, from `retry-after-ms`
/// (milliseconds) or `Retry-After` (seconds, possibly fractional, or an
/// HTTP date; a date in the past means now). `None` when absent or
/// unreadable.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let millis = headers
        .get("retry-after-ms")
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<f64>().ok())
        .and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok());
    if millis.is_some() {
        return millis;
    }
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Some(seconds) = text.parse::<f64>().ok().filter(|s| s.is_finite()) {
        return Duration::try_from_secs_f64(seconds).ok();
    }
    let date = httpdate::parse_http_date(text).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
        headers
    }

    #[test]
    fn parses_retry_after() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            retry_after(&headers("retry-after", "7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers("retry-after", "0.25"), now),
            Some(Duration::from_millis(250))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers("retry-after", &later), now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers("retry-after", &earlier), now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            retry_after(&headers("retry-after-ms", "150"), now),
            Some(Duration::from_millis(150))
        );
        assert_eq!(retry_after(&headers("retry-after", "soon"), now), None);
        assert_eq!(retry_after(&headers("retry-after", "-5"), now), None);
        assert_eq!(retry_after(&headers("retry-after", "1e400"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_grows_and_caps() {
        let backoff = Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_millis(1000),
        };
        for (retry, full) in [
            (0, 100),
            (1, 200),
            (2, 400),
            (3, 800),
            (4, 1000),
            (200, 1000),
        ] {
            let delay = backoff.delay(retry);
            let full = Duration::from_millis(full);
            assert!(delay <= full && delay >= full * 3 / 4, "{retry}: {delay:?}");
        }
        let huge = Backoff {
            base: Duration::MAX,
            max: Duration::MAX,
        };
        assert!(huge.delay(u32::MAX) > Duration::ZERO);
    }

    fn status(code: u16, retry_after: bool) -> Failure {
        Failure::Status {
            status: StatusCode::from_u16(code).unwrap_or(StatusCode::OK),
            retry_after,
        }
    }

    fn method(name: &str) -> Method {
        Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET)
    }

    #[test]
    fn idempotent_methods_retry_what_they_always_did() {
        for name in ["GET", "PUT", "DELETE", "HEAD", "OPTIONS", "TRACE"] {
            let method = method(name);
            assert!(is_idempotent(&method), "{name}");
            for code in [408, 409, 429, 500, 502, 503, 504, 599] {
                assert!(
                    may_retry(&method, false, status(code, false)),
                    "{name} {code}"
                );
            }
            for code in [200, 400, 401, 403, 404, 422] {
                assert!(
                    !may_retry(&method, false, status(code, true)),
                    "{name} {code}"
                );
            }
            assert!(may_retry(&method, false, Failure::NotConnected), "{name}");
            assert!(may_retry(&method, false, Failure::AfterSending), "{name}");
        }
    }

    #[test]
    fn writes_without_a_key_retry_only_what_the_server_cannot_have_done() {
        for name in ["POST", "PATCH", "CONNECT", "PURGE", "LOCK"] {
            let method = method(name);
            assert!(!is_idempotent(&method), "{name}");
            assert!(may_retry(&method, false, Failure::NotConnected), "{name}");
            assert!(!may_retry(&method, false, Failure::AfterSending), "{name}");
            assert!(may_retry(&method, false, status(429, false)), "{name}");
            assert!(may_retry(&method, false, status(429, true)), "{name}");
            assert!(may_retry(&method, false, status(503, true)), "{name}");
            assert!(!may_retry(&method, false, status(503, false)), "{name}");
            for code in [408, 409, 500, 502, 504, 599] {
                assert!(
                    !may_retry(&method, false, status(code, true)),
                    "{name} {code}"
                );
            }
            for code in [200, 400, 401, 404, 422] {
                assert!(
                    !may_retry(&method, false, status(code, true)),
                    "{name} {code}"
                );
            }
        }
    }

    #[test]
    fn writes_with_a_key_retry_as_idempotent_methods_do() {
        for name in ["POST", "PATCH", "PURGE"] {
            let method = method(name);
            for code in [408, 409, 429, 500, 502, 503, 504] {
                assert!(
                    may_retry(&method, true, status(code, false)),
                    "{name} {code}"
                );
            }
            for code in [400, 401, 404, 422] {
                assert!(
                    !may_retry(&method, true, status(code, false)),
                    "{name} {code}"
                );
            }
            assert!(may_retry(&method, true, Failure::AfterSending), "{name}");
            assert!(may_retry(&method, true, Failure::NotConnected), "{name}");
        }
    }
}
