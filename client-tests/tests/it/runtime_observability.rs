//! Rate-limit visibility, hooks and a custom `reqwest::Client`
//! (tracing output is checked in `runtime_tracing.rs`).

use std::sync::{Arc, Mutex};

use crate::support::{body, builder, created, received_on, RecordingSleeper, CREATE_PATH, USER};
use auth0_management_api::runtime::{HeaderValue, Hook, ResponseInfo};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn last_rate_limit_reflects_the_last_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(created())
                .insert_header("x-ratelimit-limit", "50")
                .insert_header("x-ratelimit-remaining", "49")
                .insert_header("x-ratelimit-reset", "1700000000"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(
            ResponseTemplate::new(409)
                .insert_header("x-ratelimit-limit", "50")
                .insert_header("x-ratelimit-remaining", "48")
                .insert_header("x-ratelimit-reset", "1700000001"),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();
    assert_eq!(client.last_rate_limit(), None);

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();
    let rl = client.last_rate_limit().unwrap();
    assert_eq!((rl.limit, rl.remaining, rl.reset), (Some(50), Some(49), Some(1_700_000_000)));
    assert_eq!(resp.rate_limit(), rl);

    // Error responses count too, and handles share the value.
    let handle = client.with_options(Default::default());
    assert!(handle.users().authentication_methods().create(USER, &body()).await.is_err());
    let rl = client.last_rate_limit().unwrap();
    assert_eq!((rl.limit, rl.remaining, rl.reset), (Some(50), Some(48), Some(1_700_000_001)));
}

#[derive(Default)]
struct RecordingHook {
    seen: Mutex<Vec<(String, String, u16, u32)>>,
}

impl Hook for RecordingHook {
    fn on_request(&self, request: &mut reqwest::Request) {
        request.headers_mut().insert("x-signed-by", HeaderValue::from_static("hook"));
    }
    fn on_response(&self, r: &ResponseInfo<'_>) {
        self.seen.lock().unwrap().push((r.operation.to_string(), r.route.to_string(), r.status.as_u16(), r.attempt));
    }
}

#[tokio::test]
async fn hooks_change_requests_and_observe_responses() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .and(header("x-signed-by", "hook"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .with_priority(2)
        .mount(&server)
        .await;
    let hook = Arc::new(RecordingHook::default());
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).hook(hook.clone()).build().unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();

    assert_eq!(resp.status().as_u16(), 201);
    let route = "/users/{id}/authentication-methods".to_string();
    let op = "post_authentication-methods".to_string();
    assert_eq!(*hook.seen.lock().unwrap(), vec![(op.clone(), route.clone(), 429, 1), (op, route, 201, 2)]);
    let reqs = received_on(&server, CREATE_PATH).await;
    assert!(reqs.iter().all(|r| r.headers.get("x-signed-by").is_some_and(|v| v == "hook")));
}

#[tokio::test]
async fn a_custom_reqwest_client_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .and(header("x-from-custom-client", "yes"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-custom-client", HeaderValue::from_static("yes"));
    let http = reqwest::Client::builder().default_headers(defaults).build().unwrap();
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).http_client(http).max_retries(0).build().unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();

    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 1);
}

#[tokio::test]
async fn decode_errors_name_the_failing_path() {
    // The runtime decodes once, tracking the path: the error names it, and
    // data after the value is an error too.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/bad/authentication-methods"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"type": "phone", "name": 42})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/trailing/authentication-methods"))
        .respond_with(ResponseTemplate::new(201).set_body_string(r#"{"type": "phone"} {}"#))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();

    match client.users().authentication_methods().create("bad", &body()).await {
        Err(auth0_management_api::Error::Decode(e)) => {
            assert_eq!(e.path, "name");
            assert!(e.message.contains("invalid type"), "{}", e.message);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    match client.users().authentication_methods().create("trailing", &body()).await {
        Err(auth0_management_api::Error::Decode(e)) => {
            assert!(e.message.contains("trailing"), "{}", e.message)
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}
