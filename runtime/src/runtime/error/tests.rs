//! Unit tests of `error.rs` (not copied into generated crates).

use super::*;
use reqwest::header::HeaderValue;

fn headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("set-cookie", HeaderValue::from_static("sid=s3cr3t-session; HttpOnly"));
    h.insert("x-auth-token", HeaderValue::from_static("tok-123"));
    h.insert("x-api-key", HeaderValue::from_static("key-456"));
    h.insert("x-ratelimit-remaining", HeaderValue::from_static("7"));
    h
}

#[test]
fn debug_output_redacts_credential_headers() {
    let err: ApiError = ApiError::from_parts(StatusCode::FORBIDDEN, headers(), Bytes::from_static(b"{}"), 1);
    let decode = DecodeError {
        status: StatusCode::OK,
        headers: headers(),
        body: Bytes::from_static(b"[]"),
        path: ".".into(),
        message: "x".into(),
    };
    let ok = ApiResponse::new(StatusCode::OK, headers(), 5);
    for text in [format!("{err:?}"), format!("{decode:?}"), format!("{ok:?}"), format!("{ok:#?}")] {
        for secret in ["s3cr3t", "tok-123", "key-456"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert!(text.contains("\"x-ratelimit-remaining\": \"7\""), "{text}");
        assert!(text.contains("\"set-cookie\": [redacted]"), "{text}");
    }
    assert!(format!("{ok:?}").contains("body: 5"));
}
