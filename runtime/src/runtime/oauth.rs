//! The OAuth2 client-credentials flow, authenticated by a client secret or
//! by a private-key JWT client assertion (RFC 7523; RS256, PS256 or ES256,
//! signed with `jsonwebtoken`). Generated crates carry this module only when
//! their description has a client-credentials scheme.
//!
//! [`ClientCredentials`] caches its token until shortly before it expires
//! and lets concurrent requests share one fetch; the fetch is retried on
//! 429, 5xx and connection errors with the client's [`RetryPolicy`], and its
//! failure is a [`TokenError`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::auth::{Secret, TokenError, TokenFuture, TokenProvider};
use super::client::{Sleeper, TokioSleeper};
use super::retry::{server_delay, RetryPolicy};

/// A signing algorithm for client assertions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (the official SDKs' default).
    RS256,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// ECDSA on P-256 with SHA-256.
    ES256,
}

/// A private-key JWT client assertion (RFC 7523): each token request sends
/// a fresh JWT signed with this key instead of a client secret, with
/// `iss` and `sub` the client id, `aud` the token endpoint's origin plus
/// `/` (Auth0's tenant URL), a random `jti` and a lifetime of two minutes,
/// as Auth0's official SDKs make it.
#[derive(Clone)]
pub struct ClientAssertion {
    key: Arc<jsonwebtoken::EncodingKey>,
    alg: SigningAlgorithm,
    kid: Option<String>,
}

impl fmt::Debug for ClientAssertion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientAssertion")
            .field("key", &format_args!("[redacted]"))
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish()
    }
}

impl ClientAssertion {
    /// A signer from a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`), or
    /// for RSA also PKCS#1 (`BEGIN RSA PRIVATE KEY`); the error never shows
    /// the key.
    pub fn from_pem(alg: SigningAlgorithm, pem: &[u8]) -> Result<Self, TokenError> {
        let key = match alg {
            SigningAlgorithm::RS256 | SigningAlgorithm::PS256 => jsonwebtoken::EncodingKey::from_rsa_pem(pem),
            SigningAlgorithm::ES256 => jsonwebtoken::EncodingKey::from_ec_pem(pem),
        }
        .map_err(|e| TokenError::new(format!("the {alg:?} signing key does not load: {e}")))?;
        Ok(ClientAssertion { key: Arc::new(key), alg, kid: None })
    }

    /// The `kid` header of each assertion (the key's id as registered).
    pub fn kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    fn sign(&self, client_id: &str, audience: &str) -> Result<String, TokenError> {
        let alg = match self.alg {
            SigningAlgorithm::RS256 => jsonwebtoken::Algorithm::RS256,
            SigningAlgorithm::PS256 => jsonwebtoken::Algorithm::PS256,
            SigningAlgorithm::ES256 => jsonwebtoken::Algorithm::ES256,
        };
        let mut header = jsonwebtoken::Header::new(alg);
        header.kid = self.kid.clone();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let jti: String = (0..32).map(|_| fastrand::alphanumeric()).collect();
        let claims = serde_json::json!({
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "iat": now,
            "nbf": now,
            "exp": now + 120,
            "jti": jti,
        });
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map_err(|e| TokenError::new(format!("cannot sign the client assertion: {e}")))
    }
}

/// How a client proves who it is to the token endpoint.
#[derive(Debug, Clone)]
pub enum ClientAuth {
    /// `client_secret` in the form.
    Secret(Secret),
    /// A signed JWT in `client_assertion`.
    Assertion(ClientAssertion),
}

impl From<Secret> for ClientAuth {
    fn from(s: Secret) -> Self {
        ClientAuth::Secret(s)
    }
}

impl From<&str> for ClientAuth {
    fn from(s: &str) -> Self {
        ClientAuth::Secret(s.into())
    }
}

impl From<String> for ClientAuth {
    fn from(s: String) -> Self {
        ClientAuth::Secret(s.into())
    }
}

impl From<ClientAssertion> for ClientAuth {
    fn from(a: ClientAssertion) -> Self {
        ClientAuth::Assertion(a)
    }
}

#[derive(Debug)]
struct Cached {
    token: Secret,
    refresh_at: Instant,
    fetched_at: Instant,
}

#[derive(Debug, Default)]
struct State {
    cached: Option<Cached>,
    /// When the last fetch failed, and why: callers that were waiting for
    /// that fetch share its error instead of each trying again in turn.
    failed: Option<(Instant, TokenError)>,
}

/// OAuth2 client credentials (RFC 6749 section 4.4), with the extra form
/// parameters the API needs (Auth0's `audience`).
pub struct ClientCredentials {
    token_url: url::Url,
    client_id: String,
    client_auth: ClientAuth,
    form: Vec<(String, String)>,
    /// Refresh this long before the token expires.
    refresh_margin: Duration,
    retry: RetryPolicy,
    sleeper: Arc<dyn Sleeper>,
    state: tokio::sync::Mutex<State>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_auth", &self.client_auth)
            .field("form", &self.form)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// Client credentials against `token_url`, authenticated by a client
    /// secret (a `&str`, `String` or [`Secret`]) or a [`ClientAssertion`].
    pub fn new(token_url: url::Url, client_id: impl Into<String>, client_auth: impl Into<ClientAuth>) -> Self {
        ClientCredentials {
            token_url,
            client_id: client_id.into(),
            client_auth: client_auth.into(),
            form: Vec::new(),
            refresh_margin: Duration::from_secs(60),
            retry: RetryPolicy::default(),
            sleeper: Arc::new(TokioSleeper),
            state: tokio::sync::Mutex::new(State::default()),
        }
    }

    /// Adds a form parameter sent with every token request (`audience`,
    /// `organization`); one of the same name is replaced.
    pub fn form_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.form.retain(|(k, _)| *k != name);
        self.form.push((name, value.into()));
        self
    }

    /// Retries failed token requests (429, 5xx, connection errors) with
    /// this policy, waiting with `sleeper` (the client's, when it builds these).
    pub fn retry(mut self, policy: RetryPolicy, sleeper: Arc<dyn Sleeper>) -> Self {
        self.retry = policy;
        self.sleeper = sleeper;
        self
    }

    /// How long before expiry the token is refreshed (default 60 s, at most
    /// half the token's lifetime).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// One token, retried as the policy allows: 429 and 5xx answers and
    /// connection errors (a token request creates nothing, so any method
    /// rule is moot), never 4xx answers such as a refused secret.
    async fn fetch(&self, http: &reqwest::Client) -> Result<Cached, TokenError> {
        let mut retries = 0;
        loop {
            let attempts = retries + 1;
            let (err, wait_on) = match self.fetch_once(http).await {
                Ok(c) => return Ok(c),
                Err((mut e, response)) => {
                    e.attempts = attempts;
                    (e, response)
                }
            };
            let retryable = match &wait_on {
                Some((status, _)) => *status == 429 || (500..600).contains(status),
                None => err.status.is_none(),
            };
            if !retryable || retries >= self.retry.max_retries {
                return Err(err);
            }
            let now = SystemTime::now();
            let response = wait_on.as_ref().map(|(s, h)| (*s, h));
            if response
                .and_then(|(s, h)| server_delay(h, s == 429, now))
                .is_some_and(|asked| asked > self.retry.max_retry_after)
            {
                return Err(err);
            }
            let delay = self.retry.delay(retries, response, now);
            tracing::debug!(attempt = attempts, delay_ms = delay.as_millis() as u64, "retrying the token request");
            retries += 1;
            self.sleeper.sleep(delay).await;
        }
    }

    /// One token request; a failure carries the status and headers of the
    /// answer, when there was one, for the retry decision.
    async fn fetch_once(
        &self,
        http: &reqwest::Client,
    ) -> Result<Cached, (TokenError, Option<(u16, reqwest::header::HeaderMap)>)> {
        let assertion;
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials"), ("client_id", &self.client_id)];
        match &self.client_auth {
            ClientAuth::Secret(secret) => form.push(("client_secret", secret.expose())),
            ClientAuth::Assertion(a) => {
                let audience = format!("{}/", self.token_url.origin().ascii_serialization());
                assertion = a.sign(&self.client_id, &audience).map_err(|e| (e, None))?;
                form.push(("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
                form.push(("client_assertion", &assertion));
            }
        }
        form.extend(self.form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let body = {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &form {
                ser.append_pair(k, v);
            }
            ser.finish()
        };
        let resp = http
            .post(self.token_url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                (TokenError::new(format!("token request to {} failed: {}", self.token_url, e.without_url())), None)
            })?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| (TokenError::new(format!("token response broke off: {}", e.without_url())), None))?;
        if !status.is_success() {
            let v = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
            let text = |k: &str| v.as_ref().and_then(|v| v.get(k)).and_then(|m| m.as_str()).map(str::to_string);
            let e = TokenError {
                status: Some(status),
                error: text("error"),
                error_description: text("error_description"),
                message: format!("token endpoint answered {status}"),
                attempts: 1,
            };
            return Err((e, Some((status.as_u16(), headers))));
        }
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: String,
            expires_in: Option<u64>,
        }
        let parsed: TokenResponse = serde_json::from_slice(&bytes).map_err(|e| {
            let mut err = TokenError::new(format!("token response is not valid: {e}"));
            err.status = Some(status);
            (err, None)
        })?;
        // A year at most: `Instant + Duration` panics on overflow.
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600).min(365 * 24 * 3600));
        let margin = self.refresh_margin.min(lifetime / 2);
        let now = Instant::now();
        Ok(Cached { token: Secret::new(parsed.access_token), refresh_at: now + (lifetime - margin), fetched_at: now })
    }
}

impl TokenProvider for ClientCredentials {
    fn token<'a>(&'a self, http: &'a reqwest::Client, rejected: Option<&'a Secret>) -> TokenFuture<'a> {
        Box::pin(async move {
            // Holding the lock across the fetch makes concurrent callers wait
            // for one token request instead of each sending their own.
            let asked = Instant::now();
            let mut state = self.state.lock().await;
            if let Some((at, e)) = &state.failed {
                if *at >= asked {
                    return Err(e.clone());
                }
            }
            if let Some(c) = state.cached.as_ref() {
                // A token fetched while this caller waited is used even when
                // already due for refresh (`expires_in` 0 or tiny): otherwise
                // every waiter would fetch again, one after the other.
                let fresh = Instant::now() < c.refresh_at || c.fetched_at >= asked;
                let was_rejected = rejected.is_some_and(|r| *r == c.token);
                if fresh && !was_rejected {
                    return Ok(c.token.clone());
                }
            }
            let cached = match self.fetch(http).await {
                Ok(c) => c,
                Err(e) => {
                    state.failed = Some((Instant::now(), e.clone()));
                    return Err(e);
                }
            };
            let token = cached.token.clone();
            state.failed = None;
            state.cached = Some(cached);
            Ok(token)
        })
    }
}

#[cfg(test)]
mod tests;
