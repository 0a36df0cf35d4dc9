//! Waits the server asks for, the per-call deadline and redirects: a long
//! `Retry-After` fails at once, a deadline bounds every attempt and wait
//! together, and redirects are followed only for GET and HEAD to the same
//! origin.

use std::time::{Duration, Instant};

use crate::support::{base, body, builder, created, received_on, RecordingSleeper, USER};
use auth0_management_api::operations::users::UsersAuthenticationMethodsCreateError as CreateError;
use auth0_management_api::runtime::{Method, Request, RetryPolicy, TimeoutKind};
use auth0_management_api::{Error, RequestOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn get(p: &'static str) -> Request {
    let mut req = Request::new(Method::GET, p, "get_things");
    req.literal(p);
    req
}

/// Answers every request to `/slow` only after ten seconds.
async fn stalling_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/api/v2/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_deadline_bounds_a_call_whose_every_attempt_stalls() {
    let server = stalling_server().await;
    // Attempts of 700 ms with short backoffs: without the deadline this
    // call takes five attempts, about 3.5 s.
    let policy = RetryPolicy { max_retries: 4, initial_backoff: Duration::from_millis(50), ..RetryPolicy::default() };
    let client = auth0_management_api::Client::builder()
        .base_url(base(&server))
        .bearer_token("t")
        .retry_policy(policy)
        .timeout(Duration::from_millis(700))
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client.send(get("/slow")).await.unwrap_err();
    let took = started.elapsed();

    eprintln!("took {took:?}");
    assert!(took < Duration::from_millis(2500), "{took:?}");
    assert!(took >= Duration::from_millis(1300), "gave up before the deadline: {took:?}");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let attempts = received_on(&server, "/api/v2/slow").await.len();
    assert!((2..5).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn the_deadline_cuts_an_attempt_and_says_so() {
    let server = stalling_server().await;
    // The per-attempt timeout (60 s) is far longer than the deadline.
    let client = auth0_management_api::Client::builder().base_url(base(&server)).bearer_token("t").build().unwrap();

    let started = Instant::now();
    let err = client
        .with_options(RequestOptions::new().deadline(Duration::from_secs(2)))
        .send(get("/slow"))
        .await
        .unwrap_err();
    let took = started.elapsed();

    eprintln!("took {took:?}");
    assert!(took >= Duration::from_millis(1900) && took < Duration::from_millis(2500), "{took:?}");
    assert!(
        matches!(err, Error::Timeout { attempts: 1, kind: TimeoutKind::Deadline, limit } if limit == Duration::from_secs(2)),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_wait_that_would_pass_the_deadline_is_not_made() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).deadline(Duration::from_secs(5)).build().unwrap();

    let raw = client.send(get("/things")).await.unwrap();

    // The 503 comes back after one attempt; no 30 s wait was started.
    assert_eq!(raw.status(), 503);
    assert_eq!(raw.attempts, 1);
    assert!(sleeper.waits().is_empty(), "{:?}", sleeper.waits());
}

#[tokio::test]
async fn a_retry_after_within_the_cap_is_still_waited() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201).set_body_json(created())).mount(&server).await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();
    client.users().authentication_methods().create(USER, &body()).await.unwrap();
    assert_eq!(sleeper.waits(), [Duration::from_secs(3)]);
}

#[tokio::test]
async fn a_rate_limit_reset_past_the_cap_fails_at_once() {
    let server = MockServer::start().await;
    let reset = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3600;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-ratelimit-reset", reset.to_string().as_str()))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();
    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();
    let Error::Api(CreateError::TooManyRequests(e)) = &err else { panic!("{err:?}") };
    let asked = e.retry_after().unwrap();
    assert!(asked > Duration::from_secs(3500) && asked <= Duration::from_secs(3600), "{asked:?}");
    assert!(sleeper.waits().is_empty(), "{:?}", sleeper.waits());
}

/// Two servers on 127.0.0.1: different ports are different origins.
async fn two_origins() -> (MockServer, MockServer) {
    (MockServer::start().await, MockServer::start().await)
}

#[tokio::test]
async fn a_post_redirected_to_another_host_is_an_unexpected_status() {
    let (api, other) = two_origins().await;
    let location = format!("{}/api/v2/elsewhere", other.uri());
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(created())).mount(&other).await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&api, &sleeper).build().unwrap();

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    let Error::UnexpectedStatus(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.status.as_u16(), 302);
    assert_eq!(e.location(), Some(location.as_str()));
    assert!(other.received_requests().await.unwrap().is_empty(), "the other host was called");
    assert_eq!(api.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_post_redirected_on_the_same_origin_keeps_its_method_and_is_not_followed() {
    let api = MockServer::start().await;
    let location = format!("{}/api/v2/moved", api.uri());
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(created())).mount(&api).await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&api, &sleeper).build().unwrap();

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    assert!(matches!(&err, Error::UnexpectedStatus(e) if e.status.as_u16() == 302), "{err:?}");
    let methods: Vec<String> = api.received_requests().await.unwrap().iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["POST"]);
}

#[tokio::test]
async fn a_get_redirected_on_the_same_origin_is_followed_with_its_credentials() {
    let api = MockServer::start().await;
    Mock::given(path("/api/v2/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/api/v2/new"))
        .mount(&api)
        .await;
    Mock::given(path("/api/v2/new")).respond_with(ResponseTemplate::new(200).set_body_string("here")).mount(&api).await;
    let sleeper = RecordingSleeper::default();

    let raw = builder(&api, &sleeper).build().unwrap().send(get("/old")).await.unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(&raw.body[..], b"here");
    let new = received_on(&api, "/api/v2/new").await;
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].method.as_str(), "GET");
    assert_eq!(new[0].headers.get("authorization").unwrap(), "Bearer static-token-value");

    // Turned off, the redirect is the answer.
    let raw = builder(&api, &sleeper).follow_redirects(false).build().unwrap().send(get("/old")).await.unwrap();
    assert_eq!(raw.status(), 301);
    assert_eq!(received_on(&api, "/api/v2/new").await.len(), 1);
}

#[tokio::test]
async fn a_get_redirected_to_another_origin_is_not_followed() {
    let (api, other) = two_origins().await;
    let location = format!("{}/api/v2/things", other.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&other).await;
    let sleeper = RecordingSleeper::default();
    let raw = builder(&api, &sleeper).build().unwrap().send(get("/things")).await.unwrap();
    assert_eq!(raw.status(), 302);
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_redirect_loop_ends() {
    let api = MockServer::start().await;
    Mock::given(path("/api/v2/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/api/v2/loop"))
        .mount(&api)
        .await;
    let sleeper = RecordingSleeper::default();
    let raw = builder(&api, &sleeper).build().unwrap().send(get("/loop")).await.unwrap();
    assert_eq!(raw.status(), 302);
    // The first request and ten redirects.
    assert_eq!(received_on(&api, "/api/v2/loop").await.len(), 11);
}

#[tokio::test]
async fn an_operation_that_lists_a_redirect_gets_it_unfollowed() {
    let api = MockServer::start().await;
    Mock::given(path("/api/v2/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/api/v2/new"))
        .mount(&api)
        .await;
    Mock::given(path("/api/v2/new")).respond_with(ResponseTemplate::new(200)).mount(&api).await;
    let sleeper = RecordingSleeper::default();
    // What generated code does when the spec lists a 3xx for the operation.
    let mut req = get("/old");
    req.keep_redirects();
    let raw = builder(&api, &sleeper).build().unwrap().send(req).await.unwrap();
    assert_eq!(raw.status(), 301);
    assert!(received_on(&api, "/api/v2/new").await.is_empty());
}
