//! The blocking client (cargo feature `blocking`) over HTTP on 127.0.0.1,
//! called from plain `#[test]` threads: the servers run on a runtime of
//! the test's own, on other threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use auth0_management_api::operations::events::SubscribeEventsRequestParameters;
use auth0_management_api::operations::roles::ListRoleUsersRequestParameters;
use auth0_management_api::operations::users::ListUsersRequestParameters;
use auth0_management_api::types::EventStreamSubscribeEventsResponseContent as Payload;
use auth0_management_api::BlockingClient;
use auth0_management_api::{Client, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{base, body, created, CREATE_PATH, USER};

/// A runtime for the servers: two worker threads, none of them the test's.
fn server_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn seed_server(rt: &tokio::runtime::Runtime) -> MockServer {
    rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(CREATE_PATH))
            .respond_with(ResponseTemplate::new(201).set_body_json(created()))
            .mount(&server)
            .await;
        server
    })
}

#[test]
fn a_blocking_call_returns_the_typed_answer_and_clones_share_the_client() {
    let rt = server_runtime();
    let server = seed_server(&rt);
    let client = Client::builder().base_url(base(&server)).bearer_token("t").build_blocking().unwrap();

    let resp = client.users().authentication_methods().create(USER, body()).unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.into_inner().id.as_deref(), Some("phone|dev_abc"));

    // Several threads at once, on clones: one runtime drives them all.
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let c = client.clone();
                s.spawn(move || c.users().authentication_methods().create(USER, body()).map(|r| r.status().as_u16()))
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap().map_err(|e| e.to_string()), Ok(201));
        }
    });
    let n = rt.block_on(server.received_requests()).map_or(0, |r| r.len());
    assert_eq!(n, 5);
}

#[test]
fn a_blocking_error_is_the_operations_typed_error() {
    let rt = server_runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(path(CREATE_PATH))
            .respond_with(
                ResponseTemplate::new(404).set_body_json(serde_json::json!({"statusCode": 404, "message": "no user"})),
            )
            .mount(&server)
            .await;
        server
    });
    let client = Client::builder().base_url(base(&server)).bearer_token("t").max_retries(0).build_blocking().unwrap();
    let err = client.users().authentication_methods().create(USER, body()).unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.message().as_deref(), Some("no user"));
}

#[test]
fn blocking_streams_are_iterators_that_walk_every_page() {
    let rt = server_runtime();
    let (server, async_client) = rt.block_on(crate::auth0_behaviour::tenant(250));
    let client = BlockingClient::new(async_client).unwrap();

    let users: Vec<String> = client
        .users()
        .list_stream(&ListUsersRequestParameters::default())
        .map(|u| u.unwrap().user_id.unwrap().to_string())
        .collect();
    assert_eq!(users.len(), 250);
    assert_eq!(users.last().map(String::as_str), Some("auth0|00249"));
    // Path arguments too, and a page is fetched only when it is needed.
    let mut role_users = client.roles().users().list_stream("rol_1", &ListRoleUsersRequestParameters::default());
    assert!(role_users.next().is_some_and(|u| u.is_ok()));
    let before = rt.block_on(server.received_requests()).map_or(0, |r| r.len());
    assert_eq!(role_users.count(), 139);
    let after = rt.block_on(server.received_requests()).map_or(0, |r| r.len());
    assert!(after > before, "{before} {after}");
}

#[test]
fn a_blocking_event_stream_is_an_iterator_of_typed_events() {
    let rt = server_runtime();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        let body = "event: offset-only\nid: cur-1\ndata: {\"offset\":\"cur-1\"}\n\n: a comment\n\nretry: 10\nevent: offset-only\nid: cur-2\ndata: {\"offset\":\"cur-2\"}\n\n";
        // Resumed after the last event: nothing more.
        Mock::given(path("/api/v2/events"))
            .and(header("last-event-id", "cur-2"))
            .respond_with(ResponseTemplate::new(204))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(path("/api/v2/events"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
            .mount(&server)
            .await;
        server
    });
    let client = Client::builder().base_url(base(&server)).bearer_token("t").build_blocking().unwrap();
    let mut events = client.events().subscribe(&SubscribeEventsRequestParameters::default()).unwrap().into_inner();
    let offsets: Vec<String> = events
        .by_ref()
        .map(|e| match e.unwrap().data {
            Payload::EventStreamCloudEventOffsetOnlyMessage(m) => m.offset.to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(offsets, ["cur-1", "cur-2"]);
    assert_eq!(events.last_event_id().as_deref(), Some("cur-2"));
    assert_eq!(events.retry_hint(), Some(Duration::from_millis(10)));
}

/// Inside an async runtime a blocking call would stall it: the call is an
/// error and sends nothing; a stream yields that error once and ends.
#[tokio::test]
async fn a_blocking_call_inside_an_async_runtime_is_an_error_not_a_panic() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(base(&server)).bearer_token("t").build_blocking().unwrap();
    let err = client.users().authentication_methods().create(USER, body()).unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("inside an async runtime")), "{err:?}");
    let items: Vec<_> = client.users().list_stream(&ListUsersRequestParameters::default()).collect();
    assert!(matches!(&items[..], [Err(Error::InvalidRequest(_))]), "{items:?}");
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 0);
    drop(client);
}

/// A keep-alive HTTP/1.1 server that answers every GET with a role and
/// counts the connections it accepted.
fn counting_server(rt: &tokio::runtime::Runtime) -> (String, Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    rt.spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(n) = sock.read(&mut chunk).await else { return };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        buf.drain(..end + 4);
                        let body = r#"{"id":"rol_1","name":"admin"}"#;
                        let resp = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if sock.write_all(resp.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    (format!("http://{addr}/api/v2"), connections)
}

/// Calls share the client's one runtime, so the connection pool outlives a
/// call: a runtime per call would drop the pooled connection with it and
/// open a new one for every call.
#[test]
fn blocking_calls_share_one_runtime_and_reuse_the_connection() {
    let rt = server_runtime();
    let (base, connections) = counting_server(&rt);
    let client = Client::builder().base_url(base).bearer_token("t").build_blocking().unwrap();
    for _ in 0..3 {
        let role = client.roles().get("rol_1").unwrap().into_inner();
        assert_eq!(role.name.as_deref(), Some("admin"));
    }
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}
