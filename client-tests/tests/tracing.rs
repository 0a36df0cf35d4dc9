//! Tracing output of a call: spans and events name the operation, method,
//! route template, status and attempt, and never carry credentials.
//!
//! A binary of its own: tracing caches each callsite's interest globally, so
//! tests running beside it on other threads (with no subscriber) would race
//! the subscriber this test sets for its thread.

#[path = "it/support.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::support::{base, body, created, RecordingSleeper, CREATE_PATH, USER};
use auth0_management_api::Client;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "cs-very-secret-4711";
const TOKEN: &str = "token-aaaa-1111";

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

// A current-thread runtime: the subscriber set for this thread sees every
// span and event of the client, reqwest and hyper. This is the only test in
// this binary (see the module docs), so no other thread decides the
// callsites' interest first.
#[tokio::test]
async fn tracing_records_the_call_but_never_credentials() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // Callsites first hit while no subscriber was interested cache that
    // verdict globally; make them ask again now that this one is set.
    tracing::callsite::rebuild_interest_cache();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .with_priority(2)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = Client::builder()
        .base_url(base(&server))
        .client_credentials("my-client-id", CLIENT_SECRET)
        .sleeper(Arc::new(sleeper.clone()))
        .build()
        .unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    // A success status the description does not list (200 where 201 is)
    // is read as the listed success, with a warning naming it.
    Mock::given(method("DELETE"))
        .and(path("/api/v2/network-acls/acl_1"))
        .respond_with(ResponseTemplate::new(206))
        .mount(&server)
        .await;
    let deleted = client.network_acls().delete("acl_1").await.unwrap();
    assert_eq!(deleted.status().as_u16(), 206);
    drop(_guard);

    let out = captured.text();
    for expected in [
        "api.request",
        "operation=\"post_authentication-methods\"",
        "method=POST",
        "route=\"/users/{id}/authentication-methods\"",
        "attempt=1",
        "attempt=2",
        "status=429",
        "status=201",
        "retrying",
        "WARN",
        "the server answered with a success status the description does not list",
        "operation=\"delete_network-acls_by_id\"",
        "route=\"/network-acls/{id}\"",
        "status=206",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    for secret in [CLIENT_SECRET, TOKEN, "Bearer"] {
        assert!(!out.contains(secret), "{secret:?} leaked into tracing output:\n{out}");
    }
    // The concrete path (with the user id) is not recorded either.
    assert!(!out.contains("auth0%7C123") && !out.contains(USER), "{out}");
}
