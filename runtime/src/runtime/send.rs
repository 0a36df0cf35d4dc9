//! The send loop: URL, authentication, retries with backoff and rate
//! limits, per-attempt timeouts and the per-call deadline, redirects, hooks,
//! tracing and the size limit.
//!
//! Redirects are never followed by `reqwest` (the client is built with
//! `redirect::Policy::none()`), because it turns a `POST` answered with 302
//! into a `GET` and follows it to any host. This loop follows a redirect
//! only for GET and HEAD, only to the same origin (scheme, host and port),
//! at most [`MAX_REDIRECTS`] times, and only when the operation's spec lists
//! no 3xx status; any other 3xx reaches the operation, which returns it as
//! `Error::UnexpectedStatus` with its `Location`.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use super::auth::{Secret, TokenError};
use super::client::{ApiKeyLocation, Auth, Client, RequestOptions, ResponseInfo, StreamSource};
use super::error::{Error, TimeoutKind, TransportError};
use super::request::Request;
use super::response::RawResponse;
use super::retry::{server_delay, RateLimit};
use super::validate::Violation;

/// The answer of [`Client::send`], boxed.
pub type Pending<'a> = Pin<Box<dyn Future<Output = Result<RawResponse, TransportError>> + Send + 'a>>;

/// The most same-origin redirects one call follows.
pub const MAX_REDIRECTS: u32 = 10;

// One per attempt, moved once: boxing the response would cost an
// allocation on every call.
#[allow(clippy::large_enum_variant)]
enum Attempt {
    Done(RawResponse),
    Timeout(TimeoutKind),
    Transport(reqwest::Error),
    TooLarge(StatusCode),
}

impl Client {
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
        let mut pairs: Vec<(String, String)> = match &options.next_url {
            // A next-page link holds its own path and query; it is followed
            // only on the API's origin, so no credential goes elsewhere.
            Some(next) => {
                url = match url.join(next) {
                    Ok(u) if u.origin() == self.inner.base_url.origin() => u,
                    _ => {
                        return Err(Error::InvalidRequest(format!(
                            "the next page's link {next:?} is not on the origin of {}; it is not followed",
                            self.inner.base_url
                        )))
                    }
                };
                Vec::new()
            }
            None => {
                let path = format!("{}{}", url.path().trim_end_matches('/'), req.path);
                url.set_path(&path);
                req.query.clone()
            }
        };
        if let Auth::ApiKey { location: ApiKeyLocation::Query, name, value } = &self.inner.auth {
            pairs.push((name.clone(), value.expose().to_string()));
        }
        pairs.extend(options.query.iter().cloned());
        if options.next_url.is_some() {
            // A next link usually echoes the query of the first request
            // (the key, the caller's extra parameters): those already in it
            // are not added twice.
            let linked: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
            pairs.retain(|(k, _)| !linked.contains(k));
        }
        if !pairs.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in &pairs {
                q.append_pair(k, v);
            }
        }
        Ok(url)
    }

    /// Sends a request, retrying as the policy allows. A streamed answer
    /// keeps what resuming it takes: this client and, for a GET, the request.
    ///
    /// The future is boxed here, so the send loop (retries, timeouts,
    /// reqwest's and hyper's futures) is compiled once, in this crate: a
    /// generated operation awaits a `dyn Future`, and neither the client
    /// crate nor the user's binary instantiates the loop again.
    pub fn send(&self, req: Request) -> Pending<'_> {
        Box::pin(self.send_boxed(req))
    }

    /// The body of [`send`](Self::send).
    async fn send_boxed(&self, req: Request) -> Result<RawResponse, TransportError> {
        let resend = (req.streaming && req.method == Method::GET).then(|| req.resend());
        let mut raw = self.send_once(req).await?;
        if raw.stream.is_some() {
            raw.source = Some(StreamSource { client: self.clone(), resend });
        }
        Ok(raw)
    }

    /// One call of the retry loop, without keeping what resuming takes.
    pub(super) async fn send_once(&self, mut req: Request) -> Result<RawResponse, TransportError> {
        let no_options = RequestOptions::default();
        let options: &RequestOptions = self.options.as_deref().unwrap_or(&no_options);
        preflight(&mut req, options)?;
        let inner = &*self.inner;
        let limits = Limits::of(options, inner);
        let mut url = self.url(&req, options)?;
        let (headers, keyed) = self.headers(&req, options)?;
        let idempotent = keyed
            || !matches!(req.method, Method::POST | Method::PATCH)
            || options.retry_non_idempotent.unwrap_or(inner.retry.retry_non_idempotent);
        let max_retries = options.max_retries.unwrap_or(inner.retry.max_retries);
        let body = req.body.take().map(|(_, b)| b);
        let (mut attempt, mut retries, mut redirects) = (0u32, 0u32, 0u32);
        let mut refreshed = false;
        let mut rejected: Option<Secret> = None;
        let follow_redirects = inner.follow_redirects && !req.keep_redirects;
        loop {
            let (limit, kind) = limits.window(attempt)?;
            attempt += 1;
            let mut request = reqwest::Request::new(req.method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            let token_used = self.authorize(&mut request, limit, kind, attempt - 1, &limits, rejected.as_ref()).await?;
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
            let outcome = self.attempt(request, started, limit, kind, attempt, &req).instrument(span.clone()).await;
            let elapsed = started.elapsed();
            span.record("duration_ms", elapsed.as_millis() as u64);
            let retryable = match &outcome {
                Attempt::Done(raw) => {
                    span.record("status", raw.status.as_u16());
                    self.observe(raw, &req, attempt, elapsed);
                    if raw.status.is_redirection() && follow_redirects && redirects < MAX_REDIRECTS {
                        if let Some(next) = same_origin_redirect(&req.method, &url, raw) {
                            redirects += 1;
                            tracing::debug!(parent: &span, status = raw.status.as_u16(), "following a same-origin redirect");
                            url = next;
                            continue;
                        }
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
                Attempt::Timeout(kind) => {
                    tracing::debug!(parent: &span, ?kind, "timed out");
                    // Past the deadline nothing is left to retry with.
                    idempotent && *kind == TimeoutKind::Attempt
                }
                // A refused connection never reached the server: safe for any method.
                Attempt::Transport(e) => {
                    tracing::debug!(parent: &span, connect = e.is_connect(), "transport error");
                    idempotent || e.is_connect()
                }
                Attempt::TooLarge(_) => false,
            };
            if retryable && retries < max_retries {
                if let Some(delay) = self.backoff(&outcome, retries, &limits, &span) {
                    retries += 1;
                    tracing::debug!(parent: &span, delay_ms = delay.as_millis() as u64, "retrying");
                    inner.sleeper.sleep(delay).await;
                    continue;
                }
            }
            return finish(outcome, attempt, inner.max_response_bytes, &limits);
        }
    }

    /// The headers every attempt of `req` sends (the credentials come per
    /// attempt), and whether an idempotency key makes it safe to retry. A
    /// value that is no valid header value is an error: nothing is sent.
    fn headers(&self, req: &Request, options: &RequestOptions) -> Result<(HeaderMap, bool), TransportError> {
        let inner = &*self.inner;
        let invalid = |what: &str| Error::InvalidRequest(format!("{what} is not a valid header value"));
        let mut headers = req.headers.clone();
        headers.insert(reqwest::header::USER_AGENT, inner.user_agent.clone());
        if let Some((name, value)) = &inner.telemetry {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(cd) = inner.custom_domain.as_ref().filter(|cd| cd.accepts(req.route)) {
            let value = match &options.custom_domain {
                Some(d) => Some(HeaderValue::from_str(d).map_err(|_| invalid(&format!("custom domain {d:?}")))?),
                None => cd.value.clone(),
            };
            if let Some(v) = value {
                headers.insert(cd.header.clone(), v);
            }
        }
        headers.entry(reqwest::header::ACCEPT).or_insert(HeaderValue::from_static("application/json"));
        if let Some((ct, _)) = &req.body {
            headers.insert(reqwest::header::CONTENT_TYPE, ct.clone());
        }
        let key_cookie = match &inner.auth {
            Auth::ApiKey { location: ApiKeyLocation::Cookie, name, value } => {
                Some(format!("{name}={}", value.expose()))
            }
            _ => None,
        };
        let cookies: Vec<&str> = req.cookies.iter().map(String::as_str).chain(key_cookie.as_deref()).collect();
        if !cookies.is_empty() {
            let mut v = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| invalid("a cookie"))?;
            v.set_sensitive(key_cookie.is_some());
            headers.insert(reqwest::header::COOKIE, v);
        }
        let mut keyed = false;
        if let Some(name) = &inner.idempotency_header {
            if matches!(req.method, Method::POST | Method::PATCH) || options.idempotency_key.is_some() {
                let key = options
                    .idempotency_key
                    .clone()
                    .unwrap_or_else(|| (0..32).map(|_| fastrand::alphanumeric()).collect::<String>());
                let v = HeaderValue::from_str(&key).map_err(|_| invalid(&format!("idempotency key {key:?}")))?;
                headers.insert(name.clone(), v);
                keyed = true;
            }
        }
        // Option headers replace same-named ones; several with one name are all sent.
        for (k, _) in &options.headers {
            headers.remove(k);
        }
        for (k, v) in &options.headers {
            headers.append(k.clone(), v.clone());
        }
        Ok((headers, keyed))
    }

    /// Puts this attempt's credentials on `request`: a bearer token (from
    /// the provider, within the attempt's time), basic credentials or an
    /// API key header. Returns the token sent, which a 401 may reject.
    async fn authorize(
        &self,
        request: &mut reqwest::Request,
        limit: Duration,
        kind: TimeoutKind,
        attempts: u32,
        limits: &Limits,
        rejected: Option<&Secret>,
    ) -> Result<Option<Secret>, TransportError> {
        let inner = &*self.inner;
        let sensitive = |text: &str, what: &str| {
            let mut v = HeaderValue::from_str(text)
                .map_err(|_| Error::InvalidRequest(format!("{what} is not a valid header value")))?;
            v.set_sensitive(true);
            Ok::<_, TransportError>(v)
        };
        match &inner.auth {
            Auth::None => Ok(None),
            Auth::Token { provider, .. } => {
                // A token endpoint that hangs must not hang the call: the
                // fetch gets the same time as an attempt.
                let token = match tokio::time::timeout(limit, provider.token(&inner.http, rejected)).await {
                    Ok(t) => t.map_err(|e| Error::Auth(Box::new(e)))?,
                    Err(_) if kind == TimeoutKind::Deadline => {
                        return Err(Error::Timeout { attempts, kind, limit: limits.limit_of(kind) })
                    }
                    Err(_) => {
                        let e = TokenError::new(format!("no token within the timeout of {:?}", limits.timeout));
                        return Err(Error::Auth(Box::new(e)));
                    }
                };
                let mut v = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|_| Error::Auth(Box::new(TokenError::new("token is not a valid header value"))))?;
                v.set_sensitive(true);
                request.headers_mut().insert(reqwest::header::AUTHORIZATION, v);
                Ok(Some(token))
            }
            Auth::Basic { user, password } => {
                use base64::Engine;
                let creds = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", password.expose()));
                request
                    .headers_mut()
                    .insert(reqwest::header::AUTHORIZATION, sensitive(&format!("Basic {creds}"), "basic credentials")?);
                Ok(None)
            }
            Auth::ApiKey { location: ApiKeyLocation::Header, name, value } => {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    Error::InvalidRequest(format!("api key header {name:?} is not a valid header name"))
                })?;
                request.headers_mut().insert(name, sensitive(value.expose(), "the api key")?);
                Ok(None)
            }
            // Sent in the URL (`url`) or the cookie header (`headers`).
            Auth::ApiKey { location: ApiKeyLocation::Query | ApiKeyLocation::Cookie, .. } => Ok(None),
        }
    }

    /// Records a response's rate limits and shows it to the hooks.
    fn observe(&self, raw: &RawResponse, req: &Request, attempt: u32, elapsed: Duration) {
        let inner = &*self.inner;
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
    }

    /// The wait before retry number `retries` after `outcome`, or `None`
    /// when the server asks for longer than `max_retry_after` (its answer
    /// goes back at once: sleeping the cap first only delays the same
    /// failure, and `ApiError::retry_after` has the wait) or the wait would
    /// pass the deadline.
    fn backoff(&self, outcome: &Attempt, retries: u32, limits: &Limits, span: &tracing::Span) -> Option<Duration> {
        let retry = &self.inner.retry;
        let response = match outcome {
            Attempt::Done(raw) => Some((raw.status.as_u16(), &raw.headers)),
            _ => None,
        };
        let now = SystemTime::now();
        let asked = response.and_then(|(status, h)| server_delay(h, status == 429, now));
        let too_long = asked.is_some_and(|a| a > retry.max_retry_after);
        let delay = retry.delay(retries, response, now);
        let past_deadline =
            limits.deadline_at.is_some_and(|at| Instant::now().checked_add(delay).is_none_or(|end| end >= at));
        if too_long || past_deadline {
            tracing::debug!(
                parent: span,
                asked_ms = asked.map(|a| a.as_millis() as u64),
                delay_ms = delay.as_millis() as u64,
                too_long,
                past_deadline,
                "not retrying: the wait is longer than allowed"
            );
            return None;
        }
        Some(delay)
    }

    async fn attempt(
        &self,
        request: reqwest::Request,
        started: Instant,
        timeout: Duration,
        kind: TimeoutKind,
        attempt: u32,
        req: &Request,
    ) -> Attempt {
        let (streaming, operation, route) = (req.streaming, req.operation, req.route);
        let limit = self.inner.max_response_bytes;
        let fut = async {
            let mut resp = match self.inner.http.execute(request).await {
                Ok(r) => r,
                Err(e) if e.is_timeout() => return Attempt::Timeout(kind),
                Err(e) => return Attempt::Transport(e),
            };
            let status = resp.status();
            if resp.content_length().is_some_and(|n| n > limit as u64) {
                return Attempt::TooLarge(status);
            }
            let headers = std::mem::take(resp.headers_mut());
            if streaming && status.is_success() {
                // The body is the stream: no timeout cuts it (only the wait
                // for these headers was bounded).
                return Attempt::Done(RawResponse {
                    status,
                    headers,
                    body: Bytes::new(),
                    attempts: attempt,
                    stream: Some(resp),
                    source: None,
                    operation,
                    route,
                });
            }
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
                    Err(e) if e.is_timeout() => return Attempt::Timeout(kind),
                    Err(e) => return Attempt::Transport(e),
                }
            }
            Attempt::Done(RawResponse {
                status,
                headers,
                body: Bytes::from(buf),
                attempts: attempt,
                stream: None,
                source: None,
                operation,
                route,
            })
        };
        // The deadline counts from `started` (no second clock read); a
        // timeout too large to add means none.
        match tokio::time::Instant::from_std(started).checked_add(timeout) {
            Some(deadline) => tokio::time::timeout_at(deadline, fut).await.unwrap_or(Attempt::Timeout(kind)),
            None => fut.await,
        }
    }
}

/// The last outcome of a call as its result.
fn finish(
    outcome: Attempt,
    attempts: u32,
    max_response_bytes: usize,
    limits: &Limits,
) -> Result<RawResponse, TransportError> {
    match outcome {
        Attempt::Done(mut raw) => {
            raw.attempts = attempts;
            Ok(raw)
        }
        Attempt::Timeout(kind) => Err(Error::Timeout { attempts, kind, limit: limits.limit_of(kind) }),
        Attempt::Transport(e) => Err(Error::Transport { source: e.without_url(), attempts }),
        Attempt::TooLarge(status) => Err(Error::ResponseTooLarge { limit: max_response_bytes, status }),
    }
}

/// The checks before anything is sent: the request's values against the
/// spec's constraints, its encoding, and the request options.
fn preflight(req: &mut Request, options: &RequestOptions) -> Result<(), TransportError> {
    if let Err(e) = std::mem::take(&mut req.validator).finish() {
        return Err(Error::Validation(e));
    }
    if let Some(e) = req.encode_error.take() {
        return Err(Error::InvalidRequest(e));
    }
    if let Some(e) = &options.invalid {
        return Err(Error::InvalidRequest(e.clone()));
    }
    Ok(())
}

/// The time limits of one call: the per-attempt timeout and the call's
/// deadline, counted from its start.
struct Limits {
    timeout: Duration,
    deadline: Option<Duration>,
    /// When the deadline passes; `None` without one, or when it is too
    /// large to add (none, then).
    deadline_at: Option<Instant>,
}

impl Limits {
    fn of(options: &RequestOptions, inner: &super::client::Inner) -> Self {
        let deadline = options.deadline.or(inner.deadline);
        let deadline_at = deadline.and_then(|d| Instant::now().checked_add(d));
        Limits { timeout: options.timeout.unwrap_or(inner.timeout), deadline, deadline_at }
    }

    /// The next attempt's time: the per-attempt timeout, or what is left of
    /// the deadline when that is shorter; past the deadline, the error
    /// (after `attempts` attempts).
    fn window(&self, attempts: u32) -> Result<(Duration, TimeoutKind), TransportError> {
        match (self.deadline, self.deadline_at) {
            (Some(d), Some(at)) => {
                let left = at.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::Timeout { attempts, kind: TimeoutKind::Deadline, limit: d });
                }
                Ok(if left < self.timeout {
                    (left, TimeoutKind::Deadline)
                } else {
                    (self.timeout, TimeoutKind::Attempt)
                })
            }
            _ => Ok((self.timeout, TimeoutKind::Attempt)),
        }
    }

    /// The limit an error of `kind` names.
    fn limit_of(&self, kind: TimeoutKind) -> Duration {
        match (kind, self.deadline) {
            (TimeoutKind::Deadline, Some(d)) => d,
            _ => self.timeout,
        }
    }
}

/// Where a redirect of a GET or HEAD to the same origin points; `None` for
/// any other method, status, or origin, and for a missing `Location`.
fn same_origin_redirect(method: &Method, from: &url::Url, raw: &RawResponse) -> Option<url::Url> {
    if !matches!(*method, Method::GET | Method::HEAD) || !matches!(raw.status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = raw.headers.get(reqwest::header::LOCATION)?.to_str().ok()?;
    let next = from.join(location).ok()?;
    (next.origin() == from.origin()).then_some(next)
}
