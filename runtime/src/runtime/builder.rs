//! Building a [`Client`]: server URL and variables, credentials, retry
//! policy, timeouts and limits.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::auth::{Secret, StaticToken, TokenProvider};
use super::client::{ApiKeyLocation, Auth, Client, Hook, Inner, Sleeper, TokioSleeper};
use super::error::BuildError;
// @part oauth
use super::oauth::{ClientAuth, ClientCredentials};
// @end oauth
use super::retry::RetryPolicy;
use super::telemetry::{telemetry_value, CustomDomain};

// @part oauth
/// Client credentials waiting for the base URL to be known.
pub(super) struct PendingCredentials {
    token_url: String,
    form: Vec<(String, String)>,
    client_id: String,
    client_auth: ClientAuth,
}

impl PendingCredentials {
    /// The token provider, with relative URLs resolved against `base_url`.
    fn provider(
        self,
        base_url: &url::Url,
        retry: &RetryPolicy,
        sleeper: &Arc<dyn Sleeper>,
    ) -> Result<Auth, BuildError> {
        let resolve = |s: &str| -> Result<String, BuildError> {
            if s.starts_with('/') {
                base_url.join(s).map(|u| u.to_string()).map_err(|e| BuildError(format!("cannot resolve {s:?}: {e}")))
            } else {
                Ok(s.to_string())
            }
        };
        let token_url = url::Url::parse(&resolve(&self.token_url)?)
            .map_err(|e| BuildError(format!("token url {:?} is invalid: {e}", self.token_url)))?;
        let mut cc =
            ClientCredentials::new(token_url, self.client_id, self.client_auth).retry(retry.clone(), sleeper.clone());
        for (k, v) in self.form {
            cc = cc.form_parameter(k, resolve(&v)?);
        }
        Ok(Auth::Token { provider: Arc::new(cc), refreshable: true })
    }
}
// @end oauth

/// Builds a [`Client`]. A generated crate's `ClientBuilder` wraps it and
/// documents each method ([`client_types!`](crate::client_types)).
pub struct ClientBuilder {
    server_url: &'static str,
    variables: Vec<(&'static str, String, &'static [&'static str])>,
    base_url: Option<String>,
    auth: Auth,
    // @part oauth
    pending_credentials: Option<PendingCredentials>,
    // @end oauth
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    timeout: Duration,
    deadline: Option<Duration>,
    follow_redirects: bool,
    connect_timeout: Duration,
    user_agent: String,
    hooks: Vec<Arc<dyn Hook>>,
    sleeper: Arc<dyn Sleeper>,
    max_response_bytes: usize,
    idempotency_header: Option<HeaderName>,
    /// The telemetry header and the crate's name and version, when the API has one.
    telemetry: Option<(&'static str, &'static str, &'static str)>,
    telemetry_on: bool,
    telemetry_env: Vec<(String, String)>,
    /// The custom-domain header and the routes that accept it.
    custom_domain_header: Option<(&'static str, &'static [&'static str])>,
    custom_domain: Option<String>,
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
            // @part oauth
            pending_credentials: None,
            // @end oauth
            http: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(60),
            deadline: None,
            follow_redirects: true,
            connect_timeout: Duration::from_secs(10),
            user_agent: user_agent.to_string(),
            hooks: Vec::new(),
            sleeper: Arc::new(TokioSleeper),
            max_response_bytes: 32 * 1024 * 1024,
            idempotency_header: None,
            telemetry: None,
            telemetry_on: true,
            telemetry_env: Vec::new(),
            custom_domain_header: None,
            custom_domain: None,
            errors: Vec::new(),
        }
    }

    pub fn server_variable(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.variables.iter_mut().find(|(n, _, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.errors.push(format!("unknown server variable `{name}`")),
        }
        self
    }

    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.auth = Auth::Token { provider: Arc::new(StaticToken(token.into())), refreshable: false };
        self
    }

    pub fn token_provider(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.auth = Auth::Token { provider, refreshable: true };
        self
    }

    pub fn basic_auth(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth = Auth::Basic { user: user.into(), password: password.into() };
        self
    }

    pub fn api_key(mut self, location: ApiKeyLocation, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        let (name, value) = (name.into(), value.into());
        // Checked here, so that `build` refuses a key no request could carry.
        match location {
            ApiKeyLocation::Header if HeaderName::from_bytes(name.as_bytes()).is_err() => {
                self.errors.push(format!("api key header {name:?} is not a valid header name"))
            }
            ApiKeyLocation::Header if HeaderValue::from_str(value.expose()).is_err() => {
                self.errors.push("the api key is not a valid header value".to_string())
            }
            ApiKeyLocation::Cookie if HeaderValue::from_str(&format!("{name}={}", value.expose())).is_err() => {
                self.errors.push(format!("api key cookie {name:?} is not a valid cookie"))
            }
            _ => {}
        }
        self.auth = Auth::ApiKey { location, name, value };
        self
    }

    // @part oauth
    pub fn client_credentials_at(
        mut self,
        token_url: &str,
        form: &[(&str, &str)],
        client_id: impl Into<String>,
        client_auth: impl Into<ClientAuth>,
    ) -> Self {
        let form = form.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.pending_credentials = Some(PendingCredentials {
            token_url: token_url.to_string(),
            form,
            client_id: client_id.into(),
            client_auth: client_auth.into(),
        });
        self
    }

    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        match &mut self.pending_credentials {
            Some(p) => p.token_url = url.into(),
            None => self.errors.push("`token_url` needs client credentials set first".to_string()),
        }
        self
    }

    pub fn token_parameter(mut self, name: &str, value: impl Into<String>) -> Self {
        match &mut self.pending_credentials {
            Some(p) => {
                p.form.retain(|(k, _)| k != name);
                p.form.push((name.to_string(), value.into()));
            }
            None => self.errors.push(format!("token parameter `{name}` needs client credentials set first")),
        }
        self
    }

    pub fn token_audience(self, audience: impl Into<String>) -> Self {
        self.token_parameter("audience", audience)
    }

    pub fn token_organization(self, organization: impl Into<String>) -> Self {
        self.token_parameter("organization", organization)
    }
    // @end oauth

    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn max_retries(mut self, n: u32) -> Self {
        self.retry.max_retries = n;
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    pub fn follow_redirects(mut self, yes: bool) -> Self {
        self.follow_redirects = yes;
        self
    }

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

    pub fn max_response_bytes(mut self, n: usize) -> Self {
        self.max_response_bytes = n;
        self
    }

    pub fn idempotency_header(mut self, name: HeaderName) -> Self {
        self.idempotency_header = Some(name);
        self
    }

    /// Sends the telemetry header `header` naming this crate. Used by
    /// generated code, from the generator's settings.
    #[doc(hidden)]
    pub fn telemetry_header(mut self, header: &'static str, name: &'static str, version: &'static str) -> Self {
        self.telemetry = Some((header, name, version));
        self
    }

    pub fn telemetry(mut self, on: bool) -> Self {
        self.telemetry_on = on;
        self
    }

    pub fn telemetry_env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.telemetry_env.push((key.into(), value.into()));
        self
    }

    /// Names the custom-domain header and the routes that accept it. Used
    /// by generated code, from the generator's settings.
    #[doc(hidden)]
    pub fn custom_domain_header(mut self, header: &'static str, routes: &'static [&'static str]) -> Self {
        self.custom_domain_header = Some((header, routes));
        self
    }

    pub fn custom_domain(mut self, domain: impl Into<String>) -> Self {
        self.custom_domain = Some(domain.into());
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

    /// Builds a [`BlockingClient`](super::BlockingClient): the same
    /// operations without `async`, on a runtime the client owns (cargo
    /// feature `blocking`).
    #[cfg(feature = "blocking")]
    pub fn build_blocking(self) -> Result<super::BlockingClient, BuildError> {
        super::BlockingClient::new(self.build()?)
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
        let telemetry = match self.telemetry {
            Some((header, name, version)) if self.telemetry_on => {
                let header = HeaderName::from_bytes(header.as_bytes())
                    .map_err(|_| BuildError(format!("telemetry header {header:?} is not a valid header name")))?;
                let value = telemetry_value(name, version, &self.telemetry_env)
                    .ok_or_else(|| BuildError("telemetry is not a valid header value".to_string()))?;
                Some((header, value))
            }
            _ => None,
        };
        let custom_domain = match (self.custom_domain_header, self.custom_domain) {
            (Some((header, routes)), domain) => {
                let header = HeaderName::from_bytes(header.as_bytes())
                    .map_err(|_| BuildError(format!("custom-domain header {header:?} is not a valid header name")))?;
                let value = match domain {
                    Some(d) => Some(
                        HeaderValue::from_str(&d)
                            .map_err(|_| BuildError(format!("custom domain {d:?} is not a valid header value")))?,
                    ),
                    None => None,
                };
                Some(CustomDomain { header, routes, value })
            }
            (None, Some(_)) => return Err(BuildError("this API has no custom-domain header".to_string())),
            (None, None) => None,
        };
        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| BuildError(format!("cannot build the http client: {e}")))?,
        };
        let auth = self.auth;
        // @part oauth
        let auth = match self.pending_credentials {
            Some(p) => p.provider(&base_url, &self.retry, &self.sleeper)?,
            None => auth,
        };
        // @end oauth
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                retry: self.retry,
                timeout: self.timeout,
                deadline: self.deadline,
                follow_redirects: self.follow_redirects,
                user_agent,
                hooks: self.hooks,
                sleeper: self.sleeper,
                max_response_bytes: self.max_response_bytes,
                idempotency_header: self.idempotency_header,
                telemetry,
                custom_domain,
                rate_limit: Mutex::new(None),
            }),
            options: None,
        })
    }
}
