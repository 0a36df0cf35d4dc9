//! Errors and responses.
//!
//! Every operation returns `Result<ApiResponse<T>, Error<E>>`, where `E` is
//! the operation's own enum of the error statuses its spec lists. Errors
//! carry the status, headers and raw body; nothing the server said is lost.

use std::fmt;
use std::ops::Deref;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::auth::TokenError;
use super::retry::RateLimit;
use super::validate::ValidationError;

/// What every operation returns.
pub type Result<T, E> = std::result::Result<ApiResponse<T>, Error<E>>;

/// A successful response: the typed body plus status and headers.
///
/// It dereferences to the body, so `response.id` reads a field.
#[derive(Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        ApiResponse { status, headers, body }
    }
    pub fn status(&self) -> StatusCode {
        self.status
    }
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The `X-RateLimit-*` values of this response.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }
    pub fn into_inner(self) -> T {
        self.body
    }
    pub fn body(&self) -> &T {
        &self.body
    }
    /// Maps the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse { status: self.status, headers: self.headers, body: f(self.body) }
    }
}

impl<T> Deref for ApiResponse<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

/// An error response: status, headers, the raw body and, when it decodes,
/// the body as the type the spec gives for that status.
#[derive(Clone)]
pub struct ApiError<T = serde_json::Value> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body exactly as received.
    pub body: Bytes,
    /// The body decoded as `T`, if it decoded.
    pub parsed: Option<T>,
    /// How many attempts were made (1 without retries).
    pub attempts: u32,
    /// The operation's id and route template (`get_organizations_by_id`,
    /// `/organizations/{id}`), for messages.
    pub operation: &'static str,
    pub route: &'static str,
}

impl<T: DeserializeOwned> ApiError<T> {
    pub(crate) fn from_parts(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        attempts: u32,
        (operation, route): (&'static str, &'static str),
    ) -> Self {
        let parsed = if body.is_empty() { None } else { serde_json::from_slice(&body).ok() };
        ApiError { status, headers, body, parsed, attempts, operation, route }
    }
}

impl<T> ApiError<T> {
    /// The common JSON error fields (`statusCode`, `error`, `message`,
    /// `errorCode`, as Auth0 sends them), when the body has them.
    pub fn details(&self) -> Option<ErrorDetails> {
        ErrorDetails::parse(&self.body)
    }
    /// The `X-RateLimit-*` values of this response.
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }
    /// Where a redirect points (`Location`), when this is a 3xx with one.
    pub fn location(&self) -> Option<&str> {
        if !self.status.is_redirection() {
            return None;
        }
        self.headers.get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok())
    }
    /// How long the server asked us to wait (`Retry-After`, or on a 429
    /// `X-RateLimit-Reset`), if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::server_delay(
            &self.headers,
            self.status == StatusCode::TOO_MANY_REQUESTS,
            std::time::SystemTime::now(),
        )
    }
}

/// A type-erased view of an [`ApiError`].
pub trait AnyApiError: fmt::Debug + Send + Sync {
    fn status(&self) -> StatusCode;
    fn headers(&self) -> &HeaderMap;
    fn raw_body(&self) -> &Bytes;
    fn attempts(&self) -> u32;
    /// Whether the body decoded as the type the spec gives for this status
    /// ([`ApiError::parsed`]); an empty body does not.
    fn decoded(&self) -> bool;
    /// The operation's id and its route template.
    fn operation(&self) -> (&'static str, &'static str);
    /// See [`ApiError::details`].
    fn details(&self) -> Option<ErrorDetails> {
        ErrorDetails::parse(self.raw_body())
    }
    /// See [`ApiError::retry_after`].
    fn retry_after(&self) -> Option<Duration> {
        super::retry::server_delay(
            self.headers(),
            self.status() == StatusCode::TOO_MANY_REQUESTS,
            std::time::SystemTime::now(),
        )
    }
}

impl<T: fmt::Debug + Send + Sync> AnyApiError for ApiError<T> {
    fn status(&self) -> StatusCode {
        self.status
    }
    fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    fn raw_body(&self) -> &Bytes {
        &self.body
    }
    fn operation(&self) -> (&'static str, &'static str) {
        (self.operation, self.route)
    }
    fn attempts(&self) -> u32 {
        self.attempts
    }
    fn decoded(&self) -> bool {
        self.parsed.is_some()
    }
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

/// Headers for `Debug`: values that may carry credentials (cookies,
/// authorization, names with `token`, `secret`, `session`, `key` or
/// `password`) print as `[redacted]`, so a logged error never leaks a session.
pub(crate) struct RedactedHeaders<'a>(pub &'a HeaderMap);

impl RedactedHeaders<'_> {
    fn is_sensitive(name: &str) -> bool {
        matches!(name, "authorization" | "proxy-authorization" | "cookie" | "set-cookie")
            || ["token", "secret", "session", "key", "password"].iter().any(|w| name.contains(w))
    }
}

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if Self::is_sensitive(name.as_str()) {
                map.entry(&name.as_str(), &format_args!("[redacted]"));
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

impl<T: fmt::Debug> fmt::Debug for ApiError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &BodyPreview(&self.body))
            .field("parsed", &self.parsed)
            .field("attempts", &self.attempts)
            .field("operation", &self.operation)
            .field("route", &self.route)
            .finish()
    }
}

/// `get_users_by_id (/users/{id}): `, the start of an API error's message
/// (nothing when the operation is unknown).
fn write_operation(f: &mut fmt::Formatter<'_>, (operation, route): (&str, &str)) -> fmt::Result {
    if operation.is_empty() {
        return Ok(());
    }
    write!(f, "{operation} ({route}): ")
}

impl<T> fmt::Display for ApiError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_operation(f, (self.operation, self.route))?;
        write!(f, "status {}", self.status)?;
        if let Some(to) = self.location() {
            write!(f, " redirecting to {to:?} (not followed)")?;
        }
        match self.details() {
            Some(d) => {
                if let Some(code) = &d.error_code {
                    write!(f, " ({code})")?;
                }
                if let Some(m) = d.message.as_ref().or(d.error.as_ref()) {
                    write!(f, ": {m}")?;
                }
            }
            None if !self.body.is_empty() => write!(f, ": {:?}", BodyPreview(&self.body))?,
            None => {}
        }
        Ok(())
    }
}

/// Shows at most 512 bytes of a body, lossily decoded.
struct BodyPreview<'a>(&'a [u8]);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 512;
        let cut = &self.0[..self.0.len().min(MAX)];
        let text = String::from_utf8_lossy(cut);
        if self.0.len() > MAX {
            write!(f, "{text:?}... ({} bytes)", self.0.len())
        } else {
            write!(f, "{text:?}")
        }
    }
}

/// The usual fields of a JSON error body.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub message: Option<String>,
    #[serde(alias = "code")]
    pub error_code: Option<String>,
}

impl ErrorDetails {
    fn parse(body: &[u8]) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_slice(body).ok()?;
        let obj = v.as_object()?;
        let text = |k: &str| {
            obj.get(k).and_then(|v| v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string())))
        };
        let res = ErrorDetails {
            status_code: obj.get("statusCode").and_then(|v| v.as_u64()).and_then(|n| u16::try_from(n).ok()),
            error: text("error"),
            message: text("message"),
            error_code: text("errorCode").or_else(|| text("code")),
        };
        (res != ErrorDetails::default()).then_some(res)
    }
}

/// Implemented by each operation's error enum.
pub trait OperationError: fmt::Debug + Send + Sync {
    /// The response behind the error.
    fn api_error(&self) -> &dyn AnyApiError;
}

/// The error type of a request sent by hand (`Client::send`): it lists no
/// statuses, so any error status is [`Error::UnexpectedStatus`], and the
/// error is a `std::error::Error` like every operation's.
impl OperationError for std::convert::Infallible {
    fn api_error(&self) -> &dyn AnyApiError {
        match *self {}
    }
}

/// A success response whose body did not decode as the spec says. The
/// request succeeded: the server acted on it (a create created), so the
/// call must not be sent again; [`Error::is_retryable`] is false and
/// [`Error::request_succeeded`] true.
pub struct DecodeError {
    /// The success status the server answered with.
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The raw body, as the server sent it.
    pub body: Bytes,
    /// The Rust type the body was read as, without its module path
    /// (`GetUserResponseContent`, `Vec<Role>`); empty when unknown.
    pub type_name: String,
    /// Where in the body decoding failed (`authentication_methods[0].type`).
    pub path: String,
    pub message: String,
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &BodyPreview(&self.body))
            .field("type_name", &self.type_name)
            .field("path", &self.path)
            .field("message", &self.message)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ct = self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("none");
        write!(f, "the request succeeded with status {}, but its body ", self.status)?;
        write!(f, "({} bytes, content-type {ct}) does not decode", self.body.len())?;
        if !self.type_name.is_empty() {
            write!(f, " as `{}`", self.type_name)?;
        }
        if !self.path.is_empty() && self.path != "." {
            write!(f, " at `{}`", self.path)?;
        }
        write!(f, ": {}; do not send it again (the raw body is in the error)", self.message)
    }
}

/// Which time limit an [`Error::Timeout`] ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// One attempt took longer than the per-attempt timeout.
    Attempt,
    /// The call's deadline passed (`RequestOptions::deadline` or
    /// `ClientBuilder::deadline`).
    Deadline,
}

/// Why a client could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

/// Why an operation failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status this operation's spec lists.
    Api(E),
    /// The server answered with a status the spec does not list.
    UnexpectedStatus(Box<ApiError>),
    /// A request value breaks a constraint of the spec; nothing was sent.
    Validation(ValidationError),
    /// A time limit ran out after `attempts` attempts: `kind` says which,
    /// the per-attempt timeout (connecting, sending and reading the whole
    /// body) or the call's deadline (all attempts and waits), and `limit`
    /// is its length.
    Timeout { attempts: u32, kind: TimeoutKind, limit: Duration },
    /// The connection failed or broke.
    Transport { source: reqwest::Error, attempts: u32 },
    /// A success response did not decode.
    Decode(Box<DecodeError>),
    /// The response body was larger than the configured limit.
    ResponseTooLarge { limit: usize, status: StatusCode },
    /// No token could be obtained: the token endpoint's status, OAuth2
    /// `error` and `error_description` when it answered.
    Auth(Box<TokenError>),
    /// The request could not be encoded (for example a body that does not
    /// fit the form encoding).
    InvalidRequest(String),
    /// A stream reached the number of results the server pages through
    /// (Auth0 serves the first 1,000 of a user search); `hint` says what
    /// reads them all.
    PagingLimit { limit: u64, hint: String },
    /// The server gave a page cursor or next-page link it had given before:
    /// the stream ends here rather than fetch the same pages forever.
    PagingRepeated { cursor: String },
}

impl Error<std::convert::Infallible> {
    /// Gives a transport-level error an operation's error type.
    #[doc(hidden)]
    pub fn cast<F>(self) -> Error<F> {
        match self {
            Error::Api(e) => match e {},
            Error::UnexpectedStatus(e) => Error::UnexpectedStatus(e),
            Error::Validation(e) => Error::Validation(e),
            Error::Timeout { attempts, kind, limit } => Error::Timeout { attempts, kind, limit },
            Error::Transport { source, attempts } => Error::Transport { source, attempts },
            Error::Decode(e) => Error::Decode(e),
            Error::ResponseTooLarge { limit, status } => Error::ResponseTooLarge { limit, status },
            Error::Auth(e) => Error::Auth(e),
            Error::InvalidRequest(e) => Error::InvalidRequest(e),
            Error::PagingLimit { limit, hint } => Error::PagingLimit { limit, hint },
            Error::PagingRepeated { cursor } => Error::PagingRepeated { cursor },
        }
    }
}

impl<E: OperationError> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.api_error().status()),
            Error::UnexpectedStatus(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The error response, listed in the spec or not, when the server
    /// answered with an error status.
    pub fn api_error(&self) -> Option<&dyn AnyApiError> {
        match self {
            Error::Api(e) => Some(e.api_error()),
            Error::UnexpectedStatus(e) => Some(&**e),
            _ => None,
        }
    }

    /// A 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// A 429 (after the retries the policy allows).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// How long the server asked to wait (`Retry-After`, or on a 429
    /// `X-RateLimit-Reset`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(|e| e.retry_after())
    }

    /// The API's own error code (Auth0's `errorCode`, or `code`).
    pub fn error_code(&self) -> Option<String> {
        self.api_error().and_then(|e| e.details()).and_then(|d| d.error_code)
    }

    /// The API's message for the error (the body's `message`).
    pub fn message(&self) -> Option<String> {
        self.api_error().and_then(|e| e.details()).and_then(|d| d.message)
    }

    /// Whether sending the same call again may succeed: the failure is
    /// transient (a timeout, a broken connection, 408, 429, 500, 502, 503,
    /// 504, or a token endpoint that answered so) and, as far as the
    /// client can tell, the server did not finish acting on it. A success
    /// whose body did not decode ([`Error::Decode`]) is never retryable:
    /// the request took effect. A POST or PATCH that timed out may have
    /// acted too; send it again only with an idempotency key.
    pub fn is_retryable(&self) -> bool {
        let transient = |s: u16| matches!(s, 408 | 429 | 500 | 502 | 503 | 504);
        match self {
            Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Api(_) | Error::UnexpectedStatus(_) => self.status().is_some_and(|s| transient(s.as_u16())),
            Error::Auth(e) => e.status.is_none_or(|s| transient(s.as_u16())),
            Error::Decode(_)
            | Error::Validation(_)
            | Error::ResponseTooLarge { .. }
            | Error::InvalidRequest(_)
            | Error::PagingLimit { .. }
            | Error::PagingRepeated { .. } => false,
        }
    }

    /// Whether the server answered with a success status, so the request
    /// took effect although the call failed (only its body did not
    /// decode, or was too large).
    pub fn request_succeeded(&self) -> bool {
        self.status().is_some_and(|s| s.is_success())
            && matches!(self, Error::Decode(_) | Error::ResponseTooLarge { .. })
    }

    /// How many attempts were made, when any request was sent.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(e) => Some(e.api_error().attempts()),
            Error::UnexpectedStatus(e) => Some(e.attempts),
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } => Some(*attempts),
            Error::Auth(e) => Some(e.attempts),
            _ => None,
        }
    }
}

impl<E: OperationError> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                let api = e.api_error();
                let details = ErrorDetails::parse(api.raw_body());
                write!(f, "api error: ")?;
                write_operation(f, api.operation())?;
                write!(f, "status {}", api.status())?;
                if let Some(m) = details.and_then(|d| d.message.or(d.error)) {
                    write!(f, ": {m}")?;
                }
                Ok(())
            }
            Error::UnexpectedStatus(e) => write!(f, "unexpected response: {e}"),
            Error::Validation(e) => write!(f, "invalid request: {e}"),
            Error::Timeout { attempts, kind: TimeoutKind::Attempt, limit } => {
                write!(f, "request timed out: attempt {attempts} took longer than the timeout of {limit:?}")
            }
            Error::Timeout { attempts, kind: TimeoutKind::Deadline, limit } => {
                write!(f, "request timed out: the deadline of {limit:?} passed after {attempts} attempt(s)")
            }
            Error::Transport { source, attempts } => {
                write!(f, "transport error after {attempts} attempt(s): {source}")
            }
            Error::Decode(e) => e.fmt(f),
            Error::ResponseTooLarge { limit, status } => {
                write!(f, "{status} response body is larger than the limit of {limit} bytes")
            }
            Error::Auth(e) => write!(f, "authentication failed: {e}"),
            Error::InvalidRequest(e) => write!(f, "invalid request: {e}"),
            Error::PagingLimit { limit, hint } => {
                write!(f, "the server pages through at most {limit} results and this list has more; {hint}")
            }
            Error::PagingRepeated { cursor } => {
                write!(f, "the server sent the page cursor {cursor:?} a second time; the stream stops rather than loop")
            }
        }
    }
}

impl<E: OperationError> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Validation(e) => Some(e),
            Error::Auth(e) => Some(&**e),
            _ => None,
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(e: ValidationError) -> Self {
        Error::Validation(e)
    }
}

/// The transport layer's own error type: no operation statuses yet.
pub(crate) type TransportError = Error<std::convert::Infallible>;

#[cfg(test)]
mod tests;
