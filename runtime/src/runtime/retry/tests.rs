//! Unit tests of `retry.rs` (not copied into generated crates).

use super::*;
use reqwest::header::HeaderValue;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    h
}

#[test]
fn retry_after_forms() {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(server_delay(&headers(&[("retry-after", "3")]), false, now), Some(Duration::from_secs(3)));
    let date = httpdate::fmt_http_date(now + Duration::from_secs(5));
    assert_eq!(server_delay(&headers(&[("retry-after", &date)]), false, now), Some(Duration::from_secs(5)));
    assert_eq!(server_delay(&headers(&[("x-ratelimit-reset", "1700000007")]), true, now), Some(Duration::from_secs(7)));
    assert_eq!(server_delay(&headers(&[]), true, now), None);
}

#[test]
fn rate_limit_reset_only_on_429() {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let h = headers(&[("x-ratelimit-reset", "1700000030")]);
    assert_eq!(server_delay(&h, false, now), None);
    let p = RetryPolicy::default();
    assert_eq!(p.delay(0, Some((429, &h)), now), Duration::from_secs(30));
    assert!(p.delay(0, Some((503, &h)), now) <= p.initial_backoff);
}

#[test]
fn server_delay_is_capped() {
    let p = RetryPolicy::default();
    let now = SystemTime::now();
    let d = p.delay(0, Some((503, &headers(&[("retry-after", "31536000")]))), now);
    assert_eq!(d, p.max_retry_after);
}

#[test]
fn backoff_grows_and_is_capped() {
    let p = RetryPolicy::default();
    let now = SystemTime::now();
    for retry in 0..30 {
        let d = p.delay(retry, None, now);
        assert!(d <= p.max_backoff);
        let exp = p.initial_backoff.saturating_mul(2u32.saturating_pow(retry.min(20))).min(p.max_backoff);
        assert!(d >= exp / 2);
    }
}

#[test]
fn idempotency_decides() {
    let p = RetryPolicy::default();
    assert!(p.retry_status(503, true));
    assert!(!p.retry_status(503, false));
    assert!(p.retry_status(429, false));
    assert!(!p.retry_status(400, true));
}
