//! The HTTP client: building requests, sending them with retries,
//! authentication and tracing, and reading responses within limits.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument;

use super::auth::{ClientCredentials, Secret, StaticToken, TokenProvider};
use super::encode::{self, Multipart, ParamStyle};
use super::error::{ApiError, ApiResponse, BuildError, DecodeError, Error, TransportError};
use super::retry::{RateLimit, RetryPolicy};
use super::validate::{Validate, Validator, Violation};

/// Waits between retries. Replace it in tests to observe or shorten waits.
pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

#[derive(Debug)]
struct TokioSleeper;

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
    headers: Vec<(HeaderName, HeaderValue)>,
    query: Vec<(String, String)>,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    retry_non_idempotent: Option<bool>,
    idempotency_key: Option<String>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may hold credentials: only names are shown.
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("headers", &names)
            .field("query", &self.query)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("retry_non_idempotent", &self.retry_non_idempotent)
            .field("idempotency_key", &self.idempotency_key.is_some())
            .finish()
    }
}

impl RequestOptions {
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a header to the request.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
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
    /// Retries after the first attempt (0: none).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = Some(n);
        self
    }
    /// Retry POST and PATCH on server errors too.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = Some(yes);
        self
    }
    /// Sends this key in the client's idempotency header (see
    /// [`ClientBuilder::idempotency_header`]); the request becomes safe to retry.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    fn merged(&self, over: &RequestOptions) -> RequestOptions {
        let mut res = self.clone();
        res.headers.extend(over.headers.iter().cloned());
        res.query.extend(over.query.iter().cloned());
        res.timeout = over.timeout.or(self.timeout);
        res.max_retries = over.max_retries.or(self.max_retries);
        res.retry_non_idempotent = over.retry_non_idempotent.or(self.retry_non_idempotent);
        res.idempotency_key = over.idempotency_key.clone().or(self.idempotency_key.clone());
        res
    }
}

#[derive(Clone)]
enum Auth {
    None,
    Token { provider: Arc<dyn TokenProvider>, refreshable: bool },
    Basic { user: String, password: Secret },
    ApiKey { location: &'static str, name: String, value: Secret },
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Token { provider, .. } => write!(f, "Token({provider:?})"),
            Auth::Basic { user, .. } => write!(f, "Basic({user:?}, [redacted])"),
            Auth::ApiKey { location, name, .. } => write!(f, "ApiKey({location} {name:?}, [redacted])"),
        }
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: url::Url,
    auth: Auth,
    retry: RetryPolicy,
    timeout: Duration,
    user_agent: HeaderValue,
    hooks: Vec<Arc<dyn Hook>>,
    sleeper: Arc<dyn Sleeper>,
    max_response_bytes: usize,
    idempotency_header: Option<HeaderName>,
    rate_limit: Mutex<Option<RateLimit>>,
}

/// The API client. Cheap to clone; clones share connections and state.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: Option<Arc<RequestOptions>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Client credentials waiting for the base URL to be known.
struct PendingCredentials {
    token_url: &'static str,
    form: Vec<(String, String)>,
    client_id: String,
    client_secret: Secret,
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    server_url: &'static str,
    variables: Vec<(&'static str, String, &'static [&'static str])>,
    base_url: Option<String>,
    auth: Auth,
    pending_credentials: Option<PendingCredentials>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    hooks: Vec<Arc<dyn Hook>>,
    sleeper: Arc<dyn Sleeper>,
    max_response_bytes: usize,
    idempotency_header: Option<HeaderName>,
    errors: Vec<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("server_url", &self.server_url)
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder for the server URL template `server_url` whose variables
    /// have the given defaults and allowed values. Used by generated code.
    pub fn new(
        server_url: &'static str,
        variables: &[(&'static str, &'static str, &'static [&'static str])],
        user_agent: &str,
    ) -> Self {
        ClientBuilder {
            server_url,
            variables: variables.iter().map(|(n, d, a)| (*n, d.to_string(), *a)).collect(),
            base_url: None,
            auth: Auth::None,
            pending_credentials: None,
            http: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            user_agent: user_agent.to_string(),
            hooks: Vec::new(),
            sleeper: Arc::new(TokioSleeper),
            max_response_bytes: 32 * 1024 * 1024,
            idempotency_header: None,
            errors: Vec::new(),
        }
    }

    /// Sets a server variable of the URL template.
    pub fn server_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.variables.iter_mut().find(|(n, _, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.errors.push(format!("unknown server variable `{name}`")),
        }
        self
    }

    /// Uses this base URL instead of the spec's server (`http://127.0.0.1:8080/api/v2`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.auth = Auth::Token { provider: Arc::new(StaticToken(token.into())), refreshable: false };
        self
    }

    /// Gets bearer tokens from `provider`; a 401 asks it once for a new one.
    pub fn token_provider(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.auth = Auth::Token { provider, refreshable: true };
        self
    }

    /// Sends HTTP basic credentials.
    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth = Auth::Basic { user: user.into(), password: password.into() };
        self
    }

    /// Sends an API key in a header, query parameter or cookie
    /// (`location` is `header`, `query` or `cookie`).
    pub fn api_key(mut self, location: &'static str, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.auth = Auth::ApiKey { location, name: name.into(), value: value.into() };
        self
    }

    /// OAuth2 client credentials against `token_url` (relative URLs and
    /// form values starting with `/` are resolved against the server).
    pub fn client_credentials_at(
        mut self,
        token_url: &'static str,
        form: &[(&str, &str)],
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        let form = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.pending_credentials = Some(PendingCredentials {
            token_url,
            form,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        });
        self
    }

    /// Uses your own `reqwest::Client` (proxies, custom TLS, pools). Its
    /// own timeouts then apply besides ours.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Retries after the first attempt (default 2; 0 turns retries off).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    /// The time one attempt may take (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    pub fn hook(mut self, hook: Arc<dyn Hook>) -> Self {
        self.hooks.push(hook);
        self
    }

    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }

    /// The largest response body read (default 32 MiB).
    pub fn max_response_bytes(mut self, n: usize) -> Self {
        self.max_response_bytes = n;
        self
    }

    /// Names the header that carries idempotency keys (`Idempotency-Key`).
    /// When set, every POST and PATCH gets a fresh key, reused by its
    /// retries, and is retried like an idempotent request.
    pub fn idempotency_header(mut self, name: HeaderName) -> Self {
        self.idempotency_header = Some(name);
        self
    }

    fn server_url(&self) -> Result<String, BuildError> {
        let mut url = self.server_url.to_string();
        let authority_end =
            url.find("://").map(|i| i + 3).and_then(|s| url[s..].find('/').map(|e| s + e)).unwrap_or(url.len());
        for (name, value, allowed) in &self.variables {
            let placeholder = format!("{{{name}}}");
            let in_authority = url.find(&placeholder).is_some_and(|i| i < authority_end);
            if value.contains(['{', '}']) || value.is_empty() {
                return Err(BuildError(format!("server variable `{name}` has no value; set it on the builder")));
            }
            let bad =
                |c: char| c.is_whitespace() || c.is_control() || "?#@\\".contains(c) || (in_authority && c == '/');
            if value.contains(bad) {
                return Err(BuildError(format!(
                    "server variable `{name}` contains a character not allowed there: {value:?}"
                )));
            }
            if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
                return Err(BuildError(format!("server variable `{name}` must be one of {allowed:?}, not {value:?}")));
            }
            url = url.replace(&placeholder, value);
        }
        Ok(url)
    }

    pub fn build(self) -> Result<Client, BuildError> {
        if let Some(e) = self.errors.first() {
            return Err(BuildError(e.clone()));
        }
        let raw = match &self.base_url {
            Some(u) => u.clone(),
            None => self.server_url()?,
        };
        let mut base_url =
            url::Url::parse(&raw).map_err(|e| BuildError(format!("base url {raw:?} is invalid: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") {
            return Err(BuildError(format!("base url {raw:?} must use http or https")));
        }
        if base_url.host_str().is_none_or(str::is_empty) {
            return Err(BuildError(format!("base url {raw:?} has no host")));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() || !base_url.username().is_empty() {
            return Err(BuildError(format!("base url {raw:?} must not have a query, fragment or user")));
        }
        let trimmed = base_url.path().trim_end_matches('/').to_string();
        base_url.set_path(&trimmed);
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| BuildError("user agent is not a valid header value".to_string()))?;
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| BuildError(format!("cannot build the http client: {e}")))?,
        };
        let mut auth = self.auth;
        if let Some(PendingCredentials { token_url, form, client_id: id, client_secret: secret }) =
            self.pending_credentials
        {
            let resolve = |s: &str| -> Result<String, BuildError> {
                if s.starts_with('/') {
                    base_url
                        .join(s)
                        .map(|u| u.to_string())
                        .map_err(|e| BuildError(format!("cannot resolve {s:?}: {e}")))
                } else {
                    Ok(s.to_string())
                }
            };
            let token_url = url::Url::parse(&resolve(token_url)?)
                .map_err(|e| BuildError(format!("token url {token_url:?} is invalid: {e}")))?;
            let mut cc = ClientCredentials::new(token_url, id, secret);
            for (k, v) in form {
                cc = cc.form_parameter(k, resolve(&v)?);
            }
            auth = Auth::Token { provider: Arc::new(cc), refreshable: true };
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                retry: self.retry,
                timeout: self.timeout,
                user_agent,
                hooks: self.hooks,
                sleeper: self.sleeper,
                max_response_bytes: self.max_response_bytes,
                idempotency_header: self.idempotency_header,
                rate_limit: Mutex::new(None),
            }),
            options: None,
        })
    }
}

/// A request being built by an operation method.
#[derive(Debug)]
pub struct Request {
    operation: &'static str,
    method: Method,
    route: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    cookies: Vec<String>,
    body: Option<(HeaderValue, Bytes)>,
    validator: Validator,
    encode_error: Option<String>,
}

impl Request {
    pub fn new(method: Method, route: &'static str, operation: &'static str) -> Self {
        Request {
            operation,
            method,
            route,
            path: String::new(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            validator: Validator::for_request(),
            encode_error: None,
        }
    }

    fn encode_failed(&mut self, e: String) {
        self.encode_error.get_or_insert(e);
    }

    /// Appends literal path text from the route.
    pub fn literal(&mut self, s: &str) {
        self.path.push_str(s);
    }

    /// Appends a path parameter, percent-encoded as one segment.
    pub fn path_param<T: Serialize + Validate + ?Sized>(&mut self, name: &str, value: &T) {
        self.validator.field(name, value);
        match encode::to_json(value).map(|v| encode::simple_string(&v)) {
            Ok(Some(s)) if !s.is_empty() => self.path.push_str(&encode::encode_segment(&s)),
            Ok(_) => self.validator.field(name, &NonEmpty),
            Err(e) => self.encode_failed(e),
        }
    }

    /// Adds a query parameter (nothing when the value is `None`).
    pub fn query<T: Serialize + Validate + ?Sized>(&mut self, name: &str, value: &T, style: ParamStyle) {
        self.validator.field(name, value);
        match encode::to_json(value) {
            Ok(v) => self.query.extend(encode::query_pairs(name, &v, style)),
            Err(e) => self.encode_failed(e),
        }
    }

    /// Adds a header parameter; values with CR, LF or NUL are rejected.
    pub fn header<T: Serialize + Validate + ?Sized>(&mut self, name: &'static str, value: &T) {
        self.validator.field(name, value);
        let text = match encode::to_json(value) {
            Ok(v) => encode::simple_string(&v),
            Err(e) => return self.encode_failed(e),
        };
        let Some(text) = text else { return };
        match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text)) {
            (Ok(n), Ok(v)) if !text.contains(['\r', '\n', '\0']) => {
                self.headers.append(n, v);
            }
            _ => self.validator.field(name, &HeaderText),
        }
    }

    /// Adds a cookie parameter.
    pub fn cookie<T: Serialize + Validate + ?Sized>(&mut self, name: &str, value: &T) {
        self.validator.field(name, value);
        match encode::to_json(value).map(|v| encode::simple_string(&v)) {
            Ok(Some(text)) => {
                let enc = percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC).to_string();
                self.cookies.push(format!("{name}={enc}"));
            }
            Ok(None) => {}
            Err(e) => self.encode_failed(e),
        }
    }

    /// Validates a value (parameters structs) without encoding it.
    pub fn validate<T: Validate + ?Sized>(&mut self, value: &T) {
        value.validate(&mut self.validator);
    }

    fn set_body(&mut self, content_type: &str, bytes: Vec<u8>) {
        match HeaderValue::from_str(content_type) {
            Ok(ct) => self.body = Some((ct, Bytes::from(bytes))),
            Err(_) => self.encode_failed(format!("invalid content type {content_type:?}")),
        }
    }

    /// A JSON body (validated as a request).
    pub fn json<T: Serialize + Validate + ?Sized>(&mut self, content_type: &str, body: &T) {
        body.validate(&mut self.validator);
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_body(content_type, bytes),
            Err(e) => self.encode_failed(format!("cannot encode body: {e}")),
        }
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form<T: Serialize + Validate + ?Sized>(&mut self, body: &T) {
        body.validate(&mut self.validator);
        match encode::to_json(body).and_then(|v| encode::form_body(&v)) {
            Ok(text) => self.set_body("application/x-www-form-urlencoded", text.into_bytes()),
            Err(e) => self.encode_failed(e),
        }
    }

    /// A `multipart/form-data` body: every field of `body` as a text part
    /// except `files`, which the caller added to `parts`.
    pub fn multipart<T: Serialize + Validate + ?Sized>(&mut self, body: &T, mut parts: Multipart, files: &[&str]) {
        body.validate(&mut self.validator);
        match encode::to_json(body) {
            Ok(v) => {
                parts.fields(&v, files);
                let (ct, bytes) = parts.finish();
                self.set_body(&ct, bytes);
            }
            Err(e) => self.encode_failed(e),
        }
    }

    /// A raw body.
    pub fn bytes(&mut self, content_type: &str, body: impl Into<Bytes>) {
        match HeaderValue::from_str(content_type) {
            Ok(ct) => self.body = Some((ct, body.into())),
            Err(_) => self.encode_failed(format!("invalid content type {content_type:?}")),
        }
    }
}

/// A marker that reports an empty path parameter.
struct NonEmpty;

impl Validate for NonEmpty {
    fn validate(&self, v: &mut Validator) {
        v.fail("a non-empty path segment", "an empty value".to_string());
    }
}

/// A marker that reports a header value with control characters.
struct HeaderText;

impl Validate for HeaderText {
    fn validate(&self, v: &mut Validator) {
        v.fail("a header value without CR, LF or control characters", "a value with them".to_string());
    }
}

/// A response before the operation decides what its status means.
#[derive(Debug)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub attempts: u32,
}

impl RawResponse {
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a JSON body; the error names the path that failed.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<ApiResponse<T>, Error<E>> {
        // The fast path decodes plainly (`from_slice` rejects trailing data
        // too); only a failure decodes again, tracking the path that failed.
        let res: Result<T, (String, String)> = match serde_json::from_slice(&self.body) {
            Ok(v) => Ok(v),
            Err(plain) => {
                let mut de = serde_json::Deserializer::from_slice(&self.body);
                match serde_path_to_error::deserialize::<_, T>(&mut de) {
                    Ok(_) => Err((String::new(), plain.to_string())),
                    Err(e) => Err((e.path().to_string(), e.into_inner().to_string())),
                }
            }
        };
        match res {
            Ok(v) => Ok(ApiResponse::new(self.status, self.headers, v)),
            Err((path, message)) => {
                let message = if self.body.is_empty() { "the body is empty".to_string() } else { message };
                Err(Error::Decode(Box::new(DecodeError {
                    status: self.status,
                    headers: self.headers,
                    body: self.body,
                    path,
                    message,
                })))
            }
        }
    }

    /// A response whose body is ignored.
    pub fn empty<E>(self) -> Result<ApiResponse<()>, Error<E>> {
        Ok(ApiResponse::new(self.status, self.headers, ()))
    }

    /// A text body; invalid UTF-8 is a decode error.
    pub fn text<E>(self) -> Result<ApiResponse<String>, Error<E>> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(s) => Ok(ApiResponse::new(self.status, self.headers, s)),
            Err(e) => Err(Error::Decode(Box::new(DecodeError {
                status: self.status,
                headers: self.headers,
                body: self.body,
                path: String::new(),
                message: format!("body is not valid utf-8: {e}"),
            }))),
        }
    }

    /// A binary body.
    pub fn bytes<E>(self) -> Result<ApiResponse<Bytes>, Error<E>> {
        Ok(ApiResponse::new(self.status, self.headers, self.body))
    }

    /// An error status the spec lists, decoded leniently as `T`.
    pub fn error<T: DeserializeOwned, E>(self, variant: impl FnOnce(Box<ApiError<T>>) -> E) -> Error<E> {
        Error::Api(variant(Box::new(ApiError::from_parts(self.status, self.headers, self.body, self.attempts))))
    }

    /// A status the spec does not list.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(ApiError::from_parts(self.status, self.headers, self.body, self.attempts)))
    }
}

enum Attempt {
    Done(RawResponse),
    Timeout,
    Transport(reqwest::Error),
    TooLarge(StatusCode),
}

impl Client {
    /// A handle whose calls all use `options` (merged over this handle's).
    pub fn with_options(&self, options: RequestOptions) -> Client {
        let merged = match &self.options {
            Some(o) => o.merged(&options),
            None => options,
        };
        Client { inner: self.inner.clone(), options: Some(Arc::new(merged)) }
    }

    /// The `X-RateLimit-*` values of the last response that had them.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        *self.inner.rate_limit.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }

    fn url(&self, req: &Request, options: &RequestOptions) -> Result<url::Url, TransportError> {
        if req.path.split('/').any(|s| s == "." || s == "..") {
            return Err(Error::Validation(
                Violation {
                    path: String::new(),
                    constraint: "no `.` or `..` path segments".to_string(),
                    actual: format!("{:?}", req.path),
                }
                .into(),
            ));
        }
        let mut url = self.inner.base_url.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), req.path);
        url.set_path(&path);
        let mut pairs: Vec<(String, String)> = req.query.clone();
        if let Auth::ApiKey { location: "query", name, value } = &self.inner.auth {
            pairs.push((name.clone(), value.expose().to_string()));
        }
        pairs.extend(options.query.iter().cloned());
        if !pairs.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in &pairs {
                q.append_pair(k, v);
            }
        }
        Ok(url)
    }

    /// Sends a request, retrying as the policy allows.
    pub async fn send(&self, mut req: Request) -> Result<RawResponse, TransportError> {
        if let Err(e) = std::mem::take(&mut req.validator).finish() {
            return Err(Error::Validation(e));
        }
        if let Some(e) = req.encode_error.take() {
            return Err(Error::InvalidRequest(e));
        }
        let no_options = RequestOptions::default();
        let options: &RequestOptions = self.options.as_deref().unwrap_or(&no_options);
        let inner = &*self.inner;
        let url = self.url(&req, options)?;
        let mut idempotent = !matches!(req.method, Method::POST | Method::PATCH)
            || options.retry_non_idempotent.unwrap_or(inner.retry.retry_non_idempotent);
        let mut headers = req.headers.clone();
        headers.insert(reqwest::header::USER_AGENT, inner.user_agent.clone());
        headers.entry(reqwest::header::ACCEPT).or_insert(HeaderValue::from_static("application/json"));
        if let Some((ct, _)) = &req.body {
            headers.insert(reqwest::header::CONTENT_TYPE, ct.clone());
        }
        if !req.cookies.is_empty() {
            if let Ok(v) = HeaderValue::from_str(&req.cookies.join("; ")) {
                headers.insert(reqwest::header::COOKIE, v);
            }
        }
        if let Some(name) = &inner.idempotency_header {
            if matches!(req.method, Method::POST | Method::PATCH) || options.idempotency_key.is_some() {
                let key = options
                    .idempotency_key
                    .clone()
                    .unwrap_or_else(|| (0..32).map(|_| fastrand::alphanumeric()).collect::<String>());
                if let Ok(v) = HeaderValue::from_str(&key) {
                    headers.insert(name.clone(), v);
                    idempotent = true;
                }
            }
        }
        // Option headers replace same-named ones; several with one name are all sent.
        for (k, _) in &options.headers {
            headers.remove(k);
        }
        for (k, v) in &options.headers {
            headers.append(k.clone(), v.clone());
        }
        let max_retries = options.max_retries.unwrap_or(inner.retry.max_retries);
        let timeout = options.timeout.unwrap_or(inner.timeout);
        let body = req.body.map(|(_, b)| b);
        let mut attempt: u32 = 0;
        let mut retries: u32 = 0;
        let mut refreshed = false;
        let mut rejected: Option<Secret> = None;
        loop {
            attempt += 1;
            let mut request = reqwest::Request::new(req.method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            let mut token_used = None;
            match &inner.auth {
                Auth::None => {}
                Auth::Token { provider, .. } => {
                    // A token endpoint that hangs must not hang the call: the
                    // fetch gets the same time as an attempt.
                    let token =
                        match tokio::time::timeout(timeout, provider.token(&inner.http, rejected.as_ref())).await {
                            Ok(t) => t.map_err(Error::Auth)?,
                            Err(_) => return Err(Error::Auth(format!("no token within the timeout of {timeout:?}"))),
                        };
                    let mut v = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                        .map_err(|_| Error::Auth("token is not a valid header value".to_string()))?;
                    v.set_sensitive(true);
                    request.headers_mut().insert(reqwest::header::AUTHORIZATION, v);
                    token_used = Some(token);
                }
                Auth::Basic { user, password } => {
                    use base64::Engine;
                    let creds =
                        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", password.expose()));
                    if let Ok(mut v) = HeaderValue::from_str(&format!("Basic {creds}")) {
                        v.set_sensitive(true);
                        request.headers_mut().insert(reqwest::header::AUTHORIZATION, v);
                    }
                }
                Auth::ApiKey { location, name, value } => {
                    let header = match *location {
                        "header" => {
                            HeaderName::from_bytes(name.as_bytes()).ok().zip(HeaderValue::from_str(value.expose()).ok())
                        }
                        "cookie" => Some(reqwest::header::COOKIE)
                            .zip(HeaderValue::from_str(&format!("{name}={}", value.expose())).ok()),
                        _ => None,
                    };
                    if let Some((n, mut v)) = header {
                        v.set_sensitive(true);
                        request.headers_mut().insert(n, v);
                    }
                }
            }
            if let Some(b) = &body {
                *request.body_mut() = Some(reqwest::Body::from(b.clone()));
            }
            for hook in &inner.hooks {
                hook.on_request(&mut request);
            }
            let span = tracing::info_span!(
                "api.request",
                operation = req.operation,
                method = %req.method,
                route = req.route,
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let outcome = self.attempt(request, started, timeout, attempt).instrument(span.clone()).await;
            let elapsed = started.elapsed();
            span.record("duration_ms", elapsed.as_millis() as u64);
            let retryable = match &outcome {
                Attempt::Done(raw) => {
                    span.record("status", raw.status.as_u16());
                    let rl = RateLimit::from_headers(&raw.headers);
                    if !rl.is_empty() {
                        *inner.rate_limit.lock().unwrap_or_else(|e| e.into_inner()) = Some(rl);
                    }
                    for hook in &inner.hooks {
                        hook.on_response(&ResponseInfo {
                            operation: req.operation,
                            method: &req.method,
                            route: req.route,
                            status: raw.status,
                            headers: &raw.headers,
                            attempt,
                            elapsed,
                        });
                    }
                    if raw.status == StatusCode::UNAUTHORIZED && !refreshed {
                        if let (Auth::Token { refreshable: true, .. }, Some(t)) = (&inner.auth, token_used) {
                            // One refresh and one retry, outside the retry budget.
                            refreshed = true;
                            rejected = Some(t);
                            tracing::debug!(parent: &span, "401: refreshing the token once");
                            continue;
                        }
                    }
                    inner.retry.retry_status(raw.status.as_u16(), idempotent)
                }
                Attempt::Timeout => {
                    tracing::debug!(parent: &span, "timed out");
                    idempotent
                }
                // A refused connection never reached the server: safe for any method.
                Attempt::Transport(e) => {
                    tracing::debug!(parent: &span, connect = e.is_connect(), "transport error");
                    idempotent || e.is_connect()
                }
                Attempt::TooLarge(_) => false,
            };
            if retryable && retries < max_retries {
                let response = match &outcome {
                    Attempt::Done(raw) => Some((raw.status.as_u16(), &raw.headers)),
                    _ => None,
                };
                let delay = inner.retry.delay(retries, response, SystemTime::now());
                retries += 1;
                tracing::debug!(parent: &span, delay_ms = delay.as_millis() as u64, "retrying");
                inner.sleeper.sleep(delay).await;
                continue;
            }
            return match outcome {
                Attempt::Done(mut raw) => {
                    raw.attempts = attempt;
                    Ok(raw)
                }
                Attempt::Timeout => Err(Error::Timeout { attempts: attempt }),
                Attempt::Transport(e) => Err(Error::Transport { source: e.without_url(), attempts: attempt }),
                Attempt::TooLarge(status) => Err(Error::ResponseTooLarge { limit: inner.max_response_bytes, status }),
            };
        }
    }

    async fn attempt(&self, request: reqwest::Request, started: Instant, timeout: Duration, attempt: u32) -> Attempt {
        let limit = self.inner.max_response_bytes;
        let fut = async {
            let mut resp = match self.inner.http.execute(request).await {
                Ok(r) => r,
                Err(e) if e.is_timeout() => return Attempt::Timeout,
                Err(e) => return Attempt::Transport(e),
            };
            let status = resp.status();
            if resp.content_length().is_some_and(|n| n > limit as u64) {
                return Attempt::TooLarge(status);
            }
            let headers = std::mem::take(resp.headers_mut());
            let mut buf: Vec<u8> = Vec::new();
            loop {
                match resp.chunk().await {
                    Ok(Some(chunk)) => {
                        if buf.len() + chunk.len() > limit {
                            return Attempt::TooLarge(status);
                        }
                        buf.extend_from_slice(&chunk);
                    }
                    Ok(None) => break,
                    Err(e) if e.is_timeout() => return Attempt::Timeout,
                    Err(e) => return Attempt::Transport(e),
                }
            }
            Attempt::Done(RawResponse { status, headers, body: Bytes::from(buf), attempts: attempt })
        };
        // The deadline counts from `started` (no second clock read); a
        // timeout too large to add means none.
        match tokio::time::Instant::from_std(started).checked_add(timeout) {
            Some(deadline) => tokio::time::timeout_at(deadline, fut).await.unwrap_or(Attempt::Timeout),
            None => fut.await,
        }
    }
}
