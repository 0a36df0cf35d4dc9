//! Retries, waits, timeouts, per-request options and idempotency keys of the
//! generated client, over real HTTP on 127.0.0.1. Waits go to a recording
//! [`Sleeper`](auth0_management_api::runtime::Sleeper) that returns at once.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::support::{base, body, builder, created, received_on, RecordingSleeper, CREATE_PATH, USER};
use auth0_management_api::operations::users::UsersAuthenticationMethodsCreateError as CreateError;
use auth0_management_api::runtime::{HeaderName, HeaderValue, Method, Request, TimeoutKind};
use auth0_management_api::{Error, RequestOptions};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    MockServer::start().await
}

/// Mounts `first` for the first `n` requests to the seed route, then 201.
async fn fail_then_created(server: &MockServer, first: ResponseTemplate, n: u64) {
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .with_priority(2)
        .mount(server)
        .await;
}

fn assert_same_bodies(requests: &[wiremock::Request]) {
    assert!(requests.len() >= 2, "expected retries, got {} request(s)", requests.len());
    for r in &requests[1..] {
        assert_eq!(r.body, requests[0].body, "a retry sent different bytes");
    }
}

/// A GET through the runtime directly (the spec has only a POST).
fn get(route_path: &'static str) -> Request {
    let mut req = Request::new(Method::GET, route_path, "get_test");
    req.literal(route_path);
    req
}

#[tokio::test]
async fn retry_after_seconds_waits_that_long_and_retries_once() {
    let server = server().await;
    fail_then_created(&server, ResponseTemplate::new(429).insert_header("retry-after", "1"), 1).await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();

    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.id.as_deref(), Some("phone|dev_abc"));
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(1)]);
    let reqs = received_on(&server, CREATE_PATH).await;
    assert_eq!(reqs.len(), 2);
    assert_same_bodies(&reqs);
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    let server = server().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(5));
    fail_then_created(&server, ResponseTemplate::new(429).insert_header("retry-after", date.as_str()), 1).await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();

    assert_eq!(resp.status().as_u16(), 201);
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 1);
    // HTTP dates have whole seconds: the wait is a little under 5 s.
    assert!(waits[0] > Duration::from_secs(3) && waits[0] <= Duration::from_secs(5), "{waits:?}");
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 2);
}

#[tokio::test]
async fn x_ratelimit_reset_is_honoured_on_429() {
    let server = server().await;
    let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 4;
    let limited = ResponseTemplate::new(429)
        .insert_header("x-ratelimit-limit", "10")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", reset.to_string().as_str());
    fail_then_created(&server, limited, 1).await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();

    assert_eq!(resp.status().as_u16(), 201);
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] > Duration::from_secs(2) && waits[0] <= Duration::from_secs(4), "{waits:?}");
}

#[tokio::test]
async fn x_ratelimit_reset_does_not_stretch_a_503_backoff() {
    // Auth0 sends X-RateLimit-Reset on every response; on a 503 it says when
    // the rate-limit window resets, not when the server recovers.
    let server = server().await;
    let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 50;
    Mock::given(method("GET"))
        .and(path("/api/v2/things"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-ratelimit-reset", reset.to_string().as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/things"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();

    let resp = client.send(get("/things")).await.unwrap();

    assert_eq!(resp.status.as_u16(), 200);
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] <= Duration::from_millis(500), "backoff, not the rate-limit reset: {waits:?}");
}

#[tokio::test]
async fn post_answered_500_is_not_retried_by_default() {
    let server = server().await;
    fail_then_created(&server, ResponseTemplate::new(500).set_body_string("boom"), 1).await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    match err {
        Error::UnexpectedStatus(e) => {
            assert_eq!(e.status.as_u16(), 500);
            assert_eq!(e.attempts, 1);
            assert_eq!(&e.body[..], b"boom");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert!(sleeper.waits().is_empty());
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 1);
}

#[tokio::test]
async fn post_500_is_retried_with_retry_non_idempotent_and_sends_the_same_bytes() {
    let server = server().await;
    fail_then_created(&server, ResponseTemplate::new(500), 2).await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();

    let resp = client
        .with_options(RequestOptions::new().retry_non_idempotent(true))
        .users()
        .authentication_methods()
        .create(USER, &body())
        .await
        .unwrap();

    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(sleeper.waits().len(), 2);
    let reqs = received_on(&server, CREATE_PATH).await;
    assert_eq!(reqs.len(), 3);
    assert_same_bodies(&reqs);
    let sent: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(sent, serde_json::json!({"type": "phone", "name": "work phone", "phone_number": "+15551234567"}));
}

#[tokio::test]
async fn per_request_retry_non_idempotent_false_overrides_the_client_policy() {
    let server = server().await;
    fail_then_created(&server, ResponseTemplate::new(503), 1).await;
    let sleeper = RecordingSleeper::default();
    let policy = auth0_management_api::RetryPolicy { retry_non_idempotent: true, ..Default::default() };
    let client = builder(&server, &sleeper).retry_policy(policy).build().unwrap();

    let err = client
        .with_options(RequestOptions::new().retry_non_idempotent(false))
        .users()
        .authentication_methods()
        .create(USER, &body())
        .await
        .unwrap_err();

    assert!(matches!(&err, Error::UnexpectedStatus(e) if e.status.as_u16() == 503 && e.attempts == 1), "{err:?}");
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 1);
}

#[tokio::test]
async fn get_answered_503_twice_then_200_is_retried() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/things"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/things"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();

    let resp = client.send(get("/things")).await.unwrap();

    assert_eq!(resp.status.as_u16(), 200);
    assert_eq!(&resp.body[..], b"ok");
    assert_eq!(resp.attempts, 3);
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 2);
    // Exponential backoff with jitter: 250-500 ms, then 500-1000 ms.
    assert!(waits[0] >= Duration::from_millis(250) && waits[0] <= Duration::from_millis(500), "{waits:?}");
    assert!(waits[1] >= Duration::from_millis(500) && waits[1] <= Duration::from_millis(1000), "{waits:?}");
}

#[tokio::test]
async fn retries_stop_at_the_limit_with_the_last_error_and_attempt_count() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0").set_body_json(
            serde_json::json!({"statusCode": 429, "error": "Too Many Requests", "message": "slow down"}),
        ))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).max_retries(3).build().unwrap();

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    match &err {
        Error::Api(CreateError::TooManyRequests(e)) => {
            assert_eq!(e.attempts, 4);
            assert_eq!(e.details().and_then(|d| d.message).as_deref(), Some("slow down"));
        }
        other => panic!("expected TooManyRequests, got {other:?}"),
    }
    assert_eq!(sleeper.waits(), vec![Duration::ZERO; 3]);
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 4);

    // The same for a GET answered 503 every time: the last response is returned.
    Mock::given(method("GET")).and(path("/api/v2/down")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let resp = client.send(get("/down")).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (503, 4));
}

#[tokio::test]
async fn transport_errors_are_retried_up_to_the_limit() {
    // A port nothing listens on: connecting is refused, which is safe to
    // retry even for a POST.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let sleeper = RecordingSleeper::default();
    let client = auth0_management_api::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api/v2"))
        .bearer_token("t")
        .sleeper(std::sync::Arc::new(sleeper.clone()))
        .max_retries(2)
        .build()
        .unwrap();

    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();

    assert!(matches!(err, Error::Transport { attempts: 3, .. }), "{err:?}");
    assert_eq!(sleeper.waits().len(), 2);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_bound() {
    // Accepts connections and reads, but never writes a byte.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let sleeper = RecordingSleeper::default();
    let client = auth0_management_api::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api/v2"))
        .bearer_token("t")
        .sleeper(std::sync::Arc::new(sleeper.clone()))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client.users().authentication_methods().create(USER, &body()).await.unwrap_err();
    let took = started.elapsed();

    // A POST that may have reached the server is not retried after a timeout.
    assert!(matches!(err, Error::Timeout { attempts: 1, kind: TimeoutKind::Attempt, .. }), "{err:?}");
    assert!(took >= Duration::from_millis(190) && took < Duration::from_secs(2), "{took:?}");
    assert!(sleeper.waits().is_empty());
}

#[tokio::test]
async fn a_slow_get_times_out_on_every_attempt() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).timeout(Duration::from_millis(150)).max_retries(1).build().unwrap();

    let started = Instant::now();
    let err = client.send(get("/slow")).await.unwrap_err();

    assert!(matches!(err, Error::Timeout { attempts: 2, kind: TimeoutKind::Attempt, .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(sleeper.waits().len(), 1);
}

#[tokio::test]
async fn per_request_headers_query_and_timeout() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .and(header("x-request-tag", "abc"))
        .and(header("x-second", "2"))
        .and(query_param("include_totals", "true"))
        .and(query_param("trace", "1"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v2/users/slow/authentication-methods"))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();
    let tagged = client.with_options(
        RequestOptions::new()
            .header(HeaderName::from_static("x-request-tag"), HeaderValue::from_static("abc"))
            .query("include_totals", "true"),
    );
    // Options of a handle made from a handle add to the first handle's.
    let tagged = tagged.with_options(
        RequestOptions::new()
            .header("x-second", "2")
            .header("x-multi", "a")
            .header("x-multi".to_string(), "b".to_string())
            .query("trace", "1"),
    );

    let resp = tagged.users().authentication_methods().create(USER, &body()).await.unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let sent = &received_on(&server, CREATE_PATH).await[0];
    let multi: Vec<_> = sent.headers.get_all("x-multi").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert_eq!(multi, ["a", "b"], "both values of a repeated option header are sent");

    // The client's timeout is 60 s; this call's is 200 ms.
    let started = Instant::now();
    let err = client
        .with_options(RequestOptions::new().timeout(Duration::from_millis(200)))
        .users()
        .authentication_methods()
        .create("slow", &body())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, kind: TimeoutKind::Attempt, .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_per_request_header_that_is_not_http_fails_the_call_unsent() {
    let server = server().await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).build().unwrap();
    for options in
        [RequestOptions::new().header("x-ok", "a\r\nx-injected: 1"), RequestOptions::new().header("bad name", "v")]
    {
        let err = client.with_options(options).users().authentication_methods().create(USER, &body()).await;
        assert!(matches!(&err, Err(Error::InvalidRequest(m)) if m.contains("header")), "{err:?}");
    }
    assert!(server.received_requests().await.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn per_request_retry_count_including_zero() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let client = builder(&server, &sleeper).max_retries(5).build().unwrap();

    let err = client
        .with_options(RequestOptions::new().max_retries(0))
        .users()
        .authentication_methods()
        .create(USER, &body())
        .await;
    assert!(matches!(&err, Err(Error::Api(CreateError::TooManyRequests(e))) if e.attempts == 1), "{err:?}");
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 1);
    assert!(sleeper.waits().is_empty());

    let err = client
        .with_options(RequestOptions::new().retries(1))
        .users()
        .authentication_methods()
        .create(USER, &body())
        .await;
    assert!(matches!(&err, Err(Error::Api(CreateError::TooManyRequests(e))) if e.attempts == 2), "{err:?}");
    assert_eq!(received_on(&server, CREATE_PATH).await.len(), 3);
    assert_eq!(sleeper.waits().len(), 1);
}

#[tokio::test]
async fn idempotency_key_makes_a_post_retryable_with_the_same_key() {
    let server = server().await;
    fail_then_created(&server, ResponseTemplate::new(503), 1).await;
    let sleeper = RecordingSleeper::default();
    let client =
        builder(&server, &sleeper).idempotency_header(HeaderName::from_static("idempotency-key")).build().unwrap();

    let resp = client.users().authentication_methods().create(USER, &body()).await.unwrap();
    assert_eq!(resp.status().as_u16(), 201);

    let reqs = received_on(&server, CREATE_PATH).await;
    assert_eq!(reqs.len(), 2);
    assert_same_bodies(&reqs);
    let keys: Vec<String> = reqs
        .iter()
        .map(|r| r.headers.get("idempotency-key").expect("idempotency key sent").to_str().unwrap().to_string())
        .collect();
    assert!(keys[0].len() >= 16, "{keys:?}");
    assert_eq!(keys[0], keys[1]);

    // The next call gets a new key; a caller-chosen key is sent as given.
    client.users().authentication_methods().create(USER, &body()).await.unwrap();
    client
        .with_options(RequestOptions::new().idempotency_key("my-key-1"))
        .users()
        .authentication_methods()
        .create(USER, &body())
        .await
        .unwrap();
    let reqs = received_on(&server, CREATE_PATH).await;
    let third = reqs[2].headers.get("idempotency-key").unwrap().to_str().unwrap();
    assert_ne!(third, keys[0]);
    assert_eq!(reqs[3].headers.get("idempotency-key").unwrap(), "my-key-1");
}

#[tokio::test]
async fn a_value_no_header_can_carry_is_an_error_before_anything_is_sent() {
    use auth0_management_api::runtime::ApiKeyLocation;
    let server = server().await;
    fail_then_created(&server, ResponseTemplate::new(503), 1).await;
    let sleeper = RecordingSleeper::default();
    let client =
        builder(&server, &sleeper).idempotency_header(HeaderName::from_static("idempotency-key")).build().unwrap();
    // An idempotency key with a line break used to be dropped silently,
    // and the POST sent without it.
    let err = client
        .with_options(RequestOptions::new().idempotency_key("key\nInjected: 1"))
        .users()
        .authentication_methods()
        .create(USER, &body())
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("idempotency key")), "{err:?}");
    assert!(received_on(&server, CREATE_PATH).await.is_empty(), "nothing is sent");

    // An API key no header can carry: the client is not built (it used to
    // send every request without the key).
    let bad_value = builder(&server, &sleeper).api_key(ApiKeyLocation::Header, "x-api-key", "k\r\n").build();
    assert!(bad_value.unwrap_err().to_string().contains("the api key is not a valid header value"));
    let bad_name = builder(&server, &sleeper).api_key(ApiKeyLocation::Header, "x api key", "k").build();
    assert!(bad_name.unwrap_err().to_string().contains("\"x api key\" is not a valid header name"));
    let bad_cookie = builder(&server, &sleeper).api_key(ApiKeyLocation::Cookie, "sid", "a\nb").build();
    assert!(bad_cookie.unwrap_err().to_string().contains("not a valid cookie"));
    assert!(received_on(&server, CREATE_PATH).await.is_empty());
}

#[tokio::test]
async fn base_url_path_and_operation_path_join() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path(CREATE_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(created()))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    // A trailing slash on the base URL does not double up.
    let client = builder(&server, &sleeper).base_url(format!("{}/", base(&server))).build().unwrap();
    client.users().authentication_methods().create(USER, &body()).await.unwrap();
}
