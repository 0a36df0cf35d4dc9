//! Server-Sent Events over real HTTP: a server on 127.0.0.1 that sends
//! three events (one `data` spread over two lines), a comment and a retry
//! hint, slower than the per-attempt timeout, then closes; resuming with
//! `Last-Event-ID` after the server closes (and not without event ids);
//! an endless event ends the stream with an error.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use auth0_management_api::operations::events::SubscribeEventsRequestParameters;
use auth0_management_api::runtime::{EventError, EventStream, Method, Request, StreamExt};
use auth0_management_api::types::EventStreamSubscribeEventsResponseContent as Payload;
use auth0_management_api::{Client, RequestOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server writes, chunk by chunk, 250 ms apart.
const CHUNKS: &[&str] = &[
    ": a comment, ignored\n\n",
    "event: offset-only\nid: cur-1\ndata: {\"offset\":\"cur-1\"}\n\n",
    "retry: 1500\nevent: offset-only\nid: cur-2\ndata: {\"offset\":\n",
    "data: \"cur-2\"}\n\n",
    "event: offset-only\nid: cur-3\ndata: {\"offset\":\"cur-3\"}\n\n",
];

/// Serves each connection the event stream, recording the request heads.
async fn sse_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let heads: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
                seen.lock().unwrap().push(request.clone());
                if request.contains("last-event-id: cur-3") {
                    // Resumed after the last event: nothing more.
                    let _ = sock.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await;
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";
                let _ = sock.write_all(head.as_bytes()).await;
                for chunk in CHUNKS {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    let _ = sock.write_all(chunk.as_bytes()).await;
                }
                // Closing the connection ends the stream.
            });
        }
    });
    (format!("http://{addr}/api/v2"), heads)
}

fn client(base: &str) -> Client {
    // Each attempt may take 400 ms; the stream takes well over a second.
    Client::builder().base_url(base).bearer_token("t").timeout(Duration::from_millis(400)).build().unwrap()
}

#[tokio::test]
async fn subscribe_streams_typed_events_past_the_attempt_timeout() {
    let (base, _) = sse_server().await;
    let started = Instant::now();
    let resp = client(&base).events().subscribe(&SubscribeEventsRequestParameters::default()).await.unwrap();
    let mut events: EventStream<Payload> = resp.into_inner();

    let mut got = Vec::new();
    while let Some(ev) = events.next().await {
        let ev = ev.unwrap();
        let Payload::EventStreamCloudEventOffsetOnlyMessage(m) = &ev.data else { panic!("{ev:?}") };
        got.push((ev.id.clone().unwrap(), ev.event.clone(), m.offset.clone()));
    }

    let want = |i: &str| (format!("cur-{i}"), "offset-only".to_string(), format!("cur-{i}"));
    assert_eq!(got, [want("1"), want("2"), want("3")]);
    assert!(started.elapsed() > Duration::from_millis(1000), "{:?}", started.elapsed());
    assert_eq!(events.last_event_id().as_deref(), Some("cur-3"));
    assert_eq!(events.retry_hint(), Some(Duration::from_millis(1500)));
}

const SSE_HEAD: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";

/// Serves the `i`-th connection `bodies[i]` as an event stream (written in
/// `chunk`-byte pieces) and closes it; once they are used up, answers 204.
/// Returns the base URL and the request heads, lowercased.
async fn scripted_server(bodies: Vec<String>, chunk: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let heads: Arc<Mutex<Vec<String>>> = Default::default();
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let i = {
                let mut seen = seen.lock().unwrap();
                seen.push(String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase());
                seen.len() - 1
            };
            let Some(body) = bodies.get(i).cloned() else {
                let _ = sock.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await;
                continue;
            };
            tokio::spawn(async move {
                let _ = sock.write_all(SSE_HEAD.as_bytes()).await;
                for piece in body.as_bytes().chunks(chunk) {
                    if sock.write_all(piece).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}/api/v2"), heads)
}

fn offsets(events: &[Result<auth0_management_api::runtime::Event<Payload>, EventError>]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Ok(ev) => match &ev.data {
                Payload::EventStreamCloudEventOffsetOnlyMessage(m) => m.offset.to_string(),
                other => format!("{other:?}"),
            },
            Err(e) => format!("error: {e}"),
        })
        .collect()
}

fn offset_event(id: &str) -> String {
    format!("event: offset-only\nid: {id}\ndata: {{\"offset\":\"{id}\"}}\n\n")
}

#[tokio::test]
async fn a_closed_stream_resumes_with_the_last_event_id_after_the_retry_hint() {
    let first =
        format!(": a comment\n\n{}{}{}retry: 60\n\n", offset_event("e1"), offset_event("e2"), offset_event("e3"));
    let (base, heads) = scripted_server(vec![first, offset_event("e4")], 4096).await;
    let started = Instant::now();
    let events = client(&base).events().subscribe(&SubscribeEventsRequestParameters::default()).await.unwrap();
    let got: Vec<_> = events.into_inner().collect().await;

    assert_eq!(offsets(&got), ["e1", "e2", "e3", "e4"]);
    let heads = heads.lock().unwrap().clone();
    // The first connection, the resumed one, and one more that got 204.
    assert_eq!(heads.len(), 3, "{heads:?}");
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
    assert!(heads[1].contains("last-event-id: e3"), "{}", heads[1]);
    assert!(heads[2].contains("last-event-id: e4"), "{}", heads[2]);
    assert!(heads.iter().all(|h| h.starts_with("get /api/v2/events")), "{heads:?}");
    // Two waits of the server's 60 ms.
    assert!(started.elapsed() >= Duration::from_millis(120), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_stream_without_event_ids_is_not_resumed() {
    let body = "event: offset-only\ndata: {\"offset\":\"a\"}\n\nretry: 10\n\n".to_string();
    let (base, heads) = scripted_server(vec![body.clone(), body], 4096).await;
    let events = client(&base).events().subscribe(&SubscribeEventsRequestParameters::default()).await.unwrap();
    let got: Vec<_> = events.into_inner().collect().await;
    assert_eq!(offsets(&got), ["a"]);
    assert_eq!(heads.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_endless_event_ends_the_stream_with_an_error() {
    // An event, then a `data` line that never ends (4 MiB and counting).
    let endless = format!("{}data: {}", offset_event("e1"), "x".repeat(4 << 20));
    let (base, heads) = scripted_server(vec![endless], 64 * 1024).await;
    let client = Client::builder().base_url(&base).bearer_token("t").max_response_bytes(256 * 1024).build().unwrap();
    let events = client.events().subscribe(&SubscribeEventsRequestParameters::default()).await.unwrap();
    let got: Vec<_> = events.into_inner().collect().await;

    assert_eq!(offsets(&got)[0], "e1");
    assert!(matches!(got[1..], [Err(EventError::TooLarge { limit: 262_144 })]), "{:?}", &got[1..]);
    // Ended, not resumed.
    assert_eq!(heads.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn any_event_stream_reads_as_json_values_and_resumes_by_last_event_id() {
    let (base, heads) = sse_server().await;
    let client = client(&base).with_options(RequestOptions::new().last_event_id("cur-2"));
    let mut req = Request::new(Method::GET, "/anything", "anything");
    req.literal("/anything");
    req.streaming();
    let raw = client.send(req).await.unwrap();
    let events = raw.event_stream::<serde_json::Value, std::convert::Infallible>(None).unwrap().into_inner();
    let data: Vec<serde_json::Value> = events.map(|e| e.unwrap().data).collect().await;

    assert_eq!(data.len(), 3);
    assert_eq!(data[1], serde_json::json!({"offset": "cur-2"}), "two data lines joined");
    assert!(heads.lock().unwrap()[0].contains("last-event-id: cur-2"), "{:?}", heads.lock().unwrap());
}
