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
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use tracing::Instrument;

use super::auth::{Secret, TokenError};
use super::client::{Auth, Client, RequestOptions, ResponseInfo};
use super::error::{Error, TimeoutKind, TransportError};
use super::request::Request;
use super::response::RawResponse;
use super::response::StreamSource;
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
        if let Auth::ApiKey { location: "query", name, value } = &self.inner.auth {
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
        if let Err(e) = std::mem::take(&mut req.validator).finish() {
            return Err(Error::Validation(e));
        }
        if let Some(e) = req.encode_error.take() {
            return Err(Error::InvalidRequest(e));
        }
        let no_options = RequestOptions::default();
        let options: &RequestOptions = self.options.as_deref().unwrap_or(&no_options);
        if let Some(e) = &options.invalid {
            return Err(Error::InvalidRequest(e.clone()));
        }
        let inner = &*self.inner;
        let call_started = Instant::now();
        let deadline = options.deadline.or(inner.deadline);
        // A deadline too large to add means none.
        let deadline_at = deadline.and_then(|d| call_started.checked_add(d));
        let mut url = self.url(&req, options)?;
        let mut idempotent = !matches!(req.method, Method::POST | Method::PATCH)
            || options.retry_non_idempotent.unwrap_or(inner.retry.retry_non_idempotent);
        let mut headers = req.headers.clone();
        headers.insert(reqwest::header::USER_AGENT, inner.user_agent.clone());
        if let Some((name, value)) = &inner.telemetry {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(cd) = inner.custom_domain.as_ref().filter(|cd| cd.accepts(req.route)) {
            let value =
                match &options.custom_domain {
                    Some(d) => Some(HeaderValue::from_str(d).map_err(|_| {
                        Error::InvalidRequest(format!("custom domain {d:?} is not a valid header value"))
                    })?),
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
        let mut redirects: u32 = 0;
        let follow_redirects = inner.follow_redirects && !req.keep_redirects;
        loop {
            // This attempt's time: the per-attempt timeout, or what is left
            // of the deadline when that is shorter.
            let (limit, kind) = match (deadline, deadline_at) {
                (Some(d), Some(at)) => {
                    let left = at.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Error::Timeout { attempts: attempt, kind: TimeoutKind::Deadline, limit: d });
                    }
                    if left < timeout {
                        (left, TimeoutKind::Deadline)
                    } else {
                        (timeout, TimeoutKind::Attempt)
                    }
                }
                _ => (timeout, TimeoutKind::Attempt),
            };
            let limit_of = |k: TimeoutKind| match (k, deadline) {
                (TimeoutKind::Deadline, Some(d)) => d,
                _ => timeout,
            };
            attempt += 1;
            let mut request = reqwest::Request::new(req.method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            let mut token_used = None;
            match &inner.auth {
                Auth::None => {}
                Auth::Token { provider, .. } => {
                    // A token endpoint that hangs must not hang the call: the
                    // fetch gets the same time as an attempt.
                    let token = match tokio::time::timeout(limit, provider.token(&inner.http, rejected.as_ref())).await
                    {
                        Ok(t) => t.map_err(|e| Error::Auth(Box::new(e)))?,
                        Err(_) if kind == TimeoutKind::Deadline => {
                            return Err(Error::Timeout { attempts: attempt - 1, kind, limit: limit_of(kind) })
                        }
                        Err(_) => {
                            let e = TokenError::new(format!("no token within the timeout of {timeout:?}"));
                            return Err(Error::Auth(Box::new(e)));
                        }
                    };
                    let mut v = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                        .map_err(|_| Error::Auth(Box::new(TokenError::new("token is not a valid header value"))))?;
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
            let outcome =
                self.attempt(request, started, limit, kind, attempt, req.streaming).instrument(span.clone()).await;
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
                let response = match &outcome {
                    Attempt::Done(raw) => Some((raw.status.as_u16(), &raw.headers)),
                    _ => None,
                };
                let now = SystemTime::now();
                // A server asking for more than `max_retry_after` gets its
                // answer back at once: sleeping the cap first only delays
                // the same failure (`ApiError::retry_after` has the wait).
                let asked = response.and_then(|(status, h)| server_delay(h, status == 429, now));
                let too_long = asked.is_some_and(|a| a > inner.retry.max_retry_after);
                let delay = inner.retry.delay(retries, response, now);
                let past_deadline =
                    deadline_at.is_some_and(|at| Instant::now().checked_add(delay).is_none_or(|end| end >= at));
                if too_long || past_deadline {
                    tracing::debug!(
                        parent: &span,
                        asked_ms = asked.map(|a| a.as_millis() as u64),
                        delay_ms = delay.as_millis() as u64,
                        too_long,
                        past_deadline,
                        "not retrying: the wait is longer than allowed"
                    );
                    return finish(outcome, attempt, (req.operation, req.route), inner.max_response_bytes, limit_of);
                }
                retries += 1;
                tracing::debug!(parent: &span, delay_ms = delay.as_millis() as u64, "retrying");
                inner.sleeper.sleep(delay).await;
                continue;
            }
            return finish(outcome, attempt, (req.operation, req.route), inner.max_response_bytes, limit_of);
        }
    }

    async fn attempt(
        &self,
        request: reqwest::Request,
        started: Instant,
        timeout: Duration,
        kind: TimeoutKind,
        attempt: u32,
        streaming: bool,
    ) -> Attempt {
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
                    operation: "",
                    route: "",
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
                operation: "",
                route: "",
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
    (operation, route): (&'static str, &'static str),
    max_response_bytes: usize,
    limit_of: impl Fn(TimeoutKind) -> Duration,
) -> Result<RawResponse, TransportError> {
    match outcome {
        Attempt::Done(mut raw) => {
            raw.attempts = attempts;
            raw.operation = operation;
            raw.route = route;
            Ok(raw)
        }
        Attempt::Timeout(kind) => Err(Error::Timeout { attempts, kind, limit: limit_of(kind) }),
        Attempt::Transport(e) => Err(Error::Transport { source: e.without_url(), attempts }),
        Attempt::TooLarge(status) => Err(Error::ResponseTooLarge { limit: max_response_bytes, status }),
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
