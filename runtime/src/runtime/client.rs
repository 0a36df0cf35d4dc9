//! The API client handle: shared state, authentication, hooks and
//! per-call options. Building is in `builder.rs`, sending in `send.rs`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::auth::{Secret, TokenProvider};
use super::request::Request;
use super::retry::{RateLimit, RetryPolicy};
use super::telemetry::CustomDomain;

/// Waits between retries. Replace it in tests to observe or shorten waits.
pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

#[derive(Debug)]
pub(super) struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// Observes or changes requests and responses (logging, metrics, extra
/// signing). Hooks see the final request, credentials included.
pub trait Hook: Send + Sync {
    fn on_request(&self, request: &mut reqwest::Request) {
        let _ = request;
    }
    fn on_response(&self, response: &ResponseInfo<'_>) {
        let _ = response;
    }
}

/// What a [`Hook`] learns about a response.
#[derive(Debug)]
pub struct ResponseInfo<'a> {
    pub operation: &'static str,
    pub method: &'a Method,
    /// The route template (`/users/{id}`), not the concrete path.
    pub route: &'static str,
    pub status: StatusCode,
    pub headers: &'a HeaderMap,
    pub attempt: u32,
    pub elapsed: Duration,
}

/// Options for one call or for every call made through a client handle
/// (`client.with_options(..)`), without changing operation signatures.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) query: Vec<(String, String)>,
    pub(super) timeout: Option<Duration>,
    pub(super) deadline: Option<Duration>,
    pub(super) max_retries: Option<u32>,
    pub(super) retry_non_idempotent: Option<bool>,
    pub(super) idempotency_key: Option<String>,
    pub(super) custom_domain: Option<String>,
    /// A header name or value that is not valid HTTP: the call fails with
    /// `Error::InvalidRequest` instead of sending without it.
    pub(super) invalid: Option<String>,
    /// The next page's full URL (a `Link: rel="next"` header or a next-link
    /// field): sent as is, instead of the route and query, and only to the
    /// base URL's origin. Set by streams through `__private::at_url`.
    pub(super) next_url: Option<String>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may hold credentials: only names are shown.
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("headers", &names)
            .field("query", &self.query)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("idempotency_key", &self.idempotency_key.is_some())
            .field("custom_domain", &self.custom_domain)
            .field("next_url", &self.next_url)
            .finish()
    }
}

impl RequestOptions {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a header to the request: `.header("x-request-id", "abc")`, or
    /// `HeaderName`/`HeaderValue`s. A name or value that is not valid HTTP
    /// (a newline, say) makes the call fail with `Error::InvalidRequest`
    /// rather than go without the header.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        HeaderValue: TryFrom<V>,
    {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(k), Ok(v)) => self.headers.push((k, v)),
            (Err(_), _) => self.invalid = Some("a per-request header name is not a valid HTTP header name".into()),
            (Ok(k), Err(_)) => {
                self.invalid = Some(format!("the per-request header `{k}` has a value that is not valid in HTTP"))
            }
        }
        self
    }
    /// Adds a query parameter to the request.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
    /// The time one attempt may take, from connecting to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// The time the whole call may take: every attempt, token fetch and
    /// wait between retries together. A retry whose wait would end past it
    /// is not made; the last answer is returned instead.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
    /// Retries after the first attempt (0: none).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }
    /// The same as [`max_retries`](Self::max_retries).
    pub fn retries(self, n: u32) -> Self {
        self.max_retries(n)
    }
    /// Retry POST and PATCH on server errors too.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = Some(yes);
        self
    }
    /// Sends this key in the client's idempotency header (see
    /// [`ClientBuilder::idempotency_header`](super::ClientBuilder::idempotency_header)); the request becomes safe to retry.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Resumes an event stream after this event id (the `Last-Event-ID`
    /// header, as EventSource sends it on reconnecting).
    pub fn last_event_id(self, id: impl AsRef<str>) -> Self {
        self.header("last-event-id", id.as_ref())
    }

    /// Sends this domain in the API's custom-domain header, instead of the
    /// client's, on the endpoints that accept it (others never get it).
    pub fn custom_domain(mut self, domain: impl Into<String>) -> Self {
        self.custom_domain = Some(domain.into());
        self
    }

    fn merged(&self, over: &RequestOptions) -> RequestOptions {
        let mut res = self.clone();
        res.headers.extend(over.headers.iter().cloned());
        res.query.extend(over.query.iter().cloned());
        res.timeout = over.timeout.or(self.timeout);
        res.deadline = over.deadline.or(self.deadline);
        res.max_retries = over.max_retries.or(self.max_retries);
        res.retry_non_idempotent = over.retry_non_idempotent.or(self.retry_non_idempotent);
        res.idempotency_key = over.idempotency_key.clone().or(self.idempotency_key.clone());
        res.custom_domain = over.custom_domain.clone().or(self.custom_domain.clone());
        res.invalid = over.invalid.clone().or(self.invalid.clone());
        res.next_url = over.next_url.clone().or(self.next_url.clone());
        res
    }
}

#[derive(Clone)]
pub(super) enum Auth {
    None,
    Token { provider: Arc<dyn TokenProvider>, refreshable: bool },
    Basic { user: String, password: Secret },
    ApiKey { location: ApiKeyLocation, name: String, value: Secret },
}

/// Where an API key is sent (OpenAPI's `in` of an `apiKey` scheme).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A header named by the scheme.
    Header,
    /// A query parameter named by the scheme.
    Query,
    /// A cookie named by the scheme.
    Cookie,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Token { provider, .. } => write!(f, "Token({provider:?})"),
            Auth::Basic { user, .. } => write!(f, "Basic({user:?}, [redacted])"),
            Auth::ApiKey { location, name, .. } => write!(f, "ApiKey({location:?} {name:?}, [redacted])"),
        }
    }
}

pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: url::Url,
    pub(super) auth: Auth,
    pub(super) retry: RetryPolicy,
    pub(super) timeout: Duration,
    pub(super) deadline: Option<Duration>,
    pub(super) follow_redirects: bool,
    pub(super) user_agent: HeaderValue,
    pub(super) hooks: Vec<Arc<dyn Hook>>,
    pub(super) sleeper: Arc<dyn Sleeper>,
    pub(super) max_response_bytes: usize,
    pub(super) idempotency_header: Option<HeaderName>,
    pub(super) telemetry: Option<(HeaderName, HeaderValue)>,
    pub(super) custom_domain: Option<CustomDomain>,
    pub(super) rate_limit: Mutex<Option<RateLimit>>,
}

/// The API client. Cheap to clone; clones share connections and state. A
/// generated crate's `Client` wraps it ([`client_types!`](crate::client_types)).
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
    pub(super) options: Option<Arc<RequestOptions>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let merged = match &self.options {
            Some(o) => o.merged(&options),
            None => options,
        };
        Client { inner: self.inner.clone(), options: Some(Arc::new(merged)) }
    }

    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        *self.inner.rate_limit.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }
}

/// What resuming a stream takes: the client that sent the request (its
/// options, retry policy, sleeper and size limit) and, when it may be sent
/// again (a GET), the request. A response carries it (`send.rs` puts it
/// there), an event stream reads it (`sse.rs`).
// Read only by event streams, which a crate without them leaves out.
#[allow(dead_code)]
#[derive(Debug)]
pub(crate) struct StreamSource {
    pub(crate) client: Client,
    pub(crate) resend: Option<Request>,
}
