//! When and how long to wait before trying a request again.
//!
//! Policy (see the crate docs): idempotent methods (GET, HEAD, PUT, DELETE,
//! OPTIONS, TRACE) are retried on connection errors and on 408, 429, 500,
//! 502, 503 and 504. POST and PATCH are retried only when the server cannot
//! have processed the request: a refused connection, or 429. A caller can
//! opt in to retrying them fully, per client or per request, and requests
//! sent with an idempotency key are treated as idempotent.
//! The wait is the server's word when it gives one (`Retry-After` seconds
//! or HTTP date; for a 429 without it, `X-RateLimit-Reset` epoch seconds),
//! capped at `max_retry_after`; otherwise capped exponential backoff with
//! jitter. `X-RateLimit-Reset` is ignored on other statuses: Auth0 sends it
//! on every response, and on a 503 it says when the rate-limit window
//! resets, not when the server recovers.
//! A 401 answered to a refreshable token (client credentials, a
//! [`TokenProvider`](super::TokenProvider)) gets one new token and one more
//! attempt, without a wait and outside `max_retries`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName};

/// Retry settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retries off). Default 2.
    pub max_retries: u32,
    /// The first backoff; doubled each retry. Default 500 ms.
    pub initial_backoff: Duration,
    /// The longest backoff. Default 8 s.
    pub max_backoff: Duration,
    /// The longest wait a server can ask for. Default 60 s.
    pub max_retry_after: Duration,
    /// Retry POST and PATCH like idempotent methods. Default false.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..Self::default() }
    }

    /// Whether a response with `status` may be retried. `idempotent` already
    /// accounts for `retry_non_idempotent` (the client's or the request's).
    pub(crate) fn retry_status(&self, status: u16, idempotent: bool) -> bool {
        match status {
            429 => true,
            408 | 500 | 502 | 503 | 504 => idempotent,
            _ => false,
        }
    }

    /// The wait before retry number `retry` (0-based) after a response
    /// with this status and headers (`None`: no response).
    pub(crate) fn delay(&self, retry: u32, response: Option<(u16, &HeaderMap)>, now: SystemTime) -> Duration {
        if let Some(d) = response.and_then(|(status, h)| server_delay(h, status == 429, now)) {
            return d.min(self.max_retry_after);
        }
        let exp = self.initial_backoff.saturating_mul(2u32.saturating_pow(retry.min(20)));
        let capped = exp.min(self.max_backoff);
        // Jitter: between half and all of the capped backoff.
        capped.mul_f64(0.5 + fastrand::f64() * 0.5)
    }
}

/// The wait a server asked for, from `Retry-After` (seconds or an HTTP
/// date) or, when `rate_limited` (a 429), `X-RateLimit-Reset` (epoch seconds).
pub(crate) fn server_delay(headers: &HeaderMap, rate_limited: bool, now: SystemTime) -> Option<Duration> {
    if let Some(v) = headers.get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()) {
        let v = v.trim();
        if let Ok(secs) = v.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(secs) = v.parse::<f64>() {
            if secs.is_finite() && secs >= 0.0 {
                return Some(Duration::from_secs_f64(secs.min(1e9)));
            }
        }
        if let Ok(at) = httpdate::parse_http_date(v) {
            return Some(at.duration_since(now).unwrap_or(Duration::ZERO));
        }
    }
    if !rate_limited {
        return None;
    }
    let reset = headers
        .get(HeaderName::from_static("x-ratelimit-reset"))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())?;
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The `X-RateLimit-*` headers of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// Requests allowed in the window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// Requests left in the window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
    /// When the window resets, in seconds since the Unix epoch
    /// (`X-RateLimit-Reset`).
    pub reset: Option<u64>,
}

impl RateLimit {
    pub fn from_headers(headers: &HeaderMap) -> Self {
        // Static names: looking up by `&str` parses the name on every call.
        let num = |k: &'static str| {
            headers
                .get(HeaderName::from_static(k))
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        RateLimit {
            limit: num("x-ratelimit-limit"),
            remaining: num("x-ratelimit-remaining"),
            reset: num("x-ratelimit-reset"),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        *self == RateLimit::default()
    }
}

#[cfg(test)]
mod tests;
