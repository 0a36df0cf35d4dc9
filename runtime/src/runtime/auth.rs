//! Credentials: secrets, static tokens and token providers (the OAuth2
//! client-credentials provider is in `oauth.rs`).
//!
//! Secrets live in [`Secret`], whose `Debug` never shows them, and are never
//! recorded in tracing spans. A provider that cannot get a token fails with a
//! [`TokenError`] with the status and the OAuth2 `error` and
//! `error_description`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use reqwest::StatusCode;

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

/// Why no token could be obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenError {
    /// The token endpoint's status, when it answered.
    pub status: Option<StatusCode>,
    /// The OAuth2 `error` code (`access_denied`, `invalid_client`).
    pub error: Option<String>,
    /// The OAuth2 `error_description`.
    pub error_description: Option<String>,
    /// What went wrong, in words (never a secret).
    pub message: String,
    /// Token requests made (1 without retries).
    pub attempts: u32,
}

impl TokenError {
    pub fn new(message: impl Into<String>) -> Self {
        TokenError { status: None, error: None, error_description: None, message: message.into(), attempts: 0 }
    }
}

impl From<String> for TokenError {
    fn from(message: String) -> Self {
        TokenError::new(message)
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(e) = &self.error {
            write!(f, ": {e}")?;
        }
        if let Some(d) = &self.error_description {
            write!(f, ": {d}")?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for TokenError {}

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, TokenError>> + Send + 'a>>;

/// Supplies bearer tokens.
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A token to send. `rejected` is a token the API just answered 401 to:
    /// the provider should get a new one rather than return it again.
    fn token<'a>(&'a self, http: &'a reqwest::Client, rejected: Option<&'a Secret>) -> TokenFuture<'a>;
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
