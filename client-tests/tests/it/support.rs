//! Shared helpers for the runtime tests: a recording [`Sleeper`], a request
//! body for the seed operation and a mock server on 127.0.0.1.

#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use auth0_management_api::runtime::{BoundedString, Sleeper};
use auth0_management_api::types::{
    CreateUserAuthenticationMethodRequestContent, CreatedUserAuthenticationMethodTypeEnum,
};
use auth0_management_api::{Client, ClientBuilder};
use wiremock::MockServer;

/// The route of the seed operation for user `auth0|123`.
pub const CREATE_PATH: &str = "/api/v2/users/auth0%7C123/authentication-methods";
pub const USER: &str = "auth0|123";

/// Records every wait the client asks for and returns at once.
#[derive(Debug, Default, Clone)]
pub struct RecordingSleeper(Arc<Mutex<Vec<Duration>>>);

impl RecordingSleeper {
    pub fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// A valid phone authentication method request.
pub fn body() -> CreateUserAuthenticationMethodRequestContent {
    let mut b = CreateUserAuthenticationMethodRequestContent::new(CreatedUserAuthenticationMethodTypeEnum::Phone);
    b.phone_number = Some(BoundedString::new("+15551234567").unwrap());
    b.name = Some("work phone".to_string());
    b
}

/// The 201 body the mock answers with.
pub fn created() -> serde_json::Value {
    serde_json::json!({
        "id": "phone|dev_abc",
        "type": "phone",
        "phone_number": "+15551234567",
        "created_at": "2024-01-01T00:00:00.000Z"
    })
}

/// The base URL of the API on `server`.
pub fn base(server: &MockServer) -> String {
    format!("{}/api/v2", server.uri())
}

/// A builder against `server` with a static token and a recording sleeper.
pub fn builder(server: &MockServer, sleeper: &RecordingSleeper) -> ClientBuilder {
    Client::builder().base_url(base(server)).bearer_token("static-token-value").sleeper(Arc::new(sleeper.clone()))
}

/// The requests `server` received on `path`.
pub async fn received_on(server: &MockServer, path: &str) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default().into_iter().filter(|r| r.url.path() == path).collect()
}
