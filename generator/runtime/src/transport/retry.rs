//! When to retry a request and how long to wait first: retryable statuses
//! and transport errors, exponential backoff with jitter, and the
//! `Retry-After` header.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

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

/// Whether a response with this status is worth retrying: 408 Request
/// Timeout, 409 Conflict (Cloudflare answers it for concurrent changes),
/// 429 Too Many Requests and every 5xx.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// Whether a transport error is worth retrying: connection failures,
/// timeouts and broken connections; not errors building the request or
/// following redirects.
pub(crate) fn is_retryable_transport(error: &reqwest::Error) -> bool {
    !(error.is_builder() || error.is_redirect() || error.is_status() || error.is_decode())
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

    #[test]
    fn retryable_statuses() {
        for code in [408, 409, 429, 500, 502, 503, 504, 599] {
            assert!(
                is_retryable_status(StatusCode::from_u16(code).unwrap_or(StatusCode::OK)),
                "{code}"
            );
        }
        for code in [200, 400, 401, 403, 404, 422] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(code).unwrap_or(StatusCode::OK)),
                "{code}"
            );
        }
    }
}
