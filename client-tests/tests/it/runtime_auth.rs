//! Client credentials (single-flight token fetches, refresh before expiry,
//! one refresh on 401) and secrets kept out of `Debug` output.

use std::sync::Arc;
use std::time::Duration;

use crate::support::{base, body, created, received_on, RecordingSleeper, CREATE_PATH, USER};
use auth0_management_api::operations::users::UsersAuthenticationMethodsCreateError as CreateError;
use auth0_management_api::runtime::ClientCredentials;
use auth0_management_api::{Client, Error};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "cs-very-secret-4711";
const TOKEN_A: &str = "token-aaaa-1111";
const TOKEN_B: &str = "token-bbbb-2222";

fn token_response(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    }))
}

/// Token endpoint: `first` once (if given), then `TOKEN_B` for an hour.
async fn mount_tokens(server: &MockServer, first: Option<(&str, u64)>) {
    if let Some((token, expires_in)) = first {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(token_response(token, expires_in))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response(TOKEN_B, 3600))
        .with_priority(2)
        .mount(server)
        .await;
}

/// The API answers 201 to `token`, 401 to anything else.
async fn mount_api_accepting(server: &MockServer, token: &str) {
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"statusCode": 401, "message": "Invalid token"})),
        )
        .with_priority(2)
        .mount(server)
        .await;
}

fn cc_client(server: &MockServer, sleeper: &RecordingSleeper) -> Client {
    Client::builder()
        .base_url(base(server))
        .client_credentials("my-client-id", CLIENT_SECRET)
        .sleeper(Arc::new(sleeper.clone()))
        .build()
        .unwrap()
}

async fn token_requests(server: &MockServer) -> Vec<wiremock::Request> {
    received_on(server, "/oauth/token").await
}

async fn fifty_calls(client: &Client) {
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.users().authentication_methods().create(USER, &body()).await }));
    }
    for t in tasks {
        let resp = t.await.unwrap().unwrap();
        assert_eq!(resp.status().as_u16(), 201);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_without_a_token_fetch_one() {
    let server = MockServer::start().await;
    mount_tokens(&server, None).await;
    mount_api_accepting(&server, TOKEN_B).await;
    let client = cc_client(&server, &RecordingSleeper::default());

    fifty_calls(&client).await;

    let tokens = token_requests(&server).await;
    assert_eq!(tokens.len(), 1);
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 50);
    // The token request is a form with the credentials and the audience.
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&tokens[0].body).into_owned().collect();
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("grant_type"), Some("client_credentials"));
    assert_eq!(get("client_id"), Some("my-client-id"));
    assert_eq!(get("client_secret"), Some(CLIENT_SECRET));
    assert_eq!(get("audience"), Some(format!("{}/", base(&server)).as_str()));
    assert_eq!(tokens[0].headers.get("content-type").unwrap(), "application/x-www-form-urlencoded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_calls_with_a_token_that_expires_at_once_fetch_one() {
    // `expires_in: 0`: every fetched token is already due for refresh, but
    // callers that waited for a fetch use its token rather than fetch again.
    // (The token endpoint is slow so that all 50 calls are waiting by the
    // time it answers: a call that starts later rightly fetches a new one.)
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response(TOKEN_B, 0).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_B).await;
    let client = cc_client(&server, &RecordingSleeper::default());

    fifty_calls(&client).await;

    assert_eq!(token_requests(&server).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_near_expiry_is_refreshed_once_for_fifty_callers() {
    let server = MockServer::start().await;
    // TOKEN_A lives 1 s; the refresh margin (60 s, at most half the
    // lifetime) makes it due after 500 ms, before it actually expires.
    mount_tokens(&server, Some((TOKEN_A, 1))).await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .and(header("authorization", format!("Bearer {TOKEN_A}").as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_B).await;
    let client = cc_client(&server, &RecordingSleeper::default());

    client.users().authentication_methods().create(USER, &body()).await.unwrap();
    assert_eq!(token_requests(&server).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(550)).await;

    fifty_calls(&client).await;

    assert_eq!(token_requests(&server).await.len(), 2);
    let api = received_on(&server, CREATE_PATH).await;
    assert_eq!(api.len(), 51);
    assert!(api[1..].iter().all(|r| r.headers.get("authorization").unwrap() == format!("Bearer {TOKEN_B}").as_str()));
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries_once() {
    let server = MockServer::start().await;
    mount_tokens(&server, Some((TOKEN_A, 3600))).await;
    mount_api_accepting(&server, TOKEN_B).await;
    let sleeper = RecordingSleeper::default();
    let client = cc_client(&server, &sleeper);

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();

    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(token_requests(&server).await.len(), 2);
    let api = received_on(&server, CREATE_PATH).await;
    assert_eq!(api.len(), 2);
    assert_eq!(api[0].headers.get("authorization").unwrap(), format!("Bearer {TOKEN_A}").as_str());
    assert_eq!(api[1].headers.get("authorization").unwrap(), format!("Bearer {TOKEN_B}").as_str());
    assert_eq!(api[0].body, api[1].body);
    assert!(sleeper.waits().is_empty(), "a refresh retry does not wait");

    // The new token is cached: the next call fetches nothing.
    client.users().authentication_methods().create(USER, &body()).await.unwrap();
    assert_eq!(token_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_second_401_is_returned_not_looped() {
    let server = MockServer::start().await;
    mount_tokens(&server, Some((TOKEN_A, 3600))).await;
    mount_api_accepting(&server, "never-issued").await;
    let client = cc_client(&server, &RecordingSleeper::default());

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    match &err {
        Error::Api(CreateError::Unauthorized(e)) => {
            assert_eq!(e.attempts, 2);
            assert_eq!(e.details().and_then(|d| d.message).as_deref(), Some("Invalid token"));
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert_eq!(token_requests(&server).await.len(), 2);
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_static_token_is_not_refreshed_on_401() {
    let server = MockServer::start().await;
    mount_api_accepting(&server, "other").await;
    let sleeper = RecordingSleeper::default();
    let client = crate::support::builder(&server, &sleeper).build().unwrap();

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    assert!(matches!(&err, Error::Api(CreateError::Unauthorized(e)) if e.attempts == 1), "{err:?}");
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_is_asked_once_by_concurrent_callers() {
    // Callers that waited for a fetch that failed share its error rather
    // than each sending a token request in turn; a later call tries again.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"error": "access_denied", "error_description": "Unauthorized"}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let client = cc_client(&server, &RecordingSleeper::default());

    let mut tasks = Vec::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.users().authentication_methods().create(USER, &body()).await }));
    }
    for t in tasks {
        let err = t.await.unwrap().unwrap_err();
        assert!(matches!(&err, Error::Auth(e) if e.status.map(|s| s.as_u16()) == Some(401)), "{err:?}");
    }
    assert_eq!(token_requests(&server).await.len(), 1);
    assert!(received_on(&server, CREATE_PATH).await.is_empty());

    assert!(client.users().authentication_methods().create(USER, &body()).await.is_err());
    assert_eq!(token_requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_huge_expires_in_does_not_overflow() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response(TOKEN_B, u64::MAX))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_B).await;
    let client = cc_client(&server, &RecordingSleeper::default());

    for _ in 0..2 {
        let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();
        assert_eq!(resp.status().as_u16(), 201);
    }
    assert_eq!(token_requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_token_endpoint_that_hangs_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response(TOKEN_A, 3600).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(base(&server))
        .client_credentials("my-client-id", CLIENT_SECRET)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let started = std::time::Instant::now();
    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
}

#[tokio::test]
async fn token_endpoint_errors_name_the_problem_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("client_secret"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"error": "access_denied", "error_description": "Unauthorized"})),
        )
        .mount(&server)
        .await;
    let client = cc_client(&server, &RecordingSleeper::default());

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    assert!(matches!(err, Error::Auth(_)), "{debug}");
    assert!(shown.contains("401") && shown.contains("Unauthorized"), "{shown}");
    assert!(!shown.contains(CLIENT_SECRET) && !debug.contains(CLIENT_SECRET), "{debug}");
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let server = MockServer::start().await;
    mount_tokens(&server, Some((TOKEN_A, 3600))).await;
    mount_api_accepting(&server, "never-issued").await;
    let sleeper = RecordingSleeper::default();

    let builder = Client::builder()
        .base_url(base(&server))
        .client_credentials("my-client-id", CLIENT_SECRET)
        .sleeper(Arc::new(sleeper));
    let shown = format!("{builder:?}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    let client = builder.build().unwrap();
    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    for shown in [format!("{client:?}"), format!("{client:#?}"), format!("{err:?}"), err.to_string()] {
        for secret in [CLIENT_SECRET, TOKEN_A, TOKEN_B] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
    }
    assert!(format!("{client:?}").contains("my-client-id"));

    let bearer = Client::builder().base_url(base(&server)).bearer_token(TOKEN_A);
    assert!(!format!("{bearer:?}").contains(TOKEN_A));
    assert!(!format!("{:?}", bearer.build().unwrap()).contains(TOKEN_A));
    let basic = Client::builder().base_url(base(&server)).basic_auth("user", "pw-secret-99");
    assert!(!format!("{basic:?}").contains("pw-secret-99"));
    let key = Client::builder()
        .base_url(base(&server))
        .api_key(auth0_management_api::runtime::ApiKeyLocation::Query, "api_key", "key-secret-77")
        .build()
        .unwrap();
    assert!(!format!("{key:?}").contains("key-secret-77"));

    // A custom provider is shown through its own Debug.
    let cc =
        ClientCredentials::new(url::Url::parse(&format!("{}/oauth/token", server.uri())).unwrap(), "id", CLIENT_SECRET);
    let custom = Client::builder().base_url(base(&server)).token_provider(Arc::new(cc)).build().unwrap();
    assert!(!format!("{custom:?}").contains(CLIENT_SECRET));
}
