//! Headers the API asks clients to send: a telemetry header naming the
//! client (Auth0's `Auth0-Client`), and a custom-domain header sent only on
//! the routes that accept it (Auth0's `Auth0-Custom-Domain`).
//!
//! Which headers, and on which routes, come from the generator's settings
//! (`spec/codegen.yaml`); nothing here knows an API by name.

use reqwest::header::{HeaderName, HeaderValue};

/// The telemetry header's value: base64url (no padding) of the JSON
/// `{"name": .., "version": .., "env": {"rust": <rustc version>, ..}}`, as
/// Auth0's official SDKs send it. `env` entries given later replace earlier
/// ones of the same key.
pub(crate) fn telemetry_value(name: &str, version: &str, env: &[(String, String)]) -> Option<HeaderValue> {
    use base64::Engine;
    let mut env_map = serde_json::Map::new();
    env_map.insert("rust".to_string(), serde_json::Value::String(rustc_version().to_string()));
    for (k, v) in env {
        env_map.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    let json = serde_json::json!({ "name": name, "version": version, "env": env_map });
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json.to_string());
    HeaderValue::from_str(&encoded).ok()
}

/// The version of the compiler that built this crate (from `build.rs`).
pub fn rustc_version() -> &'static str {
    option_env!("CLIENT_RUSTC_VERSION").unwrap_or("unknown")
}

/// A custom-domain header and the routes that accept it.
#[derive(Debug, Clone)]
pub(crate) struct CustomDomain {
    pub(crate) header: HeaderName,
    /// Route templates as the spec writes them (`/users/{id}`); parameter
    /// names do not matter when matching.
    pub(crate) routes: &'static [&'static str],
    /// The client's domain, when one is set.
    pub(crate) value: Option<HeaderValue>,
}

impl CustomDomain {
    /// Whether requests to `route` (a spec route template) may carry the header.
    pub(crate) fn accepts(&self, route: &str) -> bool {
        self.routes.iter().any(|r| same_route(r, route))
    }
}

/// Two route templates are the same route when they differ at most in the
/// names of their parameters (`/users/{id}` and `/users/{user_id}`).
pub(crate) fn same_route(a: &str, b: &str) -> bool {
    let param = |s: &str| s.starts_with('{') && s.ends_with('}');
    let (mut xs, mut ys) = (a.split('/'), b.split('/'));
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y || (param(x) && param(y)) => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests;
