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
    let err: ApiError = ApiError::from_parts(StatusCode::FORBIDDEN, headers(), Bytes::from_static(b"{}"), 1, ("", ""));
    let decode = DecodeError {
        status: StatusCode::OK,
        headers: headers(),
        body: Bytes::from_static(b"[]"),
        type_name: "Vec<Role>".into(),
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

/// An operation's error enum, as generated code writes it.
#[derive(Debug)]
enum OpError {
    NotFound(Box<ApiError<serde_json::Value>>),
}

impl OperationError for OpError {
    fn api_error(&self) -> &dyn AnyApiError {
        match self {
            OpError::NotFound(e) => &**e,
        }
    }
}

#[test]
fn errors_answer_the_common_questions_without_a_trait_import() {
    let body = Bytes::from_static(
        br#"{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}"#,
    );
    let e: Error<OpError> = Error::Api(OpError::NotFound(Box::new(ApiError::from_parts(
        StatusCode::NOT_FOUND,
        HeaderMap::new(),
        body,
        2,
        ("get_users_by_id", "/users/{id}"),
    ))));
    assert!(e.is_not_found() && !e.is_rate_limited());
    assert_eq!(e.error_code().as_deref(), Some("inexistent_user"));
    assert_eq!(e.message().as_deref(), Some("The user does not exist."));
    assert_eq!(e.attempts(), Some(2));
    assert_eq!(
        e.to_string(),
        "api error: get_users_by_id (/users/{id}): status 404 Not Found: The user does not exist.",
        "the message names the operation and its route template"
    );

    let mut h = HeaderMap::new();
    h.insert("retry-after", HeaderValue::from_static("7"));
    let limited: Error<OpError> = Error::UnexpectedStatus(Box::new(ApiError::from_parts(
        StatusCode::TOO_MANY_REQUESTS,
        h,
        Bytes::from_static(b"slow down"),
        3,
        ("get_logs", "/logs"),
    )));
    assert!(limited.is_rate_limited() && !limited.is_not_found());
    assert_eq!(limited.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!((limited.error_code(), limited.message(), limited.attempts()), (None, None, Some(3)));
    assert!(limited.to_string().contains("get_logs (/logs): status 429"), "{limited}");

    let invalid: Error<OpError> = Error::InvalidRequest("x".into());
    assert_eq!((invalid.status(), invalid.attempts(), invalid.retry_after()), (None, None, None));
}
