//! Client-side rate limiting from the server's `Ratelimit` and
//! `Ratelimit-Policy` headers.
//!
//! Cloudflare sends `Ratelimit: "default";r=50;t=30` (50 requests remain,
//! the window resets in 30 s) and `Ratelimit-Policy: "default";q=1200;w=300`
//! (1200 requests per 300 s). The older draft form
//! `Ratelimit: limit=100, remaining=0, reset=30` and separate
//! `Ratelimit-Remaining` / `Ratelimit-Reset` headers are accepted too.
//! When no requests remain, the client's next request waits for the reset.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::time::Instant;

/// The latest rate-limit state the server reported.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests left in the current window.
    pub remaining: Option<u64>,
    /// Time until the window resets, as of `observed_at`.
    pub reset: Option<Duration>,
    /// Requests allowed per window (`q` of `Ratelimit-Policy`).
    pub quota: Option<u64>,
    /// The window's length (`w` of `Ratelimit-Policy`).
    pub window: Option<Duration>,
    /// When the response carrying these values arrived.
    pub observed_at: std::time::Instant,
}

/// Shared rate-limit state of a client (all its clones).
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    state: Mutex<State>,
}

/// What the limiter remembers.
#[derive(Debug, Default)]
struct State {
    /// No request should start before this instant.
    blocked_until: Option<Instant>,
    /// The last values the server reported.
    last: Option<RateLimit>,
}

impl RateLimiter {
    /// Locks the state; a panic elsewhere while holding the lock can't
    /// leave it inconsistent, so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The latest reported state.
    pub(crate) fn last(&self) -> Option<RateLimit> {
        self.lock().last.clone()
    }

    /// Records a response's rate-limit headers: when no requests remain,
    /// later requests wait for the reset; when some do, they don't.
    pub(crate) fn observe(&self, headers: &HeaderMap) {
        let Some(status) = parse_headers(headers) else {
            return;
        };
        let now = Instant::now();
        let mut state = self.lock();
        match (status.remaining, status.reset) {
            (Some(0), Some(reset)) => {
                state.blocked_until = now.checked_add(reset);
            }
            (Some(_), _) => state.blocked_until = None,
            _ => {}
        }
        state.last = Some(RateLimit {
            observed_at: now.into_std(),
            ..status
        });
    }

    /// Waits until the reset if the server said no requests remain. A wait
    /// longer than `max_wait` is skipped (the server will answer 429, and
    /// that is handled like any other `Retry-After`).
    pub(crate) async fn wait(&self, max_wait: Duration) {
        let until = self.lock().blocked_until;
        let Some(until) = until else {
            return;
        };
        let now = Instant::now();
        if until <= now {
            return;
        }
        let wait = until - now;
        if wait > max_wait {
            tracing::debug!(?wait, "rate limit reset is too far away; not waiting");
            return;
        }
        tracing::debug!(?wait, "rate limit exhausted; waiting for the reset");
        tokio::time::sleep_until(until).await;
    }
}

/// Reads the rate-limit headers of a response; `None` when there are
/// none.
fn parse_headers(headers: &HeaderMap) -> Option<RateLimit> {
    let text = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
            .join(",")
    };
    let limit = text("ratelimit");
    let (mut remaining, mut reset) = parse_ratelimit(&limit);
    if remaining.is_none() {
        remaining = text("ratelimit-remaining").trim().parse().ok();
    }
    if reset.is_none() {
        reset = seconds(text("ratelimit-reset").trim());
    }
    let (quota, window) = parse_policy(&text("ratelimit-policy"));
    if remaining.is_none() && reset.is_none() && quota.is_none() && window.is_none() {
        return None;
    }
    Some(RateLimit {
        remaining,
        reset,
        quota,
        window,
        observed_at: std::time::Instant::now(),
    })
}

/// One comma-separated item of a header: its name (if the first part isn't
/// `key=value`) and its `(lowercased key, value)` parameters.
type Item<'a> = (Option<&'a str>, Vec<(String, &'a str)>);

/// Splits a header into its comma-separated items, each a list of
/// `;`-separated parameters: `(name, [(key, value)])`. An item whose first
/// part is itself `key=value` has no name.
fn items(value: &str) -> Vec<Item<'_>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let mut name = None;
            let mut params = Vec::new();
            if let Some(first) = parts.next() {
                match first.split_once('=') {
                    Some(pair) => params.push(pair),
                    None => name = Some(first),
                }
            }
            params.extend(parts.filter_map(|part| part.split_once('=')));
            let params = params
                .into_iter()
                .map(|(key, value)| {
                    (
                        key.trim().to_ascii_lowercase(),
                        value.trim().trim_matches('"'),
                    )
                })
                .collect();
            (name, params)
        })
        .collect()
}

/// `(remaining, reset)` from a `Ratelimit` header. With several policies
/// the most restrictive wins (fewest remaining, then longest reset).
fn parse_ratelimit(value: &str) -> (Option<u64>, Option<Duration>) {
    let mut policies: Vec<(Option<u64>, Option<Duration>)> = Vec::new();
    // Draft-style `limit=.., remaining=.., reset=..` items form one policy.
    let mut unnamed: (Option<u64>, Option<Duration>) = (None, None);
    for (name, params) in items(value) {
        let mut policy = (None, None);
        for (key, value) in params {
            match key.as_str() {
                "r" | "remaining" => policy.0 = value.parse().ok(),
                "t" | "reset" => policy.1 = seconds(value),
                _ => {}
            }
        }
        if name.is_some() {
            policies.push(policy);
        } else {
            unnamed.0 = unnamed.0.or(policy.0);
            unnamed.1 = unnamed.1.or(policy.1);
        }
    }
    if unnamed.0.is_some() || unnamed.1.is_some() {
        policies.push(unnamed);
    }
    policies
        .into_iter()
        .min_by(|a, b| {
            let remaining = a.0.unwrap_or(u64::MAX).cmp(&b.0.unwrap_or(u64::MAX));
            remaining.then_with(|| b.1.cmp(&a.1))
        })
        .unwrap_or((None, None))
}

/// `(quota, window)` from a `Ratelimit-Policy` header such as
/// `"default";q=1200;w=300` or `100;w=60` (first policy only).
fn parse_policy(value: &str) -> (Option<u64>, Option<Duration>) {
    let Some((name, params)) = items(value).into_iter().next() else {
        return (None, None);
    };
    let mut quota = name.and_then(|name| name.parse().ok());
    let mut window = None;
    for (key, value) in params {
        match key.as_str() {
            "q" | "limit" => quota = value.parse().ok(),
            "w" | "window" => window = seconds(value),
            _ => {}
        }
    }
    (quota, window)
}

/// Non-negative seconds, whole or fractional.
fn seconds(text: &str) -> Option<Duration> {
    if let Ok(whole) = text.parse::<u64>() {
        return Some(Duration::from_secs(whole));
    }
    text.parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudflare_form() {
        assert_eq!(
            parse_ratelimit("\"default\";r=50;t=30"),
            (Some(50), Some(Duration::from_secs(30)))
        );
        assert_eq!(
            parse_ratelimit("\"a\";r=5;t=1, \"b\";r=0;t=20"),
            (Some(0), Some(Duration::from_secs(20)))
        );
    }

    #[test]
    fn draft_form() {
        assert_eq!(
            parse_ratelimit("limit=100, remaining=0, reset=30"),
            (Some(0), Some(Duration::from_secs(30)))
        );
        assert_eq!(parse_ratelimit(""), (None, None));
        assert_eq!(parse_ratelimit("garbage;;=,,"), (None, None));
        assert_eq!(
            parse_ratelimit("\"d\";r=0;t=0.5"),
            (Some(0), Some(Duration::from_millis(500)))
        );
    }

    #[test]
    fn policies() {
        assert_eq!(
            parse_policy("\"default\";q=1200;w=300"),
            (Some(1200), Some(Duration::from_secs(300)))
        );
        assert_eq!(
            parse_policy("100;w=60"),
            (Some(100), Some(Duration::from_secs(60)))
        );
        assert_eq!(parse_policy(""), (None, None));
    }

    #[test]
    fn separate_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "ratelimit-remaining",
            reqwest::header::HeaderValue::from_static("0"),
        );
        headers.insert(
            "ratelimit-reset",
            reqwest::header::HeaderValue::from_static("12"),
        );
        let status = parse_headers(&headers);
        assert_eq!(status.as_ref().and_then(|s| s.remaining), Some(0));
        assert_eq!(status.and_then(|s| s.reset), Some(Duration::from_secs(12)));
        assert!(parse_headers(&HeaderMap::new()).is_none());
    }
}
