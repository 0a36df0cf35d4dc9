//! Credentials: static tokens, token providers and the OAuth2
//! client-credentials flow.
//!
//! Secrets live in [`Secret`], whose `Debug` never shows them, and are never
//! recorded in tracing spans. [`ClientCredentials`] caches its token until
//! shortly before it expires and lets concurrent requests share one fetch.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

/// A token, password or key. `Debug` and `Display` print `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself; take care where it goes.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, String>> + Send + 'a>>;

/// Supplies bearer tokens.
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A token to send. `rejected` is a token the API just answered 401 to:
    /// the provider should get a new one rather than return it again.
    fn token<'a>(&'a self, http: &'a reqwest::Client, rejected: Option<&'a Secret>) -> TokenFuture<'a>;
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
    failed: Option<(Instant, String)>,
}

/// OAuth2 client credentials (RFC 6749 section 4.4), with the extra form
/// parameters the API needs (Auth0's `audience`).
pub struct ClientCredentials {
    token_url: url::Url,
    client_id: String,
    client_secret: Secret,
    form: Vec<(String, String)>,
    /// Refresh this long before the token expires.
    refresh_margin: Duration,
    state: tokio::sync::Mutex<State>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("form", &self.form)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    pub fn new(token_url: url::Url, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        ClientCredentials {
            token_url,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            form: Vec::new(),
            refresh_margin: Duration::from_secs(60),
            state: tokio::sync::Mutex::new(State::default()),
        }
    }

    /// Adds a form parameter sent with every token request (`audience`).
    pub fn form_parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.form.push((name.into(), value.into()));
        self
    }

    /// How long before expiry the token is refreshed (default 60 s, at most
    /// half the token's lifetime).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<Cached, String> {
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &self.client_id),
            ("client_secret", self.client_secret.expose()),
        ];
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
            .map_err(|e| format!("token request to {} failed: {}", self.token_url, e.without_url()))?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| format!("token response broke off: {}", e.without_url()))?;
        if !status.is_success() {
            let details = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| {
                    v.get("error_description").or_else(|| v.get("error")).and_then(|m| m.as_str()).map(str::to_string)
                })
                .unwrap_or_default();
            return Err(format!("token endpoint answered {status} {details}").trim_end().to_string());
        }
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: String,
            expires_in: Option<u64>,
        }
        let parsed: TokenResponse =
            serde_json::from_slice(&bytes).map_err(|e| format!("token response is not valid: {e}"))?;
        // A year at most: `Instant + Duration` panics on overflow.
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600).min(365 * 24 * 3600));
        let margin = self.refresh_margin.min(lifetime / 2);
        let now = Instant::now();
        Ok(Cached { token: Secret(parsed.access_token), refresh_at: now + (lifetime - margin), fetched_at: now })
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

/// A fixed bearer token.
#[derive(Debug)]
pub(crate) struct StaticToken(pub(crate) Secret);

impl TokenProvider for StaticToken {
    fn token<'a>(&'a self, _: &'a reqwest::Client, _: Option<&'a Secret>) -> TokenFuture<'a> {
        let t = self.0.clone();
        Box::pin(async move { Ok(t) })
    }
}

#[cfg(test)]
mod tests;
