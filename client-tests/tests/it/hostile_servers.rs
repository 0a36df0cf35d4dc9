//! The generated client against misbehaving servers on 127.0.0.1: each case
//! gives a typed error or the documented lenient result, never a panic or a
//! hang. (Truncated JSON, invalid UTF-8, an HTML page with status 200 and a
//! lying `Content-Type` are in `seed.rs`.)

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::*;
use auth0_management_api::runtime::{Method, Request, TimeoutKind};
use auth0_management_api::Error;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A raw HTTP server that reads one request and then runs `answer`.
async fn raw_server<F, Fut>(answer: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 64 * 1024];
            let _ = sock.read(&mut buf).await;
            answer(sock).await;
        }
    });
    format!("http://{addr}/api/v2")
}

fn client_at(base: String) -> auth0_management_api::Client {
    auth0_management_api::Client::builder()
        .base_url(base)
        .bearer_token("static-token-value")
        .max_retries(0)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_above_the_limit_is_refused() {
    let server = MockServer::start().await;
    let big = format!("{{\"type\": \"phone\", \"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_raw(big, "application/json"))
        .mount(&server)
        .await;
    let sleeper = RecordingSleeper::default();
    let c = builder(&server, &sleeper).max_response_bytes(64 * 1024).build().unwrap();
    let err = c.users().authentication_methods().create(USER, &body()).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 65536, .. }), "{err:?}");
}

#[tokio::test]
async fn headers_then_a_stall_times_out() {
    let base = raw_server(|mut sock| async move {
        let _ = sock
            .write_all(b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{")
            .await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let err = client_at(base).users().authentication_methods().create(USER, &body()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, kind: TimeoutKind::Attempt, .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let base = raw_server(|mut sock| async move {
        let _ = sock
            .write_all(
                b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"type\":",
            )
            .await;
        let _ = sock.shutdown().await;
    })
    .await;
    let err = client_at(base).users().authentication_methods().create(USER, &body()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 1, .. }), "{err:?}");
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    // Host B records the Authorization header of what reaches it.
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen_b = seen.clone();
    let listener_b = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port_b = listener_b.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener_b.accept().await {
            let mut buf = vec![0u8; 64 * 1024];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
            seen_b.lock().unwrap().push(head);
            let body = br#"{"type":"phone"}"#;
            let _ = sock
                .write_all(
                    format!(
                        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
            let _ = sock.write_all(body).await;
        }
    });
    // Host A (127.0.0.1) redirects to host B (localhost), keeping the method.
    let base = raw_server(move |mut sock| async move {
        let location = format!("http://localhost:{port_b}/elsewhere");
        let _ = sock
            .write_all(
                format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n")
                    .as_bytes(),
            )
            .await;
    })
    .await;
    let err = client_at(base).users().authentication_methods().create(USER, &body()).await.unwrap_err();
    // Nothing reached host B, and the caller sees the redirect, not B's 201.
    assert!(seen.lock().unwrap().is_empty(), "the redirect was followed: {:?}", seen.lock().unwrap());
    let Error::UnexpectedStatus(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.status.as_u16(), 307);
    assert_eq!(e.location(), Some(format!("http://localhost:{port_b}/elsewhere").as_str()));
    assert!(err.to_string().contains("not followed"), "{err}");
}

#[tokio::test]
async fn a_retry_after_of_a_year_fails_at_once_with_the_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "31536000"))
        .mount(&server)
        .await;
    // The real sleeper: a wait of the 60 s cap would show in the time taken.
    let c = auth0_management_api::Client::builder().base_url(base(&server)).bearer_token("t").build().unwrap();
    let started = Instant::now();
    let err = c.users().authentication_methods().create(USER, &body()).await.unwrap_err();
    let took = started.elapsed();
    eprintln!("took {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    let Error::Api(auth0_management_api::operations::users::UsersAuthenticationMethodsCreateError::TooManyRequests(e)) =
        &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(e.attempts, 1);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(31_536_000)));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn header_values_with_cr_or_lf_are_never_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let sleeper = RecordingSleeper::default();
    let c = builder(&server, &sleeper).build().unwrap();
    for bad in ["a\r\nX-Injected: 1", "a\nb", "a\rb"] {
        let mut req = Request::new(Method::GET, "/things", "get_things");
        req.literal("/things");
        req.header("x-custom", bad);
        let err = c.send(req).await.unwrap_err();
        assert!(matches!(err, Error::Validation(_)), "{bad:?}: {err:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn query_values_cannot_add_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let sleeper = RecordingSleeper::default();
    let c = builder(&server, &sleeper).build().unwrap();
    let mut req = Request::new(Method::GET, "/things", "get_things");
    req.literal("/things");
    req.query("q", "a&admin=true#frag", auth0_management_api::runtime::ParamStyle::Form { explode: true });
    c.send(req).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let pairs: Vec<(String, String)> =
        reqs[0].url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(pairs, [("q".to_string(), "a&admin=true#frag".to_string())]);
}
